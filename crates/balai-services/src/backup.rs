//! Backups and restores of the whole database, for the CLI and the server's
//! schedule. They copy files, never read village data row by row, so they
//! are not access-logged; the restore refuses a database in use.

use std::path::Path;

pub use balai_store::{
    BackupReport, RestoreReport, SchemaState, ServeLock, StoreError, TableCounts, backup_file,
    create_at_schema_version, restore, schema_state, verify,
};

use crate::db::Db;
use crate::error::ServiceError;

/// Writes a consistent copy of the live database to `dest` (a snapshot,
/// whatever writers do meanwhile) and checks it.
pub async fn backup_to(db: &Db, dest: &Path) -> Result<BackupReport, StoreError> {
    db.store().backup_to(dest).await
}

/// Takes the lock a running server holds on its database file.
pub fn lock(database: &Path) -> Result<ServeLock, ServiceError> {
    Ok(ServeLock::acquire(database)?)
}
