//! The cause of a death by category (sebab kematian), as form F-2.01 asks.

code_list! {
    /// The cause of a death by category (sebab kematian), as form F-2.01 asks.
    SebabKematian, "sebab_kematian" {
        SakitBiasaTua = 1, "SAKIT BIASA/TUA" | "SAKIT" | "TUA";
        WabahPenyakit = 2, "WABAH PENYAKIT" | "WABAH";
        Kecelakaan = 3, "KECELAKAAN";
        Kriminalitas = 4, "KRIMINALITAS";
        BunuhDiri = 5, "BUNUH DIRI";
        Lainnya = 6, "LAINNYA";
    }
}
