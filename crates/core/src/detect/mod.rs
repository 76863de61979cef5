//! Badge detection: which links, images, JSON-LD blocks and embeds on a web page are
//! (or lead to) Open Badges, and where their machine-readable form is.
//!
//! Shared by the browser extension (through qlabel-wasm, which hands over what its
//! content script collected from the DOM as a [`PageInput`]) and `qlabel scan` (which
//! collects the same from HTML with `scan_html`, feature `html`). Everything here is
//! pure and bounded: URLs longer than [`MAX_URL_BYTES`] are ignored, a page's lists
//! are cut at [`MAX_LINKS`], [`MAX_IMAGES`], [`MAX_SCRIPTS`], [`MAX_ALTERNATES`] and
//! [`MAX_EMBEDS`] items, scripts are parsed with the core's [`Limits`].
//!
//! ## Link rules ([`classify_link`])
//!
//! Platform hosts are matched in lower case, `www.` optional where the site uses it,
//! and only over `https`. A link to a platform host that matches none of its rules is
//! not a badge (it is not tried as a generic URL either).
//!
//! | platform | page shapes | fetched |
//! | --- | --- | --- |
//! | LinkedIn wrapper | `linkedin.com/redir/redirect?url=…`, `/safety/go?url=…` | the decoded `url`, classified (one level) |
//! | `credly` | `credly.com/badges/{uuid}[/public_url\|/linked_in_profile]`, `credly.com/earner/earned/badge/{uuid}`, `youracclaim.com/badges/{uuid}`, `api.credly.com/v1/obi/v2/badge_assertions/{uuid}` | `https://api.credly.com/v1/obi/v2/badge_assertions/{uuid}` |
//! | `badgr` | `{badgr.com, badgr.io, xx.badgr.com}/public/assertions/{id}[.json]`, `api[.xx].badgr.io/public/assertions/{id}` | `https://api[.xx].badgr.io/public/assertions/{id}` |
//! | `edubadges` | `edubadges.nl/public/assertions/{id}`, `api.edubadges.nl/…` | `https://api.edubadges.nl/public/assertions/{id}` |
//! | `obf` | `openbadgefactory.com/v1/assertion/{40 hex}[.html\|.json]` | the same without `.html` |
//! | `obp` | `openbadgepassport.com[/{lang}]/app/badge/info/{int}[/embed\|/pic/embed\|/full/embed]`, `/app/obpv1/badge/info/{int}` | `https://openbadgepassport.com/app/obpv1/badge/info/{int}`, whose `assertion_url` is the badge (`via`) |
//! | `cities-of-learning` | `*.cityoflearning.eu`, `*.regionoflearning.eu`, `badgequalitylabel.net`: `[/{lang}]/badges/{id}` | none: link-only |
//! | `europass` | `europa.eu/europass/…` with a path segment containing `credential` | none: link-only (EDC is not Open Badges) |
//! | `generic` | any other `https` URL (plain `http` only on loopback) whose path ends in `.json`, `.jsonld`, `.jwt`, or has a segment `assertion(s)`, `credential(s)`, `badge(s)`, `openbadges` followed by another segment; never one ending in `.png .jpg .jpeg .gif .svg .webp .html .htm .pdf .css .js` | the URL itself |
//!
//! URLs with credentials, control characters, white space or another scheme
//! (`javascript:`, `data:`, `file:` …) are never badges; fragments are dropped.

mod prefix;
mod url;

#[cfg(feature = "html")]
mod html;

#[cfg(feature = "html")]
pub use html::{collect_html, scan_html, MAX_HTML_BYTES};
pub use prefix::{baked_in_prefix, Prefix};
pub use url::{resolve, MAX_URL_BYTES};

use crate::limits::{parse_json, Limits};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::{parse, Url};

/// Most links a page is searched for.
pub const MAX_LINKS: usize = 5000;
/// Most images a page is searched for.
pub const MAX_IMAGES: usize = 500;
/// Most JSON-LD scripts a page is searched for.
pub const MAX_SCRIPTS: usize = 100;
/// Most `<link rel="alternate">` elements a page is searched for.
pub const MAX_ALTERNATES: usize = 100;
/// Most Credly embeds a page is searched for.
pub const MAX_EMBEDS: usize = 100;

