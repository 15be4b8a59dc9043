//! A village as a tenant of Balai: its code, name and place in the regions tree.

use serde::{Deserialize, Serialize};

use crate::kode_wilayah::{KodeWilayah, RegionLevel};

/// A village served by this Balai installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    /// The village's Kemendagri code; the tenant key of all its data.
    pub kode: KodeWilayah,
    /// Village name, e.g. `Gergunung`.
    pub name: String,
    /// District (kecamatan) name.
    pub district_name: String,
    /// Regency (kabupaten/kota) name.
    pub regency_name: String,
    /// Province name.
    pub province_name: String,
}

impl Village {
    /// The regency this village belongs to.
    pub fn regency(&self) -> KodeWilayah {
        self.kode
            .ancestor(RegionLevel::Regency)
            .expect("a village code has a regency")
    }

    /// The district this village belongs to.
    pub fn district(&self) -> KodeWilayah {
        self.kode
            .ancestor(RegionLevel::District)
            .expect("a village code has a district")
    }
}
