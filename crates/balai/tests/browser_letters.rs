//! Letters in a real headless Chromium against a real `balai serve`: the
//! operator issues a letter (read back and verified offline); a resident
//! requests one from the self-service site and the operator completes it;
//! the kiosk flow with its on-screen keypad, ticket and idle logout.

mod common;

use common::browser::{browser, click, click_link, demo, fill, wait_for_text};
use common::{Server, balai, text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";

/// Logs the operator in; returns the village's staff URL.
async fn staff_login(c: &Client, base: &str, user: &str) -> String {
    c.goto(&format!("{base}/masuk")).await.unwrap();
    fill(c, "f-username", user).await;
    fill(c, "f-password", PASSWORD).await;
    click(c, "button[type=submit]").await;
    wait_for_text(c, "penduduk hidup").await;
    c.current_url().await.unwrap().to_string()
}

/// The first living resident with a NIK on the list: (NIK, detail URL).
async fn a_resident(c: &Client, village_url: &str) -> (String, String) {
    c.goto(&format!("{village_url}/penduduk")).await.unwrap();
    for row in c
        .find_all(Locator::Css("table.list tbody tr"))
        .await
        .unwrap()
    {
        let cells = row.find_all(Locator::Css("td")).await.unwrap();
        let nik = cells[0].text().await.unwrap();
        let status = cells.last().unwrap().text().await.unwrap();
        if nik.len() == 16 && nik.bytes().all(|b| b.is_ascii_digit()) && status.contains("HIDUP") {
            let href = cells[1]
                .find(Locator::Css("a"))
                .await
                .unwrap()
                .attr("href")
                .await
                .unwrap()
                .unwrap();
            return (nik, href);
        }
    }
    panic!("no living resident with a NIK on the first page");
}

/// The operator issues a self-service PIN on the resident's page and reads it (shown once).
async fn issue_pin(c: &Client, base: &str, resident_href: &str) -> String {
    c.goto(&format!("{base}{resident_href}")).await.unwrap();
    click(c, "#beri-pin").await;
    wait_for_text(c, "pin-baru").await;
    let pin = c
        .find(Locator::Id("pin-baru"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(pin.len(), 6, "{pin}");
    pin
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

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_issues_a_letter_in_chromium_that_reads_back_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let operator = demo(dir.path());
    let server = Server::start(dir.path(), "v.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);
    let village_url = staff_login(&c, &base, &operator).await;
    let (nik, _) = a_resident(&c, &village_url).await;

    // Type the NIK, pick the kind, fill its fields, issue.
    c.goto(&format!("{village_url}/surat")).await.unwrap();
    c.find(Locator::Id("f-jenis"))
        .await
        .unwrap()
        .select_by_value("domisili")
        .await
        .unwrap();
    fill(&c, "f-nik", &nik).await;
    click(&c, "form.filters button.primary").await;
    wait_for_text(&c, "Alamat domisili").await;
    fill(&c, "f-alamat_domisili", "Dusun Krajan RT 001 RW 002").await;
    fill(&c, "f-keperluan", "Persyaratan melamar pekerjaan").await;
    click(&c, "button[value=terbitkan]").await;
    // In the head's name: it goes to the head, who signs it in the app.
    wait_for_text(&c, "Menunggu kepala desa").await;
    let request_url = c.current_url().await.unwrap().to_string();
    click(&c, "header form button.link").await;
    wait_for_text(&c, "f-username").await;
    let head = operator.replacen("operator.", "kades.", 1);
    staff_login(&c, &base, &head).await;
    c.goto(&request_url).await.unwrap();
    // The head reads the letter before the sign button is offered.
    click(&c, "#tinjau").await;
    wait_for_text(&c, "pratinjau-surat").await;
    click(&c, "#aksi-tandatangani").await;
    wait_for_text(&c, "surat-terbit").await;
    click(&c, "#surat-terbit").await;
    wait_for_text(&c, "474.4/001/").await;
    let number = c
        .find(Locator::Css("p.sum.mono"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(number.starts_with("474.4/001/"), "{number}");
    let letter_url = c.current_url().await.unwrap().to_string();

    // The PDF, read back: number, name, NIK and signer are printed.
    let pdf = fetch_bytes(&c, &format!("{letter_url}/pdf")).await;
    assert!(pdf.starts_with(b"%PDF"), "a PDF was served");
    let printed = pdf_text(&pdf);
    assert!(printed.contains(&number), "{number} in:\n{printed}");
    assert!(printed.contains(&nik), "the NIK is printed");
    assert!(printed.contains("Kepala Desa"), "the signer is printed");
    // Regression (verification_address_was_fixed_to_127_0_0_1_8080): the
    // letter names the address the server runs at, not a fixed one.
    let served = format!("http://{}/v/", server.addr);
    assert!(
        printed
            .replace(['\u{200B}', '\n', ' '], "")
            .contains(&served),
        "{served} in:\n{printed}"
    );
    // It verifies offline against the village's public key...
    let file = dir.path().join("surat.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let ok = balai(
        dir.path(),
        &["--database", "v.sqlite", "verify", "surat.pdf"],
    );
    assert!(ok.status.success(), "{}", text(&ok));
    // ...and a copy whose seal was edited does not (its signature no longer matches).
    let mut forged = pdf.clone();
    let marker = b"balai-seal:";
    let at = forged
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the seal is in the PDF's keywords")
        + marker.len()
        + 20;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(dir.path().join("palsu.pdf"), &forged).unwrap();
    let bad = balai(
        dir.path(),
        &["--database", "v.sqlite", "verify", "palsu.pdf"],
    );
    assert!(
        !bad.status.success(),
        "a modified letter must fail: {}",
        text(&bad)
    );

    // Anyone can check it on the public page, which shows no personal data.
    let verify = c
        .find(Locator::Css("a[href^='/v/']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{base}{verify}")).await.unwrap();
    let public = wait_for_text(&c, "ASLI").await;
    assert!(!public.contains(&nik));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_requests_a_letter_from_home_and_the_operator_completes_it_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let operator = demo(dir.path());
    let server = Server::start(dir.path(), "v.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);
    let village_url = staff_login(&c, &base, &operator).await;
    let kode = village_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let (nik, href) = a_resident(&c, &village_url).await;
    let pin = issue_pin(&c, &base, &href).await;

    // The resident, on the self-service site (its own cookie, beside the staff one).
    let portal = format!("{base}/layanan/{kode}");
    c.goto(&portal).await.unwrap();
    wait_for_text(&c, "manifest.webmanifest").await;
    // The service worker that makes the site installable registers itself.
    let scopes = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const look = (n) => navigator.serviceWorker.getRegistrations().then(rs =>
               rs.length || n == 0 ? done(rs.map(r => r.scope)) : setTimeout(() => look(n - 1), 100));
             look(50);",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        scopes.to_string().contains(&format!("/layanan/{kode}/")),
        "service worker scopes: {scopes}"
    );
    fill(&c, "f-nik", &nik).await;
    fill(&c, "f-pin", &pin).await;
    click(&c, "button[type=submit]").await;
    wait_for_text(&c, "pin_baru").await;
    fill(&c, "f-pin_lama", &pin).await;
    fill(&c, "f-pin_baru", "582014").await;
    fill(&c, "f-pin_ulang", "582014").await;
    click(&c, "button[type=submit]").await;
    wait_for_text(&c, "Permohonan saya").await;
    click(&c, "a.big").await;
    click_link(&c, "SURAT PENGANTAR SKCK").await;
    wait_for_text(&c, "f-keperluan").await;
    fill(&c, "f-keperluan", "Melamar pekerjaan di pabrik").await;
    click(&c, "button[type=submit]").await;
    wait_for_text(&c, "Diajukan").await;
    let status_url = c.current_url().await.unwrap().to_string();

    // The operator works through the queue: check, send for signature a.n., sign, hand over.
    c.goto(&format!("{village_url}/permohonan")).await.unwrap();
    click_link(&c, "SURAT PENGANTAR SKCK").await;
    wait_for_text(&c, "aksi-periksa").await;
    click(&c, "#aksi-periksa").await;
    wait_for_text(&c, "aksi-ajukan-ttd").await;
    click(&c, "input[name=penandatangan][value=an]").await;
    fill(&c, "f-an_nama", "Siti Aminah").await;
    fill(&c, "f-an_jabatan", "Sekretaris Desa").await;
    click(&c, "#aksi-ajukan-ttd").await;
    wait_for_text(&c, "aksi-tandatangani").await;
    click(&c, "#aksi-tandatangani").await;
    wait_for_text(&c, "surat-terbit").await;

    // The resident sees it ready.
    c.goto(&status_url).await.unwrap();
    wait_for_text(&c, "Siap diambil").await;

    c.goto(&format!("{village_url}/permohonan?status=siap"))
        .await
        .unwrap();
    click_link(&c, "SURAT PENGANTAR SKCK").await;
    wait_for_text(&c, "aksi-serahkan").await;
    click(&c, "#aksi-serahkan").await;
    wait_for_text(&c, "Sudah diambil").await;
    c.goto(&status_url).await.unwrap();
    wait_for_text(&c, "Sudah diambil").await;
    c.close().await.unwrap();
}

/// Types `digits` on the kiosk's on-screen keypad.
async fn keypad(c: &Client, digits: &str) {
    for d in digits.chars() {
        click(c, &format!("button.k-key[data-key='{d}']")).await;
    }
}

async fn value_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_keypad_logs_in_requests_a_letter_prints_a_ticket_and_logs_out_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let operator = demo(dir.path());
    let server = Server::start(dir.path(), "v.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);
    let village_url = staff_login(&c, &base, &operator).await;
    let kode = village_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let (nik, href) = a_resident(&c, &village_url).await;
    let pin = issue_pin(&c, &base, &href).await;

    let kiosk = format!("{base}/anjungan/{kode}");
    c.goto(&kiosk).await.unwrap();
    click(&c, "#k-minta-surat").await;
    wait_for_text(&c, "keypad").await;
    // NIK on the keypad; a wrong digit erased; the PIN field follows by itself.
    click(&c, "#f-nik").await;
    keypad(&c, "9").await;
    click(&c, "button.k-key[data-key='hapus']").await;
    keypad(&c, &nik).await;
    assert_eq!(value_of(&c, "f-nik").await, nik);
    keypad(&c, &pin).await;
    assert_eq!(value_of(&c, "f-pin").await, pin);
    click(&c, "button.k-ok").await;

    // The operator's PIN is replaced, on the keypad too.
    wait_for_text(&c, "pin_baru").await;
    click(&c, "#f-pin_lama").await;
    keypad(&c, &pin).await;
    keypad(&c, "604182").await;
    keypad(&c, "604182").await;
    assert_eq!(value_of(&c, "f-pin_ulang").await, "604182");
    click(&c, "button.k-ok").await;

    // Pick a letter from the big tiles, send it, get the ticket.
    wait_for_text(&c, "SURAT PENGANTAR SKCK").await;
    click_link(&c, "SURAT PENGANTAR SKCK").await;
    wait_for_text(&c, "f-keperluan").await;
    fill(&c, "f-keperluan", "Melamar kerja").await;
    click(&c, "button[type=submit]").await;
    wait_for_text(&c, "nomor-antrean").await;
    let ticket = c
        .find(Locator::Id("nomor-antrean"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ticket, "A-001");
    // The ticket ended the session: asking for a letter means logging in again.
    c.goto(&format!("{kiosk}/surat")).await.unwrap();
    wait_for_text(&c, "keypad").await;

    // Log in again and walk away: the kiosk logs out by itself.
    click(&c, "#f-nik").await;
    keypad(&c, &nik).await;
    keypad(&c, "604182").await;
    click(&c, "button.k-ok").await;
    wait_for_text(&c, "k-logout").await;
    c.execute(
        "document.body.setAttribute('data-idle', '1'); document.body.click();",
        vec![],
    )
    .await
    .unwrap();
    wait_for_text(&c, "k-minta-surat").await;
    c.goto(&format!("{kiosk}/surat")).await.unwrap();
    wait_for_text(&c, "keypad").await;
    c.close().await.unwrap();
}
