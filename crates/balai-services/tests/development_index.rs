//! The village development index at the regency (issue 13 part 3) through
//! the services: the ministry's IDM table imported all or nothing, with
//! every bad cell named by row and column; the ranking, the distribution by
//! status and the progress over the years worked out by hand; a
//! facilitator enters figures only for assigned villages and sees only
//! them, with Balai's working shown. Runs on the backend
//! `BALAI_TEST_BACKEND` names (scripts/test runs both).

use balai_domain::KodeWilayah;
use balai_domain::idm::{IdmStatus, IdmYear};
use balai_domain::role::Role;
use balai_services::clock::FixedClock;
use balai_services::development_index::{self, IdmEntry, ImportOutcome};
use balai_services::regency;
use balai_services::regions::{self, RegionsSource};
use balai_services::staff::Staff;
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: &str, assigned: &[KodeWilayah]) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: format!("{}.test", role.as_str()),
        display_name: role.label().into(),
        role,
        scope: KodeWilayah::parse(scope).unwrap(),
        assigned: assigned.to_vec(),
    }
}

/// A database with the built-in region list, Klaten's first four villages
/// and how many villages Klaten has in the list.
async fn world() -> (Db, Vec<KodeWilayah>, usize) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    regions::import(
        &db,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
    .await
    .unwrap();
    let villages = store
        .villages_in_region(KodeWilayah::parse("3310").unwrap())
        .await
        .unwrap();
    assert!(villages.len() > 100, "Klaten's villages are in the list");
    let n = villages.len();
    (db, villages.into_iter().take(4).collect(), n)
}

fn year(y: &str) -> IdmYear {
    IdmYear::parse(y).unwrap()
}

fn table(rows: &[(&KodeWilayah, &str, &str, &str)]) -> String {
    let mut s = String::from("NO;KODE DESA;IKS;IKE;IKL\n");
    for (i, (v, iks, ike, ikl)) in rows.iter().enumerate() {
        s.push_str(&format!("{};{};{iks};{ike};{ikl}\n", i + 1, v.plain()));
    }
    s
}

#[tokio::test]
async fn an_imported_table_ranks_villages_counts_statuses_and_shows_progress() {
    let (db, v, klaten) = world().await;
    let clock = FixedClock(NOW);
    let admin = staff(Role::RegencyAdmin, "3310", &[]);
    let view = regency::view(&admin).unwrap();
    let y2022 = table(&[
        (&v[0], "0,6000", "0,6000", "0,6000"),
        (&v[1], "0,5000", "0,5000", "0,5000"),
    ]);
    // 2023, worked by hand:
    // v0 (0.7000 + 0.7000 + 0.7300) / 3 = 0.7100 → MAJU (0.7072 < IDM ≤ 0.8155)
    // v1 (0.5000 + 0.5000 + 0.4721) / 3 = 0.490700 → 0.4907, SANGAT TERTINGGAL (≤ 0.4907)
    // v2 (0.9000 + 0.8000 + 0.8500) / 3 = 0.8500 → MANDIRI
    // v3 (0.7000 + 0.7300 + 0.7000) / 3 = 0.7100 → MAJU, tied with v0
    let y2023 = table(&[
        (&v[0], "0,7000", "0,7000", "0,7300"),
        (&v[1], "0,5000", "0,5000", "0,4721"),
        (&v[2], "0,9000", "0,8000", "0,8500"),
        (&v[3], "0,7000", "0,7300", "0,7000"),
    ]);
    for (y, t) in [("2022", &y2022), ("2023", &y2023)] {
        let outcome =
            development_index::import(&db, &clock, &view, year(y), "idm.csv", t.as_bytes())
                .await
                .unwrap();
        assert!(
            matches!(outcome, ImportOutcome::Recorded { .. }),
            "{y}: {outcome:?}"
        );
    }
    let r = development_index::ranking(&db, &view, None).await.unwrap();
    assert_eq!(r.year, 2023, "the latest year is shown by default");
    assert_eq!(r.years, [2022, 2023]);
    let got: Vec<(usize, String, &str, &str)> = r
        .rows
        .iter()
        .map(|x| (x.rank, x.village.clone(), x.idm.as_str(), x.status_label))
        .collect();
    assert_eq!(
        got,
        [
            (1, v[2].dotted(), "0.8500", "MANDIRI"),
            (2, v[0].dotted(), "0.7100", "MAJU"),
            (2, v[3].dotted(), "0.7100", "MAJU"),
            (4, v[1].dotted(), "0.4907", "SANGAT TERTINGGAL"),
        ]
    );
    // Change from 2022: v0 0.6000 → 0.7100, v1 0.5000 → 0.4907; v2, v3 had none.
    assert_eq!(r.rows[1].change.as_deref(), Some("+0.1100"));
    assert_eq!(r.rows[3].change.as_deref(), Some("−0.0093"));
    assert_eq!(r.rows[0].change, None);
    // Balai computed every IDM and status (the table had neither column).
    assert!(r.rows[0].working.idm_computed && r.rows[0].working.status_computed);
    assert_eq!(
        r.rows[3].working.formula,
        "(0.5000 + 0.5000 + 0.4721) / 3 = 0.4907"
    );
    assert_eq!(r.rows[3].working.band, "IDM ≤ 0.4907");
    let counts: Vec<usize> = r.this_year.by_status.iter().map(|c| c.villages).collect();
    assert_eq!(counts, [1, 0, 0, 2, 1]);
    assert_eq!(r.missing, klaten - 4);
    // Progress: 2022 mean (0.6 + 0.5) / 2 = 0.5500; 2023 (0.85 + 0.71 + 0.71 + 0.4907) / 4
    // = 2.7607 / 4 = 0.690175 → 0.6902.
    let progress: Vec<(u16, &str, usize)> = r
        .progress
        .iter()
        .map(|p| (p.year, p.average.as_str(), p.villages))
        .collect();
    assert_eq!(progress, [(2022, "0.5500", 2), (2023, "0.6902", 4)]);
    // Importing a year again replaces that year's figures, not the others.
    let again = table(&[(&v[0], "0,1000", "0,1000", "0,1000")]);
    development_index::import(
        &db,
        &clock,
        &view,
        year("2022"),
        "idm.csv",
        again.as_bytes(),
    )
    .await
    .unwrap();
    let r = development_index::ranking(&db, &view, Some(year("2022")))
        .await
        .unwrap();
    let v0 = r.rows.iter().find(|x| x.village == v[0].dotted()).unwrap();
    assert_eq!(v0.idm, "0.1000");
    assert_eq!(r.rows.len(), 2, "v1's 2022 figure stays");
}

