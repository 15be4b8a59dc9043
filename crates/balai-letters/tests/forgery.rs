//! Forged copies of a real issued letter, each refused by `verify_pdf` with
//! a reason; the original and a letter with a v1 seal accepted.
//!
//! The edits are made the ways a forger would: the text rewritten in the
//! page's content stream (same length and another length) and the file saved
//! again whole, or the change appended as an incremental update that leaves
//! the signed bytes untouched; text laid over the page; pages added or
//! replaced; metadata changed; the letter sealed and signed again with
//! another village's keys.

mod common;

use balai_letters::{
    LetterSeal, RegencyCa, VerifiedLetter, VerifyError, VillageKeys, attach_signature, render_pdf,
    sign_letter, verify_letter,
};
use common::{SIGNING_TIME, domisili, issued, keys, pdf_text, sealed, signer, statement, summary};
use lopdf::content::{Content, Operation};
use lopdf::{Document, IncrementalDocument, Object, ObjectId, Stream, dictionary};

/// How a forger writes the edited file.
#[derive(Debug, Clone, Copy)]
enum Save {
    /// The edited document saved again as a whole new file.
    Whole,
    /// The edit appended as an incremental update after the signed bytes.
    Appended,
}

fn first_page(doc: &Document) -> ObjectId {
    *doc.get_pages().values().next().unwrap()
}

fn save_whole(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Appends a revision in which the objects `changed` returns replace or add
/// to those of `pdf`.
fn append_revision(pdf: &[u8], change: impl FnOnce(&Document, &mut Document)) -> Vec<u8> {
    let prev = Document::load_mem(pdf).unwrap();
    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), prev.clone());
    change(&prev, &mut inc.new_document);
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    assert!(
        out.starts_with(pdf),
        "an incremental update keeps the signed bytes"
    );
    out
}

/// The page's content with every text run containing `from` rewritten to
/// show `to` instead, with the page's own fonts (`None` if `from` is not in
/// one run or a character of `to` is not in the font).
fn rewritten_content(doc: &Document, page: ObjectId, from: &str, to: &str) -> Option<Vec<u8>> {
    let fonts = doc.get_page_fonts(page).unwrap();
    let mut content = doc.get_and_decode_page_content(page).unwrap();
    let mut font: Option<Vec<u8>> = None;
    let mut done = false;
    for op in &mut content.operations {
        match op.operator.as_str() {
            "Tf" => {
                font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec)
            }
            "Tj" | "TJ" => {
                let Some(f) = font.as_ref().and_then(|f| fonts.get(f)) else {
                    continue;
                };
                let encoding = f.get_font_encoding(doc).unwrap();
                let bytes: Vec<u8> = match op.operator.as_str() {
                    "Tj" => op.operands[0].as_str().unwrap().to_vec(),
                    _ => op.operands[0]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|o| o.as_str().ok())
                        .flatten()
                        .copied()
                        .collect(),
                };
                let text = encoding.bytes_to_string(&bytes).unwrap();
                if !text.contains(from) {
                    continue;
                }
                let new_text = text.replacen(from, to, 1);
                let new_bytes = encoding.string_to_bytes(&new_text);
                if encoding.bytes_to_string(&new_bytes).ok()? != new_text {
                    return None;
                }
                *op = Operation::new(
                    "Tj",
                    vec![Object::String(new_bytes, lopdf::StringFormat::Hexadecimal)],
                );
                done = true;
            }
            _ => {}
        }
    }
    done.then(|| content.encode().unwrap())
}

/// `pdf` with `from` printed as `to`, saved the way `save` says.
fn rewrite(pdf: &[u8], from: &str, to: &str, save: Save) -> Option<Vec<u8>> {
    let doc = Document::load_mem(pdf).unwrap();
    let page = first_page(&doc);
    let content = rewritten_content(&doc, page, from, to)?;
    Some(match save {
        Save::Whole => {
            let mut doc = doc;
            doc.change_page_content(page, content).unwrap();
            save_whole(doc)
        }
        Save::Appended => append_revision(pdf, |prev, new| {
            let stream = new.add_object(Stream::new(dictionary! {}, content));
            let mut page_dict = prev.get_dictionary(page).unwrap().clone();
            page_dict.set("Contents", stream);
            new.objects.insert(page, Object::Dictionary(page_dict));
        }),
    })
}

