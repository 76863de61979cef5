//! JSON Canonicalization Scheme (RFC 8785), as eddsa-jcs-2022 needs it.
//!
//! Property names are sorted by their UTF-16 code units; numbers are written the way
//! ECMAScript's `Number.prototype.toString` writes them (via `ryu-js`); strings are
//! escaped as `JSON.stringify` escapes them, which is what serde_json does too.

use serde_json::Value;

/// The canonical text of a JSON value.
pub fn canonicalize(value: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            // Every JSON number is an IEEE double in JCS; integers beyond 2^53 round.
            let f = n.as_f64().unwrap_or(0.0);
            let mut buf = ryu_js::Buffer::new();
            out.push_str(buf.format(f));
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| utf16_cmp(a.0, b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
    }
}

/// Orders strings by UTF-16 code units. That equals byte order unless a character at or
/// above U+E000 (3-byte UTF-8 from 0xEE) meets one beyond U+FFFF (4 bytes, 0xF0…), so
/// the common case compares bytes.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let high = |s: &str| s.bytes().any(|b| b >= 0xEE);
    if high(a) && high(b) {
        a.encode_utf16().cmp(b.encode_utf16())
    } else {
        a.cmp(b)
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_read_correctly_rounded() {
        // serde_json's default float parser can land one step off the nearest double
        // (found by fuzzing): 7719213e171 became 7.719212999999999e+177, so a credential
        // with that number signed by a JavaScript stack would fail to verify here.
        for (text, ecmascript) in [
            ("7719213e171", "7.719213e+177"),
            ("0.1", "0.1"),
            ("2.2250738585072011e-308", "2.225073858507201e-308"),
            ("9007199254740993", "9007199254740992"),
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(canonicalize(&v), ecmascript, "{text}");
        }
    }

    #[test]
    fn sorts_by_utf16_and_formats_numbers_like_ecmascript() {
        // RFC 8785 §3.2.3 sorting example: "\u{10000}" (a surrogate pair, 0xD800...) sorts
        // before "\u{fb33}" in UTF-16 order although it is after it in UTF-8 order.
        let v =
            json!({"\u{fb33}": 1, "\u{10000}": 2, "a": 1e21, "b": 1.5e-7, "c": 10.0, "d": -0.0});
        assert_eq!(
            canonicalize(&v),
            "{\"a\":1e+21,\"b\":1.5e-7,\"c\":10,\"d\":0,\"\u{10000}\":2,\"\u{fb33}\":1}"
        );
    }

    #[test]
    fn escapes_like_json_stringify() {
        let v = json!(["\u{1}\u{1f}\"\\/\u{2028}é"]);
        assert_eq!(canonicalize(&v), "[\"\\u0001\\u001f\\\"\\\\/\u{2028}é\"]");
    }

    #[test]
    fn jcs_basic() {
        let v: Value = serde_json::from_str(
            r#"{"b":[1,2.5,1e30,true,null],"a":"x\"\n\u0001é","\u20ac":1,"\ud83d\ude00":2}"#,
        )
        .unwrap_or(Value::Null);
        let s = canonicalize(&v);
        assert_eq!(
            s,
            "{\"a\":\"x\\\"\\n\\u0001é\",\"b\":[1,2.5,1e+30,true,null],\"€\":1,\"😀\":2}"
        );
    }
}
