//! A real installation from the command line: `balai setup` and the
//! settings `balai serve` refuses to start with.

mod common;

use std::path::Path;

use common::{Server, balai, text};

const PASSWORD: &str = "kantor-desa-sengon-2026";

fn setup(dir: &Path, args: &[&str]) -> std::process::Output {
    std::fs::write(dir.join("pw.txt"), format!("{PASSWORD}\n")).unwrap();
    let mut all = vec![
        "--database",
        "v.sqlite",
        "setup",
        "--admin-password-file",
        "pw.txt",
    ];
    all.extend_from_slice(args);
    balai(dir, &all)
}

#[test]
fn setup_of_a_village_office_then_a_second_setup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = setup(
        dir.path(),
        &["--village", "33.10.01.2001", "--admin", "admin.sengon"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Set up village office 33.10.01.2001 Sengon"),
        "{}",
        text(&o)
    );
    assert!(
        !text(&o).contains(PASSWORD),
        "the password is never printed"
    );
    let db = std::fs::read(dir.path().join("v.sqlite")).unwrap();

    for args in [
        vec!["--village", "33.10.01.2002"],
        vec!["--regency", "33.10"],
        vec!["--village", "33.10.01.2001", "--admin", "admin.lain"],
    ] {
        let o = setup(dir.path(), &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(
            text(&o).contains("already set up (1 villages, 1 accounts)")
                && text(&o).contains("changed nothing"),
            "{}",
            text(&o)
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("v.sqlite")).unwrap(),
        db,
        "a refused setup leaves the database as it was"
    );
}

#[test]
fn setup_of_a_regency_creates_every_village() {
    let dir = tempfile::tempdir().unwrap();
    let o = setup(dir.path(), &["--regency", "33.10"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Set up 33.10 Kabupaten Klaten with 401 villages"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("Admin Kabupaten"), "{}", text(&o));
}

#[test]
fn an_unknown_village_code_names_the_closest_ones_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Sengon is 33.10.01.2001; 2099 does not exist in Kecamatan Prambanan.
    let o = setup(dir.path(), &["--village", "33.10.01.2099"]);
    assert!(!o.status.success());
    let out = text(&o);
    assert!(
        out.contains("village 33.10.01.2099 is not in the region list; closest: 33.10.01."),
        "{out}"
    );
    assert!(!dir.path().join("v.sqlite").exists(), "nothing was created");
    // A regency code given as a village, and a malformed code, are explained.
    let o = setup(dir.path(), &["--village", "33.10"]);
    assert!(
        text(&o).contains("33.10 is a regency code, not a village code"),
        "{}",
        text(&o)
    );
    let o = setup(dir.path(), &["--village", "33.1O.01.2001"]);
    assert!(text(&o).contains("at position 5"), "{}", text(&o));
}

#[test]
fn a_weak_administrator_password_is_refused_with_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("weak.txt"), "1234567890\n").unwrap();
    let o = balai(
        dir.path(),
        &[
            "--database",
            "v.sqlite",
            "setup",
            "--village",
            "33.10.01.2001",
            "--admin-password-file",
            "weak.txt",
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("administrator password refused") && text(&o).contains("paling umum"),
        "{}",
        text(&o)
    );
    assert!(!dir.path().join("v.sqlite").exists());
}

fn serve(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--database", "v.sqlite", "serve"];
    all.extend_from_slice(args);
    let o = balai(dir, &all);
    assert!(!o.status.success(), "{args:?} must not start: {}", text(&o));
    text(&o)
}

#[test]
fn settings_the_server_cannot_use_stop_it_with_a_message_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = serve(
        d,
        &["--bind", "127.0.0.1:0", "--public-url", "desa.example.id"],
    );
    assert!(
        out.contains("public_url: \"desa.example.id\" is not absolute"),
        "{out}"
    );
    let out = serve(
        d,
        &[
            "--bind",
            "127.0.0.1:0",
            "--public-url",
            "https://desa.example.id/balai",
        ],
    );
    assert!(
        out.contains("public_url:") && out.contains("without a path"),
        "{out}"
    );
    let out = serve(d, &["--bind", "0.0.0.0:0"]);
    assert!(
        out.contains("public_url:") && out.contains("--insecure-http"),
        "{out}"
    );
    // Even with plain http allowed, 0.0.0.0 is no address to print on letters.
    let out = serve(d, &["--bind", "0.0.0.0:0", "--insecure-http"]);
    assert!(
        out.contains("public_url: not set") && out.contains("every interface"),
        "{out}"
    );

    std::fs::write(
        d.join("balai.toml"),
        "tls_cert = \"missing.pem\"\ntls_key = \"key.pem\"\n",
    )
    .unwrap();
    let out = serve(d, &["--bind", "127.0.0.1:0"]);
    assert!(out.contains("tls_cert: cannot read missing.pem"), "{out}");
    std::fs::write(d.join("missing.pem"), "not a certificate").unwrap();
    std::fs::write(d.join("key.pem"), "not a key").unwrap();
    let out = serve(d, &["--bind", "127.0.0.1:0"]);
    assert!(
        out.contains("tls_cert/tls_key:") && out.contains("not a usable PEM"),
        "{out}"
    );
    std::fs::write(d.join("balai.toml"), "tls_cert = \"missing.pem\"\n").unwrap();
    let out = serve(d, &["--bind", "127.0.0.1:0"]);
    assert!(out.contains("tls_cert is set but tls_key is not"), "{out}");
    // Refused before the database was opened: nothing was created or migrated.
    assert!(!d.join("v.sqlite").exists());
    assert!(!d.join("backups").exists());
}

