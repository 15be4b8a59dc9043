//! The letters a village office issues (surat keterangan and pengantar): what
//! each is called, its archive classification, the extra facts it asks for,
//! and whom it can be about.

use crate::codes::{StatusDasar, StatusKawin};

/// How an extra field is typed and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A date.
    Date,
    /// A whole number (amounts in rupiah, counts).
    Number,
    /// One of a fixed list: a form offers them as buttons, never as typing
    /// (a kiosk has no keyboard to spell "perpanjangan" on).
    Choice(&'static [FieldChoice]),
}

/// One option of a [`FieldKind::Choice`] field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldChoice {
    /// Stable code: what a form posts and a request stores.
    pub code: &'static str,
    /// What the letter prints.
    pub text: &'static str,
}

impl FieldKind {
    /// The option of a choice field `value` names (its code, in any case),
    /// `None` for any other value or a field that is not a choice.
    pub fn choice(self, value: &str) -> Option<FieldChoice> {
        match self {
            FieldKind::Choice(options) => options
                .iter()
                .find(|o| o.code.eq_ignore_ascii_case(value.trim()))
                .copied(),
            _ => None,
        }
    }
}

/// What an identity document is asked for: new, renewed or replaced.
pub const APPLICATION_KINDS: &[FieldChoice] = &[
    FieldChoice {
        code: "baru",
        text: "baru",
    },
    FieldChoice {
        code: "perpanjangan",
        text: "perpanjangan",
    },
    FieldChoice {
        code: "penggantian",
        text: "penggantian",
    },
];

/// A purpose residents often ask a letter for, offered as a choice so it
/// can be picked by touch. The text is what the letter prints (always a
/// sentence that passes the purpose rule); the code is what a form posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommonPurpose {
    /// Applying for a job.
    MelamarKerja,
    /// Enrolling in school.
    DaftarSekolah,
    /// Applying for a scholarship.
    Beasiswa,
    /// Opening a bank account.
    RekeningBank,
    /// A business loan.
    KreditUsaha,
    /// Lower school fees.
    KeringananSekolah,
    /// Lower hospital fees.
    KeringananBerobat,
    /// Social assistance.
    BantuanSosial,
    /// The birth certificate (akta kelahiran).
    AktaKelahiran,
    /// The death certificate (akta kematian).
    AktaKematian,
    /// An inheritance.
    Warisan,
    /// Moving one's registration to another place.
    PindahDomisili,
    /// Registering a marriage.
    Menikah,
    /// Reporting a loss to the police.
    LaporanKehilangan,
    /// The electronic identity card.
    KtpEl,
    /// The family card.
    KartuKeluarga,
    /// A police permit for a gathering.
    IzinKeramaian,
}

impl CommonPurpose {
    /// Every purpose.
    pub const ALL: [CommonPurpose; 17] = [
        CommonPurpose::MelamarKerja,
        CommonPurpose::DaftarSekolah,
        CommonPurpose::Beasiswa,
        CommonPurpose::RekeningBank,
        CommonPurpose::KreditUsaha,
        CommonPurpose::KeringananSekolah,
        CommonPurpose::KeringananBerobat,
        CommonPurpose::BantuanSosial,
        CommonPurpose::AktaKelahiran,
        CommonPurpose::AktaKematian,
        CommonPurpose::Warisan,
        CommonPurpose::PindahDomisili,
        CommonPurpose::Menikah,
        CommonPurpose::LaporanKehilangan,
        CommonPurpose::KtpEl,
        CommonPurpose::KartuKeluarga,
        CommonPurpose::IzinKeramaian,
    ];