#[tokio::test]
async fn an_index_table_with_a_bad_row_is_refused_with_the_row_and_column_named_and_nothing_recorded()
 {
    let (db, v, _) = world().await;
    let clock = FixedClock(NOW);
    let admin = staff(Role::RegencyAdmin, "3310", &[]);
    let view = regency::view(&admin).unwrap();
    // Row 2 fine; row 3 an IKE above 1; row 4 a village of Boyolali (33.09);
    // row 5 a Klaten code not in the region list; row 6 a published status
    // that does not fit its IDM.
    let csv = format!(
        "KODE DESA,IKS,IKE,IKL,NILAI IDM,STATUS IDM\n\
         {},0.6,0.6,0.6,0.6000,BERKEMBANG\n\
         {},0.6,1.6,0.6,,\n\
         3309012001,0.6,0.6,0.6,,\n\
         3310012999,0.6,0.6,0.6,,\n\
         {},0.9,0.9,0.9,0.9000,TERTINGGAL\n",
        v[0].plain(),
        v[1].plain(),
        v[2].plain()
    );
    let outcome =
        development_index::import(&db, &clock, &view, year("2023"), "idm.csv", csv.as_bytes())
            .await
            .unwrap();
    let ImportOutcome::Refused(e) = outcome else {
        panic!("accepted: {outcome:?}");
    };
    let at: Vec<(u32, &str)> = e
        .issues()
        .iter()
        .map(|i| (i.row, i.column.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (3, "IKE"),
            (4, "KODE DESA"),
            (5, "KODE DESA"),
            (6, "STATUS IDM")
        ]
    );
    let reasons: Vec<&str> = e.issues().iter().map(|i| i.reason.as_str()).collect();
    assert!(reasons[0].contains("IKE harus di antara 0 dan 1"));
    assert!(reasons[1].contains("bukan desa di"), "{reasons:?}");
    assert!(reasons[2].contains("daftar wilayah"), "{reasons:?}");
    assert!(reasons[3].contains("bukan TERTINGGAL"), "{reasons:?}");
    let r = development_index::ranking(&db, &view, None).await.unwrap();
    assert!(r.rows.is_empty() && r.years.is_empty(), "nothing recorded");
}

#[tokio::test]
async fn a_facilitator_enters_only_for_assigned_villages_and_sees_only_them_with_the_working() {
    let (db, v, _) = world().await;
    let clock = FixedClock(NOW);
    let fac = staff(Role::Facilitator, "3310", &[v[0], v[1]]);
    let view = regency::view(&fac).unwrap();
    let entry = IdmEntry::parse("2023", "0,6457", "0,5333", "0,6667").unwrap();
    development_index::enter(&db, &clock, &view, v[0], &entry)
        .await
        .unwrap();
    // A village not assigned: not found, as if it did not exist.
    assert!(matches!(
        development_index::enter(&db, &clock, &view, v[2], &entry).await,
        Err(ServiceError::NotFound)
    ));
    // Only the administrator imports.
    assert!(matches!(
        development_index::import(
            &db,
            &clock,
            &view,
            year("2023"),
            "x.csv",
            b"KODE DESA,IKS,IKE,IKL\n"
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    // The administrator's figure for another village is not on the facilitator's view.
    let admin = regency::view(&staff(Role::RegencyAdmin, "3310", &[])).unwrap();
    development_index::enter(&db, &clock, &admin, v[3], &entry)
        .await
        .unwrap();
    let r = development_index::ranking(&db, &view, None).await.unwrap();
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.missing, 1, "v1 is assigned and has no figure");
    let h = development_index::history(&db, &view, v[0]).await.unwrap();
    assert_eq!(h.len(), 1);
    let w = &h[0].working;
    assert!(h[0].entered && w.idm_computed && w.status_computed);
    assert_eq!(w.formula, "(0.6457 + 0.5333 + 0.6667) / 3 = 0.6152");
    assert_eq!(h[0].status, IdmStatus::Berkembang);
    assert_eq!(w.band, "0.5989 < IDM ≤ 0.7072");
    assert!(matches!(
        development_index::history(&db, &view, v[3]).await,
        Err(ServiceError::NotFound)
    ));
    // Bad entries name every field.
    let e = IdmEntry::parse("2030", "1,5", "abc", "0,12345").unwrap_err();
    let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
    assert_eq!(fields, ["ike", "ikl", "iks", "tahun"]);
    // A village operator has no regency view at all.
    assert!(matches!(
        regency::view(&staff(Role::VillageOperator, &v[0].plain(), &[])),
        Err(ServiceError::NotFound)
    ));
}
