//! .xls (Excel 97-2003) files: read when sound, refused before parsing when
//! crafted to exhaust memory or loop.

mod common;

use balai_workbook::{HEADERS, ImportError, Limits, read};
use common::xls::{Extra, X, biff_sheet, compound_file};

fn opensid_rows() -> Vec<Vec<X<'static>>> {
    let mut header: Vec<X> = HEADERS.iter().map(|h| X::Text(h)).collect();
    header.truncate(16);
    let row = vec![
        X::Text("JL. MAWAR 3"),
        X::Text("KRAJAN"),
        X::Text("002"),
        X::Num(1.0),
        X::Text("BUDI SANTOSO"),
        X::Text("3310011203200001"),
        X::Text("3310011708890003"),
        X::Num(1.0),
        X::Text("KLATEN"),
        X::Num(32737.0),
        X::Num(1.0),
        X::Num(5.0),
        X::Text(""),
        X::Num(88.0),
        X::Num(2.0),
        X::Num(1.0),
    ];
    vec![header, row]
}

#[test]
fn a_sound_xls_in_the_opensid_layout_reads() {
    let file = compound_file(
        &biff_sheet("Data Penduduk", &opensid_rows(), (0, 2, 0, 16), &[]),
        &[],
    );
    let parsed = match read(&file, &Limits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e}: {:#?}", e.issues()),
    };
    assert_eq!(parsed.residents.len(), 1);
    let r = &parsed.residents[0];
    assert_eq!(r.number.to_string(), "3310011708890003");
    assert_eq!(r.birth_date, time::macros::date!(1989 - 08 - 17));
    assert_eq!(parsed.families[0].wilayah.rt(), "001");
}

#[test]
fn siak_buku_induk_xls_is_not_the_opensid_layout() {
    let Some(bytes) = common::reference("format_siak.xls") else {
        return;
    };
    assert_eq!(
        read(&bytes, &Limits::default()),
        Err(ImportError::NoDataSheet)
    );
}

fn not_a_workbook(result: Result<balai_workbook::Parsed, ImportError>) -> String {
    match result {
        Err(ImportError::NotAWorkbook(why)) => why,
        other => panic!("expected NotAWorkbook, got {other:?}"),
    }
}

#[test]
fn a_directory_chain_that_loops_is_refused_before_the_reader_follows_it_forever() {
    let stream = biff_sheet("Data Penduduk", &opensid_rows(), (0, 2, 0, 16), &[]);
    // Directory sector 1 points back at itself.
    let file = compound_file(&stream, &[(1, 1)]);
    let why = not_a_workbook(read(&file, &Limits::default()));
    assert!(why.contains("berkas .xls rusak"), "{why}");
    assert!(why.contains("loops"), "{why}");
}

#[test]
fn a_stream_chain_that_loops_is_refused() {
    let stream = biff_sheet("Data Penduduk", &opensid_rows(), (0, 2, 0, 16), &[]);
    // The Workbook stream's second sector points back at its first.
    let file = compound_file(&stream, &[(3, 2)]);
    let why = not_a_workbook(read(&file, &Limits::default()));
    assert!(why.contains("loops"), "{why}");
}

#[test]
fn a_fat_pointing_outside_the_file_is_refused() {
    let stream = biff_sheet("Data Penduduk", &opensid_rows(), (0, 2, 0, 16), &[]);
    let file = compound_file(&stream, &[(2, 90_000)]);
    let why = not_a_workbook(read(&file, &Limits::default()));
    assert!(why.contains("berkas .xls rusak"), "{why}");
}

#[test]
fn forged_dimensions_that_would_reserve_terabytes_are_a_bomb() {
    // 4 billion rows × 256 columns, declared by an 18-byte record.
    let stream = biff_sheet("Data Penduduk", &opensid_rows(), (0, u32::MAX, 0, 256), &[]);
    let file = compound_file(&stream, &[]);
    match read(&file, &Limits::default()) {
        Err(ImportError::Bomb { uncompressed, max }) => {
            assert!(uncompressed > 1 << 40, "{uncompressed}");
            assert_eq!(max, Limits::default().max_uncompressed_bytes);
        }
        other => panic!("expected Bomb, got {other:?}"),
    }
}

#[test]
fn dimensions_whose_first_row_is_after_the_last_are_refused() {
    let stream = biff_sheet("Data Penduduk", &opensid_rows(), (10, 5, 0, 16), &[]);
    let why = not_a_workbook(read(&compound_file(&stream, &[]), &Limits::default()));
    assert!(why.contains("dimensions"), "{why}");
}

#[test]
fn two_cells_at_opposite_corners_are_a_bomb_when_the_sheet_would_be_made_dense() {
    // A Number record at IV65536: the reader would allocate 65536 × 256 cells.
    let mut far = Vec::new();
    far.extend_from_slice(&65535u16.to_le_bytes());
    far.extend_from_slice(&255u16.to_le_bytes());
    far.extend_from_slice(&15u16.to_le_bytes());
    far.extend_from_slice(&1.0f64.to_le_bytes());
    let stream = biff_sheet(
        "Data Penduduk",
        &opensid_rows(),
        (0, 2, 0, 16),
        &[Extra {
            typ: 0x0203,
            data: far,
        }],
    );
    let limits = Limits {
        max_uncompressed_bytes: 256 * 1024 * 1024,
        ..Limits::default()
    };
    assert!(matches!(
        read(&compound_file(&stream, &[]), &limits),
        Err(ImportError::Bomb { .. })
    ));
}

#[test]
fn password_protected_files_say_so() {
    let mut stream = biff_sheet("Data Penduduk", &opensid_rows(), (0, 2, 0, 16), &[]);
    // FILEPASS right after the globals' BOF (20 bytes): encryption type 1.
    let mut filepass = vec![0x2F, 0x00, 0x02, 0x00, 0x01, 0x00];
    filepass.extend_from_slice(&stream[20..]);
    stream.truncate(20);
    stream.extend_from_slice(&filepass);
    // Keep the BoundSheet offset right: it moved by the 6 inserted bytes.
    let at = 20 + 6 + 4;
    let pos = u32::from_le_bytes(stream[at..at + 4].try_into().unwrap()) + 6;
    stream[at..at + 4].copy_from_slice(&pos.to_le_bytes());
    let why = not_a_workbook(read(&compound_file(&stream, &[]), &Limits::default()));
    assert!(why.contains("kata sandi"), "{why}");
}
