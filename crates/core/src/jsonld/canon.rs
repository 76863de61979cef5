//! RDFC-1.0 (SHA-256) canonical N-Quads of the emitted quads.
//!
//! The canonical blank node labels come from `rdf-canon`, with a limit on Hash N-Degree
//! Quads calls. When every blank node already has a distinct first-degree hash — the usual
//! case for credentials — RDFC-1.0 (§4.4.3 steps 1–4) labels them in hash order without the
//! N-degree step; that case is computed here directly, with the same quads, serialisation and
//! hashing as `rdf-canon` (a unit test checks they agree), which avoids building
//! `oxrdf::Dataset`s. The canonical N-Quads document is always written here.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::context::FxBuild;
use super::error::JsonLdError;
use super::limits;
use super::rdf::{to_ox, write_line, Obj, Res, Q};

/// Lines written into one buffer, sorted and de-duplicated.
struct Lines {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl Lines {
    fn with_capacity(lines: usize) -> Lines {
        Lines {
            buf: String::with_capacity(lines * 120),
            spans: Vec::with_capacity(lines),
        }
    }
    fn clear(&mut self) {
        self.buf.clear();
        self.spans.clear();
    }
    fn push<'l>(&mut self, q: &Q<'_>, label: &dyn Fn(u32) -> &'l str) {
        let start = self.buf.len();
        write_line(&mut self.buf, q, label);
        self.spans.push((start, self.buf.len()));
    }
    fn sorted(&mut self) -> impl Iterator<Item = &str> {
        let buf = &self.buf;
        self.spans
            .sort_unstable_by(|a, b| buf[a.0..a.1].cmp(&buf[b.0..b.1]));
        self.spans.iter().map(move |&(s, e)| &buf[s..e])
    }
}

fn blanks(q: &Q<'_>) -> [Option<u32>; 3] {
    let b = |r: &Res<'_>| match r {
        Res::Blank(n) => Some(*n),
        Res::Iri(_) => None,
    };
    [
        b(&q.s),
        match &q.o {
            Obj::Res(r) => b(r),
            Obj::Lit { .. } => None,
        },
        q.g.as_ref().and_then(b),
    ]
}

