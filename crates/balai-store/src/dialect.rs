//! The one place where SQLite and PostgreSQL SQL differ. Everything else in
//! this crate is written once in the common subset: `$n` placeholders (which
//! sqlx accepts on SQLite too), `ON CONFLICT ... DO UPDATE`, `RETURNING`,
//! integers bound as `i64`, ids as their 16 bytes, sums cast to BIGINT.

use crate::backend::Backend;

/// Rows of placeholders for a multi-row `VALUES` clause: `(?,?),(?,?)` for 2
/// rows of 2 columns on SQLite, `($1,$2),($3,$4)` on PostgreSQL.
///
/// SQLite treats `$n` as a *named* parameter and sqlx resolves each name with
/// a linear search, which is quadratic on a 20,000-parameter bulk statement
/// (measured: 2 s for 3,000 region rows); positional `?` binds in O(1).
/// PostgreSQL only knows `$1..$n`.
pub fn values_clause(backend: Backend, rows: usize, cols: usize) -> String {
    match backend {
        Backend::Sqlite => {
            let mut row = String::with_capacity(cols * 2 + 1);
            row.push('(');
            for c in 0..cols {
                if c > 0 {
                    row.push(',');
                }
                row.push('?');
            }
            row.push(')');
            let mut s = String::with_capacity(rows * (row.len() + 1));
            for r in 0..rows {
                if r > 0 {
                    s.push(',');
                }
                s.push_str(&row);
            }
            s
        }
        Backend::Postgres => {
            use std::fmt::Write;
            let mut s = String::with_capacity(rows * cols * 7);
            let mut n = 0;
            for r in 0..rows {
                if r > 0 {
                    s.push(',');
                }
                s.push('(');
                for c in 0..cols {
                    if c > 0 {
                        s.push(',');
                    }
                    n += 1;
                    let _ = write!(s, "${n}");
                }
                s.push(')');
            }
            s
        }
    }
}

/// `$first,$first+1,…` for `n` parameters of a short list (an `IN (…)`).
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The limit on bound parameters per statement: SQLite's (since 3.32) is
/// the lower of the two (PostgreSQL's is 65,535).
pub const MAX_PARAMS: usize = 32_766;

/// Starts a SQLite transaction that holds the write lock from its first
/// statement (PostgreSQL: see `Store::begin_write`).
pub const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// The SQLite statement that writes a consistent copy of the live database.
pub const BACKUP_INTO: &str = "VACUUM INTO $1";

/// The key `ON CONFLICT` names for a resident's PIN: the resident's id on
/// SQLite; on PostgreSQL the table is partitioned by village, so its key is
/// (village, resident_id) — the same rows either way, a resident being in
/// one village.
pub(crate) fn resident_pin_key(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "resident_id",
        Backend::Postgres => "village, resident_id",
    }
}

/// Run first in a bulk load's transaction. PostgreSQL plans the foreign-key
/// checks of a load's events and residents while the rows they point at
/// are only in this transaction, so its statistics still call those tables
/// empty and it scans them whole for every row (measured: 600 ms per
/// 1,024 events, the load slowing as the village grows); index lookups are
/// what the keys are for.
pub(crate) fn bulk_load_setup(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("SET LOCAL enable_seqscan = off"),
    }
}

/// One row: how many tables the database holds, and whether sqlx's
/// migration history is one of them.
pub(crate) fn table_census(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'),
                    (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')"
        }
        Backend::Postgres => {
            "SELECT (SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()),
                    (SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '_sqlx_migrations')"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_clause_has_one_placeholder_per_value() {
        assert_eq!(values_clause(Backend::Sqlite, 2, 2), "(?,?),(?,?)");
        assert_eq!(values_clause(Backend::Sqlite, 1, 1), "(?)");
        assert_eq!(values_clause(Backend::Postgres, 2, 2), "($1,$2),($3,$4)");
    }
}
