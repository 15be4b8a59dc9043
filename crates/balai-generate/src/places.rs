//! Place names: where residents were born.

use balai_domain::{KodeWilayah, RegionLevel};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::one_of;

/// Regencies and cities of Central Java, Yogyakarta, East Java and Bali, by
/// code: where most villagers of these provinces were born.
const REGENCIES: &[(u16, &str)] = &[
    (3301, "CILACAP"),
    (3302, "BANYUMAS"),
    (3303, "PURBALINGGA"),
    (3304, "BANJARNEGARA"),
    (3305, "KEBUMEN"),
    (3306, "PURWOREJO"),
    (3307, "WONOSOBO"),
    (3308, "MAGELANG"),
    (3309, "BOYOLALI"),
    (3310, "KLATEN"),
    (3311, "SUKOHARJO"),
    (3312, "WONOGIRI"),
    (3313, "KARANGANYAR"),
    (3314, "SRAGEN"),
    (3315, "GROBOGAN"),
    (3316, "BLORA"),
    (3317, "REMBANG"),
    (3318, "PATI"),
    (3319, "KUDUS"),
    (3320, "JEPARA"),
    (3321, "DEMAK"),
    (3322, "SEMARANG"),
    (3323, "TEMANGGUNG"),
    (3324, "KENDAL"),
    (3325, "BATANG"),
    (3326, "PEKALONGAN"),
    (3327, "PEMALANG"),
    (3328, "TEGAL"),
    (3329, "BREBES"),
    (3371, "MAGELANG"),
    (3372, "SURAKARTA"),
    (3373, "SALATIGA"),
    (3374, "SEMARANG"),
    (3375, "PEKALONGAN"),
    (3376, "TEGAL"),
    (3401, "KULON PROGO"),
    (3402, "BANTUL"),
    (3403, "GUNUNGKIDUL"),
    (3404, "SLEMAN"),
    (3471, "YOGYAKARTA"),
    (3501, "PACITAN"),
    (3502, "PONOROGO"),
    (3503, "TRENGGALEK"),
    (3504, "TULUNGAGUNG"),
    (3505, "BLITAR"),
    (3506, "KEDIRI"),
    (3507, "MALANG"),
    (3508, "LUMAJANG"),
    (3509, "JEMBER"),
    (3510, "BANYUWANGI"),
    (3511, "BONDOWOSO"),
    (3512, "SITUBONDO"),
    (3513, "PROBOLINGGO"),
    (3514, "PASURUAN"),
    (3515, "SIDOARJO"),
    (3516, "MOJOKERTO"),
    (3517, "JOMBANG"),
    (3518, "NGANJUK"),
    (3519, "MADIUN"),
    (3520, "MAGETAN"),
    (3521, "NGAWI"),
    (3522, "BOJONEGORO"),
    (3523, "TUBAN"),
    (3524, "LAMONGAN"),
    (3525, "GRESIK"),
    (3526, "BANGKALAN"),
    (3527, "SAMPANG"),
    (3528, "PAMEKASAN"),
    (3529, "SUMENEP"),
    (3571, "KEDIRI"),
    (3572, "BLITAR"),
    (3573, "MALANG"),
    (3574, "PROBOLINGGO"),
    (3575, "PASURUAN"),
    (3576, "MOJOKERTO"),
    (3577, "MADIUN"),
    (3578, "SURABAYA"),
    (3579, "BATU"),
    (5101, "JEMBRANA"),
    (5102, "TABANAN"),
    (5103, "BADUNG"),
    (5104, "GIANYAR"),
    (5105, "KLUNGKUNG"),
    (5106, "BANGLI"),
    (5107, "KARANGASEM"),
    (5108, "BULELENG"),
    (5171, "DENPASAR"),
];

/// Provincial capitals (and the largest town where the capital is new), by province code.
const CAPITALS: &[(u8, &str)] = &[
    (11, "BANDA ACEH"),
    (12, "MEDAN"),
    (13, "PADANG"),
    (14, "PEKANBARU"),
    (15, "JAMBI"),
    (16, "PALEMBANG"),
    (17, "BENGKULU"),
    (18, "BANDAR LAMPUNG"),
    (19, "PANGKALPINANG"),
    (21, "TANJUNGPINANG"),
    (31, "JAKARTA"),
    (32, "BANDUNG"),
    (33, "SEMARANG"),
    (34, "YOGYAKARTA"),
    (35, "SURABAYA"),
    (36, "SERANG"),
    (51, "DENPASAR"),
    (52, "MATARAM"),
    (53, "KUPANG"),
    (61, "PONTIANAK"),
    (62, "PALANGKARAYA"),
    (63, "BANJARMASIN"),
    (64, "SAMARINDA"),
    (65, "TARAKAN"),
    (71, "MANADO"),
    (72, "PALU"),
    (73, "MAKASSAR"),
    (74, "KENDARI"),
    (75, "GORONTALO"),
    (76, "MAMUJU"),
    (81, "AMBON"),
    (82, "TERNATE"),
    (91, "JAYAPURA"),
    (92, "MANOKWARI"),
    (93, "MERAUKE"),
    (94, "NABIRE"),
    (95, "WAMENA"),
    (96, "SORONG"),
];

/// Big cities people are born in while their parents work away.
const CITIES: &[&str] = &[
    "JAKARTA",
    "SURABAYA",
    "BANDUNG",
    "SEMARANG",
    "YOGYAKARTA",
    "SURAKARTA",
    "MALANG",
    "BEKASI",
    "TANGERANG",
    "DENPASAR",
];

/// The birthplaces of one village: its own regency, its province's other towns, farther cities.
#[derive(Debug, Clone)]
pub(crate) struct BirthPlaces {
    home: &'static str,
    province: Vec<&'static str>,
}

impl BirthPlaces {
    /// The birthplaces around `village`.
    pub(crate) fn around(village: KodeWilayah) -> Self {
        let regency = village
            .ancestor(RegionLevel::Regency)
            .map_or(0, |r| r.as_u64());
        let province = regency / 100;
        let capital = CAPITALS
            .iter()
            .find(|(p, _)| u64::from(*p) == province)
            .map_or("JAKARTA", |(_, n)| n);
        let home = REGENCIES
            .iter()
            .find(|(r, _)| u64::from(*r) == regency)
            .map_or(capital, |(_, n)| n);
        let mut towns: Vec<&'static str> = REGENCIES
            .iter()
            .filter(|(r, _)| u64::from(*r) / 100 == province)
            .map(|(_, n)| *n)
            .collect();
        if towns.is_empty() {
            towns.push(capital);
        }
        Self {
            home,
            province: towns,
        }
    }

    /// A birthplace, the home regency with probability `home_share`, else
    /// mostly another town of the province.
    pub(crate) fn pick(&self, rng: &mut ChaCha8Rng, home_share: f64) -> &'static str {
        let r: f64 = rng.random();
        if r < home_share {
            self.home
        } else if r < home_share + (1.0 - home_share) * 0.7 {
            one_of(rng, &self.province)
        } else {
            one_of(rng, CITIES)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn home_regency_dominates() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let klaten = BirthPlaces::around(KodeWilayah::parse("3310012001").unwrap());
        let home = (0..1000)
            .filter(|_| klaten.pick(&mut rng, 0.8) == "KLATEN")
            .count();
        assert!((750..850).contains(&home), "{home}");
        let unknown = BirthPlaces::around(KodeWilayah::parse("1101012001").unwrap());
        assert_eq!(unknown.home, "BANDA ACEH");
    }
}
