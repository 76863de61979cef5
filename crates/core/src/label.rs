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
/// Hex characters of the holder-id hash that name a shard (16^5 = 1 048 576 possible
/// shards): at 100 000 labels every shard a lookup needs stays under 4 KB.
pub const SHARD_PREFIX_LEN: usize = 5;
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
        assert_eq!(shard_of("abc"), "ba781");
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

// ---------------------------------------------------------------------------------
// The label check.
// ---------------------------------------------------------------------------------

use crate::datetime;
use crate::fetch::{Expect, Fetch};
use crate::report::{
    BadgeReport, BadgeStatus, Check, CheckStatus, LabelReport, LabelStatus, Party,
};
use crate::verify::Options;
use time::OffsetDateTime;

/// Stable ids of the label checks.
pub mod check_id {
    pub const REGISTRY_SIGNATURE: &str = "registry-signature";
    pub const REGISTRY_FRESHNESS: &str = "registry-freshness";
    pub const LABEL_PROOF: &str = "label-proof";
    pub const LABEL_AUTHORITY: &str = "label-authority";
    pub const LABEL_HOLDER: &str = "label-holder";
    pub const LABEL_VALIDITY: &str = "label-validity";
    pub const LABEL_STATUS: &str = "label-status";
    pub const LABEL_SCOPE: &str = "label-scope";
}

struct Outcome {
    status: LabelStatus,
    checks: Vec<Check>,
    report: LabelReport,
}

impl Outcome {
    fn new() -> Self {
        Outcome {
            status: LabelStatus::Unknown,
            checks: Vec::new(),
            report: LabelReport::not_evaluated(LabelStatus::Unknown, Check::skip("", "")),
        }
    }
    fn done(mut self, status: LabelStatus) -> LabelReport {
        self.status = status;
        self.report.status = self.status;
        self.report.checks = self.checks;
        self.report
    }
}

/// Who signed a registry: its proof's verification method and its issuer (empty when
/// missing). A registry counts only when a trust anchor with that id owns that method.
pub fn registry_signer(doc: &serde_json::Map<String, Value>) -> (String, String) {
    let vm = doc
        .get("proof")
        .and_then(|p| {
            p.get("verificationMethod")
                .or_else(|| p.get(0)?.get("verificationMethod"))
        })
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let issuer = crate::vc::issuer_id(doc).unwrap_or_default().to_string();
    (vm, issuer)
}

/// The Ed25519 key of `anchor` with id `vm`, when it has a usable one.
pub fn anchor_key(anchor: &TrustAnchor, vm: &str) -> Option<ed25519_dalek::VerifyingKey> {
    anchor
        .keys
        .iter()
        .find(|k| k.id == vm)
        .and_then(|k| multibase::ed25519_public_from_multibase(&k.public_key_multibase).ok())
}

/// The label of an organisation (a seal: no badge), judged at `options.at`: the label
/// part of a report for a valid badge of `holder` issued now.
pub async fn check_holder(holder: &str, options: &Options, fetch: &impl Fetch) -> LabelReport {
    let badge = BadgeReport {
        status: crate::report::BadgeStatus::Valid,
        id: None,
        name: None,
        description: None,
        image: None,
        issuer: Some(crate::report::IssuerInfo {
            id: holder.to_string(),
            name: None,
            url: None,
        }),
        achievement: None,
        recipient: None,
        embedded_labels: Vec::new(),
        issued: None,
        expires: None,
        checks: Vec::new(),
    };
    let session = crate::fetch::Session::new(fetch);
    check_label(&badge, options, &session).await
}

