//! Residents' self-service PINs: only argon2id hashes are stored, and the
//! change log records that a PIN was issued or changed, never the hash.

use balai_domain::KodeWilayah;
use serde_json::json;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{instant_from_millis, kode};
use crate::write_context::WriteContext;

/// A resident's stored PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentPin {
    /// The argon2id hash.
    pub pin_hash: String,
    /// Whether the resident must choose a new PIN before doing anything else.
    pub must_change: bool,
    /// When it was issued or last changed.
    pub issued_at: time::OffsetDateTime,
}

impl Store {
    /// Issues (or re-issues) a resident's PIN; the resident must change it at first login.
    pub async fn issue_resident_pin(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        resident_id: Uuid,
        pin_hash: &str,
    ) -> Result<(), StoreError> {
        self.write_pin(ctx, village, resident_id, pin_hash, true, "issued")
            .await
    }

    /// Replaces a resident's PIN with one they chose.
    pub async fn change_resident_pin(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        resident_id: Uuid,
        pin_hash: &str,
    ) -> Result<(), StoreError> {
        self.write_pin(ctx, village, resident_id, pin_hash, false, "changed")
            .await
    }

    async fn write_pin(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        resident_id: Uuid,
        pin_hash: &str,
        must_change: bool,
        what: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO resident_pin (resident_id, village, pin_hash, must_change, issued_at, issued_by)
             SELECT id, village, $3, $4, $5, $6 FROM resident WHERE id = $1 AND village = $2
             ON CONFLICT ({}) DO UPDATE SET pin_hash = excluded.pin_hash,
               must_change = excluded.must_change, issued_at = excluded.issued_at, issued_by = excluded.issued_by",
            crate::dialect::resident_pin_key(self.backend())
        )))
        .bind(crate::row_codec::Id(resident_id))
        .bind(kode(village))
        .bind(pin_hash)
        .bind(i64::from(must_change))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(
                "no such resident in this village".into(),
            ));
        }
        let after = json!({ "pin": what, "must_change": must_change });
        w.log(Change {
            village: Some(village),
            entity: Entity::ResidentPin,
            entity_id: resident_id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// A resident's PIN, if one was issued.
    pub async fn resident_pin(&self, resident_id: Uuid) -> Result<Option<ResidentPin>, StoreError> {
        let row: Option<(String, i64, i64)> = sqlx::query_as(
            "SELECT pin_hash, must_change, issued_at FROM resident_pin WHERE resident_id = $1",
        )
        .bind(crate::row_codec::Id(resident_id))
        .fetch_optional(self.pool())
        .await?;
        row.map(|(pin_hash, must_change, at)| {
            Ok(ResidentPin {
                pin_hash,
                must_change: must_change != 0,
                issued_at: instant_from_millis(at)?,
            })
        })
        .transpose()
    }
}
