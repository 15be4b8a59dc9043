//! The six smart-village pillars of the ministry's Desa Cerdas programme
//! and **the one table of figures Balai computes for each** (issue 13,
//! part 4). Every figure comes from data Balai holds; none is a survey
//! answer or a guess, and Balai never folds them into a pillar "score"
//! (the ministry publishes no weights to do that with).
//!
//! | code | pillar | figure | period | from |
//! |---|---|---|---|---|
//! | G1 | government | letters residents requested themselves (online or at a kiosk), of the letters issued | year | `letter`, `letter_request` |
//! | G2 | government | residents' requests whose letter was issued within 24 hours of the request, of the requests whose letter was issued | year | `letter_request`, the letter's change-log instant |
//! | G3 | government | monthly mutation reports submitted by their due day, of the months whose report was due (the 10th of the next month) by today | year | `report_submission` |
//! | G4 | government | Indeks Desa: tata kelola pemerintahan desa, mean over villages | year (2024 on) | `indeks_desa_score` |
//! | E1 | economy | living residents whose recorded occupation is work (not "belum/tidak bekerja", "mengurus rumah tangga", "pelajar/mahasiswa" or "pensiunan"), of living residents | now | kept statistics |
//! | E2 | economy | IDM: economic resilience index (IKE), mean over villages | year (2016–2024) | `idm_score` |
//! | E3 | economy | Indeks Desa: ekonomi, mean over villages | year (2024 on) | `indeks_desa_score` |
//! | P1 | people | living residents with at least senior secondary education (SLTA/sederajat) on the KK, of living residents | now | kept statistics |
//! | P2 | people | living residents with a self-service PIN (they can request letters from home or at a kiosk), of living residents | now | `resident_pin` |
//! | P3 | people | sign-ups to the village's activities (cancelled ones left out) | year | `activity_signup` |
//! | P4 | people | Indeks Desa: layanan dasar, mean over villages | year (2024 on) | `indeks_desa_score` |
//! | L1 | environment | environment complaints answered (finished or refused with an answer), of those filed | year | `complaint` |
//! | L2 | environment | IDM: environmental resilience index (IKL), mean over villages | year (2016–2024) | `idm_score` |
//! | L3 | environment | Indeks Desa: lingkungan, mean over villages | year (2024 on) | `indeks_desa_score` |
//! | M1 | mobility | letters requested from home (online), of the letters issued: errands residents did not travel for | year | `letter`, `letter_request` |
//! | M2 | mobility | infrastructure complaints answered, of those filed | year | `complaint` |
//! | M3 | mobility | Indeks Desa: aksesibilitas, mean over villages | year (2024 on) | `indeks_desa_score` |
//! | S1 | society | complaints of every category answered, of those filed | year | `complaint` |
//! | S2 | society | months with at least one news post published on the village website, of the year's months up to today | year | `news_post` |
//! | S3 | society | activities the village published for residents to join | year | `activity` |
//! | S4 | society | IDM: social resilience index (IKS), mean over villages | year (2016–2024) | `idm_score` |
//! | S5 | society | Indeks Desa: sosial, mean over villages | year (2024 on) | `indeks_desa_score` |
//!
//! A year is the calendar year in the village's time (WIB). A "now"
//! figure describes the registry as it stands: it has a value for the
//! current year only, since Balai keeps no history of its statistics.
//!
//! **An area's figure is computed from its villages' summed parts, never
//! averaged over their shares** ([`Figure::plus`]): a regency's G1 is all
//! its self-requested letters over all its letters, so the regency, a
//! facilitator's group and a village use one definition and add up.

use serde::Serialize;
use time::Date;

use crate::codes::{Pekerjaan, PendidikanKk, StatusDasar};
use crate::complaint::{ComplaintCategory, ComplaintStatus};
use crate::idm::{Idm, IdmYear};
use crate::indeks_desa::{Dimension, IndeksDesa, IndeksDesaYear};
use crate::population_stats::Dimension as Kept;
use crate::regency::{CodeRule, KeyCount, ReportMonth, ReportState};

