//! The village budget (APBDes) through the services: lines typed by staff
//! and their totals, a year private until published, only the village's
//! operator or administrator writes (the head reads), another village's
//! staff reach nothing, the Siskeudes import is all or nothing and refuses
//! another village's export, and everything travels in the change feed (a
//! replay rebuilds it exactly). Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::budget::{FiscalYear, Period};
use balai_domain::role::Role;
use balai_services::budget::{self, LineForm, Publish, WriteLine, siskeudes};
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
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
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store);
    let report = generate(
        &db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 10,
            seed: 7,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, report.villages)
}

async fn access(db: &Db, role: Role, v: KodeWilayah) -> VillageAccess {
    authorize(db, &staff(role, v), v).await.unwrap()
}

fn line(acc: &str, sub: &str, name: &str, budget: &str, realised: &str) -> WriteLine {
    WriteLine::try_from(&LineForm {
        tahun: "2026".into(),
        rekening: acc.into(),
        sub_bidang: sub.into(),
        uraian: name.into(),
        anggaran: budget.into(),
        realisasi: realised.into(),
    })
    .unwrap()
}

fn y2026() -> FiscalYear {
    FiscalYear::new(2026).unwrap()
}

fn publish() -> Publish {
    Publish {
        period: Period::Semester1,
        on: date!(2026 - 07 - 31),
    }
}

#[tokio::test]
async fn the_form_names_every_wrong_field_and_keeps_what_was_typed() {
    let e = WriteLine::try_from(&LineForm {
        tahun: "26".into(),
        rekening: "4.1".into(),
        sub_bidang: "09.09".into(),
        uraian: "x".repeat(300),
        anggaran: "satu juta".into(),
        realisasi: "-5".into(),
    })
    .unwrap_err();
    for field in [
        "tahun",
        "rekening",
        "sub_bidang",
        "uraian",
        "anggaran",
        "realisasi",
    ] {
        assert!(e.0.contains_key(field), "{field}: {e:?}");
    }
    // Spending needs its field; income has none.
    let e = WriteLine::try_from(&LineForm {
        tahun: "2026".into(),
        rekening: "5.2".into(),
        anggaran: "1000".into(),
        ..LineForm::default()
    })
    .unwrap_err();
    assert!(e.0["sub_bidang"].contains("belanja"), "{e:?}");
    let e = WriteLine::try_from(&LineForm {
        tahun: "2026".into(),
        rekening: "4.2.1".into(),
        sub_bidang: "02.01".into(),
        anggaran: "1000".into(),
        ..LineForm::default()
    })
    .unwrap_err();
    assert!(e.0.contains_key("sub_bidang"), "{e:?}");
    // An empty name takes the account's official one.
    assert_eq!(line("4.2.1", "", "", "1.000", "").line.name, "Dana Desa");
}

