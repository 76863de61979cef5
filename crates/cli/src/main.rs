//! `qlabel`: verify Open Badges and their issuers' Quality Label from the command line.

use clap::{Parser, Subcommand, ValueEnum};
use qlabel_core::fetch::{block_on, Offline};
use qlabel_core::report::{CheckStatus, LabelStatus, Report};
use qlabel_core::{multibase, Options};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::OffsetDateTime;

mod assess_cmd;
mod authority;
mod bake;
mod demo;
mod fetch;
mod keyfile;
mod scan;

#[derive(Parser)]
#[command(
    name = "qlabel",
    version,
    about = "Verify Open Badges and the Quality Label of their issuers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a badge in any form — Open Badges 2.0 assertion (hosted or signed), Open
    /// Badges 3.0 / Verifiable Credential (JSON-LD or JWT), baked PNG or SVG — from a
    /// file, standard input or a URL.
    Verify {
        /// The badge: a file, a URL (https://…), or - for standard input.
        input: String,
        /// Print the qlabel-report/1 JSON instead of a summary.
        #[arg(long)]
        json: bool,
        /// Judge validity at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// Never use the network: whatever needs it is reported unverifiable.
        #[arg(long)]
        offline: bool,
        /// The earner (email address or URL) the badge must have been awarded to.
        #[arg(long, value_name = "EMAIL|URL")]
        recipient: Option<String>,
        /// Time budget for all the requests of one verification, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        timeout: u64,
        /// A trust-anchor file (`qlabel authority trust` output): a label authority whose
        /// labels count. Repeatable.
        #[arg(long, value_name = "FILE")]
        trust: Vec<PathBuf>,
        /// The label registry to consult: a URL, or a registry.json in a published site
        /// folder (its other files are then read from that folder).
        #[arg(long, value_name = "FILE|URL")]
        registry: Option<String>,
        /// Exit with status 4 when the badge is valid but its issuer is not labelled.
        #[arg(long)]
        require_label: bool,
    },
    /// Find the badges on a web page (a saved HTML file, - for standard input, or a URL)
    /// and verify each.
    #[command(after_help = scan::AFTER_HELP)]
    Scan(scan::ScanArgs),
    /// Bake a badge (OB 2.0 assertion JSON or URL, OB 3.0 credential JSON or VC-JWT) into a PNG or SVG image.
    Bake {
        /// The badge file: JSON, a compact JWS, or a hosted assertion's URL.
        badge: PathBuf,
        /// The PNG or SVG image to bake it into.
        image: PathBuf,
        /// Where to write the baked image.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Print the badge baked into a PNG or SVG image.
    Unbake {
        /// The baked image.
        image: PathBuf,
    },
    /// Check a badge against the Quality Label standard's machine-checkable criteria.
    /// Exit status: 0 no criterion fails, 1 some fail, 2 unreadable input.
    Assess {
        /// The badge: a file (JSON, JWT, baked PNG/SVG).
        input: PathBuf,
        /// Print the assessment as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Label authority: create one, print its trust anchor.
    Authority {
        #[command(subcommand)]
        command: authority::AuthorityCommand,
    },
    /// Award, renew, suspend, reinstate and withdraw labels.
    Label {
        #[command(subcommand)]
        command: authority::LabelCommand,
    },
    /// Publish the signed registry as a static site.
    Registry {
        #[command(subcommand)]
        command: authority::RegistryCommand,
    },
    /// Manage signing keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Make the demo world (a label authority, issuers, badges in every form) and serve
    /// it with the website, the widget and a demo profile page on 127.0.0.1.
    Demo(demo::DemoArgs),
    /// Sign a credential with a Data Integrity proof; prints the signed credential.
    Sign {
        /// Key file written by `qlabel key generate`.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Cryptosuite: eddsa-rdfc-2022 (rdfc) or eddsa-jcs-2022 (jcs).
        #[arg(long, value_enum)]
        suite: SuiteArg,
        /// The unsigned credential, or - for standard input.
        input: String,
        /// The proof's created time (RFC 3339); now by default.
        #[arg(long, value_name = "RFC3339")]
        created: Option<String>,
        /// Write the signed credential here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate an Ed25519 key; its public half is a did:key.
    Generate {
        /// Write the key file here (mode 0600) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SuiteArg {
    Rdfc,
    Jcs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("qlabel: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Verify {
            input,
            json,
            at,
            offline,
            recipient,
            timeout,
            trust,
            registry,
            require_label,
        } => {
            let at = match at {
                Some(t) => parse_time(&t)?,
                None => OffsetDateTime::now_utc(),
            };
            let is_url = input.starts_with("https://") || input.starts_with("http://");
            let bytes = if is_url {
                input.clone().into_bytes()
            } else {
                read_input(&input)?
            };
            let mut options = Options::at(at);
            options.source = Some(if input == "-" {
                "stdin".into()
            } else {
                input.clone()
            });
            options.recipient = recipient;
            for file in &trust {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                options.trust.extend(
                    qlabel_core::label::TrustAnchor::parse_many(&text)
                        .map_err(|e| format!("{}: {e}", file.display()))?,
                );
            }
            // A registry file: its site is read from the folder it sits in.
            let mut site = None;
            if let Some(r) = registry {
                if r.starts_with("https://") || r.starts_with("http://") {
                    options.registry = Some(r);
                } else {
                    let local = fetch::LocalSite::open(Path::new(&r))?;
                    options.registry = Some(local.registry_url.clone());
                    site = Some(local);
                }
            }
            let result = match (offline, site) {
                (true, None) => block_on(qlabel_core::verify(&bytes, &options, &Offline)),
                (true, Some(site)) => {
                    block_on(qlabel_core::verify(&bytes, &options, &site.over(Offline)))
                }
                (false, site) => {
                    let web = fetch::HttpFetch::new(std::time::Duration::from_secs(timeout.max(1)));
                    match site {
                        Some(site) => {
                            block_on(qlabel_core::verify(&bytes, &options, &site.over(web)))
                        }
                        None => block_on(qlabel_core::verify(&bytes, &options, &web)),
                    }
                }
            };
            let report = result.map_err(|e| format!("{input}: {e}"))?;
            if json {
                let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
                println!("{text}");
            } else {
                print_summary(&report);
            }
            let code = report.badge.status.exit_code();
            if code == 0 && require_label && report.label.status != LabelStatus::Labelled {
                return Ok(4);
            }
            Ok(code as u8)
        }
        Command::Scan(args) => scan::run(args),
        Command::Assess { input, json } => assess_cmd::run(&input, json),
        Command::Authority { command } => authority::run_authority(command),
        Command::Label { command } => authority::run_label(command),
        Command::Registry { command } => authority::run_registry(command),
        Command::Demo(args) => demo::run(args),
        Command::Bake {
            badge,
            image,
            output,
        } => {
            bake::bake_command(&badge, &image, &output)?;
            eprintln!("wrote {}", output.display());
            Ok(0)
        }
        Command::Unbake { image } => {
            println!("{}", bake::unbake_command(&image)?);
            Ok(0)
        }
        Command::Key {
            command: KeyCommand::Generate { output },
        } => {
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
            let key = ed25519_dalek_key(seed);
            let text = keyfile::to_json(&key);
            match output {
                Some(path) => {
                    keyfile::write_secret(&path, text.as_bytes())?;
                    eprintln!(
                        "wrote {} ({})",
                        path.display(),
                        multibase::did_key(&key.verifying_key())
                    );
                }
                None => println!("{text}"),
            }
            Ok(0)
        }
        Command::Sign {
            key,
            suite,
            input,
            created,
            output,
        } => {
            let key_text =
                std::fs::read_to_string(&key).map_err(|e| format!("{}: {e}", key.display()))?;
            let (signing, vm) =
                keyfile::from_json(&key_text).map_err(|e| format!("{}: {e}", key.display()))?;
            let created = match created {
                Some(t) => parse_time(&t)?,
                None => OffsetDateTime::now_utc(),
            };
            let bytes = read_input(&input)?;
            let doc = qlabel_core::limits::parse_json(&bytes, qlabel_core::Limits::default())
                .map_err(|e| format!("{input}: {e}"))?;
            let options = qlabel_core::SignOptions {
                suite: match suite {
                    SuiteArg::Rdfc => qlabel_core::Suite::EddsaRdfc2022,
                    SuiteArg::Jcs => qlabel_core::Suite::EddsaJcs2022,
                },
                verification_method: vm,
                created: Some(created),
                id: None,
                previous: Vec::new(),
            };
            let signed =
                qlabel_core::sign(&doc, &signing, &options).map_err(|e| format!("{input}: {e}"))?;
            let text = serde_json::to_string_pretty(&signed).map_err(|e| e.to_string())? + "\n";
            match output {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?
                }
                None => print!("{text}"),
            }
            Ok(0)
        }
    }
}

fn ed25519_dalek_key(seed: [u8; 32]) -> keyfile::SigningKey {
    keyfile::SigningKey::from_bytes(&seed)
}

fn parse_time(t: &str) -> Result<OffsetDateTime, String> {
    qlabel_core::datetime::parse(t)
        .filter(|t| t.had_offset)
        .map(|t| t.at)
        .ok_or_else(|| {
            format!("'{t}' is not an RFC 3339 time with an offset (e.g. 2026-01-01T00:00:00Z)")
        })
}

/// Reads a file or standard input, refusing more than the core would accept anyway.
fn read_input(input: &str) -> Result<Vec<u8>, String> {
    read_limited(input, qlabel_core::Limits::default().max_bytes as u64 + 1)
}

/// Reads a file, or standard input for `-`, up to `limit` bytes.
pub(crate) fn read_limited(input: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    if input == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| format!("stdin: {e}"))?;
    } else {
        std::fs::File::open(Path::new(input))
            .and_then(|f| f.take(limit).read_to_end(&mut buf))
            .map_err(|e| format!("{input}: {e}"))?;
    }
    Ok(buf)
}

