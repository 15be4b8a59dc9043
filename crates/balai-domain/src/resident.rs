//! A resident (penduduk) as the village registry holds them.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::codes::{
    Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin,
    Warganegara,
};
use crate::kode_wilayah::KodeWilayah;
use crate::nik::{Nik, NikWarning};
use crate::person_name::PersonName;
use crate::resident_details::ResidentDetails;
use crate::resident_number::ResidentNumber;

/// One person in a village's registry. `status` is derived from the person's
/// life events (see [`crate::life_event`]) and cached here for fast filtering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    /// Row id (UUIDv7).
    pub id: Uuid,
    /// Tenant key: the village whose registry holds this person.
    pub village: KodeWilayah,
    /// The family (KK) the person belongs to, if any.
    pub family_id: Option<Uuid>,
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
    /// Relationship to the family head.
    pub relationship: Shdk,
    /// Citizenship.
    pub citizenship: Warganegara,
    /// Blood group.
    pub blood_type: GolonganDarah,
    /// Disability, if recorded.
    pub disability: Option<Cacat>,
    /// Father's NIK, if known.
    pub father_nik: Option<Nik>,
    /// Father's name.
    pub father_name: String,
    /// Mother's NIK, if known.
    pub mother_nik: Option<Nik>,
    /// Mother's name.
    pub mother_name: String,
    /// Current basic status, derived from life events.
    pub status: StatusDasar,
    /// Documents, e-KTP, insurance and the other secondary facts.
    #[serde(default, skip_serializing_if = "ResidentDetails::is_empty")]
    pub details: ResidentDetails,
}

impl Resident {
    /// Age in whole years on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        age_on(self.birth_date, on)
    }

    /// Where the NIK disagrees with the recorded birth date or sex.
    pub fn nik_warnings(&self) -> Vec<NikWarning> {
        self.number
            .nik()
            .map(|n| n.check_against(self.birth_date, self.sex))
            .unwrap_or_default()
    }
}

/// Age in whole years of someone born on `birth`, on the date `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(
            super::age_on(date!(2000 - 02 - 29), date!(2026 - 02 - 28)),
            25
        );
        assert_eq!(
            super::age_on(date!(2000 - 02 - 29), date!(2026 - 03 - 01)),
            26
        );
        assert_eq!(
            super::age_on(date!(2026 - 11 - 22), date!(2026 - 11 - 22)),
            0
        );
    }
}
