//! Religion, education, occupation, blood group and disability: tables shaped
//! like Indonesian census figures, conditioned on province, age, sex and cohort.

use balai_domain::codes::{Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::pick;

use Agama as A;
use Pekerjaan as P;
use PendidikanKk as E;

/// Religion shares (per 1,000) of a province, from the 2020 census rounded.
pub(crate) fn religions(province: u8) -> &'static [(Agama, u32)] {
    match province {
        // Bali.
        51 => &[
            (A::Hindu, 860),
            (A::Islam, 100),
            (A::Kristen, 17),
            (A::Katholik, 11),
            (A::Budha, 12),
        ],
        // Java.
        31..=36 => &[
            (A::Islam, 934),
            (A::Kristen, 30),
            (A::Katholik, 28),
            (A::Hindu, 2),
            (A::Budha, 4),
            (A::Khonghucu, 1),
            (A::KepercayaanTerhadapTuhanYmeLainnya, 1),
        ],
        11 => &[(A::Islam, 985), (A::Kristen, 12), (A::Budha, 3)],
        12 => &[
            (A::Islam, 640),
            (A::Kristen, 270),
            (A::Katholik, 65),
            (A::Budha, 25),
        ],
        53 => &[
            (A::Katholik, 540),
            (A::Kristen, 350),
            (A::Islam, 100),
            (A::Hindu, 10),
        ],
        71 => &[
            (A::Kristen, 630),
            (A::Islam, 310),
            (A::Katholik, 45),
            (A::Hindu, 10),
            (A::Budha, 5),
        ],
        91..=96 => &[
            (A::Kristen, 640),
            (A::Katholik, 170),
            (A::Islam, 185),
            (A::Hindu, 3),
            (A::Budha, 2),
        ],
        _ => &[
            (A::Islam, 870),
            (A::Kristen, 73),
            (A::Katholik, 31),
            (A::Hindu, 17),
            (A::Budha, 7),
            (A::Khonghucu, 1),
            (A::KepercayaanTerhadapTuhanYmeLainnya, 1),
        ],
    }
}

/// Highest education of someone `age` years old born in `birth_year`: children
/// by school stage, adults by cohort (schooling spread fast after the 1970s).
pub(crate) fn education(rng: &mut ChaCha8Rng, age: i32, birth_year: i32) -> PendidikanKk {
    match age {
        ..7 => E::TidakBelumSekolah,
        7..=12 => E::BelumTamatSdSederajat,
        13..=15 => pick(
            rng,
            &[(E::TamatSdSederajat, 95), (E::BelumTamatSdSederajat, 5)],
        ),
        16..=18 => pick(rng, &[(E::SltpSederajat, 85), (E::TamatSdSederajat, 15)]),
        19..=22 => pick(
            rng,
            &[
                (E::SltaSederajat, 72),
                (E::SltpSederajat, 20),
                (E::TamatSdSederajat, 8),
            ],
        ),
        _ => match birth_year {
            1990.. => pick(
                rng,
                &[
                    (E::TidakBelumSekolah, 1),
                    (E::TamatSdSederajat, 10),
                    (E::SltpSederajat, 22),
                    (E::SltaSederajat, 46),
                    (E::DiplomaIIi, 2),
                    (E::AkademiDiplomaIiiSMuda, 5),
                    (E::DiplomaIvStrataI, 13),
                    (E::StrataIi, 1),
                ],
            ),
            1970..1990 => pick(
                rng,
                &[
                    (E::TidakBelumSekolah, 20),
                    (E::BelumTamatSdSederajat, 25),
                    (E::TamatSdSederajat, 280),
                    (E::SltpSederajat, 250),
                    (E::SltaSederajat, 300),
                    (E::DiplomaIIi, 15),
                    (E::AkademiDiplomaIiiSMuda, 30),
                    (E::DiplomaIvStrataI, 70),
                    (E::StrataIi, 8),
                    (E::StrataIii, 1),
                ],
            ),
            1955..1970 => pick(
                rng,
                &[
                    (E::TidakBelumSekolah, 100),
                    (E::BelumTamatSdSederajat, 120),
                    (E::TamatSdSederajat, 450),
                    (E::SltpSederajat, 150),
                    (E::SltaSederajat, 130),
                    (E::DiplomaIIi, 10),
                    (E::AkademiDiplomaIiiSMuda, 10),
                    (E::DiplomaIvStrataI, 27),
                    (E::StrataIi, 3),
                ],
            ),
            _ => pick(
                rng,
                &[
                    (E::TidakBelumSekolah, 30),
                    (E::BelumTamatSdSederajat, 25),
                    (E::TamatSdSederajat, 35),
                    (E::SltpSederajat, 5),
                    (E::SltaSederajat, 4),
                    (E::DiplomaIvStrataI, 1),
                ],
            ),
        },
    }
}

