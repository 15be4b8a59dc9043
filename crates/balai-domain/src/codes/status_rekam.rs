//! Progress of e-KTP recording and printing (status rekam).

code_list! {
    /// Progress of e-KTP recording and printing (status rekam).
    StatusRekam, "status_rekam" {
        BelumWajib = 1, "BELUM WAJIB";
        BelumRekam = 2, "BELUM REKAM";
        SudahRekam = 3, "SUDAH REKAM";
        CardPrinted = 4, "CARD PRINTED";
        PrintReadyRecord = 5, "PRINT READY RECORD";
        CardShipped = 6, "CARD SHIPPED";
        SentForCardPrinting = 7, "SENT FOR CARD PRINTING";
        CardIssued = 8, "CARD ISSUED";
    }
}
