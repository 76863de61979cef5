//! The Quality Label: label credentials, the signed registry, trust anchors, and the
//! label check that runs in the same pass as the badge.
//!
//! A label is an Open Badges 3.0 `OpenBadgeCredential` awarded by a label authority to
//! an issuer organisation. The authority publishes a **registry**: a small JSON document
//! with an `eddsa-jcs-2022` proof listing every label (holder ids, domains, status,
//! validity, scope, history, where the credential and certificate page live), whole and
//! as per-holder **shards** keyed by a hash of each holder id. Verifiers hold **trust
//! anchors**: the authorities' ids and public keys.

use crate::multibase;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The name of the label, as credentials and registries carry it.
pub const LABEL_NAME: &str = "Quality Label for badge recognition";
/// The `type` that marks a registry document.
pub const REGISTRY_TYPE: &str = "QualityLabelRegistry";
/// The `type` of a trust-anchor document.
pub const TRUST_ANCHOR_TYPE: &str = "QualityLabelTrustAnchor";
/// Hex characters of the holder-id hash that name a shard (16^4 = 65 536 shards).
pub const SHARD_PREFIX_LEN: usize = 4;
/// The vocabulary of qlabel's own terms (registry entries, label extensions).
pub const VOCAB: &str = "https://w3id.org/qlabel#";

/// The label status of one registry entry as the authority sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    Active,
    Suspended,
    Withdrawn,
    Expired,
}

/// A change of a label's status, for "held at issuance".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEvent {
    /// RFC 3339.
    pub at: String,
    pub status: EntryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A label holder: the organisation, under every id it issues badges with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The first id is the label credential's subject; the others its identifiers.
    pub ids: Vec<String>,
    pub name: String,
}

/// One label in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryEntry {
    /// The label credential's id.
    pub label: String,
    pub status: EntryStatus,
    pub holder: Holder,
    /// Hosts on which the holder may show its seal.
    #[serde(default)]
    pub domains: Vec<String>,
    pub valid_from: String,
    pub valid_until: String,
    /// Achievement / badge class ids the label covers; empty: the whole practice.
    #[serde(default)]
    pub scope: Vec<String>,
    /// URL of the label credential.
    pub credential: String,
    /// URL of the public certificate page.
    pub certificate: String,
    /// Every status change, oldest first (award, suspensions, reinstatements, withdrawal).
    #[serde(default)]
    pub history: Vec<StatusEvent>,
}

/// A label authority as verifiers trust it (`qlabel authority trust` prints this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustAnchor {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
    /// The authority's signing keys: verification method id and `publicKeyMultibase`.
    pub keys: Vec<AnchorKey>,
    /// Where its whole registry lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Shard URL template with `{shard}` for the hex prefix of sha256(holder id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<String>,
}

/// One key of a trust anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorKey {
    pub id: String,
    pub public_key_multibase: String,
}

impl TrustAnchor {
    /// Reads one anchor or a list of them (a `--trust` file).
    pub fn parse_many(text: &str) -> Result<Vec<TrustAnchor>, String> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("not a trust-anchor file: {e}"))?;
        let list = match v {
            Value::Array(a) => a,
            one => vec![one],
        };
        let anchors = list
            .into_iter()
            .map(|a| {
                serde_json::from_value::<TrustAnchor>(a)
                    .map_err(|e| format!("not a trust anchor: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for a in &anchors {
            if a.kind != TRUST_ANCHOR_TYPE {
                return Err(format!("{} is not a {TRUST_ANCHOR_TYPE}", a.id));
            }
            for k in &a.keys {
                multibase::ed25519_public_from_multibase(&k.public_key_multibase)
                    .map_err(|e| format!("{}: {e}", k.id))?;
            }
        }
        Ok(anchors)
    }

    /// Does this anchor own the verification method `vm`?
    pub fn owns(&self, vm: &str) -> bool {
        self.keys.iter().any(|k| k.id == vm)
    }
}

/// The shard name of a holder id: the first [`SHARD_PREFIX_LEN`] hex characters of its
/// SHA-256.
pub fn shard_of(holder_id: &str) -> String {
    let digest = Sha256::digest(holder_id.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..SHARD_PREFIX_LEN].to_string()
}

/// Parameters of a new label credential.
#[derive(Debug, Clone)]
pub struct LabelParams<'a> {
    pub id: &'a str,
    pub authority_id: &'a str,
    pub authority_name: &'a str,
    pub holder: &'a Holder,
    pub domains: &'a [String],
    pub scope: &'a [String],
    pub valid_from: &'a str,
    pub valid_until: &'a str,
    /// `(status list credential URL, revocation index, suspension index)`.
    pub status: Option<(&'a str, u64, u64)>,
    pub certificate: &'a str,
}

/// The JSON-LD context of label credentials: VC 2.0, OB 3.0.3 and qlabel's terms.
pub fn label_context() -> Value {
    json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        {
            "holderDomains": {"@id": format!("{VOCAB}holderDomains"), "@container": "@set"},
            "labelScope": {"@id": format!("{VOCAB}labelScope"), "@type": "@id", "@container": "@set"},
            "certificate": {"@id": format!("{VOCAB}certificate"), "@type": "@id"}
        }
    ])
}

