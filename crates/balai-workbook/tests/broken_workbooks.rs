//! Workbooks with mistakes, built in code: every mistake is reported, with
//! its spreadsheet row, its column and an Indonesian reason.

mod common;

use balai_domain::ResidentNumber;
use balai_workbook::{ImportError, Limits, Parsed, RowIssue, read, read_with};
use common::{V, header, set, valid_row, xlsx};
use rust_xlsxwriter::{Format, Workbook};
use time::macros::date;

const KK_A: &str = "3310011203200001";
const KK_B: &str = "3310011203200002";
const KK_C: &str = "3310011203200003";
/// Men born 1989-08-17 (matching `valid_row`'s birth date and sex).
const NIK_1: &str = "3310011708890001";
const NIK_2: &str = "3310011708890002";
const NIK_3: &str = "3310011708890003";

fn book(rows: Vec<Vec<V>>) -> Vec<u8> {
    let mut all = vec![header()];
    all.extend(rows);
    xlsx("Data Penduduk", &all)
}

fn rows_error(bytes: &[u8]) -> Vec<RowIssue> {
    match read(bytes, &Limits::default()) {
        Err(ImportError::Rows(v)) => v,
        other => panic!("expected Rows, got {other:?}"),
    }
}

fn ok(bytes: &[u8]) -> Parsed {
    match read(bytes, &Limits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e}: {:#?}", e.issues()),
    }
}

/// Asserts the issues are exactly `expected` (row, column, reason fragment), in order.
fn assert_issues(issues: &[RowIssue], expected: &[(u32, &str, &str)]) {
    let got: Vec<(u32, &str, &str)> = issues
        .iter()
        .map(|i| (i.row, i.column.as_str(), i.reason.as_str()))
        .collect();
    assert_eq!(
        issues.len(),
        expected.len(),
        "issues: {got:#?}\nexpected: {expected:#?}"
    );
    for (issue, (row, column, fragment)) in issues.iter().zip(expected) {
        assert_eq!(
            (issue.row, issue.column.as_str()),
            (*row, *column),
            "{issue}"
        );
        assert!(
            issue.reason.contains(fragment),
            "{issue} lacks {fragment:?}"
        );
    }
}

#[test]
fn a_valid_workbook_reads() {
    let mut wife = valid_row(NIK_2, KK_A, "3");
    set(&mut wife, "nik", V::T("3310015708890002"));
    set(&mut wife, "sex", V::T("P"));
    set(&mut wife, "nama", V::T("SITI AMINAH"));
    let p = ok(&book(vec![valid_row(NIK_1, KK_A, "1"), wife]));
    assert_eq!(p.residents.len(), 2);
    assert_eq!(p.families.len(), 1);
    assert!(p.warnings.is_empty(), "{:#?}", p.warnings);
    assert_eq!(p.residents[1].row, 3);
    assert_eq!(p.families[0].address, "JL. MAWAR 3");
    assert_eq!(p.families[0].wilayah.rw(), "002");
}

#[test]
fn bad_niks_are_each_reported_with_the_broken_rule() {
    let rows = vec![
        valid_row("331001170889000", KK_A, "1"),
        valid_row("3310013502890003", KK_B, "1"),
        valid_row("3310011708890003", KK_C, "1"),
    ];
    assert_issues(
        &rows_error(&book(rows)),
        &[
            (2, "nik", "NIK tidak valid: harus 16 angka, tertulis 15"),
            (3, "nik", "NIK tidak valid: tanggal lahir 35 (digit 7-8)"),
        ],
    );
}

#[test]
fn unknown_codes_name_the_list_and_the_valid_codes() {
    let mut r1 = valid_row(NIK_1, KK_A, "1");
    set(&mut r1, "agama_id", V::T("99"));
    let mut r2 = valid_row(NIK_2, KK_B, "1");
    set(&mut r2, "sex", V::T("X"));
    set(&mut r2, "golongan_darah_id", V::T("Z"));
    let issues = rows_error(&book(vec![r1, r2]));
    assert_issues(
        &issues,
        &[
            (
                2,
                "agama_id",
                "\"99\" bukan kode agama yang dikenal; isi salah satu kode 1-7",
            ),
            (3, "sex", "\"X\" bukan kode sex"),
            (3, "golongan_darah_id", "bukan kode golongan_darah_id"),
        ],
    );
    assert_eq!(issues[0].value, "99");
}

