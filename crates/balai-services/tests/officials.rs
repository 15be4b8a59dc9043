//! Village officials as data: recorded, edited and ended through the one
//! write path (so in the change feed), picked as a letter's signer, named
//! correctly in the letter's opening and signature block, listed publicly
//! without their numbers.

mod common;

use std::sync::Arc;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::official::{Appointment, AppointmentText, Authority};
use balai_domain::role::Role;
use balai_services::ServiceError;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::{self, LetterForm};
use balai_services::officials;
use balai_services::staff::{Staff, authorize};
use balai_store::{Store, Table, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

fn staff(v: KodeWilayah, role: Role) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: format!("{}-user", role.as_str()),
        display_name: "Staf".into(),
        role,
        scope: v,
        assigned: vec![],
    }
}

/// The letter's text with every run of whitespace made one space (the
/// opening wraps over lines).
fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn appointment(position: &str, name: &str, acting: bool, start: &str, end: &str) -> Appointment {
    Appointment::parse(&AppointmentText {
        position,
        name,
        dusun: if position == "9" { "Krajan" } else { "" },
        acting,
        number: match position {
            "2" => "19850312 201001 2 004",
            "8" => "412/07/2019",
            _ => "",
        },
        start,
        end,
    })
    .unwrap()
}

async fn village(store: &Store, db: &balai_services::Db, villages: u32) -> Vec<KodeWilayah> {
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        db,
        &ctx,
        DemoOptions {
            seed: 5,
            villages,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let _ = store;
    demo.villages.iter().map(|v| v.village.kode).collect()
}

async fn living_nik(store: &Store, v: KodeWilayah) -> String {
    let (_, residents) = store.village_population(v).await.unwrap();
    residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string()
}

fn letter_form(nik: &str, signer: &str) -> LetterForm {
    let mut f = LetterForm {
        jenis: "domisili".into(),
        nik: nik.into(),
        keperluan: "Melamar pekerjaan".into(),
        penandatangan: signer.into(),
        ..Default::default()
    };
    f.extras.insert(
        "alamat_domisili".into(),
        "Dusun Krajan RT 001 RW 002".into(),
    );
    f
}

#[tokio::test]
async fn officials_are_recorded_edited_and_ended_in_the_change_feed() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let vs = village(&store, &db, 2).await;
    let (v, other) = (vs[0], vs[1]);
    let clock = FixedClock(NOW);
    let op = authorize(&db, &staff(v, Role::VillageOperator), v)
        .await
        .unwrap();
    let before = store.feed_after(v, 0, 100_000).await.unwrap().len();

    let sekdes = officials::add(
        &db,
        &clock,
        &op,
        &appointment("2", "Siti Aminah, S.Pd.", false, "2024-01-15", ""),
    )
    .await
    .unwrap();
    let kasi = officials::add(
        &db,
        &clock,
        &op,
        &appointment("8", "Budi Santoso", false, "2024-01-15", ""),
    )
    .await
    .unwrap();
    officials::add(
        &db,
        &clock,
        &op,
        &appointment("9", "Joko", false, "2024-01-15", ""),
    )
    .await
    .unwrap();
    officials::add(
        &db,
        &clock,
        &op,
        &appointment("21", "Hartono", false, "2023-06-01", "2029-05-31"),
    )
    .await
    .unwrap();

    // Secretary first (a.n.), then the Kasi (u.b.); the Kadus and the BPD do not sign.
    let signers = officials::signers_on(&db, v, date!(2026 - 11 - 22))
        .await
        .unwrap();
    let got: Vec<_> = signers
        .iter()
        .map(|s| (s.official.id, s.authority))
        .collect();
    assert_eq!(
        got,
        [(sekdes, Authority::OnBehalf), (kasi, Authority::ByOrder)]
    );
    // Another village has none of them.
    assert!(
        officials::signers_on(&db, other, date!(2026 - 11 - 22))
            .await
            .unwrap()
            .is_empty()
    );

    // An edit from a stale read is refused, changing nothing.
    let read = officials::one(&db, &op, kasi).await.unwrap();
    let later = FixedClock(NOW + time::Duration::minutes(1));
    officials::end_term(
        &db,
        &later,
        &op,
        kasi,
        read.updated_at,
        date!(2026 - 06 - 30),
    )
    .await
    .unwrap();
    let stale = officials::edit(
        &db,
        &later,
        &op,
        kasi,
        read.updated_at,
        &appointment("8", "Budi S", false, "2024-01-15", ""),
    )
    .await;
    assert!(matches!(stale, Err(ServiceError::Invalid(_))), "{stale:?}");
    // A term cannot end before it began: a field error under `selesai`.
    let now_read = officials::one(&db, &op, kasi).await.unwrap();
    match officials::end_term(
        &db,
        &later,
        &op,
        kasi,
        now_read.updated_at,
        date!(2020 - 01 - 01),
    )
    .await
    {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("selesai")),
        other => panic!("{other:?}"),
    }
    // The Kasi signed until the end of June, not after.
    let on = |d| officials::signers_on(&db, v, d);
    assert_eq!(on(date!(2026 - 06 - 30)).await.unwrap().len(), 2);
    assert_eq!(on(date!(2026 - 07 - 01)).await.unwrap().len(), 1);

    // Every write is a feed entry carrying the official's row.
    let feed = store.feed_after(v, 0, 100_000).await.unwrap();
    let official_rows = feed[before..]
        .iter()
        .filter(|e| {
            e.payload
                .as_ref()
                .is_some_and(|p| p.rows.iter().any(|r| r.table == Table::Official))
        })
        .count();
    assert_eq!(official_rows, 5, "four records and one ended term");

    // Only the village's operator or administrator edits; the head reads;
    // a facilitator or regency administrator does not even see them.
    let head = authorize(&db, &staff(v, Role::VillageHead), v)
        .await
        .unwrap();
    assert_eq!(officials::list(&db, &head).await.unwrap().len(), 4);
    let refused = officials::add(
        &db,
        &clock,
        &head,
        &appointment("3", "Ani", false, "2024-01-15", ""),
    )
    .await;
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
    let regency = KodeWilayah::parse(&v.plain()[..4]).unwrap();
    for role in [Role::RegencyAdmin, Role::Facilitator] {
        let mut s = staff(regency, role);
        s.assigned = vec![v];
        assert!(matches!(
            authorize(&db, &s, v).await,
            Err(ServiceError::NotFound)
        ));
    }
    let other_op = authorize(&db, &staff(other, Role::VillageOperator), other)
        .await
        .unwrap();
    assert!(matches!(
        officials::one(&db, &other_op, sekdes).await,
        Err(ServiceError::NotFound)
    ));

    // The public list: current officials and the BPD, never a number.
    let (government, bpd) = officials::public_on(&db, v, date!(2026 - 11 - 22))
        .await
        .unwrap();
    let titles: Vec<_> = government.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(titles, ["Sekretaris Desa", "Kepala Dusun Krajan"]);
    assert_eq!(bpd.len(), 1);
    let json = serde_json::to_string(&(government, bpd)).unwrap();
    assert!(!json.contains("19850312"), "{json}");
}