/// The label part of the report for a badge that verified: looks the badge's issuer up
/// in the registry of each trusted authority (a shard when the anchor names one), and
/// verifies the label it finds.
pub async fn check_label(
    badge: &BadgeReport,
    options: &Options,
    fetch: &impl Fetch,
) -> LabelReport {
    use check_id::*;
    let mut out = Outcome::new();
    let Some(issuer) = badge.issuer.as_ref().map(|i| i.id.clone()) else {
        out.checks
            .push(Check::skip(LABEL_HOLDER, "the badge names no issuer"));
        return out.done(LabelStatus::Unknown);
    };
    // Where to look: the registry given, else each anchor's shard or registry. A shard
    // exists only for prefixes some holder has: when it cannot be had (404 for an issuer
    // without a label, or any failure), the anchor's whole registry, signed like the
    // shard, is read instead, so that "not listed" rests on a signed list.
    let mut sources: Vec<(Option<&TrustAnchor>, String, Option<String>)> = Vec::new();
    if let Some(r) = &options.registry {
        sources.push((None, r.clone(), None));
    } else {
        for a in &options.trust {
            if let Some(t) = &a.shards {
                sources.push((
                    Some(a),
                    t.replace("{shard}", &shard_of(&issuer)),
                    a.registry.clone(),
                ));
            } else if let Some(r) = &a.registry {
                sources.push((Some(a), r.clone(), None));
            }
        }
    }
    if sources.is_empty() {
        if let Some(status) = embedded(&issuer, badge, options, fetch, &mut out).await {
            return out.done(status);
        }
        out.checks.push(Check::skip(
            LABEL_AUTHORITY,
            if options.trust.is_empty() {
                "no label authority is trusted (give --trust), so the label was not looked up"
            } else {
                "no registry is known for the trusted authorities (give --registry)"
            },
        ));
        return out.done(LabelStatus::Unknown);
    }
    let mut untrusted = None;
    let mut unknown = None;
    for (anchor_hint, url, whole) in sources {
        let mut found = look_up(&issuer, anchor_hint, &url, badge, options, fetch, &mut out).await;
        if let (Found::Unknown(_), Some(whole)) = (&found, whole) {
            found = look_up(
                &issuer,
                anchor_hint,
                &whole,
                badge,
                options,
                fetch,
                &mut out,
            )
            .await;
        }
        match found {
            Found::Done(status) => return out.done(status),
            Found::Untrusted(msg) => untrusted = Some(msg),
            Found::Unknown(msg) => unknown = Some(msg),
            Found::NotListed => {}
        }
    }
    if let Some(status) = embedded(&issuer, badge, options, fetch, &mut out).await {
        return out.done(status);
    }
    if let Some(msg) = untrusted {
        out.checks.push(Check::fail(LABEL_AUTHORITY, msg));
        return out.done(LabelStatus::Untrusted);
    }
    if let Some(msg) = unknown {
        out.checks
            .push(Check::unverifiable(REGISTRY_SIGNATURE, msg));
        return out.done(LabelStatus::Unknown);
    }
    out.checks.push(Check::fail(
        LABEL_HOLDER,
        format!("{issuer} holds no Quality Label from the trusted authorities"),
    ));
    out.done(LabelStatus::NotLabelled)
}

enum Found {
    Done(LabelStatus),
    Untrusted(String),
    Unknown(String),
    NotListed,
}

