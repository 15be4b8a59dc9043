//! Recording what happens to residents: births, deaths, moves, absences,
//! family splits, head changes and corrections. Each builds one
//! [`RegistryChange`] from the domain rules and applies it in one transaction.

use crate::db::Db;
use balai_domain::codes::{Peristiwa, Shdk, StatusDasar};
use balai_domain::family::{self, Family, Member};
use balai_domain::life_event::{LifeEvent, check_event_date, is_resident, next_status};
use balai_domain::particulars::{BirthParticulars, EventTime, MoveInParticulars, Particulars};
use balai_domain::time_zone::ZonaWaktu;
use balai_domain::{
    KodeWilayah, NoKk, NomorSementara, Resident, ResidentDetails, ResidentNumber, Wilayah,
};
use balai_store::{FamilyCard, RegistryChange, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use super::field_errors::FieldErrors;
use super::particulars::{
    BirthDraft, BirthParticularsForm, DeathDraft, DepartureParticularsForm, MoveInParticularsForm,
    MoveOutDraft, check_region, date_message,
};
use super::resident_form::{ResidentFields, ResidentForm, parse_date};
use super::today;
use crate::clock::Clock;
use crate::error::ServiceError;
use crate::staff::VillageAccess;

fn form_error(field: &str, message: impl Into<String>) -> ServiceError {
    let mut e = FieldErrors::default();
    e.add(field, message);
    ServiceError::Form(e)
}

/// A UUIDv7 for a new row, stamped with the clock's time.
pub fn new_row_id(clock: &dyn Clock) -> Uuid {
    new_id(clock)
}

fn new_id(clock: &dyn Clock) -> Uuid {
    let ms = (clock.now().unix_timestamp_nanos() / 1_000_000) as u64;
    let mut rand = [0u8; 10];
    getrandom::fill(&mut rand).expect("the operating system's random source is available");
    uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid()
}

fn members(card: &FamilyCard) -> Vec<Member> {
    card.members
        .iter()
        .map(|m| Member {
            resident_id: m.id,
            relationship: m.relationship,
            status: m.status,
        })
        .collect()
}

fn rule(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Invalid(e.to_string())
}

/// Applies a change in one transaction, turning conflicts into messages for the form.
async fn apply(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    change: &RegistryChange,
) -> Result<(), ServiceError> {
    let store = db.store();
    store
        .apply_registry_change(&access.context(clock), access.village(), change)
        .await
        .map_err(|e| conflict(e.into()))
}

async fn family_of(db: &Db, access: &VillageAccess, id: Uuid) -> Result<FamilyCard, ServiceError> {
    let store = db.store();
    store
        .family_card(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A living member of a departing head's family who may succeed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heir {
    /// The member.
    pub id: Uuid,
    /// Their name, as the form shows it.
    pub name: String,
    /// Their relationship to the departing head.
    pub relationship: Shdk,
}

/// Who may succeed `departing` as head of the family: the other living
/// members, when `departing` heads a family. Showing them is a view of their
/// data, so each one shown is logged (UU 27/2022); nobody else is read.
pub async fn heirs(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    departing: &Resident,
) -> Result<Vec<Heir>, ServiceError> {
    let store = db.store();
    let (Some(fid), Shdk::KepalaKeluarga) = (departing.family_id, departing.relationship) else {
        return Ok(Vec::new());
    };
    let card = family_of(db, access, fid).await?;
    let heirs: Vec<Heir> = card
        .members
        .into_iter()
        .filter(|m| m.id != departing.id && m.status == StatusDasar::Hidup)
        .map(|m| Heir {
            id: m.id,
            name: m.name.as_str().to_owned(),
            relationship: m.relationship,
        })
        .collect();
    let ctx = access.context(clock);
    for h in &heirs {
        store
            .log_access(&ctx, access.village(), h.id, "calon kepala keluarga")
            .await?;
    }
    Ok(heirs)
}

/// The other current members of `resident`'s family, who may move out
/// with them. Showing them is a view of their data, so each is logged.
pub async fn housemates(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident: &Resident,
) -> Result<Vec<Heir>, ServiceError> {
    let Some(fid) = resident.family_id else {
        return Ok(Vec::new());
    };
    let card = family_of(db, access, fid).await?;
    let mates: Vec<Heir> = card
        .members
        .into_iter()
        .filter(|m| m.id != resident.id && is_resident(m.status))
        .map(|m| Heir {
            id: m.id,
            name: m.name.as_str().to_owned(),
            relationship: m.relationship,
        })
        .collect();
    let ctx = access.context(clock);
    for m in &mates {
        db.store()
            .log_access(&ctx, access.village(), m.id, "anggota yang ikut pindah")
            .await?;
    }
    Ok(mates)
}

fn conflict(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Store(StoreError::Conflict(m)) => ServiceError::Invalid(m),
        other => other,
    }
}

/// A person leaving the household or the village's count: death, moving
/// away, going missing or leaving for a while.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DepartureForm {
    /// `2` mati, `3` pindah keluar, `4` hilang, `6` pergi.
    pub peristiwa: String,
    /// When it happened.
    pub tanggal: String,
    /// The new head, when the head dies or moves away and others remain.
    pub kepala_baru: String,
    /// The particulars of a death or a move out (F-2.01, F-1.03).
    #[serde(flatten)]
    pub particulars: DepartureParticularsForm,
}

