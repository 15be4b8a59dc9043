//! NIK, the lifelong 16-digit population number: `PP KK CC DDMMYY SSSS`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::codes::Sex;
use crate::kode_wilayah::KodeWilayah;
use crate::parse_error::{IdKind, ParseIdError, digits, four, two};

/// A structurally valid NIK. The only constructors are [`Nik::parse`] and
/// [`Nik::from_parts`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nik([u8; 16]);

/// A disagreement between a NIK and the recorded person: worth showing, never
/// a reason to reject (NIKs issued with a wrong date stay in use for life).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NikWarning {
    /// The NIK's date part differs from the recorded birth date.
    BirthDateDiffers {
        /// Day, month and two-digit year the NIK encodes.
        nik: (u8, u8, u8),
        /// The recorded birth date.
        recorded: Date,
    },
    /// The NIK's day offset says one sex, the record another.
    SexDiffers {
        /// The sex the NIK encodes.
        nik: Sex,
        /// The recorded sex.
        recorded: Sex,
    },
    /// The NIK's region prefix is not a known district (it may predate a split).
    UnknownRegion(String),
}

impl fmt::Display for NikWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NikWarning::BirthDateDiffers {
                nik: (d, m, y),
                recorded,
            } => write!(
                f,
                "NIK date {d:02}-{m:02}-{y:02} differs from birth date {:02}-{:02}-{}",
                recorded.day(),
                u8::from(recorded.month()),
                recorded.year()
            ),
            NikWarning::SexDiffers { nik, recorded } => {
                write!(f, "NIK says {nik} but the recorded sex is {recorded}")
            }
            NikWarning::UnknownRegion(p) => write!(f, "NIK region {p} is not a known district"),
        }
    }
}

/// Why [`Nik::from_parts`] could not build a NIK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikPartsError {
    /// The region must be a district code.
    #[error("a NIK's region must be a district code, not {0}")]
    NotADistrict(KodeWilayah),
    /// Serial outside 1..=9999.
    #[error("a NIK's serial must be 0001-9999, not {0}")]
    Serial(u16),
}

impl Nik {
    /// Parses 16 digits, checking region, date, sex offset and serial.
    pub fn parse(input: &str) -> Result<Self, ParseIdError> {
        let s = input.trim();
        let d: [u8; 16] = digits(IdKind::Nik, s)?;
        let err = |span, rule: String| Err(ParseIdError::new(IdKind::Nik, s, Some(span), rule));
        if d[0] == 0 {
            return err(
                (1, 2),
                "province code cannot start with 0 (a number starting with 0 is a temporary number, not a NIK)".into(),
            );
        }
        if two(&d, 0) < 11 {
            return err(
                (1, 2),
                format!("province code {:02} must be between 11 and 99", two(&d, 0)),
            );
        }
        if two(&d, 2) == 0 {
            return err((3, 4), "regency code 00 must be between 01 and 99".into());
        }
        if two(&d, 4) == 0 {
            return err((5, 6), "district code 00 must be between 01 and 99".into());
        }
        let raw_day = two(&d, 6);
        let day = match raw_day {
            1..=31 => raw_day,
            41..=71 => raw_day - 40,
            _ => {
                return err(
                    (7, 8),
                    format!(
                        "day {raw_day:02} must be 01-31 (men) or 41-71 (women: birth day + 40)"
                    ),
                );
            }
        };
        let month = two(&d, 8);
        if !(1..=12).contains(&month) {
            return err(
                (9, 10),
                format!("month {month:02} must be between 01 and 12"),
            );
        }
        // 2000 + YY has the same leap-ness as 19YY except for 1900, which no living person needs.
        if date_in(2000 + i32::from(two(&d, 10)), month, day).is_none() {
            return err(
                (7, 12),
                format!(
                    "{day:02}-{month:02}-{:02} is not a calendar date",
                    two(&d, 10)
                ),
            );
        }
        if four(&d, 12) == 0 {
            return err((13, 16), "serial 0000 must be between 0001 and 9999".into());
        }
        let mut ascii = [0u8; 16];
        for (a, x) in ascii.iter_mut().zip(d) {
            *a = b'0' + x;
        }
        Ok(Nik(ascii))
    }

