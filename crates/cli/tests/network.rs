//! `HttpFetch` against a tiny local HTTP server: limits on time, size, redirects,
//! schemes and content types. No outside network: servers bind 127.0.0.1 only, and
//! refused URLs are refused before connecting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../src/fetch.rs"]
mod fetch;

use fetch::HttpFetch;
use qlabel_core::fetch::{block_on, Expect, Fetch, FetchError, Session};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// What the server answers for a path.
enum Reply {
    /// A status, an optional content type and a body (with `Content-Length`).
    Body(u16, Option<&'static str>, Vec<u8>),
    /// 302 to this `Location`.
    Redirect(String),
    /// Sleep, then answer.
    Slow(Duration, Box<Reply>),
    /// `n` bytes without `Content-Length`, ended by closing the connection.
    Unsized(usize),
    /// A chunked body that does not end (until the client goes, or 64 MB).
    Endless,
    /// The request head as the body, with this content type.
    Echo(&'static str),
}

fn json(body: &str) -> Reply {
    Reply::Body(200, Some("application/ld+json"), body.as_bytes().to_vec())
}

/// A one-thread-per-connection HTTP/1.1 server on 127.0.0.1; stops when dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// `routes(path, base)` answers a request; `base` is `http://127.0.0.1:PORT`.
    fn start(routes: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let server = Server {
            addr,
            stop: stop.clone(),
        };
        let base: Arc<str> = format!("http://{addr}").into();
        let routes = Arc::new(routes);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let routes = routes.clone();
                let base = base.clone();
                thread::spawn(move || serve(stream, |path| routes(path, &base)));
            }
        });
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.stop.swap(true, Ordering::SeqCst) {
            // Wake the accept loop so that it sees the flag.
            let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        }
    }
}

fn serve(mut stream: TcpStream, route: impl Fn(&str) -> Reply) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split(' ').nth(1).unwrap_or("/").to_string();
    let _ = answer(&mut stream, route(&path), &head);
}

fn answer(stream: &mut TcpStream, reply: Reply, head: &str) -> std::io::Result<()> {
    match reply {
        Reply::Body(status, content_type, body) => {
            let ct = content_type
                .map(|t| format!("Content-Type: {t}\r\n"))
                .unwrap_or_default();
            write!(
                stream,
                "HTTP/1.1 {status} X\r\n{ct}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            stream.write_all(&body)
        }
        Reply::Redirect(location) => write!(
            stream,
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        Reply::Slow(delay, reply) => {
            thread::sleep(delay);
            answer(stream, *reply, head)
        }
        Reply::Unsized(n) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
            )?;
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < n {
                let k = chunk.len().min(n - sent);
                stream.write_all(&chunk[..k])?;
                sent += k;
            }
            Ok(())
        }
        Reply::Endless => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            )?;
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..1024 {
                write!(stream, "{:x}\r\n", chunk.len())?;
                stream.write_all(&chunk)?;
                stream.write_all(b"\r\n")?;
            }
            Ok(())
        }
        Reply::Echo(content_type) => answer(
            stream,
            Reply::Body(200, Some(content_type), head.as_bytes().to_vec()),
            head,
        ),
    }
}

