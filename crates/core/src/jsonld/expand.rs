//! JSON-LD 1.1 Expansion (API §5.1 / jsonld.js `expand.js`) in safe mode, producing a
//! small typed tree instead of expanded JSON.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

use super::context::{
    expand_iri, initial, keyword_of, process, process_scoped, ActiveContext, Direction, Iri,
    ProcState, Src, TermDef, C_GRAPH, C_ID, C_INDEX, C_LANGUAGE, C_LIST, C_TYPE,
};
use super::error::JsonLdError;
use super::iri::{is_absolute_iri, is_bcp47, is_keyword, is_keyword_like, static_keyword};
use super::limits;

/// An expanded element.
#[derive(Debug, Clone)]
pub(crate) enum Exp<'a> {
    Node(Box<Node<'a>>),
    Value(Val<'a>),
    List(Vec<Exp<'a>>),
}

/// An expanded node object (or graph object).
#[derive(Debug, Clone, Default)]
pub(crate) struct Node<'a> {
    pub id: Option<Iri<'a>>,
    pub types: Vec<Iri<'a>>,
    /// (property, value) pairs; a property with several values has several entries.
    pub props: Vec<(Iri<'a>, Exp<'a>)>,
    /// Number of property entries of the expanded JSON object (even with no values).
    prop_keys: usize,
    pub reverse: Vec<(Iri<'a>, Vec<Exp<'a>>)>,
    pub graph: Option<Vec<Exp<'a>>>,
    pub included: Vec<Exp<'a>>,
    has_reverse: bool,
    has_included: bool,
    has_index: bool,
    /// `@language` / `@direction` entries (ignored in node objects, but counted).
    extra_keys: usize,
}

impl Node<'_> {
    /// Number of entries the expanded JSON object would have.
    fn key_count(&self) -> usize {
        usize::from(self.id.is_some())
            + usize::from(!self.types.is_empty())
            + self.prop_keys
            + usize::from(self.has_reverse)
            + usize::from(self.graph.is_some())
            + usize::from(self.has_included)
            + usize::from(self.has_index)
            + self.extra_keys
    }
    fn is_graph_object(&self) -> bool {
        self.graph.is_some()
            && self.key_count() - usize::from(self.id.is_some()) - usize::from(self.has_index) == 1
    }
}

/// An expanded value object.
#[derive(Debug, Clone)]
pub(crate) struct Val<'a> {
    pub lit: Lit<'a>,
    /// Absolute datatype IRI, or `@json`.
    pub datatype: Option<Iri<'a>>,
    /// Lower-cased language tag.
    pub language: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Lit<'a> {
    Str(&'a str),
    Num(&'a Number),
    Bool(bool),
    Json(&'a Value),
}

/// Result of expanding one JSON value.
enum Out<'a> {
    Null,
    One(Exp<'a>),
    Many(Vec<Exp<'a>>),
}

impl<'a> Out<'a> {
    fn into_vec(self) -> Vec<Exp<'a>> {
        match self {
            Out::Null => Vec::new(),
            Out::One(e) => vec![e],
            Out::Many(v) => v,
        }
    }
}

/// An expanded JSON object under construction.
#[derive(Default)]
struct Obj<'a> {
    id: Option<Iri<'a>>,
    types: Option<Vec<Iri<'a>>>,
    value: Option<&'a Value>,
    language: Option<String>,
    /// `ltr` or `rtl`.
    direction: Option<&'static str>,
    index: bool,
    list: Option<Vec<Exp<'a>>>,
    set: Option<Vec<Exp<'a>>>,
    graph: Option<Vec<Exp<'a>>>,
    included: Option<Vec<Exp<'a>>>,
    reverse: Option<Vec<(Iri<'a>, Vec<Exp<'a>>)>>,
    props: Vec<(Iri<'a>, Exp<'a>)>,
    prop_keys: usize,
}

impl<'a> Obj<'a> {
    fn count(&self) -> usize {
        usize::from(self.id.is_some())
            + usize::from(self.types.is_some())
            + usize::from(self.value.is_some())
            + usize::from(self.language.is_some())
            + usize::from(self.direction.is_some())
            + usize::from(self.index)
            + usize::from(self.list.is_some())
            + usize::from(self.set.is_some())
            + usize::from(self.graph.is_some())
            + usize::from(self.included.is_some())
            + usize::from(self.reverse.is_some())
            + self.prop_keys
    }

    fn has_keyword(&self, kw: &str) -> bool {
        match kw {
            "@id" => self.id.is_some(),
            "@value" => self.value.is_some(),
            "@language" => self.language.is_some(),
            "@direction" => self.direction.is_some(),
            "@index" => self.index,
            "@list" => self.list.is_some(),
            "@set" => self.set.is_some(),
            "@graph" => self.graph.is_some(),
            "@reverse" => self.reverse.is_some(),
            _ => false,
        }
    }

    fn into_node(self) -> Node<'a> {
        Node {
            id: self.id,
            types: self.types.unwrap_or_default(),
            props: self.props,
            prop_keys: self.prop_keys,
            has_reverse: self.reverse.is_some(),
            reverse: self.reverse.unwrap_or_default(),
            graph: self.graph,
            has_included: self.included.is_some(),
            included: self.included.unwrap_or_default(),
            has_index: self.index,
            extra_keys: usize::from(self.language.is_some())
                + usize::from(self.direction.is_some()),
        }
    }
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Idx(usize),
}

