//! Files that are not workbooks, too big, or built to exhaust the reader:
//! each is refused with the right error, and no input ever panics.

mod common;

use std::io::{Cursor, Read, Write};

use balai_workbook::{ImportError, Limits, read};
use common::xls::{X, biff_sheet, compound_file};
use common::{V, header, valid_row, xlsx};
use proptest::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

fn not_a_workbook(bytes: &[u8]) -> String {
    match read(bytes, &Limits::default()) {
        Err(ImportError::NotAWorkbook(why)) => why,
        other => panic!("expected NotAWorkbook, got {other:?}"),
    }
}

#[test]
fn random_bytes_a_text_file_and_a_png_are_not_workbooks() {
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(not_a_workbook(&noise).contains("simpan sebagai .xlsx"));
    assert!(
        not_a_workbook(b"nama,nik,no_kk\nBUDI,3310011708890001,3310011203200001\n")
            .contains("teks biasa")
    );
    assert!(not_a_workbook(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("PNG"));
    assert!(not_a_workbook(b"").contains("kosong"));
    let e = read(b"", &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Berkas bukan workbook Excel (.xlsx/.xlsm/.xls) yang dapat dibaca: "),
        "{e}"
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_zip_that_is_not_a_workbook_is_refused() {
    let why = not_a_workbook(&zip_of(&[("readme.txt", b"hello")]));
    assert!(why.contains("tidak berisi workbook Excel"), "{why}");
    let why = not_a_workbook(&zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", b"<x/>"),
    ]));
    assert!(why.contains(".ods"), "{why}");
}

#[test]
fn an_upload_over_the_byte_limit_is_refused_unread() {
    let limits = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        read(&[0u8; 101], &limits),
        Err(ImportError::TooLarge {
            bytes: 101,
            max: 100
        })
    );
}

/// A zip whose one entry is `mib` MiB of zeros, deflated (about 1000:1).
fn zeros_zip(mib: usize) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![0u8; 1024 * 1024];
    for _ in 0..mib {
        w.write_all(&chunk).unwrap();
    }
    w.start_file("xl/workbook.xml", opts).unwrap();
    w.write_all(b"<workbook/>").unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn an_entry_compressed_beyond_100_to_1_over_10_mib_is_a_bomb() {
    let bomb = zeros_zip(16);
    assert!(bomb.len() < 100 * 1024, "{} bytes", bomb.len());
    match read(&bomb, &Limits::default()) {
        Err(ImportError::Bomb { uncompressed, max }) => {
            assert_eq!(uncompressed, 16 * 1024 * 1024);
            assert!(max < uncompressed);
        }
        other => panic!("expected Bomb, got {other:?}"),
    }
}

#[test]
fn archives_declaring_more_than_the_uncompressed_limit_are_a_bomb() {
    // Under 10 MiB per entry, so only the total limit can catch it.
    let zip = zeros_zip(4);
    let limits = Limits {
        max_uncompressed_bytes: 1024 * 1024,
        ..Limits::default()
    };
    match read(&zip, &limits) {
        Err(ImportError::Bomb { uncompressed, max }) => {
            assert!(uncompressed > 4 * 1024 * 1024);
            assert_eq!(max, 1024 * 1024);
        }
        other => panic!("expected Bomb, got {other:?}"),
    }
}

fn sample_xlsx() -> Vec<u8> {
    xlsx(
        "Data Penduduk",
        &[
            header(),
            valid_row("3310011708890001", "3310011203200001", "1"),
        ],
    )
}

