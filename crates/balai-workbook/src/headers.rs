//! The header row: which sheet column holds which field, and every way the
//! row can be wrong (unknown, duplicated or missing headers).

use crate::cells::Cell;
use crate::columns::{Column, HEADERS, letters};
use crate::issue::RowIssue;

/// Where each field sits in the sheet.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    positions: [Option<u32>; HEADERS.len()],
    /// 1 + the rightmost mapped sheet column: cells further right are never read.
    width: usize,
}

static EMPTY: Cell<'static> = Cell::Empty;

impl ColumnMap {
    /// The cell of `column` in `row` (empty when the column is absent).
    pub(crate) fn cell<'r, 'a>(&self, row: &'r [Cell<'a>], column: Column) -> &'r Cell<'a> {
        self.positions[column.index()]
            .and_then(|p| row.get(p as usize))
            .unwrap_or(&EMPTY)
    }

    /// The 0-based sheet column of `column`, for sorting issues; absent
    /// columns sort after every present one.
    pub(crate) fn position(&self, column: Column) -> u32 {
        self.positions[column.index()].unwrap_or(u32::MAX)
    }

    /// How many leading sheet columns a data row needs.
    pub(crate) fn width(&self) -> usize {
        self.width
    }
}

/// Whether a row looks like an OpenSID header row: it names `nik` or `nama`,
/// and at least half of its filled cells are known headers. A workbook in
/// another layout (e.g. SIAK's `NIK`, `Nama Penduduk`, …) shares a few names
/// by chance but not half of them; the template's code-list sheet ("Kode
/// Data": `sex`, `agama_id`, … as list titles) names no resident.
pub(crate) fn looks_like_headers(row: &[Cell<'_>]) -> bool {
    let filled = row.iter().filter(|c| !c.is_blank()).count();
    let known: Vec<Column> = row
        .iter()
        .filter_map(|c| Column::from_header(&c.text()))
        .collect();
    known
        .iter()
        .any(|c| matches!(c, Column::Nik | Column::Nama))
        && known.len() * 2 >= filled
}

/// When a data row repeats the header names (two sheets pasted one under
/// the other), the leftmost mapped column, to report the row once.
pub(crate) fn repeated(map: &ColumnMap, row: &[Cell<'_>]) -> Option<Column> {
    // Every row passes here: settle the common case on the one required
    // column a repeated header must hold.
    if !matches!(map.cell(row, Column::Nik), Cell::Text(t) if t.trim().eq_ignore_ascii_case("nik"))
    {
        return None;
    }
    let mapped: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| map.positions[c.index()].is_some())
        .collect();
    let same = mapped
        .iter()
        .filter(|c| map.cell(row, **c).text().eq_ignore_ascii_case(c.name()))
        .count();
    if same == 0 || same * 2 < mapped.len() {
        return None;
    }
    mapped.into_iter().min_by_key(|c| map.position(*c))
}

/// Maps the header row (spreadsheet row `row_number`), or lists every
/// problem with it.
pub(crate) fn read(row_number: u32, row: &[Cell<'_>]) -> Result<ColumnMap, Vec<RowIssue>> {
    let mut positions = [None; HEADERS.len()];
    let mut issues = Vec::new();
    for (i, cell) in row.iter().enumerate() {
        if cell.is_blank() {
            // A blank header is a spacer column: its cells are not read.
            continue;
        }
        let i = i as u32;
        let text = cell.text();
        let at = format!("{} ({})", letters(i), crate::issue::shorten(&text));
        match Column::from_header(&text) {
            None => issues.push(RowIssue::new(
                row_number,
                at,
                &text,
                unknown_header_reason(&text),
            )),
            Some(c) => match positions[c.index()] {
                Some(first) => issues.push(RowIssue::new(
                    row_number,
                    at,
                    &text,
                    format!(
                        "kolom {:?} muncul dua kali (pertama di kolom {}); hapus salah satunya",
                        c.name(),
                        letters(first)
                    ),
                )),
                None => positions[c.index()] = Some(i),
            },
        }
    }
    for c in Column::ALL {
        if c.is_required() && positions[c.index()].is_none() {
            issues.push(RowIssue::new(
                row_number,
                c.name(),
                "",
                format!("kolom wajib {:?} tidak ada di baris judul", c.name()),
            ));
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let width = positions
        .iter()
        .flatten()
        .max()
        .map_or(0, |p| *p as usize + 1);
    Ok(ColumnMap { positions, width })
}

fn unknown_header_reason(header: &str) -> String {
    let mut reason = format!("judul kolom {header:?} tidak dikenal");
    if let Some(near) = nearest(header) {
        reason.push_str(&format!("; mungkin maksudnya {near:?}?"));
    } else {
        reason.push_str("; gunakan judul kolom dari FormatImporExcel (mis. nama, nik, no_kk)");
    }
    reason
}

/// The known header closest to a misspelt one, if it is close enough to be a typo.
fn nearest(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase();
    if h.chars().count() > 40 {
        return None;
    }
    // Coded columns end in `_id`, which people leave out (`agama` for `agama_id`).
    HEADERS
        .iter()
        .map(|k| {
            let bare = k.strip_suffix("_id").unwrap_or(k);
            (edit_distance(&h, k).min(edit_distance(&h, bare)), *k)
        })
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn row(names: &[&'static str]) -> Vec<Cell<'static>> {
        names
            .iter()
            .map(|n| Cell::Text(Cow::Borrowed(*n)))
            .collect()
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(nearest("agamaa"), Some("agama_id"));
        assert_eq!(nearest("tanggal_lahir"), Some("tanggallahir"));
        assert_eq!(nearest("pekerjaan"), Some("pekerjaan_id"));
        assert_eq!(nearest("Nama Penduduk"), None);
    }

    #[test]
    fn every_header_problem_is_listed() {
        let mut names: Vec<&'static str> = HEADERS.to_vec();
        names[10] = "agamaa";
        names.push("nik");
        names.retain(|n| *n != "rt");
        let issues = read(1, &row(&names)).unwrap_err();
        let cols: Vec<&str> = issues.iter().map(|i| i.column.as_str()).collect();
        // agama_id moved left by one because rt was removed.
        assert_eq!(cols, ["J (agamaa)", "AQ (nik)", "rt", "agama_id"]);
        assert!(
            issues[1].reason.contains("pertama di kolom F"),
            "{}",
            issues[1].reason
        );
    }

    #[test]
    fn siak_layout_is_not_an_opensid_header() {
        assert!(!looks_like_headers(&row(&[
            "Nomor KK",
            "NIK",
            "Nama Penduduk",
            "Status",
            "Tempat Lahir",
            "RW",
            "RT"
        ])));
        assert!(looks_like_headers(&row(&["nama", "nik", "agamaa"])));
        assert!(!looks_like_headers(&row(&[
            "sex",
            "id",
            "agama_id",
            "id",
            "pendidikan_kk_id",
            "id",
            "kk_level"
        ])));
    }
}
