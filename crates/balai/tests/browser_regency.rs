//! The regency network in a real headless Chromium against a real `balai
//! serve` (issue 13): the regency administrator opens the dashboard and
//! drills down to a dusun; the facilitator leaves a coaching note; the
//! village's operator sees it on the village dashboard and answers it; the
//! facilitator reads the answer. The administrator also reads the
//! smart-village pillars, picks a figure and opens a village's. No
//! JavaScript of ours runs: plain links and forms.

mod common;

use common::browser::{browser, screens, wait_for_text};
use common::{Server, balai, text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";

async fn login(c: &Client, base: &str, username: &str) {
    let _ = c.delete_all_cookies().await;
    c.goto(&format!("{base}/masuk")).await.unwrap();
    c.find(Locator::Id("f-username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    c.find(Locator::Id("f-password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Keluar").await;
}

async fn click(c: &Client, css: &str) -> String {
    let link = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"));
    let label = link.text().await.unwrap();
    link.click().await.unwrap();
    label
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regency_drills_down_to_a_dusun_and_a_facilitators_note_is_answered_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = balai(
        dir.path(),
        &[
            "--database",
            "r.sqlite",
            "demo",
            "--no-serve",
            "--villages",
            "2",
            "--residents-per-village",
            "150",
        ],
    );
    assert!(seeded.status.success(), "{}", text(&seeded));
    let out = text(&seeded);
    let operator = out
        .split_whitespace()
        .find(|w| w.starts_with("operator."))
        .expect("an operator account is printed")
        .to_string();
    let server = Server::start(dir.path(), "r.sqlite");
    let Some((_driver, c)) = browser(&dir.path().join("profile")).await else {
        return;
    };
    let base = format!("http://{}", server.addr);

    // The regency administrator: dashboard → district → village → dusun.
    login(&c, &base, "admin.klaten").await;
    c.goto(&format!("{base}/staf/kabupaten")).await.unwrap();
    wait_for_text(&c, "Dasbor kabupaten").await;
    assert!(c.source().await.unwrap().contains("<svg"), "the dot map");
    let district = click(&c, "#kecamatan tbody a").await;
    wait_for_text(&c, &format!("Kecamatan {district}")).await;
    let village = click(&c, "#rincian tbody a").await;
    wait_for_text(&c, &format!("Desa {village}")).await;
    let dusun = click(&c, "#rincian tbody a").await;
    let page = wait_for_text(&c, &format!("Dusun {dusun}")).await;
    assert!(page.contains("id=\"total-penduduk\""));
    let dusun_url = c.current_url().await.unwrap().to_string();
    assert!(dusun_url.contains("/dusun/"), "{dusun_url}");

    // The smart-village pillars: from the dashboard, one figure picked from
    // the form, then a village's own figures over the years.
    c.goto(&format!("{base}/staf/kabupaten")).await.unwrap();
    click(&c, "#ke-pilar").await;
    let page = wait_for_text(&c, "Enam Pilar Desa Cerdas").await;
    assert!(page.contains("id=\"ukuran-G1\"") && page.contains("id=\"ukuran-S5\""));
    c.find(Locator::Css("#f-indikator option[value=P2]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&c, "form.filters button").await;
    wait_for_text(&c, "P2 · Penduduk yang punya PIN layanan mandiri").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("indikator=P2")
    );
    assert!(
        c.source().await.unwrap().contains("<svg"),
        "the chart over the years"
    );
    screens(&c, "pillars-regency").await;
    let village = click(&c, "#desa-pilar tbody a").await;
    let page = wait_for_text(&c, &format!("Enam Pilar Desa Cerdas · {village}")).await;
    assert!(!page.contains("id=\"desa-pilar\""));
    screens(&c, "pillars-village").await;

    // The operator's village (the demo's first), found from their own start page.
    login(&c, &base, &operator).await;
    let village_url = c.current_url().await.unwrap().to_string();
    let kode = village_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();

    // The facilitator writes a note to that village.
    login(&c, &base, "pendamping.klaten").await;
    c.goto(&format!("{base}/staf/desa/{kode}/catatan"))
        .await
        .unwrap();
    wait_for_text(&c, "Simpan catatan").await;
    c.execute(
        "document.getElementById('f-tanggal').value = '2026-11-20';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Id("f-catatan"))
        .await
        .unwrap()
        .send_keys("Golongan darah banyak yang belum terisi.")
        .await
        .unwrap();
    c.find(Locator::Id("f-tl"))
        .await
        .unwrap()
        .send_keys("Pendataan ulang di posyandu")
        .await
        .unwrap();
    click(&c, "#catatan-baru button").await;
    wait_for_text(&c, "Belum dijawab desa.").await;

    // The village sees it on its dashboard and answers it.
    login(&c, &base, &operator).await;
    wait_for_text(&c, "Golongan darah banyak yang belum terisi.").await;
    click(&c, "#ke-catatan").await;
    wait_for_text(&c, "Pendataan ulang di posyandu").await;
    c.find(Locator::Css("article.note textarea[name=jawaban]"))
        .await
        .unwrap()
        .send_keys("Dijadwalkan Sabtu ini.")
        .await
        .unwrap();
    click(&c, "article.note form button").await;
    wait_for_text(&c, "class=\"jawaban\">Dijadwalkan Sabtu ini.").await;

    // The facilitator reads the answer; the residents stay out of reach.
    login(&c, &base, "pendamping.klaten").await;
    c.goto(&format!("{base}/staf/desa/{kode}/catatan"))
        .await
        .unwrap();
    wait_for_text(&c, "Dijadwalkan Sabtu ini.").await;
    c.goto(&format!("{base}/staf/desa/{kode}/penduduk"))
        .await
        .unwrap();
    wait_for_text(&c, "Halaman tidak ditemukan").await;
}
