//! The family list and the printed cards and registers through the router:
//! search and filters, the dashboard's Keluarga tile, the month picker,
//! PDFs read back, tables that scroll instead of widening the page, and
//! tenant isolation (another village's operator gets 404 everywhere).

mod common;

use axum::http::{StatusCode, header};
use common::{App, Client, app, ids};

async fn slug(app: &App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn operator(app: &App, i: usize) -> Client {
    let mut c = Client::new(app);
    c.login(&format!("operator.{}", slug(app, i).await)).await;
    c
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows of the family list's table on a page.
fn rows(html: &str) -> usize {
    html.split("id=\"daftar-keluarga\"").nth(1).map_or(0, |t| {
        t.split("</table>").next().unwrap().matches("<tr>").count() - 1
    })
}

#[tokio::test]
async fn the_family_list_searches_by_card_number_and_head_and_filters_by_dusun() {
    let app = app(1, 200).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    // The dashboard's Keluarga tile opens the family list.
    let home = op.get(&format!("/staf/desa/{v}")).await;
    assert!(
        home.body
            .contains(&format!("href=\"/staf/desa/{v}/keluarga\""))
    );
    let list = op.get(&format!("/staf/desa/{v}/keluarga")).await;
    assert_eq!(list.status, StatusCode::OK);
    let (families, residents) = app
        .store
        .village_population(v.parse::<balai_domain::KodeWilayah>().unwrap())
        .await
        .unwrap();
    assert!(list.body.contains(&families[0].no_kk.to_string()));
    assert_eq!(rows(&list.body), families.len().min(50));
    assert!(
        list.body.contains("class=\"scroll\""),
        "the table scrolls on phones"
    );
    // Each row links to the family card page, which links to the printed card.
    let fid = ids(&list.body, "keluarga")[0].clone();
    let card = op.get(&format!("/staf/desa/{v}/keluarga/{fid}")).await;
    assert!(
        card.body
            .contains(&format!("/staf/desa/{v}/keluarga/{fid}/kk.pdf"))
    );

    // By the start of a card number, then by a head's name.
    let head = residents
        .iter()
        .find(|r| {
            r.relationship == balai_domain::codes::Shdk::KepalaKeluarga
                && r.status == balai_domain::codes::StatusDasar::Hidup
        })
        .unwrap();
    let fam = families
        .iter()
        .find(|f| Some(f.id) == head.family_id)
        .unwrap();
    let number = fam.no_kk.to_string();
    let found = op
        .get(&format!("/staf/desa/{v}/keluarga?q={}", &number[..14]))
        .await;
    assert!(found.body.contains(&number));
    assert!(found.body.contains(head.name.as_str()));
    let q = serde_urlencoded::to_string([("q", head.name.as_str())]).unwrap();
    let found = op.get(&format!("/staf/desa/{v}/keluarga?{q}")).await;
    assert!(found.body.contains(&number), "found by the head's name");
    assert!(rows(&found.body) < families.len());
    // By dusun: only that dusun's cards.
    let dusun = fam.wilayah.dusun();
    let q = serde_urlencoded::to_string([("dusun", dusun)]).unwrap();
    let found = op.get(&format!("/staf/desa/{v}/keluarga?{q}")).await;
    let expected = families
        .iter()
        .filter(|f| f.wilayah.dusun() == dusun)
        .count();
    assert_eq!(rows(&found.body), expected.min(50));
    // Nothing found, odd pages and odd values: a page, never an error.
    for odd in ["?q=zzzz", "?hal=999999", "?hal=-3", "?rt=%00", "?q=%25%5F"] {
        let r = op.get(&format!("/staf/desa/{v}/keluarga{odd}")).await;
        assert_eq!(r.status, StatusCode::OK, "{odd}");
    }
}

/// On PostgreSQL a NUL byte in a text parameter is an error, not "no rows":
/// `?rt=%00` answered 500 there.
#[tokio::test]
async fn a_nul_byte_in_a_list_filter_finds_nothing_instead_of_a_500() {
    let app = app(1, 40).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    for list in ["keluarga", "penduduk"] {
        for odd in ["?rt=%00", "?rw=0%001", "?dusun=%00", "?q=a%00b"] {
            let r = op.get(&format!("/staf/desa/{v}/{list}{odd}")).await;
            assert_eq!(r.status, StatusCode::OK, "{list}{odd}");
        }
    }
}

#[tokio::test]
async fn the_family_card_and_biodata_print_as_pdfs_that_read_back() {
    let app = app(1, 150).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let (families, residents) = app
        .store
        .village_population(v.parse::<balai_domain::KodeWilayah>().unwrap())
        .await
        .unwrap();
    let fam = &families[0];
    let r = op
        .get(&format!("/staf/desa/{v}/keluarga/{}/kk.pdf", fam.id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let text = pdf_text(&r.bytes);
    assert!(text.contains("KARTU KELUARGA"));
    assert!(text.contains(&fam.no_kk.to_string()));
    let member = residents
        .iter()
        .find(|m| m.family_id == Some(fam.id))
        .unwrap();
    let page = op
        .get(&format!("/staf/desa/{v}/penduduk/{}", member.id))
        .await;
    assert!(
        page.body
            .contains(&format!("/penduduk/{}/biodata.pdf", member.id))
    );
    let r = op
        .get(&format!(
            "/staf/desa/{v}/penduduk/{}/biodata.pdf",
            member.id
        ))
        .await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    let text = pdf_text(&r.bytes);
    assert!(text.contains("BIODATA PENDUDUK"));
    assert!(text.contains(&member.number.to_string()));
    assert!(text.contains(member.name.as_str()));
    // A malformed id is a 404, not a 500.
    let r = op.get(&format!("/staf/desa/{v}/keluarga/zzz/kk.pdf")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_mutation_report_has_a_month_picker_and_prints_with_its_dusun_breakdown() {
    let app = app(1, 200).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let page = op
        .get(&format!("/staf/desa/{v}/laporan/mutasi?periode=2026-10"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("type=\"month\""));
    assert!(page.body.contains("value=\"2026-10\""));
    assert!(
        page.body
            .contains("id=\"cetak-mutasi\" href=\"?periode=2026-10&format=pdf\"")
    );
    // Links given out before the picker still work.
    let old = op
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi?tahun=2026&bulan=10"
        ))
        .await;
    assert!(old.body.contains("value=\"2026-10\""));
    // A month that is not one is refused with the reason, not a 500.
    for bad in ["2026-13", "kemarin", "2026-1"] {
        let r = op
            .get(&format!("/staf/desa/{v}/laporan/mutasi?periode={bad}"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.body.contains("bulan"), "{}", r.body);
    }
    let pdf = op
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi?periode=2026-10&format=pdf"
        ))
        .await;
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("LAPORAN MUTASI PENDUDUK"));
    assert!(text.contains("BULAN OKTOBER 2026"));
    // By dusun, on screen and printed.
    let by_dusun = op
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi/dusun?periode=2026-10"
        ))
        .await;
    assert_eq!(by_dusun.status, StatusCode::OK);
    let (families, _) = app
        .store
        .village_population(v.parse::<balai_domain::KodeWilayah>().unwrap())
        .await
        .unwrap();
    for f in &families {
        assert!(
            by_dusun.body.contains(f.wilayah.dusun()),
            "{}",
            f.wilayah.dusun()
        );
    }
    let pdf = op
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi/dusun?periode=2026-10&format=pdf"
        ))
        .await;
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("MENURUT DUSUN"));
    assert!(text.contains(families[0].wilayah.dusun()));
}

