//! Active contexts, term definitions and the JSON-LD 1.1 Context Processing algorithm,
//! with a process-wide cache of contexts derived only from bundled (static) sources.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

use super::error::JsonLdError;
use super::iri::{
    has_only_iri_chars, is_absolute_iri, is_bcp47, is_keyword, is_keyword_like, looks_like_iri,
    resolve, static_keyword,
};
use super::{bundled, limits};

// ---------------------------------------------------------------------------------------
// Small fast hasher for the term maps (keys are short strings).

/// FxHash-style hasher.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------------
// IRIs produced by expansion.

/// An expanded IRI (or keyword, or blank node identifier): borrowed from the document,
/// shared with a term definition, or freshly built.
#[derive(Clone, Debug)]
pub(crate) enum Iri<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
    /// From a term definition whose IRI is known to be absolute (or a blank node
    /// identifier) and free of characters N-Quads cannot carry.
    Checked(Arc<str>),
    Owned(String),
}

impl Iri<'_> {
    /// Known to be a valid absolute IRI / blank node identifier.
    #[inline]
    pub(crate) fn is_checked(&self) -> bool {
        matches!(self, Iri::Checked(_))
    }
}

impl Deref for Iri<'_> {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        match self {
            Iri::Borrowed(s) => s,
            Iri::Shared(s) => s,
            Iri::Checked(s) => s,
            Iri::Owned(s) => s,
        }
    }
}

impl PartialEq<str> for Iri<'_> {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

// ---------------------------------------------------------------------------------------
// Context sources.

/// The JSON of a (scoped) context kept inside a term definition.
#[derive(Debug, Clone)]
pub(crate) enum CtxJson {
    /// Part of a bundled context: lives forever.
    Static(&'static Value),
    /// Part of an inline context of some document.
    Owned(Arc<Value>),
}

impl CtxJson {
    fn value(&self) -> &Value {
        match self {
            CtxJson::Static(v) => v,
            CtxJson::Owned(v) => v,
        }
    }
}

/// Cache key of a context source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SrcKey {
    /// Address of a bundled (static) JSON value.
    Static(usize),
    /// Address of a JSON value of the document being processed (per-call only).
    Doc(usize),
    /// Unique id of an owned scoped context (per-call only).
    Owned(u64),
}

impl SrcKey {
    fn is_static(self) -> bool {
        matches!(self, SrcKey::Static(_))
    }
}

/// A scoped context (`@context` inside a term definition).
#[derive(Debug, Clone)]
pub(crate) struct ScopedCtx {
    pub json: CtxJson,
    pub key: SrcKey,
}

impl PartialEq for ScopedCtx {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key || self.json.value() == other.json.value()
    }
}

impl ScopedCtx {
    pub(crate) fn src(&self) -> Src<'_> {
        match &self.json {
            CtxJson::Static(v) => Src::Static(v),
            CtxJson::Owned(v) => Src::Doc(v),
        }
    }
}

