//! Registry response times, server side (the router called in-process, no
//! socket), and the workbook import, on generated data.
//!
//! `cargo bench -p balai-web --bench registry` prints:
//! - import of a 100,000-resident OpenSID workbook (parse + one transaction);
//! - resident list, name search, NIK-prefix search and detail in a
//!   10,000-resident village (median and p99 of 200 requests each);
//! - NIK lookup in a database of 1.2 M residents (Klaten-sized).
//!
//! `BALAI_BENCH_QUICK=1` shrinks the 1.2 M database to 120 k for a fast check.
//! `BALAI_BENCH_POSTGRES=postgres://SERVER` runs it on a new PostgreSQL database.
//! `BALAI_BENCH_DATABASE=URL` skips the import and the load and measures an
//! existing database made by `balai generate` (its first village is the
//! target): how the same figures grow from a regency to a province.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_generate::{DEFAULT_AS_OF, Generator};
use balai_services::import::import_workbook;
use balai_services::passwords;
use balai_services::staff::{Staff, authorize};
use balai_services::{FixedClock, SystemClock};
use balai_store::{NewAccount, Population, WriteContext};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn ctx() -> WriteContext {
    WriteContext::new(
        "system:bench",
        time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_400),
    )
}

fn pct(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::var_os("BALAI_BENCH_QUICK").is_some();
    let dir = tempfile::tempdir().unwrap();
    let regions = balai_regions::builtin();
    let klaten = KodeWilayah::parse("33.10").unwrap();
    let villages: Vec<KodeWilayah> = regions
        .within(klaten, RegionLevel::Village)
        .map(|r| r.kode)
        .collect();
    let districts: Vec<KodeWilayah> = regions
        .within(klaten, RegionLevel::District)
        .map(|r| r.kode)
        .collect();

    if let Ok(url) = std::env::var("BALAI_BENCH_DATABASE") {
        let store = balai_store::Store::connect(&url)
            .await
            .expect("the existing database opens");
        let summaries = store.village_summaries(None).await.unwrap();
        let total: i64 = summaries.iter().map(|s| s.population).sum();
        let target = summaries
            .first()
            .expect("a generated database")
            .village
            .kode;
        println!(
            "existing database ({}): {total} living residents in {} villages; target {target}",
            store.backend().as_str(),
            summaries.len()
        );
        measure(store, target, total as usize).await;
        return;
    }

    if let Ok(server) = std::env::var(balai_store::testing::BENCH_POSTGRES_VAR) {
        println!(
            "backend: postgres ({})",
            server.split('@').next_back().unwrap_or("")
        );
    } else {
        println!("backend: sqlite");
    }

    // 1. Workbook import: 100,000 residents into an empty village.
    let store = balai_store::testing::bench_store(&dir.path().join("import.sqlite")).await;
    let db = balai_services::Db::from_store(store.clone());
    store
        .import_regions(&ctx(), &regions, "builtin")
        .await
        .unwrap();
    store.create_village(&ctx(), villages[0]).await.unwrap();
    let data = Generator::new(1, DEFAULT_AS_OF, districts.clone()).village(villages[0], 100_000);
    let by_id: std::collections::HashMap<_, _> = data.families.iter().map(|f| (f.id, f)).collect();
    let rows: Vec<balai_workbook::ExportRow<'_>> = data
        .residents
        .iter()
        .map(|r| balai_workbook::ExportRow {
            family: by_id[&r.family_id.unwrap()],
            resident: r,
        })
        .collect();
    let t = Instant::now();
    let bytes = balai_workbook::write_xlsx(&rows);
    let write_secs = t.elapsed().as_secs_f64();
    let staff = Staff {
        account_id: uuid::Uuid::nil(),
        username: "bench".into(),
        display_name: "bench".into(),
        role: Role::VillageOperator,
        scope: villages[0],
        assigned: vec![],
    };
    let access = authorize(&db, &staff, villages[0]).await.unwrap();
    let size = bytes.len();
    let t = Instant::now();
    let report = import_workbook(&db, &SystemClock, &access, bytes, |_| {})
        .await
        .map_err(|_| "import failed")
        .unwrap();
    let import_secs = t.elapsed().as_secs_f64();
    println!(
        "import: {} residents, {} families from a {:.1} MB xlsx in {import_secs:.2} s ({:.0} residents/s); writing the xlsx took {write_secs:.2} s",
        report.residents_new,
        report.families_new,
        size as f64 / 1e6,
        report.residents_new as f64 / import_secs
    );
    store.close().await;

    // 2. A 10,000-resident village (plus 399 others) behind the router.
    let per_village = if quick { 300 } else { 3_000 };
    let store = balai_store::testing::bench_store(&dir.path().join("regency.sqlite")).await;
    store
        .import_regions(&ctx(), &regions, "builtin")
        .await
        .unwrap();
    let mut generator = Generator::new(7, DEFAULT_AS_OF, districts);
    let target = villages[0];
    let t = Instant::now();
    let mut total = 0;
    for (i, &v) in villages.iter().take(400).enumerate() {
        store.create_village(&ctx(), v).await.unwrap();
        let d = generator.village(v, if i == 0 { 10_000 } else { per_village });
        total += d.residents.len();
        store
            .insert_population(
                &ctx(),
                Population {
                    village: v,
                    families: &d.families,
                    residents: &d.residents,
                    events: &d.events,
                    baselines: &d.baselines,
                },
            )
            .await
            .unwrap();
    }
    println!(
        "database: {total} residents in 400 villages, loaded in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    measure(store, target, total).await;
}

/// Lists, searches and details behind the router for an operator of
/// `target`, then NIK lookups, in a database of `total` residents.
async fn measure(store: balai_store::Store, target: KodeWilayah, total: usize) {
    let db = balai_services::Db::from_store(store.clone());
    let op = NewAccount {
        id: uuid::Uuid::now_v7(),
        username: "op".into(),
        display_name: "Operator".into(),
        password_hash: passwords::hash("rahasia").unwrap(),
        role: Role::VillageOperator,
        scope: target,
        facilitated: vec![],
        reset: None,
    };
    store.create_account(&ctx(), &op).await.unwrap();
    let state = balai_web::AppState::new(
        db.clone(),
        Arc::new(FixedClock(time::OffsetDateTime::now_utc())),
        balai_services::letters::Renderer::new(balai_services::letters::RenderWorker::new(
            env!("CARGO_BIN_EXE_balai-web-render-worker"),
            [],
        )),
    );
    let app = balai_web::router(state);
    let login = balai_services::staff::login(
        &db,
        &SystemClock,
        "op",
        "rahasia",
        "",
        balai_services::login_throttle::Client::Address(std::net::Ipv4Addr::LOCALHOST.into()),
    )
    .await
    .unwrap()
    .unwrap();
    let cookie = format!("balai_sesi={}", login.token);
    let get = |uri: String| {
        let app = app.clone();
        let cookie = cookie.clone();
        async move {
            let req = Request::builder()
                .uri(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap();
            let t = Instant::now();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (t.elapsed(), status, body.len())
        }
    };
    let (_, residents) = store.village_population(target).await.unwrap();
    let living: Vec<_> = residents
        .iter()
        .filter(|r| r.status == balai_domain::codes::StatusDasar::Hidup)
        .collect();
    let plain = target.plain();
    type UriFor = Box<dyn Fn(usize) -> String>;
    let cases: Vec<(&str, UriFor)> = vec![
        (
            "list, page 1 (living residents)",
            Box::new(move |_| format!("/staf/desa/{plain}/penduduk")),
        ),
        (
            "list, page 40",
            Box::new({
                let p = target.plain();
                move |_| format!("/staf/desa/{p}/penduduk?hal=40")
            }),
        ),
        (
            "list with filters (sex, age 20-40, education)",
            Box::new({
                let p = target.plain();
                move |_| {
                    format!("/staf/desa/{p}/penduduk?sex=2&umur_min=20&umur_max=40&pendidikan=5")
                }
            }),
        ),
        (
            "name search (partial word)",
            Box::new({
                let p = target.plain();
                let names: Vec<String> = living
                    .iter()
                    .take(200)
                    .map(|r| r.name.as_str().split(' ').next().unwrap()[..3].to_lowercase())
                    .collect();
                move |i| format!("/staf/desa/{p}/penduduk?q={}", names[i % names.len()])
            }),
        ),
        (
            "NIK search (exact)",
            Box::new({
                let p = target.plain();
                let niks: Vec<String> = living
                    .iter()
                    .take(200)
                    .map(|r| r.number.to_string())
                    .collect();
                move |i| format!("/staf/desa/{p}/penduduk?q={}", niks[i % niks.len()])
            }),
        ),
        (
            "NIK prefix search (10 digits)",
            Box::new({
                let p = target.plain();
                let niks: Vec<String> = living
                    .iter()
                    .take(200)
                    .map(|r| r.number.to_string()[..10].to_string())
                    .collect();
                move |i| format!("/staf/desa/{p}/penduduk?q={}", niks[i % niks.len()])
            }),
        ),
        (
            "resident detail (logged view)",
            Box::new({
                let p = target.plain();
                let ids: Vec<String> = living.iter().take(200).map(|r| r.id.to_string()).collect();
                move |i| format!("/staf/desa/{p}/penduduk/{}", ids[i % ids.len()])
            }),
        ),
    ];
    for (name, uri) in &cases {
        for i in 0..10 {
            get(uri(i)).await;
        }
        let mut samples = Vec::new();
        let mut bytes = 0;
        for i in 0..200 {
            let (d, status, len) = get(uri(i)).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            bytes = len;
            samples.push(d);
        }
        println!(
            "{name}: median {:.2} ms, p99 {:.2} ms ({bytes} bytes)",
            pct(&mut samples, 0.5),
            pct(&mut samples, 0.99)
        );
    }

    // 3. NIK lookup in the whole database, through the store.
    let mut samples = Vec::new();
    for (i, r) in residents.iter().take(1000).enumerate() {
        let t = Instant::now();
        let found = store.resident_by_number(target, &r.number).await.unwrap();
        samples.push(t.elapsed());
        assert!(found.is_some() || i > 1000);
    }
    println!(
        "NIK lookup among {total} residents: median {:.3} ms, p99 {:.3} ms (1,000 lookups)",
        pct(&mut samples, 0.5),
        pct(&mut samples, 0.99)
    );
}
