//! The verification report, `qlabel-report/1`: what every front end shows and what
//! `qlabel verify --json` prints. Ids and statuses are for programs, messages for people.

use serde::Serialize;
use serde_json::Value;

/// The schema name written into every report.
pub const SCHEMA: &str = "qlabel-report/1";

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub input: InputInfo,
    pub badge: BadgeReport,
    pub label: LabelReport,
}

/// What the input was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputInfo {
    pub format: Format,
    /// `png` or `svg` when the badge was baked into an image.
    pub baked: Option<String>,
    /// Where the input came from (file name, URL), when known.
    pub source: Option<String>,
    /// Every document fetched while verifying, with the redirects followed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fetched: Vec<crate::fetch::FetchRecord>,
}

/// The form of the badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    Ob2Hosted,
    Ob2Signed,
    Ob3Jsonld,
    Ob3Jwt,
}

/// The verdict on the badge itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadgeStatus {
    Valid,
    Invalid,
    Revoked,
    Expired,
    NotYetValid,
    Unverifiable,
}

impl BadgeStatus {
    /// The `qlabel verify` exit status for this verdict (DESIGN.md).
    pub fn exit_code(self) -> i32 {
        match self {
            BadgeStatus::Valid => 0,
            BadgeStatus::Invalid
            | BadgeStatus::Revoked
            | BadgeStatus::Expired
            | BadgeStatus::NotYetValid => 1,
            BadgeStatus::Unverifiable => 3,
        }
    }
}

/// The issuer as the badge names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuerInfo {
    pub id: String,
    pub name: Option<String>,
    pub url: Option<String>,
}

/// The badge part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadgeReport {
    pub status: BadgeStatus,
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub issuer: Option<IssuerInfo>,
    /// The id of the achievement (OB 3.0) or BadgeClass (OB 2.0): what a label's scope
    /// names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement: Option<String>,
    pub recipient: Option<Value>,
    /// Credentials endorsing the issuer or the achievement (where an issuer may carry
    /// its Quality Label); read by the label check, not reported.
    #[serde(skip)]
    pub embedded_labels: Vec<Value>,
    pub issued: Option<String>,
    pub expires: Option<String>,
    pub checks: Vec<Check>,
}

/// One check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Warn,
    /// Not performed: not applicable, or (see the message) could not be performed.
    Skip,
}

/// Stable check ids.
pub mod check_id {
    pub const FORMAT: &str = "format";
    pub const PROOF: &str = "proof";
    pub const KEY_BINDING: &str = "key-binding";
    pub const HOSTED_ORIGIN: &str = "hosted-origin";
    pub const STATUS: &str = "status";
    pub const VALIDITY: &str = "validity";
    pub const RECIPIENT: &str = "recipient";
    pub const ENDORSEMENTS: &str = "endorsements";
    pub const LABEL_STATUS: &str = "label-status";
}

/// One check in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub status: CheckStatus,
    pub message: String,
    /// Set when the check could not be performed at all (network, unknown key, …):
    /// the badge is then `unverifiable`, never `valid`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverifiable: bool,
    /// For a failing check, the badge verdict it implies (revoked, expired, …);
    /// `None` means invalid.
    #[serde(skip)]
    pub implies: Option<BadgeStatus>,
}

impl Check {
    pub fn pass(id: &'static str, message: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Pass, message)
    }
    pub fn fail(id: &'static str, message: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Fail, message)
    }
    pub fn warn(id: &'static str, message: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Warn, message)
    }
    pub fn skip(id: &'static str, message: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Skip, message)
    }
    /// A failing check that implies a verdict other than `invalid`.
    pub fn fail_as(id: &'static str, implies: BadgeStatus, message: impl Into<String>) -> Self {
        Check {
            implies: Some(implies),
            ..Self::new(id, CheckStatus::Fail, message)
        }
    }
    /// A check that could not be performed; makes the badge `unverifiable`.
    pub fn unverifiable(id: &'static str, message: impl Into<String>) -> Self {
        Check {
            unverifiable: true,
            ..Self::new(id, CheckStatus::Skip, message)
        }
    }
    fn new(id: &'static str, status: CheckStatus, message: impl Into<String>) -> Self {
        Check {
            id,
            status,
            message: message.into(),
            unverifiable: false,
            implies: None,
        }
    }
}

/// The label status, as DESIGN.md names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabelStatus {
    Labelled,
    NotLabelled,
    Expired,
    Suspended,
    Withdrawn,
    Untrusted,
    Unknown,
    NotEvaluated,
}

/// A party named in the label part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    pub id: String,
    pub name: Option<String>,
}