/// A departure, checked: what happened (one of the four departures), when,
/// and the successor named for a departing head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    /// Mati, pindah keluar, hilang or pergi.
    pub kind: Peristiwa,
    /// When it happened.
    pub date: time::Date,
    /// The new head, when the head dies or moves away and others remain.
    pub new_head: Option<Uuid>,
    /// A death's particulars (only for a death).
    pub death: Option<DeathDraft>,
    /// A move out's particulars (only for a move out).
    pub move_out: Option<MoveOutDraft>,
}

impl TryFrom<&DepartureForm> for Departure {
    type Error = FieldErrors;
    /// Every malformed field at once; whether the date fits the resident
    /// (not before their birth, not in the future) is the use case's check.
    fn try_from(form: &DepartureForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = match Peristiwa::parse(form.peristiwa.trim()) {
            Ok(
                k @ (Peristiwa::Mati
                | Peristiwa::PindahKeluar
                | Peristiwa::Hilang
                | Peristiwa::Pergi),
            ) => Some(k),
            _ => {
                e.add("peristiwa", "pilih mati, pindah keluar, hilang atau pergi");
                None
            }
        };
        let date = e.check("tanggal", parse_date(&form.tanggal));
        // Only the particulars of the chosen kind are read; the others'
        // fields may hold what was typed before the kind was changed.
        let death = (kind == Some(Peristiwa::Mati)).then(|| form.particulars.death(&mut e));
        let move_out =
            (kind == Some(Peristiwa::PindahKeluar)).then(|| form.particulars.move_out(&mut e));
        let new_head = match form.kepala_baru.trim() {
            "" => Some(None),
            s => match Uuid::parse_str(s) {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    e.add("kepala_baru", "pilihan tidak dikenal");
                    None
                }
            },
        };
        match (kind, date, new_head) {
            (Some(kind), Some(date), Some(new_head)) if e.is_empty() => Ok(Self {
                kind,
                date,
                new_head,
                death,
                move_out,
            }),
            _ => Err(e),
        }
    }
}

/// Refuses a time later than now on an event dated today, both read on
/// the clocks of the village `place` (the time on a birth or death form is
/// the village's wall-clock time).
fn check_time(
    errors: &mut FieldErrors,
    field: &str,
    date: time::Date,
    at: Option<EventTime>,
    clock: &dyn Clock,
    place: KodeWilayah,
) {
    let now = ZonaWaktu::of(place).local(clock.now());
    if let Some(t) = at
        && date == now.date()
        && t.time() > now.time()
    {
        errors.add(field, "err-time-future");
    }
}

fn family_rule(e: family::FamilyRuleError) -> ServiceError {
    let key = match e {
        family::FamilyRuleError::NewHeadRequired => "err-new-head-required",
        family::FamilyRuleError::NewHeadNotAMember => "err-new-head-not-member",
        family::FamilyRuleError::NotAMember => "err-mover-not-member",
        family::FamilyRuleError::NoHead | family::FamilyRuleError::SeveralHeads(_) => {
            "err-family-heads"
        }
    };
    form_error("kepala_baru", key)
}

