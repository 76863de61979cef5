//! Deserialize JSON-LD to RDF (API §8.1–8.3 / jsonld.js `toRdf.js`), straight from the
//! expanded tree. Node-map generation is not materialised: its merging of nodes only
//! unions their triples, which the RDF dataset (a set) and RDFC-1.0 do anyway.

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use serde_json::{Number, Value};

use super::context::FxMap;
use super::error::JsonLdError;
use super::expand::{Exp, Lit, Node, Val};
use super::iri::{has_only_iri_chars, is_absolute_iri};
use super::limits;

const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// Emits the quads of an expanded document.
#[derive(Debug, Default)]
pub(crate) struct Emitter {
    pub quads: Vec<Quad>,
    labels: FxMap<String, BlankNode>,
    bnodes: usize,
}

fn named(iri: &str, what: &str) -> Result<NamedNode, JsonLdError> {
    if !is_absolute_iri(iri) {
        return Err(JsonLdError::RelativeIri(format!(
            "{what} \"{iri}\" is a relative IRI reference; the base IRI is null, so it cannot be represented in RDF"
        )));
    }
    if !has_only_iri_chars(iri) {
        return Err(JsonLdError::InvalidDocument(format!(
            "{what} \"{iri}\" contains characters that are not allowed in IRIs"
        )));
    }
    Ok(NamedNode::new_unchecked(iri))
}

impl Emitter {
    fn fresh(&mut self) -> Result<BlankNode, JsonLdError> {
        if self.bnodes >= limits::MAX_BLANK_NODES {
            return Err(JsonLdError::Limit(format!(
                "the document produces more than {} blank nodes",
                limits::MAX_BLANK_NODES
            )));
        }
        let b = BlankNode::new_unchecked(format!("b{}", self.bnodes));
        self.bnodes += 1;
        Ok(b)
    }

    fn label(&mut self, id: &str) -> Result<BlankNode, JsonLdError> {
        if let Some(b) = self.labels.get(id) {
            return Ok(b.clone());
        }
        let b = self.fresh()?;
        self.labels.insert(id.to_owned(), b.clone());
        Ok(b)
    }

    fn resource(&mut self, iri: &str, what: &str) -> Result<NamedOrBlankNode, JsonLdError> {
        if iri.starts_with("_:") {
            Ok(self.label(iri)?.into())
        } else {
            Ok(named(iri, what)?.into())
        }
    }

    fn push(
        &mut self,
        s: NamedOrBlankNode,
        p: NamedNode,
        o: Term,
        g: &GraphName,
    ) -> Result<(), JsonLdError> {
        if self.quads.len() >= limits::MAX_QUADS {
            return Err(JsonLdError::Limit(format!(
                "the document produces more than {} RDF quads",
                limits::MAX_QUADS
            )));
        }
        self.quads.push(Quad::new(s, p, o, g.clone()));
        Ok(())
    }

    /// A top-level item of a graph.
    pub(crate) fn emit_top(&mut self, item: &Exp<'_>, g: &GraphName) -> Result<(), JsonLdError> {
        if let Exp::Node(n) = item {
            self.emit_node(n, g)?;
        }
        Ok(())
    }

    fn emit_node(&mut self, n: &Node<'_>, g: &GraphName) -> Result<NamedOrBlankNode, JsonLdError> {
        let s: NamedOrBlankNode = match &n.id {
            Some(id) => self.resource(id, "the node identifier")?,
            None => self.fresh()?.into(),
        };
        for t in &n.types {
            let o: Term = self.resource(t, "the type")?.into();
            self.push(s.clone(), rdf::TYPE.into_owned(), o, g)?;
        }
        for (p, items) in &n.props {
            let pred = predicate(p)?;
            for it in items {
                let o = self.emit_object(it, g)?;
                self.push(s.clone(), pred.clone(), o, g)?;
            }
        }
        for (p, items) in &n.reverse {
            let pred = predicate(p)?;
            for it in items {
                if let Exp::Node(rn) = it {
                    let rs = self.emit_node(rn, g)?;
                    self.push(rs, pred.clone(), s.clone().into(), g)?;
                }
            }
        }
        if let Some(gitems) = &n.graph {
            let gn: GraphName = match &s {
                NamedOrBlankNode::NamedNode(nn) => nn.clone().into(),
                NamedOrBlankNode::BlankNode(b) => b.clone().into(),
            };
            for it in gitems {
                self.emit_top(it, &gn)?;
            }
        }
        for it in &n.included {
            self.emit_top(it, g)?;
        }
        Ok(s)
    }

