//! Public information through the services: the list (exempt entries with
//! their reason, documents checked as PDF), the holiday calendar pushing
//! deadlines, requests followed by number (a wrong one looks missing, the
//! requester's name never shown), forward-only status, one extension,
//! objections only after the answer or the deadline, roles and tenant
//! isolation, access logging, and the change feed. Runs on the backend
//! `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::public_info::{Classification, InfoCategory, Outcome, RequestStatus};
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::public_info::{
    self as pi, Answer, AnswerForm, EntryForm, Extend, ExtendForm, FileObjection, FileRequest,
    HolidayForm, ObjectionAnswerForm, ObjectionForm, RequestForm, SetHoliday, WriteEntry,
};
use balai_services::regions::{self, RegionsSource};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

/// Monday 2 November 2026, 10:00 WIB.
const NOW: time::OffsetDateTime = datetime!(2026-11-02 03:00 UTC);

fn staff(role: Role, scope: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "staf".into(),
        display_name: "Staf".into(),
        role,
        scope,
        assigned: Vec::new(),
    }
}

async fn villages() -> (Db, Vec<KodeWilayah>) {
    let (db, _, v) = villages_and_store().await;
    (db, v)
}

async fn villages_and_store() -> (Db, balai_store::Store, Vec<KodeWilayah>) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    let report = generate(
        &db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 10,
            seed: 4,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, store, report.villages)
}

async fn access(db: &Db, role: Role, v: KodeWilayah) -> VillageAccess {
    authorize(db, &staff(role, v), v).await.unwrap()
}

fn at(day: time::Date) -> FixedClock {
    FixedClock(day.with_hms(3, 0, 0).unwrap().assume_utc())
}

fn request() -> FileRequest {
    FileRequest::try_from(&RequestForm {
        nama: "Siti Rahayu".into(),
        kontak: "0812 3456 7890".into(),
        informasi: "Salinan APBDes 2026 beserta rinciannya".into(),
        tujuan: "Bahan diskusi warga".into(),
        cara: "2".into(),
    })
    .unwrap()
}

fn entry(kategori: &str, judul: &str) -> WriteEntry {
    WriteEntry::try_from(&EntryForm {
        judul: judul.into(),
        kategori: kategori.into(),
        dasar: if kategori == "4" {
            "8".into()
        } else {
            String::new()
        },
        alasan: if kategori == "4" {
            "Memuat data pribadi penerima bantuan".into()
        } else {
            String::new()
        },
        ringkasan: "Ringkasan".into(),
        badan: "1".into(),
        tahun: "2026".into(),
    })
    .unwrap()
}

#[test]
fn forms_report_every_problem_under_its_field() {
    let e = FileRequest::try_from(&RequestForm {
        nama: String::new(),
        kontak: "nomor saya".into(),
        informasi: "APBDes".into(),
        tujuan: String::new(),
        cara: "9".into(),
    })
    .unwrap_err();
    for f in ["nama", "kontak", "informasi", "tujuan", "cara"] {
        assert!(e.0.contains_key(f), "{f}: {e}");
    }
    let e = FileRequest::try_from(&RequestForm {
        cara: "3".into(),
        ..RequestForm {
            nama: "Siti".into(),
            kontak: "081234567890".into(),
            informasi: "Salinan APBDes 2026".into(),
            tujuan: "Bahan diskusi".into(),
            cara: String::new(),
        }
    })
    .unwrap_err();
    assert!(
        e.0.contains_key("kontak"),
        "e-mail delivery needs an e-mail: {e}"
    );
    let e = WriteEntry::try_from(&EntryForm {
        judul: "Daftar penerima BLT".into(),
        kategori: "4".into(),
        badan: "1".into(),
        tahun: "2026".into(),
        ..EntryForm::default()
    })
    .unwrap_err();
    assert!(
        e.0.contains_key("dasar") && e.0.contains_key("alasan"),
        "{e}"
    );
    let e = Answer::try_from(&AnswerForm {
        hasil: "3".into(),
        dasar: String::new(),
        jawaban: "Ditolak.".into(),
    })
    .unwrap_err();
    assert!(
        e.0.contains_key("dasar") && e.0.contains_key("jawaban"),
        "{e}"
    );
}

