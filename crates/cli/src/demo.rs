//! `qlabel demo`: the deterministic demo world — a label authority, issuers with an
//! active, a lapsed, a withdrawn and no label, badges in every supported form — written
//! to a folder and served on 127.0.0.1 with the website, the widget, a demo issuer
//! website and a demo profile page. Nothing leaves the machine.
//!
//! Every key comes from a fixed seed and every date is fixed, so for one port the world
//! is the same on every run; only the registry is published at the current time (its
//! `nextUpdate` must lie ahead for it to verify now).

use crate::authority::{AuthorityFile, LabelRecord, RegistryCommand, Store};
use crate::keyfile::SigningKey;
use base64::Engine;
use clap::Args;
use qlabel_core::label::{EntryStatus, Holder, StatusEvent};
use qlabel_core::{multibase, SignOptions, Suite};
use serde_json::{json, Value};
use sha2::Digest;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The blank images the baked badges go into.
const BLANK_PNG: &[u8] = include_bytes!("../../../samples/blank-badge.png");
const BLANK_SVG: &str = include_str!("../../../samples/blank-badge.svg");
/// The demo's fixed RSA key (OB 2.0 signed assertion): RSA key generation is not
/// deterministic, so the key is a committed file, public on purpose.
const DEMO_RSA_KEY: &str = include_str!("../../../samples/demo-rsa-key.pem");

const OB2_CONTEXT: &str = "https://w3id.org/openbadges/v2";
const VC2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const ISSUED: &str = "2025-06-01T00:00:00Z";
const VALID_UNTIL: &str = "2030-01-01T00:00:00Z";
/// The index of the revoked badge in the active issuer's status list.
const REVOKED_INDEX: u64 = 7;
/// The index of the jcs badge (not revoked) in the same list.
const ACTIVE_INDEX: u64 = 3;
/// The file that marks a folder as a demo world (and so safe to recreate).
const WORLD_FILE: &str = "world.json";

/// `qlabel demo …`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The port on 127.0.0.1 to serve on; 0 picks a free one. The world's URLs contain
    /// it, so badges made for one port verify only when served on that port.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The folder to write the world to (recreated on every run); default
    /// <system temp>/qlabel-demo.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The build of the website, widget, wasm package and extension (`cargo xtask
    /// dist`); default ./dist.
    #[arg(long, value_name = "DIR")]
    dist: Option<PathBuf>,
    /// Write the world and exit without serving it.
    #[arg(long)]
    no_serve: bool,
}

