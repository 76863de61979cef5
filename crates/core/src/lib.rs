//! # qlabel-core
//!
//! The pure verification core of qlabel: it judges Open Badges 3.0 / Verifiable
//! Credentials with Data Integrity proofs (`eddsa-rdfc-2022`, `eddsa-jcs-2022`,
//! `Ed25519Signature2020`), binds the signing key to the issuer, checks validity at a
//! time the caller gives, and writes the `qlabel-report/1` report. It never opens a
//! socket, reads a clock or touches the DOM: documents from the web come through the
//! [`Fetch`] trait, time comes in [`Options::at`], JSON-LD contexts are bundled.
//!
//! ```
//! use qlabel_core::{fetch::{block_on, Offline}, verify, Options, BadgeStatus};
//! let at = time::macros::datetime!(2026-01-01 0:00 UTC);
//! let report = block_on(verify(br#"{"@context":["https://www.w3.org/ns/credentials/v2"],
//!     "type":["VerifiableCredential"],"issuer":"did:example:1",
//!     "credentialSubject":{"id":"did:example:2"}}"#, &Options::at(at), &Offline)).unwrap();
//! assert_eq!(report.badge.status, BadgeStatus::Invalid); // it carries no proof
//! ```
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod assess;
pub mod baked;
pub mod datetime;
pub mod detect;
pub mod di;
pub mod error;
pub mod fetch;
#[doc(hidden)]
pub mod fuzzing;
pub mod jcs;
pub mod jose;
pub mod jsonld;
pub mod keys;
pub mod label;
pub mod limits;
pub mod multibase;
pub mod ob2;
pub mod report;
pub mod status;
pub mod vc;
pub mod vcjwt;
mod verify;

pub use di::{sign, sign_with_config, SignOptions, Suite};
pub use error::Error;
pub use fetch::{Fetch, FetchError};
pub use limits::Limits;
pub use report::{BadgeStatus, CheckStatus, LabelStatus, Report};
pub use verify::{verify, verify_credential, Options};
