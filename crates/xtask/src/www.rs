//! The static website `dist/www/`: the pages of `www/`, with the standard, the embedding
//! guide and the extension's guide (`docs/*.md`) rendered into them at build time, and
//! copies of `dist/widget` (as `widget/`) and `dist/pkg` (as `pkg/`). Needs both built
//! (`cargo xtask dist` builds them first).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::dist::{copy, copy_dir};
use crate::root;

/// The documents the site renders: the markdown file, its page, and the marker in the
/// page the rendered fragment replaces.
const DOCS: [(&str, &str); 3] = [
    ("standard.md", "standard.html"),
    ("embed.md", "embed.html"),
    ("extension.md", "extension.html"),
];
const MARKER: &str = "<!-- DOC -->";

/// A GitHub-style heading id: lower case, letters, digits, `-` and `_` kept, spaces
/// become `-`, everything else dropped.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Where a link of a document goes on the site: another rendered document's page
/// (with its fragment), an in-page fragment, an http(s) or mailto URL; `None` for
/// anything else (a repository file the site does not carry, a script URL), which is
/// then shown as plain text.
fn site_link(dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    if dest.starts_with('#')
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
    {
        return Some(dest.to_string());
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let file = path.trim_start_matches("./").trim_start_matches("docs/");
    let page = DOCS.iter().find(|(md, _)| *md == file).map(|(_, p)| *p)?;
    Some(match fragment {
        Some(f) => format!("{page}#{f}"),
        None => page.to_string(),
    })
}

/// Renders one markdown document to an HTML fragment: tables, ids on headings, raw
/// HTML escaped (shown as text, never passed through), links rewritten to the site's
/// pages or dropped (kept as text). The document's own `#` title is the page's `<h1>`.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    // Links dropped: their closing events are dropped too.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                // The heading's text, for its id.
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() {
                    match &events[j] {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    j += 1;
                }
                let base = slug(&text);
                let n = used.entry(base.clone()).or_insert(0);
                let id = if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                *n += 1;
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match site_link(dest_url) {
                Some(dest) => {
                    dropped_links.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type: if *link_type == LinkType::Email {
                            LinkType::Email
                        } else {
                            LinkType::Inline
                        },
                        dest_url: CowStr::from(dest),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                None => dropped_links.push(true),
            },
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            // A wide table scrolls on its own: a region that keyboards can reach.
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(CowStr::from(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">",
                )));
                out.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html(CowStr::from("</div>")));
            }
            // So does a long code block.
            Event::Start(Tag::CodeBlock(_)) => {
                out.push(Event::Html(CowStr::from(
                    "<div class=\"code-wrap\" role=\"region\" aria-label=\"Code\" tabindex=\"0\">",
                )));
                out.push(events[i].clone());
            }
            Event::End(TagEnd::CodeBlock) => {
                out.push(Event::End(TagEnd::CodeBlock));
                out.push(Event::Html(CowStr::from("</div>")));
            }
            // Images in the docs would load from wherever they point: shown as their alt text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw.clone())),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut fragment = String::new();
    html::push_html(&mut fragment, out.into_iter());
    fragment
}

/// Builds `dist/www/` and returns its path.
pub fn build() -> Result<PathBuf, String> {
    let root = root();
    let src = root.join("www");
    let widget = root.join("dist/widget");
    let pkg = root.join("dist/pkg");
    for need in [pkg.join("index.js"), widget.join("qlabel_widget_bg.wasm")] {
        if !need.exists() {
            return Err(format!(
                "{} is not built: run `cargo xtask dist` first",
                need.display()
            ));
        }
    }
    let done = root.join("dist/www");
    let out = root.join(format!("dist/www.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    copy_dir(&src, &out)?;
    for (md, page) in DOCS {
        let text = std::fs::read_to_string(root.join("docs").join(md))
            .map_err(|e| format!("docs/{md}: {e}"))?;
        inject(&out.join(page), &render(&text))?;
    }
    // The widget without its own copy of the package (the site's pkg/ is the same) and
    // without its demo page.
    std::fs::create_dir_all(out.join("widget")).map_err(|e| e.to_string())?;
    for name in [
        "qlabel-widget.js",
        "qlabel_widget.js",
        "qlabel_widget_bg.wasm",
        "LICENSE",
        "README.md",
    ] {
        copy(&widget.join(name), &out.join("widget").join(name))?;
    }
    copy_dir(&pkg, &out.join("widget/pkg"))?;
    copy_dir(&pkg, &out.join("pkg"))?;
    copy(&root.join("LICENSE"), &out.join("LICENSE"))?;
    // The extension's packages, when they are built (the extension page links them).
    for browser in ["chromium", "firefox"] {
        let zip = root.join(format!("dist/extension/qlabel-{browser}.zip"));
        if zip.exists() {
            std::fs::create_dir_all(out.join("downloads")).map_err(|e| e.to_string())?;
            copy(&zip, &out.join(format!("downloads/qlabel-{browser}.zip")))?;
        }
    }
    let _ = std::fs::remove_dir_all(&done);
    std::fs::rename(&out, &done).map_err(|e| format!("{}: {e}", done.display()))?;
    eprintln!("\nthe website is in {}", done.display());
    Ok(done)
}

/// Puts `fragment` in place of the page's marker.
fn inject(page: &Path, fragment: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    if !text.contains(MARKER) {
        return Err(format!("{} has no {MARKER} marker", page.display()));
    }
    std::fs::write(page, text.replacen(MARKER, fragment, 1))
        .map_err(|e| format!("{}: {e}", page.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_and_links_rewritten() {
        let html = render(
            "# A: b `c`\n\n<script>alert(1)</script>\n\nx <b>y</b> [e](embed.md#z) [r](../README.md) [j](javascript:alert(1)) [w](https://example.org)\n",
        );
        assert!(html.contains("<h1 id=\"a-b-c\">"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("href=\"embed.html#z\""), "{html}");
        assert!(!html.contains("README"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }
}
