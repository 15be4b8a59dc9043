//! Staff sessions: the cookie carries a random token; only its hash is stored.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{Id, millis};

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The account logged in.
    pub account_id: Uuid,
    /// The token forms must echo back.
    pub csrf_token: String,
    /// When it stops being valid.
    pub expires_at: OffsetDateTime,
}

impl Store {
    /// Stores a new session.
    pub async fn create_session(
        &self,
        token_hash: &[u8],
        account_id: Uuid,
        csrf_token: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        // Expired sessions are swept whenever a new one starts: no timer needed.
        sqlx::query("DELETE FROM session WHERE expires_at < $1")
            .bind(millis(now))
            .execute(self.pool())
            .await?;
        sqlx::query("INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(crate::row_codec::Id(account_id))
            .bind(csrf_token)
            .bind(millis(now))
            .bind(millis(expires_at))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired at `now`.
    pub async fn session(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<SessionRow>, StoreError> {
        let row: Option<(Id, String, i64)> =
            sqlx::query_as("SELECT account_id, csrf_token, expires_at FROM session WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(millis(now))
                .fetch_optional(self.pool())
                .await?;
        row.map(|(account_id, csrf_token, exp)| {
            Ok(SessionRow {
                account_id: account_id.into(),
                csrf_token,
                expires_at: crate::row_codec::instant_from_millis(exp)?,
            })
        })
        .transpose()
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
