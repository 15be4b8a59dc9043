//! The v2 seal: a canonical, versioned statement of everything a letter
//! prints, signed with the village's Ed25519 key and kept inside the PDF.
//!
//! The signed bytes are `balai-letter-seal/v2\n` followed by the statement's
//! canonical JSON: the fields of [`LetterStatement`] in declaration order, no
//! whitespace, absent values as `null`, strings escaped as serde_json does.
//! The same JSON is what the archive stores, so the public page and the
//! field check read the sealed values, never a second copy.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::document::{Field, LetterDocument, Paper, Signer};
use crate::keys::{PublicKey, VillageKeys};
use crate::seal::{SIGNATURE_B64_LEN, Statement, is_base64url};
use crate::verify::VerifyError;

/// Keeps a v2 letter seal from being taken for any other signature the key makes.
const CONTEXT: &[u8] = b"balai-letter-seal/v2\n";

/// The version number inside the statement and the compact form's tag.
pub const LETTER_STATEMENT_VERSION: u32 = 2;

/// The letterhead's printed lines, and a hash of the emblem drawn beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedLetterhead {
    /// First line, e.g. "PEMERINTAH KABUPATEN KLATEN".
    pub regency: String,
    /// Second line.
    pub district: String,
    /// Third line.
    pub village: String,
    /// The office address.
    pub address: String,
    /// SHA-256 (hex) of the emblem's SVG, if the letter has one.
    pub logo_sha256: Option<String>,
}

/// Every field a letter prints, as the issuing village resolved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedLetter {
    /// Paper size.
    pub paper: Paper,
    /// The letterhead.
    pub letterhead: SealedLetterhead,
    /// The title.
    pub title: String,
    /// The number.
    pub number: String,
    /// The sentence before the subject's fields.
    pub opening: String,
    /// The subject's identity fields (Nama, NIK, Tempat/Tgl. Lahir, Alamat, …).
    pub subject: Vec<Field>,
    /// The statement's paragraphs.
    pub body: Vec<String>,
    /// The kind's own fields.
    pub extra: Vec<Field>,
    /// What the letter is for.
    pub purpose: String,
    /// The validity sentence, if the letter expires.
    pub validity: Option<String>,
    /// The closing sentence.
    pub closing: String,
    /// Place and date line.
    pub place_date: String,
    /// Who signs: name, title, on behalf of whom, NIP.
    pub signer: Signer,
    /// The verification URL printed under the QR code.
    pub verify_url: String,
}

impl SealedLetter {
    /// What `doc` prints.
    pub fn of(doc: &LetterDocument) -> Self {
        let h = &doc.letterhead;
        Self {
            paper: doc.paper,
            letterhead: SealedLetterhead {
                regency: h.regency.clone(),
                district: h.district.clone(),
                village: h.village.clone(),
                address: h.address.clone(),
                logo_sha256: h
                    .logo_svg
                    .as_ref()
                    .map(|s| hex(&crate::pki::sha256(s.as_bytes()))),
            },
            title: doc.title.clone(),
            number: doc.number.clone(),
            opening: doc.opening.clone(),
            subject: doc.subject.clone(),
            body: doc.body.clone(),
            extra: doc.extra.clone(),
            purpose: doc.purpose.clone(),
            validity: doc.validity.clone(),
            closing: doc.closing.clone(),
            place_date: doc.place_date.clone(),
            signer: doc.signer.clone(),
            verify_url: doc.verify_url.clone(),
        }
    }

    /// Every printed text of the letter, each with a name for error messages,
    /// in the order the letter states them.
    pub(crate) fn texts(&self) -> Vec<(String, &str)> {
        let h = &self.letterhead;
        let mut out: Vec<(String, &str)> = vec![
            ("letterhead".into(), h.regency.as_str()),
            ("letterhead".into(), h.district.as_str()),
            ("letterhead".into(), h.village.as_str()),
            ("letterhead address".into(), h.address.as_str()),
            ("title".into(), self.title.as_str()),
            ("number".into(), self.number.as_str()),
            ("opening".into(), self.opening.as_str()),
        ];
        for f in &self.subject {
            out.push((format!("{} label", f.label), f.label.as_str()));
            out.push((f.label.clone(), f.value.as_str()));
        }
        for (i, p) in self.body.iter().enumerate() {
            out.push((format!("body paragraph {}", i + 1), p.as_str()));
        }
        for f in &self.extra {
            out.push((format!("{} label", f.label), f.label.as_str()));
            out.push((f.label.clone(), f.value.as_str()));
        }
        out.push(("purpose".into(), self.purpose.as_str()));
        if let Some(v) = &self.validity {
            out.push(("validity".into(), v.as_str()));
        }
        out.push(("closing".into(), self.closing.as_str()));
        out.push(("place and date".into(), self.place_date.as_str()));
        if let Some(o) = &self.signer.on_behalf {
            out.push(("signer on behalf".into(), o.as_str()));
        }
        out.push(("signer title".into(), self.signer.title.as_str()));
        out.push(("signer name".into(), self.signer.name.as_str()));
        if let Some(n) = &self.signer.nip {
            out.push(("signer NIP".into(), n.as_str()));
        }
        if let Some(n) = &self.signer.nipd {
            out.push(("signer NIPD".into(), n.as_str()));
        }
        out.push(("verification URL".into(), self.verify_url.as_str()));
        out.retain(|(_, t)| !t.trim().is_empty());
        out
    }
}

