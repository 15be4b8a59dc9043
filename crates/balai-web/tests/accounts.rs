//! Account management through the router: who may reach the pages, what an
//! administrator may grant, disabling, one-time reset codes, the password
//! rules, the forced change, TOTP, and https-only cookies.

mod common;

use std::sync::{Arc, Mutex};

use axum::http::{StatusCode, header};
use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_services::Clock;
use balai_services::demo::{DEMO_PASSWORD, DemoOptions, seed};
use balai_services::passwords;
use balai_store::{NewAccount, Store, WriteContext};
use common::{App, Client, NOW, csrf, location};
use time::{Duration, OffsetDateTime};

/// A clock the test moves forward.
#[derive(Debug, Clone)]
struct TestClock(Arc<Mutex<OffsetDateTime>>);

impl TestClock {
    fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

struct Setup {
    app: App,
    clock: TestClock,
}

/// Two demo villages (regency admin `admin.klaten`, operators, heads), plus a
/// village administrator `admin.desa` of the first village.
async fn setup(https: bool) -> Setup {
    let store = Store::open_in_memory().await.unwrap();
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 5,
            villages: 2,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let first = demo.villages[0].village.kode;
    store
        .create_account(
            &ctx,
            &NewAccount {
                id: uuid::Uuid::now_v7(),
                username: "admin.desa".into(),
                display_name: "Admin Desa".into(),
                password_hash: passwords::hash(DEMO_PASSWORD).unwrap(),
                role: Role::VillageAdmin,
                scope: first,
                facilitated: vec![],
                reset: None,
            },
        )
        .await
        .unwrap();
    let clock = TestClock(Arc::new(Mutex::new(NOW)));
    let mut state =
        balai_web::AppState::new(db.clone(), Arc::new(clock.clone()), common::renderer());
    if https {
        state =
            state.with_public_url(balai_web::PublicUrl::parse("https://desa.example.id").unwrap());
    }
    Setup {
        app: App {
            router: balai_web::router(state),
            store,
            villages: demo
                .villages
                .iter()
                .map(|v| v.village.kode.plain())
                .collect(),
        },
        clock,
    }
}

async fn operator_name(store: &Store, i: usize) -> String {
    let s = store.village_summaries(None).await.unwrap();
    let slug: String = s[i]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("operator.{slug}")
}

async fn account_id(store: &Store, username: &str) -> String {
    store
        .account_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

/// Logs in with `username` and `password` from a fresh login page.
async fn login_with(c: &mut Client, username: &str, password: &str) -> common::Response {
    let page = c.get("/masuk").await;
    let token = csrf(&page.body);
    c.post(
        "/masuk",
        &[
            ("_csrf", &token),
            ("username", username),
            ("password", password),
        ],
    )
    .await
}

fn alert(body: &str) -> String {
    body[body.find("role=\"alert\"").expect("an alert") + 13..]
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

fn one_time_code(body: &str) -> String {
    let i = body.find("id=\"kode-sekali\">").expect("a one-time code") + 17;
    body[i..i + body[i..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn an_operator_cannot_reach_account_pages() {
    let s = setup(false).await;
    let op = operator_name(&s.app.store, 0).await;
    let mut c = Client::new(&s.app);
    c.login(&op).await;
    let token = c.csrf_of("/staf/akun").await;
    let admin_id = account_id(&s.app.store, "admin.klaten").await;
    for url in [
        "/staf/pengguna".to_string(),
        format!("/staf/pengguna/{admin_id}"),
    ] {
        assert_eq!(c.get(&url).await.status, StatusCode::FORBIDDEN, "GET {url}");
    }
    let before = s.app.store.account_count().await.unwrap();
    let r = c
        .post(
            "/staf/pengguna",
            &[
                ("_csrf", &token),
                ("username", "operator.baru"),
                ("display_name", "Operator Baru"),
                ("role", "village_operator"),
                ("scope", &s.app.villages[0]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for aksi in ["nonaktifkan", "reset-sandi"] {
        let r = c
            .post(
                &format!("/staf/pengguna/{admin_id}/{aksi}"),
                &[("_csrf", &token)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{aksi}");
    }
    assert_eq!(s.app.store.account_count().await.unwrap(), before);
    assert!(
        s.app
            .store
            .account_by_username("admin.klaten")
            .await
            .unwrap()
            .unwrap()
            .disabled_at
            .is_none()
    );
}

#[tokio::test]
async fn a_village_admin_cannot_create_accounts_for_another_village_or_a_regency_role() {
    let s = setup(false).await;
    let (a, b) = (&s.app.villages[0], &s.app.villages[1]);
    let mut c = Client::new(&s.app);
    assert_eq!(location(&c.login("admin.desa").await), "/staf");
    let token = c.csrf_of("/staf/pengguna").await;
    let before = s.app.store.account_count().await.unwrap();
    let klaten = KodeWilayah::parse(a)
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    let refused = [
        ("village_operator", b.clone(), vec![]),
        ("regency_admin", klaten.plain(), vec![]),
        ("facilitator", klaten.plain(), vec![a.clone()]),
    ];
    for (role, scope, villages) in &refused {
        let mut fields = vec![
            ("_csrf", token.as_str()),
            ("username", "akun.lain"),
            ("display_name", "Akun Lain"),
            ("role", role),
            ("scope", scope.as_str()),
        ];
        fields.extend(villages.iter().map(|v| ("villages", v.as_str())));
        let r = c.post("/staf/pengguna", &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{role} {scope}");
        assert!(
            alert(&r.body).contains("di luar wewenang"),
            "{role}: {}",
            alert(&r.body)
        );
    }
    assert_eq!(s.app.store.account_count().await.unwrap(), before);
    // Their own village: created, with a one-time code, and in the change log.
    let changes = s.app.store.change_count().await.unwrap();
    let r = c
        .post(
            "/staf/pengguna",
            &[
                ("_csrf", &token),
                ("username", "Sekdes.Satu"),
                ("display_name", "Sekretaris Desa"),
                ("role", "village_official"),
                ("scope", a),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(one_time_code(&r.body).len(), 14);
    let created = s
        .app
        .store
        .account_by_username("sekdes.satu")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.role, Role::VillageOfficial);
    assert!(created.must_change_password);
    assert_eq!(s.app.store.change_count().await.unwrap(), changes + 1);
    // A regency admin may not be managed (or even seen) by the village admin.
    let regency_admin = account_id(&s.app.store, "admin.klaten").await;
    assert_eq!(
        c.get(&format!("/staf/pengguna/{regency_admin}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_its_session_ends() {
    let s = setup(false).await;
    let op = operator_name(&s.app.store, 0).await;
    let mut operator = Client::new(&s.app);
    operator.login(&op).await;
    let village = format!("/staf/desa/{}", s.app.villages[0]);
    assert_eq!(operator.get(&village).await.status, StatusCode::OK);

    let mut admin = Client::new(&s.app);
    admin.login("admin.klaten").await;
    let id = account_id(&s.app.store, &op).await;
    let page = admin.get(&format!("/staf/pengguna/{id}")).await;
    assert!(
        page.body.contains("Akhiri sesi"),
        "the live session is listed"
    );
    let r = admin
        .post(
            &format!("/staf/pengguna/{id}/nonaktifkan"),
            &[("_csrf", &csrf(&page.body))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    assert_eq!(
        location(&operator.get(&village).await),
        "/masuk",
        "the live session stopped working"
    );
    let mut fresh = Client::new(&s.app);
    let disabled = login_with(&mut fresh, &op, DEMO_PASSWORD).await;
    assert_eq!(disabled.status, StatusCode::UNAUTHORIZED);
    let wrong = login_with(&mut fresh, "admin.klaten", "salah-sekali").await;
    assert_eq!(
        alert(&disabled.body),
        alert(&wrong.body),
        "same message as a wrong password"
    );

    // Enabled again, the old password works.
    let page = admin.get(&format!("/staf/pengguna/{id}")).await;
    admin
        .post(
            &format!("/staf/pengguna/{id}/aktifkan"),
            &[("_csrf", &csrf(&page.body))],
        )
        .await;
    assert_eq!(
        location(&login_with(&mut fresh, &op, DEMO_PASSWORD).await),
        "/staf"
    );
    let log = s.app.store.change_count().await.unwrap();
    assert!(log > 0);
}

#[tokio::test]
async fn an_administrator_ends_one_session() {
    let s = setup(false).await;
    let op = operator_name(&s.app.store, 0).await;
    let mut operator = Client::new(&s.app);
    operator.login(&op).await;
    let mut admin = Client::new(&s.app);
    admin.login("admin.klaten").await;
    let id = account_id(&s.app.store, &op).await;
    let page = admin.get(&format!("/staf/pengguna/{id}")).await;
    let i = page.body.find("name=\"session\" value=\"").unwrap() + 22;
    let session = &page.body[i..i + 64];
    let r = admin
        .post(
            &format!("/staf/pengguna/{id}/akhiri-sesi"),
            &[("_csrf", &csrf(&page.body)), ("session", session)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&operator.get("/staf").await), "/masuk");
    // A made-up session id is simply not found.
    let r = admin
        .post(
            &format!("/staf/pengguna/{id}/akhiri-sesi"),
            &[("_csrf", &csrf(&page.body)), ("session", "zz")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn password_reset_codes_expire_and_work_once() {
    let s = setup(false).await;
    let op = operator_name(&s.app.store, 0).await;
    let id = account_id(&s.app.store, &op).await;
    let mut admin = Client::new(&s.app);
    admin.login("admin.klaten").await;
    let mut user = Client::new(&s.app);

    // The old password stops working at once; an expired code does not work.
    let stale = reset_code(&mut admin, &id).await;
    assert_eq!(
        login_with(&mut user, &op, DEMO_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    s.clock.advance(Duration::hours(73));
    assert_eq!(
        login_with(&mut user, &op, &stale).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A fresh code works once, and forces a new password first (the
    // administrator's own 12-hour session ended meanwhile).
    admin.login("admin.klaten").await;
    let code = reset_code(&mut admin, &id).await;
    assert_eq!(
        login_with(&mut user, &op, &stale).await.status,
        StatusCode::UNAUTHORIZED,
        "the replaced code is dead"
    );
    assert_eq!(location(&login_with(&mut user, &op, &code).await), "/staf");
    for url in [
        "/staf".to_string(),
        format!("/staf/desa/{}", s.app.villages[0]),
    ] {
        assert_eq!(location(&user.get(&url).await), "/staf/akun", "{url}");
    }
    let page = user.get("/staf/akun").await;
    assert!(page.body.contains("id=\"wajib-ganti\""));
    assert!(
        !page.body.contains("name=\"current\""),
        "no old password is asked after a code"
    );
    let r = user
        .post(
            "/staf/akun/sandi",
            &[
                ("_csrf", &csrf(&page.body)),
                ("new", "padi-menguning-77"),
                ("confirm", "padi-menguning-77"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/staf/akun?diubah=1");
    assert_eq!(
        location(&user.get("/staf").await),
        format!("/staf/desa/{}", s.app.villages[0])
    );
    let mut again = Client::new(&s.app);
    assert_eq!(
        login_with(&mut again, &op, &code).await.status,
        StatusCode::UNAUTHORIZED,
        "the code worked once"
    );
    assert_eq!(
        location(&login_with(&mut again, &op, "padi-menguning-77").await),
        "/staf"
    );
}

async fn reset_code(admin: &mut Client, id: &str) -> String {
    let token = admin.csrf_of(&format!("/staf/pengguna/{id}")).await;
    let r = admin
        .post(
            &format!("/staf/pengguna/{id}/reset-sandi"),
            &[("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    one_time_code(&r.body)
}

#[tokio::test]
async fn weak_and_common_passwords_are_refused_with_the_rule_they_broke() {
    let s = setup(false).await;
    let mut c = Client::new(&s.app);
    c.login("admin.desa").await;
    let cases = [
        ("pendek", "minimal 10 karakter"),
        ("password123", "paling umum"),
        ("Qwertyuiop", "paling umum"),
        ("aku-admin.desa-2026", "nama pengguna"),
    ];
    for (pw, rule) in cases {
        let token = c.csrf_of("/staf/akun").await;
        let r = c
            .post(
                "/staf/akun/sandi",
                &[
                    ("_csrf", &token),
                    ("current", DEMO_PASSWORD),
                    ("new", pw),
                    ("confirm", pw),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{pw}");
        assert!(alert(&r.body).contains(rule), "{pw}: {}", alert(&r.body));
    }
    // The wrong current password is refused too; nothing changed.
    let token = c.csrf_of("/staf/akun").await;
    let r = c
        .post(
            "/staf/akun/sandi",
            &[
                ("_csrf", &token),
                ("current", "bukan-ini-1234"),
                ("new", "kebun-salak-2026"),
                ("confirm", "kebun-salak-2026"),
            ],
        )
        .await;
    assert!(alert(&r.body).contains("saat ini salah"), "{}", r.body);
    let mut fresh = Client::new(&s.app);
    assert_eq!(
        location(&login_with(&mut fresh, "admin.desa", DEMO_PASSWORD).await),
        "/staf"
    );
}

#[tokio::test]
async fn the_last_login_is_shown_to_the_user() {
    let s = setup(false).await;
    let mut c = Client::new(&s.app);
    c.login("admin.desa").await;
    assert!(
        c.get("/staf/akun")
            .await
            .body
            .contains("Ini pertama kali Anda masuk")
    );
    s.clock.advance(Duration::hours(2));
    let mut c = Client::new(&s.app);
    c.login("admin.desa").await;
    let page = c.get("/staf/akun").await;
    // NOW is 03:00 UTC = 10.00 WIB on 22 November 2026 (the account is Klaten's).
    assert!(
        page.body.contains("22 November 2026 10.00 WIB"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_administrator_enrols_totp_and_then_needs_the_code() {
    let s = setup(false).await;
    let mut c = Client::new(&s.app);
    c.login("admin.desa").await;
    let page = c.get("/staf/akun/totp").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg"),
        "the QR code is drawn server-side"
    );
    let i = page.body.find("id=\"totp-secret\">").unwrap() + 17;
    let secret = page.body[i..i + page.body[i..].find('<').unwrap()].to_string();
    let wrong = c
        .post(
            "/staf/akun/totp",
            &[
                ("_csrf", &csrf(&page.body)),
                ("secret", &secret),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(alert(&wrong.body).contains("tidak cocok"));
    let code = balai_services::totp::code_at(&secret, NOW).unwrap();
    let ok = c
        .post(
            "/staf/akun/totp",
            &[
                ("_csrf", &csrf(&page.body)),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(location(&ok), "/staf/akun");

    let mut fresh = Client::new(&s.app);
    assert_eq!(
        login_with(&mut fresh, "admin.desa", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the password alone is no longer enough"
    );
    let with_code = |code: String| {
        let mut fresh = Client::new(&s.app);
        async move {
            let page = fresh.get("/masuk").await;
            fresh
                .post(
                    "/masuk",
                    &[
                        ("_csrf", &csrf(&page.body)),
                        ("username", "admin.desa"),
                        ("password", DEMO_PASSWORD),
                        ("totp", &code),
                    ],
                )
                .await
        }
    };
    // The code that confirmed the enrolment was used up; the next one works, once.
    assert_eq!(
        with_code(code.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    s.clock.advance(Duration::seconds(30));
    let next = balai_services::totp::code_at(&secret, NOW + Duration::seconds(30)).unwrap();
    assert_eq!(location(&with_code(next.clone()).await), "/staf");
    assert_eq!(
        with_code(next).await.status,
        StatusCode::UNAUTHORIZED,
        "a TOTP code is accepted once"
    );
    // Operators have no second-factor page.
    let op = operator_name(&s.app.store, 0).await;
    let mut o = Client::new(&s.app);
    o.login(&op).await;
    assert_eq!(o.get("/staf/akun/totp").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_https_public_url_makes_cookies_secure_and_sends_hsts() {
    let s = setup(true).await;
    let mut c = Client::new(&s.app);
    let page = c.get("/masuk").await;
    let hsts = page
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .expect("HSTS");
    assert!(hsts.to_str().unwrap().contains("max-age="));
    let r = login_with(&mut c, "admin.desa", DEMO_PASSWORD).await;
    let cookies: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        !cookies.is_empty() && cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );

    let plain = setup(false).await;
    let mut c = Client::new(&plain.app);
    let page = c.get("/masuk").await;
    assert!(
        page.headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
    assert!(
        !page
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}
