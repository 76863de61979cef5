//! Regression tests for JSON-LD features. Inputs are hand-written; the expected canonical
//! N-Quads were produced by jsonld.js 9.0.0 (rdf-canonize 5, RDFC-1.0, `safe: true`) with
//! the same bundled contexts, except where a comment says where and why we differ.

use qlabel_core::jsonld::{self, JsonLdError};

enum Want {
    Quads(&'static str),
    Err(fn(&JsonLdError) -> bool),
}

fn check(name: &str, input: &str, want: Want) {
    let doc: serde_json::Value =
        serde_json::from_str(input).unwrap_or_else(|e| panic!("{name}: {e}"));
    let got = jsonld::canonicalize(&doc);
    match want {
        Want::Quads(q) => match got {
            Ok(g) => assert_eq!(g, q, "{name}"),
            Err(e) => panic!("{name}: {e}"),
        },
        Want::Err(f) => match got {
            Ok(g) => panic!("{name}: expected an error, got\n{g}"),
            Err(e) => assert!(f(&e), "{name}: unexpected error {e:?}"),
        },
    }
}

#[test]
fn alias_keywords() {
    check(
        "alias_keywords",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"id": "@id", "type": "@type", "val": "@value", "lang": "@language", "list": "@list"}], "id": "http://a/1", "type": ["T1", "ex:T2"], "p": {"val": "v", "lang": "en"}, "q": {"list": [1, 2]}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/p> "v"@en .
<http://a/1> <http://ex.org/q> _:c14n0 .
<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/T1> .
<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/T2> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n1 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
"##,
        ),
    );
}

#[test]
fn at_vocab_relative_base() {
    check(
        "at_vocab_relative_base",
        r##"{"@context": [{"@base": "http://base/", "@vocab": "v#"}], "@id": "x", "p": "y"}"##,
        Want::Quads(
            r##"<http://base/x> <http://base/v#p> "y" .
"##,
        ),
    );
}

#[test]
fn bad_lang() {
    check(
        "bad_lang",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "x", "@language": "en_US"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn base_abs() {
    check(
        "base_abs",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"@base": "https://base.example/dir/"}], "@id": "item", "ref": {"@id": "../other"}, "@type": "T"}"##,
        Want::Quads(
            r##"<https://base.example/dir/item> <http://ex.org/ref> <https://base.example/other> .
<https://base.example/dir/item> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/T> .
"##,
        ),
    );
}

#[test]
fn base_rel_type_v2() {
    check(
        "base_rel_type_v2",
        r##"{"@context": ["https://www.w3.org/ns/credentials/v2", {"@base": "https://invalid.example.com/"}], "type": ["VerifiableCredential", "UndefinedCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}"##,
        Want::Quads(
            r##"_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://invalid.example.com/UndefinedCredential> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
_:c14n0 <https://www.w3.org/2018/credentials#credentialSubject> <did:example:2> .
_:c14n0 <https://www.w3.org/2018/credentials#issuer> <did:example:1> .
"##,
        ),
    );
}

#[test]
fn bnode_ids() {
    check(
        "bnode_ids",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@graph": [{"@id": "_:x", "knows": {"@id": "_:y"}}, {"@id": "_:y", "knows": {"@id": "_:x"}, "@type": "_:t"}]}"##,
        Want::Quads(
            r##"_:c14n0 <http://ex.org/knows> _:c14n1 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> _:c14n2 .
_:c14n1 <http://ex.org/knows> _:c14n0 .
"##,
        ),
    );
}

#[test]
fn bnode_predicate() {
    check(
        "bnode_predicate",
        r##"{"@context": {"@vocab": "_:"}, "@id": "http://a", "p": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn colliding() {
    check(
        "colliding",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"id": "@id"}], "id": "http://a/1", "@id": "http://a/2"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn compact_iris() {
    check(
        "compact_iris",
        r##"{"@context": {"ex": "http://ex.org/", "foaf": "http://xmlns.com/foaf/0.1/", "foaf:knows": {"@type": "@id"}}, "@id": "ex:me", "foaf:knows": "ex:you", "foaf:name": "Me", "http://abs/prop": "x"}"##,
        Want::Quads(
            r##"<http://ex.org/me> <http://abs/prop> "x" .
<http://ex.org/me> <http://xmlns.com/foaf/0.1/knows> <http://ex.org/you> .
<http://ex.org/me> <http://xmlns.com/foaf/0.1/name> "Me" .
"##,
        ),
    );
}

#[test]
fn container_invalid() {
    check(
        "container_invalid",
        r##"{"@context": {"p": {"@id": "http://p", "@container": ["@list", "@set"]}}, "@id": "http://a"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn cyclic_term() {
    check(
        "cyclic_term",
        r##"{"@context": {"a": "b:x", "b": "a:y"}, "@id": "http://a", "a": "1"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn direction_default() {
    // A default base direction is kept as an i18n datatype, as jsonld.js writes it with
    // rdfDirection "i18n-datatype" (Digital Bazaar's eddsa-rdfc-2022 canonicalises so).
    check(
        "direction_default",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"@direction": "ltr"}], "@id": "http://a", "s": "x", "n": 1}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a> <http://ex.org/s> "x"^^<https://www.w3.org/ns/i18n#_ltr> .
"##,
        ),
    );
}

