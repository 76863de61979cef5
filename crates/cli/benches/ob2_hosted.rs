//! Open Badges 2.0 hosted verification against a local HTTP server: the assertion, its
//! BadgeClass and its issuer profile fetched over loopback with the CLI's own HTTP client.
//! `cargo bench -p qlabel-cli --bench ob2_hosted`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[allow(unused_imports)] // the module's own unit tests are compiled here too
#[path = "../src/fetch.rs"]
mod fetch;

use criterion::{criterion_group, criterion_main, Criterion};
use qlabel_core::fetch::block_on;
use qlabel_core::{BadgeStatus, Options};
use serde_json::json;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// A keep-alive HTTP/1.1 server for a fixed set of JSON documents.
fn serve(docs: impl Fn(&str) -> HashMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let docs = Arc::new(docs(&base));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_nodelay(true);
            let docs = docs.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                    }
                    let (status, body) = match docs.get(&path) {
                        Some(b) => ("200 OK", b.clone()),
                        None => ("404 Not Found", Vec::new()),
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: application/ld+json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    // One write, no Nagle: the figure is qlabel's, not TCP's delayed ACK.
                    let mut reply = head.into_bytes();
                    reply.extend_from_slice(&body);
                    if stream.write_all(&reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    base
}

fn bench(c: &mut Criterion) {
    let base = serve(|base| {
        let ctx = "https://w3id.org/openbadges/v2";
        let issuer = json!({"@context": ctx, "type": "Issuer", "id": format!("{base}/issuer"),
            "name": "Demo Youth Centre", "url": base, "email": "badges@example.org"});
        let class = json!({"@context": ctx, "type": "BadgeClass", "id": format!("{base}/badgeclass"),
            "name": "Teamwork", "description": "Works with others.", "image": format!("{base}/badge.png"),
            "criteria": {"narrative": "Took part in a team project."}, "issuer": format!("{base}/issuer")});
        let assertion = json!({"@context": ctx, "type": "Assertion", "id": format!("{base}/assertion"),
            "recipient": {"type": "email", "hashed": false, "identity": "learner@example.org"},
            "badge": format!("{base}/badgeclass"), "issuedOn": "2025-01-01T00:00:00Z",
            "verification": {"type": "hosted"}});
        [
            ("/issuer", issuer),
            ("/badgeclass", class),
            ("/assertion", assertion),
        ]
        .into_iter()
        .map(|(p, d)| (p.to_string(), serde_json::to_vec(&d).unwrap()))
        .collect()
    });
    let url = format!("{base}/assertion");
    let options = Options::at(time::macros::datetime!(2026-01-01 0:00 UTC));
    let web = fetch::HttpFetch::new(std::time::Duration::from_secs(3600));
    let report = block_on(qlabel_core::verify(url.as_bytes(), &options, &web)).unwrap();
    assert_eq!(
        report.badge.status,
        BadgeStatus::Valid,
        "{:#?}",
        report.badge.checks
    );
    c.bench_function("verify ob2 hosted (3 fetches over loopback)", |b| {
        b.iter(|| {
            let web = fetch::HttpFetch::new(std::time::Duration::from_secs(10));
            block_on(qlabel_core::verify(url.as_bytes(), &options, &web)).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
