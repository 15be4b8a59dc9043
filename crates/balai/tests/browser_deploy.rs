//! A real installation end to end, in headless Chromium against the real
//! binary: `balai setup --village` on an empty database, the administrator
//! creates an operator and a head (each logs in with a one-time code and is
//! made to choose a password), the operator issues a letter that the head
//! signs from their queue, the PDF's QR code decodes to the configured
//! public URL and `balai verify` accepts it; disabling the operator ends
//! their live session.

mod common;

use std::path::Path;
use std::process::Command;

use common::browser::{browser, click, click_link, fill, wait_for_text, wait_for_text_gone};
use common::{Server, balai, text};
use fantoccini::{Client, Locator};

const ADMIN_PASSWORD: &str = "kantor-desa-sengon-2026";
const PUBLIC_URL: &str = "http://sengon.desa.test";

async fn text_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id)).await.unwrap().text().await.unwrap()
}

async fn login(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(&format!("{base}/masuk")).await.unwrap();
    fill(c, "f-username", user).await;
    fill(c, "f-password", password).await;
    click(c, "button[type=submit]").await;
}

async fn logout(c: &Client) {
    click(c, "header form button.link").await;
    wait_for_text(c, "f-username").await;
}

/// The administrator creates `username` with `role`; returns the one-time code.
async fn create_account(c: &Client, base: &str, username: &str, name: &str, role: &str) -> String {
    c.goto(&format!("{base}/staf/pengguna")).await.unwrap();
    fill(c, "f-username", username).await;
    fill(c, "f-display_name", name).await;
    c.find(Locator::Id("f-role"))
        .await
        .unwrap()
        .select_by_value(role)
        .await
        .unwrap();
    click(c, "form.form button.primary").await;
    wait_for_text(c, "kode-sekali").await;
    text_of(c, "kode-sekali").await
}

/// Logs in with a one-time code: the only page open is the password change,
/// which first refuses a common password, then takes a good one.
async fn first_login(c: &Client, base: &str, user: &str, code: &str, password: &str) {
    login(c, base, user, code).await;
    wait_for_text(c, "wajib-ganti").await;
    c.goto(&format!("{base}/staf/desa/3310012001"))
        .await
        .unwrap();
    wait_for_text(c, "wajib-ganti").await;
    fill(c, "f-new", "1234567890").await;
    fill(c, "f-confirm", "1234567890").await;
    click(c, "form.form button.primary").await;
    wait_for_text(c, "paling umum").await;
    fill(c, "f-new", password).await;
    fill(c, "f-confirm", password).await;
    click(c, "form.form button.primary").await;
    // The forced-change page is the account page itself (it shows the last
    // login too): wait for the warning to go, not for the page to show
    // "login-terakhir", which the page before the post already did.
    let after = wait_for_text_gone(c, "wajib-ganti").await;
    assert!(after.contains("login-terakhir"), "{after}");
}

/// The bytes at `url`, fetched by the page itself (with its cookies).
async fn fetch_bytes(c: &Client, url: &str) -> Vec<u8> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))));",
            vec![serde_json::json!(url)],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect()
}

