//! Account management in the service layer: one-time codes, the second
//! factor and what an administrator may grant.

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_services::ServiceError;
use balai_services::accounts::{self, ChangePassword, CreateAccount, Username};
use balai_services::clock::FixedClock;
use balai_services::demo::{DEMO_PASSWORD, DemoOptions, seed};
use balai_services::login_throttle::Client;
use balai_services::passwords::NewPassword;
use balai_services::staff::{LoginRefused, Staff, login, session};
use balai_services::totp;
use balai_store::{Store, WriteContext};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn client() -> Client {
    Client::Address("10.1.2.3".parse().unwrap())
}

struct World {
    store: Store,
    db: balai_services::Db,
    village: KodeWilayah,
    /// The demo's regency administrator.
    regency_admin: Staff,
}

async fn world() -> World {
    let store = Store::open_in_memory().await.unwrap();
    let db = balai_services::Db::from_store(store.clone());
    let demo = seed(
        &db,
        &WriteContext::new("system:test", NOW),
        DemoOptions {
            seed: 4,
            villages: 1,
            residents_per_village: 20,
        },
    )
    .await
    .unwrap();
    let name = &demo
        .accounts
        .iter()
        .find(|a| a.role == Role::RegencyAdmin)
        .unwrap()
        .username;
    let regency_admin = login(&db, &FixedClock(NOW), name, DEMO_PASSWORD, "", client())
        .await
        .unwrap()
        .unwrap()
        .staff;
    World {
        db,
        store,
        village: demo.villages[0].village.kode,
        regency_admin,
    }
}

fn kode(s: &str) -> KodeWilayah {
    KodeWilayah::parse(s).unwrap()
}

