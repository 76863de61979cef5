//! JSON-LD 1.1 → RDF → RDFC-1.0 canonical N-Quads, for the Verifiable Credentials profile.
//!
//! * Only **bundled** contexts are used (see `crates/core/contexts/NOTICE.md`); remote
//!   contexts are never fetched ([`JsonLdError::UnknownContext`]).
//! * Processed contexts are cached process-wide: a document's `@context` list of bundled
//!   URLs, and the type- and property-scoped contexts applied on top of it, are processed
//!   once and then reused (contexts involving a document's own inline contexts are cached
//!   for that call only).
//! * **Safe mode**, as jsonld.js' `safe: true` (which the W3C VC Data Integrity test suites
//!   exercise): what a processor would silently drop or leave relative is an error —
//!   undefined terms, relative `@id`/`@type`/IRIs, values and objects that would be dropped,
//!   malformed language tags, blank node predicates. Two deliberate exceptions follow the
//!   JSON-LD spec instead of jsonld.js: keys of the form `@abc` that are not keywords are
//!   ignored; and a string's base direction (`@direction`, which VC 2.0 credentials use)
//!   is written as jsonld.js does with `rdfDirection: "i18n-datatype"` — the option
//!   Digital Bazaar's eddsa-rdfc-2022 canonicalises with — so the direction is signed.
//! * The base IRI is null. An absolute `@base` in an inline context is honoured.
//! * Hostile input is bounded: nesting depth, quads, blank nodes, context-processing work,
//!   and RDFC-1.0's Hash N-Degree Quads calls (at most one per blank node sharing its
//!   first-degree hash, like jsonld.js' default `maxWorkFactor` of 1).
//!
//! The JSON-LD algorithms follow the W3C JSON-LD 1.1 Processing Algorithms, and jsonld.js
//! (the reference implementation behind most Data Integrity signers) where the two differ
//! in ways that change the RDF (key order, number formatting, safe-mode checks). Blank node
//! labels are canonicalised by `rdf-canon`; when all first-degree hashes differ, that step
//! is done here (same result, no `oxrdf::Dataset`).

mod bundled;
#[cfg(feature = "rdfc")]
mod canon;
mod context;
mod error;
mod expand;
mod iri;
mod limits;
mod rdf;

use serde_json::Value;

pub use error::JsonLdError;

/// RDFC-1.0 canonical N-Quads (each line ends with `"\n"`, sorted) of a JSON-LD document,
/// using only bundled contexts, in safe mode.
#[cfg(feature = "rdfc")]
pub fn canonicalize(doc: &Value) -> Result<String, JsonLdError> {
    let items = expand::expand_document(doc)?;
    let mut em = rdf::Emitter::default();
    for it in &items {
        em.emit_top(it, None)?;
    }
    canon::canonicalize_quads(&em.quads, em.bnodes)
}

/// RDFC-1.0 canonical N-Quads, from the canonicalizer registered with
/// [`set_canonicalizer`] (this build carries none of its own); without one,
/// [`JsonLdError::Unavailable`]. The canonicalizer reads the document in safe mode as
/// [`check`] does, and answers its errors by kind ([`JsonLdError::from_kind`]).
#[cfg(not(feature = "rdfc"))]
pub fn canonicalize(doc: &Value) -> Result<String, JsonLdError> {
    match EXTERNAL.get() {
        Some(canonicalizer) => canonicalizer(doc),
        None => Err(JsonLdError::Unavailable(
            "this build of qlabel has no RDF canonicalizer".into(),
        )),
    }
}

/// A canonicalizer: the document in, its canonical N-Quads out.
pub type Canonicalizer = fn(&Value) -> Result<String, JsonLdError>;

#[cfg_attr(feature = "rdfc", allow(dead_code))]
static EXTERNAL: std::sync::OnceLock<Canonicalizer> = std::sync::OnceLock::new();

/// Registers the canonicalizer [`canonicalize`] uses in a build without the `rdfc`
/// feature (a build with it keeps its own and ignores this). The first registration
/// stays; `false` if one was already set.
pub fn set_canonicalizer(canonicalizer: Canonicalizer) -> bool {
    EXTERNAL.set(canonicalizer).is_ok()
}

/// Checks a document as [`canonicalize`] would read it — expansion with only bundled
/// contexts, in safe mode, and its conversion to RDF — without canonicalising.
pub fn check(doc: &Value) -> Result<(), JsonLdError> {
    let items = expand::expand_document(doc)?;
    let mut em = rdf::Emitter::default();
    for it in &items {
        em.emit_top(it, None)?;
    }
    Ok(())
}

