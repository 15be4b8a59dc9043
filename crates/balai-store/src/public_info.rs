//! Public information (migration 0023): the list of public information
//! with its PDF documents, the village's holiday calendar, information
//! requests and objections. Every change is a [`crate::write::Write`], so
//! it is in the village's change feed; rows are never deleted (a removed
//! entry or holiday is marked so). Status changes compare the status
//! inside the write, so two staff members cannot both answer a request.

use balai_domain::KodeWilayah;
use balai_domain::complaint::SECRET_LEN;
use balai_domain::public_info::{
    Classification, Delivery, Exemption, ExemptionGround, InfoCategory, ObjectionGround, Outcome,
    PublicBody, RequestReference, RequestStatus,
};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{Id, date_from_day_number, day_number, instant_from_millis, kode};
use crate::write_context::WriteContext;

/// What staff write of an entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInfoContent {
    /// Title (what the information is).
    pub title: String,
    /// Its category; an exempt one with its ground and reason.
    pub classification: Classification,
    /// A short description.
    pub summary: String,
    /// The public body responsible for it.
    pub body: PublicBody,
    /// The year it covers.
    pub year: u16,
}

/// An entry's current document (the newest uploaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    /// Document id (its download address).
    pub id: Uuid,
    /// The file name as uploaded (shown, never used as a path).
    pub file_name: String,
    /// Size in bytes.
    pub size: i64,
}

/// A stored entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInfoEntry {
    /// Row id.
    pub id: Uuid,
    /// What staff wrote.
    pub content: PublicInfoContent,
    /// Its document, if any.
    pub document: Option<DocumentMeta>,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

/// A holiday of the village's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Row id.
    pub id: Uuid,
    /// The day.
    pub day: Date,
    /// Its name (e.g. `Hari Raya Idul Fitri`, `Cuti bersama`).
    pub name: String,
}

/// A request to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInfoRequest {
    /// Row id.
    pub id: Uuid,
    /// The requester's name.
    pub name: String,
    /// Their phone or e-mail.
    pub contact: String,
    /// The information wanted.
    pub wanted: String,
    /// What it is for.
    pub purpose: String,
    /// How they want it.
    pub delivery: Delivery,
    /// The day of receipt (the village's calendar).
    pub received_on: Date,
    /// The day the answer is due.
    pub deadline: Date,
    /// Random bytes for the registration number's code.
    pub secret: [u8; SECRET_LEN],
}

/// A stored request (the requester's name and contact included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoRequest {
    /// Row id.
    pub id: Uuid,
    /// Its registration number.
    pub reference: RequestReference,
    /// The requester's name.
    pub name: String,
    /// Their phone or e-mail.
    pub contact: String,
    /// The information wanted.
    pub wanted: String,
    /// What it is for.
    pub purpose: String,
    /// How they want it.
    pub delivery: Delivery,
    /// Where it stands.
    pub status: RequestStatus,
    /// The day of receipt.
    pub received_on: Date,
    /// The day the answer is due (extended once, if so).
    pub deadline: Date,
    /// Why it was extended ('' if it was not).
    pub extension_reason: String,
    /// How it was answered.
    pub outcome: Option<Outcome>,
    /// The exemption ground of a refusal or a partial grant.
    pub ground: Option<ExemptionGround>,
    /// The public answer ('' until answered).
    pub answer: String,
    /// The day of the answer.
    pub answered_on: Option<Date>,
    /// When it was filed.
    pub submitted_at: OffsetDateTime,
}

/// An objection to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObjection {
    /// Row id.
    pub id: Uuid,
    /// The request objected to.
    pub request_id: Uuid,
    /// The request's status when the objection was allowed.
    pub from: RequestStatus,
    /// Why.
    pub ground: ObjectionGround,
    /// The requester's words.
    pub reason: String,
    /// The day it is filed.
    pub filed_on: Date,
    /// The day the superior must answer by.
    pub answer_due: Date,
}

