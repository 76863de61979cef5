//! Fuzz harnesses, shared by the cargo-fuzz targets in `fuzz/` and the stable regression
//! test `tests/fuzz_regressions.rs` (which replays every file of `fuzz/regressions/`).
//!
//! Each harness takes arbitrary bytes, drives the real code with them and panics when a
//! property the code promises does not hold. Not part of the API.
//!
//! Structured inputs (`jose`, `registry`, `detect`) are split into fields at `0xFF`
//! bytes, which never occur in UTF-8 text, so that plain text and JSON files are also
//! meaningful inputs (one field).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use crate::baked::{self, BakeError, ImageKind, SvgPayload, MAX_PAYLOAD_BYTES};
use crate::detect::{self, Link, PageInput, MAX_URL_BYTES};
use crate::fetch::{block_on, MapFetch, Offline};
use crate::label::{self, TrustAnchor};
use crate::limits::{parse_json, Limits};
use crate::{jcs, jose, jsonld, multibase, ob2, vcjwt, LabelStatus, Options, Report};
use crate::{BadgeStatus, SignOptions, Suite};
use base64::Engine;
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};
use std::sync::OnceLock;
use time::OffsetDateTime;

/// The fields of a structured input: the bytes between `0xFF` separators.
fn fields(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == 0xFF).collect()
}

/// The separator [`fields`] splits at.
pub const SEP: u8 = 0xFF;

fn at() -> OffsetDateTime {
    time::macros::datetime!(2026-06-01 0:00 UTC)
}

// ------------------------------------------------------------------- baked images

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// A found payload is non-empty, within the limit and trimmed: of white space and NUL
/// bytes in a PNG (`trim_payload`), of white space in an SVG (where NUL is no XML
/// character, and the `verify` attribute is taken as written).
fn check_payload(payload: &str, kind: ImageKind) {
    assert!(!payload.is_empty(), "unbake returned an empty payload");
    assert!(payload.len() <= MAX_PAYLOAD_BYTES, "payload over the limit");
    let trimmed = match kind {
        ImageKind::Png => payload.trim_matches(|c: char| c.is_whitespace() || c == '\0'),
        ImageKind::Svg => payload.trim(),
    };
    assert_eq!(payload, trimmed, "unbake returned an untrimmed payload");
}

/// PNG: [`baked::unbake`] (the PNG signature is put in front when missing, so that every
/// input exercises the chunk reader), [`baked::sniff`], and, when a badge is found:
/// baking the same payload back with [`baked::bake_png`] and reading it again gives the
/// same payload, and [`detect::baked_in_prefix`] of the whole file says `Badge`.
pub fn unbake_png(data: &[u8]) {
    let owned;
    let png = if data.starts_with(&PNG_SIGNATURE) {
        data
    } else {
        owned = [&PNG_SIGNATURE[..], data].concat();
        &owned
    };
    assert_eq!(baked::sniff(png), Some(ImageKind::Png));
    let Ok(found) = baked::unbake(png) else {
        return;
    };
    assert_eq!(found.kind, ImageKind::Png);
    check_payload(&found.payload, ImageKind::Png);
    assert_eq!(
        detect::baked_in_prefix(png),
        detect::Prefix::Badge,
        "unbake finds a badge that baked_in_prefix does not see"
    );
    for keyword in [baked::KEYWORD_OB2, baked::KEYWORD_OB3] {
        match baked::bake_png(png, &found.payload, keyword) {
            Ok(rebaked) => {
                let again = baked::unbake(&rebaked).expect("a freshly baked PNG unbakes");
                assert_eq!(again.payload, found.payload, "PNG bake/unbake round trip");
            }
            // bake_png is stricter than unbake (IHDR first, every chunk readable).
            Err(
                BakeError::Malformed(_) | BakeError::TooLarge(_) | BakeError::InvalidPayload(_),
            ) => {}
            Err(e) => panic!("bake_png refused a readable PNG: {e}"),
        }
    }
}

