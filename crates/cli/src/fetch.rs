//! The CLI's network access: [`HttpFetch`], a blocking [`Fetch`] over `ureq`.
//!
//! Every document a verification needs (hosted assertions, issuer profiles, keys,
//! status lists, the label registry) comes through here, with strict limits so that a
//! hostile or broken server cannot stall or flood the verifier:
//!
//! - **time**: one budget per badge verification ([`DEFAULT_TIMEOUT`], 10 s), shared by
//!   all its requests: the deadline runs from [`HttpFetch::new`] (or
//!   [`HttpFetch::renewed`]); each request gets what is left, then
//!   [`FetchError::Timeout`]. Connecting has its own, shorter limit
//!   ([`DEFAULT_CONNECT_TIMEOUT`]);
//! - **size**: at most [`DEFAULT_MAX_BYTES`] (2 MiB) per document, counted after
//!   decompression while reading, and refused early on a larger `Content-Length`
//!   ([`FetchError::TooLarge`]);
//! - **redirects**: followed by hand, at most [`MAX_REDIRECTS`], loops refused, every hop
//!   recorded in [`Fetched::redirects`] and held to the scheme rule;
//! - **schemes**: `https` only, except plain `http` to loopback hosts (`127.0.0.0/8`,
//!   `::1`, `localhost`) for tests and `qlabel demo`; other schemes, plain `http`
//!   elsewhere and URLs with credentials are [`FetchError::Refused`] before connecting;
//! - **content type**: checked with [`Expect::accepts`] ([`FetchError::ContentType`]).
//!
//! Blocking inside the `async fn` is intended: the CLI drives verifications with
//! [`qlabel_core::fetch::block_on`]. The core's `Session` caches and logs requests, so
//! this fetcher does neither.

use qlabel_core::fetch::{Expect, Fetch, FetchError, Fetched};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

/// The default time budget of one badge verification, shared by all its requests.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default limit for establishing one connection (DNS, TCP, TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default size limit of one document, in bytes (2 MiB).
pub const DEFAULT_MAX_BYTES: usize = 2 * 1024 * 1024;
/// How many redirects one request may follow.
pub const MAX_REDIRECTS: usize = 5;

/// `User-Agent` of every request.
const USER_AGENT: &str = concat!("qlabel/", env!("CARGO_PKG_VERSION"));

/// Fetches documents over HTTPS (and plain HTTP to loopback hosts) within a time budget,
/// a size limit and a redirect limit. See the [module documentation](self).
///
/// One `HttpFetch` serves one badge verification: its deadline starts when it is made.
/// For a batch, make a fresh one per badge with [`HttpFetch::renewed`], which keeps the
/// settings and the connection pool.
#[derive(Debug, Clone)]
pub struct HttpFetch {
    agent: ureq::Agent,
    budget: Duration,
    deadline: Instant,
    connect_timeout: Duration,
    max_bytes: usize,
}

impl Default for HttpFetch {
    /// [`HttpFetch::new`] with [`DEFAULT_TIMEOUT`].
    fn default() -> Self {
        HttpFetch::new(DEFAULT_TIMEOUT)
    }
}