/// One of the six pillars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Pillar {
    /// Smart government: digital village services.
    Government,
    /// Smart economy.
    Economy,
    /// Smart people.
    People,
    /// Smart environment.
    Environment,
    /// Smart mobility: infrastructure and access.
    Mobility,
    /// Smart society.
    Society,
}

impl Pillar {
    /// Every pillar, in the programme's order.
    pub const ALL: [Pillar; 6] = [
        Pillar::Government,
        Pillar::Economy,
        Pillar::People,
        Pillar::Environment,
        Pillar::Mobility,
        Pillar::Society,
    ];

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Pillar::Government => "pillar-government",
            Pillar::Economy => "pillar-economy",
            Pillar::People => "pillar-people",
            Pillar::Environment => "pillar-environment",
            Pillar::Mobility => "pillar-mobility",
            Pillar::Society => "pillar-society",
        }
    }
}

/// What a figure is, and so how areas add up and how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Measure {
    /// A part of a whole, shown as a percentage.
    Share,
    /// A count.
    Count,
    /// The mean of the villages' published IDM indices (ten-thousandths).
    IdmMean,
    /// The mean of the villages' published Indeks Desa scores (hundredths).
    IndeksDesaMean,
}

/// Over which time a figure is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    /// Counted over a calendar year.
    Year,
    /// The registry as it stands: the current year only.
    Now,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Indicator {
    /// G1.
    SelfRequestedLetters,
    /// G2.
    RequestsWithinADay,
    /// G3.
    ReportsOnTime,
    /// G4.
    GovernanceScore,
    /// E1.
    WorkingResidents,
    /// E2.
    IdmEconomy,
    /// E3.
    EconomyScore,
    /// P1.
    SeniorSecondaryEducation,
    /// P2.
    ResidentsWithPin,
    /// P3.
    ActivitySignups,
    /// P4.
    BasicServicesScore,
    /// L1.
    EnvironmentComplaintsAnswered,
    /// L2.
    IdmEnvironment,
    /// L3.
    EnvironmentScore,
    /// M1.
    LettersFromHome,
    /// M2.
    InfrastructureComplaintsAnswered,
    /// M3.
    AccessibilityScore,
    /// S1.
    ComplaintsAnswered,
    /// S2.
    MonthsWithNews,
    /// S3.
    ActivitiesPublished,
    /// S4.
    IdmSocial,
    /// S5.
    SocialScore,
}

/// One row of the table: a figure, its pillar, what it is and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// Which figure.
    pub indicator: Indicator,
    /// Its stable code (CSV columns, addresses): G1, E2, …
    pub code: &'static str,
    /// The pillar.
    pub pillar: Pillar,
    /// What it is.
    pub measure: Measure,
    /// Over which time.
    pub period: Period,
    /// The catalogue key of its name; its definition is under `{key}-def`.
    pub key: &'static str,
}

const fn def(
    indicator: Indicator,
    code: &'static str,
    pillar: Pillar,
    measure: Measure,
    period: Period,
    key: &'static str,
) -> Definition {
    Definition {
        indicator,
        code,
        pillar,
        measure,
        period,
        key,
    }
}

use Indicator as I;
use Measure as M;
use Period as T;
use Pillar as P;

