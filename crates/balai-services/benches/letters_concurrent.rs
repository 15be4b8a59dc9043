//! Letters issued at the same time by many villages' operators, as a
//! regency's server sees them on a weekday morning: `VILLAGES` villages, one
//! operator each, every operator issuing letters back to back (NIK typed →
//! signed PDF stored), all villages at once.
//!
//! `cargo bench -p balai-services --bench letters_concurrent` prints the
//! throughput (letters/s over the whole run) and the latency one operator
//! sees (median, p95, p99, max), after a warm-up letter per village.
//!
//! - `BALAI_BENCH_VILLAGES` (default 50): villages, and concurrent operators;
//! - `BALAI_BENCH_LETTERS` (default 20): letters each operator issues;
//! - `BALAI_BENCH_RESIDENTS` (default 300): residents per village.
//!
//! Every letter takes its number in its own short write transaction, so the
//! figure shows how the single-writer database and the render pool (one
//! slot per village, `max(cores, 2)` overall) hold up under contention.

use std::sync::Arc;
use std::time::Instant;

use balai_domain::letter_kind::LetterKind;
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::{self, IssueLetter, LetterForm};
use balai_services::staff::{Staff, authorize};
use balai_store::WriteContext;
use time::macros::datetime;

mod common;
use common::{fill_extras, ms, percentile};

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A Keterangan Domisili for `nik`, every extra field filled.
fn form(nik: &str, i: usize) -> IssueLetter {
    let mut f = LetterForm {
        jenis: LetterKind::Domisili.code().into(),
        nik: nik.into(),
        keperluan: format!("Persyaratan administrasi nomor {i}"),
        penandatangan: "an".into(),
        an_nama: "Siti Aminah".into(),
        an_jabatan: "Sekretaris Desa".into(),
        ..Default::default()
    };
    fill_extras(&mut f, LetterKind::Domisili, i);
    IssueLetter::try_from(f).expect("a valid letter form")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let villages = env_or("BALAI_BENCH_VILLAGES", 50);
    let per_operator = env_or("BALAI_BENCH_LETTERS", 20);
    let residents = env_or("BALAI_BENCH_RESIDENTS", 300);
    let dir = tempfile::tempdir().unwrap();
    let store = balai_store::testing::bench_store(&dir.path().join("letters.sqlite")).await;
    println!("backend: {}", store.backend().as_str());
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:bench", NOW);
    let t = Instant::now();
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 17,
            villages: u32::try_from(villages).unwrap(),
            residents_per_village: u32::try_from(residents).unwrap(),
        },
    )
    .await
    .unwrap();
    let seeded = t.elapsed();
    let clock = Arc::new(FixedClock(NOW));
    let renderer = letters::Renderer::new(letters::RenderWorker::new(
        env!("CARGO_BIN_EXE_balai-render-worker"),
        [],
    ));

    // One operator per village, with the NIKs of the living residents a
    // Keterangan Domisili may be about.
    let mut desks = Vec::with_capacity(villages);
    for (n, v) in demo.villages.iter().enumerate() {
        let village = v.village.kode;
        let operator = Staff {
            account_id: uuid::Uuid::nil(),
            username: format!("operator.bench{n}"),
            display_name: "Operator".into(),
            role: Role::VillageOperator,
            scope: village,
            assigned: vec![],
        };
        let access = authorize(&db, &operator, village).await.unwrap();
        let (_, population) = store.village_population(village).await.unwrap();
        let niks: Vec<String> = population
            .iter()
            .filter(|r| {
                LetterKind::Domisili
                    .subject_allowed(r.status, r.marital_status)
                    .is_ok()
            })
            .map(|r| r.number.to_string())
            .collect();
        assert!(!niks.is_empty(), "village {n} has residents");
        // Warm-up: the village's keys and certificate exist before timing.
        letters::issue(
            &db,
            clock.as_ref(),
            &renderer,
            &access,
            &form(&niks[0], 0),
            URL,
        )
        .await
        .unwrap();
        desks.push((access, niks));
    }

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (access, niks) in desks {
        let (db, clock, renderer) = (db.clone(), clock.clone(), renderer.clone());
        tasks.spawn(async move {
            let mut times = Vec::with_capacity(per_operator);
            for i in 1..=per_operator {
                let f = form(&niks[(i * 7_919) % niks.len()], i);
                let t = Instant::now();
                letters::issue(&db, clock.as_ref(), &renderer, &access, &f, URL)
                    .await
                    .unwrap();
                times.push(t.elapsed());
            }
            times
        });
    }
    let mut times = Vec::with_capacity(villages * per_operator);
    while let Some(done) = tasks.join_next().await {
        times.extend(done.unwrap());
    }
    let wall = started.elapsed();
    times.sort();

    println!("balai-services concurrent letters benchmark");
    println!(
        "  {villages} villages × {residents} residents, seeded in {:.1} s; {}",
        seeded.as_secs_f64(),
        match store.backend() {
            balai_store::Backend::Sqlite => "file-backed SQLite (WAL, synchronous=FULL)",
            balai_store::Backend::Postgres => "PostgreSQL (as BALAI_BENCH_POSTGRES runs it)",
        }
    );
    println!(
        "  {villages} operators at once, {per_operator} letters each: {} letters in {:.2} s = {:.1} letters/s",
        times.len(),
        wall.as_secs_f64(),
        times.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "  one letter as an operator waits for it: median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap())
    );
}
