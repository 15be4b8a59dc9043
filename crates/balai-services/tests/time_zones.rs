//! A village's day turns at its own midnight: WIB in Java, WITA in Bali,
//! WIT in Papua. At 23.30 in Klaten it is already 00.30 the next day in
//! Karangasem, so a report for the month just over may be sent from the
//! Balinese village and not yet from the Javanese one, and an activity typed
//! as 08:00 is eight o'clock where it takes place. Runs on the backend
//! `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::regency::ReportMonth;
use balai_domain::role::Role;
use balai_domain::time_zone::ZonaWaktu;
use balai_services::clock::FixedClock;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::site::{self, ActivityForm, WriteActivity};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{Db, ServiceError, WriteContext, registry, reports};
use time::macros::{date, datetime};
use uuid::Uuid;

async fn village_in(db: &Db, regency: &str) -> KodeWilayah {
    let report = generate(
        db,
        &WriteContext::new("system:test", datetime!(2026-11-22 03:00 UTC)),
        GenerateOptions {
            within: KodeWilayah::parse(regency).unwrap(),
            villages: 1,
            residents_per_village: 12,
            seed: 9,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    report.villages[0]
}

async fn operator(db: &Db, v: KodeWilayah) -> VillageAccess {
    let staff = Staff {
        account_id: Uuid::nil(),
        username: "operator".into(),
        display_name: "Operator".into(),
        role: Role::VillageOperator,
        scope: v,
        assigned: vec![],
    };
    authorize(db, &staff, v).await.unwrap()
}

#[tokio::test]
async fn each_village_keeps_its_own_day_for_reports_and_activities() {
    let db = Db::from_store(balai_store::testing::test_store().await);
    let klaten = village_in(&db, "33.10").await;
    let karangasem = village_in(&db, "51.07").await;
    assert_eq!(ZonaWaktu::of(klaten), ZonaWaktu::Wib);
    assert_eq!(ZonaWaktu::of(karangasem), ZonaWaktu::Wita);

    // 23.30 WIB on 30 November is 00.30 WITA on 1 December.
    let late = FixedClock(datetime!(2026-11-30 16:30 UTC));
    assert_eq!(registry::today(&late, klaten), date!(2026 - 11 - 30));
    assert_eq!(registry::today(&late, karangasem), date!(2026 - 12 - 01));
    assert_eq!(
        registry::today(&late, KodeWilayah::parse("91.71").unwrap()),
        date!(2026 - 12 - 01),
        "Jayapura (WIT)"
    );

    let november = ReportMonth::new(2026, 11).unwrap();
    let op_klaten = operator(&db, klaten).await;
    match reports::submit_mutation(&db, &late, &op_klaten, november).await {
        Err(ServiceError::Invalid(m)) => assert!(m.contains("setelah bulan itu berakhir"), "{m}"),
        other => panic!("November is not over in Klaten yet: {other:?}"),
    }
    let op_karangasem = operator(&db, karangasem).await;
    reports::submit_mutation(&db, &late, &op_karangasem, november)
        .await
        .expect("November is over in Karangasem");

    // The same activity form in both villages: 08:00 local is 01:00 UTC in
    // Klaten and 00:00 UTC in Karangasem, and each form shows 08:00 again.
    let form = ActivityForm {
        judul: "Posyandu balita".into(),
        uraian: String::new(),
        tempat: "Balai banjar".into(),
        tanggal: "2026-12-06".into(),
        mulai: "08:00".into(),
        selesai: "10:00".into(),
        kapasitas: "20".into(),
        pendaftaran: "1".into(),
        terbit: "1".into(),
    };
    for (v, op, utc) in [
        (klaten, &op_klaten, datetime!(2026-12-06 01:00 UTC)),
        (karangasem, &op_karangasem, datetime!(2026-12-06 00:00 UTC)),
    ] {
        let typed = WriteActivity::try_from((&form, ZonaWaktu::of(v))).unwrap();
        let id = site::create_activity(&db, &late, op, &typed).await.unwrap();
        let stored = site::staff_activity(&db, op, id).await.unwrap();
        assert_eq!(stored.details.starts_at, utc, "{v}");
        assert_eq!(ActivityForm::of(&stored.details, v).mulai, "08:00", "{v}");
    }
}