/// A JSON value being processed as (part of) a local context.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Src<'a> {
    Static(&'static Value),
    Doc(&'a Value),
}

impl<'a> Src<'a> {
    pub(crate) fn v(self) -> &'a Value {
        match self {
            Src::Static(v) => v,
            Src::Doc(v) => v,
        }
    }
    fn is_static(self) -> bool {
        matches!(self, Src::Static(_))
    }
    fn key(self) -> SrcKey {
        match self {
            Src::Static(v) => SrcKey::Static(v as *const Value as usize),
            Src::Doc(v) => SrcKey::Doc(v as *const Value as usize),
        }
    }
    fn get(self, key: &str) -> Option<Src<'a>> {
        match self {
            Src::Static(v) => v.get(key).map(Src::Static),
            Src::Doc(v) => v.get(key).map(Src::Doc),
        }
    }
    fn index(self, i: usize) -> Option<Src<'a>> {
        match self {
            Src::Static(v) => v.get(i).map(Src::Static),
            Src::Doc(v) => v.get(i).map(Src::Doc),
        }
    }
    fn to_scoped(self) -> ScopedCtx {
        match self {
            Src::Static(v) => ScopedCtx {
                json: CtxJson::Static(v),
                key: self.key(),
            },
            Src::Doc(v) => ScopedCtx {
                json: CtxJson::Owned(Arc::new(v.clone())),
                key: SrcKey::Owned(next_id()),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Term definitions and active contexts.

pub(crate) const C_LIST: u8 = 1;
pub(crate) const C_SET: u8 = 2;
pub(crate) const C_INDEX: u8 = 4;
pub(crate) const C_LANGUAGE: u8 = 8;
pub(crate) const C_GRAPH: u8 = 16;
pub(crate) const C_ID: u8 = 32;
pub(crate) const C_TYPE: u8 = 64;

/// Base direction of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Ltr,
    Rtl,
}

/// A term definition.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct TermDef {
    /// IRI mapping (`None`: the term is explicitly mapped to null).
    pub iri: Option<Arc<str>>,
    pub reverse: bool,
    pub prefix: bool,
    pub protected: bool,
    pub type_mapping: Option<Arc<str>>,
    pub container: u8,
    /// `Some(None)`: explicitly null.
    pub language: Option<Option<Arc<str>>>,
    pub direction: Option<Option<Direction>>,
    pub context: Option<ScopedCtx>,
    pub index: Option<Arc<str>>,
    pub nest: Option<Arc<str>>,
    /// The IRI mapping is an absolute IRI (not a keyword) usable as is in N-Quads.
    pub iri_ok: bool,
}

/// An active context. Immutable once built; shared through `Arc`.
#[derive(Debug)]
pub(crate) struct ActiveContext {
    pub id: u64,
    /// Derived only from bundled sources (may live in the process-wide cache).
    pub cacheable: bool,
    pub terms: FxMap<Arc<str>, Arc<TermDef>>,
    pub base: Option<Arc<str>>,
    pub vocab: Option<Arc<str>>,
    pub language: Option<Arc<str>>,
    pub direction: Option<Direction>,
    pub previous: Option<Arc<ActiveContext>>,
    pub has_protected: bool,
}

impl ActiveContext {
    fn empty(cacheable: bool) -> ActiveContext {
        ActiveContext {
            id: next_id(),
            cacheable,
            terms: FxMap::default(),
            base: None,
            vocab: None,
            language: None,
            direction: None,
            previous: None,
            has_protected: false,
        }
    }

    /// A copy with a fresh id.
    fn derive(&self, cacheable: bool) -> ActiveContext {
        ActiveContext {
            id: next_id(),
            cacheable,
            terms: self.terms.clone(),
            base: self.base.clone(),
            vocab: self.vocab.clone(),
            language: self.language.clone(),
            direction: self.direction,
            previous: self.previous.clone(),
            has_protected: self.has_protected,
        }
    }

    #[inline]
    pub(crate) fn term(&self, t: &str) -> Option<&Arc<TermDef>> {
        self.terms.get(t)
    }
}

/// The initial (empty) active context; the base IRI is null.
pub(crate) fn initial() -> Arc<ActiveContext> {
    static INITIAL: OnceLock<Arc<ActiveContext>> = OnceLock::new();
    INITIAL
        .get_or_init(|| Arc::new(ActiveContext::empty(true)))
        .clone()
}

// ---------------------------------------------------------------------------------------
// Caches and per-call state.

type CacheKey = (u64, SrcKey, u8);

const GLOBAL_CACHE_MAX: usize = 512;

fn global_cache() -> &'static Mutex<FxMap<CacheKey, Arc<ActiveContext>>> {
    static CACHE: OnceLock<Mutex<FxMap<CacheKey, Arc<ActiveContext>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(FxMap::default()))
}

fn global_get(k: &CacheKey) -> Option<Arc<ActiveContext>> {
    let guard = match global_cache().lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    guard.get(k).cloned()
}

fn global_put(k: CacheKey, v: Arc<ActiveContext>) {
    let mut guard = match global_cache().lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if guard.len() < GLOBAL_CACHE_MAX {
        guard.insert(k, v);
    }
}

/// Per-call context-processing state: a cache for contexts that involve the document's
/// own inline contexts, a work budget and the recursion depth.
#[derive(Debug)]
pub(crate) struct ProcState {
    local: FxMap<CacheKey, Arc<ActiveContext>>,
    budget: usize,
    depth: usize,
}

impl Default for ProcState {
    fn default() -> Self {
        ProcState {
            local: FxMap::default(),
            budget: limits::CONTEXT_WORK_BUDGET,
            depth: 0,
        }
    }
}

