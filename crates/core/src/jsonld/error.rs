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
    /// This build has no RDF canonicalizer (qlabel-wasm before its second module loads).
    #[error("RDF canonicalization is not available: {0}")]
    Unavailable(String),
}

impl JsonLdError {
    /// A stable name for the kind of error (carried across qlabel-wasm's modules).
    pub fn kind(&self) -> &'static str {
        match self {
            JsonLdError::UnknownContext(_) => "unknown-context",
            JsonLdError::UndefinedTerm(_) => "undefined-term",
            JsonLdError::RelativeIri(_) => "relative-iri",
            JsonLdError::InvalidContext(_) => "invalid-context",
            JsonLdError::InvalidDocument(_) => "invalid-document",
            JsonLdError::Limit(_) => "limit",
            JsonLdError::Canonicalization(_) => "canonicalization",
            JsonLdError::Unavailable(_) => "unavailable",
        }
    }

    /// What the error says, without the prefix its kind adds.
    pub fn detail(&self) -> &str {
        match self {
            JsonLdError::UnknownContext(s)
            | JsonLdError::UndefinedTerm(s)
            | JsonLdError::RelativeIri(s)
            | JsonLdError::InvalidContext(s)
            | JsonLdError::InvalidDocument(s)
            | JsonLdError::Limit(s)
            | JsonLdError::Canonicalization(s)
            | JsonLdError::Unavailable(s) => s,
        }
    }

    /// The error of `kind` (as [`JsonLdError::kind`] names it) saying `detail`.
    pub fn from_kind(kind: &str, detail: String) -> Self {
        match kind {
            "unknown-context" => JsonLdError::UnknownContext(detail),
            "undefined-term" => JsonLdError::UndefinedTerm(detail),
            "relative-iri" => JsonLdError::RelativeIri(detail),
            "invalid-context" => JsonLdError::InvalidContext(detail),
            "invalid-document" => JsonLdError::InvalidDocument(detail),
            "limit" => JsonLdError::Limit(detail),
            "unavailable" => JsonLdError::Unavailable(detail),
            _ => JsonLdError::Canonicalization(detail),
        }
    }
}
