//! Regression tests for small defects found in review: staff list queries
//! that panicked, residents' forms with extra or repeated fields, and the
//! revocation reason on the public page.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::letter_request::{RequestChannel, RequestStatus};
use balai_store::{NewLetterRequest, WriteContext};
use common::{App, Client, app, csrf};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

async fn admin(app: &App) -> Client {
    let mut c = Client::new(app);
    let r = c.login("admin.klaten").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c
}

/// The operator of village 0: the staff member who sees its residents (the
/// regency administrator sees aggregates only, issue 13).
async fn operator(app: &App) -> Client {
    let s = app.store.village_summaries(None).await.unwrap();
    let slug: String = s[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut c = Client::new(app);
    let r = c.login(&format!("operator.{slug}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c
}

#[tokio::test]
async fn age_filter_of_12100_panicked_regression_any_age_is_answered() {
    let app = app(1, 60).await;
    let v = app.villages[0].clone();
    let mut c = operator(&app).await;
    for q in [
        "umur_min=12100",
        "umur_max=12100",
        "umur_min=65535",
        "umur_max=65535",
        "umur_min=65535&umur_max=65535",
        "umur_min=0&umur_max=65535",
        "umur_min=-1",
        "hal=4294967295",
        "hal=18446744073709551616",
    ] {
        let r = c.get(&format!("/staf/desa/{v}/penduduk?{q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
    }
    // An age nobody reaches finds nobody; an upper bound nobody reaches finds everyone.
    let none = c
        .get(&format!("/staf/desa/{v}/penduduk?umur_min=12100"))
        .await;
    let all = c
        .get(&format!("/staf/desa/{v}/penduduk?umur_max=12100"))
        .await;
    let plain = c.get(&format!("/staf/desa/{v}/penduduk")).await;
    assert!(common::ids(&none.body, "penduduk").is_empty());
    assert_eq!(
        common::ids(&all.body, "penduduk"),
        common::ids(&plain.body, "penduduk")
    );
}

/// Values that have broken parsers before: numbers at and past every
/// integer width, signs, odd Unicode, empties.
fn odd_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..200_000).prop_map(|n| n.to_string()),
        Just("65535".to_string()),
        Just("12100".to_string()),
        Just("340282366920938463463374607431768211456".to_string()),
        Just("-0".to_string()),
        Just("1e9".to_string()),
        Just("xlsx".to_string()),
        Just("csv".to_string()),
        Just("pdf".to_string()),
        Just("2026-13".to_string()),
        Just("semua".to_string()),
        "\\PC{0,12}",
        ".{0,4}",
    ]
}

fn odd_query() -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![
        Just("q"),
        Just("dusun"),
        Just("rw"),
        Just("rt"),
        Just("sex"),
        Just("umur_min"),
        Just("umur_max"),
        Just("status"),
        Just("pendidikan"),
        Just("pekerjaan"),
        Just("agama"),
        Just("kawin"),
        Just("hal"),
        Just("tahun"),
        Just("bulan"),
        Just("periode"),
        Just("format"),
        Just("jenis"),
        Just("nik"),
        Just("keluarga"),
        Just("zzz"),
    ]
    .prop_map(str::to_string);
    proptest::collection::vec((key, odd_value()), 0..5)
}

#[test]
fn every_staff_list_survives_any_query_string() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, c, lists) = rt.block_on(async {
        let app = app(1, 60).await;
        let v = app.villages[0].clone();
        let c = (operator(&app).await, admin(&app).await);
        let scope = &v[..4];
        let lists = vec![
            "/staf".to_string(),
            // The regency's pages (asked by its administrator, below).
            "/staf/kabupaten".to_string(),
            "/staf/kabupaten/laporan".to_string(),
            format!("/staf/kabupaten/kecamatan/{}", &v[..6]),
            format!("/staf/wilayah/{v}"),
            format!("/staf/desa/{v}/catatan"),
            format!("/staf/desa/{v}"),
            format!("/staf/desa/{v}/penduduk"),
            format!("/staf/desa/{v}/surat"),
            format!("/staf/desa/{v}/surat/baru"),
            format!("/staf/desa/{v}/permohonan"),
            format!("/staf/desa/{v}/laporan/mutasi"),
            format!("/staf/desa/{v}/laporan/buku-induk"),
            format!("/staf/desa/{v}/keluarga"),
            format!("/staf/desa/{v}/laporan/mutasi/dusun"),
            format!("/staf/desa/{v}/pindah-masuk"),
            format!("/staf/desa/{v}/anjungan"),
            format!("/staf/info/{scope}"),
        ];
        (app, c, lists)
    });
    let _keep = &app;
    let c = std::cell::RefCell::new(c);
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(proptest::sample::select(lists), odd_query()),
            |(route, query)| {
                let qs = serde_urlencoded::to_string(&query).unwrap();
                let mut clients = c.borrow_mut();
                let who =
                    if route.starts_with("/staf/kabupaten") || route.starts_with("/staf/wilayah") {
                        &mut clients.1
                    } else {
                        &mut clients.0
                    };
                let status = rt.block_on(who.get(&format!("{route}?{qs}"))).status;
                prop_assert!(!status.is_server_error(), "{route}?{qs} answered {status}");
                Ok(())
            },
        )
        .unwrap();
}

