//! Backups the server takes by itself: one a day into the backup directory,
//! one before a migration changes a database that holds data, and only the
//! newest few kept.
//!
//! Files are named `balai-YYYYMMDDTHHMMSSZ.sqlite` (daily) and
//! `balai-YYYYMMDDTHHMMSSZ-pre-migration.sqlite`, so their names sort by time
//! and carry it; anything else in the directory is the operator's and is
//! never touched. A backup is written under a `.partial` name and renamed
//! only once it has been read back and checked, so every file with a backup's
//! name was verified when it was taken.

use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use balai_services::Db;
use balai_services::backup::{BackupReport, StoreError};
use balai_services::clock::SharedClock;
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The time of day (UTC) of the daily backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DailyAt(Time);

impl DailyAt {
    /// `hour:minute`, UTC.
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        Time::from_hms(hour, minute, 0).ok().map(Self)
    }

    /// Parses `HH:MM` (24-hour clock, UTC).
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("backup_time must be HH:MM (24-hour, UTC), not {s:?}");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let (h, m) = (
            h.parse::<u8>().map_err(|_| bad())?,
            m.parse::<u8>().map_err(|_| bad())?,
        );
        Self::new(h, m).ok_or_else(bad)
    }
}

impl Default for DailyAt {
    /// 19:00 UTC is 02:00 in Western Indonesia: the office is closed. A PC
    /// switched off at night catches up when it starts (see [`next_run`]).
    fn default() -> Self {
        Self::new(19, 0).expect("valid time")
    }
}

impl TryFrom<String> for DailyAt {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<DailyAt> for String {
    fn from(d: DailyAt) -> String {
        d.to_string()
    }
}

impl fmt::Display for DailyAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// When the next daily backup is due. The day's slot is the latest
/// occurrence of `at` at or before `now`; if no daily backup was taken since
/// that slot (none yet, or the machine was off at the time), one is due now,
/// otherwise at the next slot.
pub fn next_run(now: OffsetDateTime, last: Option<OffsetDateTime>, at: DailyAt) -> OffsetDateTime {
    let now = now.to_offset(UtcOffset::UTC);
    let today = now.replace_time(at.0);
    let slot = if today <= now {
        today
    } else {
        today - time::Duration::DAY
    };
    match last {
        Some(last) if last >= slot => slot + time::Duration::DAY,
        _ => now,
    }
}

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The daily schedule.
    Daily,
    /// Before migrating the database to a newer schema.
    PreMigration,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Daily => "",
            Kind::PreMigration => "-pre-migration",
        }
    }
}

/// One backup file in the backup directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// Its path.
    pub path: PathBuf,
    /// When it was taken (from its name).
    pub taken: OffsetDateTime,
    /// Why.
    pub kind: Kind,
    /// Its size in bytes.
    pub bytes: u64,
}

impl BackupFile {
    /// The file name.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

const STAMP: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// The directory the server keeps its backups in, and how many.
#[derive(Debug, Clone)]
pub struct BackupDir {
    /// The directory.
    pub dir: PathBuf,
    /// How many backups to keep (the newest).
    pub keep: NonZeroU32,
}

impl BackupDir {
    /// The path of a backup of `kind` taken at `at`.
    pub fn path_for(&self, at: OffsetDateTime, kind: Kind) -> PathBuf {
        let stamp = at
            .to_offset(UtcOffset::UTC)
            .format(STAMP)
            .expect("formatting a UTC instant cannot fail");
        self.dir
            .join(format!("balai-{stamp}{}.sqlite", kind.suffix()))
    }

    fn parse_name(name: &str) -> Option<(OffsetDateTime, Kind)> {
        let rest = name.strip_prefix("balai-")?.strip_suffix(".sqlite")?;
        let (stamp, kind) = match rest.strip_suffix(Kind::PreMigration.suffix()) {
            Some(stamp) => (stamp, Kind::PreMigration),
            None => (rest, Kind::Daily),
        };
        let taken = PrimitiveDateTime::parse(stamp, STAMP).ok()?.assume_utc();
        Some((taken, kind))
    }

