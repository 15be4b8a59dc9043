//! A letter through the services, from the NIK typed by the operator to the
//! signed PDF stored in the archive: parse the NIK, look up the resident and
//! family, check the form, take the number in a short transaction, seal,
//! render with typst (the built-in template in-process, a village's own in a
//! worker process), store the PDF and its change-log entry in a second one.
//!
//! `cargo bench -p balai-services --bench letter_issue` prints:
//! - `prepare` alone (the database lookups and checks, no number, no PDF);
//! - `issue`, 500 letters over different residents and all 15 kinds
//!   (median, p95, p99, max), in a file-backed SQLite database;
//! - RSS every 100 letters over a further batch of 1,000;
//! - then 200 more with the village's own template, each rendered by a new
//!   worker process (`balai-render-worker`, the code of `balai render-worker`):
//!   timings, and this process's RSS.
//!
//! `BALAI_BENCH_RESIDENTS` sets the village's population (default 10,000).

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
const TIMED: usize = 500;
const BATCH: usize = 1_000;
const OWN: usize = 200;

/// This process's resident set size in KiB, from `/proc/self/status`.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The form an operator fills for `kind` about the resident with `nik`,
/// every extra field filled (optional ones too, so the letter is full).
fn form(kind: LetterKind, nik: &str, i: usize) -> IssueLetter {
    let mut f = LetterForm {
        jenis: kind.code().into(),
        nik: nik.into(),
        keperluan: format!("Persyaratan administrasi nomor {i}"),
        // The desk issues letters signed a.n. (a letter in the head's own
        // name goes through the head's queue, not `issue`).
        penandatangan: "an".into(),
        an_nama: "Siti Aminah".into(),
        an_jabatan: "Sekretaris Desa".into(),
        ..Default::default()
    };
    fill_extras(&mut f, kind, i);
    IssueLetter::try_from(f).expect("a valid letter form")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let residents: u32 = std::env::var("BALAI_BENCH_RESIDENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
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
            seed: 11,
            villages: 1,
            residents_per_village: residents,
        },
    )
    .await
    .unwrap();
    let seeded = t.elapsed();
    let village = demo.villages[0].village.kode;
    let operator = Staff {
        account_id: uuid::Uuid::nil(),
        username: "operator.bench".into(),
        display_name: "Operator".into(),
        role: Role::VillageOperator,
        scope: village,
        assigned: vec![],
    };
    let access = authorize(&db, &operator, village).await.unwrap();
    let clock = Arc::new(FixedClock(NOW));
    let renderer = letters::Renderer::new(letters::RenderWorker::new(
        env!("CARGO_BIN_EXE_balai-render-worker"),
        [],
    ));
    let (_, population) = store.village_population(village).await.unwrap();

    // For each kind, the residents it may be about, as NIK text.
    let subjects: Vec<(LetterKind, Vec<String>)> = LetterKind::ALL
        .iter()
        .map(|&k| {
            let niks = population
                .iter()
                .filter(|r| k.subject_allowed(r.status, r.marital_status).is_ok())
                .map(|r| r.number.to_string())
                .collect::<Vec<_>>();
            (k, niks)
        })
        .filter(|(_, niks)| !niks.is_empty())
        .collect();
    let nth = |i: usize| {
        let (kind, niks) = &subjects[i % subjects.len()];
        // A different resident each time: step through the list by a prime.
        form(*kind, &niks[(i * 7_919) % niks.len()], i)
    };

    let rss_start = rss_kib();
    let t = Instant::now();
    letters::issue(&db, clock.as_ref(), &renderer, &access, &nth(0), URL)
        .await
        .unwrap();
    let first = t.elapsed();

    let mut prepare_times = Vec::with_capacity(TIMED);
    for i in 1..=TIMED {
        let form = nth(i);
        let t = Instant::now();
        letters::prepare(&db, clock.as_ref(), &access, &form)
            .await
            .unwrap();
        prepare_times.push(t.elapsed());
    }
    prepare_times.sort();

    let mut issue_times = Vec::with_capacity(TIMED);
    let mut sizes = Vec::with_capacity(TIMED);
    let mut last = None;
    for i in 1..=TIMED {
        let form = nth(i);
        let t = Instant::now();
        let letter = letters::issue(&db, clock.as_ref(), &renderer, &access, &form, URL)
            .await
            .unwrap();
        issue_times.push(t.elapsed());
        if i.is_multiple_of(50) {
            let pdf = store.letter_pdf(village, letter.id).await.unwrap().unwrap();
            sizes.push(pdf.len());
        }
        last = Some(letter);
    }
    issue_times.sort();
    sizes.sort();

    // The last letter reads back and verifies against the village's key.
    let last = last.unwrap();
    let pdf = store.letter_pdf(village, last.id).await.unwrap().unwrap();
    let profile = store.village_profile(village).await.unwrap().unwrap();
    let key = balai_letters::PublicKey::from_base64(&profile.public_key).unwrap();
    let statement = balai_letters::verify_pdf(&pdf, &key).unwrap();
    assert_eq!(statement.number, last.number);

    let mut rss = vec![(0, rss_kib())];
    let t = Instant::now();
    for i in 1..=BATCH {
        let form = nth(TIMED + i);
        letters::issue(&db, clock.as_ref(), &renderer, &access, &form, URL)
            .await
            .unwrap();
        if i.is_multiple_of(100) {
            rss.push((i, rss_kib()));
        }
    }
    let batch = t.elapsed();

    // The village switches to its own template (the default plus a line):
    // typst now parses and caches another main file; memory must stay flat.
    let mut settings = letters::settings::view(&db, clock.as_ref(), &access)
        .await
        .unwrap()
        .form;
    settings.templat = balai_letters::default_template().replace(
        "#par(d.closing)",
        "#par(d.closing)\n#par[Templat desa sendiri]",
    );
    letters::settings::save(&db, clock.as_ref(), &renderer, &access, &settings)
        .await
        .unwrap();
    let mut own_times = Vec::with_capacity(OWN);
    let mut rss_own = vec![(0, rss_kib())];
    for i in 1..=OWN {
        let form = nth(TIMED + BATCH + i);
        let t = Instant::now();
        letters::issue(&db, clock.as_ref(), &renderer, &access, &form, URL)
            .await
            .unwrap();
        own_times.push(t.elapsed());
        if i.is_multiple_of(100) {
            rss_own.push((i, rss_kib()));
        }
    }
    own_times.sort();

    println!("balai-services letter issue benchmark (NIK → stored, signed PDF)");
    println!(
        "  village: {} residents, seeded in {:.1} s; {} kinds; {}",
        population.len(),
        seeded.as_secs_f64(),
        subjects.len(),
        backend_note(&store)
    );
    println!(
        "  first letter (fonts, template, caches cold): {:>7.2} ms",
        ms(first)
    );
    println!(
        "  prepare only, {TIMED} letters:  median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&prepare_times, 0.5)),
        ms(percentile(&prepare_times, 0.95)),
        ms(percentile(&prepare_times, 0.99)),
        ms(*prepare_times.last().unwrap())
    );
    println!(
        "  issue, {TIMED} letters:         median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&issue_times, 0.5)),
        ms(percentile(&issue_times, 0.95)),
        ms(percentile(&issue_times, 0.99)),
        ms(*issue_times.last().unwrap())
    );
    println!(
        "  PDF size: median {} bytes ({:.1} KB)",
        sizes[sizes.len() / 2],
        sizes[sizes.len() / 2] as f64 / 1000.0
    );
    println!(
        "  batch of {BATCH} letters: {:.2} s ({:.1} letters/s)",
        batch.as_secs_f64(),
        BATCH as f64 / batch.as_secs_f64()
    );
    let series = |points: &[(usize, u64)]| {
        points
            .iter()
            .map(|(i, kib)| format!("{i}:{}", kib / 1024))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "  RSS (MiB): at start {}, then every 100 letters of the batch: {}",
        rss_start / 1024,
        series(&rss)
    );
    println!(
        "  village's own template (worker process), {OWN} letters: median {:.2} ms, p99 {:.2} ms; RSS every 100: {}",
        ms(percentile(&own_times, 0.5)),
        ms(percentile(&own_times, 0.99)),
        series(&rss_own)
    );
}

/// How the benchmark's database keeps its writes.
fn backend_note(store: &balai_store::Store) -> &'static str {
    match store.backend() {
        balai_store::Backend::Sqlite => "file-backed SQLite (WAL, synchronous=FULL)",
        balai_store::Backend::Postgres => "PostgreSQL (as BALAI_BENCH_POSTGRES runs it)",
    }
}
