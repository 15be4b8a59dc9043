//! Benchmark of the population statistics (issue 10): how long every
//! statistic of one village, of one dusun and of a whole regency takes to
//! read from the figures kept on write, against counting them afresh from
//! the rows. Prints the figures; asserts nothing.
//!
//! Generate a Klaten-sized database once, then point this at it (it only reads):
//!
//! ```text
//! cargo build --release --workspace --bins
//! target/release/balai --database /tmp/klaten.sqlite generate --region 33.10 --villages 401 --residents-per-village 3000
//! target/release/balai-stats-bench /tmp/klaten.sqlite
//! ```
//!
//! A binary rather than a `cargo bench` target so the one release build
//! above makes it (a bench target is a second release build with
//! dev-dependencies' features).

use std::time::{Duration, Instant};

use balai_domain::population_stats::Category;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_services::registry::local_date;
use balai_services::statistics::{self, WilayahPart};
use balai_store::Store;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| ms(samples[((samples.len() as f64 - 1.0) * p) as usize]);
    println!(
        "{name:<48} n={:<4} median {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

async fn time<T, F: std::future::Future<Output = T>>(f: impl FnOnce() -> F) -> (T, Duration) {
    let t = Instant::now();
    let v = f().await;
    (v, t.elapsed())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(database) = std::env::args().nth(1) else {
        eprintln!(
            "usage: balai-stats-bench DATABASE (a SQLite path or sqlite:// or postgres:// URL, generated with `balai generate`)"
        );
        std::process::exit(2);
    };
    let (store, opened) = time(|| Store::connect(&database)).await;
    let store = store.expect("database opens");
    println!("backend: {}", store.backend().as_str());
    let db = balai_services::Db::from_store(store.clone());
    println!(
        "open (migrations; counts figures once if older): {:.1} ms",
        ms(opened)
    );
    let summaries = store.village_summaries(None).await.expect("villages");
    let Some(first) = summaries.first() else {
        eprintln!("no villages: run `balai generate` first");
        std::process::exit(2);
    };
    let regency = first
        .village
        .kode
        .ancestor(RegionLevel::Regency)
        .expect("a village has a regency");
    let villages: Vec<KodeWilayah> = summaries
        .iter()
        .map(|s| s.village.kode)
        .filter(|k| k.ancestor(RegionLevel::Regency) == Some(regency))
        .collect();
    let residents: i64 = summaries.iter().map(|s| s.population).sum();
    println!(
        "database: {} villages, {residents} living residents; regency {regency}",
        summaries.len()
    );
    let on = local_date(time::OffsetDateTime::now_utc(), regency);

    // Warm the page cache the way a running server has it.
    for &v in &villages {
        statistics::village(&db, v, on).await.unwrap();
    }

    let mut samples = Vec::new();
    for i in 0..400 {
        let v = villages[i % villages.len()];
        let (_, d) = time(|| statistics::village(&db, v, on)).await;
        samples.push(d);
    }
    summary("every statistic of one village (kept)", samples);

    let units = store.wilayah_units(villages[0]).await.unwrap();
    let mut samples = Vec::new();
    for i in 0..200 {
        let (dusun, rw, rt) = &units[i % units.len()];
        let part = match i % 3 {
            0 => WilayahPart::parse(dusun, None, None),
            1 => WilayahPart::parse(dusun, Some(rw), None),
            _ => WilayahPart::parse(dusun, Some(rw), Some(rt)),
        }
        .unwrap();
        let (_, d) = time(|| statistics::part(&db, villages[0], &part, on)).await;
        samples.push(d);
    }
    summary("every statistic of a dusun / RW / RT (kept)", samples);

    let mut samples = Vec::new();
    for _ in 0..100 {
        let (_, d) = time(|| statistics::regency(&db, regency, on)).await;
        samples.push(d);
    }
    summary("every statistic of the whole regency (kept)", samples);

    let mut samples = Vec::new();
    for _ in 0..50 {
        let (_, d) = time(|| statistics::overview(&db)).await;
        samples.push(d);
    }
    summary("home page figures: every village (kept)", samples);

    let mut samples = Vec::new();
    for &v in villages.iter().take(20) {
        let (_, d) = time(|| store.population_counts_from_rows(v)).await;
        samples.push(d);
    }
    summary("one village counted afresh from its rows", samples);

    let stats = statistics::regency(&db, regency, on).await.unwrap();
    println!(
        "\nregency {regency} on {on}: {} living ({} men, {} women), {} family cards",
        stats.population.total(),
        stats.population.men,
        stats.population.women,
        stats.families
    );
    for c in [
        Category::AgeRange,
        Category::AgeCategory,
        Category::Religion,
    ] {
        let t = stats.table(c).expect("every table");
        println!("  {}:", c.title());
        for r in t.rows.iter().filter(|r| r.tally.total() > 0) {
            println!(
                "    {:<24} {:>9} {:>9}",
                r.label, r.tally.men, r.tally.women
            );
        }
        println!(
            "    {:<24} {:>9} {:>9}  BELUM MENGISI {}  TOTAL {}",
            "JUMLAH",
            t.jumlah.men,
            t.jumlah.women,
            t.belum_mengisi.total(),
            t.total.total()
        );
    }
}
