//! Deserialize JSON-LD to RDF (API §8.1–8.3 / jsonld.js `toRdf.js`), straight from the
//! expanded tree. Node-map generation is not materialised: its merging of nodes only
//! unions their triples, which the RDF dataset (a set) and RDFC-1.0 do anyway.

use std::borrow::Cow;
#[cfg(feature = "rdfc")]
use std::fmt::Write as _;

use serde_json::Number;

use super::context::{FxMap, Iri};
use super::error::JsonLdError;
use super::expand::{Exp, Lit, Node, Val};
use super::iri::{has_only_iri_chars, is_absolute_iri};
use super::limits;

pub(crate) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(crate) const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
pub(crate) const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
pub(crate) const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
pub(crate) const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
pub(crate) const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
pub(crate) const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// A subject, object or graph name: an IRI, or a blank node (numbered per document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Res<'t> {
    Iri(&'t str),
    Blank(u32),
}

/// An object.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Obj<'t> {
    Res(Res<'t>),
    /// `datatype` is `rdf:langString` exactly when `language` is set.
    Lit {
        value: Cow<'t, str>,
        datatype: &'t str,
        language: Option<&'t str>,
    },
}

/// A quad borrowing its strings from the expanded document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Q<'t> {
    pub s: Res<'t>,
    pub p: &'t str,
    pub o: Obj<'t>,
    /// `None`: the default graph.
    pub g: Option<Res<'t>>,
}

/// Emits the quads of an expanded document.
#[derive(Debug, Default)]
pub(crate) struct Emitter<'t> {
    pub quads: Vec<Q<'t>>,
    labels: FxMap<&'t str, u32>,
    pub bnodes: u32,
}

fn check_iri<'i>(iri: &'i str, what: &str) -> Result<&'i str, JsonLdError> {
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
    Ok(iri)
}

/// An IRI from the expanded tree, validated unless its term definition already was.
fn iri<'t>(i: &'t Iri<'_>, what: &str) -> Result<&'t str, JsonLdError> {
    if i.is_checked() {
        Ok(i)
    } else {
        check_iri(i, what)
    }
}

