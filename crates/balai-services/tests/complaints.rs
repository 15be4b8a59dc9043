//! Complaints through the services: anyone files one and follows it by its
//! reference; references cannot be counted and a wrong one looks like a
//! missing one; only the village's own staff read who filed it, only its
//! operator answers, a closed complaint stays closed, and complaints travel
//! in the change feed. Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::complaint::{ComplaintCategory, ComplaintStatus};
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::complaints::{self, ComplaintForm, FileComplaint, Respond, ResponseForm};
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
use balai_services::staff::{Staff, authorize};
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: KodeWilayah, assigned: Vec<KodeWilayah>) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "staf".into(),
        display_name: "Staf".into(),
        role,
        scope,
        assigned,
    }
}

async fn villages() -> (Db, Vec<KodeWilayah>) {
    let db = Db::from_store(balai_store::testing::test_store().await);
    let report = generate(
        &db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 30,
            seed: 4,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, report.villages)
}

fn complaint(body: &str) -> FileComplaint {
    FileComplaint::try_from(&ComplaintForm {
        kategori: "2".into(),
        nama: "  Bu Sri  ".into(),
        kontak: "0812 3456 7890".into(),
        isi: body.into(),
    })
    .unwrap()
}

#[test]
fn a_complaint_form_reports_every_problem_under_its_field() {
    let e = FileComplaint::try_from(&ComplaintForm {
        kategori: "7".into(),
        nama: "x".repeat(101),
        kontak: String::new(),
        isi: "jalan rusak".into(),
    })
    .unwrap_err();
    assert!(e.0.contains_key("kategori"), "{e}");
    assert!(e.0.contains_key("nama"), "{e}");
    assert!(
        e.0.contains_key("isi"),
        "a one-line complaint is too short: {e}"
    );
    assert!(!e.0.contains_key("kontak"), "contact is optional");
    let ok = complaint("Jalan di RT 02 berlubang besar sejak bulan lalu.\r\nMohon diperbaiki.");
    assert_eq!(ok.category, ComplaintCategory::Infrastruktur);
    assert_eq!(ok.name, "Bu Sri");
    assert!(!ok.body.contains('\r'));
}

