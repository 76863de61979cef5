//! The verdict parity plan: with `QLABEL_WASM_PLAN=<dir>` set, the vector tests record
//! every case they run — the input bytes, the options, every URL the core fetched with
//! exactly what the in-memory web answered, and the verdict native qlabel gave — and
//! write it to `<dir>/<manifest>.json` (a relative `<dir>` is taken from the workspace
//! root). `tests/web` replays the plan through qlabel-wasm, in Node and in Chromium, and
//! expects the same verdicts. Without the variable nothing is recorded.

use base64::Engine;
use qlabel_core::fetch::{block_on, Expect, Fetch, FetchError, Fetched};
use qlabel_core::{Error, Options, Report};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::PathBuf;

/// Where to write the plan, when asked for one.
pub fn dir() -> Option<PathBuf> {
    let dir = std::env::var_os("QLABEL_WASM_PLAN").filter(|d| !d.is_empty())?;
    let dir = PathBuf::from(dir);
    Some(if dir.is_absolute() {
        dir
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir)
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn expect_name(expect: Expect) -> &'static str {
    match expect {
        Expect::Json => "json",
        Expect::Image => "image",
        Expect::Badge => "badge",
        Expect::Registry => "registry",
        Expect::StatusList => "status-list",
    }
}

/// A fetcher that passes every request to `inner` and writes down what it answered.
pub struct Recorder<F> {
    inner: F,
    log: RefCell<Vec<Value>>,
}

impl<F: Fetch> Recorder<F> {
    pub fn new(inner: F) -> Self {
        Recorder {
            inner,
            log: RefCell::new(Vec::new()),
        }
    }

    /// Every request, in order: `{url, expect, answer}`, where `answer` is one of
    /// `{ok: {url, redirects, contentType, body (base64)}}`, `{status, url}` (an HTTP
    /// error status, `url` where it was met after redirects), `{contentType, url}` (a
    /// document of a type the request does not accept; the body is not kept, as the
    /// type alone decides) or `{error, message}` (any other failure).
    pub fn requests(&self) -> Vec<Value> {
        self.log.borrow().clone()
    }
}

impl<F: Fetch> Fetch for Recorder<F> {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let result = self.inner.fetch(url, expect).await;
        let answer = match &result {
            Ok(f) => json!({"ok": {
                "url": f.url,
                "redirects": f.redirects,
                "contentType": f.content_type,
                "body": b64(&f.body),
            }}),
            Err(FetchError::Status { url, status }) => json!({"status": status, "url": url}),
            Err(FetchError::ContentType {
                url, content_type, ..
            }) => json!({"contentType": content_type, "url": url}),
            Err(e) => {
                let kind = match e {
                    FetchError::Offline(_) => "offline",
                    FetchError::TooLarge { .. } => "too-large",
                    FetchError::Timeout { .. } => "timeout",
                    FetchError::Redirect { .. } => "redirect",
                    FetchError::Refused { .. } => "refused",
                    FetchError::Network { .. } => "network",
                    _ => "other",
                };
                json!({"error": kind, "message": e.to_string()})
            }
        };
        self.log.borrow_mut().push(json!({
            "url": url,
            "expect": expect_name(expect),
            "answer": answer,
        }));
        result
    }
}

/// What native qlabel said: `{badge, label, checks, labelChecks, fetched}` for a
/// report (checks as `{id, status, unverifiable}`), `{error, message}` when the input
/// was refused (`error` is the code qlabel-wasm rejects with).
pub fn verdict(result: &Result<Report, Error>) -> Value {
    match result {
        Err(e) => json!({"error": e.code(), "message": e.to_string()}),
        Ok(r) => {
            let v = serde_json::to_value(r).expect("a report serializes");
            let checks = |part: &str| -> Vec<Value> {
                v[part]["checks"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c["id"],
                            "status": c["status"],
                            "unverifiable": c["unverifiable"].as_bool().unwrap_or(false),
                        })
                    })
                    .collect()
            };
            json!({
                "badge": v["badge"]["status"],
                "label": v["label"]["status"],
                "format": v["input"]["format"],
                "baked": v["input"]["baked"],
                "checks": checks("badge"),
                "labelChecks": checks("label"),
                "fetched": v["input"]["fetched"],
            })
        }
    }
}

/// Why a real fetcher (the CLI's, qlabel-wasm's) would not fetch `url`: plain http to a
/// host other than this machine. The in-memory webs of the tests serve such URLs (the
/// 1EdTech fixtures name `http://example.org/…`); real fetchers refuse them.
pub fn refusal(url: &str) -> Option<&'static str> {
    let rest = url.strip_prefix("http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then_some("plain http is only fetched from this machine (loopback); use https")
}

/// The in-memory web as a real fetcher sees it: URLs it refuses are refused.
pub struct Policy<F>(pub F);

impl<F: Fetch> Fetch for Policy<F> {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        if let Some(reason) = refusal(url) {
            return Err(FetchError::Refused {
                url: url.to_string(),
                reason: reason.to_string(),
            });
        }
        self.0.fetch(url, expect).await
    }
}

/// Runs one case as the test does — `qlabel_core::verify` on the test's web, recorded —
/// and returns its result (for the test's own assertions) with the replayable case:
/// `{name, input (base64), options, web, native, manifest}`. When the run fetched a URL
/// that real fetchers refuse, the case is run once more with those refused
/// ([`Policy`]), recorded in `policy: {refused, web, native}`: qlabel-wasm's own fetching
/// refuses them too, so that is the verdict its public API must give.
pub fn run_case(
    name: &str,
    input: &[u8],
    at: &str,
    options: &Options,
    web: &impl Fetch,
    manifest: Value,
) -> (Result<Report, Error>, Value) {
    let recorder = Recorder::new(web);
    let result = block_on(qlabel_core::verify(input, options, &recorder));
    let requests = recorder.requests();
    let refused: Vec<&str> = requests
        .iter()
        .filter_map(|r| r["url"].as_str())
        .filter(|u| refusal(u).is_some())
        .collect();
    let policy = if refused.is_empty() {
        Value::Null
    } else {
        let strict = Recorder::new(Policy(web));
        let again = block_on(qlabel_core::verify(input, options, &strict));
        json!({"refused": refused, "web": strict.requests(), "native": verdict(&again)})
    };
    let case = json!({
        "name": name,
        "input": b64(input),
        "options": {
            "at": at,
            "source": options.source,
            "recipient": options.recipient,
            "registry": options.registry,
        },
        "web": requests,
        "native": verdict(&result),
        "policy": policy,
        "manifest": manifest,
    });
    (result, case)
}

/// Writes `<dir>/<name>.json`.
pub fn write(dir: &std::path::Path, name: &str, producer: &str, at: &str, cases: Vec<Value>) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(format!("{name}.json"));
    let doc = json!({
        "schema": "qlabel-wasm-plan/1",
        "about": "Written by the native vector tests with QLABEL_WASM_PLAN set: each case's input, options, the in-memory web's answer to every request the core made, and native qlabel's verdict in that run. tests/web replays it through qlabel-wasm.",
        "producer": producer,
        "at": at,
        "cases": cases,
    });
    std::fs::write(
        &path,
        serde_json::to_vec(&doc).expect("the plan serializes"),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eprintln!(
        "wasm plan: {} cases in {}",
        doc["cases"].as_array().map_or(0, Vec::len),
        path.display()
    );
}
