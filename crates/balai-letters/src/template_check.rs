//! Trying a village's template before it is stored: it must typeset a
//! sample letter, on the right paper, into a PDF that verifies.

use crate::document::LetterDocument;
use crate::keys::VillageKeys;
use crate::letter_template::Template;
use crate::mask::mask_name;
use crate::pki::RegencyCa;
use crate::render::{Failure, typeset};
use crate::seal::Statement;
use crate::sealing::{SealError, sign_letter};
use crate::template_error::{TemplateError, join};
use crate::verify::{VerifyError, verify_pdf};

/// 2026-01-01, the sample's throwaway certificates' start: the check needs
/// no clock, and the signature's date is not what is checked.
const SAMPLE_TIME: u64 = 1_767_225_600;

/// How far the page may be off the paper size, in millimetres (typst's
/// lengths round-trip through points).
const PAPER_TOLERANCE_MM: f64 = 1.0;

/// Accepts `text` as a letter template only if it renders `sample` (see
/// [`LetterDocument::sample`], with the village's letterhead, logo and paper)
/// into a PDF whose page is the sample's paper size and which passes
/// [`verify_pdf`](crate::verify_pdf) once sealed and signed: every field of
/// the letter is printed (the v2 seal vouches for each), and the number
/// after "Nomor:", the "Nama" row and the seal are printed as the verifier
/// reads them.
///
/// typst errors come back with their line and column in `text`.
pub fn validate_template(text: &str, sample: &LetterDocument) -> Result<Template, TemplateError> {
    let template = Template::new(text)?;
    // Throwaway keys: only this check ever sees its seal and signature.
    let keys = VillageKeys::from_secret_bytes([0x42; 32]);
    let pki = |e: crate::pki::PkiError| TemplateError::Pdf(e.to_string());
    let signer = RegencyCa::create("0000", "Contoh", SAMPLE_TIME)
        .and_then(|ca| ca.issue_village("0000000000", "Contoh", SAMPLE_TIME))
        .map_err(pki)?;
    // The seal's token is the verification URL's last segment, as in a real letter.
    let token = sample
        .verify_url
        .rsplit('/')
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or("contoh");
    let name = sample
        .subject
        .iter()
        .find(|f| f.label == "Nama")
        .map(|f| f.value.as_str())
        .unwrap_or_default();
    let seal = keys.seal_summary(Statement {
        village: "0000000000".into(),
        number: sample.number.clone(),
        kind: "contoh".into(),
        issued_on: "2026-11-22".into(),
        subject: mask_name(name),
        valid_until: None,
        token: token.into(),
    });
    let typeset = typeset(sample, &seal, &template).map_err(|f| match f {
        Failure::Typst(d) => TemplateError::Compile(d),
        Failure::Pdf(d) => TemplateError::Pdf(join(&d)),
        Failure::Qr(e) => TemplateError::Pdf(e.to_string()),
    })?;
    let signed = sign_letter(
        &typeset.pdf,
        sample,
        &seal,
        &keys,
        &signer,
        SAMPLE_TIME as i64,
    )
    .map_err(|e| match e {
        SealError::Unreadable(v) => TemplateError::Verify(v),
        SealError::NotPrinted(field) => TemplateError::Verify(VerifyError::TextMismatch(format!(
            "the template does not print the letter's {field}"
        ))),
        other => TemplateError::Pdf(other.to_string()),
    })?;
    verify_pdf(&signed.pdf, &keys.public_key()).map_err(TemplateError::Verify)?;
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
