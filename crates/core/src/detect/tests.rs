use super::*;

const UUID: &str = "0d2c4a6e-1b3f-4c5d-8e9f-a0b1c2d3e4f5";
const CREDLY_API: &str =
    "https://api.credly.com/v1/obi/v2/badge_assertions/0d2c4a6e-1b3f-4c5d-8e9f-a0b1c2d3e4f5";

fn platform(href: &str) -> Option<&'static str> {
    classify_link(href).map(|l| l.platform)
}

fn fetch(href: &str) -> Option<String> {
    classify_link(href).and_then(|l| l.fetch)
}

#[test]
fn credly_shapes() {
    for href in [
        format!("https://www.credly.com/badges/{UUID}"),
        format!("https://credly.com/badges/{UUID}/public_url"),
        format!("https://www.credly.com/badges/{UUID}/linked_in_profile"),
        format!("https://www.credly.com/badges/{UUID}?source=linked_in_profile#x"),
        format!("https://WWW.CREDLY.COM/badges/{}", UUID.to_uppercase()),
        format!("https://www.credly.com/earner/earned/badge/{UUID}"),
        format!("https://www.youracclaim.com/badges/{UUID}"),
        CREDLY_API.to_string(),
    ] {
        let l = classify_link(&href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!(l.platform, "credly", "{href}");
        assert_eq!(l.fetch.as_deref(), Some(CREDLY_API), "{href}");
        assert_eq!(l.via, None);
    }
    assert_eq!(
        classify_link(&format!("https://www.credly.com/badges/{UUID}#top"))
            .unwrap()
            .page,
        format!("https://www.credly.com/badges/{UUID}")
    );
    for bad in [
        format!("http://www.credly.com/badges/{UUID}"),
        "https://www.credly.com/badges/not-a-uuid".to_string(),
        format!("https://www.credly.com/badges/{UUID}/other"),
        format!("https://www.credly.com/users/someone/badges/{UUID}x"),
        "https://www.credly.com/organizations/acme/badges".to_string(),
        format!("https://www.youracclaim.com/earner/earned/badge/{UUID}"),
        format!("https://api.credly.com/v1/obi/v2/badge_classes/{UUID}"),
        format!("https://credly.com.evil.example/badges/{UUID}.html"),
    ] {
        assert_ne!(platform(&bad), Some("credly"), "{bad}");
        assert_eq!(platform(&bad), None, "{bad}");
    }
}

#[test]
fn badgr_and_edubadges_shapes() {
    for (href, want) in [
        (
            "https://badgr.com/public/assertions/AbC-12_xyz",
            "https://api.badgr.io/public/assertions/AbC-12_xyz",
        ),
        (
            "https://eu.badgr.com/public/assertions/AbC123.json?v=2_0",
            "https://api.eu.badgr.io/public/assertions/AbC123",
        ),
        (
            "https://au.badgr.com/public/assertions/X1",
            "https://api.au.badgr.io/public/assertions/X1",
        ),
        (
            "https://ca.badgr.com/public/assertions/X1",
            "https://api.ca.badgr.io/public/assertions/X1",
        ),
        (
            "https://sg.badgr.com/public/assertions/X1",
            "https://api.sg.badgr.io/public/assertions/X1",
        ),
        (
            "https://api.badgr.io/public/assertions/X1",
            "https://api.badgr.io/public/assertions/X1",
        ),
        (
            "https://api.eu.badgr.io/public/assertions/X1?expand=badge",
            "https://api.eu.badgr.io/public/assertions/X1",
        ),
    ] {
        let l = classify_link(href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!((l.platform, l.fetch.as_deref()), ("badgr", Some(want)));
    }
    let l = classify_link("https://www.edubadges.nl/public/assertions/Zz9").unwrap();
    assert_eq!(l.platform, "edubadges");
    assert_eq!(
        l.fetch.as_deref(),
        Some("https://api.edubadges.nl/public/assertions/Zz9")
    );
    assert_eq!(
        platform("https://api.edubadges.nl/public/assertions/Zz9.json"),
        Some("edubadges")
    );
    for bad in [
        "http://badgr.com/public/assertions/X1",
        "https://badgr.com/public/badges/X1",
        "https://badgr.com/public/assertions/",
        "https://badgr.com/public/assertions/X1/extra",
        "https://xyz.badgr.com/public/assertions/X1",
        "https://badgr.com/public/assertions/a.b",
        "https://www.edubadges.nl/public/issuers/X1",
    ] {
        assert_eq!(platform(bad), None, "{bad}");
    }
}

#[test]
fn open_badge_factory_and_passport_shapes() {
    let hex = "0123456789abcdef0123456789abcdef01234567";
    let want = format!("https://openbadgefactory.com/v1/assertion/{hex}");
    for href in [
        format!("https://openbadgefactory.com/v1/assertion/{hex}.html"),
        format!("https://openbadgefactory.com/v1/assertion/{hex}"),
        format!("https://www.openbadgefactory.com/v1/assertion/{hex}.json"),
    ] {
        let l = classify_link(&href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!(
            (l.platform, l.fetch.as_deref()),
            ("obf", Some(want.as_str()))
        );
    }
    for bad in [
        format!(
            "https://openbadgefactory.com/v1/assertion/{}.html",
            &hex[1..]
        ),
        "https://openbadgefactory.com/v1/assertion/zz23456789abcdef0123456789abcdef01234567"
            .to_string(),
        format!("https://openbadgefactory.com/v1/badge/{hex}"),
        format!("http://openbadgefactory.com/v1/assertion/{hex}"),
    ] {
        assert_eq!(platform(&bad), None, "{bad}");
    }
    let want = "https://openbadgepassport.com/app/obpv1/badge/info/12345";
    for href in [
        "https://openbadgepassport.com/app/badge/info/12345",
        "https://openbadgepassport.com/app/badge/info/12345/embed",
        "https://openbadgepassport.com/app/badge/info/12345/pic/embed",
        "https://openbadgepassport.com/app/badge/info/12345/full/embed",
        "https://openbadgepassport.com/fi/app/badge/info/12345",
        "https://www.openbadgepassport.com/app/obpv1/badge/info/12345",
    ] {
        let l = classify_link(href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!(
            (l.platform, l.fetch.as_deref(), l.via),
            ("obp", Some(want), Some("assertion_url")),
            "{href}"
        );
    }
    for bad in [
        "https://openbadgepassport.com/app/badge/info/12a",
        "https://openbadgepassport.com/app/badge/info/12345/other",
        "https://openbadgepassport.com/app/profile/12345",
        "https://openbadgepassport.com/app/badge/info/1234567890123456789",
    ] {
        assert_eq!(platform(bad), None, "{bad}");
    }
}

#[test]
fn follows_via_fields() {
    let json = r#"{"id":1,"assertion_url":" https://issuer.example/a/1 ","other":"x"}"#;
    assert_eq!(
        follow_via(json, "assertion_url").as_deref(),
        Some("https://issuer.example/a/1")
    );
    assert_eq!(
        follow_via(
            r#"{"assertion_url":"http://127.0.0.1:9/a"}"#,
            "assertion_url"
        )
        .as_deref(),
        Some("http://127.0.0.1:9/a")
    );
    for bad in [
        r#"{"assertion_url":"http://issuer.example/a"}"#,
        r#"{"assertion_url":"javascript:alert(1)"}"#,
        r#"{"assertion_url":42}"#,
        r#"{"nested":{"assertion_url":"https://x.example/a"}}"#,
        "not json",
        "[]",
    ] {
        assert_eq!(follow_via(bad, "assertion_url"), None, "{bad}");
    }
    let huge = format!(
        r#"{{"assertion_url":"https://x.example/a","pad":"{}"}}"#,
        "a".repeat(3 * 1024 * 1024)
    );
    assert_eq!(follow_via(&huge, "assertion_url"), None);
}

#[test]
fn cities_of_learning_and_europass_are_link_only() {
    for href in [
        "https://vilnius.cityoflearning.eu/badges/12345",
        "https://vilnius.cityoflearning.eu/lt/badges/abc-123",
        "https://www.belgrade.cityoflearning.eu/sr-Latn/badges/9",
        "https://lapland.regionoflearning.eu/en/badges/77",
        "https://badgequalitylabel.net/badges/5",
        "https://www.badgequalitylabel.net/nl/badges/5",
    ] {
        let l = classify_link(href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!(
            (l.platform, l.fetch),
            ("cities-of-learning", None),
            "{href}"
        );
    }
    for bad in [
        "https://vilnius.cityoflearning.eu/lt/activities/123",
        "https://vilnius.cityoflearning.eu/activities/1/classes/2",
        "https://vilnius.cityoflearning.eu/organisers/3",
        "https://vilnius.cityoflearning.eu/badges",
        "https://cityoflearning.eu.evil.example/badges/1.html",
        "http://vilnius.cityoflearning.eu/badges/1",
    ] {
        assert_eq!(platform(bad), None, "{bad}");
    }
    for href in [
        "https://europa.eu/europass/digital-credentials/viewer/#/credential-details",
        "https://europa.eu/europass/en/credential/abc",
        "https://europa.eu/europass/eportfolio/screen/share/credentials/x",
    ] {
        let l = classify_link(href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!((l.platform, l.fetch), ("europass", None), "{href}");
    }
    for bad in [
        "https://europa.eu/europass/en",
        "https://europa.eu/youreurope/credentials/x",
        "http://europa.eu/europass/en/credential/abc",
    ] {
        assert_eq!(platform(bad), None, "{bad}");
    }
}

#[test]
fn generic_open_badges_urls() {
    for href in [
        "https://issuer.example/x/badge.json",
        "https://issuer.example/x/cred.JSONLD",
        "https://issuer.example/x/cred.jwt?download=1",
        "https://issuer.example/assertions/123",
        "https://issuer.example/api/credentials/abc/",
        "https://issuer.example/openbadges/a/b",
        "https://issuer.example/Badge/42#frag",
        "http://127.0.0.1:8080/badges/1",
        "http://localhost/a.json",
        "http://[::1]:9/credential/1",
    ] {
        let l = classify_link(href).unwrap_or_else(|| panic!("{href}"));
        assert_eq!(l.platform, "generic", "{href}");
        assert_eq!(l.fetch.as_deref(), Some(l.page.as_str()));
        assert!(!l.page.contains('#'));
    }
    for bad in [
        "https://issuer.example/badges",
        "https://issuer.example/badges/",
        "https://issuer.example/badges/1.png",
        "https://issuer.example/badges/1.HTML",
        "https://issuer.example/badges/x.pdf",
        "https://issuer.example/assets/app.js",
        "https://issuer.example/about",
        "https://issuer.example/",
        "http://issuer.example/badges/1",
        "https://www.linkedin.com/in/someone/details/certifications/",
        "https://www.credly.com/badges/foo",
        "https://europa.eu/europass/badge/1.json",
    ] {
        assert_eq!(platform(bad), None, "{bad}");
    }
}

#[test]
fn linkedin_wrappers_are_unwrapped_once() {
    let inner = format!("https://www.credly.com/badges/{UUID}?source=linked_in_profile");
    let enc: String = inner
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    for wrapper in [
        format!("https://www.linkedin.com/redir/redirect?url={enc}&urlhash=AbCd"),
        format!("https://www.linkedin.com/safety/go?trk=x&url={enc}"),
        format!("https://linkedin.com/safety/go/?url={enc}"),
    ] {
        let l = classify_link(&wrapper).unwrap_or_else(|| panic!("{wrapper}"));
        assert_eq!(l.platform, "credly");
        assert_eq!(l.page, inner);
        assert_eq!(l.fetch.as_deref(), Some(CREDLY_API));
    }
    let generic = "https%3A%2F%2Fissuer.example%2Fa%2Fbadge.json";
    assert_eq!(
        fetch(&format!(
            "https://www.linkedin.com/redir/redirect?url={generic}"
        ))
        .as_deref(),
        Some("https://issuer.example/a/badge.json")
    );
    // One level only; broken escapes, other schemes and missing parameters are nothing.
    let twice = format!("https://www.linkedin.com/safety/go?url={enc}");
    let twice: String = twice
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    for bad in [
        format!("https://www.linkedin.com/redir/redirect?url={twice}"),
        "https://www.linkedin.com/redir/redirect?url=%E0%A4%A".to_string(),
        "https://www.linkedin.com/redir/redirect?url=javascript%3Aalert(1)".to_string(),
        "https://www.linkedin.com/redir/redirect?u=https%3A%2F%2Fx.example%2Fa.json".to_string(),
        format!("http://www.linkedin.com/redir/redirect?url={enc}"),
        format!("https://www.linkedin.com/feed/?url={enc}"),
    ] {
        assert_eq!(classify_link(&bad), None, "{bad}");
    }
}

#[test]
fn hostile_urls_are_refused() {
    let long = format!("https://issuer.example/{}.json", "a".repeat(5000));
    for bad in [
        long.as_str(),
        "javascript:fetch('https://x.example/a.json')",
        "data:application/json,{\"type\":\"Assertion\"}",
        "file:///badges/1.json",
        "https://user@issuer.example/a.json",
        "https://user:pw@issuer.example/a.json",
        "https://issuer.example/a\n.json",
        "https://issuer.example/a\u{7}.json",
        "https://issuer.example\\@evil.example/a.json",
        "https://iss uer.example/a.json",
        "https://[zz]/a.json",
        "https://[::1/a.json",
        "https://issuer.example:port/a.json",
        "/relative/badge.json",
        "",
        "\u{0}",
        "https://%69ssuer.example/a.json",
    ] {
        assert_eq!(classify_link(bad), None, "{bad:?}");
    }
    // Never panics on odd bytes in any position.
    let base = "https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fx.example%2Fa.json";
    for i in 0..base.len() {
        for c in ['%', '\u{fffd}', '[', ']', ':', '/', '?', '#', '@', 'é'] {
            let mut s = base.to_string();
            if s.is_char_boundary(i) {
                s.insert(i, c);
                let _ = classify_link(&s);
                let _ = classify_link(&s[..i]);
            }
        }
    }
}

#[test]
fn images_worth_reading() {
    for (src, alt, title) in [
        ("https://x.example/img/badge-42.png", "", ""),
        ("https://x.example/img/42.png", "My Open Badge", ""),
        (
            "https://x.example/img/42.svg",
            "",
            "Certificate of completion",
        ),
        ("https://x.example/img/42", "insigne", ""),
        ("https://x.example/img/42.PNG", "Značka", ""),
        ("https://x.example/img/42.png", "ženklelis", ""),
        ("https://x.example/img/42.png", "ZENKLELIS", ""),
        ("https://x.example/img/42.png", "Distintivo digitale", ""),
        ("https://x.example/img/42.png", "Insignia digital", ""),
        ("https://x.example/img/42.png", "ЗНАЧКА", ""),
        ("https://x.example/img/42.png", "беџ", ""),
        ("https://x.example/img/42.png", "bedž", ""),
        ("https://x.example/img/%C5%BEenklelis.png", "", ""),
        ("http://127.0.0.1:8/credential.png", "", ""),
        (
            "https://api.eu.badgr.io/public/assertions/Ab1/baked?v=2_0",
            "",
            "",
        ),
        ("https://api.badgr.io/public/assertions/Ab1/image", "", ""),
        ("data:image/png;base64,iVBORw0KGgo=", "badge", ""),
        ("DATA:image/svg+xml,<svg/>", "", "Open Badge"),
    ] {
        assert!(classify_image(src, alt, title), "{src} {alt} {title}");
    }
    for (src, alt, title) in [
        ("https://x.example/img/badge.jpg", "badge", ""),
        ("https://x.example/img/badge.gif", "", ""),
        ("https://x.example/img/42.png", "a photo of a cat", ""),
        ("https://x.example/img/42.png", "", ""),
        ("http://x.example/img/badge.png", "", ""),
        ("data:image/jpeg;base64,AAAA", "badge", ""),
        ("data:image/png;base64,AAAA", "", ""),
        ("javascript:alert('badge')", "badge", ""),
        ("", "badge", "badge"),
        ("https://user@x.example/badge.png", "", ""),
    ] {
        assert!(!classify_image(src, alt, title), "{src} {alt} {title}");
    }
}

#[test]
fn alternates_and_embeds() {
    let l = classify_alternate("https://x.example/a/1", "application/ld+json; profile=x").unwrap();
    assert_eq!(
        (l.platform, l.fetch.as_deref()),
        ("generic", Some("https://x.example/a/1"))
    );
    for ty in [
        "application/json",
        "application/vc+ld+json",
        "APPLICATION/VC+JWT",
        "application/vc",
    ] {
        assert!(
            classify_alternate("https://x.example/a/1", ty).is_some(),
            "{ty}"
        );
    }
    assert!(classify_alternate("https://x.example/a/1", "text/html").is_none());
    assert!(classify_alternate("https://x.example/feed", "application/rss+xml").is_none());
    assert!(classify_alternate("http://x.example/a/1", "application/json").is_none());

    let l = classify_embed(UUID, "https://www.credly.com").unwrap();
    assert_eq!(l.platform, "credly");
    assert_eq!(l.fetch.as_deref(), Some(CREDLY_API));
    assert_eq!(l.page, format!("https://www.credly.com/badges/{UUID}"));
    assert!(classify_embed(UUID, "https://evil.example").is_none());
    assert!(classify_embed(UUID, "http://www.credly.com").is_none());
    assert!(classify_embed("nope", "https://www.credly.com").is_none());
}

#[test]
fn scripts_that_hold_badges() {
    for text in [
        r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"x"}"#,
        r#"{"type":["VerifiableCredential","OpenBadgeCredential"]}"#,
        r#"{"@type":"AchievementCredential"}"#,
        r#"[{"type":"Person"},{"type":"obi:Assertion"}]"#,
        r#"{"@graph":[{"@type":"https://www.w3.org/2018/credentials#VerifiableCredential"}]}"#,
        "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln",
        r#""eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln""#,
    ] {
        assert!(script_is_badge(text), "{text}");
    }
    for text in [
        r#"{"@context":"https://schema.org","@type":"Organization"}"#,
        r#"{"type":"BadgeClass"}"#,
        "not json",
        "",
        &"[".repeat(100_000),
    ] {
        assert!(!script_is_badge(text), "{text:.40}");
    }
}

#[test]
fn detects_a_page() {
    let page: PageInput = serde_json::from_str(&format!(
        r#"{{
        "url": "https://www.credly.com/badges/{UUID}",
        "links": ["https://x.example/about", "https://x.example/badges/7", "javascript:void(0)"],
        "images": [{{"src": "https://x.example/badge.png"}}, {{"src": "https://x.example/logo.png", "alt": "logo"}}],
        "scripts": ["{{\"type\":\"Assertion\"}}", "{{}}"],
        "alternates": [["https://x.example/a.json", "application/json"]],
        "embeds": [["{UUID}", "https://www.credly.com"]]
    }}"#
    ))
    .unwrap();
    let found = detect_page(&page);
    let got: Vec<(Source, usize)> = found.iter().map(|f| (f.source, f.index)).collect();
    assert_eq!(
        got,
        vec![
            (Source::Page, 0),
            (Source::Link, 1),
            (Source::Image, 0),
            (Source::Script, 0),
            (Source::Alternate, 0),
            (Source::Embed, 0),
        ]
    );
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(json[0]["platform"], "credly");
    assert_eq!(json[0]["fetch"], CREDLY_API);
    assert_eq!(json[2]["source"], "image");
    assert!(json[2]["platform"].is_null() && json[2]["fetch"].is_null());
    // Caps: only the first MAX_LINKS links are looked at.
    let many = PageInput {
        links: vec!["https://x.example/a.json".to_string(); MAX_LINKS + 10],
        ..PageInput::default()
    };
    assert_eq!(detect_page(&many).len(), MAX_LINKS);
    assert!(serde_json::from_str::<PageInput>("{}").is_ok());
}

fn vector(path: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The answer for every prefix: `NeedMore` until the badge chunk is complete, then
/// `Badge`; never a panic, never `NotBaked`.
fn check_baked(bytes: &[u8]) {
    let full = baked_in_prefix(bytes);
    assert_eq!(full, Prefix::Badge);
    let mut seen_badge = false;
    for n in 0..=bytes.len() {
        match baked_in_prefix(&bytes[..n]) {
            Prefix::Badge => seen_badge = true,
            Prefix::NeedMore => assert!(!seen_badge, "NeedMore after Badge at {n}"),
            Prefix::NotBaked => panic!("NotBaked at prefix {n}"),
        }
    }
}

#[test]
fn prefix_of_baked_pngs() {
    // iTXt before IDAT.
    let before = vector("1edtech-openbadges-validator-core/tests/testfiles/baked_heart.png");
    check_baked(&before);
    // iTXt after IDAT: reading must go on past IDAT.
    let after = vector(
        "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30/simple-json.png",
    );
    check_baked(&after);
    let at = |b: &[u8], ty: &[u8]| b.windows(4).position(|w| w == ty).unwrap();
    assert!(at(&after, b"IDAT") < at(&after, b"iTXt"));
    assert_eq!(
        baked_in_prefix(&after[..at(&after, b"IDAT") + 100]),
        Prefix::NeedMore
    );
}

#[test]
fn prefix_of_plain_and_other_images() {
    // A PNG without a badge is NotBaked once IEND is read, NeedMore before.
    let plain = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/blank-badge.png"),
    )
    .unwrap();
    assert_eq!(baked_in_prefix(&plain), Prefix::NotBaked);
    for n in 0..plain.len() - 12 {
        assert_eq!(baked_in_prefix(&plain[..n]), Prefix::NeedMore, "{n}");
    }
    assert_eq!(baked_in_prefix(b""), Prefix::NeedMore);
    assert_eq!(baked_in_prefix(&[0x89, b'P']), Prefix::NeedMore);
    assert_eq!(baked_in_prefix(&[0x89, b'X']), Prefix::NotBaked);
    assert_eq!(baked_in_prefix(&[0xFF, 0xD8, 0xFF, 0xE0]), Prefix::NotBaked);
    assert_eq!(baked_in_prefix(b"GIF89a"), Prefix::NotBaked);
    assert_eq!(baked_in_prefix(b"RIFF\0\0\0\0WEBPVP8 "), Prefix::NotBaked);
    assert_eq!(baked_in_prefix(b"   \n"), Prefix::NeedMore);
    // SVG.
    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential verify=\"a.b.c\"/></svg>";
    assert_eq!(baked_in_prefix(svg), Prefix::Badge);
    for n in 0..svg.len() {
        assert_ne!(baked_in_prefix(&svg[..n]), Prefix::NotBaked, "{n}");
    }
    assert_eq!(baked_in_prefix(b"<svg><rect/></svg>"), Prefix::NotBaked);
    assert_eq!(baked_in_prefix(b"<svg><rect/>"), Prefix::NeedMore);
    // Damaged chunk headers stop the walk; nothing panics on random tails.
    let mut damaged = plain[..33].to_vec();
    damaged.extend_from_slice(&[0, 0, 0, 1, b'1', b'2', b'3', b'4']);
    assert_eq!(baked_in_prefix(&damaged), Prefix::NotBaked);
    let mut huge = plain[..33].to_vec();
    huge.extend_from_slice(&[0x7F, 0xFF, 0xFF, 0xFF, b'I', b'D', b'A', b'T']);
    // A chunk that would take the image past MAX_IMAGE_BYTES: not worth reading on.
    assert_eq!(baked_in_prefix(&huge), Prefix::NotBaked);
    let mut seed = 7u32;
    for _ in 0..2000 {
        let mut bytes = plain[..8].to_vec();
        for _ in 0..(seed % 200) {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            bytes.push((seed >> 16) as u8);
        }
        let _ = baked_in_prefix(&bytes);
    }
    assert_eq!(Prefix::NeedMore.name(), "more");
}

#[cfg(feature = "html")]
#[test]
fn scans_html() {
    let html = format!(
        r#"<!doctype html><html><head>
        <base href="https://site.example/people/">
        <link rel="Alternate stylesheet" type="application/ld+json" href="cred.json">
        <script type="application/ld+json">{{"type":["VerifiableCredential"]}}</script>
        <script type="application/ld+json">{{"@type":"Person"}}</script>
        </head><body>
        <a href="badges/7">one</a>
        <a href="https://www.linkedin.com/safety/go?url=https%3A%2F%2Fwww.credly.com%2Fbadges%2F{UUID}">two</a>
        <a href="javascript:void(0)">no</a>
        <img src="/img/badge.png" alt="">
        <img data-src="/img/x.png" alt="Open Badge">
        <img src="/img/photo.jpg" alt="badge">
        <div data-share-badge-id="{UUID}" data-share-badge-host="https://www.credly.com"></div>
        <p><a href="https://europa.eu/europass/en/credential/1">EDC</a>
        </body></html>"#
    );
    let found = scan_html(&html, "https://site.example/me");
    let got: Vec<(Source, usize, Option<&str>)> = found
        .iter()
        .map(|f| (f.source, f.index, f.link.as_ref().map(|l| l.page.as_str())))
        .collect();
    let credly = format!("https://www.credly.com/badges/{UUID}");
    assert_eq!(
        got,
        vec![
            (
                Source::Link,
                0,
                Some("https://site.example/people/badges/7")
            ),
            (Source::Link, 1, Some(credly.as_str())),
            (
                Source::Link,
                3,
                Some("https://europa.eu/europass/en/credential/1")
            ),
            (Source::Image, 0, None),
            (Source::Image, 1, None),
            (Source::Script, 0, None),
            (
                Source::Alternate,
                0,
                Some("https://site.example/people/cred.json")
            ),
            (Source::Embed, 0, Some(credly.as_str())),
        ]
    );
    // Garbage never panics.
    for junk in [
        "",
        "<",
        "<a href=",
        "<<<>>>",
        "<script type=application/ld+json>{",
        "\u{0}<img src=\u{0}>",
    ] {
        let _ = scan_html(junk, "https://site.example/");
        let _ = scan_html(junk, "not a url");
    }
}

#[test]
fn image_hints_match_in_any_case_of_their_script() {
    for alt in [
        "My BADGE",
        "ZNAČKA za sodelovanje",
        "Ženklelis",
        "PAŽYMĖJIMAS",
        "ЗНАЧКА",
        "Беџ",
        "СЕРТИФИКАТ",
        "Bedž",
    ] {
        assert!(
            classify_image("https://issuer.example/img/a.png", alt, ""),
            "{alt}"
        );
    }
    assert!(!classify_image(
        "https://issuer.example/img/a.png",
        "Photo of the team",
        ""
    ));
}