#[test]
fn direction_value() {
    // VC 2.0 strings with @direction: language and direction go into an i18n datatype
    // (jsonld.js rdfDirection "i18n-datatype", as Digital Bazaar's eddsa-rdfc-2022 uses).
    check(
        "direction_value",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "x", "@language": "ar", "@direction": "rtl"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/s> "x"^^<https://www.w3.org/ns/i18n#ar_rtl> .
"##,
        ),
    );
}

#[test]
fn empty_node() {
    check(
        "empty_node",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "l": {}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/l> _:c14n0 .
"##,
        ),
    );
}

#[test]
fn empty_prop_array() {
    check(
        "empty_prop_array",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "l": [], "m": null}"##,
        Want::Quads(r##""##),
    );
}

#[test]
fn free_graph_scalar() {
    check(
        "free_graph_scalar",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@graph": ["x"]}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn free_scalar() {
    check(
        "free_scalar",
        r##""just a string""##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn graph_container() {
    check(
        "graph_container",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"g": {"@id": "ex:g", "@container": "@graph"}}], "@id": "http://a/1", "g": [{"@id": "http://b", "name": "in graph"}, {"name": "anon in graph"}]}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/g> _:c14n0 .
<http://a/1> <http://ex.org/g> _:c14n2 .
<http://b> <http://ex.org/name> "in graph" _:c14n0 .
_:c14n1 <http://ex.org/name> "anon in graph" _:c14n2 .
"##,
        ),
    );
}

#[test]
fn graph_id_map() {
    check(
        "graph_id_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"g": {"@id": "ex:g", "@container": ["@graph", "@id"]}}], "@id": "http://a/1", "g": {"http://g/1": {"@id": "http://b", "name": "x"}, "@none": {"name": "y"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/g> <http://g/1> .
<http://a/1> <http://ex.org/g> _:c14n1 .
<http://b> <http://ex.org/name> "x" <http://g/1> .
_:c14n0 <http://ex.org/name> "y" _:c14n1 .
"##,
        ),
    );
}

#[test]
fn graph_index_map() {
    check(
        "graph_index_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"g": {"@id": "ex:g", "@container": ["@graph", "@index"]}}], "@id": "http://a/1", "g": {"k1": {"@id": "http://b", "name": "x"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/g> _:c14n0 .
<http://b> <http://ex.org/name> "x" _:c14n0 .
"##,
        ),
    );
}

#[test]
fn graph_only_id() {
    check(
        "graph_only_id",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@graph": [{"@id": "http://a"}, {"@id": "http://b", "name": "b"}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn graph_top() {
    check(
        "graph_top",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@graph": [{"@id": "http://a/1", "name": "a"}, {"@id": "http://a/2", "knows": {"@id": "http://a/1"}}]}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/name> "a" .
<http://a/2> <http://ex.org/knows> <http://a/1> .
"##,
        ),
    );
}

#[test]
fn graph_value_err() {
    check(
        "graph_value_err",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@graph": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn id_map() {
    check(
        "id_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"m": {"@id": "ex:m", "@container": "@id"}}], "@id": "http://a/1", "m": {"http://x/1": {"name": "x1"}, "http://x/2": {"@id": "http://x/override", "name": "x2"}, "_:bn": {"name": "bn"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/m> <http://x/1> .
<http://a/1> <http://ex.org/m> <http://x/override> .
<http://a/1> <http://ex.org/m> _:c14n0 .
<http://x/1> <http://ex.org/name> "x1" .
<http://x/override> <http://ex.org/name> "x2" .
_:c14n0 <http://ex.org/name> "bn" .
"##,
        ),
    );
}

#[test]
fn id_non_string() {
    check(
        "id_non_string",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": 5}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn import() {
    // jsonld.js 9 fails ("keywords cannot be overridden") because it merges @import after handling @vocab; the spec merges first.
    check(
        "import",
        r##"{"@context": {"@import": "https://www.w3.org/ns/credentials/examples/v2", "extra": "http://ex.org/extra"}, "@id": "http://a/1", "extra": "e", "foo": "bar"}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/extra> "e" .
<http://a/1> <https://www.w3.org/ns/credentials/examples#foo> "bar" .
"##,
        ),
    );
}

#[test]
fn included() {
    check(
        "included",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/1", "@included": [{"@id": "http://b/1", "name": "b"}], "name": "a"}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/name> "a" .
<http://b/1> <http://ex.org/name> "b" .
"##,
        ),
    );
}

