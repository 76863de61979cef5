//! Every third-party credential in ../shared/vectors/EXPECTATIONS.json gets the verdict
//! that tests/manifest/ob3-vectors.json records for it; every other entry must be
//! listed there as out of scope, with the reason, so that nothing is skipped silently.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qlabel_core::fetch::{block_on, Expect, Fetch, FetchError, Fetched, MapFetch};
use qlabel_core::Options;
use serde_json::{json, Value};

fn manifest() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/manifest/ob3-vectors.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The 1EdTech vectors name keys as `<issuer id>#<publicKeyMultibase>`: the issuer's
/// hosted profile would list that key. The vectors do not include those profiles, so
/// the in-memory web serves one that lists exactly the key named — which tests the
/// HTTP key path, and leaves the signature itself to decide.
fn web_for(doc: &Value) -> MapFetch {
    let mut web = MapFetch::default();
    if let Some(token) = doc.as_str() {
        // A JWT that carries its own key (`jwk` header): the issuer's hosted profile
        // would list it; serve one that does.
        let part = |i: usize| -> Value {
            let seg = token.split('.').nth(i).unwrap_or_default();
            let raw =
                base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, seg)
                    .unwrap_or_default();
            serde_json::from_slice(&raw).unwrap_or(Value::Null)
        };
        let (header, payload) = (part(0), part(1));
        let issuer = payload["iss"]
            .as_str()
            .or(payload["vc"]["issuer"].as_str())
            .or(payload["vc"]["issuer"]["id"].as_str())
            .or(payload["issuer"].as_str())
            .or(payload["issuer"]["id"].as_str())
            .unwrap_or_default()
            .to_string();
        let profile = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": issuer,
            "type": ["Profile"],
            "verificationMethod": [{"id": format!("{issuer}#key-0"), "type": "JsonWebKey", "controller": issuer, "publicKeyJwk": header["jwk"]}],
            "assertionMethod": [format!("{issuer}#key-0")]
        });
        web.insert(issuer.clone(), serde_json::to_vec(&profile).unwrap());
        return web;
    }
    let proofs = match &doc["proof"] {
        Value::Array(a) => a.clone(),
        p => vec![p.clone()],
    };
    for p in proofs {
        let Some(vm) = p["verificationMethod"].as_str() else {
            continue;
        };
        let Some((base, fragment)) = vm.split_once('#') else {
            continue;
        };
        let profile = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/multikey/v1"],
            "id": base,
            "type": ["Profile"],
            "verificationMethod": [{"id": vm, "type": "Multikey", "controller": base, "publicKeyMultibase": fragment}],
            "assertionMethod": [vm]
        });
        web.insert(base, serde_json::to_vec(&profile).unwrap());
    }
    web
}

/// The fixture web: URL prefixes served from folders of ../shared/vectors (as the
/// upstream suites serve their own fixture trees), then the per-case documents.
struct FixtureWeb {
    prefixes: Vec<(String, String)>,
    extra: MapFetch,
}

impl Fetch for FixtureWeb {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        for (prefix, dir) in &self.prefixes {
            if let Some(rest) = url.strip_prefix(prefix.as_str()) {
                let path = common::vectors().join(dir).join(rest);
                if let Ok(body) = std::fs::read(&path) {
                    return Ok(Fetched::direct(url, None, body));
                }
            }
        }
        self.extra.fetch(url, expect).await
    }
}

#[test]
fn every_vector_gets_its_recorded_verdict() {
    let m = manifest();
    let at = qlabel_core::datetime::parse(m["at"].as_str().unwrap())
        .unwrap()
        .at;
    let cases = m["cases"].as_array().unwrap();
    let out_of_scope = m["out_of_scope"].as_array().unwrap();
    let expectations: Vec<Value> =
        serde_json::from_value(common::read_json("EXPECTATIONS.json")).unwrap();

    // Nothing skipped silently.
    let mut uncovered = Vec::new();
    for e in &expectations {
        let f = e["file"].as_str().unwrap();
        let listed = cases.iter().any(|c| c["file"] == f)
            || out_of_scope
                .iter()
                .any(|o| f.contains(o["match"].as_str().unwrap()));
        if !listed {
            uncovered.push(f.to_string());
        }
    }
    assert!(
        uncovered.is_empty(),
        "vectors neither tested nor listed as out of scope: {uncovered:#?}"
    );

    let plan_dir = common::plan::dir();
    let mut plan = Vec::new();
    let mut wrong = Vec::new();
    for c in cases {
        let f = c["file"].as_str().unwrap();
        assert!(
            expectations.iter().any(|e| e["file"] == f),
            "{f} is not in EXPECTATIONS.json"
        );
        let bytes = std::fs::read(common::vectors().join(f)).unwrap();
        // What the web has to serve depends on the badge inside (unbaked if an image).
        let text = match qlabel_core::baked::unbake(&bytes) {
            Ok(b) => b.payload.into_bytes(),
            Err(_) => bytes.clone(),
        };
        let doc: Value = serde_json::from_slice(&text)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&text).trim().to_string()));
        let web = FixtureWeb {
            prefixes: m["web"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|w| {
                            (
                                w["prefix"].as_str().unwrap().to_string(),
                                w["dir"].as_str().unwrap().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            extra: if c["web"].is_string() {
                web_for(&doc)
            } else {
                MapFetch::default()
            },
        };
        let mut options = Options::at(at);
        options.source = Some(f.to_string());
        let result = if plan_dir.is_some() {
            // The same run, recorded: the plan holds what this run fetched and concluded.
            let (result, case) = common::plan::run_case(
                &format!("ob3:{f}"),
                &bytes,
                m["at"].as_str().unwrap(),
                &options,
                &web,
                json!({"expect": c["expect"], "check": c["check"]}),
            );
            plan.push(case);
            result
        } else {
            block_on(qlabel_core::verify(&bytes, &options, &web))
        };
        let got = match result {
            Err(e) => format!("error ({e})"),
            Ok(r) => {
                let status = common::status(&r);
                let want_check = c["check"].as_str();
                if let Some(id) = want_check {
                    let ok = r.badge.checks.iter().any(|k| {
                        k.id == id && (k.status == qlabel_core::CheckStatus::Fail || k.unverifiable)
                    });
                    if !ok && status == c["expect"] {
                        wrong.push(format!(
                            "{f}: {status} as expected, but check {id} did not fail: {}",
                            common::explain(&r)
                        ));
                    }
                }
                if status != c["expect"] {
                    wrong.push(format!(
                        "{f}: expected {}, got {status}: {}",
                        c["expect"],
                        common::explain(&r)
                    ));
                }
                continue;
            }
        };
        if c["expect"] != "error" {
            wrong.push(format!("{f}: expected {}, got {got}", c["expect"]));
        }
    }
    if let Some(dir) = &plan_dir {
        common::plan::write(
            dir,
            "ob3-vectors",
            "crates/core/tests/expectations.rs",
            m["at"].as_str().unwrap(),
            plan,
        );
    }
    assert!(
        wrong.is_empty(),
        "{} of {} vectors differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n\n")
    );
}
