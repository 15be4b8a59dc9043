//! Lockouts are scoped to the attacker: per account and per client apart,
//! growing with each lockout, and an enrolled kiosk is its own client.
//! Regression tests for "five failed logins lock out everyone".

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::letter_request::RequestChannel;
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::demo::{DEMO_PASSWORD, DemoOptions, seed};
use balai_services::kiosks;
use balai_services::login_throttle::{ACCOUNT, ADDRESS, Client, KIOSK};
use balai_services::self_service;
use balai_services::staff::{LoginRefused, Staff, authorize, login};
use balai_store::WriteContext;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

struct World {
    db: balai_services::Db,
    v: KodeWilayah,
    /// Two staff accounts.
    admin: String,
    operator: String,
    /// A resident with a PIN: (NIK, PIN).
    resident: (String, String),
}

fn ip(a: &str) -> Client {
    Client::Address(a.parse().unwrap())
}

async fn world() -> World {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 3,
            villages: 1,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let name = |role: Role| {
        demo.accounts
            .iter()
            .find(|a| a.role == role)
            .unwrap()
            .username
            .clone()
    };
    let (_, residents) = store.village_population(v).await.unwrap();
    let r = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let pin = self_service::issue_pin(&db, &FixedClock(NOW), &access, r.id)
        .await
        .unwrap();
    World {
        v,
        admin: name(Role::RegencyAdmin),
        operator: name(Role::VillageOperator),
        resident: (r.number.to_string(), pin.expose().to_string()),
        db,
    }
}

fn operator(v: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "op".into(),
        display_name: "Op".into(),
        role: Role::VillageOperator,
        scope: v,
        assigned: vec![],
    }
}

async fn staff_login(
    w: &World,
    at: OffsetDateTime,
    user: &str,
    password: &str,
    client: Client,
) -> Result<(), LoginRefused> {
    login(&w.db, &FixedClock(at), user, password, "", client)
        .await
        .unwrap()
        .map(|_| ())
}

async fn resident_login(
    w: &World,
    at: OffsetDateTime,
    nik: &str,
    pin: &str,
    client: Client,
) -> Result<(), LoginRefused> {
    self_service::login(
        &w.db,
        &FixedClock(at),
        w.v,
        nik,
        pin,
        client,
        RequestChannel::Kiosk,
    )
    .await
    .unwrap()
    .map(|_| ())
}

#[tokio::test]
async fn five_failed_logins_lock_out_everyone_regression_account_lock_stays_with_the_account() {
    let w = world().await;
    for _ in 0..ACCOUNT.max_failures {
        let _ = staff_login(&w, NOW, &w.operator, "salah", ip("203.0.113.5")).await;
    }
    assert!(matches!(
        staff_login(&w, NOW, &w.operator, DEMO_PASSWORD, ip("198.51.100.1")).await,
        Err(LoginRefused::LockedOut(_))
    ));
    // Another account, at another address — and even at the attacker's address.
    assert_eq!(
        staff_login(&w, NOW, &w.admin, DEMO_PASSWORD, ip("198.51.100.1")).await,
        Ok(())
    );
    assert_eq!(
        staff_login(&w, NOW, &w.admin, DEMO_PASSWORD, ip("203.0.113.5")).await,
        Ok(())
    );
}

#[tokio::test]
async fn an_address_lock_does_not_block_the_right_password_from_another_address() {
    let w = world().await;
    // Many failures from one address, each against a different name: only the address locks.
    for i in 0..ADDRESS.max_failures {
        let _ = staff_login(&w, NOW, &format!("tebakan{i}"), "salah", ip("203.0.113.9")).await;
    }
    assert!(matches!(
        staff_login(&w, NOW, &w.admin, DEMO_PASSWORD, ip("203.0.113.9")).await,
        Err(LoginRefused::LockedOut(_))
    ));
    assert_eq!(
        staff_login(&w, NOW, &w.admin, DEMO_PASSWORD, ip("198.51.100.7")).await,
        Ok(())
    );
    // Fewer failures than an address allows do not lock it: a shared NAT
    // can absorb a few residents mistyping.
    for i in 0..ADDRESS.max_failures - 1 {
        let _ = staff_login(&w, NOW, &format!("lain{i}"), "salah", ip("192.0.2.1")).await;
    }
    assert_eq!(
        staff_login(&w, NOW, &w.operator, DEMO_PASSWORD, ip("192.0.2.1")).await,
        Ok(())
    );
}