/// Records a departure of `resident_id`; a departing head needs a successor.
/// A move out may take family members along (`move_out.movers`): each gets
/// their own move-out event with the same particulars, in the same change.
pub async fn record_departure(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident_id: Uuid,
    departure: &Departure,
) -> Result<(), ServiceError> {
    let store = db.store();
    access.require_write()?;
    let Departure {
        kind,
        date,
        new_head,
        ..
    } = *departure;
    let r = store
        .resident(access.village(), resident_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    check_event_date(kind, date, r.birth_date, today(clock, access.village()))
        .map_err(|e| form_error("tanggal", date_message(e)))?;
    let status =
        next_status(Some(r.status), kind).map_err(|_| form_error("peristiwa", "err-transition"))?;
    let mut errors = FieldErrors::default();
    let card = match r.family_id {
        Some(fid) => Some(family_of(db, access, fid).await?),
        None => None,
    };
    // Who leaves: the resident, and for a move out the members moving along.
    let mut leaving = vec![r.clone()];
    if let Some(m) = &departure.move_out {
        for id in &m.movers {
            let member = card.as_ref().and_then(|c| {
                c.members
                    .iter()
                    .find(|x| x.id == *id && x.id != r.id && is_resident(x.status))
            });
            match member {
                Some(x) => leaving.push(x.clone()),
                None => errors.add("ikut", "err-mover-not-member"),
            }
        }
        check_region(db, &mut errors, "kode_tujuan", m.destination).await?;
    }
    let particulars = match (&departure.death, &departure.move_out) {
        (Some(d), _) => {
            check_time(&mut errors, "jam", date, d.time, clock, access.village());
            Some(Particulars::Death(
                d.resolve(db, access, &mut errors).await?,
            ))
        }
        (None, Some(_)) => None, // per mover, below
        (None, None) => None,
    };
    if !errors.is_empty() {
        return Err(ServiceError::Form(errors));
    }
    let mut change = RegistryChange {
        reason: kind.label().to_lowercase(),
        ..Default::default()
    };
    // Only leaving for good (death, moving away) ends membership of the household.
    if let (Some(card), false) = (&card, is_resident(status)) {
        // The family as it will be once the others moving along are gone;
        // the head's departure (whoever in the group is head) needs a
        // successor among those who stay.
        let group: Vec<Uuid> = leaving.iter().map(|x| x.id).collect();
        let head_leaving = leaving
            .iter()
            .find(|x| x.relationship == Shdk::KepalaKeluarga)
            .map_or(r.id, |x| x.id);
        let staying: Vec<Member> = members(card)
            .into_iter()
            .filter(|m| m.resident_id == head_leaving || !group.contains(&m.resident_id))
            .collect();
        let swaps = family::departure(&staying, head_leaving, new_head).map_err(family_rule)?;
        for (id, rel) in swaps {
            let before = card
                .members
                .iter()
                .find(|m| m.id == id)
                .expect("departure names members")
                .clone();
            let mut changed = before.clone();
            changed.relationship = rel;
            change.changed_residents.push((before, changed));
        }
    }
    let group: Vec<Uuid> = leaving.iter().map(|x| x.id).collect();
    for (i, who) in leaving.into_iter().enumerate() {
        let after_status = if i == 0 {
            status
        } else {
            next_status(Some(who.status), kind)
                .map_err(|_| form_error("ikut", "err-mover-not-member"))?
        };
        let particulars = match &departure.move_out {
            Some(m) => Particulars::MoveOut(
                m.particulars(group.iter().copied().filter(|g| *g != who.id).collect()),
            )
            .non_empty(),
            None => particulars.clone().and_then(Particulars::non_empty),
        };
        change.events.push(LifeEvent {
            id: new_id(clock),
            resident_id: who.id,
            kind,
            occurred_on: date,
            particulars,
        });
        let mut after = who.clone();
        after.status = after_status;
        change.changed_residents.insert(i, (who, after));
    }
    apply(db, clock, access, &change).await
}

/// A birth: the child joins an existing family.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BirthForm {
    /// The child's data (NIK may be empty: a temporary number is issued).
    #[serde(flatten)]
    pub child: ResidentForm,
    /// The mother, if she is a resident (fills her name and NIK).
    pub ibu_id: String,
    /// The father, if he is a resident.
    pub ayah_id: String,
    /// The birth's particulars (F-2.01).
    #[serde(flatten)]
    pub particulars: BirthParticularsForm,
}

