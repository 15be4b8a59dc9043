//! The village development index (IDM) per village per year: the
//! ministry's figures held by the regency (see migration 0017). One import
//! or entry is one write under the regency's lock and one change-log entry
//! naming what was recorded; it is not village data, so it has no village
//! sequence and is not in a village's feed.

use balai_domain::idm::{Idm, IdmStatus, IdmYear, Index4};
use balai_domain::{KodeWilayah, RegionLevel};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{code_range, instant_from_millis, kode, kode_from};
use crate::write_context::WriteContext;

/// Where a village's IDM came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdmSource {
    /// The ministry's published table, imported by the regency.
    Imported,
    /// Entered by hand with the facilitator.
    Entered,
}

impl IdmSource {
    fn code(self) -> i64 {
        match self {
            IdmSource::Imported => 1,
            IdmSource::Entered => 2,
        }
    }

    fn from_code(c: i64) -> Result<Self, StoreError> {
        match c {
            1 => Ok(IdmSource::Imported),
            2 => Ok(IdmSource::Entered),
            _ => Err(StoreError::Corrupt(format!("IDM source {c}"))),
        }
    }
}

/// One village's IDM of one year, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdmRecord {
    /// The village.
    pub village: KodeWilayah,
    /// The year.
    pub year: IdmYear,
    /// The three indices.
    pub idm: Idm,
    /// The IDM as published, if known.
    pub published: Option<Index4>,
    /// The status as published, if known.
    pub status: Option<IdmStatus>,
    /// Imported or entered.
    pub source: IdmSource,
}

/// A recorded IDM, with the names of the village and its district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIdm {
    /// What was recorded.
    pub record: IdmRecord,
    /// The village's name from the region list.
    pub village_name: String,
    /// The district's name.
    pub district_name: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: OffsetDateTime,
}

type Row = (
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    String,
    i64,
    String,
    String,
);

fn index(n: i64) -> Result<Index4, StoreError> {
    u16::try_from(n)
        .ok()
        .and_then(Index4::from_ten_thousandths)
        .ok_or_else(|| StoreError::Corrupt(format!("index {n}")))
}

fn stored(r: Row) -> Result<StoredIdm, StoreError> {
    Ok(StoredIdm {
        record: IdmRecord {
            village: kode_from(r.0)?,
            year: IdmYear::new(r.1).ok_or_else(|| StoreError::Corrupt(format!("year {}", r.1)))?,
            idm: Idm {
                iks: index(r.2)?,
                ike: index(r.3)?,
                ikl: index(r.4)?,
            },
            published: r.5.map(index).transpose()?,
            status: r
                .6
                .map(|c| {
                    u8::try_from(c)
                        .ok()
                        .and_then(IdmStatus::from_code)
                        .ok_or_else(|| StoreError::Corrupt(format!("status {c}")))
                })
                .transpose()?,
            source: IdmSource::from_code(r.7)?,
        },
        recorded_by: r.8,
        recorded_at: instant_from_millis(r.9)?,
        village_name: r.10,
        district_name: r.11,
    })
}

const SELECT: &str =
    "SELECT s.village, s.year, s.iks, s.ike, s.ikl, s.published_idm, s.published_status,
        s.source, s.recorded_by, s.recorded_at, v.name, COALESCE(d.name, '')
     FROM idm_score s JOIN region v ON v.kode = s.village LEFT JOIN region d ON d.kode = v.parent";

impl Store {
    /// Records `records` (all of one regency) in one transaction, replacing
    /// what was recorded for the same village and year; `summary` is the
    /// change-log entry's description (the file, the year, the count).
    pub async fn record_idm(
        &self,
        ctx: &WriteContext,
        regency: KodeWilayah,
        records: &[IdmRecord],
        summary: &Value,
    ) -> Result<(), StoreError> {
        let (lo, hi) = code_range(Some(regency), RegionLevel::Village);
        if let Some(r) = records
            .iter()
            .find(|r| !(lo..=hi).contains(&kode(r.village)))
        {
            return Err(StoreError::Conflict(format!(
                "village {} is not in regency {regency}",
                r.village
            )));
        }
        let mut w = self.write_unscoped(ctx, Some(regency)).await?;
        let seq = w
            .log(Change {
                village: None,
                entity: Entity::DevelopmentIndex,
                entity_id: Uuid::now_v7(),
                action: if records.len() == 1 {
                    Action::Update
                } else {
                    Action::Import
                },
                before: None,
                after: Some(summary),
            })
            .await?;
        for r in records {
            sqlx::query(
                "INSERT INTO idm_score (village, year, iks, ike, ikl, published_idm, published_status,
                     source, recorded_by, recorded_at, recorded_seq)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (village, year) DO UPDATE SET
                     iks = excluded.iks, ike = excluded.ike, ikl = excluded.ikl,
                     published_idm = excluded.published_idm,
                     published_status = excluded.published_status,
                     source = excluded.source, recorded_by = excluded.recorded_by,
                     recorded_at = excluded.recorded_at, recorded_seq = excluded.recorded_seq",
            )
            .bind(kode(r.village))
            .bind(i64::from(r.year.get()))
            .bind(i64::from(r.idm.iks.ten_thousandths()))
            .bind(i64::from(r.idm.ike.ten_thousandths()))
            .bind(i64::from(r.idm.ikl.ten_thousandths()))
            .bind(r.published.map(|p| i64::from(p.ten_thousandths())))
            .bind(r.status.map(|s| i64::from(s.code())))
            .bind(r.source.code())
            .bind(&ctx.actor)
            .bind(ctx.at_millis())
            .bind(seq)
            .execute(w.conn())
            .await?;
        }
        w.commit().await
    }

    /// The IDM of every village inside `within` for `year`, in code order.
    pub async fn idm_of_year(
        &self,
        within: KodeWilayah,
        year: IdmYear,
    ) -> Result<Vec<StoredIdm>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE s.year = $1 AND s.village BETWEEN $2 AND $3 ORDER BY s.village"
        )))
        .bind(i64::from(year.get()))
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(stored).collect()
    }

    /// Every year's IDM of every village inside `within` (a village: its
    /// history), by village then year.
    pub async fn idm_history(&self, within: KodeWilayah) -> Result<Vec<StoredIdm>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE s.village BETWEEN $1 AND $2 ORDER BY s.village, s.year"
        )))
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(stored).collect()
    }
}
