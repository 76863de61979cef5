//! Errors: the input could not be processed at all. Verdicts about a badge are data
//! (see [`crate::report`]), not errors.

use crate::jsonld::JsonLdError;

/// Why an input could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is larger than the configured limit.
    #[error("the input is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    /// The input is not valid UTF-8 text.
    #[error("the input is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    /// The input is not well-formed JSON.
    #[error("the input is not valid JSON: {0}")]
    Json(String),
    /// The input nests objects or arrays too deeply.
    #[error("the input nests deeper than {limit} levels")]
    TooDeep { limit: usize },
    /// The input is none of the forms qlabel understands.
    #[error("not a badge qlabel understands: {0}")]
    UnknownFormat(String),
    /// A key could not be read.
    #[error("key: {0}")]
    Key(String),
    /// A document could not be signed.
    #[error("signing: {0}")]
    Sign(String),
    /// JSON-LD processing failed while signing.
    #[error("JSON-LD: {0}")]
    JsonLd(#[from] JsonLdError),
}

impl Error {
    /// A stable machine-readable code (used as `Error.code` in JavaScript).
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too-large",
            Error::NotUtf8 { .. } => "not-utf8",
            Error::Json(_) => "invalid-json",
            Error::TooDeep { .. } => "too-deep",
            Error::UnknownFormat(_) => "unknown-format",
            Error::Key(_) => "invalid-key",
            Error::Sign(_) => "sign-failed",
            Error::JsonLd(_) => "json-ld",
        }
    }
}
