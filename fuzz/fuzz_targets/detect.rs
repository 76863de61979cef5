#![no_main]
//! `qlabel_core::fuzzing::detect` (see crates/core/src/fuzzing.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| qlabel_core::fuzzing::detect(data));
