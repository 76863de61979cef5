//! Data Integrity proofs: `DataIntegrityProof` with `eddsa-rdfc-2022` and
//! `eddsa-jcs-2022`, and the legacy `Ed25519Signature2020`; proof sets and proof chains.

use crate::datetime;
use crate::fetch::Fetch;
use crate::jcs;
use crate::jsonld::{self, JsonLdError};
use crate::keys::{self, KeyError};
use crate::limits::Limits;
use crate::multibase;
use crate::report::{check_id, Check};
use ed25519_dalek::{Signature, Signer, SigningKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// A proof's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// `DataIntegrityProof` / `eddsa-rdfc-2022` (also the legacy name `eddsa-2022`).
    EddsaRdfc2022,
    /// `DataIntegrityProof` / `eddsa-jcs-2022`.
    EddsaJcs2022,
    /// `Ed25519Signature2020` (legacy, RDF canonicalisation).
    Ed25519Signature2020,
}

impl Suite {
    /// Whether the suite canonicalises with RDFC-1.0 (JSON-LD) rather than JCS.
    pub fn uses_rdfc(self) -> bool {
        !matches!(self, Suite::EddsaJcs2022)
    }

    fn name(self) -> &'static str {
        match self {
            Suite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Suite::EddsaJcs2022 => "eddsa-jcs-2022",
            Suite::Ed25519Signature2020 => "Ed25519Signature2020",
        }
    }

    /// The suite a proof object names, or why it names none we verify.
    pub fn of(proof: &Value) -> Result<(Suite, bool), String> {
        let ty = proof.get("type").and_then(Value::as_str);
        let cs = proof.get("cryptosuite").and_then(Value::as_str);
        match (ty, cs) {
            (Some("DataIntegrityProof"), Some("eddsa-rdfc-2022")) => {
                Ok((Suite::EddsaRdfc2022, false))
            }
            (Some("DataIntegrityProof"), Some("eddsa-jcs-2022")) => {
                Ok((Suite::EddsaJcs2022, false))
            }
            (Some("DataIntegrityProof"), Some("eddsa-2022")) => Ok((Suite::EddsaRdfc2022, true)),
            (Some("DataIntegrityProof"), Some(other)) => {
                Err(format!("unsupported cryptosuite '{other}'"))
            }
            (Some("DataIntegrityProof"), None) => {
                Err("DataIntegrityProof without a cryptosuite".into())
            }
            (Some("Ed25519Signature2020"), _) => Ok((Suite::Ed25519Signature2020, false)),
            (Some(other), _) => Err(format!("unsupported proof type '{other}'")),
            (None, _) => Err("the proof has no type".into()),
        }
    }
}

/// What the proofs of a document say: the `proof` and `key-binding` checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ProofChecks {
    pub proof: Check,
    pub key_binding: Check,
    /// Warnings worth showing (legacy suite names, VCDM 1.1, …).
    pub warnings: Vec<Check>,
}

/// Canonical form of the document without its proofs, shared by every proof that does
/// not chain to another (computed at most once per verification).
#[derive(Debug, Default)]
pub struct CanonCache {
    rdfc: Option<Result<String, JsonLdError>>,
}

impl CanonCache {
    /// The RDFC-1.0 form of `unsecured`, computed once.
    pub fn rdfc(&mut self, unsecured: &Value) -> Result<&str, JsonLdError> {
        let entry = self
            .rdfc
            .get_or_insert_with(|| jsonld::canonicalize(unsecured));
        match entry {
            Ok(s) => Ok(s.as_str()),
            Err(e) => Err(e.clone()),
        }
    }
}

enum One {
    Verified { controller: String, what: String },
    Failed(String),
    Unavailable(String),
}

