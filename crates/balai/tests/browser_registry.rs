//! The registry in a real headless Chromium, driven through chromedriver
//! against a real `balai serve`: log in, search, record a birth, upload a
//! broken workbook and read its row errors, upload a good one and find its
//! residents.

mod common;

use common::browser::{browser, click_link, wait_for_text};
use common::{Server, balai, text};
use fantoccini::Locator;

fn broken_workbook(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "dusun",
        "rw",
        "rt",
        "nama",
        "no_kk",
        "nik",
        "sex",
        "tanggallahir",
        "agama_id",
        "pendidikan_kk_id",
        "pekerjaan_id",
        "status_kawin",
        "kk_level",
    ];
    let rows = [
        [
            "KRAJAN",
            "001",
            "001",
            "ANI LESTARI",
            "3310011203200001",
            "3310015003960005",
            "2",
            "1996-03-10",
            "1",
            "4",
            "2",
            "2",
            "1",
        ],
        [
            "KRAJAN",
            "001",
            "001",
            "BUDI SANTOSO",
            "3310011203200001",
            "33100120057",
            "1",
            "1970-05-20",
            "1",
            "3",
            "26",
            "2",
            "3",
        ],
        [
            "KRAJAN",
            "001",
            "001",
            "CITRA DEWI",
            "3310011203200001",
            "3310015503990005",
            "2",
            "1999-03-15",
            "AGAMA BARU",
            "3",
            "26",
            "1",
            "4",
        ],
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_searches_records_a_birth_and_imports_workbooks_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = balai(
        dir.path(),
        &[
            "--database",
            "v.sqlite",
            "demo",
            "--no-serve",
            "--villages",
            "1",
            "--residents-per-village",
            "300",
        ],
    );
    assert!(seeded.status.success(), "{}", text(&seeded));
    let out = text(&seeded);
    let operator = out
        .split_whitespace()
        .find(|w| w.starts_with("operator."))
        .expect("an operator account is printed")
        .to_string();
    let server = Server::start(dir.path(), "v.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);

    // Log in.
    c.goto(&format!("{base}/masuk")).await.unwrap();
    c.find(Locator::Id("f-username"))
        .await
        .unwrap()
        .send_keys(&operator)
        .await
        .unwrap();
    c.find(Locator::Id("f-password"))
        .await
        .unwrap()
        .send_keys(balai_services_demo_password())
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&c, "penduduk hidup").await;
    let village_url = c.current_url().await.unwrap().to_string();

    // Search by name from the dashboard.
    c.goto(&format!("{village_url}/penduduk")).await.unwrap();
    let first_name = c
        .find(Locator::Css("table.list tbody tr td a"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let word = first_name.split(' ').next().unwrap().to_lowercase();
    c.goto(&village_url).await.unwrap();
    c.find(Locator::Id("f-q"))
        .await
        .unwrap()
        .send_keys(&word)
        .await
        .unwrap();
    c.find(Locator::Css("form.search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&c, &first_name).await;

    // Record a birth into that resident's family.
    c.find(Locator::Css("table.list tbody tr td:nth-child(6) a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&c, "Kartu Keluarga").await;
    click_link(&c, "Catat kelahiran").await;
    wait_for_text(&c, "Catat kelahiran").await;
    c.find(Locator::Id("f-nama"))
        .await
        .unwrap()
        .send_keys("BAYU SAMUDRA")
        .await
        .unwrap();
    c.find(Locator::Id("f-tempat_lahir"))
        .await
        .unwrap()
        .send_keys("KLATEN")
        .await
        .unwrap();
    c.execute(
        "document.getElementById('f-tanggal_lahir').value = '2026-11-15';",
        vec![],
    )
    .await
    .unwrap();
    for (id, value) in [("f-sex", "1"), ("f-agama", "1")] {
        c.find(Locator::Id(id))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let child = wait_for_text(&c, "BAYU SAMUDRA").await;
    assert!(child.contains("LAHIR"), "the birth event is listed");

    // A broken workbook: every bad row is shown, nothing is imported.
    let broken = dir.path().join("rusak.xlsx");
    broken_workbook(&broken);
    c.goto(&format!("{village_url}/impor")).await.unwrap();
    c.find(Locator::Id("f-berkas"))
        .await
        .unwrap()
        .send_keys(broken.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let report = wait_for_text(&c, "Tidak ada data yang disimpan").await;
    assert!(
        report.contains("<td>3</td>") && report.contains("<td>4</td>"),
        "rows 3 (NIK) and 4 (agama) are both reported:\n{report}"
    );

    // The OpenSID sample: imported, then found by search.
    let sample = std::fs::canonicalize(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/opensid/contoh_penduduk.xlsx"
    ))
    .unwrap();
    c.goto(&format!("{village_url}/impor")).await.unwrap();
    c.find(Locator::Id("f-berkas"))
        .await
        .unwrap()
        .send_keys(sample.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&c, "97 penduduk baru").await;
    c.goto(&format!("{village_url}/penduduk?q=adini"))
        .await
        .unwrap();
    wait_for_text(&c, "ADINI SEPTIA LISTA").await;
    c.close().await.unwrap();
    drop(server);
}

fn balai_services_demo_password() -> &'static str {
    "demo-balai"
}
