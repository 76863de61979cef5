//! `qlabel registry publish`: the authority's static site — signed registry and shards,
//! status lists, label credentials, certificate pages, trust anchor, controller
//! document, index and `_headers`.
//!
//! Everything is built from the label records and the time given, sorted by label id,
//! so the same state and time give the same files.

use super::{AuthorityFile, LabelRecord};
use qlabel_core::label::{
    label_credential, registry_document, shard_of, status_list_credential, EntryStatus,
    LabelParams, RegistryEntry, StatusEvent, TrustAnchor,
};
use qlabel_core::{datetime, SignOptions, Suite};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use time::OffsetDateTime;

/// The smallest status list the Bitstring Status List spec allows: 16 KB (131 072 entries).
const MIN_LIST_BYTES: usize = 16 * 1024;
/// How long a registry is fresh.
const NEXT_UPDATE_DAYS: i64 = 7;
/// `Cache-Control` for the registry, shards and status lists: well under `nextUpdate`.
const CACHE_CONTROL: &str = "public, max-age=3600";

/// What `publish` hands over.
pub(super) struct SiteInput<'a> {
    pub out: &'a Path,
    /// Without a trailing slash.
    pub base: &'a str,
    pub authority: &'a AuthorityFile,
    pub anchor: &'a TrustAnchor,
    pub key: &'a crate::keyfile::SigningKey,
    pub records: &'a [LabelRecord],
    pub now: OffsetDateTime,
}

/// What was written.
#[derive(Debug)]
pub(super) struct Summary {
    pub labels: usize,
    pub shards: usize,
    pub warnings: Vec<String>,
}

/// How a label stands at publish time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Valid,
    NotYetValid,
    Suspended,
    Withdrawn,
    Expired,
}

/// One label, ready to publish.
struct Item<'a> {
    record: &'a LabelRecord,
    id: String,
    entry: RegistryEntry,
    shown: Shown,
}

