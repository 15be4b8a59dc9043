//! What a valid workbook reads as: families and residents, ready to store.

use balai_domain::codes::{
    Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin,
    Warganegara,
};
use balai_domain::{Nik, NoKk, PersonName, ResidentDetails, ResidentNumber, Wilayah};
use time::Date;

use crate::issue::RowIssue;

/// A workbook whose every row is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// One family per distinct No. KK, in order of first appearance.
    pub families: Vec<ParsedFamily>,
    /// One resident per data row, in row order.
    pub residents: Vec<ParsedResident>,
    /// Doubtful but accepted values (NIK disagreeing with the birth date, a member's address differing from the KK's).
    pub warnings: Vec<RowIssue>,
}

/// A family card as the workbook describes it (taken from its first row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFamily {
    /// The family card number.
    pub no_kk: NoKk,
    /// Street address (`alamat`) of the KK's first row.
    pub address: String,
    /// Dusun, RW and RT of the KK's first row.
    pub wilayah: Wilayah,
    /// Spreadsheet row where the KK first appears.
    pub first_row: u32,
}

/// One resident row, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedResident {
    /// 1-based spreadsheet row number as the user sees it in Excel.
    pub row: u32,
    /// The family the resident belongs to.
    pub no_kk: NoKk,
    /// NIK or temporary number.
    pub number: ResidentNumber,
    /// Full name.
    pub name: PersonName,
    /// Sex.
    pub sex: Sex,
    /// Place of birth.
    pub birth_place: String,
    /// Date of birth.
    pub birth_date: Date,
    /// Religion.
    pub religion: Agama,
    /// Highest education (as on the KK).
    pub education: PendidikanKk,
    /// Occupation.
    pub occupation: Pekerjaan,
    /// Marital status.
    pub marital_status: StatusKawin,
    /// Relationship to the family head (`kk_level`).
    pub relationship: Shdk,
    /// Citizenship (blank reads as WNI).
    pub citizenship: Warganegara,
    /// Blood group (blank reads as TIDAK TAHU).
    pub blood_type: GolonganDarah,
    /// Disability, if recorded.
    pub disability: Option<Cacat>,
    /// Father's NIK, if given.
    pub father_nik: Option<Nik>,
    /// Father's name.
    pub father_name: String,
    /// Mother's NIK, if given.
    pub mother_nik: Option<Nik>,
    /// Mother's name.
    pub mother_name: String,
    /// Basic status (blank reads as HIDUP).
    pub status: StatusDasar,
    /// Documents, e-KTP, insurance and the other secondary facts.
    pub details: ResidentDetails,
}
