//! Offline verification of a letter's PDF against its village's public key.
//!
//! A v2 letter (see [`LetterStatement`]) must pass every check: the PDF
//! signature covers the whole file but its own contents, its certificate is
//! the one the seal names and chains to the regency root the seal names, the
//! Ed25519 seal verifies, the typeset revision is the one sealed, and the
//! page text is exactly the sealed text. A v1 letter (issued before v2)
//! verifies as it always did: its seal and the printed number and masked
//! name.

use crate::keys::PublicKey;
use crate::letter_statement::{LetterSeal, LetterStatement, hex, missing_field, normalize_text};
use crate::mask::mask_name;
use crate::pdf_seal::{self, SealedPdf};
use crate::pki::sha256;
use crate::qr::parse_qr_payload;
use crate::seal::{Seal, SealVersion, Statement};

/// Why a seal or a letter did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum VerifyError {
    /// The file carries no seal (not a Balai letter, or not a PDF at all).
    #[error("this file carries no Balai letter seal")]
    NoSeal,
    /// Something that should hold a seal, key or signature could not be read.
    #[error("the seal could not be read: {0}")]
    Malformed(String),
    /// The signature was not made by this village's key over this statement.
    #[error(
        "the signature does not match the statement and this village's key; the letter was altered or issued elsewhere"
    )]
    BadSignature,
    /// The seal is genuine but the letter's printed text says something else.
    #[error("the letter's text does not match its seal: {0}")]
    TextMismatch(String),
    /// The seal names a version this program does not know.
    #[error("the seal's version {0:?} is not known to this program")]
    UnknownVersion(String),
    /// The file ends before the end of what was signed.
    #[error("the file is truncated: it ends before the end of what was signed")]
    Truncated,
    /// Something was added to or changed in the file after it was signed.
    #[error("the letter was modified after it was signed: {0}")]
    Modified(String),
    /// The PDF signature is missing, unreadable or does not verify.
    #[error("the PDF signature does not hold: {0}")]
    PdfSignature(String),
    /// The PDF is signed with a certificate the seal does not name.
    #[error("the PDF is signed with a certificate that is not this village's: {0}")]
    WrongSigner(String),
}

/// A letter that verified, and which seal vouches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifiedLetter {
    /// A letter issued before v2: the seal covers the number, kind, dates
    /// and masked name only.
    V1(Statement),
    /// A v2 letter: every printed field is sealed and the PDF is signed.
    V2(Box<LetterStatement>),
}

impl VerifiedLetter {
    /// Village, number, kind, dates, masked name and token.
    pub fn summary(&self) -> &Statement {
        match self {
            VerifiedLetter::V1(s) => s,
            VerifiedLetter::V2(s) => &s.summary,
        }
    }
}

/// Verifies a letter's PDF with its village's `key` (see [`verify_letter`])
/// and returns its summary: village, number, kind, dates, masked name, token.
pub fn verify_pdf(pdf: &[u8], key: &PublicKey) -> Result<Statement, VerifyError> {
    verify_letter(pdf, key).map(|v| v.summary().clone())
}

/// Verifies a letter's PDF with its village's `key`: a v2 letter by its
/// sealed statement and PDF signature (see the module documentation), a v1
/// letter by its seal and printed number and name. Anything it cannot read
/// is refused.
pub fn verify_letter(pdf: &[u8], key: &PublicKey) -> Result<VerifiedLetter, VerifyError> {
    let read = pdf_seal::read(pdf)?;
    if read.signature.is_some() {
        return verify_v2(pdf, read, key).map(|s| VerifiedLetter::V2(Box::new(s)));
    }
    let compact = match (&read.metadata, &read.printed) {
        (Some(m), Some(p)) if m != p => {
            return Err(VerifyError::TextMismatch(
                "the seal printed on the letter differs from the one in the file's metadata".into(),
            ));
        }
        (Some(seal), _) | (None, Some(seal)) => seal,
        (None, None) => return Err(VerifyError::NoSeal),
    };
    let seal = Seal::from_compact(compact)?;
    if seal.version != SealVersion::V1 {
        // A v2 letter's QR summary is never enough: its full seal and PDF
        // signature were cut off or the file was rebuilt without them.
        return Err(VerifyError::Modified(
            "the letter's full seal and PDF signature are missing".into(),
        ));
    }
    key.verify(&seal)?;
    check_text(&read.text, &seal.statement)?;
    Ok(VerifiedLetter::V1(seal.statement))
}

