//! Residents → CSV with the workbook's columns.

use crate::columns::HEADERS;
use crate::export_row::{ExportRow, Value};

/// Writes the same columns as [`crate::write_xlsx`] as UTF-8 CSV: a header
/// line, then one line per resident, codes as numbers, dates `YYYY-MM-DD`.
/// A text starting with `=`, `+`, `-`, `@` (that is not a plain number, such
/// as a negative latitude) gets a leading `'`, so a spreadsheet opening the
/// file shows it instead of running it as a formula.
pub fn write_csv(rows: &[ExportRow<'_>]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 256 + 512));
    // Writing to a Vec cannot fail; the csv writer's errors are I/O errors.
    let io = "writing CSV into memory cannot fail";
    out.write_record(HEADERS).expect(io);
    let mut record: Vec<String> = Vec::with_capacity(HEADERS.len());
    for row in rows {
        record.clear();
        record.extend(row.values().into_iter().map(|v| match v {
            Value::Blank => String::new(),
            Value::Code(c) => c.to_string(),
            Value::Text(s) => defuse(&s),
        }));
        out.write_record(&record).expect(io);
    }
    out.into_inner().expect(io)
}

/// Neutralises text a spreadsheet would treat as a formula.
fn defuse(s: &str) -> String {
    let risky = s.len() > 1
        && s.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && s.trim().parse::<f64>().is_err();
    if risky { format!("'{s}") } else { s.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused_but_numbers_and_dashes_kept() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-7.7056"), "-7.7056");
        assert_eq!(defuse("-"), "-");
        assert_eq!(defuse("JL. MAWAR"), "JL. MAWAR");
    }
}
