//! Label authority commands: `qlabel authority init|trust`, `qlabel label
//! award|suspend|reinstate|withdraw|renew` and `qlabel registry publish`.
//!
//! An authority lives in a directory (see docs/label-authority.md):
//!
//! - `authority.json`: id, name, verification method, public key, base URL;
//! - `key.json`: the Ed25519 secret key (key file format of `qlabel key generate`,
//!   mode 0600) — the only secret;
//! - `labels.json`: the label records (holder, domains, scope, validity, status-list
//!   indexes, status, history);
//! - `audit.log`: one JSON line per change.
//!
//! Label credentials, status lists and registries are built and signed at publish time
//! from the records, with URLs under the base URL given to `registry publish`.

use clap::{Args, Subcommand};
use qlabel_core::label::{AnchorKey, EntryStatus, Holder, StatusEvent, TrustAnchor};
use qlabel_core::{datetime, multibase};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

#[path = "site.rs"]
pub(crate) mod site;

/// `authority.json` in the authority directory.
const AUTHORITY_FILE: &str = "authority.json";
/// The secret key.
const KEY_FILE: &str = "key.json";
/// The label records.
const LABELS_FILE: &str = "labels.json";
/// The audit log (JSON lines).
const AUDIT_FILE: &str = "audit.log";
/// The `type` of `authority.json`.
const AUTHORITY_TYPE: &str = "QualityLabelAuthority";
/// The fragment of the authority's signing key in its controller document.
const KEY_FRAGMENT: &str = "#key-1";
/// How long a label is valid by default, and how far a renewal extends it.
const LABEL_YEARS: i32 = 3;
/// The environment variable that fixes the clock (RFC 3339).
const NOW_VAR: &str = "QLABEL_NOW";

/// `qlabel authority …`
#[derive(Debug, Subcommand)]
pub enum AuthorityCommand {
    /// Create a label authority in a new directory: its Ed25519 key (key.json, secret),
    /// authority.json, an empty label store and the audit log.
    Init {
        /// The authority's name, as labels and certificate pages show it.
        #[arg(long)]
        name: String,
        /// The authority's id: an https URL at which the published site serves its
        /// controller document (best: <base-url>/authority.json), or a did:web.
        #[arg(long, value_name = "URL|DID")]
        id: String,
        /// The directory to create.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Where the site will be published (can also be given to `registry publish`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Print the authority's trust anchor: the JSON verifiers pass to `qlabel verify --trust`.
    Trust {
        /// The authority directory.
        #[arg(long, value_name = "DIR")]
        authority: PathBuf,
    },
}

/// `qlabel label …`
#[derive(Debug, Subcommand)]
pub enum LabelCommand {
    /// Award a label to an organisation; prints the new label's id.
    Award {
        /// The authority directory.
        #[arg(long, value_name = "DIR")]
        authority: PathBuf,
        /// An issuer id of the holder (URL or DID); the first is the label's subject.
        /// Repeat for every id the organisation issues badges with.
        #[arg(long = "holder", value_name = "ID", required = true)]
        holders: Vec<String>,
        /// The holder organisation's name.
        #[arg(long)]
        name: String,
        /// A host on which the holder may show its seal (e.g. www.example.org). Repeatable.
        #[arg(long = "domain", value_name = "HOST")]
        domains: Vec<String>,
        /// Start of validity (RFC 3339); now by default.
        #[arg(long, value_name = "RFC3339")]
        valid_from: Option<String>,
        /// End of validity (RFC 3339); three years after the start by default.
        #[arg(long, value_name = "RFC3339")]
        valid_until: Option<String>,
        /// An achievement / badge class id the label covers. Repeatable; none: the
        /// holder's whole badge practice.
        #[arg(long = "scope", value_name = "ID")]
        scope: Vec<String>,
    },
    /// Suspend an active label (reversible with `reinstate`).
    Suspend(Change),
    /// Reinstate a suspended label.
    Reinstate(Change),
    /// Withdraw a label for good.
    Withdraw(Change),
    /// Renew a label: three more years from the later of now and its current end, which
    /// also reactivates an expired label.
    Renew(Change),
}

/// The arguments of a status change.
#[derive(Debug, Args)]
pub struct Change {
    /// The authority directory.
    #[arg(long, value_name = "DIR")]
    authority: PathBuf,
    /// The label: its id as `label award` printed it, its URL, or its UUID.
    #[arg(value_name = "LABEL_ID")]
    label: String,
    /// Why (recorded in the audit log and in the label's public history).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
}

/// `qlabel registry …`
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Sign and write the registry, its shards, the status lists, every label credential
    /// and certificate page as a static site.
    Publish {
        /// The authority directory.
        #[arg(long, value_name = "DIR")]
        authority: PathBuf,
        /// The site directory to write (created when missing; files are overwritten).
        #[arg(long, value_name = "SITE")]
        out: PathBuf,
        /// The URL the site will be served at; remembered for later runs.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

// ---------------------------------------------------------------------------------
// State

/// `authority.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthorityFile {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
    /// `<id>#key-1`: the verification method every proof names.
    pub verification_method: String,
    pub public_key_multibase: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    pub created: String,
}

/// `labels.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Store {
    pub version: u32,
    pub labels: Vec<LabelRecord>,
}

