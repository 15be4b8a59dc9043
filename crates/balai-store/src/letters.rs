//! Village letter settings, numbering where every taken number is accounted
//! for (issued or void, with the reason), and the letter archive.

use balai_domain::KodeWilayah;
use balai_domain::letter_request::RequestStatus;
use serde_json::json;
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::{RowKey, Table};
use crate::row_codec::Id;
use crate::row_codec::{date_from_day_number, day_number, instant_from_millis, kode};
use crate::write_context::WriteContext;

/// A village's letter settings. `Debug` leaves the secret key out, so a
/// logged or panicking profile never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct VillageProfile {
    /// Office address printed in the letterhead.
    pub address: String,
    /// The village head's name.
    pub head_name: String,
    /// The head's title, e.g. `Kepala Desa`.
    pub head_title: String,
    /// The head's NIP, if any.
    pub head_nip: Option<String>,
    /// The village or regency emblem, as SVG.
    pub logo_svg: Option<String>,
    /// Number format (see `balai_domain::letter_number`).
    pub number_format: String,
    /// Counter scope (`per-jenis`, `semua-surat`, `global`).
    pub sequence_scope: String,
    /// `A4` or `F4`.
    pub paper: String,
    /// Ed25519 secret key (32 bytes).
    pub signing_key: Vec<u8>,
    /// Ed25519 public key, base64.
    pub public_key: String,
    /// Whether residents may download their own signed PDF.
    pub allow_download: bool,
    /// The village's own typst template, replacing the default.
    pub template: Option<String>,
}

impl std::fmt::Debug for VillageProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VillageProfile")
            .field("address", &self.address)
            .field("head_name", &self.head_name)
            .field("head_title", &self.head_title)
            .field("head_nip", &self.head_nip)
            .field("logo_svg", &self.logo_svg.as_ref().map(|s| s.len()))
            .field("number_format", &self.number_format)
            .field("sequence_scope", &self.sequence_scope)
            .field("paper", &self.paper)
            .field("signing_key", &"<redacted>")
            .field("public_key", &self.public_key)
            .field("allow_download", &self.allow_download)
            .field("template", &self.template.as_ref().map(|s| s.len()))
            .finish()
    }
}

/// A letter to number and store.
#[derive(Debug, Clone)]
pub struct NewLetter {
    /// Row id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Counter the number is drawn from (e.g. `domisili/2026`).
    pub counter: String,
    /// The resident the letter is about.
    pub resident_id: Uuid,
    /// Day of issue.
    pub issued_on: Date,
    /// Last day of validity.
    pub valid_until: Option<Date>,
    /// Verification token.
    pub token: String,
    /// Who signs (name and title, as printed).
    pub signer: String,
    /// The resident's request this letter answers: it moves from awaiting
    /// signature to ready in the transaction that stores the letter.
    pub request_id: Option<Uuid>,
}

/// What the caller produces once the number is known: the final number
/// text, the signed statement and the PDF.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// The printed number.
    pub number: String,
    /// Canonical JSON of the signed statement.
    pub statement: String,
    /// Its signature.
    pub signature: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// A number taken for a letter that is not stored yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberReservation {
    /// The letter's id (also the reservation's).
    pub id: Uuid,
    /// Sequence within its counter.
    pub seq: i64,
    /// The printed number.
    pub number: String,
}

/// Where a taken letter number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStatus {
    /// Taken; its letter is being typeset.
    Reserved,
    /// Its letter is stored.
    Issued,
    /// Its letter could not be made; the number is never used again.
    Void,
}

