//! Letters, keys and PDF readers shared by the integration tests.

#![allow(dead_code)]

use std::sync::OnceLock;

use balai_letters::{
    DocumentSigner, Field, LetterDocument, Letterhead, Paper, RegencyCa, Seal, Signer, Statement,
    VillageKeys, mask_name, render_pdf, sign_letter,
};

/// A plain village emblem: a shield with a star.
pub const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120"><path d="M50 2 L96 18 V60 C96 90 74 108 50 118 C26 108 4 90 4 60 V18 Z" fill="#1f5f3a" stroke="#c9a227" stroke-width="4"/><polygon points="50,28 58,52 84,52 63,67 71,92 50,77 29,92 37,67 16,52 42,52" fill="#c9a227"/></svg>"##;

/// Sengon's key, fixed so failures reproduce.
pub fn keys() -> VillageKeys {
    VillageKeys::from_secret_bytes([7; 32])
}

/// A Surat Keterangan Domisili for Budi Santoso.
pub fn domisili() -> LetterDocument {
    LetterDocument {
        paper: Paper::A4,
        letterhead: Letterhead {
            regency: "Pemerintah Kabupaten Klaten".into(),
            district: "Kecamatan Prambanan".into(),
            village: "Desa Sengon".into(),
            address: "Jl. Raya Sengon No. 1, Prambanan, Klaten 57454".into(),
            logo_svg: Some(LOGO.into()),
        },
        title: "Surat Keterangan Domisili".into(),
        number: "474.4/012/2001/XI/2026".into(),
        opening: "Yang bertanda tangan di bawah ini, Kepala Desa Sengon, Kecamatan Prambanan, \
                  Kabupaten Klaten, menerangkan bahwa:"
            .into(),
        subject: vec![
            Field::new("Nama", "Budi Santoso"),
            Field::new("NIK", "3310010101900001"),
            Field::new("Tempat/Tgl. Lahir", "Klaten, 01 Januari 1990"),
            Field::new("Jenis Kelamin", "LAKI-LAKI"),
            Field::new("Agama", "ISLAM"),
            Field::new("Pekerjaan", "PETANI/PEKEBUN"),
            Field::new(
                "Alamat",
                "Dusun Krajan RT 001 RW 002, Desa Sengon, Kecamatan Prambanan, Kabupaten Klaten",
            ),
        ],
        body: vec![
            "Orang tersebut di atas benar berdomisili di alamat tersebut di wilayah Desa Sengon, \
             Kecamatan Prambanan, Kabupaten Klaten."
                .into(),
        ],
        extra: vec![],
        purpose: "Keperluan: persyaratan melamar pekerjaan.".into(),
        validity: Some("Surat keterangan ini berlaku sampai dengan 22 Desember 2026.".into()),
        closing: "Demikian surat keterangan ini dibuat untuk dapat dipergunakan sebagaimana \
                  mestinya."
            .into(),
        place_date: "Sengon, 22 November 2026".into(),
        signer: Signer {
            title: "Kepala Desa Sengon".into(),
            name: "Suparman, S.E.".into(),
            on_behalf: None,
            nip: None,
            nipd: None,
        },
        verify_url: "https://sengon.desa.id/verifikasi/q9Xr2LmPz7TkWc4Vb8NdEa".into(),
    }
}

/// The statement for `doc`, whose first field is the name.
pub fn statement(doc: &LetterDocument) -> Statement {
    Statement {
        village: "3310012001".into(),
        number: doc.number.clone(),
        kind: "domisili".into(),
        issued_on: "2026-11-22".into(),
        subject: mask_name(&doc.subject[0].value),
        valid_until: Some("2026-12-22".into()),
        token: "q9Xr2LmPz7TkWc4Vb8NdEa".into(),
    }
}

/// `doc` sealed with [`keys`] the way letters were before v2 (a v1 seal).
pub fn sealed(doc: &LetterDocument) -> Seal {
    keys().seal(statement(doc))
}

/// When the test letters are signed: 2026-11-22 08:00 UTC (seconds).
pub const SIGNING_TIME: i64 = 1_795_334_400;

/// Klaten's root and Sengon's document-signing certificate, made once per
/// test process (keys are random; nothing depends on their value).
pub fn signer() -> &'static DocumentSigner {
    static SIGNER: OnceLock<DocumentSigner> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let ca = RegencyCa::create("3310", "Kabupaten Klaten", SIGNING_TIME as u64).unwrap();
        ca.issue_village("3310012001", "Sengon", SIGNING_TIME as u64)
            .unwrap()
    })
}

/// `doc`'s QR summary sealed with [`keys`].
pub fn summary(doc: &LetterDocument) -> Seal {
    keys().seal_summary(statement(doc))
}

/// `doc` issued as today: typeset with its QR summary, sealed in full and
/// PDF-signed by Sengon.
pub fn issued(doc: &LetterDocument) -> Vec<u8> {
    let seal = summary(doc);
    let rendered = render_pdf(doc, &seal).unwrap();
    sign_letter(&rendered, doc, &seal, &keys(), signer(), SIGNING_TIME)
        .unwrap()
        .pdf
}

/// The text of every page, as lopdf reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().into_keys().collect();
    doc.extract_text(&pages).expect("readable text")
}

/// Number of pages.
pub fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

/// The first page's MediaBox width and height in points.
pub fn media_box(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(page).unwrap();
    let b = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let n: Vec<f32> = b.iter().map(|o| o.as_float().unwrap()).collect();
    (n[2] - n[0], n[3] - n[1])
}

/// Points in `mm` millimetres.
pub fn pt(mm: f32) -> f32 {
    mm / 25.4 * 72.0
}

/// This process's resident set size in KiB, from `/proc/self/status`.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The `i`-th of a run of different letters: another name, number and token
/// each time, as a day at the village office would bring.
pub fn nth_letter(i: usize) -> (LetterDocument, Statement) {
    const FIRST: [&str; 8] = ["Budi", "Siti", "Agus", "Dewi", "Eko", "Sri", "Joko", "Rina"];
    const LAST: [&str; 7] = [
        "Santoso",
        "Rahayu",
        "Wibowo",
        "Lestari",
        "Saputra",
        "Wulandari",
        "Hidayat",
    ];
    let mut doc = domisili();
    doc.subject[0].value = format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 8) % LAST.len()]);
    doc.subject[1].value = format!("33100101019{:05}", i % 100_000);
    doc.number = format!("474.4/{:03}/2001/XI/2026", i % 1000);
    let token = balai_letters::random_token();
    doc.verify_url = format!("https://sengon.desa.id/verifikasi/{token}");
    let mut s = statement(&doc);
    s.token = token;
    (doc, s)
}