#[test]
fn every_later_occurrence_of_a_nik_points_at_the_first() {
    let rows = vec![
        valid_row(NIK_1, KK_A, "1"),
        valid_row(NIK_1, KK_B, "1"),
        valid_row(NIK_1, KK_C, "1"),
    ];
    assert_issues(
        &rows_error(&book(rows)),
        &[
            (3, "nik", "NIK sama dengan baris 2"),
            (4, "nik", "NIK sama dengan baris 2"),
        ],
    );
}

#[test]
fn a_kk_without_a_head_is_reported_on_its_first_row() {
    let rows = vec![
        valid_row(NIK_1, KK_A, "4"),
        valid_row(NIK_2, KK_B, "1"),
        valid_row(NIK_3, KK_A, "4"),
    ];
    assert_issues(
        &rows_error(&book(rows)),
        &[(
            2,
            "kk_level",
            "KK 3310011203200001 tidak punya kepala keluarga",
        )],
    );
}

#[test]
fn every_extra_head_of_a_kk_is_reported() {
    let rows = vec![
        valid_row(NIK_1, KK_A, "1"),
        valid_row(NIK_2, KK_A, "1"),
        valid_row(NIK_3, KK_A, "KEPALA KELUARGA"),
    ];
    assert_issues(
        &rows_error(&book(rows)),
        &[
            (
                3,
                "kk_level",
                "lebih dari satu kepala keluarga (yang pertama di baris 2)",
            ),
            (
                4,
                "kk_level",
                "lebih dari satu kepala keluarga (yang pertama di baris 2)",
            ),
        ],
    );
}

#[test]
fn a_dead_former_head_does_not_count_as_a_second_head() {
    let mut old = valid_row(NIK_1, KK_A, "1");
    set(&mut old, "status_dasar", V::T("2"));
    let p = ok(&book(vec![old, valid_row(NIK_2, KK_A, "1")]));
    assert_eq!(p.residents.len(), 2);
}

#[test]
fn unknown_headers_are_each_named_with_their_column_letter() {
    let mut h = header();
    h[10] = V::T("agamaa");
    h.push(V::T("catatan"));
    let bytes = xlsx("Data Penduduk", &[h, valid_row(NIK_1, KK_A, "1")]);
    match read(&bytes, &Limits::default()) {
        Err(ImportError::Headers(issues)) => assert_issues(
            &issues,
            &[
                (
                    1,
                    "K (agamaa)",
                    "judul kolom \"agamaa\" tidak dikenal; mungkin maksudnya \"agama_id\"?",
                ),
                (1, "AR (catatan)", "tidak dikenal"),
                (1, "agama_id", "kolom wajib \"agama_id\" tidak ada"),
            ],
        ),
        other => panic!("expected Headers, got {other:?}"),
    }
}

#[test]
fn missing_required_and_duplicated_headers_are_reported() {
    let mut h = header();
    h[6] = V::T("rt");
    let bytes = xlsx("Data Penduduk", &[h, valid_row(NIK_1, KK_A, "1")]);
    match read(&bytes, &Limits::default()) {
        Err(ImportError::Headers(issues)) => assert_issues(
            &issues,
            &[
                (
                    1,
                    "G (rt)",
                    "kolom \"rt\" muncul dua kali (pertama di kolom D)",
                ),
                (1, "nik", "kolom wajib \"nik\" tidak ada"),
            ],
        ),
        other => panic!("expected Headers, got {other:?}"),
    }
}

#[test]
fn optional_columns_may_be_omitted_and_columns_reordered() {
    let names = [
        "nik",
        "nama",
        "no_kk",
        "sex",
        "tanggallahir",
        "kk_level",
        "rt",
        "rw",
        "dusun",
        "agama_id",
        "pendidikan_kk_id",
        "pekerjaan_id",
        "status_kawin",
    ];
    let h: Vec<V> = names.iter().map(|n| V::T(n)).collect();
    let row = vec![
        V::T(NIK_1),
        V::T("BUDI"),
        V::T(KK_A),
        V::T("L"),
        V::T("17/08/1989"),
        V::T("1"),
        V::N(3.0),
        V::T("-"),
        V::T("krajan"),
        V::T("ISLAM"),
        V::T("SLTA/SEDERAJAT"),
        V::T("wiraswasta"),
        V::T("K"),
    ];
    let p = ok(&xlsx("Sheet1", &[h, row]));
    let r = &p.residents[0];
    assert_eq!(r.birth_date, date!(1989 - 08 - 17));
    assert_eq!(r.details, Default::default());
    assert_eq!(r.citizenship, balai_domain::codes::Warganegara::Wni);
    assert_eq!(r.blood_type, balai_domain::codes::GolonganDarah::TidakTahu);
    assert_eq!(r.status, balai_domain::codes::StatusDasar::Hidup);
    let w = &p.families[0].wilayah;
    assert_eq!((w.dusun(), w.rw(), w.rt()), ("KRAJAN", "-", "003"));
}