impl HttpFetch {
    /// A fetcher whose requests must all be done within `timeout` from now, with the
    /// default connect timeout and size limit.
    pub fn new(timeout: Duration) -> Self {
        let agent = ureq::config::Config::builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(USER_AGENT)
            .build()
            .new_agent();
        HttpFetch {
            agent,
            budget: timeout,
            deadline: Instant::now() + timeout,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// What is left of the budget.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Fetches `url` (its fragment ignored), following redirects, as [`Fetch::fetch`]
    /// does but without a future.
    pub fn fetch_blocking(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let mut current = strip_fragment(url.trim()).to_string();
        let mut loopback = check_url(&current)?;
        let mut redirects: Vec<String> = Vec::new();
        let mut seen = vec![current.clone()];
        loop {
            let mut response = self.request(&current, expect, loopback)?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| FetchError::Redirect {
                        url: current.clone(),
                        reason: format!("HTTP {status} without a usable Location"),
                    })?;
                let next = resolve(&current, location);
                if redirects.len() >= MAX_REDIRECTS {
                    return Err(FetchError::Redirect {
                        url: url.to_string(),
                        reason: format!("more than {MAX_REDIRECTS} redirects"),
                    });
                }
                if seen.contains(&next) {
                    return Err(FetchError::Redirect {
                        url: url.to_string(),
                        reason: format!("redirect loop at {next}"),
                    });
                }
                loopback = check_url(&next).map_err(|e| match e {
                    FetchError::Refused { url, reason } => FetchError::Refused {
                        reason: format!("redirect from {current}: {reason}"),
                        url,
                    },
                    other => other,
                })?;
                redirects.push(next.clone());
                seen.push(next.clone());
                current = next;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status {
                    url: current,
                    status,
                });
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string());
            if !expect.accepts(content_type.as_deref()) {
                return Err(FetchError::ContentType {
                    url: current,
                    content_type: content_type.unwrap_or_default(),
                    expected: expect.name().to_string(),
                });
            }
            let limit = self.max_bytes;
            if response
                .body()
                .content_length()
                .is_some_and(|n| n > limit as u64)
            {
                return Err(FetchError::TooLarge {
                    url: current,
                    limit,
                });
            }
            let body = response
                .body_mut()
                .with_config()
                .limit(limit as u64)
                .read_to_vec()
                .map_err(|e| self.error(&current, e))?;
            return Ok(Fetched {
                url: current,
                redirects,
                content_type,
                body,
            });
        }
    }

    /// One GET, without following redirects, within what is left of the budget.
    fn request(
        &self,
        url: &str,
        expect: Expect,
        loopback: bool,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let remaining = self.remaining();
        if remaining.is_zero() {
            return Err(self.timeout(url));
        }
        let config = self
            .agent
            .get(url)
            .header("accept", accept(expect))
            .config()
            .timeout_global(Some(remaining))
            .timeout_connect(Some(self.connect_timeout.min(remaining)));
        // A proxy from the environment is for the outside world, not for this machine.
        let config = if loopback { config.proxy(None) } else { config };
        config.build().call().map_err(|e| self.error(url, e))
    }

    fn timeout(&self, url: &str) -> FetchError {
        FetchError::Timeout {
            url: url.to_string(),
            millis: millis(self.budget),
        }
    }

    /// Maps a `ureq` error to the core's terms, with a short reason.
    fn error(&self, url: &str, error: ureq::Error) -> FetchError {
        use std::io::ErrorKind;
        let network = |reason: String| FetchError::Network {
            url: url.to_string(),
            reason,
        };
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve)
                if self.remaining() > Duration::from_millis(50) =>
            {
                FetchError::Timeout {
                    url: url.to_string(),
                    millis: millis(self.connect_timeout),
                }
            }
            ureq::Error::Timeout(_) => self.timeout(url),
            ureq::Error::Io(e) if e.kind() == ErrorKind::TimedOut => self.timeout(url),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                url: url.to_string(),
                limit: self.max_bytes,
            },
            ureq::Error::BadUri(reason) => FetchError::Refused {
                url: url.to_string(),
                reason: format!("malformed URL: {reason}"),
            },
            ureq::Error::HostNotFound => network("host not found".into()),
            ureq::Error::ConnectionFailed => network("connection failed".into()),
            ureq::Error::Io(e) => network(match e.kind() {
                ErrorKind::ConnectionRefused => "connection refused".into(),
                ErrorKind::ConnectionReset => "connection reset".into(),
                ErrorKind::UnexpectedEof => "connection closed early".into(),
                _ => e.to_string(),
            }),
            ureq::Error::Tls(reason) => network(format!("TLS: {reason}")),
            ureq::Error::Protocol(e) => network(format!("bad HTTP response: {e}")),
            other => network(other.to_string()),
        }
    }
}

