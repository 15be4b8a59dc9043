//! The one place where SQLite and PostgreSQL SQL differ. Everything else in
//! this crate is written once in the common subset: `$n` placeholders (which
//! sqlx accepts on SQLite too), `ON CONFLICT ... DO UPDATE`, no RETURNING
//! beyond what both support.

use std::fmt::Write;

/// Rows of `$n` placeholders for a multi-row `VALUES` clause:
/// `($1,$2),($3,$4)` for 2 rows of 2 columns.
pub fn values_clause(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 7);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            write!(s, "${n}").expect("writing to a String");
            n += 1;
        }
        s.push(')');
    }
    s
}

/// SQLite's limit on bound parameters per statement (since 3.32).
pub const MAX_PARAMS: usize = 32_766;

/// The SQLite statement that writes a consistent copy of the live database.
pub const BACKUP_INTO: &str = "VACUUM INTO $1";

#[cfg(test)]
mod tests {
    #[test]
    fn values_clause_numbers_placeholders_in_order() {
        assert_eq!(super::values_clause(2, 2), "($1,$2),($3,$4)");
        assert_eq!(super::values_clause(1, 1), "($1)");
    }
}
