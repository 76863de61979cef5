//! Compact JWS and VC-JWT: the 1EdTech validator's JWTs (plain, baked in SVG and PNG),
//! OB 2.0 signed assertions, and tokens made here (EdDSA, ES256, RS256, PS256) with
//! tampering, refused algorithms, key mismatches and claim disagreements.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use qlabel_core::fetch::{block_on, MapFetch, Offline};
use qlabel_core::jose::{parse_compact, verify_signature, JoseError};
use qlabel_core::keys::{key_of, public_key_from_jwk, PublicKey};
use qlabel_core::report::{badge_status, check_id, BadgeStatus, Check, CheckStatus};
use qlabel_core::vcjwt::{verify_jwt, JwtCredential};
use qlabel_core::{Error, Fetch, Limits};
use serde_json::{json, Value};
use std::path::PathBuf;
use time::OffsetDateTime;

const OB30: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30";
const OB20: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob20";

fn vectors() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors"
    ))
}

fn read_bytes(rel: &str) -> Vec<u8> {
    let p = vectors().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn read_text(rel: &str) -> String {
    String::from_utf8(read_bytes(rel)).unwrap()
}

fn at() -> OffsetDateTime {
    time::macros::datetime!(2026-06-01 0:00 UTC)
}

fn run(token: &str, fetch: &impl Fetch) -> JwtCredential {
    block_on(verify_jwt(token, at(), fetch, Limits::default())).unwrap()
}

fn run_at(token: &str, when: OffsetDateTime) -> JwtCredential {
    block_on(verify_jwt(token, when, &Offline, Limits::default())).unwrap()
}

fn all_checks(c: &JwtCredential) -> Vec<Check> {
    let mut v = vec![c.proof.proof.clone(), c.proof.key_binding.clone()];
    v.extend(c.claim_checks.iter().cloned());
    v
}

fn verdict(c: &JwtCredential) -> BadgeStatus {
    badge_status(&all_checks(c))
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

/// `header.payload.signature` with the signature `sign` makes over the signing input.
fn token(header: &Value, payload: &Value, sign: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let sig = sign(input.as_bytes());
    format!("{input}.{}", b64(&sig))
}

fn header_of(token: &str) -> Value {
    serde_json::from_slice(&unb64(token.split('.').next().unwrap())).unwrap()
}

fn did_jwk(jwk: &Value) -> String {
    format!("did:jwk:{}", b64(jwk.to_string().as_bytes()))
}

fn profile(id: &str, jwk: &Value) -> Vec<u8> {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": id,
        "type": ["Profile"],
        "name": "Issuer",
        "verificationMethod": [{
            "id": format!("{id}#key-1"),
            "type": "JsonWebKey",
            "controller": id,
            "publicKeyJwk": jwk
        }]
    })
    .to_string()
    .into_bytes()
}

fn has(checks: &[Check], id: &str, status: CheckStatus, text: &str) -> bool {
    checks
        .iter()
        .any(|c| c.id == id && c.status == status && c.message.contains(text))
}

// ---------------------------------------------------------------- keys made here

fn ed_key(seed: u8) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
}

fn ed_jwk(k: &ed25519_dalek::SigningKey) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": b64(k.verifying_key().as_bytes())})
}

fn ed_sign(k: &ed25519_dalek::SigningKey) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    use ed25519_dalek::Signer;
    move |m| k.sign(m).to_bytes().to_vec()
}

fn p256_key(seed: u8) -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap()
}

fn p256_jwk(k: &p256::ecdsa::SigningKey) -> Value {
    let point = k.verifying_key().to_encoded_point(false);
    let b = point.as_bytes();
    json!({"kty": "EC", "crv": "P-256", "x": b64(&b[1..33]), "y": b64(&b[33..65])})
}

fn p256_sign(k: &p256::ecdsa::SigningKey) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    use p256::ecdsa::signature::Signer;
    move |m| {
        let s: p256::ecdsa::Signature = k.sign(m);
        s.to_bytes().to_vec()
    }
}

fn p256_sign_der(k: &p256::ecdsa::SigningKey) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    use p256::ecdsa::signature::Signer;
    move |m| {
        let s: p256::ecdsa::Signature = k.sign(m);
        s.to_der().as_bytes().to_vec()
    }
}

