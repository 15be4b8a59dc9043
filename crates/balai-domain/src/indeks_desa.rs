//! The Indeks Desa (Permendesa PDTT 9/2024), which replaces IDM from the
//! 2024 data on: six dimension scores — basic services, social, economic,
//! environment, accessibility, governance — an overall score and a status,
//! each 0–100 with two decimals as the ministry publishes them.
//!
//! The regulation's weights and status bands are not confirmed here (the
//! bands in circulation come from a provincial office, see DOMAIN.md), so
//! Balai computes nothing from these figures: it holds the published score
//! and status as imported and says so.

use std::fmt;

use crate::idm::IdmStatus;

/// A score from 0 to 100 with at most two decimal places, held as hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score100(u16);

/// Why a typed score is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// Not a decimal number.
    #[error("{0:?} is not a number such as 65.43")]
    NotANumber(String),
    /// More than two decimal places.
    #[error("{0:?} has more than two decimal places")]
    TooPrecise(String),
    /// Outside 0–100.
    #[error("{0:?} is outside 0 to 100")]
    OutOfRange(String),
}

impl Score100 {
    /// The score of `n` hundredths (0–10,000).
    pub fn from_hundredths(n: u16) -> Option<Self> {
        (n <= 10_000).then_some(Self(n))
    }

    /// Reads `65.43` or `65,43` (a decimal comma) or `70`.
    pub fn parse(input: &str) -> Result<Self, ScoreError> {
        let t = input.trim();
        let s = t.replace(',', ".");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) {
            return Err(ScoreError::NotANumber(t.into()));
        }
        if frac.len() > 2 {
            return Err(ScoreError::TooPrecise(t.into()));
        }
        let whole: u32 = whole
            .parse()
            .map_err(|_| ScoreError::OutOfRange(t.into()))?;
        let frac: u32 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| ScoreError::NotANumber(t.into()))?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .filter(|n| *n <= 10_000)
            .map(|n| Self(n as u16))
            .ok_or_else(|| ScoreError::OutOfRange(t.into()))
    }

    /// Hundredths.
    pub fn hundredths(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Score100 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// The six dimensions, in the regulation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Layanan dasar.
    LayananDasar,
    /// Sosial.
    Sosial,
    /// Ekonomi.
    Ekonomi,
    /// Lingkungan.
    Lingkungan,
    /// Aksesibilitas.
    Aksesibilitas,
    /// Tata kelola pemerintahan desa.
    TataKelola,
}

impl Dimension {
    /// Every dimension, in order.
    pub const ALL: [Dimension; 6] = [
        Dimension::LayananDasar,
        Dimension::Sosial,
        Dimension::Ekonomi,
        Dimension::Lingkungan,
        Dimension::Aksesibilitas,
        Dimension::TataKelola,
    ];

    /// The column name the ministry's tables use.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::LayananDasar => "LAYANAN DASAR",
            Dimension::Sosial => "SOSIAL",
            Dimension::Ekonomi => "EKONOMI",
            Dimension::Lingkungan => "LINGKUNGAN",
            Dimension::Aksesibilitas => "AKSESIBILITAS",
            Dimension::TataKelola => "TATA KELOLA",
        }
    }
}

/// A year of Indeks Desa data: 2024 on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndeksDesaYear(u16);

impl IndeksDesaYear {
    /// The first year of Indeks Desa data.
    pub const FIRST: u16 = 2024;
    /// The last year accepted (a guard against typing errors, not a law).
    pub const LAST: u16 = 2100;

    /// The year, if the Indeks Desa can exist for it.
    pub fn new(year: i64) -> Option<Self> {
        u16::try_from(year)
            .ok()
            .filter(|y| (Self::FIRST..=Self::LAST).contains(y))
            .map(Self)
    }

    /// Reads a typed year.
    pub fn parse(input: &str) -> Option<Self> {
        input.trim().parse::<i64>().ok().and_then(Self::new)
    }

    /// The year.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for IndeksDesaYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One village's published Indeks Desa of one year. The status uses the
/// same five names as IDM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndeksDesa {
    /// The dimension scores, in [`Dimension::ALL`] order.
    pub dimensions: [Score100; 6],
    /// The overall score as published.
    pub score: Score100,
    /// The status as published.
    pub status: IdmStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_read_as_published_and_bad_ones_say_why() {
        assert_eq!(Score100::parse("65,43").unwrap().to_string(), "65.43");
        assert_eq!(Score100::parse("70").unwrap().to_string(), "70.00");
        assert_eq!(Score100::parse("100").unwrap().hundredths(), 10_000);
        assert!(matches!(
            Score100::parse("100.01"),
            Err(ScoreError::OutOfRange(_))
        ));
        assert!(matches!(
            Score100::parse("65.431"),
            Err(ScoreError::TooPrecise(_))
        ));
        for bad in ["", "-1", "abc", ".5", "6,5,1"] {
            assert!(
                matches!(Score100::parse(bad), Err(ScoreError::NotANumber(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn indeks_desa_years_start_in_2024() {
        assert_eq!(
            IndeksDesaYear::parse("2024").map(IndeksDesaYear::get),
            Some(2024)
        );
        assert_eq!(IndeksDesaYear::parse("2023"), None);
        assert_eq!(IndeksDesaYear::parse("20250"), None);
    }
}