pub(super) fn write_site(input: &SiteInput<'_>) -> Result<Summary, String> {
    let SiteInput {
        out,
        base,
        authority,
        anchor,
        key,
        records,
        now,
    } = *input;
    let mut warnings = Vec::new();
    let stamp = datetime::format(now);
    let next_update = datetime::format(now + time::Duration::days(NEXT_UPDATE_DAYS));
    let vm = authority.verification_method.as_str();

    // The labels, sorted by id, checked for what a hand-edited store could break.
    let mut sorted: Vec<&LabelRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    let mut seen_r = HashSet::new();
    let mut seen_s = HashSet::new();
    let mut items = Vec::with_capacity(sorted.len());
    for (i, r) in sorted.iter().enumerate() {
        if !super::is_uuid(&r.uuid) {
            return Err(format!("label store: '{}' is not a UUID", r.uuid));
        }
        if i > 0 && sorted[i - 1].uuid == r.uuid {
            return Err(format!("label store: the label {} appears twice", r.uuid));
        }
        if !seen_r.insert(r.revocation_index) || !seen_s.insert(r.suspension_index) {
            return Err(format!(
                "label store: the label {} shares a status-list index with another label",
                r.uuid
            ));
        }
        if r.holder.ids.is_empty() {
            return Err(format!(
                "label store: the label {} has no holder id",
                r.uuid
            ));
        }
        items.push(item(r, base, now)?);
    }

    // Status lists: revocation = withdrawn, suspension = suspended.
    let bits_for = |index: fn(&LabelRecord) -> u64, set: fn(&LabelRecord) -> bool| {
        let max = records.iter().map(index).max().unwrap_or(0);
        let len = usize::try_from(max / 8 + 1)
            .unwrap_or(usize::MAX)
            .max(MIN_LIST_BYTES);
        let mut bits = vec![0u8; len];
        for r in records.iter().filter(|r| set(r)) {
            let i = index(r) as usize;
            bits[i / 8] |= 0x80 >> (i % 8);
        }
        bits
    };
    let max_index = records
        .iter()
        .map(|r| r.revocation_index.max(r.suspension_index))
        .max()
        .unwrap_or(0);
    if max_index >= 16 * 1024 * 1024 * 8 {
        return Err("label store: a status-list index is beyond 134 million".into());
    }
    let revoked = bits_for(
        |r| r.revocation_index,
        |r| r.status == EntryStatus::Withdrawn,
    );
    let suspended = bits_for(
        |r| r.suspension_index,
        |r| r.status == EntryStatus::Suspended,
    );

    for dir in ["labels", "shards", "status"] {
        let d = out.join(dir);
        std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    // Everything the authority signs is eddsa-jcs-2022: verifiers (a browser's above all)
    // check a label without RDF canonicalization, which qlabel-wasm loads only for badges
    // that need it.
    let jcs = SignOptions {
        suite: Suite::EddsaJcs2022,
        verification_method: vm.to_string(),
        created: Some(now),
        id: None,
        previous: Vec::new(),
    };
    let sign = |doc: &Value, options: &SignOptions, what: &str| {
        qlabel_core::sign(doc, key, options).map_err(|e| format!("signing {what}: {e}"))
    };

    for (name, purpose, bits) in [
        ("revocation", "revocation", &revoked),
        ("suspension", "suspension", &suspended),
    ] {
        let id = format!("{base}/status/{name}");
        let doc = status_list_credential(&id, &authority.id, purpose, &stamp, bits);
        write_json(
            out,
            &format!("status/{name}"),
            &sign(&doc, &jcs, &id)?,
            true,
        )?;
    }

    // The whole registry.
    let entries: Vec<RegistryEntry> = items.iter().map(|i| i.entry.clone()).collect();
    let registry_id = format!("{base}/registry.json");
    let registry = registry_document(
        &registry_id,
        &authority.id,
        &stamp,
        &next_update,
        None,
        &entries,
    );
    write_json(
        out,
        "registry.json",
        &sign(&registry, &jcs, &registry_id)?,
        false,
    )?;
    drop(entries);

    // Shards: every shard any holder id falls in, with the labels having an id there.
    let mut shards: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        for id in &it.record.holder.ids {
            let list = shards.entry(shard_of(id)).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let shard_list: Vec<(&String, &Vec<usize>)> = shards.iter().collect();
    produce(out, &shard_list, |(name, members)| {
        let id = format!("{base}/shards/{name}.json");
        let subset: Vec<RegistryEntry> = members.iter().map(|&i| items[i].entry.clone()).collect();
        let doc = registry_document(
            &id,
            &authority.id,
            &stamp,
            &next_update,
            Some(name),
            &subset,
        );
        Ok(vec![(
            format!("shards/{name}.json"),
            json_text(&sign(&doc, &jcs, &id)?, false)?,
        )])
    })?;

    // Label credentials and certificate pages.
    let status_base = format!("{base}/status");
    let page = Page {
        authority,
        stamp: &stamp,
    };
    produce(out, &items, |it| {
        let r = it.record;
        let certificate = format!("{base}/labels/{}.html", r.uuid);
        let doc = label_credential(&LabelParams {
            id: &it.id,
            authority_id: &authority.id,
            authority_name: &authority.name,
            holder: &r.holder,
            domains: &r.domains,
            scope: &r.scope,
            valid_from: &r.valid_from,
            valid_until: &r.valid_until,
            status: Some((&status_base, r.revocation_index, r.suspension_index)),
            certificate: &certificate,
        });
        Ok(vec![
            (
                format!("labels/{}.json", r.uuid),
                json_text(&sign(&doc, &jcs, &it.id)?, true)?,
            ),
            (
                format!("labels/{}.html", r.uuid),
                page.certificate(it).into_bytes(),
            ),
        ])
    })?;

    // The authority: controller document, trust anchor; index and headers.
    let controller = controller_document(authority, base);
    write_json(out, "authority.json", &controller, true)?;
    let mut extra_json = Vec::new();
    match id_path(&authority.id, base) {
        Ok(Some(rel)) if rel == "authority.json" => {}
        Ok(Some(rel)) => {
            write_json(out, &rel, &controller, true)?;
            extra_json.push(rel);
        }
        Ok(None) => {}
        Err(w) => warnings.push(w),
    }
    write_json(
        out,
        "trust.json",
        &serde_json::to_value(anchor).map_err(|e| e.to_string())?,
        true,
    )?;
    write(out, "index.html", page.index(&items).as_bytes())?;
    write(out, "_headers", headers(&extra_json).as_bytes())?;

    Ok(Summary {
        labels: items.len(),
        shards: shards.len(),
        warnings,
    })
}

/// The registry entry of one record at `now`.
fn item<'a>(r: &'a LabelRecord, base: &str, now: OffsetDateTime) -> Result<Item<'a>, String> {
    let time = |t: &str, what: &str| {
        datetime::parse(t)
            .filter(|t| t.had_offset)
            .map(|t| t.at)
            .ok_or_else(|| {
                format!(
                    "label store: the label {} has an unreadable {what} '{t}'",
                    r.uuid
                )
            })
    };
    let from = time(&r.valid_from, "validFrom")?;
    let until = time(&r.valid_until, "validUntil")?;
    let mut history = r.history.clone();
    let (status, shown) = match r.status {
        EntryStatus::Withdrawn => (EntryStatus::Withdrawn, Shown::Withdrawn),
        _ if until < now => {
            if history.last().map(|e| e.status) != Some(EntryStatus::Expired) {
                history.push(StatusEvent {
                    at: r.valid_until.clone(),
                    status: EntryStatus::Expired,
                    reason: None,
                });
            }
            (EntryStatus::Expired, Shown::Expired)
        }
        EntryStatus::Suspended => (EntryStatus::Suspended, Shown::Suspended),
        _ if from > now => (EntryStatus::Active, Shown::NotYetValid),
        _ => (EntryStatus::Active, Shown::Valid),
    };
    let id = format!("{base}/labels/{}.json", r.uuid);
    Ok(Item {
        record: r,
        entry: RegistryEntry {
            label: id.clone(),
            status,
            holder: r.holder.clone(),
            domains: r.domains.clone(),
            valid_from: r.valid_from.clone(),
            valid_until: r.valid_until.clone(),
            scope: r.scope.clone(),
            credential: id.clone(),
            certificate: format!("{base}/labels/{}.html", r.uuid),
            history,
        },
        id,
        shown,
    })
}

