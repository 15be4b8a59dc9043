//! The rest of what a KK record and the OpenSID workbook hold about a person:
//! documents, e-KTP progress, health insurance, and so on. Rarely filtered on,
//! so kept together (and stored together).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::codes::{Asuransi, CaraKb, Hamil, KtpEl, PendidikanSedang, StatusRekam};

/// Secondary facts about a resident. Empty strings and `None` mean "not recorded".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResidentDetails {
    /// Education currently followed (pendidikan_sedang_id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_education: Option<PendidikanSedang>,
    /// Birth certificate number (akta_lahir).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub birth_certificate: String,
    /// Passport number (dokumen_pasport).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub passport: String,
    /// Passport expiry (tanggal_akhir_paspor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passport_expiry: Option<Date>,
    /// KITAS/KITAP number for foreign residents (dokumen_kitas).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kitas: String,
    /// Marriage certificate (akta_perkawinan).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub marriage_certificate: String,
    /// Marriage date (tanggalperkawinan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marriage_date: Option<Date>,
    /// Divorce certificate (akta_perceraian).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub divorce_certificate: String,
    /// Divorce date (tanggalperceraian).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divorce_date: Option<Date>,
    /// Contraception method (cara_kb_id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contraception: Option<CaraKb>,
    /// Pregnancy (hamil).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pregnant: Option<Hamil>,
    /// Holds an e-KTP (ktp_el).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ktp_el: Option<KtpEl>,
    /// e-KTP recording progress (status_rekam).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ktp_recording: Option<StatusRekam>,
    /// Where the person actually lives, if not at the KK address (alamat_sekarang).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub current_address: String,
    /// Ethnic group (suku).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ethnicity: String,
    /// RFID tag of an ID card (tag_id_card).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id_card_tag: String,
    /// Health insurance (id_asuransi).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Asuransi>,
    /// Insurance card number (no_asuransi).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub insurance_number: String,
    /// Latitude of the home, as recorded (lat).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub latitude: String,
    /// Longitude of the home, as recorded (lng).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub longitude: String,
}

impl ResidentDetails {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_details_serialize_to_an_empty_object() {
        assert_eq!(
            serde_json::to_string(&ResidentDetails::default()).unwrap(),
            "{}"
        );
        let d = ResidentDetails {
            ethnicity: "JAWA".into(),
            pregnant: Some(Hamil::TidakHamil),
            ..Default::default()
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, r#"{"pregnant":2,"ethnicity":"JAWA"}"#);
        assert_eq!(serde_json::from_str::<ResidentDetails>(&json).unwrap(), d);
    }
}
