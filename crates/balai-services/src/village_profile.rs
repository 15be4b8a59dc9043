//! The village's public profile: its staff (the site's editors) write it,
//! everyone reads it on the village's website and in the open-data API.

use balai_domain::KodeWilayah;
use balai_domain::village_profile::{ProfileInput, VillageProfileText};
pub use balai_store::StoredVillageProfile;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::site::require_editor;
use crate::staff::VillageAccess;

/// The profile form as typed (its field names are the form's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    /// Office address.
    pub alamat_kantor: String,
    /// Telephone.
    pub telepon: String,
    /// E-mail.
    pub surel: String,
    /// Area in km².
    pub luas: String,
    /// North boundary.
    pub batas_utara: String,
    /// East boundary.
    pub batas_timur: String,
    /// South boundary.
    pub batas_selatan: String,
    /// West boundary.
    pub batas_barat: String,
    /// The office's latitude.
    pub lintang: String,
    /// The office's longitude.
    pub bujur: String,
    /// History (Markdown).
    pub sejarah: String,
    /// Vision.
    pub visi: String,
    /// Mission (Markdown).
    pub misi: String,
    /// Institutions (Markdown).
    pub lembaga: String,
}

impl ProfileForm {
    /// The form filled with a stored profile.
    pub fn of(p: &VillageProfileText) -> Self {
        let b = &p.boundaries;
        Self {
            alamat_kantor: p.office_address.clone(),
            telepon: p
                .phone
                .as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            surel: p
                .email
                .as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            luas: p.area.map(|a| a.to_string()).unwrap_or_default(),
            batas_utara: b.north.clone(),
            batas_timur: b.east.clone(),
            batas_selatan: b.south.clone(),
            batas_barat: b.west.clone(),
            lintang: p.office_location.map(|c| c.lat()).unwrap_or_default(),
            bujur: p.office_location.map(|c| c.lon()).unwrap_or_default(),
            sejarah: p.history.clone(),
            visi: p.vision.clone(),
            misi: p.mission.clone(),
            lembaga: p.institutions.clone(),
        }
    }
}

/// A profile, checked: what [`save`] takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteProfile(pub VillageProfileText);

impl TryFrom<&ProfileForm> for WriteProfile {
    type Error = FieldErrors;
    fn try_from(f: &ProfileForm) -> Result<Self, FieldErrors> {
        VillageProfileText::parse(&ProfileInput {
            alamat_kantor: &f.alamat_kantor,
            telepon: &f.telepon,
            surel: &f.surel,
            luas: &f.luas,
            batas_utara: &f.batas_utara,
            batas_timur: &f.batas_timur,
            batas_selatan: &f.batas_selatan,
            batas_barat: &f.batas_barat,
            lintang: &f.lintang,
            bujur: &f.bujur,
            sejarah: &f.sejarah,
            visi: &f.visi,
            misi: &f.misi,
            lembaga: &f.lembaga,
        })
        .map(WriteProfile)
        .map_err(|problems| {
            let mut e = FieldErrors::default();
            for (field, message) in problems {
                e.add(field, message);
            }
            e
        })
    }
}

/// Replaces the village's profile (the site's editors only).
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    p: &WriteProfile,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    Ok(db
        .store()
        .save_village_public_profile(&access.context(clock), access.village(), &p.0)
        .await?)
}

/// The profile as its staff see it (with who changed it last), if written.
pub async fn staff_view(
    db: &Db,
    access: &VillageAccess,
) -> Result<Option<StoredVillageProfile>, ServiceError> {
    Ok(db.store().village_public_profile(access.village()).await?)
}

/// The profile as the public sees it (empty when nothing was written); a
/// village not on this server is "not found".
pub async fn public(db: &Db, village: KodeWilayah) -> Result<VillageProfileText, ServiceError> {
    crate::villages::village(db, village).await?;
    Ok(db
        .store()
        .village_public_profile(village)
        .await?
        .map(|p| p.text)
        .unwrap_or_default())
}
