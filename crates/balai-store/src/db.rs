//! Opening, configuring and migrating the database.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::StoreError;

/// The schema migrations compiled into the binary.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: Option<PathBuf>,
    /// Commits by this process that changed population figures: lets a
    /// cache of rendered aggregates see this process's writes at once
    /// without asking the database on every read.
    stat_writes: Arc<AtomicU64>,
}

impl Store {
    /// Opens (creating if missing) and migrates the SQLite database at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(StoreError::io(format!("creating {}", dir.display())))?;
        }
        let opts = options(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
        );
        // Two cores: a small pool is enough; SQLite serialises writers anyway.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(opts)
            .await?;
        MIGRATOR.run(&pool).await?;
        let store = Self {
            pool,
            path: Some(path.to_path_buf()),
            stat_writes: Arc::default(),
        };
        store.build_population_stats().await?;
        Ok(store)
    }

    /// A private in-memory database, for tests.
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let opts = options(SqliteConnectOptions::from_str("sqlite::memory:")?);
        // One connection: each in-memory connection would otherwise be its own database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts)
            .await?;
        MIGRATOR.run(&pool).await?;
        let store = Self {
            pool,
            path: None,
            stat_writes: Arc::default(),
        };
        store.build_population_stats().await?;
        Ok(store)
    }

    /// The database file, if this store is file-backed.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How many commits of this process changed population figures so far.
    pub fn local_stat_writes(&self) -> u64 {
        self.stat_writes.load(Ordering::Acquire)
    }

    /// Called after a commit that changed population figures.
    pub(crate) fn stat_written(&self) {
        self.stat_writes.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Checks the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Database size in bytes (pages × page size), WAL excluded.
    pub async fn size_bytes(&self) -> Result<i64, StoreError> {
        let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count")
            .fetch_one(&self.pool)
            .await?;
        let (size,): (i64,) = sqlx::query_as("PRAGMA page_size")
            .fetch_one(&self.pool)
            .await?;
        Ok(pages * size)
    }

    /// Folds the WAL into the main file (after bulk loads, before measuring size).
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn options(o: SqliteConnectOptions) -> SqliteConnectOptions {
    o.journal_mode(SqliteJournalMode::Wal)
        // FULL: a write acknowledged to a user survives a power cut too, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-8000")
        // Bulk statements are slow by design; their timing belongs in benchmarks, not logs.
        .log_slow_statements(tracing::log::LevelFilter::Off, Duration::from_secs(60))
        .log_statements(tracing::log::LevelFilter::Trace)
}

/// An exclusive lock held by a running `balai serve` on its database, so that
/// `balai restore` can refuse to replace a database in use. Released on drop.
#[derive(Debug)]
pub struct ServeLock {
    _file: File,
    path: PathBuf,
}

impl ServeLock {
    fn lock_path(db: &Path) -> PathBuf {
        let mut p = db.as_os_str().to_owned();
        p.push(".lock");
        PathBuf::from(p)
    }

    /// Takes the lock for `db`, failing if another process holds it.
    pub fn acquire(db: &Path) -> Result<Self, StoreError> {
        let path = Self::lock_path(db);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(StoreError::io(format!("creating {}", dir.display())))?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(StoreError::io(format!("opening {}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Conflict(format!(
                "{} is in use by another balai process (lock file {})",
                db.display(),
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::io(format!("locking {}", path.display()))(e))
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