async fn number_for(
    db: &Db,
    access: &VillageAccess,
    fields: &ResidentFields,
) -> Result<ResidentNumber, ServiceError> {
    let store = db.store();
    Ok(match fields.nik {
        Some(n) => ResidentNumber::Nik(n),
        None => {
            let seq = store.next_temporary_seq(access.village()).await?;
            ResidentNumber::Sementara(
                NomorSementara::new(access.village(), seq)
                    .ok_or_else(|| rule("nomor sementara desa ini sudah habis"))?,
            )
        }
    })
}

fn new_resident(
    id: Uuid,
    access: &VillageAccess,
    family_id: Uuid,
    number: ResidentNumber,
    f: &ResidentFields,
) -> Resident {
    let mut r = Resident {
        id,
        village: access.village(),
        family_id: Some(family_id),
        number,
        name: f.name.clone(),
        sex: f.sex,
        birth_place: String::new(),
        birth_date: f.birth_date,
        religion: f.religion,
        education: f.education,
        occupation: f.occupation,
        marital_status: f.marital_status,
        relationship: f.relationship,
        citizenship: f.citizenship,
        blood_type: f.blood_type,
        disability: None,
        father_nik: None,
        father_name: String::new(),
        mother_nik: None,
        mother_name: String::new(),
        status: StatusDasar::Hidup,
        details: ResidentDetails::default(),
    };
    f.apply_to(&mut r);
    r
}

fn check_joins(card: &FamilyCard, relationship: Shdk) -> Result<(), ServiceError> {
    let has_current = card.members.iter().any(|m| is_resident(m.status));
    if relationship == Shdk::KepalaKeluarga && has_current {
        return Err(form_error(
            "hubungan",
            "keluarga ini sudah punya kepala keluarga; ganti kepala keluarga lewat menu keluarga",
        ));
    }
    if relationship != Shdk::KepalaKeluarga && !has_current {
        return Err(form_error(
            "hubungan",
            "keluarga ini tidak punya anggota aktif: orang pertama harus kepala keluarga",
        ));
    }
    Ok(())
}

/// A birth, checked: the child's data and the parents chosen from the
/// family (whether they are its members is the use case's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Birth {
    /// The child.
    pub child: ResidentFields,
    /// The mother, if she is a member of the family.
    pub mother: Option<Uuid>,
    /// The father, if he is a member of the family.
    pub father: Option<Uuid>,
    /// Time, place, attendant, weight, length and order of birth.
    pub particulars: BirthDraft,
}

impl Birth {
    /// Reads the birth form; every problem at once. `today` bounds the
    /// birth date.
    pub fn parse(form: &BirthForm, today: time::Date) -> Result<Self, FieldErrors> {
        let child = form.child.parse(today);
        let mut errors = match &child {
            Ok(_) => FieldErrors::default(),
            Err(e) => e.clone(),
        };
        let mut parent = |field: &str, id: &str| match id.trim() {
            "" => None,
            s => Uuid::parse_str(s)
                .map_err(|_| errors.add(field, "pilih anggota keluarga ini"))
                .ok(),
        };
        let mother = parent("ibu_id", &form.ibu_id);
        let father = parent("ayah_id", &form.ayah_id);
        let particulars = form.particulars.parse(&mut errors);
        match child {
            Ok(child) if errors.is_empty() => Ok(Self {
                child,
                mother,
                father,
                particulars,
            }),
            _ => Err(errors),
        }
    }
}

