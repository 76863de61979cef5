//! `qlabel scan`: finds the badges on a web page (a saved HTML file, standard input or a
//! live URL) with the core's detection rules (`qlabel_core::detect`, the same the
//! browser extension uses) and verifies each, a few at a time.

use crate::fetch::{HttpFetch, LocalSite};
use clap::Args;
use qlabel_core::detect::{self, Found, PageInput, Source};
use qlabel_core::fetch::{block_on, Expect, Fetch, FetchError, Fetched, Offline};
use qlabel_core::report::{BadgeStatus, LabelStatus, Report};
use qlabel_core::Options;
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// Badges verified at the same time.
const THREADS: usize = 4;
/// Longest name shown in a line of the human output.
const NAME_WIDTH: usize = 40;

/// What `qlabel scan --help` says after the options.
pub const AFTER_HELP: &str = "\
Finds badges on the page: links to hosted badges (Credly, Canvas Credentials/Badgr,
edubadges, Open Badge Factory, Open Badge Passport, plain Open Badges URLs, also
behind LinkedIn's redirect links), images with baked badges, JSON-LD badges in
<script type=\"application/ld+json\">, <link rel=\"alternate\"> badge documents and
Credly embeds. Links to platforms without a machine-readable badge (Cities of
Learning, Europass) are listed as unverifiable. Badges are deduplicated by the URL
they are fetched from (the first one found wins); images without a baked badge are
left out.

