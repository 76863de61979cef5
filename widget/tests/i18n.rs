//! The translation tables in `i18n/` are complete and consistent: every language has
//! every key of `en.json` (that `en.json` holds exactly the keys the widget uses is the
//! crate's unit test `i18n::tests::english_has_exactly_the_widgets_keys`),
//! no value is empty, each value uses the same `{placeholder}` names as English, no
//! value carries HTML markup characters, and the Serbian tables keep to their scripts.
//!
//! It only reads files, so it needs nothing from the crate itself.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The languages the widget ships; `en` is the reference.
const LANGS: [&str; 8] = ["en", "nl", "sl", "lt", "it", "es", "sr-Latn", "sr-Cyrl"];

/// The values the widget fills placeholders with.
const PLACEHOLDERS: [&str; 5] = ["issuer", "authority", "holder", "date", "host"];

/// Keys whose value is a code for programs, not text for people.
const CODES: [&str; 1] = ["meta.direction"];

type Table = BTreeMap<String, String>;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n")
}

/// The keys of a flat JSON object in the order they are written, duplicates included
/// (serde_json keeps only the last of two equal keys, which would hide a mistake).
fn written_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some((_, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, e)) = chars.next() {
                        s.push('\\');
                        s.push(e);
                    }
                }
                '"' => break,
                c => s.push(c),
            }
        }
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_some_and(|(_, c)| *c == ':') {
            keys.push(s);
        }
    }
    keys
}

fn load(lang: &str) -> Table {
    let path = dir().join(format!("{lang}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{lang}.json is not UTF-8: {e}"));
    assert!(
        !text.starts_with('\u{feff}'),
        "{lang}.json starts with a byte-order mark"
    );
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{lang}.json: {e}"));
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{lang}.json is not a JSON object"));
    let mut table = Table::new();
    for (key, v) in object {
        let s = v
            .as_str()
            .unwrap_or_else(|| panic!("{lang}.json: the value of {key:?} is not a string"));
        table.insert(key.clone(), s.to_string());
    }
    table
}

