//! Native verification speed: one Open Badges 3.0 credential with an eddsa-rdfc-2022
//! proof and the same credential with an eddsa-jcs-2022 proof.
//! `cargo bench -p qlabel-core --bench verify`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::SigningKey;
use qlabel_core::fetch::{block_on, Offline};
use qlabel_core::{multibase, sign, BadgeStatus, Options, SignOptions, Suite};
use serde_json::json;

fn credential(key: &SigningKey) -> serde_json::Value {
    let did = multibase::did_key(&key.verifying_key());
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "https://badges.example.org/credentials/3527",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Example Youth Centre", "url": "https://youth.example.org"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.org/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works with others towards a shared goal.",
                "criteria": {"narrative": "Nominated by peers and confirmed by a youth worker."}
            }
        }
    })
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let did = multibase::did_key(&key.verifying_key());
    let vm = format!("{did}#{}", did.trim_start_matches("did:key:"));
    let at = time::macros::datetime!(2026-01-01 0:00 UTC);
    for (name, suite) in [
        ("verify ob3 eddsa-rdfc-2022", Suite::EddsaRdfc2022),
        ("verify ob3 eddsa-jcs-2022", Suite::EddsaJcs2022),
    ] {
        let options = SignOptions {
            suite,
            verification_method: vm.clone(),
            created: Some(at),
            id: None,
            previous: Vec::new(),
        };
        let signed = sign(&credential(&key), &key, &options).unwrap();
        let bytes = serde_json::to_vec(&signed).unwrap();
        let opts = Options::at(at);
        let report = block_on(qlabel_core::verify(&bytes, &opts, &Offline)).unwrap();
        assert_eq!(
            report.badge.status,
            BadgeStatus::Valid,
            "{:?}",
            report.badge.checks
        );
        c.bench_function(name, |b| {
            b.iter(|| {
                block_on(qlabel_core::verify(
                    std::hint::black_box(&bytes),
                    &opts,
                    &Offline,
                ))
                .unwrap()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
