//! JSON-LD 1.1 → RDF → RDFC-1.0 canonical N-Quads, for the Verifiable Credentials profile.
//!
//! * Only **bundled** contexts are used (see `crates/core/contexts/NOTICE.md`); remote
//!   contexts are never fetched ([`JsonLdError::UnknownContext`]).
//! * Processed contexts are cached process-wide: a document's `@context` list of bundled
//!   URLs, and the type- and property-scoped contexts applied on top of it, are processed
//!   once and then reused.
//! * **Safe mode**: anything a JSON-LD processor would silently drop or leave relative is an
//!   error (undefined terms, relative `@id`/`@type`, values that would be dropped,
//!   malformed language tags, …), as the W3C VC Data Integrity test suites require.
//! * The base IRI is null. An absolute `@base` in an inline context is honoured.
//! * Hostile input is bounded: nesting depth, quads, blank nodes, context work and
//!   RDFC-1.0 (`hndq_call_limit`).
//!
//! The JSON-LD algorithms follow the W3C JSON-LD 1.1 Processing Algorithms, and jsonld.js
//! (the reference implementation behind most Data Integrity signers) where the two differ
//! in ways that change the RDF (key order, number formatting, safe-mode events).

mod bundled;
mod context;
mod error;
mod expand;
mod iri;
mod limits;
mod rdf;

use oxrdf::{GraphName, Quad};
use serde_json::Value;
use sha2::Sha256;

pub use error::JsonLdError;

/// RDFC-1.0 canonical N-Quads (each line ends with `"\n"`, sorted) of a JSON-LD document,
/// using only bundled contexts, in safe mode.
pub fn canonicalize(doc: &Value) -> Result<String, JsonLdError> {
    let quads = to_rdf(doc)?;
    canonicalize_quads(&quads)
}

/// The RDF quads (before canonicalisation), for tests/debugging.
pub fn to_rdf(doc: &Value) -> Result<Vec<Quad>, JsonLdError> {
    let items = expand::expand_document(doc)?;
    let mut em = rdf::Emitter::default();
    for it in &items {
        em.emit_top(it, &GraphName::DefaultGraph)?;
    }
    Ok(em.quads)
}

/// Is this context URL bundled?
pub fn is_bundled(url: &str) -> bool {
    bundled::is_bundled(url)
}

/// All bundled context URLs.
pub fn bundled_urls() -> impl Iterator<Item = &'static str> {
    bundled::urls()
}

/// RDFC-1.0 with SHA-256 and the call limit on Hash N-Degree Quads.
fn canonicalize_quads(quads: &[Quad]) -> Result<String, JsonLdError> {
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(limits::HNDQ_CALL_LIMIT),
    };
    rdf_canon::canonicalize_quads_with::<Sha256>(quads, &options).map_err(|e| match e {
        rdf_canon::CanonicalizationError::HndqCallLimitExceeded(n) => JsonLdError::Limit(format!(
            "RDF canonicalization gave up after {n} Hash N-Degree Quads calls (too many indistinguishable blank nodes)"
        )),
        other => JsonLdError::Canonicalization(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