/// A throwaway RSA key for tests only (generating one would need a random source).
const TEST_RSA_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCvrEgvGeYJMTuQ
XrwSelNlXB5fs/M/faozegIappUQLNFCygmpR/QXW0cItTuSUkRpf6aZbLMspLrF
60wJP5BxFwlxkAMEsCTBA9F2n75nSCz/p8uL1y+lpr46hpGxMcXCGuzmXJ5gCj4B
jXbVOW8zCbT53m74CZG/82lugmGDHa7/1o2CHWMPvJ+ZNQKw7fDdIm1VKOLRV2UR
EL6jXS/NF3B9l2e/jowbtuti8FTi6WphUSMOznoQmGJ72VF/4a9vNedd5rhDsRcK
N1S1anZMWzv0HwOYX+ftnNy330mM4nydSXGvhPvfBzKSenXU1q+EUvZ6ZU30fY/w
ixwlr7GbAgMBAAECggEAJg8uslmrj0lFzNDhcSVkZPzQrc5IQHSix7VCuHBnshHr
okswTacDmH3ThWzyQ5CkNrELsIiuxtjHiDKijgxh6EZj6uEW7lCVHeYMXuVb9Hdc
HGVHgXv03DAkXXyjGt8cJ6H6uivNuiPt7BswaCCh2U5ckZfhtcYo+Autx13i72tG
ehbOAbfP7zdK+ZLMf1mXfvLaCT6QFyeAGQZo1GTmgNhdHQwAQm7G02rFO6uhQbhI
//jfFxI6bBWycycHn2+03QT9epHY4iCVVjTp/M+ovxO5iBzNeH/c9yjJPGsE8cfu
RkFZCxKnq9BV0JbYeXVLR1AbhZOY5CebpLFjl+WwbQKBgQDbW7gfOuzaFPunxryc
3oyT3wZdwhWFT8Sbhx+BNC+ELYuYLLfQogZsTHp4Cy58bOUrkH4V2xeHPKRdI0uV
Lu/1dHYkKR7COXXI2lsawsHtJRJ4ISTi0/r/UegpGF/pcs94Au0g5pXi5tte/q4P
CPCFmbXyXasJoljAeb8SonBi/wKBgQDNBHm7vCB8TcmFFxZ78SfzAthinop+MNVE
w9GZjbCtw65RuRgb6sR1DV20TmSfU49znLX3ytZEU8Z3n4wk3Tr1kJc0MxbjenzM
4QmKnEFuA5Ey5G7jphavj4fxokBmGbdHq+bTg2yp4K/ZcD/Plz8Vc00noxzUL/Mk
JVh33p5dZQKBgEbwMGkZG0OjiYbGhHSOnBOuClcDzwXfuAs79XpJMBykxgIeZAt6
em1HhkuQAiaG6M3f2oai5cb8W4MrSOQj28IbOaGUErho8KhVxSSwWxqf5Iso3M7m
EsPC7ztrAIl0cZe0Co+bQlmworzjy9Jc57us6+RHWmqxL9Z/CMWz9nhtAoGBAMFk
kGScYNSBGDCYh9ggszuUGoRk42WIMRWt1kEQHHK9nOlwPaLQAcQc+KCGNnro+u/n
CuwVBavsjtH2yd9YZS6R12AhNV0eBS3KthJvtXTOnqAwRb4uxUWUkntIP5FQfsh4
CsTJO66/yYHGVhs/o/1bB5P1VNN/687T/7ELab3VAoGAHhKnRPec5SNRQ6npbUdp
8CDS/MHsK5Bxq7e5xvMe5JtPZmCA0kFqeBRScvGTkyFqRl/h7Xp/3sCUVS4lKSou
dnCCZaXtXnMWLHNy55h3yMv16gnWr8gX7w/WMtqceSP1w9x5N872XxLYHbjAbFue
c6BqBOBULk9dbFvy2nR2Bfs=
-----END PRIVATE KEY-----";

fn rsa_key() -> rsa::RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs8_pem(TEST_RSA_KEY).unwrap()
}

fn rsa_jwk(k: &rsa::RsaPrivateKey) -> Value {
    use rsa::traits::PublicKeyParts;
    json!({"kty": "RSA", "n": b64(&k.n().to_bytes_be()), "e": b64(&k.e().to_bytes_be())})
}

/// A deterministic byte source for PSS salts (tests only).
struct CounterRng(u8);

impl rsa::rand_core::RngCore for CounterRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_mul(31).wrapping_add(7);
            *b = self.0;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for CounterRng {}

// ---------------------------------------------------------------- credentials made here

const LEARNER: &str = "did:example:learner";
const CRED_ID: &str = "urn:uuid:2f8e0c5a-3b9d-4e43-9d6a-0a1b2c3d4e5f";

fn credential(issuer: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": CRED_ID,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": LEARNER,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well in a team.",
                "criteria": {"narrative": "Nominated by peers."}
            }
        }
    })
}

