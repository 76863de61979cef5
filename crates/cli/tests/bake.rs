//! `qlabel bake BADGE IMAGE -o OUT` and `qlabel unbake IMAGE`, run as users run them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors");
const OB30: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30";
const HEART: &str = "1edtech-openbadges-validator-core/tests/testfiles/public_domain_heart.png";

fn qlabel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(args)
        .output()
        .unwrap()
}

fn vector(path: &str) -> String {
    Path::new(VECTORS).join(path).to_string_lossy().into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlabel-bake-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn unbake_prints_the_baked_badge() {
    let out = qlabel(&["unbake", &vector(&format!("{OB30}/simple-json.png"))]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["type"][1], "OpenBadgeCredential");
    assert!(stdout(&out).contains("\n  \"type\""), "pretty-printed");

    let out = qlabel(&["unbake", &vector(&format!("{OB30}/simple-jwt.svg"))]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out).trim().split('.').count(), 3);

    let out = qlabel(&[
        "unbake",
        &vector("mozilla-openbadges-bakery/test/no-json.svg"),
    ]);
    assert_eq!(stdout(&out).trim(), "http://example.org");
}

#[test]
fn unbake_fails_clearly() {
    for (file, words) in [
        (vector(HEART), "no baked badge"),
        (
            vector("mozilla-openbadges-bakery/test/bad-json.svg"),
            "neither JSON",
        ),
        (vector("EXPECTATIONS.json"), "not a PNG or SVG"),
    ] {
        let out = qlabel(&["unbake", &file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{file}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bake_then_unbake_every_form() {
    let svg = tmp("plain.svg");
    std::fs::write(
        &svg,
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">\n  <circle r=\"1\"/>\n</svg>\n",
    )
    .unwrap();
    let ob3 = std::process::Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(["unbake", &vector(&format!("{OB30}/simple-json.svg"))])
        .output()
        .unwrap();
    let ob3 = stdout(&ob3);
    let jwt = stdout(&qlabel(&[
        "unbake",
        &vector(&format!("{OB30}/simple-jwt.png")),
    ]));
    let ob2 = r#"{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/123"}"#;
    let url = "https://example.org/assertions/123";
    for (i, (badge, keyword, element)) in [
        (ob2, "openbadges", "<openbadges:assertion"),
        (url, "openbadges", "<openbadges:assertion verify="),
        (ob3.trim(), "openbadgecredential", "<openbadges:credential>"),
        (
            jwt.trim(),
            "openbadgecredential",
            "<openbadges:credential verify=",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let badge_file = tmp(&format!("badge{i}"));
        std::fs::write(&badge_file, badge).unwrap();
        for (image, ext) in [(PathBuf::from(vector(HEART)), "png"), (svg.clone(), "svg")] {
            let out_file = tmp(&format!("baked{i}.{ext}"));
            let out = qlabel(&["bake", s(&badge_file), s(&image), "-o", s(&out_file)]);
            assert_eq!(out.status.code(), Some(0), "{badge} {ext}: {out:?}");
            let bytes = std::fs::read(&out_file).unwrap();
            if ext == "png" {
                let kw = format!("{keyword}\0");
                assert!(bytes.windows(kw.len()).any(|w| w == kw.as_bytes()));
            } else {
                assert!(String::from_utf8_lossy(&bytes).contains(element), "{i}");
            }
            let out = qlabel(&["unbake", s(&out_file)]);
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            let printed = stdout(&out);
            if badge.starts_with('{') {
                let a: Value = serde_json::from_str(&printed).unwrap();
                let b: Value = serde_json::from_str(badge).unwrap();
                assert_eq!(a, b);
            } else {
                assert_eq!(printed.trim(), badge);
            }
            // Baking again replaces the badge.
            let again = tmp(&format!("again{i}.{ext}"));
            let out = qlabel(&["bake", s(&badge_file), s(&out_file), "--output", s(&again)]);
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            assert_eq!(std::fs::read(&again).unwrap(), bytes);
        }
    }
}

#[test]
fn bake_refuses_what_it_cannot_bake() {
    let junk = tmp("junk.json");
    std::fs::write(&junk, r#"{"name": "not a badge"}"#).unwrap();
    let out = qlabel(&["bake", s(&junk), &vector(HEART), "-o", s(&tmp("x.png"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.json"));

    let url = tmp("url.txt");
    std::fs::write(&url, "https://example.org/assertions/1\n").unwrap();
    let out = qlabel(&[
        "bake",
        s(&url),
        &vector("EXPECTATIONS.json"),
        "-o",
        s(&tmp("y.png")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a PNG or SVG"));
    assert!(!tmp("y.png").exists());

    // -o is required.
    let out = qlabel(&["bake", s(&url), &vector(HEART)]);
    assert_eq!(out.status.code(), Some(2));
}
