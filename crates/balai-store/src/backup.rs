//! Online backup (a consistent copy while the server runs) and verified restore.

use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::db::{MIGRATOR, ServeLock, Store};
use crate::dialect::BACKUP_INTO;
use crate::error::StoreError;

/// Row counts of the tables a backup is checked by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableCounts {
    /// Villages.
    pub villages: i64,
    /// Families.
    pub families: i64,
    /// Residents.
    pub residents: i64,
    /// Life events.
    pub events: i64,
    /// Change-log entries.
    pub changes: i64,
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// What it holds, read back from the copy.
    pub counts: TableCounts,
}

/// What a restore put in place.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// The restored database.
    pub path: PathBuf,
    /// Where the database it replaced was moved, if there was one.
    pub previous: Option<PathBuf>,
    /// What it holds, read back after the restore.
    pub counts: TableCounts,
}

impl Store {
    /// Writes a consistent copy of the database to `dest` (which must not
    /// exist) while it stays in use, then checks the copy.
    pub async fn backup_to(&self, dest: &Path) -> Result<BackupReport, StoreError> {
        let target = prepare_dest(dest)?;
        // VACUUM INTO reads inside one transaction: a snapshot, whatever writers do meanwhile.
        sqlx::query(BACKUP_INTO)
            .bind(target)
            .execute(self.pool())
            .await?;
        checked(dest).await
    }
}

fn prepare_dest(dest: &Path) -> Result<&str, StoreError> {
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists; choose a new backup file name",
            dest.display()
        )));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(StoreError::io(format!("creating {}", dir.display())))?;
    }
    dest.to_str()
        .ok_or_else(|| StoreError::Conflict(format!("{} is not a UTF-8 path", dest.display())))
}

async fn checked(dest: &Path) -> Result<BackupReport, StoreError> {
    let counts = verify(dest).await?;
    let bytes = std::fs::metadata(dest)
        .map_err(StoreError::io(format!("reading {}", dest.display())))?
        .len();
    Ok(BackupReport {
        path: dest.to_path_buf(),
        bytes,
        counts,
    })
}

/// Where a database file stands against the migrations this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaState {
    /// Migration versions already applied to it.
    pub applied: Vec<i64>,
    /// Versions that opening it with [`Store::open`] would apply.
    pub pending: Vec<i64>,
    /// Whether it holds any table (a new, empty file holds none).
    pub holds_data: bool,
}

impl SchemaState {
    /// A migration is about to change a database that holds data: the moment
    /// to keep a copy of it as it was.
    pub fn needs_backup_before_migrating(&self) -> bool {
        self.holds_data && !self.pending.is_empty()
    }
}

/// Reads how far the database at `path` is migrated, without migrating or
/// creating it; `None` when there is no such file.
pub async fn schema_state(path: &Path) -> Result<Option<SchemaState>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    let mut conn = SqliteConnectOptions::new().filename(path).connect().await?;
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_one(&mut conn)
    .await?;
    let (history,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut conn)
    .await?;
    let applied: Vec<i64> = if history > 0 {
        sqlx::query_as::<_, (i64,)>(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&mut conn)
        .await?
        .into_iter()
        .map(|(v,)| v)
        .collect()
    } else {
        Vec::new()
    };
    conn.close().await?;
    let pending = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
        .map(|m| m.version)
        .collect();
    Ok(Some(SchemaState {
        applied,
        pending,
        holds_data: tables > 0,
    }))
}

/// Writes a consistent, checked copy of the database file at `src` to `dest`
/// without opening it as a [`Store`] — so without migrating it: the copy
/// taken before a migration holds the database exactly as the older Balai
/// left it.
pub async fn backup_file(src: &Path, dest: &Path) -> Result<BackupReport, StoreError> {
    if !src.is_file() {
        return Err(StoreError::NotFound(format!(
            "{} does not exist",
            src.display()
        )));
    }
    let target = prepare_dest(dest)?;
    let mut conn = SqliteConnectOptions::new()
        .filename(src)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await?;
    sqlx::query(BACKUP_INTO)
        .bind(target)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    checked(dest).await
}

