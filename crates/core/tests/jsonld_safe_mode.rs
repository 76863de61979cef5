//! Safe mode and hostile input: what a JSON-LD processor would silently drop (or take
//! forever on) must fail with a readable error.

use std::time::{Duration, Instant};

use qlabel_core::jsonld::{self, JsonLdError};
use serde_json::{json, Value};

const V1: &str = "https://www.w3.org/2018/credentials/v1";
const V2: &str = "https://www.w3.org/ns/credentials/v2";

fn vc1(subject: Value) -> Value {
    json!({
        "@context": [V1],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2023-01-01T00:00:00Z",
        "credentialSubject": subject
    })
}

fn vc2() -> Value {
    json!({
        "@context": [V2],
        "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
        "type": ["VerifiableCredential"],
        "issuer": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b",
        "credentialSubject": {"id": "did:example:subject", "name": "ExampleClaim"}
    })
}

fn err(doc: &Value) -> JsonLdError {
    match jsonld::canonicalize(doc) {
        Ok(n) => panic!("expected an error, got:\n{n}"),
        Err(e) => e,
    }
}

#[test]
fn valid_credentials_canonicalize() {
    let v1 = jsonld::canonicalize(&vc1(json!({"id": "did:example:subject"})));
    assert!(v1.is_ok(), "{v1:?}");
    // VC 2.0: "name" is defined by the v2 context (schema:name).
    let v2 = jsonld::canonicalize(&vc2());
    assert!(v2.is_ok(), "{v2:?}");
    let out = v2.unwrap_or_default();
    assert!(
        out.contains("<https://schema.org/name> \"ExampleClaim\""),
        "{out}"
    );
    assert!(out.ends_with(" .\n"));
}

#[test]
fn undefined_term_with_vc_1_1_context() {
    let e = err(&vc1(
        json!({"id": "did:example:subject", "undefinedTerm": "x"}),
    ));
    assert!(matches!(e, JsonLdError::UndefinedTerm(_)), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("undefinedTerm") && msg.contains("/credentialSubject/undefinedTerm"),
        "{msg}"
    );
}

#[test]
fn undefined_term_with_vc_2_0_context() {
    // The final VC 2.0 context has no @vocab (it moved to .../undefined-terms/v2), so the
    // DI test suite's `credentialSubject.undefinedTerm` must fail here too.
    let mut doc = vc2();
    doc["credentialSubject"]["undefinedTerm"] = json!("undefinedTerm");
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::UndefinedTerm(_)), "{e:?}");

    // …unless the issuer opted into issuer-dependent terms.
    doc["@context"] = json!([V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"]);
    doc["type"] = json!(["VerifiableCredential", "UndefinedType"]);
    let out = jsonld::canonicalize(&doc);
    assert!(out.is_ok(), "{out:?}");
    assert!(out
        .unwrap_or_default()
        .contains("<https://www.w3.org/ns/credentials/undefined-term#undefinedTerm>"));
}

#[test]
fn undefined_type_is_relative() {
    let mut doc = vc2();
    doc["type"] = json!(["VerifiableCredential", "UndefinedType"]);
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::RelativeIri(_)), "{e:?}");
    assert!(e.to_string().contains("UndefinedType"));
}

#[test]
fn relative_type_after_removing_base_context() {
    // DI test suite "invalidBaseUrl": signed with {"@base": …} and a relative type, then the
    // @base context is removed. With the @base the type resolves; without, it must fail.
    let mut signed = vc2();
    signed["@context"] = json!([V2, {"@base": "https://invalid.example.com/"}]);
    signed["type"] = json!(["VerifiableCredential", "UndefinedCredential"]);
    let with_base = jsonld::canonicalize(&signed).unwrap_or_default();
    assert!(
        with_base.contains("<https://invalid.example.com/UndefinedCredential>"),
        "{with_base}"
    );
    let mut stripped = signed.clone();
    stripped["@context"] = json!([V2]);
    let e = err(&stripped);
    assert!(matches!(e, JsonLdError::RelativeIri(_)), "{e:?}");
}

#[test]
fn relative_ids_are_rejected() {
    let mut doc = vc2();
    doc["id"] = json!("0923lksjf");
    assert!(matches!(err(&doc), JsonLdError::RelativeIri(_)));

    let mut doc = vc2();
    doc["issuer"] = json!("fake-issuer");
    assert!(matches!(err(&doc), JsonLdError::RelativeIri(_)));

    let mut doc = vc2();
    doc["credentialSubject"]["id"] = json!("https ://not-a-url/x");
    assert!(matches!(err(&doc), JsonLdError::RelativeIri(_)));
}

#[test]
fn unknown_context_is_never_fetched() {
    let mut doc = vc2();
    doc["@context"] = json!([V2, "https://example.org/my-context.jsonld"]);
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::UnknownContext(_)), "{e:?}");
    assert!(e
        .to_string()
        .contains("https://example.org/my-context.jsonld"));
}

#[test]
fn protected_term_redefinition() {
    let mut doc = vc2();
    doc["@context"] =
        json!([V2, {"VerifiableCredential": "https://example.org/#BadVerifiableCredential"}]);
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::InvalidContext(_)), "{e:?}");
    assert!(e.to_string().contains("protected"), "{e}");

    // Redefining a protected term identically is allowed (OB 3.0 re-declares id/type).
    let mut same = vc2();
    same["@context"] = json!([V2, {"id": "@id", "type": "@type"}]);
    assert!(jsonld::canonicalize(&same).is_ok());
}

