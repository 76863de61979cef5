//! # qlabel-wasm-rdfc
//!
//! The second module of qlabel-wasm: RDF Dataset Canonicalization (RDFC-1.0) of a
//! JSON-LD document, with the core's bundled contexts and safe mode. Credentials signed
//! with `eddsa-rdfc-2022` or `Ed25519Signature2020` need it; the first module loads it
//! only when it meets one, so pages that show other badges never download it.

use qlabel_core::limits::parse_json;
use qlabel_core::Limits;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Canonical N-Quads of a JSON-LD document given as JSON text. Never throws: answers
/// the JSON text `{"ok": nquads}` or `{"kind": …, "error": …}` (kinds as the core's
/// `JsonLdError::kind`; `invalid-document` for text that is not JSON).
#[wasm_bindgen]
pub fn canonicalize(json_text: &str) -> String {
    let doc = match parse_json(json_text.as_bytes(), Limits::default()) {
        Ok(doc) => doc,
        Err(e) => return json!({"kind": "invalid-document", "error": e.to_string()}).to_string(),
    };
    match qlabel_core::jsonld::canonicalize(&doc) {
        Ok(nquads) => json!({ "ok": nquads }).to_string(),
        Err(e) => json!({"kind": e.kind(), "error": e.detail()}).to_string(),
    }
}