/// SVG: [`baked::sniff`] and [`baked::unbake`], and, when a badge is found: baking the
/// payload back with [`baked::bake_svg`] (in the form its shape calls for) and reading
/// it again gives the same payload.
pub fn unbake_svg(data: &[u8]) {
    let kind = baked::sniff(data);
    let result = baked::unbake(data);
    if kind.is_none() {
        assert_eq!(result, Err(BakeError::NotAnImage));
    }
    let Ok(found) = result else {
        return;
    };
    if found.kind != ImageKind::Svg {
        return;
    }
    check_payload(&found.payload, ImageKind::Svg);
    let svg = std::str::from_utf8(data).expect("an SVG that unbakes is UTF-8");
    let payload = &found.payload;
    let form = if serde_json::from_str::<Value>(payload).is_ok() {
        SvgPayload::CredentialJson
    } else if baked::looks_like_jws(payload) {
        SvgPayload::CredentialJws
    } else {
        SvgPayload::AssertionUrl
    };
    if let Ok(rebaked) = baked::bake_svg(svg, payload, form) {
        let again = baked::unbake(rebaked.as_bytes())
            .unwrap_or_else(|e| panic!("a freshly baked SVG does not unbake: {e}\n{rebaked}"));
        assert_eq!(&again.payload, payload, "SVG bake/unbake round trip");
    }
}

// ------------------------------------------------------------------- JSON-LD, JCS

/// JSON text → [`jsonld::canonicalize`] (safe mode, bundled contexts, RDFC-1.0) and
/// [`jcs::canonicalize`]. Properties: canonicalising twice gives the same N-Quads (the
/// context cache must not change results); [`jsonld::check`] agrees with
/// `canonicalize` on success; the N-Quads are sorted lines ending in `\n`; JCS is
/// idempotent (canonical text parsed and canonicalised again is unchanged).
pub fn jsonld_canon(data: &[u8]) {
    let Ok(doc) = parse_json(data, Limits::default()) else {
        return;
    };
    let canon = jcs::canonicalize(&doc);
    let reparsed: Value = serde_json::from_str(&canon).expect("JCS output is JSON");
    check_numbers(&doc);
    // serde_json reads numbers correctly rounded (its `float_roundtrip` feature: without
    // it, 7719213e171 read one double off, found by this target), so JCS is idempotent.
    assert_eq!(jcs::canonicalize(&reparsed), canon, "JCS is not idempotent");

    let first = jsonld::canonicalize(&doc);
    let second = jsonld::canonicalize(&doc);
    assert_eq!(
        first, second,
        "RDFC-1.0 canonicalisation is not deterministic"
    );
    if let Ok(nquads) = first {
        assert!(
            jsonld::check(&doc).is_ok(),
            "check refuses a document canonicalize accepts"
        );
        if !nquads.is_empty() {
            assert!(nquads.ends_with('\n'));
            let lines: Vec<&str> = nquads.lines().collect();
            assert!(lines.windows(2).all(|w| w[0] <= w[1]), "N-Quads not sorted");
        }
    }
}

/// Every number JCS writes (ECMAScript's shortest form) reads back, with a correctly
/// rounding parser, as the same double.
fn check_numbers(v: &Value) {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let text = ryu_js::Buffer::new().format(f).to_string();
            let back: f64 = text.parse().expect("JCS writes numbers Rust can read");
            assert!(
                back == f,
                "JCS wrote {f:?} as {text}, which reads back as {back:?}"
            );
        }
        Value::Array(a) => a.iter().for_each(check_numbers),
        Value::Object(m) => m.values().for_each(check_numbers),
        _ => {}
    }
}

