//! Residents' letter requests: stored with their form, moved through their
//! status flow by compare-and-set (so two staff cannot both act on one
//! request), and numbered with a daily queue ticket when made at the kiosk.

use balai_domain::letter_request::{RequestChannel, RequestStatus};
use balai_domain::{KodeWilayah, PersonName, ResidentNumber};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::Id;
use crate::row_codec::{
    date_from_day_number, day_number, instant_from_millis, kode, kode_from, number_from,
};
use crate::write_context::WriteContext;

/// A request about to be stored.
#[derive(Debug, Clone)]
pub struct NewLetterRequest {
    /// Row id.
    pub id: Uuid,
    /// The subject of the letter (the resident or a member of their family).
    pub resident_id: Uuid,
    /// Letter kind code.
    pub kind: String,
    /// The form as filled (JSON).
    pub form: String,
    /// Where it came from.
    pub channel: RequestChannel,
    /// For kiosk requests: the day whose queue the ticket belongs to.
    pub queue_day: Option<Date>,
    /// Where it starts: `diajukan`, or `menunggu-ttd` for a letter the
    /// operator prepared at the desk for the head to sign.
    pub status: RequestStatus,
    /// Who will sign (JSON), when it starts awaiting signature.
    pub signer: Option<String>,
}

/// A stored request, with its subject's name and number for the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRequestRecord {
    /// Row id.
    pub id: Uuid,
    /// Village.
    pub village: KodeWilayah,
    /// The subject.
    pub resident_id: Uuid,
    /// The subject's name.
    pub resident_name: PersonName,
    /// The subject's NIK or temporary number.
    pub resident_number: ResidentNumber,
    /// Letter kind code.
    pub kind: String,
    /// The form as filled (JSON).
    pub form: String,
    /// Where it came from.
    pub channel: RequestChannel,
    /// Where it stands.
    pub status: RequestStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// Who will sign (JSON), set when sent for signature.
    pub signer: Option<String>,
    /// The letter issued for it.
    pub letter_id: Option<Uuid>,
    /// Kiosk queue ticket: day and number.
    pub queue: Option<(Date, i64)>,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it last moved.
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "q.id, q.village, q.resident_id, r.name, r.number, q.kind, q.form, q.channel, q.status, q.reason,
    q.signer, q.letter_id, q.queue_day, q.queue_number, q.created_at, q.updated_at";

type Row = (
    Id,
    i64,
    Id,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<Id>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
);

fn record(r: Row) -> Result<LetterRequestRecord, StoreError> {
    Ok(LetterRequestRecord {
        id: r.0.into(),
        village: kode_from(r.1)?,
        resident_id: r.2.into(),
        resident_name: PersonName::parse(&r.3).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        resident_number: number_from(r.4)?,
        kind: r.5,
        form: r.6,
        channel: RequestChannel::parse(&r.7)
            .ok_or_else(|| StoreError::Corrupt(format!("request channel {:?}", r.7)))?,
        status: RequestStatus::parse(&r.8)
            .ok_or_else(|| StoreError::Corrupt(format!("request status {:?}", r.8)))?,
        reason: r.9,
        signer: r.10,
        letter_id: r.11.map(Uuid::from),
        queue: match (r.12, r.13) {
            (Some(d), Some(n)) => Some((date_from_day_number(d)?, n)),
            _ => None,
        },
        created_at: instant_from_millis(r.14)?,
        updated_at: instant_from_millis(r.15)?,
    })
}

/// A move of a request from one status to the next.
#[derive(Debug, Clone)]
pub struct RequestTransition<'a> {
    /// The status the caller saw; the move fails if it has changed since.
    pub from: RequestStatus,
    /// The new status.
    pub to: RequestStatus,
    /// Why (required for a rejection).
    pub reason: Option<&'a str>,
    /// Who will sign (JSON), when sending for signature.
    pub signer: Option<&'a str>,
}

