//! The village website through the services: news drafts stay private until
//! published; sign-ups fill the places, then wait, and the first waiting
//! moves up when staff cancel; a sign-up is followed by its reference and a
//! wrong one looks missing; only the village's operator or administrator
//! writes; staff views of the sign-up list are logged; everything travels
//! in the change feed. Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_domain::site::{Publication, SignupStatus};
use balai_domain::time_zone::ZonaWaktu;
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
use balai_services::site::{
    self, ActivityForm, NewsForm, SignUp, SignupForm, WriteActivity, WriteNews,
};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "staf".into(),
        display_name: "Staf".into(),
        role,
        scope,
        assigned: vec![],
    }
}

async fn villages() -> (Db, Vec<KodeWilayah>) {
    let (db, _, villages) = villages_and_store().await;
    (db, villages)
}

/// The store too, to read the access log directly.
async fn villages_and_store() -> (Db, balai_store::Store, Vec<KodeWilayah>) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    let report = generate(
        &db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 20,
            seed: 4,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, store, report.villages)
}

async fn operator(db: &Db, v: KodeWilayah) -> VillageAccess {
    authorize(db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap()
}

fn news(title: &str, slug: &str) -> WriteNews {
    WriteNews::try_from(&NewsForm {
        judul: title.into(),
        slug: slug.into(),
        isi: "Warga diundang **kerja bakti**.".into(),
    })
    .unwrap()
}

fn activity(capacity: &str) -> WriteActivity {
    WriteActivity::try_from((
        &ActivityForm {
            judul: "Posyandu balita".into(),
            uraian: "Penimbangan dan imunisasi.".into(),
            tempat: "Balai dusun Krajan".into(),
            tanggal: "2026-11-29".into(),
            mulai: "08:00".into(),
            selesai: "11:30".into(),
            kapasitas: capacity.into(),
            pendaftaran: "1".into(),
            terbit: "1".into(),
        },
        ZonaWaktu::Wib,
    ))
    .unwrap()
}

fn person(name: &str) -> SignUp {
    SignUp::try_from(&SignupForm {
        nama: name.into(),
        kontak: "0812 3456 7890".into(),
    })
    .unwrap()
}

#[test]
fn forms_report_every_problem_under_its_field() {
    let e = WriteNews::try_from(&NewsForm {
        judul: "x".into(),
        slug: "Bukan Slug".into(),
        isi: "  ".into(),
    })
    .unwrap_err();
    for f in ["judul", "slug", "isi"] {
        assert!(e.0.contains_key(f), "{f}: {e}");
    }
    let n = news("Kerja Bakti Minggu Ini", "");
    assert_eq!(n.0.slug.as_str(), "kerja-bakti-minggu-ini");
    let e = WriteActivity::try_from((
        &ActivityForm {
            judul: "Rapat".into(),
            tanggal: "29-11-2026".into(),
            mulai: "10:00".into(),
            selesai: "09:00".into(),
            kapasitas: "0".into(),
            ..ActivityForm::default()
        },
        ZonaWaktu::Wib,
    ))
    .unwrap_err();
    for f in ["tempat", "tanggal", "selesai", "kapasitas"] {
        assert!(e.0.contains_key(f), "{f}: {e}");
    }
    let a = activity("5");
    assert_eq!(a.0.starts_at, datetime!(2026-11-29 01:00 UTC), "08:00 WIB");
    assert_eq!(
        ActivityForm::of(&a.0, KodeWilayah::parse("3310012001").unwrap()).mulai,
        "08:00",
        "the form shows village time"
    );
    // The same form typed in a village of Gianyar (Bali, WITA) and of
    // Jayapura (WIT): eight o'clock is eight where the activity happens.
    for (zone, village, utc) in [
        (
            ZonaWaktu::Wita,
            "5104012001",
            datetime!(2026-11-29 00:00 UTC),
        ),
        (
            ZonaWaktu::Wit,
            "9171012001",
            datetime!(2026-11-28 23:00 UTC),
        ),
    ] {
        let mut form = ActivityForm::of(&a.0, KodeWilayah::parse("3310012001").unwrap());
        form.kapasitas = "5".into();
        let there = WriteActivity::try_from((&form, zone)).unwrap();
        assert_eq!(there.0.starts_at, utc, "08:00 {}", zone.label());
        let shown = ActivityForm::of(&there.0, KodeWilayah::parse(village).unwrap());
        assert_eq!(
            (shown.tanggal.as_str(), shown.mulai.as_str()),
            ("2026-11-29", "08:00")
        );
    }
    let e = SignUp::try_from(&SignupForm {
        nama: " ".into(),
        kontak: "12".into(),
    })
    .unwrap_err();
    assert!(
        e.0.contains_key("nama") && e.0.contains_key("kontak"),
        "{e}"
    );
}

#[tokio::test]
async fn a_draft_is_seen_by_staff_only_until_it_is_published() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = operator(&db, v).await;
    let id = site::create_news(&db, &clock, &op, &news("Kerja bakti", "kerja-bakti"))
        .await
        .unwrap();
    assert!(matches!(
        site::public_news_post(&db, v, "kerja-bakti").await,
        Err(ServiceError::NotFound)
    ));
    assert!(site::public_news(&db, v, 10).await.unwrap().is_empty());
    assert_eq!(site::staff_news(&db, &op).await.unwrap().len(), 1);

    // A second post cannot take the same address.
    match site::create_news(&db, &clock, &op, &news("Lain", "kerja-bakti")).await {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("slug")),
        other => panic!("expected a slug error, got {other:?}"),
    }
    // ...but another village's post can.
    site::create_news(
        &db,
        &clock,
        &operator(&db, other).await,
        &news("Kerja bakti", "kerja-bakti"),
    )
    .await
    .unwrap();

    site::set_news_publication(&db, &clock, &op, id, Publication::Published)
        .await
        .unwrap();
    let seen = site::public_news_post(&db, v, "kerja-bakti").await.unwrap();
    assert_eq!(seen.published_on, Some(date!(2026 - 11 - 22)));
    assert!(matches!(
        site::public_news_post(&db, other, "kerja-bakti").await,
        Err(ServiceError::NotFound)
    ));
    for bad in ["", "../etc", "KERJA-BAKTI", "kerja bakti"] {
        assert!(
            matches!(
                site::public_news_post(&db, v, bad).await,
                Err(ServiceError::NotFound)
            ),
            "{bad:?}"
        );
    }
    // Withdrawn: gone from the public site, its first date kept.
    let later = FixedClock(datetime!(2026-12-01 03:00 UTC));
    site::set_news_publication(&db, &later, &op, id, Publication::Draft)
        .await
        .unwrap();
    assert!(site::public_news(&db, v, 10).await.unwrap().is_empty());
    site::set_news_publication(&db, &later, &op, id, Publication::Published)
        .await
        .unwrap();
    assert_eq!(
        site::public_news_post(&db, v, "kerja-bakti")
            .await
            .unwrap()
            .published_on,
        Some(date!(2026 - 11 - 22))
    );
}

