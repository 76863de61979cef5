//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod plan;

use qlabel_core::fetch::{block_on, Fetch, MapFetch, Offline};
use qlabel_core::{Options, Report};
use serde_json::Value;
use std::path::PathBuf;

/// `../shared/vectors` beside the repository (CI has it there too).
pub fn vectors() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors");
    assert!(
        p.join("EXPECTATIONS.json").is_file(),
        "the shared test vectors are missing at {}",
        p.display()
    );
    p
}

pub fn read_json(rel: &str) -> Value {
    let path = vectors().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read_text(rel: &str) -> String {
    let path = vectors().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// 2026-06-01, a fixed "now" for tests.
pub fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-06-01 0:00 UTC)
}

pub fn verify_with(doc: &Value, at: time::OffsetDateTime, fetch: &impl Fetch) -> Report {
    let bytes = serde_json::to_vec(doc).unwrap();
    block_on(qlabel_core::verify(&bytes, &Options::at(at), fetch)).unwrap()
}

pub fn verify_offline(doc: &Value) -> Report {
    verify_with(doc, now(), &Offline)
}

pub fn verify_web(doc: &Value, web: &MapFetch) -> Report {
    verify_with(doc, now(), web)
}

/// Status of the first badge check with this id (`pass`, `fail`, `warn`, `skip`).
pub fn check(report: &Report, id: &str) -> String {
    check_in(&report.badge.checks, id)
}

/// Status of the first check with this id in `checks` (`absent` when there is none).
pub fn check_in(checks: &[qlabel_core::report::Check], id: &str) -> String {
    checks
        .iter()
        .find(|c| c.id == id)
        .map(|c| {
            serde_json::to_value(c.status)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap_or_else(|| "absent".into())
}

pub fn status(report: &Report) -> String {
    serde_json::to_value(report.badge.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

pub fn explain(report: &Report) -> String {
    serde_json::to_string_pretty(&report.badge.checks).unwrap()
}