/// Options and batch use. Not every front end needs each of them, hence the `allow`.
#[allow(dead_code)]
impl HttpFetch {
    /// Sets the size limit of one document, in bytes.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Sets the limit for establishing one connection (never more than what is left of
    /// the budget).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The same fetcher (settings and connection pool) with a full budget from now: one
    /// per badge when verifying several.
    pub fn renewed(&self) -> Self {
        HttpFetch {
            deadline: Instant::now() + self.budget,
            ..self.clone()
        }
    }
}

impl Fetch for HttpFetch {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        self.fetch_blocking(url, expect)
    }
}

/// The `Accept` header for what is expected.
fn accept(expect: Expect) -> &'static str {
    match expect {
        Expect::Json | Expect::Registry | Expect::StatusList => {
            "application/ld+json, application/json;q=0.9"
        }
        Expect::Image => "image/png, image/svg+xml",
        Expect::Badge => {
            "application/ld+json, application/json;q=0.9, image/png, image/svg+xml, */*;q=0.1"
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn strip_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// The parts of an absolute URL: scheme (lower case), authority, path, query (with `?`).
struct Parts<'a> {
    scheme: String,
    authority: &'a str,
    path: &'a str,
    query: &'a str,
}

/// The scheme of a URL or reference, if it has one (RFC 3986 `scheme ":"`).
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn split(url: &str) -> Option<Parts<'_>> {
    let scheme = scheme_of(url)?;
    let rest = url[scheme.len() + 1..].strip_prefix("//")?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    let q = rest.find('?').unwrap_or(rest.len());
    let (path, query) = rest.split_at(q);
    Some(Parts {
        scheme: scheme.to_ascii_lowercase(),
        authority,
        path,
        query,
    })
}

/// Whether a URL may be fetched: `https`, or `http` to a loopback host; no credentials.
/// Returns whether the host is a loopback host.
fn check_url(url: &str) -> Result<bool, FetchError> {
    let refuse = |reason: String| FetchError::Refused {
        url: url.to_string(),
        reason,
    };
    let Some(scheme) = scheme_of(url) else {
        return Err(refuse("not an absolute URL".into()));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(refuse(format!(
            "{scheme}: URLs are not fetched; only https (or http to this machine)"
        )));
    }
    let Some(parts) = split(url) else {
        return Err(refuse("malformed URL".into()));
    };
    if parts.authority.contains('@') {
        return Err(refuse(
            "URLs with credentials (user@host) are refused".into(),
        ));
    }
    let host = host_of(parts.authority);
    if host.is_empty() {
        return Err(refuse("the URL has no host".into()));
    }
    let loopback = is_loopback(host);
    if scheme == "http" && !loopback {
        return Err(refuse(
            "plain http is only fetched from this machine (loopback); use https".into(),
        ));
    }
    Ok(loopback)
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), without brackets.
fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    if let Ok(v6) = host.parse::<Ipv6Addr>() {
        return v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback());
    }
    false
}

