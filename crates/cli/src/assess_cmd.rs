//! `qlabel assess` (being written).
use std::path::Path;

/// Runs `qlabel assess`; returns the exit code.
pub fn run(_input: &Path, _json: bool) -> Result<u8, String> {
    Err("not implemented yet".into())
}
