//! The reference code lists villages already use (DOMAIN.md), each a type
//! with its numeric code and Indonesian label, parsed from the code, the
//! label or a common alias.

use std::fmt;

/// A value that is not in a code list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown {list} {input:?}: expected one of the codes {codes} or its label, e.g. {example:?}"
)]
pub struct UnknownCode {
    /// Name of the list (the import column name).
    pub list: &'static str,
    /// The rejected input, trimmed.
    pub input: String,
    /// The valid codes, e.g. `1-7`.
    pub codes: String,
    /// One valid label, to show the expected spelling.
    pub example: &'static str,
}

/// Uppercases and drops whitespace so that `Tidak / Belum Sekolah` and
/// `TIDAK/BELUM SEKOLAH` compare equal.
pub(crate) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Describes a list's codes compactly, e.g. `1-7` or `1-4, 6, 9`.
pub(crate) fn describe_codes(codes: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let start = codes[i];
        let mut end = start;
        while i + 1 < codes.len() && codes[i + 1] == end + 1 {
            i += 1;
            end = codes[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// Common behaviour of every code list, for code that handles lists generically
/// (imports, exports, statistics).
pub trait CodeList: Sized + Copy + fmt::Debug + fmt::Display + 'static {
    /// The list's name (its import column).
    const LIST: &'static str;
    /// Every member, in code order.
    fn all() -> &'static [Self];
    /// The numeric code.
    fn code(self) -> u8;
    /// The Indonesian label.
    fn label(self) -> &'static str;
    /// The member with this code.
    fn from_code(code: u8) -> Option<Self>;
    /// Parses a code number, a label or an alias.
    fn parse(input: &str) -> Result<Self, UnknownCode>;
}

macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $name:ident, $list:literal {
            $( $variant:ident = $code:literal, $label:literal $(| $alias:literal)* ; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( #[doc = $label] $variant, )+
        }

        impl $name {
            /// Every member, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The numeric code used by OpenSID and Dukcapil.
            pub const fn code(self) -> u8 {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Indonesian label.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The member with this numeric code.
            pub const fn from_code(code: u8) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses a numeric code, a label or a common alias, ignoring case and spacing.
            pub fn parse(input: &str) -> Result<Self, $crate::codes::UnknownCode> {
                let t = input.trim();
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                    if let Some(v) = t.parse::<u8>().ok().and_then(Self::from_code) {
                        return Ok(v);
                    }
                } else {
                    let n = $crate::codes::normalize(t);
                    $(
                        if n == $crate::codes::normalize($label)
                            $(|| n == $crate::codes::normalize($alias))*
                        {
                            return Ok($name::$variant);
                        }
                    )+
                }
                let codes: Vec<u8> = Self::ALL.iter().map(|v| v.code()).collect();
                Err($crate::codes::UnknownCode {
                    list: $list,
                    input: t.chars().take(60).collect(),
                    codes: $crate::codes::describe_codes(&codes),
                    example: Self::ALL[0].label(),
                })
            }
        }

        impl $crate::codes::CodeList for $name {
            const LIST: &'static str = $list;
            fn all() -> &'static [Self] { Self::ALL }
            fn code(self) -> u8 { $name::code(self) }
            fn label(self) -> &'static str { $name::label(self) }
            fn from_code(code: u8) -> Option<Self> { $name::from_code(code) }
            fn parse(input: &str) -> Result<Self, $crate::codes::UnknownCode> { $name::parse(input) }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = u8::deserialize(d)?;
                Self::from_code(code).ok_or_else(|| serde::de::Error::custom(
                    format!("unknown {} code {}", $list, code)))
            }
        }
    };
}

mod agama;
mod alasan_pindah;
mod asuransi;
mod cacat;
mod cara_kb;
mod golongan_darah;
mod hamil;
mod klasifikasi_pindah;
mod ktp_el;
mod pekerjaan;
mod pendidikan_kk;
mod pendidikan_sedang;
mod penerang_kematian;
mod penolong_kelahiran;
mod peristiwa;
mod sebab_kematian;
mod sex;
mod shdk;
mod status_dasar;
mod status_kawin;
mod status_rekam;
mod tempat_dilahirkan;
mod warganegara;
pub use agama::Agama;
pub use alasan_pindah::AlasanPindah;
pub use asuransi::Asuransi;
pub use cacat::Cacat;
pub use cara_kb::CaraKb;
pub use golongan_darah::GolonganDarah;
pub use hamil::Hamil;
pub use klasifikasi_pindah::KlasifikasiPindah;
pub use ktp_el::KtpEl;
pub use pekerjaan::Pekerjaan;
pub use pendidikan_kk::PendidikanKk;
pub use pendidikan_sedang::PendidikanSedang;
pub use penerang_kematian::PenerangKematian;
pub use penolong_kelahiran::PenolongKelahiran;
pub use peristiwa::Peristiwa;
pub use sebab_kematian::SebabKematian;
pub use sex::Sex;
pub use shdk::Shdk;
pub use status_dasar::StatusDasar;
pub use status_kawin::StatusKawin;
pub use status_rekam::StatusRekam;
pub use tempat_dilahirkan::TempatDilahirkan;
pub use warganegara::Warganegara;

impl Sex {
    /// The other sex's NIK day offset: women's NIKs add 40 to the birth day.
    pub const fn nik_day_offset(self) -> u8 {
        match self {
            Sex::LakiLaki => 0,
            Sex::Perempuan => 40,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_labels_and_aliases() {
        assert_eq!(Sex::parse("1"), Ok(Sex::LakiLaki));
        assert_eq!(Sex::parse(" lk "), Ok(Sex::LakiLaki));
        assert_eq!(Sex::parse("Perempuan"), Ok(Sex::Perempuan));
        assert_eq!(StatusKawin::parse("CM"), Ok(StatusKawin::CeraiMati));
        assert_eq!(
            PendidikanKk::parse("Tidak / Belum Sekolah"),
            Ok(PendidikanKk::TidakBelumSekolah)
        );
        assert_eq!(Pekerjaan::parse("PNS"), Ok(Pekerjaan::PegawaiNegeriSipil));
        assert_eq!(
            Pekerjaan::parse("pegawai negeri sipil"),
            Ok(Pekerjaan::PegawaiNegeriSipil)
        );
        assert_eq!(Pekerjaan::parse("088"), Ok(Pekerjaan::Wiraswasta));
        assert_eq!(GolonganDarah::parse("a+"), Ok(GolonganDarah::APos));
        assert_eq!(GolonganDarah::parse("A"), Ok(GolonganDarah::A));
        assert_eq!(Shdk::parse("orang tua"), Ok(Shdk::Orangtua));
        assert_eq!(StatusDasar::parse("6"), Ok(StatusDasar::Pergi));
        // SIAK's English names of e-KTP steps are read; the label is Indonesian.
        assert_eq!(
            StatusRekam::parse("card issued"),
            Ok(StatusRekam::CardIssued)
        );
        assert_eq!(StatusRekam::CardIssued.label(), "KARTU DITERBITKAN");
    }

    #[test]
    fn unknown_values_name_the_list_and_the_valid_codes() {
        let e = StatusDasar::parse("5").unwrap_err();
        assert_eq!(e.codes, "1-4, 6, 9");
        assert!(
            e.to_string().starts_with("unknown status_dasar \"5\""),
            "{e}"
        );
        assert!(Agama::parse("").is_err());
        assert!(Sex::parse("300").is_err());
    }

    #[test]
    fn lists_have_the_documented_sizes_and_unique_codes() {
        assert_eq!(Pekerjaan::ALL.len(), 89);
        assert_eq!(Pekerjaan::from_code(86), Some(Pekerjaan::KepalaDesa));
        assert_eq!(PendidikanKk::ALL.len(), 10);
        assert_eq!(Shdk::ALL.len(), 11);
        assert_eq!(GolonganDarah::ALL.len(), 13);
        for codes in [
            Pekerjaan::ALL.iter().map(|v| v.code()).collect::<Vec<_>>(),
            StatusDasar::ALL.iter().map(|v| v.code()).collect(),
        ] {
            let mut sorted = codes.clone();
            sorted.dedup();
            assert_eq!(sorted, codes);
        }
    }

    #[test]
    fn every_label_and_code_parses_back_to_itself() {
        fn check<T: CodeList + PartialEq>() {
            for v in T::all() {
                assert_eq!(T::parse(v.label()).unwrap(), *v, "{}", v.label());
                assert_eq!(T::parse(&v.code().to_string()).unwrap(), *v);
            }
        }
        check::<Sex>();
        check::<Agama>();
        check::<PendidikanKk>();
        check::<PendidikanSedang>();
        check::<Pekerjaan>();
        check::<StatusKawin>();
        check::<Shdk>();
        check::<GolonganDarah>();
        check::<Warganegara>();
        check::<Cacat>();
        check::<StatusDasar>();
        check::<CaraKb>();
        check::<Hamil>();
        check::<KtpEl>();
        check::<StatusRekam>();
        check::<Asuransi>();
        check::<Peristiwa>();
        check::<TempatDilahirkan>();
        check::<PenolongKelahiran>();
        check::<SebabKematian>();
        check::<PenerangKematian>();
        check::<AlasanPindah>();
        check::<KlasifikasiPindah>();
    }
}
