//! The village website's showcase over HTTP: the operator adds products
//! and tourism spots (bad input comes back named, in Indonesian, with the
//! form filled), publishes, withdraws and deletes them; visitors see
//! published ones only (list, page, home page, sitemap), every hostile
//! text escaped, photos with their size and lazy loading; another
//! village's staff and the regency get "not found" on every editor route,
//! the village head reads but may not write. Runs on the backend
//! `BALAI_TEST_BACKEND` names.

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

async fn login(app: &common::App, who: &str) -> Client {
    let mut c = Client::new(app);
    c.login(who).await;
    c
}

async fn operator(app: &common::App, i: usize) -> Client {
    login(app, &format!("operator.{}", slug(app, i).await)).await
}

const HOSTILE: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

/// Adds a product as the operator; returns its staff address.
async fn add_product(op: &mut Client, v: &str, fields: &[(&str, &str)]) -> common::Response {
    let token = op.csrf_of(&format!("/staf/desa/{v}/produk/baru")).await;
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    op.post(&format!("/staf/desa/{v}/produk/baru"), &all).await
}

async fn publish(op: &mut Client, at: &str, to: &str) -> common::Response {
    let token = op.csrf_of(at).await;
    op.post(
        &format!("{at}/terbit"),
        &[("_csrf", token.as_str()), ("terbit", to)],
    )
    .await
}

