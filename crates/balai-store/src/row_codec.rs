//! How domain values map to column values (dates as day numbers, instants as
//! unix milliseconds, codes as integers) and back.

use time::{Date, OffsetDateTime};

use crate::error::StoreError;

const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A date as days since 1970-01-01.
pub(crate) fn day_number(d: Date) -> i32 {
    d.to_julian_day() - UNIX_EPOCH_JULIAN_DAY
}

/// Inverse of [`day_number`].
pub(crate) fn date_from_day_number(n: i64) -> Result<Date, StoreError> {
    i32::try_from(n)
        .ok()
        .and_then(|n| Date::from_julian_day(n + UNIX_EPOCH_JULIAN_DAY).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("day number {n} is not a date")))
}

/// Unix milliseconds back to an instant.
pub(crate) fn instant_from_millis(ms: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|_| StoreError::Corrupt(format!("{ms} is not a timestamp")))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(super::day_number(date!(1970 - 01 - 01)), 0);
        for d in [date!(1900 - 03 - 01), date!(2026 - 11 - 22)] {
            assert_eq!(super::date_from_day_number(super::day_number(d).into()).unwrap(), d);
        }
    }
}