pub fn run(args: DemoArgs) -> Result<u8, String> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("qlabel-demo"));
    let dist = args.dist.clone().unwrap_or_else(|| PathBuf::from("dist"));
    let (server, port) = if args.no_serve {
        if args.port == 0 {
            return Err(
                "--port 0 picks a port only when serving; give a port with --no-serve".into(),
            );
        }
        (None, args.port)
    } else {
        let server = std::net::TcpListener::bind(("127.0.0.1", args.port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
        let port = server
            .local_addr()
            .map(|a| a.port())
            .map_err(|e| format!("the server has no address: {e}"))?;
        (Some(server), port)
    };
    let origin = format!("http://127.0.0.1:{port}");
    recreate(&dir)?;
    let world = build(&dir, &origin)?;
    let extension = extension(&dir, &dist, &origin, &world.anchor)?;

    let www = dist.join("www");
    let mut out = String::new();
    if server.is_some() {
        out.push_str(&format!("qlabel demo: {origin}/\n"));
    } else {
        out.push_str(&format!(
            "qlabel demo: the world for {origin}/ is in {}\n",
            dir.display()
        ));
    }
    let mut line = |what: &str, value: &str| out.push_str(&format!("  {what:<16} {value}\n"));
    line("website", &format!("{origin}/"));
    if www.join("verify.html").is_file() {
        line("verify a badge", &format!("{origin}/verify.html"));
    }
    if www.join("registry.html").is_file() {
        line("registry", &format!("{origin}/registry.html"));
    }
    line("issuer website", &format!("{origin}/issuer/"));
    line("profile page", &format!("{origin}/profile/"));
    line("trust anchors", &format!("{origin}/trust.json"));
    match &extension {
        Some(path) => line(
            "extension",
            &format!(
                "{}  (chrome://extensions → Developer mode → Load unpacked)",
                path.display()
            ),
        ),
        None => line(
            "extension",
            &format!(
                "not built ({} is missing): build it with cargo xtask dist",
                dist.join("extension/chromium/manifest.json").display()
            ),
        ),
    }
    if !www.is_dir() {
        out.push_str(&format!(
            "  (no website build in {}: / is a plain index; build it with cargo xtask dist)\n",
            www.display()
        ));
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    drop(stdout);

    if let Some(server) = server {
        let root = std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let dist = std::fs::canonicalize(&dist).ok();
        let site = Site { root, dist, origin };
        serve(&server, &site);
    }
    Ok(0)
}

/// Removes a previous world (never a folder that is not one) and makes the folder anew.
fn recreate(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty && !dir.join(WORLD_FILE).is_file() {
            return Err(format!(
                "{} exists and is not a demo world (it has no {WORLD_FILE}); choose another --dir",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

// ---------------------------------------------------------------------------------
// The world

/// An issuer of the demo world.
struct Issuer {
    name: &'static str,
    key: SigningKey,
    did: String,
    vm: String,
    /// What its label is: labelled, expired, withdrawn, not-labelled.
    label: &'static str,
}

impl Issuer {
    fn new(name: &'static str, seed: &str, label: &'static str) -> Self {
        let key = seeded_key(seed);
        let public = multibase::ed25519_public_to_multibase(&key.verifying_key());
        let did = format!("did:key:{public}");
        Issuer {
            name,
            vm: format!("{did}#{public}"),
            did,
            key,
            label,
        }
    }
}

/// What the world is, once written.
struct World {
    anchor: Value,
}

/// One badge of the world, for `world.json`.
struct Entry {
    slug: &'static str,
    form: &'static str,
    file: String,
    badge: &'static str,
    label: &'static str,
}

fn seeded_key(seed: &str) -> SigningKey {
    let digest = sha2::Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    SigningKey::from_bytes(&bytes)
}

/// A UUID (version 4 layout) derived from a seed.
fn seeded_uuid(seed: &str) -> String {
    let d = sha2::Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_json(dir: &Path, rel: &str, doc: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(doc).map_err(|e| e.to_string())? + "\n";
    write(dir, rel, text.as_bytes())
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn time(t: &str) -> Result<time::OffsetDateTime, String> {
    qlabel_core::datetime::parse(t)
        .map(|t| t.at)
        .ok_or_else(|| format!("bad demo time {t}"))
}

fn sign(doc: &Value, issuer: &Issuer, suite: Suite) -> Result<Value, String> {
    let options = SignOptions {
        suite,
        verification_method: issuer.vm.clone(),
        created: Some(time(ISSUED)?),
        id: None,
        previous: Vec::new(),
    };
    qlabel_core::sign(doc, &issuer.key, &options).map_err(|e| format!("signing the demo: {e}"))
}

/// An unsigned OB 3.0 credential by `issuer`, with its id at `url`.
fn ob3(issuer: &Issuer, url: &str, name: &str, origin: &str) -> Value {
    let slug = name.to_ascii_lowercase().replace(' ', "-");
    json!({
        "@context": [VC2_CONTEXT, OB3_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer.did,
            "type": ["Profile"],
            "name": issuer.name,
            "url": format!("{origin}/issuer/")
        },
        "validFrom": ISSUED,
        "validUntil": VALID_UNTIL,
        "name": name,
        "credentialSubject": {
            "id": "did:example:lea-learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": format!("{origin}/achievements/{slug}"),
                "type": ["Achievement"],
                "name": name,
                "description": format!("{name}: a demo achievement of the qlabel demo world."),
                "criteria": {
                    "narrative": "Took part in a demo project of at least 20 hours and presented a reflection on it."
                }
            }
        }
    })
}

fn build(dir: &Path, origin: &str) -> Result<World, String> {
    let active = Issuer::new(
        "Active Youth Centre",
        "qlabel demo issuer active",
        "labelled",
    );
    let lapsed = Issuer::new(
        "Lapsed Learning Lab",
        "qlabel demo issuer lapsed",
        "expired",
    );
    let withdrawn = Issuer::new(
        "Withdrawn Workshop",
        "qlabel demo issuer withdrawn",
        "withdrawn",
    );
    let unlabelled = Issuer::new(
        "Unlabelled Union",
        "qlabel demo issuer unlabelled",
        "not-labelled",
    );
    let profile_url = format!("{origin}/issuer/profile.json");
    let badges_url = format!("{origin}/badges");

    // The label authority: its state (with the secret key) outside the served folders,
    // its site published by `registry publish`.
    let base = format!("{origin}/authority");
    let authority_key = seeded_key("qlabel demo label authority");
    let state = dir.join("authority-state");
    std::fs::create_dir_all(&state).map_err(|e| format!("{}: {e}", state.display()))?;
    crate::keyfile::write_secret(
        &state.join("key.json"),
        crate::keyfile::to_json(&authority_key).as_bytes(),
    )?;
    let authority_id = format!("{base}/authority.json");
    let authority = AuthorityFile {
        kind: "QualityLabelAuthority".into(),
        verification_method: format!("{authority_id}#key-1"),
        id: authority_id,
        name: "Demo Label Authority".into(),
        public_key_multibase: multibase::ed25519_public_to_multibase(
            &authority_key.verifying_key(),
        ),
        base_url: Some(base.clone()),
        created: "2020-01-01T00:00:00Z".into(),
    };
    write_json(
        &state,
        "authority.json",
        &serde_json::to_value(&authority).map_err(|e| e.to_string())?,
    )?;
    let record = |seed: &str,
                  ids: Vec<String>,
                  name: &str,
                  from: &str,
                  until: &str,
                  index: u64,
                  withdrawn: Option<(&str, &str)>| {
        let mut history = vec![StatusEvent {
            at: from.into(),
            status: EntryStatus::Active,
            reason: None,
        }];
        if let Some((at, reason)) = withdrawn {
            history.push(StatusEvent {
                at: at.into(),
                status: EntryStatus::Withdrawn,
                reason: Some(reason.into()),
            });
        }
        LabelRecord {
            uuid: seeded_uuid(seed),
            holder: Holder {
                ids,
                name: name.into(),
            },
            domains: vec!["127.0.0.1".into()],
            scope: Vec::new(),
            valid_from: from.into(),
            valid_until: until.into(),
            revocation_index: index,
            suspension_index: index,
            status: if withdrawn.is_some() {
                EntryStatus::Withdrawn
            } else {
                EntryStatus::Active
            },
            awarded: from.into(),
            history,
        }
    };
    let store = Store {
        version: 1,
        labels: vec![
            record(
                "qlabel demo label active",
                vec![active.did.clone()],
                active.name,
                "2025-01-01T00:00:00Z",
                "2030-01-01T00:00:00Z",
                0,
                None,
            ),
            record(
                "qlabel demo label active ob2",
                vec![profile_url.clone()],
                active.name,
                "2025-01-01T00:00:00Z",
                "2030-01-01T00:00:00Z",
                1,
                None,
            ),
            record(
                "qlabel demo label lapsed",
                vec![lapsed.did.clone()],
                lapsed.name,
                "2021-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
                2,
                None,
            ),
            record(
                "qlabel demo label withdrawn",
                vec![withdrawn.did.clone()],
                withdrawn.name,
                "2025-01-01T00:00:00Z",
                "2028-01-01T00:00:00Z",
                3,
                Some((
                    "2025-03-01T00:00:00Z",
                    "The organisation no longer meets the standard's criteria for assessment and evidence (demo).",
                )),
            ),
        ],
    };
    write_json(
        &state,
        "labels.json",
        &serde_json::to_value(&store).map_err(|e| e.to_string())?,
    )?;
    crate::authority::run_registry(RegistryCommand::Publish {
        authority: state.clone(),
        out: dir.join("authority"),
        base_url: Some(base.clone()),
    })?;
    let trust = std::fs::read(dir.join("authority/trust.json"))
        .map_err(|e| format!("the published trust anchor: {e}"))?;
    write(dir, "trust.json", &trust)?;
    let anchor: Value = serde_json::from_slice(&trust).map_err(|e| e.to_string())?;

    let mut entries = Vec::new();
    let mut add = |slug, form, file: String, badge, label| {
        entries.push(Entry {
            slug,
            form,
            file,
            badge,
            label,
        })
    };

    // The active issuer's status list: the revoked badge's bit set.
    let status_url = format!("{origin}/issuer/status/revocation");
    let mut bits = vec![0u8; 16 * 1024];
    bits[(REVOKED_INDEX / 8) as usize] |= 0x80 >> (REVOKED_INDEX % 8);
    let list = qlabel_core::label::status_list_credential(
        &status_url,
        &active.did,
        "revocation",
        ISSUED,
        &bits,
    );
    write_json(
        dir,
        "issuer/status/revocation",
        &sign(&list, &active, Suite::EddsaJcs2022)?,
    )?;
    let status_entry = |index: u64| {
        json!({
            "id": format!("{status_url}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": index.to_string(),
            "statusListCredential": status_url
        })
    };

    // OB 3.0, Data Integrity.
    let url = format!("{badges_url}/ob3-rdfc.json");
    let doc = ob3(&active, &url, "Youth Work Volunteer", origin);
    write_json(
        dir,
        "badges/ob3-rdfc.json",
        &sign(&doc, &active, Suite::EddsaRdfc2022)?,
    )?;
    add(
        "ob3-rdfc",
        "ob3-eddsa-rdfc-2022",
        "ob3-rdfc.json".into(),
        "valid",
        "labelled",
    );

    let url = format!("{badges_url}/ob3-jcs.json");
    let mut doc = ob3(&active, &url, "Teamwork", origin);
    doc["credentialStatus"] = status_entry(ACTIVE_INDEX);
    let jcs = sign(&doc, &active, Suite::EddsaJcs2022)?;
    write_json(dir, "badges/ob3-jcs.json", &jcs)?;
    add(
        "ob3-jcs",
        "ob3-eddsa-jcs-2022",
        "ob3-jcs.json".into(),
        "valid",
        "labelled",
    );

    // OB 3.0, VC-JWT (EdDSA): the payload is the credential with the JWT claims.
    let url = format!("{badges_url}/ob3-jwt.jwt");
    let doc = ob3(&active, &url, "Digital Storytelling", origin);
    let mut payload = doc.clone();
    payload["iss"] = json!(active.did);
    payload["jti"] = json!(url);
    payload["sub"] = json!("did:example:lea-learner");
    payload["nbf"] = json!(time(ISSUED)?.unix_timestamp());
    payload["exp"] = json!(time(VALID_UNTIL)?.unix_timestamp());
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": active.vm});
    let input = format!(
        "{}.{}",
        b64url(&serde_json::to_vec(&header).map_err(|e| e.to_string())?),
        b64url(&serde_json::to_vec(&payload).map_err(|e| e.to_string())?)
    );
    let signature = ed25519_dalek::Signer::sign(&active.key, input.as_bytes());
    let jwt = format!("{input}.{}", b64url(&signature.to_bytes()));
    write(dir, "badges/ob3-jwt.jwt", format!("{jwt}\n").as_bytes())?;
    add(
        "ob3-jwt",
        "ob3-vc-jwt",
        "ob3-jwt.jwt".into(),
        "valid",
        "labelled",
    );

    // Baked: the jcs credential in a PNG and an SVG.
    let jcs_text = serde_json::to_string(&jcs).map_err(|e| e.to_string())?;
    let png = qlabel_core::baked::bake_png(BLANK_PNG, &jcs_text, "openbadgecredential")
        .map_err(|e| format!("baking the demo PNG: {e}"))?;
    write(dir, "badges/baked.png", &png)?;
    add(
        "baked-png",
        "baked-png",
        "baked.png".into(),
        "valid",
        "labelled",
    );
    let svg = qlabel_core::baked::bake_svg(
        BLANK_SVG,
        &jcs_text,
        qlabel_core::baked::SvgPayload::CredentialJson,
    )
    .map_err(|e| format!("baking the demo SVG: {e}"))?;
    write(dir, "badges/baked.svg", svg.as_bytes())?;
    add(
        "baked-svg",
        "baked-svg",
        "baked.svg".into(),
        "valid",
        "labelled",
    );

    // OB 2.0: the active issuer's profile, key, badge class; hosted and signed.
    let key_url = format!("{origin}/issuer/key.json");
    let rsa_key = demo_rsa_key()?;
    let public_pem = {
        use rsa::pkcs8::EncodePublicKey;
        rsa_key
            .to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .map_err(|e| format!("the demo RSA key: {e}"))?
    };
    write_json(
        dir,
        "issuer/profile.json",
        &json!({
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": profile_url,
            "name": active.name,
            "url": format!("{origin}/issuer/"),
            "email": "info@youth-centre.demo.qlabel.example",
            "description": "A demo youth centre of the qlabel demo world.",
            "publicKey": key_url
        }),
    )?;
    write_json(
        dir,
        "issuer/key.json",
        &json!({
            "@context": OB2_CONTEXT,
            "type": "CryptographicKey",
            "id": key_url,
            "owner": profile_url,
            "publicKeyPem": public_pem
        }),
    )?;
    let class_url = format!("{badges_url}/ob2-class.json");
    write(dir, "badges/ob2-class.png", BLANK_PNG)?;
    write_json(
        dir,
        "badges/ob2-class.json",
        &json!({
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": class_url,
            "name": "Peer Mentor",
            "description": "Mentored younger members of the youth centre for a season (demo).",
            "image": format!("{badges_url}/ob2-class.png"),
            "criteria": {"narrative": "Mentored at least three younger members for ten weeks."},
            "issuer": profile_url
        }),
    )?;
    let identity = {
        let d = sha2::Sha256::digest(b"lea.learner@example.orgqlabel-demo");
        let hex: String = d.iter().map(|x| format!("{x:02x}")).collect();
        format!("sha256${hex}")
    };
    let recipient = json!({
        "type": "email",
        "hashed": true,
        "salt": "qlabel-demo",
        "identity": identity
    });
    let hosted_url = format!("{badges_url}/ob2-hosted.json");
    write_json(
        dir,
        "badges/ob2-hosted.json",
        &json!({
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": hosted_url,
            "recipient": recipient,
            "badge": class_url,
            "issuedOn": ISSUED,
            "expires": VALID_UNTIL,
            "verification": {"type": "hosted"}
        }),
    )?;
    add(
        "ob2-hosted",
        "ob2-hosted",
        "ob2-hosted.json".into(),
        "valid",
        "labelled",
    );
    let signed = json!({
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": format!("urn:uuid:{}", seeded_uuid("qlabel demo ob2 signed")),
        "recipient": recipient,
        "badge": class_url,
        "issuedOn": ISSUED,
        "expires": VALID_UNTIL,
        "verification": {"type": "signed", "creator": key_url}
    });
    let jws = rs256(&rsa_key, &signed)?;
    write(dir, "badges/ob2-signed.jws", format!("{jws}\n").as_bytes())?;
    add(
        "ob2-signed",
        "ob2-signed",
        "ob2-signed.jws".into(),
        "valid",
        "labelled",
    );

    // Tampered: the jcs badge with its name changed after signing.
    let mut tampered = sign(
        &ob3(
            &active,
            &format!("{badges_url}/tampered.json"),
            "Teamwork",
            origin,
        ),
        &active,
        Suite::EddsaJcs2022,
    )?;
    tampered["name"] = json!("Teamwork (with distinction)");
    write_json(dir, "badges/tampered.json", &tampered)?;
    add(
        "tampered",
        "ob3-eddsa-jcs-2022",
        "tampered.json".into(),
        "invalid",
        "not-evaluated",
    );

    // Revoked: its bit is set in the active issuer's status list.
    let mut doc = ob3(
        &active,
        &format!("{badges_url}/revoked.json"),
        "Event Planning",
        origin,
    );
    doc["credentialStatus"] = status_entry(REVOKED_INDEX);
    write_json(
        dir,
        "badges/revoked.json",
        &sign(&doc, &active, Suite::EddsaJcs2022)?,
    )?;
    add(
        "revoked",
        "ob3-eddsa-jcs-2022",
        "revoked.json".into(),
        "revoked",
        "not-evaluated",
    );

    // The other issuers.
    for (issuer, slug, name) in [
        (&unlabelled, "unlabelled", "Community Organising"),
        (&lapsed, "lapsed", "Science Club"),
        (&withdrawn, "withdrawn", "Woodworking Basics"),
    ] {
        let file = format!("{slug}.json");
        let doc = ob3(issuer, &format!("{badges_url}/{file}"), name, origin);
        write_json(
            dir,
            &format!("badges/{file}"),
            &sign(&doc, issuer, Suite::EddsaJcs2022)?,
        )?;
        add(slug, "ob3-eddsa-jcs-2022", file, "valid", issuer.label);
    }

    let issuers: Vec<Value> = [&active, &lapsed, &withdrawn, &unlabelled]
        .iter()
        .map(|i| {
            let mut ids = vec![json!(i.did)];
            if i.did == active.did {
                ids.push(json!(profile_url));
            }
            json!({"name": i.name, "id": i.did, "ids": ids, "label": i.label})
        })
        .collect();
    let badges: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "slug": e.slug,
                "form": e.form,
                "url": format!("{badges_url}/{}", e.file),
                "expect": {"badge": e.badge, "label": e.label}
            })
        })
        .collect();
    write_json(
        dir,
        "config.json",
        &json!({
            "registry": format!("{base}/registry.json"),
            "trust": format!("{origin}/trust.json"),
            "demo": true,
            "issuerSite": format!("{origin}/issuer/"),
            "profile": format!("{origin}/profile/"),
            // The embed guide's live examples.
            "demoHolder": active.did,
            "demoBadge": format!("{badges_url}/ob3-jcs.json")
        }),
    )?;
    write(
        dir,
        "issuer/index.html",
        issuer_page(&active, &entries).as_bytes(),
    )?;
    write(dir, "profile/index.html", profile_page(&entries).as_bytes())?;
    write(dir, "index.html", index_page(&entries).as_bytes())?;
    write_json(
        dir,
        WORLD_FILE,
        &json!({
            "badges": badges,
            "trust": format!("{origin}/trust.json"),
            "registry": format!("{base}/registry.json"),
            "issuers": issuers
        }),
    )?;
    Ok(World { anchor })
}

fn demo_rsa_key() -> Result<rsa::RsaPrivateKey, String> {
    use rsa::pkcs8::DecodePrivateKey;
    let start = DEMO_RSA_KEY
        .find("-----BEGIN")
        .ok_or("the demo RSA key has no PEM block")?;
    rsa::RsaPrivateKey::from_pkcs8_pem(DEMO_RSA_KEY[start..].trim())
        .map_err(|e| format!("the demo RSA key: {e}"))
}

/// A compact JWS (RS256) of `payload`.
fn rs256(key: &rsa::RsaPrivateKey, payload: &Value) -> Result<String, String> {
    use rsa::signature::{SignatureEncoding, Signer};
    let header = json!({"alg": "RS256"});
    let input = format!(
        "{}.{}",
        b64url(&serde_json::to_vec(&header).map_err(|e| e.to_string())?),
        b64url(&serde_json::to_vec(payload).map_err(|e| e.to_string())?)
    );
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let signature = signer
        .try_sign(input.as_bytes())
        .map_err(|e| format!("signing the demo OB 2.0 assertion: {e}"))?;
    Ok(format!("{input}.{}", b64url(&signature.to_bytes())))
}

/// The browser extension with the demo's trust anchor, when it is built.
fn extension(
    dir: &Path,
    dist: &Path,
    origin: &str,
    anchor: &Value,
) -> Result<Option<PathBuf>, String> {
    let from = dist.join("extension/chromium");
    if !from.join("manifest.json").is_file() {
        return Ok(None);
    }
    let to = dir.join("extension/chromium");
    copy_tree(&from, &to)?;
    write_json(
        &to,
        "preset.json",
        &json!({
            "source": "qlabel demo",
            "anchors": [anchor],
            "registries": [format!("{origin}/authority/registry.json")]
        }),
    )?;
    Ok(Some(std::fs::canonicalize(&to).unwrap_or(to)))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Pages

use crate::authority::site::esc;

/// The demo pages' own look: a plain issuer's or profile site, not the qlabel website.
const DEMO_STYLE: &str = "body{font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0;background:#f6f4f0;color:#1f2328}header{background:#24405c;color:#fff;padding:1.25rem max(1rem,calc(50% - 28rem))}header h1{margin:0 0 .25rem}header p{margin:0;opacity:.9}main{max-width:56rem;margin:1.5rem auto;padding:0 1rem}section{background:#fff;border:1px solid #ddd8cf;border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1.25rem}ul{padding-left:1.25rem}li{margin:.5rem 0}a{color:#0b57d0}img{vertical-align:middle;margin-right:.5rem}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{DEMO_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

fn describe(e: &Entry) -> String {
    format!(
        "{} ({}): badge {}, label {}",
        e.slug, e.form, e.badge, e.label
    )
}

fn issuer_page(active: &Issuer, entries: &[Entry]) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p>A demo issuer website of the qlabel demo world: the widget shows our Quality Label seal and verifies our badges in your browser.</p>\n</header>\n<main>\n<section aria-labelledby=\"seal\">\n<h2 id=\"seal\">Our Quality Label</h2>\n<qlabel-seal holder=\"{}\" trust=\"/trust.json\"></qlabel-seal>\n</section>\n<section aria-labelledby=\"badges\">\n<h2 id=\"badges\">Badges</h2>\n<ul>\n",
        esc(active.name),
        esc(&active.did)
    ));
    for e in entries {
        body.push_str(&format!(
            "<li><p>{}</p><qlabel-badge src=\"/badges/{}\" trust=\"/trust.json\"></qlabel-badge></li>\n",
            esc(&describe(e)),
            esc(&e.file)
        ));
    }
    body.push_str(
        "</ul>\n</section>\n</main>\n<script type=\"module\" src=\"/widget/qlabel-widget.js\"></script>\n",
    );
    page(active.name, &body)
}

fn profile_page(entries: &[Entry]) -> String {
    let mut body = String::from(
        "<header>\n<h1>Lea Learner</h1>\n<p>Youth worker in training. A demo profile page of the qlabel demo world: open the qlabel extension here to check her badges.</p>\n</header>\n<main>\n<section aria-labelledby=\"licences\">\n<h2 id=\"licences\">Licences &amp; certifications</h2>\n<ul>\n",
    );
    for e in entries {
        let url = format!("/badges/{}", e.file);
        if e.file.ends_with(".png") || e.file.ends_with(".svg") {
            body.push_str(&format!(
                "<li><img src=\"{}\" width=\"96\" height=\"96\" alt=\"{}\"> <a href=\"{}\">{}</a></li>\n",
                esc(&url),
                esc(&format!("Teamwork badge, baked {}", &e.file[e.file.len() - 3..])),
                esc(&url),
                esc(&describe(e))
            ));
        } else {
            body.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                esc(&url),
                esc(&describe(e))
            ));
        }
    }
    body.push_str("</ul>\n</section>\n</main>\n");
    page("Lea Learner", &body)
}

