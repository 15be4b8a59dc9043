//! Filling villages with seeded synthetic residents (`balai generate`, the demo, benchmarks).

use crate::db::Db;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_generate::Generator;
use balai_store::{Population, PopulationCounts, WriteContext};
use time::Date;

use crate::error::ServiceError;
use crate::regions::{RegionsSource, import};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    /// The region whose villages are filled, in code order (a regency, district or village).
    pub within: KodeWilayah,
    /// How many villages.
    pub villages: u32,
    /// Residents per village (approximately: households come whole).
    pub residents_per_village: u32,
    /// Seed: the same seed, options and `as_of` give identical data.
    pub seed: u64,
    /// The day the generated history ends.
    pub as_of: Date,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenerateReport {
    /// The villages filled.
    pub villages: Vec<KodeWilayah>,
    /// Rows written.
    pub counts: PopulationCounts,
}

/// Creates the villages as tenants (importing the built-in regions if the
/// database has none) and loads one village per transaction. Villages that
/// already hold residents are refused before anything is written.
pub async fn generate(
    db: &Db,
    ctx: &WriteContext,
    opts: GenerateOptions,
    mut progress: impl FnMut(usize, usize, &PopulationCounts),
) -> Result<GenerateReport, ServiceError> {
    let store = db.store();
    if opts.villages == 0 {
        return Err(ServiceError::Invalid(
            "--villages must be at least 1".into(),
        ));
    }
    if store.region_counts().await?.iter().all(|&n| n == 0) {
        import(db, ctx, RegionsSource::Builtin).await?;
    }
    let available = store.villages_in_region(opts.within).await?;
    if available.is_empty() {
        return Err(ServiceError::Invalid(format!(
            "no villages of {} are in the region list; run `balai regions import` with a list that has them",
            opts.within
        )));
    }
    if available.len() < opts.villages as usize {
        return Err(ServiceError::Invalid(format!(
            "{} has only {} villages, fewer than the {} asked for",
            opts.within,
            available.len(),
            opts.villages
        )));
    }
    let chosen: Vec<KodeWilayah> = available.into_iter().take(opts.villages as usize).collect();
    let existing = store.village_summaries(Some(opts.within)).await?;
    if let Some(busy) = existing
        .iter()
        .find(|s| chosen.contains(&s.village.kode) && (s.population > 0 || s.families > 0))
    {
        return Err(ServiceError::Invalid(format!(
            "village {} ({}) already holds residents; generate into a fresh database",
            busy.village.kode, busy.village.name
        )));
    }
    let regency = opts
        .within
        .ancestor(RegionLevel::Regency)
        .unwrap_or(opts.within);
    let districts = store.regions_in(regency, RegionLevel::District).await?;
    let mut generator = Generator::new(opts.seed, opts.as_of, districts);
    let mut report = GenerateReport::default();
    for &village in &chosen {
        if !existing.iter().any(|s| s.village.kode == village) {
            store.create_village(ctx, village).await?;
        }
    }
    // Villages are generated in order (the generator is one seeded stream)
    // and loaded by up to `parallel_loads` transactions at once: on
    // PostgreSQL a load is the server's work, one core per connection, so a
    // second load in flight uses the second core while the first one's
    // rows are checked and indexed. Each village is still its own
    // transaction; only the order of their log entries varies.
    let mut loads = tokio::task::JoinSet::new();
    let limit = store.parallel_loads().max(1);
    let mut done = 0;
    let mut next = chosen.iter();
    loop {
        while loads.len() < limit {
            let Some(&village) = next.next() else { break };
            let data = generator.village(village, opts.residents_per_village);
            let (store, ctx) = (store.clone(), ctx.clone());
            loads.spawn(async move {
                store
                    .insert_population(
                        &ctx,
                        Population {
                            village,
                            families: &data.families,
                            residents: &data.residents,
                            events: &data.events,
                            baselines: &data.baselines,
                        },
                    )
                    .await
                    .map(|c| (village, c))
            });
        }
        let Some(joined) = loads.join_next().await else {
            break;
        };
        // A load that panicked panics here too; none is ever cancelled.
        let (village, c) = joined.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
        report.counts.families += c.families;
        report.counts.residents += c.residents;
        report.counts.events += c.events;
        report.counts.changes += c.changes;
        report.villages.push(village);
        done += 1;
        progress(done, chosen.len(), &report.counts);
    }
    // Reported in code order, whatever order the loads finished in.
    report.villages.sort();
    Ok(report)
}
