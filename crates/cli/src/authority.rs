//! Label authority commands (being written).
use clap::Subcommand;

/// `qlabel authority …`
#[derive(Debug, Subcommand)]
pub enum AuthorityCommand {
    /// Create a label authority (placeholder).
    Init,
}

/// `qlabel label …`
#[derive(Debug, Subcommand)]
pub enum LabelCommand {
    /// Award a label (placeholder).
    Award,
}

/// `qlabel registry …`
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Publish the registry (placeholder).
    Publish,
}

pub fn run_authority(_: AuthorityCommand) -> Result<u8, String> {
    Err("not implemented yet".into())
}
pub fn run_label(_: LabelCommand) -> Result<u8, String> {
    Err("not implemented yet".into())
}
pub fn run_registry(_: RegistryCommand) -> Result<u8, String> {
    Err("not implemented yet".into())
}
