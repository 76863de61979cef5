//! JSON-LD → RDFC-1.0 against third-party test vectors in `shared/vectors`
//! (read in place, never copied into the repository).

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use qlabel_core::jsonld::{self, JsonLdError};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

fn vectors() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors"
    ))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&read(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn without_proof(doc: &Value) -> Value {
    let mut d = doc.clone();
    if let Some(m) = d.as_object_mut() {
        m.remove("proof");
    }
    d
}

fn canon(doc: &Value, what: &str) -> String {
    jsonld::canonicalize(doc).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Compare canonical N-Quads and show the first differing line.
fn assert_nquads_eq(got: &str, want: &str, what: &str) {
    if got != want {
        let g: Vec<&str> = got.lines().collect();
        let w: Vec<&str> = want.lines().collect();
        for i in 0..g.len().max(w.len()) {
            if g.get(i) != w.get(i) {
                panic!(
                    "{what}: canonical N-Quads differ at line {i}:\n got: {:?}\nwant: {:?}\n\nfull got:\n{got}",
                    g.get(i),
                    w.get(i)
                );
            }
        }
        panic!("{what}: canonical N-Quads differ (line endings?)");
    }
}

// ---------------------------------------------------------------------------------------
// W3C vc-di-eddsa test vectors.

struct DiVector {
    dir: &'static str,
    suffix: &'static str,
    signed: &'static str,
    unsigned: Option<&'static str>,
}

const DI_VECTORS: &[DiVector] = &[
    DiVector {
        dir: "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022",
        suffix: "DataInt",
        signed: "signedDataInt.json",
        unsigned: Some("w3c-vc-di-eddsa/TestVectors/unsigned.json"),
    },
    DiVector {
        dir: "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ",
        suffix: "DataInt",
        signed: "signedDataInt.json",
        unsigned: Some("w3c-vc-di-eddsa/TestVectors/employmentAuth.json"),
    },
    DiVector {
        dir: "w3c-vc-di-eddsa/TestVectors/Ed25519Signature2020",
        suffix: "EdSig",
        signed: "signedEdSig.json",
        unsigned: None,
    },
];

#[test]
fn vc_di_eddsa_canonical_forms_and_hashes() {
    for v in DI_VECTORS {
        let dir = vectors().join(v.dir);
        let want_doc = read(&dir.join(format!("canonDoc{}.txt", v.suffix)));
        let signed = json(&dir.join(v.signed));
        let got = canon(&without_proof(&signed), v.dir);
        assert_nquads_eq(&got, &want_doc, &format!("{} document", v.dir));
        if let Some(u) = v.unsigned {
            let got_u = canon(&json(&vectors().join(u)), u);
            assert_nquads_eq(&got_u, &want_doc, u);
        }
        let doc_hash = read(&dir.join(format!("docHash{}.txt", v.suffix)));
        assert_eq!(sha256_hex(&got), doc_hash.trim(), "{} docHash", v.dir);

        let config = json(&dir.join(format!("proofConfig{}.json", v.suffix)));
        let want_proof = read(&dir.join(format!("proofCanon{}.txt", v.suffix)));
        let got_proof = canon(&config, v.dir);
        assert_nquads_eq(&got_proof, &want_proof, &format!("{} proof config", v.dir));
        let proof_hash = read(&dir.join(format!("proofHash{}.txt", v.suffix)));
        assert_eq!(
            sha256_hex(&got_proof),
            proof_hash.trim(),
            "{} proofHash",
            v.dir
        );
    }
}

// ---------------------------------------------------------------------------------------
// 1EdTech OB 3.0 / CLR 2.0 implementation-guide vectors.

#[test]
fn openbadges_impl_guide_vectors() {
    let base =
        vectors().join("1edtech-openbadges-specification/extracted/ob_v3p0_impl_test_vectors");
    for (vector, signed) in [
        ("ob-vector.json", "ob-credential-signed.json"),
        ("clr-vector.json", "clr-credential-signed.json"),
    ] {
        let v = json(&base.join(vector));
        let doc = json(&base.join(signed));
        let unsecured = without_proof(&doc);

        let want_doc = read(&base.join(v["documentCanonFile"].as_str().unwrap_or_default()));
        let got_doc = canon(&unsecured, signed);
        assert_nquads_eq(&got_doc, &want_doc, &format!("{vector} document"));
        assert_eq!(
            sha256_hex(&got_doc),
            v["documentHashHex"].as_str().unwrap_or_default(),
            "{vector} document hash"
        );

        let mut config = v["proofConfig"].clone();
        if let Some(m) = config.as_object_mut() {
            m.insert("@context".into(), doc["@context"].clone());
        }
        let want_proof = read(&base.join(v["proofCanonFile"].as_str().unwrap_or_default()));
        let got_proof = canon(&config, vector);
        assert_nquads_eq(&got_proof, &want_proof, &format!("{vector} proof config"));
        assert_eq!(
            sha256_hex(&got_proof),
            v["proofHashHex"].as_str().unwrap_or_default(),
            "{vector} proof hash"
        );

        // The unsigned copy canonicalises the same way.
        let unsigned_name = signed.replace("-signed", "-unsigned");
        let unsigned = json(&base.join(unsigned_name));
        assert_eq!(canon(&unsigned, signed), got_doc);
    }
}

// ---------------------------------------------------------------------------------------
// Every signed vector that verified offline (rdfc / Ed25519Signature2020) must canonicalise,
// and its signatures must verify with our canonical forms (this pins the context versions).

fn multibase_ed25519_key(mb: &str) -> Option<[u8; 32]> {
    let raw = bs58::decode(mb.strip_prefix('z')?).into_vec().ok()?;
    if raw.len() == 34 && raw[0] == 0xed && raw[1] == 0x01 {
        raw[2..].try_into().ok()
    } else {
        None
    }
}

/// did:key, and `<anything>#<publicKeyMultibase>` (1EdTech / did:web fixtures).
fn resolve_key(vm: &str) -> Option<[u8; 32]> {
    if let Some(frag) = vm.split('#').nth(1) {
        if let Some(k) = multibase_ed25519_key(frag) {
            return Some(k);
        }
    }
    let id = vm.strip_prefix("did:key:")?.split('#').next()?;
    multibase_ed25519_key(id)
}

fn proofs_of(doc: &Value) -> Vec<Map<String, Value>> {
    match doc.get("proof") {
        Some(Value::Array(a)) => a.iter().filter_map(|p| p.as_object().cloned()).collect(),
        Some(Value::Object(p)) => vec![p.clone()],
        _ => Vec::new(),
    }
}

fn is_rdfc_proof(p: &Map<String, Value>) -> bool {
    match p.get("type").and_then(Value::as_str) {
        Some("Ed25519Signature2020") => true,
        Some("DataIntegrityProof") => matches!(
            p.get("cryptosuite").and_then(Value::as_str),
            Some("eddsa-rdfc-2022") | Some("eddsa-2022")
        ),
        _ => false,
    }
}

/// Verify one proof; `Err` carries a reason.
fn verify_proof(
    doc: &Value,
    proof: &Map<String, Value>,
    all: &[Map<String, Value>],
) -> Result<(), String> {
    let mut secured = without_proof(doc);
    // Proof chains: the previous proofs are part of what is signed.
    let prev: Vec<&str> = match proof.get("previousProof") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !prev.is_empty() {
        let matching: Vec<Value> = all
            .iter()
            .filter(|p| {
                p.get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| prev.contains(&id))
            })
            .map(|p| Value::Object(p.clone()))
            .collect();
        if let Some(m) = secured.as_object_mut() {
            m.insert("proof".into(), Value::Array(matching));
        }
    }
    let mut config = proof.clone();
    let proof_value = config
        .remove("proofValue")
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or("no proofValue")?;
    config.insert("@context".into(), doc["@context"].clone());
    let doc_c = jsonld::canonicalize(&secured).map_err(|e| format!("document: {e}"))?;
    let proof_c =
        jsonld::canonicalize(&Value::Object(config)).map_err(|e| format!("proof: {e}"))?;
    let mut data = Sha256::digest(proof_c.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(doc_c.as_bytes()));
    let vm = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or("no verificationMethod")?;
    let key = resolve_key(vm).ok_or_else(|| format!("cannot resolve {vm}"))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|e| e.to_string())?;
    let sig = bs58::decode(
        proof_value
            .strip_prefix('z')
            .ok_or("proofValue not base58btc")?,
    )
    .into_vec()
    .map_err(|e| e.to_string())?;
    let sig = Signature::from_slice(&sig).map_err(|e| e.to_string())?;
    key.verify(&data, &sig)
        .map_err(|_| "signature does not verify".to_owned())
}

