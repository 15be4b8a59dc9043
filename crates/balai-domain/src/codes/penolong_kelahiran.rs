//! Who helped at a birth (penolong kelahiran), as form F-2.01 asks.

code_list! {
    /// Who helped at a birth (penolong kelahiran), as form F-2.01 asks.
    PenolongKelahiran, "penolong_kelahiran" {
        Dokter = 1, "DOKTER";
        BidanPerawat = 2, "BIDAN/PERAWAT" | "BIDAN" | "PERAWAT";
        Dukun = 3, "DUKUN";
        Lainnya = 4, "LAINNYA";
    }
}
