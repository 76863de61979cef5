//! Open Badges 2.0 vectors: every OB 2.0 entry of ../shared/vectors/EXPECTATIONS.json
//! (1EdTech inspector-vc `ob20/`, validator-core test components, OB 2.0 spec examples)
//! gets the verdict tests/manifest/ob2-vectors.json records for it, with the fixture web
//! served as the 1EdTech OB20Tests serve it. Then the signed and hosted paths with the
//! fixture web changed: unreachable revocation list, unlisted key, tampered signature,
//! wrong hosting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qlabel_core::fetch::{block_on, Expect, Fetch, FetchError, Fetched, MapFetch};
use qlabel_core::ob2::{parse_ob2, verify_ob2, Ob2Input};
use qlabel_core::{Options, Report};
use serde_json::Value;
use std::path::Path;

fn manifest() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/manifest/ob2-vectors.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn at() -> time::OffsetDateTime {
    qlabel_core::datetime::parse(manifest()["at"].as_str().unwrap())
        .unwrap()
        .at
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".png") {
        "image/png"
    } else if name.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "application/ld+json"
    }
}

/// The 1EdTech fixture web: every file of `ob20/assets/` at each mapped host.
fn fixture_web() -> MapFetch {
    let m = manifest();
    let assets = common::vectors().join(m["assets"].as_str().unwrap());
    let mut web = MapFetch::default();
    for entry in std::fs::read_dir(&assets).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let body = std::fs::read(&path).unwrap();
        for host in m["hosts"].as_array().unwrap() {
            web.insert_typed(
                format!("{}{name}", host.as_str().unwrap()),
                content_type(&name),
                body.clone(),
            );
        }
    }
    web
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(common::vectors().join(rel)).unwrap()
}

fn status(report: &Report) -> String {
    serde_json::to_value(report.badge.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn checks_of<'r>(report: &'r Report, id: &str) -> Vec<&'r qlabel_core::report::Check> {
    report.badge.checks.iter().filter(|c| c.id == id).collect()
}

fn explain(report: &Report) -> String {
    serde_json::to_string_pretty(&report.badge.checks).unwrap()
}

/// Verifies a vector file: `Err` when `parse_ob2` refuses it.
fn run(bytes: &[u8], web: &MapFetch, recipient: Option<&str>) -> Result<Report, String> {
    let input = parse_ob2(bytes, qlabel_core::Limits::default()).map_err(|e| e.to_string())?;
    let web = with_own_copy(&input, bytes, web);
    let mut options = Options::at(at());
    options.recipient = recipient.map(str::to_string);
    Ok(block_on(verify_ob2(input, &options, &web)))
}

/// The web a vector file is judged with: a hosted assertion given as a file is, in the
/// fixture web, hosted at its own id.
fn with_own_copy(input: &Ob2Input, bytes: &[u8], web: &MapFetch) -> MapFetch {
    let mut web = web.clone();
    if let Ob2Input::Assertion(doc) = input {
        if let Some(id) = doc.get("id").and_then(Value::as_str) {
            if id.starts_with("http") {
                web.insert_typed(id, "application/ld+json", bytes.to_vec());
            }
        }
    }
    web
}

/// For the wasm plan: the vector through `qlabel_core::verify` (the entry point
/// qlabel-wasm calls, which finds the OB 2.0 form itself) on the same web as `run`,
/// recorded.
fn plan_case(file: &str, bytes: &[u8], web: &MapFetch, manifest: Value) -> Value {
    let web = match parse_ob2(bytes, qlabel_core::Limits::default()) {
        Ok(input) => with_own_copy(&input, bytes, web),
        Err(_) => web.clone(),
    };
    let options = Options::at(at());
    let (_, case) = common::plan::run_case(
        &format!("ob2:{file}"),
        bytes,
        &manifest_at(),
        &options,
        &web,
        manifest,
    );
    case
}

fn manifest_at() -> String {
    manifest()["at"].as_str().unwrap().to_string()
}

fn class(verdict: &str) -> Option<&'static str> {
    match verdict {
        "valid" | "warning" => Some("accepted"),
        v if v.starts_with("valid") => Some("accepted"),
        "invalid" | "revoked" | "expired" | "not-yet-valid" => Some("rejected"),
        v if v.starts_with("invalid") => Some("rejected"),
        _ => None,
    }
}