/// Verifies every proof on `doc` (`unsecured` is `doc` without its proofs). `issuer` is
/// the credential's issuer id, which must control each key.
pub async fn verify_proofs(
    doc: &Map<String, Value>,
    unsecured: &Value,
    issuer: Option<&str>,
    at: OffsetDateTime,
    fetch: &impl Fetch,
    limits: Limits,
    cache: &mut CanonCache,
) -> ProofChecks {
    let mut warnings = Vec::new();
    let proofs: Vec<&Value> = match doc.get("proof") {
        None | Some(Value::Null) => {
            return ProofChecks {
                proof: Check::fail(check_id::PROOF, "the credential carries no proof"),
                key_binding: Check::skip(check_id::KEY_BINDING, "no proof to bind"),
                warnings,
            }
        }
        Some(Value::Array(a)) if a.is_empty() => {
            return ProofChecks {
                proof: Check::fail(check_id::PROOF, "the credential's proof list is empty"),
                key_binding: Check::skip(check_id::KEY_BINDING, "no proof to bind"),
                warnings,
            }
        }
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
    };
    let mut outcomes = Vec::with_capacity(proofs.len());
    for (i, proof) in proofs.iter().enumerate() {
        let label = if proofs.len() > 1 {
            format!("proof {}: ", i + 1)
        } else {
            String::new()
        };
        let outcome = verify_one(
            proof,
            &proofs,
            doc,
            unsecured,
            at,
            fetch,
            limits,
            cache,
            &mut warnings,
        )
        .await;
        outcomes.push((label, outcome));
    }

    let mut failed = None;
    let mut unavailable = None;
    let mut verified = Vec::new();
    for (label, o) in &outcomes {
        match o {
            One::Failed(m) => {
                failed.get_or_insert_with(|| format!("{label}{m}"));
            }
            One::Unavailable(m) => {
                unavailable.get_or_insert_with(|| format!("{label}{m}"));
            }
            One::Verified { controller, what } => verified.push((controller.clone(), what.clone())),
        }
    }
    let proof = if let Some(m) = failed {
        Check::fail(check_id::PROOF, m)
    } else if let Some(m) = unavailable {
        Check::unverifiable(check_id::PROOF, m)
    } else {
        let what: Vec<String> = verified.iter().map(|(_, w)| w.clone()).collect();
        Check::pass(
            check_id::PROOF,
            format!("signature verified ({})", what.join("; ")),
        )
    };
    let key_binding = if verified.is_empty() {
        Check::skip(
            check_id::KEY_BINDING,
            "no verified proof to bind to the issuer",
        )
    } else {
        match issuer {
            None => Check::fail(check_id::KEY_BINDING, "the credential names no issuer"),
            Some(issuer) => match verified.iter().find(|(c, _)| c != issuer) {
                Some((c, _)) => Check::fail(
                    check_id::KEY_BINDING,
                    format!("signed with a key controlled by {c}, not by the issuer {issuer}"),
                ),
                None => Check::pass(
                    check_id::KEY_BINDING,
                    format!("the signing key is controlled by the issuer {issuer}"),
                ),
            },
        }
    };
    ProofChecks {
        proof,
        key_binding,
        warnings,
    }
}

