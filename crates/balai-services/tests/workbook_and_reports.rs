//! Export then import gives identical data; the mutation report reconciles
//! month after month over generated years of events.

use std::sync::Arc;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::role::Role;
use balai_services::Db;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::export::{Format, export};
use balai_services::import::import_workbook;
use balai_services::reports;
use balai_services::staff::{Staff, authorize};
use balai_store::WriteContext;
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

#[tokio::test]
async fn export_then_import_into_an_empty_village_gives_identical_data() {
    let ctx = WriteContext::new("system:test", NOW);
    let clock = Arc::new(FixedClock(NOW));
    let source = balai_store::testing::test_store().await;
    let source_db = Db::from_store(source.clone());
    let demo = seed(
        &source_db,
        &ctx,
        DemoOptions {
            seed: 21,
            villages: 1,
            residents_per_village: 400,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let access = authorize(&source_db, &operator(v), v).await.unwrap();
    let (_, xlsx) = export(&source_db, clock.as_ref(), &access, Format::Xlsx)
        .await
        .unwrap();
    let (src_families, src_residents) = source.village_population(v).await.unwrap();
    assert!(
        src_residents.iter().any(|r| r.number.is_temporary()),
        "the data includes temporary numbers"
    );
    assert!(
        src_residents.iter().any(|r| r.status == StatusDasar::Mati),
        "and the dead"
    );

    // The same village, empty, on another server.
    let target = balai_store::testing::test_store().await;
    target
        .import_regions(&ctx, &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    target.create_village(&ctx, v).await.unwrap();
    let target_db = Db::from_store(target.clone());
    let target_access = authorize(&target_db, &operator(v), v).await.unwrap();
    let report = import_workbook(&target_db, clock.as_ref(), &target_access, xlsx, |_| {})
        .await
        .map_err(|_| "import failed")
        .unwrap();
    assert_eq!(
        (report.residents_new, report.families_new),
        (src_residents.len(), src_families.len())
    );
    let (families, residents) = target.village_population(v).await.unwrap();
    let fam_by_id = |list: &[balai_domain::family::Family], id| {
        list.iter().find(|f| Some(f.id) == id).map(|f| f.no_kk)
    };
    let mut a: Vec<_> = src_residents.iter().collect();
    let mut b: Vec<_> = residents.iter().collect();
    a.sort_by_key(|r| r.number);
    b.sort_by_key(|r| r.number);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            fam_by_id(&src_families, x.family_id),
            fam_by_id(&families, y.family_id),
            "same family card"
        );
        let mut y = (*y).clone();
        // Row ids are the new server's own; everything recorded must match.
        y.id = x.id;
        y.family_id = x.family_id;
        assert_eq!(&y, *x);
    }
    for f in &src_families {
        let g = families
            .iter()
            .find(|g| g.no_kk == f.no_kk)
            .expect("every card");
        assert_eq!((&g.address, &g.wilayah), (&f.address, &f.wilayah));
    }
}

#[tokio::test]
async fn the_mutation_report_reconciles_over_five_generated_years() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 8,
            villages: 1,
            residents_per_village: 2_000,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let mut previous_end = None;
    let mut movements = 0;
    for year in 2021..=2026 {
        for month in 1..=12u8 {
            if (year, month) > (2026, 11) {
                break;
            }
            let r = reports::mutation(&db, &access, year, month).await.unwrap();
            assert!(r.reconciles(), "{year}-{month}: {r:?}");
            if let Some(end) = previous_end {
                assert_eq!(
                    r.start, end,
                    "{year}-{month} starts where the last month ended"
                );
            }
            previous_end = Some(r.end);
            movements +=
                r.births.total() + r.deaths.total() + r.moved_in.total() + r.moved_out.total();
        }
    }
    assert!(
        movements > 100,
        "five years of a 2,000-person village move: {movements}"
    );
    // The last month ends with today's living population.
    let (_, residents) = store.village_population(v).await.unwrap();
    let living = residents
        .iter()
        .filter(|r| r.status == StatusDasar::Hidup)
        .count() as u32;
    assert_eq!(previous_end.unwrap().total(), living);
}