/// One sentence a person understands, before the details.
fn label_sentence(report: &Report) -> String {
    let issuer = report
        .badge
        .issuer
        .as_ref()
        .map(|i| match &i.name {
            Some(n) => format!("{n} ({})", i.id),
            None => i.id.clone(),
        })
        .unwrap_or_else(|| "an unnamed issuer".into());
    let l = &report.label;
    let authority = l
        .authority
        .as_ref()
        .map(|a| a.name.clone().unwrap_or_else(|| a.id.clone()))
        .unwrap_or_else(|| "a label authority".into());
    let until = l
        .valid_until
        .clone()
        .unwrap_or_else(|| "an unknown date".into());
    let reason = l
        .checks
        .iter()
        .find(|c| c.status != CheckStatus::Pass)
        .map(|c| c.message.clone())
        .unwrap_or_default();
    match l.status {
        LabelStatus::Labelled => format!(
            "Issued by {issuer}, which holds the Quality Label for badge recognition from {authority}, valid until {until}."
        ),
        LabelStatus::NotLabelled => format!(
            "Issued by {issuer}, which does not hold the Quality Label for badge recognition from the authorities you trust."
        ),
        LabelStatus::Expired => format!(
            "Issued by {issuer}, whose Quality Label from {authority} is no longer valid (valid until {until})."
        ),
        LabelStatus::Suspended => {
            format!("Issued by {issuer}, whose Quality Label from {authority} is suspended.")
        }
        LabelStatus::Withdrawn => {
            format!("Issued by {issuer}, whose Quality Label from {authority} has been withdrawn.")
        }
        LabelStatus::Untrusted => format!(
            "Issued by {issuer}; the label it shows comes from an authority you have not chosen to trust: {reason}"
        ),
        LabelStatus::Unknown => format!(
            "Issued by {issuer}; whether it holds the Quality Label could not be determined: {reason}"
        ),
        LabelStatus::NotEvaluated => {
            "The badge itself did not verify, so its issuer's label was not looked at.".into()
        }
    }
}

