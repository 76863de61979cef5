//! `qlabel verify URL` against a real HTTP server on 127.0.0.1: the badge fetched, and
//! every network fault reported as `unverifiable` with a message that says what failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use support::Reply;

/// What the test server answers for a path.
#[derive(Clone)]
enum Answer {
    Body(&'static str, Vec<u8>),
    Status(u16),
    Slow(Duration),
    Redirect(String),
}

/// Serves `routes` on 127.0.0.1 for as long as the test runs; returns the base URL.
fn serve(routes: Vec<(&'static str, Answer)>) -> String {
    support::serve(move |path| {
        match routes
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, a)| a.clone())
        {
            Some(Answer::Body(ct, body)) => Reply::body(ct, body),
            Some(Answer::Status(code)) => Reply::status(code),
            Some(Answer::Slow(d)) => Reply::slow(d, Reply::json(b"{}".to_vec())),
            Some(Answer::Redirect(to)) => Reply::redirect(&to),
            None => Reply::not_found(),
        }
    })
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples")
            .join(name),
    )
    .unwrap()
}

fn verify(args: &[&str]) -> (i32, Value, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(["verify", "--json", "--at", "2026-06-01T00:00:00Z"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report, start.elapsed())
}

fn messages(report: &Value) -> String {
    report["badge"]["checks"].to_string()
}

#[test]
fn a_badge_is_fetched_and_verified() {
    let base = serve(vec![(
        "/badge.json",
        Answer::Body("application/ld+json", sample("ob3-rdfc.json")),
    )]);
    let url = format!("{base}/badge.json");
    let (code, report, _) = verify(&[&url]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["badge"]["status"], "valid");
    assert_eq!(report["input"]["fetched"][0]["url"], url.as_str());
    // --offline forbids it, clearly.
    let (code, report, _) = verify(&[&url, "--offline"]);
    assert_eq!(code, 3);
    assert_eq!(report["badge"]["status"], "unverifiable");
    assert!(messages(&report).contains("offline"), "{report}");
}

#[test]
fn redirects_are_followed_and_recorded() {
    let base = serve(vec![
        ("/old", Answer::Redirect("/new".into())),
        (
            "/new",
            Answer::Body("application/json", sample("ob3-jcs.json")),
        ),
    ]);
    let (code, report, _) = verify(&[&format!("{base}/old")]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["input"]["fetched"][0]["redirects"][0],
        format!("{base}/new").as_str()
    );
}

#[test]
fn network_faults_are_unverifiable_with_a_reason() {
    let big = vec![b' '; 3 * 1024 * 1024];
    let base = serve(vec![
        ("/500", Answer::Status(500)),
        ("/slow", Answer::Slow(Duration::from_secs(4))),
        (
            "/html",
            Answer::Body("text/html", b"<html></html>".to_vec()),
        ),
        ("/big", Answer::Body("application/json", big)),
        ("/loop-a", Answer::Redirect("/loop-b".into())),
        ("/loop-b", Answer::Redirect("/loop-a".into())),
        (
            "/away",
            Answer::Redirect("http://example.com/badge.json".into()),
        ),
    ]);
    for (path, why, extra) in [
        ("/500", "HTTP 500", None),
        ("/slow", "within", Some("1")),
        ("/html", "text/html", None),
        ("/big", "larger than", None),
        ("/loop-a", "redirect", None),
        ("/away", "example.com", None),
    ] {
        let url = format!("{base}{path}");
        let mut args = vec![url.as_str()];
        if let Some(t) = extra {
            args.extend(["--timeout", t]);
        }
        let (code, report, took) = verify(&args);
        assert_eq!(code, 3, "{path}: {report}");
        assert_eq!(report["badge"]["status"], "unverifiable", "{path}");
        assert!(
            messages(&report).contains(why),
            "{path}: expected '{why}' in {report}"
        );
        assert!(took < Duration::from_secs(3), "{path} took {took:?}");
    }
}