/// Records a birth into family `family_id`; returns the child's id.
pub async fn record_birth(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    family_id: Uuid,
    birth: &Birth,
) -> Result<Uuid, ServiceError> {
    access.require_write()?;
    let card = family_of(db, access, family_id).await?;
    let mut fields = birth.child.clone();
    check_joins(&card, fields.relationship)?;
    let mut linked = [None, None];
    for (i, field, id, mother) in [
        (0, "ibu_id", birth.mother, true),
        (1, "ayah_id", birth.father, false),
    ] {
        let Some(id) = id else {
            continue;
        };
        let parent = card
            .members
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| form_error(field, "pilih anggota keluarga ini"))?;
        linked[i] = Some(parent.id);
        if mother {
            fields.mother_name = parent.name.to_string();
            fields.mother_nik = parent.number.nik();
        } else {
            fields.father_name = parent.name.to_string();
            fields.father_nik = parent.number.nik();
        }
    }
    // A parent outside the family card is linked by NIK when they are one
    // of the village's residents (their name filled from the registry).
    let store = db.store();
    for (i, nik) in [(0, fields.mother_nik), (1, fields.father_nik)] {
        let (None, Some(n)) = (linked[i], nik) else {
            continue;
        };
        if let Some(p) = store
            .resident_by_number(access.village(), &ResidentNumber::Nik(n))
            .await?
        {
            linked[i] = Some(p.id);
            let name = if i == 0 {
                &mut fields.mother_name
            } else {
                &mut fields.father_name
            };
            if name.is_empty() {
                *name = p.name.to_string();
            }
        }
    }
    let mut errors = FieldErrors::default();
    check_time(
        &mut errors,
        "jam_lahir",
        fields.birth_date,
        birth.particulars.time,
        clock,
        access.village(),
    );
    if !errors.is_empty() {
        return Err(ServiceError::Form(errors));
    }
    let b = &birth.particulars;
    let particulars = Particulars::Birth(BirthParticulars {
        time: b.time,
        place_kind: b.place_kind,
        place_name: b.place_name.clone(),
        attendant: b.attendant,
        weight: b.weight,
        length: b.length,
        order: b.order,
        mother: linked[0],
        father: linked[1],
    })
    .non_empty();
    let id = new_id(clock);
    let child = new_resident(
        id,
        access,
        family_id,
        number_for(db, access, &fields).await?,
        &fields,
    );
    let change = RegistryChange {
        reason: "kelahiran".into(),
        events: vec![LifeEvent {
            id: new_id(clock),
            resident_id: id,
            kind: Peristiwa::Lahir,
            occurred_on: fields.birth_date,
            particulars,
        }],
        new_residents: vec![(child, None)],
        ..Default::default()
    };
    apply(db, clock, access, &change).await?;
    Ok(id)
}

/// A family card to create (move-in of a new household, a family split).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewFamilyForm {
    /// Card number.
    pub no_kk: String,
    /// Street address.
    pub alamat: String,
    /// Dusun.
    pub dusun: String,
    /// RW.
    pub rw: String,
    /// RT.
    pub rt: String,
}

/// A new family card's own data, checked (its id and village are given
/// when it is created).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFamilyCard {
    /// Card number.
    pub no_kk: NoKk,
    /// Street address, upper case.
    pub address: String,
    /// Dusun, RW and RT.
    pub wilayah: Wilayah,
}

impl NewFamilyCard {
    fn family(&self, id: Uuid, access: &VillageAccess) -> Family {
        Family {
            id,
            village: access.village(),
            no_kk: self.no_kk,
            address: self.address.clone(),
            wilayah: self.wilayah.clone(),
        }
    }
}

impl NewFamilyForm {
    /// The card's data, or the fields' errors added to `errors`.
    fn card(&self, errors: &mut FieldErrors) -> Option<NewFamilyCard> {
        let no_kk = errors.check(
            "no_kk",
            NoKk::parse(&self.no_kk).map_err(|e| e.alasan("No. KK")),
        );
        let wilayah = match Wilayah::parse(&self.dusun, &self.rw, &self.rt) {
            Ok(w) => Some(w),
            Err(e) => {
                let field = match e {
                    balai_domain::wilayah::WilayahError::NotANumber { part: "RW", .. }
                    | balai_domain::wilayah::WilayahError::Empty("RW") => "rw",
                    balai_domain::wilayah::WilayahError::NotANumber { .. }
                    | balai_domain::wilayah::WilayahError::Empty("RT") => "rt",
                    _ => "dusun",
                };
                errors.add(
                    field,
                    "isi dusun, RW dan RT (angka, atau - jika tidak ada RW)",
                );
                None
            }
        };
        Some(NewFamilyCard {
            no_kk: no_kk?,
            address: self.alamat.trim().to_uppercase(),
            wilayah: wilayah?,
        })
    }
}

