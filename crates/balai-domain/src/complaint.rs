//! Complaints (pengaduan) a visitor files on a village's public site, and
//! the reference they follow it by.
//!
//! A reference reads `ADU-2026-0007-K7Q2MX`: the year and the village's
//! running number (what the village's register lists), then six random
//! characters, so that nobody can read other people's complaints by
//! counting. A reference is parsed leniently (case, spaces and the
//! look-alike letters I, L, O, U are forgiven: it is typed from a slip of
//! paper) and printed canonically.

use std::fmt;

/// The alphabet of the random part: Crockford's base 32 (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Length of the random part: 32^6 ≈ 10^9 guesses per running number.
pub const SECRET_LEN: usize = 6;

/// What a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComplaintCategory {
    /// The village office's services (letters, staff, opening hours).
    Pelayanan,
    /// Roads, bridges, water, lighting.
    Infrastruktur,
    /// Social assistance and welfare.
    Sosial,
    /// Security and public order.
    Keamanan,
    /// Waste, drainage, the environment.
    Lingkungan,
    /// Anything else.
    Lainnya,
}

impl ComplaintCategory {
    /// Every category, in the order a form lists them.
    pub const ALL: [ComplaintCategory; 6] = [
        ComplaintCategory::Pelayanan,
        ComplaintCategory::Infrastruktur,
        ComplaintCategory::Sosial,
        ComplaintCategory::Keamanan,
        ComplaintCategory::Lingkungan,
        ComplaintCategory::Lainnya,
    ];

    /// The stored code.
    pub fn code(self) -> u8 {
        match self {
            ComplaintCategory::Pelayanan => 1,
            ComplaintCategory::Infrastruktur => 2,
            ComplaintCategory::Sosial => 3,
            ComplaintCategory::Keamanan => 4,
            ComplaintCategory::Lingkungan => 5,
            ComplaintCategory::Lainnya => 9,
        }
    }

    /// The category with this code.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| i64::from(c.code()) == code)
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            ComplaintCategory::Pelayanan => "complaint-category-service",
            ComplaintCategory::Infrastruktur => "complaint-category-infrastructure",
            ComplaintCategory::Sosial => "complaint-category-social",
            ComplaintCategory::Keamanan => "complaint-category-security",
            ComplaintCategory::Lingkungan => "complaint-category-environment",
            ComplaintCategory::Lainnya => "complaint-category-other",
        }
    }
}

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComplaintStatus {
    /// Filed; nobody at the office has taken it up yet.
    Diterima,
    /// The office is working on it.
    Diproses,
    /// Answered and closed.
    Selesai,
    /// Closed without action, with the reason as the answer.
    Ditolak,
}

impl ComplaintStatus {
    /// Every status, in the order a complaint goes through them.
    pub const ALL: [ComplaintStatus; 4] = [
        ComplaintStatus::Diterima,
        ComplaintStatus::Diproses,
        ComplaintStatus::Selesai,
        ComplaintStatus::Ditolak,
    ];

    /// The stored code.
    pub fn code(self) -> u8 {
        match self {
            ComplaintStatus::Diterima => 1,
            ComplaintStatus::Diproses => 2,
            ComplaintStatus::Selesai => 3,
            ComplaintStatus::Ditolak => 4,
        }
    }

    /// The status with this code.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            ComplaintStatus::Diterima => "complaint-status-received",
            ComplaintStatus::Diproses => "complaint-status-in-progress",
            ComplaintStatus::Selesai => "complaint-status-done",
            ComplaintStatus::Ditolak => "complaint-status-refused",
        }
    }

    /// True once the complaint is closed (answered or refused).
    pub fn is_closed(self) -> bool {
        matches!(self, ComplaintStatus::Selesai | ComplaintStatus::Ditolak)
    }

    /// Whether staff may move a complaint from `self` to `to`: forward
    /// only, and a closed complaint stays closed (its answer is what the
    /// filer was told).
    pub fn may_become(self, to: ComplaintStatus) -> bool {
        use ComplaintStatus::*;
        match (self, to) {
            (Selesai | Ditolak, _) | (_, Diterima) | (Diproses, Diproses) => false,
            (Diterima | Diproses, _) => true,
        }
    }
}

/// The random part of a reference, in [`ALPHABET`], from random bytes.
pub(crate) fn secret_of(random: [u8; SECRET_LEN]) -> [u8; SECRET_LEN] {
    random.map(|b| ALPHABET[usize::from(b % 32)])
}