/// **The table** (the module documentation says what each figure counts).
pub const INDICATORS: [Definition; 22] = [
    def(
        I::SelfRequestedLetters,
        "G1",
        P::Government,
        M::Share,
        T::Year,
        "sv-self-requested",
    ),
    def(
        I::RequestsWithinADay,
        "G2",
        P::Government,
        M::Share,
        T::Year,
        "sv-within-a-day",
    ),
    def(
        I::ReportsOnTime,
        "G3",
        P::Government,
        M::Share,
        T::Year,
        "sv-reports-on-time",
    ),
    def(
        I::GovernanceScore,
        "G4",
        P::Government,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-governance",
    ),
    def(
        I::WorkingResidents,
        "E1",
        P::Economy,
        M::Share,
        T::Now,
        "sv-working",
    ),
    def(
        I::IdmEconomy,
        "E2",
        P::Economy,
        M::IdmMean,
        T::Year,
        "sv-idm-ike",
    ),
    def(
        I::EconomyScore,
        "E3",
        P::Economy,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-economy",
    ),
    def(
        I::SeniorSecondaryEducation,
        "P1",
        P::People,
        M::Share,
        T::Now,
        "sv-slta",
    ),
    def(
        I::ResidentsWithPin,
        "P2",
        P::People,
        M::Share,
        T::Now,
        "sv-pin",
    ),
    def(
        I::ActivitySignups,
        "P3",
        P::People,
        M::Count,
        T::Year,
        "sv-signups",
    ),
    def(
        I::BasicServicesScore,
        "P4",
        P::People,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-basic",
    ),
    def(
        I::EnvironmentComplaintsAnswered,
        "L1",
        P::Environment,
        M::Share,
        T::Year,
        "sv-env-complaints",
    ),
    def(
        I::IdmEnvironment,
        "L2",
        P::Environment,
        M::IdmMean,
        T::Year,
        "sv-idm-ikl",
    ),
    def(
        I::EnvironmentScore,
        "L3",
        P::Environment,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-environment",
    ),
    def(
        I::LettersFromHome,
        "M1",
        P::Mobility,
        M::Share,
        T::Year,
        "sv-from-home",
    ),
    def(
        I::InfrastructureComplaintsAnswered,
        "M2",
        P::Mobility,
        M::Share,
        T::Year,
        "sv-infra-complaints",
    ),
    def(
        I::AccessibilityScore,
        "M3",
        P::Mobility,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-access",
    ),
    def(
        I::ComplaintsAnswered,
        "S1",
        P::Society,
        M::Share,
        T::Year,
        "sv-complaints",
    ),
    def(
        I::MonthsWithNews,
        "S2",
        P::Society,
        M::Share,
        T::Year,
        "sv-news-months",
    ),
    def(
        I::ActivitiesPublished,
        "S3",
        P::Society,
        M::Count,
        T::Year,
        "sv-activities",
    ),
    def(
        I::IdmSocial,
        "S4",
        P::Society,
        M::IdmMean,
        T::Year,
        "sv-idm-iks",
    ),
    def(
        I::SocialScore,
        "S5",
        P::Society,
        M::IndeksDesaMean,
        T::Year,
        "sv-id-social",
    ),
];

impl Indicator {
    /// Its row of [`INDICATORS`].
    pub fn definition(self) -> &'static Definition {
        INDICATORS
            .iter()
            .find(|d| d.indicator == self)
            .expect("every indicator has a row")
    }

    /// The indicator with this code (G1, E2, …), if any.
    pub fn from_code(code: &str) -> Option<Indicator> {
        INDICATORS
            .iter()
            .find(|d| d.code.eq_ignore_ascii_case(code))
            .map(|d| d.indicator)
    }

    /// Its position in [`INDICATORS`].
    pub fn index(self) -> usize {
        INDICATORS
            .iter()
            .position(|d| d.indicator == self)
            .expect("every indicator has a row")
    }
}

/// An area's value of one figure, kept as the parts it is made of so
/// areas add up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Figure {
    /// `part` of `whole` (a [`Measure::Share`]).
    Share {
        /// The part.
        part: i64,
        /// The whole.
        whole: i64,
    },
    /// A count.
    Count(i64),
    /// The sum of `villages` villages' published scores (a mean).
    Mean {
        /// The sum of the scores (in the measure's unit).
        sum: i64,
        /// How many villages have a score.
        villages: i64,
    },
}

