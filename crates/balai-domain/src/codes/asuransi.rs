//! Health insurance (asuransi kesehatan).

code_list! {
    /// Health insurance (asuransi kesehatan).
    Asuransi, "id_asuransi" {
        TidakBelumPunya = 1, "TIDAK/BELUM PUNYA" | "TIDAK PUNYA" | "BELUM PUNYA";
        BpjsPenerimaBantuanIuran = 2, "BPJS PENERIMA BANTUAN IURAN" | "PBI";
        BpjsNonPenerimaBantuanIuran = 3, "BPJS NON PENERIMA BANTUAN IURAN" | "NON PBI";
        BpjsBantuanDaerah = 4, "BPJS BANTUAN DAERAH";
        AsuransiLainnya = 99, "ASURANSI LAINNYA" | "LAINNYA";
    }
}
