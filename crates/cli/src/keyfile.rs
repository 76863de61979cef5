//! The key file: a Multikey document with its secret, as Digital Bazaar's
//! `@digitalbazaar/ed25519-multikey` exports it, so keys move between the two.

pub use ed25519_dalek::SigningKey;
use qlabel_core::multibase;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// The key file text for a key whose controller is its own did:key.
pub fn to_json(key: &SigningKey) -> String {
    let public = multibase::ed25519_public_to_multibase(&key.verifying_key());
    let did = format!("did:key:{public}");
    let doc = json!({
        "@context": "https://w3id.org/security/multikey/v1",
        "type": "Multikey",
        "id": format!("{did}#{public}"),
        "controller": did,
        "publicKeyMultibase": public,
        "secretKeyMultibase": multibase::ed25519_secret_to_multibase(key),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Reads a key file: the signing key and the verification method id to sign with.
pub fn from_json(text: &str) -> Result<(SigningKey, String), String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not a key file: {e}"))?;
    let secret = doc
        .get("secretKeyMultibase")
        .or_else(|| doc.get("privateKeyMultibase"))
        .and_then(Value::as_str)
        .ok_or("the key file has no secretKeyMultibase")?;
    let key = multibase::ed25519_secret_from_multibase(secret).map_err(|e| e.to_string())?;
    let public = multibase::ed25519_public_to_multibase(&key.verifying_key());
    if let Some(p) = doc.get("publicKeyMultibase").and_then(Value::as_str) {
        if p != public {
            return Err("publicKeyMultibase does not match the secret key".into());
        }
    }
    let id = match doc.get("id").and_then(Value::as_str) {
        Some(id) if id.starts_with('#') => format!(
            "{}{id}",
            doc.get("controller")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ),
        Some(id) => id.to_string(),
        None => format!("did:key:{public}#{public}"),
    };
    Ok((key, id))
}

/// Writes a secret key file: created new (never over another file), mode 0600.
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.write_all(b"\n"))
        .map_err(|e| format!("{}: {e}", path.display()))
}
