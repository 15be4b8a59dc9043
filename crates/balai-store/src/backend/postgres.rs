//! PostgreSQL: connecting, and what the shared SQL cannot say.

use sqlx::any::AnyConnectOptions;

use crate::error::StoreError;

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
/// its PostgreSQL connection (the `Any` connection hides it). A load takes
/// a connection of its own from this small lazy pool and runs its whole
/// transaction there — the same steps as the one write path (village lock,
/// entries with the village's next sequence numbers and their rows, the
/// rows, the statistics' difference), only the statements differ.
/// Loads run at once ([`crate::Store::parallel_loads`]), and the bulk pool's
/// size. Measured on 2 cores for a Klaten load: 1 at a time 428 s, 2 208 s,
/// 3 177 s, 4 158 s; at 8 the loads mostly wait for each other's locks on
/// the regency's figure rows.
pub(crate) const PARALLEL_LOADS: usize = 4;

#[derive(Clone, Debug)]
pub(crate) struct Bulk(sqlx::postgres::PgPool);

/// One bulk load's transaction.
pub(crate) struct BulkTx(sqlx::Transaction<'static, sqlx::Postgres>);

impl Bulk {
    /// A lazy pool: no connection until the first load.
    pub(crate) fn new(url: &url::Url) -> Result<Self, StoreError> {
        use sqlx::ConnectOptions;
        // As the main pool's: a load's statements are slow by design, and a
        // slow-statement warning would print 9,216 placeholders.
        let opts = sqlx::postgres::PgConnectOptions::from_url(url)?
            .log_slow_statements(
                tracing::log::LevelFilter::Off,
                std::time::Duration::from_secs(60),
            )
            .log_statements(tracing::log::LevelFilter::Trace);
        Ok(Self(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(PARALLEL_LOADS as u32)
                .min_connections(0)
                .connect_lazy_with(opts),
        ))
    }

    pub(crate) async fn close(&self) {
        self.0.close().await;
    }

    /// Begins a load of `village`: its write lock held, key checks planned
    /// as index lookups.
    pub(crate) async fn begin(&self, village: i64) -> Result<BulkTx, StoreError> {
        let mut tx = self.0.begin_with(BEGIN_WRITE).await?;
        sqlx::query(WRITE_LOCK)
            .bind(village)
            .execute(&mut *tx)
            .await?;
        if let Some(setup) = crate::dialect::bulk_load_setup(crate::backend::Backend::Postgres) {
            sqlx::query(setup).execute(&mut *tx).await?;
        }
        Ok(BulkTx(tx))
    }
}

/// A change-log entry as a bulk load appends it (payload complete).
pub(crate) struct BulkEntry<'a> {
    pub village: i64,
    pub village_seq: i64,
    pub at: i64,
    pub actor: &'a str,
    pub entity: &'a str,
    pub entity_id: uuid::Uuid,
    pub action: &'a str,
    pub after: String,
    pub feed: String,
}

impl BulkTx {
    /// The village's last sequence number.
    pub(crate) async fn last_village_seq(&mut self, village: i64) -> Result<i64, StoreError> {
        let (n,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(village_seq) FROM change_log WHERE village = $1")
                .bind(village)
                .fetch_one(&mut *self.0)
                .await?;
        Ok(n.unwrap_or(0))
    }

    /// Appends an entry, returning its `seq`.
    pub(crate) async fn append(&mut self, e: BulkEntry<'_>) -> Result<i64, StoreError> {
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO change_log (village, village_seq, version, at, actor, entity, entity_id, action, before, after, feed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10) RETURNING seq",
        )
        .bind(e.village)
        .bind(e.village_seq)
        .bind(crate::feed::FEED_VERSION)
        .bind(e.at)
        .bind(e.actor)
        .bind(e.entity)
        .bind(e.entity_id.as_bytes().to_vec())
        .bind(e.action)
        .bind(e.after)
        .bind(e.feed)
        .fetch_one(&mut *self.0)
        .await?;
        Ok(seq)
    }

    /// Streams rows already in COPY's text format into `statement`.
    pub(crate) async fn copy(
        &mut self,
        statement: &'static str,
        data: &[u8],
    ) -> Result<(), StoreError> {
        if data.is_empty() {
            return Ok(());
        }
        let mut copy = self.0.copy_in_raw(statement).await?;
        copy.send(data).await?;
        copy.finish().await?;
        Ok(())
    }

    /// (id, dusun, rw, rt) of the village's family cards among `ids`.
    pub(crate) async fn family_parts(
        &mut self,
        village: i64,
        ids: &[uuid::Uuid],
    ) -> Result<Vec<(uuid::Uuid, String, String, String)>, StoreError> {
        let ids: Vec<Vec<u8>> = ids.iter().map(|id| id.as_bytes().to_vec()).collect();
        let rows: Vec<(Vec<u8>, String, String, String)> = sqlx::query_as(
            "SELECT id, dusun, rw, rt FROM family WHERE village = $1 AND id = ANY($2)",
        )
        .bind(village)
        .bind(ids)
        .fetch_all(&mut *self.0)
        .await?;
        rows.into_iter()
            .map(|(id, d, rw, rt)| {
                let id =
                    uuid::Uuid::from_slice(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((id, d, rw, rt))
            })
            .collect()
    }

    /// Runs `sql` with integer and text parameters (the statistics' upserts).
    pub(crate) async fn execute(
        &mut self,
        sql: String,
        params: Vec<Param<'_>>,
    ) -> Result<(), StoreError> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in params {
            q = match p {
                Param::Int(v) => q.bind(v),
                Param::Text(t) => q.bind(t.to_owned()),
            };
        }
        q.execute(&mut *self.0).await?;
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.0.commit().await?;
        Ok(())
    }
}

/// A parameter of a statement run on a bulk load's connection.
pub(crate) enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

pub(crate) const COPY_FAMILY: &str =
    "COPY family (id, village, no_kk, address, dusun, rw, rt, created_seq) FROM STDIN";
pub(crate) const COPY_RESIDENT: &str = "COPY resident (id, village, family_id, number, name, name_key, sex, birth_place, birth_date,
    religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
    father_nik, father_name, mother_nik, mother_name, baseline_status, status, details, created_seq) FROM STDIN";
pub(crate) const COPY_EVENT: &str = "COPY life_event (id, village, resident_id, kind, occurred_on, created_seq, particulars) FROM STDIN";

/// Appends one row in COPY's text format: tab-separated, `\N` for NULL,
/// backslash escapes in text, BYTEA as `\\x` + hex.
pub(crate) fn copy_row(buf: &mut Vec<u8>, row: &[crate::population::Cell<'_>]) {
    use crate::population::Cell;
    use std::io::Write;
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
    use crate::population::Cell;

    #[test]
    fn copy_text_escapes_what_would_split_a_row() {
        let mut buf = Vec::new();
        let id = uuid::Uuid::from_u128(0xab);
        copy_row(
            &mut buf,
            &[
                Cell::Int(Some(-7)),
                Cell::Text(Some("a\tb\\c\nd")),
                Cell::Int(None),
                Cell::Id(Some(id)),
            ],
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "-7\ta\\tb\\\\c\\nd\t\\N\t\\\\x000000000000000000000000000000ab\n"
        );
    }
}
