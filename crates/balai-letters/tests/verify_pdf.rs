//! Offline verification of a letter's PDF: the seal, and the printed text
//! against it.

mod common;

use balai_letters::{VerifyError, render_pdf, verify_pdf};
use common::{domisili, keys, sealed, statement};
use lopdf::{Document, Object};

#[test]
fn a_rendered_letter_verifies_to_its_statement() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    assert_eq!(verify_pdf(&pdf, &keys().public_key()), Ok(statement(&doc)));
}

#[test]
fn another_villages_key_rejects_the_letter() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    let other = balai_letters::VillageKeys::from_secret_bytes([9; 32]).public_key();
    assert_eq!(verify_pdf(&pdf, &other), Err(VerifyError::BadSignature));
}

#[test]
fn a_letter_printed_with_another_letters_seal_fails() {
    let doc = domisili();
    let mut other = domisili();
    other.number = "474.4/099/2001/XI/2026".into();
    other.subject[0].value = "Joko Widodo".into();
    // The other letter's genuine seal, printed on this letter.
    let pdf = render_pdf(&doc, &sealed(&other)).unwrap();
    assert!(
        matches!(
            verify_pdf(&pdf, &keys().public_key()),
            Err(VerifyError::TextMismatch(_))
        ),
        "{:?}",
        verify_pdf(&pdf, &keys().public_key())
    );
}

#[test]
fn a_seal_swapped_into_the_metadata_fails() {
    let doc = domisili();
    let mut other = domisili();
    other.number = "474.4/099/2001/XI/2026".into();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    let other_pdf = render_pdf(&other, &sealed(&other)).unwrap();
    let swapped = set_keywords(&pdf, keywords(&other_pdf));
    let result = verify_pdf(&swapped, &keys().public_key());
    assert!(
        matches!(
            result,
            Err(VerifyError::TextMismatch(_) | VerifyError::BadSignature)
        ),
        "{result:?}"
    );
}

#[test]
fn an_edited_number_fails() {
    let doc = domisili();
    let seal = sealed(&doc);
    let mut edited = doc.clone();
    edited.number = "474.4/013/2001/XI/2026".into();
    let pdf = render_pdf(&edited, &seal).unwrap();
    let err = verify_pdf(&pdf, &keys().public_key()).unwrap_err();
    assert!(
        matches!(&err, VerifyError::TextMismatch(m) if m.contains("474.4/013/2001/XI/2026")),
        "{err}"
    );
}

#[test]
fn an_edited_name_fails() {
    let doc = domisili();
    let seal = sealed(&doc);
    for name in [
        "Joko Widodo",
        "Budi Santoso Wijaya",
        "Budi",
        "Budiman Santoso",
    ] {
        let mut edited = doc.clone();
        edited.subject[0].value = name.into();
        let pdf = render_pdf(&edited, &seal).unwrap();
        let result = verify_pdf(&pdf, &keys().public_key());
        assert!(
            matches!(result, Err(VerifyError::TextMismatch(_))),
            "{name}: {result:?}"
        );
    }
}

#[test]
fn names_with_ligatures_and_long_names_read_back() {
    for name in [
        "Fifi Affandi Ffion",
        "Raden Mas Haryo Sulistyo Wicaksono Adiningrat Kusumobroto Notonegoro Joyohadikusumo",
    ] {
        let mut doc = domisili();
        doc.subject[0].value = name.into();
        let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
        assert_eq!(
            verify_pdf(&pdf, &keys().public_key()),
            Ok(statement(&doc)),
            "{name}"
        );
    }
}

#[test]
fn the_printed_seal_alone_is_enough() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    let stripped = set_keywords(&pdf, String::new());
    assert!(keywords(&stripped).is_empty());
    assert_eq!(
        verify_pdf(&stripped, &keys().public_key()),
        Ok(statement(&doc))
    );
}

#[test]
fn files_without_a_seal_are_refused() {
    let key = keys().public_key();
    assert_eq!(verify_pdf(b"", &key), Err(VerifyError::NoSeal));
    assert_eq!(verify_pdf(b"hello, world", &key), Err(VerifyError::NoSeal));
    let noise: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(verify_pdf(&noise, &key), Err(VerifyError::NoSeal));
    // A PDF header over garbage.
    let mut fake = b"%PDF-1.7\n".to_vec();
    fake.extend_from_slice(&noise);
    assert!(
        matches!(
            verify_pdf(&fake, &key),
            Err(VerifyError::Malformed(_) | VerifyError::NoSeal)
        ),
        "{:?}",
        verify_pdf(&fake, &key)
    );
    // A real PDF that is not a Balai letter.
    assert_eq!(verify_pdf(&plain_pdf(), &key), Err(VerifyError::NoSeal));
}

#[test]
fn a_truncated_letter_is_an_error_not_a_panic() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    for len in [10, 100, 1_000, pdf.len() / 2] {
        let result = verify_pdf(&pdf[..len], &keys().public_key());
        assert!(
            matches!(result, Err(VerifyError::Malformed(_))),
            "{len}: {result:?}"
        );
    }
    // Losing only the end-of-file marker loses nothing that matters.
    assert_eq!(
        verify_pdf(&pdf[..pdf.len() - 6], &keys().public_key()),
        Ok(statement(&doc))
    );
}

fn keywords(pdf: &[u8]) -> String {
    let doc = Document::load_mem(pdf).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    doc.get_dictionary(info)
        .unwrap()
        .get(b"Keywords")
        .ok()
        .map(|k| lopdf::decode_text_string(k).unwrap())
        .unwrap_or_default()
}

fn set_keywords(pdf: &[u8], keywords: String) -> Vec<u8> {
    let mut doc = Document::load_mem(pdf).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let dict = doc.get_dictionary_mut(info).unwrap();
    if keywords.is_empty() {
        dict.remove(b"Keywords");
    } else {
        dict.set("Keywords", Object::string_literal(keywords));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A one-page PDF with a line of text and no seal.
fn plain_pdf() -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
            Operation::new("Tj", vec![Object::string_literal("Nomor: 1/2/3")]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