/// A different character that the font printing `word` also has, so the
/// edit keeps the font and the length.
fn one_letter_changed(pdf: &[u8], word: &str, save: Save) -> (String, Vec<u8>) {
    for (i, original) in word.char_indices() {
        if !original.is_alphanumeric() {
            continue;
        }
        for candidate in ('A'..='Z').chain('a'..='z').chain('0'..='9') {
            if candidate == original {
                continue;
            }
            let mut edited = word.to_owned();
            edited.replace_range(i..i + original.len_utf8(), &candidate.to_string());
            if let Some(pdf) = rewrite(pdf, word, &edited, save) {
                return (edited, pdf);
            }
        }
    }
    panic!("no letter of {word:?} could be changed in place");
}

fn refused(pdf: &[u8], case: &str) -> VerifyError {
    match verify_letter(pdf, &keys().public_key()) {
        Ok(v) => panic!("{case}: a forged letter verified: {:?}", v.summary()),
        Err(e) => {
            // Every refusal says why in words.
            assert!(e.to_string().len() > 20, "{case}: {e}");
            e
        }
    }
}

/// Each printed field, the word of it edited, and how the verifier may say no.
const FIELDS: [(&str, &str); 14] = [
    ("name", "Santoso"),
    ("NIK", "3310010101900001"),
    ("birth year", "1990"),
    ("validity end date", "Desember"),
    ("number", "474.4/012/2001/XI/2026"),
    ("title", "DOMISILI"),
    ("religion", "ISLAM"),
    ("address", "Krajan"),
    ("purpose", "melamar"),
    ("place and date", "November"),
    ("signer", "Suparman"),
    ("letterhead", "PRAMBANAN"),
    ("verification URL", "q9Xr2LmPz7TkWc4Vb8NdEa"),
    ("body", "berdomisili"),
];

#[test]
fn the_original_letter_verifies_with_every_field_sealed() {
    let doc = domisili();
    let pdf = issued(&doc);
    let Ok(VerifiedLetter::V2(statement)) = verify_letter(&pdf, &keys().public_key()) else {
        panic!("{:?}", verify_letter(&pdf, &keys().public_key()));
    };
    assert_eq!(statement.summary, common::statement(&doc));
    assert_eq!(statement.letter, balai_letters::SealedLetter::of(&doc));
    assert_eq!(statement.subject_field("NIK"), Some("3310010101900001"));
    assert!(statement.printed.contains("3310010101900001"));
    assert!(statement.qr.starts_with(&doc.verify_url));
}

#[test]
fn each_printed_field_edited_in_the_content_stream_is_refused() {
    let pdf = issued(&domisili());
    for (field, word) in FIELDS {
        for save in [Save::Whole, Save::Appended] {
            // Same length: one character changed (ALIF → AAIF).
            let (edited, forged) = one_letter_changed(&pdf, word, save);
            assert!(
                pdf_text(&forged).contains(&edited),
                "{field}: the edit {edited:?} is printed"
            );
            let e = refused(&forged, &format!("{field} {word}→{edited} {save:?}"));
            assert_refusal(&e, save, field);
            // Another length: the last character dropped.
            let shorter = &word[..word.len() - 1];
            let forged = rewrite(&pdf, word, shorter, save)
                .unwrap_or_else(|| panic!("{field}: {word:?} is printed in one run"));
            let e = refused(&forged, &format!("{field} {word}→{shorter} {save:?}"));
            assert_refusal(&e, save, field);
        }
    }
}