impl<'t> Emitter<'t> {
    fn fresh(&mut self) -> Result<Res<'t>, JsonLdError> {
        if self.bnodes as usize >= limits::MAX_BLANK_NODES {
            return Err(JsonLdError::Limit(format!(
                "the document produces more than {} blank nodes",
                limits::MAX_BLANK_NODES
            )));
        }
        let b = Res::Blank(self.bnodes);
        self.bnodes += 1;
        Ok(b)
    }

    fn label(&mut self, id: &'t str) -> Result<Res<'t>, JsonLdError> {
        if let Some(&b) = self.labels.get(id) {
            return Ok(Res::Blank(b));
        }
        let b = self.fresh()?;
        if let Res::Blank(n) = b {
            self.labels.insert(id, n);
        }
        Ok(b)
    }

    fn resource(&mut self, i: &'t Iri<'_>, what: &str) -> Result<Res<'t>, JsonLdError> {
        if i.starts_with("_:") {
            self.label(i)
        } else {
            Ok(Res::Iri(iri(i, what)?))
        }
    }

    fn push(
        &mut self,
        s: Res<'t>,
        p: &'t str,
        o: Obj<'t>,
        g: Option<Res<'t>>,
    ) -> Result<(), JsonLdError> {
        if self.quads.len() >= limits::MAX_QUADS {
            return Err(JsonLdError::Limit(format!(
                "the document produces more than {} RDF quads",
                limits::MAX_QUADS
            )));
        }
        self.quads.push(Q { s, p, o, g });
        Ok(())
    }

    /// A top-level item of a graph.
    pub(crate) fn emit_top(
        &mut self,
        item: &'t Exp<'_>,
        g: Option<Res<'t>>,
    ) -> Result<(), JsonLdError> {
        if let Exp::Node(n) = item {
            self.emit_node(n, g)?;
        }
        Ok(())
    }

    fn emit_node(&mut self, n: &'t Node<'_>, g: Option<Res<'t>>) -> Result<Res<'t>, JsonLdError> {
        let s = match &n.id {
            Some(id) => self.resource(id, "the node identifier")?,
            None => self.fresh()?,
        };
        for t in &n.types {
            let o = self.resource(t, "the type")?;
            self.push(s, RDF_TYPE, Obj::Res(o), g)?;
        }
        for (p, it) in &n.props {
            let pred = predicate(p)?;
            let o = self.emit_object(it, g)?;
            self.push(s, pred, o, g)?;
        }
        for (p, items) in &n.reverse {
            let pred = predicate(p)?;
            for it in items {
                if let Exp::Node(rn) = it {
                    let rs = self.emit_node(rn, g)?;
                    self.push(rs, pred, Obj::Res(s), g)?;
                }
            }
        }
        if let Some(gitems) = &n.graph {
            for it in gitems {
                self.emit_top(it, Some(s))?;
            }
        }
        for it in &n.included {
            self.emit_top(it, g)?;
        }
        Ok(s)
    }

    fn emit_object(
        &mut self,
        item: &'t Exp<'_>,
        g: Option<Res<'t>>,
    ) -> Result<Obj<'t>, JsonLdError> {
        match item {
            Exp::Node(n) => Ok(Obj::Res(self.emit_node(n, g)?)),
            Exp::Value(v) => literal(v),
            Exp::List(items) => self.emit_list(items, g),
        }
    }

    fn emit_list(
        &mut self,
        items: &'t [Exp<'_>],
        g: Option<Res<'t>>,
    ) -> Result<Obj<'t>, JsonLdError> {
        if items.is_empty() {
            return Ok(Obj::Res(Res::Iri(RDF_NIL)));
        }
        let head = self.fresh()?;
        let mut cur = head;
        let n = items.len();
        for (i, it) in items.iter().enumerate() {
            let o = self.emit_object(it, g)?;
            self.push(cur, RDF_FIRST, o, g)?;
            if i + 1 == n {
                self.push(cur, RDF_REST, Obj::Res(Res::Iri(RDF_NIL)), g)?;
            } else {
                let next = self.fresh()?;
                self.push(cur, RDF_REST, Obj::Res(next), g)?;
                cur = next;
            }
        }
        Ok(Obj::Res(head))
    }
}

fn predicate<'t>(p: &'t Iri<'_>) -> Result<&'t str, JsonLdError> {
    if p.starts_with("_:") {
        return Err(JsonLdError::InvalidDocument(format!(
            "the property \"{}\" expands to a blank node, which RDF does not allow as a predicate; it would be dropped",
            &**p
        )));
    }
    iri(p, "the property")
}