#[tokio::test]
async fn the_buku_induk_prints_as_pdf_and_its_table_scrolls() {
    let app = app(1, 120).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let page = op.get(&format!("/staf/desa/{v}/laporan/buku-induk")).await;
    assert!(
        page.body
            .contains("<div class=\"scroll\">\n<table class=\"list\">")
    );
    assert!(page.body.contains("?format=pdf"));
    let pdf = op
        .get(&format!("/staf/desa/{v}/laporan/buku-induk?format=pdf"))
        .await;
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("BUKU INDUK PENDUDUK"));
    let (_, residents) = app
        .store
        .village_population(v.parse::<balai_domain::KodeWilayah>().unwrap())
        .await
        .unwrap();
    assert!(
        residents
            .iter()
            .all(|r| text.contains(&r.number.to_string()))
    );
}

#[tokio::test]
async fn an_operator_of_another_village_gets_404_for_the_family_list_and_every_print() {
    let app = app(2, 100).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let mut op_b = operator(&app, 1).await;
    let list = op_b.get(&format!("/staf/desa/{b}/keluarga")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let family = ids(&list.body, "keluarga")[0].clone();
    let resident = {
        let card = op_b.get(&format!("/staf/desa/{b}/keluarga/{family}")).await;
        ids(&card.body, "penduduk")[0].clone()
    };
    let mut op_a = operator(&app, 0).await;
    assert_eq!(
        op_a.get(&format!("/staf/desa/{a}/keluarga")).await.status,
        StatusCode::OK
    );
    for url in [
        format!("/staf/desa/{b}/keluarga"),
        format!("/staf/desa/{b}/keluarga?q=3"),
        format!("/staf/desa/{b}/keluarga/{family}/kk.pdf"),
        format!("/staf/desa/{b}/penduduk/{resident}/biodata.pdf"),
        format!("/staf/desa/{b}/laporan/mutasi?format=pdf"),
        format!("/staf/desa/{b}/laporan/mutasi/dusun"),
        format!("/staf/desa/{b}/laporan/mutasi/dusun?format=pdf"),
        format!("/staf/desa/{b}/laporan/buku-induk?format=pdf"),
        // Village A's URL with B's ids: still not found.
        format!("/staf/desa/{a}/keluarga/{family}/kk.pdf"),
        format!("/staf/desa/{a}/penduduk/{resident}/biodata.pdf"),
    ] {
        assert_eq!(
            op_a.get(&url).await.status,
            StatusCode::NOT_FOUND,
            "GET {url}"
        );
    }
}