/// A link that is (or leads to) a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The page a person opens (after unwrapping a LinkedIn redirect), fragment dropped.
    pub page: String,
    /// The URL to fetch and verify; `None` when the platform offers no machine-readable
    /// badge (link-only).
    pub fetch: Option<String>,
    /// `credly`, `badgr`, `edubadges`, `obf`, `obp`, `cities-of-learning`, `europass`,
    /// `generic`.
    pub platform: &'static str,
    /// `Some("assertion_url")` when `fetch` answers platform JSON whose field of that
    /// name holds the badge's URL ([`follow_via`]).
    pub via: Option<&'static str>,
}

/// Whether `href` (an absolute URL found on a page) is a badge link, and how to get the
/// badge. See the [module documentation](self) for the rules.
pub fn classify_link(href: &str) -> Option<Link> {
    classify(href, true)
}

fn classify(href: &str, unwrap: bool) -> Option<Link> {
    let u = parse(href)?;
    let host = u.host.as_str();
    let seg = u.segments();
    let page = u.normalized();
    let link = |platform: &'static str, fetch: Option<String>, via: Option<&'static str>| {
        Some(Link {
            page: page.clone(),
            fetch,
            platform,
            via,
        })
    };
    let https = u.scheme == "https";
    match host {
        "linkedin.com" | "www.linkedin.com" => {
            if !unwrap || !https {
                return None;
            }
            return match seg.as_slice() {
                ["redir", "redirect"] | ["safety", "go"] => classify(&u.param("url")?, false),
                _ => None,
            };
        }
        "credly.com"
        | "www.credly.com"
        | "youracclaim.com"
        | "www.youracclaim.com"
        | "api.credly.com" => {
            let id = match (host, seg.as_slice()) {
                ("api.credly.com", ["v1", "obi", "v2", "badge_assertions", id]) => *id,
                ("api.credly.com", _) => return None,
                (_, ["badges", id]) | (_, ["badges", id, "public_url" | "linked_in_profile"]) => {
                    *id
                }
                ("credly.com" | "www.credly.com", ["earner", "earned", "badge", id]) => *id,
                _ => return None,
            };
            if !https || !is_uuid(id) {
                return None;
            }
            return link("credly", Some(credly_fetch(id)), None);
        }
        "openbadgefactory.com" | "www.openbadgefactory.com" => {
            let ["v1", "assertion", file] = seg.as_slice() else {
                return None;
            };
            let id = file
                .strip_suffix(".html")
                .or_else(|| file.strip_suffix(".json"))
                .unwrap_or(file);
            if !https || id.len() != 40 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let fetch = format!("https://openbadgefactory.com/v1/assertion/{id}");
            return link("obf", Some(fetch), None);
        }
        "openbadgepassport.com" | "www.openbadgepassport.com" => {
            let id = match without_lang(&seg, "app") {
                ["app", "badge", "info", id]
                | ["app", "badge", "info", id, "embed"]
                | ["app", "badge", "info", id, "pic" | "full", "embed"]
                | ["app", "obpv1", "badge", "info", id] => *id,
                _ => return None,
            };
            if !https || id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let fetch = format!("https://openbadgepassport.com/app/obpv1/badge/info/{id}");
            return link("obp", Some(fetch), Some("assertion_url"));
        }
        "europa.eu" | "www.europa.eu" => {
            let shows_credential = seg.first() == Some(&"europass")
                && seg[1..]
                    .iter()
                    .any(|s| s.to_ascii_lowercase().contains("credential"));
            return if https && shows_credential {
                link("europass", None, None)
            } else {
                None
            };
        }
        _ => {}
    }
    if let Some(api) = badgr_api_host(host) {
        let id = assertion_id(&seg)?;
        if !https {
            return None;
        }
        let platform = if api == "api.edubadges.nl" {
            "edubadges"
        } else {
            "badgr"
        };
        return link(
            platform,
            Some(format!("https://{api}/public/assertions/{id}")),
            None,
        );
    }
    if is_cities_host(host) {
        return match without_lang(&seg, "badges") {
            ["badges", id] if https && is_plain_id(id) => link("cities-of-learning", None, None),
            _ => None,
        };
    }
    if is_generic_badge(&u, &seg) {
        return link("generic", Some(page.clone()), None);
    }
    None
}

