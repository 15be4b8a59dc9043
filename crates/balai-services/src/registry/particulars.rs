//! The particulars of a life event as typed on the forms (F-2.01 births and
//! deaths, F-1.03 moves), parsed into the domain's
//! [`balai_domain::particulars`] values at the edge, and the checks that need
//! the registry (a region code that is a region, a NIK that is a resident).
//!
//! Messages are keys of the web's catalogue (`err-…` in
//! `balai-web/locales/*.ftl`), never sentences: the page shows them in the
//! reader's language.

use balai_domain::codes::{
    AlasanPindah, PenerangKematian, PenolongKelahiran, SebabKematian, TempatDilahirkan,
};
use balai_domain::life_event::EventDateError;
use balai_domain::particulars::{
    BirthLength, BirthOrder, BirthWeight, EventTime, MoveInParticulars, MoveOutParticulars,
    NamedPerson, ParticularError, PlaceText,
};
use balai_domain::{CodeList, KodeWilayah, Nik, PersonName, RegionLevel, ResidentNumber};
use serde::{Deserialize, Serialize};

use super::field_errors::FieldErrors;
use crate::db::Db;
use crate::error::ServiceError;
use crate::staff::VillageAccess;

/// Every message key the registry's event forms give (each must be in the
/// web's catalogue, in both languages: a test there checks it).
pub const MESSAGE_KEYS: &[&str] = &[
    "err-time",
    "err-time-future",
    "err-not-a-number",
    "err-birth-weight",
    "err-birth-length",
    "err-birth-order",
    "err-text-too-long",
    "err-unknown-choice",
    "err-nik",
    "err-name",
    "err-name-required",
    "err-destination-code",
    "err-destination-level",
    "err-destination-unknown",
    "err-origin-code",
    "err-origin-level",
    "err-origin-unknown",
    "err-date-future",
    "err-date-before-birth",
    "err-birth-not-on-birth-date",
    "err-transition",
    "err-new-head-required",
    "err-new-head-not-member",
    "err-mover-not-member",
    "err-family-heads",
];

/// The catalogue key of a particular's parse error.
pub fn particular_message(e: ParticularError) -> &'static str {
    match e {
        ParticularError::Time => "err-time",
        ParticularError::NotANumber => "err-not-a-number",
        ParticularError::Weight => "err-birth-weight",
        ParticularError::Length => "err-birth-length",
        ParticularError::Order => "err-birth-order",
        ParticularError::TooLong => "err-text-too-long",
    }
}

/// The catalogue key of an event date's error.
pub fn date_message(e: EventDateError) -> &'static str {
    match e {
        EventDateError::Future => "err-date-future",
        EventDateError::BeforeBirth => "err-date-before-birth",
        EventDateError::BirthNotOnBirthDate => "err-birth-not-on-birth-date",
    }
}

fn opt<T>(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, ParticularError>,
) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    match parse(input) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.add(field, particular_message(e));
            None
        }
    }
}

fn opt_text(errors: &mut FieldErrors, field: &str, input: &str) -> Option<PlaceText> {
    match PlaceText::parse(input) {
        Ok(v) => v,
        Err(e) => {
            errors.add(field, particular_message(e));
            None
        }
    }
}

fn opt_code<T: CodeList>(errors: &mut FieldErrors, field: &str, input: &str) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    match T::parse(input) {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add(field, "err-unknown-choice");
            None
        }
    }
}

fn opt_nik(errors: &mut FieldErrors, field: &str, input: &str) -> Option<Nik> {
    if input.trim().is_empty() {
        return None;
    }
    match Nik::parse(input) {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, "err-nik");
            None
        }
    }
}

/// The message key for a region field's problem, naming the field (the
/// destination of a move out, the origin of a move in).
fn region_message(field: &str, problem: &str) -> &'static str {
    match (field, problem) {
        ("kode_asal", "code") => "err-origin-code",
        ("kode_asal", "level") => "err-origin-level",
        ("kode_asal", _) => "err-origin-unknown",
        (_, "code") => "err-destination-code",
        (_, "level") => "err-destination-level",
        _ => "err-destination-unknown",
    }
}

/// A region code typed on a move's form: a village or a district of the
/// Kemendagri list (whether it is in the list is checked by [`check_region`]).
fn opt_region(errors: &mut FieldErrors, field: &str, input: &str) -> Option<KodeWilayah> {
    if input.trim().is_empty() {
        return None;
    }
    match KodeWilayah::parse(input) {
        Ok(k) if matches!(k.level(), RegionLevel::Village | RegionLevel::District) => Some(k),
        Ok(_) => {
            errors.add(field, region_message(field, "level"));
            None
        }
        Err(_) => {
            errors.add(field, region_message(field, "code"));
            None
        }
    }
}

