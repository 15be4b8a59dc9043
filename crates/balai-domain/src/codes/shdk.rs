//! Relationship to the family head (status hubungan dalam keluarga, SHDK).

code_list! {
    /// Relationship to the family head (status hubungan dalam keluarga, SHDK).
    Shdk, "kk_level" {
        KepalaKeluarga = 1, "KEPALA KELUARGA" | "KK" | "KEPALA";
        Suami = 2, "SUAMI";
        Istri = 3, "ISTRI" | "ISTERI";
        Anak = 4, "ANAK";
        Menantu = 5, "MENANTU";
        Cucu = 6, "CUCU";
        Orangtua = 7, "ORANGTUA" | "ORANG TUA";
        Mertua = 8, "MERTUA";
        FamiliLain = 9, "FAMILI LAIN";
        Pembantu = 10, "PEMBANTU";
        Lainnya = 11, "LAINNYA";
    }
}
