//! Five years of life events before the as-of date: births, arrivals, deaths,
//! departures. Each person gets a registration baseline and a chronological
//! event list whose replay (`derive_status`) gives their current status; the
//! household's roles are then repaired so exactly one current member heads it.

use balai_domain::codes::{Peristiwa, Sex, Shdk, StatusDasar, StatusKawin};
use balai_domain::life_event::{is_resident, next_status};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::households::Member;

/// Length of the recorded history: five years.
pub(crate) const WINDOW_DAYS: i32 = 1826;

const DAYS_PER_YEAR: f64 = 365.2425;

/// What happened to one member.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fate {
    /// Status when first registered; `None` when a birth or move-in event registered them.
    pub(crate) baseline: Option<StatusDasar>,
    /// Events in date order (Julian days).
    pub(crate) events: Vec<(Peristiwa, i32)>,
    /// Status after the events.
    pub(crate) status: StatusDasar,
    /// Registered by moving in: their NIK was more likely issued elsewhere.
    pub(crate) moved_in: bool,
}

impl Fate {
    fn record(&mut self, kind: Peristiwa, on: i32) {
        debug_assert!(
            self.events.last().is_none_or(|(_, d)| *d <= on),
            "events are recorded in date order"
        );
        self.status = next_status(self.baseline_or_last(), kind)
            .expect("the history only records valid transitions");
        self.events.push((kind, on));
    }

    fn baseline_or_last(&self) -> Option<StatusDasar> {
        if self.events.is_empty() {
            self.baseline
        } else {
            Some(self.status)
        }
    }
}

/// The history of one household.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct History {
    /// One fate per member, in member order.
    pub(crate) fates: Vec<Fate>,
    /// The day the whole family moved into the village, if it did within the window.
    pub(crate) arrival: Option<i32>,
    /// The day the first head died or left while others stayed (a new card is issued then).
    pub(crate) new_head_since: Option<i32>,
}

/// Yearly death probability at `age`, roughly Indonesia's life table.
fn hazard(age: i32) -> f64 {
    match age {
        0 => 0.02,
        1..=4 => 0.002,
        5..=39 => 0.0008,
        40..=49 => 0.003,
        50..=59 => 0.008,
        60..=69 => 0.025,
        70..=79 => 0.06,
        80..=89 => 0.14,
        _ => 0.25,
    }
}

/// Probability of dying within `span` years at yearly probability `h`. Only
/// IEEE basic operations (no `exp`/`powf`, whose last bit varies by platform
/// libm), so the same seed gives the same deaths everywhere.
fn death_probability(h: f64, span: f64) -> f64 {
    let mut survive = 1.0;
    let mut left = span;
    while left >= 1.0 {
        survive *= 1.0 - h;
        left -= 1.0;
    }
    survive *= 1.0 - h * left;
    (1.0 - survive).clamp(0.0, 1.0)
}

fn years(days: i32) -> i32 {
    (f64::from(days) / DAYS_PER_YEAR) as i32
}

fn day_in(rng: &mut ChaCha8Rng, lo: i32, hi: i32) -> Option<i32> {
    (lo <= hi).then(|| rng.random_range(lo..=hi))
}

