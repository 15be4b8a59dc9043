//! The open-data API (`/api/…`) over HTTP: every path of the OpenAPI
//! document answered and every JSON response valid against its schema (no
//! field it does not declare), CSV with the documented header, the DCAT
//! catalogue's every distribution served, ETag/304 and CORS; no NIK, No. KK,
//! sign-up name or telephone in any response; small counts withheld;
//! malformed requests answered 400/404 in JSON, never 500.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode, header};
use balai_domain::KodeWilayah;
use common::{Client, NOW, app, csrf, location};
use serde_json::Value;

const OPENAPI: &str = include_str!("../api/openapi.json");

fn doc() -> Value {
    serde_json::from_str(OPENAPI).unwrap()
}

/// Checks `body` against the schema the document gives `path`'s 200
/// response of `media` (formats checked too); panics with every error.
fn validate(doc: &Value, path: &str, media: &str, body: &Value) {
    let pointer = format!(
        "/paths/{}/get/responses/200/content/{}/schema",
        path.replace('~', "~0").replace('/', "~1"),
        media.replace('/', "~1")
    );
    let schema = doc
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("{path} documents no {media} response"));
    // The whole document as the root, so `#/components/…` references resolve.
    let mut root = doc.clone();
    let obj = root.as_object_mut().unwrap();
    for (k, v) in schema.as_object().unwrap() {
        obj.insert(k.clone(), v.clone());
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{path}: {errors:#?}\n{body:#}");
}

fn has_csv(doc: &Value, path: &str) -> bool {
    let p = format!(
        "/paths/{}/get/responses/200/content/text~1csv",
        path.replace('/', "~1")
    );
    doc.pointer(&p).is_some()
}

/// The documented CSV header of `path`.
fn csv_header(doc: &Value, path: &str) -> String {
    let p = format!(
        "/paths/{}/get/responses/200/content/text~1csv/example",
        path.replace('/', "~1")
    );
    let example = doc.pointer(&p).and_then(Value::as_str).unwrap();
    example.lines().next().unwrap().to_string()
}

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// News, an activity with two sign-ups and a regency service, so every
/// list has something in it.
async fn publish_content(app: &common::App) {
    let v = &app.villages[0];
    let mut op = Client::new(app);
    op.login(&format!("operator.{}", slug(app, 0).await)).await;
    let token = op.csrf_of(&format!("/staf/desa/{v}/berita/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/berita/baru"),
            &[
                ("_csrf", &token),
                ("judul", "Kerja bakti, \"Minggu\" pagi"),
                ("slug", "kerja-bakti"),
                ("isi", "Warga diundang **kerja bakti** di dusun Krajan."),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = location(&made);
    let id = at.rsplit('/').next().unwrap().to_string();
    let token = op.csrf_of(&at).await;
    let r = op
        .post(
            &format!("/staf/desa/{v}/berita/{id}/terbit"),
            &[("_csrf", &token), ("terbit", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The list of public information: a periodic entry and an exempt one.
    for (kategori, judul, dasar, alasan) in [
        ("1", "APBDes 2026", "", ""),
        (
            "4",
            "Data penerima BLT",
            "8",
            "Memuat data pribadi penerima bantuan",
        ),
    ] {
        let token = op
            .csrf_of(&format!("/staf/desa/{v}/informasi-publik/baru"))
            .await;
        let made = op
            .post(
                &format!("/staf/desa/{v}/informasi-publik/baru"),
                &[
                    ("_csrf", token.as_str()),
                    ("judul", judul),
                    ("kategori", kategori),
                    ("dasar", dasar),
                    ("alasan", alasan),
                    ("ringkasan", ""),
                    ("badan", "1"),
                    ("tahun", "2026"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }

    let token = op.csrf_of(&format!("/staf/desa/{v}/agenda/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/agenda/baru"),
            &[
                ("_csrf", &token),
                ("judul", "Posyandu balita"),
                ("tempat", "Balai dusun Krajan"),
                ("tanggal", "2026-11-29"),
                ("mulai", "08:00"),
                ("selesai", "11:00"),
                ("kapasitas", "1"),
                ("uraian", "Penimbangan dan imunisasi."),
                ("pendaftaran", "1"),
                ("terbit", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let aid = location(&made).rsplit('/').next().unwrap().to_string();
    for (i, (name, phone)) in [
        ("Ani Rahayu", "081234567801"),
        ("Budi Santoso", "081234567802"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut visitor = Client::at(app, &format!("203.0.113.{}", 40 + i));
        let uri = format!("/desa/{v}/agenda/{aid}");
        let page = visitor.get(&uri).await;
        let r = visitor
            .post(
                &uri,
                &[
                    ("_csrf", &csrf(&page.body)),
                    ("nama", name),
                    ("kontak", phone),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    // A product and a tourism spot, published.
    for (kind, fields) in [
        (
            "produk",
            vec![
                ("nama", "Keripik Tempe Sri"),
                ("kategori", "umkm"),
                ("harga", "Rp 15.000"),
                ("penjual", "UMKM Sri Rejeki"),
                ("whatsapp", "0812-3456-7890"),
                ("uraian", "Renyah dan gurih."),
            ],
        ),
        (
            "wisata",
            vec![
                ("nama", "Umbul Sari"),
                ("lokasi", "Dusun Krajan"),
                ("uraian", "Mata air jernih."),
                ("lintang", "-7.6094"),
                ("bujur", "110.6356"),
                ("hari", "sab"),
                ("hari", "min"),
                ("buka", "07:00"),
                ("tutup", "17:00"),
                ("tiket_dewasa", "10.000"),
                ("tiket_anak", ""),
            ],
        ),
    ] {
        let new = format!("/staf/desa/{v}/{kind}/baru");
        let token = op.csrf_of(&new).await;
        let mut all = vec![("_csrf", token.as_str())];
        all.extend(fields);
        let made = op.post(&new, &all).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = location(&made);
        let token = op.csrf_of(&at).await;
        let r = op
            .post(
                &format!("{at}/terbit"),
                &[("_csrf", token.as_str()), ("terbit", "1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    let mut admin = Client::new(app);
    admin.login("admin.klaten").await;
    let token = admin.csrf_of("/staf/kabupaten/layanan").await;
    let ok = admin
        .post(
            "/staf/kabupaten/layanan",
            &[
                ("_csrf", token.as_str()),
                ("topik", "kesehatan"),
                ("nama", "Puskesmas Klaten, Tengah"),
                ("keterangan", "Imunisasi dan KIA"),
                ("tempat", "Jl. Pemuda 10"),
                ("jam", "Senin–Sabtu 07.30–14.00"),
                ("kontak", "0272 321000"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

/// Every NIK and No. KK of the villages, as printed anywhere.
async fn identity_numbers(app: &common::App) -> Vec<String> {
    let mut out = Vec::new();
    for v in &app.villages {
        let (families, residents) = app
            .store
            .village_population(KodeWilayah::parse(v).unwrap())
            .await
            .unwrap();
        out.extend(residents.iter().map(|r| r.number.to_string()));
        out.extend(families.iter().map(|f| f.no_kk.to_string()));
    }
    out
}

#[tokio::test]
async fn every_documented_path_answers_as_the_openapi_document_says() {
    let app = app(2, 60).await;
    publish_content(&app).await;
    let doc = doc();
    let v = &app.villages[0];
    let regency = &v[..4];
    let mut c = Client::new(&app);
    // Any dusun the village's figures know.
    let parts = app
        .store
        .stat_parts(KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let dusun = serde_urlencoded::to_string([("d", parts[0].0.as_str())]).unwrap()[2..].to_string();
    let asked: Vec<(&str, String)> = vec![
        ("/api/desa", "/api/desa".into()),
        ("/api/desa/{kode}", format!("/api/desa/{v}")),
        (
            "/api/desa/{kode}/statistik",
            format!("/api/desa/{v}/statistik"),
        ),
        (
            "/api/desa/{kode}/statistik",
            format!("/api/desa/{v}/statistik?dusun={dusun}"),
        ),
        (
            "/api/desa/{kode}/statistik/{slug}",
            format!("/api/desa/{v}/statistik/pekerjaan"),
        ),
        (
            "/api/desa/{kode}/statistik/{slug}",
            format!("/api/desa/{v}/statistik/agama?dusun={dusun}"),
        ),
        ("/api/desa/{kode}/agenda", format!("/api/desa/{v}/agenda")),
        ("/api/desa/{kode}/berita", format!("/api/desa/{v}/berita")),
        ("/api/desa/{kode}/layanan", format!("/api/desa/{v}/layanan")),
        ("/api/desa/{kode}/produk", format!("/api/desa/{v}/produk")),
        ("/api/desa/{kode}/wisata", format!("/api/desa/{v}/wisata")),
        // The demo publishes last year's and this year's budget.
        ("/api/desa/{kode}/apbdes", format!("/api/desa/{v}/apbdes")),
        (
            "/api/desa/{kode}/apbdes/{tahun}",
            format!("/api/desa/{v}/apbdes/{}", NOW.year()),
        ),
        (
            "/api/desa/{kode}/informasi-publik",
            format!("/api/desa/{v}/informasi-publik"),
        ),
        ("/api/kabupaten/{kode}", format!("/api/kabupaten/{regency}")),
    ];
    let mut seen = BTreeSet::new();
    for (path, uri) in &asked {
        seen.insert(path.to_string());
        let r = c.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{uri}");
        assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{uri}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        validate(&doc, path, "application/json", &body);
        // The same as CSV where documented: the header, a line per row.
        if !has_csv(&doc, path) {
            continue;
        }
        let sep = if uri.contains('?') { '&' } else { '?' };
        let r = c.get(&format!("{uri}{sep}format=csv")).await;
        assert_eq!(r.status, StatusCode::OK, "{uri} csv: {}", r.body);
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{uri}"
        );
        assert_eq!(
            r.body.lines().next().unwrap(),
            csv_header(&doc, path),
            "{uri}"
        );
        assert!(r.body.lines().count() > 1, "{uri}: rows in\n{}", r.body);
    }
    for (path, media) in [
        ("/api/dcat.jsonld", "application/ld+json"),
        ("/api/openapi.json", "application/json"),
    ] {
        seen.insert(path.to_string());
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::CONTENT_TYPE], media);
        validate(&doc, path, media, &serde_json::from_str(&r.body).unwrap());
    }
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        seen, documented,
        "every documented path tried, none left out"
    );

    // What the lists hold: the published post, the activity counted (not
    // named), the regency's service.
    let agenda: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{v}/agenda")).await.body).unwrap();
    let a = &agenda["activities"][0];
    assert_eq!(a["title"], "Posyandu balita");
    assert_eq!(
        (a["confirmed"].as_u64(), a["waiting"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(a["seats_left"], 0);
    let news: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{v}/berita")).await.body).unwrap();
    assert_eq!(news["news"][0]["title"], "Kerja bakti, \"Minggu\" pagi");
    let csv = c
        .get(&format!("/api/desa/{v}/berita?format=csv"))
        .await
        .body;
    assert!(
        csv.contains("\"Kerja bakti, \"\"Minggu\"\" pagi\""),
        "{csv}"
    );
    let other = &app.villages[1];
    let none: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{other}/berita")).await.body).unwrap();
    assert_eq!(
        none["news"],
        serde_json::json!([]),
        "another village's news stays its own"
    );
    let services: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{other}/layanan")).await.body).unwrap();
    assert_eq!(services["services"][0]["name"], "Puskesmas Klaten, Tengah");
    // The product and the tourism spot as typed, in their typed forms.
    let products: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{v}/produk")).await.body).unwrap();
    let p = &products["products"][0];
    assert_eq!(
        (&p["name"], &p["category"], &p["price"], &p["whatsapp"]),
        (
            &serde_json::json!("Keripik Tempe Sri"),
            &serde_json::json!("umkm"),
            &serde_json::json!(15000),
            &serde_json::json!("https://wa.me/6281234567890")
        )
    );
    let tourism: Value =
        serde_json::from_str(&c.get(&format!("/api/desa/{v}/wisata")).await.body).unwrap();
    let t = &tourism["tourism"][0];
    assert_eq!(
        t["coordinates"],
        serde_json::json!({ "lat": "-7.6094", "lon": "110.6356" })
    );
    assert_eq!(
        t["hours"],
        serde_json::json!({ "days": ["sab", "min"], "opens": "07:00", "closes": "17:00" })
    );
    assert_eq!(
        t["tickets"],
        serde_json::json!({ "adult": 10000, "child": 0 })
    );
    for kind in ["produk", "wisata"] {
        let none: Value =
            serde_json::from_str(&c.get(&format!("/api/desa/{other}/{kind}")).await.body).unwrap();
        assert_eq!(none.as_object().unwrap().len(), 2, "{none}");
        assert!(
            none.as_object()
                .unwrap()
                .values()
                .any(|x| x == &serde_json::json!([])),
            "another village's {kind} stays its own: {none}"
        );
    }

    // The regency's figures add up to its villages'.
    let r: Value =
        serde_json::from_str(&c.get(&format!("/api/kabupaten/{regency}")).await.body).unwrap();
    let sum: u64 = r["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["population"].as_u64().unwrap())
        .sum();
    assert_eq!(r["population"].as_u64().unwrap(), sum);

    // No identity number, sign-up name or telephone anywhere.
    let numbers = identity_numbers(&app).await;
    assert!(numbers.len() > 100);
    let mut bodies = Vec::new();
    for (path, uri) in &asked {
        bodies.push(c.get(uri).await.body);
        if !has_csv(&doc, path) {
            continue;
        }
        let sep = if uri.contains('?') { '&' } else { '?' };
        bodies.push(c.get(&format!("{uri}{sep}format=csv")).await.body);
    }
    bodies.push(c.get("/api/dcat.jsonld").await.body);
    for body in &bodies {
        for n in &numbers {
            assert!(!body.contains(n.as_str()), "{n} in {body}");
        }
        for secret in [
            "Ani Rahayu",
            "Budi Santoso",
            "081234567801",
            "6281234567802",
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
}

#[tokio::test]
async fn the_dcat_catalogue_lists_each_village_and_every_distribution_is_served() {
    let app = app(2, 30).await;
    let mut c = Client::new(&app);
    let r = c.get("/api/dcat.jsonld").await;
    let cat: Value = serde_json::from_str(&r.body).unwrap();
    let datasets = cat["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 2 * 8, "eight datasets per village");
    let mut ids = BTreeSet::new();
    for d in datasets {
        assert!(
            ids.insert(d["@id"].as_str().unwrap().to_string()),
            "unique ids"
        );
        assert!(
            d["dct:title"]
                .as_str()
                .unwrap()
                .starts_with(|c: char| c.is_uppercase())
        );
        for dist in d["dcat:distribution"].as_array().unwrap() {
            let url = dist["dcat:downloadURL"]["@id"].as_str().unwrap();
            let path = &url[url.find("/api/").unwrap()..];
            let got = c.get(path).await;
            assert_eq!(got.status, StatusCode::OK, "{path}");
            let media = dist["dcat:mediaType"].as_str().unwrap();
            assert!(
                got.headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with(media),
                "{path} is {media}"
            );
        }
    }
}

#[tokio::test]
async fn small_counts_are_withheld_as_on_the_statistics_pages() {
    let app = app(1, 12).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    let t: Value = serde_json::from_str(
        &c.get(&format!("/api/desa/{v}/statistik/pekerjaan"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        t["withheld"], true,
        "12 residents spread over occupations: {t:#}"
    );
    let cells: Vec<&Value> = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| [&r["men"], &r["women"], &r["total"]])
        .collect();
    assert!(cells.iter().any(|c| c.is_null()), "some withheld");
    for c in cells.iter().filter_map(|c| c.as_u64()) {
        assert!(c == 0 || c >= 5, "a shown count is 0 or at least 5: {c}");
    }
    let csv = c
        .get(&format!("/api/desa/{v}/statistik/pekerjaan?format=csv"))
        .await
        .body;
    assert!(csv.contains(",<5\n"), "{csv}");
    // The same figures as the page's own CSV.
    let page_csv = c
        .get(&format!("/desa/{v}/statistik/pekerjaan.csv"))
        .await
        .body;
    assert_eq!(csv, page_csv);
}

#[tokio::test]
async fn a_second_request_with_the_etag_gets_304() {
    let app = app(1, 20).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    for uri in [
        format!("/api/desa/{v}"),
        format!("/api/desa/{v}/statistik/agama"),
        format!("/api/desa/{v}/agenda"),
        "/api/dcat.jsonld".to_string(),
        "/api/openapi.json".to_string(),
    ] {
        let first = c.get(&uri).await;
        let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
        c.extra_headers = vec![("if-none-match".into(), etag)];
        let again = c.send(Method::GET, &uri, None, Vec::new()).await;
        c.extra_headers.clear();
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_never_a_500() {
    let app = app(1, 10).await;
    let v = &app.villages[0];
    let doc = doc();
    let mut c = Client::new(&app);
    let error_schema = doc.pointer("/components/schemas/Error").unwrap().clone();
    for (uri, status) in [
        ("/api/desa/abc".to_string(), StatusCode::NOT_FOUND),
        // A regency's or district's code is not a village.
        (format!("/api/desa/{}", &v[..4]), StatusCode::NOT_FOUND),
        (format!("/api/desa/{}", &v[..6]), StatusCode::NOT_FOUND),
        // BPS numbering (2+2+3+3): not a Kemendagri village code.
        ("/api/desa/3310010001".to_string(), StatusCode::NOT_FOUND),
        ("/api/desa/9999999999".to_string(), StatusCode::NOT_FOUND),
        (
            "/api/desa/9999999999/agenda".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/desa/{v}/statistik/tidak-ada"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/desa/{v}/statistik?dusun=Atlantis"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/desa/{v}/statistik?rw=001"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/desa/{v}/agenda?format=xml"),
            StatusCode::BAD_REQUEST,
        ),
        ("/api/desa?format=pdf".to_string(), StatusCode::BAD_REQUEST),
        (format!("/api/kabupaten/{v}"), StatusCode::NOT_FOUND),
        ("/api/kabupaten/9999".to_string(), StatusCode::NOT_FOUND),
    ] {
        let r = c.get(&uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{uri}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert!(jsonschema::is_valid(&error_schema, &body), "{uri}: {body}");
    }
}
