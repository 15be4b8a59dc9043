//! The resident form as typed by an operator, and its parsing into domain
//! values with a message for every wrong field.

use balai_domain::codes::{
    Agama, Cacat, GolonganDarah, Pekerjaan, PendidikanKk, Sex, Shdk, StatusKawin, Warganegara,
};
use balai_domain::{CodeList, Nik, PersonName, ResidentNumber};
use serde::{Deserialize, Serialize};
use time::Date;

use super::field_errors::FieldErrors;

/// Raw form fields (what the browser sends); kept to re-display the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResidentForm {
    /// NIK, or empty for a temporary number.
    pub nik: String,
    /// Full name.
    pub nama: String,
    /// Sex code.
    pub sex: String,
    /// Place of birth.
    pub tempat_lahir: String,
    /// Birth date, `YYYY-MM-DD` (an `<input type=date>`) or `DD-MM-YYYY`.
    pub tanggal_lahir: String,
    /// Religion code.
    pub agama: String,
    /// Education code.
    pub pendidikan: String,
    /// Occupation code.
    pub pekerjaan: String,
    /// Marital status code.
    pub status_kawin: String,
    /// Relationship code.
    pub hubungan: String,
    /// Citizenship code (default WNI).
    pub warganegara: String,
    /// Blood group code (default TIDAK TAHU).
    pub golongan_darah: String,
    /// Disability code (empty: none recorded).
    pub cacat: String,
    /// Father's NIK (optional).
    pub nik_ayah: String,
    /// Father's name.
    pub nama_ayah: String,
    /// Mother's NIK (optional).
    pub nik_ibu: String,
    /// Mother's name.
    pub nama_ibu: String,
}

/// The parsed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentFields {
    /// NIK, or `None` when a temporary number must be issued.
    pub nik: Option<Nik>,
    /// Name.
    pub name: PersonName,
    /// Sex.
    pub sex: Sex,
    /// Place of birth.
    pub birth_place: String,
    /// Birth date.
    pub birth_date: Date,
    /// Religion.
    pub religion: Agama,
    /// Education.
    pub education: PendidikanKk,
    /// Occupation.
    pub occupation: Pekerjaan,
    /// Marital status.
    pub marital_status: StatusKawin,
    /// Relationship to the head.
    pub relationship: Shdk,
    /// Citizenship.
    pub citizenship: Warganegara,
    /// Blood group.
    pub blood_type: GolonganDarah,
    /// Disability.
    pub disability: Option<Cacat>,
    /// Father's NIK.
    pub father_nik: Option<Nik>,
    /// Father's name.
    pub father_name: String,
    /// Mother's NIK.
    pub mother_nik: Option<Nik>,
    /// Mother's name.
    pub mother_name: String,
}

/// Parses a date typed as `YYYY-MM-DD`, `DD-MM-YYYY` or `DD/MM/YYYY`.
pub fn parse_date(input: &str) -> Result<Date, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("wajib diisi".into());
    }
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    let nums: Option<Vec<i32>> = parts.iter().map(|p| p.parse::<i32>().ok()).collect();
    let (y, m, d) = match (parts.len(), nums) {
        (3, Some(n)) if parts[0].len() == 4 => (n[0], n[1], n[2]),
        (3, Some(n)) if parts[2].len() == 4 => (n[2], n[1], n[0]),
        _ => {
            return Err(format!(
                "«{t}» bukan tanggal; tulis tanggal-bulan-tahun, mis. 17-03-2024"
            ));
        }
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(|| format!("bulan {m} tidak ada"))?;
    let day = u8::try_from(d).map_err(|_| format!("tanggal {d} tidak ada"))?;
    Date::from_calendar_date(y, month, day).map_err(|_| format!("«{t}» tidak ada di kalender"))
}

fn required_code<T: CodeList>(errors: &mut FieldErrors, field: &str, value: &str) -> Option<T> {
    if value.trim().is_empty() {
        errors.add(field, "wajib dipilih");
        return None;
    }
    errors.check(field, T::parse(value).map_err(|_| "pilihan tidak dikenal"))
}

