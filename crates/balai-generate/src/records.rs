//! Turns planned households and their histories into the domain's records:
//! families, residents, life events and registration baselines.

use balai_domain::codes::{
    Agama, Pekerjaan, PendidikanKk, Peristiwa, Sex, Shdk, StatusDasar, Warganegara,
};
use balai_domain::family::Family;
use balai_domain::life_event::{LifeEvent, derive_status};
use balai_domain::resident::age_on;
use balai_domain::{KodeWilayah, PersonName, RegionLevel, Resident, ResidentNumber};
use rand::RngExt;
use time::Date;
use uuid::Uuid;

use crate::hamlets::{self, Unit};
use crate::history::{self, Fate, History};
use crate::households::{Member, Planner};
use crate::names::{self, Style};
use crate::places::BirthPlaces;
use crate::weighted::{one_of, pick};
use crate::{Generator, VillageData, attributes};

/// A day count covering any 17 calendar years (17 × 365 + 5 leap days).
const SEVENTEEN_YEARS: i32 = 6210;

/// 1995-01-01: cards recorded before then have mostly been reissued since.
const CARDS_SINCE: i32 = 2_449_719;

/// What stays fixed while one village is generated.
struct Setting {
    code: KodeWilayah,
    district: KodeWilayah,
    /// Districts other than the village's own, where some NIKs were issued.
    elsewhere: Vec<KodeWilayah>,
    style: Style,
    religions: &'static [(Agama, u32)],
    places: BirthPlaces,
    units: Vec<Unit>,
    as_of: Date,
    as_of_jd: i32,
}

/// Generates `target` residents of `code` (exactly: the last household is cut to fit).
pub(crate) fn village(g: &mut Generator, code: KodeWilayah, target: usize) -> VillageData {
    let mut data = VillageData {
        village: code,
        families: Vec::with_capacity(target / 3 + 1),
        residents: Vec::with_capacity(target),
        events: Vec::with_capacity(target / 4),
        baselines: Vec::with_capacity(target),
    };
    if target == 0 {
        return data;
    }
    let district = code
        .ancestor(RegionLevel::District)
        .expect("a village code has a district");
    let province = (code.as_u64() / 100_000_000) as u8;
    let bali = province == 51;
    let setting = Setting {
        code,
        district,
        elsewhere: g
            .districts
            .iter()
            .copied()
            .filter(|d| *d != district)
            .collect(),
        style: if bali {
            Style::Balinese
        } else {
            Style::Javanese
        },
        religions: attributes::religions(province),
        places: BirthPlaces::around(code),
        units: hamlets::layout(&mut g.rng, bali, target as u32),
        as_of: g.as_of,
        as_of_jd: g.as_of.to_julian_day(),
    };
    while data.residents.len() < target {
        let cap = target - data.residents.len();
        let mut members =
            Planner::new(&mut g.rng, setting.as_of_jd, setting.as_of.year()).household(cap);
        let history = history::unfold(&mut g.rng, &mut members, setting.as_of_jd);
        family(g, &setting, &members, &history, &mut data);
    }
    appoint_officials(g, &setting, &mut data);
    data
}

/// The date on the family card: after its heads turned 17, after the family
/// moved in or changed head (a new card is issued then), before `as_of`.
fn card_date(g: &mut Generator, s: &Setting, members: &[Member], history: &History) -> i32 {
    let hi = s.as_of_jd - 1;
    let adult_heads = members
        .iter()
        .filter(|m| m.role == Shdk::KepalaKeluarga)
        .map(|m| m.birth + SEVENTEEN_YEARS)
        .max()
        .unwrap_or(hi);
    let since = history.new_head_since.or(history.arrival);
    let lo = adult_heads.max(since.unwrap_or(CARDS_SINCE)).min(hi);
    let hi = if since.is_some() { hi.min(lo + 60) } else { hi };
    g.rng.random_range(lo..=hi)
}

/// How likely someone was born in the village's own regency.
fn home_share(fate: &Fate) -> f64 {
    match fate.events.first() {
        Some((Peristiwa::Lahir, _)) => 0.95,
        _ if fate.moved_in => 0.25,
        _ => 0.8,
    }
}

