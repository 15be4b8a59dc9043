//! Single residents: create, read, correct — each write logged in its transaction.

use balai_domain::codes::{Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin, Warganegara};
use balai_domain::{KodeWilayah, Nik, PersonName, Resident, ResidentNumber};
use sqlx::{AssertSqlSafe, FromRow, Row, SqliteConnection, sqlite::SqliteRow};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity, append};
use crate::db::Store;
use crate::error::StoreError;
use crate::population::bind_resident;
use crate::row_codec::date_from_day_number;
use crate::write_context::WriteContext;

pub(crate) const RESIDENT_COLUMNS: &str = "id, village, family_id, number, name, sex, birth_place, birth_date, religion,
    education, occupation, marital_status, relationship, citizenship, blood_type, disability, father_nik,
    father_name, mother_nik, mother_name, status";

const INSERT: &str = "INSERT INTO resident (id, village, family_id, number, is_temporary, name, sex, birth_place, birth_date,
    religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
    father_nik, father_name, mother_nik, mother_name, baseline_status, status)
    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)";

impl Store {
    /// Registers one resident (status at registration: `baseline`) and logs it.
    pub async fn create_resident(&self, ctx: &WriteContext, r: &Resident, baseline: Option<StatusDasar>) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let village = r.village.plain();
        bind_resident(sqlx::query(INSERT), r, &village, baseline).execute(&mut *tx).await.map_err(|e| conflict(e, r))?;
        let after = serde_json::to_value(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        append(
            &mut tx,
            ctx,
            Change { village: Some(r.village), entity: Entity::Resident, entity_id: r.id, action: Action::Create, before: None, after: Some(&after) },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a resident's recorded data (a correction) and logs before and after.
    pub async fn update_resident(&self, ctx: &WriteContext, r: &Resident) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let before = fetch(&mut tx, r.village, r.id).await?.ok_or_else(|| StoreError::NotFound(format!("resident {} not found", r.id)))?;
        let update = sqlx::query(
            "UPDATE resident SET family_id=$3, number=$4, is_temporary=$5, name=$6, sex=$7, birth_place=$8, birth_date=$9,
               religion=$10, education=$11, occupation=$12, marital_status=$13, relationship=$14, citizenship=$15,
               blood_type=$16, disability=$17, father_nik=$18, father_name=$19, mother_nik=$20, mother_name=$21,
               baseline_status=COALESCE($22, baseline_status), status=$23
             WHERE id=$1 AND village=$2",
        );
        let village = r.village.plain();
        bind_resident(update, r, &village, None)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict(e, r))?;
        let before = serde_json::to_value(&before).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let after = serde_json::to_value(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        append(
            &mut tx,
            ctx,
            Change { village: Some(r.village), entity: Entity::Resident, entity_id: r.id, action: Action::Update, before: Some(&before), after: Some(&after) },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A resident of `village` by id; another village's resident is not found.
    pub async fn resident(&self, village: KodeWilayah, id: Uuid) -> Result<Option<Resident>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, village, id).await
    }

    /// A resident of `village` by NIK or temporary number.
    pub async fn resident_by_number(&self, village: KodeWilayah, number: &ResidentNumber) -> Result<Option<Resident>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND number = $2")))
            .bind(village.plain())
            .bind(number.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| ResidentRow::from_row(&r).map_err(StoreError::from).and_then(ResidentRow::into_domain)).transpose()
    }
}

fn conflict(e: sqlx::Error, r: &Resident) -> StoreError {
    let e = StoreError::Database(e);
    if e.is_unique_violation() {
        StoreError::Conflict(format!("number {} is already registered in village {}", r.number.masked(), r.village))
    } else {
        e
    }
}

async fn fetch(conn: &mut SqliteConnection, village: KodeWilayah, id: Uuid) -> Result<Option<Resident>, StoreError> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND id = $2")))
        .bind(village.plain())
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| ResidentRow::from_row(&r).map_err(StoreError::from).and_then(ResidentRow::into_domain)).transpose()
}

/// A resident row as stored.
pub(crate) struct ResidentRow {
    id: Uuid,
    village: String,
    family_id: Option<Uuid>,
    number: String,
    name: String,
    codes: [i64; 9],
    birth_place: String,
    birth_date: i64,
    disability: Option<i64>,
    father_nik: Option<String>,
    father_name: String,
    mother_nik: Option<String>,
    mother_name: String,
}

impl<'r> FromRow<'r, SqliteRow> for ResidentRow {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
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
        })
    }
}

fn code<T: balai_domain::CodeList>(v: i64) -> Result<T, StoreError> {
    u8::try_from(v).ok().and_then(T::from_code).ok_or_else(|| StoreError::Corrupt(format!("{v} is not a {} code", T::LIST)))
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl ResidentRow {
    pub(crate) fn into_domain(self) -> Result<Resident, StoreError> {
        let nik = |s: Option<String>| s.map(|s| Nik::parse(&s).map_err(corrupt)).transpose();
        let [sex, religion, education, occupation, marital, relationship, citizenship, blood, status] = self.codes;
        Ok(Resident {
            id: self.id,
            village: KodeWilayah::parse(&self.village).map_err(corrupt)?,
            family_id: self.family_id,
            number: ResidentNumber::parse(&self.number).map_err(corrupt)?,
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
        })
    }
}
