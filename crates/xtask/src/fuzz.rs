//! `cargo xtask fuzz`: the cargo-fuzz targets of `fuzz/` (harnesses in
//! `qlabel_core::fuzzing`), and the short smoke run `cargo xtask test` makes.
//!
//! The targets are built with the nightly toolchain (`rustup run nightly cargo fuzz`),
//! installed when missing, like cargo-fuzz. Working corpora live in `fuzz/corpus/<target>`
//! (git-ignored); every run also reads the seeds in `fuzz/regressions/<target>`,
//! `../shared/vectors` and `samples`. A crash, timeout or out-of-memory input is written
//! by libFuzzer to `fuzz/artifacts/<target>/`; the run fails and names the file.

use crate::{have, root};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Seconds each target runs in the smoke run.
const SMOKE_SECS: u64 = 10;
/// Longest input libFuzzer makes.
const MAX_LEN: usize = 16384;

/// How the targets are instrumented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sanitizer {
    /// Coverage only: the core forbids `unsafe`, so AddressSanitizer mostly watches the
    /// dependencies; without it the build is quicker and the runs several times faster.
    None,
    /// AddressSanitizer (cargo-fuzz's default).
    Address,
}

impl Sanitizer {
    fn name(self) -> &'static str {
        match self {
            Sanitizer::None => "none",
            Sanitizer::Address => "address",
        }
    }
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// `rustup run nightly cargo fuzz …` in `fuzz/`, without the variables the outer
/// (stable) cargo set, which would send cargo-fuzz to the stable toolchain.
fn cargo_fuzz() -> Command {
    let mut c = Command::new("rustup");
    c.args(["run", "nightly", "cargo", "fuzz"]);
    for var in ["CARGO", "RUSTC", "RUSTDOC", "RUSTUP_TOOLCHAIN", "RUSTFLAGS"] {
        c.env_remove(var);
    }
    c.current_dir(fuzz_dir());
    c
}

/// The nightly toolchain and cargo-fuzz, installed when missing.
fn ensure_tools() -> Result<(), String> {
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if !String::from_utf8_lossy(&toolchains.stdout)
        .lines()
        .any(|l| l.starts_with("nightly"))
    {
        crate::run(
            "rustup toolchain install nightly --profile minimal",
            Command::new("rustup").args([
                "toolchain",
                "install",
                "nightly",
                "--profile",
                "minimal",
            ]),
        )?;
    }
    if !have("cargo-fuzz", "--version") {
        crate::run(
            "cargo install cargo-fuzz --locked",
            Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]),
        )?;
    }
    Ok(())
}

/// The targets of `fuzz/fuzz_targets`, sorted.
fn all_targets() -> Result<Vec<String>, String> {
    let dir = fuzz_dir().join("fuzz_targets");
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    out.sort();
    Ok(out)
}

