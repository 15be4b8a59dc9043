//! No. KK, the 16-digit family card number: issuing area, recording date, serial.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::kode_wilayah::{KodeWilayah, RegionLevel};
use crate::parse_error::{IdKind, ParseIdError, digits, four, two};

/// A structurally valid family card number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoKk([u8; 16]);

impl NoKk {
    /// Parses 16 digits: `PPKKCC` area, `DDMMYY` date the card was recorded, serial ≥ 0001.
    pub fn parse(input: &str) -> Result<Self, ParseIdError> {
        let s = input.trim();
        let d: [u8; 16] = digits(IdKind::NoKk, s)?;
        let err = |span, rule: String| Err(ParseIdError::new(IdKind::NoKk, s, Some(span), rule));
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
        let (day, month, yy) = (two(&d, 6), two(&d, 8), two(&d, 10));
        if !(1..=12).contains(&month) {
            return err(
                (9, 10),
                format!("month {month:02} of the recording date must be between 01 and 12"),
            );
        }
        let valid_day = Month::try_from(month)
            .ok()
            .and_then(|m| Date::from_calendar_date(2000 + i32::from(yy), m, day).ok())
            .is_some();
        if !valid_day {
            return err(
                (7, 12),
                format!("recording date {day:02}-{month:02}-{yy:02} is not a calendar date"),
            );
        }
        if four(&d, 12) == 0 {
            return err((13, 16), "serial 0000 must be between 0001 and 9999".into());
        }
        let mut ascii = [0u8; 16];
        for (a, x) in ascii.iter_mut().zip(d) {
            *a = b'0' + x;
        }
        Ok(NoKk(ascii))
    }

    /// Builds the number of a card recorded in `district` on `recorded`.
    pub fn from_parts(district: KodeWilayah, recorded: Date, serial: u16) -> Option<Self> {
        if district.level() != RegionLevel::District || !(1..=9999).contains(&serial) {
            return None;
        }
        Self::parse(&format!(
            "{}{:02}{:02}{:02}{serial:04}",
            district.plain(),
            recorded.day(),
            u8::from(recorded.month()),
            recorded.year().rem_euclid(100)
        ))
        .ok()
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }

    /// The number with its date and serial hidden.
    pub fn masked(&self) -> String {
        format!("{}**********", &self.as_str()[..6])
    }
}

impl fmt::Display for NoKk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NoKk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NoKk({})", self.masked())
    }
}

impl FromStr for NoKk {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for NoKk {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NoKk {
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
    fn errors_name_position_and_rule() {
        for (input, span, rule) in [
            ("331001120320", None, "expected 16 digits, found 12"),
            ("3310011203200000", Some((13, 16)), "serial 0000"),
            (
                "3310014503200001",
                Some((7, 12)),
                "45-03-20 is not a calendar date",
            ),
            ("3310011213200001", Some((9, 10)), "month 13"),
            ("0910011203200001", Some((1, 2)), "province code 09"),
            ("33100112032 0001", Some((12, 12)), "not a digit"),
        ] {
            let e = NoKk::parse(input).unwrap_err();
            assert_eq!(e.span(), span, "{input}: {e}");
            assert!(e.to_string().contains(rule), "{input}: {e}");
            assert!(e.to_string().starts_with("invalid No. KK"), "{e}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(days in 0i64..20_000, serial in 1u16..=9999, c in 1u8..=30) {
            let district = KodeWilayah::parse(&format!("3310{c:02}")).unwrap();
            let recorded = date!(1980 - 01 - 01) + time::Duration::days(days);
            let kk = NoKk::from_parts(district, recorded, serial).unwrap();
            prop_assert_eq!(NoKk::parse(kk.as_str()).unwrap(), kk);
            prop_assert_eq!(kk.to_string().parse::<NoKk>().unwrap(), kk);
        }
    }
}
