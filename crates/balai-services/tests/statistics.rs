//! The kept population figures add up: after a long seeded sequence of
//! registry changes (corrections of every attribute, family moves, new
//! families, births, deaths, moves out and in, missing, leaving), bulk loads
//! and generated villages, every figure kept on write equals the figure
//! counted afresh from the resident and family rows — per RT, per dusun and
//! RW, per village and for the regency — and what the services show is what
//! the domain's definition computes from those rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use balai_domain::codes::{
    Agama, Asuransi, Cacat, CaraKb, GolonganDarah, Hamil, Pekerjaan, PendidikanKk,
    PendidikanSedang, Sex, StatusDasar, StatusKawin,
};
use balai_domain::population_stats::{Counts, PopulationStats};
use balai_domain::role::Role;
use balai_domain::{CodeList, KodeWilayah, RegionLevel, Resident, Wilayah};
use balai_generate::Generator;
use balai_services::clock::FixedClock;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::registry::events::{self, BirthForm, Departure, DepartureForm, MoveInForm};
use balai_services::registry::resident_form::ResidentForm;
use balai_services::staff::{Staff, authorize};
use balai_services::statistics::{self, WilayahPart};
use balai_store::{Contribution, Population, RegistryChange, StatArea, Store, WriteContext};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::{date, datetime};
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

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

fn maybe<T: CodeList>(rng: &mut ChaCha8Rng) -> Option<T> {
    rng.random_bool(0.7).then(|| pick(rng, T::all()))
}

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    let (a, b): (u64, u64) = (rng.random(), rng.random());
    uuid::Builder::from_random_bytes(
        [a.to_le_bytes(), b.to_le_bytes()]
            .concat()
            .try_into()
            .unwrap(),
    )
    .into_uuid()
}

/// A correction touching the attributes every table counts, sometimes the
/// family card too (a move to another RT with the card).
fn corrected(rng: &mut ChaCha8Rng, r: &Resident, families: &[Uuid]) -> Resident {
    let mut a = r.clone();
    match rng.random_range(0..8) {
        0 => a.sex = pick(rng, Sex::ALL),
        1 => {
            a.birth_date =
                date!(1940 - 01 - 01) + time::Duration::days(rng.random_range(0..31_000));
        }
        2 => {
            a.religion = pick(rng, Agama::ALL);
            a.education = pick(rng, PendidikanKk::ALL);
        }
        3 => {
            a.occupation = pick(rng, Pekerjaan::ALL);
            a.marital_status = pick(rng, StatusKawin::ALL);
        }
        4 => {
            a.blood_type = pick(rng, GolonganDarah::ALL);
            a.disability = maybe::<Cacat>(rng);
        }
        5 => {
            a.details.pregnant = maybe::<Hamil>(rng);
            a.details.contraception = maybe::<CaraKb>(rng);
            a.details.insurance = maybe::<Asuransi>(rng);
            a.details.current_education = maybe::<PendidikanSedang>(rng);
            a.details.birth_certificate = if rng.random_bool(0.5) {
                format!("3310-LT-{}", rng.random_range(1000..9999))
            } else {
                String::new()
            };
        }
        6 => a.family_id = Some(pick(rng, families)),
        _ => a.status = pick(rng, StatusDasar::ALL),
    }
    a
}

