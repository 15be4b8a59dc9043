//! `balai generate`.

use std::time::Instant;

use anyhow::Context;
use balai_domain::KodeWilayah;
use balai_services::generate::{GenerateOptions, generate};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::GenerateArgs;
use crate::config::Config;

/// Generates into the configured database.
pub async fn run(args: GenerateArgs, config: Config) -> anyhow::Result<()> {
    let within = KodeWilayah::parse(&args.region).context("--region")?;
    let as_of = match &args.as_of {
        Some(s) => time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("--as-of {s:?} is not a date like 2026-11-01"))?,
        None => balai_generate::DEFAULT_AS_OF,
    };
    let db = super::open(&config).await?;
    let bar = ProgressBar::new(u64::from(args.villages));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} villages · {msg} · {elapsed}")
            .expect("valid template"),
    );
    let started = Instant::now();
    let report = generate(
        &db,
        &super::cli_context("generate"),
        GenerateOptions {
            within,
            villages: args.villages,
            residents_per_village: args.residents_per_village,
            seed: args.seed,
            as_of,
        },
        |done, _, counts| {
            bar.set_position(done as u64);
            bar.set_message(format!("{} residents", counts.residents));
        },
    )
    .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let c = report.counts;
    println!(
        "generated {} villages in {}: {} residents, {} families, {} life events ({} change-log entries) in {secs:.1} s ({:.0} residents/s)",
        report.villages.len(),
        config.database,
        c.residents,
        c.families,
        c.events,
        c.changes,
        c.residents as f64 / secs
    );
    db.close().await;
    Ok(())
}