/// The text of the QR code printed on the PDF's first page: pdftoppm
/// rasterises it (greyscale PGM), rqrr finds and decodes the code.
fn qr_text(dir: &Path, pdf: &[u8]) -> String {
    std::fs::write(dir.join("qr.pdf"), pdf).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-f", "1", "-l", "1", "qr.pdf", "qr"])
        .current_dir(dir)
        .output()
        .expect("pdftoppm (poppler-utils) is installed by scripts/test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pgm = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .expect("a page image");
    let bytes = std::fs::read(pgm).unwrap();
    // P5 header: magic, width, height, maxval, one whitespace, then the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let pixels = &bytes[i + 1..];
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    assert_eq!(fields[0], "P5");
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the letter");
    grids[0].decode().expect("the QR code decodes").1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_village_office_is_set_up_staffed_and_issues_a_letter_that_verifies_at_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("pw.txt"), ADMIN_PASSWORD).unwrap();
    let o = balai(
        d,
        &[
            "--database",
            "v.sqlite",
            "setup",
            "--village",
            "33.10.01.2001",
            "--admin",
            "admin.sengon",
            "--admin-name",
            "Admin Sengon",
            "--admin-password-file",
            "pw.txt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    // Residents for the letter (the office would import its workbook).
    let o = balai(
        d,
        &[
            "--database",
            "v.sqlite",
            "generate",
            "--region",
            "33.10.01.2001",
            "--residents-per-village",
            "80",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let server = Server::start_with(
        d,
        &[
            "--database",
            "v.sqlite",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--public-url",
            PUBLIC_URL,
        ],
    );
    let base = format!("http://{}", server.addr);
    let Some((_d1, admin)) = browser(&d.join("profile-admin")).await else {
        return;
    };
    let Some((_d2, operator)) = browser(&d.join("profile-operator")).await else {
        return;
    };

    login(&admin, &base, "admin.sengon", ADMIN_PASSWORD).await;
    wait_for_text(&admin, "Sengon").await;
    let op_code = create_account(
        &admin,
        &base,
        "operator.sengon",
        "Operator Sengon",
        "village_operator",
    )
    .await;
    let head_code = create_account(
        &admin,
        &base,
        "kades.sengon",
        "Kepala Desa Sengon",
        "village_head",
    )
    .await;
    admin.goto(&format!("{base}/staf/pengguna")).await.unwrap();
    let list = wait_for_text(&admin, "operator.sengon").await;
    assert!(list.contains("kades.sengon") && list.contains("Menunggu kata sandi baru"));

    // The operator: one-time code, forced password change, then a letter in the head's name.
    first_login(
        &operator,
        &base,
        "operator.sengon",
        &op_code,
        "sawah-hijau-operator-1",
    )
    .await;
    let village = format!("{base}/staf/desa/3310012001");
    operator.goto(&format!("{village}/penduduk")).await.unwrap();
    wait_for_text(&operator, "HIDUP").await;
    let mut nik = String::new();
    for row in operator
        .find_all(Locator::Css("table.list tbody tr"))
        .await
        .unwrap()
    {
        let cells = row.find_all(Locator::Css("td")).await.unwrap();
        let n = cells[0].text().await.unwrap();
        let status = cells.last().unwrap().text().await.unwrap();
        if n.len() == 16 && n.bytes().all(|b| b.is_ascii_digit()) && status.contains("HIDUP") {
            nik = n;
            break;
        }
    }
    assert_eq!(nik.len(), 16, "a living resident with a NIK");
    // A new village has no letterhead yet: the operator names the head first
    // (until then only letters signed a.n. can be issued).
    operator
        .goto(&format!("{village}/surat/pengaturan"))
        .await
        .unwrap();
    wait_for_text(&operator, "f-kades_nama").await;
    fill(&operator, "f-alamat", "Jl. Raya Sengon No. 1").await;
    fill(&operator, "f-kades_nama", "Suparno").await;
    fill(&operator, "f-kades_jabatan", "Kepala Desa Sengon").await;
    click(&operator, "button[value=simpan]").await;
    wait_for_text(&operator, "role=\"status\"").await;
    operator.goto(&format!("{village}/surat")).await.unwrap();
    operator
        .find(Locator::Id("f-jenis"))
        .await
        .unwrap()
        .select_by_value("domisili")
        .await
        .unwrap();
    fill(&operator, "f-nik", &nik).await;
    click(&operator, "form.filters button.primary").await;
    wait_for_text(&operator, "Alamat domisili").await;
    fill(&operator, "f-alamat_domisili", "Dusun Krajan RT 001 RW 002").await;
    fill(&operator, "f-keperluan", "Persyaratan melamar pekerjaan").await;
    click(&operator, "button[value=terbitkan]").await;
    wait_for_text(&operator, "Menunggu kepala desa").await;
    let request_url = operator.current_url().await.unwrap().to_string();

    // The head signs it from their queue.
    logout(&admin).await;
    first_login(
        &admin,
        &base,
        "kades.sengon",
        &head_code,
        "tanda-tangan-kades-2",
    )
    .await;
    admin.goto(&request_url).await.unwrap();
    click(&admin, "#tinjau").await;
    wait_for_text(&admin, "pratinjau-surat").await;
    click(&admin, "#aksi-tandatangani").await;
    wait_for_text(&admin, "surat-terbit").await;
    click(&admin, "#surat-terbit").await;
    wait_for_text(&admin, "474.4/001/").await;
    let letter_url = admin.current_url().await.unwrap().to_string();
    let pdf = fetch_bytes(&admin, &format!("{letter_url}/pdf")).await;
    assert!(pdf.starts_with(b"%PDF"));

    // Its QR code carries the configured public address, and it verifies offline.
    let qr = qr_text(d, &pdf);
    assert!(
        qr.starts_with(&format!("{PUBLIC_URL}/v/")),
        "QR code says {qr:?}"
    );
    std::fs::write(d.join("surat.pdf"), &pdf).unwrap();
    let ok = balai(d, &["--database", "v.sqlite", "verify", "surat.pdf"]);
    assert!(ok.status.success(), "{}", text(&ok));

    // The administrator disables the operator: the operator's open session stops working.
    operator.goto(&village).await.unwrap();
    wait_for_text(&operator, "penduduk hidup").await;
    logout(&admin).await;
    login(&admin, &base, "admin.sengon", ADMIN_PASSWORD).await;
    wait_for_text(&admin, "Sengon").await;
    admin.goto(&format!("{base}/staf/pengguna")).await.unwrap();
    admin
        .find(Locator::LinkText("operator.sengon"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let page = wait_for_text(&admin, "Akhiri sesi").await;
    assert!(page.contains("Sesi aktif"));
    click(&admin, "#nonaktifkan").await;
    let page = wait_for_text(&admin, "id=\"aktifkan\"").await;
    assert!(page.contains("Nonaktif"));
    operator.goto(&village).await.unwrap();
    wait_for_text(&operator, "f-username").await;
    assert!(
        operator
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/masuk")
    );
    login(
        &operator,
        &base,
        "operator.sengon",
        "sawah-hijau-operator-1",
    )
    .await;
    let refused = wait_for_text(&operator, "role=\"alert\"").await;
    assert!(
        refused.contains("Nama pengguna atau kata sandi salah"),
        "{refused}"
    );

    admin.close().await.unwrap();
    operator.close().await.unwrap();
}

/// Account management in the browser: the administrator resets the
/// operator's password (their live session ends, the old password stops
/// working, the new one-time code forces a password change), the operator
/// then changes their own password with the current one, and the
/// administrator ends the operator's session from the account page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_resets_a_password_and_ends_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("pw.txt"), ADMIN_PASSWORD).unwrap();
    let o = balai(
        d,
        &[
            "--database",
            "v.sqlite",
            "setup",
            "--village",
            "33.10.01.2001",
            "--admin",
            "admin.sengon",
            "--admin-password-file",
            "pw.txt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let server = Server::start_with(
        d,
        &["--database", "v.sqlite", "serve", "--bind", "127.0.0.1:0"],
    );
    let base = format!("http://{}", server.addr);
    let Some((_d1, admin)) = browser(&d.join("profile-admin")).await else {
        return;
    };
    let Some((_d2, operator)) = browser(&d.join("profile-operator")).await else {
        return;
    };
    login(&admin, &base, "admin.sengon", ADMIN_PASSWORD).await;
    wait_for_text(&admin, "Sengon").await;
    let code = create_account(
        &admin,
        &base,
        "operator.sengon",
        "Operator Sengon",
        "village_operator",
    )
    .await;
    first_login(
        &operator,
        &base,
        "operator.sengon",
        &code,
        "sawah-hijau-operator-1",
    )
    .await;
    let village = format!("{base}/staf/desa/3310012001");

    // The administrator resets the password: a new one-time code, shown once.
    admin.goto(&format!("{base}/staf/pengguna")).await.unwrap();
    click_link(&admin, "operator.sengon").await;
    wait_for_text(&admin, "Akhiri sesi").await;
    let account_page = admin.current_url().await.unwrap().to_string();
    click(&admin, "#reset-sandi").await;
    wait_for_text(&admin, "kode-sekali").await;
    let new_code = text_of(&admin, "kode-sekali").await;
    assert_ne!(new_code, code);

    // The operator's open session ended, and the old password no longer works.
    operator.goto(&village).await.unwrap();
    wait_for_text(&operator, "f-username").await;
    login(
        &operator,
        &base,
        "operator.sengon",
        "sawah-hijau-operator-1",
    )
    .await;
    let refused = wait_for_text(&operator, "role=\"alert\"").await;
    assert!(
        refused.contains("Nama pengguna atau kata sandi salah"),
        "{refused}"
    );
    first_login(
        &operator,
        &base,
        "operator.sengon",
        &new_code,
        "sawah-hijau-operator-2",
    )
    .await;
    // The code worked once.
    logout(&operator).await;
    login(&operator, &base, "operator.sengon", &new_code).await;
    wait_for_text(&operator, "role=\"alert\"").await;

    // Their own change: the current password is asked for, and the rules hold.
    login(
        &operator,
        &base,
        "operator.sengon",
        "sawah-hijau-operator-2",
    )
    .await;
    wait_for_text(&operator, "Keluar").await;
    operator.goto(&format!("{base}/staf/akun")).await.unwrap();
    wait_for_text(&operator, "f-current").await;
    fill(&operator, "f-current", "salah-sekali-ini-99").await;
    fill(&operator, "f-new", "sawah-hijau-operator-3").await;
    fill(&operator, "f-confirm", "sawah-hijau-operator-3").await;
    click(&operator, "form.form button.primary").await;
    // Wait for each answer's own message: the page before the post may
    // already show an error (id="galat") of the previous attempt.
    wait_for_text(&operator, "kata sandi saat ini salah").await;
    fill(&operator, "f-current", "sawah-hijau-operator-2").await;
    fill(&operator, "f-new", "pendek").await;
    fill(&operator, "f-confirm", "pendek").await;
    click(&operator, "form.form button.primary").await;
    wait_for_text(&operator, "minimal 10 karakter").await;
    fill(&operator, "f-current", "sawah-hijau-operator-2").await;
    fill(&operator, "f-new", "sawah-hijau-operator-3").await;
    fill(&operator, "f-confirm", "sawah-hijau-operator-3").await;
    click(&operator, "form.form button.primary").await;
    wait_for_text(&operator, "id=\"info\"").await;

    // The administrator sees the live session and ends it.
    admin.goto(&account_page).await.unwrap();
    let page = wait_for_text(&admin, "Akhiri sesi").await;
    assert!(page.contains("Sesi aktif"));
    click(&admin, "form[action$='/akhiri-sesi'] button").await;
    wait_for_text(&admin, "Tidak ada sesi aktif").await;
    operator.goto(&village).await.unwrap();
    wait_for_text(&operator, "f-username").await;

    admin.close().await.unwrap();
    operator.close().await.unwrap();
}
