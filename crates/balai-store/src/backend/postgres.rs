//! PostgreSQL: connecting, and what the shared SQL cannot say.

use serde_json::Value;
use sqlx::any::AnyConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::change_log::{APPEND, Change};
use crate::error::StoreError;
use crate::population::Cell;
use crate::write_context::WriteContext;

/// Run on every new connection. REPEATABLE READ by default: a transaction
/// that read a row and then writes it fails if someone else changed it
/// meanwhile, as a deferred SQLite transaction in WAL mode does
/// (SQLITE_BUSY_SNAPSHOT), instead of overwriting it silently.
pub(crate) const CONNECTION_SETTINGS: &str =
    "SET default_transaction_isolation TO 'repeatable read'; SET TIME ZONE 'UTC'";

/// What [`crate::dialect::BEGIN_WRITE`] means here: a READ COMMITTED
/// transaction (each statement sees what the previous lock holder
/// committed) that first takes [`WRITE_LOCK`] on its key.
pub(crate) const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";

/// Serialises the short "read a counter, bump it" transactions of one key
/// (a village or regency code), as SQLite's `BEGIN IMMEDIATE` serialises
/// all writers; released at commit or rollback.
pub(crate) const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock($1)";

pub(crate) fn options(url: &url::Url) -> Result<AnyConnectOptions, StoreError> {
    use sqlx::ConnectOptions;
    Ok(AnyConnectOptions::from_url(url)?)
}

/// Bulk loads on PostgreSQL: `COPY … FROM STDIN`, which sqlx offers only on
/// its PostgreSQL connection (the `Any` connection hides it), so loads take
/// a connection of their own from this small pool and run their whole
/// transaction — change-log entry and rows — on it.
#[derive(Clone, Debug)]
pub(crate) struct Bulk(PgPool);

impl Bulk {
    /// A lazy pool: no connection until the first load.
    pub(crate) fn new(url: &url::Url) -> Result<Self, StoreError> {
        use sqlx::ConnectOptions;
        let opts = PgConnectOptions::from_url(url)?;
        Ok(Self(
            PgPoolOptions::new()
                .max_connections(2)
                .min_connections(0)
                .connect_lazy_with(opts),
        ))
    }

    pub(crate) async fn close(&self) {
        self.0.close().await;
    }

    /// Appends `change`, then streams the rows `rows(seq, …)` writes (their
    /// `created_seq` is that entry) into family, resident and life_event,
    /// all in one transaction.
    pub(crate) async fn load_population(
        &self,
        ctx: &WriteContext,
        change: Change<'_>,
        rows: impl FnOnce(i64, &mut CopyRows),
    ) -> Result<(), StoreError> {
        let mut tx = self.0.begin().await?;
        if let Some(setup) = crate::dialect::bulk_load_setup(crate::backend::Backend::Postgres) {
            sqlx::query(setup).execute(&mut *tx).await?;
        }
        let (seq,): (i64,) = sqlx::query_as(APPEND)
            .bind(change.village.map(crate::row_codec::kode))
            .bind(ctx.at_millis())
            .bind(&ctx.actor)
            .bind(change.entity.as_str())
            .bind(change.entity_id.as_bytes().to_vec())
            .bind(change.action.as_str())
            .bind(change.before.map(Value::to_string))
            .bind(change.after.map(Value::to_string))
            .fetch_one(&mut *tx)
            .await?;
        let mut out = CopyRows::default();
        rows(seq, &mut out);
        for (statement, data) in [
            (COPY_FAMILY, &out.families),
            (COPY_RESIDENT, &out.residents),
            (COPY_EVENT, &out.events),
        ] {
            if data.is_empty() {
                continue;
            }
            let mut copy = tx.copy_in_raw(statement).await?;
            copy.send(data.as_slice()).await?;
            copy.finish().await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

const COPY_FAMILY: &str =
    "COPY family (id, village, no_kk, address, dusun, rw, rt, created_seq) FROM STDIN";
const COPY_RESIDENT: &str = "COPY resident (id, village, family_id, number, name, name_key, sex, birth_place, birth_date,
    religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
    father_nik, father_name, mother_nik, mother_name, baseline_status, status, details, created_seq) FROM STDIN";
const COPY_EVENT: &str =
    "COPY life_event (id, village, resident_id, kind, occurred_on, created_seq) FROM STDIN";

/// The three tables' rows in COPY's text format.
#[derive(Default)]
pub(crate) struct CopyRows {
    families: Vec<u8>,
    residents: Vec<u8>,
    events: Vec<u8>,
}

impl CopyRows {
    pub(crate) fn families<'a, const N: usize>(
        &mut self,
        rows: impl Iterator<Item = [Cell<'a>; N]>,
    ) {
        encode(&mut self.families, rows);
    }
    pub(crate) fn residents<'a, const N: usize>(
        &mut self,
        rows: impl Iterator<Item = [Cell<'a>; N]>,
    ) {
        encode(&mut self.residents, rows);
    }
    pub(crate) fn events<'a, const N: usize>(&mut self, rows: impl Iterator<Item = [Cell<'a>; N]>) {
        encode(&mut self.events, rows);
    }
}

/// COPY text format: tab-separated, one row a line, `\N` for NULL,
/// backslash escapes in text, BYTEA as `\\x` + hex.
fn encode<'a, const N: usize>(buf: &mut Vec<u8>, rows: impl Iterator<Item = [Cell<'a>; N]>) {
    use std::io::Write;
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            match cell {
                Cell::Int(Some(v)) => {
                    let _ = write!(buf, "{v}");
                }
                Cell::Text(Some(t)) => escape(buf, t),
                Cell::String(Some(t)) => escape(buf, t),
                Cell::Id(Some(id)) => {
                    buf.extend_from_slice(b"\\\\x");
                    for b in id.as_bytes() {
                        let _ = write!(buf, "{b:02x}");
                    }
                }
                Cell::Int(None) | Cell::Text(None) | Cell::String(None) | Cell::Id(None) => {
                    buf.extend_from_slice(b"\\N");
                }
            }
        }
        buf.push(b'\n');
    }
}

fn escape(buf: &mut Vec<u8>, text: &str) {
    for b in text.bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_split_a_row() {
        let mut buf = Vec::new();
        let id = uuid::Uuid::from_u128(0xab);
        encode(
            &mut buf,
            [[
                Cell::Int(Some(-7)),
                Cell::Text(Some("a\tb\\c\nd")),
                Cell::Int(None),
                Cell::Id(Some(id)),
            ]]
            .into_iter(),
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "-7\ta\\tb\\\\c\\nd\t\\N\t\\\\x000000000000000000000000000000ab\n"
        );
    }
}
