//! Who determined a death (yang menerangkan kematian), as form F-2.01 asks.

code_list! {
    /// Who determined a death (yang menerangkan kematian), as form F-2.01 asks.
    PenerangKematian, "penerang_kematian" {
        Dokter = 1, "DOKTER";
        TenagaKesehatan = 2, "TENAGA KESEHATAN";
        Kepolisian = 3, "KEPOLISIAN" | "POLISI";
        SaksiLainnya = 4, "SAKSI/LAINNYA" | "SAKSI" | "LAINNYA";
    }
}
