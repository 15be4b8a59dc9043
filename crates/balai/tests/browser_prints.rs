//! Printing from the browser, in a real headless Chromium against a real
//! `balai serve`: the operator opens the family list from the dashboard's
//! Keluarga tile, finds a card by the start of its number, prints the
//! family card, picks a month with the month picker and prints the
//! mutation report; both PDFs are read back. The family list, the card,
//! the report, its by-dusun breakdown and the Buku Induk are saved as
//! screenshots at phone and desktop width, none of them scrolling sideways
//! on a phone.

mod common;

use std::path::Path;

use common::Server;
use common::browser::{browser, click, demo, fill, screens, wait_for_text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";

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

/// Waits until the address holds `needle` (a submitted form's page).
async fn wait_for_url(c: &Client, needle: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if c.current_url().await.unwrap().as_str().contains(needle) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the address never held {needle}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn href(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_prints_a_family_card_and_the_mutation_report_in_chromium() {
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

    // The dashboard's Keluarga tile opens the family list.
    click(&c, "a.card[href$='/keluarga']").await;
    wait_for_text(&c, "Cari No. KK atau nama kepala keluarga").await;
    screens(&c, "keluarga-daftar").await;
    let first = c
        .find(Locator::Css("#daftar-keluarga tbody tr td.mono a"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first.len(), 16, "a No. KK: {first}");

    // Found by the start of its number; its row opens the card.
    fill(&c, "f-q", &first[..12]).await;
    click(&c, "#cari-keluarga button").await;
    // The list before the search shows the number too: wait for the
    // search's own page before touching its rows.
    wait_for_url(&c, &format!("q={}", &first[..12])).await;
    wait_for_text(&c, &first).await;
    click(&c, "#daftar-keluarga tbody tr td.mono a").await;
    wait_for_text(&c, "Cetak KK (PDF)").await;
    screens(&c, "kartu-keluarga").await;
    let kk = fetch_bytes(&c, &href(&c, "#cetak-kk").await).await;
    assert!(kk.starts_with(b"%PDF"), "a PDF was served");
    let printed = pdf_words(&kk);
    assert!(printed.contains("KARTU KELUARGA"), "{printed}");
    assert!(printed.contains(&first), "{printed}");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens/kartu-keluarga.pdf"),
        &kk,
    )
    .unwrap();

    // The mutation report: a month picked with the month picker, then printed.
    c.goto(&format!("{village_url}/laporan/mutasi"))
        .await
        .unwrap();
    let kind = c
        .find(Locator::Id("f-periode"))
        .await
        .unwrap()
        .attr("type")
        .await
        .unwrap();
    assert_eq!(kind.as_deref(), Some("month"));
    let set = c
        .execute(
            "const e = document.getElementById('f-periode'); e.value = '2026-10';
             e.dispatchEvent(new Event('change', { bubbles: true })); return e.value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(set.as_str(), Some("2026-10"), "Chromium took the month");
    click(&c, "form.filters button").await;
    wait_for_url(&c, "periode=2026-10").await;
    wait_for_text(&c, "Laporan mutasi · 10").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("periode=2026-10")
    );
    screens(&c, "laporan-mutasi").await;
    let report = fetch_bytes(&c, &href(&c, "#cetak-mutasi").await).await;
    assert!(report.starts_with(b"%PDF"));
    let printed = pdf_words(&report);
    assert!(printed.contains("LAPORAN MUTASI PENDUDUK"), "{printed}");
    assert!(printed.contains("BULAN OKTOBER 2026"), "{printed}");
    assert!(printed.contains("Penduduk akhir bulan"), "{printed}");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens/laporan-mutasi.pdf"),
        &report,
    )
    .unwrap();
    click(&c, "#mutasi-dusun").await;
    wait_for_url(&c, "/laporan/mutasi/dusun").await;
    wait_for_text(&c, "Mutasi per dusun").await;
    screens(&c, "laporan-mutasi-dusun").await;

    // The Buku Induk's wide table scrolls in its box; the page does not widen.
    c.goto(&format!("{village_url}/laporan/buku-induk"))
        .await
        .unwrap();
    wait_for_text(&c, "Cetak / unduh PDF").await;
    screens(&c, "buku-induk").await;
}
