//! `balai serve`.

use std::io::Write;
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
    let mut config = config;
    if args.public_url.is_some() {
        config.public_url = args.public_url;
    }
    config.insecure_http |= args.insecure_http;
    let tls = config.tls_cert.is_some();
    // Settings the server could not use stop it before the database is touched.
    let checked = crate::server::Listen::from_config(&config, args.bind.unwrap_or(config.bind))
        .check()
        .await?;
    let _lock = ServeLock::acquire(&config.database)?;
    let backups = config.backups();
    crate::backups::before_migrating(&config.database, &backups, SystemClock.now()).await;
    let db = Db::open(&config.database)
        .await
        .with_context(|| format!("cannot open database {}", config.database.display()))?;
    // Numbers a stopped server took for letters it never stored.
    match balai_services::letters::void_abandoned_numbers(&db, &SystemClock).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            voided = n,
            "letter numbers left reserved by a server that stopped were voided"
        ),
        Err(e) => tracing::error!(error = %e, "could not void abandoned letter numbers"),
    }
    let daily = tokio::spawn(crate::backups::daily(
        db.clone(),
        backups,
        config.backup_time,
        Arc::new(SystemClock),
    ));
    let served = crate::server::serve(db, checked, |addr, public_url| {
        tracing::info!(startup_ms = started.elapsed().as_millis() as u64, "ready");
        // Tests and benchmarks read the listening address from the end of this first line.
        let scheme = if tls { "https" } else { "http" };
        // Written, not `println!`: whoever started us may have closed the
        // pipe after the first line (tests, scripts), and a failed write to
        // stdout must not stop a server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "Balai serving {} on {scheme}://{addr}",
            config.database.display()
        );
        let _ = writeln!(
            out,
            "Public address (letters' QR codes, links): {public_url}"
        );
        let _ = out.flush();
    })
    .await;
    daily.abort();
    served
}
