//! Benchmark of the regency network's pages (issue 13), server side: the
//! router called in-process (no socket), as the regency administrator and
//! as a facilitator of every village. Prints median and p99 of the regency
//! dashboard, its CSV export and each drill-down page (district, village,
//! dusun, RW), the monthly report roll-up, the smart-village pillars
//! (regency, CSV, one village) and the IDM ranking; asserts nothing.
//!
//! ```text
//! cargo build --workspace --bins            # or --release
//! target/debug/balai-regency-bench /tmp/regency.sqlite 401 300
//! target/debug/balai-regency-bench postgres://USER@HOST/EMPTY_DB 401 3000
//! ```
//!
//! An empty database is first seeded with the demo regency (Klaten:
//! VILLAGES villages × RESIDENTS residents, every village's accounts and
//! `admin.klaten` / `pendamping.klaten`); a database seeded before is
//! measured as it is. A binary so a plain build makes it (a bench target
//! is a separate release build).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use balai_services::demo::{DEMO_PASSWORD, DemoOptions, seed};
use balai_services::letters::{RenderWorker, Renderer};
use balai_services::{Db, SystemClock, WriteContext};
use tower::ServiceExt;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut samples: Vec<Duration>, bytes: usize) {
    samples.sort();
    let at = |p: f64| ms(samples[((samples.len() as f64 - 1.0) * p) as usize]);
    println!(
        "{name:<44} n={:<4} median {:>8.2} ms  p99 {:>8.2} ms  ({bytes} bytes)",
        samples.len(),
        at(0.5),
        at(0.99),
    );
}

struct Session {
    router: axum::Router,
    cookie: String,
}

