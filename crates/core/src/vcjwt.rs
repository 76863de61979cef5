//! VC-JWT: Open Badges 3.0 / CLR 2.0 credentials secured as a compact JWS (OB 3.0 §8.2
//! "JSON Web Token Proof Format").
//!
//! Two payload shapes are read:
//! - **VCDM 1.1** (VC-JWT of VC Data Model 1.1): the credential is the `vc` claim; where
//!   it lacks them, `issuer`, `issuanceDate`, `expirationDate`, `id` and
//!   `credentialSubject.id` are filled from `iss`, `nbf`, `exp`, `jti` and `sub`.
//! - **VCDM 2.0 style**: the payload is the credential itself; the JWT registered claims
//!   (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`) are removed from it.
//!
//! The key comes from the header: `kid` is resolved with [`keys::resolve_public`] (a
//! `kid` starting with `#` is relative to `iss` or the issuer id) and its controller must
//! be the issuer; a `jwk` is self-asserted, so it binds to the issuer only when the
//! issuer's own document (HTTP(S) profile, did:web document, or the did:jwk / did:key
//! itself) lists the same public key.

use crate::datetime;
use crate::di::ProofChecks;
use crate::error::Error;
use crate::fetch::{Expect, Fetch};
use crate::jose::{self, JoseError, Jws};
use crate::keys::{self, KeyError, PublicKey};
use crate::limits::{parse_json, Limits};
use crate::report::{check_id, BadgeStatus, Check};
use crate::vc::{self, DataModel};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// A credential read from a VC-JWT, with the outcome of its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtCredential {
    /// The credential (VCDM 1.1: the `vc` claim completed from the JWT claims; VCDM 2.0:
    /// the payload without the JWT registered claims).
    pub credential: Map<String, Value>,
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The signature (`proof`) and whether the key is the issuer's (`key-binding`).
    pub proof: ProofChecks,
    /// Problems with the JWT claims: disagreement with the credential (`format`), `nbf`
    /// and `exp` against the time of checking (`validity`), odd `typ`/`cty` (warnings).
    /// Empty when the claims are consistent.
    pub claim_checks: Vec<Check>,
    /// The payload is a VCDM 1.1 credential (`vc` claim or the 1.1 base context).
    pub v1: bool,
}

/// The JWT registered claims (RFC 7519 §4.1).
const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Reads and verifies a VC-JWT at time `at`.
///
/// `Err` only when the text is not a JWT carrying a credential (not a compact JWS, the
/// payload is no JSON object, or it holds neither a `vc` claim nor a credential); every
/// judgement about the credential is a check in the result.
pub async fn verify_jwt(
    token: &str,
    at: OffsetDateTime,
    fetch: &impl Fetch,
    limits: Limits,
) -> Result<JwtCredential, Error> {
    let jws = jose::decode_compact(token, limits).map_err(|e| match e {
        JoseError::TooLarge { size, limit } => Error::TooLarge { size, limit },
        other => Error::UnknownFormat(format!("not a JWT: {other}")),
    })?;
    let payload = match parse_json(&jws.payload, limits) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(Error::UnknownFormat(
                "the JWT payload is not a JSON object".into(),
            ))
        }
        Err(e @ (Error::TooLarge { .. } | Error::TooDeep { .. })) => return Err(e),
        Err(e) => {
            return Err(Error::UnknownFormat(format!(
                "the JWT payload is not JSON: {e}"
            )))
        }
    };
    let (credential, v1) = credential_of(&payload)?;
    let claim_checks = claim_checks(&jws.header, &payload, &credential, at);
    let proof = proof_checks(&jws, &payload, &credential, fetch, limits).await;
    Ok(JwtCredential {
        credential,
        header: jws.header,
        proof,
        claim_checks,
        v1,
    })
}

/// The credential a payload carries, and whether it is VCDM 1.1.
fn credential_of(payload: &Map<String, Value>) -> Result<(Map<String, Value>, bool), Error> {
    if payload.contains_key("vp") {
        return Err(Error::UnknownFormat(
            "the JWT holds a Verifiable Presentation (vp claim), not a credential".into(),
        ));
    }
    if let Some(vc) = payload.get("vc") {
        let Value::Object(vc) = vc else {
            return Err(Error::UnknownFormat(
                "the JWT's vc claim is not a JSON object".into(),
            ));
        };
        return Ok((fill_v1(vc.clone(), payload), true));
    }
    let types = vc::map_types(payload);
    if types.contains(&"VerifiablePresentation") {
        return Err(Error::UnknownFormat(
            "the JWT holds a Verifiable Presentation, not a credential".into(),
        ));
    }
    if !types.contains(&"VerifiableCredential") {
        return Err(Error::UnknownFormat(
            "the JWT carries no credential: it has no vc claim and its payload is not a Verifiable Credential"
                .into(),
        ));
    }
    let mut credential = payload.clone();
    for claim in REGISTERED {
        credential.remove(claim);
    }
    let v1 = vc::data_model(&credential) == Ok(DataModel::V1);
    Ok((credential, v1))
}

