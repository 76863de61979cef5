//! `qlabel bake` and `qlabel unbake`: put a badge into its PNG or SVG image, and read
//! it back out. The work is done by [`qlabel_core::baked`]; this module reads and
//! writes the files and decides, from the badge itself, how to bake it:
//!
//! | badge file | PNG `iTXt` keyword | SVG element |
//! | --- | --- | --- |
//! | JSON with the OB 2.0 context `https://w3id.org/openbadges/v2` | `openbadges` | `<openbadges:assertion>` JSON |
//! | an HTTP(S) URL (hosted OB 2.0 assertion) | `openbadges` | `<openbadges:assertion verify="URL"/>` |
//! | a compact JWS whose payload is an OB 2.0 assertion | `openbadges` | `<openbadges:assertion verify="JWS"/>` |
//! | a Verifiable Credential (OB 3.0) JSON | `openbadgecredential` | `<openbadges:credential>` JSON |
//! | any other compact JWS (an OB 3.0 VC-JWT) | `openbadgecredential` | `<openbadges:credential verify="JWS"/>` |

use qlabel_core::baked::{self, ImageKind, SvgPayload};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// How a badge is baked, decided from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadgeForm {
    Ob2Json,
    Ob2Url,
    Ob2Jws,
    Ob3Json,
    Ob3Jws,
}

impl BadgeForm {
    fn keyword(self) -> &'static str {
        match self {
            BadgeForm::Ob2Json | BadgeForm::Ob2Url | BadgeForm::Ob2Jws => baked::KEYWORD_OB2,
            BadgeForm::Ob3Json | BadgeForm::Ob3Jws => baked::KEYWORD_OB3,
        }
    }

    fn svg(self) -> SvgPayload {
        match self {
            BadgeForm::Ob2Json => SvgPayload::AssertionJson,
            // The OB 2.0 spec puts a hosted URL or a signature in `verify`.
            BadgeForm::Ob2Url | BadgeForm::Ob2Jws => SvgPayload::AssertionUrl,
            BadgeForm::Ob3Json => SvgPayload::CredentialJson,
            BadgeForm::Ob3Jws => SvgPayload::CredentialJws,
        }
    }
}

fn read_limited(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut buf))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if buf.len() > limit {
        return Err(format!(
            "{}: the {what} is larger than the {limit} bytes accepted",
            path.display()
        ));
    }
    Ok(buf)
}

const OB2_CONTEXTS: &[&str] = &[
    "https://w3id.org/openbadges/v2",
    "http://w3id.org/openbadges/v2",
    "https://w3id.org/openbadges/v1",
];

