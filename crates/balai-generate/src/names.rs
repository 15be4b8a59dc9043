//! Indonesian personal names as written on a KK: uppercase, one to three words.
//! Javanese names change with the generation (single-word names for the old,
//! Arabic- and Sanskrit-flavoured compound names for the young); Hindu Balinese
//! names follow the birth-order system (I/Ni + Wayan/Made/Nyoman/Ketut).

use balai_domain::codes::{Agama, Sex};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::{one_of, pick};

/// The naming tradition of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Javanese and general Indonesian names.
    Javanese,
    /// Balinese Hindu birth-order names.
    Balinese,
}

const MALE_OLD: &[&str] = &[
    "SUKIRNO", "PAIMAN", "TUKIMIN", "SUPARMAN", "SUKARDI", "SARIJO", "PAIJO", "WAGIMAN", "KARSO",
    "MARJONO", "SUPARNO", "SUMARNO", "SUYATNO", "SLAMET", "SUGIYONO", "KASIMAN", "SUKIMAN",
    "PARJAN", "TUMIRAN", "SASTRO", "HARJO", "SUTARNO", "SUWARNO", "DARMO", "WAKIJO", "SUDARMO",
    "NGADIMAN", "KASDI", "MUJIMAN", "SAIMAN", "SUTRISNO", "SUPRAPTO", "SUYADI", "SUROSO",
    "SUPARDI", "SUKARNO", "TARDI", "JEMIRAN",
];

const MALE_MIDDLE: &[&str] = &[
    "BUDI",
    "AGUS",
    "JOKO",
    "BAMBANG",
    "HERU",
    "EKO",
    "DWI",
    "TRI",
    "WAHYU",
    "ARIF",
    "RUDI",
    "HADI",
    "SUGENG",
    "TEGUH",
    "YUDI",
    "ANTON",
    "HENDRA",
    "DANANG",
    "GUNAWAN",
    "IWAN",
    "WAWAN",
    "SETYO",
    "PURWANTO",
    "SUGIYANTO",
    "SUHARTO",
    "WARTO",
    "MUHAMMAD",
    "AHMAD",
    "ABDUL",
    "RIYANTO",
    "SUPRIYADI",
    "SUBAGYO",
    "MULYONO",
    "HARYANTO",
    "ANDRI",
    "DEDI",
    "KUSNO",
    "PRIYO",
    "SLAMET",
    "NUR",
];

const MALE_YOUNG: &[&str] = &[
    "MUHAMMAD", "AHMAD", "RIZKY", "FAJAR", "DIMAS", "ADITYA", "BAGUS", "NAUFAL", "AZKA", "RAFA",
    "ALIF", "FARHAN", "RAIHAN", "DAFFA", "ARKAN", "BIMA", "GILANG", "YOGA", "ILHAM", "REZA",
    "ANDIKA", "KEVIN", "DANI", "FIKRI", "HAFIZ", "ZIDAN", "ABIMANYU", "ARDIAN", "SATRIA",
    "BINTANG", "GALIH", "NANDA", "AFIF", "RAFI", "HAIKAL", "DWI", "EKO", "TRI",
];

const FEMALE_OLD: &[&str] = &[
    "PAINEM", "SUMINAH", "SARINAH", "TUKINEM", "WAGIYEM", "SUPARMI", "SUMARNI", "WARSINI",
    "SUMIYATI", "JUMINEM", "KASIYEM", "MARSIYEM", "PONIYEM", "SAMINAH", "SUKINAH", "TUMINAH",
    "SUTINAH", "PARINEM", "SALIYEM", "SUPINAH", "NGATINAH", "SUWARNI", "MARIYEM", "SITI", "SRI",
    "KARSIH", "SUWARTI", "SUPIYAH", "SUKIYEM", "WAKINEM", "ATMI", "DALIYEM", "NGADINEM", "TARMI",
    "WARSIYEM",
];