fn verify_v2(pdf: &[u8], read: SealedPdf, key: &PublicKey) -> Result<LetterStatement, VerifyError> {
    let found = read.signature.ok_or(VerifyError::NoSeal)??;
    let seal = LetterSeal::from_compact(&found.seal)?;
    seal.verify(key)?;
    let st = seal.statement;
    let signed = found.signed;
    if signed.signer_unit != st.summary.village {
        return Err(VerifyError::WrongSigner(format!(
            "the certificate is for {:?}, the letter is from {:?}",
            signed.signer_unit, st.summary.village
        )));
    }
    if hex(&signed.signer_sha256) != st.signer_cert_sha256 {
        return Err(VerifyError::WrongSigner(
            "the signing certificate is not the one the seal names".into(),
        ));
    }
    if hex(&signed.root_sha256) != st.root_cert_sha256 {
        return Err(VerifyError::WrongSigner(
            "the certificate chains to another root than the regency's the seal names".into(),
        ));
    }
    let rendered = usize::try_from(st.rendered_len)
        .ok()
        .and_then(|n| pdf.get(..n))
        .ok_or(VerifyError::Truncated)?;
    if hex(&sha256(rendered)) != st.rendered_sha256 {
        return Err(VerifyError::Modified(
            "the typeset letter is not the one that was sealed".into(),
        ));
    }
    if read.pages != st.pages as usize {
        return Err(VerifyError::Modified(format!(
            "the letter has {} pages; {} were sealed",
            read.pages, st.pages
        )));
    }
    if read.pages > pdf_seal::MAX_PAGES {
        return Err(VerifyError::Malformed(format!(
            "a letter has at most {} pages",
            pdf_seal::MAX_PAGES
        )));
    }
    let printed = normalize_text(&read.text);
    if printed != st.printed {
        return Err(VerifyError::TextMismatch(first_difference(
            &printed,
            &st.printed,
        )));
    }
    if let Some(field) = missing_field(&st.letter, &st.printed) {
        return Err(VerifyError::TextMismatch(format!(
            "the sealed {field} is not printed on the letter"
        )));
    }
    check_summary(&st, key)?;
    let summary = st.summary_seal_compact()?;
    for (what, found) in [
        ("metadata", &read.metadata),
        ("printed seal", &read.printed),
    ] {
        if found.as_ref().is_some_and(|f| *f != summary) {
            return Err(VerifyError::Modified(format!(
                "the {what} contradicts the sealed statement"
            )));
        }
    }
    Ok(st)
}

/// The summary, the QR code and the full letter must say the same.
fn check_summary(st: &LetterStatement, key: &PublicKey) -> Result<(), VerifyError> {
    let (url, qr) = parse_qr_payload(&st.qr)?;
    if qr.version != SealVersion::V2Summary || qr.statement != st.summary {
        return Err(VerifyError::TextMismatch(
            "the QR code's summary is not the sealed summary".into(),
        ));
    }
    key.verify(&qr)?;
    let s = &st.summary;
    let name = st.subject_field("Nama").unwrap_or_default();
    if url != st.letter.verify_url
        || s.number != st.letter.number
        || mask_name(name) != s.subject
        || !st.letter.verify_url.ends_with(&format!("/{}", s.token))
    {
        return Err(VerifyError::TextMismatch(
            "the sealed summary does not match the sealed letter".into(),
        ));
    }
    Ok(())
}

