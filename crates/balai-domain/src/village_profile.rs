//! The village's public profile (issue 12 part 1): the office's address and
//! contacts, the area, the neighbouring villages on each side, the office's
//! place on the map, and the texts a village publishes about itself —
//! history, vision, mission and its community institutions. Parsed from
//! what staff typed: every field is checked and every problem named.

use std::collections::BTreeMap;
use std::fmt;

use crate::showcase::Coordinates;

/// Longest office address.
pub const MAX_ADDRESS: usize = 200;
/// Longest boundary description (one side).
pub const MAX_BOUNDARY: usize = 120;
/// Longest vision.
pub const MAX_VISION: usize = 1_000;
/// Longest mission or institutions text (Markdown).
pub const MAX_LIST_TEXT: usize = 5_000;
/// Longest history (Markdown).
pub const MAX_HISTORY: usize = 20_000;

/// An area in hundredths of a square kilometre (one hectare): exact, as the
/// region list and village books write areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AreaKm2(u32);

impl AreaKm2 {
    /// Largest area accepted (the largest Indonesian villages are a few
    /// thousand km²).
    pub const MAX_HUNDREDTHS: u32 = 2_000_000;

    /// Reads `12,5` or `12.50` (km², at most two decimals, comma or dot).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().replace(',', ".");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("tulis luas dalam km² dengan angka, mis. 4,25");
        }
        if frac.len() > 2 {
            return Err("luas paling banyak dua angka di belakang koma");
        }
        let whole: u64 = whole.parse().map_err(|_| "luas terlalu besar")?;
        let frac: u64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let hundredths = whole.saturating_mul(100).saturating_add(frac);
        Self::from_hundredths(hundredths)
            .ok_or("luas harus lebih dari 0 dan paling besar 20.000 km²")
    }

    /// The area of `n` hundredths of a km², if in range.
    pub fn from_hundredths(n: u64) -> Option<Self> {
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=Self::MAX_HUNDREDTHS).contains(n))
            .map(Self)
    }

    /// Hundredths of a km².
    pub fn hundredths(self) -> u32 {
        self.0
    }
}

/// Written the Indonesian way: `4,25`.
impl fmt::Display for AreaKm2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A telephone number of the village office: digits, spaces, `+`, `-`,
/// `(`, `)`, with 6 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficePhone(String);

impl OfficePhone {
    /// Parses a number as typed (kept as typed, trimmed).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
            || !(6..=15).contains(&digits)
        {
            return Err("tulis nomor telepon dengan 6–15 angka, mis. (0272) 321000");
        }
        Ok(Self(s.to_string()))
    }

    /// As typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The office's e-mail address: one `@`, a domain with a dot, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeEmail(String);

impl OfficeEmail {
    /// Parses an address (kept lower-case).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().to_ascii_lowercase();
        let ok = s.len() <= 100
            && !s
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if ok {
            Ok(Self(s))
        } else {
            Err("tulis alamat surel yang benar, mis. pemdes@sengon.desa.id")
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What borders the village on each side (usually the neighbouring
/// villages' names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundaries {
    /// North.
    pub north: String,
    /// East.
    pub east: String,
    /// South.
    pub south: String,
    /// West.
    pub west: String,
}

/// The village's public profile, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageProfileText {
    /// The village office's address.
    pub office_address: String,
    /// The office's telephone.
    pub phone: Option<OfficePhone>,
    /// The office's e-mail.
    pub email: Option<OfficeEmail>,
    /// The area.
    pub area: Option<AreaKm2>,
    /// What borders it.
    pub boundaries: Boundaries,
    /// The office on the map.
    pub office_location: Option<Coordinates>,
    /// History (Markdown).
    pub history: String,
    /// Vision (one paragraph).
    pub vision: String,
    /// Mission (Markdown, usually a list).
    pub mission: String,
    /// Community institutions (Markdown, usually a list: LPM, PKK, Karang
    /// Taruna, Posyandu, …).
    pub institutions: String,
}

/// The profile form as typed (field names are the form's).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileInput<'a> {
    /// `alamat_kantor`.
    pub alamat_kantor: &'a str,
    /// `telepon`.
    pub telepon: &'a str,
    /// `surel`.
    pub surel: &'a str,
    /// `luas`.
    pub luas: &'a str,
    /// `batas_utara`.
    pub batas_utara: &'a str,
    /// `batas_timur`.
    pub batas_timur: &'a str,
    /// `batas_selatan`.
    pub batas_selatan: &'a str,
    /// `batas_barat`.
    pub batas_barat: &'a str,
    /// `lintang`.
    pub lintang: &'a str,
    /// `bujur`.
    pub bujur: &'a str,
    /// `sejarah`.
    pub sejarah: &'a str,
    /// `visi`.
    pub visi: &'a str,
    /// `misi`.
    pub misi: &'a str,
    /// `lembaga`.
    pub lembaga: &'a str,
}

