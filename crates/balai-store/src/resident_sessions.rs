//! Resident sessions (self-service site and kiosk): like staff sessions, the
//! cookie carries a random token and only its hash is stored.

use balai_domain::KodeWilayah;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{instant_from_millis, kode, kode_from, millis};

/// A live resident session.
#[derive(Debug, Clone)]
pub struct ResidentSessionRow {
    /// The resident logged in.
    pub resident_id: Uuid,
    /// Their village.
    pub village: KodeWilayah,
    /// The token forms must echo back.
    pub csrf_token: String,
    /// `online` or `anjungan`.
    pub channel: String,
    /// When it stops being valid.
    pub expires_at: OffsetDateTime,
}

impl Store {
    /// Stores a new resident session (and sweeps expired ones).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_resident_session(
        &self,
        token_hash: &[u8],
        resident_id: Uuid,
        village: KodeWilayah,
        csrf_token: &str,
        channel: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM resident_session WHERE expires_at < $1")
            .bind(millis(now))
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO resident_session (token_hash, resident_id, village, csrf_token, channel, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(crate::row_codec::Id(resident_id))
        .bind(kode(village))
        .bind(csrf_token)
        .bind(channel)
        .bind(millis(now))
        .bind(millis(expires_at))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The resident session with this token hash, if it has not expired at `now`.
    pub async fn resident_session(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<ResidentSessionRow>, StoreError> {
        let row: Option<(Id, i64, String, String, i64)> = sqlx::query_as(
            "SELECT resident_id, village, csrf_token, channel, expires_at FROM resident_session
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(millis(now))
        .fetch_optional(self.pool())
        .await?;
        row.map(|(resident_id, village, csrf_token, channel, exp)| {
            Ok(ResidentSessionRow {
                resident_id: resident_id.into(),
                village: kode_from(village)?,
                csrf_token,
                channel,
                expires_at: instant_from_millis(exp)?,
            })
        })
        .transpose()
    }

    /// Pushes a session's end to `expires_at` (kiosk sessions slide with activity).
    pub async fn extend_resident_session(
        &self,
        token_hash: &[u8],
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE resident_session SET expires_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(millis(expires_at))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends a resident session.
    pub async fn delete_resident_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM resident_session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of a resident (after a PIN is re-issued).
    pub async fn delete_resident_sessions_of(&self, resident_id: Uuid) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM resident_session WHERE resident_id = $1")
            .bind(crate::row_codec::Id(resident_id))
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
