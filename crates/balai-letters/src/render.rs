//! Letter → PDF bytes through typst, in-process.

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use typst::{World as _, WorldExt as _};

use crate::document::LetterDocument;
use crate::letter_template::Template;
use crate::pdf_seal;
use crate::qr::{qr_payload, qr_svg};
use crate::seal::Seal;
use crate::template::TemplateData;
use crate::template_error::{TemplateDiagnostic, join};
use crate::world::{self, LetterWorld};

/// Why a letter could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
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

/// Renders `doc` to PDF bytes with the embedded template, with `seal` in
/// its QR code, printed small at the foot and stored in the PDF's keywords.
///
/// One page normally; long content flows to a second. `doc` and `seal` are
/// not compared here: the caller builds both from the same letter, and
/// [`verify_pdf`](crate::verify_pdf) refuses a PDF where they disagree.
pub fn render_pdf(doc: &LetterDocument, seal: &Seal) -> Result<Vec<u8>, RenderError> {
    render_pdf_with(doc, seal, &Template::builtin())
}

/// [`render_pdf`] with `template` (e.g. the village's own) as the main source.
pub fn render_pdf_with(
    doc: &LetterDocument,
    seal: &Seal,
    template: &Template,
) -> Result<Vec<u8>, RenderError> {
    typeset(doc, seal, template)
        .map(|t| t.pdf)
        .map_err(|f| match f {
            Failure::Typst(d) => RenderError::Typst(join(&d)),
            Failure::Pdf(d) => RenderError::Pdf(join(&d)),
            Failure::Qr(e) => e,
        })
}

/// A rendered letter and the size of its first page.
pub(crate) struct Typeset {
    pub pdf: Vec<u8>,
    /// Width and height of the first page in millimetres.
    pub page_mm: (f64, f64),
}

/// Why [`typeset`] failed, with typst's diagnostics located in the template.
pub(crate) enum Failure {
    Typst(Vec<TemplateDiagnostic>),
    Pdf(Vec<TemplateDiagnostic>),
    Qr(RenderError),
}

pub(crate) fn typeset(
    doc: &LetterDocument,
    seal: &Seal,
    template: &Template,
) -> Result<Typeset, Failure> {
    let keyword = pdf_seal::keyword(seal);
    let qr = qr_svg(&qr_payload(&doc.verify_url, seal)).map_err(Failure::Qr)?;
    let data = TemplateData::new(doc, &keyword).to_json();
    let world = LetterWorld::new(
        template.source().clone(),
        data,
        qr,
        doc.letterhead.logo_svg.clone(),
    );
    let result = typeset_in(&world, seal);
    // Age the caches whether or not typst succeeded: a failed template's
    // partial results must not pile up either.
    age_caches();
    result
}

fn typeset_in(world: &LetterWorld, seal: &Seal) -> Result<Typeset, Failure> {
    let document = typst::compile::<PagedDocument>(world)
        .output
        .map_err(|e| Failure::Typst(locate(world, &e)))?;
    let page_mm = document
        .pages()
        .first()
        .map(|p| {
            let size = p.frame.size();
            (size.x.to_mm(), size.y.to_mm())
        })
        .unwrap_or_default();
    let options = PdfOptions {
        // Only a hash of it is written: a stable, distinct document id per letter.
        ident: Smart::Custom(format!("balai-letter/{}", seal.statement.token)),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|e| Failure::Pdf(locate(world, &e)))?;
    Ok(Typeset { pdf, page_mm })
}

/// Loads the fonts, the standard library and the template now (a few ms,
/// once per process) instead of during the first letter.
pub fn warm_up() {
    world::warm_up();
}

/// Drops all of typst's memoized results. Every render already ages them
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
pub(crate) fn age() {
    age_caches();
}

fn age_caches() {
    typst::comemo::evict(EVICT_MAX_AGE);
}

/// typst's diagnostics with 1-based line and column when they point into
/// the template.
pub(crate) fn diagnostics(
    world: &LetterWorld,
    diagnostics: &EcoVec<SourceDiagnostic>,
) -> Vec<TemplateDiagnostic> {
    locate(world, diagnostics)
}

fn locate(world: &LetterWorld, diagnostics: &EcoVec<SourceDiagnostic>) -> Vec<TemplateDiagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let position = d
                .span
                .id()
                .filter(|id| world::is_main(*id))
                .and_then(|_| world.range(d.span))
                .and_then(|range| {
                    let source = world.source(world.main()).ok()?;
                    source.lines().byte_to_line_column(range.start)
                });
            TemplateDiagnostic {
                line: position.map(|(l, _)| l + 1),
                column: position.map(|(_, c)| c + 1),
                message: d.message.to_string(),
                hint: d.hints.first().map(|h| h.v.to_string()),
            }
        })
        .collect()
}
