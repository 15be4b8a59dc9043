//! Reads of personal data: who viewed which resident, when, and why.

use balai_domain::KodeWilayah;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{instant_from_millis, kode};
use crate::write_context::WriteContext;

/// One logged view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub actor: String,
    /// Why (the screen or use, e.g. `detail penduduk`).
    pub purpose: String,
}

impl Store {
    /// Logs that `ctx.actor` viewed `resident_id` of `village`.
    pub async fn log_access(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        resident_id: Uuid,
        purpose: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO access_log (village, resident_id, at, actor, purpose) VALUES ($1, $2, $3, $4, $5)")
            .bind(kode(village))
            .bind(crate::row_codec::Id(resident_id))
            .bind(ctx.at_millis())
            .bind(&ctx.actor)
            .bind(purpose)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Logs that `ctx.actor` processed many residents at once (an export).
    pub async fn log_bulk_access(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        ids: &[Uuid],
        purpose: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        for chunk in ids.chunks(4096) {
            let sql = format!(
                "INSERT INTO access_log (village, resident_id, at, actor, purpose) VALUES {}",
                crate::dialect::values_clause(self.backend(), chunk.len(), 5)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q
                    .bind(kode(village))
                    .bind(crate::row_codec::Id(*id))
                    .bind(ctx.at_millis())
                    .bind(&ctx.actor)
                    .bind(purpose);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every logged view of a resident of `village`, oldest first.
    pub async fn accesses_of(
        &self,
        village: KodeWilayah,
        resident_id: Uuid,
    ) -> Result<Vec<AccessEntry>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT at, actor, purpose FROM access_log WHERE resident_id = $1 AND village = $2 ORDER BY seq")
                .bind(crate::row_codec::Id(resident_id))
                .bind(kode(village))
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(at, actor, purpose)| {
                Ok(AccessEntry {
                    at: instant_from_millis(at)?,
                    actor,
                    purpose,
                })
            })
            .collect()
    }
}
