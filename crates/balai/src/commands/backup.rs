//! `balai backup` and `balai restore`.

use anyhow::Context;
use balai_services::Db;

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
    anyhow::ensure!(
        config.database.is_file(),
        "database {} does not exist",
        config.database.display()
    );
    let store = Db::open(&config.database)
        .await
        .with_context(|| format!("cannot open {}", config.database.display()))?;
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
    let r = balai_services::backup::restore(&args.backup, &config.database).await?;
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