#[test]
fn included_bad() {
    check(
        "included_bad",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "@included": [{"@value": 1}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn index_map() {
    check(
        "index_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"m": {"@id": "ex:m", "@container": "@index"}}], "@id": "http://a/1", "m": {"a": "val", "b": {"@id": "http://b", "name": "n"}, "c": [1, 2]}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/m> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/m> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/m> "val" .
<http://a/1> <http://ex.org/m> <http://b> .
<http://b> <http://ex.org/name> "n" .
"##,
        ),
    );
}

#[test]
fn iri_weird_chars() {
    // stricter than jsonld.js: IRIs with characters N-Quads cannot carry (<, >, ", {, }, |, ^, `, \\, controls) are rejected.
    check(
        "iri_weird_chars",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/<b>", "name": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn json_lit() {
    check(
        "json_lit",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"j": {"@id": "ex:j", "@type": "@json"}}], "@id": "http://a/1", "j": {"b": [1, 2.5, "x\u0001\"", null, true], "a": {"z": 1, "\u20ac": 2, "\ud83d\ude00": 3}, "n": 1e+30}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/j> "{\"a\":{\"z\":1,\"€\":2,\"😀\":3},\"b\":[1,2.5,\"x\\u0001\\\"\",null,true],\"n\":1e+30}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .
"##,
        ),
    );
}

#[test]
fn json_lit_array() {
    check(
        "json_lit_array",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"j": {"@id": "ex:j", "@type": "@json"}}], "@id": "http://a/1", "j": [1, {"x": 2}]}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/j> "[1,{\"x\":2}]"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .
"##,
        ),
    );
}

#[test]
fn json_valueobj() {
    check(
        "json_valueobj",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/1", "v": {"@value": {"a": 1}, "@type": "@json"}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/v> "{\"a\":1}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .
"##,
        ),
    );
}

#[test]
fn keyword_like_key() {
    // jsonld.js safe mode fails ("invalid property"); the spec ignores keys of the form @abc, and so do we.
    check(
        "keyword_like_key",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/1", "@foo": "ignored", "name": "n"}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/name> "n" .
"##,
        ),
    );
}

#[test]
fn keyword_like_term() {
    check(
        "keyword_like_term",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"@foo": "http://x"}], "@id": "http://a/1"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn lang_default() {
    check(
        "lang_default",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"@language": "EN-us", "nolang": {"@id": "ex:nolang", "@language": null}, "fr": {"@id": "ex:fr", "@language": "fr"}}], "@id": "http://a/1", "s": "hello", "nolang": "x", "fr": "bonjour", "n": 5}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/fr> "bonjour"@fr .
<http://a/1> <http://ex.org/n> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/nolang> "x" .
<http://a/1> <http://ex.org/s> "hello"@en-us .
"##,
        ),
    );
}

#[test]
fn lang_map() {
    check(
        "lang_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"label": {"@id": "ex:label", "@container": "@language"}}], "@id": "http://a/1", "label": {"en": "Hi", "DE": ["Hallo", "Servus"], "@none": "plain", "x": null}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/label> "Hallo"@de .
<http://a/1> <http://ex.org/label> "Hi"@en .
<http://a/1> <http://ex.org/label> "Servus"@de .
<http://a/1> <http://ex.org/label> "plain" .
"##,
        ),
    );
}

#[test]
fn lang_map_bad_tag() {
    check(
        "lang_map_bad_tag",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"label": {"@id": "ex:label", "@container": "@language"}}], "@id": "http://a", "label": {"e n": "x"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn lang_map_bad_value() {
    check(
        "lang_map_bad_value",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"label": {"@id": "ex:label", "@container": "@language"}}], "@id": "http://a", "label": {"en": 5}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn list_container() {
    check(
        "list_container",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"l": {"@id": "ex:l", "@container": "@list"}}], "@id": "http://a/1", "l": [1, "a", {"@id": "http://b"}, [2, 3], []], "e": {"@list": []}, "nested": {"@list": [{"@list": ["x"]}]}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
<http://a/1> <http://ex.org/l> _:c14n3 .
<http://a/1> <http://ex.org/nested> _:c14n2 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "x" .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:c14n0 .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n5 .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:c14n8 .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n1 .
_:c14n5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "a" .
_:c14n5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n7 .
_:c14n6 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n6 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n7 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://b> .
_:c14n7 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n4 .
_:c14n8 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n8 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n6 .
"##,
        ),
    );
}

#[test]
fn list_of_lists_no_container() {
    check(
        "list_of_lists_no_container",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "l": {"@list": [[1, 2], [3]]}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/l> _:c14n1 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n4 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:c14n0 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n3 .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:c14n2 .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
"##,
        ),
    );
}

#[test]
fn list_with_index() {
    check(
        "list_with_index",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "l": {"@list": [1], "@index": "i"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/l> _:c14n0 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
"##,
        ),
    );
}

#[test]
fn list_with_type() {
    // stricter than jsonld.js, which silently drops the @type of {"@list": …, "@type": …}.
    check(
        "list_with_type",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "l": {"@list": [1], "@type": "T"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn named_graph() {
    check(
        "named_graph",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://g/1", "@graph": [{"@id": "http://a/1", "name": "a"}], "label": "graph"}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/name> "a" <http://g/1> .
<http://g/1> <http://ex.org/label> "graph" .
"##,
        ),
    );
}

#[test]
fn nest() {
    check(
        "nest",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"meta": "@nest", "x": {"@id": "ex:x", "@nest": "meta"}}], "@id": "http://a/1", "meta": {"x": 1, "y": 2}, "z": 3}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/x> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/y> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/z> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
"##,
        ),
    );
}

