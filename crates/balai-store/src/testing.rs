//! Fresh databases for tests, on either backend. Not for production code:
//! it creates a throwaway PostgreSQL database per call.
//!
//! PostgreSQL tests read the server's URL from `BALAI_TEST_POSTGRES_URL`
//! (`scripts/test` starts a throwaway cluster and sets it). Without it they
//! cannot run: under CI (`CI=true`) that is a failure, never a silent pass;
//! on a developer's machine the test says it was skipped.

use sqlx::{AnyConnection, Connection, Executor};

use crate::backend::Backend;
use crate::db::Store;
use crate::error::StoreError;

/// The variable naming the PostgreSQL server tests may create databases on.
pub const POSTGRES_URL_VAR: &str = "BALAI_TEST_POSTGRES_URL";

/// The server URL for PostgreSQL tests, or `None` (after saying so) when
/// there is none. Panics under `CI=true`: CI must run both backends.
pub fn postgres_server(test: &str) -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "{test}: {POSTGRES_URL_VAR} is not set under CI=true; scripts/test starts PostgreSQL and sets it"
            );
            eprintln!(
                "SKIPPED {test}: PostgreSQL not available ({POSTGRES_URL_VAR} unset; scripts/test sets it)"
            );
            None
        }
    }
}

/// Creates an empty database with a fresh name on the server at
/// `server_url` and returns its URL. Each test gets its own, so tests stay
/// parallel and isolated.
pub async fn create_postgres_database(server_url: &str) -> Result<String, StoreError> {
    sqlx::any::install_default_drivers();
    let name = format!("balai_t_{}", uuid::Uuid::now_v7().simple());
    let mut admin =
        AnyConnection::connect(server_url)
            .await
            .map_err(|source| StoreError::Connect {
                location: crate::backend::mask_url(server_url),
                source,
            })?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
        )))
        .await?;
    admin.close().await?;
    let mut url = url::Url::parse(server_url)
        .map_err(|e| StoreError::Config(format!("{POSTGRES_URL_VAR}: {e}")))?;
    url.set_path(&name);
    Ok(url.to_string())
}

/// A fresh, migrated PostgreSQL store and its database's URL (for tests
/// that need a second, raw connection to the same database).
pub async fn fresh_postgres(test: &str) -> Option<(Store, String)> {
    let server = postgres_server(test)?;
    let url = create_postgres_database(&server)
        .await
        .expect("creating a test database");
    let store = Store::connect(&url)
        .await
        .expect("connecting to the test database");
    Some((store, url))
}

/// A fresh, migrated store on `backend`: SQLite in memory, or a new
/// PostgreSQL database. `None` when PostgreSQL is not available (see
/// [`postgres_server`]).
pub async fn fresh_store(backend: Backend, test: &str) -> Option<Store> {
    match backend {
        Backend::Sqlite => Some(Store::open_in_memory().await.expect("in-memory SQLite")),
        Backend::Postgres => fresh_postgres(test).await.map(|(store, _)| store),
    }
}

/// Runs an async test body once per backend, as two tests named
/// `NAME::sqlite` and `NAME::postgres`, each on a fresh store:
///
/// ```ignore
/// balai_store::both_backends! {
///     async fn a_change_is_logged(store: Store) { /* … */ }
/// }
/// ```
#[macro_export]
macro_rules! both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident($store:ident : $ty:ty) $body:block )*) => { $(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: $ty) $body

            #[tokio::test]
            async fn sqlite() {
                let store = $crate::testing::fresh_store($crate::Backend::Sqlite, concat!(stringify!($name), "::sqlite")).await;
                body(store.expect("SQLite is always available")).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(store) = $crate::testing::fresh_store($crate::Backend::Postgres, concat!(stringify!($name), "::postgres")).await {
                    body(store).await;
                }
            }
        }
    )* };
}

