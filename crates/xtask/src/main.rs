//! `cargo xtask …`: the project's build, test and demo orchestration.
//! The same commands run on a developer's machine and in CI (`.ci/run`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;
mod dist;
mod extension;
mod fuzz;
mod www;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo(&args[1..]),
        Some("dist") => dist::dist_pkg()
            .and_then(|_| dist::dist_widget())
            .and_then(|_| extension::build(None))
            .and_then(|_| www::build())
            .map(|_| ()),
        Some("extension") => match args.get(1).map(String::as_str) {
            Some("--out") => match args.get(2) {
                Some(dir) => extension::build(Some(std::path::Path::new(dir))).map(|_| ()),
                None => Err("--out needs a folder".into()),
            },
            None => extension::build(None).map(|_| ()),
            Some(other) => Err(format!("extension: unknown argument {other}")),
        },
        Some("size") => dist::size(),
        Some("bench") => bench::run_bench(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <test|demo|dist|extension|size|bench|fuzz>\n  test  fmt, clippy, the wasm32 check, every Rust test, the wasm and interop tests\n  demo [--port N]  build everything and serve the demo world on 127.0.0.1 (qlabel demo)\n  dist  build dist/pkg (qlabel-wasm), dist/widget (qlabel-widget), dist/extension and dist/www\n  extension [--out DIR]  package the extension from dist/pkg and dist/widget (QLABEL_TRUST, QLABEL_REGISTRY presets)\n  size  print the sizes of dist/pkg and check the budgets\n  bench [--quick] [--no-build]  every benchmark (native, wasm and @digitalbazaar/vc, sizes, widget, extension); rewrites the summary in BENCHMARKS.md\n  fuzz [TARGET...] [--runs N] [--time SECS] [--asan]  the cargo-fuzz targets of fuzz/ (nightly; 60 s each by default)");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn run(what: &str, cmd: &mut Command) -> Result<(), String> {
    eprintln!("\n==> {what}");
    let status = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn ensure_rust_tools() -> Result<(), String> {
    let out = Command::new("rustup")
        .args(["component", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    let installed = String::from_utf8_lossy(&out.stdout).to_string();
    for comp in ["rustfmt", "clippy"] {
        if !installed.lines().any(|l| l.starts_with(comp)) {
            run(
                &format!("rustup component add {comp}"),
                Command::new("rustup").args(["component", "add", comp]),
            )?;
        }
    }
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        run(
            "rustup target add wasm32-unknown-unknown",
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        )?;
    }
    Ok(())
}

fn test() -> Result<(), String> {
    ensure_rust_tools()?;
    run(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        "cargo clippy -D warnings",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "cargo check qlabel-core for wasm32",
        cargo().args([
            "check",
            "-p",
            "qlabel-core",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    )?;
    let mut tally = Tally::default();
    run_counted(
        "cargo test (unit, vectors, hostile input)",
        cargo().args(["test", "--workspace"]),
        &mut tally,
    )?;
    run_counted(
        "cargo test --release (hostile input under time limits)",
        cargo().args([
            "test",
            "--release",
            "-p",
            "qlabel-core",
            "--test",
            "hostile",
        ]),
        &mut tally,
    )?;
    fuzz::smoke()?;
    let mut scale = cargo();
    if Path::new("/dev/shm").is_dir() {
        // Publishing writes ~250 000 files (2 GB); on a tmpfs the figure is qlabel's, not
        // the disk journal's (see BENCHMARKS.md for both).
        scale.env("QLABEL_SCRATCH", "/dev/shm");
    }
    run_counted(
        "cargo test --release (publishing 100 000 labels)",
        scale.args([
            "test",
            "--release",
            "-p",
            "qlabel-cli",
            "--test",
            "authority",
            "--",
            "--ignored",
            "scale",
        ]),
        &mut tally,
    )?;
    interop(&mut tally)?;
    web(&mut tally)?;
    // One plain closing line for people and CI: every runner's counts added up.
    println!("\ntest: {} passed, {} failed", tally.passed, tally.failed);
    if tally.passed == 0 {
        return Err("no test ran".into());
    }
    Ok(())
}

/// Interop with Digital Bazaar's implementation, in Node, with packages from npm.
fn interop(tally: &mut Tally) -> Result<(), String> {
    let dir = root().join("tests/interop");
    if !have("node", "--version") || !have("npm", "--version") {
        return Err("the interop tests need Node.js 20 and npm".into());
    }
    run(
        "build qlabel (release)",
        cargo().args(["build", "--release", "-p", "qlabel-cli"]),
    )?;
    if !dir.join("node_modules").is_dir() {
        run(
            "npm ci (tests/interop)",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
    }
    let bin = root().join("target/release/qlabel");
    run_counted(
        "interop tests (node --test)",
        Command::new("node")
            .args(["--test", "--test-reporter=spec"])
            .env("QLABEL_BIN", bin)
            .current_dir(&dir),
        tally,
    )
}

/// Whether this process runs as root (it may then install Debian packages).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// qlabel-wasm (dist/pkg) in Node and headless Chromium (tests/web): the verdict of
/// every vector case replayed against native's, the API, fetch faults, the types.
fn web(tally: &mut Tally) -> Result<(), String> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() && is_root() && have("apt-get", "--version") {
        run(
            "apt-get install chromium chromium-driver",
            Command::new("sh").args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver",
            ]),
        )?;
    }
    if !chromium.exists() {
        return Err(format!(
            "the browser tests need Debian's Chromium at {}: apt-get install -y chromium chromium-driver (as root)",
            chromium.display()
        ));
    }
    let pkg = dist::dist_pkg()?;
    dist::dist_widget()?;
    // The default build (no presets); the extension tests package their own with their
    // world's trust anchors (`cargo xtask extension --out`).
    extension::build(None)?;
    www::build()?;
    // The native vector tests write the replay plan: what each case fetched and native's
    // verdict in that run (they ran above already; this run only records).
    let plan = root().join("target/wasm-plan");
    let _ = std::fs::remove_dir_all(&plan);
    run(
        "native verdicts for the wasm replay (QLABEL_WASM_PLAN)",
        cargo()
            .args([
                "test",
                "-p",
                "qlabel-core",
                "--test",
                "expectations",
                "--test",
                "ob2_vectors",
                "--",
                "--quiet",
            ])
            .env("QLABEL_WASM_PLAN", &plan),
    )?;
    let dir = root().join("tests/web");
    if !dir.join("node_modules").is_dir() {
        run(
            "npm ci (tests/web)",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
    }
    run_counted(
        "qlabel-wasm in Node and Chromium (node --test, tests/web)",
        Command::new("node")
            .args(["--test", "--test-reporter=spec"])
            .env("QLABEL_WASM_PLAN", &plan)
            .env("QLABEL_PKG", &pkg)
            .env("QLABEL_BIN", root().join("target/release/qlabel"))
            .env("QLABEL_CHROMIUM", chromium)
            .current_dir(&dir),
        tally,
    )
}

/// Test counts gathered from the runners' own summary lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Reads `test result: ok. 5 passed; 0 failed; …` (cargo test) and `ℹ pass 46` /
    /// `ℹ fail 0` (node --test, spec reporter).
    fn read(&mut self, line: &str) {
        let num = |s: &str| s.trim().parse::<u64>().unwrap_or(0);
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let part = part
                    .trim()
                    .trim_start_matches("ok. ")
                    .trim_start_matches("FAILED. ");
                if let Some(n) = part.strip_suffix(" passed") {
                    self.passed += num(n);
                } else if let Some(n) = part.strip_suffix(" failed") {
                    self.failed += num(n);
                }
            }
        } else if let Some(n) = line.strip_prefix("ℹ pass ") {
            self.passed += num(n);
        } else if let Some(n) = line.strip_prefix("ℹ fail ") {
            self.failed += num(n);
        }
    }
}

