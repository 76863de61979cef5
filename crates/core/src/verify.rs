//! Verification entry point: bytes in, a [`Report`] out.

use crate::baked::{self, ImageKind};
use crate::datetime;
use crate::di::{self, CanonCache};
use crate::error::Error;
use crate::fetch::{Expect, Fetch, Session};
use crate::jsonld;
use crate::limits::{parse_json, Limits};
use crate::ob2::{self, Ob2Input};
use crate::report::{
    badge_status, check_id, BadgeReport, BadgeStatus, Check, Format, InputInfo, IssuerInfo,
    LabelReport, LabelStatus, Report, SCHEMA,
};
use crate::vc::{self, DataModel};
use crate::vcjwt;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time to judge validity at (the core never reads the clock).
    pub at: OffsetDateTime,
    /// Size and depth limits for untrusted input.
    pub limits: Limits,
    /// Where the input came from, for the report.
    pub source: Option<String>,
    /// The earner to compare with the badge's recipient (an email address or a URL);
    /// `None` skips the `recipient` check.
    pub recipient: Option<String>,
    /// Label authorities whose labels count (`--trust`).
    pub trust: Vec<crate::label::TrustAnchor>,
    /// A registry to consult instead of the trust anchors' own (URL).
    pub registry: Option<String>,
}

impl Options {
    /// Options judging at `at` with the default limits.
    pub fn at(at: OffsetDateTime) -> Self {
        Options {
            at,
            limits: Limits::default(),
            source: None,
            recipient: None,
            trust: Vec::new(),
            registry: None,
        }
    }
}

/// Verifies a badge given as bytes (JSON-LD credential text for now).
///
/// `Err` means the input could not be processed at all; every verdict about a badge,
/// including "invalid" and "unverifiable", is an `Ok(Report)`.
pub async fn verify(input: &[u8], options: &Options, fetch: &impl Fetch) -> Result<Report, Error> {
    // One session per verification: each URL is fetched once, every request recorded.
    let session = Session::new(fetch);
    let mut report = verify_input(input, options, &session, Nesting::Top).await?;
    if report.badge.status == BadgeStatus::Valid {
        report.label = crate::label::check_label(&report.badge, options, &session).await;
    }
    report.input.fetched = session.records();
    Ok(report)
}

/// Where an input sits: given by the user, fetched from a URL, or unbaked from an image
/// (which may not hold another image or URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Top,
    Fetched,
    Baked(ImageKind),
}