Output: one line per badge (badge status, label status, name, platform, where it was
found) and a summary; with --json, {\"schema\":\"qlabel-scan/1\",\"page\",\"badges\":[{\"source\",
\"platform\",\"page\",\"fetch\",\"report\",\"error\"}]}, each report as `qlabel verify --json`
prints it.

Exit status: 0 every badge found is valid, or the page has none (\"no badges found\");
1 some badge is invalid, revoked, expired or not yet valid; 3 some badge could not be
verified (and none is invalid); 2 usage error or unreadable page.";

/// `qlabel scan` options: those of `qlabel verify`, plus `--base`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The page: a saved HTML file, - for standard input, or a URL (https://…) to fetch.
    pub input: String,
    /// Print qlabel-scan/1 JSON instead of lines.
    #[arg(long)]
    pub json: bool,
    /// Judge validity at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Never use the network: badges that need it are reported unverifiable.
    #[arg(long)]
    pub offline: bool,
    /// The earner (email address or URL) the badges must have been awarded to.
    #[arg(long, value_name = "EMAIL|URL")]
    pub recipient: Option<String>,
    /// Time budget for fetching the page, and for all the requests of one badge, in
    /// seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    /// A trust-anchor file (`qlabel authority trust` output). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// The label registry to consult: a URL, or a registry.json in a published site
    /// folder.
    #[arg(long, value_name = "FILE|URL")]
    pub registry: Option<String>,
    /// The page's URL, to resolve relative links of a saved file (a fetched page's
    /// own URL is used otherwise).
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

/// What to do with one badge.
#[derive(Debug, Clone)]
enum Work {
    /// Verify the badge at this URL (after following `via` when set).
    Url(String, Option<&'static str>),
    /// The platform offers nothing to verify.
    LinkOnly,
    /// An image that may be baked: its `src`.
    Image(String),
    /// A JSON-LD script's text.
    Script(String),
}

#[derive(Debug, Clone)]
struct Job {
    source: Source,
    index: usize,
    platform: Option<&'static str>,
    page: Option<String>,
    fetch: Option<String>,
    work: Work,
}

/// The result for one job.
enum Outcome {
    Report(Box<Report>),
    Error(&'static str, String),
    /// An image without a baked badge: not a badge at all.
    NotABadge,
}

/// Runs `qlabel scan`; the exit status.
pub fn run(a: ScanArgs) -> Result<u8, String> {
    let at = match &a.at {
        Some(t) => crate::parse_time(t)?,
        None => OffsetDateTime::now_utc(),
    };
    let mut options = Options::at(at);
    options.recipient = a.recipient.clone();
    for file in &a.trust {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        options.trust.extend(
            qlabel_core::label::TrustAnchor::parse_many(&text)
                .map_err(|e| format!("{}: {e}", file.display()))?,
        );
    }
    let mut site = None;
    if let Some(r) = &a.registry {
        if r.starts_with("https://") || r.starts_with("http://") {
            options.registry = Some(r.clone());
        } else {
            let local = LocalSite::open(Path::new(r))?;
            options.registry = Some(local.registry_url.clone());
            site = Some(local);
        }
    }
    let timeout = Duration::from_secs(a.timeout.max(1));
    let (html, fetched_url) = read_page(&a.input, a.offline, timeout)?;
    let base = a.base.clone().or(fetched_url).unwrap_or_default();
    let page = detect::collect_html(&html, &base);
    let jobs = jobs(&detect::detect_page(&page), &page);
    let ctx = Ctx {
        options,
        site,
        offline: a.offline,
        web: HttpFetch::new(timeout),
        images: HttpFetch::new(timeout).with_max_bytes(qlabel_core::baked::MAX_IMAGE_BYTES),
    };
    let outcomes = verify_all(&jobs, &ctx);
    let entries: Vec<(Job, Outcome)> = jobs
        .into_iter()
        .zip(outcomes)
        .filter(|(_, o)| !matches!(o, Outcome::NotABadge))
        .collect();
    let page_name = if a.input == "-" {
        "stdin".to_string()
    } else {
        a.input.clone()
    };
    if a.json {
        let text = serde_json::to_string_pretty(&scan_json(&page_name, &entries))
            .map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_lines(&entries);
    }
    Ok(exit_code(&entries))
}

/// The page's HTML and, when it was fetched, its final URL.
fn read_page(
    input: &str,
    offline: bool,
    timeout: Duration,
) -> Result<(String, Option<String>), String> {
    let is_url = input.starts_with("https://") || input.starts_with("http://");
    if !is_url {
        let buf = crate::read_limited(input, detect::MAX_HTML_BYTES as u64)?;
        return Ok((String::from_utf8_lossy(&buf).into_owned(), None));
    }
    if offline {
        return Err(format!("{input}: --offline: the page is not fetched"));
    }
    let (body, url) = fetch_page(input, timeout).map_err(|e| format!("{input}: {e}"))?;
    Ok((String::from_utf8_lossy(&body).into_owned(), Some(url)))
}

/// Fetches an HTML page with the verifier's rules (https, or http to this machine; at
/// most 5 redirects, each held to the same rule; a time budget; at most
/// `MAX_HTML_BYTES`). The core's fetcher expects badge documents, not HTML, hence this.
fn fetch_page(url: &str, timeout: Duration) -> Result<(Vec<u8>, String), String> {
    let deadline = std::time::Instant::now() + timeout;
    let agent = ureq::config::Config::builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("qlabel/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    let mut current = detect::fetchable(url)
        .ok_or("only https URLs (or http to this machine) without credentials are fetched")?;
    for _ in 0..=crate::fetch::MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(format!("no answer within {} s", timeout.as_secs()));
        }
        let loopback = current.starts_with("http://");
        let config = agent
            .get(&current)
            .header(
                "accept",
                "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
            )
            .config()
            .timeout_global(Some(left));
        let config = if loopback { config.proxy(None) } else { config };
        let mut response = config.build().call().map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or(format!("HTTP {status} without a Location"))?;
            current = detect::resolve(&current, location)
                .and_then(|u| detect::fetchable(&u))
                .ok_or(format!("refused redirect to {location}"))?;
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}"));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(detect::MAX_HTML_BYTES as u64)
            .read_to_vec()
            .map_err(|e| e.to_string())?;
        return Ok((body, current));
    }
    Err(format!(
        "more than {} redirects",
        crate::fetch::MAX_REDIRECTS
    ))
}

/// One job per distinct badge: the first occurrence of each fetch URL (or page URL
/// for link-only badges, or image source) wins.
fn jobs(found: &[Found], page: &PageInput) -> Vec<Job> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in found {
        let job = match (&f.link, f.source) {
            (Some(l), _) => Job {
                source: f.source,
                index: f.index,
                platform: Some(l.platform),
                page: Some(l.page.clone()),
                fetch: l.fetch.clone(),
                work: match &l.fetch {
                    Some(u) => Work::Url(u.clone(), l.via),
                    None => Work::LinkOnly,
                },
            },
            (None, Source::Image) => {
                let Some(img) = page.images.get(f.index) else {
                    continue;
                };
                let remote = !img
                    .src
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("data:"));
                Job {
                    source: f.source,
                    index: f.index,
                    platform: None,
                    page: Some(if remote {
                        img.src.clone()
                    } else {
                        shorten(&img.src, 48)
                    }),
                    fetch: remote.then(|| img.src.clone()),
                    work: Work::Image(img.src.clone()),
                }
            }
            (None, Source::Script) => {
                let Some(text) = page.scripts.get(f.index) else {
                    continue;
                };
                Job {
                    source: f.source,
                    index: f.index,
                    platform: None,
                    page: None,
                    fetch: None,
                    work: Work::Script(text.clone()),
                }
            }
            (None, _) => continue,
        };
        let key = match &job.work {
            Work::Url(u, _) => Some(u.clone()),
            Work::LinkOnly => job.page.clone(),
            Work::Image(src) => Some(format!("image:{src}")),
            Work::Script(text) => Some(format!("script:{text}")),
        };
        if key.is_none_or(|k| seen.insert(k)) {
            out.push(job);
        }
    }
    out
}