/// Creates a database at `path` migrated only up to schema `version` — an
/// older Balai's database, for upgrade tests and drills.
pub async fn create_at_schema_version(path: &Path, version: i64) -> Result<(), StoreError> {
    if !MIGRATOR.version_exists(version) {
        return Err(StoreError::NotFound(format!(
            "this balai has no schema version {version}"
        )));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true)
        .connect()
        .await?;
    MIGRATOR.run_to(version, &mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// Checks that `path` is an intact Balai database this binary understands, and counts its rows.
pub async fn verify(path: &Path) -> Result<TableCounts, StoreError> {
    if !path.is_file() {
        return Err(StoreError::NotFound(format!(
            "{} does not exist",
            path.display()
        )));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| {
            StoreError::Verify(format!(
                "{} cannot be opened as a database: {e}",
                path.display()
            ))
        })?;
    let check: Result<Vec<(String,)>, _> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await;
    match check {
        Ok(rows) if rows.len() == 1 && rows[0].0 == "ok" => {}
        Ok(rows) => {
            let problems: Vec<String> = rows.into_iter().take(3).map(|r| r.0).collect();
            return Err(StoreError::Verify(format!(
                "{} is damaged: {}",
                path.display(),
                problems.join("; ")
            )));
        }
        Err(e) => {
            return Err(StoreError::Verify(format!(
                "{} is not a readable database: {e}",
                path.display()
            )));
        }
    }
    let applied: Vec<(i64, bool)> = sqlx::query_as("SELECT version, success FROM _sqlx_migrations")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| {
            StoreError::Verify(format!(
                "{} is not a Balai database (no migration history)",
                path.display()
            ))
        })?;
    for (version, success) in &applied {
        if !success {
            return Err(StoreError::Verify(format!(
                "{}: migration {version} did not finish",
                path.display()
            )));
        }
        if !MIGRATOR.iter().any(|m| m.version == *version) {
            return Err(StoreError::Verify(format!(
                "{} was written by a newer Balai (schema version {version}); upgrade balai first",
                path.display()
            )));
        }
    }
    let counts = count(&mut conn).await?;
    conn.close().await?;
    Ok(counts)
}

async fn count(conn: &mut SqliteConnection) -> Result<TableCounts, StoreError> {
    let (villages, families, residents, events, changes): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM village), (SELECT COUNT(*) FROM family), (SELECT COUNT(*) FROM resident),
                (SELECT COUNT(*) FROM life_event), (SELECT COUNT(*) FROM change_log)",
    )
    .fetch_one(conn)
    .await?;
    Ok(TableCounts {
        villages,
        families,
        residents,
        events,
        changes,
    })
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Replaces the database at `target` with the backup at `backup`, after
/// checking the backup; refuses while a `balai serve` holds the database. The
/// replaced database is kept beside it as `<target>.pre-restore-N`.
pub async fn restore(backup: &Path, target: &Path) -> Result<RestoreReport, StoreError> {
    let _lock = ServeLock::acquire(target)?;
    let expected = verify(backup).await?;
    let tmp = sibling(target, ".restoring");
    let _ = std::fs::remove_file(&tmp);
    std::fs::copy(backup, &tmp).map_err(StoreError::io(format!(
        "copying {} to {}",
        backup.display(),
        tmp.display()
    )))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(StoreError::io(format!("syncing {}", tmp.display())))?;
    let copied = verify(&tmp).await?;
    if copied != expected {
        let _ = std::fs::remove_file(&tmp);
        return Err(StoreError::Verify(format!(
            "the copy differs from the backup ({copied:?} vs {expected:?}); nothing was changed"
        )));
    }
    let previous = if target.exists() {
        // Fold the old database's WAL into it so the kept copy is complete on its own.
        let mut conn = SqliteConnectOptions::new()
            .filename(target)
            .connect()
            .await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let mut n = 1;
        while sibling(target, &format!(".pre-restore-{n}")).exists() {
            n += 1;
        }
        let kept = sibling(target, &format!(".pre-restore-{n}"));
        std::fs::rename(target, &kept)
            .map_err(StoreError::io(format!("moving {} aside", target.display())))?;
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(target, ext));
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&tmp, target).map_err(StoreError::io(format!(
        "moving the restored copy to {}",
        target.display()
    )))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    // Opening migrates an older backup forward; then count what is really there.
    let store = Store::open(target).await?;
    store.close().await;
    let counts = verify(target).await?;
    if counts != expected {
        return Err(StoreError::Verify(format!(
            "the restored database holds {counts:?}, the backup {expected:?}"
        )));
    }
    Ok(RestoreReport {
        path: target.to_path_buf(),
        previous,
        counts,
    })
}
