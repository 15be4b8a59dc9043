//! Kiosks enrolled as known devices: the kiosk's browser carries a random
//! device token; only its hash is stored. Enrolling and revoking are logged.

use balai_domain::KodeWilayah;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{instant_from_millis, kode, kode_from};
use crate::write_context::WriteContext;

/// An enrolled kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskDevice {
    /// Row id (the device's throttle key).
    pub id: Uuid,
    /// The village whose kiosk it is.
    pub village: KodeWilayah,
    /// What the operator called it ("Anjungan ruang tunggu").
    pub name: String,
    /// When it was enrolled.
    pub created_at: OffsetDateTime,
    /// Who enrolled it.
    pub created_by: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<OffsetDateTime>,
}

type Row = (Id, i64, String, i64, String, Option<i64>);

fn device(r: Row) -> Result<KioskDevice, StoreError> {
    Ok(KioskDevice {
        id: r.0.into(),
        village: kode_from(r.1)?,
        name: r.2,
        created_at: instant_from_millis(r.3)?,
        created_by: r.4,
        revoked_at: r.5.map(instant_from_millis).transpose()?,
    })
}

const COLUMNS: &str = "id, village, name, created_at, created_by, revoked_at";

impl Store {
    /// Enrols a kiosk of `village` whose device token hashes to `token_hash`.
    pub async fn enrol_kiosk(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        name: &str,
        token_hash: &[u8],
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        sqlx::query(
            "INSERT INTO kiosk_device (id, village, name, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::row_codec::Id(id))
        .bind(kode(village))
        .bind(name)
        .bind(token_hash)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .execute(w.conn())
        .await?;
        let after = json!({ "name": name });
        w.log(Change {
            village: Some(village),
            entity: Entity::KioskDevice,
            entity_id: id,
            action: Action::Create,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Revokes a kiosk of `village` (its cookie stops counting as a device).
    pub async fn revoke_kiosk(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE kiosk_device SET revoked_at = $3 WHERE village = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(kode(village))
        .bind(crate::row_codec::Id(id))
        .bind(ctx.at_millis())
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("no such enrolled kiosk".into()));
        }
        let after = json!({ "revoked": true });
        w.log(Change {
            village: Some(village),
            entity: Entity::KioskDevice,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The live (not revoked) kiosk whose token hashes to `token_hash`.
    pub async fn kiosk_by_token(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<KioskDevice>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM kiosk_device WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(device).transpose()
    }

    /// Every kiosk `village` enrolled, newest first.
    pub async fn kiosks_of(&self, village: KodeWilayah) -> Result<Vec<KioskDevice>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM kiosk_device WHERE village = $1 ORDER BY created_at DESC"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(device).collect()
    }
}