/// What every verification shares.
struct Ctx {
    options: Options,
    site: Option<LocalSite>,
    offline: bool,
    /// Template of the per-badge fetcher (renewed for each badge).
    web: HttpFetch,
    /// The same for images, with the image size limit.
    images: HttpFetch,
}

/// The network, or none (`--offline`).
enum Net {
    Off,
    Web(HttpFetch),
}

impl Fetch for Net {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        match self {
            Net::Off => Offline.fetch(url, expect).await,
            Net::Web(h) => h.fetch_blocking(url, expect),
        }
    }
}

impl Ctx {
    fn net(&self, template: &HttpFetch) -> Net {
        if self.offline {
            Net::Off
        } else {
            Net::Web(template.renewed())
        }
    }

    fn verify(&self, bytes: &[u8], source: String) -> Outcome {
        let mut options = self.options.clone();
        options.source = Some(source);
        let net = self.net(&self.web);
        let result = match &self.site {
            Some(site) => block_on(qlabel_core::verify(
                bytes,
                &options,
                &site.clone().over(net),
            )),
            None => block_on(qlabel_core::verify(bytes, &options, &net)),
        };
        match result {
            Ok(report) => Outcome::Report(Box::new(report)),
            Err(e) => Outcome::Error(e.code(), e.to_string()),
        }
    }

    fn run(&self, job: &Job) -> Outcome {
        match &job.work {
            Work::LinkOnly => Outcome::Error(
                "link-only",
                format!(
                    "{} offers no machine-readable badge to verify; open the page to see it",
                    platform_name(job.platform)
                ),
            ),
            Work::Url(url, None) => self.verify(url.as_bytes(), url.clone()),
            Work::Url(url, Some(field)) => {
                let got = block_on(self.net(&self.web).fetch(url, Expect::Json));
                let text = match got {
                    Ok(f) => String::from_utf8_lossy(&f.body).into_owned(),
                    Err(e) => return Outcome::Error("fetch-failed", e.to_string()),
                };
                match detect::follow_via(&text, field) {
                    Some(target) => self.verify(target.as_bytes(), target.clone()),
                    None => Outcome::Error(
                        "no-badge-url",
                        format!("{url} names no badge URL in its '{field}' field"),
                    ),
                }
            }
            Work::Image(src) => {
                let bytes = if let Some(data) = decode_data_url(src) {
                    data
                } else {
                    match block_on(self.net(&self.images).fetch(src, Expect::Image)) {
                        Ok(f) => f.body,
                        Err(e) => return Outcome::Error("fetch-failed", e.to_string()),
                    }
                };
                if detect::baked_in_prefix(&bytes) != detect::Prefix::Badge {
                    return Outcome::NotABadge;
                }
                let source = if job.fetch.is_some() {
                    src.clone()
                } else {
                    format!("image #{} (data: URL)", job.index)
                };
                self.verify(&bytes, source)
            }
            Work::Script(text) => self.verify(
                text.as_bytes(),
                format!("script #{} on the page", job.index),
            ),
        }
    }
}

fn platform_name(platform: Option<&str>) -> &str {
    match platform {
        Some("cities-of-learning") => "Cities of Learning",
        Some("europass") => "Europass",
        Some(p) => p,
        None => "this source",
    }
}

/// The bytes of a `data:` URL (base64 or percent-encoded); `None` when `src` is not
/// one or is broken.
fn decode_data_url(src: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    if !src.get(..5)?.eq_ignore_ascii_case("data:") {
        return None;
    }
    let (meta, payload) = src[5..].split_once(',')?;
    if meta.to_ascii_lowercase().ends_with(";base64") {
        let clean: String = payload
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let clean = clean.trim_end_matches('=');
        return base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(clean)
            .ok();
    }
    let bytes = payload.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Verifies the jobs, [`THREADS`] at a time, with a progress line on a terminal.
fn verify_all(jobs: &[Job], ctx: &Ctx) -> Vec<Outcome> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = jobs.len() > 3 && std::io::stderr().is_terminal();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..THREADS.min(jobs.len()) {
            let tx = tx.clone();
            let (next, done) = (&next, &done);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let outcome = ctx.run(job);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if progress {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\rverifying {n}/{} badges…", jobs.len());
                    let _ = err.flush();
                }
                if tx.send((i, outcome)).is_err() {
                    break;
                }
            });
        }
    });
    drop(tx);
    if progress {
        eprint!("\r\x1b[2K");
    }
    let mut slots: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
    for (i, outcome) in rx {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(outcome);
        }
    }
    slots
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Error("internal", "not verified".into())))
        .collect()
}

