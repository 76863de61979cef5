//! The label authority commands end to end: `authority init|trust`, `label …`,
//! `registry publish`, and what verifiers make of the published site.
//!
//! The scale test is ignored by default; run it in release:
//! `cargo test --release -p qlabel-cli --test authority -- --ignored scale`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qlabel_core::di::{verify_proofs, CanonCache};
use qlabel_core::fetch::{block_on, MapFetch};
use qlabel_core::label::{shard_of, TrustAnchor};
use qlabel_core::{BadgeStatus, CheckStatus, Limits, Options};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use time::OffsetDateTime;

const NOW: &str = "2026-01-01T00:00:00Z";
const BASE: &str = "https://labels.example.org";
const AUTHORITY_ID: &str = "https://labels.example.org/authority.json";

fn qlabel(args: &[&str], now: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(args)
        .env("QLABEL_NOW", now)
        .output()
        .unwrap()
}

fn ok(args: &[&str], now: &str) -> String {
    let out = qlabel(args, now);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str], now: &str) -> String {
    let out = qlabel(args, now);
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// A scratch directory under the system's temp dir, removed when dropped (also when a
/// test fails: the scale test's site is about 2 GB).
struct Tmp(PathBuf);

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for Tmp {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn tmp(name: &str) -> Tmp {
    // `QLABEL_SCRATCH` moves the scratch folders (xtask points the 100 000-label run at a
    // tmpfs, so that it measures publishing rather than the disk's journal).
    let root = std::env::var_os("QLABEL_SCRATCH")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = root.join(format!(
        "qlabel-authority-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    Tmp(dir)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn audit(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("audit.log"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn label<'a>(store: &'a Value, id: &str) -> &'a Value {
    let uuid = id
        .rsplit(['/', ':'])
        .next()
        .unwrap()
        .trim_end_matches(".json");
    store["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["uuid"] == uuid)
        .unwrap()
}

fn time(t: &str) -> OffsetDateTime {
    qlabel_core::datetime::parse(t).unwrap().at
}

/// The published site as the web would serve it under `base`.
fn serve(site: &Path, base: &str) -> MapFetch {
    fn walk(dir: &Path, rel: &str, base: &str, web: &mut MapFetch) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &rel, base, web);
            } else if name.ends_with(".json") || rel.starts_with("status/") {
                // status/* is served as JSON, as the site's _headers says.
                web.insert_typed(
                    format!("{base}/{rel}"),
                    "application/json",
                    std::fs::read(e.path()).unwrap(),
                );
            } else if name.ends_with(".html") {
                web.insert_typed(
                    format!("{base}/{rel}"),
                    "text/html",
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    let mut web = MapFetch::default();
    walk(site, "", base, &mut web);
    web
}

/// Checks a registry document's proof (eddsa-jcs-2022 by the anchor's key).
fn registry_verifies(doc: &Value, anchor: &TrustAnchor, web: &MapFetch, at: &str) {
    let map = doc.as_object().unwrap();
    let proof = &doc["proof"];
    assert_eq!(proof["cryptosuite"], "eddsa-jcs-2022");
    assert!(anchor.owns(proof["verificationMethod"].as_str().unwrap()));
    let mut unsecured = map.clone();
    unsecured.remove("proof");
    let checks = block_on(verify_proofs(
        map,
        &Value::Object(unsecured),
        doc["issuer"].as_str(),
        time(at),
        web,
        Limits::default(),
        &mut CanonCache::default(),
    ));
    assert_eq!(checks.proof.status, CheckStatus::Pass, "{:?}", checks.proof);
    assert_eq!(
        checks.key_binding.status,
        CheckStatus::Pass,
        "{:?}",
        checks.key_binding
    );
}

fn verify_label(site: &Path, web: &MapFetch, id: &str, at: &str) -> qlabel_core::Report {
    let uuid = id
        .rsplit(['/', ':'])
        .next()
        .unwrap()
        .trim_end_matches(".json");
    let bytes = std::fs::read(site.join(format!("labels/{uuid}.json"))).unwrap();
    block_on(qlabel_core::verify(&bytes, &Options::at(time(at)), web)).unwrap()
}

#[test]
fn init_creates_the_authority_and_keeps_the_secret() {
    let dir = tmp("init");
    let out = qlabel(
        &[
            "authority",
            "init",
            "--name",
            "Cities of Learning",
            "--id",
            AUTHORITY_ID,
            "--out",
            &s(&dir),
        ],
        NOW,
    );
    assert_eq!(out.status.code(), Some(0));
    for f in ["authority.json", "key.json", "labels.json", "audit.log"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let key = read_json(&dir.join("key.json"));
    let secret = key["secretKeyMultibase"].as_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("key.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains(secret));
    let authority = read_json(&dir.join("authority.json"));
    assert_eq!(authority["id"], AUTHORITY_ID);
    assert_eq!(authority["name"], "Cities of Learning");
    assert_eq!(
        authority["verificationMethod"],
        format!("{AUTHORITY_ID}#key-1")
    );
    assert_eq!(authority["publicKeyMultibase"], key["publicKeyMultibase"]);
    assert!(!std::fs::read_to_string(dir.join("authority.json"))
        .unwrap()
        .contains(secret));
    let log = audit(&dir);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["action"], "init");
    assert_eq!(log[0]["at"], NOW);

    // The trust anchor: the authority id and its key, no secret, no registry yet.
    let trust = ok(&["authority", "trust", "--authority", &s(&dir)], NOW);
    assert!(!trust.contains(secret));
    let anchors = TrustAnchor::parse_many(&trust).unwrap();
    assert_eq!(anchors.len(), 1);
    assert_eq!(anchors[0].id, AUTHORITY_ID);
    assert_eq!(anchors[0].keys[0].id, format!("{AUTHORITY_ID}#key-1"));
    assert_eq!(
        anchors[0].keys[0].public_key_multibase,
        key["publicKeyMultibase"].as_str().unwrap()
    );
    assert!(anchors[0].registry.is_none());

    // Never over an existing authority.
    let err = fails(
        &[
            "authority",
            "init",
            "--name",
            "Other",
            "--id",
            AUTHORITY_ID,
            "--out",
            &s(&dir),
        ],
        NOW,
    );
    assert!(err.contains("already holds an authority"), "{err}");
    assert_eq!(read_json(&dir.join("key.json")), key);

    // Bad input is a usage error, never a panic.
    for (name, id) in [
        ("", AUTHORITY_ID),
        ("X", "not a url"),
        ("X", "did:key:z6Mk"),
    ] {
        fails(
            &[
                "authority",
                "init",
                "--name",
                name,
                "--id",
                id,
                "--out",
                &s(&tmp("init-bad")),
            ],
            NOW,
        );
    }
    let err = fails(
        &[
            "authority",
            "init",
            "--name",
            "X",
            "--id",
            AUTHORITY_ID,
            "--out",
            &s(&tmp("t")),
        ],
        "yesterday",
    );
    assert!(err.contains("QLABEL_NOW"), "{err}");
    fails(
        &["authority", "trust", "--authority", &s(&tmp("none"))],
        NOW,
    );
}

fn new_authority(name: &str, base_url: Option<&str>) -> Tmp {
    let dir = tmp(name);
    let mut args = vec![
        "authority",
        "init",
        "--name",
        "Cities of Learning <Label> Authority",
        "--id",
        AUTHORITY_ID,
        "--out",
    ];
    let d = s(&dir);
    args.push(&d);
    if let Some(b) = base_url {
        args.extend(["--base-url", b]);
    }
    ok(&args, NOW);
    dir
}

#[test]
fn labels_change_state_and_every_change_is_audited() {
    let dir = new_authority("life", None);
    let a = s(&dir);
    let l1 = ok(
        &[
            "label",
            "award",
            "--authority",
            &a,
            "--holder",
            "https://youth.example.org/issuer",
            "--holder",
            "did:web:youth.example.org",
            "--name",
            "Youth Centre",
            "--domain",
            "youth.example.org",
        ],
        NOW,
    );
    let l2 = ok(
        &[
            "label",
            "award",
            "--authority",
            &a,
            "--holder",
            "https://school.example.net/profile",
            "--name",
            "School",
            "--scope",
            "https://school.example.net/badges/1",
        ],
        NOW,
    );
    // The id only, on one line: scripts capture it.
    assert_eq!(l1.lines().count(), 1);
    let (l1, l2) = (l1.trim().to_string(), l2.trim().to_string());
    assert!(l1.starts_with("urn:uuid:"), "{l1}");
    assert_ne!(l1, l2);

    let store = read_json(&dir.join("labels.json"));
    let r1 = label(&store, &l1);
    assert_eq!(r1["holder"]["ids"][1], "did:web:youth.example.org");
    assert_eq!(r1["domains"], json!(["youth.example.org"]));
    assert_eq!(r1["validFrom"], NOW);
    assert_eq!(r1["validUntil"], "2029-01-01T00:00:00Z");
    assert_eq!(r1["status"], "active");
    assert_eq!(r1["history"], json!([{"at": NOW, "status": "active"}]));
    let r2 = label(&store, &l2);
    assert_eq!(r2["scope"], json!(["https://school.example.net/badges/1"]));
    assert_ne!(r1["revocationIndex"], r2["revocationIndex"]);
    assert_ne!(r1["suspensionIndex"], r2["suspensionIndex"]);

    let later = "2026-02-01T00:00:00Z";
    let change = |action: &str, id: &str, reason: &str| {
        ok(
            &["label", action, "--authority", &a, id, "--reason", reason],
            later,
        )
    };
    change("suspend", &l1, "complaint under review");
    assert_eq!(
        label(&read_json(&dir.join("labels.json")), &l1)["status"],
        "suspended"
    );
    // Suspending twice, renewing a suspended label: refused.
    fails(&["label", "suspend", "--authority", &a, &l1], later);
    fails(&["label", "renew", "--authority", &a, &l1], later);
    change("reinstate", &l1, "complaint dismissed");
    assert_eq!(
        label(&read_json(&dir.join("labels.json")), &l1)["status"],
        "active"
    );
    // Reinstating an active label: refused.
    fails(&["label", "reinstate", "--authority", &a, &l1], later);
    change("renew", &l1, "re-evaluated");
    let r1 = label(&read_json(&dir.join("labels.json")), &l1).clone();
    assert_eq!(r1["validUntil"], "2032-01-01T00:00:00Z");
    // The bare UUID names the label too.
    let uuid = l2.trim_start_matches("urn:uuid:");
    change("withdraw", uuid, "badges without criteria");
    assert_eq!(
        label(&read_json(&dir.join("labels.json")), &l2)["status"],
        "withdrawn"
    );
    let err = fails(&["label", "reinstate", "--authority", &a, &l2], later);
    assert!(err.contains("withdrawn"), "{err}");
    fails(&["label", "renew", "--authority", &a, &l2], later);
    fails(&["label", "withdraw", "--authority", &a, &l2], later);

    // Unknown labels and malformed ids.
    let err = fails(
        &[
            "label",
            "suspend",
            "--authority",
            &a,
            "urn:uuid:00000000-0000-4000-8000-000000000000",
        ],
        later,
    );
    assert!(err.contains("no label"), "{err}");
    fails(
        &["label", "suspend", "--authority", &a, "../../etc/passwd"],
        later,
    );

    let r1 = label(&read_json(&dir.join("labels.json")), &l1).clone();
    let events: Vec<&str> = r1["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["active", "suspended", "active", "active"]);
    assert_eq!(r1["history"][1]["reason"], "complaint under review");

    // One audit line per change, with its reason; refused changes leave no line.
    let log = audit(&dir);
    let actions: Vec<&str> = log.iter().map(|l| l["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "init",
            "award",
            "award",
            "suspend",
            "reinstate",
            "renew",
            "withdraw"
        ]
    );
    assert_eq!(log[1]["label"], l1.as_str());
    assert_eq!(log[3]["reason"], "complaint under review");
    assert_eq!(log[3]["at"], later);
    assert_eq!(log[4]["reason"], "complaint dismissed");
    assert_eq!(log[5]["reason"], "re-evaluated");
    assert_eq!(log[6]["reason"], "badges without criteria");
    assert_eq!(log[6]["label"], l2.as_str());

    // Award input is checked.
    for bad in [
        vec!["--holder", "not an id", "--name", "X"],
        vec!["--holder", "https://x.example/", "--name", ""],
        vec![
            "--holder",
            "https://x.example/",
            "--name",
            "X",
            "--domain",
            "a b",
        ],
        vec![
            "--holder",
            "https://x.example/",
            "--name",
            "X",
            "--valid-until",
            "2025-01-01T00:00:00Z",
        ],
        vec![
            "--holder",
            "https://x.example/",
            "--name",
            "X",
            "--valid-from",
            "soon",
        ],
    ] {
        let mut args = vec!["label", "award", "--authority", &a];
        args.extend(bad);
        fails(&args, NOW);
    }
    assert_eq!(audit(&dir).len(), 7);
}

#[test]
fn renewal_reactivates_an_expired_label() {
    let dir = new_authority("renew", Some(BASE));
    let a = s(&dir);
    let id = ok(
        &[
            "label",
            "award",
            "--authority",
            &a,
            "--holder",
            "https://org.example/issuer",
            "--name",
            "Org",
            "--valid-from",
            "2025-01-01T00:00:00Z",
            "--valid-until",
            "2026-06-01T00:00:00Z",
        ],
        NOW,
    );
    let id = id.trim();
    // With a base URL known, the id is the credential's URL.
    assert!(id.starts_with(&format!("{BASE}/labels/")) && id.ends_with(".json"));
    ok(
        &["label", "renew", "--authority", &a, id],
        "2027-01-01T00:00:00Z",
    );
    let r = label(&read_json(&dir.join("labels.json")), id).clone();
    assert_eq!(r["validUntil"], "2030-01-01T00:00:00Z");
    let events: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["active", "expired", "active"]);
    assert_eq!(r["history"][1]["at"], "2026-06-01T00:00:00Z");
}

#[test]
fn the_published_site_verifies() {
    let dir = new_authority("publish", None);
    let a = s(&dir);
    let award = |holders: &[&str], name: &str, extra: &[&str]| {
        let mut args = vec!["label", "award", "--authority", &a, "--name", name];
        for h in holders {
            args.extend(["--holder", h]);
        }
        args.extend(extra);
        ok(&args, NOW).trim().to_string()
    };
    let valid = award(
        &[
            "https://youth.example.org/issuer",
            "did:web:youth.example.org",
        ],
        "Youth <script>alert('x')</script> & \"Co\"",
        &["--domain", "youth.example.org"],
    );
    let scoped = award(
        &["https://school.example.net/profile"],
        "School",
        &["--scope", "https://school.example.net/badges/1"],
    );
    let suspended = award(&["https://s.example/issuer"], "Suspended Org", &[]);
    let withdrawn = award(&["https://w.example/issuer"], "Withdrawn Org", &[]);
    let expired = award(
        &["https://e.example/issuer"],
        "Expired Org",
        &[
            "--valid-from",
            "2022-01-01T00:00:00Z",
            "--valid-until",
            "2026-03-01T00:00:00Z",
        ],
    );
    ok(
        &[
            "label",
            "suspend",
            "--authority",
            &a,
            &suspended,
            "--reason",
            "audit",
        ],
        NOW,
    );
    ok(
        &[
            "label",
            "withdraw",
            "--authority",
            &a,
            &withdrawn,
            "--reason",
            "fraud",
        ],
        NOW,
    );

    // Publishing needs a base URL the first time.
    let err = fails(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&tmp("nobase")),
        ],
        NOW,
    );
    assert!(err.contains("--base-url"), "{err}");

    // Never into a folder holding the authority (its key would be published).
    let parent = dir.parent().unwrap().to_string_lossy().into_owned();
    for out in [a.as_str(), parent.as_str()] {
        let err = fails(
            &[
                "registry",
                "publish",
                "--authority",
                &a,
                "--out",
                out,
                "--base-url",
                BASE,
            ],
            NOW,
        );
        assert!(err.contains("secret key"), "{err}");
    }

    let at = "2026-04-01T00:00:00Z";
    let site = tmp("publish-site");
    ok(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&site),
            "--base-url",
            &format!("{BASE}/"),
        ],
        at,
    );
    let uuid = |id: &str| {
        id.rsplit(['/', ':'])
            .next()
            .unwrap()
            .trim_end_matches(".json")
            .to_string()
    };
    for f in [
        "registry.json",
        "status/revocation",
        "status/suspension",
        "authority.json",
        "trust.json",
        "index.html",
        "_headers",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    for id in [&valid, &scoped, &suspended, &withdrawn, &expired] {
        for ext in ["json", "html"] {
            assert!(site.join(format!("labels/{}.{ext}", uuid(id))).is_file());
        }
    }
    let holders = [
        "https://youth.example.org/issuer",
        "did:web:youth.example.org",
        "https://school.example.net/profile",
        "https://s.example/issuer",
        "https://w.example/issuer",
        "https://e.example/issuer",
    ];
    for h in holders {
        assert!(site.join(format!("shards/{}.json", shard_of(h))).is_file());
    }
    let shards = std::fs::read_dir(site.join("shards")).unwrap().count();
    let distinct: std::collections::HashSet<String> = holders.iter().map(|h| shard_of(h)).collect();
    assert_eq!(shards, distinct.len());

    // The trust anchor, as `authority trust` now prints it (the base URL is remembered).
    let trust = ok(&["authority", "trust", "--authority", &a], at);
    assert_eq!(
        serde_json::from_str::<Value>(&trust).unwrap(),
        read_json(&site.join("trust.json"))
    );
    let anchor = TrustAnchor::parse_many(&trust).unwrap().remove(0);
    assert_eq!(
        anchor.registry.as_deref(),
        Some(&*format!("{BASE}/registry.json"))
    );
    assert_eq!(
        anchor.shards.as_deref(),
        Some(&*format!("{BASE}/shards/{{shard}}.json"))
    );
    assert_eq!(read_json(&dir.join("authority.json"))["baseUrl"], BASE);
    let headers = std::fs::read_to_string(site.join("_headers")).unwrap();
    assert!(headers.contains("/registry.json\n  Access-Control-Allow-Origin: *"));
    assert!(headers
        .contains("/status/*\n  Access-Control-Allow-Origin: *\n  Content-Type: application/json"));

    let web = serve(&site, BASE);

    // The registry: signed with eddsa-jcs-2022 by the anchor's key, statuses as of now.
    let registry = read_json(&site.join("registry.json"));
    registry_verifies(&registry, &anchor, &web, at);
    assert_eq!(registry["issuer"], AUTHORITY_ID);
    let subject = &registry["credentialSubject"];
    assert_eq!(subject["updated"], at);
    assert_eq!(subject["nextUpdate"], "2026-04-08T00:00:00Z");
    let entries = subject["labels"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "entries are sorted by label id");
    let status_of = |id: &str| {
        entries
            .iter()
            .find(|e| e["label"].as_str().unwrap().contains(&uuid(id)))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(&valid), "active");
    assert_eq!(status_of(&scoped), "active");
    assert_eq!(status_of(&suspended), "suspended");
    assert_eq!(status_of(&withdrawn), "withdrawn");
    assert_eq!(status_of(&expired), "expired");
    let e = entries
        .iter()
        .find(|e| e["label"].as_str().unwrap().contains(&uuid(&valid)))
        .unwrap();
    let label_url = format!("{BASE}/labels/{}.json", uuid(&valid));
    assert_eq!(e["label"], label_url.as_str());
    assert_eq!(e["credential"], label_url.as_str());
    assert_eq!(
        e["certificate"],
        format!("{BASE}/labels/{}.html", uuid(&valid))
    );
    assert_eq!(e["domains"], json!(["youth.example.org"]));

    // A shard lists only the labels with a holder id in it, and is signed the same way.
    let shard = read_json(&site.join(format!(
        "shards/{}.json",
        shard_of("did:web:youth.example.org")
    )));
    registry_verifies(&shard, &anchor, &web, at);
    assert_eq!(
        shard["credentialSubject"]["shard"],
        shard_of("did:web:youth.example.org")
    );
    for entry in shard["credentialSubject"]["labels"].as_array().unwrap() {
        assert!(entry["holder"]["ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| shard_of(i.as_str().unwrap()) == shard_of("did:web:youth.example.org")));
    }

    // Label credentials verify through the site: the authority id serves its key.
    let report = verify_label(&site, &web, &valid, at);
    assert_eq!(
        report.badge.status,
        BadgeStatus::Valid,
        "{:#?}",
        report.badge.checks
    );
    let doc = read_json(&site.join(format!("labels/{}.json", uuid(&valid))));
    assert_eq!(doc["id"], label_url.as_str());
    assert_eq!(doc["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert!(anchor.owns(doc["proof"]["verificationMethod"].as_str().unwrap()));
    assert_eq!(
        doc["credentialSubject"]["id"],
        "https://youth.example.org/issuer"
    );
    assert_eq!(
        doc["credentialStatus"][0]["statusListCredential"],
        format!("{BASE}/status/revocation")
    );
    let report = verify_label(&site, &web, &scoped, at);
    assert_eq!(
        report.badge.status,
        BadgeStatus::Valid,
        "{:#?}",
        report.badge.checks
    );
    let report = verify_label(&site, &web, &suspended, at);
    assert_eq!(report.badge.status, BadgeStatus::Revoked);
    assert!(report.badge.checks.iter().any(|c| c.id == "status"
        && c.status == CheckStatus::Fail
        && c.message.contains("suspended")));
    let report = verify_label(&site, &web, &withdrawn, at);
    assert_eq!(report.badge.status, BadgeStatus::Revoked);
    assert!(report.badge.checks.iter().any(|c| c.id == "status"
        && c.status == CheckStatus::Fail
        && c.message.contains("revoked")));
    let report = verify_label(&site, &web, &expired, at);
    assert_eq!(report.badge.status, BadgeStatus::Expired);

    // Certificate pages: plain, escaped, in every language, with the status stated.
    let page = std::fs::read_to_string(site.join(format!("labels/{}.html", uuid(&valid)))).unwrap();
    assert!(!page.contains("<script"), "holder names are escaped");
    assert!(
        page.contains("Youth &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;")
    );
    assert!(page.contains("This label is valid."));
    assert!(page.contains("Dit label is geldig."));
    for lang in ["en", "nl", "sl", "lt", "it", "es", "sr"] {
        assert!(
            page.contains(&format!("<section id=\"{lang}\" lang=\"{lang}\">")),
            "{lang}"
        );
    }
    assert!(page.contains("did:web:youth.example.org"));
    assert!(page.contains("youth.example.org"));
    assert!(page.contains("2029-01-01"));
    assert!(page.contains(&format!("href=\"{}.json\"", uuid(&valid))));
    assert!(page.contains("href=\"../registry.json\""));
    assert!(!page.contains("http://") && !page.contains("<link rel=\"stylesheet\""));
    for (id, sentence) in [
        (&suspended, "This label is suspended"),
        (&withdrawn, "This label has been withdrawn"),
        (&expired, "This label has expired"),
    ] {
        let page = std::fs::read_to_string(site.join(format!("labels/{}.html", uuid(id)))).unwrap();
        assert!(page.contains(sentence), "{sentence}");
        assert!(!page.contains("This label is valid."));
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("<script"));
    assert!(index.contains("Cities of Learning &lt;Label&gt; Authority"));
    assert!(index.contains(&format!("labels/{}.html", uuid(&expired))));

    // The controller document at the authority id.
    let controller = read_json(&site.join("authority.json"));
    assert_eq!(controller["id"], AUTHORITY_ID);
    assert_eq!(
        controller["assertionMethod"][0],
        format!("{AUTHORITY_ID}#key-1")
    );
    assert!(!std::fs::read_to_string(site.join("authority.json"))
        .unwrap()
        .contains("secretKeyMultibase"));

    // Deterministic: the same state and time give the same files.
    let again = tmp("publish-again");
    ok(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&again),
        ],
        at,
    );
    for f in [
        "registry.json".to_string(),
        "status/revocation".into(),
        "index.html".into(),
        "trust.json".into(),
        format!("labels/{}.json", uuid(&valid)),
        format!("labels/{}.html", uuid(&suspended)),
        format!("shards/{}.json", shard_of("https://e.example/issuer")),
    ] {
        assert_eq!(
            std::fs::read(site.join(&f)).unwrap(),
            std::fs::read(again.join(&f)).unwrap(),
            "{f}"
        );
    }
    let log = audit(&dir);
    let publishes = log.iter().filter(|l| l["action"] == "publish").count();
    assert_eq!(publishes, 2);
    assert_eq!(log.last().unwrap()["details"]["baseUrl"], BASE);
    // Reinstating the suspended label and republishing makes it valid again.
    ok(&["label", "reinstate", "--authority", &a, &suspended], at);
    let third = tmp("publish-third");
    ok(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&third),
        ],
        at,
    );
    let web = serve(&third, BASE);
    let report = verify_label(&third, &web, &suspended, at);
    assert_eq!(
        report.badge.status,
        BadgeStatus::Valid,
        "{:#?}",
        report.badge.checks
    );
}

/// 100 000 labels: publish in under a minute (release), a holder's shard stays small
/// and verifies. Run with
/// `cargo test --release -p qlabel-cli --test authority -- --ignored scale`.
#[test]
#[ignore]
fn scale_publish_100k_labels() {
    const N: usize = 100_000;
    let dir = new_authority("scale", None);
    let a = s(&dir);
    let labels: Vec<Value> = (0..N)
        .map(|i| {
            let mut ids = vec![format!("https://org{i}.example.org/issuer")];
            if i % 3 == 0 {
                ids.push(format!("did:web:org{i}.example.org"));
            }
            json!({
                "uuid": format!("{:08x}-0000-4000-8000-{:012x}", i, i),
                "holder": {"ids": ids, "name": format!("Organisation {i}")},
                "domains": [format!("org{i}.example.org")],
                "scope": [],
                "validFrom": NOW,
                "validUntil": "2029-01-01T00:00:00Z",
                "revocationIndex": i,
                "suspensionIndex": i,
                "status": match i % 50 { 1 => "suspended", 2 => "withdrawn", _ => "active" },
                "awarded": NOW,
                "history": [{"at": NOW, "status": "active"}]
            })
        })
        .collect();
    std::fs::write(
        dir.join("labels.json"),
        serde_json::to_string(&json!({"version": 1, "labels": labels})).unwrap(),
    )
    .unwrap();
    drop(labels);

    let site = tmp("scale-site");
    let at = "2026-02-01T00:00:00Z";
    let start = std::time::Instant::now();
    ok(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&site),
            "--base-url",
            BASE,
        ],
        at,
    );
    let took = start.elapsed();
    eprintln!("published {N} labels in {took:?}");
    assert!(took.as_secs() < 60, "publishing took {took:?}");

    let trust = ok(&["authority", "trust", "--authority", &a], at);
    let anchor = TrustAnchor::parse_many(&trust).unwrap().remove(0);
    let mut web = MapFetch::default();
    for f in ["authority.json", "status/revocation", "status/suspension"] {
        web.insert_typed(
            format!("{BASE}/{f}"),
            "application/json",
            std::fs::read(site.join(f)).unwrap(),
        );
    }
    // The chosen holders' shards are small and verify; every shard is under 4 KB.
    for i in [0usize, 4242] {
        let holder = format!("https://org{i}.example.org/issuer");
        let path = site.join(format!("shards/{}.json", shard_of(&holder)));
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size < 4096, "shard of {holder}: {size} bytes");
        let shard = read_json(&path);
        registry_verifies(&shard, &anchor, &web, at);
        assert!(shard["credentialSubject"]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["holder"]["ids"][0] == holder.as_str()));
        let uuid = format!("{:08x}-0000-4000-8000-{:012x}", i, i);
        let report = verify_label(&site, &web, &uuid, at);
        assert_eq!(
            report.badge.status,
            BadgeStatus::Valid,
            "{:#?}",
            report.badge.checks
        );
    }
    let sizes: Vec<u64> = std::fs::read_dir(site.join("shards"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .collect();
    let small = sizes.iter().filter(|&&s| s < 4096).count();
    let largest = sizes.iter().max().copied().unwrap_or(0);
    eprintln!(
        "{} shards, {small} under 4 KB, the largest {largest} bytes",
        sizes.len()
    );
    assert_eq!(
        small,
        sizes.len(),
        "every shard a lookup can need is under 4 KB"
    );
    let registry = read_json(&site.join("registry.json"));
    assert_eq!(
        registry["credentialSubject"]["labels"]
            .as_array()
            .unwrap()
            .len(),
        N
    );
    assert_eq!(registry["proof"]["cryptosuite"], "eddsa-jcs-2022");
}

#[test]
fn a_did_web_authority_publishes_its_did_document() {
    let dir = tmp("didweb");
    let a = s(&dir);
    ok(
        &[
            "authority",
            "init",
            "--name",
            "DID Authority",
            "--id",
            "did:web:labels.example.org",
            "--out",
            &a,
        ],
        NOW,
    );
    let id = ok(
        &[
            "label",
            "award",
            "--authority",
            &a,
            "--holder",
            "https://org.example/issuer",
            "--name",
            "Org",
        ],
        NOW,
    );
    let site = tmp("didweb-site");
    ok(
        &[
            "registry",
            "publish",
            "--authority",
            &a,
            "--out",
            &s(&site),
            "--base-url",
            BASE,
        ],
        NOW,
    );
    let did = read_json(&site.join(".well-known/did.json"));
    assert_eq!(did["id"], "did:web:labels.example.org");
    assert_eq!(
        did["assertionMethod"][0],
        "did:web:labels.example.org#key-1"
    );
    let web = serve(&site, BASE);
    let at = "2026-01-02T00:00:00Z";
    let report = verify_label(&site, &web, id.trim(), at);
    assert_eq!(
        report.badge.status,
        BadgeStatus::Valid,
        "{:#?}",
        report.badge.checks
    );
    let anchor =
        TrustAnchor::parse_many(&std::fs::read_to_string(site.join("trust.json")).unwrap())
            .unwrap()
            .remove(0);
    registry_verifies(&read_json(&site.join("registry.json")), &anchor, &web, at);
    // An id the site cannot serve is published with a warning.
    let other = tmp("elsewhere");
    ok(
        &[
            "authority",
            "init",
            "--name",
            "Elsewhere",
            "--id",
            "https://elsewhere.example/",
            "--out",
            &s(&other),
        ],
        NOW,
    );
    let out = qlabel(
        &[
            "registry",
            "publish",
            "--authority",
            &s(&other),
            "--out",
            &s(&tmp("elsewhere-site")),
            "--base-url",
            BASE,
        ],
        NOW,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
}