fn verify_input<'a, F: Fetch>(
    input: &'a [u8],
    options: &'a Options,
    fetch: &'a F,
    nesting: Nesting,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Report, Error>> + 'a>> {
    Box::pin(async move {
        let trimmed = trim_ascii(input);
        if let Some(kind) = baked::sniff(trimmed) {
            if matches!(nesting, Nesting::Baked(_)) {
                return Err(Error::UnknownFormat(
                    "an image baked inside an image".into(),
                ));
            }
            let found = baked::unbake(trimmed)
                .map_err(|e| Error::UnknownFormat(format!("baked badge: {e}")))?;
            let mut report = verify_input(
                found.payload.as_bytes(),
                options,
                fetch,
                Nesting::Baked(kind),
            )
            .await?;
            report.input.baked = Some(
                match kind {
                    ImageKind::Png => "png",
                    ImageKind::Svg => "svg",
                }
                .to_string(),
            );
            return Ok(report);
        }
        if let Some(url) = as_url(trimmed) {
            if nesting == Nesting::Fetched {
                return Err(Error::UnknownFormat(
                    "the document at the URL is itself only a URL".into(),
                ));
            }
            let fetched = match fetch.fetch(url, Expect::Badge).await {
                Ok(f) => f,
                Err(e) => return Ok(unfetchable(url, options, &e)),
            };
            // An OB 2.0 hosted assertion is judged from its URL (id and origin rules).
            if let Ok(Value::Object(doc)) = parse_json(trim_ascii(&fetched.body), options.limits) {
                if ob2::is_ob2(&doc) {
                    return Ok(
                        ob2::verify_ob2(Ob2Input::Url(url.to_string()), options, fetch).await,
                    );
                }
            }
            let mut report = verify_input(&fetched.body, options, fetch, Nesting::Fetched).await?;
            if report.input.source.is_none() {
                report.input.source = Some(url.to_string());
            }
            return Ok(report);
        }
        // A compact JWS, also when a text file wraps it over several lines.
        let compacted: Vec<u8>;
        let trimmed = if trimmed.starts_with(b"eyJ") && trimmed.iter().any(u8::is_ascii_whitespace)
        {
            compacted = trimmed
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            if looks_like_jws(&compacted) {
                &compacted[..]
            } else {
                trimmed
            }
        } else {
            trimmed
        };
        if looks_like_jws(trimmed) {
            let token = std::str::from_utf8(trimmed).unwrap_or_default();
            return match vcjwt::verify_jwt(token, options.at, fetch, options.limits).await {
                Ok(jwt) => {
                    let mut proof = jwt.proof;
                    // The claims' checks count like the proof's own findings.
                    proof.warnings.extend(jwt.claim_checks);
                    let mut report =
                        verify_credential_at(&jwt.credential, options, fetch, 0, Some(proof)).await;
                    report.input.format = Format::Ob3Jwt;
                    Ok(report)
                }
                // Not a VC-JWT: an Open Badges 2.0 signed assertion, or nothing we know.
                Err(Error::UnknownFormat(_)) => {
                    Ok(ob2::verify_ob2(Ob2Input::Jws(token.to_string()), options, fetch).await)
                }
                Err(e) => Err(e),
            };
        }
        let value = parse_json(trimmed, options.limits)?;
        let Value::Object(doc) = value else {
            return Err(Error::UnknownFormat("a badge is a JSON object".into()));
        };
        if doc.len() == 1 && doc.contains_key("@context") {
            return Err(Error::UnknownFormat(
                "a JSON-LD context document, not a badge".into(),
            ));
        }
        if ob2::is_ob2(&doc) {
            // Only an assertion is a badge; a BadgeClass or a Profile alone is an error.
            let input = ob2::parse_ob2(trimmed, options.limits)?;
            return Ok(ob2::verify_ob2(input, options, fetch).await);
        }
        // Open Badges 1.0 baked only a pointer, `{"verify": {"url": …}}`: follow it.
        if let Some(url) = ob1_pointer(&doc) {
            if nesting != Nesting::Fetched {
                return verify_input(url.as_bytes(), options, fetch, Nesting::Top).await;
            }
        }
        if doc.get("@context").is_none() && doc.get("type").is_none() {
            return Err(Error::UnknownFormat(
                "JSON without @context or type is not a credential".into(),
            ));
        }
        Ok(verify_credential_at(&doc, options, fetch, 0, None).await)
    })
}

/// The hosted-assertion URL of an Open Badges 1.0 pointer (`{"verify": {"url": …}}`,
/// nothing else that makes it an assertion).
fn ob1_pointer(doc: &Map<String, Value>) -> Option<&str> {
    if doc.contains_key("@context") || doc.contains_key("recipient") {
        return None;
    }
    doc.get("verify")
        .and_then(|v| v.get("url"))
        .and_then(Value::as_str)
        .filter(|u| as_url(u.as_bytes()).is_some())
}

/// The input is one http(s) URL and nothing else.
fn as_url(bytes: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(bytes).ok()?;
    ((s.starts_with("https://") || s.starts_with("http://"))
        && s.len() < 4096
        && !s.chars().any(|c| c.is_whitespace() || c.is_control()))
    .then_some(s)
}

/// Three base64url segments separated by dots: a compact JWS / JWT.
fn looks_like_jws(bytes: &[u8]) -> bool {
    bytes.starts_with(b"eyJ")
        && bytes.iter().filter(|&&b| b == b'.').count() == 2
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='))
}

