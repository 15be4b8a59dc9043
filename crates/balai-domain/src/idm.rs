//! The village development index IDM (Indeks Desa Membangun, Permendesa
//! PDTT 2/2016; used for the 2016–2024 data): IDM = (IKS + IKE + IKL) / 3,
//! the social, economic and ecological resilience indices, and the status
//! bands as amended by SK Dirjen PPMD 52/2018:
//! Sangat Tertinggal ≤ 0.4907 < Tertinggal ≤ 0.5989 < Berkembang ≤ 0.7072
//! < Maju ≤ 0.8155 < Mandiri.
//!
//! Computed exactly: an index as published has four decimal places and is
//! held as ten-thousandths; an index worked out from indicator scores is a
//! fraction. Statuses compare fractions by cross-multiplication, never
//! floats: (0.4907 + 0.4907 + 0.4907) / 3 in binary floating point is a
//! hair above 0.4907 and would be called Tertinggal.

use std::cmp::Ordering;
use std::fmt;

/// An index as the ministry publishes it: 0 to 1 with at most four
/// decimal places, held as ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Index4(u16);

/// Why a typed index is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// Not a decimal number.
    #[error("{0:?} is not a number such as 0.4907")]
    NotANumber(String),
    /// More than four decimal places.
    #[error("{0:?} has more than four decimal places")]
    TooPrecise(String),
    /// Outside 0–1.
    #[error("{0:?} is outside 0 to 1")]
    OutOfRange(String),
}

impl Index4 {
    /// Zero.
    pub const ZERO: Index4 = Index4(0);

    /// The index of `n` ten-thousandths (0–10,000).
    pub fn from_ten_thousandths(n: u16) -> Option<Self> {
        (n <= 10_000).then_some(Self(n))
    }

    /// Reads `0.4907`, `0,4907` (a decimal comma, as Indonesian
    /// spreadsheets write it), `.5` or `1`.
    pub fn parse(input: &str) -> Result<Self, IndexError> {
        let s = input.trim().replace(',', ".");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
            return Err(IndexError::NotANumber(input.trim().into()));
        }
        if frac.len() > 4 {
            return Err(IndexError::TooPrecise(input.trim().into()));
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| IndexError::OutOfRange(input.trim().into()))?
        };
        let frac_value: u32 = format!("{frac:0<4}")
            .parse()
            .map_err(|_| IndexError::NotANumber(input.trim().into()))?;
        let n = whole
            .checked_mul(10_000)
            .and_then(|w| w.checked_add(frac_value))
            .filter(|n| *n <= 10_000)
            .ok_or_else(|| IndexError::OutOfRange(input.trim().into()))?;
        Ok(Self(n as u16))
    }

    /// Ten-thousandths.
    pub fn ten_thousandths(self) -> u16 {
        self.0
    }

    /// The index as an exact fraction.
    pub fn fraction(self) -> Fraction {
        Fraction::new(u64::from(self.0), 10_000)
    }
}

impl fmt::Display for Index4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

/// A non-negative fraction, compared exactly.
#[derive(Debug, Clone, Copy)]
pub struct Fraction {
    num: u64,
    den: u64,
}

impl Fraction {
    fn new(num: u64, den: u64) -> Self {
        debug_assert!(den > 0);
        Self { num, den }
    }

    /// The value rounded half up to four decimal places, as published.
    pub fn rounded(self) -> Index4 {
        let n = (u128::from(self.num) * 20_000 + u128::from(self.den)) / (2 * u128::from(self.den));
        Index4(n.min(10_000) as u16)
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Fraction {}
impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.num) * u128::from(other.den))
            .cmp(&(u128::from(other.num) * u128::from(self.den)))
    }
}

/// A village's IDM status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum IdmStatus {
    /// IDM ≤ 0.4907.
    SangatTertinggal,
    /// 0.4907 < IDM ≤ 0.5989.
    Tertinggal,
    /// 0.5989 < IDM ≤ 0.7072.
    Berkembang,
    /// 0.7072 < IDM ≤ 0.8155.
    Maju,
    /// IDM > 0.8155.
    Mandiri,
}

