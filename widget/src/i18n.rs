//! Translations: the tables in `widget/i18n/` (flat JSON, key → text with `{name}`
//! placeholders), the choice of language, and dates per language.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

/// A chosen language: its table, and the locale dates are formatted with.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lang {
    /// A table's name: en, nl, sl, lt, it, es, sr-Latn or sr-Cyrl.
    pub code: &'static str,
    /// `code` with the region of the tag it came from (`en-GB`, `sr-Cyrl-RS`).
    pub locale: String,
}

impl Default for Lang {
    fn default() -> Self {
        Lang {
            code: "en",
            locale: "en".into(),
        }
    }
}

/// The language of one BCP 47 tag, when the widget speaks it. Serbian is written in
/// Latin script unless the tag asks for Cyrillic (`sr-Cyrl`, `sr-Cyrl-RS`).
pub fn resolve(tag: &str) -> Option<Lang> {
    let parts: Vec<String> = tag
        .trim()
        .split(['-', '_'])
        .map(str::to_ascii_lowercase)
        .collect();
    let primary = parts.first()?.as_str();
    let code = match primary {
        "en" => "en",
        "nl" => "nl",
        "sl" => "sl",
        "lt" => "lt",
        "it" => "it",
        "es" => "es",
        "sr" if parts.iter().any(|p| p == "cyrl") => "sr-Cyrl",
        "sr" => "sr-Latn",
        _ => return None,
    };
    let region = parts
        .iter()
        .skip(1)
        .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|r| r.to_ascii_uppercase());
    let locale = match region {
        Some(r) => format!("{code}-{r}"),
        None => code.to_string(),
    };
    Some(Lang { code, locale })
}

/// The first tag the widget speaks (the element's `lang`, the page's, the browser's
/// languages, in that order), else English.
pub fn choose<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
    tags.into_iter().find_map(resolve).unwrap_or_default()
}

type Table = Rc<HashMap<String, String>>;

thread_local! {
    static PARSED: RefCell<HashMap<&'static str, Table>> = RefCell::new(HashMap::new());
}

fn table(code: &'static str) -> Table {
    PARSED.with(|p| {
        p.borrow_mut()
            .entry(code)
            .or_insert_with(|| {
                let text = TABLES
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, t)| *t)
                    .unwrap_or("{}");
                Rc::new(serde_json::from_str(text).unwrap_or_default())
            })
            .clone()
    })
}

/// The text of a key in a language, falling back to English, then to the key itself.
pub fn text(code: &'static str, key: &str) -> String {
    table(code)
        .get(key)
        .filter(|s| !s.is_empty())
        .cloned()
        .or_else(|| table("en").get(key).cloned())
        .unwrap_or_else(|| key.to_string())
}

/// Appends a value to a sentence. A value with explicit bidirectional formatting
/// characters (a right-to-left override in a badge's name…) is put in an isolate
/// (FSI … PDI) so that they cannot reorder the sentence's own words; extra isolates
/// open and close around it to match the value's own unmatched PDIs and isolates.
fn push_isolated(out: &mut String, v: &str) {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    if !v.chars().any(bidi) {
        out.push_str(v);
        return;
    }
    let (mut open, mut stray) = (0usize, 0usize);
    for c in v.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => open += 1,
            '\u{2069}' if open > 0 => open -= 1,
            '\u{2069}' => stray += 1,
            _ => {}
        }
    }
    out.extend(std::iter::repeat_n('\u{2068}', stray + 1));
    out.push_str(v);
    out.extend(std::iter::repeat_n('\u{2069}', open + 1));
}

