//! Storage errors: what went wrong, without leaking SQL to users.

/// A storage operation that failed; nothing it started was kept.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, migrated or queried.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database location is malformed or names no supported backend.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached (the location's password masked).
    #[error("cannot connect to the database at {location}: {source}")]
    Connect {
        /// Where, password masked.
        location: String,
        /// Why.
        source: sqlx::Error,
    },
    /// The database's schema is not one this binary can use as it is.
    #[error("{0}")]
    Schema(String),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row the operation needs does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The write would break a uniqueness or consistency rule.
    #[error("{0}")]
    Conflict(String),
    /// A backup or restore check failed.
    #[error("{0}")]
    Verify(String),
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Stored data could not be read back into domain types.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| StoreError::Io { context, source }
    }

    /// True when the database refused a write for breaking a UNIQUE constraint.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