/// Unfolds the history of `members` up to `as_of` (a Julian day), adjusting
/// their marital status (widowhood, divorce) and roles (a new head).
pub(crate) fn unfold(rng: &mut ChaCha8Rng, members: &mut [Member], as_of: i32) -> History {
    let start = as_of - WINDOW_DAYS;
    let n = members.len();
    let mut fates: Vec<Fate> = Vec::with_capacity(n);
    // First day each member may have a further event.
    let mut free_from: Vec<i32> = Vec::with_capacity(n);

    let arrival = rng
        .random_bool(0.06)
        .then(|| rng.random_range(start..as_of));
    for i in 0..n {
        let joined = arrival.or_else(|| individual_arrival(rng, members, i, start, as_of));
        let birth = members[i].birth;
        let mut fate = Fate {
            baseline: Some(StatusDasar::Hidup),
            events: Vec::new(),
            status: StatusDasar::Hidup,
            moved_in: false,
        };
        match joined {
            Some(day) if birth < day => {
                fate.baseline = None;
                fate.moved_in = true;
                fate.record(Peristiwa::PindahMasuk, day);
                free_from.push(day + 1);
            }
            _ if birth >= start => {
                fate.baseline = None;
                fate.record(Peristiwa::Lahir, birth);
                free_from.push(birth + 1);
            }
            _ => free_from.push(start),
        }
        fates.push(fate);
    }

    // A parent is alive at each of their children's births (in this registry).
    for child in members.iter() {
        for parent in [child.father, child.mother].into_iter().flatten() {
            free_from[parent] = free_from[parent].max(child.birth);
        }
    }

    let latest = free_from.iter().copied().max().unwrap_or(start);
    let family_leaves = rng
        .random_bool(0.045)
        .then(|| day_in(rng, latest, as_of))
        .flatten();
    let end = family_leaves.unwrap_or(as_of);

    let mut died: Vec<Option<i32>> = vec![None; n];
    for (i, &from) in free_from.iter().enumerate() {
        let exposure = end - from;
        if exposure < 0 {
            continue;
        }
        let p = death_probability(
            hazard(years(as_of - members[i].birth)),
            f64::from(exposure) / DAYS_PER_YEAR,
        );
        if rng.random_bool(p) {
            let day = rng.random_range(from..=end);
            fates[i].record(Peristiwa::Mati, day);
            died[i] = Some(day);
        }
    }

    if let Some(day) = family_leaves {
        for fate in fates.iter_mut().filter(|f| f.status != StatusDasar::Mati) {
            fate.record(Peristiwa::PindahKeluar, day);
        }
    } else {
        for (i, death) in died.iter().enumerate() {
            if death.is_none() {
                individual_departure(rng, members, &mut fates, &free_from, i, as_of);
            }
        }
    }

    for i in 0..n {
        if let Some(s) = members[i].spouse
            && let Some(day) = died[s]
            && died[i].is_none_or(|d| d > day)
        {
            members[i].marital = StatusKawin::CeraiMati;
        }
    }

    let new_head_since = replace_head(rng, members, &mut fates, as_of);
    History {
        fates,
        arrival,
        new_head_since,
    }
}

/// A spouse, in-law or relative who moved in alone during the window.
fn individual_arrival(
    rng: &mut ChaCha8Rng,
    members: &[Member],
    i: usize,
    start: i32,
    as_of: i32,
) -> Option<i32> {
    let m = &members[i];
    let p = match m.role {
        Shdk::Istri | Shdk::Suami => 0.12,
        Shdk::Menantu => 0.4,
        Shdk::FamiliLain => 0.35,
        Shdk::Orangtua | Shdk::Mertua => 0.12,
        _ => return None,
    };
    let adult = m.birth + (17.0 * DAYS_PER_YEAR) as i32;
    let mut lo = start.max(m.birth + 1);
    let mut hi = as_of - 1;
    if matches!(m.role, Shdk::Istri | Shdk::Suami | Shdk::Menantu) {
        // They married in, so their children here were born after they came.
        lo = lo.max(adult);
        for c in members
            .iter()
            .filter(|c| c.father == Some(i) || c.mother == Some(i))
        {
            hi = hi.min(c.birth);
        }
    }
    if lo > hi || !rng.random_bool(p) {
        return None;
    }
    day_in(rng, lo, hi)
}