/// The web of most tests.
fn web() -> Server {
    Server::start(|path, base| match path {
        "/doc" => json(r#"{"ok":true}"#),
        "/plain" => Reply::Body(200, None, b"{}".to_vec()),
        "/html" => Reply::Body(200, Some("text/html; charset=utf-8"), b"<p>".to_vec()),
        "/png" => Reply::Body(200, Some("image/png"), b"\x89PNG".to_vec()),
        "/500" => Reply::Body(500, Some("text/plain"), b"oops".to_vec()),
        "/404" => Reply::Body(404, None, Vec::new()),
        "/slow" => Reply::Slow(Duration::from_secs(5), Box::new(json("{}"))),
        "/slow-a" | "/slow-b" => Reply::Slow(Duration::from_millis(700), Box::new(json("{}"))),
        "/big" => Reply::Body(200, Some("application/json"), vec![b' '; 3 << 20]),
        "/big-unsized" => Reply::Unsized(3 << 20),
        "/endless" => Reply::Endless,
        "/ten" => json("0123456789"),
        "/eleven" => json("0123456789A"),
        "/r3" => Reply::Redirect("/r2".into()),
        "/r2" => Reply::Redirect("r1".into()),
        "/r1" => Reply::Redirect(format!("{base}/doc")),
        "/loop-a" => Reply::Redirect("/loop-b".into()),
        "/loop-b" => Reply::Redirect("/loop-a".into()),
        "/self" => Reply::Redirect("/self".into()),
        "/to-http" => Reply::Redirect("http://example.com/badge".into()),
        "/to-ftp" => Reply::Redirect("ftp://127.0.0.1/badge".into()),
        "/echo-json" => Reply::Echo("application/json"),
        "/echo-png" => Reply::Echo("image/png"),
        "/echo-text" => Reply::Echo("text/plain"),
        p if p.starts_with("/chain/") => match p["/chain/".len()..].parse::<u32>() {
            Ok(0) => json("{}"),
            Ok(n) => Reply::Redirect(format!("/chain/{}", n - 1)),
            Err(_) => Reply::Body(400, None, Vec::new()),
        },
        _ => Reply::Body(404, None, Vec::new()),
    })
}

fn fetcher() -> HttpFetch {
    HttpFetch::new(Duration::from_secs(5))
}

#[test]
fn json_document() {
    let s = web();
    let got = fetcher()
        .fetch_blocking(&s.url("/doc"), Expect::Json)
        .unwrap();
    assert_eq!(got.body, br#"{"ok":true}"#);
    assert_eq!(got.content_type.as_deref(), Some("application/ld+json"));
    assert_eq!(got.url, s.url("/doc"));
    assert!(got.redirects.is_empty());
    // The fragment is not sent; a missing content type is accepted.
    let got = fetcher()
        .fetch_blocking(&s.url("/plain#key-1"), Expect::Json)
        .unwrap();
    assert_eq!(got.url, s.url("/plain"));
    assert_eq!(got.content_type, None);
}

#[test]
fn through_the_trait_and_a_session() {
    let s = web();
    let http = fetcher();
    let session = Session::new(&http);
    let got = block_on(session.fetch(&s.url("/r1"), Expect::Json)).unwrap();
    assert_eq!(got.redirects, vec![s.url("/doc")]);
    let err = block_on(session.fetch(&s.url("/500"), Expect::Json)).unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 500, .. }));
    assert_eq!(session.records().len(), 2);
}

#[test]
fn accept_and_user_agent_headers() {
    let s = web();
    let f = fetcher();
    let head = |path: &str, expect| {
        let got = f.fetch_blocking(&s.url(path), expect).unwrap();
        String::from_utf8(got.body).unwrap().to_ascii_lowercase()
    };
    let json = head("/echo-json", Expect::Json);
    assert!(
        json.contains("\r\naccept: application/ld+json, application/json;q=0.9\r\n"),
        "{json}"
    );
    assert!(
        json.contains(&format!(
            "\r\nuser-agent: qlabel/{}\r\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{json}"
    );
    let png = head("/echo-png", Expect::Image);
    assert!(
        png.contains("\r\naccept: image/png, image/svg+xml\r\n"),
        "{png}"
    );
    let badge = head("/echo-text", Expect::Badge);
    assert!(
        badge.contains(
            "\r\naccept: application/ld+json, application/json;q=0.9, image/png, image/svg+xml, */*;q=0.1\r\n"
        ),
        "{badge}"
    );
}

#[test]
fn slow_server_times_out_within_the_budget() {
    let s = web();
    let start = Instant::now();
    let err = HttpFetch::new(Duration::from_secs(1))
        .fetch_blocking(&s.url("/slow"), Expect::Json)
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Timeout { millis: 1000, url } if *url == s.url("/slow")),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn the_budget_is_shared_by_all_requests() {
    let s = web();
    let f = HttpFetch::new(Duration::from_secs(1));
    let start = Instant::now();
    f.fetch_blocking(&s.url("/slow-a"), Expect::Json).unwrap();
    let err = f
        .fetch_blocking(&s.url("/slow-b"), Expect::Json)
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(3));
    // Once spent, requests fail at once; a renewed fetcher has its full budget again.
    thread::sleep(f.remaining());
    let err = f.fetch_blocking(&s.url("/doc"), Expect::Json).unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    f.renewed()
        .fetch_blocking(&s.url("/slow-a"), Expect::Json)
        .unwrap();
}

#[test]
fn error_status() {
    let s = web();
    let err = fetcher()
        .fetch_blocking(&s.url("/500"), Expect::Json)
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Status {
            url: s.url("/500"),
            status: 500
        }
    );
    let err = fetcher()
        .fetch_blocking(&s.url("/404"), Expect::Json)
        .unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 404, .. }));
}