fn assert_refusal(e: &VerifyError, save: Save, field: &str) {
    match save {
        // Saving again rewrites every offset: the signed byte range no
        // longer describes the file.
        Save::Whole => assert!(
            matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
            "{field}: {e}"
        ),
        Save::Appended => assert!(
            matches!(e, VerifyError::Modified(m) if m.contains("added after the signed revision")),
            "{field}: {e}"
        ),
    }
}

/// A content stream drawing `text` at the page's foot.
fn overlay(doc: &mut Document, text: &str) -> ObjectId {
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["FForged".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 40.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()))
}

#[test]
fn text_laid_over_the_letter_is_refused() {
    let pdf = issued(&domisili());
    // An extra content stream on the page, saved whole and appended.
    let mut doc = Document::load_mem(&pdf).unwrap();
    let page = first_page(&doc);
    let extra = overlay(&mut doc, "NIK 3310019999999999");
    let mut dict = doc.get_dictionary(page).unwrap().clone();
    let contents = match dict.get(b"Contents").unwrap().clone() {
        Object::Array(mut a) => {
            a.push(extra.into());
            a
        }
        one => vec![one, extra.into()],
    };
    dict.set("Contents", contents.clone());
    doc.objects.insert(page, Object::Dictionary(dict.clone()));
    let e = refused(&save_whole(doc), "overlay, saved whole");
    assert!(
        matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
        "{e}"
    );

    let appended = append_revision(&pdf, |prev, new| {
        let stream = new.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 40 Td (NIK 3310019999999999) Tj ET".to_vec(),
        ));
        let mut page_dict = prev.get_dictionary(page).unwrap().clone();
        let mut contents = match page_dict.get(b"Contents").unwrap().clone() {
            Object::Array(a) => a,
            one => vec![one],
        };
        contents.push(stream.into());
        page_dict.set("Contents", contents);
        new.objects.insert(page, Object::Dictionary(page_dict));
    });
    let e = refused(&appended, "overlay, appended");
    assert!(matches!(e, VerifyError::Modified(_)), "{e}");

    // Text appended to the page's own stream.
    let doc = Document::load_mem(&pdf).unwrap();
    let mut content = doc.get_page_content(page);
    content.extend_from_slice(b"\nBT /F1 9 Tf 72 30 Td (Berlaku sampai 2030) Tj ET\n");
    let mut doc = doc;
    doc.change_page_content(page, content).unwrap();
    let e = refused(&save_whole(doc), "text appended to the page's stream");
    assert!(
        matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
        "{e}"
    );
}

#[test]
fn a_page_added_or_replaced_is_refused() {
    let pdf = issued(&domisili());
    let doc = Document::load_mem(&pdf).unwrap();
    let page = first_page(&doc);
    let pages_id = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"Parent")
        .unwrap()
        .as_reference()
        .unwrap();

    // A copy of the page added as a second page, appended.
    let added = append_revision(&pdf, |prev, new| {
        let copy = new.add_object(prev.get_dictionary(page).unwrap().clone());
        let mut pages = prev.get_dictionary(pages_id).unwrap().clone();
        pages.set("Kids", vec![page.into(), copy.into()]);
        pages.set("Count", 2);
        new.objects.insert(pages_id, Object::Dictionary(pages));
    });
    assert_eq!(Document::load_mem(&added).unwrap().get_pages().len(), 2);
    let e = refused(&added, "page added, appended");
    assert!(matches!(e, VerifyError::Modified(_)), "{e}");

    // The same, saved whole.
    let mut doc2 = Document::load_mem(&pdf).unwrap();
    let copy = doc2.add_object(doc2.get_dictionary(page).unwrap().clone());
    let mut pages = doc2.get_dictionary(pages_id).unwrap().clone();
    pages.set("Kids", vec![page.into(), copy.into()]);
    pages.set("Count", 2);
    doc2.objects.insert(pages_id, Object::Dictionary(pages));
    let e = refused(&save_whole(doc2), "page added, saved whole");
    assert!(
        matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
        "{e}"
    );

    // The page replaced by one showing another NIK.
    let other_content = rewritten_content(&doc, page, "3310010101900001", "3310010101900002")
        .expect("the NIK is printed in one run");
    let replaced = append_revision(&pdf, |prev, new| {
        let stream = new.add_object(Stream::new(dictionary! {}, other_content));
        let mut dict = prev.get_dictionary(page).unwrap().clone();
        dict.set("Contents", stream);
        let replacement = new.add_object(dict);
        let mut pages = prev.get_dictionary(pages_id).unwrap().clone();
        pages.set("Kids", vec![replacement.into()]);
        new.objects.insert(pages_id, Object::Dictionary(pages));
    });
    assert!(pdf_text(&replaced).contains("3310010101900002"));
    let e = refused(&replaced, "page replaced, appended");
    assert!(matches!(e, VerifyError::Modified(_)), "{e}");
}

