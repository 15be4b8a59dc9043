//! Citizenship (kewarganegaraan).

code_list! {
    /// Citizenship (kewarganegaraan).
    Warganegara, "warganegara_id" {
        Wni = 1, "WNI" | "INDONESIA";
        Wna = 2, "WNA" | "ASING";
        DuaKewarganegaraan = 3, "DUA KEWARGANEGARAAN";
    }
}