/// A person named on a form (reporter, witness): NIK and name as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    /// NIK, when typed.
    pub nik: Option<Nik>,
    /// Name, when typed (taken from the registry for a resident's NIK).
    pub name: Option<PersonName>,
}

fn person(errors: &mut FieldErrors, field: &str, nik: &str, name: &str) -> Option<PersonRef> {
    let nik = opt_nik(errors, &format!("{field}_nik"), nik);
    let name = if name.trim().is_empty() {
        None
    } else {
        match PersonName::parse(name) {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(&format!("{field}_nama"), "err-name");
                None
            }
        }
    };
    (nik.is_some() || name.is_some()).then_some(PersonRef { nik, name })
}

/// Resolves a person: a NIK of this village's registry links them (and
/// gives their name when none was typed); anyone else needs a name.
async fn resolve_person(
    db: &Db,
    access: &VillageAccess,
    errors: &mut FieldErrors,
    field: &str,
    p: &PersonRef,
) -> Result<Option<NamedPerson>, ServiceError> {
    let resident = match p.nik {
        Some(n) => {
            db.store()
                .resident_by_number(access.village(), &ResidentNumber::Nik(n))
                .await?
        }
        None => None,
    };
    let name = p
        .name
        .clone()
        .or_else(|| resident.as_ref().map(|r| r.name.clone()));
    let Some(name) = name else {
        errors.add(&format!("{field}_nama"), "err-name-required");
        return Ok(None);
    };
    Ok(Some(NamedPerson {
        nik: p.nik,
        name,
        resident_id: resident.map(|r| r.id),
    }))
}

/// Refuses a code that is not in the region list (the message names the field).
pub async fn check_region(
    db: &Db,
    errors: &mut FieldErrors,
    field: &str,
    code: Option<KodeWilayah>,
) -> Result<(), ServiceError> {
    if let Some(k) = code
        && db.store().region_name(k).await?.is_none()
    {
        errors.add(field, region_message(field, "unknown"));
    }
    Ok(())
}

/// A region written out for people: `DESA X, KECAMATAN Y, KABUPATEN Z,
/// JAWA TENGAH` from the stored names, or the dotted code when unknown.
pub async fn region_label(db: &Db, code: KodeWilayah) -> Result<String, ServiceError> {
    let store = db.store();
    let mut parts = Vec::new();
    let mut k = Some(code);
    while let Some(c) = k {
        if let Some(name) = store.region_name(c).await? {
            let prefix = match c.level() {
                RegionLevel::Village => match c.village_kind() {
                    Some(balai_domain::kode_wilayah::VillageKind::Kelurahan) => "KELURAHAN ",
                    _ => "DESA ",
                },
                RegionLevel::District => "KECAMATAN ",
                RegionLevel::Regency | RegionLevel::Province => "",
            };
            parts.push(format!("{prefix}{}", name.to_uppercase()));
        }
        k = c.parent();
    }
    Ok(if parts.is_empty() {
        code.dotted()
    } else {
        parts.join(", ")
    })
}

/// The birth particulars' fields of the birth form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BirthParticularsForm {
    /// Time of birth, `HH:MM`.
    pub jam_lahir: String,
    /// Kind of place (code).
    pub tempat_dilahirkan: String,
    /// Name of the place.
    pub nama_tempat_lahir: String,
    /// Birth attendant (code).
    pub penolong: String,
    /// Weight in grams.
    pub berat: String,
    /// Length in cm.
    pub panjang: String,
    /// Order of birth.
    pub anak_ke: String,
}

/// The birth particulars as typed, checked (parents are linked by the use case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BirthDraft {
    /// Time of birth.
    pub time: Option<EventTime>,
    /// Kind of place.
    pub place_kind: Option<TempatDilahirkan>,
    /// Name of the place.
    pub place_name: Option<PlaceText>,
    /// Who helped.
    pub attendant: Option<PenolongKelahiran>,
    /// Weight.
    pub weight: Option<BirthWeight>,
    /// Length.
    pub length: Option<BirthLength>,
    /// Order.
    pub order: Option<BirthOrder>,
}

