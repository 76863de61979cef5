//! Verification methods and keys: from a key reference (`verificationMethod`, a JWS
//! `kid`) to a public key and the party that controls it.
//!
//! - `did:key` and `did:jwk` are resolved offline;
//! - `did:web` fetches `did.json` over https (through [`Fetch`]);
//! - HTTP(S) key documents and controller documents (Multikey, JsonWebKey,
//!   Ed25519VerificationKey2020/2018, OB 2.0 `CryptographicKey` with a PEM key).
//!
//! A key counts only when its controller's document lists it (`assertionMethod` or
//! `verificationMethod`); the caller then checks that the controller is the issuer.

use crate::fetch::{Expect, Fetch};
use crate::limits::{parse_json, Limits};
use crate::multibase;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

/// A public key of one of the algorithms badges are signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Ed25519(VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

impl PublicKey {
    /// A short name for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            PublicKey::Ed25519(_) => "Ed25519",
            PublicKey::P256(_) => "P-256",
            PublicKey::Rsa(_) => "RSA",
        }
    }
}

/// A resolved Ed25519 verification method (what Data Integrity eddsa proofs use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedKey {
    pub id: String,
    pub controller: String,
    pub key: VerifyingKey,
}

/// A resolved verification method of any supported algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPublicKey {
    pub id: String,
    pub controller: String,
    pub key: PublicKey,
}

/// Why a key could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The key is malformed or the method unusable: the proof fails.
    Invalid(String),
    /// The key could not be obtained (network, unsupported method): unverifiable.
    Unavailable(String),
}

/// Resolves an Ed25519 verification method to its key and controller.
pub async fn resolve(
    vm: &str,
    fetch: &impl Fetch,
    limits: Limits,
) -> Result<ResolvedKey, KeyError> {
    let r = resolve_public(vm, fetch, limits).await?;
    match r.key {
        PublicKey::Ed25519(key) => Ok(ResolvedKey {
            id: r.id,
            controller: r.controller,
            key,
        }),
        other => Err(KeyError::Invalid(format!(
            "{vm} is a {} key; this proof needs an Ed25519 key",
            other.kind()
        ))),
    }
}

