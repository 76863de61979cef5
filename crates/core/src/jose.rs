//! Compact JSON Web Signatures (RFC 7515): parsing and verification with the keys of
//! [`crate::keys`].
//!
//! Supported algorithms: `EdDSA` (also spelled `Ed25519`) with Ed25519 keys (strict
//! verification), `ES256` with P-256 keys (64-byte `r‖s` signatures only, never DER),
//! `RS256` (RSASSA-PKCS1-v1_5 with SHA-256) and `PS256` (RSASSA-PSS with SHA-256, salt
//! of 32 bytes) with RSA keys of 2048 bits or more. `none` and the HMAC algorithms
//! (`HS256`, …) are refused: an unsigned token proves nothing, and a shared secret cannot
//! show who issued a badge. The algorithm the header names must fit the key.

use crate::keys::PublicKey;
use crate::limits::{parse_json, Limits};
use base64::Engine;
use serde_json::{Map, Value};

/// A parsed compact JWS.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    /// The protected header (a JSON object).
    pub header: Map<String, Value>,
    /// The payload, base64url-decoded.
    pub payload: Vec<u8>,
    /// The signature, base64url-decoded (empty for an unsigned token).
    pub signature: Vec<u8>,
    /// What the signature covers: `BASE64URL(header) '.' BASE64URL(payload)`.
    pub signing_input: String,
}

impl Jws {
    /// The `alg` header parameter.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The `kid` header parameter.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

/// Why a JWS could not be read or does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JoseError {
    /// The token is larger than the limit.
    #[error("the token is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    /// Not three dot-separated parts.
    #[error("a compact JWS has three parts separated by dots; this text has {0}")]
    NotCompact(usize),
    /// A part is not unpadded base64url.
    #[error("the JWS {0} is not base64url (unpadded) text")]
    Base64(&'static str),
    /// The protected header is not a usable JSON object.
    #[error("the JWS header is unusable: {0}")]
    Header(String),
    /// The header marks extensions as critical that qlabel does not understand.
    #[error("the JWS header marks {0} as critical; qlabel does not understand them")]
    Critical(String),
    /// `b64: false` (RFC 7797): the payload is not base64url-encoded.
    #[error("the JWS uses an unencoded payload (b64: false), which qlabel does not accept")]
    UnencodedPayload,
    /// `none`, an HMAC algorithm, or an algorithm no one defined.
    #[error("{0}")]
    RefusedAlgorithm(String),
    /// A standard signature algorithm that qlabel does not verify.
    #[error(
        "the JWS algorithm {0} is not supported by qlabel (EdDSA, ES256, RS256 and PS256 are)"
    )]
    UnsupportedAlgorithm(String),
    /// The algorithm does not fit the key.
    #[error("the JWS algorithm {alg} does not fit the signing key, which is a {key} key")]
    KeyMismatch { alg: String, key: &'static str },
    /// The key is too weak to be trusted.
    #[error("{0}")]
    WeakKey(String),
    /// The signature has the wrong shape for its algorithm.
    #[error("the {alg} signature is malformed: {reason}")]
    MalformedSignature { alg: String, reason: String },
    /// The signature does not match the header and payload.
    #[error("the {0} signature does not match the token")]
    BadSignature(String),
}

/// The largest token [`parse_compact`] accepts by default.
pub const MAX_TOKEN_BYTES: usize = 2 * 1024 * 1024;

/// Parses a compact JWS (`header.payload.signature`, unpadded base64url), tolerating
/// white space around the token. The header must be a JSON object with an `alg`; a
/// `crit` parameter (no extension is understood) and `b64: false` are refused.
pub fn parse_compact(token: &str) -> Result<Jws, JoseError> {
    parse_compact_with(token, Limits::default())
}

/// [`parse_compact`] with explicit limits (size of the token, depth of the header).
pub fn parse_compact_with(token: &str, limits: Limits) -> Result<Jws, JoseError> {
    let jws = decode_compact(token, limits)?;
    check_header(&jws.header)?;
    Ok(jws)
}

