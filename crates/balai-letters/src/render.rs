//! Letter → PDF bytes through typst, in-process.

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::document::LetterDocument;
use crate::pdf_seal;
use crate::qr::{qr_payload, qr_svg};
use crate::seal::Seal;
use crate::template::TemplateData;
use crate::world::{self, LetterWorld};

/// Why a letter could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// typst could not lay the letter out (e.g. a logo that is not SVG).
    #[error("the letter could not be typeset: {0}")]
    Typst(String),
    /// The laid-out letter could not be written as PDF.
    #[error("the letter could not be written as PDF: {0}")]
    Pdf(String),
    /// The QR text is too long for a QR code (the URL or statement is far too long).
    #[error("the QR code could not be made: {0}")]
    Qr(String),
}

/// Renders `doc` to PDF bytes, with `seal` in its QR code, printed small at
/// the foot and stored in the PDF's keywords.
///
/// One page normally; long content flows to a second. `doc` and `seal` are
/// not compared here: the caller builds both from the same letter, and
/// [`verify_pdf`](crate::verify_pdf) refuses a PDF where they disagree.
pub fn render_pdf(doc: &LetterDocument, seal: &Seal) -> Result<Vec<u8>, RenderError> {
    let keyword = pdf_seal::keyword(seal);
    let qr = qr_svg(&qr_payload(&doc.verify_url, seal))?;
    let data = TemplateData::new(doc, &keyword).to_json();
    let world = LetterWorld::new(data, qr, doc.letterhead.logo_svg.clone());

    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| RenderError::Typst(describe(&e)))?;
    let options = PdfOptions {
        // Only a hash of it is written: a stable, distinct document id per letter.
        ident: Smart::Custom(format!("balai-letter/{}", seal.statement.token)),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|e| RenderError::Pdf(describe(&e)))?;
    age_caches();
    Ok(pdf)
}

/// Loads the fonts, the standard library and the template now (a few ms,
/// once per process) instead of during the first letter.
pub fn warm_up() {
    world::warm_up();
}

/// Drops all of typst's memoized results. [`render_pdf`] already ages them
/// out after every letter, so memory stays flat (~36 MB over 1,000 letters)
/// without this; call it to free the rest, e.g. before a long idle spell.
/// The next letter rebuilds what it needs, measured no slower than a warm one.
pub fn evict_caches() {
    typst::comemo::evict(0);
}

/// Evictions a memoized result survives without being used. Measured over
/// 1,500 different letters (release): never evicting grows ~0.7 MB per
/// letter (1 GB after 1,500); evicting every 32 letters settles at ~125 MB;
/// evicting after every letter with this age settles at ~36 MB, no slower,
/// because what every letter shares (the template, the letterhead, common
/// words) is used each time and stays.
const EVICT_MAX_AGE: usize = 3;

/// typst memoizes every layout it computes, keyed by its inputs; each letter
/// adds entries no later letter hits, so a server that never evicts grows.
fn age_caches() {
    typst::comemo::evict(EVICT_MAX_AGE);
}

fn describe(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
