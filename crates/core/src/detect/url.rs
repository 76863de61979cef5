//! The little URL handling detection needs: split an absolute http(s) URL into its
//! parts (refusing what must not be fetched) and resolve a reference against a base.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest URL considered, in bytes.
pub const MAX_URL_BYTES: usize = 4096;

/// An absolute `https` URL, or `http` to a loopback host, split into parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    /// `https` or `http` (lower case).
    pub scheme: &'static str,
    /// The host in lower case, without brackets or a trailing dot.
    pub host: String,
    /// The authority as written (host and port).
    pub authority: &'a str,
    /// The path as written (`/` when empty).
    pub path: &'a str,
    /// The query without its `?` (empty when none).
    pub query: &'a str,
    /// Whether the host is this machine.
    pub loopback: bool,
}

impl Url<'_> {
    /// Path segments, without empty ones (`/a//b/` → `a`, `b`).
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// The URL without its fragment, scheme and host in lower case.
    pub fn normalized(&self) -> String {
        let port = self.authority.rsplit_once(':').and_then(|(h, p)| {
            (!h.ends_with('[') && !p.contains(']') && !p.is_empty()).then_some(p)
        });
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let authority = match port {
            Some(p) => format!("{host}:{p}"),
            None => host,
        };
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!("{}://{authority}{}{query}", self.scheme, self.path)
    }

    /// The value of the first query parameter `name`, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| percent_decode(v)).flatten()
        })
    }
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 or an escape is broken.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a host is this machine: `localhost`, `127.0.0.0/8`, `::1`.
pub(crate) fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    host.parse::<Ipv6Addr>().is_ok_and(|v6| v6.is_loopback())
}

/// The scheme of an absolute URL or reference (RFC 3986 `scheme ":"`), in lower case.
pub(crate) fn scheme_of(s: &str) -> Option<String> {
    let (scheme, _) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// Splits `href`: an absolute `https` URL, or `http` to a loopback host, at most
/// [`MAX_URL_BYTES`] long, without control characters, white space, backslashes or
/// credentials. The fragment is dropped. Anything else is `None`.
pub(crate) fn parse(href: &str) -> Option<Url<'_>> {
    let href = href.trim_matches(|c: char| c.is_ascii_whitespace());
    if href.len() > MAX_URL_BYTES
        || href
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let href = href.split('#').next().unwrap_or_default();
    let scheme = match scheme_of(href)?.as_str() {
        "https" => "https",
        "http" => "http",
        _ => return None,
    };
    let rest = href[scheme.len() + 1..].strip_prefix("//")?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    if authority.contains('@') || authority.contains('%') {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        h.parse::<Ipv6Addr>().ok()?;
        port_ok(after)?;
        h.to_ascii_lowercase()
    } else {
        let (h, after) = match authority.find(':') {
            Some(i) => authority.split_at(i),
            None => (authority, ""),
        };
        port_ok(after)?;
        if !h
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        {
            return None;
        }
        h.trim_end_matches('.').to_ascii_lowercase()
    };
    if host.is_empty() {
        return None;
    }
    let loopback = is_loopback(&host);
    if scheme == "http" && !loopback {
        return None;
    }
    let q = rest.find('?').unwrap_or(rest.len());
    let (path, query) = rest.split_at(q);
    Some(Url {
        scheme,
        host,
        authority,
        path: if path.is_empty() { "/" } else { path },
        query: query.strip_prefix('?').unwrap_or(query),
        loopback,
    })
}

/// `""` or `:digits`.
fn port_ok(after: &str) -> Option<()> {
    match after.strip_prefix(':') {
        None if after.is_empty() => Some(()),
        Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => Some(()),
        _ => None,
    }
}