impl NumberStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberStatus::Reserved => "reserved",
            NumberStatus::Issued => "issued",
            NumberStatus::Void => "void",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Reserved, Self::Issued, Self::Void]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A taken number with no letter (void, or still being made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnissuedNumber {
    /// The printed number.
    pub number: String,
    /// Kind code.
    pub kind: String,
    /// Void or reserved.
    pub status: NumberStatus,
    /// Why it is void.
    pub reason: Option<String>,
    /// When it was taken.
    pub reserved_at: OffsetDateTime,
    /// Who took it.
    pub reserved_by: String,
}

/// A stored letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRecord {
    /// Row id.
    pub id: Uuid,
    /// Village.
    pub village: KodeWilayah,
    /// Kind code.
    pub kind: String,
    /// Printed number.
    pub number: String,
    /// Sequence within its counter.
    pub seq: i64,
    /// The resident.
    pub resident_id: Uuid,
    /// Day of issue.
    pub issued_on: Date,
    /// Last day of validity.
    pub valid_until: Option<Date>,
    /// Verification token.
    pub token: String,
    /// Signed statement (JSON).
    pub statement: String,
    /// Signature.
    pub signature: String,
    /// Signer as printed.
    pub signer: String,
    /// The operator who issued it.
    pub issued_by: String,
    /// When and why it was revoked.
    pub revoked: Option<(OffsetDateTime, String)>,
}

const LETTER_COLUMNS: &str = "id, village, kind, number, seq, resident_id, issued_on, valid_until, token, statement, signature, signer, issued_by, revoked_at, revoke_reason";

/// A `village_profile` row.
type ProfileRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    Vec<u8>,
    String,
    i64,
    Option<String>,
);

type LetterRow = (
    Id,
    i64,
    String,
    String,
    i64,
    Id,
    i64,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
);

fn letter(r: LetterRow) -> Result<LetterRecord, StoreError> {
    Ok(LetterRecord {
        id: r.0.into(),
        village: crate::row_codec::kode_from(r.1)?,
        kind: r.2,
        number: r.3,
        seq: r.4,
        resident_id: r.5.into(),
        issued_on: date_from_day_number(r.6)?,
        valid_until: r.7.map(date_from_day_number).transpose()?,
        token: r.8,
        statement: r.9,
        signature: r.10,
        signer: r.11,
        issued_by: r.12,
        revoked: match (r.13, r.14) {
            (Some(at), Some(reason)) => Some((instant_from_millis(at)?, reason)),
            _ => None,
        },
    })
}

async fn next_seq(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    counter: &str,
) -> Result<i64, StoreError> {
    // The first write of the transaction: from here SQLite holds the write lock,
    // so two issues cannot draw the same number.
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO letter_counter (village, counter, last) VALUES ($1, $2, 1)
         ON CONFLICT (village, counter) DO UPDATE SET last = letter_counter.last + 1
         RETURNING last",
    )
    .bind(kode(village))
    .bind(counter)
    .fetch_one(conn)
    .await?;
    Ok(seq)
}

