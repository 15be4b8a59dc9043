//! The import pipeline: guard the bytes, open the workbook, pick the sheet,
//! map the headers, parse every row, check across rows, then all or nothing.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Reader, SheetType, Xls, Xlsx};
use time::Date;

use crate::archive_guard::{self, Container};
use crate::cells::Cell;
use crate::cross_checks;
use crate::headers;
use crate::import_error::ImportError;
use crate::issue::{Issues, RowIssue};
use crate::limits::Limits;
use crate::parsed::Parsed;
use crate::row_parser::RowParser;
use crate::sheet_source::{MAX_COLUMNS, RangeRows, RowSource, XlsxRows};

/// The sheet OpenSID's template names; preferred over any other.
const DATA_SHEET: &str = "Data Penduduk";
/// A second-column cell with this text ends the data (OpenSID's convention).
const END_MARK: &str = "###";
/// Title rows above the header ("DATA PENDUDUK DESA …") are common: this
/// many non-empty rows are searched for the header row.
const HEADER_SEARCH: usize = 10;

/// Reads a workbook; see [`crate::read_with`].
pub(crate) fn run(
    bytes: &[u8],
    limits: &Limits,
    today: Option<Date>,
) -> Result<Parsed, ImportError> {
    let container = archive_guard::inspect(bytes, limits)?;
    // The guards above rule out the inputs known to exhaust memory; a panic
    // deeper in the third-party reader on some other malformed file must
    // still not take the server down with it.
    catch_unwind(AssertUnwindSafe(|| match container {
        Container::Xlsx => xlsx(bytes, limits, today),
        Container::Xls => xls(bytes, limits, today),
    }))
    .unwrap_or_else(|_| {
        Err(ImportError::NotAWorkbook(
            "struktur berkas tidak dapat dibaca; buka di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx".into(),
        ))
    })
}

fn unreadable(e: impl std::fmt::Display) -> ImportError {
    ImportError::NotAWorkbook(format!("workbook tidak dapat dibuka ({e})"))
}

/// Sheet names to try, the data sheet first.
fn candidates(sheets: &[calamine::Sheet]) -> Vec<String> {
    let mut names: Vec<String> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if let Some(i) = names.iter().position(|n| is_data_sheet(n)) {
        let preferred = names.remove(i);
        names.insert(0, preferred);
    }
    names
}

fn is_data_sheet(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(DATA_SHEET)
}

fn xlsx(bytes: &[u8], limits: &Limits, today: Option<Date>) -> Result<Parsed, ImportError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    for name in candidates(book.sheets_metadata()) {
        let Ok(reader) = book.worksheet_cells_reader(&name) else {
            continue;
        };
        let mut rows = XlsxRows::new(reader);
        if let Some(parsed) = try_sheet(&mut rows, is_data_sheet(&name), limits, today)? {
            return Ok(parsed);
        }
    }
    Err(ImportError::NoDataSheet)
}

fn xls(bytes: &[u8], limits: &Limits, today: Option<Date>) -> Result<Parsed, ImportError> {
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(unreadable)?;
    for name in candidates(book.sheets_metadata()) {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        let mut rows = RangeRows::new(&range);
        if let Some(parsed) = try_sheet(&mut rows, is_data_sheet(&name), limits, today)? {
            return Ok(parsed);
        }
    }
    Err(ImportError::NoDataSheet)
}

/// The header row: the first of the leading non-empty rows that looks like
/// one. When none does, the data sheet's first non-empty row is taken anyway
/// (so that its mistakes are reported); any other sheet is skipped.
fn find_header<'a>(
    rows: &mut dyn RowSource<'a>,
    named: bool,
) -> Result<Option<(u32, Vec<Cell<'a>>)>, ImportError> {
    let mut first = None;
    let mut row = Vec::new();
    let mut seen = 0;
    while seen < HEADER_SEARCH {
        let Some(n) = rows.next_row(&mut row, MAX_COLUMNS)? else {
            break;
        };
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        seen += 1;
        if headers::looks_like_headers(&row) {
            return Ok(Some((n, row)));
        }
        if first.is_none() {
            first = Some((n, row.clone()));
        }
    }
    Ok(first.filter(|_| named))
}

/// Imports the sheet if it starts with a header row (the named data sheet
/// always counts as one, so that its header mistakes get reported);
/// `Ok(None)` lets the caller try the next sheet.
fn try_sheet<'a>(
    rows: &mut dyn RowSource<'a>,
    named: bool,
    limits: &Limits,
    today: Option<Date>,
) -> Result<Option<Parsed>, ImportError> {
    let Some((header_row, header)) = find_header(rows, named)? else {
        return Ok(None);
    };
    let map = headers::read(header_row, &header).map_err(ImportError::Headers)?;
    drop(header);
    let parser = RowParser::new(&map, today);
    // Column B must be read even when no mapped column lies that far right.
    let width = map.width().max(2);
    let mut issues = Issues::default();
    let mut outcomes = Vec::new();
    let mut count = 0usize;
    let mut row: Vec<Cell<'a>> = Vec::with_capacity(width);
    while let Some(n) = rows.next_row(&mut row, width)? {
        if row.get(1).is_some_and(|c| c.text() == END_MARK) {
            break;
        }
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        count += 1;
        // Past the limit rows are only counted, so the error can say how many there are.
        if count > limits.max_rows {
            continue;
        }
        if let Some(first) = headers::repeated(&map, &row) {
            // Two files pasted one under the other: one clear error, not one per cell.
            let issue = RowIssue::new(
                n,
                first.name(),
                &map.cell(&row, first).text(),
                "baris ini mengulang baris judul kolom; hapus baris ini".into(),
            );
            issues.error(map.position(first), issue);
            continue;
        }
        outcomes.push(parser.parse(n, &row, &mut issues));
    }
    if count > limits.max_rows {
        return Err(ImportError::TooManyRows {
            rows: count,
            max: limits.max_rows,
        });
    }
    if count == 0 {
        return Err(ImportError::Empty);
    }
    let (facts, residents): (Vec<_>, Vec<_>) =
        outcomes.into_iter().map(|o| (o.facts, o.resident)).unzip();
    cross_checks::check(&map, &facts, &mut issues);
    let failed = issues.has_errors();
    let (errors, warnings): (Vec<RowIssue>, Vec<RowIssue>) = issues.into_sorted();
    if failed {
        return Err(ImportError::Rows(errors));
    }
    Ok(Some(Parsed {
        families: cross_checks::families(&facts),
        residents: residents.into_iter().flatten().collect(),
        warnings,
    }))
}
