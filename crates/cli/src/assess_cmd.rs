//! `qlabel assess`: checks one badge against the Quality Label standard's
//! machine-checkable criteria (see `docs/standard.md`).
//!
//! The input is a file (or `-` for standard input): an Open Badges 2.0 assertion or
//! BadgeClass, an Open Badges 3.0 credential, as JSON, a compact JWS / VC-JWT, or baked
//! into a PNG or SVG. Nothing is fetched: parts given only as URLs are reported as
//! needing a person.
//!
//! Exit status: 0 no criterion fails (some may need a person or not apply); 1 at least
//! one criterion fails; 2 the input could not be read or is not a badge.
use qlabel_core::assess::{self, Assessment, Format, Status};
use qlabel_core::Limits;
use std::io::Read;
use std::path::Path;

/// Runs `qlabel assess`; returns the exit code.
pub fn run(input: &Path, json: bool) -> Result<u8, String> {
    let shown = input.display().to_string();
    let bytes = if input.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| format!("standard input: {e}"))?;
        b
    } else {
        std::fs::read(input).map_err(|e| format!("{shown}: {e}"))?
    };
    let assessment =
        assess::assess_input(&bytes, Limits::default()).map_err(|e| format!("{shown}: {e}"))?;
    if assessment.format == Format::Unknown {
        return Err(format!(
            "{shown}: not an Open Badges 2.0 assertion or BadgeClass, nor an Open Badges 3.0 credential"
        ));
    }
    if json {
        let text = serde_json::to_string_pretty(&assessment).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", readable(&assessment));
    }
    Ok(if assessment.summary.fail > 0 { 1 } else { 0 })
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NotApplicable => "N/A",
        Status::NeedsHumanReview => "REVIEW",
    }
}

/// The report for people: one line per criterion (status, id, title, message), the
/// fields looked at on the next line.
fn readable(a: &Assessment) -> String {
    let format = match a.format {
        Format::Ob2 => "Open Badges 2.0",
        Format::Ob3 => "Open Badges 3.0",
        Format::Unknown => "unknown format",
    };
    let mut out = match &a.name {
        Some(n) => format!("Quality Label self-assessment of \"{n}\" ({format})\n\n"),
        None => format!("Quality Label self-assessment ({format})\n\n"),
    };
    for c in &a.criteria {
        out.push_str(&format!(
            "{:<6} {:<4} {}: {}\n            fields: {}\n",
            word(c.status),
            c.id,
            c.title,
            c.message,
            c.field
        ));
    }
    let s = &a.summary;
    out.push_str(&format!(
        "\n{} pass, {} fail, {} not applicable, {} for a person to review.\n",
        s.pass, s.fail, s.not_applicable, s.needs_human_review
    ));
    out.push_str(
        "REVIEW items and the rest of the standard (training, QA plan, good practice) are judged \
         by the label's evaluators; whether the issuer holds a label is shown by `qlabel verify`.\n",
    );
    out
}