#[test]
fn node_language() {
    check(
        "node_language",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "@language": "en", "s": "x"}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/s> "x" .
"##,
        ),
    );
}

#[test]
fn null_ctx_in_prop() {
    check(
        "null_ctx_in_prop",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"p": {"@id": "ex:p", "@context": null}}], "@id": "http://a/1", "p": {"@id": "http://b", "http://ex.org/q": "abs"}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/p> <http://b> .
<http://b> <http://ex.org/q> "abs" .
"##,
        ),
    );
}

#[test]
fn null_term() {
    check(
        "null_term",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"dropme": null}], "@id": "http://a", "dropme": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::UndefinedTerm(_))),
    );
}

#[test]
fn null_term_abs_key() {
    check(
        "null_term_abs_key",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"dropme": null}], "@id": "http://a", "http://ex.org/dropme": "x"}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/dropme> "x" .
"##,
        ),
    );
}

#[test]
fn null_value() {
    check(
        "null_value",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": null}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn numbers() {
    // jsonld.js writes "0"^^xsd:integer twice (for 0 and 1e-7): it does not remove duplicate quads.
    check(
        "numbers",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/1", "n": [0, -0.0, 5.0, 1e+21, 1e+20, 1e-07, 123456789012345678901234, -12, 0.1, 3.14159, 2.5e-10, 9007199254740993, 1.7976931348623157e+308]}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/n> "-12"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/n> "0"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/n> "1.0E-1"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "1.0E21"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "1.234567890123457E23"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "1.797693134862316E308"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "100000000000000000000"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/n> "2.5E-10"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "3.14159E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/n> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/n> "9007199254740992"^^<http://www.w3.org/2001/XMLSchema#integer> .
"##,
        ),
    );
}

#[test]
fn ob3_with_langs() {
    check(
        "ob3_with_langs",
        r##"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": "https://ex/i", "type": "Profile", "name": "I"}, "validFrom": "2020-01-01T00:00:00Z", "name": {"@value": "Nom", "@language": "fr"}, "credentialSubject": {"type": "AchievementSubject", "achievement": {"id": "https://ex/a", "type": "Achievement", "name": "A", "criteria": {"narrative": "n"}, "creditsAvailable": 3.5, "alignment": [{"type": "Alignment", "targetName": "t", "targetUrl": "https://t"}]}, "result": [{"type": "Result", "value": "5"}]}}"##,
        Want::Quads(
            r##"<https://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .
<https://ex/a> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria> _:c14n3 .
<https://ex/a> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> _:c14n0 .
<https://ex/a> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable> "3.5E0"^^<https://www.w3.org/2001/XMLSchema#float> .
<https://ex/a> <https://schema.org/name> "A" .
<https://ex/i> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .
<https://ex/i> <https://schema.org/name> "I" .
<urn:uuid:1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
<urn:uuid:1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:uuid:1> <https://schema.org/name> "Nom"@fr .
<urn:uuid:1> <https://www.w3.org/2018/credentials#credentialSubject> _:c14n2 .
<urn:uuid:1> <https://www.w3.org/2018/credentials#issuer> <https://ex/i> .
<urn:uuid:1> <https://www.w3.org/2018/credentials#validFrom> "2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/AlignmentObject> .
_:c14n0 <https://schema.org/targetName> "t" .
_:c14n0 <https://schema.org/targetUrl> "https://t"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Result> .
_:c14n1 <https://schema.org/value> "5" .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .
_:c14n2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://ex/a> .
_:c14n2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#result> _:c14n1 .
_:c14n3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "n" .
"##,
        ),
    );
}

#[test]
fn only_language() {
    check(
        "only_language",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@language": "en"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn prefix_false() {
    check(
        "prefix_false",
        r##"{"@context": {"ex": {"@id": "http://ex.org/", "@prefix": false}, "v": {"@id": "http://v#"}}, "@id": "http://a", "ex:name": "x"}"##,
        Want::Quads(
            r##"<http://a> <ex:name> "x" .
"##,
        ),
    );
}

#[test]
fn prefix_non_gendelim() {
    check(
        "prefix_non_gendelim",
        r##"{"@context": {"ex": "http://ex.org/ns", "@vocab": "http://ex.org/"}, "@id": "http://a", "ex:name": "x"}"##,
        Want::Quads(
            r##"<http://a> <ex:name> "x" .
"##,
        ),
    );
}

#[test]
fn prop_index_map() {
    check(
        "prop_index_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"m": {"@id": "ex:m", "@container": "@index", "@index": "dept"}, "dept": {"@id": "ex:dept", "@type": "@id"}}], "@id": "http://a/1", "m": {"http://d/1": {"@id": "http://p/1", "name": "p1"}, "@none": {"@id": "http://p/2"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/m> <http://p/1> .
<http://a/1> <http://ex.org/m> <http://p/2> .
<http://p/1> <http://ex.org/dept> <http://d/1> .
<http://p/1> <http://ex.org/name> "p1" .
"##,
        ),
    );
}