#[test]
fn wrong_content_type() {
    let s = web();
    let err = fetcher()
        .fetch_blocking(&s.url("/html"), Expect::Json)
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::ContentType { content_type, .. } if content_type.starts_with("text/html")),
        "{err:?}"
    );
    let err = fetcher()
        .fetch_blocking(&s.url("/png"), Expect::Json)
        .unwrap_err();
    assert!(matches!(err, FetchError::ContentType { .. }));
    let png = fetcher()
        .fetch_blocking(&s.url("/png"), Expect::Image)
        .unwrap();
    assert_eq!(png.body, b"\x89PNG");
}

#[test]
fn oversized_bodies() {
    let s = web();
    let limit = fetch::DEFAULT_MAX_BYTES;
    for path in ["/big", "/big-unsized", "/endless"] {
        let start = Instant::now();
        let err = fetcher()
            .fetch_blocking(&s.url(path), Expect::Json)
            .unwrap_err();
        assert_eq!(
            err,
            FetchError::TooLarge {
                url: s.url(path),
                limit
            },
            "{path}"
        );
        assert!(start.elapsed() < Duration::from_secs(3), "{path}");
    }
    // The limit is configurable; a body of exactly the limit is fine.
    let small = fetcher().with_max_bytes(10);
    assert_eq!(
        small
            .fetch_blocking(&s.url("/ten"), Expect::Json)
            .unwrap()
            .body,
        b"0123456789"
    );
    let err = small
        .fetch_blocking(&s.url("/eleven"), Expect::Json)
        .unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { limit: 10, .. }));
}

#[test]
fn redirects_are_followed_and_recorded() {
    let s = web();
    let got = fetcher()
        .fetch_blocking(&s.url("/r3"), Expect::Json)
        .unwrap();
    assert_eq!(got.url, s.url("/doc"));
    assert_eq!(
        got.redirects,
        vec![s.url("/r2"), s.url("/r1"), s.url("/doc")]
    );
    assert_eq!(got.body, br#"{"ok":true}"#);
    let five = fetcher()
        .fetch_blocking(&s.url("/chain/5"), Expect::Json)
        .unwrap();
    assert_eq!(five.redirects.len(), 5);
    assert_eq!(five.url, s.url("/chain/0"));
}

#[test]
fn more_than_five_redirects() {
    let s = web();
    let err = fetcher()
        .fetch_blocking(&s.url("/chain/6"), Expect::Json)
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Redirect {
            url: s.url("/chain/6"),
            reason: "more than 5 redirects".into()
        }
    );
}

#[test]
fn redirect_loops() {
    let s = web();
    for path in ["/loop-a", "/self"] {
        let err = fetcher()
            .fetch_blocking(&s.url(path), Expect::Json)
            .unwrap_err();
        assert!(
            matches!(&err, FetchError::Redirect { reason, .. } if reason.contains("loop")),
            "{err:?}"
        );
    }
}

#[test]
fn redirects_obey_the_scheme_rule() {
    let s = web();
    let err = fetcher()
        .fetch_blocking(&s.url("/to-http"), Expect::Json)
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Refused { url, .. } if url == "http://example.com/badge"),
        "{err:?}"
    );
    let err = fetcher()
        .fetch_blocking(&s.url("/to-ftp"), Expect::Json)
        .unwrap_err();
    assert!(matches!(err, FetchError::Refused { .. }), "{err:?}");
}

#[test]
fn refused_urls() {
    for url in [
        "ftp://127.0.0.1/badge.json",
        "file:///etc/passwd",
        "data:application/json,{}",
        "http://example.com/badge",
        "https://user:secret@example.com/badge",
        "not a url",
    ] {
        let start = Instant::now();
        let err = fetcher().fetch_blocking(url, Expect::Json).unwrap_err();
        assert!(
            matches!(&err, FetchError::Refused { reason, .. } if !reason.is_empty()),
            "{url}: {err:?}"
        );
        assert!(start.elapsed() < Duration::from_millis(500), "{url}");
    }
}

#[test]
fn connection_refused() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/badge");
    let err = fetcher().fetch_blocking(&url, Expect::Json).unwrap_err();
    assert!(
        matches!(&err, FetchError::Network { url: u, reason } if *u == url && reason == "connection refused"),
        "{err:?}"
    );
}