/// The report for a badge URL that could not be fetched: unverifiable, saying why — but
/// revoked when it answers HTTP 410 Gone, which is how an Open Badges host says that its
/// issuer withdrew the assertion (only that host can answer so for its own URL).
fn unfetchable(url: &str, options: &Options, e: &crate::fetch::FetchError) -> Report {
    if let crate::fetch::FetchError::Status { status: 410, .. } = e {
        let mut r = unsupported(Format::Ob2Hosted, options, "");
        r.badge.checks = vec![
            Check::skip(
                check_id::FORMAT,
                format!("not read: {url} answers HTTP 410 Gone"),
            ),
            Check::fail_as(
                check_id::STATUS,
                BadgeStatus::Revoked,
                format!("{url} answers HTTP 410 Gone: its issuer withdrew it"),
            ),
        ];
        r.badge.status = badge_status(&r.badge.checks);
        r.badge.id = Some(url.to_string());
        return r;
    }
    let mut r = unsupported(
        Format::Ob2Hosted,
        options,
        &format!("the badge at {url} could not be fetched: {e}"),
    );
    r.badge.id = Some(url.to_string());
    r
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(b);
    b.trim_ascii()
}

fn unsupported(format: Format, options: &Options, why: &str) -> Report {
    let checks = vec![Check::unverifiable(check_id::FORMAT, why)];
    Report {
        schema: SCHEMA,
        input: InputInfo {
            format,
            baked: None,
            source: options.source.clone(),
            fetched: Vec::new(),
        },
        badge: BadgeReport {
            status: badge_status(&checks),
            id: None,
            name: None,
            description: None,
            image: None,
            issuer: None,
            achievement: None,
            recipient: None,
            embedded_labels: Vec::new(),
            issued: None,
            expires: None,
            checks,
        },
        label: label_part(BadgeStatus::Unverifiable),
    }
}

/// Verifies a parsed VC (1.1 or 2.0) with embedded Data Integrity proofs.
pub async fn verify_credential(
    doc: &Map<String, Value>,
    options: &Options,
    fetch: &impl Fetch,
) -> Report {
    verify_credential_at(doc, options, fetch, 0, None).await
}

/// A status list credential, verified like any other (boxed: it recurses).
fn verify_nested<'a, F: Fetch>(
    doc: &'a Map<String, Value>,
    options: &'a Options,
    fetch: &'a F,
    depth: u8,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Report> + 'a>> {
    Box::pin(verify_credential_at(doc, options, fetch, depth, None))
}

