//! A person's name as written on the KK.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    /// Nothing but whitespace.
    #[error("a name cannot be empty")]
    Empty,
    /// Longer than the KK form allows.
    #[error("a name has at most {max} characters, this one has {len}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length found.
        len: usize,
    },
    /// A character no name on a KK contains.
    #[error("{ch:?} at position {position} cannot appear in a name")]
    BadCharacter {
        /// The character.
        ch: char,
        /// 1-based position.
        position: usize,
    },
}

/// A trimmed, non-empty name of letters, spaces and `.,'-` (as on a KK).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Longest name accepted (Dukcapil's field is 60; some records carry titles).
    pub const MAX: usize = 100;

    /// Trims and collapses inner whitespace, then checks length and characters.
    pub fn parse(input: &str) -> Result<Self, PersonNameError> {
        let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(PersonNameError::Empty);
        }
        let len = collapsed.chars().count();
        if len > Self::MAX {
            return Err(PersonNameError::TooLong {
                max: Self::MAX,
                len,
            });
        }
        for (i, ch) in collapsed.chars().enumerate() {
            if !(ch.is_alphabetic() || matches!(ch, ' ' | '.' | ',' | '\'' | '-' | '`' | '’')) {
                return Err(PersonNameError::BadCharacter {
                    ch,
                    position: i + 1,
                });
            }
        }
        Ok(Self(collapsed))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lowercase with accents folded (`Ñoño` → `nono`): what name search compares.
    pub fn search_key(&self) -> String {
        search_key(&self.0)
    }

    /// Initials with the rest hidden, e.g. `B*** S*****`, for public pages.
    pub fn masked(&self) -> String {
        self.0
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                let first = cs.next().map(String::from).unwrap_or_default();
                first + &"*".repeat(cs.count())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Folds any text the way [`PersonName::search_key`] does, for search queries.
pub fn search_key(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    // Names are personal data: keep them out of debug logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.masked())
    }
}

impl Serialize for PersonName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PersonName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_masks() {
        let n = PersonName::parse("  Budi   Santoso ").unwrap();
        assert_eq!(n.as_str(), "Budi Santoso");
        assert_eq!(n.masked(), "B*** S******");
        assert_eq!(
            PersonName::parse("Siti Nur'aini Ñoño")
                .unwrap()
                .search_key(),
            "siti nur'aini nono"
        );
        assert_eq!(search_key("  SÍTI   nur "), "siti nur");
        assert_eq!(
            PersonName::parse("WAHID ALIAS H. MAHSUN").unwrap().as_str(),
            "WAHID ALIAS H. MAHSUN"
        );
        assert_eq!(PersonName::parse(" "), Err(PersonNameError::Empty));
        assert_eq!(
            PersonName::parse("Budi<script>"),
            Err(PersonNameError::BadCharacter {
                ch: '<',
                position: 5
            })
        );
    }
}
