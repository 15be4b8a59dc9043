//! Kemendagri region codes: province, regency, district and village.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::parse_error::{IdKind, ParseIdError, four, two};

/// The administrative level a region code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    /// Provinsi, `PP`.
    Province,
    /// Kabupaten or kota, `PP.KK`.
    Regency,
    /// Kecamatan, `PP.KK.CC`.
    District,
    /// Desa or kelurahan, `PP.KK.CC.DDDD`.
    Village,
}

impl RegionLevel {
    /// Number of digits in the plain form of a code of this level.
    pub const fn digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::Regency => 4,
            RegionLevel::District => 6,
            RegionLevel::Village => 10,
        }
    }

    /// Stable small integer used in storage.
    pub const fn as_i16(self) -> i16 {
        match self {
            RegionLevel::Province => 1,
            RegionLevel::Regency => 2,
            RegionLevel::District => 3,
            RegionLevel::Village => 4,
        }
    }

    /// Inverse of [`RegionLevel::as_i16`].
    pub fn from_i16(v: i16) -> Option<Self> {
        Some(match v {
            1 => RegionLevel::Province,
            2 => RegionLevel::Regency,
            3 => RegionLevel::District,
            4 => RegionLevel::Village,
            _ => return None,
        })
    }
}

/// What kind of village a village code names (first digit of its last four).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VillageKind {
    /// Kelurahan (urban ward), first digit 1.
    Kelurahan,
    /// Desa, first digit 2.
    Desa,
    /// Desa adat (customary village), first digit 3.
    DesaAdat,
}

/// A valid Kemendagri region code of any level. Only [`KodeWilayah::parse`]
/// (and the parent/child helpers) can make one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KodeWilayah {
    level: RegionLevel,
    value: u64,
}

