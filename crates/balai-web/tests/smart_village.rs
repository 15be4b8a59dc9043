//! The six smart-village pillars pages (issue 13 part 4) through the
//! router: the regency administrator reads every pillar's figures over
//! five years, one figure per village and the CSV of all; a village's own
//! staff read their village's figures and no other's; bad parameters are
//! clear bad requests; no page shows an identity number.

mod common;

use axum::http::StatusCode;
use balai_domain::smart_village::{INDICATORS, Pillar};
use common::{Client, app};

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// No 16-digit run (a NIK or No. KK) anywhere in `body`.
fn no_identity_numbers(body: &str) -> bool {
    !body
        .as_bytes()
        .windows(16)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

#[tokio::test]
async fn the_regency_reads_every_pillar_over_the_years_each_village_and_the_csv() {
    let app = app(2, 60).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    let page = admin.get("/staf/kabupaten").await;
    assert!(
        page.body.contains("id=\"ke-pilar\""),
        "the dashboard links to it"
    );

    let page = admin.get("/staf/kabupaten/pilar").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Enam Pilar Desa Cerdas"));
    for i in 1..=Pillar::ALL.len() {
        assert!(
            page.body.contains(&format!("id=\"pilar-{i}\"")),
            "pillar {i}"
        );
    }
    for d in &INDICATORS {
        assert!(
            page.body.contains(&format!("id=\"ukuran-{}\"", d.code)),
            "{}",
            d.code
        );
    }
    // Five years, the current one (2026 on the tests' clock) last.
    for y in 2022..=2026 {
        assert!(
            page.body.contains(&format!("<th class=\"n\">{y}</th>")),
            "{y}"
        );
    }
    // The demo's resident holds a PIN: P2 is a share of the living residents.
    let p2 = admin.get("/staf/kabupaten/pilar?indikator=p2").await;
    assert_eq!(p2.status, StatusCode::OK);
    let table = &p2.body[p2
        .body
        .find("id=\"desa-pilar\"")
        .expect("the villages' table")..];
    assert!(table.contains(&format!("/staf/kabupaten/pilar/desa/{a}")));
    assert!(table.contains(&format!("/staf/kabupaten/pilar/desa/{b}")));
    // The template escapes `/` as `&#x2f;`.
    let table = table.replace("&#x2f;", "/");
    assert!(
        table.contains("1,8%") && table.contains("1 / 56"),
        "{table}"
    );
    assert!(no_identity_numbers(&page.body) && no_identity_numbers(&p2.body));

    let one = admin
        .get(&format!("/staf/kabupaten/pilar/desa/{a}?tahun=2025"))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert!(
        one.body.contains("<th class=\"n\">2021</th>")
            && one.body.contains("<th class=\"n\">2025</th>")
    );
    assert!(
        !one.body.contains("id=\"desa-pilar\""),
        "one village, no villages' table"
    );

    let csv = admin.get("/staf/kabupaten/pilar?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(lines[0].starts_with("kode_desa,desa,kecamatan,G1,"));
    assert!(no_identity_numbers(&csv.body));

    for bad in [
        "/staf/kabupaten/pilar?tahun=1999",
        "/staf/kabupaten/pilar?tahun=2027",
        "/staf/kabupaten/pilar?indikator=X9",
        "/staf/kabupaten/pilar?format=xls",
    ] {
        assert_eq!(
            admin.get(bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    for missing in [
        "/staf/kabupaten/pilar/desa/9999999999",
        "/staf/kabupaten/pilar/desa/bukan-kode",
        // A village of another regency.
        "/staf/kabupaten/pilar/desa/3309012001",
    ] {
        assert_eq!(
            admin.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn a_village_reads_its_own_pillars_and_no_other_villages_or_the_regencys() {
    let app = app(2, 40).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let own = op.get(&format!("/staf/desa/{a}/pilar")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert!(own.body.contains("id=\"ukuran-S2\""));
    assert!(
        own.body.contains(&format!("/staf/desa/{a}/penduduk")),
        "the village's tabs"
    );
    assert!(no_identity_numbers(&own.body));
    for other in [
        format!("/staf/desa/{b}/pilar"),
        "/staf/kabupaten/pilar".to_string(),
        format!("/staf/kabupaten/pilar/desa/{a}"),
    ] {
        assert_eq!(
            op.get(&other).await.status,
            StatusCode::NOT_FOUND,
            "{other}"
        );
    }
}
