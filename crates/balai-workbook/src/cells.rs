//! One spreadsheet cell as the importer sees it, whatever the file format:
//! text, number, date or error, and how each reads as text.

use std::borrow::Cow;

use calamine::{Data, DataRef, ExcelDateTime, ExcelDateTimeType};
use time::{Date, Month};

/// Excel's last serial date (9999-12-31) plus one.
const SERIAL_END: f64 = 2_958_466.0;

/// A cell's value. Text borrows from the workbook's shared strings where it can.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Cell<'a> {
    /// No value.
    #[default]
    Empty,
    /// Text, untrimmed.
    Text(Cow<'a, str>),
    /// An exact integer (xls RK values, some writers' integers).
    Int(i64),
    /// A number: Excel keeps every number as a 64-bit float.
    Float(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A cell formatted as a date: the calendar date (None when the serial is
    /// not one) and the raw serial.
    Date(Option<Date>, f64),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

impl<'a> Cell<'a> {
    /// A value from the streaming xlsx reader.
    pub(crate) fn from_ref(value: DataRef<'a>) -> Self {
        match value {
            DataRef::Empty => Cell::Empty,
            DataRef::SharedString(s) => Cell::Text(Cow::Borrowed(s)),
            DataRef::String(s) | DataRef::DurationIso(s) => Cell::Text(Cow::Owned(s)),
            DataRef::Int(i) => Cell::Int(i),
            DataRef::Float(f) => Cell::Float(f),
            DataRef::Bool(b) => Cell::Bool(b),
            DataRef::DateTime(dt) => Self::from_excel_date(&dt),
            DataRef::DateTimeIso(s) => Self::from_iso(s),
            DataRef::Error(e) => Cell::Error(e.to_string()),
        }
    }

    /// A value from a whole-sheet range (xls).
    pub(crate) fn from_data(value: &'a Data) -> Self {
        match value {
            Data::Empty => Cell::Empty,
            Data::String(s) | Data::DurationIso(s) => Cell::Text(Cow::Borrowed(s)),
            Data::Int(i) => Cell::Int(*i),
            Data::Float(f) => Cell::Float(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => Self::from_excel_date(dt),
            Data::DateTimeIso(s) => Self::from_iso(s.clone()),
            Data::Error(e) => Cell::Error(e.to_string()),
        }
    }

    fn from_excel_date(dt: &ExcelDateTime) -> Self {
        if dt.is_duration() {
            return Cell::Float(dt.as_f64());
        }
        Cell::Date(calendar_date(dt), dt.as_f64())
    }

    fn from_iso(s: String) -> Self {
        match crate::dates::parse_text(&s) {
            Ok(d) => Cell::Date(Some(d), f64::NAN),
            Err(_) => Cell::Text(Cow::Owned(s)),
        }
    }

    /// True when the cell holds nothing but whitespace.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as the user would read it, trimmed: integral numbers without
    /// a decimal point, dates as `YYYY-MM-DD`.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.trim()),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Float(f) => Cow::Owned(number_text(*f)),
            Cell::Bool(true) => Cow::Borrowed("TRUE"),
            Cell::Bool(false) => Cow::Borrowed("FALSE"),
            Cell::Date(Some(d), _) => Cow::Owned(iso(*d)),
            Cell::Date(None, serial) => Cow::Owned(number_text(*serial)),
            Cell::Error(e) => Cow::Borrowed(e),
        }
    }
}

/// A number as text; Rust's `Display` never switches to exponent notation,
/// so a NIK stored as a number prints all its (surviving) digits.
pub(crate) fn number_text(f: f64) -> String {
    format!("{f}")
}

/// `YYYY-MM-DD`.
pub(crate) fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The date an Excel serial number stands for (1900 date system), if any.
pub(crate) fn serial_date(serial: f64) -> Option<Date> {
    calendar_date(&ExcelDateTime::new(
        serial,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

fn calendar_date(dt: &ExcelDateTime) -> Option<Date> {
    // to_ymd_hms_milli clamps out-of-range serials to the epoch or to 9999-12-31;
    // a clamped value would be a silently wrong date, so reject them here.
    let serial = dt.as_f64();
    if !(0.0..SERIAL_END).contains(&serial) {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    // Serial 60 is Excel's fictitious 1900-02-29, which from_calendar_date refuses.
    Date::from_calendar_date(i32::from(y), Month::try_from(m).ok()?, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn numbers_read_as_the_digits_a_user_typed() {
        assert_eq!(number_text(4433.0), "4433");
        assert_eq!(number_text(5_201_145_003_976_995.0), "5201145003976995");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(Cell::Int(7).text(), "7");
    }

    #[test]
    fn serials_follow_the_1900_date_system() {
        assert_eq!(serial_date(35134.0), Some(date!(1996 - 03 - 10)));
        assert_eq!(serial_date(61.0), Some(date!(1900 - 03 - 01)));
        assert_eq!(serial_date(60.0), None);
        assert_eq!(serial_date(-1.0), None);
        assert_eq!(serial_date(3e6), None);
        assert_eq!(serial_date(f64::NAN), None);
    }

    #[test]
    fn blank_means_whitespace_only() {
        assert!(Cell::Text(Cow::Borrowed(" \t")).is_blank());
        assert!(!Cell::Float(0.0).is_blank());
        assert_eq!(Cell::Text(Cow::Borrowed(" 004 ")).text(), "004");
    }
}
