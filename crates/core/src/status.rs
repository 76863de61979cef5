//! Revocation and suspension status of a Verifiable Credential:
//! `BitstringStatusListEntry`, `StatusList2021Entry` and `1EdTechRevocationList`.
//!
//! Fail closed: a list that cannot be fetched, read or trusted makes the status check
//! `unverifiable` with a message naming the list and the reason — never "not revoked".
//! A status list credential is itself verified (proof, validity, the same issuer).

use crate::fetch::{Expect, Fetch};
use crate::limits::parse_json;
use crate::report::{check_id, BadgeStatus, Check};
use crate::vc;
use crate::verify::Options;
use base64::Engine;
use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;

/// The largest decompressed status list accepted (the spec's minimum list is 16 KB;
/// 16 MB is 134 million entries).
const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;
/// How deep status list credentials may themselves carry status (a list's own list).
const MAX_NESTING: u8 = 2;

/// Verifies a credential with the same options (used for status list credentials).
pub(crate) type VerifyFn<'v, F> =
    &'v dyn for<'b> Fn(
        &'b Map<String, Value>,
        &'b Options,
        &'b F,
        u8,
    ) -> Pin<Box<dyn Future<Output = crate::Report> + 'b>>;

/// The `status` checks of a credential: one per status entry, or one `skip` when it has
/// none.
pub(crate) async fn status_checks<'a, F: Fetch>(
    doc: &'a Map<String, Value>,
    options: &'a Options,
    fetch: &'a F,
    depth: u8,
    verify: VerifyFn<'a, F>,
) -> Vec<Check> {
    let entries: Vec<&Value> = match doc.get("credentialStatus") {
        None | Some(Value::Null) => {
            return vec![Check::skip(
                check_id::STATUS,
                "the credential has no status entry",
            )]
        }
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    };
    let issuer = vc::issuer_id(doc);
    let mut checks = Vec::new();
    for entry in entries {
        let ty = entry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let check = match ty {
            "BitstringStatusListEntry" | "StatusList2021Entry" => {
                bitstring(entry, ty, doc, issuer, options, fetch, depth, verify).await
            }
            "1EdTechRevocationList" => revocation_list(entry, doc, issuer, options, fetch).await,
            "" => Check::fail(check_id::STATUS, "a status entry has no type"),
            other => Check::unverifiable(
                check_id::STATUS,
                format!("status entries of type {other} are not read by qlabel"),
            ),
        };
        checks.push(check);
    }
    checks
}

