//! `qlabel assess` as users call it: readable and JSON output, exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qlabel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(args)
        .output()
        .unwrap()
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlabel-assess-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn complete_sample_json() {
    let out = qlabel(&["assess", &sample("assess-complete.json"), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "qlabel-assessment/1");
    assert_eq!(v["format"], "ob3");
    assert_eq!(v["name"], "Digital Content Creation");
    assert_eq!(v["summary"]["fail"], 0);
    let s = statuses(&v);
    assert_eq!(s.len(), 19);
    for (id, status) in &s {
        let expected = if ["I3", "A1", "A4", "I6"].contains(&id.as_str()) {
            "needs-human-review"
        } else {
            "pass"
        };
        assert_eq!(status, expected, "{id}");
    }
    assert!(v["criteria"][0]["field"]
        .as_str()
        .unwrap()
        .contains("issuer.email"));
}

#[test]
fn poor_sample_json_exits_1() {
    let out = qlabel(&["assess", &sample("assess-poor.json"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["fail"], 15);
    let s = statuses(&v);
    assert!(s.contains(&("B8".into(), "fail".into())));
    assert!(s.contains(&("A7".into(), "not-applicable".into())));
    assert!(s.contains(&("B6".into(), "needs-human-review".into())));
}

#[test]
fn readable_report_names_criteria() {
    let out = qlabel(&["assess", &sample("assess-poor.json")]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("\"Participation\" (Open Badges 3.0)"),
        "{text}"
    );
    for line in [
        "FAIL   B2   Criteria as a narrative, not only a link: the criteria are only a link",
        "REVIEW I3   Issuer holds an active Quality Label",
        "N/A    A7   Qualification level (EQF) where relevant",
        "fields: credentialSubject.achievement.criteria.narrative",
        "0 pass, 15 fail, 1 not applicable, 3 for a person to review.",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let out = qlabel(&["assess", &sample("assess-complete.json")]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("PASS   B3   Alignment to a competence framework"),
        "{text}"
    );
    assert!(text.contains("PASS   A7"), "{text}");
}

#[test]
fn unreadable_input_exits_2() {
    let garbage = tmp("garbage.json");
    std::fs::write(&garbage, b"{ this is not json").unwrap();
    let not_badge = tmp("not-a-badge.json");
    std::fs::write(&not_badge, b"{\"hello\": \"world\"}").unwrap();
    let missing = tmp("does-not-exist.json");
    for (path, says) in [
        (&garbage, "JSON"),
        (&not_badge, "not an Open Badges"),
        (&missing, "does-not-exist.json"),
    ] {
        let out = qlabel(&["assess", path.to_str().unwrap(), "--json"]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    let _ = std::fs::remove_dir_all(garbage.parent().unwrap());
}

#[test]
fn baked_image_is_unbaked_first() {
    let png = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30/simple-jwt.png");
    let out = qlabel(&["assess", png.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "Teamwork");
    let b8 = &v["criteria"][10];
    assert_eq!(b8["id"], "B8");
    assert!(b8["message"].as_str().unwrap().contains("VC-JWT"));
}
