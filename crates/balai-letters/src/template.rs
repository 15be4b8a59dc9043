//! The embedded typst template and the JSON it reads.

use serde::Serialize;

use crate::document::{Field, LetterDocument, Paper, Signer};

/// The letter template; reads `/data.json`, `/qr.svg` and `/logo.svg`.
pub(crate) const TEMPLATE: &str = include_str!("template.typ");

/// Characters per printed piece of the seal: the template joins the pieces
/// with zero-width spaces so the line may wrap between them.
const SEAL_PIECE: usize = 48;

/// What `/data.json` holds.
#[derive(Serialize)]
pub(crate) struct TemplateData<'a> {
    paper: Paper,
    letterhead: LetterheadData<'a>,
    has_logo: bool,
    title: &'a str,
    number: &'a str,
    opening: &'a str,
    subject: &'a [Field],
    body: &'a [String],
    extra: &'a [Field],
    purpose: &'a str,
    validity: Option<&'a str>,
    closing: &'a str,
    place_date: &'a str,
    signer: &'a Signer,
    verify_url: &'a str,
    /// The PDF keyword holding the seal.
    seal: &'a str,
    seal_lines: Vec<&'a str>,
}

/// The letterhead's lines as `/data.json` holds them; the logo is a file
/// of its own (`/logo.svg`).
#[derive(Serialize)]
struct LetterheadData<'a> {
    regency: &'a str,
    district: &'a str,
    village: &'a str,
    address: &'a str,
}

impl<'a> TemplateData<'a> {
    /// The template's view of `doc`, with `seal_keyword` (see
    /// [`pdf_seal::keyword`](crate::pdf_seal::keyword)) stored and printed.
    pub(crate) fn new(doc: &'a LetterDocument, seal_keyword: &'a str) -> Self {
        Self {
            paper: doc.paper,
            letterhead: LetterheadData {
                regency: &doc.letterhead.regency,
                district: &doc.letterhead.district,
                village: &doc.letterhead.village,
                address: &doc.letterhead.address,
            },
            has_logo: doc.letterhead.logo_svg.is_some(),
            title: &doc.title,
            number: &doc.number,
            opening: &doc.opening,
            subject: &doc.subject,
            body: &doc.body,
            extra: &doc.extra,
            purpose: &doc.purpose,
            validity: doc.validity.as_deref(),
            closing: &doc.closing,
            place_date: &doc.place_date,
            signer: &doc.signer,
            verify_url: &doc.verify_url,
            seal: seal_keyword,
            // The keyword is ASCII, so byte chunks are character chunks.
            seal_lines: seal_keyword
                .as_bytes()
                .chunks(SEAL_PIECE)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect(),
        }
    }

    /// The JSON text.
    pub(crate) fn to_json(&self) -> String {
        // Strings and flags only: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}
