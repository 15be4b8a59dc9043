//! The residents' side through the router: PIN issued by the operator and
//! shown once, login and its lockout surviving cleared cookies, the forced
//! PIN change, a request answered by the operator and signed by the head,
//! the kiosk ticket, and the information pages.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use common::{App, Client, app, csrf, location};

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn staff(app: &App, role: &str, village: usize) -> Client {
    let s = app.store.village_summaries(None).await.unwrap();
    let mut c = Client::new(app);
    let r = c
        .login(&format!("{role}.{}", slug(&s[village].village.name)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c
}

/// A living resident of village 0 with a family card: (id, NIK).
async fn resident(app: &App) -> (String, String) {
    let (_, residents) = app
        .store
        .village_population(KodeWilayah::parse(&app.villages[0]).unwrap())
        .await
        .unwrap();
    let r = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .unwrap();
    (r.id.to_string(), r.number.to_string())
}

/// The operator issues a PIN from the resident's page; it is shown once.
async fn issue_pin(op: &mut Client, v: &str, rid: &str) -> String {
    let page = format!("/staf/desa/{v}/penduduk/{rid}");
    let token = op.csrf_of(&page).await;
    let res = op.post(&format!("{page}/pin"), &[("_csrf", &token)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.headers["cache-control"], "no-store");
    let i = res.body.find("id=\"pin-baru\">").unwrap() + 14;
    res.body[i..i + 6].to_string()
}

async fn resident_login(c: &mut Client, base: &str, nik: &str, pin: &str) -> common::Response {
    let token = c.csrf_of(&format!("{base}/masuk")).await;
    c.post(
        &format!("{base}/masuk"),
        &[("_csrf", &token), ("nik", nik), ("pin", pin)],
    )
    .await
}

#[tokio::test]
async fn a_resident_requests_a_letter_from_home_and_the_head_signs_it() {
    let app = app(2, 120).await;
    let v = app.villages[0].clone();
    let (rid, nik) = resident(&app).await;
    let mut op = staff(&app, "operator", 0).await;
    let pin = issue_pin(&mut op, &v, &rid).await;

    let base = format!("/layanan/{v}");
    let mut home = Client::new(&app);
    // The installable app: manifest and service worker.
    let manifest = home.get(&format!("{base}/manifest.webmanifest")).await;
    assert_eq!(manifest.status, StatusCode::OK);
    let m: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["start_url"], format!("{base}/"));
    assert_eq!(
        home.get(&format!("{base}/sw.js")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        home.get("/static/ikon-192.png").await.status,
        StatusCode::OK
    );
    // The installed app's start page exists (it answers with the login form).
    let start = home.get(&format!("{base}/")).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("f-pin"));

    let first = resident_login(&mut home, &base, &nik, &pin).await;
    assert_eq!(
        location(&first),
        format!("{base}/pin"),
        "the operator's PIN must be changed first"
    );
    // Until then, nothing else opens.
    assert_eq!(
        location(&home.get(&format!("{base}/surat")).await),
        format!("{base}/pin")
    );
    let token = home.csrf_of(&format!("{base}/pin")).await;
    let weak = home
        .post(
            &format!("{base}/pin"),
            &[
                ("_csrf", &token),
                ("pin_lama", &pin),
                ("pin_baru", "111111"),
                ("pin_ulang", "111111"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("mudah ditebak"), "{}", weak.body);
    let changed = home
        .post(
            &format!("{base}/pin"),
            &[
                ("_csrf", &token),
                ("pin_lama", &pin),
                ("pin_baru", "582014"),
                ("pin_ulang", "582014"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);

    // Request a domicile letter; a missing field is reported, nothing stored.
    let form = home.get(&format!("{base}/surat?jenis=domisili")).await;
    assert!(form.body.contains("Alamat domisili"));
    let token = csrf(&form.body);
    let missing = home
        .post(
            &format!("{base}/surat"),
            &[
                ("_csrf", &token),
                ("jenis", "domisili"),
                ("keperluan", "Daftar sekolah"),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A kind that does not exist, or a purpose longer than a letter holds,
    // is a field error too, never a 500.
    let long = "x".repeat(balai_services::letters::MAX_PURPOSE_CHARS + 1);
    for (jenis, keperluan, extra, message) in [
        ("surat-palsu", "Daftar sekolah", None, "Pilih jenis surat"),
        (
            "domisili",
            long.as_str(),
            Some("Dusun Krajan RT 001 RW 002"),
            "paling banyak",
        ),
    ] {
        let mut fields = vec![
            ("_csrf", token.as_str()),
            ("jenis", jenis),
            ("keperluan", keperluan),
        ];
        fields.extend(extra.map(|a| ("alamat_domisili", a)));
        let bad = home.post(&format!("{base}/surat"), &fields).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{jenis}");
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    let sent = home
        .post(
            &format!("{base}/surat"),
            &[
                ("_csrf", &token),
                ("jenis", "domisili"),
                ("keperluan", "Daftar sekolah"),
                ("alamat_domisili", "Dusun Krajan RT 001 RW 002"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let status_url = location(&sent);
    let request_id = status_url.rsplit('/').next().unwrap().to_string();
    assert!(home.get(&status_url).await.body.contains("Diajukan"));

    // The operator checks it and sends it to the head.
    let staff_url = format!("/staf/desa/{v}/permohonan/{request_id}");
    let queue = op.get(&format!("/staf/desa/{v}/permohonan")).await;
    assert!(
        queue.body.contains(&request_id),
        "the request is in the queue"
    );
    let token = op.csrf_of(&staff_url).await;
    let r = op
        .post(&format!("{staff_url}/periksa"), &[("_csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A signer the office does not know is refused on the page (it was
    // once taken as the head); the request stays where it was.
    let r = op
        .post(
            &format!("{staff_url}/ajukan-ttd"),
            &[("_csrf", &token), ("penandatangan", "bupati")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("pilih penandatangan"), "{}", r.body);
    assert!(
        !op.get(&staff_url)
            .await
            .body
            .contains("Menunggu kepala desa")
    );
    let r = op
        .post(
            &format!("{staff_url}/ajukan-ttd"),
            &[("_csrf", &token), ("penandatangan", "kades")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        op.get(&staff_url)
            .await
            .body
            .contains("Menunggu kepala desa")
    );
    // The operator has no sign button and cannot sign by posting.
    let refused = op
        .post(&format!("{staff_url}/tandatangani"), &[("_csrf", &token)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        home.get(&status_url)
            .await
            .body
            .contains("Menunggu tanda tangan")
    );

    // The head signs in the app: the letter is numbered and issued.
    let mut head = staff(&app, "kades", 0).await;
    let dashboard = head.get(&format!("/staf/desa/{v}")).await;
    assert!(
        dashboard.body.contains("permohonan?status=menunggu-ttd"),
        "the head sees what awaits signing"
    );
    let page = head.get(&format!("{staff_url}/tinjau")).await;
    assert!(page.body.contains("aksi-tandatangani"), "{}", page.body);
    let token = csrf(&page.body);
    let signed = head
        .post(&format!("{staff_url}/tandatangani"), &[("_csrf", &token)])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let done = head.get(&staff_url).await;
    assert!(done.body.contains("surat-terbit"));

    // The resident sees it ready; downloading waits for the village to allow it.
    let ready = home.get(&status_url).await;
    assert!(ready.body.contains("Siap diambil"));
    assert!(!ready.body.contains("id=\"unduh\""));
    assert_eq!(
        home.get(&format!("{status_url}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    let village = KodeWilayah::parse(&v).unwrap();
    let mut profile = app.store.village_profile(village).await.unwrap().unwrap();
    profile.allow_download = true;
    app.store
        .save_village_profile(
            &balai_store::WriteContext::new("op", common::NOW),
            village,
            &profile,
        )
        .await
        .unwrap();
    let pdf = home.get(&format!("{status_url}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));

    // Another village's operator cannot see or act on it.
    let mut other_op = staff(&app, "operator", 1).await;
    assert_eq!(other_op.get(&staff_url).await.status, StatusCode::NOT_FOUND);
    // Every staff view of the request is in the resident's access report.
    let report = op
        .get(&format!("/staf/desa/{v}/penduduk/{rid}/akses"))
        .await;
    assert!(report.body.contains("permohonan surat"), "{}", report.body);
    // Another resident's session (or none) cannot see this request.
    let mut stranger = Client::new(&app);
    assert_eq!(
        location(&stranger.get(&status_url).await),
        format!("{base}/masuk")
    );
    // A session of this village is no session at the other village's site.
    let other = format!("/layanan/{}", app.villages[1]);
    home.cookies.get("balai_warga").expect("logged in");
    assert_eq!(
        location(&home.get(&format!("{other}/surat")).await),
        format!("{other}/masuk")
    );
}

#[tokio::test]
async fn the_pin_lockout_survives_clearing_cookies_and_unknown_niks_look_the_same() {
    let app = app(1, 80).await;
    let v = app.villages[0].clone();
    let (rid, nik) = resident(&app).await;
    let mut op = staff(&app, "operator", 0).await;
    let pin = issue_pin(&mut op, &v, &rid).await;
    let base = format!("/layanan/{v}");

    let mut c = Client::new(&app);
    let wrong = resident_login(&mut c, &base, &nik, "999999").await;
    let unknown = resident_login(&mut c, &base, "3310010101900009", "999999").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let msg = |b: &str| {
        b.split("role=\"alert\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(msg(&wrong.body), msg(&unknown.body), "no NIK enumeration");

    // Four more wrong PINs for this NIK: five in all lock the NIK (the
    // unknown NIK above counts against its own key, not this one).
    for _ in 0..4 {
        resident_login(&mut c, &base, &nik, "999999").await;
    }
    // Clearing cookies changes nothing: the lockout is kept on the server.
    let mut fresh = Client::new(&app);
    let locked = resident_login(&mut fresh, &base, &nik, &pin).await;
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert!(locked.body.contains("15"), "{}", locked.body);
    assert!(!fresh.cookies.contains_key("balai_warga"));
    // No CSRF token, no login attempt at all.
    let mut bare = Client::new(&app);
    let r = bare
        .post(
            &format!("{base}/masuk"),
            &[("nik", nik.as_str()), ("pin", pin.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_kiosk_prints_a_queue_ticket_and_logs_out_and_shows_info_pages() {
    let app = app(1, 80).await;
    let v = app.villages[0].clone();
    let (rid, nik) = resident(&app).await;
    let mut op = staff(&app, "operator", 0).await;
    let pin = issue_pin(&mut op, &v, &rid).await;

    // The village writes an information page; the regency writes one for all villages.
    let token = op.csrf_of(&format!("/staf/info/{v}/baru")).await;
    let saved = op
        .post(
            &format!("/staf/info/{v}/baru"),
            &[
                ("_csrf", &token),
                ("topik", "kesehatan"),
                ("judul", "Posyandu Dusun Krajan"),
                ("isi", "Setiap tanggal 5.\n\n<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let regency = &v[..4];
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    let token = admin.csrf_of(&format!("/staf/info/{regency}/baru")).await;
    let r = admin
        .post(
            &format!("/staf/info/{regency}/baru"),
            &[
                ("_csrf", &token),
                ("topik", "pendidikan"),
                ("judul", "Beasiswa Kabupaten"),
                ("isi", "Pendaftaran dibuka."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // An operator cannot write the regency's pages, nor a head the village's.
    assert_eq!(
        op.get(&format!("/staf/info/{regency}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut head = staff(&app, "kades", 0).await;
    assert_eq!(
        head.get(&format!("/staf/info/{v}")).await.status,
        StatusCode::NOT_FOUND
    );

    let base = format!("/anjungan/{v}");
    let mut kiosk = Client::new(&app);
    let info = kiosk.get(&format!("{base}/info")).await;
    assert!(
        info.body.contains("Posyandu Dusun Krajan") && info.body.contains("Beasiswa Kabupaten"),
        "{}",
        info.body
    );
    let before = info.body.split("\">Posyandu Dusun Krajan").next().unwrap();
    let page_id = before.rsplit("/info/").next().unwrap().to_string();
    let page = kiosk.get(&format!("{base}/info/{page_id}")).await;
    assert!(page.body.contains("&lt;script&gt;"), "page text is escaped");
    assert!(!page.body.contains("<script>alert"));

    // Log in at the kiosk (the operator's PIN must be changed there too).
    let home = kiosk.get(&base).await;
    assert!(home.body.contains("k-minta-surat"));
    let first = resident_login(&mut kiosk, &base, &nik, &pin).await;
    assert_eq!(location(&first), format!("{base}/pin"));
    let token = kiosk.csrf_of(&format!("{base}/pin")).await;
    let r = kiosk
        .post(
            &format!("{base}/pin"),
            &[
                ("_csrf", &token),
                ("pin_lama", &pin),
                ("pin_baru", "604182"),
                ("pin_ulang", "604182"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{base}/surat"));
    let token = kiosk
        .csrf_of(&format!("{base}/surat?jenis=pengantar-skck"))
        .await;
    let ticket = kiosk
        .post(
            &format!("{base}/surat"),
            &[
                ("_csrf", &token),
                ("jenis", "pengantar-skck"),
                ("keperluan", "Melamar kerja"),
            ],
        )
        .await;
    assert_eq!(ticket.status, StatusCode::OK, "{}", ticket.body);
    assert!(ticket.body.contains("A-001"), "{}", ticket.body);
    assert!(ticket.body.contains("data-autoprint"));
    // The ticket ended the kiosk session.
    assert!(!kiosk.cookies.contains_key("balai_anjungan"));
    assert_eq!(
        location(&kiosk.get(&format!("{base}/surat")).await),
        format!("{base}/masuk")
    );
    // The operator sees it as a kiosk request with its ticket number.
    let queue = op.get(&format!("/staf/desa/{v}/permohonan")).await;
    assert!(queue.body.contains("Anjungan") && queue.body.contains("A-001"));
}

#[tokio::test]
async fn the_pin_slip_names_the_configured_public_address() {
    let app = common::app_with(1, 40, |state| {
        *state = state
            .clone()
            .with_public_url(balai_web::PublicUrl::parse("https://sengon.desa.id").unwrap());
    })
    .await;
    let v = app.villages[0].clone();
    let (rid, _) = resident(&app).await;
    let mut op = staff(&app, "operator", 0).await;
    let page = format!("/staf/desa/{v}/penduduk/{rid}");
    let token = op.csrf_of(&page).await;
    let res = op.post(&format!("{page}/pin"), &[("_csrf", &token)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // The template engine escapes `/` as `&#x2f;`.
    assert!(
        res.body
            .replace("&#x2f;", "/")
            .contains(&format!("https://sengon.desa.id/layanan/{v}")),
        "{}",
        res.body
    );
}