#[test]
fn every_ob2_vector_gets_its_recorded_verdict() {
    let m = manifest();
    let cases = m["cases"].as_array().unwrap();
    let patterns: Vec<&str> = m["match"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let expectations: Vec<Value> =
        serde_json::from_value(common::read_json("EXPECTATIONS.json")).unwrap();

    // Nothing skipped silently: every matching entry has a case (or a listed skip).
    let missing: Vec<&str> = expectations
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .filter(|f| patterns.iter().any(|p| f.contains(p)))
        .filter(|f| !cases.iter().any(|c| c["file"] == *f))
        .collect();
    assert!(
        missing.is_empty(),
        "OB 2.0 vectors missing from the manifest: {missing:#?}"
    );

    let web = fixture_web();
    let plan_dir = common::plan::dir();
    let mut plan = Vec::new();
    let mut wrong = Vec::new();
    let mut ran = 0;
    for c in cases {
        let file = c["file"].as_str().unwrap();
        assert!(
            common::vectors().join(file).is_file(),
            "{file}: no such vector"
        );
        if let Some(why) = c.get("skip") {
            assert!(
                [".png", ".svg"].iter().any(|x| file.ends_with(x)),
                "{file}: only baked images may be skipped here ({why})"
            );
            continue;
        }
        let expect = c["expect"].as_str().unwrap();
        let upstream = c["upstream"].as_str().unwrap();

        // 'differs' is set exactly when qlabel accepts what upstream rejects, or the other
        // way round, or refuses as unreadable what upstream judged.
        let ours = if expect == "error" {
            Some("error")
        } else {
            class(expect)
        };
        let theirs = class(upstream);
        let differs = theirs.is_some() && ours != theirs;
        if c.get("differs").and_then(Value::as_bool).unwrap_or(false) != differs {
            wrong.push(format!(
                "{file}: 'differs' must be {differs} (expect {expect}, upstream {upstream})"
            ));
        }
        if differs && c.get("note").is_none() {
            wrong.push(format!(
                "{file}: a verdict that differs from upstream needs a note"
            ));
        }

        let mut case_web = web.clone();
        if let Some(extra) = c.get("web").and_then(Value::as_object) {
            for (url, rel) in extra {
                let rel = rel.as_str().unwrap();
                case_web.insert_typed(url.clone(), content_type(rel), read(rel));
            }
        }
        ran += 1;
        if plan_dir.is_some() {
            plan.push(plan_case(
                file,
                &read(file),
                &case_web,
                serde_json::json!({"expect": expect, "check": c.get("check")}),
            ));
        }
        match run(&read(file), &case_web, None) {
            Err(e) => {
                if expect != "error" {
                    wrong.push(format!(
                        "{file}: expected {expect}, but the input was refused: {e}"
                    ));
                }
            }
            Ok(report) => {
                let got = status(&report);
                if got != expect {
                    wrong.push(format!(
                        "{file}: expected {expect}, got {got}\n{}",
                        explain(&report)
                    ));
                    continue;
                }
                if let Some(id) = c.get("check").and_then(Value::as_str) {
                    let found = checks_of(&report, id);
                    let decides = if expect == "valid" {
                        found.iter().any(|c| {
                            matches!(
                                c.status,
                                qlabel_core::CheckStatus::Pass | qlabel_core::CheckStatus::Warn
                            )
                        }) && !found
                            .iter()
                            .any(|c| c.status == qlabel_core::CheckStatus::Fail || c.unverifiable)
                    } else {
                        found
                            .iter()
                            .any(|c| c.status == qlabel_core::CheckStatus::Fail || c.unverifiable)
                    };
                    if !decides {
                        wrong.push(format!(
                            "{file}: expected the {id} check to decide {expect}\n{}",
                            explain(&report)
                        ));
                    }
                }
                if expect == "valid" && c["check"] == "format" {
                    // A valid badge whose deciding check is the format one: it warns.
                    if !checks_of(&report, "format")
                        .iter()
                        .any(|c| c.status == qlabel_core::CheckStatus::Warn)
                    {
                        wrong.push(format!(
                            "{file}: expected a format warning\n{}",
                            explain(&report)
                        ));
                    }
                }
            }
        }
    }
    if let Some(dir) = &plan_dir {
        common::plan::write(
            dir,
            "ob2-vectors",
            "crates/core/tests/ob2_vectors.rs",
            &manifest_at(),
            plan,
        );
    }
    assert!(ran > 40, "only {ran} cases ran");
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

const OB20: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob20/";

fn jwt(name: &str) -> Vec<u8> {
    read(&format!("{OB20}{name}"))
}

fn check_status(report: &Report, id: &str) -> Vec<String> {
    checks_of(report, id)
        .iter()
        .map(|c| {
            if c.unverifiable {
                "unverifiable".to_string()
            } else {
                serde_json::to_value(c.status)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            }
        })
        .collect()
}

#[test]
fn signed_report_names_issuer_badge_and_recipient() {
    let report = run(&jwt("simple.jwt"), &fixture_web(), None).unwrap();
    assert_eq!(status(&report), "valid", "{}", explain(&report));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["input"]["format"], "ob2-signed");
    assert_eq!(json["badge"]["name"], "Awesome Robotics Badge");
    assert_eq!(
        json["badge"]["issuer"]["id"],
        "https://example.org/organization.json"
    );
    assert_eq!(json["badge"]["issuer"]["name"], "An Example Badge Issuer");
    assert_eq!(json["badge"]["issued"], "2016-12-31T23:59:59Z");
    assert_eq!(
        json["badge"]["recipient"]["identity"]
            .as_str()
            .unwrap()
            .len(),
        71
    );
    assert_eq!(json["label"]["status"], "unknown");
    let fetched: Vec<&str> = json["input"]["fetched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    assert!(
        fetched.contains(&"http://example.org/key1.json"),
        "{fetched:?}"
    );
    assert_eq!(check_status(&report, "recipient"), ["skip"]);
}

#[test]
fn unreachable_revocation_list_is_unverifiable() {
    let mut web = fixture_web();
    web.documents
        .remove("http://example.org/revocation-list.json");
    let report = run(&jwt("simple-revoked.jwt"), &web, None).unwrap();
    assert_eq!(status(&report), "unverifiable", "{}", explain(&report));
    let status_check = checks_of(&report, "status")[0];
    assert!(status_check.unverifiable);
    assert!(
        status_check
            .message
            .contains("http://example.org/revocation-list.json"),
        "{}",
        status_check.message
    );
    // Revoked, with the issuer's reason, when the list is there.
    let report = run(&jwt("simple-revoked.jwt"), &fixture_web(), None).unwrap();
    assert_eq!(status(&report), "revoked");
    assert!(checks_of(&report, "status")[0]
        .message
        .contains("A good reason, for sure"));
    // Not revoked: the empty list.
    let report = run(&jwt("simple-not-revoked.jwt"), &fixture_web(), None).unwrap();
    assert_eq!(check_status(&report, "status"), ["pass"]);
}

#[test]
fn signed_key_must_belong_to_the_issuer() {
    // The issuer stops listing key1.
    let mut web = fixture_web();
    let mut org: Value =
        serde_json::from_slice(&read(&format!("{OB20}assets/organization.json"))).unwrap();
    org.as_object_mut().unwrap().remove("publicKey");
    web.insert(
        "https://example.org/organization.json",
        serde_json::to_vec(&org).unwrap(),
    );
    let report = run(&jwt("simple.jwt"), &web, None).unwrap();
    assert_eq!(status(&report), "invalid");
    assert_eq!(check_status(&report, "key-binding"), ["fail"]);

    // The key names another owner.
    let mut web = fixture_web();
    let mut key: Value = serde_json::from_slice(&read(&format!("{OB20}assets/key1.json"))).unwrap();
    key["owner"] = "https://example.org/organization-no-public-key.json".into();
    web.insert(
        "http://example.org/key1.json",
        serde_json::to_vec(&key).unwrap(),
    );
    let report = run(&jwt("simple.jwt"), &web, None).unwrap();
    assert_eq!(status(&report), "invalid");
    assert_eq!(check_status(&report, "key-binding"), ["fail"]);

    // Another issuer's key (key2) in key1's place: the signature fails.
    let mut web = fixture_web();
    let mut key: Value = serde_json::from_slice(&read(&format!("{OB20}assets/key2.json"))).unwrap();
    key["id"] = "http://example.org/key1.json".into();
    key["owner"] = "https://example.org/organization.json".into();
    web.insert(
        "http://example.org/key1.json",
        serde_json::to_vec(&key).unwrap(),
    );
    let report = run(&jwt("simple.jwt"), &web, None).unwrap();
    assert_eq!(status(&report), "invalid");
    assert_eq!(check_status(&report, "proof"), ["fail"]);

    // The key cannot be fetched.
    let mut web = fixture_web();
    web.documents.remove("http://example.org/key1.json");
    let report = run(&jwt("simple.jwt"), &web, None).unwrap();
    assert_eq!(status(&report), "unverifiable");
    let binding = checks_of(&report, "key-binding")[0];
    assert!(binding.unverifiable && binding.message.contains("http://example.org/key1.json"));
}

#[test]
fn tampered_payload_fails_the_signature() {
    let token = String::from_utf8(jwt("simple.jwt")).unwrap();
    let parts: Vec<&str> = token.trim().split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(b64.decode(parts[1]).unwrap()).unwrap();
    let forged = payload.replace("2016-12-31T23:59:59Z", "2017-12-31T23:59:59Z");
    let token = format!("{}.{}.{}", parts[0], b64.encode(forged), parts[2]);
    let report = run(token.as_bytes(), &fixture_web(), None).unwrap();
    assert_eq!(status(&report), "invalid");
    assert_eq!(check_status(&report, "proof"), ["fail"]);
}

#[test]
fn recipient_is_compared_only_when_asked() {
    // The 1EdTech fixtures' recipient is sha256("<someone>" + "deadsea"); the spec
    // examples' hash is of another address. Neither is a known address, so build one.
    use sha2::Digest;
    let email = "Beth@Example.org";
    let hash: String = sha2::Sha256::digest(format!("{}deadsea", email.to_lowercase()))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut doc: Value =
        serde_json::from_slice(&read(&format!("{OB20}basic-assertion.json"))).unwrap();
    doc["recipient"]["identity"] = format!("sha256${hash}").into();
    let bytes = serde_json::to_vec(&doc).unwrap();
    let web = fixture_web();
    let asked = |r: Option<&str>| {
        let report = run(&bytes, &web, r).unwrap();
        (status(&report), check_status(&report, "recipient"))
    };
    assert_eq!(asked(None), ("valid".into(), vec!["skip".to_string()]));
    assert_eq!(
        asked(Some("beth@example.org")),
        ("valid".into(), vec!["pass".to_string()])
    );
    // Email addresses compare without regard to case.
    assert_eq!(
        asked(Some("BETH@example.org")),
        ("valid".into(), vec!["pass".to_string()])
    );
    assert_eq!(
        asked(Some("mailto:beth@example.org")),
        ("valid".into(), vec!["pass".to_string()])
    );
    assert_eq!(
        asked(Some("someone@example.org")),
        ("invalid".into(), vec!["fail".to_string()])
    );
}

/// A fetcher that answers 410 Gone for one URL and serves the fixture web otherwise.
#[derive(Debug)]
struct GoneAt(MapFetch, &'static str);

impl Fetch for GoneAt {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        if url == self.1 {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: 410,
            });
        }
        self.0.fetch(url, expect).await
    }
}

