//! Letter numbering: a per-village format built from tokens, and which
//! counter a letter draws its sequence number from.

use std::fmt::Write;

use time::Date;

use crate::kode_wilayah::KodeWilayah;
use crate::letter_kind::LetterKind;

/// One piece of a number format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    Classification,
    Sequence(usize),
    Village,
    Month,
    RomanMonth,
    Year,
}

/// A village's number format, e.g. `{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}`
/// → `474.4/012/2001/XI/2026`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    tokens: Vec<Token>,
    source: String,
}

/// Why a number format was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberFormatError {
    /// A `{…}` that is not a known token.
    #[error(
        "penanda {{{0}}} tidak dikenal: pakai {{kode}}, {{nomor}} atau {{nomor:N}}, {{desa}}, {{bulan}}, {{bulan_romawi}}, {{tahun}}"
    )]
    UnknownToken(String),
    /// A `{` without its `}`.
    #[error("'{{' pada posisi {0} tidak ditutup")]
    Unclosed(usize),
    /// No sequence number: letters would share numbers.
    #[error("format harus memuat {{nomor}}")]
    NoSequence,
    /// Padding outside 1-6.
    #[error("{{nomor:{0}}}: panjang nomor harus 1 sampai 6 digit")]
    Padding(usize),
}

impl NumberFormat {
    /// The common default (DOMAIN.md).
    pub const DEFAULT: &'static str = "{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}";

    /// Parses a format string.
    pub fn parse(input: &str) -> Result<Self, NumberFormatError> {
        let mut tokens = Vec::new();
        let mut literal = String::new();
        let mut rest = input.trim();
        let start_len = rest.len();
        while let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or(NumberFormatError::Unclosed(
                start_len - rest.len() + open + 1,
            ))?;
            let name = &after[..close];
            if !literal.is_empty() {
                tokens.push(Token::Literal(std::mem::take(&mut literal)));
            }
            tokens.push(match name {
                "kode" => Token::Classification,
                "nomor" => Token::Sequence(3),
                "desa" => Token::Village,
                "bulan" => Token::Month,
                "bulan_romawi" => Token::RomanMonth,
                "tahun" => Token::Year,
                other => match other
                    .strip_prefix("nomor:")
                    .and_then(|w| w.parse::<usize>().ok())
                {
                    Some(w) if (1..=6).contains(&w) => Token::Sequence(w),
                    Some(w) => return Err(NumberFormatError::Padding(w)),
                    None => return Err(NumberFormatError::UnknownToken(other.to_string())),
                },
            });
            rest = &after[close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            tokens.push(Token::Literal(literal));
        }
        if !tokens.iter().any(|t| matches!(t, Token::Sequence(_))) {
            return Err(NumberFormatError::NoSequence);
        }
        Ok(Self {
            tokens,
            source: input.trim().to_string(),
        })
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The number of the `seq`-th letter of `kind` issued by `village` on `date`.
    pub fn render(&self, seq: u32, kind: LetterKind, village: KodeWilayah, date: Date) -> String {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Token::Literal(s) => out.push_str(s),
                Token::Classification => out.push_str(kind.classification()),
                Token::Sequence(w) => write!(out, "{seq:0w$}").expect("writing to a String"),
                Token::Village => out.push_str(&village.plain()[6..]),
                Token::Month => {
                    write!(out, "{:02}", u8::from(date.month())).expect("writing to a String")
                }
                Token::RomanMonth => out.push_str(roman_month(u8::from(date.month()))),
                Token::Year => write!(out, "{}", date.year()).expect("writing to a String"),
            }
        }
        out
    }
}

/// The month in Roman numerals, as letter numbers write it.
pub fn roman_month(m: u8) -> &'static str {
    [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ][usize::from(m.clamp(1, 12) - 1)]
}

/// Which letters share a counter. Every counter restarts each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceScope {
    /// One counter per letter kind; kinds that share an archive
    /// classification (e.g. Umum and Pengantar, both 470) share one, or the
    /// default format would give both the same number.
    PerKind,
    /// One counter for all service letters.
    AllLetters,
    /// One counter for every numbered document of the village (service letters and, later, outgoing mail).
    Global,
}

