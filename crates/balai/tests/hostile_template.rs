//! A village's hostile letter template against the real `balai serve`: while
//! village A's template loops and allocates in render workers, village B's
//! letters and info pages stay as fast as without it, `/healthz` answers at
//! once, the server's memory stays flat, A's workers are killed at their
//! limits (none left behind), and A's taken numbers are void with the reason.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_store::{Store, WriteContext};
use common::{Server, balai, text};

const PASSWORD: &str = "demo-balai";

/// A template accepted by the checks of its day: the sample letter's
/// purpose is ordinary, so only real letters reach the loop (purpose
/// "MEMORI": an allocation of billions of elements instead).
const HOSTILE: &str = "#let dd = json(\"/data.json\")\n\
#if dd.purpose.contains(\"MEMORI\") { let big = range(400000000).map(i => (i, i)) } \
else { let n = 0; for i in range(100000) { for j in range(100000) { n += 1 } } }\n";

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next().map(str::to_string))
            .collect()
    }

    /// The value of the first hidden `_csrf` field.
    fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"_csrf\" value=\"")
            .expect("a CSRF field")
            + 20;
        self.body[at..].split('"').next().unwrap().to_string()
    }
}

/// One HTTP/1.1 request on its own connection.
fn http(addr: &str, method: &str, path: &str, cookie: &str, form: &[(&str, &str)]) -> Response {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut payload = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        payload = dechunk(&payload);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&payload).to_string(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Logs `user` in; returns the session cookie and a CSRF token of the session.
fn login(addr: &str, user: &str, village: &str) -> (String, String) {
    let page = http(addr, "GET", "/masuk", "", &[]);
    let login_cookie = page.cookies().join("; ");
    let done = http(
        addr,
        "POST",
        "/masuk",
        &login_cookie,
        &[
            ("_csrf", &page.csrf()),
            ("username", user),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(done.status, 303, "{user} logs in: {}", done.body);
    let session = done.cookies().join("; ");
    let form = http(
        addr,
        "GET",
        &format!("/staf/desa/{village}/surat/baru"),
        &session,
        &[],
    );
    assert_eq!(form.status, 200, "{}", form.body);
    (session, form.csrf())
}

struct Desk {
    addr: String,
    village: String,
    session: String,
    csrf: String,
}

impl Desk {
    fn letter(&self, nik: &str, purpose: &str) -> Response {
        http(
            &self.addr,
            "POST",
            &format!("/staf/desa/{}/surat/baru", self.village),
            &self.session,
            &[
                ("_csrf", &self.csrf),
                ("jenis", "domisili"),
                ("nik", nik),
                ("keperluan", purpose),
                ("penandatangan", "an"),
                ("an_nama", "Siti Aminah"),
                ("an_jabatan", "Sekretaris Desa"),
                ("alamat_domisili", "Dusun Krajan RT 001 RW 002"),
            ],
        )
    }

    fn info_page(&self, i: usize) -> Response {
        http(
            &self.addr,
            "POST",
            &format!("/staf/info/{}/baru", self.village),
            &self.session,
            &[
                ("_csrf", &self.csrf),
                ("topik", "kesehatan"),
                ("judul", &format!("Posyandu balita {i}")),
                (
                    "isi",
                    "Posyandu dibuka setiap Selasa pukul 08.00 di balai desa.",
                ),
            ],
        )
    }
}

/// Village B's work, timed: letters, info pages, health checks.
#[derive(Default)]
struct Timings {
    letters: Vec<Duration>,
    info: Vec<Duration>,
    health: Vec<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

fn timed(f: impl FnOnce() -> Response, expect: u16) -> Duration {
    let t = Instant::now();
    let r = f();
    let took = t.elapsed();
    assert_eq!(r.status, expect, "{}", r.body);
    took
}

fn round(b: &Desk, nik: &str, i: usize, into: &mut Timings) {
    into.letters
        .push(timed(|| b.letter(nik, "Melamar pekerjaan"), 303));
    into.info.push(timed(|| b.info_page(i), 303));
    into.health
        .push(timed(|| http(&b.addr, "GET", "/healthz", "", &[]), 200));
}

/// `pid`'s resident set in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Children of `parent` that are render workers, from `/proc`.
fn workers_of(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains("render-worker")
        })
        .collect()
}

/// Two demo villages; A's profile holds the hostile template, as a
/// database written before today's checks could. Returns, per village,
/// (code, operator, NIKs of living residents).
fn setup(dir: &Path) -> Vec<(String, String, Vec<String>)> {
    let seeded = balai(
        dir,
        &[
            "--database",
            "v.sqlite",
            "demo",
            "--no-serve",
            "--villages",
            "2",
            "--residents-per-village",
            "120",
        ],
    );
    assert!(seeded.status.success(), "{}", text(&seeded));
    let operators: Vec<String> = text(&seeded)
        .split_whitespace()
        .filter(|w| w.starts_with("operator."))
        .map(str::to_string)
        .collect();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&dir.join("v.sqlite")).await.unwrap();
        let db = balai_services::Db::from_store(store.clone());
        let ctx = WriteContext::new("system:test", time::OffsetDateTime::now_utc());
        let mut villages = Vec::new();
        for op in &operators {
            let account = store.account_by_username(op).await.unwrap().unwrap();
            let v: KodeWilayah = account.scope;
            let (_, residents) = store.village_population(v).await.unwrap();
            let niks = residents
                .iter()
                .filter(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
                .map(|r| r.number.to_string())
                .collect();
            villages.push((v, op.clone(), niks));
        }
        let a = villages[0].0;
        let mut profile = balai_services::letters::ensure_profile(&db, &ctx, a)
            .await
            .unwrap();
        profile.template = Some(format!("{HOSTILE}{}", balai_letters::default_template()));
        store.save_village_profile(&ctx, a, &profile).await.unwrap();
        store.close().await;
        villages
            .into_iter()
            .map(|(v, op, niks)| (v.plain(), op, niks))
            .collect()
    })
}

