//! Self-assessment of a badge against the machine-checkable criteria of the
//! *Quality Label for badge recognition* standard (`qlabel assess`).
//!
//! The Quality Label is awarded to an organisation for its badge-issuing practice, by
//! evaluators. Part of what they look at can be read from the badges themselves; this
//! module reads it, for one Open Badges 2.0 assertion (or BadgeClass) or one Open
//! Badges 3.0 credential, and says per criterion:
//!
//! * [`Status::Pass`]: the metadata the criterion asks for is there and well-formed;
//! * [`Status::Fail`]: it is missing or malformed;
//! * [`Status::NotApplicable`]: the criterion does not apply to this badge (an EQF
//!   level for a badge that does not align to the EQF; award-level criteria for a
//!   BadgeClass on its own);
//! * [`Status::NeedsHumanReview`]: a person has to judge: the quality of learning
//!   outcomes, the adequacy of the assessment, the issuer's QA plan, whether the issuer
//!   holds a label (that needs the authority's registry: `qlabel verify --registry`),
//!   or a part of the badge given only as a URL, which this pure code never fetches.
//!
//! Every [`Criterion`] names the JSON paths it looked at (relative to the document
//! assessed: `badge.issuer.email` in an OB 2.0 assertion,
//! `credentialSubject.achievement.criteria.narrative` in an OB 3.0 credential).
//!
//! Nothing here fetches, reads a clock or panics on odd input: arrays where objects
//! are expected, numbers, nulls are reported as missing or malformed.

use crate::baked;
use crate::datetime;
use crate::error::Error;
use crate::jose;
use crate::limits::{parse_json, Limits};
use crate::vc;
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The `schema` value of an [`Assessment`].
pub const SCHEMA: &str = "qlabel-assessment/1";

/// Shortest badge description (in characters, after trimming) that B1 accepts.
pub const MIN_DESCRIPTION_CHARS: usize = 60;

/// The criteria, in the order they are reported: id and title.
pub const CRITERIA: [(&str, &str); 19] = [
    ("I1", "Issuer name, website and contact e-mail"),
    ("I2", "Issuer country"),
    ("I3", "Issuer holds an active Quality Label"),
    ("B1", "Name, image and a description of its own"),
    ("B2", "Criteria as a narrative, not only a link"),
    ("B3", "Alignment to a competence framework, with a link"),
    ("B4", "Evidence attached"),
    ("B5", "Language stated"),
    ("B6", "Issue date and expiry policy"),
    ("B7", "Revocation supported"),
    ("B8", "Verifiable"),
    ("B9", "Learner identified, hashed where possible"),
    ("B10", "Endorsement or QA statement"),
    ("B11", "Stackability / pathway"),
    ("A1", "Learning outcomes"),
    ("A2", "Workload / duration"),
    ("A4", "Assessment type"),
    ("A7", "Qualification level (EQF) where relevant"),
    ("I6", "Quality-assurance plan and feedback collection"),
];

/// The criteria that always need a person (the table's "H"): `assess` reports them
/// `needs-human-review` when the machine-checkable part is present.
pub const HUMAN_CRITERIA: [&str; 4] = ["I3", "A1", "A4", "I6"];

/// Which Open Badges version was assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// An Open Badges 2.0 (or 1.x) assertion, or a BadgeClass on its own.
    Ob2,
    /// An Open Badges 3.0 / VC credential.
    Ob3,
    /// Neither: every criterion fails.
    Unknown,
}

/// The outcome of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// What the criterion asks for is in the badge and well-formed.
    Pass,
    /// It is missing or malformed.
    Fail,
    /// The criterion does not apply to this badge.
    NotApplicable,
    /// A person has to judge (or read a part given only as a URL).
    NeedsHumanReview,
}

impl Status {
    /// The kebab-case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not-applicable",
            Status::NeedsHumanReview => "needs-human-review",
        }
    }
}

/// One criterion of the standard, judged on one badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// The criterion's id in the standard (`I1`, `B3`, `A7`, …).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The outcome.
    pub status: Status,
    /// The JSON path(s) looked at, comma-separated.
    pub field: String,
    /// What was found, for people.
    pub message: String,
}

/// How many criteria ended in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub not_applicable: usize,
    pub needs_human_review: usize,
}

/// The assessment of one badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The Open Badges version assessed.
    pub format: Format,
    /// The badge's (achievement's / BadgeClass's) name, when it has one.
    pub name: Option<String>,
    /// Every criterion of [`CRITERIA`], in that order.
    pub criteria: Vec<Criterion>,
    /// Counts per status.
    pub summary: Summary,
}

impl Assessment {
    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// The status of the criterion with this id.
    pub fn status(&self, id: &str) -> Option<Status> {
        self.criterion(id).map(|c| c.status)
    }

    /// The criteria that fail.
    pub fn failed(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| c.status == Status::Fail)
    }
}

/// Assesses an Open Badges 2.0 assertion (or BadgeClass) or an Open Badges 3.0
/// credential. Parts given only as URLs are not fetched: the criteria that need them
/// are `needs-human-review`, and say so.
pub fn assess(badge: &Value) -> Assessment {
    assess_with(badge, None, None)
}

/// [`assess`] with the OB 2.0 BadgeClass and/or the issuer Profile supplied by the
/// caller (who fetched them): they stand in for an assertion's `badge` / the badge's
/// `issuer` (an OB 3.0 credential's `issuer`) when those are only URLs. Embedded
/// documents win over supplied ones.
pub fn assess_with(
    badge: &Value,
    badge_class: Option<&Value>,
    issuer: Option<&Value>,
) -> Assessment {
    run(badge, badge_class, issuer, None)
}

/// Assesses a badge as the user has it: JSON, a compact JWS / VC-JWT (the payload's
/// `vc` claim, or the payload itself; the signature is not checked — that is
/// `qlabel verify`'s job), or a PNG / SVG image with one of those baked in.
///
/// `Err` when the input cannot be read as any of those, or holds only a URL (a hosted
/// assertion), which this pure code does not fetch.
pub fn assess_input(bytes: &[u8], limits: Limits) -> Result<Assessment, Error> {
    let text: Cow<'_, str> = if baked::sniff(bytes).is_some() {
        let b = baked::unbake(bytes).map_err(|e| Error::UnknownFormat(e.to_string()))?;
        Cow::Owned(b.payload)
    } else {
        if bytes.len() > limits.max_bytes {
            return Err(Error::TooLarge {
                size: bytes.len(),
                limit: limits.max_bytes,
            });
        }
        Cow::Borrowed(std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
            offset: e.valid_up_to(),
        })?)
    };
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.starts_with('{') || t.starts_with('[') {
        let doc = parse_json(t.as_bytes(), limits)?;
        return Ok(run(&doc, None, None, None));
    }
    if baked::looks_like_jws(t) {
        let jws = jose::decode_compact(t, limits).map_err(|e| match e {
            jose::JoseError::TooLarge { size, limit } => Error::TooLarge { size, limit },
            other => Error::UnknownFormat(format!("not a JWT: {other}")),
        })?;
        let payload = match parse_json(&jws.payload, limits)? {
            Value::Object(m) => m,
            _ => {
                return Err(Error::UnknownFormat(
                    "the JWT payload is not a JSON object".into(),
                ))
            }
        };
        let alg = jws.alg().unwrap_or("no alg").to_string();
        let doc = jwt_document(payload);
        return Ok(run(&doc, None, None, Some(alg)));
    }
    if t.starts_with("https://") || t.starts_with("http://") {
        return Err(Error::UnknownFormat(format!(
            "this holds only the URL of a hosted badge ({}); assessment works offline: \
             download the assertion (and its badge class and issuer) and assess the JSON",
            short(t)
        )));
    }
    Err(Error::UnknownFormat(
        "neither JSON, a JWT nor a PNG/SVG image with a baked badge".into(),
    ))
}

