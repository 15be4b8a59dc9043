//! Villages as tenants: creating one from the region list, listing them.

use balai_domain::village::Village;
use balai_domain::{KodeWilayah, RegionLevel};
use serde_json::json;
use sqlx::AssertSqlSafe;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::{RowKey, Table};
use crate::row_codec::{code_range, kode, kode_from};
use crate::write_context::WriteContext;

/// A village with its headline numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageSummary {
    /// The village and its place in the regions tree.
    pub village: Village,
    /// Residents whose status is HIDUP.
    pub population: i64,
    /// Family cards.
    pub families: i64,
}

const VILLAGE_SELECT: &str = "SELECT v.kode, r.name, d.name, k.name, p.name
    FROM village v
    JOIN region r ON r.kode = v.kode
    JOIN region d ON d.kode = r.parent
    JOIN region k ON k.kode = d.parent
    JOIN region p ON p.kode = k.parent";

type VillageRow = (i64, String, String, String, String);

fn village(r: VillageRow) -> Result<Village, StoreError> {
    Ok(Village {
        kode: kode_from(r.0)?,
        name: r.1,
        district_name: r.2,
        regency_name: r.3,
        province_name: r.4,
    })
}

impl Store {
    /// Makes a village of the region list a tenant of this installation.
    pub async fn create_village(
        &self,
        ctx: &WriteContext,
        kode: KodeWilayah,
    ) -> Result<Village, StoreError> {
        if kode.level() != RegionLevel::Village {
            return Err(StoreError::Conflict(format!(
                "{kode} is not a village code (expected PP.KK.CC.DDDD)"
            )));
        }
        let mut w = self.write(ctx, kode).await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT level FROM region WHERE kode = $1")
            .bind(self::kode(kode))
            .fetch_optional(w.conn())
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!(
                "village {kode} is not in the region list; run `balai regions import` with a list that has it"
            )));
        }
        let done = sqlx::query(
            "INSERT INTO village (kode, created_at) VALUES ($1, $2) ON CONFLICT (kode) DO NOTHING",
        )
        .bind(self::kode(kode))
        .bind(ctx.at_millis())
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "village {kode} already exists"
            )));
        }
        let after = json!({ "kode": kode.plain() });
        let id = uuid::Uuid::from_u64_pair(0, kode.as_u64());
        w.log(Change {
            village: Some(kode),
            entity: Entity::Village,
            entity_id: id,
            action: Action::Create,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote(Table::Village, RowKey::Village).await?;
        let row: VillageRow =
            sqlx::query_as(AssertSqlSafe(format!("{VILLAGE_SELECT} WHERE v.kode = $1")))
                .bind(self::kode(kode))
                .fetch_one(w.conn())
                .await?;
        // A new village is a new row of every figure list (the home page's
        // among them): caches keyed by the generation must see it.
        sqlx::query("UPDATE population_stat_state SET generation = generation + 1 WHERE id = 1")
            .execute(w.conn())
            .await?;
        w.commit().await?;
        self.stat_written();
        village(row)
    }

    /// One village of this installation.
    pub async fn village(&self, kode: KodeWilayah) -> Result<Option<Village>, StoreError> {
        let row: Option<VillageRow> =
            sqlx::query_as(AssertSqlSafe(format!("{VILLAGE_SELECT} WHERE v.kode = $1")))
                .bind(self::kode(kode))
                .fetch_optional(self.pool())
                .await?;
        row.map(village).transpose()
    }

    /// The villages of this installation inside `within` (all if `None`), by
    /// code, with population and family counts.
    pub async fn village_summaries(
        &self,
        within: Option<KodeWilayah>,
    ) -> Result<Vec<VillageSummary>, StoreError> {
        let (lo, hi) = code_range(within, RegionLevel::Village);
        let rows: Vec<VillageRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{VILLAGE_SELECT} WHERE v.kode BETWEEN $1 AND $2 ORDER BY v.kode"
        )))
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        // Kept on write (population_stat), so this reads one row per village
        // and figure instead of counting every resident.
        let heads = self.village_headlines(lo, hi).await?;
        rows.into_iter()
            .map(|r| {
                let (population, families) = heads.get(&r.0).copied().unwrap_or((0, 0));
                Ok(VillageSummary {
                    village: village(r)?,
                    population,
                    families,
                })
            })
            .collect()
    }
}
