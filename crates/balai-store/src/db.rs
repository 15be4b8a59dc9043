//! Opening, configuring and migrating the database.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use balai_domain::KodeWilayah;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor, Transaction};

use crate::backend::{self, Backend, DatabaseUrl, PoolSettings, Target};
use crate::error::StoreError;

/// The SQLite schema migrations compiled into the binary.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL ones: the same numbers and names, kept in lockstep (a
/// test compares the schemas they make).
pub(crate) static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// What connecting does with a schema older than this binary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationPolicy {
    /// Apply the pending migrations (each in its own transaction).
    Apply,
    /// Refuse with an error and change nothing.
    RequireCurrent,
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    path: Option<PathBuf>,
    /// Commits by this process that changed population figures: lets a
    /// cache of rendered aggregates see this process's writes at once
    /// without asking the database on every read.
    stat_writes: Arc<AtomicU64>,
    /// PostgreSQL only: the driver's own connections, for `COPY`.
    bulk: Option<backend::postgres::Bulk>,
}

fn install_drivers() {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
}

impl Store {
    /// Opens (creating if missing) and migrates the SQLite database at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::connect_target(
            Target::SqliteFile(path.to_path_buf()),
            MigrationPolicy::Apply,
            PoolSettings::default(),
        )
        .await
    }

    /// Connects to `location` — `sqlite://PATH`, a bare path (SQLite,
    /// created if missing) or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`
    /// (the database must exist) — and migrates it forward.
    ///
    /// Refused with a clear error, nothing changed: a malformed location, a
    /// server that cannot be reached (the URL named, password masked), a
    /// database with tables but no Balai migration history, a schema newer
    /// than this binary or applied from different migration files, or one
    /// whose earlier migration did not finish. A migration that fails is
    /// rolled back whole (both backends run each migration in a transaction).
    pub async fn connect(location: &str) -> Result<Self, StoreError> {
        Self::connect_with(location, MigrationPolicy::Apply).await
    }

    /// [`connect`](Self::connect), choosing what to do with an older schema.
    pub async fn connect_with(location: &str, policy: MigrationPolicy) -> Result<Self, StoreError> {
        Self::connect_target(Target::parse(location)?, policy, PoolSettings::default()).await
    }

    /// Connects to an already parsed location with the configured pool,
    /// migrating it forward (see [`connect`](Self::connect)).
    pub async fn connect_url(url: &DatabaseUrl, pool: PoolSettings) -> Result<Self, StoreError> {
        Self::connect_target(url.target().clone(), MigrationPolicy::Apply, pool).await
    }

    async fn connect_target(
        target: Target,
        policy: MigrationPolicy,
        pool_settings: PoolSettings,
    ) -> Result<Self, StoreError> {
        install_drivers();
        let backend = target.backend();
        let opts = match &target {
            Target::SqliteFile(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(StoreError::io(format!("creating {}", dir.display())))?;
                }
                backend::sqlite::file_options(path)?
            }
            Target::Postgres(url) => backend::postgres::options(url)?,
        };
        let opts = quiet(opts);
        let location = target.display();
        // One connection first: an unreachable server or a missing database
        // fails here at once (a pool would retry until its timeout), and the
        // schema is checked and migrated before any request can run.
        let mut conn =
            AnyConnection::connect_with(&opts)
                .await
                .map_err(|source| StoreError::Connect {
                    location: location.clone(),
                    source,
                })?;
        configure(&mut conn, backend).await?;
        migrate(&mut conn, backend, &location, policy).await?;
        conn.close().await?;
        let pool = AnyPoolOptions::new()
            .max_connections(pool_settings.max_connections_on(backend))
            .acquire_timeout(pool_settings.acquire_timeout)
            .min_connections(1)
            .after_connect(move |conn, _| {
                Box::pin(async move { configure_raw(conn, backend).await })
            })
            .connect_with(opts)
            .await
            .map_err(|source| StoreError::Connect { location, source })?;
        let store = Self {
            pool,
            backend,
            path: target.sqlite_path().map(Path::to_path_buf),
            stat_writes: Arc::default(),
            bulk: match &target {
                Target::Postgres(url) => Some(backend::postgres::Bulk::new(url)?),
                Target::SqliteFile(_) => None,
            },
        };
        store.build_population_stats().await?;
        Ok(store)
    }

    /// A private in-memory SQLite database, for tests.
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        install_drivers();
        let opts = quiet(backend::sqlite::memory_options()?);
        // One connection: each in-memory connection would otherwise be its own database.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(|conn, _| {
                Box::pin(async move { configure_raw(conn, Backend::Sqlite).await })
            })
            .connect_with(opts)
            .await?;
        let mut conn = pool.acquire().await?;
        migrate(
            &mut conn,
            Backend::Sqlite,
            ":memory:",
            MigrationPolicy::Apply,
        )
        .await?;
        drop(conn);
        let store = Self {
            pool,
            backend: Backend::Sqlite,
            path: None,
            stat_writes: Arc::default(),
            bulk: None,
        };
        store.build_population_stats().await?;
        Ok(store)
    }

    /// How many bulk loads ([`Store::insert_population`]) are worth running
    /// at once: one on SQLite (one writer at a time), a few on PostgreSQL,
    /// whose server works on each load's connection with a core of its own.
    pub fn parallel_loads(&self) -> usize {
        match self.bulk() {
            Some(_) => backend::postgres::PARALLEL_LOADS,
            None => 1,
        }
    }

    /// The database behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database file, if this store is a SQLite file.
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

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction for a short "read a counter, bump it" step that
    /// must not interleave with another of the same `key` (a village or
    /// regency): SQLite takes the write lock at once (`BEGIN IMMEDIATE`);
    /// PostgreSQL takes a transaction-scoped advisory lock on the key.
    pub(crate) async fn begin_write(
        &self,
        key: KodeWilayah,
    ) -> Result<Transaction<'static, Any>, StoreError> {
        self.begin_write_on(crate::row_codec::kode(key)).await
    }

    /// [`Store::begin_write`] on a raw lock key (0: the whole installation,
    /// for writes of reference data).
    pub(crate) async fn begin_write_on(
        &self,
        key: i64,
    ) -> Result<Transaction<'static, Any>, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with(crate::dialect::BEGIN_WRITE).await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin_with(backend::postgres::BEGIN_WRITE).await?;
                sqlx::query(backend::postgres::WRITE_LOCK)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Checks the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Database size in bytes (SQLite: pages × page size, WAL excluded).
    pub async fn size_bytes(&self) -> Result<i64, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count")
                    .fetch_one(&self.pool)
                    .await?;
                let (size,): (i64,) = sqlx::query_as("PRAGMA page_size")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(pages * size)
            }
            Backend::Postgres => {
                let (size,): (i64,) = sqlx::query_as("SELECT pg_database_size(current_database())")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(size)
            }
        }
    }

    /// Folds SQLite's WAL into the main file (after bulk loads, before
    /// measuring size); nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Closes every connection (SQLite: checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(bulk) = &self.bulk {
            bulk.close().await;
        }
    }

    /// PostgreSQL's connections for `COPY` (bulk loads).
    pub(crate) fn bulk(&self) -> Option<&backend::postgres::Bulk> {
        self.bulk.as_ref()
    }
}

