//! The regency's service directory (issue 13 part 5): public services —
//! health, education, civil registration and others — with what they
//! offer, where, when, what to bring and whom to contact. The regency
//! administrator keeps the list; every village website
//! (`/desa/{kode}/layanan-publik`) and kiosk of the regency shows it.

use balai_domain::info_topic::InfoTopic;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
pub use balai_store::PublicService;
use balai_store::WriteContext;
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::staff::Staff;

/// The form for a service, as posted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ServiceForm {
    /// Topic code.
    pub topik: String,
    /// Name.
    pub nama: String,
    /// What it offers.
    pub keterangan: String,
    /// Where.
    pub tempat: String,
    /// Opening hours.
    pub jam: String,
    /// Requirements.
    pub syarat: String,
    /// Contact.
    pub kontak: String,
}

/// A service as written, checked: what [`save`] stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDraft {
    /// Topic.
    pub topic: InfoTopic,
    /// Name, 1–120 characters.
    pub name: String,
    /// What it offers, 1–2,000 characters.
    pub description: String,
    /// Where, 1–200 characters.
    pub place: String,
    /// Opening hours, 1–200 characters.
    pub hours: String,
    /// Requirements, at most 2,000 characters (may be empty).
    pub requirements: String,
    /// Contact, at most 120 characters (may be empty).
    pub contact: String,
}

/// A trimmed text with Unix line ends, or the message for its field.
fn text(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
    what: &str,
) -> String {
    let v = value.trim().replace("\r\n", "\n");
    if required && v.is_empty() {
        e.add(field, format!("tulis {what}"));
    } else if v.chars().count() > max {
        e.add(field, format!("{what} paling panjang {max} huruf"));
    }
    v
}

impl TryFrom<&ServiceForm> for ServiceDraft {
    type Error = FieldErrors;
    /// Every problem at once.
    fn try_from(f: &ServiceForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let topic = InfoTopic::parse(f.topik.trim());
        if topic.is_none() {
            e.add("topik", "pilih jenis layanan");
        }
        let name = text(&mut e, "nama", &f.nama, true, 120, "nama layanan");
        let description = text(
            &mut e,
            "keterangan",
            &f.keterangan,
            true,
            2000,
            "keterangan layanan",
        );
        let place = text(&mut e, "tempat", &f.tempat, true, 200, "alamat atau tempat");
        let hours = text(&mut e, "jam", &f.jam, true, 200, "jam layanan");
        let requirements = text(&mut e, "syarat", &f.syarat, false, 2000, "persyaratan");
        let contact = text(&mut e, "kontak", &f.kontak, false, 120, "kontak");
        match topic {
            Some(topic) if e.is_empty() => Ok(Self {
                topic,
                name,
                description,
                place,
                hours,
                requirements,
                contact,
            }),
            _ => Err(e),
        }
    }
}

/// The regency `staff` keeps the directory of: only a regency
/// administrator has one; anyone else gets "not found".
pub fn editor_of(staff: &Staff) -> Result<KodeWilayah, ServiceError> {
    if staff.role == Role::RegencyAdmin && staff.scope.level() == RegionLevel::Regency {
        Ok(staff.scope)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The directory, for its editor.
pub async fn list(db: &Db, staff: &Staff) -> Result<Vec<PublicService>, ServiceError> {
    let regency = editor_of(staff)?;
    Ok(db.store().public_services(regency).await?)
}

/// One service, for its editor.
pub async fn one(db: &Db, staff: &Staff, id: Uuid) -> Result<PublicService, ServiceError> {
    list(db, staff)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(ServiceError::NotFound)
}

/// Creates (`id` None) or rewrites a service of the administrator's regency.
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    id: Option<Uuid>,
    draft: &ServiceDraft,
) -> Result<Uuid, ServiceError> {
    let regency = editor_of(staff)?;
    if let Some(id) = id {
        one(db, staff, id).await?;
    }
    let created = id.is_none();
    let id = id.unwrap_or_else(|| crate::registry::events::new_row_id(clock));
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    db.store()
        .save_public_service(
            &ctx,
            &PublicService {
                id,
                regency,
                topic: draft.topic,
                name: draft.name.clone(),
                description: draft.description.clone(),
                place: draft.place.clone(),
                hours: draft.hours.clone(),
                requirements: draft.requirements.clone(),
                contact: draft.contact.clone(),
                updated_at: ctx.at,
                updated_by: ctx.actor.clone(),
            },
            created,
        )
        .await?;
    Ok(id)
}

/// Removes a service of the administrator's regency.
pub async fn delete(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    id: Uuid,
) -> Result<(), ServiceError> {
    let regency = editor_of(staff)?;
    one(db, staff, id).await?;
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    db.store().delete_public_service(&ctx, regency, id).await?;
    Ok(())
}

/// What a village's website and kiosk show: its regency's services; public.
pub async fn for_village(
    db: &Db,
    village: KodeWilayah,
) -> Result<Vec<PublicService>, ServiceError> {
    let Some(regency) = village.ancestor(RegionLevel::Regency) else {
        return Ok(Vec::new());
    };
    Ok(db.store().public_services(regency).await?)
}
