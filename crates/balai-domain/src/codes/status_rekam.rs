//! Progress of e-KTP recording and printing (status rekam). SIAK names the
//! later steps in English (`CARD ISSUED`…); Balai shows them in Indonesian
//! and still reads SIAK's names as aliases, so imports keep working (export
//! writes the numeric code).

code_list! {
    /// Progress of e-KTP recording and printing (status rekam).
    StatusRekam, "status_rekam" {
        BelumWajib = 1, "BELUM WAJIB";
        BelumRekam = 2, "BELUM REKAM";
        SudahRekam = 3, "SUDAH REKAM";
        CardPrinted = 4, "KARTU TERCETAK" | "CARD PRINTED";
        PrintReadyRecord = 5, "REKAMAN SIAP CETAK" | "PRINT READY RECORD";
        CardShipped = 6, "KARTU DIKIRIM" | "CARD SHIPPED";
        SentForCardPrinting = 7, "DIKIRIM UNTUK DICETAK" | "SENT FOR CARD PRINTING";
        CardIssued = 8, "KARTU DITERBITKAN" | "CARD ISSUED";
    }
}
