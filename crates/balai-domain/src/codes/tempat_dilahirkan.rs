//! Where a child was born (tempat dilahirkan), as form F-2.01 asks.

code_list! {
    /// Where a child was born (tempat dilahirkan), as form F-2.01 asks.
    TempatDilahirkan, "tempat_dilahirkan" {
        RumahSakit = 1, "RS/RB" | "RUMAH SAKIT" | "RUMAH BERSALIN" | "RS";
        Puskesmas = 2, "PUSKESMAS";
        Polindes = 3, "POLINDES";
        Rumah = 4, "RUMAH";
        Lainnya = 5, "LAINNYA";
    }
}
