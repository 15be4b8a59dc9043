//! `balai backup` and `balai restore`.

use anyhow::Context;

use crate::cli::{BackupArgs, RestoreArgs};
use crate::config::Config;

/// Writes a verified, consistent copy; safe while `balai serve` runs.
pub async fn backup(args: BackupArgs, config: Config) -> anyhow::Result<()> {
    let Some(dest) = args.dest else {
        let backups = config.backups();
        let listing = crate::backups::listing(&backups)
            .await
            .with_context(|| format!("cannot read {}", backups.dir.display()))?;
        print!("{listing}");
        return Ok(());
    };
    let file = super::sqlite_file(
        &config,
        "balai backup",
        "back it up with pg_dump (pg_dump --format=custom --file=balai.dump DATABASE)",
    )?;
    anyhow::ensure!(file.is_file(), "database {} does not exist", file.display());
    let store = super::open(&config).await?;
    let r = balai_services::backup::backup_to(&store, &dest).await?;
    store.close().await;
    println!(
        "backup written to {} ({} bytes) and verified: {} villages, {} families, {} residents, {} life events, {} change-log entries",
        r.path.display(),
        r.bytes,
        r.counts.villages,
        r.counts.families,
        r.counts.residents,
        r.counts.events,
        r.counts.changes
    );
    Ok(())
}

/// Replaces the database with a verified backup.
pub async fn restore(args: RestoreArgs, config: Config) -> anyhow::Result<()> {
    let file = super::sqlite_file(
        &config,
        "balai restore",
        "restore a pg_dump archive with pg_restore into an empty database",
    )?;
    let r = balai_services::backup::restore(&args.backup, file).await?;
    if let Some(prev) = &r.previous {
        println!("the replaced database was kept as {}", prev.display());
    }
    println!(
        "restored {} from {} and verified: {} villages, {} families, {} residents, {} life events, {} change-log entries",
        r.path.display(),
        args.backup.display(),
        r.counts.villages,
        r.counts.families,
        r.counts.residents,
        r.counts.events,
        r.counts.changes
    );
    Ok(())
}