/// `external`: the proof checks of an enveloping proof (VC-JWT); `None` for embedded
/// Data Integrity proofs.
pub(crate) async fn verify_credential_at<F: Fetch>(
    doc: &Map<String, Value>,
    options: &Options,
    fetch: &F,
    depth: u8,
    external: Option<di::ProofChecks>,
) -> Report {
    let mut checks = Vec::new();
    let mut cache = CanonCache::default();

    // format: data model, Open Badges shape, and JSON-LD in safe mode.
    let mut problems = vc::credential_problems(doc);
    let (ob_problems, ob_warnings) = vc::open_badges_problems(doc);
    problems.extend(ob_problems);
    let model = vc::data_model(doc).ok();
    let mut unknown_context = None;
    let needs_rdfc = proofs_of(doc)
        .iter()
        .any(|p| di::Suite::of(p).is_ok_and(|(s, _)| s.uses_rdfc()));
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    let unsecured = Value::Object(unsecured);
    if problems.is_empty() {
        let expanded = if needs_rdfc {
            cache.rdfc(&unsecured).map(|_| ())
        } else {
            jsonld::check(&unsecured)
        };
        match expanded {
            Ok(()) => {}
            Err(e @ jsonld::JsonLdError::UnknownContext(_)) => unknown_context = Some(e),
            Err(e) => problems.push(format!("JSON-LD: {e}")),
        }
    }
    if let Some(e) = &unknown_context {
        checks.push(Check::unverifiable(
            check_id::FORMAT,
            format!("{e}: qlabel reads only the contexts it carries, so it cannot tell what this credential says"),
        ));
    } else if problems.is_empty() {
        let kind = kind_of(doc);
        checks.push(Check::pass(
            check_id::FORMAT,
            format!("a well-formed {kind}"),
        ));
    } else {
        checks.push(Check::fail(check_id::FORMAT, problems.join("; ")));
    }
    if model == Some(DataModel::V1) {
        checks.push(Check::warn(
            check_id::FORMAT,
            "uses VC Data Model 1.1; Open Badges 3.0 is built on VC Data Model 2.0",
        ));
    }
    for w in ob_warnings {
        checks.push(Check::warn(check_id::FORMAT, w));
    }

    // proof and key-binding
    let issuer = vc::issuer_id(doc);
    if let Some(external) = external {
        // A VC-JWT: the JWT's signature is the proof, checked by the caller.
        checks.push(external.proof);
        checks.push(external.key_binding);
        checks.extend(external.warnings);
    } else if problems.is_empty() && unknown_context.is_none() {
        let pc = di::verify_proofs(
            doc,
            &unsecured,
            issuer,
            options.at,
            fetch,
            options.limits,
            &mut cache,
        )
        .await;
        checks.push(pc.proof);
        checks.push(pc.key_binding);
        checks.extend(pc.warnings);
    } else {
        checks.push(if matches!(doc.get("proof"), None | Some(Value::Null)) {
            Check::fail(check_id::PROOF, "the credential carries no proof")
        } else {
            Check::skip(
                check_id::PROOF,
                "not checked: the credential could not be read",
            )
        });
    }

    // validity
    let (from_key, until_key) = match model {
        Some(DataModel::V1) => ("issuanceDate", "expirationDate"),
        _ => ("validFrom", "validUntil"),
    };
    let from = doc
        .get(from_key)
        .and_then(Value::as_str)
        .and_then(datetime::parse);
    let until = doc
        .get(until_key)
        .and_then(Value::as_str)
        .and_then(datetime::parse);
    checks.push(validity_check(
        from.map(|t| t.at),
        until.map(|t| t.at),
        options.at,
    ));
    if [from, until].iter().flatten().any(|t| !t.had_offset) {
        checks.push(Check::warn(
            check_id::VALIDITY,
            "a date has no time-zone offset; read as UTC",
        ));
    }

    // status: only believed once the credential itself holds (and fetched only then).
    let core_ok = !checks.iter().any(|c| {
        matches!(
            c.id,
            check_id::FORMAT | check_id::PROOF | check_id::KEY_BINDING
        ) && (c.status == crate::CheckStatus::Fail || c.unverifiable)
    });
    if core_ok {
        checks.extend(
            crate::status::status_checks(doc, options, fetch, depth, &verify_nested::<F>).await,
        );
    } else if doc.get("credentialStatus").is_some() {
        checks.push(Check::skip(
            check_id::STATUS,
            "not checked: the credential itself did not verify",
        ));
    } else {
        checks.push(Check::skip(
            check_id::STATUS,
            "the credential has no status entry",
        ));
    }

    let status = badge_status(&checks);
    Report {
        schema: SCHEMA,
        input: InputInfo {
            format: Format::Ob3Jsonld,
            baked: None,
            source: options.source.clone(),
            fetched: Vec::new(),
        },
        badge: BadgeReport {
            status,
            id: doc.get("id").and_then(Value::as_str).map(str::to_string),
            name: text_of(doc.get("name"))
                .or_else(|| achievement(doc).and_then(|a| text_of(a.get("name")))),
            description: text_of(doc.get("description"))
                .or_else(|| achievement(doc).and_then(|a| text_of(a.get("description")))),
            image: image_of(doc.get("image"))
                .or_else(|| achievement(doc).and_then(|a| image_of(a.get("image")))),
            issuer: issuer.map(|id| IssuerInfo {
                id: id.to_string(),
                name: doc.get("issuer").and_then(|i| text_of(i.get("name"))),
                url: doc
                    .get("issuer")
                    .and_then(|i| i.get("url"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
            achievement: achievement(doc)
                .and_then(|a| a.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string),
            recipient: first_subject(doc).map(recipient_of),
            embedded_labels: embedded_endorsements(doc),
            issued: from.map(|t| datetime::format(t.at)),
            expires: until.map(|t| datetime::format(t.at)),
            checks,
        },
        label: label_part(status),
    }
}

/// Endorsement credentials on the issuer profile and on the achievement.
fn embedded_endorsements(doc: &Map<String, Value>) -> Vec<Value> {
    let mut found = Vec::new();
    for holder in [doc.get("issuer"), achievement(doc)].into_iter().flatten() {
        if let Some(Value::Array(list)) = holder.get("endorsement") {
            found.extend(list.iter().filter(|e| e.is_object()).take(8).cloned());
        }
    }
    found
}

fn proofs_of(doc: &Map<String, Value>) -> Vec<&Value> {
    match doc.get("proof") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(p @ Value::Object(_)) => vec![p],
        _ => Vec::new(),
    }
}

fn kind_of(doc: &Map<String, Value>) -> &'static str {
    let t = vc::map_types(doc);
    for (ty, kind) in [
        ("OpenBadgeCredential", "Open Badges 3.0 credential"),
        ("AchievementCredential", "Open Badges 3.0 credential"),
        ("EndorsementCredential", "Open Badges 3.0 endorsement"),
        ("ClrCredential", "CLR 2.0 credential"),
    ] {
        if t.contains(&ty) {
            return kind;
        }
    }
    "Verifiable Credential"
}

/// The label part before the label check: `not-evaluated` for a badge that did not
/// verify; for a valid one `unknown` until [`crate::label::check_label`] replaces it (it
/// stays so for credentials verified along the way, such as status lists).
pub(crate) fn label_part(status: BadgeStatus) -> LabelReport {
    if status == BadgeStatus::Valid {
        LabelReport::not_evaluated(
            LabelStatus::Unknown,
            Check::unverifiable(check_id::LABEL_STATUS, "no label registry was consulted"),
        )
    } else {
        LabelReport::not_evaluated(
            LabelStatus::NotEvaluated,
            Check::skip(check_id::LABEL_STATUS, "the badge itself did not verify"),
        )
    }
}

/// The `validity` check: not before `from`, not at or after `until`.
pub(crate) fn validity_check(
    from: Option<OffsetDateTime>,
    until: Option<OffsetDateTime>,
    at: OffsetDateTime,
) -> Check {
    if let Some(f) = from {
        if at < f {
            return Check::fail_as(
                check_id::VALIDITY,
                BadgeStatus::NotYetValid,
                format!("not valid before {}", datetime::format(f)),
            );
        }
    }
    if let Some(u) = until {
        if at >= u {
            return Check::fail_as(
                check_id::VALIDITY,
                BadgeStatus::Expired,
                format!("expired at {}", datetime::format(u)),
            );
        }
    }
    match until {
        Some(u) => Check::pass(
            check_id::VALIDITY,
            format!("valid until {}", datetime::format(u)),
        ),
        None => Check::pass(check_id::VALIDITY, "valid, with no expiry date"),
    }
}

fn first_subject(doc: &Map<String, Value>) -> Option<&Value> {
    match doc.get("credentialSubject") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    }
}

fn achievement(doc: &Map<String, Value>) -> Option<&Value> {
    first_subject(doc).and_then(|s| s.get("achievement"))
}

fn recipient_of(subject: &Value) -> Value {
    let mut r = Map::new();
    for key in ["id", "name", "identifier"] {
        if let Some(v) = subject.get(key) {
            r.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(r)
}

/// Plain text of a string or language value (the first one of a list).
pub(crate) fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("@value").and_then(Value::as_str).map(str::to_string),
        Value::Array(a) => text_of(a.first()),
        _ => None,
    }
}

/// The URL of an image given as a URL or as an object with an `id`.
pub(crate) fn image_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}
