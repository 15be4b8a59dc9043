//! The kiosk by touch alone, in a real headless Chromium against a real
//! `balai serve`: a resident logs in on the numeric keypad, picks a letter
//! from the tiles, answers every choice with a button and types the one
//! free-text field on the on-screen keyboard — clicks on on-screen keys and
//! buttons only, nothing typed into an input — at 1366×768 landscape and
//! 1080×1920 portrait. On every screen the primary button ("Lanjut",
//! "Kirim") lies inside the viewport and nothing scrolls sideways;
//! screenshots are saved as test artifacts (the test target's temporary
//! directory, `screens/kiosk-*.png`).

mod common;

use std::path::Path;

use common::Server;
use common::browser::{browser, click, click_link, demo, fill, wait_for_text};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "demo-balai";
const NEW_PIN: &str = "604182";

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
    c.find(Locator::Id("pin-baru"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Makes the page's viewport exactly `w`×`h` CSS pixels (the window may
/// have a frame around it).
async fn viewport(c: &Client, w: i64, h: i64) {
    let (mut ww, mut wh) = (w as u32, h as u32);
    for _ in 0..3 {
        c.set_window_size(ww, wh).await.unwrap();
        let got = c
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .unwrap();
        let (iw, ih) = (got[0].as_i64().unwrap(), got[1].as_i64().unwrap());
        if (iw, ih) == (w, h) {
            return;
        }
        ww = (ww as i64 + w - iw) as u32;
        wh = (wh as i64 + h - ih) as u32;
    }
    panic!("cannot make a {w}x{h} viewport");
}

/// Checks the screen fits: no sideways scroll, and the element `primary`
/// wholly inside the viewport and not covered (what a touch at its centre
/// reaches is the element). Saves a screenshot as `kiosk-{name}-{size}.png`.
async fn fits(c: &Client, name: &str, size: &str, primary: &str) {
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "{name} scrolls sideways by {overflow} px at {size}"
    );
    let placed = c
        .execute(
            "const e = document.querySelector(arguments[0]);
             if (!e) return 'missing';
             const r = e.getBoundingClientRect();
             if (r.width === 0 || r.height === 0) return 'not shown';
             if (r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight)
               return `outside the viewport: ${JSON.stringify(r)} in ${window.innerWidth}x${window.innerHeight}`;
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return e.contains(hit) ? 'ok' : 'covered by ' + (hit && hit.outerHTML.slice(0, 80));",
            vec![serde_json::json!(primary)],
        )
        .await
        .unwrap();
    assert_eq!(placed, "ok", "{name} at {size}: {primary}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("kiosk-{name}-{size}.png")), png).unwrap();
}

/// Touches `digits` on the numeric keypad.
async fn keypad(c: &Client, digits: &str) {
    for d in digits.chars() {
        click(c, &format!("button.k-key[data-key='{d}']")).await;
    }
}

/// Touches `text` on the on-screen keyboard, using its shift key for capitals.
async fn keyboard(c: &Client, text: &str) {
    for ch in text.chars() {
        if ch == ' ' {
            click(c, "#osk [data-osk-key=space]").await;
            continue;
        }
        if ch.is_alphabetic() {
            let shifted = c
                .find(Locator::Css("#osk [data-osk-key=shift]"))
                .await
                .unwrap()
                .attr("aria-pressed")
                .await
                .unwrap()
                == Some("true".into());
            if shifted != ch.is_uppercase() {
                click(c, "#osk [data-osk-key=shift]").await;
            }
        }
        let key = ch.to_lowercase().to_string();
        click(c, &format!("#osk button[data-ch='{key}']")).await;
    }
}

/// Touches the button of the choice `value` of the radio group `name`.
async fn choose(c: &Client, name: &str, value: &str) {
    click(
        c,
        &format!("label.choice:has(> input[name='{name}'][value='{value}'])"),
    )
    .await;
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

/// Every letter tile lies inside the viewport (the first screen after login
/// has no primary button: the tiles are the choice).
async fn all_tiles_fit(c: &Client, size: &str) {
    let n = c
        .find_all(Locator::Css(".k-kinds a.k-tile"))
        .await
        .unwrap()
        .len();
    assert!(n >= 12);
    for i in 1..=n {
        fits(
            c,
            "kinds",
            size,
            &format!(".k-kinds a.k-tile:nth-child({i})"),
        )
        .await;
    }
}

/// Logs in on the keypad, changing the operator's PIN the first time.
async fn log_in(c: &Client, kiosk: &str, size: &str, nik: &str, pin: &str, first: bool) {
    c.goto(kiosk).await.unwrap();
    wait_for_text(c, "k-minta-surat").await;
    fits(c, "home", size, "#k-minta-surat").await;
    click(c, "#k-minta-surat").await;
    wait_for_text(c, "keypad").await;
    fits(c, "login", size, "button.k-ok").await;
    click(c, "#f-nik").await;
    keypad(c, nik).await;
    keypad(c, if first { pin } else { NEW_PIN }).await;
    assert_eq!(value_of(c, "f-nik").await, nik);
    fits(c, "login", size, "button.k-ok").await;
    click(c, "button.k-ok").await;
    if first {
        wait_for_text(c, "pin_baru").await;
        fits(c, "pin", size, "button.k-ok").await;
        click(c, "#f-pin_lama").await;
        keypad(c, pin).await;
        keypad(c, NEW_PIN).await;
        keypad(c, NEW_PIN).await;
        click(c, "button.k-ok").await;
    }
    wait_for_text(c, "k-kinds").await;
    all_tiles_fit(c, size).await;
}

/// The queue number on the ticket.
async fn ticket(c: &Client, size: &str) -> String {
    wait_for_text(c, "nomor-antrean").await;
    fits(c, "ticket", size, "a.k-primary").await;
    c.find(Locator::Id("nomor-antrean"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_letter_request_is_completed_by_touch_alone_at_1366x768_and_1080x1920() {
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

    // Landscape: an identity-card letter, renewal chosen by button, a
    // purpose of one's own on the on-screen keyboard.
    let size = "1366x768";
    viewport(&c, 1366, 768).await;
    log_in(&c, &kiosk, size, &nik, &pin, true).await;
    click(&c, "a[href$='jenis=pengantar-ktp']").await;
    wait_for_text(&c, "k-kirim").await;
    fits(&c, "form", size, "#k-kirim").await;
    choose(&c, "jenis_permohonan", "perpanjangan").await;
    choose(&c, "keperluan_pilihan", "lain").await;
    // "Other" opens the keyboard on the purpose; the send button stays on screen.
    wait_for_text(&c, "osk-open").await;
    fits(&c, "keyboard", size, "#k-kirim").await;
    fits(&c, "keyboard", size, "#osk [data-osk-key=space]").await;
    fits(&c, "keyboard", size, "#f-keperluan").await;
    // One word is no purpose: refused with the reason, the word kept.
    keyboard(&c, "Rusak").await;
    assert_eq!(value_of(&c, "f-keperluan").await, "Rusak");
    click(&c, "#k-kirim").await;
    wait_for_text(&c, "dua kata").await;
    fits(&c, "form-refused", size, "#k-kirim").await;
    // The reason is on screen, not below the fold.
    fits(&c, "form-refused", size, "#e-keperluan").await;
    // The erase key, then the rest of the sentence.
    click(&c, "#f-keperluan").await;
    click(&c, "#osk [data-osk-key=back]").await;
    keyboard(&c, "k karena banjir").await;
    assert_eq!(value_of(&c, "f-keperluan").await, "Rusak karena banjir");
    let checked = c
        .execute(
            "return document.querySelector('input[name=jenis_permohonan]:checked').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(checked, "perpanjangan", "the choice survives the refusal");
    click(&c, "#k-kirim").await;
    assert_eq!(ticket(&c, size).await, "A-001");

    // Portrait: a domicile letter, the address typed with capitals and
    // digits, the purpose picked from the list.
    let size = "1080x1920";
    viewport(&c, 1080, 1920).await;
    log_in(&c, &kiosk, size, &nik, &pin, false).await;
    click(&c, "a[href$='jenis=domisili']").await;
    wait_for_text(&c, "k-kirim").await;
    fits(&c, "form", size, "#k-kirim").await;
    click(&c, "#f-alamat_domisili").await;
    wait_for_text(&c, "osk-open").await;
    keyboard(&c, "Dusun Krajan RT 001/RW 002").await;
    assert_eq!(
        value_of(&c, "f-alamat_domisili").await,
        "Dusun Krajan RT 001/RW 002"
    );
    fits(&c, "keyboard", size, "#k-kirim").await;
    choose(&c, "keperluan_pilihan", "melamar-kerja").await;
    fits(&c, "form-chosen", size, "#k-kirim").await;
    click(&c, "#k-kirim").await;
    assert_eq!(ticket(&c, size).await, "A-002");

    // The office received both as touched.
    c.goto(&format!("{village_url}/permohonan")).await.unwrap();
    click_link(&c, "SURAT PENGANTAR KTP").await;
    let page = wait_for_text(&c, "Rusak karena banjir").await;
    assert!(page.contains("perpanjangan"), "{page}");
    c.goto(&format!("{village_url}/permohonan")).await.unwrap();
    click_link(&c, "SURAT KETERANGAN DOMISILI").await;
    let page = wait_for_text(&c, "Persyaratan melamar pekerjaan").await;
    assert!(page.contains("Dusun Krajan RT 001/RW 002"), "{page}");
    c.close().await.unwrap();
}