/// A logged-in resident of village 0 at the self-service site, and who they are.
async fn resident(app: &App) -> (Client, String, uuid::Uuid) {
    let v = app.villages[0].clone();
    let kode = KodeWilayah::parse(&v).unwrap();
    let (_, residents) = app.store.village_population(kode).await.unwrap();
    let r = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .unwrap();
    let s = app.store.village_summaries(None).await.unwrap();
    let slug: String = s[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut op = Client::new(app);
    op.login(&format!("operator.{slug}")).await;
    let page = format!("/staf/desa/{v}/penduduk/{}", r.id);
    let token = op.csrf_of(&page).await;
    let res = op.post(&format!("{page}/pin"), &[("_csrf", &token)]).await;
    let i = res.body.find("id=\"pin-baru\">").unwrap() + 14;
    let pin = res.body[i..i + 6].to_string();
    let mut c = Client::new(app);
    let base = format!("/layanan/{v}");
    let token = c.csrf_of(&format!("{base}/masuk")).await;
    let nik = r.number.to_string();
    c.post(
        &format!("{base}/masuk"),
        &[("_csrf", &token), ("nik", &nik), ("pin", &pin)],
    )
    .await;
    // The operator's PIN must be changed first.
    let token = c.csrf_of(&format!("{base}/pin")).await;
    let r2 = c
        .post(
            &format!("{base}/pin"),
            &[
                ("_csrf", &token),
                ("pin_lama", &pin),
                ("pin_baru", "285714"),
                ("pin_ulang", "285714"),
            ],
        )
        .await;
    assert_eq!(r2.status, StatusCode::SEE_OTHER, "{}", r2.body);
    (c, nik, r.id)
}

#[tokio::test]
async fn extra_request_fields_made_requests_staff_could_not_open_regression_they_are_refused() {
    let app = app(1, 80).await;
    let v = app.villages[0].clone();
    let kode = KodeWilayah::parse(&v).unwrap();
    let (mut c, _, rid) = resident(&app).await;
    let url = format!("/layanan/{v}/surat");
    let token = csrf(&c.get(&format!("{url}?jenis=domisili")).await.body);
    let good = [
        ("_csrf", token.as_str()),
        ("jenis", "domisili"),
        ("alamat_domisili", "Dusun Krajan"),
        ("keperluan", "Melamar kerja"),
    ];
    let stored = |app: &App| {
        let store = app.store.clone();
        async move {
            store
                .letter_requests_for(kode, &[rid], 50)
                .await
                .unwrap()
                .len()
        }
    };
    for extra in [
        vec![("nik", "3310010101900001")],
        vec![("penandatangan", "an"), ("an_nama", "Pejabat Palsu")],
        vec![("bukan_kolom", "x")],
    ] {
        let mut fields = good.to_vec();
        fields.extend(extra.iter().copied());
        let r = c.post(&url, &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{extra:?}");
        assert!(r.body.contains("tidak dikenal"), "{}", r.body);
    }
    let mut twice = good.to_vec();
    twice.push(("keperluan", "lagi"));
    let r = c.post(&url, &twice).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("lebih dari sekali"), "{}", r.body);
    assert_eq!(stored(&app).await, 0, "nothing stored");
    // The form as the site makes it still goes through, and staff open it.
    let r = c.post(&url, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stored(&app).await, 1);
}

#[tokio::test]
async fn a_request_stored_with_duplicate_fields_opens_and_keeps_the_real_subject() {
    let app = app(1, 80).await;
    let v = app.villages[0].clone();
    let kode = KodeWilayah::parse(&v).unwrap();
    let (_, nik, rid) = resident(&app).await;
    // What the old code stored for `nik=…&penandatangan=an&an_nama=…`.
    let form = format!(
        r#"{{"jenis":"domisili","nik":"{nik}","keperluan":"Melamar kerja","berlaku_hari":"","penandatangan":"belum","an_nama":"","an_jabatan":"","_csrf":"x","alamat_domisili":"Dusun Krajan","nik":"3310010101900001","penandatangan":"an","an_nama":"Pejabat Palsu"}}"#
    );
    let ctx = WriteContext::new("warga:test", common::NOW);
    let id = uuid::Uuid::now_v7();
    app.store
        .create_letter_request(
            &ctx,
            kode,
            &NewLetterRequest {
                id,
                resident_id: rid,
                kind: "domisili".into(),
                form,
                channel: RequestChannel::Online,
                queue_day: None,
                status: RequestStatus::Diajukan,
                signer: None,
            },
        )
        .await
        .unwrap();
    let mut op = Client::new(&app);
    let s = app.store.village_summaries(None).await.unwrap();
    let slug: String = s[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    op.login(&format!("operator.{slug}")).await;
    let page = op.get(&format!("/staf/desa/{v}/permohonan/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.body.contains("Pejabat Palsu"));
    let record = app.store.letter_request(kode, id).await.unwrap().unwrap();
    let read = balai_services::letters::requests::requested_letter(&record).unwrap();
    assert_eq!(
        read.content.subject.to_string(),
        nik,
        "the first (real) subject wins"
    );
    assert_eq!(read.signer, None, "no signer is chosen yet");
}

/// Showing the letter desk or a request of a village that has no letter
/// settings yet created its settings and signing key from a GET. Only
/// issuing a letter or saving the settings may create them now.
#[tokio::test]
async fn get_of_the_letter_desk_created_a_signing_key_regression_pages_only_read() {
    let app = app(1, 20).await;
    let klaten = KodeWilayah::parse("33.10").unwrap();
    let fresh = app
        .store
        .villages_in_region(klaten)
        .await
        .unwrap()
        .into_iter()
        .find(|k| !app.villages.contains(&k.plain()))
        .expect("Klaten has more villages than the demo");
    let ctx = WriteContext::new("system:test", common::NOW);
    app.store.create_village(&ctx, fresh).await.unwrap();
    let admin_hash = app
        .store
        .account_by_username("admin.klaten")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    app.store
        .create_account(
            &ctx,
            &balai_store::NewAccount {
                id: uuid::Uuid::now_v7(),
                username: "operator.baru".into(),
                display_name: "Operator Baru".into(),
                password_hash: admin_hash,
                role: balai_domain::role::Role::VillageOperator,
                scope: fresh,
                facilitated: vec![],
                reset: None,
            },
        )
        .await
        .unwrap();
    let mut c = Client::new(&app);
    assert_eq!(c.login("operator.baru").await.status, StatusCode::SEE_OTHER);
    let r = c
        .get(&format!(
            "/staf/desa/{}/surat/baru?jenis=domisili",
            fresh.plain()
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("Kepala Desa"),
        "the default head title shows"
    );
    assert!(
        app.store.village_profile(fresh).await.unwrap().is_none(),
        "a GET must not create letter settings or a signing key"
    );
}
