//! `balai import` and `balai export`: the workbook on the command line.

use std::time::{Duration, Instant};

use anyhow::Context;
use balai_domain::KodeWilayah;
use balai_services::Db;
use balai_services::SystemClock;
use balai_services::export::{Format, export as export_village};
use balai_services::import::{ImportFailure, Stage, import_workbook};
use balai_services::staff::{VillageAccess, terminal_access};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{ExportArgs, ImportArgs};
use crate::config::Config;

/// The person at the terminal acts as the village's operator.
async fn access(db: &Db, village: &str) -> anyhow::Result<VillageAccess> {
    let village = KodeWilayah::parse(village).context("--village")?;
    let user = std::env::var("USER").unwrap_or_default();
    terminal_access(db, &user, village).await.map_err(|_| anyhow::anyhow!("village {village} is not on this server; create it first (balai generate or the regency admin)"))
}

/// Imports a workbook, printing every bad row when it is refused.
pub async fn import(args: ImportArgs, config: Config) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let db = super::open(&config).await?;
    let access = access(&db, &args.village).await?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} · {elapsed}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let started = Instant::now();
    let outcome = import_workbook(&db, &SystemClock, &access, bytes, |stage| {
        bar.set_message(match stage {
            Stage::Reading => "reading and checking every row",
            Stage::Matching => "matching with the registry",
            Stage::Writing => "writing (one transaction)",
        })
    })
    .await;
    bar.finish_and_clear();
    db.close().await;
    match outcome {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!(
                    "warning: row {} column {} ({:?}): {}",
                    w.row, w.column, w.value, w.reason
                );
            }
            println!(
                "imported {} in {:.1} s: {} new residents, {} updated, {} new families, {} families updated ({} warnings)",
                args.file.display(),
                started.elapsed().as_secs_f64(),
                r.residents_new,
                r.residents_updated,
                r.families_new,
                r.families_updated,
                r.warnings.len()
            );
            Ok(())
        }
        Err(ImportFailure::Workbook(e)) => {
            for i in e.issues() {
                eprintln!(
                    "row {} column {} ({:?}): {}",
                    i.row, i.column, i.value, i.reason
                );
            }
            anyhow::bail!("{e} — nothing was imported")
        }
        Err(ImportFailure::Conflicts(issues)) => {
            for i in &issues {
                eprintln!(
                    "row {} column {} ({:?}): {}",
                    i.row, i.column, i.value, i.reason
                );
            }
            anyhow::bail!(
                "{} rows clash with the village's registry — nothing was imported",
                issues.len()
            )
        }
        Err(ImportFailure::Service(e)) => Err(e).context("import failed — nothing was imported"),
    }
}

/// Exports a village; `.csv` gives CSV, anything else the workbook.
pub async fn export(args: ExportArgs, config: Config) -> anyhow::Result<()> {
    let db = super::open(&config).await?;
    let access = access(&db, &args.village).await?;
    let format = if args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let (_, bytes) = export_village(&db, &SystemClock, &access, format).await?;
    db.close().await;
    std::fs::write(&args.file, &bytes)
        .with_context(|| format!("cannot write {}", args.file.display()))?;
    println!(
        "exported village {} to {} ({} bytes)",
        access.village(),
        args.file.display(),
        bytes.len()
    );
    Ok(())
}