/// Fails with every problem found, one a line, so that a translator sees them all.
fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The `{name}` placeholders of a value, in order, or what is wrong with its braces.
fn placeholders(value: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find(['{', '}']) {
        if !rest[open..].starts_with('{') {
            return Err("a '}' without '{'".into());
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("an unclosed '{'".into());
        };
        let name = &after[..close];
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(format!("{{{name}}} is not a placeholder name"));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// The value with its placeholders taken out.
fn text_only(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// Latin letters, ASCII or not (š, ž, đ, …), as opposed to digits and punctuation.
fn is_latin(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
}

fn tables() -> BTreeMap<&'static str, Table> {
    LANGS.iter().map(|&l| (l, load(l))).collect()
}

#[test]
fn every_table_file_is_a_known_language() {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("widget/i18n/") {
        let path = entry.expect("a directory entry").path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if !LANGS.contains(&stem) {
                problems.push(format!("{} is none of {LANGS:?}", path.display()));
            }
        }
    }
    report(problems);
}

#[test]
fn no_key_is_written_twice() {
    let mut problems = Vec::new();
    for lang in LANGS {
        let path = dir().join(format!("{lang}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{lang}.json: {e}"));
        let mut seen = BTreeSet::new();
        for key in written_keys(&text) {
            if !seen.insert(key.clone()) {
                problems.push(format!("{lang}.json: {key:?} is written twice"));
            }
        }
    }
    report(problems);
}

#[test]
fn every_language_has_the_keys_of_english() {
    let all = tables();
    let en: BTreeSet<&String> = all["en"].keys().collect();
    let mut problems = Vec::new();
    for (lang, table) in &all {
        let keys: BTreeSet<&String> = table.keys().collect();
        for k in en.difference(&keys) {
            problems.push(format!("{lang}.json lacks {k:?}"));
        }
        for k in keys.difference(&en) {
            problems.push(format!("{lang}.json has {k:?}, which en.json lacks"));
        }
    }
    report(problems);
}

#[test]
fn no_value_is_empty_or_padded() {
    let mut problems = Vec::new();
    for (lang, table) in tables() {
        for (key, value) in &table {
            if value.trim().is_empty() {
                problems.push(format!("{lang}: {key} is empty"));
            } else if value.trim() != value {
                problems.push(format!("{lang}: {key} has leading or trailing space"));
            }
            if value.chars().any(char::is_control) {
                problems.push(format!(
                    "{lang}: {key} holds a control character (a line break?)"
                ));
            }
        }
    }
    report(problems);
}

#[test]
fn placeholders_are_the_same_as_in_english() {
    let all = tables();
    let en = &all["en"];
    let mut problems = Vec::new();
    for (key, value) in en {
        for name in placeholders(value).unwrap_or_default() {
            if !PLACEHOLDERS.contains(&name.as_str()) {
                problems.push(format!(
                    "en: {key}: {{{name}}} is none of the values the widget fills in {PLACEHOLDERS:?}"
                ));
            }
        }
    }
    for (lang, table) in &all {
        for (key, value) in table {
            let mut got = match placeholders(value) {
                Ok(names) => names,
                Err(e) => {
                    problems.push(format!("{lang}: {key}: {e} in {value:?}"));
                    continue;
                }
            };
            let Some(mut want) = en.get(key).and_then(|v| placeholders(v).ok()) else {
                continue;
            };
            want.sort();
            got.sort();
            if got != want {
                problems.push(format!(
                    "{lang}: {key}: placeholders {got:?}, en has {want:?} ({value:?})"
                ));
            }
        }
    }
    report(problems);
}

#[test]
fn no_markup_characters() {
    let mut problems = Vec::new();
    for (lang, table) in tables() {
        for (key, value) in &table {
            if value.contains(['<', '>']) {
                problems.push(format!("{lang}: {key} contains '<' or '>': {value:?}"));
            }
        }
    }
    report(problems);
}

#[test]
fn meta_keys_are_sensible() {
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for (lang, table) in tables() {
        let dir = table.get("meta.direction").map(String::as_str);
        if !matches!(dir, Some("ltr" | "rtl")) {
            problems.push(format!(
                "{lang}: meta.direction is {dir:?}, not \"ltr\" or \"rtl\""
            ));
        }
        let name = table.get("meta.language").cloned().unwrap_or_default();
        if !names.insert(name.clone()) {
            problems.push(format!(
                "{lang}: meta.language {name:?} is another language's too"
            ));
        }
    }
    report(problems);
}

#[test]
fn serbian_cyrillic_is_cyrillic() {
    let mut problems = Vec::new();
    for (key, value) in &load("sr-Cyrl") {
        if CODES.contains(&key.as_str()) {
            continue;
        }
        let text = text_only(value);
        if !text.chars().any(is_cyrillic) {
            problems.push(format!("sr-Cyrl: {key} has no Cyrillic letter: {value:?}"));
        }
        let latin: String = text.chars().filter(|&c| is_latin(c)).collect();
        if !latin.is_empty() {
            problems.push(format!(
                "sr-Cyrl: {key} has Latin letters outside placeholders ({latin:?}): {value:?}"
            ));
        }
    }
    report(problems);
}

#[test]
fn serbian_latin_is_latin() {
    let mut problems = Vec::new();
    for (key, value) in &load("sr-Latn") {
        if value.chars().any(is_cyrillic) {
            problems.push(format!("sr-Latn: {key} has Cyrillic letters: {value:?}"));
        }
    }
    report(problems);
}

#[test]
fn the_helpers_do_what_they_say() {
    assert_eq!(
        written_keys("{\"a\": \"x: y\", \"b\\\"c\" :\"{d}\", \"a\": \"\"}"),
        ["a", "b\\\"c", "a"]
    );
    assert_eq!(
        placeholders("{issuer} and {date}."),
        Ok(vec!["issuer".into(), "date".into()])
    );
    assert!(placeholders("a } b").is_err());
    assert!(placeholders("{issuer").is_err());
    assert!(placeholders("{Issuer}").is_err());
    assert_eq!(text_only("Издавалац {issuer} је"), "Издавалац  је");
    assert!(is_latin('š') && is_latin('A') && !is_latin('ш') && !is_latin('—'));
    assert!(is_cyrillic('ђ') && !is_cyrillic('đ'));
}
