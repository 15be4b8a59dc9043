//! The family list (search, filters, paging) and the printed cards and
//! registers (family card, biodata, mutation report village-wide and by
//! dusun, Buku Induk), read back from their PDFs.

use balai_domain::KodeWilayah;
use balai_domain::codes::{Shdk, StatusDasar};
use balai_domain::life_event::is_resident;
use balai_domain::role::Role;
use balai_services::Db;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::prints;
use balai_services::registry::{self, FamilyFilter};
use balai_services::reports::{self, ReportMonth};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_store::{Store, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn operator(village: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "op".into(),
        display_name: "Op".into(),
        role: Role::VillageOperator,
        scope: village,
        assigned: vec![],
    }
}

async fn village(residents: u32) -> (Store, Db, VillageAccess) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    let demo = seed(
        &db,
        &WriteContext::new("system:test", NOW),
        DemoOptions {
            seed: 7,
            villages: 1,
            residents_per_village: residents,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let access = authorize(&db, &operator(v), v).await.unwrap();
    (store, db, access)
}

/// The text of every page, whitespace collapsed.
fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Width and height of the first page, in points.
fn page_size(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let dict = doc.get_dictionary(page).unwrap();
    let mb = dict.get(b"MediaBox").unwrap().as_array().unwrap();
    let n = |o: &lopdf::Object| {
        o.as_float()
            .or_else(|_| o.as_i64().map(|i| i as f32))
            .unwrap()
    };
    (n(&mb[2]) - n(&mb[0]), n(&mb[3]) - n(&mb[1]))
}

#[tokio::test]
async fn the_family_list_finds_cards_by_number_prefix_and_head_name_and_narrows_by_dusun_rw_rt() {
    let (store, db, access) = village(300).await;
    let clock = FixedClock(NOW);
    let v = access.village();
    let (families, residents) = store.village_population(v).await.unwrap();
    let all = registry::families(&db, &clock, &access, &FamilyFilter::default(), 1)
        .await
        .unwrap();
    assert_eq!(all.total, families.len() as i64);
    assert_eq!(
        all.items.len(),
        families.len().min(registry::PER_PAGE as usize)
    );
    let numbers: Vec<String> = all
        .items
        .iter()
        .map(|f| f.family.no_kk.to_string())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted, "listed by card number");
    // Page 2 goes on where page 1 ended.
    let second = registry::families(&db, &clock, &access, &FamilyFilter::default(), 2)
        .await
        .unwrap();
    if let Some(first_of_second) = second.items.first() {
        assert!(first_of_second.family.no_kk.to_string() > *numbers.last().unwrap());
    }

    // A card with a living head: found by the start of its number and by the head's name.
    let head = residents
        .iter()
        .find(|r| r.relationship == Shdk::KepalaKeluarga && r.status == StatusDasar::Hidup)
        .unwrap();
    let fam = families
        .iter()
        .find(|f| Some(f.id) == head.family_id)
        .unwrap();
    let prefix = &fam.no_kk.to_string()[..12];
    let by_number = registry::families(
        &db,
        &clock,
        &access,
        &FamilyFilter {
            query: Some(prefix.into()),
            ..Default::default()
        },
        1,
    )
    .await
    .unwrap();
    assert!(by_number.items.iter().any(|f| f.family.id == fam.id));
    assert!(
        by_number
            .items
            .iter()
            .all(|f| f.family.no_kk.to_string().starts_with(prefix))
    );
    let item = by_number
        .items
        .iter()
        .find(|f| f.family.id == fam.id)
        .unwrap();
    assert_eq!(
        item.head.as_ref().map(|h| h.as_str()),
        Some(head.name.as_str())
    );
    let current = residents
        .iter()
        .filter(|r| r.family_id == Some(fam.id) && is_resident(r.status))
        .count();
    assert_eq!(item.members, current as i64, "current members only");

    let by_name = registry::families(
        &db,
        &clock,
        &access,
        &FamilyFilter {
            query: Some(head.name.as_str().to_lowercase()),
            ..Default::default()
        },
        1,
    )
    .await
    .unwrap();
    assert!(by_name.items.iter().any(|f| f.family.id == fam.id));
    assert!(by_name.total < all.total, "a name narrows the list");

    // Dusun, then RW and RT, narrow to exactly the cards there.
    let w = &fam.wilayah;
    for filter in [
        FamilyFilter {
            dusun: Some(w.dusun().into()),
            ..Default::default()
        },
        FamilyFilter {
            dusun: Some(w.dusun().into()),
            rw: Some(w.rw().into()),
            rt: Some(w.rt().into()),
            ..Default::default()
        },
    ] {
        let found = registry::families(&db, &clock, &access, &filter, 1)
            .await
            .unwrap();
        let expected = families
            .iter()
            .filter(|f| {
                f.wilayah.dusun() == w.dusun()
                    && filter.rw.as_deref().is_none_or(|rw| f.wilayah.rw() == rw)
                    && filter.rt.as_deref().is_none_or(|rt| f.wilayah.rt() == rt)
            })
            .count();
        assert_eq!(found.total, expected as i64, "{filter:?}");
        assert!(found.items.iter().any(|f| f.family.id == fam.id));
    }
    // Nothing matches: an empty page, not an error.
    let none = registry::families(
        &db,
        &clock,
        &access,
        &FamilyFilter {
            query: Some("zzzqqq".into()),
            ..Default::default()
        },
        1,
    )
    .await
    .unwrap();
    assert_eq!((none.total, none.items.len()), (0, 0));
    // The heads shown are logged as viewed.
    let log = store.accesses_of(v, head.id).await.unwrap();
    assert!(log.iter().any(|e| e.purpose == "daftar keluarga"));
}

