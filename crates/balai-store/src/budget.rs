//! The village budget (APBDes, migration 0022): per village and fiscal
//! year, whether the year is published and which realisation report it is,
//! and the year's lines. Every change is a [`crate::write::Write`], so it
//! is in the village's change feed. Deleting a line keeps its row (the feed
//! carries no deletions): it is marked removed and no query returns it
//! again. An import replaces a year's lines in one write: all or nothing.

use balai_domain::KodeWilayah;
use balai_domain::budget::{AccountCode, BudgetLine, FiscalYear, Period, Rupiah, SubBidang};
use balai_domain::site::Publication;
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{Id, date_from_day_number, day_number, instant_from_millis, kode};
use crate::write::Write;
use crate::write_context::WriteContext;

/// Where a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSource {
    /// Typed by staff.
    Manual,
    /// Imported from a Siskeudes export.
    Siskeudes,
}

impl LineSource {
    fn code(self) -> i64 {
        match self {
            LineSource::Manual => 1,
            LineSource::Siskeudes => 2,
        }
    }

    fn from_code(c: i64) -> Option<Self> {
        match c {
            1 => Some(LineSource::Manual),
            2 => Some(LineSource::Siskeudes),
            _ => None,
        }
    }
}

/// A fiscal year of a village's budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetYear {
    /// Row id.
    pub id: Uuid,
    /// The year.
    pub year: FiscalYear,
    /// Draft or published.
    pub publication: Publication,
    /// Which realisation report the figures are, with its day (set when
    /// first published).
    pub report: Option<(Period, Date)>,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

/// A stored budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// Row id.
    pub id: Uuid,
    /// Its year.
    pub year: FiscalYear,
    /// The line.
    pub line: BudgetLine,
    /// Typed or imported.
    pub source: LineSource,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type YearRow = (Id, i64, i64, Option<i64>, Option<i64>, i64, String);
const YEAR_COLUMNS: &str = "id, year, published, period, report_on, updated_at, updated_by";

fn year_of(r: YearRow) -> Result<BudgetYear, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("budget_year {what}"));
    let report = match (r.3, r.4) {
        (Some(p), Some(d)) => Some((
            Period::from_code(p).ok_or_else(|| corrupt("period"))?,
            date_from_day_number(d)?,
        )),
        (None, None) => None,
        _ => return Err(corrupt("report")),
    };
    Ok(BudgetYear {
        id: r.0.into(),
        year: FiscalYear::new(r.1).ok_or_else(|| corrupt("year"))?,
        publication: Publication::from_code(r.2).ok_or_else(|| corrupt("published"))?,
        report,
        updated_at: instant_from_millis(r.5)?,
        updated_by: r.6,
    })
}

type LineRow = (
    Id,
    i64,
    String,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    i64,
    String,
);
const LINE_COLUMNS: &str =
    "id, year, account, sub_bidang, name, budget, realised, source, updated_at, updated_by";

fn line_of(r: LineRow) -> Result<StoredLine, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("budget_line {what}"));
    let rupiah = |n: i64| {
        u64::try_from(n)
            .ok()
            .and_then(|n| Rupiah::new(n).ok())
            .ok_or_else(|| corrupt("amount"))
    };
    let account = AccountCode::parse(&r.2).map_err(|_| corrupt("account"))?;
    let sub =
        r.3.as_deref()
            .map(|s| SubBidang::parse(s).map_err(|_| corrupt("sub_bidang")))
            .transpose()?;
    Ok(StoredLine {
        id: r.0.into(),
        year: FiscalYear::new(r.1).ok_or_else(|| corrupt("year"))?,
        line: BudgetLine::new(account, sub, r.4, rupiah(r.5)?, rupiah(r.6)?)
            .map_err(|_| corrupt("line"))?,
        source: LineSource::from_code(r.7).ok_or_else(|| corrupt("source"))?,
        updated_at: instant_from_millis(r.8)?,
        updated_by: r.9,
    })
}

fn cell(r: Rupiah) -> i64 {
    i64::try_from(r.get()).unwrap_or(i64::MAX)
}

