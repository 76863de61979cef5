//! `qlabel assess`: the Quality Label standard's machine-checkable criteria on the
//! shipped samples, on third-party vectors (read in place) and on garbage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qlabel_core::assess::{
    assess, assess_input, assess_with, Assessment, Format, Status, CRITERIA, HUMAN_CRITERIA,
};
use qlabel_core::Limits;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
const OB20: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob20";
const OB30: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30";

fn vector_path(rel: &str) -> PathBuf {
    Path::new(VECTORS).join(rel)
}

fn vector(rel: &str) -> Value {
    let bytes = std::fs::read(vector_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_slice(&bytes).unwrap()
}

fn sample(name: &str) -> Value {
    let bytes = std::fs::read(Path::new(SAMPLES).join(name)).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn st(a: &Assessment, id: &str) -> Status {
    a.status(id).unwrap_or_else(|| panic!("no criterion {id}"))
}

fn msg<'a>(a: &'a Assessment, id: &str) -> &'a str {
    &a.criterion(id).unwrap().message
}

fn ids_with(a: &Assessment, status: Status) -> Vec<&'static str> {
    a.criteria
        .iter()
        .filter(|c| c.status == status)
        .map(|c| c.id)
        .collect()
}

/// Every assessment lists every criterion once, in order, names the fields it looked at
/// and counts right.
fn well_shaped(a: &Assessment) {
    let ids: Vec<&str> = a.criteria.iter().map(|c| c.id).collect();
    let expected: Vec<&str> = CRITERIA.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, expected);
    for c in &a.criteria {
        assert!(!c.field.is_empty(), "{} names no field", c.id);
        assert!(!c.message.is_empty(), "{} says nothing", c.id);
        assert!(!c.title.is_empty());
    }
    let s = a.summary;
    assert_eq!(
        s.pass + s.fail + s.not_applicable + s.needs_human_review,
        CRITERIA.len()
    );
    assert_eq!(s.fail, a.failed().count());
}

#[test]
fn samples_are_well_formed_json_ld() {
    for name in ["assess-poor.json", "assess-complete.json"] {
        let doc = sample(name);
        let problems = qlabel_core::vc::well_formed_problems(doc.as_object().unwrap());
        assert!(problems.is_empty(), "{name}: {problems:?}");
        let d = doc["description"].as_str().unwrap();
        assert!(
            d.contains("qlabel assess") && d.contains("not a real award"),
            "{name}"
        );
    }
}

#[test]
fn poor_sample_fails_what_it_lacks() {
    let a = assess(&sample("assess-poor.json"));
    well_shaped(&a);
    assert_eq!(a.format, Format::Ob3);
    assert_eq!(a.name.as_deref(), Some("Participation"));
    assert_eq!(
        ids_with(&a, Status::Fail),
        [
            "I1", // name only: no url, no email
            "I2", // no address
            "B1", // no image, 23-character description
            "B2", // criteria only a link
            "B3", // no alignment
            "B4", // no evidence
            "B5", // no inLanguage
            "B7", // no credentialStatus
            "B8", // unsigned
            "B9", // e-mail in clear
            "B10", "B11", // no endorsement, no related
            "A1",  // neither resultDescription nor a criteria narrative
            "A2",  // no credits, no activity dates
            "A4",  // nothing on the assessment
        ]
    );
    assert_eq!(ids_with(&a, Status::NeedsHumanReview), ["I3", "B6", "I6"]);
    assert_eq!(ids_with(&a, Status::NotApplicable), ["A7"]);
    assert!(msg(&a, "I1").contains("url") && msg(&a, "I1").contains("email"));
    assert!(msg(&a, "B1").contains("no image") && msg(&a, "B1").contains("23 characters"));
    assert!(msg(&a, "B2").contains("only a link"));
    assert!(msg(&a, "B6").contains("no expiry"));
    assert!(msg(&a, "B9").contains("clear"));
    assert_eq!(a.summary.pass, 0);
}

