//! Baked badges: the public vectors (1EdTech validators, the OB 2.0 spec, the Mozilla
//! bakery), round trips through `bake_png` / `bake_svg` / `unbake`, and hostile images.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qlabel_core::baked::{
    bake_png, bake_svg, sniff, unbake, BakeError, Baked, ImageKind, SvgPayload, KEYWORD_OB2,
    KEYWORD_OB3, MAX_IMAGE_BYTES,
};
use serde_json::Value;
use std::time::{Duration, Instant};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors");
const INSPECTOR: &str =
    "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources";
const HEART: &str = "1edtech-openbadges-validator-core/tests/testfiles/public_domain_heart.png";

fn vector(path: &str) -> Vec<u8> {
    let full = format!("{VECTORS}/{path}");
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn inspector(path: &str) -> String {
    format!("{INSPECTOR}/{path}")
}

/// What unbaking a vector must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// JSON whose `type` contains this.
    Json(&'static str),
    /// A compact JWS.
    Jws,
    /// Exactly this URL.
    Url(&'static str),
    NoBadge,
    Malformed,
}

fn expectations() -> Vec<(String, Expect)> {
    vec![
        (
            inspector("ob30/simple-json.png"),
            Expect::Json("OpenBadgeCredential"),
        ),
        (
            inspector("ob30/simple-json.svg"),
            Expect::Json("OpenBadgeCredential"),
        ),
        (inspector("ob30/simple-jwt.png"), Expect::Jws),
        (inspector("ob30/simple-jwt.svg"), Expect::Jws),
        (inspector("ob30/simple-jwt_v1.png"), Expect::Jws),
        (inspector("ob30/simple-jwt_v1.svg"), Expect::Jws),
        (
            inspector("ob20/simple-badge.png"),
            Expect::Json("Assertion"),
        ),
        (
            inspector("ob20/assets/beths-robot-badge.png"),
            Expect::NoBadge,
        ),
        (inspector("ob20/assets/robotics-badge.png"), Expect::NoBadge),
        (
            "1edtech-openbadges-validator-core/tests/testfiles/baked_heart.png".into(),
            Expect::Json("Assertion"),
        ),
        (HEART.into(), Expect::NoBadge),
        // OB 1.x style: a verify URL and a JSON body; the body wins (as in the OB 2.0
        // spec and the current bakery).
        (
            "mozilla-openbadges-bakery/test/baked.svg".into(),
            Expect::Json(""),
        ),
        // The body is not JSON (an unquoted key): an error, as upstream expects.
        (
            "mozilla-openbadges-bakery/test/bad-json.svg".into(),
            Expect::Malformed,
        ),
        // Empty CDATA: the verify attribute.
        (
            "mozilla-openbadges-bakery/test/no-json.svg".into(),
            Expect::Url("http://example.org"),
        ),
        // Not well-formed after the badge element (`<rest-of-document...>`): the spec
        // says to stop at the first badge element, so the payload is found.
        (
            "1edtech-openbadges-specification/extracted/ob_v2p0_baking_example.svg".into(),
            Expect::Json("Assertion"),
        ),
    ]
}

fn check(file: &str, expect: Expect) {
    let bytes = vector(file);
    let kind = if file.ends_with(".png") {
        ImageKind::Png
    } else {
        ImageKind::Svg
    };
    assert_eq!(sniff(&bytes), Some(kind), "{file}");
    let result = unbake(&bytes);
    match expect {
        Expect::NoBadge => assert_eq!(result, Err(BakeError::NoBadge), "{file}"),
        Expect::Malformed => {
            assert!(
                matches!(result, Err(BakeError::Malformed(_))),
                "{file}: {result:?}"
            )
        }
        _ => {
            let Baked { kind: got, payload } = result.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(got, kind, "{file}");
            assert_eq!(payload, payload.trim(), "{file}: payload is trimmed");
            match expect {
                Expect::Json(ty) => {
                    let v: Value = serde_json::from_str(&payload)
                        .unwrap_or_else(|e| panic!("{file}: {e}: {payload}"));
                    if !ty.is_empty() {
                        let types = match &v["type"] {
                            Value::Array(a) => a.clone(),
                            t => vec![t.clone()],
                        };
                        assert!(types.iter().any(|t| t == ty), "{file}: {}", v["type"]);
                    }
                }
                Expect::Jws => {
                    assert_eq!(payload.split('.').count(), 3, "{file}");
                    assert!(payload.starts_with("eyJ"), "{file}");
                }
                Expect::Url(url) => assert_eq!(payload, url, "{file}"),
                Expect::NoBadge | Expect::Malformed => unreachable!(),
            }
        }
    }
}

#[test]
fn vectors_unbake_as_expected() {
    for (file, expect) in expectations() {
        check(&file, expect);
    }
}

#[test]
fn every_image_in_expectations_is_covered() {
    let list: Vec<Value> =
        serde_json::from_slice(&vector("EXPECTATIONS.json")).expect("EXPECTATIONS.json");
    let covered: Vec<String> = expectations().into_iter().map(|(f, _)| f).collect();
    let mut images = 0;
    for entry in list {
        let file = entry["file"].as_str().unwrap();
        if file.ends_with(".png") || file.ends_with(".svg") {
            images += 1;
            assert!(
                covered.iter().any(|c| c == file),
                "{file} is not covered here"
            );
        }
    }
    assert_eq!(images, covered.len());
}

#[test]
fn baked_vectors_carry_the_right_badges() {
    // The spec's example: the JSON body of a hosted assertion, not its verify URL.
    let spec = unbake(&vector(
        "1edtech-openbadges-specification/extracted/ob_v2p0_baking_example.svg",
    ))
    .unwrap();
    let v: Value = serde_json::from_str(&spec.payload).unwrap();
    assert_eq!(v["id"], "https://example.org/assertions/123");
    // simple-jwt.svg and .png carry a JWS whose payload is an OB 3.0 credential.
    let jws = unbake(&vector(&inspector("ob30/simple-jwt.svg"))).unwrap();
    assert!(jws.payload.len() > 1000);
    let baked = unbake(&vector(
        "1edtech-openbadges-validator-core/tests/testfiles/baked_heart.png",
    ))
    .unwrap();
    let v: Value = serde_json::from_str(&baked.payload).unwrap();
    assert_eq!(v["@context"], "https://w3id.org/openbadges/v2");
}

// ------------------------------------------------------------------ round trips

const JSON2: &str = r#"{"@context":"https://w3id.org/openbadges/v2","id":"https://example.org/assertions/1","type":"Assertion","note":"a ]]> inside & <b>"}"#;
const JSON3: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"name":"Ünïcödé ]]>]]> 🎖"}"#;
const JWS: &str = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";
const URL: &str = "https://example.org/assertions/1?a=1&b=2";
const MINIMAL_SVG: &str =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>";

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn png_round_trips_every_form() {
    let plain = vector(HEART);
    for (keyword, payload) in [
        (KEYWORD_OB2, JSON2),
        (KEYWORD_OB2, URL),
        (KEYWORD_OB2, JWS),
        (KEYWORD_OB3, JSON3),
        (KEYWORD_OB3, JWS),
    ] {
        let baked = bake_png(&plain, payload, keyword).unwrap();
        assert_eq!(sniff(&baked), Some(ImageKind::Png));
        // Right after IHDR (8 signature + 25 IHDR bytes), then the iTXt chunk.
        assert_eq!(&baked[37..41], b"iTXt");
        assert_eq!(
            unbake(&baked).unwrap(),
            Baked {
                kind: ImageKind::Png,
                payload: payload.to_string()
            }
        );
        // Nothing else changed.
        assert_eq!(&baked[..33], &plain[..33]);
        assert!(baked.ends_with(&plain[33..]));
    }
}

#[test]
fn png_rebaking_replaces_the_badge() {
    let plain = vector(HEART);
    let once = bake_png(&plain, JSON2, KEYWORD_OB2).unwrap();
    let twice = bake_png(&once, JSON3, KEYWORD_OB3).unwrap();
    let thrice = bake_png(&twice, URL, KEYWORD_OB2).unwrap();
    assert_eq!(unbake(&thrice).unwrap().payload, URL);
    assert_eq!(count(&thrice, b"iTXt"), 1);
    assert_eq!(thrice.len(), plain.len() + 12 + 15 + URL.len());
    // A vector that already holds a badge (after other text chunks).
    let vec3 = vector(&inspector("ob30/simple-json.png"));
    let rebaked = bake_png(&vec3, JWS, KEYWORD_OB3).unwrap();
    assert_eq!(count(&rebaked, b"openbadgecredential"), 1);
    assert_eq!(unbake(&rebaked).unwrap().payload, JWS);
    assert_eq!(count(&rebaked, b"tEXt"), 2, "other text chunks are kept");
}

#[test]
fn svg_round_trips_every_form() {
    for (kind, payload, element, ns) in [
        (
            SvgPayload::AssertionUrl,
            URL,
            "openbadges:assertion",
            "http://openbadges.org",
        ),
        (
            SvgPayload::AssertionUrl,
            JWS,
            "openbadges:assertion",
            "http://openbadges.org",
        ),
        (
            SvgPayload::AssertionJson,
            JSON2,
            "openbadges:assertion",
            "http://openbadges.org",
        ),
        (
            SvgPayload::CredentialJson,
            JSON3,
            "openbadges:credential",
            "https://purl.imsglobal.org/ob/v3p0",
        ),
        (
            SvgPayload::CredentialJws,
            JWS,
            "openbadges:credential",
            "https://purl.imsglobal.org/ob/v3p0",
        ),
    ] {
        let svg = bake_svg(MINIMAL_SVG, payload, kind).unwrap();
        assert!(
            svg.starts_with(&format!("<svg xmlns:openbadges=\"{ns}\" xmlns=")),
            "{svg}"
        );
        // Right after the opening tag.
        let open_end = svg.find('>').unwrap() + 1;
        assert!(svg[open_end..].starts_with(&format!("<{element}")), "{svg}");
        assert!(svg.ends_with("<rect width=\"1\" height=\"1\"/></svg>"));
        assert_eq!(
            unbake(svg.as_bytes()).unwrap(),
            Baked {
                kind: ImageKind::Svg,
                payload: payload.to_string()
            },
            "{svg}"
        );
    }
    // The 2.0 JSON form also names the hosted assertion in `verify`.
    let svg = bake_svg(MINIMAL_SVG, JSON2, SvgPayload::AssertionJson).unwrap();
    assert!(svg.contains("verify=\"https://example.org/assertions/1\""));
}

#[test]
fn svg_rebaking_replaces_the_badge_and_namespace() {
    let once = bake_svg(MINIMAL_SVG, JSON2, SvgPayload::AssertionJson).unwrap();
    let twice = bake_svg(&once, JWS, SvgPayload::CredentialJws).unwrap();
    let thrice = bake_svg(&twice, JSON3, SvgPayload::CredentialJson).unwrap();
    assert_eq!(unbake(thrice.as_bytes()).unwrap().payload, JSON3);
    assert_eq!(thrice.matches("openbadges:assertion").count(), 0);
    assert_eq!(thrice.matches("<openbadges:credential").count(), 1);
    assert_eq!(thrice.matches("xmlns:openbadges=").count(), 1);
    assert!(thrice.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));

    // Mozilla's baked.svg (OB 1.x, http://openbadges.org) re-baked as OB 3.0.
    let bakery = String::from_utf8(vector("mozilla-openbadges-bakery/test/baked.svg")).unwrap();
    let rebaked = bake_svg(&bakery, JSON3, SvgPayload::CredentialJson).unwrap();
    assert_eq!(unbake(rebaked.as_bytes()).unwrap().payload, JSON3);
    assert!(!rebaked.contains("openbadges:assertion"));
    assert!(!rebaked.contains("http://openbadges.org"));
    assert!(rebaked.contains("<title>HTML5 Logo</title>"));

    // 1EdTech's simple-jwt.svg (with a DOCTYPE) re-baked with another JWS.
    let jwt = String::from_utf8(vector(&inspector("ob30/simple-jwt.svg"))).unwrap();
    let rebaked = bake_svg(&jwt, JWS, SvgPayload::CredentialJws).unwrap();
    assert_eq!(unbake(rebaked.as_bytes()).unwrap().payload, JWS);
    assert_eq!(rebaked.matches("<openbadges:credential").count(), 1);
    assert!(rebaked.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!DOCTYPE svg"));
}

#[test]
fn svg_with_another_prefix_or_bom() {
    let svg = "\u{feff}<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\"><ob:credential verify=\"eyJh.eyJi.c2ln\"/></svg>";
    assert_eq!(unbake(svg.as_bytes()).unwrap().payload, "eyJh.eyJi.c2ln");
    let rebaked = bake_svg(svg, JWS, SvgPayload::CredentialJws).unwrap();
    assert!(rebaked.starts_with("\u{feff}<?xml"));
    assert!(!rebaked.contains("<ob:credential"));
    assert_eq!(unbake(rebaked.as_bytes()).unwrap().payload, JWS);
    // An element named `assertion` outside any Open Badges namespace is not a badge.
    let other =
        "<svg xmlns:x=\"https://example.org/\"><x:assertion verify=\"https://e.org/\"/></svg>";
    assert_eq!(unbake(other.as_bytes()), Err(BakeError::NoBadge));
}

/// Builds a PNG chunk with a correct CRC (independent of the code under test).
fn chunk(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in ty.iter().chain(data) {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(ty);
    out.extend_from_slice(data);
    out.extend_from_slice(&(crc ^ 0xFFFF_FFFF).to_be_bytes());
    out
}

/// `public_domain_heart.png` with `extra` chunks inserted right after IHDR.
fn heart_with(extra: &[u8]) -> Vec<u8> {
    let plain = vector(HEART);
    let mut out = plain[..33].to_vec();
    out.extend_from_slice(extra);
    out.extend_from_slice(&plain[33..]);
    out
}

fn itxt(keyword: &str, compressed: bool, text: &[u8]) -> Vec<u8> {
    let mut data = keyword.as_bytes().to_vec();
    data.extend_from_slice(&[0, compressed as u8, 0]);
    data.extend_from_slice(b"en\0Open Badge\0");
    data.extend_from_slice(text);
    chunk(b"iTXt", &data)
}

#[test]
fn compressed_itxt_and_legacy_text_are_read() {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(JSON3.as_bytes(), 9);
    let png = heart_with(&itxt(KEYWORD_OB3, true, &z));
    assert_eq!(unbake(&png).unwrap().payload, JSON3);

    // OB 1.0: the assertion URL in tEXt (Latin-1).
    let png = heart_with(&chunk(b"tEXt", b"openbadges\0https://example.org/a/1"));
    assert_eq!(unbake(&png).unwrap().payload, "https://example.org/a/1");
    // An iTXt badge wins over an earlier legacy tEXt; re-baking drops both.
    let mut both = chunk(b"tEXt", b"openbadges\0https://example.org/a/1");
    both.extend(itxt(KEYWORD_OB2, false, JSON2.as_bytes()));
    let png = heart_with(&both);
    assert_eq!(unbake(&png).unwrap().payload, JSON2);
    let rebaked = bake_png(&png, JWS, KEYWORD_OB3).unwrap();
    assert_eq!(count(&rebaked, b"openbadges\0"), 0);
    assert_eq!(unbake(&rebaked).unwrap().payload, JWS);
    // Other keywords are not badges.
    let png = heart_with(&itxt("Comment", false, b"https://example.org/"));
    assert_eq!(unbake(&png), Err(BakeError::NoBadge));
}

#[test]
fn a_damaged_badge_chunk_is_malformed() {
    let mut png = bake_png(&vector(HEART), JSON2, KEYWORD_OB2).unwrap();
    let at = 33 + 8 + 20;
    png[at] ^= 0x01; // flip a bit of the payload: the CRC no longer matches
    match unbake(&png) {
        Err(BakeError::Malformed(m)) => assert!(m.contains("CRC"), "{m}"),
        other => panic!("{other:?}"),
    }
    // A bad compression flag or method, an empty text, non-UTF-8 text.
    for bad in [
        chunk(b"iTXt", b"openbadges\0\x02\0\0\0{}"),
        chunk(b"iTXt", b"openbadges\0\x01\x07\0\0x"),
        chunk(b"iTXt", b"openbadges\0\0\0\0\0   "),
        chunk(b"iTXt", b"openbadges\0\0\0\0\0\xff\xfe"),
        chunk(b"iTXt", b"openbadges\0\x01\0\0\0not zlib"),
        chunk(b"iTXt", b"openbadges\0\0"),
    ] {
        let r = unbake(&heart_with(&bad));
        assert!(matches!(r, Err(BakeError::Malformed(_))), "{r:?}");
    }
}

#[test]
fn bake_refuses_what_it_cannot_do() {
    let plain = vector(HEART);
    assert!(matches!(
        bake_png(&plain, JSON2, "openbadge"),
        Err(BakeError::InvalidPayload(_))
    ));
    assert!(matches!(
        bake_png(&plain, "  ", KEYWORD_OB2),
        Err(BakeError::InvalidPayload(_))
    ));
    assert_eq!(
        bake_png(MINIMAL_SVG.as_bytes(), JSON2, KEYWORD_OB2),
        Err(BakeError::NotAnImage)
    );
    // IHDR must come first.
    let mut no_ihdr = plain[..8].to_vec();
    no_ihdr.extend_from_slice(&plain[33..]);
    assert!(matches!(
        bake_png(&no_ihdr, JSON2, KEYWORD_OB2),
        Err(BakeError::Malformed(_))
    ));
    assert!(matches!(
        bake_png(&plain, &"x".repeat(3 << 20), KEYWORD_OB2),
        Err(BakeError::TooLarge(_))
    ));
    assert_eq!(
        bake_svg("<html/>", URL, SvgPayload::AssertionUrl),
        Err(BakeError::NotAnImage)
    );
    for (payload, kind) in [
        ("{not json", SvgPayload::AssertionJson),
        ("{not json", SvgPayload::CredentialJson),
        ("not a jws", SvgPayload::CredentialJws),
        ("https://example.org/ a", SvgPayload::AssertionUrl),
        ("ftp://example.org/", SvgPayload::AssertionUrl),
    ] {
        assert!(
            matches!(
                bake_svg(MINIMAL_SVG, payload, kind),
                Err(BakeError::InvalidPayload(_))
            ),
            "{payload}"
        );
    }
    assert!(matches!(
        bake_svg("<svg><g></svg>", URL, SvgPayload::AssertionUrl),
        Err(BakeError::Malformed(_))
    ));
}

// ------------------------------------------------------------------ hostile input

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let r = f();
    let elapsed = start.elapsed();
    eprintln!("{what}: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{what} took {elapsed:?}");
    r
}

/// A zlib stream that inflates to `n` zeros: one fixed-Huffman block of a literal 0
/// and (length 258, distance 1) matches — 13 bits per 258 bytes of output.
fn zlib_zeros(n: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, n: u32) {
            self.acc |= value << self.len;
            self.len += n;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, n: u32) {
            let mut rev = 0;
            for i in 0..n {
                rev |= ((code >> i) & 1) << (n - 1 - i);
            }
            self.put(rev, n);
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        len: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = fixed Huffman
    b.code(0x30, 8); // literal 0
    let matches = (n - 1) / 258;
    for _ in 0..matches {
        b.code(0xC5, 8); // length symbol 285 = 258
        b.code(0, 5); // distance symbol 0 = 1
    }
    for _ in 0..(n - 1) % 258 {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    if b.len > 0 {
        b.put(0, 8 - b.len);
    }
    // Adler-32 of n zeros: a = 1, b = n mod 65521.
    let adler = ((n % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    b.out
}

#[test]
fn zlib_zeros_is_a_real_stream() {
    let z = zlib_zeros(100_000);
    let out = miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap();
    assert_eq!(out.len(), 100_000);
    assert!(out.iter().all(|&b| b == 0));
}

#[test]
fn zip_bomb_fails_fast_with_too_large() {
    let bomb = zlib_zeros(1 << 30); // 1 GiB of zeros in about 6.5 MB
    let png = heart_with(&itxt(KEYWORD_OB2, true, &bomb));
    assert!(png.len() < MAX_IMAGE_BYTES);
    let r = timed("zip bomb", || unbake(&png));
    assert!(matches!(r, Err(BakeError::TooLarge(_))), "{r:?}");
}

#[test]
fn too_many_chunks_is_refused() {
    let filler = chunk(b"prIv", b"");
    let mut extra = Vec::new();
    for _ in 0..10_001 {
        extra.extend_from_slice(&filler);
    }
    extra.extend(itxt(KEYWORD_OB2, false, URL.as_bytes()));
    let png = heart_with(&extra);
    let r = timed("10 001 chunks", || unbake(&png));
    match r {
        Err(BakeError::TooLarge(m)) => assert!(m.contains("10000 chunks"), "{m}"),
        other => panic!("{other:?}"),
    }
    // 9 000 are fine.
    let mut extra = Vec::new();
    for _ in 0..9_000 {
        extra.extend_from_slice(&filler);
    }
    extra.extend(itxt(KEYWORD_OB2, false, URL.as_bytes()));
    assert_eq!(unbake(&heart_with(&extra)).unwrap().payload, URL);
}

#[test]
fn truncated_pngs_never_panic() {
    let baked = vector("1edtech-openbadges-validator-core/tests/testfiles/baked_heart.png");
    let itxt_end = 33 + 12 + 574;
    timed("every truncation", || {
        for len in 0..baked.len() {
            let r = unbake(&baked[..len]);
            if len < 8 {
                assert_eq!(r, Err(BakeError::NotAnImage), "{len}");
            } else if len < itxt_end {
                assert!(matches!(r, Err(BakeError::Malformed(_))), "{len}: {r:?}");
            } else {
                // The badge chunk is whole: the spec lets readers stop there.
                assert!(r.is_ok(), "{len}: {r:?}");
            }
        }
    });
    let plain = vector(HEART);
    for len in 8..plain.len() {
        assert!(matches!(
            unbake(&plain[..len]),
            Err(BakeError::Malformed(_))
        ));
    }
}

#[test]
fn chunk_lengths_past_the_end_are_malformed() {
    let baked = vector("1edtech-openbadges-validator-core/tests/testfiles/baked_heart.png");
    for len in [0x7FFF_FFFFu32, 0x8000_0000, 0xFFFF_FFFF, 575, 100_000] {
        let mut png = baked.clone();
        png[33..37].copy_from_slice(&len.to_be_bytes());
        let r = timed("length past end", || unbake(&png));
        assert!(matches!(r, Err(BakeError::Malformed(_))), "{len}: {r:?}");
        assert!(bake_png(&png, URL, KEYWORD_OB2).is_err());
    }
    // A chunk type that is not letters.
    let mut png = baked.clone();
    png[37] = 0;
    assert!(matches!(unbake(&png), Err(BakeError::Malformed(_))));
}

#[test]
fn oversized_images_are_refused() {
    let mut png = vector(HEART);
    png.resize(MAX_IMAGE_BYTES + 1, 0);
    assert!(matches!(unbake(&png), Err(BakeError::TooLarge(_))));
    let svg = format!("<svg>{}</svg>", " ".repeat(MAX_IMAGE_BYTES));
    assert!(matches!(
        unbake(svg.as_bytes()),
        Err(BakeError::TooLarge(_))
    ));
    assert!(matches!(
        bake_svg(&svg, URL, SvgPayload::AssertionUrl),
        Err(BakeError::TooLarge(_))
    ));
}

fn billion_laughs(body: &str) -> String {
    let mut s = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        s.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    s.push_str(
        "]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">",
    );
    s.push_str(body);
    s.push_str("</svg>");
    s
}

#[test]
fn entities_are_never_expanded() {
    // In the badge element's content or verify attribute: a clear error, at once.
    for body in [
        "<openbadges:assertion>&lol9;</openbadges:assertion>",
        "<openbadges:assertion><![CDATA[]]>&lol9;</openbadges:assertion>",
        "<openbadges:assertion verify=\"&lol9;\"/>",
    ] {
        let svg = billion_laughs(body);
        assert_eq!(sniff(svg.as_bytes()), Some(ImageKind::Svg));
        match timed("billion laughs", || unbake(svg.as_bytes())) {
            Err(BakeError::Malformed(m)) => assert!(m.contains("never expanded"), "{m}"),
            other => panic!("{body}: {other:?}"),
        }
    }
    // Elsewhere: ignored, and the badge is found (SVG editors declare entities too).
    let svg = billion_laughs(
        "<text>&lol9;</text><openbadges:assertion verify=\"https://example.org/a\"/>",
    );
    assert_eq!(
        timed("billion laughs elsewhere", || unbake(svg.as_bytes()))
            .unwrap()
            .payload,
        "https://example.org/a"
    );
    // Predefined entities and character references are fine.
    let svg = "<svg xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"https://e.org/?a=1&amp;b=&#50;\"/></svg>";
    assert_eq!(
        unbake(svg.as_bytes()).unwrap().payload,
        "https://e.org/?a=1&b=2"
    );
    // An external entity is not fetched or read either.
    let svg = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion>&x;</openbadges:assertion></svg>";
    assert!(matches!(
        unbake(svg.as_bytes()),
        Err(BakeError::Malformed(_))
    ));
}

#[test]
fn deeply_nested_svg_is_linear() {
    let depth = 250_000;
    let mut svg = String::from("<svg xmlns:openbadges=\"http://openbadges.org\">");
    svg.push_str(&"<g>".repeat(depth));
    svg.push_str("<openbadges:assertion verify=\"https://example.org/deep\"/>");
    svg.push_str(&"</g>".repeat(depth));
    svg.push_str("</svg>");
    let r = timed("deep SVG", || unbake(svg.as_bytes()));
    assert_eq!(r.unwrap().payload, "https://example.org/deep");
    // Unclosed, and without a badge.
    let svg = format!("<svg>{}", "<g>".repeat(depth));
    let r = timed("deep unclosed SVG", || unbake(svg.as_bytes()));
    assert!(r.is_err());
}

#[test]
fn mangled_vectors_never_panic() {
    // Deterministic byte flips over every baked vector.
    let files: Vec<String> = expectations().into_iter().map(|(f, _)| f).collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    timed("mangled vectors", || {
        for file in &files {
            let original = vector(file);
            for _ in 0..40 {
                let mut bytes = original.clone();
                for _ in 0..4 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let at = (seed % bytes.len() as u64) as usize;
                    bytes[at] = (seed >> 32) as u8;
                }
                let _ = unbake(&bytes);
            }
        }
    });
}