/// The VCDM 2.0 payload: the credential plus consistent JWT claims.
fn payload(issuer: &str) -> Value {
    let mut p = credential(issuer);
    let o = p.as_object_mut().unwrap();
    o.insert("iss".into(), json!(issuer));
    o.insert("sub".into(), json!(LEARNER));
    o.insert("jti".into(), json!(CRED_ID));
    o.insert("nbf".into(), json!(1704067200)); // 2024-01-01
    o.insert("exp".into(), json!(1893456000)); // 2030-01-01
    p
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v.as_object_mut().unwrap().insert(key.into(), value);
    v
}

/// An EdDSA token whose issuer is the did:jwk of its key, named by `kid`.
fn eddsa_did_jwk_token(edit: impl Fn(Value) -> Value) -> String {
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let header = json!({"alg": "EdDSA", "typ": "vc+jwt", "kid": format!("{did}#0")});
    token(&header, &edit(payload(&did)), ed_sign(&k))
}

// ---------------------------------------------------------------- 1EdTech vectors

const CLR_JWT: &str =
    "1edtech-digital-credentials-public-validator/inspector-clr/src/test/resources/clr20/simple.jwt";

#[test]
fn clr20_simple_jwt_rs256_jwk_header() {
    let text = read_text(CLR_JWT);
    let jws = parse_compact(&text).unwrap();
    assert_eq!(jws.alg(), Some("RS256"));
    let jwk = jws.header["jwk"].clone();
    let key = public_key_from_jwk(&jwk).unwrap();
    assert!(matches!(key, PublicKey::Rsa(_)));
    verify_signature(&jws, &key).unwrap();

    let issuer = "https://example.edu/issuers/565049";
    // The issuer's profile is not available: the signature verifies, the key is unconfirmed.
    let c = run(&text, &Offline);
    assert!(c.v1);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert!(c.proof.proof.message.contains("RS256"));
    assert!(
        c.proof.key_binding.unverifiable,
        "{:?}",
        c.proof.key_binding
    );
    assert!(c.proof.key_binding.message.contains("could not be fetched"));
    assert!(c.claim_checks.is_empty(), "{:?}", c.claim_checks);
    assert_eq!(verdict(&c), BadgeStatus::Unverifiable);
    assert_eq!(c.credential["issuer"]["id"], issuer);
    assert_eq!(
        c.credential["credentialSubject"]["id"],
        "did:example:ebfeb1f712ebc6f1c276e12ec21"
    );

    // The profile lists the very key: bound.
    let mut web = MapFetch::default();
    web.insert(issuer, profile(issuer, &jwk));
    let c = run(&text, &web);
    assert_eq!(
        c.proof.key_binding.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.key_binding
    );
    assert_eq!(verdict(&c), BadgeStatus::Valid);

    // The profile lists another key: not bound.
    let mut web = MapFetch::default();
    web.insert(issuer, profile(issuer, &rsa_jwk(&rsa_key())));
    let c = run(&text, &web);
    assert_eq!(c.proof.key_binding.status, CheckStatus::Fail);
    assert_eq!(verdict(&c), BadgeStatus::Invalid);

    // A document that is not the issuer's profile confirms nothing.
    let mut web = MapFetch::default();
    web.insert(issuer, profile("https://example.edu/issuers/other", &jwk));
    let c = run(&text, &web);
    assert_eq!(c.proof.key_binding.status, CheckStatus::Fail);
}

#[test]
fn ob30_simple_jwt_names_no_key() {
    let text = read_text(&format!("{OB30}/simple.jwt"));
    parse_compact(&text).unwrap();
    let c = run(&text, &Offline);
    assert!(c.v1);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(
        c.proof.proof.message.contains("names no key"),
        "{}",
        c.proof.proof.message
    );
    assert_eq!(c.proof.key_binding.status, CheckStatus::Skip);
    assert!(c.claim_checks.is_empty(), "{:?}", c.claim_checks);
    assert_eq!(verdict(&c), BadgeStatus::Invalid);
}

#[test]
fn ob30_velocity_jwt_is_unverifiable() {
    let text = read_text(&format!("{OB30}/velocity.jwt"));
    let c = run(&text, &Offline);
    assert!(c.v1);
    assert!(c.proof.proof.unverifiable, "{:?}", c.proof.proof);
    assert!(c.proof.proof.message.contains("did:velocity"));
    assert_eq!(c.proof.key_binding.status, CheckStatus::Skip);
    // sub fills the subject id (VC-JWT 1.1), so sub and the subject agree.
    assert!(c.credential["credentialSubject"]["id"]
        .as_str()
        .unwrap()
        .starts_with("did:jwk:"));
    assert!(c.claim_checks.is_empty(), "{:?}", c.claim_checks);
    assert_eq!(verdict(&c), BadgeStatus::Unverifiable);
}

