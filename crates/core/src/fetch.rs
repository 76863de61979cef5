//! Documents from the web come in through [`Fetch`], which each front end implements:
//! the CLI natively, qlabel-wasm with the browser's `fetch`, tests with [`MapFetch`].
//! A verification wraps the caller's fetcher in [`Session`], so that each URL is asked
//! for once and every request is recorded in the report.

use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// What kind of document a request expects; the fetcher checks the content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// JSON or JSON-LD (`application/json`, `application/ld+json`, `*+json`, …).
    Json,
    /// A badge image (PNG or SVG).
    Image,
    /// A badge in any form: JSON, JWT text, PNG or SVG (`qlabel verify URL`).
    Badge,
    /// A label registry or one of its shards (JSON). Fetchers may cache it until the
    /// `nextUpdate` it carries.
    Registry,
    /// A status list credential (JSON). Fetchers may cache it briefly.
    StatusList,
}

impl Expect {
    /// The kebab-case name (`json`, `image`, `badge`, `registry`, `status-list`).
    pub fn name(self) -> &'static str {
        match self {
            Expect::Json => "json",
            Expect::Image => "image",
            Expect::Badge => "badge",
            Expect::Registry => "registry",
            Expect::StatusList => "status-list",
        }
    }

    /// Whether a response's `Content-Type` fits. A missing type is accepted (the body is
    /// parsed strictly anyway).
    pub fn accepts(self, content_type: Option<&str>) -> bool {
        let Some(ct) = content_type else { return true };
        let mime = ct
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let json = mime == "application/json"
            || mime == "application/ld+json"
            || mime.ends_with("+json")
            || mime == "text/json";
        let image = mime == "image/png" || mime == "image/svg+xml";
        let text = mime == "text/plain" || mime == "application/jwt" || mime.ends_with("+jwt");
        match self {
            Expect::Json | Expect::Registry | Expect::StatusList => json,
            Expect::Image => image,
            Expect::Badge => json || image || text || mime == "application/octet-stream",
        }
    }
}

/// A fetched document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL the body finally came from (after redirects).
    pub url: String,
    /// The redirects followed, in order (each the URL redirected to).
    pub redirects: Vec<String>,
    /// The `Content-Type` header, when there was one.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// A document served as is from `url`, without redirects.
    pub fn direct(url: &str, content_type: Option<&str>, body: Vec<u8>) -> Self {
        Fetched {
            url: url.to_string(),
            redirects: Vec::new(),
            content_type: content_type.map(str::to_string),
            body,
        }
    }
}

/// Why a document could not be had. Every variant makes the dependent check
/// `unverifiable`, never `valid`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The caller asked for no network access.
    #[error("offline: {0} was not fetched")]
    Offline(String),
    /// The server answered, but not with the document.
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    /// The document is larger than allowed.
    #[error("{url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    /// The server took too long.
    #[error("{url} did not answer within {} s", seconds_text(*millis))]
    Timeout { url: String, millis: u64 },
    /// The response's content type is not what was asked for.
    #[error("{url} is served as {content_type}, not as {expected}")]
    ContentType {
        url: String,
        content_type: String,
        expected: String,
    },
    /// Too many redirects, a loop, or a redirect to a refused place.
    #[error("{url}: {reason}")]
    Redirect { url: String, reason: String },
    /// A URL qlabel will not fetch (plain http to a non-loopback host, another scheme…).
    #[error("{url}: {reason}")]
    Refused { url: String, reason: String },
    /// Network failure: DNS, connection, TLS, …
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
}

/// Milliseconds as seconds for people: `10`, `0.5`, `2.25`.
fn seconds_text(millis: u64) -> String {
    let (s, ms) = (millis / 1000, millis % 1000);
    if ms == 0 {
        s.to_string()
    } else {
        format!("{s}.{ms:03}").trim_end_matches('0').to_string()
    }
}

/// Fetches a document by URL (without its fragment).
#[allow(async_fn_in_trait)]
pub trait Fetch {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError>;
}

impl<F: Fetch + ?Sized> Fetch for &F {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        (**self).fetch(url, expect).await
    }
}

/// No network at all: every fetch fails with [`FetchError::Offline`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;

impl Fetch for Offline {
    async fn fetch(&self, url: &str, _: Expect) -> Result<Fetched, FetchError> {
        Err(FetchError::Offline(url.to_string()))
    }
}

/// An in-memory web: URL → body (optionally with a content type), and redirects.
/// Unknown URLs answer 404.
#[derive(Debug, Clone, Default)]
pub struct MapFetch {
    pub documents: HashMap<String, (Option<String>, Vec<u8>)>,
    pub redirects: HashMap<String, String>,
}