#[test]
fn a_header_without_data_rows_is_empty() {
    assert_eq!(
        read(&book(vec![]), &Limits::default()),
        Err(ImportError::Empty)
    );
    // Blank rows (and a terminator straight away) are still no data.
    let mut end = vec![V::Blank; 43];
    end[1] = V::T("###");
    assert_eq!(
        read(&book(vec![vec![V::T(" "); 43], end]), &Limits::default()),
        Err(ImportError::Empty)
    );
}

#[test]
fn the_hash_terminator_in_column_b_ends_the_data() {
    let mut end = vec![V::Blank; 43];
    end[1] = V::T("###");
    let mut garbage = vec![V::T("not a resident"); 43];
    garbage[1] = V::T("X");
    let p = ok(&book(vec![
        valid_row(NIK_1, KK_A, "1"),
        vec![V::Blank; 43],
        valid_row(NIK_2, KK_B, "1"),
        end,
        garbage,
    ]));
    assert_eq!(p.residents.len(), 2);
    assert_eq!(
        p.residents[1].row, 4,
        "the empty row 3 is skipped, not renumbered"
    );
}

#[test]
fn a_nik_stored_as_a_number_above_2_pow_53_has_lost_digits() {
    let mut r1 = valid_row("", KK_A, "1");
    set(&mut r1, "nik", V::N(9_171_011_708_890_003.0));
    let mut r2 = valid_row("", KK_B, "1");
    // Exact as an f64, but Excel keeps 15 digits: the final 0 is suspicious.
    set(&mut r2, "nik", V::N(3_310_011_708_890_010.0));
    let bytes = book(vec![r1, r2]);
    assert_issues(
        &rows_error(&bytes),
        &[(
            2,
            "nik",
            "NIK tersimpan sebagai angka dan digit terakhirnya hilang; format kolom sebagai Teks",
        )],
    );
    let mut r2 = valid_row("", KK_B, "1");
    set(&mut r2, "nik", V::N(3_310_011_708_890_010.0));
    let p = ok(&book(vec![r2]));
    assert_issues(&p.warnings, &[(2, "nik", "Excel hanya menyimpan 15 digit")]);
}

#[test]
fn numbers_and_labels_both_read_as_codes() {
    let mut r = valid_row(NIK_1, KK_A, "1");
    set(&mut r, "agama_id", V::N(1.0));
    set(&mut r, "pekerjaan_id", V::T("088"));
    set(&mut r, "status_kawin", V::T("kawin"));
    set(&mut r, "sex", V::T("Laki-laki"));
    set(&mut r, "kk_level", V::N(1.0));
    set(&mut r, "nik", V::T("'3310011708890001"));
    set(&mut r, "no_kk", V::T(" 3310 0112 0320 0001 "));
    let p = ok(&book(vec![r]));
    let r = &p.residents[0];
    assert_eq!(r.occupation, balai_domain::codes::Pekerjaan::Wiraswasta);
    assert_eq!(r.number.to_string(), NIK_1);
    assert_eq!(r.no_kk.as_str(), KK_A);
}

