//! Family cards and their members.

use balai_domain::family::Family;
use balai_domain::life_event::is_resident;
use balai_domain::person_name::search_key;
use balai_domain::{KodeWilayah, NoKk, PersonName, Resident, Wilayah};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow, Row};
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::residents::{RESIDENT_COLUMNS, ResidentRow};
use crate::row_codec::Id;
use crate::row_codec::{kode, kode_from, no_kk};

/// A family card with its members, head first, then by relationship and age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyCard {
    /// The card.
    pub family: Family,
    /// Everyone recorded on it, including those who died or moved away.
    pub members: Vec<Resident>,
}

impl FamilyCard {
    /// The members who still belong to the household (the away and missing
    /// included): what the card lists, on screen and printed. The one
    /// definition, so a card after a head's death shows one head (issue 9).
    pub fn current_members(&self) -> impl Iterator<Item = &Resident> {
        self.members.iter().filter(|m| is_resident(m.status))
    }

    /// The dead and those who moved away, listed apart from the card.
    pub fn former_members(&self) -> impl Iterator<Item = &Resident> {
        self.members.iter().filter(|m| !is_resident(m.status))
    }
}

/// What to list of a village's family cards. `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct FamilyFilter {
    /// Digits: a No. KK prefix. Otherwise: words that must all occur in the
    /// current head's name, ignoring case and accents.
    pub query: Option<String>,
    /// Dusun name, exact.
    pub dusun: Option<String>,
    /// RW, as stored.
    pub rw: Option<String>,
    /// RT, as stored.
    pub rt: Option<String>,
}

/// One line of the family list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyListItem {
    /// The card.
    pub family: Family,
    /// The current head's name, if the card has one.
    pub head: Option<PersonName>,
    /// The current head's id.
    pub head_id: Option<Uuid>,
    /// How many current members the card has.
    pub members: i64,
}

/// A page of family cards and the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyPage {
    /// The cards on this page, by card number.
    pub items: Vec<FamilyListItem>,
    /// How many cards match in all.
    pub total: i64,
}

/// The statuses that keep someone on a card, as SQL (from the domain's
/// `is_resident`, so the list counts what the card shows).
fn current_statuses_sql() -> String {
    use balai_domain::codes::StatusDasar;
    [
        StatusDasar::Hidup,
        StatusDasar::Mati,
        StatusDasar::Pindah,
        StatusDasar::Hilang,
        StatusDasar::Pergi,
        StatusDasar::TidakValid,
    ]
    .into_iter()
    .filter(|s| is_resident(*s))
    .map(|s| s.code().to_string())
    .collect::<Vec<_>>()
    .join(", ")
}

type FamilyRow = (Id, i64, i64, String, String, String, String);

pub(crate) const FAMILY_COLUMNS: &str = "id, village, no_kk, address, dusun, rw, rt";

pub(crate) fn family_from_row(r: FamilyRow) -> Result<Family, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(e);
    Ok(Family {
        id: r.0.into(),
        village: kode_from(r.1)?,
        no_kk: NoKk::parse(&format!("{:016}", r.2)).map_err(|e| corrupt(e.to_string()))?,
        address: r.3,
        wilayah: Wilayah::parse(&r.4, &r.5, &r.6).map_err(|e| corrupt(e.to_string()))?,
    })
}

pub(crate) async fn fetch_family(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    id: Uuid,
) -> Result<Option<Family>, StoreError> {
    let row: Option<FamilyRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {FAMILY_COLUMNS} FROM family WHERE village = $1 AND id = $2"
    )))
    .bind(kode(village))
    .bind(crate::row_codec::Id(id))
    .fetch_optional(conn)
    .await?;
    row.map(family_from_row).transpose()
}

