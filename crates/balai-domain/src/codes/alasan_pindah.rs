//! Why someone moves (alasan pindah), as form F-1.03 asks.

code_list! {
    /// Why someone moves (alasan pindah), as form F-1.03 asks.
    AlasanPindah, "alasan_pindah" {
        Pekerjaan = 1, "PEKERJAAN";
        Pendidikan = 2, "PENDIDIKAN";
        Keamanan = 3, "KEAMANAN";
        Kesehatan = 4, "KESEHATAN";
        Perumahan = 5, "PERUMAHAN";
        Keluarga = 6, "KELUARGA";
        Lainnya = 7, "LAINNYA";
    }
}
