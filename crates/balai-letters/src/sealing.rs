//! Turning a typeset letter into a v2 letter: the full statement is built
//! from the [`LetterDocument`] and the page text, sealed with the village's
//! Ed25519 key, and the PDF is signed (PAdES B-B) with the village's
//! document-signing certificate. Runs where the keys are (the issuing
//! process), never where a village's template is typeset.

use crate::document::LetterDocument;
use crate::keys::VillageKeys;
use crate::letter_statement::{
    LETTER_STATEMENT_VERSION, LetterSeal, LetterStatement, SealedLetter, hex, missing_field,
    normalize_text,
};
use crate::pdf_seal;
use crate::pdf_sign::{self, SignError};
use crate::pki::{DocumentSigner, sha256};
use crate::qr::qr_payload;
use crate::seal::{Seal, SealVersion};
use crate::verify::VerifyError;

/// Why a typeset letter could not be sealed and signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The letter was typeset with a seal other than a v2 QR summary.
    #[error("the letter must be typeset with a v2 summary seal")]
    NotSummary,
    /// The typeset PDF could not be read back.
    #[error("the typeset letter could not be read back: {0}")]
    Unreadable(VerifyError),
    /// The template left a field out, so the seal could not vouch for it.
    #[error("the template does not print the letter's {0}")]
    NotPrinted(String),
    /// The PDF signature could not be made.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// A sealed and signed letter.
#[derive(Debug, Clone)]
pub struct SignedLetter {
    /// The PDF to store and hand out.
    pub pdf: Vec<u8>,
    /// Its v2 seal (also inside the PDF).
    pub seal: LetterSeal,
}

/// Seals and signs `rendered`, the PDF typeset from `doc` with the QR
/// summary `summary` (see [`VillageKeys::seal_summary`]): the v2 statement
/// of everything `doc` and the page say is signed with `keys`, and the PDF
/// gets a PAdES signature by `signer` dated `signing_time_unix` (seconds).
pub fn sign_letter(
    rendered: &[u8],
    doc: &LetterDocument,
    summary: &Seal,
    keys: &VillageKeys,
    signer: &DocumentSigner,
    signing_time_unix: i64,
) -> Result<SignedLetter, SealError> {
    if summary.version != SealVersion::V2Summary {
        return Err(SealError::NotSummary);
    }
    // Parsed once: read back for the statement, then signed.
    let (read, parsed) = pdf_seal::read_with_document(rendered).map_err(SealError::Unreadable)?;
    if read.signature.is_some() {
        return Err(SealError::Unreadable(VerifyError::Malformed(
            "the typeset letter already carries a seal".into(),
        )));
    }
    if read.pages > pdf_seal::MAX_PAGES {
        return Err(SealError::Unreadable(VerifyError::Malformed(format!(
            "a letter has at most {} pages",
            pdf_seal::MAX_PAGES
        ))));
    }
    let printed = normalize_text(&read.text);
    let letter = SealedLetter::of(doc);
    if let Some(field) = missing_field(&letter, &printed) {
        return Err(SealError::NotPrinted(field));
    }
    let statement = LetterStatement {
        version: LETTER_STATEMENT_VERSION,
        summary: summary.statement.clone(),
        letter,
        qr: qr_payload(&doc.verify_url, summary),
        printed,
        pages: u32::try_from(read.pages).unwrap_or(u32::MAX),
        rendered_len: rendered.len() as u64,
        rendered_sha256: hex(&sha256(rendered)),
        signer_cert_sha256: hex(&sha256(signer.certificate_der())),
        root_cert_sha256: hex(&sha256(signer.root_der())),
    };
    let seal = LetterSeal::sign(statement, keys);
    let pdf = pdf_sign::sign_parsed(
        rendered,
        &parsed,
        &seal.to_compact(),
        signer,
        signing_time_unix,
    )?;
    Ok(SignedLetter { pdf, seal })
}

/// The last step of [`sign_letter`]: appends `seal` and the PAdES signature
/// by `signer` to `rendered`. Nothing is compared: [`verify_pdf`](crate::verify_pdf)
/// refuses a letter whose seal does not describe its PDF and signer.
pub fn attach_signature(
    rendered: &[u8],
    seal: &LetterSeal,
    signer: &DocumentSigner,
    signing_time_unix: i64,
) -> Result<Vec<u8>, SignError> {
    pdf_sign::sign(rendered, &seal.to_compact(), signer, signing_time_unix)
}