/// The credential carried by a JWT payload: the `vc` claim completed from the JWT's
/// registered claims (VC-JWT of VCDM 1.1), else the payload without them.
fn jwt_document(mut payload: Map<String, Value>) -> Value {
    const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];
    if let Some(Value::Object(vcm)) = payload.get("vc") {
        let mut c = vcm.clone();
        if !c.contains_key("issuer") {
            if let Some(iss) = payload.get("iss") {
                c.insert("issuer".into(), iss.clone());
            }
        }
        if !c.contains_key("id") {
            if let Some(jti) = payload.get("jti") {
                c.insert("id".into(), jti.clone());
            }
        }
        for (claim, keys) in [
            ("nbf", ["issuanceDate", "validFrom"]),
            ("exp", ["expirationDate", "validUntil"]),
        ] {
            if keys.iter().any(|k| c.contains_key(*k)) {
                continue;
            }
            let when = payload
                .get(claim)
                .and_then(Value::as_i64)
                .and_then(|n| time::OffsetDateTime::from_unix_timestamp(n).ok());
            if let Some(at) = when {
                c.insert(keys[0].into(), Value::String(datetime::format(at)));
            }
        }
        if let (Some(Value::String(sub)), Some(Value::Object(subject))) =
            (payload.get("sub"), c.get_mut("credentialSubject"))
        {
            if !subject.contains_key("id") {
                subject.insert("id".into(), Value::String(sub.clone()));
            }
        }
        return Value::Object(c);
    }
    for claim in REGISTERED {
        payload.remove(claim);
    }
    Value::Object(payload)
}

// ------------------------------------------------------------------ the model

/// A part of the badge (BadgeClass, achievement, issuer profile) as found.
#[derive(Debug, Clone)]
enum Doc<'a> {
    Embedded(&'a Map<String, Value>),
    /// Not readable here; the text says why (e.g. only a URL).
    Unread(String),
    Missing,
    /// Present but not an object or a URL.
    Odd,
}

struct Ctx<'a> {
    format: Format,
    root: &'a Map<String, Value>,
    /// The assertion / credential; `None` for an OB 2.0 BadgeClass on its own.
    award: Option<&'a Map<String, Value>>,
    badge: Doc<'a>,
    badge_path: String,
    /// OB 3.0: the (first) credential subject.
    subject: Option<&'a Map<String, Value>>,
    subject_path: String,
    issuer: Doc<'a>,
    issuer_path: String,
    /// The input came as a JWS with this `alg`.
    jwt_alg: Option<String>,
}

fn run(
    doc: &Value,
    badge_class: Option<&Value>,
    issuer: Option<&Value>,
    jwt_alg: Option<String>,
) -> Assessment {
    let ctx = context(doc, badge_class, issuer, jwt_alg);
    let criteria = match &ctx {
        Some(c) => judge(c),
        None => CRITERIA
            .iter()
            .map(|(id, title)| Criterion {
                id,
                title,
                status: Status::Fail,
                field: "type".into(),
                message: "not an Open Badges 2.0 assertion or BadgeClass, nor an Open Badges \
                          3.0 credential: there is nothing to assess"
                    .into(),
            })
            .collect(),
    };
    let mut summary = Summary::default();
    for c in &criteria {
        match c.status {
            Status::Pass => summary.pass += 1,
            Status::Fail => summary.fail += 1,
            Status::NotApplicable => summary.not_applicable += 1,
            Status::NeedsHumanReview => summary.needs_human_review += 1,
        }
    }
    let (format, name) = match &ctx {
        Some(c) => {
            let name = badge_map(c)
                .and_then(|b| text(b.get("name")))
                .or_else(|| text(c.root.get("name")));
            (c.format, name.map(str::to_string))
        }
        None => (Format::Unknown, None),
    };
    Assessment {
        schema: SCHEMA,
        format,
        name,
        criteria,
        summary,
    }
}

fn doc_of<'a>(v: Option<&'a Value>, what: &str, supplied: Option<&'a Value>) -> Doc<'a> {
    match v {
        Some(Value::Object(m)) => Doc::Embedded(m),
        Some(Value::String(s)) if !s.trim().is_empty() => match supplied {
            Some(Value::Object(m)) => Doc::Embedded(m),
            _ => Doc::Unread(format!(
                "the {what} is given only as a URL ({}), which assess does not fetch: \
                 embed it, or check this by hand",
                short(s.trim())
            )),
        },
        None | Some(Value::Null) => match supplied {
            Some(Value::Object(m)) => Doc::Embedded(m),
            _ => Doc::Missing,
        },
        Some(_) => Doc::Odd,
    }
}

fn context<'a>(
    doc: &'a Value,
    badge_class: Option<&'a Value>,
    issuer: Option<&'a Value>,
    jwt_alg: Option<String>,
) -> Option<Ctx<'a>> {
    let root = doc.as_object()?;
    let types = vc::map_types(root);
    let has = |t: &str| types.iter().any(|x| x.eq_ignore_ascii_case(t));
    let is_ob3 = root.contains_key("credentialSubject")
        || has("VerifiableCredential")
        || has("OpenBadgeCredential")
        || has("AchievementCredential");
    if is_ob3 {
        let (subject, subject_path) = match root.get("credentialSubject") {
            Some(Value::Object(m)) => (Some(m), "credentialSubject".to_string()),
            Some(Value::Array(a)) => match a.iter().position(Value::is_object) {
                Some(i) => (a[i].as_object(), format!("credentialSubject[{i}]")),
                None => (None, "credentialSubject".to_string()),
            },
            _ => (None, "credentialSubject".to_string()),
        };
        let badge = match subject {
            Some(s) => doc_of(s.get("achievement"), "achievement", None),
            None => Doc::Missing,
        };
        return Some(Ctx {
            format: Format::Ob3,
            root,
            award: Some(root),
            badge,
            badge_path: format!("{subject_path}.achievement"),
            subject,
            subject_path,
            issuer: doc_of(root.get("issuer"), "issuer profile", issuer),
            issuer_path: "issuer".into(),
            jwt_alg,
        });
    }
    let is_assertion = has("Assertion")
        || (root.contains_key("recipient")
            && (root.contains_key("badge") || root.contains_key("verify")));
    if is_assertion {
        let badge = doc_of(root.get("badge"), "badge class", badge_class);
        let issuer = match &badge {
            Doc::Embedded(b) => doc_of(b.get("issuer"), "issuer profile", issuer),
            Doc::Unread(_) => match issuer {
                Some(Value::Object(m)) => Doc::Embedded(m),
                _ => Doc::Unread(
                    "the badge class is given only as a URL, so its issuer profile could \
                     not be read (assess does not fetch): embed them, or check this by hand"
                        .into(),
                ),
            },
            Doc::Missing | Doc::Odd => Doc::Missing,
        };
        return Some(Ctx {
            format: Format::Ob2,
            root,
            award: Some(root),
            badge,
            badge_path: "badge".into(),
            subject: None,
            subject_path: String::new(),
            issuer,
            issuer_path: "badge.issuer".into(),
            jwt_alg,
        });
    }
    if has("BadgeClass") {
        return Some(Ctx {
            format: Format::Ob2,
            root,
            award: None,
            badge: Doc::Embedded(root),
            badge_path: String::new(),
            subject: None,
            subject_path: String::new(),
            issuer: doc_of(root.get("issuer"), "issuer profile", issuer),
            issuer_path: "issuer".into(),
            jwt_alg,
        });
    }
    None
}

