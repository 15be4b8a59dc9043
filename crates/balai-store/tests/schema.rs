//! The SQLite and PostgreSQL migrations must make the same schema: the same
//! tables, columns (name, type class, NOT NULL), keys and indexes. The only
//! differences allowed are the ones listed in [`DIFFERENCES`], each with
//! its reason; anything else fails, so the two cannot drift apart.

use balai_store::Backend;
use balai_store::testing::{TableShape, describe_schema, fresh_store};

/// A deliberate difference: on `table`, PostgreSQL has `postgres` where
/// SQLite has `sqlite`.
enum Difference {
    /// The primary key's columns.
    PrimaryKey {
        table: &'static str,
        sqlite: &'static [&'static str],
        postgres: &'static [&'static str],
    },
    /// A UNIQUE constraint's columns.
    Unique {
        table: &'static str,
        sqlite: &'static [&'static str],
        postgres: &'static [&'static str],
    },
    /// An index only PostgreSQL has.
    PostgresIndex {
        table: &'static str,
        name: &'static str,
        columns: &'static [&'static str],
    },
}

use Difference::*;

/// Tables of village data are hash-partitioned by village on PostgreSQL, and
/// a partitioned table's keys must contain the partition column: their
/// primary keys gain `village` in front. The rows are the same (an id is
/// unique everywhere, a resident is in one village), so no query changes.
/// Making SQLite match would mean rebuilding every village table and every
/// foreign key pointing at them, for no gain on a single file.
const DIFFERENCES: &[Difference] = &[
    PrimaryKey {
        table: "family",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "resident",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "life_event",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "letter",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "letter_number",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "letter_request",
        sqlite: &["id"],
        postgres: &["village", "id"],
    },
    PrimaryKey {
        table: "resident_pin",
        sqlite: &["resident_id"],
        postgres: &["village", "resident_id"],
    },
    // The access log's sequence is per table on both; on PostgreSQL the key
    // carries the village so the log can be partitioned with the residents.
    PrimaryKey {
        table: "access_log",
        sqlite: &["seq"],
        postgres: &["village", "seq"],
    },
    // A letter's token is unique within its village on PostgreSQL (a
    // partitioned key must hold the village; tokens are 128-bit random, so
    // a repeat across villages does not happen either way), and the public
    // verification page, which knows only the token, finds it by an index.
    Unique {
        table: "letter",
        sqlite: &["token"],
        postgres: &["village", "token"],
    },
    PostgresIndex {
        table: "letter",
        name: "letter_token",
        columns: &["token"],
    },
];

fn strings(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

/// The SQLite schema with the listed differences applied: what PostgreSQL must be.
fn expected_postgres(
    mut sqlite: std::collections::BTreeMap<String, TableShape>,
) -> std::collections::BTreeMap<String, TableShape> {
    for d in DIFFERENCES {
        match d {
            PrimaryKey {
                table,
                sqlite: from,
                postgres: to,
            } => {
                let t = sqlite.get_mut(*table).expect("listed table exists");
                assert_eq!(
                    t.primary_key,
                    strings(from),
                    "stale difference: {table} key"
                );
                t.primary_key = strings(to);
                // A key column is NOT NULL on PostgreSQL.
                for c in &mut t.columns {
                    if to.contains(&c.0.as_str()) {
                        c.2 = true;
                    }
                }
            }
            Unique {
                table,
                sqlite: from,
                postgres: to,
            } => {
                let t = sqlite.get_mut(*table).expect("listed table exists");
                assert!(
                    t.unique.remove(&strings(from)),
                    "stale difference: {table} unique {from:?}"
                );
                t.unique.insert(strings(to));
            }
            PostgresIndex {
                table,
                name,
                columns,
            } => {
                let t = sqlite.get_mut(*table).expect("listed table exists");
                t.indexes
                    .insert(name.to_string(), (false, strings(columns)));
            }
        }
    }
    sqlite
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_make_the_same_schema() {
    let Some(pg) = fresh_store(
        Backend::Postgres,
        "sqlite_and_postgres_migrations_make_the_same_schema",
    )
    .await
    else {
        return;
    };
    let lite = fresh_store(Backend::Sqlite, "schema").await.unwrap();
    let lite = describe_schema(&lite).await.unwrap();
    let pg = describe_schema(&pg).await.unwrap();
    assert!(
        lite.contains_key("resident") && lite.len() > 15,
        "{:?}",
        lite.keys()
    );
    let expected = expected_postgres(lite);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, want) in &expected {
        let got = &pg[table];
        assert_eq!(
            want.columns, got.columns,
            "{table}: columns (name, type, NOT NULL)"
        );
        assert_eq!(want.primary_key, got.primary_key, "{table}: primary key");
        assert_eq!(want.unique, got.unique, "{table}: unique keys");
        assert_eq!(want.indexes, got.indexes, "{table}: indexes");
    }
}

#[test]
fn both_migration_sets_have_the_same_numbers_and_names() {
    let dir = |b: &str| {
        let mut names: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{b}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        names.sort();
        names
    };
    assert_eq!(dir("sqlite"), dir("postgres"));
}
