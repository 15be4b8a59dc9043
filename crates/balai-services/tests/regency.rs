//! The regency network (issue 13) through the services: the drill-down
//! regency → district → village → dusun → RW adds up for every figure at
//! every level, on generated villages in two districts after registry
//! changes; a facilitator sees only their villages; coaching notes are
//! written by the facilitator and answered by the village through the one
//! write path; monthly reports are submitted once and rolled up with who,
//! when and who is late, on the services' clock. Runs on the backend
//! `BALAI_TEST_BACKEND` names (scripts/test runs both).

use balai_domain::codes::Shdk;
use balai_domain::regency::{KeyFigures, ReportMonth, ReportState};
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_services::clock::FixedClock;
use balai_services::coaching::{self, Answer, Note};
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regency::{self, Activity, Selection, SortKey};
use balai_services::registry::events::{self, Departure, DepartureForm};
use balai_services::reports;
use balai_services::staff::{Staff, authorize, overview};
use balai_services::{Db, ServiceError, WriteContext, statistics};
use std::collections::HashMap;
use time::macros::{date, datetime};
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

/// Two villages in each of two districts of Klaten, then a few deaths and
/// departures through the registry (not only bulk-loaded figures).
async fn world() -> (Db, balai_store::Store, Vec<KodeWilayah>) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let mut villages = Vec::new();
    for (i, district) in ["33.10.01", "33.10.02"].into_iter().enumerate() {
        let report = generate(
            &db,
            &ctx,
            GenerateOptions {
                within: KodeWilayah::parse(district).unwrap(),
                villages: 2,
                residents_per_village: 90,
                seed: 40 + i as u64,
                as_of: date!(2026 - 11 - 01),
            },
            |_, _, _| {},
        )
        .await
        .unwrap();
        villages.extend(report.villages);
    }
    let clock = FixedClock(NOW);
    for (n, v) in villages.iter().enumerate() {
        let access = authorize(&db, &staff(Role::VillageOperator, &v.plain(), &[]), *v)
            .await
            .unwrap();
        let (_, residents) = store.village_population(*v).await.unwrap();
        // Members who are not heads leave: deaths, moves away, missing.
        for (k, r) in residents
            .iter()
            .filter(|r| {
                r.relationship != Shdk::KepalaKeluarga
                    && r.status == balai_domain::codes::StatusDasar::Hidup
            })
            .take(2 + n)
            .enumerate()
        {
            let kind = ["2", "3", "4"][k % 3];
            events::record_departure(
                &db,
                &clock,
                &access,
                r.id,
                &Departure::try_from(&DepartureForm {
                    peristiwa: kind.into(),
                    tanggal: "2026-11-20".into(),
                    kepala_baru: String::new(),
                    ..Default::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        }
    }
    (db, store, villages)
}

fn sum(rows: impl IntoIterator<Item = KeyFigures>) -> KeyFigures {
    rows.into_iter()
        .fold(KeyFigures::default(), |a, f| a.plus(&f))
}

#[tokio::test]
async fn every_level_of_the_drill_down_adds_up_to_the_level_above_for_every_figure() {
    let (db, store, villages) = world().await;
    let clock = FixedClock(NOW);
    let admin = staff(Role::RegencyAdmin, "3310", &[]);
    let view = regency::view(&admin).unwrap();
    let d = regency::dashboard(&db, &clock, &view).await.unwrap();
    assert_eq!(d.villages.len(), 4);
    assert_eq!(d.districts.len(), 2);
    assert!(d.totals.residents > 250, "{:?}", d.totals);
    // The regency's own kept row equals the sum of its districts and of its villages.
    assert_eq!(d.totals, sum(d.districts.iter().map(|r| r.figures)));
    assert_eq!(d.totals, sum(d.villages.iter().map(|r| r.figures)));
    assert_eq!(
        d.activity,
        d.districts
            .iter()
            .filter_map(|r| r.activity)
            .fold(Activity::default(), |a, b| a.plus(&b))
    );
    // The headline figures are the statistics' own (one definition).
    let stats = statistics::regency(&db, KodeWilayah::parse("3310").unwrap(), NOW.date())
        .await
        .unwrap();
    assert_eq!(d.totals.residents as u64, stats.population.total());
    assert_eq!(d.totals.families as u64, stats.families);

    let mut seen_villages = 0;
    let mut seen_rw = 0;
    for district in &d.districts {
        let k = KodeWilayah::parse(&district.key).unwrap();
        let (_, page) = regency::district(&db, &clock, &view, k).await.unwrap();
        assert_eq!(page.totals, district.figures, "district {k}");
        assert_eq!(page.totals, sum(page.rows.iter().map(|r| r.figures)));
        assert_eq!(page.activity, district.activity);
        for row in &page.rows {
            seen_villages += 1;
            let v = KodeWilayah::parse(&row.key).unwrap();
            let access = overview(&db, &admin, v).await.unwrap();
            let vp = regency::village(&db, &clock, &access).await.unwrap();
            // The village's own kept row equals the dashboard's figure and
            // the sum of its dusun (residents without a card included).
            assert_eq!(vp.totals, row.figures, "village {v}");
            assert_eq!(vp.activity, row.activity, "village {v}");
            assert_eq!(
                vp.totals,
                sum(vp.rows.iter().map(|r| r.figures)),
                "village {v}"
            );
            // …and what is counted afresh from the rows themselves.
            let fresh = store.population_counts_from_rows(v).await.unwrap();
            let mut counted = KeyFigures::default();
            for counts in fresh.0.values() {
                for ((dim, code, _sex), n) in counts.iter() {
                    counted.add_count(dim, code, n);
                }
            }
            assert_eq!(vp.totals, counted, "village {v} counted from rows");
            for dusun in vp.rows.iter().filter(|r| !r.key.is_empty()) {
                let dp = regency::dusun(&db, &access, &dusun.key).await.unwrap();
                assert_eq!(dp.totals, dusun.figures, "dusun {}", dusun.key);
                assert_eq!(dp.totals, sum(dp.rows.iter().map(|r| r.figures)));
                for rw in &dp.rows {
                    seen_rw += 1;
                    let rp = regency::rw(&db, &access, &dusun.key, &rw.key)
                        .await
                        .unwrap();
                    assert_eq!(rp.totals, rw.figures, "RW {}", rw.key);
                }
            }
        }
    }
    assert_eq!(seen_villages, villages.len());
    assert!(seen_rw >= 4, "{seen_rw} RW seen");
    // An unknown dusun or RW, or a village code at the district page, is not found.
    let access = overview(&db, &admin, villages[0]).await.unwrap();
    assert!(matches!(
        regency::dusun(&db, &access, "TIDAK ADA").await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        regency::district(&db, &clock, &view, villages[0]).await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn a_facilitator_sees_only_assigned_villages_and_no_personal_data() {
    let (db, _, villages) = world().await;
    let clock = FixedClock(NOW);
    let (a, b) = (villages[0], villages[2]);
    let f = staff(Role::Facilitator, "3310", &[a, b]);
    let view = regency::view(&f).unwrap();
    assert!(!view.whole_regency());
    let d = regency::dashboard(&db, &clock, &view).await.unwrap();
    assert_eq!(
        d.villages.iter().map(|v| v.kode).collect::<Vec<_>>(),
        vec![a, b]
    );
    assert_eq!(d.totals, sum(d.villages.iter().map(|v| v.figures)));
    for v in &villages {
        let assigned = *v == a || *v == b;
        assert_eq!(overview(&db, &f, *v).await.is_ok(), assigned, "{v}");
        // Personal data: never, assigned or not.
        assert!(matches!(
            authorize(&db, &f, *v).await,
            Err(ServiceError::NotFound)
        ));
    }
    // The regency administrator reaches no personal data either.
    let admin = staff(Role::RegencyAdmin, "3310", &[]);
    assert!(matches!(
        authorize(&db, &admin, a).await,
        Err(ServiceError::NotFound)
    ));
    // A village operator has no regency view.
    assert!(matches!(
        regency::view(&staff(Role::VillageOperator, &a.plain(), &[])),
        Err(ServiceError::NotFound)
    ));
    // Another regency's administrator sees nothing of Klaten.
    let other = staff(Role::RegencyAdmin, "3311", &[]);
    let d = regency::dashboard(&db, &clock, &regency::view(&other).unwrap())
        .await
        .unwrap();
    assert!(d.villages.is_empty());
    assert!(overview(&db, &other, a).await.is_err());
}

#[tokio::test]
async fn the_dashboard_sorts_filters_and_exports_and_names_bad_parameters() {
    let (db, _, villages) = world().await;
    let clock = FixedClock(NOW);
    let view = regency::view(&staff(Role::RegencyAdmin, "3310", &[])).unwrap();
    let d = regency::dashboard(&db, &clock, &view).await.unwrap();
    let q = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let sel = Selection::parse(&q(&[("urut", "penduduk"), ("arah", "turun")])).unwrap();
    assert_eq!(sel.sort, SortKey::Residents);
    let rows = sel.apply(&d.villages, d.today);
    assert!(
        rows.windows(2)
            .all(|w| w[0].figures.residents >= w[1].figures.residents)
    );
    let district = villages[2].ancestor(RegionLevel::District).unwrap();
    let sel = Selection::parse(&q(&[("kecamatan", &district.plain())])).unwrap();
    let rows = sel.apply(&d.villages, d.today);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.district == district));
    let csv = regency::csv(&rows, d.today);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("kode_desa,desa,"));
    assert!(lines[1].starts_with(&rows[0].kode.dotted()));
    assert!(!regency::xlsx(&rows, d.today).unwrap().is_empty());
    // Bad parameters are named, all at once.
    let Err(ServiceError::Invalid(m)) = Selection::parse(&q(&[
        ("urut", "gaji"),
        ("kecamatan", "3310012001"),
        ("kelengkapan_di_bawah", "200"),
    ])) else {
        panic!("bad parameters accepted")
    };
    assert!(
        m.contains("gaji") && m.contains("kecamatan") && m.contains("0–100"),
        "{m}"
    );
    // The map: one dot per village with coordinates, inside the drawing.
    let all: Vec<_> = d.villages.iter().collect();
    let map = regency::dot_map(&all).expect("the built-in region list has coordinates");
    assert_eq!(map.dots.len(), 4);
    assert!(
        map.dots
            .iter()
            .all(|p| p.x >= 0.0 && p.x <= map.width && p.y >= 0.0 && p.y <= map.height)
    );
}

#[tokio::test]
async fn a_facilitators_note_is_answered_by_the_village_through_the_change_feed() {
    let (db, store, villages) = world().await;
    let clock = FixedClock(NOW);
    let v = villages[1];
    let f = staff(Role::Facilitator, "3310", &[v]);
    let seen = overview(&db, &f, v).await.unwrap();
    assert!(coaching::may_write(&seen));
    let today = NOW.date();
    // Bad input: every field named.
    let errors = Note::parse("2026-12-01", "  ", &"x".repeat(301), today).unwrap_err();
    assert!(errors.0.contains_key("tanggal"), "{errors}");
    assert!(errors.0.contains_key("catatan"), "{errors}");
    assert!(errors.0.contains_key("tindak_lanjut"), "{errors}");
    let note = Note::parse(
        "2026-11-20",
        "Data akta kelahiran belum lengkap.",
        "Lengkapi akta lahir\n\nPerbarui golongan darah",
        today,
    )
    .unwrap();
    let head_before = store.feed_head(v).await.unwrap();
    let id = coaching::write(&db, &clock, &seen, &note).await.unwrap();
    // The regency administrator reads notes but does not write them.
    let admin = staff(Role::RegencyAdmin, "3310", &[]);
    let admin_view = overview(&db, &admin, v).await.unwrap();
    assert!(matches!(
        coaching::write(&db, &clock, &admin_view, &note).await,
        Err(ServiceError::Forbidden(_))
    ));
    // The village answers.
    let op = staff(Role::VillageOperator, &v.plain(), &[]);
    let access = authorize(&db, &op, v).await.unwrap();
    assert!(Answer::parse("   ").is_err());
    coaching::answer(
        &db,
        &clock,
        &access,
        id,
        &Answer::parse("Sudah dijadwalkan pekan depan.").unwrap(),
    )
    .await
    .unwrap();
    // Another village's staff cannot answer it.
    let other = villages[0];
    let other_access = authorize(
        &db,
        &staff(Role::VillageOperator, &other.plain(), &[]),
        other,
    )
    .await
    .unwrap();
    assert!(matches!(
        coaching::answer(&db, &clock, &other_access, id, &Answer::parse("x").unwrap()).await,
        Err(ServiceError::NotFound)
    ));
    let notes = coaching::list(&db, &admin_view).await.unwrap();
    assert_eq!(notes.len(), 1);
    let n = &notes[0];
    assert_eq!(n.noted_on, date!(2026 - 11 - 20));
    assert_eq!(
        n.follow_up,
        vec!["Lengkapi akta lahir", "Perbarui golongan darah"]
    );
    assert_eq!(n.answer.as_deref(), Some("Sudah dijadwalkan pekan depan."));
    assert_eq!(n.author, "facilitator.test");
    assert_eq!(n.answered_by.as_deref(), Some("village_operator.test"));
    // Both are entries of the village's change feed, with the note's row.
    let entries = store.feed_after(v, head_before, 10).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.entity == "coaching_note"));
    let last = entries[1].payload.as_ref().unwrap();
    assert_eq!(last.rows[0].table, balai_store::Table::CoachingNote);
}