#[test]
fn prop_index_map_lit() {
    check(
        "prop_index_map_lit",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"m": {"@id": "ex:m", "@container": "@index", "@index": "dept"}}], "@id": "http://a/1", "m": {"sales": {"@id": "http://p/1", "name": "p1"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/m> <http://p/1> .
<http://p/1> <http://ex.org/dept> "sales" .
<http://p/1> <http://ex.org/name> "p1" .
"##,
        ),
    );
}

#[test]
fn prop_scoped() {
    check(
        "prop_scoped",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"p": {"@id": "ex:p", "@context": {"inner": {"@id": "ex:inner", "@type": "@id"}}}}], "@id": "http://a/1", "p": {"inner": "http://i", "deeper": {"inner": "http://j"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/p> _:c14n0 .
_:c14n0 <http://ex.org/deeper> _:c14n1 .
_:c14n0 <http://ex.org/inner> <http://i> .
_:c14n1 <http://ex.org/inner> <http://j> .
"##,
        ),
    );
}

#[test]
fn protected_null() {
    check(
        "protected_null",
        r##"{"@context": [{"@protected": true, "name": "http://ex.org/name"}, null], "@id": "http://a/1"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn protected_override_in_prop() {
    check(
        "protected_override_in_prop",
        r##"{"@context": [{"@protected": true, "@vocab": "http://ex.org/", "name": "ex:name", "p": {"@id": "ex:p", "@context": {"name": "ex:otherName"}}}], "@id": "http://a/1", "p": {"name": "inner"}, "name": "outer"}"##,
        Want::Quads(
            r##"<http://a/1> <ex:name> "outer" .
<http://a/1> <ex:p> _:c14n0 .
_:c14n0 <ex:otherName> "inner" .
"##,
        ),
    );
}

#[test]
fn protected_redefine_diff() {
    check(
        "protected_redefine_diff",
        r##"{"@context": [{"@protected": true, "name": "http://ex.org/name"}, {"name": "http://ex.org/other"}], "@id": "http://a/1", "name": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn protected_redefine_same() {
    check(
        "protected_redefine_same",
        r##"{"@context": [{"@protected": true, "name": "http://ex.org/name"}, {"name": "http://ex.org/name"}], "@id": "http://a/1", "name": "x"}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/name> "x" .
"##,
        ),
    );
}

#[test]
fn rel_id() {
    check(
        "rel_id",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "relative", "name": "x"}"##,
        Want::Err(|e| matches!(e, JsonLdError::RelativeIri(_))),
    );
}

#[test]
fn rel_id_ref() {
    check(
        "rel_id_ref",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"r": {"@id": "ex:r", "@type": "@id"}}], "@id": "http://a", "r": "relative"}"##,
        Want::Err(|e| matches!(e, JsonLdError::RelativeIri(_))),
    );
}

#[test]
fn rel_type_v2() {
    check(
        "rel_type_v2",
        r##"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "UndefinedCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::RelativeIri(_))),
    );
}

#[test]
fn reserved_id() {
    check(
        "reserved_id",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "@foo", "p": 1}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn reverse() {
    check(
        "reverse",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"children": {"@reverse": "ex:parent"}}], "@id": "http://a/1", "children": [{"@id": "http://c/1"}, {"name": "anon"}], "@reverse": {"ex:knows": {"@id": "http://k"}}}"##,
        Want::Quads(
            r##"<http://c/1> <http://ex.org/parent> <http://a/1> .
<http://k> <http://ex.org/knows> <http://a/1> .
_:c14n0 <http://ex.org/name> "anon" .
_:c14n0 <http://ex.org/parent> <http://a/1> .
"##,
        ),
    );
}

#[test]
fn reverse_value_err() {
    check(
        "reverse_value_err",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"rev": {"@reverse": "ex:p"}}], "@id": "http://a", "rev": "literal"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn scoped_ctx_url() {
    check(
        "scoped_ctx_url",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"cred": {"@id": "ex:cred", "@context": "https://www.w3.org/ns/credentials/v2"}}], "@id": "http://a", "cred": {"type": "VerifiableCredential", "issuer": "did:ex:1"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/cred> _:c14n0 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
_:c14n0 <https://www.w3.org/2018/credentials#issuer> <did:ex:1> .
"##,
        ),
    );
}

#[test]
fn set_container() {
    check(
        "set_container",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"s": {"@id": "ex:s", "@container": "@set"}}], "@id": "http://a/1", "s": "one", "t": {"@set": ["a", "b"]}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/s> "one" .
<http://a/1> <http://ex.org/t> "a" .
<http://a/1> <http://ex.org/t> "b" .
"##,
        ),
    );
}

#[test]
fn set_in_list() {
    check(
        "set_in_list",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"l": {"@id": "ex:l", "@container": "@list"}}], "@id": "http://a", "l": [{"@set": [1, 2]}, 3]}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/l> _:c14n1 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n3 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:c14n0 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n2 .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
"##,
        ),
    );
}