impl Figure {
    /// Two areas together: parts and wholes add, counts add, means pool
    /// their villages. Figures of different kinds do not add (`None`).
    pub fn plus(self, other: Figure) -> Option<Figure> {
        match (self, other) {
            (Figure::Share { part: a, whole: b }, Figure::Share { part: c, whole: d }) => {
                Some(Figure::Share {
                    part: a + c,
                    whole: b + d,
                })
            }
            (Figure::Count(a), Figure::Count(b)) => Some(Figure::Count(a + b)),
            (
                Figure::Mean {
                    sum: a,
                    villages: b,
                },
                Figure::Mean {
                    sum: c,
                    villages: d,
                },
            ) => Some(Figure::Mean {
                sum: a + c,
                villages: b + d,
            }),
            _ => None,
        }
    }

    /// Adds `other` to an optional running total (a missing side is no figure).
    pub fn add(total: Option<Figure>, other: Option<Figure>) -> Option<Figure> {
        match (total, other) {
            (Some(a), Some(b)) => a.plus(b).or(Some(a)),
            (a, b) => a.or(b),
        }
    }

    /// The share in tenths of a percent (0–1000), rounded half up; `None`
    /// for a share of nothing and for other kinds.
    pub fn permille(self) -> Option<i64> {
        match self {
            Figure::Share { part, whole } if whole > 0 => Some((part * 2000 + whole) / (whole * 2)),
            _ => None,
        }
    }

    /// How it is shown, in `measure`'s terms, with a decimal comma as the
    /// Indonesian interface writes numbers: "83,3%", "12", "0,6543",
    /// "61,27"; "—" when there is nothing to show (a share of nothing, a
    /// mean over no village).
    pub fn display(self, measure: Measure) -> String {
        match (self, measure) {
            (Figure::Share { .. }, _) => match self.permille() {
                Some(p) => format!("{},{}%", p / 10, p % 10),
                None => "—".into(),
            },
            (Figure::Count(n), _) => n.to_string(),
            (Figure::Mean { villages: 0, .. }, _) => "—".into(),
            (Figure::Mean { sum, villages }, M::IdmMean) => {
                let v = (sum * 2 + villages) / (villages * 2);
                format!("{},{:04}", v / 10_000, v % 10_000)
            }
            (Figure::Mean { sum, villages }, _) => {
                let v = (sum * 2 + villages) / (villages * 2);
                format!("{},{:02}", v / 100, v % 100)
            }
        }
    }

    /// A number to sort and chart by, in the unit shown (percent, count,
    /// index); `None` when there is nothing to show.
    pub fn value(self, measure: Measure) -> Option<f64> {
        match (self, measure) {
            (Figure::Share { .. }, _) => self.permille().map(|p| p as f64 / 10.0),
            (Figure::Count(n), _) => Some(n as f64),
            (Figure::Mean { villages: 0, .. }, _) => None,
            (Figure::Mean { sum, villages }, M::IdmMean) => {
                Some(sum as f64 / villages as f64 / 10_000.0)
            }
            (Figure::Mean { sum, villages }, _) => Some(sum as f64 / villages as f64 / 100.0),
        }
    }
}

/// One area's figures for one year, in [`INDICATORS`] order (`None`: not
/// held for that year: an index before or after its years, a "now" figure
/// of a past year).
pub type Scores = [Option<Figure>; 22];

/// Two areas' figures together ([`Figure::add`] for each).
pub fn sum(a: &Scores, b: &Scores) -> Scores {
    std::array::from_fn(|i| Figure::add(a[i], b[i]))
}

/// Complaints that count as answered: finished, or refused with an answer.
pub const ANSWERED: [ComplaintStatus; 2] = [ComplaintStatus::Selesai, ComplaintStatus::Ditolak];

/// Occupation codes that are not work (E1 leaves them out).
const NOT_WORK: [i64; 5] = [
    crate::population_stats::NOT_RECORDED,
    Pekerjaan::BelumTidakBekerja.code() as i64,
    Pekerjaan::MengurusRumahTangga.code() as i64,
    Pekerjaan::PelajarMahasiswa.code() as i64,
    Pekerjaan::Pensiunan.code() as i64,
];

