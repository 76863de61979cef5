//! `qlabel scan`: badges found on saved and served pages (LinkedIn-style wrapped links,
//! plain links, inline JSON-LD, a baked image, a link-only Europass link), verified
//! against a real HTTP server on 127.0.0.1; lines, JSON and exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::Reply;

const AT: &str = "2026-06-01T00:00:00Z";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(samples().join(name)).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlabel-scan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Serves `routes` (path → content type, body) on 127.0.0.1; returns the base URL.
fn serve(routes: Vec<(String, &'static str, Vec<u8>)>) -> String {
    support::serve(
        move |path| match routes.iter().find(|(p, _, _)| *p == path) {
            Some((_, ct, body)) => Reply::body(ct, body.clone()),
            None => Reply::not_found(),
        },
    )
}

fn qlabel(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// A badge baked into the blank sample PNG with `qlabel bake`.
fn baked_png() -> Vec<u8> {
    let out = tmp("baked.png");
    let bake = qlabel(
        &[
            "bake",
            samples().join("ob3-jcs.json").to_str().unwrap(),
            samples().join("blank-badge.png").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        bake.status.success(),
        "{}",
        String::from_utf8_lossy(&bake.stderr)
    );
    std::fs::read(out).unwrap()
}

/// The served world: two badges, one tampered, a baked image, a plain image.
fn world() -> String {
    serve(vec![
        (
            "/badges/1".into(),
            "application/ld+json",
            sample("ob3-rdfc.json"),
        ),
        (
            "/credentials/t.json".into(),
            "application/json",
            sample("ob3-tampered.json"),
        ),
        ("/img/badge.png".into(), "image/png", baked_png()),
        (
            "/img/plain.png".into(),
            "image/png",
            sample("blank-badge.png"),
        ),
    ])
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A LinkedIn-like certifications page.
fn profile(base: &str, tampered: bool, europass: bool) -> String {
    let inline = String::from_utf8(sample("ob3-jcs.json")).unwrap();
    let wrapped = enc(&format!("{base}/badges/1"));
    let mut html = format!(
        r#"<!DOCTYPE html><html><head><title>Someone | LinkedIn</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Person","name":"Someone"}}</script>
<script type="application/ld+json">{inline}</script>
</head><body>
<ul>
 <li class="pvs-list__paged-list-item"><div data-view-name="profile-component-entity">
  <span>Web Basics</span><span>Issued by Example · Jan 2026</span>
  <a href="https://www.linkedin.com/redir/redirect?url={wrapped}&amp;urlhash=Ab1&amp;trk=public_profile">Show credential</a>
 </div></li>
 <li><a href="{base}/badges/1#again">Same badge, plain link</a></li>
 <li><img src="{base}/img/badge.png" alt="Open Badge: Web Basics"></li>
 <li><img src="/img/plain.png" alt="badge frame"></li>
 <li><img src="https://static.example/photo.jpg" alt="badge photo"></li>
 <li><a href="https://www.linkedin.com/in/someone/">Profile</a><a href="/about">About</a></li>
"#
    );
    if tampered {
        html.push_str(&format!(
            "<li><a href=\"{base}/credentials/t.json\">Tampered</a></li>\n"
        ));
    }
    if europass {
        html.push_str(
            "<li><a href=\"https://europa.eu/europass/en/credential/abc\">Europass</a></li>\n",
        );
    }
    html.push_str("</ul></body></html>\n");
    html
}

fn save(name: &str, html: &str) -> String {
    let path = tmp(name);
    std::fs::write(&path, html).unwrap();
    path.to_string_lossy().into_owned()
}

fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--json", "--at", AT];
    all.extend_from_slice(args);
    let out = qlabel(&all, None);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn a_linkedin_like_page_is_scanned_and_each_badge_verified() {
    let base = world();
    let file = save("profile.html", &profile(&base, true, true));
    let (code, v) = scan_json(&[&file, "--base", &format!("{base}/in/someone/")]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["schema"], "qlabel-scan/1");
    assert_eq!(v["page"], file.as_str());
    let badges = v["badges"].as_array().unwrap();
    let got: Vec<(String, String)> = badges
        .iter()
        .map(|b| {
            let status = match &b["report"] {
                Value::Null => format!("error:{}", b["error"]["code"].as_str().unwrap()),
                r => r["badge"]["status"].as_str().unwrap().to_string(),
            };
            (b["source"].as_str().unwrap().to_string(), status)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    // The wrapped and the plain link are one badge; the plain image holds none; the
    // JPEG and the schema.org Person are not looked at.
    assert_eq!(
        pairs,
        vec![
            ("link", "valid"),
            ("link", "invalid"),
            ("link", "error:link-only"),
            ("image", "valid"),
            ("script", "valid"),
        ],
        "{v:#}"
    );
    assert_eq!(badges[0]["platform"], "generic");
    assert_eq!(badges[0]["page"], format!("{base}/badges/1").as_str());
    assert_eq!(badges[0]["fetch"], format!("{base}/badges/1").as_str());
    assert_eq!(badges[0]["report"]["schema"], "qlabel-report/1");
    assert_eq!(badges[2]["platform"], "europass");
    assert!(badges[2]["fetch"].is_null());
    assert!(badges[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no machine-readable badge"));
    assert_eq!(badges[3]["report"]["input"]["baked"], "png");
    assert_eq!(badges[3]["page"], format!("{base}/img/badge.png").as_str());
    assert!(badges[4]["platform"].is_null() && badges[4]["page"].is_null());

    // The same as lines: aligned columns, one per badge, a summary, the same status.
    let out = qlabel(
        &[
            "scan",
            &file,
            "--at",
            AT,
            "--base",
            &format!("{base}/in/someone/"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("    ")).collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].starts_with("valid "), "{text}");
    assert!(lines[0].contains(" generic "), "{text}");
    assert!(lines[0].ends_with(&format!("  {base}/badges/1")), "{text}");
    assert!(lines[1].starts_with("invalid "), "{text}");
    assert!(
        lines[2].starts_with("unverifiable ") && lines[2].contains("europass"),
        "{text}"
    );
    assert!(
        lines[3].contains("  image  ") && lines[3].ends_with("/img/badge.png"),
        "{text}"
    );
    assert!(lines[4].ends_with("script #1"), "{text}");
    let column = |l: &str| {
        let i = l
            .find(" generic ")
            .or_else(|| l.find(" europass "))
            .unwrap();
        l[..i].chars().count()
    };
    assert_eq!(column(lines[0]), column(lines[2]), "{text}");
    assert_eq!(
        lines[5],
        "5 badges: 3 valid without a confirmed label, 1 invalid, 1 unverifiable"
    );
    assert!(text.contains("    link-only: Europass offers no machine-readable badge"));
}

#[test]
fn exit_status_follows_the_worst_badge() {
    let base = world();
    let b = format!("{base}/in/someone/");
    // Every badge valid: 0.
    let (code, v) = scan_json(&[
        &save("ok.html", &profile(&base, false, false)),
        "--base",
        &b,
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["badges"].as_array().unwrap().len(), 3);
    // A link-only badge and no invalid one: 3.
    let (code, _) = scan_json(&[&save("eu.html", &profile(&base, false, true)), "--base", &b]);
    assert_eq!(code, 3);
    // Offline: hosted badges and remote images cannot be verified; the inline one can.
    let (code, v) = scan_json(&[
        &save("off.html", &profile(&base, false, false)),
        "--base",
        &b,
        "--offline",
    ]);
    assert_eq!(code, 3, "{v:#}");
    let statuses: Vec<&str> = v["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["report"]["badge"]["status"].as_str().unwrap_or("error"))
        .collect();
    // (Both images are listed: offline, whether they are baked cannot be known.)
    assert_eq!(
        statuses,
        ["unverifiable", "error", "error", "valid"],
        "{v:#}"
    );
}

#[test]
fn a_served_page_is_fetched_and_relative_links_resolved() {
    let inner = world();
    // The page itself is served; its links are relative to it.
    let html = r#"<html><head><base href="/people/"></head><body>
        <a href="../badges/1">badge</a><a href="/credentials/t.json#x">tampered</a>
        </body></html>"#;
    let page = serve(vec![(
        "/in/someone".into(),
        "text/html; charset=utf-8",
        html.as_bytes().to_vec(),
    )]);
    // The badges live on the other server: point the page's <base> there instead.
    let html = html.replace("href=\"/people/\"", &format!("href=\"{inner}/people/\""));
    let page2 = serve(vec![("/p".into(), "text/html", html.into_bytes())]);
    let (code, v) = scan_json(&[&format!("{page2}/p")]);
    assert_eq!(code, 1, "{v:#}");
    let fetched: Vec<&str> = v["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["fetch"].as_str().unwrap())
        .collect();
    assert_eq!(
        fetched,
        [
            format!("{inner}/badges/1"),
            format!("{inner}/credentials/t.json")
        ]
    );
    // A page that is not there is an unreadable page: 2.
    let out = qlabel(&["scan", &format!("{page}/nope")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("404"));
    // A plain-http page elsewhere is refused before any request.
    let out = qlabel(&["scan", "http://example.com/profile"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_page_without_badges_says_so_and_exits_0() {
    let html = r#"<html><body><a href="https://example.org/about">About</a>
        <img src="https://example.org/cat.png" alt="a cat">
        <script type="application/ld+json">{"@type":"Person"}</script></body></html>"#;
    let out = qlabel(&["scan", "-", "--at", AT], Some(html));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "no badges found"
    );
    let out = qlabel(&["scan", "-", "--json"], Some(""));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["page"], "stdin");
    assert_eq!(v["badges"], serde_json::json!([]));
}

#[test]
fn usage_errors_and_unreadable_pages_exit_2() {
    for args in [
        vec!["scan"],
        vec!["scan", "/no/such/page.html"],
        vec!["scan", "-", "--at", "yesterday"],
        vec!["scan", "https://127.0.0.1:1/x", "--offline"],
    ] {
        let out = qlabel(&args, Some(""));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let help = qlabel(&["scan", "--help"], None);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("no badges found") && help.contains("Exit status"),
        "{help}"
    );
}

#[test]
fn a_baked_data_url_image_is_verified_offline() {
    let png = baked_png();
    let b64 = base64_encode(&png);
    let html = format!(
        r#"<img src="data:image/png;base64,{b64}" alt="My badge"><img src="data:image/png;base64,{b64}" alt="My badge">"#
    );
    let (code, v) = scan_json(&[&save("data.html", &html), "--offline"]);
    let badges = v["badges"].as_array().unwrap();
    assert_eq!(badges.len(), 1, "{v:#}");
    assert_eq!(badges[0]["source"], "image");
    assert!(badges[0]["fetch"].is_null());
    assert_eq!(badges[0]["report"]["input"]["baked"], "png");
    // Offline, the did:key badge still verifies; its label cannot be looked up.
    assert_eq!(badges[0]["report"]["badge"]["status"], "valid", "{v:#}");
    assert_eq!(code, 0);
}

fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
