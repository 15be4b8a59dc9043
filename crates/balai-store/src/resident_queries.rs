//! Finding residents: filtered, paginated lists; NIK prefix and name search.

use balai_domain::codes::{Agama, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin};
use balai_domain::person_name::search_key;
use balai_domain::{KodeWilayah, NoKk, PersonName, ResidentNumber};
use sqlx::{AssertSqlSafe, Row};
use time::Date;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{date_from_day_number, day_number, kode, number_from};

/// What to list. Every field narrows the list; `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct ResidentFilter {
    /// Digits: a NIK (or temporary number) prefix. Otherwise: words that must
    /// all occur in the name, ignoring case and accents.
    pub query: Option<String>,
    /// Dusun name, exact.
    pub dusun: Option<String>,
    /// RW, as stored (`001`, `-`).
    pub rw: Option<String>,
    /// RT, as stored.
    pub rt: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Minimum age in whole years.
    pub min_age: Option<u16>,
    /// Maximum age in whole years.
    pub max_age: Option<u16>,
    /// Basic status.
    pub status: Option<StatusDasar>,
    /// Education.
    pub education: Option<PendidikanKk>,
    /// Occupation.
    pub occupation: Option<Pekerjaan>,
    /// Religion.
    pub religion: Option<Agama>,
    /// Marital status.
    pub marital_status: Option<StatusKawin>,
}

/// One line of a resident list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentListItem {
    /// Resident id.
    pub id: Uuid,
    /// NIK or temporary number.
    pub number: ResidentNumber,
    /// Name.
    pub name: PersonName,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: Date,
    /// Relationship to the family head.
    pub relationship: Shdk,
    /// Status.
    pub status: StatusDasar,
    /// Family id.
    pub family_id: Option<Uuid>,
    /// Family card number.
    pub no_kk: Option<NoKk>,
    /// Dusun.
    pub dusun: Option<String>,
    /// RW.
    pub rw: Option<String>,
    /// RT.
    pub rt: Option<String>,
}

/// A page of results and the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentPage {
    /// The residents on this page.
    pub items: Vec<ResidentListItem>,
    /// How many residents match in all.
    pub total: i64,
}

/// Parameters bound in order.
enum Param {
    Int(i64),
    Text(String),
}

/// Builds the WHERE clause of a filter. Values are always bound, never spliced.
fn where_clause(village: KodeWilayah, f: &ResidentFilter, today: Date) -> (String, Vec<Param>) {
    let mut sql = String::from("r.village = $1");
    let mut p = vec![Param::Int(kode(village))];
    // Each clause has one `?`, numbered here: `$n` is the placeholder both
    // backends read (few enough for SQLite's named lookup to cost nothing).
    let mut cond = |clause: &str, param: Param| {
        sql.push_str(" AND ");
        p.push(param);
        sql.push_str(&clause.replacen('?', &format!("${}", p.len()), 1));
    };
    if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.len() <= 16 && q.bytes().all(|b| b.is_ascii_digit()) {
            // A prefix of a 16-digit number is a range of numbers.
            let pad = 16 - q.len() as u32;
            let lo: i64 = q.parse::<i64>().unwrap_or(0) * 10_i64.pow(pad);
            let hi = lo + 10_i64.pow(pad) - 1;
            cond("r.number >= ?", Param::Int(lo));
            cond("r.number <= ?", Param::Int(hi));
        } else {
            for word in search_key(q).split(' ').filter(|w| !w.is_empty()).take(8) {
                let escaped = word
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                cond(
                    "r.name_key LIKE ? ESCAPE '\\'",
                    Param::Text(format!("%{escaped}%")),
                );
            }
        }
    }
    if let Some(v) = &f.dusun {
        cond("f.dusun = ?", Param::Text(v.clone()));
    }
    if let Some(v) = &f.rw {
        cond("f.rw = ?", Param::Text(v.clone()));
    }
    if let Some(v) = &f.rt {
        cond("f.rt = ?", Param::Text(v.clone()));
    }
    let code = |c: u8| Param::Int(i64::from(c));
    if let Some(v) = f.sex {
        cond("r.sex = ?", code(v.code()));
    }
    if let Some(v) = f.status {
        cond("r.status = ?", code(v.code()));
    }
    if let Some(v) = f.education {
        cond("r.education = ?", code(v.code()));
    }
    if let Some(v) = f.occupation {
        cond("r.occupation = ?", code(v.code()));
    }
    if let Some(v) = f.religion {
        cond("r.religion = ?", code(v.code()));
    }
    if let Some(v) = f.marital_status {
        cond("r.marital_status = ?", code(v.code()));
    }
    // Age a ⇔ born in (today − (a+1) years, today − a years]. Ages past
    // anyone's reach are capped, so a typed 12100 finds no one instead of
    // asking for a year the calendar does not have.
    let cap = |a: u16| a.min(MAX_AGE);
    if let Some(min) = f.min_age.map(cap) {
        cond(
            "r.birth_date <= ?",
            Param::Int(day_number(years_before(today, i32::from(min)))),
        );
    }
    if let Some(max) = f.max_age.map(cap) {
        cond(
            "r.birth_date > ?",
            Param::Int(day_number(years_before(today, i32::from(max) + 1))),
        );
    }
    (sql, p)
}

