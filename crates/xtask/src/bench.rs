//! `cargo xtask bench`: every benchmark of the project in one run, and the summary at the
//! top of BENCHMARKS.md rewritten from what it measured (machine, date, commit, command).
//!
//! 1. `tests/interop/bench-wasm.mjs`: Digital Bazaar's stack signs one OB 3.0 credential
//!    with eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020; qlabel-wasm and
//!    `@digitalbazaar/vc` verify them in one Node process (`target/bench/wasm.json`).
//! 2. `crates/core/benches/compare.rs`: native qlabel on the same three credentials, timed
//!    the same way (`target/bench/native.json`).
//! 3. The size budgets of `dist/` (as `cargo xtask size` sums them).
//! 4. `tests/web/bench-widget.mjs`: the widget's pages of 1 and 50 badges in headless
//!    Chromium (`target/bench/widget.json`).
//! 5. `tests/web/bench-extension.mjs`: the extension on a page of 100 badges and on a page
//!    without any (`target/bench/extension.json`).
//!
//! `--quick` runs each for less time and does not touch BENCHMARKS.md; `--no-build`
//! measures `dist/` and target/release/qlabel as they are.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

use crate::{cargo, dist, have, root, run};

const BEGIN: &str = "<!-- cargo xtask bench: begin";
const END: &str = "<!-- cargo xtask bench: end -->";

/// Goals from the issues: native verification (issue 2), the peer / qlabel-wasm ratio
/// (issue 5), the widget's 50-badge page (issue 6), the extension (issue 7).
const NATIVE_GOAL_US: [(&str, f64); 2] = [("eddsa-rdfc-2022", 100.0), ("eddsa-jcs-2022", 60.0)];
const RATIO_GOAL: [(&str, f64); 2] = [("eddsa-rdfc-2022", 10.0), ("eddsa-jcs-2022", 2.0)];

pub fn run_bench(args: &[String]) -> Result<(), String> {
    let mut quick = false;
    let mut build = true;
    for a in args {
        match a.as_str() {
            "--quick" => quick = true,
            "--no-build" => build = false,
            other => {
                return Err(format!(
                "bench: unknown argument {other} (usage: cargo xtask bench [--quick] [--no-build])"
            ))
            }
        }
    }
    if !have("node", "--version") || !have("npm", "--version") {
        return Err("the benchmarks need Node.js 20 and npm".into());
    }
    if !Path::new("/usr/bin/chromium").exists() {
        return Err("the browser benchmarks need Debian's Chromium: apt-get install -y chromium chromium-driver".into());
    }
    let load_before = load_average();
    if build {
        crate::build_all()?;
    }
    for dir in ["tests/interop", "tests/web"] {
        if !root().join(dir).join("node_modules").is_dir() {
            run(
                &format!("npm ci ({dir})"),
                Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(root().join(dir)),
            )?;
        }
    }
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let seconds = if quick { "0.5" } else { "2.5" };

    run(
        "qlabel-wasm and @digitalbazaar/vc in Node (tests/interop/bench-wasm.mjs)",
        Command::new("node")
            .arg(root().join("tests/interop/bench-wasm.mjs"))
            .args(["--seconds", seconds, "--out"])
            .arg(out.join("wasm.json"))
            .current_dir(root()),
    )?;
    run(
        "native qlabel on the same credentials (cargo bench --bench compare)",
        cargo()
            .args(["bench", "-p", "qlabel-core", "--bench", "compare"])
            .env(
                "QLABEL_BENCH_CREDENTIALS",
                out.join("wasm-credentials.json"),
            )
            .env("QLABEL_BENCH_OUT", out.join("native.json"))
            .env("QLABEL_BENCH_SECONDS", seconds),
    )?;
    let sizes = dist::size_rows()?;
    run(
        "the widget's pages in Chromium (tests/web/bench-widget.mjs)",
        Command::new("node")
            .args(["bench-widget.mjs", "--runs", if quick { "2" } else { "5" }])
            .current_dir(root().join("tests/web")),
    )?;
    run(
        "the extension in Chromium (tests/web/bench-extension.mjs)",
        Command::new("node")
            .args(["bench-extension.mjs", "--runs"])
            .arg(if quick { "1" } else { "5" })
            .arg("--plain-runs")
            .arg(if quick { "3" } else { "10" })
            .arg("--out")
            .arg(out.join("extension.json"))
            .current_dir(root().join("tests/web")),
    )?;

    let read = |f: &str| -> Result<Value, String> {
        let p = out.join(f);
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
    };
    let figures = Figures {
        wasm: read("wasm.json")?,
        native: read("native.json")?,
        widget: read("widget.json")?,
        extension: read("extension.json")?,
        sizes,
        load: (load_before, load_average()),
        command: format!("cargo xtask bench {}", args.join(" "))
            .trim_end()
            .to_string(),
    };
    let md = figures.markdown();
    println!("\n{md}");
    if quick {
        eprintln!("(--quick: BENCHMARKS.md left as it is)");
        return Ok(());
    }
    let file = root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
    std::fs::write(&file, splice(&text, &md)?).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
    eprintln!("\nBENCHMARKS.md: the summary rewritten");
    Ok(())
}

