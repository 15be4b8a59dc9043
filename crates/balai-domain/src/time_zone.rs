//! Indonesia's three time zones and which one a region keeps, from its
//! province code: the one mapping every local time shown to staff, residents
//! or visitors goes through (times are stored in UTC).

use time::{OffsetDateTime, UtcOffset};

use crate::KodeWilayah;

/// Waktu Indonesia Barat, Tengah or Timur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZonaWaktu {
    /// UTC+7: Sumatra, Java, West and Central Kalimantan.
    Wib,
    /// UTC+8: Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi.
    Wita,
    /// UTC+9: Maluku and Papua.
    Wit,
}

impl ZonaWaktu {
    /// The zone of the province that `region` lies in (Permendagri
    /// province codes; Keppres 41/1987 zones). Codes are grouped by island:
    /// 1x Sumatra, 3x Java, 5x Bali–Nusa Tenggara, 6x Kalimantan,
    /// 7x Sulawesi, 8x Maluku, 9x Papua (the 2022 Papua provinces included).
    pub fn of(region: KodeWilayah) -> ZonaWaktu {
        let digits = region.level().digits() as u32;
        let province = region.as_u64() / 10u64.pow(digits - 2);
        match province {
            51..=53 | 63..=65 | 71..=79 => ZonaWaktu::Wita,
            80..=99 => ZonaWaktu::Wit,
            // 1x, 2x (Riau Islands), 3x, 61–62; an unknown code keeps the
            // capital's zone.
            _ => ZonaWaktu::Wib,
        }
    }

    /// The offset from UTC.
    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            ZonaWaktu::Wib => 7,
            ZonaWaktu::Wita => 8,
            ZonaWaktu::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).expect("7 to 9 hours is an offset")
    }

    /// The abbreviation written after a time: `WIB`, `WITA`, `WIT`.
    pub fn label(self) -> &'static str {
        match self {
            ZonaWaktu::Wib => "WIB",
            ZonaWaktu::Wita => "WITA",
            ZonaWaktu::Wit => "WIT",
        }
    }

    /// `at` on this zone's clocks.
    pub fn local(self, at: OffsetDateTime) -> OffsetDateTime {
        at.to_offset(self.offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn zone(code: &str) -> ZonaWaktu {
        ZonaWaktu::of(KodeWilayah::parse(code).unwrap())
    }

    #[test]
    fn each_province_keeps_its_islands_zone() {
        for (code, z) in [
            ("11", ZonaWaktu::Wib),         // Aceh
            ("21", ZonaWaktu::Wib),         // Kepulauan Riau
            ("3310012001", ZonaWaktu::Wib), // a village in Klaten
            ("61", ZonaWaktu::Wib),         // Kalimantan Barat
            ("62.01", ZonaWaktu::Wib),      // Kalimantan Tengah
            ("51.71", ZonaWaktu::Wita),     // Denpasar
            ("53", ZonaWaktu::Wita),        // NTT
            ("63", ZonaWaktu::Wita),        // Kalimantan Selatan
            ("65", ZonaWaktu::Wita),        // Kalimantan Utara
            ("73.71.01", ZonaWaktu::Wita),  // Makassar
            ("76", ZonaWaktu::Wita),        // Sulawesi Barat
            ("81", ZonaWaktu::Wit),         // Maluku
            ("82", ZonaWaktu::Wit),         // Maluku Utara
            ("91", ZonaWaktu::Wit),         // Papua
            ("96", ZonaWaktu::Wit),         // Papua Barat Daya
        ] {
            assert_eq!(zone(code), z, "{code}");
        }
    }

    #[test]
    fn local_time_is_utc_plus_seven_eight_or_nine() {
        let at = datetime!(2026-11-22 03:00 UTC);
        assert_eq!(ZonaWaktu::Wib.local(at).hour(), 10);
        assert_eq!(ZonaWaktu::Wita.local(at).hour(), 11);
        assert_eq!(ZonaWaktu::Wit.local(at).hour(), 12);
        assert_eq!(zone("91").label(), "WIT");
    }
}