#[test]
fn metadata_edits_and_appended_updates_are_refused() {
    let pdf = issued(&domisili());
    let doc = Document::load_mem(&pdf).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();

    // A new Info dictionary in an incremental update.
    let appended = append_revision(&pdf, |prev, new| {
        let mut dict = prev.get_dictionary(info).unwrap().clone();
        dict.set("Title", Object::string_literal("SURAT KETERANGAN USAHA"));
        new.objects.insert(info, Object::Dictionary(dict));
    });
    let e = refused(&appended, "new Info dict, appended");
    assert!(
        matches!(&e, VerifyError::Modified(m) if m.contains("added after")),
        "{e}"
    );

    // Another letter's seal put in the keywords, saved whole.
    let mut other = domisili();
    other.number = "474.4/099/2001/XI/2026".into();
    let other_pdf = issued(&other);
    let other_keywords = Document::load_mem(&other_pdf)
        .unwrap()
        .get_dictionary(info)
        .unwrap()
        .get(b"Keywords")
        .unwrap()
        .clone();
    let mut doc2 = doc.clone();
    doc2.get_dictionary_mut(info)
        .unwrap()
        .set("Keywords", other_keywords);
    let e = refused(&save_whole(doc2), "keywords swapped, saved whole");
    assert!(
        matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
        "{e}"
    );

    // A byte of the title changed in place, nothing else moved.
    let mut in_place = pdf.clone();
    let at = in_place
        .windows(8)
        .position(|w| w == b"DOMISILI" || w == b"Domisili")
        .expect("the title is in the metadata");
    in_place[at] = b'X';
    let e = refused(&in_place, "title byte changed in place");
    assert!(
        matches!(e, VerifyError::PdfSignature(_) | VerifyError::Modified(_)),
        "{e}"
    );

    // Anything after the end of the signed bytes.
    let mut trailing = pdf.clone();
    trailing.extend_from_slice(b"\n% a comment\n");
    let e = refused(&trailing, "bytes after %%EOF");
    assert!(matches!(e, VerifyError::Modified(_)), "{e}");
}

#[test]
fn a_truncated_letter_is_refused() {
    let pdf = issued(&domisili());
    for cut in [6, 100, pdf.len() / 3, pdf.len() / 2] {
        let e = refused(&pdf[..pdf.len() - cut], &format!("cut {cut}"));
        assert!(
            matches!(
                e,
                VerifyError::Truncated
                    | VerifyError::Malformed(_)
                    | VerifyError::Modified(_)
                    | VerifyError::NoSeal
            ),
            "cut {cut}: {e}"
        );
    }
}

