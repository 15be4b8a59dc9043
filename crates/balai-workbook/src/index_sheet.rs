//! Reads the ministry's published IDM table (Indeks Desa Membangun, one row
//! per village) from an .xlsx/.xls workbook or a CSV file: all or nothing,
//! every bad cell reported with its row and column.
//!
//! Accepted columns (headers matched ignoring case, spaces, dots and
//! underscores, and a trailing year such as "IKS 2023"; other columns such
//! as NO, PROVINSI, KECAMATAN, DESA or TARGET STATUS are ignored):
//!
//! | column | headers accepted | |
//! |---|---|---|
//! | village code | `KODE DESA`, `KODE WILAYAH`, `KD DESA`, `KODE KEMENDAGRI`, `KODE` | required; Kemendagri 2+2+2+4, with or without dots |
//! | social index | `IKS`, `SKOR IKS`, `NILAI IKS` | required; 0–1, at most 4 decimals |
//! | economic index | `IKE`, `SKOR IKE`, `NILAI IKE` | required |
//! | ecological index | `IKL`, `SKOR IKL`, `NILAI IKL` | required |
//! | IDM | `IDM`, `NILAI IDM`, `SKOR IDM` | optional; must be (IKS + IKE + IKL) / 3 within 0.0001 |
//! | status | `STATUS`, `STATUS IDM` | optional; must fit the IDM ([`IdmStatus::fits`]) |
//! | year | `TAHUN` | optional; must be the year being imported |

use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use balai_domain::idm::{Idm, IdmStatus, IdmYear, Index4, IndexError};
use balai_domain::indeks_desa::{Dimension, IndeksDesa, IndeksDesaYear, Score100, ScoreError};
use balai_domain::{KodeWilayah, RegionLevel};
use calamine::{Reader, Xls, Xlsx};

use crate::archive_guard::{self, Container};
use crate::cells::Cell;
use crate::import_error::ImportError;
use crate::issue::{Issues, RowIssue};
use crate::limits::Limits;
use crate::sheet_source::{RangeRows, RowSource, XlsxRows};

/// Rows searched for the header row (title rows above it are common).
const HEADER_SEARCH: usize = 10;
/// Columns read: an index table is narrow.
const WIDTH: usize = 64;
/// Most rows one file may hold: a province has under 10,000 villages.
const MAX_ROWS: usize = 20_000;

/// One village's published IDM, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdmSheetRow {
    /// 1-based spreadsheet row.
    pub row: u32,
    /// The village, as written in the row (its place is checked by the caller).
    pub village: KodeWilayah,
    /// The village code as written, for messages.
    pub village_text: String,
    /// The three indices.
    pub idm: Idm,
    /// The IDM as published, when the file has the column.
    pub published: Option<Index4>,
    /// The status as published, when the file has the column.
    pub status: Option<IdmStatus>,
}

/// Why an index file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexSheetError {
    /// Not a workbook or CSV, too large, or hostile.
    #[error("{0}")]
    File(ImportError),
    /// No header row with the required columns in the first rows of any sheet.
    #[error(
        "Tidak ditemukan baris judul kolom dengan KODE DESA, IKS, IKE dan IKL di sepuluh baris pertama sheet mana pun."
    )]
    NoHeader,
    /// The header row is there but no village rows follow it.
    #[error("Berkas hanya berisi judul kolom; tidak ada baris desa.")]
    Empty,
    /// More rows than a province has villages.
    #[error("Berkas berisi lebih dari {max} baris; pecah per kabupaten.")]
    TooManyRows {
        /// The limit.
        max: usize,
    },
    /// Every bad cell, sorted by row then column.
    #[error("Ditemukan {} kesalahan; tidak ada yang diimpor. Perbaiki semuanya lalu unggah ulang.", .0.len())]
    Rows(Vec<RowIssue>),
}

impl IndexSheetError {
    /// The listed problems (only [`IndexSheetError::Rows`] has any).
    pub fn issues(&self) -> &[RowIssue] {
        match self {
            IndexSheetError::Rows(v) => v,
            _ => &[],
        }
    }
}

/// The columns of an index table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Village,
    Iks,
    Ike,
    Ikl,
    Idm,
    Status,
    Year,
    /// An Indeks Desa dimension score.
    Dim(Dimension),
    /// The Indeks Desa's overall score.
    Score,
    /// The Indeks Desa's status.
    IdStatus,
}