#[test]
fn hosted_assertion_gone_is_revoked() {
    let url = "https://example.org/beths-robotics-badge.json";
    let web = GoneAt(
        fixture_web(),
        "https://example.org/beths-robotics-badge.json",
    );
    let options = Options::at(at());
    let report = block_on(verify_ob2(Ob2Input::Url(url.into()), &options, &web));
    assert_eq!(status(&report), "revoked", "{}", explain(&report));
    let doc: Value = serde_json::from_slice(&read(&format!("{OB20}basic-assertion.json"))).unwrap();
    let Value::Object(doc) = doc else { panic!() };
    let report = block_on(verify_ob2(Ob2Input::Assertion(doc), &options, &web));
    assert_eq!(status(&report), "revoked", "{}", explain(&report));
    // A URL given to verify() itself (what `qlabel verify URL`, the extension and the
    // widget do) is revoked too, not unverifiable; any other HTTP error stays unverifiable.
    let report = block_on(qlabel_core::verify(url.as_bytes(), &options, &web)).unwrap();
    assert_eq!(status(&report), "revoked", "{}", explain(&report));
    assert_eq!(report.label.status, qlabel_core::LabelStatus::NotEvaluated);
    let missing = "https://example.org/no-such-badge.json";
    let report = block_on(qlabel_core::verify(missing.as_bytes(), &options, &web)).unwrap();
    assert_eq!(status(&report), "unverifiable", "{}", explain(&report));
}