impl Store {
    /// A family of `village` with its members; another village's family is not found.
    pub async fn family_card(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<FamilyCard>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let Some(family) = fetch_family(&mut conn, village, id).await? else {
            return Ok(None);
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND family_id = $2 ORDER BY relationship, birth_date, id"
        )))
        .bind(kode(village))
        .bind(crate::row_codec::Id(id))
        .fetch_all(&mut *conn)
        .await?;
        let members = rows
            .iter()
            .map(|r| {
                ResidentRow::from_row(r)
                    .map_err(StoreError::from)
                    .and_then(ResidentRow::into_domain)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(FamilyCard { family, members }))
    }

    /// A family of `village` by its card number.
    pub async fn family_by_no_kk(
        &self,
        village: KodeWilayah,
        number: &NoKk,
    ) -> Result<Option<Family>, StoreError> {
        let row: Option<FamilyRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FAMILY_COLUMNS} FROM family WHERE village = $1 AND no_kk = $2"
        )))
        .bind(kode(village))
        .bind(no_kk(number))
        .fetch_optional(self.pool())
        .await?;
        row.map(family_from_row).transpose()
    }

    /// One page (1-based `page`, `per_page` rows) of the family cards of
    /// `village` matching `filter`, by card number, with each card's
    /// current head and number of current members.
    pub async fn list_families(
        &self,
        village: KodeWilayah,
        filter: &FamilyFilter,
        page: u32,
        per_page: u32,
    ) -> Result<FamilyPage, StoreError> {
        // PostgreSQL refuses a NUL in a text parameter (an error, not "no
        // rows"); no stored name holds one, so such a filter matches nothing.
        let texts = [&filter.query, &filter.dusun, &filter.rw, &filter.rt];
        if texts
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| t.contains('\0')))
        {
            return Ok(FamilyPage {
                items: Vec::new(),
                total: 0,
            });
        }
        let current = current_statuses_sql();
        let head = format!(
            "h.village = f.village AND h.family_id = f.id AND h.relationship = 1 AND h.status IN ({current})"
        );
        let mut cond = String::from("f.village = $1");
        let mut params: Vec<Result<i64, String>> = vec![Ok(kode(village))];
        let mut add = |clause: &str, p: Result<i64, String>| {
            params.push(p);
            cond.push_str(" AND ");
            cond.push_str(&clause.replacen('?', &format!("${}", params.len()), 1));
        };
        if let Some(q) = filter
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            if q.len() <= 16 && q.bytes().all(|b| b.is_ascii_digit()) {
                // A prefix of a 16-digit card number is a range of numbers.
                let pad = 16 - q.len() as u32;
                let lo: i64 = q.parse::<i64>().unwrap_or(0) * 10_i64.pow(pad);
                add("f.no_kk >= ?", Ok(lo));
                add("f.no_kk <= ?", Ok(lo + 10_i64.pow(pad) - 1));
            } else {
                for word in search_key(q).split(' ').filter(|w| !w.is_empty()).take(8) {
                    let escaped = word
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    add(
                        &format!(
                            "EXISTS (SELECT 1 FROM resident h WHERE {head} AND h.name_key LIKE ? ESCAPE '\\')"
                        ),
                        Err(format!("%{escaped}%")),
                    );
                }
            }
        }
        for (column, value) in [
            ("dusun", &filter.dusun),
            ("rw", &filter.rw),
            ("rt", &filter.rt),
        ] {
            if let Some(v) = value {
                add(&format!("f.{column} = ?"), Err(v.clone()));
            }
        }
        let bind = |sql: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for p in &params {
                q = match p {
                    Ok(i) => q.bind(*i),
                    Err(t) => q.bind(t.clone()),
                };
            }
            q
        };
        let total: i64 = bind(format!("SELECT COUNT(*) FROM family f WHERE {cond}"))
            .fetch_one(self.pool())
            .await?
            .try_get(0)?;
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        // Heads by subquery, not a join: a card whose data has two current
        // heads (an old import) still lists once.
        let sql = format!(
            "SELECT f.id, f.village, f.no_kk, f.address, f.dusun, f.rw, f.rt,
               (SELECT h.name FROM resident h WHERE {head} ORDER BY h.id LIMIT 1),
               (SELECT h.id FROM resident h WHERE {head} ORDER BY h.id LIMIT 1),
               (SELECT COUNT(*) FROM resident m WHERE m.village = f.village AND m.family_id = f.id AND m.status IN ({current}))
             FROM family f WHERE {cond} ORDER BY f.no_kk, f.id LIMIT {per_page} OFFSET {offset}"
        );
        let rows = bind(sql).fetch_all(self.pool()).await?;
        let corrupt = |e: String| StoreError::Corrupt(e);
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let family = family_from_row((
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            ))?;
            let head = row
                .try_get::<Option<String>, _>(7)?
                .map(|n| PersonName::parse(&n).map_err(|e| corrupt(e.to_string())))
                .transpose()?;
            items.push(FamilyListItem {
                family,
                head,
                head_id: row.try_get::<Option<Id>, _>(8)?.map(Uuid::from),
                members: row.try_get(9)?,
            });
        }
        Ok(FamilyPage { items, total })
    }

    /// Every resident of `village` with the dusun of the card they are on
    /// (`None` for a resident on no card): what splits the mutation report
    /// by dusun.
    pub async fn resident_dusuns(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<(Uuid, Option<String>)>, StoreError> {
        let rows: Vec<(Id, Option<String>)> = sqlx::query_as(
            "SELECT r.id, f.dusun FROM resident r LEFT JOIN family f ON f.village = r.village AND f.id = r.family_id WHERE r.village = $1",
        )
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id, d)| (id.into(), d)).collect())
    }

    /// Every family and resident of a village (export, reports), families by
    /// card number and residents by family then relationship.
    pub async fn village_population(
        &self,
        village: KodeWilayah,
    ) -> Result<(Vec<Family>, Vec<Resident>), StoreError> {
        let fams: Vec<FamilyRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FAMILY_COLUMNS} FROM family WHERE village = $1 ORDER BY no_kk"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        let families = fams
            .into_iter()
            .map(family_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 ORDER BY family_id, relationship, birth_date, id"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        let residents = rows
            .iter()
            .map(|r| {
                ResidentRow::from_row(r)
                    .map_err(StoreError::from)
                    .and_then(ResidentRow::into_domain)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((families, residents))
    }
}
