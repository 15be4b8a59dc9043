//! Balai's domain: the facts of Indonesian village administration as types
//! and pure functions. No I/O, no clocks (dates are passed in), no SQL.

pub mod codes;
pub mod complaint;
pub mod disclosure;
pub mod family;
pub mod idm;
pub mod indeks_desa;
pub mod info_topic;
pub mod kode_wilayah;
pub mod letter_kind;
pub mod letter_number;
pub mod letter_request;
pub mod life_event;
pub mod mutation_report;
pub mod nik;
pub mod no_kk;
pub mod nomor_sementara;
pub mod official;
pub mod parse_error;
pub mod particulars;
pub mod person_name;
pub mod population_stats;
pub mod public_info;
pub mod regency;
pub mod resident;
pub mod resident_details;
pub mod resident_number;
pub mod role;
pub mod showcase;
pub mod site;
pub mod smart_village;
pub mod time_zone;
pub mod village;
pub mod wilayah;

pub use codes::CodeList;
pub use kode_wilayah::{KodeWilayah, RegionLevel};
pub use nik::{Nik, NikWarning};
pub use no_kk::NoKk;
pub use nomor_sementara::NomorSementara;
pub use parse_error::ParseIdError;
pub use person_name::PersonName;
pub use resident::Resident;
pub use resident_details::ResidentDetails;
pub use resident_number::ResidentNumber;
pub use wilayah::Wilayah;
