//! The monthly mutation report (laporan mutasi penduduk): population at the
//! start of a period, who was born, died, arrived and left during it, and the
//! population at its end — per sex, reconciling by construction.
//!
//! Population means residents whose status is HIDUP. Going missing (HILANG) or
//! away (PERGI) takes someone out of it and counts as leaving; coming back
//! counts as arriving. Deaths and moves of people already away change nothing
//! in the count and are reported apart, so start + in − out = end always holds.

use std::collections::HashMap;

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::codes::{Peristiwa, Sex, StatusDasar};
use crate::life_event::{LifeEvent, next_status};

/// Counts by sex.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BySex {
    /// Men.
    pub male: u32,
    /// Women.
    pub female: u32,
}

impl BySex {
    /// Men and women together.
    pub fn total(&self) -> u32 {
        self.male + self.female
    }

    fn add(&mut self, sex: Sex) {
        match sex {
            Sex::LakiLaki => self.male += 1,
            Sex::Perempuan => self.female += 1,
        }
    }
}

/// The report for one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MutationReport {
    /// Living residents at the start of the first day.
    pub start: BySex,
    /// Births.
    pub births: BySex,
    /// Arrivals, including people coming back.
    pub moved_in: BySex,
    /// Deaths of living residents.
    pub deaths: BySex,
    /// Departures: moving away, going missing, leaving for a while.
    pub moved_out: BySex,
    /// Living residents at the end of the last day.
    pub end: BySex,
    /// Deaths and moves of people who were already away (not in the count).
    pub outside_count: BySex,
}

impl MutationReport {
    /// True when start + in − out = end for both sexes.
    pub fn reconciles(&self) -> bool {
        let ok = |s: u32, b: u32, i: u32, d: u32, o: u32, e: u32| s + b + i == e + d + o;
        ok(
            self.start.male,
            self.births.male,
            self.moved_in.male,
            self.deaths.male,
            self.moved_out.male,
            self.end.male,
        ) && ok(
            self.start.female,
            self.births.female,
            self.moved_in.female,
            self.deaths.female,
            self.moved_out.female,
            self.end.female,
        )
    }
}

/// Builds the report for `from..=to` from every resident's sex and status at
/// registration and every life event of the village.
pub fn mutation_report(
    people: &[(Uuid, Sex, Option<StatusDasar>)],
    events: &[LifeEvent],
    from: Date,
    to: Date,
) -> MutationReport {
    let mut by_person: HashMap<Uuid, Vec<&LifeEvent>> = HashMap::with_capacity(people.len());
    for e in events {
        by_person.entry(e.resident_id).or_default().push(e);
    }
    let mut report = MutationReport::default();
    for (id, sex, baseline) in people {
        let mut mine = by_person.remove(id).unwrap_or_default();
        mine.sort_by_key(|e| e.occurred_on);
        let mut status = *baseline;
        let living = |s: Option<StatusDasar>| s == Some(StatusDasar::Hidup);
        let mut started = false;
        for e in mine {
            if e.occurred_on > to {
                break;
            }
            if e.occurred_on >= from && !started {
                started = true;
                if living(status) {
                    report.start.add(*sex);
                }
            }
            let before = status;
            // An impossible sequence in stored data leaves the status as it was.
            status = next_status(status, e.kind).ok().or(status);
            if e.occurred_on < from {
                continue;
            }
            match (living(before), living(status), e.kind) {
                (false, true, Peristiwa::Lahir) => report.births.add(*sex),
                (false, true, _) => report.moved_in.add(*sex),
                (true, false, Peristiwa::Mati) => report.deaths.add(*sex),
                (true, false, _) => report.moved_out.add(*sex),
                _ => report.outside_count.add(*sex),
            }
        }
        if !started && living(status) {
            report.start.add(*sex);
        }
        if living(status) {
            report.end.add(*sex);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn ev(n: u128, kind: Peristiwa, on: Date) -> LifeEvent {
        LifeEvent {
            id: Uuid::from_u128(1000 + n),
            resident_id: Uuid::from_u128(n),
            kind,
            occurred_on: on,
            particulars: None,
        }
    }

    #[test]
    fn a_small_month() {
        let people = [
            (Uuid::from_u128(1), Sex::LakiLaki, Some(StatusDasar::Hidup)),
            (Uuid::from_u128(2), Sex::Perempuan, None),
            (Uuid::from_u128(3), Sex::Perempuan, Some(StatusDasar::Hidup)),
            (Uuid::from_u128(4), Sex::LakiLaki, Some(StatusDasar::Hidup)),
        ];
        let events = [
            ev(2, Peristiwa::Lahir, date!(2026 - 10 - 05)),
            ev(3, Peristiwa::Mati, date!(2026 - 10 - 20)),
            ev(4, Peristiwa::Pergi, date!(2026 - 09 - 01)),
            ev(4, Peristiwa::Mati, date!(2026 - 10 - 02)),
        ];
        let r = mutation_report(
            &people,
            &events,
            date!(2026 - 10 - 01),
            date!(2026 - 10 - 31),
        );
        assert_eq!(r.start, BySex { male: 1, female: 1 });
        assert_eq!(r.births, BySex { male: 0, female: 1 });
        assert_eq!(r.deaths, BySex { male: 0, female: 1 });
        assert_eq!(
            r.outside_count,
            BySex { male: 1, female: 0 },
            "a death while away is reported apart"
        );
        assert_eq!(r.end, BySex { male: 1, female: 1 });
        assert!(r.reconciles());
    }

    fn kind() -> impl Strategy<Value = Peristiwa> {
        prop::sample::select(Peristiwa::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn every_period_reconciles_and_ends_where_a_direct_count_does(
            lives in prop::collection::vec((any::<bool>(), prop::option::of(Just(StatusDasar::Hidup)), prop::collection::vec((kind(), 0i64..2000), 0..6)), 1..40),
            from in 0i64..2000, len in 0i64..400,
        ) {
            let base = date!(2020 - 01 - 01);
            let mut people = Vec::new();
            let mut events = Vec::new();
            for (i, (male, baseline, evs)) in lives.iter().enumerate() {
                let id = Uuid::from_u128(i as u128);
                people.push((id, if *male { Sex::LakiLaki } else { Sex::Perempuan }, *baseline));
                for (j, (k, day)) in evs.iter().enumerate() {
                    events.push(LifeEvent { id: Uuid::from_u128((i * 100 + j) as u128 + 1_000_000), resident_id: id, kind: *k, occurred_on: base + time::Duration::days(*day), particulars: None });
                }
            }
            let (f, t) = (base + time::Duration::days(from), base + time::Duration::days(from + len));
            let r = mutation_report(&people, &events, f, t);
            prop_assert!(r.reconciles(), "{r:?}");
            // The end of one period is the start of the next.
            let next = mutation_report(&people, &events, t + time::Duration::days(1), t + time::Duration::days(30));
            prop_assert_eq!(r.end, next.start);
        }
    }
}