#[tokio::test]
async fn a_letter_signed_by_a_recorded_official_names_them_in_the_opening_and_signature() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let vs = village(&store, &db, 2).await;
    let (v, other) = (vs[0], vs[1]);
    let clock = Arc::new(FixedClock(NOW));
    let op = authorize(&db, &staff(v, Role::VillageOperator), v)
        .await
        .unwrap();
    let village_name = store.village(v).await.unwrap().unwrap().name;
    let nik = living_nik(&store, v).await;
    let sekdes = officials::add(
        &db,
        clock.as_ref(),
        &op,
        &appointment("2", "Siti Aminah", false, "2024-01-15", ""),
    )
    .await
    .unwrap();
    let kasi = officials::add(
        &db,
        clock.as_ref(),
        &op,
        &appointment("8", "Budi Santoso", false, "2024-01-15", ""),
    )
    .await
    .unwrap();
    let ended = officials::add(
        &db,
        clock.as_ref(),
        &op,
        &appointment("3", "Ani Lestari", false, "2020-01-01", "2025-12-31"),
    )
    .await
    .unwrap();

    let issue = |signer: String| {
        let db = db.clone();
        let op = op.clone();
        let clock = clock.clone();
        let nik = nik.clone();
        async move {
            let letter = letters::IssueLetter::try_from(&letter_form(&nik, &signer))?;
            letters::issue(&db, clock.as_ref(), common::renderer(), &op, &letter, URL).await
        }
    };

    let a_n = issue(format!("pejabat:{sekdes}")).await.unwrap();
    let a_n_pdf = store.letter_pdf(v, a_n.id).await.unwrap().unwrap();
    let text = pdf_text(&a_n_pdf);
    let opening = format!(
        "Yang bertanda tangan di bawah ini, SITI AMINAH, Sekretaris Desa {village_name}, a.n. Kepala Desa {village_name}"
    );
    assert!(text.contains(&opening), "{text}");
    assert!(
        text.contains(&format!("a.n. Kepala Desa {village_name} Sekretaris Desa")),
        "{text}"
    );
    assert!(text.contains("NIP. 19850312 201001 2 004"), "{text}");
    // The sealed letter verifies with the signer as printed.
    let profile = store.village_profile(v).await.unwrap().unwrap();
    let key = balai_letters::PublicKey::from_base64(&profile.public_key).unwrap();
    assert!(balai_letters::verify_pdf(&a_n_pdf, &key).is_ok());

    let u_b = issue(format!("pejabat:{kasi}")).await.unwrap();
    let text = pdf_text(&store.letter_pdf(v, u_b.id).await.unwrap().unwrap());
    assert!(
        text.contains(&format!(
            "BUDI SANTOSO, Kepala Seksi Pelayanan Desa {village_name}, u.b. Sekretaris Desa, a.n. Kepala Desa {village_name}"
        )),
        "{text}"
    );
    assert!(
        text.contains("Sekretaris Desa u.b. Kepala Seksi Pelayanan"),
        "{text}"
    );
    // A village-issued number is printed as such, not as a NIP.
    assert!(text.contains("NIPD. 412/07/2019"), "{text}");
    assert!(!text.contains("NIP. 412"), "{text}");

    // An official whose term ended, or another village's, cannot sign.
    for bad in [
        format!("pejabat:{ended}"),
        format!("pejabat:{}", Uuid::now_v7()),
    ] {
        match issue(bad).await {
            Err(ServiceError::Form(e)) => assert!(e.0.contains_key("penandatangan")),
            other => panic!("{other:?}"),
        }
    }
    let other_op = authorize(&db, &staff(other, Role::VillageOperator), other)
        .await
        .unwrap();
    let other_nik = living_nik(&store, other).await;
    let letter =
        letters::IssueLetter::try_from(&letter_form(&other_nik, &format!("pejabat:{sekdes}")))
            .unwrap();
    match letters::issue(
        &db,
        clock.as_ref(),
        common::renderer(),
        &other_op,
        &letter,
        URL,
    )
    .await
    {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("penandatangan")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn regression_a_letter_signed_an_opened_with_the_heads_title_as_the_signer() {
    // Issue 9: a letter signed a.n. by a typed-in official opened "Yang
    // bertanda tangan di bawah ini, Kepala Desa …", naming the head as the
    // one who signs. A village without officials recorded still signs this
    // way; the opening now names the official.
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let v = village(&store, &db, 1).await[0];
    let clock = FixedClock(NOW);
    let op = authorize(&db, &staff(v, Role::VillageOperator), v)
        .await
        .unwrap();
    let village_name = store.village(v).await.unwrap().unwrap().name;
    let mut f = letter_form(&living_nik(&store, v).await, "an");
    f.an_nama = "Siti Aminah".into();
    f.an_jabatan = "Sekretaris Desa".into();
    let letter = letters::IssueLetter::try_from(&f).unwrap();
    let issued = letters::issue(&db, &clock, common::renderer(), &op, &letter, URL)
        .await
        .unwrap();
    let text = pdf_text(&store.letter_pdf(v, issued.id).await.unwrap().unwrap());
    assert!(
        text.contains(&format!(
            "Yang bertanda tangan di bawah ini, SITI AMINAH, Sekretaris Desa {village_name}, a.n. Kepala Desa {village_name}"
        )),
        "{text}"
    );
}
