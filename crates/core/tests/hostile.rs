//! Hostile input: each case ends in a clear error or verdict, quickly, without a panic.
//! Run in release mode by `cargo xtask test` so the time limits mean something.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qlabel_core::fetch::{block_on, Offline};
use qlabel_core::{Error, Limits, Options};
use std::time::{Duration, Instant};

const BUDGET: Duration = Duration::from_secs(2);

fn run(input: &[u8]) -> (Result<qlabel_core::Report, Error>, Duration) {
    let start = Instant::now();
    let r = block_on(qlabel_core::verify(
        input,
        &Options::at(common::now()),
        &Offline,
    ));
    (r, start.elapsed())
}

fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn assert_memory() {
    if let Some(mb) = peak_rss_mb() {
        assert!(mb < 256, "peak memory {mb} MB");
    }
}

#[test]
fn twenty_megabytes_are_refused_before_parsing() {
    let mut big = br#"{"@context":["https://www.w3.org/ns/credentials/v2"],"x":""#.to_vec();
    big.extend(std::iter::repeat_n(b'a', 20 * 1024 * 1024));
    big.extend_from_slice(b"\"}");
    let (r, t) = run(&big);
    assert!(
        matches!(r, Err(Error::TooLarge { limit, .. }) if limit == Limits::default().max_bytes),
        "{r:?}"
    );
    assert!(t < BUDGET, "{t:?}");
    assert_memory();
}

#[test]
fn hundred_thousand_deep_nesting_is_refused() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = open.repeat(100_000) + "1" + &close.repeat(100_000);
        let (r, t) = run(text.as_bytes());
        assert!(matches!(r, Err(Error::TooDeep { .. })), "{r:?}");
        assert!(t < BUDGET, "{t:?}");
    }
    assert_memory();
}

#[test]
fn invalid_utf8_is_refused() {
    let (r, _) =
        run(b"{\"@context\":\"https://www.w3.org/ns/credentials/v2\",\"name\":\"\xc3\x28\"}");
    assert!(matches!(r, Err(Error::NotUtf8 { .. })), "{r:?}");
    assert_eq!(r.unwrap_err().code(), "not-utf8");
}

/// Many blank nodes that look alike (each a node with the same shape, linked in a
/// ring) is the classic way to make RDF canonicalisation take exponential time.
#[test]
fn canonicalisation_blow_up_ends_quickly() {
    let n = 64;
    let nodes: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"@id":"_:b{i}","https://example.org/p":[{{"@id":"_:b{}"}},{{"@id":"_:b{}"}}]}}"#,
                (i + 1) % n,
                (i + n - 1) % n
            )
        })
        .collect();
    let doc = format!(
        r#"{{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
        "issuer":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "credentialSubject":{{"id":"did:example:x","https://example.org/graph":[{}]}},
        "proof":{{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"2024-01-01T00:00:00Z",
        "verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose":"assertionMethod","proofValue":"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"}}}}"#,
        nodes.join(",")
    );
    let (r, t) = run(doc.as_bytes());
    let report = r.expect("a verdict, not an error");
    assert_eq!(
        report.badge.status,
        qlabel_core::BadgeStatus::Invalid,
        "{}",
        common::explain(&report)
    );
    assert!(t < BUDGET, "took {t:?}");
    assert_memory();
}

#[test]
fn garbage_never_panics() {
    let cases: &[&[u8]] = &[
        b"",
        b"null",
        b"[]",
        b"\"eyJhbGciOiJub25lIn0\"",
        b"{}",
        b"{\"@context\":null}",
        b"{\"@context\":[1,2,3],\"type\":\"VerifiableCredential\"}",
        b"{\"@context\":\"https://evil.example/ctx\",\"type\":\"VerifiableCredential\"}",
        b"{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"proof\":[null,1,\"x\"]}",
        b"\x89PNG\r\n\x1a\n",
        b"<svg/>",
        b"eyJ.eyJ.sig",
    ];
    for c in cases {
        let (r, t) = run(c);
        assert!(t < BUDGET);
        if let Ok(report) = r {
            assert_ne!(
                report.badge.status,
                qlabel_core::BadgeStatus::Valid,
                "{:?}",
                String::from_utf8_lossy(c)
            );
        }
    }
}

/// Images made to exhaust the unbaker, through the whole `verify` path.
#[test]
fn hostile_images_end_quickly() {
    // A PNG whose compressed iTXt badge chunk is a few KB that inflate to 8 MB of zeros,
    // four times the 2 MB a badge may have: inflating stops at the limit.
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 8 << 20], 10);
    assert!(bomb.len() < 64 * 1024);
    let mut text = b"openbadgecredential\0\x01\x00\0\0".to_vec();
    text.extend_from_slice(&bomb);
    let png = png_with_chunk(b"iTXt", &text);
    let (r, t) = run(&png);
    assert!(matches!(r, Err(Error::UnknownFormat(_))), "{r:?}");
    assert!(t < BUDGET, "{t:?}");

    // 10 001 chunks.
    let mut many = png_with_chunk(b"tEXt", b"a\0b");
    let iend = many.split_off(many.len() - 12);
    for _ in 0..10_001 {
        many.extend_from_slice(&chunk(b"zzZz", b""));
    }
    many.extend_from_slice(&iend);
    let (r, t) = run(&many);
    assert!(r.is_err(), "{r:?}");
    assert!(t < BUDGET, "{t:?}");

    // Entity expansion in an SVG.
    let mut svg = String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">");
    for i in 1..10 {
        svg.push_str(&format!(
            "<!ENTITY {} \"{}\">",
            (b'a' + i) as char,
            format!("&{};", (b'a' + i - 1) as char).repeat(10)
        ));
    }
    svg.push_str("]><svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion>&j;</openbadges:assertion></svg>");
    let (r, t) = run(svg.as_bytes());
    assert!(r.is_err(), "{r:?}");
    assert!(t < BUDGET, "{t:?}");
    assert_memory();
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&qlabel_core::baked::crc32(&[kind, data]).to_be_bytes());
    c
}

/// A 1×1 PNG with one extra chunk before IEND.
fn png_with_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    png.extend_from_slice(&chunk(kind, data));
    png.extend_from_slice(&chunk(b"IEND", b""));
    png
}