/// Canonical N-Quads of `quads`, whose blank nodes are numbered below `bnodes`.
pub(crate) fn canonicalize_quads(quads: &[Q<'_>], bnodes: u32) -> Result<String, JsonLdError> {
    // An RDF dataset is a set: duplicates must not count twice in the blank node hashes.
    // (Duplicates without blank nodes are dropped with the duplicate lines at the end.)
    let mut seen: HashSet<&Q<'_>, FxBuild> = HashSet::default();
    let quads: Vec<&Q<'_>> = quads
        .iter()
        .filter(|q| blanks(q).iter().all(Option::is_none) || seen.insert(*q))
        .collect();

    let labels = match first_degree_labels(&quads, bnodes) {
        FirstDegree::Unique(l) => l,
        FirstDegree::Shared(non_unique, permutations) => {
            // Each Hash N-Degree Quads call enumerates every permutation of the related
            // blank nodes sharing a hash (§4.8.3 step 5.4), and calls are capped at
            // `non_unique`: bound their product, or a few quads take minutes.
            if permutations.saturating_mul(non_unique as u64) > limits::HNDQ_PERMUTATION_LIMIT {
                return Err(JsonLdError::Limit(format!(
                    "RDF canonicalization would try {permutations} orderings of indistinguishable blank nodes for each of {non_unique} blank nodes"
                )));
            }
            rdfc_labels(&quads, bnodes, non_unique)?
        }
    };
    for q in &quads {
        for b in blanks(q).into_iter().flatten() {
            if labels.get(b as usize).is_none_or(String::is_empty) {
                return Err(JsonLdError::Canonicalization(format!(
                    "no canonical label for blank node _:b{b}"
                )));
            }
        }
    }
    let label = |b: u32| labels.get(b as usize).map_or("", String::as_str);
    let mut lines = Lines::with_capacity(quads.len());
    for q in &quads {
        lines.push(q, &label);
    }
    let mut out = String::with_capacity(lines.buf.len());
    let mut last: Option<&str> = None;
    for l in lines.sorted() {
        if last != Some(l) {
            out.push_str(l);
        }
        last = Some(l);
    }
    Ok(out)
}

pub(crate) enum FirstDegree {
    /// Every blank node has its own first-degree hash: the canonical labels, by number.
    Unique(Vec<String>),
    /// Some hashes are shared, by this many blank nodes; and an upper bound on the
    /// permutations one Hash N-Degree Quads call on one of them goes through.
    Shared(usize, u64),
}

/// RDFC-1.0 §4.4.3 steps 2–4: Hash First Degree Quads (§4.6) of each blank node; if all
/// hashes differ, the labels are issued in hash order and the algorithm is done.
/// (As in `rdf-canon`, a quad is listed once per occurrence of the blank node in it.)
pub(crate) fn first_degree_labels(quads: &[&Q<'_>], bnodes: u32) -> FirstDegree {
    let mut by_node: Vec<Vec<usize>> = vec![Vec::new(); bnodes as usize];
    for (i, q) in quads.iter().enumerate() {
        for b in blanks(q).into_iter().flatten() {
            if let Some(v) = by_node.get_mut(b as usize) {
                v.push(i);
            }
        }
    }
    let mut hashed: Vec<([u8; 32], u32)> = Vec::new();
    let mut lines = Lines::with_capacity(8);
    for (b, idxs) in by_node.iter().enumerate() {
        if idxs.is_empty() {
            continue;
        }
        let b = b as u32;
        lines.clear();
        let label = |n: u32| if n == b { "a" } else { "z" };
        for &i in idxs {
            lines.push(quads[i], &label);
        }
        let mut h = Sha256::new();
        for l in lines.sorted() {
            h.update(l.as_bytes());
        }
        hashed.push((h.finalize().into(), b));
    }
    hashed.sort_unstable();
    let shared = (0..hashed.len())
        .filter(|&i| {
            (i > 0 && hashed[i - 1].0 == hashed[i].0)
                || (i + 1 < hashed.len() && hashed[i + 1].0 == hashed[i].0)
        })
        .count();
    if shared > 0 {
        return FirstDegree::Shared(shared, permutation_bound(quads, &by_node, &hashed));
    }
    let mut labels = vec![String::new(); bnodes as usize];
    for (n, (_, b)) in hashed.iter().enumerate() {
        if let Some(l) = labels.get_mut(*b as usize) {
            *l = format!("c14n{n}");
        }
    }
    FirstDegree::Unique(labels)
}

/// The most permutations Hash N-Degree Quads (§4.8.3) can go through for one blank node
/// that shares its first-degree hash: the product of `k!` over the groups of related
/// blank node mentions in its quads (as `rdf-canon` and the spec list them: once per
/// quad and position, repeats included). Grouping by position, predicate and the related
/// node's first-degree hash gives groups at least as large as the related-hash groups of
/// step 3, so this is an upper bound.
fn permutation_bound(quads: &[&Q<'_>], by_node: &[Vec<usize>], hashed: &[([u8; 32], u32)]) -> u64 {
    let mut first: Vec<Option<[u8; 32]>> = vec![None; by_node.len()];
    for (h, b) in hashed {
        if let Some(slot) = first.get_mut(*b as usize) {
            *slot = Some(*h);
        }
    }
    let shared = |b: u32| {
        let h = first.get(b as usize).copied().flatten();
        hashed.iter().filter(|(x, _)| Some(*x) == h).count() > 1
    };
    let mut worst = 1u64;
    let mut groups: std::collections::HashMap<(u8, &str, Option<[u8; 32]>), u64> =
        std::collections::HashMap::new();
    for (b, idxs) in by_node.iter().enumerate() {
        let b = b as u32;
        if idxs.is_empty() || !shared(b) {
            continue;
        }
        groups.clear();
        for &i in idxs {
            let q = quads[i];
            let [s, o, g] = blanks(q);
            for (pos, r) in [(b's', s), (b'o', o), (b'g', g)] {
                match r {
                    Some(r) if r != b => {
                        let p = if pos == b'g' { "" } else { q.p };
                        let h = first.get(r as usize).copied().flatten();
                        *groups.entry((pos, p, h)).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }
        let perms = groups.values().fold(1u64, |acc, &k| {
            (2..=k).fold(acc, |acc, n| acc.saturating_mul(n))
        });
        worst = worst.max(perms);
    }
    worst
}

/// Canonical labels from `rdf-canon` (the general case). Like jsonld.js (`rdf-canonize`,
/// `maxWorkFactor` 1), Hash N-Degree Quads may run at most once per blank node that shares
/// its first-degree hash: enough for duplicated sub-trees, while a poison graph fails fast
/// instead of taking exponential time.
pub(crate) fn rdfc_labels(
    quads: &[&Q<'_>],
    bnodes: u32,
    non_unique: usize,
) -> Result<Vec<String>, JsonLdError> {
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(non_unique.min(limits::HNDQ_CALL_LIMIT)),
    };
    // Only quads with blank nodes take part in the labelling.
    let dataset: oxrdf::Dataset = quads
        .iter()
        .filter(|q| blanks(q).iter().any(Option::is_some))
        .map(|q| to_ox(q))
        .collect();
    let issued = rdf_canon::issue_with::<Sha256>(&dataset, &options).map_err(|e| match e {
        rdf_canon::CanonicalizationError::HndqCallLimitExceeded(n) => JsonLdError::Limit(format!(
            "RDF canonicalization gave up after {n} Hash N-Degree Quads calls (too many indistinguishable blank nodes)"
        )),
        other => JsonLdError::Canonicalization(other.to_string()),
    })?;
    let mut labels = vec![String::new(); bnodes as usize];
    for (id, label) in issued {
        let n = id.strip_prefix('b').and_then(|n| n.parse::<usize>().ok());
        match n.and_then(|n| labels.get_mut(n)) {
            Some(slot) => *slot = label,
            None => {
                return Err(JsonLdError::Canonicalization(format!(
                    "unexpected blank node _:{id}"
                )))
            }
        }
    }
    Ok(labels)
}
