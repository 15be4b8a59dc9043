//! The real OpenSID sample workbook reads completely and correctly.

mod common;

use balai_domain::codes::{Agama, Sex, Shdk, StatusDasar};
use balai_workbook::{Limits, read};
use time::macros::date;

#[test]
fn contoh_penduduk_reads_as_97_residents_in_37_families_without_errors() {
    let Some(bytes) = common::reference("contoh_penduduk.xlsx") else {
        return;
    };
    let parsed = match read(&bytes, &Limits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e}: {:#?}", e.issues()),
    };
    assert_eq!(parsed.residents.len(), 97);
    assert_eq!(parsed.families.len(), 37);
    // The sample's NIKs encode birth years one off from its tanggallahir:
    // warnings, never errors.
    assert_eq!(parsed.warnings.len(), 97);
    assert!(parsed.warnings.iter().all(|w| w.column == "nik"));

    let first = &parsed.residents[0];
    assert_eq!(first.row, 2);
    assert_eq!(first.name.as_str(), "ADINI SEPTIA LISTA");
    assert_eq!(first.number.to_string(), "5201145003976995");
    assert_eq!(first.no_kk.as_str(), "5201140104126994");
    assert_eq!(first.sex, Sex::Perempuan);
    assert_eq!(first.birth_date, date!(1996 - 03 - 10));
    assert_eq!(first.birth_place, "MANGSIT");
    assert_eq!(first.religion, Agama::Islam);
    assert_eq!(first.relationship, Shdk::Anak);
    assert_eq!(first.father_name, "AHLUL");
    assert_eq!(first.mother_name, "RUSDAH");
    assert_eq!(first.status, StatusDasar::Hidup);
    let fam = &parsed.families[0];
    assert_eq!(fam.no_kk, first.no_kk);
    assert_eq!(fam.first_row, 2);
    assert_eq!(
        (fam.wilayah.dusun(), fam.wilayah.rw(), fam.wilayah.rt()),
        ("MANGSIT", "-", "004")
    );
    assert_eq!(fam.address, "");
}

#[test]
fn the_opensid_template_sample_row_is_read_and_its_fake_numbers_reported() {
    let Some(bytes) = common::reference("FormatImporExcel.xlsm") else {
        return;
    };
    let issues = match read(&bytes, &Limits::default()) {
        Err(balai_workbook::ImportError::Rows(v)) => v,
        other => panic!("expected Rows, got {other:?}"),
    };
    // The template's example row carries made-up numbers (and its passport
    // columns are shifted): each is caught, nothing else is.
    let got: Vec<(u32, &str)> = issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "no_kk"),
            (2, "nik"),
            (2, "ibu_nik"),
            (2, "tanggal_akhir_paspor")
        ],
        "{issues:#?}"
    );
    assert!(issues[0].reason.contains("bulan pencatatan 45"));
    assert!(issues[1].reason.contains("tanggal lahir 88"));
    assert!(
        issues[2]
            .reason
            .starts_with("NIK ibu tidak valid: bulan lahir 22")
    );
    assert!(issues[3].reason.starts_with("bukan tanggal yang dikenali"));
}
