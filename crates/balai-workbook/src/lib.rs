//! Reads and writes the resident workbook villages already keep (OpenSID's
//! `FormatImporExcel` layout) — pure over bytes: no files, no clock, no I/O.
//!
//! Reading is all-or-nothing: [`read`] returns every resident of a valid
//! workbook (with warnings), or an [`ImportError`] listing every problem
//! found, each with its spreadsheet row, column and an Indonesian reason.
//! Hostile files (zip bombs, forged sizes, non-workbooks) are refused before
//! the parser runs. [`write_xlsx`] produces a workbook [`read`] gives back
//! unchanged; [`write_csv`] the same columns as CSV.

mod archive_guard;
mod cells;
mod columns;
mod cross_checks;
mod dates;
mod export_row;
mod headers;
mod import;
mod import_error;
mod index_sheet;
mod issue;
mod limits;
mod parsed;
mod reasons;
mod row_parser;
mod sheet_source;
mod writer_csv;
mod writer_xlsx;
mod xls_guard;

pub use columns::HEADERS;
pub use export_row::ExportRow;
pub use import_error::ImportError;
pub use index_sheet::{
    IdmSheetRow, IndeksDesaSheetRow, IndexSheetError, read_idm, read_indeks_desa,
};
pub use issue::RowIssue;
pub use limits::Limits;
pub use parsed::{Parsed, ParsedFamily, ParsedResident};
pub use writer_csv::write_csv;
pub use writer_xlsx::{WriteError, try_write_xlsx, write_xlsx};

use time::Date;

/// Reads a workbook (.xlsx, .xlsm or .xls); all-or-nothing: either every row
/// is valid (warnings allowed) or `Err` with every problem found.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Parsed, ImportError> {
    import::run(bytes, limits, None)
}

/// Like [`read`], and when `today` is given, birth, marriage and divorce
/// dates after it are errors (the crate has no clock: the caller passes the date).
pub fn read_with(
    bytes: &[u8],
    limits: &Limits,
    today: Option<Date>,
) -> Result<Parsed, ImportError> {
    import::run(bytes, limits, today)
}