fn judge(c: &Ctx<'_>) -> Vec<Criterion> {
    vec![
        i1(c),
        i2(c),
        i3(c),
        b1(c),
        b2(c),
        b3(c),
        b4(c),
        b5(c),
        b6(c),
        b7(c),
        b8(c),
        b9(c),
        b10(c),
        b11(c),
        a1(c),
        a2(c),
        a4(c),
        a7(c),
        i6(),
    ]
}

// ------------------------------------------------------------------ helpers

fn crit(id: &'static str, status: Status, field: String, message: String) -> Criterion {
    let title = CRITERIA
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("", |(_, t)| *t);
    Criterion {
        id,
        title,
        status,
        field,
        message,
    }
}

/// `prefix.key`, or `key` at the root.
fn path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn paths(prefix: &str, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| path(prefix, k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The part, or the criterion to report when it cannot be read.
fn need<'a>(
    doc: &Doc<'a>,
    what: &str,
    id: &'static str,
    field: &str,
) -> Result<&'a Map<String, Value>, Criterion> {
    match doc {
        Doc::Embedded(m) => Ok(m),
        Doc::Unread(why) => Err(crit(
            id,
            Status::NeedsHumanReview,
            field.into(),
            why.clone(),
        )),
        Doc::Missing => Err(crit(id, Status::Fail, field.into(), format!("no {what}"))),
        Doc::Odd => Err(crit(
            id,
            Status::Fail,
            field.into(),
            format!("the {what} is neither an object nor a URL"),
        )),
    }
}

/// Non-empty text: a string, a JSON-LD value object, or the first such in an array.
fn text(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then_some(t)
        }
        Value::Object(m) => text(m.get("@value")),
        Value::Array(a) => a.iter().find_map(|x| text(Some(x))),
        _ => None,
    }
}

/// Present and not empty.
fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => a.iter().any(|x| present(Some(x))),
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(_)) => true,
    }
}

/// How many non-empty items a value holds (1 for a single value).
fn count(v: Option<&Value>) -> usize {
    match v {
        Some(Value::Array(a)) => a.iter().filter(|x| present(Some(x))).count(),
        other if present(other) => 1,
        _ => 0,
    }
}

/// The objects of a value that is an object or an array of them.
fn objects(v: Option<&Value>) -> Vec<&Map<String, Value>> {
    match v {
        Some(Value::Object(m)) => vec![m],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// At most 80 characters of `s`, for messages.
fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        let head: String = s.chars().take(77).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// Lower case, whitespace collapsed, trailing punctuation dropped.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .to_string()
}

/// Whether `s` is a well-formed absolute http(s) URL with a plausible host; `Some(true)`
/// for https.
fn http_url(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    let (https, rest) = if b
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"https://"))
    {
        (true, s.get(8..)?)
    } else if b
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"http://"))
    {
        (false, s.get(7..)?)
    } else {
        return None;
    };
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        if h.is_empty()
            || !h
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        return (after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        .then_some(https);
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.ends_with('-')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && (host.contains('.') || host.eq_ignore_ascii_case("localhost"));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then_some(https)
}

fn email_ok(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// A BCP 47-shaped language tag (`en`, `sl-SI`, `pt-BR`, `zh-Hant-TW`).
fn language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The European framework an alignment points to, recognised from its framework /
/// target name or its URL.
fn framework(al: &Map<String, Value>) -> Option<&'static str> {
    let words: String = [
        "targetFramework",
        "targetName",
        "targetCode",
        "targetDescription",
    ]
    .iter()
    .filter_map(|k| text(al.get(*k)))
    .collect::<Vec<_>>()
    .join(" ");
    let toks = tokens(&words);
    let lower = words.to_lowercase();
    let url = text(al.get("targetUrl")).unwrap_or("").to_lowercase();
    let tok = |p: &str| toks.iter().any(|t| t.starts_with(p));
    if toks.iter().any(|t| t == "eqf")
        || lower.contains("european qualifications framework")
        || url.contains("eqf")
    {
        Some("EQF")
    } else if tok("digcomp") || url.contains("digcomp") {
        Some("DigComp")
    } else if tok("entrecomp") || url.contains("entrecomp") {
        Some("EntreComp")
    } else if tok("lifecomp") || url.contains("lifecomp") {
        Some("LifeComp")
    } else if tok("greencomp") || url.contains("greencomp") {
        Some("GreenComp")
    } else if toks.iter().any(|t| t == "esco")
        || lower.contains("european skills, competences")
        || url.contains("esco.ec.europa.eu")
        || url.contains("europa.eu/esco")
        || url.contains("data.europa.eu/esco")
    {
        Some("ESCO")
    } else {
        None
    }
}

fn badge_map<'a>(c: &Ctx<'a>) -> Option<&'a Map<String, Value>> {
    match c.badge {
        Doc::Embedded(m) => Some(m),
        _ => None,
    }
}

fn alignments<'a>(c: &Ctx<'a>) -> Vec<&'a Map<String, Value>> {
    badge_map(c)
        .map(|b| objects(b.get("alignment")))
        .unwrap_or_default()
}

fn criteria_narrative<'a>(c: &Ctx<'a>) -> Option<&'a str> {
    let b = badge_map(c)?;
    match b.get("criteria")? {
        Value::Object(m) => text(m.get("narrative")),
        _ => None,
    }
}

