//! Properties of generated villages: valid and unique identity numbers,
//! family rules, replayable statuses, determinism and census-like shape.

use std::collections::{BTreeMap, HashMap, HashSet};

use balai_domain::codes::{Agama, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin};
use balai_domain::family::{Member, check_head};
use balai_domain::life_event::{LifeEvent, check_event_date, derive_status, is_resident};
use balai_domain::resident::age_on;
use balai_domain::{KodeWilayah, Nik, NoKk, PersonName, Resident, ResidentNumber};
use balai_generate::{DEFAULT_AS_OF, Generator, VillageData};
use proptest::prelude::*;
use time::{Date, Month};

fn code(s: &str) -> KodeWilayah {
    KodeWilayah::parse(s).unwrap()
}

fn klaten_districts() -> Vec<KodeWilayah> {
    ["331001", "331002", "331003", "331004", "331005"]
        .into_iter()
        .map(code)
        .collect()
}

fn current(data: &VillageData) -> Vec<&Resident> {
    data.residents
        .iter()
        .filter(|r| is_resident(r.status))
        .collect()
}

/// The recording date a No. KK encodes, in the century that puts it on or before `as_of`.
fn recorded_on(kk: &NoKk, as_of: Date) -> Date {
    let d = |from: usize| kk.as_str()[from..from + 2].parse::<u8>().unwrap();
    let (day, month, yy) = (d(6), d(8), d(10));
    let year = 2000 + i32::from(yy);
    let year = if year > as_of.year() {
        year - 100
    } else {
        year
    };
    Date::from_calendar_date(year, Month::try_from(month).unwrap(), day).unwrap()
}