fn kebab<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The badge status an entry counts as.
fn status_of(o: &Outcome) -> BadgeStatus {
    match o {
        Outcome::Report(r) => r.badge.status,
        _ => BadgeStatus::Unverifiable,
    }
}

fn exit_code(entries: &[(Job, Outcome)]) -> u8 {
    let codes: Vec<i32> = entries
        .iter()
        .map(|(_, o)| status_of(o).exit_code())
        .collect();
    if codes.contains(&1) {
        1
    } else if codes.contains(&3) {
        3
    } else {
        0
    }
}

/// Where a badge was found, for people.
fn origin(job: &Job) -> String {
    match (&job.work, &job.page) {
        (Work::Script(_), _) => format!("script #{}", job.index),
        (Work::Image(_), _) if job.fetch.is_none() => format!("image #{} (data: URL)", job.index),
        (_, Some(p)) => p.clone(),
        (_, None) => job.source.name().to_string(),
    }
}

fn shorten(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let cut: String = s.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

fn print_lines(entries: &[(Job, Outcome)]) {
    if entries.is_empty() {
        println!("no badges found");
        return;
    }
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|(job, o)| {
            let (badge, label, name) = match o {
                Outcome::Report(r) => (
                    kebab(r.badge.status),
                    kebab(r.label.status),
                    r.badge.name.clone().unwrap_or_else(|| "—".into()),
                ),
                _ => ("unverifiable".into(), "—".into(), "—".into()),
            };
            let platform = job
                .platform
                .map(str::to_string)
                .unwrap_or_else(|| job.source.name().to_string());
            [
                badge,
                label,
                shorten(name.trim(), NAME_WIDTH),
                platform,
                origin(job),
            ]
        })
        .collect();
    let width = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2), width(3)];
    for (row, (_, o)) in rows.iter().zip(entries) {
        let mut line = String::new();
        for (k, w) in widths.iter().enumerate() {
            let pad = w - row[k].chars().count();
            line.push_str(&row[k]);
            line.push_str(&" ".repeat(pad + 2));
        }
        line.push_str(&row[4]);
        println!("{line}");
        if let Outcome::Error(code, message) = o {
            println!("    {code}: {message}");
        }
    }
    println!("{}", summary(entries));
}

/// `5 badges: 2 labelled, 1 valid without a confirmed label, 1 invalid, 1 unverifiable`.
fn summary(entries: &[(Job, Outcome)]) -> String {
    let (mut labelled, mut unlabelled, mut invalid, mut unverifiable) = (0, 0, 0, 0);
    for (_, o) in entries {
        match (status_of(o), o) {
            (BadgeStatus::Valid, Outcome::Report(r)) if r.label.status == LabelStatus::Labelled => {
                labelled += 1
            }
            (BadgeStatus::Valid, _) => unlabelled += 1,
            (BadgeStatus::Unverifiable, _) => unverifiable += 1,
            _ => invalid += 1,
        }
    }
    let n = entries.len();
    let parts: Vec<String> = [
        (labelled, "labelled"),
        (unlabelled, "valid without a confirmed label"),
        (invalid, "invalid"),
        (unverifiable, "unverifiable"),
    ]
    .iter()
    .filter(|(k, _)| *k > 0)
    .map(|(k, what)| format!("{k} {what}"))
    .collect();
    format!(
        "{n} badge{}: {}",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn scan_json(page: &str, entries: &[(Job, Outcome)]) -> Value {
    let badges: Vec<Value> = entries
        .iter()
        .map(|(job, o)| {
            let (report, error) = match o {
                Outcome::Report(r) => (serde_json::to_value(r).unwrap_or(Value::Null), Value::Null),
                Outcome::Error(code, message) => {
                    (Value::Null, json!({"code": code, "message": message}))
                }
                Outcome::NotABadge => (Value::Null, Value::Null),
            };
            json!({
                "source": job.source.name(),
                "index": job.index,
                "platform": job.platform,
                "page": job.page,
                "fetch": job.fetch,
                "report": report,
                "error": error,
            })
        })
        .collect();
    json!({"schema": "qlabel-scan/1", "page": page, "badges": badges})
}
