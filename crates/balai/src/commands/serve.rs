//! `balai serve`.

use std::sync::Arc;

use anyhow::Context;
use balai_services::Db;
use balai_services::backup::ServeLock;
use balai_services::{Clock, SystemClock};

use crate::cli::ServeArgs;
use crate::config::Config;

/// Opens the configured database and serves it.
pub async fn run(args: ServeArgs, config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let _lock = ServeLock::acquire(&config.database)?;
    let backups = config.backups();
    crate::backups::before_migrating(&config.database, &backups, SystemClock.now()).await;
    let db = Db::open(&config.database)
        .await
        .with_context(|| format!("cannot open database {}", config.database.display()))?;
    let bind = args.bind.unwrap_or(config.bind);
    let daily = tokio::spawn(crate::backups::daily(
        db.clone(),
        backups,
        config.backup_time,
        Arc::new(SystemClock),
    ));
    let served = crate::server::serve(db, bind, config.trusted_proxies.clone(), |addr| {
        tracing::info!(startup_ms = started.elapsed().as_millis() as u64, "ready");
        println!(
            "Balai serving {} on http://{addr}",
            config.database.display()
        );
    })
    .await;
    daily.abort();
    served
}