// ------------------------------------------------------------------- JOSE

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compact JWS/JWT: [`jose::parse_compact`], VC-JWT ([`vcjwt::verify_jwt`]), OB 2.0
/// signed assertions ([`ob2::parse_ob2`], [`ob2::verify_ob2`]) and the whole
/// [`crate::verify`], all offline. Input: the token text; or, with `0xFF` separators,
/// `header 0xFF payload [0xFF signature]`, which the harness base64url-encodes into a
/// token (so that the fuzzer works on the JSON inside); without a signature field it
/// signs the token with the `did:key` of [`registry_seed`]'s holder (EdDSA). Properties: what parses has a
/// string `alg`, payload and signature that decode from the token's parts, and a
/// signing input made of its first two parts.
pub fn jose(data: &[u8]) {
    let parts = fields(data);
    let token = if parts.len() >= 3 {
        format!("{}.{}.{}", b64(parts[0]), b64(parts[1]), b64(parts[2]))
    } else if parts.len() == 2 {
        // Signed with the holder's key (EdDSA), so the checks behind the signature run
        // when the header names that key.
        use ed25519_dalek::Signer;
        let input = format!("{}.{}", b64(parts[0]), b64(parts[1]));
        let signature = world().holder_key.sign(input.as_bytes());
        format!("{input}.{}", b64(&signature.to_bytes()))
    } else {
        match std::str::from_utf8(data) {
            Ok(t) => t.to_string(),
            Err(_) => return,
        }
    };
    if let Ok(jws) = jose::parse_compact(&token) {
        assert!(jws.alg().is_some());
        let t = token.trim();
        let mut it = t.split('.');
        let (h, p, s) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
        assert_eq!(jws.signing_input, format!("{h}.{p}"));
        assert_eq!(b64(&jws.payload), p);
        assert_eq!(b64(&jws.signature), s);
    }
    let _ = block_on(vcjwt::verify_jwt(&token, at(), &Offline, Limits::default()));
    if let Ok(input) = ob2::parse_ob2(token.as_bytes(), Limits::default()) {
        let report = block_on(ob2::verify_ob2(input, &Options::at(at()), &Offline));
        check_report(&report);
    }
    if let Ok(report) = block_on(crate::verify(
        token.as_bytes(),
        &Options::at(at()),
        &Offline,
    )) {
        check_report(&report);
    }
}

/// Fail closed: a label is only ever `labelled` when the badge is valid.
fn check_report(report: &Report) {
    if report.label.status == LabelStatus::Labelled {
        assert_eq!(
            report.badge.status,
            BadgeStatus::Valid,
            "labelled while the badge is not valid"
        );
    }
}

// ------------------------------------------------------------------- registry

/// Where the fuzzed world lives.
pub const AUTHORITY: &str = "https://authority.example";
const BASE: &str = "https://authority.example/site";

struct World {
    auth_key: SigningKey,
    holder_key: SigningKey,
    auth_doc: Vec<u8>,
    anchor: TrustAnchor,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let auth_key = SigningKey::from_bytes(&[11; 32]);
        let holder_key = SigningKey::from_bytes(&[12; 32]);
        let mb = multibase::ed25519_public_to_multibase(&auth_key.verifying_key());
        let auth_doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": AUTHORITY,
            "verificationMethod": [{"id": format!("{AUTHORITY}#key-1"), "type": "Multikey",
                "controller": AUTHORITY, "publicKeyMultibase": mb}],
            "assertionMethod": [format!("{AUTHORITY}#key-1")]
        });
        let anchor = TrustAnchor {
            kind: label::TRUST_ANCHOR_TYPE.into(),
            id: AUTHORITY.into(),
            name: "Fuzz Label Authority".into(),
            keys: vec![label::AnchorKey {
                id: format!("{AUTHORITY}#key-1"),
                public_key_multibase: mb,
            }],
            registry: Some(format!("{BASE}/registry.json")),
            shards: Some(format!("{BASE}/shards/{{shard}}.json")),
        };
        World {
            auth_doc: serde_json::to_vec(&auth_doc).unwrap(),
            auth_key,
            holder_key,
            anchor,
        }
    })
}

fn holder_vm(w: &World) -> String {
    let d = multibase::did_key(&w.holder_key.verifying_key());
    format!("{d}#{}", d.trim_start_matches("did:key:"))
}

