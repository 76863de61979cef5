//! Open Badges 2.0: hosted and signed assertions, verified as the OB 2.0 specification
//! ("Verification") and the 1EdTech validator define it.
//!
//! - **Hosted** (`verification.type` `hosted`/`HostedBadge`): the assertion is fetched at
//!   its `id` and that copy is judged (the issuer's server is the authority); its `id` must
//!   be the URL asked for, and the URL — and, after redirects, the URL it was finally served
//!   from — must lie within the issuer's `verification.allowedOrigins` (host names) and
//!   `startsWith` (prefixes), by default the host of the issuer's id. A hosted assertion
//!   marked `revoked`, or answering HTTP 410 Gone, is revoked.
//! - **Signed** (`verification.type` `signed`/`SignedBadge`, given as a compact JWS): the
//!   JWS (RS256) is checked with the `CryptographicKey` at `verification.creator` (or, if
//!   none is named, the keys the issuer lists); the key's `owner` must be the issuer and
//!   the issuer's profile must list the key. The issuer's `revocationList` is read: an
//!   unreachable list makes the status `unverifiable`, never "not revoked".
//! - BadgeClass and issuer Profile are used embedded or fetched by URL. A fetched document
//!   that declares another id than its URL is used with a warning when that id is on the
//!   same host (or not HTTP(S)); otherwise the document at its id is fetched and used.
//!   `@context` must be the OB 2.0 context (an inline copy of it is accepted); the OB 1.1
//!   context (`…/openbadges/v1`) is read as 2.0 with a warning; OB 0.5 and 1.0 shapes are
//!   reported `unverifiable`. No JSON-LD processing is done.
//! - `recipient` is compared (plain, or `sha256$`/`md5$` hashes with the salt) only when
//!   the caller asks ([`Options::recipient`]); endorsements (`endorsement` on the
//!   Assertion, BadgeClass and Profile) are checked as hosted endorsements and only ever
//!   warn.

use crate::datetime;
use crate::error::Error;
use crate::fetch::{Expect, Fetch, FetchError, Session};
use crate::jose;
use crate::keys::{self, KeyError, PublicKey};
use crate::limits::{parse_json, Limits};
use crate::report::{
    badge_status, check_id, BadgeReport, BadgeStatus, Check, CheckStatus, Format, InputInfo,
    IssuerInfo, Report, SCHEMA,
};
use crate::verify::Options;
use serde_json::{Map, Value};
use sha2::Digest;
use std::sync::OnceLock;
use time::OffsetDateTime;

type Obj = Map<String, Value>;

/// The Open Badges 2.0 context.
pub const CONTEXT_V2: &str = "https://w3id.org/openbadges/v2";
const V2_URLS: [&str; 3] = [
    CONTEXT_V2,
    "http://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
];
const V1_URLS: [&str; 3] = [
    "https://w3id.org/openbadges/v1",
    "http://w3id.org/openbadges/v1",
    "https://openbadgespec.org/v1/context.json",
];
/// Endorsements checked per badge; more are reported, not fetched.
const MAX_ENDORSEMENTS: usize = 16;

/// An Open Badges 2.0 badge as the caller has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ob2Input {
    /// A JSON assertion (a hosted assertion is still fetched at its `id`).
    Assertion(Map<String, Value>),
    /// The URL of a hosted assertion (or of a signed one's JWS).
    Url(String),
    /// A signed assertion: a compact JWS whose payload is the assertion.
    Jws(String),
}

/// Does this JSON document look like Open Badges 2.0 (or older)? True when its
/// `@context` is the OB v2 or v1 context (or an inline copy of the v2 context) or names
/// another `w3id.org/openbadges` context (a broken OB document, judged as such), and no
/// Verifiable Credentials context; or, without `@context`, when it has the OB 0.5/1.0
/// shape (`recipient` and `badge`).
pub fn is_ob2(doc: &Map<String, Value>) -> bool {
    match doc.get("@context") {
        None => doc.contains_key("recipient") && doc.contains_key("badge"),
        Some(c) => {
            let urls: Vec<&str> = list(Some(c)).filter_map(Value::as_str).collect();
            let vc = urls.iter().any(|u| {
                u.starts_with("https://www.w3.org/2018/credentials")
                    || u.starts_with("https://www.w3.org/ns/credentials")
            });
            !vc && (!matches!(context_kind(c), Ctx::Other(_))
                || urls.iter().any(|u| names_ob_context(u)))
        }
    }
}

/// An Open Badges context URL of any version (used to recognise broken OB 2.0 documents,
/// which are then judged — and refused — as such).
fn names_ob_context(url: &str) -> bool {
    [
        "https://w3id.org/openbadges",
        "http://w3id.org/openbadges",
        "https://openbadgespec.org/",
    ]
    .iter()
    .any(|p| url.starts_with(p))
}

/// Reads an Open Badges 2.0 input from bytes: a URL, a compact JWS or a JSON assertion.
///
/// `Err` when the input is none of these, including an OB 2.0 document that is not an
/// assertion (a BadgeClass, a Profile, an Endorsement, …): that describes a badge or an
/// issuer but is no badge awarded to anyone.
pub fn parse_ob2(input: &[u8], limits: Limits) -> Result<Ob2Input, Error> {
    let input = input
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(input);
    let text = input.trim_ascii();
    if (text.starts_with(b"https://") || text.starts_with(b"http://"))
        && !text.iter().any(u8::is_ascii_whitespace)
    {
        let url = std::str::from_utf8(text).map_err(|e| Error::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        return Ok(Ob2Input::Url(url.to_string()));
    }
    if text.starts_with(b"eyJ") {
        let token = std::str::from_utf8(text).map_err(|e| Error::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        return Ok(Ob2Input::Jws(token.to_string()));
    }
    let Value::Object(doc) = parse_json(text, limits)? else {
        return Err(Error::UnknownFormat("a badge is a JSON object".into()));
    };
    if !is_ob2(&doc) {
        return Err(Error::UnknownFormat(if doc.contains_key("@context") {
            "not an Open Badges 2.0 document (its @context names no Open Badges context)".into()
        } else {
            "not an Open Badges document (no @context, and not the Open Badges 1.0 shape with recipient and badge)".into()
        }));
    }
    match assertion_like(&doc) {
        Ok(()) => Ok(Ob2Input::Assertion(doc)),
        Err(why) => Err(Error::UnknownFormat(why)),
    }
}

/// Is this OB document an assertion (possibly a broken one), as opposed to another class?
fn assertion_like(doc: &Obj) -> Result<(), String> {
    let types = types_of(doc.get("type"));
    if types.iter().any(|t| is_class(t, "Assertion")) {
        return Ok(());
    }
    const OTHER: [&str; 14] = [
        "BadgeClass",
        "Issuer",
        "Profile",
        "Endorsement",
        "CryptographicKey",
        "RevocationList",
        "Criteria",
        "Evidence",
        "Image",
        "AlignmentObject",
        "IdentityObject",
        "VerificationObject",
        "Extension",
        "EndorsementClaim",
    ];
    if let Some(other) = types
        .iter()
        .find_map(|t| OTHER.iter().find(|o| is_class(t, o)))
    {
        return Err(format!(
            "this is an Open Badges {other}, not an Assertion: qlabel verifies badges awarded to someone (assertions)"
        ));
    }
    let shaped = doc.contains_key("recipient") && doc.contains_key("badge");
    let revoked_notice = doc.get("revoked") == Some(&Value::Bool(true)) && doc.contains_key("id");
    if shaped || revoked_notice {
        return Ok(());
    }
    Err(match types.first() {
        Some(t) => format!(
            "this Open Badges document is of type {t}, not an Assertion (it has no recipient and badge)"
        ),
        None => "this Open Badges document is not an Assertion (it has no type, recipient or badge)"
            .into(),
    })
}

/// Verifies an Open Badges 2.0 assertion. Every verdict, including "could not be
/// verified", is a report.
pub async fn verify_ob2(input: Ob2Input, options: &Options, fetch: &impl Fetch) -> Report {
    let web = Session::new(fetch);
    let run = Run { options, web: &web };
    let mut report = run.judge(input).await;
    report.input.fetched = web.records();
    report
}

/// How the assertion proves itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Hosted,
    Signed,
}

/// Why a document could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Miss {
    /// HTTP 410 Gone.
    Gone(String),
    /// Network, HTTP error, unreadable body: the dependent check is unverifiable.
    Unavailable(String),
    /// The document is not what it must be: the dependent check fails.
    Invalid(String),
}

impl Miss {
    fn check(&self, id: &'static str) -> Check {
        match self {
            Miss::Gone(m) | Miss::Unavailable(m) => Check::unverifiable(id, m.clone()),
            Miss::Invalid(m) => Check::fail(id, m.clone()),
        }
    }
}

/// A BadgeClass, Profile or other node, and the URL it was fetched from (`None` when
/// embedded).
#[derive(Debug, Clone)]
struct Node {
    doc: Obj,
    url: Option<String>,
}

/// The assertion as judged, and where it came from.
#[derive(Debug, Clone, Default)]
struct Hosted {
    /// The URL the hosted copy was asked for (equal to its id), and where it was finally
    /// served from.
    copy: Option<(String, String)>,
    /// Why the hosted copy could not be had.
    miss: Option<Miss>,
}

#[derive(Debug)]
struct Run<'a, W> {
    options: &'a Options,
    web: &'a W,
}