/// The RDF quads (before canonicalisation), for tests/debugging. Blank nodes are labelled
/// `_:b0`, `_:b1`, … in document order.
#[cfg(feature = "rdfc")]
pub fn to_rdf(doc: &Value) -> Result<Vec<oxrdf::Quad>, JsonLdError> {
    let items = expand::expand_document(doc)?;
    let mut em = rdf::Emitter::default();
    for it in &items {
        em.emit_top(it, None)?;
    }
    Ok(em.quads.iter().map(rdf::to_ox).collect())
}

/// Is this context URL bundled?
pub fn is_bundled(url: &str) -> bool {
    bundled::is_bundled(url)
}

/// All bundled context URLs.
pub fn bundled_urls() -> impl Iterator<Item = &'static str> {
    bundled::urls()
}

#[cfg(all(test, feature = "rdfc"))]
mod tests {
    use super::*;

    /// The first-degree shortcut must give exactly `rdf-canon`'s labels.
    pub(crate) fn assert_fast_path_agrees(doc: &Value) {
        let Ok(items) = expand::expand_document(doc) else {
            return;
        };
        let mut em = rdf::Emitter::default();
        if items.iter().any(|it| em.emit_top(it, None).is_err()) {
            return;
        }
        let refs: Vec<&rdf::Q<'_>> = em.quads.iter().collect();
        if let canon::FirstDegree::Unique(fast) = canon::first_degree_labels(&refs, em.bnodes) {
            let full = canon::rdfc_labels(&refs, em.bnodes, 4000);
            assert_eq!(Ok(fast), full, "{doc}");
        }
    }

    #[test]
    fn first_degree_shortcut_matches_rdf_canon() {
        let docs = [
            serde_json::json!({"@context": {"@vocab": "http://ex.org/"}, "@id": "http://a", "p": {"q": 1}, "r": {"q": 2}, "s": {"@list": [1, 2, {"x": "y"}]}}),
            serde_json::json!({"@context": {"@vocab": "http://ex.org/"}, "@graph": [{"@id": "_:a", "p": {"@id": "_:b"}, "n": 1}, {"@id": "_:b", "n": 2, "@graph": {"@id": "_:c", "n": 3}}]}),
            serde_json::json!({"@context": {"@vocab": "http://ex.org/"}, "p": [{"q": 1}, {"q": 1}]}),
        ];
        for d in &docs {
            assert_fast_path_agrees(d);
        }
        // And on every JSON document of the shared test vectors.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors");
        let mut stack = vec![root];
        let mut n = 0;
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(text) = std::fs::read_to_string(&p) {
                    if let Ok(mut doc) = serde_json::from_str::<Value>(&text) {
                        assert_fast_path_agrees(&doc);
                        if let Some(m) = doc.as_object_mut() {
                            m.remove("proof");
                        }
                        assert_fast_path_agrees(&doc);
                        n += 1;
                    }
                }
            }
        }
        assert!(n == 0 || n > 300, "{n}");
    }

    #[test]
    fn indistinguishable_blank_nodes_are_bounded() {
        // Two identical graphs whose node repeats one predicate n times: Hash N-Degree
        // Quads on the node goes through n! orderings of its graph (found by fuzzing:
        // 178 quads took 17 s). Refused at once, as the Hash N-Degree Quads call limit
        // refuses few repeats; blank nodes that share hashes are otherwise fine.
        let doc = |n: usize| {
            let values: Vec<usize> = (0..n).collect();
            serde_json::json!({"@context": {"@vocab": "https://ex.example/"}, "@id": "https://ex.example/d",
                "p": [{"@graph": {"q": values}}, {"@graph": {"q": values}}]})
        };
        let twins = serde_json::json!({"@context": {"@vocab": "https://ex.example/"},
            "p": [{"q": [1, 2, 3]}, {"q": [1, 2, 3]}]});
        assert!(canonicalize(&twins).is_ok());
        for n in [3, 12] {
            let started = std::time::Instant::now();
            assert!(matches!(canonicalize(&doc(n)), Err(JsonLdError::Limit(_))));
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
    }

    #[test]
    fn all_bundled_contexts_process() {
        for url in bundled_urls() {
            let r = context::process_url(url);
            assert!(r.is_ok(), "{url}: {r:?}");
        }
    }

    #[test]
    fn all_bundled_scoped_contexts_process() {
        // Apply every scoped context of every bundled context once.
        for url in bundled_urls() {
            let Ok(ctx) = context::process_url(url) else {
                panic!("{url}")
            };
            let mut st = context::ProcState::default();
            for (term, td) in &ctx.terms {
                if let Some(sc) = &td.context {
                    let r = context::process_scoped(&ctx, sc, true, true, &mut st);
                    assert!(r.is_ok(), "{url} term {term}: {r:?}");
                }
            }
        }
    }
}