fn badge_what(c: &Ctx<'_>) -> &'static str {
    match c.format {
        Format::Ob3 => "achievement",
        _ => "badge class",
    }
}

fn not_for_badge_class(id: &'static str, field: String) -> Criterion {
    crit(
        id,
        Status::NotApplicable,
        field,
        "a BadgeClass on its own: this is judged on each award (assertion)".into(),
    )
}

// ------------------------------------------------------------------ the criteria

fn i1(c: &Ctx<'_>) -> Criterion {
    let p = &c.issuer_path;
    let field = paths(p, &["name", "url", "email"]);
    let iss = match need(&c.issuer, "issuer profile", "I1", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    let mut missing = Vec::new();
    let name = text(iss.get("name"));
    if name.is_none() {
        missing.push("no name".to_string());
    }
    match text(iss.get("url")) {
        None => missing.push("no website (url)".into()),
        Some(u) if http_url(u).is_none() => {
            missing.push(format!("url '{}' is not an http(s) URL", short(u)))
        }
        Some(_) => {}
    }
    match text(iss.get("email")) {
        None => missing.push("no contact e-mail (email)".into()),
        Some(e) if !email_ok(e) => missing.push(format!("email '{}' is not an address", short(e))),
        Some(_) => {}
    }
    if missing.is_empty() {
        crit(
            "I1",
            Status::Pass,
            field,
            format!(
                "issuer '{}' gives its website and a contact e-mail",
                short(name.unwrap_or(""))
            ),
        )
    } else {
        crit("I1", Status::Fail, field, missing.join("; "))
    }
}

/// A country in an object: `address.addressCountryCode`, `address.addressCountry`, or
/// any key naming a country (extensions), at most three levels down.
fn find_country<'a>(
    m: &'a Map<String, Value>,
    prefix: &str,
    depth: usize,
) -> Option<(String, &'a str)> {
    if let Some(Value::Object(addr)) = m.get("address") {
        for k in ["addressCountryCode", "addressCountry"] {
            if let Some(t) = text(addr.get(k)) {
                return Some((path(&path(prefix, "address"), k), t));
            }
        }
    }
    for (k, v) in m {
        if k.to_lowercase().contains("country") {
            if let Some(t) = text(Some(v)) {
                return Some((path(prefix, k), t));
            }
        }
    }
    if depth == 0 {
        return None;
    }
    for (k, v) in m {
        if matches!(
            k.as_str(),
            "endorsement" | "parentOrg" | "@context" | "address"
        ) {
            continue;
        }
        if let Value::Object(inner) = v {
            if let Some(found) = find_country(inner, &path(prefix, k), depth - 1) {
                return Some(found);
            }
        }
    }
    None
}

fn i2(c: &Ctx<'_>) -> Criterion {
    let p = &c.issuer_path;
    let field = match c.format {
        Format::Ob3 => path(p, "address.addressCountryCode"),
        _ => format!(
            "{}, {} (an extension: OB 2.0 has no country field)",
            path(p, "address.addressCountryCode"),
            path(p, "extensions:*")
        ),
    };
    let iss = match need(&c.issuer, "issuer profile", "I2", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    match find_country(iss, p, 3) {
        Some((at, value)) => {
            let is_code = at.to_lowercase().ends_with("countrycode");
            if is_code && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic())) {
                crit(
                    "I2",
                    Status::Fail,
                    at,
                    format!(
                        "'{}' is not an ISO 3166-1 alpha-2 country code",
                        short(value)
                    ),
                )
            } else if is_code {
                crit(
                    "I2",
                    Status::Pass,
                    at,
                    format!("country {}", value.to_uppercase()),
                )
            } else {
                crit(
                    "I2",
                    Status::Pass,
                    at,
                    format!(
                        "country '{}' (a two-letter addressCountryCode is easier for programs)",
                        short(value)
                    ),
                )
            }
        }
        None => crit(
            "I2",
            Status::Fail,
            field,
            match c.format {
                Format::Ob3 => {
                    "the issuer profile states no country (address.addressCountryCode)".into()
                }
                _ => {
                    "the issuer profile states no country; Open Badges 2.0 has no field for it, so \
                      state it in an extension (e.g. address.addressCountryCode)"
                        .into()
                }
            },
        ),
    }
}

fn i3(c: &Ctx<'_>) -> Criterion {
    let field = path(&c.issuer_path, "id");
    let id = match &c.issuer {
        Doc::Embedded(m) => text(m.get("id")).map(short),
        _ => match c.format {
            Format::Ob3 => text(c.root.get("issuer")).map(short),
            _ => None,
        },
    };
    let who = id.map_or("the issuer".to_string(), |i| format!("the issuer ({i})"));
    crit(
        "I3",
        Status::NeedsHumanReview,
        field,
        format!(
            "assess has no label registry: whether {who} holds an active Quality Label is \
             checked by `qlabel verify --trust … --registry …`"
        ),
    )
}