#[allow(clippy::too_many_arguments)]
async fn verify_one(
    proof: &Value,
    all: &[&Value],
    doc: &Map<String, Value>,
    unsecured: &Value,
    at: OffsetDateTime,
    fetch: &impl Fetch,
    limits: Limits,
    cache: &mut CanonCache,
    warnings: &mut Vec<Check>,
) -> One {
    let Some(p) = proof.as_object() else {
        return One::Failed("a proof must be a JSON object".into());
    };
    let (suite, legacy) = match Suite::of(proof) {
        Ok(s) => s,
        Err(m) if is_known_unsupported(proof) => {
            return One::Unavailable(format!("{m}: qlabel does not verify this kind of proof"))
        }
        Err(m) => return One::Failed(m),
    };
    if legacy {
        warnings.push(Check::warn(
            check_id::PROOF,
            "cryptosuite 'eddsa-2022' is the pre-standard name of 'eddsa-rdfc-2022'",
        ));
    }
    match p.get("proofPurpose").and_then(Value::as_str) {
        Some("assertionMethod") => {}
        Some(other) => {
            return One::Failed(format!(
                "proofPurpose is '{other}'; a credential needs 'assertionMethod'"
            ))
        }
        None => return One::Failed("the proof has no proofPurpose".into()),
    }
    let Some(vm) = p.get("verificationMethod").and_then(Value::as_str) else {
        return One::Failed("the proof has no verificationMethod".into());
    };
    match p.get("created") {
        Some(Value::String(c)) if datetime::parse(c).is_none() => {
            return One::Failed(format!("proof created '{c}' is not a dateTime"));
        }
        Some(Value::String(_)) => {}
        Some(_) => return One::Failed("proof created must be a dateTime string".into()),
        None if suite == Suite::Ed25519Signature2020 => {
            return One::Failed("an Ed25519Signature2020 proof needs created".into())
        }
        None => {}
    }
    if let Some(e) = p.get("expires") {
        match e.as_str().and_then(datetime::parse) {
            None => return One::Failed("proof expires is not a dateTime".into()),
            Some(t) if t.at < at => {
                return One::Failed(format!("the proof expired at {}", datetime::format(t.at)))
            }
            Some(_) => {}
        }
    }
    let Some(pv) = p.get("proofValue").and_then(Value::as_str) else {
        return One::Failed("the proof has no proofValue".into());
    };
    let sig = match multibase::decode_base58btc(pv) {
        Ok(b) => b,
        Err(m) => return One::Failed(format!("proofValue: {m}")),
    };
    let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) else {
        return One::Failed("proofValue is not a 64-byte Ed25519 signature".into());
    };

    // The document the proof covers: without proofs, plus the earlier proofs it chains to.
    let chained = match previous_proofs(p, all) {
        Ok(c) => c,
        Err(m) => return One::Failed(m),
    };
    let data = match hash_data(suite, p, doc, unsecured, chained, cache) {
        Ok(d) => d,
        Err(m) => return One::Failed(m),
    };

    let key = match keys::resolve(vm, fetch, limits).await {
        Ok(k) => k,
        Err(KeyError::Invalid(m)) => return One::Failed(m),
        Err(KeyError::Unavailable(m)) => return One::Unavailable(m),
    };
    if key
        .key
        .verify_strict(&data, &Signature::from_bytes(&sig))
        .is_err()
    {
        return One::Failed(format!(
            "the {} signature does not match the document",
            suite.name()
        ));
    }
    One::Verified {
        controller: key.controller,
        what: format!("{} by {}", suite.name(), vm),
    }
}

/// Proof types and cryptosuites that are standard but not verified by qlabel: a proof
/// of these kinds cannot be checked (unverifiable), while an unknown kind is invalid.
fn is_known_unsupported(proof: &Value) -> bool {
    const SUITES: &[&str] = &[
        "ecdsa-rdfc-2019",
        "ecdsa-jcs-2019",
        "ecdsa-sd-2023",
        "bbs-2023",
    ];
    const TYPES: &[&str] = &[
        "Ed25519Signature2018",
        "EcdsaSecp256k1Signature2019",
        "JsonWebSignature2020",
        "BbsBlsSignature2020",
        "RsaSignature2018",
    ];
    let ty = proof
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let cs = proof
        .get("cryptosuite")
        .and_then(Value::as_str)
        .unwrap_or_default();
    TYPES.contains(&ty) || (ty == "DataIntegrityProof" && SUITES.contains(&cs))
}

/// The proofs that `proof.previousProof` names, in order; `None` when it names none.
fn previous_proofs(p: &Map<String, Value>, all: &[&Value]) -> Result<Option<Vec<Value>>, String> {
    let ids: Vec<&str> = match p.get("previousProof") {
        None => return Ok(None),
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| "previousProof entries must be strings".to_string())
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("previousProof must be a string or a list of strings".into()),
    };
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let m = all
            .iter()
            .find(|q| q.get("id").and_then(Value::as_str) == Some(id))
            .ok_or_else(|| format!("previousProof '{id}' is not among the proofs"))?;
        found.push((*m).clone());
    }
    Ok(Some(found))
}

