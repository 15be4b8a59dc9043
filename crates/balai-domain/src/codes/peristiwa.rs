//! Kind of life event (peristiwa) recorded in the Buku Mutasi Penduduk.

code_list! {
    /// Kind of life event (peristiwa) recorded in the Buku Mutasi Penduduk.
    Peristiwa, "peristiwa" {
        Lahir = 1, "LAHIR" | "KELAHIRAN";
        Mati = 2, "MATI" | "KEMATIAN" | "MENINGGAL";
        PindahKeluar = 3, "PINDAH KELUAR" | "PINDAH";
        Hilang = 4, "HILANG";
        PindahMasuk = 5, "PINDAH MASUK" | "DATANG";
        Pergi = 6, "PERGI";
    }
}
