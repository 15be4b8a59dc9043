//! Rendering: what the PDF says, its page size, and text that is special in
//! typst markup printing as itself.

mod common;

use balai_letters::{Field, Paper, render_pdf, verify_pdf};
use common::{domisili, keys, media_box, page_count, pdf_text, pt, sealed};
use proptest::prelude::*;

/// Whitespace runs as single spaces: line breaks fall where the layout puts them.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn domisili_letter_shows_its_title_number_subject_and_signer() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), 1);
    let text = pdf_text(&pdf);
    for expected in [
        "PEMERINTAH KABUPATEN KLATEN",
        "KECAMATAN PRAMBANAN",
        "DESA SENGON",
        "Jl. Raya Sengon No. 1, Prambanan, Klaten 57454",
        "SURAT KETERANGAN DOMISILI",
        "Nomor: 474.4/012/2001/XI/2026",
        "Budi Santoso",
        "3310010101900001",
        "Tempat/Tgl. Lahir",
        "Klaten, 01 Januari 1990",
        "Keperluan: persyaratan melamar pekerjaan.",
        "Surat keterangan ini berlaku sampai dengan 22 Desember 2026.",
        "Sengon, 22 November 2026",
        "Kepala Desa Sengon",
        "Suparman, S.E.",
        "Pindai untuk memeriksa keaslian surat",
        "https://sengon.desa.id/verifikasi/q9Xr2LmPz7TkWc4Vb8NdEa",
        "Segel elektronik:",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Wrapped lines still read as the sentence they are.
    assert!(flat(&text).contains(
        "Dusun Krajan RT 001 RW 002, Desa Sengon, Kecamatan Prambanan, Kabupaten Klaten"
    ));
    // Reading order follows the letter: letterhead, title, subject, signer.
    let at = |s: &str| text.find(s).unwrap();
    assert!(at("DESA SENGON") < at("SURAT KETERANGAN DOMISILI"));
    assert!(at("Nomor:") < at("Budi Santoso"));
    assert!(at("Budi Santoso") < at("3310010101900001"));
    assert!(at("Sengon, 22 November 2026") < at("Suparman, S.E."));
    // No signer on behalf and no NIP: neither line is printed.
    assert!(!text.contains("a.n."));
    assert!(!text.contains("NIP"));
}

#[test]
fn on_behalf_line_and_nip_are_printed_around_the_signer() {
    let mut doc = domisili();
    doc.signer.on_behalf = Some("a.n. Kepala Desa Sengon".into());
    doc.signer.title = "Sekretaris Desa".into();
    doc.signer.nip = Some("19800101 200501 1 001".into());
    let text = pdf_text(&render_pdf(&doc, &sealed(&doc)).unwrap());
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} missing"));
    assert!(at("Sengon, 22 November 2026") < at("a.n. Kepala Desa Sengon"));
    assert!(at("a.n. Kepala Desa Sengon") < at("Sekretaris Desa"));
    assert!(at("Sekretaris Desa") < at("Suparman, S.E."));
    assert!(at("Suparman, S.E.") < at("NIP. 19800101 200501 1 001"));
}

#[test]
fn extra_fields_and_missing_validity_and_logo() {
    let mut doc = domisili();
    doc.letterhead.logo_svg = None;
    doc.validity = None;
    doc.extra = vec![
        Field::new("Nama Usaha", "Warung Makan Sido Mampir"),
        Field::new("Alamat Usaha", "Pasar Sengon Blok A2"),
    ];
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.find("Nama Usaha").unwrap() < text.find("Keperluan").unwrap());
    assert!(text.contains("Pasar Sengon Blok A2"));
    assert!(!text.contains("berlaku sampai"));
    verify_pdf(&pdf, &keys().public_key()).unwrap();
}

#[test]
fn a4_and_f4_have_their_own_page_sizes() {
    let mut doc = domisili();
    let a4 = media_box(&render_pdf(&doc, &sealed(&doc)).unwrap());
    doc.paper = Paper::F4;
    let f4 = media_box(&render_pdf(&doc, &sealed(&doc)).unwrap());
    let close = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() < 0.5;
    assert!(close(a4, (pt(210.0), pt(297.0))), "A4 is {a4:?}");
    assert!(close(f4, (pt(215.0), pt(330.0))), "F4 is {f4:?}");
    assert_eq!(Paper::F4.size_mm(), (215, 330));
}