#[test]
fn offline_ok_vectors_canonicalize_and_verify() {
    let exp = json(&vectors().join("EXPECTATIONS.json"));
    let entries = exp.as_array().cloned().unwrap_or_default();
    let mut checked_docs = 0;
    let mut checked_proofs = 0;
    let mut failures = Vec::new();
    for e in &entries {
        let check = e["offline_crypto_check"].as_str().unwrap_or_default();
        if !check.starts_with("OK")
            || !(check.contains("rdfc") || check.contains("Ed25519Signature2020"))
        {
            continue;
        }
        let file = e["file"].as_str().unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(vectors().join(file)) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue; // JWT, PNG, … — not JSON-LD
        };
        checked_docs += 1;
        if let Err(err) = jsonld::canonicalize(&without_proof(&doc)) {
            failures.push(format!("{file}: {err}"));
            continue;
        }
        let proofs = proofs_of(&doc);
        for p in proofs.iter().filter(|p| is_rdfc_proof(p)) {
            checked_proofs += 1;
            if let Err(err) = verify_proof(&doc, p, &proofs) {
                failures.push(format!(
                    "{file} ({}): {err}",
                    p.get("type").and_then(Value::as_str).unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked_docs >= 100, "only {checked_docs} documents checked");
    assert!(
        checked_proofs >= 120,
        "only {checked_proofs} proofs checked"
    );
}

// ---------------------------------------------------------------------------------------
// W3C vc-data-model-2.0-test-suite inputs: unsigned, and many fail for data-model reasons
// (some "-ok" ones too: e.g. a proof with terms no context defines), so only check that
// nothing panics or takes long, and that the plainest valid credentials work.

#[test]
fn vc_data_model_inputs_do_not_panic_or_hang() {
    let root = vectors().join("w3c-vc-data-model-2.0-test-suite/tests");
    let mut stack = vec![root];
    let mut n = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(doc) = serde_json::from_str::<Value>(&read(&path)) else {
                continue;
            };
            let t = std::time::Instant::now();
            let r = jsonld::canonicalize(&doc);
            assert!(
                t.elapsed().as_secs_f64() < 1.0,
                "{}: too slow",
                path.display()
            );
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if matches!(
                name,
                "credential-ok.json"
                    | "presentation-ok.json"
                    | "presentation-vc-ok.json"
                    | "validVc.json"
            ) {
                assert!(r.is_ok(), "{name}: {r:?}");
            }
            n += 1;
        }
    }
    assert!(n > 100, "only {n} inputs");
}

#[test]
fn bundled_urls_cover_the_context_map() {
    let map = json(&vectors().join("CONTEXT-MAP.json"));
    for url in map.as_object().into_iter().flat_map(|m| m.keys()) {
        if url.starts_with('_') {
            continue;
        }
        assert!(jsonld::is_bundled(url), "{url} is not bundled");
    }
    for url in [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/v1",
        "https://w3id.org/security/v2",
    ] {
        assert!(jsonld::is_bundled(url), "{url} is not bundled");
    }
    assert!(!jsonld::is_bundled("https://example.com/context.json"));
    assert!(jsonld::bundled_urls().count() >= 23);
    // Every bundled context can be used on its own.
    for url in jsonld::bundled_urls() {
        let doc = serde_json::json!({"@context": url, "@id": "urn:x:1", "@type": "urn:x:T"});
        let r = jsonld::canonicalize(&doc);
        assert!(r.is_ok(), "{url}: {r:?}");
    }
}

#[test]
fn unknown_context_is_reported() {
    let doc = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.com/ctx.jsonld"],
        "type": "VerifiableCredential"
    });
    assert!(matches!(
        jsonld::canonicalize(&doc),
        Err(JsonLdError::UnknownContext(_))
    ));
}