fn credly_fetch(id: &str) -> String {
    format!(
        "https://api.credly.com/v1/obi/v2/badge_assertions/{}",
        id.to_ascii_lowercase()
    )
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The segments without a leading language segment that comes before `next`.
fn without_lang<'s, 'a>(seg: &'s [&'a str], next: &str) -> &'s [&'a str] {
    match seg {
        [lang, rest @ ..] if rest.first() == Some(&next) && is_lang(lang) => rest,
        rest => rest,
    }
}

/// A language segment: `en`, `nl`, `pt-BR`, `sr-Latn`.
fn is_lang(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An identifier segment: 1–128 of `A-Z a-z 0-9 - _`.
fn is_plain_id(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The API host behind a Badgr-style web or API host.
fn badgr_api_host(host: &str) -> Option<String> {
    match host {
        "badgr.com" | "www.badgr.com" | "badgr.io" | "www.badgr.io" | "api.badgr.io" => {
            return Some("api.badgr.io".into())
        }
        "edubadges.nl" | "www.edubadges.nl" | "api.edubadges.nl" => {
            return Some("api.edubadges.nl".into())
        }
        _ => {}
    }
    let region = |r: &str| r.len() == 2 && r.bytes().all(|b| b.is_ascii_lowercase());
    if let Some(r) = host.strip_suffix(".badgr.com").filter(|r| region(r)) {
        return Some(format!("api.{r}.badgr.io"));
    }
    let r = host.strip_prefix("api.")?.strip_suffix(".badgr.io")?;
    region(r).then(|| format!("api.{r}.badgr.io"))
}

/// `public/assertions/{id}[.json]` → the id.
fn assertion_id<'a>(seg: &[&'a str]) -> Option<&'a str> {
    let ["public", "assertions", file] = seg else {
        return None;
    };
    let id = file.strip_suffix(".json").unwrap_or(file);
    is_plain_id(id).then_some(id)
}

fn is_cities_host(host: &str) -> bool {
    let sub = |suffix: &str| {
        host.strip_suffix(suffix)
            .is_some_and(|s| !s.is_empty() && !s.ends_with('.'))
    };
    matches!(
        host,
        "badgequalitylabel.net" | "www.badgequalitylabel.net" | "cityoflearning.eu"
    ) || sub(".cityoflearning.eu")
        || sub(".regionoflearning.eu")
}

/// Hosts whose own rules decide; never tried as generic badge URLs.
fn is_platform_host(host: &str) -> bool {
    let family = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    [
        "linkedin.com",
        "credly.com",
        "youracclaim.com",
        "badgr.com",
        "badgr.io",
        "edubadges.nl",
        "openbadgefactory.com",
        "openbadgepassport.com",
        "europa.eu",
        "cityoflearning.eu",
        "regionoflearning.eu",
        "badgequalitylabel.net",
    ]
    .iter()
    .any(|d| family(d))
}

/// Path segments that announce a badge when another segment follows.
const GENERIC_SEGMENTS: &[&str] = &[
    "assertion",
    "assertions",
    "credential",
    "credentials",
    "badge",
    "badges",
    "openbadges",
];
/// Extensions of files that are not badges by link (images are looked at as images).
const NOT_BADGE_EXTENSIONS: &[&str] = &[
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".html", ".htm", ".pdf", ".css", ".js",
];
/// Extensions of badge documents.
const BADGE_EXTENSIONS: &[&str] = &[".json", ".jsonld", ".jwt"];

fn is_generic_badge(u: &Url<'_>, seg: &[&str]) -> bool {
    if is_platform_host(&u.host) {
        return false;
    }
    let Some(last) = seg.last() else {
        return false;
    };
    let last = last.to_ascii_lowercase();
    if NOT_BADGE_EXTENSIONS.iter().any(|e| last.ends_with(e)) {
        return false;
    }
    if BADGE_EXTENSIONS.iter().any(|e| last.ends_with(e)) {
        return true;
    }
    seg.iter()
        .take(seg.len() - 1)
        .any(|s| GENERIC_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()))
}

