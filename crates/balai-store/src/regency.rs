//! The regency network's reads and writes (issue 13): key figures of
//! villages, dusun and RW from the kept statistics, each village's activity
//! (letters, open requests, last change, last operator login), village
//! coordinates for the map, facilitators' coaching notes and the villages'
//! monthly report submissions. Notes and submissions are village data:
//! written through the one write path, so they are in the change feed.

use std::collections::HashMap;

use balai_domain::regency::{CodeRule, KEY_COUNTS, KeyCount, ReportMonth};
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use serde_json::json;
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{
    Id, code_range, date_from_day_number, day_number, instant_from_millis, kode, kode_from,
};
use crate::write_context::WriteContext;

/// Which areas' key figures to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyGrouping {
    /// The whole regency, from its own kept row.
    Regency(KodeWilayah),
    /// Each village inside a regency or district, from the villages' kept rows.
    Villages(KodeWilayah),
    /// Each dusun of a village, from the RT rows ('' holds residents
    /// without a family card).
    Dusun(KodeWilayah),
    /// Each RW of one dusun of a village.
    Rw(KodeWilayah, String),
}

/// One area's sums of [`KEY_COUNTS`]: (area code, dusun or RW name — ''
/// for a village or regency —, the sums in order).
pub type KeyRow = (i64, String, [i64; 7]);

fn rule_sql(r: CodeRule) -> String {
    match r {
        CodeRule::Any => "1 = 1".into(),
        CodeRule::Is(c) => format!("code = {c}"),
        CodeRule::NoneOf(cs) => format!(
            "code NOT IN ({})",
            cs.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
    }
}

/// The SUM columns and the dimension list of `counts` (constants of the
/// domain's definitions, such as [`KEY_COUNTS`], never input).
pub(crate) fn kept_sums_sql(counts: &[KeyCount]) -> (String, String) {
    let sums = counts
        .iter()
        .map(|k| {
            format!(
                "CAST(SUM(CASE WHEN dimension = {} AND {} THEN n ELSE 0 END) AS BIGINT)",
                k.dimension.number(),
                rule_sql(k.codes)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut dims: Vec<i64> = counts.iter().map(|k| k.dimension.number()).collect();
    dims.sort_unstable();
    dims.dedup();
    let dims = dims
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    (sums, dims)
}

type KeySqlRow = (i64, String, i64, i64, i64, i64, i64, i64, i64);

/// Where a village is (for the map), from the region list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VillagePoint {
    /// The village.
    pub village: KodeWilayah,
    /// Latitude, if the region list has it.
    pub latitude: Option<f64>,
    /// Longitude, if the region list has it.
    pub longitude: Option<f64>,
}

/// What a village did lately: no one's data, counts and instants only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VillageActivity {
    /// Letters issued in the month asked (revoked ones included: they were issued).
    pub letters_this_month: i64,
    /// Residents' letter requests not yet finished.
    pub open_requests: i64,
    /// When the oldest unfinished request was made.
    pub oldest_open_request: Option<OffsetDateTime>,
    /// The last change to the village's data (its change feed's last entry).
    pub last_change: Option<OffsetDateTime>,
    /// The last login of any of the village's operators.
    pub last_operator_login: Option<OffsetDateTime>,
    /// The publication day of the village website's newest published news
    /// post (how fresh its site is).
    pub last_news: Option<Date>,
}

/// A facilitator's coaching note to a village, with the village's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachingNote {
    /// Id.
    pub id: Uuid,
    /// The village.
    pub village: KodeWilayah,
    /// The day the note is about (the visit or meeting).
    pub noted_on: Date,
    /// The facilitator's account name.
    pub author: String,
    /// The facilitator's name as shown.
    pub author_name: String,
    /// The note.
    pub body: String,
    /// Follow-up items, one per entry.
    pub follow_up: Vec<String>,
    /// The village's answer, if any.
    pub answer: Option<String>,
    /// Who answered.
    pub answered_by: Option<String>,
    /// When.
    pub answered_at: Option<OffsetDateTime>,
    /// When the note was written.
    pub created_at: OffsetDateTime,
}

/// A new coaching note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCoachingNote {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// The day the note is about.
    pub noted_on: Date,
    /// The facilitator's name as shown.
    pub author_name: String,
    /// The note.
    pub body: String,
    /// Follow-up items.
    pub follow_up: Vec<String>,
}