#[test]
fn the_server_prints_and_uses_its_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let o = setup(dir.path(), &["--village", "33.10.01.2001"]);
    assert!(o.status.success(), "{}", text(&o));
    // Behind a reverse proxy: loopback bind, https public address.
    let server = Server::start_with(
        dir.path(),
        &[
            "--database",
            "v.sqlite",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--public-url",
            "https://sengon.desa.test",
        ],
    );
    let (status, resp) = server.get("/masuk");
    assert_eq!(status, 200);
    let lower = resp.to_lowercase();
    assert!(
        lower.contains("strict-transport-security: max-age="),
        "{resp}"
    );
    assert!(lower.contains("; secure"), "cookies are Secure: {resp}");
}

#[test]
fn https_is_served_from_certificate_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = setup(d, &["--village", "33.10.01.2001"]);
    assert!(o.status.success(), "{}", text(&o));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .current_dir(d)
        .output()
        .expect("openssl is installed by scripts/test");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    std::fs::write(
        d.join("balai.toml"),
        "tls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\n",
    )
    .unwrap();
    let mut server = Server::start_with(
        d,
        &["--database", "v.sqlite", "serve", "--bind", "127.0.0.1:0"],
    );
    let url = format!("https://{}/masuk", server.addr);
    let out = std::process::Command::new("curl")
        .args(["-s", "-i", "--max-time", "10", "--cacert", "cert.pem", &url])
        .current_dir(d)
        .output()
        .expect("curl is installed by scripts/test");
    let resp = String::from_utf8_lossy(&out.stdout).to_lowercase();
    // curl and the server agree on HTTP/2 over ALPN; either version is fine.
    assert!(
        resp.starts_with("http/2 200") || resp.starts_with("http/1.1 200"),
        "{resp}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        resp.contains("strict-transport-security: max-age="),
        "{resp}"
    );
    assert!(resp.contains("; secure"), "{resp}");
    assert!(
        server.terminate().success(),
        "graceful shutdown over TLS exits 0"
    );
}

/// The Debian package starts its service on an empty database at install:
/// setup runs beside it, and the running server serves the new village.
#[test]
fn setup_works_while_the_server_already_serves_the_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let server = Server::start_with(
        d,
        &["--database", "v.sqlite", "serve", "--bind", "127.0.0.1:0"],
    );
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(!home.contains("Sengon"));
    let o = setup(d, &["--village", "33.10.01.2001"]);
    assert!(o.status.success(), "{}", text(&o));
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Sengon"), "{home}");
}