/// Words that make an image worth opening as a possibly baked badge, matched as
/// substrings of the lower-cased image path, `alt` and `title` (both the accented and
/// the ASCII-folded spelling are listed, since file names are often folded):
///
/// * en: badge (also badges, openbadge), baked, credential, certificate/certif…;
/// * nl: insigne, certificaat (by `certif`), "badge" is the common Dutch word too;
/// * sl: značka/znacka, priznanje, potrdilo;
/// * lt: ženklelis/zenklelis, ženklas/zenklas, pažymėjimas/pazymejimas, sertifikat(as);
/// * it: distintivo, attestato, certificato (by `certif`), "badge" is common;
/// * es: insignia, credencial, certificado (by `certif`);
/// * sr-Latn: značka/znacka, bedž/bedz, sertifikat, uverenje;
/// * sr-Cyrl: значка, беџ, сертификат, уверење.
pub const IMAGE_HINTS: &[&str] = &[
    "badge",
    "baked",
    "credential",
    "certif",
    "insigne",
    "značka",
    "znacka",
    "priznanje",
    "potrdilo",
    "ženklelis",
    "zenklelis",
    "ženklas",
    "zenklas",
    "pažymėjimas",
    "pazymejimas",
    "sertifikat",
    "distintivo",
    "attestato",
    "insignia",
    "credencial",
    "bedž",
    "bedz",
    "uverenje",
    "значка",
    "беџ",
    "сертификат",
    "уверење",
];

fn has_hint(text: &str) -> bool {
    let lower: String = text.chars().map(fold).collect();
    IMAGE_HINTS.iter().any(|h| lower.contains(h))
}

