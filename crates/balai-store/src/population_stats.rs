//! Population figures kept current on write (`population_stat`). Every write
//! that changes residents or families computes what the rows it touches
//! contributed before and after ([`Contribution`], the definition being
//! `balai_domain::population_stats::Counts`) and adds the difference to
//! the RT, village and regency rows in the same transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use balai_domain::family::Family;
use balai_domain::population_stats::{Counts, Dimension};
use balai_domain::{KodeWilayah, Resident};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow, Row};
use time::Date;
use uuid::Uuid;

use crate::db::Store;
use crate::dialect::values_clause;
use crate::error::StoreError;
use crate::residents::{RESIDENT_COLUMNS, ResidentRow};
use crate::row_codec::kode;

/// Where a resident or family is counted: village code, dusun, RW, RT (all
/// '' for a resident without a family card).
pub type Part = (i64, String, String, String);

/// What some rows contribute to the figures, per RT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contribution(pub BTreeMap<Part, Counts>);

impl Contribution {
    fn part(&mut self, p: Part) -> &mut Counts {
        self.0.entry(p).or_default()
    }

    /// Counts `r`, living in `part`.
    pub fn add_resident(&mut self, part: Part, r: &Resident, sign: i64) {
        self.part(part).add_resident(r, sign);
    }

    /// Counts a family card in `part`.
    pub fn add_family(&mut self, part: Part, sign: i64) {
        self.part(part).add_family(sign);
    }

    /// `self − other`, parts with nothing left dropped.
    pub fn minus(mut self, other: &Contribution) -> Contribution {
        for (p, c) in &other.0 {
            self.part(p.clone()).merge(c, -1);
        }
        self.0.retain(|_, c| !c.is_empty());
        self
    }
}

/// The part of a family card.
pub(crate) fn family_part(f: &Family) -> Part {
    (
        kode(f.village),
        f.wilayah.dusun().to_string(),
        f.wilayah.rw().to_string(),
        f.wilayah.rt().to_string(),
    )
}

fn no_part(village: i64) -> Part {
    (village, String::new(), String::new(), String::new())
}

