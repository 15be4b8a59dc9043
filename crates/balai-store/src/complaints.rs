//! Complaints (pengaduan) filed on a village's public site, with their
//! running number, public reference, status and public answer.

use balai_domain::KodeWilayah;
use balai_domain::complaint::{ComplaintCategory, ComplaintReference, ComplaintStatus, SECRET_LEN};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{Id, instant_from_millis, kode};
use crate::write_context::WriteContext;

/// A complaint to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    /// Row id.
    pub id: Uuid,
    /// What it is about.
    pub category: ComplaintCategory,
    /// The filer's name as they gave it ('' for anonymous).
    pub name: String,
    /// How to reach them ('' for none).
    pub contact: String,
    /// The complaint.
    pub body: String,
    /// The year it is filed in (the village's local date).
    pub year: u16,
    /// Random bytes for the reference's code.
    pub secret: [u8; SECRET_LEN],
}

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// Row id.
    pub id: Uuid,
    /// The village it was filed with.
    pub village: KodeWilayah,
    /// Its public reference (year and running number inside).
    pub reference: ComplaintReference,
    /// What it is about.
    pub category: ComplaintCategory,
    /// The filer's name ('' for anonymous).
    pub name: String,
    /// How to reach the filer ('' for none).
    pub contact: String,
    /// The complaint.
    pub body: String,
    /// Where it stands.
    pub status: ComplaintStatus,
    /// The office's public answer ('' until there is one).
    pub answer: String,
    /// When it was filed.
    pub submitted_at: OffsetDateTime,
    /// When it last changed, and by whom.
    pub updated_at: OffsetDateTime,
    /// Who changed it last (`publik` when filed).
    pub updated_by: String,
}

type Row = (
    Id,
    i64,
    String,
    i64,
    String,
    String,
    String,
    i64,
    String,
    i64,
    i64,
    String,
);

const COLUMNS: &str = "id, village, reference, category, name, contact, body, status, answer, submitted_at, updated_at, updated_by";

fn complaint(r: Row) -> Result<Complaint, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("complaint {what}"));
    Ok(Complaint {
        id: r.0.into(),
        village: crate::row_codec::kode_from(r.1)?,
        reference: ComplaintReference::parse(&r.2).map_err(|_| corrupt("reference"))?,
        category: ComplaintCategory::from_code(r.3).ok_or_else(|| corrupt("category"))?,
        name: r.4,
        contact: r.5,
        body: r.6,
        status: ComplaintStatus::from_code(r.7).ok_or_else(|| corrupt("status"))?,
        answer: r.8,
        submitted_at: instant_from_millis(r.9)?,
        updated_at: instant_from_millis(r.10)?,
        updated_by: r.11,
    })
}

impl Store {
    /// Files a complaint with `village`: it takes the village's next
    /// running number of the year (under the village's write lock, so two
    /// filed at once never share one) and returns the stored complaint.
    pub async fn file_complaint(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        c: &NewComplaint,
    ) -> Result<Complaint, StoreError> {
        let year = c.year;
        let mut w = self.write(ctx, village).await?;
        let (number,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM complaint WHERE village = $1 AND year = $2",
        )
        .bind(kode(village))
        .bind(i64::from(year))
        .fetch_one(w.conn())
        .await?;
        let reference = ComplaintReference::new(
            year,
            u32::try_from(number)
                .map_err(|_| StoreError::Conflict("too many complaints".into()))?,
            c.secret,
        );
        // The audit entry says what was filed, not by whom or what it says.
        let after = json!({ "category": c.category.code(), "number": number, "year": year });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::Complaint,
                entity_id: c.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO complaint (village, id, year, number, reference, category, name, contact, body, status, answer,
                                    submitted_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, $11, $12, $13)",
        )
        .bind(kode(village))
        .bind(Id(c.id))
        .bind(i64::from(year))
        .bind(number)
        .bind(reference.to_string())
        .bind(i64::from(c.category.code()))
        .bind(&c.name)
        .bind(&c.contact)
        .bind(&c.body)
        .bind(i64::from(ComplaintStatus::Diterima.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::Complaint, c.id).await?;
        w.commit().await?;
        self.complaint(village, c.id)
            .await?
            .ok_or_else(|| StoreError::NotFound("the complaint just filed".into()))
    }

    /// A complaint of `village` by id.
    pub async fn complaint(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Complaint>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM complaint WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(complaint).transpose()
    }

    /// A complaint of `village` by its exact reference.
    pub async fn complaint_by_reference(
        &self,
        village: KodeWilayah,
        reference: &ComplaintReference,
    ) -> Result<Option<Complaint>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM complaint WHERE village = $1 AND reference = $2"
        )))
        .bind(kode(village))
        .bind(reference.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(complaint).transpose()
    }

    /// The village's complaints, newest first; only those in `status` when given.
    pub async fn complaints(
        &self,
        village: KodeWilayah,
        status: Option<ComplaintStatus>,
        limit: i64,
    ) -> Result<Vec<Complaint>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM complaint WHERE village = $1 AND ($2 = 0 OR status = $2)
             ORDER BY submitted_at DESC, number DESC LIMIT $3"
        )))
        .bind(kode(village))
        .bind(status.map_or(0, |s| i64::from(s.code())))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(complaint).collect()
    }

    /// Moves a complaint from `from` to `to` with the public `answer`. The
    /// status is compared inside the write, so two staff members acting
    /// on the same complaint cannot both close it: the second gets a
    /// conflict and nothing changes.
    pub async fn update_complaint(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        from: ComplaintStatus,
        to: ComplaintStatus,
        answer: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE complaint SET status = $1, answer = $2, updated_at = $3, updated_by = $4
             WHERE village = $5 AND id = $6 AND status = $7",
        )
        .bind(i64::from(to.code()))
        .bind(answer)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .bind(i64::from(from.code()))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "the complaint changed meanwhile".into(),
            ));
        }
        let before = json!({ "status": from.code() });
        let after = json!({ "status": to.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::Complaint,
            entity_id: id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Complaint, id).await?;
        w.commit().await
    }
}
