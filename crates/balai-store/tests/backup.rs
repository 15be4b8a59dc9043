//! Online backup while writes go on, and verified restore.

use balai_domain::KodeWilayah;
use balai_store::{ServeLock, Store, WriteContext};
use time::macros::datetime;

fn ctx() -> WriteContext {
    WriteContext::new("system:test", datetime!(2026-11-22 09:00 UTC))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_is_consistent_while_writing_and_restore_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("balai.sqlite");
    let store = Store::open(&db).await.unwrap();
    let set = balai_regions::builtin();
    store.import_regions(&ctx(), &set, "builtin").await.unwrap();
    let villages = store
        .villages_in_region(KodeWilayah::parse("331001").unwrap())
        .await
        .unwrap();

    // A writer keeps creating villages while the backup runs.
    let writer = {
        let store = store.clone();
        let villages = villages.clone();
        tokio::spawn(async move {
            for v in villages {
                store.create_village(&ctx(), v).await.unwrap();
            }
        })
    };
    let backup = dir.path().join("backups/b1.sqlite");
    let report = store.backup_to(&backup).await.unwrap();
    writer.await.unwrap();
    // Each village creation writes one village row and one change-log entry in one
    // transaction, so a consistent snapshot has exactly one more entry (the regions import).
    assert_eq!(
        report.counts.changes,
        report.counts.villages + 1,
        "{:?}",
        report.counts
    );
    assert!(report.bytes > 0);
    assert!(
        store
            .backup_to(&backup)
            .await
            .unwrap_err()
            .to_string()
            .contains("already exists")
    );

    // Restoring over a database in use by a server is refused.
    let lock = ServeLock::acquire(&db).unwrap();
    let err = balai_store::restore(&backup, &db).await.unwrap_err();
    assert!(err.to_string().contains("in use"), "{err}");
    drop(lock);
    store.close().await;

    let restored = balai_store::restore(&backup, &db).await.unwrap();
    assert_eq!(restored.counts, report.counts);
    assert!(
        restored.previous.as_ref().unwrap().exists(),
        "the replaced database is kept"
    );
    let reopened = Store::open(&db).await.unwrap();
    assert_eq!(
        reopened.village_summaries(None).await.unwrap().len() as i64,
        report.counts.villages
    );
}

#[tokio::test]
async fn a_damaged_or_foreign_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("balai.sqlite");
    let store = Store::open(&db).await.unwrap();
    store
        .import_regions(&ctx(), &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    store.close().await;
    let before = std::fs::read(&db).unwrap();

    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"this is not a database").unwrap();
    let err = balai_store::restore(&garbage, &db).await.unwrap_err();
    assert!(err.to_string().contains("garbage.sqlite"), "{err}");

    let missing = dir.path().join("missing.sqlite");
    assert!(
        balai_store::restore(&missing, &db)
            .await
            .unwrap_err()
            .to_string()
            .contains("does not exist")
    );

    // A valid SQLite file that is not a Balai database.
    let foreign = dir.path().join("foreign.sqlite");
    {
        use sqlx::{ConnectOptions, Connection};
        let mut c = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&foreign)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x)")
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    }
    let err = balai_store::restore(&foreign, &db).await.unwrap_err();
    assert!(err.to_string().contains("not a Balai database"), "{err}");

    // A truncated copy of a real backup.
    let store = Store::open(&db).await.unwrap();
    let good = dir.path().join("good.sqlite");
    store.backup_to(&good).await.unwrap();
    store.close().await;
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.sqlite");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(balai_store::restore(&truncated, &db).await.is_err());

    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a refused restore leaves the database untouched"
    );
}

/// An older Balai's database: only the first two migrations, with rows in it.
#[tokio::test]
async fn an_older_schema_is_seen_as_pending_and_its_backup_keeps_it_unmigrated() {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    assert_eq!(balai_store::schema_state(&db).await.unwrap(), None);
    assert!(!db.exists(), "looking does not create the database");

    balai_store::create_at_schema_version(&db, 2).await.unwrap();
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .connect()
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO region (kode, level, parent, name) VALUES (33, 1, NULL, 'Jawa Tengah')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let old = balai_store::schema_state(&db).await.unwrap().unwrap();
    assert_eq!(old.applied, [1, 2]);
    assert!(old.pending.contains(&3), "{old:?}");
    assert!(old.holds_data && old.needs_backup_before_migrating());

    let copy = dir.path().join("backups/pre.sqlite");
    let report = balai_store::backup_file(&db, &copy).await.unwrap();
    assert!(report.bytes > 0);
    let kept = balai_store::schema_state(&copy).await.unwrap().unwrap();
    assert_eq!(kept.applied, [1, 2], "the copy is not migrated");
    assert_eq!(
        balai_store::schema_state(&db).await.unwrap().unwrap(),
        old,
        "nor is the original"
    );

    // Opening migrates the original; the region survives and nothing is pending.
    let store = Store::open(&db).await.unwrap();
    assert_eq!(
        store
            .region_name(KodeWilayah::parse("33").unwrap())
            .await
            .unwrap()
            .as_deref(),
        Some("Jawa Tengah")
    );
    store.close().await;
    let now = balai_store::schema_state(&db).await.unwrap().unwrap();
    assert!(now.pending.is_empty() && !now.needs_backup_before_migrating());

    // A new database holds nothing: no backup is needed before migrating it.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let state = balai_store::schema_state(&empty).await.unwrap().unwrap();
    assert!(!state.holds_data && !state.needs_backup_before_migrating());
    assert!(
        balai_store::create_at_schema_version(&dir.path().join("x.sqlite"), 99)
            .await
            .is_err()
    );
}
