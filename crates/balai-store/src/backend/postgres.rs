//! PostgreSQL: connecting, and what the shared SQL cannot say.

use sqlx::any::AnyConnectOptions;

use crate::error::StoreError;

/// Run on every new connection. REPEATABLE READ by default: a transaction
/// that read a row and then writes it fails if someone else changed it
/// meanwhile, as a deferred SQLite transaction in WAL mode does
/// (SQLITE_BUSY_SNAPSHOT), instead of overwriting it silently.
pub(crate) const CONNECTION_SETTINGS: &str =
    "SET default_transaction_isolation TO 'repeatable read'; SET TIME ZONE 'UTC'";

/// What [`crate::dialect::BEGIN_WRITE`] means here: a READ COMMITTED
/// transaction (each statement sees what the previous lock holder
/// committed) that first takes [`WRITE_LOCK`] on its key.
pub(crate) const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";

/// Serialises the short "read a counter, bump it" transactions of one key
/// (a village or regency code), as SQLite's `BEGIN IMMEDIATE` serialises
/// all writers; released at commit or rollback.
pub(crate) const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock($1)";

pub(crate) fn options(url: &url::Url) -> Result<AnyConnectOptions, StoreError> {
    use sqlx::ConnectOptions;
    Ok(AnyConnectOptions::from_url(url)?)
}