/// Runs a test command, echoing its standard output and counting its results.
fn run_counted(what: &str, cmd: &mut Command, tally: &mut Tally) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    eprintln!("\n==> {what}");
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// What `demo` and `bench` start from: the tools installed, the CLI built (release) and
/// everything in `dist/` (qlabel-wasm, the widget, the extension, the website).
fn build_all() -> Result<(), String> {
    ensure_rust_tools()?;
    run(
        "build qlabel (release)",
        cargo().args(["build", "--release", "-p", "qlabel-cli"]),
    )?;
    dist::dist_pkg()?;
    dist::dist_widget()?;
    extension::build(None)?;
    www::build()?;
    Ok(())
}

/// The README's first command: installs what is missing (the wasm target, the
/// wasm-bindgen CLI of Cargo.lock's version, wasm-opt), builds the CLI and everything in
/// `dist/` (qlabel-wasm, the widget, the extension, the website), then runs `qlabel demo`
/// — the demo world served on 127.0.0.1 until stopped. `--port N` is passed on.
fn demo(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--port" => port = rest.next().cloned().ok_or("--port needs a number")?,
            other => {
                return Err(format!(
                    "demo: unknown argument {other} (usage: cargo xtask demo [--port N])"
                ))
            }
        }
    }
    build_all()?;
    let bin = root().join("target/release/qlabel");
    eprintln!("\n==> qlabel demo --port {port}");
    // The world goes to target/demo (ignored by git), not to the system's temp folder,
    // where another program's qlabel-demo folder would be in the way.
    let status = Command::new(&bin)
        .args(["demo", "--port", &port, "--dist"])
        .arg(root().join("dist"))
        .arg("--dir")
        .arg(root().join("target/demo"))
        .current_dir(root())
        .status()
        .map_err(|e| format!("qlabel demo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("qlabel demo failed ({status})"))
    }
}