/// A JSON object without a proof is signed (`eddsa-jcs-2022`) so that the fuzzer gets
/// past signature checks into the logic behind them; anything else is served as is.
fn signed(bytes: &[u8], key: &SigningKey, vm: &str) -> Vec<u8> {
    let Ok(Value::Object(doc)) = parse_json(bytes, Limits::default()) else {
        return bytes.to_vec();
    };
    if doc.contains_key("proof") {
        return bytes.to_vec();
    }
    let options = SignOptions {
        suite: Suite::EddsaJcs2022,
        verification_method: vm.to_string(),
        created: Some(time::macros::datetime!(2025-01-01 0:00 UTC)),
        id: None,
        previous: Vec::new(),
    };
    match crate::sign(&Value::Object(doc), key, &options) {
        Ok(v) => serde_json::to_vec(&v).unwrap(),
        Err(_) => bytes.to_vec(),
    }
}

/// The registry reader and the whole offline [`crate::verify`] with a trusted label
/// authority and an in-memory web. Input fields (`0xFF`-separated, all optional):
/// `badge`, `registry`, `label credential`, `revocation list`, `suspension list`,
/// `trust anchors`, `shard`. JSON objects without a proof are signed first (the badge
/// with the holder's `did:key`, the rest with the authority's key), so hostile
/// registry, shard and label documents reach the code behind the signature checks.
/// Also [`TrustAnchor::parse_many`] and [`label::registry_signer`] on the raw fields.
/// Property: a label is `labelled` only for a valid badge, and only from a registry
/// whose signer is a trusted anchor's key.
pub fn registry(data: &[u8]) {
    let w = world();
    let parts = fields(data);
    let part = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());

    // Registry-document readers on the raw text.
    for p in parts.iter().take(7) {
        if let Ok(Value::Object(doc)) = parse_json(p, Limits::default()) {
            let _ = label::registry_signer(&doc);
            let _ = doc
                .get("credentialSubject")
                .and_then(|s| s.get("labels"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|e| {
                            serde_json::from_value::<label::RegistryEntry>(e.clone()).ok()
                        })
                        .count()
                });
        }
    }
    let mut trust = vec![w.anchor.clone()];
    if let Some(text) = part(5).and_then(|p| std::str::from_utf8(p).ok()) {
        if let Ok(anchors) = TrustAnchor::parse_many(text) {
            for a in &anchors {
                for k in &a.keys {
                    let _ = label::anchor_key(a, &k.id).expect("parse_many checked the keys");
                }
            }
            trust = anchors;
        }
    }

    let Some(badge) = part(0) else {
        return;
    };
    let auth_vm = format!("{AUTHORITY}#key-1");
    let badge = signed(badge, &w.holder_key, &holder_vm(w));
    let mut web = MapFetch::default();
    web.insert(AUTHORITY, w.auth_doc.clone());
    let docs = [
        (1, format!("{BASE}/registry.json")),
        (2, format!("{BASE}/labels/1.json")),
        (3, format!("{BASE}/status/revocation")),
        (4, format!("{BASE}/status/suspension")),
    ];
    for (i, url) in docs {
        if let Some(p) = part(i) {
            web.insert(url, signed(p, &w.auth_key, &auth_vm));
        }
    }
    if let Some(p) = part(6) {
        // The shard of the badge's issuer.
        let issuer = parse_json(&badge, Limits::default()).ok().and_then(|v| {
            v.as_object()
                .and_then(|m| crate::vc::issuer_id(m).map(str::to_string))
        });
        if let Some(issuer) = issuer {
            let url = format!("{BASE}/shards/{}.json", label::shard_of(&issuer));
            web.insert(url, signed(p, &w.auth_key, &auth_vm));
        }
    }
    let mut options = Options::at(at());
    options.trust = trust.clone();
    let Ok(report) = block_on(crate::verify(&badge, &options, &web)) else {
        return;
    };
    check_report(&report);
    if report.label.status == LabelStatus::Labelled {
        let authority = report
            .label
            .authority
            .as_ref()
            .expect("a label names its authority");
        assert!(
            trust.iter().any(|a| a.id == authority.id),
            "labelled by {} which is not trusted",
            authority.id
        );
    }
    // The same world without trust anchors never yields a label.
    let report = block_on(crate::verify(&badge, &Options::at(at()), &web));
    if let Ok(report) = report {
        check_report(&report);
        assert_ne!(
            report.label.status,
            LabelStatus::Labelled,
            "labelled without trust"
        );
    }
}

