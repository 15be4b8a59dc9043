//! The change feed through the services: a village's operator reads the
//! village's changes page by page, and applying them to an empty database
//! rebuilds the village (the same content hash); only those who may see
//! whole rows of the village's personal data read it. Runs on the backend
//! `BALAI_TEST_BACKEND` names (scripts/test runs both).

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
use balai_services::registry::events::{self, BirthForm};
use balai_services::registry::resident_form::ResidentForm;
use balai_services::staff::{Staff, authorize};
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

async fn generated() -> (Db, Vec<KodeWilayah>) {
    let db = Db::from_store(balai_store::testing::test_store().await);
    let ctx = WriteContext::new("system:test", NOW);
    let report = generate(
        &db,
        &ctx,
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 80,
            seed: 9,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, report.villages)
}

#[tokio::test]
async fn a_villages_feed_read_through_the_services_rebuilds_it_in_an_empty_database() {
    let (db, villages) = generated().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    let access = authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let feed_access = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let loaded = feed::head(&db, &feed_access).await.unwrap();
    // A birth through the use case, into a family card read from the feed's rows.
    let loaded_entries = feed::changes_after(&db, &feed_access, 0, 500)
        .await
        .unwrap();
    let family = loaded_entries
        .iter()
        .flat_map(|e| e.payload.iter().flat_map(|p| p.rows.iter()))
        .find(|r| r.table == feed::Table::Family)
        .and_then(|r| r.row[0].as_str().map(str::to_owned))
        .and_then(|hex| u128::from_str_radix(&hex, 16).ok().map(Uuid::from_u128))
        .unwrap();
    let form = BirthForm {
        child: ResidentForm {
            nama: "ANAK BARU".into(),
            sex: "1".into(),
            tempat_lahir: "KLATEN".into(),
            tanggal_lahir: "2026-11-10".into(),
            agama: "1".into(),
            pendidikan: "1".into(),
            pekerjaan: "1".into(),
            status_kawin: "1".into(),
            hubungan: "4".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let birth = events::Birth::parse(&form, NOW.date()).unwrap();
    events::record_birth(&db, &clock, &access, family, &birth)
        .await
        .unwrap();
    let after_birth = feed::head(&db, &feed_access).await.unwrap();
    assert!(after_birth > loaded);

    // Read it as a sync would, page by page.
    let mut entries = Vec::new();
    loop {
        let after = entries
            .last()
            .map_or(0, |e: &feed::FeedEntry| e.village_seq);
        let page = feed::changes_after(&db, &feed_access, after, 7)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        entries.extend(page);
    }
    assert_eq!(entries.len() as i64, after_birth);

    let target = Db::from_store(balai_store::testing::test_store().await);
    regions::import(
        &target,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
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
    // The other village was not in this feed.
    assert!(matches!(
        authorize(
            &target,
            &staff(Role::VillageOperator, villages[1]),
            villages[1]
        )
        .await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn only_a_villages_administrator_and_operator_and_the_regency_admin_read_its_feed() {
    let (db, villages) = generated().await;
    let v = villages[0];
    let regency = v.ancestor(balai_domain::RegionLevel::Regency).unwrap();
    for (role, scope, allowed) in [
        (Role::VillageOperator, v, true),
        (Role::VillageAdmin, v, true),
        (Role::RegencyAdmin, regency, true),
        (Role::VillageHead, v, false),
        (Role::VillageOfficial, v, false),
    ] {
        let got = match feed::authorize(&db, &staff(role, scope), v).await {
            Ok(access) => feed::changes_after(&db, &access, 0, 10).await,
            Err(e) => Err(e),
        };
        assert_eq!(got.is_ok(), allowed, "{role:?}");
        if !allowed {
            assert!(matches!(got, Err(ServiceError::Forbidden(_))), "{role:?}");
        }
    }
    // Another village's operator does not learn the village exists.
    assert!(matches!(
        feed::authorize(&db, &staff(Role::VillageOperator, villages[1]), v).await,
        Err(ServiceError::NotFound)
    ));
}
