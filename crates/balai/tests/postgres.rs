//! The `balai` binary on PostgreSQL: `--database postgres://…` reaches the
//! same commands as a SQLite file, the password never appears in what they
//! print, and the commands that copy or replace a SQLite file refuse and
//! name what to use instead. Needs `BALAI_TEST_POSTGRES_URL` (scripts/test
//! starts a throwaway server and sets it).

mod common;

use common::{Server, balai, text};

const SECRET: &str = "rahasia-basis-data";

/// A fresh database on the test server, its URL carrying a password (the
/// test server trusts local connections, so any password is accepted: what
/// is tested is that it is never shown).
fn fresh_database(test: &str) -> Option<String> {
    let server = balai_store::testing::postgres_server(test)?;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt
        .block_on(balai_store::testing::create_postgres_database(&server))
        .expect("creating a test database");
    // `postgres://USER@HOST…` (as scripts/test starts it) → `USER:SECRET@`.
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').expect("the test URL names a user");
    let user = user.split(':').next().unwrap();
    Some(format!("{scheme}://{user}:{SECRET}@{host}"))
}

#[test]
fn setup_generate_and_serve_run_on_postgres_and_file_commands_name_pg_dump() {
    let Some(setup_db) = fresh_database("setup_generate_and_serve_run_on_postgres") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pw.txt"), "kantor-desa-sengon-2026\n").unwrap();
    let o = balai(
        dir.path(),
        &[
            "--database",
            &setup_db,
            "setup",
            "--admin-password-file",
            "pw.txt",
            "--village",
            "33.10.01.2001",
            "--admin",
            "admin.sengon",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Set up village office 33.10.01.2001 Sengon"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains(SECRET), "{}", text(&o));
    assert!(
        text(&o).contains(":***@"),
        "the location is shown masked: {}",
        text(&o)
    );

    let Some(url) = fresh_database("setup_generate_and_serve_run_on_postgres") else {
        return;
    };
    let o = balai(
        dir.path(),
        &[
            "--database",
            &url,
            "generate",
            "--villages",
            "2",
            "--residents-per-village",
            "100",
            "--seed",
            "5",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("generated 2 villages"), "{}", text(&o));
    assert!(!text(&o).contains(SECRET), "{}", text(&o));

    // Served from PostgreSQL; a second server is not locked out (there is no
    // file to lock), and pool settings from the environment are taken.
    let mut server = Server::start(dir.path(), &url);
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "{body}");
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("Kabupaten Klaten"));

    // File backups and restores are for SQLite: refused, naming the tool.
    let o = balai(dir.path(), &["--database", &url, "backup", "b.sqlite"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("pg_dump"), "{}", text(&o));
    assert!(!text(&o).contains(SECRET), "{}", text(&o));
    assert!(!dir.path().join("b.sqlite").exists());
    let o = balai(dir.path(), &["--database", &url, "restore", "b.sqlite"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("pg_restore"), "{}", text(&o));
    assert!(server.terminate().success(), "graceful shutdown exits 0");
    assert!(
        !dir.path().join("data").exists(),
        "no SQLite file was made beside the PostgreSQL database"
    );
}

#[test]
fn an_unreachable_or_malformed_database_url_is_named_with_its_password_masked() {
    let dir = tempfile::tempdir().unwrap();
    for (location, expected) in [
        (
            format!("postgres://balai:{SECRET}@127.0.0.1:1/balai"),
            "cannot open database postgres://balai:***@127.0.0.1:1/balai",
        ),
        (
            format!("postgres://balai:{SECRET}@127.0.0.1:5432/"),
            "no database name",
        ),
        (
            format!("mysql://balai:{SECRET}@127.0.0.1/balai"),
            "unsupported scheme",
        ),
    ] {
        let o = balai(dir.path(), &["--database", &location, "generate"]);
        assert!(!o.status.success(), "{location}");
        assert!(text(&o).contains(expected), "{expected}: {}", text(&o));
        assert!(text(&o).contains("--database") || expected.starts_with("cannot open"));
        assert!(!text(&o).contains(SECRET), "{}", text(&o));
    }
    // The same in the configuration file: the setting is named.
    std::fs::write(
        dir.path().join("balai.toml"),
        format!("database = \"postgres://balai:{SECRET}@127.0.0.1:5432/\"\n"),
    )
    .unwrap();
    let o = balai(dir.path(), &["generate"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("database"), "{}", text(&o));
    assert!(!text(&o).contains(SECRET), "{}", text(&o));
    assert!(!dir.path().join("data").exists(), "nothing was created");
}