/// VC-JWT 1.1 decoding: the JWT claims fill the credential's properties they stand for,
/// where the credential lacks them (disagreements are reported by [`claim_checks`]).
fn fill_v1(mut vc: Map<String, Value>, payload: &Map<String, Value>) -> Map<String, Value> {
    let claim = |name: &str| payload.get(name).and_then(Value::as_str);
    let date = |name: &str| {
        payload
            .get(name)
            .and_then(|v| numeric_date(v).ok())
            .map(|t| Value::String(datetime::format(t)))
    };
    if let Some(iss) = claim("iss") {
        match vc.get_mut("issuer") {
            None => {
                vc.insert("issuer".into(), Value::String(iss.into()));
            }
            Some(Value::Object(o)) if !o.contains_key("id") => {
                o.insert("id".into(), Value::String(iss.into()));
            }
            Some(_) => {}
        }
    }
    if let Some(jti) = claim("jti") {
        vc.entry("id").or_insert_with(|| Value::String(jti.into()));
    }
    // A `vc` claim on the 2.0 context names its dates validFrom/validUntil.
    let (from, until) = if vc::data_model(&vc) == Ok(DataModel::V2) {
        ("validFrom", "validUntil")
    } else {
        ("issuanceDate", "expirationDate")
    };
    if let Some(nbf) = date("nbf") {
        vc.entry(from).or_insert(nbf);
    }
    if let Some(exp) = date("exp") {
        vc.entry(until).or_insert(exp);
    }
    if let Some(sub) = claim("sub") {
        match vc.get_mut("credentialSubject") {
            Some(Value::Object(s)) => {
                s.entry("id").or_insert_with(|| Value::String(sub.into()));
            }
            None => {
                let mut s = Map::new();
                s.insert("id".into(), Value::String(sub.into()));
                vc.insert("credentialSubject".into(), Value::Object(s));
            }
            Some(_) => {}
        }
    }
    vc
}

/// A JWT NumericDate: seconds since 1970-01-01T00:00:00Z, a JSON number.
fn numeric_date(v: &Value) -> Result<OffsetDateTime, String> {
    let secs = match (v.as_i64(), v.as_f64()) {
        (Some(i), _) => i,
        (None, Some(f)) if f.is_finite() && f.abs() < 1e15 => f.floor() as i64,
        (None, Some(_)) => return Err("is out of range".into()),
        (None, None) => return Err("must be a NumericDate (a number of seconds since 1970)".into()),
    };
    OffsetDateTime::from_unix_timestamp(secs).map_err(|_| "is out of range".to_string())
}

/// The ids of the credential's subjects.
fn subject_ids(credential: &Map<String, Value>) -> Vec<&str> {
    let subjects: Vec<&Value> = match credential.get("credentialSubject") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    subjects
        .iter()
        .filter_map(|s| s.get("id").and_then(Value::as_str))
        .collect()
}