/// The year's row id, creating the (draft) year first when it is new.
async fn ensure_year(
    w: &mut Write<'_>,
    ctx: &WriteContext,
    village: KodeWilayah,
    year: FiscalYear,
    new_id: Uuid,
) -> Result<Uuid, StoreError> {
    let found: Option<(Id,)> =
        sqlx::query_as("SELECT id FROM budget_year WHERE village = $1 AND year = $2")
            .bind(kode(village))
            .bind(i64::from(year.get()))
            .fetch_optional(w.conn())
            .await?;
    if let Some((id,)) = found {
        return Ok(id.into());
    }
    let after = json!({ "year": year.get() });
    let seq = w
        .log(Change {
            village: Some(village),
            entity: Entity::BudgetYear,
            entity_id: new_id,
            action: Action::Create,
            before: None,
            after: Some(&after),
        })
        .await?;
    sqlx::query(
        "INSERT INTO budget_year (village, id, year, published, period, report_on, created_at, updated_at, updated_by, created_seq)
         VALUES ($1, $2, $3, 0, NULL, NULL, $4, $4, $5, $6)",
    )
    .bind(kode(village))
    .bind(Id(new_id))
    .bind(i64::from(year.get()))
    .bind(ctx.at_millis())
    .bind(&ctx.actor)
    .bind(seq)
    .execute(w.conn())
    .await?;
    w.wrote_id(Table::BudgetYear, new_id).await?;
    Ok(new_id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_line(
    w: &mut Write<'_>,
    ctx: &WriteContext,
    village: KodeWilayah,
    year: FiscalYear,
    id: Uuid,
    l: &BudgetLine,
    source: LineSource,
    seq: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO budget_line (village, id, year, account, sub_bidang, name, budget, realised, source,
                                  removed_at, created_at, updated_at, updated_by, created_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $10, $11, $12)",
    )
    .bind(kode(village))
    .bind(Id(id))
    .bind(i64::from(year.get()))
    .bind(l.account().code())
    .bind(l.sub_bidang().map(|s| s.code()))
    .bind(&l.name)
    .bind(cell(l.budget))
    .bind(cell(l.realised))
    .bind(source.code())
    .bind(ctx.at_millis())
    .bind(&ctx.actor)
    .bind(seq)
    .execute(w.conn())
    .await?;
    w.wrote_id(Table::BudgetLine, id).await
}

fn line_after(l: &BudgetLine) -> serde_json::Value {
    json!({ "account": l.account().code(), "sub_bidang": l.sub_bidang().map(|s| s.code()),
            "budget": l.budget.get(), "realised": l.realised.get() })
}

impl Store {
    /// The village's budget years, newest first (published ones only when `public`).
    pub async fn budget_years(
        &self,
        village: KodeWilayah,
        public: bool,
    ) -> Result<Vec<BudgetYear>, StoreError> {
        let rows: Vec<YearRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {YEAR_COLUMNS} FROM budget_year
             WHERE village = $1 AND ($2 = 0 OR published = 1) ORDER BY year DESC"
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(year_of).collect()
    }

    /// One budget year of the village.
    pub async fn budget_year(
        &self,
        village: KodeWilayah,
        year: FiscalYear,
    ) -> Result<Option<BudgetYear>, StoreError> {
        let row: Option<YearRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {YEAR_COLUMNS} FROM budget_year WHERE village = $1 AND year = $2"
        )))
        .bind(kode(village))
        .bind(i64::from(year.get()))
        .fetch_optional(self.pool())
        .await?;
        row.map(year_of).transpose()
    }

    /// The live lines of a year, in account order.
    pub async fn budget_lines(
        &self,
        village: KodeWilayah,
        year: FiscalYear,
    ) -> Result<Vec<StoredLine>, StoreError> {
        let rows: Vec<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LINE_COLUMNS} FROM budget_line
             WHERE village = $1 AND year = $2 AND removed_at IS NULL
             ORDER BY account, sub_bidang, created_at, id"
        )))
        .bind(kode(village))
        .bind(i64::from(year.get()))
        .fetch_all(self.pool())
        .await?;
        let mut lines: Vec<StoredLine> = rows.into_iter().map(line_of).collect::<Result<_, _>>()?;
        // The tree's order, which text order is not for every code.
        lines.sort_by_key(|l| (l.line.account(), l.line.sub_bidang()));
        Ok(lines)
    }

    /// A live line of the village by id.
    pub async fn budget_line(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<StoredLine>, StoreError> {
        let row: Option<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LINE_COLUMNS} FROM budget_line WHERE village = $1 AND id = $2 AND removed_at IS NULL"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(line_of).transpose()
    }

    /// Adds a line to a year (creating the year, a draft, when new;
    /// `year_id` is its id then).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_budget_line(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        year: FiscalYear,
        year_id: Uuid,
        id: Uuid,
        line: &BudgetLine,
        source: LineSource,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        ensure_year(&mut w, ctx, village, year, year_id).await?;
        let after = line_after(line);
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::BudgetLine,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        insert_line(&mut w, ctx, village, year, id, line, source, seq).await?;
        w.commit().await
    }

    /// Rewrites a live line (its year stays; an edited imported line counts
    /// as typed from then on, so its source says so).
    pub async fn update_budget_line(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        line: &BudgetLine,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE budget_line SET account = $1, sub_bidang = $2, name = $3, budget = $4, realised = $5,
                    source = $6, updated_at = $7, updated_by = $8
             WHERE village = $9 AND id = $10 AND removed_at IS NULL",
        )
        .bind(line.account().code())
        .bind(line.sub_bidang().map(|s| s.code()))
        .bind(&line.name)
        .bind(cell(line.budget))
        .bind(cell(line.realised))
        .bind(LineSource::Manual.code())
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("budget line".into()));
        }
        let after = line_after(line);
        w.log(Change {
            village: Some(village),
            entity: Entity::BudgetLine,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::BudgetLine, id).await?;
        w.commit().await
    }

    /// Deletes a line: the row is kept, marked removed.
    pub async fn remove_budget_line(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE budget_line SET removed_at = $1, updated_at = $1, updated_by = $2
             WHERE village = $3 AND id = $4 AND removed_at IS NULL",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("budget line".into()));
        }
        let after = json!({ "removed": true });
        w.log(Change {
            village: Some(village),
            entity: Entity::BudgetLine,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::BudgetLine, id).await?;
        w.commit().await
    }

    /// Replaces every live line of a year with `lines` (an import), in one
    /// write: the old lines are marked removed, the new ones inserted, or
    /// nothing changes at all.
    pub async fn replace_budget_lines(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        year: FiscalYear,
        year_id: Uuid,
        lines: &[(Uuid, BudgetLine)],
        source: LineSource,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let year_id = ensure_year(&mut w, ctx, village, year, year_id).await?;
        let old: Vec<(Id,)> = sqlx::query_as(
            "SELECT id FROM budget_line WHERE village = $1 AND year = $2 AND removed_at IS NULL ORDER BY id",
        )
        .bind(kode(village))
        .bind(i64::from(year.get()))
        .fetch_all(w.conn())
        .await?;
        let after = json!({ "year": year.get(), "removed": old.len(), "lines": lines.len() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::BudgetYear,
                entity_id: year_id,
                action: Action::Import,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "UPDATE budget_line SET removed_at = $1, updated_at = $1, updated_by = $2
             WHERE village = $3 AND year = $4 AND removed_at IS NULL",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(i64::from(year.get()))
        .execute(w.conn())
        .await?;
        for (id,) in old {
            w.wrote_id(Table::BudgetLine, id.into()).await?;
        }
        for (id, l) in lines {
            insert_line(&mut w, ctx, village, year, *id, l, source, seq).await?;
        }
        w.commit().await
    }

    /// Publishes a year (as the realisation report `report`) or withdraws it.
    pub async fn set_budget_publication(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        year: FiscalYear,
        to: Publication,
        report: Option<(Period, Date)>,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let found: Option<(Id,)> =
            sqlx::query_as("SELECT id FROM budget_year WHERE village = $1 AND year = $2")
                .bind(kode(village))
                .bind(i64::from(year.get()))
                .fetch_optional(w.conn())
                .await?;
        let Some((id,)) = found else {
            return Err(StoreError::NotFound("budget year".into()));
        };
        let id: Uuid = id.into();
        sqlx::query(
            "UPDATE budget_year SET published = $1,
                    period = CASE WHEN $2 = 1 THEN $3 ELSE period END,
                    report_on = CASE WHEN $2 = 1 THEN $4 ELSE report_on END,
                    updated_at = $5, updated_by = $6
             WHERE village = $7 AND id = $8",
        )
        .bind(i64::from(to.code()))
        .bind(i64::from(report.is_some()))
        .bind(report.map(|(p, _)| i64::from(p.code())))
        .bind(report.map(|(_, d)| day_number(d)))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        let after = json!({ "published": to.code(), "period": report.map(|(p, _)| p.code()),
                            "report_on": report.map(|(_, d)| d.to_string()) });
        w.log(Change {
            village: Some(village),
            entity: Entity::BudgetYear,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::BudgetYear, id).await?;
        w.commit().await
    }
}
