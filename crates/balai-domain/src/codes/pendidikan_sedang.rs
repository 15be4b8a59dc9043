//! Education currently being followed (pendidikan sedang ditempuh).

code_list! {
    /// Education currently being followed (pendidikan sedang ditempuh).
    PendidikanSedang, "pendidikan_sedang_id" {
        BelumMasukTkKelompokBermain = 1, "BELUM MASUK TK/KELOMPOK BERMAIN";
        SedangTkKelompokBermain = 2, "SEDANG TK/KELOMPOK BERMAIN";
        TidakPernahSekolah = 3, "TIDAK PERNAH SEKOLAH";
        SedangSdSederajat = 4, "SEDANG SD/SEDERAJAT";
        TidakTamatSdSederajat = 5, "TIDAK TAMAT SD/SEDERAJAT";
        SedangSltpSederajat = 6, "SEDANG SLTP/SEDERAJAT";
        SedangSltaSederajat = 7, "SEDANG SLTA/SEDERAJAT";
        SedangD1Sederajat = 8, "SEDANG D-1/SEDERAJAT";
        SedangD2Sederajat = 9, "SEDANG D-2/SEDERAJAT";
        SedangD3Sederajat = 10, "SEDANG D-3/SEDERAJAT";
        SedangS1Sederajat = 11, "SEDANG S-1/SEDERAJAT";
        SedangS2Sederajat = 12, "SEDANG S-2/SEDERAJAT";
        SedangS3Sederajat = 13, "SEDANG S-3/SEDERAJAT";
        SedangSlbASederajat = 14, "SEDANG SLB A/SEDERAJAT";
        SedangSlbBSederajat = 15, "SEDANG SLB B/SEDERAJAT";
        SedangSlbCSederajat = 16, "SEDANG SLB C/SEDERAJAT";
        TidakDapatMembacaDanMenulisHurufLatinArab = 17, "TIDAK DAPAT MEMBACA DAN MENULIS HURUF LATIN/ARAB";
        TidakSedangSekolah = 18, "TIDAK SEDANG SEKOLAH";
    }
}