/// A monthly report submitted to the regency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSubmission {
    /// The village.
    pub village: KodeWilayah,
    /// The month reported.
    pub month: ReportMonth,
    /// Who submitted it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: OffsetDateTime,
    /// The report's figures as submitted (JSON, aggregates only).
    pub figures: String,
}

type NoteRow = (
    Id,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

fn note(r: NoteRow) -> Result<CoachingNote, StoreError> {
    Ok(CoachingNote {
        id: r.0.0,
        village: kode_from(r.1)?,
        noted_on: date_from_day_number(r.2)?,
        author: r.3,
        author_name: r.4,
        body: r.5,
        follow_up: r
            .6
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect(),
        answer: r.7,
        answered_by: r.8,
        answered_at: r.9.map(instant_from_millis).transpose()?,
        created_at: instant_from_millis(r.10)?,
    })
}

const NOTE_COLUMNS: &str = "id, village, noted_on, author, author_name, body, follow_up, answer, answered_by, answered_at, created_at";

impl Store {
    /// The key figures of the areas `g` names, by area and name.
    pub async fn key_figures(&self, g: &KeyGrouping) -> Result<Vec<KeyRow>, StoreError> {
        let (sums, dims) = kept_sums_sql(&KEY_COUNTS);
        let (select, filter, group) = match g {
            // Regency and village rows have no dusun, RW or RT (by
            // construction): not naming those columns lets PostgreSQL
            // answer from the index alone.
            KeyGrouping::Regency(_) => ("area, ''", "scope = 1 AND area = $1", "area"),
            KeyGrouping::Villages(_) => {
                ("area, ''", "scope = 2 AND area BETWEEN $1 AND $2", "area")
            }
            KeyGrouping::Dusun(_) => ("area, dusun", "area = $1 AND scope = 3", "area, dusun"),
            KeyGrouping::Rw(..) => (
                "area, rw",
                "area = $1 AND scope = 3 AND dusun = $2",
                "area, rw",
            ),
        };
        let sql = format!(
            "SELECT {select}, {sums} FROM population_stat
             WHERE {filter} AND dimension IN ({dims})
             GROUP BY {group} ORDER BY {group}"
        );
        let q = sqlx::query_as::<_, KeySqlRow>(AssertSqlSafe(sql));
        let q = match g {
            KeyGrouping::Regency(k) | KeyGrouping::Dusun(k) => q.bind(kode(*k)),
            KeyGrouping::Villages(within) => {
                let (lo, hi) = code_range(Some(*within), RegionLevel::Village);
                q.bind(lo).bind(hi)
            }
            KeyGrouping::Rw(v, dusun) => q.bind(kode(*v)).bind(dusun.clone()),
        };
        let rows = q.fetch_all(self.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.0, r.1, [r.2, r.3, r.4, r.5, r.6, r.7, r.8]))
            .collect())
    }

    /// The villages of this installation inside `within` with their
    /// coordinates from the region list.
    pub async fn village_points(
        &self,
        within: KodeWilayah,
    ) -> Result<Vec<VillagePoint>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<(i64, Option<f64>, Option<f64>)> = sqlx::query_as(
            "SELECT v.kode, r.latitude, r.longitude FROM village v JOIN region r ON r.kode = v.kode
             WHERE v.kode BETWEEN $1 AND $2 ORDER BY v.kode",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(k, lat, lng)| {
                Ok(VillagePoint {
                    village: kode_from(k)?,
                    latitude: lat,
                    longitude: lng,
                })
            })
            .collect()
    }

    /// The activity of every village inside `within`, by village code;
    /// letters counted for the days `month` (first, last).
    pub async fn village_activity(
        &self,
        within: KodeWilayah,
        month: (Date, Date),
    ) -> Result<HashMap<i64, VillageActivity>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let mut out: HashMap<i64, VillageActivity> = HashMap::new();
        let letters: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT village, CAST(COUNT(*) AS BIGINT) FROM letter
             WHERE village BETWEEN $1 AND $2 AND issued_on BETWEEN $3 AND $4 GROUP BY village",
        )
        .bind(lo)
        .bind(hi)
        .bind(day_number(month.0))
        .bind(day_number(month.1))
        .fetch_all(self.pool())
        .await?;
        for (v, n) in letters {
            out.entry(v).or_default().letters_this_month = n;
        }
        let finals: Vec<String> = balai_domain::letter_request::RequestStatus::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .map(|s| format!("'{}'", s.code()))
            .collect();
        let open: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT village, CAST(COUNT(*) AS BIGINT), MIN(created_at) FROM letter_request
             WHERE village BETWEEN $1 AND $2 AND status NOT IN ({}) GROUP BY village",
            finals.join(",")
        )))
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        for (v, n, oldest) in open {
            let e = out.entry(v).or_default();
            e.open_requests = n;
            e.oldest_open_request = oldest.map(instant_from_millis).transpose()?;
        }
        // The feed's last entry per village, found through (village, village_seq).
        let changes: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT c.village, c.at FROM change_log c
             JOIN (SELECT village, MAX(village_seq) AS m FROM change_log
                   WHERE village BETWEEN $1 AND $2 GROUP BY village) t
               ON c.village = t.village AND c.village_seq = t.m",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        for (v, at) in changes {
            out.entry(v).or_default().last_change = Some(instant_from_millis(at)?);
        }
        let logins: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT scope, MAX(last_login_at) FROM account
             WHERE role = $1 AND scope BETWEEN $2 AND $3 GROUP BY scope",
        )
        .bind(Role::VillageOperator.as_str())
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        for (v, at) in logins {
            out.entry(v).or_default().last_operator_login =
                at.map(instant_from_millis).transpose()?;
        }
        let news: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT village, MAX(published_on) FROM news_post
             WHERE village BETWEEN $1 AND $2 AND published = 1 GROUP BY village",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        for (v, day) in news {
            out.entry(v).or_default().last_news = day.map(date_from_day_number).transpose()?;
        }
        Ok(out)
    }

    /// Writes a facilitator's coaching note to `village`.
    pub async fn create_coaching_note(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        n: &NewCoachingNote,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let after =
            json!({ "noted_on": n.noted_on.to_string(), "body": n.body, "follow_up": n.follow_up });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::CoachingNote,
                entity_id: n.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO coaching_note (id, village, noted_on, author, author_name, body, follow_up, created_at, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Id(n.id))
        .bind(kode(village))
        .bind(day_number(n.noted_on))
        .bind(&ctx.actor)
        .bind(&n.author_name)
        .bind(&n.body)
        .bind(n.follow_up.join("\n"))
        .bind(ctx.at_millis())
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::CoachingNote, n.id).await?;
        w.commit().await
    }

    /// Records the village's answer to a note (replacing an earlier answer).
    pub async fn answer_coaching_note(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        answer: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let before: Option<(Option<String>,)> =
            sqlx::query_as("SELECT answer FROM coaching_note WHERE village = $1 AND id = $2")
                .bind(kode(village))
                .bind(Id(id))
                .fetch_optional(w.conn())
                .await?;
        let Some((before,)) = before else {
            return Err(StoreError::NotFound("no such note in this village".into()));
        };
        sqlx::query(
            "UPDATE coaching_note SET answer = $3, answered_by = $4, answered_at = $5 WHERE village = $1 AND id = $2",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(answer)
        .bind(&ctx.actor)
        .bind(ctx.at_millis())
        .execute(w.conn())
        .await?;
        let before = json!({ "answer": before });
        let after = json!({ "answer": answer });
        w.log(Change {
            village: Some(village),
            entity: Entity::CoachingNote,
            entity_id: id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::CoachingNote, id).await?;
        w.commit().await
    }

    /// A village's coaching notes, newest first.
    pub async fn coaching_notes(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<CoachingNote>, StoreError> {
        let rows: Vec<NoteRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {NOTE_COLUMNS} FROM coaching_note WHERE village = $1 ORDER BY noted_on DESC, created_at DESC"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(note).collect()
    }

    /// Records `village`'s report of `month`; a second submission of the
    /// same month is refused (the first stands).
    pub async fn submit_report(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        month: ReportMonth,
        figures: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let exists: Option<(i64,)> = sqlx::query_as(
            "SELECT submitted_at FROM report_submission WHERE village = $1 AND month = $2",
        )
        .bind(kode(village))
        .bind(month.number())
        .fetch_optional(w.conn())
        .await?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!(
                "the report of {month} was submitted already"
            )));
        }
        let id = Uuid::now_v7();
        let after = json!({ "month": month.to_string(), "figures": figures });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::ReportSubmission,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO report_submission (id, village, month, submitted_by, submitted_at, figures, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Id(id))
        .bind(kode(village))
        .bind(month.number())
        .bind(&ctx.actor)
        .bind(ctx.at_millis())
        .bind(figures)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::ReportSubmission, id).await?;
        w.commit().await
    }

    /// The submissions of `month` by villages inside `within`, by village code.
    pub async fn report_submissions(
        &self,
        within: KodeWilayah,
        month: ReportMonth,
    ) -> Result<HashMap<i64, ReportSubmission>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT village, submitted_by, submitted_at, figures FROM report_submission
             WHERE month = $1 AND village BETWEEN $2 AND $3",
        )
        .bind(month.number())
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(v, by, at, figures)| {
                Ok((
                    v,
                    ReportSubmission {
                        village: kode_from(v)?,
                        month,
                        submitted_by: by,
                        submitted_at: instant_from_millis(at)?,
                        figures,
                    },
                ))
            })
            .collect()
    }

    /// Sets the villages a facilitator oversees to exactly `villages`
    /// (each inside the account's regency, checked by the caller), in one
    /// write locked on the regency and logged.
    pub async fn set_facilitator_villages(
        &self,
        ctx: &WriteContext,
        regency: KodeWilayah,
        account_id: Uuid,
        villages: &[KodeWilayah],
    ) -> Result<(), StoreError> {
        let mut w = self.write_unscoped(ctx, Some(regency)).await?;
        let before: Vec<(i64,)> = sqlx::query_as(
            "SELECT village FROM facilitator_village WHERE account_id = $1 ORDER BY village",
        )
        .bind(Id(account_id))
        .fetch_all(w.conn())
        .await?;
        sqlx::query("DELETE FROM facilitator_village WHERE account_id = $1")
            .bind(Id(account_id))
            .execute(w.conn())
            .await?;
        for v in villages {
            sqlx::query("INSERT INTO facilitator_village (account_id, village) VALUES ($1, $2)")
                .bind(Id(account_id))
                .bind(kode(*v))
                .execute(w.conn())
                .await?;
        }
        let before = json!({ "assigned_villages": before.iter().map(|r| r.0).collect::<Vec<_>>() });
        let after =
            json!({ "assigned_villages": villages.iter().map(|v| kode(*v)).collect::<Vec<_>>() });
        w.log(Change {
            village: None,
            entity: Entity::Account,
            entity_id: account_id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.commit().await
    }
}
