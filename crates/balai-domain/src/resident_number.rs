//! The number a resident is known by: a NIK, or a temporary number until one is issued.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::nik::Nik;
use crate::nomor_sementara::NomorSementara;
use crate::parse_error::ParseIdError;

/// A resident's NIK, or a clearly marked temporary number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResidentNumber {
    /// A real NIK.
    Nik(Nik),
    /// A temporary number issued by the village.
    Sementara(NomorSementara),
}

impl ResidentNumber {
    /// Parses either form; a leading `0` means a temporary number.
    pub fn parse(input: &str) -> Result<Self, ParseIdError> {
        let s = input.trim();
        if s.starts_with('0') {
            NomorSementara::parse(s).map(ResidentNumber::Sementara)
        } else {
            Nik::parse(s).map(ResidentNumber::Nik)
        }
    }

    /// The NIK, if this is one.
    pub fn nik(&self) -> Option<Nik> {
        match self {
            ResidentNumber::Nik(n) => Some(*n),
            ResidentNumber::Sementara(_) => None,
        }
    }

    /// True for a temporary number.
    pub fn is_temporary(&self) -> bool {
        matches!(self, ResidentNumber::Sementara(_))
    }

    /// A form safe for pages others may see.
    pub fn masked(&self) -> String {
        match self {
            ResidentNumber::Nik(n) => n.masked(),
            ResidentNumber::Sementara(_) => "0*************** (sementara)".into(),
        }
    }
}

impl fmt::Display for ResidentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResidentNumber::Nik(n) => n.fmt(f),
            ResidentNumber::Sementara(t) => t.fmt(f),
        }
    }
}

impl fmt::Debug for ResidentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResidentNumber::Nik(n) => n.fmt(f),
            ResidentNumber::Sementara(t) => t.fmt(f),
        }
    }
}

impl Serialize for ResidentNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ResidentNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}