/// A fresh store on `backend` whose SQLite side is a file in `dir` (WAL,
/// several connections: what concurrency tests need).
pub async fn fresh_file_store(
    backend: Backend,
    test: &str,
    dir: &std::path::Path,
) -> Option<Store> {
    match backend {
        Backend::Sqlite => Some(
            Store::open(&dir.join("test.sqlite"))
                .await
                .expect("SQLite file"),
        ),
        Backend::Postgres => fresh_store(backend, test).await,
    }
}

/// [`both_backends!`] for tests that need a multi-threaded runtime and a
/// SQLite file (several connections) rather than a private in-memory database.
#[macro_export]
macro_rules! both_backends_on_disk {
    ($( $(#[$meta:meta])* async fn $name:ident($store:ident : $ty:ty) $body:block )*) => { $(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: $ty) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let store = $crate::testing::fresh_file_store($crate::Backend::Sqlite, concat!(stringify!($name), "::sqlite"), dir.path()).await;
                body(store.expect("SQLite is always available")).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let dir = tempfile::tempdir().unwrap();
                if let Some(store) = $crate::testing::fresh_file_store($crate::Backend::Postgres, concat!(stringify!($name), "::postgres"), dir.path()).await {
                    body(store).await;
                }
            }
        }
    )* };
}

/// A column as the schema comparison sees it: name, type class
/// (`integer`, `text`, `bytes`, `float`), NOT NULL.
pub type ColumnShape = (String, &'static str, bool);

/// One table's shape: columns in order, primary key, unique keys, and the
/// other indexes (name → unique, columns).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableShape {
    /// Columns in declaration order.
    pub columns: Vec<ColumnShape>,
    /// Primary key columns, in key order.
    pub primary_key: Vec<String>,
    /// UNIQUE constraints' columns.
    pub unique: std::collections::BTreeSet<Vec<String>>,
    /// Named indexes: whether unique, and their columns.
    pub indexes: std::collections::BTreeMap<String, (bool, Vec<String>)>,
}

/// Every table of the migrated schema (sqlx's history and PostgreSQL's
/// partitions left out), for comparing the two backends' migrations.
pub async fn describe_schema(
    store: &Store,
) -> Result<std::collections::BTreeMap<String, TableShape>, StoreError> {
    let pool = store.pool();
    let mut out = std::collections::BTreeMap::new();
    match store.backend() {
        Backend::Sqlite => {
            let tables: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(pool)
            .await?;
            for (table,) in tables {
                let mut shape = TableShape::default();
                // cid, name, type, notnull, dflt_value, pk
                let cols: Vec<(i64, String, String, i64, Option<String>, i64)> = sqlx::query_as(
                    sqlx::AssertSqlSafe(format!("SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}') ORDER BY cid")),
                )
                .fetch_all(pool)
                .await?;
                let mut pk: Vec<(i64, String)> = Vec::new();
                for (_, name, ty, notnull, _, pk_pos) in cols {
                    if pk_pos > 0 {
                        pk.push((pk_pos, name.clone()));
                    }
                    let class = match ty.to_ascii_uppercase().as_str() {
                        "INTEGER" => "integer",
                        "TEXT" => "text",
                        "BLOB" => "bytes",
                        "REAL" => "float",
                        _ => "other",
                    };
                    shape
                        .columns
                        .push((name, class, notnull != 0 || pk_pos > 0));
                }
                pk.sort();
                shape.primary_key = pk.into_iter().map(|p| p.1).collect();
                // seq, name, unique, origin ('c' index, 'u' unique constraint, 'pk'), partial
                let idx: Vec<(String, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT name, \"unique\", origin FROM pragma_index_list('{table}')"
                )))
                .fetch_all(pool)
                .await?;
                for (name, unique, origin) in idx {
                    let cols: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"
                    )))
                    .fetch_all(pool)
                    .await?;
                    let cols = cols.into_iter().map(|c| c.0).collect::<Vec<_>>();
                    match origin.as_str() {
                        "pk" => {}
                        "u" => {
                            shape.unique.insert(cols);
                        }
                        _ => {
                            shape.indexes.insert(name, (unique != 0, cols));
                        }
                    }
                }
                out.insert(table, shape);
            }
        }
        Backend::Postgres => {
            let tables: Vec<(String, i64)> = sqlx::query_as(
                "SELECT c.relname::text, c.oid::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND c.relname <> '_sqlx_migrations' ORDER BY 1",
            )
            .fetch_all(pool)
            .await?;
            for (table, oid) in tables {
                let mut shape = TableShape::default();
                let cols: Vec<(String, String, i64)> = sqlx::query_as(
                    "SELECT attname::text, format_type(atttypid, NULL), CASE WHEN attnotnull THEN 1 ELSE 0 END
                     FROM pg_attribute WHERE attrelid = $1::bigint::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                )
                .bind(oid)
                .fetch_all(pool)
                .await?;
                for (name, ty, notnull) in cols {
                    let class = match ty.as_str() {
                        "bigint" => "integer",
                        "text" => "text",
                        "bytea" => "bytes",
                        "double precision" => "float",
                        _ => "other",
                    };
                    shape.columns.push((name, class, notnull != 0));
                }
                // Constraints (p, u) and the other indexes, columns in key order.
                let keys: Vec<(String, String, i64, String)> = sqlx::query_as(
                    "SELECT i.relname::text, COALESCE(con.contype::text, ''), CASE WHEN x.indisunique THEN 1 ELSE 0 END,
                            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
                             FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum)
                     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                     LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u')
                     WHERE x.indrelid = $1::bigint::oid",
                )
                .bind(oid)
                .fetch_all(pool)
                .await?;
                for (name, contype, unique, cols) in keys {
                    let cols: Vec<String> = cols.split(',').map(str::to_owned).collect();
                    match contype.as_str() {
                        "p" => shape.primary_key = cols,
                        "u" => {
                            shape.unique.insert(cols);
                        }
                        _ => {
                            shape.indexes.insert(name, (unique != 0, cols));
                        }
                    }
                }
                out.insert(table, shape);
            }
        }
    }
    Ok(out)
}

