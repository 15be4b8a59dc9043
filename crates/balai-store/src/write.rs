//! The one write path. Every write of village data (and of reference data
//! and accounts, which are logged too) is a [`Write`]: it opens the
//! transaction holding the key's write lock (SQLite `BEGIN IMMEDIATE`;
//! PostgreSQL an advisory lock on the village or regency), the caller
//! applies the change on [`Write::conn`] and logs it with [`Write::log`]
//! (each entry takes the village's next `village_seq`) and names the rows
//! it wrote with [`Write::wrote`] (their after-images go into the entry's
//! feed payload); [`Write::commit`] brings the kept statistics up to date,
//! seals each entry's payload and commits. Dropping a `Write` without
//! committing rolls everything back: rows, entries and sequence numbers.
//! Nothing else appends to the change log.

use balai_domain::KodeWilayah;
use serde_json::Value;
use sqlx::{Any, AnyConnection, Transaction};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::{FEED_VERSION, FeedEntry, FeedPayload, RowImage, RowKey, Table};
use crate::population_stats::{self, Contribution, Tracker};
use crate::row_codec::{Id, kode};
use crate::write_context::WriteContext;

/// An entry appended in this write whose payload is sealed at commit.
struct Open {
    seq: i64,
    entity: Entity,
    action: Action,
    rows: Vec<RowImage>,
}

/// A write in progress: see the module documentation.
pub(crate) struct Write<'a> {
    store: &'a Store,
    ctx: &'a WriteContext,
    /// The village whose data this write changes (`None`: reference data,
    /// accounts — entries without a village sequence).
    village: Option<KodeWilayah>,
    tx: Transaction<'static, Any>,
    tracker: Option<Tracker>,
    delta: Option<Contribution>,
    open: Vec<Open>,
    /// Payloads already complete (bulk loads), for the statistics flag.
    stats_changed: bool,
}

impl Store {
    /// Starts a write of `village`'s data.
    pub(crate) async fn write<'a>(
        &'a self,
        ctx: &'a WriteContext,
        village: KodeWilayah,
    ) -> Result<Write<'a>, StoreError> {
        let tx = self.begin_write(village).await?;
        Ok(Write::new(self, ctx, Some(village), tx))
    }

    /// Starts a write of data not tied to one village (regions, accounts,
    /// a regency's keys), locked on `key` (a regency or village code; none:
    /// the whole installation).
    pub(crate) async fn write_unscoped<'a>(
        &'a self,
        ctx: &'a WriteContext,
        key: Option<KodeWilayah>,
    ) -> Result<Write<'a>, StoreError> {
        let tx = self.begin_write_on(key.map_or(0, kode)).await?;
        Ok(Write::new(self, ctx, None, tx))
    }
}

impl<'a> Write<'a> {
    fn new(
        store: &'a Store,
        ctx: &'a WriteContext,
        village: Option<KodeWilayah>,
        tx: Transaction<'static, Any>,
    ) -> Self {
        Self {
            store,
            ctx,
            village,
            tx,
            tracker: None,
            delta: None,
            open: Vec::new(),
            stats_changed: false,
        }
    }

    /// The transaction's connection, to apply the change on.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The village this write changes.
    fn village(&self) -> Result<KodeWilayah, StoreError> {
        self.village.ok_or_else(|| {
            StoreError::Conflict("a write of no village cannot change village rows".into())
        })
    }

    /// Before the change: what these residents, families and the families'
    /// members contribute to the kept figures now (the difference is kept at commit).
    pub(crate) async fn track(
        &mut self,
        residents: impl IntoIterator<Item = Uuid>,
        families: impl IntoIterator<Item = Uuid>,
    ) -> Result<(), StoreError> {
        let village = self.village()?;
        if self.tracker.is_some() {
            return Err(StoreError::Conflict("a write tracks its rows once".into()));
        }
        self.tracker = Some(Tracker::start(&mut self.tx, village, residents, families).await?);
        Ok(())
    }