/// How an index map's keys are interpreted.
enum IndexKind {
    Index,
    Id,
    Type,
    /// Property-valued index: (index term, expanded property IRI).
    Prop(Arc<str>, String),
}

/// JavaScript's default string ordering (UTF-16 code units).
fn js_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Object keys in JavaScript sort order (no heap allocation for small objects).
struct Keys<'a> {
    inline: [&'a str; 16],
    len: usize,
    heap: Vec<&'a str>,
}

impl<'a> std::ops::Deref for Keys<'a> {
    type Target = [&'a str];
    fn deref(&self) -> &[&'a str] {
        if self.heap.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

fn sorted_keys(m: &Map<String, Value>) -> Keys<'_> {
    let mut k = Keys {
        inline: [""; 16],
        len: 0,
        heap: Vec::new(),
    };
    if m.len() <= k.inline.len() {
        for (slot, key) in k.inline.iter_mut().zip(m.keys()) {
            *slot = key;
        }
        k.len = m.len();
        k.inline[..k.len].sort_unstable_by(|a, b| js_cmp(a, b));
    } else {
        k.heap = m.keys().map(String::as_str).collect();
        k.heap.sort_unstable_by(|a, b| js_cmp(a, b));
    }
    k
}

/// The keyword a key expands to, given its term definition (looked up once).
#[inline]
fn keyword_via(td: Option<&Arc<TermDef>>, key: &str) -> Option<&'static str> {
    if key.starts_with('@') {
        return static_keyword(key);
    }
    td.and_then(|t| t.iri.as_deref()).and_then(static_keyword)
}

fn as_slice(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        other => std::slice::from_ref(other),
    }
}

/// The expansion state for one document.
pub(crate) struct Expander<'a> {
    st: ProcState,
    depth: usize,
    path: Vec<Seg<'a>>,
}

/// Expand a whole document (with a null base IRI) into its top-level items.
pub(crate) fn expand_document(doc: &Value) -> Result<Vec<Exp<'_>>, JsonLdError> {
    let mut ex = Expander {
        st: ProcState::default(),
        depth: 0,
        path: Vec::new(),
    };
    let ctx = initial();
    let out = ex.expand_element(&ctx, None, doc, false, false)?;
    Ok(match out {
        Out::One(Exp::Node(n)) if n.graph.is_some() && n.key_count() == 1 => {
            n.graph.unwrap_or_default()
        }
        other => other.into_vec(),
    })
}

impl<'a> Expander<'a> {
    /// JSON pointer of the current position.
    fn here(&self) -> String {
        if self.path.is_empty() {
            return "the document root".to_owned();
        }
        let mut s = String::new();
        for seg in &self.path {
            s.push('/');
            match seg {
                Seg::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Seg::Idx(i) => s.push_str(&i.to_string()),
            }
        }
        s
    }

    fn doc_err(&self, msg: impl std::fmt::Display) -> JsonLdError {
        JsonLdError::InvalidDocument(format!("{msg} (at {})", self.here()))
    }

    fn relative_err(&self, what: &str, value: &str) -> JsonLdError {
        JsonLdError::RelativeIri(format!(
            "{what} \"{value}\" at {} does not expand to an absolute IRI; the base IRI is null, so it would be dropped or left relative",
            self.here()
        ))
    }

    /// Add the current position to errors raised while processing a @context.
    fn locate(&self, e: JsonLdError) -> JsonLdError {
        let at = self.here();
        match e {
            JsonLdError::InvalidContext(m) => JsonLdError::InvalidContext(format!("{m} (at {at})")),
            JsonLdError::UnknownContext(m) => JsonLdError::UnknownContext(format!("{m} (at {at})")),
            JsonLdError::RelativeIri(m) => JsonLdError::RelativeIri(format!("{m} (at {at})")),
            other => other,
        }
    }

