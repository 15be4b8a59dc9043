//! How much a workbook may weigh before it is refused unread.

/// Size limits checked before and while a workbook is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest upload accepted, in bytes.
    pub max_bytes: usize,
    /// Largest total of the archive's declared uncompressed sizes (xlsx), in
    /// bytes; also the memory budget for what the reader keeps whole (shared
    /// strings, .xls sheets).
    pub max_uncompressed_bytes: u64,
    /// Most data rows (residents) one import may hold.
    pub max_rows: usize,
}

impl Default for Limits {
    /// 50 MiB upload, 1 GiB uncompressed, 200,000 data rows.
    fn default() -> Self {
        Self {
            max_bytes: 50 * 1024 * 1024,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
            max_rows: 200_000,
        }
    }
}