#[tokio::test]
async fn a_printed_family_card_lists_the_dead_and_departed_apart_from_the_current_members() {
    let (store, db, access) = village(400).await;
    let clock = FixedClock(NOW);
    let v = access.village();
    let (families, residents) = store.village_population(v).await.unwrap();
    // A card with both current and former members (five years of events).
    let fam = families
        .iter()
        .find(|f| {
            let on = |keep: bool| {
                residents
                    .iter()
                    .any(|r| r.family_id == Some(f.id) && is_resident(r.status) == keep)
            };
            on(true) && on(false)
        })
        .expect("a family with a member who died or moved away");
    let printed = prints::family_card(&db, &clock, &access, fam.id)
        .await
        .unwrap();
    assert!(printed.pdf.starts_with(b"%PDF"));
    assert_eq!(printed.file_name, format!("kk-{}.pdf", fam.no_kk));
    let (w, h) = page_size(&printed.pdf);
    assert!(w > h, "a KK is printed landscape");
    let text = pdf_text(&printed.pdf);
    assert!(text.contains("KARTU KELUARGA"), "{text}");
    assert!(text.contains(&fam.no_kk.to_string()));
    let apart = text
        .find("telah meninggal atau pindah")
        .expect("the former members' heading");
    for r in residents.iter().filter(|r| r.family_id == Some(fam.id)) {
        let at = text
            .find(&r.number.to_string())
            .unwrap_or_else(|| panic!("{} not printed", r.number));
        if is_resident(r.status) {
            assert!(at < apart, "a current member is listed on the card");
        } else {
            assert!(at > apart, "a former member is listed apart");
        }
    }
    // Printing is a view, logged for every member where the screen's is.
    let member = residents
        .iter()
        .find(|r| r.family_id == Some(fam.id))
        .unwrap();
    let log = store.accesses_of(v, member.id).await.unwrap();
    assert!(log.iter().any(|e| e.purpose == "kartu keluarga"));
    // Another village's card id is not found.
    let other = prints::family_card(&db, &clock, &access, Uuid::now_v7()).await;
    assert!(matches!(other, Err(balai_services::ServiceError::NotFound)));
}

#[tokio::test]
async fn a_printed_biodata_reads_back_with_the_residents_particulars_and_card() {
    let (store, db, access) = village(200).await;
    let clock = FixedClock(NOW);
    let (families, residents) = store.village_population(access.village()).await.unwrap();
    let r = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && r.family_id.is_some())
        .unwrap();
    let fam = families.iter().find(|f| Some(f.id) == r.family_id).unwrap();
    let printed = prints::biodata(&db, &clock, &access, r.id).await.unwrap();
    let (w, h) = page_size(&printed.pdf);
    assert!(h > w, "a biodata is printed portrait");
    let text = pdf_text(&printed.pdf);
    for needle in [
        "BIODATA PENDUDUK",
        r.name.as_str(),
        &r.number.to_string(),
        &fam.no_kk.to_string(),
        r.religion.label(),
        r.relationship.label(),
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    let log = store.accesses_of(access.village(), r.id).await.unwrap();
    assert!(log.iter().any(|e| e.purpose == "detail penduduk"));
}

