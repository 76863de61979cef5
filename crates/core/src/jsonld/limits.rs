//! Hard limits that keep hostile documents cheap to reject.

/// Maximum nesting of JSON arrays/objects that expansion descends into.
pub(crate) const MAX_DEPTH: usize = 64;
/// Maximum number of RDF quads a document may produce.
pub(crate) const MAX_QUADS: usize = 10_000;
/// Maximum number of blank nodes a document may produce.
pub(crate) const MAX_BLANK_NODES: usize = 5_000;
/// Absolute cap on calls of the Hash N-Degree Quads algorithm during RDFC-1.0 (the
/// effective limit is the number of blank nodes that share a first-degree hash).
#[cfg(feature = "rdfc")]
pub(crate) const HNDQ_CALL_LIMIT: usize = 4_000;
/// Cap on the permutations RDFC-1.0's Hash N-Degree Quads may enumerate: the bound for
/// one call times the number of calls allowed.
#[cfg(feature = "rdfc")]
pub(crate) const HNDQ_PERMUTATION_LIMIT: u64 = 100_000;
/// Maximum nesting of context processing (remote contexts referencing contexts, scoped contexts).
pub(crate) const MAX_CONTEXT_DEPTH: usize = 32;
/// Maximum depth of dependencies between term definitions of one context.
pub(crate) const MAX_TERM_DEPENDENCY_DEPTH: usize = 64;
/// Work budget for context processing (term definitions created or copied) per document.
pub(crate) const CONTEXT_WORK_BUDGET: usize = 2_000_000;
