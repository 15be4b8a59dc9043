//! Indonesian wording for the domain's (English) rejection reasons, so an
//! operator reads why a cell was refused in the language of the workbook.

use balai_domain::codes::UnknownCode;
use balai_domain::nik::NikWarning;
use balai_domain::parse_error::{IdKind, ParseIdError};
use balai_domain::person_name::PersonNameError;
use balai_domain::wilayah::WilayahError;

/// Why an identity number was refused, e.g. `NIK tidak valid: bulan lahir 13 (digit 9-10) harus 01-12`.
/// `label` names the field (`NIK`, `No. KK`, `NIK ayah`); `input` is the cleaned text that was parsed.
pub(crate) fn id_number(label: &str, input: &str, e: &ParseIdError) -> String {
    format!("{label} tidak valid: {}", id_rule(label, input, e))
}

fn id_rule(label: &str, input: &str, e: &ParseIdError) -> String {
    let part = |a: usize, b: usize| -> String {
        input
            .chars()
            .skip(a.saturating_sub(1))
            .take(b + 1 - a)
            .collect()
    };
    let Some((a, b)) = e.span() else {
        return if input.is_empty() {
            "kosong".into()
        } else {
            format!(
                "harus 16 digit angka, tertulis {} digit",
                input.chars().count()
            )
        };
    };
    if a == b
        && let Some(ch) = input.chars().nth(a - 1)
        && !ch.is_ascii_digit()
    {
        return format!("karakter ke-{a} ({ch:?}) bukan angka; {label} hanya berisi angka 0-9");
    }
    match (e.kind(), a, b) {
        (IdKind::Nik, 1, 2) if input.starts_with('0') => {
            "diawali 0; nomor yang diawali 0 adalah nomor sementara, bukan NIK".into()
        }
        (IdKind::Nik | IdKind::NoKk, 1, 2) => {
            format!("kode provinsi {} (digit 1-2) harus 11-99", part(1, 2))
        }
        (IdKind::Nik | IdKind::NoKk, 3, 4) => {
            "kode kabupaten/kota 00 (digit 3-4) tidak ada; harus 01-99".into()
        }
        (IdKind::Nik | IdKind::NoKk, 5, 6) => {
            "kode kecamatan 00 (digit 5-6) tidak ada; harus 01-99".into()
        }
        (IdKind::Nik, 7, 8) => format!(
            "tanggal lahir {} (digit 7-8) harus 01-31 untuk laki-laki atau 41-71 untuk perempuan (tanggal + 40)",
            part(7, 8)
        ),
        (IdKind::Nik, 9, 10) => format!("bulan lahir {} (digit 9-10) harus 01-12", part(9, 10)),
        (IdKind::Nik, 7, 12) => format!(
            "tanggal lahir {}-{}-{} (digit 7-12) tidak ada di kalender",
            part(7, 8),
            part(9, 10),
            part(11, 12)
        ),
        (IdKind::NoKk, 9, 10) => {
            format!("bulan pencatatan {} (digit 9-10) harus 01-12", part(9, 10))
        }
        (IdKind::NoKk, 7, 12) => format!(
            "tanggal pencatatan {}-{}-{} (digit 7-12) tidak ada di kalender",
            part(7, 8),
            part(9, 10),
            part(11, 12)
        ),
        (IdKind::Nik | IdKind::NoKk, 13, 16) => {
            "nomor urut 0000 (digit 13-16) tidak sah; harus 0001-9999".into()
        }
        (IdKind::NomorSementara, 1, 1) => "nomor sementara harus diawali 0".into(),
        (IdKind::NomorSementara, 12, 16) => {
            "nomor urut 00000 (digit 12-16) tidak sah; harus 00001-99999".into()
        }
        (IdKind::NomorSementara, _, _) => format!(
            "kode desa {} (digit 2-11) pada nomor sementara tidak sah ({})",
            part(2, 11),
            e.rule()
        ),
        // A rule this module does not know yet: the domain's own words beat none.
        _ => format!("digit {a}-{b}: {}", e.rule()),
    }
}

/// Why a coded cell was refused.
pub(crate) fn unknown_code(e: &UnknownCode) -> String {
    format!(
        "{:?} bukan kode {} yang dikenal; isi salah satu kode {} atau labelnya, mis. {:?}",
        e.input, e.list, e.codes, e.example
    )
}

/// Why a name was refused.
pub(crate) fn person_name(e: &PersonNameError) -> String {
    match e {
        PersonNameError::Empty => "nama wajib diisi".into(),
        PersonNameError::TooLong { max, len } => {
            format!("nama paling panjang {max} karakter, yang ini {len} karakter")
        }
        PersonNameError::BadCharacter { ch, position } => format!(
            "karakter {ch:?} (ke-{position}) tidak boleh ada dalam nama; hanya huruf, spasi dan . , ' -"
        ),
    }
}

/// Why a dusun, RW or RT was refused.
pub(crate) fn wilayah(e: &WilayahError) -> String {
    match e {
        WilayahError::Empty(part) => format!("{part} wajib diisi"),
        WilayahError::TooLong(part) => format!("{part} paling panjang 60 karakter"),
        WilayahError::NotANumber { part, .. } => {
            format!("{part} harus berupa angka (mis. 003) atau '-'")
        }
    }
}

/// A NIK that disagrees with the recorded birth date or sex.
pub(crate) fn nik_warning(w: &NikWarning) -> String {
    match w {
        NikWarning::BirthDateDiffers {
            nik: (d, m, y),
            recorded,
        } => format!(
            "tanggal lahir di NIK ({d:02}-{m:02}-{y:02}) berbeda dengan tanggallahir {:02}-{:02}-{:04}",
            recorded.day(),
            u8::from(recorded.month()),
            recorded.year()
        ),
        NikWarning::SexDiffers { nik, recorded } => {
            format!("NIK menandakan {nik}, tetapi sex tercatat {recorded}")
        }
        NikWarning::UnknownRegion(p) => format!("kode wilayah NIK {p} tidak dikenal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_domain::{Nik, NoKk, NomorSementara};

    fn nik(s: &str) -> String {
        id_number("NIK", s, &Nik::parse(s).unwrap_err())
    }

    #[test]
    fn nik_rules_read_in_indonesian() {
        for (input, expected) in [
            ("331001570889000", "harus 16 digit angka, tertulis 15 digit"),
            ("3310015708a90003", "karakter ke-11 ('a') bukan angka"),
            ("0310015708890003", "nomor sementara"),
            ("1010015708890003", "kode provinsi 10 (digit 1-2)"),
            ("3300015708890003", "kode kabupaten/kota 00"),
            ("3310005708890003", "kode kecamatan 00"),
            ("3310013508890003", "tanggal lahir 35 (digit 7-8)"),
            ("3310011713890003", "bulan lahir 13"),
            (
                "3310013102890003",
                "tanggal lahir 31-02-89 (digit 7-12) tidak ada",
            ),
            ("3310011708890000", "nomor urut 0000"),
        ] {
            let r = nik(input);
            assert!(r.starts_with("NIK tidak valid: "), "{r}");
            assert!(r.contains(expected), "{input}: {r}");
        }
    }

    #[test]
    fn no_kk_and_temporary_numbers_too() {
        let e = NoKk::parse("3310014503200001").unwrap_err();
        assert!(
            id_number("No. KK", "3310014503200001", &e).contains("tanggal pencatatan 45-03-20")
        );
        let e = NomorSementara::parse("0331001200100000").unwrap_err();
        assert!(id_number("NIK", "0331001200100000", &e).contains("nomor urut 00000"));
    }
}