fn contexts(doc: &Value) -> Vec<&str> {
    match doc.get("@context") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_ob2(doc: &Value) -> bool {
    contexts(doc).iter().any(|c| OB2_CONTEXTS.contains(c))
}

fn is_credential(doc: &Value) -> bool {
    let vc_context = contexts(doc).iter().any(|c| {
        *c == "https://www.w3.org/ns/credentials/v2"
            || *c == "https://www.w3.org/2018/credentials/v1"
    });
    let types = match doc.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    vc_context
        || types.iter().any(|t| {
            matches!(
                *t,
                "VerifiableCredential"
                    | "OpenBadgeCredential"
                    | "AchievementCredential"
                    | "EndorsementCredential"
            )
        })
}

/// Decodes unpadded base64url (a JWS part); `None` if it is not.
fn base64url(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Decides how to bake the badge text (already trimmed).
fn classify(text: &str) -> Result<BadgeForm, String> {
    if text.starts_with('{') {
        let doc = qlabel_core::limits::parse_json(text.as_bytes(), qlabel_core::Limits::default())
            .map_err(|e| format!("the badge is not usable JSON: {e}"))?;
        return if is_ob2(&doc) {
            Ok(BadgeForm::Ob2Json)
        } else if is_credential(&doc) {
            Ok(BadgeForm::Ob3Json)
        } else {
            Err(
                "the badge JSON is neither an Open Badges 2.0 assertion (@context \
                 https://w3id.org/openbadges/v2) nor a Verifiable Credential (Open Badges 3.0)"
                    .into(),
            )
        };
    }
    if baked::looks_like_jws(text) {
        // An OB 2.0 signed assertion carries the assertion itself as the JWS payload;
        // an OB 3.0 VC-JWT carries a credential (or a `vc` claim).
        let ob2 = text
            .split('.')
            .nth(1)
            .and_then(base64url)
            .and_then(|p| serde_json::from_slice::<Value>(&p).ok())
            .is_some_and(|p| is_ob2(&p));
        return Ok(if ob2 {
            BadgeForm::Ob2Jws
        } else {
            BadgeForm::Ob3Jws
        });
    }
    if (text.starts_with("https://") || text.starts_with("http://"))
        && !text.chars().any(char::is_whitespace)
    {
        return Ok(BadgeForm::Ob2Url);
    }
    Err(
        "the badge is neither JSON (an Open Badges 2.0 assertion or 3.0 credential), \
         a compact JWS, nor the URL of a hosted assertion"
            .into(),
    )
}

/// `qlabel bake BADGE IMAGE -o OUT`: bakes the badge in the file `badge` into the PNG
/// or SVG `image` (the kind is sniffed from its bytes, not its name) and writes `out`.
/// A badge already baked into the image is replaced.
pub fn bake_command(badge: &Path, image: &Path, out: &Path) -> Result<(), String> {
    let badge_bytes = read_limited(badge, baked::MAX_PAYLOAD_BYTES, "badge")?;
    let text = std::str::from_utf8(&badge_bytes)
        .map_err(|_| format!("{}: the badge is not UTF-8 text", badge.display()))?;
    let payload = text.trim_start_matches('\u{feff}').trim();
    let form = classify(payload).map_err(|e| format!("{}: {e}", badge.display()))?;

    let image_bytes = read_limited(image, baked::MAX_IMAGE_BYTES, "image")?;
    let baked_bytes = match baked::sniff(&image_bytes) {
        Some(ImageKind::Png) => baked::bake_png(&image_bytes, payload, form.keyword()),
        Some(ImageKind::Svg) => {
            let svg = std::str::from_utf8(&image_bytes)
                .map_err(|_| format!("{}: the SVG is not UTF-8", image.display()))?;
            baked::bake_svg(svg, payload, form.svg()).map(String::into_bytes)
        }
        None => Err(baked::BakeError::NotAnImage),
    }
    .map_err(|e| format!("{}: {e}", image.display()))?;
    std::fs::write(out, baked_bytes).map_err(|e| format!("{}: {e}", out.display()))
}

/// `qlabel unbake IMAGE`: the badge baked into a PNG or SVG, pretty-printed if it is
/// JSON, as it is otherwise (a JWS or a URL).
pub fn unbake_command(image: &Path) -> Result<String, String> {
    let bytes = read_limited(image, baked::MAX_IMAGE_BYTES, "image")?;
    let found = baked::unbake(&bytes).map_err(|e| format!("{}: {e}", image.display()))?;
    Ok(match serde_json::from_str::<Value>(&found.payload) {
        Ok(v) if v.is_object() || v.is_array() => {
            serde_json::to_string_pretty(&v).unwrap_or(found.payload)
        }
        _ => found.payload,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::path::PathBuf;

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors");
    const OB30: &str =
        "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30";
    const HEART: &str = "1edtech-openbadges-validator-core/tests/testfiles/public_domain_heart.png";

    fn vector(path: &str) -> PathBuf {
        Path::new(VECTORS).join(path)
    }

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("qlabel-bake-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    const OB2: &str = r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://example.org/assertions/1"}"#;
    const OB3: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"]}"#;

    #[test]
    fn classifies_badges() {
        assert_eq!(classify(OB2), Ok(BadgeForm::Ob2Json));
        assert_eq!(classify(OB3), Ok(BadgeForm::Ob3Json));
        assert_eq!(
            classify("https://example.org/assertions/1"),
            Ok(BadgeForm::Ob2Url)
        );
        // eyJhbGciOiJSUzI1NiJ9 = {"alg":"RS256"}; the payload carries the OB 2.0 context.
        let ob2_payload = "eyJAY29udGV4dCI6Imh0dHBzOi8vdzNpZC5vcmcvb3BlbmJhZGdlcy92MiJ9";
        assert_eq!(
            base64url(ob2_payload).unwrap(),
            br#"{"@context":"https://w3id.org/openbadges/v2"}"#
        );
        assert_eq!(
            classify(&format!("eyJhbGciOiJSUzI1NiJ9.{ob2_payload}.c2ln")),
            Ok(BadgeForm::Ob2Jws)
        );
        assert_eq!(
            classify("eyJhbGciOiJSUzI1NiJ9.eyJ2YyI6e319.c2ln"),
            Ok(BadgeForm::Ob3Jws)
        );
        assert!(classify(r#"{"name":"x"}"#).is_err());
        assert!(classify("{not json").is_err());
        assert!(classify("hello").is_err());
        assert_eq!(BadgeForm::Ob2Jws.svg(), SvgPayload::AssertionUrl);
        assert_eq!(BadgeForm::Ob3Jws.keyword(), "openbadgecredential");
    }

    #[test]
    fn bakes_and_unbakes_png_and_svg() {
        let svg_in = tmp("plain.svg");
        std::fs::write(&svg_in, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        let jws = "eyJhbGciOiJSUzI1NiJ9.eyJ2YyI6e319.c2ln";
        for (i, badge) in [OB2, OB3, "https://example.org/a/1", jws]
            .into_iter()
            .enumerate()
        {
            let badge_file = tmp(&format!("badge{i}.txt"));
            std::fs::write(&badge_file, format!("\n{badge}\n")).unwrap();
            for (image, ext) in [(vector(HEART), "png"), (svg_in.clone(), "svg")] {
                let out = tmp(&format!("out{i}.{ext}"));
                bake_command(&badge_file, &image, &out).unwrap();
                let printed = unbake_command(&out).unwrap();
                if badge.starts_with('{') {
                    let a: Value = serde_json::from_str(&printed).unwrap();
                    let b: Value = serde_json::from_str(badge).unwrap();
                    assert_eq!(a, b);
                    assert!(printed.contains("\n  "), "pretty-printed");
                } else {
                    assert_eq!(printed, badge);
                }
            }
        }
        // The keyword follows the badge.
        let png = std::fs::read(tmp("out1.png")).unwrap();
        assert!(png.windows(20).any(|w| w == b"openbadgecredential\0"));
        let svg = std::fs::read_to_string(tmp("out0.svg")).unwrap();
        assert!(svg.contains("<openbadges:assertion verify=\"https://example.org/assertions/1\">"));
    }

    #[test]
    fn reads_the_vectors() {
        let out = unbake_command(&vector(&format!("{OB30}/simple-json.png"))).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["type"][1], "OpenBadgeCredential");
        let out = unbake_command(&vector(&format!("{OB30}/simple-jwt.svg"))).unwrap();
        assert_eq!(out.split('.').count(), 3);
    }

    #[test]
    fn errors_name_the_file() {
        let e = unbake_command(&vector(HEART)).unwrap_err();
        assert!(
            e.contains("public_domain_heart.png") && e.contains("no baked badge"),
            "{e}"
        );
        let e = unbake_command(Path::new("/nonexistent/x.png")).unwrap_err();
        assert!(e.contains("/nonexistent/x.png"), "{e}");
        let text = tmp("not-an-image.txt");
        std::fs::write(&text, "hello").unwrap();
        let badge = tmp("ob2.json");
        std::fs::write(&badge, OB2).unwrap();
        let e = bake_command(&badge, &text, &tmp("never.png")).unwrap_err();
        assert!(e.contains("not a PNG or SVG"), "{e}");
        assert!(!tmp("never.png").exists());
        let e = bake_command(&text, &vector(HEART), &tmp("never.png")).unwrap_err();
        assert!(e.contains("not-an-image.txt"), "{e}");
    }
}