fn build(sanitizer: Sanitizer) -> Result<(), String> {
    let started = Instant::now();
    crate::run(
        &format!("cargo fuzz build (sanitizer {})", sanitizer.name()),
        cargo_fuzz().args(["build", "-s", sanitizer.name()]),
    )?;
    eprintln!(
        "    built the fuzz targets in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The corpus folders of a run: the working corpus first (libFuzzer adds to it), then
/// the seeds that exist.
fn corpus_args(target: &str) -> Result<Vec<PathBuf>, String> {
    let fuzz = fuzz_dir();
    let work = fuzz.join("corpus").join(target);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let mut dirs = vec![work];
    for seeds in [
        fuzz.join("regressions").join(target),
        root().join("../shared/vectors"),
        root().join("samples"),
    ] {
        if seeds.is_dir() {
            dirs.push(seeds);
        }
    }
    Ok(dirs)
}

fn artifacts(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("artifacts").join(target);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs one target with the libFuzzer `limits` (`-runs=…`, `-max_total_time=…`).
/// `quiet`: keep libFuzzer's output and show its last lines only on failure.
fn fuzz_target(
    target: &str,
    sanitizer: Sanitizer,
    limits: &[String],
    quiet: bool,
) -> Result<(), String> {
    let before = artifacts(target);
    let mut cmd = cargo_fuzz();
    cmd.args(["run", "-s", sanitizer.name(), target]);
    cmd.args(corpus_args(target)?);
    cmd.arg("--");
    cmd.args(limits);
    cmd.args([
        "-rss_limit_mb=2048".to_string(),
        "-timeout=10".to_string(),
        format!("-max_len={MAX_LEN}"),
        "-print_final_stats=1".to_string(),
    ]);
    eprintln!("\n==> fuzz {target} ({})", limits.join(" "));
    let (ok, log) = if quiet {
        let out = cmd.output().map_err(|e| format!("cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&out.stderr).to_string()
            + &String::from_utf8_lossy(&out.stdout);
        (out.status.success(), log)
    } else {
        let status = cmd.status().map_err(|e| format!("cargo fuzz: {e}"))?;
        (status.success(), String::new())
    };
    let new: Vec<PathBuf> = artifacts(target)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    if ok && new.is_empty() {
        if let Some(done) = log.lines().rev().find(|l| l.contains("DONE")) {
            eprintln!("    {done}");
        }
        return Ok(());
    }
    if quiet {
        let lines: Vec<&str> = log.lines().collect();
        for line in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("    {line}");
        }
    }
    let found: Vec<String> = new.iter().map(|p| p.display().to_string()).collect();
    Err(if found.is_empty() {
        format!("fuzz target {target} failed")
    } else {
        format!(
            "fuzz target {target} found a failing input: {} (replay: cd fuzz && cargo +nightly fuzz run -s {} {target} {}; then add it to fuzz/regressions/{target}/)",
            found.join(", "),
            sanitizer.name(),
            found[0]
        )
    })
}

/// The smoke run of `cargo xtask test`: every target for about [`SMOKE_SECS`] seconds,
/// built without a sanitizer (see [`Sanitizer::None`]). Fails on any crash, printing
/// the artifact's path.
pub fn smoke() -> Result<(), String> {
    let started = Instant::now();
    ensure_tools()?;
    build(Sanitizer::None)?;
    for target in all_targets()? {
        fuzz_target(
            &target,
            Sanitizer::None,
            &[format!("-max_total_time={SMOKE_SECS}")],
            true,
        )?;
    }
    eprintln!(
        "    fuzz smoke run: {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `cargo xtask fuzz [TARGET...] [--runs N] [--time SECS] [--asan]`: the targets named
/// (all when none), one after the other, each for N executions or SECS seconds (60 s
/// when neither is given). `cargo xtask fuzz --smoke`: the smoke run of `cargo xtask
/// test` alone.
pub fn run(args: &[String]) -> Result<(), String> {
    let known = all_targets()?;
    let mut targets = Vec::new();
    let mut limits = Vec::new();
    let mut sanitizer = Sanitizer::None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" | "--time" => {
                let value = it
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| format!("{arg} needs a number"))?;
                limits.push(if arg == "--runs" {
                    format!("-runs={value}")
                } else {
                    format!("-max_total_time={value}")
                });
            }
            "--asan" => sanitizer = Sanitizer::Address,
            "--smoke" => return smoke(),
            t if known.iter().any(|k| k == t) => targets.push(t.to_string()),
            other => {
                return Err(format!(
                    "fuzz: unknown argument {other} (usage: cargo xtask fuzz [TARGET...] [--runs N] [--time SECS] [--asan] | --smoke; targets: {})",
                    known.join(", ")
                ))
            }
        }
    }
    if targets.is_empty() {
        targets = known;
    }
    if limits.is_empty() {
        limits.push("-max_total_time=60".into());
    }
    ensure_tools()?;
    build(sanitizer)?;
    for target in &targets {
        fuzz_target(target, sanitizer, &limits, false)?;
    }
    Ok(())
}