#[test]
fn complete_sample_passes_every_machine_checkable_criterion() {
    let a = assess(&sample("assess-complete.json"));
    well_shaped(&a);
    assert_eq!(a.format, Format::Ob3);
    for c in &a.criteria {
        let expected = if HUMAN_CRITERIA.contains(&c.id) {
            Status::NeedsHumanReview
        } else {
            Status::Pass
        };
        assert_eq!(c.status, expected, "{}: {}", c.id, c.message);
    }
    assert!(msg(&a, "B3").contains("DigComp") && msg(&a, "B3").contains("EQF"));
    assert!(msg(&a, "B3").contains("not fetched"));
    assert_eq!(msg(&a, "A7"), "EQF level 4");
    assert_eq!(msg(&a, "I2"), "country SI");
    assert!(msg(&a, "B8").contains("qlabel verify"));
    assert!(msg(&a, "I3").contains("--registry"));
    assert!(msg(&a, "A4").contains("RubricScore"));
    assert_eq!(
        a.criterion("B5").unwrap().field,
        "credentialSubject.achievement.inLanguage"
    );
}

#[test]
fn json_uses_kebab_case() {
    let a = assess(&sample("assess-poor.json"));
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["schema"], "qlabel-assessment/1");
    assert_eq!(v["format"], "ob3");
    assert_eq!(v["summary"]["needs-human-review"], 3);
    assert_eq!(v["summary"]["not-applicable"], 1);
    let a7 = v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A7")
        .unwrap();
    assert_eq!(a7["status"], "not-applicable");
    assert!(a7["field"].as_str().unwrap().contains("targetFramework"));
    let i3 = &v["criteria"][2];
    assert_eq!(i3["id"], "I3");
    assert_eq!(i3["status"], "needs-human-review");
}

#[test]
fn ob2_assertion_with_url_references_needs_a_person() {
    let a = assess(&vector(&format!("{OB20}/basic-assertion.json")));
    well_shaped(&a);
    assert_eq!(a.format, Format::Ob2);
    // The badge class and issuer are only URLs: nothing fetched, a person checks.
    for id in ["I1", "I2", "B1", "B2", "B3", "B11", "A1", "A4", "A7"] {
        assert_eq!(st(&a, id), Status::NeedsHumanReview, "{id}");
    }
    assert!(msg(&a, "B1").contains("only as a URL"));
    // What the assertion itself holds is judged.
    assert_eq!(st(&a, "B4"), Status::Pass);
    assert_eq!(st(&a, "B7"), Status::Pass); // hosted
    assert_eq!(st(&a, "B8"), Status::Pass);
    assert_eq!(st(&a, "B9"), Status::Pass); // hashed, salted e-mail
    assert!(msg(&a, "B9").contains("hashed (salted)"));
    assert_eq!(st(&a, "B6"), Status::NeedsHumanReview); // issuedOn, no expires
    assert_eq!(a.summary.fail, 0);
}

#[test]
fn ob2_assertion_with_its_assets() {
    let assertion = vector(&format!("{OB20}/basic-assertion.json"));
    let badge = vector(&format!("{OB20}/assets/robotics-badge.json"));
    let issuer = vector(&format!("{OB20}/assets/organization.json"));
    let a = assess_with(&assertion, Some(&badge), Some(&issuer));
    well_shaped(&a);
    assert_eq!(a.name.as_deref(), Some("Awesome Robotics Badge"));
    assert_eq!(st(&a, "I1"), Status::Pass); // name, url, email
    assert_eq!(
        a.criterion("I1").unwrap().field,
        "badge.issuer.name, badge.issuer.url, badge.issuer.email"
    );
    assert_eq!(st(&a, "I2"), Status::Fail); // OB 2.0 has no country field
    assert!(msg(&a, "I2").contains("extension"));
    assert_eq!(st(&a, "B1"), Status::Pass); // 71-character description and an image
    assert_eq!(st(&a, "B2"), Status::Fail); // criteria only a URL
    assert_eq!(st(&a, "B3"), Status::Fail);
    assert_eq!(st(&a, "B5"), Status::Fail);
    assert_eq!(st(&a, "B10"), Status::Fail);
    assert_eq!(st(&a, "A1"), Status::Fail); // no criteria narrative
    assert_eq!(st(&a, "A7"), Status::NotApplicable);
}

