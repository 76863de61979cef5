//! The label authority's work, end to end, as an authority and a verifier would do it
//! with the `qlabel` command: init → award → publish → a labelled holder's badge verifies
//! `labelled`; suspend, withdraw, expiry, a second authority, a tampered registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::{ok_at, p, qlabel_at, scratch, Authority};

const NOW: &str = "2026-06-01T00:00:00Z";

fn qlabel(args: &[&str]) -> Output {
    qlabel_at(NOW, args)
}

fn ok(args: &[&str]) -> String {
    ok_at(NOW, args)
}

/// A badge issued and signed by a fresh did:key issuer; returns (badge file, issuer id).
fn badge(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("issuer-key.json");
    let did = support::new_key(&key);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/ob3-unsigned.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    doc["issuer"]["id"] = Value::String(did.clone());
    let unsigned = dir.join("unsigned.json");
    std::fs::write(&unsigned, serde_json::to_vec(&doc).unwrap()).unwrap();
    let signed = dir.join("badge.json");
    ok(&[
        "sign",
        "--key",
        p(&key),
        "--suite",
        "rdfc",
        p(&unsigned),
        "--created",
        "2025-01-01T00:00:00Z",
        "-o",
        p(&signed),
    ]);
    (signed, did)
}

fn verify(badge: &Path, trust: &Path, registry: &Path, at: &str) -> (i32, Value) {
    let out = qlabel(&[
        "verify",
        p(badge),
        "--json",
        "--at",
        at,
        "--trust",
        p(trust),
        "--registry",
        p(registry),
        "--offline",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), report)
}

fn label_check(report: &Value, id: &str) -> String {
    report["label"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_else(|| "absent".into())
}

#[test]
fn an_authority_runs_the_label() {
    let root = scratch("e2e");
    let (badge, issuer) = badge(&root);
    let a = Authority::new(
        NOW,
        &root,
        "labels",
        "Demo Label Authority",
        "labels.test.example",
    );
    let label = ok(&[
        "label",
        "award",
        "--authority",
        p(&a.dir),
        "--holder",
        &issuer,
        "--holder",
        "https://youth.test.example/issuer",
        "--name",
        "Demo Youth Centre",
        "--domain",
        "youth.test.example",
        "--valid-from",
        "2025-01-01T00:00:00Z",
        "--valid-until",
        "2028-01-01T00:00:00Z",
    ]);
    let label = label.trim().to_string();
    assert!(!label.is_empty());
    ok(&[
        "label",
        "award",
        "--authority",
        p(&a.dir),
        "--holder",
        "https://other.test.example/issuer",
        "--name",
        "Another Issuer",
    ]);
    a.publish_at(NOW);
    let trust = a.trust(NOW, &root);

    // Labelled.
    let (code, r) = verify(&badge, &trust, &a.registry(), NOW);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["label"]["status"], "labelled", "{:#}", r["label"]);
    assert_eq!(r["label"]["heldAtIssuance"], true);
    let human = qlabel(&[
        "verify",
        p(&badge),
        "--at",
        NOW,
        "--trust",
        p(&trust),
        "--registry",
        p(&a.registry()),
        "--offline",
    ]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("holds the Quality Label for badge recognition from Demo Label Authority"),
        "{text}"
    );
    let strict = qlabel(&[
        "verify",
        p(&badge),
        "--at",
        NOW,
        "--trust",
        p(&trust),
        "--registry",
        p(&a.registry()),
        "--offline",
        "--require-label",
    ]);
    assert_eq!(strict.status.code(), Some(0));

    // Suspended, then reinstated.
    ok(&[
        "label",
        "suspend",
        "--authority",
        p(&a.dir),
        &label,
        "--reason",
        "complaint under review",
    ]);
    a.publish_at(NOW);
    let (code, r) = verify(&badge, &trust, &a.registry(), NOW);
    assert_eq!(r["label"]["status"], "suspended", "{:#}", r["label"]);
    assert_eq!(code, 0, "the badge itself is still valid");
    let strict = qlabel(&[
        "verify",
        p(&badge),
        "--at",
        NOW,
        "--trust",
        p(&trust),
        "--registry",
        p(&a.registry()),
        "--offline",
        "--require-label",
    ]);
    assert_eq!(strict.status.code(), Some(4));
    ok(&[
        "label",
        "reinstate",
        "--authority",
        p(&a.dir),
        &label,
        "--reason",
        "resolved",
    ]);
    a.publish_at(NOW);
    assert_eq!(
        verify(&badge, &trust, &a.registry(), NOW).1["label"]["status"],
        "labelled"
    );

    // Expired: judged after validUntil.
    let (_, r) = verify(&badge, &trust, &a.registry(), "2028-06-01T00:00:00Z");
    assert_eq!(r["label"]["status"], "expired", "{:#}", r["label"]);
    assert_eq!(label_check(&r, "label-validity"), "fail");

    // One byte of registry.json changed: not labelled, the signature fails.
    let original = std::fs::read(a.registry()).unwrap();
    let text = String::from_utf8(original.clone()).unwrap();
    let tampered = text.replacen("Demo Youth Centre", "Demo Youth Centrf", 1);
    assert_ne!(tampered, text);
    std::fs::write(a.registry(), tampered).unwrap();
    let (_, r) = verify(&badge, &trust, &a.registry(), NOW);
    assert_ne!(r["label"]["status"], "labelled", "{:#}", r["label"]);
    assert_eq!(
        label_check(&r, "registry-signature"),
        "fail",
        "{:#}",
        r["label"]
    );
    std::fs::write(a.registry(), original).unwrap();

    // A second authority's label for the same holder: untrusted when only A is trusted.
    let b = Authority::new(
        NOW,
        &root,
        "elsewhere",
        "Another Authority",
        "elsewhere.test.example",
    );
    ok(&[
        "label",
        "award",
        "--authority",
        p(&b.dir),
        "--holder",
        &issuer,
        "--name",
        "Demo Youth Centre",
    ]);
    b.publish_at(NOW);
    let (_, r) = verify(&badge, &trust, &b.registry(), NOW);
    assert_eq!(r["label"]["status"], "untrusted", "{:#}", r["label"]);

    // Withdrawn: final.
    ok(&[
        "label",
        "withdraw",
        "--authority",
        p(&a.dir),
        &label,
        "--reason",
        "standard no longer met",
    ]);
    a.publish_at(NOW);
    let (_, r) = verify(&badge, &trust, &a.registry(), NOW);
    assert_eq!(r["label"]["status"], "withdrawn", "{:#}", r["label"]);
    let _ = std::fs::remove_dir_all(&root);
}