#[test]
fn hosted_by_url_and_redirects() {
    let url = "https://example.org/beths-robotics-badge.json";
    let body = read(&format!("{OB20}basic-assertion.json"));
    let options = Options::at(at());

    let mut web = fixture_web();
    web.insert(url, body.clone());
    let report = block_on(verify_ob2(Ob2Input::Url(url.into()), &options, &web));
    assert_eq!(status(&report), "valid", "{}", explain(&report));
    assert_eq!(
        serde_json::to_value(&report).unwrap()["input"]["format"],
        "ob2-hosted"
    );

    // A redirect within the issuer's origin is fine…
    let mut web = fixture_web();
    web.insert("https://example.org/moved/badge.json", body.clone())
        .redirect(url, "https://example.org/moved/badge.json");
    let report = block_on(verify_ob2(Ob2Input::Url(url.into()), &options, &web));
    assert_eq!(status(&report), "valid", "{}", explain(&report));

    // …one that leaves it is not.
    let mut web = fixture_web();
    web.insert("https://badges.example.net/badge.json", body.clone())
        .redirect(url, "https://badges.example.net/badge.json");
    let report = block_on(verify_ob2(Ob2Input::Url(url.into()), &options, &web));
    assert_eq!(status(&report), "invalid", "{}", explain(&report));
    assert_eq!(check_status(&report, "hosted-origin"), ["fail"]);

    // The assertion copied to another site, claiming the issuer: the id is not the URL,
    // and the id (the issuer's site) does not serve it.
    let mut web = fixture_web();
    web.insert("https://badges.example.net/copy.json", body.clone());
    let report = block_on(verify_ob2(
        Ob2Input::Url("https://badges.example.net/copy.json".into()),
        &options,
        &web,
    ));
    assert_eq!(status(&report), "unverifiable", "{}", explain(&report));

    // Hosted on another site under its own id: outside the issuer's origin.
    let mut doc: Value = serde_json::from_slice(&body).unwrap();
    doc["id"] = "https://badges.example.net/copy.json".into();
    let mut web = fixture_web();
    web.insert(
        "https://badges.example.net/copy.json",
        serde_json::to_vec(&doc).unwrap(),
    );
    let report = block_on(verify_ob2(
        Ob2Input::Url("https://badges.example.net/copy.json".into()),
        &options,
        &web,
    ));
    assert_eq!(status(&report), "invalid", "{}", explain(&report));
    assert_eq!(check_status(&report, "hosted-origin"), ["fail"]);

    // Offline: every fetch fails, so the badge cannot be verified (never valid).
    let report = block_on(verify_ob2(
        Ob2Input::Url(url.into()),
        &options,
        &qlabel_core::fetch::Offline,
    ));
    assert_eq!(status(&report), "unverifiable");
    assert!(report.badge.checks[0].message.contains(url));
}