#[tokio::test]
async fn lines_add_up_stay_private_until_published_and_only_editors_write() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let dd = budget::add_line(
        &db,
        &clock,
        &op,
        &line("4.2.1", "", "", "Rp 900.000.000", "450.000.000"),
    )
    .await
    .unwrap();
    budget::add_line(
        &db,
        &clock,
        &op,
        &line("4.2.3", "", "ADD", "600000000", "300000000"),
    )
    .await
    .unwrap();
    let road = budget::add_line(
        &db,
        &clock,
        &op,
        &line(
            "5.3",
            "02.03",
            "Jalan <desa> & \"rabat\"",
            "1000000000",
            "700000000",
        ),
    )
    .await
    .unwrap();
    budget::add_line(
        &db,
        &clock,
        &op,
        &line("6.1.1", "", "", "100000000", "100000000"),
    )
    .await
    .unwrap();

    let y = budget::staff_year(&db, &op, y2026()).await.unwrap();
    assert_eq!(y.lines.len(), 4);
    assert_eq!(y.report.income.budget, 1_500_000_000);
    assert_eq!(y.report.income.realised, 750_000_000);
    assert_eq!(y.report.spending.budget, 1_000_000_000);
    assert_eq!(y.report.surplus.budget, 500_000_000);
    assert_eq!(y.report.net_financing.budget, 100_000_000);
    assert_eq!(y.report.spending_by_field[1].figures.realised, 700_000_000);
    assert_eq!(y.report.income.percent().unwrap().to_string(), "50,0%");
    assert_eq!(y.lines[0].line.account().code(), "4.2.1", "tree order");

    // A draft year: the public sees nothing.
    assert!(budget::public_years(&db, v).await.unwrap().is_empty());
    assert!(matches!(
        budget::public_year(&db, v, y2026()).await,
        Err(ServiceError::NotFound)
    ));

    // The head and the regency read; neither writes.
    for role in [Role::VillageHead] {
        let a = access(&db, role, v).await;
        assert_eq!(
            budget::staff_year(&db, &a, y2026())
                .await
                .unwrap()
                .lines
                .len(),
            4
        );
        assert!(matches!(
            budget::add_line(&db, &clock, &a, &line("4.1.1", "", "", "1", "")).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    // The regency gets no village access (as for news); it reads what the
    // village publishes.
    let regency = KodeWilayah::parse("33.10").unwrap();
    assert!(matches!(
        authorize(&db, &staff(Role::RegencyAdmin, regency), v).await,
        Err(ServiceError::NotFound)
    ));

    // Another village's operator reaches none of it.
    let op_other = access(&db, Role::VillageOperator, other).await;
    assert!(
        budget::staff_years(&db, &op_other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        budget::staff_line(&db, &op_other, dd).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        budget::update_line(&db, &clock, &op_other, dd, &line("4.2.1", "", "", "1", "")).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        budget::remove_line(&db, &clock, &op_other, dd).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        budget::set_publication(&db, &clock, &op_other, y2026(), Some(publish())).await,
        Err(ServiceError::NotFound)
    ));

    // Edit, delete, publish.
    budget::update_line(
        &db,
        &clock,
        &op,
        dd,
        &line("4.2.1", "", "", "950000000", "500000000"),
    )
    .await
    .unwrap();
    budget::remove_line(&db, &clock, &op, road).await.unwrap();
    assert!(matches!(
        budget::staff_line(&db, &op, road).await,
        Err(ServiceError::NotFound)
    ));
    budget::set_publication(&db, &clock, &op, y2026(), Some(publish()))
        .await
        .unwrap();
    let public = budget::public_year(&db, v, y2026()).await.unwrap();
    assert_eq!(public.lines.len(), 3);
    assert_eq!(public.report.income.budget, 1_550_000_000);
    assert_eq!(public.report.spending.budget, 0);
    let years = budget::public_years(&db, v).await.unwrap();
    assert_eq!(
        years[0].report,
        Some((Period::Semester1, date!(2026 - 07 - 31)))
    );
    assert!(matches!(
        budget::public_year(&db, other, y2026()).await,
        Err(ServiceError::NotFound)
    ));
    // Withdrawn: gone from the public again.
    budget::set_publication(&db, &clock, &op, y2026(), None)
        .await
        .unwrap();
    assert!(budget::public_years(&db, v).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_siskeudes_import_is_all_or_nothing_and_only_for_its_own_village() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let typed = budget::add_line(
        &db,
        &clock,
        &op,
        &line("4.1.1", "", "Pasar desa", "5000000", ""),
    )
    .await
    .unwrap();

    // Bad rows: every one named, nothing written.
    let problems = budget::import_siskeudes(&db, &clock, &op, &siskeudes::fixture(v, 2026, true))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems.0.len(), 3, "{problems:?}");
    assert!(
        problems
            .0
            .iter()
            .all(|p| p.starts_with("Ta_RAB.csv baris "))
    );
    let y = budget::staff_year(&db, &op, y2026()).await.unwrap();
    assert_eq!(y.lines.len(), 1);
    assert_eq!(y.lines[0].id, typed);

    // Another village's export into this village: refused, whole.
    let problems =
        budget::import_siskeudes(&db, &clock, &op, &siskeudes::fixture(other, 2026, false))
            .await
            .unwrap()
            .unwrap_err();
    assert!(
        problems.0.iter().all(|p| p.contains("bukan desa ini")),
        "{problems:?}"
    );
    assert_eq!(
        budget::staff_year(&db, &op, y2026())
            .await
            .unwrap()
            .lines
            .len(),
        1
    );

    // Not a zip at all.
    let problems = budget::import_siskeudes(&db, &clock, &op, b"Tahun,Kd_Desa\n2026,01.2001.\n")
        .await
        .unwrap()
        .unwrap_err();
    assert!(problems.0[0].contains("bukan arsip zip"));

    // Only editors import.
    let head = access(&db, Role::VillageHead, v).await;
    assert!(matches!(
        budget::import_siskeudes(&db, &clock, &head, &siskeudes::fixture(v, 2026, false)).await,
        Err(ServiceError::Forbidden(_))
    ));

    // A good export replaces the year's lines.
    let done = budget::import_siskeudes(&db, &clock, &op, &siskeudes::fixture(v, 2026, false))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.year, y2026());
    assert_eq!(done.lines, 8);
    assert_eq!(done.version, "2.0.6");
    let y = budget::staff_year(&db, &op, y2026()).await.unwrap();
    assert_eq!(y.lines.len(), 8);
    assert!(
        y.lines
            .iter()
            .all(|l| l.source == budget::LineSource::Siskeudes)
    );
    assert_eq!(
        y.report.income.budget,
        950_000_000 + 600_000_000 + 40_000_000
    );
    assert_eq!(y.report.income.realised, 870_000_000);
    assert_eq!(y.report.spending.budget, 1_250_000_000);
    assert_eq!(y.report.financing_in.realised, 120_000_000);
    assert!(matches!(
        budget::staff_line(&db, &op, typed).await,
        Err(ServiceError::NotFound)
    ));
    // The other village has nothing.
    let op_other = access(&db, Role::VillageOperator, other).await;
    assert!(
        budget::staff_years(&db, &op_other)
            .await
            .unwrap()
            .is_empty()
    );

    // Everything travels in the change feed: a replay rebuilds it exactly.
    budget::set_publication(&db, &clock, &op, y2026(), Some(publish()))
        .await
        .unwrap();
    let feed_here = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let entries = feed::changes_after(&db, &feed_here, 0, 10_000)
        .await
        .unwrap();
    for table in [feed::Table::BudgetYear, feed::Table::BudgetLine] {
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
    let there = budget::public_year(&target, v, y2026()).await.unwrap();
    assert_eq!(
        there.report,
        budget::public_year(&db, v, y2026()).await.unwrap().report
    );
    assert_eq!(there.lines.len(), 8, "the removed typed line stays removed");
}
