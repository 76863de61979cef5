//! `qlabel demo`: the world is deterministic, every badge verifies as world.json says it
//! should when served, every printed URL answers, and the server stays on loopback and
//! inside its folders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn tmp(name: &str) -> PathBuf {
    support::scratch(&format!("demo-test-{name}"))
}

fn demo(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .arg("demo")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qlabel demo {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_world_is_deterministic_and_described() {
    let (a, b) = (tmp("a"), tmp("b"));
    let missing = a.join("no-dist");
    let dist = missing.to_str().unwrap();
    let out = demo(&[
        "--no-serve",
        "--port",
        "18471",
        "--dir",
        a.to_str().unwrap(),
        "--dist",
        dist,
    ]);
    assert!(out.contains("build it with cargo xtask dist"), "{out}");
    // Run twice in the same folder (recreated), then once in another.
    demo(&[
        "--no-serve",
        "--port",
        "18471",
        "--dir",
        a.to_str().unwrap(),
        "--dist",
        dist,
    ]);
    demo(&[
        "--no-serve",
        "--port",
        "18471",
        "--dir",
        b.to_str().unwrap(),
        "--dist",
        dist,
    ]);

    let world = read_json(&a.join("world.json"));
    let badges = world["badges"].as_array().unwrap();
    let slugs: Vec<&str> = badges.iter().map(|b| b["slug"].as_str().unwrap()).collect();
    for want in [
        "ob3-rdfc",
        "ob3-jcs",
        "ob3-jwt",
        "baked-png",
        "baked-svg",
        "ob2-hosted",
        "ob2-signed",
        "tampered",
        "revoked",
        "unlabelled",
        "lapsed",
        "withdrawn",
    ] {
        assert!(slugs.contains(&want), "{want} missing from {slugs:?}");
    }
    for b in badges {
        let url = b["url"].as_str().unwrap();
        assert!(url.starts_with("http://127.0.0.1:18471/badges/"), "{url}");
        let file = a.join(url.trim_start_matches("http://127.0.0.1:18471/"));
        assert!(file.is_file(), "{url} has no file");
        assert!(b["form"].is_string());
        assert!(b["expect"]["badge"].is_string() && b["expect"]["label"].is_string());
    }
    assert_eq!(world["trust"], "http://127.0.0.1:18471/trust.json");
    assert_eq!(
        world["registry"],
        "http://127.0.0.1:18471/authority/registry.json"
    );
    assert_eq!(world["issuers"].as_array().unwrap().len(), 4);
    let config = read_json(&a.join("config.json"));
    assert_eq!(config["demo"], true);
    assert_eq!(config["registry"], world["registry"]);

    // Byte-identical apart from what is published now (registry, shards, label pages).
    for sub in ["badges", "issuer", "profile"] {
        let (fa, fb) = (files(&a.join(sub)), files(&b.join(sub)));
        assert_eq!(fa, fb);
        assert!(!fa.is_empty());
        for f in fa {
            assert!(
                std::fs::read(a.join(sub).join(&f)).unwrap()
                    == std::fs::read(b.join(sub).join(&f)).unwrap(),
                "{sub}/{} differs between runs",
                f.display()
            );
        }
    }
    for f in ["trust.json", "world.json", "config.json"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }

    // A folder that is not a demo world is never removed.
    let other = tmp("other");
    std::fs::write(other.join("precious.txt"), "keep me").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(["demo", "--no-serve", "--port", "18471", "--dir"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(other.join("precious.txt").is_file());

    for d in [a, b, other] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A raw HTTP/1.0 request; the status code and the whole response.
fn raw(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, text)
}

fn get(url: &str) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut r = agent.get(url).call().unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    (r.status().as_u16(), ct, body)
}

#[test]
fn the_served_world_verifies_as_described() {
    let dir = tmp("served");
    // A stand-in build: website, widget, extension.
    let dist = tmp("dist");
    for (rel, text) in [
        ("www/index.html", "<!doctype html><title>qlabel</title>"),
        ("www/verify.html", "<!doctype html><title>verify</title>"),
        (
            "www/registry.html",
            "<!doctype html><title>registry</title>",
        ),
        ("www/config.json", "{\"demo\": false}"),
        ("widget/qlabel-widget.js", "export {};"),
        ("pkg/qlabel_wasm_bg.wasm", "\0asm"),
        ("extension/chromium/manifest.json", "{}"),
        ("extension/chromium/preset.json", "{\"anchors\": []}"),
    ] {
        let p = dist.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(["demo", "--port", "0", "--dir"])
        .arg(&dir)
        .arg("--dist")
        .arg(&dist)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.trim_start().starts_with("extension");
        printed.push(line);
        if done {
            break;
        }
    }
    let first = printed.first().cloned().unwrap_or_default();
    let origin = first
        .strip_prefix("qlabel demo: ")
        .unwrap_or_else(|| panic!("unexpected output {printed:?}"))
        .trim_end_matches('/')
        .to_string();
    let port: u16 = origin.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();

    // Every printed URL answers 200.
    let urls: Vec<String> = printed
        .iter()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("http://")))
        .map(str::to_string)
        .collect();
    for want in [
        "/verify.html",
        "/registry.html",
        "/issuer/",
        "/profile/",
        "/trust.json",
    ] {
        assert!(
            urls.iter().any(|u| u.ends_with(want)),
            "{want} not printed: {printed:?}"
        );
    }
    for url in &urls {
        assert_eq!(get(url).0, 200, "{url}");
    }

    // Every badge verifies as world.json expects.
    let world = read_json(&dir.join("world.json"));
    let trust = dir.join("trust.json");
    let mut wrong = Vec::new();
    for b in world["badges"].as_array().unwrap() {
        let url = b["url"].as_str().unwrap();
        assert!(url.starts_with(&origin), "{url}");
        let out = Command::new(env!("CARGO_BIN_EXE_qlabel"))
            .args(["verify", url, "--json", "--trust"])
            .arg(&trust)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{url}: no report ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let got = (
            report["badge"]["status"].as_str().unwrap_or_default(),
            report["label"]["status"].as_str().unwrap_or_default(),
        );
        let want = (
            b["expect"]["badge"].as_str().unwrap(),
            b["expect"]["label"].as_str().unwrap(),
        );
        if got != want {
            wrong.push(format!("{}: got {got:?}, expected {want:?}", b["slug"]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Content types, CORS, the config override, the widget, the extension preset.
    let (code, ct, body) = get(&format!("{origin}/config.json"));
    assert_eq!(code, 200);
    assert!(ct.starts_with("application/json"), "{ct}");
    assert!(body.contains("\"demo\": true"), "{body}");
    for (path, want) in [
        ("/issuer/status/revocation", "application/json"),
        ("/badges/ob3-jwt.jwt", "application/jwt"),
        ("/badges/baked.png", "image/png"),
        ("/badges/baked.svg", "image/svg+xml"),
        ("/widget/qlabel-widget.js", "text/javascript"),
        ("/pkg/qlabel_wasm_bg.wasm", "application/wasm"),
        ("/authority/registry.json", "application/json"),
        ("/", "text/html"),
    ] {
        let (code, ct, _) = get(&format!("{origin}{path}"));
        assert_eq!(code, 200, "{path}");
        assert!(ct.starts_with(want), "{path}: {ct}");
    }
    let (_, head) = raw(addr, "GET /trust.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    assert!(
        head.to_ascii_lowercase()
            .contains("access-control-allow-origin: *"),
        "{head}"
    );
    let preset = read_json(&dir.join("extension/chromium/preset.json"));
    assert_eq!(preset["source"], "qlabel demo");
    assert_eq!(preset["anchors"][0], read_json(&trust));
    assert_eq!(preset["registries"][0], world["registry"]);

    // No way out of the served folders; GET and HEAD only; no directory listings.
    for path in [
        "/badges/../world.json",
        "/badges/../../etc/passwd",
        "/../etc/passwd",
        "/badges/%2e%2e/%2e%2e/etc/passwd",
        "/widget/..%2f..%2fCargo.toml",
    ] {
        let (code, text) = raw(
            addr,
            &format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
        );
        assert!(code == 400 || code == 404, "{path} answered {code}: {text}");
        assert!(!text.contains("root:"), "{path}");
    }
    assert_eq!(get(&format!("{origin}/authority-state/key.json")).0, 404);
    let (code, _) = raw(
        addr,
        "POST /trust.json HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(code, 405);
    let (code, text) = raw(addr, "HEAD /trust.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(code, 200);
    assert!(!text.contains("\"keys\""), "HEAD has no body: {text}");

    // Loopback only: the port is closed on any other address of this machine.
    let other = UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
        .and_then(|s| s.local_addr())
        .ok()
        .map(|a| a.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    match other {
        Some(ip) => assert!(
            TcpStream::connect_timeout(&SocketAddr::new(ip, port), Duration::from_secs(2)).is_err(),
            "the demo server answers on {ip}"
        ),
        None => eprintln!("note: no non-loopback address here; the loopback-only check is skipped"),
    }

    drop(server);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(dist);
}