/// The upper bound (inclusive) of every status but the last, in ten-thousandths.
const BOUNDS: [(u16, IdmStatus); 4] = [
    (4907, IdmStatus::SangatTertinggal),
    (5989, IdmStatus::Tertinggal),
    (7072, IdmStatus::Berkembang),
    (8155, IdmStatus::Maju),
];

impl IdmStatus {
    /// The status of an IDM value.
    pub fn of(idm: Fraction) -> Self {
        BOUNDS
            .iter()
            .find(|(bound, _)| idm <= Index4(*bound).fraction())
            .map_or(IdmStatus::Mandiri, |(_, s)| *s)
    }

    /// The name the ministry publishes.
    pub fn label(self) -> &'static str {
        match self {
            IdmStatus::SangatTertinggal => "SANGAT TERTINGGAL",
            IdmStatus::Tertinggal => "TERTINGGAL",
            IdmStatus::Berkembang => "BERKEMBANG",
            IdmStatus::Maju => "MAJU",
            IdmStatus::Mandiri => "MANDIRI",
        }
    }
}

impl IdmStatus {
    /// Every status, lowest first.
    pub const ALL: [IdmStatus; 5] = [
        IdmStatus::SangatTertinggal,
        IdmStatus::Tertinggal,
        IdmStatus::Berkembang,
        IdmStatus::Maju,
        IdmStatus::Mandiri,
    ];

    /// The stored code, 1 (Sangat Tertinggal) to 5 (Mandiri).
    pub fn code(self) -> u8 {
        match self {
            IdmStatus::SangatTertinggal => 1,
            IdmStatus::Tertinggal => 2,
            IdmStatus::Berkembang => 3,
            IdmStatus::Maju => 4,
            IdmStatus::Mandiri => 5,
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Reads a status as spreadsheets write it: the ministry's label in
    /// any case, with any spacing ("Sangat  tertinggal", "MANDIRI").
    pub fn parse(label: &str) -> Option<Self> {
        let words: Vec<String> = label.split_whitespace().map(str::to_uppercase).collect();
        let joined = words.join(" ");
        Self::ALL.into_iter().find(|s| s.label() == joined)
    }

    /// The band in words, bounds as published: "0.5989 < IDM ≤ 0.7072".
    pub fn band(self) -> String {
        let lower = BOUNDS
            .iter()
            .position(|(_, s)| *s == self)
            .and_then(|i| i.checked_sub(1))
            .map(|i| BOUNDS[i].0);
        let lower = match self {
            IdmStatus::Mandiri => Some(BOUNDS[3].0),
            _ => lower,
        };
        let upper = BOUNDS.iter().find(|(_, s)| *s == self).map(|(b, _)| *b);
        match (lower, upper) {
            (None, Some(u)) => format!("IDM ≤ {}", Index4(u)),
            (Some(l), Some(u)) => format!("{} < IDM ≤ {}", Index4(l), Index4(u)),
            (Some(l), None) => format!("IDM > {}", Index4(l)),
            (None, None) => String::new(),
        }
    }

    /// Whether a published status fits a published (rounded) IDM value:
    /// its own band, or — within one ten-thousandth of a bound, where the
    /// ministry's unrounded value may have fallen on the other side — the
    /// neighbouring band.
    pub fn fits(self, published: Index4) -> bool {
        let near = |delta: i32| {
            let n = i32::from(published.0) + delta;
            u16::try_from(n)
                .ok()
                .and_then(Index4::from_ten_thousandths)
                .map(|i| IdmStatus::of(i.fraction()))
        };
        [near(-1), near(0), near(1)].contains(&Some(self))
    }
}

/// A year of IDM data: the ministry published IDM for 2016 to 2024 (from
/// 2024 on, the Indeks Desa replaces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdmYear(u16);

impl IdmYear {
    /// The first year of IDM data.
    pub const FIRST: u16 = 2016;
    /// The last year of IDM data.
    pub const LAST: u16 = 2024;

    /// The year, if IDM was published for it.
    pub fn new(year: i64) -> Option<Self> {
        u16::try_from(year)
            .ok()
            .filter(|y| (Self::FIRST..=Self::LAST).contains(y))
            .map(Self)
    }

    /// Reads a typed year ("2023").
    pub fn parse(input: &str) -> Option<Self> {
        input.trim().parse::<i64>().ok().and_then(Self::new)
    }

    /// The year.
    pub fn get(self) -> u16 {
        self.0
    }

    /// Every IDM year, oldest first.
    pub fn all() -> impl Iterator<Item = IdmYear> {
        (Self::FIRST..=Self::LAST).map(IdmYear)
    }
}

impl fmt::Display for IdmYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One village's IDM from its three indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idm {
    /// Social resilience (IKS).
    pub iks: Index4,
    /// Economic resilience (IKE).
    pub ike: Index4,
    /// Ecological resilience (IKL).
    pub ikl: Index4,
}

impl Idm {
    /// IDM = (IKS + IKE + IKL) / 3, exactly.
    pub fn value(&self) -> Fraction {
        Fraction::new(
            u64::from(self.iks.0) + u64::from(self.ike.0) + u64::from(self.ikl.0),
            30_000,
        )
    }