#[test]
fn every_bad_cell_of_every_row_is_reported_in_reading_order() {
    let mut r1 = valid_row(NIK_1, KK_A, "1");
    set(&mut r1, "nama", V::T("BUDI <b>"));
    set(&mut r1, "tanggallahir", V::T("31-02-1989"));
    set(&mut r1, "rt", V::T("abc"));
    set(&mut r1, "rw", V::Blank);
    set(&mut r1, "pekerjaan_id", V::Blank);
    set(&mut r1, "ayah_nik", V::T("12"));
    let mut r2 = valid_row(NIK_2, "3310011213200001", "1");
    set(&mut r2, "tanggalperkawinan", V::T("kemarin"));
    set(&mut r2, "tanggal_akhir_paspor", V::T("1850-01-01"));
    assert_issues(
        &rows_error(&book(vec![r1, r2])),
        &[
            (2, "rw", "RW wajib diisi"),
            (2, "rt", "RT harus berupa angka"),
            (2, "nama", "karakter '<' (ke-6) tidak boleh ada dalam nama"),
            (
                2,
                "tanggallahir",
                "tanggal 31-02-1989 tidak ada di kalender",
            ),
            (2, "pekerjaan_id", "pekerjaan_id wajib diisi"),
            (2, "ayah_nik", "NIK ayah tidak valid: harus 16 angka"),
            (3, "no_kk", "No. KK tidak valid: bulan pencatatan 13"),
            (3, "tanggal_akhir_paspor", "tahun 1850 terlalu awal"),
            (3, "tanggalperkawinan", "bukan tanggal yang dikenali"),
        ],
    );
}

#[test]
fn future_birth_dates_are_errors_only_when_today_is_given() {
    let mut r = valid_row("3310011708300001", KK_A, "1");
    set(&mut r, "tanggallahir", V::T("2030-08-17"));
    let bytes = book(vec![r]);
    assert!(read(&bytes, &Limits::default()).is_ok());
    match read_with(&bytes, &Limits::default(), Some(date!(2026 - 11 - 01))) {
        Err(ImportError::Rows(issues)) => assert_issues(
            &issues,
            &[(
                2,
                "tanggallahir",
                "tanggal lahir 2030-08-17 ada di masa depan",
            )],
        ),
        other => panic!("expected Rows, got {other:?}"),
    }
}

#[test]
fn nik_disagreeing_with_birth_date_or_sex_is_a_warning() {
    let mut r = valid_row(NIK_1, KK_A, "1");
    set(&mut r, "tanggallahir", V::T("1989-08-18"));
    set(&mut r, "sex", V::T("2"));
    let p = ok(&book(vec![r]));
    assert_issues(
        &p.warnings,
        &[
            (
                2,
                "nik",
                "tanggal lahir di NIK (17-08-89) berbeda dengan tanggallahir 18-08-1989",
            ),
            (
                2,
                "nik",
                "NIK menandakan LAKI-LAKI, tetapi sex tercatat PEREMPUAN",
            ),
        ],
    );
}

#[test]
fn kk_members_elsewhere_than_the_kk_are_warned_and_the_first_row_wins() {
    let mut child = valid_row(NIK_2, KK_A, "4");
    set(&mut child, "rt", V::T("7"));
    set(&mut child, "alamat", V::T("JL. MELATI"));
    let p = ok(&book(vec![valid_row(NIK_1, KK_A, "1"), child]));
    assert_issues(
        &p.warnings,
        &[
            (
                3,
                "alamat",
                "berbeda dengan baris 2 (KK yang sama); yang dipakai untuk KK adalah \"JL. MAWAR 3\"",
            ),
            (3, "rt", "berbeda dengan baris 2"),
        ],
    );
    assert_eq!(p.families[0].wilayah.rt(), "001");
}

#[test]
fn temporary_numbers_read_as_temporary() {
    let p = ok(&book(vec![valid_row("0331001200100042", KK_A, "1")]));
    assert!(matches!(
        p.residents[0].number,
        ResidentNumber::Sementara(_)
    ));
    assert!(p.warnings.is_empty());
}

#[test]
fn excel_date_cells_and_serial_numbers_read_as_dates() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Data Penduduk").unwrap();
    for (c, h) in balai_workbook::HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in valid_row(NIK_1, KK_A, "1").into_iter().enumerate() {
        if let V::T(s) = v {
            ws.write_string(1, c as u16, s).unwrap();
        } else if let V::S(s) = v {
            ws.write_string(1, c as u16, s).unwrap();
        }
    }
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    // 1989-08-17 is serial 32737; a formatted date cell and a bare serial.
    ws.write_number_with_format(1, 9, 32737.0, &date_format)
        .unwrap();
    ws.write_number(1, 27, 36526.0).unwrap();
    let p = ok(&book.save_to_buffer().unwrap());
    assert_eq!(p.residents[0].birth_date, date!(1989 - 08 - 17));
    assert_eq!(
        p.residents[0].details.marriage_date,
        Some(date!(2000 - 01 - 01))
    );
}