#[test]
fn string_escapes() {
    check(
        "string_escapes",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": "tab\t nl\n cr\r q\" bs\\ bell\u0007 del\u007f uni\u00e9 \ud83d\ude00"}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/s> "tab\t nl\n cr\r q\" bs\\ bell\u0007 del\u007F unié 😀" .
"##,
        ),
    );
}

#[test]
fn term_bad_key() {
    check(
        "term_bad_key",
        r##"{"@context": {"p": {"@id": "http://p", "@foo": 1}}, "@id": "http://a"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn term_iri_mismatch() {
    check(
        "term_iri_mismatch",
        r##"{"@context": {"http://ex.org/a": "http://ex.org/b"}, "@id": "http://a"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn top_empty() {
    check(
        "top_empty",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn top_only_id() {
    check(
        "top_only_id",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a"}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn type_and_atype() {
    check(
        "type_and_atype",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"type": "@type"}], "@id": "http://a/1", "type": "A", "@type": "B"}"##,
        Want::Quads(
            r##"<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/A> .
<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/B> .
"##,
        ),
    );
}

#[test]
fn type_container_default() {
    check(
        "type_container_default",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"t": {"@id": "ex:t", "@container": "@type", "@type": "@vocab"}}], "@id": "http://a", "t": {"Foo": "Bar"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/t> <http://ex.org/Bar> .
<http://ex.org/Bar> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Foo> .
"##,
        ),
    );
}

#[test]
fn type_json() {
    check(
        "type_json",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "@type": "@json"}"##,
        Want::Err(|e| matches!(e, JsonLdError::RelativeIri(_))),
    );
}

#[test]
fn type_map() {
    check(
        "type_map",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"m": {"@id": "ex:m", "@container": "@type"}, "Person": {"@id": "ex:Person", "@context": {"nick": "ex:nickname"}}}], "@id": "http://a/1", "m": {"Person": {"@id": "http://p", "nick": "pp"}, "ex:Other": "http://o/1", "@none": {"name": "none"}}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/m> <http://o/1> .
<http://a/1> <http://ex.org/m> <http://p> .
<http://a/1> <http://ex.org/m> _:c14n0 .
<http://o/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Other> .
<http://p> <http://ex.org/nickname> "pp" .
<http://p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Person> .
_:c14n0 <http://ex.org/name> "none" .
"##,
        ),
    );
}

#[test]
fn type_non_string() {
    check(
        "type_non_string",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "@type": 5}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn type_scoped() {
    check(
        "type_scoped",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"Thing": {"@id": "ex:Thing", "@context": {"val": {"@id": "ex:scopedVal", "@type": "@id"}}}}], "@id": "http://a/1", "@type": "Thing", "val": "http://v", "child": {"val": "not scoped"}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/child> _:c14n0 .
<http://a/1> <http://ex.org/scopedVal> <http://v> .
<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Thing> .
_:c14n0 <http://ex.org/val> "not scoped" .
"##,
        ),
    );
}

#[test]
fn type_scoped_propagate() {
    check(
        "type_scoped_propagate",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"Thing": {"@id": "ex:Thing", "@context": {"@propagate": true, "val": {"@id": "ex:scopedVal", "@type": "@id"}}}}], "@id": "http://a/1", "@type": "Thing", "val": "http://v", "child": {"val": "http://w"}}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/child> _:c14n0 .
<http://a/1> <http://ex.org/scopedVal> <http://v> .
<http://a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Thing> .
_:c14n0 <http://ex.org/scopedVal> <http://w> .
"##,
        ),
    );
}

#[test]
fn type_scoped_value_in_child() {
    check(
        "type_scoped_value_in_child",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"Thing": {"@id": "ex:Thing", "@context": {"val": {"@id": "ex:scopedVal"}}}}], "@type": "Thing", "val": {"@value": "v"}, "ref": {"@id": "http://r"}}"##,
        Want::Quads(
            r##"_:c14n0 <http://ex.org/ref> <http://r> .
_:c14n0 <http://ex.org/scopedVal> "v" .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Thing> .
"##,
        ),
    );
}

#[test]
fn typed_numbers() {
    check(
        "typed_numbers",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"d": {"@id": "ex:d", "@type": "xsd:double"}, "i": {"@id": "ex:i", "@type": "xsd:integer"}, "fl": {"@id": "ex:fl", "@type": "xsd:float"}}], "@id": "http://a/1", "d": [5, 1.5, "2.50", "abc", " 3e2x", true], "i": [5, 1.5, "07"], "fl": [3, 3.5]}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/d> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/d> "2.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/d> "3.0E2"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/d> "5.0E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/d> "NaN"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/d> "true"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/fl> "3"^^<http://www.w3.org/2001/XMLSchema#float> .
<http://a/1> <http://ex.org/fl> "3.5E0"^^<http://www.w3.org/2001/XMLSchema#float> .
<http://a/1> <http://ex.org/i> "07"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/i> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/i> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
"##,
        ),
    );
}

#[test]
fn undefined_term_v1() {
    check(
        "undefined_term_v1",
        r##"{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "issuer": "did:example:1", "issuanceDate": "2020-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:2", "undefinedTerm": "x"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::UndefinedTerm(_))),
    );
}

