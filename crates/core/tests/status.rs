//! Status lists end to end: a credential with status entries, the status list credential
//! served by an in-memory web, signed by the same (or another) issuer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{check, explain, status, verify_web};
use ed25519_dalek::SigningKey;
use qlabel_core::fetch::MapFetch;
use qlabel_core::{multibase, sign, SignOptions, Suite};
use serde_json::{json, Value};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn did(k: &SigningKey) -> String {
    multibase::did_key(&k.verifying_key())
}

fn signed(doc: Value, k: &SigningKey) -> Value {
    let d = did(k);
    let options = SignOptions {
        suite: Suite::EddsaRdfc2022,
        verification_method: format!("{d}#{}", d.trim_start_matches("did:key:")),
        created: Some(time::macros::datetime!(2025-01-01 0:00 UTC)),
        id: None,
        previous: Vec::new(),
    };
    sign(&doc, k, &options).unwrap()
}

/// GZIP of `bits`, base64url, with the multibase `u` prefix when asked.
fn encode(bits: &[u8], multibase: bool) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(bits, 6);
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    gz.extend_from_slice(&deflated);
    gz.extend_from_slice(&[0u8; 8]);
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, gz);
    if multibase {
        format!("u{b64}")
    } else {
        b64
    }
}

const LIST: &str = "https://status.example.org/lists/1";

fn list_credential(issuer: &SigningKey, kind: &str, purpose: &str, set: &[usize]) -> Value {
    let mut bits = vec![0u8; 16 * 1024];
    for &i in set {
        bits[i / 8] |= 0x80 >> (i % 8);
    }
    let (ctx, cred, subject, multibase) = if kind == "2021" {
        (
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://w3id.org/vc/status-list/2021/v1",
                "https://w3id.org/security/data-integrity/v2"
            ]),
            "StatusList2021Credential",
            "StatusList2021",
            false,
        )
    } else {
        (
            json!(["https://www.w3.org/ns/credentials/v2"]),
            "BitstringStatusListCredential",
            "BitstringStatusList",
            true,
        )
    };
    let mut doc = json!({
        "@context": ctx,
        "id": LIST,
        "type": ["VerifiableCredential", cred],
        "issuer": did(issuer),
        "credentialSubject": {"id": format!("{LIST}#list"), "type": subject, "statusPurpose": purpose, "encodedList": encode(&bits, multibase)}
    });
    if kind == "2021" {
        doc["issuanceDate"] = json!("2025-01-01T00:00:00Z");
    } else {
        doc["validFrom"] = json!("2025-01-01T00:00:00Z");
    }
    signed(doc, issuer)
}

fn badge(issuer: &SigningKey, kind: &str, purpose: &str, index: usize) -> Value {
    let (ctx, entry) = if kind == "2021" {
        (
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://w3id.org/vc/status-list/2021/v1",
                "https://w3id.org/security/data-integrity/v2"
            ]),
            "StatusList2021Entry",
        )
    } else {
        (
            json!(["https://www.w3.org/ns/credentials/v2"]),
            "BitstringStatusListEntry",
        )
    };
    let mut doc = json!({
        "@context": ctx,
        "id": "https://badges.example.org/credentials/7",
        "type": ["VerifiableCredential"],
        "issuer": did(issuer),
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": {"id": format!("{LIST}#{index}"), "type": entry, "statusPurpose": purpose, "statusListIndex": index.to_string(), "statusListCredential": LIST}
    });
    if kind == "2021" {
        doc["issuanceDate"] = json!("2025-01-01T00:00:00Z");
    }
    signed(doc, issuer)
}

fn web(list: &Value) -> MapFetch {
    let mut w = MapFetch::default();
    w.insert(LIST, serde_json::to_vec(list).unwrap());
    w
}

#[test]
fn revoked_and_not_revoked_in_both_list_formats() {
    let k = key(1);
    for kind in ["bitstring", "2021"] {
        let list = list_credential(&k, kind, "revocation", &[3, 4000]);
        let r = verify_web(&badge(&k, kind, "revocation", 4000), &web(&list));
        assert_eq!(status(&r), "revoked", "{kind}: {}", explain(&r));
        let r = verify_web(&badge(&k, kind, "revocation", 5), &web(&list));
        assert_eq!(status(&r), "valid", "{kind}: {}", explain(&r));
        assert_eq!(check(&r, "status"), "pass");
    }
}

#[test]
fn suspension_is_reported() {
    let k = key(2);
    let list = list_credential(&k, "bitstring", "suspension", &[9]);
    let r = verify_web(&badge(&k, "bitstring", "suspension", 9), &web(&list));
    assert_eq!(status(&r), "revoked");
    assert!(explain(&r).contains("suspended"), "{}", explain(&r));
}

#[test]
fn lists_that_cannot_be_trusted_make_the_badge_unverifiable() {
    let k = key(3);
    let stranger = key(4);
    // A list from another issuer: it could say anything about this badge.
    let foreign = list_credential(&stranger, "bitstring", "revocation", &[]);
    let r = verify_web(&badge(&k, "bitstring", "revocation", 1), &web(&foreign));
    assert_eq!(status(&r), "unverifiable", "{}", explain(&r));
    assert!(explain(&r).contains("not by the credential's issuer"));
    // A tampered list.
    let mut tampered = list_credential(&k, "bitstring", "revocation", &[1]);
    tampered["credentialSubject"]["encodedList"] = json!(encode(&[0u8; 16 * 1024], true));
    let r = verify_web(&badge(&k, "bitstring", "revocation", 1), &web(&tampered));
    assert_eq!(status(&r), "unverifiable", "{}", explain(&r));
    // A list for another purpose.
    let other = list_credential(&k, "bitstring", "suspension", &[]);
    let r = verify_web(&badge(&k, "bitstring", "revocation", 1), &web(&other));
    assert_eq!(status(&r), "unverifiable");
    // No list at all: never "not revoked".
    let r = verify_web(
        &badge(&k, "bitstring", "revocation", 1),
        &MapFetch::default(),
    );
    assert_eq!(status(&r), "unverifiable");
    assert!(
        explain(&r).contains(LIST),
        "the message names the list: {}",
        explain(&r)
    );
    // An index past the end of the list.
    let list = list_credential(&k, "bitstring", "revocation", &[]);
    let r = verify_web(
        &badge(&k, "bitstring", "revocation", 16 * 1024 * 8 + 1),
        &web(&list),
    );
    assert_eq!(status(&r), "unverifiable");
}
