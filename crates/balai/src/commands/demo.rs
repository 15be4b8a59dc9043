//! `balai demo`: seed (or reuse) the demo regency, print the accounts, serve.

use std::path::PathBuf;

use anyhow::Context;
use balai_services::DatabaseUrl;
use balai_services::backup::ServeLock;
use balai_services::demo::{DEMO_PASSWORD, DEMO_PIN, DemoOptions, seed};

use crate::cli::DemoArgs;
use crate::config::Config;

/// Runs the demo on `data/demo.sqlite` unless `--database` names another
/// database (a file, or an empty PostgreSQL database).
pub async fn run(args: DemoArgs, config: Config) -> anyhow::Result<()> {
    let mut config = config;
    if config.database == Config::default().database {
        config.database = DatabaseUrl::sqlite_file("data/demo.sqlite");
    }
    config.insecure_http |= args.insecure_http;
    // Settings the server could not use stop it before the demo is seeded.
    let checked = crate::server::Listen::from_config(&config, args.bind)
        .check()
        .await?;
    let lock = config
        .database
        .sqlite_path()
        .map(ServeLock::acquire)
        .transpose()?;
    if args.fresh {
        // Starting over deletes the demo's file; a server database is
        // dropped by its administrator, not by Balai.
        let db = super::sqlite_file(
            &config,
            "balai demo --fresh",
            "drop and recreate the database (dropdb, createdb), then run balai demo without --fresh",
        )?;
        for suffix in ["", "-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot delete {}", PathBuf::from(p).display()));
                }
            }
        }
    }
    let store = super::open(&config).await?;
    let started = std::time::Instant::now();
    let demo = seed(
        &store,
        &super::cli_context("demo"),
        DemoOptions {
            seed: args.seed,
            villages: args.villages,
            residents_per_village: args.residents_per_village,
        },
    )
    .await?;
    if demo.seeded_now {
        println!(
            "Demo seeded into {} in {:.1} s (seed {}).",
            config.database,
            started.elapsed().as_secs_f64(),
            args.seed
        );
    } else {
        println!(
            "Reusing the demo in {} (use --fresh to start over).",
            config.database
        );
    }
    println!();
    println!("Villages:");
    for v in &demo.villages {
        println!(
            "  {}  {:<24} {:>6} residents  {:>5} families",
            v.village.kode, v.village.name, v.population, v.families
        );
    }
    println!();
    println!("Demo accounts (password for all: {DEMO_PASSWORD}):");
    for a in &demo.accounts {
        println!(
            "  {:<28} {:<18} {}",
            a.username,
            a.role.label(),
            a.scope_name
        );
    }
    if let Some((village, nik)) = &demo.resident {
        println!();
        println!("Demo resident (self-service site and kiosk): NIK {nik}, PIN {DEMO_PIN}");
        println!("  /layanan/{}   residents' site (phone)", village.plain());
        println!("  /anjungan/{}  kiosk (touch screen)", village.plain());
    }
    println!();
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    let _lock = lock;
    crate::server::serve(store, checked, |addr, public_url| {
        println!("Serving on {addr}: open {public_url}/  (Ctrl-C to stop)")
    })
    .await
}