#[tokio::test]
async fn the_mutation_report_by_dusun_adds_up_to_the_village_and_prints_with_the_month() {
    let (_, db, access) = village(400).await;
    let clock = FixedClock(NOW);
    let mut month = ReportMonth::new(2025, 11).unwrap();
    for _ in 0..12 {
        let village = reports::mutation(&db, &access, month.year, month.month)
            .await
            .unwrap();
        let parts = reports::mutation_by_dusun(&db, &access, month)
            .await
            .unwrap();
        assert!(parts.len() > 1, "the demo village has several dusun");
        let sum = |f: fn(&balai_domain::mutation_report::MutationReport) -> (u32, u32)| {
            parts
                .iter()
                .map(|p| f(&p.report))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        assert_eq!(
            sum(|r| (r.start.male, r.start.female)),
            (village.start.male, village.start.female)
        );
        assert_eq!(
            sum(|r| (r.births.male, r.births.female)),
            (village.births.male, village.births.female)
        );
        assert_eq!(
            sum(|r| (r.deaths.male, r.deaths.female)),
            (village.deaths.male, village.deaths.female)
        );
        assert_eq!(
            sum(|r| (r.moved_out.male, r.moved_out.female)),
            (village.moved_out.male, village.moved_out.female)
        );
        assert_eq!(
            sum(|r| (r.end.male, r.end.female)),
            (village.end.male, village.end.female)
        );
        assert!(parts.iter().all(|p| p.report.reconciles()));
        month = month.next();
    }
    let month = ReportMonth::new(2026, 10).unwrap();
    let village = reports::mutation(&db, &access, 2026, 10).await.unwrap();
    let parts = reports::mutation_by_dusun(&db, &access, month)
        .await
        .unwrap();
    let printed = prints::mutation(&db, &clock, &access, month).await.unwrap();
    let text = pdf_text(&printed.pdf);
    for needle in [
        "LAPORAN MUTASI PENDUDUK",
        "BULAN OKTOBER 2026",
        "Penduduk akhir bulan",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    assert!(text.contains(&village.end.total().to_string()));
    for p in &parts {
        assert!(text.contains(&p.dusun), "{} not printed", p.dusun);
    }
    let by_dusun = prints::mutation_by_dusun(&db, &clock, &access, month)
        .await
        .unwrap();
    let (w, h) = page_size(&by_dusun.pdf);
    assert!(w > h, "the by-dusun table is printed landscape");
    let text = pdf_text(&by_dusun.pdf);
    assert!(text.contains("MENURUT DUSUN"), "{text}");
    assert!(text.contains("JUMLAH"));
}

#[tokio::test]
async fn the_buku_induk_prints_landscape_in_parts_with_every_resident_and_logs_them() {
    let (store, db, access) = village(600).await;
    let clock = FixedClock(NOW);
    let (_, residents) = store.village_population(access.village()).await.unwrap();
    assert!(
        residents.len() > prints::INDUK_PER_PART,
        "more than one part"
    );
    let first = prints::buku_induk(&db, &clock, &access, 1).await.unwrap();
    let second = prints::buku_induk(&db, &clock, &access, 2).await.unwrap();
    let (w, h) = page_size(&first.pdf);
    assert!(w > h, "the Buku Induk is printed landscape");
    let (one, two) = (pdf_text(&first.pdf), pdf_text(&second.pdf));
    assert!(one.contains("BUKU INDUK PENDUDUK"));
    assert!(one.contains("Bagian 1 dari 2 · No. 1–500"), "{one}");
    assert!(two.contains(&format!("Bagian 2 dari 2 · No. 501–{}", residents.len())));
    for (i, r) in residents.iter().enumerate() {
        let (printed, other) = if i < prints::INDUK_PER_PART {
            (&one, &two)
        } else {
            (&two, &one)
        };
        assert!(
            printed.contains(&r.number.to_string()),
            "{} not printed",
            r.number
        );
        assert!(
            !other.contains(&r.number.to_string()),
            "{} printed twice",
            r.number
        );
    }
    // Past the last part: not found.
    let past = prints::buku_induk(&db, &clock, &access, 3).await;
    assert!(matches!(past, Err(balai_services::ServiceError::NotFound)));
    let last = residents.last().unwrap();
    let log = store.accesses_of(access.village(), last.id).await.unwrap();
    assert!(log.iter().any(|e| e.purpose == "buku induk penduduk"));
}