/// Older than anyone lives: filters by age stop here.
const MAX_AGE: u16 = 200;

/// The same calendar day `years` earlier (29 February falls back to the 28th).
fn years_before(d: Date, years: i32) -> Date {
    let y = d.year() - years;
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, d.month(), 28))
        .expect("the 28th exists in every month")
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for p in params {
        q = match p {
            Param::Int(i) => q.bind(*i),
            Param::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// One page (1-based `page`, `per_page` rows) of the residents of `village`
    /// matching `filter`, ordered by name; ages are computed on `today`.
    pub async fn list_residents(
        &self,
        village: KodeWilayah,
        filter: &ResidentFilter,
        today: Date,
        page: u32,
        per_page: u32,
    ) -> Result<ResidentPage, StoreError> {
        // PostgreSQL refuses a NUL in a text parameter (an error, not "no
        // rows"); no stored name holds one, so such a filter matches nothing.
        let texts = [&filter.query, &filter.dusun, &filter.rw, &filter.rt];
        if texts
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| t.contains('\0')))
        {
            return Ok(ResidentPage {
                items: Vec::new(),
                total: 0,
            });
        }
        let (cond, params) = where_clause(village, filter, today);
        let needs_family = filter.dusun.is_some() || filter.rw.is_some() || filter.rt.is_some();
        let from =
            "FROM resident r LEFT JOIN family f ON f.village = r.village AND f.id = r.family_id";
        let count_sql = if needs_family {
            format!("SELECT COUNT(*) {from} WHERE {cond}")
        } else {
            format!("SELECT COUNT(*) FROM resident r WHERE {cond}")
        };
        let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), &params)
            .fetch_one(self.pool())
            .await?
            .try_get(0)?;
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        // Page first, then join: the family row is fetched for the rows shown,
        // not for every row an OFFSET skips.
        let page_sql = if needs_family {
            format!(
                "SELECT r.* {from} WHERE {cond} ORDER BY r.name_key, r.id LIMIT {per_page} OFFSET {offset}"
            )
        } else {
            format!(
                "SELECT r.* FROM resident r WHERE {cond} ORDER BY r.name_key, r.id LIMIT {per_page} OFFSET {offset}"
            )
        };
        let list_sql = format!(
            "SELECT r.id, r.number, r.name, r.sex, r.birth_date, r.relationship, r.status, r.family_id, f.no_kk, f.dusun, f.rw, f.rt
             FROM ({page_sql}) r LEFT JOIN family f ON f.village = r.village AND f.id = r.family_id ORDER BY r.name_key, r.id"
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(list_sql)), &params)
            .fetch_all(self.pool())
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let code = |i: usize| -> Result<u8, StoreError> {
                u8::try_from(row.try_get::<i64, _>(i)?).map_err(corrupt)
            };
            let no_kk: Option<i64> = row.try_get(8)?;
            items.push(ResidentListItem {
                id: row.try_get::<Id, _>(0)?.0,
                number: number_from(row.try_get(1)?)?,
                name: PersonName::parse(row.try_get::<&str, _>(2)?).map_err(corrupt)?,
                sex: Sex::from_code(code(3)?).ok_or_else(|| corrupt("sex"))?,
                birth_date: date_from_day_number(row.try_get(4)?)?,
                relationship: Shdk::from_code(code(5)?).ok_or_else(|| corrupt("relationship"))?,
                status: StatusDasar::from_code(code(6)?).ok_or_else(|| corrupt("status"))?,
                family_id: row.try_get::<Option<Id>, _>(7)?.map(Uuid::from),
                no_kk: no_kk
                    .map(|n| NoKk::parse(&format!("{n:016}")).map_err(corrupt))
                    .transpose()?,
                dusun: row.try_get(9)?,
                rw: row.try_get(10)?,
                rt: row.try_get(11)?,
            });
        }
        Ok(ResidentPage { items, total })
    }

    /// The next unused temporary-number sequence of `village`.
    pub async fn next_temporary_seq(&self, village: KodeWilayah) -> Result<u32, StoreError> {
        // Temporary numbers are 0 + village code + 5-digit sequence, i.e. village × 10^5 + seq.
        let base = kode(village) * 100_000;
        let (max,): (Option<i64>,) = sqlx::query_as(
            "SELECT MAX(number) FROM resident WHERE village = $1 AND number > $2 AND number < $3",
        )
        .bind(kode(village))
        .bind(base)
        .bind(base + 100_000)
        .fetch_one(self.pool())
        .await?;
        Ok(max.map(|m| (m - base) as u32 + 1).unwrap_or(1))
    }

    /// The life events of a resident of `village`, in date order.
    pub async fn events_of(
        &self,
        village: KodeWilayah,
        resident_id: Uuid,
    ) -> Result<Vec<balai_domain::life_event::LifeEvent>, StoreError> {
        let rows: Vec<(Id, i64, i64, Option<String>)> =
            sqlx::query_as("SELECT id, kind, occurred_on, particulars FROM life_event WHERE village = $1 AND resident_id = $2 ORDER BY occurred_on, created_seq")
                .bind(kode(village))
                .bind(crate::row_codec::Id(resident_id))
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(id, kind, on, particulars)| {
                Ok(balai_domain::life_event::LifeEvent {
                    id: id.into(),
                    resident_id,
                    kind: u8::try_from(kind)
                        .ok()
                        .and_then(balai_domain::codes::Peristiwa::from_code)
                        .ok_or_else(|| corrupt("event kind"))?,
                    occurred_on: date_from_day_number(on)?,
                    particulars: particulars
                        .map(|p| serde_json::from_str(&p).map_err(|_| corrupt("event particulars")))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Every resident's sex and registration status, and every life event, of
    /// a village: what the mutation report replays.
    pub async fn village_history(
        &self,
        village: KodeWilayah,
    ) -> Result<
        (
            Vec<(Uuid, Sex, Option<StatusDasar>)>,
            Vec<balai_domain::life_event::LifeEvent>,
        ),
        StoreError,
    > {
        let people: Vec<(Id, i64, Option<i64>)> =
            sqlx::query_as("SELECT id, sex, baseline_status FROM resident WHERE village = $1")
                .bind(kode(village))
                .fetch_all(self.pool())
                .await?;
        let people = people
            .into_iter()
            .map(|(id, sex, base)| {
                let sex = u8::try_from(sex)
                    .ok()
                    .and_then(Sex::from_code)
                    .ok_or_else(|| corrupt("sex"))?;
                let base = base
                    .map(|b| {
                        u8::try_from(b)
                            .ok()
                            .and_then(StatusDasar::from_code)
                            .ok_or_else(|| corrupt("status"))
                    })
                    .transpose()?;
                Ok((id.0, sex, base))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let rows: Vec<(Id, Id, i64, i64, Option<String>)> =
            sqlx::query_as("SELECT id, resident_id, kind, occurred_on, particulars FROM life_event WHERE village = $1 ORDER BY occurred_on, created_seq")
                .bind(kode(village))
                .fetch_all(self.pool())
                .await?;
        let events = rows
            .into_iter()
            .map(|(id, resident_id, kind, on, particulars)| {
                Ok(balai_domain::life_event::LifeEvent {
                    id: id.into(),
                    resident_id: resident_id.into(),
                    kind: u8::try_from(kind)
                        .ok()
                        .and_then(balai_domain::codes::Peristiwa::from_code)
                        .ok_or_else(|| corrupt("event kind"))?,
                    occurred_on: date_from_day_number(on)?,
                    particulars: particulars
                        .map(|p| serde_json::from_str(&p).map_err(|_| corrupt("event particulars")))
                        .transpose()?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((people, events))
    }

    /// The distinct dusun, RW and RT of a village, for filter menus.
    pub async fn wilayah_units(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT dusun, rw, rt FROM family WHERE village = $1 ORDER BY dusun, rw, rt",
        )
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ages_become_birth_date_bounds() {
        assert_eq!(
            years_before(date!(2024 - 02 - 29), 1),
            date!(2023 - 02 - 28)
        );
        let (sql, params) = where_clause(
            KodeWilayah::parse("3310012001").unwrap(),
            &ResidentFilter {
                min_age: Some(17),
                query: Some("3310".into()),
                ..Default::default()
            },
            date!(2026 - 11 - 22),
        );
        assert_eq!(
            sql,
            "r.village = $1 AND r.number >= $2 AND r.number <= $3 AND r.birth_date <= $4"
        );
        assert!(matches!(params[1], Param::Int(3_310_000_000_000_000)));
        assert!(matches!(params[2], Param::Int(3_310_999_999_999_999)));
    }

    #[test]
    fn name_words_are_escaped_and_bound() {
        let (sql, params) = where_clause(
            KodeWilayah::parse("3310012001").unwrap(),
            &ResidentFilter {
                query: Some("Sri 50%_ ".into()),
                ..Default::default()
            },
            date!(2026 - 11 - 22),
        );
        assert_eq!(sql.matches(" LIKE $").count(), 2);
        assert!(sql.contains("LIKE $3 ESCAPE"), "{sql}");
        assert!(matches!(&params[2], Param::Text(t) if t == "%50\\%\\_%"));
    }
}