#[test]
fn the_header_row_need_not_be_row_one_and_rows_keep_their_sheet_numbers() {
    let bytes = xlsx(
        "Data Penduduk",
        &[vec![], vec![], header(), valid_row(NIK_1, KK_A, "1")],
    );
    assert_eq!(ok(&bytes).residents[0].row, 4);
    let mut r = valid_row(NIK_1, KK_A, "1");
    set(&mut r, "sex", V::T("?"));
    let bytes = xlsx("Data Penduduk", &[vec![], header(), vec![], r]);
    assert_issues(&rows_error(&bytes), &[(4, "sex", "bukan kode sex")]);
}

#[test]
fn a_sheet_with_the_headers_is_found_when_none_is_named_data_penduduk() {
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Petunjuk").unwrap();
    notes.write_string(0, 0, "Isi data mulai baris 2").unwrap();
    let data = book.add_worksheet();
    data.set_name("Penduduk 2026").unwrap();
    for (c, h) in balai_workbook::HEADERS.iter().enumerate() {
        data.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in valid_row(NIK_1, KK_A, "1").into_iter().enumerate() {
        match v {
            V::T(s) => drop(data.write_string(1, c as u16, s).unwrap()),
            V::S(s) => drop(data.write_string(1, c as u16, s).unwrap()),
            _ => {}
        }
    }
    assert_eq!(ok(&book.save_to_buffer().unwrap()).residents.len(), 1);
    let other = xlsx(
        "Sheet1",
        &[vec![V::T("Nomor KK"), V::T("NIK"), V::T("Nama Penduduk")]],
    );
    assert_eq!(
        read(&other, &Limits::default()),
        Err(ImportError::NoDataSheet)
    );
}

#[test]
fn more_rows_than_the_limit_are_counted_and_refused() {
    let rows = vec![
        valid_row(NIK_1, KK_A, "1"),
        valid_row(NIK_2, KK_B, "1"),
        valid_row(NIK_3, KK_C, "1"),
    ];
    let limits = Limits {
        max_rows: 2,
        ..Limits::default()
    };
    assert_eq!(
        read(&book(rows), &limits),
        Err(ImportError::TooManyRows { rows: 3, max: 2 })
    );
}

#[test]
fn an_excel_error_value_in_a_cell_is_reported() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Data Penduduk").unwrap();
    for (c, h) in balai_workbook::HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in valid_row(NIK_1, KK_A, "1").into_iter().enumerate() {
        match v {
            V::T(s) => drop(ws.write_string(1, c as u16, s).unwrap()),
            V::S(s) => drop(ws.write_string(1, c as u16, s).unwrap()),
            _ => {}
        }
    }
    ws.write_formula(
        1,
        8,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    assert_issues(
        &rows_error(&book.save_to_buffer().unwrap()),
        &[(2, "tempatlahir", "sel berisi galat Excel #DIV/0!")],
    );
}

#[test]
fn error_messages_are_indonesian_sentences() {
    let e = ImportError::Rows(vec![RowIssue {
        row: 2,
        column: "nik".into(),
        value: String::new(),
        reason: "x".into(),
    }]);
    assert_eq!(
        e.to_string(),
        "Ditemukan 1 kesalahan pada data; tidak ada yang diimpor. Perbaiki semuanya lalu unggah ulang."
    );
    assert!(
        ImportError::Empty
            .to_string()
            .starts_with("Sheet hanya berisi")
    );
}

#[test]
fn title_rows_above_the_header_are_skipped() {
    let mut title = vec![V::Blank; 43];
    title[0] = V::T("DATA PENDUDUK DESA KRAJAN 2026");
    let bytes = xlsx(
        "Data Penduduk",
        &[title, vec![], header(), valid_row(NIK_1, KK_A, "1")],
    );
    assert_eq!(ok(&bytes).residents[0].row, 4);
}

#[test]
fn a_header_row_repeated_among_the_data_is_one_error() {
    let bytes = book(vec![
        valid_row(NIK_1, KK_A, "1"),
        header(),
        valid_row(NIK_2, KK_B, "1"),
    ]);
    assert_issues(
        &rows_error(&bytes),
        &[(3, "alamat", "baris ini mengulang baris judul kolom")],
    );
}
