//! The label check, one rule at a time: each test breaks exactly one rule of a labelled
//! world and sees the matching label status and check.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ed25519_dalek::SigningKey;
use qlabel_core::fetch::{block_on, MapFetch};
use qlabel_core::label::{self, EntryStatus, Holder, RegistryEntry, StatusEvent, TrustAnchor};
use qlabel_core::{multibase, sign, LabelStatus, Options, SignOptions, Suite};
use serde_json::{json, Value};

const AUTH: &str = "https://authority.example";
const BASE: &str = "https://authority.example/site";

struct World {
    auth_key: SigningKey,
    holder_key: SigningKey,
    web: MapFetch,
    entry: RegistryEntry,
    label: Value,
    registry_updated: String,
    registry_next: String,
    suspended: bool,
    withdrawn: bool,
}

fn at(t: &str) -> time::OffsetDateTime {
    qlabel_core::datetime::parse(t).unwrap().at
}

fn sign_with(doc: &Value, key: &SigningKey, vm: &str, suite: Suite) -> Value {
    sign(
        doc,
        key,
        &SignOptions {
            suite,
            verification_method: vm.to_string(),
            created: Some(at("2025-01-01T00:00:00Z")),
            id: None,
            previous: Vec::new(),
        },
    )
    .unwrap()
}

fn did(k: &SigningKey) -> String {
    multibase::did_key(&k.verifying_key())
}

fn anchor(k: &SigningKey, id: &str) -> TrustAnchor {
    TrustAnchor {
        kind: label::TRUST_ANCHOR_TYPE.into(),
        id: id.into(),
        name: "Demo Label Authority".into(),
        keys: vec![label::AnchorKey {
            id: format!("{id}#key-1"),
            public_key_multibase: multibase::ed25519_public_to_multibase(&k.verifying_key()),
        }],
        registry: Some(format!("{BASE}/registry.json")),
        shards: None,
    }
}

impl World {
    fn new() -> World {
        let auth_key = SigningKey::from_bytes(&[11; 32]);
        let holder_key = SigningKey::from_bytes(&[12; 32]);
        let holder = Holder {
            ids: vec![did(&holder_key), "https://youth.example/issuer".into()],
            name: "Demo Youth Centre".into(),
        };
        let entry = RegistryEntry {
            label: format!("{BASE}/labels/1.json"),
            status: EntryStatus::Active,
            holder,
            domains: vec!["youth.example".into()],
            valid_from: "2025-01-01T00:00:00Z".into(),
            valid_until: "2028-01-01T00:00:00Z".into(),
            scope: Vec::new(),
            credential: format!("{BASE}/labels/1.json"),
            certificate: format!("{BASE}/labels/1.html"),
            history: vec![StatusEvent {
                at: "2025-01-01T00:00:00Z".into(),
                status: EntryStatus::Active,
                reason: None,
            }],
        };
        let mut w = World {
            auth_key,
            holder_key,
            web: MapFetch::default(),
            label: Value::Null,
            entry,
            registry_updated: "2026-05-30T00:00:00Z".into(),
            registry_next: "2026-06-06T00:00:00Z".into(),
            suspended: false,
            withdrawn: false,
        };
        w.label = w.label_credential(AUTH, &w.auth_key.clone(), &w.entry.holder.clone());
        w
    }

    fn label_credential(&self, authority: &str, key: &SigningKey, holder: &Holder) -> Value {
        let doc = label::label_credential(&label::LabelParams {
            id: &self.entry.label,
            authority_id: authority,
            authority_name: "Demo Label Authority",
            holder,
            domains: &self.entry.domains,
            scope: &self.entry.scope,
            valid_from: &self.entry.valid_from,
            valid_until: &self.entry.valid_until,
            status: Some((&format!("{BASE}/status"), 1, 1)),
            certificate: &self.entry.certificate,
        });
        sign_with(
            &doc,
            key,
            &format!("{authority}#key-1"),
            Suite::EddsaRdfc2022,
        )
    }