/// Lower case for the scripts of the hint words — ASCII, Latin Extended-A (š, ž, ė, …)
/// and Cyrillic — without the Unicode case tables `str::to_lowercase` links into the
/// wasm module (about 10 KB for a handful of words).
fn fold(c: char) -> char {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5A => u + 0x20,
        // Latin Extended-A: capitals at even code points (Č 010C/č 010D, Ž 017D/ž 017E is
        // odd/even: the block switches parity at 0139 and back at 0179).
        0x0100..=0x0137 | 0x014A..=0x0177 if u % 2 == 0 => u + 1,
        0x0139..=0x0148 | 0x0179..=0x017E if u % 2 == 1 => u + 1,
        // Cyrillic: Ѐ–Џ → ѐ–џ, А–Я → а–я.
        0x0400..=0x040F => u + 0x50,
        0x0410..=0x042F => u + 0x20,
        _ => u,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Whether an `<img>` may be a baked badge worth downloading: its `src` is an `https`
/// (or loopback `http`) PNG or SVG, or a file without an extension, or a
/// `data:image/png` / `data:image/svg+xml` URL; and its path, `alt` or `title` carries
/// one of the [`IMAGE_HINTS`], or the `src` is a Badgr-style baked endpoint
/// (`/public/assertions/{id}/baked` or `/image`).
pub fn classify_image(src: &str, alt: &str, title: &str) -> bool {
    let src = src.trim();
    if starts_with_ci(src, "data:") {
        let mime = src[5..]
            .split([';', ','])
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        return (mime == "image/png" || mime == "image/svg+xml")
            && (has_hint(alt) || has_hint(title));
    }
    let Some(u) = parse(src) else {
        return false;
    };
    let seg = u.segments();
    if let ["public", "assertions", id, "baked" | "image"] = seg.as_slice() {
        if is_plain_id(id) {
            return true;
        }
    }
    if let Some(last) = seg.last() {
        let last = last.to_ascii_lowercase();
        if let Some((_, ext)) = last.rsplit_once('.') {
            if ext != "png" && ext != "svg" {
                return false;
            }
        }
    }
    has_hint(&url::percent_decode(u.path).unwrap_or_else(|| u.path.to_string()))
        || has_hint(alt)
        || has_hint(title)
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// Media types of `<link rel="alternate">` that point at a badge document.
const ALTERNATE_TYPES: &[&str] = &[
    "application/ld+json",
    "application/json",
    "application/vc+ld+json",
    "application/vc+jwt",
    "application/vc",
];

/// A `<link rel="alternate" href type>`: a generic badge link when `type_` is a JSON-LD,
/// JSON or VC media type and `href` is `https` (or loopback `http`).
pub fn classify_alternate(href: &str, type_: &str) -> Option<Link> {
    let mime = type_
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !ALTERNATE_TYPES.contains(&mime.as_str()) {
        return None;
    }
    let page = parse(href)?.normalized();
    Some(Link {
        fetch: Some(page.clone()),
        page,
        platform: "generic",
        via: None,
    })
}

/// Credly's embed `<div data-share-badge-id="{uuid}" data-share-badge-host="https://www.credly.com">`:
/// the badge's Credly link, when the host is Credly's.
pub fn classify_embed(badge_id: &str, host: &str) -> Option<Link> {
    let h = parse(host)?;
    if h.scheme != "https"
        || !matches!(
            h.host.as_str(),
            "credly.com" | "www.credly.com" | "youracclaim.com" | "www.youracclaim.com"
        )
    {
        return None;
    }
    let id = badge_id.trim();
    if !is_uuid(id) {
        return None;
    }
    classify_link(&format!("https://www.credly.com/badges/{id}"))
}

/// The URL in the top-level string field `field` of platform JSON (e.g. Open Badge
/// Passport's `assertion_url`), when it is `https` (or loopback `http`). The text is
/// parsed with the core's [`Limits`] (2 MiB, depth 64).
pub fn follow_via(json_text: &str, field: &str) -> Option<String> {
    let doc = parse_json(json_text.as_bytes(), Limits::default()).ok()?;
    let value = doc.get(field)?.as_str()?;
    parse(value)?;
    Some(value.trim().to_string())
}

/// `href` without its fragment, when it is a URL detection would fetch: `https`, or
/// `http` to a loopback host; no credentials, control characters or white space; at
/// most [`MAX_URL_BYTES`].
pub fn fetchable(href: &str) -> Option<String> {
    parse(href).map(|u| u.normalized())
}

/// Where a detected badge was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An `<a href>`.
    Link,
    /// An `<img>` that may carry a baked badge.
    Image,
    /// A `<script type="application/ld+json">` holding a badge.
    Script,
    /// A `<link rel="alternate">` to a badge document.
    Alternate,
    /// A Credly embed (`data-share-badge-id`).
    Embed,
    /// The page's own URL.
    Page,
}

impl Source {
    /// The lower-case name (`link`, `image`, …).
    pub fn name(self) -> &'static str {
        match self {
            Source::Link => "link",
            Source::Image => "image",
            Source::Script => "script",
            Source::Alternate => "alternate",
            Source::Embed => "embed",
            Source::Page => "page",
        }
    }
}

/// One badge (or badge link) found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What kind of item it was.
    pub source: Source,
    /// Its position in the [`PageInput`] list of that kind (0 for the page itself).
    pub index: usize,
    /// The link, for links, alternates, embeds and the page; `None` for scripts and
    /// images (their badge is in the page's script text or the image's bytes).
    pub link: Option<Link>,
}

/// The flat JSON form: `{source, index, platform, page, fetch, via}` (nulls where a
/// script or image has no link).
impl Serialize for Found {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'a> {
            source: Source,
            index: usize,
            platform: Option<&'a str>,
            page: Option<&'a str>,
            fetch: Option<&'a str>,
            via: Option<&'a str>,
        }
        let l = self.link.as_ref();
        Flat {
            source: self.source,
            index: self.index,
            platform: l.map(|l| l.platform),
            page: l.map(|l| l.page.as_str()),
            fetch: l.and_then(|l| l.fetch.as_deref()),
            via: l.and_then(|l| l.via),
        }
        .serialize(s)
    }
}