#[test]
fn ob20_signed_assertions() {
    let key = |name: &str| {
        let doc: Value =
            serde_json::from_str(&read_text(&format!("{OB20}/assets/{name}"))).unwrap();
        key_of(&doc).unwrap()
    };
    let (k1, k2, k3) = (key("key1.json"), key("key2.json"), key("key3.json"));
    for (file, k) in [
        ("simple.jwt", &k1),
        ("simple-not-revoked.jwt", &k2),
        ("simple-revoked.jwt", &k3),
    ] {
        let jws = parse_compact(&read_text(&format!("{OB20}/{file}"))).unwrap();
        assert_eq!(jws.alg(), Some("RS256"));
        verify_signature(&jws, k).unwrap_or_else(|e| panic!("{file}: {e}"));
        let payload: Value = serde_json::from_slice(&jws.payload).unwrap();
        assert_eq!(payload["type"], "Assertion");
    }
    let jws = parse_compact(&read_text(&format!("{OB20}/simple.jwt"))).unwrap();
    assert_eq!(
        verify_signature(&jws, &k2),
        Err(JoseError::BadSignature("RS256".into()))
    );
    // An OB 2.0 signed assertion is no VC-JWT.
    let err = block_on(verify_jwt(
        &read_text(&format!("{OB20}/simple.jwt")),
        at(),
        &Offline,
        Limits::default(),
    ))
    .unwrap_err();
    assert!(matches!(err, Error::UnknownFormat(_)), "{err}");
}

/// The token in `<openbadges:credential verify="…">`.
fn svg_token(rel: &str) -> String {
    let svg = read_text(rel);
    let start = svg.find("verify=\"").unwrap() + "verify=\"".len();
    let len = svg[start..].find('"').unwrap();
    svg[start..start + len].to_string()
}

/// The text of the uncompressed iTXt chunk with keyword `openbadgecredential`.
fn png_token(rel: &str) -> String {
    let png = read_bytes(rel);
    let marker = b"iTXtopenbadgecredential\0";
    let pos = png
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("an openbadgecredential iTXt chunk");
    let len = u32::from_be_bytes(png[pos - 4..pos].try_into().unwrap()) as usize;
    let data = &png[pos + 4..pos + 4 + len];
    let rest = &data["openbadgecredential\0".len()..];
    assert_eq!(rest[0], 0, "compressed iTXt");
    // flag, method, language tag \0, translated keyword \0, text
    let rest = &rest[2..];
    let lang_end = rest.iter().position(|b| *b == 0).unwrap();
    let rest = &rest[lang_end + 1..];
    let tr_end = rest.iter().position(|b| *b == 0).unwrap();
    String::from_utf8(rest[tr_end + 1..].to_vec()).unwrap()
}

#[test]
fn ob30_baked_jwts() {
    let cases = [
        (svg_token(&format!("{OB30}/simple-jwt.svg")), false),
        (png_token(&format!("{OB30}/simple-jwt.png")), false),
        (svg_token(&format!("{OB30}/simple-jwt_v1.svg")), true),
        (png_token(&format!("{OB30}/simple-jwt_v1.png")), true),
    ];
    for (i, (text, v1)) in cases.iter().enumerate() {
        let c = run(text, &Offline);
        assert_eq!(c.v1, *v1, "case {i}");
        assert_eq!(
            c.proof.proof.status,
            CheckStatus::Pass,
            "case {i}: {:?}",
            c.proof.proof
        );
        assert!(c.proof.key_binding.unverifiable, "case {i}");
        assert!(c.claim_checks.is_empty(), "case {i}: {:?}", c.claim_checks);
        if !v1 {
            // the registered claims are not part of the credential
            assert!(c.credential.get("iss").is_none() && c.credential.get("aud").is_none());
            assert_eq!(c.credential["validFrom"], "2010-01-01T00:00:00Z");
        } else {
            assert_eq!(c.credential["issuanceDate"], "2010-01-01T00:00:00Z");
        }

        // key binding both ways
        let issuer = qlabel_core::vc::issuer_id(&c.credential)
            .unwrap()
            .to_string();
        let jwk = header_of(text)["jwk"].clone();
        let mut web = MapFetch::default();
        web.insert(issuer.clone(), profile(&issuer, &jwk));
        let bound = run(text, &web);
        assert_eq!(
            bound.proof.key_binding.status,
            CheckStatus::Pass,
            "case {i}"
        );
        assert_eq!(verdict(&bound), BadgeStatus::Valid, "case {i}");
        let mut web = MapFetch::default();
        web.insert(issuer.clone(), profile(&issuer, &ed_jwk(&ed_key(9))));
        let other = run(text, &web);
        assert_eq!(
            other.proof.key_binding.status,
            CheckStatus::Fail,
            "case {i}"
        );
    }
    // the SVG and the PNG carry different tokens of the same credential
    assert_ne!(cases[0].0, cases[1].0);
}