/// A few words around the first place where the printed text leaves the
/// sealed text.
fn first_difference(printed: &str, sealed: &str) -> String {
    let p: Vec<&str> = printed.split(' ').collect();
    let s: Vec<&str> = sealed.split(' ').collect();
    let at = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let around = |w: &[&str]| {
        let end = (at + 4).min(w.len());
        w[at.min(end)..end].join(" ")
    };
    if at == p.len() && at < s.len() {
        format!("sealed text is missing from the page from {:?}", around(&s))
    } else if at == s.len() && at < p.len() {
        format!("the page shows text that was not sealed: {:?}", around(&p))
    } else {
        format!(
            "the page shows {:?} where the seal says {:?}",
            around(&p),
            around(&s)
        )
    }
}

/// The printed number and name must be the sealed ones.
///
/// The text comes in content order, one table cell or line per text line:
/// typst writes the letter top to bottom, so the first "Nomor:" line is the
/// one under the title and the "Nama" row is the subject's.
fn check_text(text: &str, statement: &Statement) -> Result<(), VerifyError> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let number = printed_number(&lines).ok_or_else(|| {
        VerifyError::TextMismatch("no \"Nomor:\" line was found under the title".into())
    })?;
    if number != statement.number {
        return Err(VerifyError::TextMismatch(format!(
            "the letter shows number {number:?} but the seal is for {:?}",
            statement.number
        )));
    }
    let words = statement.subject.split_whitespace().count();
    let name = printed_name(&lines, words)
        .ok_or_else(|| VerifyError::TextMismatch("no \"Nama\" field was found".into()))?;
    let masked = mask_name(&name);
    if masked != statement.subject {
        return Err(VerifyError::TextMismatch(format!(
            "the letter names {masked:?} but the seal is for {:?}",
            statement.subject
        )));
    }
    Ok(())
}

/// The text after "Nomor:" on the first line that starts with it.
fn printed_number(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|line| {
        let rest = line.strip_prefix("Nomor")?.trim_start().strip_prefix(':')?;
        Some(rest.trim().to_owned())
    })
}

/// The value of the first row labelled "Nama" (or "Nama Lengkap"): whole
/// lines until they hold at least `words` words, so a name that wraps is
/// read whole and a name with a word added does not pass as the original.
fn printed_name(lines: &[&str], words: usize) -> Option<String> {
    let at = lines.iter().position(|l| is_name_label(l))?;
    let mut rest = lines[at + 1..].iter().copied();
    let first = match rest.next()? {
        ":" => rest.next()?,
        other => other.strip_prefix(':')?.trim_start(),
    };
    let mut name: Vec<&str> = first.split_whitespace().collect();
    for line in rest {
        if name.len() >= words.max(1) {
            break;
        }
        name.extend(line.split_whitespace());
    }
    Some(name.join(" "))
}

fn is_name_label(line: &str) -> bool {
    let label = line.trim_end_matches(':').trim();
    label.eq_ignore_ascii_case("nama") || label.eq_ignore_ascii_case("nama lengkap")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_and_wrapped_name() {
        let lines = [
            "SURAT KETERANGAN",
            "Nomor: 474.4/012/2001/XI/2026",
            "Nama",
            ":",
            "Raden Mas",
            "Budi Santoso",
            "NIK",
        ];
        assert_eq!(
            printed_number(&lines).as_deref(),
            Some("474.4/012/2001/XI/2026")
        );
        assert_eq!(
            printed_name(&lines, 4).as_deref(),
            Some("Raden Mas Budi Santoso")
        );
        // A word added on the name's line shows in the word count.
        let added = ["Nama", ":", "Budi Santoso Wijaya", "NIK"];
        assert_eq!(
            printed_name(&added, 2).as_deref(),
            Some("Budi Santoso Wijaya")
        );
        assert_eq!(printed_name(&["Nama : Budi"], 1), None);
        assert_eq!(
            printed_name(&["Nama :", ": Budi"], 1).as_deref(),
            Some("Budi")
        );
    }
}