    /// Serves the authority's controller document, status lists, label and registry.
    fn publish(&mut self) {
        let auth_doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": AUTH,
            "verificationMethod": [{"id": format!("{AUTH}#key-1"), "type": "Multikey", "controller": AUTH,
                "publicKeyMultibase": multibase::ed25519_public_to_multibase(&self.auth_key.verifying_key())}],
            "assertionMethod": [format!("{AUTH}#key-1")]
        });
        self.web
            .insert(AUTH, serde_json::to_vec(&auth_doc).unwrap());
        for (purpose, set) in [
            ("revocation", self.withdrawn),
            ("suspension", self.suspended),
        ] {
            let mut bits = vec![0u8; 16 * 1024];
            if set {
                bits[0] = 0b0100_0000; // index 1
            }
            let list = label::status_list_credential(
                &format!("{BASE}/status/{purpose}"),
                AUTH,
                purpose,
                "2025-01-01T00:00:00Z",
                &bits,
            );
            let list = sign_with(
                &list,
                &self.auth_key,
                &format!("{AUTH}#key-1"),
                Suite::EddsaRdfc2022,
            );
            self.web.insert(
                format!("{BASE}/status/{purpose}"),
                serde_json::to_vec(&list).unwrap(),
            );
        }
        self.web.insert(
            self.entry.credential.clone(),
            serde_json::to_vec(&self.label).unwrap(),
        );
        let reg = label::registry_document(
            &format!("{BASE}/registry.json"),
            AUTH,
            &self.registry_updated,
            &self.registry_next,
            None,
            std::slice::from_ref(&self.entry),
        );
        let reg = sign_with(
            &reg,
            &self.auth_key,
            &format!("{AUTH}#key-1"),
            Suite::EddsaJcs2022,
        );
        self.web.insert(
            format!("{BASE}/registry.json"),
            serde_json::to_vec(&reg).unwrap(),
        );
    }

    fn badge(&self, issued: &str) -> Vec<u8> {
        self.badge_with(issued, None)
    }

    /// A badge whose issuer profile carries `endorsement` (an embedded label).
    fn badge_with(&self, issued: &str, endorsement: Option<&Value>) -> Vec<u8> {
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "https://youth.example/credentials/1",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did(&self.holder_key), "type": ["Profile"], "name": "Demo Youth Centre"},
            "validFrom": issued,
            "name": "Teamwork",
            "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                "achievement": {"id": "https://youth.example/achievements/teamwork", "type": ["Achievement"], "name": "Teamwork",
                    "description": "Works with others.", "criteria": {"narrative": "A team project."}}}
        });
        if let Some(e) = endorsement {
            doc["issuer"]["endorsement"] = json!([e]);
        }
        let d = did(&self.holder_key);
        let vm = format!("{d}#{}", d.trim_start_matches("did:key:"));
        serde_json::to_vec(&sign_with(&doc, &self.holder_key, &vm, Suite::EddsaJcs2022)).unwrap()
    }

    fn check(&self, anchors: Vec<TrustAnchor>, when: &str, badge: &[u8]) -> qlabel_core::Report {
        let mut o = Options::at(at(when));
        o.trust = anchors;
        block_on(qlabel_core::verify(badge, &o, &self.web)).unwrap()
    }
}

fn label_check(r: &qlabel_core::Report, id: &str) -> String {
    common::check_in(&r.label.checks, id)
}

fn explain(r: &qlabel_core::Report) -> String {
    serde_json::to_string_pretty(&r.label).unwrap()
}

const NOW: &str = "2026-06-01T00:00:00Z";

fn labelled_world() -> (World, Vec<u8>) {
    let mut w = World::new();
    w.publish();
    let badge = w.badge("2026-01-01T00:00:00Z");
    (w, badge)
}