/// A consistent labelled world as one `registry` input (unsigned documents; the harness
/// signs them): the seed the `registry` corpus starts from.
pub fn registry_seed() -> Vec<u8> {
    let w = world();
    let holder_id = multibase::did_key(&w.holder_key.verifying_key());
    let holder = label::Holder {
        ids: vec![holder_id.clone(), "https://youth.example/issuer".into()],
        name: "Demo Youth Centre".into(),
    };
    let entry = label::RegistryEntry {
        label: format!("{BASE}/labels/1.json"),
        status: label::EntryStatus::Active,
        holder: holder.clone(),
        domains: vec!["youth.example".into()],
        valid_from: "2025-01-01T00:00:00Z".into(),
        valid_until: "2028-01-01T00:00:00Z".into(),
        scope: Vec::new(),
        credential: format!("{BASE}/labels/1.json"),
        certificate: format!("{BASE}/labels/1.html"),
        history: vec![label::StatusEvent {
            at: "2025-01-01T00:00:00Z".into(),
            status: label::EntryStatus::Active,
            reason: None,
        }],
    };
    let label_doc = label::label_credential(&label::LabelParams {
        id: &entry.label,
        authority_id: AUTHORITY,
        authority_name: "Fuzz Label Authority",
        holder: &holder,
        domains: &entry.domains,
        scope: &entry.scope,
        valid_from: &entry.valid_from,
        valid_until: &entry.valid_until,
        status: Some((&format!("{BASE}/status"), 1, 1)),
        certificate: &entry.certificate,
    });
    let list = |purpose: &str| {
        label::status_list_credential(
            &format!("{BASE}/status/{purpose}"),
            AUTHORITY,
            purpose,
            "2025-01-01T00:00:00Z",
            &[0u8; 16],
        )
    };
    let registry = label::registry_document(
        &format!("{BASE}/registry.json"),
        AUTHORITY,
        "2026-05-30T00:00:00Z",
        "2026-06-06T00:00:00Z",
        None,
        std::slice::from_ref(&entry),
    );
    let badge = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "https://youth.example/credentials/1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": holder_id, "type": ["Profile"], "name": "Demo Youth Centre"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
            "achievement": {"id": "https://youth.example/achievements/teamwork", "type": ["Achievement"],
                "name": "Teamwork", "description": "Works with others.", "criteria": {"narrative": "A team project."}}}
    });
    let anchors = serde_json::to_value(vec![&w.anchor]).unwrap();
    let docs = [
        badge,
        registry,
        label_doc,
        list("revocation"),
        list("suspension"),
        anchors,
    ];
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.extend(serde_json::to_vec(d).unwrap());
    }
    out
}

// ------------------------------------------------------------------- detection

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What the detection module promises of every URL it hands out: at most
/// [`MAX_URL_BYTES`], `https` (or `http` to a loopback host), no credentials, control
/// characters, white space or backslashes, and (unless `fragment_ok`) no fragment.
fn check_url(u: &str, fragment_ok: bool) {
    assert!(u.len() <= MAX_URL_BYTES, "URL over {MAX_URL_BYTES} bytes");
    assert!(
        !u.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\'),
        "control character, white space or backslash in {u:?}"
    );
    assert!(fragment_ok || !u.contains('#'), "fragment kept in {u:?}");
    let lower = u.to_ascii_lowercase();
    let (http, rest) = if let Some(r) = lower.strip_prefix("https://") {
        (false, r)
    } else if let Some(r) = lower.strip_prefix("http://") {
        (true, r)
    } else {
        panic!("not an http(s) URL: {u:?}");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    assert!(!authority.contains('@'), "credentials in {u:?}");
    assert!(!authority.is_empty(), "no host in {u:?}");
    if http {
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        let host = host.trim_end_matches('.');
        let loopback = host == "localhost"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|a| a.is_loopback())
            || host
                .parse::<std::net::Ipv6Addr>()
                .is_ok_and(|a| a.is_loopback());
        assert!(loopback, "plain http to a host that is not loopback: {u:?}");
    }
}