#[allow(clippy::too_many_arguments)]
async fn bitstring<'a, F: Fetch>(
    entry: &'a Value,
    ty: &str,
    doc: &'a Map<String, Value>,
    issuer: Option<&str>,
    options: &'a Options,
    fetch: &'a F,
    depth: u8,
    verify: VerifyFn<'a, F>,
) -> Check {
    let purpose = entry
        .get("statusPurpose")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(url) = entry.get("statusListCredential").and_then(Value::as_str) else {
        return Check::fail(
            check_id::STATUS,
            format!("the {ty} names no statusListCredential"),
        );
    };
    let index = match entry.get("statusListIndex") {
        Some(Value::String(s)) => s.parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let Some(index) = index else {
        return Check::fail(
            check_id::STATUS,
            format!("the {ty} has no valid statusListIndex"),
        );
    };
    let unverifiable = |why: String| {
        Check::unverifiable(
            check_id::STATUS,
            format!("the {purpose} status could not be checked: status list {url} {why}"),
        )
    };
    if depth >= MAX_NESTING {
        return unverifiable("is nested too deeply in other status lists".into());
    }
    let fetched = match fetch.fetch(url, Expect::StatusList).await {
        Ok(f) => f,
        Err(e) => return unverifiable(format!("could not be fetched ({e})")),
    };
    let list = match parse_json(&fetched.body, options.limits) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return unverifiable("is not a JSON object".into()),
        Err(e) => return unverifiable(format!("is unreadable ({e})")),
    };
    // The list is a credential of its own: it must verify, and come from the same issuer.
    let report = verify(&list, options, fetch, depth + 1).await;
    if report.badge.status != BadgeStatus::Valid {
        let why = report
            .badge
            .checks
            .iter()
            .find(|c| c.status == crate::CheckStatus::Fail || c.unverifiable)
            .map(|c| format!("{}: {}", c.id, c.message))
            .unwrap_or_default();
        return unverifiable(format!(
            "is not a valid credential ({}; {why})",
            serde_json::to_value(report.badge.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ));
    }
    let list_issuer = vc::issuer_id(&list);
    if list_issuer != issuer {
        return unverifiable(format!(
            "was issued by {}, not by the credential's issuer {}",
            list_issuer.unwrap_or("nobody"),
            issuer.unwrap_or("(none)")
        ));
    }
    let (want_cred, want_subject) = if ty == "StatusList2021Entry" {
        ("StatusList2021Credential", "StatusList2021")
    } else {
        ("BitstringStatusListCredential", "BitstringStatusList")
    };
    if !vc::map_types(&list).contains(&want_cred) {
        return unverifiable(format!("is not a {want_cred}"));
    }
    let subject = match list.get("credentialSubject") {
        Some(Value::Array(a)) if a.len() == 1 => &a[0],
        Some(s @ Value::Object(_)) => s,
        _ => return unverifiable("has no single credentialSubject".into()),
    };
    if !vc::types(subject).contains(&want_subject) {
        return unverifiable(format!("does not describe a {want_subject}"));
    }
    let list_purpose = subject.get("statusPurpose").and_then(Value::as_str);
    let purposes: Vec<&str> = match subject.get("statusPurpose") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => list_purpose.into_iter().collect(),
    };
    if !purposes.contains(&purpose) {
        return unverifiable(format!(
            "is a list for {}, not for {purpose}",
            purposes.join(", ")
        ));
    }
    let Some(encoded) = subject.get("encodedList").and_then(Value::as_str) else {
        return unverifiable("has no encodedList".into());
    };
    let bits = match decode_list(encoded, ty == "BitstringStatusListEntry") {
        Ok(b) => b,
        Err(e) => return unverifiable(format!("has an unreadable encodedList ({e})")),
    };
    let byte = usize::try_from(index / 8).unwrap_or(usize::MAX);
    let Some(b) = bits.get(byte) else {
        return unverifiable(format!(
            "has {} entries; index {index} is outside it",
            bits.len() * 8
        ));
    };
    let set = b & (0x80 >> (index % 8)) != 0;
    let _ = doc;
    match (set, purpose) {
        (true, "revocation") => Check::fail_as(
            check_id::STATUS,
            BadgeStatus::Revoked,
            format!("revoked (entry {index} of {url})"),
        ),
        (true, "suspension") => Check::fail_as(
            check_id::STATUS,
            BadgeStatus::Revoked,
            format!("suspended (entry {index} of {url})"),
        ),
        (true, other) => Check::warn(
            check_id::STATUS,
            format!("status '{other}' is set (entry {index} of {url})"),
        ),
        (false, p) => Check::pass(
            check_id::STATUS,
            format!("not {}", past(p)) + &format!(" (entry {index} of {url})"),
        ),
    }
}

fn past(purpose: &str) -> String {
    match purpose {
        "revocation" => "revoked".into(),
        "suspension" => "suspended".into(),
        other => format!("flagged for {other}"),
    }
}

/// `encodedList`: GZIP-compressed bits, base64url (multibase `u` for the Bitstring
/// Status List; plain base64url for StatusList2021).
pub fn decode_list(encoded: &str, multibase: bool) -> Result<Vec<u8>, String> {
    let text = if multibase {
        encoded
            .strip_prefix('u')
            .ok_or("not multibase base64url (it must start with 'u')")?
    } else {
        encoded.strip_prefix('u').unwrap_or(encoded)
    };
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| "not base64url".to_string())?;
    gunzip(&gz, MAX_LIST_BYTES)
}

/// `encodedList` of a Bitstring Status List: GZIP, base64url, multibase `u`.
pub fn encode_list(bits: &[u8]) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(bits, 9);
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
    gz.extend_from_slice(&deflated);
    gz.extend_from_slice(&crate::baked::crc32(&[bits]).to_le_bytes());
    gz.extend_from_slice(&(bits.len() as u32).to_le_bytes());
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz)
    )
}

