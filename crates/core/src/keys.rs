//! Verification methods: from a `verificationMethod` URL to an Ed25519 key and the
//! party that controls it. `did:key` is resolved offline; HTTP(S) key documents and
//! issuer profiles come through [`Fetch`].

use crate::fetch::{Expect, Fetch};
use crate::limits::{parse_json, Limits};
use crate::multibase;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

/// A resolved verification method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedKey {
    pub id: String,
    pub controller: String,
    pub key: VerifyingKey,
}

/// Why a key could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The key is malformed or the method unusable: the proof fails.
    Invalid(String),
    /// The key could not be obtained (network, unsupported method): unverifiable.
    Unavailable(String),
}

/// Resolves a verification method to its key and controller.
pub async fn resolve(
    vm: &str,
    fetch: &impl Fetch,
    limits: Limits,
) -> Result<ResolvedKey, KeyError> {
    if vm.starts_with("did:key:") {
        let (did, key) = multibase::resolve_did_key(vm).map_err(KeyError::Invalid)?;
        return Ok(ResolvedKey {
            id: vm.to_string(),
            controller: did,
            key,
        });
    }
    if let Some(method) = vm.strip_prefix("did:") {
        let name = method.split(':').next().unwrap_or_default();
        return Err(KeyError::Unavailable(format!(
            "DID method did:{name} is not resolved by this version of qlabel"
        )));
    }
    if !(vm.starts_with("https://") || vm.starts_with("http://")) {
        // A URI of another scheme (urn:, …) names a key but cannot be dereferenced:
        // that is unverifiable, not false. Text that is no URI at all is invalid.
        return Err(if crate::vc::is_url(vm) {
            KeyError::Unavailable(format!(
                "the verification method {vm} cannot be dereferenced (neither a DID URL nor an HTTP(S) URL)"
            ))
        } else {
            KeyError::Invalid(format!("verification method '{vm}' is not a URL"))
        });
    }
    let base = vm.split('#').next().unwrap_or(vm);
    let doc = fetch_json(base, fetch, limits).await?;
    let (method, holder) = find_method(&doc, vm).ok_or_else(|| {
        KeyError::Invalid(format!(
            "{base} does not contain the verification method {vm}"
        ))
    })?;
    let key = key_of(method)?;
    let controller = match method.get("controller").and_then(Value::as_str) {
        Some(c) => c.to_string(),
        None => holder
            .ok_or_else(|| KeyError::Invalid(format!("{vm} names no controller")))?
            .to_string(),
    };
    // The controller must list the method: read its document unless we already have it.
    let listed = if holder == Some(controller.as_str()) {
        lists_method(&doc, vm)
    } else if controller.starts_with("https://") || controller.starts_with("http://") {
        let cdoc = fetch_json(
            controller.split('#').next().unwrap_or(&controller),
            fetch,
            limits,
        )
        .await?;
        cdoc.get("id").and_then(Value::as_str) == Some(controller.as_str())
            && lists_method(&cdoc, vm)
    } else {
        false
    };
    if !listed {
        return Err(KeyError::Invalid(format!(
            "the controller {controller} does not list {vm} among its keys"
        )));
    }
    Ok(ResolvedKey {
        id: vm.to_string(),
        controller,
        key,
    })
}

async fn fetch_json(url: &str, fetch: &impl Fetch, limits: Limits) -> Result<Value, KeyError> {
    let fetched = fetch
        .fetch(url, Expect::Json)
        .await
        .map_err(|e| KeyError::Unavailable(format!("key document not available: {e}")))?;
    parse_json(&fetched.body, limits)
        .map_err(|e| KeyError::Invalid(format!("key document {url} is unreadable: {e}")))
}

/// The method object with id `vm` in `doc`, and the id of the document holding it when
/// it is embedded in a controller document.
fn find_method<'a>(doc: &'a Value, vm: &str) -> Option<(&'a Value, Option<&'a str>)> {
    let doc_id = doc.get("id").and_then(Value::as_str);
    if doc_id == Some(vm) {
        return Some((doc, None));
    }
    for rel in ["verificationMethod", "assertionMethod"] {
        for m in as_list(doc.get(rel)) {
            if m.is_object() && same_id(m.get("id").and_then(Value::as_str), vm, doc_id) {
                return Some((m, doc_id));
            }
        }
    }
    None
}

/// Does the controller document list `vm` for assertions (by reference or embedded)?
fn lists_method(doc: &Value, vm: &str) -> bool {
    let doc_id = doc.get("id").and_then(Value::as_str);
    ["assertionMethod", "verificationMethod"].iter().any(|rel| {
        as_list(doc.get(*rel)).any(|m| {
            let id = m.as_str().or_else(|| m.get("id").and_then(Value::as_str));
            same_id(id, vm, doc_id)
        })
    })
}

fn same_id(id: Option<&str>, vm: &str, doc_id: Option<&str>) -> bool {
    match id {
        Some(id) if id == vm => true,
        Some(id) if id.starts_with('#') => doc_id.is_some_and(|d| format!("{d}{id}") == vm),
        _ => false,
    }
}

fn as_list(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    let slice: &[Value] = match v {
        Some(Value::Array(a)) => a,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    };
    slice.iter()
}

/// The Ed25519 key in a Multikey, Ed25519VerificationKey2020/2018 or JsonWebKey method.
pub fn key_of(method: &Value) -> Result<VerifyingKey, KeyError> {
    if let Some(mb) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        return multibase::ed25519_public_from_multibase(mb).map_err(KeyError::Invalid);
    }
    if let Some(b58) = method.get("publicKeyBase58").and_then(Value::as_str) {
        return multibase::ed25519_public_from_base58(b58).map_err(KeyError::Invalid);
    }
    if let Some(jwk) = method.get("publicKeyJwk") {
        let ok = jwk.get("kty").and_then(Value::as_str) == Some("OKP")
            && jwk.get("crv").and_then(Value::as_str) == Some("Ed25519");
        let x = jwk
            .get("x")
            .and_then(Value::as_str)
            .filter(|_| ok)
            .ok_or_else(|| {
                KeyError::Invalid("only Ed25519 (OKP) JSON Web Keys are supported here".into())
            })?;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(x)
            .map_err(|_| KeyError::Invalid("JWK x is not base64url".into()))?;
        let raw: [u8; 32] = raw
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::Invalid("an Ed25519 JWK has 32 bytes".into()))?;
        return VerifyingKey::from_bytes(&raw)
            .map_err(|_| KeyError::Invalid("not an Ed25519 point".into()));
    }
    Err(KeyError::Invalid(
        "the verification method carries no Ed25519 key (publicKeyMultibase, publicKeyBase58 or publicKeyJwk)".into(),
    ))
}
