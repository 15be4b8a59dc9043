//! The village development index pages (issue 13 part 3) through the
//! router: the regency administrator imports the ministry's IDM table (a
//! bad table is refused with every row and column named, and nothing is
//! recorded); the ranking and a village's history show Balai's working; a
//! facilitator enters a year for an assigned village (bad fields named,
//! typed values kept) and nobody else can; a village operator gets 404.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, app, location};

/// The page as read: the template escapes `/` in values as `&#x2f;`.
fn text(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

async fn import(c: &mut Client, token: &str, year: &str, csv: &str) -> common::Response {
    let boundary = "XbalaiX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"tahun\"\r\n\r\n{year}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"idm.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    c.send(
        Method::POST,
        "/staf/kabupaten/idm/impor",
        Some(&format!("multipart/form-data; boundary={boundary}")),
        body.into_bytes(),
    )
    .await
}

#[tokio::test]
async fn the_regency_imports_the_idm_table_and_a_bad_table_is_refused_naming_row_and_column() {
    let app = app(2, 40).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    let token = admin.csrf_of("/staf/kabupaten/idm").await;
    // A table with an index out of range and a village of another regency.
    let bad = format!(
        "KODE DESA;IKS;IKE;IKL\n{a};0,6;0,6;0,6\n{b};0,6;1,7;0,6\n3309012001;0,5;0,5;0,5\n"
    );
    let r = import(&mut admin, &token, "2023", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"ditolak\""), "{}", r.body);
    for cell in [
        "<td class=\"n\">3</td><td>IKE</td>",
        "<td class=\"n\">4</td><td>KODE DESA</td>",
    ] {
        assert!(r.body.contains(cell), "{cell} in {}", r.body);
    }
    assert!(r.body.contains("id=\"tanpa-data\""), "nothing was recorded");
    // Without the form's token nothing is read.
    let forged = import(&mut admin, "forged", "2023", &bad).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let good = format!(
        "NO;KODE DESA;IKS 2023;IKE 2023;IKL 2023\n1;{a};0,7000;0,7000;0,7300\n2;{b};0,5000;0,5000;0,4721\n"
    );
    let r = import(&mut admin, &token, "2023", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(&location(&r)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"diimpor\""));
    // (0.7 + 0.7 + 0.73) / 3 = 0.7100, MAJU; (0.5 + 0.5 + 0.4721) / 3 = 0.4907, SANGAT TERTINGGAL.
    let first = page.body.find("0.7100").expect("the first village's IDM");
    let second = page.body.find("0.4907").expect("the second village's IDM");
    assert!(first < second, "ranked best first");
    assert!(page.body.contains("SANGAT TERTINGGAL") && page.body.contains("MAJU"));
    assert!(page.body.contains("dihitung Balai"));
    let history = admin.get(&format!("/staf/kabupaten/idm/desa/{b}")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        text(&history.body).contains("(0.5000 + 0.5000 + 0.4721) / 3 = 0.4907; IDM ≤ 0.4907"),
        "{}",
        history.body
    );
    // An unknown year in the address is a clear bad request, not a 500.
    assert_eq!(
        admin.get("/staf/kabupaten/idm?tahun=1999").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_facilitator_enters_a_year_for_an_assigned_village_and_nobody_else_can() {
    let app = app(2, 40).await;
    let a = &app.villages[0];
    let mut f = Client::new(&app);
    f.login("pendamping.klaten").await;
    let url = format!("/staf/kabupaten/idm/desa/{a}");
    let token = f.csrf_of(&url).await;
    let bad = f
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("tahun", "2030"),
                ("iks", "0,6457"),
                ("ike", "1,2"),
                ("ikl", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("tahun IDM harus 2016 sampai 2024"));
    assert!(bad.body.contains("IKE harus di antara 0 dan 1"));
    assert!(bad.body.contains("IKL harus angka"));
    assert!(bad.body.contains("value=\"0,6457\""), "typed values kept");
    let ok = f
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("tahun", "2024"),
                ("iks", "0,6457"),
                ("ike", "0,5333"),
                ("ikl", "0,6667"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = f.get(&url).await;
    assert!(page.body.contains("Isian pendamping"));
    assert!(text(&page.body).contains("(0.6457 + 0.5333 + 0.6667) / 3 = 0.6152"));
    assert!(page.body.contains("BERKEMBANG"));
    // The facilitator imports nothing and reaches no unassigned village.
    let r = import(&mut f, &token, "2024", "KODE DESA,IKS,IKE,IKL\n").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A Klaten village from the region list that is not one of the demo's.
    let other = app
        .store
        .villages_in_region(balai_domain::KodeWilayah::parse("3310").unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.plain())
        .find(|k| !app.villages.contains(k))
        .unwrap();
    assert_eq!(
        f.get(&format!("/staf/kabupaten/idm/desa/{other}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.post(
            &format!("/staf/kabupaten/idm/desa/{other}"),
            &[
                ("_csrf", &token),
                ("tahun", "2024"),
                ("iks", "0,5"),
                ("ike", "0,5"),
                ("ikl", "0,5")
            ]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // A village operator has no regency pages at all.
    let slug: String = app.store.village_summaries(None).await.unwrap()[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut op = Client::new(&app);
    op.login(&format!("operator.{slug}")).await;
    for u in ["/staf/kabupaten/idm".to_string(), url.clone()] {
        assert_eq!(op.get(&u).await.status, StatusCode::NOT_FOUND, "{u}");
    }
}