/// Which rows to read.
pub(crate) enum Rows<'a> {
    /// These residents, every member of these families, and these families.
    Some {
        residents: &'a [Uuid],
        families: &'a [Uuid],
    },
    /// The whole village.
    Village,
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// What the selected rows of `village` contribute now (as this transaction sees them).
pub(crate) async fn contribution(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    rows: Rows<'_>,
) -> Result<Contribution, StoreError> {
    let v = kode(village);
    let cols: String = RESIDENT_COLUMNS
        .split(',')
        .map(|c| format!("r.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let (res_filter, fam_filter, ids): (String, String, Vec<Uuid>) = match rows {
        Rows::Village => (String::new(), String::new(), Vec::new()),
        Rows::Some {
            residents,
            families,
        } => {
            if residents.is_empty() && families.is_empty() {
                return Ok(Contribution::default());
            }
            let (nr, nf) = (residents.len(), families.len());
            let mut conds = Vec::new();
            if nr > 0 {
                conds.push(format!("r.id IN ({})", placeholders(2, nr)));
            }
            if nf > 0 {
                conds.push(format!("r.family_id IN ({})", placeholders(2 + nr, nf)));
            }
            let fam = if nf > 0 {
                format!(" AND id IN ({})", placeholders(2, nf))
            } else {
                " AND 0 = 1".to_string()
            };
            let ids = residents.iter().chain(families).copied().collect();
            (format!(" AND ({})", conds.join(" OR ")), fam, ids)
        }
    };
    let mut out = Contribution::default();
    let sql = format!(
        "SELECT {cols}, f.dusun AS f_dusun, f.rw AS f_rw, f.rt AS f_rt FROM resident r
         LEFT JOIN family f ON f.id = r.family_id WHERE r.village = $1{res_filter}"
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(v);
    for id in &ids {
        q = q.bind(crate::row_codec::Id(*id));
    }
    for row in q.fetch_all(&mut *conn).await? {
        let part: Option<(String, String, String)> =
            match row.try_get::<Option<String>, _>("f_dusun")? {
                Some(d) => Some((d, row.try_get("f_rw")?, row.try_get("f_rt")?)),
                None => None,
            };
        let r = ResidentRow::from_row(&row)?.into_domain()?;
        let part = part.map_or_else(|| no_part(v), |(d, rw, rt)| (v, d, rw, rt));
        out.add_resident(part, &r, 1);
    }
    // Families are listed by id only (members are found above through family_id).
    let fam_ids: &[Uuid] = match rows {
        Rows::Some { families, .. } => families,
        Rows::Village => &[],
    };
    let fam_sql = format!("SELECT dusun, rw, rt FROM family WHERE village = $1{fam_filter}");
    let mut q = sqlx::query_as::<_, (String, String, String)>(AssertSqlSafe(fam_sql)).bind(v);
    for id in fam_ids {
        q = q.bind(crate::row_codec::Id(*id));
    }
    for (d, rw, rt) in q.fetch_all(&mut *conn).await? {
        out.add_family((v, d, rw, rt), 1);
    }
    Ok(out)
}

/// The rows `delta` changes, per (area, scope, dusun, rw, rt, dimension, code, sex).
type StatRows = HashMap<(i64, i64, String, String, String, i64, i64, i64), i64>;

const SCOPE_REGENCY: i64 = 1;
const SCOPE_VILLAGE: i64 = 2;
const SCOPE_RT: i64 = 3;
const STAT_COLS: usize = 9;
const CHUNK: usize = 1024;

/// Adds `delta` to the kept figures (RT, village and regency rows) and bumps
/// the generation, on the caller's transaction.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    delta: &Contribution,
) -> Result<(), StoreError> {
    let rows = delta_rows(delta);
    for chunk in rows.chunks(CHUNK) {
        // Positional placeholders (dialect.rs): SQLite resolves `$n` names
        // with a linear search, quadratic on a 9,000-parameter statement.
        let sql = upsert_sql(crate::backend::Backend::of(conn), chunk.len());
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((area, scope, d, rw, rt, dim, code, sex), n) in chunk {
            q = q
                .bind(*area)
                .bind(*scope)
                .bind(d.as_str())
                .bind(rw.as_str())
                .bind(rt.as_str())
                .bind(*dim)
                .bind(*code)
                .bind(*sex)
                .bind(*n);
        }
        q.execute(&mut *conn).await?;
    }
    sqlx::query(BUMP_GENERATION).execute(&mut *conn).await?;
    Ok(())
}

/// [`apply`] on a PostgreSQL bulk load's own connection.
pub(crate) async fn apply_bulk(
    tx: &mut crate::backend::postgres::BulkTx,
    delta: &Contribution,
) -> Result<(), StoreError> {
    use crate::backend::postgres::Param;
    let rows = delta_rows(delta);
    for chunk in rows.chunks(CHUNK) {
        let sql = upsert_sql(crate::backend::Backend::Postgres, chunk.len());
        let mut params = Vec::with_capacity(chunk.len() * STAT_COLS);
        for ((area, scope, d, rw, rt, dim, code, sex), n) in chunk {
            params.extend([
                Param::Int(*area),
                Param::Int(*scope),
                Param::Text(d),
                Param::Text(rw),
                Param::Text(rt),
                Param::Int(*dim),
                Param::Int(*code),
                Param::Int(*sex),
                Param::Int(*n),
            ]);
        }
        tx.execute(sql, params).await?;
    }
    tx.execute(BUMP_GENERATION.into(), Vec::new()).await
}

const BUMP_GENERATION: &str =
    "UPDATE population_stat_state SET generation = generation + 1 WHERE id = 1";

type StatRow = ((i64, i64, String, String, String, i64, i64, i64), i64);

/// The kept rows `delta` changes (RT, village and regency rows), nonzero.
fn delta_rows(delta: &Contribution) -> Vec<StatRow> {
    let mut rows: StatRows = HashMap::new();
    let empty = String::new;
    for ((village, d, rw, rt), counts) in &delta.0 {
        let regency = village / 1_000_000;
        for ((dim, code, sex), n) in counts.iter() {
            let dim = dim.number();
            for key in [
                (*village, SCOPE_RT, d.clone(), rw.clone(), rt.clone()),
                (*village, SCOPE_VILLAGE, empty(), empty(), empty()),
                (regency, SCOPE_REGENCY, empty(), empty(), empty()),
            ] {
                *rows
                    .entry((key.0, key.1, key.2, key.3, key.4, dim, code, sex))
                    .or_insert(0) += n;
            }
        }
    }
    let mut rows: Vec<StatRow> = rows.into_iter().filter(|(_, n)| *n != 0).collect();
    // Every transaction takes the row locks in one order, so two villages'
    // writes never deadlock on their regency's shared rows; those come last,
    // to be held only from the end of the write to its commit.
    rows.sort_by(|(a, _), (b, _)| (a.1 == SCOPE_REGENCY, a).cmp(&(b.1 == SCOPE_REGENCY, b)));
    rows
}

fn upsert_sql(backend: crate::backend::Backend, rows: usize) -> String {
    let values = values_clause(backend, rows, STAT_COLS);
    format!(
        "INSERT INTO population_stat (area, scope, dusun, rw, rt, dimension, code, sex, n) VALUES {values}
         ON CONFLICT (area, scope, dusun, rw, rt, dimension, code, sex) DO UPDATE SET n = population_stat.n + excluded.n"
    )
}

/// Keeps the figures of a change to some residents and families: read what
/// they contribute before the change, then [`Tracker::finish`] after it.
pub(crate) struct Tracker {
    village: KodeWilayah,
    residents: Vec<Uuid>,
    families: Vec<Uuid>,
    before: Contribution,
}

impl Tracker {
    /// Reads what `residents`, `families` and the families' members contribute now.
    pub(crate) async fn start(
        conn: &mut AnyConnection,
        village: KodeWilayah,
        residents: impl IntoIterator<Item = Uuid>,
        families: impl IntoIterator<Item = Uuid>,
    ) -> Result<Tracker, StoreError> {
        let residents: Vec<Uuid> = residents
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let families: Vec<Uuid> = families
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let before = contribution(
            conn,
            village,
            Rows::Some {
                residents: &residents,
                families: &families,
            },
        )
        .await?;
        Ok(Tracker {
            village,
            residents,
            families,
            before,
        })
    }

    /// Reads the same rows again and keeps the difference.
    pub(crate) async fn finish(self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        let after = contribution(
            conn,
            self.village,
            Rows::Some {
                residents: &self.residents,
                families: &self.families,
            },
        )
        .await?;
        apply(conn, &after.minus(&self.before)).await
    }
}

/// Which area's figures to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatArea {
    /// A whole regency (a regency code).
    Regency(KodeWilayah),
    /// A whole village.
    Village(KodeWilayah),
    /// A dusun of a village, or one RW of it, or one RT of that RW.
    Part {
        /// The village.
        village: KodeWilayah,
        /// The dusun.
        dusun: String,
        /// An RW of the dusun (all if `None`).
        rw: Option<String>,
        /// An RT of the RW (all if `None`; needs `rw`).
        rt: Option<String>,
    },
}

