//! How far a move goes (klasifikasi pindah), as form F-1.03 classifies it.
//! Derived from the two region codes, never asked: see
//! [`KlasifikasiPindah::between`].

use crate::{KodeWilayah, RegionLevel};

code_list! {
    /// How far a move goes (klasifikasi pindah), as form F-1.03 classifies it.
    KlasifikasiPindah, "klasifikasi_pindah" {
        DalamSatuDesa = 1, "DALAM SATU DESA/KELURAHAN" | "DALAM SATU DESA";
        AntarDesa = 2, "ANTAR DESA/KELURAHAN" | "ANTAR DESA";
        AntarKecamatan = 3, "ANTAR KECAMATAN";
        AntarKabupaten = 4, "ANTAR KABUPATEN/KOTA" | "ANTAR KABUPATEN";
        AntarProvinsi = 5, "ANTAR PROVINSI";
    }
}

impl KlasifikasiPindah {
    /// The classification of a move from `village` to `other` (a village or
    /// a coarser region: a district code names a move into that district),
    /// by the smallest region both lie in.
    pub fn between(village: KodeWilayah, other: KodeWilayah) -> Self {
        let same = |level: RegionLevel| {
            matches!(
                (village.ancestor(level), other.ancestor(level)),
                (Some(a), Some(b)) if a == b
            )
        };
        if same(RegionLevel::Village) {
            KlasifikasiPindah::DalamSatuDesa
        } else if same(RegionLevel::District) {
            KlasifikasiPindah::AntarDesa
        } else if same(RegionLevel::Regency) {
            KlasifikasiPindah::AntarKecamatan
        } else if same(RegionLevel::Province) {
            KlasifikasiPindah::AntarKabupaten
        } else {
            KlasifikasiPindah::AntarProvinsi
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> KodeWilayah {
        KodeWilayah::parse(s).unwrap()
    }

    #[test]
    fn the_classification_is_the_smallest_region_both_codes_share() {
        let home = k("3310012001");
        assert_eq!(
            KlasifikasiPindah::between(home, k("3310012001")),
            KlasifikasiPindah::DalamSatuDesa
        );
        assert_eq!(
            KlasifikasiPindah::between(home, k("3310012002")),
            KlasifikasiPindah::AntarDesa
        );
        // A district code alone: into that district, so between villages.
        assert_eq!(
            KlasifikasiPindah::between(home, k("331001")),
            KlasifikasiPindah::AntarDesa
        );
        assert_eq!(
            KlasifikasiPindah::between(home, k("3310022001")),
            KlasifikasiPindah::AntarKecamatan
        );
        assert_eq!(
            KlasifikasiPindah::between(home, k("3311012001")),
            KlasifikasiPindah::AntarKabupaten
        );
        assert_eq!(
            KlasifikasiPindah::between(home, k("3523012001")),
            KlasifikasiPindah::AntarProvinsi
        );
        assert_eq!(
            KlasifikasiPindah::between(home, k("5107012001")),
            KlasifikasiPindah::AntarProvinsi
        );
    }
}
