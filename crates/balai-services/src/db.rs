//! The handle callers hold to reach Balai's data. Its store is private to
//! this crate: the web and the CLI can only pass it to the use cases here,
//! so every read of personal data goes through a function that checks the
//! caller's access and logs the view, and every write through one that logs
//! the change.

use std::path::Path;

use balai_store::Store;
pub use balai_store::{Backend, DatabaseUrl, PoolSettings};

use crate::error::ServiceError;

/// Balai's database, reachable only through the services. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    store: Store,
    /// The regency dashboard's per-village key figures, with the statistics
    /// generation and this process's figure writes they were read at
    /// (`crate::regency`): read again as soon as either moves.
    pub(crate) key_figures: std::sync::Arc<std::sync::Mutex<Option<KeyFiguresCache>>>,
}

/// Kept figures read once per statistics generation (see [`Db`]).
#[derive(Debug, Clone)]
pub(crate) struct KeyFiguresCache {
    pub generation: i64,
    pub local_writes: u64,
    pub within: balai_domain::KodeWilayah,
    pub rows: std::sync::Arc<Vec<balai_store::KeyRow>>,
}

impl Db {
    fn wrap(store: Store) -> Self {
        Self {
            store,
            key_figures: Default::default(),
        }
    }
}

impl Db {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub async fn open(path: &Path) -> Result<Self, ServiceError> {
        Ok(Self::wrap(Store::open(path).await?))
    }

    /// Connects to `location`: `sqlite://PATH`, a bare path, or
    /// `postgres://…` (see `balai_store::Store::connect`), migrating it forward.
    pub async fn connect(location: &str) -> Result<Self, ServiceError> {
        Ok(Self::wrap(Store::connect(location).await?))
    }

    /// Connects to a parsed location with the configured pool (what the
    /// CLI does with `database =`), migrating it forward.
    pub async fn connect_url(url: &DatabaseUrl, pool: PoolSettings) -> Result<Self, ServiceError> {
        Ok(Self::wrap(Store::connect_url(url, pool).await?))
    }

    /// The backend behind this database.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// A private in-memory database (tests, throwaway demos).
    pub async fn open_in_memory() -> Result<Self, ServiceError> {
        Ok(Self::wrap(Store::open_in_memory().await?))
    }

    /// Wraps an opened store (tests that also inspect the store directly).
    pub fn from_store(store: Store) -> Self {
        Self::wrap(store)
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The database file, if file-backed.
    pub fn path(&self) -> Option<&Path> {
        self.store.path()
    }

    /// Checks the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), ServiceError> {
        Ok(self.store.ping().await?)
    }

    /// Database size in bytes.
    pub async fn size_bytes(&self) -> Result<i64, ServiceError> {
        Ok(self.store.size_bytes().await?)
    }

    /// Folds the write-ahead log into the database file.
    pub async fn checkpoint(&self) -> Result<(), ServiceError> {
        Ok(self.store.checkpoint().await?)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.store.close().await;
    }
}