impl Session {
    async fn request(
        &self,
        method: Method,
        uri: &str,
        body: String,
    ) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(uri);
        if !self.cookie.is_empty() {
            req = req.header(header::COOKIE, &self.cookie);
        }
        if !body.is_empty() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).expect("request"))
            .await
            .expect("router answers");
        let status = res.status();
        let cookies = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        (status, cookies, bytes)
    }

    async fn login(router: &axum::Router, username: &str) -> Session {
        let mut s = Session {
            router: router.clone(),
            cookie: String::new(),
        };
        let (_, cookies, page) = s.request(Method::GET, "/masuk", String::new()).await;
        s.cookie = cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let page = String::from_utf8_lossy(&page);
        let i = page.find("name=\"_csrf\" value=\"").expect("login form") + 20;
        let csrf = &page[i..i + page[i..].find('"').expect("token end")];
        let body = format!("_csrf={csrf}&username={username}&password={DEMO_PASSWORD}");
        let (status, cookies, _) = s.request(Method::POST, "/masuk", body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {username}");
        s.cookie = cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        s
    }

    /// Times `n` GETs of `uri` (after one warm-up); fails on anything but 200.
    async fn time(&self, name: &str, uri: &str, n: usize) {
        let (status, _, body) = self.request(Method::GET, uri, String::new()).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            let (status, _, _) = self.request(Method::GET, uri, String::new()).await;
            samples.push(t.elapsed());
            assert_eq!(status, StatusCode::OK, "{uri}");
        }
        summary(name, samples, body.len());
    }

    /// Times one GET of each of `uris` (distinct pages: each a cache miss,
    /// rendered from the database); fails on anything but 200.
    async fn time_each(&self, name: &str, uris: &[String]) {
        let mut samples = Vec::with_capacity(uris.len());
        let mut bytes = 0;
        for uri in uris {
            let t = Instant::now();
            let (status, _, body) = self.request(Method::GET, uri, String::new()).await;
            samples.push(t.elapsed());
            assert_eq!(status, StatusCode::OK, "{uri}");
            bytes = body.len();
        }
        summary(name, samples, bytes);
    }

    async fn first_link(&self, uri: &str, prefix: &str) -> String {
        let (_, _, body) = self.request(Method::GET, uri, String::new()).await;
        let body = String::from_utf8_lossy(&body).replace("&#x2f;", "/");
        let i = body
            .find(&format!("href=\"{prefix}"))
            .unwrap_or_else(|| panic!("a link to {prefix} on {uri}"))
            + 6;
        body[i..i + body[i..].find('"').expect("link end")].to_string()
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(database) = args.first() else {
        eprintln!("usage: balai-regency-bench DATABASE [VILLAGES] [RESIDENTS_PER_VILLAGE]");
        std::process::exit(2);
    };
    let villages: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(401);
    let residents: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(300);
    let db = Db::connect(database).await.expect("database opens");
    println!("backend: {}", db.backend().as_str());
    let summaries = balai_services::villages::summaries(&db)
        .await
        .expect("villages");
    if summaries.is_empty() {
        let t = Instant::now();
        let ctx = WriteContext::new("system:bench", time::OffsetDateTime::now_utc());
        seed(
            &db,
            &ctx,
            DemoOptions {
                seed: 13,
                villages,
                residents_per_village: residents,
            },
        )
        .await
        .expect("demo seeded");
        println!(
            "seeded {villages} villages × {residents} residents in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let summaries = balai_services::villages::summaries(&db)
        .await
        .expect("villages");
    let population: i64 = summaries.iter().map(|s| s.population).sum();
    println!(
        "{} villages, {} living residents",
        summaries.len(),
        population
    );
    let state = balai_web::AppState::new(
        db,
        Arc::new(SystemClock),
        Renderer::new(RenderWorker::new("/nonexistent/balai-render-worker", [])),
    );
    let router = balai_web::router(state);
    let n = 50;
    for who in ["admin.klaten", "pendamping.klaten"] {
        println!("-- as {who}");
        let s = Session::login(&router, who).await;
        s.time("GET /staf/kabupaten", "/staf/kabupaten", n).await;
        s.time(
            "GET /staf/kabupaten?urut=kelengkapan&arah=turun",
            "/staf/kabupaten?urut=kelengkapan&arah=turun",
            n,
        )
        .await;
        s.time(
            "GET /staf/kabupaten?format=csv",
            "/staf/kabupaten?format=csv",
            n,
        )
        .await;
        s.time(
            "GET /staf/kabupaten?format=xlsx",
            "/staf/kabupaten?format=xlsx",
            10,
        )
        .await;
        let district = s
            .first_link("/staf/kabupaten", "/staf/kabupaten/kecamatan/")
            .await;
        s.time("GET district page", &district, n).await;
        let village = s.first_link(&district, "/staf/wilayah/").await;
        s.time("GET village page", &village, n).await;
        let dusun = s.first_link(&village, &format!("{village}/dusun/")).await;
        s.time("GET dusun page", &dusun, n).await;
        let rw = s.first_link(&dusun, &format!("{dusun}/rw/")).await;
        s.time("GET RW page", &rw, n).await;
        s.time("GET /staf/kabupaten/laporan", "/staf/kabupaten/laporan", n)
            .await;
        s.time("GET /staf/kabupaten/pilar", "/staf/kabupaten/pilar", n)
            .await;
        s.time(
            "GET /staf/kabupaten/pilar?format=csv",
            "/staf/kabupaten/pilar?format=csv",
            n,
        )
        .await;
        let pillars = s
            .first_link("/staf/kabupaten/pilar", "/staf/kabupaten/pilar/desa/")
            .await
            .replace("&amp;", "&");
        s.time("GET a village's pillars", &pillars, n).await;
        s.time("GET /staf/kabupaten/idm", "/staf/kabupaten/idm", n)
            .await;
    }
    // The open-data API as any visitor asks it (issue 12): cold, one
    // village after another (each response rendered from the database),
    // then warm (the same village again: the aggregate cache).
    println!("-- as a visitor: open data");
    let visitor = Session {
        router: router.clone(),
        cookie: String::new(),
    };
    let (_, _, list) = visitor
        .request(Method::GET, "/api/desa", String::new())
        .await;
    let list: serde_json::Value = serde_json::from_slice(&list).expect("village list");
    let codes: Vec<String> = list["villages"]
        .as_array()
        .expect("villages")
        .iter()
        .take(n)
        .map(|v| v["kode"].as_str().expect("kode").to_string())
        .collect();
    visitor.time("GET /api/desa", "/api/desa", n).await;
    visitor
        .time_each("GET /api/dcat.jsonld (cold)", &["/api/dcat.jsonld".into()])
        .await;
    visitor
        .time("GET /api/dcat.jsonld", "/api/dcat.jsonld", n)
        .await;
    let regency = &codes[0][..4];
    visitor
        .time(
            "GET /api/kabupaten/{kode}",
            &format!("/api/kabupaten/{regency}"),
            n,
        )
        .await;
    for path in [
        "",
        "/statistik",
        "/statistik?format=csv",
        "/statistik/pekerjaan",
        "/statistik/pekerjaan?format=csv",
        "/agenda",
        "/berita",
        "/layanan",
    ] {
        let uris: Vec<String> = codes
            .iter()
            .map(|v| format!("/api/desa/{v}{path}"))
            .collect();
        visitor
            .time_each(&format!("GET /api/desa/{{kode}}{path} (cold)"), &uris)
            .await;
        visitor
            .time(&format!("GET /api/desa/{{kode}}{path} (warm)"), &uris[0], n)
            .await;
    }
}