fn date(jd: i32) -> Date {
    Date::from_julian_day(jd).expect("generated dates are within the calendar")
}

fn family(
    g: &mut Generator,
    s: &Setting,
    members: &[Member],
    history: &History,
    data: &mut VillageData,
) {
    let family_id = g.ids.next(&mut g.rng);
    let unit = &s.units[g.rng.random_range(0..s.units.len() as u32) as usize];
    let address = hamlets::address(&mut g.rng, unit);
    let religion = pick(&mut g.rng, s.religions);
    let mut recorded = card_date(g, s, members, history);
    let no_kk = loop {
        if let Some(kk) = g.serials.no_kk(s.district, date(recorded)) {
            break kk;
        }
        // 9,999 cards on one day in one district: take the day before.
        recorded -= 1;
    };
    data.families.push(Family {
        id: family_id,
        village: s.code,
        no_kk,
        address,
        wilayah: unit.wilayah.clone(),
    });

    struct Person {
        id: Uuid,
        number: ResidentNumber,
        name: String,
        religion: Agama,
        absent_father: String,
        absent_mother: String,
    }
    let mut people: Vec<Person> = Vec::with_capacity(members.len());
    let mut absent = AbsentParents::default();
    for (i, m) in members.iter().enumerate() {
        let id = g.ids.next(&mut g.rng);
        let religion = if g.rng.random_bool(0.02) {
            pick(&mut g.rng, s.religions)
        } else {
            religion
        };
        let birth = date(m.birth);
        let absent_father = match m.father {
            Some(_) => String::new(),
            None => absent.name(g, s, religion, m, Sex::LakiLaki, birth.year() - 30),
        };
        let absent_mother = match m.mother {
            Some(_) => String::new(),
            None => absent.name(g, s, religion, m, Sex::Perempuan, birth.year() - 26),
        };
        let father = match m.father {
            Some(f) if f < i => Some(people[f].name.as_str()),
            Some(_) => None,
            None => Some(absent_father.as_str()),
        };
        let name = names::full_name(
            &mut g.rng,
            s.style,
            religion,
            m.sex,
            birth.year(),
            m.birth_order,
            father,
        );
        let infant = s.as_of_jd - m.birth < 365;
        let number = number(g, s, birth, m.sex, history.fates[i].moved_in, infant);
        people.push(Person {
            id,
            number,
            name,
            religion,
            absent_father,
            absent_mother,
        });
    }

    for (i, (m, fate)) in members.iter().zip(&history.fates).enumerate() {
        let birth = date(m.birth);
        let age = age_on(birth, s.as_of);
        let absent_father = std::mem::take(&mut people[i].absent_father);
        let absent_mother = std::mem::take(&mut people[i].absent_mother);
        let (father_nik, father_name) = match m.father {
            Some(f) => (people[f].number.nik(), people[f].name.clone()),
            None => (None, absent_father),
        };
        let (mother_nik, mother_name) = match m.mother {
            Some(f) => (people[f].number.nik(), people[f].name.clone()),
            None => (None, absent_mother),
        };
        let p = &people[i];
        let education = attributes::education(&mut g.rng, age, birth.year());
        let occupation = attributes::occupation(&mut g.rng, age, m.sex, education);
        let first_event = data.events.len();
        for &(kind, day) in &fate.events {
            data.events.push(LifeEvent {
                id: g.ids.next(&mut g.rng),
                resident_id: p.id,
                kind,
                occurred_on: date(day),
                particulars: None,
            });
        }
        let status = derive_status(fate.baseline, &data.events[first_event..])
            .expect("the history only records valid transitions")
            .expect("every resident is registered");
        debug_assert_eq!(status, fate.status);
        data.baselines.push((p.id, fate.baseline));
        data.residents.push(Resident {
            id: p.id,
            village: s.code,
            family_id: Some(family_id),
            number: p.number,
            name: PersonName::parse(&p.name).expect("generated names are valid"),
            sex: m.sex,
            birth_place: s.places.pick(&mut g.rng, home_share(fate)).to_owned(),
            birth_date: birth,
            religion: p.religion,
            education,
            occupation,
            marital_status: m.marital,
            relationship: m.role,
            citizenship: Warganegara::Wni,
            blood_type: attributes::blood_type(&mut g.rng),
            disability: attributes::disability(&mut g.rng, age),
            father_nik,
            father_name,
            mother_nik,
            mother_name,
            status,
            details: crate::details::details(&mut g.rng, age, birth.year()),
        });
    }
}