#[tokio::test]
async fn monthly_reports_are_submitted_once_and_the_regency_sees_who_is_late() {
    let (db, _, villages) = world().await;
    let nov = ReportMonth::new(2026, 11).unwrap();
    let (a, b) = (villages[0], villages[1]);
    let op = |v: KodeWilayah| staff(Role::VillageOperator, &v.plain(), &[]);
    let early = FixedClock(datetime!(2026-11-30 03:00 UTC));
    let access_a = authorize(&db, &op(a), a).await.unwrap();
    // Not before the month is over.
    let Err(ServiceError::Invalid(m)) = reports::submit_mutation(&db, &early, &access_a, nov).await
    else {
        panic!("a month not over was submitted")
    };
    assert!(m.contains("11/2026"), "{m}");
    // A on time, B after the due day.
    let on_time = FixedClock(datetime!(2026-12-10 09:00 UTC));
    reports::submit_mutation(&db, &on_time, &access_a, nov)
        .await
        .unwrap();
    assert!(matches!(
        reports::submit_mutation(&db, &on_time, &access_a, nov).await,
        Err(ServiceError::Invalid(_))
    ));
    // A village head may submit; an official may not.
    let official = Staff {
        role: Role::VillageOfficial,
        ..op(b)
    };
    let access_official = authorize(&db, &official, b).await.unwrap();
    assert!(matches!(
        reports::submit_mutation(&db, &on_time, &access_official, nov).await,
        Err(ServiceError::Forbidden(_))
    ));
    let late = FixedClock(datetime!(2026-12-12 02:00 UTC));
    let head_b = Staff {
        role: Role::VillageHead,
        ..op(b)
    };
    let access_b = authorize(&db, &head_b, b).await.unwrap();
    reports::submit_mutation(&db, &late, &access_b, nov)
        .await
        .unwrap();
    let view = regency::view(&staff(Role::RegencyAdmin, "3310", &[])).unwrap();
    let rows = reports::roll_up(&db, &late, &view, nov).await.unwrap();
    let state: HashMap<KodeWilayah, ReportState> =
        rows.iter().map(|r| (r.village, r.state)).collect();
    assert_eq!(state[&a], ReportState::OnTime);
    assert_eq!(state[&b], ReportState::SubmittedLate);
    assert_eq!(state[&villages[2]], ReportState::Late);
    let row_a = rows.iter().find(|r| r.village == a).unwrap();
    let s = row_a.submission.as_ref().unwrap();
    assert_eq!(s.submitted_by, "village_operator.test");
    assert_eq!(s.submitted_at, datetime!(2026-12-10 09:00 UTC));
    // The figures kept are the report's.
    let report = reports::mutation(&db, &access_a, 2026, 11).await.unwrap();
    assert_eq!(s.figures, serde_json::to_string(&report).unwrap());
    // Before the due day has passed, a village without a report is pending, not late.
    let rows = reports::roll_up(&db, &on_time, &view, nov).await.unwrap();
    assert!(
        rows.iter()
            .filter(|r| r.submission.is_none())
            .all(|r| r.state == ReportState::Pending)
    );
    // A facilitator's roll-up holds their villages only.
    let f = staff(Role::Facilitator, "3310", &[b]);
    let rows = reports::roll_up(&db, &late, &regency::view(&f).unwrap(), nov)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].village, b);
}

