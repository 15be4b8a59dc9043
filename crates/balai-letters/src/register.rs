//! Printed registers and cards (family card, resident biodata, the monthly
//! mutation report, the Buku Induk Penduduk): the village's letterhead over
//! labelled fields and tables, typeset by typst with the embedded
//! `register.typ`. Unlike a letter they carry no number, seal or QR code:
//! they are prints of the village's books as they stand, not documents a
//! third party verifies.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use typst::foundations::Smart;
use typst::syntax::Source;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::document::{Field, Letterhead, Paper, Signer};
use crate::render::RenderError;
use crate::template_error::join;
use crate::world::{self, LetterWorld};

/// The embedded register template; reads `/data.json` and `/logo.svg`.
const REGISTER_TEMPLATE: &str = include_str!("register.typ");

/// Parsed once per process, as the same virtual main file as every letter
/// template (so it interns no new file id).
static REGISTER_SOURCE: LazyLock<Source> =
    LazyLock::new(|| world::main_source(REGISTER_TEMPLATE.to_owned()));

/// One column of a printed table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The heading.
    pub label: String,
    /// Relative width (`fr`).
    pub width: u16,
    /// Right-aligned figures.
    pub numeric: bool,
}

impl Column {
    /// A left-aligned text column of relative width `width`.
    pub fn text(label: impl Into<String>, width: u16) -> Self {
        Self {
            label: label.into(),
            width,
            numeric: false,
        }
    }

    /// A right-aligned figures column of relative width `width`.
    pub fn number(label: impl Into<String>, width: u16) -> Self {
        Self {
            label: label.into(),
            width,
            numeric: true,
        }
    }
}

/// A heading over several columns (a header row above the columns' own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnGroup {
    /// The heading.
    pub label: String,
    /// How many columns it spans.
    pub span: u16,
}

/// A part of a printed register, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Section {
    /// Labelled lines, "label : value", under an optional heading.
    Fields {
        /// Printed bold above the lines.
        heading: Option<String>,
        /// The lines.
        fields: Vec<Field>,
    },
    /// A ruled table with a repeated header row.
    Table {
        /// Printed bold above the table.
        heading: Option<String>,
        /// Headings over groups of columns (empty: none); their spans add
        /// up to the number of columns.
        groups: Vec<ColumnGroup>,
        /// The columns.
        columns: Vec<Column>,
        /// Rows of cells, one per column.
        rows: Vec<Vec<String>>,
        /// Rows printed bold (e.g. totals), by index into `rows`.
        strong: Vec<usize>,
        /// Printed small under the table.
        note: Option<String>,
    },
}

/// A register ready to print: everything already resolved to text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDocument {
    /// Paper size.
    pub paper: Paper,
    /// Landscape (wide tables such as the Buku Induk).
    pub landscape: bool,
    /// The village's letterhead.
    pub letterhead: Letterhead,
    /// E.g. "KARTU KELUARGA".
    pub title: String,
    /// Lines under the title (card number, period).
    pub subtitle: Vec<String>,
    /// The contents.
    pub sections: Vec<Section>,
    /// E.g. "Sengon, 2 Desember 2026", above the signature.
    pub place_date: String,
    /// Who signs the register (the village head), if anyone.
    pub signer: Option<Signer>,
    /// Printed small at the foot of every page.
    pub footer: String,
}

/// Renders `doc` to PDF bytes with the embedded register template.
pub fn render_register(doc: &RegisterDocument) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::json!({
        "paper": doc.paper,
        "landscape": doc.landscape,
        "letterhead": {
            "regency": doc.letterhead.regency,
            "district": doc.letterhead.district,
            "village": doc.letterhead.village,
            "address": doc.letterhead.address,
        },
        "has_logo": doc.letterhead.logo_svg.is_some(),
        "title": doc.title,
        "subtitle": doc.subtitle,
        "sections": doc.sections,
        "place_date": doc.place_date,
        "signer": doc.signer,
        "footer": doc.footer,
    })
    .to_string();
    let world = LetterWorld::new(
        REGISTER_SOURCE.clone(),
        data,
        String::new(),
        doc.letterhead.logo_svg.clone(),
    );
    let result = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| RenderError::Typst(join(&crate::render::diagnostics(&world, &e))))
        .and_then(|document| {
            let options = PdfOptions {
                ident: Smart::Custom(format!("balai-register/{}", doc.title)),
                ..PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options)
                .map_err(|e| RenderError::Pdf(join(&crate::render::diagnostics(&world, &e))))
        });
    crate::render::age();
    result
}
