//! Throttling through the router: lockouts keyed on the real client (the
//! socket's peer, or what a trusted proxy forwarded), an enrolled kiosk as
//! its own device, and 429s with `Retry-After` on every limited family.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_services::demo::DEMO_PASSWORD;
use balai_services::login_throttle::{ACCOUNT, ADDRESS};
use balai_web::{Rate, RateLimits, TrustedProxies};
use common::{App, Client, app_with, csrf, location};
use time::Duration;

/// Limits no test here reaches unless it means to.
fn roomy(state: &mut balai_web::AppState) {
    let big = Rate {
        burst: 10_000,
        every: Duration::milliseconds(1),
    };
    state.rate_limits = RateLimits {
        login: big,
        verify: big,
        public_form: big,
    };
}

fn behind_proxy(state: &mut balai_web::AppState) {
    roomy(state);
    state.trusted_proxies =
        std::sync::Arc::new(TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap());
}

async fn slug(app: &App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn staff_login(c: &mut Client, user: &str, password: &str) -> common::Response {
    let token = c.csrf_of("/masuk").await;
    c.post(
        "/masuk",
        &[
            ("_csrf", &token),
            ("username", user),
            ("password", password),
        ],
    )
    .await
}

async fn resident_login(c: &mut Client, base: &str, nik: &str, pin: &str) -> common::Response {
    let token = c.csrf_of(&format!("{base}/masuk")).await;
    c.post(
        &format!("{base}/masuk"),
        &[("_csrf", &token), ("nik", nik), ("pin", pin)],
    )
    .await
}

/// A living resident of village 0 with a PIN the operator issued: (id, NIK, PIN).
async fn resident_with_pin(app: &App) -> (String, String, String) {
    let v = KodeWilayah::parse(&app.villages[0]).unwrap();
    let (_, residents) = app.store.village_population(v).await.unwrap();
    let r = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .unwrap();
    let mut op = Client::at(app, "10.99.0.1");
    let user = format!("operator.{}", slug(app, 0).await);
    assert_eq!(
        staff_login(&mut op, &user, DEMO_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = format!("/staf/desa/{}/penduduk/{}", app.villages[0], r.id);
    let token = op.csrf_of(&page).await;
    let res = op.post(&format!("{page}/pin"), &[("_csrf", &token)]).await;
    let i = res.body.find("id=\"pin-baru\">").unwrap() + 14;
    (
        r.id.to_string(),
        r.number.to_string(),
        res.body[i..i + 6].to_string(),
    )
}

#[tokio::test]
async fn five_failed_logins_lock_out_everyone_regression_the_lock_is_per_account_and_per_address() {
    let app = app_with(1, 60, roomy).await;
    let operator = format!("operator.{}", slug(&app, 0).await);
    let mut attacker = Client::at(&app, "203.0.113.5");
    for _ in 0..ACCOUNT.max_failures {
        staff_login(&mut attacker, &operator, "salah").await;
    }
    // The regency administrator, elsewhere, logs in with the right password.
    let mut admin = Client::at(&app, "198.51.100.1");
    let r = staff_login(&mut admin, "admin.klaten", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The attacked account itself is locked, from anywhere.
    let mut owner = Client::at(&app, "198.51.100.2");
    let r = staff_login(&mut owner, &operator, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Guessing many names from one address locks that address only.
    let mut sprayer = Client::at(&app, "203.0.113.66");
    for i in 0..ADDRESS.max_failures {
        staff_login(&mut sprayer, &format!("tebak{i}"), "salah").await;
    }
    let r = staff_login(&mut sprayer, "admin.klaten", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the address is locked");
    let mut elsewhere = Client::at(&app, "198.51.100.3");
    let r = staff_login(&mut elsewhere, "admin.klaten", DEMO_PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "an address lock does not block the right password from another address"
    );
}

#[tokio::test]
async fn five_wrong_pins_lock_out_every_resident_regression_only_that_nik_and_that_address_lock() {
    let app = app_with(1, 80, roomy).await;
    let v = app.villages[0].clone();
    let (_, nik, pin) = resident_with_pin(&app).await;
    let base = format!("/layanan/{v}");
    // Wrong PINs for many NIKs from one phone: that phone's address locks…
    let mut attacker = Client::at(&app, "203.0.113.7");
    for i in 0..ADDRESS.max_failures {
        resident_login(&mut attacker, &base, &format!("3310010101{i:06}"), "111222").await;
    }
    let r = resident_login(&mut attacker, &base, &nik, &pin).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // …and every other resident elsewhere is unaffected.
    let mut home = Client::at(&app, "198.51.100.20");
    let r = resident_login(&mut home, &base, &nik, &pin).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let app = app_with(1, 60, behind_proxy).await;
    // Behind the trusted proxy, each forwarded client is its own address.
    let via_proxy = |ip: &str| {
        let mut c = Client::at(&app, "127.0.0.1");
        c.extra_headers = vec![("x-forwarded-for".into(), format!("6.6.6.6, {ip}"))];
        c
    };
    let mut attacker = via_proxy("203.0.113.8");
    for i in 0..ADDRESS.max_failures {
        staff_login(&mut attacker, &format!("tebak{i}"), "salah").await;
    }
    assert_eq!(
        staff_login(&mut attacker, "admin.klaten", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the forwarded client is locked"
    );
    let mut other = via_proxy("198.51.100.9");
    assert_eq!(
        staff_login(&mut other, "admin.klaten", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER,
        "another client behind the same proxy is not"
    );

    // From an untrusted peer, a spoofed X-Forwarded-For changes nothing:
    // the peer is locked however many addresses it claims.
    for i in 0..ADDRESS.max_failures {
        let mut spoofer = Client::at(&app, "192.0.2.44");
        spoofer.extra_headers = vec![("x-forwarded-for".into(), format!("198.18.0.{i}"))];
        staff_login(&mut spoofer, &format!("tebak{i}"), "salah").await;
    }
    let mut spoofer = Client::at(&app, "192.0.2.44");
    spoofer.extra_headers = vec![("x-forwarded-for".into(), "198.18.7.7".into())];
    assert_eq!(
        staff_login(&mut spoofer, "admin.klaten", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_enrolled_kiosk_and_the_office_do_not_lock_each_other_out() {
    let app = app_with(1, 80, roomy).await;
    let v = app.villages[0].clone();
    let (_, nik, pin) = resident_with_pin(&app).await;
    let office_ip = "10.20.0.1";
    let kiosk_base = format!("/anjungan/{v}");

    // The operator enrols the kiosk from the kiosk's browser, then logs out.
    let mut kiosk = Client::at(&app, office_ip);
    let operator = format!("operator.{}", slug(&app, 0).await);
    assert_eq!(
        staff_login(&mut kiosk, &operator, DEMO_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = kiosk.get(&format!("/staf/desa/{v}/anjungan")).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = kiosk
        .post(
            &format!("/staf/desa/{v}/anjungan"),
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Anjungan ruang tunggu"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        set.iter().any(|c| c.starts_with("balai_perangkat=")
            && c.contains("HttpOnly")
            && c.contains(&format!("Path=/anjungan/{v}"))),
        "{set:?}"
    );
    let listed = kiosk.get(&format!("/staf/desa/{v}/anjungan")).await;
    assert!(listed.body.contains("Anjungan ruang tunggu"));
    kiosk.cookies.remove("balai_sesi");

    // The office's other browsers, at the same address, mistype many PINs.
    let mut office = Client::at(&app, office_ip);
    for i in 0..ADDRESS.max_failures {
        resident_login(
            &mut office,
            &format!("/layanan/{v}"),
            &format!("3310010101{i:06}"),
            "1",
        )
        .await;
    }
    assert_eq!(
        resident_login(&mut office, &format!("/layanan/{v}"), &nik, &pin)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the office address is locked"
    );
    // An unenrolled browser on the kiosk pages is just that address: locked too.
    let mut stranger = Client::at(&app, office_ip);
    assert_eq!(
        resident_login(&mut stranger, &kiosk_base, &nik, &pin)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The enrolled kiosk is its own device: residents still log in there.
    let r = resident_login(&mut kiosk, &kiosk_base, &nik, &pin).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // And the other way round: a queue mistyping at the kiosk never locks
    // the office (a fresh app, so the office starts clean).
    let app = app_with(1, 80, roomy).await;
    let v = app.villages[0].clone();
    let (_, nik, pin) = resident_with_pin(&app).await;
    let mut kiosk = Client::at(&app, office_ip);
    staff_login(&mut kiosk, &operator_of(&app).await, DEMO_PASSWORD).await;
    let page = kiosk.get(&format!("/staf/desa/{v}/anjungan")).await;
    kiosk
        .post(
            &format!("/staf/desa/{v}/anjungan"),
            &[("_csrf", &csrf(&page.body)), ("nama", "Anjungan")],
        )
        .await;
    kiosk.cookies.remove("balai_sesi");
    for i in 0..ADDRESS.max_failures {
        resident_login(
            &mut kiosk,
            &format!("/anjungan/{v}"),
            &format!("3310010101{i:06}"),
            "1",
        )
        .await;
    }
    let mut office = Client::at(&app, office_ip);
    assert_eq!(
        resident_login(&mut office, &format!("/layanan/{v}"), &nik, &pin)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

async fn operator_of(app: &App) -> String {
    format!("operator.{}", slug(app, 0).await)
}

/// Tight limits: two requests, then wait a minute.
fn tight(state: &mut balai_web::AppState) {
    let two = Rate {
        burst: 2,
        every: Duration::minutes(1),
    };
    state.rate_limits = RateLimits {
        login: two,
        verify: two,
        public_form: two,
    };
}

async fn hit(c: &mut Client, method: &str, url: &str) -> common::Response {
    if method == "GET" {
        c.get(url).await
    } else {
        c.post(url, &[("x", "1")]).await
    }
}

fn assert_429(r: &common::Response, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{what}: {}",
        r.body
    );
    let after: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&after), "{what}: Retry-After {after}");
    assert!(r.body.contains("Terlalu banyak permintaan"), "{what}");
}

#[tokio::test]
async fn no_endpoint_ever_answered_429_regression_each_limited_family_does() {
    let app = app_with(1, 40, tight).await;
    let v = app.villages[0].clone();
    // Every limited family, each with its own budget for the same client.
    let families: Vec<(&str, String)> = vec![
        ("POST", "/masuk".into()),
        ("POST", format!("/layanan/{v}/masuk")),
        ("POST", format!("/anjungan/{v}/pin")),
        ("GET", "/v/abcdefghijklmnopqrstu".into()),
        ("POST", "/v/abcdefghijklmnopqrstu".into()),
        ("POST", format!("/layanan/{v}/surat")),
        ("POST", "/keluar".into()),
    ];
    // One client for all: each family has its own budget.
    let mut c = Client::at(&app, "198.51.100.10");
    for (i, (method, url)) in families.iter().enumerate() {
        let mut last = hit(&mut c, method, url).await;
        for _ in 0..2 {
            last = hit(&mut c, method, url).await;
        }
        assert_429(&last, url);
        // Another client is not limited by this one (a fresh client for each
        // route: the three login routes share one budget per client).
        let mut other = Client::at(&app, &format!("192.0.2.{}", 200 + i));
        assert_ne!(
            hit(&mut other, method, url).await.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{url}"
        );
    }
    // Staff pages are behind a session, not limited here.
    let mut c = Client::at(&app, "198.51.100.250");
    for _ in 0..5 {
        assert_ne!(
            c.post(&format!("/staf/desa/{v}/anjungan"), &[("x", "1")])
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test]
async fn rate_limits_key_on_the_forwarded_client_only_behind_a_trusted_proxy() {
    let app = app_with(1, 40, |s| {
        tight(s);
        s.trusted_proxies = std::sync::Arc::new(TrustedProxies::parse(&["127.0.0.1"]).unwrap());
    })
    .await;
    let verify = "/v/abcdefghijklmnopqrstu";
    // Two clients behind the proxy: each has its own budget.
    for ip in ["203.0.113.1", "203.0.113.2"] {
        let mut c = Client::at(&app, "127.0.0.1");
        c.extra_headers = vec![("x-forwarded-for".into(), ip.into())];
        for _ in 0..2 {
            assert_eq!(c.get(verify).await.status, StatusCode::NOT_FOUND);
        }
        assert_429(&c.get(verify).await, ip);
    }
    // A direct client cannot buy more by claiming new addresses.
    let mut spoofer = Client::at(&app, "192.0.2.9");
    for i in 0..2 {
        spoofer.extra_headers = vec![("x-forwarded-for".into(), format!("10.0.0.{i}"))];
        assert_eq!(spoofer.get(verify).await.status, StatusCode::NOT_FOUND);
    }
    spoofer.extra_headers = vec![("x-forwarded-for".into(), "10.0.0.99".into())];
    assert_429(&spoofer.get(verify).await, "spoofer");
}

#[tokio::test]
async fn personal_pages_were_cacheable_regression_every_personal_route_family_is_no_store() {
    let app = app_with(1, 60, roomy).await;
    let v = app.villages[0].clone();
    let (rid, _, _) = resident_with_pin(&app).await;
    let mut op = Client::at(&app, "10.99.0.2");
    staff_login(&mut op, &operator_of(&app).await, DEMO_PASSWORD).await;
    let family_id = common::ids(
        &op.get(&format!("/staf/desa/{v}/penduduk/{rid}")).await.body,
        "keluarga",
    )
    .remove(0);
    let mut public = Client::new(&app);
    let pages = [
        op.get("/staf").await,
        op.get(&format!("/staf/desa/{v}")).await,
        op.get(&format!("/staf/desa/{v}/penduduk")).await,
        op.get(&format!("/staf/desa/{v}/penduduk?q=a")).await,
        op.get(&format!("/staf/desa/{v}/penduduk/{rid}")).await,
        op.get(&format!("/staf/desa/{v}/keluarga/{family_id}"))
            .await,
        op.get(&format!("/staf/desa/{v}/permohonan")).await,
        op.get(&format!("/staf/desa/{v}/surat")).await,
        op.get(&format!("/staf/desa/{v}/laporan/buku-induk")).await,
        public.get(&format!("/layanan/{v}")).await,
        public.get(&format!("/layanan/{v}/masuk")).await,
        public.get(&format!("/anjungan/{v}")).await,
        public.get(&format!("/anjungan/{v}/info")).await,
        public.get("/v/abcdefghijklmnopqrstu").await,
    ];
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(
            p.headers.get("cache-control").map(|h| h.to_str().unwrap()),
            Some("no-store"),
            "page {i} ({})",
            p.status
        );
    }
    // Public pages without personal data stay cacheable as they were.
    assert_ne!(
        public
            .get("/")
            .await
            .headers
            .get("cache-control")
            .map(|h| h.to_str().unwrap()),
        Some("no-store")
    );
}

#[tokio::test]
async fn language_switch_open_redirect_regression_only_same_origin_paths() {
    let app = app_with(1, 20, roomy).await;
    let mut c = Client::new(&app);
    let cases = [
        ("http://127.0.0.1/\\evil.example/x", "/"),
        ("http://127.0.0.1//evil.example/x", "/"),
        ("http://127.0.0.1/%2F%2Fevil.example", "/"),
        ("http://127.0.0.1/%5Cevil.example", "/"),
        ("https://evil.example", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("http://127.0.0.1\\evil.example/x", "/"),
        ("http://127.0.0.1/staf/desa?x=1", "/staf/desa?x=1"),
        ("http://127.0.0.1/", "/"),
    ];
    for (referer, expected) in cases {
        c.extra_headers = vec![("referer".into(), referer.into())];
        let r = c.get("/bahasa/en").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{referer}");
        assert_eq!(location(&r), expected, "{referer}");
    }
}
