//! Letter rendering figures: one-time setup, first letter, then 500 sealed
//! and rendered letters (median, p99), PDF size, verification, and memory
//! over 1,000 letters. `cargo bench -p balai-letters`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use balai_letters::{evict_caches, render_pdf, verify_pdf, warm_up};
use common::{keys, nth_letter, rss_kib};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn main() {
    let keys = keys();
    let rss_start = rss_kib();

    let t = Instant::now();
    warm_up();
    let setup = t.elapsed();

    let (doc, statement) = nth_letter(0);
    let t = Instant::now();
    let pdf = render_pdf(&doc, &keys.seal(statement)).expect("render");
    let first = t.elapsed();

    let mut times = Vec::with_capacity(500);
    let mut sizes = Vec::with_capacity(500);
    for i in 1..=500 {
        let (doc, statement) = nth_letter(i);
        let t = Instant::now();
        let seal = keys.seal(statement);
        let pdf = render_pdf(&doc, &seal).expect("render");
        times.push(t.elapsed());
        sizes.push(pdf.len());
    }
    times.sort();
    sizes.sort();

    let mut verify_times = Vec::with_capacity(100);
    for _ in 0..100 {
        let t = Instant::now();
        verify_pdf(&pdf, &keys.public_key()).expect("verify");
        verify_times.push(t.elapsed());
    }
    verify_times.sort();

    let rss_before = rss_kib();
    for i in 501..1_501 {
        let (doc, statement) = nth_letter(i);
        render_pdf(&doc, &keys.seal(statement)).expect("render");
    }
    let rss_after = rss_kib();
    evict_caches();
    let rss_evicted = rss_kib();
    let (doc, statement) = nth_letter(2_000);
    let t = Instant::now();
    render_pdf(&doc, &keys.seal(statement)).expect("render");
    let after_evict = t.elapsed();

    println!("balai-letters render benchmark");
    println!("  setup (fonts, library, template): {:>7.2} ms", ms(setup));
    println!("  first letter:                     {:>7.2} ms", ms(first));
    println!(
        "  seal + render, 500 letters:       median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap())
    );
    println!(
        "  PDF size:                         median {} bytes ({:.1} KB)",
        sizes[sizes.len() / 2],
        sizes[sizes.len() / 2] as f64 / 1000.0
    );
    println!(
        "  verify_pdf:                       median {:.2} ms",
        ms(percentile(&verify_times, 0.5))
    );
    println!(
        "  RSS: at start {} MiB, before 1,000 more letters {} MiB, after {} MiB, after evict_caches {} MiB",
        rss_start / 1024,
        rss_before / 1024,
        rss_after / 1024,
        rss_evicted / 1024
    );
    println!(
        "  letter right after evict_caches:  {:>7.2} ms",
        ms(after_evict)
    );
}