#[test]
fn ob2_validator_core_components() {
    let dir = "1edtech-openbadges-validator-core/test_components";
    let assertion = vector(&format!("{dir}/2_0_basic_assertion.json"));
    let badge = vector(&format!("{dir}/2_0_basic_badgeclass.json"));
    let issuer = vector(&format!("{dir}/2_0_basic_issuer.json"));
    let a = assess_with(&assertion, Some(&badge), Some(&issuer));
    well_shaped(&a);
    assert_eq!(st(&a, "I1"), Status::Pass);
    assert_eq!(st(&a, "B2"), Status::Fail);
    assert!(msg(&a, "B2").contains("robotics-badge.html"));

    // The BadgeClass on its own: award-level criteria do not apply.
    let b = assess_with(&badge, None, Some(&issuer));
    well_shaped(&b);
    assert_eq!(b.format, Format::Ob2);
    for id in ["B4", "B6", "B7", "B8", "B9"] {
        assert_eq!(st(&b, id), Status::NotApplicable, "{id}");
    }
    assert_eq!(st(&b, "I1"), Status::Pass);
    assert_eq!(b.criterion("B1").unwrap().field, "name, image, description");
}

#[test]
fn ob2_language_related_and_endorsements() {
    let assertion = vector(&format!("{OB20}/basic-assertion-with-language.json"));
    let badge = vector(&format!("{OB20}/assets/badgeclass-with-language.json"));
    let a = assess_with(&assertion, Some(&badge), None);
    assert_eq!(st(&a, "B5"), Status::Pass);
    assert_eq!(msg(&a, "B5"), "language 'es'");
    assert_eq!(a.criterion("B5").unwrap().field, "badge.@language");
    assert_eq!(st(&a, "B11"), Status::Pass); // related
                                             // Its issuer is still only a URL.
    assert_eq!(st(&a, "I1"), Status::NeedsHumanReview);

    let e = assess(&vector(&format!("{OB20}/assertion-with-endorsements.json")));
    assert_eq!(st(&e, "B10"), Status::Pass);
    assert!(
        msg(&e, "B10").contains("2 in endorsement")
            && msg(&e, "B10").contains("2 in badge.endorsement")
    );
}

#[test]
fn ob2_signed_assertion_revocation_depends_on_the_issuer() {
    let mut assertion = vector(&format!("{OB20}/basic-assertion.json"));
    assertion["verification"] =
        json!({"type": "SignedBadge", "creator": "https://example.org/key1.json"});
    let badge = vector(&format!("{OB20}/assets/robotics-badge.json"));
    let with_list = vector(&format!(
        "{OB20}/assets/organization-with-revocation-list.json"
    ));
    let without = vector(&format!("{OB20}/assets/organization.json"));
    let a = assess_with(&assertion, Some(&badge), Some(&with_list));
    assert_eq!(st(&a, "B7"), Status::Pass);
    assert!(msg(&a, "B7").contains("revocation-list.json"));
    assert_eq!(st(&a, "B8"), Status::Pass);
    let b = assess_with(&assertion, Some(&badge), Some(&without));
    assert_eq!(st(&b, "B7"), Status::Fail);
    let c = assess(&assertion);
    assert_eq!(st(&c, "B7"), Status::NeedsHumanReview);
}

#[test]
fn ob2_unhashed_recipient_fails_b9() {
    let mut assertion = vector(&format!("{OB20}/basic-assertion.json"));
    assertion["recipient"] =
        json!({"type": "email", "hashed": false, "identity": "beth@example.org"});
    let a = assess(&assertion);
    assert_eq!(st(&a, "B9"), Status::Fail);
    assert!(msg(&a, "B9").contains("clear"));
}

#[test]
fn ob3_spec_vector() {
    let a = assess(&vector(
        "1edtech-openbadges-specification/extracted/ob_v3p0_impl_test_vectors/ob-credential-signed.json",
    ));
    well_shaped(&a);
    assert_eq!(a.format, Format::Ob3);
    assert_eq!(a.name.as_deref(), Some("Teamwork"));
    assert_eq!(st(&a, "I1"), Status::Fail); // no email
    assert_eq!(msg(&a, "I1"), "no contact e-mail (email)");
    assert_eq!(st(&a, "B1"), Status::Fail); // no image
    assert_eq!(msg(&a, "B1"), "no image");
    assert_eq!(st(&a, "B2"), Status::Pass);
    assert_eq!(st(&a, "B7"), Status::Fail);
    assert_eq!(st(&a, "B8"), Status::Pass); // a proof is present
    assert_eq!(st(&a, "B9"), Status::Pass); // a DID
    assert_eq!(st(&a, "A1"), Status::NeedsHumanReview); // description + narrative
    assert_eq!(st(&a, "A4"), Status::NeedsHumanReview); // "…review by Example Corp…"
    assert_eq!(st(&a, "A7"), Status::NotApplicable);
}

