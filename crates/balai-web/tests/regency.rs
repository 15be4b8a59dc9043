//! The regency network's pages (issue 13) through the router: the regency
//! administrator and the facilitator get 404 on every staff page that shows
//! personal data, see the dashboard, its drill-down down to an RW and its
//! exports; a facilitator's coaching note is answered by the village; a
//! village submits its monthly report and the regency sees who is late;
//! the administrator changes a facilitator's villages. The services' clock
//! is fixed (`common::NOW`, 2026-11-22).

mod common;

use axum::http::{StatusCode, header};
use common::{Client, app, ids, location};

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
async fn the_regency_admin_and_a_facilitator_get_404_on_every_page_with_personal_data() {
    let app = app(2, 120).await;
    let v = &app.villages[0];
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let list = op.get(&format!("/staf/desa/{v}/penduduk")).await;
    let resident = ids(&list.body, "penduduk")[0].clone();
    let family = ids(&list.body, "keluarga")[0].clone();
    let name_of_resident = {
        let page = op.get(&format!("/staf/desa/{v}/penduduk/{resident}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let h1 = page.body.find("<h1>").unwrap() + 4;
        page.body[h1..h1 + page.body[h1..].find('<').unwrap()]
            .trim()
            .to_string()
    };
    let gets = [
        format!("/staf/desa/{v}/penduduk"),
        format!("/staf/desa/{v}/penduduk?q=a"),
        format!("/staf/desa/{v}/penduduk/{resident}"),
        format!("/staf/desa/{v}/penduduk/{resident}/ubah"),
        format!("/staf/desa/{v}/penduduk/{resident}/peristiwa"),
        format!("/staf/desa/{v}/penduduk/{resident}/akses"),
        format!("/staf/desa/{v}/keluarga/{family}"),
        format!("/staf/desa/{v}/keluarga/{family}/lahir"),
        format!("/staf/desa/{v}/keluarga/{family}/anggota"),
        format!("/staf/desa/{v}/keluarga/{family}/pecah"),
        format!("/staf/desa/{v}/keluarga/{family}/kepala"),
        format!("/staf/desa/{v}/pindah-masuk"),
        format!("/staf/desa/{v}/impor"),
        format!("/staf/desa/{v}/ekspor"),
        format!("/staf/desa/{v}/ekspor?format=csv"),
        format!("/staf/desa/{v}/laporan/mutasi"),
        format!("/staf/desa/{v}/laporan/buku-induk"),
        format!("/staf/desa/{v}/laporan/buku-induk?format=xlsx"),
        format!("/staf/desa/{v}/laporan/buku-induk?format=pdf"),
        format!("/staf/desa/{v}/keluarga"),
        format!("/staf/desa/{v}/keluarga/{family}/kk.pdf"),
        format!("/staf/desa/{v}/penduduk/{resident}/biodata.pdf"),
        format!("/staf/desa/{v}/statistik"),
        format!("/staf/desa/{v}/surat"),
        format!("/staf/desa/{v}/surat/baru"),
        format!("/staf/desa/{v}/surat/pengaturan"),
        format!("/staf/desa/{v}/permohonan"),
        format!("/staf/desa/{v}/anjungan"),
    ];
    let posts = [
        format!("/staf/desa/{v}/penduduk/{resident}/ubah"),
        format!("/staf/desa/{v}/penduduk/{resident}/peristiwa"),
        format!("/staf/desa/{v}/penduduk/{resident}/pin"),
        format!("/staf/desa/{v}/keluarga/{family}/lahir"),
        format!("/staf/desa/{v}/pindah-masuk"),
        format!("/staf/desa/{v}/surat/baru"),
        format!("/staf/desa/{v}/surat/pengaturan"),
        format!("/staf/desa/{v}/anjungan"),
        format!("/staf/desa/{v}/laporan/mutasi/kirim"),
        format!("/staf/desa/{v}/catatan/{resident}/jawab"),
    ];
    for who in ["admin.klaten", "pendamping.klaten"] {
        let mut c = Client::new(&app);
        c.login(who).await;
        let token = c.csrf_of("/staf/kabupaten").await;
        for url in &gets {
            let r = c.get(url).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} GET {url}");
        }
        let before = app.store.change_count().await.unwrap();
        for url in &posts {
            let r = c
                .post(
                    url,
                    &[
                        ("_csrf", &token),
                        ("tanggal", "2026-11-01"),
                        ("nama", "X"),
                        ("tahun", "2026"),
                        ("bulan", "10"),
                        ("jawaban", "x"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} POST {url}");
        }
        assert_eq!(app.store.change_count().await.unwrap(), before, "{who}");
        // The village office's start page sends them to the village's figures.
        let r = c.get(&format!("/staf/desa/{v}")).await;
        assert!(r.status.is_redirection(), "{who}: {}", r.status);
        assert_eq!(location(&r), format!("/staf/wilayah/{v}"));
        // The pages they do see show no one's data.
        for url in [
            "/staf/kabupaten".to_string(),
            format!("/staf/wilayah/{v}"),
            format!("/staf/desa/{v}/catatan"),
            "/staf/kabupaten/laporan".to_string(),
            "/staf/kabupaten?format=csv".to_string(),
        ] {
            let r = c.get(&url).await;
            assert_eq!(r.status, StatusCode::OK, "{who} GET {url}");
            assert!(no_identity_numbers(&r.body), "{who} GET {url}");
            assert!(!r.body.contains(&name_of_resident), "{who} GET {url}");
        }
    }
    // A village operator has no regency dashboard.
    assert_eq!(
        op.get("/staf/kabupaten").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        op.get("/staf/kabupaten/laporan").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_dashboard_drills_down_to_an_rw_exports_and_names_bad_parameters() {
    let app = app(2, 150).await;
    let mut c = Client::new(&app);
    c.login("admin.klaten").await;
    let home = c.get("/staf").await;
    assert!(home.body.contains("/staf/kabupaten"), "{}", home.body);
    let d = c.get("/staf/kabupaten").await;
    assert_eq!(d.status, StatusCode::OK);
    let summaries = app.store.village_summaries(None).await.unwrap();
    let total: i64 = summaries.iter().map(|s| s.population).sum();
    for s in &summaries {
        assert!(d.body.contains(&s.village.name));
    }
    assert!(d.body.contains("<svg"), "the dot map is drawn");
    let thousands = |n: i64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(ch);
        }
        out
    };
    assert!(
        d.body
            .contains(&format!("id=\"total-penduduk\">{}<", thousands(total))),
        "regency total {total}"
    );
    // Sorted by residents, largest first; filtered by name.
    let sorted = c.get("/staf/kabupaten?urut=penduduk&arah=turun").await;
    assert_eq!(sorted.status, StatusCode::OK);
    let mut by_pop = summaries.clone();
    by_pop.sort_by_key(|s| -s.population);
    let first = sorted.body.find(&by_pop[0].village.name).unwrap();
    let second = sorted.body.rfind(&by_pop[1].village.name).unwrap();
    assert!(first < second);
    let one = &summaries[1].village.name;
    let filtered = c
        .get(&format!("/staf/kabupaten?cari={}", one.to_lowercase()))
        .await;
    assert!(
        !filtered
            .body
            .contains(&format!(">{}</a>", summaries[0].village.name))
    );
    // CSV: a header and one line per village, as an attachment.
    let csv = c.get("/staf/kabupaten?format=csv&urut=nama").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(csv.body.lines().count(), 1 + summaries.len());
    assert!(csv.body.starts_with("kode_desa,desa,kode_kecamatan"));
    let xlsx = c.get("/staf/kabupaten?format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    // Bad parameters: a clear message, never a 500.
    for (url, says) in [
        ("/staf/kabupaten?urut=gaji", "gaji"),
        ("/staf/kabupaten?kecamatan=abc", "kecamatan"),
        ("/staf/kabupaten?kelengkapan_di_bawah=-3", "0–100"),
        ("/staf/kabupaten?format=pdf", "csv"),
        ("/staf/kabupaten/laporan?tahun=2026&bulan=13", "13"),
    ] {
        let r = c.get(url).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{url}");
        assert!(r.body.contains(says), "{url}: {}", r.body);
    }
    for url in [
        "/staf/kabupaten/kecamatan/abc",
        "/staf/kabupaten/kecamatan/331101",
        "/staf/wilayah/3311012001",
        "/staf/wilayah/xyz/dusun/a",
    ] {
        assert_eq!(c.get(url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    // Drill-down: regency → district → village → dusun → RW.
    let v = summaries[0].village.kode;
    let district = v.ancestor(balai_domain::RegionLevel::District).unwrap();
    let dp = c
        .get(&format!("/staf/kabupaten/kecamatan/{}", district.plain()))
        .await;
    assert_eq!(dp.status, StatusCode::OK);
    // Links built from data are escaped by the template engine ('/' as &#x2f;).
    let dp = dp.body.replace("&#x2f;", "/");
    assert!(dp.contains(&format!("/staf/wilayah/{}", v.plain())), "{dp}");
    let vp = c.get(&format!("/staf/wilayah/{}", v.plain())).await;
    assert_eq!(vp.status, StatusCode::OK);
    assert!(
        vp.body.contains(&format!(
            "id=\"total-penduduk\">{}<",
            thousands(summaries[0].population)
        )),
        "village total"
    );
    let marker = format!("/staf/wilayah/{}/dusun/", v.plain());
    let vp = vp.body.replace("&#x2f;", "/");
    let i = vp.find(&marker).expect("a dusun link");
    let dusun_url: String = vp[i..].chars().take_while(|c| *c != '"').collect();
    let dusun = c.get(&dusun_url).await;
    assert_eq!(dusun.status, StatusCode::OK, "{dusun_url}");
    let dusun = dusun.body.replace("&#x2f;", "/");
    let i = dusun.find("/rw/").expect("an RW link");
    let start = dusun[..i].rfind('"').unwrap() + 1;
    let rw_url: String = dusun[start..].chars().take_while(|c| *c != '"').collect();
    let rw = c.get(&rw_url).await;
    assert_eq!(rw.status, StatusCode::OK, "{rw_url}");
    assert!(rw.body.contains("RW "));
}

#[tokio::test]
async fn a_facilitators_note_is_seen_and_answered_by_the_village() {
    let app = app(2, 100).await;
    let v = &app.villages[0];
    let mut f = Client::new(&app);
    f.login("pendamping.klaten").await;
    let notes_url = format!("/staf/desa/{v}/catatan");
    let token = f.csrf_of(&notes_url).await;
    // Bad input: the form again, each problem named.
    let bad = f
        .post(
            &notes_url,
            &[
                ("_csrf", &token),
                ("tanggal", "2026-12-31"),
                ("catatan", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("sesudah hari ini"), "{}", bad.body);
    assert!(bad.body.contains("catatan wajib diisi"));
    let ok = f
        .post(
            &notes_url,
            &[
                ("_csrf", &token),
                ("tanggal", "2026-11-20"),
                ("catatan", "Isian golongan darah banyak yang kosong."),
                (
                    "tindak_lanjut",
                    "Pendataan ulang di Dusun 1\nLaporkan bulan depan",
                ),
            ],
        )
        .await;
    assert!(ok.status.is_redirection(), "{}", ok.body);
    // The village sees it on its dashboard and answers it.
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let dash = op.get(&format!("/staf/desa/{v}")).await;
    assert!(
        dash.body
            .contains("Isian golongan darah banyak yang kosong.")
    );
    let page = op.get(&notes_url).await;
    let note = ids(&page.body, "catatan")[0].clone();
    let token_op = common::csrf(&page.body);
    // An operator does not write notes.
    let r = op
        .post(
            &notes_url,
            &[
                ("_csrf", &token_op),
                ("tanggal", "2026-11-20"),
                ("catatan", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let empty = op
        .post(
            &format!("{notes_url}/{note}/jawab"),
            &[("_csrf", &token_op), ("jawaban", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("jawaban wajib diisi"));
    let answered = op
        .post(
            &format!("{notes_url}/{note}/jawab"),
            &[
                ("_csrf", &token_op),
                ("jawaban", "Pendataan ulang mulai Senin."),
            ],
        )
        .await;
    assert!(answered.status.is_redirection());
    // The facilitator sees the answer; the other village's operator sees nothing of it.
    let seen = f.get(&notes_url).await;
    assert!(seen.body.contains("Pendataan ulang mulai Senin."));
    assert!(seen.body.contains("Laporkan bulan depan"));
    let mut other = Client::new(&app);
    other
        .login(&format!("operator.{}", slug(&app, 1).await))
        .await;
    assert_eq!(other.get(&notes_url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_village_submits_its_report_and_the_regency_sees_who_is_late() {
    let app = app(2, 100).await;
    let v = &app.villages[0];
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    let page = op
        .get(&format!(
            "/staf/desa/{v}/laporan/mutasi?tahun=2026&bulan=10"
        ))
        .await;
    assert!(page.body.contains("kirim-laporan"), "{}", page.body);
    let token = common::csrf(&page.body);
    let url = format!("/staf/desa/{v}/laporan/mutasi/kirim");
    // The running month cannot be submitted yet; a bad month is named.
    for (y, m, says) in [
        ("2026", "11", "berakhir"),
        ("2026", "0", "bulan 0"),
        ("x", "1", "tahun"),
    ] {
        let r = op
            .post(&url, &[("_csrf", &token), ("tahun", y), ("bulan", m)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{y}-{m}");
        assert!(r.body.contains(says), "{y}-{m}: {}", r.body);
    }
    let r = op
        .post(
            &url,
            &[("_csrf", &token), ("tahun", "2026"), ("bulan", "10")],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let again = op
        .post(
            &url,
            &[("_csrf", &token), ("tahun", "2026"), ("bulan", "10")],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    // Default: last month (October 2026), due 10 November, so both are late.
    let roll = admin.get("/staf/kabupaten/laporan").await;
    assert_eq!(roll.status, StatusCode::OK);
    assert!(
        roll.body
            .contains(&format!("operator.{}", slug(&app, 0).await))
    );
    assert!(roll.body.contains("Terkirim terlambat"));
    assert!(roll.body.contains("Terlambat, belum dikirim"));
}

#[tokio::test]
async fn the_regency_admin_changes_a_facilitators_villages() {
    let app = app(2, 80).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let f_id = app
        .store
        .account_by_username("pendamping.klaten")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    let page = admin.get(&format!("/staf/pengguna/{f_id}")).await;
    assert!(page.body.contains("desa-dampingan"), "{}", page.body);
    let token = common::csrf(&page.body);
    let url = format!("/staf/pengguna/{f_id}/desa");
    let bad = admin
        .post(&url, &[("_csrf", &token), ("villages", "3311012001")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("tidak berada di"), "{}", bad.body);
    let none = admin.post(&url, &[("_csrf", &token)]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    let ok = admin
        .post(&url, &[("_csrf", &token), ("villages", a)])
        .await;
    assert!(ok.status.is_redirection(), "{}", ok.body);
    let mut f = Client::new(&app);
    f.login("pendamping.klaten").await;
    let d = f.get("/staf/kabupaten").await;
    assert!(d.body.contains(&format!("/staf/wilayah/{a}")));
    assert!(!d.body.contains(&format!("/staf/wilayah/{b}")));
    assert_eq!(
        f.get(&format!("/staf/wilayah/{b}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.get(&format!("/staf/wilayah/{a}")).await.status,
        StatusCode::OK
    );
}