#[test]
fn syntax_errors_are_invalid_document() {
    let cases = [
        // colliding keywords
        json!({"@context": {"@vocab": "http://ex.org/", "id": "@id"}, "id": "http://a/1", "@id": "http://a/2"}),
        // @id must be a string
        json!({"@context": [V2], "id": ["urn:a", "urn:b"], "type": "VerifiableCredential"}),
        // @type and @language in one value object
        json!({"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "p": {"@value": "x", "@type": "http://t", "@language": "en"}}),
        // malformed language tag
        json!({"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "p": {"@value": "x", "@language": "en_US"}}),
        // a value object with null @value would be dropped
        json!({"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "p": {"@value": null}}),
        // free-floating value
        json!({"@context": {"@vocab": "http://ex.org/"}, "@graph": ["x"]}),
        // a VP whose verifiableCredential is a string would drop it
        json!({"@context": [V2], "type": "VerifiablePresentation", "verifiableCredential": "eyJhbGciOi"}),
    ];
    for doc in &cases {
        let e = err(doc);
        assert!(matches!(e, JsonLdError::InvalidDocument(_)), "{doc}: {e:?}");
    }
}

#[test]
fn base_direction_is_kept_as_an_i18n_datatype() {
    // VC 2.0 allows {"@value", "@language", "@direction"}; like Digital Bazaar's
    // eddsa-rdfc-2022 (jsonld.js rdfDirection "i18n-datatype") the direction is signed.
    let mut doc = vc2();
    doc["name"] = json!({"@value": "مثال", "@language": "ar", "@direction": "rtl"});
    let out = jsonld::canonicalize(&doc).unwrap_or_default();
    assert!(
        out.contains("<https://schema.org/name> \"مثال\"^^<https://www.w3.org/ns/i18n#ar_rtl>"),
        "{out}"
    );
}

#[test]
fn keyword_like_keys_are_ignored() {
    let mut doc = vc2();
    doc["@ignored"] = json!("not part of the RDF");
    assert_eq!(jsonld::canonicalize(&doc), jsonld::canonicalize(&vc2()));
}

#[test]
fn keyword_like_terms_are_rejected() {
    let doc = json!({"@context": [V2, {"@foo": "https://example.org/foo"}], "type": "VerifiableCredential"});
    assert!(matches!(err(&doc), JsonLdError::InvalidContext(_)));
}

#[test]
fn deep_nesting_hits_the_limit() {
    let mut inner = json!({"http://ex.org/v": 1});
    for _ in 0..100 {
        inner = json!({"http://ex.org/p": inner});
    }
    let mut doc = json!({"@id": "http://a"});
    doc["http://ex.org/p"] = inner;
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::Limit(_)), "{e:?}");
    // Deep arrays too.
    let mut arr = json!([1]);
    for _ in 0..100 {
        arr = json!([arr]);
    }
    let doc = json!({"@id": "http://a", "http://ex.org/p": arr});
    assert!(matches!(err(&doc), JsonLdError::Limit(_)));
}

#[test]
fn quad_limit() {
    let many: Vec<Value> = (0..20_000).map(Value::from).collect();
    let doc = json!({"@id": "http://a", "http://ex.org/p": many});
    let e = err(&doc);
    assert!(matches!(e, JsonLdError::Limit(_)), "{e:?}");
}

fn clique(n: usize) -> Value {
    let nodes: Vec<Value> = (0..n)
        .map(|i| {
            let others: Vec<Value> = (0..n)
                .filter(|j| *j != i)
                .map(|j| json!({"@id": format!("_:n{j}")}))
                .collect();
            json!({"@id": format!("_:n{i}"), "http://ex.org/p": others})
        })
        .collect();
    json!({"@graph": nodes})
}

fn ring(n: usize) -> Value {
    let nodes: Vec<Value> = (0..n)
        .map(|i| json!({"@id": format!("_:n{i}"), "http://ex.org/next": {"@id": format!("_:n{}", (i + 1) % n)}}))
        .collect();
    json!({"@graph": nodes})
}

#[test]
fn poison_graphs_fail_fast() {
    for (name, doc) in [("clique of 60", clique(60)), ("ring of 200", ring(200))] {
        let t = Instant::now();
        let r = jsonld::canonicalize(&doc);
        let elapsed = t.elapsed();
        assert!(elapsed < Duration::from_secs(2), "{name}: {elapsed:?}");
        assert!(matches!(r, Err(JsonLdError::Limit(_))), "{name}: {r:?}");
    }
}

#[test]
fn duplicated_blank_node_subtrees_still_canonicalize() {
    // Two identical alignments (blank nodes with identical blank-node children) need the
    // N-degree step; that must work within the limit.
    let doc = json!({
        "@context": {"@vocab": "http://ex.org/"},
        "@id": "http://a",
        "alignment": [
            {"name": "x", "child": {"v": 1}},
            {"name": "x", "child": {"v": 1}}
        ]
    });
    let out = jsonld::canonicalize(&doc);
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(out.unwrap_or_default().lines().count(), 8);
}

#[test]
fn many_context_variants_do_not_blow_up() {
    // Inline contexts are processed per document (not cached globally); a document with
    // many type-scoped contexts stays fast.
    let mut ctx = serde_json::Map::new();
    ctx.insert("@vocab".into(), json!("http://ex.org/"));
    for i in 0..200 {
        ctx.insert(format!("T{i}"), json!({"@id": format!("http://ex.org/T{i}"), "@context": {"x": format!("http://ex.org/x{i}")}}));
    }
    let nodes: Vec<Value> = (0..200)
        .map(|i| json!({"@type": format!("T{i}"), "x": i, "child": {"@type": format!("T{}", (i + 1) % 200), "x": "y"}}))
        .collect();
    let doc = json!({"@context": Value::Object(ctx), "@id": "http://a", "items": nodes});
    let t = Instant::now();
    let r = jsonld::to_rdf(&doc);
    assert!(r.is_ok(), "{r:?}");
    assert!(t.elapsed() < Duration::from_secs(2));
}
