//! The Verifiable Credentials data model (1.1 and 2.0) and the Open Badges 3.0 / CLR 2.0
//! shapes on top of it: what a well-formed credential or presentation looks like.

use crate::datetime;
use serde_json::{Map, Value};

/// The base context of VC Data Model 1.1.
pub const VC_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// The base context of VC Data Model 2.0.
pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";

/// Which data model a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataModel {
    V1,
    V2,
}

/// Reads the base context: the first `@context` entry must be the VC 1.1 or 2.0 one.
pub fn data_model(doc: &Map<String, Value>) -> Result<DataModel, String> {
    let ctx = doc
        .get("@context")
        .ok_or_else(|| "no @context".to_string())?;
    let entries: Vec<&Value> = match ctx {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for e in &entries {
        match e {
            Value::String(_) | Value::Object(_) => {}
            _ => return Err("@context entries must be URLs or objects".into()),
        }
    }
    match entries.first().and_then(|v| v.as_str()) {
        Some(VC_V2) => Ok(DataModel::V2),
        Some(VC_V1) => Ok(DataModel::V1),
        _ => Err(format!(
            "the first @context must be {VC_V2} (or {VC_V1} for VC Data Model 1.1)"
        )),
    }
}

/// The `type` values of a node (a string or a list of strings).
pub fn types(node: &Value) -> Vec<&str> {
    node.as_object().map(map_types).unwrap_or_default()
}

/// The `type` values of an object.
pub fn map_types(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Does the text look like an absolute URL / URI (a scheme, then a colon)?
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The issuer id, whether `issuer` is a URL or an object with an `id`.
pub fn issuer_id(doc: &Map<String, Value>) -> Option<&str> {
    match doc.get("issuer") {
        Some(Value::String(s)) => Some(s),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

fn list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

/// Problems that make a credential malformed, in the order found; empty when well-formed.
pub fn credential_problems(doc: &Map<String, Value>) -> Vec<String> {
    let mut p = Vec::new();
    let model = match data_model(doc) {
        Ok(m) => Some(m),
        Err(e) => {
            p.push(e);
            None
        }
    };
    let ty = map_types(doc);
    if !ty.contains(&"VerifiableCredential") {
        p.push("type must include VerifiableCredential".into());
    }
    check_id_value(doc.get("id"), "id", &mut p);
    match doc.get("issuer") {
        None => p.push("no issuer".into()),
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) => match o.get("id") {
            Some(Value::String(s)) if is_url(s) => check_language_values(o, "issuer ", &mut p),
            _ => p.push("issuer.id must be a URL".into()),
        },
        Some(_) => p.push("issuer must be a URL or an object with a URL id".into()),
    }
    match doc.get("credentialSubject") {
        None => p.push("no credentialSubject".into()),
        Some(cs) => {
            let subjects = list(cs);
            if subjects.is_empty() {
                p.push("credentialSubject is empty".into());
            }
            for s in subjects {
                match s.as_object() {
                    Some(o) if o.is_empty() => p.push("a credentialSubject makes no claims".into()),
                    Some(o) => check_id_value(o.get("id"), "credentialSubject.id", &mut p),
                    None => p.push("credentialSubject must be an object".into()),
                }
            }
        }
    }
    check_language_values(doc, "", &mut p);
    match model {
        Some(DataModel::V2) => {
            let from = check_date(doc, "validFrom", false, &mut p);
            let until = check_date(doc, "validUntil", false, &mut p);
            if let (Some(f), Some(u)) = (from, until) {
                if u < f {
                    p.push("validUntil is before validFrom".into());
                }
            }
        }
        Some(DataModel::V1) => {
            check_date(doc, "issuanceDate", true, &mut p);
            check_date(doc, "expirationDate", false, &mut p);
        }
        None => {}
    }
    for (key, need_id) in [
        ("credentialStatus", false),
        ("credentialSchema", true),
        ("refreshService", false),
        ("termsOfUse", false),
        ("evidence", false),
        ("proof", false),
    ] {
        if let Some(v) = doc.get(key) {
            for item in list(v) {
                let Some(o) = item.as_object() else {
                    p.push(format!("{key} entries must be objects"));
                    continue;
                };
                if types(item).is_empty() {
                    p.push(format!("every {key} needs a type"));
                }
                match o.get("id") {
                    None if need_id => p.push(format!("every {key} needs an id")),
                    None => {}
                    Some(id) => check_id_value(Some(id), &format!("{key}.id"), &mut p),
                }
            }
        }
    }
    p
}

/// Extra checks for Open Badges 3.0 / CLR 2.0 credentials. Returns (problems, warnings).
pub fn open_badges_problems(doc: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut p = Vec::new();
    let mut w = Vec::new();
    let ty = map_types(doc);
    let is_ob = ty
        .iter()
        .any(|t| matches!(*t, "OpenBadgeCredential" | "AchievementCredential"));
    if !is_ob {
        return (p, w);
    }
    if let Some(Value::Array(ctx)) = doc.get("@context") {
        for c in ctx.iter().filter_map(Value::as_str) {
            if let Some(v) = c.strip_prefix("https://purl.imsglobal.org/spec/ob/v3p0/context-") {
                if v != "3.0.3.json" {
                    w.push(format!("uses the older Open Badges context {c}; the current one is context-3.0.3.json"));
                }
            }
        }
    }
    if let Some(Value::Object(issuer)) = doc.get("issuer") {
        if !map_types(issuer).contains(&"Profile") {
            p.push("an Open Badges issuer must be a Profile".into());
        }
    } else if doc.get("issuer").is_some() {
        w.push("Open Badges 3.0 expects the issuer as a Profile object".into());
    }
    let subjects = doc.get("credentialSubject").map(list).unwrap_or_default();
    for s in subjects {
        match s.get("achievement") {
            Some(a @ Value::Object(_)) => {
                if !types(a).contains(&"Achievement") {
                    p.push("credentialSubject.achievement must be an Achievement".into());
                }
                for field in ["id", "name", "criteria"] {
                    if a.get(field).is_none() {
                        p.push(format!("the achievement has no {field}"));
                    }
                }
            }
            _ => p.push("an Open Badge's credentialSubject needs an achievement".into()),
        }
    }
    (p, w)
}

/// Problems of a presentation (the data-model test suite feeds these too).
pub fn presentation_problems(doc: &Map<String, Value>) -> Vec<String> {
    let mut p = Vec::new();
    if let Err(e) = data_model(doc) {
        p.push(e);
    }
    if !map_types(doc).contains(&"VerifiablePresentation") {
        p.push("type must include VerifiablePresentation".into());
    }
    check_id_value(doc.get("id"), "id", &mut p);
    match doc.get("holder") {
        None => {}
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::Object(o)) if o.get("id").and_then(Value::as_str).is_some_and(is_url) => {}
        Some(_) => p.push("holder must be a URL or an object with a URL id".into()),
    }
    if let Some(vcs) = doc.get("verifiableCredential") {
        for vc in list(vcs) {
            match vc.as_object() {
                None => p.push("verifiableCredential entries must be objects".into()),
                Some(o) if types(vc).contains(&"EnvelopedVerifiableCredential") => {
                    if !o
                        .get("id")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.starts_with("data:"))
                    {
                        p.push("an EnvelopedVerifiableCredential needs a data: URL id".into());
                    }
                }
                Some(o) => p.extend(
                    credential_problems(o)
                        .into_iter()
                        .map(|e| format!("verifiableCredential: {e}")),
                ),
            }
        }
    }
    p
}

fn check_id_value(id: Option<&Value>, what: &str, p: &mut Vec<String>) {
    match id {
        None => {}
        Some(Value::String(s)) if is_url(s) => {}
        Some(Value::String(s)) => p.push(format!("{what} '{s}' is not a URL")),
        Some(_) => p.push(format!("{what} must be a single URL")),
    }
}

/// `name` and `description` are strings or language value objects, nothing else.
fn check_language_values(o: &Map<String, Value>, prefix: &str, p: &mut Vec<String>) {
    for key in ["name", "description"] {
        let Some(v) = o.get(key) else { continue };
        for item in list(v) {
            match item {
                Value::String(_) => {}
                Value::Object(m) => {
                    let ok = m.get("@value").is_some_and(Value::is_string)
                        && m.keys()
                            .all(|k| matches!(k.as_str(), "@value" | "@language" | "@direction"));
                    if !ok {
                        p.push(format!("{prefix}{key} must be text or a language value"));
                    }
                }
                _ => p.push(format!("{prefix}{key} must be text")),
            }
        }
    }
}

fn check_date(
    o: &Map<String, Value>,
    key: &str,
    required: bool,
    p: &mut Vec<String>,
) -> Option<time::OffsetDateTime> {
    match o.get(key) {
        None if required => {
            p.push(format!("no {key}"));
            None
        }
        None => None,
        Some(Value::String(s)) => match datetime::parse(s) {
            Some(t) => Some(t.at),
            None => {
                p.push(format!("{key} '{s}' is not a dateTime"));
                None
            }
        },
        Some(_) => {
            p.push(format!("{key} must be a dateTime string"));
            None
        }
    }
}

/// Every problem of a credential or presentation, including JSON-LD in safe mode (terms
/// the contexts do not define, relative IRIs, unknown contexts); empty when well-formed.
pub fn well_formed_problems(doc: &Map<String, Value>) -> Vec<String> {
    let mut p = if map_types(doc).contains(&"VerifiablePresentation") {
        presentation_problems(doc)
    } else {
        credential_problems(doc)
    };
    if p.is_empty() {
        // The proof is judged by its own algorithm, not as part of the document.
        let mut unsecured = doc.clone();
        unsecured.remove("proof");
        if let Err(e) = crate::jsonld::check(&Value::Object(unsecured)) {
            p.push(format!("JSON-LD: {e}"));
        }
    }
    p
}