/// sha256(canonical proof configuration) ‖ sha256(canonical document).
fn hash_data(
    suite: Suite,
    p: &Map<String, Value>,
    doc: &Map<String, Value>,
    unsecured: &Value,
    chained: Option<Vec<Value>>,
    cache: &mut CanonCache,
) -> Result<Vec<u8>, String> {
    let mut config = p.clone();
    config.remove("proofValue");
    let doc_context = doc.get("@context");
    let covered = chained.map(|prev| {
        let mut d = unsecured.as_object().cloned().unwrap_or_default();
        d.insert("proof".into(), Value::Array(prev));
        Value::Object(d)
    });
    let (config_c, doc_c) = if suite.uses_rdfc() {
        if let Some(pc) = config.get("@context") {
            if Some(pc) != doc_context {
                return Err("the proof's @context differs from the document's".into());
            }
        }
        match doc_context {
            Some(c) => config.insert("@context".into(), c.clone()),
            None => return Err("the document has no @context".into()),
        };
        let config_c = jsonld::canonicalize(&Value::Object(config))
            .map_err(|e| format!("proof options: {e}"))?;
        let doc_c = match &covered {
            Some(d) => jsonld::canonicalize(d).map_err(|e| e.to_string())?,
            None => cache
                .rdfc(unsecured)
                .map_err(|e| e.to_string())?
                .to_string(),
        };
        (config_c, doc_c)
    } else {
        if let Some(pc) = config.get("@context") {
            if !context_starts_with(doc_context, pc) {
                return Err(
                    "the document's @context does not start with the proof's @context".into(),
                );
            }
        }
        let config_c = jcs::canonicalize(&Value::Object(config));
        let doc_c = jcs::canonicalize(covered.as_ref().unwrap_or(unsecured));
        (config_c, doc_c)
    };
    let mut data = Sha256::digest(config_c.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(doc_c.as_bytes()));
    Ok(data)
}

fn context_starts_with(doc: Option<&Value>, prefix: &Value) -> bool {
    let as_vec = |v: &Value| match v {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let Some(doc) = doc else { return false };
    let (d, p) = (as_vec(doc), as_vec(prefix));
    d.len() >= p.len() && d[..p.len()] == p[..]
}

/// Options for a new proof.
#[derive(Debug, Clone)]
pub struct SignOptions {
    pub suite: Suite,
    /// The verification method id written into the proof.
    pub verification_method: String,
    /// `created`; omitted when `None`.
    pub created: Option<OffsetDateTime>,
    /// An `id` for the proof (needed when later proofs chain to it).
    pub id: Option<String>,
    /// Ids of existing proofs this one chains to (`previousProof`).
    pub previous: Vec<String>,
}

impl SignOptions {
    /// The proof options (the proof without `proofValue`) these options describe.
    pub fn proof_config(&self) -> Map<String, Value> {
        let mut proof = Map::new();
        if let Some(id) = &self.id {
            proof.insert("id".into(), Value::String(id.clone()));
        }
        match self.suite {
            Suite::Ed25519Signature2020 => {
                proof.insert("type".into(), "Ed25519Signature2020".into());
            }
            s => {
                proof.insert("type".into(), "DataIntegrityProof".into());
                proof.insert("cryptosuite".into(), s.name().into());
            }
        }
        if let Some(c) = self.created {
            proof.insert("created".into(), datetime::format(c).into());
        }
        proof.insert(
            "verificationMethod".into(),
            self.verification_method.clone().into(),
        );
        proof.insert("proofPurpose".into(), "assertionMethod".into());
        match self.previous.as_slice() {
            [] => {}
            [one] => {
                proof.insert("previousProof".into(), one.clone().into());
            }
            many => {
                proof.insert(
                    "previousProof".into(),
                    many.iter().cloned().map(Value::String).collect(),
                );
            }
        }
        proof
    }
}

/// Adds a proof to `doc` (a proof set when it already has one; a chain when
/// `options.previous` names earlier proofs). The proof purpose is `assertionMethod`.
pub fn sign(doc: &Value, key: &SigningKey, options: &SignOptions) -> Result<Value, crate::Error> {
    if options.created.is_none() && options.suite == Suite::Ed25519Signature2020 {
        return Err(crate::Error::Sign(
            "Ed25519Signature2020 needs a created time".into(),
        ));
    }
    sign_with_config(doc, key, options.suite, options.proof_config())
}

const ED25519_2020_CONTEXT: &str = "https://w3id.org/security/suites/ed25519-2020/v1";

fn add_context(doc: &mut Map<String, Value>, url: &str) -> Result<(), crate::Error> {
    let ctx = doc
        .get_mut("@context")
        .ok_or_else(|| crate::Error::Sign("the document has no @context".into()))?;
    let mut list = match ctx.take() {
        Value::Array(a) => a,
        other => vec![other],
    };
    if !list.iter().any(|c| c == url) {
        list.push(Value::String(url.into()));
    }
    *ctx = Value::Array(list);
    Ok(())
}

/// Adds a proof made from exactly these proof options, hashed and canonicalised as
/// `suite` does. Used by [`sign`], and by tests that need unusual proofs.
pub fn sign_with_config(
    doc: &Value,
    key: &SigningKey,
    suite: Suite,
    config: Map<String, Value>,
) -> Result<Value, crate::Error> {
    use crate::Error;
    let obj = doc
        .as_object()
        .ok_or_else(|| Error::Sign("the document must be a JSON object".into()))?;
    let existing: Vec<Value> = match obj.get("proof") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(p) => vec![p.clone()],
    };
    let mut obj = obj.clone();
    if suite == Suite::Ed25519Signature2020 {
        // The legacy suite's terms live in its own context, which the document carries.
        add_context(&mut obj, ED25519_2020_CONTEXT)?;
    }
    let mut unsecured = obj.clone();
    unsecured.remove("proof");
    let context = unsecured
        .get("@context")
        .cloned()
        .ok_or_else(|| Error::Sign("the document has no @context".into()))?;
    let all: Vec<&Value> = existing.iter().collect();
    let covered = match previous_proofs(&config, &all).map_err(Error::Sign)? {
        Some(prev) => {
            let mut d = unsecured.clone();
            d.insert("proof".into(), Value::Array(prev));
            Value::Object(d)
        }
        None => Value::Object(unsecured),
    };
    let mut proof = config;
    let (config_c, doc_c) = if suite.uses_rdfc() {
        let mut hashed = proof.clone();
        hashed.insert("@context".into(), context);
        proof.remove("@context");
        (
            jsonld::canonicalize(&Value::Object(hashed))?,
            jsonld::canonicalize(&covered)?,
        )
    } else {
        // eddsa-jcs-2022 keeps the document's @context in the proof.
        if !proof.contains_key("@context") {
            proof.insert("@context".into(), context);
        }
        (
            jcs::canonicalize(&Value::Object(proof.clone())),
            jcs::canonicalize(&covered),
        )
    };
    let mut data = Sha256::digest(config_c.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(doc_c.as_bytes()));
    let sig = key.sign(&data);
    proof.insert(
        "proofValue".into(),
        multibase::encode_base58btc(&sig.to_bytes()).into(),
    );
    let mut out = obj;
    let proof = Value::Object(proof);
    out.insert(
        "proof".into(),
        if existing.is_empty() {
            proof
        } else {
            let mut all = existing;
            all.push(proof);
            Value::Array(all)
        },
    );
    Ok(Value::Object(out))
}