/// The label part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelReport {
    pub status: LabelStatus,
    pub authority: Option<Party>,
    pub holder: Option<Party>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub held_at_issuance: Option<bool>,
    pub certificate: Option<String>,
    /// The hosts on which the holder may show its seal (from the registry entry); a seal
    /// on a page elsewhere is a copy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    pub checks: Vec<Check>,
}

impl LabelReport {
    /// The label part when the label was not looked at.
    pub fn not_evaluated(status: LabelStatus, check: Check) -> Self {
        LabelReport {
            status,
            authority: None,
            holder: None,
            valid_from: None,
            valid_until: None,
            held_at_issuance: None,
            certificate: None,
            domains: Vec::new(),
            checks: vec![check],
        }
    }
}

/// Derives the badge verdict from its checks. A broken proof, key binding or format
/// makes the badge invalid whatever else holds; dates and status are only believed once
/// those passed; anything that could not be checked makes it unverifiable, never valid.
pub fn badge_status(checks: &[Check]) -> BadgeStatus {
    use check_id::*;
    let core = [FORMAT, PROOF, KEY_BINDING, HOSTED_ORIGIN];
    let failing = |c: &&Check| c.status == CheckStatus::Fail;
    if checks
        .iter()
        .filter(failing)
        .any(|c| core.contains(&c.id) || c.implies.is_none())
    {
        return BadgeStatus::Invalid;
    }
    if checks
        .iter()
        .any(|c| c.unverifiable && core.contains(&c.id))
    {
        return BadgeStatus::Unverifiable;
    }
    // Revoked before expired before not yet valid: the strongest statement wins.
    for verdict in [
        BadgeStatus::Revoked,
        BadgeStatus::Expired,
        BadgeStatus::NotYetValid,
    ] {
        if checks
            .iter()
            .filter(failing)
            .any(|c| c.implies == Some(verdict))
        {
            return verdict;
        }
    }
    if checks.iter().any(|c| c.unverifiable) {
        return BadgeStatus::Unverifiable;
    }
    BadgeStatus::Valid
}

#[cfg(test)]
mod tests {
    use super::*;
    use check_id::*;

    #[test]
    fn verdict_precedence() {
        let ok = Check::pass(PROOF, "");
        assert_eq!(badge_status(std::slice::from_ref(&ok)), BadgeStatus::Valid);
        let expired = Check::fail_as(VALIDITY, BadgeStatus::Expired, "");
        let revoked = Check::fail_as(STATUS, BadgeStatus::Revoked, "");
        assert_eq!(
            badge_status(&[ok.clone(), expired.clone(), revoked.clone()]),
            BadgeStatus::Revoked
        );
        assert_eq!(
            badge_status(&[Check::fail(PROOF, ""), expired.clone()]),
            BadgeStatus::Invalid
        );
        assert_eq!(
            badge_status(&[Check::unverifiable(KEY_BINDING, ""), expired.clone()]),
            BadgeStatus::Unverifiable
        );
        assert_eq!(
            badge_status(&[ok, Check::unverifiable(STATUS, "")]),
            BadgeStatus::Unverifiable
        );
    }
}

/// A name taken from a document (an authority's, a holder's), for a check's message. When
/// it holds explicit bidirectional formatting characters (a right-to-left override…) it is
/// put in a Unicode isolate (FSI … PDI), with as many extra isolates as its own unmatched
/// ones, so that it cannot reorder the message's other words where the message is shown.
/// Other names are returned as they are. (The widget fills its sentences the same way.)
pub fn isolate(name: &str) -> std::borrow::Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    if !name.chars().any(bidi) {
        return std::borrow::Cow::Borrowed(name);
    }
    let (mut open, mut stray) = (0usize, 0usize);
    for c in name.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => open += 1,
            '\u{2069}' if open > 0 => open -= 1,
            '\u{2069}' => stray += 1,
            _ => {}
        }
    }
    let mut out = String::with_capacity(name.len() + 3 * (open + stray + 2));
    out.extend(std::iter::repeat_n('\u{2068}', stray + 1));
    out.push_str(name);
    out.extend(std::iter::repeat_n('\u{2069}', open + 1));
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod isolate_tests {
    use super::isolate;

    #[test]
    fn names_with_bidi_controls_are_isolated() {
        assert_eq!(isolate("Demo Label Authority"), "Demo Label Authority");
        assert_eq!(isolate("Ω ∑ مركز"), "Ω ∑ مركز");
        assert_eq!(isolate("\u{202E}A"), "\u{2068}\u{202E}A\u{2069}");
        // A stray PDI in the name is matched by an extra FSI, an open isolate by a PDI.
        assert_eq!(isolate("\u{2069}A"), "\u{2068}\u{2068}\u{2069}A\u{2069}");
        assert_eq!(isolate("\u{2067}A"), "\u{2068}\u{2067}A\u{2069}\u{2069}");
    }
}
