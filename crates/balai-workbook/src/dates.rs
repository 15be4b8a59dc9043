//! Dates written as text: the orders villages use (`1996-03-10`,
//! `10-03-1996`, `10/03/1996`), optionally followed by a midnight time.

use time::{Date, Month};

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// Not in any accepted layout.
    Unrecognised,
    /// In an accepted layout, but no such day exists (e.g. `31-02-1990`).
    NoSuchDay(String),
}

/// Parses `YYYY-MM-DD`, `DD-MM-YYYY` or `DD/MM/YYYY` (any of `-`, `/`, `.`
/// as separator, one- or two-digit day and month), ignoring a trailing time.
pub(crate) fn parse_text(input: &str) -> Result<Date, DateProblem> {
    let s = input.trim();
    let (date_part, rest) = match s.find([' ', 'T']) {
        Some(at) => (&s[..at], s[at + 1..].trim()),
        None => (s, ""),
    };
    // Database exports append `00:00:00`; anything else after the date is not ours to guess.
    if !rest
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return Err(DateProblem::Unrecognised);
    }
    let sep = date_part
        .chars()
        .find(|c| matches!(c, '-' | '/' | '.'))
        .ok_or(DateProblem::Unrecognised)?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return Err(DateProblem::Unrecognised);
    };
    let digits = |p: &str, max: usize| {
        (!p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i32>().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (digits(a, 4), digits(b, 2), digits(c, 2))
    } else if c.len() == 4 {
        (digits(c, 4), digits(b, 2), digits(a, 2))
    } else {
        return Err(DateProblem::Unrecognised);
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(DateProblem::Unrecognised);
    };
    u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .zip(u8::try_from(day).ok())
        .and_then(|(m, d)| Date::from_calendar_date(year, m, d).ok())
        .ok_or_else(|| DateProblem::NoSuchDay(format!("{day:02}-{month:02}-{year:04}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn accepts_the_layouts_villages_use() {
        for s in [
            "1996-03-10",
            "10-03-1996",
            "10/03/1996",
            "10.03.1996",
            "1996/3/10",
            "10-3-1996",
            " 1996-03-10 00:00:00 ",
            "1996-03-10T00:00:00.000",
        ] {
            assert_eq!(parse_text(s), Ok(date!(1996 - 03 - 10)), "{s}");
        }
    }

    #[test]
    fn rejects_other_text_and_impossible_days() {
        for s in [
            "",
            "10-03-96",
            "1996-03",
            "March 10, 1996",
            "1996-03-10 pagi",
            "1996-03/10",
        ] {
            assert_eq!(parse_text(s), Err(DateProblem::Unrecognised), "{s}");
        }
        assert_eq!(
            parse_text("31-02-1990"),
            Err(DateProblem::NoSuchDay("31-02-1990".into()))
        );
        assert_eq!(
            parse_text("1990-13-01"),
            Err(DateProblem::NoSuchDay("01-13-1990".into()))
        );
    }
}