/// Splits and decodes a compact JWS without judging its header's parameters.
pub(crate) fn decode_compact(token: &str, limits: Limits) -> Result<Jws, JoseError> {
    let limit = limits.max_bytes.min(MAX_TOKEN_BYTES);
    if token.len() > limit {
        return Err(JoseError::TooLarge {
            size: token.len(),
            limit,
        });
    }
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(JoseError::NotCompact(parts.len()));
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    if h.is_empty() {
        return Err(JoseError::Base64("header"));
    }
    let header_bytes = b64.decode(h).map_err(|_| JoseError::Base64("header"))?;
    let payload = b64.decode(p).map_err(|_| JoseError::Base64("payload"))?;
    let signature = b64.decode(s).map_err(|_| JoseError::Base64("signature"))?;
    let header = match parse_json(&header_bytes, limits) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err(JoseError::Header("it is not a JSON object".into())),
        Err(e) => return Err(JoseError::Header(e.to_string())),
    };
    match header.get("alg") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(JoseError::Header("alg must be a string".into())),
        None => return Err(JoseError::Header("it names no algorithm (alg)".into())),
    }
    Ok(Jws {
        header,
        payload,
        signature,
        signing_input: format!("{h}.{p}"),
    })
}

/// The header parameters that change how a JWS must be processed: `crit` (nothing is
/// understood, so any is refused) and `b64` (only the default, `true`, is accepted).
pub(crate) fn check_header(header: &Map<String, Value>) -> Result<(), JoseError> {
    if let Some(crit) = header.get("crit") {
        let names: Vec<String> = match crit {
            Value::Array(a) if !a.is_empty() => a
                .iter()
                .map(|v| v.as_str().map(|s| format!("'{s}'")))
                .collect::<Option<_>>()
                .ok_or_else(|| JoseError::Header("crit must be a list of names".into()))?,
            _ => {
                return Err(JoseError::Header(
                    "crit must be a non-empty list of names".into(),
                ))
            }
        };
        return Err(JoseError::Critical(names.join(", ")));
    }
    match header.get("b64") {
        None | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Err(JoseError::UnencodedPayload),
        Some(_) => return Err(JoseError::Header("b64 must be true or false".into())),
    }
    Ok(())
}