#[allow(clippy::too_many_lines)]
async fn look_up(
    issuer: &str,
    anchor_hint: Option<&TrustAnchor>,
    url: &str,
    badge: &BadgeReport,
    options: &Options,
    fetch: &impl Fetch,
    out: &mut Outcome,
) -> Found {
    use check_id::*;
    let fetched = match fetch.fetch(url, Expect::Registry).await {
        Ok(f) => f,
        Err(e) => return Found::Unknown(format!("the registry could not be had: {e}")),
    };
    let doc = match crate::limits::parse_json(&fetched.body, options.limits) {
        Ok(Value::Object(m)) => m,
        _ => return Found::Unknown(format!("the registry at {url} is not a JSON object")),
    };
    // Who signed it, and is that a trusted authority's key?
    let (vm, registry_issuer) = registry_signer(&doc);
    let anchor = options
        .trust
        .iter()
        .find(|a| a.owns(&vm) && a.id == registry_issuer)
        .or(anchor_hint.filter(|a| a.owns(&vm)));
    let Some(anchor) = anchor else {
        // Who signed it, for people ("the label comes from …"); the status says it counts
        // for nothing.
        if !registry_issuer.is_empty() {
            out.report.authority = Some(Party {
                id: registry_issuer.clone(),
                name: None,
            });
        }
        return Found::Untrusted(format!(
            "the registry at {url} is signed by {} ({}), which is not among the trusted label authorities",
            if registry_issuer.is_empty() { "an unnamed party" } else { &registry_issuer },
            if vm.is_empty() { "no key" } else { &vm }
        ));
    };
    let Some(key) = anchor_key(anchor, &vm) else {
        return Found::Unknown(format!(
            "the trust anchor {} has no usable key {vm}",
            anchor.id
        ));
    };
    if !crate::vc::map_types(&doc).contains(&REGISTRY_TYPE) {
        out.checks.push(Check::fail(
            REGISTRY_SIGNATURE,
            format!("{url} is not a {REGISTRY_TYPE}"),
        ));
        return Found::Done(LabelStatus::Unknown);
    }
    if let Err(e) = crate::di::verify_with_key(&doc, &key) {
        out.checks.push(Check::fail(
            REGISTRY_SIGNATURE,
            format!(
                "the registry at {url} does not verify against {}: {e}",
                crate::report::isolate(&anchor.name)
            ),
        ));
        return Found::Done(LabelStatus::Unknown);
    }
    out.checks.push(Check::pass(
        REGISTRY_SIGNATURE,
        format!(
            "the registry at {url} is signed by {} ({})",
            crate::report::isolate(&anchor.name),
            anchor.id
        ),
    ));
    let subject = doc.get("credentialSubject").cloned().unwrap_or(Value::Null);
    let at = options.at;
    let time_of = |k: &str| {
        subject
            .get(k)
            .and_then(Value::as_str)
            .and_then(datetime::parse)
    };
    // A registry past its `nextUpdate` may be an older signed copy served in place of the
    // current one, in which a label withdrawn or suspended since is still active: it cannot
    // confirm a label, nor can a registry that does not say until when it holds. What it
    // says against a label (expired, withdrawn) stands.
    let current = match (time_of("updated"), time_of("nextUpdate")) {
        (_, Some(next)) if next.at < at => {
            out.checks.push(Check::fail(
                REGISTRY_FRESHNESS,
                format!(
                    "the registry at {url} is out of date: it was due to be renewed at {}, so it cannot confirm a label now",
                    datetime::format(next.at)
                ),
            ));
            false
        }
        (Some(u), Some(_)) => {
            out.checks.push(Check::pass(
                REGISTRY_FRESHNESS,
                format!("the registry was updated at {}", datetime::format(u.at)),
            ));
            true
        }
        _ => {
            out.checks.push(Check::fail(
                REGISTRY_FRESHNESS,
                format!("the registry at {url} does not say when it was updated and when it is due to be renewed, so it cannot confirm a label"),
            ));
            false
        }
    };
    let entries: Vec<RegistryEntry> = subject
        .get("labels")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| serde_json::from_value(e.clone()).ok())
                .collect()
        })
        .unwrap_or_default();
    let Some(entry) = entries
        .into_iter()
        .find(|e| e.holder.ids.iter().any(|id| id == issuer))
    else {
        return Found::NotListed;
    };
    out.report.authority = Some(Party {
        id: anchor.id.clone(),
        name: Some(anchor.name.clone()),
    });
    out.report.holder = Some(Party {
        id: issuer.to_string(),
        name: Some(entry.holder.name.clone()),
    });
    out.report.valid_from = Some(entry.valid_from.clone());
    out.report.valid_until = Some(entry.valid_until.clone());
    out.report.certificate = Some(entry.certificate.clone());
    out.report.domains = entry.domains.clone();
    // The label credential itself.
    let label = match fetch.fetch(&entry.credential, Expect::Json).await {
        Ok(f) => f,
        Err(e) => {
            out.checks.push(Check::unverifiable(
                LABEL_PROOF,
                format!("the label credential could not be had: {e}"),
            ));
            return Found::Done(LabelStatus::Unknown);
        }
    };
    let Ok(Value::Object(cred)) = crate::limits::parse_json(&label.body, options.limits) else {
        out.checks.push(Check::fail(
            LABEL_PROOF,
            "the label credential is not a JSON object",
        ));
        return Found::Done(LabelStatus::Unknown);
    };
    match judge_entry(issuer, anchor, &entry, &cred, badge, options, fetch, out).await {
        LabelStatus::Labelled if !current => Found::Done(LabelStatus::Unknown),
        status => Found::Done(status),
    }
}