/// Education bands that decide which jobs are open.
fn tier(e: PendidikanKk) -> u8 {
    match e {
        E::TidakBelumSekolah
        | E::BelumTamatSdSederajat
        | E::TamatSdSederajat
        | E::SltpSederajat => 0,
        E::SltaSederajat | E::DiplomaIIi => 1,
        _ => 2,
    }
}

const MEN_LOW: &[(Pekerjaan, u32)] = &[
    (P::PetaniPekebun, 25),
    (P::BuruhTaniPerkebunan, 18),
    (P::BuruhHarianLepas, 18),
    (P::Wiraswasta, 10),
    (P::Pedagang, 5),
    (P::TukangBatu, 6),
    (P::TukangKayu, 4),
    (P::Sopir, 3),
    (P::KaryawanSwasta, 6),
    (P::Peternak, 2),
    (P::BelumTidakBekerja, 3),
    (P::MengurusRumahTangga, 1),
];
const MEN_MIDDLE: &[(Pekerjaan, u32)] = &[
    (P::KaryawanSwasta, 28),
    (P::Wiraswasta, 20),
    (P::BuruhHarianLepas, 12),
    (P::PetaniPekebun, 10),
    (P::BuruhTaniPerkebunan, 4),
    (P::Pedagang, 6),
    (P::Sopir, 5),
    (P::Mekanik, 3),
    (P::TentaraNasionalIndonesia, 2),
    (P::KepolisianRi, 2),
    (P::KaryawanHonorer, 2),
    (P::BelumTidakBekerja, 6),
];
const MEN_HIGH: &[(Pekerjaan, u32)] = &[
    (P::KaryawanSwasta, 25),
    (P::Guru, 18),
    (P::PegawaiNegeriSipil, 18),
    (P::Wiraswasta, 15),
    (P::KaryawanBumn, 5),
    (P::KaryawanHonorer, 5),
    (P::Perawat, 3),
    (P::KepolisianRi, 3),
    (P::TentaraNasionalIndonesia, 2),
    (P::Dosen, 1),
    (P::Dokter, 1),
    (P::BelumTidakBekerja, 4),
];
const WOMEN_LOW: &[(Pekerjaan, u32)] = &[
    (P::MengurusRumahTangga, 42),
    (P::PetaniPekebun, 15),
    (P::BuruhTaniPerkebunan, 12),
    (P::BuruhHarianLepas, 8),
    (P::Pedagang, 8),
    (P::Wiraswasta, 6),
    (P::KaryawanSwasta, 5),
    (P::TukangJahit, 2),
    (P::BelumTidakBekerja, 2),
];
const WOMEN_MIDDLE: &[(Pekerjaan, u32)] = &[
    (P::MengurusRumahTangga, 35),
    (P::KaryawanSwasta, 22),
    (P::Wiraswasta, 12),
    (P::Pedagang, 8),
    (P::BuruhHarianLepas, 6),
    (P::PetaniPekebun, 5),
    (P::TukangJahit, 2),
    (P::PenataRias, 1),
    (P::KaryawanHonorer, 3),
    (P::BelumTidakBekerja, 6),
];
const WOMEN_HIGH: &[(Pekerjaan, u32)] = &[
    (P::Guru, 25),
    (P::KaryawanSwasta, 18),
    (P::PegawaiNegeriSipil, 15),
    (P::Perawat, 8),
    (P::Bidan, 6),
    (P::MengurusRumahTangga, 12),
    (P::Wiraswasta, 8),
    (P::KaryawanHonorer, 5),
    (P::Apoteker, 1),
    (P::Dosen, 1),
    (P::BelumTidakBekerja, 1),
];
const OLD_MEN: &[(Pekerjaan, u32)] = &[
    (P::PetaniPekebun, 35),
    (P::BelumTidakBekerja, 30),
    (P::BuruhTaniPerkebunan, 10),
    (P::Wiraswasta, 5),
    (P::Pedagang, 4),
    (P::Pensiunan, 4),
];
const OLD_WOMEN: &[(Pekerjaan, u32)] = &[
    (P::MengurusRumahTangga, 40),
    (P::BelumTidakBekerja, 30),
    (P::PetaniPekebun, 18),
    (P::Pedagang, 5),
    (P::BuruhTaniPerkebunan, 5),
    (P::Pensiunan, 2),
];