fn print_summary(report: &Report) {
    println!("{}\n", label_sentence(report));
    let b = &report.badge;
    let status = serde_json::to_value(b.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    println!("badge: {}", status.to_uppercase());
    let form = serde_json::to_value(report.input.format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match &report.input.baked {
        Some(image) => println!(
            "  form:    {form}, baked in a {} image",
            image.to_uppercase()
        ),
        None => println!("  form:    {form}"),
    }
    if let Some(name) = &b.name {
        println!("  name:    {name}");
    }
    if let Some(i) = &b.issuer {
        println!(
            "  issuer:  {} ({})",
            i.name.as_deref().unwrap_or("unnamed"),
            i.id
        );
    }
    if let Some(t) = &b.issued {
        println!("  issued:  {t}");
    }
    if let Some(t) = &b.expires {
        println!("  expires: {t}");
    }
    for c in &b.checks {
        let mark = match (c.status, c.unverifiable) {
            (_, true) => "?",
            (CheckStatus::Pass, _) => "ok",
            (CheckStatus::Fail, _) => "FAIL",
            (CheckStatus::Warn, _) => "warn",
            (CheckStatus::Skip, _) => "-",
        };
        println!("  [{mark:>4}] {:<12} {}", c.id, c.message);
    }
    let label = serde_json::to_value(report.label.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    println!("label: {label}");
    for c in &report.label.checks {
        println!("         {:<12} {}", c.id, c.message);
    }
}
