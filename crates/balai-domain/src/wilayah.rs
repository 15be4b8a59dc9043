//! Units inside a village: dusun → RW → RT.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a dusun/RW/RT triple was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WilayahError {
    /// A part is empty.
    #[error("{0} cannot be empty")]
    Empty(&'static str),
    /// A part is too long.
    #[error("{0} has at most 60 characters")]
    TooLong(&'static str),
    /// RW or RT is neither a number nor `-`.
    #[error("{part} {value:?} must be a number (e.g. 003) or '-'")]
    NotANumber {
        /// `RW` or `RT`.
        part: &'static str,
        /// The rejected value.
        value: String,
    },
}

/// The neighbourhood a household belongs to. RW and RT are kept as written
/// numbers zero-padded to three digits; `-` means the village has no RW level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Wilayah {
    dusun: String,
    rw: String,
    rt: String,
}

impl Wilayah {
    /// Normalises and checks the three parts.
    pub fn parse(dusun: &str, rw: &str, rt: &str) -> Result<Self, WilayahError> {
        let dusun = dusun
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
        if dusun.is_empty() {
            return Err(WilayahError::Empty("dusun"));
        }
        if dusun.chars().count() > 60 {
            return Err(WilayahError::TooLong("dusun"));
        }
        Ok(Self {
            dusun,
            rw: unit("RW", rw)?,
            rt: unit("RT", rt)?,
        })
    }

    /// The dusun (hamlet) name.
    pub fn dusun(&self) -> &str {
        &self.dusun
    }

    /// The RW, e.g. `002` or `-`.
    pub fn rw(&self) -> &str {
        &self.rw
    }

    /// The RT, e.g. `004`.
    pub fn rt(&self) -> &str {
        &self.rt
    }
}

fn unit(part: &'static str, v: &str) -> Result<String, WilayahError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(WilayahError::Empty(part));
    }
    if v == "-" || v == "0" || v.chars().all(|c| c == '0') {
        return Ok("-".into());
    }
    match v.parse::<u16>() {
        Ok(n) if n <= 999 => Ok(format!("{n:03}")),
        _ => Err(WilayahError::NotANumber {
            part,
            value: v.chars().take(20).collect(),
        }),
    }
}

impl fmt::Display for Wilayah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dusun {}, RW {}, RT {}", self.dusun, self.rw, self.rt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        let w = Wilayah::parse(" mangsit ", "-", "4").unwrap();
        assert_eq!((w.dusun(), w.rw(), w.rt()), ("MANGSIT", "-", "004"));
        assert!(matches!(
            Wilayah::parse("A", "x", "1"),
            Err(WilayahError::NotANumber { part: "RW", .. })
        ));
        assert_eq!(
            Wilayah::parse("", "1", "1"),
            Err(WilayahError::Empty("dusun"))
        );
    }
}