fn optional_nik(errors: &mut FieldErrors, field: &str, value: &str) -> Option<Nik> {
    if value.trim().is_empty() {
        return None;
    }
    errors.check(field, Nik::parse(value).map_err(|e| e.alasan("NIK")))
}

impl ResidentForm {
    /// Parses every field; on failure, every wrong field has its message.
    /// `today` bounds the birth date.
    pub fn parse(&self, today: Date) -> Result<ResidentFields, FieldErrors> {
        let mut e = FieldErrors::default();
        let nik = optional_nik(&mut e, "nik", &self.nik);
        let name = e.check(
            "nama",
            PersonName::parse(&self.nama).map_err(|err| match err {
                balai_domain::person_name::PersonNameError::Empty => "wajib diisi".to_string(),
                balai_domain::person_name::PersonNameError::TooLong { max, .. } => {
                    format!("paling banyak {max} huruf")
                }
                balai_domain::person_name::PersonNameError::BadCharacter { ch, .. } => {
                    format!("huruf {ch:?} tidak boleh ada dalam nama")
                }
            }),
        );
        let sex = required_code::<Sex>(&mut e, "sex", &self.sex);
        let birth_date = e.check(
            "tanggal_lahir",
            parse_date(&self.tanggal_lahir).and_then(|d| {
                if d > today {
                    Err("tanggal lahir tidak boleh di masa depan".into())
                } else if d.year() < 1880 {
                    Err("tahun lahir terlalu lampau".into())
                } else {
                    Ok(d)
                }
            }),
        );
        if self.tempat_lahir.trim().is_empty() {
            e.add("tempat_lahir", "wajib diisi");
        }
        let religion = required_code::<Agama>(&mut e, "agama", &self.agama);
        let education = required_code::<PendidikanKk>(&mut e, "pendidikan", &self.pendidikan);
        let occupation = required_code::<Pekerjaan>(&mut e, "pekerjaan", &self.pekerjaan);
        let marital_status =
            required_code::<StatusKawin>(&mut e, "status_kawin", &self.status_kawin);
        let relationship = required_code::<Shdk>(&mut e, "hubungan", &self.hubungan);
        let citizenship = if self.warganegara.trim().is_empty() {
            Some(Warganegara::Wni)
        } else {
            required_code(&mut e, "warganegara", &self.warganegara)
        };
        let blood_type = if self.golongan_darah.trim().is_empty() {
            Some(GolonganDarah::TidakTahu)
        } else {
            required_code(&mut e, "golongan_darah", &self.golongan_darah)
        };
        let disability = if self.cacat.trim().is_empty() {
            None
        } else {
            required_code::<Cacat>(&mut e, "cacat", &self.cacat)
        };
        let father_nik = optional_nik(&mut e, "nik_ayah", &self.nik_ayah);
        let mother_nik = optional_nik(&mut e, "nik_ibu", &self.nik_ibu);
        if let (Some(n), Some(d), Some(s)) = (nik, birth_date, sex) {
            // A disagreement is normal for old NIKs: it is shown, never blocking.
            let _ = n.check_against(d, s);
        }
        match (
            name,
            sex,
            birth_date,
            religion,
            education,
            occupation,
            marital_status,
            relationship,
            citizenship,
            blood_type,
        ) {
            (
                Some(name),
                Some(sex),
                Some(birth_date),
                Some(religion),
                Some(education),
                Some(occupation),
                Some(marital_status),
                Some(relationship),
                Some(citizenship),
                Some(blood_type),
            ) if e.is_empty() => Ok(ResidentFields {
                nik,
                name,
                sex,
                birth_place: self.tempat_lahir.trim().to_uppercase(),
                birth_date,
                religion,
                education,
                occupation,
                marital_status,
                relationship,
                citizenship,
                blood_type,
                disability,
                father_nik,
                father_name: self.nama_ayah.trim().to_uppercase(),
                mother_nik,
                mother_name: self.nama_ibu.trim().to_uppercase(),
            }),
            _ => Err(e),
        }
    }

