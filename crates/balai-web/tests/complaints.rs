//! Complaints over HTTP: a visitor files one and follows it by its number;
//! forged, bot-filled and wrong-number requests learn nothing; what a
//! visitor typed is escaped; the village's operator answers it; nobody
//! else's staff reads it.

mod common;

use axum::http::StatusCode;
use common::{Client, app, csrf};

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The number shown after filing.
fn reference(html: &str) -> String {
    let i = html
        .find("id=\"nomor-pengaduan\">")
        .expect("the receipt shows the number")
        + "id=\"nomor-pengaduan\">".len();
    html[i..i + html[i..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn a_visitor_files_a_complaint_follows_it_and_reads_the_operators_answer() {
    let app = app(2, 40).await;
    let v = &app.villages[0];
    let mut visitor = Client::at(&app, "203.0.113.7");
    let page = visitor.get(&format!("/desa/{v}/pengaduan")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kirim pengaduan"), "Indonesian first");
    assert!(!page.body.contains("<script"), "usable without JavaScript");
    let token = csrf(&page.body);

    // A bad form comes back with what was typed and a message per field.
    let bad = visitor
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("_csrf", &token),
                ("kategori", ""),
                ("isi", "rusak"),
                ("nama", "Pak <b>Tono</b>"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("pilih jenis pengaduan"));
    assert!(bad.body.contains("paling sedikit 20 huruf"));
    assert!(
        bad.body.contains("Pak &lt;b&gt;Tono&lt;") && !bad.body.contains("<b>Tono"),
        "typed values are kept, escaped"
    );

    let token = csrf(&bad.body);
    let body = "Jembatan kecil di dusun Krajan <script>alert(1)</script> retak dan berbahaya.";
    let filed = visitor
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("_csrf", &token),
                ("kategori", "2"),
                ("isi", body),
                ("nama", "Tono"),
                ("kontak", "08123"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let number = reference(&filed.body);
    assert!(number.starts_with("ADU-2026-0001-"), "{number}");

    // Follow it, typed carelessly.
    let token = csrf(&filed.body);
    let seen = visitor
        .post(
            &format!("/desa/{v}/pengaduan/lacak"),
            &[
                ("_csrf", &token),
                ("nomor", &format!(" {} ", number.to_lowercase())),
            ],
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        seen.body.contains("id=\"status-pengaduan\">Diterima<"),
        "{}",
        seen.body
    );
    assert!(
        seen.body.contains("&lt;script&gt;alert(1)"),
        "the complaint is escaped"
    );
    assert!(!seen.body.contains("<script>alert(1)"));
    assert!(
        !seen.body.contains("08123") && !seen.body.contains(">Tono<"),
        "no name or contact on a public page"
    );

    // The operator answers it.
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = op.get(&format!("/staf/desa/{v}/pengaduan")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&number));
    let id = common::ids(&list.body, "pengaduan")[0].clone();
    let detail = op.get(&format!("/staf/desa/{v}/pengaduan/{id}")).await;
    assert!(detail.body.contains("Tono") && detail.body.contains("08123"));
    let too_short = op
        .post(
            &format!("/staf/desa/{v}/pengaduan/{id}"),
            &[
                ("_csrf", &csrf(&detail.body)),
                ("status", "3"),
                ("jawaban", "ok"),
            ],
        )
        .await;
    assert_eq!(too_short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answered = op
        .post(
            &format!("/staf/desa/{v}/pengaduan/{id}"),
            &[
                ("_csrf", &csrf(&too_short.body)),
                ("status", "3"),
                (
                    "jawaban",
                    "Jembatan sudah diperbaiki kerja bakti hari Minggu.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);

    let page = visitor.get(&format!("/desa/{v}/pengaduan")).await;
    let seen = visitor
        .post(
            &format!("/desa/{v}/pengaduan/lacak"),
            &[("_csrf", &csrf(&page.body)), ("nomor", &number)],
        )
        .await;
    assert!(seen.body.contains("id=\"status-pengaduan\">Selesai<"));
    assert!(seen.body.contains("Jembatan sudah diperbaiki"));

    // Not the regency's, not another village's operator's to read.
    for who in [
        "admin.klaten".to_string(),
        format!("operator.{}", slug(&app, 1).await),
    ] {
        let mut c = Client::new(&app);
        c.login(&who).await;
        for uri in [
            format!("/staf/desa/{v}/pengaduan"),
            format!("/staf/desa/{v}/pengaduan/{id}"),
        ] {
            assert_eq!(
                c.get(&uri).await.status,
                StatusCode::NOT_FOUND,
                "{who} {uri}"
            );
        }
    }
}

#[tokio::test]
async fn wrong_numbers_forged_forms_and_bots_learn_nothing() {
    let app = app(1, 20).await;
    let v = &app.villages[0];
    let mut visitor = Client::at(&app, "203.0.113.8");
    let page = visitor.get(&format!("/desa/{v}/pengaduan")).await;
    let token = csrf(&page.body);
    let filed = visitor
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("_csrf", &token),
                ("kategori", "1"),
                ("isi", "Antrean surat terlalu lama, sampai dua jam."),
            ],
        )
        .await;
    let number = reference(&filed.body);

    // A malformed number, an unknown one and a real running number with a
    // guessed code all get the same page.
    let mut answers = Vec::new();
    for wrong in [
        "xyz".to_string(),
        "ADU-2026-0099-AAAAAA".to_string(),
        format!("{}AAAAAA", &number[..number.len() - 6]),
    ] {
        let page = visitor.get(&format!("/desa/{v}/pengaduan")).await;
        let r = visitor
            .post(
                &format!("/desa/{v}/pengaduan/lacak"),
                &[("_csrf", &csrf(&page.body)), ("nomor", &wrong)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(r.body.contains("Nomor pengaduan tidak ditemukan"));
        // Only the fresh form token differs between the answers.
        answers.push(r.body.replace(&csrf(&r.body), ""));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the answers differ"
    );

    // No token, a token from elsewhere, a filled honeypot: refused, nothing filed.
    let mut stranger = Client::at(&app, "203.0.113.9");
    let r = stranger
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("kategori", "1"),
                ("isi", "Antrean surat terlalu lama, sampai dua jam."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = stranger
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("_csrf", &token),
                ("kategori", "1"),
                ("isi", "Antrean surat terlalu lama, sampai dua jam."),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a token without its cookie"
    );
    let page = visitor.get(&format!("/desa/{v}/pengaduan")).await;
    let r = visitor
        .post(
            &format!("/desa/{v}/pengaduan"),
            &[
                ("_csrf", &csrf(&page.body)),
                ("kategori", "1"),
                ("isi", "Beli obat murah di situs kami sekarang juga!"),
                ("situs", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a bot that fills every field"
    );
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = op.get(&format!("/staf/desa/{v}/pengaduan")).await;
    assert_eq!(
        common::ids(&list.body, "pengaduan").len(),
        1,
        "only the real complaint was filed"
    );

    // A village that is not served here, or a code that is no village.
    for uri in [
        "/desa/3310992999/pengaduan",
        "/desa/33.10/pengaduan",
        "/desa/abc/pengaduan",
    ] {
        assert_eq!(
            visitor.get(uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
}