    /// Builds the NIK a person born on `birth` with `sex` gets in `district`.
    pub fn from_parts(
        district: KodeWilayah,
        birth: Date,
        sex: Sex,
        serial: u16,
    ) -> Result<Self, NikPartsError> {
        if district.level() != crate::kode_wilayah::RegionLevel::District {
            return Err(NikPartsError::NotADistrict(district));
        }
        if !(1..=9999).contains(&serial) {
            return Err(NikPartsError::Serial(serial));
        }
        let s = format!(
            "{}{:02}{:02}{:02}{serial:04}",
            district.plain(),
            birth.day() + sex.nik_day_offset(),
            u8::from(birth.month()),
            birth.year().rem_euclid(100)
        );
        Ok(Self::parse(&s).expect("parts of a valid date and district form a valid NIK"))
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }

    fn num(&self, from: usize, len: usize) -> u16 {
        self.0[from..from + len]
            .iter()
            .fold(0, |a, b| a * 10 + u16::from(b - b'0'))
    }

    /// The district where the NIK was first issued (may be an old, pre-split code).
    pub fn region(&self) -> Result<KodeWilayah, ParseIdError> {
        KodeWilayah::parse(&self.as_str()[..6])
    }

    /// The sex the NIK encodes.
    pub fn sex(&self) -> Sex {
        if self.num(6, 2) > 40 {
            Sex::Perempuan
        } else {
            Sex::LakiLaki
        }
    }

    /// Day, month and two-digit year of birth as encoded.
    pub fn birth_parts(&self) -> (u8, u8, u8) {
        let day = self.num(6, 2) as u8;
        (
            if day > 40 { day - 40 } else { day },
            self.num(8, 2) as u8,
            self.num(10, 2) as u8,
        )
    }

    /// The birth date, taking the century that puts it on or before `as_of`.
    pub fn birth_date(&self, as_of: Date) -> Date {
        let (d, m, yy) = self.birth_parts();
        let mut year = as_of.year() - (as_of.year().rem_euclid(100)) + i32::from(yy);
        let mut date = date_in(year, m, d);
        while date.is_none_or(|x| x > as_of) {
            year -= 100;
            date = date_in(year, m, d).or_else(|| date_in(year, m, d.min(28)));
        }
        date.expect("loop ends with a date")
    }

    /// The serial, 1-9999.
    pub fn serial(&self) -> u16 {
        self.num(12, 4)
    }

    /// Compares the NIK with a person's recorded birth date and sex.
    pub fn check_against(&self, birth_date: Date, sex: Sex) -> Vec<NikWarning> {
        let mut out = Vec::new();
        let (d, m, yy) = self.birth_parts();
        if (d, m, yy)
            != (
                birth_date.day(),
                u8::from(birth_date.month()),
                birth_date.year().rem_euclid(100) as u8,
            )
        {
            out.push(NikWarning::BirthDateDiffers {
                nik: (d, m, yy),
                recorded: birth_date,
            });
        }
        if self.sex() != sex {
            out.push(NikWarning::SexDiffers {
                nik: self.sex(),
                recorded: sex,
            });
        }
        out
    }

    /// The NIK with its date and serial hidden, for any page a resident's
    /// neighbours might see: `331001**********`.
    pub fn masked(&self) -> String {
        format!("{}**********", &self.as_str()[..6])
    }
}

