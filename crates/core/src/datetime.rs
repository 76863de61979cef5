//! XML Schema `dateTime` values as Verifiable Credentials use them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A parsed timestamp, and whether it carried a time-zone offset (VC 2.0 requires one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// The instant.
    pub at: OffsetDateTime,
    /// False when the text had no offset and was read as UTC.
    pub had_offset: bool,
}

/// Parses an RFC 3339 / `xsd:dateTime` value; a missing offset is read as UTC.
pub fn parse(text: &str) -> Option<Timestamp> {
    if text.len() > 64 {
        return None;
    }
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(Timestamp {
            at,
            had_offset: true,
        });
    }
    let fmt = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(text, &fmt)
        .ok()
        .map(|p| Timestamp {
            at: p.assume_utc(),
            had_offset: false,
        })
}

/// Formats an instant as RFC 3339 in UTC with whole seconds, e.g. `2024-05-01T10:00:00Z`.
pub fn format(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms_seen_in_credentials() {
        assert!(parse("2010-01-01T19:23:24Z").is_some_and(|t| t.had_offset));
        assert!(parse("2010-01-01T19:23:24.123+02:00").is_some_and(|t| t.had_offset));
        assert!(parse("2010-01-01T19:23:24").is_some_and(|t| !t.had_offset));
        assert!(parse("invalidDate").is_none());
        assert!(parse("2010-13-01T19:23:24Z").is_none());
        let t = parse("2010-01-01T19:23:24+01:00").unwrap();
        assert_eq!(format(t.at), "2010-01-01T18:23:24Z");
    }
}
