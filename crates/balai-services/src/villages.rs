//! The villages this installation serves and their headline figures, as the
//! public front page, the staff home and a village's dashboard show them.
//! Aggregates only: nothing here reads a resident.

use balai_domain::KodeWilayah;
use balai_domain::letter_request::RequestStatus;
use balai_domain::village::Village;
pub use balai_store::VillageSummary;

use crate::db::Db;
use crate::error::ServiceError;
use crate::staff::{Staff, VillageAccess};

/// Every village of the installation with its population and families, in
/// code order (public: aggregate counts only).
pub async fn summaries(db: &Db) -> Result<Vec<VillageSummary>, ServiceError> {
    Ok(db.store().village_summaries(None).await?)
}

/// The villages `staff` may read, with their figures.
pub async fn readable_by(db: &Db, staff: &Staff) -> Result<Vec<VillageSummary>, ServiceError> {
    let mut all = summaries(db).await?;
    all.retain(|s| staff.may_read(s.village.kode));
    Ok(all)
}

/// A village served here, by code (public: name and region only).
pub async fn village(db: &Db, kode: KodeWilayah) -> Result<Village, ServiceError> {
    db.store()
        .village(kode)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// What a village's dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// Population and families.
    pub summary: VillageSummary,
    /// Residents' letter requests not yet finished.
    pub open_requests: i64,
    /// Requests waiting for the head's signature.
    pub to_sign: i64,
}

/// The dashboard of the village `access` opens.
pub async fn dashboard(db: &Db, access: &VillageAccess) -> Result<Dashboard, ServiceError> {
    let store = db.store();
    let summary = store
        .village_summaries(Some(access.village()))
        .await?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)?;
    let counts = store.letter_request_counts(access.village()).await?;
    let count = |f: fn(RequestStatus) -> bool| -> i64 {
        counts.iter().filter(|(s, _)| f(*s)).map(|(_, n)| n).sum()
    };
    Ok(Dashboard {
        summary,
        open_requests: count(|s| !s.is_final()),
        to_sign: count(|s| s == RequestStatus::MenungguTtd),
    })
}