    /// The status of [`Idm::value`].
    pub fn status(&self) -> IdmStatus {
        IdmStatus::of(self.value())
    }
}

/// An index worked out from its indicator scores (each 0–5): their sum
/// over the most they could sum to. `None` for no indicators or a score
/// above 5.
pub fn index_from_scores(scores: &[u8]) -> Option<Fraction> {
    if scores.is_empty() || scores.iter().any(|s| *s > 5) {
        return None;
    }
    let sum: u64 = scores.iter().map(|s| u64::from(*s)).sum();
    Some(Fraction::new(sum, 5 * scores.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idm(iks: &str, ike: &str, ikl: &str) -> Idm {
        Idm {
            iks: Index4::parse(iks).unwrap(),
            ike: Index4::parse(ike).unwrap(),
            ikl: Index4::parse(ikl).unwrap(),
        }
    }

    #[test]
    fn each_status_boundary_belongs_to_the_band_below_it_and_a_hair_above_to_the_next() {
        use IdmStatus::*;
        // Hand-worked: three equal indices give that index as the IDM.
        for (at, below, above) in [
            ("0.4907", SangatTertinggal, Tertinggal),
            ("0.5989", Tertinggal, Berkembang),
            ("0.7072", Berkembang, Maju),
            ("0.8155", Maju, Mandiri),
        ] {
            assert_eq!(idm(at, at, at).status(), below, "IDM = {at}");
            // One index a ten-thousandth higher: IDM = at + 0.0001/3, above the bound.
            let up = Index4(Index4::parse(at).unwrap().0 + 1).to_string();
            assert_eq!(idm(at, at, &up).status(), above, "IDM a hair above {at}");
        }
        assert_eq!(idm("0", "0", "0").status(), SangatTertinggal);
        assert_eq!(idm("1", "1", "1").status(), Mandiri);
    }

    #[test]
    fn the_average_that_floats_get_wrong_is_exact_here() {
        // In f64, (0.4907 + 0.4907 + 0.4907) / 3 = 0.4907000000000001 > 0.4907.
        let float = (0.4907f64 + 0.4907 + 0.4907) / 3.0;
        assert!(float > 0.4907, "the float pitfall this module avoids");
        assert_eq!(
            idm("0.4907", "0.4907", "0.4907").status(),
            IdmStatus::SangatTertinggal
        );
        // Worked by hand: IKS 0.6457, IKE 0.5333, IKL 0.6667
        // sum 1.8457, IDM 0.615233… → 0.6152, Berkembang.
        let v = idm("0.6457", "0.5333", "0.6667");
        assert_eq!(v.value().rounded().to_string(), "0.6152");
        assert_eq!(v.status(), IdmStatus::Berkembang);
    }

    #[test]
    fn indices_read_as_spreadsheets_write_them_and_bad_ones_say_why() {
        assert_eq!(Index4::parse("0,4907").unwrap().to_string(), "0.4907");
        assert_eq!(Index4::parse(".5").unwrap().to_string(), "0.5000");
        assert_eq!(Index4::parse(" 1 ").unwrap().to_string(), "1.0000");
        assert!(matches!(
            Index4::parse("0.49071"),
            Err(IndexError::TooPrecise(_))
        ));
        assert!(matches!(
            Index4::parse("1.0001"),
            Err(IndexError::OutOfRange(_))
        ));
        assert!(matches!(
            Index4::parse("99999999999"),
            Err(IndexError::OutOfRange(_))
        ));
        for bad in ["", ".", "-0.1", "0.4a", "abc", "0..1"] {
            assert!(
                matches!(Index4::parse(bad), Err(IndexError::NotANumber(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_index_from_indicator_scores_is_their_share_of_the_maximum() {
        // 4 indicators scored 5, 4, 3, 2: 14 of 20 = 0.7.
        let i = index_from_scores(&[5, 4, 3, 2]).unwrap();
        assert_eq!(i.rounded().to_string(), "0.7000");
        // 2 of 3: 0.666666… rounds half up to 0.6667.
        assert_eq!(
            index_from_scores(&[5, 5, 0]).unwrap().rounded().to_string(),
            "0.6667"
        );
        assert!(index_from_scores(&[]).is_none());
        assert!(index_from_scores(&[6]).is_none());
        // Status straight from fractions: 0.4907 exactly is still Sangat Tertinggal.
        assert_eq!(
            IdmStatus::of(Fraction::new(4907, 10_000)),
            IdmStatus::SangatTertinggal
        );
    }

    #[test]
    fn statuses_read_as_spreadsheets_write_them_and_keep_their_codes() {
        assert_eq!(
            IdmStatus::parse(" sangat  Tertinggal "),
            Some(IdmStatus::SangatTertinggal)
        );
        assert_eq!(IdmStatus::parse("MANDIRI"), Some(IdmStatus::Mandiri));
        assert_eq!(IdmStatus::parse("Maju sekali"), None);
        for s in IdmStatus::ALL {
            assert_eq!(IdmStatus::from_code(s.code()), Some(s));
            assert_eq!(IdmStatus::parse(s.label()), Some(s));
        }
        assert_eq!(IdmStatus::from_code(0), None);
        assert_eq!(IdmStatus::SangatTertinggal.band(), "IDM ≤ 0.4907");
        assert_eq!(IdmStatus::Berkembang.band(), "0.5989 < IDM ≤ 0.7072");
        assert_eq!(IdmStatus::Mandiri.band(), "IDM > 0.8155");
    }

    #[test]
    fn a_published_status_fits_its_value_or_the_neighbour_within_rounding() {
        let at = |s: &str| Index4::parse(s).unwrap();
        assert!(IdmStatus::Berkembang.fits(at("0.6500")));
        assert!(!IdmStatus::Maju.fits(at("0.6500")));
        // 0.7072 published may be 0.70724 unrounded, above the bound: Maju fits too.
        assert!(IdmStatus::Maju.fits(at("0.7072")));
        assert!(IdmStatus::Berkembang.fits(at("0.7072")));
        assert!(IdmStatus::Berkembang.fits(at("0.7073")));
        assert!(!IdmStatus::Berkembang.fits(at("0.7074")));
        assert!(!IdmStatus::Mandiri.fits(at("0.7072")));
    }

    #[test]
    fn idm_years_are_the_years_it_was_published() {
        assert_eq!(IdmYear::parse("2016").map(IdmYear::get), Some(2016));
        assert_eq!(IdmYear::parse(" 2024").map(IdmYear::get), Some(2024));
        assert_eq!(IdmYear::parse("2015"), None);
        assert_eq!(IdmYear::parse("2025"), None);
        assert_eq!(IdmYear::parse("dua ribu"), None);
        assert_eq!(IdmYear::all().count(), 9);
    }
}
