//! What the CLI's integration tests share: scratch folders, a small HTTP/1.1 server on
//! 127.0.0.1, the `qlabel` command at a fixed clock, and a label authority made with it.
//! Each test file uses a part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// A new, empty folder in the system's temp folder, unique to this process and call.
pub fn scratch(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "qlabel-{prefix}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

// ------------------------------------------------------------------ the server

/// The answer to one request.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waited before answering.
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn body(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
            delay: None,
        }
    }
    pub fn json(body: Vec<u8>) -> Reply {
        Reply::body("application/json", body)
    }
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
        }
    }
    pub fn not_found() -> Reply {
        Reply::status(404)
    }
    pub fn redirect(to: &str) -> Reply {
        Reply {
            headers: vec![("Location".into(), to.into())],
            ..Reply::status(302)
        }
    }
    pub fn slow(delay: Duration, reply: Reply) -> Reply {
        Reply {
            delay: Some(delay),
            ..reply
        }
    }
}

/// Serves on 127.0.0.1 for as long as the test process runs, one thread per connection,
/// answering each request by `route(path)`; returns the base URL (`http://127.0.0.1:PORT`).
pub fn serve(route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let route = std::sync::Arc::new(route);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let route = route.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let reply = route(&path);
                if let Some(d) = reply.delay {
                    std::thread::sleep(d);
                }
                let reason = match reply.status {
                    200 => "OK",
                    302 => "Found",
                    404 => "Not Found",
                    _ => "Status",
                };
                let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
                for (k, v) in &reply.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n",
                    reply.body.len()
                ));
                // One write: headers and body together (no Nagle/delayed-ACK stall).
                let mut all = head.into_bytes();
                all.extend_from_slice(&reply.body);
                let _ = stream.write_all(&all);
            });
        }
    });
    base
}

// ------------------------------------------------------------------ the command

/// `qlabel ARGS` with the authority commands' clock at `now` (`QLABEL_NOW`).
pub fn qlabel_at(now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qlabel"))
        .args(args)
        .env("QLABEL_NOW", now)
        .output()
        .unwrap()
}

/// `qlabel ARGS` at `now`, which must succeed; its standard output.
pub fn ok_at(now: &str, args: &[&str]) -> String {
    let out = qlabel_at(now, args);
    assert!(
        out.status.success(),
        "qlabel {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `qlabel key generate -o FILE`: a new Ed25519 key; its did:key (the key file's controller).
pub fn new_key(file: &Path) -> String {
    ok_at("2026-01-01T00:00:00Z", &["key", "generate", "-o", p(file)]);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    doc["controller"].as_str().unwrap().to_string()
}

// ------------------------------------------------------------------ an authority

/// A label authority made with `qlabel authority init` in `<root>/<folder>-authority`,
/// publishing its site to `<root>/<folder>-site` for `https://<host>`.
pub struct Authority {
    pub dir: PathBuf,
    pub site: PathBuf,
    pub base: String,
}

impl Authority {
    pub fn new(now: &str, root: &Path, folder: &str, name: &str, host: &str) -> Authority {
        let dir = root.join(format!("{folder}-authority"));
        let base = format!("https://{host}");
        ok_at(
            now,
            &[
                "authority",
                "init",
                "--name",
                name,
                "--id",
                &format!("{base}/authority.json"),
                "--out",
                p(&dir),
            ],
        );
        Authority {
            site: root.join(format!("{folder}-site")),
            dir,
            base,
        }
    }

    /// `qlabel label award` for `holders` (ids), valid from `from` until `until`; the id.
    pub fn award(
        &self,
        now: &str,
        holders: &[&str],
        name: &str,
        from: &str,
        until: &str,
    ) -> String {
        let mut args = vec!["label", "award", "--authority", p(&self.dir)];
        for h in holders {
            args.extend(["--holder", h]);
        }
        args.extend(["--name", name, "--valid-from", from, "--valid-until", until]);
        ok_at(now, &args).trim().to_string()
    }

    /// `qlabel registry publish` at `now`.
    pub fn publish_at(&self, now: &str) {
        ok_at(
            now,
            &[
                "registry",
                "publish",
                "--authority",
                p(&self.dir),
                "--out",
                p(&self.site),
                "--base-url",
                &self.base,
            ],
        );
    }

    /// The trust file (`qlabel authority trust`), written into `root`.
    pub fn trust(&self, now: &str, root: &Path) -> PathBuf {
        let file = root.join(format!(
            "trust-{}.json",
            self.dir.file_name().unwrap().to_str().unwrap()
        ));
        std::fs::write(
            &file,
            ok_at(now, &["authority", "trust", "--authority", p(&self.dir)]),
        )
        .unwrap();
        file
    }

    pub fn registry(&self) -> PathBuf {
        self.site.join("registry.json")
    }
}