/// A stored objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoObjection {
    /// Row id.
    pub id: Uuid,
    /// The request objected to.
    pub request_id: Uuid,
    /// Its registration number.
    pub request_reference: RequestReference,
    /// Year and running number in the register of objections.
    pub year: u16,
    /// Running number within the year.
    pub number: u32,
    /// Why.
    pub ground: ObjectionGround,
    /// The requester's words.
    pub reason: String,
    /// The day it was filed.
    pub filed_on: Date,
    /// The day the superior must answer by.
    pub answer_due: Date,
    /// The superior's answer ('' until answered).
    pub answer: String,
    /// The day of the answer.
    pub answered_on: Option<Date>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("public information {what}"))
}

fn day_opt(n: Option<i64>) -> Result<Option<Date>, StoreError> {
    n.map(date_from_day_number).transpose()
}

type EntryRow = (
    Id,
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    Option<Id>,
    Option<String>,
    Option<i64>,
);

const ENTRY_SELECT: &str = "SELECT p.id, p.category, p.ground, p.reason, p.title, p.summary, p.body, p.year, p.updated_at, p.updated_by,
        d.id, d.file_name, d.size
   FROM public_info p
   LEFT JOIN public_info_document d ON d.village = p.village AND d.info_id = p.id
        AND d.id = (SELECT d2.id FROM public_info_document d2
                     WHERE d2.village = p.village AND d2.info_id = p.id
                     ORDER BY d2.created_at DESC, d2.id DESC LIMIT 1)
  WHERE p.village = $1 AND p.removed_at IS NULL";

fn entry(r: EntryRow) -> Result<PublicInfoEntry, StoreError> {
    let category = InfoCategory::from_code(r.1).ok_or_else(|| corrupt("category"))?;
    let exemption = match r.2 {
        Some(g) => Some(
            Exemption::new(
                ExemptionGround::from_code(g).ok_or_else(|| corrupt("ground"))?,
                &r.3,
            )
            .map_err(|_| corrupt("reason"))?,
        ),
        None => None,
    };
    Ok(PublicInfoEntry {
        id: r.0.into(),
        content: PublicInfoContent {
            title: r.4,
            classification: Classification::of(category, exemption)
                .ok_or_else(|| corrupt("classification"))?,
            summary: r.5,
            body: PublicBody::from_code(r.6).ok_or_else(|| corrupt("body"))?,
            year: u16::try_from(r.7).map_err(|_| corrupt("year"))?,
        },
        document: match (r.10, r.11, r.12) {
            (Some(id), Some(file_name), Some(size)) => Some(DocumentMeta {
                id: id.into(),
                file_name,
                size,
            }),
            _ => None,
        },
        updated_at: instant_from_millis(r.8)?,
        updated_by: r.9,
    })
}

fn exemption_cols(c: &PublicInfoContent) -> (Option<i64>, String) {
    match c.classification.exemption() {
        Some(e) => (Some(i64::from(e.ground().code())), e.reason().to_string()),
        None => (None, String::new()),
    }
}

type RequestRow = (
    Id,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
    i64,
);

const REQUEST_COLUMNS: &str =
    "id, reference, name, contact, wanted, purpose, delivery, status, received_on, deadline,
    extension_reason, outcome, ground, answer, answered_on, submitted_at";

fn request(r: RequestRow) -> Result<InfoRequest, StoreError> {
    Ok(InfoRequest {
        id: r.0.into(),
        reference: RequestReference::parse(&r.1).map_err(|_| corrupt("reference"))?,
        name: r.2,
        contact: r.3,
        wanted: r.4,
        purpose: r.5,
        delivery: Delivery::from_code(r.6).ok_or_else(|| corrupt("delivery"))?,
        status: RequestStatus::from_code(r.7).ok_or_else(|| corrupt("status"))?,
        received_on: date_from_day_number(r.8)?,
        deadline: date_from_day_number(r.9)?,
        extension_reason: r.10,
        outcome: r
            .11
            .map(|o| Outcome::from_code(o).ok_or_else(|| corrupt("outcome")))
            .transpose()?,
        ground: r
            .12
            .map(|g| ExemptionGround::from_code(g).ok_or_else(|| corrupt("ground")))
            .transpose()?,
        answer: r.13,
        answered_on: day_opt(r.14)?,
        submitted_at: instant_from_millis(r.15)?,
    })
}