    fn emit_object(&mut self, item: &Exp<'_>, g: &GraphName) -> Result<Term, JsonLdError> {
        match item {
            Exp::Node(n) => Ok(self.emit_node(n, g)?.into()),
            Exp::Value(v) => Ok(literal(v)?.into()),
            Exp::List(items) => self.emit_list(items, g),
        }
    }

    fn emit_list(&mut self, items: &[Exp<'_>], g: &GraphName) -> Result<Term, JsonLdError> {
        if items.is_empty() {
            return Ok(rdf::NIL.into_owned().into());
        }
        let head = self.fresh()?;
        let mut cur = head.clone();
        let n = items.len();
        for (i, it) in items.iter().enumerate() {
            let o = self.emit_object(it, g)?;
            self.push(cur.clone().into(), rdf::FIRST.into_owned(), o, g)?;
            if i + 1 == n {
                self.push(cur.clone().into(), rdf::REST.into_owned(), rdf::NIL.into_owned().into(), g)?;
            } else {
                let next = self.fresh()?;
                self.push(cur.clone().into(), rdf::REST.into_owned(), next.clone().into(), g)?;
                cur = next;
            }
        }
        Ok(head.into())
    }
}

fn predicate(p: &str) -> Result<NamedNode, JsonLdError> {
    if p.starts_with("_:") {
        return Err(JsonLdError::InvalidDocument(format!(
            "the property \"{p}\" expands to a blank node, which RDF does not allow as a predicate; it would be dropped"
        )));
    }
    named(p, "the property")
}

fn literal(v: &Val<'_>) -> Result<Literal, JsonLdError> {
    let dt = v.datatype.as_deref();
    let typed = |value: String, default: NamedNode| -> Result<Literal, JsonLdError> {
        let datatype = match dt {
            Some(d) => named(d, "the datatype")?,
            None => default,
        };
        Ok(Literal::new_typed_literal(value, datatype))
    };
    match &v.lit {
        Lit::Json(j) => {
            let mut s = String::new();
            jcs(j, &mut s);
            Ok(Literal::new_typed_literal(s, NamedNode::new_unchecked(RDF_JSON)))
        }
        Lit::Bool(b) => typed(b.to_string(), xsd::BOOLEAN.into_owned()),
        Lit::Num(n) => {
            let f = number_as_f64(n);
            if dt == Some(XSD_DOUBLE) || js_is_double(f) {
                typed(canonical_double(f), xsd::DOUBLE.into_owned())
            } else {
                typed(js_to_fixed0(f), xsd::INTEGER.into_owned())
            }
        }
        Lit::Str(s) => {
            if dt == Some(XSD_DOUBLE) {
                typed(canonical_double(js_parse_float(s)), xsd::DOUBLE.into_owned())
            } else if let Some(d) = dt {
                Ok(Literal::new_typed_literal(*s, named(d, "the datatype")?))
            } else if let Some(l) = &v.language {
                Ok(Literal::new_language_tagged_literal_unchecked(*s, l.as_str()))
            } else {
                Ok(Literal::new_simple_literal(*s))
            }
        }
    }
}

/// The value a JavaScript processor would see for a JSON number.
fn number_as_f64(n: &Number) -> f64 {
    if let Some(i) = n.as_i64() {
        i as f64
    } else if let Some(u) = n.as_u64() {
        u as f64
    } else {
        n.as_f64().unwrap_or(f64::NAN)
    }
}

/// jsonld.js' test for "double": `String(v)` contains a `.`, or `|v| >= 1e21`.
/// (So `1e-7`, written `"1e-7"` by JavaScript, counts as an integer, as in jsonld.js.)
fn js_is_double(f: f64) -> bool {
    if !f.is_finite() || f.abs() >= 1e21 {
        return true;
    }
    let mut buf = ryu_js::Buffer::new();
    buf.format_finite(f).contains('.')
}

/// `Number.prototype.toFixed(0)` for values below 1e21.
fn js_to_fixed0(f: f64) -> String {
    let mut buf = ryu_js::Buffer::new();
    let s = buf.format_to_fixed(f, 0);
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Canonical xsd:double lexical form as jsonld.js writes it:
/// `value.toExponential(15).replace(/(\d)0*e\+?/, '$1E')`.
pub(crate) fn canonical_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let f = if f == 0.0 { 0.0 } else { f };
    let s = format!("{f:.15e}");
    let Some(epos) = s.find('e') else {
        return s;
    };
    let (mant, exp) = (&s[..epos], &s[epos + 1..]);
    let mant = match mant.find('.') {
        Some(_) => {
            let t = mant.trim_end_matches('0');
            if t.ends_with('.') {
                format!("{t}0")
            } else {
                t.to_owned()
            }
        }
        None => mant.to_owned(),
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    format!("{mant}E{exp}")
}

/// JavaScript `parseFloat`.
fn js_parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if t[i..].starts_with("Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut mantissa_digits = i - digits_start;
    if i < b.len() && b[i] == b'.' {
        let dot = i;
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        mantissa_digits += i - frac_start;
        if mantissa_digits == 0 {
            i = dot;
        }
    }
    if mantissa_digits == 0 {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    t[..i].parse::<f64>().unwrap_or(f64::NAN)
}

/// RFC 8785 (JCS) serialisation, as the lexical form of `rdf:JSON` literals.
pub(crate) fn jcs(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let f = number_as_f64(n);
            if f == 0.0 {
                out.push('0');
            } else {
                let mut buf = ryu_js::Buffer::new();
                out.push_str(buf.format(f));
            }
        }
        Value::String(s) => jcs_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                jcs(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                jcs_string(k, out);
                out.push(':');
                if let Some(x) = m.get(k.as_str()) {
                    jcs(x, out);
                }
            }
            out.push('}');
        }
    }
}