    /// Stable code posted by forms.
    pub const fn code(self) -> &'static str {
        match self {
            CommonPurpose::MelamarKerja => "melamar-kerja",
            CommonPurpose::DaftarSekolah => "daftar-sekolah",
            CommonPurpose::Beasiswa => "beasiswa",
            CommonPurpose::RekeningBank => "rekening-bank",
            CommonPurpose::KreditUsaha => "kredit-usaha",
            CommonPurpose::KeringananSekolah => "keringanan-sekolah",
            CommonPurpose::KeringananBerobat => "keringanan-berobat",
            CommonPurpose::BantuanSosial => "bantuan-sosial",
            CommonPurpose::AktaKelahiran => "akta-kelahiran",
            CommonPurpose::AktaKematian => "akta-kematian",
            CommonPurpose::Warisan => "warisan",
            CommonPurpose::PindahDomisili => "pindah-domisili",
            CommonPurpose::Menikah => "menikah",
            CommonPurpose::LaporanKehilangan => "laporan-kehilangan",
            CommonPurpose::KtpEl => "ktp-el",
            CommonPurpose::KartuKeluarga => "kartu-keluarga",
            CommonPurpose::IzinKeramaian => "izin-keramaian",
        }
    }

    /// The purpose with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code.trim())
    }

    /// What the letter prints as its purpose.
    pub const fn text(self) -> &'static str {
        match self {
            CommonPurpose::MelamarKerja => "Persyaratan melamar pekerjaan",
            CommonPurpose::DaftarSekolah => "Persyaratan pendaftaran sekolah",
            CommonPurpose::Beasiswa => "Persyaratan pengajuan beasiswa",
            CommonPurpose::RekeningBank => "Persyaratan pembukaan rekening bank",
            CommonPurpose::KreditUsaha => "Persyaratan pengajuan kredit usaha",
            CommonPurpose::KeringananSekolah => "Persyaratan keringanan biaya sekolah",
            CommonPurpose::KeringananBerobat => "Persyaratan keringanan biaya berobat",
            CommonPurpose::BantuanSosial => "Persyaratan pengajuan bantuan sosial",
            CommonPurpose::AktaKelahiran => "Persyaratan pembuatan akta kelahiran",
            CommonPurpose::AktaKematian => "Persyaratan pembuatan akta kematian",
            CommonPurpose::Warisan => "Persyaratan pengurusan warisan",
            CommonPurpose::PindahDomisili => "Persyaratan pindah domisili",
            CommonPurpose::Menikah => "Persyaratan pendaftaran pernikahan",
            CommonPurpose::LaporanKehilangan => "Persyaratan laporan kehilangan ke kepolisian",
            CommonPurpose::KtpEl => "Persyaratan pembuatan KTP elektronik",
            CommonPurpose::KartuKeluarga => "Persyaratan pembuatan Kartu Keluarga",
            CommonPurpose::IzinKeramaian => "Persyaratan izin keramaian dari kepolisian",
        }
    }
}

/// One extra field a letter kind asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraField {
    /// Form and data key.
    pub key: &'static str,
    /// Label printed on the form and the letter.
    pub label: &'static str,
    /// Type.
    pub kind: FieldKind,
    /// Whether it must be filled.
    pub required: bool,
}

const fn text(key: &'static str, label: &'static str) -> ExtraField {
    ExtraField {
        key,
        label,
        kind: FieldKind::Text,
        required: true,
    }
}
const fn date(key: &'static str, label: &'static str) -> ExtraField {
    ExtraField {
        key,
        label,
        kind: FieldKind::Date,
        required: true,
    }
}
const fn number(key: &'static str, label: &'static str) -> ExtraField {
    ExtraField {
        key,
        label,
        kind: FieldKind::Number,
        required: true,
    }
}
const fn optional(f: ExtraField) -> ExtraField {
    ExtraField {
        required: false,
        ..f
    }
}

