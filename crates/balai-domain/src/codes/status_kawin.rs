//! Marital status (status perkawinan).

code_list! {
    /// Marital status (status perkawinan).
    StatusKawin, "status_kawin" {
        BelumKawin = 1, "BELUM KAWIN" | "BK" | "LAJANG";
        Kawin = 2, "KAWIN" | "K" | "MENIKAH";
        CeraiHidup = 3, "CERAI HIDUP" | "CH";
        CeraiMati = 4, "CERAI MATI" | "CM";
    }
}