fn jcs_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles() {
        assert_eq!(canonical_double(1.5), "1.5E0");
        assert_eq!(canonical_double(0.1), "1.0E-1");
        assert_eq!(canonical_double(123.456), "1.23456E2");
        assert_eq!(canonical_double(0.0), "0.0E0");
        assert_eq!(canonical_double(-0.0), "0.0E0");
        assert_eq!(canonical_double(1e21), "1.0E21");
        assert_eq!(canonical_double(-2.5e-7), "-2.5E-7");
        assert_eq!(canonical_double(5.0), "5.0E0");
    }

    #[test]
    fn integers() {
        assert_eq!(js_to_fixed0(5.0), "5");
        assert_eq!(js_to_fixed0(-0.0), "0");
        assert_eq!(js_to_fixed0(9007199254740993_u64 as f64), "9007199254740992");
        assert_eq!(js_to_fixed0(1e-7), "0");
        assert_eq!(js_to_fixed0(-0.4), "0");
        assert_eq!(js_to_fixed0(2.5), "3");
        assert!(!js_is_double(1e-7));
        assert!(js_is_double(1.5e-7));
        assert!(!js_is_double(5.0));
        assert!(js_is_double(1e21));
    }

    #[test]
    fn parse_float() {
        assert_eq!(js_parse_float("1.5"), 1.5);
        assert_eq!(js_parse_float("  2e3xyz"), 2000.0);
        assert_eq!(js_parse_float(".5"), 0.5);
        assert_eq!(js_parse_float("5."), 5.0);
        assert_eq!(js_parse_float("1e"), 1.0);
        assert!(js_parse_float("abc").is_nan());
        assert_eq!(js_parse_float("-Infinity"), f64::NEG_INFINITY);
    }

    #[test]
    fn jcs_basic() {
        let v: Value = serde_json::from_str(
            r#"{"b":[1,2.5,1e30,true,null],"a":"x\"\n\u0001é","\u20ac":1,"\ud83d\ude00":2}"#,
        )
        .unwrap_or(Value::Null);
        let mut s = String::new();
        jcs(&v, &mut s);
        assert_eq!(s, "{\"a\":\"x\\\"\\n\\u0001é\",\"b\":[1,2.5,1e+30,true,null],\"€\":1,\"😀\":2}");
    }
}