#[test]
fn hosted_copy_is_the_one_judged() {
    // The file given says it never expires; the issuer's hosted copy says it expired.
    let given: Value =
        serde_json::from_slice(&read(&format!("{OB20}basic-assertion.json"))).unwrap();
    let hosted = read(&format!("{OB20}basic-assertion-expired.json"));
    let mut web = fixture_web();
    web.insert("https://example.org/beths-robotics-badge.json", hosted);
    let Value::Object(doc) = given else { panic!() };
    let report = block_on(verify_ob2(
        Ob2Input::Assertion(doc),
        &Options::at(at()),
        &web,
    ));
    assert_eq!(status(&report), "expired", "{}", explain(&report));
    assert!(checks_of(&report, "format")
        .iter()
        .any(|c| c.message.contains("differs")));
}

#[test]
fn parse_ob2_reads_the_three_forms() {
    let limits = qlabel_core::Limits::default();
    assert!(matches!(
        parse_ob2(b"  https://example.org/a.json\n", limits),
        Ok(Ob2Input::Url(u)) if u == "https://example.org/a.json"
    ));
    assert!(matches!(
        parse_ob2(&jwt("simple.jwt"), limits),
        Ok(Ob2Input::Jws(_))
    ));
    assert!(matches!(
        parse_ob2(&read(&format!("{OB20}basic-assertion.json")), limits),
        Ok(Ob2Input::Assertion(_))
    ));
    let err = parse_ob2(&read(&format!("{OB20}assets/robotics-badge.json")), limits).unwrap_err();
    assert!(err.to_string().contains("BadgeClass"), "{err}");
    // An OB 3.0 credential is not OB 2.0.
    let ob3 = br#"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"]}"#;
    assert!(parse_ob2(ob3, limits).is_err());
    assert!(Path::new(&common::vectors()).is_dir());
}