/// One awarded label.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LabelRecord {
    /// Names the label: `urn:uuid:<uuid>`, or `<base>/labels/<uuid>.json` once published.
    pub uuid: String,
    pub holder: Holder,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub scope: Vec<String>,
    pub valid_from: String,
    pub valid_until: String,
    /// Index in the revocation status list (set when withdrawn).
    pub revocation_index: u64,
    /// Index in the suspension status list (set while suspended).
    pub suspension_index: u64,
    /// `active`, `suspended` or `withdrawn`; expiry is computed from `validUntil`.
    pub status: EntryStatus,
    pub awarded: String,
    #[serde(default)]
    pub history: Vec<StatusEvent>,
}

/// An authority directory, opened.
struct Authority {
    dir: PathBuf,
    file: AuthorityFile,
}

impl Authority {
    fn open(dir: &Path) -> Result<Self, String> {
        let path = dir.join(AUTHORITY_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e} (is {} an authority directory made by `qlabel authority init`?)",
                path.display(),
                dir.display()
            )
        })?;
        let file: AuthorityFile = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not an authority file: {e}", path.display()))?;
        if file.kind != AUTHORITY_TYPE {
            return Err(format!("{}: not a {AUTHORITY_TYPE} file", path.display()));
        }
        multibase::ed25519_public_from_multibase(&file.public_key_multibase)
            .map_err(|e| format!("{}: publicKeyMultibase: {e}", path.display()))?;
        Ok(Authority {
            dir: dir.to_path_buf(),
            file,
        })
    }

    fn save(&self) -> Result<(), String> {
        write_json_atomic(&self.dir.join(AUTHORITY_FILE), &self.file)
    }

    fn load_store(&self) -> Result<Store, String> {
        let path = self.dir.join(LABELS_FILE);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let store: Store = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a label store: {e}", path.display()))?;
        if store.version != 1 {
            return Err(format!(
                "{}: label store version {} is not supported",
                path.display(),
                store.version
            ));
        }
        Ok(store)
    }

    fn save_store(&self, store: &Store) -> Result<(), String> {
        write_json_atomic(&self.dir.join(LABELS_FILE), store)
    }

    /// The signing key, checked against `authority.json`.
    fn signing_key(&self) -> Result<crate::keyfile::SigningKey, String> {
        let path = self.dir.join(KEY_FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(&path) {
                if meta.permissions().mode() & 0o077 != 0 {
                    eprintln!(
                        "qlabel: warning: {} is readable by other users; chmod 600 it",
                        path.display()
                    );
                }
            }
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (key, _) =
            crate::keyfile::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if multibase::ed25519_public_to_multibase(&key.verifying_key())
            != self.file.public_key_multibase
        {
            return Err(format!(
                "{} does not hold the key named in {}",
                path.display(),
                AUTHORITY_FILE
            ));
        }
        Ok(key)
    }

    /// Appends one line to the audit log.
    fn audit(
        &self,
        at: OffsetDateTime,
        action: &str,
        label: Option<&str>,
        reason: Option<&str>,
        details: Value,
    ) -> Result<(), String> {
        let mut line = serde_json::Map::new();
        line.insert("at".into(), datetime::format(at).into());
        line.insert("action".into(), action.into());
        if let Some(l) = label {
            line.insert("label".into(), l.into());
        }
        if let Some(r) = reason {
            line.insert("reason".into(), r.into());
        }
        if !details.is_null() {
            line.insert("details".into(), details);
        }
        let text = serde_json::to_string(&Value::Object(line)).map_err(|e| e.to_string())? + "\n";
        let path = self.dir.join(AUDIT_FILE);
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The label id a record has under the base URL known now.
    fn label_id(&self, uuid: &str) -> String {
        match &self.file.base_url {
            Some(base) => format!("{base}/labels/{uuid}.json"),
            None => format!("urn:uuid:{uuid}"),
        }
    }

    fn trust_anchor(&self, base: Option<&str>) -> TrustAnchor {
        TrustAnchor {
            kind: qlabel_core::label::TRUST_ANCHOR_TYPE.to_string(),
            id: self.file.id.clone(),
            name: self.file.name.clone(),
            keys: vec![AnchorKey {
                id: self.file.verification_method.clone(),
                public_key_multibase: self.file.public_key_multibase.clone(),
            }],
            registry: base.map(|b| format!("{b}/registry.json")),
            shards: base.map(|b| format!("{b}/shards/{{shard}}.json")),
        }
    }
}

// ---------------------------------------------------------------------------------
// Commands

pub fn run_authority(command: AuthorityCommand) -> Result<u8, String> {
    match command {
        AuthorityCommand::Init {
            name,
            id,
            out,
            base_url,
        } => init(&name, &id, &out, base_url.as_deref()),
        AuthorityCommand::Trust { authority } => {
            let a = Authority::open(&authority)?;
            let anchor = a.trust_anchor(a.file.base_url.as_deref());
            println!(
                "{}",
                serde_json::to_string_pretty(&anchor).map_err(|e| e.to_string())?
            );
            Ok(0)
        }
    }
}

pub fn run_label(command: LabelCommand) -> Result<u8, String> {
    match command {
        LabelCommand::Award {
            authority,
            holders,
            name,
            domains,
            valid_from,
            valid_until,
            scope,
        } => award(
            &authority,
            holders,
            &name,
            domains,
            valid_from.as_deref(),
            valid_until.as_deref(),
            scope,
        ),
        LabelCommand::Suspend(c) => change(c, Action::Suspend),
        LabelCommand::Reinstate(c) => change(c, Action::Reinstate),
        LabelCommand::Withdraw(c) => change(c, Action::Withdraw),
        LabelCommand::Renew(c) => change(c, Action::Renew),
    }
}

pub fn run_registry(command: RegistryCommand) -> Result<u8, String> {
    match command {
        RegistryCommand::Publish {
            authority,
            out,
            base_url,
        } => publish(&authority, &out, base_url.as_deref()),
    }
}

fn init(name: &str, id: &str, out: &Path, base_url: Option<&str>) -> Result<u8, String> {
    let name = clean_text(name, "--name", 200)?;
    let id = authority_id(id)?;
    let base_url = base_url.map(normalize_base_url).transpose()?;
    for f in [AUTHORITY_FILE, KEY_FILE, LABELS_FILE] {
        if out.join(f).exists() {
            return Err(format!(
                "{} already holds an authority ({f} exists); choose a new directory",
                out.display()
            ));
        }
    }
    let existed = out.exists();
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    #[cfg(unix)]
    if !existed {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let _ = existed;
    let now = now()?;

    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    let key = crate::keyfile::SigningKey::from_bytes(&seed);
    seed.fill(0);
    crate::keyfile::write_secret(
        &out.join(KEY_FILE),
        crate::keyfile::to_json(&key).as_bytes(),
    )?;
    let public = multibase::ed25519_public_to_multibase(&key.verifying_key());
    drop(key);

    let authority = Authority {
        dir: out.to_path_buf(),
        file: AuthorityFile {
            kind: AUTHORITY_TYPE.into(),
            verification_method: format!("{id}{KEY_FRAGMENT}"),
            id,
            name,
            public_key_multibase: public,
            base_url,
            created: datetime::format(now),
        },
    };
    authority.save_store(&Store {
        version: 1,
        labels: Vec::new(),
    })?;
    authority.audit(
        now,
        "init",
        None,
        None,
        json!({
            "id": authority.file.id,
            "name": authority.file.name,
            "verificationMethod": authority.file.verification_method,
            "publicKeyMultibase": authority.file.public_key_multibase,
            "baseUrl": authority.file.base_url,
        }),
    )?;
    authority.save()?;
    eprintln!(
        "created the label authority {} ({}) in {}\n  signing key: {} ({})\n  keep {} secret and backed up; publish with `qlabel registry publish --authority {} --out SITE --base-url URL`",
        authority.file.name,
        authority.file.id,
        out.display(),
        authority.file.verification_method,
        authority.file.public_key_multibase,
        out.join(KEY_FILE).display(),
        out.display(),
    );
    Ok(0)
}

fn award(
    dir: &Path,
    holders: Vec<String>,
    name: &str,
    domains: Vec<String>,
    valid_from: Option<&str>,
    valid_until: Option<&str>,
    scope: Vec<String>,
) -> Result<u8, String> {
    let authority = Authority::open(dir)?;
    let now = now()?;
    let name = clean_text(name, "--name", 300)?;
    let mut ids = Vec::new();
    for h in holders {
        let h = identifier(&h, "--holder")?;
        if !ids.contains(&h) {
            ids.push(h);
        }
    }
    if ids.is_empty() {
        return Err("a label needs at least one --holder id".into());
    }
    let mut hosts = Vec::new();
    for d in domains {
        let d = host(&d)?;
        if !hosts.contains(&d) {
            hosts.push(d);
        }
    }
    let mut scopes = Vec::new();
    for s in scope {
        let s = identifier(&s, "--scope")?;
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    let from = match valid_from {
        Some(t) => parse_time(t, "--valid-from")?,
        None => now,
    };
    let until = match valid_until {
        Some(t) => parse_time(t, "--valid-until")?,
        None => add_years(from, LABEL_YEARS),
    };
    if until <= from {
        return Err(format!(
            "--valid-until ({}) must be after the start of validity ({})",
            datetime::format(until),
            datetime::format(from)
        ));
    }
    let mut store = authority.load_store()?;
    for other in &store.labels {
        if other.status != EntryStatus::Withdrawn
            && other.holder.ids.iter().any(|i| ids.contains(i))
        {
            eprintln!(
                "qlabel: note: {} already holds the label {}",
                other.holder.name,
                authority.label_id(&other.uuid)
            );
        }
    }
    let revocation_index = store
        .labels
        .iter()
        .map(|l| l.revocation_index + 1)
        .max()
        .unwrap_or(0);
    let suspension_index = store
        .labels
        .iter()
        .map(|l| l.suspension_index + 1)
        .max()
        .unwrap_or(0);
    let uuid = new_uuid()?;
    let record = LabelRecord {
        uuid: uuid.clone(),
        holder: Holder { ids, name },
        domains: hosts,
        scope: scopes,
        valid_from: datetime::format(from),
        valid_until: datetime::format(until),
        revocation_index,
        suspension_index,
        status: EntryStatus::Active,
        awarded: datetime::format(now),
        history: vec![StatusEvent {
            at: datetime::format(now),
            status: EntryStatus::Active,
            reason: None,
        }],
    };
    let details = json!({
        "uuid": uuid,
        "holder": record.holder,
        "domains": record.domains,
        "scope": record.scope,
        "validFrom": record.valid_from,
        "validUntil": record.valid_until,
        "revocationIndex": record.revocation_index,
        "suspensionIndex": record.suspension_index,
    });
    store.labels.push(record);
    authority.save_store(&store)?;
    let id = authority.label_id(&uuid);
    authority.audit(now, "award", Some(&id), None, details)?;
    println!("{id}");
    Ok(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Suspend,
    Reinstate,
    Withdraw,
    Renew,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Suspend => "suspend",
            Action::Reinstate => "reinstate",
            Action::Withdraw => "withdraw",
            Action::Renew => "renew",
        }
    }
}

fn change(c: Change, action: Action) -> Result<u8, String> {
    let authority = Authority::open(&c.authority)?;
    let now = now()?;
    let reason = c
        .reason
        .as_deref()
        .map(|r| clean_text(r, "--reason", 1000))
        .transpose()?;
    let mut store = authority.load_store()?;
    let uuid = uuid_of(&c.label).ok_or_else(|| {
        format!(
            "'{}' is not a label id (expected what `label award` printed, a label URL or a UUID)",
            c.label
        )
    })?;
    let record = store
        .labels
        .iter_mut()
        .find(|l| l.uuid == uuid)
        .ok_or_else(|| {
            format!(
                "no label {} in the authority {}",
                c.label,
                c.authority.display()
            )
        })?;
    let stamp = datetime::format(now);
    let from = record.status;
    let label_id = authority.label_id(&record.uuid);
    let state = |s: EntryStatus| match s {
        EntryStatus::Active => "active",
        EntryStatus::Suspended => "suspended",
        EntryStatus::Withdrawn => "withdrawn",
        EntryStatus::Expired => "expired",
    };
    if from == EntryStatus::Withdrawn {
        return Err(format!(
            "the label {label_id} was withdrawn; a withdrawal is final (award a new label instead)"
        ));
    }
    let details = match action {
        Action::Suspend | Action::Reinstate | Action::Withdraw => {
            let to = match (action, from) {
                (Action::Suspend, EntryStatus::Active) => EntryStatus::Suspended,
                (Action::Reinstate, EntryStatus::Suspended) => EntryStatus::Active,
                (Action::Withdraw, _) => EntryStatus::Withdrawn,
                _ => {
                    return Err(format!(
                        "the label {label_id} is {}; it cannot be {}",
                        state(from),
                        match action {
                            Action::Suspend => "suspended",
                            _ => "reinstated (only a suspended label can)",
                        }
                    ))
                }
            };
            record.status = to;
            record.history.push(StatusEvent {
                at: stamp.clone(),
                status: to,
                reason: reason.clone(),
            });
            json!({"from": state(from), "to": state(to)})
        }
        Action::Renew => {
            if from == EntryStatus::Suspended {
                return Err(format!(
                    "the label {label_id} is suspended; reinstate it before renewing it"
                ));
            }
            let until = datetime::parse(&record.valid_until)
                .map(|t| t.at)
                .ok_or_else(|| {
                    format!(
                        "the label {label_id} has an unreadable validUntil '{}'",
                        record.valid_until
                    )
                })?;
            let expired = until < now;
            let new_until = add_years(until.max(now), LABEL_YEARS);
            let old = std::mem::replace(&mut record.valid_until, datetime::format(new_until));
            if expired {
                // The label was not held between its old end and now.
                record.history.push(StatusEvent {
                    at: old.clone(),
                    status: EntryStatus::Expired,
                    reason: None,
                });
            }
            record.history.push(StatusEvent {
                at: stamp.clone(),
                status: EntryStatus::Active,
                reason: Some(match &reason {
                    Some(r) => format!("renewed until {}: {r}", record.valid_until),
                    None => format!("renewed until {}", record.valid_until),
                }),
            });
            json!({"validUntil": {"from": old, "to": record.valid_until}, "wasExpired": expired})
        }
    };
    let message = match action {
        Action::Renew => format!("renewed until {}", record.valid_until),
        _ => state(record.status).to_string(),
    };
    authority.save_store(&store)?;
    authority.audit(
        now,
        action.name(),
        Some(&label_id),
        reason.as_deref(),
        details,
    )?;
    eprintln!("{label_id}: {message}");
    Ok(0)
}

fn publish(dir: &Path, out: &Path, base_url: Option<&str>) -> Result<u8, String> {
    let mut authority = Authority::open(dir)?;
    let base = match base_url {
        Some(b) => normalize_base_url(b)?,
        None => authority.file.base_url.clone().ok_or(
            "no base URL is known yet: give --base-url URL (the address the site will be served at)",
        )?,
    };
    let key = authority.signing_key()?;
    let now = now()?;
    // Never inside the site: whoever deploys it would publish the secret key.
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let (site_dir, auth_dir) = (
        std::fs::canonicalize(out).map_err(|e| format!("{}: {e}", out.display()))?,
        std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?,
    );
    if auth_dir.starts_with(&site_dir) {
        return Err(format!(
            "{} is inside the site folder {}: the site would publish the secret key; choose another --out",
            dir.display(),
            out.display()
        ));
    }
    let store = authority.load_store()?;
    let anchor = authority.trust_anchor(Some(&base));
    let summary = site::write_site(&site::SiteInput {
        out,
        base: &base,
        authority: &authority.file,
        anchor: &anchor,
        key: &key,
        records: &store.labels,
        now,
    })?;
    for w in &summary.warnings {
        eprintln!("qlabel: warning: {w}");
    }
    authority.file.base_url = Some(base.clone());
    authority.save()?;
    authority.audit(
        now,
        "publish",
        None,
        None,
        json!({
            "baseUrl": base,
            "out": out.display().to_string(),
            "labels": summary.labels,
            "shards": summary.shards,
        }),
    )?;
    eprintln!(
        "published {} labels ({} shards) to {} for {base}",
        summary.labels,
        summary.shards,
        out.display()
    );
    Ok(0)
}

// ---------------------------------------------------------------------------------
// Helpers

/// The current time: `QLABEL_NOW` (RFC 3339) when set, else the clock.
fn now() -> Result<OffsetDateTime, String> {
    match std::env::var(NOW_VAR) {
        Ok(t) if !t.trim().is_empty() => parse_time(t.trim(), NOW_VAR),
        _ => Ok(OffsetDateTime::now_utc()),
    }
}

fn parse_time(t: &str, what: &str) -> Result<OffsetDateTime, String> {
    datetime::parse(t)
        .filter(|t| t.had_offset)
        .map(|t| t.at.to_offset(time::UtcOffset::UTC))
        .ok_or_else(|| {
            format!(
                "{what}: '{t}' is not an RFC 3339 time with an offset (e.g. 2026-01-01T00:00:00Z)"
            )
        })
}

/// `t` plus whole calendar years (29 February becomes 28 February).
pub(crate) fn add_years(t: OffsetDateTime, years: i32) -> OffsetDateTime {
    let year = (t.year() + years).clamp(-9999, 9999);
    let date = time::Date::from_calendar_date(year, t.month(), t.day())
        .or_else(|_| time::Date::from_calendar_date(year, t.month(), 28))
        .unwrap_or(t.date());
    t.replace_date(date)
}

/// A random (version 4) UUID.
fn new_uuid() -> Result<String, String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(|e| format!("no randomness: {e}"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// The UUID in a label id: `urn:uuid:<uuid>`, `…/labels/<uuid>.json|.html`, or the
/// UUID itself.
fn uuid_of(label: &str) -> Option<String> {
    let l = label.trim().to_ascii_lowercase();
    let candidate = if let Some(u) = l.strip_prefix("urn:uuid:") {
        u.to_string()
    } else if l.starts_with("https://") || l.starts_with("http://") {
        let path = l.split(['?', '#']).next().unwrap_or_default();
        let (dir, file) = path.rsplit_once('/')?;
        if !dir.ends_with("/labels") {
            return None;
        }
        file.strip_suffix(".json")
            .or_else(|| file.strip_suffix(".html"))?
            .to_string()
    } else {
        l
    };
    is_uuid(&candidate).then_some(candidate)
}

/// Text from the command line: trimmed, not empty, no control characters, bounded.
fn clean_text(s: &str, what: &str, max: usize) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if s.chars().any(char::is_control) {
        return Err(format!("{what} contains control characters"));
    }
    if s.chars().count() > max {
        return Err(format!("{what} is longer than {max} characters"));
    }
    Ok(s.to_string())
}

/// A holder or scope id: an absolute URI (https URL, DID, urn:…) without whitespace.
fn identifier(s: &str, what: &str) -> Result<String, String> {
    let s = s.trim();
    if s.len() > 2000 || !qlabel_core::vc::is_url(s) {
        return Err(format!(
            "{what} '{s}' is not an id (an https URL or a DID, e.g. https://example.org/issuer)"
        ));
    }
    if let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    {
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("{what} '{s}' names no host"));
        }
    }
    Ok(s.to_string())
}

/// A host name for `--domain`, lower-cased (a URL's host is accepted too).
fn host(s: &str) -> Result<String, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .map(|r| {
            r.split(['/', '?', '#'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or(t);
    let t = t.trim_end_matches('.').to_string();
    let ok = !t.is_empty()
        && t.len() <= 253
        && t.split('.').all(|part| {
            !part.is_empty()
                && part.len() <= 63
                && !part.starts_with('-')
                && !part.ends_with('-')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(t)
    } else {
        Err(format!(
            "--domain '{s}' is not a host name (e.g. www.example.org)"
        ))
    }
}

/// The authority id: an http(s) URL without a fragment, or a did:web.
fn authority_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.starts_with("did:web:") {
        qlabel_core::keys::did_web_url(s).map_err(|e| format!("--id {s}: {e:?}"))?;
        if s.contains('#') || s.contains('?') {
            return Err(format!("--id {s}: a DID without fragment or query, please"));
        }
        return Ok(s.to_string());
    }
    if s.starts_with("did:") {
        return Err(format!(
            "--id {s}: an authority id must be an https URL or a did:web (its controller document is published with the site)"
        ));
    }
    let url = identifier(s, "--id")?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!(
            "--id {s}: an authority id must be an https URL or a did:web"
        ));
    }
    if url.contains('#') {
        return Err(format!("--id {s}: no fragment (#…), please"));
    }
    Ok(url)
}

/// A base URL: http(s), no query or fragment, without a trailing slash.
fn normalize_base_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ok = (s.starts_with("https://") || s.starts_with("http://"))
        && qlabel_core::vc::is_url(s)
        && !s.contains(['?', '#']);
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or_default();
    if !ok || rest.is_empty() || rest.starts_with('/') {
        return Err(format!(
            "--base-url '{s}' is not a site address (e.g. https://labels.example.org)"
        ));
    }
    Ok(s.trim_end_matches('/').to_string())
}

fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n";
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_ids_in_every_form() {
        let u = "0b6c3f2e-8a4d-4f1b-9c2e-1d2f3a4b5c6d";
        for form in [
            u.to_string(),
            format!("urn:uuid:{u}"),
            format!("https://labels.example.org/labels/{u}.json"),
            format!("https://x.example/sub/labels/{u}.html"),
        ] {
            assert_eq!(uuid_of(&form).as_deref(), Some(u), "{form}");
        }
        assert_eq!(
            uuid_of("https://x.example/other/0b6c3f2e-8a4d-4f1b-9c2e-1d2f3a4b5c6d.json"),
            None
        );
        assert_eq!(uuid_of("nope"), None);
        assert!(is_uuid(&new_uuid().unwrap_or_default()));
    }

    #[test]
    fn years_and_inputs() {
        let t = time::macros::datetime!(2024-02-29 12:00 UTC);
        assert_eq!(datetime::format(add_years(t, 3)), "2027-02-28T12:00:00Z");
        assert_eq!(
            host("https://WWW.Example.org/x").as_deref(),
            Ok("www.example.org")
        );
        assert!(host("exa mple.org").is_err());
        assert!(host("<script>").is_err());
        assert!(identifier("not an id", "--holder").is_err());
        assert!(identifier("did:web:example.org", "--holder").is_ok());
        assert_eq!(
            normalize_base_url("https://a.example/site/").as_deref(),
            Ok("https://a.example/site")
        );
        assert!(normalize_base_url("ftp://a.example").is_err());
        assert!(authority_id("did:key:z6Mk").is_err());
    }
}
