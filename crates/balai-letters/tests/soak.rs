//! Memory stays flat over a long run of letters (run in release:
//! `cargo test -p balai-letters --release --test soak -- --ignored --nocapture`).

mod common;

use balai_letters::{evict_caches, render_pdf, verify_pdf};
use common::{keys, nth_letter, rss_kib};

#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn a_thousand_letters_keep_memory_flat() {
    let keys = keys();
    // Warm-up: fonts, library, the template and typst's caches at their
    // working size.
    for i in 0..100 {
        let (doc, statement) = nth_letter(i);
        render_pdf(&doc, &keys.seal(statement)).unwrap();
    }
    let before = rss_kib();
    let mut peak = before;
    for i in 100..1_100 {
        let (doc, statement) = nth_letter(i);
        let pdf = render_pdf(&doc, &keys.seal(statement)).unwrap();
        if i % 100 == 0 {
            verify_pdf(&pdf, &keys.public_key()).unwrap();
            peak = peak.max(rss_kib());
        }
    }
    let after = rss_kib();
    evict_caches();
    let evicted = rss_kib();
    eprintln!(
        "RSS over 1,000 renders: before {} MiB, after {} MiB, peak {} MiB, after evict_caches {} MiB",
        before / 1024,
        after / 1024,
        peak / 1024,
        evicted / 1024
    );
    // typst's caches are aged out as letters go (render.rs), so a long run
    // settles instead of growing with every letter.
    assert!(
        after < before + 16 * 1024,
        "RSS grew from {before} KiB to {after} KiB"
    );
}

/// What sealing and signing add to a letter: median and p99 of typesetting
/// and of `sign_letter` over 60 different letters. Dev profile (dependencies
/// at opt-level 2); prints its figures.
#[test]
#[ignore = "a measurement; run with --run-ignored"]
fn sealing_and_signing_cost_next_to_typesetting() {
    use std::time::{Duration, Instant};
    let mut typeset = Vec::new();
    let mut sign = Vec::new();
    for i in 0..60 {
        let (doc, statement) = common::nth_letter(i);
        let seal = common::keys().seal_summary(statement);
        let t = Instant::now();
        let rendered = balai_letters::render_pdf(&doc, &seal).unwrap();
        typeset.push(t.elapsed());
        let t = Instant::now();
        let signed = balai_letters::sign_letter(
            &rendered,
            &doc,
            &seal,
            &common::keys(),
            common::signer(),
            common::SIGNING_TIME,
        )
        .unwrap();
        sign.push(t.elapsed());
        assert!(signed.pdf.len() > rendered.len());
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[v.len() * 99 / 100])
    };
    let (t50, t99) = stats(&mut typeset);
    let (s50, s99) = stats(&mut sign);
    println!("typeset median {t50:?} p99 {t99:?}; seal+sign median {s50:?} p99 {s99:?}");
}