fn check_link(l: &Link) {
    check_url(&l.page, false);
    if let Some(f) = &l.fetch {
        check_url(f, false);
    }
}

/// The detection rules. Field 0 picks the rule by its first byte; the other fields are
/// its arguments (lossy UTF-8). Properties: every URL returned is what the module
/// promises ([`check_url`]); `detect_page` finds only items that exist, in order.
pub fn detect(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f: Vec<String> = fields(rest).into_iter().map(text).collect();
    let arg = |i: usize| f.get(i).map(String::as_str).unwrap_or_default();
    match mode % 8 {
        0 => {
            if let Some(l) = detect::classify_link(arg(0)) {
                check_link(&l);
            }
            if let Some(u) = detect::fetchable(arg(0)) {
                check_url(&u, false);
                assert_eq!(detect::fetchable(&u).as_deref(), Some(u.as_str()));
            }
        }
        1 => {
            let _ = detect::classify_image(arg(0), arg(1), arg(2));
        }
        2 => {
            if let Some(l) = detect::classify_alternate(arg(0), arg(1)) {
                check_link(&l);
            }
        }
        3 => {
            if let Some(l) = detect::classify_embed(arg(0), arg(1)) {
                check_link(&l);
            }
        }
        4 => {
            if let Some(u) = detect::follow_via(arg(0), arg(1)) {
                check_url(&u, true);
            }
        }
        5 => {
            let _ = detect::script_is_badge(arg(0));
        }
        6 => {
            let _ = detect::baked_in_prefix(rest);
            if let Some(u) = detect::resolve(arg(0), arg(1)) {
                assert!(u.len() <= MAX_URL_BYTES);
                if let Some(l) = detect::classify_link(&u) {
                    check_link(&l);
                }
            }
        }
        _ => {
            // A page: url, then items tagged by their first character.
            let mut page = PageInput {
                url: arg(0).to_string(),
                ..PageInput::default()
            };
            for item in f.iter().skip(1) {
                let mut sub = item.splitn(4, '\u{1}');
                let head = sub.next().unwrap_or_default();
                let (tag, first) = match head.char_indices().nth(1) {
                    Some((i, _)) => (&head[..i], head[i..].to_string()),
                    None => (head, String::new()),
                };
                let second = sub.next().unwrap_or_default().to_string();
                let third = sub.next().unwrap_or_default().to_string();
                match tag {
                    "i" => page.images.push(detect::ImageInput {
                        src: first,
                        alt: second,
                        title: third,
                    }),
                    "s" => page.scripts.push(first),
                    "a" => page.alternates.push((first, second)),
                    "e" => page.embeds.push((first, second)),
                    _ => page.links.push(first),
                }
            }
            let found = detect::detect_page(&page);
            let mut last = (0u8, 0usize);
            for item in &found {
                let (rank, len) = match item.source {
                    detect::Source::Page => (0, 1),
                    detect::Source::Link => (1, page.links.len()),
                    detect::Source::Image => (2, page.images.len()),
                    detect::Source::Script => (3, page.scripts.len()),
                    detect::Source::Alternate => (4, page.alternates.len()),
                    detect::Source::Embed => (5, page.embeds.len()),
                };
                assert!(item.index < len, "found an item that does not exist");
                assert!((rank, item.index) >= last, "found out of order");
                last = (rank, item.index);
                assert_eq!(
                    item.link.is_some(),
                    !matches!(item.source, detect::Source::Image | detect::Source::Script)
                );
                if let Some(l) = &item.link {
                    check_link(l);
                }
            }
        }
    }
}

/// A harness: bytes in, a panic when a property fails.
pub type Harness = fn(&[u8]);

/// Every harness by name, for the regression test and the fuzz targets.
pub const TARGETS: &[(&str, Harness)] = &[
    ("unbake_png", unbake_png),
    ("unbake_svg", unbake_svg),
    ("jsonld_canon", jsonld_canon),
    ("jose", jose),
    ("registry", registry),
    ("detect", detect),
];