fn quiet(o: AnyConnectOptions) -> AnyConnectOptions {
    // Bulk statements are slow by design; their timing belongs in benchmarks, not logs.
    o.log_slow_statements(tracing::log::LevelFilter::Off, Duration::from_secs(60))
        .log_statements(tracing::log::LevelFilter::Trace)
}

async fn configure_raw(conn: &mut AnyConnection, backend: Backend) -> Result<(), sqlx::Error> {
    let settings = match backend {
        Backend::Sqlite => backend::sqlite::CONNECTION_PRAGMAS,
        Backend::Postgres => backend::postgres::CONNECTION_SETTINGS,
    };
    conn.execute(sqlx::raw_sql(settings)).await?;
    Ok(())
}

async fn configure(conn: &mut AnyConnection, backend: Backend) -> Result<(), StoreError> {
    Ok(configure_raw(conn, backend).await?)
}

/// The migrations of `backend`.
pub(crate) fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &MIGRATOR,
        Backend::Postgres => &POSTGRES_MIGRATOR,
    }
}

/// Checks the schema against this binary's migrations, then (by `policy`)
/// applies what is pending. Every refusal happens before anything is written.
async fn migrate(
    conn: &mut AnyConnection,
    backend: Backend,
    location: &str,
    policy: MigrationPolicy,
) -> Result<(), StoreError> {
    let migrator = migrator(backend);
    let (tables, history): (i64, i64) = sqlx::query_as(crate::dialect::table_census(backend))
        .fetch_one(&mut *conn)
        .await?;
    let applied: Vec<(i64, i64, Vec<u8>)> = if history > 0 {
        sqlx::query_as(
            "SELECT version, CASE WHEN success THEN 1 ELSE 0 END, checksum FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    if history == 0 && tables > 0 {
        return Err(StoreError::Schema(format!(
            "the database at {location} holds tables but no Balai migration history: it is not a Balai database; nothing was changed"
        )));
    }
    let newest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    for (version, success, checksum) in &applied {
        let Some(known) = migrator.iter().find(|m| m.version == *version) else {
            return Err(StoreError::Schema(format!(
                "the database at {location} has schema version {version}, newer than this Balai's {newest}: upgrade balai; nothing was changed"
            )));
        };
        if *success == 0 {
            return Err(StoreError::Schema(format!(
                "the database at {location}: migration {version} did not finish; restore a backup; nothing was changed"
            )));
        }
        if known.checksum.as_ref() != checksum.as_slice() {
            return Err(StoreError::Schema(format!(
                "the database at {location} was migrated with a different schema version {version} ({}) than this Balai's: it belongs to another build; nothing was changed",
                known.description
            )));
        }
    }
    let pending = migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .filter(|m| !applied.iter().any(|(v, _, _)| *v == m.version))
        .count();
    if pending > 0 && policy == MigrationPolicy::RequireCurrent {
        let current = applied.last().map_or(0, |a| a.0);
        return Err(StoreError::Schema(format!(
            "the database at {location} has schema version {current}, older than this Balai's {newest}: it must be migrated first; nothing was changed"
        )));
    }
    migrator.run(&mut *conn).await?;
    Ok(())
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