#[tokio::test]
async fn only_the_villages_operator_or_administrator_writes_its_site() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    for role in [Role::VillageHead, Role::VillageOfficial] {
        let access = authorize(&db, &staff(role, v), v).await.unwrap();
        assert!(!site::may_edit(&access));
        assert!(matches!(
            site::create_news(&db, &clock, &access, &news("Judul", "judul")).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            site::create_activity(&db, &clock, &access, &activity("3")).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    let admin = authorize(&db, &staff(Role::VillageAdmin, v), v)
        .await
        .unwrap();
    site::create_news(&db, &clock, &admin, &news("Judul", "judul"))
        .await
        .unwrap();
}

#[tokio::test]
async fn sign_ups_fill_the_places_then_wait_and_the_first_waiting_moves_up() {
    let (db, store, villages) = villages_and_store().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = operator(&db, v).await;
    let aid = site::create_activity(&db, &clock, &op, &activity("2"))
        .await
        .unwrap();
    let mut receipts = Vec::new();
    for name in ["Ani", "Budi", "Citra", "Dewi"] {
        receipts.push(
            site::sign_up(&db, &clock, v, aid, &person(name))
                .await
                .unwrap(),
        );
    }
    let statuses: Vec<SignupStatus> = receipts.iter().map(|r| r.status).collect();
    use SignupStatus::{Cancelled, Confirmed, Waiting};
    assert_eq!(statuses, [Confirmed, Confirmed, Waiting, Waiting]);
    let numbers: Vec<u32> = receipts.iter().map(|r| r.reference.number()).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let a = site::public_activity(&db, v, aid).await.unwrap();
    assert_eq!((a.confirmed, a.waiting), (2, 2));

    // Staff see the names; the view is logged.
    let list = site::signups(&db, &clock, &op, aid).await.unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0].name, "Ani");
    let logged: Vec<String> = store
        .accesses_of(v, list[0].id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.purpose)
        .collect();
    assert_eq!(logged, ["daftar peserta kegiatan"]);

    // Ani cancels (through staff): Citra, the first waiting, moves up.
    site::cancel_signup(&db, &clock, &op, aid, list[0].id)
        .await
        .unwrap();
    let check = |r: &balai_services::site::SignupReceipt| r.reference.to_string();
    let seen = site::check_signup(&db, v, &check(&receipts[2]))
        .await
        .unwrap();
    assert_eq!(seen.status, Confirmed);
    assert_eq!(
        site::check_signup(&db, v, &check(&receipts[0]))
            .await
            .unwrap()
            .status,
        Cancelled
    );
    assert_eq!(
        site::check_signup(&db, v, &check(&receipts[3]))
            .await
            .unwrap()
            .status,
        Waiting
    );
    // Cancelling twice is "not found", and moves nobody.
    assert!(matches!(
        site::cancel_signup(&db, &clock, &op, aid, list[0].id).await,
        Err(ServiceError::NotFound)
    ));
    // A raised capacity lets Dewi in.
    site::update_activity(&db, &clock, &op, aid, &activity("3"))
        .await
        .unwrap();
    assert_eq!(
        site::check_signup(&db, v, &check(&receipts[3]))
            .await
            .unwrap()
            .status,
        Confirmed
    );

    // Wrong references all look missing; another village does not know it.
    let text = check(&receipts[1]);
    let mut guessed = text.clone();
    let last = guessed.pop().unwrap();
    guessed.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [
        guessed.as_str(),
        "AGD-2026-0009-AAAAAA",
        "",
        "ADU-2026-0001-AAAAAA",
    ] {
        assert!(
            matches!(
                site::check_signup(&db, v, wrong).await,
                Err(ServiceError::NotFound)
            ),
            "{wrong:?}"
        );
    }
    assert!(matches!(
        site::check_signup(&db, other, &text).await,
        Err(ServiceError::NotFound)
    ));

    // Closed for sign-up: refused with a message, nothing stored.
    let mut closed = activity("3");
    closed.0.signup_open = false;
    site::update_activity(&db, &clock, &op, aid, &closed)
        .await
        .unwrap();
    assert!(matches!(
        site::sign_up(&db, &clock, v, aid, &person("Eko")).await,
        Err(ServiceError::Form(_))
    ));
    // A draft activity is not public and takes no sign-ups.
    let mut draft = activity("3");
    draft.0.publication = Publication::Draft;
    let did = site::create_activity(&db, &clock, &op, &draft)
        .await
        .unwrap();
    assert!(matches!(
        site::public_activity(&db, v, did).await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        site::sign_up(&db, &clock, v, did, &person("Eko"))
            .await
            .is_err()
    );
    // Another village's activity id is not this village's.
    assert!(matches!(
        site::public_activity(&db, other, aid).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(site::signups(&db, &clock, &op, aid).await.unwrap().len(), 4);
}

#[tokio::test]
async fn the_site_travels_in_the_change_feed() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    let op = operator(&db, v).await;
    let nid = site::create_news(&db, &clock, &op, &news("Kerja bakti", "kerja-bakti"))
        .await
        .unwrap();
    site::set_news_publication(&db, &clock, &op, nid, Publication::Published)
        .await
        .unwrap();
    let aid = site::create_activity(&db, &clock, &op, &activity("1"))
        .await
        .unwrap();
    for name in ["Ani", "Budi"] {
        site::sign_up(&db, &clock, v, aid, &person(name))
            .await
            .unwrap();
    }
    // A photo travels too (its JPEG is a row image's bytes).
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([1, 2, 3]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let photo = balai_services::site_images::add(&db, &clock, &op, nid, &png)
        .await
        .unwrap();
    let first = site::signups(&db, &clock, &op, aid).await.unwrap()[0].id;
    site::cancel_signup(&db, &clock, &op, aid, first)
        .await
        .unwrap();

    let feed_here = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let entries = feed::changes_after(&db, &feed_here, 0, 10_000)
        .await
        .unwrap();
    for table in [
        feed::Table::NewsPost,
        feed::Table::Activity,
        feed::Table::ActivitySignup,
        feed::Table::NewsImage,
    ] {
        assert!(
            entries
                .iter()
                .flat_map(|e| e.payload.iter())
                .flat_map(|p| p.rows.iter())
                .any(|r| r.table == table),
            "{table:?}"
        );
    }
    // The audit entries do not name who signed up.
    assert!(
        entries
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or("").contains("Ani"))
    );
    let target = Db::from_store(balai_store::testing::test_store().await);
    regions::import(
        &target,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
    .await
    .unwrap();
    feed::replay(&target, &entries).await.unwrap();
    let feed_there = feed::authorize(&target, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    assert_eq!(
        feed::content_hash(&target, &feed_there).await.unwrap(),
        feed::content_hash(&db, &feed_here).await.unwrap()
    );
    let moved = site::public_news_post(&target, v, "kerja-bakti")
        .await
        .unwrap();
    assert_eq!(moved.id, nid);
    let a = site::public_activity(&target, v, aid).await.unwrap();
    assert_eq!((a.confirmed, a.waiting), (1, 0));
    assert_eq!(
        balai_services::site_images::public(&target, v, photo)
            .await
            .unwrap(),
        balai_services::site_images::public(&db, v, photo)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn an_activity_that_has_ended_takes_no_more_sign_ups() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let op = operator(&db, v).await;
    let aid = site::create_activity(&db, &FixedClock(NOW), &op, &activity("5"))
        .await
        .unwrap();
    // 2026-11-29 11:30 WIB is 04:30 UTC.
    let during = FixedClock(datetime!(2026-11-29 04:29 UTC));
    site::sign_up(&db, &during, v, aid, &person("Ani"))
        .await
        .unwrap();
    let after = FixedClock(datetime!(2026-11-29 04:30 UTC));
    match site::sign_up(&db, &after, v, aid, &person("Budi")).await {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("nama"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        site::upcoming(&db, v, datetime!(2026-11-29 05:00 UTC), 10)
            .await
            .unwrap()
            .is_empty(),
        "no longer upcoming"
    );
}