#[test]
fn a_labelled_issuer() {
    let (w, badge) = labelled_world();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Labelled, "{}", explain(&r));
    for id in [
        "registry-signature",
        "registry-freshness",
        "label-proof",
        "label-authority",
        "label-holder",
        "label-validity",
        "label-status",
        "label-scope",
    ] {
        assert_eq!(label_check(&r, id), "pass", "{id}: {}", explain(&r));
    }
    assert_eq!(r.label.held_at_issuance, Some(true));
    assert_eq!(
        r.label.certificate.as_deref(),
        Some(format!("{BASE}/labels/1.html").as_str())
    );
    // The same world without trust anchors: unknown, never labelled.
    assert_eq!(
        w.check(vec![], NOW, &badge).label.status,
        LabelStatus::Unknown
    );
}

#[test]
fn a_badge_that_does_not_verify_is_not_evaluated() {
    let (w, mut badge) = labelled_world();
    let text = String::from_utf8(badge.clone())
        .unwrap()
        .replace("Teamwork", "Leadership");
    badge = text.into_bytes();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::NotEvaluated);
}

#[test]
fn a_tampered_registry_is_not_believed() {
    let (mut w, badge) = labelled_world();
    let url = format!("{BASE}/registry.json");
    let body = String::from_utf8(w.web.documents[&url].1.clone())
        .unwrap()
        .replacen("2028-01-01", "2029-01-01", 1);
    w.web.insert(url, body.into_bytes());
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_ne!(r.label.status, LabelStatus::Labelled);
    assert_eq!(
        label_check(&r, "registry-signature"),
        "fail",
        "{}",
        explain(&r)
    );
}

#[test]
fn another_authority_is_untrusted() {
    let (w, badge) = labelled_world();
    let other = SigningKey::from_bytes(&[99; 32]);
    // Trusting only another authority: its own registry is not served, so nothing is known…
    let r = w.check(
        vec![anchor(&other, "https://other-authority.example")],
        NOW,
        &badge,
    );
    // …and the first authority's registry, given explicitly, is signed by a stranger.
    let mut o = Options::at(at(NOW));
    o.trust = vec![anchor(&other, "https://other-authority.example")];
    o.registry = Some(format!("{BASE}/registry.json"));
    let r2 = block_on(qlabel_core::verify(&badge, &o, &w.web)).unwrap();
    assert_eq!(r2.label.status, LabelStatus::Untrusted, "{}", explain(&r2));
    assert_eq!(label_check(&r2, "label-authority"), "fail");
    // The report names who signed it (people read "comes from …"), and the status says it
    // counts for nothing.
    assert_eq!(
        r2.label.authority.as_ref().map(|a| a.id.as_str()),
        Some(AUTH)
    );
    assert_ne!(r.label.status, LabelStatus::Labelled);
}

#[test]
fn a_stale_registry_cannot_confirm_a_label() {
    // An older signed registry (past its nextUpdate) may be served in place of the current
    // one: it does not make a badge labelled…
    let mut w = World::new();
    w.registry_updated = "2026-01-01T00:00:00Z".into();
    w.registry_next = "2026-01-08T00:00:00Z".into();
    w.publish();
    let badge = w.badge("2026-01-01T00:00:00Z");
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Unknown, "{}", explain(&r));
    assert_eq!(label_check(&r, "registry-freshness"), "fail");
    assert_eq!(label_check(&r, "registry-signature"), "pass");
    // …while the same registry, read before its nextUpdate, does…
    let r = w.check(
        vec![anchor(&w.auth_key, AUTH)],
        "2026-01-05T00:00:00Z",
        &badge,
    );
    assert_eq!(r.label.status, LabelStatus::Labelled, "{}", explain(&r));
    assert_eq!(label_check(&r, "registry-freshness"), "pass");
    // …and what it says against a label stands: withdrawn is final.
    w.withdrawn = true;
    w.publish();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Withdrawn, "{}", explain(&r));
}

