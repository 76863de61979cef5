//! The hostile-input suite's label half (issue 9): forged and replayed labels, borrowed
//! badges, redirects to another origin and clock games, each with the status it must get,
//! run through the `qlabel` command as a verifier runs it. Labels, registries and sites are
//! made with qlabel's own authority commands; the forgers use the same tools with other
//! keys. The suite fails on any case that comes out otherwise, and counts false `labelled`
//! results separately: there must be none.
//!
//! The seal shown on a foreign domain is the widget's case (`copied`): see
//! `tests/web/widget.test.js` (`seal-copied`) and `widget/src/state.rs` (`host_allowed`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use support::{ok_at, p, qlabel_at, scratch, serve, Authority, Reply};

/// The time of every verification.
const NOW: &str = "2026-06-01T00:00:00Z";

fn ok(args: &[&str]) -> String {
    ok_at(NOW, args)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// What a route answers (kept so that routes can be added after the server started:
/// the documents name its URL).
#[derive(Clone)]
enum Answer {
    Json(Vec<u8>),
    Redirect(String),
}

type Routes = Arc<Mutex<HashMap<String, Answer>>>;

/// A server on 127.0.0.1 whose routes are added later. Returns the base URL and the routes.
fn server() -> (String, Routes) {
    let routes: Routes = Arc::default();
    let shared = routes.clone();
    let base = serve(
        move |path| match shared.lock().unwrap().get(path).cloned() {
            Some(Answer::Json(b)) => Reply::json(b),
            Some(Answer::Redirect(to)) => Reply::redirect(&to),
            None => Reply::not_found(),
        },
    );
    (base, routes)
}

fn route(routes: &Routes, path: &str, answer: Answer) {
    routes.lock().unwrap().insert(path.to_string(), answer);
}

/// The label credential file of the label `id` in `a`'s published site.
fn label_file(a: &Authority, id: &str) -> PathBuf {
    let uuid = id
        .rsplit(['/', ':'])
        .next()
        .unwrap()
        .trim_end_matches(".json");
    find_file(&a.site, &format!("{uuid}.json"))
        .unwrap_or_else(|| panic!("no label file for {id} in {}", a.site.display()))
}

fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()? {
        let e = e.ok()?;
        if e.file_type().ok()?.is_dir() {
            if let Some(f) = find_file(&e.path(), name) {
                return Some(f);
            }
        } else if e.file_name().to_str() == Some(name) {
            return Some(e.path());
        }
    }
    None
}

/// An issuer with a did:key; signs OB 3.0 credentials with `eddsa-jcs-2022`.
struct Issuer {
    key: PathBuf,
    did: String,
}

impl Issuer {
    fn new(root: &Path, name: &str) -> Issuer {
        let key = root.join(format!("{name}-key.json"));
        let did = support::new_key(&key);
        Issuer { key, did }
    }

    /// A credential naming `issuer_id` as its issuer, valid from `issued`, signed by this
    /// issuer's key, with `edit` applied before signing.
    fn sign(
        &self,
        root: &Path,
        file: &str,
        issuer_id: &str,
        issued: &str,
        edit: impl FnOnce(&mut Value),
    ) -> PathBuf {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/ob3-unsigned.json");
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
        doc["issuer"]["id"] = Value::String(issuer_id.to_string());
        doc["validFrom"] = Value::String(issued.to_string());
        if let Some(o) = doc.as_object_mut() {
            o.remove("validUntil");
        }
        edit(&mut doc);
        let unsigned = root.join(format!("{file}.unsigned.json"));
        std::fs::write(&unsigned, serde_json::to_vec(&doc).unwrap()).unwrap();
        let signed = root.join(format!("{file}.json"));
        ok(&[
            "sign",
            "--key",
            p(&self.key),
            "--suite",
            "jcs",
            p(&unsigned),
            "--created",
            issued,
            "-o",
            p(&signed),
        ]);
        signed
    }
}

