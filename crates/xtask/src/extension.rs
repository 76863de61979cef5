//! `cargo xtask extension`: the browser extension, from `extension/` and the built
//! `dist/pkg` (qlabel-wasm) and `dist/widget` (the widget's yew module), into
//! `<out>/chromium/` and `<out>/firefox/` with a manifest generated for each, and a zip of
//! each. Build-time presets: `QLABEL_TRUST=<trust file>` (what `qlabel authority trust`
//! prints: one anchor or an array) and `QLABEL_REGISTRY=<url>[,<url>…]`; without them the
//! build carries `extension/authorities.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::dist::{copy, copy_dir};
use crate::root;

/// Firefox's add-on id (stable across versions: users' settings are kept under it).
const GECKO_ID: &str = "qlabel@badgequalitylabel.net";

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn is_anchor(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("QualityLabelTrustAnchor")
        && v.get("id").and_then(Value::as_str).is_some()
        && v.get("keys")
            .and_then(Value::as_array)
            .is_some_and(|k| !k.is_empty())
}

fn is_registry_url(u: &str) -> bool {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    u.starts_with("https://")
        || loopback.iter().any(|p| {
            u.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        })
}

/// The presets: from the environment when given, else the default authority list.
fn preset() -> Result<Value, String> {
    let defaults = read_json(&root().join("extension/authorities.json"))?;
    let trust = std::env::var("QLABEL_TRUST")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let registry = std::env::var("QLABEL_REGISTRY")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let anchors = match &trust {
        Some(file) => {
            let v = read_json(Path::new(file.trim()))?;
            let list = match v {
                Value::Array(a) => a,
                one => vec![one],
            };
            if list.is_empty() || !list.iter().all(is_anchor) {
                return Err(format!(
                    "QLABEL_TRUST={file}: not a trust file (what `qlabel authority trust` prints)"
                ));
            }
            list
        }
        None => defaults["anchors"].as_array().cloned().unwrap_or_default(),
    };
    let registries: Vec<Value> = match &registry {
        Some(list) => {
            let mut out = Vec::new();
            for u in list.split(',').map(str::trim).filter(|u| !u.is_empty()) {
                if !is_registry_url(u) {
                    return Err(format!(
                        "QLABEL_REGISTRY: {u} is not an https URL (or http on this machine)"
                    ));
                }
                out.push(Value::from(u));
            }
            out
        }
        None => defaults["registries"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    };
    let source = if trust.is_some() || registry.is_some() {
        "QLABEL_TRUST / QLABEL_REGISTRY at build time"
    } else {
        "extension/authorities.json"
    };
    Ok(json!({ "source": source, "anchors": anchors, "registries": registries }))
}

fn workspace_version() -> Result<String, String> {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    let mut in_package = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_package = l == "[workspace.package]";
        } else if in_package {
            if let Some(v) = l.strip_prefix("version") {
                let v = v
                    .trim_start()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"');
                return Ok(v.to_string());
            }
        }
    }
    Err("no version in [workspace.package]".into())
}

fn manifest(browser: &str, version: &str) -> Result<Value, String> {
    let mut m = read_json(&root().join("extension/manifest.json"))?;
    m["version"] = Value::from(version);
    match browser {
        "chromium" => {
            m["background"] = json!({ "service_worker": "src/background.js", "type": "module" });
            m["minimum_chrome_version"] = Value::from("116");
        }
        _ => {
            // Firefox runs the same module as an event page.
            m["background"] = json!({ "scripts": ["src/background.js"], "type": "module" });
            m["browser_specific_settings"] = json!({
                "gecko": {
                    "id": GECKO_ID,
                    // data_collection_permissions: Firefox 140, Firefox for Android 142.
                    "strict_min_version": "140.0",
                    "data_collection_permissions": { "required": ["none"] }
                },
                "gecko_android": { "strict_min_version": "142.0" }
            });
        }
    }
    Ok(m)
}

fn zip_dir(dir: &Path, out: &Path) -> Result<(), String> {
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let mut files = Vec::new();
    list_files(dir, dir, &mut files)?;
    files.sort();
    for rel in files {
        let name = rel.to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        let bytes = std::fs::read(dir.join(&rel)).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

fn list_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_path_buf());
        }
    }
    Ok(())
}

/// Builds the extension into `out` (default `dist/extension`).
pub fn build(out: Option<&Path>) -> Result<PathBuf, String> {
    let root = root();
    let pkg = root.join("dist/pkg");
    let widget = root.join("dist/widget");
    for need in [pkg.join("index.js"), widget.join("qlabel_widget_bg.wasm")] {
        if !need.exists() {
            return Err(format!(
                "{} is not built: run `cargo xtask dist` first",
                need.display()
            ));
        }
    }
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("dist/extension"));
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let preset = preset()?;
    let version = workspace_version()?;
    let src = root.join("extension");
    for browser in ["chromium", "firefox"] {
        let done = out.join(browser);
        let dir = out.join(format!("{browser}.partial-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        copy_dir(&src.join("src"), &dir.join("src"))?;
        for sub in ["i18n", "_locales"] {
            if src.join(sub).is_dir() {
                copy_dir(&src.join(sub), &dir.join(sub))?;
            }
        }
        std::fs::create_dir_all(dir.join("icons")).map_err(|e| e.to_string())?;
        for n in ["16", "32", "48", "128"] {
            copy(
                &src.join(format!("icons/{n}.png")),
                &dir.join(format!("icons/{n}.png")),
            )?;
        }
        // qlabel-wasm: its modules and their glue (no docs, no types).
        std::fs::create_dir_all(dir.join("pkg")).map_err(|e| e.to_string())?;
        for entry in std::fs::read_dir(&pkg).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.ends_with(".js")
                || name.ends_with(".wasm")
                || name == "LICENSE"
                || name == "NOTICE.md"
            {
                copy(&path, &dir.join("pkg").join(&name))?;
            }
        }
        std::fs::create_dir_all(dir.join("widget")).map_err(|e| e.to_string())?;
        for name in ["qlabel_widget.js", "qlabel_widget_bg.wasm"] {
            copy(&widget.join(name), &dir.join("widget").join(name))?;
        }
        copy(&root.join("LICENSE"), &dir.join("LICENSE"))?;
        let write = |name: &str, v: &Value| -> Result<(), String> {
            let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
            std::fs::write(dir.join(name), text + "\n").map_err(|e| e.to_string())
        };
        write("preset.json", &preset)?;
        write("manifest.json", &manifest(browser, &version)?)?;
        let _ = std::fs::remove_dir_all(&done);
        std::fs::rename(&dir, &done).map_err(|e| format!("{}: {e}", done.display()))?;
        let zip = out.join(format!("qlabel-{browser}.zip"));
        zip_dir(&done, &zip)?;
        eprintln!(
            "extension ({browser}): {} and {}",
            done.display(),
            zip.display()
        );
    }
    eprintln!(
        "  trust anchors preset: {} ({})",
        preset["anchors"].as_array().map(Vec::len).unwrap_or(0),
        preset["source"].as_str().unwrap_or("")
    );
    Ok(out)
}