/// Puts `md` between the markers (after the document's first section when there are none).
fn splice(text: &str, md: &str) -> Result<String, String> {
    match (text.find(BEGIN), text.find(END)) {
        (Some(b), Some(e)) if b < e => Ok(format!("{}{md}{}", &text[..b], &text[e + END.len()..])),
        (None, None) => {
            let at = text.find("\n## ").map(|i| i + 1).unwrap_or(text.len());
            Ok(format!("{}{md}\n\n{}", &text[..at], &text[at..]))
        }
        _ => Err("BENCHMARKS.md: the bench markers are out of order or one is missing".into()),
    }
}

struct Figures {
    wasm: Value,
    native: Value,
    widget: Value,
    extension: Value,
    sizes: Vec<(String, u64, u64)>,
    load: (String, String),
    command: String,
}

fn ms_text(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.0} µs", ms * 1000.0)
    } else {
        format!("{ms:.2} ms")
    }
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

impl Figures {
    fn markdown(&self) -> String {
        let mut s = String::new();
        s.push_str(BEGIN);
        s.push_str(
            " (generated by crates/xtask/src/bench.rs; run the command to rewrite it) -->\n",
        );
        s.push_str("## The current figures\n\n");
        s.push_str(&format!("```sh\n{}\n```\n\n", self.command));
        s.push_str(&format!(
            "Measured {} at commit {} on {}. Load average (1 min) {} before the run, {} after. \
             The sections below this one tell how each figure was reached and what was tried.\n\n",
            utc_now(),
            git_head(),
            machine(&self.widget),
            self.load.0,
            self.load.1
        ));

        // Verification side by side.
        s.push_str("### Verification: qlabel and `@digitalbazaar/vc` on the same credentials\n\n");
        s.push_str(
            "Digital Bazaar's stack signs one OB 3.0 `OpenBadgeCredential` three ways; native qlabel \
             (`qlabel_core::verify`, release build), qlabel-wasm (`verify()` in Node) and `@digitalbazaar/vc` \
             (`verifyCredential` in the same Node process, offline document loader) verify the same text. \
             Every warm-up call must say valid. Median (mean) of every call timed on its own; ratios of medians.\n\n",
        );
        s.push_str("| credential | qlabel native | qlabel-wasm (Node) | @digitalbazaar/vc (Node) | vc ÷ qlabel-wasm | vc ÷ native | goals |\n");
        s.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        let empty = Vec::new();
        let wasm = self.wasm["results"].as_array().unwrap_or(&empty);
        let native = self.native["results"].as_array().unwrap_or(&empty);
        for w in wasm {
            let suite = w["suite"].as_str().unwrap_or("?");
            let n = native.iter().find(|n| n["suite"] == suite);
            let (qm, qa) = (num(&w["qlabel"]["medianMs"]), num(&w["qlabel"]["meanMs"]));
            let (pm, pa) = (num(&w["peer"]["medianMs"]), num(&w["peer"]["meanMs"]));
            let (nm, na) = (
                n.and_then(|n| num(&n["qlabel"]["medianMs"])),
                n.and_then(|n| num(&n["qlabel"]["meanMs"])),
            );
            let cell = |m: Option<f64>, a: Option<f64>| match (m, a) {
                (Some(m), Some(a)) => format!("{} ({})", ms_text(m), ms_text(a)),
                _ => "—".into(),
            };
            let ratio = |p: Option<f64>, q: Option<f64>| match (p, q) {
                (Some(p), Some(q)) if q > 0.0 => Some(p / q),
                _ => None,
            };
            let r_wasm = ratio(pm, qm);
            let r_native = ratio(pm, nm);
            let mut goals = Vec::new();
            if let Some((_, g)) = NATIVE_GOAL_US.iter().find(|(s, _)| *s == suite) {
                let met = nm.is_some_and(|m| m * 1000.0 <= *g);
                goals.push(format!(
                    "native ≤ {g:.0} µs: {}",
                    if met { "met" } else { "**missed**" }
                ));
            }
            if let Some((_, g)) = RATIO_GOAL.iter().find(|(s, _)| *s == suite) {
                let met = r_wasm.is_some_and(|r| r >= *g);
                goals.push(format!(
                    "wasm ≥ {g:.0}× the peer: {}",
                    if met { "met" } else { "**missed**" }
                ));
            }
            s.push_str(&format!(
                "| OB 3.0, `{suite}` | **{}** | **{}** | {} | **{}** | {} | {} |\n",
                cell(nm, na),
                cell(qm, qa),
                cell(pm, pa),
                r_wasm.map_or("—".into(), |r| format!("{r:.1}×")),
                r_native.map_or("—".into(), |r| format!("{r:.1}×")),
                if goals.is_empty() {
                    "—".into()
                } else {
                    goals.join("; ")
                }
            ));
        }
        s.push('\n');

        // Sizes.
        s.push_str("### Sizes (gzip -9 of what a browser downloads)\n\n");
        s.push_str("| what | gzip | budget | |\n| --- | --- | --- | --- |\n");
        for (what, gz, budget) in &self.sizes {
            let verdict = if gz <= budget {
                "within".to_string()
            } else if gz * 10 <= budget * 11 {
                "within the 10 % margin".to_string()
            } else {
                format!("**missed: {:.1}×**", *gz as f64 / *budget as f64)
            };
            s.push_str(&format!(
                "| {what} | **{:.1} KB** | {:.0} KB | {verdict} |\n",
                *gz as f64 / 1024.0,
                *budget as f64 / 1024.0
            ));
        }
        s.push('\n');

        // Widget.
        s.push_str(&format!(
            "### Widget pages (headless Chromium, the test world on 127.0.0.1, {} runs)\n\n",
            self.widget["runs"]
        ));
        s.push_str("From the navigation to the last element's final status. Cold: a new browser context; warm: the page reloaded.\n\n");
        s.push_str("| page | cold median (min–max) | warm median (min–max) | budget |\n| --- | --- | --- | --- |\n");
        for (name, budget) in [
            ("1 badge", None),
            ("50 badges", Some(600.0)),
            ("50, no label", None),
        ] {
            let r = &self.widget["results"][name];
            let span = |k: &str| {
                format!(
                    "{:.0} ms ({:.0}–{:.0})",
                    num(&r[k]["median"]).unwrap_or(f64::NAN),
                    num(&r[k]["min"]).unwrap_or(f64::NAN),
                    num(&r[k]["max"]).unwrap_or(f64::NAN)
                )
            };
            let verdict = match budget {
                Some(b) => {
                    let met = num(&r["coldMs"]["median"]).is_some_and(|m| m <= b);
                    format!(
                        "≤ {b:.0} ms cold: {}",
                        if met { "met" } else { "**missed**" }
                    )
                }
                None => String::new(),
            };
            let label = match name {
                "50 badges" => "50 badges, with their labels",
                "50, no label" => "the same 50, no label looked up",
                other => other,
            };
            s.push_str(&format!(
                "| {label} | **{}** | {} | {verdict} |\n",
                span("coldMs"),
                span("warmMs")
            ));
        }
        s.push('\n');

        // Extension.
        let h = &self.extension["hundred"];
        let p = &self.extension["plain"];
        let runs = h["runs"]
            .as_array()
            .map_or(0, |r| r.iter().filter(|x| x["kind"] == "cold").count());
        let plain_runs = p["runs"].as_array().map_or(0, Vec::len);
        s.push_str(
            "### Browser extension (headless Chromium, the test world under real host names)\n\n",
        );
        s.push_str("| measure | cold median (min–max) | warm median (min–max) | budget |\n| --- | --- | --- | --- |\n");
        let cold = num(&h["coldMedianMs"]).unwrap_or(f64::NAN);
        s.push_str(&format!(
            "| 100 badge links annotated ({runs} new browser{}) | **{cold:.0} ms** ({}) | {:.0} ms ({}) | ≤ 1 s: {} |\n",
            if runs == 1 { "" } else { "s" },
            h["coldRange"].as_str().unwrap_or("?"),
            num(&h["warmMedianMs"]).unwrap_or(f64::NAN),
            h["warmRange"].as_str().unwrap_or("?"),
            if cold <= 1000.0 { "met" } else { "**missed**" }
        ));
        let plain = num(&p["medianScriptMs"]).unwrap_or(f64::NAN);
        s.push_str(&format!(
            "| a page without badges: the content script's main-thread time ({plain_runs} loads) | **{plain:.1} ms** ({}) | | ≤ 2 ms: {} |\n",
            p["range"].as_str().unwrap_or("?"),
            if plain <= 2.0 { "met" } else { "**missed**" }
        ));
        s.push('\n');
        s.push_str(END);
        s
    }
}

fn utc_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "(date unknown)".into())
}

fn git_head() -> String {
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root())
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("`{head}` with uncommitted changes")
    } else {
        format!("`{head}`")
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// CPU, cores, memory, OS, and the versions of the tools that ran.
fn machine(widget: &Value) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let version = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    format!(
        "{cpu}, {cores} cores, {mem}, {os}; {}; Node {}; Chromium {}",
        version("rustc", "--version"),
        version("node", "--version"),
        widget["chromium"].as_str().unwrap_or("?")
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_replaces_only_what_is_between_the_markers() {
        let doc = format!("# B\n\nintro\n\n{BEGIN} x -->\nold\n{END}\n\n## Rest\nkept\n");
        let out = splice(&doc, &format!("{BEGIN} -->\nnew\n{END}")).unwrap();
        assert!(out.contains("new") && !out.contains("old"), "{out}");
        assert!(out.starts_with("# B\n\nintro\n\n") && out.ends_with("## Rest\nkept\n"));
        // Without markers: after the introduction, before the first section.
        let out = splice("# B\nintro\n## One\n", "S").unwrap();
        assert_eq!(out, "# B\nintro\nS\n\n## One\n");
        assert!(splice(&format!("{END}\n{BEGIN}"), "S").is_err());
    }
}
