//! The six smart-village pillars scorecard (issue 13 part 4): each
//! figure of `balai_domain::smart_village::INDICATORS`, per village and
//! for the regency (or a facilitator's villages), over the years.
//!
//! The store counts each village's raw parts over a year; the domain's
//! `scores` turns them into figures (its one definition); an area's
//! figures are its villages' figures added ([`Figure::plus`]: parts and
//! wholes, never shares averaged). Aggregates only: nothing here names a
//! resident, so facilitators and the regency read it like the dashboard.
//! It covers the villages served on this installation (the ministry's
//! indices of other villages are on the development index pages).

use std::collections::HashMap;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::idm::{Idm, IdmYear};
use balai_domain::indeks_desa::{IndeksDesa, IndeksDesaYear};
use balai_domain::letter_request::RequestChannel;
use balai_domain::regency::ReportMonth;
use balai_domain::site::SignupStatus;
use balai_domain::smart_village::{
    self, ANSWERED, NOW_COUNTS, Published, Scores, Snapshot, YearCounts,
};
use balai_domain::time_zone::ZonaWaktu;
use balai_store::{PillarCounts, PillarPeriod};
use time::{Date, Month, OffsetDateTime};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::regency::RegencyView;
use crate::registry::{local_date, today};
use crate::staff::VillageAccess;

/// The first year a scorecard can be asked for: the IDM's first.
pub const FIRST_YEAR: i32 = IdmYear::FIRST as i32;

/// How many years a scorecard shows, the year asked last.
pub const YEARS_SHOWN: i32 = 5;

/// One area's figures in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearScores {
    /// The year.
    pub year: i32,
    /// The figures, in `INDICATORS` order.
    pub scores: Scores,
}

/// One village's figures in the year asked.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageScores {
    /// The village.
    pub kode: KodeWilayah,
    /// Its name.
    pub name: String,
    /// Its district's name.
    pub district_name: String,
    /// Its figures.
    pub scores: Scores,
}

/// A scorecard: an area over the years, and its villages in the year asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    /// The year asked.
    pub year: i32,
    /// The area's figures, oldest year first, the year asked last.
    pub years: Vec<YearScores>,
    /// Its villages in the year asked, in code order (one for a village's own).
    pub villages: Vec<VillageScores>,
}

/// The year `input` names (a four-digit year from [`FIRST_YEAR`] to this
/// year), or this year when none is given.
pub fn parse_year(
    input: Option<&str>,
    clock: &dyn Clock,
    place: KodeWilayah,
) -> Result<i32, ServiceError> {
    let this_year = today(clock, place).year();
    match input.map(str::trim) {
        None | Some("") => Ok(this_year),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (FIRST_YEAR..=this_year).contains(y))
            .ok_or_else(|| {
                ServiceError::Invalid(format!("tahun harus {FIRST_YEAR} sampai {this_year}"))
            }),
    }
}

/// The regency's scorecard as `view` sees it: the whole regency for its
/// administrator, the assigned villages for a facilitator.
pub async fn regency(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    year: i32,
) -> Result<Scorecard, ServiceError> {
    scorecard(db, clock, view.regency(), year, |k| view.sees(k)).await
}

/// One village's scorecard, for the regency or a facilitator who sees it
/// ("not found" otherwise, as for a village that does not exist).
pub async fn village_for_view(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    village: KodeWilayah,
    year: i32,
) -> Result<Scorecard, ServiceError> {
    if !view.sees(village) {
        return Err(ServiceError::NotFound);
    }
    let card = scorecard(db, clock, village, year, |_| true).await?;
    if card.villages.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok(card)
}

/// A village's own scorecard, for its staff.
pub async fn village(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    year: i32,
) -> Result<Scorecard, ServiceError> {
    scorecard(db, clock, access.village(), year, |_| true).await
}

/// The first instant of day `d` on the clocks of `place` (as
/// `registry::today`): a year's letters and news are counted from the
/// village's New Year, not Jakarta's.
fn village_midnight(d: Date, place: KodeWilayah) -> OffsetDateTime {
    d.midnight().assume_offset(ZonaWaktu::of(place).offset())
}

