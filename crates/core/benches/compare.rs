//! Native verification of the credentials that `tests/interop/bench-wasm.mjs` had Digital
//! Bazaar's stack sign (`target/bench/wasm-credentials.json`: eddsa-rdfc-2022,
//! eddsa-jcs-2022, Ed25519Signature2020), timed the way that harness times qlabel-wasm and
//! `@digitalbazaar/vc`: warm-up calls that must all say valid, then every call timed on its
//! own for a fixed time, and the median, mean and spread reported. `cargo xtask bench`
//! runs it after the Node harness and puts the three side by side.
//!
//! `QLABEL_BENCH_CREDENTIALS` (the credentials file), `QLABEL_BENCH_OUT` (JSON results;
//! printed when unset), `QLABEL_BENCH_SECONDS` (per credential, default 2.5).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use qlabel_core::fetch::{block_on, Offline};
use qlabel_core::report::CheckStatus;
use qlabel_core::{BadgeStatus, Options};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const WARMUP: usize = 300;
/// The time the credentials are judged at (as in the Node harness).
const AT: &str = "2026-06-01T00:00:00Z";

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = std::env::var("QLABEL_BENCH_CREDENTIALS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target/bench/wasm-credentials.json"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `node tests/interop/bench-wasm.mjs` first, or `cargo xtask bench`)",
            file.display()
        )
    });
    let creds: Value = serde_json::from_str(&text).unwrap();
    let seconds: f64 = std::env::var("QLABEL_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.5);
    let at = qlabel_core::datetime::parse(AT).unwrap().at;
    let options = Options::at(at);
    let mut results = Vec::new();
    for (key, suite) in [
        ("rdfc", "eddsa-rdfc-2022"),
        ("jcs", "eddsa-jcs-2022"),
        ("ed2020", "Ed25519Signature2020"),
    ] {
        let Some(cred) = creds.get(key).and_then(Value::as_str) else {
            panic!("{}: no {key} credential", file.display());
        };
        let bytes = cred.as_bytes();
        let once = || block_on(qlabel_core::verify(bytes, &options, &Offline)).unwrap();
        // Every warm-up call must verify, with the proof checked by the expected suite.
        for _ in 0..WARMUP {
            let r = once();
            let proof = r.badge.checks.iter().find(|c| c.id == "proof");
            assert!(
                r.badge.status == BadgeStatus::Valid
                    && proof.is_some_and(|c| c.status == CheckStatus::Pass && c.message.contains(suite)),
                "{suite}: not valid: {:?}",
                r.badge.checks
            );
        }
        let mut times = Vec::new();
        let budget = Duration::from_secs_f64(seconds);
        let start = Instant::now();
        while start.elapsed() < budget || times.len() < 200 {
            let t = Instant::now();
            let r = once();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(r.badge.status, BadgeStatus::Valid);
        }
        times.sort_by(f64::total_cmp);
        let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "native {suite:<22} median {:>8.1} µs  mean {:>8.1} µs  ({} calls)",
            q(0.5) * 1000.0,
            mean * 1000.0,
            times.len()
        );
        results.push(json!({
            "suite": suite,
            "bytes": bytes.len(),
            "qlabel": {
                "iterations": times.len(),
                "medianMs": q(0.5),
                "meanMs": mean,
                "p10Ms": q(0.1),
                "p90Ms": q(0.9),
                "minMs": times[0],
                "opsPerSec": 1000.0 / mean,
            }
        }));
    }
    let out = json!({
        "schema": "qlabel-bench-native/1",
        "credentials": file.display().to_string(),
        "method": {"warmup": WARMUP, "seconds": seconds, "at": AT,
            "qlabel": "qlabel_core::verify(bytes, Options::at(at), Offline), release profile"},
        "results": results,
    });
    match std::env::var("QLABEL_BENCH_OUT") {
        Ok(path) => std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap() + "\n")
            .unwrap_or_else(|e| panic!("{path}: {e}")),
        Err(_) => println!("{}", serde_json::to_string_pretty(&out).unwrap()),
    }
}