/// Fills `{name}` placeholders (the values are text: they are never markup). One pass
/// over the template: a value is never read again, so a name that holds `{authority}`
/// shows as written, not as the authority's name.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            args.iter()
                .find(|(k, _)| *k == &after[..close])
                .map(|(_, v)| (close, v))
        });
        match value {
            Some((close, v)) => {
                push_isolated(&mut out, v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A date (RFC 3339) in the language's long form, with `Intl.DateTimeFormat`; the text
/// as given when it is not a date.
pub fn date(locale: &str, iso: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsValue;
        let d = js_sys::Date::new(&JsValue::from_str(iso));
        if d.get_time().is_nan() {
            return iso.to_string();
        }
        // A formatter is costly to make: one per locale, kept.
        thread_local! {
            static FORMATS: RefCell<HashMap<String, js_sys::Intl::DateTimeFormat>> =
                RefCell::new(HashMap::new());
        }
        let f = FORMATS.with(|m| {
            m.borrow_mut()
                .entry(locale.to_string())
                .or_insert_with(|| {
                    let opts = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&opts, &"dateStyle".into(), &"long".into());
                    let locales = js_sys::Array::of1(&JsValue::from_str(locale));
                    js_sys::Intl::DateTimeFormat::new(&locales, &opts)
                })
                .clone()
        });
        f.format()
            .call1(&f, &d)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| iso.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        iso.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(resolve("nl-BE").map(|l| l.locale), Some("nl-BE".into()));
        assert_eq!(resolve("sr").map(|l| l.code), Some("sr-Latn"));
        assert_eq!(resolve("sr-RS").map(|l| l.code), Some("sr-Latn"));
        assert_eq!(
            resolve("sr-Latn-RS").map(|l| l.locale),
            Some("sr-Latn-RS".into())
        );
        assert_eq!(resolve("sr-Cyrl").map(|l| l.code), Some("sr-Cyrl"));
        assert_eq!(
            resolve("SR_cyrl_rs").map(|l| l.locale),
            Some("sr-Cyrl-RS".into())
        );
        assert_eq!(resolve("fr"), None);
        assert_eq!(resolve(""), None);
        assert_eq!(resolve("en-!!").map(|l| l.locale), Some("en".into()));
        assert_eq!(choose(["", "fr", "lt-LT", "nl"]).code, "lt");
        assert_eq!(choose(["de"]).code, "en");
    }

    #[test]
    fn english_has_exactly_the_widgets_keys() {
        let en = table("en");
        for key in crate::view::KEYS {
            assert!(en.contains_key(key), "en.json lacks {key}");
        }
        // Nothing more than the widget uses, and the two that describe the table.
        for key in en.keys() {
            assert!(
                crate::view::KEYS.contains(&key.as_str())
                    || matches!(key.as_str(), "meta.language" | "meta.direction"),
                "en.json has {key}, which the widget never uses"
            );
        }
        assert!(en.contains_key("meta.language") && en.contains_key("meta.direction"));
        assert_eq!(text("nl", "no.such.key"), "no.such.key");
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            fill(
                "{issuer} from {authority}.",
                &[("issuer", "<b>A</b>"), ("authority", "B")]
            ),
            "<b>A</b> from B."
        );
        // Values are not filled in again: a hostile name shows as written.
        assert_eq!(
            fill(
                "{issuer} from {authority} ({unknown}, {).",
                &[
                    ("issuer", "{authority} {issuer}"),
                    ("authority", "B {name}"),
                    ("name", "N")
                ]
            ),
            "{authority} {issuer} from B {name} ({unknown}, {)."
        );
        // Bidirectional overrides stay inside the value.
        assert_eq!(
            fill("{issuer} holds it.", &[("issuer", "A")]),
            "A holds it."
        );
        assert_eq!(
            fill("{issuer} holds it.", &[("issuer", "\u{202E}A")]),
            "\u{2068}\u{202E}A\u{2069} holds it."
        );
        assert_eq!(
            fill("{issuer} holds it.", &[("issuer", "\u{2069}\u{2067}A")]),
            "\u{2068}\u{2068}\u{2069}\u{2067}A\u{2069}\u{2069} holds it."
        );
    }
}