fn literal<'t>(v: &'t Val<'_>) -> Result<Obj<'t>, JsonLdError> {
    let dt: Option<&'t str> = match &v.datatype {
        Some(d) if &**d == "@json" => Some(RDF_JSON),
        Some(d) => Some(iri(d, "the datatype")?),
        None => None,
    };
    let typed = |value: Cow<'t, str>, default: &'t str| -> Obj<'t> {
        Obj::Lit {
            value,
            datatype: dt.unwrap_or(default),
            language: None,
        }
    };
    Ok(match &v.lit {
        Lit::Json(j) => {
            let s = crate::jcs::canonicalize(j);
            Obj::Lit {
                value: Cow::Owned(s),
                datatype: RDF_JSON,
                language: None,
            }
        }
        Lit::Bool(b) => typed(
            Cow::Borrowed(if *b { "true" } else { "false" }),
            XSD_BOOLEAN,
        ),
        Lit::Num(n) => {
            let f = number_as_f64(n);
            if dt == Some(XSD_DOUBLE) || js_is_double(f) {
                typed(Cow::Owned(canonical_double(f)), XSD_DOUBLE)
            } else {
                typed(Cow::Owned(js_to_fixed0(f)), XSD_INTEGER)
            }
        }
        Lit::Str(s) => {
            if dt == Some(XSD_DOUBLE) {
                typed(Cow::Owned(canonical_double(js_parse_float(s))), XSD_DOUBLE)
            } else if let Some(d) = dt {
                typed(Cow::Borrowed(s), d)
            } else if let Some(l) = &v.language {
                Obj::Lit {
                    value: Cow::Borrowed(s),
                    datatype: RDF_LANG_STRING,
                    language: Some(l),
                }
            } else {
                typed(Cow::Borrowed(s), XSD_STRING)
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// Canonical N-Quads (RDFC-1.0 §4.1 / N-Quads canonical form, as oxrdf and rdf-canon write it).

#[cfg(feature = "rdfc")]
fn write_res<'l>(out: &mut String, r: &Res<'_>, label: &dyn Fn(u32) -> &'l str) {
    match r {
        Res::Iri(i) => {
            out.push('<');
            out.push_str(i);
            out.push('>');
        }
        Res::Blank(b) => {
            out.push_str("_:");
            out.push_str(label(*b));
        }
    }
}

/// A literal's lexical form, quoted and escaped.
#[cfg(feature = "rdfc")]
fn write_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// One statement in canonical N-Quads form, blank nodes written with `label`.
#[cfg(feature = "rdfc")]
pub(crate) fn write_line<'l>(out: &mut String, q: &Q<'_>, label: &dyn Fn(u32) -> &'l str) {
    write_res(out, &q.s, label);
    out.push_str(" <");
    out.push_str(q.p);
    out.push_str("> ");
    match &q.o {
        Obj::Res(r) => write_res(out, r, label),
        Obj::Lit {
            value,
            datatype,
            language,
        } => {
            write_quoted(out, value);
            if let Some(l) = language {
                out.push('@');
                out.push_str(l);
            } else if *datatype != XSD_STRING {
                out.push_str("^^<");
                out.push_str(datatype);
                out.push('>');
            }
        }
    }
    if let Some(g) = &q.g {
        out.push(' ');
        write_res(out, g, label);
    }
    out.push_str(" .\n");
}

// ---------------------------------------------------------------------------------------
// Conversion to oxrdf (for `to_rdf` and for `rdf-canon`).

#[cfg(feature = "rdfc")]
fn ox_blank(b: u32) -> oxrdf::BlankNode {
    oxrdf::BlankNode::new_unchecked(format!("b{b}"))
}

#[cfg(feature = "rdfc")]
fn ox_subject(r: &Res<'_>) -> oxrdf::NamedOrBlankNode {
    match r {
        Res::Iri(i) => oxrdf::NamedNode::new_unchecked(*i).into(),
        Res::Blank(b) => ox_blank(*b).into(),
    }
}

#[cfg(feature = "rdfc")]
/// The oxrdf form of a quad; blank node `n` becomes `_:b<n>`.
pub(crate) fn to_ox(q: &Q<'_>) -> oxrdf::Quad {
    let object: oxrdf::Term = match &q.o {
        Obj::Res(r) => ox_subject(r).into(),
        Obj::Lit {
            value,
            datatype,
            language,
        } => match language {
            Some(l) => oxrdf::Literal::new_language_tagged_literal_unchecked(value.as_ref(), *l),
            None => oxrdf::Literal::new_typed_literal(
                value.as_ref(),
                oxrdf::NamedNode::new_unchecked(*datatype),
            ),
        }
        .into(),
    };
    let graph: oxrdf::GraphName = match &q.g {
        None => oxrdf::GraphName::DefaultGraph,
        Some(Res::Iri(i)) => oxrdf::NamedNode::new_unchecked(*i).into(),
        Some(Res::Blank(b)) => ox_blank(*b).into(),
    };
    oxrdf::Quad::new(
        ox_subject(&q.s),
        oxrdf::NamedNode::new_unchecked(q.p),
        object,
        graph,
    )
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
        assert_eq!(
            js_to_fixed0(9007199254740993_u64 as f64),
            "9007199254740992"
        );
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
}
