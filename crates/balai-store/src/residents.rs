//! Single residents: create, read, correct — each write logged in its transaction.

use balai_domain::codes::{
    Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin,
    Warganegara,
};
use balai_domain::{KodeWilayah, PersonName, Resident, ResidentNumber};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow, Row, any::AnyRow};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::dialect::values_clause;
use crate::error::StoreError;
use crate::feed::Table;
use crate::population::{RESIDENT_INSERT, bind_resident};
use crate::row_codec::Id;
use crate::row_codec::{date_from_day_number, kode, kode_from, nik_from, number, number_from};
use crate::write_context::WriteContext;

pub(crate) const RESIDENT_COLUMNS: &str = "id, village, family_id, number, name, sex, birth_place, birth_date, religion,
    education, occupation, marital_status, relationship, citizenship, blood_type, disability, father_nik,
    father_name, mother_nik, mother_name, status, details";

impl Store {
    /// Registers one resident (status at registration: `baseline`) and logs it.
    pub async fn create_resident(
        &self,
        ctx: &WriteContext,
        r: &Resident,
        baseline: Option<StatusDasar>,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, r.village).await?;
        w.track([r.id], []).await?;
        let after = serde_json::to_value(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let seq = w
            .log(Change {
                village: Some(r.village),
                entity: Entity::Resident,
                entity_id: r.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        let sql = format!(
            "{RESIDENT_INSERT}{}",
            values_clause(crate::backend::Backend::of(w.conn()), 1, 25)
        );
        bind_resident(sqlx::query(AssertSqlSafe(sql)), r, baseline, Some(seq))
            .execute(w.conn())
            .await
            .map_err(|e| conflict(e, r))?;
        w.wrote_id(Table::Resident, r.id).await?;
        w.commit().await
    }

    /// Replaces a resident's recorded data (a correction) and logs before and after.
    pub async fn update_resident(
        &self,
        ctx: &WriteContext,
        r: &Resident,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, r.village).await?;
        let before = fetch(w.conn(), r.village, r.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("resident {} not found", r.id)))?;
        w.track([r.id], []).await?;
        update_row(w.conn(), r).await?;
        let before =
            serde_json::to_value(&before).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let after = serde_json::to_value(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        w.log(Change {
            village: Some(r.village),
            entity: Entity::Resident,
            entity_id: r.id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Resident, r.id).await?;
        w.commit().await
    }

    /// A resident of `village` by id; another village's resident is not found.
    pub async fn resident(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Resident>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, village, id).await
    }

    /// A resident of `village` by NIK or temporary number.
    pub async fn resident_by_number(
        &self,
        village: KodeWilayah,
        number: &ResidentNumber,
    ) -> Result<Option<Resident>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND number = $2"
        )))
        .bind(kode(village))
        .bind(self::number(number))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            ResidentRow::from_row(&r)
                .map_err(StoreError::from)
                .and_then(ResidentRow::into_domain)
        })
        .transpose()
    }
}

/// Overwrites a resident's row, on the caller's transaction.
pub(crate) async fn update_row(conn: &mut AnyConnection, r: &Resident) -> Result<(), StoreError> {
    // Same 25 parameters as the insert, so one binder serves both; the
    // baseline (22) and creating entry (25) of an existing row do not change.
    let update = sqlx::query(
        "UPDATE resident SET family_id=$3, number=$4, name=$5, name_key=$6, sex=$7, birth_place=$8, birth_date=$9,
           religion=$10, education=$11, occupation=$12, marital_status=$13, relationship=$14, citizenship=$15,
           blood_type=$16, disability=$17, father_nik=$18, father_name=$19, mother_nik=$20, mother_name=$21,
           baseline_status=COALESCE($22, baseline_status), status=$23, details=$24, created_seq=COALESCE($25, created_seq)
         WHERE id=$1 AND village=$2",
    );
    bind_resident(update, r, None, None)
        .execute(conn)
        .await
        .map_err(|e| conflict(e, r))?;
    Ok(())
}