/// Which of the ministry's tables is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Idm,
    IndeksDesa,
}

impl Table {
    /// The columns a header row must name.
    fn required(self) -> &'static [Column] {
        match self {
            Table::Idm => &[Column::Village, Column::Iks, Column::Ike, Column::Ikl],
            Table::IndeksDesa => &[
                Column::Village,
                Column::Dim(Dimension::LayananDasar),
                Column::Dim(Dimension::Sosial),
                Column::Dim(Dimension::Ekonomi),
                Column::Dim(Dimension::Lingkungan),
                Column::Dim(Dimension::Aksesibilitas),
                Column::Dim(Dimension::TataKelola),
                Column::Score,
                Column::IdStatus,
            ],
        }
    }
}

impl Column {
    /// The name used in messages.
    fn name(self) -> &'static str {
        match self {
            Column::Village => "KODE DESA",
            Column::Iks => "IKS",
            Column::Ike => "IKE",
            Column::Ikl => "IKL",
            Column::Idm => "NILAI IDM",
            Column::Status => "STATUS IDM",
            Column::Year => "TAHUN",
            Column::Dim(d) => d.label(),
            Column::Score => "NILAI INDEKS DESA",
            Column::IdStatus => "STATUS",
        }
    }

    /// The column a header names, if any.
    fn of_header(header: &str, table: Table) -> Option<Column> {
        let mut key: String = header
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        // "IKS 2023" → "IKS": published tables often carry the year.
        if key.len() > 4 && key[key.len() - 4..].bytes().all(|b| b.is_ascii_digit()) {
            key.truncate(key.len() - 4);
        }
        if table == Table::IndeksDesa {
            for prefix in ["DIMENSI", "SKOR", "NILAI"] {
                if let Some(rest) = key.strip_prefix(prefix)
                    && let Some(d) = dimension(rest)
                {
                    return Some(Column::Dim(d));
                }
            }
            if let Some(d) = dimension(&key) {
                return Some(Column::Dim(d));
            }
            match key.as_str() {
                "NILAI" | "NILAIINDEKSDESA" | "INDEKSDESA" | "SKOR" | "SKORINDEKSDESA"
                | "NILAIID" => {
                    return Some(Column::Score);
                }
                "STATUS" | "STATUSDESA" | "STATUSINDEKSDESA" | "STATUSID" => {
                    return Some(Column::IdStatus);
                }
                _ => {}
            }
        }
        Some(match key.as_str() {
            "KODEDESA" | "KODEWILAYAH" | "KDDESA" | "KODEKEMENDAGRI" | "KODE" => Column::Village,
            "IKS" | "SKORIKS" | "NILAIIKS" => Column::Iks,
            "IKE" | "SKORIKE" | "NILAIIKE" => Column::Ike,
            "IKL" | "SKORIKL" | "NILAIIKL" => Column::Ikl,
            "IDM" | "NILAIIDM" | "SKORIDM" => Column::Idm,
            "STATUS" | "STATUSIDM" => Column::Status,
            "TAHUN" => Column::Year,
            _ => return None,
        })
    }
}

/// Where each known column is in the header row; a column named twice is an error.
fn header_columns(
    header_row: u32,
    header: &[String],
    table: Table,
    issues: &mut Issues,
) -> HashMap<Column, usize> {
    let mut columns = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = Column::of_header(h, table)
            && columns.insert(c, i).is_some()
        {
            issues.error(
                i as u32,
                RowIssue::new(
                    header_row,
                    c.name(),
                    h,
                    "kolom ini muncul dua kali; hapus salah satunya".into(),
                ),
            );
        }
    }
    columns
}

/// The dimension a normalised header names.
fn dimension(key: &str) -> Option<Dimension> {
    Some(match key {
        "LAYANANDASAR" => Dimension::LayananDasar,
        "SOSIAL" => Dimension::Sosial,
        "EKONOMI" => Dimension::Ekonomi,
        "LINGKUNGAN" => Dimension::Lingkungan,
        "AKSESIBILITAS" => Dimension::Aksesibilitas,
        "TATAKELOLA" | "TATAKELOLAPEMERINTAHAN" | "TATAKELOLAPEMERINTAHANDESA" => {
            Dimension::TataKelola
        }
        _ => return None,
    })
}