    /// Adds a difference to the kept figures known without reading (a bulk
    /// load counts its rows in memory).
    pub(crate) fn add_to_figures(&mut self, delta: Contribution) {
        self.stats_changed = true;
        self.delta = Some(delta);
    }

    /// Appends `change` (of this write's village, or of none) with the
    /// village's next sequence number, and returns its global `seq` (what
    /// created rows point at). Its payload is sealed at commit with the
    /// images of the rows named by [`Write::wrote`] after it.
    pub(crate) async fn log(&mut self, change: Change<'_>) -> Result<i64, StoreError> {
        let (seq, _) = self.append(&change, None::<fn(i64) -> String>).await?;
        self.open.push(Open {
            seq,
            entity: change.entity,
            action: change.action,
            rows: Vec::new(),
        });
        Ok(seq)
    }

    /// Appends `change` with a payload complete already (a bulk load's
    /// rows, built from the cells it inserts): `rows(village_seq)` writes
    /// the images' JSON, joined by commas, given the sequence number the
    /// entry takes.
    pub(crate) async fn log_with_rows(
        &mut self,
        change: Change<'_>,
        rows: impl FnOnce(i64) -> String,
    ) -> Result<i64, StoreError> {
        let (seq, _) = self.append(&change, Some(rows)).await?;
        Ok(seq)
    }

    async fn append(
        &mut self,
        c: &Change<'_>,
        rows: Option<impl FnOnce(i64) -> String>,
    ) -> Result<(i64, Option<i64>), StoreError> {
        if c.village.is_some() && c.village != self.village {
            return Err(StoreError::Conflict(format!(
                "an entry about village {} in a write of another",
                c.village.map(|v| v.to_string()).unwrap_or_default()
            )));
        }
        let village_seq = match c.village {
            Some(v) => {
                // Safe without a race: this write holds the village's lock.
                let (last,): (Option<i64>,) =
                    sqlx::query_as("SELECT MAX(village_seq) FROM change_log WHERE village = $1")
                        .bind(kode(v))
                        .fetch_one(&mut *self.tx)
                        .await?;
                Some(last.unwrap_or(0) + 1)
            }
            None => None,
        };
        let feed = rows.map(|rows| {
            crate::feed::payload_around(c.entity, c.action, &rows(village_seq.unwrap_or(0)))
        });
        let seq = insert_entry(
            &mut self.tx,
            &Entry {
                village: c.village,
                village_seq,
                version: FEED_VERSION,
                at: self.ctx.at_millis(),
                actor: &self.ctx.actor,
                entity: c.entity.as_str(),
                entity_id: c.entity_id,
                action: c.action.as_str(),
                before: c.before.map(Value::to_string),
                after: c.after.map(Value::to_string),
                feed,
            },
        )
        .await?;
        Ok((seq, village_seq))
    }

    /// Names a row of this write's village just written: its after-image,
    /// read now, goes into the payload of the entry logged last.
    pub(crate) async fn wrote(&mut self, table: Table, key: RowKey) -> Result<(), StoreError> {
        let village = self.village()?;
        let image = crate::feed::read_image(&mut self.tx, village, table, &key).await?;
        self.open
            .last_mut()
            .ok_or_else(|| StoreError::Conflict("a row written before its entry".into()))?
            .rows
            .push(image);
        Ok(())
    }

    /// [`Write::wrote`] for a row keyed by id.
    pub(crate) async fn wrote_id(&mut self, table: Table, id: Uuid) -> Result<(), StoreError> {
        self.wrote(table, RowKey::Id(id)).await
    }

    /// Keeps the figures, seals every entry's payload, commits.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        if let Some(tracker) = self.tracker.take() {
            tracker.finish(&mut self.tx).await?;
            self.stats_changed = true;
        }
        if let Some(delta) = self.delta.take() {
            population_stats::apply(&mut self.tx, &delta).await?;
        }
        for open in std::mem::take(&mut self.open) {
            let feed = payload_json(&FeedPayload {
                v: FEED_VERSION,
                entity: open.entity,
                action: open.action,
                rows: open.rows,
            })?;
            sqlx::query("UPDATE change_log SET feed = $1 WHERE seq = $2")
                .bind(feed)
                .bind(open.seq)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        if self.stats_changed {
            self.store.stat_written();
        }
        Ok(())
    }
}