/// Resolves a verification method of any supported kind to its key and controller.
pub async fn resolve_public(
    vm: &str,
    fetch: &impl Fetch,
    limits: Limits,
) -> Result<ResolvedPublicKey, KeyError> {
    if vm.starts_with("did:key:") {
        let (did, key) = multibase::resolve_did_key(vm).map_err(KeyError::Invalid)?;
        return Ok(ResolvedPublicKey {
            id: vm.to_string(),
            controller: did,
            key: PublicKey::Ed25519(key),
        });
    }
    if let Some(rest) = vm.strip_prefix("did:jwk:") {
        return resolve_did_jwk(vm, rest);
    }
    if vm.starts_with("did:web:") {
        return resolve_did_web(vm, fetch, limits).await;
    }
    if let Some(method) = vm.strip_prefix("did:") {
        let name = method.split(':').next().unwrap_or_default();
        return Err(KeyError::Unavailable(format!(
            "DID method did:{name} is not resolved by qlabel"
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
    let controller = match method
        .get("controller")
        .or_else(|| method.get("owner"))
        .and_then(Value::as_str)
    {
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
    Ok(ResolvedPublicKey {
        id: vm.to_string(),
        controller,
        key,
    })
}

/// `did:jwk:<base64url JSON>`, optionally with the fragment `#0`.
fn resolve_did_jwk(vm: &str, rest: &str) -> Result<ResolvedPublicKey, KeyError> {
    let (encoded, fragment) = match rest.split_once('#') {
        Some((e, f)) => (e, Some(f)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| f != "0") {
        return Err(KeyError::Invalid(format!(
            "{vm}: a did:jwk has only the key #0"
        )));
    }
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| KeyError::Invalid(format!("{vm}: not base64url")))?;
    let jwk: Value = serde_json::from_slice(&raw)
        .map_err(|_| KeyError::Invalid(format!("{vm}: not a JSON Web Key")))?;
    if jwk.get("d").is_some() {
        return Err(KeyError::Invalid(format!("{vm} carries a private key")));
    }
    Ok(ResolvedPublicKey {
        id: vm.to_string(),
        controller: format!("did:jwk:{encoded}"),
        key: public_key_from_jwk(&jwk)?,
    })
}

/// The https URL of a did:web DID's document.
pub fn did_web_url(did: &str) -> Result<String, KeyError> {
    let rest = did
        .strip_prefix("did:web:")
        .ok_or_else(|| KeyError::Invalid(format!("{did} is not a did:web")))?;
    let mut parts = rest.split(':');
    let host = parts
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| KeyError::Invalid(format!("{did} names no host")))?
        .replace("%3A", ":")
        .replace("%3a", ":");
    if host.contains('/') || host.contains('@') || host.contains('%') {
        return Err(KeyError::Invalid(format!("{did} has an invalid host")));
    }
    let path: Vec<&str> = parts.collect();
    if path
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('/'))
    {
        return Err(KeyError::Invalid(format!("{did} has an invalid path")));
    }
    Ok(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

async fn resolve_did_web(
    vm: &str,
    fetch: &impl Fetch,
    limits: Limits,
) -> Result<ResolvedPublicKey, KeyError> {
    let did = vm.split('#').next().unwrap_or(vm);
    let url = did_web_url(did)?;
    let doc = fetch_json(&url, fetch, limits).await?;
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(KeyError::Invalid(format!(
            "the DID document at {url} is not the document of {did}"
        )));
    }
    let (method, _) = find_method(&doc, vm)
        .ok_or_else(|| KeyError::Invalid(format!("{did} has no verification method {vm}")))?;
    if !lists_method(&doc, vm) {
        return Err(KeyError::Invalid(format!("{did} does not list {vm}")));
    }
    if let Some(c) = method.get("controller").and_then(Value::as_str) {
        if c != did {
            return Err(KeyError::Invalid(format!(
                "{vm} is controlled by {c}, not by {did}"
            )));
        }
    }
    Ok(ResolvedPublicKey {
        id: vm.to_string(),
        controller: did.to_string(),
        key: key_of(method)?,
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
    for rel in ["verificationMethod", "assertionMethod", "publicKey"] {
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
    ["assertionMethod", "verificationMethod", "publicKey"]
        .iter()
        .any(|rel| {
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

/// The key in a verification method: `publicKeyMultibase` (Multikey,
/// Ed25519VerificationKey2020), `publicKeyBase58` (2018), `publicKeyJwk`, `publicKeyPem`.
pub fn key_of(method: &Value) -> Result<PublicKey, KeyError> {
    if let Some(mb) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        return multibase::ed25519_public_from_multibase(mb)
            .map(PublicKey::Ed25519)
            .map_err(KeyError::Invalid);
    }
    if let Some(b58) = method.get("publicKeyBase58").and_then(Value::as_str) {
        return multibase::ed25519_public_from_base58(b58)
            .map(PublicKey::Ed25519)
            .map_err(KeyError::Invalid);
    }
    if let Some(jwk) = method.get("publicKeyJwk") {
        return public_key_from_jwk(jwk);
    }
    if let Some(pem) = method.get("publicKeyPem").and_then(Value::as_str) {
        return public_key_from_pem(pem);
    }
    Err(KeyError::Invalid(
        "the verification method carries no key (publicKeyMultibase, publicKeyBase58, publicKeyJwk or publicKeyPem)".into(),
    ))
}

fn b64url(v: Option<&Value>, what: &str) -> Result<Vec<u8>, KeyError> {
    let s = v
        .and_then(Value::as_str)
        .ok_or_else(|| KeyError::Invalid(format!("the JWK has no {what}")))?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|_| KeyError::Invalid(format!("the JWK's {what} is not base64url")))
}

/// A public key from a JSON Web Key: OKP/Ed25519, EC/P-256, RSA (2048 bits or more).
pub fn public_key_from_jwk(jwk: &Value) -> Result<PublicKey, KeyError> {
    let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or_default();
    let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
    match (kty, crv) {
        ("OKP", "Ed25519") => {
            let x = b64url(jwk.get("x"), "x")?;
            let raw: [u8; 32] = x
                .as_slice()
                .try_into()
                .map_err(|_| KeyError::Invalid("an Ed25519 JWK has 32 bytes".into()))?;
            VerifyingKey::from_bytes(&raw)
                .map(PublicKey::Ed25519)
                .map_err(|_| KeyError::Invalid("not an Ed25519 point".into()))
        }
        ("EC", "P-256") => {
            let x = b64url(jwk.get("x"), "x")?;
            let y = b64url(jwk.get("y"), "y")?;
            if x.len() != 32 || y.len() != 32 {
                return Err(KeyError::Invalid("a P-256 JWK has 32-byte x and y".into()));
            }
            let mut sec1 = vec![4u8];
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
            p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                .map(PublicKey::P256)
                .map_err(|_| KeyError::Invalid("not a P-256 point".into()))
        }
        ("RSA", _) => {
            let n = b64url(jwk.get("n"), "n")?;
            let e = b64url(jwk.get("e"), "e")?;
            rsa_key(
                rsa::BigUint::from_bytes_be(&n),
                rsa::BigUint::from_bytes_be(&e),
            )
        }
        _ => Err(KeyError::Invalid(format!(
            "unsupported JSON Web Key (kty '{}', crv '{}'); qlabel reads Ed25519, P-256 and RSA keys",
            kty,
            crv
        ))),
    }
}

fn rsa_key(n: rsa::BigUint, e: rsa::BigUint) -> Result<PublicKey, KeyError> {
    let key = rsa::RsaPublicKey::new(n, e)
        .map_err(|e| KeyError::Invalid(format!("not a usable RSA key: {e}")))?;
    use rsa::traits::PublicKeyParts;
    if key.size() * 8 < 2048 {
        return Err(KeyError::Invalid(format!(
            "the RSA key has {} bits; at least 2048 are needed",
            key.size() * 8
        )));
    }
    Ok(PublicKey::Rsa(key))
}

/// A public key from PEM: SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`, RSA or P-256) or
/// PKCS#1 (`BEGIN RSA PUBLIC KEY`), as OB 2.0 `CryptographicKey.publicKeyPem` carries.
pub fn public_key_from_pem(pem: &str) -> Result<PublicKey, KeyError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let pem = pem.trim().replace("\r\n", "\n");
    if pem.len() > 16 * 1024 {
        return Err(KeyError::Invalid("the PEM key is too long".into()));
    }
    if pem.contains("BEGIN RSA PUBLIC KEY") {
        let k = rsa::RsaPublicKey::from_pkcs1_pem(&pem)
            .map_err(|e| KeyError::Invalid(format!("unreadable RSA PEM key: {e}")))?;
        return rsa_key(k.n().clone(), k.e().clone());
    }
    if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(&pem) {
        return rsa_key(k.n().clone(), k.e().clone());
    }
    if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_pem(&pem) {
        return Ok(PublicKey::P256(k));
    }
    Err(KeyError::Invalid(
        "unreadable PEM public key (RSA or P-256 SubjectPublicKeyInfo expected)".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("did:web:example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf").unwrap(),
            "https://digitalcredentials.github.io/vc-test-fixtures/dids/oidf/did.json"
        );
        assert_eq!(
            did_web_url("did:web:localhost%3A8443:u:alice").unwrap(),
            "https://localhost:8443/u/alice/did.json"
        );
        assert!(did_web_url("did:web:example.com:..:x").is_err());
        assert!(did_web_url("did:web:").is_err());
    }

    #[test]
    fn did_jwk_round_trip() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]);
        let x =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
        let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#);
        let did = format!(
            "did:jwk:{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(jwk.as_bytes())
        );
        let r = resolve_did_jwk(&format!("{did}#0"), did.trim_start_matches("did:jwk:")).unwrap();
        assert_eq!(r.controller, did);
        assert_eq!(r.key, PublicKey::Ed25519(key.verifying_key()));
        assert!(resolve_did_jwk("did:jwk:xx#1", "xx#1").is_err());
    }

    #[test]
    fn small_rsa_keys_are_refused() {
        let jwk = serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"});
        assert!(matches!(
            public_key_from_jwk(&jwk),
            Err(KeyError::Invalid(_))
        ));
    }
}