#[tokio::test]
async fn a_filed_complaint_is_followed_by_its_reference_and_a_wrong_one_looks_missing() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let first = complaints::file(
        &db,
        &clock,
        v,
        &complaint("Lampu jalan di dusun Krajan mati seminggu."),
    )
    .await
    .unwrap();
    let second = complaints::file(
        &db,
        &clock,
        v,
        &complaint("Saluran air di depan balai desa tersumbat."),
    )
    .await
    .unwrap();
    assert_eq!(first.reference.year(), 2026);
    assert_eq!(
        (first.reference.number(), second.reference.number()),
        (1, 2)
    );
    let text = first.reference.to_string();
    assert!(text.starts_with("ADU-2026-0001-"), "{text}");

    let seen = complaints::track(&db, v, &text.to_lowercase())
        .await
        .unwrap();
    assert_eq!(seen.status, ComplaintStatus::Diterima);
    assert_eq!(seen.body, "Lampu jalan di dusun Krajan mati seminggu.");
    assert_eq!(seen.filed_on, date!(2026 - 11 - 22));

    // The right running number with another code, another village, garbage:
    // all the same "not found".
    let mut guessed = text.clone();
    let last = guessed.pop().unwrap();
    guessed.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [
        guessed.as_str(),
        "ADU-2026-0003-AAAAAA",
        "",
        "1 OR 1=1",
        "ADU-2026-0001",
    ] {
        assert!(
            matches!(
                complaints::track(&db, v, wrong).await,
                Err(ServiceError::NotFound)
            ),
            "{wrong:?}"
        );
    }
    assert!(matches!(
        complaints::track(&db, other, &text).await,
        Err(ServiceError::NotFound)
    ));
    // A village that is not served here takes no complaints.
    assert!(matches!(
        complaints::file(
            &db,
            &clock,
            KodeWilayah::parse("3310992999").unwrap(),
            &complaint("Tidak ada desa seperti ini di sini.")
        )
        .await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn only_the_villages_own_staff_read_complaints_and_only_its_operator_answers() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let regency = v.ancestor(balai_domain::RegionLevel::Regency).unwrap();
    let clock = FixedClock(NOW);
    let filed = complaints::file(
        &db,
        &clock,
        v,
        &complaint("Pelayanan surat di balai desa lambat sekali."),
    )
    .await
    .unwrap();
    let operator = authorize(&db, &staff(Role::VillageOperator, v, vec![]), v)
        .await
        .unwrap();
    let listed = complaints::list(&db, &operator, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].name, "Bu Sri",
        "the village's staff see who filed it"
    );
    let id = listed[0].id;

    // Those who may see the village's figures but not its people's data
    // get no access to its personal data at all (issue 13: "not found").
    for who in [
        staff(Role::Facilitator, regency, vec![v]),
        staff(Role::RegencyAdmin, regency, vec![]),
    ] {
        assert!(
            matches!(authorize(&db, &who, v).await, Err(ServiceError::NotFound)),
            "{:?}",
            who.role
        );
    }
    // Another village's operator cannot even reach the village.
    assert!(
        authorize(&db, &staff(Role::VillageOperator, other, vec![]), v)
            .await
            .is_err()
    );
    // The head reads but does not answer.
    let head = authorize(&db, &staff(Role::VillageHead, v, vec![]), v)
        .await
        .unwrap();
    assert_eq!(complaints::show(&db, &head, id).await.unwrap().id, id);
    let step = |status: &str, answer: &str| {
        Respond::try_from(&ResponseForm {
            status: status.into(),
            jawaban: answer.into(),
        })
    };
    assert!(matches!(
        complaints::respond(&db, &clock, &head, id, &step("2", "").unwrap()).await,
        Err(ServiceError::Forbidden(_))
    ));
    // Closing needs an answer; "received" is not a step.
    assert!(step("3", "ok").unwrap_err().0.contains_key("jawaban"));
    assert!(step("1", "").unwrap_err().0.contains_key("status"));
    complaints::respond(&db, &clock, &operator, id, &step("2", "").unwrap())
        .await
        .unwrap();
    complaints::respond(
        &db,
        &clock,
        &operator,
        id,
        &step(
            "3",
            "Loket surat kini buka pukul 08.00; terima kasih atas laporannya.",
        )
        .unwrap(),
    )
    .await
    .unwrap();
    let seen = complaints::track(&db, v, &filed.reference.to_string())
        .await
        .unwrap();
    assert_eq!(seen.status, ComplaintStatus::Selesai);
    assert!(seen.answer.starts_with("Loket surat"));
    // Closed stays closed: what the filer was told is not rewritten.
    match complaints::respond(
        &db,
        &clock,
        &operator,
        id,
        &step("4", "Ditolak karena bukan urusan desa.").unwrap(),
    )
    .await
    {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("status")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Filtering by status.
    assert_eq!(
        complaints::list(&db, &operator, Some(ComplaintStatus::Selesai))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        complaints::list(&db, &operator, Some(ComplaintStatus::Diterima))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn complaints_travel_in_the_change_feed() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    complaints::file(
        &db,
        &clock,
        v,
        &complaint("Sampah menumpuk di pinggir sungai dekat makam."),
    )
    .await
    .unwrap();
    let operator = authorize(&db, &staff(Role::VillageOperator, v, vec![]), v)
        .await
        .unwrap();
    let id = complaints::list(&db, &operator, None).await.unwrap()[0].id;
    complaints::respond(
        &db,
        &clock,
        &operator,
        id,
        &Respond::try_from(&ResponseForm {
            status: "2".into(),
            jawaban: String::new(),
        })
        .unwrap(),
    )
    .await
    .unwrap();
    let feed_here = feed::authorize(&db, &staff(Role::VillageOperator, v, vec![]), v)
        .await
        .unwrap();
    let entries = feed::changes_after(&db, &feed_here, 0, 10_000)
        .await
        .unwrap();
    assert!(entries.iter().any(|e| {
        e.payload
            .iter()
            .flat_map(|p| p.rows.iter())
            .any(|r| r.table == feed::Table::Complaint)
    }));
    let target = Db::from_store(balai_store::testing::test_store().await);
    regions::import(
        &target,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
    .await
    .unwrap();
    feed::replay(&target, &entries).await.unwrap();
    let there = authorize(&target, &staff(Role::VillageOperator, v, vec![]), v)
        .await
        .unwrap();
    let feed_there = feed::authorize(&target, &staff(Role::VillageOperator, v, vec![]), v)
        .await
        .unwrap();
    assert_eq!(
        feed::content_hash(&target, &feed_there).await.unwrap(),
        feed::content_hash(&db, &feed_here).await.unwrap()
    );
    let moved = complaints::list(&target, &there, None).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].status, ComplaintStatus::Diproses);
}
