//! The append-only change log: who changed what, when, from what to what.

use balai_domain::KodeWilayah;
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{instant_from_millis, kode, kode_from};

/// The kind of row a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// The region list (reference data).
    Region,
    /// A village tenant.
    Village,
    /// A family card.
    Family,
    /// A resident.
    Resident,
    /// A life event.
    LifeEvent,
    /// A staff account.
    Account,
    /// A village's population loaded in bulk (families, residents, events).
    Population,
    /// A letter.
    Letter,
    /// A resident's self-service PIN (the hash is never logged).
    ResidentPin,
    /// A resident's letter request.
    LetterRequest,
    /// A kiosk information page.
    InfoPage,
    /// A kiosk enrolled as a known device (its token hash is never logged).
    KioskDevice,
    /// A letter number taken before its letter was typeset (then issued or void).
    LetterNumber,
    /// A facilitator's coaching note (and the village's answer).
    CoachingNote,
    /// A monthly report submitted to the regency.
    ReportSubmission,
    /// A complaint filed on the public site.
    Complaint,
    /// A village official or BPD member (one term of office).
    Official,
    /// A signer's signing PIN (the hash is never logged).
    SigningPin,
    /// Villages' development index (IDM) imported or entered at the regency.
    DevelopmentIndex,
    /// A public service in the regency's service directory.
    PublicService,
    /// A news post of the village's public site.
    NewsPost,
    /// An activity on the village's agenda.
    Activity,
    /// A sign-up for an activity.
    ActivitySignup,
    /// A photo of a news post.
    NewsImage,
    /// A local product on the village's site.
    Product,
    /// A tourism spot on the village's site.
    TourismSpot,
    /// A photo of a product.
    ProductImage,
    /// A photo of a tourism spot.
    TourismImage,
    /// The village's public profile.
    VillageProfile,
    /// A fiscal year of the village budget (APBDes): published or not.
    BudgetYear,
    /// A line of the village budget.
    BudgetLine,
    /// An entry of the list of public information.
    PublicInfo,
    /// A document attached to a public-information entry.
    PublicInfoDocument,
    /// A day of the village's holiday calendar.
    VillageHoliday,
    /// A public-information request.
    InfoRequest,
    /// An objection (keberatan) to a public-information request.
    InfoObjection,
}

impl Entity {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Region => "region",
            Entity::Village => "village",
            Entity::Family => "family",
            Entity::Resident => "resident",
            Entity::LifeEvent => "life_event",
            Entity::Account => "account",
            Entity::Population => "population",
            Entity::Letter => "letter",
            Entity::ResidentPin => "resident_pin",
            Entity::LetterRequest => "letter_request",
            Entity::InfoPage => "info_page",
            Entity::KioskDevice => "kiosk_device",
            Entity::LetterNumber => "letter_number",
            Entity::CoachingNote => "coaching_note",
            Entity::ReportSubmission => "report_submission",
            Entity::Complaint => "complaint",
            Entity::Official => "official",
            Entity::SigningPin => "signing_pin",
            Entity::DevelopmentIndex => "development_index",
            Entity::PublicService => "public_service",
            Entity::NewsPost => "news_post",
            Entity::Activity => "activity",
            Entity::ActivitySignup => "activity_signup",
            Entity::NewsImage => "news_image",
            Entity::Product => "product",
            Entity::TourismSpot => "tourism_spot",
            Entity::ProductImage => "product_image",
            Entity::TourismImage => "tourism_image",
            Entity::VillageProfile => "village_profile",
            Entity::BudgetYear => "budget_year",
            Entity::BudgetLine => "budget_line",
            Entity::PublicInfo => "public_info",
            Entity::PublicInfoDocument => "public_info_document",
            Entity::VillageHoliday => "village_holiday",
            Entity::InfoRequest => "info_request",
            Entity::InfoObjection => "info_objection",
        }
    }
}

/// What the change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A row was created.
    Create,
    /// A row was changed.
    Update,
    /// A bulk load (the region list, a village's population) added or replaced many rows.
    Import,
}

impl Action {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Import => "import",
        }
    }
}

/// A change about to be logged.
pub(crate) struct Change<'a> {
    pub village: Option<KodeWilayah>,
    pub entity: Entity,
    pub entity_id: Uuid,
    pub action: Action,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

/// One logged change, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeLogEntry {
    /// Position in the log (strictly increasing).
    pub seq: i64,
    /// The village whose data changed, if any.
    pub village: Option<KodeWilayah>,
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub actor: String,
    /// Which kind of row.
    pub entity: String,
    /// Which row.
    pub entity_id: Uuid,
    /// What was done.
    pub action: String,
    /// The row before, as JSON.
    pub before: Option<Value>,
    /// The row after, as JSON.
    pub after: Option<Value>,
}

type EntryRow = (
    i64,
    Option<i64>,
    i64,
    String,
    String,
    Id,
    String,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Every logged change to one row of `village`, oldest first: the entry
    /// that created it (possibly a bulk load) and every entry about it since.
    /// Entries of other villages are never returned, whatever id is asked for.
    pub async fn changes_for(
        &self,
        village: KodeWilayah,
        entity_id: Uuid,
    ) -> Result<Vec<ChangeLogEntry>, StoreError> {
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT seq, village, at, actor, entity, entity_id, action, before, after FROM change_log
             WHERE village = $2 AND (entity_id = $1
                OR seq = (SELECT created_seq FROM resident WHERE id = $1 AND village = $2)
                OR seq = (SELECT created_seq FROM family WHERE id = $1 AND village = $2)
                OR seq = (SELECT created_seq FROM life_event WHERE id = $1 AND village = $2))
             ORDER BY seq",
        )
        .bind(crate::row_codec::Id(entity_id))
        .bind(kode(village))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(entry).collect()
    }

    /// The number of entries in the log.
    pub async fn change_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM change_log")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}

fn entry(r: EntryRow) -> Result<ChangeLogEntry, StoreError> {
    let json = |s: Option<String>| -> Result<Option<Value>, StoreError> {
        s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    };
    Ok(ChangeLogEntry {
        seq: r.0,
        village: r.1.map(kode_from).transpose()?,
        at: instant_from_millis(r.2)?,
        actor: r.3,
        entity: r.4,
        entity_id: r.5.into(),
        action: r.6,
        before: json(r.7)?,
        after: json(r.8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write_context::WriteContext;

    crate::both_backends! {
        async fn the_log_is_append_only(store: Store) {
            let ctx = WriteContext::new("t", OffsetDateTime::UNIX_EPOCH);
            let change = Change {
                village: None,
                entity: Entity::Region,
                entity_id: Uuid::nil(),
                action: Action::Import,
                before: None,
                after: None,
            };
            let mut w = store.write_unscoped(&ctx, None).await.unwrap();
            w.log(change).await.unwrap();
            w.commit().await.unwrap();
            let mut conn = store.pool().acquire().await.unwrap();
            for sql in [
                "UPDATE change_log SET actor = 'x'",
                "DELETE FROM change_log",
                // The seal happens once: a sealed payload cannot be replaced.
                "UPDATE change_log SET feed = '{}'",
            ] {
                let err = sqlx::query(sql).execute(&mut *conn).await.unwrap_err();
                assert!(err.to_string().contains("append-only"), "{sql}: {err}");
            }
            drop(conn);
            assert_eq!(store.change_count().await.unwrap(), 1);
        }
    }
}
