//! Indonesian wording for the domain's rejection reasons, so an
//! operator reads why a cell was refused in the language of the workbook.

use balai_domain::codes::UnknownCode;
use balai_domain::nik::NikWarning;
use balai_domain::parse_error::ParseIdError;
use balai_domain::person_name::PersonNameError;
use balai_domain::wilayah::WilayahError;

/// Why an identity number was refused, e.g. `NIK tidak valid: bulan lahir 13 (digit 9-10) harus 01-12`
/// (the domain's Indonesian wording, [`ParseIdError::alasan`]).
pub(crate) fn id_number(label: &str, _input: &str, e: &ParseIdError) -> String {
    e.alasan(label)
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
            ("331001570889000", "harus 16 angka, tertulis 15"),
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