impl KodeWilayah {
    /// Parses the dotted (`33.10.01.2001`) or plain (`3310012001`) form.
    pub fn parse(input: &str) -> Result<Self, ParseIdError> {
        let s = input.trim();
        let err = |span, rule: String| ParseIdError::new(IdKind::KodeWilayah, s, span, rule);
        if s.is_empty() {
            return Err(err(None, "it is empty".into()));
        }
        // BPS writes village codes 2+2+3+3 (e.g. 33.10.010.001); Balai keys
        // on Kemendagri's 2+2+2+4. Both have ten digits, so say which it is.
        let parts: Vec<&str> = s.split('.').collect();
        if parts.iter().map(|p| p.len()).eq([2, 2, 3, 3])
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(err(None, bps_message(parts[2], parts[3])));
        }
        // Collect digits and check separators, remembering each digit's position in the input.
        let dotted = s.contains('.');
        let mut digits: Vec<(u8, usize)> = Vec::with_capacity(10);
        let mut segment_len = 0usize;
        let mut segment = 0usize;
        const SEGMENTS: [usize; 4] = [2, 2, 2, 4];
        for (i, ch) in s.chars().enumerate() {
            let pos = i + 1;
            if ch == '.' && dotted {
                if segment >= 3 || segment_len != SEGMENTS[segment] {
                    return Err(err(
                        Some((pos, pos)),
                        "misplaced '.': the dotted form is PP.KK.CC.DDDD (2, 2, 2 and 4 digits)"
                            .into(),
                    ));
                }
                segment += 1;
                segment_len = 0;
                continue;
            }
            if !ch.is_ascii_digit() {
                return Err(err(
                    Some((pos, pos)),
                    format!("{ch:?} is not a digit or '.'"),
                ));
            }
            if dotted && segment_len == SEGMENTS[segment] {
                return Err(err(
                    Some((pos, pos)),
                    format!(
                        "segment {} is too long: the dotted form is PP.KK.CC.DDDD",
                        segment + 1
                    ),
                ));
            }
            digits.push((ch as u8 - b'0', pos));
            segment_len += 1;
        }
        if dotted && segment_len != SEGMENTS[segment] {
            return Err(err(
                None,
                format!(
                    "segment {} has {segment_len} digits; the dotted form is PP.KK.CC.DDDD",
                    segment + 1
                ),
            ));
        }
        let level = match digits.len() {
            2 => RegionLevel::Province,
            4 => RegionLevel::Regency,
            6 => RegionLevel::District,
            10 => RegionLevel::Village,
            n => {
                return Err(err(
                    None,
                    format!(
                        "expected 2, 4, 6 or 10 digits (province, regency, district, village), found {n}"
                    ),
                ));
            }
        };
        let d: Vec<u8> = digits.iter().map(|(d, _)| *d).collect();
        let span = |from: usize, to: usize| Some((digits[from].1, digits[to].1));
        let province = two(&d, 0);
        if !(11..=99).contains(&province) {
            return Err(err(
                span(0, 1),
                format!("province code {province:02} must be between 11 and 99"),
            ));
        }
        if d.len() >= 4 {
            let regency = two(&d, 2);
            if regency == 0 || regency == 70 {
                return Err(err(
                    span(2, 3),
                    format!("regency code {regency:02} must be 01-69 (kabupaten) or 71-99 (kota)"),
                ));
            }
        }
        if d.len() >= 6 && two(&d, 4) == 0 {
            return Err(err(
                span(4, 5),
                "district code 00 must be between 01 and 99".into(),
            ));
        }
        if d.len() == 10 {
            let bps_district = u16::from(d[4]) * 100 + u16::from(d[5]) * 10 + u16::from(d[6]);
            let bps_village = u16::from(d[7]) * 100 + u16::from(d[8]) * 10 + u16::from(d[9]);
            // BPS districts are numbered in tens (010, 020, …), so a BPS code
            // has a 0 where Kemendagri's village type (1, 2 or 3) belongs.
            if d[6] == 0 && bps_district > 0 && bps_village > 0 {
                let digits: String = d.iter().map(|x| char::from(b'0' + x)).collect();
                return Err(err(span(4, 9), bps_message(&digits[4..7], &digits[7..10])));
            }
            if !(1..=3).contains(&d[6]) {
                return Err(err(
                    span(6, 6),
                    format!(
                        "village code must start with 1 (kelurahan), 2 (desa) or 3 (desa adat), not {}",
                        d[6]
                    ),
                ));
            }
            if four(&d, 6).is_multiple_of(1000) {
                return Err(err(
                    span(7, 9),
                    "village number 000 must be between 001 and 999".into(),
                ));
            }
        }
        let value = d.iter().fold(0u64, |acc, x| acc * 10 + u64::from(*x));
        Ok(Self { level, value })
    }

    /// The level this code names.
    pub fn level(&self) -> RegionLevel {
        self.level
    }

    /// The plain digits as a number, e.g. `3310012001`.
    pub fn as_u64(&self) -> u64 {
        self.value
    }

    /// The plain form, e.g. `3310012001`.
    pub fn plain(&self) -> String {
        format!("{:0width$}", self.value, width = self.level.digits())
    }

    /// The dotted form, e.g. `33.10.01.2001`.
    pub fn dotted(&self) -> String {
        let p = self.plain();
        let mut out = String::with_capacity(13);
        for (i, cut) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
            if cut.1 > p.len() {
                break;
            }
            if i > 0 {
                out.push('.');
            }
            out.push_str(&p[cut.0..cut.1]);
        }
        out
    }

    /// The code of the enclosing region, or `None` for a province.
    pub fn parent(&self) -> Option<Self> {
        let (level, div) = match self.level {
            RegionLevel::Province => return None,
            RegionLevel::Regency => (RegionLevel::Province, 100),
            RegionLevel::District => (RegionLevel::Regency, 100),
            RegionLevel::Village => (RegionLevel::District, 10_000),
        };
        Some(Self {
            level,
            value: self.value / div,
        })
    }

    /// The enclosing region at `level`, if this code is at or below it.
    pub fn ancestor(&self, level: RegionLevel) -> Option<Self> {
        let mut k = *self;
        while k.level > level {
            k = k.parent()?;
        }
        (k.level == level).then_some(k)
    }

    /// True when `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &KodeWilayah) -> bool {
        self.ancestor(other.level) == Some(*other)
    }

    /// For a village code, whether it is a kelurahan, desa or desa adat.
    pub fn village_kind(&self) -> Option<VillageKind> {
        (self.level == RegionLevel::Village).then_some(match (self.value % 10_000) / 1000 {
            1 => VillageKind::Kelurahan,
            2 => VillageKind::Desa,
            _ => VillageKind::DesaAdat,
        })
    }

    /// For a regency code, whether it is a city (kota, codes 71-99).
    pub fn is_city(&self) -> Option<bool> {
        (self.level == RegionLevel::Regency).then_some(self.value % 100 >= 71)
    }
}