#[test]
fn a_letter_sealed_and_signed_again_elsewhere_is_refused() {
    let doc = domisili();
    let mut edited = domisili();
    edited.subject[1].value = "3310010101900002".into();
    let other_keys = VillageKeys::from_secret_bytes([8; 32]);
    let other_ca = RegencyCa::create("3310", "Kabupaten Klaten", SIGNING_TIME as u64).unwrap();
    let other_signer = other_ca
        .issue_village("3310012002", "Kebondalem Lor", SIGNING_TIME as u64)
        .unwrap();

    // Another village's keys and certificate over the edited letter.
    let seal = other_keys.seal_summary(statement(&edited));
    let rendered = render_pdf(&edited, &seal).unwrap();
    let forged = sign_letter(
        &rendered,
        &edited,
        &seal,
        &other_keys,
        &other_signer,
        SIGNING_TIME,
    )
    .unwrap()
    .pdf;
    assert_eq!(
        refused(&forged, "other village's keys"),
        VerifyError::BadSignature
    );

    // This village's genuine seal, the PDF signed with another village's certificate.
    let seal = summary(&doc);
    let rendered = render_pdf(&doc, &seal).unwrap();
    let genuine = sign_letter(&rendered, &doc, &seal, &keys(), signer(), SIGNING_TIME).unwrap();
    let resigned = attach_signature(&rendered, &genuine.seal, &other_signer, SIGNING_TIME).unwrap();
    let e = refused(&resigned, "another village's certificate");
    assert!(matches!(e, VerifyError::WrongSigner(_)), "{e}");

    // A certificate with this village's code, from a root the forger made.
    let forger_root = RegencyCa::create("3310", "Kabupaten Klaten", SIGNING_TIME as u64).unwrap();
    let lookalike = forger_root
        .issue_village("3310012001", "Sengon", SIGNING_TIME as u64)
        .unwrap();
    let resigned = attach_signature(&rendered, &genuine.seal, &lookalike, SIGNING_TIME).unwrap();
    let e = refused(&resigned, "look-alike certificate");
    assert!(matches!(e, VerifyError::WrongSigner(_)), "{e}");
}

#[test]
fn a_seal_whose_text_is_not_what_is_printed_is_refused() {
    // Even the key holder cannot seal one text and print another.
    let doc = domisili();
    let mut edited = domisili();
    edited.subject[1].value = "3310010101900002".into();
    let seal = summary(&doc);
    let genuine = sign_letter(
        &render_pdf(&doc, &seal).unwrap(),
        &doc,
        &seal,
        &keys(),
        signer(),
        SIGNING_TIME,
    )
    .unwrap();
    let edited_pdf = render_pdf(&edited, &seal).unwrap();
    let mut statement = genuine.seal.statement.clone();
    statement.rendered_len = edited_pdf.len() as u64;
    statement.rendered_sha256 = sha256_hex(&edited_pdf);
    let lying = LetterSeal::sign(statement, &keys());
    let forged = attach_signature(&edited_pdf, &lying, signer(), SIGNING_TIME).unwrap();
    let e = refused(&forged, "sealed text differs from printed");
    assert!(
        matches!(&e, VerifyError::TextMismatch(m) if m.contains("3310010101900002")),
        "{e}"
    );

    // The sealed fields must be printed: a seal naming another NIK than
    // the text it seals.
    let mut statement = genuine.seal.statement.clone();
    statement.letter.subject[1].value = "3310010101900003".into();
    let lying = LetterSeal::sign(statement, &keys());
    let forged = attach_signature(
        &render_pdf(&doc, &seal).unwrap(),
        &lying,
        signer(),
        SIGNING_TIME,
    )
    .unwrap();
    let e = refused(&forged, "sealed field not printed");
    assert!(
        matches!(&e, VerifyError::TextMismatch(m) if m.contains("NIK")),
        "{e}"
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_letter_with_a_v1_seal_still_verifies_under_v1() {
    let doc = domisili();
    let pdf = render_pdf(&doc, &sealed(&doc)).unwrap();
    assert_eq!(
        verify_letter(&pdf, &keys().public_key()),
        Ok(VerifiedLetter::V1(statement(&doc)))
    );
}

#[test]
fn a_v2_letter_stripped_of_its_signature_is_refused() {
    // The typeset revision alone carries only the QR summary.
    let doc = domisili();
    let rendered = render_pdf(&doc, &summary(&doc)).unwrap();
    let e = refused(&rendered, "summary only");
    assert!(matches!(e, VerifyError::Modified(_)), "{e}");
}