impl Store {
    /// A village's letter settings.
    pub async fn village_profile(
        &self,
        village: KodeWilayah,
    ) -> Result<Option<VillageProfile>, StoreError> {
        let row: Option<ProfileRow> = sqlx::query_as(
            "SELECT address, head_name, head_title, head_nip, logo_svg, number_format, sequence_scope, paper, signing_key, public_key, allow_download, template
             FROM village_profile WHERE village = $1",
        )
        .bind(kode(village))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| VillageProfile {
            address: r.0,
            head_name: r.1,
            head_title: r.2,
            head_nip: r.3,
            logo_svg: r.4,
            number_format: r.5,
            sequence_scope: r.6,
            paper: r.7,
            signing_key: r.8,
            public_key: r.9,
            allow_download: r.10 != 0,
            template: r.11,
        }))
    }

    /// Every village's public signing key.
    pub async fn village_public_keys(&self) -> Result<Vec<(KodeWilayah, String)>, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT village, public_key FROM village_profile ORDER BY village")
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(v, k)| Ok((crate::row_codec::kode_from(v)?, k)))
            .collect()
    }

    /// Creates or replaces a village's letter settings (the key is logged as its public half only).
    pub async fn save_village_profile(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        p: &VillageProfile,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        sqlx::query(
            "INSERT INTO village_profile (village, address, head_name, head_title, head_nip, logo_svg, number_format, sequence_scope, paper, signing_key, public_key, allow_download, template)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
             ON CONFLICT (village) DO UPDATE SET address = excluded.address, head_name = excluded.head_name, head_title = excluded.head_title,
               head_nip = excluded.head_nip, logo_svg = excluded.logo_svg, number_format = excluded.number_format,
               sequence_scope = excluded.sequence_scope, paper = excluded.paper, signing_key = excluded.signing_key, public_key = excluded.public_key,
               allow_download = excluded.allow_download, template = excluded.template",
        )
        .bind(kode(village))
        .bind(&p.address)
        .bind(&p.head_name)
        .bind(&p.head_title)
        .bind(&p.head_nip)
        .bind(&p.logo_svg)
        .bind(&p.number_format)
        .bind(&p.sequence_scope)
        .bind(&p.paper)
        .bind(&p.signing_key)
        .bind(&p.public_key)
        .bind(i64::from(p.allow_download))
        .bind(&p.template)
        .execute(w.conn())
        .await?;
        let after = json!({ "address": p.address, "head_name": p.head_name, "head_title": p.head_title, "number_format": p.number_format,
            "sequence_scope": p.sequence_scope, "paper": p.paper, "public_key": p.public_key,
            "allow_download": p.allow_download, "template_overridden": p.template.is_some() });
        let id = Uuid::from_u64_pair(1, village.as_u64());
        w.log(Change {
            village: Some(village),
            entity: Entity::Village,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Takes the next number of `letter.counter` for `letter` in a short
    /// transaction of its own: bumps the counter and records the number as
    /// reserved (with its change-log entry), `number` turning the sequence
    /// into the printed text. The letter is typeset after this returns, with
    /// no transaction open, and then either stored with
    /// [`store_letter`](Self::store_letter) or its number voided with
    /// [`void_letter_number`](Self::void_letter_number).
    ///
    /// A request the letter answers must still be awaiting signature, so a
    /// request someone else already signed takes no number.
    pub async fn reserve_letter_number<F>(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        letter: &NewLetter,
        number: F,
    ) -> Result<NumberReservation, StoreError>
    where
        F: FnOnce(i64) -> String,
    {
        // IMMEDIATE: hold the write lock from the start, so the counter read and
        // bump are one serialised step, and a concurrent issue waits (busy
        // timeout) instead of failing to upgrade a stale read. Nothing slow
        // happens inside: the letter is typeset after the commit.
        let mut w = self.write(ctx, village).await?;
        if let Some(request) = letter.request_id {
            let awaiting: Option<(i64,)> = sqlx::query_as(
                "SELECT 1 FROM letter_request WHERE village = $1 AND id = $2 AND status = $3",
            )
            .bind(kode(village))
            .bind(crate::row_codec::Id(request))
            .bind(RequestStatus::MenungguTtd.code())
            .fetch_optional(w.conn())
            .await?;
            if awaiting.is_none() {
                return Err(StoreError::Conflict(
                    "the request is no longer awaiting signature".into(),
                ));
            }
        }
        let seq = next_seq(w.conn(), village, &letter.counter).await?;
        let number = number(seq);
        let after = json!({ "counter": letter.counter, "seq": seq, "number": number, "kind": letter.kind,
            "resident_id": letter.resident_id, "status": NumberStatus::Reserved.as_str() });
        let log_seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::LetterNumber,
                entity_id: letter.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO letter_number (id, village, counter, seq, number, kind, resident_id, status, reserved_at, reserved_by, created_seq)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        )
        .bind(crate::row_codec::Id(letter.id))
        .bind(kode(village))
        .bind(&letter.counter)
        .bind(seq)
        .bind(&number)
        .bind(&letter.kind)
        .bind(crate::row_codec::Id(letter.resident_id))
        .bind(NumberStatus::Reserved.as_str())
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(log_seq)
        .execute(w.conn())
        .await?;
        w.wrote(
            Table::LetterCounter,
            RowKey::Counter(letter.counter.clone()),
        )
        .await?;
        w.wrote_id(Table::LetterNumber, letter.id).await?;
        w.commit().await?;
        Ok(NumberReservation {
            id: letter.id,
            seq,
            number,
        })
    }

    /// Stores the letter typeset under `reserved` with its change-log
    /// entry, marks the number issued and, when the letter answers a
    /// request, moves the request from awaiting signature to ready, all in
    /// one short transaction. On an error nothing is stored and the number
    /// stays reserved: the caller voids it.
    pub async fn store_letter(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        letter: &NewLetter,
        reserved: &NumberReservation,
        sealed: &Sealed,
    ) -> Result<LetterRecord, StoreError> {
        let mut w = self.write(ctx, village).await?;
        let claimed = sqlx::query(
            "UPDATE letter_number SET status = $3, closed_at = $4
             WHERE village = $1 AND id = $2 AND status = $5 AND number = $6",
        )
        .bind(kode(village))
        .bind(crate::row_codec::Id(reserved.id))
        .bind(NumberStatus::Issued.as_str())
        .bind(ctx.at_millis())
        .bind(NumberStatus::Reserved.as_str())
        .bind(&sealed.number)
        .execute(w.conn())
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "letter number {} is not reserved for this letter",
                sealed.number
            )));
        }
        let after = json!({ "kind": letter.kind, "number": sealed.number, "resident_id": letter.resident_id, "issued_on": letter.issued_on.to_string(), "signer": letter.signer });
        let log_seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::Letter,
                entity_id: letter.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO letter (id, village, kind, number, counter, seq, resident_id, issued_on, valid_until, token, statement, signature, pdf, signer, issued_by, created_seq)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
        )
        .bind(crate::row_codec::Id(letter.id))
        .bind(kode(village))
        .bind(&letter.kind)
        .bind(&sealed.number)
        .bind(&letter.counter)
        .bind(reserved.seq)
        .bind(crate::row_codec::Id(letter.resident_id))
        .bind(day_number(letter.issued_on))
        .bind(letter.valid_until.map(day_number))
        .bind(&letter.token)
        .bind(&sealed.statement)
        .bind(&sealed.signature)
        .bind(&sealed.pdf)
        .bind(&letter.signer)
        .bind(&ctx.actor)
        .bind(log_seq)
        .execute(w.conn())
        .await
        .map_err(|e| {
            let e = StoreError::Database(e);
            if e.is_unique_violation() { StoreError::Conflict(format!("letter number {} is already used in this village; check the number format", sealed.number)) } else { e }
        })?;
        w.wrote_id(Table::LetterNumber, reserved.id).await?;
        w.wrote_id(Table::Letter, letter.id).await?;
        if let Some(request) = letter.request_id {
            let done = sqlx::query(
                "UPDATE letter_request SET status = $4, letter_id = $5, updated_at = $6
                 WHERE village = $1 AND id = $2 AND status = $3",
            )
            .bind(kode(village))
            .bind(crate::row_codec::Id(request))
            .bind(RequestStatus::MenungguTtd.code())
            .bind(RequestStatus::Siap.code())
            .bind(crate::row_codec::Id(letter.id))
            .bind(ctx.at_millis())
            .execute(w.conn())
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "the request is no longer awaiting signature".into(),
                ));
            }
            let after = json!({ "status": RequestStatus::Siap.code(), "letter_id": letter.id });
            w.log(Change {
                village: Some(village),
                entity: Entity::LetterRequest,
                entity_id: request,
                action: Action::Update,
                before: None,
                after: Some(&after),
            })
            .await?;
            w.wrote_id(Table::LetterRequest, request).await?;
        }
        w.commit().await?;
        self.letter(village, letter.id)
            .await?
            .ok_or_else(|| StoreError::NotFound("the letter just issued".into()))
    }

    /// Marks a reserved number void because its letter could not be made,
    /// with the reason (shown in the village's archive), and logs it. A
    /// number already issued or voided is left as it is (`Conflict`).
    pub async fn void_letter_number(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        reserved: &NumberReservation,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE letter_number SET status = $3, void_reason = $4, closed_at = $5
             WHERE village = $1 AND id = $2 AND status = $6",
        )
        .bind(kode(village))
        .bind(crate::row_codec::Id(reserved.id))
        .bind(NumberStatus::Void.as_str())
        .bind(reason)
        .bind(ctx.at_millis())
        .bind(NumberStatus::Reserved.as_str())
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "letter number {} is not reserved",
                reserved.number
            )));
        }
        let after = json!({ "number": reserved.number, "status": NumberStatus::Void.as_str(), "reason": reason });
        w.log(Change {
            village: Some(village),
            entity: Entity::LetterNumber,
            entity_id: reserved.id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::LetterNumber, reserved.id).await?;
        w.commit().await?;
        Ok(())
    }

    /// Numbers of every village still reserved that were taken before
    /// `before`: a letter is typeset and stored within seconds of taking its
    /// number, so these belong to a server that stopped in between, and
    /// nothing will ever store their letter.
    pub async fn abandoned_letter_numbers(
        &self,
        before: time::OffsetDateTime,
    ) -> Result<Vec<(KodeWilayah, NumberReservation)>, StoreError> {
        let rows: Vec<(i64, crate::row_codec::Id, i64, String)> = sqlx::query_as(
            "SELECT village, id, seq, number FROM letter_number
             WHERE status = $1 AND reserved_at < $2 ORDER BY village, reserved_at",
        )
        .bind(NumberStatus::Reserved.as_str())
        .bind((before.unix_timestamp_nanos() / 1_000_000) as i64)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(v, id, seq, number)| {
                Ok((
                    crate::row_codec::kode_from(v)?,
                    NumberReservation {
                        id: id.0,
                        seq,
                        number,
                    },
                ))
            })
            .collect()
    }

    /// The village's numbers that have no letter: void ones with their
    /// reason, and reserved ones whose letter is being made (or whose
    /// server stopped before it was stored), newest first.
    pub async fn unissued_letter_numbers(
        &self,
        village: KodeWilayah,
        limit: i64,
    ) -> Result<Vec<UnissuedNumber>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>, i64, String)> = sqlx::query_as(
            "SELECT number, kind, status, void_reason, reserved_at, reserved_by FROM letter_number
             WHERE village = $1 AND status <> $2 ORDER BY reserved_at DESC, created_seq DESC LIMIT $3",
        )
        .bind(kode(village))
        .bind(NumberStatus::Issued.as_str())
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(UnissuedNumber {
                    number: r.0,
                    kind: r.1,
                    status: NumberStatus::parse(&r.2).ok_or_else(|| {
                        StoreError::Corrupt(format!("unknown letter number status {:?}", r.2))
                    })?,
                    reason: r.3,
                    reserved_at: instant_from_millis(r.4)?,
                    reserved_by: r.5,
                })
            })
            .collect()
    }

    /// A letter of `village`.
    pub async fn letter(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<LetterRecord>, StoreError> {
        let row: Option<LetterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LETTER_COLUMNS} FROM letter WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(crate::row_codec::Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(letter).transpose()
    }

    /// The letter with this verification token, in any village (the public verification page).
    pub async fn letter_by_token(&self, token: &str) -> Result<Option<LetterRecord>, StoreError> {
        let row: Option<LetterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LETTER_COLUMNS} FROM letter WHERE token = $1"
        )))
        .bind(token)
        .fetch_optional(self.pool())
        .await?;
        row.map(letter).transpose()
    }

    /// The stored PDF of a letter of `village`.
    pub async fn letter_pdf(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT pdf FROM letter WHERE village = $1 AND id = $2")
                .bind(kode(village))
                .bind(crate::row_codec::Id(id))
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// The village's letters, newest first; `query` matches the number or the kind.
    pub async fn letters(
        &self,
        village: KodeWilayah,
        query: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<LetterRecord>, StoreError> {
        let pattern = format!("%{}%", query.unwrap_or("").trim().replace(['%', '_'], ""));
        let rows: Vec<LetterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LETTER_COLUMNS} FROM letter WHERE village = $1 AND (number LIKE $2 OR kind LIKE $2)
             ORDER BY issued_on DESC, created_seq DESC LIMIT $3 OFFSET $4"
        )))
        .bind(kode(village))
        .bind(pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(letter).collect()
    }

    /// Revokes a letter with a reason; revoking twice is refused.
    pub async fn revoke_letter(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query("UPDATE letter SET revoked_at = $3, revoke_reason = $4 WHERE village = $1 AND id = $2 AND revoked_at IS NULL")
            .bind(kode(village))
            .bind(crate::row_codec::Id(id))
            .bind(ctx.at_millis())
            .bind(reason)
            .execute(w.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "the letter does not exist or is already revoked".into(),
            ));
        }
        let after = json!({ "revoked": true, "reason": reason });
        w.log(Change {
            village: Some(village),
            entity: Entity::Letter,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Letter, id).await?;
        w.commit().await?;
        Ok(())
    }
}