/// The variable choosing the backend of [`test_store`]: `sqlite` (the
/// default) or `postgres`. `scripts/test` runs the web and services tests
/// once per backend with it.
pub const BACKEND_VAR: &str = "BALAI_TEST_BACKEND";

/// A fresh store on the backend [`BACKEND_VAR`] names, for crates above the
/// store whose tests run the whole suite once per backend. Asking for
/// PostgreSQL without a server is an error, never a silent SQLite run.
pub async fn test_store() -> Store {
    match std::env::var(BACKEND_VAR).as_deref() {
        Ok("postgres") => {
            let server = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
                panic!("{BACKEND_VAR}=postgres needs {POSTGRES_URL_VAR} (scripts/test sets both)")
            });
            let url = create_postgres_database(&server)
                .await
                .expect("creating a test database");
            Store::connect(&url)
                .await
                .expect("connecting to the test database")
        }
        Ok("sqlite") | Err(_) => Store::open_in_memory().await.expect("in-memory SQLite"),
        Ok(other) => panic!("{BACKEND_VAR}={other}: expected sqlite or postgres"),
    }
}

/// The variable naming the PostgreSQL server benchmarks measure on.
pub const BENCH_POSTGRES_VAR: &str = "BALAI_BENCH_POSTGRES";

/// The store a benchmark measures: a new, empty database on the PostgreSQL
/// server named by `BALAI_BENCH_POSTGRES` when it is set (scripts/bench-postgres
/// starts one), else a fresh SQLite file at `sqlite_path`. Benchmarks print
/// [`Store::backend`] so every figure says where it was measured.
pub async fn bench_store(sqlite_path: &std::path::Path) -> Store {
    match std::env::var(BENCH_POSTGRES_VAR) {
        Ok(server) if !server.trim().is_empty() => {
            let url = create_postgres_database(&server)
                .await
                .expect("creating the benchmark database");
            Store::connect(&url)
                .await
                .expect("connecting to the benchmark database")
        }
        _ => Store::open(sqlite_path)
            .await
            .expect("opening the SQLite file"),
    }
}