/// Verifies the single Data Integrity proof of `doc` with a key the caller already trusts
/// (a trust anchor's), without resolving its verification method. Returns the
/// verification method the proof names, so the caller can check that it is the key it
/// meant.
pub fn verify_with_key(
    doc: &Map<String, Value>,
    key: &ed25519_dalek::VerifyingKey,
) -> Result<String, String> {
    let proof = match doc.get("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(a)) if a.len() == 1 => a[0]
            .as_object()
            .ok_or_else(|| "the proof is not an object".to_string())?,
        Some(_) => return Err("expected exactly one proof".into()),
        None => return Err("no proof".into()),
    };
    let (suite, _) = Suite::of(&Value::Object(proof.clone()))?;
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err("proofPurpose must be assertionMethod".into());
    }
    let vm = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or("the proof names no verificationMethod")?
        .to_string();
    let sig = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or("the proof has no proofValue")
        .map(multibase::decode_base58btc)?
        .map_err(|e| format!("proofValue: {e}"))?;
    let sig = <[u8; 64]>::try_from(sig.as_slice()).map_err(|_| "not a 64-byte signature")?;
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    let unsecured = Value::Object(unsecured);
    let mut cache = CanonCache::default();
    let data = hash_data(suite, proof, doc, &unsecured, None, &mut cache)?;
    key.verify_strict(&data, &Signature::from_bytes(&sig))
        .map_err(|_| format!("the {} signature does not match the document", suite.name()))?;
    Ok(vm)
}