impl MapFetch {
    /// Adds a document, served without a content type.
    pub fn insert(&mut self, url: impl Into<String>, body: impl Into<Vec<u8>>) -> &mut Self {
        self.documents.insert(url.into(), (None, body.into()));
        self
    }

    /// Adds a document served with a content type.
    pub fn insert_typed(
        &mut self,
        url: impl Into<String>,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.documents
            .insert(url.into(), (Some(content_type.to_string()), body.into()));
        self
    }

    /// Makes `from` redirect to `to`.
    pub fn redirect(&mut self, from: impl Into<String>, to: impl Into<String>) -> &mut Self {
        self.redirects.insert(from.into(), to.into());
        self
    }
}

impl Fetch for MapFetch {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        let mut redirects = Vec::new();
        while let Some(next) = self.redirects.get(&current) {
            if redirects.len() >= 5 {
                return Err(FetchError::Redirect {
                    url: url.to_string(),
                    reason: "more than 5 redirects".into(),
                });
            }
            redirects.push(next.clone());
            current = next.clone();
        }
        let (ct, body) = self
            .documents
            .get(&current)
            .ok_or_else(|| FetchError::Status {
                url: current.clone(),
                status: 404,
            })?;
        if !expect.accepts(ct.as_deref()) {
            return Err(FetchError::ContentType {
                url: current,
                content_type: ct.clone().unwrap_or_default(),
                expected: expect.name().to_string(),
            });
        }
        Ok(Fetched {
            url: current,
            redirects,
            content_type: ct.clone(),
            body: body.clone(),
        })
    }
}

/// One request as the report records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchRecord {
    pub url: String,
    /// Where redirects led, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<String>,
    /// `None` when the document was had; else why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The fetcher as one verification sees it: each URL (fragment stripped) is requested
/// once, and every request is recorded.
#[derive(Debug)]
pub struct Session<F> {
    inner: F,
    cache: RefCell<HashMap<String, Result<Fetched, FetchError>>>,
    log: RefCell<Vec<FetchRecord>>,
}

impl<F: Fetch> Session<F> {
    pub fn new(inner: F) -> Self {
        Session {
            inner,
            cache: RefCell::new(HashMap::new()),
            log: RefCell::new(Vec::new()),
        }
    }

    /// Every request made so far, in order.
    pub fn records(&self) -> Vec<FetchRecord> {
        self.log.borrow().clone()
    }
}

impl<F: Fetch> Fetch for Session<F> {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let url = url.split('#').next().unwrap_or(url);
        if let Some(hit) = self.cache.borrow().get(url) {
            return hit.clone();
        }
        let result = self.inner.fetch(url, expect).await;
        self.log.borrow_mut().push(FetchRecord {
            url: url.to_string(),
            redirects: result
                .as_ref()
                .map(|f| f.redirects.clone())
                .unwrap_or_default(),
            error: result.as_ref().err().map(|e| e.to_string()),
        });
        self.cache
            .borrow_mut()
            .insert(url.to_string(), result.clone());
        result
    }
}

/// Runs a future whose I/O is already complete or done synchronously (the CLI's blocking
/// fetcher, [`MapFetch`], [`Offline`]) to its end on the current thread.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(std::sync::Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_asks_once_and_records() {
        let mut web = MapFetch::default();
        web.insert("https://a.example/doc", b"{}".to_vec())
            .redirect("https://a.example/old", "https://a.example/doc");
        let s = Session::new(&web);
        let a = block_on(s.fetch("https://a.example/old#frag", Expect::Json)).unwrap();
        assert_eq!(a.url, "https://a.example/doc");
        assert_eq!(a.redirects, vec!["https://a.example/doc".to_string()]);
        let _ = block_on(s.fetch("https://a.example/old", Expect::Json));
        let _ = block_on(s.fetch("https://a.example/missing", Expect::Json));
        let log = s.records();
        assert_eq!(log.len(), 2);
        assert!(log[1].error.as_deref().unwrap().contains("404"));
    }

    #[test]
    fn content_types() {
        assert!(Expect::Json.accepts(Some("application/ld+json; charset=utf-8")));
        assert!(Expect::Json.accepts(Some("application/vc+ld+json")));
        assert!(!Expect::Json.accepts(Some("text/html")));
        assert!(Expect::Image.accepts(Some("image/png")));
        assert!(!Expect::Image.accepts(Some("application/json")));
        assert!(Expect::Badge.accepts(Some("image/svg+xml")));
    }
}
