//! The bundled JSON-LD contexts (see `crates/core/contexts/NOTICE.md` for origin and licences).
//!
//! Each file is compiled in with `include_str!` and parsed lazily, once, on first use.

use std::sync::OnceLock;

use serde_json::Value;

macro_rules! ctx {
    ($url:expr, $file:expr) => {
        ($url, include_str!(concat!("../../contexts/", $file)))
    };
}

const N: usize = 25;

/// URL → file contents.
static BUNDLED: [(&str, &str); N] = [
    ctx!(
        "https://www.w3.org/ns/credentials/v2",
        "credentials-v2.jsonld"
    ),
    ctx!(
        "https://www.w3.org/2018/credentials/v1",
        "credentials-v1.jsonld"
    ),
    ctx!(
        "https://www.w3.org/2018/credentials/examples/v1",
        "credentials-examples-v1.jsonld"
    ),
    ctx!(
        "https://www.w3.org/ns/credentials/examples/v2",
        "credentials-examples-v2.jsonld"
    ),
    ctx!(
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
        "credentials-undefined-terms-v2.jsonld"
    ),
    ctx!(
        "https://www.w3.org/ns/credentials/status/v1",
        "credentials-status-v1.jsonld"
    ),
    ctx!(
        "https://w3id.org/security/data-integrity/v1",
        "data-integrity-v1.jsonld"
    ),
    ctx!(
        "https://w3id.org/security/data-integrity/v2",
        "data-integrity-v2.jsonld"
    ),
    ctx!(
        "https://w3id.org/security/multikey/v1",
        "multikey-v1.jsonld"
    ),
    ctx!(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "ed25519-signature-2020-v1.jsonld"
    ),
    ctx!(
        "https://w3id.org/citizenship/v4rc1",
        "citizenship-v4rc1.jsonld"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "ob-v3p0-context-3.0.1.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "ob-v3p0-context-3.0.2.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "ob-v3p0-context-3.0.3.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "ob-v3p0-context.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "ob-v3p0-extensions.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "clr-v2p0-context-2.0.1.json"
    ),
    ctx!(
        "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
        "clr-v2p0-context.json"
    ),
    ctx!("https://w3id.org/openbadges/v2", "openbadges-v2.jsonld"),
    ctx!("https://w3id.org/openbadges/v1", "openbadges-v1.jsonld"),
    ctx!("https://www.w3.org/ns/did/v1", "did-v1.jsonld"),
    ctx!("https://w3id.org/security/v1", "security-v1.jsonld"),
    ctx!("https://w3id.org/security/v2", "security-v2.jsonld"),
    ctx!("https://www.w3.org/ns/odrl.jsonld", "odrl.jsonld"),
    ctx!(
        "https://w3id.org/vc/status-list/2021/v1",
        "status-list-2021-v1.jsonld"
    ),
];

static PARSED: [OnceLock<Result<Value, String>>; N] = [const { OnceLock::new() }; N];

/// All bundled context URLs.
pub(crate) fn urls() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(u, _)| *u)
}

/// Index of a bundled URL.
fn index(url: &str) -> Option<usize> {
    BUNDLED.iter().position(|(u, _)| *u == url)
}

/// Is this URL bundled?
pub(crate) fn is_bundled(url: &str) -> bool {
    index(url).is_some()
}

/// The parsed context document of a bundled URL: `None` if not bundled,
/// `Some(Err)` if the bundled file does not parse (a build defect).
pub(crate) fn document(url: &str) -> Option<(&'static str, Result<&'static Value, String>)> {
    let i = index(url)?;
    let (u, text) = BUNDLED[i];
    let parsed = PARSED[i].get_or_init(|| {
        serde_json::from_str::<Value>(text)
            .map_err(|e| format!("bundled context {u} does not parse: {e}"))
    });
    Some((u, parsed.as_ref().map_err(Clone::clone)))
}
