//! Kiosk information pages (health, education, services…), written by a
//! village for itself or by a regency for all of its villages.

use balai_domain::info_topic::InfoTopic;
use balai_domain::{KodeWilayah, RegionLevel};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{instant_from_millis, kode, kode_from};
use crate::write_context::WriteContext;

/// An information page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoPage {
    /// Row id.
    pub id: Uuid,
    /// The village or regency that wrote it.
    pub scope: KodeWilayah,
    /// Topic.
    pub topic: InfoTopic,
    /// Title.
    pub title: String,
    /// Text (plain; paragraphs separated by blank lines).
    pub body: String,
    /// Last written.
    pub updated_at: OffsetDateTime,
    /// By whom.
    pub updated_by: String,
}

type Row = (Id, i64, String, String, String, i64, String);

fn page(r: Row) -> Result<InfoPage, StoreError> {
    Ok(InfoPage {
        id: r.0.into(),
        scope: kode_from(r.1)?,
        topic: InfoTopic::parse(&r.2)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown information topic {:?}", r.2)))?,
        title: r.3,
        body: r.4,
        updated_at: instant_from_millis(r.5)?,
        updated_by: r.6,
    })
}

const COLUMNS: &str = "id, scope, topic, title, body, updated_at, updated_by";

impl Store {
    /// The pages a village's kiosk shows: its own and its regency's, by topic then title.
    pub async fn info_pages_for_village(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<InfoPage>, StoreError> {
        let regency = village.ancestor(RegionLevel::Regency).unwrap_or(village);
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM info_page WHERE scope IN ($1, $2) ORDER BY topic, title"
        )))
        .bind(kode(village))
        .bind(kode(regency))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(page).collect()
    }

    /// The pages written for exactly `scope`.
    pub async fn info_pages_of(&self, scope: KodeWilayah) -> Result<Vec<InfoPage>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM info_page WHERE scope = $1 ORDER BY topic, title"
        )))
        .bind(kode(scope))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(page).collect()
    }

    /// One page by id.
    pub async fn info_page(&self, id: Uuid) -> Result<Option<InfoPage>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM info_page WHERE id = $1"
        )))
        .bind(crate::row_codec::Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(page).transpose()
    }

    /// Creates or rewrites a page (its scope never changes).
    pub async fn save_info_page(&self, ctx: &WriteContext, p: &InfoPage) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, p.scope).await?;
        let done = sqlx::query(
            "INSERT INTO info_page (id, scope, topic, title, body, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
             ON CONFLICT (id) DO UPDATE SET topic = excluded.topic, title = excluded.title, body = excluded.body,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by
             WHERE info_page.scope = excluded.scope",
        )
        .bind(crate::row_codec::Id(p.id))
        .bind(kode(p.scope))
        .bind(p.topic.code())
        .bind(&p.title)
        .bind(&p.body)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("no such page in this scope".into()));
        }
        let after = json!({ "topic": p.topic.code(), "title": p.title, "body": p.body });
        w.log(Change {
            village: (p.scope.level() == RegionLevel::Village).then_some(p.scope),
            entity: Entity::InfoPage,
            entity_id: p.id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Deletes a page of `scope`.
    pub async fn delete_info_page(
        &self,
        ctx: &WriteContext,
        scope: KodeWilayah,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, scope).await?;
        let done = sqlx::query("DELETE FROM info_page WHERE id = $1 AND scope = $2")
            .bind(crate::row_codec::Id(id))
            .bind(kode(scope))
            .execute(w.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("no such page in this scope".into()));
        }
        w.log(Change {
            village: (scope.level() == RegionLevel::Village).then_some(scope),
            entity: Entity::InfoPage,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&json!({ "deleted": true })),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }
}