/// Education codes below senior secondary (P1 leaves them out).
const BELOW_SLTA: [i64; 5] = [
    crate::population_stats::NOT_RECORDED,
    PendidikanKk::TidakBelumSekolah.code() as i64,
    PendidikanKk::BelumTamatSdSederajat.code() as i64,
    PendidikanKk::TamatSdSederajat.code() as i64,
    PendidikanKk::SltpSederajat.code() as i64,
];

/// The kept counts the "now" figures read, in [`Snapshot::from_counts`]
/// order: living residents, those in work, those with SLTA or more.
pub const NOW_COUNTS: [KeyCount; 3] = [
    KeyCount {
        dimension: Kept::Status,
        codes: CodeRule::Is(StatusDasar::Hidup.code() as i64),
    },
    KeyCount {
        dimension: Kept::Occupation,
        codes: CodeRule::NoneOf(&NOT_WORK),
    },
    KeyCount {
        dimension: Kept::Education,
        codes: CodeRule::NoneOf(&BELOW_SLTA),
    },
];

/// What a village did over one calendar year (counted by the store).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearCounts {
    /// Letters issued.
    pub letters: i64,
    /// Of those, issued on a resident's own request (online or kiosk).
    pub self_requested: i64,
    /// Of those, requested online (from home).
    pub online: i64,
    /// Of the self-requested, issued within 24 hours of the request.
    pub within_a_day: i64,
    /// Complaints filed in the year: (category code, filed, answered).
    pub complaints: Vec<(i64, i64, i64)>,
    /// The distinct days a news post was published.
    pub news_days: Vec<Date>,
    /// Sign-ups to activities, cancelled ones left out.
    pub signups: i64,
    /// Published activities starting in the year.
    pub activities: i64,
    /// The year's monthly reports submitted, with the day (village time).
    pub reports: Vec<(ReportMonth, Date)>,
    /// The day the village's data began on Balai (its change feed's first
    /// entry), if known: months before it owe no report and are not
    /// counted for news (G3, S2).
    pub joined: Option<Date>,
}

/// The registry as it stands, for the "now" figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Living residents.
    pub living: i64,
    /// Living residents in work (E1).
    pub working: i64,
    /// Living residents with SLTA or more (P1).
    pub senior_secondary: i64,
    /// Living residents holding a self-service PIN (P2).
    pub with_pin: i64,
}

impl Snapshot {
    /// From the sums of [`NOW_COUNTS`], in order, and the PIN holders.
    pub fn from_counts(c: &[i64], with_pin: i64) -> Self {
        let at = |i: usize| c.get(i).copied().unwrap_or(0);
        Snapshot {
            living: at(0),
            working: at(1),
            senior_secondary: at(2),
            with_pin,
        }
    }
}

/// The ministry's indices of a village for the year, if published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// IDM (2016–2024).
    pub idm: Option<Idm>,
    /// Indeks Desa (2024 on).
    pub indeks_desa: Option<IndeksDesa>,
}

