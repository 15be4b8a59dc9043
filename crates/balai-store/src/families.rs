//! Family cards and their members.

use balai_domain::family::Family;
use balai_domain::{KodeWilayah, NoKk, Resident, Wilayah};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};
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
