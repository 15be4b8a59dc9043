//! How domain values map to column values and back: region codes and
//! identity numbers as integers, dates as day numbers, instants as unix
//! milliseconds, codes as their numbers.

use balai_domain::{KodeWilayah, Nik, NoKk, RegionLevel, ResidentNumber};
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::error::StoreError;

/// A row id as stored: the UUID's 16 bytes (BLOB on SQLite — how sqlx's
/// SQLite driver has always stored `Uuid`, so older databases read the same —
/// and BYTEA on PostgreSQL). sqlx's `Any` driver has no UUID type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Id(pub Uuid);

impl From<Id> for Uuid {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl Type<Any> for Id {
    fn type_info() -> AnyTypeInfo {
        <Vec<u8> as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <Vec<u8> as Type<Any>>::compatible(ty)
    }
}

impl Encode<'_, Any> for Id {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <Vec<u8> as Encode<Any>>::encode(self.0.as_bytes().to_vec(), buf)
    }
}

impl<'r> Decode<'r, Any> for Id {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let bytes = <&[u8] as Decode<Any>>::decode(value)?;
        Ok(Id(Uuid::from_slice(bytes)?))
    }
}

const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A date as days since 1970-01-01. An i64, as every integer column is
/// BIGINT on PostgreSQL: a bound i32 there is 4 bytes where 8 are read
/// ("insufficient data left in message").
pub(crate) fn day_number(d: Date) -> i64 {
    i64::from(d.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
}

/// Inverse of [`day_number`].
pub(crate) fn date_from_day_number(n: i64) -> Result<Date, StoreError> {
    i32::try_from(n)
        .ok()
        .and_then(|n| Date::from_julian_day(n + UNIX_EPOCH_JULIAN_DAY).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("day number {n} is not a date")))
}

/// An instant as stored: Unix milliseconds.
pub(crate) fn millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Unix milliseconds back to an instant.
pub(crate) fn instant_from_millis(ms: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|_| StoreError::Corrupt(format!("{ms} is not a timestamp")))
}

/// A region code as stored: its plain digits as a number.
pub(crate) fn kode(k: KodeWilayah) -> i64 {
    k.as_u64() as i64
}

/// Inverse of [`kode`]; the digit count gives the level.
pub(crate) fn kode_from(n: i64) -> Result<KodeWilayah, StoreError> {
    KodeWilayah::parse(&n.to_string()).map_err(corrupt)
}

/// The stored codes at `level` that lie inside `within` (all of them for `None`),
/// as an inclusive range.
pub(crate) fn code_range(within: Option<KodeWilayah>, level: RegionLevel) -> (i64, i64) {
    match within {
        None => (0, 10_i64.pow(level.digits() as u32) - 1),
        Some(k) => {
            let shift = 10_i64.pow(level.digits().saturating_sub(k.level().digits()) as u32);
            (kode(k) * shift, (kode(k) + 1) * shift - 1)
        }
    }
}

/// A NIK or temporary number as stored: its 16 digits as a number.
pub(crate) fn number(n: &ResidentNumber) -> i64 {
    digits_i64(&n.to_string())
}

/// Inverse of [`number`]; temporary numbers regain their leading zero.
pub(crate) fn number_from(n: i64) -> Result<ResidentNumber, StoreError> {
    ResidentNumber::parse(&format!("{n:016}")).map_err(corrupt)
}

/// A NIK as stored.
pub(crate) fn nik(n: &Nik) -> i64 {
    digits_i64(n.as_str())
}

/// Inverse of [`nik`].
pub(crate) fn nik_from(n: i64) -> Result<Nik, StoreError> {
    Nik::parse(&format!("{n:016}")).map_err(corrupt)
}

/// A No. KK as stored.
pub(crate) fn no_kk(n: &NoKk) -> i64 {
    digits_i64(n.as_str())
}

fn digits_i64(s: &str) -> i64 {
    s.bytes().fold(0i64, |a, b| a * 10 + i64::from(b - b'0'))
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(date!(1970 - 01 - 01)), 0);
        for d in [date!(1900 - 03 - 01), date!(2026 - 11 - 22)] {
            assert_eq!(date_from_day_number(day_number(d)).unwrap(), d);
        }
    }

    #[test]
    fn numbers_round_trip_including_temporary_ones() {
        for s in ["3310015708890003", "0331001200100042"] {
            let n = ResidentNumber::parse(s).unwrap();
            assert_eq!(number_from(number(&n)).unwrap(), n);
        }
        assert!(
            number(&ResidentNumber::parse("0331001200100042").unwrap()) < 1_000_000_000_000_000
        );
    }

    #[test]
    fn code_ranges_select_descendants() {
        let klaten = KodeWilayah::parse("3310").unwrap();
        assert_eq!(
            code_range(Some(klaten), RegionLevel::Village),
            (3_310_000_000, 3_310_999_999)
        );
        assert_eq!(
            code_range(Some(klaten), RegionLevel::District),
            (331_000, 331_099)
        );
        assert_eq!(kode_from(kode(klaten)).unwrap(), klaten);
        assert_eq!(code_range(None, RegionLevel::Village), (0, 9_999_999_999));
    }
}