impl<W: Fetch> Run<'_, W> {
    async fn judge(&self, input: Ob2Input) -> Report {
        let mut checks: Vec<Check> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut jws = None;
        let mut hosted = Hosted::default();
        let mut given_copy: Option<Obj> = None;

        // 1. The assertion document.
        let mut doc = match input {
            Ob2Input::Assertion(doc) => {
                given_copy = Some(doc.clone());
                doc
            }
            Ob2Input::Jws(token) => match self.read_jws(&token) {
                Ok((j, doc)) => {
                    jws = Some(j);
                    doc
                }
                Err(why) => {
                    return self.unreadable(Format::Ob2Signed, Check::fail(check_id::FORMAT, why))
                }
            },
            Ob2Input::Url(url) => match self.fetch_assertion(&url, &mut warnings).await {
                Fetched::Json(doc, copy) => {
                    hosted.copy = copy;
                    doc
                }
                Fetched::Jws(j, doc) => {
                    jws = Some(j);
                    doc
                }
                Fetched::Gone(why) => {
                    let checks = vec![
                        Check::skip(check_id::FORMAT, format!("not read: {why}")),
                        Check::fail_as(check_id::STATUS, BadgeStatus::Revoked, why),
                    ];
                    return self.finish(Format::Ob2Hosted, checks, &Obj::new(), None, None);
                }
                Fetched::Failed(check) => return self.unreadable(Format::Ob2Hosted, check),
            },
        };

        // 2. OB 0.5 / 1.0 are not verified; OB 1.1 is read as 2.0.
        if let Some(version) = legacy_version(&doc) {
            return self.unreadable(
                if jws.is_some() {
                    Format::Ob2Signed
                } else {
                    Format::Ob2Hosted
                },
                Check::unverifiable(
                    check_id::FORMAT,
                    format!("an Open Badges {version} assertion: qlabel verifies Open Badges 2.0 (and 1.1, read as 2.0); this older form is not verified"),
                ),
            );
        }

        // 3. Hosted or signed.
        let vtype = verification_type(&doc);
        let mode = if jws.is_some() || vtype == Some(Mode::Signed) {
            Mode::Signed
        } else {
            Mode::Hosted
        };
        let format = match mode {
            Mode::Hosted => Format::Ob2Hosted,
            Mode::Signed => Format::Ob2Signed,
        };

        // 4. A hosted assertion given as JSON: the issuer's hosted copy is the one judged.
        if mode == Mode::Hosted && given_copy.is_some() && vtype == Some(Mode::Hosted) {
            match doc
                .get("id")
                .and_then(Value::as_str)
                .filter(|id| is_http(id))
            {
                Some(id) => {
                    let id = id.to_string();
                    match self
                        .fetch_doc(&id, "the hosted assertion", Expect::Json)
                        .await
                    {
                        Ok((copy, final_url)) => {
                            if copy.get("id").and_then(Value::as_str) != Some(id.as_str()) {
                                hosted.miss = Some(Miss::Invalid(format!(
                                    "the assertion hosted at {id} declares another id ({})",
                                    copy.get("id").map(short).unwrap_or_else(|| "none".into())
                                )));
                            } else {
                                if Some(&copy) != given_copy.as_ref() {
                                    warnings.push(format!("the copy given differs from the assertion hosted at {id}; the hosted one (the issuer's current version) was verified"));
                                }
                                doc = copy;
                                hosted.copy = Some((id, final_url));
                            }
                        }
                        Err(miss) => hosted.miss = Some(miss),
                    }
                }
                None => {
                    // Reported by the format check below.
                }
            }
        }

        // 5. A revocation notice ends it.
        if doc.get("revoked") == Some(&Value::Bool(true)) {
            let reason = doc
                .get("revocationReason")
                .and_then(Value::as_str)
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let id = doc
                .get("id")
                .map(short)
                .unwrap_or_else(|| "the assertion".into());
            let checks = vec![
                Check::pass(check_id::FORMAT, "an Open Badges 2.0 revocation notice"),
                Check::fail_as(
                    check_id::STATUS,
                    BadgeStatus::Revoked,
                    format!("{id} is marked revoked by its issuer{reason}"),
                ),
            ];
            return self.finish(format, checks, &doc, None, None);
        }

        // 6. Format of the assertion.
        let mut problems = Vec::new();
        context_problems(&doc, "the assertion", &mut problems, &mut warnings);
        assertion_problems(&doc, mode, jws.is_some(), &mut problems, &mut warnings);
        let issued = date_of(&doc, "issuedOn", &mut problems, &mut warnings);
        let expires = date_of(&doc, "expires", &mut problems, &mut warnings);
        if let (Some(i), Some(e)) = (issued, expires) {
            if e < i {
                problems.push(format!(
                    "the assertion expires ({}) before it was issued ({})",
                    datetime::format(e),
                    datetime::format(i)
                ));
            }
        }

        // 7. BadgeClass and issuer.
        let dep = match mode {
            Mode::Hosted => check_id::HOSTED_ORIGIN,
            Mode::Signed => check_id::KEY_BINDING,
        };
        let mut dep_check: Option<Check> = None;
        let badge = match self
            .node(doc.get("badge"), "the BadgeClass", &mut warnings)
            .await
        {
            Ok(n) => Some(n),
            Err(Miss::Invalid(m)) => {
                problems.push(m);
                None
            }
            Err(miss) => {
                dep_check = Some(miss.check(dep));
                None
            }
        };
        if let Some(b) = &badge {
            badgeclass_problems(b, &mut problems, &mut warnings);
        }
        let issuer = match &badge {
            Some(b) => match self
                .profile(b.doc.get("issuer"), "the issuer profile", &mut warnings)
                .await
            {
                Ok(n) => Some(n),
                Err(Miss::Invalid(m)) => {
                    problems.push(m);
                    None
                }
                Err(miss) => {
                    dep_check = Some(miss.check(dep));
                    None
                }
            },
            None => None,
        };
        if let Some(i) = &issuer {
            issuer_problems(i, &mut problems, &mut warnings);
        }
        checks.push(if problems.is_empty() {
            Check::pass(check_id::FORMAT, "a well-formed Open Badges 2.0 assertion")
        } else {
            Check::fail(check_id::FORMAT, problems.join("; "))
        });
        checks.extend(warnings.drain(..).map(|w| Check::warn(check_id::FORMAT, w)));

        // 8. Proof: hosted origin, or signature and key binding.
        match mode {
            Mode::Hosted => {
                checks.push(Check::skip(
                    check_id::PROOF,
                    "a hosted assertion carries no signature: it is authentic when its issuer's origin serves it (hosted-origin)",
                ));
                checks.push(match (&hosted.miss, &dep_check, &issuer) {
                    // Gone (410): the copy given is still checked against the origin, so
                    // that only the issuer's own server can revoke it this way.
                    (Some(Miss::Gone(_)), None, Some(iss)) => {
                        let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
                        origin_check(id, None, &iss.doc)
                    }
                    (Some(miss), _, _) => miss.check(check_id::HOSTED_ORIGIN),
                    (None, Some(c), _) => c.clone(),
                    (None, None, Some(iss)) => {
                        let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
                        match &hosted.copy {
                            Some((_, final_url)) => origin_check(id, Some(final_url), &iss.doc),
                            None if is_http(id) => Check::unverifiable(
                                check_id::HOSTED_ORIGIN,
                                format!("the assertion was not fetched from {id}"),
                            ),
                            None => Check::fail(
                                check_id::HOSTED_ORIGIN,
                                "a hosted assertion's id must be the HTTP(S) URL it is hosted at",
                            ),
                        }
                    }
                    (None, None, None) => Check::skip(
                        check_id::HOSTED_ORIGIN,
                        "not checked: the assertion names no usable issuer",
                    ),
                });
            }
            Mode::Signed => {
                let (proof, binding) = match (&jws, &dep_check, &issuer) {
                    (None, _, _) => (
                        Check::fail(
                            check_id::PROOF,
                            "a signed assertion is verified from its JWS; this copy carries no signature",
                        ),
                        Check::skip(check_id::KEY_BINDING, "not checked: no signature"),
                    ),
                    (Some(_), Some(c), _) => (
                        Check::skip(check_id::PROOF, "not checked: the issuer is unknown"),
                        c.clone(),
                    ),
                    (Some(j), None, Some(iss)) => {
                        self.signature(j, &doc, &iss.doc, iss.url.is_some()).await
                    }
                    (Some(_), None, None) => (
                        Check::skip(check_id::PROOF, "not checked: the issuer is unknown"),
                        Check::skip(
                            check_id::KEY_BINDING,
                            "not checked: the assertion names no usable issuer",
                        ),
                    ),
                };
                checks.push(proof);
                checks.push(binding);
            }
        }

        // 9. Status, only believed once the assertion itself holds.
        let core_ok = !checks.iter().any(|c| {
            matches!(
                c.id,
                check_id::FORMAT
                    | check_id::PROOF
                    | check_id::KEY_BINDING
                    | check_id::HOSTED_ORIGIN
            ) && (c.status == CheckStatus::Fail || c.unverifiable)
        });
        checks.push(match mode {
            Mode::Hosted => match (&hosted.miss, &hosted.copy) {
                (Some(Miss::Gone(_)), _) => {
                    let id = doc.get("id").map(short).unwrap_or_default();
                    Check::fail_as(
                        check_id::STATUS,
                        BadgeStatus::Revoked,
                        format!("{id} answers HTTP 410 Gone: its issuer withdrew it"),
                    )
                }
                (_, Some((url, _))) => Check::pass(
                    check_id::STATUS,
                    format!("the assertion hosted at {url} is not marked revoked"),
                ),
                _ => Check::unverifiable(
                    check_id::STATUS,
                    "revocation could not be checked: the hosted assertion was not had",
                ),
            },
            Mode::Signed => match (&issuer, core_ok) {
                (Some(iss), true) => self.revocation(&doc, &iss.doc).await,
                _ => Check::skip(
                    check_id::STATUS,
                    "not checked: the assertion itself did not verify",
                ),
            },
        });

        // 10. Validity.
        checks.push(crate::verify::validity_check(
            issued,
            expires,
            self.options.at,
        ));

        // 11. Recipient.
        checks.push(recipient_check(
            doc.get("recipient"),
            self.options.recipient.as_deref(),
        ));

        // 12. Endorsements (they only warn).
        if core_ok {
            checks.push(
                self.endorsements(&doc, badge.as_ref(), issuer.as_ref())
                    .await,
            );
        } else {
            checks.push(Check::skip(
                check_id::ENDORSEMENTS,
                "not checked: the assertion itself did not verify",
            ));
        }

        self.finish(
            format,
            checks,
            &doc,
            badge.as_ref().map(|n| &n.doc),
            issuer.as_ref().map(|n| &n.doc),
        )
    }

    /// A compact JWS and its payload, the assertion.
    fn read_jws(&self, token: &str) -> Result<(jose::Jws, Obj), String> {
        let jws = jose::parse_compact_with(token, self.options.limits)
            .map_err(|e| format!("not a compact JWS: {e}"))?;
        match parse_json(&jws.payload, self.options.limits) {
            Ok(Value::Object(doc)) => Ok((jws, doc)),
            Ok(_) => Err("the JWS payload is not a JSON object".into()),
            Err(e) => Err(format!("the JWS payload is not an assertion: {e}")),
        }
    }

    /// The assertion at a URL given by the user (hosted JSON, or a JWS).
    async fn fetch_assertion(&self, url: &str, warnings: &mut Vec<String>) -> Fetched {
        if !is_http(url) {
            return Fetched::Failed(Check::fail(
                check_id::FORMAT,
                format!("{url} is not an HTTP(S) URL"),
            ));
        }
        let got = match self.web.fetch(url, Expect::Badge).await {
            Ok(f) => f,
            Err(FetchError::Status { status: 410, .. }) => {
                return Fetched::Gone(format!(
                    "{url} answers HTTP 410 Gone: its issuer withdrew the assertion"
                ))
            }
            Err(e) => {
                return Fetched::Failed(Check::unverifiable(
                    check_id::HOSTED_ORIGIN,
                    format!("the assertion at {url} could not be fetched: {e}"),
                ))
            }
        };
        let body = got.body.trim_ascii();
        if body.starts_with(b"eyJ") {
            let token = String::from_utf8_lossy(body);
            return match self.read_jws(&token) {
                Ok((j, doc)) => Fetched::Jws(j, doc),
                Err(why) => Fetched::Failed(Check::fail(check_id::FORMAT, format!("{url}: {why}"))),
            };
        }
        if body.starts_with(b"\x89PNG") || body.starts_with(b"<") {
            return Fetched::Failed(Check::unverifiable(
                check_id::FORMAT,
                format!("{url} serves an image, not an assertion: verify the image itself (a baked badge)"),
            ));
        }
        let doc = match parse_json(body, self.options.limits) {
            Ok(Value::Object(doc)) => doc,
            Ok(_) => {
                return Fetched::Failed(Check::fail(
                    check_id::FORMAT,
                    format!("{url} does not serve a JSON object"),
                ))
            }
            Err(e) => {
                return Fetched::Failed(Check::unverifiable(
                    check_id::HOSTED_ORIGIN,
                    format!("the assertion at {url} could not be read: {e}"),
                ))
            }
        };
        let id = doc.get("id").and_then(Value::as_str).map(str::to_string);
        match id {
            Some(id) if id == url => Fetched::Json(doc, Some((id, got.url))),
            // A signed assertion's payload served as JSON: judged (and refused) as such.
            _ if verification_type(&doc) == Some(Mode::Signed) => Fetched::Json(doc, None),
            Some(id) if is_http(&id) => {
                // The URL is not the assertion's id (a redirect, an alternate address):
                // the document at its id is the assertion, and must say so.
                match self
                    .fetch_doc(&id, "the hosted assertion", Expect::Json)
                    .await
                {
                    Ok((copy, final_url))
                        if copy.get("id").and_then(Value::as_str) == Some(id.as_str()) =>
                    {
                        warnings.push(format!(
                            "{url} serves the assertion {id}; the copy hosted at {id} was verified"
                        ));
                        Fetched::Json(copy, Some((id, final_url)))
                    }
                    Ok(_) => Fetched::Failed(Check::fail(
                        check_id::HOSTED_ORIGIN,
                        format!(
                            "{url} serves an assertion with the id {id}, but {id} serves another"
                        ),
                    )),
                    Err(Miss::Gone(why)) => Fetched::Gone(why),
                    Err(miss) => Fetched::Failed(miss.check(check_id::HOSTED_ORIGIN)),
                }
            }
            Some(id) => Fetched::Failed(Check::fail(
                check_id::HOSTED_ORIGIN,
                format!("{url} serves a hosted assertion whose id ({id}) is not its URL"),
            )),
            None if is_ob2(&doc) && assertion_like(&doc).is_ok() => Fetched::Failed(Check::fail(
                check_id::HOSTED_ORIGIN,
                format!("{url} serves a hosted assertion without an id"),
            )),
            None => Fetched::Failed(Check::fail(
                check_id::FORMAT,
                format!("{url} does not serve an Open Badges assertion"),
            )),
        }
    }

    /// A JSON object by URL.
    async fn fetch_doc(
        &self,
        url: &str,
        what: &str,
        expect: Expect,
    ) -> Result<(Obj, String), Miss> {
        match self.web.fetch(url, expect).await {
            Err(FetchError::Status { status: 410, .. }) => {
                Err(Miss::Gone(format!("{what} at {url} answers HTTP 410 Gone")))
            }
            Err(e) => Err(Miss::Unavailable(format!(
                "{what} at {url} could not be fetched: {e}"
            ))),
            Ok(f) => match parse_json(&f.body, self.options.limits) {
                Ok(Value::Object(m)) => Ok((m, f.url)),
                Ok(_) => Err(Miss::Invalid(format!(
                    "{what} at {url} is not a JSON object"
                ))),
                Err(e) => Err(Miss::Unavailable(format!(
                    "{what} at {url} could not be read: {e}"
                ))),
            },
        }
    }

    /// A node given embedded or by URL. A fetched document must carry the id it was
    /// fetched by; one that declares another HTTP(S) id is replaced by the document there.
    async fn node(
        &self,
        v: Option<&Value>,
        what: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Node, Miss> {
        let url = match v {
            None | Some(Value::Null) => return Err(Miss::Invalid(format!("{what} is missing"))),
            Some(Value::Object(o)) => {
                return Ok(Node {
                    doc: o.clone(),
                    url: None,
                })
            }
            Some(Value::String(s)) if is_http(s) => s.as_str(),
            Some(other) => {
                return Err(Miss::Invalid(format!(
                    "{what} ({}) is neither embedded nor an HTTP(S) URL",
                    short(other)
                )))
            }
        };
        let (doc, _) = self.fetch_doc(url, what, Expect::Json).await?;
        match doc.get("id").and_then(Value::as_str) {
            Some(id) if id == url => Ok(Node {
                doc,
                url: Some(url.to_string()),
            }),
            Some(id) if is_http(id) && !same_host(id, url) => {
                // Another site's document: only that site can say what it holds.
                let id = id.to_string();
                let (doc2, _) = self.fetch_doc(&id, what, Expect::Json).await?;
                if doc2.get("id").and_then(Value::as_str) != Some(id.as_str()) {
                    return Err(Miss::Invalid(format!(
                        "{what} at {url} declares the id {id}, and the document at {id} another"
                    )));
                }
                warnings.push(format!(
                    "{what} at {url} declares the id {id}; the document at {id} was used"
                ));
                Ok(Node {
                    doc: doc2,
                    url: Some(id),
                })
            }
            Some(id) => {
                // The same site (or a non-HTTP id): the document speaks for itself.
                warnings.push(format!("{what} fetched from {url} declares the id {id}"));
                Ok(Node {
                    doc,
                    url: Some(url.to_string()),
                })
            }
            None => Err(Miss::Invalid(format!("{what} at {url} has no id"))),
        }
    }

    /// An issuer profile. It decides how the badge is bound to its issuer (hosting
    /// policy, keys), so an embedded copy is not trusted: the profile is read from the
    /// issuer's id when that is an HTTP(S) URL (an embedded profile without one stays, and
    /// nothing can be bound to it).
    async fn profile(
        &self,
        v: Option<&Value>,
        what: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Node, Miss> {
        let node = self.node(v, what, warnings).await?;
        match node.doc.get("id").and_then(Value::as_str) {
            Some(id) if node.url.is_none() && is_http(id) => {
                let id = Value::String(id.to_string());
                self.node(Some(&id), what, warnings).await
            }
            _ => Ok(node),
        }
    }

    /// Checks a signed assertion's JWS with the issuer's key: (proof, key-binding).
    async fn signature(
        &self,
        jws: &jose::Jws,
        doc: &Obj,
        issuer: &Obj,
        issuer_fetched: bool,
    ) -> (Check, Check) {
        let issuer_id = issuer.get("id").and_then(Value::as_str).unwrap_or_default();
        let verification = verification_of(doc);
        let creator = verification
            .and_then(|v| v.get("creator").or_else(|| v.get("url")))
            .and_then(Value::as_str);
        let candidates: Vec<Value> = match creator {
            Some(c) => vec![Value::String(c.to_string())],
            None => list(issuer.get("publicKey")).cloned().collect(),
        };
        if candidates.is_empty() {
            return (
                Check::skip(check_id::PROOF, "not checked: no key"),
                Check::fail(
                    check_id::KEY_BINDING,
                    format!("the assertion names no key (verification.creator) and its issuer {issuer_id} lists none"),
                ),
            );
        }
        let mut last = None;
        for candidate in candidates.iter().take(4) {
            let outcome = self.one_key(jws, candidate, issuer, issuer_fetched).await;
            let done = outcome.0.status == CheckStatus::Pass;
            last = Some(outcome);
            if done || creator.is_some() {
                break;
            }
        }
        last.unwrap_or_else(|| {
            (
                Check::skip(check_id::PROOF, "not checked: no key"),
                Check::fail(check_id::KEY_BINDING, "no usable key"),
            )
        })
    }

    async fn one_key(
        &self,
        jws: &jose::Jws,
        candidate: &Value,
        issuer: &Obj,
        issuer_fetched: bool,
    ) -> (Check, Check) {
        let issuer_id = issuer.get("id").and_then(Value::as_str).unwrap_or_default();
        let no_proof = || Check::skip(check_id::PROOF, "not checked: no usable key");
        let (key_id, key_doc) = match candidate {
            Value::String(url) if is_http(url) => {
                let base = url.split('#').next().unwrap_or(url);
                match self.fetch_doc(base, "the signing key", Expect::Json).await {
                    Ok((d, _)) => match find_key(&d, url) {
                        Some(k) => (url.clone(), k),
                        None => {
                            return (
                                no_proof(),
                                Check::fail(
                                    check_id::KEY_BINDING,
                                    format!("the document at {base} is not the key {url}"),
                                ),
                            )
                        }
                    },
                    Err(miss) => return (no_proof(), miss.check(check_id::KEY_BINDING)),
                }
            }
            Value::Object(o) => match o.get("id").and_then(Value::as_str) {
                Some(id) => (id.to_string(), o.clone()),
                None => {
                    return (
                        no_proof(),
                        Check::fail(check_id::KEY_BINDING, "an embedded key has no id"),
                    )
                }
            },
            other => {
                return (
                    no_proof(),
                    Check::fail(
                        check_id::KEY_BINDING,
                        format!("the key {} is not an HTTP(S) URL", short(other)),
                    ),
                )
            }
        };
        let owner = key_doc.get("owner").and_then(Value::as_str);
        if owner != Some(issuer_id) {
            return (
                no_proof(),
                Check::fail(
                    check_id::KEY_BINDING,
                    format!(
                        "the key {key_id} belongs to {}, not to the issuer {issuer_id}",
                        owner.unwrap_or("no one (it names no owner)")
                    ),
                ),
            );
        }
        if !issuer_fetched {
            return (
                no_proof(),
                Check::unverifiable(
                    check_id::KEY_BINDING,
                    format!("the issuer {issuer_id} is only embedded in the badge, not published at an HTTP(S) id, so nothing confirms that the key {key_id} is its key"),
                ),
            );
        }
        let listed = list(issuer.get("publicKey")).any(|k| {
            k.as_str().or_else(|| k.get("id").and_then(Value::as_str)) == Some(key_id.as_str())
        });
        if !listed {
            return (
                no_proof(),
                Check::fail(
                    check_id::KEY_BINDING,
                    format!("the issuer {issuer_id} does not list the key {key_id} (publicKey)"),
                ),
            );
        }
        let binding = Check::pass(
            check_id::KEY_BINDING,
            format!("the key {key_id} is the issuer's: it names {issuer_id} as owner and the issuer lists it"),
        );
        let key: PublicKey = match key_doc.get("publicKeyPem").and_then(Value::as_str) {
            Some(pem) => match keys::public_key_from_pem(pem) {
                Ok(k) => k,
                Err(KeyError::Invalid(m)) | Err(KeyError::Unavailable(m)) => {
                    return (
                        Check::fail(check_id::PROOF, format!("the key {key_id}: {m}")),
                        binding,
                    )
                }
            },
            None => match keys::key_of(&Value::Object(key_doc.clone())) {
                Ok(k) => k,
                Err(KeyError::Invalid(m)) | Err(KeyError::Unavailable(m)) => {
                    return (
                        Check::fail(check_id::PROOF, format!("the key {key_id}: {m}")),
                        binding,
                    )
                }
            },
        };
        match jose::verify_signature(jws, &key) {
            Ok(()) => (
                Check::pass(
                    check_id::PROOF,
                    format!(
                        "{} signature verified with the key {key_id}",
                        jws.alg().unwrap_or("JWS")
                    ),
                ),
                binding,
            ),
            Err(e) => (Check::fail(check_id::PROOF, e.to_string()), binding),
        }
    }

    /// The issuer's revocation list (signed assertions).
    async fn revocation(&self, doc: &Obj, issuer: &Obj) -> Check {
        let list_doc = match issuer.get("revocationList") {
            None | Some(Value::Null) => {
                return Check::skip(check_id::STATUS, "the issuer publishes no revocation list")
            }
            Some(Value::Object(o)) => o.clone(),
            Some(Value::String(url)) if is_http(url) => {
                match self
                    .fetch_doc(url, "the issuer's revocation list", Expect::Json)
                    .await
                {
                    Ok((d, _)) => d,
                    Err(Miss::Gone(m)) | Err(Miss::Unavailable(m)) | Err(Miss::Invalid(m)) => {
                        return Check::unverifiable(
                            check_id::STATUS,
                            format!("revocation could not be checked: {m}"),
                        )
                    }
                }
            }
            Some(other) => {
                return Check::unverifiable(
                    check_id::STATUS,
                    format!(
                    "revocation could not be checked: the revocation list {} is not an HTTP(S) URL",
                    short(other)
                ),
                )
            }
        };
        let name = issuer
            .get("revocationList")
            .and_then(Value::as_str)
            .unwrap_or("(embedded)");
        let entries = match list_doc.get("revokedAssertions") {
            Some(Value::Array(a)) => a.as_slice(),
            Some(one @ (Value::String(_) | Value::Object(_))) => std::slice::from_ref(one),
            _ => {
                return Check::unverifiable(
                    check_id::STATUS,
                    format!("revocation could not be checked: the revocation list {name} has no revokedAssertions"),
                )
            }
        };
        let id = doc.get("id").and_then(Value::as_str);
        let uid = doc.get("uid").and_then(Value::as_str);
        for e in entries {
            let (eid, euid, reason) = match e {
                Value::String(s) => (Some(s.as_str()), None, None),
                Value::Object(o) => (
                    o.get("id").and_then(Value::as_str),
                    o.get("uid").and_then(Value::as_str),
                    o.get("revocationReason").and_then(Value::as_str),
                ),
                _ => continue,
            };
            let hit = (eid.is_some() && eid == id) || (euid.is_some() && euid == uid);
            if hit {
                let reason = reason.map(|r| format!(": {r}")).unwrap_or_default();
                return Check::fail_as(
                    check_id::STATUS,
                    BadgeStatus::Revoked,
                    format!(
                        "{} is revoked by its issuer's revocation list {name}{reason}",
                        id.or(uid).unwrap_or("the assertion")
                    ),
                );
            }
        }
        Check::pass(
            check_id::STATUS,
            format!("not revoked: absent from the issuer's revocation list {name}"),
        )
    }

    /// Endorsements of the assertion, its BadgeClass and its issuer, checked as hosted
    /// endorsements. A failing endorsement warns; it never fails the badge.
    async fn endorsements(&self, doc: &Obj, badge: Option<&Node>, issuer: Option<&Node>) -> Check {
        let mut found: Vec<Value> = Vec::new();
        for holder in [Some(doc), badge.map(|n| &n.doc), issuer.map(|n| &n.doc)]
            .into_iter()
            .flatten()
        {
            for e in list(holder.get("endorsement")) {
                if !found.contains(e) {
                    found.push(e.clone());
                }
            }
        }
        if found.is_empty() {
            return Check::skip(check_id::ENDORSEMENTS, "no endorsements");
        }
        let mut verified = Vec::new();
        let mut failed = Vec::new();
        for e in found.iter().take(MAX_ENDORSEMENTS) {
            let label = e
                .as_str()
                .or_else(|| e.get("id").and_then(Value::as_str))
                .unwrap_or("an embedded endorsement")
                .to_string();
            match self.endorsement(e).await {
                Ok(summary) => verified.push(summary),
                Err(why) => failed.push(format!("{label}: {why}")),
            }
        }
        let mut message = format!(
            "{} endorsement{} found, {} verified as hosted endorsements",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            verified.len()
        );
        if !verified.is_empty() {
            message.push_str(&format!(" ({})", verified.join("; ")));
        }
        if !failed.is_empty() {
            message.push_str(&format!("; not verified: {}", failed.join("; ")));
        }
        if found.len() > MAX_ENDORSEMENTS {
            message.push_str(&format!("; only the first {MAX_ENDORSEMENTS} were checked"));
        }
        if failed.is_empty() && found.len() <= MAX_ENDORSEMENTS {
            Check::pass(check_id::ENDORSEMENTS, message)
        } else {
            Check::warn(check_id::ENDORSEMENTS, message)
        }
    }

    /// One endorsement: `Ok(summary)` when verified.
    async fn endorsement(&self, e: &Value) -> Result<String, String> {
        let mut warnings = Vec::new();
        let node = self
            .node(Some(e), "the endorsement", &mut warnings)
            .await
            .map_err(|m| miss_text(&m))?;
        let mut doc = node.doc;
        if !types_of(doc.get("type"))
            .iter()
            .any(|t| is_class(t, "Endorsement"))
        {
            return Err("not of type Endorsement".into());
        }
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or("it has no id")?;
        if verification_type(&doc) != Some(Mode::Hosted) {
            return Err("only hosted endorsements are verified".into());
        }
        let mut final_url = None;
        if node.url.is_none() {
            if !is_http(&id) {
                return Err(format!("its id {id} is not an HTTP(S) URL"));
            }
            let (copy, f) = self
                .fetch_doc(&id, "the endorsement", Expect::Json)
                .await
                .map_err(|m| miss_text(&m))?;
            if copy.get("id").and_then(Value::as_str) != Some(id.as_str()) {
                return Err(format!("the document at {id} declares another id"));
            }
            doc = copy;
            final_url = Some(f);
        }
        if doc.get("revoked") == Some(&Value::Bool(true)) {
            return Err("revoked by its issuer".into());
        }
        let claim = doc
            .get("claim")
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
            .ok_or("it has no claim with an id")?
            .to_string();
        let mut problems = Vec::new();
        let issued = date_of(&doc, "issuedOn", &mut problems, &mut warnings);
        let expires = date_of(&doc, "expires", &mut problems, &mut warnings);
        if issued.is_none() && problems.is_empty() {
            problems.push("issuedOn is missing".into());
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let validity = crate::verify::validity_check(issued, expires, self.options.at);
        if validity.status == CheckStatus::Fail {
            return Err(validity.message);
        }
        let issuer = self
            .profile(doc.get("issuer"), "the endorser's profile", &mut warnings)
            .await
            .map_err(|m| miss_text(&m))?;
        let origin = origin_check(&id, final_url.as_deref(), &issuer.doc);
        if origin.status != CheckStatus::Pass {
            return Err(origin.message);
        }
        let issuer_id = issuer
            .doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = text_of(issuer.doc.get("name"))
            .map(|n| format!("{n} ({issuer_id})"))
            .unwrap_or_else(|| issuer_id.to_string());
        Ok(format!("{id} by {name} endorsing {claim}"))
    }

    /// A report for an input that could not be judged beyond one check.
    fn unreadable(&self, format: Format, check: Check) -> Report {
        self.finish(format, vec![check], &Obj::new(), None, None)
    }

    fn finish(
        &self,
        format: Format,
        checks: Vec<Check>,
        doc: &Obj,
        badge: Option<&Obj>,
        issuer: Option<&Obj>,
    ) -> Report {
        let status = badge_status(&checks);
        let date = |key: &str| {
            doc.get(key)
                .and_then(|v| parse_date(v, true).ok())
                .map(datetime::format)
        };
        Report {
            schema: SCHEMA,
            input: InputInfo {
                format,
                baked: None,
                source: self.options.source.clone(),
                fetched: Vec::new(),
            },
            badge: BadgeReport {
                status,
                id: doc.get("id").and_then(Value::as_str).map(str::to_string),
                name: badge.and_then(|b| text_of(b.get("name"))),
                description: badge.and_then(|b| text_of(b.get("description"))),
                image: badge
                    .and_then(|b| image_of(b.get("image")))
                    .or_else(|| image_of(doc.get("image"))),
                issuer: issuer.and_then(|i| {
                    i.get("id").and_then(Value::as_str).map(|id| IssuerInfo {
                        id: id.to_string(),
                        name: text_of(i.get("name")),
                        url: i.get("url").and_then(Value::as_str).map(str::to_string),
                    })
                }),
                achievement: badge
                    .and_then(|b| b.get("id"))
                    .and_then(Value::as_str)
                    .or_else(|| doc.get("badge").and_then(Value::as_str))
                    .map(str::to_string),
                recipient: doc.get("recipient").cloned(),
                embedded_labels: Vec::new(),
                issued: date("issuedOn"),
                expires: date("expires"),
                checks,
            },
            label: crate::verify::label_part(status),
        }
    }
}

/// What fetching the user's URL gave.
#[derive(Debug)]
enum Fetched {
    Json(Obj, Option<(String, String)>),
    Jws(jose::Jws, Obj),
    Gone(String),
    Failed(Check),
}

fn miss_text(m: &Miss) -> String {
    match m {
        Miss::Gone(s) | Miss::Unavailable(s) | Miss::Invalid(s) => s.clone(),
    }
}

/// The key object with id `url` in a fetched document: the document itself, or one of
/// the keys it lists under `publicKey`.
fn find_key(doc: &Obj, url: &str) -> Option<Obj> {
    if doc.get("id").and_then(Value::as_str) == Some(url) {
        return Some(doc.clone());
    }
    list(doc.get("publicKey"))
        .filter_map(Value::as_object)
        .find(|k| k.get("id").and_then(Value::as_str) == Some(url))
        .cloned()
}

// ---------------------------------------------------------------------------------------
// Hosted verification policy

/// Is `assertion_id` (and, after redirects, `final_url`) within the issuer's hosted
/// verification policy? `allowedOrigins` holds host names (the default: the host of the
/// issuer's id); `startsWith` holds prefixes the id must begin with.
fn origin_check(assertion_id: &str, final_url: Option<&str>, issuer: &Obj) -> Check {
    let id = check_id::HOSTED_ORIGIN;
    let Some(issuer_id) = issuer.get("id").and_then(Value::as_str) else {
        return Check::unverifiable(id, "the issuer has no id, so no origin can be checked");
    };
    if !is_http(issuer_id) {
        return Check::unverifiable(
            id,
            format!("the issuer id {issuer_id} is not an HTTP(S) URL, so nothing ties a hosted assertion to this issuer"),
        );
    }
    if !is_http(assertion_id) {
        return Check::fail(
            id,
            format!("a hosted assertion's id must be the HTTP(S) URL it is hosted at, not {assertion_id}"),
        );
    }
    let policy = issuer.get("verification").and_then(Value::as_object);
    if let Some(p) = policy.and_then(|p| p.get("verificationProperty")) {
        if p.as_str() != Some("id") {
            return Check::unverifiable(
                id,
                format!(
                    "the issuer's verification policy checks the property {}, which qlabel does not support (only id)",
                    short(p)
                ),
            );
        }
    }
    let starts: Vec<&str> = list(policy.and_then(|p| p.get("startsWith")))
        .filter_map(Value::as_str)
        .collect();
    if !starts.is_empty() && !starts.iter().any(|s| assertion_id.starts_with(s)) {
        return Check::fail(
            id,
            format!(
                "{assertion_id} does not start with any prefix the issuer {issuer_id} allows ({})",
                starts.join(", ")
            ),
        );
    }
    let mut allowed: Vec<String> = list(policy.and_then(|p| p.get("allowedOrigins")))
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let default = allowed.is_empty();
    if default {
        allowed.extend(authority(issuer_id).map(str::to_string));
    }
    let within = |url: &str| {
        let (Some(auth), Some(h)) = (authority(url), host(url)) else {
            return false;
        };
        allowed
            .iter()
            .any(|a| a.eq_ignore_ascii_case(auth) || a.eq_ignore_ascii_case(h))
    };
    let origins = allowed.join(", ");
    if !within(assertion_id) {
        return Check::fail(
            id,
            format!(
                "{assertion_id} is not hosted within the origins the issuer {issuer_id} allows ({origins})"
            ),
        );
    }
    if let Some(f) = final_url.filter(|f| *f != assertion_id) {
        if !is_http(f) || !within(f) {
            return Check::fail(
                id,
                format!("{assertion_id} redirects to {f}, outside the origins the issuer {issuer_id} allows ({origins})"),
            );
        }
    }
    let how = if default {
        "the issuer's own origin"
    } else {
        "the origins the issuer allows"
    };
    let served = match final_url.filter(|f| *f != assertion_id) {
        Some(f) => format!(" (served from {f})"),
        None => String::new(),
    };
    Check::pass(
        id,
        format!("hosted at {assertion_id}{served}, within {how} ({origins}) for {issuer_id}"),
    )
}

fn is_http(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn same_host(a: &str, b: &str) -> bool {
    matches!((host(a), host(b)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y))
}

/// `host[:port]` of an HTTP(S) URL, without user information.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    let auth = auth.rsplit_once('@').map_or(auth, |(_, a)| a);
    (!auth.is_empty()).then_some(auth)
}

/// The host of an HTTP(S) URL (the authority without its port).
fn host(url: &str) -> Option<&str> {
    let auth = authority(url)?;
    if auth.starts_with('[') {
        return auth.split_once(']').map(|(h, _)| &auth[..h.len() + 1]);
    }
    Some(match auth.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => auth,
    })
}

// ---------------------------------------------------------------------------------------
// Shapes and format

/// `0.5` or `1.0` when the document has the shape of those versions (no `@context`).
fn legacy_version(doc: &Obj) -> Option<&'static str> {
    if doc.contains_key("@context") {
        return None;
    }
    let old = doc
        .get("badge")
        .and_then(|b| b.get("version"))
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("0.5"));
    Some(if old { "0.5" } else { "1.0" })
}