#[test]
fn undefined_term_v2() {
    check(
        "undefined_term_v2",
        r##"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2", "undefinedTerm": "x"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::UndefinedTerm(_))),
    );
}

#[test]
fn undefined_term_v2_undef_ctx() {
    check(
        "undefined_term_v2_undef_ctx",
        r##"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/undefined-terms/v2"], "type": ["VerifiableCredential", "UndefinedCredential"], "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2", "undefinedTerm": "x"}}"##,
        Want::Quads(
            r##"<did:example:2> <https://www.w3.org/ns/credentials/undefined-term#undefinedTerm> "x" .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/undefined-term#UndefinedCredential> .
_:c14n0 <https://www.w3.org/2018/credentials#credentialSubject> <did:example:2> .
_:c14n0 <https://www.w3.org/2018/credentials#issuer> <did:example:1> .
"##,
        ),
    );
}

#[test]
fn value_extra() {
    check(
        "value_extra",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "x", "name": "y"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn value_index() {
    check(
        "value_index",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "x", "@index": "i"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/s> "x" .
"##,
        ),
    );
}

#[test]
fn value_rel_type() {
    check(
        "value_rel_type",
        r##"{"@context": {"ex": "http://ex.org/"}, "@id": "http://a", "ex:s": {"@value": "x", "@type": "relT"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::RelativeIri(_))),
    );
}

#[test]
fn value_type_lang() {
    check(
        "value_type_lang",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "x", "@language": "en", "@type": "ex:T"}}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidDocument(_))),
    );
}

#[test]
fn value_typed() {
    check(
        "value_typed",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a", "s": {"@value": "2020-01-01", "@type": "xsd:date"}, "t": {"@value": 5, "@type": "xsd:string"}, "u": {"@value": true, "@type": "xsd:double"}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/s> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
<http://a> <http://ex.org/t> "5" .
<http://a> <http://ex.org/u> "true"^^<http://www.w3.org/2001/XMLSchema#double> .
"##,
        ),
    );
}

#[test]
fn version() {
    check(
        "version",
        r##"{"@context": {"@version": 1.1, "@vocab": "http://ex.org/"}, "@id": "http://a", "p": 1}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
"##,
        ),
    );
}

#[test]
fn version_bad() {
    check(
        "version_bad",
        r##"{"@context": {"@version": 1.0, "@vocab": "http://ex.org/"}, "@id": "http://a", "p": 1}"##,
        Want::Err(|e| matches!(e, JsonLdError::InvalidContext(_))),
    );
}

#[test]
fn vocab_basic() {
    check(
        "vocab_basic",
        r##"{"@context": {"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, "@id": "http://a/1", "name": "x", "age": 5, "ok": true, "f": 1.5}"##,
        Want::Quads(
            r##"<http://a/1> <http://ex.org/age> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/1> <http://ex.org/f> "1.5E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://a/1> <http://ex.org/name> "x" .
<http://a/1> <http://ex.org/ok> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
"##,
        ),
    );
}

#[test]
fn vocab_empty_string() {
    check(
        "vocab_empty_string",
        r##"{"@context": [{"@base": "http://base/doc", "@vocab": ""}], "@id": "x", "p": "y", "@type": "T"}"##,
        Want::Quads(
            r##"<http://base/x> <http://base/docp> "y" .
<http://base/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://base/docT> .
"##,
        ),
    );
}

#[test]
fn vocab_ref() {
    check(
        "vocab_ref",
        r##"{"@context": [{"@vocab": "http://ex.org/", "ex": "http://ex.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}, {"r": {"@id": "ex:r", "@type": "@vocab"}, "Known": "http://k/Known"}], "@id": "http://a", "r": ["Known", "Unknown", "ex:Pref", "http://abs/x"]}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/r> <http://abs/x> .
<http://a> <http://ex.org/r> <http://ex.org/Pref> .
<http://a> <http://ex.org/r> <http://ex.org/Unknown> .
<http://a> <http://ex.org/r> <http://k/Known> .
"##,
        ),
    );
}

#[test]
fn clique5() {
    check(
        "clique5",
        r##"{"@graph": [{"@id": "_:n0", "http://ex.org/p": [{"@id": "_:n1"}, {"@id": "_:n2"}, {"@id": "_:n3"}, {"@id": "_:n4"}]}, {"@id": "_:n1", "http://ex.org/p": [{"@id": "_:n0"}, {"@id": "_:n2"}, {"@id": "_:n3"}, {"@id": "_:n4"}]}, {"@id": "_:n2", "http://ex.org/p": [{"@id": "_:n0"}, {"@id": "_:n1"}, {"@id": "_:n3"}, {"@id": "_:n4"}]}, {"@id": "_:n3", "http://ex.org/p": [{"@id": "_:n0"}, {"@id": "_:n1"}, {"@id": "_:n2"}, {"@id": "_:n4"}]}, {"@id": "_:n4", "http://ex.org/p": [{"@id": "_:n0"}, {"@id": "_:n1"}, {"@id": "_:n2"}, {"@id": "_:n3"}]}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::Limit(_))),
    );
}

