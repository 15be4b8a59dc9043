//! The village registry's use cases: finding residents, viewing them (logged),
//! and recording what happens to them.

pub mod events;
pub mod field_errors;
pub mod particulars;
pub mod resident_form;

use crate::db::Db;
use balai_domain::time_zone::ZonaWaktu;
use balai_domain::{KodeWilayah, Resident, ResidentNumber};
pub use balai_store::{
    AccessEntry, ChangeLogEntry, FamilyCard, FamilyFilter, FamilyListItem, FamilyPage,
    ResidentFilter, ResidentPage,
};
use time::Date;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::staff::VillageAccess;

/// Rows per page of a resident list.
pub const PER_PAGE: u32 = 50;

/// Today on the clocks of `place` (a village, or the district, regency or
/// province it lies in): WIB, WITA or WIT by its province. Ages, the month a
/// report is due and "today's" activities turn at the village's midnight,
/// not Jakarta's: at 23.30 WIT in Jayapura it is already tomorrow.
pub fn today(clock: &dyn Clock, place: KodeWilayah) -> Date {
    local_date(clock.now(), place)
}

/// The calendar day of an instant on the clocks of `place` (as [`today`]).
pub fn local_date(at: time::OffsetDateTime, place: KodeWilayah) -> Date {
    ZonaWaktu::of(place).local(at).date()
}

/// A page of the village's residents.
pub async fn list(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    filter: &ResidentFilter,
    page: u32,
) -> Result<ResidentPage, ServiceError> {
    let store = db.store();
    Ok(store
        .list_residents(
            access.village(),
            filter,
            today(clock, access.village()),
            page,
            PER_PAGE,
        )
        .await?)
}

/// A resident's life events, oldest first (shown with the resident, whose
/// view [`resident`] logs).
pub async fn events_of(
    db: &Db,
    access: &VillageAccess,
    resident_id: Uuid,
) -> Result<Vec<balai_domain::life_event::LifeEvent>, ServiceError> {
    Ok(db.store().events_of(access.village(), resident_id).await?)
}

/// A life event with what its particulars name, resolved for people: the
/// region written out and the named residents' names.
#[derive(Debug, Clone)]
pub struct EventDetails {
    /// The event as recorded.
    pub event: balai_domain::life_event::LifeEvent,
    /// The destination (move out) or origin (move in), written out.
    pub region: Option<String>,
    /// A move's classification, derived from the two region codes.
    pub classification: Option<balai_domain::codes::KlasifikasiPindah>,
    /// Names of the residents the particulars link (parents, movers).
    pub names: std::collections::HashMap<Uuid, String>,
}

/// A resident's life events with their particulars, oldest first (shown
/// with the resident, whose view [`resident`] logs; the linked residents'
/// names shown with them are logged as views too).
pub async fn event_history(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident_id: Uuid,
) -> Result<Vec<EventDetails>, ServiceError> {
    use balai_domain::particulars::Particulars;
    let store = db.store();
    let ctx = access.context(clock);
    let mut out = Vec::new();
    for event in store.events_of(access.village(), resident_id).await? {
        let (code, linked): (Option<balai_domain::KodeWilayah>, Vec<Uuid>) = match &event
            .particulars
        {
            Some(Particulars::Birth(b)) => (None, b.mother.into_iter().chain(b.father).collect()),
            Some(Particulars::MoveOut(m)) => (m.destination, m.movers.clone()),
            Some(Particulars::MoveIn(m)) => (m.origin, Vec::new()),
            Some(Particulars::Death(_)) | None => (None, Vec::new()),
        };
        let region = match code {
            Some(k) => Some(particulars::region_label(db, k).await?),
            None => None,
        };
        let classification =
            code.map(|k| balai_domain::codes::KlasifikasiPindah::between(access.village(), k));
        let mut names = std::collections::HashMap::new();
        for id in linked {
            if let Some(p) = store.resident(access.village(), id).await? {
                store
                    .log_access(&ctx, access.village(), id, "riwayat peristiwa")
                    .await?;
                names.insert(id, p.name.to_string());
            }
        }
        out.push(EventDetails {
            event,
            region,
            classification,
            names,
        });
    }
    Ok(out)
}

/// The village's dusun/RW/RT units that residents live in, for filters.
pub async fn wilayah_units(
    db: &Db,
    access: &VillageAccess,
) -> Result<Vec<(String, String, String)>, ServiceError> {
    Ok(db.store().wilayah_units(access.village()).await?)
}

/// A resident's full record; the view is logged for the PDP trail.
pub async fn resident(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<Resident, ServiceError> {
    let store = db.store();
    let r = store
        .resident(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(
            &access.context(clock),
            access.village(),
            id,
            "detail penduduk",
        )
        .await?;
    Ok(r)
}

/// A resident found by NIK or temporary number (exact); the view is logged.
pub async fn resident_by_number(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    number: &ResidentNumber,
) -> Result<Resident, ServiceError> {
    let store = db.store();
    let r = store
        .resident_by_number(access.village(), number)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(
            &access.context(clock),
            access.village(),
            r.id,
            "pencarian NIK",
        )
        .await?;
    Ok(r)
}

/// A page of the village's family cards (by card number), with each
/// card's current head. The heads shown are logged as viewed.
pub async fn families(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    filter: &FamilyFilter,
    page: u32,
) -> Result<FamilyPage, ServiceError> {
    let store = db.store();
    let found = store
        .list_families(access.village(), filter, page, PER_PAGE)
        .await?;
    let heads: Vec<Uuid> = found.items.iter().filter_map(|f| f.head_id).collect();
    if !heads.is_empty() {
        store
            .log_bulk_access(
                &access.context(clock),
                access.village(),
                &heads,
                "daftar keluarga",
            )
            .await?;
    }
    Ok(found)
}

/// A family card; viewing it is logged for every member shown.
pub async fn family(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<FamilyCard, ServiceError> {
    let store = db.store();
    let card = store
        .family_card(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let ctx = access.context(clock);
    for m in &card.members {
        store
            .log_access(&ctx, access.village(), m.id, "kartu keluarga")
            .await?;
    }
    Ok(card)
}

/// Who viewed and who changed a resident's data: the report UU 27/2022 lets
/// a resident ask for. Reading it is itself logged.
pub async fn access_report(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(Resident, Vec<AccessEntry>, Vec<ChangeLogEntry>), ServiceError> {
    let store = db.store();
    let r = store
        .resident(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(
            &access.context(clock),
            access.village(),
            id,
            "laporan akses data pribadi",
        )
        .await?;
    let views = store.accesses_of(access.village(), id).await?;
    let mut changes = store.changes_for(access.village(), id).await?;
    for e in store.events_of(access.village(), id).await? {
        changes.extend(store.changes_for(access.village(), e.id).await?);
    }
    changes.sort_by_key(|c| c.seq);
    changes.dedup_by_key(|c| c.seq);
    Ok((r, views, changes))
}