/// Rewrites one entry of a zip.
fn replace_entry(zip: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut src = ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let entry_name = f.name().unwrap().into_owned();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        w.start_file(entry_name.as_str(), opts).unwrap();
        w.write_all(if entry_name == name { data } else { &buf })
            .unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_forged_shared_string_count_is_refused_before_the_reader_reserves_it() {
    // The reader reserves `uniqueCount` Strings up front: 4e12 × 24 bytes.
    let forged = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount = '4000000000000'><si><t>a</t></si></sst>"#;
    let bytes = replace_entry(&sample_xlsx(), "xl/sharedStrings.xml", forged);
    match read(&bytes, &Limits::default()) {
        Err(ImportError::Bomb { uncompressed, .. }) => assert_eq!(uncompressed, 96_000_000_000_000),
        other => panic!("expected Bomb, got {other:?}"),
    }
    // The untouched workbook still reads.
    assert!(read(&sample_xlsx(), &Limits::default()).is_ok());
}

#[test]
fn a_truncated_workbook_is_not_a_workbook() {
    let bytes = sample_xlsx();
    let why = not_a_workbook(&bytes[..bytes.len() / 2]);
    assert!(why.contains("zip rusak"), "{why}");
}

fn small_xls() -> Vec<u8> {
    let mut rows: Vec<Vec<X>> = vec![
        balai_workbook::HEADERS[..16]
            .iter()
            .map(|h| X::Text(h))
            .collect(),
    ];
    rows.push(
        [
            "JL",
            "KRAJAN",
            "1",
            "1",
            "BUDI",
            "3310011203200001",
            "3310011708890001",
            "1",
            "KLATEN",
            "1989-08-17",
            "1",
            "5",
            "",
            "88",
            "2",
            "1",
        ]
        .into_iter()
        .map(X::Text)
        .collect(),
    );
    compound_file(&biff_sheet("Data Penduduk", &rows, (0, 2, 0, 16), &[]), &[])
}

fn mutate(base: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut b = base.to_vec();
    for (at, v) in edits {
        let i = at % b.len();
        b[i] = *v;
    }
    if let Some(c) = cut {
        b.truncate(c % (b.len() + 1));
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(
        magic in prop_oneof![Just(&b""[..]), Just(&b"PK\x03\x04"[..]), Just(&b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..])],
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(tail);
        prop_assert!(read(&bytes, &Limits::default()).is_err());
    }

    #[test]
    fn mutated_xlsx_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let _ = read(&mutate(&sample_xlsx(), &edits, cut), &Limits::default());
    }

    #[test]
    fn mutated_xls_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let _ = read(&mutate(&small_xls(), &edits, cut), &Limits::default());
    }

    #[test]
    fn mutated_opensid_sample_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<usize>()),
    ) {
        if let Some(sample) = common::reference("contoh_penduduk.xlsx") {
            let _ = read(&mutate(&sample, &edits, cut), &Limits::default());
        }
    }
}

#[test]
fn a_sound_small_xls_still_reads_after_the_guard() {
    let p = read(&small_xls(), &Limits::default()).unwrap();
    assert_eq!(p.residents.len(), 1);
}

#[allow(dead_code)]
fn unused(_: V) {}

#[test]
fn millions_of_empty_shared_strings_are_a_bomb_for_their_memory() {
    // 5 bytes in the file, 24 bytes of memory each: 2 MiB of them need about
    // 12 MiB, against an 8 MiB budget the archive's size alone would pass.
    let mut table = String::from(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    table.push_str(&"<si/>".repeat(2 * 1024 * 1024 / 5));
    table.push_str("<si><t>x</t></si></sst>");
    let bytes = replace_entry(&sample_xlsx(), "xl/sharedStrings.xml", table.as_bytes());
    let limits = Limits {
        max_uncompressed_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    };
    match read(&bytes, &limits) {
        Err(ImportError::Bomb { uncompressed, max }) => {
            assert!(uncompressed > 12 * 1000 * 1000, "{uncompressed}");
            assert_eq!(max, 8 * 1024 * 1024);
        }
        other => panic!("expected Bomb, got {other:?}"),
    }
}

#[test]
fn shared_strings_are_counted_exactly_across_scan_chunks() {
    // 100,000 strings over ~30 chunks of 64 KiB, some tags cut by a chunk edge:
    // the budget that fits them exactly passes, one byte less does not.
    let strings = 100_000u64;
    let mut table =
        String::from(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    for i in 0..strings {
        table.push_str(&format!("<x:si><t>{}</t></x:si>", i % 7));
    }
    table.push_str("</sst>");
    let bytes = replace_entry(&sample_xlsx(), "xl/sharedStrings.xml", table.as_bytes());
    let need = strings * 24 + table.len() as u64;
    let exact = Limits {
        max_uncompressed_bytes: need,
        ..Limits::default()
    };
    let r = read(&bytes, &exact);
    assert!(
        !matches!(r, Err(ImportError::Bomb { .. })),
        "{r:?} need {need}"
    );
    let less = Limits {
        max_uncompressed_bytes: need - 1,
        ..Limits::default()
    };
    assert_eq!(
        read(&bytes, &less),
        Err(ImportError::Bomb {
            uncompressed: need,
            max: need - 1
        })
    );
}
