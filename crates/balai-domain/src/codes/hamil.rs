//! Pregnancy status (hamil).

code_list! {
    /// Pregnancy status (hamil).
    Hamil, "hamil" {
        Hamil = 1, "HAMIL" | "YA";
        TidakHamil = 2, "TIDAK HAMIL" | "TIDAK";
    }
}