    /// The backups in the directory, newest first; none if it does not exist yet.
    pub fn list(&self) -> std::io::Result<Vec<BackupFile>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some((taken, kind)) = name.to_str().and_then(Self::parse_name) else {
                continue;
            };
            let meta = entry.metadata()?;
            if !meta.is_file() {
                continue;
            }
            files.push(BackupFile {
                path: entry.path(),
                taken,
                kind,
                bytes: meta.len(),
            });
        }
        files.sort_by(|a, b| b.taken.cmp(&a.taken).then_with(|| b.path.cmp(&a.path)));
        Ok(files)
    }

    /// When the newest daily backup was taken.
    pub fn last_daily(&self) -> std::io::Result<Option<OffsetDateTime>> {
        Ok(self
            .list()?
            .into_iter()
            .find(|f| f.kind == Kind::Daily)
            .map(|f| f.taken))
    }

    /// Deletes all but the newest `keep` backups; returns what it deleted.
    pub fn prune(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut removed = Vec::new();
        for old in self.list()?.into_iter().skip(self.keep.get() as usize) {
            std::fs::remove_file(&old.path)?;
            removed.push(old.path);
        }
        Ok(removed)
    }

    /// Takes a verified backup of the open `store` now, then prunes.
    pub async fn take(&self, store: &Db, now: OffsetDateTime) -> Result<BackupReport, StoreError> {
        let dest = self.path_for(now, Kind::Daily);
        let report = finish(
            &dest,
            balai_services::backup::backup_to(store, &partial(&dest)).await,
        )
        .await?;
        self.prune_logged();
        Ok(report)
    }

    /// Copies the database file as it is, before a migration changes it.
    async fn take_unmigrated(
        &self,
        database: &Path,
        now: OffsetDateTime,
    ) -> Result<BackupReport, StoreError> {
        let dest = self.path_for(now, Kind::PreMigration);
        let report = finish(
            &dest,
            balai_services::backup::backup_file(database, &partial(&dest)).await,
        )
        .await?;
        self.prune_logged();
        Ok(report)
    }

    fn prune_logged(&self) {
        match self.prune() {
            Ok(removed) => {
                for path in removed {
                    tracing::info!(path = %path.display(), "old backup removed");
                }
            }
            Err(e) => tracing::error!(
                dir = %self.dir.display(),
                error = %e,
                "BACKUP RETENTION FAILED: old backups could not be removed; the disk may fill up"
            ),
        }
    }
}

