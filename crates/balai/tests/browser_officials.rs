//! Village officials in a real headless Chromium against a real `balai
//! serve` (issue 9 part 4): the operator records the Sekretaris Desa and
//! issues a letter a.n. with her as the signer; the head sets a signing
//! PIN, reviews a letter in the head's name and signs it with the PIN (a
//! wrong PIN does not sign); the PDFs read back with the right opening and
//! signature block; the public page lists the officials. The new screens
//! are saved at phone and desktop widths.

mod common;

use common::Server;
use common::browser::{browser, click, demo, fill, screens, wait_for_text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";

async fn staff_login(c: &Client, base: &str, user: &str) -> String {
    c.goto(&format!("{base}/masuk")).await.unwrap();
    fill(c, "f-username", user).await;
    fill(c, "f-password", PASSWORD).await;
    click(c, "button[type=submit]").await;
    wait_for_text(c, "penduduk hidup").await;
    c.current_url().await.unwrap().to_string()
}

/// Sets a date input's value (typing into one depends on the browser's locale).
async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![serde_json::json!(id), serde_json::json!(value)],
    )
    .await
    .unwrap();
}

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

fn pdf_words(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first living resident's NIK on the list.
async fn a_nik(c: &Client, village_url: &str) -> String {
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
            return nik;
        }
    }
    panic!("no living resident with a NIK on the first page");
}

/// Fills the letter desk for a domicile letter about `nik`, up to the signer.
async fn desk(c: &Client, village_url: &str, nik: &str) {
    c.goto(&format!("{village_url}/surat")).await.unwrap();
    c.find(Locator::Id("f-jenis"))
        .await
        .unwrap()
        .select_by_value("domisili")
        .await
        .unwrap();
    fill(c, "f-nik", nik).await;
    click(c, "form.filters button.primary").await;
    wait_for_text(c, "Alamat domisili").await;
    fill(c, "f-alamat_domisili", "Dusun Krajan RT 001 RW 002").await;
    fill(c, "f-keperluan", "Persyaratan melamar pekerjaan").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_records_a_secretary_who_signs_an_and_the_head_reviews_and_signs_with_a_pin() {
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
    let village_name = {
        let h1 = c
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        h1.rsplit(' ').next().unwrap().to_string()
    };

    // The operator records the village secretary.
    c.goto(&format!("{village_url}/perangkat")).await.unwrap();
    wait_for_text(&c, "perangkat-kosong").await;
    c.find(Locator::Id("f-jabatan"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    fill(&c, "f-nama", "Siti Aminah").await;
    fill(&c, "f-nip", "19850312 201001 2 004").await;
    set_value(&c, "f-mulai", "2024-01-15").await;
    click(&c, "#simpan-perangkat").await;
    wait_for_text(&c, "daftar-perangkat").await;
    screens(&c, "perangkat").await;

    // A letter a.n. the head, signed by her, issued at the desk.
    let nik = a_nik(&c, &village_url).await;
    desk(&c, &village_url, &nik).await;
    click(&c, "input[name=penandatangan][value^='pejabat:']").await;
    screens(&c, "meja-surat").await;
    click(&c, "button[value=terbitkan]").await;
    wait_for_text(&c, "474.4/").await;
    let letter_url = c.current_url().await.unwrap().to_string();
    let printed = pdf_words(&fetch_bytes(&c, &format!("{letter_url}/pdf")).await);
    let opening = "Yang bertanda tangan di bawah ini, SITI AMINAH, Sekretaris Desa";
    assert!(printed.contains(opening), "{opening} in:\n{printed}");
    assert!(
        printed.contains(", a.n. Kepala Desa") && printed.contains("NIP. 19850312 201001 2 004"),
        "{printed}"
    );

    // A letter in the head's name goes to the head.
    desk(&c, &village_url, &nik).await;
    click(&c, "input[name=penandatangan][value=kades]").await;
    click(&c, "button[value=terbitkan]").await;
    wait_for_text(&c, "Menunggu kepala desa").await;
    let request_url = c.current_url().await.unwrap().to_string();
    click(&c, "header form button.link").await;
    wait_for_text(&c, "f-username").await;

    // The head sets a signing PIN…
    let head = operator.replacen("operator.", "kades.", 1);
    staff_login(&c, &base, &head).await;
    c.goto(&format!("{village_url}/tanda-tangan"))
        .await
        .unwrap();
    fill(&c, "f-pin", "258036").await;
    fill(&c, "f-pin2", "258036").await;
    click(&c, "#simpan-pin").await;
    wait_for_text(&c, "pin-tersimpan").await;
    screens(&c, "pin-tanda-tangan").await;

    // …has no sign button before reading the letter…
    c.goto(&request_url).await.unwrap();
    wait_for_text(&c, "id=\"tinjau\"").await;
    assert!(c.find(Locator::Id("aksi-tandatangani")).await.is_err());
    click(&c, "#tinjau").await;
    let review = wait_for_text(&c, "pratinjau-surat").await;
    assert!(review.contains("Yang bertanda tangan di bawah ini"));
    screens(&c, "tinjau-surat").await;
    // …a wrong PIN does not sign…
    fill(&c, "f-pin", "258037").await;
    click(&c, "#aksi-tandatangani").await;
    wait_for_text(&c, "galat-ttd").await;
    // …the right one does.
    fill(&c, "f-pin", "258036").await;
    click(&c, "#aksi-tandatangani").await;
    wait_for_text(&c, "surat-terbit").await;
    click(&c, "#surat-terbit").await;
    wait_for_text(&c, "474.4/002/").await;
    let letter_url = c.current_url().await.unwrap().to_string();
    let printed = pdf_words(&fetch_bytes(&c, &format!("{letter_url}/pdf")).await);
    assert!(
        printed.contains(&format!(
            "Yang bertanda tangan di bawah ini, Kepala Desa {village_name}"
        )),
        "{printed}"
    );
    assert!(!printed.contains("a.n."), "{printed}");

    // The public page lists the secretary, without her NIP.
    c.goto(&format!("{base}/desa/{kode}/pemerintahan"))
        .await
        .unwrap();
    let public = wait_for_text(&c, "Siti Aminah").await;
    assert!(!public.contains("19850312"));
    screens(&c, "pemerintahan").await;
    c.close().await.unwrap();
}
