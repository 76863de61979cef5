#![no_main]
//! `qlabel_core::fuzzing::jsonld_canon` (see crates/core/src/fuzzing.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qlabel_core::fuzzing::jsonld_canon(data));
