//! Connecting by URL: bad locations, unreachable servers, missing databases
//! and schemas this binary cannot use are refused with a clear error and
//! change nothing; a migration that fails leaves the schema as it was.

use balai_store::testing::{create_postgres_database, postgres_server};
use balai_store::{MigrationPolicy, Store, StoreError};
use sqlx::{AnyConnection, Connection, Executor};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_with_its_password_masked() {
    let port = free_port();
    let url = format!("postgres://balai:s3cret-pw@127.0.0.1:{port}/balai");
    let err = Store::connect(&url).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Connect { .. }), "{msg}");
    assert!(
        msg.contains(&format!("postgres://balai:***@127.0.0.1:{port}/balai")),
        "{msg}"
    );
    assert!(!msg.contains("s3cret-pw"), "{msg}");
}

#[tokio::test]
async fn malformed_locations_are_refused_before_connecting() {
    for bad in [
        "postgres://balai:s3cret-pw@/balai",
        "postgres://balai:s3cret-pw@db.example",
        "postgresql://balai:s3cret-pw@db.example:port/balai",
        "mysql://root:s3cret-pw@db/balai",
        "sqlite://",
    ] {
        let err = Store::connect(bad).await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, StoreError::Config(_)), "{bad}: {msg}");
        assert!(!msg.contains("s3cret-pw"), "{bad}: {msg}");
    }
}

#[tokio::test]
async fn a_missing_postgres_database_is_refused_and_not_created() {
    let Some(server) = postgres_server("a_missing_postgres_database_is_refused_and_not_created")
    else {
        return;
    };
    let mut url = url::Url::parse(&server).unwrap();
    let name = format!("balai_missing_{}", uuid::Uuid::now_v7().simple());
    url.set_path(&name);
    let err = Store::connect(url.as_str()).await.unwrap_err();
    assert!(matches!(err, StoreError::Connect { .. }), "{err}");
    assert!(err.to_string().contains("does not exist"), "{err}");
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(&server).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(n, 0, "connecting does not create the database");
}

/// A fresh, migrated database of each backend that can be had, by URL.
async fn locations(dir: &std::path::Path, test: &str) -> Vec<String> {
    let mut out = vec![format!("sqlite://{}", dir.join("db.sqlite").display())];
    if let Some(server) = postgres_server(test) {
        out.push(create_postgres_database(&server).await.unwrap());
    }
    for url in &out {
        Store::connect(url).await.unwrap().close().await;
    }
    out
}

/// What a refused connect must not change: the migration history and the tables.
async fn fingerprint(conn: &mut AnyConnection) -> (Vec<(i64,)>, i64) {
    let history = sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let (tables,): (i64,) = sqlx::query_as(if conn.backend_name() == "SQLite" {
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
    } else {
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
    })
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    (history, tables)
}

#[tokio::test]
async fn a_newer_schema_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    for url in locations(dir.path(), "a_newer_schema_is_refused_and_nothing_changes").await {
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99991231000000, 'from the future', TRUE, $1, 0)",
        )
        .bind(vec![0u8; 48])
        .execute(&mut conn)
        .await
        .unwrap();
        let before = fingerprint(&mut conn).await;
        let err = Store::connect(&url).await.unwrap_err();
        assert!(matches!(err, StoreError::Schema(_)), "{url}: {err}");
        assert!(err.to_string().contains("newer than this Balai"), "{err}");
        assert_eq!(fingerprint(&mut conn).await, before, "{url}");
    }
}

#[tokio::test]
async fn an_older_schema_is_refused_when_it_must_be_current_and_a_failed_migration_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for url in locations(
        dir.path(),
        "an_older_schema_is_refused_when_it_must_be_current_and_a_failed_migration_keeps_nothing",
    )
    .await
    {
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        // The database forgets it ran 0008 (which creates tables): it looks
        // older, while that migration's tables are still there.
        conn.execute("DELETE FROM _sqlx_migrations WHERE version = 8")
            .await
            .unwrap();
        let before = fingerprint(&mut conn).await;
        let err = Store::connect_with(&url, MigrationPolicy::RequireCurrent)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("older than this Balai"),
            "{url}: {err}"
        );
        assert_eq!(fingerprint(&mut conn).await, before, "{url}");
        // Applying it again fails (its tables exist): the transaction it ran
        // in is rolled back, history and tables as they were.
        let err = Store::connect(&url).await.unwrap_err();
        assert!(matches!(err, StoreError::Migrate(_)), "{url}: {err}");
        assert_eq!(fingerprint(&mut conn).await, before, "{url}");
    }
}

#[tokio::test]
async fn a_database_that_is_not_balais_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = AnyConnection::connect(&url).await.unwrap();
    conn.execute("CREATE TABLE t (x INTEGER)").await.unwrap();
    conn.close().await.unwrap();
    let err = Store::open(&path).await.unwrap_err();
    assert!(err.to_string().contains("not a Balai database"), "{err}");
}
