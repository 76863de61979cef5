//! What an element shows, from a report: the display state (icon, colour, words) and the
//! value of its `status` attribute. Pure, so that it is tested natively.

use serde_json::Value;

/// The display states, each with its own icon, colour and words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    Loading,
    Labelled,
    NotLabelled,
    LabelExpired,
    LabelSuspended,
    LabelWithdrawn,
    LabelUntrusted,
    LabelUnknown,
    Invalid,
    Revoked,
    Expired,
    NotYetValid,
    Unverifiable,
    Copied,
    Error,
}

impl State {
    #[cfg_attr(not(test), allow(dead_code))]
    pub const ALL: [State; 15] = [
        State::Loading,
        State::Labelled,
        State::NotLabelled,
        State::LabelExpired,
        State::LabelSuspended,
        State::LabelWithdrawn,
        State::LabelUntrusted,
        State::LabelUnknown,
        State::Invalid,
        State::Revoked,
        State::Expired,
        State::NotYetValid,
        State::Unverifiable,
        State::Copied,
        State::Error,
    ];

    /// The state's name in translation keys (`state.<key>`) and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            State::Loading => "loading",
            State::Labelled => "labelled",
            State::NotLabelled => "not-labelled",
            State::LabelExpired => "label-expired",
            State::LabelSuspended => "label-suspended",
            State::LabelWithdrawn => "label-withdrawn",
            State::LabelUntrusted => "label-untrusted",
            State::LabelUnknown => "label-unknown",
            State::Invalid => "invalid",
            State::Revoked => "revoked",
            State::Expired => "expired",
            State::NotYetValid => "not-yet-valid",
            State::Unverifiable => "unverifiable",
            State::Copied => "copied",
            State::Error => "error",
        }
    }

    /// A badge state (the badge itself is not valid) rather than a label state.
    pub fn is_badge_problem(self) -> bool {
        matches!(
            self,
            State::Invalid
                | State::Revoked
                | State::Expired
                | State::NotYetValid
                | State::Unverifiable
        )
    }
}

/// What an element shows and reflects.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Outcome {
    pub state: State,
    /// The `status` attribute.
    pub status: String,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// The display state of a label status (`not-evaluated` and anything unforeseen show as
/// "not checked").
fn label_state(status: &str) -> State {
    match status {
        "labelled" => State::Labelled,
        "not-labelled" => State::NotLabelled,
        "expired" => State::LabelExpired,
        "suspended" => State::LabelSuspended,
        "withdrawn" => State::LabelWithdrawn,
        "untrusted" => State::LabelUntrusted,
        _ => State::LabelUnknown,
    }
}

/// A `qlabel-badge`: the label status when the badge is valid, else the badge status.
pub fn badge_outcome(report: &Value) -> Outcome {
    let badge = str_at(report, &["badge", "status"]).unwrap_or("unverifiable");
    let state = match badge {
        "valid" => {
            let label = str_at(report, &["label", "status"]).unwrap_or("unknown");
            return Outcome {
                state: label_state(label),
                status: label.to_string(),
            };
        }
        "invalid" => State::Invalid,
        "revoked" => State::Revoked,
        "expired" => State::Expired,
        "not-yet-valid" => State::NotYetValid,
        _ => State::Unverifiable,
    };
    Outcome {
        state,
        status: state.key().to_string(),
    }
}

/// Whether the page's host is one of the holder's domains: the same host (case and a
/// trailing dot aside, a port in the registry's entry ignored), or `www.` and the domain.
pub fn host_allowed(page_host: &str, domains: &[String]) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = norm(page_host);
    if host.is_empty() {
        return false;
    }
    domains.iter().any(|d| {
        let mut d = norm(d);
        if !d.starts_with('[') {
            if let Some((name, port)) = d.rsplit_once(':') {
                if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                    d = name.to_string();
                }
            }
        }
        !d.is_empty() && (host == d || host.strip_prefix("www.") == Some(d.as_str()))
    })
}

/// A `qlabel-seal`, given the label report and the host of the page showing it.
///
/// Copied: the holder's domains are listed and the page's host is not among them; or the
/// label is `labelled` and no domain is listed (nothing shows where the seal belongs, so
/// a labelled seal is never shown as genuine). A seal that is not labelled shows its own
/// status when no domain is listed: it claims nothing.
pub fn seal_outcome(label: &Value, page_host: &str) -> Outcome {
    let status = str_at(label, &["status"]).unwrap_or("unknown");
    let domains: Vec<String> = label
        .get("domains")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let copied = if domains.is_empty() {
        status == "labelled"
    } else {
        !host_allowed(page_host, &domains)
    };
    if copied {
        Outcome {
            state: State::Copied,
            status: "copied".into(),
        }
    } else {
        Outcome {
            state: label_state(status),
            status: status.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn badge_status_then_label_status() {
        let r = json!({"badge": {"status": "valid"}, "label": {"status": "labelled"}});
        assert_eq!(badge_outcome(&r).state, State::Labelled);
        assert_eq!(badge_outcome(&r).status, "labelled");
        let r = json!({"badge": {"status": "valid"}, "label": {"status": "expired"}});
        assert_eq!(badge_outcome(&r).state, State::LabelExpired);
        assert_eq!(badge_outcome(&r).status, "expired");
        let r = json!({"badge": {"status": "revoked"}, "label": {"status": "not-evaluated"}});
        assert_eq!(badge_outcome(&r).state, State::Revoked);
        assert_eq!(badge_outcome(&r).status, "revoked");
        let r = json!({"badge": {"status": "expired"}, "label": {"status": "labelled"}});
        assert_eq!(badge_outcome(&r).state, State::Expired);
        let r = json!({"badge": {"status": "valid"}, "label": {"status": "not-labelled"}});
        assert_eq!(badge_outcome(&r).state, State::NotLabelled);
        assert_eq!(badge_outcome(&json!({})).state, State::Unverifiable);
    }

    #[test]
    fn copied_seals() {
        let l = json!({"status": "labelled", "domains": ["youth.example.org"]});
        assert_eq!(seal_outcome(&l, "youth.example.org").status, "labelled");
        assert_eq!(
            seal_outcome(&l, "WWW.Youth.Example.org.").status,
            "labelled"
        );
        assert_eq!(seal_outcome(&l, "evil.example").status, "copied");
        assert_eq!(seal_outcome(&l, "sub.youth.example.org").status, "copied");
        assert_eq!(seal_outcome(&l, "").status, "copied");
        let l = json!({"status": "labelled", "domains": ["127.0.0.1:8080"]});
        assert_eq!(seal_outcome(&l, "127.0.0.1").status, "labelled");
        let l = json!({"status": "withdrawn", "domains": ["youth.example.org"]});
        assert_eq!(seal_outcome(&l, "evil.example").status, "copied");
        // No domains: a labelled seal cannot be shown as genuine anywhere; others show
        // their own status.
        let l = json!({"status": "labelled", "domains": []});
        assert_eq!(seal_outcome(&l, "youth.example.org").state, State::Copied);
        let l = json!({"status": "suspended"});
        assert_eq!(seal_outcome(&l, "x.example").state, State::LabelSuspended);
        let l = json!({"status": "unknown"});
        assert_eq!(seal_outcome(&l, "x.example").status, "unknown");
    }

    #[test]
    fn every_state_has_a_distinct_key() {
        let mut keys: Vec<_> = State::ALL.iter().map(|s| s.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), State::ALL.len());
    }
}
