//! The regency network's definitions (issue 13): the key figures of an
//! area (a regency, district, village, dusun or RW), the **data-completeness
//! score**, and when a village's monthly report is due.
//!
//! # Key figures
//!
//! Every figure is a count the store keeps current on write
//! (`population_stat`, [`Dimension`]): an area's figures are the sum of its
//! parts' figures, so every level of the drill-down adds up by
//! construction. [`KEY_COUNTS`] says which kept counts each figure sums;
//! the store turns this table into SQL, so it is the only definition.
//!
//! # Data-completeness score
//!
//! The mean of five shares, each between 0 and 1, shown as a percentage:
//!
//! | part | share |
//! |---|---|
//! | blood type | living residents whose blood type is recorded and not "TIDAK TAHU" |
//! | disability | living residents whose disability field is filled (including "TIDAK CACAT") |
//! | health insurance | living residents whose insurance field is filled |
//! | birth certificate | living residents with a birth certificate number |
//! | family heads | family cards against living heads of family: `1 − |cards − heads| / cards` (1 when every card has exactly one head) |
//!
//! An area without living residents (or without cards, for the last part)
//! counts that share as complete: there is nothing missing. The score is
//! computed from the area's summed counts, never averaged over its parts.

use serde::Serialize;
use time::{Date, Month};

use crate::codes::{GolonganDarah, Shdk, StatusDasar};
use crate::population_stats::{Dimension, NOT_RECORDED};

/// Which codes of a dimension a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRule {
    /// Every code.
    Any,
    /// Exactly this code.
    Is(i64),
    /// Any code but these.
    NoneOf(&'static [i64]),
}

impl CodeRule {
    /// Whether `code` is counted.
    pub fn matches(self, code: i64) -> bool {
        match self {
            CodeRule::Any => true,
            CodeRule::Is(c) => code == c,
            CodeRule::NoneOf(cs) => !cs.contains(&code),
        }
    }
}

/// One key figure: the sum of the kept counts of `dimension` whose code matches `codes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCount {
    /// The dimension counted.
    pub dimension: Dimension,
    /// Which of its codes.
    pub codes: CodeRule,
}

const BLOOD_UNKNOWN: i64 = GolonganDarah::TidakTahu.code() as i64;

/// The key figures, in [`KeyFigures::counts`] order: living residents,
/// family cards, living heads of family, then the filled fields of the
/// completeness score.
pub const KEY_COUNTS: [KeyCount; 7] = [
    KeyCount {
        dimension: Dimension::Status,
        codes: CodeRule::Is(StatusDasar::Hidup.code() as i64),
    },
    KeyCount {
        dimension: Dimension::Families,
        codes: CodeRule::Any,
    },
    KeyCount {
        dimension: Dimension::Relationship,
        codes: CodeRule::Is(Shdk::KepalaKeluarga.code() as i64),
    },
    KeyCount {
        dimension: Dimension::BloodType,
        codes: CodeRule::NoneOf(&[NOT_RECORDED, BLOOD_UNKNOWN]),
    },
    KeyCount {
        dimension: Dimension::Disability,
        codes: CodeRule::NoneOf(&[NOT_RECORDED]),
    },
    KeyCount {
        dimension: Dimension::Insurance,
        codes: CodeRule::NoneOf(&[NOT_RECORDED]),
    },
    KeyCount {
        dimension: Dimension::BirthCertificate,
        codes: CodeRule::Is(1),
    },
];

/// The key figures of an area: sums of kept counts (see [`KEY_COUNTS`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KeyFigures {
    /// Living residents.
    pub residents: i64,
    /// Family cards.
    pub families: i64,
    /// Living heads of family.
    pub heads: i64,
    /// Living residents with a known blood type.
    pub blood_type: i64,
    /// Living residents whose disability field is filled.
    pub disability: i64,
    /// Living residents whose health-insurance field is filled.
    pub insurance: i64,
    /// Living residents with a birth certificate number.
    pub birth_certificate: i64,
}

impl KeyFigures {
    /// From the sums of [`KEY_COUNTS`], in order.
    pub fn from_counts(c: [i64; 7]) -> Self {
        KeyFigures {
            residents: c[0],
            families: c[1],
            heads: c[2],
            blood_type: c[3],
            disability: c[4],
            insurance: c[5],
            birth_certificate: c[6],
        }
    }