/// `villages` generated villages of `within` with `residents` each, from `seed`.
async fn generated(
    db: &balai_services::Db,
    within: KodeWilayah,
    villages: u32,
    residents: u32,
    seed: u64,
) -> Result<balai_services::generate::GenerateReport, balai_services::ServiceError> {
    generate(
        db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within,
            villages,
            residents_per_village: residents,
            seed,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
}

struct World {
    store: Store,
    db: balai_services::Db,
    clock: Arc<FixedClock>,
    regency: KodeWilayah,
    villages: Vec<KodeWilayah>,
}

async fn check_figures_add_up(w: &World) {
    let mut regency_sum = Counts::default();
    for &v in &w.villages {
        let fresh = w.store.population_counts_from_rows(v).await.unwrap();
        let kept = w.store.kept_population_counts(v).await.unwrap();
        if kept != fresh {
            // Name only the parts that differ: whole villages are too long to read.
            let differ: Vec<_> = kept
                .0
                .keys()
                .chain(fresh.0.keys())
                .filter(|p| kept.0.get(*p) != fresh.0.get(*p))
                .map(|p| (p, kept.0.get(p), fresh.0.get(p)))
                .take(3)
                .collect();
            panic!(
                "village {v}: kept RT figures differ from the rows (part, kept, rows): {differ:?}"
            );
        }
        let mut whole = Counts::default();
        for c in fresh.0.values() {
            whole.merge(c, 1);
        }
        assert_eq!(
            w.store
                .kept_whole_counts(&StatArea::Village(v))
                .await
                .unwrap(),
            whole,
            "village {v}: kept village figures differ from the sum of its RTs"
        );
        regency_sum.merge(&whole, 1);
        // Independent of the definition: the population is the living rows.
        let (families, residents) = w.store.village_population(v).await.unwrap();
        // Ages are folded in SQL for the day asked: days on both sides of
        // birthdays, month ends, a leap day and a year's first and last day.
        for on in [
            date!(2026 - 11 - 22),
            date!(2027 - 02 - 28),
            date!(2028 - 02 - 29),
            date!(2030 - 07 - 01),
            date!(2026 - 12 - 31),
            date!(2027 - 01 - 01),
            date!(2026 - 03 - 15),
        ] {
            let shown = statistics::village(&w.db, v, on).await.unwrap();
            assert_eq!(shown, PopulationStats::compute(&whole, on));
            let living = residents.iter().filter(|r| r.status == StatusDasar::Hidup);
            assert_eq!(shown.population.total(), living.clone().count() as u64);
            assert_eq!(shown.families, families.len() as u64);
            let young = living.filter(|r| (0..=5).contains(&r.age_on(on))).count() as u64;
            let balita = &shown.tables[1].rows[0];
            assert_eq!(
                (balita.label.as_str(), balita.tally.total()),
                ("BALITA", young)
            );
        }
        // Every dusun, RW and RT: the kept rows summed equal the rows counted.
        let mut parts: BTreeMap<(String, Option<String>, Option<String>), Counts> = BTreeMap::new();
        for ((_, d, rw, rt), c) in &fresh.0 {
            if d.is_empty() {
                continue;
            }
            for key in [
                (d.clone(), None, None),
                (d.clone(), Some(rw.clone()), None),
                (d.clone(), Some(rw.clone()), Some(rt.clone())),
            ] {
                parts.entry(key).or_default().merge(c, 1);
            }
        }
        let on = date!(2026 - 11 - 22);
        for ((d, rw, rt), c) in parts {
            let part = WilayahPart { dusun: d, rw, rt };
            let shown = statistics::part(&w.db, v, &part, on).await.unwrap();
            assert_eq!(shown, PopulationStats::compute(&c, on), "{part:?}");
        }
    }
    assert_eq!(
        w.store
            .kept_whole_counts(&StatArea::Regency(w.regency))
            .await
            .unwrap(),
        regency_sum,
        "the regency's kept figures differ from the sum of its villages"
    );
    let on = date!(2026 - 11 - 22);
    assert_eq!(
        statistics::regency(&w.db, w.regency, on).await.unwrap(),
        PopulationStats::compute(&regency_sum, on)
    );
    // The home page's figures are the same kept figures.
    let overview = statistics::overview(&w.db).await.unwrap();
    let total: i64 = overview.iter().map(|r| r.population).sum();
    assert_eq!(
        total as u64,
        PopulationStats::compute(&regency_sum, on)
            .population
            .total()
    );
}

#[tokio::test]
async fn kept_figures_equal_figures_recounted_from_rows_after_a_long_random_sequence() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let within = KodeWilayah::parse("33.10").unwrap();
    let report = generated(&db, within, 3, 120, 42).await.unwrap();
    let mut w = World {
        db,
        store,
        clock: Arc::new(FixedClock(NOW)),
        regency: within,
        villages: report.villages.clone(),
    };
    check_figures_add_up(&w).await;

    let mut rng = ChaCha8Rng::seed_from_u64(20261202);
    let mut generator = Generator::new(7, date!(2026 - 11 - 01), vec![]);
    let mut nik_serial = 0u32;
    for step in 0..400 {
        let v = pick(&mut rng, &w.villages);
        let access = authorize(&w.db, &operator(v), v).await.unwrap();
        let (families, residents) = w.store.village_population(v).await.unwrap();
        let family_ids: Vec<Uuid> = families.iter().map(|f| f.id).collect();
        let r = residents[rng.random_range(0..residents.len())].clone();
        let ctx = WriteContext::new("system:test", NOW);
        match rng.random_range(0..10) {
            // Corrections of single residents, through both store paths.
            0 => {
                let after = corrected(&mut rng, &r, &family_ids);
                w.store.update_resident(&ctx, &after).await.unwrap();
            }
            1 => {
                let after = corrected(&mut rng, &r, &family_ids);
                let change = RegistryChange {
                    reason: "koreksi".into(),
                    changed_residents: vec![(r.clone(), after)],
                    ..Default::default()
                };
                w.store
                    .apply_registry_change(&ctx, v, &change)
                    .await
                    .unwrap();
            }
            // A family card moves to another RT (its members move with it).
            2 => {
                let f = families[rng.random_range(0..families.len())].clone();
                let mut after = f.clone();
                after.wilayah = Wilayah::parse(
                    pick(&mut rng, &["KRAJAN", "SOROGATEN", "NGASEM"]),
                    &rng.random_range(1..4).to_string(),
                    &rng.random_range(1..6).to_string(),
                )
                .unwrap();
                let change = RegistryChange {
                    reason: "pindah rt".into(),
                    changed_families: vec![(f, after)],
                    ..Default::default()
                };
                w.store
                    .apply_registry_change(&ctx, v, &change)
                    .await
                    .unwrap();
            }
            // Life events through the services: deaths, moves out, missing, leaving.
            3 | 4 => {
                let kind = pick(&mut rng, &["2", "3", "4", "6"]);
                let successor = families
                    .iter()
                    .find(|f| Some(f.id) == r.family_id)
                    .and_then(|f| {
                        residents.iter().find(|m| {
                            m.family_id == Some(f.id)
                                && m.id != r.id
                                && m.status == StatusDasar::Hidup
                        })
                    })
                    .map(|m| m.id.to_string())
                    .unwrap_or_default();
                // Refusals (not living, a head without successor) write nothing; fine.
                let _ = events::record_departure(
                    &w.db,
                    w.clock.as_ref(),
                    &access,
                    r.id,
                    &Departure::try_from(&DepartureForm {
                        peristiwa: kind.into(),
                        tanggal: "2026-11-20".into(),
                        kepala_baru: successor,
                        ..Default::default()
                    })
                    .expect("well-formed"),
                )
                .await;
            }
            5 => {
                let f = pick(&mut rng, &family_ids);
                let form = BirthForm {
                    child: ResidentForm {
                        nama: format!("ANAK KE {step}"),
                        sex: pick(&mut rng, &["1", "2"]).into(),
                        tempat_lahir: "KLATEN".into(),
                        tanggal_lahir: "2026-11-0".to_string()
                            + &rng.random_range(1..10).to_string(),
                        agama: "1".into(),
                        pendidikan: "1".into(),
                        pekerjaan: "1".into(),
                        status_kawin: "1".into(),
                        hubungan: "4".into(),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                // Refusals (a malformed form, a family that cannot take the child) write nothing; fine.
                let today = balai_services::registry::today(w.clock.as_ref(), access.village());
                if let Ok(birth) = events::Birth::parse(&form, today) {
                    let _ = events::record_birth(&w.db, w.clock.as_ref(), &access, f, &birth).await;
                }
            }
            // Moving in: someone new joins a family, or someone who left comes back.
            6 => {
                nik_serial += 1;
                let gone = residents
                    .iter()
                    .find(|m| m.status != StatusDasar::Hidup && m.number.nik().is_some());
                let nik = match (rng.random_bool(0.5), gone) {
                    (true, Some(m)) => m.number.to_string(),
                    _ => format!("3310011505{:02}{:04}", 60 + nik_serial % 30, nik_serial),
                };
                let form = MoveInForm {
                    person: ResidentForm {
                        nik,
                        nama: format!("PENDATANG {step}"),
                        sex: "2".into(),
                        tempat_lahir: "SOLO".into(),
                        tanggal_lahir: "1990-05-15".into(),
                        agama: "1".into(),
                        pendidikan: "5".into(),
                        pekerjaan: "2".into(),
                        status_kawin: "2".into(),
                        hubungan: "3".into(),
                        ..Default::default()
                    },
                    tanggal: "2026-11-15".into(),
                    keluarga_id: pick(&mut rng, &family_ids).to_string(),
                    ..Default::default()
                };
                let today = balai_services::registry::today(w.clock.as_ref(), access.village());
                if let Ok(cmd) = events::MoveIn::parse(&form, today) {
                    let _ = events::record_move_in(&w.db, w.clock.as_ref(), &access, &cmd).await;
                }
            }
            // A new family with its first member, in one change.
            7 => {
                let data = generator.village(v, 3);
                let (Some(f), Some(head)) = (data.families.first(), data.residents.first()) else {
                    continue;
                };
                let mut f = f.clone();
                f.id = uuid(&mut rng);
                let mut head = head.clone();
                head.id = uuid(&mut rng);
                head.family_id = Some(f.id);
                let change = RegistryChange {
                    reason: "keluarga baru".into(),
                    new_families: vec![f],
                    new_residents: vec![(head, Some(StatusDasar::Hidup))],
                    ..Default::default()
                };
                let _ = w.store.apply_registry_change(&ctx, v, &change).await;
            }
            // A bulk load into an existing village (the import path), some of
            // its residents joining cards that already exist.
            8 => {
                let mut data = generator.village(v, 25);
                // This generator's number series is not the first one's: keep
                // only numbers the village does not hold (an import would refuse them).
                let taken: std::collections::HashSet<_> =
                    residents.iter().map(|r| r.number).collect();
                data.residents.retain(|r| !taken.contains(&r.number));
                let cards: std::collections::HashSet<_> =
                    families.iter().map(|f| f.no_kk).collect();
                data.families.retain(|f| !cards.contains(&f.no_kk));
                let loaded: std::collections::HashSet<Uuid> =
                    data.families.iter().map(|f| f.id).collect();
                for r in &mut data.residents {
                    if r.family_id.is_some_and(|id| !loaded.contains(&id)) {
                        r.family_id = Some(pick(&mut rng, &family_ids));
                    }
                }
                let kept: std::collections::HashSet<Uuid> =
                    data.residents.iter().map(|r| r.id).collect();
                data.events.retain(|e| kept.contains(&e.resident_id));
                for r in data.residents.iter_mut().step_by(7) {
                    r.family_id = Some(pick(&mut rng, &family_ids));
                }
                w.store
                    .insert_population(
                        &ctx,
                        Population {
                            village: v,
                            families: &data.families,
                            residents: &data.residents,
                            events: &data.events,
                            baselines: &data.baselines,
                        },
                    )
                    .await
                    .unwrap();
            }
            // A single registration outside any family.
            _ => {
                let data = generator.village(v, 1);
                let mut r = data.residents[0].clone();
                r.family_id = None;
                if residents.iter().all(|x| x.number != r.number) {
                    w.store
                        .create_resident(&ctx, &r, Some(r.status))
                        .await
                        .unwrap();
                }
            }
        }
        if step % 100 == 99 {
            check_figures_add_up(&w).await;
        }
    }
    // A generated village added later joins the same regency's figures.
    let more = generated(&w.db, w.regency, 4, 80, 43).await;
    // The first three villages hold residents already: generate refuses them.
    assert!(more.is_err());
    let fourth = w
        .store
        .villages_in_region(w.regency)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.level() == RegionLevel::Village && !w.villages.contains(k))
        .unwrap();
    w.store.create_village(&ctx, fourth).await.unwrap();
    let data = generator.village(fourth, 90);
    w.store
        .insert_population(
            &ctx,
            Population {
                village: fourth,
                families: &data.families,
                residents: &data.residents,
                events: &data.events,
                baselines: &data.baselines,
            },
        )
        .await
        .unwrap();
    w.villages.push(fourth);
    check_figures_add_up(&w).await;
}

#[tokio::test]
async fn a_refused_change_leaves_the_figures_as_they_were() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let within = KodeWilayah::parse("33.10").unwrap();
    let report = generated(&db, within, 1, 60, 5).await.unwrap();
    let v = report.villages[0];
    let before = store.kept_population_counts(v).await.unwrap();
    let generation = statistics::generation(&db).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let mut stale = residents[0].clone();
    stale.name = balai_domain::PersonName::parse("BUKAN YANG TERBACA").unwrap();
    let mut after = residents[0].clone();
    after.status = StatusDasar::Mati;
    let change = RegistryChange {
        reason: "kematian".into(),
        changed_residents: vec![(stale, after)],
        ..Default::default()
    };
    assert!(store.apply_registry_change(&ctx, v, &change).await.is_err());
    assert_eq!(store.kept_population_counts(v).await.unwrap(), before);
    assert_eq!(statistics::generation(&db).await.unwrap(), generation);
    let _: Contribution = before;
}

