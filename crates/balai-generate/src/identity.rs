//! Serial allocators for NIKs, family card numbers and temporary numbers.
//! They live in the generator, not in one village, so numbers stay unique
//! across every village a generator produces (a regency shares NIK space).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher};

use balai_domain::codes::Sex;
use balai_domain::{KodeWilayah, Nik, NoKk, NomorSementara};
use time::Date;

// A fixed-key hasher: `RandomState` would read OS randomness, and the generator is pure.
type Fixed = BuildHasherDefault<DefaultHasher>;

/// The next free serial of every NIK, KK and temporary-number series.
#[derive(Debug, Clone, Default)]
pub(crate) struct Serials {
    nik: HashMap<(u64, i32, Sex), u16, Fixed>,
    kk: HashMap<(u64, i32), u16, Fixed>,
    temporary: HashMap<u64, u32, Fixed>,
}

impl Serials {
    /// A fresh NIK for someone born on `birth` with `sex`, first issued in
    /// `district`; `None` once that day's 9,999 serials are used up.
    pub(crate) fn nik(&mut self, district: KodeWilayah, birth: Date, sex: Sex) -> Option<Nik> {
        let last = self
            .nik
            .entry((district.as_u64(), birth.to_julian_day(), sex))
            .or_insert(0);
        if *last == 9999 {
            return None;
        }
        *last += 1;
        Nik::from_parts(district, birth, sex, *last).ok()
    }

    /// A fresh family card number recorded in `district` on `recorded`.
    pub(crate) fn no_kk(&mut self, district: KodeWilayah, recorded: Date) -> Option<NoKk> {
        let last = self
            .kk
            .entry((district.as_u64(), recorded.to_julian_day()))
            .or_insert(0);
        if *last == 9999 {
            return None;
        }
        *last += 1;
        NoKk::from_parts(district, recorded, *last)
    }

    /// The village's next temporary number.
    pub(crate) fn temporary(&mut self, village: KodeWilayah) -> Option<NomorSementara> {
        let last = self.temporary.entry(village.as_u64()).or_insert(0);
        if *last == NomorSementara::MAX_SEQ {
            return None;
        }
        *last += 1;
        NomorSementara::new(village, *last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn serials_count_up_per_series_and_run_out() {
        let mut s = Serials::default();
        let d = KodeWilayah::parse("331001").unwrap();
        let birth = date!(1989 - 08 - 17);
        let a = s.nik(d, birth, Sex::Perempuan).unwrap();
        let b = s.nik(d, birth, Sex::Perempuan).unwrap();
        let c = s.nik(d, birth, Sex::LakiLaki).unwrap();
        assert_eq!((a.serial(), b.serial(), c.serial()), (1, 2, 1));
        assert_eq!(a.as_str(), "3310015708890001");
        for _ in 2..9999 {
            s.nik(d, birth, Sex::Perempuan).unwrap();
        }
        assert_eq!(s.nik(d, birth, Sex::Perempuan), None);
        assert_eq!(
            s.no_kk(d, date!(2010 - 03 - 12)).unwrap().as_str(),
            "3310011203100001"
        );
        let v = KodeWilayah::parse("3310012001").unwrap();
        assert_eq!(s.temporary(v).unwrap().seq(), 1);
        assert_eq!(s.temporary(v).unwrap().seq(), 2);
    }
}
