//! A complete sample letter, for trying a template before it is used.

use crate::document::{Field, LetterDocument, Letterhead, Paper, Signer};

impl LetterDocument {
    /// A Surat Keterangan Domisili for a fictitious resident, with every
    /// part a real letter has (subject rows, extra fields, validity). Callers
    /// put their own letterhead, paper and signer in before rendering it.
    pub fn sample() -> Self {
        LetterDocument {
            paper: Paper::A4,
            letterhead: Letterhead {
                regency: "PEMERINTAH KABUPATEN KLATEN".into(),
                district: "KECAMATAN PRAMBANAN".into(),
                village: "DESA SENGON".into(),
                address: "Jl. Raya Sengon No. 1, Prambanan, Klaten 57454".into(),
                logo_svg: None,
            },
            title: "SURAT KETERANGAN DOMISILI".into(),
            number: "474.4/001/2001/XI/2026".into(),
            opening: "Yang bertanda tangan di bawah ini, Kepala Desa Sengon Kecamatan Prambanan \
                      Kabupaten Klaten, menerangkan bahwa:"
                .into(),
            subject: vec![
                Field::new("Nama", "Budi Santoso"),
                Field::new("NIK", "3310010101900001"),
                Field::new("Tempat/Tgl. Lahir", "Klaten, 1 Januari 1990"),
                Field::new("Jenis Kelamin", "LAKI-LAKI"),
                Field::new("Agama", "ISLAM"),
                Field::new("Status Perkawinan", "KAWIN"),
                Field::new("Pekerjaan", "PETANI/PEKEBUN"),
                Field::new("Kewarganegaraan", "WNI"),
                Field::new("Alamat", "Dusun Krajan RT 001 RW 002, Desa Sengon"),
            ],
            body: vec!["Orang tersebut di atas benar berdomisili di wilayah Desa Sengon.".into()],
            extra: vec![Field::new("Alamat domisili", "Dusun Krajan RT 001 RW 002")],
            purpose: "Melamar pekerjaan".into(),
            validity: Some("Surat ini berlaku sampai dengan 22 Desember 2026.".into()),
            closing: "Demikian surat ini dibuat untuk dapat dipergunakan sebagaimana mestinya."
                .into(),
            place_date: "Sengon, 22 November 2026".into(),
            signer: Signer {
                title: "Kepala Desa Sengon".into(),
                name: "SUPARMAN".into(),
                on_behalf: None,
                nip: None,
                nipd: None,
            },
            verify_url: "https://desa.example/v/contoh".into(),
        }
    }
}