// ---------------------------------------------------------------- tokens made here

#[test]
fn eddsa_did_jwk_kid_verifies_and_binds() {
    let t = eddsa_did_jwk_token(|p| p);
    let c = run(&t, &Offline);
    assert!(!c.v1);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert!(c.proof.proof.message.contains("EdDSA"));
    assert_eq!(
        c.proof.key_binding.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.key_binding
    );
    assert!(c.claim_checks.is_empty(), "{:?}", c.claim_checks);
    assert_eq!(verdict(&c), BadgeStatus::Valid);
    assert!(c.credential.get("exp").is_none());
    // surrounding white space is tolerated
    let c = run(&format!("\n  {t}\r\n"), &Offline);
    assert_eq!(verdict(&c), BadgeStatus::Valid);
}

#[test]
fn tampered_payload_fails() {
    let t = eddsa_did_jwk_token(|p| p);
    let parts: Vec<&str> = t.split('.').collect();
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let forged = with(payload(&did), "name", json!("Master of Everything"));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(forged.to_string().as_bytes()),
        parts[2]
    );
    let c = run(&forged, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("does not match"));
    assert_eq!(c.proof.key_binding.status, CheckStatus::Skip);
    assert_eq!(verdict(&c), BadgeStatus::Invalid);
}

#[test]
fn refused_algorithms() {
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let p = payload(&did);
    // alg none, no signature
    let none = token(
        &json!({"alg": "none", "kid": format!("{did}#0")}),
        &p,
        |_| Vec::new(),
    );
    let jws = parse_compact(&none).unwrap();
    let key = public_key_from_jwk(&ed_jwk(&k)).unwrap();
    assert!(matches!(
        verify_signature(&jws, &key),
        Err(JoseError::RefusedAlgorithm(_))
    ));
    let c = run(&none, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("unsigned"));
    // alg none with an EdDSA signature attached still fails
    let none_signed = token(
        &json!({"alg": "none", "kid": format!("{did}#0")}),
        &p,
        ed_sign(&k),
    );
    assert_eq!(
        run(&none_signed, &Offline).proof.proof.status,
        CheckStatus::Fail
    );
    // HMAC
    let hs = token(
        &json!({"alg": "HS256", "kid": format!("{did}#0")}),
        &p,
        |_| vec![0u8; 32],
    );
    let c = run(&hs, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("shared secret"));
    // an algorithm no one defined
    let odd = token(
        &json!({"alg": "XS999", "kid": format!("{did}#0")}),
        &p,
        ed_sign(&k),
    );
    assert_eq!(run(&odd, &Offline).proof.proof.status, CheckStatus::Fail);
    // a standard algorithm that cannot fit the key: fails
    let es384 = token(
        &json!({"alg": "ES384", "kid": format!("{did}#0")}),
        &p,
        ed_sign(&k),
    );
    assert_eq!(run(&es384, &Offline).proof.proof.status, CheckStatus::Fail);
    // a standard algorithm that fits the key but is not implemented: unverifiable
    let rsa_did = did_jwk(&rsa_jwk(&rsa_key()));
    let rs384 = token(
        &json!({"alg": "RS384", "kid": format!("{rsa_did}#0")}),
        &payload(&rsa_did),
        |_| vec![1u8; 256],
    );
    assert!(run(&rs384, &Offline).proof.proof.unverifiable);
}

#[test]
fn algorithm_must_fit_the_key() {
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let p = payload(&did);
    for alg in ["ES256", "RS256", "PS256"] {
        let t = token(
            &json!({"alg": alg, "kid": format!("{did}#0")}),
            &p,
            ed_sign(&k),
        );
        let c = run(&t, &Offline);
        assert_eq!(c.proof.proof.status, CheckStatus::Fail, "{alg}");
        assert!(
            c.proof
                .proof
                .message
                .contains("does not fit the signing key"),
            "{}",
            c.proof.proof.message
        );
    }
    // P-256 key, EdDSA header
    let pk = p256_key(5);
    let t = token(
        &json!({"alg": "EdDSA", "jwk": p256_jwk(&pk)}),
        &p,
        p256_sign(&pk),
    );
    let jws = parse_compact(&t).unwrap();
    let key = public_key_from_jwk(&p256_jwk(&pk)).unwrap();
    assert_eq!(
        verify_signature(&jws, &key),
        Err(JoseError::KeyMismatch {
            alg: "EdDSA".into(),
            key: "P-256"
        })
    );
    // RSA key, ES256 header
    let rk = rsa_key();
    let rkey = public_key_from_jwk(&rsa_jwk(&rk)).unwrap();
    let t = token(&json!({"alg": "ES256"}), &p, p256_sign(&pk));
    assert!(matches!(
        verify_signature(&parse_compact(&t).unwrap(), &rkey),
        Err(JoseError::KeyMismatch { .. })
    ));
}