/// Labels embedded in the badge (an `endorsement` of the issuer profile or the
/// achievement), judged by the same rules, without a registry.
async fn embedded(
    issuer: &str,
    badge: &BadgeReport,
    options: &Options,
    fetch: &impl Fetch,
    out: &mut Outcome,
) -> Option<LabelStatus> {
    for cred in &badge.embedded_labels {
        let Some(cred) = cred.as_object() else {
            continue;
        };
        let vm = cred
            .get("proof")
            .and_then(|p| p.get("verificationMethod"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let named = cred
            .get("credentialSubject")
            .and_then(|s| s.get("achievement"))
            .and_then(|a| a.get("name"))
            .and_then(Value::as_str)
            == Some(LABEL_NAME);
        if !named {
            continue;
        }
        let Some(anchor) = options.trust.iter().find(|a| a.owns(vm)) else {
            if let Some(by) = crate::vc::issuer_id(cred) {
                out.report.authority = Some(Party {
                    id: by.to_string(),
                    name: None,
                });
            }
            out.checks.push(Check::fail(
                check_id::LABEL_AUTHORITY,
                format!(
                    "the badge carries a Quality Label signed by {vm}, which is not among the trusted label authorities"
                ),
            ));
            return Some(LabelStatus::Untrusted);
        };
        let text = |k: &str| {
            cred.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let subject = cred
            .get("credentialSubject")
            .cloned()
            .unwrap_or(Value::Null);
        let entry = RegistryEntry {
            label: text("id"),
            status: EntryStatus::Active,
            holder: Holder {
                ids: vec![issuer.to_string()],
                name: subject
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(issuer)
                    .to_string(),
            },
            domains: Vec::new(),
            valid_from: text("validFrom"),
            valid_until: text("validUntil"),
            scope: subject
                .get("labelScope")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            credential: text("id"),
            certificate: subject
                .get("certificate")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            history: Vec::new(),
        };
        out.checks.push(Check::skip(
            check_id::REGISTRY_SIGNATURE,
            "the label is embedded in the badge; no registry was consulted",
        ));
        out.report.authority = Some(Party {
            id: anchor.id.clone(),
            name: Some(anchor.name.clone()),
        });
        out.report.holder = Some(Party {
            id: issuer.to_string(),
            name: Some(entry.holder.name.clone()),
        });
        out.report.valid_from = Some(entry.valid_from.clone());
        out.report.valid_until = Some(entry.valid_until.clone());
        if !entry.certificate.is_empty() {
            out.report.certificate = Some(entry.certificate.clone());
        }
        return Some(judge_entry(issuer, anchor, &entry, cred, badge, options, fetch, out).await);
    }
    None
}

#[allow(clippy::too_many_arguments)]
async fn judge_entry(
    issuer: &str,
    anchor: &TrustAnchor,
    entry: &RegistryEntry,
    cred: &serde_json::Map<String, Value>,
    badge: &BadgeReport,
    options: &Options,
    fetch: &impl Fetch,
    out: &mut Outcome,
) -> LabelStatus {
    use check_id::*;
    let at = options.at;
    // The label credential is verified like any credential.
    let mut inner = options.clone();
    inner.trust = Vec::new();
    inner.registry = None;
    let report = crate::verify::verify_credential(cred, &inner, fetch).await;
    let proof_ok = report
        .badge
        .checks
        .iter()
        .any(|c| c.id == "proof" && c.status == CheckStatus::Pass);
    // The authority: the credential's issuer is the trusted authority, signing with its key.
    let vm = cred
        .get("proof")
        .and_then(|p| p.get("verificationMethod"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if crate::vc::issuer_id(cred) != Some(anchor.id.as_str()) || !anchor.owns(vm) {
        out.checks.push(Check::fail(
            LABEL_AUTHORITY,
            format!(
                "the label credential is issued by {} with {vm}, not by the trusted authority {}",
                crate::vc::issuer_id(cred).unwrap_or("nobody"),
                anchor.id
            ),
        ));
        return LabelStatus::Untrusted;
    }
    out.checks.push(Check::pass(
        LABEL_AUTHORITY,
        format!(
            "awarded by {} ({})",
            crate::report::isolate(&anchor.name),
            anchor.id
        ),
    ));
    // The holder first: a label credential for someone else is not this issuer's label,
    // whether or not its signature can be checked here.
    let subject = cred
        .get("credentialSubject")
        .cloned()
        .unwrap_or(Value::Null);
    let mut ids: Vec<&str> = subject
        .get("id")
        .and_then(Value::as_str)
        .into_iter()
        .collect();
    if let Some(Value::Array(list)) = subject.get("identifier") {
        ids.extend(
            list.iter()
                .filter_map(|i| i.get("identityHash").and_then(Value::as_str)),
        );
    }
    if !ids.contains(&issuer) {
        out.checks.push(Check::fail(
            LABEL_HOLDER,
            format!(
                "the label credential is for {}, not for the badge's issuer {issuer}",
                ids.join(", ")
            ),
        ));
        return LabelStatus::NotLabelled;
    }
    out.checks.push(Check::pass(
        LABEL_HOLDER,
        format!(
            "held by {} under {issuer}",
            crate::report::isolate(&entry.holder.name)
        ),
    ));
    if !proof_ok {
        // The check that stopped it (a `format` pass comes first and says nothing).
        let stop = report.badge.checks.iter().find(|c| {
            matches!(c.id, "format" | "proof" | "key-binding") && c.status != CheckStatus::Pass
        });
        let why = stop.map(|c| c.message.clone()).unwrap_or_default();
        if stop.is_some_and(|c| c.unverifiable) {
            out.checks.push(Check::unverifiable(
                LABEL_PROOF,
                format!("the label credential could not be verified: {why}"),
            ));
        } else {
            out.checks.push(Check::fail(
                LABEL_PROOF,
                format!("the label credential does not verify: {why}"),
            ));
        }
        return LabelStatus::Unknown;
    }
    out.checks.push(Check::pass(
        LABEL_PROOF,
        "the label credential's signature verifies",
    ));
    // Validity at `at`.
    let when = |k: &str| {
        cred.get(k)
            .and_then(Value::as_str)
            .and_then(datetime::parse)
            .map(|t| t.at)
    };
    let (from, until) = (when("validFrom"), when("validUntil"));
    if from.is_some_and(|f| at < f)
        || until.is_some_and(|u| at >= u)
        || entry.status == EntryStatus::Expired
    {
        out.checks.push(Check::fail(
            LABEL_VALIDITY,
            format!(
                "the label is valid from {} until {}",
                entry.valid_from, entry.valid_until
            ),
        ));
        out.report.held_at_issuance = Some(held_at(badge, from, until, entry));
        return LabelStatus::Expired;
    }
    out.checks.push(Check::pass(
        LABEL_VALIDITY,
        format!(
            "valid until {}",
            until
                .map(datetime::format)
                .unwrap_or_else(|| entry.valid_until.clone())
        ),
    ));
    out.report.held_at_issuance = Some(held_at(badge, from, until, entry));
    // Status: the status lists (through the credential's own status check) and the registry.
    let listed: Vec<&Check> = report
        .badge
        .checks
        .iter()
        .filter(|c| c.id == "status")
        .collect();
    let suspended = entry.status == EntryStatus::Suspended
        || listed
            .iter()
            .any(|c| c.status == CheckStatus::Fail && c.message.starts_with("suspended"));
    let withdrawn = entry.status == EntryStatus::Withdrawn
        || listed
            .iter()
            .any(|c| c.status == CheckStatus::Fail && c.message.starts_with("revoked"));
    if withdrawn {
        out.checks
            .push(Check::fail(LABEL_STATUS, "the label has been withdrawn"));
        return LabelStatus::Withdrawn;
    }
    if suspended {
        out.checks
            .push(Check::fail(LABEL_STATUS, "the label is suspended"));
        return LabelStatus::Suspended;
    }
    if let Some(c) = listed.iter().find(|c| c.unverifiable) {
        out.checks
            .push(Check::unverifiable(LABEL_STATUS, c.message.clone()));
        return LabelStatus::Unknown;
    }
    out.checks.push(Check::pass(
        LABEL_STATUS,
        "the label is active: neither suspended nor withdrawn",
    ));
    // Scope: the badge's achievement / badge class must be covered.
    if !entry.scope.is_empty() {
        let covered = badge
            .achievement
            .as_ref()
            .is_some_and(|a| entry.scope.contains(a));
        if !covered {
            out.checks.push(Check::fail(
                LABEL_SCOPE,
                format!(
                    "the label covers only {}; this badge ({}) is outside it",
                    entry.scope.join(", "),
                    badge.achievement.as_deref().unwrap_or("no achievement id")
                ),
            ));
            return LabelStatus::NotLabelled;
        }
        out.checks.push(Check::pass(
            LABEL_SCOPE,
            "the badge is within the label's scope",
        ));
    } else {
        out.checks.push(Check::pass(
            LABEL_SCOPE,
            "the label covers the holder's whole badge practice",
        ));
    }
    if report.badge.status != BadgeStatus::Valid {
        out.checks.push(Check::unverifiable(
            LABEL_PROOF,
            "the label credential could not be fully verified",
        ));
        return LabelStatus::Unknown;
    }
    LabelStatus::Labelled
}

/// Was the label active when the badge was issued?
fn held_at(
    badge: &BadgeReport,
    from: Option<OffsetDateTime>,
    until: Option<OffsetDateTime>,
    entry: &RegistryEntry,
) -> bool {
    let Some(issued) = badge
        .issued
        .as_deref()
        .and_then(datetime::parse)
        .map(|t| t.at)
    else {
        return false;
    };
    if from.is_some_and(|f| issued < f) || until.is_some_and(|u| issued >= u) {
        return false;
    }
    // The last status change before issuance decides.
    let mut status = EntryStatus::Active;
    for e in &entry.history {
        if let Some(t) = datetime::parse(&e.at) {
            if t.at <= issued {
                status = e.status;
            }
        }
    }
    status == EntryStatus::Active
}
