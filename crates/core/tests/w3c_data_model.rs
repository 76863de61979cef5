//! vc-data-model-2.0-test-suite inputs: `-fail` rejected, `-ok` accepted as well-formed.
//! The suite hands these to an issuer, which adds `issuer` (and a proof); we add the
//! issuer the same way before judging, and never add a missing base context, so
//! `-fail-or-inject` inputs must be rejected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qlabel_core::vc::well_formed_problems;
use serde_json::Value;

/// Inputs without an `-ok`/`-fail` verdict in their name: they test signed
/// presentations (holder binding), which qlabel does not verify.
const NOT_APPLICABLE: &[&str] = &[
    "presentation-self-asserted-vc-holder-mismatch.json",
    "presentation-self-asserted-vc-issuer-mismatch.json",
    "presentation-self-asserted-vc-no-holder.json",
];

#[test]
fn fail_inputs_are_rejected_and_ok_inputs_accepted() {
    let dir = common::vectors().join("w3c-vc-data-model-2.0-test-suite/tests/input");
    let mut files = Vec::new();
    for sub in ["", "names-and-descriptions"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 90, "found only {} inputs", files.len());
    let mut wrong = Vec::new();
    let mut counted = (0, 0);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if NOT_APPLICABLE.contains(&name.as_str()) {
            continue;
        }
        let expect_ok = if name.ends_with("-ok.json") {
            true
        } else if name.ends_with("-fail.json") || name.ends_with("-fail-or-inject.json") {
            false
        } else {
            panic!("{name}: no verdict in its name and not listed as not applicable");
        };
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let is_vp = doc["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "VerifiablePresentation"));
        // What the suite's issuer does before signing: add itself as issuer (or its id
        // to an issuer object) and put real dates for the placeholders.
        const ISSUER: &str = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj";
        if !is_vp {
            match doc.get_mut("issuer") {
                None => doc["issuer"] = Value::String(ISSUER.into()),
                Some(Value::Object(o)) if !o.contains_key("id") => {
                    o.insert("id".into(), Value::String(ISSUER.into()));
                }
                _ => {}
            }
        }
        let text = doc
            .to_string()
            .replace("PAST DATE", "2020-01-01T00:00:00Z")
            .replace("FUTURE DATE", "2040-01-01T00:00:00Z");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let problems = well_formed_problems(doc.as_object().unwrap());
        if expect_ok {
            counted.0 += 1
        } else {
            counted.1 += 1
        }
        if problems.is_empty() != expect_ok {
            wrong.push(format!(
                "{name}: expected {}, got {problems:?}",
                if expect_ok { "ok" } else { "fail" }
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(counted.0 > 40 && counted.1 > 30, "{counted:?}");
}