#[test]
fn dup_deep() {
    check(
        "dup_deep",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "al": [{"n": {"n": {"n": {"v": 1}}}}, {"n": {"n": {"n": {"v": 1}}}}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::Limit(_))),
    );
}

#[test]
fn dup_lists() {
    check(
        "dup_lists",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "l1": {"@list": [1, 1, 1]}, "l2": {"@list": [1, 1, 1]}}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/l1> _:c14n0 .
<http://a> <http://ex.org/l2> _:c14n1 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n5 .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n3 .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n2 .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .
_:c14n5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n4 .
"##,
        ),
    );
}

#[test]
fn dup_subtrees() {
    check(
        "dup_subtrees",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "al": [{"name": "x", "child": {"v": 1}}, {"name": "x", "child": {"v": 1}}]}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/al> _:c14n1 .
<http://a> <http://ex.org/al> _:c14n3 .
_:c14n0 <http://ex.org/v> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n1 <http://ex.org/child> _:c14n0 .
_:c14n1 <http://ex.org/name> "x" .
_:c14n2 <http://ex.org/v> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:c14n3 <http://ex.org/child> _:c14n2 .
_:c14n3 <http://ex.org/name> "x" .
"##,
        ),
    );
}

#[test]
fn dup_three() {
    check(
        "dup_three",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "al": [{"name": "x"}, {"name": "x"}, {"name": "x"}]}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/al> _:c14n0 .
<http://a> <http://ex.org/al> _:c14n1 .
<http://a> <http://ex.org/al> _:c14n2 .
_:c14n0 <http://ex.org/name> "x" .
_:c14n1 <http://ex.org/name> "x" .
_:c14n2 <http://ex.org/name> "x" .
"##,
        ),
    );
}

#[test]
fn graph_self() {
    check(
        "graph_self",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "_:g", "@graph": [{"@id": "_:g", "name": "in itself"}], "name": "g"}"##,
        Want::Quads(
            r##"_:c14n0 <http://ex.org/name> "g" .
_:c14n0 <http://ex.org/name> "in itself" _:c14n0 .
"##,
        ),
    );
}

#[test]
fn ring2() {
    check(
        "ring2",
        r##"{"@graph": [{"@id": "_:n0", "http://ex.org/p": {"@id": "_:n1"}}, {"@id": "_:n1", "http://ex.org/p": {"@id": "_:n0"}}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::Limit(_))),
    );
}

#[test]
fn ring5() {
    check(
        "ring5",
        r##"{"@graph": [{"@id": "_:n0", "http://ex.org/p": {"@id": "_:n1"}}, {"@id": "_:n1", "http://ex.org/p": {"@id": "_:n2"}}, {"@id": "_:n2", "http://ex.org/p": {"@id": "_:n3"}}, {"@id": "_:n3", "http://ex.org/p": {"@id": "_:n4"}}, {"@id": "_:n4", "http://ex.org/p": {"@id": "_:n0"}}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::Limit(_))),
    );
}

#[test]
fn selfloop() {
    check(
        "selfloop",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "_:x", "knows": {"@id": "_:x"}, "name": "a"}"##,
        Want::Quads(
            r##"_:c14n0 <http://ex.org/knows> _:c14n0 .
_:c14n0 <http://ex.org/name> "a" .
"##,
        ),
    );
}

#[test]
fn selfloop2() {
    // rdf-canon lists a quad once per occurrence of a blank node in it (jsonld.js once): self-loops can canonicalise differently.
    check(
        "selfloop2",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@graph": [{"@id": "_:x", "knows": {"@id": "_:x"}, "name": "a"}, {"@id": "_:y", "knows": {"@id": "_:x"}, "name": "a"}, {"@id": "_:z", "knows": [{"@id": "_:z"}, {"@id": "_:y"}], "name": "a"}]}"##,
        Want::Quads(
            r##"_:c14n0 <http://ex.org/knows> _:c14n0 .
_:c14n0 <http://ex.org/knows> _:c14n1 .
_:c14n0 <http://ex.org/name> "a" .
_:c14n1 <http://ex.org/knows> _:c14n2 .
_:c14n1 <http://ex.org/name> "a" .
_:c14n2 <http://ex.org/knows> _:c14n2 .
_:c14n2 <http://ex.org/name> "a" .
"##,
        ),
    );
}

#[test]
fn two_graphs_same() {
    check(
        "two_graphs_same",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "g": [{"@graph": {"@id": "http://b", "v": 1}}]}"##,
        Want::Quads(
            r##"<http://a> <http://ex.org/g> _:c14n0 .
<http://b> <http://ex.org/v> "1"^^<http://www.w3.org/2001/XMLSchema#integer> _:c14n0 .
"##,
        ),
    );
}

#[test]
fn two_similar() {
    check(
        "two_similar",
        r##"{"@context": {"@vocab": "http://ex.org/"}, "@graph": [{"@id": "_:a", "p": {"@id": "_:b"}}, {"@id": "_:b", "p": {"@id": "_:a"}}]}"##,
        Want::Err(|e| matches!(e, JsonLdError::Limit(_))),
    );
}