/// Checks every rule a generated village must keep; `seen_*` collect numbers
/// across villages of one generator.
fn check_village(
    data: &VillageData,
    requested: u32,
    as_of: Date,
    seen_niks: &mut HashSet<Nik>,
    seen_kks: &mut HashSet<NoKk>,
) {
    assert_eq!(data.residents.len(), requested as usize, "resident count");
    assert_eq!(data.baselines.len(), data.residents.len());

    let mut ids = HashSet::new();
    for id in data
        .families
        .iter()
        .map(|f| f.id)
        .chain(data.residents.iter().map(|r| r.id))
        .chain(data.events.iter().map(|e| e.id))
    {
        assert_eq!(id.get_version_num(), 7);
        assert!(ids.insert(id), "duplicate id {id}");
    }

    let mut temporary = HashSet::new();
    for r in &data.residents {
        assert_eq!(r.village, data.village);
        assert_eq!(PersonName::parse(r.name.as_str()).unwrap(), r.name);
        assert!(
            !r.birth_place.is_empty() && !r.father_name.is_empty() && !r.mother_name.is_empty()
        );
        match r.number {
            ResidentNumber::Nik(nik) => {
                assert_eq!(Nik::parse(nik.as_str()).unwrap(), nik);
                assert!(
                    nik.check_against(r.birth_date, r.sex).is_empty(),
                    "{nik} vs {} {}",
                    r.birth_date,
                    r.sex
                );
                assert!(seen_niks.insert(nik), "duplicate NIK {nik}");
            }
            ResidentNumber::Sementara(t) => {
                assert_eq!(t.village(), data.village);
                assert!(
                    age_on(r.birth_date, as_of) < 1,
                    "temporary number for someone aged {}",
                    age_on(r.birth_date, as_of)
                );
                assert!(temporary.insert(t.seq()), "duplicate temporary number {t}");
            }
        }
        let age = age_on(r.birth_date, as_of);
        assert!((0..=100).contains(&age));
        if age < 5 {
            assert_eq!(r.occupation, Pekerjaan::BelumTidakBekerja);
        }
        if age < 7 {
            assert_eq!(r.education, PendidikanKk::TidakBelumSekolah);
        }
        if age < 17 {
            assert_eq!(
                r.marital_status,
                StatusKawin::BelumKawin,
                "{age}-year-old {:?}",
                r.relationship
            );
        }
        if matches!(r.relationship, Shdk::Istri | Shdk::Suami | Shdk::Menantu) {
            assert_ne!(r.marital_status, StatusKawin::BelumKawin);
        }
    }

    let by_id: HashMap<_, _> = data.residents.iter().map(|r| (r.id, r)).collect();
    let by_nik: HashMap<_, _> = data
        .residents
        .iter()
        .filter_map(|r| Some((r.number.nik()?, r)))
        .collect();
    let mut events: HashMap<_, Vec<LifeEvent>> = HashMap::new();
    for e in &data.events {
        let r = by_id
            .get(&e.resident_id)
            .expect("event of a generated resident");
        check_event_date(e.kind, e.occurred_on, r.birth_date, as_of).unwrap();
        assert!(
            e.occurred_on >= as_of - time::Duration::days(1827),
            "event older than the five-year window"
        );
        events.entry(e.resident_id).or_default().push(e.clone());
    }
    for (r, (id, baseline)) in data.residents.iter().zip(&data.baselines) {
        assert_eq!(*id, r.id);
        let mine = events.get(&r.id).map_or(&[][..], Vec::as_slice);
        assert_eq!(
            derive_status(*baseline, mine),
            Ok(Some(r.status)),
            "{baseline:?} {mine:?}"
        );
    }

    // Parents on the same card agree with the child.
    for r in &data.residents {
        for (nik, sex, name) in [
            (r.father_nik, Sex::LakiLaki, &r.father_name),
            (r.mother_nik, Sex::Perempuan, &r.mother_name),
        ] {
            let Some(nik) = nik else { continue };
            let parent = by_nik[&nik];
            assert_eq!(parent.family_id, r.family_id);
            assert_eq!(parent.sex, sex);
            assert_eq!(parent.name.as_str(), name);
            let age_at_birth = age_on(parent.birth_date, r.birth_date);
            let plausible = if sex == Sex::Perempuan {
                17..=46
            } else {
                15..=80
            };
            assert!(
                plausible.contains(&age_at_birth),
                "{sex} parent aged {age_at_birth} at the birth"
            );
        }
    }

    let mut members: HashMap<_, Vec<Member>> = HashMap::new();
    for r in &data.residents {
        let family = r.family_id.expect("every generated resident is on a card");
        members.entry(family).or_default().push(Member {
            resident_id: r.id,
            relationship: r.relationship,
            status: r.status,
        });
    }
    assert_eq!(members.len(), data.families.len());
    for f in &data.families {
        assert_eq!(f.village, data.village);
        assert_eq!(NoKk::parse(f.no_kk.as_str()).unwrap(), f.no_kk);
        assert!(f.no_kk.as_str().starts_with(&data.village.plain()[..6]));
        assert!(seen_kks.insert(f.no_kk), "duplicate No. KK");
        assert!(!f.address.is_empty());
        check_head(&members[&f.id]).unwrap();
        let recorded = recorded_on(&f.no_kk, as_of);
        assert!(recorded < as_of);
        for head in data
            .residents
            .iter()
            .filter(|r| r.family_id == Some(f.id) && r.relationship == Shdk::KepalaKeluarga)
        {
            assert!(
                age_on(head.birth_date, recorded) >= 17,
                "card recorded {recorded}, head born {}",
                head.birth_date
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn generated_villages_keep_every_rule(seed: u64, a in 50u32..=300, b in 50u32..=300, bali: bool) {
        let mut generator = Generator::new(seed, DEFAULT_AS_OF, klaten_districts());
        let (mut niks, mut kks) = (HashSet::new(), HashSet::new());
        let villages = if bali { ["5107012001", "5107012002"] } else { ["3310012001", "3310022003"] };
        for (village, size) in villages.into_iter().zip([a, b]) {
            let data = generator.village(code(village), size);
            check_village(&data, size, DEFAULT_AS_OF, &mut niks, &mut kks);
        }
        // The same village twice continues its series instead of repeating them.
        let again = generator.village(code(villages[0]), a);
        check_village(&again, a, DEFAULT_AS_OF, &mut niks, &mut kks);
    }

    #[test]
    fn tiny_villages_and_other_dates_work(seed: u64, size in 1u32..=12, days in 0i64..20_000) {
        let as_of = Date::from_calendar_date(1980, Month::January, 1).unwrap() + time::Duration::days(days);
        let mut generator = Generator::new(seed, as_of, Vec::new());
        let data = generator.village(code("1101012001"), size);
        check_village(&data, size, as_of, &mut HashSet::new(), &mut HashSet::new());
    }
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let run = |seed| {
        let mut g = Generator::new(seed, DEFAULT_AS_OF, klaten_districts());
        vec![
            g.village(code("3310012001"), 400),
            g.village(code("5107012001"), 300),
        ]
    };
    let (a, b, c) = (run(9), run(9), run(10));
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_ne!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&c).unwrap()
    );
    let other_date = Generator::new(
        9,
        DEFAULT_AS_OF - time::Duration::days(1),
        klaten_districts(),
    )
    .village(code("3310012001"), 400);
    assert_ne!(a[0], other_date);
}

#[test]
fn the_serde_form_round_trips() {
    let data =
        Generator::new(3, DEFAULT_AS_OF, klaten_districts()).village(code("3310012001"), 200);
    let json = serde_json::to_string(&data).unwrap();
    assert_eq!(serde_json::from_str::<VillageData>(&json).unwrap(), data);
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[test]
fn a_large_village_looks_like_a_census() {
    let klaten =
        Generator::new(2026, DEFAULT_AS_OF, klaten_districts()).village(code("3310012001"), 10_000);
    let karangasem_districts = (1..=8).map(|d| code(&format!("51070{d}"))).collect();
    let karangasem = Generator::new(2026, DEFAULT_AS_OF, karangasem_districts)
        .village(code("5107012001"), 10_000);
    for data in [&klaten, &karangasem] {
        let n = data.residents.len();
        assert!((9_500..=10_500).contains(&n));
        let people = current(data);
        let households = data
            .families
            .iter()
            .filter(|f| people.iter().any(|r| r.family_id == Some(f.id)))
            .count();
        let mean_size = share(people.len(), households);
        assert!(
            (2.8..4.0).contains(&mean_size),
            "mean household size {mean_size}"
        );
        assert!((2.8..4.0).contains(&share(n, data.families.len())));

        let age = |r: &&Resident| age_on(r.birth_date, DEFAULT_AS_OF);
        let under_15 = share(people.iter().filter(|r| age(r) < 15).count(), people.len());
        assert!(
            (0.18..0.32).contains(&under_15),
            "under-15 share {under_15}"
        );
        let over_65 = share(people.iter().filter(|r| age(r) >= 65).count(), people.len());
        assert!((0.04..0.14).contains(&over_65), "65+ share {over_65}");
        assert!(people.iter().any(|r| age(r) >= 80));

        let men = people.iter().filter(|r| r.sex == Sex::LakiLaki).count();
        let ratio = share(men, people.len() - men);
        assert!((0.9..1.1).contains(&ratio), "sex ratio {ratio}");

        let mut sizes: BTreeMap<Option<uuid::Uuid>, usize> = BTreeMap::new();
        for r in &people {
            *sizes.entry(r.family_id).or_default() += 1;
        }
        assert!(sizes.values().all(|s| (1..=9).contains(s)));

        // Five years of history at roughly Indonesian rates per year.
        let per_year = |status| {
            share(
                data.residents.iter().filter(|r| r.status == status).count(),
                n,
            ) / 5.0
        };
        assert!(
            (0.004..0.012).contains(&per_year(StatusDasar::Mati)),
            "deaths {}",
            per_year(StatusDasar::Mati)
        );
        assert!(
            (0.008..0.025).contains(&per_year(StatusDasar::Pindah)),
            "moves {}",
            per_year(StatusDasar::Pindah)
        );
        let arrived = data.baselines.iter().filter(|(_, b)| b.is_none()).count();
        assert!(
            (0.015..0.04).contains(&(share(arrived, n) / 5.0)),
            "born or moved in {arrived}"
        );
        assert!(
            data.residents
                .iter()
                .any(|r| r.status == StatusDasar::Pergi)
        );

        let own_district = &data.village.plain()[..6];
        let niks: Vec<Nik> = data
            .residents
            .iter()
            .filter_map(|r| r.number.nik())
            .collect();
        let own = share(
            niks.iter()
                .filter(|n| n.as_str().starts_with(own_district))
                .count(),
            niks.len(),
        );
        assert!((0.78..0.93).contains(&own), "own-district NIKs {own}");
        let infants: Vec<&Resident> = data
            .residents
            .iter()
            .filter(|r| age_on(r.birth_date, DEFAULT_AS_OF) < 1)
            .collect();
        let temporary = share(
            infants.iter().filter(|r| r.number.is_temporary()).count(),
            infants.len(),
        );
        assert!(
            (0.1..0.5).contains(&temporary),
            "infants with a temporary number {temporary}"
        );

        let kepala_desa = data
            .residents
            .iter()
            .filter(|r| r.occupation == Pekerjaan::KepalaDesa)
            .count();
        assert_eq!(kepala_desa, 1);
    }
    let religion_share = |data: &VillageData, agama| {
        share(
            data.residents
                .iter()
                .filter(|r| r.religion == agama)
                .count(),
            data.residents.len(),
        )
    };
    assert!(religion_share(&klaten, Agama::Islam) > 0.85);
    assert!(religion_share(&karangasem, Agama::Hindu) > 0.70);
    let balinese = karangasem
        .residents
        .iter()
        .filter(|r| r.religion == Agama::Hindu);
    assert!(
        balinese
            .clone()
            .all(|r| r.name.as_str().starts_with("I ") || r.name.as_str().starts_with("NI "))
    );
    assert!(
        klaten
            .residents
            .iter()
            .all(|r| !r.name.as_str().starts_with("NI "))
    );
}

/// Run with `cargo test --release -p balai-generate -- --ignored --nocapture`.
#[test]
#[ignore = "timing: run in release"]
fn generation_speed() {
    let mut generator = Generator::new(1, DEFAULT_AS_OF, klaten_districts());
    let start = std::time::Instant::now();
    let mut residents = 0;
    // The size of the lead's store benchmark: 1.2 M residents over 120 villages.
    for v in 1..=120 {
        residents += generator
            .village(code(&format!("331001{}", 2000 + v)), 10_000)
            .residents
            .len();
    }
    let elapsed = start.elapsed();
    println!(
        "{residents} residents in {elapsed:?}: {:.2} µs per resident",
        elapsed.as_secs_f64() * 1e6 / residents as f64
    );
}