impl Store {
    /// Stores a new request in its starting status; kiosk requests draw the next
    /// queue number of their day in the same transaction.
    pub async fn create_letter_request(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        r: &NewLetterRequest,
    ) -> Result<LetterRequestRecord, StoreError> {
        // IMMEDIATE: two kiosks printing tickets at once must not draw the same number.
        let mut w = self.write(ctx, village).await?;
        let queue_number = match r.queue_day {
            Some(day) => {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COALESCE(MAX(queue_number), 0) + 1 FROM letter_request WHERE village = $1 AND queue_day = $2",
                )
                .bind(kode(village))
                .bind(day_number(day))
                .fetch_one(w.conn())
                .await?;
                Some(n)
            }
            None => None,
        };
        let after = json!({ "kind": r.kind, "resident_id": r.resident_id, "channel": r.channel.code(),
            "status": r.status.code(), "queue_number": queue_number });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::LetterRequest,
                entity_id: r.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        let done = sqlx::query(
            "INSERT INTO letter_request (id, village, resident_id, kind, form, channel, status, signer, queue_day, queue_number, created_at, updated_at, created_seq)
             SELECT $1, village, id, $3, $4, $5, $6, $12, $7, $8, $9, $9, $10 FROM resident WHERE id = $2 AND village = $11",
        )
        .bind(crate::row_codec::Id(r.id))
        .bind(crate::row_codec::Id(r.resident_id))
        .bind(&r.kind)
        .bind(&r.form)
        .bind(r.channel.code())
        .bind(r.status.code())
        .bind(r.queue_day.map(day_number))
        .bind(queue_number)
        .bind(ctx.at_millis())
        .bind(seq)
        .bind(kode(village))
        .bind(&r.signer)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(
                "no such resident in this village".into(),
            ));
        }
        w.wrote_id(Table::LetterRequest, r.id).await?;
        w.commit().await?;
        self.letter_request(village, r.id)
            .await?
            .ok_or_else(|| StoreError::NotFound("the request just made".into()))
    }

    /// A request of `village`.
    pub async fn letter_request(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<LetterRequestRecord>, StoreError> {
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM letter_request q JOIN resident r ON r.village = q.village AND r.id = q.resident_id
             WHERE q.village = $1 AND q.id = $2"
        )))
        .bind(kode(village))
        .bind(crate::row_codec::Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(record).transpose()
    }

    /// The requests whose subject is one of `residents`, newest first.
    pub async fn letter_requests_for(
        &self,
        village: KodeWilayah,
        residents: &[Uuid],
        limit: i64,
    ) -> Result<Vec<LetterRequestRecord>, StoreError> {
        if residents.is_empty() {
            return Ok(Vec::new());
        }
        let marks = crate::dialect::placeholders(2, residents.len());
        let limit_mark = residents.len() + 2;
        let sql = format!(
            "SELECT {COLUMNS} FROM letter_request q JOIN resident r ON r.village = q.village AND r.id = q.resident_id
             WHERE q.village = $1 AND q.resident_id IN ({marks}) ORDER BY q.created_at DESC LIMIT ${limit_mark}"
        );
        let mut query = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql)).bind(kode(village));
        for id in residents {
            query = query.bind(crate::row_codec::Id(*id));
        }
        let rows = query.bind(limit).fetch_all(self.pool()).await?;
        rows.into_iter().map(record).collect()
    }

    /// The village's requests in `statuses` (all when empty), oldest first: the work queue.
    pub async fn letter_requests(
        &self,
        village: KodeWilayah,
        statuses: &[RequestStatus],
        limit: i64,
    ) -> Result<Vec<LetterRequestRecord>, StoreError> {
        let filter = if statuses.is_empty() {
            String::new()
        } else {
            format!(
                " AND q.status IN ({})",
                crate::dialect::placeholders(2, statuses.len())
            )
        };
        let limit_mark = statuses.len() + 2;
        let sql = format!(
            "SELECT {COLUMNS} FROM letter_request q JOIN resident r ON r.village = q.village AND r.id = q.resident_id
             WHERE q.village = $1{filter} ORDER BY q.created_at LIMIT ${limit_mark}"
        );
        let mut query = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql)).bind(kode(village));
        for s in statuses {
            query = query.bind(s.code());
        }
        let rows = query.bind(limit).fetch_all(self.pool()).await?;
        rows.into_iter().map(record).collect()
    }

    /// How many of the village's requests are in each status (the dashboard's counts).
    pub async fn letter_request_counts(
        &self,
        village: KodeWilayah,
    ) -> Result<Vec<(RequestStatus, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM letter_request WHERE village = $1 GROUP BY status",
        )
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(s, n)| {
                RequestStatus::parse(&s)
                    .map(|s| (s, n))
                    .ok_or_else(|| StoreError::Corrupt(format!("request status {s:?}")))
            })
            .collect()
    }

    /// Moves a request on, if it is still in `t.from`; otherwise `Conflict`
    /// (someone else moved it first) and nothing changes.
    pub async fn move_letter_request(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        t: &RequestTransition<'_>,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE letter_request SET status = $4, reason = COALESCE($5, reason), signer = COALESCE($6, signer), updated_at = $7
             WHERE village = $1 AND id = $2 AND status = $3",
        )
        .bind(kode(village))
        .bind(crate::row_codec::Id(id))
        .bind(t.from.code())
        .bind(t.to.code())
        .bind(t.reason)
        .bind(t.signer)
        .bind(ctx.at_millis())
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "the request has moved on since it was read".into(),
            ));
        }
        let before = json!({ "status": t.from.code() });
        let after = json!({ "status": t.to.code(), "reason": t.reason });
        w.log(Change {
            village: Some(village),
            entity: Entity::LetterRequest,
            entity_id: id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::LetterRequest, id).await?;
        w.commit().await?;
        Ok(())
    }
}