/// An image as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ImageInput {
    /// The absolute `src` (or a `data:` URL).
    pub src: String,
    pub alt: String,
    pub title: String,
}

/// What a page holds, as collected from its DOM (the extension) or HTML (`scan_html`).
/// URLs are absolute. Each list is searched up to its cap ([`MAX_LINKS`],
/// [`MAX_IMAGES`], [`MAX_SCRIPTS`], [`MAX_ALTERNATES`], [`MAX_EMBEDS`]); the rest is
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PageInput {
    /// The page's own URL.
    pub url: String,
    /// `<a href>` targets.
    pub links: Vec<String>,
    pub images: Vec<ImageInput>,
    /// Texts of `<script type="application/ld+json">`.
    pub scripts: Vec<String>,
    /// `<link rel="alternate">` as `(href, type)`.
    pub alternates: Vec<(String, String)>,
    /// Credly embeds as `(data-share-badge-id, data-share-badge-host)`.
    pub embeds: Vec<(String, String)>,
}

/// Every badge on a page, in this order: the page itself, links, images, scripts,
/// alternates, embeds (each in its list's order). Not deduplicated.
pub fn detect_page(page: &PageInput) -> Vec<Found> {
    let mut out = Vec::new();
    let found = |source, index, link| Found {
        source,
        index,
        link,
    };
    if let Some(l) = classify_link(&page.url) {
        out.push(found(Source::Page, 0, Some(l)));
    }
    for (i, href) in page.links.iter().take(MAX_LINKS).enumerate() {
        if let Some(l) = classify_link(href) {
            out.push(found(Source::Link, i, Some(l)));
        }
    }
    for (i, img) in page.images.iter().take(MAX_IMAGES).enumerate() {
        if classify_image(&img.src, &img.alt, &img.title) {
            out.push(found(Source::Image, i, None));
        }
    }
    for (i, text) in page.scripts.iter().take(MAX_SCRIPTS).enumerate() {
        if script_is_badge(text) {
            out.push(found(Source::Script, i, None));
        }
    }
    for (i, (href, ty)) in page.alternates.iter().take(MAX_ALTERNATES).enumerate() {
        if let Some(l) = classify_alternate(href, ty) {
            out.push(found(Source::Alternate, i, Some(l)));
        }
    }
    for (i, (id, host)) in page.embeds.iter().take(MAX_EMBEDS).enumerate() {
        if let Some(l) = classify_embed(id, host) {
            out.push(found(Source::Embed, i, Some(l)));
        }
    }
    out
}

/// Types that make a JSON object a badge.
const BADGE_TYPES: &[&str] = &[
    "Assertion",
    "VerifiableCredential",
    "OpenBadgeCredential",
    "AchievementCredential",
];

/// Whether a JSON-LD script's text is a badge: a compact JWS (a VC-JWT or a signed
/// assertion), or JSON (within the core's [`Limits`]) that is, or lists in a top-level
/// array or `@graph`, an object whose `type`/`@type` names an Open Badges assertion or
/// a Verifiable Credential.
pub fn script_is_badge(text: &str) -> bool {
    let text = text.trim();
    if crate::baked::looks_like_jws(text) {
        return true;
    }
    let Ok(doc) = parse_json(text.as_bytes(), Limits::default()) else {
        return false;
    };
    let typed = |v: &Value| {
        ["type", "@type"].iter().any(|k| match v.get(k) {
            Some(Value::String(s)) => is_badge_type(s),
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is_badge_type),
            _ => false,
        })
    };
    match &doc {
        Value::String(s) => crate::baked::looks_like_jws(s.trim()),
        Value::Array(items) => items.iter().take(MAX_SCRIPTS).any(typed),
        obj => {
            typed(obj)
                || obj
                    .get("@graph")
                    .and_then(Value::as_array)
                    .is_some_and(|g| g.iter().take(MAX_SCRIPTS).any(typed))
        }
    }
}

fn is_badge_type(t: &str) -> bool {
    // Compact IRIs and full IRIs end in the term.
    let term = t.rsplit([':', '/', '#']).next().unwrap_or(t);
    BADGE_TYPES.contains(&term)
}

#[cfg(test)]
mod tests;