#[test]
fn es256_raw_and_der() {
    let pk = p256_key(5);
    let jwk = p256_jwk(&pk);
    let did = did_jwk(&jwk);
    let header = json!({"alg": "ES256", "typ": "JWT", "kid": format!("{did}#0")});
    let good = token(&header, &payload(&did), p256_sign(&pk));
    let c = run(&good, &Offline);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert_eq!(verdict(&c), BadgeStatus::Valid);

    let der = token(&header, &payload(&did), p256_sign_der(&pk));
    let jws = parse_compact(&der).unwrap();
    let key = public_key_from_jwk(&jwk).unwrap();
    match verify_signature(&jws, &key) {
        Err(JoseError::MalformedSignature { reason, .. }) => assert!(reason.contains("DER")),
        other => panic!("{other:?}"),
    }
    let c = run(&der, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("DER"));
}

#[test]
fn rs256_and_ps256_made_here() {
    use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
    let rk = rsa_key();
    let jwk = rsa_jwk(&rk);
    let did = did_jwk(&jwk);
    let p = payload(&did);
    let rs = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(rk.clone());
    let rs_sign = |m: &[u8]| rs.sign(m).to_vec();
    let t = token(
        &json!({"alg": "RS256", "kid": format!("{did}#0")}),
        &p,
        rs_sign,
    );
    let c = run(&t, &Offline);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert_eq!(verdict(&c), BadgeStatus::Valid);

    let ps = rsa::pss::SigningKey::<sha2::Sha256>::new(rk.clone());
    let ps_sign = |m: &[u8]| ps.sign_with_rng(&mut CounterRng(3), m).to_vec();
    let t = token(
        &json!({"alg": "PS256", "kid": format!("{did}#0")}),
        &p,
        ps_sign,
    );
    let c = run(&t, &Offline);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    // a PSS signature presented as RS256 does not verify
    let t = token(
        &json!({"alg": "RS256", "kid": format!("{did}#0")}),
        &p,
        ps_sign,
    );
    assert_eq!(run(&t, &Offline).proof.proof.status, CheckStatus::Fail);
}

#[test]
fn jwk_header_binding_rules() {
    let k = ed_key(2);
    let jwk = ed_jwk(&k);
    // issuer is the did:jwk of the header key: bound offline
    let did = did_jwk(&jwk);
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload(&did),
        ed_sign(&k),
    );
    let c = run(&t, &Offline);
    assert_eq!(
        c.proof.key_binding.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.key_binding
    );
    // issuer is the did:jwk of another key
    let other = did_jwk(&ed_jwk(&ed_key(3)));
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload(&other),
        ed_sign(&k),
    );
    let c = run(&t, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Pass);
    assert_eq!(c.proof.key_binding.status, CheckStatus::Fail);
    // issuer is a did:key of the header key / of another key
    let dk = qlabel_core::multibase::did_key(&k.verifying_key());
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload(&dk),
        ed_sign(&k),
    );
    assert_eq!(
        run(&t, &Offline).proof.key_binding.status,
        CheckStatus::Pass
    );
    let dk3 = qlabel_core::multibase::did_key(&ed_key(3).verifying_key());
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload(&dk3),
        ed_sign(&k),
    );
    assert_eq!(
        run(&t, &Offline).proof.key_binding.status,
        CheckStatus::Fail
    );
    // did:web issuer
    let web_did = "did:web:issuer.example";
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload(web_did),
        ed_sign(&k),
    );
    assert!(run(&t, &Offline).proof.key_binding.unverifiable);
    let mut web = MapFetch::default();
    web.insert(
        "https://issuer.example/.well-known/did.json",
        profile(web_did, &jwk),
    );
    assert_eq!(run(&t, &web).proof.key_binding.status, CheckStatus::Pass);
    let mut web = MapFetch::default();
    web.insert(
        "https://issuer.example/.well-known/did.json",
        profile(web_did, &ed_jwk(&ed_key(3))),
    );
    assert_eq!(run(&t, &web).proof.key_binding.status, CheckStatus::Fail);
    // an issuer that cannot be looked up
    let t = token(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload("urn:example:issuer"),
        ed_sign(&k),
    );
    assert!(run(&t, &Offline).proof.key_binding.unverifiable);
    // a private key in the header
    let mut private = jwk.clone();
    private["d"] = json!(b64(k.as_bytes()));
    let t = token(
        &json!({"alg": "EdDSA", "jwk": private}),
        &payload(&did),
        ed_sign(&k),
    );
    let c = run(&t, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("private"));
}