fn new_account(username: &str, role: Role, scope: KodeWilayah) -> CreateAccount {
    CreateAccount::new(
        Username::parse(username),
        "Nama Lengkap",
        Some(role),
        Ok(scope),
        Vec::new(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_refused_login_did_not_burn_the_reset_code() {
    let w = world().await;
    let clock = FixedClock(NOW);
    let admin = accounts::admin(&w.regency_admin).unwrap();
    let created = accounts::create(
        &w.db,
        &clock,
        &admin,
        new_account("operator.baru", Role::VillageOperator, w.village),
    )
    .await
    .unwrap();
    let code = created.code.expose().to_string();
    accounts::set_disabled(&w.db, &clock, &admin, created.id, true)
        .await
        .unwrap();
    assert_eq!(
        login(&w.db, &clock, "operator.baru", &code, "", client())
            .await
            .unwrap()
            .unwrap_err(),
        LoginRefused::BadCredentials,
        "a disabled account is refused like a wrong password"
    );
    accounts::set_disabled(&w.db, &clock, &admin, created.id, false)
        .await
        .unwrap();
    let done = login(&w.db, &clock, "operator.baru", &code, "", client())
        .await
        .unwrap()
        .expect("the code still works once the account is enabled again");
    let live = session(&w.db, &clock, &done.token).await.unwrap().unwrap();
    assert!(live.must_change_password);
    assert_eq!(
        login(&w.db, &clock, "operator.baru", &code, "", client())
            .await
            .unwrap()
            .unwrap_err(),
        LoginRefused::BadCredentials,
        "and only once"
    );
}

#[tokio::test]
async fn a_password_reset_removes_the_second_factor_so_a_lost_phone_is_not_a_locked_door() {
    let w = world().await;
    let clock = FixedClock(NOW);
    let admin = accounts::admin(&w.regency_admin).unwrap();
    let created = accounts::create(
        &w.db,
        &clock,
        &admin,
        new_account("admin.desa", Role::VillageAdmin, w.village),
    )
    .await
    .unwrap();
    let first = login(
        &w.db,
        &clock,
        "admin.desa",
        created.code.expose(),
        "",
        client(),
    )
    .await
    .unwrap()
    .unwrap();
    let password = "padi-menguning-2026";
    accounts::change_own_password(
        &w.db,
        &clock,
        &first.staff,
        &balai_services::secrets::token_hash(&first.token),
        ChangePassword {
            current: String::new(),
            new: NewPassword::parse(password, password, "admin.desa").unwrap(),
        },
    )
    .await
    .unwrap();
    let secret = totp::new_secret();
    let code = totp::code_at(&secret, NOW).unwrap();
    accounts::enrol_totp(&w.db, &clock, &first.staff, &secret, &code)
        .await
        .unwrap();
    assert_eq!(
        login(&w.db, &clock, "admin.desa", password, "000000", client())
            .await
            .unwrap()
            .unwrap_err(),
        LoginRefused::BadCredentials,
        "the second factor is asked for"
    );
    let account = w
        .store
        .account_by_username("admin.desa")
        .await
        .unwrap()
        .unwrap();
    let shown = format!("{account:?}");
    assert!(
        !shown.contains(&secret) && !shown.contains(&account.password_hash),
        "Debug hides the secrets: {shown}"
    );

    // The phone is lost: the regency administrator resets the password.
    let reset = accounts::reset_password(&w.db, &clock, &admin, created.id)
        .await
        .unwrap();
    login(
        &w.db,
        &clock,
        "admin.desa",
        reset.code.expose(),
        "",
        client(),
    )
    .await
    .unwrap()
    .expect("after a reset the code alone lets its owner in");
    let account = w
        .store
        .account_by_username("admin.desa")
        .await
        .unwrap()
        .unwrap();
    assert!(account.totp_secret.is_none() && account.must_change_password);
}

#[tokio::test]
async fn no_administrator_grants_beyond_their_own_scope() {
    let w = world().await;
    let clock = FixedClock(NOW);
    let regency = accounts::admin(&w.regency_admin).unwrap();
    // Another regency (Sukoharjo), even for a role the administrator holds.
    for cmd in [
        new_account("admin.lain", Role::RegencyAdmin, kode("33.11")),
        new_account(
            "operator.lain",
            Role::VillageOperator,
            kode("33.11.01.2001"),
        ),
    ] {
        assert!(matches!(
            accounts::create(&w.db, &clock, &regency, cmd).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    let created = accounts::create(
        &w.db,
        &clock,
        &regency,
        new_account("admin.desa", Role::VillageAdmin, w.village),
    )
    .await
    .unwrap();
    let village_admin = login(
        &w.db,
        &clock,
        "admin.desa",
        created.code.expose(),
        "",
        client(),
    )
    .await
    .unwrap()
    .unwrap()
    .staff;
    let village = accounts::admin(&village_admin).unwrap();
    let regency_code = KodeWilayah::parse(&w.village.plain()[..4]).unwrap();
    for cmd in [
        new_account("admin.kab", Role::RegencyAdmin, regency_code),
        CreateAccount::new(
            Username::parse("pendamping"),
            "Pendamping",
            Some(Role::Facilitator),
            Ok(regency_code),
            vec![Ok(w.village)],
        )
        .unwrap(),
    ] {
        assert!(matches!(
            accounts::create(&w.db, &clock, &village, cmd).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    // The regency administrator is not theirs to disable, reset or list.
    assert!(matches!(
        accounts::reset_password(&w.db, &clock, &village, w.regency_admin.account_id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        accounts::list(&w.db, &village)
            .await
            .unwrap()
            .iter()
            .all(|a| a.scope == w.village)
    );
    // Operators administer nobody.
    let op = accounts::create(
        &w.db,
        &clock,
        &village,
        new_account("operator.baru", Role::VillageOperator, w.village),
    )
    .await
    .unwrap();
    let operator = login(
        &w.db,
        &clock,
        "operator.baru",
        op.code.expose(),
        "",
        client(),
    )
    .await
    .unwrap()
    .unwrap()
    .staff;
    assert!(matches!(
        accounts::admin(&operator),
        Err(ServiceError::Forbidden(_))
    ));
}