fn partial(dest: &Path) -> PathBuf {
    let mut p = dest.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

/// Gives a checked `.partial` copy its real name; removes a failed one.
async fn finish(
    dest: &Path,
    written: Result<BackupReport, StoreError>,
) -> Result<BackupReport, StoreError> {
    let tmp = partial(dest);
    match written {
        Ok(mut report) => {
            std::fs::rename(&tmp, dest).map_err(|source| StoreError::Io {
                context: format!("renaming {} to {}", tmp.display(), dest.display()),
                source,
            })?;
            report.path = dest.to_path_buf();
            Ok(report)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Before [`Store::open`] migrates the database: if it holds data and this
/// Balai has migrations it lacks, keep a copy of it as it is. A failure is
/// logged loudly and does not stop the server from starting.
pub async fn before_migrating(database: &Path, backups: &BackupDir, now: OffsetDateTime) {
    let state = match balai_services::backup::schema_state(database).await {
        Ok(Some(state)) => state,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(database = %database.display(), error = %e, "cannot read the schema version; no pre-migration backup taken");
            return;
        }
    };
    if !state.needs_backup_before_migrating() {
        return;
    }
    match backups.take_unmigrated(database, now).await {
        Ok(r) => tracing::info!(
            path = %r.path.display(),
            bytes = r.bytes,
            pending = ?state.pending,
            "backup taken before migrating the database"
        ),
        Err(e) => tracing::error!(
            database = %database.display(),
            dir = %backups.dir.display(),
            pending = ?state.pending,
            error = %e,
            "BACKUP BEFORE MIGRATION FAILED: migrating without a fresh copy; check backup_dir"
        ),
    }
}

/// After a failed backup, try again this much later.
const RETRY: Duration = Duration::from_secs(3600);
/// Sleep at most this long before looking at the clock again: tokio's timer
/// is monotonic and a suspended machine or a corrected wall clock would
/// otherwise make a long sleep end at the wrong time of day.
const MAX_SLEEP: Duration = Duration::from_secs(3600);

/// The daily backup loop: runs until the task is dropped. Failures are
/// logged loudly and retried later; they never end the loop or the server.
pub async fn daily(store: Db, backups: BackupDir, at: DailyAt, clock: SharedClock) {
    loop {
        let now = clock.now();
        let last = match backups.last_daily() {
            Ok(last) => last,
            Err(e) => {
                tracing::error!(dir = %backups.dir.display(), error = %e, "BACKUP FAILED: cannot read the backup directory");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        let due = next_run(now, last, at);
        if due > now {
            let gap: time::Duration = due - now;
            let wait = Duration::try_from(gap).unwrap_or(MAX_SLEEP);
            tokio::time::sleep(wait.min(MAX_SLEEP)).await;
            continue;
        }
        match backups.take(&store, now).await {
            Ok(r) => tracing::info!(
                path = %r.path.display(),
                bytes = r.bytes,
                residents = r.counts.residents,
                "daily backup taken and verified"
            ),
            Err(e) => {
                tracing::error!(
                    dir = %backups.dir.display(),
                    error = %e,
                    "BACKUP FAILED: the daily backup was not taken; retrying in an hour"
                );
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// What `balai backup --list` prints: one line per backup, newest first,
/// each checked again now (integrity, schema, row counts).
pub async fn listing(backups: &BackupDir) -> std::io::Result<String> {
    use std::fmt::Write;
    let files = backups.list()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Backups in {} (the newest {} are kept):",
        backups.dir.display(),
        backups.keep
    );
    if files.is_empty() {
        out.push_str("  none yet\n");
        return Ok(out);
    }
    let width = files.iter().map(|f| f.name().len()).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "{:width$}  {:19}  {:>10}  VERIFIED",
        "NAME", "TAKEN (UTC)", "SIZE"
    );
    for f in files {
        let verified = match balai_services::backup::verify(&f.path).await {
            Ok(c) => format!(
                "yes ({} villages, {} residents, {} changes)",
                c.villages, c.residents, c.changes
            ),
            Err(e) => format!("NO: {e}"),
        };
        let taken = f
            .taken
            .format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .expect("formatting a UTC instant cannot fail");
        let _ = writeln!(
            out,
            "{:width$}  {taken:19}  {:>10}  {verified}",
            f.name(),
            human_bytes(f.bytes),
        );
    }
    Ok(out)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use balai_services::Clock;
    use time::macros::datetime;

    use super::*;

    fn at(h: u8, m: u8) -> DailyAt {
        DailyAt::new(h, m).unwrap()
    }

    fn dir(path: &Path, keep: u32) -> BackupDir {
        BackupDir {
            dir: path.join("backups"),
            keep: NonZeroU32::new(keep).unwrap(),
        }
    }

    #[test]
    fn the_next_daily_run_crosses_day_month_and_year_boundaries() {
        let t = at(19, 0);
        // Taken at today's slot: next is tomorrow's, across the new year.
        assert_eq!(
            next_run(
                datetime!(2026-12-31 23:30 UTC),
                Some(datetime!(2026-12-31 19:00:02 UTC)),
                t
            ),
            datetime!(2027-01-01 19:00 UTC)
        );
        // Just after midnight the latest slot is still yesterday's.
        assert_eq!(
            next_run(
                datetime!(2027-01-01 00:10 UTC),
                Some(datetime!(2026-12-31 19:00 UTC)),
                t
            ),
            datetime!(2027-01-01 19:00 UTC)
        );
        // Before today's slot with yesterday's done: today's slot, end of February.
        assert_eq!(
            next_run(
                datetime!(2028-02-28 08:00 UTC),
                Some(datetime!(2028-02-27 19:00 UTC)),
                t
            ),
            datetime!(2028-02-28 19:00 UTC)
        );
        // A slot just before midnight, taken, seen after midnight (leap day):
        // the next is that evening, not at once.
        assert_eq!(
            next_run(
                datetime!(2028-03-01 00:01 UTC),
                Some(datetime!(2028-02-29 23:58:03 UTC)),
                at(23, 58)
            ),
            datetime!(2028-03-01 23:58 UTC)
        );
        // The same slot missed that night: due at once after midnight.
        assert_eq!(
            next_run(
                datetime!(2028-03-01 00:01 UTC),
                Some(datetime!(2028-02-28 23:58 UTC)),
                at(23, 58)
            ),
            datetime!(2028-03-01 00:01 UTC)
        );
        // Missed slots (the machine was off) or no backup yet: due now.
        let now = datetime!(2026-12-02 09:00 UTC);
        assert_eq!(next_run(now, Some(datetime!(2026-11-30 19:00 UTC)), t), now);
        assert_eq!(next_run(now, None, t), now);
        // Exactly at the slot with the previous day's backup: due now.
        let slot = datetime!(2026-12-02 19:00 UTC);
        assert_eq!(
            next_run(slot, Some(datetime!(2026-12-01 19:00 UTC)), t),
            slot
        );
        // An instant in another offset is the same instant.
        assert_eq!(
            next_run(
                datetime!(2026-12-02 08:00 +07:00),
                Some(datetime!(2026-12-01 19:00 UTC)),
                t
            ),
            datetime!(2026-12-02 19:00 UTC)
        );
    }

    #[test]
    fn backup_time_parses_only_a_clock_time() {
        assert_eq!(DailyAt::parse("02:30").unwrap().to_string(), "02:30");
        for bad in ["24:00", "7", "07:60", "x:00", ""] {
            assert!(DailyAt::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_carry_the_time_and_kind_and_other_files_are_not_backups() {
        let d = dir(Path::new("/x"), 3);
        let p = d.path_for(datetime!(2026-12-01 19:00:05 +07:00), Kind::PreMigration);
        assert_eq!(
            p,
            Path::new("/x/backups/balai-20261201T120005Z-pre-migration.sqlite")
        );
        let name = p.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            BackupDir::parse_name(name),
            Some((datetime!(2026-12-01 12:00:05 UTC), Kind::PreMigration))
        );
        for other in [
            "balai-20261201T120005Z.sqlite.partial",
            "balai-manual.sqlite",
            "notes.txt",
        ] {
            assert_eq!(BackupDir::parse_name(other), None, "{other}");
        }
    }

    async fn store_with_villages(path: &Path) -> Db {
        let store = Db::open(&path.join("balai.sqlite")).await.unwrap();
        let ctx = balai_services::WriteContext::new("system:test", datetime!(2026-11-22 09:00 UTC));
        balai_services::regions::import(
            &store,
            &ctx,
            balai_services::regions::RegionsSource::Builtin,
        )
        .await
        .unwrap();
        store
    }

    #[tokio::test]
    async fn retention_keeps_the_newest_n_and_deletes_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_with_villages(tmp.path()).await;
        let backups = dir(tmp.path(), 3);
        std::fs::create_dir_all(&backups.dir).unwrap();
        // The operator's own files there are never touched.
        std::fs::write(backups.dir.join("notes.txt"), "mine").unwrap();
        std::fs::write(backups.dir.join("balai-manual.sqlite"), "mine").unwrap();
        let day0 = datetime!(2026-11-28 19:00 UTC);
        for d in 0..5 {
            let r = backups
                .take(&store, day0 + time::Duration::days(d))
                .await
                .unwrap();
            assert!(r.path.exists() && r.bytes > 0);
        }
        let kept: Vec<String> = backups.list().unwrap().iter().map(|f| f.name()).collect();
        assert_eq!(
            kept,
            [
                "balai-20261202T190000Z.sqlite",
                "balai-20261201T190000Z.sqlite",
                "balai-20261130T190000Z.sqlite",
            ]
        );
        let mut left: Vec<String> = std::fs::read_dir(&backups.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "balai-20261130T190000Z.sqlite",
                "balai-20261201T190000Z.sqlite",
                "balai-20261202T190000Z.sqlite",
                "balai-manual.sqlite",
                "notes.txt",
            ],
            "the two oldest backups are gone, nothing else"
        );
        assert_eq!(
            backups.last_daily().unwrap(),
            Some(datetime!(2026-12-02 19:00 UTC))
        );
    }

    #[tokio::test]
    async fn a_failed_backup_leaves_no_file_with_a_backups_name() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_with_villages(tmp.path()).await;
        // backup_dir is a file: nothing can be written there.
        std::fs::write(tmp.path().join("backups"), "not a directory").unwrap();
        let backups = dir(tmp.path(), 3);
        assert!(
            backups
                .take(&store, datetime!(2026-12-01 19:00 UTC))
                .await
                .is_err()
        );
        assert!(backups.list().is_err() || backups.list().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_backup_is_taken_before_migrating_only_a_database_that_holds_data_and_is_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let now = datetime!(2026-12-01 08:00 UTC);
        let backups = dir(tmp.path(), 5);

        // No file yet, and an empty file: nothing to keep.
        let missing = tmp.path().join("missing.sqlite");
        before_migrating(&missing, &backups, now).await;
        assert!(!missing.exists(), "looking does not create the database");
        let empty = tmp.path().join("empty.sqlite");
        std::fs::write(&empty, b"").unwrap();
        before_migrating(&empty, &backups, now).await;
        assert!(backups.list().unwrap().is_empty());

        // Up to date: nothing pending, no backup.
        let current = tmp.path().join("current.sqlite");
        Db::open(&current).await.unwrap().close().await;
        before_migrating(&current, &backups, now).await;
        assert!(backups.list().unwrap().is_empty());

        // An older Balai's database (only the first two migrations run).
        let old = tmp.path().join("old.sqlite");
        balai_services::backup::create_at_schema_version(&old, 2)
            .await
            .unwrap();
        before_migrating(&old, &backups, now).await;
        let files = backups.list().unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].kind, Kind::PreMigration);
        assert_eq!(files[0].taken, now);
        // The copy is the database as it was: still at schema 2.
        let kept = balai_services::backup::schema_state(&files[0].path)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.applied, [1, 2]);
        assert!(!kept.pending.is_empty());
        // Opening then migrates the original, and a second start takes no backup.
        Db::open(&old).await.unwrap().close().await;
        before_migrating(&old, &backups, now + time::Duration::hours(1)).await;
        assert_eq!(backups.list().unwrap().len(), 1);
        // A daily backup is still due: the pre-migration copy does not count.
        assert_eq!(backups.last_daily().unwrap(), None);
    }

    /// Wall time that moves with tokio's (paused) clock.
    #[derive(Debug)]
    struct TokioClock {
        base: OffsetDateTime,
        start: tokio::time::Instant,
    }

    impl Clock for TokioClock {
        fn now(&self) -> OffsetDateTime {
            self.base + self.start.elapsed()
        }
    }

    #[tokio::test]
    async fn the_loop_catches_up_at_start_then_backs_up_once_a_day_keeping_n() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_with_villages(tmp.path()).await;
        let backups = dir(tmp.path(), 2);
        tokio::time::pause();
        let clock = Arc::new(TokioClock {
            base: datetime!(2026-12-01 08:00 UTC),
            start: tokio::time::Instant::now(),
        });
        let task = tokio::spawn(daily(
            store.clone(),
            backups.clone(),
            at(19, 0),
            clock.clone(),
        ));
        // Let the loop take the catch-up backup (real file I/O) and go to sleep.
        let wait_for = |n: usize| {
            let backups = backups.clone();
            async move {
                for _ in 0..2000 {
                    if backups.list().unwrap().len() >= n {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                    tokio::task::yield_now().await;
                }
                panic!("no backup number {n}");
            }
        };
        wait_for(1).await;
        let first = backups.list().unwrap();
        assert_eq!(first[0].taken, datetime!(2026-12-01 08:00 UTC));
        // Nothing more until 19:00.
        tokio::time::advance(Duration::from_secs(10 * 3600)).await;
        assert_eq!(backups.list().unwrap().len(), 1);
        // 19:00 that day, then 19:00 the next: two more, the oldest pruned.
        tokio::time::advance(Duration::from_secs(3600)).await;
        wait_for(2).await;
        tokio::time::advance(Duration::from_secs(24 * 3600)).await;
        for _ in 0..2000 {
            if backups.list().unwrap()[0].taken == datetime!(2026-12-02 19:00 UTC) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
            tokio::task::yield_now().await;
        }
        let times: Vec<OffsetDateTime> = backups.list().unwrap().iter().map(|f| f.taken).collect();
        assert_eq!(
            times,
            [
                datetime!(2026-12-02 19:00 UTC),
                datetime!(2026-12-01 19:00 UTC)
            ]
        );
        task.abort();
    }

    #[tokio::test]
    async fn the_listing_shows_name_time_size_and_a_fresh_verification() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_with_villages(tmp.path()).await;
        let backups = dir(tmp.path(), 14);
        assert!(listing(&backups).await.unwrap().contains("none yet"));
        backups
            .take(&store, datetime!(2026-12-01 19:00 UTC))
            .await
            .unwrap();
        let damaged = backups.path_for(datetime!(2026-11-30 19:00 UTC), Kind::Daily);
        std::fs::write(&damaged, b"this is not a database at all").unwrap();
        let out = listing(&backups).await.unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(lines[0].contains("(the newest 14 are kept)"), "{out}");
        assert!(
            lines[1].starts_with("NAME") && lines[1].contains("VERIFIED"),
            "{out}"
        );
        assert!(
            lines[2].starts_with("balai-20261201T190000Z.sqlite"),
            "{out}"
        );
        assert!(lines[2].contains("2026-12-01 19:00:00"), "{out}");
        assert!(lines[2].contains("KiB"), "{out}");
        assert!(lines[2].contains("yes (0 villages"), "{out}");
        assert!(
            lines[3].starts_with("balai-20261130T190000Z.sqlite"),
            "{out}"
        );
        assert!(lines[3].contains("29 B"), "{out}");
        assert!(lines[3].contains("NO: "), "{out}");
    }
}