const FEMALE_MIDDLE: &[&str] = &[
    "SRI",
    "SITI",
    "DEWI",
    "RATNA",
    "TITIK",
    "ENDANG",
    "YULI",
    "NUR",
    "RINI",
    "WATI",
    "ENY",
    "ANIK",
    "LILIK",
    "SUSI",
    "TUTIK",
    "WIWIK",
    "YANTI",
    "ERNA",
    "ISTI",
    "HARTINI",
    "SUPRAPTI",
    "SRIYATI",
    "MULYANI",
    "RUSMINI",
    "SUGIYARTI",
    "NINGSIH",
    "PURWATI",
    "WINARSIH",
    "NANIK",
    "RETNO",
    "ANA",
    "WULAN",
    "INDAH",
    "EKA",
    "DWI",
    "TRI",
];

const FEMALE_YOUNG: &[&str] = &[
    "AISYAH",
    "NAYLA",
    "ZAHRA",
    "SALSABILA",
    "NADIA",
    "PUTRI",
    "AULIA",
    "ALYA",
    "KEISHA",
    "CITRA",
    "ANISA",
    "AYU",
    "DINDA",
    "FITRI",
    "INTAN",
    "LAILA",
    "MAYA",
    "NABILA",
    "RARA",
    "SALMA",
    "TIARA",
    "VINA",
    "AMELIA",
    "FEBRI",
    "DESI",
    "NOVITA",
    "ANGGUN",
    "KIRANA",
    "SEKAR",
    "NAILA",
    "HANA",
    "SYIFA",
    "KHANZA",
    "DWI",
    "TRI",
    "EKA",
];

const MALE_SECOND: &[&str] = &[
    "SANTOSO",
    "WIBOWO",
    "SETIAWAN",
    "PRASETYO",
    "NUGROHO",
    "SAPUTRA",
    "HIDAYAT",
    "KURNIAWAN",
    "SUSANTO",
    "PURNOMO",
    "WAHYUDI",
    "HARTONO",
    "SUSILO",
    "PRATAMA",
    "FAUZI",
    "RAMADHAN",
    "FIRMANSYAH",
    "SETIADI",
    "SUPRIYANTO",
    "HERMAWAN",
    "ARDIANSYAH",
    "SUGIARTO",
    "RAHMAN",
    "MAULANA",
    "HAKIM",
    "YULIANTO",
    "WIDODO",
    "HARYADI",
    "SULISTYO",
    "PAMUNGKAS",
    "PRABOWO",
    "SAPUTRO",
    "NURCAHYO",
    "SETYAWAN",
    "UTOMO",
    "PAMBUDI",
    "KUSUMA",
    "ARIFIN",
    "FAHMI",
    "WICAKSONO",
    "AJI",
];

const FEMALE_SECOND: &[&str] = &[
    "WAHYUNI",
    "LESTARI",
    "RAHAYU",
    "ASTUTI",
    "HANDAYANI",
    "PURWANTI",
    "SETYANINGSIH",
    "WULANDARI",
    "KURNIASIH",
    "SUSANTI",
    "PUSPITASARI",
    "RAHMAWATI",
    "SAFITRI",
    "NURHAYATI",
    "PERMATASARI",
    "ANGGRAINI",
    "KUSUMAWATI",
    "MARYANI",
    "SUSILOWATI",
    "UTAMI",
    "RAMADHANI",
    "KHOIRUNNISA",
    "PRATIWI",
    "NOVITASARI",
    "HIDAYAH",
    "FITRIANI",
    "ANDRIANI",
    "MULYANINGSIH",
    "SARI",
    "NINGRUM",
    "FAUZIAH",
    "MAHARANI",
    "OKTAVIANI",
];

// Christian and Catholic Javanese often carry a baptismal name first.
const MALE_BAPTISMAL: &[&str] = &[
    "YOHANES",
    "PAULUS",
    "ANTONIUS",
    "STEFANUS",
    "FRANSISKUS",
    "YOSEF",
    "PETRUS",
    "MARKUS",
    "ANDREAS",
    "MATIUS",
    "IGNATIUS",
    "BENEDIKTUS",
];
const FEMALE_BAPTISMAL: &[&str] = &[
    "MARIA",
    "THERESIA",
    "CHRISTINA",
    "AGNES",
    "MAGDALENA",
    "ELISABETH",
    "CECILIA",
    "MONIKA",
    "VERONIKA",
    "YOHANA",
    "LUSIA",
    "SKOLASTIKA",
];

