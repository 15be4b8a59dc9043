//! Sex (jenis kelamin) as recorded on the KK.

code_list! {
    /// Sex (jenis kelamin) as recorded on the KK.
    Sex, "sex" {
        LakiLaki = 1, "LAKI-LAKI" | "L" | "LK" | "LAKI" | "LAKI LAKI" | "PRIA" | "M" | "MALE";
        Perempuan = 2, "PEREMPUAN" | "P" | "PR" | "WANITA" | "W" | "F" | "FEMALE";
    }
}