/// Young adults moving away, the elderly moving to another child, a head
/// leaving after a divorce, migrant workers leaving (PERGI) and sometimes returning.
fn individual_departure(
    rng: &mut ChaCha8Rng,
    members: &mut [Member],
    fates: &mut [Fate],
    free_from: &[i32],
    i: usize,
    as_of: i32,
) {
    let Member {
        role,
        spouse,
        birth,
        marital,
        ..
    } = members[i];
    let age = years(as_of - birth);
    let aged = |years: f64| free_from[i].max(birth + (years * DAYS_PER_YEAR) as i32);
    let leaves_home = match role {
        Shdk::Anak | Shdk::Cucu | Shdk::FamiliLain => {
            marital != StatusKawin::Kawin && (19..=40).contains(&age) && rng.random_bool(0.3)
        }
        Shdk::Orangtua | Shdk::Mertua => rng.random_bool(0.04),
        Shdk::KepalaKeluarga => {
            let spouse_stays = spouse.is_some_and(|s| fates[s].status == StatusDasar::Hidup);
            spouse_stays && age < 60 && rng.random_bool(0.012)
        }
        _ => false,
    };
    if leaves_home {
        if let Some(day) = day_in(rng, aged(18.0), as_of) {
            fates[i].record(Peristiwa::PindahKeluar, day);
            // A head who leaves while the spouse stays has divorced.
            if role == Shdk::KepalaKeluarga
                && let Some(s) = spouse
            {
                members[i].marital = StatusKawin::CeraiHidup;
                members[s].marital = StatusKawin::CeraiHidup;
            }
        }
        return;
    }
    if (18..=45).contains(&age) && rng.random_bool(0.025) {
        if let Some(day) = day_in(rng, aged(18.0), as_of) {
            fates[i].record(Peristiwa::Pergi, day);
            if rng.random_bool(0.3)
                && let Some(back) = day_in(rng, day + 30, as_of)
            {
                fates[i].record(Peristiwa::PindahMasuk, back);
            }
        }
    } else if age >= 15
        && rng.random_bool(0.0015)
        && let Some(day) = day_in(rng, aged(15.0), as_of)
    {
        fates[i].record(Peristiwa::Hilang, day);
    }
}

/// When the head has died or left and others remain, a remaining member takes
/// over (the spouse first, then the eldest child, then the eldest adult) and
/// everyone's relationship is restated relative to them. Children left with
/// no adult move away to relatives. Returns the day the old head left when a
/// new head took over.
fn replace_head(
    rng: &mut ChaCha8Rng,
    members: &mut [Member],
    fates: &mut [Fate],
    as_of: i32,
) -> Option<i32> {
    let old = members
        .iter()
        .position(|m| m.role == Shdk::KepalaKeluarga)?;
    if is_resident(fates[old].status) {
        return None;
    }
    let current: Vec<usize> = (0..members.len())
        .filter(|&i| is_resident(fates[i].status))
        .collect();
    if current.is_empty() {
        return None;
    }
    let left = fates[old].events.last().map_or(as_of, |(_, d)| *d);
    // Eighteen, not seventeen: the new card's date must fall after the new head turned seventeen.
    let adult = |i: usize| years(as_of - members[i].birth) >= 18;
    let present = |i: usize| fates[i].status == StatusDasar::Hidup;
    let eldest = |pred: &dyn Fn(usize) -> bool| {
        current
            .iter()
            .copied()
            .filter(|&i| pred(i))
            .min_by_key(|&i| members[i].birth)
    };
    let new_head = eldest(&|i| members[old].spouse == Some(i) && adult(i) && present(i))
        .or_else(|| eldest(&|i| members[i].role == Shdk::Anak && adult(i) && present(i)))
        .or_else(|| eldest(&|i| adult(i) && present(i)))
        .or_else(|| eldest(&adult));
    let Some(h) = new_head else {
        for &i in &current {
            let from = left.max(fates[i].events.last().map_or(left, |(_, d)| *d));
            let day = day_in(rng, from, as_of).unwrap_or(as_of);
            fates[i].record(Peristiwa::PindahKeluar, day);
        }
        return None;
    };
    let widowed_spouse = members[old].spouse == Some(h);
    for &i in &current {
        members[i].role = if i == h {
            Shdk::KepalaKeluarga
        } else if widowed_spouse {
            // Through marriage the spouse stands where the old head stood, except towards parents.
            match members[i].role {
                Shdk::Orangtua => Shdk::Mertua,
                Shdk::Mertua => Shdk::Orangtua,
                role => role,
            }
        } else {
            relation_to(members, h, i)
        };
    }
    Some(left)
}

