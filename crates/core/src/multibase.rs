//! Multibase base58btc and multicodec prefixes for Ed25519 keys, and `did:key`.

use crate::error::Error;
use ed25519_dalek::{SigningKey, VerifyingKey};

const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

/// Decodes a multibase string that must be base58btc (`z` prefix).
pub fn decode_base58btc(s: &str) -> Result<Vec<u8>, String> {
    let rest = s
        .strip_prefix('z')
        .ok_or_else(|| "not multibase base58btc (it must start with 'z')".to_string())?;
    if rest.len() > 256 {
        return Err("multibase value is too long".into());
    }
    bs58::decode(rest)
        .into_vec()
        .map_err(|e| format!("invalid base58btc: {e}"))
}

/// Encodes bytes as multibase base58btc.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Reads an Ed25519 public key from `publicKeyMultibase` (multicodec 0xed01 + 32 bytes).
pub fn ed25519_public_from_multibase(s: &str) -> Result<VerifyingKey, String> {
    let bytes = decode_base58btc(s)?;
    let raw = bytes
        .strip_prefix(&ED25519_PUB)
        .ok_or_else(|| "not an Ed25519 public key (multicodec 0xed)".to_string())?;
    let raw: [u8; 32] = raw
        .try_into()
        .map_err(|_| "an Ed25519 public key has 32 bytes".to_string())?;
    VerifyingKey::from_bytes(&raw).map_err(|_| "not a valid Ed25519 point".to_string())
}

/// Reads the raw 32-byte Ed25519 public key of the 2018/2020 key types
/// (`publicKeyBase58`, no multicodec prefix).
pub fn ed25519_public_from_base58(s: &str) -> Result<VerifyingKey, String> {
    let raw = bs58::decode(s)
        .into_vec()
        .map_err(|e| format!("invalid base58: {e}"))?;
    let raw: [u8; 32] = raw
        .as_slice()
        .try_into()
        .map_err(|_| "an Ed25519 public key has 32 bytes".to_string())?;
    VerifyingKey::from_bytes(&raw).map_err(|_| "not a valid Ed25519 point".to_string())
}

/// The `publicKeyMultibase` form of a key.
pub fn ed25519_public_to_multibase(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    encode_base58btc(&bytes)
}

/// Reads an Ed25519 secret key from `secretKeyMultibase` (multicodec 0x8026 followed by
/// the 32-byte seed, or by seed ‖ public key as some implementations write it).
pub fn ed25519_secret_from_multibase(s: &str) -> Result<SigningKey, Error> {
    let bytes = decode_base58btc(s).map_err(Error::Key)?;
    let raw = bytes
        .strip_prefix(&ED25519_PRIV)
        .ok_or_else(|| Error::Key("not an Ed25519 secret key (multicodec 0x1300)".into()))?;
    let seed: [u8; 32] = match raw.len() {
        32 | 64 => raw[..32]
            .try_into()
            .map_err(|_| Error::Key("bad secret key length".into()))?,
        n => {
            return Err(Error::Key(format!(
                "an Ed25519 secret key has 32 bytes, not {n}"
            )))
        }
    };
    let key = SigningKey::from_bytes(&seed);
    if raw.len() == 64 && key.verifying_key().as_bytes() != &raw[32..] {
        return Err(Error::Key(
            "the secret key does not match its public half".into(),
        ));
    }
    Ok(key)
}

/// The `secretKeyMultibase` form (0x8026 + 32-byte seed).
pub fn ed25519_secret_to_multibase(key: &SigningKey) -> String {
    let mut bytes = ED25519_PRIV.to_vec();
    bytes.extend_from_slice(&key.to_bytes());
    encode_base58btc(&bytes)
}

/// The `did:key` of an Ed25519 public key.
pub fn did_key(key: &VerifyingKey) -> String {
    format!("did:key:{}", ed25519_public_to_multibase(key))
}

/// Resolves a `did:key` DID or DID URL to its Ed25519 key. The fragment, when present,
/// must name the key itself.
pub fn resolve_did_key(did_url: &str) -> Result<(String, VerifyingKey), String> {
    let rest = did_url
        .strip_prefix("did:key:")
        .ok_or_else(|| "not a did:key".to_string())?;
    let (mb, fragment) = match rest.split_once('#') {
        Some((mb, f)) => (mb, Some(f)),
        None => (rest, None),
    };
    if let Some(f) = fragment {
        if f != mb {
            return Err(format!("did:key fragment '{f}' does not name the key"));
        }
    }
    let key = cached_public_key(mb)?;
    Ok((format!("did:key:{mb}"), key))
}

/// Decoding a key means decompressing a curve point (about a tenth of a verification);
/// batch checks and profile pages meet the same issuers' keys again and again, so the
/// last few are kept.
fn cached_public_key(mb: &str) -> Result<VerifyingKey, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    const CAPACITY: usize = 256;
    static CACHE: OnceLock<Mutex<HashMap<String, VerifyingKey>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(k) = cache.lock().ok().and_then(|c| c.get(mb).copied()) {
        return Ok(k);
    }
    let key = ed25519_public_from_multibase(mb)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CAPACITY {
            c.clear();
        }
        c.insert(mb.to_string(), key);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3c_key_pair_round_trips() {
        // vc-di-eddsa TestVectors/keyPair.json
        let sk = ed25519_secret_from_multibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .unwrap();
        assert_eq!(
            ed25519_public_to_multibase(&sk.verifying_key()),
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        assert_eq!(
            ed25519_secret_to_multibase(&sk),
            "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        );
    }

    #[test]
    fn rejects_non_base58btc_and_wrong_codec() {
        assert!(decode_base58btc("uAAAA").is_err());
        assert!(
            ed25519_public_from_multibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
                .is_err()
        );
        assert!(
            resolve_did_key("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other")
                .is_err()
        );
        assert!(resolve_did_key("did:key:@invalidVm@").is_err());
    }
}
