//! IRI and keyword helpers (the syntactic checks jsonld.js applies).

/// JSON-LD 1.1 keywords (framing-only keywords are deliberately not included).
const KEYWORDS: &[&str] = &[
    "@base",
    "@container",
    "@context",
    "@direction",
    "@graph",
    "@id",
    "@import",
    "@included",
    "@index",
    "@json",
    "@language",
    "@list",
    "@nest",
    "@none",
    "@prefix",
    "@propagate",
    "@protected",
    "@reverse",
    "@set",
    "@type",
    "@value",
    "@version",
    "@vocab",
];

/// Is `s` a JSON-LD keyword?
#[inline]
pub(crate) fn is_keyword(s: &str) -> bool {
    s.starts_with('@') && KEYWORDS.contains(&s)
}

/// The static keyword equal to `s`, if `s` is a keyword.
#[inline]
pub(crate) fn static_keyword(s: &str) -> Option<&'static str> {
    if !s.starts_with('@') {
        return None;
    }
    KEYWORDS.iter().copied().find(|k| *k == s)
}

/// Has `s` the form of a keyword (`@` followed by ASCII letters only)?
pub(crate) fn is_keyword_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 1 && b[0] == b'@' && b[1..].iter().all(u8::is_ascii_alphabetic)
}

/// JavaScript `\s`.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Absolute IRI (or blank node identifier) test of jsonld.js:
/// `^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$`.
pub(crate) fn is_absolute_iri(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return false;
    };
    let scheme = &b[..colon];
    let scheme_ok = scheme == b"_"
        || (!scheme.is_empty()
            && scheme[0].is_ascii_alphabetic()
            && scheme[1..]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')));
    if !scheme_ok {
        return false;
    }
    let rest = &b[colon + 1..];
    if rest
        .iter()
        .any(|&c| matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '))
    {
        return false;
    }
    rest.is_ascii() || !s[colon + 1..].chars().any(is_js_space)
}

/// Is this (absolute) IRI free of the characters N-Quads cannot carry inside `<…>`
/// (and that RDFC-1.0 implementations would escape differently)?
pub(crate) fn has_only_iri_chars(s: &str) -> bool {
    !s.bytes().any(|b| {
        b <= 0x20
            || matches!(
                b,
                b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\'
            )
    })
}

/// BCP47-ish check of jsonld.js: `^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`.
pub(crate) fn is_bcp47(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(first) = parts.next() else {
        return false;
    };
    let ok_len = |p: &str| !p.is_empty() && p.len() <= 8;
    ok_len(first)
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| ok_len(p) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Does the term have the form of an IRI (`:` followed by a non-`:`, or a `/`)?
pub(crate) fn looks_like_iri(term: &str) -> bool {
    if term.contains('/') {
        return true;
    }
    let b = term.as_bytes();
    b.windows(2).any(|w| w[0] == b':' && w[1] != b':')
}

struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// Split an IRI reference into its RFC 3986 components (appendix B regex).
fn split(s: &str) -> Parts<'_> {
    let (rest, fragment) = match s.find('#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut scheme = None;
    let mut rest = rest;
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        if !cand.is_empty() && !cand.contains('/') {
            scheme = Some(cand);
            rest = &rest[i + 1..];
        }
    }
    let (authority, path) = if let Some(after) = rest.strip_prefix("//") {
        match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), ""),
        }
    } else {
        (None, rest)
    };
    Parts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// RFC 3986 §5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut out: Vec<&str> = Vec::new();
    let absolute = input.starts_with('/');
    if absolute {
        input = &input[1..];
    }
    let segs: Vec<&str> = input.split('/').collect();
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == n;
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Resolve `reference` against the absolute `base` (RFC 3986 §5.2.2).
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    let r = split(reference);
    let b = split(base);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_owned();
                query = if r.query.is_some() { r.query } else { b.query };
            } else {
                if r.path.starts_with('/') {
                    path = remove_dot_segments(r.path);
                } else {
                    let merged = if b.authority.is_some() && b.path.is_empty() {
                        format!("/{}", r.path)
                    } else {
                        match b.path.rfind('/') {
                            Some(i) => format!("{}{}", &b.path[..=i], r.path),
                            None => r.path.to_owned(),
                        }
                    };
                    path = remove_dot_segments(&merged);
                }
                query = r.query;
            }
        }
    }
    let mut out = String::with_capacity(base.len() + reference.len());
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = r.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute() {
        assert!(is_absolute_iri("https://example.com/a"));
        assert!(is_absolute_iri("did:key:z6Mk"));
        assert!(is_absolute_iri("urn:uuid:1234"));
        assert!(is_absolute_iri("_:b0"));
        assert!(!is_absolute_iri("UndefinedCredential"));
        assert!(!is_absolute_iri("https ://not-a-url#x"));
        assert!(!is_absolute_iri("https://a b"));
        assert!(!is_absolute_iri(":x"));
        assert!(!is_absolute_iri("0923lksjf"));
    }

    #[test]
    fn bcp47() {
        assert!(is_bcp47("en"));
        assert!(is_bcp47("en-US"));
        assert!(is_bcp47("zh-Hant-TW"));
        assert!(!is_bcp47("en_US"));
        assert!(!is_bcp47(""));
        assert!(!is_bcp47("toolonglang"));
    }

    #[test]
    fn rfc3986_examples() {
        let base = "http://a/b/c/d;p?q";
        for (r, e) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(resolve(base, r), e, "{r}");
        }
        assert_eq!(
            resolve("https://invalid.example.com/", "UndefinedCredential"),
            "https://invalid.example.com/UndefinedCredential"
        );
    }
}
