//! The letter as the template sees it: every line already resolved to text.

use serde::{Deserialize, Serialize};

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// Indonesian folio, 215 × 330 mm.
    F4,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (u32, u32) {
        match self {
            Paper::A4 => (210, 297),
            Paper::F4 => (215, 330),
        }
    }
}

/// The letterhead (kop surat), from the village profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    /// First line, e.g. "PEMERINTAH KABUPATEN KLATEN".
    pub regency: String,
    /// Second line, e.g. "KECAMATAN PRAMBANAN".
    pub district: String,
    /// Third line, e.g. "DESA SENGON".
    pub village: String,
    /// The office address, printed small under the three lines.
    pub address: String,
    /// The village's emblem as SVG, printed left of the lines (reaches the
    /// template as `/logo.svg`, not in `/data.json`).
    pub logo_svg: Option<String>,
}

/// One labelled line in the letter's body (identity fields, extra fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// What the line states, e.g. "Nama".
    pub label: String,
    /// The value printed after the colon.
    pub value: String,
}

impl Field {
    /// A field from its label and value.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// Who signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The office, e.g. "Kepala Desa Sengon".
    pub title: String,
    /// The official's name, printed bold and underlined.
    pub name: String,
    /// "a.n. Kepala Desa" / "u.b. Sekretaris Desa", printed above the title.
    pub on_behalf: Option<String>,
    /// Civil-servant number, printed under the name when present.
    pub nip: Option<String>,
    /// A village-issued official number (NIPD), printed under the name when
    /// the signer has no NIP. Left out of the JSON when absent, so letters
    /// sealed before it existed read and verify unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nipd: Option<String>,
}

/// A letter ready to print: everything already resolved to text.
///
/// The subject field labelled "Nama" is the person the letter is about. A
/// v2 letter seals every field here (see
/// [`LetterStatement`](crate::LetterStatement)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDocument {
    /// Paper size.
    pub paper: Paper,
    /// The letterhead.
    pub letterhead: Letterhead,
    /// E.g. "SURAT KETERANGAN DOMISILI".
    pub title: String,
    /// E.g. "474.4/012/2001/XI/2026".
    pub number: String,
    /// The sentence introducing the subject's fields.
    pub opening: String,
    /// Identity lines: Nama, NIK, Tempat/Tgl Lahir, …
    pub subject: Vec<Field>,
    /// Paragraphs after the fields (the statement itself).
    pub body: Vec<String>,
    /// The letter type's own fields (e.g. nama usaha); may be empty.
    pub extra: Vec<Field>,
    /// "Keperluan: …".
    pub purpose: String,
    /// "Surat keterangan ini berlaku sampai dengan …", if the letter expires.
    pub validity: Option<String>,
    /// The closing sentence.
    pub closing: String,
    /// E.g. "Sengon, 22 November 2026".
    pub place_date: String,
    /// Who signs.
    pub signer: Signer,
    /// Printed under the QR code and encoded in it.
    pub verify_url: String,
}