/// A 2048-bit RSA key made for these tests only (openssl genpkey), to sign assertions
/// the fixtures do not have.
const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDJ1RjYj/UPINra\n/Y+jw9Uye+aEJu/ctjZgEOUN+kskIIUFkjEXCUtTg+TcFBdlQyhyuK2DJ7Ec+DRa\nt/Lb78/EbDCgNqufYYa3O5FCjEDOrsydw5FHFzirxBJuEuyZtAzW/LsJM/5SPXq0\nEISI48imMlc2h5jeCzhoGOC4wq7LoouegQduSWwWQuFULOKPGlnzNFvRgLSF6J1g\nQ6valsAq4mhP3azIx9sha9FN+LlVuDOjrJ0dOaNYzYsk2i9di+ry5KdLHre3E1n3\nIVhsZX49Q+MckTKgctcFd6A9i/gQBin5TMRwSHqJLD1arvpyC9mKchKHMYKi7p0H\nRGuhh6PFAgMBAAECggEABbxz8pGy0rLUbYANK/JrSyjuI1Lc+Hjy64DcwFcyTqz1\nmDPbB88okCTR5WGqduMKpv9cf7tUzgs4J7I4ftYztt7RSfhhISGQhoF0+SnLHLn8\nkD5IO8zrPCcm0/CJ6hC4gwgB7nrHD1d2duAiTXwAePK6Jk9XwaBwLQs0oHj4pp+4\n1u+Kl/jKwp9n84GRxySkr7G6bjWUEEFTdkBqKvtH2BuiBjhku7dacL1OyvE9eMrh\np6O67QLAmuIZRRaXKRgvZLM9LtXG84A+aTx/QM6DaLFHkU10OrSxX/vyKPy63Mtq\ndLypijpcoXeQBABIh1wJa4unOr5Z+iv1O+JiOfQgCQKBgQDj2EzcL1TPptKmImZR\nTSbyGxU0xbJAnIaSqjF/8oZGShie9te11NyTwuttrTTUQaWWPnJte0meBHAVU22W\nCLIAAWJ/7EMHHTPH3Sm98r/fPeVhAPAYNPQ7ujSXc1ayvhzpNvL8GcW97+Rgg/Uk\nE7wFKjjXtmWF0NgjY+m95Y1ubQKBgQDixekwgFZKQXyLkK101bmQu6vR/RZbAu2k\nphNli0BRpTWpV/U8v2F+OCHS17oFq8ME9MqYiZ61AnGTHRg4YqyQJLMK4AyRpkYR\n4X2T81+zkBgc5HRH4VoDO/YmM1VICuUPlEeIgrB6oGDYa53IiSOu6UR/JpLH3gr3\nPMJmICvTuQKBgHp2cvFR+1rVBpnHGYmPV2R/zAkeTW3O88H2+j4UA7nZ75vZfx27\neIdvGA1OMHv5gN/dVrGjt3DYX8oGmnsu10WLeP7a5Tf4qTE+nUX8KMb7xMM7ttC7\n/Z3wun3Av5O4/V8Yase3roIlY3HA20z10nRQOlcvMSgYlWOIO0UXEcqNAoGBAOKf\n0hhsSM/QffyjyxSVeerQAjfKawrs9Dy003GJJe/x4JypkCTzRST0R6kDeZ2tNym+\n0LB756URGhtg2hGPWtB6PItDuIvd1OyNoge3Eg7Kk65cCHDFHkVZKPaoGjPy31Mg\nZhRgNql1mRLvCTGdC5IDADbpf4pJtj+58rRItkPRAoGATIaU9HnMVIiuOkQjKWB6\nugEDNbsemgDOP8iDrDI4+ceT/caWFPmx1+x8t4r6udtFD/U4WmUcVGl1+Dz1t/Am\nKEI6dN5m5rAeWeWzYqrMh8f9/WNL6o9ELsENMo1qM8lEYFeAVv7Gd/UV1Bd/zIy+\nYFe/0x856Zs/3zomthI/fEQ=\n-----END PRIVATE KEY-----";
const TEST_PUB: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAydUY2I/1DyDa2v2Po8PV\nMnvmhCbv3LY2YBDlDfpLJCCFBZIxFwlLU4Pk3BQXZUMocritgyexHPg0Wrfy2+/P\nxGwwoDarn2GGtzuRQoxAzq7MncORRxc4q8QSbhLsmbQM1vy7CTP+Uj16tBCEiOPI\npjJXNoeY3gs4aBjguMKuy6KLnoEHbklsFkLhVCzijxpZ8zRb0YC0heidYEOr2pbA\nKuJoT92syMfbIWvRTfi5Vbgzo6ydHTmjWM2LJNovXYvq8uSnSx63txNZ9yFYbGV+\nPUPjHJEyoHLXBXegPYv4EAYp+UzEcEh6iSw9Wq76cgvZinIShzGCou6dB0RroYej\nxQIDAQAB\n-----END PUBLIC KEY-----";