/// Reads `PREFIX-year-number-code` leniently (case, spaces, I/L/O in the
/// code): the year, running number and code, or `None`. Shared by every
/// reference a visitor types (complaints, activity sign-ups).
pub(crate) fn parse_reference(prefix: &str, input: &str) -> Option<(u16, u32, [u8; SECRET_LEN])> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let mut parts = s.split('-');
    let (Some(p), Some(year), Some(number), Some(code), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if p != prefix || year.len() != 4 || !digits(year) || !digits(number) || number.len() > 9 {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let number: u32 = number.parse().ok()?;
    if code.len() != SECRET_LEN {
        return None;
    }
    let mut secret = [0u8; SECRET_LEN];
    for (slot, b) in secret.iter_mut().zip(code.bytes()) {
        let b = match b {
            b'I' | b'L' => b'1',
            b'O' => b'0',
            b => b,
        };
        if !ALPHABET.contains(&b) {
            return None;
        }
        *slot = b;
    }
    Some((year, number, secret))
}

/// A complaint's public reference.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ComplaintReference {
    year: u16,
    number: u32,
    secret: [u8; SECRET_LEN],
}

/// Why a typed reference is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bukan nomor pengaduan (ADU-tahun-nomor-kode)")]
pub struct NotAReference;

impl ComplaintReference {
    /// A new reference for the village's `number`-th complaint of `year`,
    /// its random part drawn from `random` (30 random bits are used).
    pub fn new(year: u16, number: u32, random: [u8; SECRET_LEN]) -> Self {
        Self {
            year,
            number,
            secret: secret_of(random),
        }
    }

    /// Reads a typed reference: case and surrounding or inner spaces do not
    /// matter, nor do I/L (read as 1) and O (read as 0) in the code part.
    pub fn parse(input: &str) -> Result<Self, NotAReference> {
        let (year, number, secret) = parse_reference("ADU", input).ok_or(NotAReference)?;
        Ok(Self {
            year,
            number,
            secret,
        })
    }

    /// The year it was filed.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The village's running number within the year.
    pub fn number(&self) -> u32 {
        self.number
    }
}

impl fmt::Display for ComplaintReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = std::str::from_utf8(&self.secret).map_err(|_| fmt::Error)?;
        write!(f, "ADU-{}-{:04}-{code}", self.year, self.number)
    }
}

impl fmt::Debug for ComplaintReference {
    // The random part is what keeps a complaint private: not in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ADU-{}-{:04}-******", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_reference_prints_canonically_and_hides_its_code_in_debug() {
        let r = ComplaintReference::new(2026, 7, [1, 2, 3, 30, 31, 32]);
        assert_eq!(r.to_string(), "ADU-2026-0007-123YZ0");
        assert_eq!(format!("{r:?}"), "ADU-2026-0007-******");
    }

    #[test]
    fn typed_references_forgive_case_spaces_and_look_alike_letters() {
        let r = ComplaintReference::parse(" adu-2026-0007-123yzo ").unwrap();
        assert_eq!(r.to_string(), "ADU-2026-0007-123YZ0");
        let r = ComplaintReference::parse("ADU - 2026 - 12 - ILO000").unwrap();
        assert_eq!(r.to_string(), "ADU-2026-0012-110000");
        for bad in [
            "",
            "ADU-2026-0007",
            "ADU-26-0007-123YZ0",
            "PGD-2026-0007-123YZ0",
            "ADU-2026-0007-123YZ",
            "ADU-2026-0007-123YZ0-1",
            "ADU-2026-x7-123YZ0",
            "ADU-2026-0007-123YZ!",
            "ADU-2026-0007-123YZU",
        ] {
            assert_eq!(
                ComplaintReference::parse(bad),
                Err(NotAReference),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_closed_complaint_stays_closed_and_none_goes_back_to_received() {
        use ComplaintStatus::*;
        assert!(Diterima.may_become(Diproses));
        assert!(Diterima.may_become(Selesai));
        assert!(Diterima.may_become(Ditolak));
        assert!(Diproses.may_become(Selesai));
        assert!(!Diproses.may_become(Diterima));
        for closed in [Selesai, Ditolak] {
            for to in ComplaintStatus::ALL {
                assert!(!closed.may_become(to), "{closed:?} → {to:?}");
            }
        }
    }

    #[test]
    fn codes_read_back() {
        for c in ComplaintCategory::ALL {
            assert_eq!(ComplaintCategory::from_code(i64::from(c.code())), Some(c));
        }
        for s in ComplaintStatus::ALL {
            assert_eq!(ComplaintStatus::from_code(i64::from(s.code())), Some(s));
        }
        assert_eq!(ComplaintStatus::from_code(0), None);
    }

    proptest! {
        #[test]
        fn every_reference_reads_back_as_itself(year in 2000u16..3000, number in 1u32..1_000_000, random in any::<[u8; 6]>()) {
            let r = ComplaintReference::new(year, number, random);
            prop_assert_eq!(ComplaintReference::parse(&r.to_string()), Ok(r.clone()));
            prop_assert_eq!(ComplaintReference::parse(&r.to_string().to_lowercase()), Ok(r));
        }
    }
}