/// The OB class a `type` value names (plain, `obi:` compact or full IRI).
fn is_class(t: &str, class: &str) -> bool {
    t == class
        || t.strip_prefix("obi:") == Some(class)
        || t.strip_prefix("https://w3id.org/openbadges#") == Some(class)
}

fn types_of(v: Option<&Value>) -> Vec<&str> {
    list(v).filter_map(Value::as_str).collect()
}

fn list(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    let slice: &[Value] = match v {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(other) => std::slice::from_ref(other),
    };
    slice.iter()
}

fn verification_of(doc: &Obj) -> Option<&Obj> {
    doc.get("verification")
        .or_else(|| doc.get("verify"))
        .and_then(Value::as_object)
}

/// The declared verification type, if it is one of the two.
fn verification_type(doc: &Obj) -> Option<Mode> {
    let t = verification_of(doc)?.get("type")?.as_str()?;
    match t {
        "hosted"
        | "HostedBadge"
        | "obi:HostedBadge"
        | "https://w3id.org/openbadges#HostedBadge" => Some(Mode::Hosted),
        "signed"
        | "SignedBadge"
        | "obi:SignedBadge"
        | "https://w3id.org/openbadges#SignedBadge" => Some(Mode::Signed),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ctx {
    V2,
    V1,
    Other(String),
}

/// What an `@context` value is: the OB 2.0 context (by URL, or an inline copy, first in
/// a list that may add extension contexts), the OB 1.1 context, or something else.
fn context_kind(c: &Value) -> Ctx {
    match c {
        Value::String(s) if V2_URLS.contains(&s.as_str()) => Ctx::V2,
        Value::String(s) if V1_URLS.contains(&s.as_str()) => Ctx::V1,
        Value::String(s) => Ctx::Other(s.clone()),
        Value::Object(o) if is_inline_v2(o) => Ctx::V2,
        Value::Object(_) => {
            Ctx::Other("an inline context that is not the Open Badges 2.0 context".into())
        }
        Value::Array(a) => match a.first().map(context_kind) {
            Some(Ctx::V2) => Ctx::V2,
            Some(Ctx::V1) => Ctx::V1,
            Some(Ctx::Other(first)) => {
                if a.iter()
                    .skip(1)
                    .any(|c| matches!(context_kind(c), Ctx::V1 | Ctx::V2))
                {
                    Ctx::Other(
                        "a list of contexts that does not begin with the Open Badges context"
                            .into(),
                    )
                } else {
                    Ctx::Other(first)
                }
            }
            None => Ctx::Other("an empty list".into()),
        },
        other => Ctx::Other(short(other)),
    }
}

/// Is this inline context the OB 2.0 context itself? (Some issuers and the 1EdTech test
/// fixtures embed it.) Compared term by term with the bundled copy; the two published
/// versions differ only in `targetFramework`.
fn is_inline_v2(o: &Obj) -> bool {
    static V2: OnceLock<Option<Obj>> = OnceLock::new();
    let bundled = V2.get_or_init(|| {
        match serde_json::from_str::<Value>(include_str!("../contexts/openbadges-v2.jsonld")) {
            Ok(Value::Object(mut m)) => match m.remove("@context") {
                Some(Value::Object(c)) => Some(c),
                _ => None,
            },
            _ => None,
        }
    });
    let Some(v2) = bundled else { return false };
    v2.keys()
        .chain(o.keys())
        .all(|k| k == "targetFramework" || v2.get(k) == o.get(k))
}

fn context_problems(doc: &Obj, what: &str, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    match doc.get("@context") {
        None => problems.push(format!("{what} has no @context")),
        Some(c) => match context_kind(c) {
            Ctx::V2 => {}
            Ctx::V1 => warnings.push(format!(
                "{what} uses the Open Badges 1.1 context; read as Open Badges 2.0"
            )),
            Ctx::Other(s) => problems.push(format!(
                "{what} has the @context {s}, not the Open Badges 2.0 context ({CONTEXT_V2})"
            )),
        },
    }
}

/// The required properties and values of an Assertion (OB 2.0, as the 1EdTech validator
/// checks them).
fn assertion_problems(
    doc: &Obj,
    mode: Mode,
    signed: bool,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let types = types_of(doc.get("type"));
    if types.is_empty() {
        problems.push("the assertion has no type".into());
    } else if !types.iter().any(|t| is_class(t, "Assertion")) {
        problems.push(format!(
            "the assertion's type is {}, not Assertion",
            types.join(", ")
        ));
    }
    match doc.get("id").and_then(Value::as_str) {
        None => problems.push("the assertion has no id".into()),
        Some(id) if mode == Mode::Hosted && !is_http(id) => problems.push(format!(
            "a hosted assertion's id must be the HTTP(S) URL it is hosted at, not {id}"
        )),
        Some(id) if !crate::vc::is_url(id) => {
            problems.push(format!("the assertion's id {id} is not an IRI"))
        }
        Some(_) => {}
    }
    match doc.get("recipient") {
        Some(Value::Object(r)) => recipient_problems(r, problems),
        Some(other) => problems.push(format!(
            "the recipient must be an identity object, not {}",
            short(other)
        )),
        None => problems.push("the assertion has no recipient".into()),
    }
    match doc.get("badge") {
        None | Some(Value::Null) => {
            problems.push("the assertion names no badge (BadgeClass)".into())
        }
        Some(Value::String(_) | Value::Object(_)) => {}
        Some(other) => problems.push(format!("the badge {} is not a BadgeClass", short(other))),
    }
    match verification_of(doc) {
        None => problems.push("the assertion has no verification object".into()),
        Some(v) => match (verification_type(doc), v.get("type")) {
            (Some(Mode::Hosted), _) if signed => problems.push(
                "the JWS payload declares hosted verification; a signed assertion declares SignedBadge"
                    .into(),
            ),
            (Some(_), _) => {}
            (None, Some(t)) => problems.push(format!(
                "the verification type {} is neither HostedBadge nor SignedBadge",
                short(t)
            )),
            (None, None) => problems.push("the verification object has no type".into()),
        },
    }
    if !doc.contains_key("verification") && doc.contains_key("verify") {
        warnings
            .push("the assertion uses the Open Badges 1.x property verify for verification".into());
    }
    if !doc.contains_key("issuedOn") {
        problems.push("the assertion has no issuedOn date".into());
    }
    if let Some(img) = image_of(doc.get("image")) {
        if img
            .trim_start()
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        {
            problems.push(
                "the assertion's image is a data: URI; an Assertion's image must be a URL (only a BadgeClass may embed its image)"
                    .into(),
            );
        }
    } else if doc.get("image").is_some_and(|v| !v.is_null()) {
        problems.push("the assertion's image is neither a URL nor an Image object".into());
    }
    if let Some(r) = doc.get("revoked") {
        if !r.is_boolean() {
            problems.push("revoked must be true or false".into());
        }
    }
}

fn recipient_problems(r: &Obj, problems: &mut Vec<String>) {
    match r.get("type").and_then(Value::as_str) {
        Some("email" | "url" | "telephone" | "id") => {}
        Some(t) => problems.push(format!(
            "the recipient type {t} is none of email, url, telephone, id"
        )),
        None => problems.push("the recipient has no type".into()),
    }
    let Some(identity) = r.get("identity").and_then(Value::as_str) else {
        problems.push("the recipient has no identity".into());
        return;
    };
    let looks_hashed = hash_parts(identity).is_some();
    match r.get("hashed") {
        Some(Value::Bool(true)) if !looks_hashed => problems.push(format!(
            "the recipient is marked hashed, but {identity} is no sha256$ or md5$ hash"
        )),
        Some(Value::Bool(false)) if looks_hashed => {
            problems.push("the recipient identity looks hashed, but hashed is false".into())
        }
        Some(Value::Bool(false))
            if r.get("type").and_then(Value::as_str) == Some("email")
                && !identity.contains('@') =>
        {
            problems.push(format!(
                "the recipient email {identity} is not an email address"
            ))
        }
        Some(Value::Bool(_)) => {}
        Some(_) => problems.push("the recipient's hashed must be true or false".into()),
        None => problems.push("the recipient does not say whether it is hashed".into()),
    }
    if r.get("salt")
        .is_some_and(|s| !s.is_string() && !s.is_null())
    {
        problems.push("the recipient's salt must be text".into());
    }
}

fn badgeclass_problems(b: &Node, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    let what = match &b.url {
        Some(u) => format!("the BadgeClass {u}"),
        None => "the embedded BadgeClass".to_string(),
    };
    if b.url.is_some() {
        context_problems(&b.doc, &what, problems, warnings);
    }
    let types = types_of(b.doc.get("type"));
    if !types.iter().any(|t| is_class(t, "BadgeClass")) {
        problems.push(format!("{what} is not of type BadgeClass"));
    }
    if b.doc.get("id").and_then(Value::as_str).is_none() {
        problems.push(format!("{what} has no id"));
    }
    for key in ["name", "description"] {
        if text_of(b.doc.get(key)).is_none() {
            problems.push(format!("{what} has no {key}"));
        }
    }
    if image_of(b.doc.get("image")).is_none() {
        problems.push(format!("{what} has no image"));
    }
    match b.doc.get("criteria") {
        Some(Value::String(_)) => {}
        Some(Value::Object(c)) if c.contains_key("id") || c.contains_key("narrative") => {}
        _ => problems.push(format!("{what} has no criteria (a URL or a narrative)")),
    }
    if b.doc.get("issuer").is_none() {
        problems.push(format!("{what} names no issuer"));
    }
}

fn issuer_problems(i: &Node, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    let what = match &i.url {
        Some(u) => format!("the issuer profile {u}"),
        None => "the embedded issuer profile".to_string(),
    };
    if i.url.is_some() {
        context_problems(&i.doc, &what, problems, warnings);
    }
    let types = types_of(i.doc.get("type"));
    if !types
        .iter()
        .any(|t| is_class(t, "Issuer") || is_class(t, "Profile"))
    {
        problems.push(format!("{what} is not of type Issuer or Profile"));
    }
    match i.doc.get("id").and_then(Value::as_str) {
        None => problems.push(format!("{what} has no id")),
        Some(id) if !is_http(id) => warnings.push(format!(
            "the issuer id {id} is not an HTTP(S) URL; many platforms can only handle HTTP(S) issuers"
        )),
        Some(_) => {}
    }
    if text_of(i.doc.get("name")).is_none() {
        problems.push(format!("{what} has no name"));
    }
    match i.doc.get("url").and_then(Value::as_str) {
        Some(u) if is_http(u) => {}
        Some(u) => problems.push(format!(
            "{what} has the url {u}, which is not an HTTP(S) URL"
        )),
        None => problems.push(format!("{what} has no url")),
    }
    match i.doc.get("email").and_then(Value::as_str) {
        Some(e) if e.contains('@') => {}
        Some(e) => problems.push(format!(
            "{what} has the email {e}, which is not an email address"
        )),
        None => problems.push(format!("{what} has no email")),
    }
}

// ---------------------------------------------------------------------------------------
// Dates

/// Parses an OB 2.0 `DateTime`: ISO 8601 with a time zone; minutes without seconds are
/// accepted (`2017-10-01T00:00Z`). With `lenient` (OB 1.1 and the report), dates alone
/// and 10-digit Unix timestamps are read too.
fn parse_date(v: &Value, lenient: bool) -> Result<OffsetDateTime, String> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            if let Some(t) = datetime::parse(s) {
                return if t.had_offset || lenient {
                    Ok(t.at)
                } else {
                    Err(format!("{s} has no time zone"))
                };
            }
            if let Some(fixed) = normalise_datetime(s) {
                if let Some(t) = datetime::parse(&fixed) {
                    return Ok(t.at);
                }
            }
            if lenient && s.len() == 10 {
                if let Some(t) = datetime::parse(&format!("{s}T00:00:00Z")) {
                    return Ok(t.at);
                }
            }
            Err(format!("{s} is not a date and time"))
        }
        Value::Number(n) if lenient => n
            .as_i64()
            .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
            .ok_or_else(|| format!("{n} is not a Unix timestamp")),
        other => Err(format!("{} is not a date and time", short(other))),
    }
}