#[test]
fn a_hostile_village_template_neither_slows_other_villages_nor_grows_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let villages = setup(dir.path());
    let server = Server::start(dir.path(), "v.sqlite");
    let pid = server.child.id();
    let (a_code, a_op, a_niks) = villages[0].clone();
    let (b_code, b_op, b_niks) = villages[1].clone();
    let desk = |code: &str, op: &str| {
        let (session, csrf) = login(&server.addr, op, code);
        Desk {
            addr: server.addr.clone(),
            village: code.to_string(),
            session,
            csrf,
        }
    };
    let a = Arc::new(desk(&a_code, &a_op));
    let b = desk(&b_code, &b_op);

    // B unloaded, after two letters to warm fonts and caches.
    for _ in 0..2 {
        assert_eq!(b.letter(&b_niks[0], "Pemanasan server uji").status, 303);
    }
    let mut unloaded = Timings::default();
    for i in 0..12 {
        round(&b, &b_niks[i % b_niks.len()], i, &mut unloaded);
    }

    // Watch the server's memory and its workers from now on.
    let stop = Arc::new(AtomicBool::new(false));
    let most_rss = Arc::new(AtomicU64::new(0));
    let most_workers = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (stop, most_rss, most_workers) = (stop.clone(), most_rss.clone(), most_workers.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                most_rss.fetch_max(rss_kib(pid), Ordering::Relaxed);
                most_workers.fetch_max(workers_of(pid).len() as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(25));
            }
        })
    };

    // A's operator asks for three letters at once: two loop, one allocates.
    let hostile: Vec<_> = ["Keperluan biasa", "MEMORI habis dipakai", "Keperluan lain"]
        .into_iter()
        .enumerate()
        .map(|(i, purpose)| {
            let (a, nik) = (a.clone(), a_niks[i].clone());
            std::thread::spawn(move || a.letter(&nik, purpose))
        })
        .collect();
    let started = Instant::now();
    while workers_of(pid).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "A's letters start a render worker"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // B while A's workers run.
    let mut loaded = Timings::default();
    let mut i = 100;
    while !hostile.iter().all(|h| h.is_finished()) {
        round(&b, &b_niks[i % b_niks.len()], i, &mut loaded);
        i += 1;
    }
    let answers: Vec<Response> = hostile.into_iter().map(|h| h.join().unwrap()).collect();
    let a_took = started.elapsed();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();

    let report = format!(
        "A busy {a_took:?}; B letters: unloaded median {:?}, loaded median {:?} (n={}); \
         info pages: {:?} vs {:?}; /healthz max loaded {:?}; server RSS max {} MiB; workers at once {}",
        median(&unloaded.letters),
        median(&loaded.letters),
        loaded.letters.len(),
        median(&unloaded.info),
        median(&loaded.info),
        loaded.health.iter().max().unwrap(),
        most_rss.load(Ordering::Relaxed) / 1024,
        most_workers.load(Ordering::Relaxed),
    );
    println!("{report}");

    assert!(
        loaded.letters.len() >= 5,
        "B worked while A's workers ran: {report}"
    );
    // Within twice the unloaded figure (plus 5 ms for timer and scheduler noise
    // on figures of a few tens of milliseconds).
    let slack = Duration::from_millis(5);
    assert!(
        median(&loaded.letters) <= median(&unloaded.letters) * 2 + slack,
        "{report}"
    );
    assert!(
        median(&loaded.info) <= median(&unloaded.info) * 2 + slack,
        "{report}"
    );
    assert!(
        loaded
            .health
            .iter()
            .all(|d| *d < Duration::from_millis(100)),
        "{report}"
    );
    assert!(most_rss.load(Ordering::Relaxed) < 400 * 1024, "{report}");
    assert_eq!(
        most_workers.load(Ordering::Relaxed),
        1,
        "A ran one worker at a time: {report}"
    );
    assert!(workers_of(pid).is_empty(), "no worker left behind");

    // A's three letters were refused, each number void with its reason.
    for r in &answers {
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("dihentikan"), "{}", r.body);
    }
    let archive = http(
        &server.addr,
        "GET",
        &format!("/staf/desa/{a_code}/surat"),
        &a.session,
        &[],
    );
    assert_eq!(archive.status, 200);
    let void = archive.body.matches("<td>Nomor batal</td>").count();
    assert_eq!(void, 3, "{}", archive.body);
    assert!(archive.body.contains("memori"), "{}", archive.body);
    assert!(archive.body.contains("waktu CPU") || archive.body.contains("detik"));
}
