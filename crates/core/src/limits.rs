//! Parsing with size and depth limits. Every byte that reaches the core from outside
//! passes through [`parse_json`].

use crate::error::Error;
use serde_json::Value;

/// Limits applied to untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of JSON arrays and objects accepted.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 2 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// Checks size, UTF-8 and nesting depth before handing the text to serde_json, so that
/// hostile input fails fast with a clear error and never exhausts the stack.
pub fn parse_json(bytes: &[u8], limits: Limits) -> Result<Value, Error> {
    if bytes.len() > limits.max_bytes {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    check_depth(text, limits.max_depth)?;
    serde_json::from_str(text).map_err(|e| Error::Json(e.to_string()))
}

/// A linear scan that tracks bracket depth outside strings.
fn check_depth(text: &str, max_depth: usize) -> Result<(), Error> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::TooDeep { limit: max_depth });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_deep_nesting_without_recursion() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_json(text.as_bytes(), Limits::default()).unwrap_err();
        assert_eq!(err, Error::TooDeep { limit: 64 });
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!("{{\"a\":\"{}\"}}", "[".repeat(1000));
        assert!(parse_json(text.as_bytes(), Limits::default()).is_ok());
    }

    #[test]
    fn rejects_invalid_utf8_and_oversize() {
        let err = parse_json(b"{\"a\":\"\xff\"}", Limits::default()).unwrap_err();
        assert_eq!(err, Error::NotUtf8 { offset: 6 });
        let big = vec![b' '; 3 * 1024 * 1024];
        assert!(matches!(
            parse_json(&big, Limits::default()),
            Err(Error::TooLarge { .. })
        ));
    }
}
