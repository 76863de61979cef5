//! Errors of the JSON-LD → RDF → RDFC-1.0 pipeline.

/// Why a JSON-LD document could not be turned into canonical N-Quads.
///
/// Every variant carries a complete, human-readable explanation (it ends up in
/// verification reports); the variant itself tells the kind of failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonLdError {
    /// A remote `@context` URL that is not bundled. Contexts are never fetched.
    #[error("unknown JSON-LD context: {0}")]
    UnknownContext(String),
    /// A property key that does not expand to an absolute IRI and would be dropped.
    #[error("undefined JSON-LD term: {0}")]
    UndefinedTerm(String),
    /// A relative IRI reference where an absolute IRI is required (the base IRI is null).
    #[error("relative IRI: {0}")]
    RelativeIri(String),
    /// An invalid `@context` (syntax error, protected term redefinition, …).
    #[error("invalid JSON-LD context: {0}")]
    InvalidContext(String),
    /// A JSON-LD syntax error in the document, or data that would be silently dropped.
    #[error("invalid JSON-LD document: {0}")]
    InvalidDocument(String),
    /// A size, depth, blank-node or canonicalisation limit was exceeded.
    #[error("JSON-LD processing limit exceeded: {0}")]
    Limit(String),
    /// RDF dataset canonicalisation (RDFC-1.0) failed.
    #[error("RDF canonicalization failed: {0}")]
    Canonicalization(String),
}
