//! Village officials and BPD members, one row per term of office; a
//! head's optional signing PIN and the previews a signer has opened.

use balai_domain::KodeWilayah;
use balai_domain::PersonName;
use balai_domain::official::{Appointment, OfficialNumber, Position, Term};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{Id, date_from_day_number, day_number, instant_from_millis, kode};
use crate::write_context::WriteContext;

/// A stored official (one term of office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialRecord {
    /// Row id.
    pub id: Uuid,
    /// The record: name, position, number, term.
    pub appointment: Appointment,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type Row = (
    Id,
    i64,
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    i64,
    String,
);

const COLUMNS: &str =
    "id, position, name, dusun, acting, number, start_on, end_on, updated_at, updated_by";

fn record(r: Row) -> Result<OfficialRecord, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("official {what}"));
    let term = Term::new(
        date_from_day_number(r.6)?,
        r.7.map(date_from_day_number).transpose()?,
    )
    .map_err(|_| corrupt("term"))?;
    Ok(OfficialRecord {
        id: r.0.into(),
        appointment: Appointment {
            position: Position::from_code(r.1).ok_or_else(|| corrupt("position"))?,
            name: PersonName::parse(&r.2).map_err(|_| corrupt("name"))?,
            dusun: (!r.3.is_empty()).then_some(r.3),
            acting: r.4 != 0,
            number: if r.5.is_empty() {
                None
            } else {
                Some(OfficialNumber::parse(&r.5).map_err(|_| corrupt("number"))?)
            },
            term,
        },
        updated_at: instant_from_millis(r.8)?,
        updated_by: r.9,
    })
}

/// What the change log's entry says of an official (the record itself is
/// in the entry's row image).
fn summary(a: &Appointment) -> serde_json::Value {
    json!({
        "position": a.position.code(),
        "start": day_number(a.term.start()),
        "end": a.term.end().map(day_number),
    })
}

impl Store {
    /// Records an official of `village`.
    pub async fn create_official(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        a: &Appointment,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let after = summary(a);
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::Official,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO official (village, id, position, name, dusun, acting, number, start_on, end_on,
                                   updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(i64::from(a.position.code()))
        .bind(a.name.as_str())
        .bind(a.dusun.clone().unwrap_or_default())
        .bind(i64::from(a.acting))
        .bind(a.number.as_ref().map(OfficialNumber::stored).unwrap_or_default())
        .bind(day_number(a.term.start()))
        .bind(a.term.end().map(day_number))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::Official, id).await?;
        w.commit().await
    }

    /// Replaces an official's record, if it has not changed since
    /// `seen_at` (two people editing the same record: the second gets a
    /// conflict and nothing changes).
    pub async fn update_official(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        seen_at: OffsetDateTime,
        a: &Appointment,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let before: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM official WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(w.conn())
        .await?;
        let Some(before) = before.map(record).transpose()? else {
            return Err(StoreError::NotFound("official".into()));
        };
        if before.updated_at.unix_timestamp_nanos() / 1_000_000
            != seen_at.unix_timestamp_nanos() / 1_000_000
        {
            return Err(StoreError::Conflict(
                "the official changed meanwhile".into(),
            ));
        }
        sqlx::query(
            "UPDATE official SET position = $1, name = $2, dusun = $3, acting = $4, number = $5,
                                 start_on = $6, end_on = $7, updated_at = $8, updated_by = $9
             WHERE village = $10 AND id = $11",
        )
        .bind(i64::from(a.position.code()))
        .bind(a.name.as_str())
        .bind(a.dusun.clone().unwrap_or_default())
        .bind(i64::from(a.acting))
        .bind(
            a.number
                .as_ref()
                .map(OfficialNumber::stored)
                .unwrap_or_default(),
        )
        .bind(day_number(a.term.start()))
        .bind(a.term.end().map(day_number))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        let (b, after) = (summary(&before.appointment), summary(a));
        w.log(Change {
            village: Some(village),
            entity: Entity::Official,
            entity_id: id,
            action: Action::Update,
            before: Some(&b),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Official, id).await?;
        w.commit().await
    }

    /// One official of `village`.
    pub async fn official(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<OfficialRecord>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM official WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(record).transpose()
    }

    /// Every official of `village`, past and present, in the order of the
    /// organisation chart, then by start of term (newest first).
    pub async fn officials(&self, village: KodeWilayah) -> Result<Vec<OfficialRecord>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM official WHERE village = $1
             ORDER BY position, start_on DESC, name, id LIMIT 2000"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(record).collect()
    }

    /// A signer's stored PIN hash, if they set one.
    pub async fn signing_pin(
        &self,
        village: KodeWilayah,
        account_id: Uuid,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT pin_hash FROM signing_pin WHERE village = $1 AND account_id = $2",
        )
        .bind(kode(village))
        .bind(Id(account_id))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Sets (or, with `None`, removes) a signer's PIN hash. The entry
    /// records that it changed, never the hash.
    pub async fn set_signing_pin(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        account_id: Uuid,
        pin_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        sqlx::query("DELETE FROM signing_pin WHERE village = $1 AND account_id = $2")
            .bind(kode(village))
            .bind(Id(account_id))
            .execute(w.conn())
            .await?;
        if let Some(h) = pin_hash {
            sqlx::query(
                "INSERT INTO signing_pin (village, account_id, pin_hash, set_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(kode(village))
            .bind(Id(account_id))
            .bind(h)
            .bind(ctx.at_millis())
            .execute(w.conn())
            .await?;
        }
        let after = json!({ "pin": if pin_hash.is_some() { "set" } else { "removed" } });
        w.log(Change {
            village: Some(village),
            entity: Entity::SigningPin,
            entity_id: account_id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await
    }

    /// Notes that `account_id` opened the preview of request `request_id`
    /// (a log of a read, like the access log: signing needs it first).
    pub async fn note_signing_review(
        &self,
        village: KodeWilayah,
        request_id: Uuid,
        account_id: Uuid,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let ms = i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        // One statement (an upsert both backends read alike), so two
        // previews opened at once never collide on the key.
        sqlx::query(
            "INSERT INTO signing_review (village, request_id, account_id, viewed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (village, request_id, account_id) DO UPDATE SET viewed_at = excluded.viewed_at",
        )
        .bind(kode(village))
        .bind(Id(request_id))
        .bind(Id(account_id))
        .bind(ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// When `account_id` last opened the preview of `request_id`, if ever.
    pub async fn signing_review(
        &self,
        village: KodeWilayah,
        request_id: Uuid,
        account_id: Uuid,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT viewed_at FROM signing_review WHERE village = $1 AND request_id = $2 AND account_id = $3",
        )
        .bind(kode(village))
        .bind(Id(request_id))
        .bind(Id(account_id))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| instant_from_millis(r.0)).transpose()
    }
}
