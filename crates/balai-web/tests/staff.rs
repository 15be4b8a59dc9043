//! The staff app end to end through the router: login, CSRF, tenant
//! isolation, registry forms, search, import and reports.

mod common;

use axum::http::StatusCode;
use common::{Client, app, csrf, ids, location};

#[tokio::test]
async fn login_needs_the_right_password_and_a_csrf_token() {
    let app = app(1, 120).await;
    let mut c = Client::new(&app);
    assert_eq!(
        location(&c.get("/staf").await),
        "/masuk",
        "staff pages send strangers to the login"
    );
    let page = c.get("/masuk").await;
    let token = csrf(&page.body);
    let wrong = c
        .post(
            "/masuk",
            &[
                ("_csrf", &token),
                ("username", "admin.klaten"),
                ("password", "nope"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let token = csrf(&wrong.body);
    let unknown = c
        .post(
            "/masuk",
            &[
                ("_csrf", &token),
                ("username", "nobody"),
                ("password", "nope"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = |b: &str| {
        b[b.find("role=\"alert\">").unwrap()..]
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        message(&wrong.body),
        message(&unknown.body),
        "unknown user and wrong password look the same"
    );
    // A login form without its CSRF token is a 403, never a 500.
    let forged = c
        .post("/masuk", &[("username", "admin.klaten"), ("password", "x")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("CSRF"));
    let ok = c.login("admin.klaten").await;
    assert_eq!(location(&ok), "/staf");
    let home = c.get("/staf").await;
    assert!(
        home.body.contains(&app.villages[0][..4]) || home.body.contains("Sengon"),
        "{}",
        home.body
    );
    // Logging out ends the session.
    let token = csrf(&home.body);
    c.post("/keluar", &[("_csrf", &token)]).await;
    assert_eq!(location(&c.get("/staf").await), "/masuk");
}

#[tokio::test]
async fn an_operator_gets_404_for_every_url_of_another_village() {
    let app = app(2, 150).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    // Ids of village B, collected by its own operator.
    let mut op_b = Client::new(&app);
    op_b.login(&format!("operator.{}", slug(&app, 1).await))
        .await;
    let list = op_b.get(&format!("/staf/desa/{b}/penduduk")).await;
    let resident = ids(&list.body, "penduduk")[0].clone();
    let family = ids(&list.body, "keluarga")[0].clone();
    let mut op_a = Client::new(&app);
    op_a.login(&format!("operator.{}", slug(&app, 0).await))
        .await;
    assert_eq!(
        op_a.get(&format!("/staf/desa/{a}/penduduk")).await.status,
        StatusCode::OK
    );
    let token = op_a.csrf_of(&format!("/staf/desa/{a}")).await;
    let urls = [
        format!("/staf/desa/{b}"),
        format!("/staf/desa/{b}/penduduk"),
        format!("/staf/desa/{b}/penduduk/{resident}"),
        format!("/staf/desa/{b}/penduduk/{resident}/ubah"),
        format!("/staf/desa/{b}/penduduk/{resident}/peristiwa"),
        format!("/staf/desa/{b}/penduduk/{resident}/akses"),
        format!("/staf/desa/{b}/keluarga/{family}"),
        format!("/staf/desa/{b}/keluarga/{family}/lahir"),
        format!("/staf/desa/{b}/keluarga/{family}/anggota"),
        format!("/staf/desa/{b}/keluarga/{family}/pecah"),
        format!("/staf/desa/{b}/keluarga/{family}/kepala"),
        format!("/staf/desa/{b}/pindah-masuk"),
        format!("/staf/desa/{b}/impor"),
        format!("/staf/desa/{b}/ekspor"),
        format!("/staf/desa/{b}/laporan/mutasi"),
        format!("/staf/desa/{b}/laporan/buku-induk"),
        format!("/staf/desa/{b}/keluarga"),
        format!("/staf/desa/{b}/keluarga/{family}/kk.pdf"),
        format!("/staf/desa/{b}/penduduk/{resident}/biodata.pdf"),
        format!("/staf/desa/{b}/laporan/mutasi/dusun"),
        // Village A's URL with B's ids: still not found.
        format!("/staf/desa/{a}/penduduk/{resident}"),
        format!("/staf/desa/{a}/keluarga/{family}"),
    ];
    for url in &urls {
        assert_eq!(
            op_a.get(url).await.status,
            StatusCode::NOT_FOUND,
            "GET {url}"
        );
    }
    let before = app.store.change_count().await.unwrap();
    for url in urls.iter().filter(|u| {
        u.contains("/ubah")
            || u.contains("/peristiwa")
            || u.contains("/lahir")
            || u.contains("/pindah-masuk")
    }) {
        let r = op_a
            .post(
                url,
                &[
                    ("_csrf", &token),
                    ("peristiwa", "2"),
                    ("tanggal", "2026-11-01"),
                    ("nama", "X"),
                    ("alasan", "coba coba"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {url}");
    }
    assert_eq!(
        app.store.change_count().await.unwrap(),
        before,
        "nothing of B was written"
    );
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

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused_with_a_403() {
    let app = app(1, 120).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = c.get(&format!("/staf/desa/{v}/penduduk")).await;
    let r = ids(&list.body, "penduduk")[0].clone();
    let url = format!("/staf/desa/{v}/penduduk/{r}/peristiwa");
    for fields in [
        vec![("peristiwa", "6"), ("tanggal", "2026-11-01")],
        vec![
            ("_csrf", "forged"),
            ("peristiwa", "6"),
            ("tanggal", "2026-11-01"),
        ],
    ] {
        let res = c.post(&url, &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.body.contains("token CSRF"));
    }
}

#[tokio::test]
async fn search_finds_by_nik_prefix_and_by_name_ignoring_case_and_accents() {
    let app = app(1, 300).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let (_, residents) = app
        .store
        .village_population(balai_domain::KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let someone = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let nik = someone.number.to_string();
    let page = c
        .get(&format!("/staf/desa/{v}/penduduk?q={}", &nik[..12]))
        .await;
    assert!(
        page.body.contains(someone.name.as_str()),
        "NIK prefix search"
    );
    let page = c.get(&format!("/staf/desa/{v}/penduduk?q={nik}")).await;
    assert_eq!(ids(&page.body, "penduduk"), vec![someone.id.to_string()]);
    let words: Vec<&str> = someone.name.as_str().split(' ').collect();
    let last = words.last().unwrap().to_lowercase();
    let accented = last.replacen('a', "á", 1);
    let page = c
        .get(&format!(
            "/staf/desa/{v}/penduduk?q={}",
            urlencode(&accented[..accented.len().min(6)])
        ))
        .await;
    assert!(
        page.body.contains(someone.name.as_str()),
        "partial, lowercase, accented name search for {accented}"
    );
    // Filters compose: the same person among the women or men of their age.
    let age =
        balai_domain::resident::age_on(someone.birth_date, time::macros::date!(2026 - 11 - 22));
    let page = c
        .get(&format!(
            "/staf/desa/{v}/penduduk?q={nik}&sex={}&umur_min={age}&umur_max={age}",
            someone.sex.code()
        ))
        .await;
    assert_eq!(ids(&page.body, "penduduk").len(), 1);
    let page = c
        .get(&format!(
            "/staf/desa/{v}/penduduk?q={nik}&umur_min={}",
            age + 1
        ))
        .await;
    assert!(ids(&page.body, "penduduk").is_empty());
    // Viewing the detail is logged.
    c.get(&format!("/staf/desa/{v}/penduduk/{}", someone.id))
        .await;
    assert!(
        !app.store
            .accesses_of(balai_domain::KodeWilayah::parse(v).unwrap(), someone.id)
            .await
            .unwrap()
            .is_empty()
    );
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn a_wrong_correction_redisplays_every_error_and_keeps_the_input() {
    let app = app(1, 120).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = c.get(&format!("/staf/desa/{v}/penduduk")).await;
    let r = ids(&list.body, "penduduk")[0].clone();
    let url = format!("/staf/desa/{v}/penduduk/{r}/ubah");
    let token = c.csrf_of(&url).await;
    let res = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("nama", "Budi<>"),
                ("tanggal_lahir", "31-02-1990"),
                ("sex", "1"),
                ("tempat_lahir", "KLATEN"),
                ("alasan", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "tidak boleh ada dalam nama",
        "tidak ada di kalender",
        "wajib dipilih",
        "alasan perbaikan",
    ] {
        assert!(res.body.contains(msg), "missing {msg:?}");
    }
    assert!(
        res.body.contains("value=\"Budi&lt;&gt;\""),
        "what was typed comes back, escaped"
    );
}

#[tokio::test]
async fn recording_a_birth_through_the_form_shows_the_child() {
    let app = app(1, 200).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = c.get(&format!("/staf/desa/{v}/penduduk?status=1")).await;
    let family = ids(&list.body, "keluarga")[0].clone();
    let url = format!("/staf/desa/{v}/keluarga/{family}/lahir");
    let token = c.csrf_of(&url).await;
    let res = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("nama", "Putri Anjani"),
                ("sex", "2"),
                ("tempat_lahir", "Klaten"),
                ("tanggal_lahir", "2026-11-15"),
                ("agama", "1"),
                ("pendidikan", "1"),
                ("pekerjaan", "1"),
                ("status_kawin", "1"),
                ("hubungan", "4"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let child = c.get(&location(&res)).await;
    assert!(
        child.body.contains("Putri Anjani") && child.body.contains("LAHIR"),
        "{}",
        child.body
    );
    let mutation = c
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi?tahun=2026&bulan=11"
        ))
        .await;
    assert!(mutation.body.contains("✓"), "the month reconciles");
}

#[tokio::test]
async fn uploading_workbooks_reports_every_bad_row_or_imports_all() {
    let app = app(1, 50).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let url = format!("/staf/desa/{v}/impor");
    let token = c.csrf_of(&url).await;
    let before = app.store.change_count().await.unwrap();
    // Not a workbook at all.
    let status = upload(&mut c, &url, &token, b"hello, I am a text file".to_vec()).await;
    assert!(status.contains("bukan workbook"), "{status}");
    // A workbook with two bad rows: both reported, nothing written.
    let bad = workbook(&[
        [
            "MANGSIT",
            "001",
            "002",
            "ANI",
            "5201140104126994",
            "5201145003976995",
            "2",
            "1996-03-10",
            "1",
            "4",
            "2",
            "2",
            "1",
        ],
        [
            "MANGSIT",
            "001",
            "002",
            "BUDI",
            "5201140104126994",
            "52011450039769",
            "1",
            "1970-05-20",
            "1",
            "3",
            "26",
            "2",
            "1",
        ],
        [
            "MANGSIT",
            "001",
            "002",
            "CICI",
            "5201140104126994",
            "5201145003976997",
            "2",
            "1999-01-01",
            "99",
            "3",
            "26",
            "1",
            "4",
        ],
    ]);
    let status = upload(&mut c, &url, &token, bad).await;
    assert!(
        status.contains("<td>3</td>") && status.contains("<td>4</td>"),
        "rows 3 and 4 reported: {status}"
    );
    assert_eq!(
        app.store.change_count().await.unwrap(),
        before,
        "nothing written"
    );
    // The real OpenSID sample: 97 residents in 37 families.
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/opensid/contoh_penduduk.xlsx"
    ))
    .unwrap();
    let status = upload(&mut c, &url, &token, sample.clone()).await;
    assert!(
        status.contains("97 penduduk baru") && status.contains("37 keluarga baru"),
        "{status}"
    );
    // Importing it again updates instead of duplicating.
    let status = upload(&mut c, &url, &token, sample).await;
    assert!(status.contains("0 penduduk baru"), "{status}");
}

async fn upload(c: &mut Client, url: &str, token: &str, file: Vec<u8>) -> String {
    let boundary = "XbalaiX";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"data.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let res = c
        .send(
            axum::http::Method::POST,
            url,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let status_url = location(&res);
    for _ in 0..200 {
        let page = c.get(&status_url).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("import did not finish");
}

/// A small workbook in the OpenSID layout: alamat-less rows of dusun, rw, rt, nama, no_kk, nik, sex, tanggallahir, agama, pendidikan, pekerjaan, status_kawin, kk_level.
fn workbook(rows: &[[&str; 13]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "dusun",
        "rw",
        "rt",
        "nama",
        "no_kk",
        "nik",
        "sex",
        "tanggallahir",
        "agama_id",
        "pendidikan_kk_id",
        "pekerjaan_id",
        "status_kawin",
        "kk_level",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_a_clear_message_and_nothing_written() {
    let app = app(1, 50).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let url = format!("/staf/desa/{v}/impor");
    let token = c.csrf_of(&url).await;
    let before = app.store.change_count().await.unwrap();
    let boundary = "XbalaiX";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"besar.xlsx\"\r\n\r\n").into_bytes();
    body.extend(std::iter::repeat_n(b'A', 52 << 20));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let res = c
        .send(
            axum::http::Method::POST,
            &url,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert!(res.body.contains("terlalu besar"), "{}", res.body);
    assert_eq!(app.store.change_count().await.unwrap(), before);
}

#[tokio::test]
async fn reports_and_exports_download_as_real_workbooks() {
    let app = app(1, 150).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    for url in [
        format!("/staf/desa/{v}/ekspor"),
        format!("/staf/desa/{v}/laporan/mutasi?tahun=2026&bulan=10&format=xlsx"),
        format!("/staf/desa/{v}/laporan/buku-induk?format=xlsx"),
    ] {
        let res = c.get(&url).await;
        assert_eq!(res.status, StatusCode::OK, "{url}");
        assert!(
            res.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml"),
            "{url}"
        );
        assert!(
            res.bytes.starts_with(b"PK\x03\x04"),
            "{url} is a zip (xlsx)"
        );
        assert!(
            res.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{url}"
        );
    }
    let csv = c.get(&format!("/staf/desa/{v}/ekspor?format=csv")).await;
    assert!(
        csv.body.starts_with("alamat,dusun,rw,rt,nama,no_kk,nik"),
        "{}",
        &csv.body[..80]
    );
    let induk = c.get(&format!("/staf/desa/{v}/laporan/buku-induk")).await;
    assert!(induk.body.contains("<td>1</td>"), "numbered rows");
}

/// The cached home page, the dashboard and the statistics page show the same
/// kept figures, and a registry change shows on all of them at once.
#[tokio::test]
async fn home_dashboard_and_statistics_page_follow_a_departure_at_once() {
    let app = app(1, 150).await;
    let v = &app.villages[0];
    let mut c = Client::new(&app);
    let count = |body: &str, n: i64| {
        let dotted = {
            let d = n.to_string();
            let mut out = String::new();
            for (i, ch) in d.chars().enumerate() {
                if i > 0 && (d.len() - i).is_multiple_of(3) {
                    out.push('.');
                }
                out.push(ch);
            }
            out
        };
        body.contains(&format!(">{dotted}<")) || body.contains(&format!(" {dotted} "))
    };
    let before = app.store.village_summaries(None).await.unwrap()[0].population;
    let home = c.get("/").await;
    assert!(count(&home.body, before), "home shows {before}");
    assert!(
        count(&c.get("/").await.body, before),
        "cached home shows {before}"
    );
    c.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let stats = c.get(&format!("/staf/desa/{v}/statistik")).await;
    assert_eq!(stats.status, StatusCode::OK);
    for slug in [
        "rentang-umur",
        "kategori-umur",
        "pendidikan-dalam-kk",
        "agama",
        "golongan-darah",
    ] {
        assert!(
            stats.body.contains(&format!("id=\"{slug}\"")),
            "{slug} table missing"
        );
    }
    assert!(stats.body.contains("BELUM MENGISI") && stats.body.contains("TOTAL"));
    assert!(count(&stats.body, before), "statistics page shows {before}");
    // A filter by RT that does not exist shows zeros, never an error.
    let none = c
        .get(&format!(
            "/staf/desa/{v}/statistik?dusun=TIDAK%20ADA&rw=9&rt=9"
        ))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    let bad = c
        .get(&format!("/staf/desa/{v}/statistik?dusun=X&rt=1"))
        .await;
    assert_ne!(bad.status, StatusCode::INTERNAL_SERVER_ERROR);

    let list = c.get(&format!("/staf/desa/{v}/penduduk")).await;
    let (_, residents) = app
        .store
        .village_population(balai_domain::KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let leaving = ids(&list.body, "penduduk")
        .into_iter()
        .find(|id| {
            residents.iter().any(|r| {
                r.id.to_string() == *id
                    && r.status == balai_domain::codes::StatusDasar::Hidup
                    && r.relationship != balai_domain::codes::Shdk::KepalaKeluarga
            })
        })
        .unwrap();
    let url = format!("/staf/desa/{v}/penduduk/{leaving}/peristiwa");
    let token = c.csrf_of(&url).await;
    // Malformed fields are field errors on the re-rendered form, every one
    // at once, and nothing changes.
    let bad = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "9"),
                ("tanggal", "kemarin"),
                ("kepala_baru", "bukan-pilihan"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("pilih mati, pindah keluar") && bad.body.contains("bukan tanggal"),
        "{}",
        bad.body
    );
    assert!(count(&c.get("/").await.body, before), "nothing written");
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "6"),
                ("tanggal", "2026-11-20"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let after = before - 1;
    assert!(
        count(&c.get("/").await.body, after),
        "home shows {after} at once"
    );
    assert!(count(&c.get(&format!("/staf/desa/{v}")).await.body, after));
    assert!(count(
        &c.get(&format!("/staf/desa/{v}/statistik")).await.body,
        after
    ));
}

/// Regression (issue 9): after the head's death, the family card listed the
/// departed head as KEPALA KELUARGA beside the new one. Former members are
/// now listed apart, and the current members show exactly one head.
#[tokio::test]
async fn a_family_card_after_the_heads_death_shows_one_head_and_the_deceased_apart() {
    use balai_domain::codes::{Shdk, StatusDasar};
    let app = app(1, 60).await;
    let v = &app.villages[0];
    let kode = balai_domain::KodeWilayah::parse(v).unwrap();
    let (families, residents) = app.store.village_population(kode).await.unwrap();
    // A family with a living head and another living adult member.
    let (family, head, heir) = families
        .iter()
        .find_map(|f| {
            let living: Vec<_> = residents
                .iter()
                .filter(|r| r.family_id == Some(f.id) && r.status == StatusDasar::Hidup)
                .collect();
            let head = living
                .iter()
                .find(|r| r.relationship == Shdk::KepalaKeluarga)?;
            let heir = living.iter().find(|r| r.relationship == Shdk::Istri)?;
            Some((f.id, head.id, heir.id))
        })
        .expect("a family with a head and a wife");
    let slug: String = app.store.village_summaries(None).await.unwrap()[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut c = Client::new(&app);
    c.login(&format!("operator.{slug}")).await;
    let url = format!("/staf/desa/{v}/penduduk/{head}/peristiwa");
    let token = c.csrf_of(&url).await;
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "2"),
                ("tanggal", "2026-11-20"),
                ("jam", "04:30"),
                ("tempat", "Rumah duka"),
                ("sebab", "3"),
                ("penerang", "3"),
                ("pelapor_nama", "Sri Lestari"),
                ("kepala_baru", &heir.to_string()),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let card = c.get(&format!("/staf/desa/{v}/keluarga/{family}")).await;
    assert_eq!(card.status, StatusCode::OK);
    let current = &card.body[card.body.find("id=\"anggota\"").unwrap()..];
    let current = &current[..current.find("</table>").unwrap()];
    assert_eq!(current.matches("KEPALA KELUARGA").count(), 1, "{current}");
    assert!(current.contains(&heir.to_string()) && !current.contains(&head.to_string()));
    let former = &card.body[card
        .body
        .find("id=\"anggota-lama\"")
        .expect("former members apart")..];
    assert!(former.contains(&head.to_string()));
}