#[tokio::test]
async fn the_dashboard_follows_a_registry_change_at_once() {
    let (db, store, villages) = world().await;
    let clock = FixedClock(NOW);
    let view = regency::view(&staff(Role::RegencyAdmin, "3310", &[])).unwrap();
    let before = regency::dashboard(&db, &clock, &view).await.unwrap();
    // Read twice: the second read may come from the figures read first.
    assert_eq!(
        regency::dashboard(&db, &clock, &view)
            .await
            .unwrap()
            .villages,
        before.villages
    );
    let v = villages[3];
    let access = authorize(&db, &staff(Role::VillageOperator, &v.plain(), &[]), v)
        .await
        .unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let leaving = residents
        .iter()
        .find(|r| {
            r.relationship != Shdk::KepalaKeluarga
                && r.status == balai_domain::codes::StatusDasar::Hidup
        })
        .unwrap();
    events::record_departure(
        &db,
        &clock,
        &access,
        leaving.id,
        &Departure::try_from(&DepartureForm {
            peristiwa: "2".into(),
            tanggal: "2026-11-21".into(),
            kepala_baru: String::new(),
            ..Default::default()
        })
        .unwrap(),
    )
    .await
    .unwrap();
    let after = regency::dashboard(&db, &clock, &view).await.unwrap();
    let figure = |d: &regency::Dashboard| {
        d.villages
            .iter()
            .find(|r| r.kode == v)
            .unwrap()
            .figures
            .residents
    };
    assert_eq!(figure(&after), figure(&before) - 1);
    assert_eq!(after.totals.residents, before.totals.residents - 1);
    // A write through another handle on the database is seen too (the
    // statistics generation moves in the write's own transaction).
    let other = Db::from_store(store.clone());
    let leaving = residents
        .iter()
        .filter(|r| {
            r.relationship != Shdk::KepalaKeluarga
                && r.status == balai_domain::codes::StatusDasar::Hidup
        })
        .nth(1)
        .unwrap();
    let other_access = authorize(&other, &staff(Role::VillageOperator, &v.plain(), &[]), v)
        .await
        .unwrap();
    events::record_departure(
        &other,
        &clock,
        &other_access,
        leaving.id,
        &Departure::try_from(&DepartureForm {
            peristiwa: "3".into(),
            tanggal: "2026-11-21".into(),
            kepala_baru: String::new(),
            ..Default::default()
        })
        .unwrap(),
    )
    .await
    .unwrap();
    let later = regency::dashboard(&db, &clock, &view).await.unwrap();
    assert_eq!(figure(&later), figure(&before) - 2);
}