    /// The sums, in [`KEY_COUNTS`] order.
    pub fn counts(&self) -> [i64; 7] {
        [
            self.residents,
            self.families,
            self.heads,
            self.blood_type,
            self.disability,
            self.insurance,
            self.birth_certificate,
        ]
    }

    /// Adds one kept count (`dimension`, `code`, `n`) to the figures it belongs to.
    pub fn add_count(&mut self, dimension: Dimension, code: i64, n: i64) {
        let mut c = self.counts();
        for (i, k) in KEY_COUNTS.iter().enumerate() {
            if k.dimension == dimension && k.codes.matches(code) {
                c[i] += n;
            }
        }
        *self = Self::from_counts(c);
    }

    /// `self + other`.
    pub fn plus(&self, other: &KeyFigures) -> KeyFigures {
        let (a, b) = (self.counts(), other.counts());
        Self::from_counts(std::array::from_fn(|i| a[i] + b[i]))
    }

    /// The data-completeness score in tenths of a percent (0–1000), as the
    /// module documentation defines it.
    pub fn completeness_permille(&self) -> i64 {
        let share = |filled: i64| -> f64 {
            if self.residents <= 0 {
                1.0
            } else {
                (filled as f64 / self.residents as f64).clamp(0.0, 1.0)
            }
        };
        let heads = if self.families <= 0 {
            1.0
        } else {
            (1.0 - (self.families - self.heads).abs() as f64 / self.families as f64).max(0.0)
        };
        let parts = [
            share(self.blood_type),
            share(self.disability),
            share(self.insurance),
            share(self.birth_certificate),
            heads,
        ];
        let mean = parts.iter().sum::<f64>() / parts.len() as f64;
        (mean * 1000.0).round() as i64
    }
}

/// The day of the following month by the end of which a village's monthly
/// report must be submitted; submitted after that day, or not at all once
/// it has passed, the village is late.
pub const REPORT_DUE_DAY: u8 = 10;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ReportMonth {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
}

impl ReportMonth {
    /// A month, or why not (year 2000–2100, month 1–12).
    pub fn new(year: i32, month: u8) -> Result<Self, String> {
        if !(2000..=2100).contains(&year) {
            return Err(format!("tahun {year} di luar rentang 2000–2100"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("bulan {month} tidak ada (1–12)"));
        }
        Ok(ReportMonth { year, month })
    }

    /// A month as `<input type="month">` sends it: `YYYY-MM`, or why not.
    pub fn parse_iso(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let parts = text
            .split_once('-')
            .filter(|(y, m)| {
                y.len() == 4
                    && m.len() == 2
                    && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
            })
            .and_then(|(y, m)| Some((y.parse().ok()?, m.parse().ok()?)));
        match parts {
            Some((year, month)) => Self::new(year, month),
            None => Err(format!(
                "bulan \"{text}\" tidak terbaca (tahun-bulan, mis. 2026-11)"
            )),
        }
    }

    /// The `YYYY-MM` form `<input type="month">` shows.
    pub fn iso(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// The month of `d`.
    pub fn of(d: Date) -> Self {
        ReportMonth {
            year: d.year(),
            month: u8::from(d.month()),
        }
    }

    /// Stored form: year × 12 + month − 1.
    pub fn number(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// From the stored form.
    pub fn from_number(n: i64) -> Option<Self> {
        let year = i32::try_from(n.div_euclid(12)).ok()?;
        let month = u8::try_from(n.rem_euclid(12) + 1).ok()?;
        Self::new(year, month).ok()
    }

    /// The month before.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            ReportMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            ReportMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    fn first_day(self) -> Date {
        let m = Month::try_from(self.month).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, m, 1).unwrap_or(Date::MIN)
    }

    /// The last day of the month.
    pub fn last_day(self) -> Date {
        let next = self.next().first_day();
        next.previous_day().unwrap_or(next)
    }

    /// The month after.
    pub fn next(self) -> Self {
        if self.month == 12 {
            ReportMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            ReportMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The last day a report of this month is on time ([`REPORT_DUE_DAY`] of the next month).
    pub fn due(self) -> Date {
        let next = self.next();
        let m = Month::try_from(next.month).unwrap_or(Month::January);
        Date::from_calendar_date(next.year, m, REPORT_DUE_DAY).unwrap_or(Date::MAX)
    }

    /// Whether a report of this month may be submitted on `today`: only once the month is over.
    pub fn may_submit_on(self, today: Date) -> bool {
        today > self.last_day()
    }
}

impl std::fmt::Display for ReportMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{}", self.month, self.year)
    }
}

/// Where a village's report of one month stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Submitted by the due day.
    OnTime,
    /// Submitted after the due day.
    SubmittedLate,
    /// Not submitted; the due day has not passed.
    Pending,
    /// Not submitted and the due day has passed.
    Late,
}