/// Regression: the regency's figures were upserted in hash-map order, so
/// two villages of one regency writing at once on PostgreSQL could take
/// their shared rows' locks in opposite orders and deadlock (one write
/// then failed). Rows are now written in one global order, regency last.
#[tokio::test]
async fn two_villages_writing_at_once_never_deadlock_on_their_regency_figures() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let within = KodeWilayah::parse("33.10").unwrap();
    // Several loads at once on PostgreSQL (`Store::parallel_loads`).
    let report = generated(&db, within, 4, 100, 11).await.unwrap();
    let mut writers = tokio::task::JoinSet::new();
    for (i, &v) in report.villages.iter().enumerate() {
        let store = store.clone();
        writers.spawn(async move {
            let mut rng = ChaCha8Rng::seed_from_u64(i as u64);
            let (families, residents) = store.village_population(v).await.unwrap();
            let family_ids: Vec<Uuid> = families.iter().map(|f| f.id).collect();
            for _ in 0..25 {
                let r = &residents[rng.random_range(0..residents.len())];
                let fresh = store.resident(v, r.id).await.unwrap().unwrap();
                let after = corrected(&mut rng, &fresh, &family_ids);
                store
                    .update_resident(&WriteContext::new("system:test", NOW), &after)
                    .await
                    .expect("a write while another village writes");
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.unwrap();
    }
    let w = World {
        db,
        store,
        clock: Arc::new(FixedClock(NOW)),
        regency: within,
        villages: report.villages,
    };
    check_figures_add_up(&w).await;
}
