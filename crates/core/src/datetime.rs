//! XML Schema `dateTime` values as Verifiable Credentials use them.
//!
//! Read and written here rather than with `time`'s format descriptions: the grammar is
//! small and fixed, and `time`'s parsing and formatting machinery was a sixth of the
//! wasm module's code (see BENCHMARKS.md, qlabel-wasm size). `time` keeps the calendar
//! arithmetic.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A parsed timestamp, and whether it carried a time-zone offset (VC 2.0 requires one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// The instant.
    pub at: OffsetDateTime,
    /// False when the text had no offset and was read as UTC.
    pub had_offset: bool,
}

/// Reads exactly `n` ASCII digits at the start of `s`.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    let part = s.get(..n)?;
    part.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Parses an RFC 3339 / `xsd:dateTime` value: `YYYY-MM-DDThh:mm:ss[.fraction]` and an
/// offset (`Z` or `±hh:mm`); a missing offset is read as UTC. `T` and `Z` may be lower
/// case (RFC 3339 §5.6). A leap second (`:60`) is read as the last instant of its
/// minute, as it can only be at the end of a UTC day.
pub fn parse(text: &str) -> Option<Timestamp> {
    let s = text.as_bytes();
    if s.len() > 64 || s.len() < 19 {
        return None;
    }
    let year = digits(s, 4)?;
    let month = digits(s.get(5..)?, 2)?;
    let day = digits(s.get(8..)?, 2)?;
    let hour = digits(s.get(11..)?, 2)?;
    let minute = digits(s.get(14..)?, 2)?;
    let second = digits(s.get(17..)?, 2)?;
    if s[4] != b'-'
        || s[7] != b'-'
        || !matches!(s[10], b'T' | b't')
        || s[13] != b':'
        || s[16] != b':'
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos = 0u32;
    if let Some((b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(frac, n)? * 10u32.pow(9 - n as u32);
        rest = &frac[n..];
    }
    let (offset, had_offset) = match rest {
        [] => (0i32, false),
        [b'Z' | b'z'] => (0, true),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2], 2)?;
            let om = digits(&[*m1, *m2], 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = (oh * 3600 + om * 60) as i32;
            (if *sign == b'-' { -secs } else { secs }, true)
        }
        _ => return None,
    };
    let leap = second == 60;
    let date = Date::from_calendar_date(
        i32::try_from(year).ok()?,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let time = if leap {
        Time::from_hms_nano(
            u8::try_from(hour).ok()?,
            u8::try_from(minute).ok()?,
            59,
            999_999_999,
        )
    } else {
        Time::from_hms_nano(
            u8::try_from(hour).ok()?,
            u8::try_from(minute).ok()?,
            u8::try_from(second).ok()?,
            nanos,
        )
    }
    .ok()?;
    let at = PrimitiveDateTime::new(date, time)
        .assume_offset(UtcOffset::from_whole_seconds(offset).ok()?);
    if leap {
        // A leap second is only ever inserted at the end of a UTC day.
        let utc = at.to_offset(UtcOffset::UTC);
        if (utc.hour(), utc.minute()) != (23, 59) {
            return None;
        }
    }
    Some(Timestamp { at, had_offset })
}

/// Formats an instant as RFC 3339 in UTC with whole seconds, e.g. `2024-05-01T10:00:00Z`.
pub fn format(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    let year = at.year();
    let sign = if year < 0 { "-" } else { "" };
    format!(
        "{sign}{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        year.unsigned_abs(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms_seen_in_credentials() {
        assert!(parse("2010-01-01T19:23:24Z").is_some_and(|t| t.had_offset));
        assert!(parse("2010-01-01T19:23:24.123+02:00").is_some_and(|t| t.had_offset));
        assert!(parse("2010-01-01T19:23:24").is_some_and(|t| !t.had_offset));
        assert!(parse("2010-01-01T19:23:24.5").is_some_and(|t| !t.had_offset));
        assert!(parse("invalidDate").is_none());
        assert!(parse("2010-13-01T19:23:24Z").is_none());
        let t = parse("2010-01-01T19:23:24+01:00").unwrap();
        assert_eq!(format(t.at), "2010-01-01T18:23:24Z");
    }

    #[test]
    fn refuses_what_rfc_3339_does_not_allow() {
        for bad in [
            "2010-02-30T00:00:00Z",
            "2011-02-29T00:00:00Z",
            "2010-01-01 19:23:24Z",
            "2010-01-01T24:00:00Z",
            "2010-01-01T19:60:00Z",
            "2010-01-01T19:23:24.Z",
            "2010-01-01T19:23:24.1234567890Z",
            "2010-01-01T19:23:24+0100",
            "2010-01-01T19:23:24+24:00",
            "2010-01-01T19:23:24+01:60",
            "2010-01-01T19:23:24ZZ",
            "2010-1-01T19:23:24Z",
            "+2010-01-01T19:23:24Z",
            "2010-01-01T12:59:60Z",
            "2010-01-01T19:23:２4Z",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn agrees_on_instants() {
        let t = parse("2024-02-29t23:59:59.999999999z").unwrap();
        assert_eq!(t.at.unix_timestamp(), 1_709_251_199);
        assert_eq!(t.at.nanosecond(), 999_999_999);
        let leap = parse("2016-12-31T23:59:60Z").unwrap();
        assert_eq!(format(leap.at), "2016-12-31T23:59:59Z");
        // A leap second at the end of the UTC day, written in another offset.
        assert!(parse("2017-01-01T00:59:60+01:00").is_some());
        assert_eq!(
            parse("1970-01-01T00:00:00-00:30")
                .unwrap()
                .at
                .unix_timestamp(),
            1800
        );
        assert_eq!(format(OffsetDateTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
    }
}
