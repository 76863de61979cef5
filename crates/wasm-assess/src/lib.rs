//! # qlabel-wasm-assess
//!
//! qlabel-wasm's third module: the Quality Label standard's machine-checkable criteria
//! (`assess`). Only the self-assessment worksheet needs it, so pages that verify badges
//! never download it.

use qlabel_core::Limits;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The assessment of one badge (JSON, JWT or a baked image) as JSON text: either the
/// `qlabel-assessment/1` document or `{"code": …, "error": …}` when the input cannot be
/// read (codes as the core's `Error::code`).
#[wasm_bindgen]
pub fn assess(input: &[u8]) -> String {
    match qlabel_core::assess::assess_input(input, Limits::default()) {
        Ok(a) => serde_json::to_string(&a)
            .unwrap_or_else(|e| json!({"code": "internal", "error": e.to_string()}).to_string()),
        Err(e) => json!({"code": e.code(), "error": e.to_string()}).to_string(),
    }
}