/// Reads the IDM table of `year` from `bytes` (.xlsx, .xls or CSV).
/// `place` says why a well-formed village code cannot be taken (outside
/// the regency, not in the region list), so that one report lists every
/// problem of the file.
pub fn read_idm(
    bytes: &[u8],
    year: IdmYear,
    limits: &Limits,
    place: &dyn Fn(KodeWilayah) -> Result<(), String>,
) -> Result<Vec<IdmSheetRow>, IndexSheetError> {
    let rows = sheet(bytes, limits, Table::Idm)?;
    parse(rows, year, place)
}

/// The rows of the first sheet (or the CSV) with `table`'s header row.
fn sheet(bytes: &[u8], limits: &Limits, table: Table) -> Result<TextRows, IndexSheetError> {
    Ok(match archive_guard::inspect(bytes, limits) {
        Ok(container) => catch_unwind(AssertUnwindSafe(|| workbook_rows(bytes, container, table)))
            .unwrap_or_else(|_| {
                Err(IndexSheetError::File(ImportError::NotAWorkbook(
                    "struktur berkas tidak dapat dibaca; simpan ulang sebagai .xlsx".into(),
                )))
            })?,
        Err(ImportError::NotAWorkbook(why)) => match std::str::from_utf8(bytes) {
            Ok(text) => csv_rows(text, table)?,
            Err(_) => return Err(IndexSheetError::File(ImportError::NotAWorkbook(why))),
        },
        Err(e) => return Err(IndexSheetError::File(e)),
    })
}

/// A sheet as text cells: (1-based row, cells), blank rows left out.
type TextRows = Vec<(u32, Vec<String>)>;

fn workbook_rows(
    bytes: &[u8],
    container: Container,
    table: Table,
) -> Result<TextRows, IndexSheetError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        IndexSheetError::File(ImportError::NotAWorkbook(format!(
            "workbook tidak dapat dibuka ({e})"
        )))
    };
    let mut best: Option<TextRows> = None;
    match container {
        Container::Xlsx => {
            let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
            let names: Vec<String> = book.sheet_names();
            for name in names {
                let Ok(reader) = book.worksheet_cells_reader(&name) else {
                    continue;
                };
                let rows = collect(&mut XlsxRows::new(reader))?;
                if header_at(&rows, table).is_some() {
                    best = Some(rows);
                    break;
                }
            }
        }
        Container::Xls => {
            let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
            for name in book.sheet_names() {
                let Ok(range) = book.worksheet_range(&name) else {
                    continue;
                };
                let rows = collect(&mut RangeRows::new(&range))?;
                if header_at(&rows, table).is_some() {
                    best = Some(rows);
                    break;
                }
            }
        }
    }
    best.ok_or(IndexSheetError::NoHeader)
}

fn collect<'a>(source: &mut dyn RowSource<'a>) -> Result<TextRows, IndexSheetError> {
    let mut out = Vec::new();
    let mut row: Vec<Cell<'a>> = Vec::new();
    while let Some(n) = source
        .next_row(&mut row, WIDTH)
        .map_err(IndexSheetError::File)?
    {
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        if out.len() > MAX_ROWS {
            return Err(IndexSheetError::TooManyRows { max: MAX_ROWS });
        }
        out.push((n, row.iter().map(|c| c.text().into_owned()).collect()));
    }
    Ok(out)
}

fn csv_rows(text: &str, table: Table) -> Result<TextRows, IndexSheetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel in an Indonesian locale saves CSV with semicolons (the comma
    // is the decimal separator there).
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            IndexSheetError::File(ImportError::NotAWorkbook(format!(
                "baris {} CSV tidak dapat dibaca ({e})",
                i + 1
            )))
        })?;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if out.len() > MAX_ROWS {
            return Err(IndexSheetError::TooManyRows { max: MAX_ROWS });
        }
        let n = record
            .position()
            .map_or(i as u64 + 1, |p| p.line())
            .try_into()
            .unwrap_or(u32::MAX);
        out.push((n, cells));
    }
    if header_at(&out, table).is_none() {
        return Err(IndexSheetError::NoHeader);
    }
    Ok(out)
}

