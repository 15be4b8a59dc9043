//! Why a workbook was not imported.

use crate::issue::RowIssue;

/// Why nothing was imported. Each message is one Indonesian sentence for the
/// operator; the row-level variants carry every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not a readable Excel workbook (wrong format, damaged, encrypted).
    #[error("Berkas bukan workbook Excel (.xlsx/.xlsm/.xls) yang dapat dibaca: {0}")]
    NotAWorkbook(String),
    /// The upload is larger than the limit.
    #[error("Berkas terlalu besar: {bytes} byte, padahal batasnya {max} byte.")]
    TooLarge {
        /// Size of the upload.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The archive would expand to far more than a workbook needs (a zip bomb).
    #[error(
        "Isi berkas akan terurai menjadi {uncompressed} byte, melebihi batas {max} byte; berkas ditolak karena tampak seperti bom zip."
    )]
    Bomb {
        /// Declared uncompressed size (of the archive, or of the offending entry).
        uncompressed: u64,
        /// The limit it broke.
        max: u64,
    },
    /// No sheet starts with the OpenSID header row.
    #[error(
        "Tidak ada sheet yang diawali baris judul kolom format OpenSID (nama, nik, no_kk, …); gunakan sheet \"Data Penduduk\" dari FormatImporExcel."
    )]
    NoDataSheet,
    /// The header row is there but no resident rows follow it.
    #[error("Sheet hanya berisi baris judul kolom; tidak ada data penduduk untuk diimpor.")]
    Empty,
    /// More data rows than one import may hold.
    #[error("Sheet berisi {rows} baris data, padahal paling banyak {max} baris per impor.")]
    TooManyRows {
        /// Data rows found.
        rows: usize,
        /// The limit.
        max: usize,
    },
    /// Unknown, duplicated or missing headers; each one is listed.
    #[error("Judul kolom tidak sesuai format OpenSID ({} masalah); tidak ada data yang diimpor.", .0.len())]
    Headers(Vec<RowIssue>),
    /// Every bad cell of every row, sorted by row then column.
    #[error("Ditemukan {} kesalahan pada data; tidak ada yang diimpor. Perbaiki semuanya lalu unggah ulang.", .0.len())]
    Rows(Vec<RowIssue>),
}

impl ImportError {
    /// The listed problems of a `Headers` or `Rows` error; empty for the others.
    pub fn issues(&self) -> &[RowIssue] {
        match self {
            ImportError::Headers(v) | ImportError::Rows(v) => v,
            _ => &[],
        }
    }
}
