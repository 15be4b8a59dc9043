//! Residents → an xlsx workbook in the OpenSID import layout, which
//! [`crate::read`] reads back to the same values.

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};

use crate::columns::HEADERS;
use crate::export_row::{ExportRow, Value};

/// Excel's last row number (1,048,576 rows, one of them the header).
const MAX_DATA_ROWS: usize = 1_048_575;

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// More residents than an Excel sheet has rows.
    #[error("{rows} penduduk tidak muat dalam satu sheet Excel (paling banyak {max} baris)")]
    TooManyRows {
        /// Residents given.
        rows: usize,
        /// Rows a sheet holds below its header.
        max: usize,
    },
    /// The xlsx writer refused a value (e.g. a text over Excel's 32,767 characters).
    #[error("workbook tidak dapat ditulis: {0}")]
    Xlsx(String),
}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> Self {
        WriteError::Xlsx(e.to_string())
    }
}

/// Writes residents in the import layout: sheet "Data Penduduk", the 43
/// headers in [`HEADERS`] order, codes as numbers, and NIK, No. KK, RT/RW,
/// dates (`YYYY-MM-DD`) and every other text as text cells so Excel keeps
/// every digit and leading zero.
///
/// # Panics
/// When [`try_write_xlsx`] fails: more than 1,048,575 residents, or a text
/// field longer than Excel's 32,767 characters.
pub fn write_xlsx(rows: &[ExportRow<'_>]) -> Vec<u8> {
    try_write_xlsx(rows).unwrap_or_else(|e| panic!("write_xlsx: {e}"))
}

/// [`write_xlsx`], reporting instead of panicking when the data does not fit Excel.
pub fn try_write_xlsx(rows: &[ExportRow<'_>]) -> Result<Vec<u8>, WriteError> {
    if rows.len() > MAX_DATA_ROWS {
        return Err(WriteError::TooManyRows {
            rows: rows.len(),
            max: MAX_DATA_ROWS,
        });
    }
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Data Penduduk")?;
    // "@" is Excel's Text format: digits typed later into these columns stay text too.
    let as_text = Format::new().set_num_format("@");
    let header = Format::new().set_bold();
    for (i, name) in HEADERS.iter().enumerate() {
        let col = i as ColNum;
        sheet.write_string_with_format(0, col, *name, &header)?;
        sheet.set_column_width(col, width(name))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as RowNum;
        for (j, value) in row.values().into_iter().enumerate() {
            let c = j as ColNum;
            match value {
                Value::Blank => {}
                Value::Text(s) => {
                    sheet.write_string_with_format(r, c, s, &as_text)?;
                }
                Value::Code(code) => {
                    sheet.write_number(r, c, code)?;
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A readable column width (in characters) for a header.
fn width(header: &str) -> f64 {
    match header {
        "nama" | "alamat" | "nama_ayah" | "nama_ibu" | "alamat_sekarang" => 28.0,
        "nik" | "no_kk" | "ayah_nik" | "ibu_nik" => 18.0,
        "rw" | "rt" | "sex" => 5.0,
        h => (h.len() as f64 + 2.0).max(10.0),
    }
}
