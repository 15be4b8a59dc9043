//! Import throughput: builds a 100,000-resident workbook from generated
//! villages with `write_xlsx`, then times `read` on it.
//!
//! Run: `cargo bench -p balai-workbook` (prints its figures; no harness).

use std::collections::HashMap;
use std::hint::black_box;
use std::io::Cursor;
use std::time::{Duration, Instant};

use balai_domain::KodeWilayah;
use balai_domain::family::Family;
use balai_generate::{DEFAULT_AS_OF, Generator};
use balai_workbook::{ExportRow, Limits, read, write_csv, write_xlsx};

const VILLAGES: u32 = 25;
const PER_VILLAGE: u32 = 4_000;
const RUNS: usize = 3;

fn code(c: &str) -> KodeWilayah {
    KodeWilayah::parse(c).expect("valid code")
}

/// A memory figure of this process from `/proc/self/status` (Linux), in MiB.
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Argument that makes the benchmark binary only time the reads.
const READ_ONLY: &str = "--read-only";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == READ_ONLY) {
        read_only(std::path::Path::new(&args[i + 1]));
        return;
    }
    let t = Instant::now();
    // One generator for every village keeps NIK and No. KK serials unique.
    let mut generator = Generator::new(2026, DEFAULT_AS_OF, vec![code("331001"), code("331002")]);
    let mut families: Vec<Family> = Vec::new();
    let mut residents = Vec::new();
    for v in 0..VILLAGES {
        let data = generator.village(code(&format!("33100120{:02}", v + 1)), PER_VILLAGE);
        families.extend(data.families);
        residents.extend(data.residents);
    }
    let by_id: HashMap<_, &Family> = families.iter().map(|f| (f.id, f)).collect();
    let rows: Vec<ExportRow<'_>> = residents
        .iter()
        .map(|r| ExportRow {
            family: by_id[&r.family_id.expect("family")],
            resident: r,
        })
        .collect();
    println!(
        "generated {} residents in {} families: {:.2} s",
        rows.len(),
        families.len(),
        secs(t.elapsed())
    );

    let t = Instant::now();
    let bytes = write_xlsx(&rows);
    let write = t.elapsed();
    println!(
        "write_xlsx: {:.2} s, {:.1} MiB ({} bytes)",
        secs(write),
        bytes.len() as f64 / 1048576.0,
        bytes.len()
    );
    let zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
    let mut total = 0;
    for i in 0..zip.len() {
        let e = zip.by_index_data(i).expect("entry");
        total += e.size();
        if e.size() > 1 << 20 {
            println!(
                "  {}: {:.1} MiB uncompressed, ratio {:.1}:1",
                String::from_utf8_lossy(e.name_raw()),
                e.size() as f64 / 1048576.0,
                e.size() as f64 / e.compressed_size().max(1) as f64
            );
        }
    }
    println!("  uncompressed total: {:.1} MiB", total as f64 / 1048576.0);

    let t = Instant::now();
    let csv = write_csv(&rows);
    println!(
        "write_csv: {:.2} s, {:.1} MiB",
        secs(t.elapsed()),
        csv.len() as f64 / 1048576.0
    );

    // Timed in a fresh process, so that its memory figure is the reader's
    // alone and not the generator's and writer's freed-but-kept heap.
    let path =
        std::env::temp_dir().join(format!("balai-workbook-bench-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).expect("write the workbook to a temporary file");
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .arg(READ_ONLY)
        .arg(&path)
        .output()
        .expect("run the read benchmark");
    let _ = std::fs::remove_file(&path);
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the read benchmark failed");
}

/// Child mode: time `read` on the workbook at `path`.
fn read_only(path: &std::path::Path) {
    let bytes = std::fs::read(path).expect("read the workbook");
    let resident = status_mib("VmRSS:");
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let parsed = read(black_box(&bytes), &Limits::default()).expect("the export reads back");
        times.push(t.elapsed());
        rows = parsed.residents.len();
        black_box(parsed);
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "read: median {:.2} s over {RUNS} runs (best {:.2} s) = {:.0} rows/s",
        secs(median),
        secs(times[0]),
        rows as f64 / secs(median)
    );
    if let (Some(resident), Some(peak)) = (resident, status_mib("VmHWM:")) {
        println!(
            "memory: {resident:.0} MiB before reading (file loaded), peak {peak:.0} MiB while reading"
        );
    }
}
