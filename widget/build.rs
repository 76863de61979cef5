//! Embeds the translation tables that exist in `i18n/` (one flat JSON object per
//! language) with `include_str!`; a missing table falls back to English key by key.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

const LANGS: [&str; 8] = ["en", "nl", "sl", "lt", "it", "es", "sr-Latn", "sr-Cyrl"];

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR")?).join("i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from("/// The translation tables that exist: (language, JSON text).\npub(crate) static TABLES: &[(&str, &str)] = &[\n");
    for lang in LANGS {
        let file = dir.join(format!("{lang}.json"));
        println!("cargo:rerun-if-changed={}", file.display());
        if file.is_file() {
            let path = file.to_string_lossy();
            writeln!(out, "    ({lang:?}, include_str!({path:?})),")?;
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR")?).join("i18n.rs");
    std::fs::write(dest, out)?;
    Ok(())
}
