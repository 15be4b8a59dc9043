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
    for w in &parsed.warnings {
        eprintln!("{w}");
    }

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