/// The index (into the rows) of the header row: the first of the leading
/// rows naming every required column.
fn header_at(rows: &TextRows, table: Table) -> Option<usize> {
    rows.iter().take(HEADER_SEARCH).position(|(_, cells)| {
        let found: Vec<Column> = cells
            .iter()
            .filter_map(|c| Column::of_header(c, table))
            .collect();
        table.required().iter().all(|r| found.contains(r))
    })
}

fn parse(
    rows: TextRows,
    year: IdmYear,
    place: &dyn Fn(KodeWilayah) -> Result<(), String>,
) -> Result<Vec<IdmSheetRow>, IndexSheetError> {
    let at = header_at(&rows, Table::Idm).ok_or(IndexSheetError::NoHeader)?;
    let (header_row, header) = &rows[at];
    let mut issues = Issues::default();
    let columns = header_columns(*header_row, header, Table::Idm, &mut issues);
    let data = &rows[at + 1..];
    if data.is_empty() {
        return Err(IndexSheetError::Empty);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut seen: HashMap<KodeWilayah, u32> = HashMap::new();
    for (n, cells) in data {
        let cell = |c: Column| -> Option<(u32, &str)> {
            columns
                .get(&c)
                .map(|&i| (i as u32, cells.get(i).map_or("", |s| s.trim())))
        };
        let mut bad = |c: Column, value: &str, reason: String| {
            let position = columns.get(&c).copied().unwrap_or(0) as u32;
            issues.error(position, RowIssue::new(*n, c.name(), value, reason));
        };
        let Some((_, code)) = cell(Column::Village) else {
            continue;
        };
        let village = village_cell(code, *n, &mut seen, place, &mut |v, r| {
            bad(Column::Village, v, r)
        });
        let mut index = |c: Column| -> Option<Index4> {
            let (_, text) = cell(c)?;
            match Index4::parse(text) {
                Ok(i) => Some(i),
                Err(e) => {
                    bad(c, text, index_reason(c, &e));
                    None
                }
            }
        };
        let (iks, ike, ikl) = (index(Column::Iks), index(Column::Ike), index(Column::Ikl));
        let published = match cell(Column::Idm) {
            Some((_, "")) | None => None,
            Some((_, text)) => match Index4::parse(text) {
                Ok(i) => Some(i),
                Err(e) => {
                    bad(Column::Idm, text, index_reason(Column::Idm, &e));
                    None
                }
            },
        };
        let status = match cell(Column::Status) {
            Some((_, "")) | None => None,
            Some((_, text)) => match IdmStatus::parse(text) {
                Some(s) => Some(s),
                None => {
                    bad(
                        Column::Status,
                        text,
                        "status tidak dikenal; gunakan SANGAT TERTINGGAL, TERTINGGAL, BERKEMBANG, MAJU atau MANDIRI".into(),
                    );
                    None
                }
            },
        };
        if let Some((_, text)) = cell(Column::Year)
            && !text.is_empty()
            && IdmYear::parse(text) != Some(year)
        {
            bad(
                Column::Year,
                text,
                format!("baris ini bukan data tahun {year} yang sedang diimpor"),
            );
        }
        let (Some(village), Some(iks), Some(ike), Some(ikl)) = (village, iks, ike, ikl) else {
            continue;
        };
        let idm = Idm { iks, ike, ikl };
        let computed = idm.value().rounded();
        if let Some(p) = published
            && p.ten_thousandths().abs_diff(computed.ten_thousandths()) > 1
        {
            bad(
                Column::Idm,
                &p.to_string(),
                format!(
                    "tidak sama dengan (IKS + IKE + IKL) / 3 = ({iks} + {ike} + {ikl}) / 3 = {computed}"
                ),
            );
            continue;
        }
        if let Some(s) = status {
            let value = published.unwrap_or(computed);
            if !s.fits(value) {
                bad(
                    Column::Status,
                    s.label(),
                    format!(
                        "IDM {value} berstatus {} ({}), bukan {}",
                        IdmStatus::of(value.fraction()).label(),
                        IdmStatus::of(value.fraction()).band(),
                        s.label()
                    ),
                );
                continue;
            }
        }
        out.push(IdmSheetRow {
            row: *n,
            village,
            village_text: code.to_owned(),
            idm,
            published,
            status,
        });
    }
    if issues.has_errors() {
        return Err(IndexSheetError::Rows(issues.into_sorted().0));
    }
    Ok(out)
}

/// One village's published Indeks Desa, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndeksDesaSheetRow {
    /// 1-based spreadsheet row.
    pub row: u32,
    /// The village.
    pub village: KodeWilayah,
    /// The published figures.
    pub index: IndeksDesa,
}