impl ReportState {
    /// The state of `month`'s report on `today`, submitted on `submitted_on` if at all.
    pub fn of(month: ReportMonth, submitted_on: Option<Date>, today: Date) -> Self {
        match submitted_on {
            Some(d) if d <= month.due() => ReportState::OnTime,
            Some(_) => ReportState::SubmittedLate,
            None if today > month.due() => ReportState::Late,
            None => ReportState::Pending,
        }
    }

    /// Whether the village is (or was) late with this report.
    pub fn is_late(self) -> bool {
        matches!(self, ReportState::SubmittedLate | ReportState::Late)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_month_is_read_as_the_month_input_sends_it() {
        let m = super::ReportMonth::parse_iso("2026-11").unwrap();
        assert_eq!((m.year, m.month), (2026, 11));
        assert_eq!(m.iso(), "2026-11");
        for bad in [
            "2026-13", "2026-1", "26-11", "2026/11", "", "2026-00", "abcd-ef", "1999-12",
        ] {
            assert!(
                super::ReportMonth::parse_iso(bad).is_err(),
                "{bad} accepted"
            );
        }
    }

    use super::*;
    use time::macros::date;

    #[test]
    fn a_report_is_due_on_the_tenth_of_the_next_month_and_late_after_it() {
        let nov = ReportMonth::new(2026, 11).unwrap();
        assert_eq!(nov.due(), date!(2026 - 12 - 10));
        let dec = ReportMonth::new(2026, 12).unwrap();
        assert_eq!(dec.due(), date!(2027 - 01 - 10));
        assert_eq!(dec.last_day(), date!(2026 - 12 - 31));
        assert_eq!(
            ReportState::of(nov, Some(date!(2026 - 12 - 10)), date!(2026 - 12 - 20)),
            ReportState::OnTime
        );
        assert_eq!(
            ReportState::of(nov, Some(date!(2026 - 12 - 11)), date!(2026 - 12 - 20)),
            ReportState::SubmittedLate
        );
        assert_eq!(
            ReportState::of(nov, None, date!(2026 - 12 - 10)),
            ReportState::Pending
        );
        assert_eq!(
            ReportState::of(nov, None, date!(2026 - 12 - 11)),
            ReportState::Late
        );
        assert!(!nov.may_submit_on(date!(2026 - 11 - 30)));
        assert!(nov.may_submit_on(date!(2026 - 12 - 01)));
        assert_eq!(ReportMonth::from_number(nov.number()), Some(nov));
        assert!(ReportMonth::new(2026, 13).is_err());
    }

    #[test]
    fn completeness_is_the_mean_of_five_shares() {
        let full = KeyFigures {
            residents: 10,
            families: 4,
            heads: 4,
            blood_type: 10,
            disability: 10,
            insurance: 10,
            birth_certificate: 10,
        };
        assert_eq!(full.completeness_permille(), 1000);
        let half = KeyFigures {
            blood_type: 5,
            disability: 5,
            insurance: 5,
            birth_certificate: 5,
            heads: 2,
            ..full
        };
        assert_eq!(half.completeness_permille(), 500);
        assert_eq!(KeyFigures::default().completeness_permille(), 1000);
        let mut k = KeyFigures::default();
        k.add_count(Dimension::BloodType, BLOOD_UNKNOWN, 3);
        k.add_count(Dimension::BloodType, 1, 2);
        k.add_count(Dimension::Status, StatusDasar::Mati.code() as i64, 9);
        k.add_count(Dimension::Status, StatusDasar::Hidup.code() as i64, 5);
        assert_eq!((k.blood_type, k.residents), (2, 5));
    }
}