/// Someone moving into the village: into an existing family, or as the head of a new one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MoveInForm {
    /// The person's data.
    #[serde(flatten)]
    pub person: ResidentForm,
    /// Date of arrival.
    pub tanggal: String,
    /// Family to join (id), or empty to create `keluarga_baru`.
    pub keluarga_id: String,
    /// The new family, when not joining one.
    #[serde(flatten)]
    pub keluarga_baru: NewFamilyForm,
    /// Where they come from and why.
    #[serde(flatten)]
    pub asal: MoveInParticularsForm,
}

/// Where someone moving in goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joining {
    /// Into this existing family card.
    Family(Uuid),
    /// As the head of a new family card.
    NewFamily(NewFamilyCard),
}

/// A move-in, checked: the person, the day of arrival and their family.
#[derive(Debug, Clone)]
pub struct MoveIn {
    /// The person's data.
    pub person: ResidentFields,
    /// Date of arrival.
    pub date: time::Date,
    /// The family they join or found.
    pub joining: Joining,
    /// Origin address and region, and the reason (the region's existence
    /// is the use case's check).
    pub origin: MoveInParticulars,
}

impl MoveIn {
    /// Parses the move-in form (`today` bounds the dates), naming every bad field.
    pub fn parse(form: &MoveInForm, today: time::Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let person = match form.person.parse(today) {
            Ok(f) => Some(f),
            Err(e) => {
                errors = e;
                None
            }
        };
        let date = errors.check("tanggal", parse_date(&form.tanggal));
        let origin = form.asal.parse(&mut errors);
        let joining = match form.keluarga_id.trim() {
            "" => form.keluarga_baru.card(&mut errors).map(Joining::NewFamily),
            s => errors
                .check(
                    "keluarga_id",
                    Uuid::parse_str(s).map_err(|_| "pilihan tidak dikenal"),
                )
                .map(Joining::Family),
        };
        match (person, date, joining) {
            (Some(person), Some(date), Some(joining)) if errors.is_empty() => Ok(MoveIn {
                person,
                date,
                joining,
                origin,
            }),
            _ => Err(errors),
        }
    }
}

/// Records a move-in; a resident who had moved away, left or gone missing
/// comes back under their existing record. Returns the resident's id.
pub async fn record_move_in(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    cmd: &MoveIn,
) -> Result<Uuid, ServiceError> {
    let store = db.store();
    access.require_write()?;
    let today = today(clock, access.village());
    let (fields, date) = (&cmd.person, cmd.date);
    check_event_date(Peristiwa::PindahMasuk, date, fields.birth_date, today)
        .map_err(|e| form_error("tanggal", date_message(e)))?;
    let mut errors = FieldErrors::default();
    check_region(db, &mut errors, "kode_asal", cmd.origin.origin).await?;
    if !errors.is_empty() {
        return Err(ServiceError::Form(errors));
    }
    let (family_id, mut change) = match &cmd.joining {
        Joining::Family(fid) => {
            let fid = *fid;
            let card = family_of(db, access, fid).await?;
            check_joins(&card, fields.relationship)?;
            (fid, RegistryChange::default())
        }
        Joining::NewFamily(card) => {
            let f = card.family(new_id(clock), access);
            if fields.relationship != Shdk::KepalaKeluarga {
                return Err(form_error(
                    "hubungan",
                    "orang pertama dalam keluarga baru harus kepala keluarga",
                ));
            }
            (
                f.id,
                RegistryChange {
                    new_families: vec![f],
                    ..Default::default()
                },
            )
        }
    };
    change.reason = "pindah masuk".into();
    let returning = match fields.nik {
        Some(n) => {
            store
                .resident_by_number(access.village(), &ResidentNumber::Nik(n))
                .await?
        }
        None => None,
    };
    let id = match returning {
        Some(before) => {
            let status =
                next_status(Some(before.status), Peristiwa::PindahMasuk).map_err(|_| {
                    form_error(
                        "nik",
                        "NIK ini sudah terdaftar sebagai penduduk aktif desa ini",
                    )
                })?;
            let mut after = before.clone();
            fields.apply_to(&mut after);
            after.family_id = Some(family_id);
            after.status = status;
            let id = before.id;
            change.changed_residents.push((before, after));
            id
        }
        None => {
            let id = new_id(clock);
            change.new_residents.push((
                new_resident(
                    id,
                    access,
                    family_id,
                    number_for(db, access, fields).await?,
                    fields,
                ),
                None,
            ));
            id
        }
    };
    change.events.push(LifeEvent {
        id: new_id(clock),
        resident_id: id,
        kind: Peristiwa::PindahMasuk,
        occurred_on: date,
        particulars: Particulars::MoveIn(cmd.origin.clone()).non_empty(),
    });
    apply(db, clock, access, &change).await?;
    Ok(id)
}