#[tokio::test]
async fn the_list_keeps_exempt_entries_with_their_reason_and_serves_only_pdfs() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let apbdes = pi::create(&db, &clock, &op, &entry("1", "APBDes 2026"))
        .await
        .unwrap();
    let blt = pi::create(&db, &clock, &op, &entry("4", "Data penerima BLT"))
        .await
        .unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let err = pi::attach(&db, &clock, &op, apbdes, "a.pdf", b"<html>%%EOF")
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Form(e) if e.0.contains_key("berkas")));
    assert!(matches!(
        pi::attach(&db, &clock, &op, blt, "b.pdf", pdf).await,
        Err(ServiceError::Form(_))
    ));
    let doc = pi::attach(&db, &clock, &op, apbdes, "../APBDes 2026.pdf", pdf)
        .await
        .unwrap();
    let list = pi::public_list(&db, v).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].content.classification.category(),
        InfoCategory::Berkala
    );
    assert_eq!(
        list[0].document.as_ref().unwrap().file_name,
        "APBDes 2026.pdf"
    );
    match &list[1].content.classification {
        Classification::Dikecualikan(e) => assert!(e.reason().contains("data pribadi")),
        other => panic!("{other:?}"),
    }
    assert_eq!(pi::document(&db, v, doc).await.unwrap().1, pdf.to_vec());
    assert!(matches!(
        pi::document(&db, other, doc).await,
        Err(ServiceError::NotFound)
    ));
    assert!(pi::public_list(&db, other).await.unwrap().is_empty());

    // Roles: a village head reads but does not keep the list; another
    // village's operator cannot even reach it.
    let head = access(&db, Role::VillageHead, v).await;
    assert!(matches!(
        pi::create(&db, &clock, &head, &entry("1", "RKPDes")).await,
        Err(ServiceError::Forbidden(_))
    ));
    let official = access(&db, Role::VillageOfficial, v).await;
    pi::create(&db, &clock, &official, &entry("3", "Peraturan Desa"))
        .await
        .unwrap();
    let theirs = access(&db, Role::VillageOperator, other).await;
    assert!(matches!(
        pi::update(&db, &clock, &theirs, apbdes, &entry("1", "Dirusak")).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        authorize(
            &db,
            &staff(Role::RegencyAdmin, KodeWilayah::parse("33.10").unwrap()),
            v
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    pi::remove(&db, &clock, &op, apbdes).await.unwrap();
    assert!(matches!(
        pi::document(&db, v, doc).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(pi::public_list(&db, v).await.unwrap().len(), 2);
}

#[tokio::test]
async fn holidays_push_the_deadline_and_an_extension_is_granted_once() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let op = access(&db, Role::VillageOperator, v).await;
    // Collective leave on Wed 11 Nov and a holiday on Fri 13 Nov.
    for (day, name) in [("2026-11-11", "Cuti bersama"), ("2026-11-13", "Hari libur")] {
        let h = SetHoliday::try_from(&HolidayForm {
            tanggal: day.into(),
            nama: name.into(),
        })
        .unwrap();
        pi::set_holiday(&db, &FixedClock(NOW), &op, &h)
            .await
            .unwrap();
    }
    assert_eq!(pi::holidays(&db, &op, 2026).await.unwrap().len(), 2);
    let receipt = pi::file_request(&db, &FixedClock(NOW), v, &request())
        .await
        .unwrap();
    // Mon 2 Nov: 3,4,5,6,9,10,12,16,17,18 → Wed 18 Nov (16 without holidays).
    assert_eq!(receipt.deadline, date!(2026 - 11 - 18));
    let id = pi::requests(&db, &FixedClock(NOW), &op, None)
        .await
        .unwrap()[0]
        .request
        .id;
    let x = Extend::try_from(&ExtendForm {
        alasan: "Dokumen masih dikumpulkan dari BPD".into(),
    })
    .unwrap();
    let extended = pi::extend(&db, &FixedClock(NOW), &op, id, &x)
        .await
        .unwrap();
    // 19, 20, 23, 24, 25, 26, 27.
    assert_eq!(extended, date!(2026 - 11 - 27));
    assert!(matches!(
        pi::extend(&db, &FixedClock(NOW), &op, id, &x).await,
        Err(ServiceError::Form(e)) if e.0.contains_key("alasan")
    ));
    let seen = pi::track(&db, &FixedClock(NOW), v, &receipt.reference.to_string())
        .await
        .unwrap();
    assert_eq!(seen.status, RequestStatus::Diperpanjang);
    assert_eq!(seen.deadline, date!(2026 - 11 - 27));
    assert!(seen.extension_reason.contains("BPD"));
    // The overdue flag, after the extended deadline.
    let late = pi::requests(&db, &at(date!(2026 - 11 - 30)), &op, None)
        .await
        .unwrap();
    assert!(late[0].overdue);
    // Removing a holiday is allowed; deadlines already set stay.
    pi::remove_holiday(&db, &FixedClock(NOW), &op, date!(2026 - 11 - 13))
        .await
        .unwrap();
    assert_eq!(pi::holidays(&db, &op, 2026).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_request_is_followed_by_number_answered_once_and_objected_to_after() {
    let (db, store, villages) = villages_and_store().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let receipt = pi::file_request(&db, &clock, v, &request()).await.unwrap();
    let number = receipt.reference.to_string();
    assert!(number.starts_with("PPID-2026-0001-"), "{number}");
    let second = pi::file_request(&db, &clock, v, &request()).await.unwrap();
    assert_eq!(second.reference.number(), 2);

    // No enumeration: a malformed, a wrong-code and another village's
    // number all look like a missing one.
    let wrong_code = format!("{}XXXXXX", &number[..number.len() - 6]);
    for typed in ["", "PPID-2026-0001", wrong_code.as_str()] {
        assert!(matches!(
            pi::track(&db, &clock, v, typed).await,
            Err(ServiceError::NotFound)
        ));
    }
    assert!(matches!(
        pi::track(&db, &clock, other, &number).await,
        Err(ServiceError::NotFound)
    ));
    let seen = pi::track(&db, &clock, v, &number.to_lowercase())
        .await
        .unwrap();
    assert_eq!(seen.status, RequestStatus::Diterima);
    assert!(seen.objection_until.is_none());
    // What the tracker sees carries no name or contact.
    let shown = format!("{seen:?}");
    assert!(
        !shown.contains("Siti") && !shown.contains("0812"),
        "{shown}"
    );

    // Too early to object.
    let objection = FileObjection::try_from(&ObjectionForm {
        nomor: number.clone(),
        dasar: "3".into(),
        alasan: "Belum ada jawaban sama sekali".into(),
    })
    .unwrap();
    assert!(matches!(
        pi::object(&db, &clock, v, &objection).await,
        Err(ServiceError::Form(e)) if e.0.contains_key("nomor")
    ));

    // Staff answer; a head cannot, another village's operator cannot see it.
    let op = access(&db, Role::VillageOperator, v).await;
    let id = pi::requests(&db, &clock, &op, None)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.request.reference == receipt.reference)
        .unwrap()
        .request
        .id;
    let refuse = Answer::try_from(&AnswerForm {
        hasil: "3".into(),
        dasar: "8".into(),
        jawaban: "Memuat data pribadi warga; tidak dapat diberikan.".into(),
    })
    .unwrap();
    let head = access(&db, Role::VillageHead, v).await;
    assert!(matches!(
        pi::answer(&db, &clock, &head, id, &refuse).await,
        Err(ServiceError::Forbidden(_))
    ));
    let theirs = access(&db, Role::VillageOperator, other).await;
    assert!(matches!(
        pi::answer(&db, &clock, &theirs, id, &refuse).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        pi::request(&db, &clock, &theirs, id).await,
        Err(ServiceError::NotFound)
    ));
    let answered_on = at(date!(2026 - 11 - 05));
    pi::answer(&db, &answered_on, &op, id, &refuse)
        .await
        .unwrap();
    // Forward only: answered once, then no extension and no second answer.
    assert!(matches!(
        pi::answer(&db, &answered_on, &op, id, &refuse).await,
        Err(ServiceError::Form(_))
    ));
    assert!(matches!(
        pi::extend(
            &db,
            &answered_on,
            &op,
            id,
            &Extend {
                reason: "terlambat sekali".into()
            }
        )
        .await,
        Err(ServiceError::Form(_))
    ));
    let seen = pi::track(&db, &answered_on, v, &number).await.unwrap();
    assert_eq!(seen.outcome, Some(Outcome::Ditolak));
    assert!(seen.answer.contains("data pribadi"));
    assert_eq!(seen.objection_until, Some(date!(2026 - 12 - 17)));

    // The objection, within 30 working days; only once.
    let later = at(date!(2026 - 11 - 10));
    let after = pi::object(&db, &later, v, &objection).await.unwrap();
    assert_eq!(after.status, RequestStatus::KeberatanDiajukan);
    let o = after.objection.unwrap();
    assert_eq!(o.answer_due, date!(2026 - 12 - 22));
    assert!(matches!(
        pi::object(&db, &later, v, &objection).await,
        Err(ServiceError::Form(_))
    ));
    // The superior's answer, recorded by the head.
    let form = ObjectionAnswerForm {
        jawaban: "Keberatan ditolak; data pribadi dilindungi.".into(),
    };
    pi::answer_objection(&db, &later, &head, id, &form)
        .await
        .unwrap();
    assert!(matches!(
        pi::answer_objection(&db, &later, &head, id, &form).await,
        Err(ServiceError::Form(_))
    ));
    let seen = pi::track(&db, &later, v, &number).await.unwrap();
    assert_eq!(seen.status, RequestStatus::KeberatanDijawab);
    assert!(seen.objection.unwrap().answer.contains("dilindungi"));
    let objections = pi::objections(&db, &op, None).await.unwrap();
    assert_eq!((objections.len(), objections[0].number), (1, 1));
    assert!(pi::objections_csv(&objections).contains(&number));
    let rows = pi::requests(&db, &later, &op, Some(2026)).await.unwrap();
    assert!(pi::requests_csv(&rows).contains("Siti Rahayu"));

    // An unanswered request may be objected to once its deadline passed.
    let other_number = second.reference.to_string();
    let late_objection = FileObjection {
        reference: other_number.clone(),
        ..objection
    };
    let after_deadline = at(date!(2026 - 11 - 17));
    assert_eq!(
        pi::object(&db, &after_deadline, v, &late_objection)
            .await
            .unwrap()
            .status,
        RequestStatus::KeberatanDiajukan
    );

    // Views of requesters' data are logged.
    let logged = store.accesses_of(v, id).await.unwrap();
    assert!(!logged.is_empty());
    assert!(
        logged
            .iter()
            .all(|a| a.purpose == "permohonan informasi publik")
    );
}

#[tokio::test]
async fn public_information_travels_in_the_change_feed() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let e = pi::create(&db, &clock, &op, &entry("1", "APBDes 2026"))
        .await
        .unwrap();
    pi::attach(&db, &clock, &op, e, "apbdes.pdf", b"%PDF-1.4\n%%EOF\n")
        .await
        .unwrap();
    pi::set_holiday(
        &db,
        &clock,
        &op,
        &SetHoliday {
            day: date!(2026 - 12 - 25),
            name: "Natal".into(),
        },
    )
    .await
    .unwrap();
    let receipt = pi::file_request(&db, &clock, v, &request()).await.unwrap();
    let id = pi::requests(&db, &clock, &op, None).await.unwrap()[0]
        .request
        .id;
    pi::answer(
        &db,
        &clock,
        &op,
        id,
        &Answer::try_from(&AnswerForm {
            hasil: "1".into(),
            dasar: String::new(),
            jawaban: "Salinan dapat diambil di kantor desa.".into(),
        })
        .unwrap(),
    )
    .await
    .unwrap();
    pi::object(
        &db,
        &at(date!(2026 - 11 - 04)),
        v,
        &FileObjection {
            reference: receipt.reference.to_string(),
            ground: balai_domain::public_info::ObjectionGround::TidakSesuai,
            reason: "Salinan tidak lengkap".into(),
        },
    )
    .await
    .unwrap();

    let feed_here = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let entries = feed::changes_after(&db, &feed_here, 0, 10_000)
        .await
        .unwrap();
    for table in [
        feed::Table::PublicInfo,
        feed::Table::PublicInfoDocument,
        feed::Table::VillageHoliday,
        feed::Table::InfoRequest,
        feed::Table::InfoObjection,
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
    let seen = pi::track(&target, &clock, v, &receipt.reference.to_string())
        .await
        .unwrap();
    assert_eq!(seen.status, RequestStatus::KeberatanDiajukan);
}