/// Reads the ministry's Indeks Desa table of `year` (2024 on): KODE DESA,
/// the six dimensions (`LAYANAN DASAR`, `SOSIAL`, `EKONOMI`, `LINGKUNGAN`,
/// `AKSESIBILITAS`, `TATA KELOLA`, each optionally prefixed `DIMENSI`,
/// `SKOR` or `NILAI`), `NILAI INDEKS DESA` (or `NILAI`, `INDEKS DESA`,
/// `SKOR`), `STATUS` (or `STATUS DESA`), optional `TAHUN`; scores 0–100 with
/// at most two decimals. All or nothing, like [`read_idm`].
pub fn read_indeks_desa(
    bytes: &[u8],
    year: IndeksDesaYear,
    limits: &Limits,
    place: &dyn Fn(KodeWilayah) -> Result<(), String>,
) -> Result<Vec<IndeksDesaSheetRow>, IndexSheetError> {
    let rows = sheet(bytes, limits, Table::IndeksDesa)?;
    let at = header_at(&rows, Table::IndeksDesa).ok_or(IndexSheetError::NoHeader)?;
    let (header_row, header) = &rows[at];
    let mut issues = Issues::default();
    let columns = header_columns(*header_row, header, Table::IndeksDesa, &mut issues);
    let data = &rows[at + 1..];
    if data.is_empty() {
        return Err(IndexSheetError::Empty);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut seen: HashMap<KodeWilayah, u32> = HashMap::new();
    for (n, cells) in data {
        let cell = |c: Column| -> Option<&str> {
            columns
                .get(&c)
                .map(|&i| cells.get(i).map_or("", |s| s.trim()))
        };
        let mut bad = |c: Column, value: &str, reason: String| {
            let position = columns.get(&c).copied().unwrap_or(0) as u32;
            issues.error(position, RowIssue::new(*n, c.name(), value, reason));
        };
        let code = cell(Column::Village).unwrap_or("");
        let village = village_cell(code, *n, &mut seen, place, &mut |v, r| {
            bad(Column::Village, v, r)
        });
        let mut score = |c: Column| -> Option<Score100> {
            let text = cell(c).unwrap_or("");
            Score100::parse(text)
                .map_err(|e| bad(c, text, score_reason(c, &e)))
                .ok()
        };
        let dims: Vec<Option<Score100>> = Dimension::ALL
            .into_iter()
            .map(|d| score(Column::Dim(d)))
            .collect();
        let total = score(Column::Score);
        let status_text = cell(Column::IdStatus).unwrap_or("");
        let status = IdmStatus::parse(status_text);
        if status.is_none() {
            bad(
                Column::IdStatus,
                status_text,
                "status tidak dikenal; gunakan SANGAT TERTINGGAL, TERTINGGAL, BERKEMBANG, MAJU atau MANDIRI".into(),
            );
        }
        if let Some(text) = cell(Column::Year)
            && !text.is_empty()
            && IndeksDesaYear::parse(text) != Some(year)
        {
            bad(
                Column::Year,
                text,
                format!("baris ini bukan data tahun {year} yang sedang diimpor"),
            );
        }
        let dims: Option<Vec<Score100>> = dims.into_iter().collect();
        if let (Some(village), Some(dims), Some(score), Some(status)) =
            (village, dims, total, status)
        {
            let mut dimensions = [score; 6];
            dimensions.copy_from_slice(&dims);
            out.push(IndeksDesaSheetRow {
                row: *n,
                village,
                index: IndeksDesa {
                    dimensions,
                    score,
                    status,
                },
            });
        }
    }
    if issues.has_errors() {
        return Err(IndexSheetError::Rows(issues.into_sorted().0));
    }
    Ok(out)
}

/// The village code cell of row `n`: the village, or `None` with the reason
/// given to `bad` (empty, not a village code, misplaced, or a village
/// already in an earlier row of `seen`).
fn village_cell(
    code: &str,
    n: u32,
    seen: &mut HashMap<KodeWilayah, u32>,
    place: &dyn Fn(KodeWilayah) -> Result<(), String>,
    bad: &mut dyn FnMut(&str, String),
) -> Option<KodeWilayah> {
    if code.is_empty() {
        bad(
            code,
            "kode desa kosong; setiap baris harus satu desa".into(),
        );
        return None;
    }
    match KodeWilayah::parse(code) {
        Ok(k) if k.level() == RegionLevel::Village => match (place(k), seen.get(&k).copied()) {
            (Err(reason), _) => {
                bad(code, reason);
                None
            }
            (Ok(()), Some(first)) => {
                bad(code, format!("desa ini sudah ada di baris {first}"));
                None
            }
            (Ok(()), None) => {
                seen.insert(k, n);
                Some(k)
            }
        },
        Ok(_) => {
            bad(
                code,
                "bukan kode desa (2+2+2+4 angka), melainkan kode wilayah yang lebih tinggi".into(),
            );
            None
        }
        Err(e) => {
            bad(code, code_reason(&e));
            None
        }
    }
}

fn score_reason(c: Column, e: &ScoreError) -> String {
    let what = c.name();
    match e {
        ScoreError::NotANumber(_) => format!("{what} harus angka seperti 65,43"),
        ScoreError::TooPrecise(_) => format!("{what} paling banyak 2 angka di belakang koma"),
        ScoreError::OutOfRange(_) => format!("{what} harus di antara 0 dan 100"),
    }
}

/// Why a village code was refused, in Indonesian (the domain words it in English).
fn code_reason(e: &balai_domain::parse_error::ParseIdError) -> String {
    if e.rule().contains("BPS") {
        "ini tampaknya kode BPS (2+2+3+3 angka); Balai memakai kode Kemendagri \
         (2+2+2+4 angka, mis. 33.10.01.2001): cari desa ini di daftar wilayah Kemendagri"
            .into()
    } else {
        "kode desa harus kode Kemendagri 10 angka (2+2+2+4, mis. 33.10.01.2001)".into()
    }
}

fn index_reason(c: Column, e: &IndexError) -> String {
    let what = c.name();
    match e {
        IndexError::NotANumber(_) => format!("{what} harus angka seperti 0,6543"),
        IndexError::TooPrecise(_) => format!("{what} paling banyak 4 angka di belakang koma"),
        IndexError::OutOfRange(_) => format!("{what} harus di antara 0 dan 1"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> IdmYear {
        IdmYear::parse("2023").unwrap()
    }

    fn read(csv: &str) -> Result<Vec<IdmSheetRow>, IndexSheetError> {
        read_idm(csv.as_bytes(), year(), &Limits::default(), &|_| Ok(()))
    }

    #[test]
    fn a_ministry_table_with_title_rows_and_extra_columns_is_read() {
        let rows = read(
            "REKAP STATUS IDM 2023;;;;;;;\n\
             NO;PROVINSI;KABUPATEN;DESA;KODE DESA;IKS 2023;IKE 2023;IKL 2023;NILAI IDM;STATUS IDM\n\
             1;JAWA TENGAH;KLATEN;KRAJAN;3310012001;0,6457;0,5333;0,6667;0,6152;BERKEMBANG\n\
             2;JAWA TENGAH;KLATEN;SIDOWAYAH;33.10.01.2002;0,8000;0,8500;0,9000;;\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 3);
        assert_eq!(rows[0].village.to_string(), "33.10.01.2001");
        assert_eq!(rows[0].published.unwrap().to_string(), "0.6152");
        assert_eq!(rows[0].status, Some(IdmStatus::Berkembang));
        assert_eq!(rows[1].idm.status(), IdmStatus::Mandiri);
        assert_eq!(rows[1].status, None);
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column_and_nothing_is_read() {
        let err = read(
            "KODE DESA,IKS,IKE,IKL,NILAI IDM,STATUS IDM,TAHUN\n\
             3310012001,0.6457,1.2,0.6667,,,2023\n\
             3310010001,0.5,0.5,0.5,,,2023\n\
             3310012003,0.5,0.5,0.5,0.6000,,2023\n\
             3310012004,0.7,0.7,0.7,0.7000,MANDIRI,2022\n\
             3310012001,0.5,0.5,abc,,,\n",
        )
        .unwrap_err();
        let got: Vec<String> = err
            .issues()
            .iter()
            .map(|i| format!("{}:{}", i.row, i.column))
            .collect();
        assert_eq!(
            got,
            [
                "2:IKE",
                "3:KODE DESA",
                "4:NILAI IDM",
                "5:STATUS IDM",
                "5:TAHUN",
                "6:KODE DESA",
                "6:IKL"
            ]
        );
        let issues = err.issues();
        assert!(issues[0].reason.contains("IKE harus di antara 0 dan 1"));
        assert!(issues[1].reason.contains("BPS"), "{}", issues[1].reason);
        assert!(
            issues[2].reason.contains("= 0.5000"),
            "{}",
            issues[2].reason
        );
        assert!(issues[5].reason.contains("baris 2"));
    }

    #[test]
    fn a_file_without_the_required_columns_or_rows_says_so() {
        assert_eq!(
            read("KODE DESA,IKS,IKE\n3310012001,0.5,0.5\n").unwrap_err(),
            IndexSheetError::NoHeader
        );
        assert_eq!(
            read("KODE DESA,IKS,IKE,IKL\n").unwrap_err(),
            IndexSheetError::Empty
        );
        assert!(matches!(
            read_idm(
                b"\x89PNG\r\n\x1a\n\0\0\xff",
                year(),
                &Limits::default(),
                &|_| Ok(())
            )
            .unwrap_err(),
            IndexSheetError::File(_)
        ));
    }

    #[test]
    fn a_status_at_a_bound_may_be_the_neighbour_the_unrounded_value_fell_in() {
        // 0.7072 published; the ministry's unrounded 0.70724 is Maju.
        let rows = read(
            "KODE DESA,IKS,IKE,IKL,NILAI IDM,STATUS IDM\n3310012001,0.7072,0.7072,0.7072,0.7072,MAJU\n",
        )
        .unwrap();
        assert_eq!(rows[0].status, Some(IdmStatus::Maju));
    }

    #[test]
    fn an_xlsx_table_is_read_like_the_csv() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["KODE_DESA", "IKS", "IKE", "IKL"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_number(1, 0, 3_310_012_001.0).unwrap();
        sheet.write_number(1, 1, 0.6457).unwrap();
        sheet.write_number(1, 2, 0.5333).unwrap();
        sheet.write_number(1, 3, 0.6667).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = read_idm(&bytes, year(), &Limits::default(), &|_| Ok(())).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].idm.value().rounded().to_string(), "0.6152");
    }

    #[test]
    fn an_indeks_desa_table_is_read_and_every_bad_cell_named() {
        let y = IndeksDesaYear::parse("2024").unwrap();
        let read = |csv: &str| read_indeks_desa(csv.as_bytes(), y, &Limits::default(), &|_| Ok(()));
        let head = "KODE DESA;DIMENSI LAYANAN DASAR;SOSIAL;EKONOMI;LINGKUNGAN;AKSESIBILITAS;TATA KELOLA PEMERINTAHAN DESA;NILAI INDEKS DESA;STATUS\n";
        let rows = read(&format!(
            "{head}3310012001;70,5;60;55,25;80;65;72;67,12;BERKEMBANG\n"
        ))
        .unwrap();
        assert_eq!(rows[0].index.dimensions[2].to_string(), "55.25");
        assert_eq!(rows[0].index.score.to_string(), "67.12");
        assert_eq!(rows[0].index.status, IdmStatus::Berkembang);
        let e = read(&format!(
            "{head}3310012001;70,5;160;55,25;80;65;72;67,12;BERKEMBANG\n33.10.010.001;1;1;1;1;1;1;1;MAJU\n3310012003;1;1;1;1;1;1;1,234;HEBAT\n"
        ))
        .unwrap_err();
        let at: Vec<String> = e
            .issues()
            .iter()
            .map(|i| format!("{}:{}", i.row, i.column))
            .collect();
        assert_eq!(
            at,
            ["2:SOSIAL", "3:KODE DESA", "4:NILAI INDEKS DESA", "4:STATUS"]
        );
        // An IDM table is not an Indeks Desa table.
        assert_eq!(
            read("KODE DESA,IKS,IKE,IKL\n3310012001,0.5,0.5,0.5\n").unwrap_err(),
            IndexSheetError::NoHeader
        );
    }
}
