//! One problem found in a workbook, and the collector that keeps every one of
//! them in spreadsheet order.

use std::fmt;

use serde::Serialize;

/// Longest cell value echoed back in a report, in characters.
const VALUE_CHARS: usize = 60;

/// One problem: where (row and column header), the cell's value as text, and
/// why, in Indonesian. The value may be personal data (a NIK): show it to the
/// operator who uploaded the file, do not log it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    /// 1-based spreadsheet row, as Excel shows it.
    pub row: u32,
    /// Column header name (e.g. `nik`), or for header problems the column letter and header (e.g. `K (agamaa)`).
    pub column: String,
    /// The cell's value as text, cut to about 60 characters.
    pub value: String,
    /// Why the value is rejected or doubtful, in Indonesian.
    pub reason: String,
}

impl RowIssue {
    pub(crate) fn new(row: u32, column: impl Into<String>, value: &str, reason: String) -> Self {
        Self {
            row,
            column: column.into(),
            value: shorten(value),
            reason,
        }
    }
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "baris {}, kolom {}: {}",
            self.row, self.column, self.reason
        )?;
        if !self.value.is_empty() {
            write!(f, " (isi sel: {:?})", self.value)?;
        }
        Ok(())
    }
}

/// Cuts a value to [`VALUE_CHARS`] characters, marking the cut.
pub(crate) fn shorten(value: &str) -> String {
    let value = value.trim();
    let mut chars = value.char_indices();
    match chars.nth(VALUE_CHARS) {
        None => value.to_owned(),
        Some((at, _)) => format!("{}…", &value[..at]),
    }
}

/// Errors and warnings of a whole sheet. Each issue keeps the sheet column
/// it points at, so the final lists sort into reading order (row, then
/// column left to right) whatever order the checks ran in.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    errors: Vec<(u32, RowIssue)>,
    warnings: Vec<(u32, RowIssue)>,
}

impl Issues {
    /// Records an error at sheet column `position` (0-based).
    pub(crate) fn error(&mut self, position: u32, issue: RowIssue) {
        self.errors.push((position, issue));
    }

    /// Records a warning at sheet column `position` (0-based).
    pub(crate) fn warning(&mut self, position: u32, issue: RowIssue) {
        self.warnings.push((position, issue));
    }

    /// Whether any error was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The errors and the warnings, each sorted by row, then column.
    pub(crate) fn into_sorted(self) -> (Vec<RowIssue>, Vec<RowIssue>) {
        (sorted(self.errors), sorted(self.warnings))
    }
}

fn sorted(mut v: Vec<(u32, RowIssue)>) -> Vec<RowIssue> {
    // Stable: two issues on one cell keep the order the checks found them in.
    v.sort_by_key(|(position, issue)| (issue.row, *position));
    v.into_iter().map(|(_, issue)| issue).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_on_a_character_boundary() {
        let long = "é".repeat(100);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), VALUE_CHARS + 1);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("  abc "), "abc");
    }

    #[test]
    fn issues_sort_by_row_then_column_position() {
        let mut issues = Issues::default();
        issues.error(5, RowIssue::new(3, "b", "", "x".into()));
        issues.error(1, RowIssue::new(3, "a", "", "x".into()));
        issues.error(9, RowIssue::new(2, "c", "", "x".into()));
        let (errors, warnings) = issues.into_sorted();
        let order: Vec<_> = errors.iter().map(|i| i.column.as_str()).collect();
        assert_eq!(order, ["c", "a", "b"]);
        assert!(warnings.is_empty());
    }
}
