//! The village's profile through the services: the site's editors write
//! it (every bad field named, nothing written), the head and other staff
//! only read, the public sees it, saving again replaces it, and it travels
//! in the change feed (replayed into an empty database: the same content
//! hash). Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
use balai_services::staff::{Staff, authorize};
use balai_services::village_profile::{self, ProfileForm, WriteProfile};
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "operator.sengon".into(),
        display_name: "Operator".into(),
        role,
        scope,
        assigned: vec![],
    }
}

fn form() -> ProfileForm {
    ProfileForm {
        alamat_kantor: "Jl. Raya Sengon No. 1".into(),
        telepon: "(0272) 321000".into(),
        surel: "PemDes@Sengon.Desa.ID".into(),
        luas: "4,25".into(),
        batas_utara: "Desa Krajan".into(),
        batas_timur: "Desa Wetan".into(),
        batas_selatan: "Sungai Dengkeng".into(),
        batas_barat: "Desa Kulon".into(),
        lintang: "-7.7051".into(),
        bujur: "110.6012".into(),
        sejarah: "Desa ini berdiri pada **1912**.".into(),
        visi: "Desa yang melayani.".into(),
        misi: "- Melayani warga\n- Membangun bersama".into(),
        lembaga: "- LPM\n- PKK\n- Karang Taruna".into(),
    }
}

#[tokio::test]
async fn editors_write_the_profile_others_read_it_and_it_travels_in_the_feed() {
    let db = Db::from_store(balai_store::testing::test_store().await);
    let ctx = WriteContext::new("system:test", NOW);
    let villages = generate(
        &db,
        &ctx,
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 20,
            seed: 3,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap()
    .villages;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();

    // Nothing written yet: an empty profile, not an error.
    assert!(village_profile::public(&db, v).await.unwrap().is_empty());
    assert!(matches!(
        village_profile::public(&db, KodeWilayah::parse("3310992999").unwrap()).await,
        Err(ServiceError::NotFound)
    ));

    // A bad form names every field and writes nothing.
    let mut bad = form();
    bad.telepon = "12".into();
    bad.luas = "luas".into();
    bad.lintang = "95".into();
    let e = WriteProfile::try_from(&bad).unwrap_err();
    for f in ["telepon", "luas", "lintang"] {
        assert!(e.0.contains_key(f), "{f}: {e}");
    }
    assert!(
        village_profile::staff_view(&db, &op)
            .await
            .unwrap()
            .is_none()
    );

    let good = WriteProfile::try_from(&form()).unwrap();
    village_profile::save(&db, &clock, &op, &good)
        .await
        .unwrap();
    let seen = village_profile::public(&db, v).await.unwrap();
    assert_eq!(seen, good.0);
    assert_eq!(
        seen.email.as_ref().unwrap().as_str(),
        "pemdes@sengon.desa.id"
    );
    assert_eq!(seen.area.unwrap().hundredths(), 425);
    assert!(
        village_profile::public(&db, other)
            .await
            .unwrap()
            .is_empty()
    );
    let stored = village_profile::staff_view(&db, &op)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.updated_by, "operator.sengon");
    assert_eq!(ProfileForm::of(&stored.text).luas, "4,25");

    // Saving again replaces it.
    let mut changed = form();
    changed.visi = "Desa yang mandiri.".into();
    changed.telepon = String::new();
    let changed = WriteProfile::try_from(&changed).unwrap();
    village_profile::save(&db, &clock, &op, &changed)
        .await
        .unwrap();
    let seen = village_profile::public(&db, v).await.unwrap();
    assert_eq!(seen.vision, "Desa yang mandiri.");
    assert!(seen.phone.is_none());

    // The head reads but does not write; nor does a facilitator reach it.
    let head = authorize(&db, &staff(Role::VillageHead, v), v)
        .await
        .unwrap();
    assert!(
        village_profile::staff_view(&db, &head)
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        village_profile::save(&db, &clock, &head, &good).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert_eq!(village_profile::public(&db, v).await.unwrap(), changed.0);

    // The feed carries it: replayed into an empty database, same content.
    let feed_access = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let mut entries = Vec::new();
    loop {
        let after = entries
            .last()
            .map_or(0, |e: &feed::FeedEntry| e.village_seq);
        let page = feed::changes_after(&db, &feed_access, after, 500)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        entries.extend(page);
    }
    let target = Db::from_store(balai_store::testing::test_store().await);
    regions::import(&target, &ctx, RegionsSource::Builtin)
        .await
        .unwrap();
    feed::replay(&target, &entries).await.unwrap();
    let there = feed::authorize(&target, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    assert_eq!(
        feed::content_hash(&target, &there).await.unwrap(),
        feed::content_hash(&db, &feed_access).await.unwrap()
    );
    assert_eq!(
        village_profile::public(&target, v).await.unwrap(),
        changed.0
    );
}
