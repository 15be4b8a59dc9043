//! The 43 columns of the OpenSID resident workbook: the one place their
//! header names, order and requiredness are spelled out.

/// The header row of the OpenSID resident workbook, in the order of
/// `FormatImporExcel.xlsm` (sheet "Data Penduduk"). The writers use this order.
pub const HEADERS: [&str; 43] = [
    "alamat",
    "dusun",
    "rw",
    "rt",
    "nama",
    "no_kk",
    "nik",
    "sex",
    "tempatlahir",
    "tanggallahir",
    "agama_id",
    "pendidikan_kk_id",
    "pendidikan_sedang_id",
    "pekerjaan_id",
    "status_kawin",
    "kk_level",
    "warganegara_id",
    "ayah_nik",
    "nama_ayah",
    "ibu_nik",
    "nama_ibu",
    "golongan_darah_id",
    "akta_lahir",
    "dokumen_pasport",
    "tanggal_akhir_paspor",
    "dokumen_kitas",
    "akta_perkawinan",
    "tanggalperkawinan",
    "akta_perceraian",
    "tanggalperceraian",
    "cacat_id",
    "cara_kb_id",
    "hamil",
    "ktp_el",
    "status_rekam",
    "alamat_sekarang",
    "status_dasar",
    "suku",
    "tag_id_card",
    "id_asuransi",
    "no_asuransi",
    "lat",
    "lng",
];

/// One column of the workbook; the discriminant is its index in [`HEADERS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Column {
    Alamat,
    Dusun,
    Rw,
    Rt,
    Nama,
    NoKk,
    Nik,
    Sex,
    TempatLahir,
    TanggalLahir,
    AgamaId,
    PendidikanKkId,
    PendidikanSedangId,
    PekerjaanId,
    StatusKawin,
    KkLevel,
    WarganegaraId,
    AyahNik,
    NamaAyah,
    IbuNik,
    NamaIbu,
    GolonganDarahId,
    AktaLahir,
    DokumenPasport,
    TanggalAkhirPaspor,
    DokumenKitas,
    AktaPerkawinan,
    TanggalPerkawinan,
    AktaPerceraian,
    TanggalPerceraian,
    CacatId,
    CaraKbId,
    Hamil,
    KtpEl,
    StatusRekam,
    AlamatSekarang,
    StatusDasar,
    Suku,
    TagIdCard,
    IdAsuransi,
    NoAsuransi,
    Lat,
    Lng,
}

impl Column {
    /// Every column, in [`HEADERS`] order.
    pub(crate) const ALL: [Column; 43] = {
        use Column::*;
        [
            Alamat,
            Dusun,
            Rw,
            Rt,
            Nama,
            NoKk,
            Nik,
            Sex,
            TempatLahir,
            TanggalLahir,
            AgamaId,
            PendidikanKkId,
            PendidikanSedangId,
            PekerjaanId,
            StatusKawin,
            KkLevel,
            WarganegaraId,
            AyahNik,
            NamaAyah,
            IbuNik,
            NamaIbu,
            GolonganDarahId,
            AktaLahir,
            DokumenPasport,
            TanggalAkhirPaspor,
            DokumenKitas,
            AktaPerkawinan,
            TanggalPerkawinan,
            AktaPerceraian,
            TanggalPerceraian,
            CacatId,
            CaraKbId,
            Hamil,
            KtpEl,
            StatusRekam,
            AlamatSekarang,
            StatusDasar,
            Suku,
            TagIdCard,
            IdAsuransi,
            NoAsuransi,
            Lat,
            Lng,
        ]
    };

    /// Position in [`HEADERS`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The header name.
    pub(crate) const fn name(self) -> &'static str {
        HEADERS[self as usize]
    }

    /// The column whose header this is: trimmed, case-insensitive.
    pub(crate) fn from_header(header: &str) -> Option<Column> {
        let h = header.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(h))
    }

    /// Whether the header must be present. Besides the nine identity and
    /// location columns, the four codes every row must fill (agama,
    /// pendidikan, pekerjaan, status kawin) are required as headers too: a
    /// missing column is then one header error instead of one error per row.
    pub(crate) const fn is_required(self) -> bool {
        use Column::*;
        matches!(
            self,
            Nama | Nik
                | NoKk
                | Sex
                | TanggalLahir
                | KkLevel
                | Dusun
                | Rw
                | Rt
                | AgamaId
                | PendidikanKkId
                | PekerjaanId
                | StatusKawin
        )
    }
}

/// The spreadsheet letters of a 0-based column index: 0 → `A`, 26 → `AA`.
pub(crate) fn letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_order_matches_the_header_list() {
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Column::from_header(HEADERS[i]), Some(*c));
        }
        assert_eq!(Column::from_header(" NIK "), Some(Column::Nik));
        assert_eq!(Column::from_header("agamaa"), None);
    }

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(10), "K");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(42), "AQ");
        assert_eq!(letters(16_383), "XFD");
    }
}