fn upload_body(token: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----balai-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{b}\r\nContent-Disposition: form-data; name=\"gambar\"; filename=\"foto.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// A page's text with the escaped slashes of attribute values read back.
fn norm(body: &str) -> String {
    body.replace("&#x2f;", "/")
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 120, 40]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn the_operator_adds_a_product_with_a_photo_and_visitors_see_it_once_published() {
    let app = app(2, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;

    // Bad input: every field named in Indonesian, the form comes back filled.
    let bad = add_product(
        &mut op,
        v,
        &[
            ("nama", "Keripik Tempe Sri"),
            ("kategori", "lain"),
            ("harga", "-15.000"),
            ("penjual", "Bu Sri"),
            ("whatsapp", "0274 123456"),
            ("uraian", "Renyah dan gurih."),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for message in ["Kategori:", "Harga:", "Nomor WhatsApp:"] {
        assert!(bad.body.contains(message), "{message} in {}", bad.body);
    }
    for kept in [
        "Keripik Tempe Sri",
        "-15.000",
        "Bu Sri",
        "0274 123456",
        "Renyah dan gurih.",
    ] {
        assert!(bad.body.contains(kept), "{kept} kept");
    }
    assert!(
        bad.body.contains("DITAMPILKAN di situs publik"),
        "the editor says the number is public"
    );

    let made = add_product(
        &mut op,
        v,
        &[
            ("nama", "Keripik Tempe Sri"),
            ("kategori", "umkm"),
            ("harga", "Rp 15.000"),
            ("penjual", "UMKM Sri Rejeki"),
            ("whatsapp", "0812-3456-7890"),
            ("uraian", HOSTILE),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = location(&made);
    assert!(at.starts_with(&format!("/staf/desa/{v}/produk/")), "{at}");

    // A photo, scaled and re-encoded.
    let token = op.csrf_of(&at).await;
    let (ct, body) = upload_body(&token, &png(1600, 800));
    let up = op
        .send(Method::POST, &format!("{at}/foto"), Some(&ct), body)
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let (ct, body) = upload_body(&token, b"<svg onload=alert(1)>");
    let bad = op
        .send(Method::POST, &format!("{at}/foto"), Some(&ct), body)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Foto:"), "{}", bad.body);
    let (ct, body) = upload_body("forged", &png(10, 10));
    let forged = op
        .send(Method::POST, &format!("{at}/foto"), Some(&ct), body)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let editor = op.get(&at).await.body;
    assert!(editor.contains("1200×600"), "{editor}");

    // A draft: nobody outside sees it.
    let mut visitor = Client::at(&app, "203.0.113.70");
    assert_eq!(
        visitor
            .get(&format!("/desa/{v}/produk/keripik-tempe-sri"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !visitor
            .get(&format!("/desa/{v}/produk"))
            .await
            .body
            .contains("Keripik")
    );

    assert_eq!(
        publish(&mut op, &at, "1").await.status,
        StatusCode::SEE_OTHER
    );
    let mut page = visitor
        .get(&format!("/desa/{v}/produk/keripik-tempe-sri"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body = norm(&page.body);
    assert!(page.body.contains("Rp15.000"));
    assert!(page.body.contains("https://wa.me/6281234567890"));
    assert!(page.body.contains("UMKM Sri Rejeki"));
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    assert!(!page.body.contains("<img src=x"), "escaped");
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(
        page.body.contains("loading=\"lazy\"")
            && page.body.contains("width=\"1200\" height=\"600\"")
    );
    // The photo itself, for the public, while the product is published.
    let marker = format!("/desa/{v}/foto/produk/");
    let i = page.body.find(&marker).unwrap() + marker.len();
    let photo = format!("{marker}{}", &page.body[i..i + 40]);
    assert!(photo.ends_with(".jpg"), "{photo}");
    let img = visitor.get(&photo).await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        visitor
            .get(&photo.replace("/produk/", "/wisata/"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let other = &app.villages[1];
    assert_eq!(
        visitor.get(&photo.replace(v.as_str(), other)).await.status,
        StatusCode::NOT_FOUND
    );

    // Listed, highlighted on the home page, in the sitemap and the menu.
    let list = visitor.get(&format!("/desa/{v}/produk")).await;
    assert!(list.body.contains("Keripik Tempe Sri") && list.body.contains("UMKM"));
    let mut home = visitor.get(&format!("/desa/{v}")).await;
    home.body = norm(&home.body);
    assert!(
        home.body.contains("id=\"produk-unggulan\"") && home.body.contains("Keripik Tempe Sri")
    );
    assert!(home.body.contains(&format!("href=\"/desa/{v}/wisata\"")));
    let mut map = visitor.get(&format!("/desa/{v}/sitemap.xml")).await;
    map.body = norm(&map.body);
    assert!(
        map.body
            .contains(&format!("/desa/{v}/produk/keripik-tempe-sri</loc>")),
        "{}",
        map.body
    );
    assert!(map.body.contains(&format!("/desa/{v}/wisata</loc>")));
    // ETag: the second visit is a 304.
    let etag = list.headers[header::ETAG].to_str().unwrap().to_string();
    let mut c = Client::new(&app);
    c.extra_headers.push(("If-None-Match".into(), etag));
    assert_eq!(
        c.get(&format!("/desa/{v}/produk")).await.status,
        StatusCode::NOT_MODIFIED
    );
    // In English too.
    let mut en = Client::new(&app);
    en.get("/bahasa/en").await;
    let english = en.get(&format!("/desa/{v}/produk/keripik-tempe-sri")).await;
    assert!(english.body.contains("Seller"), "{}", english.body);

    // Withdrawn: gone again, the photo too.
    publish(&mut op, &at, "0").await;
    assert_eq!(
        visitor
            .get(&format!("/desa/{v}/produk/keripik-tempe-sri"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(visitor.get(&photo).await.status, StatusCode::NOT_FOUND);
    // Deleted: gone from the editor too, and the address is free again.
    let token = op.csrf_of(&at).await;
    let unsure = op.post(&format!("{at}/hapus"), &[("_csrf", &token)]).await;
    assert_eq!(
        unsure.status,
        StatusCode::BAD_REQUEST,
        "no confirmation, nothing deleted"
    );
    let gone = op
        .post(&format!("{at}/hapus"), &[("_csrf", &token), ("yakin", "1")])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(op.get(&at).await.status, StatusCode::NOT_FOUND);
    let again = add_product(
        &mut op,
        v,
        &[
            ("nama", "Keripik Tempe Sri"),
            ("kategori", "unggulan"),
            ("hubungi", "1"),
            ("penjual", "Bu Sri"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    publish(&mut op, &location(&again), "1").await;
    let page = visitor
        .get(&format!("/desa/{v}/produk/keripik-tempe-sri"))
        .await;
    assert!(page.body.contains("Harga hubungi penjual"));
    assert!(!page.body.contains("wa.me"), "no number given, none shown");
}

#[tokio::test]
async fn the_operator_adds_a_tourism_spot_with_hours_tickets_and_a_map_link() {
    let app = app(1, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let new = format!("/staf/desa/{v}/wisata/baru");
    let token = op.csrf_of(&new).await;
    let bad = op
        .post(
            &new,
            &[
                ("_csrf", &token),
                ("nama", "Umbul Sari"),
                ("lokasi", "Dusun Krajan"),
                ("lintang", "95"),
                ("bujur", "110.6"),
                ("buka", "17:00"),
                ("tutup", "08:00"),
                ("tiket_dewasa", "sepuluh ribu"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Lintang:", "Tiket dewasa:"] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert!(bad.body.contains("sepuluh ribu") && bad.body.contains("Dusun Krajan"));
    let made = op
        .post(
            &new,
            &[
                ("_csrf", &token),
                ("nama", "Umbul Sari"),
                ("lokasi", "Dusun Krajan"),
                ("uraian", HOSTILE),
                ("lintang", "-7.6094"),
                ("bujur", "110.6356"),
                ("hari", "sab"),
                ("hari", "min"),
                ("buka", "07:00"),
                ("tutup", "17:00"),
                ("tiket_dewasa", "10.000"),
                ("tiket_anak", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = location(&made);
    let editor = op.get(&at).await.body;
    assert!(
        editor.contains("id=\"f-hari-sab\" checked"),
        "the days come back checked"
    );
    let mut visitor = Client::new(&app);
    assert_eq!(
        visitor
            .get(&format!("/desa/{v}/wisata/umbul-sari"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    publish(&mut op, &at, "1").await;
    let mut page = visitor.get(&format!("/desa/{v}/wisata/umbul-sari")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body = norm(&page.body);
    for shown in [
        "Sabtu, Minggu, 07:00–17:00",
        "Rp10.000",
        "Gratis",
        "mlat=-7.6094&amp;mlon=110.6356",
    ] {
        assert!(page.body.contains(shown), "{shown} in {}", page.body);
    }
    assert!(!page.body.contains("<script>alert(1)") && page.body.contains("&lt;script&gt;"));
    let home = visitor.get(&format!("/desa/{v}")).await;
    assert!(home.body.contains("id=\"wisata-desa\"") && home.body.contains("Umbul Sari"));
    let list = visitor.get(&format!("/desa/{v}/wisata")).await;
    assert!(norm(&list.body).contains("/wisata/umbul-sari"));
}

#[tokio::test]
async fn another_villages_staff_and_the_regency_get_404_and_the_head_only_reads() {
    let app = app(2, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let made = add_product(
        &mut op,
        v,
        &[
            ("nama", "Batik Tulis"),
            ("kategori", "unggulan"),
            ("harga", "250000"),
            ("penjual", "Sanggar Batik"),
        ],
    )
    .await;
    let product = location(&made);
    let token = op.csrf_of(&format!("/staf/desa/{v}/wisata/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/wisata/baru"),
            &[
                ("_csrf", &token),
                ("nama", "Bukit Bintang"),
                ("lokasi", "Dusun Wetan"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let spot = location(&made);
    let token = op.csrf_of(&spot).await;
    let (ct, body) = upload_body(&token, &png(20, 10));
    op.send(Method::POST, &format!("{spot}/foto"), Some(&ct), body)
        .await;
    let editor = norm(&op.get(&spot).await.body);
    let marker = format!("/staf/desa/{v}/wisata/foto/");
    let i = editor
        .find(&marker)
        .expect("the editor shows the draft's photo")
        + marker.len();
    let staff_photo = format!("{marker}{}", &editor[i..i + 40]);
    assert_eq!(op.get(&staff_photo).await.status, StatusCode::OK);

    for who in [
        "admin.klaten".to_string(),
        format!("operator.{}", slug(&app, 1).await),
    ] {
        let mut c = login(&app, &who).await;
        let token = c.csrf_of("/staf/akun").await;
        for uri in [
            format!("/staf/desa/{v}/produk"),
            format!("/staf/desa/{v}/produk/baru"),
            product.clone(),
            format!("/staf/desa/{v}/wisata"),
            format!("/staf/desa/{v}/wisata/baru"),
            spot.clone(),
            staff_photo.clone(),
        ] {
            assert_eq!(
                c.get(&uri).await.status,
                StatusCode::NOT_FOUND,
                "{who} GET {uri}"
            );
        }
        for uri in [
            format!("/staf/desa/{v}/produk/baru"),
            product.clone(),
            format!("{product}/terbit"),
            format!("{product}/hapus"),
            format!("/staf/desa/{v}/wisata/baru"),
            spot.clone(),
            format!("{spot}/terbit"),
            format!("{spot}/hapus"),
        ] {
            let r = c
                .post(
                    &uri,
                    &[
                        ("_csrf", &token),
                        ("terbit", "1"),
                        ("yakin", "1"),
                        ("nama", "Diubah orang lain"),
                        ("lokasi", "Di mana saja"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} POST {uri}");
        }
        let (ct, body) = upload_body(&token, &png(10, 10));
        let r = c
            .send(Method::POST, &format!("{spot}/foto"), Some(&ct), body)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} uploads");
    }
    // Still the operator's drafts, unchanged.
    assert!(op.get(&product).await.body.contains("Batik Tulis"));

    // The village head reads the editor, has no write buttons, may not write.
    let mut head = login(&app, &format!("kades.{}", slug(&app, 0).await)).await;
    let list = head.get(&format!("/staf/desa/{v}/produk")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Batik Tulis") && !list.body.contains("id=\"baru\""));
    let token = csrf(&list.body);
    for (uri, fields) in [
        (format!("{product}/terbit"), vec![("terbit", "1")]),
        (format!("{product}/hapus"), vec![("yakin", "1")]),
        (
            product.clone(),
            vec![
                ("nama", "Batik Cap"),
                ("kategori", "umkm"),
                ("harga", "1"),
                ("penjual", "Siapa"),
            ],
        ),
        (
            format!("/staf/desa/{v}/wisata/baru"),
            vec![("nama", "Tempat Baru"), ("lokasi", "Dusun")],
        ),
    ] {
        let mut all = vec![("_csrf", token.as_str())];
        all.extend(fields);
        let r = head.post(&uri, &all).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "head POST {uri}");
    }
    // Without a CSRF token, even the operator is refused.
    let r = op
        .post(&format!("{product}/terbit"), &[("terbit", "1")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing was published by anyone.
    let mut visitor = Client::new(&app);
    assert!(
        !visitor
            .get(&format!("/desa/{v}/produk"))
            .await
            .body
            .contains("Batik")
    );
    assert!(
        !visitor
            .get(&format!("/desa/{v}/wisata"))
            .await
            .body
            .contains("Bukit")
    );
}

#[tokio::test]
async fn odd_requests_to_the_showcase_are_never_a_500() {
    let app = app(1, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let mut visitor = Client::new(&app);
    for uri in [
        format!("/desa/{v}/produk/..%2Fetc"),
        format!("/desa/{v}/produk/TIDAK-ADA"),
        format!("/desa/{v}/wisata/%00"),
        format!("/desa/{v}/foto/produk/x.jpg"),
        format!("/desa/{v}/foto/lain/00000000-0000-0000-0000-000000000000.jpg"),
        format!("/desa/{v}/foto/wisata/00000000-0000-0000-0000-000000000000.png"),
        "/desa/9999999999/produk".to_string(),
        "/desa/33/wisata".to_string(),
    ] {
        let r = visitor.get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {uri}");
        let r = visitor.send(Method::HEAD, &uri, None, Vec::new()).await;
        assert!(r.status.is_client_error(), "HEAD {uri}: {}", r.status);
    }
    for uri in [
        format!("/staf/desa/{v}/produk/bukan-id"),
        format!("/staf/desa/{v}/wisata/00000000-0000-0000-0000-000000000000"),
        format!("/staf/desa/{v}/produk/foto/x.jpg"),
    ] {
        assert_eq!(op.get(&uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let token = op.csrf_of(&format!("/staf/desa/{v}/produk/baru")).await;
    let huge = "9".repeat(400);
    let long = "x".repeat(20_000);
    for fields in [
        vec![
            ("harga", huge.as_str()),
            ("nama", "Madu"),
            ("kategori", "umkm"),
            ("penjual", "Pak Budi"),
        ],
        vec![
            ("nama", long.as_str()),
            ("kategori", "bumdes"),
            ("harga", "1"),
            ("penjual", long.as_str()),
        ],
        vec![
            ("whatsapp", "+62+62+62"),
            ("nama", "\u{0}\u{202e}"),
            ("slug", "--"),
        ],
        vec![
            ("nama", "Madu\u{0}Asli"),
            ("kategori", "umkm"),
            ("harga", "1"),
            ("penjual", "Pak\u{1b}Budi"),
        ],
    ] {
        let mut all = vec![("_csrf", token.as_str())];
        all.extend(fields);
        let r = op.post(&format!("/staf/desa/{v}/produk/baru"), &all).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let r = op
        .post(
            &format!("/staf/desa/{v}/produk/00000000-0000-0000-0000-000000000000/terbit"),
            &[("_csrf", &token), ("terbit", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = op
        .post(
            &format!("/staf/desa/{v}/produk/00000000-0000-0000-0000-000000000000/terbit"),
            &[("_csrf", &token), ("terbit", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = op
        .send(
            Method::POST,
            &format!("/staf/desa/{v}/produk/baru"),
            Some("application/x-www-form-urlencoded"),
            b"_csrf=%ZZ&nama=\xff\xfe".to_vec(),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
}