/// `YYYY-MM-DDTHH:MM` plus a zone (`Z`, `+hh:mm`, `+hhmm`, `+hh`) → RFC 3339 with seconds;
/// also `+hhmm` / `+hh` zones after seconds.
fn normalise_datetime(s: &str) -> Option<String> {
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_string()
    };
    let zone = match zone {
        "Z" | "z" => "Z".to_string(),
        z if z.len() == 5 && z[1..].chars().all(|c| c.is_ascii_digit()) => {
            format!("{}:{}", &z[..3], &z[3..])
        }
        z if z.len() == 3 && z[1..].chars().all(|c| c.is_ascii_digit()) => format!("{z}:00"),
        z => z.to_string(),
    };
    Some(format!("{date}T{time}{zone}"))
}

/// A date property: `None` when absent; a problem when malformed.
fn date_of(
    doc: &Obj,
    key: &str,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Option<OffsetDateTime> {
    let v = doc.get(key).filter(|v| !v.is_null())?;
    let lenient = matches!(doc.get("@context").map(context_kind), Some(Ctx::V1));
    match parse_date(v, lenient) {
        Ok(t) => {
            if let Value::String(s) = v {
                if datetime::parse(s.trim()).is_some_and(|t| !t.had_offset) {
                    warnings.push(format!("{key} {s} has no time zone; read as UTC"));
                }
            }
            Some(t)
        }
        Err(e) => {
            problems.push(format!("{key}: {e}"));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------
// Recipient

/// `(algorithm, hex)` of a `alg$hex` identity hash.
fn hash_parts(identity: &str) -> Option<(&str, &str)> {
    let (alg, hex) = identity.split_once('$')?;
    let len = match alg.to_ascii_lowercase().as_str() {
        "sha256" => 64,
        "md5" => 32,
        _ => return None,
    };
    (hex.len() == len && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some((alg, hex))
}

fn hex_digest(alg: &str, data: &[u8]) -> Option<String> {
    let bytes: Vec<u8> = match alg.to_ascii_lowercase().as_str() {
        "sha256" => sha2::Sha256::digest(data).to_vec(),
        "md5" => md5::Md5::digest(data).to_vec(),
        _ => return None,
    };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares the badge's recipient with the earner the caller names.
fn recipient_check(recipient: Option<&Value>, asked: Option<&str>) -> Check {
    let id = check_id::RECIPIENT;
    let Some(asked) = asked else {
        return Check::skip(
            id,
            "not asked: no earner was given to compare with the recipient",
        );
    };
    let Some(r) = recipient.and_then(Value::as_object) else {
        return Check::fail(id, "the badge names no usable recipient");
    };
    let Some(identity) = r.get("identity").and_then(Value::as_str) else {
        return Check::fail(id, "the badge's recipient has no identity");
    };
    let kind = r.get("type").and_then(Value::as_str).unwrap_or("id");
    let asked = asked.trim();
    let asked = if kind == "email" {
        asked.strip_prefix("mailto:").unwrap_or(asked)
    } else {
        asked
    };
    let hashed = r.get("hashed") == Some(&Value::Bool(true));
    if hashed {
        let Some((alg, hex)) = identity.split_once('$') else {
            return Check::fail(id, format!("the recipient hash {identity} is malformed"));
        };
        let salt = r.get("salt").and_then(Value::as_str).unwrap_or_default();
        let mut candidates = vec![asked.to_string()];
        if kind == "email" && asked.to_ascii_lowercase() != asked {
            candidates.push(asked.to_ascii_lowercase());
        }
        for c in &candidates {
            let Some(digest) = hex_digest(alg, format!("{c}{salt}").as_bytes()) else {
                return Check::unverifiable(
                    id,
                    format!("the recipient is hashed with {alg}, which qlabel does not compute (sha256 and md5 are)"),
                );
            };
            if digest.eq_ignore_ascii_case(hex) {
                return Check::pass(
                    id,
                    format!(
                        "awarded to {asked} (it matches the {alg} hash of the recipient's {kind})"
                    ),
                );
            }
        }
        return Check::fail(
            id,
            format!("not awarded to {asked}: the recipient's {alg} hash does not match it"),
        );
    }
    let same = if kind == "email" {
        identity.trim().eq_ignore_ascii_case(asked)
    } else {
        identity.trim() == asked
    };
    if same {
        Check::pass(id, format!("awarded to {asked}"))
    } else {
        Check::fail(
            id,
            format!("not awarded to {asked}: the recipient is {identity}"),
        )
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers

use crate::verify::{image_of, text_of};

/// A value for a message, cut short.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{block_on, MapFetch};
    use serde_json::json;

    fn obj(v: Value) -> Obj {
        match v {
            Value::Object(o) => o,
            _ => panic!("not an object"),
        }
    }

    fn hex(alg: &str, text: &str) -> String {
        hex_digest(alg, text.as_bytes()).unwrap()
    }

    fn recipient(identity: &str, hashed: bool, salt: Option<&str>, kind: &str) -> Value {
        let mut r = json!({"type": kind, "identity": identity, "hashed": hashed});
        if let Some(s) = salt {
            r["salt"] = s.into();
        }
        r
    }

    #[test]
    fn recipient_hashes_with_salt_and_case() {
        let sha = format!("sha256${}", hex("sha256", "alice@example.orgpepper"));
        let r = recipient(&sha, true, Some("pepper"), "email");
        let st = |asked| recipient_check(Some(&r), Some(asked)).status;
        assert_eq!(st("alice@example.org"), CheckStatus::Pass);
        assert_eq!(st("Alice@Example.ORG"), CheckStatus::Pass);
        assert_eq!(st("  mailto:alice@example.org "), CheckStatus::Pass);
        assert_eq!(st("bob@example.org"), CheckStatus::Fail);
        // The salt is part of the hash.
        let unsalted = recipient(&sha, true, None, "email");
        assert_eq!(
            recipient_check(Some(&unsalted), Some("alice@example.org")).status,
            CheckStatus::Fail
        );
        // md5, and upper-case hex.
        let md5 = format!("md5${}", hex("md5", "alice@example.org").to_uppercase());
        let r = recipient(&md5, true, None, "email");
        assert_eq!(
            recipient_check(Some(&r), Some("alice@example.org")).status,
            CheckStatus::Pass
        );
        // A URL recipient is compared as given (no lower-casing).
        let url = format!("sha256${}", hex("sha256", "https://example.org/Alice"));
        let r = recipient(&url, true, None, "url");
        assert_eq!(
            recipient_check(Some(&r), Some("https://example.org/Alice")).status,
            CheckStatus::Pass
        );
        assert_eq!(
            recipient_check(Some(&r), Some("https://example.org/alice")).status,
            CheckStatus::Fail
        );
        // An algorithm qlabel does not compute: unverifiable, not a verdict.
        let r = recipient("sha512$abcd", true, None, "email");
        assert!(recipient_check(Some(&r), Some("alice@example.org")).unverifiable);
    }

    #[test]
    fn recipient_in_plain_text() {
        let r = recipient("Alice@Example.org", false, None, "email");
        assert_eq!(
            recipient_check(Some(&r), Some("alice@example.org")).status,
            CheckStatus::Pass
        );
        assert_eq!(
            recipient_check(Some(&r), Some("bob@example.org")).status,
            CheckStatus::Fail
        );
        let r = recipient("https://example.org/alice", false, None, "url");
        assert_eq!(
            recipient_check(Some(&r), Some("https://example.org/Alice")).status,
            CheckStatus::Fail
        );
        // Not asked: skipped, and the badge is not judged on it.
        let c = recipient_check(Some(&r), None);
        assert_eq!(c.status, CheckStatus::Skip);
        assert!(!c.unverifiable);
    }

    #[test]
    fn recipient_shape_rules() {
        let mut p = Vec::new();
        recipient_problems(&obj(recipient("sha256$00", true, None, "email")), &mut p);
        assert_eq!(p.len(), 1, "{p:?}");
        let mut p = Vec::new();
        let h = format!("md5${}", hex("md5", "x"));
        recipient_problems(&obj(recipient(&h, false, None, "email")), &mut p);
        assert_eq!(p.len(), 1, "{p:?}");
        let mut p = Vec::new();
        recipient_problems(&obj(recipient("alice", false, None, "email")), &mut p);
        assert_eq!(p.len(), 1, "{p:?}");
        let mut p = Vec::new();
        recipient_problems(&obj(json!({"type": "email", "identity": "a@b.c"})), &mut p);
        assert_eq!(p.len(), 1, "hashed is required: {p:?}");
        let mut p = Vec::new();
        recipient_problems(&obj(recipient("a@b.c", false, None, "fax")), &mut p);
        assert_eq!(p.len(), 1, "{p:?}");
    }

    fn issuer(id: &str, verification: Option<Value>) -> Obj {
        let mut i = json!({"id": id, "type": "Issuer", "name": "I", "url": "https://example.org", "email": "a@example.org"});
        if let Some(v) = verification {
            i["verification"] = v;
        }
        obj(i)
    }

    #[test]
    fn allowed_origins_and_starts_with() {
        let a = "https://badges.example.org/a/1.json";
        let st = |iss: &Obj, final_url: Option<&str>| {
            let c = origin_check(a, final_url, iss);
            if c.unverifiable {
                "unverifiable"
            } else {
                match c.status {
                    CheckStatus::Pass => "pass",
                    CheckStatus::Fail => "fail",
                    _ => "other",
                }
            }
        };
        // Default: the host of the issuer id (scheme and path do not matter).
        assert_eq!(
            st(&issuer("http://badges.example.org/issuer", None), None),
            "pass"
        );
        assert_eq!(
            st(&issuer("https://example.org/issuer", None), None),
            "fail"
        );
        // allowedOrigins: a list or one host name.
        let v = json!({"allowedOrigins": ["example.com", "badges.example.org"]});
        assert_eq!(st(&issuer("https://example.org/i", Some(v)), None), "pass");
        let v = json!({"allowedOrigins": "badges.example.org"});
        assert_eq!(st(&issuer("https://example.org/i", Some(v)), None), "pass");
        let v = json!({"allowedOrigins": ["example.org"]});
        assert_eq!(
            st(&issuer("https://badges.example.org/i", Some(v)), None),
            "fail"
        );
        // startsWith: a list or one prefix, on top of the (default) origins.
        let v = json!({"startsWith": "https://badges.example.org/a/"});
        assert_eq!(
            st(&issuer("https://badges.example.org/i", Some(v)), None),
            "pass"
        );
        let v = json!({"startsWith": ["https://badges.example.org/b/", "https://x.example/"]});
        assert_eq!(
            st(&issuer("https://badges.example.org/i", Some(v)), None),
            "fail"
        );
        let v = json!({"startsWith": "https://badges.example.org/"});
        assert_eq!(st(&issuer("https://example.org/i", Some(v)), None), "fail");
        // Redirects: the final URL must stay within the allowed origins.
        let iss = issuer("https://badges.example.org/i", None);
        assert_eq!(
            st(&iss, Some("https://badges.example.org/moved.json")),
            "pass"
        );
        assert_eq!(st(&iss, Some("https://evil.example/a/1.json")), "fail");
        // No HTTP issuer id, or an unknown verification property: cannot be checked.
        assert_eq!(st(&issuer("urn:uuid:1", None), None), "unverifiable");
        let v = json!({"verificationProperty": "uid"});
        assert_eq!(
            st(&issuer("https://badges.example.org/i", Some(v)), None),
            "unverifiable"
        );
        // Ports: an allowed origin may name the host alone or host:port.
        let iss = issuer("https://badges.example.org:8443/i", None);
        assert_eq!(
            origin_check("https://badges.example.org:8443/a", None, &iss).status,
            CheckStatus::Pass
        );
        let v = json!({"allowedOrigins": "badges.example.org"});
        assert_eq!(
            origin_check(
                "https://badges.example.org:8443/a",
                None,
                &issuer("https://x.example/", Some(v))
            )
            .status,
            CheckStatus::Pass
        );
        // A hosted assertion's id must be an HTTP(S) URL.
        assert_eq!(
            origin_check("urn:uuid:2", None, &iss).status,
            CheckStatus::Fail
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            authority("https://u:p@Example.org:80/x?y"),
            Some("Example.org:80")
        );
        assert_eq!(host("https://u:p@Example.org:80/x?y"), Some("Example.org"));
        assert_eq!(host("http://[::1]:8080/"), Some("[::1]"));
        assert_eq!(host("https://example.org#f"), Some("example.org"));
        assert!(same_host(
            "https://EXAMPLE.org/a",
            "http://example.org:8080/b"
        ));
        assert!(!is_http("urn:uuid:1"));
        assert!(is_http("HTTPS://example.org/"));
    }

    #[test]
    fn dates() {
        let ok = |s: &str| parse_date(&json!(s), false).map(datetime::format);
        assert_eq!(ok("2016-12-31T23:59:59Z").unwrap(), "2016-12-31T23:59:59Z");
        assert_eq!(ok("2017-10-01T00:00Z").unwrap(), "2017-10-01T00:00:00Z");
        assert_eq!(
            ok("2016-12-31T23:59:59+0100").unwrap(),
            "2016-12-31T22:59:59Z"
        );
        assert_eq!(ok("2016-12-31T23:59+01").unwrap(), "2016-12-31T22:59:00Z");
        assert!(ok("2016-12-31").is_err());
        assert!(ok("yesterday").is_err());
        assert!(parse_date(&json!(1_483_228_799), false).is_err());
        // OB 1.1 dates and timestamps.
        assert!(parse_date(&json!("2016-12-31"), true).is_ok());
        assert_eq!(
            datetime::format(parse_date(&json!(1_483_228_799), true).unwrap()),
            "2016-12-31T23:59:59Z"
        );
    }

    #[test]
    fn contexts() {
        assert_eq!(context_kind(&json!(CONTEXT_V2)), Ctx::V2);
        assert_eq!(
            context_kind(&json!([CONTEXT_V2, "https://example.org/ext.json"])),
            Ctx::V2
        );
        assert_eq!(
            context_kind(&json!("https://w3id.org/openbadges/v1")),
            Ctx::V1
        );
        assert!(matches!(
            context_kind(&json!(["https://example.org/x", CONTEXT_V2])),
            Ctx::Other(_)
        ));
        assert!(matches!(context_kind(&json!([])), Ctx::Other(_)));
        // An inline copy of the OB 2.0 context is the OB 2.0 context; a changed one is not.
        let text = include_str!("../contexts/openbadges-v2.jsonld");
        let Value::Object(mut full) = serde_json::from_str::<Value>(text).unwrap() else {
            panic!()
        };
        let inline = full.remove("@context").unwrap();
        assert_eq!(context_kind(&inline), Ctx::V2);
        let mut changed = inline.clone();
        changed["id"] = "@type".into();
        assert!(matches!(context_kind(&changed), Ctx::Other(_)));

        assert!(is_ob2(&obj(json!({"@context": CONTEXT_V2}))));
        assert!(is_ob2(&obj(
            json!({"@context": "https://w3id.org/openbadges/invalid"})
        )));
        assert!(is_ob2(&obj(json!({"recipient": "a@b.c", "badge": {}}))));
        assert!(!is_ob2(&obj(json!({"name": "x"}))));
        assert!(!is_ob2(&obj(
            json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/openbadges/v2"]})
        )));
    }

    fn signed_doc() -> Obj {
        obj(json!({"id": "urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9", "uid": "abc123"}))
    }

    fn revocation(list: Option<Value>, doc: &Obj) -> Check {
        let mut web = MapFetch::default();
        if let Some(l) = list {
            web.insert(
                "https://example.org/revoked.json",
                serde_json::to_vec(&l).unwrap(),
            );
        }
        let options = Options::at(time::macros::datetime!(2026-06-01 0:00 UTC));
        let run = Run {
            options: &options,
            web: &web,
        };
        let iss = obj(
            json!({"id": "https://example.org/i", "revocationList": "https://example.org/revoked.json"}),
        );
        block_on(run.revocation(doc, &iss))
    }

    #[test]
    fn revocation_lists() {
        let list = |entries: Value| {
            Some(
                json!({"@context": CONTEXT_V2, "type": "RevocationList", "revokedAssertions": entries}),
            )
        };
        // By id, as an object with a reason…
        let c = revocation(
            list(
                json!([{"id": "urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9", "revocationReason": "Issued in error."}]),
            ),
            &signed_doc(),
        );
        assert_eq!(
            (c.status, c.implies),
            (CheckStatus::Fail, Some(BadgeStatus::Revoked))
        );
        assert!(c.message.contains("Issued in error."), "{}", c.message);
        // …as a string, or by uid.
        let c = revocation(
            list(json!(["urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9"])),
            &signed_doc(),
        );
        assert_eq!(c.implies, Some(BadgeStatus::Revoked));
        let c = revocation(list(json!([{"uid": "abc123"}])), &signed_doc());
        assert_eq!(c.implies, Some(BadgeStatus::Revoked));
        // Not revoked.
        let c = revocation(
            list(json!(["urn:uuid:other", {"id": "urn:uuid:x"}])),
            &signed_doc(),
        );
        assert_eq!(c.status, CheckStatus::Pass);
        let c = revocation(list(json!([])), &signed_doc());
        assert_eq!(c.status, CheckStatus::Pass);
        // Unreachable or unusable: unverifiable, naming the list.
        let c = revocation(None, &signed_doc());
        assert!(
            c.unverifiable && c.message.contains("https://example.org/revoked.json"),
            "{}",
            c.message
        );
        let c = revocation(Some(json!({"type": "RevocationList"})), &signed_doc());
        assert!(c.unverifiable, "{}", c.message);
        // No list at all.
        let options = Options::at(time::macros::datetime!(2026-06-01 0:00 UTC));
        let web = MapFetch::default();
        let run = Run {
            options: &options,
            web: &web,
        };
        let c =
            block_on(run.revocation(&signed_doc(), &obj(json!({"id": "https://example.org/i"}))));
        assert_eq!(c.status, CheckStatus::Skip);
    }

    #[test]
    fn hosted_assertion_marked_revoked() {
        let a = json!({
            "@context": CONTEXT_V2, "id": "https://example.org/a.json",
            "revoked": true, "revocationReason": "a reason"
        });
        let mut web = MapFetch::default();
        web.insert(
            "https://example.org/a.json",
            serde_json::to_vec(&a).unwrap(),
        );
        let options = Options::at(time::macros::datetime!(2026-06-01 0:00 UTC));
        let r = block_on(verify_ob2(
            Ob2Input::Url("https://example.org/a.json".into()),
            &options,
            &web,
        ));
        assert_eq!(r.badge.status, BadgeStatus::Revoked);
        assert!(r
            .badge
            .checks
            .iter()
            .any(|c| c.message.contains("a reason")));
        assert_eq!(r.input.fetched.len(), 1);
    }
}
