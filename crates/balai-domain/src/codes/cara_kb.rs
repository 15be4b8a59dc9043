//! Contraception method (cara KB).

code_list! {
    /// Contraception method (cara KB).
    CaraKb, "cara_kb_id" {
        Pil = 1, "PIL";
        Iud = 2, "IUD";
        Suntik = 3, "SUNTIK";
        Kondom = 4, "KONDOM";
        SusukKb = 5, "SUSUK KB" | "IMPLAN";
        SterilisasiWanita = 6, "STERILISASI WANITA" | "MOW";
        SterilisasiPria = 7, "STERILISASI PRIA" | "MOP";
        Lainnya = 99, "LAINNYA";
    }
}
