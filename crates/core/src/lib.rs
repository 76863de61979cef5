//! qlabel-core (being written).
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

pub mod jsonld;
