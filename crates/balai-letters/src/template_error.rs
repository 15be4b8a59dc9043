//! Why a village's template cannot be used, precisely enough to fix it.

use std::fmt;

use crate::document::Paper;
use crate::verify::VerifyError;

/// One typst error, located in the template where typst could say where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TemplateDiagnostic {
    /// 1-based line in the template; `None` when the error is not in the
    /// template's text (e.g. in the logo, or in typst itself).
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line.
    pub column: Option<usize>,
    /// typst's message, e.g. "unknown variable: nomor".
    pub message: String,
    /// typst's first hint, if it gave one.
    pub hint: Option<String>,
}

impl fmt::Display for TemplateDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: ")?,
            (Some(l), None) => write!(f, "line {l}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum TemplateError {
    /// The text is over [`MAX_TEMPLATE_BYTES`](crate::MAX_TEMPLATE_BYTES).
    #[error("the template has {bytes} bytes; at most {max} are allowed")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// typst could not typeset the sample letter with it.
    #[error("the template does not compile: {}", join(.0))]
    Compile(Vec<TemplateDiagnostic>),
    /// It typeset, but the PDF could not be written (or the QR code made).
    #[error("the sample letter could not be written as PDF: {0}")]
    Pdf(String),
    /// The sample letter's PDF does not verify: the template does not print
    /// the number after "Nomor:", the "Nama" row, or the seal.
    #[error("the sample letter made with this template does not verify: {0}")]
    Verify(VerifyError),
    /// The page is not the village's paper size (the template ignores `paper`).
    #[error(
        "the sample letter's page is {width_mm:.0} × {height_mm:.0} mm, but {paper:?} paper is {} × {} mm; set the page size from `paper` in /data.json",
        paper.size_mm().0, paper.size_mm().1
    )]
    PaperSize {
        /// The paper asked for.
        paper: Paper,
        /// The first page's width.
        width_mm: f64,
        /// The first page's height.
        height_mm: f64,
    },
}

/// The diagnostics on one line, separated by semicolons.
pub(crate) fn join(diagnostics: &[TemplateDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