/// A kind of village letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterKind {
    /// Surat Keterangan (umum).
    Umum,
    /// Surat Pengantar (umum).
    Pengantar,
    /// Surat Keterangan Domisili.
    Domisili,
    /// Surat Keterangan Usaha.
    Usaha,
    /// Surat Keterangan Tidak Mampu.
    TidakMampu,
    /// Surat Keterangan Kelahiran.
    Kelahiran,
    /// Surat Keterangan Kematian.
    Kematian,
    /// Surat Keterangan Pindah.
    Pindah,
    /// Surat Keterangan Belum Menikah.
    BelumMenikah,
    /// Surat Keterangan Penghasilan Orang Tua.
    PenghasilanOrangTua,
    /// Surat Keterangan Kehilangan.
    Kehilangan,
    /// Surat Pengantar SKCK.
    PengantarSkck,
    /// Surat Pengantar KTP.
    PengantarKtp,
    /// Surat Pengantar KK.
    PengantarKk,
    /// Surat Izin Keramaian.
    IzinKeramaian,
}

impl LetterKind {
    /// Every kind, in menu order.
    pub const ALL: [LetterKind; 15] = [
        LetterKind::Umum,
        LetterKind::Pengantar,
        LetterKind::Domisili,
        LetterKind::Usaha,
        LetterKind::TidakMampu,
        LetterKind::Kelahiran,
        LetterKind::Kematian,
        LetterKind::Pindah,
        LetterKind::BelumMenikah,
        LetterKind::PenghasilanOrangTua,
        LetterKind::Kehilangan,
        LetterKind::PengantarSkck,
        LetterKind::PengantarKtp,
        LetterKind::PengantarKk,
        LetterKind::IzinKeramaian,
    ];