fn sign(payload: &Value) -> String {
    use base64::Engine;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(TEST_KEY).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    let input = format!(
        "{}.{}",
        b64.encode(br#"{"alg":"RS256"}"#),
        b64.encode(serde_json::to_vec(payload).unwrap())
    );
    let sig = signer.sign(input.as_bytes());
    format!("{input}.{}", b64.encode(sig.to_bytes()))
}

/// An issuer of our own at https://issuer.example with the test key.
fn own_issuer_web(revocation: Option<Value>) -> MapFetch {
    let mut web = fixture_web();
    let mut profile = serde_json::json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Issuer",
        "id": "https://issuer.example/profile.json", "name": "Own Issuer",
        "url": "https://issuer.example", "email": "badges@issuer.example",
        "publicKey": "https://issuer.example/key.json"
    });
    if let Some(list) = revocation {
        profile["revocationList"] = "https://issuer.example/revoked.json".into();
        web.insert(
            "https://issuer.example/revoked.json",
            serde_json::to_vec(&list).unwrap(),
        );
    }
    web.insert(
        "https://issuer.example/profile.json",
        serde_json::to_vec(&profile).unwrap(),
    );
    let key = serde_json::json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
        "id": "https://issuer.example/key.json", "owner": "https://issuer.example/profile.json",
        "publicKeyPem": TEST_PUB
    });
    web.insert(
        "https://issuer.example/key.json",
        serde_json::to_vec(&key).unwrap(),
    );
    web
}

fn own_assertion(creator: Option<&str>) -> Value {
    let mut a = serde_json::json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "urn:uuid:1d7c8f37-3a2c-4c3b-9d59-2a0d3c1e5a11",
        "recipient": {"type": "email", "hashed": false, "identity": "alice@example.org"},
        "issuedOn": "2025-01-01T00:00:00Z",
        "badge": {
            "type": "BadgeClass", "id": "https://issuer.example/badge.json", "name": "Own Badge",
            "description": "d", "image": "https://issuer.example/badge.png",
            "criteria": {"narrative": "Do it."}, "issuer": "https://issuer.example/profile.json"
        },
        "verification": {"type": "SignedBadge"}
    });
    if let Some(c) = creator {
        a["verification"]["creator"] = c.into();
    }
    a
}

fn verify_token(token: &str, web: &impl Fetch, recipient: Option<&str>) -> Report {
    let mut options = Options::at(at());
    options.recipient = recipient.map(str::to_string);
    block_on(verify_ob2(Ob2Input::Jws(token.to_string()), &options, web))
}