/// Occupation of someone of `age` and `sex` with `education`.
pub(crate) fn occupation(
    rng: &mut ChaCha8Rng,
    age: i32,
    sex: Sex,
    education: PendidikanKk,
) -> Pekerjaan {
    let tier = tier(education);
    let men = sex == Sex::LakiLaki;
    match age {
        ..7 => P::BelumTidakBekerja,
        7..=14 => P::PelajarMahasiswa,
        15..=17 => pick(
            rng,
            &[
                (P::PelajarMahasiswa, 86),
                (P::BelumTidakBekerja, 9),
                (P::BuruhHarianLepas, 5),
            ],
        ),
        18..=22 if tier >= 1 && rng.random_bool(0.4) => P::PelajarMahasiswa,
        18..=59 => {
            let table = match (men, tier) {
                (true, 0) => MEN_LOW,
                (true, 1) => MEN_MIDDLE,
                (true, _) => MEN_HIGH,
                (false, 0) => WOMEN_LOW,
                (false, 1) => WOMEN_MIDDLE,
                (false, _) => WOMEN_HIGH,
            };
            pick(rng, table)
        }
        // Retired civil servants and teachers are the ones with a pension.
        _ if tier == 2 && rng.random_bool(0.6) => P::Pensiunan,
        _ => pick(rng, if men { OLD_MEN } else { OLD_WOMEN }),
    }
}

/// Blood group: most villagers never had theirs tested.
pub(crate) fn blood_type(rng: &mut ChaCha8Rng) -> GolonganDarah {
    use GolonganDarah as G;
    pick(
        rng,
        &[
            (G::TidakTahu, 700),
            (G::O, 120),
            (G::B, 80),
            (G::A, 70),
            (G::Ab, 20),
            (G::OPos, 4),
            (G::BPos, 3),
            (G::APos, 2),
            (G::AbPos, 1),
        ],
    )
}

/// Recorded disability, if any (about 1 in 100).
pub(crate) fn disability(rng: &mut ChaCha8Rng, age: i32) -> Option<Cacat> {
    use Cacat as C;
    let p = if age >= 65 { 0.03 } else { 0.008 };
    rng.random_bool(p).then(|| {
        pick(
            rng,
            &[
                (C::CacatFisik, 40),
                (C::CacatNetraButa, 15),
                (C::CacatRunguWicara, 15),
                (C::CacatMentalJiwa, 15),
                (C::CacatFisikDanMental, 5),
                (C::CacatLainnya, 10),
            ],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn children_are_pupils_and_adults_work() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..200 {
            assert_eq!(education(&mut rng, 4, 2022), E::TidakBelumSekolah);
            assert_eq!(
                occupation(&mut rng, 3, Sex::Perempuan, E::TidakBelumSekolah),
                P::BelumTidakBekerja
            );
            assert_eq!(
                occupation(&mut rng, 10, Sex::LakiLaki, E::BelumTamatSdSederajat),
                P::PelajarMahasiswa
            );
        }
        let homemakers = (0..2000)
            .filter(|_| {
                occupation(&mut rng, 40, Sex::Perempuan, E::TamatSdSederajat)
                    == P::MengurusRumahTangga
            })
            .count();
        assert!((700..1000).contains(&homemakers), "{homemakers}");
        let men = (0..2000)
            .filter(|_| {
                occupation(&mut rng, 40, Sex::LakiLaki, E::TamatSdSederajat)
                    == P::MengurusRumahTangga
            })
            .count();
        assert!(men < 60, "{men}");
    }

    #[test]
    fn religion_tables_favour_the_majority() {
        assert_eq!(religions(33)[0].0, Agama::Islam);
        assert_eq!(religions(51)[0].0, Agama::Hindu);
        for p in [11, 12, 33, 51, 53, 71, 94, 62] {
            assert!(religions(p).iter().map(|(_, w)| w).sum::<u32>() >= 990);
        }
    }
}
