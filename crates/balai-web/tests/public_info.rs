//! Public information over HTTP: the staff keep the list (422 with every
//! field named and values kept, PDFs checked by content, CSRF), a visitor
//! files a request and follows it by number (never seeing a name or a
//! contact), wrong numbers, forged forms and bots learn nothing, the
//! per-address rate limit holds, staff answer and the visitor reads it,
//! then objects; another village's staff get 404.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Client, app, csrf, location};

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn between(html: &str, marker: &str) -> String {
    let i = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"))
        + marker.len();
    html[i..i + html[i..].find('<').unwrap()].to_string()
}

fn upload_body(token: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----balai-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{b}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"APBDes 2026.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

#[tokio::test]
async fn staff_keep_the_list_and_visitors_download_its_documents() {
    let app = app(2, 20).await;
    let v = &app.villages[0];
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let form = format!("/staf/desa/{v}/informasi-publik/baru");
    let token = op.csrf_of(&form).await;
    // Every problem named, what was typed kept (escaped).
    let bad = op
        .post(
            &form,
            &[
                ("_csrf", token.as_str()),
                ("judul", "<b>Data</b> BLT"),
                ("kategori", "4"),
                ("dasar", ""),
                ("alasan", "rahasia"),
                ("ringkasan", ""),
                ("badan", "9"),
                ("tahun", "26"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for field in ["e-dasar", "e-alasan", "e-badan", "e-tahun"] {
        assert!(bad.body.contains(field), "{field}");
    }
    assert!(
        bad.body.contains("&lt;b&gt;Data&lt;&#x2f;b&gt; BLT") || bad.body.contains("&lt;b&gt;Data")
    );
    assert!(!bad.body.contains("<b>Data</b>"));
    let made = op
        .post(
            &form,
            &[
                ("_csrf", token.as_str()),
                ("judul", "APBDes 2026 <script>x</script>"),
                ("kategori", "1"),
                ("ringkasan", "Anggaran pendapatan dan belanja desa"),
                ("badan", "1"),
                ("tahun", "2026"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = location(&made);
    let exempt = op
        .post(
            &form,
            &[
                ("_csrf", token.as_str()),
                ("judul", "Data penerima BLT"),
                ("kategori", "4"),
                ("dasar", "8"),
                ("alasan", "Memuat data pribadi penerima bantuan"),
                ("badan", "1"),
                ("tahun", "2026"),
            ],
        )
        .await;
    assert_eq!(exempt.status, StatusCode::SEE_OTHER, "{}", exempt.body);

    // A document: checked by content, not by its name; a forged token is 403.
    let (ct, body) = upload_body(&token, b"MZ\x90\x00 not a pdf");
    let r = op
        .send(Method::POST, &format!("{at}/dokumen"), Some(&ct), body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("e-berkas"));
    let (ct, body) = upload_body("forged", PDF);
    let r = op
        .send(Method::POST, &format!("{at}/dokumen"), Some(&ct), body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (ct, body) = upload_body(&token, PDF);
    let r = op
        .send(Method::POST, &format!("{at}/dokumen"), Some(&ct), body)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The public list: by category, escaped, the exempt entry with its reason.
    let mut visitor = Client::at(&app, "203.0.113.20");
    let list = visitor.get(&format!("/desa/{v}/informasi-publik")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Informasi berkala"));
    assert!(list.body.contains("&lt;script&gt;x") && !list.body.contains("<script>x"));
    assert!(list.body.contains("Memuat data pribadi penerima bantuan"));
    assert!(!list.body.contains("<script"), "no JavaScript");
    let etag = list.headers[header::ETAG].to_str().unwrap().to_string();
    visitor.extra_headers = vec![(header::IF_NONE_MATCH.to_string(), etag)];
    let again = visitor
        .send(
            Method::GET,
            &format!("/desa/{v}/informasi-publik"),
            None,
            Vec::new(),
        )
        .await;
    visitor.extra_headers.clear();
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let marker = format!("/desa/{v}/informasi-publik/dokumen/");
    // minijinja escapes `/` in values.
    let body = list.body.replace("&#x2f;", "/");
    let i = body.find(&marker).expect("a document link");
    let doc = body[i..i + marker.len() + 40].to_string();
    assert!(doc.ends_with(".pdf"), "{doc}");
    let pdf = visitor.get(&doc).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    let other = &app.villages[1];
    assert_eq!(
        visitor.get(&doc.replace(v.as_str(), other)).await.status,
        StatusCode::NOT_FOUND
    );
    // In the site's menu and sitemap.
    let home = visitor.get(&format!("/desa/{v}")).await;
    assert!(home.body.contains(&format!("/desa/{v}/informasi-publik\"")));
    let map = visitor.get(&format!("/desa/{v}/sitemap.xml")).await;
    assert!(
        map.body
            .replace("&#x2f;", "/")
            .contains("/informasi-publik</loc>"),
        "{}",
        map.body
    );

    // Another village's operator, the regency: 404 on every staff page.
    let mut theirs = Client::new(&app);
    theirs
        .login(&format!("operator.{}", slug(&app, 1).await))
        .await;
    let mut regency = Client::new(&app);
    regency.login("admin.klaten").await;
    for c in [&mut theirs, &mut regency] {
        for uri in [
            format!("/staf/desa/{v}/informasi-publik"),
            at.clone(),
            format!("/staf/desa/{v}/informasi-publik/permohonan"),
            format!("/staf/desa/{v}/informasi-publik/libur"),
        ] {
            assert_eq!(c.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
        }
    }
}

#[tokio::test]
async fn a_visitor_requests_follows_and_objects_and_never_sees_a_name() {
    let app = app(2, 20).await;
    let v = &app.villages[0];
    let mut visitor = Client::at(&app, "203.0.113.30");
    let uri = format!("/desa/{v}/informasi-publik/permohonan");
    let page = visitor.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kirim permohonan"));
    assert!(!page.body.contains("<script"));
    let bad = visitor
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Siti <i>R</i>"),
                ("kontak", "bukan kontak"),
                ("informasi", "APBDes"),
                ("tujuan", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["e-kontak", "e-informasi", "e-tujuan", "e-cara"] {
        assert!(bad.body.contains(field), "{field}");
    }
    assert!(bad.body.contains("Siti &lt;i&gt;R") && !bad.body.contains("<i>R</i>"));
    let filed = visitor
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&bad.body)),
                ("nama", "Siti Rahayu"),
                ("kontak", "0812 3456 7890"),
                ("informasi", "Salinan APBDes 2026 dan rinciannya"),
                ("tujuan", "Bahan musyawarah warga"),
                ("cara", "2"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let number = between(&filed.body, "id=\"nomor-registrasi\">");
    assert!(number.starts_with("PPID-2026-0001-"), "{number}");

    // Followed by number: status and deadline, no name, no contact.
    let track = format!("/desa/{v}/informasi-publik/lacak");
    let page = visitor.get(&track).await;
    let seen = visitor
        .post(
            &track,
            &[
                ("_csrf", &csrf(&page.body)),
                ("nomor", &number.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(seen.body.contains("id=\"status-permohonan\">Diterima<"));
    assert!(
        !seen.body.contains("Siti")
            && !seen.body.contains("0812")
            && !seen.body.contains("081234567890")
    );
    assert!(!seen.body.contains("form-keberatan"), "too early to object");

    // Wrong numbers: one answer for all.
    let mut answers = Vec::new();
    for wrong in [
        "xyz".to_string(),
        "PPID-2026-0099-AAAAAA".to_string(),
        format!("{}AAAAAA", &number[..number.len() - 6]),
    ] {
        let page = visitor.get(&track).await;
        let r = visitor
            .post(&track, &[("_csrf", &csrf(&page.body)), ("nomor", &wrong)])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{wrong}");
        answers.push(r.body.replace(&csrf(&r.body), ""));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the answers differ"
    );

    // Forged, missing token and honeypot: 403, nothing filed.
    let mut stranger = Client::at(&app, "203.0.113.31");
    let fields = [
        ("nama", "Bot"),
        ("kontak", "0800000000"),
        ("informasi", "Semua data warga desa"),
        ("tujuan", "Dijual kembali"),
        ("cara", "1"),
    ];
    assert_eq!(
        stranger.post(&uri, &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let page = visitor.get(&uri).await;
    let mut with_honeypot = vec![("_csrf", csrf(&page.body))];
    with_honeypot.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    with_honeypot.push(("situs", "http://spam.example".into()));
    let pairs: Vec<(&str, &str)> = with_honeypot
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    assert_eq!(
        visitor.post(&uri, &pairs).await.status,
        StatusCode::FORBIDDEN
    );

    // The operator sees the register (name included), answers.
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let register = op
        .get(&format!("/staf/desa/{v}/informasi-publik/permohonan"))
        .await;
    assert_eq!(register.status, StatusCode::OK);
    assert!(register.body.contains("Siti Rahayu") && register.body.contains(&number));
    let csv = op
        .get(&format!(
            "/staf/desa/{v}/informasi-publik/permohonan?format=csv"
        ))
        .await;
    assert!(csv.body.contains("Siti Rahayu"), "{}", csv.body);
    let pdf = op
        .get(&format!(
            "/staf/desa/{v}/informasi-publik/permohonan?format=pdf"
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    // Kept as a test artifact, to look at.
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("register-permohonan.pdf"),
        &pdf.bytes,
    )
    .unwrap();
    let rid = common::ids(&register.body, "permohonan")[0].clone();
    let detail_uri = format!("/staf/desa/{v}/informasi-publik/permohonan/{rid}");
    let detail = op.get(&detail_uri).await;
    assert!(detail.body.contains("0812"));
    let short = op
        .post(
            &format!("{detail_uri}/jawab"),
            &[
                ("_csrf", &csrf(&detail.body)),
                ("hasil", "3"),
                ("dasar", ""),
                ("jawaban", "tidak"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("e-dasar") && short.body.contains("e-jawaban"));
    let forged = op
        .post(
            &format!("{detail_uri}/jawab"),
            &[
                ("_csrf", "forged"),
                ("hasil", "1"),
                ("jawaban", "Silakan ambil salinan."),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let answered = op
        .post(
            &format!("{detail_uri}/jawab"),
            &[
                ("_csrf", &csrf(&detail.body)),
                ("hasil", "2"),
                ("dasar", "8"),
                (
                    "jawaban",
                    "Salinan APBDes dapat diambil; rincian penerima bantuan dikecualikan.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let mut theirs = Client::new(&app);
    theirs
        .login(&format!("operator.{}", slug(&app, 1).await))
        .await;
    assert_eq!(theirs.get(&detail_uri).await.status, StatusCode::NOT_FOUND);

    // The visitor reads the answer and objects.
    let page = visitor.get(&track).await;
    let seen = visitor
        .post(&track, &[("_csrf", &csrf(&page.body)), ("nomor", &number)])
        .await;
    assert!(seen.body.contains("id=\"status-permohonan\">Dijawab<"));
    assert!(seen.body.contains("rincian penerima bantuan dikecualikan"));
    assert!(seen.body.contains("form-keberatan"));
    let objected = visitor
        .post(
            &format!("/desa/{v}/informasi-publik/keberatan"),
            &[
                ("_csrf", &csrf(&seen.body)),
                ("nomor", &number),
                ("dasar", "1"),
                ("alasan", "Rincian bantuan adalah anggaran publik."),
            ],
        )
        .await;
    assert_eq!(objected.status, StatusCode::OK, "{}", objected.body);
    assert!(
        objected
            .body
            .contains("id=\"status-permohonan\">Keberatan diajukan<")
    );
    let objections = op
        .get(&format!("/staf/desa/{v}/informasi-publik/keberatan"))
        .await;
    assert!(objections.body.contains(&number));
    let pdf = op
        .get(&format!(
            "/staf/desa/{v}/informasi-publik/keberatan?format=pdf"
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

#[tokio::test]
async fn the_request_form_is_rate_limited_per_address() {
    let app = app(1, 10).await;
    let v = &app.villages[0];
    let uri = format!("/desa/{v}/informasi-publik/permohonan");
    let mut flood = Client::at(&app, "203.0.113.60");
    let token = csrf(&flood.get(&uri).await.body);
    let mut limited = None;
    for i in 0..40 {
        let r = flood
            .post(&uri, &[("_csrf", &token), ("nama", "Banjir")])
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(i);
            break;
        }
    }
    assert!(
        matches!(limited, Some(i) if i >= 20),
        "limited after {limited:?}"
    );
    let mut neighbour = Client::at(&app, "203.0.113.61");
    let page = neighbour.get(&uri).await;
    let r = neighbour
        .post(&uri, &[("_csrf", &csrf(&page.body)), ("nama", "Tetangga")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