impl ProcState {
    fn spend(&mut self, units: usize) -> Result<(), JsonLdError> {
        if units > self.budget {
            return Err(JsonLdError::Limit(format!(
                "context processing needs more than {} term-definition operations",
                limits::CONTEXT_WORK_BUDGET
            )));
        }
        self.budget -= units;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// IRI expansion (on a finished active context).

/// IRI Expansion (JSON-LD 1.1 API §5.2, with jsonld.js' behaviour). `None` means the
/// value expands to null (keyword-like value, or a term mapped to null).
pub(crate) fn expand_iri<'x>(
    ctx: &ActiveContext,
    value: &'x str,
    vocab: bool,
    base: bool,
) -> Option<Iri<'x>> {
    if value.starts_with('@') {
        if is_keyword(value) {
            return Some(Iri::Borrowed(value));
        }
        if is_keyword_like(value) {
            return None;
        }
    }
    if vocab {
        if let Some(td) = ctx.terms.get(value) {
            return td.iri.clone().map(|i| {
                if td.iri_ok {
                    Iri::Checked(i)
                } else {
                    Iri::Shared(i)
                }
            });
        }
    }
    if let Some(colon) = value.find(':').filter(|&c| c > 0) {
        let prefix = &value[..colon];
        let suffix = &value[colon + 1..];
        if prefix == "_" || suffix.starts_with("//") {
            return Some(Iri::Borrowed(value));
        }
        if let Some(td) = ctx.terms.get(prefix) {
            if td.prefix {
                if let Some(p) = &td.iri {
                    let mut s = String::with_capacity(p.len() + suffix.len());
                    s.push_str(p);
                    s.push_str(suffix);
                    return Some(Iri::Owned(s));
                }
            }
        }
        if is_absolute_iri(value) {
            return Some(Iri::Borrowed(value));
        }
    }
    if vocab {
        if let Some(v) = &ctx.vocab {
            let mut s = String::with_capacity(v.len() + value.len());
            s.push_str(v);
            s.push_str(value);
            return Some(Iri::Owned(s));
        }
    }
    if base {
        if let Some(b) = &ctx.base {
            return Some(Iri::Owned(resolve(b, value)));
        }
    }
    Some(Iri::Borrowed(value))
}

/// The keyword `value` expands to (as a property, i.e. with `vocab`), if any — without
/// building IRIs. Only a keyword itself or a term aliasing a keyword can expand to one.
#[inline]
pub(crate) fn keyword_of(ctx: &ActiveContext, value: &str) -> Option<&'static str> {
    if value.starts_with('@') {
        return static_keyword(value);
    }
    match ctx.terms.get(value) {
        Some(td) => td.iri.as_deref().and_then(static_keyword),
        None => None,
    }
}

// ---------------------------------------------------------------------------------------
// Context Processing.

const F_OVERRIDE: u8 = 1;
const F_PROPAGATE: u8 = 2;
const F_REMOTE: u8 = 4;

/// Context Processing algorithm (JSON-LD 1.1 API §4.1), memoised.
///
/// `key` identifies `local` for caching; results derived only from bundled sources are
/// cached process-wide, the others for the duration of the call.
pub(crate) fn process(
    active: &Arc<ActiveContext>,
    local: Src<'_>,
    override_protected: bool,
    propagate: bool,
    remote: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    process_keyed(
        active,
        local,
        local.key(),
        override_protected,
        propagate,
        remote,
        st,
    )
}

/// Apply a scoped context (from a term definition).
pub(crate) fn process_scoped(
    active: &Arc<ActiveContext>,
    scoped: &ScopedCtx,
    override_protected: bool,
    propagate: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    process_keyed(
        active,
        scoped.src(),
        scoped.key,
        override_protected,
        propagate,
        false,
        st,
    )
}

fn process_keyed(
    active: &Arc<ActiveContext>,
    local: Src<'_>,
    key: SrcKey,
    override_protected: bool,
    propagate: bool,
    remote: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    let mut flags = 0;
    if override_protected {
        flags |= F_OVERRIDE;
    }
    if propagate {
        flags |= F_PROPAGATE;
    }
    if remote {
        flags |= F_REMOTE;
    }
    let ck = (active.id, key, flags);
    let global = active.cacheable && key.is_static();
    if global {
        if let Some(hit) = global_get(&ck) {
            return Ok(hit);
        }
    } else if let Some(hit) = st.local.get(&ck) {
        return Ok(hit.clone());
    }
    let result = process_uncached(active, local, override_protected, propagate, remote, st)?;
    if global && result.cacheable {
        global_put(ck, result.clone());
    } else {
        st.local.insert(ck, result.clone());
    }
    Ok(result)
}

fn invalid(msg: impl Into<String>) -> JsonLdError {
    JsonLdError::InvalidContext(msg.into())
}

fn process_uncached(
    active: &Arc<ActiveContext>,
    local: Src<'_>,
    override_protected: bool,
    mut propagate: bool,
    remote: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    st.depth += 1;
    if st.depth > limits::MAX_CONTEXT_DEPTH {
        return Err(JsonLdError::Limit(format!(
            "contexts nested (scoped, imported or referenced) more than {} levels deep",
            limits::MAX_CONTEXT_DEPTH
        )));
    }
    let r = process_inner(
        active,
        local,
        override_protected,
        &mut propagate,
        remote,
        st,
    );
    st.depth -= 1;
    r
}

