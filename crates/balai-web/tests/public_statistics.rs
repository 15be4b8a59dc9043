//! A village's public statistics pages: every table with its chart, the
//! pyramid, CSV, the dusun/RW/RT filter, small counts withheld, no one's data.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::population_stats::Category;
use common::{Client, NOW, app};

fn has_16_digit_run(body: &str) -> bool {
    body.as_bytes()
        .windows(16)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

#[tokio::test]
async fn a_village_shows_every_table_with_its_chart_and_the_pyramid_and_no_personal_data() {
    let app = app(1, 300).await;
    let v = &app.villages[0];
    let kode = KodeWilayah::parse(v).unwrap();
    let mut c = Client::new(&app);
    let home = c.get("/").await;
    assert!(
        home.body.contains(&format!("/desa/{v}/statistik")),
        "the network's home page links every village's statistics"
    );
    let index = c.get(&format!("/desa/{v}/statistik")).await;
    assert_eq!(index.status, StatusCode::OK, "{}", index.body);
    assert!(index.body.contains("Piramida penduduk"), "{}", index.body);
    assert!(
        index.body.contains("<svg"),
        "the pyramid is drawn on the server"
    );
    assert!(
        !index.body.contains("<script"),
        "no script is needed to read it"
    );
    let db = balai_services::Db::from_store(app.store.clone());
    let on = NOW.date();
    let stats = balai_services::statistics::village(&db, kode, on)
        .await
        .unwrap();
    let (_, residents) = app.store.village_population(kode).await.unwrap();
    for category in Category::ALL {
        let uri = format!("/desa/{v}/statistik/{}", category.slug());
        assert!(index.body.contains(&uri), "{uri} is linked");
        let page = c.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(page.body.contains("<svg"), "{uri} has its chart");
        assert!(page.body.contains(category.title()), "{uri}");
        // The whole village's TOTAL is the kept population, to the person.
        let total = stats.table(*category).unwrap().total.total();
        let shown = thousands(total);
        assert!(
            page.body.contains(&format!(">{shown}<")),
            "{uri}: TOTAL {shown} missing"
        );
        assert!(!has_16_digit_run(&page.body), "{uri} shows a NIK or No. KK");
        // Full names (two words or more), so a short name inside a label
        // ("SRI" in "INDUSTRI") is not taken for one.
        for r in residents
            .iter()
            .filter(|r| r.name.as_str().contains(' '))
            .take(50)
        {
            assert!(
                !page.body.contains(r.name.as_str()),
                "{uri} names a resident"
            );
        }
    }
    // English on request.
    c.cookies.insert("balai_bahasa".into(), "en".into());
    let en = c.get(&format!("/desa/{v}/statistik")).await;
    assert!(en.body.contains("Population pyramid"), "{}", en.body);
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[tokio::test]
async fn an_rt_page_and_its_csv_withhold_every_count_under_five() {
    let app = app(1, 300).await;
    let v = &app.villages[0];
    let kode = KodeWilayah::parse(v).unwrap();
    let db = balai_services::Db::from_store(app.store.clone());
    let parts = balai_services::statistics::parts(&db, kode).await.unwrap();
    assert!(!parts.is_empty());
    let mut c = Client::new(&app);
    let mut withheld_somewhere = false;
    for p in parts.iter().take(6) {
        let q = serde_urlencoded::to_string([
            ("dusun", p.dusun.as_str()),
            ("rw", p.rw.as_deref().unwrap()),
            ("rt", p.rt.as_deref().unwrap()),
        ])
        .unwrap();
        let page = c.get(&format!("/desa/{v}/statistik/agama?{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
        assert!(page.body.contains(&p.dusun), "{q}");
        let csv = c.get(&format!("/desa/{v}/statistik/agama.csv?{q}")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let mut lines = csv.body.lines();
        assert_eq!(
            lines.next().unwrap(),
            "kode_desa,desa,dusun,rw,rt,tanggal,kategori,baris,laki_laki,perempuan,jumlah,catatan"
        );
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 12, "{line}");
            for n in &cells[8..11] {
                if let Ok(n) = n.parse::<u64>() {
                    assert!(n == 0 || n >= 5, "{q}: a count of {n} is published: {line}");
                }
            }
            if cells[11] == "<5" {
                withheld_somewhere = true;
            }
        }
    }
    assert!(
        withheld_somewhere,
        "RTs of a 300-resident village have small counts to withhold"
    );
}

#[tokio::test]
async fn unknown_villages_tables_and_parts_are_not_found() {
    let app = app(1, 60).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    for uri in [
        "/desa/3310999999/statistik".to_string(),
        "/desa/33.10/statistik".to_string(),
        "/desa/abc/statistik".to_string(),
        format!("/desa/{v}/statistik/no-such-table"),
        format!("/desa/{v}/statistik/agama.xlsx"),
        format!("/desa/{v}/statistik?dusun=TIDAK%20ADA"),
        format!("/desa/{v}/statistik?dusun=KRAJAN&rt=001"),
        format!("/desa/{v}/statistik/agama?dusun=%00%FF"),
    ] {
        let r = c.get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.body);
    }
}
