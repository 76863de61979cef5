//! Replays every file of `fuzz/regressions/<target>/` through the fuzz harness of that
//! target (`qlabel_core::fuzzing`), on stable Rust: the crashes the fuzzers found stay
//! fixed, and the seeds keep the harnesses honest. A harness that panics fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qlabel_core::fuzzing::TARGETS;
use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions")
}

#[test]
fn every_regression_input_passes_its_harness() {
    let root = regressions();
    let mut failures = Vec::new();
    for (target, harness) in TARGETS {
        let dir = root.join(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no regression input for {target}");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| harness(&data)).is_err() {
                failures.push(file.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "harnesses panicked on: {failures:#?}");
}

/// Writes the generated seeds (`cargo test -p qlabel-core --test fuzz_regressions --
/// --ignored`): a consistent labelled world for `registry`.
#[test]
#[ignore]
fn write_seeds() {
    let dir = regressions().join("registry");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("seed-labelled-world"),
        qlabel_core::fuzzing::registry_seed(),
    )
    .unwrap();
}
