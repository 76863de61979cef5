//! Which URLs from a report may be used, and how: nothing from a badge is ever trusted as
//! markup or as a script-bearing URL.

fn clean(url: &str) -> Option<&str> {
    let url = url.trim();
    // Control characters, whitespace and backslashes are how scheme filters get fooled.
    if url.is_empty()
        || url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    Some(url)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Whether a host (as in a URL's authority, port included) is this machine.
fn is_loopback(authority: &str) -> bool {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, _)) => return h == "::1",
            None => return false,
        }
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|p| p.parse::<u8>().is_ok()))
}

/// A URL that may be made a link: `https:`, or `http:` to this machine (tests, the
/// demo). Never `javascript:`, `data:` or anything else.
pub fn link_url(url: &str) -> Option<String> {
    let url = clean(url)?;
    let (rest, https) = if let Some(r) = strip_prefix_ci(url, "https://") {
        (r, true)
    } else {
        (strip_prefix_ci(url, "http://")?, false)
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    if !https && !is_loopback(authority) {
        return None;
    }
    Some(url.to_string())
}

/// A URL that may be an `<img>`'s source: a link URL, or a `data:` URL of a raster or
/// SVG image (an image element runs no script). Never made a link.
pub fn image_url(url: &str) -> Option<String> {
    if let Some(u) = link_url(url) {
        return Some(u);
    }
    let url = clean(url)?;
    let rest = strip_prefix_ci(url, "data:image/")?;
    for t in ["png", "jpeg", "jpg", "gif", "webp", "svg+xml"] {
        if let Some(after) = strip_prefix_ci(rest, t) {
            if after.starts_with(';') || after.starts_with(',') {
                return Some(url.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert!(link_url("https://labels.example.org/c/1").is_some());
        assert!(link_url("HTTPS://labels.example.org").is_some());
        assert!(link_url("http://127.0.0.1:8080/cert").is_some());
        assert!(link_url("http://localhost/cert").is_some());
        assert!(link_url("http://[::1]:80/x").is_some());
        assert!(link_url("http://example.org/cert").is_none());
        assert!(link_url("http://127.0.0.1.evil.example/").is_none());
        assert!(link_url("javascript:alert(1)").is_none());
        assert!(link_url(" javascript:alert(1)").is_none());
        assert!(link_url("java\tscript:alert(1)").is_none());
        assert!(link_url("data:text/html,<script>alert(1)</script>").is_none());
        assert!(link_url("data:image/png;base64,AAAA").is_none());
        assert!(link_url("https://user@evil.example").is_none());
        assert!(link_url("https:\\\\evil.example").is_none());
        assert!(link_url("//evil.example").is_none());
        assert!(link_url("https://").is_none());
    }

    #[test]
    fn images() {
        assert!(image_url("data:image/png;base64,iVBORw0KGgo=").is_some());
        assert!(image_url("data:image/svg+xml,%3Csvg%3E").is_some());
        assert!(image_url("https://badges.example.org/i.png").is_some());
        assert!(image_url("data:text/html;base64,PHNjcmlwdD4=").is_none());
        assert!(image_url("data:image/pngx,AAAA").is_none());
        assert!(image_url("javascript:alert(1)").is_none());
        assert!(image_url("http://evil.example/i.png").is_none());
    }
}
