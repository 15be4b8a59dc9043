//! Highest education as recorded on the KK (pendidikan dalam KK).

code_list! {
    /// Highest education as recorded on the KK (pendidikan dalam KK).
    PendidikanKk, "pendidikan_kk_id" {
        TidakBelumSekolah = 1, "TIDAK/BELUM SEKOLAH" | "BELUM SEKOLAH" | "TIDAK SEKOLAH";
        BelumTamatSdSederajat = 2, "BELUM TAMAT SD/SEDERAJAT";
        TamatSdSederajat = 3, "TAMAT SD/SEDERAJAT" | "SD";
        SltpSederajat = 4, "SLTP/SEDERAJAT" | "SMP" | "SLTP";
        SltaSederajat = 5, "SLTA/SEDERAJAT" | "SMA" | "SLTA" | "SMK";
        DiplomaIIi = 6, "DIPLOMA I/II" | "D1" | "D2";
        AkademiDiplomaIiiSMuda = 7, "AKADEMI/DIPLOMA III/S. MUDA" | "D3";
        DiplomaIvStrataI = 8, "DIPLOMA IV/STRATA I" | "S1" | "D4";
        StrataIi = 9, "STRATA II" | "S2";
        StrataIii = 10, "STRATA III" | "S3";
    }
}
