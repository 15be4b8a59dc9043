//! A village's public website: news posts (by slug, draft or published)
//! and the agenda of activities residents sign up for, with a capacity and
//! a waiting list, followed by an unguessable reference.
//!
//! A sign-up reference reads `AGD-2026-0012-K7Q2MX`: the year and the
//! village's running number of sign-ups, then six random characters (the
//! same scheme and lenient reading as a complaint's reference), so nobody
//! can read other people's sign-ups by counting.

use std::fmt;

use crate::complaint::{SECRET_LEN, parse_reference, secret_of};

/// Longest slug, in characters.
pub const MAX_SLUG_CHARS: usize = 80;

/// The last part of a news post's address (`/desa/{kode}/berita/{slug}`):
/// lowercase ASCII letters, digits and single hyphens, not at either end.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

/// Why a typed slug is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("alamat berita 1–80 huruf kecil, angka dan tanda hubung tunggal")]
pub struct NotASlug;

impl Slug {
    /// Reads a slug exactly as it must be (an address is not forgiven).
    pub fn parse(s: &str) -> Result<Self, NotASlug> {
        let ok = !s.is_empty()
            && s.len() <= MAX_SLUG_CHARS
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(NotASlug)
        }
    }

    /// The slug a title suggests: letters folded to ASCII lowercase, every
    /// run of anything else one hyphen, cut to [`MAX_SLUG_CHARS`] at a
    /// hyphen; `None` when nothing is left (a title of only symbols).
    pub fn from_title(title: &str) -> Option<Self> {
        let mut out = String::new();
        for c in title.chars() {
            let c = fold(c);
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        let mut out = out.trim_end_matches('-').to_string();
        if out.len() > MAX_SLUG_CHARS {
            out.truncate(MAX_SLUG_CHARS);
            if let Some(cut) = out.rfind('-').filter(|&i| i > 0) {
                out.truncate(cut);
            }
            out = out.trim_end_matches('-').to_string();
        }
        Slug::parse(&out).ok()
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Latin letters with accents read as their base letter (é → e).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c => c,
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a post or an activity is on the public site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Publication {
    /// Seen only by the village's staff.
    Draft,
    /// On the public site.
    Published,
}

impl Publication {
    /// The stored code (0/1, as every flag is stored).
    pub fn code(self) -> u8 {
        match self {
            Publication::Draft => 0,
            Publication::Published => 1,
        }
    }

    /// The state with this code.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(Publication::Draft),
            1 => Some(Publication::Published),
            _ => None,
        }
    }

    /// Whether the public sees it.
    pub fn is_public(self) -> bool {
        self == Publication::Published
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            Publication::Draft => "site-draft",
            Publication::Published => "site-published",
        }
    }
}

/// Where a sign-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignupStatus {
    /// Has a place.
    Confirmed,
    /// On the waiting list: moves up when a place frees.
    Waiting,
    /// Cancelled by the village's staff.
    Cancelled,
}

impl SignupStatus {
    /// Every status.
    pub const ALL: [SignupStatus; 3] = [
        SignupStatus::Confirmed,
        SignupStatus::Waiting,
        SignupStatus::Cancelled,
    ];

    /// The stored code.
    pub fn code(self) -> u8 {
        match self {
            SignupStatus::Confirmed => 1,
            SignupStatus::Waiting => 2,
            SignupStatus::Cancelled => 3,
        }
    }

    /// The status with this code.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            SignupStatus::Confirmed => "signup-confirmed",
            SignupStatus::Waiting => "signup-waiting",
            SignupStatus::Cancelled => "signup-cancelled",
        }
    }
}

/// Where a new sign-up goes: a place while fewer than `capacity` are
/// confirmed, the waiting list otherwise.
pub fn place_for_new(capacity: u32, confirmed: u32) -> SignupStatus {
    if confirmed < capacity {
        SignupStatus::Confirmed
    } else {
        SignupStatus::Waiting
    }
}

/// Which waiting sign-ups move up, first come first served, to fill the
/// places `capacity` leaves beside those `confirmed`: the first
/// `capacity - confirmed` of `waiting` (given in the order they signed up).
pub fn promotions<T: Copy>(capacity: u32, confirmed: u32, waiting: &[T]) -> Vec<T> {
    let free = capacity.saturating_sub(confirmed) as usize;
    waiting.iter().take(free).copied().collect()
}

/// A sign-up's public reference.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SignupReference {
    year: u16,
    number: u32,
    secret: [u8; SECRET_LEN],
}