/// The files of one item: paths relative to the site, and their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Runs `f` on every item on as many threads as there are cores, and writes the files
/// they make from this thread (one writer: parallel file creation in one directory
/// only contends for the directory's lock). The first error wins.
fn produce<T: Sync>(
    out: &Path,
    items: &[T],
    f: impl Fn(&T) -> Result<Files, String> + Sync,
) -> Result<(), String> {
    if items.is_empty() {
        return Ok(());
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Files, String>>(1024);
    std::thread::scope(|s| {
        for c in items.chunks(chunk) {
            let tx = tx.clone();
            s.spawn(move || {
                for item in c {
                    let made = f(item);
                    let failed = made.is_err();
                    if tx.send(made).is_err() || failed {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut result = Ok(());
        // Receive everything (so no worker blocks), write until the first error.
        for made in rx {
            if result.is_ok() {
                result = made.and_then(|files| {
                    files
                        .iter()
                        .try_for_each(|(rel, bytes)| write(out, rel, bytes))
                });
            }
        }
        result
    })
}

fn write(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), String> {
    let path = out.join(rel);
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn json_text(doc: &Value, pretty: bool) -> Result<Vec<u8>, String> {
    let mut text = if pretty {
        serde_json::to_vec_pretty(doc)
    } else {
        serde_json::to_vec(doc)
    }
    .map_err(|e| e.to_string())?;
    text.push(b'\n');
    Ok(text)
}

fn write_json(out: &Path, rel: &str, doc: &Value, pretty: bool) -> Result<(), String> {
    if let Some(parent) = Path::new(rel).parent() {
        if !parent.as_os_str().is_empty() {
            let d = out.join(parent);
            std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
    }
    write(out, rel, &json_text(doc, pretty)?)
}

/// The authority's controller document: its id, name and key (`<id>#key-1`).
fn controller_document(a: &AuthorityFile, base: &str) -> Value {
    let context = if a.id.starts_with("did:") {
        json!([
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1"
        ])
    } else {
        json!([
            "https://www.w3.org/ns/cid/v1",
            "https://w3id.org/security/multikey/v1"
        ])
    };
    json!({
        "@context": context,
        "id": a.id,
        "name": a.name,
        "verificationMethod": [{
            "id": a.verification_method,
            "type": "Multikey",
            "controller": a.id,
            "publicKeyMultibase": a.public_key_multibase
        }],
        "assertionMethod": [a.verification_method],
        "service": [{
            "id": format!("{}#quality-label-registry", a.id),
            "type": "QualityLabelRegistry",
            "serviceEndpoint": format!("{base}/registry.json")
        }]
    })
}

/// Where in the site the controller document must also be written so that the
/// authority id resolves: `Ok(Some(path))`, `Ok(None)` when `authority.json` is it, or a
/// warning when the site cannot serve it.
fn id_path(id: &str, base: &str) -> Result<Option<String>, String> {
    let url = if id.starts_with("did:web:") {
        qlabel_core::keys::did_web_url(id).map_err(|e| format!("{id}: {e:?}"))?
    } else {
        id.to_string()
    };
    let serve = format!(
        "label credentials verify only where {url} serves the controller document (the site's authority.json) as JSON"
    );
    let Some(rel) = url.strip_prefix(&format!("{base}/")) else {
        return Err(if url == base {
            format!("the authority id {id} is the site's root, where static hosts serve index.html: {serve}; an id like {base}/authority.json avoids this")
        } else {
            format!("the authority id {id} is not under {base}: {serve}")
        });
    };
    if rel == "authority.json" {
        return Ok(None);
    }
    let reserved = ["registry.json", "trust.json", "index.html", "_headers"];
    let bad = rel.is_empty()
        || rel.ends_with('/')
        || rel.contains(['?', '#', '\\'])
        || rel
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || reserved.contains(&rel)
        || ["labels/", "shards/", "status/"]
            .iter()
            .any(|p| rel.starts_with(p));
    if bad {
        return Err(format!(
            "the authority id {id} cannot be a file of the published site: {serve}"
        ));
    }
    Ok(Some(rel.to_string()))
}

/// `_headers` (Netlify, Cloudflare Pages): CORS for every machine-read document, JSON
/// content type for the extensionless status lists, short caching.
fn headers(extra: &[String]) -> String {
    let mut s = String::from(
        "# Response headers for Netlify / Cloudflare Pages (paths from the site root).\n\
         # Widgets and the extension read these documents from other origins.\n",
    );
    let mut block = |path: &str, lines: &[&str]| {
        s.push_str(path);
        s.push('\n');
        for l in lines {
            s.push_str("  ");
            s.push_str(l);
            s.push('\n');
        }
    };
    let cors = "Access-Control-Allow-Origin: *";
    let cache = format!("Cache-Control: {CACHE_CONTROL}");
    block("/registry.json", &[cors, &cache]);
    block("/shards/*", &[cors, &cache]);
    block(
        "/status/*",
        &[cors, "Content-Type: application/json", &cache],
    );
    block("/labels/*", &[cors]);
    block("/trust.json", &[cors]);
    block("/authority.json", &[cors]);
    for e in extra {
        block(&format!("/{e}"), &[cors, "Content-Type: application/json"]);
    }
    s
}

// ---------------------------------------------------------------------------------
// HTML

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The sentences of a certificate page in one language.
struct Lang {
    code: &'static str,
    name: &'static str,
    title: &'static str,
    valid: &'static str,
    not_yet: &'static str,
    suspended: &'static str,
    withdrawn: &'static str,
    expired: &'static str,
    holder: &'static str,
    ids: &'static str,
    websites: &'static str,
    scope: &'static str,
    whole: &'static str,
    from: &'static str,
    until: &'static str,
    awarded_by: &'static str,
    history: &'static str,
    updated: &'static str,
    credential: &'static str,
    registry: &'static str,
    /// Event names: active, suspended, withdrawn, expired.
    events: [&'static str; 4],
}

const LANGS: [Lang; 7] = [
    Lang {
        code: "en",
        name: "English",
        title: "Quality Label for badge recognition",
        valid: "This label is valid.",
        not_yet: "This label is not valid yet.",
        suspended: "This label is suspended: it is not valid at the moment.",
        withdrawn: "This label has been withdrawn: it is no longer valid.",
        expired: "This label has expired: it is no longer valid.",
        holder: "Holder",
        ids: "Identifiers",
        websites: "Websites",
        scope: "Scope",
        whole: "All of the holder's badges",
        from: "Valid from",
        until: "Valid until",
        awarded_by: "Awarded by",
        history: "History",
        updated: "Last updated",
        credential: "Signed label (JSON)",
        registry: "Registry of all labels",
        events: ["active", "suspended", "withdrawn", "expired"],
    },
    Lang {
        code: "nl",
        name: "Nederlands",
        title: "Kwaliteitslabel voor de erkenning van badges",
        valid: "Dit label is geldig.",
        not_yet: "Dit label is nog niet geldig.",
        suspended: "Dit label is geschorst: het is op dit moment niet geldig.",
        withdrawn: "Dit label is ingetrokken: het is niet meer geldig.",
        expired: "Dit label is verlopen: het is niet meer geldig.",
        holder: "Houder",
        ids: "Identificatoren",
        websites: "Websites",
        scope: "Reikwijdte",
        whole: "Alle badges van de houder",
        from: "Geldig vanaf",
        until: "Geldig tot",
        awarded_by: "Toegekend door",
        history: "Geschiedenis",
        updated: "Laatst bijgewerkt",
        credential: "Ondertekend label (JSON)",
        registry: "Register van alle labels",
        events: ["actief", "geschorst", "ingetrokken", "verlopen"],
    },
    Lang {
        code: "sl",
        name: "Slovenščina",
        title: "Znak kakovosti za priznavanje značk",
        valid: "Ta znak je veljaven.",
        not_yet: "Ta znak še ni veljaven.",
        suspended: "Ta znak je začasno odvzet: trenutno ni veljaven.",
        withdrawn: "Ta znak je odvzet: ni več veljaven.",
        expired: "Veljavnost tega znaka je potekla: ni več veljaven.",
        holder: "Imetnik",
        ids: "Identifikatorji",
        websites: "Spletna mesta",
        scope: "Obseg",
        whole: "Vse značke imetnika",
        from: "Velja od",
        until: "Velja do",
        awarded_by: "Izdajatelj",
        history: "Zgodovina",
        updated: "Zadnja posodobitev",
        credential: "Podpisani znak (JSON)",
        registry: "Register vseh znakov",
        events: ["aktiven", "začasno odvzet", "odvzet", "potekel"],
    },
    Lang {
        code: "lt",
        name: "Lietuvių",
        title: "Ženklelių pripažinimo kokybės ženklas",
        valid: "Šis ženklas galioja.",
        not_yet: "Šis ženklas dar negalioja.",
        suspended: "Šio ženklo galiojimas sustabdytas: šiuo metu jis negalioja.",
        withdrawn: "Šis ženklas atšauktas: jis nebegalioja.",
        expired: "Šio ženklo galiojimo laikas baigėsi: jis nebegalioja.",
        holder: "Turėtojas",
        ids: "Identifikatoriai",
        websites: "Svetainės",
        scope: "Taikymo sritis",
        whole: "Visi turėtojo ženkleliai",
        from: "Galioja nuo",
        until: "Galioja iki",
        awarded_by: "Suteikė",
        history: "Istorija",
        updated: "Atnaujinta",
        credential: "Pasirašytas ženklas (JSON)",
        registry: "Visų ženklų registras",
        events: ["aktyvus", "sustabdytas", "atšauktas", "pasibaigęs"],
    },
    Lang {
        code: "it",
        name: "Italiano",
        title: "Marchio di qualità per il riconoscimento dei badge",
        valid: "Questo marchio è valido.",
        not_yet: "Questo marchio non è ancora valido.",
        suspended: "Questo marchio è sospeso: al momento non è valido.",
        withdrawn: "Questo marchio è stato revocato: non è più valido.",
        expired: "Questo marchio è scaduto: non è più valido.",
        holder: "Titolare",
        ids: "Identificativi",
        websites: "Siti web",
        scope: "Ambito",
        whole: "Tutti i badge del titolare",
        from: "Valido dal",
        until: "Valido fino al",
        awarded_by: "Rilasciato da",
        history: "Cronologia",
        updated: "Ultimo aggiornamento",
        credential: "Marchio firmato (JSON)",
        registry: "Registro di tutti i marchi",
        events: ["attivo", "sospeso", "revocato", "scaduto"],
    },
    Lang {
        code: "es",
        name: "Español",
        title: "Sello de calidad para el reconocimiento de insignias",
        valid: "Este sello es válido.",
        not_yet: "Este sello todavía no es válido.",
        suspended: "Este sello está suspendido: en este momento no es válido.",
        withdrawn: "Este sello ha sido retirado: ya no es válido.",
        expired: "Este sello ha caducado: ya no es válido.",
        holder: "Titular",
        ids: "Identificadores",
        websites: "Sitios web",
        scope: "Alcance",
        whole: "Todas las insignias del titular",
        from: "Válido desde",
        until: "Válido hasta",
        awarded_by: "Otorgado por",
        history: "Historial",
        updated: "Última actualización",
        credential: "Sello firmado (JSON)",
        registry: "Registro de todos los sellos",
        events: ["activo", "suspendido", "retirado", "caducado"],
    },
    Lang {
        code: "sr",
        name: "Српски",
        title: "Знак квалитета за признавање беџева",
        valid: "Овај знак је важећи.",
        not_yet: "Овај знак још није важећи.",
        suspended: "Овај знак је суспендован: тренутно није важећи.",
        withdrawn: "Овај знак је повучен: више није важећи.",
        expired: "Овај знак је истекао: више није важећи.",
        holder: "Носилац",
        ids: "Идентификатори",
        websites: "Веб-сајтови",
        scope: "Обухват",
        whole: "Сви беџеви носиоца",
        from: "Важи од",
        until: "Важи до",
        awarded_by: "Издавалац",
        history: "Историја",
        updated: "Последње ажурирање",
        credential: "Потписан знак (JSON)",
        registry: "Регистар свих знакова",
        events: ["активан", "суспендован", "повучен", "истекао"],
    },
];

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1b1b1b;background:#fff}\
nav{font-size:.9rem;margin-bottom:1rem}nav a{margin-right:.6rem}\
section{border-top:1px solid #ccc;padding-top:.5rem;margin-top:1.5rem}\
h1{font-size:1.3rem;margin:.2rem 0}\
.status{font-size:1.25rem;font-weight:bold;padding:.6rem .8rem;border-radius:.3rem;border-left:.5rem solid}\
.valid .status{background:#e6f4ea;border-color:#1e7b34}\
.suspended .status,.not-yet-valid .status{background:#fff4e0;border-color:#b26a00}\
.withdrawn .status,.expired .status{background:#fde8e8;border-color:#b3261e}\
dt{font-weight:bold;margin-top:.5rem}dd{margin-left:1rem;overflow-wrap:anywhere}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}";

struct Page<'a> {
    authority: &'a AuthorityFile,
    stamp: &'a str,
}

impl Page<'_> {
    /// A certificate page: every language in one document, each in its own section.
    fn certificate(&self, it: &Item<'_>) -> String {
        let r = it.record;
        let e = &it.entry;
        let class = shown_class(it.shown);
        let first = &LANGS[0];
        let mut h = String::with_capacity(8192);
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.push_str(&format!(
            "<title>{} — {}: {}</title>\n",
            esc(&r.holder.name),
            first.title,
            status_sentence(first, it.shown)
        ));
        h.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/json\" href=\"{}.json\">\n<style>{STYLE}</style>\n</head>\n<body class=\"{class}\">\n<nav aria-label=\"Languages\">",
            r.uuid
        ));
        for l in &LANGS {
            h.push_str(&format!(
                "<a href=\"#{c}\" hreflang=\"{c}\" lang=\"{c}\">{n}</a>",
                c = l.code,
                n = l.name
            ));
        }
        h.push_str("</nav>\n<main>\n");
        let dates = |t: &str| format!("<time datetime=\"{}\">{}</time>", esc(t), esc(day(t)));
        let ids: Vec<String> = r
            .holder
            .ids
            .iter()
            .map(|i| format!("<code>{}</code>", esc(i)))
            .collect();
        let ids = ids.join("<br>");
        let domains: Vec<String> = r.domains.iter().map(|d| esc(d)).collect();
        let domains = domains.join(", ");
        let scope: Vec<String> = r
            .scope
            .iter()
            .map(|s| format!("<code>{}</code>", esc(s)))
            .collect();
        let scope = scope.join("<br>");
        // The authority's name links to its site's index (the id may be a DID or JSON).
        let authority = format!(
            "<a href=\"../index.html\">{}</a>",
            esc(&self.authority.name)
        );
        for l in &LANGS {
            h.push_str(&format!(
                "<section id=\"{c}\" lang=\"{c}\">\n<h1>{t}</h1>\n<p class=\"status\">{s}</p>\n<dl>\n",
                c = l.code,
                t = l.title,
                s = status_sentence(l, it.shown)
            ));
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{ids}</dd>\n",
                l.holder,
                esc(&r.holder.name),
                l.ids
            ));
            if !domains.is_empty() {
                h.push_str(&format!("<dt>{}</dt><dd>{domains}</dd>\n", l.websites));
            }
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                l.scope,
                if scope.is_empty() { l.whole } else { &scope }
            ));
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{authority}</dd>\n",
                l.from,
                dates(&r.valid_from),
                l.until,
                dates(&r.valid_until),
                l.awarded_by
            ));
            h.push_str(&format!("<dt>{}</dt><dd><ol>", l.history));
            for ev in &e.history {
                let name = l.events[match ev.status {
                    EntryStatus::Active => 0,
                    EntryStatus::Suspended => 1,
                    EntryStatus::Withdrawn => 2,
                    EntryStatus::Expired => 3,
                }];
                h.push_str(&format!("<li>{} {name}", dates(&ev.at)));
                if let Some(reason) = &ev.reason {
                    h.push_str(&format!(" — {}", esc(reason)));
                }
                h.push_str("</li>");
            }
            h.push_str("</ol></dd>\n");
            h.push_str(&format!(
                "<dt>{}</dt><dd><time datetime=\"{s}\">{}</time></dd>\n</dl>\n",
                l.updated,
                esc(&self.stamp.replace('T', " ").replace('Z', " UTC")),
                s = esc(self.stamp)
            ));
            h.push_str(&format!(
                "<p><a href=\"{}.json\">{}</a> · <a href=\"../registry.json\">{}</a></p>\n</section>\n",
                r.uuid, l.credential, l.registry
            ));
        }
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }

    /// The index: every label, by holder name.
    fn index(&self, items: &[Item<'_>]) -> String {
        let mut order: Vec<&Item<'_>> = items.iter().collect();
        order.sort_by(|a, b| {
            a.record
                .holder
                .name
                .to_lowercase()
                .cmp(&b.record.holder.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        let name = esc(&self.authority.name);
        let mut h = String::with_capacity(256 * items.len() + 2048);
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name} — Quality Label for badge recognition</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{name}: Quality Label for badge recognition</h1>\n\
             <p>{} labels; last updated <time datetime=\"{s}\">{}</time>. Signed registry: <a href=\"registry.json\">registry.json</a> · trust anchor: <a href=\"trust.json\">trust.json</a> · authority key: <a href=\"authority.json\">authority.json</a></p>\n\
             <table>\n<thead><tr><th>Holder</th><th>Status</th><th>Valid until</th></tr></thead>\n<tbody>\n",
            items.len(),
            esc(&self.stamp.replace('T', " ").replace('Z', " UTC")),
            s = esc(self.stamp),
        ));
        for it in order {
            h.push_str(&format!(
                "<tr class=\"{c}\"><td><a href=\"labels/{u}.html\">{n}</a></td><td>{c}</td><td>{d}</td></tr>\n",
                c = shown_class(it.shown),
                u = it.record.uuid,
                n = esc(&it.record.holder.name),
                d = esc(day(&it.record.valid_until)),
            ));
        }
        h.push_str("</tbody>\n</table>\n</body>\n</html>\n");
        h
    }
}

fn shown_class(s: Shown) -> &'static str {
    match s {
        Shown::Valid => "valid",
        Shown::NotYetValid => "not-yet-valid",
        Shown::Suspended => "suspended",
        Shown::Withdrawn => "withdrawn",
        Shown::Expired => "expired",
    }
}

fn status_sentence(l: &Lang, s: Shown) -> &'static str {
    match s {
        Shown::Valid => l.valid,
        Shown::NotYetValid => l.not_yet,
        Shown::Suspended => l.suspended,
        Shown::Withdrawn => l.withdrawn,
        Shown::Expired => l.expired,
    }
}

/// The date part of an RFC 3339 time.
fn day(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_html_cares_about() {
        assert_eq!(
            esc("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn the_id_must_be_servable() {
        let base = "https://labels.example.org";
        assert_eq!(
            id_path("https://labels.example.org/authority.json", base),
            Ok(None)
        );
        assert_eq!(
            id_path("https://labels.example.org/org/key.json", base),
            Ok(Some("org/key.json".into()))
        );
        assert!(id_path("https://labels.example.org", base).is_err());
        assert!(id_path("https://labels.example.org/", base).is_err());
        assert!(id_path("https://other.example/", base).is_err());
        assert!(id_path("https://labels.example.org/registry.json", base).is_err());
        assert!(id_path("https://labels.example.org/a/../b", base).is_err());
        assert_eq!(
            id_path("did:web:labels.example.org:authority", base),
            Ok(Some("authority/did.json".into()))
        );
    }
}