/// Resolves a `Location` against the URL that sent it (RFC 3986 §5.2), fragment dropped.
fn resolve(base: &str, reference: &str) -> String {
    let reference = strip_fragment(reference);
    if scheme_of(reference).is_some() {
        return reference.to_string();
    }
    let Some(b) = split(base) else {
        return reference.to_string();
    };
    if reference.starts_with("//") {
        return format!("{}:{reference}", b.scheme);
    }
    let origin = format!("{}://{}", b.scheme, b.authority);
    if reference.is_empty() {
        return format!("{origin}{}{}", b.path, b.query);
    }
    if reference.starts_with('?') {
        return format!("{origin}{}{reference}", b.path);
    }
    let q = reference.find('?').unwrap_or(reference.len());
    let (path, query) = reference.split_at(q);
    let merged = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = b.path.rfind('/').map_or("/", |i| &b.path[..=i]);
        format!("{dir}{path}")
    };
    format!("{origin}{}{query}", remove_dot_segments(&merged))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_locations() {
        let base = "http://127.0.0.1:8080/a/b/c?x=1";
        assert_eq!(resolve(base, "d"), "http://127.0.0.1:8080/a/b/d");
        assert_eq!(resolve(base, "../d?y"), "http://127.0.0.1:8080/a/d?y");
        assert_eq!(resolve(base, "/d#f"), "http://127.0.0.1:8080/d");
        assert_eq!(resolve(base, "?z"), "http://127.0.0.1:8080/a/b/c?z");
        assert_eq!(resolve(base, "./"), "http://127.0.0.1:8080/a/b/");
        assert_eq!(resolve(base, "//h.example/p"), "http://h.example/p");
        assert_eq!(resolve(base, "https://x.example/"), "https://x.example/");
        assert_eq!(
            resolve("https://h.example", "p"),
            "https://h.example/p".to_string()
        );
    }

    #[test]
    fn scheme_rule() {
        assert_eq!(check_url("https://example.org/x").ok(), Some(false));
        assert_eq!(check_url("http://127.0.0.7:1/x").ok(), Some(true));
        assert_eq!(check_url("http://[::1]:80/").ok(), Some(true));
        assert_eq!(check_url("HTTP://LocalHost/").ok(), Some(true));
        for bad in [
            "http://example.org/",
            "http://127.0.0.1.example.org/",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
            "data:application/json,{}",
            "https://user:pw@example.org/",
            "https:///path",
            "example.org/x",
        ] {
            assert!(
                matches!(check_url(bad), Err(FetchError::Refused { .. })),
                "{bad}"
            );
        }
    }
}

/// A published registry site on disk (`qlabel verify --registry SITE/registry.json`):
/// URLs under the registry's base are read from the folder, everything else goes to the
/// fetcher underneath.
#[derive(Debug, Clone)]
pub struct LocalSite {
    /// The registry's own URL (its `id`).
    pub registry_url: String,
    base: String,
    dir: std::path::PathBuf,
}

impl LocalSite {
    /// Opens the site that `registry` (a registry.json file) belongs to.
    pub fn open(registry: &std::path::Path) -> Result<LocalSite, String> {
        let text = std::fs::read(registry).map_err(|e| format!("{}: {e}", registry.display()))?;
        let doc = qlabel_core::limits::parse_json(&text, qlabel_core::Limits::default())
            .map_err(|e| format!("{}: {e}", registry.display()))?;
        let id = doc
            .get("id")
            .and_then(serde_json::Value::as_str)
            .filter(|id| id.starts_with("https://") || id.starts_with("http://"))
            .ok_or_else(|| format!("{}: the registry has no http(s) id", registry.display()))?;
        let base = match id.rfind('/') {
            Some(i) => id[..=i].to_string(),
            None => return Err(format!("{}: odd registry id {id}", registry.display())),
        };
        let dir = registry
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(|| std::path::PathBuf::from("."));
        Ok(LocalSite {
            registry_url: id.to_string(),
            base,
            dir,
        })
    }

    /// This site in front of `inner`.
    pub fn over<F: Fetch>(self, inner: F) -> SiteFetch<F> {
        SiteFetch { site: self, inner }
    }
}

/// [`LocalSite`] in front of another fetcher.
#[derive(Debug)]
pub struct SiteFetch<F> {
    site: LocalSite,
    inner: F,
}

impl<F: Fetch> Fetch for SiteFetch<F> {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let Some(rest) = url.strip_prefix(&self.site.base) else {
            return self.inner.fetch(url, expect).await;
        };
        let rest = rest.split(['#', '?']).next().unwrap_or_default();
        if rest.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(FetchError::Refused {
                url: url.to_string(),
                reason: "not a file of the registry site".into(),
            });
        }
        let path = self.site.dir.join(rest);
        let body = std::fs::read(&path).map_err(|_| FetchError::Status {
            url: url.to_string(),
            status: 404,
        })?;
        let content_type = if rest.ends_with(".html") {
            "text/html"
        } else {
            "application/json"
        };
        if !expect.accepts(Some(content_type)) {
            return Err(FetchError::ContentType {
                url: url.to_string(),
                content_type: content_type.into(),
                expected: expect.name().to_string(),
            });
        }
        Ok(Fetched::direct(url, Some(content_type), body))
    }
}