/// The year `year` of the villages in `within` (one regency or smaller, so
/// one province and one zone).
fn period(year: i32, within: KodeWilayah) -> Result<PillarPeriod, ServiceError> {
    let bad = |_| ServiceError::Invalid(format!("tahun {year}"));
    let first = Date::from_calendar_date(year, Month::January, 1).map_err(bad)?;
    let next = Date::from_calendar_date(year + 1, Month::January, 1).map_err(bad)?;
    let months = |m: u8| {
        ReportMonth::new(year, m)
            .map(ReportMonth::number)
            .map_err(ServiceError::Invalid)
    };
    Ok(PillarPeriod {
        first,
        last: next.previous_day().unwrap_or(first),
        from: village_midnight(first, within),
        until: village_midnight(next, within),
        year,
        online_channel: RequestChannel::Online.code(),
        answered: ANSWERED.iter().map(|s| i64::from(s.code())).collect(),
        cancelled_signup: i64::from(SignupStatus::Cancelled.code()),
        months: (months(1)?, months(12)?),
    })
}

fn year_counts(
    c: PillarCounts,
    joined: Option<OffsetDateTime>,
    village: KodeWilayah,
) -> YearCounts {
    YearCounts {
        joined: joined.map(|at| local_date(at, village)),
        letters: c.letters,
        self_requested: c.self_requested,
        online: c.online,
        within_a_day: c.within_a_day,
        complaints: c.complaints,
        news_days: c.news_days,
        signups: c.signups,
        activities: c.activities,
        reports: c
            .reports
            .into_iter()
            .filter_map(|(m, at)| ReportMonth::from_number(m).map(|m| (m, local_date(at, village))))
            .collect(),
    }
}

fn code_number(k: KodeWilayah) -> i64 {
    k.as_u64() as i64
}

/// The scorecard of the villages inside `within` that `shown` admits.
async fn scorecard(
    db: &Db,
    clock: &dyn Clock,
    within: KodeWilayah,
    year: i32,
    shown: impl Fn(KodeWilayah) -> bool,
) -> Result<Scorecard, ServiceError> {
    let today = today(clock, within);
    let store = db.store();
    let villages: Vec<_> = store
        .village_summaries(Some(within))
        .await?
        .into_iter()
        .filter(|s| shown(s.village.kode))
        .collect();
    // The ministry's indices of every year, read once.
    let idm: HashMap<(i64, i32), Idm> = store
        .idm_history(within)
        .await?
        .into_iter()
        .map(|s| {
            (
                (
                    code_number(s.record.village),
                    i32::from(s.record.year.get()),
                ),
                s.record.idm,
            )
        })
        .collect();
    let indeks_desa: HashMap<(i64, i32), IndeksDesa> = store
        .indeks_desa_history(within)
        .await?
        .into_iter()
        .map(|s| ((code_number(s.village), i32::from(s.year.get())), s.index))
        .collect();
    // The registry as it stands, for the current year's "now" figures.
    let kept = store.village_kept_sums(within, &NOW_COUNTS).await?;
    let joined = store.village_first_changes(within).await?;
    let pins = store
        .residents_with_pin(within, i64::from(StatusDasar::Hidup.code()))
        .await?;
    let snapshot = |v: i64| {
        Snapshot::from_counts(
            kept.get(&v).map_or(&[][..], Vec::as_slice),
            pins.get(&v).copied().unwrap_or(0),
        )
    };
    let first = (year - YEARS_SHOWN + 1).max(FIRST_YEAR);
    let mut years = Vec::new();
    let mut in_year = Vec::new();
    for y in first..=year {
        let mut counts = store.pillar_counts(within, &period(y, within)?).await?;
        let mut total: Scores = [None; smart_village::INDICATORS.len()];
        for s in &villages {
            let v = code_number(s.village.kode);
            let published = Published {
                idm: IdmYear::new(i64::from(y)).and_then(|_| idm.get(&(v, y)).copied()),
                indeks_desa: IndeksDesaYear::new(i64::from(y))
                    .and_then(|_| indeks_desa.get(&(v, y)).copied()),
            };
            let now = snapshot(v);
            let scores = smart_village::scores(
                y,
                today,
                &year_counts(
                    counts.remove(&v).unwrap_or_default(),
                    joined.get(&v).copied(),
                    s.village.kode,
                ),
                Some(&now),
                &published,
            );
            total = smart_village::sum(&total, &scores);
            if y == year {
                in_year.push(VillageScores {
                    kode: s.village.kode,
                    name: s.village.name.clone(),
                    district_name: s.village.district_name.clone(),
                    scores,
                });
            }
        }
        years.push(YearScores {
            year: y,
            scores: total,
        });
    }
    Ok(Scorecard {
        year,
        years,
        villages: in_year,
    })
}