const BALI_MALE: &[&str] = &[
    "SUDARSANA",
    "ARSANA",
    "ARTAWAN",
    "SUARDANA",
    "WIRAWAN",
    "SUDIARTA",
    "SUKADANA",
    "MERTAYASA",
    "SUARTANA",
    "ADNYANA",
    "ARIMBAWA",
    "BUDIASA",
    "DARMAWAN",
    "KARIASA",
    "MAHENDRA",
    "PARWATA",
    "RAKA",
    "SUARDIKA",
    "SUPARTA",
    "WIDIANA",
    "YASA",
    "SUWENA",
    "SANTIKA",
    "SUTAMA",
    "SUKARMA",
    "ASTAWA",
    "SEDANA",
    "ANTARA",
    "PUTRA",
    "SUMERTA",
    "DHARMA",
    "AGUS",
    "ARYA",
    "WIGUNA",
    "DIPTA",
];
const BALI_FEMALE: &[&str] = &[
    "ARIANI",
    "SUARNI",
    "SUARTINI",
    "ARIASIH",
    "SRIASIH",
    "SUMERTI",
    "WIDIASIH",
    "SUSANTI",
    "PUSPAWATI",
    "DEWI",
    "ARTINI",
    "SUDARMI",
    "MURNI",
    "SUKERTI",
    "KARIASIH",
    "PARWATI",
    "RATNA",
    "SUARYANI",
    "WIDIANTARI",
    "ASTITI",
    "SUWARNI",
    "PURNAMI",
    "SULASTRI",
    "YULIANTI",
    "NOVIANTI",
    "AYU",
    "DIAH",
    "PUTRI",
];

/// The first word: a generation-appropriate given name.
fn first(rng: &mut ChaCha8Rng, sex: Sex, birth_year: i32) -> &'static str {
    let pool = match (sex, birth_year) {
        (Sex::LakiLaki, ..1965) => MALE_OLD,
        (Sex::LakiLaki, 1965..1995) => MALE_MIDDLE,
        (Sex::LakiLaki, _) => MALE_YOUNG,
        (Sex::Perempuan, ..1965) => FEMALE_OLD,
        (Sex::Perempuan, 1965..1995) => FEMALE_MIDDLE,
        (Sex::Perempuan, _) => FEMALE_YOUNG,
    };
    one_of(rng, pool)
}

fn second(rng: &mut ChaCha8Rng, sex: Sex) -> &'static str {
    one_of(
        rng,
        if sex == Sex::LakiLaki {
            MALE_SECOND
        } else {
            FEMALE_SECOND
        },
    )
}

fn push_word(name: &mut String, word: &str) {
    if !name.is_empty() {
        name.push(' ');
    }
    name.push_str(word);
}

fn contains_word(name: &str, word: &str) -> bool {
    name.split(' ').any(|w| w == word)
}

/// A full name for someone of `sex` born in `birth_year`. `birth_order` (1-based,
/// 0 when unknown) drives Balinese names; `father` is the father's name when he is known, so a
/// child sometimes carries one of his words, as many Javanese families do.
pub(crate) fn full_name(
    rng: &mut ChaCha8Rng,
    style: Style,
    religion: Agama,
    sex: Sex,
    birth_year: i32,
    birth_order: u8,
    father: Option<&str>,
) -> String {
    if style == Style::Balinese && religion == Agama::Hindu {
        return balinese(rng, sex, birth_order);
    }
    let mut name = String::with_capacity(24);
    let christian = matches!(religion, Agama::Kristen | Agama::Katholik);
    if christian && rng.random_bool(0.5) {
        push_word(
            &mut name,
            one_of(
                rng,
                if sex == Sex::LakiLaki {
                    MALE_BAPTISMAL
                } else {
                    FEMALE_BAPTISMAL
                },
            ),
        );
    }
    // Words in the name: the old mostly have one, the young two or three.
    let words: u8 = match birth_year {
        ..1965 => pick(rng, &[(1, 75), (2, 25)]),
        1965..1995 => pick(rng, &[(1, 30), (2, 60), (3, 10)]),
        _ => pick(rng, &[(1, 8), (2, 60), (3, 32)]),
    };
    let inherits = father
        .and_then(|f| f.rsplit(' ').next().filter(|_| f.contains(' ')))
        .filter(|_| rng.random_bool(if sex == Sex::LakiLaki { 0.3 } else { 0.08 }));
    let mut remaining = words.saturating_sub(u8::from(!name.is_empty()));
    if remaining == 0 {
        remaining = 1;
    }
    for i in 0..remaining {
        let last = i + 1 == remaining;
        let word = match (i, last, inherits) {
            (_, true, Some(f)) if i > 0 || !name.is_empty() => f,
            (0, _, _) => first(rng, sex, birth_year),
            (_, true, _) => second(rng, sex),
            _ => first(rng, sex, birth_year.max(1965)),
        };
        if contains_word(&name, word) {
            push_word(&mut name, second(rng, sex));
        } else {
            push_word(&mut name, word);
        }
    }
    // Older men back from the hajj are often recorded with it.
    if sex == Sex::LakiLaki
        && religion == Agama::Islam
        && birth_year < 1970
        && rng.random_bool(0.03)
    {
        name.insert_str(0, "H. ");
    }
    name
}