/// `/` when there is no website build.
fn index_page(entries: &[Entry]) -> String {
    let mut body = String::from(
        "<header>\n<h1>qlabel demo</h1>\n<p>The website is not built (cargo xtask dist); these are the demo world's parts.</p>\n</header>\n<main>\n<ul>\n<li><a href=\"/issuer/\">Issuer website (widget)</a></li>\n<li><a href=\"/profile/\">Profile page (extension)</a></li>\n<li><a href=\"/trust.json\">Trust anchor</a></li>\n<li><a href=\"/authority/\">Label authority: registry and certificates</a></li>\n<li><a href=\"/world.json\">The world (world.json)</a></li>\n</ul>\n<h2>Badges</h2>\n<ul>\n",
    );
    for e in entries {
        body.push_str(&format!(
            "<li><a href=\"/badges/{}\">{}</a></li>\n",
            esc(&e.file),
            esc(&describe(e))
        ));
    }
    body.push_str("</ul>\n</main>\n");
    page("qlabel demo", &body)
}

// ---------------------------------------------------------------------------------
// The server

struct Site {
    /// The world folder, canonical.
    root: PathBuf,
    /// The build folder, canonical, when it exists.
    dist: Option<PathBuf>,
    origin: String,
}

/// The content type of a served file.
fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("jsonld") => "application/ld+json",
        Some("jwt") => "application/jwt",
        Some("jws") | Some("txt") => "text/plain; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("zip") => "application/zip",
        // Status lists are served without an extension.
        None => "application/json",
        Some(_) => "application/octet-stream",
    }
}