fn counts_from(rows: Vec<(i64, i64, i64, i64)>) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for (dim, code, sex, n) in rows {
        let dim = Dimension::from_number(dim)
            .ok_or_else(|| StoreError::Corrupt(format!("{dim} is not a statistics dimension")))?;
        counts.add((dim, code, sex), n);
    }
    Ok(counts)
}

impl Store {
    /// The kept counts of `area` for reading figures on day `on`: every
    /// dimension that does not depend on the day, plus the birth months and
    /// this month's birth days folded into ages ([`Dimension::Age`]) in
    /// SQL, the way `balai_domain::population_stats::age_of` folds them
    /// (tested equal). A regency then reads a few hundred rows instead of
    /// every birth date of the month.
    pub async fn population_counts(&self, area: &StatArea, on: Date) -> Result<Counts, StoreError> {
        let (year, month, day) = (
            i64::from(on.year()),
            i64::from(u8::from(on.month())),
            i64::from(on.day()),
        );
        // $1 area, $2 scope, $3..$5 the day, $6 the fixed bound, $7 birth
        // month, $8 age, $9 this month's birth days, then the part's names.
        let (scope, filter, names): (i64, &str, Vec<&str>) = match area {
            StatArea::Regency(_) => (
                SCOPE_REGENCY,
                " AND dusun = '' AND rw = '' AND rt = ''",
                vec![],
            ),
            StatArea::Village(_) => (
                SCOPE_VILLAGE,
                " AND dusun = '' AND rw = '' AND rt = ''",
                vec![],
            ),
            StatArea::Part { dusun, rw, rt, .. } => {
                // An RT is only asked within its RW (an RT number repeats across RWs).
                match (rw, rt) {
                    (Some(rw), Some(rt)) => (
                        SCOPE_RT,
                        " AND dusun = $10 AND rw = $11 AND rt = $12",
                        vec![dusun.as_str(), rw.as_str(), rt.as_str()],
                    ),
                    (Some(rw), None) => (
                        SCOPE_RT,
                        " AND dusun = $10 AND rw = $11",
                        vec![dusun.as_str(), rw.as_str()],
                    ),
                    (None, _) => (SCOPE_RT, " AND dusun = $10", vec![dusun.as_str()]),
                }
            }
        };
        let code = match area {
            StatArea::Regency(k) | StatArea::Village(k) => *k,
            StatArea::Part { village, .. } => *village,
        };
        // Grouping by computed columns also keeps SQLite off the
        // (scope, dimension, area) index, whose order a plain GROUP BY
        // dimension would tempt it to use: the key (area, scope, …) is the
        // one that finds an area's rows.
        let sql = format!(
            "SELECT dim, c, sex, CAST(SUM(n) AS BIGINT) FROM (
                SELECT CASE WHEN dimension < $6 THEN dimension ELSE $8 END AS dim,
                       CASE WHEN dimension < $6 THEN code
                            WHEN dimension = $7 THEN $3 - code / 12
                                 - CASE WHEN code % 12 + 1 > $4 THEN 1 ELSE 0 END
                            ELSE $3 - code / 100 - CASE WHEN code % 100 > $5 THEN 1 ELSE 0 END
                       END AS c,
                       sex, n
                  FROM population_stat
                 WHERE area = $1 AND scope = $2{filter}
                   AND (dimension < $6 OR (dimension = $7 AND code % 12 + 1 <> $4) OR dimension = $9)
             ) t GROUP BY dim, c, sex"
        );
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(kode(code))
            .bind(scope)
            .bind(year)
            .bind(month)
            .bind(day)
            .bind(Dimension::FIXED_BELOW)
            .bind(Dimension::BirthMonth.number())
            .bind(Dimension::Age.number())
            .bind(Dimension::BirthDay(u8::from(on.month())).number());
        for name in names {
            q = q.bind(name);
        }
        let rows: Vec<(i64, i64, i64, i64)> = q.fetch_all(self.pool()).await?;
        counts_from(rows)
    }

    /// The dusun, RW and RT of `village` that have kept figures (family
    /// cards with residents), sorted: the parts its statistics can be shown for.
    pub async fn stat_parts(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT dusun, rw, rt FROM population_stat
             WHERE area = $1 AND scope = $2 AND dusun <> '' ORDER BY dusun, rw, rt",
        )
        .bind(kode(village))
        .bind(SCOPE_RT)
        .fetch_all(self.pool())
        .await?)
    }

    /// Every kept count of `village` per RT (all months' birth dates), for
    /// comparing with [`Store::population_counts_from_rows`].
    pub async fn kept_population_counts(
        &self,
        village: KodeWilayah,
    ) -> Result<Contribution, StoreError> {
        let rows: Vec<(String, String, String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT dusun, rw, rt, dimension, code, sex, n FROM population_stat WHERE area = $1 AND scope = 3",
        )
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        let mut out = Contribution::default();
        for (d, rw, rt, dim, code, sex, n) in rows {
            let dim = Dimension::from_number(dim).ok_or_else(|| {
                StoreError::Corrupt(format!("{dim} is not a statistics dimension"))
            })?;
            out.part((kode(village), d, rw, rt))
                .add((dim, code, sex), n);
        }
        out.0.retain(|_, c| !c.is_empty());
        Ok(out)
    }

    /// Every kept count of a whole village or regency, all months' birth dates.
    pub async fn kept_whole_counts(&self, area: &StatArea) -> Result<Counts, StoreError> {
        let (k, scope) = match area {
            StatArea::Regency(k) => (k, SCOPE_REGENCY),
            StatArea::Village(k) => (k, SCOPE_VILLAGE),
            StatArea::Part { .. } => {
                return Err(StoreError::Conflict("a whole area is needed".into()));
            }
        };
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT dimension, code, sex, n FROM population_stat WHERE area = $1 AND scope = $2",
        )
        .bind(kode(*k))
        .bind(scope)
        .fetch_all(self.pool())
        .await?;
        counts_from(rows)
    }

    /// The figures of `village` counted afresh from its resident and family
    /// rows, per RT: what the kept figures must equal.
    pub async fn population_counts_from_rows(
        &self,
        village: KodeWilayah,
    ) -> Result<Contribution, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let mut c = contribution(&mut conn, village, Rows::Village).await?;
        c.0.retain(|_, c| !c.is_empty());
        Ok(c)
    }

    /// Living residents and family cards per village inside `within` (all if
    /// `None`), from the kept figures: (village code, population, families).
    pub(crate) async fn village_headlines(
        &self,
        lo: i64,
        hi: i64,
    ) -> Result<HashMap<i64, (i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT area, dimension, code, CAST(SUM(n) AS BIGINT) FROM population_stat
             WHERE scope = 2 AND dimension IN ($1, $2) AND area BETWEEN $3 AND $4
             GROUP BY area, dimension, code",
        )
        .bind(Dimension::Families.number())
        .bind(Dimension::Status.number())
        .bind(lo)
        .bind(hi)
        .fetch_all(self.pool())
        .await?;
        let living = i64::from(balai_domain::codes::StatusDasar::Hidup.code());
        let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
        for (area, dim, code, n) in rows {
            let e = out.entry(area).or_default();
            if dim == Dimension::Families.number() {
                e.1 += n;
            } else if code == living {
                e.0 += n;
            }
        }
        Ok(out)
    }

    /// A number that changes whenever any figure changes (for caches of
    /// rendered aggregates).
    pub async fn population_stats_generation(&self) -> Result<i64, StoreError> {
        let (g,): (i64,) =
            sqlx::query_as("SELECT generation FROM population_stat_state WHERE id = 1")
                .fetch_one(self.pool())
                .await?;
        Ok(g)
    }

    /// Counts the figures of rows that existed before the statistics table
    /// (a database migrated to 0008): once, on open.
    pub(crate) async fn build_population_stats(&self) -> Result<(), StoreError> {
        let (built,): (i64,) =
            sqlx::query_as("SELECT built FROM population_stat_state WHERE id = 1")
                .fetch_one(self.pool())
                .await?;
        if built != 0 {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM population_stat")
            .execute(&mut *tx)
            .await?;
        let villages: Vec<(i64,)> = sqlx::query_as("SELECT kode FROM village ORDER BY kode")
            .fetch_all(&mut *tx)
            .await?;
        for (v,) in villages {
            let v = crate::row_codec::kode_from(v)?;
            let c = contribution(&mut tx, v, Rows::Village).await?;
            apply(&mut tx, &c).await?;
        }
        sqlx::query("UPDATE population_stat_state SET built = 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.stat_written();
        Ok(())
    }
}