/// Every problem of a profile form, by field.
pub type ProfileProblems = BTreeMap<&'static str, String>;

fn text(problems: &mut ProfileProblems, field: &'static str, input: &str, max: usize) -> String {
    let s = input.trim().replace("\r\n", "\n");
    if s.chars().count() > max {
        problems.insert(field, format!("paling banyak {max} karakter"));
    }
    s
}

fn optional<T>(
    problems: &mut ProfileProblems,
    field: &'static str,
    input: &str,
    parse: impl Fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    match parse(input) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.insert(field, e.to_string());
            None
        }
    }
}

impl VillageProfileText {
    /// Reads the form: every field checked, every problem named under its
    /// field. Empty optional fields are simply absent.
    pub fn parse(f: &ProfileInput<'_>) -> Result<Self, ProfileProblems> {
        let mut p = ProfileProblems::new();
        let office_address = text(&mut p, "alamat_kantor", f.alamat_kantor, MAX_ADDRESS);
        let phone = optional(&mut p, "telepon", f.telepon, OfficePhone::parse);
        let email = optional(&mut p, "surel", f.surel, OfficeEmail::parse);
        let area = optional(&mut p, "luas", f.luas, AreaKm2::parse);
        let boundaries = Boundaries {
            north: text(&mut p, "batas_utara", f.batas_utara, MAX_BOUNDARY),
            east: text(&mut p, "batas_timur", f.batas_timur, MAX_BOUNDARY),
            south: text(&mut p, "batas_selatan", f.batas_selatan, MAX_BOUNDARY),
            west: text(&mut p, "batas_barat", f.batas_barat, MAX_BOUNDARY),
        };
        let office_location = match (f.lintang.trim(), f.bujur.trim()) {
            ("", "") => None,
            (lat, lon) => match Coordinates::parse(lat, lon) {
                Ok(c) => Some(c),
                Err(_) => {
                    p.insert(
                        "lintang",
                        "tulis lintang (−90 sampai 90) dan bujur (−180 sampai 180) dengan titik desimal, mis. -7.7 dan 110.6".into(),
                    );
                    None
                }
            },
        };
        let history = text(&mut p, "sejarah", f.sejarah, MAX_HISTORY);
        let vision = text(&mut p, "visi", f.visi, MAX_VISION);
        let mission = text(&mut p, "misi", f.misi, MAX_LIST_TEXT);
        let institutions = text(&mut p, "lembaga", f.lembaga, MAX_LIST_TEXT);
        if !p.is_empty() {
            return Err(p);
        }
        Ok(Self {
            office_address,
            phone,
            email,
            area,
            boundaries,
            office_location,
            history,
            vision,
            mission,
            institutions,
        })
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_exact_hundredths_of_a_square_kilometre() {
        assert_eq!(AreaKm2::parse("4,25").unwrap().hundredths(), 425);
        assert_eq!(AreaKm2::parse(" 12.5 ").unwrap().hundredths(), 1_250);
        assert_eq!(AreaKm2::parse("7").unwrap().to_string(), "7,00");
        for bad in ["", "0", "0,00", "-3", "4,255", "empat", "1.2.3", "20000,01"] {
            assert!(AreaKm2::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contacts_are_checked() {
        assert!(OfficePhone::parse("(0272) 321000").is_ok());
        assert!(OfficePhone::parse("+62 812-3456-7890").is_ok());
        for bad in ["12345", "0272 abc", "1234567890123456"] {
            assert!(OfficePhone::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            OfficeEmail::parse(" PemDes@Sengon.Desa.ID ")
                .unwrap()
                .as_str(),
            "pemdes@sengon.desa.id"
        );
        for bad in [
            "pemdes",
            "@desa.id",
            "a@desa",
            "a b@desa.id",
            "a@b@desa.id",
            "a@.id",
        ] {
            assert!(OfficeEmail::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_form_names_every_problem_under_its_field() {
        let long = "x".repeat(MAX_VISION + 1);
        let e = VillageProfileText::parse(&ProfileInput {
            telepon: "12",
            surel: "bukan surel",
            luas: "-1",
            lintang: "95",
            bujur: "110",
            visi: &long,
            ..Default::default()
        })
        .unwrap_err();
        for f in ["telepon", "surel", "luas", "lintang", "visi"] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
        let ok = VillageProfileText::parse(&ProfileInput {
            alamat_kantor: " Jl. Raya Sengon No. 1 ",
            luas: "4,25",
            lintang: "-7.7",
            bujur: "110.6",
            misi: "- Melayani\r\n- Membangun",
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.office_address, "Jl. Raya Sengon No. 1");
        assert_eq!(ok.mission, "- Melayani\n- Membangun");
        assert!(ok.phone.is_none() && ok.office_location.is_some());
        assert!(
            VillageProfileText::parse(&ProfileInput::default())
                .unwrap()
                .is_empty()
        );
    }
}