enum Answer {
    File(PathBuf),
    Redirect(String),
    Status(u16, &'static str),
}

impl Site {
    /// Where a request path leads.
    fn route(&self, raw: &str) -> Answer {
        let path = raw.split(['?', '#']).next().unwrap_or_default();
        if !path.starts_with('/')
            || path.contains('\\')
            || path.contains('\0')
            || path.contains('%')
            || path.split('/').any(|s| s == ".." || s == ".")
        {
            return Answer::Status(400, "bad path\n");
        }
        let rel = &path[1..];
        let first = rel.split('/').next().unwrap_or_default();
        let (base, rest) = match first {
            "widget" | "pkg" => match &self.dist {
                Some(d) => (d.clone(), rel.to_string()),
                None => return Answer::Status(404, "not built (cargo xtask dist)\n"),
            },
            "config.json" | "trust.json" | "world.json" | "authority" | "badges" | "issuer"
            | "profile" => (self.root.clone(), rel.to_string()),
            _ => match &self.dist {
                Some(d) if d.join("www").is_dir() => (d.join("www"), rel.to_string()),
                _ if rel.is_empty() || rel == "index.html" => {
                    (self.root.clone(), "index.html".into())
                }
                _ => return Answer::Status(404, "not found\n"),
            },
        };
        let mut target = base.join(&rest);
        if target.is_dir() {
            if !path.ends_with('/') {
                return Answer::Redirect(format!("{path}/"));
            }
            target = target.join("index.html");
        }
        // The file, canonical, must lie inside its folder (no way out by a link).
        match std::fs::canonicalize(&target) {
            Ok(real) if real.starts_with(&base) && real.is_file() => Answer::File(real),
            _ => Answer::Status(404, "not found\n"),
        }
    }