/// The JWT claims against the credential and the time of checking; the header's type
/// parameters.
fn claim_checks(
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    credential: &Map<String, Value>,
    at: OffsetDateTime,
) -> Vec<Check> {
    use check_id::{FORMAT, VALIDITY};
    let mut checks = Vec::new();
    let mut dates = [None, None, None];
    for (i, name) in ["nbf", "exp", "iat"].iter().enumerate() {
        if let Some(v) = payload.get(*name) {
            match numeric_date(v) {
                Ok(t) => dates[i] = Some(t),
                Err(m) => checks.push(Check::fail(FORMAT, format!("the JWT claim {name} {m}"))),
            }
        }
    }
    let mut string_claim = |name: &str| match payload.get(name) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            checks.push(Check::fail(
                FORMAT,
                format!("the JWT claim {name} must be a string"),
            ));
            None
        }
    };
    let (iss, sub, jti) = (
        string_claim("iss"),
        string_claim("sub"),
        string_claim("jti"),
    );
    if let (Some(iss), Some(issuer)) = (&iss, vc::issuer_id(credential)) {
        if iss != issuer {
            checks.push(Check::fail(
                FORMAT,
                format!(
                    "the JWT's issuer claim (iss) {iss} is not the credential's issuer {issuer}"
                ),
            ));
        }
    }
    if let Some(sub) = &sub {
        let ids = subject_ids(credential);
        if !ids.is_empty() && !ids.contains(&sub.as_str()) {
            checks.push(Check::fail(
                FORMAT,
                format!(
                    "the JWT's subject claim (sub) {sub} is not the credential subject {}",
                    ids.join(", ")
                ),
            ));
        }
    }
    if let (Some(jti), Some(id)) = (&jti, credential.get("id").and_then(Value::as_str)) {
        if jti != id {
            checks.push(Check::fail(
                FORMAT,
                format!("the JWT's id claim (jti) {jti} is not the credential's id {id}"),
            ));
        }
    }
    let [nbf, exp, iat] = dates;
    if let Some(nbf) = nbf.filter(|t| *t > at) {
        checks.push(Check::fail_as(
            VALIDITY,
            BadgeStatus::NotYetValid,
            format!(
                "the JWT is not valid before {} (nbf)",
                datetime::format(nbf)
            ),
        ));
    }
    if let Some(exp) = exp.filter(|t| *t <= at) {
        checks.push(Check::fail_as(
            VALIDITY,
            BadgeStatus::Expired,
            format!("the JWT expired at {} (exp)", datetime::format(exp)),
        ));
    }
    if let Some(iat) = iat.filter(|t| *t > at) {
        checks.push(Check::warn(
            VALIDITY,
            format!(
                "the JWT says it was issued at {} (iat), after the time of checking",
                datetime::format(iat)
            ),
        ));
    }
    let media = |name: &str, accepted: &[&str], expected: &str| -> Option<Check> {
        let v = header.get(name)?;
        let ok = v.as_str().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            accepted.contains(&s.strip_prefix("application/").unwrap_or(&s))
        });
        (!ok).then(|| {
            Check::warn(
                FORMAT,
                format!("unexpected JWT header {name} {v}; a credential JWT uses {expected}"),
            )
        })
    };
    checks.extend(media(
        "typ",
        &["jwt", "vc+jwt", "vc+ld+jwt", "vc+ld+json+jwt"],
        "JWT or vc+jwt",
    ));
    checks.extend(media("cty", &["vc", "vc+ld+json"], "vc (or no cty)"));
    checks
}

/// How a key is tied to the issuer.
enum Binding {
    /// A resolved verification method: its controller must be the issuer.
    Controller(String),
    /// A key the token brings itself (`jwk`, or a `kid` URL serving a bare JWK): the
    /// issuer's own document must list it.
    SelfAsserted,
}

enum KeyOutcome {
    Found {
        key: Box<PublicKey>,
        binding: Binding,
        label: String,
    },
    Failed(String),
    Unavailable(String),
}

async fn proof_checks(
    jws: &Jws,
    payload: &Map<String, Value>,
    credential: &Map<String, Value>,
    fetch: &impl Fetch,
    limits: Limits,
) -> ProofChecks {
    let not_bound = || {
        Check::skip(
            check_id::KEY_BINDING,
            "no verified signature to bind to the issuer",
        )
    };
    let done = |proof: Check| ProofChecks {
        proof,
        key_binding: not_bound(),
        warnings: Vec::new(),
    };
    if let Err(e) = jose::check_header(&jws.header) {
        return done(Check::fail(check_id::PROOF, e.to_string()));
    }
    let (key, binding, label) = match find_key(jws, payload, credential, fetch, limits).await {
        KeyOutcome::Found {
            key,
            binding,
            label,
        } => (*key, binding, label),
        KeyOutcome::Failed(m) => return done(Check::fail(check_id::PROOF, m)),
        KeyOutcome::Unavailable(m) => return done(Check::unverifiable(check_id::PROOF, m)),
    };
    let alg = jws.alg().unwrap_or_default();
    let proof = match jose::verify_signature(jws, &key) {
        Ok(()) => Check::pass(
            check_id::PROOF,
            format!("signature verified ({alg} by {label})"),
        ),
        Err(e @ JoseError::UnsupportedAlgorithm(_)) => {
            return done(Check::unverifiable(check_id::PROOF, e.to_string()))
        }
        Err(e) => return done(Check::fail(check_id::PROOF, e.to_string())),
    };
    let key_binding = match vc::issuer_id(credential) {
        None => Check::fail(check_id::KEY_BINDING, "the credential names no issuer"),
        Some(issuer) => match binding {
            Binding::Controller(c) if c == issuer => Check::pass(
                check_id::KEY_BINDING,
                format!("the signing key is controlled by the issuer {issuer}"),
            ),
            Binding::Controller(c) => Check::fail(
                check_id::KEY_BINDING,
                format!("signed with a key controlled by {c}, not by the issuer {issuer}"),
            ),
            Binding::SelfAsserted => issuer_lists_key(issuer, &key, fetch, limits).await,
        },
    };
    ProofChecks {
        proof,
        key_binding,
        warnings: Vec::new(),
    }
}