    /// The form pre-filled from a stored resident (for editing).
    pub fn from_resident(r: &balai_domain::Resident) -> Self {
        Self {
            nik: r.number.nik().map(|n| n.to_string()).unwrap_or_default(),
            nama: r.name.to_string(),
            sex: r.sex.code().to_string(),
            tempat_lahir: r.birth_place.clone(),
            tanggal_lahir: r.birth_date.to_string(),
            agama: r.religion.code().to_string(),
            pendidikan: r.education.code().to_string(),
            pekerjaan: r.occupation.code().to_string(),
            status_kawin: r.marital_status.code().to_string(),
            hubungan: r.relationship.code().to_string(),
            warganegara: r.citizenship.code().to_string(),
            golongan_darah: r.blood_type.code().to_string(),
            cacat: r
                .disability
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            nik_ayah: r.father_nik.map(|n| n.to_string()).unwrap_or_default(),
            nama_ayah: r.father_name.clone(),
            nik_ibu: r.mother_nik.map(|n| n.to_string()).unwrap_or_default(),
            nama_ibu: r.mother_name.clone(),
        }
    }
}

impl ResidentFields {
    /// Writes the parsed fields onto a resident record (keeping id, village,
    /// family, number, status and details, which other rules own).
    pub fn apply_to(&self, r: &mut balai_domain::Resident) {
        if let Some(n) = self.nik {
            r.number = ResidentNumber::Nik(n);
        }
        r.name = self.name.clone();
        r.sex = self.sex;
        r.birth_place = self.birth_place.clone();
        r.birth_date = self.birth_date;
        r.religion = self.religion;
        r.education = self.education;
        r.occupation = self.occupation;
        r.marital_status = self.marital_status;
        r.relationship = self.relationship;
        r.citizenship = self.citizenship;
        r.blood_type = self.blood_type;
        r.disability = self.disability;
        r.father_nik = self.father_nik;
        r.father_name = self.father_name.clone();
        r.mother_nik = self.mother_nik;
        r.mother_name = self.mother_name.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn good() -> ResidentForm {
        ResidentForm {
            nik: "3310015708890003".into(),
            nama: "sri wahyuni".into(),
            sex: "2".into(),
            tempat_lahir: "klaten".into(),
            tanggal_lahir: "1989-08-17".into(),
            agama: "1".into(),
            pendidikan: "5".into(),
            pekerjaan: "88".into(),
            status_kawin: "2".into(),
            hubungan: "1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_parses() {
        let f = good().parse(date!(2026 - 11 - 22)).unwrap();
        assert_eq!(f.name.as_str(), "sri wahyuni");
        assert_eq!(f.birth_place, "KLATEN");
        assert_eq!(f.citizenship, Warganegara::Wni);
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let form = ResidentForm {
            nik: "12345".into(),
            nama: " ".into(),
            tanggal_lahir: "2030-01-01".into(),
            agama: "99".into(),
            sex: String::new(),
            ..good()
        };
        let e = form.parse(date!(2026 - 11 - 22)).unwrap_err();
        assert_eq!(
            e.0.keys().map(String::as_str).collect::<Vec<_>>(),
            ["agama", "nama", "nik", "sex", "tanggal_lahir"]
        );
        assert!(
            e.0["nik"].starts_with("NIK tidak valid: harus 16 angka"),
            "{}",
            e.0["nik"]
        );
        assert_eq!(
            e.0["tanggal_lahir"],
            "tanggal lahir tidak boleh di masa depan"
        );
    }

    #[test]
    fn dates_in_both_orders() {
        assert_eq!(parse_date("17-08-1989"), Ok(date!(1989 - 08 - 17)));
        assert_eq!(parse_date("1989/8/17"), Ok(date!(1989 - 08 - 17)));
        assert!(parse_date("31-02-1989").unwrap_err().contains("kalender"));
        assert!(parse_date("kemarin").is_err());
    }
}
