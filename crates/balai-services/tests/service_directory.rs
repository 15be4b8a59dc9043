//! The regency's service directory (issue 13 part 5) through the services:
//! only the regency administrator keeps it; every village of the regency
//! sees it and no village of another regency does; a form's every problem
//! is named. Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::regions::{self, RegionsSource};
use balai_services::service_directory::{self, ServiceDraft, ServiceForm};
use balai_services::staff::Staff;
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: &str) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: format!("{}.test", role.as_str()),
        display_name: role.label().into(),
        role,
        scope: KodeWilayah::parse(scope).unwrap(),
        assigned: vec![],
    }
}

fn form() -> ServiceForm {
    ServiceForm {
        topik: "kesehatan".into(),
        nama: "Puskesmas Klaten Tengah".into(),
        keterangan: "Pemeriksaan umum, KIA, imunisasi.\r\nRujukan BPJS.".into(),
        tempat: "Jl. Pemuda 10, Klaten".into(),
        jam: "Senin–Sabtu 07.30–14.00".into(),
        syarat: "KTP-el, kartu BPJS".into(),
        kontak: "0272 321000".into(),
    }
}

#[tokio::test]
async fn only_the_regency_administrator_keeps_the_directory_every_village_of_the_regency_sees_it() {
    let db = Db::from_store(balai_store::testing::test_store().await);
    regions::import(
        &db,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
    .await
    .unwrap();
    let clock = FixedClock(NOW);
    let admin = staff(Role::RegencyAdmin, "3310");
    let draft = ServiceDraft::try_from(&form()).unwrap();
    assert_eq!(
        draft.description,
        "Pemeriksaan umum, KIA, imunisasi.\nRujukan BPJS."
    );
    let id = service_directory::save(&db, &clock, &admin, None, &draft)
        .await
        .unwrap();
    let klaten_village = KodeWilayah::parse("3310012001").unwrap();
    let seen = service_directory::for_village(&db, klaten_village)
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].name, "Puskesmas Klaten Tengah");
    // A village of another regency sees nothing of Klaten's.
    let other = KodeWilayah::parse("3309012001").unwrap();
    assert!(
        service_directory::for_village(&db, other)
            .await
            .unwrap()
            .is_empty()
    );
    // Nobody else edits, and another regency's administrator cannot reach it.
    for who in [
        staff(Role::Facilitator, "3310"),
        staff(Role::VillageOperator, "3310012001"),
        staff(Role::RegencyAdmin, "3309"),
    ] {
        assert!(matches!(
            service_directory::save(&db, &clock, &who, Some(id), &draft).await,
            Err(ServiceError::NotFound)
        ));
        assert!(matches!(
            service_directory::delete(&db, &clock, &who, id).await,
            Err(ServiceError::NotFound)
        ));
    }
    let mut changed = draft.clone();
    changed.hours = "Setiap hari 24 jam (IGD)".into();
    service_directory::save(&db, &clock, &admin, Some(id), &changed)
        .await
        .unwrap();
    let seen = service_directory::for_village(&db, klaten_village)
        .await
        .unwrap();
    assert_eq!(seen[0].hours, "Setiap hari 24 jam (IGD)");
    service_directory::delete(&db, &clock, &admin, id)
        .await
        .unwrap();
    assert!(
        service_directory::for_village(&db, klaten_village)
            .await
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_service_form_names_every_problem() {
    let e = ServiceDraft::try_from(&ServiceForm {
        topik: "hiburan".into(),
        nama: " ".into(),
        keterangan: String::new(),
        tempat: "x".repeat(201),
        jam: String::new(),
        syarat: String::new(),
        kontak: "y".repeat(121),
    })
    .unwrap_err();
    let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        ["jam", "keterangan", "kontak", "nama", "tempat", "topik"]
    );
}