#[tokio::test]
async fn the_dashboard_shows_how_fresh_each_village_website_is_and_sorts_by_it() {
    use balai_domain::site::Publication;
    use balai_services::site::{self, NewsForm, WriteNews};
    let (db, _store, villages) = world().await;
    let v = villages[1];
    let op = authorize(&db, &staff(Role::VillageOperator, &v.plain(), &[]), v)
        .await
        .unwrap();
    let post = WriteNews::try_from(&NewsForm {
        judul: "Kerja bakti bersama".into(),
        slug: String::new(),
        isi: "Warga diundang.".into(),
    })
    .unwrap();
    let id = site::create_news(&db, &FixedClock(NOW), &op, &post)
        .await
        .unwrap();
    let view = regency::view(&staff(Role::RegencyAdmin, "3310", &[])).unwrap();
    // A draft does not make a site fresh.
    let d = regency::dashboard(&db, &FixedClock(NOW), &view)
        .await
        .unwrap();
    assert!(d.villages.iter().all(|r| r.activity.last_news.is_none()));
    site::set_news_publication(&db, &FixedClock(NOW), &op, id, Publication::Published)
        .await
        .unwrap();
    let d = regency::dashboard(&db, &FixedClock(NOW), &view)
        .await
        .unwrap();
    let row = d.villages.iter().find(|r| r.kode == v).unwrap();
    assert_eq!(row.activity.last_news, Some(date!(2026 - 11 - 22)));
    assert_eq!(d.activity.last_news, Some(date!(2026 - 11 - 22)));
    let mut q = HashMap::new();
    q.insert("urut".to_string(), "berita".to_string());
    q.insert("arah".to_string(), "turun".to_string());
    let sel = Selection::parse(&q).unwrap();
    assert_eq!(sel.apply(&d.villages, d.today)[0].kode, v);
    let csv = regency::csv(&sel.apply(&d.villages, d.today), d.today);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",berita_terakhir"));
    assert!(lines.next().unwrap().ends_with(",2026-11-22"));
}
