//! The village budget (APBDes) over HTTP: the operator types lines (bad
//! input comes back named, with the form filled), publishes and withdraws a
//! year, imports a Siskeudes export (every problem listed, nothing written);
//! visitors see published years only, as tables, SVG charts and a CSV that
//! is the table, with every typed name escaped; another village's staff get
//! "not found", a forged token 403, the village head reads but may not
//! write. Runs on the backend `BALAI_TEST_BACKEND` names.

mod common;

use axum::http::{Method, StatusCode, header};
use balai_domain::KodeWilayah;
use common::{Client, NOW, app, location};

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn login(app: &common::App, who: &str) -> Client {
    let mut c = Client::new(app);
    c.login(who).await;
    c
}

async fn operator(app: &common::App, i: usize) -> Client {
    login(app, &format!("operator.{}", slug(app, i).await)).await
}

const HOSTILE: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

async fn add_line(op: &mut Client, v: &str, fields: &[(&str, &str)]) -> common::Response {
    let token = op.csrf_of(&format!("/staf/desa/{v}/apbdes")).await;
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    op.post(&format!("/staf/desa/{v}/apbdes/baris"), &all).await
}

fn upload_body(token: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----balai-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{b}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"siskeudes.zip\"\r\nContent-Type: application/zip\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// The cells of every body row of every table of a page.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for tbody in html.split("<tbody>").skip(1) {
        let tbody = tbody.split("</tbody>").next().unwrap();
        for tr in tbody.split("<tr").skip(1) {
            let cells: Vec<String> = tr
                .split("<td")
                .skip(1)
                .map(|td| {
                    let inner = &td[td.find('>').unwrap() + 1..];
                    unescape(inner.split("</td>").next().unwrap())
                })
                .collect();
            rows.push(cells);
        }
    }
    rows
}

/// A CSV as written by the open-data module (quotes doubled inside quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

fn rupiah(n: &str) -> String {
    balai_domain::budget::signed_text(n.parse().unwrap())
}

