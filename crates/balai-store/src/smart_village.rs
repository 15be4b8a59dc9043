//! The raw counts behind the smart-village pillars scorecard
//! (`balai_domain::smart_village`): per village inside an area, over one
//! period. Counts and instants only: nothing here names a resident.

use std::collections::HashMap;

use balai_domain::regency::KeyCount;
use balai_domain::{KodeWilayah, RegionLevel};
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};

use crate::db::Store;
use crate::error::StoreError;
use crate::regency::kept_sums_sql;
use crate::row_codec::{code_range, date_from_day_number, day_number, instant_from_millis, millis};

/// What to count over: a period of days (and the same period as
/// instants), and the codes the domain's definitions name.
#[derive(Debug, Clone)]
pub struct PillarPeriod {
    /// The period's first day (village time).
    pub first: Date,
    /// Its last day.
    pub last: Date,
    /// The instant the period starts.
    pub from: OffsetDateTime,
    /// The instant the next period starts.
    pub until: OffsetDateTime,
    /// The year complaints and sign-ups are numbered in.
    pub year: i32,
    /// The stored code of requests made from home.
    pub online_channel: &'static str,
    /// Complaint status codes that count as answered.
    pub answered: Vec<i64>,
    /// The sign-up status code of a cancelled sign-up.
    pub cancelled_signup: i64,
    /// The first and last stored month number of the period's reports.
    pub months: (i64, i64),
}

/// One village's counts over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PillarCounts {
    /// Letters issued.
    pub letters: i64,
    /// Of those, issued on a resident's own request (online or kiosk).
    pub self_requested: i64,
    /// Of those, requested online (from home).
    pub online: i64,
    /// Of the self-requested, issued within 24 hours of the request.
    pub within_a_day: i64,
    /// Complaints filed in the year: (category code, filed, answered).
    pub complaints: Vec<(i64, i64, i64)>,
    /// The distinct days a news post was published.
    pub news_days: Vec<Date>,
    /// Sign-ups to activities, cancelled ones left out.
    pub signups: i64,
    /// Published activities starting in the period.
    pub activities: i64,
    /// Monthly reports of the period's months: (month number, submitted at).
    pub reports: Vec<(i64, OffsetDateTime)>,
}

const DAY_MILLIS: i64 = 86_400_000;