type ObjectionRow = (
    Id,
    Id,
    String,
    i64,
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    Option<i64>,
);

const OBJECTION_SELECT: &str =
    "SELECT o.id, o.request_id, r.reference, o.year, o.number, o.ground, o.reason,
        o.filed_on, o.answer_due, o.answer, o.answered_on
   FROM info_objection o JOIN info_request r ON r.village = o.village AND r.id = o.request_id
  WHERE o.village = $1";

fn objection(r: ObjectionRow) -> Result<InfoObjection, StoreError> {
    Ok(InfoObjection {
        id: r.0.into(),
        request_id: r.1.into(),
        request_reference: RequestReference::parse(&r.2).map_err(|_| corrupt("reference"))?,
        year: u16::try_from(r.3).map_err(|_| corrupt("year"))?,
        number: u32::try_from(r.4).map_err(|_| corrupt("number"))?,
        ground: ObjectionGround::from_code(r.5).ok_or_else(|| corrupt("objection ground"))?,
        reason: r.6,
        filed_on: date_from_day_number(r.7)?,
        answer_due: date_from_day_number(r.8)?,
        answer: r.9,
        answered_on: day_opt(r.10)?,
    })
}

fn changed_meanwhile() -> StoreError {
    StoreError::Conflict("the request changed meanwhile".into())
}

impl Store {
    // ------------------------------------------------------------ the list