/// `i`'s relationship to `h` as far as the household's parent and spouse links tell.
fn relation_to(members: &[Member], h: usize, i: usize) -> Shdk {
    let child_of =
        |c: usize, p: usize| members[c].father == Some(p) || members[c].mother == Some(p);
    let m = &members[i];
    if m.spouse == Some(h) {
        if m.sex == Sex::LakiLaki {
            Shdk::Suami
        } else {
            Shdk::Istri
        }
    } else if child_of(i, h) {
        Shdk::Anak
    } else if child_of(h, i) {
        Shdk::Orangtua
    } else if members[h].spouse.is_some_and(|s| child_of(s, i)) {
        Shdk::Mertua
    } else if [m.father, m.mother]
        .into_iter()
        .flatten()
        .any(|p| child_of(p, h))
    {
        Shdk::Cucu
    } else if m.spouse.is_some_and(|s| child_of(s, h)) {
        Shdk::Menantu
    } else {
        Shdk::FamiliLain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::households::Planner;
    use balai_domain::family::{Member as FamilyMember, check_head};
    use rand::SeedableRng;
    use uuid::Uuid;

    const AS_OF: i32 = 2_461_346; // 2026-11-01

    #[test]
    fn death_probability_compounds_yearly() {
        assert_eq!(death_probability(0.1, 0.0), 0.0);
        assert!((death_probability(0.1, 1.0) - 0.1).abs() < 1e-12);
        assert!((death_probability(0.1, 2.5) - (1.0 - 0.81 * 0.95)).abs() < 1e-12);
        assert!(death_probability(0.25, 5.0) < 0.8);
    }

    #[test]
    fn every_history_is_a_valid_replay_with_one_current_head() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let mut planner_rng = ChaCha8Rng::seed_from_u64(22);
        let mut planner = Planner::new(&mut planner_rng, AS_OF, 2026);
        let (mut people, mut dead, mut moved, mut arrived, mut born) = (0, 0, 0, 0, 0);
        for _ in 0..20_000 {
            let mut members = planner.household(usize::MAX);
            let history = unfold(&mut rng, &mut members, AS_OF);
            let family: Vec<FamilyMember> = members
                .iter()
                .zip(&history.fates)
                .enumerate()
                .map(|(i, (m, f))| FamilyMember {
                    resident_id: Uuid::from_u128(i as u128),
                    relationship: m.role,
                    status: f.status,
                })
                .collect();
            assert_eq!(check_head(&family), Ok(()), "{members:?} {history:?}");
            for (m, f) in members.iter().zip(&history.fates) {
                let mut status = f.baseline;
                for (kind, day) in &f.events {
                    assert!(*day >= m.birth && *day <= AS_OF);
                    status = Some(next_status(status, *kind).unwrap());
                }
                assert_eq!(status, Some(f.status));
                people += 1;
                dead += usize::from(f.status == StatusDasar::Mati);
                moved += usize::from(f.status == StatusDasar::Pindah);
                arrived += usize::from(f.moved_in);
                born += usize::from(f.events.first().is_some_and(|e| e.0 == Peristiwa::Lahir));
            }
        }
        let per_year = |n: usize| n as f64 / people as f64 / 5.0 * 100.0;
        let rates = (
            per_year(dead),
            per_year(moved),
            per_year(arrived),
            per_year(born),
        );
        assert!((0.4..1.1).contains(&rates.0), "deaths %/yr {rates:?}");
        assert!((1.0..2.2).contains(&rates.1), "moves out %/yr {rates:?}");
        assert!((1.0..2.2).contains(&rates.2), "moves in %/yr {rates:?}");
        assert!((1.0..2.5).contains(&rates.3), "births %/yr {rates:?}");
    }
}
