//! "Is this what the letter says?": a verifier types a field printed on the
//! paper (the NIK, or the birth date) and learns only whether it matches the
//! sealed letter. The stored value is never shown, and the comparison takes
//! the same time wherever the strings differ.

use crate::db::Db;
use balai_letters::LetterStatement;

use crate::error::ServiceError;
use crate::secrets::constant_time_eq;

/// Which printed field is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedField {
    /// The NIK (or temporary number).
    Nik,
    /// The birth date of "Tempat/Tgl. Lahir".
    BirthDate,
}

impl CheckedField {
    /// `nik` or `tanggal_lahir`, as the form sends it.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nik" => Some(Self::Nik),
            "tanggal_lahir" => Some(Self::BirthDate),
            _ => None,
        }
    }

    /// The form value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nik => "nik",
            Self::BirthDate => "tanggal_lahir",
        }
    }
}

/// The answer; never the stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldCheck {
    /// What was typed is what the letter says.
    Match,
    /// It is not.
    NoMatch,
    /// A date that could not be read (say how to write it).
    Unreadable,
    /// The letter's seal does not hold this field (issued before v2).
    Unavailable,
}

/// Compares `typed` with `field` of the letter whose verification token is
/// `token`, as sealed. `None` when no letter has that token.
pub async fn check_field(
    db: &Db,
    token: &str,
    field: CheckedField,
    typed: &str,
) -> Result<Option<FieldCheck>, ServiceError> {
    let store = db.store();
    if !super::plausible_token(token) {
        return Ok(None);
    }
    let Some(letter) = store.letter_by_token(token).await? else {
        return Ok(None);
    };
    // Letters from before v2 seal no identity fields: nothing to compare with.
    let Ok(statement) = LetterStatement::from_json(&letter.statement) else {
        return Ok(Some(FieldCheck::Unavailable));
    };
    Ok(Some(compare(&statement, field, typed)))
}

fn compare(statement: &LetterStatement, field: CheckedField, typed: &str) -> FieldCheck {
    match field {
        CheckedField::Nik => {
            let stored = statement
                .subject_field("NIK")
                .or_else(|| statement.subject_field("Nomor sementara"));
            let Some(stored) = stored else {
                return FieldCheck::Unavailable;
            };
            // Digits only: "3310 0101 …" and "3310.0101…" are the same NIK.
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let typed = digits(typed);
            if !typed.is_empty() && constant_time_eq(&typed, &digits(stored)) {
                FieldCheck::Match
            } else {
                FieldCheck::NoMatch
            }
        }
        CheckedField::BirthDate => {
            let Some(stored) = statement
                .subject_field("Tempat/Tgl. Lahir")
                .and_then(|v| v.rsplit(',').next())
                .and_then(parse_date)
            else {
                return FieldCheck::Unavailable;
            };
            match parse_date(typed) {
                None => FieldCheck::Unreadable,
                Some(d) if constant_time_eq(&d, &stored) => FieldCheck::Match,
                Some(_) => FieldCheck::NoMatch,
            }
        }
    }
}

/// A date as `YYYY-MM-DD` from "17 Agustus 1990", "17-08-1990",
/// "17/08/1990" or "1990-08-17" (Indonesian or English month names).
fn parse_date(s: &str) -> Option<String> {
    const MONTHS: [[&str; 2]; 12] = [
        ["januari", "january"],
        ["februari", "february"],
        ["maret", "march"],
        ["april", "april"],
        ["mei", "may"],
        ["juni", "june"],
        ["juli", "july"],
        ["agustus", "august"],
        ["september", "september"],
        ["oktober", "october"],
        ["november", "november"],
        ["desember", "december"],
    ];
    let parts: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == '.')
        .filter(|p| !p.is_empty())
        .map(str::to_lowercase)
        .collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let month = |m: &str| -> Option<u32> {
        m.parse::<u32>().ok().or_else(|| {
            MONTHS
                .iter()
                .position(|names| {
                    names
                        .iter()
                        .any(|n| *n == m || (m.len() >= 3 && n.starts_with(m)))
                })
                .and_then(|i| u32::try_from(i + 1).ok())
        })
    };
    let (y, m, d) = if a.len() == 4 {
        (a.parse::<i32>().ok()?, month(b)?, c.parse::<u32>().ok()?)
    } else {
        (c.parse::<i32>().ok()?, month(b)?, a.parse::<u32>().ok()?)
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_read_in_the_forms_people_write() {
        for s in [
            "17 Agustus 1990",
            "17 agustus 1990",
            "17-08-1990",
            "17/8/1990",
            "1990-08-17",
            " 17  Agu 1990 ",
            "17 August 1990",
        ] {
            assert_eq!(parse_date(s).as_deref(), Some("1990-08-17"), "{s}");
        }
        for s in ["", "1990", "31-02-1990", "17 Augustus", "x y z"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