#[test]
fn https_kid_resolution() {
    let k = ed_key(4);
    let jwk = ed_jwk(&k);
    let issuer = "https://issuer.example/profile";
    // relative kid against iss, resolved in the issuer's controller document
    let t = token(
        &json!({"alg": "EdDSA", "kid": "#key-1"}),
        &payload(issuer),
        ed_sign(&k),
    );
    let mut web = MapFetch::default();
    web.insert(issuer, profile(issuer, &jwk));
    let c = run(&t, &web);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert!(c
        .proof
        .proof
        .message
        .contains("https://issuer.example/profile#key-1"));
    assert_eq!(
        c.proof.key_binding.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.key_binding
    );
    // not reachable: unverifiable
    assert!(run(&t, &Offline).proof.proof.unverifiable);
    // a key controlled by someone else
    let other = "https://other.example/profile";
    let t = token(
        &json!({"alg": "EdDSA", "kid": format!("{other}#key-1")}),
        &payload(issuer),
        ed_sign(&k),
    );
    let mut web = MapFetch::default();
    web.insert(other, profile(other, &jwk));
    let c = run(&t, &web);
    assert_eq!(c.proof.proof.status, CheckStatus::Pass);
    assert_eq!(c.proof.key_binding.status, CheckStatus::Fail);
    // kid and jwk disagree
    let t = token(
        &json!({"alg": "EdDSA", "kid": "#key-1", "jwk": ed_jwk(&ed_key(8))}),
        &payload(issuer),
        ed_sign(&k),
    );
    let mut web = MapFetch::default();
    web.insert(issuer, profile(issuer, &jwk));
    assert_eq!(run(&t, &web).proof.proof.status, CheckStatus::Fail);
    // OB 3.0: a kid URL serving a bare JWK is a self-asserted key
    let kid = "https://keys.example/k1.json";
    let t = token(
        &json!({"alg": "EdDSA", "kid": kid}),
        &payload(issuer),
        ed_sign(&k),
    );
    let mut web = MapFetch::default();
    web.insert(kid, jwk.to_string());
    let c = run(&t, &web);
    assert_eq!(
        c.proof.proof.status,
        CheckStatus::Pass,
        "{:?}",
        c.proof.proof
    );
    assert!(c.proof.key_binding.unverifiable);
    web.insert(issuer, profile(issuer, &jwk));
    assert_eq!(run(&t, &web).proof.key_binding.status, CheckStatus::Pass);
}

#[test]
fn claim_mismatches() {
    use check_id::{FORMAT, VALIDITY};
    let iss = eddsa_did_jwk_token(|p| with(p, "iss", json!("https://someone.else")));
    let c = run(&iss, &Offline);
    assert!(
        has(&c.claim_checks, FORMAT, CheckStatus::Fail, "(iss)"),
        "{:?}",
        c.claim_checks
    );
    assert_eq!(verdict(&c), BadgeStatus::Invalid);

    let sub = eddsa_did_jwk_token(|p| with(p, "sub", json!("did:example:someone-else")));
    let c = run(&sub, &Offline);
    assert!(
        has(&c.claim_checks, FORMAT, CheckStatus::Fail, "(sub)"),
        "{:?}",
        c.claim_checks
    );

    let jti = eddsa_did_jwk_token(|p| with(p, "jti", json!("urn:uuid:other")));
    let c = run(&jti, &Offline);
    assert!(has(&c.claim_checks, FORMAT, CheckStatus::Fail, "(jti)"));

    let nbf = eddsa_did_jwk_token(|p| with(p, "nbf", json!(1893456000)));
    let c = run(&nbf, &Offline);
    assert!(has(
        &c.claim_checks,
        VALIDITY,
        CheckStatus::Fail,
        "not valid before"
    ));
    assert_eq!(verdict(&c), BadgeStatus::NotYetValid);

    let exp = eddsa_did_jwk_token(|p| with(p, "exp", json!(1735689600))); // 2025-01-01
    let c = run(&exp, &Offline);
    assert!(has(&c.claim_checks, VALIDITY, CheckStatus::Fail, "expired"));
    assert_eq!(verdict(&c), BadgeStatus::Expired);
    // exactly at exp is expired; a second before is not
    let c = run_at(&exp, time::macros::datetime!(2025-01-01 0:00 UTC));
    assert_eq!(verdict(&c), BadgeStatus::Expired);
    let c = run_at(&exp, time::macros::datetime!(2024-12-31 23:59:59 UTC));
    assert_eq!(verdict(&c), BadgeStatus::Valid);

    let text_date = eddsa_did_jwk_token(|p| with(p, "exp", json!("2030-01-01T00:00:00Z")));
    let c = run(&text_date, &Offline);
    assert!(has(
        &c.claim_checks,
        FORMAT,
        CheckStatus::Fail,
        "NumericDate"
    ));
    assert_eq!(verdict(&c), BadgeStatus::Invalid);
}