fn date_in(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Nik {
    // Debug output ends up in logs; personal data must not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl FromStr for Nik {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Nik {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Nik {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn reads_region_birth_date_and_sex() {
        let n = Nik::parse("3310015708890003").unwrap();
        assert_eq!(n.region().unwrap().dotted(), "33.10.01");
        assert_eq!(n.sex(), Sex::Perempuan);
        assert_eq!(n.birth_parts(), (17, 8, 89));
        assert_eq!(n.birth_date(date!(2026 - 11 - 22)), date!(1989 - 08 - 17));
        assert_eq!(n.serial(), 3);
        let m = Nik::parse("3310011203240001").unwrap();
        assert_eq!(m.sex(), Sex::LakiLaki);
        assert_eq!(m.birth_date(date!(2026 - 11 - 22)), date!(2024 - 03 - 12));
    }

    #[test]
    fn errors_name_position_and_rule() {
        for (input, span, rule) in [
            ("331001570889000", None, "expected 16 digits, found 15"),
            ("33100157088900031", None, "expected 16 digits, found 17"),
            ("3310015708a90003", Some((11, 11)), "not a digit"),
            ("0310015708890003", Some((1, 2)), "temporary number"),
            ("1010015708890003", Some((1, 2)), "province code 10"),
            ("3300015708890003", Some((3, 4)), "regency code 00"),
            ("3310005708890003", Some((5, 6)), "district code 00"),
            ("3310013508890003", Some((7, 8)), "day 35"),
            ("3310017208890003", Some((7, 8)), "day 72"),
            ("3310011713890003", Some((9, 10)), "month 13"),
            (
                "3310013102890003",
                Some((7, 12)),
                "31-02-89 is not a calendar date",
            ),
            ("3310011708890000", Some((13, 16)), "serial 0000"),
            ("", None, "empty"),
        ] {
            let e = Nik::parse(input).unwrap_err();
            assert_eq!(e.span(), span, "{input}: {e}");
            assert!(e.to_string().contains(rule), "{input}: {e}");
        }
    }

    #[test]
    fn leap_day_is_a_date() {
        assert!(Nik::parse("3310016902000001").is_ok()); // 29-02-2000, woman
        assert!(Nik::parse("3310012902010001").is_err());
    }

    #[test]
    fn disagreement_is_a_warning() {
        let n = Nik::parse("3310011708890003").unwrap();
        assert!(
            n.check_against(date!(1989 - 08 - 17), Sex::LakiLaki)
                .is_empty()
        );
        let w = n.check_against(date!(1989 - 08 - 18), Sex::Perempuan);
        assert_eq!(w.len(), 2);
        assert!(
            w[0].to_string()
                .contains("differs from birth date 18-08-1989")
        );
    }

    #[test]
    fn debug_does_not_leak_the_number() {
        let n = Nik::parse("3310011708890003").unwrap();
        assert_eq!(format!("{n:?}"), "Nik(331001**********)");
    }

    proptest! {
        #[test]
        fn from_parts_round_trips(
            p in 11u8..=99, k in 1u8..=99, c in 1u8..=99,
            days in 0i64..45_000, female: bool, serial in 1u16..=9999,
        ) {
            let district = KodeWilayah::parse(&format!("{p:02}{k:02}{c:02}"));
            prop_assume!(district.is_ok());
            let district = district.unwrap();
            let birth = date!(1900 - 01 - 01) + time::Duration::days(days);
            let sex = if female { Sex::Perempuan } else { Sex::LakiLaki };
            let nik = Nik::from_parts(district, birth, sex, serial).unwrap();
            prop_assert_eq!(Nik::parse(nik.as_str()).unwrap(), nik);
            prop_assert_eq!(nik.to_string().parse::<Nik>().unwrap(), nik);
            prop_assert_eq!(nik.sex(), sex);
            prop_assert_eq!(nik.serial(), serial);
            prop_assert_eq!(nik.region().unwrap(), district);
            prop_assert!(nik.check_against(birth, sex).is_empty());
            prop_assert_eq!(nik.birth_date(birth + time::Duration::days(365 * 99)), birth);
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = Nik::parse(&s);
        }

        #[test]
        fn any_sixteen_digits_either_parse_or_explain(s in "[0-9]{16}") {
            match Nik::parse(&s) {
                Ok(n) => prop_assert_eq!(n.as_str(), s.as_str()),
                Err(e) => prop_assert!(e.span().is_some()),
            }
        }
    }
}
