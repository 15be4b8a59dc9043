//! Export then import gives back exactly what was exported: every field of
//! every resident and family, including the dead and departed (status),
//! temporary numbers and empty optional fields.

use std::collections::HashMap;

use balai_domain::family::Family;
use balai_domain::{KodeWilayah, Resident};
use balai_generate::{DEFAULT_AS_OF, Generator};
use balai_workbook::{
    ExportRow, Limits, ParsedFamily, ParsedResident, read, write_csv, write_xlsx,
};
use proptest::prelude::*;
use uuid::Uuid;

fn code(c: &str) -> KodeWilayah {
    KodeWilayah::parse(c).unwrap()
}

/// What importing `r` (on row `row`, in `family`) must give.
fn expected(row: u32, family: &Family, r: &Resident) -> ParsedResident {
    ParsedResident {
        row,
        no_kk: family.no_kk,
        number: r.number,
        name: r.name.clone(),
        sex: r.sex,
        birth_place: r.birth_place.clone(),
        birth_date: r.birth_date,
        religion: r.religion,
        education: r.education,
        occupation: r.occupation,
        marital_status: r.marital_status,
        relationship: r.relationship,
        citizenship: r.citizenship,
        blood_type: r.blood_type,
        disability: r.disability,
        father_nik: r.father_nik,
        father_name: r.father_name.clone(),
        mother_nik: r.mother_nik,
        mother_name: r.mother_name.clone(),
        status: r.status,
        details: r.details.clone(),
    }
}

fn village(seed: u64, residents: u32) -> (Vec<Family>, Vec<Resident>) {
    let districts = vec![code("331001"), code("331002"), code("331003")];
    let data =
        Generator::new(seed, DEFAULT_AS_OF, districts).village(code("3310012001"), residents);
    (data.families, data.residents)
}

fn export_rows<'a>(families: &'a [Family], residents: &'a [Resident]) -> Vec<ExportRow<'a>> {
    let by_id: HashMap<Uuid, &Family> = families.iter().map(|f| (f.id, f)).collect();
    residents
        .iter()
        .map(|r| ExportRow {
            family: by_id[&r.family_id.expect("generated residents have a family")],
            resident: r,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_identical_residents_and_families(seed: u64, n in 50u32..400) {
        let (families, residents) = village(seed, n);
        let rows = export_rows(&families, &residents);
        let bytes = write_xlsx(&rows);
        let parsed = match read(&bytes, &Limits::default()) {
            Ok(p) => p,
            Err(e) => panic!("{e}: {:#?}", e.issues()),
        };
        prop_assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
        prop_assert_eq!(parsed.residents.len(), rows.len());
        for (i, (got, row)) in parsed.residents.iter().zip(&rows).enumerate() {
            let want = expected(i as u32 + 2, row.family, row.resident);
            prop_assert_eq!(got, &want);
        }
        let mut want_families: Vec<ParsedFamily> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if !want_families.iter().any(|f| f.no_kk == row.family.no_kk) {
                want_families.push(ParsedFamily {
                    no_kk: row.family.no_kk,
                    address: row.family.address.clone(),
                    wilayah: row.family.wilayah.clone(),
                    first_row: i as u32 + 2,
                });
            }
        }
        prop_assert_eq!(parsed.families, want_families);
    }
}

#[test]
fn generated_villages_exercise_what_the_round_trip_must_keep() {
    // The property above is only as strong as its data: make sure it holds
    // the cases that are easy to lose (statuses other than HIDUP, temporary
    // numbers, empty optional fields, RW "-").
    let (families, residents) = village(7, 400);
    use balai_domain::codes::StatusDasar;
    assert!(residents.iter().any(|r| r.status == StatusDasar::Mati));
    assert!(residents.iter().any(|r| r.status == StatusDasar::Pindah));
    assert!(residents.iter().any(|r| r.number.is_temporary()));
    assert!(residents.iter().any(|r| r.disability.is_none()));
    assert!(residents.iter().any(|r| r.father_nik.is_none()));
    let bytes = write_xlsx(&export_rows(&families, &residents));
    let parsed = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(parsed.residents.len(), 400);
}

#[test]
fn csv_export_has_a_header_and_one_line_per_resident_with_the_same_niks() {
    let (families, residents) = village(11, 120);
    let rows = export_rows(&families, &residents);
    let csv_bytes = write_csv(&rows);
    let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, balai_workbook::HEADERS);
    let nik_col = headers.iter().position(|h| h == "nik").unwrap();
    let kk_col = headers.iter().position(|h| h == "no_kk").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), residents.len());
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(&rec[nik_col], row.resident.number.to_string());
        assert_eq!(&rec[kk_col], row.family.no_kk.as_str());
        assert_eq!(rec.len(), 43);
    }
}

#[test]
fn every_field_round_trips_including_leading_zeros_and_odd_text() {
    use balai_domain::codes::*;
    use balai_domain::{Nik, ResidentDetails, Wilayah};
    use time::macros::date;

    let (mut families, mut residents) = village(3, 60);
    residents.truncate(1);
    let family_id = residents[0].family_id.unwrap();
    families.retain(|f| f.id == family_id);
    let f = &mut families[0];
    f.address = "JL. \"MAWAR\" NO. 3 & <B> RT 01".into();
    f.wilayah = Wilayah::parse("Dusun Satu", "-", "0").unwrap();
    let r = &mut residents[0];
    r.relationship = Shdk::KepalaKeluarga;
    r.status = StatusDasar::Hidup;
    r.citizenship = Warganegara::DuaKewarganegaraan;
    r.blood_type = GolonganDarah::AbNeg;
    r.disability = Some(Cacat::TidakCacat);
    r.father_nik = Some(Nik::parse("3310011708600001").unwrap());
    r.mother_nik = Some(Nik::parse("3310015708650002").unwrap());
    r.father_name = "-".into();
    r.birth_place = "=SUM(A1)".into();
    r.details = ResidentDetails {
        current_education: Some(PendidikanSedang::TidakSedangSekolah),
        birth_certificate: "0012/AL/2001".into(),
        passport: "X1234567".into(),
        passport_expiry: Some(date!(2031 - 02 - 28)),
        kitas: "2C11AB0123".into(),
        marriage_certificate: "0001".into(),
        marriage_date: Some(date!(2012 - 02 - 29)),
        divorce_certificate: "00".into(),
        divorce_date: Some(date!(2020 - 12 - 31)),
        contraception: Some(CaraKb::Lainnya),
        pregnant: Some(Hamil::TidakHamil),
        ktp_el: Some(KtpEl::KtpEl),
        ktp_recording: Some(StatusRekam::CardIssued),
        current_address: "Kos Melati, Yogyakarta".into(),
        ethnicity: "JAWA".into(),
        id_card_tag: "0004446891881".into(),
        insurance: Some(Asuransi::AsuransiLainnya),
        insurance_number: "0001234567890123456789".into(),
        latitude: "-7.7056".into(),
        longitude: "110.6015".into(),
    };
    let rows = export_rows(&families, &residents);
    let parsed = read(&write_xlsx(&rows), &Limits::default()).unwrap();
    assert_eq!(
        parsed.residents,
        vec![expected(2, &families[0], &residents[0])]
    );
    assert_eq!(parsed.families[0].address, families[0].address);
    assert_eq!(parsed.families[0].wilayah, families[0].wilayah);
}