/// Private or secret members of a JWK.
const SECRET_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fn header_jwk(jwk: &Value) -> Result<PublicKey, String> {
    let Value::Object(o) = jwk else {
        return Err("the JWT header's jwk is not a JSON object".into());
    };
    if SECRET_MEMBERS.iter().any(|m| o.contains_key(*m)) {
        return Err("the JWT header's jwk carries a private or secret key".into());
    }
    keys::public_key_from_jwk(jwk).map_err(|e| match e {
        KeyError::Invalid(m) | KeyError::Unavailable(m) => format!("the JWT header's jwk: {m}"),
    })
}

async fn find_key(
    jws: &Jws,
    payload: &Map<String, Value>,
    credential: &Map<String, Value>,
    fetch: &impl Fetch,
    limits: Limits,
) -> KeyOutcome {
    let kid = match jws.header.get("kid") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return KeyOutcome::Failed("the JWT header's kid is not a string".into()),
    };
    let jwk = jws.header.get("jwk");
    // A kid that is no URL (a mere label beside a jwk) does not name the key.
    let use_kid = kid.filter(|k| jwk.is_none() || k.starts_with('#') || vc::is_url(k));
    if let Some(kid) = use_kid {
        let absolute = if kid.starts_with('#') {
            let base = payload
                .get("iss")
                .and_then(Value::as_str)
                .or_else(|| vc::issuer_id(credential));
            match base {
                Some(b) => format!("{}{kid}", b.split('#').next().unwrap_or(b)),
                None => {
                    return KeyOutcome::Failed(format!(
                        "the key id {kid} is relative, but the JWT names no issuer"
                    ))
                }
            }
        } else {
            kid.to_string()
        };
        let found = match keys::resolve_public(&absolute, fetch, limits).await {
            Ok(r) => (r.key, Binding::Controller(r.controller), absolute.clone()),
            Err(KeyError::Unavailable(m)) => return KeyOutcome::Unavailable(m),
            Err(KeyError::Invalid(m)) => match bare_jwk(&absolute, fetch, limits).await {
                Some(Ok(key)) => (key, Binding::SelfAsserted, format!("the key at {absolute}")),
                Some(Err(m2)) => return KeyOutcome::Failed(m2),
                None => return KeyOutcome::Failed(m),
            },
        };
        if let Some(jwk) = jwk {
            match header_jwk(jwk) {
                Ok(k) if k == found.0 => {}
                Ok(_) => {
                    return KeyOutcome::Failed(format!(
                        "the JWT header's jwk is not the key {absolute} names"
                    ))
                }
                Err(m) => return KeyOutcome::Failed(m),
            }
        }
        return KeyOutcome::Found {
            key: Box::new(found.0),
            binding: found.1,
            label: found.2,
        };
    }
    if let Some(jwk) = jwk {
        return match header_jwk(jwk) {
            Ok(key) => KeyOutcome::Found {
                key: Box::new(key),
                binding: Binding::SelfAsserted,
                label: "the key in the JWT header (jwk)".into(),
            },
            Err(m) => KeyOutcome::Failed(m),
        };
    }
    for param in ["x5c", "x5u", "jku"] {
        if jws.header.contains_key(param) {
            return KeyOutcome::Unavailable(format!(
                "the JWT names its key only by {param}, which qlabel does not follow"
            ));
        }
    }
    KeyOutcome::Failed("the JWT names no key (neither kid nor jwk in its header)".into())
}

/// OB 3.0 allows a `kid` URL that serves a bare JWK. `None` when the URL is no HTTP(S)
/// URL or does not serve a JWK.
async fn bare_jwk(
    url: &str,
    fetch: &impl Fetch,
    limits: Limits,
) -> Option<Result<PublicKey, String>> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    let base = url.split('#').next().unwrap_or(url);
    let fetched = fetch.fetch(base, Expect::Json).await.ok()?;
    let doc = parse_json(&fetched.body, limits).ok()?;
    doc.get("kty")?;
    Some(header_jwk(&doc).map_err(|m| m.replace("the JWT header's jwk", url)))
}