#[tokio::test]
async fn the_operator_types_and_publishes_a_year_and_visitors_see_tables_charts_and_csv() {
    let app = app(2, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;

    // Bad input: every field named in Indonesian, the form comes back filled.
    let bad = add_line(
        &mut op,
        v,
        &[
            ("tahun", "2024"),
            ("rekening", "4.9"),
            ("sub_bidang", ""),
            ("uraian", "Sewa <kios> pasar"),
            ("anggaran", "sejuta"),
            ("realisasi", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("Rekening: pilih rekening"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("Anggaran: tulis angka rupiah"));
    assert!(bad.body.contains("value=\"Sewa &lt;kios&gt; pasar\""));
    assert!(bad.body.contains("value=\"sejuta\""));

    for (acc, sub, name, budget, real) in [
        ("4.2.1", "", "Dana Desa", "800.000.000", "600.000.000"),
        ("4.1.2", "", HOSTILE, "50000000", "20000000"),
        (
            "5.3",
            "02.03",
            "Rabat beton & talud",
            "700000000",
            "350000000",
        ),
        ("5.1", "01.01", "", "300000000", "300000000"),
        ("6.1.1", "", "", "40000000", "40000000"),
    ] {
        let r = add_line(
            &mut op,
            v,
            &[
                ("tahun", "2024"),
                ("rekening", acc),
                ("sub_bidang", sub),
                ("uraian", name),
                ("anggaran", budget),
                ("realisasi", real),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), format!("/staf/desa/{v}/apbdes/2024"));
    }
    let editor = op.get(&format!("/staf/desa/{v}/apbdes/2024")).await.body;
    assert!(editor.contains("Rp850.000.000"), "income total: {editor}");
    assert!(!editor.contains("<script>alert"));

    // A draft year: nobody outside sees it.
    let mut visitor = Client::at(&app, "203.0.113.80");
    for uri in [
        format!("/desa/{v}/apbdes/2024"),
        format!("/desa/{v}/apbdes/2024.csv"),
        format!("/api/desa/{v}/apbdes/2024"),
        format!("/desa/{v}/apbdes/1999"),
        format!("/desa/{v}/apbdes/dua"),
    ] {
        assert_eq!(
            visitor.get(&uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }

    // Publishing needs its period and date.
    let at = format!("/staf/desa/{v}/apbdes/2024");
    let token = op.csrf_of(&at).await;
    let r = op
        .post(
            &format!("{at}/terbit"),
            &[
                ("_csrf", &token),
                ("terbit", "1"),
                ("periode", "tahun-penuh"),
                ("tanggal", "31/01/2025"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tanggal laporan:"), "{}", r.body);
    let r = op
        .post(
            &format!("{at}/terbit"),
            &[
                ("_csrf", &token),
                ("terbit", "1"),
                ("periode", "tahun-penuh"),
                ("tanggal", "2025-01-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The public page: tables, charts with titles, everything escaped.
    let page = visitor.get(&format!("/desa/{v}/apbdes/2024")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(
        html.contains("<svg id=\"grafik-pendapatan\" role=\"img\""),
        "{html}"
    );
    assert!(html.contains("<title id=\"grafik-belanja-bidang-judul\">"));
    assert!(html.contains("class=\"bar-real\""));
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(html.contains("Tahun penuh"));
    assert!(!html.contains("<script"), "no script on the page");
    // The CSV is the table, row for row.
    let csv = visitor.get(&format!("/desa/{v}/apbdes/2024.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv_rows(&csv.body);
    assert_eq!(
        csv[0],
        [
            "bagian",
            "kode",
            "uraian",
            "anggaran",
            "realisasi",
            "persen_realisasi"
        ]
    );
    let table = table_rows(html);
    assert_eq!(table.len(), csv.len() - 1);
    for (t, c) in table.iter().zip(&csv[1..]) {
        assert_eq!(t[0], c[1], "code");
        assert_eq!(t[1], c[2], "name");
        assert_eq!(t[2], rupiah(&c[3]), "budget of {}", c[2]);
        assert_eq!(t[3], rupiah(&c[4]), "realised of {}", c[2]);
        let pct = if c[5].is_empty() {
            "–".to_string()
        } else {
            format!("{}%", c[5].replace('.', ","))
        };
        assert_eq!(t[4], pct, "percent of {}", c[2]);
    }
    assert!(
        csv.iter().any(|r| r[2] == HOSTILE),
        "the CSV keeps the text as typed"
    );
    // The API agrees.
    let api: serde_json::Value = serde_json::from_str(
        &visitor
            .get(&format!("/api/desa/{v}/apbdes/2024"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(api["income"]["budget"], 850_000_000);
    assert_eq!(api["income"]["realisation_percent"], 72.9);
    assert_eq!(api["period"], "tahun-penuh");
    assert_eq!(
        visitor
            .get(&format!("/api/desa/{v}/apbdes/2024?format=csv"))
            .await
            .body,
        visitor
            .get(&format!("/desa/{v}/apbdes/2024.csv"))
            .await
            .body
    );

    // ETag: the second request is a 304.
    let etag = page.headers[header::ETAG].to_str().unwrap().to_string();
    let mut again = Client::at(&app, "203.0.113.81");
    again.extra_headers.push(("If-None-Match".into(), etag));
    assert_eq!(
        again.get(&format!("/desa/{v}/apbdes/2024")).await.status,
        StatusCode::NOT_MODIFIED
    );

    // The year picker, the nav, the home page and the sitemap.
    let latest = visitor.get(&format!("/desa/{v}/apbdes")).await.body;
    let this_year = NOW.year();
    assert!(
        latest.contains(&format!("href=\"/desa/{v}/apbdes/2024\"")),
        "{latest}"
    );
    assert!(
        latest.contains(&format!("APBDes {this_year}")),
        "the demo's latest year"
    );
    let home = visitor.get(&format!("/desa/{v}")).await.body;
    assert!(home.contains(&format!("href=\"/desa/{v}/apbdes\"")));
    assert!(home.contains(&format!("APBDes {this_year}")), "{home}");
    let sitemap = unescape(&visitor.get(&format!("/desa/{v}/sitemap.xml")).await.body);
    assert!(
        sitemap.contains(&format!("/desa/{v}/apbdes/2024")),
        "{sitemap}"
    );

    // Withdrawn: gone again.
    let token = op.csrf_of(&at).await;
    let r = op
        .post(
            &format!("{at}/terbit"),
            &[("_csrf", &token), ("terbit", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        visitor.get(&format!("/desa/{v}/apbdes/2024")).await.status,
        StatusCode::NOT_FOUND
    );

    // Editing and deleting a line.
    let line_at = editor
        .split(&format!("/staf/desa/{v}/apbdes/baris/"))
        .nth(1)
        .map(|s| s[..36].to_string())
        .unwrap();
    let at = format!("/staf/desa/{v}/apbdes/baris/{line_at}");
    let form = op.get(&at).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = common::csrf(&form.body);
    let r = op
        .post(
            &at,
            &[
                ("_csrf", &token),
                ("rekening", "5.2"),
                ("sub_bidang", ""),
                ("anggaran", "1000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Sub-bidang:"), "{}", r.body);
    let r = op
        .post(&format!("{at}/hapus"), &[("_csrf", &token), ("yakin", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(op.get(&at).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn other_villages_staff_get_not_found_forged_tokens_403_and_the_head_only_reads() {
    let app = app(2, 10).await;
    let (v, w) = (&app.villages[0], &app.villages[1]);
    let mut op = operator(&app, 0).await;
    let r = add_line(
        &mut op,
        v,
        &[
            ("tahun", "2024"),
            ("rekening", "4.2.1"),
            ("anggaran", "1000000"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let editor = op.get(&format!("/staf/desa/{v}/apbdes/2024")).await.body;
    let line = editor
        .split(&format!("/staf/desa/{v}/apbdes/baris/"))
        .nth(1)
        .map(|s| s[..36].to_string())
        .unwrap();

    // The other village's operator: not found on every route of this village.
    let mut other = operator(&app, 1).await;
    let token = other.csrf_of(&format!("/staf/desa/{w}/apbdes")).await;
    for uri in [
        format!("/staf/desa/{v}/apbdes"),
        format!("/staf/desa/{v}/apbdes/2024"),
        format!("/staf/desa/{v}/apbdes/baris/{line}"),
        format!("/staf/desa/{w}/apbdes/baris/{line}"),
    ] {
        assert_eq!(other.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    for uri in [
        format!("/staf/desa/{v}/apbdes/baris"),
        format!("/staf/desa/{v}/apbdes/baris/{line}"),
        format!("/staf/desa/{w}/apbdes/baris/{line}/hapus"),
        format!("/staf/desa/{v}/apbdes/2024/terbit"),
    ] {
        let r = other
            .post(
                &uri,
                &[
                    ("_csrf", &token),
                    ("tahun", "2024"),
                    ("rekening", "4.2.1"),
                    ("anggaran", "1"),
                    ("yakin", "1"),
                    ("terbit", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.body);
    }
    let (ct, body) = upload_body(
        &token,
        &balai_services::budget::siskeudes::fixture(KodeWilayah::parse(v).unwrap(), 2024, false),
    );
    let r = other
        .send(
            Method::POST,
            &format!("/staf/desa/{v}/apbdes/impor"),
            Some(&ct),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A forged token: 403, nothing written.
    let r = op
        .post(
            &format!("/staf/desa/{v}/apbdes/baris"),
            &[
                ("_csrf", "forged"),
                ("tahun", "2024"),
                ("rekening", "4.2.3"),
                ("anggaran", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (ct, body) = upload_body("forged", b"PK");
    let r = op
        .send(
            Method::POST,
            &format!("/staf/desa/{v}/apbdes/impor"),
            Some(&ct),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        !op.get(&format!("/staf/desa/{v}/apbdes/2024"))
            .await
            .body
            .contains("<td class=\"mono\">4.2.3</td>")
    );

    // The head reads, may not write.
    let mut head = login(&app, &format!("kades.{}", slug(&app, 0).await)).await;
    let page = head.get(&format!("/staf/desa/{v}/apbdes/2024")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"form-baris\""));
    let token = common::csrf(&page.body);
    let r = head
        .post(
            &format!("/staf/desa/{v}/apbdes/baris"),
            &[
                ("_csrf", &token),
                ("tahun", "2024"),
                ("rekening", "4.2.3"),
                ("anggaran", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn a_siskeudes_import_lists_every_problem_and_writes_nothing_until_clean() {
    let app = app(2, 10).await;
    let (v, w) = (&app.villages[0], &app.villages[1]);
    let kode = KodeWilayah::parse(v).unwrap();
    let mut op = operator(&app, 0).await;
    let token = op.csrf_of(&format!("/staf/desa/{v}/apbdes")).await;
    let import = format!("/staf/desa/{v}/apbdes/impor");
    let before = op.get(&format!("/staf/desa/{v}/apbdes/2024")).await.body;

    let (ct, body) = upload_body(
        &token,
        &balai_services::budget::siskeudes::fixture(kode, 2024, true),
    );
    let r = op.send(Method::POST, &import, Some(&ct), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for line in [
        "Ta_RAB.csv baris 10:",
        "Ta_RAB.csv baris 11:",
        "Ta_RAB.csv baris 12:",
    ] {
        assert!(r.body.contains(line), "{line}: {}", r.body);
    }
    assert_eq!(
        op.get(&format!("/staf/desa/{v}/apbdes/2024")).await.body,
        before
    );

    let (ct, body) = upload_body(
        &token,
        &balai_services::budget::siskeudes::fixture(KodeWilayah::parse(w).unwrap(), 2024, false),
    );
    let r = op.send(Method::POST, &import, Some(&ct), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("bukan desa ini"), "{}", r.body);

    let (ct, body) = upload_body(
        &token,
        &balai_services::budget::siskeudes::fixture(kode, 2024, false),
    );
    let r = op.send(Method::POST, &import, Some(&ct), body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), format!("/staf/desa/{v}/apbdes/2024"));
    let page = op.get(&format!("/staf/desa/{v}/apbdes/2024")).await.body;
    assert!(
        page.contains(
            "Pembangunan Jalan Usaha Tani &lt;Dusun Krajan&gt; &amp; &quot;Rabat Beton&quot;"
        ),
        "{page}"
    );
    assert!(page.contains("Rp1.590.000.000"), "income total");
}