/// Inflates a GZIP member (RFC 1952) with an output limit.
pub fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err("not GZIP data".into());
    }
    let flags = data[3];
    let mut pos = 10usize;
    let need = |pos: usize, n: usize| -> Result<usize, String> {
        pos.checked_add(n)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| "truncated GZIP header".to_string())
    };
    if flags & 0x04 != 0 {
        let end = need(pos, 2)?;
        let xlen = usize::from(u16::from_le_bytes([data[pos], data[pos + 1]]));
        pos = need(end, xlen)?;
    }
    for flag in [0x08u8, 0x10] {
        if flags & flag != 0 {
            let zero = data[pos..]
                .iter()
                .position(|&b| b == 0)
                .ok_or("truncated GZIP header")?;
            pos = need(pos, zero + 1)?;
        }
    }
    if flags & 0x02 != 0 {
        pos = need(pos, 2)?;
    }
    let body = data
        .get(pos..data.len().saturating_sub(8))
        .ok_or("truncated GZIP data")?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(body, limit).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            format!("larger than {limit} bytes")
        } else {
            "corrupt GZIP data".to_string()
        }
    })
}

/// `1EdTechRevocationList`: a JSON list of revoked credential ids published by the issuer.
async fn revocation_list<F: Fetch>(
    entry: &Value,
    doc: &Map<String, Value>,
    issuer: Option<&str>,
    options: &Options,
    fetch: &F,
) -> Check {
    let Some(url) = entry.get("id").and_then(Value::as_str) else {
        return Check::fail(
            check_id::STATUS,
            "the 1EdTechRevocationList entry has no id",
        );
    };
    let unverifiable = |why: String| {
        Check::unverifiable(
            check_id::STATUS,
            format!("the revocation status could not be checked: revocation list {url} {why}"),
        )
    };
    let fetched = match fetch.fetch(url, Expect::StatusList).await {
        Ok(f) => f,
        Err(e) => return unverifiable(format!("could not be fetched ({e})")),
    };
    let list = match parse_json(&fetched.body, options.limits) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return unverifiable("is not a JSON object".into()),
        Err(e) => return unverifiable(format!("is unreadable ({e})")),
    };
    let list_issuer = match list.get("issuer") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str),
        _ => None,
    };
    if list_issuer.is_some() && list_issuer != issuer {
        return unverifiable(format!(
            "was published by {}, not by the credential's issuer",
            list_issuer.unwrap_or_default()
        ));
    }
    let Some(id) = doc.get("id").and_then(Value::as_str) else {
        return unverifiable("cannot be read: the credential has no id to look for".into());
    };
    let Some(revoked) = list.get("revokedCredentials").and_then(Value::as_array) else {
        return unverifiable("has no revokedCredentials list".into());
    };
    let hit = revoked
        .iter()
        .find(|r| r.as_str() == Some(id) || r.get("id").and_then(Value::as_str) == Some(id));
    match hit {
        Some(r) => {
            let reason = r
                .get("revocationReason")
                .and_then(Value::as_str)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            Check::fail_as(
                check_id::STATUS,
                BadgeStatus::Revoked,
                format!("revoked (listed in {url}){reason}"),
            )
        }
        None => Check::pass(check_id::STATUS, format!("not revoked (checked {url})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_1edtech_test_list() {
        // inspector-vc ob30/bit-string-list/testlist: bit 23 is set.
        let bits = decode_list(
            "uH4sIAAAAAAAA_-3BMQEAAAzDoMy_6cnoA9QFAAAAAAAAAAAAAAAAAAAAbD3uPa2cAEAAAA",
            true,
        )
        .unwrap();
        assert_eq!(bits.len(), 16 * 1024);
        assert_eq!(bits[2] & 1, 1, "bit 23");
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 1);
    }

    #[test]
    fn encodes_what_it_decodes() {
        let mut bits = vec![0u8; 16 * 1024];
        bits[100] = 0b0010_0000;
        let text = encode_list(&bits);
        assert!(text.starts_with('u'));
        assert_eq!(decode_list(&text, true).unwrap(), bits);
        assert_eq!(crate::baked::crc32(&[b"123456789"]), 0xCBF4_3926);
    }

    #[test]
    fn refuses_garbage_and_bombs() {
        assert!(decode_list("zabc", true).is_err());
        assert!(gunzip(b"not gzip at all, definitely not", 100).is_err());
        // 1 MB of zeros compressed, inflated with a 1 KB limit.
        let raw = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 1 << 20], 9);
        let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        gz.extend_from_slice(&raw);
        gz.extend_from_slice(&[0; 8]);
        assert!(gunzip(&gz, 1024).unwrap_err().contains("larger"));
        assert_eq!(gunzip(&gz, 2 << 20).unwrap().len(), 1 << 20);
    }
}