/// Whether the issuer's own document lists `key` (for self-asserted keys).
async fn issuer_lists_key(
    issuer: &str,
    key: &PublicKey,
    fetch: &impl Fetch,
    limits: Limits,
) -> Check {
    use check_id::KEY_BINDING;
    let unconfirmed = |why: String| {
        Check::unverifiable(
            KEY_BINDING,
            format!("the JWT carries its own key (jwk); the issuer's profile could not be fetched to confirm it: {why}"),
        )
    };
    let listed = || {
        Check::pass(
            KEY_BINDING,
            format!("the issuer {issuer} lists the JWT's key as its own"),
        )
    };
    let not_listed = |why: String| Check::fail(KEY_BINDING, why);
    if issuer.starts_with("did:jwk:") || issuer.starts_with("did:key:") {
        return match keys::resolve_public(issuer, fetch, limits).await {
            Ok(r) if r.key == *key => listed(),
            Ok(_) => not_listed(format!(
                "the JWT was signed with a key of its own, not with the key of the issuer {issuer}"
            )),
            Err(KeyError::Invalid(m)) => not_listed(format!("the issuer {issuer}: {m}")),
            Err(KeyError::Unavailable(m)) => unconfirmed(m),
        };
    }
    let url = if issuer.starts_with("did:web:") {
        match keys::did_web_url(issuer) {
            Ok(u) => u,
            Err(KeyError::Invalid(m) | KeyError::Unavailable(m)) => {
                return not_listed(format!("the issuer {issuer}: {m}"))
            }
        }
    } else if issuer.starts_with("https://") || issuer.starts_with("http://") {
        issuer.split('#').next().unwrap_or(issuer).to_string()
    } else {
        return Check::unverifiable(
            KEY_BINDING,
            format!(
                "the JWT carries its own key (jwk); the issuer {issuer} cannot be looked up to confirm it"
            ),
        );
    };
    let fetched = match fetch.fetch(&url, Expect::Json).await {
        Ok(f) => f,
        Err(e) => return unconfirmed(e.to_string()),
    };
    let doc = match parse_json(&fetched.body, limits) {
        Ok(d) => d,
        Err(e) => return unconfirmed(format!("{url} is unreadable: {e}")),
    };
    if doc.get("id").and_then(Value::as_str) != Some(issuer) {
        return not_listed(format!(
            "the document at {url} is not the profile of the issuer {issuer}, so it cannot confirm the JWT's own key"
        ));
    }
    let lists = ["verificationMethod", "assertionMethod", "publicKey"]
        .iter()
        .flat_map(|rel| match doc.get(*rel) {
            Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(other) => vec![other],
            None => Vec::new(),
        })
        .filter(|m| {
            m.is_object()
                && m.get("controller")
                    .and_then(Value::as_str)
                    .is_none_or(|c| c == issuer)
        })
        .any(|m| keys::key_of(m).is_ok_and(|k| k == *key));
    if lists {
        listed()
    } else {
        not_listed(format!(
            "the JWT carries its own key (jwk), and the issuer {issuer} does not list it among its keys"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_claims_fill_the_credential() {
        let payload = json!({"vc": {"type": ["VerifiableCredential"], "credentialSubject": {"name": "x"}},
            "iss": "https://i.example", "jti": "urn:uuid:1", "sub": "did:example:s",
            "nbf": 1262304000, "exp": 1893456000.5});
        let (c, v1) = credential_of(payload.as_object().unwrap()).unwrap();
        assert!(v1);
        assert_eq!(c["issuer"], "https://i.example");
        assert_eq!(c["id"], "urn:uuid:1");
        assert_eq!(c["issuanceDate"], "2010-01-01T00:00:00Z");
        assert_eq!(c["expirationDate"], "2030-01-01T00:00:00Z");
        assert_eq!(c["credentialSubject"]["id"], "did:example:s");
    }

    #[test]
    fn v2_payload_loses_registered_claims() {
        let payload = json!({"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"], "iss": "x", "aud": "y", "iat": 1, "issuer": "x"});
        let (c, v1) = credential_of(payload.as_object().unwrap()).unwrap();
        assert!(!v1);
        assert!(c.get("iss").is_none() && c.get("aud").is_none() && c.get("iat").is_none());
        assert_eq!(c["issuer"], "x");
        assert!(credential_of(json!({"a": 1}).as_object().unwrap()).is_err());
        assert!(credential_of(json!({"vp": {}}).as_object().unwrap()).is_err());
    }

    #[test]
    fn numeric_dates() {
        assert!(numeric_date(&json!("1262304000")).is_err());
        assert!(numeric_date(&json!(1e300)).is_err());
        assert_eq!(
            numeric_date(&json!(1262304000)).unwrap().unix_timestamp(),
            1262304000
        );
    }
}