#[test]
fn long_content_flows_to_a_second_page_and_still_verifies() {
    let mut doc = domisili();
    doc.body = (1..=14)
        .map(|i| {
            format!(
                "Paragraf {i}: orang tersebut di atas benar berdomisili di Desa Sengon dan \
                 dikenal baik oleh warga sekitar; keterangan ini diberikan berdasarkan catatan \
                 buku induk penduduk desa dan pernyataan ketua RT setempat."
            )
        })
        .collect();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    assert_eq!(page_count(&pdf), 2);
    let text = pdf_text(&pdf);
    assert!(text.contains("Paragraf 14:"));
    assert_eq!(
        verify_pdf(&pdf, &keys().public_key()).unwrap(),
        common::statement(&doc)
    );
}

#[test]
fn logo_that_is_not_svg_is_a_typst_error() {
    let mut doc = domisili();
    doc.letterhead.logo_svg = Some("this is not an image".into());
    let err = render_pdf(&doc, &sealed(&doc)).unwrap_err();
    assert!(
        matches!(err, balai_letters::RenderError::Typst(_)),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("the letter could not be typeset")
    );
}

/// Text that typst markup would interpret, each in a name, a field value, a
/// label and a paragraph.
const MARKUP: &[&str] = &[
    "#set page(width: 1cm)",
    "$x^2$ and $$",
    "*bold* _emph_ `raw`",
    "@label <label> https://x.test",
    r"back\slash \ and \n",
    "[bracket] {brace} (paren)",
    "// line comment",
    "/* block comment */",
    "= Heading",
    "- list + enum / term: x",
    "~ tilde -- dash --- ... \"quote\" 'single'",
    "#{ panic(\"no\") }",
    "#import \"/data.json\"",
    "<script>&amp;</script>",
];

#[test]
fn markup_characters_print_literally() {
    for &s in MARKUP {
        let mut doc = domisili();
        doc.subject[0].value = format!("Budi {s}");
        doc.subject[1].label = s.to_owned();
        doc.extra = vec![Field::new("Catatan", s)];
        doc.body = vec![s.to_owned()];
        doc.letterhead.address = s.to_owned();
        let seal = keys().seal(common::statement(&doc));
        let pdf = render_pdf(&doc, &seal).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        // Without whitespace: the narrow label column may wrap the text.
        let bare = |t: &str| t.split_whitespace().collect::<String>();
        let text = bare(&pdf_text(&pdf));
        assert!(
            text.matches(&bare(s)).count() >= 5,
            "{s:?} not printed literally 5 times in:\n{text}"
        );
        assert_eq!(page_count(&pdf), 1, "{s:?} changed the layout");
        verify_pdf(&pdf, &keys().public_key()).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_printable_text_in_name_and_fields_reads_back(
        first in "[A-Za-z#$*_@<>\\\\\\[\\](){}=+~`'\"/.,:;-]{1,12}",
        last in "[A-Za-z#$*_@<>\\\\\\[\\](){}=+~`'\"/.,:;-]{1,12}",
        value in "[ A-Za-z0-9#$*_@<>\\\\\\[\\](){}=+~`'\"/.,:;-]{0,40}",
    ) {
        let mut doc = domisili();
        let name = format!("{first} {last}");
        doc.subject[0].value = name.clone();
        doc.extra = vec![Field::new("Catatan", value.clone())];
        let seal = keys().seal(common::statement(&doc));
        let pdf = render_pdf(&doc, &seal).unwrap();
        let text = flat(&pdf_text(&pdf));
        prop_assert!(text.contains(&name), "{name:?} not in {text}");
        prop_assert!(text.contains(&flat(&value)), "{value:?} not in {text}");
        prop_assert_eq!(verify_pdf(&pdf, &keys().public_key()).unwrap(), common::statement(&doc));
    }
}
