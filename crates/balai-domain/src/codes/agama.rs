//! Religion (agama).

code_list! {
    /// Religion (agama).
    Agama, "agama" {
        Islam = 1, "ISLAM";
        Kristen = 2, "KRISTEN" | "PROTESTAN" | "KRISTEN PROTESTAN";
        Katholik = 3, "KATHOLIK" | "KATOLIK";
        Hindu = 4, "HINDU";
        Budha = 5, "BUDHA" | "BUDDHA";
        Khonghucu = 6, "KHONGHUCU" | "KONGHUCU" | "KONG HU CU" | "KHONG HU CU";
        KepercayaanTerhadapTuhanYmeLainnya = 7, "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA" | "KEPERCAYAAN" | "LAINNYA" | "KEPERCAYAAN TERHADAP TUHAN YME";
    }
}