fn process_inner(
    active: &Arc<ActiveContext>,
    local: Src<'_>,
    override_protected: bool,
    propagate: &mut bool,
    remote: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    // A context document {"@context": [...]}.
    let mut local = local;
    if let Some(inner) = local.get("@context") {
        if inner.v().is_array() {
            local = inner;
        }
    }
    let items: Vec<Src<'_>> = match local.v() {
        Value::Array(a) => (0..a.len()).filter_map(|i| local.index(i)).collect(),
        _ => vec![local],
    };
    if items.is_empty() {
        return Ok(active.clone());
    }
    if let Some(Value::Bool(b)) = items[0].v().get("@propagate") {
        *propagate = *b;
    }
    let mut result = active.clone();
    if !*propagate && result.previous.is_none() {
        let mut c = result.derive(result.cacheable);
        c.previous = Some(active.clone());
        result = Arc::new(c);
    }
    for item in items {
        match item.v() {
            Value::Null => {
                if !override_protected && result.has_protected {
                    return Err(invalid(
                        "a @context of null would nullify protected term definitions",
                    ));
                }
                let mut c = ActiveContext::empty(result.cacheable);
                if !*propagate {
                    c.previous = result.previous.clone();
                }
                result = Arc::new(c);
            }
            Value::String(url) => {
                let Some((_, doc)) = bundled::document(url) else {
                    return Err(JsonLdError::UnknownContext(format!(
                        "\"{url}\" is not one of the bundled contexts; remote contexts are never fetched"
                    )));
                };
                let doc = doc.map_err(invalid)?;
                let Some(ctx_value) = doc.get("@context") else {
                    return Err(invalid(format!(
                        "the context document {url} has no @context"
                    )));
                };
                result = process(
                    &result,
                    Src::Static(ctx_value),
                    override_protected,
                    true,
                    true,
                    st,
                )?;
            }
            Value::Object(_) => {
                result = process_object(&result, item, override_protected, remote, st)?;
            }
            _ => {
                return Err(invalid(
                    "a @context entry must be an object, a context URL or null",
                ))
            }
        }
    }
    Ok(result)
}

/// The local context being processed, possibly extended by an `@import`ed context.
struct View<'a> {
    main: Src<'a>,
    import: Option<&'static Map<String, Value>>,
}

impl<'a> View<'a> {
    fn get(&self, key: &str) -> Option<Src<'a>> {
        if let Some(v) = self.main.get(key) {
            return Some(v);
        }
        self.import.and_then(|m| m.get(key)).map(Src::Static)
    }
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    fn keys(&self) -> Vec<&'a str> {
        let mut keys: Vec<&'a str> = Vec::new();
        if let Some(m) = self.main.v().as_object() {
            keys.extend(m.keys().map(String::as_str));
        }
        if let Some(im) = self.import {
            for k in im.keys() {
                if self.main.get(k).is_none() {
                    keys.push(k.as_str());
                }
            }
        }
        keys
    }
}

const CONTEXT_KEYWORDS: &[&str] = &[
    "@base",
    "@direction",
    "@import",
    "@language",
    "@propagate",
    "@protected",
    "@version",
    "@vocab",
];