impl SequenceScope {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SequenceScope::PerKind => "per-jenis",
            SequenceScope::AllLetters => "semua-surat",
            SequenceScope::Global => "global",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            SequenceScope::PerKind,
            SequenceScope::AllLetters,
            SequenceScope::Global,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// The counter a letter of `kind` issued in `year` draws from.
    pub fn counter(self, kind: LetterKind, year: i32) -> String {
        match self {
            SequenceScope::PerKind => format!("{}/{year}", counter_kind(kind).code()),
            SequenceScope::AllLetters => format!("surat/{year}"),
            SequenceScope::Global => format!("global/{year}"),
        }
    }
}

/// The kind whose counter `kind` draws from under [`SequenceScope::PerKind`]:
/// the first kind (in menu order) with the same classification, so kinds
/// with their own classification keep their own counter.
fn counter_kind(kind: LetterKind) -> LetterKind {
    LetterKind::ALL
        .into_iter()
        .find(|k| k.classification() == kind.classification())
        .unwrap_or(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_format_matches_the_common_practice() {
        let f = NumberFormat::parse(NumberFormat::DEFAULT).unwrap();
        let v = KodeWilayah::parse("33.10.01.2001").unwrap();
        assert_eq!(
            f.render(12, LetterKind::Domisili, v, date!(2026 - 11 - 22)),
            "474.4/012/2001/XI/2026"
        );
        let g = NumberFormat::parse("{nomor:4}/SKU/{bulan}.{tahun}").unwrap();
        assert_eq!(
            g.render(7, LetterKind::Usaha, v, date!(2026 - 03 - 01)),
            "0007/SKU/03.2026"
        );
    }

    #[test]
    fn bad_formats_say_why() {
        assert_eq!(
            NumberFormat::parse("{kode}/{tahun}"),
            Err(NumberFormatError::NoSequence)
        );
        assert_eq!(
            NumberFormat::parse("{nomer}"),
            Err(NumberFormatError::UnknownToken("nomer".into()))
        );
        assert_eq!(
            NumberFormat::parse("{nomor:9}"),
            Err(NumberFormatError::Padding(9))
        );
        assert_eq!(
            NumberFormat::parse("x/{nomor"),
            Err(NumberFormatError::Unclosed(3))
        );
    }

    #[test]
    fn regression_per_kind_numbers_repeated_across_kinds_sharing_a_classification() {
        // Umum and Pengantar (470), Kehilangan and Pengantar SKCK (331): with
        // separate counters, the first of each got 470/001/…, and the archive
        // refused the second letter for every number the first had used.
        let f = NumberFormat::parse(NumberFormat::DEFAULT).unwrap();
        let v = KodeWilayah::parse("33.10.01.2001").unwrap();
        let day = date!(2026 - 11 - 22);
        for a in LetterKind::ALL {
            for b in LetterKind::ALL {
                if f.render(1, a, v, day) == f.render(1, b, v, day) {
                    assert_eq!(
                        SequenceScope::PerKind.counter(a, 2026),
                        SequenceScope::PerKind.counter(b, 2026),
                        "{a:?} and {b:?} print the same numbers from different counters"
                    );
                }
            }
        }
        assert_eq!(
            SequenceScope::PerKind.counter(LetterKind::Pengantar, 2026),
            "umum/2026"
        );
    }

    #[test]
    fn counters_restart_every_year_and_follow_the_scope() {
        assert_eq!(
            SequenceScope::PerKind.counter(LetterKind::Usaha, 2026),
            "usaha/2026"
        );
        assert_ne!(
            SequenceScope::PerKind.counter(LetterKind::Usaha, 2026),
            SequenceScope::PerKind.counter(LetterKind::Usaha, 2027)
        );
        assert_eq!(
            SequenceScope::AllLetters.counter(LetterKind::Usaha, 2026),
            SequenceScope::AllLetters.counter(LetterKind::Domisili, 2026)
        );
        assert_eq!(
            SequenceScope::parse("semua-surat"),
            Some(SequenceScope::AllLetters)
        );
    }
}