#[test]
fn ob3_complete_vector() {
    let a = assess(&vector(&format!("{OB30}/complete.json")));
    well_shaped(&a);
    assert_eq!(st(&a, "I1"), Status::Pass);
    assert_eq!(st(&a, "I2"), Status::Pass);
    assert_eq!(msg(&a, "I2"), "country US");
    assert_eq!(st(&a, "B1"), Status::Fail); // "1EdTech University Degree Description"
    assert!(msg(&a, "B1").contains("37 characters"));
    // Aligned only to the university's own catalogue: a person judges.
    assert_eq!(st(&a, "B3"), Status::NeedsHumanReview);
    assert_eq!(st(&a, "B4"), Status::Pass);
    assert_eq!(st(&a, "B6"), Status::Pass);
    assert_eq!(st(&a, "B7"), Status::Pass);
    assert!(msg(&a, "B7").contains("1EdTechRevocationList"));
    assert_eq!(st(&a, "B9"), Status::Fail); // two e-mail identifiers in clear
    assert!(msg(&a, "B9").starts_with("2 identifier(s)"));
    assert_eq!(st(&a, "B10"), Status::Pass);
    assert_eq!(st(&a, "A1"), Status::NeedsHumanReview);
    assert_eq!(st(&a, "A2"), Status::Pass);
    assert_eq!(msg(&a, "A2"), "36 credits available");
    assert_eq!(st(&a, "A4"), Status::NeedsHumanReview);
    assert!(msg(&a, "A4").contains("LetterGrade"));
}

#[test]
fn inputs_as_users_have_them() {
    // A VC-JWT (VCDM 1.1 `vc` claim) without an achievement.
    let jwt = std::fs::read(vector_path(&format!("{OB30}/simple.jwt"))).unwrap();
    let a = assess_input(&jwt, Limits::default()).unwrap();
    well_shaped(&a);
    assert_eq!(a.format, Format::Ob3);
    assert_eq!(st(&a, "B8"), Status::Pass);
    assert!(msg(&a, "B8").contains("VC-JWT"));
    assert_eq!(st(&a, "B6"), Status::NeedsHumanReview); // issuanceDate, no expiry
    assert_eq!(msg(&a, "B1"), "no achievement");

    // Baked PNG (JWT inside) and SVG (JSON inside).
    for f in ["simple-jwt.png", "simple-json.svg"] {
        let bytes = std::fs::read(vector_path(&format!("{OB30}/{f}"))).unwrap();
        let a = assess_input(&bytes, Limits::default()).unwrap();
        assert_eq!(a.format, Format::Ob3, "{f}");
        assert_eq!(a.name.as_deref(), Some("Teamwork"), "{f}");
        assert_eq!(st(&a, "B2"), Status::Pass, "{f}");
    }

    // An OB 2.0 signed assertion (JWS) and a baked OB 2.0 PNG.
    let jws = std::fs::read(vector_path(&format!("{OB20}/simple.jwt"))).unwrap();
    let a = assess_input(&jws, Limits::default()).unwrap();
    assert_eq!(a.format, Format::Ob2);
    assert!(msg(&a, "B8").contains("JWS"));
    let png = std::fs::read(vector_path(&format!("{OB20}/simple-badge.png"))).unwrap();
    let a = assess_input(&png, Limits::default()).unwrap();
    assert_eq!(a.format, Format::Ob2);

    // The samples, as bytes.
    let bytes = std::fs::read(Path::new(SAMPLES).join("assess-complete.json")).unwrap();
    assert_eq!(
        assess_input(&bytes, Limits::default())
            .unwrap()
            .summary
            .fail,
        0
    );
}

