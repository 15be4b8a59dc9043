//! One module per sub-command.

mod backup;
mod demo;
mod generate;
mod import_export;
mod regions;
mod serve;
mod setup;
mod verify;

pub use verify::NotValid;

use anyhow::Context;
use balai_services::{Clock, SystemClock};
use balai_services::{DatabaseUrl, Db, WriteContext};

use crate::cli::{Cli, Command, RegionsCommand};
use crate::config::Config;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(db) = cli.database {
        // The error masks the password and names the location.
        config.database =
            DatabaseUrl::parse(&db).map_err(|e| anyhow::anyhow!("--database: {e}"))?;
    }
    if let Some(f) = cli.log_format {
        config.log_format = f;
    }
    crate::logging::init(&config.log_format);
    match cli.command {
        Command::Demo(a) => demo::run(a, config).await,
        Command::Serve(a) => serve::run(a, config).await,
        Command::Setup(a) => setup::run(a, config).await,
        Command::Generate(a) => generate::run(a, config).await,
        Command::Regions(RegionsCommand::Import(a)) => regions::import(a, config).await,
        Command::Import(a) => import_export::import(a, config).await,
        Command::Export(a) => import_export::export(a, config).await,
        Command::Verify(a) => verify::run(a, config).await,
        Command::Backup(a) => backup::backup(a, config).await,
        Command::Restore(a) => backup::restore(a, config).await,
        // `main` runs the worker before the runtime starts; never reached.
        Command::RenderWorker => anyhow::bail!("render-worker runs before the runtime starts"),
    }
}

/// Opens (creating a SQLite file if missing, migrating forward) the
/// configured database with the configured pool.
async fn open(config: &Config) -> anyhow::Result<Db> {
    Db::connect_url(&config.database, config.pool())
        .await
        .with_context(|| format!("cannot open database {}", config.database))
}

/// Refuses a command that works on a SQLite file when the database is a
/// PostgreSQL server, naming what to use instead.
fn sqlite_file<'a>(
    config: &'a Config,
    what: &str,
    instead: &str,
) -> anyhow::Result<&'a std::path::Path> {
    config.database.sqlite_path().ok_or_else(|| {
        anyhow::anyhow!(
            "{what} works on a SQLite database file, and {} is PostgreSQL: {instead}",
            config.database
        )
    })
}

/// The write context of a command run by the person at the terminal.
fn cli_context(command: &str) -> WriteContext {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    WriteContext::new(format!("cli:{command}:{user}"), SystemClock.now())
}