/// An unsigned label credential (sign it with `eddsa-rdfc-2022`).
pub fn label_credential(p: &LabelParams<'_>) -> Value {
    let primary = p.holder.ids.first().cloned().unwrap_or_default();
    let identifiers: Vec<Value> = p
        .holder
        .ids
        .iter()
        .skip(1)
        .map(|id| {
            json!({
                "type": "IdentityObject",
                "identityType": if id.starts_with("did:") { "identifier" } else { "url" },
                "hashed": false,
                "identityHash": id
            })
        })
        .collect();
    let mut subject = json!({
        "id": primary,
        "type": ["AchievementSubject"],
        "name": p.holder.name,
        "achievement": {
            "id": format!("{}#quality-label", p.authority_id),
            "type": ["Achievement"],
            "name": LABEL_NAME,
            "description": "Awarded to an organisation whose badge-issuing practice meets the Quality Label standard of the Cities of Learning network.",
            "criteria": {"narrative": "Assessed by the label authority against the Quality Label standard: formal criteria, quality criteria and a three-year quality-assurance plan."}
        },
        "certificate": p.certificate
    });
    if !identifiers.is_empty() {
        subject["identifier"] = Value::Array(identifiers);
    }
    if !p.domains.is_empty() {
        subject["holderDomains"] = json!(p.domains);
    }
    if !p.scope.is_empty() {
        subject["labelScope"] = json!(p.scope);
    }
    let mut doc = json!({
        "@context": label_context(),
        "id": p.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": p.authority_id, "type": ["Profile"], "name": p.authority_name},
        "name": LABEL_NAME,
        "validFrom": p.valid_from,
        "validUntil": p.valid_until,
        "credentialSubject": subject
    });
    if let Some((list, revocation, suspension)) = p.status {
        doc["credentialStatus"] = json!([
            {"id": format!("{list}#r{revocation}"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": revocation.to_string(), "statusListCredential": format!("{list}/revocation")},
            {"id": format!("{list}#s{suspension}"), "type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": suspension.to_string(), "statusListCredential": format!("{list}/suspension")}
        ]);
    }
    doc
}

/// An unsigned registry document (whole, or one shard) — sign it with `eddsa-jcs-2022`.
pub fn registry_document(
    id: &str,
    authority_id: &str,
    updated: &str,
    next_update: &str,
    shard: Option<&str>,
    entries: &[RegistryEntry],
) -> Value {
    let mut subject = json!({
        "id": format!("{id}#registry"),
        "updated": updated,
        "nextUpdate": next_update,
        "labels": entries
    });
    if let Some(s) = shard {
        subject["shard"] = json!(s);
    }
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": VOCAB}],
        "id": id,
        "type": ["VerifiableCredential", REGISTRY_TYPE],
        "issuer": authority_id,
        "validFrom": updated,
        "credentialSubject": subject
    })
}

/// An unsigned `BitstringStatusListCredential` for `bits` (sign it with
/// `eddsa-rdfc-2022`).
pub fn status_list_credential(
    id: &str,
    authority_id: &str,
    purpose: &str,
    valid_from: &str,
    bits: &[u8],
) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": authority_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": crate::status::encode_list(bits)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_hex_prefixes() {
        assert_eq!(
            shard_of("https://example.org/issuer").len(),
            SHARD_PREFIX_LEN
        );
        assert_eq!(shard_of("a"), shard_of("a"));
        // sha256("abc") = ba7816bf…
        assert_eq!(shard_of("abc"), "ba78");
    }

    #[test]
    fn label_credentials_are_valid_json_ld() {
        let holder = Holder {
            ids: vec![
                "https://youth.example.org/issuer".into(),
                "did:web:youth.example.org".into(),
            ],
            name: "Youth Centre".into(),
        };
        let doc = label_credential(&LabelParams {
            id: "https://authority.example.org/labels/1",
            authority_id: "https://authority.example.org",
            authority_name: "Authority",
            holder: &holder,
            domains: &["youth.example.org".to_string()],
            scope: &[],
            valid_from: "2025-01-01T00:00:00Z",
            valid_until: "2028-01-01T00:00:00Z",
            status: Some(("https://authority.example.org/status", 3, 3)),
            certificate: "https://authority.example.org/labels/1.html",
        });
        let problems = crate::vc::well_formed_problems(doc.as_object().unwrap());
        assert!(problems.is_empty(), "{problems:?}");
        let reg = registry_document(
            "https://a.example/registry.json",
            "https://a.example",
            "2025-01-01T00:00:00Z",
            "2025-01-08T00:00:00Z",
            None,
            &[],
        );
        assert!(crate::jsonld::to_rdf(&reg).is_ok());
    }
}
