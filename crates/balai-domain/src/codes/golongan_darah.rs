//! Blood group (golongan darah).

code_list! {
    /// Blood group (golongan darah).
    GolonganDarah, "golongan_darah_id" {
        A = 1, "A";
        B = 2, "B";
        Ab = 3, "AB";
        O = 4, "O";
        APos = 5, "A+";
        ANeg = 6, "A-";
        BPos = 7, "B+";
        BNeg = 8, "B-";
        AbPos = 9, "AB+";
        AbNeg = 10, "AB-";
        OPos = 11, "O+";
        ONeg = 12, "O-";
        TidakTahu = 13, "TIDAK TAHU" | "TIDAK DIKETAHUI" | "-";
    }
}
