//! Whether the resident holds an electronic KTP (ktp_el).

code_list! {
    /// Whether the resident holds an electronic KTP (ktp_el).
    KtpEl, "ktp_el" {
        Belum = 1, "BELUM";
        KtpEl = 2, "KTP-EL" | "SUDAH" | "E-KTP";
    }
}