fn payload_json(p: &FeedPayload) -> Result<String, StoreError> {
    serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A change-log row as inserted.
struct Entry<'e> {
    village: Option<KodeWilayah>,
    village_seq: Option<i64>,
    version: i64,
    at: i64,
    actor: &'e str,
    entity: &'e str,
    entity_id: Uuid,
    action: &'e str,
    before: Option<String>,
    after: Option<String>,
    feed: Option<String>,
}

async fn insert_entry(conn: &mut AnyConnection, e: &Entry<'_>) -> Result<i64, StoreError> {
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO change_log (village, village_seq, version, at, actor, entity, entity_id, action, before, after, feed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq",
    )
    .bind(e.village.map(kode))
    .bind(e.village_seq)
    .bind(e.version)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.entity)
    .bind(Id(e.entity_id))
    .bind(e.action)
    .bind(e.before.as_deref())
    .bind(e.after.as_deref())
    .bind(e.feed.as_deref())
    .fetch_one(conn)
    .await?;
    Ok(seq)
}

/// Replays one entry of another database's feed through the write path:
/// the entry must be the next of its village here; it is appended as it
/// was (sequence, version, audit fields, payload), its rows written, the
/// figures kept.
pub(crate) async fn replay_entry(
    store: &Store,
    e: &FeedEntry,
    payload: &FeedPayload,
) -> Result<(), StoreError> {
    let ctx = WriteContext::new(e.actor.clone(), e.at);
    let mut w = store.write(&ctx, e.village).await?;
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(village_seq) FROM change_log WHERE village = $1")
            .bind(kode(e.village))
            .fetch_one(&mut *w.tx)
            .await?;
    let expected = last.unwrap_or(0) + 1;
    if e.village_seq != expected {
        return Err(StoreError::Conflict(format!(
            "feed entry {} of village {} does not follow this database's last entry {}",
            e.village_seq,
            e.village,
            expected - 1
        )));
    }
    let ids = |t: Table| {
        payload
            .rows
            .iter()
            .filter(move |r| r.table == t)
            .filter_map(|r| r.row.first()?.as_str().and_then(uuid_from_hex))
            .collect::<Vec<_>>()
    };
    let (residents, families) = (ids(Table::Resident), ids(Table::Family));
    if !residents.is_empty() || !families.is_empty() {
        w.track(residents, families).await?;
    }
    let feed = payload_json(payload)?;
    insert_entry(
        &mut w.tx,
        &Entry {
            village: Some(e.village),
            village_seq: Some(e.village_seq),
            version: e.version,
            at: ctx.at_millis(),
            actor: &e.actor,
            entity: &e.entity,
            entity_id: e.entity_id,
            action: &e.action,
            before: e.before.clone(),
            after: e.after.clone(),
            feed: Some(feed),
        },
    )
    .await?;
    for image in &payload.rows {
        crate::feed::apply_image(&mut w.tx, e.village, image).await?;
    }
    w.commit().await
}

fn uuid_from_hex(h: &str) -> Option<Uuid> {
    if h.len() != 32 {
        return None;
    }
    u128::from_str_radix(h, 16).ok().map(Uuid::from_u128)
}

impl Store {
    /// A write logged under an account's scope: that village's write when
    /// the scope is a village, else an unscoped write locked on the scope.
    pub(crate) async fn write_for_scope<'a>(
        &'a self,
        ctx: &'a WriteContext,
        scope: KodeWilayah,
    ) -> Result<Write<'a>, StoreError> {
        if scope.level() == balai_domain::RegionLevel::Village {
            self.write(ctx, scope).await
        } else {
            self.write_unscoped(ctx, Some(scope)).await
        }
    }
}
