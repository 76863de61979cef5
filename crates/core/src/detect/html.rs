//! Finding badges in an HTML page (feature `html`, for `qlabel scan`).
//!
//! The page is parsed with `scraper`, i.e. html5ever: the WHATWG HTML parser of the
//! Servo project, which turns any input into a tree the way browsers do, without
//! panicking on malformed markup. It is bigger than a lenient tokenizer such as `tl`,
//! but the extension sees pages as browsers build them, and so should `qlabel scan`.
//! The feature is off by default: the extension (qlabel-wasm) gets its page from the
//! DOM and needs no parser.

use super::{detect_page, resolve, Found, ImageInput, PageInput};
use super::{MAX_ALTERNATES, MAX_EMBEDS, MAX_IMAGES, MAX_LINKS, MAX_SCRIPTS};
use scraper::{ElementRef, Html};

/// Largest page read, in bytes: a longer one is cut there (at a character boundary)
/// before parsing.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// Every badge in an HTML page: collects `a[href]`, `img[src|alt|title]` (`data-src`
/// when there is no `src`), the text of `script[type=application/ld+json]`,
/// `link[rel~=alternate][href][type]` and `[data-share-badge-id][data-share-badge-host]`,
/// resolves relative URLs against `base_url` (or the page's first `<base href>`), and
/// runs [`detect_page`] with `base_url` as the page's URL. Indexes in the result are
/// positions in those lists, in document order.
pub fn scan_html(html: &str, base_url: &str) -> Vec<Found> {
    detect_page(&collect_html(html, base_url))
}

/// The page's items as [`scan_html`] collects them (for callers that need the image
/// sources and script texts that [`Found::index`] points at). Each list is capped as
/// [`detect_page`] caps it.
pub fn collect_html(html: &str, base_url: &str) -> PageInput {
    let mut cut = html.len().min(MAX_HTML_BYTES);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let doc = Html::parse_document(&html[..cut]);
    let elements = || doc.tree.nodes().filter_map(ElementRef::wrap);
    let base = elements()
        .find(|e| e.value().name() == "base" && e.value().attr("href").is_some())
        .and_then(|e| resolve(base_url, e.value().attr("href").unwrap_or_default()))
        .unwrap_or_else(|| base_url.to_string());
    let abs = |r: &str| resolve(&base, r);
    let mut page = PageInput {
        url: base_url.to_string(),
        ..PageInput::default()
    };
    for e in elements() {
        let el = e.value();
        let attr = |n: &str| el.attr(n).unwrap_or_default();
        match el.name() {
            "a" | "area" if page.links.len() < MAX_LINKS => {
                if let Some(href) = el.attr("href").and_then(abs) {
                    page.links.push(href);
                }
            }
            "img" if page.images.len() < MAX_IMAGES => {
                let src = el.attr("src").or_else(|| el.attr("data-src"));
                if let Some(src) = src.and_then(abs) {
                    page.images.push(ImageInput {
                        src,
                        alt: attr("alt").to_string(),
                        title: attr("title").to_string(),
                    });
                }
            }
            "script" if page.scripts.len() < MAX_SCRIPTS => {
                let ty = attr("type").split(';').next().unwrap_or_default().trim();
                if ty.eq_ignore_ascii_case("application/ld+json") {
                    page.scripts.push(e.text().collect());
                }
            }
            "link" if page.alternates.len() < MAX_ALTERNATES => {
                let alternate = attr("rel")
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("alternate"));
                if let (true, Some(href), Some(ty)) =
                    (alternate, el.attr("href").and_then(abs), el.attr("type"))
                {
                    page.alternates.push((href, ty.to_string()));
                }
            }
            _ => {}
        }
        if let (Some(id), Some(host)) = (
            el.attr("data-share-badge-id"),
            el.attr("data-share-badge-host"),
        ) {
            if page.embeds.len() < MAX_EMBEDS {
                page.embeds.push((id.to_string(), host.to_string()));
            }
        }
    }
    page
}