/// Verifies the signature of `jws` with `key`. The header's `alg` must fit the key:
/// `EdDSA`/`Ed25519` ↔ Ed25519, `ES256` ↔ P-256, `RS256`/`PS256` ↔ RSA.
pub fn verify_signature(jws: &Jws, key: &PublicKey) -> Result<(), JoseError> {
    check_header(&jws.header)?;
    let alg = jws.alg().unwrap_or_default();
    let msg = jws.signing_input.as_bytes();
    let sig = jws.signature.as_slice();
    let mismatch = || JoseError::KeyMismatch {
        alg: alg.to_string(),
        key: key.kind(),
    };
    let malformed = |reason: &str| JoseError::MalformedSignature {
        alg: alg.to_string(),
        reason: reason.to_string(),
    };
    let bad = || JoseError::BadSignature(alg.to_string());
    match alg {
        "none" => {
            return Err(JoseError::RefusedAlgorithm(
                "the token is unsigned (alg none)".into(),
            ))
        }
        "HS256" | "HS384" | "HS512" => {
            return Err(JoseError::RefusedAlgorithm(format!(
                "the token is sealed with a shared secret ({alg}), which cannot show who issued it"
            )))
        }
        "EdDSA" | "Ed25519" | "ES256" | "RS256" | "PS256" => {}
        // RSA with SHA-384/512 could be right for an RSA key, but is not verified here.
        "RS384" | "RS512" | "PS384" | "PS512" if matches!(key, PublicKey::Rsa(_)) => {
            return Err(JoseError::UnsupportedAlgorithm(alg.to_string()))
        }
        // These need a key type qlabel never reads (P-384, P-521, secp256k1, Ed448).
        "ES384" | "ES512" | "ES256K" | "Ed448" | "RS384" | "RS512" | "PS384" | "PS512" => {
            return Err(mismatch())
        }
        other => {
            return Err(JoseError::RefusedAlgorithm(format!(
                "'{other}' is not a JWS signature algorithm"
            )))
        }
    }
    if sig.is_empty() {
        return Err(malformed("it is empty"));
    }
    match (alg, key) {
        ("EdDSA" | "Ed25519", PublicKey::Ed25519(k)) => {
            let raw: [u8; 64] = sig
                .try_into()
                .map_err(|_| malformed("an Ed25519 signature has 64 bytes"))?;
            k.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&raw))
                .map_err(|_| bad())
        }
        ("ES256", PublicKey::P256(k)) => {
            use p256::ecdsa::signature::Verifier;
            if sig.len() != 64 {
                return Err(malformed(if sig.first() == Some(&0x30) {
                    "it is DER-encoded; a JWS carries the 64-byte r‖s form"
                } else {
                    "an ES256 signature has 64 bytes (r‖s)"
                }));
            }
            let s = p256::ecdsa::Signature::from_slice(sig)
                .map_err(|_| malformed("r or s is out of range"))?;
            k.verify(msg, &s).map_err(|_| bad())
        }
        ("RS256" | "PS256", PublicKey::Rsa(k)) => {
            use rsa::signature::Verifier;
            use rsa::traits::PublicKeyParts;
            if k.size() < 256 {
                return Err(JoseError::WeakKey(format!(
                    "the RSA key has {} bits; at least 2048 are needed",
                    k.size() * 8
                )));
            }
            if sig.len() != k.size() {
                return Err(malformed(&format!(
                    "it has {} bytes; this key's signatures have {}",
                    sig.len(),
                    k.size()
                )));
            }
            if alg == "RS256" {
                let s = rsa::pkcs1v15::Signature::try_from(sig)
                    .map_err(|_| malformed("not an RSA signature"))?;
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.clone())
                    .verify(msg, &s)
                    .map_err(|_| bad())
            } else {
                let s = rsa::pss::Signature::try_from(sig)
                    .map_err(|_| malformed("not an RSA signature"))?;
                rsa::pss::VerifyingKey::<sha2::Sha256>::new(k.clone())
                    .verify(msg, &s)
                    .map_err(|_| bad())
            }
        }
        _ => Err(mismatch()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn structure() {
        assert_eq!(parse_compact("a.b"), Err(JoseError::NotCompact(2)));
        assert_eq!(parse_compact("a.b.c.d"), Err(JoseError::NotCompact(4)));
        let h = b64(br#"{"alg":"EdDSA"}"#);
        let ok = format!("\n {h}.{}.{} \r\n", b64(b"{}"), b64(&[1, 2]));
        let jws = parse_compact(&ok).unwrap();
        assert_eq!(jws.alg(), Some("EdDSA"));
        assert_eq!(jws.signature, vec![1, 2]);
        assert!(jws.signing_input.starts_with(&h));
        // padding and the standard alphabet are refused
        assert_eq!(
            parse_compact(&format!("{h}.e30=.AQI")),
            Err(JoseError::Base64("payload"))
        );
        assert_eq!(
            parse_compact(&format!("{h}.e30.A+/")),
            Err(JoseError::Base64("signature"))
        );
        let arr = b64(b"[1]");
        assert!(matches!(
            parse_compact(&format!("{arr}.e30.AQI")),
            Err(JoseError::Header(_))
        ));
        let noalg = b64(br#"{"typ":"JWT"}"#);
        assert!(matches!(
            parse_compact(&format!("{noalg}.e30.AQI")),
            Err(JoseError::Header(_))
        ));
    }

    #[test]
    fn crit_and_b64() {
        let crit = b64(br#"{"alg":"EdDSA","crit":["exp"],"exp":1}"#);
        assert_eq!(
            parse_compact(&format!("{crit}.e30.AQI")),
            Err(JoseError::Critical("'exp'".into()))
        );
        let unenc = b64(br#"{"alg":"EdDSA","b64":false,"crit":["b64"]}"#);
        assert!(matches!(
            parse_compact(&format!("{unenc}.e30.AQI")),
            Err(JoseError::Critical(_))
        ));
        let unenc = b64(br#"{"alg":"EdDSA","b64":false}"#);
        assert_eq!(
            parse_compact(&format!("{unenc}.e30.AQI")),
            Err(JoseError::UnencodedPayload)
        );
    }

    #[test]
    fn too_large() {
        let big = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(matches!(
            parse_compact(&big),
            Err(JoseError::TooLarge { .. })
        ));
    }
}