    /// Answers one request (`method`, `target`) on `out`, and closes.
    fn answer(&self, method: &str, target: &str, out: &mut impl Write) -> std::io::Result<()> {
        let cors = ("Access-Control-Allow-Origin", "*");
        if method != "GET" && method != "HEAD" {
            return respond(
                out,
                405,
                &[
                    ("Allow", "GET, HEAD"),
                    ("Content-Type", "text/plain; charset=utf-8"),
                ],
                Body::Text("only GET and HEAD\n"),
                false,
            );
        }
        let head = method == "HEAD";
        match self.route(target) {
            Answer::File(path) => match std::fs::File::open(&path) {
                Ok(file) => respond(
                    out,
                    200,
                    &[
                        ("Content-Type", content_type(&path)),
                        ("Cache-Control", "no-cache"),
                        ("X-Content-Type-Options", "nosniff"),
                        cors,
                    ],
                    Body::File(file),
                    head,
                ),
                Err(_) => respond(out, 404, &[cors], Body::Text("not found\n"), head),
            },
            Answer::Redirect(to) => {
                let location = format!("{}{to}", self.origin);
                respond(
                    out,
                    301,
                    &[("Location", &location), cors],
                    Body::Text(""),
                    head,
                )
            }
            Answer::Status(code, text) => respond(
                out,
                code,
                &[("Content-Type", "text/plain; charset=utf-8"), cors],
                Body::Text(text),
                head,
            ),
        }
    }
}

/// Connections served at once; more wait in the listener's backlog.
const MAX_CONNECTIONS: usize = 64;
/// The longest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// The demo's HTTP/1.1 server: one thread per connection (at most [`MAX_CONNECTIONS`]),
/// one request per connection (`Connection: close`), a 10 s read timeout. A browser
/// opens a few connections at once and keeps idle ones; a pool of workers that serves
/// whole keep-alive connections (as tiny_http's does) can leave a new connection queued
/// behind idle ones until the browser gives up — which the browser tests met.
fn serve(listener: &std::net::TcpListener, site: &Site) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let open = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            while open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            open.fetch_add(1, Ordering::AcqRel);
            let open = &open;
            scope.spawn(move || {
                if let Err(e) = connection(stream, site) {
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::BrokenPipe
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                    ) {
                        eprintln!("qlabel demo: {e}");
                    }
                }
                open.fetch_sub(1, Ordering::AcqRel);
            });
        }
    });
}

