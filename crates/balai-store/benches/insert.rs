//! Insert throughput of generated residents into SQLite, and database bytes per resident.
//!
//! `cargo bench -p balai-store --bench insert` loads a Klaten-sized regency
//! (1.2 M residents in 400 villages of 3,000) into a fresh database file, one
//! transaction per village, with every change-log entry, and prints residents/s
//! and bytes/resident. The baseline in the same run is the bare resident rows
//! (no families, events, change log or secondary indexes) written the same way,
//! which shows what history and indexing cost. `BALAI_BENCH_RESIDENTS` scales it;
//! `BALAI_BENCH_POSTGRES=postgres://SERVER` measures PostgreSQL (a new database there).

use std::time::Instant;

use balai_domain::KodeWilayah;
use balai_generate::{DEFAULT_AS_OF, Generator, VillageData};
use balai_store::{Population, WriteContext};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

const PER_VILLAGE: u32 = 3_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let total: u32 = std::env::var("BALAI_BENCH_RESIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_200_000);
    let villages = total.div_ceil(PER_VILLAGE).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let regions = balai_regions::builtin();
    let klaten = KodeWilayah::parse("33.10").unwrap();
    let codes: Vec<KodeWilayah> = regions
        .within(klaten, balai_domain::RegionLevel::Village)
        .map(|r| r.kode)
        .take(villages as usize)
        .collect();
    let districts: Vec<KodeWilayah> = regions
        .within(klaten, balai_domain::RegionLevel::District)
        .map(|r| r.kode)
        .collect();

    let t = Instant::now();
    let mut generator = Generator::new(42, DEFAULT_AS_OF, districts);
    let data: Vec<VillageData> = codes
        .iter()
        .map(|&v| generator.village(v, PER_VILLAGE))
        .collect();
    let residents: usize = data.iter().map(|d| d.residents.len()).sum();
    let families: usize = data.iter().map(|d| d.families.len()).sum();
    let events: usize = data.iter().map(|d| d.events.len()).sum();
    println!(
        "generated {residents} residents, {families} families, {events} events in {} villages: {:.2} s",
        codes.len(),
        t.elapsed().as_secs_f64()
    );

    // Baseline: the same resident rows into a bare table, same chunking.
    let baseline_path = dir.path().join("baseline.sqlite");
    let base_rate = baseline(&baseline_path, &data).await;

    // BALAI_BENCH_POSTGRES=postgres://SERVER loads into a new database there
    // instead of a fresh SQLite file.
    let store = balai_store::testing::bench_store(&dir.path().join("balai.sqlite")).await;
    println!("backend: {}", store.backend().as_str());
    let ctx = WriteContext::new(
        "system:bench",
        time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000),
    );
    store
        .import_regions(&ctx, &regions, "builtin")
        .await
        .expect("regions");
    for &v in &codes {
        store.create_village(&ctx, v).await.expect("village");
    }
    let t = Instant::now();
    let mut changes = 0;
    for d in &data {
        let c = store
            .insert_population(
                &ctx,
                Population {
                    village: d.village,
                    families: &d.families,
                    residents: &d.residents,
                    events: &d.events,
                    baselines: &d.baselines,
                },
            )
            .await
            .expect("insert");
        changes += c.changes;
    }
    let secs = t.elapsed().as_secs_f64();
    store.checkpoint().await.expect("checkpoint");
    let bytes = store.size_bytes().await.expect("size");
    store.close().await;
    let rate = residents as f64 / secs;
    println!("baseline (bare resident rows, no history or indexes): {base_rate:.0} residents/s");
    println!(
        "balai insert_population: {residents} residents (+{families} families, {events} events, {changes} change-log entries) in {secs:.2} s = {rate:.0} residents/s ({:.0}% of baseline)",
        100.0 * rate / base_rate
    );
    println!(
        "database size: {bytes} bytes = {:.0} bytes/resident",
        bytes as f64 / residents as f64
    );
    println!(
        "goal: >= 200000 residents/s (1.2 M in < 10 s): {}",
        if rate >= 200_000.0 { "met" } else { "NOT met" }
    );
}

async fn baseline(path: &std::path::Path, data: &[VillageData]) -> f64 {
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE r (id BLOB PRIMARY KEY, village TEXT, number TEXT, name TEXT, sex INT, birth_place TEXT, birth_date INT, religion INT, education INT, occupation INT, marital INT, relationship INT, status INT)")
        .execute(&mut conn)
        .await
        .unwrap();
    let t = Instant::now();
    let mut n = 0usize;
    for d in data {
        let mut tx = conn.begin().await.unwrap();
        for chunk in d.residents.chunks(2_000) {
            let sql = format!(
                "INSERT INTO r VALUES {}",
                balai_store::dialect::values_clause(balai_store::Backend::Sqlite, chunk.len(), 13)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.id)
                    .bind(r.village.plain())
                    .bind(r.number.to_string())
                    .bind(r.name.as_str())
                    .bind(i64::from(r.sex.code()))
                    .bind(&r.birth_place)
                    .bind(i64::from(r.birth_date.to_julian_day()))
                    .bind(i64::from(r.religion.code()))
                    .bind(i64::from(r.education.code()))
                    .bind(i64::from(r.occupation.code()))
                    .bind(i64::from(r.marital_status.code()))
                    .bind(i64::from(r.relationship.code()))
                    .bind(i64::from(r.status.code()));
            }
            q.execute(&mut *tx).await.unwrap();
            n += chunk.len();
        }
        tx.commit().await.unwrap();
    }
    n as f64 / t.elapsed().as_secs_f64()
}