/// `qlabel verify --json` of `input` (a file or URL) at `at`, with trust files and a
/// registry (a published site's registry.json). Returns the report.
fn verify(input: &str, trust: &[&Path], registry: Option<&Path>, at: &str) -> Value {
    let mut args = vec!["verify", input, "--json", "--at", at];
    for t in trust {
        args.extend(["--trust", p(t)]);
    }
    if let Some(r) = registry {
        args.extend(["--registry", p(r)]);
    }
    let out = qlabel_at(NOW, &args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "qlabel {args:?}: not a report:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn check(report: &Value, part: &str, id: &str) -> String {
    report[part]["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| "absent".into())
}

/// One case: what it is, its report, and what it must say.
struct Case {
    name: &'static str,
    report: Value,
    badge: &'static str,
    label: &'static str,
    /// A check that must have failed (part, id), naming the rule that stopped it.
    failed: Option<(&'static str, &'static str)>,
}

#[test]
fn forged_replayed_and_borrowed_labels_are_never_labelled() {
    let root = scratch("forgery");
    let (web, routes) = server();
    let (elsewhere, elsewhere_routes) = server();

    // The labelled organisation: a did:key for its OB 3.0 credentials and its website's
    // OB 2.0 issuer profile (served by `web`) — two ids of one holder.
    let x = Issuer::new(&root, "x");
    let x_ob2 = format!("{web}/issuer");
    // An issuer without a label, and one whose label ran out before it issued a badge.
    let y = Issuer::new(&root, "y");
    let v = Issuer::new(&root, "v");

    // The trusted authority. It labels X on 2026-05-28 and withdraws a second holder's
    // label (W) on 2026-05-30; the registry is published each time (nextUpdate: 7 days on).
    let a = Authority::new(
        NOW,
        &root,
        "a",
        "Demo Label Authority",
        "labels.test.example",
    );
    let x_label = a.award(
        NOW,
        &[&x.did, &x_ob2],
        "Labelled Youth Centre",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    let w = Issuer::new(&root, "w");
    let w_label = a.award(
        NOW,
        &[&w.did],
        "Soon Withdrawn Academy",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    a.award(
        NOW,
        &[&v.did],
        "Lapsed Learning Lab",
        "2025-01-01T00:00:00Z",
        "2026-03-01T00:00:00Z",
    );
    a.publish_at("2026-05-20T00:00:00Z");
    let snapshot_0520 = root.join("a-site-2026-05-20");
    copy_dir(&a.site, &snapshot_0520);
    a.publish_at("2026-05-28T00:00:00Z");
    let snapshot_0528 = root.join("a-site-2026-05-28");
    copy_dir(&a.site, &snapshot_0528);
    ok_at(
        "2026-05-30T00:00:00Z",
        &[
            "label",
            "withdraw",
            "--authority",
            p(&a.dir),
            &w_label,
            "--reason",
            "standard no longer met",
        ],
    );
    a.publish_at("2026-05-30T00:00:00Z");
    let trust_a = a.trust(NOW, &root);
    let registry_a = a.site.join("registry.json");

    // An authority nobody trusted, labelling X and Y.
    let f = Authority::new(
        NOW,
        &root,
        "f",
        "Quality Badges Inc.",
        "forger.test.example",
    );
    f.award(
        NOW,
        &[&x.did],
        "Labelled Youth Centre",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    f.award(
        NOW,
        &[&y.did],
        "Unlabelled Club",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    f.publish_at(NOW);
    let trust_f = f.trust(NOW, &root);

    // An impostor: the trusted authority's name and id, another key.
    let i = Authority::new(
        NOW,
        &root,
        "i",
        "Demo Label Authority",
        "labels.test.example",
    );
    i.award(
        NOW,
        &[&y.did],
        "Unlabelled Club",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    i.publish_at(NOW);

    // Another real authority (not trusted here) that labels Y.
    let b = Authority::new(
        NOW,
        &root,
        "b",
        "Another Authority",
        "elsewhere.test.example",
    );
    b.award(
        NOW,
        &[&y.did],
        "Unlabelled Club",
        "2025-01-01T00:00:00Z",
        "2028-01-01T00:00:00Z",
    );
    b.publish_at(NOW);

    // Badges.
    let issued = "2026-04-01T00:00:00Z";
    let x_badge = x.sign(&root, "x-badge", &x.did, issued, |_| {});
    let y_badge = y.sign(&root, "y-badge", &y.did, issued, |_| {});
    let w_badge = w.sign(&root, "w-badge", &w.did, issued, |_| {});
    let v_badge = v.sign(&root, "v-badge", &v.did, issued, |_| {});
    // Y names X as its issuer (signing with its own key).
    let y_as_x = y.sign(&root, "y-as-x", &x.did, issued, |_| {});
    // Y copies X's signed label credential into its own badge.
    let x_label_doc: Value =
        serde_json::from_slice(&std::fs::read(label_file(&a, &x_label)).unwrap()).unwrap();
    let y_with_x_label = y.sign(&root, "y-with-x-label", &y.did, issued, |d| {
        d["issuer"]["endorsement"] = json!([x_label_doc.clone()]);
    });
    // X issues with a validFrom in the future.
    let x_future = x.sign(&root, "x-future", &x.did, "2027-01-01T00:00:00Z", |_| {});
    // An unsigned JWT (`alg: none`) carrying X's badge.
    let x_doc: Value = serde_json::from_slice(&std::fs::read(&x_badge).unwrap()).unwrap();
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    };
    let mut unsigned_payload = x_doc.clone();
    if let Some(o) = unsigned_payload.as_object_mut() {
        o.remove("proof");
    }
    let none_jwt = root.join("x-none.jwt");
    std::fs::write(
        &none_jwt,
        format!(
            "{}.{}.",
            b64(&json!({"alg": "none", "typ": "vc+jwt"})),
            b64(&unsigned_payload)
        ),
    )
    .unwrap();

    // Sites as a forger would serve them.
    // The current site with the registry (and shards) of 2026-05-28, before W's withdrawal.
    let downgraded = root.join("downgraded-site");
    copy_dir(&a.site, &downgraded);
    std::fs::copy(
        snapshot_0528.join("registry.json"),
        downgraded.join("registry.json"),
    )
    .unwrap();
    if snapshot_0528.join("shards").is_dir() {
        let _ = std::fs::remove_dir_all(downgraded.join("shards"));
        copy_dir(&snapshot_0528.join("shards"), &downgraded.join("shards"));
    }
    // The current site with X's label credential replaced by W's (a label for another
    // holder), and another with X's replaced by the forger's label for X.
    let swapped = root.join("swapped-site");
    copy_dir(&a.site, &swapped);
    let x_label_rel = label_file(&a, &x_label)
        .strip_prefix(&a.site)
        .unwrap()
        .to_path_buf();
    let w_label_rel = label_file(&a, &w_label)
        .strip_prefix(&a.site)
        .unwrap()
        .to_path_buf();
    std::fs::copy(a.site.join(&w_label_rel), swapped.join(&x_label_rel)).unwrap();
    let forged_label = root.join("forged-label-site");
    copy_dir(&a.site, &forged_label);
    let f_x_label = find_label_for(&f.site, &x.did);
    std::fs::copy(f_x_label, forged_label.join(&x_label_rel)).unwrap();
    // The current registry with one byte changed.
    let tampered = root.join("tampered-site");
    copy_dir(&a.site, &tampered);
    let text = std::fs::read_to_string(tampered.join("registry.json")).unwrap();
    let changed = text.replacen("Labelled Youth Centre", "Labelled Youth Centrf", 1);
    assert_ne!(text, changed);
    std::fs::write(tampered.join("registry.json"), changed).unwrap();

    // OB 2.0 hosted badges of X's website, and copies elsewhere.
    let ob2 = |base: &str| {
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": format!("{base}/issuer"),
            "name": "Labelled Youth Centre", "url": base, "email": "badges@youth.test.example"})
    };
    let class = json!({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
        "id": format!("{web}/class"), "name": "Teamwork", "description": "Works with others.",
        "image": format!("{web}/class.png"), "criteria": {"narrative": "A team project."},
        "issuer": x_ob2});
    let assertion = |id: &str| {
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": id,
            "recipient": {"type": "email", "hashed": false, "identity": "learner@example.org"},
            "badge": format!("{web}/class"), "verification": {"type": "hosted"},
            "issuedOn": issued})
    };
    let body = |v: Value| Answer::Json(serde_json::to_vec(&v).unwrap());
    route(&routes, "/issuer", body(ob2(&web)));
    route(&routes, "/class", body(class));
    route(&routes, "/a/1", body(assertion(&format!("{web}/a/1"))));
    // X's assertion URL redirects to another origin, which serves a copy naming X's URL.
    route(
        &routes,
        "/a/2",
        Answer::Redirect(format!("{elsewhere}/a/2")),
    );
    route(
        &elsewhere_routes,
        "/a/2",
        body(assertion(&format!("{web}/a/2"))),
    );
    // An assertion hosted on another origin that claims X's badge class and issuer.
    route(
        &elsewhere_routes,
        "/a/3",
        body(assertion(&format!("{elsewhere}/a/3"))),
    );

    let ta = trust_a.as_path();
    let tf = trust_f.as_path();
    let reg = |s: &Path| s.join("registry.json");
    let cases = vec![
        // Controls: the genuine article is labelled, or the suite proves nothing.
        Case {
            name: "control: X's badge, trusted authority",
            report: verify(p(&x_badge), &[ta], Some(&registry_a), NOW),
            badge: "valid",
            label: "labelled",
            failed: None,
        },
        Case {
            name: "control: X's hosted OB 2.0 badge",
            report: verify(&format!("{web}/a/1"), &[ta], Some(&registry_a), NOW),
            badge: "valid",
            label: "labelled",
            failed: None,
        },
        // Forged labels.
        Case {
            name: "a label from an unknown authority (its registry given)",
            report: verify(p(&y_badge), &[ta], Some(&reg(&f.site)), NOW),
            badge: "valid",
            label: "untrusted",
            failed: Some(("label", "label-authority")),
        },
        Case {
            name: "the unknown authority's registry, nothing trusted",
            report: verify(p(&y_badge), &[], Some(&reg(&f.site)), NOW),
            badge: "valid",
            label: "untrusted",
            failed: Some(("label", "label-authority")),
        },
        Case {
            name: "the trusted authority's name and id, another key",
            report: verify(p(&y_badge), &[ta], Some(&reg(&i.site)), NOW),
            badge: "valid",
            label: "unknown",
            failed: Some(("label", "registry-signature")),
        },
        Case {
            name: "a label for another holder at X's label URL",
            report: verify(p(&x_badge), &[ta], Some(&reg(&swapped)), NOW),
            badge: "valid",
            label: "not-labelled",
            failed: Some(("label", "label-holder")),
        },
        Case {
            name: "an untrusted signer's label at X's label URL",
            report: verify(p(&x_badge), &[ta], Some(&reg(&forged_label)), NOW),
            badge: "valid",
            label: "untrusted",
            failed: Some(("label", "label-authority")),
        },
        Case {
            name: "X's label copied into Y's badge",
            report: verify(p(&y_with_x_label), &[ta], Some(&registry_a), NOW),
            badge: "valid",
            label: "not-labelled",
            failed: Some(("label", "label-holder")),
        },
        Case {
            name: "X's label copied into Y's badge, no registry",
            report: verify(p(&y_with_x_label), &[ta], None, NOW),
            badge: "valid",
            label: "not-labelled",
            failed: Some(("label", "label-holder")),
        },
        Case {
            name: "Y's badge naming X as issuer",
            report: verify(p(&y_as_x), &[ta], Some(&registry_a), NOW),
            badge: "invalid",
            label: "not-evaluated",
            failed: Some(("badge", "key-binding")),
        },
        Case {
            name: "X's badge as an unsigned JWT (alg none)",
            report: verify(p(&none_jwt), &[ta], Some(&registry_a), NOW),
            badge: "invalid",
            label: "not-evaluated",
            failed: Some(("badge", "proof")),
        },
        Case {
            name: "a registry with one byte changed",
            report: verify(p(&x_badge), &[ta], Some(&reg(&tampered)), NOW),
            badge: "valid",
            label: "unknown",
            failed: Some(("label", "registry-signature")),
        },
        Case {
            name: "a registry from another authority (not trusted)",
            report: verify(p(&y_badge), &[ta], Some(&reg(&b.site)), NOW),
            badge: "valid",
            label: "untrusted",
            failed: Some(("label", "label-authority")),
        },
        Case {
            name: "X's badge, only the forger trusted",
            report: verify(p(&x_badge), &[tf], Some(&registry_a), NOW),
            badge: "valid",
            label: "untrusted",
            failed: Some(("label", "label-authority")),
        },
        // Replays.
        Case {
            name: "the registry downgraded to an older signed version (W withdrawn since)",
            report: verify(p(&w_badge), &[ta], Some(&reg(&downgraded)), NOW),
            badge: "valid",
            label: "withdrawn",
            failed: Some(("label", "label-status")),
        },
        Case {
            name: "a whole older site, past its nextUpdate",
            report: verify(p(&w_badge), &[ta], Some(&reg(&snapshot_0520)), NOW),
            badge: "valid",
            label: "unknown",
            failed: Some(("label", "registry-freshness")),
        },
        Case {
            name: "a whole older site, past its nextUpdate (X, never withdrawn)",
            report: verify(p(&x_badge), &[ta], Some(&reg(&snapshot_0520)), NOW),
            badge: "valid",
            label: "unknown",
            failed: Some(("label", "registry-freshness")),
        },
        // Hosted badges and origins.
        Case {
            name: "a hosted badge whose id redirects to another origin",
            report: verify(&format!("{web}/a/2"), &[ta], Some(&registry_a), NOW),
            badge: "invalid",
            label: "not-evaluated",
            failed: Some(("badge", "hosted-origin")),
        },
        Case {
            name: "a hosted badge on another origin naming X's badge class",
            report: verify(&format!("{elsewhere}/a/3"), &[ta], Some(&registry_a), NOW),
            badge: "invalid",
            label: "not-evaluated",
            failed: Some(("badge", "hosted-origin")),
        },
        // Clock games.
        Case {
            name: "X's badge with validFrom in the future",
            report: verify(p(&x_future), &[ta], Some(&registry_a), NOW),
            badge: "not-yet-valid",
            label: "not-evaluated",
            failed: Some(("badge", "validity")),
        },
        Case {
            name: "a label expired before the badge was issued",
            report: verify(p(&v_badge), &[ta], Some(&registry_a), NOW),
            badge: "valid",
            label: "expired",
            failed: Some(("label", "label-validity")),
        },
        Case {
            name: "W's badge after the withdrawal",
            report: verify(p(&w_badge), &[ta], Some(&registry_a), NOW),
            badge: "valid",
            label: "withdrawn",
            failed: Some(("label", "label-status")),
        },
    ];

    let mut wrong = Vec::new();
    let mut false_labelled = Vec::new();
    println!("{:<75} {:<14} {:<14}", "case", "badge", "label");
    for c in &cases {
        let got_badge = c.report["badge"]["status"].as_str().unwrap_or("?");
        let got_label = c.report["label"]["status"].as_str().unwrap_or("?");
        println!("{:<75} {:<14} {:<14}", c.name, got_badge, got_label);
        if got_label == "labelled" && c.label != "labelled" {
            false_labelled.push(c.name);
        }
        let mut why = Vec::new();
        if got_badge != c.badge {
            why.push(format!("badge {got_badge}, expected {}", c.badge));
        }
        if got_label != c.label {
            why.push(format!("label {got_label}, expected {}", c.label));
        }
        if let Some((part, id)) = c.failed {
            let s = check(&c.report, part, id);
            if s != "fail" {
                why.push(format!("check {part}/{id} is {s}, expected fail"));
            }
        }
        if !why.is_empty() {
            wrong.push(format!(
                "{}: {}\n  badge checks: {}\n  label checks: {}",
                c.name,
                why.join("; "),
                c.report["badge"]["checks"],
                c.report["label"]["checks"]
            ));
        }
    }
    let forged = cases.iter().filter(|c| c.label != "labelled").count();
    println!(
        "{} cases, {forged} of them hostile: {} false labelled, {} not as expected",
        cases.len(),
        false_labelled.len(),
        wrong.len()
    );
    assert!(
        false_labelled.is_empty(),
        "false labelled: {false_labelled:?}"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    let _ = std::fs::remove_dir_all(&root);
}

/// The label credential in a published site whose subject is `holder`.
fn find_label_for(site: &Path, holder: &str) -> PathBuf {
    fn walk(dir: &Path, holder: &str) -> Option<PathBuf> {
        for e in std::fs::read_dir(dir).ok()? {
            let e = e.ok()?;
            let path = e.path();
            if e.file_type().ok()?.is_dir() {
                if let Some(f) = walk(&path, holder) {
                    return Some(f);
                }
            } else if path.extension().and_then(|x| x.to_str()) == Some("json") {
                let Ok(v) = serde_json::from_slice::<Value>(&std::fs::read(&path).ok()?) else {
                    continue;
                };
                let is_label = v["type"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == "OpenBadgeCredential"));
                if is_label && v["credentialSubject"]["id"] == holder {
                    return Some(path);
                }
            }
        }
        None
    }
    walk(site, holder).unwrap_or_else(|| panic!("no label for {holder} in {}", site.display()))
}