/// Registers a resident already living in the village (data entry, no life
/// event), into an existing family.
pub async fn register(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    family_id: Uuid,
    fields: &ResidentFields,
) -> Result<Uuid, ServiceError> {
    access.require_write()?;
    let card = family_of(db, access, family_id).await?;
    check_joins(&card, fields.relationship)?;
    let id = new_id(clock);
    let r = new_resident(
        id,
        access,
        family_id,
        number_for(db, access, fields).await?,
        fields,
    );
    let change = RegistryChange {
        reason: "pendaftaran penduduk".into(),
        new_residents: vec![(r, Some(StatusDasar::Hidup))],
        ..Default::default()
    };
    apply(db, clock, access, &change).await?;
    Ok(id)
}

/// Longest reason for a correction, in characters (it goes into the audit trail).
pub const MAX_REASON_CHARS: usize = 500;

/// A correction of a resident's recorded data, checked: the new data and
/// why (at least 5 characters, kept in the audit trail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The corrected data.
    pub fields: ResidentFields,
    /// Why it was corrected.
    pub reason: String,
}

impl Correction {
    /// Reads the correction form and its reason; every problem at once.
    /// `today` bounds the birth date.
    pub fn parse(
        form: &ResidentForm,
        reason: &str,
        today: time::Date,
    ) -> Result<Self, FieldErrors> {
        let fields = form.parse(today);
        let reason = reason.trim();
        let mut errors = match &fields {
            Ok(_) => FieldErrors::default(),
            Err(e) => e.clone(),
        };
        if reason.chars().count() < 5 {
            errors.add("alasan", "tulis alasan perbaikan (paling sedikit 5 huruf)");
        } else if reason.chars().count() > MAX_REASON_CHARS {
            errors.add(
                "alasan",
                format!("alasan paling banyak {MAX_REASON_CHARS} huruf"),
            );
        }
        match fields {
            Ok(fields) if errors.is_empty() => Ok(Self {
                fields,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// Corrects a resident's recorded data; the reason goes into the audit trail.
pub async fn correct(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident_id: Uuid,
    correction: &Correction,
) -> Result<(), ServiceError> {
    let store = db.store();
    access.require_write()?;
    let before = store
        .resident(access.village(), resident_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut after = before.clone();
    correction.fields.apply_to(&mut after);
    if after.relationship != before.relationship
        && (after.relationship == Shdk::KepalaKeluarga
            || before.relationship == Shdk::KepalaKeluarga)
    {
        return Err(form_error(
            "hubungan",
            "kepala keluarga diganti lewat menu keluarga",
        ));
    }
    if after == before {
        return Ok(());
    }
    let change = RegistryChange {
        reason: format!("perbaikan data: {}", correction.reason),
        changed_residents: vec![(before, after)],
        ..Default::default()
    };
    apply(db, clock, access, &change).await
}

/// The `hubungan_lama` field of the head-change form: what the old head
/// becomes in the family.
pub fn parse_old_head_becomes(code: &str) -> Result<Shdk, FieldErrors> {
    Shdk::parse(code.trim()).map_err(|_| {
        let mut e = FieldErrors::default();
        e.add("hubungan_lama", "pilih hubungan kepala keluarga lama");
        e
    })
}

/// Hands the headship of a family to another current member.
pub async fn change_head(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    family_id: Uuid,
    new_head: Uuid,
    becomes: Shdk,
) -> Result<(), ServiceError> {
    access.require_write()?;
    let card = family_of(db, access, family_id).await?;
    let swaps = family::change_head(&members(&card), new_head, becomes)
        .map_err(|e| form_error("kepala_baru", e.to_string()))?;
    let mut change = RegistryChange {
        reason: "ganti kepala keluarga".into(),
        ..Default::default()
    };
    for (id, rel) in swaps {
        let before = card
            .members
            .iter()
            .find(|m| m.id == id)
            .expect("change_head names members")
            .clone();
        let mut after = before.clone();
        after.relationship = rel;
        change.changed_residents.push((before, after));
    }
    apply(db, clock, access, &change).await
}

/// Splitting members off into a new family card.
#[derive(Debug, Clone, Default)]
pub struct SplitForm {
    /// The new card.
    pub family: NewFamilyForm,
    /// Members who move to it, with their relationship in the new family.
    pub members: Vec<(Uuid, String)>,
    /// The old family's new head, when its head moves to the new card.
    pub kepala_baru_lama: Option<Uuid>,
}

/// A family split, checked: the new card and who moves to it with which
/// relationship. Whether they are active members of the card being split
/// is the use case's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The new card.
    pub card: NewFamilyCard,
    /// Members who move to it, with their relationship in the new family.
    pub members: Vec<(Uuid, Shdk)>,
    /// The old family's new head, when its head moves to the new card.
    pub old_card_new_head: Option<Uuid>,
}

impl TryFrom<&SplitForm> for Split {
    type Error = FieldErrors;
    /// Every malformed field at once.
    fn try_from(form: &SplitForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let card = form.family.card(&mut errors);
        if form.members.is_empty() {
            errors.add("anggota", "pilih anggota yang pindah ke KK baru");
        }
        let mut members = Vec::with_capacity(form.members.len());
        for (id, rel) in &form.members {
            match Shdk::parse(rel.trim()) {
                Ok(r) => members.push((*id, r)),
                Err(_) => errors.add("anggota", "pilih hubungan untuk setiap anggota yang pindah"),
            }
        }
        match card {
            Some(card) if errors.is_empty() => Ok(Self {
                card,
                members,
                old_card_new_head: form.kepala_baru_lama,
            }),
            _ => Err(errors),
        }
    }
}

/// Moves members to a new family card; both cards must end with exactly one head.
pub async fn split_family(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    family_id: Uuid,
    split: &Split,
) -> Result<Uuid, ServiceError> {
    access.require_write()?;
    let card = family_of(db, access, family_id).await?;
    let mut errors = FieldErrors::default();
    let mut moved: Vec<(Resident, Shdk)> = Vec::new();
    for (id, rel) in &split.members {
        match card
            .members
            .iter()
            .find(|m| m.id == *id && is_resident(m.status))
        {
            Some(m) => moved.push((m.clone(), *rel)),
            None => errors.add(
                "anggota",
                "anggota yang dipilih bukan anggota aktif keluarga ini",
            ),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Form(errors));
    }
    let new_family = split.card.family(new_id(clock), access);
    // The new card: exactly one head among the moved members.
    let new_members: Vec<Member> = moved
        .iter()
        .map(|(m, rel)| Member {
            resident_id: m.id,
            relationship: *rel,
            status: m.status,
        })
        .collect();
    family::check_head(&new_members).map_err(|e| form_error("anggota", format!("KK baru: {e}")))?;
    // The old card: the remaining members, with a new head if the head left.
    let mut remaining = members(&card);
    remaining.retain(|m| !moved.iter().any(|(r, _)| r.id == m.resident_id));
    let mut change = RegistryChange {
        reason: "pecah KK".into(),
        new_families: vec![new_family.clone()],
        ..Default::default()
    };
    if let Some(head) = split.old_card_new_head {
        let old_head = remaining
            .iter()
            .find(|m| m.resident_id == head && is_resident(m.status))
            .ok_or_else(|| form_error("kepala_baru_lama", "pilih anggota yang tetap di KK lama"))?;
        let before = card
            .members
            .iter()
            .find(|m| m.id == old_head.resident_id)
            .expect("found above")
            .clone();
        for m in remaining.iter_mut().filter(|m| m.resident_id == head) {
            m.relationship = Shdk::KepalaKeluarga;
        }
        let mut after = before.clone();
        after.relationship = Shdk::KepalaKeluarga;
        change.changed_residents.push((before, after));
    }
    family::check_head(&remaining)
        .map_err(|e| form_error("kepala_baru_lama", format!("KK lama: {e}")))?;
    for (before, rel) in moved {
        let mut after = before.clone();
        after.family_id = Some(new_family.id);
        after.relationship = rel;
        change.changed_residents.push((before, after));
    }
    apply(db, clock, access, &change).await?;
    Ok(new_family.id)
}