impl Store {
    /// The counts of every village inside `within` over `p`, by village
    /// code (villages with nothing in the period are absent).
    pub async fn pillar_counts(
        &self,
        within: KodeWilayah,
        p: &PillarPeriod,
    ) -> Result<HashMap<i64, PillarCounts>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let mut out: HashMap<i64, PillarCounts> = HashMap::new();
        // A letter's instant is its change-log entry's: `issued_on` is a day.
        let letters: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT l.village, CAST(COUNT(*) AS BIGINT),
                    CAST(SUM(CASE WHEN r.id IS NULL THEN 0 ELSE 1 END) AS BIGINT),
                    CAST(SUM(CASE WHEN r.channel = $5 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN r.id IS NOT NULL AND c.at - r.created_at <= $6 THEN 1 ELSE 0 END) AS BIGINT)
             FROM letter l
             JOIN change_log c ON c.seq = l.created_seq
             LEFT JOIN letter_request r ON r.village = l.village AND r.letter_id = l.id
             WHERE l.village BETWEEN $1 AND $2 AND l.issued_on BETWEEN $3 AND $4
             GROUP BY l.village",
        )
        .bind(lo)
        .bind(hi)
        .bind(day_number(p.first))
        .bind(day_number(p.last))
        .bind(p.online_channel)
        .bind(DAY_MILLIS)
        .fetch_all(self.pool())
        .await?;
        for (v, n, own, online, quick) in letters {
            let e = out.entry(v).or_default();
            e.letters = n;
            e.self_requested = own;
            e.online = online;
            e.within_a_day = quick;
        }
        let answered = p
            .answered
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let answered = if answered.is_empty() {
            "NULL".to_string()
        } else {
            answered
        };
        let complaints: Vec<(i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT village, category, CAST(COUNT(*) AS BIGINT),
                    CAST(SUM(CASE WHEN status IN ({answered}) THEN 1 ELSE 0 END) AS BIGINT)
             FROM complaint WHERE village BETWEEN $1 AND $2 AND year = $3
             GROUP BY village, category ORDER BY village, category"
        )))
        .bind(lo)
        .bind(hi)
        .bind(i64::from(p.year))
        .fetch_all(self.pool())
        .await?;
        for (v, category, filed, done) in complaints {
            out.entry(v)
                .or_default()
                .complaints
                .push((category, filed, done));
        }
        let news: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT DISTINCT village, published_on FROM news_post
             WHERE village BETWEEN $1 AND $2 AND published = 1
               AND published_on BETWEEN $3 AND $4
             ORDER BY village, published_on",
        )
        .bind(lo)
        .bind(hi)
        .bind(day_number(p.first))
        .bind(day_number(p.last))
        .fetch_all(self.pool())
        .await?;
        for (v, day) in news {
            out.entry(v)
                .or_default()
                .news_days
                .push(date_from_day_number(day)?);
        }
        let signups: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT village, CAST(COUNT(*) AS BIGINT) FROM activity_signup
             WHERE village BETWEEN $1 AND $2 AND year = $3 AND status <> $4 GROUP BY village",
        )
        .bind(lo)
        .bind(hi)
        .bind(i64::from(p.year))
        .bind(p.cancelled_signup)
        .fetch_all(self.pool())
        .await?;
        for (v, n) in signups {
            out.entry(v).or_default().signups = n;
        }
        let from = millis(p.from);
        let until = millis(p.until);
        let activities: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT village, CAST(COUNT(*) AS BIGINT) FROM activity
             WHERE village BETWEEN $1 AND $2 AND published = 1
               AND starts_at >= $3 AND starts_at < $4 GROUP BY village",
        )
        .bind(lo)
        .bind(hi)
        .bind(from)
        .bind(until)
        .fetch_all(self.pool())
        .await?;
        for (v, n) in activities {
            out.entry(v).or_default().activities = n;
        }
        let reports: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT village, month, submitted_at FROM report_submission
             WHERE village BETWEEN $1 AND $2 AND month BETWEEN $3 AND $4
             ORDER BY village, month",
        )
        .bind(lo)
        .bind(hi)
        .bind(p.months.0)
        .bind(p.months.1)
        .fetch_all(self.pool())
        .await?;
        for (v, month, at) in reports {
            out.entry(v)
                .or_default()
                .reports
                .push((month, instant_from_millis(at)?));
        }
        Ok(out)
    }

    /// The sums of `counts` over the kept statistics of every village
    /// inside `within`, by village code (the domain's definitions of the
    /// "now" figures, as [`Store::key_figures`] does for the key figures).
    pub async fn village_kept_sums(
        &self,
        within: KodeWilayah,
        counts: &[KeyCount],
    ) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let (sums, dims) = kept_sums_sql(counts);
        let sql = format!(
            "SELECT area, {sums} FROM population_stat
             WHERE scope = 2 AND area BETWEEN $1 AND $2 AND dimension IN ({dims})
             GROUP BY area"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(lo)
            .bind(hi)
            .fetch_all(self.pool())
            .await?;
        use sqlx::Row;
        let mut out = HashMap::new();
        for row in rows {
            let area: i64 = row.try_get(0)?;
            let values = (1..=counts.len())
                .map(|i| row.try_get::<i64, _>(i))
                .collect::<Result<Vec<_>, _>>()?;
            out.insert(area, values);
        }
        Ok(out)
    }

    /// When each village inside `within` began on Balai: its change
    /// feed's first entry, found through `(village, village_seq)`.
    pub async fn village_first_changes(
        &self,
        within: KodeWilayah,
    ) -> Result<HashMap<i64, OffsetDateTime>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT c.village, c.at FROM change_log c
             JOIN (SELECT village, MIN(village_seq) AS m FROM change_log
                   WHERE village BETWEEN $1 AND $2 GROUP BY village) t
               ON c.village = t.village AND c.village_seq = t.m",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(v, at)| Ok((v, instant_from_millis(at)?)))
            .collect()
    }

    /// Living residents holding a self-service PIN, of every village
    /// inside `within`, by village code; `living` is the stored status code.
    pub async fn residents_with_pin(
        &self,
        within: KodeWilayah,
        living: i64,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let (lo, hi) = code_range(Some(within), RegionLevel::Village);
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT p.village, CAST(COUNT(*) AS BIGINT) FROM resident_pin p
             JOIN resident r ON r.village = p.village AND r.id = p.resident_id
             WHERE p.village BETWEEN $1 AND $2 AND r.status = $3 GROUP BY p.village",
        )
        .bind(lo)
        .bind(hi)
        .bind(living)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }
}
