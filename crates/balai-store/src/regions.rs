//! The region list in the database.

use balai_regions::RegionSet;
use serde_json::json;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::dialect::{MAX_PARAMS, values_clause};
use crate::error::StoreError;
use crate::row_codec::{code_range, kode, kode_from};
use crate::write_context::WriteContext;

/// What a regions import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionsImported {
    /// Regions in the file.
    pub total: u64,
    /// Regions that were not in the database before.
    pub added: u64,
}

const COLS: usize = 9;

impl Store {
    /// Adds or updates every region of `set` in one transaction and logs one
    /// summary entry. Regions already in the database but not in `set` stay.
    pub async fn import_regions(
        &self,
        ctx: &WriteContext,
        set: &RegionSet,
        source: &str,
    ) -> Result<RegionsImported, StoreError> {
        let mut w = self.write_unscoped(ctx, None).await?;
        let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM region")
            .fetch_one(w.conn())
            .await?;
        // Sorted provinces-first, so each chunk's parents are already written.
        for chunk in set.regions().chunks(MAX_PARAMS / COLS) {
            let sql = format!(
                "INSERT INTO region (kode, level, parent, name, postal_code, latitude, longitude, area_km2, population)
                 VALUES {}
                 ON CONFLICT (kode) DO UPDATE SET name = excluded.name, postal_code = excluded.postal_code,
                   latitude = excluded.latitude, longitude = excluded.longitude, area_km2 = excluded.area_km2,
                   population = excluded.population",
                values_clause(self.backend(), chunk.len(), COLS)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(kode(r.kode))
                    .bind(r.kode.level().as_i16())
                    .bind(r.kode.parent().map(kode))
                    .bind(&r.name)
                    .bind(&r.postal_code)
                    .bind(r.latitude)
                    .bind(r.longitude)
                    .bind(r.area_km2)
                    .bind(r.population.map(|p| p as i64));
            }
            q.execute(w.conn()).await?;
        }
        let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM region")
            .fetch_one(w.conn())
            .await?;
        let c = set.counts();
        let summary = json!({
            "source": source,
            "provinces": c.provinces, "regencies": c.regencies, "districts": c.districts, "villages": c.villages,
            "added": after - before,
        });
        w.log(Change {
            village: None,
            entity: Entity::Region,
            entity_id: Uuid::nil(),
            action: Action::Import,
            before: None,
            after: Some(&summary),
        })
        .await?;
        w.commit().await?;
        Ok(RegionsImported {
            total: set.regions().len() as u64,
            added: (after - before) as u64,
        })
    }

    /// Number of regions stored per level: (provinces, regencies, districts, villages).
    pub async fn region_counts(&self) -> Result<[i64; 4], StoreError> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT level, COUNT(*) FROM region GROUP BY level")
                .fetch_all(self.pool())
                .await?;
        let mut out = [0; 4];
        for (level, n) in rows {
            if let Some(slot) = usize::try_from(level - 1).ok().and_then(|i| out.get_mut(i)) {
                *slot = n;
            }
        }
        Ok(out)
    }

    /// Name of a region, if stored.
    pub async fn region_name(
        &self,
        kode: balai_domain::KodeWilayah,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT name FROM region WHERE kode = $1")
            .bind(self::kode(kode))
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// The village codes inside `parent` (any level), in code order.
    pub async fn villages_in_region(
        &self,
        parent: balai_domain::KodeWilayah,
    ) -> Result<Vec<balai_domain::KodeWilayah>, StoreError> {
        self.regions_in(parent, balai_domain::RegionLevel::Village)
            .await
    }

    /// The codes of the regions at `level` inside `parent`, in code order.
    pub async fn regions_in(
        &self,
        parent: balai_domain::KodeWilayah,
        level: balai_domain::RegionLevel,
    ) -> Result<Vec<balai_domain::KodeWilayah>, StoreError> {
        let (lo, hi) = code_range(Some(parent), level);
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT kode FROM region WHERE level = $1 AND kode BETWEEN $2 AND $3 ORDER BY kode",
        )
        .bind(level.as_i16())
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(|(k,)| kode_from(k)).collect()
    }
}