/// What a v2 seal vouches for: the summary (also in the QR code), every
/// printed field, the page text exactly as printed, the rendered file, and
/// the certificates whose PDF signature wraps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterStatement {
    /// Always [`LETTER_STATEMENT_VERSION`].
    pub version: u32,
    /// Village, number, kind, dates, masked name and token: what the QR code
    /// carries and the public page shows.
    pub summary: Statement,
    /// Every field the letter prints.
    pub letter: SealedLetter,
    /// The QR code's text: the verification URL and the signed summary.
    pub qr: String,
    /// The text of every page, in content order, words separated by single
    /// spaces: what the verifier must find printed, no more and no less.
    pub printed: String,
    /// Number of pages.
    pub pages: u32,
    /// Length of the PDF as typeset, before the signature was appended.
    pub rendered_len: u64,
    /// SHA-256 (hex) of those bytes.
    pub rendered_sha256: String,
    /// SHA-256 (hex) of the village's document-signing certificate (DER).
    pub signer_cert_sha256: String,
    /// SHA-256 (hex) of the regency root certificate (DER) that issued it.
    pub root_cert_sha256: String,
}

impl LetterStatement {
    /// The canonical JSON (see the module documentation).
    pub fn canonical_json(&self) -> String {
        // Strings, numbers and options only: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The bytes the Ed25519 signature covers.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let json = self.canonical_json();
        let mut bytes = Vec::with_capacity(CONTEXT.len() + json.len());
        bytes.extend_from_slice(CONTEXT);
        bytes.extend_from_slice(json.as_bytes());
        bytes
    }

    /// Reads a statement stored as [`canonical_json`](Self::canonical_json).
    pub fn from_json(json: &str) -> Result<Self, VerifyError> {
        let s: Self = serde_json::from_str(json).map_err(|e| {
            VerifyError::Malformed(format!("the sealed letter statement is not readable: {e}"))
        })?;
        if s.version != LETTER_STATEMENT_VERSION {
            return Err(VerifyError::UnknownVersion(format!("v{}", s.version)));
        }
        Ok(s)
    }

    /// The compact form of the QR summary seal (what the keywords and the
    /// printed seal line carry).
    pub(crate) fn summary_seal_compact(&self) -> Result<String, VerifyError> {
        let (_, seal) = crate::qr::parse_qr_payload(&self.qr)?;
        Ok(seal.to_compact())
    }

    /// The value of the subject field labelled `label` (case-insensitive).
    pub fn subject_field(&self, label: &str) -> Option<&str> {
        self.letter
            .subject
            .iter()
            .find(|f| f.label.eq_ignore_ascii_case(label))
            .map(|f| f.value.as_str())
    }
}

/// A v2 statement with the village's Ed25519 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterSeal {
    /// What is vouched for.
    pub statement: LetterStatement,
    /// base64url (no padding) Ed25519 signature over [`LetterStatement::signed_bytes`].
    pub signature: String,
}

impl LetterSeal {
    /// Signs `statement` with `keys`.
    pub fn sign(statement: LetterStatement, keys: &VillageKeys) -> Self {
        let signature = keys.sign_bytes(&statement.signed_bytes());
        Self {
            statement,
            signature,
        }
    }

    /// Checks the signature with `key`.
    pub fn verify(&self, key: &PublicKey) -> Result<(), VerifyError> {
        key.verify_bytes(&self.statement.signed_bytes(), &self.signature)
    }

    /// `v2.` + base64url(canonical JSON) + `.` + signature: how the seal is
    /// kept inside the PDF.
    pub fn to_compact(&self) -> String {
        format!(
            "v{LETTER_STATEMENT_VERSION}.{}.{}",
            URL_SAFE_NO_PAD.encode(self.statement.canonical_json()),
            self.signature
        )
    }

    /// The inverse of [`to_compact`](Self::to_compact); checks the form, not
    /// the signature.
    pub fn from_compact(s: &str) -> Result<Self, VerifyError> {
        let mut parts = s.trim().split('.');
        let (Some(version), Some(json), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed(
                "a letter seal has three parts separated by dots".into(),
            ));
        };
        if version != "v2" {
            return Err(VerifyError::UnknownVersion(
                version.chars().take(16).collect(),
            ));
        }
        let json = URL_SAFE_NO_PAD.decode(json).map_err(|e| {
            VerifyError::Malformed(format!("the sealed letter statement is not base64url: {e}"))
        })?;
        let json = String::from_utf8(json).map_err(|_| {
            VerifyError::Malformed("the sealed letter statement is not UTF-8".into())
        })?;
        let statement = LetterStatement::from_json(&json)?;
        // Canonical only: another encoding of the same values would let two
        // byte strings carry one signature.
        if statement.canonical_json() != json {
            return Err(VerifyError::Malformed(
                "the sealed letter statement is not in canonical form".into(),
            ));
        }
        if signature.len() != SIGNATURE_B64_LEN || !signature.bytes().all(is_base64url) {
            return Err(VerifyError::Malformed(format!(
                "a seal's signature is {SIGNATURE_B64_LEN} base64url characters"
            )));
        }
        Ok(Self {
            statement,
            signature: signature.to_owned(),
        })
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Words separated by single spaces: how page text is compared, so line
/// breaks and the extractor's spacing do not count but every character does.
pub(crate) fn normalize_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `needle` is printed in `printed`, ignoring case and whitespace
/// (the template may upper-case a line, and wraps long ones).
pub(crate) fn is_printed(printed_squashed: &str, needle: &str) -> bool {
    let needle = squash(needle);
    needle.is_empty() || printed_squashed.contains(&needle)
}

/// Upper case, no whitespace.
pub(crate) fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The first sealed field that `printed` does not show, if any.
pub(crate) fn missing_field(letter: &SealedLetter, printed: &str) -> Option<String> {
    let squashed = squash(printed);
    letter
        .texts()
        .into_iter()
        .find(|(_, text)| !is_printed(&squashed, text))
        .map(|(name, _)| name)
}