/// Why a typed reference is not a sign-up reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bukan nomor pendaftaran (AGD-tahun-nomor-kode)")]
pub struct NotASignupReference;

impl SignupReference {
    /// A new reference for the village's `number`-th sign-up of `year`,
    /// its random part drawn from `random` (30 random bits are used).
    pub fn new(year: u16, number: u32, random: [u8; SECRET_LEN]) -> Self {
        Self {
            year,
            number,
            secret: secret_of(random),
        }
    }

    /// Reads a typed reference as leniently as a complaint's.
    pub fn parse(input: &str) -> Result<Self, NotASignupReference> {
        let (year, number, secret) = parse_reference("AGD", input).ok_or(NotASignupReference)?;
        Ok(Self {
            year,
            number,
            secret,
        })
    }

    /// The year of the sign-up.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The village's running number of sign-ups within the year.
    pub fn number(&self) -> u32 {
        self.number
    }
}

impl fmt::Display for SignupReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = std::str::from_utf8(&self.secret).map_err(|_| fmt::Error)?;
        write!(f, "AGD-{}-{:04}-{code}", self.year, self.number)
    }
}

impl fmt::Debug for SignupReference {
    // The random part is what keeps a sign-up private: not in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AGD-{}-{:04}-******", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_strict_when_parsed() {
        for ok in ["a", "kerja-bakti-2026", "0"] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a b",
            "a/b",
            "é",
            "../x",
            &"a".repeat(81),
        ] {
            assert_eq!(Slug::parse(bad), Err(NotASlug), "{bad:?}");
        }
    }

    #[test]
    fn a_title_suggests_its_slug() {
        let s = |t: &str| Slug::from_title(t).map(|s| s.to_string());
        assert_eq!(
            s("Kerja Bakti RT 03, Minggu!").as_deref(),
            Some("kerja-bakti-rt-03-minggu")
        );
        assert_eq!(s("  Café — Résumé ").as_deref(), Some("cafe-resume"));
        assert_eq!(
            s("<script>alert(1)</script>").as_deref(),
            Some("script-alert-1-script")
        );
        assert_eq!(s("!!! ???"), None);
        let long = "kata ".repeat(40);
        let slug = Slug::from_title(&long).unwrap();
        assert!(slug.as_str().len() <= MAX_SLUG_CHARS);
        assert!(!slug.as_str().ends_with('-'));
    }

    #[test]
    fn new_sign_ups_fill_the_places_then_wait() {
        assert_eq!(place_for_new(2, 0), SignupStatus::Confirmed);
        assert_eq!(place_for_new(2, 1), SignupStatus::Confirmed);
        assert_eq!(place_for_new(2, 2), SignupStatus::Waiting);
        assert_eq!(place_for_new(0, 0), SignupStatus::Waiting);
    }

    #[test]
    fn a_freed_place_goes_to_the_first_waiting() {
        assert_eq!(promotions(2, 1, &['a', 'b', 'c']), vec!['a']);
        assert_eq!(promotions(3, 1, &['a', 'b', 'c']), vec!['a', 'b']);
        assert_eq!(promotions(2, 2, &['a']), Vec::<char>::new());
        // Over capacity (the capacity was lowered): nobody moves up.
        assert_eq!(promotions(1, 3, &['a']), Vec::<char>::new());
        assert_eq!(promotions(5, 0, &[] as &[char]), Vec::<char>::new());
    }

    #[test]
    fn sign_up_references_read_leniently_and_hide_their_code() {
        let r = SignupReference::new(2026, 12, [1, 2, 3, 30, 31, 32]);
        assert_eq!(r.to_string(), "AGD-2026-0012-123YZ0");
        assert_eq!(format!("{r:?}"), "AGD-2026-0012-******");
        assert_eq!(SignupReference::parse(" agd-2026-12-123yzo "), Ok(r));
        for bad in [
            "",
            "ADU-2026-0012-123YZ0",
            "AGD-2026-0012-123YZ",
            "AGD-2026-0012-123YZU",
        ] {
            assert_eq!(
                SignupReference::parse(bad),
                Err(NotASignupReference),
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_sign_up_reference_reads_back(year in 2000u16..3000, number in 1u32..1_000_000, random in any::<[u8; 6]>()) {
            let r = SignupReference::new(year, number, random);
            prop_assert_eq!(SignupReference::parse(&r.to_string()), Ok(r));
        }

        #[test]
        fn every_suggested_slug_parses(title in ".{0,200}") {
            if let Some(s) = Slug::from_title(&title) {
                prop_assert_eq!(Slug::parse(s.as_str()), Ok(s.clone()));
            }
        }
    }
}