impl BirthParticularsForm {
    /// Parses the fields, adding each problem to `errors`.
    pub fn parse(&self, errors: &mut FieldErrors) -> BirthDraft {
        BirthDraft {
            time: opt(errors, "jam_lahir", &self.jam_lahir, EventTime::parse),
            place_kind: opt_code(errors, "tempat_dilahirkan", &self.tempat_dilahirkan),
            place_name: opt_text(errors, "nama_tempat_lahir", &self.nama_tempat_lahir),
            attendant: opt_code(errors, "penolong", &self.penolong),
            weight: opt(errors, "berat", &self.berat, BirthWeight::parse),
            length: opt(errors, "panjang", &self.panjang, BirthLength::parse),
            order: opt(errors, "anak_ke", &self.anak_ke, BirthOrder::parse),
        }
    }
}

/// The death and move-out particulars' fields of the departure form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DepartureParticularsForm {
    /// Time of death, `HH:MM`.
    pub jam: String,
    /// Place of death.
    pub tempat: String,
    /// Cause category (code).
    pub sebab: String,
    /// Who determined the death (code).
    pub penerang: String,
    /// Reporter's NIK.
    pub pelapor_nik: String,
    /// Reporter's name.
    pub pelapor_nama: String,
    /// First witness's NIK.
    pub saksi1_nik: String,
    /// First witness's name.
    pub saksi1_nama: String,
    /// Second witness's NIK.
    pub saksi2_nik: String,
    /// Second witness's name.
    pub saksi2_nama: String,
    /// Destination address.
    pub alamat_tujuan: String,
    /// Destination region code.
    pub kode_tujuan: String,
    /// Reason for moving (code).
    pub alasan: String,
    /// Family members moving together (ids; repeated field, filled by the edge).
    #[serde(skip)]
    pub ikut: Vec<String>,
}

/// A death's particulars as typed, checked (people are resolved by the use case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeathDraft {
    /// Time of death.
    pub time: Option<EventTime>,
    /// Where.
    pub place: Option<PlaceText>,
    /// Cause.
    pub cause: Option<SebabKematian>,
    /// Who determined it.
    pub determined_by: Option<PenerangKematian>,
    /// Reporter.
    pub reporter: Option<PersonRef>,
    /// Witnesses.
    pub witnesses: Vec<(&'static str, PersonRef)>,
}

/// A move out's particulars as typed, checked (the region's existence and
/// the movers' membership are the use case's checks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveOutDraft {
    /// Destination address.
    pub address: Option<PlaceText>,
    /// Destination region.
    pub destination: Option<KodeWilayah>,
    /// Why.
    pub reason: Option<AlasanPindah>,
    /// Members moving together.
    pub movers: Vec<uuid::Uuid>,
}

impl DepartureParticularsForm {
    /// The death particulars, adding each problem to `errors`.
    pub fn death(&self, errors: &mut FieldErrors) -> DeathDraft {
        let mut witnesses = Vec::new();
        for (field, nik, name) in [
            ("saksi1", &self.saksi1_nik, &self.saksi1_nama),
            ("saksi2", &self.saksi2_nik, &self.saksi2_nama),
        ] {
            if let Some(p) = person(errors, field, nik, name) {
                witnesses.push((field, p));
            }
        }
        DeathDraft {
            time: opt(errors, "jam", &self.jam, EventTime::parse),
            place: opt_text(errors, "tempat", &self.tempat),
            cause: opt_code(errors, "sebab", &self.sebab),
            determined_by: opt_code(errors, "penerang", &self.penerang),
            reporter: person(errors, "pelapor", &self.pelapor_nik, &self.pelapor_nama),
            witnesses,
        }
    }

    /// The move-out particulars, adding each problem to `errors`.
    pub fn move_out(&self, errors: &mut FieldErrors) -> MoveOutDraft {
        let mut movers = Vec::new();
        for s in &self.ikut {
            match uuid::Uuid::parse_str(s.trim()) {
                Ok(id) if !movers.contains(&id) => movers.push(id),
                Ok(_) => {}
                Err(_) => errors.add("ikut", "err-unknown-choice"),
            }
        }
        MoveOutDraft {
            address: opt_text(errors, "alamat_tujuan", &self.alamat_tujuan),
            destination: opt_region(errors, "kode_tujuan", &self.kode_tujuan),
            reason: opt_code(errors, "alasan", &self.alasan),
            movers,
        }
    }
}