/// One village's figures for `year`, as of `today` ([`INDICATORS`] order):
/// **the one place each figure is computed from the village's data**.
/// `now` is the registry as it stands, given only for the current year.
pub fn scores(
    year: i32,
    today: Date,
    c: &YearCounts,
    now: Option<&Snapshot>,
    published: &Published,
) -> Scores {
    let share = |part: i64, whole: i64| Some(Figure::Share { part, whole });
    let complaints = |category: Option<ComplaintCategory>| {
        let (filed, answered) = c
            .complaints
            .iter()
            .filter(|(code, _, _)| category.is_none_or(|k| i64::from(k.code()) == *code))
            .fold((0, 0), |(f, a), (_, filed, done)| (f + filed, a + done));
        share(answered, filed)
    };
    let joined = c.joined.map(ReportMonth::of);
    let counted = |month: ReportMonth| joined.is_none_or(|j| month >= j);
    let (mut due, mut on_time) = (0, 0);
    for m in 1..=12u8 {
        let Ok(month) = ReportMonth::new(year, m) else {
            continue;
        };
        if !counted(month) {
            continue;
        }
        let submitted = c.reports.iter().find(|(r, _)| *r == month).map(|r| r.1);
        match ReportState::of(month, submitted, today) {
            ReportState::Pending => {}
            ReportState::OnTime => {
                due += 1;
                on_time += 1;
            }
            ReportState::SubmittedLate | ReportState::Late => due += 1,
        }
    }
    let last_month = match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Equal => u8::from(today.month()),
        std::cmp::Ordering::Greater => 0,
    };
    let months_so_far = (1..=last_month)
        .filter(|m| ReportMonth::new(year, *m).is_ok_and(counted))
        .count() as i64;
    let mut news_months: Vec<u8> = c
        .news_days
        .iter()
        .filter(|d| d.year() == year && counted(ReportMonth::of(**d)))
        .map(|d| u8::from(d.month()))
        .collect();
    news_months.sort_unstable();
    news_months.dedup();
    let idm = |pick: fn(&Idm) -> u16| {
        IdmYear::new(i64::from(year)).map(|_| match &published.idm {
            Some(i) => Figure::Mean {
                sum: i64::from(pick(i)),
                villages: 1,
            },
            None => Figure::Mean {
                sum: 0,
                villages: 0,
            },
        })
    };
    let id = |d: Dimension| {
        IndeksDesaYear::new(i64::from(year)).map(|_| match &published.indeks_desa {
            Some(i) => Figure::Mean {
                sum: Dimension::ALL
                    .iter()
                    .position(|x| *x == d)
                    .map_or(0, |k| i64::from(i.dimensions[k].hundredths())),
                villages: 1,
            },
            None => Figure::Mean {
                sum: 0,
                villages: 0,
            },
        })
    };
    let now = now.filter(|_| year == today.year());
    let mut out: Scores = [None; 22];
    for d in &INDICATORS {
        out[d.indicator.index()] = match d.indicator {
            I::SelfRequestedLetters => share(c.self_requested, c.letters),
            I::RequestsWithinADay => share(c.within_a_day, c.self_requested),
            I::ReportsOnTime => share(on_time, due),
            I::GovernanceScore => id(Dimension::TataKelola),
            I::WorkingResidents => now.and_then(|n| share(n.working, n.living)),
            I::IdmEconomy => idm(|i| i.ike.ten_thousandths()),
            I::EconomyScore => id(Dimension::Ekonomi),
            I::SeniorSecondaryEducation => now.and_then(|n| share(n.senior_secondary, n.living)),
            I::ResidentsWithPin => now.and_then(|n| share(n.with_pin, n.living)),
            I::ActivitySignups => Some(Figure::Count(c.signups)),
            I::BasicServicesScore => id(Dimension::LayananDasar),
            I::EnvironmentComplaintsAnswered => complaints(Some(ComplaintCategory::Lingkungan)),
            I::IdmEnvironment => idm(|i| i.ikl.ten_thousandths()),
            I::EnvironmentScore => id(Dimension::Lingkungan),
            I::LettersFromHome => share(c.online, c.letters),
            I::InfrastructureComplaintsAnswered => {
                complaints(Some(ComplaintCategory::Infrastruktur))
            }
            I::AccessibilityScore => id(Dimension::Aksesibilitas),
            I::ComplaintsAnswered => complaints(None),
            I::MonthsWithNews => share(news_months.len() as i64, months_so_far),
            I::ActivitiesPublished => Some(Figure::Count(c.activities)),
            I::IdmSocial => idm(|i| i.iks.ten_thousandths()),
            I::SocialScore => id(Dimension::Sosial),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_indicator_and_unique_codes() {
        let mut codes: Vec<&str> = INDICATORS.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), INDICATORS.len());
        for (i, d) in INDICATORS.iter().enumerate() {
            assert_eq!(d.indicator.index(), i);
            assert_eq!(Indicator::from_code(d.code), Some(d.indicator));
        }
        // Every pillar has at least two figures.
        for p in Pillar::ALL {
            assert!(
                INDICATORS.iter().filter(|d| d.pillar == p).count() >= 2,
                "{p:?}"
            );
        }
        assert_eq!(
            Indicator::from_code("g1"),
            Some(Indicator::SelfRequestedLetters)
        );
        assert_eq!(Indicator::from_code("X9"), None);
    }

    #[test]
    fn an_area_adds_parts_and_wholes_not_shares() {
        // 1 of 1 (100%) and 1 of 9 (11.1%): together 2 of 10, 20%, not
        // the mean of the shares (55.6%).
        let a = Figure::Share { part: 1, whole: 1 };
        let b = Figure::Share { part: 1, whole: 9 };
        let t = a.plus(b).unwrap();
        assert_eq!(t, Figure::Share { part: 2, whole: 10 });
        assert_eq!(t.display(Measure::Share), "20,0%");
        assert_eq!(
            Figure::Count(3).plus(Figure::Count(4)),
            Some(Figure::Count(7))
        );
        assert_eq!(Figure::Count(3).plus(a), None);
        let m = Figure::Mean {
            sum: 6543,
            villages: 1,
        }
        .plus(Figure::Mean {
            sum: 7000,
            villages: 1,
        })
        .unwrap();
        // (0.6543 + 0.7000) / 2 = 0.67715, rounded half up.
        assert_eq!(m.display(Measure::IdmMean), "0,6772");
        assert_eq!(Figure::add(None, Some(a)), Some(a));
        assert_eq!(Figure::add(Some(a), None), Some(a));
    }

    fn at(s: &Scores, code: &str) -> Option<Figure> {
        s[Indicator::from_code(code).unwrap().index()]
    }

    #[test]
    fn a_villages_figures_are_worked_out_from_its_counts() {
        use time::macros::date;
        let today = date!(2024 - 03 - 15);
        let c = YearCounts {
            letters: 10,
            self_requested: 4,
            online: 3,
            within_a_day: 1,
            complaints: vec![
                (i64::from(ComplaintCategory::Lingkungan.code()), 2, 1),
                (i64::from(ComplaintCategory::Infrastruktur.code()), 1, 0),
                (i64::from(ComplaintCategory::Pelayanan.code()), 1, 1),
            ],
            news_days: vec![
                date!(2024 - 01 - 03),
                date!(2024 - 01 - 20),
                date!(2024 - 03 - 01),
            ],
            signups: 7,
            activities: 2,
            // January's report on its due day; February's is past due
            // (10 March) and missing; March's is not due yet.
            reports: vec![(ReportMonth::new(2024, 1).unwrap(), date!(2024 - 02 - 10))],
            joined: None,
        };
        let now = Snapshot {
            living: 100,
            working: 60,
            senior_secondary: 25,
            with_pin: 10,
        };
        let index = |n| crate::idm::Index4::from_ten_thousandths(n).unwrap();
        let idm = Idm {
            iks: index(7000),
            ike: index(6000),
            ikl: index(5000),
        };
        let published = Published {
            idm: Some(idm),
            indeks_desa: None,
        };
        let s = scores(2024, today, &c, Some(&now), &published);
        let share = |part, whole| Some(Figure::Share { part, whole });
        assert_eq!(at(&s, "G1"), share(4, 10));
        assert_eq!(at(&s, "G2"), share(1, 4));
        assert_eq!(at(&s, "G3"), share(1, 2));
        // 2024 is an Indeks Desa year, but this village has none.
        assert_eq!(
            at(&s, "G4"),
            Some(Figure::Mean {
                sum: 0,
                villages: 0
            })
        );
        assert_eq!(at(&s, "E1"), share(60, 100));
        assert_eq!(
            at(&s, "E2"),
            Some(Figure::Mean {
                sum: 6000,
                villages: 1
            })
        );
        assert_eq!(
            at(&s, "L2"),
            Some(Figure::Mean {
                sum: 5000,
                villages: 1
            })
        );
        assert_eq!(
            at(&s, "S4"),
            Some(Figure::Mean {
                sum: 7000,
                villages: 1
            })
        );
        assert_eq!(at(&s, "P1"), share(25, 100));
        assert_eq!(at(&s, "P2"), share(10, 100));
        assert_eq!(at(&s, "P3"), Some(Figure::Count(7)));
        assert_eq!(at(&s, "L1"), share(1, 2));
        assert_eq!(at(&s, "M1"), share(3, 10));
        assert_eq!(at(&s, "M2"), share(0, 1));
        assert_eq!(at(&s, "S1"), share(2, 4));
        // News in January and March, of three months so far.
        assert_eq!(at(&s, "S2"), share(2, 3));
        assert_eq!(at(&s, "S3"), Some(Figure::Count(2)));

        // A past year: no "now" figures (no history is kept), every month
        // of it counts, its reports were all due; 2023 has IDM, no Indeks Desa.
        let past = scores(
            2023,
            today,
            &YearCounts::default(),
            Some(&now),
            &Published::default(),
        );
        assert_eq!(at(&past, "E1"), None);
        assert_eq!(at(&past, "P2"), None);
        assert_eq!(at(&past, "S2"), share(0, 12));
        assert_eq!(at(&past, "G3"), share(0, 12));
        assert_eq!(
            at(&past, "E2"),
            Some(Figure::Mean {
                sum: 0,
                villages: 0
            })
        );
        assert_eq!(at(&past, "G4"), None);
        // A village that began on Balai in March 2024 owes no report and no
        // news for the months before.
        let joined = YearCounts {
            joined: Some(date!(2024 - 03 - 04)),
            ..c.clone()
        };
        let s = scores(2024, date!(2024 - 06 - 20), &joined, None, &published);
        // March, April and May were due by 20 June (none on time); news in
        // March of March–June.
        assert_eq!(at(&s, "G3"), share(0, 3));
        assert_eq!(at(&s, "S2"), share(1, 4));
        let before = scores(2023, date!(2024 - 06 - 20), &joined, None, &published);
        assert_eq!(at(&before, "G3"), share(0, 0));
        assert_eq!(at(&before, "S2"), share(0, 0));
        // 2025: no IDM any more.
        let later = scores(2025, date!(2025 - 06 - 01), &c, None, &published);
        assert_eq!(at(&later, "E2"), None);
        assert_eq!(at(&later, "E1"), None);
    }

    #[test]
    fn shares_round_half_up_and_nothing_shows_a_dash() {
        assert_eq!(
            Figure::Share { part: 1, whole: 3 }.display(Measure::Share),
            "33,3%"
        );
        assert_eq!(
            Figure::Share { part: 2, whole: 3 }.display(Measure::Share),
            "66,7%"
        );
        // 1/8 = 12.5% exactly; 1/16 = 6.25% rounds to 6.3%.
        assert_eq!(Figure::Share { part: 1, whole: 16 }.permille(), Some(63));
        assert_eq!(
            Figure::Share { part: 0, whole: 0 }.display(Measure::Share),
            "—"
        );
        assert_eq!(
            Figure::Share { part: 0, whole: 0 }.value(Measure::Share),
            None
        );
        assert_eq!(
            Figure::Mean {
                sum: 12254,
                villages: 2
            }
            .display(Measure::IndeksDesaMean),
            "61,27"
        );
        assert_eq!(
            Figure::Mean {
                sum: 0,
                villages: 0
            }
            .display(Measure::IndeksDesaMean),
            "—"
        );
    }
}
