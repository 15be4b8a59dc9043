//! Life events with their particulars in a real headless Chromium against
//! a real `balai serve`: the operator records a death with its time, place,
//! cause and reporter, sees them on the resident page, and issues the
//! Keterangan Kematian, whose PDF (read back) prints the record without
//! the desk typing any of it again; then moves a household out together
//! to a destination given by its region code.

mod common;

use common::Server;
use common::browser::{browser, click, click_link, demo, fill, screens, wait_for_text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";

async fn select(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// Sets a date or time input (their typed form depends on the browser's
/// locale) and reads it back.
async fn set_value(c: &Client, id: &str, value: &str) {
    let got = c
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('change', { bubbles: true })); return e.value;",
            vec![serde_json::json!(id), serde_json::json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(got.as_str(), Some(value), "{id} took {got}");
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

fn pdf_words(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_death_with_its_particulars_fills_the_death_certificate_and_a_household_moves_out_in_chromium()
 {
    let dir = tempfile::tempdir().unwrap();
    let operator = demo(dir.path());
    let server = Server::start(dir.path(), "v.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);
    c.goto(&format!("{base}/masuk")).await.unwrap();
    fill(&c, "f-username", &operator).await;
    fill(&c, "f-password", PASSWORD).await;
    click(&c, "button[type=submit]").await;
    wait_for_text(&c, "penduduk hidup").await;
    let village_url = c.current_url().await.unwrap().to_string();
    let (nik, href) = a_resident(&c, &village_url).await;

    // Record the death with its particulars.
    c.goto(&format!("{base}{href}")).await.unwrap();
    click_link(&c, "Catat peristiwa").await;
    wait_for_text(&c, "Keterangan kematian").await;
    screens(&c, "peristiwa-form").await;
    let form_url = c.current_url().await.unwrap().to_string();
    c.goto(&form_url).await.unwrap();
    wait_for_text(&c, "Keterangan kematian").await;
    select(&c, "f-peristiwa", "2").await;
    set_value(&c, "f-tanggal", "2026-11-15").await;
    set_value(&c, "f-jam", "04:30").await;
    fill(&c, "f-tempat", "RSUD Bagas Waras").await;
    select(&c, "f-sebab", "3").await;
    select(&c, "f-penerang", "1").await;
    fill(&c, "f-pelapor_nama", "Sri Lestari").await;
    // A head's death names a successor among the others.
    c.execute(
        "const s = document.getElementById('f-kepala_baru'); if (s) { s.selectedIndex = 1; }",
        vec![],
    )
    .await
    .unwrap();
    click(&c, "form.form button.primary").await;
    // Upper-cased as the register writes it: only the saved record shows it
    // so (the form's label "Jam meninggal" is on both pages).
    let page = wait_for_text(&c, "RSUD BAGAS WARAS").await;
    for shown in [
        "Jam meninggal",
        "04:30",
        "RSUD BAGAS WARAS",
        "KECELAKAAN",
        "Sri Lestari",
        "MATI",
    ] {
        assert!(
            page.contains(shown),
            "{shown} missing on the resident page:\n{page}"
        );
    }
    assert!(
        !page.contains("err-") && !page.contains("pt-death"),
        "no keys shown"
    );
    screens(&c, "penduduk-meninggal").await;

    // The certificate: the desk types the NIK and the purpose, nothing of the death.
    c.goto(&format!("{village_url}/surat")).await.unwrap();
    select(&c, "f-jenis", "kematian").await;
    fill(&c, "f-nik", &nik).await;
    click(&c, "form.filters button.primary").await;
    wait_for_text(&c, "Tanggal meninggal").await;
    click(&c, "input[name=penandatangan][value=an]").await;
    fill(&c, "f-an_nama", "Siti Aminah").await;
    fill(&c, "f-an_jabatan", "Sekretaris Desa").await;
    fill(&c, "f-keperluan", "Mengurus akta kematian di Dukcapil").await;
    click(&c, "button[value=terbitkan]").await;
    wait_for_text(&c, "472.12/001/").await;
    let letter_url = c.current_url().await.unwrap().to_string();
    let pdf = fetch_bytes(&c, &format!("{letter_url}/pdf")).await;
    assert!(pdf.starts_with(b"%PDF"), "a PDF was served");
    let printed = pdf_words(&pdf);
    for expected in [
        "SURAT KETERANGAN KEMATIAN",
        "15 November 2026",
        "04:30",
        "RSUD BAGAS WARAS",
        "KECELAKAAN",
        "DOKTER",
        nik.as_str(),
    ] {
        assert!(
            printed.contains(expected),
            "{expected} not printed in:\n{printed}"
        );
    }

    // A household moves out together to a village of another regency.
    let (_, href) = a_resident(&c, &village_url).await;
    c.goto(&format!("{base}{href}/peristiwa")).await.unwrap();
    wait_for_text(&c, "Keterangan pindah").await;
    select(&c, "f-peristiwa", "3").await;
    set_value(&c, "f-tanggal", "2026-11-16").await;
    fill(&c, "f-alamat_tujuan", "Jl. Veteran 12").await;
    fill(&c, "f-kode_tujuan", "33.11.01.2001").await;
    select(&c, "f-alasan", "1").await;
    let along = c
        .execute(
            "const all = document.querySelectorAll('input[name=ikut]');
             all.forEach(e => { e.checked = true; }); return all.length;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    click(&c, "form.form button.primary").await;
    let page = wait_for_text(&c, "JL. VETERAN 12").await;
    for shown in [
        "DESA GROGOL, KECAMATAN WERU, KABUPATEN SUKOHARJO, JAWA TENGAH",
        "ANTAR KABUPATEN/KOTA",
        "PEKERJAAN",
        "PINDAH",
    ] {
        assert!(
            page.contains(shown),
            "{shown} missing on the resident page:\n{page}"
        );
    }
    if along > 0 {
        assert!(page.contains("Anggota keluarga yang ikut pindah"), "{page}");
    }
    c.close().await.unwrap();
    drop(server);
}
