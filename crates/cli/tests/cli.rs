//! The `qlabel` command as users and scripts call it: exit codes, files, JSON output.
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

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn sample(name: &str) -> String {
    samples().join(name).to_string_lossy().into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlabel-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn shipped_samples_verify_as_documented() {
    for (file, code, status) in [
        ("ob3-rdfc.json", 0, "valid"),
        ("ob3-jcs.json", 0, "valid"),
        ("ob3-tampered.json", 1, "invalid"),
    ] {
        let out = qlabel(&["verify", &sample(file), "--json", "--at", AT]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["schema"], "qlabel-report/1");
        assert_eq!(report["badge"]["status"], status, "{file}");
        assert_eq!(report["input"]["format"], "ob3-jsonld");
    }
    // The human summary names the verdict.
    let out = qlabel(&["verify", &sample("ob3-rdfc.json"), "--at", AT]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("badge: VALID"));
}

#[test]
fn expired_and_not_yet_valid_exit_1() {
    let out = qlabel(&[
        "verify",
        &sample("ob3-rdfc.json"),
        "--json",
        "--at",
        "2099-01-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["badge"]["status"], "expired");
    let out = qlabel(&[
        "verify",
        &sample("ob3-rdfc.json"),
        "--json",
        "--at",
        "2000-01-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["badge"]["status"], "not-yet-valid");
}

#[test]
fn usage_errors_and_unreadable_input_exit_2() {
    assert_eq!(qlabel(&["verify"]).status.code(), Some(2));
    assert_eq!(
        qlabel(&["verify", "/nonexistent/badge.json"]).status.code(),
        Some(2)
    );
    assert_eq!(
        qlabel(&["verify", &sample("ob3-rdfc.json"), "--at", "yesterday"])
            .status
            .code(),
        Some(2)
    );
    let junk = tmp("junk.json");
    std::fs::write(&junk, b"{not json").unwrap();
    let out = qlabel(&["verify", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid JSON"));
}

#[test]
fn stdin_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(["verify", "-", "--json", "--at", AT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(sample("ob3-jcs.json")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn generated_keys_are_private_and_sign_verifiable_credentials() {
    let key = tmp("key.json");
    let _ = std::fs::remove_file(&key);
    let out = qlabel(&["key", "generate", "-o", key.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The secret never reaches the terminal.
    let secret: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    let secret = secret["secretKeyMultibase"].as_str().unwrap().to_string();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&secret));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret));
    // Refuses to overwrite an existing key.
    assert_eq!(
        qlabel(&["key", "generate", "-o", key.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );

    // Sign a credential whose issuer is this key's did:key; it verifies.
    let did = serde_json::from_str::<Value>(&std::fs::read_to_string(&key).unwrap()).unwrap()
        ["controller"]
        .as_str()
        .unwrap()
        .to_string();
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(sample("ob3-unsigned.json")).unwrap())
            .unwrap();
    doc["issuer"]["id"] = Value::String(did);
    let unsigned = tmp("unsigned.json");
    std::fs::write(&unsigned, serde_json::to_vec(&doc).unwrap()).unwrap();
    for suite in ["rdfc", "jcs"] {
        let signed = tmp(&format!("signed-{suite}.json"));
        let out = qlabel(&[
            "sign",
            "--key",
            key.to_str().unwrap(),
            "--suite",
            suite,
            unsigned.to_str().unwrap(),
            "--created",
            "2025-01-01T00:00:00Z",
            "-o",
            signed.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = qlabel(&["verify", signed.to_str().unwrap(), "--json", "--at", AT]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{suite}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let proof = report["badge"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "proof")
            .unwrap();
        assert!(proof["message"]
            .as_str()
            .unwrap()
            .contains(&format!("eddsa-{suite}-2022")));
    }
    // Signing with someone else's key: the proof verifies, the key binding fails.
    let other = tmp("other.json");
    let _ = std::fs::remove_file(&other);
    assert!(qlabel(&["key", "generate", "-o", other.to_str().unwrap()])
        .status
        .success());
    let signed = tmp("signed-other.json");
    assert!(qlabel(&[
        "sign",
        "--key",
        other.to_str().unwrap(),
        "--suite",
        "rdfc",
        unsigned.to_str().unwrap(),
        "-o",
        signed.to_str().unwrap()
    ])
    .status
    .success());
    let out = qlabel(&["verify", signed.to_str().unwrap(), "--json", "--at", AT]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kb = report["badge"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "key-binding")
        .unwrap();
    assert_eq!(kb["status"], "fail");
}
