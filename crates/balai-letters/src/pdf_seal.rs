//! Where a seal lives in the PDF (its keywords, and printed at the foot of
//! the letter) and how it and the letter's text are read back.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document, LoadOptions, Object};

use crate::pdf_sign::{self, FoundSignature, SEAL_KEY};
use crate::seal::{SIGNATURE_B64_LEN, Seal, is_base64url};
use crate::verify::VerifyError;

/// Starts the keyword (and the printed line) that holds the seal.
const MARKER: &str = "balai-seal:";

/// Refuse anything larger before parsing: a letter is ~35 KB.
const MAX_PDF_BYTES: usize = 8 << 20;
/// Refuse any stream that inflates beyond this (decompression bombs).
const MAX_STREAM_BYTES: usize = 4 << 20;
/// A letter is one page, rarely two; the text checks read at most this many.
pub(crate) const MAX_PAGES: usize = 4;

/// The PDF keyword carrying `seal`.
pub(crate) fn keyword(seal: &Seal) -> String {
    format!("{MARKER}{}", seal.to_compact())
}

/// What a PDF says about its seal.
pub(crate) struct SealedPdf {
    /// The seal in the document's keywords, if any.
    pub metadata: Option<String>,
    /// The seal printed on the page, if any.
    pub printed: Option<String>,
    /// The visible text of the first pages, in content order.
    pub text: String,
    /// Number of pages.
    pub pages: usize,
    /// The PDF signature and v2 seal, checked, if the file has a v2 seal
    /// (`None`: no v2 seal; a letter from before v2, or no letter at all).
    pub signature: Option<Result<FoundSignature, VerifyError>>,
}

/// Reads `pdf`: its keywords and text. Untrusted input: bounded in size,
/// and a panic inside the PDF parser is reported as a malformed file.
pub(crate) fn read(pdf: &[u8]) -> Result<SealedPdf, VerifyError> {
    read_with_document(pdf).map(|(read, _)| read)
}

/// [`read`], also handing back the parsed document, so a caller that goes
/// on to sign it does not parse the same bytes twice.
pub(crate) fn read_with_document(pdf: &[u8]) -> Result<(SealedPdf, Document), VerifyError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(VerifyError::NoSeal);
    }
    if pdf.len() > MAX_PDF_BYTES {
        return Err(VerifyError::Malformed(format!(
            "the file has {} bytes; a letter has far fewer than {MAX_PDF_BYTES}",
            pdf.len()
        )));
    }
    catch_unwind(AssertUnwindSafe(|| read_unguarded(pdf))).unwrap_or_else(|_| {
        Err(VerifyError::Malformed(
            "the PDF's structure could not be read".into(),
        ))
    })
}

fn read_unguarded(pdf: &[u8]) -> Result<(SealedPdf, Document), VerifyError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(pdf, options)
        .map_err(|e| VerifyError::Malformed(format!("the PDF could not be read: {e}")))?;

    let metadata = keywords(&doc).and_then(|k| seal_after_marker(&k));
    let all_pages = doc.get_pages();
    let pages: Vec<u32> = all_pages.keys().copied().take(MAX_PAGES).collect();
    let text = doc
        .extract_text_with_limit(&pages, MAX_STREAM_BYTES)
        .map_err(|e| VerifyError::Malformed(format!("the PDF's text could not be read: {e}")))?;
    let printed = seal_after_marker(&text);
    let signature = doc
        .catalog()
        .is_ok_and(|c| c.has(SEAL_KEY))
        .then(|| pdf_sign::check(pdf, &doc));
    let read = SealedPdf {
        metadata,
        printed,
        text,
        pages: all_pages.len(),
        signature,
    };
    Ok((read, doc))
}

/// The document information dictionary's `/Keywords`.
fn keywords(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    lopdf::decode_text_string(info.get(b"Keywords").ok()?).ok()
}

/// The seal after the marker: `v1.<fields>.<signature>`, possibly broken
/// over lines when printed (zero-width spaces and line breaks are skipped).
/// Works as well on the keywords, whatever separates them.
fn seal_after_marker(text: &str) -> Option<String> {
    let start = text.find(MARKER)? + MARKER.len();
    let mut seal = String::new();
    let mut dots = 0;
    let mut signature_len = 0;
    for ch in text[start..].chars() {
        if ch.is_whitespace() || ch == '\u{200B}' {
            continue;
        }
        let byte = u8::try_from(ch)
            .ok()
            .filter(|b| is_base64url(*b) || *b == b'.');
        let Some(byte) = byte else { break };
        if byte == b'.' {
            dots += 1;
            if dots > 2 {
                break;
            }
        } else if dots == 2 {
            signature_len += 1;
        }
        seal.push(ch);
        // The signature has a fixed length, so whatever text follows it on
        // the page cannot be mistaken for part of it.
        if signature_len == SIGNATURE_B64_LEN {
            break;
        }
    }
    Some(seal)
}

#[cfg(test)]
mod tests {
    use super::seal_after_marker;

    #[test]
    fn finds_the_seal_however_it_is_broken_or_surrounded() {
        let sig = "S".repeat(86);
        let whole = format!("v1.abc.{sig}");
        for text in [
            format!("balai-seal:{whole}"),
            format!("letter, balai-seal:{whole}, other"),
            format!("x; balai-seal:{whole};y"),
            format!(
                "Segel elektronik: balai-seal:v1.a b\n{}c.{} {}Pindai",
                '\u{200B}',
                &sig[..40],
                &sig[40..]
            ),
        ] {
            assert_eq!(
                seal_after_marker(&text).as_deref(),
                Some(whole.as_str()),
                "{text:?}"
            );
        }
        assert_eq!(seal_after_marker("no seal here"), None);
    }
}