#[tokio::test]
async fn lockouts_back_off_each_time_the_account_is_locked_again() {
    let w = world().await;
    let attacker = ip("203.0.113.77");
    let mut at = NOW;
    let mut lengths = Vec::new();
    for _ in 0..3 {
        let mut refused = Err(LoginRefused::BadCredentials);
        for _ in 0..ACCOUNT.max_failures {
            refused = staff_login(&w, at, &w.admin, "salah", attacker).await;
        }
        let Err(LoginRefused::LockedOut(until)) = refused else {
            panic!("not locked: {refused:?}");
        };
        lengths.push(until - at);
        // Just before the end it is still locked; at the end it is open again.
        assert!(matches!(
            staff_login(
                &w,
                until - Duration::seconds(1),
                &w.admin,
                DEMO_PASSWORD,
                ip("198.51.100.2")
            )
            .await,
            Err(LoginRefused::LockedOut(_))
        ));
        at = until;
    }
    assert_eq!(
        lengths,
        vec![
            Duration::minutes(15),
            Duration::minutes(30),
            Duration::minutes(60)
        ]
    );
    // The owner's successful login ends the streak: the next lockout is short again.
    assert_eq!(
        staff_login(&w, at, &w.admin, DEMO_PASSWORD, ip("198.51.100.2")).await,
        Ok(())
    );
    let mut refused = Err(LoginRefused::BadCredentials);
    for _ in 0..ACCOUNT.max_failures {
        refused = staff_login(&w, at, &w.admin, "salah", attacker).await;
    }
    assert_eq!(
        refused,
        Err(LoginRefused::LockedOut(at + Duration::minutes(15)))
    );
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_are_refused_alike_and_both_lock() {
    let w = world().await;
    for _ in 0..ACCOUNT.max_failures - 1 {
        assert_eq!(
            staff_login(&w, NOW, "tidak.ada", "x", ip("192.0.2.50")).await,
            Err(LoginRefused::BadCredentials)
        );
        assert_eq!(
            staff_login(&w, NOW, &w.operator, "x", ip("192.0.2.51")).await,
            Err(LoginRefused::BadCredentials)
        );
    }
    let a = staff_login(&w, NOW, "tidak.ada", "x", ip("192.0.2.50")).await;
    let b = staff_login(&w, NOW, &w.operator, "x", ip("192.0.2.51")).await;
    assert_eq!(a, b, "no enumeration through the lockout either");
}

#[tokio::test]
async fn an_enrolled_kiosk_is_its_own_client_apart_from_the_office_address() {
    let w = world().await;
    let office = ip("10.20.0.1");
    let access = authorize(&w.db, &operator(w.v), w.v).await.unwrap();
    let enrolled = kiosks::enrol(
        &w.db,
        &FixedClock(NOW),
        &access,
        &kiosks::KioskName::parse("Anjungan ruang tunggu").unwrap(),
    )
    .await
    .unwrap();
    let kiosk = kiosks::client(&w.db, w.v, Some(&enrolled.token), office)
        .await
        .unwrap();
    assert_eq!(kiosk, Client::Kiosk(enrolled.device.id));
    // An unknown or another village's token is just the address.
    assert_eq!(
        kiosks::client(&w.db, w.v, Some("bukan-token"), office)
            .await
            .unwrap(),
        office
    );

    // The office's address locks (staff guessing from behind the office NAT)…
    for i in 0..ADDRESS.max_failures {
        let _ = resident_login(&w, NOW, &format!("3310010101{i:06}"), "111222", office).await;
    }
    let (nik, pin) = w.resident.clone();
    assert!(matches!(
        resident_login(&w, NOW, &nik, &pin, office).await,
        Err(LoginRefused::LockedOut(_))
    ));
    // …and the kiosk at the same address still lets residents in.
    assert_eq!(resident_login(&w, NOW, &nik, &pin, kiosk).await, Ok(()));

    // The other way round: a queue of residents mistyping at the kiosk locks
    // the kiosk device only when there are very many, and never the office.
    let later = NOW + Duration::hours(3);
    for i in 0..KIOSK.max_failures {
        let _ = resident_login(&w, later, &format!("3310020202{i:06}"), "111222", kiosk).await;
    }
    assert!(matches!(
        resident_login(&w, later, &nik, &pin, kiosk).await,
        Err(LoginRefused::LockedOut(_))
    ));
    assert_eq!(resident_login(&w, later, &nik, &pin, office).await, Ok(()));
    // A revoked kiosk is an ordinary client again.
    kiosks::revoke(&w.db, &FixedClock(later), &access, enrolled.device.id)
        .await
        .unwrap();
    assert_eq!(
        kiosks::client(&w.db, w.v, Some(&enrolled.token), office)
            .await
            .unwrap(),
        office
    );
}

#[tokio::test]
async fn a_nik_locked_at_the_kiosk_stays_locked_everywhere() {
    let w = world().await;
    let access = authorize(&w.db, &operator(w.v), w.v).await.unwrap();
    let enrolled = kiosks::enrol(
        &w.db,
        &FixedClock(NOW),
        &access,
        &kiosks::KioskName::parse("Anjungan").unwrap(),
    )
    .await
    .unwrap();
    let kiosk = Client::Kiosk(enrolled.device.id);
    let (nik, pin) = w.resident.clone();
    for _ in 0..ACCOUNT.max_failures {
        let _ = resident_login(&w, NOW, &nik, "000000", kiosk).await;
    }
    assert!(matches!(
        resident_login(&w, NOW, &nik, &pin, ip("198.51.100.30")).await,
        Err(LoginRefused::LockedOut(_))
    ));
}