/// Reads one request head and answers it.
fn connection(mut stream: std::net::TcpStream, site: &Site) -> std::io::Result<()> {
    use std::io::Read;
    let timeout = Some(std::time::Duration::from_secs(10));
    stream.set_read_timeout(timeout)?;
    stream.set_write_timeout(Some(std::time::Duration::from_secs(30)))?;
    let _ = stream.set_nodelay(true);
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_HEAD {
            return respond(
                &mut stream,
                431,
                &[],
                Body::Text("request head too large\n"),
                false,
            );
        }
    }
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version)) if version.starts_with("HTTP/1.") => {
            site.answer(method, target, &mut stream)
        }
        _ => respond(&mut stream, 400, &[], Body::Text("bad request\n"), false),
    }
}

enum Body {
    Text(&'static str),
    File(std::fs::File),
}

/// Writes a whole response (head and body in as few writes as the body allows).
fn respond(
    out: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: Body,
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
    let len = match &body {
        Body::Text(t) => t.len() as u64,
        Body::File(f) => f.metadata()?.len(),
    };
    let mut text = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!(
        "Content-Length: {len}\r\nConnection: close\r\n\r\n"
    ));
    let mut bytes = text.into_bytes();
    match body {
        Body::Text(t) => {
            if !head_only {
                bytes.extend_from_slice(t.as_bytes());
            }
            out.write_all(&bytes)?;
        }
        Body::File(mut f) => {
            out.write_all(&bytes)?;
            if !head_only {
                std::io::copy(&mut f, out)?;
            }
        }
    }
    out.flush()
}