/// Names of parents who are not on the card. Siblings share them: the
/// children of a widow share their late father, grandchildren raised by
/// grandparents share their parents working away.
#[derive(Default)]
struct AbsentParents {
    named: Vec<((Sex, Option<usize>), String)>,
}

impl AbsentParents {
    fn name(
        &mut self,
        g: &mut Generator,
        s: &Setting,
        religion: Agama,
        child: &Member,
        sex: Sex,
        birth_year: i32,
    ) -> String {
        let other = if sex == Sex::LakiLaki {
            child.mother
        } else {
            child.father
        };
        let shared = other.is_some() || child.role == Shdk::Cucu;
        if shared && let Some((_, name)) = self.named.iter().find(|(k, _)| *k == (sex, other)) {
            return name.clone();
        }
        let name = names::full_name(&mut g.rng, s.style, religion, sex, birth_year, 0, None);
        if shared {
            self.named.push(((sex, other), name.clone()));
        }
        name
    }
}

/// A NIK (mostly from the village's own district), or for some infants a
/// temporary number while the NIK is pending.
fn number(
    g: &mut Generator,
    s: &Setting,
    birth: Date,
    sex: Sex,
    moved_in: bool,
    infant: bool,
) -> ResidentNumber {
    if infant
        && g.rng.random_bool(0.3)
        && let Some(t) = g.serials.temporary(s.code)
    {
        return ResidentNumber::Sementara(t);
    }
    let elsewhere_share = if moved_in { 0.6 } else { 0.1 };
    let district = if !s.elsewhere.is_empty() && g.rng.random_bool(elsewhere_share) {
        one_of(&mut g.rng, &s.elsewhere)
    } else {
        s.district
    };
    // Running out of a day's 9,999 serials needs ~10,000 same-sex people born that
    // day in one district; fall back to other districts, then a temporary number.
    let serials = &mut g.serials;
    serials
        .nik(district, birth, sex)
        .or_else(|| {
            std::iter::once(&s.district)
                .chain(&s.elsewhere)
                .find_map(|d| serials.nik(*d, birth, sex))
        })
        .map(ResidentNumber::Nik)
        .or_else(|| serials.temporary(s.code).map(ResidentNumber::Sementara))
        .expect("NIK serials and temporary numbers of a village exhausted")
}

/// Gives the village its head (KEPALA DESA) and staff (PERANGKAT DESA):
/// living, educated residents aged 30-60.
fn appoint_officials(g: &mut Generator, s: &Setting, data: &mut VillageData) {
    let n = data.residents.len();
    let staff = (n / 400).clamp(3, 12);
    let start = g.rng.random_range(0..n as u32) as usize;
    let mut appointed = 0;
    for k in 0..n {
        let r = &mut data.residents[(start + k) % n];
        let eligible = r.status == StatusDasar::Hidup
            && (30..=60).contains(&age_on(r.birth_date, s.as_of))
            && r.education >= PendidikanKk::SltaSederajat
            && r.occupation != Pekerjaan::PelajarMahasiswa;
        if !eligible {
            continue;
        }
        r.occupation = if appointed == 0 {
            Pekerjaan::KepalaDesa
        } else {
            Pekerjaan::PerangkatDesa
        };
        appointed += 1;
        if appointed > staff {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn day_constants_are_what_they_say() {
        assert_eq!(date(CARDS_SINCE), date!(1995 - 01 - 01));
        assert!(
            date(date!(2000 - 01 - 01).to_julian_day() + SEVENTEEN_YEARS) >= date!(2017 - 01 - 01)
        );
        assert!(
            date(date!(2003 - 03 - 01).to_julian_day() + SEVENTEEN_YEARS) >= date!(2020 - 03 - 01)
        );
    }
}