#[test]
fn unreadable_inputs_are_errors() {
    for bad in [
        &b""[..],
        b"   ",
        b"hello",
        b"{\"unterminated\": ",
        b"aaa.bbb.ccc",
        b"https://example.org/assertion.json",
        b"\x89PNG\r\n\x1a\n\0\0",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        b"\xff\xfe\xfd",
    ] {
        assert!(
            assess_input(bad, Limits::default()).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    let deep = "[".repeat(10_000);
    assert!(assess_input(deep.as_bytes(), Limits::default()).is_err());
}

#[test]
fn garbage_never_panics() {
    let odd = [
        json!(null),
        json!(42),
        json!("text"),
        json!([]),
        json!([{"type": "Assertion"}]),
        json!({}),
        json!({"type": 5}),
        json!({"type": ["Assertion"]}),
        json!({"type": "Assertion", "badge": [1, 2], "recipient": 7, "verification": "x"}),
        json!({"type": "Assertion", "badge": {"issuer": [1], "criteria": 3, "alignment": "x", "name": {"@value": 3}}}),
        json!({"type": "Assertion", "badge": {"issuer": {"address": [], "extensions:x": {"country": null}}}, "recipient": {"identity": 5, "hashed": "yes"}, "issuedOn": 7, "expires": null}),
        json!({"type": "BadgeClass", "issuer": null, "alignment": [null, 1, {"targetUrl": 5, "targetFramework": []}]}),
        json!({"credentialSubject": null}),
        json!({"credentialSubject": [1, null, "x"]}),
        json!({"credentialSubject": {"achievement": []}, "issuer": 3, "proof": [], "credentialStatus": [{}]}),
        json!({"type": "VerifiableCredential", "credentialSubject": {"achievement": {"alignment": [{"targetFramework": "EQF", "targetUrl": "https://\u{0}"}], "resultDescription": {"resultType": 1}, "creditsAvailable": "many", "related": {}}, "identifier": [{"hashed": true}], "activityStartDate": "2020-13-45", "activityEndDate": 5}, "validFrom": "yesterday", "validUntil": "2000-01-01T00:00:00Z", "inLanguage": "english please"}),
        json!({"type": "VerifiableCredential", "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2019-01-01T00:00:00Z", "issuer": {"url": "javascript:alert(1)", "email": "@", "address": {"addressCountryCode": "Slovenia"}}}),
    ];
    for v in &odd {
        let a = assess(v);
        well_shaped(&a);
        let _ = assess_with(v, Some(v), Some(v));
        serde_json::to_string(&a).unwrap();
    }
    // Not a badge at all: every criterion fails, saying so.
    let a = assess(&json!(42));
    assert_eq!(a.format, Format::Unknown);
    assert_eq!(a.summary.fail, CRITERIA.len());
    // Malformed dates and codes are failures, not passes.
    let a = assess(&odd[16]);
    assert_eq!(st(&a, "B6"), Status::Fail);
    assert_eq!(st(&a, "I1"), Status::Fail);
    assert_eq!(st(&a, "I2"), Status::Fail);
    let a = assess(&odd[15]);
    assert_eq!(st(&a, "B5"), Status::Fail);
    assert_eq!(st(&a, "B6"), Status::Fail);
    assert_eq!(st(&a, "B3"), Status::Fail);
}

/// Every JSON document of the vectors, and each with every top-level value replaced
/// by odd ones: no panic, always a complete assessment.
#[test]
fn every_vector_and_its_mutations() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("json" | "jsonld" | "jwt" | "png" | "svg")
            ) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new(VECTORS), &mut files);
    assert!(files.len() > 50, "vectors not found under {VECTORS}");
    let replacements = [
        json!(null),
        json!(1),
        json!([]),
        json!({}),
        json!("x"),
        json!([null, 1]),
    ];
    let mut assessed = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(a) = assess_input(&bytes, Limits::default()) else {
            continue;
        };
        well_shaped(&a);
        assessed += 1;
        let Ok(Value::Object(doc)) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        if a.format == Format::Unknown {
            continue;
        }
        for key in doc.keys() {
            for r in &replacements {
                let mut m = doc.clone();
                m.insert(key.clone(), r.clone());
                well_shaped(&assess(&Value::Object(m)));
            }
        }
    }
    assert!(assessed > 50);
}