#[test]
fn header_types_and_crit() {
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let p = payload(&did);
    let kid = format!("{did}#0");
    for (typ, odd) in [
        ("JWT", false),
        ("vc+jwt", false),
        ("application/vc+ld+json+jwt", false),
        ("at+jwt", true),
    ] {
        let t = token(
            &json!({"alg": "EdDSA", "typ": typ, "kid": kid}),
            &p,
            ed_sign(&k),
        );
        let c = run(&t, &Offline);
        assert_eq!(
            has(&c.claim_checks, check_id::FORMAT, CheckStatus::Warn, "typ"),
            odd,
            "{typ}"
        );
        assert_eq!(verdict(&c), BadgeStatus::Valid, "{typ}");
    }
    let t = token(
        &json!({"alg": "EdDSA", "cty": "JWT", "kid": kid}),
        &p,
        ed_sign(&k),
    );
    assert!(has(
        &run(&t, &Offline).claim_checks,
        check_id::FORMAT,
        CheckStatus::Warn,
        "cty"
    ));

    let t = token(
        &json!({"alg": "EdDSA", "kid": kid, "crit": ["urn:example:ext"], "urn:example:ext": 1}),
        &p,
        ed_sign(&k),
    );
    assert!(matches!(parse_compact(&t), Err(JoseError::Critical(_))));
    let c = run(&t, &Offline);
    assert_eq!(c.proof.proof.status, CheckStatus::Fail);
    assert!(c.proof.proof.message.contains("critical"));
}

#[test]
fn v1_payload_made_here() {
    let k = ed_key(1);
    let did = did_jwk(&ed_jwk(&k));
    let mut vc = credential(&did);
    let o = vc.as_object_mut().unwrap();
    o["@context"] = json!(["https://www.w3.org/2018/credentials/v1"]);
    o.remove("id");
    o.remove("validFrom");
    o.remove("issuer");
    o["credentialSubject"].as_object_mut().unwrap().remove("id");
    let p = json!({"vc": vc, "iss": did, "sub": LEARNER, "jti": CRED_ID, "nbf": 1704067200, "exp": 1893456000});
    let t = token(
        &json!({"alg": "EdDSA", "typ": "JWT", "kid": format!("{did}#0")}),
        &p,
        ed_sign(&k),
    );
    let c = run(&t, &Offline);
    assert!(c.v1);
    assert_eq!(c.credential["issuer"], json!(did));
    assert_eq!(c.credential["id"], CRED_ID);
    assert_eq!(c.credential["issuanceDate"], "2024-01-01T00:00:00Z");
    assert_eq!(c.credential["expirationDate"], "2030-01-01T00:00:00Z");
    assert_eq!(c.credential["credentialSubject"]["id"], LEARNER);
    assert_eq!(verdict(&c), BadgeStatus::Valid, "{:?}", all_checks(&c));
}

#[test]
fn not_a_credential_jwt() {
    for text in [
        "",
        "hello",
        "a.b.c",
        "e30.e30.",
        "eyJhbGciOiJFZERTQSJ9.W10.",
    ] {
        let err = block_on(verify_jwt(text, at(), &Offline, Limits::default())).unwrap_err();
        assert!(matches!(err, Error::UnknownFormat(_)), "{text}: {err}");
    }
    let big = format!("{}.e30.", "a".repeat(3 * 1024 * 1024));
    let err = block_on(verify_jwt(&big, at(), &Offline, Limits::default())).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }));
    // a JWT that is not a credential
    let k = ed_key(1);
    let t = token(
        &json!({"alg": "EdDSA"}),
        &json!({"sub": "x", "exp": 1}),
        ed_sign(&k),
    );
    assert!(block_on(verify_jwt(&t, at(), &Offline, Limits::default())).is_err());
}
