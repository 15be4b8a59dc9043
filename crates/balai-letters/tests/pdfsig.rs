//! An ordinary PDF reader's check of the letter's PAdES signature: poppler's
//! `pdfsig` reports the issued letter's signature valid and an edited copy's
//! not.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{domisili, issued};

/// `pdfsig`'s path; `None` (skip) only outside CI when it is not installed.
fn pdfsig() -> Option<&'static str> {
    if Command::new("pdfsig").arg("-v").output().is_ok() {
        return Some("pdfsig");
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "pdfsig (Debian poppler-utils) is required in CI"
    );
    eprintln!("SKIPPED: pdfsig is not installed (apt-get install poppler-utils)");
    None
}

fn run(pdfsig: &str, pdf: &[u8], name: &str) -> String {
    let path: PathBuf =
        std::env::temp_dir().join(format!("balai-pdfsig-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(pdfsig).arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn pdfsig_finds_the_issued_letter_signed_and_an_edited_copy_not() {
    let Some(pdfsig) = pdfsig() else { return };
    let pdf = issued(&domisili());
    let report = run(pdfsig, &pdf, "asli");
    assert!(report.contains("Signature is Valid"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    assert!(report.contains("Total document signed"), "{report}");

    // One byte of the printed title in the metadata changed, same length.
    let mut edited = pdf.clone();
    let at = edited
        .windows(8)
        .position(|w| w == b"DOMISILI" || w == b"Domisili")
        .expect("the title is in the file");
    edited[at] = b'X';
    let report = run(pdfsig, &edited, "ubah");
    assert!(!report.contains("Signature is Valid"), "{report}");
    assert!(
        report.contains("Digest Mismatch") || report.contains("Invalid"),
        "{report}"
    );
}
