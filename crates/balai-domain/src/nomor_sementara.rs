//! Temporary numbers for residents who have no NIK yet (newborns, newcomers).

use std::fmt;

use crate::kode_wilayah::{KodeWilayah, RegionLevel};
use crate::parse_error::{IdKind, ParseIdError, digits};

/// `0` + the 10-digit village code + a 5-digit sequence. The leading zero can
/// never start a real NIK (province codes begin at 11), so the two never collide.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NomorSementara {
    village: KodeWilayah,
    seq: u32,
}

impl NomorSementara {
    /// The highest sequence number a village can hand out.
    pub const MAX_SEQ: u32 = 99_999;

    /// The `seq`-th temporary number of `village`.
    pub fn new(village: KodeWilayah, seq: u32) -> Option<Self> {
        (village.level() == RegionLevel::Village && (1..=Self::MAX_SEQ).contains(&seq))
            .then_some(Self { village, seq })
    }

    /// Parses the 16-digit form.
    pub fn parse(input: &str) -> Result<Self, ParseIdError> {
        let s = input.trim();
        let d: [u8; 16] = digits(IdKind::NomorSementara, s)?;
        if d[0] != 0 {
            return Err(ParseIdError::new(
                IdKind::NomorSementara,
                s,
                Some((1, 1)),
                "a temporary number starts with 0",
            ));
        }
        let village = KodeWilayah::parse(&s[1..11]).map_err(|e| {
            let span = e.span().map(|(a, b)| (a + 1, b + 1));
            ParseIdError::new(
                IdKind::NomorSementara,
                s,
                span,
                format!("village code: {}", e.rule()),
            )
        })?;
        let seq = d[11..].iter().fold(0u32, |a, b| a * 10 + u32::from(*b));
        if seq == 0 {
            return Err(ParseIdError::new(
                IdKind::NomorSementara,
                s,
                Some((12, 16)),
                "sequence 00000 must be between 00001 and 99999",
            ));
        }
        Ok(Self { village, seq })
    }

    /// The village that issued the number.
    pub fn village(&self) -> KodeWilayah {
        self.village
    }

    /// The sequence within the village.
    pub fn seq(&self) -> u32 {
        self.seq
    }
}

impl fmt::Display for NomorSementara {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0{}{:05}", self.village.plain(), self.seq)
    }
}

impl fmt::Debug for NomorSementara {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NomorSementara({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_nik_shaped_input() {
        let v = KodeWilayah::parse("3310012001").unwrap();
        let t = NomorSementara::new(v, 42).unwrap();
        assert_eq!(t.to_string(), "0331001200100042");
        assert_eq!(NomorSementara::parse(&t.to_string()).unwrap(), t);
        assert!(NomorSementara::parse("3310011708890003").is_err());
        let e = NomorSementara::parse("0331001500100042").unwrap_err();
        assert_eq!(e.span(), Some((8, 8)), "{e}");
        assert!(NomorSementara::parse("0331001200100000").is_err());
    }
}