    /// The village's live entries, by category, newest year first, title.
    pub async fn public_info_entries(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<PublicInfoEntry>, StoreError> {
        let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT} ORDER BY p.category, p.year DESC, p.title, p.id"
        )))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(entry).collect()
    }

    /// One live entry.
    pub async fn public_info_entry(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<PublicInfoEntry>, StoreError> {
        let row: Option<EntryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{ENTRY_SELECT} AND p.id = $2")))
                .bind(kode(village))
                .bind(Id(id))
                .fetch_optional(self.pool())
                .await?;
        row.map(entry).transpose()
    }

    /// Adds an entry to the list.
    pub async fn create_public_info(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &PublicInfoContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let after = json!({ "title": c.title, "category": c.classification.category().code(), "year": c.year });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::PublicInfo,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        let (ground, reason) = exemption_cols(c);
        sqlx::query(
            "INSERT INTO public_info (village, id, category, ground, reason, title, summary, body, year,
                                      removed_at, created_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $10, $11, $12)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(i64::from(c.classification.category().code()))
        .bind(ground)
        .bind(reason)
        .bind(&c.title)
        .bind(&c.summary)
        .bind(i64::from(c.body.code()))
        .bind(i64::from(c.year))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::PublicInfo, id).await?;
        w.commit().await
    }

    /// Rewrites a live entry.
    pub async fn update_public_info(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &PublicInfoContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let (ground, reason) = exemption_cols(c);
        let done = sqlx::query(
            "UPDATE public_info SET category = $1, ground = $2, reason = $3, title = $4, summary = $5,
                    body = $6, year = $7, updated_at = $8, updated_by = $9
              WHERE village = $10 AND id = $11 AND removed_at IS NULL",
        )
        .bind(i64::from(c.classification.category().code()))
        .bind(ground)
        .bind(reason)
        .bind(&c.title)
        .bind(&c.summary)
        .bind(i64::from(c.body.code()))
        .bind(i64::from(c.year))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("public information entry".into()));
        }
        let after = json!({ "title": c.title, "category": c.classification.category().code(), "year": c.year });
        w.log(Change {
            village: Some(village),
            entity: Entity::PublicInfo,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::PublicInfo, id).await?;
        w.commit().await
    }

    /// Removes an entry from the list (its row stays, marked removed).
    pub async fn remove_public_info(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE public_info SET removed_at = $1, updated_at = $1, updated_by = $2
              WHERE village = $3 AND id = $4 AND removed_at IS NULL",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("public information entry".into()));
        }
        let after = json!({ "removed": true });
        w.log(Change {
            village: Some(village),
            entity: Entity::PublicInfo,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::PublicInfo, id).await?;
        w.commit().await
    }

    /// Attaches a (checked) PDF to a live entry; it becomes its document.
    pub async fn add_public_info_document(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        info_id: Uuid,
        file_name: &str,
        pdf: &[u8],
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let (live,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM public_info WHERE village = $1 AND id = $2 AND removed_at IS NULL",
        )
        .bind(kode(village))
        .bind(Id(info_id))
        .fetch_one(w.conn())
        .await?;
        if live == 0 {
            return Err(StoreError::NotFound("public information entry".into()));
        }
        let after = json!({ "info": info_id.to_string(), "bytes": pdf.len() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::PublicInfoDocument,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO public_info_document (village, id, info_id, file_name, size, pdf, created_at, created_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(Id(info_id))
        .bind(file_name)
        .bind(i64::try_from(pdf.len()).unwrap_or(i64::MAX))
        .bind(pdf.to_vec())
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::PublicInfoDocument, id).await?;
        w.commit().await
    }

    /// A document's bytes, while it is the current document of a live entry
    /// that is not exempt (an exempt entry's document is never served).
    pub async fn public_info_document(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row: Option<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT d.file_name, d.pdf FROM public_info_document d
               JOIN public_info p ON p.village = d.village AND p.id = d.info_id
              WHERE d.village = $1 AND d.id = $2 AND p.removed_at IS NULL AND p.category <> $3
                AND d.id = (SELECT d2.id FROM public_info_document d2
                             WHERE d2.village = d.village AND d2.info_id = d.info_id
                             ORDER BY d2.created_at DESC, d2.id DESC LIMIT 1)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(i64::from(InfoCategory::Dikecualikan.code()))
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    // ------------------------------------------------------------ holidays

    /// The village's holidays from `from` to `to` (inclusive), by day.
    pub async fn holidays(
        &self,
        village: KodeWilayah,
        from: Date,
        to: Date,
    ) -> Result<Vec<Holiday>, StoreError> {
        let rows: Vec<(Id, i64, String)> = sqlx::query_as(
            "SELECT id, day, name FROM village_holiday
              WHERE village = $1 AND removed_at IS NULL AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(kode(village))
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, day, name)| {
                Ok(Holiday {
                    id: id.into(),
                    day: date_from_day_number(day)?,
                    name,
                })
            })
            .collect()
    }

    /// Marks `day` a holiday named `name` (renames it if it is one; brings
    /// back a removed one). `id` is used when the day is new.
    pub async fn set_holiday(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        day: Date,
        name: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let existing: Option<(Id,)> =
            sqlx::query_as("SELECT id FROM village_holiday WHERE village = $1 AND day = $2")
                .bind(kode(village))
                .bind(day_number(day))
                .fetch_optional(w.conn())
                .await?;
        let after = json!({ "day": day.to_string(), "name": name });
        let row_id = match existing {
            Some((old,)) => {
                let old: Uuid = old.into();
                sqlx::query(
                    "UPDATE village_holiday SET name = $1, removed_at = NULL, updated_at = $2, updated_by = $3
                      WHERE village = $4 AND id = $5",
                )
                .bind(name)
                .bind(ctx.at_millis())
                .bind(&ctx.actor)
                .bind(kode(village))
                .bind(Id(old))
                .execute(w.conn())
                .await?;
                w.log(Change {
                    village: Some(village),
                    entity: Entity::VillageHoliday,
                    entity_id: old,
                    action: Action::Update,
                    before: None,
                    after: Some(&after),
                })
                .await?;
                old
            }
            None => {
                let seq = w
                    .log(Change {
                        village: Some(village),
                        entity: Entity::VillageHoliday,
                        entity_id: id,
                        action: Action::Create,
                        before: None,
                        after: Some(&after),
                    })
                    .await?;
                sqlx::query(
                    "INSERT INTO village_holiday (village, id, day, name, removed_at, updated_at, updated_by, created_seq)
                     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
                )
                .bind(kode(village))
                .bind(Id(id))
                .bind(day_number(day))
                .bind(name)
                .bind(ctx.at_millis())
                .bind(&ctx.actor)
                .bind(seq)
                .execute(w.conn())
                .await?;
                id
            }
        };
        w.wrote_id(Table::VillageHoliday, row_id).await?;
        w.commit().await
    }

    /// Makes `day` a working day again (if it was a holiday).
    pub async fn remove_holiday(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        day: Date,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let existing: Option<(Id,)> = sqlx::query_as(
            "SELECT id FROM village_holiday WHERE village = $1 AND day = $2 AND removed_at IS NULL",
        )
        .bind(kode(village))
        .bind(day_number(day))
        .fetch_optional(w.conn())
        .await?;
        let Some((id,)) = existing else {
            return Err(StoreError::NotFound("holiday".into()));
        };
        let id: Uuid = id.into();
        sqlx::query(
            "UPDATE village_holiday SET removed_at = $1, updated_at = $1, updated_by = $2
              WHERE village = $3 AND id = $4",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        let after = json!({ "day": day.to_string(), "removed": true });
        w.log(Change {
            village: Some(village),
            entity: Entity::VillageHoliday,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::VillageHoliday, id).await?;
        w.commit().await
    }

    // ------------------------------------------------------------ requests

    /// Files a request: it takes the village's next running number of the
    /// year of receipt under the village's write lock.
    pub async fn file_info_request(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        r: &NewInfoRequest,
    ) -> Result<InfoRequest, StoreError> {
        let year = r.received_on.year();
        let mut w = self.write(ctx, village).await?;
        let (number,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM info_request WHERE village = $1 AND year = $2",
        )
        .bind(kode(village))
        .bind(i64::from(year))
        .fetch_one(w.conn())
        .await?;
        let reference = RequestReference::new(
            u16::try_from(year).map_err(|_| corrupt("year"))?,
            u32::try_from(number).map_err(|_| StoreError::Conflict("too many requests".into()))?,
            r.secret,
        );
        // The audit entry says that a request was filed, not by whom.
        let after = json!({ "year": year, "number": number, "deadline": r.deadline.to_string() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::InfoRequest,
                entity_id: r.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO info_request (village, id, year, number, reference, name, contact, wanted, purpose, delivery,
                                       status, received_on, deadline, extension_reason, outcome, ground, answer,
                                       answered_on, submitted_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', NULL, NULL, '', NULL, $14, $14, $15, $16)",
        )
        .bind(kode(village))
        .bind(Id(r.id))
        .bind(i64::from(year))
        .bind(number)
        .bind(reference.to_string())
        .bind(&r.name)
        .bind(&r.contact)
        .bind(&r.wanted)
        .bind(&r.purpose)
        .bind(i64::from(r.delivery.code()))
        .bind(i64::from(RequestStatus::Diterima.code()))
        .bind(day_number(r.received_on))
        .bind(day_number(r.deadline))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::InfoRequest, r.id).await?;
        w.commit().await?;
        self.info_request(village, r.id)
            .await?
            .ok_or_else(|| StoreError::NotFound("the request just filed".into()))
    }

    /// A request of `village` by id.
    pub async fn info_request(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<InfoRequest>, StoreError> {
        let row: Option<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM info_request WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(request).transpose()
    }

    /// A request of `village` by its exact registration number.
    pub async fn info_request_by_reference(
        &self,
        village: KodeWilayah,
        reference: &RequestReference,
    ) -> Result<Option<InfoRequest>, StoreError> {
        let row: Option<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM info_request WHERE village = $1 AND reference = $2"
        )))
        .bind(kode(village))
        .bind(reference.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(request).transpose()
    }

    /// The village's requests of `year` (all years: `None`), in register
    /// order (year, running number), at most `limit`.
    pub async fn info_requests(
        &self,
        village: KodeWilayah,
        year: Option<i32>,
        limit: i64,
    ) -> Result<Vec<InfoRequest>, StoreError> {
        let rows: Vec<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM info_request WHERE village = $1 AND ($2 = 0 OR year = $2)
              ORDER BY year DESC, number DESC LIMIT $3"
        )))
        .bind(kode(village))
        .bind(i64::from(year.unwrap_or(0)))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(request).collect()
    }

    #[allow(clippy::too_many_arguments)]
    async fn request_step(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        from: RequestStatus,
        to: RequestStatus,
        set: &str,
        binds: RequestBinds<'_>,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let sql = format!(
            "UPDATE info_request SET status = $1, updated_at = $2, updated_by = $3, {set}
              WHERE village = $4 AND id = $5 AND status = $6"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(to.code()))
            .bind(ctx.at_millis())
            .bind(&ctx.actor)
            .bind(kode(village))
            .bind(Id(id))
            .bind(i64::from(from.code()));
        match binds {
            RequestBinds::Extend { deadline, reason } => {
                q = q.bind(day_number(deadline)).bind(reason.to_string());
            }
            RequestBinds::Answer {
                outcome,
                ground,
                answer,
                on,
            } => {
                q = q
                    .bind(i64::from(outcome.code()))
                    .bind(ground.map(|g| i64::from(g.code())))
                    .bind(answer.to_string())
                    .bind(day_number(on));
            }
        }
        if q.execute(w.conn()).await?.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let before = json!({ "status": from.code() });
        let after = json!({ "status": to.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::InfoRequest,
            entity_id: id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::InfoRequest, id).await?;
        w.commit().await
    }

    /// Extends a request's deadline (once: only a request still
    /// `Diterima` moves to `Diperpanjang`).
    pub async fn extend_info_request(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        deadline: Date,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.request_step(
            ctx,
            village,
            id,
            RequestStatus::Diterima,
            RequestStatus::Diperpanjang,
            "deadline = $7, extension_reason = $8",
            RequestBinds::Extend { deadline, reason },
        )
        .await
    }

    /// Answers a request that is in `from` (received or extended).
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_info_request(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        from: RequestStatus,
        outcome: Outcome,
        ground: Option<ExemptionGround>,
        answer: &str,
        on: Date,
    ) -> Result<(), StoreError> {
        if !from.awaits_answer() {
            return Err(changed_meanwhile());
        }
        self.request_step(
            ctx,
            village,
            id,
            from,
            RequestStatus::Dijawab,
            "outcome = $7, ground = $8, answer = $9, answered_on = $10",
            RequestBinds::Answer {
                outcome,
                ground,
                answer,
                on,
            },
        )
        .await
    }

    // ---------------------------------------------------------- objections

    /// Files an objection: the request moves from `o.from` to
    /// `KeberatanDiajukan` in the same write, and the objection takes the
    /// village's next running number of the year.
    pub async fn file_info_objection(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        o: &NewObjection,
    ) -> Result<InfoObjection, StoreError> {
        let year = o.filed_on.year();
        let mut w = self.write(ctx, village).await?;
        let moved = sqlx::query(
            "UPDATE info_request SET status = $1, updated_at = $2, updated_by = $3
              WHERE village = $4 AND id = $5 AND status = $6",
        )
        .bind(i64::from(RequestStatus::KeberatanDiajukan.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(o.request_id))
        .bind(i64::from(o.from.code()))
        .execute(w.conn())
        .await?;
        if moved.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let (number,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM info_objection WHERE village = $1 AND year = $2",
        )
        .bind(kode(village))
        .bind(i64::from(year))
        .fetch_one(w.conn())
        .await?;
        let after = json!({ "request": o.request_id.to_string(), "year": year, "number": number, "ground": o.ground.code() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::InfoObjection,
                entity_id: o.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO info_objection (village, id, request_id, year, number, ground, reason, filed_on, answer_due,
                                         answer, answered_on, submitted_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', NULL, $10, $10, $11, $12)",
        )
        .bind(kode(village))
        .bind(Id(o.id))
        .bind(Id(o.request_id))
        .bind(i64::from(year))
        .bind(number)
        .bind(i64::from(o.ground.code()))
        .bind(&o.reason)
        .bind(day_number(o.filed_on))
        .bind(day_number(o.answer_due))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::InfoObjection, o.id).await?;
        w.wrote_id(Table::InfoRequest, o.request_id).await?;
        w.commit().await?;
        self.info_objection_of(village, o.request_id)
            .await?
            .ok_or_else(|| StoreError::NotFound("the objection just filed".into()))
    }

    /// The objection to a request, if any.
    pub async fn info_objection_of(
        &self,
        village: KodeWilayah,
        request_id: Uuid,
    ) -> Result<Option<InfoObjection>, StoreError> {
        let row: Option<ObjectionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{OBJECTION_SELECT} AND o.request_id = $2"
        )))
        .bind(kode(village))
        .bind(Id(request_id))
        .fetch_optional(self.pool())
        .await?;
        row.map(objection).transpose()
    }

    /// The village's objections of `year` (all: `None`), in register order.
    pub async fn info_objections(
        &self,
        village: KodeWilayah,
        year: Option<i32>,
    ) -> Result<Vec<InfoObjection>, StoreError> {
        let rows: Vec<ObjectionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{OBJECTION_SELECT} AND ($2 = 0 OR o.year = $2) ORDER BY o.year DESC, o.number DESC"
        )))
        .bind(kode(village))
        .bind(i64::from(year.unwrap_or(0)))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(objection).collect()
    }

    /// Records the superior's answer to the objection to `request_id`: the
    /// request moves from `KeberatanDiajukan` to `KeberatanDijawab`.
    pub async fn answer_info_objection(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        request_id: Uuid,
        answer: &str,
        on: Date,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let moved = sqlx::query(
            "UPDATE info_request SET status = $1, updated_at = $2, updated_by = $3
              WHERE village = $4 AND id = $5 AND status = $6",
        )
        .bind(i64::from(RequestStatus::KeberatanDijawab.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(request_id))
        .bind(i64::from(RequestStatus::KeberatanDiajukan.code()))
        .execute(w.conn())
        .await?;
        if moved.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let found: Option<(Id,)> = sqlx::query_as(
            "SELECT id FROM info_objection WHERE village = $1 AND request_id = $2 AND answered_on IS NULL",
        )
        .bind(kode(village))
        .bind(Id(request_id))
        .fetch_optional(w.conn())
        .await?;
        let Some((oid,)) = found else {
            return Err(changed_meanwhile());
        };
        let oid: Uuid = oid.into();
        sqlx::query(
            "UPDATE info_objection SET answer = $1, answered_on = $2, updated_at = $3, updated_by = $4
              WHERE village = $5 AND id = $6",
        )
        .bind(answer)
        .bind(day_number(on))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(oid))
        .execute(w.conn())
        .await?;
        let after = json!({ "answered_on": on.to_string() });
        w.log(Change {
            village: Some(village),
            entity: Entity::InfoObjection,
            entity_id: oid,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::InfoObjection, oid).await?;
        w.wrote_id(Table::InfoRequest, request_id).await?;
        w.commit().await
    }
}

/// The values a request step binds after its six fixed ones.
enum RequestBinds<'a> {
    Extend {
        deadline: Date,
        reason: &'a str,
    },
    Answer {
        outcome: Outcome,
        ground: Option<ExemptionGround>,
        answer: &'a str,
        on: Date,
    },
}
