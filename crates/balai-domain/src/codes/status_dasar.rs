//! A resident's basic status (status dasar), derived from life events.

code_list! {
    /// A resident's basic status (status dasar), derived from life events.
    StatusDasar, "status_dasar" {
        Hidup = 1, "HIDUP";
        Mati = 2, "MATI" | "MENINGGAL";
        Pindah = 3, "PINDAH";
        Hilang = 4, "HILANG";
        Pergi = 6, "PERGI";
        TidakValid = 9, "TIDAK VALID";
    }
}