    fn enter(&mut self) -> Result<(), JsonLdError> {
        self.depth += 1;
        if self.depth > limits::MAX_DEPTH {
            return Err(JsonLdError::Limit(format!(
                "the document nests arrays/objects more than {} levels deep (at {})",
                limits::MAX_DEPTH,
                self.here()
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn expand_element(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        el: &'a Value,
        inside_list: bool,
        inside_index: bool,
    ) -> Result<Out<'a>, JsonLdError> {
        match el {
            Value::Null => Ok(Out::Null),
            Value::Array(arr) => {
                self.enter()?;
                let container = ap.and_then(|p| ctx.term(p)).map_or(0, |t| t.container);
                let inside_list = inside_list || container & C_LIST != 0;
                let mut out = Vec::with_capacity(arr.len());
                for (i, e) in arr.iter().enumerate() {
                    self.path.push(Seg::Idx(i));
                    let r = self.expand_element(ctx, ap, e, false, inside_index);
                    self.path.pop();
                    match r? {
                        Out::Null => {}
                        Out::One(x) => out.push(x),
                        Out::Many(v) => {
                            if inside_list {
                                out.push(Exp::List(v));
                            } else {
                                out.extend(v);
                            }
                        }
                    }
                }
                self.leave();
                Ok(Out::Many(out))
            }
            Value::Object(map) => {
                self.enter()?;
                let r = self.expand_object(ctx, ap, map, inside_list, inside_index);
                self.leave();
                r
            }
            _ => {
                if !inside_list && ap.is_none_or(|p| keyword_of(ctx, p) == Some("@graph")) {
                    return Err(self.doc_err(format!(
                        "the free-floating value {el} is not attached to any property and would be dropped"
                    )));
                }
                self.expand_value(ctx, ap, el)
            }
        }
    }

    fn expand_object(
        &mut self,
        ctx_in: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        el: &'a Map<String, Value>,
        inside_list: bool,
        inside_index: bool,
    ) -> Result<Out<'a>, JsonLdError> {
        let mut ctx = ctx_in.clone();
        let ap_td = ap.and_then(|p| ctx.term(p));
        let eap: Option<&'static str> = ap.and_then(|p| keyword_via(ap_td, p));
        let prop_scoped = ap_td.and_then(|t| t.context.clone());
        let keys = sorted_keys(el);

        // Revert a type-scoped context unless this is a value object or a node reference.
        let mut must_revert = !inside_index;
        if must_revert && ctx.previous.is_some() && keys.len() <= 2 && !keys.contains(&"@context") {
            for k in keys.iter() {
                match keyword_of(&ctx, k) {
                    Some("@value") => {
                        must_revert = false;
                        break;
                    }
                    Some("@id") if keys.len() == 1 => {
                        must_revert = false;
                        break;
                    }
                    _ => {}
                }
            }
        }
        if must_revert {
            if let Some(p) = ctx.previous.clone() {
                ctx = p;
            }
        }
        if let Some(sc) = &prop_scoped {
            ctx = process_scoped(&ctx, sc, true, true, &mut self.st).map_err(|e| self.locate(e))?;
        }
        if let Some(lc) = el.get("@context") {
            self.path.push(Seg::Key("@context"));
            let r = process(&ctx, Src::Doc(lc), false, true, false, &mut self.st);
            let r = r.map_err(|e| self.locate(e));
            self.path.pop();
            ctx = r?;
        }

        // Type-scoped contexts, from the types in lexicographical order.
        let tsc = ctx.clone();
        let mut type_key: Option<&'a str> = None;
        for k in keys.iter() {
            if keyword_of(&ctx, k) != Some("@type") {
                continue;
            }
            type_key.get_or_insert(*k);
            let mut types: Vec<&str> = match el.get(*k) {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            types.sort_unstable_by(|a, b| js_cmp(a, b));
            for t in types {
                if let Some(sc) = tsc.term(t).and_then(|td| td.context.clone()) {
                    self.path.push(Seg::Key(k));
                    let r = process_scoped(&ctx, &sc, false, false, &mut self.st);
                    let r = r.map_err(|e| self.locate(e));
                    self.path.pop();
                    ctx = r?;
                }
            }
        }

        let mut obj = Obj::default();
        self.expand_keys(&ctx, ap, eap, el, &keys, &mut obj, type_key, &tsc)?;

        let count = obj.count();
        let result = if let Some(raw) = obj.value {
            let json_type = obj
                .types
                .as_ref()
                .is_some_and(|t| t.len() == 1 && &*t[0] == "@json");
            if obj.types.is_some() && (obj.language.is_some() || obj.direction.is_some()) {
                return Err(
                    self.doc_err("a value object may not have both @type and @language/@direction")
                );
            }
            let valid = count
                - 1
                - usize::from(obj.types.is_some())
                - usize::from(obj.index)
                - usize::from(obj.language.is_some())
                - usize::from(obj.direction.is_some());
            if valid != 0 {
                return Err(self.doc_err(
                    "a value object (with @value) may only also have @type, @language, @direction or @index",
                ));
            }
            let lit = if json_type {
                Lit::Json(raw)
            } else {
                match raw {
                    Value::Null => {
                        return Err(
                            self.doc_err("a value object with a null @value would be dropped")
                        )
                    }
                    Value::String(s) => Lit::Str(s),
                    Value::Number(n) => Lit::Num(n),
                    Value::Bool(b) => Lit::Bool(*b),
                    _ => return Err(self.doc_err(
                        "@value must be a string, number, boolean or null (unless @type is @json)",
                    )),
                }
            };
            if obj.language.is_some() && !matches!(lit, Lit::Str(_)) {
                return Err(self.doc_err("only strings may be language-tagged"));
            }
            let datatype = match obj.types {
                None => None,
                Some(mut t) => {
                    if t.len() != 1 {
                        return Err(self.doc_err("a value object must have a single @type"));
                    }
                    let dt = t.remove(0);
                    if &*dt != "@json" && (!is_absolute_iri(&dt) || dt.starts_with("_:")) {
                        return Err(self.doc_err(format!(
                            "the @type \"{}\" of a value object must be an absolute IRI",
                            &*dt
                        )));
                    }
                    Some(dt)
                }
            };
            // A base direction is kept, as Digital Bazaar's eddsa-rdfc-2022 does
            // (jsonld.js `rdfDirection: "i18n-datatype"`): the literal gets the datatype
            // https://www.w3.org/ns/i18n#{language}_{direction} and no language tag.
            let (datatype, language) = match obj.direction {
                Some(dir) => (
                    Some(i18n_datatype(
                        obj.language.as_deref(),
                        if dir == "rtl" {
                            Direction::Rtl
                        } else {
                            Direction::Ltr
                        },
                    )),
                    None,
                ),
                None => (datatype, obj.language),
            };
            Out::One(Exp::Value(Val {
                lit,
                datatype,
                language,
            }))
        } else if obj.list.is_some() || obj.set.is_some() {
            if count > 1 && !(count == 2 && obj.index) {
                return Err(self.doc_err("an object with @list or @set may only also have @index"));
            }
            match (obj.list, obj.set) {
                (Some(l), _) => Out::One(Exp::List(l)),
                (None, Some(s)) => Out::Many(s),
                (None, None) => Out::Null,
            }
        } else if count == 1 && obj.language.is_some() {
            return Err(self.doc_err("an object with only @language would be dropped"));
        } else {
            Out::One(Exp::Node(Box::new(obj.into_node())))
        };

        // Free-floating objects (top level or directly in a graph) would be dropped.
        if !inside_list
            && (ap.is_none()
                || eap == Some("@graph")
                || ap
                    .and_then(|p| ctx.term(p))
                    .is_some_and(|t| t.container & C_GRAPH != 0))
        {
            if let Out::One(e) = &result {
                self.check_not_dropped(e)?;
            }
        }
        Ok(result)
    }

    /// Objects that expansion drops at the top level or inside a graph.
    fn check_not_dropped(&self, e: &Exp<'a>) -> Result<(), JsonLdError> {
        match e {
            Exp::Node(n) => {
                let c = n.key_count();
                if c == 0 {
                    return Err(self
                        .doc_err("an empty object at the top level of a graph would be dropped"));
                }
                if c == 1 && n.id.is_some() {
                    return Err(self.doc_err(
                        "an object with only an @id at the top level of a graph would be dropped",
                    ));
                }
                Ok(())
            }
            Exp::Value(_) => {
                Err(self.doc_err("a value object at the top level of a graph would be dropped"))
            }
            Exp::List(_) => {
                Err(self.doc_err("a list object at the top level of a graph would be dropped"))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_keys(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        eap: Option<&str>,
        el: &'a Map<String, Value>,
        keys: &[&'a str],
        obj: &mut Obj<'a>,
        type_key: Option<&'a str>,
        tsc: &Arc<ActiveContext>,
    ) -> Result<(), JsonLdError> {
        let is_json_type = type_key
            .and_then(|tk| el.get(tk))
            .and_then(|v| match v {
                Value::String(s) => Some(s.as_str()),
                Value::Array(a) => a.first().and_then(Value::as_str),
                _ => None,
            })
            .is_some_and(|t| keyword_of(ctx, t) == Some("@json"));
        let mut nests: Vec<&'a str> = Vec::new();
        for &key in keys {
            if key == "@context" {
                continue;
            }
            let Some(value) = el.get(key) else { continue };
            self.path.push(Seg::Key(key));
            let r = self.expand_entry(ctx, ap, eap, key, value, obj, tsc, &mut nests);
            self.path.pop();
            r?;
        }

        if let Some(raw) = obj.value {
            let json = is_json_type
                || obj
                    .types
                    .as_ref()
                    .is_some_and(|t| t.len() == 1 && &*t[0] == "@json");
            if !json && (raw.is_object() || raw.is_array()) {
                return Err(
                    self.doc_err("@value must not be an object or an array unless @type is @json")
                );
            }
        }

        for nk in nests {
            let Some(nv) = el.get(nk) else { continue };
            self.path.push(Seg::Key(nk));
            let r = self.expand_nest(ctx, ap, eap, nv, obj, type_key, tsc);
            self.path.pop();
            r?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_nest(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        eap: Option<&str>,
        nv: &'a Value,
        obj: &mut Obj<'a>,
        type_key: Option<&'a str>,
        tsc: &Arc<ActiveContext>,
    ) -> Result<(), JsonLdError> {
        for (i, n) in as_slice(nv).iter().enumerate() {
            if nv.is_array() {
                self.path.push(Seg::Idx(i));
            }
            let r = (|| {
                let Value::Object(nm) = n else {
                    return Err(self.doc_err("a @nest value must be an object"));
                };
                if nm.keys().any(|k| keyword_of(ctx, k) == Some("@value")) {
                    return Err(self.doc_err("a @nest value must not be a value object"));
                }
                if nm.contains_key("@context") {
                    return Err(self.doc_err("a @context inside a @nest value would be ignored"));
                }
                self.enter()?;
                let nkeys = sorted_keys(nm);
                let r = self.expand_keys(ctx, ap, eap, nm, &nkeys, obj, type_key, tsc);
                self.leave();
                r
            })();
            if nv.is_array() {
                self.path.pop();
            }
            r?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_entry(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        eap: Option<&str>,
        key: &'a str,
        value: &'a Value,
        obj: &mut Obj<'a>,
        tsc: &Arc<ActiveContext>,
        nests: &mut Vec<&'a str>,
    ) -> Result<(), JsonLdError> {
        let td = ctx.term(key);
        let ep = match td {
            Some(t) => t.iri.clone().map(|i| {
                if t.iri_ok {
                    Iri::Checked(i)
                } else {
                    Iri::Shared(i)
                }
            }),
            None => expand_iri(ctx, key, true, false),
        };
        let Some(ep) = ep else {
            if is_keyword_like(key) {
                // Not a keyword but of the keyword form: ignored, as the spec requires.
                return Ok(());
            }
            return Err(JsonLdError::UndefinedTerm(format!(
                "\"{key}\" at {} is mapped to null by the @context, so it would be dropped",
                self.here()
            )));
        };
        let is_kw = is_keyword(&ep);
        if !is_kw && !ep.is_checked() && !is_absolute_iri(&ep) {
            return Err(JsonLdError::UndefinedTerm(format!(
                "\"{key}\" at {} is not defined by the @context (it does not expand to an absolute IRI), so it would be dropped",
                self.here()
            )));
        }
        if is_kw {
            if eap == Some("@reverse") {
                return Err(self.doc_err(format!(
                    "the keyword {} cannot be used as a @reverse property",
                    &*ep
                )));
            }
            if &*ep != "@included" && &*ep != "@type" && obj.has_keyword(&ep) {
                return Err(self.doc_err(format!(
                    "colliding keywords: more than one key expands to {}",
                    &*ep
                )));
            }
        }

        match &*ep {
            "@id" => {
                let Value::String(s) = value else {
                    return Err(self.doc_err("@id must be a string"));
                };
                match expand_iri(ctx, s, false, true) {
                    None => {
                        return Err(self.doc_err(format!(
                            "@id \"{s}\" has the form of a keyword and would be dropped"
                        )))
                    }
                    Some(e) => {
                        if !is_absolute_iri(&e) {
                            return Err(self.relative_err("@id", s));
                        }
                        obj.id = Some(e);
                    }
                }
                return Ok(());
            }
            "@type" => {
                let vals: &'a [Value] = as_slice(value);
                if !vals.iter().all(Value::is_string) {
                    return Err(self.doc_err("@type must be a string or an array of strings"));
                }
                let types = obj.types.get_or_insert_with(Vec::new);
                for v in vals {
                    let Value::String(s) = v else { continue };
                    match expand_iri(tsc, s, true, true) {
                        Some(e) if e.is_checked() || &*e == "@json" || is_absolute_iri(&e) => {
                            types.push(e)
                        }
                        _ => return Err(self.relative_err("@type", s)),
                    }
                }
                if types.is_empty() {
                    obj.types = None;
                }
                return Ok(());
            }
            "@included" => {
                if value.is_null() {
                    return Err(self.doc_err("values of @included must be node objects"));
                }
                let items = self
                    .expand_element(ctx, ap, value, false, false)?
                    .into_vec();
                for it in &items {
                    match it {
                        Exp::Node(n) if n.key_count() > 1 || n.id.is_none() => {}
                        _ => return Err(self.doc_err("values of @included must be node objects")),
                    }
                }
                obj.included.get_or_insert_with(Vec::new).extend(items);
                return Ok(());
            }
            "@graph" if !(value.is_object() || value.is_array()) => {
                return Err(self.doc_err("@graph must be an object or an array"));
            }
            "@value" => {
                obj.value = Some(value);
                return Ok(());
            }
            "@language" => {
                match value {
                    Value::Null => {}
                    Value::String(s) => {
                        let l = s.to_ascii_lowercase();
                        if !is_bcp47(&l) {
                            return Err(self.doc_err(format!(
                                "@language \"{s}\" is not a well-formed language tag"
                            )));
                        }
                        obj.language = Some(l);
                    }
                    _ => return Err(self.doc_err("@language must be a string")),
                }
                return Ok(());
            }
            "@direction" => {
                match value {
                    Value::String(s) if s == "ltr" => obj.direction = Some("ltr"),
                    Value::String(s) if s == "rtl" => obj.direction = Some("rtl"),
                    _ => return Err(self.doc_err("@direction must be \"ltr\" or \"rtl\"")),
                }
                return Ok(());
            }
            "@index" => {
                if !value.is_string() {
                    return Err(self.doc_err("@index must be a string"));
                }
                obj.index = true;
                return Ok(());
            }
            "@reverse" => {
                if !value.is_object() {
                    return Err(self.doc_err("@reverse must be an object"));
                }
                let r = self.expand_element(ctx, Some("@reverse"), value, false, false)?;
                if let Out::One(Exp::Node(n)) = r {
                    let n = *n;
                    for (p, items) in n.reverse {
                        obj.prop_keys += 1;
                        obj.props
                            .extend(items.into_iter().map(|it| (p.clone(), it)));
                    }
                    for (p, item) in n.props {
                        if matches!(item, Exp::Value(_) | Exp::List(_)) {
                            return Err(
                                self.doc_err("@reverse property values must be node objects")
                            );
                        }
                        obj.reverse
                            .get_or_insert_with(Vec::new)
                            .push((p, vec![item]));
                    }
                }
                return Ok(());
            }
            "@nest" => {
                nests.push(key);
                return Ok(());
            }
            "@graph" | "@list" | "@set" => {}
            kw if is_kw => {
                return Err(self.doc_err(format!(
                    "the keyword {kw} is not allowed as a key here (its content would be ignored)"
                )))
            }
            _ => {}
        }

        // Ordinary properties, @graph, @list and @set.
        let term_ctx = match td.and_then(|t| t.context.as_ref()) {
            Some(sc) => {
                process_scoped(ctx, sc, true, true, &mut self.st).map_err(|e| self.locate(e))?
            }
            None => ctx.clone(),
        };
        let container = td.map_or(0, |t| t.container);
        let term_td = term_ctx.term(key).cloned();

        let expanded: Out<'a> = match value {
            Value::Object(m) if container & C_LANGUAGE != 0 => {
                Out::Many(self.expand_language_map(&term_ctx, m)?)
            }
            Value::Object(m) if container & C_INDEX != 0 => {
                let as_graph = container & C_GRAPH != 0;
                let kind = match term_td.as_ref().and_then(|t| t.index.clone()) {
                    Some(ik) if &*ik != "@index" => {
                        let Some(pi) = expand_iri(ctx, &ik, true, false).map(|i| i.to_string())
                        else {
                            return Err(
                                self.doc_err("the @index property does not expand to an IRI")
                            );
                        };
                        IndexKind::Prop(ik, pi)
                    }
                    _ => IndexKind::Index,
                };
                Out::Many(self.expand_index_map(&term_ctx, key, m, as_graph, &kind)?)
            }
            Value::Object(m) if container & C_ID != 0 => {
                let as_graph = container & C_GRAPH != 0;
                Out::Many(self.expand_index_map(&term_ctx, key, m, as_graph, &IndexKind::Id)?)
            }
            Value::Object(m) if container & C_TYPE != 0 => {
                let map_ctx = term_ctx
                    .previous
                    .clone()
                    .unwrap_or_else(|| term_ctx.clone());
                Out::Many(self.expand_index_map(&map_ctx, key, m, false, &IndexKind::Type)?)
            }
            _ if &*ep == "@list" || &*ep == "@set" => {
                let is_list = &*ep == "@list";
                let next_ap = if is_list && eap == Some("@graph") {
                    None
                } else {
                    ap
                };
                self.expand_element(&term_ctx, next_ap, value, is_list, false)?
            }
            _ if td.and_then(|t| t.type_mapping.as_deref()) == Some("@json") => {
                Out::One(Exp::Value(Val {
                    lit: Lit::Json(value),
                    datatype: Some(Iri::Borrowed("@json")),
                    language: None,
                }))
            }
            _ => self.expand_element(&term_ctx, Some(key), value, false, false)?,
        };

        if matches!(expanded, Out::Null) {
            return Ok(());
        }
        let expanded = if &*ep != "@list"
            && container & C_LIST != 0
            && !matches!(expanded, Out::One(Exp::List(_)))
        {
            Out::One(Exp::List(expanded.into_vec()))
        } else {
            expanded
        };
        let mut items = expanded.into_vec();

        if container & C_GRAPH != 0 && container & (C_ID | C_INDEX) == 0 {
            for it in &items {
                self.check_not_dropped(it)?;
            }
            if items.is_empty() {
                return Ok(());
            }
            items = items
                .into_iter()
                .map(|it| {
                    Exp::Node(Box::new(Node {
                        graph: Some(vec![it]),
                        ..Node::default()
                    }))
                })
                .collect();
        }

        if term_td.as_ref().is_some_and(|t| t.reverse) {
            if items
                .iter()
                .any(|it| matches!(it, Exp::Value(_) | Exp::List(_)))
            {
                return Err(self.doc_err("@reverse property values must be node objects"));
            }
            obj.reverse.get_or_insert_with(Vec::new).push((ep, items));
            return Ok(());
        }

        match &*ep {
            "@graph" => obj.graph.get_or_insert_with(Vec::new).extend(items),
            "@list" => obj.list.get_or_insert_with(Vec::new).extend(items),
            "@set" => obj.set.get_or_insert_with(Vec::new).extend(items),
            _ => {
                obj.prop_keys += 1;
                if items.len() == 1 {
                    if let Some(it) = items.pop() {
                        obj.props.push((ep, it));
                    }
                } else {
                    obj.props
                        .extend(items.into_iter().map(|it| (ep.clone(), it)));
                }
            }
        }
        Ok(())
    }

    fn expand_language_map(
        &mut self,
        ctx: &Arc<ActiveContext>,
        m: &'a Map<String, Value>,
    ) -> Result<Vec<Exp<'a>>, JsonLdError> {
        let mut out = Vec::new();
        for &key in sorted_keys(m).iter() {
            let Some(v) = m.get(key) else { continue };
            self.path.push(Seg::Key(key));
            let none = keyword_of(ctx, key) == Some("@none");
            let language = if none {
                None
            } else if !is_bcp47(key) {
                let e = self.doc_err(format!("\"{key}\" is not a well-formed language tag"));
                self.path.pop();
                return Err(e);
            } else {
                Some(key.to_ascii_lowercase())
            };
            for item in as_slice(v) {
                match item {
                    Value::Null => {}
                    Value::String(s) => out.push(Exp::Value(Val {
                        lit: Lit::Str(s),
                        datatype: None,
                        language: language.clone(),
                    })),
                    _ => {
                        let e = self.doc_err("language map values must be strings");
                        self.path.pop();
                        return Err(e);
                    }
                }
            }
            self.path.pop();
        }
        Ok(out)
    }

    fn expand_index_map(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: &'a str,
        m: &'a Map<String, Value>,
        as_graph: bool,
        kind: &IndexKind,
    ) -> Result<Vec<Exp<'a>>, JsonLdError> {
        let mut ctx = ctx.clone();
        let mut out = Vec::new();
        for &key in sorted_keys(m).iter() {
            let Some(val) = m.get(key) else { continue };
            self.path.push(Seg::Key(key));
            let r = self.expand_index_entry(&mut ctx, ap, key, val, as_graph, kind, &mut out);
            self.path.pop();
            r?;
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_index_entry(
        &mut self,
        ctx: &mut Arc<ActiveContext>,
        ap: &'a str,
        key: &'a str,
        val: &'a Value,
        as_graph: bool,
        kind: &IndexKind,
        out: &mut Vec<Exp<'a>>,
    ) -> Result<(), JsonLdError> {
        if matches!(kind, IndexKind::Type) {
            if let Some(sc) = ctx.term(key).and_then(|t| t.context.clone()) {
                *ctx = process_scoped(ctx, &sc, false, false, &mut self.st)
                    .map_err(|e| self.locate(e))?;
            }
        }
        let items = self
            .expand_element(ctx, Some(ap), val, false, true)?
            .into_vec();
        let key_is_none = keyword_of(ctx, key) == Some("@none");
        for item in items {
            let mut item = if as_graph && !matches!(&item, Exp::Node(n) if n.is_graph_object()) {
                Exp::Node(Box::new(Node {
                    graph: Some(vec![item]),
                    ..Node::default()
                }))
            } else {
                item
            };
            match kind {
                IndexKind::Index => {}
                IndexKind::Type => {
                    if !key_is_none {
                        let Some(t) = expand_iri(ctx, key, true, false) else {
                            return Err(self.relative_err("@type map key", key));
                        };
                        if !is_absolute_iri(&t) {
                            return Err(self.relative_err("@type map key", key));
                        }
                        let Exp::Node(n) = &mut item else {
                            return Err(self.doc_err("values of a @type map must be node objects"));
                        };
                        n.types.insert(0, t);
                    }
                }
                IndexKind::Id => {
                    let Exp::Node(n) = &mut item else {
                        return Err(self.doc_err("values of an @id map must be node objects"));
                    };
                    if !key_is_none && n.id.is_none() {
                        match expand_iri(ctx, key, false, true) {
                            Some(e) if is_absolute_iri(&e) => n.id = Some(e),
                            _ => return Err(self.relative_err("@id map key", key)),
                        }
                    }
                }
                IndexKind::Prop(term, prop) => {
                    let Exp::Node(n) = &mut item else {
                        return Err(self.doc_err(
                            "values of a property-valued index map must be node objects",
                        ));
                    };
                    if key != "@none" {
                        let v = self.expand_value_with_term(ctx, term, key)?;
                        n.props.insert(0, (Iri::Owned(prop.clone()), v));
                        n.prop_keys += 1;
                    }
                }
            }
            out.push(item);
        }
        Ok(())
    }

    /// Value expansion of an index key as a value of the index property.
    fn expand_value_with_term(
        &mut self,
        ctx: &Arc<ActiveContext>,
        term: &str,
        key: &'a str,
    ) -> Result<Exp<'a>, JsonLdError> {
        let td = ctx.term(term);
        let tm = td.and_then(|t| t.type_mapping.clone());
        match tm.as_deref() {
            Some("@id") | Some("@vocab") => {
                let vocab = tm.as_deref() == Some("@vocab");
                match expand_iri(ctx, key, vocab, true) {
                    Some(e) => Ok(Exp::Node(Box::new(Node {
                        id: Some(e),
                        ..Node::default()
                    }))),
                    None => Err(self.doc_err(format!("\"{key}\" has the form of a keyword"))),
                }
            }
            Some("@json") => Err(self.doc_err(format!(
                "the index property \"{term}\" has type @json, which an index key cannot have"
            ))),
            Some(t) if t != "@none" => Ok(Exp::Value(Val {
                lit: Lit::Str(key),
                datatype: tm.clone().map(Iri::Shared),
                language: None,
            })),
            _ => {
                let language = match td.and_then(|t| t.language.clone()) {
                    Some(l) => l,
                    None => ctx.language.clone(),
                };
                Ok(Exp::Value(Val {
                    lit: Lit::Str(key),
                    datatype: None,
                    language: language.map(|l| l.to_string()),
                }))
            }
        }
    }

    /// Value Expansion (API §5.3.2).
    fn expand_value(
        &mut self,
        ctx: &Arc<ActiveContext>,
        ap: Option<&'a str>,
        value: &'a Value,
    ) -> Result<Out<'a>, JsonLdError> {
        let td = ap.and_then(|p| ctx.term(p));
        let ep = ap.and_then(|p| keyword_via(td, p));
        let tm: Option<&Arc<str>> = td.and_then(|t| t.type_mapping.as_ref());
        if let Value::String(s) = value {
            let as_id = tm.is_some_and(|t| &**t == "@id") || ep == Some("@graph");
            let as_vocab = tm.is_some_and(|t| &**t == "@vocab");
            if as_id || as_vocab {
                return match expand_iri(ctx, s, as_vocab, true) {
                    Some(e) => Ok(Out::One(Exp::Node(Box::new(Node {
                        id: Some(e),
                        ..Node::default()
                    })))),
                    None => Err(self.doc_err(format!(
                        "the IRI \"{s}\" has the form of a keyword and would be dropped"
                    ))),
                };
            }
        }
        if ep.is_some() {
            return Err(self.doc_err(format!("unexpected value {value}")));
        }
        let lit = match value {
            Value::String(s) => Lit::Str(s),
            Value::Number(n) => Lit::Num(n),
            Value::Bool(b) => Lit::Bool(*b),
            _ => return Err(self.doc_err(format!("unexpected value {value}"))),
        };
        if let Some(t) = tm.filter(|t| !matches!(&***t, "@id" | "@vocab" | "@none")) {
            let lit = if &**t == "@json" {
                Lit::Json(value)
            } else {
                lit
            };
            return Ok(Out::One(Exp::Value(Val {
                lit,
                datatype: Some(Iri::Shared(t.clone())),
                language: None,
            })));
        }
        let language = if matches!(lit, Lit::Str(_)) {
            match td.and_then(|t| t.language.as_ref()) {
                Some(l) => l.clone(),
                None => ctx.language.clone(),
            }
        } else {
            None
        };
        let direction = if matches!(lit, Lit::Str(_)) {
            match td.and_then(|t| t.direction) {
                Some(d) => d,
                None => ctx.direction,
            }
        } else {
            None
        };
        if let Some(d) = direction {
            return Ok(Out::One(Exp::Value(Val {
                lit,
                datatype: Some(i18n_datatype(language.as_deref(), d)),
                language: None,
            })));
        }
        Ok(Out::One(Exp::Value(Val {
            lit,
            datatype: None,
            language: language.map(|l| l.to_string()),
        })))
    }
}

/// The datatype that carries a string's language and base direction, as jsonld.js writes it
/// with `rdfDirection: "i18n-datatype"` (what Digital Bazaar's eddsa-rdfc-2022 uses):
/// `https://www.w3.org/ns/i18n#{language}_{direction}`.
fn i18n_datatype(language: Option<&str>, direction: Direction) -> Iri<'static> {
    let dir = match direction {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    };
    Iri::Owned(format!(
        "https://www.w3.org/ns/i18n#{}_{dir}",
        language.unwrap_or_default().to_ascii_lowercase()
    ))
}
