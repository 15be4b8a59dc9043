//! Kiosk information pages: a village writes its own, a regency writes pages
//! every kiosk of its villages shows.

use crate::db::Db;
use balai_domain::info_topic::InfoTopic;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_store::{InfoPage, WriteContext};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::staff::Staff;

/// The Indonesian label of a topic.
pub fn topic_label(topic: InfoTopic) -> &'static str {
    match topic {
        InfoTopic::Kesehatan => "Kesehatan",
        InfoTopic::Pendidikan => "Pendidikan",
        InfoTopic::Kependudukan => "Kependudukan",
        InfoTopic::Sosial => "Bantuan sosial",
        InfoTopic::Pertanian => "Pertanian",
        InfoTopic::Lainnya => "Layanan lainnya",
    }
}

/// Longest page body accepted (the kiosk shows text, not documents).
const MAX_BODY: usize = 20_000;

/// The form for a page.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct InfoPageForm {
    /// Topic code.
    pub topik: String,
    /// Title.
    pub judul: String,
    /// Text.
    pub isi: String,
}

/// A page as written, checked: what [`save`] stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoPageDraft {
    /// Topic.
    pub topic: InfoTopic,
    /// Title, trimmed, 1–120 characters.
    pub title: String,
    /// Text, trimmed, with Unix line ends, at most 20,000 bytes.
    pub body: String,
}

impl TryFrom<&InfoPageForm> for InfoPageDraft {
    type Error = FieldErrors;
    /// Every problem at once.
    fn try_from(form: &InfoPageForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let topic = InfoTopic::parse(form.topik.trim());
        if topic.is_none() {
            e.add("topik", "pilih topik");
        }
        let title = form.judul.trim();
        if title.is_empty() || title.chars().count() > 120 {
            e.add("judul", "tulis judul (paling panjang 120 huruf)");
        }
        let body = form.isi.trim();
        if body.is_empty() || body.len() > MAX_BODY {
            e.add("isi", "tulis isi halaman (paling panjang 20.000 huruf)");
        }
        match topic {
            Some(topic) if e.is_empty() => Ok(Self {
                topic,
                title: title.to_string(),
                body: body.replace("\r\n", "\n"),
            }),
            _ => Err(e),
        }
    }
}

/// Proof that a staff member may write `scope`'s pages: the village's
/// operator, or the regency's admin. Anyone else gets "not found".
fn may_edit(staff: &Staff, scope: KodeWilayah) -> bool {
    match scope.level() {
        RegionLevel::Village => staff.may_write(scope),
        RegionLevel::Regency => staff.role == Role::RegencyAdmin && staff.scope == scope,
        _ => false,
    }
}

/// The pages written for exactly `scope`, for its editor.
pub async fn pages_of(
    db: &Db,
    staff: &Staff,
    scope: KodeWilayah,
) -> Result<Vec<InfoPage>, ServiceError> {
    let store = db.store();
    if !may_edit(staff, scope) {
        return Err(ServiceError::NotFound);
    }
    Ok(store.info_pages_of(scope).await?)
}

/// One page of `scope`, for its editor.
pub async fn page_of(
    db: &Db,
    staff: &Staff,
    scope: KodeWilayah,
    id: Uuid,
) -> Result<InfoPage, ServiceError> {
    let store = db.store();
    if !may_edit(staff, scope) {
        return Err(ServiceError::NotFound);
    }
    store
        .info_page(id)
        .await?
        .filter(|p| p.scope == scope)
        .ok_or(ServiceError::NotFound)
}

/// Creates (`id` None) or rewrites a page of `scope`.
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    scope: KodeWilayah,
    id: Option<Uuid>,
    draft: &InfoPageDraft,
) -> Result<Uuid, ServiceError> {
    let store = db.store();
    if !may_edit(staff, scope) {
        return Err(ServiceError::NotFound);
    }
    if let Some(id) = id {
        page_of(db, staff, scope, id).await?;
    }
    let id = id.unwrap_or_else(|| crate::registry::events::new_row_id(clock));
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    store
        .save_info_page(
            &ctx,
            &InfoPage {
                id,
                scope,
                topic: draft.topic,
                title: draft.title.clone(),
                body: draft.body.clone(),
                updated_at: ctx.at,
                updated_by: ctx.actor.clone(),
            },
        )
        .await?;
    Ok(id)
}

/// Deletes a page of `scope`.
pub async fn delete(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    scope: KodeWilayah,
    id: Uuid,
) -> Result<(), ServiceError> {
    let store = db.store();
    page_of(db, staff, scope, id).await?;
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    store.delete_info_page(&ctx, scope, id).await?;
    Ok(())
}

/// What a village's kiosk shows (its own pages and its regency's); public.
pub async fn for_kiosk(db: &Db, village: KodeWilayah) -> Result<Vec<InfoPage>, ServiceError> {
    let store = db.store();
    Ok(store.info_pages_for_village(village).await?)
}
