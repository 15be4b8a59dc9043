//! Village officials (perangkat desa) and BPD members as data: the
//! village's own operator or administrator records them; letters pick
//! their signer from them; the public site lists the current ones (names,
//! positions and terms only — never a NIP).

use balai_domain::KodeWilayah;
use balai_domain::official::{Appointment, Authority, Body, Position};
use balai_domain::role::Role;
pub use balai_store::OfficialRecord;
use balai_store::StoreError;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::staff::VillageAccess;

/// Whether `access` may change the village's officials: its operator or
/// its administrator. The head and officials read them.
pub fn may_edit(access: &VillageAccess) -> bool {
    matches!(
        access.staff().role,
        Role::VillageOperator | Role::VillageAdmin
    )
}

fn require_edit(access: &VillageAccess) -> Result<(), ServiceError> {
    if may_edit(access) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "hanya operator atau admin desa ini yang dapat mengubah data perangkat desa".into(),
        ))
    }
}

fn conflict(e: StoreError) -> ServiceError {
    match e {
        StoreError::Conflict(_) => ServiceError::Invalid(
            "data perangkat ini baru saja diubah orang lain; muat ulang".into(),
        ),
        StoreError::NotFound(_) => ServiceError::NotFound,
        other => other.into(),
    }
}

/// Every official of the village, past and present (the staff's list).
pub async fn list(db: &Db, access: &VillageAccess) -> Result<Vec<OfficialRecord>, ServiceError> {
    Ok(db.store().officials(access.village()).await?)
}

/// One official of the village.
pub async fn one(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<OfficialRecord, ServiceError> {
    db.store()
        .official(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Records an official; returns its id.
pub async fn add(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    a: &Appointment,
) -> Result<Uuid, ServiceError> {
    require_edit(access)?;
    let id = Uuid::now_v7();
    db.store()
        .create_official(&access.context(clock), access.village(), id, a)
        .await?;
    Ok(id)
}

/// Replaces an official's record, unless someone changed it since
/// `seen_at` (when the editor read it).
pub async fn edit(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    seen_at: OffsetDateTime,
    a: &Appointment,
) -> Result<(), ServiceError> {
    require_edit(access)?;
    db.store()
        .update_official(&access.context(clock), access.village(), id, seen_at, a)
        .await
        .map_err(conflict)
}

/// Ends an official's term on `last_day` (inclusive). A last day before
/// the term began is a field error under `selesai`.
pub async fn end_term(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    seen_at: OffsetDateTime,
    last_day: Date,
) -> Result<(), ServiceError> {
    require_edit(access)?;
    let current = one(db, access, id).await?;
    let mut a = current.appointment;
    a.term = a.term.ended(last_day).map_err(|e| {
        let mut f = FieldErrors::default();
        f.add(e.field, e.message);
        ServiceError::Form(f)
    })?;
    edit(db, clock, access, id, seen_at, &a).await
}

/// An official who may sign a letter on a given day, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibleSigner {
    /// The official.
    pub official: OfficialRecord,
    /// In which capacity.
    pub authority: Authority,
}

/// The officials of `village` in office on `day` who may sign letters
/// on the head's behalf (a.n. or u.b.), secretary first. The head is not
/// among them: a letter in the head's own name is signed by the head.
pub async fn signers_on(
    db: &Db,
    village: KodeWilayah,
    day: Date,
) -> Result<Vec<EligibleSigner>, ServiceError> {
    let mut out: Vec<EligibleSigner> = db
        .store()
        .officials(village)
        .await?
        .into_iter()
        .filter(|o| o.appointment.term.covers(day))
        .filter_map(|o| {
            let authority = o.appointment.authority()?;
            (authority != Authority::Head).then_some(EligibleSigner {
                official: o,
                authority,
            })
        })
        .collect();
    out.sort_by_key(|s| (s.authority.code(), s.official.appointment.position));
    Ok(out)
}

/// The head in office on `day`, if the village recorded one.
pub async fn head_on(
    db: &Db,
    village: KodeWilayah,
    day: Date,
) -> Result<Option<OfficialRecord>, ServiceError> {
    Ok(db
        .store()
        .officials(village)
        .await?
        .into_iter()
        .find(|o| o.appointment.position == Position::KepalaDesa && o.appointment.term.covers(day)))
}

/// One line of the public list: what the village publishes of an official.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicOfficial {
    /// Name, with titles.
    pub name: String,
    /// Position as printed (`Kepala Dusun Krajan`, `Plt. Kepala Desa`).
    pub title: String,
    /// First day of the term, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, if known.
    pub end: Option<String>,
}

/// The village's current government and BPD on `day`, for the public site:
/// names, positions and terms only (no NIP or NIPD).
pub async fn public_on(
    db: &Db,
    village: KodeWilayah,
    day: Date,
) -> Result<(Vec<PublicOfficial>, Vec<PublicOfficial>), ServiceError> {
    let store = db.store();
    if store.village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let (mut government, mut bpd) = (Vec::new(), Vec::new());
    for o in store.officials(village).await? {
        let a = &o.appointment;
        if !a.term.covers(day) {
            continue;
        }
        let line = PublicOfficial {
            name: a.name.to_string(),
            title: a.title(),
            start: a.term.start().to_string(),
            end: a.term.end().map(|d| d.to_string()),
        };
        match a.position.body() {
            Body::Government => government.push(line),
            Body::Bpd => bpd.push(line),
        }
    }
    Ok((government, bpd))
}

/// One choice of signer on a letter form: the form value
/// (`pejabat:<id>`) and what the choice reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignerChoice {
    /// The `penandatangan` value.
    pub value: String,
    /// `a.n. Kepala Desa — Sekretaris Desa: SITI AMINAH`.
    pub label: String,
}

/// The officials who may sign the village's letters today, as form choices.
pub async fn signer_choices(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
) -> Result<Vec<SignerChoice>, ServiceError> {
    let day = crate::registry::today(clock, access.village());
    Ok(signers_on(db, access.village(), day)
        .await?
        .into_iter()
        .map(|s| {
            let a = &s.official.appointment;
            let how = match s.authority {
                Authority::ByOrder => "u.b. Sekretaris Desa, a.n. Kepala Desa",
                _ => "a.n. Kepala Desa",
            };
            SignerChoice {
                value: format!("{}{}", crate::letters::OFFICIAL_PREFIX, s.official.id),
                label: format!("{how} — {}: {}", a.title(), a.name),
            }
        })
        .collect())
}
