//! Disability (cacat).

code_list! {
    /// Disability (cacat).
    Cacat, "cacat_id" {
        CacatFisik = 1, "CACAT FISIK";
        CacatNetraButa = 2, "CACAT NETRA/BUTA";
        CacatRunguWicara = 3, "CACAT RUNGU/WICARA";
        CacatMentalJiwa = 4, "CACAT MENTAL/JIWA";
        CacatFisikDanMental = 5, "CACAT FISIK DAN MENTAL";
        CacatLainnya = 6, "CACAT LAINNYA";
        TidakCacat = 7, "TIDAK CACAT";
    }
}
