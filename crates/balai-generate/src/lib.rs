//! Seeded, deterministic generator of realistic Indonesian village population
//! data: families (KK), residents with NIKs that agree with their birth date
//! and sex, and five years of life events whose replay gives each resident's
//! status. Pure: no I/O, no clock, no threads. The same seed, as-of date and
//! sequence of [`Generator::village`] calls always give identical output.
//!
//! ```
//! use balai_domain::KodeWilayah;
//! use balai_generate::{DEFAULT_AS_OF, Generator};
//!
//! let klaten = |c: &str| KodeWilayah::parse(c).unwrap();
//! let mut generator = Generator::new(42, DEFAULT_AS_OF, vec![klaten("331001"), klaten("331002")]);
//! let data = generator.village(klaten("3310012001"), 500);
//! assert_eq!(data.residents.len(), 500);
//! ```

mod attributes;
mod details;
mod hamlets;
mod history;
mod households;
mod identity;
mod ids;
mod names;
mod places;
mod records;
mod weighted;

use balai_domain::codes::StatusDasar;
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{KodeWilayah, RegionLevel, Resident};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::identity::Serials;
use crate::ids::IdClock;

/// The default as-of date (2026-11-01): fixed so the same seed always gives the same data.
pub const DEFAULT_AS_OF: Date = time::macros::date!(2026 - 11 - 01);

/// Everything generated for one village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageData {
    /// The village code (the tenant key of every record below).
    pub village: KodeWilayah,
    /// Family cards, in creation order.
    pub families: Vec<Family>,
    /// Residents, including the dead and those who moved away, in creation order.
    pub residents: Vec<Resident>,
    /// Life events of the five years before the as-of date, per resident in date order.
    pub events: Vec<LifeEvent>,
    /// Status at registration per resident id (`None` = registered by a Lahir/PindahMasuk
    /// event); replaying `derive_status(baseline, their events)` gives `Resident::status`.
    pub baselines: Vec<(Uuid, Option<StatusDasar>)>,
}

/// A seeded generator of village populations; NIK, No. KK and temporary-number
/// serials stay unique across every village it generates.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: ChaCha8Rng,
    as_of: Date,
    districts: Vec<KodeWilayah>,
    serials: Serials,
    ids: IdClock,
}

impl Generator {
    /// A generator for data as of `as_of`. `districts`: district codes of the
    /// regency (for people whose NIK was issued elsewhere); may be empty.
    /// Village codes are reduced to their district; province and regency codes are ignored.
    pub fn new(seed: u64, as_of: Date, districts: Vec<KodeWilayah>) -> Self {
        let mut districts: Vec<KodeWilayah> = districts
            .into_iter()
            .filter_map(|d| d.ancestor(RegionLevel::District))
            .collect();
        districts.sort();
        districts.dedup();
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            as_of,
            districts,
            serials: Serials::default(),
            ids: IdClock::new(as_of),
        }
    }

    /// Generates one village with exactly `residents` residents (the last
    /// household is cut to fit), counting everyone including the dead and
    /// moved-out history; 0 gives empty data. Calling it again for the same
    /// village continues its number series rather than repeating them.
    ///
    /// # Panics
    /// If `village` is not a village-level code (`PP.KK.CC.DDDD`).
    pub fn village(&mut self, village: KodeWilayah, residents: u32) -> VillageData {
        assert_eq!(
            village.level(),
            RegionLevel::Village,
            "Generator::village needs a village code, got {village}"
        );
        records::village(self, village, residents as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_residents_is_empty_data() {
        let v = KodeWilayah::parse("3310012001").unwrap();
        let data = Generator::new(1, DEFAULT_AS_OF, Vec::new()).village(v, 0);
        assert!(data.families.is_empty() && data.residents.is_empty() && data.events.is_empty());
        assert_eq!(data.village, v);
    }

    #[test]
    #[should_panic(expected = "needs a village code")]
    fn rejects_a_district_code() {
        Generator::new(1, DEFAULT_AS_OF, Vec::new())
            .village(KodeWilayah::parse("331001").unwrap(), 10);
    }

    #[test]
    fn districts_are_normalised() {
        let k = |c: &str| KodeWilayah::parse(c).unwrap();
        let g = Generator::new(
            1,
            DEFAULT_AS_OF,
            vec![k("331002"), k("3310012001"), k("3310"), k("331002")],
        );
        assert_eq!(g.districts, vec![k("331001"), k("331002")]);
    }
}
