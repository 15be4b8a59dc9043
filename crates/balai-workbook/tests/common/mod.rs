//! Shared helpers: building workbooks in code, finding the reference files.

#![allow(dead_code)]

use std::path::PathBuf;

use rust_xlsxwriter::Workbook;

/// A cell of a workbook built in a test.
#[derive(Debug, Clone)]
pub enum V {
    /// A text cell.
    T(&'static str),
    /// An owned text cell.
    S(String),
    /// A number cell.
    N(f64),
    /// Nothing.
    Blank,
}

/// Builds an xlsx with one sheet named `sheet` holding `rows` (first row = headers).
pub fn xlsx(sheet: &str, rows: &[Vec<V>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                V::T(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                V::S(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The header row of the template, as cells.
pub fn header() -> Vec<V> {
    balai_workbook::HEADERS.iter().map(|h| V::T(h)).collect()
}

/// A valid resident row (all 43 columns): KK head, man born 1989-08-17.
pub fn valid_row(nik: &str, no_kk: &str, kk_level: &str) -> Vec<V> {
    let mut row = vec![V::Blank; 43];
    let mut set = |name: &str, v: V| {
        let i = balai_workbook::HEADERS
            .iter()
            .position(|h| *h == name)
            .unwrap();
        row[i] = v;
    };
    set("alamat", V::T("JL. MAWAR 3"));
    set("dusun", V::T("KRAJAN"));
    set("rw", V::T("002"));
    set("rt", V::T("001"));
    set("nama", V::T("BUDI SANTOSO"));
    set("no_kk", V::S(no_kk.into()));
    set("nik", V::S(nik.into()));
    set("sex", V::T("1"));
    set("tempatlahir", V::T("KLATEN"));
    set("tanggallahir", V::T("1989-08-17"));
    set("agama_id", V::T("1"));
    set("pendidikan_kk_id", V::T("5"));
    set("pekerjaan_id", V::T("88"));
    set("status_kawin", V::T("2"));
    set("kk_level", V::S(kk_level.into()));
    row
}

/// Sets the cell of column `name` in `row`.
pub fn set(row: &mut [V], name: &str, v: V) {
    let i = balai_workbook::HEADERS
        .iter()
        .position(|h| *h == name)
        .unwrap();
    row[i] = v;
}

/// A file of the OpenSID reference set. Set `BALAI_OPENSID_DIR` to point
/// elsewhere; `None` only when `BALAI_SKIP_REFERENCE=1` says the files are
/// knowingly absent (so a missing file never passes silently).
pub fn reference(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("BALAI_OPENSID_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/reference/opensid"));
    match std::fs::read(dir.join(name)) {
        Ok(b) => Some(b),
        Err(_) if std::env::var("BALAI_SKIP_REFERENCE").as_deref() == Ok("1") => None,
        Err(e) => panic!(
            "reference file {} not readable ({e}); set BALAI_OPENSID_DIR, or BALAI_SKIP_REFERENCE=1 to skip",
            dir.join(name).display()
        ),
    }
}
pub mod xls;
