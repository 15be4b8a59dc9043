//! The plain CSV form: `kode,name[,postal_code,latitude,longitude,area,population]`.

use std::io::Read;

use balai_domain::KodeWilayah;

use crate::error::RegionsError;
use crate::region::Region;
use crate::region_set::RegionSet;

const EXPECTED: &str = "kode,name[,postal_code,latitude,longitude,area,population]";

/// Reads a CSV with a `kode` column (dotted or plain codes of any level) and a
/// `name` column; the other columns are optional. `file` names the source in errors.
pub fn read_csv(input: impl Read, file: &str) -> Result<RegionSet, RegionsError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let header = rdr
        .headers()
        .map_err(|e| bad(file, 1, e.to_string()))?
        .clone();
    let col = |name: &'static str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing = |column| RegionsError::MissingColumn {
        file: file.into(),
        column,
        expected: EXPECTED,
    };
    let kode_i = col("kode")
        .or_else(|| col("id"))
        .ok_or_else(|| missing("kode"))?;
    let name_i = col("name")
        .or_else(|| col("nama"))
        .ok_or_else(|| missing("name"))?;
    let (postal_i, lat_i, lng_i, area_i, pop_i) = (
        col("postal_code"),
        col("latitude"),
        col("longitude"),
        col("area"),
        col("population"),
    );
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(file, line, e.to_string()))?;
        let kode = KodeWilayah::parse(rec.get(kode_i).unwrap_or(""))
            .map_err(|e| bad(file, line, e.to_string()))?;
        let name = rec.get(name_i).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(bad(file, line, format!("region {kode} has no name")));
        }
        let text = |i: Option<usize>| i.and_then(|i| rec.get(i)).filter(|s| !s.is_empty());
        let float = |i: Option<usize>, what: &str| -> Result<Option<f64>, RegionsError> {
            text(i)
                .map(|s| {
                    s.parse::<f64>()
                        .map_err(|_| bad(file, line, format!("{what} {s:?} is not a number")))
                })
                .transpose()
        };
        out.push(Region {
            kode,
            name,
            postal_code: text(postal_i).map(str::to_string),
            latitude: float(lat_i, "latitude")?,
            longitude: float(lng_i, "longitude")?,
            area_km2: float(area_i, "area")?,
            population: text(pop_i)
                .map(|s| {
                    s.parse::<u64>().map_err(|_| {
                        bad(
                            file,
                            line,
                            format!("population {s:?} is not a whole number"),
                        )
                    })
                })
                .transpose()?,
        });
    }
    RegionSet::new(out)
}

fn bad(file: &str, line: u64, reason: String) -> RegionsError {
    RegionsError::BadLine {
        file: file.into(),
        line,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dotted_and_plain_codes() {
        let csv = "kode,name\n33,Jawa Tengah\n33.10,Kabupaten Klaten\n331001,Prambanan\n3310012001,Randusari\n";
        let set = read_csv(csv.as_bytes(), "t.csv").unwrap();
        assert_eq!(set.counts().villages, 1);
        assert_eq!(set.regions()[3].name, "Randusari");
    }

    #[test]
    fn bad_lines_and_orphans_are_reported() {
        let e = read_csv(
            "kode,name\n33,Jawa Tengah\n33.1x,Klaten\n".as_bytes(),
            "t.csv",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.csv line 3: invalid region code"),
            "{e}"
        );
        let e = read_csv(
            "kode,name\n33,Jawa Tengah\n3310012001,Randusari\n".as_bytes(),
            "t.csv",
        )
        .unwrap_err();
        assert!(e.to_string().contains("has no parent 33.10.01"), "{e}");
        let e = read_csv("code,name\n33,Jawa Tengah\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("missing column \"kode\""), "{e}");
        let e = read_csv("kode,name\n".as_bytes(), "t.csv").unwrap_err();
        assert!(e.to_string().contains("no regions"), "{e}");
        let e = read_csv(
            "kode,name\n33,Jawa Tengah\n33,Jawa Tengah\n".as_bytes(),
            "t.csv",
        )
        .unwrap_err();
        assert!(e.to_string().contains("appears twice"), "{e}");
    }
}
