//! Offline verification of a letter's PDF against its village's public key.

use crate::keys::PublicKey;
use crate::mask::mask_name;
use crate::pdf_seal;
use crate::seal::{Seal, Statement};

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
}

/// Verifies a letter's PDF: finds its seal (keywords or the printed line),
/// checks the signature with `key`, and checks that the number under the
/// title and the masked name of the "Nama" field match the statement, so a
/// letter whose visible text was edited fails. Returns the sealed statement.
pub fn verify_pdf(pdf: &[u8], key: &PublicKey) -> Result<Statement, VerifyError> {
    let read = pdf_seal::read(pdf)?;
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
    key.verify(&seal)?;
    check_text(&read.text, &seal.statement)?;
    Ok(seal.statement)
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
