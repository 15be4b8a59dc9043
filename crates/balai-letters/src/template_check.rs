//! Trying a village's template before it is stored: it must typeset a
//! sample letter, on the right paper, into a PDF that verifies.

use crate::document::LetterDocument;
use crate::keys::VillageKeys;
use crate::letter_template::Template;
use crate::mask::mask_name;
use crate::render::{Failure, typeset};
use crate::seal::Statement;
use crate::template_error::{TemplateError, join};
use crate::verify::verify_pdf;

/// How far the page may be off the paper size, in millimetres (typst's
/// lengths round-trip through points).
const PAPER_TOLERANCE_MM: f64 = 1.0;

/// Accepts `text` as a letter template only if it renders `sample` (see
/// [`LetterDocument::sample`], with the village's letterhead, logo and paper)
/// into a PDF whose page is the sample's paper size and which passes
/// [`verify_pdf`](crate::verify_pdf): the number after "Nomor:", the "Nama"
/// row and the seal are printed as the verifier reads them.
///
/// typst errors come back with their line and column in `text`.
pub fn validate_template(text: &str, sample: &LetterDocument) -> Result<Template, TemplateError> {
    let template = Template::new(text)?;
    // A throwaway key: only this check ever sees its seal.
    let keys = VillageKeys::from_secret_bytes([0x42; 32]);
    let name = sample
        .subject
        .iter()
        .find(|f| f.label == "Nama")
        .map(|f| f.value.as_str())
        .unwrap_or_default();
    let seal = keys.seal(Statement {
        village: "0000000000".into(),
        number: sample.number.clone(),
        kind: "contoh".into(),
        issued_on: "2026-11-22".into(),
        subject: mask_name(name),
        valid_until: None,
        token: "contoh-templat".into(),
    });
    let typeset = typeset(sample, &seal, &template).map_err(|f| match f {
        Failure::Typst(d) => TemplateError::Compile(d),
        Failure::Pdf(d) => TemplateError::Pdf(join(&d)),
        Failure::Qr(e) => TemplateError::Pdf(e.to_string()),
    })?;
    verify_pdf(&typeset.pdf, &keys.public_key()).map_err(TemplateError::Verify)?;
    let (width, height) = sample.paper.size_mm();
    let (w, h) = typeset.page_mm;
    if (w - f64::from(width)).abs() > PAPER_TOLERANCE_MM
        || (h - f64::from(height)).abs() > PAPER_TOLERANCE_MM
    {
        return Err(TemplateError::PaperSize {
            paper: sample.paper,
            width_mm: w,
            height_mm: h,
        });
    }
    Ok(template)
}