impl DeathDraft {
    /// The stored particulars: people resolved against the registry.
    pub async fn resolve(
        &self,
        db: &Db,
        access: &VillageAccess,
        errors: &mut FieldErrors,
    ) -> Result<balai_domain::particulars::DeathParticulars, ServiceError> {
        let reporter = match &self.reporter {
            Some(p) => resolve_person(db, access, errors, "pelapor", p).await?,
            None => None,
        };
        let mut witnesses = Vec::new();
        for (field, p) in &self.witnesses {
            if let Some(w) = resolve_person(db, access, errors, field, p).await? {
                witnesses.push(w);
            }
        }
        Ok(balai_domain::particulars::DeathParticulars {
            time: self.time,
            place: self.place.clone(),
            cause: self.cause,
            determined_by: self.determined_by,
            reporter,
            witnesses,
        })
    }
}

impl MoveOutDraft {
    /// The stored particulars for one mover (`movers`: the others).
    pub fn particulars(&self, movers: Vec<uuid::Uuid>) -> MoveOutParticulars {
        MoveOutParticulars {
            address: self.address.clone(),
            destination: self.destination,
            reason: self.reason,
            movers,
        }
    }
}

/// The origin fields of the move-in form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveInParticularsForm {
    /// Origin address.
    pub alamat_asal: String,
    /// Origin region code.
    pub kode_asal: String,
    /// Reason for moving (code).
    pub alasan_pindah: String,
}

impl MoveInParticularsForm {
    /// The origin, adding each problem to `errors` (whether the code is a
    /// region is the use case's check).
    pub fn parse(&self, errors: &mut FieldErrors) -> MoveInParticulars {
        MoveInParticulars {
            address: opt_text(errors, "alamat_asal", &self.alamat_asal),
            origin: opt_region(errors, "kode_asal", &self.kode_asal),
            reason: opt_code(errors, "alasan_pindah", &self.alasan_pindah),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_particulars_name_their_fields_with_catalogue_keys() {
        let mut e = FieldErrors::default();
        let b = BirthParticularsForm {
            jam_lahir: "25:00".into(),
            berat: "8000".into(),
            panjang: "10".into(),
            anak_ke: "x".into(),
            penolong: "9".into(),
            ..Default::default()
        }
        .parse(&mut e);
        assert_eq!(b, BirthDraft::default());
        assert_eq!(e.0["jam_lahir"], "err-time");
        assert_eq!(e.0["berat"], "err-birth-weight");
        assert_eq!(e.0["panjang"], "err-birth-length");
        assert_eq!(e.0["anak_ke"], "err-not-a-number");
        assert_eq!(e.0["penolong"], "err-unknown-choice");

        let mut e = FieldErrors::default();
        let form = DepartureParticularsForm {
            kode_tujuan: "33".into(),
            alamat_tujuan: "Jl. Mawar 5".into(),
            pelapor_nik: "123".into(),
            ikut: vec!["not-an-id".into()],
            ..Default::default()
        };
        let m = form.move_out(&mut e);
        assert_eq!(e.0["kode_tujuan"], "err-destination-level");
        assert_eq!(e.0["ikut"], "err-unknown-choice");
        assert_eq!(m.address.unwrap().as_str(), "JL. MAWAR 5");
        form.death(&mut e);
        assert_eq!(e.0["pelapor_nik"], "err-nik");
        let mut e = FieldErrors::default();
        DepartureParticularsForm {
            kode_tujuan: "33.10.01.20".into(),
            ..Default::default()
        }
        .move_out(&mut e);
        assert_eq!(e.0["kode_tujuan"], "err-destination-code");
    }

    #[test]
    fn good_particulars_parse() {
        let mut e = FieldErrors::default();
        let b = BirthParticularsForm {
            jam_lahir: "04:30".into(),
            tempat_dilahirkan: "2".into(),
            nama_tempat_lahir: "puskesmas prambanan".into(),
            penolong: "2".into(),
            berat: "3200".into(),
            panjang: "49".into(),
            anak_ke: "1".into(),
        }
        .parse(&mut e);
        assert!(e.is_empty(), "{e}");
        assert_eq!(b.weight.unwrap().get(), 3200);
        assert_eq!(b.attendant, Some(PenolongKelahiran::BidanPerawat));
        let mut e = FieldErrors::default();
        let m = DepartureParticularsForm {
            kode_tujuan: "33.11.01.2001".into(),
            alasan: "1".into(),
            ..Default::default()
        }
        .move_out(&mut e);
        assert!(e.is_empty(), "{e}");
        assert_eq!(m.reason, Some(AlasanPindah::Pekerjaan));
        assert_eq!(m.destination.unwrap().plain(), "3311012001");
    }
}
