//! SQLite: how connections are made and configured.

use std::path::Path;
use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::any::AnyConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::error::StoreError;

/// Run on every new connection (the `Any` pool cannot carry SQLite's typed
/// options). busy_timeout first, so switching to WAL waits for a lock
/// instead of failing while other connections open.
pub(crate) const CONNECTION_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
-- FULL: a write acknowledged to a user survives a power cut too, not only a crash.
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = memory;
PRAGMA cache_size = -8000;";

/// Options for the file at `path`, created if missing.
pub(crate) fn file_options(path: &Path) -> Result<AnyConnectOptions, StoreError> {
    let url = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .to_url_lossy();
    Ok(AnyConnectOptions::from_url(&url)?)
}

/// A private in-memory database (one per connection: the pool keeps one).
pub(crate) fn memory_options() -> Result<AnyConnectOptions, StoreError> {
    Ok(AnyConnectOptions::from_str("sqlite::memory:")?)
}