    /// Stable code used in URLs, storage and the QR statement.
    pub const fn code(self) -> &'static str {
        match self {
            LetterKind::Umum => "umum",
            LetterKind::Pengantar => "pengantar",
            LetterKind::Domisili => "domisili",
            LetterKind::Usaha => "usaha",
            LetterKind::TidakMampu => "tidak-mampu",
            LetterKind::Kelahiran => "kelahiran",
            LetterKind::Kematian => "kematian",
            LetterKind::Pindah => "pindah",
            LetterKind::BelumMenikah => "belum-menikah",
            LetterKind::PenghasilanOrangTua => "penghasilan-orang-tua",
            LetterKind::Kehilangan => "kehilangan",
            LetterKind::PengantarSkck => "pengantar-skck",
            LetterKind::PengantarKtp => "pengantar-ktp",
            LetterKind::PengantarKk => "pengantar-kk",
            LetterKind::IzinKeramaian => "izin-keramaian",
        }
    }

    /// The kind with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The printed title.
    pub const fn title(self) -> &'static str {
        match self {
            LetterKind::Umum => "SURAT KETERANGAN",
            LetterKind::Pengantar => "SURAT PENGANTAR",
            LetterKind::Domisili => "SURAT KETERANGAN DOMISILI",
            LetterKind::Usaha => "SURAT KETERANGAN USAHA",
            LetterKind::TidakMampu => "SURAT KETERANGAN TIDAK MAMPU",
            LetterKind::Kelahiran => "SURAT KETERANGAN KELAHIRAN",
            LetterKind::Kematian => "SURAT KETERANGAN KEMATIAN",
            LetterKind::Pindah => "SURAT KETERANGAN PINDAH",
            LetterKind::BelumMenikah => "SURAT KETERANGAN BELUM MENIKAH",
            LetterKind::PenghasilanOrangTua => "SURAT KETERANGAN PENGHASILAN ORANG TUA",
            LetterKind::Kehilangan => "SURAT KETERANGAN KEHILANGAN",
            LetterKind::PengantarSkck => "SURAT PENGANTAR SKCK",
            LetterKind::PengantarKtp => "SURAT PENGANTAR KTP",
            LetterKind::PengantarKk => "SURAT PENGANTAR KARTU KELUARGA",
            LetterKind::IzinKeramaian => "SURAT KETERANGAN IZIN KERAMAIAN",
        }
    }

    /// The archive classification code (Permendagri 83/2022), the usual first part of the number.
    pub const fn classification(self) -> &'static str {
        match self {
            LetterKind::Umum | LetterKind::Pengantar => "470",
            LetterKind::Domisili => "474.4",
            LetterKind::Usaha => "510",
            LetterKind::TidakMampu => "401",
            LetterKind::Kelahiran => "472.11",
            LetterKind::Kematian => "472.12",
            LetterKind::Pindah => "471.21",
            LetterKind::BelumMenikah => "472.2",
            LetterKind::PenghasilanOrangTua => "400",
            LetterKind::Kehilangan | LetterKind::PengantarSkck => "331",
            LetterKind::PengantarKtp => "471.13",
            LetterKind::PengantarKk => "471.14",
            LetterKind::IzinKeramaian => "300",
        }
    }

    /// The facts this kind asks for beyond the resident's record.
    pub fn extra_fields(self) -> &'static [ExtraField] {
        const UMUM: &[ExtraField] = &[text("keterangan", "Keterangan")];
        const DOMISILI: &[ExtraField] = &[
            text("alamat_domisili", "Alamat domisili"),
            optional(date("domisili_sejak", "Berdomisili sejak")),
        ];
        const USAHA: &[ExtraField] = &[
            text("nama_usaha", "Nama usaha"),
            text("jenis_usaha", "Jenis usaha"),
            text("alamat_usaha", "Alamat usaha"),
            optional(date("mulai_usaha", "Mulai usaha")),
        ];
        const TIDAK_MAMPU: &[ExtraField] = &[
            optional(number("penghasilan", "Penghasilan per bulan (Rp)")),
            optional(number("tanggungan", "Jumlah tanggungan")),
        ];
        const KELAHIRAN: &[ExtraField] = &[
            text("tempat_bersalin", "Tempat bersalin"),
            optional(text("jam_lahir", "Jam lahir")),
            optional(text("penolong", "Penolong kelahiran")),
        ];
        // Filled from the recorded death (its date always; time, place,
        // cause and who determined it when recorded): typed values only
        // fill what the record lacks (deaths recorded before particulars).
        const KEMATIAN: &[ExtraField] = &[
            optional(date("tanggal_meninggal", "Tanggal meninggal")),
            optional(text("jam_meninggal", "Pukul")),
            optional(text("tempat_meninggal", "Tempat meninggal")),
            optional(text("sebab", "Sebab kematian")),
            optional(text("penerang", "Yang menerangkan")),
        ];
        // Filled from a recorded move out; before it is recorded the
        // address, reason and date must be typed (see `RECORD_FILLED`).
        const PINDAH: &[ExtraField] = &[
            optional(text("alamat_tujuan", "Alamat tujuan")),
            optional(text("wilayah_tujuan", "Desa/Kecamatan tujuan")),
            optional(text("klasifikasi_pindah", "Klasifikasi pindah")),
            optional(text("alasan_pindah", "Alasan pindah")),
            optional(date("tanggal_pindah", "Tanggal pindah")),
            optional(number("pengikut", "Jumlah pengikut")),
        ];
        const PENGHASILAN: &[ExtraField] = &[
            text("nama_anak", "Nama anak"),
            number("penghasilan", "Penghasilan per bulan (Rp)"),
        ];
        const KEHILANGAN: &[ExtraField] = &[
            text("barang", "Barang yang hilang"),
            text("tempat_kejadian", "Tempat kejadian"),
            date("tanggal_kejadian", "Tanggal kejadian"),
        ];
        const PERMOHONAN: &[ExtraField] = &[ExtraField {
            key: "jenis_permohonan",
            label: "Jenis permohonan",
            kind: FieldKind::Choice(APPLICATION_KINDS),
            required: true,
        }];
        const KERAMAIAN: &[ExtraField] = &[
            text("nama_acara", "Nama acara"),
            date("tanggal_acara", "Tanggal acara"),
            text("waktu_acara", "Waktu"),
            text("tempat_acara", "Tempat"),
            optional(number("undangan", "Perkiraan jumlah undangan")),
            optional(text("hiburan", "Hiburan")),
        ];
        match self {
            LetterKind::Umum => UMUM,
            LetterKind::Domisili => DOMISILI,
            LetterKind::Usaha => USAHA,
            LetterKind::TidakMampu => TIDAK_MAMPU,
            LetterKind::Kelahiran => KELAHIRAN,
            LetterKind::Kematian => KEMATIAN,
            LetterKind::Pindah => PINDAH,
            LetterKind::PenghasilanOrangTua => PENGHASILAN,
            LetterKind::Kehilangan => KEHILANGAN,
            LetterKind::PengantarKtp | LetterKind::PengantarKk => PERMOHONAN,
            LetterKind::IzinKeramaian => KERAMAIAN,
            LetterKind::Pengantar | LetterKind::BelumMenikah | LetterKind::PengantarSkck => &[],
        }
    }

    /// The purposes offered as choices for this kind, most asked first
    /// (empty: the purpose is always typed). A resident may still type
    /// another.
    pub const fn common_purposes(self) -> &'static [CommonPurpose] {
        use CommonPurpose as P;
        match self {
            LetterKind::Umum | LetterKind::Pengantar => &[
                P::MelamarKerja,
                P::DaftarSekolah,
                P::RekeningBank,
                P::BantuanSosial,
            ],
            LetterKind::Domisili => &[
                P::MelamarKerja,
                P::DaftarSekolah,
                P::RekeningBank,
                P::BantuanSosial,
            ],
            LetterKind::Usaha => &[P::KreditUsaha, P::RekeningBank],
            LetterKind::TidakMampu => &[
                P::KeringananSekolah,
                P::KeringananBerobat,
                P::Beasiswa,
                P::BantuanSosial,
            ],
            LetterKind::Kelahiran => &[P::AktaKelahiran],
            LetterKind::Kematian => &[P::AktaKematian, P::Warisan],
            LetterKind::Pindah => &[P::PindahDomisili],
            LetterKind::BelumMenikah => &[P::Menikah, P::MelamarKerja],
            LetterKind::PenghasilanOrangTua => &[P::Beasiswa, P::DaftarSekolah],
            LetterKind::Kehilangan => &[P::LaporanKehilangan],
            LetterKind::PengantarSkck => &[P::MelamarKerja],
            LetterKind::PengantarKtp => &[P::KtpEl],
            LetterKind::PengantarKk => &[P::KartuKeluarga],
            LetterKind::IzinKeramaian => &[P::IzinKeramaian],
        }
    }

    /// The extra fields that must be typed when the record cannot fill
    /// them: a move-out letter for someone whose move is not recorded yet.
    pub const fn required_without_record(self) -> &'static [&'static str] {
        match self {
            LetterKind::Pindah => &["alamat_tujuan", "alasan_pindah", "tanggal_pindah"],
            _ => &[],
        }
    }

    /// Days the letter stays valid unless the operator chooses otherwise (`None`: no end).
    pub const fn default_validity_days(self) -> Option<u16> {
        match self {
            LetterKind::Kelahiran | LetterKind::Kematian => None,
            LetterKind::IzinKeramaian => Some(14),
            _ => Some(30),
        }
    }

    /// Whether a resident with this status and marital status can be the letter's subject.
    pub fn subject_allowed(
        self,
        status: StatusDasar,
        marital: StatusKawin,
    ) -> Result<(), &'static str> {
        match (self, status) {
            (LetterKind::Kematian, StatusDasar::Mati) => Ok(()),
            (LetterKind::Kematian, _) => {
                Err("surat keterangan kematian hanya untuk penduduk yang kematiannya sudah dicatat")
            }
            (_, StatusDasar::Mati) => Err("penduduk ini sudah meninggal dunia"),
            // The certificate of a move is made when the move is recorded.
            (LetterKind::Pindah, StatusDasar::Pindah) => Ok(()),
            (_, StatusDasar::Pindah) => Err("penduduk ini sudah pindah dari desa"),
            (_, StatusDasar::Hilang) => Err("penduduk ini tercatat hilang"),
            (_, StatusDasar::TidakValid) => Err("data penduduk ini tidak valid"),
            (LetterKind::BelumMenikah, _) if marital != StatusKawin::BelumKawin => {
                Err("status perkawinan penduduk ini bukan BELUM KAWIN")
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in LetterKind::ALL {
            assert_eq!(LetterKind::parse(k.code()), Some(k));
            assert!(seen.insert(k.code()));
            let mut keys = std::collections::HashSet::new();
            assert!(
                k.extra_fields().iter().all(|f| keys.insert(f.key)),
                "{k:?} repeats a field"
            );
        }
        assert!(LetterKind::ALL.len() >= 12);
    }

    #[test]
    fn choices_and_purposes_have_unique_codes_that_parse() {
        let mut seen = std::collections::HashSet::new();
        for p in CommonPurpose::ALL {
            assert_eq!(CommonPurpose::parse(p.code()), Some(p));
            assert!(seen.insert(p.code()), "{p:?}");
        }
        for k in LetterKind::ALL {
            for f in k.extra_fields() {
                if let FieldKind::Choice(options) = f.kind {
                    for o in options {
                        assert_eq!(f.kind.choice(o.code), Some(*o));
                        assert_eq!(f.kind.choice(&o.code.to_uppercase()), Some(*o));
                    }
                    assert_eq!(f.kind.choice("baru sekali"), None);
                }
            }
        }
        assert_eq!(FieldKind::Text.choice("baru"), None);
    }

    #[test]
    fn subjects_are_checked_by_status() {
        assert!(
            LetterKind::Domisili
                .subject_allowed(StatusDasar::Mati, StatusKawin::Kawin)
                .is_err()
        );
        assert!(
            LetterKind::Domisili
                .subject_allowed(StatusDasar::Pindah, StatusKawin::Kawin)
                .is_err()
        );
        assert!(
            LetterKind::Domisili
                .subject_allowed(StatusDasar::Pergi, StatusKawin::Kawin)
                .is_ok()
        );
        assert!(
            LetterKind::Kematian
                .subject_allowed(StatusDasar::Mati, StatusKawin::Kawin)
                .is_ok()
        );
        assert!(
            LetterKind::Kematian
                .subject_allowed(StatusDasar::Hidup, StatusKawin::Kawin)
                .is_err()
        );
        assert!(
            LetterKind::BelumMenikah
                .subject_allowed(StatusDasar::Hidup, StatusKawin::Kawin)
                .is_err()
        );
        // A move-out letter: before the move is recorded, or from its record.
        for s in [StatusDasar::Hidup, StatusDasar::Pindah] {
            assert!(
                LetterKind::Pindah
                    .subject_allowed(s, StatusKawin::Kawin)
                    .is_ok()
            );
        }
        assert!(
            LetterKind::Pindah
                .subject_allowed(StatusDasar::Mati, StatusKawin::Kawin)
                .is_err()
        );
    }

    #[test]
    fn classifications_exist_in_the_archive_code_list() {
        // The OpenSID copy of the Permendagri 83/2022 list, when the shared reference is present.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/opensid/klasifikasi_surat.csv"
        );
        let Ok(csv) = std::fs::read_to_string(path) else {
            assert!(
                std::env::var_os("BALAI_SKIP_REFERENCE").is_some(),
                "{path} is missing"
            );
            return;
        };
        let codes: std::collections::HashSet<&str> =
            csv.lines().filter_map(|l| l.split(',').nth(1)).collect();
        for k in LetterKind::ALL {
            assert!(
                codes.contains(k.classification()),
                "{k:?}: {}",
                k.classification()
            );
        }
    }
}
