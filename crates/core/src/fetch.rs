//! Documents from the web come in through [`Fetch`], which each front end implements:
//! the CLI natively, qlabel-wasm with the browser's `fetch`, tests with a map.

use std::collections::HashMap;

/// Why a document could not be had. Every variant makes the dependent check
/// `unverifiable`, never `valid`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The caller asked for no network access.
    #[error("offline: {0} was not fetched")]
    Offline(String),
    /// The server answered, but not with the document.
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    /// The document is larger than allowed.
    #[error("{0} is larger than allowed")]
    TooLarge(String),
    /// Network failure, time-out, refused scheme, …
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
}

/// Fetches a document by URL. One verification asks for each URL at most once.
#[allow(async_fn_in_trait)]
pub trait Fetch {
    /// The body of the document at `url` (without its fragment).
    async fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError>;
}

/// No network at all: every fetch fails with [`FetchError::Offline`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;

impl Fetch for Offline {
    async fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        Err(FetchError::Offline(url.to_string()))
    }
}

/// An in-memory web: URL → body. Unknown URLs answer 404.
#[derive(Debug, Clone, Default)]
pub struct MapFetch {
    pub documents: HashMap<String, Vec<u8>>,
}

impl MapFetch {
    /// Adds a document.
    pub fn insert(&mut self, url: impl Into<String>, body: impl Into<Vec<u8>>) -> &mut Self {
        self.documents.insert(url.into(), body.into());
        self
    }
}

impl Fetch for MapFetch {
    async fn fetch(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        self.documents
            .get(url)
            .cloned()
            .ok_or_else(|| FetchError::Status {
                url: url.to_string(),
                status: 404,
            })
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