fn process_object(
    result: &Arc<ActiveContext>,
    obj: Src<'_>,
    override_protected: bool,
    remote: bool,
    st: &mut ProcState,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    let mut b = result.derive(result.cacheable && obj.is_static());
    st.spend(b.terms.len() + 1)?;

    if let Some(v) = obj.get("@version") {
        if v.v().as_f64() != Some(1.1) {
            return Err(invalid(format!(
                "unsupported @version {} (only 1.1)",
                v.v()
            )));
        }
    }

    let mut view = View {
        main: obj,
        import: None,
    };
    if let Some(iv) = obj.get("@import") {
        let Value::String(url) = iv.v() else {
            return Err(invalid("@import must be a string"));
        };
        let Some((_, doc)) = bundled::document(url) else {
            return Err(JsonLdError::UnknownContext(format!(
                "\"{url}\" (@import) is not one of the bundled contexts; remote contexts are never fetched"
            )));
        };
        let doc = doc.map_err(invalid)?;
        let Some(Value::Object(m)) = doc.get("@context") else {
            return Err(invalid(format!(
                "the @import-ed context {url} must be a single context object"
            )));
        };
        if m.contains_key("@import") {
            return Err(invalid(
                "an @import-ed context must not itself contain @import",
            ));
        }
        view.import = Some(m);
        // Combining an inline context with a static import is not cacheable.
        b.cacheable = b.cacheable && obj.is_static();
    }

    if !remote {
        if let Some(bv) = view.get("@base") {
            match bv.v() {
                Value::Null => b.base = None,
                Value::String(s) if is_absolute_iri(s) => b.base = Some(Arc::from(s.as_str())),
                Value::String(s) => match &b.base {
                    Some(cur) => b.base = Some(Arc::from(resolve(cur, s))),
                    None => {
                        return Err(JsonLdError::RelativeIri(format!(
                        "@base \"{s}\" is relative and there is no base IRI to resolve it against"
                    )))
                    }
                },
                _ => return Err(invalid("@base must be a string or null")),
            }
        }
    }

    if let Some(vv) = view.get("@vocab") {
        match vv.v() {
            Value::Null => b.vocab = None,
            Value::String(s) => {
                let e = expand_iri(&b, s, true, true).map(|i| i.to_string());
                match e {
                    Some(e) if is_absolute_iri(&e) => b.vocab = Some(Arc::from(e)),
                    _ => {
                        return Err(JsonLdError::RelativeIri(format!(
                            "@vocab \"{s}\" does not expand to an absolute IRI"
                        )))
                    }
                }
            }
            _ => return Err(invalid("@vocab must be a string or null")),
        }
    }

    if let Some(lv) = view.get("@language") {
        match lv.v() {
            Value::Null => b.language = None,
            Value::String(s) => {
                if !is_bcp47(s) {
                    return Err(invalid(format!(
                        "default @language \"{s}\" is not a well-formed language tag"
                    )));
                }
                b.language = Some(Arc::from(s.to_ascii_lowercase()));
            }
            _ => return Err(invalid("@language must be a string or null")),
        }
    }

    if let Some(dv) = view.get("@direction") {
        b.direction = match dv.v() {
            Value::Null => None,
            Value::String(s) if s == "ltr" => Some(Direction::Ltr),
            Value::String(s) if s == "rtl" => Some(Direction::Rtl),
            _ => return Err(invalid("@direction must be \"ltr\", \"rtl\" or null")),
        };
    }

    if let Some(pv) = view.get("@propagate") {
        if !pv.v().is_boolean() {
            return Err(invalid("@propagate must be true or false"));
        }
    }

    let protected_default = match view.get("@protected").map(Src::v) {
        None => false,
        Some(Value::Bool(p)) => *p,
        Some(_) => return Err(invalid("@protected must be true or false")),
    };

    let keys = view.keys();
    let mut defined: FxMap<&str, bool> = FxMap::default();
    let mut def = Definer {
        view: &view,
        override_protected,
        protected_default,
        st,
    };
    for key in &keys {
        if CONTEXT_KEYWORDS.contains(key) {
            continue;
        }
        def.create_term(&mut b, key, &mut defined, 0)?;
    }
    b.has_protected = b.terms.values().any(|t| t.protected);

    // Validate scoped contexts of inline (document) contexts; the bundled ones are
    // known to be valid and are processed whenever used.
    if !obj.is_static() {
        let snapshot = Arc::new(b.derive(false));
        for key in &keys {
            if CONTEXT_KEYWORDS.contains(key) {
                continue;
            }
            let Some(tv) = view.get(key) else { continue };
            let Some(sc) = tv.get("@context") else {
                continue;
            };
            if let Err(e) = process(&snapshot, sc, true, true, false, st) {
                return Err(match e {
                    JsonLdError::UnknownContext(_) | JsonLdError::Limit(_) => e,
                    other => invalid(format!("invalid scoped context of term \"{key}\": {other}")),
                });
            }
        }
    }
    Ok(Arc::new(b))
}

const TERM_KEYS: &[&str] = &[
    "@container",
    "@context",
    "@direction",
    "@id",
    "@index",
    "@language",
    "@nest",
    "@prefix",
    "@protected",
    "@reverse",
    "@type",
];

struct Definer<'v, 'a, 's> {
    view: &'v View<'a>,
    override_protected: bool,
    protected_default: bool,
    st: &'s mut ProcState,
}

impl<'a> Definer<'_, 'a, '_> {
    /// Create Term Definition (JSON-LD 1.1 API §4.2).
    fn create_term(
        &mut self,
        b: &mut ActiveContext,
        term: &'a str,
        defined: &mut FxMap<&'a str, bool>,
        depth: usize,
    ) -> Result<(), JsonLdError> {
        match defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => {
                return Err(invalid(format!(
                    "cyclic IRI mapping: the definition of term \"{term}\" depends on itself"
                )))
            }
            None => {}
        }
        if depth > limits::MAX_TERM_DEPENDENCY_DEPTH {
            return Err(JsonLdError::Limit(format!(
                "term definitions depend on each other more than {} levels deep",
                limits::MAX_TERM_DEPENDENCY_DEPTH
            )));
        }
        self.st.spend(1)?;
        defined.insert(term, false);
        let Some(value) = self.view.get(term) else {
            return Err(invalid(format!("term \"{term}\" is not defined")));
        };