#[test]
fn a_registry_that_cannot_be_had_is_unknown() {
    let (mut w, badge) = labelled_world();
    w.web.documents.remove(&format!("{BASE}/registry.json"));
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Unknown, "{}", explain(&r));
}

#[test]
fn an_issuer_without_a_label_is_not_labelled() {
    let (mut w, _) = labelled_world();
    w.holder_key = SigningKey::from_bytes(&[13; 32]);
    let r = w.check(
        vec![anchor(&w.auth_key, AUTH)],
        NOW,
        &w.badge("2026-01-01T00:00:00Z"),
    );
    assert_eq!(r.label.status, LabelStatus::NotLabelled, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-holder"), "fail");
}

#[test]
fn a_label_credential_from_someone_else_is_untrusted() {
    let (mut w, badge) = labelled_world();
    let forger = SigningKey::from_bytes(&[66; 32]);
    w.label = w.label_credential("https://forger.example", &forger, &w.entry.holder.clone());
    w.publish();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Untrusted, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-authority"), "fail");
}

#[test]
fn a_label_for_another_holder_is_not_this_issuers() {
    let (mut w, badge) = labelled_world();
    let someone = Holder {
        ids: vec!["https://someone.example".into()],
        name: "Someone".into(),
    };
    w.label = w.label_credential(AUTH, &w.auth_key.clone(), &someone);
    w.publish();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::NotLabelled, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-holder"), "fail");
}

#[test]
fn a_tampered_label_credential_fails_its_proof() {
    let (mut w, badge) = labelled_world();
    w.label["credentialSubject"]["name"] = json!("Someone Else");
    w.publish();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_ne!(r.label.status, LabelStatus::Labelled);
    assert_eq!(label_check(&r, "label-proof"), "fail", "{}", explain(&r));
}

#[test]
fn an_expired_label() {
    let (w, badge) = labelled_world();
    let r = w.check(
        vec![anchor(&w.auth_key, AUTH)],
        "2028-06-01T00:00:00Z",
        &w.badge("2026-01-01T00:00:00Z"),
    );
    assert_eq!(r.label.status, LabelStatus::Expired, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-validity"), "fail");
    assert_eq!(r.label.held_at_issuance, Some(true));
    drop(badge);
}

#[test]
fn suspended_and_withdrawn_labels() {
    let mut w = World::new();
    w.suspended = true;
    w.publish();
    let badge = w.badge("2026-01-01T00:00:00Z");
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Suspended, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-status"), "fail");
    w.suspended = false;
    w.withdrawn = true;
    w.publish();
    let r = w.check(vec![anchor(&w.auth_key, AUTH)], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Withdrawn, "{}", explain(&r));
}

#[test]
fn a_badge_outside_the_scope() {
    let mut w = World::new();
    w.entry.scope = vec!["https://youth.example/achievements/other".into()];
    w.label = w.label_credential(AUTH, &w.auth_key.clone(), &w.entry.holder.clone());
    w.publish();
    let r = w.check(
        vec![anchor(&w.auth_key, AUTH)],
        NOW,
        &w.badge("2026-01-01T00:00:00Z"),
    );
    assert_eq!(r.label.status, LabelStatus::NotLabelled, "{}", explain(&r));
    assert_eq!(label_check(&r, "label-scope"), "fail");
}

#[test]
fn held_at_issuance_follows_the_history() {
    let mut w = World::new();
    w.entry.history.push(StatusEvent {
        at: "2025-06-01T00:00:00Z".into(),
        status: EntryStatus::Suspended,
        reason: None,
    });
    w.entry.history.push(StatusEvent {
        at: "2025-09-01T00:00:00Z".into(),
        status: EntryStatus::Active,
        reason: None,
    });
    w.publish();
    let anchors = vec![anchor(&w.auth_key, AUTH)];
    let during = w.check(anchors.clone(), NOW, &w.badge("2025-07-01T00:00:00Z"));
    assert_eq!(
        during.label.status,
        LabelStatus::Labelled,
        "{}",
        explain(&during)
    );
    assert_eq!(during.label.held_at_issuance, Some(false));
    let after = w.check(anchors.clone(), NOW, &w.badge("2025-10-01T00:00:00Z"));
    assert_eq!(after.label.held_at_issuance, Some(true));
    let before = w.check(anchors, NOW, &w.badge("2024-06-01T00:00:00Z"));
    assert_eq!(before.label.held_at_issuance, Some(false));
}

#[test]
fn shards_are_looked_up_by_the_issuers_hash() {
    let (mut w, badge) = labelled_world();
    let shard = label::shard_of(&did(&w.holder_key));
    let reg = label::registry_document(
        &format!("{BASE}/shards/{shard}.json"),
        AUTH,
        &w.registry_updated,
        &w.registry_next,
        Some(&shard),
        std::slice::from_ref(&w.entry),
    );
    let reg = sign_with(
        &reg,
        &w.auth_key,
        &format!("{AUTH}#key-1"),
        Suite::EddsaJcs2022,
    );
    w.web.insert(
        format!("{BASE}/shards/{shard}.json"),
        serde_json::to_vec(&reg).unwrap(),
    );
    w.web.documents.remove(&format!("{BASE}/registry.json"));
    let mut a = anchor(&w.auth_key, AUTH);
    a.shards = Some(format!("{BASE}/shards/{{shard}}.json"));
    let r = w.check(vec![a], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Labelled, "{}", explain(&r));
}

#[test]
fn a_label_embedded_in_the_badge() {
    let mut w = World::new();
    w.publish();
    // No registry at all: the label travels with the badge.
    w.web.documents.remove(&format!("{BASE}/registry.json"));
    let badge = w.badge_with("2026-01-01T00:00:00Z", Some(&w.label));
    let mut a = anchor(&w.auth_key, AUTH);
    a.registry = None;
    let r = w.check(vec![a], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Labelled, "{}", explain(&r));
    assert_eq!(label_check(&r, "registry-signature"), "skip");
    // Trusting someone else: the embedded label is untrusted.
    let other = SigningKey::from_bytes(&[98; 32]);
    let mut b = anchor(&other, "https://other-authority.example");
    b.registry = None;
    let r = w.check(vec![b], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Untrusted, "{}", explain(&r));
}

#[test]
fn a_missing_shard_falls_back_to_the_signed_registry() {
    // An issuer without a label: its shard was never published (404). The whole registry,
    // signed, says it is not listed: not-labelled, not unknown.
    let (mut w, badge) = labelled_world();
    let mut a = anchor(&w.auth_key, AUTH);
    a.shards = Some(format!("{BASE}/shards/{{shard}}.json"));
    let holder = w.holder_key.clone();
    w.holder_key = SigningKey::from_bytes(&[77; 32]);
    let r = w.check(vec![a.clone()], NOW, &w.badge("2026-01-01T00:00:00Z"));
    w.holder_key = holder;
    assert_eq!(r.label.status, LabelStatus::NotLabelled, "{}", explain(&r));
    let fetched: Vec<&str> = r.input.fetched.iter().map(|f| f.url.as_str()).collect();
    assert!(
        fetched.iter().any(|u| u.contains("/shards/"))
            && fetched.contains(&format!("{BASE}/registry.json").as_str()),
        "{fetched:?}"
    );
    // The labelled issuer, shard missing too: found in the whole registry.
    let r = w.check(vec![a.clone()], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Labelled, "{}", explain(&r));
    // No registry behind the shard either: unknown, never not-labelled.
    let mut w2 = w;
    w2.web.documents.remove(&format!("{BASE}/registry.json"));
    let r = w2.check(vec![a], NOW, &badge);
    assert_eq!(r.label.status, LabelStatus::Unknown, "{}", explain(&r));
}
