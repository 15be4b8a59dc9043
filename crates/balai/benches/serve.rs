//! The village-server budgets of DESIGN.md §6: start-up time, idle memory,
//! home-page latency and transfer size, measured on the release binary.
//!
//! `cargo bench -p balai --bench serve` generates a demo-sized database
//! (4 villages × 2,500 residents), starts `balai serve` on a free port, and
//! prints: time from spawn to the first healthy answer, RSS when idle after
//! start and after 2,000 requests, latency percentiles of `/` and `/healthz`
//! (sequential, keep-alive off), and the gzip size of the home page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_balai");
    let generated = Command::new(bin)
        .args([
            "--database",
            "b.sqlite",
            "generate",
            "--villages",
            "4",
            "--residents-per-village",
            "2500",
        ])
        .current_dir(dir.path())
        .output()
        .expect("generate");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );

    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["--database", "b.sqlite", "serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("BALAI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    while get(&addr, "/healthz", false).0 != 200 {
        std::thread::sleep(Duration::from_millis(1));
    }
    let startup = started.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let rss_start = rss_kib(child.id());

    let mut home = Vec::new();
    let mut health = Vec::new();
    for _ in 0..1000 {
        let t = Instant::now();
        assert_eq!(get(&addr, "/", false).0, 200);
        home.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(get(&addr, "/healthz", false).0, 200);
        health.push(t.elapsed());
    }
    let (status, gz) = get(&addr, "/", true);
    assert_eq!(status, 200);
    let (_, plain) = get(&addr, "/", false);
    // The residents' pages must stay light on a 2G link: page + its assets, gzip.
    let html = String::from_utf8_lossy(&plain).to_string();
    let kode: String = html
        .split("<tr><td>")
        .nth(1)
        .expect("a village row")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .filter(char::is_ascii_digit)
        .collect();
    let weigh = |paths: &[String]| -> usize {
        paths
            .iter()
            .map(|p| {
                let (status, body) = get(&addr, p, true);
                assert_eq!(status, 200, "{p}");
                body.len()
            })
            .sum()
    };
    let portal = weigh(&[
        format!("/layanan/{kode}"),
        "/static/balai.css".into(),
        "/static/warga.js".into(),
    ]);
    let kiosk = weigh(&[
        format!("/anjungan/{kode}/masuk"),
        "/static/kiosk.css".into(),
        "/static/kiosk.js".into(),
    ]);
    std::thread::sleep(Duration::from_millis(500));
    let rss_after = rss_kib(child.id());
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();

    println!(
        "startup (spawn to first healthy /healthz): {:.0} ms",
        startup.as_secs_f64() * 1000.0
    );
    println!(
        "idle RSS after start: {:.1} MiB; after 2,000 requests: {:.1} MiB",
        rss_start as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    report("GET / (4 villages, 10,000 residents)", &mut home);
    report("GET /healthz", &mut health);
    println!(
        "home page: {} bytes HTML, {} bytes gzip-compressed body, 2 requests (HTML + CSS)",
        plain.len(),
        gz.len()
    );
    println!(
        "residents' login page (/layanan): {portal} bytes gzip with its CSS and JS; kiosk keypad page (/anjungan/…/masuk): {kiosk} bytes"
    );
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms over {} requests (client-side, new connection each)",
        pct(0.5),
        pct(0.99),
        samples.len()
    );
}

/// A minimal HTTP/1.1 GET; returns the status and the body bytes.
fn get(addr: &str, path: &str, gzip: bool) -> (u16, Vec<u8>) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (0, Vec::new());
    };
    let enc = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{enc}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .unwrap_or(resp.len());
    let head = String::from_utf8_lossy(&resp[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut body = resp[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