fn b1(c: &Ctx<'_>) -> Criterion {
    let p = &c.badge_path;
    let field = paths(p, &["name", "image", "description"]);
    let b = match need(&c.badge, badge_what(c), "B1", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    let mut problems = Vec::new();
    let name = text(b.get("name"));
    if name.is_none() {
        problems.push("no name".to_string());
    }
    let image = match b.get("image") {
        Some(Value::Object(m)) => text(m.get("id")).is_some(),
        other => text(other).is_some(),
    };
    if !image {
        problems.push("no image".into());
    }
    let desc = text(b.get("description"));
    let mut chars = 0;
    match desc {
        None => problems.push("no description".into()),
        Some(d) => {
            chars = d.chars().count();
            if chars < MIN_DESCRIPTION_CHARS {
                problems.push(format!(
                    "the description has {chars} characters, fewer than {MIN_DESCRIPTION_CHARS}"
                ));
            }
            if name.is_some_and(|n| norm(n) == norm(d)) {
                problems.push("the description only repeats the name".into());
            }
            if criteria_narrative(c).is_some_and(|n| norm(n) == norm(d)) {
                problems.push("the description is a copy of the criteria narrative".into());
            }
        }
    }
    if problems.is_empty() {
        crit(
            "B1",
            Status::Pass,
            field,
            format!(
                "'{}' has an image and a description of {chars} characters; whether it was \
                 written for the badge rather than copied from the activity is for a person to judge",
                short(name.unwrap_or(""))
            ),
        )
    } else {
        crit("B1", Status::Fail, field, problems.join("; "))
    }
}

fn b2(c: &Ctx<'_>) -> Criterion {
    let crit_path = path(&c.badge_path, "criteria");
    let field = format!("{crit_path}.narrative");
    let b = match need(&c.badge, badge_what(c), "B2", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    let (status, message) = match b.get("criteria") {
        None | Some(Value::Null) => (Status::Fail, "no criteria".to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() => (
            Status::Fail,
            format!(
                "the criteria are only a link ({}); write them out in criteria.narrative",
                short(s.trim())
            ),
        ),
        Some(Value::Object(m)) => match text(m.get("narrative")) {
            Some(n) => (
                Status::Pass,
                format!("criteria narrative of {} characters", n.chars().count()),
            ),
            None => match text(m.get("id")).or_else(|| text(m.get("url"))) {
                Some(u) => (
                    Status::Fail,
                    format!(
                        "the criteria are only a link ({}); write them out in criteria.narrative",
                        short(u)
                    ),
                ),
                None => (Status::Fail, "the criteria have no narrative".into()),
            },
        },
        Some(_) => (
            Status::Fail,
            "the criteria are neither an object nor a URL".into(),
        ),
    };
    crit("B2", status, field, message)
}

fn b3(c: &Ctx<'_>) -> Criterion {
    let ap = path(&c.badge_path, "alignment");
    let field = format!("{ap}[].targetFramework, {ap}[].targetName, {ap}[].targetUrl");
    if let Err(cr) = need(&c.badge, badge_what(c), "B3", &field) {
        return cr;
    }
    let als = alignments(c);
    if als.is_empty() {
        return crit(
            "B3",
            Status::Fail,
            field,
            "no alignment to a competence framework (ESCO, DigComp, EntreComp, EQF, …)".into(),
        );
    }
    let mut good = Vec::new();
    let mut insecure = false;
    let mut unknown_ok = Vec::new();
    let mut bad = Vec::new();
    for al in &als {
        let label = framework(al);
        let url = text(al.get("targetUrl"));
        let shape = url.and_then(http_url);
        let shown = label
            .map(str::to_string)
            .or_else(|| text(al.get("targetFramework")).map(|s| format!("'{}'", short(s))))
            .or_else(|| text(al.get("targetName")).map(|s| format!("'{}'", short(s))))
            .unwrap_or_else(|| "an unnamed target".into());
        match (label, shape) {
            (Some(_), Some(https)) => {
                insecure |= !https;
                good.push(format!("{shown} ({})", short(url.unwrap_or(""))));
            }
            (None, Some(_)) => unknown_ok.push(shown),
            (_, None) => bad.push(match url {
                Some(u) => format!("{shown}: targetUrl '{}' is not an http(s) URL", short(u)),
                None => format!("{shown}: no targetUrl"),
            }),
        }
    }
    if !good.is_empty() {
        let mut m = format!(
            "aligned to {}; the links were not fetched (assess works offline)",
            good.join(", ")
        );
        if insecure {
            m.push_str("; use https rather than http links");
        }
        crit("B3", Status::Pass, field, m)
    } else if !unknown_ok.is_empty() {
        crit(
            "B3",
            Status::NeedsHumanReview,
            field,
            format!(
                "aligned to {}, which assess does not recognise as ESCO, DigComp, EntreComp, \
                 LifeComp, GreenComp or EQF; a person judges whether it is a wider framework",
                unknown_ok.join(", ")
            ),
        )
    } else {
        crit(
            "B3",
            Status::Fail,
            field,
            format!("no usable link: {}", bad.join("; ")),
        )
    }
}

fn b4(c: &Ctx<'_>) -> Criterion {
    let field = "evidence".to_string();
    let Some(award) = c.award else {
        return not_for_badge_class("B4", field);
    };
    let n = count(award.get("evidence"));
    if n > 0 {
        crit(
            "B4",
            Status::Pass,
            field,
            format!("{n} piece(s) of evidence attached"),
        )
    } else {
        crit(
            "B4",
            Status::Fail,
            field,
            "no evidence attached to this award".into(),
        )
    }
}

fn b5(c: &Ctx<'_>) -> Criterion {
    let mut candidates: Vec<(String, Option<&Value>)> = Vec::new();
    let b = badge_map(c);
    match c.format {
        Format::Ob3 => {
            candidates.push((
                path(&c.badge_path, "inLanguage"),
                b.and_then(|b| b.get("inLanguage")),
            ));
            candidates.push(("inLanguage".into(), c.root.get("inLanguage")));
        }
        _ => {
            candidates.push((
                path(&c.badge_path, "@language"),
                b.and_then(|b| b.get("@language")),
            ));
            if c.award.is_some() {
                candidates.push(("@language".into(), c.root.get("@language")));
            }
            for (where_, m) in [(c.badge_path.as_str(), b), ("", c.award)] {
                let ctx = m.and_then(|m| m.get("@context"));
                for o in objects(ctx) {
                    if o.contains_key("@language") {
                        candidates.push((path(where_, "@context.@language"), o.get("@language")));
                    }
                }
            }
        }
    }
    let field = candidates
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for (at, v) in &candidates {
        if let Some(t) = text(*v) {
            return if language_tag(t) {
                crit("B5", Status::Pass, at.clone(), format!("language '{t}'"))
            } else {
                crit(
                    "B5",
                    Status::Fail,
                    at.clone(),
                    format!(
                        "'{}' is not a language tag (like 'en' or 'sl-SI')",
                        short(t)
                    ),
                )
            };
        }
    }
    if matches!(c.badge, Doc::Unread(_)) {
        return crit(
            "B5",
            Status::NeedsHumanReview,
            field,
            format!(
                "no language in the assertion, and the {} was not read (only a URL)",
                badge_what(c)
            ),
        );
    }
    crit("B5", Status::Fail, field, "no language stated".into())
}

fn b6(c: &Ctx<'_>) -> Criterion {
    let (issued_keys, expiry_keys): (&[&'static str], &[&'static str]) = match c.format {
        Format::Ob3 => (
            &["validFrom", "issuanceDate"],
            &["validUntil", "expirationDate"],
        ),
        _ => (&["issuedOn"], &["expires"]),
    };
    let field = issued_keys
        .iter()
        .chain(expiry_keys)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let Some(award) = c.award else {
        return not_for_badge_class("B6", field);
    };
    let first = |keys: &[&'static str]| first_of(award, keys);
    let date = |v: &Value| v.as_str().and_then(datetime::parse).map(|t| t.at);
    let Some((ik, iv)) = first(issued_keys) else {
        return crit("B6", Status::Fail, field, "no issue date".into());
    };
    let Some(issued) = date(iv) else {
        return crit(
            "B6",
            Status::Fail,
            field,
            format!("{ik} is not a date-time (RFC 3339)"),
        );
    };
    let issued_text = datetime::format(issued);
    match first(expiry_keys) {
        None => crit(
            "B6",
            Status::NeedsHumanReview,
            field,
            format!(
                "issued {issued_text}; no expiry date. The standard asks for an expiry policy: \
                 if the badge is meant not to expire, say so where earners read it; a person checks"
            ),
        ),
        Some((ek, ev)) => match date(ev) {
            None => crit(
                "B6",
                Status::Fail,
                field,
                format!("{ek} is not a date-time (RFC 3339)"),
            ),
            Some(exp) if exp <= issued => crit(
                "B6",
                Status::Fail,
                field,
                format!(
                    "{ek} {} is not after {ik} {issued_text}",
                    datetime::format(exp)
                ),
            ),
            Some(exp) => crit(
                "B6",
                Status::Pass,
                field,
                format!("issued {issued_text}, expires {}", datetime::format(exp)),
            ),
        },
    }
}

/// The first of `keys` present (not null) in `m`.
fn first_of<'a>(
    m: &'a Map<String, Value>,
    keys: &[&'static str],
) -> Option<(&'static str, &'a Value)> {
    keys.iter()
        .find_map(|k| m.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
}

/// OB 2.0 verification type: `hosted` or `signed` (also `HostedBadge`/`SignedBadge` and
/// the OB 1.x `verify` object).
fn ob2_verification(
    award: &Map<String, Value>,
) -> (Option<&Map<String, Value>>, Option<&'static str>) {
    let v = award
        .get("verification")
        .and_then(Value::as_object)
        .or_else(|| award.get("verify").and_then(Value::as_object));
    let kind =
        v.and_then(|v| text(v.get("type")))
            .and_then(|t| match t.to_ascii_lowercase().as_str() {
                "hosted" | "hostedbadge" => Some("hosted"),
                "signed" | "signedbadge" => Some("signed"),
                _ => None,
            });
    (v, kind)
}

fn b7(c: &Ctx<'_>) -> Criterion {
    match c.format {
        Format::Ob3 => {
            let field = "credentialStatus".to_string();
            let statuses = objects(c.root.get("credentialStatus"));
            if statuses.is_empty() {
                return crit(
                    "B7",
                    Status::Fail,
                    field,
                    "no credentialStatus: the credential cannot be revoked".into(),
                );
            }
            let types: Vec<&str> = statuses.iter().flat_map(|s| vc::map_types(s)).collect();
            if types.is_empty() {
                return crit(
                    "B7",
                    Status::Fail,
                    field,
                    "credentialStatus has no type".into(),
                );
            }
            crit(
                "B7",
                Status::Pass,
                field,
                format!(
                    "credentialStatus of type {}; whether the status list answers is checked by `qlabel verify`",
                    types.join(", ")
                ),
            )
        }
        _ => {
            let rl = path(&c.issuer_path, "revocationList");
            let field = format!("verification.type, {rl}");
            let Some(award) = c.award else {
                return not_for_badge_class("B7", field);
            };
            match ob2_verification(award) {
                (_, Some("hosted")) => crit(
                    "B7",
                    Status::Pass,
                    field,
                    "hosted verification: the issuer revokes the badge by marking or removing the \
                     hosted assertion"
                        .into(),
                ),
                (_, Some(_)) => match &c.issuer {
                    Doc::Embedded(m) => match text(m.get("revocationList")) {
                        Some(u) => crit(
                            "B7",
                            Status::Pass,
                            field,
                            format!(
                                "signed badge; the issuer publishes a revocation list ({})",
                                short(u)
                            ),
                        ),
                        None => crit(
                            "B7",
                            Status::Fail,
                            field,
                            "signed badge, but the issuer profile names no revocationList".into(),
                        ),
                    },
                    Doc::Unread(why) => crit("B7", Status::NeedsHumanReview, field, why.clone()),
                    _ => crit(
                        "B7",
                        Status::Fail,
                        field,
                        "signed badge without an issuer profile that names a revocationList".into(),
                    ),
                },
                (Some(_), None) => crit(
                    "B7",
                    Status::Fail,
                    field,
                    "verification.type is neither hosted nor signed".into(),
                ),
                (None, None) => crit(
                    "B7",
                    Status::Fail,
                    field,
                    "no verification object, so no way to revoke".into(),
                ),
            }
        }
    }
}

fn b8(c: &Ctx<'_>) -> Criterion {
    const HOW: &str = "whether it really verifies is checked by `qlabel verify`";
    match c.format {
        Format::Ob3 => {
            let field = "proof".to_string();
            if let Some(alg) = &c.jwt_alg {
                return crit(
                    "B8",
                    Status::Pass,
                    "(JWS header).alg".into(),
                    format!("secured as a VC-JWT (alg {alg}); {HOW}"),
                );
            }
            let proofs = objects(c.root.get("proof"));
            if proofs.is_empty() {
                return crit(
                    "B8",
                    Status::Fail,
                    field,
                    "no proof: the credential is unsigned, so nobody can verify it".into(),
                );
            }
            let kinds: Vec<String> = proofs
                .iter()
                .map(|p| {
                    let t = vc::map_types(p).join("/");
                    match text(p.get("cryptosuite")) {
                        Some(s) => format!("{t} {s}"),
                        None => t,
                    }
                })
                .collect();
            crit(
                "B8",
                Status::Pass,
                field,
                format!("proof present ({}); {HOW}", kinds.join(", ")),
            )
        }
        _ => {
            let field = "verification.type, id".to_string();
            let Some(award) = c.award else {
                return not_for_badge_class("B8", field);
            };
            match ob2_verification(award) {
                (_, Some("hosted")) => match text(award.get("id")).and_then(http_url) {
                    Some(_) => crit(
                        "B8",
                        Status::Pass,
                        field,
                        format!("hosted at its id; {HOW}"),
                    ),
                    None => crit(
                        "B8",
                        Status::Fail,
                        field,
                        "hosted verification, but the assertion id is not an http(s) URL".into(),
                    ),
                },
                (_, Some(_)) => {
                    let m = match &c.jwt_alg {
                        Some(alg) => format!("signed assertion (JWS, alg {alg}); {HOW}"),
                        None => format!(
                            "signed verification declared; the signature travels in the JWS, so \
                             verify the JWS itself: {HOW}"
                        ),
                    };
                    crit("B8", Status::Pass, field, m)
                }
                (Some(_), None) => crit(
                    "B8",
                    Status::Fail,
                    field,
                    "verification.type is neither hosted nor signed".into(),
                ),
                (None, None) => crit(
                    "B8",
                    Status::Fail,
                    field,
                    "no verification object: nobody can verify this assertion".into(),
                ),
            }
        }
    }
}

fn b9(c: &Ctx<'_>) -> Criterion {
    match c.format {
        Format::Ob3 => {
            let sp = &c.subject_path;
            let field = format!("{sp}.identifier[].hashed, {sp}.id");
            let Some(s) = c.subject else {
                return crit("B9", Status::Fail, field, "no credentialSubject".into());
            };
            let ids = objects(s.get("identifier"));
            let hashed = ids
                .iter()
                .filter(|i| is_true(i.get("hashed")) && text(i.get("identityHash")).is_some())
                .count();
            let clear = ids
                .iter()
                .filter(|i| !is_true(i.get("hashed")) && text(i.get("identityHash")).is_some())
                .count();
            let id = text(s.get("id"));
            if clear > 0 {
                crit(
                    "B9",
                    Status::Fail,
                    field,
                    format!(
                        "{clear} identifier(s) of the learner in clear text; hash them (hashed: true, with a salt)"
                    ),
                )
            } else if hashed > 0 {
                crit(
                    "B9",
                    Status::Pass,
                    field,
                    format!("the learner is identified by {hashed} hashed identifier(s)"),
                )
            } else if let Some(id) = id.filter(|i| i.starts_with("did:")) {
                crit(
                    "B9",
                    Status::Pass,
                    field,
                    format!(
                        "the learner is identified by a pseudonymous DID ({})",
                        short(id)
                    ),
                )
            } else if let Some(id) = id {
                crit(
                    "B9",
                    Status::NeedsHumanReview,
                    field,
                    format!(
                        "the learner is identified by {} in clear; a hashed identifier protects \
                         them better where it is possible",
                        short(id)
                    ),
                )
            } else {
                crit(
                    "B9",
                    Status::Fail,
                    field,
                    "the learner is not identified".into(),
                )
            }
        }
        _ => {
            let field = "recipient.identity, recipient.hashed".to_string();
            let Some(award) = c.award else {
                return not_for_badge_class("B9", field);
            };
            let hashed_form = |s: &str| {
                let l = s.to_ascii_lowercase();
                l.starts_with("sha256$") || l.starts_with("md5$")
            };
            match award.get("recipient") {
                Some(Value::String(s)) if hashed_form(s) => crit(
                    "B9",
                    Status::Pass,
                    "recipient".into(),
                    "the recipient is identified by a hash (OB 1.0 form)".into(),
                ),
                Some(Value::Object(r)) => {
                    let kind = text(r.get("type")).unwrap_or("identity");
                    match text(r.get("identity")) {
                        None => crit("B9", Status::Fail, field, "recipient.identity is empty".into()),
                        Some(i) if is_true(r.get("hashed")) && hashed_form(i) => {
                            let salt = if text(r.get("salt")).is_some() {
                                "salted"
                            } else {
                                "unsalted"
                            };
                            crit(
                                "B9",
                                Status::Pass,
                                field,
                                format!("the recipient's {kind} is hashed ({salt})"),
                            )
                        }
                        Some(_) if is_true(r.get("hashed")) => crit(
                            "B9",
                            Status::Fail,
                            field,
                            "hashed is true but the identity is not 'sha256$…' or 'md5$…'".into(),
                        ),
                        Some(_) => crit(
                            "B9",
                            Status::Fail,
                            field,
                            format!(
                                "the recipient's {kind} is in clear text; hash it (hashed: true, with a salt)"
                            ),
                        ),
                    }
                }
                Some(Value::String(_)) => crit(
                    "B9",
                    Status::Fail,
                    "recipient".into(),
                    "the recipient is in clear text (OB 1.0 form)".into(),
                ),
                _ => crit("B9", Status::Fail, field, "no recipient".into()),
            }
        }
    }
}

fn b10(c: &Ctx<'_>) -> Criterion {
    let keys: &[&str] = match c.format {
        Format::Ob3 => &["endorsement", "endorsementJwt"],
        _ => &["endorsement"],
    };
    let mut places: Vec<(String, Option<&Map<String, Value>>)> = Vec::new();
    if c.award.is_some() {
        places.push((String::new(), Some(c.root)));
    }
    places.push((c.badge_path.clone(), badge_map(c)));
    let issuer = match c.issuer {
        Doc::Embedded(m) => Some(m),
        _ => None,
    };
    places.push((c.issuer_path.clone(), issuer));
    let mut fields = Vec::new();
    let mut found = Vec::new();
    for (prefix, m) in &places {
        for k in keys {
            let at = path(prefix, k);
            let n = count(m.and_then(|m| m.get(*k)));
            if n > 0 {
                found.push(format!("{n} in {at}"));
            }
            fields.push(at);
        }
    }
    let field = fields.join(", ");
    if !found.is_empty() {
        return crit(
            "B10",
            Status::Pass,
            field,
            format!(
                "endorsed: {}; whether the endorsements verify is checked by `qlabel verify`",
                found.join(", ")
            ),
        );
    }
    let unread: Vec<&str> = [(&c.badge, badge_what(c)), (&c.issuer, "issuer profile")]
        .iter()
        .filter(|(d, _)| matches!(d, Doc::Unread(_)))
        .map(|(_, w)| *w)
        .collect();
    if !unread.is_empty() {
        return crit(
            "B10",
            Status::NeedsHumanReview,
            field,
            format!(
                "no endorsement in what was read; the {} {}",
                unread.join(" and "),
                if unread.len() > 1 {
                    "(only URLs) were not read"
                } else {
                    "(only a URL) was not read"
                }
            ),
        );
    }
    crit(
        "B10",
        Status::Fail,
        field,
        "no endorsement; a QA statement published elsewhere is for a person to check".into(),
    )
}

fn b11(c: &Ctx<'_>) -> Criterion {
    let ap = path(&c.badge_path, "alignment");
    let field = format!(
        "{}, {ap}[].targetType, {ap}[].targetFramework",
        path(&c.badge_path, "related")
    );
    let b = match need(&c.badge, badge_what(c), "B11", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    let related = count(b.get("related"));
    if related > 0 {
        return crit(
            "B11",
            Status::Pass,
            field,
            format!("related to {related} other achievement(s)"),
        );
    }
    let stack_words = [
        "badge",
        "credential",
        "achievement",
        "certification",
        "pathway",
        "micro-credential",
    ];
    for al in alignments(c) {
        let target_type = text(al.get("targetType")).unwrap_or("").to_lowercase();
        let fw = text(al.get("targetFramework")).unwrap_or("").to_lowercase();
        if stack_words
            .iter()
            .any(|w| target_type.contains(w) || fw.contains(w))
        {
            let what = text(al.get("targetName"))
                .or_else(|| text(al.get("targetUrl")))
                .unwrap_or("a target");
            return crit(
                "B11",
                Status::Pass,
                field,
                format!("aligned to another credential or pathway: {}", short(what)),
            );
        }
    }
    crit(
        "B11",
        Status::Fail,
        field,
        "no related achievement and no alignment to another badge or pathway".into(),
    )
}

fn result_descriptions<'a>(c: &Ctx<'a>) -> Vec<&'a Map<String, Value>> {
    badge_map(c)
        .map(|b| objects(b.get("resultDescription")))
        .unwrap_or_default()
}

fn a1(c: &Ctx<'_>) -> Criterion {
    let bp = &c.badge_path;
    let field = match c.format {
        Format::Ob3 => paths(
            bp,
            &["resultDescription", "description", "criteria.narrative"],
        ),
        _ => paths(bp, &["description", "criteria.narrative"]),
    };
    let b = match need(&c.badge, badge_what(c), "A1", &field) {
        Ok(m) => m,
        Err(cr) => return cr,
    };
    let rds = result_descriptions(c);
    if !rds.is_empty() {
        let names: Vec<&str> = rds.iter().filter_map(|r| text(r.get("name"))).collect();
        return crit(
            "A1",
            Status::NeedsHumanReview,
            field,
            format!(
                "learning outcomes described in {} resultDescription(s){}; a person judges their quality",
                rds.len(),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", short(&names.join(", ")))
                }
            ),
        );
    }
    let desc = text(b.get("description"));
    let narrative = criteria_narrative(c);
    match (desc, narrative) {
        (Some(_), Some(_)) => crit(
            "A1",
            Status::NeedsHumanReview,
            field,
            "learning outcomes can only be in the description and the criteria narrative; a \
             person judges whether they state what the learner can do"
                .into(),
        ),
        _ => crit(
            "A1",
            Status::Fail,
            field,
            format!(
                "no learning outcomes: {}",
                match c.format {
                    Format::Ob3 =>
                        "no resultDescription, and not both a description and a criteria narrative",
                    _ => "not both a description and a criteria narrative",
                }
            ),
        ),
    }
}

/// A key naming a workload or duration, in an object or the objects inside it
/// (extensions), at most two levels down.
fn find_workload<'a>(
    m: &'a Map<String, Value>,
    prefix: &str,
    depth: usize,
) -> Option<(String, &'a Value)> {
    const WORDS: [&str; 9] = [
        "duration",
        "workload",
        "hours",
        "credit",
        "ects",
        "timerequired",
        "studyload",
        "learninghours",
        "volume",
    ];
    for (k, v) in m {
        let l = k.to_lowercase();
        if l.starts_with('@') || l == "creditsearned" {
            continue;
        }
        if WORDS.iter().any(|w| l.contains(w)) && present(Some(v)) && !v.is_object() {
            return Some((path(prefix, k), v));
        }
    }
    if depth == 0 {
        return None;
    }
    for (k, v) in m {
        if matches!(
            k.as_str(),
            "endorsement" | "issuer" | "alignment" | "criteria" | "@context"
        ) {
            continue;
        }
        if let Value::Object(inner) = v {
            if let Some(f) = find_workload(inner, &path(prefix, k), depth - 1) {
                return Some(f);
            }
        }
    }
    None
}

fn a2(c: &Ctx<'_>) -> Criterion {
    let field = match c.format {
        Format::Ob3 => format!(
            "{}, {}",
            path(&c.badge_path, "creditsAvailable"),
            paths(
                &c.subject_path,
                &["activityStartDate", "activityEndDate", "creditsEarned"]
            )
        ),
        _ => format!(
            "{}, {} (extensions: OB 2.0 has no workload field)",
            path(&c.badge_path, "extensions:*"),
            if c.award.is_some() {
                "extensions:*"
            } else {
                ""
            }
        ),
    };
    let b = badge_map(c);
    if c.format == Format::Ob3 {
        if let Some(n) = b
            .and_then(|b| b.get("creditsAvailable"))
            .and_then(Value::as_f64)
        {
            if n > 0.0 {
                return crit(
                    "A2",
                    Status::Pass,
                    path(&c.badge_path, "creditsAvailable"),
                    format!("{n} credits available"),
                );
            }
        }
        if let Some(s) = c.subject {
            let d = |k: &str| text(s.get(k)).and_then(datetime::parse).map(|t| t.at);
            if let (Some(from), Some(to)) = (d("activityStartDate"), d("activityEndDate")) {
                if to >= from {
                    return crit(
                        "A2",
                        Status::Pass,
                        paths(&c.subject_path, &["activityStartDate", "activityEndDate"]),
                        format!(
                            "activity from {} to {}",
                            datetime::format(from),
                            datetime::format(to)
                        ),
                    );
                }
            }
            if let Some(n) = s.get("creditsEarned").and_then(Value::as_f64) {
                if n > 0.0 {
                    return crit(
                        "A2",
                        Status::Pass,
                        path(&c.subject_path, "creditsEarned"),
                        format!("{n} credits earned"),
                    );
                }
            }
        }
    }
    let found = b
        .and_then(|b| find_workload(b, &c.badge_path, 2))
        .or_else(|| {
            c.award
                .filter(|_| !c.badge_path.is_empty())
                .and_then(|a| find_workload(a, "", 1))
        });
    if let Some((at, v)) = found {
        let shown = match v {
            Value::String(s) => short(s.trim()),
            other => short(&other.to_string()),
        };
        return crit("A2", Status::Pass, at, format!("workload stated: {shown}"));
    }
    if matches!(c.badge, Doc::Unread(_)) {
        return crit(
            "A2",
            Status::NeedsHumanReview,
            field,
            format!(
                "no workload in what was read; the {} (only a URL) was not read",
                badge_what(c)
            ),
        );
    }
    crit(
        "A2",
        Status::Fail,
        field,
        match c.format {
            Format::Ob3 => "no workload or duration: no creditsAvailable, no activity dates".into(),
            _ => "no workload or duration (OB 2.0 has no field for it: use an extension)".into(),
        },
    )
}

/// A word in the criteria that says how learning was assessed.
fn assessment_word(narrative: &str) -> Option<String> {
    const STEMS: [&str; 16] = [
        "assess",
        "evaluat",
        "exam",
        "test",
        "quiz",
        "portfolio",
        "observ",
        "interview",
        "review",
        "present",
        "reflect",
        "demonstrat",
        "submit",
        "rubric",
        "peer",
        "graded",
    ];
    tokens(narrative)
        .into_iter()
        .find(|t| STEMS.iter().any(|s| t.starts_with(s)))
}

fn a4(c: &Ctx<'_>) -> Criterion {
    let bp = &c.badge_path;
    let field = match c.format {
        Format::Ob3 => format!(
            "{}[].resultType, {}",
            path(bp, "resultDescription"),
            path(bp, "criteria.narrative")
        ),
        _ => path(bp, "criteria.narrative"),
    };
    if let Err(cr) = need(&c.badge, badge_what(c), "A4", &field) {
        return cr;
    }
    let types: Vec<&str> = result_descriptions(c)
        .iter()
        .filter_map(|r| text(r.get("resultType")))
        .collect();
    if !types.is_empty() {
        return crit(
            "A4",
            Status::NeedsHumanReview,
            field,
            format!(
                "assessed by result type {}; a person judges whether the assessment fits",
                short(&types.join(", "))
            ),
        );
    }
    if let Some(word) = criteria_narrative(c).and_then(assessment_word) {
        return crit(
            "A4",
            Status::NeedsHumanReview,
            field,
            format!(
                "the criteria narrative speaks of the assessment ('{word}…'); a person judges \
                 whether it fits"
            ),
        );
    }
    crit(
        "A4",
        Status::Fail,
        field,
        "nothing says how the learning was assessed".into(),
    )
}

fn a7(c: &Ctx<'_>) -> Criterion {
    let ap = path(&c.badge_path, "alignment");
    let field = format!("{ap}[].targetFramework, {ap}[].targetCode, {ap}[].targetName");
    if let Err(cr) = need(&c.badge, badge_what(c), "A7", &field) {
        return cr;
    }
    let eqf: Vec<&Map<String, Value>> = alignments(c)
        .into_iter()
        .filter(|al| framework(al) == Some("EQF"))
        .collect();
    if eqf.is_empty() {
        return crit(
            "A7",
            Status::NotApplicable,
            field,
            "no EQF level stated; it matters only for badges tied to a qualification, which a \
             person judges"
                .into(),
        );
    }
    for al in &eqf {
        for k in ["targetCode", "targetName"] {
            let level = text(al.get(k)).and_then(|t| {
                tokens(t)
                    .into_iter()
                    .find(|w| w.len() == 1 && ("1"..="8").contains(&w.as_str()))
            });
            if let Some(level) = level {
                return crit("A7", Status::Pass, field, format!("EQF level {level}"));
            }
        }
    }
    crit(
        "A7",
        Status::Fail,
        field,
        "aligned to the EQF, but no level (1–8) in targetCode or targetName".into(),
    )
}

fn i6() -> Criterion {
    crit(
        "I6",
        Status::NeedsHumanReview,
        "(the issuer's application)".into(),
        "the 3-year quality-assurance and improvement plan and how feedback is collected are \
         part of the application, judged by the evaluators"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls() {
        assert_eq!(http_url("https://esco.ec.europa.eu/en"), Some(true));
        assert_eq!(http_url("http://localhost:8080/x"), Some(false));
        assert_eq!(http_url("https://[::1]:80/"), Some(true));
        assert_eq!(http_url("https://x"), None);
        assert_eq!(http_url("https://exa mple.org"), None);
        assert_eq!(http_url("ftp://example.org"), None);
        assert_eq!(http_url("https://example.org:/"), None);
        assert_eq!(http_url("https://"), None);
        assert_eq!(http_url("ht"), None);
        assert_eq!(http_url("https://é"), None);
    }

    #[test]
    fn language_tags() {
        assert!(language_tag("en"));
        assert!(language_tag("sl-SI"));
        assert!(language_tag("zh-Hant-TW"));
        assert!(!language_tag("english language"));
        assert!(!language_tag("e"));
    }

    #[test]
    fn frameworks() {
        let al = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(
            framework(&al(json!({"targetFramework": "DigComp 2.2"}))),
            Some("DigComp")
        );
        assert_eq!(
            framework(&al(
                json!({"targetName": "x", "targetUrl": "https://esco.ec.europa.eu/x"})
            )),
            Some("ESCO")
        );
        assert_eq!(
            framework(&al(
                json!({"targetUrl": "http://data.europa.eu/esco/skill/1"})
            )),
            Some("ESCO")
        );
        assert_eq!(
            framework(&al(
                json!({"targetFramework": "European Qualifications Framework"})
            )),
            Some("EQF")
        );
        assert_eq!(
            framework(&al(json!({"targetFramework": "Escondido"}))),
            None
        );
    }

    #[test]
    fn titles_complete() {
        let a = assess(&json!({"type": "Assertion", "recipient": {}, "badge": 1}));
        assert_eq!(a.criteria.len(), CRITERIA.len());
        assert!(a.criteria.iter().all(|c| !c.title.is_empty()));
    }
}