/// Resolves a reference found in a page (`href`, `src`) against the page's URL
/// (RFC 3986 §5.2, as browsers do for http(s) bases; tabs and newlines inside are
/// dropped as the URL standard does). A reference with its own scheme (`data:`,
/// `https:`, `javascript:`) comes back as it is, for the caller to judge. `None` when
/// the base is not an absolute http(s) URL or the result would be longer than
/// [`MAX_URL_BYTES`].
pub fn resolve(base: &str, reference: &str) -> Option<String> {
    let reference: String = reference
        .trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if reference.len() > MAX_URL_BYTES {
        return None;
    }
    if scheme_of(&reference).is_some() {
        return Some(reference);
    }
    let base = base.trim();
    let scheme = scheme_of(base)?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = base[scheme.len() + 1..].strip_prefix("//")?;
    let rest = rest.split('#').next().unwrap_or_default();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    let q = after.find('?').unwrap_or(after.len());
    let (base_path, base_query) = after.split_at(q);
    let base_path = if base_path.is_empty() { "/" } else { base_path };
    let reference = reference.split('#').next().unwrap_or_default();
    let out = if let Some(net) = reference.strip_prefix("//") {
        format!("{scheme}://{net}")
    } else if reference.is_empty() {
        format!("{scheme}://{authority}{base_path}{base_query}")
    } else if reference.starts_with('?') {
        format!("{scheme}://{authority}{base_path}{reference}")
    } else {
        let q = reference.find('?').unwrap_or(reference.len());
        let (path, query) = reference.split_at(q);
        let merged = if path.starts_with('/') {
            path.to_string()
        } else {
            let dir = base_path.rfind('/').map_or("/", |i| &base_path[..=i]);
            format!("{dir}{path}")
        };
        format!("{scheme}://{authority}{}{query}", dot_segments(&merged))
    };
    (out.len() <= MAX_URL_BYTES).then_some(out)
}

/// Removes `.` and `..` segments from an absolute path.
fn dot_segments(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            "." | ".." => {
                if *part == ".." {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            p => out.push(p),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let u = parse("  HTTPS://WWW.Credly.com:443/badges/x?y=1#frag ").unwrap();
        assert_eq!(u.host, "www.credly.com");
        assert_eq!(u.path, "/badges/x");
        assert_eq!(u.query, "y=1");
        assert_eq!(u.normalized(), "https://www.credly.com:443/badges/x?y=1");
        assert!(parse("http://[::1]:8080/a").unwrap().loopback);
        assert_eq!(
            parse("http://[::1]:8080/a").unwrap().normalized(),
            "http://[::1]:8080/a"
        );
        assert!(parse("http://localhost/").is_some());
        for bad in [
            "http://example.org/badge.json",
            "http://127.0.0.1.example.org/x",
            "javascript:alert(1)",
            "data:application/json,{}",
            "ftp://127.0.0.1/x.json",
            "https://user:pw@example.org/x.json",
            "https://example.org/a b.json",
            "https://exa\u{0}mple.org/",
            "https:///x",
            "https://ex%61mple.org/x",
            "https://example.org:99999999/x",
            "https://example.org\\@evil/x",
            "//example.org/x",
            "",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
        let long = format!("https://example.org/{}.json", "a".repeat(MAX_URL_BYTES));
        assert!(parse(&long).is_none());
    }

    #[test]
    fn resolves_references() {
        let base = "https://h.example/a/b/c?x=1#f";
        assert_eq!(resolve(base, "d").unwrap(), "https://h.example/a/b/d");
        assert_eq!(resolve(base, "../d?y").unwrap(), "https://h.example/a/d?y");
        assert_eq!(resolve(base, " /d#z ").unwrap(), "https://h.example/d");
        assert_eq!(resolve(base, "?q").unwrap(), "https://h.example/a/b/c?q");
        assert_eq!(resolve(base, "").unwrap(), "https://h.example/a/b/c?x=1");
        assert_eq!(
            resolve(base, "//o.example/p").unwrap(),
            "https://o.example/p"
        );
        assert_eq!(
            resolve(base, "data:image/png;base64,AA").unwrap(),
            "data:image/png;base64,AA"
        );
        assert_eq!(
            resolve("https://h.example", "p").unwrap(),
            "https://h.example/p"
        );
        assert_eq!(resolve(base, "/../../x").unwrap(), "https://h.example/x");
        assert!(resolve("file:///etc/", "x").is_none());
        assert!(resolve("nonsense", "x").is_none());
    }

    #[test]
    fn decodes_percent() {
        assert_eq!(percent_decode("a%2Fb%3a").unwrap(), "a/b:");
        assert!(percent_decode("%zz").is_none());
        assert!(percent_decode("%4").is_none());
        assert!(percent_decode("%ff").is_none());
    }
}
