//! A real headless Chromium driven through chromedriver, for browser tests.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// chromedriver on a free port, killed on drop.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn browser(profile: &std::path::Path) -> Option<(Driver, Client)> {
    let driver_bin = std::env::var_os("BALAI_CHROMEDRIVER").filter(|c| !c.is_empty());
    let chromium = std::env::var("BALAI_CHROMIUM")
        .ok()
        .filter(|c| !c.is_empty());
    let (Some(driver_bin), Some(chromium)) = (driver_bin, chromium) else {
        assert!(
            std::env::var_os("BALAI_SKIP_BROWSER").is_some(),
            "BALAI_CHROMEDRIVER/BALAI_CHROMIUM are not set: run scripts/test, which installs Chromium and chromedriver (or set BALAI_SKIP_BROWSER=1)"
        );
        return None;
    };
    let port = free_port();
    let child = Command::new(driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display())]
        }
    }))
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Some((driver, c)),
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start a browser session: {e}"),
        }
    }
}

pub async fn wait_for_text(c: &Client, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let src = c.source().await.unwrap();
        if src.contains(needle) {
            return src;
        }
        assert!(
            Instant::now() < deadline,
            "page never showed {needle:?}; last page:\n{src}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the page no longer shows `needle` (a form that posts and
/// comes back to the same page without it), and returns the page.
pub async fn wait_for_text_gone(c: &Client, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let src = c.source().await.unwrap();
        if !src.contains(needle) {
            return src;
        }
        assert!(
            Instant::now() < deadline,
            "page kept showing {needle:?}; last page:\n{src}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Clicks the link whose text is exactly `text`.
pub async fn click_link(c: &Client, text: &str) {
    c.find(Locator::LinkText(text))
        .await
        .unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Types `value` into the field with id `id`, replacing what it held.
pub async fn fill(c: &Client, id: &str, value: &str) {
    let e = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Clicks the element `css` selects.
pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// A demo database `v.sqlite` in `dir` with one village of 200 residents;
/// returns the operator's account name.
pub fn demo(dir: &std::path::Path) -> String {
    let seeded = super::balai(
        dir,
        &[
            "--database",
            "v.sqlite",
            "demo",
            "--no-serve",
            "--villages",
            "1",
            "--residents-per-village",
            "200",
        ],
    );
    assert!(seeded.status.success(), "{}", super::text(&seeded));
    super::text(&seeded)
        .split_whitespace()
        .find(|w| w.starts_with("operator."))
        .expect("an operator account is printed")
        .to_string()
}

/// Saves the page at phone and desktop widths as test artifacts (in the
/// test target's temporary directory, `screens/{name}-{phone|desktop}.png`)
/// and checks that it does not scroll sideways on a phone.
#[allow(dead_code)]
pub async fn screens(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens");
    std::fs::create_dir_all(&dir).unwrap();
    for (label, w, h) in [("phone", 390, 844), ("desktop", 1366, 768)] {
        c.set_window_size(w, h).await.unwrap();
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            overflow.as_i64().unwrap_or(0) <= 0,
            "{name} scrolls sideways by {overflow} px at {w} px"
        );
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{label}.png")), png).unwrap();
    }
}