#[test]
fn signed_with_a_key_of_our_own() {
    let web = own_issuer_web(None);
    let token = sign(&own_assertion(Some("https://issuer.example/key.json")));
    let report = verify_token(&token, &web, Some("Alice@example.org"));
    assert_eq!(status(&report), "valid", "{}", explain(&report));
    assert_eq!(check_status(&report, "recipient"), ["pass"]);
    // Without a creator, the keys the issuer lists are tried.
    let token = sign(&own_assertion(None));
    let report = verify_token(&token, &web, None);
    assert_eq!(status(&report), "valid", "{}", explain(&report));
    // Revocation lists: revoked by id, and unreachable.
    let list = serde_json::json!({"@context": "https://w3id.org/openbadges/v2", "type": "RevocationList",
        "revokedAssertions": [{"id": "urn:uuid:1d7c8f37-3a2c-4c3b-9d59-2a0d3c1e5a11", "revocationReason": "Issued in error."}]});
    let report = verify_token(&token, &own_issuer_web(Some(list)), None);
    assert_eq!(status(&report), "revoked", "{}", explain(&report));
    let mut web = own_issuer_web(Some(serde_json::json!({})));
    web.documents.remove("https://issuer.example/revoked.json");
    let report = verify_token(&token, &web, None);
    assert_eq!(status(&report), "unverifiable", "{}", explain(&report));
    // Dates.
    let mut a = own_assertion(None);
    a["expires"] = "2026-01-01T00:00:00Z".into();
    assert_eq!(
        status(&verify_token(&sign(&a), &own_issuer_web(None), None)),
        "expired"
    );
    a["issuedOn"] = "2026-12-01T00:00:00Z".into();
    assert_eq!(
        status(&verify_token(&sign(&a), &own_issuer_web(None), None)),
        "invalid"
    );
    a.as_object_mut().unwrap().remove("expires");
    assert_eq!(
        status(&verify_token(&sign(&a), &own_issuer_web(None), None)),
        "not-yet-valid"
    );
}

#[test]
fn an_embedded_issuer_cannot_vouch_for_a_key() {
    // A badge signed with the test key, claiming the 1EdTech fixture issuer through an
    // embedded profile that lists the test key (and a key document claiming that owner).
    let mut web = fixture_web();
    let key = serde_json::json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
        "id": "https://evil.example/key.json", "owner": "https://example.org/organization.json",
        "publicKeyPem": TEST_PUB
    });
    web.insert(
        "https://evil.example/key.json",
        serde_json::to_vec(&key).unwrap(),
    );
    let mut a = own_assertion(Some("https://evil.example/key.json"));
    a["badge"]["issuer"] = serde_json::json!({
        "type": "Issuer", "id": "https://example.org/organization.json", "name": "An Example Badge Issuer",
        "url": "https://example.org", "email": "contact@example.org",
        "publicKey": "https://evil.example/key.json"
    });
    let report = verify_token(&sign(&a), &web, None);
    assert_eq!(status(&report), "invalid", "{}", explain(&report));
    assert_eq!(check_status(&report, "key-binding"), ["fail"]);

    // Hosted: an embedded profile cannot widen the issuer's allowed origins either.
    let mut hosted: Value =
        serde_json::from_slice(&read(&format!("{OB20}basic-assertion.json"))).unwrap();
    hosted["id"] = "https://evil.example/a.json".into();
    hosted["badge"] =
        serde_json::from_slice(&read(&format!("{OB20}assets/robotics-badge.json"))).unwrap();
    hosted["badge"]["issuer"] = serde_json::json!({
        "type": "Issuer", "id": "https://example.org/organization.json", "name": "An Example Badge Issuer",
        "url": "https://example.org", "email": "contact@example.org",
        "verification": {"allowedOrigins": ["evil.example"]}
    });
    let mut web = fixture_web();
    web.insert(
        "https://evil.example/a.json",
        serde_json::to_vec(&hosted).unwrap(),
    );
    let report = block_on(verify_ob2(
        Ob2Input::Url("https://evil.example/a.json".into()),
        &Options::at(at()),
        &web,
    ));
    assert_eq!(status(&report), "invalid", "{}", explain(&report));
    assert_eq!(check_status(&report, "hosted-origin"), ["fail"]);
}
