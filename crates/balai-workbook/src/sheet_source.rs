//! Rows of a worksheet, one at a time, whatever the file format: the xlsx
//! sheet is streamed straight from its XML (a 100,000-row sheet is never
//! held whole), the xls sheet comes from the reader's in-memory range.

use std::io::{Read, Seek};

use calamine::{Data, Range, XlsxCellReader};

use crate::cells::Cell;
use crate::import_error::ImportError;

/// Excel's widest sheet; cells further right are ignored while looking for headers.
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// A source of worksheet rows in top-to-bottom order.
pub(crate) trait RowSource<'a> {
    /// Fills `row` with the next row holding any cell (index = 0-based sheet
    /// column, only the first `width` columns) and returns its 1-based row
    /// number, or `None` after the last row.
    fn next_row(
        &mut self,
        row: &mut Vec<Cell<'a>>,
        width: usize,
    ) -> Result<Option<u32>, ImportError>;
}

fn place<'a>(row: &mut Vec<Cell<'a>>, col: u32, cell: Cell<'a>, width: usize) {
    let col = col as usize;
    if col >= width {
        return;
    }
    if row.len() <= col {
        row.resize_with(col + 1, Cell::default);
    }
    row[col] = cell;
}

fn damaged(e: impl std::fmt::Display) -> ImportError {
    ImportError::NotAWorkbook(format!("isi sheet rusak ({e})"))
}

/// Rows of an xlsx sheet, assembled from the streaming cell reader.
pub(crate) struct XlsxRows<'a, RS: Read + Seek> {
    reader: XlsxCellReader<'a, RS>,
    /// The first cell of the next row, read while finishing the previous one.
    pending: Option<(u32, u32, Cell<'a>)>,
    /// The last row handed out (0-based).
    last: Option<u32>,
    finished: bool,
}

impl<'a, RS: Read + Seek> XlsxRows<'a, RS> {
    /// Rows from `reader`.
    pub(crate) fn new(reader: XlsxCellReader<'a, RS>) -> Self {
        Self {
            reader,
            pending: None,
            last: None,
            finished: false,
        }
    }
}

impl<'a, RS: Read + Seek> RowSource<'a> for XlsxRows<'a, RS> {
    fn next_row(
        &mut self,
        row: &mut Vec<Cell<'a>>,
        width: usize,
    ) -> Result<Option<u32>, ImportError> {
        row.clear();
        let mut current = None;
        if let Some((r, c, cell)) = self.pending.take() {
            current = Some(r);
            place(row, c, cell, width);
        }
        while !self.finished {
            let Some(cell) = self.reader.next_cell().map_err(damaged)? else {
                self.finished = true;
                break;
            };
            let (r, c) = cell.get_position();
            if self.last.is_some_and(|last| r <= last) || current.is_some_and(|cur| r < cur) {
                // Every spreadsheet program writes rows in order; a file that
                // does not cannot be streamed and is not worth guessing about.
                return Err(ImportError::NotAWorkbook(format!(
                    "baris {} muncul setelah baris yang lebih bawah; simpan ulang berkas dari Excel",
                    u64::from(r) + 1
                )));
            }
            let value = Cell::from_ref(cell.get_value().clone());
            match current {
                Some(cur) if r > cur => {
                    self.pending = Some((r, c, value));
                    break;
                }
                _ => {
                    current = Some(r);
                    place(row, c, value, width);
                }
            }
        }
        self.last = current.or(self.last);
        Ok(current.map(|r| r.saturating_add(1)))
    }
}

/// Rows of a sheet already loaded as a range (xls).
pub(crate) struct RangeRows<'r> {
    range: &'r Range<Data>,
    next: usize,
}

impl<'r> RangeRows<'r> {
    /// Rows of `range`.
    pub(crate) fn new(range: &'r Range<Data>) -> Self {
        Self { range, next: 0 }
    }
}

impl<'r> RowSource<'r> for RangeRows<'r> {
    fn next_row(
        &mut self,
        row: &mut Vec<Cell<'r>>,
        width: usize,
    ) -> Result<Option<u32>, ImportError> {
        row.clear();
        let Some((start_row, start_col)) = self.range.start() else {
            return Ok(None);
        };
        let (height, range_width) = self.range.get_size();
        if self.next >= height {
            return Ok(None);
        }
        let i = self.next;
        self.next += 1;
        for j in 0..range_width {
            let col = start_col as usize + j;
            if col >= width {
                break;
            }
            if let Some(v) = self.range.get((i, j))
                && !matches!(v, Data::Empty)
            {
                place(row, col as u32, Cell::from_data(v), width);
            }
        }
        Ok(Some(start_row.saturating_add(i as u32).saturating_add(1)))
    }
}