fn conflict(e: sqlx::Error, r: &Resident) -> StoreError {
    let e = StoreError::Database(e);
    if e.is_unique_violation() {
        StoreError::Conflict(format!(
            "number {} is already registered in village {}",
            r.number.masked(),
            r.village
        ))
    } else {
        e
    }
}

async fn fetch(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    id: Uuid,
) -> Result<Option<Resident>, StoreError> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND id = $2"
    )))
    .bind(kode(village))
    .bind(crate::row_codec::Id(id))
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        ResidentRow::from_row(&r)
            .map_err(StoreError::from)
            .and_then(ResidentRow::into_domain)
    })
    .transpose()
}

/// A resident row as stored.
pub(crate) struct ResidentRow {
    id: Id,
    village: i64,
    family_id: Option<Id>,
    number: i64,
    name: String,
    codes: [i64; 9],
    birth_place: String,
    birth_date: i64,
    disability: Option<i64>,
    father_nik: Option<i64>,
    father_name: String,
    mother_nik: Option<i64>,
    mother_name: String,
    details: Option<String>,
}

impl<'r> FromRow<'r, AnyRow> for ResidentRow {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            village: row.try_get("village")?,
            family_id: row.try_get("family_id")?,
            number: row.try_get("number")?,
            name: row.try_get("name")?,
            codes: [
                row.try_get("sex")?,
                row.try_get("religion")?,
                row.try_get("education")?,
                row.try_get("occupation")?,
                row.try_get("marital_status")?,
                row.try_get("relationship")?,
                row.try_get("citizenship")?,
                row.try_get("blood_type")?,
                row.try_get("status")?,
            ],
            birth_place: row.try_get("birth_place")?,
            birth_date: row.try_get("birth_date")?,
            disability: row.try_get("disability")?,
            father_nik: row.try_get("father_nik")?,
            father_name: row.try_get("father_name")?,
            mother_nik: row.try_get("mother_nik")?,
            mother_name: row.try_get("mother_name")?,
            details: row.try_get("details")?,
        })
    }
}

fn code<T: balai_domain::CodeList>(v: i64) -> Result<T, StoreError> {
    u8::try_from(v)
        .ok()
        .and_then(T::from_code)
        .ok_or_else(|| StoreError::Corrupt(format!("{v} is not a {} code", T::LIST)))
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl ResidentRow {
    pub(crate) fn into_domain(self) -> Result<Resident, StoreError> {
        let nik = |n: Option<i64>| n.map(nik_from).transpose();
        let [
            sex,
            religion,
            education,
            occupation,
            marital,
            relationship,
            citizenship,
            blood,
            status,
        ] = self.codes;
        Ok(Resident {
            id: self.id.into(),
            village: kode_from(self.village)?,
            family_id: self.family_id.map(Uuid::from),
            number: number_from(self.number)?,
            name: PersonName::parse(&self.name).map_err(corrupt)?,
            sex: code::<Sex>(sex)?,
            birth_place: self.birth_place,
            birth_date: date_from_day_number(self.birth_date)?,
            religion: code::<Agama>(religion)?,
            education: code::<PendidikanKk>(education)?,
            occupation: code::<Pekerjaan>(occupation)?,
            marital_status: code::<StatusKawin>(marital)?,
            relationship: code::<Shdk>(relationship)?,
            citizenship: code::<Warganegara>(citizenship)?,
            blood_type: code::<GolonganDarah>(blood)?,
            disability: self.disability.map(code::<Cacat>).transpose()?,
            father_nik: nik(self.father_nik)?,
            father_name: self.father_name,
            mother_nik: nik(self.mother_nik)?,
            mother_name: self.mother_name,
            status: code::<StatusDasar>(status)?,
            details: self
                .details
                .map(|d| serde_json::from_str(&d).map_err(corrupt))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}