        if term == "@type" {
            let ok = match value.v() {
                Value::Object(m) => {
                    !m.is_empty()
                        && m.keys()
                            .all(|k| matches!(k.as_str(), "@container" | "@id" | "@protected"))
                        && m.get("@container").is_none_or(|c| c == "@set")
                }
                _ => false,
            };
            if !ok {
                return Err(invalid("keywords cannot be redefined (\"@type\")"));
            }
        } else if is_keyword(term) {
            return Err(invalid(format!(
                "keywords cannot be redefined (\"{term}\")"
            )));
        } else if is_keyword_like(term) {
            return Err(invalid(format!(
                "term \"{term}\" has the form of a keyword; such terms are reserved and would be ignored"
            )));
        } else if term.is_empty() {
            return Err(invalid("a term cannot be the empty string"));
        }

        let previous = b.terms.remove(term);

        let simple = matches!(value.v(), Value::String(_) | Value::Null);
        let map: Option<&Map<String, Value>> = match value.v() {
            Value::Object(m) => Some(m),
            Value::String(_) | Value::Null => None,
            _ => {
                return Err(invalid(format!(
                    "the definition of term \"{term}\" must be a string, an object or null"
                )))
            }
        };
        if let Some(m) = map {
            if let Some(k) = m.keys().find(|k| !TERM_KEYS.contains(&k.as_str())) {
                return Err(invalid(format!(
                    "the definition of term \"{term}\" contains an invalid entry \"{k}\""
                )));
            }
        }
        let get = |k: &str| -> Option<Src<'a>> {
            if map.is_some() {
                value.get(k)
            } else {
                None
            }
        };
        let id_value: Option<Src<'a>> = if simple { Some(value) } else { get("@id") };

        let colon = term.find(':').filter(|&c| c > 0);
        let mut td = TermDef::default();
        let mut iri_set = false;

        if let Some(rev) = get("@reverse") {
            if get("@id").is_some() || get("@nest").is_some() {
                return Err(invalid(format!(
                    "the @reverse term \"{term}\" must not also have @id or @nest"
                )));
            }
            let Value::String(r) = rev.v() else {
                return Err(invalid(format!(
                    "@reverse of term \"{term}\" must be a string"
                )));
            };
            if is_keyword_like(r) {
                return Err(invalid(format!(
                    "@reverse value \"{r}\" of term \"{term}\" has the form of a keyword"
                )));
            }
            let e = self.expand_iri_def(b, r, defined, depth)?;
            match e {
                Some(e) if is_absolute_iri(&e) => td.iri = Some(Arc::from(e)),
                _ => {
                    return Err(invalid(format!(
                        "@reverse of term \"{term}\" is not an absolute IRI"
                    )))
                }
            }
            td.reverse = true;
            iri_set = true;
        } else if let Some(idv) = id_value {
            match idv.v() {
                Value::Null => {
                    td.iri = None;
                    iri_set = true;
                }
                Value::String(s) => {
                    if !is_keyword(s) && is_keyword_like(s) {
                        return Err(invalid(format!(
                            "@id \"{s}\" of term \"{term}\" has the form of a keyword"
                        )));
                    }
                    if s != term {
                        let e = self.expand_iri_def(b, s, defined, depth)?;
                        let Some(e) = e.filter(|e| is_absolute_iri(e) || is_keyword(e)) else {
                            return Err(invalid(format!(
                                "term \"{term}\" maps to \"{s}\", which is not an absolute IRI, blank node identifier or keyword"
                            )));
                        };
                        if looks_like_iri(term) {
                            defined.insert(term, true);
                            let own = self.expand_iri_def(b, term, defined, depth);
                            defined.insert(term, false);
                            if own?.as_deref() != Some(e.as_str()) {
                                return Err(invalid(format!(
                                    "term \"{term}\" has the form of an IRI but maps to a different IRI"
                                )));
                            }
                        }
                        td.prefix = simple
                            && colon.is_none()
                            && e.ends_with([':', '/', '?', '#', '[', ']', '@']);
                        td.iri = Some(Arc::from(e));
                        iri_set = true;
                    }
                }
                _ => {
                    return Err(invalid(format!(
                        "@id of term \"{term}\" must be a string or null"
                    )))
                }
            }
        }

        if !iri_set {
            if let Some(c) = colon {
                let prefix = &term[..c];
                let suffix = &term[c + 1..];
                if self.view.has(prefix) {
                    self.create_term(b, prefix, defined, depth + 1)?;
                }
                match b.terms.get(prefix) {
                    Some(pd) => match &pd.iri {
                        Some(p) => td.iri = Some(Arc::from(format!("{p}{suffix}"))),
                        None => {
                            return Err(invalid(format!(
                                "the prefix of term \"{term}\" is mapped to null"
                            )))
                        }
                    },
                    None => td.iri = Some(Arc::from(term)),
                }
            } else if term == "@type" {
                td.iri = Some(Arc::from("@type"));
            } else if let Some(v) = &b.vocab {
                td.iri = Some(Arc::from(format!("{v}{term}")));
            } else {
                return Err(invalid(format!(
                    "term \"{term}\" has no @id and there is no @vocab to derive one"
                )));
            }
        }

        match get("@protected").map(Src::v) {
            None => td.protected = self.protected_default,
            Some(Value::Bool(p)) => td.protected = *p,
            Some(_) => {
                return Err(invalid(format!(
                    "@protected of term \"{term}\" must be true or false"
                )))
            }
        }

        defined.insert(term, true);

        if let Some(tv) = get("@type") {
            let Value::String(t) = tv.v() else {
                return Err(invalid(format!(
                    "@type of term \"{term}\" must be a string"
                )));
            };
            let mapped: Arc<str> = match t.as_str() {
                "@id" | "@vocab" | "@json" | "@none" => Arc::from(t.as_str()),
                _ => {
                    let e = self.expand_iri_def(b, t, defined, depth)?;
                    match e {
                        Some(e) if is_absolute_iri(&e) && !e.starts_with("_:") => Arc::from(e),
                        _ => {
                            return Err(invalid(format!(
                                "@type \"{t}\" of term \"{term}\" is not an absolute IRI"
                            )))
                        }
                    }
                }
            };
            td.type_mapping = Some(mapped);
        }

        if let Some(cv) = get("@container") {
            let list: Vec<&str> = match cv.v() {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => {
                    let mut l = Vec::with_capacity(a.len());
                    for x in a {
                        let Value::String(s) = x else {
                            return Err(invalid(format!(
                                "@container of term \"{term}\" must contain strings"
                            )));
                        };
                        l.push(s.as_str());
                    }
                    l
                }
                Value::Null => vec![],
                _ => {
                    return Err(invalid(format!(
                        "@container of term \"{term}\" must be a string or an array"
                    )))
                }
            };
            let mut flags = 0u8;
            for c in &list {
                flags |= match *c {
                    "@list" => C_LIST,
                    "@set" => C_SET,
                    "@index" => C_INDEX,
                    "@language" => C_LANGUAGE,
                    "@graph" => C_GRAPH,
                    "@id" => C_ID,
                    "@type" => C_TYPE,
                    other => {
                        return Err(invalid(format!(
                            "invalid @container value \"{other}\" in term \"{term}\""
                        )))
                    }
                };
            }
            let has_set = flags & C_SET != 0;
            let valid = if flags & C_LIST != 0 {
                list.len() == 1
            } else if flags & C_GRAPH != 0 {
                flags & !(C_GRAPH | C_ID | C_INDEX | C_SET) == 0
            } else {
                list.len() <= if has_set { 2 } else { 1 }
            };
            if !valid {
                return Err(invalid(format!(
                    "invalid combination of @container values in term \"{term}\""
                )));
            }
            if flags & C_TYPE != 0 {
                let tm = td.type_mapping.get_or_insert_with(|| Arc::from("@id"));
                if &**tm != "@id" && &**tm != "@vocab" {
                    return Err(invalid(format!(
                        "term \"{term}\" has an @type container, so its @type must be @id or @vocab"
                    )));
                }
            }
            if td.reverse && flags & !(C_INDEX | C_SET) != 0 {
                return Err(invalid(format!(
                    "the @reverse term \"{term}\" may only have an @index or @set container"
                )));
            }
            td.container = flags;
        }

        if let Some(iv) = get("@index") {
            if td.container & C_INDEX == 0 {
                return Err(invalid(format!(
                    "term \"{term}\" has @index but no @index container"
                )));
            }
            match iv.v() {
                Value::String(s) if !s.starts_with('@') => td.index = Some(Arc::from(s.as_str())),
                _ => {
                    return Err(invalid(format!(
                        "@index of term \"{term}\" must be a property name"
                    )))
                }
            }
        }

        if let Some(sc) = get("@context") {
            td.context = Some(sc.to_scoped());
        }

        if get("@type").is_none() {
            if let Some(lv) = get("@language") {
                td.language = Some(match lv.v() {
                    Value::Null => None,
                    Value::String(s) => {
                        if !is_bcp47(s) {
                            return Err(invalid(format!(
                                "@language \"{s}\" of term \"{term}\" is not a well-formed language tag"
                            )));
                        }
                        Some(Arc::from(s.to_ascii_lowercase()))
                    }
                    _ => {
                        return Err(invalid(format!(
                            "@language of term \"{term}\" must be a string or null"
                        )))
                    }
                });
            }
        }

        if let Some(pv) = get("@prefix") {
            if term.contains(':') || term.contains('/') {
                return Err(invalid(format!(
                    "term \"{term}\" is a compact IRI or IRI and cannot have @prefix"
                )));
            }
            if td.iri.as_deref().is_some_and(is_keyword) {
                return Err(invalid(format!(
                    "term \"{term}\" maps to a keyword and cannot be a prefix"
                )));
            }
            let Value::Bool(p) = pv.v() else {
                return Err(invalid(format!(
                    "@prefix of term \"{term}\" must be true or false"
                )));
            };
            td.prefix = *p;
        }

        if let Some(dv) = get("@direction") {
            td.direction = Some(match dv.v() {
                Value::Null => None,
                Value::String(s) if s == "ltr" => Some(Direction::Ltr),
                Value::String(s) if s == "rtl" => Some(Direction::Rtl),
                _ => {
                    return Err(invalid(format!(
                        "@direction of term \"{term}\" must be \"ltr\", \"rtl\" or null"
                    )))
                }
            });
        }

        if let Some(nv) = get("@nest") {
            match nv.v() {
                Value::String(s) if s == "@nest" || !s.starts_with('@') => {
                    td.nest = Some(Arc::from(s.as_str()))
                }
                _ => {
                    return Err(invalid(format!(
                        "@nest of term \"{term}\" must be @nest or a term"
                    )))
                }
            }
        }

        if matches!(td.iri.as_deref(), Some("@context") | Some("@preserve")) {
            return Err(invalid(format!(
                "term \"{term}\" aliases @context or @preserve, which is not allowed"
            )));
        }

        td.iri_ok = td
            .iri
            .as_deref()
            .is_some_and(|i| !i.starts_with('@') && is_absolute_iri(i) && has_only_iri_chars(i));

        if let Some(prev) = previous {
            if prev.protected && !self.override_protected {
                td.protected = true;
                if *prev != td {
                    return Err(invalid(format!(
                        "protected term redefinition: \"{term}\" is protected by an earlier context and cannot be redefined"
                    )));
                }
                b.terms.insert(Arc::from(term), prev);
                return Ok(());
            }
        }
        b.terms.insert(Arc::from(term), Arc::new(td));
        Ok(())
    }

    /// IRI expansion while a local context is being processed: terms of the local
    /// context that are needed are defined first.
    fn expand_iri_def(
        &mut self,
        b: &mut ActiveContext,
        value: &'a str,
        defined: &mut FxMap<&'a str, bool>,
        depth: usize,
    ) -> Result<Option<String>, JsonLdError> {
        if is_keyword(value) {
            return Ok(Some(value.to_owned()));
        }
        if is_keyword_like(value) {
            return Ok(None);
        }
        if self.view.has(value) && defined.get(value) != Some(&true) {
            self.create_term(b, value, defined, depth + 1)?;
        }
        if let Some(td) = b.terms.get(value) {
            return Ok(td.iri.as_deref().map(str::to_owned));
        }
        if let Some(colon) = value.find(':').filter(|&c| c > 0) {
            let prefix = &value[..colon];
            let suffix = &value[colon + 1..];
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(Some(value.to_owned()));
            }
            if self.view.has(prefix) {
                self.create_term(b, prefix, defined, depth + 1)?;
            }
            if let Some(td) = b.terms.get(prefix) {
                if td.prefix {
                    if let Some(p) = &td.iri {
                        return Ok(Some(format!("{p}{suffix}")));
                    }
                }
            }
            if is_absolute_iri(value) {
                return Ok(Some(value.to_owned()));
            }
        }
        if let Some(v) = &b.vocab {
            return Ok(Some(format!("{v}{value}")));
        }
        Ok(Some(value.to_owned()))
    }
}

/// Process every bundled context once (used by tests to make sure they are all valid).
#[cfg(test)]
pub(crate) fn process_url(url: &str) -> Result<Arc<ActiveContext>, JsonLdError> {
    let mut st = ProcState::default();
    let v = Value::String(url.to_owned());
    process(&initial(), Src::Doc(&v), false, true, false, &mut st)
}