fn balinese(rng: &mut ChaCha8Rng, sex: Sex, birth_order: u8) -> String {
    let male = sex == Sex::LakiLaki;
    let birth_order = if birth_order == 0 {
        rng.random_range(1..=4)
    } else {
        birth_order
    };
    let order = match (birth_order - 1) % 4 {
        0 => pick(
            rng,
            &[
                ("WAYAN", 50),
                ("PUTU", 35),
                (if male { "GEDE" } else { "LUH" }, 15),
            ],
        ),
        1 => pick(rng, &[("MADE", 60), ("KADEK", 35), ("NENGAH", 5)]),
        2 => pick(rng, &[("NYOMAN", 70), ("KOMANG", 30)]),
        _ => "KETUT",
    };
    let pool = if male { BALI_MALE } else { BALI_FEMALE };
    let mut name = String::with_capacity(28);
    name.push_str(if male { "I " } else { "NI " });
    name.push_str(order);
    let given = one_of(rng, pool);
    push_word(&mut name, given);
    if rng.random_bool(0.3) {
        let more = one_of(rng, pool);
        if more != given {
            push_word(&mut name, more);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_domain::PersonName;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[test]
    fn pools_are_large_enough() {
        let male: HashSet<_> = [MALE_OLD, MALE_MIDDLE, MALE_YOUNG]
            .concat()
            .into_iter()
            .collect();
        let female: HashSet<_> = [FEMALE_OLD, FEMALE_MIDDLE, FEMALE_YOUNG]
            .concat()
            .into_iter()
            .collect();
        assert!(male.len() >= 80, "{}", male.len());
        assert!(female.len() >= 80, "{}", female.len());
        assert!(MALE_SECOND.len() + FEMALE_SECOND.len() >= 60);
    }

    #[test]
    fn names_parse_and_look_like_kk_records() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for i in 0..5000u32 {
            let sex = if i % 2 == 0 {
                Sex::LakiLaki
            } else {
                Sex::Perempuan
            };
            let style = if i % 3 == 0 {
                Style::Balinese
            } else {
                Style::Javanese
            };
            let religion = [Agama::Islam, Agama::Hindu, Agama::Katholik][(i % 7 % 3) as usize];
            let year = 1925 + (i % 100) as i32;
            let name = full_name(
                &mut rng,
                style,
                religion,
                sex,
                year,
                (i % 6) as u8 + 1,
                Some("BUDI SANTOSO"),
            );
            let parsed = PersonName::parse(&name).unwrap();
            assert_eq!(parsed.as_str(), name);
            assert_eq!(name, name.to_uppercase());
            let words = name.split(' ').filter(|w| *w != "H.").count();
            if style == Style::Balinese && religion == Agama::Hindu {
                assert!(
                    name.starts_with(if sex == Sex::LakiLaki { "I " } else { "NI " }),
                    "{name}"
                );
                assert!((3..=4).contains(&words), "{name}");
            } else {
                assert!((1..=3).contains(&words), "{name}");
            }
        }
    }
}