impl fmt::Display for KodeWilayah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl FromStr for KodeWilayah {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for KodeWilayah {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

impl<'de> Deserialize<'de> for KodeWilayah {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Why a BPS village code is refused: what it looks like, and what to use.
fn bps_message(district: &str, village: &str) -> String {
    format!(
        "this looks like a BPS code (2+2+3+3 digits: district {district}, village {village}); \
         Balai uses the Kemendagri code (2+2+2+4 digits, e.g. 33.10.01.2001): \
         look the village up in the Kemendagri region list"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_bps_village_code_is_recognised_and_refused_saying_so() {
        for bps in [
            "3310010001",
            "33.10.010.001",
            "3310170013",
            " 33.10.170.013 ",
        ] {
            let e = KodeWilayah::parse(bps).unwrap_err();
            assert!(e.rule().contains("BPS code"), "{bps}: {}", e.rule());
            assert!(e.rule().contains("Kemendagri"), "{bps}: {}", e.rule());
        }
        let e = KodeWilayah::parse("3310170013").unwrap_err();
        assert!(
            e.rule().contains("district 170, village 013"),
            "{}",
            e.rule()
        );
        // Kemendagri codes are not mistaken for BPS ones.
        assert!(KodeWilayah::parse("3310012001").is_ok());
        assert!(KodeWilayah::parse("33.10.01.2001").is_ok());
        // A 0 in the village-type place that is no BPS code keeps its own message.
        let e = KodeWilayah::parse("3310000000").unwrap_err();
        assert!(!e.rule().contains("BPS"), "{}", e.rule());
    }

    #[test]
    fn parses_both_forms_of_every_level() {
        for (input, level, plain, dotted) in [
            ("33", RegionLevel::Province, "33", "33"),
            ("33.10", RegionLevel::Regency, "3310", "33.10"),
            ("3310", RegionLevel::Regency, "3310", "33.10"),
            ("33.10.01", RegionLevel::District, "331001", "33.10.01"),
            (
                "33.10.01.2001",
                RegionLevel::Village,
                "3310012001",
                "33.10.01.2001",
            ),
            (
                " 3310012001 ",
                RegionLevel::Village,
                "3310012001",
                "33.10.01.2001",
            ),
        ] {
            let k = KodeWilayah::parse(input).unwrap();
            assert_eq!(k.level(), level, "{input}");
            assert_eq!(k.plain(), plain);
            assert_eq!(k.dotted(), dotted);
        }
    }

    #[test]
    fn errors_name_position_and_rule() {
        for (input, span, rule_part) in [
            ("", None, "empty"),
            ("3310x12001", Some((5, 5)), "not a digit"),
            ("00.10", Some((1, 2)), "province code 00"),
            ("33.00.01", Some((4, 5)), "regency code 00"),
            ("33.70", Some((4, 5)), "regency code 70"),
            ("33.10.00", Some((7, 8)), "district code 00"),
            (
                "33.10.01.5001",
                Some((10, 10)),
                "must start with 1 (kelurahan)",
            ),
            ("3310015001", Some((7, 7)), "must start with 1"),
            ("33.10.01.2000", Some((11, 13)), "village number 000"),
            ("331001200", None, "expected 2, 4, 6 or 10 digits"),
            ("331.0", Some((3, 3)), "segment 1 is too long"),
            ("33..10", Some((4, 4)), "misplaced '.'"),
            ("33.10.01.200", None, "segment 4 has 3 digits"),
            ("33.10.01.20011", Some((14, 14)), "segment 4 is too long"),
        ] {
            let e = KodeWilayah::parse(input).unwrap_err();
            assert_eq!(e.span(), span, "{input}: {e}");
            assert!(e.to_string().contains(rule_part), "{input}: {e}");
        }
    }

    #[test]
    fn hierarchy() {
        let v = KodeWilayah::parse("33.10.01.2001").unwrap();
        assert_eq!(v.parent().unwrap().dotted(), "33.10.01");
        assert_eq!(v.ancestor(RegionLevel::Province).unwrap().plain(), "33");
        assert!(v.is_within(&KodeWilayah::parse("3310").unwrap()));
        assert!(!v.is_within(&KodeWilayah::parse("3311").unwrap()));
        assert_eq!(v.village_kind(), Some(VillageKind::Desa));
        assert_eq!(KodeWilayah::parse("33.72").unwrap().is_city(), Some(true));
    }

    fn any_code() -> impl Strategy<Value = String> {
        (
            11u8..=99,
            1u8..=99,
            1u8..=99,
            1u8..=3,
            1u16..=999,
            0usize..4,
        )
            .prop_filter_map("regency 70 is not a code", |(p, k, c, kind, n, lvl)| {
                (k != 70).then(|| {
                    let full = format!("{p:02}{k:02}{c:02}{kind}{n:03}");
                    full[..[2, 4, 6, 10][lvl]].to_string()
                })
            })
    }

    proptest! {
        #[test]
        fn round_trips_through_both_forms(code in any_code()) {
            let k = KodeWilayah::parse(&code).unwrap();
            prop_assert_eq!(k.plain(), code.clone());
            prop_assert_eq!(KodeWilayah::parse(&k.dotted()).unwrap(), k);
            prop_assert_eq!(KodeWilayah::parse(&k.to_string()).unwrap(), k);
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = KodeWilayah::parse(&s);
        }
    }
}
