//! A village's change feed: every change to its data since sequence N, with
//! the rows as they became (the regency's view and the village node's sync
//! read it), and applying such a feed to another database. See
//! `balai_store`'s `feed.rs` for what an entry holds.

use balai_domain::role::Role;

use balai_domain::KodeWilayah;

use crate::db::Db;
use crate::error::ServiceError;
use crate::staff::Staff;

pub use balai_store::{FEED_VERSION, FeedEntry, FeedPayload, RowImage, Table};

/// The most entries one read returns.
pub const MAX_PAGE: u32 = 500;

/// Who may read a village's feed: it holds whole rows of personal data, so
/// the village's administrator and operator, and the regency's
/// administrator (the regency server and the village node replicate it;
/// no web page shows it) — not a facilitator, a head or an official, whose
/// pages show residents one at a time (each view logged).
fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::VillageAdmin | Role::VillageOperator | Role::RegencyAdmin
    )
}

/// Proof that a staff member may replicate one village's feed. Only
/// [`authorize`] makes one. It is not a [`crate::staff::VillageAccess`]:
/// a regency administrator holding it reaches no page of personal data.
#[derive(Debug, Clone)]
pub struct FeedAccess {
    village: KodeWilayah,
}

impl FeedAccess {
    /// The village.
    pub fn village(&self) -> KodeWilayah {
        self.village
    }
}

/// Grants `staff` the feed of `village`: another village is not found; a
/// role that reads the village but not its feed is forbidden.
pub async fn authorize(
    db: &Db,
    staff: &Staff,
    village: KodeWilayah,
) -> Result<FeedAccess, ServiceError> {
    if !staff.may_read(village) || db.store().village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    if !may_read(staff.role) {
        return Err(ServiceError::Forbidden(
            "hanya admin atau operator desa dan admin kabupaten yang dapat membaca umpan perubahan"
                .into(),
        ));
    }
    Ok(FeedAccess { village })
}

/// The changes of the village after its sequence number `after` (0: from
/// the start), oldest first, at most `limit` (capped at [`MAX_PAGE`]).
pub async fn changes_after(
    db: &Db,
    access: &FeedAccess,
    after: i64,
    limit: u32,
) -> Result<Vec<FeedEntry>, ServiceError> {
    Ok(db
        .store()
        .feed_after(access.village(), after.max(0), limit.min(MAX_PAGE))
        .await?)
}

/// The village's last sequence number (0: no changes yet).
pub async fn head(db: &Db, access: &FeedAccess) -> Result<i64, ServiceError> {
    Ok(db.store().feed_head(access.village()).await?)
}

/// A SHA-256 over the village's data and feed: two databases holding the
/// same village give the same hash (what a sync checks after applying).
pub async fn content_hash(db: &Db, access: &FeedAccess) -> Result<String, ServiceError> {
    Ok(db.store().village_content_hash(access.village()).await?)
}

/// Applies another database's feed entries of one village to `db`, in
/// order, continuing exactly where `db`'s copy of that feed ends (the
/// village node's sync; no page calls it). Each entry is one transaction;
/// an entry out of order, or from before the feed (version 0), is refused
/// and the entries before it stay applied.
pub async fn replay(db: &Db, entries: &[FeedEntry]) -> Result<(), ServiceError> {
    Ok(db.store().replay_feed(entries).await?)
}
