//! Public information (UU 14/2008, Perki 1/2018): the village's list of
//! public information (Daftar Informasi Publik) with PDF documents, its
//! holiday calendar, information requests and objections, and the two
//! registers the law asks for.
//!
//! Who may do what: the list is public (exempt entries show their ground
//! and reason, never a document). Requests name their requesters, so only
//! the village's own staff read them (a [`VillageAccess`]; a facilitator
//! or the regency never does), and every staff view of a requester's name
//! and contact is written to the access log. The PPID's work — the list,
//! documents, the calendar, answering and extending — is done by the
//! village's operator, administrator or an official (the PPID desa is the
//! village secretary); an objection's answer, which is the superior's, is
//! recorded by those or by the village head.
//!
//! Visitors follow a request by its registration number, whose random part
//! makes it unguessable (the complaints' scheme): a malformed, unknown or
//! another village's number gets the same "not found", and what it shows
//! is the status, deadline and public answer — never the requester's name
//! or contact. The same number files an objection, once the request is
//! answered or its deadline passed unanswered.

use balai_domain::KodeWilayah;
use balai_domain::complaint::SECRET_LEN;
use balai_domain::public_info::{
    self as rules, Classification, Contact, Delivery, Exemption, ExemptionGround, InfoCategory,
    NoObjection, ObjectionGround, Outcome, PublicBody, RequestReference, RequestStatus,
    WorkingCalendar,
};
use balai_domain::role::Role;
/// The stored shapes the pages show.
pub use balai_store::{
    DocumentMeta, Holiday, InfoObjection, InfoRequest, PublicInfoContent, PublicInfoEntry,
};
use balai_store::{NewInfoRequest, NewObjection, StoreError, WriteContext};
use time::{Date, Duration};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::events::new_row_id;
use crate::registry::field_errors::FieldErrors;
use crate::registry::local_date;
use crate::staff::VillageAccess;

/// The actor recorded for what a visitor files.
pub const PUBLIC_ACTOR: &str = "publik";
/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT: usize = 10 << 20;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest summary, reason or answer, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest name or contact, in characters.
pub const MAX_FIELD_CHARS: usize = 100;
/// Shortest answer, in characters.
pub const MIN_ANSWER_CHARS: usize = 10;
/// The purpose logged when staff read requesters' data.
const ACCESS_PURPOSE: &str = "permohonan informasi publik";

// ------------------------------------------------------------------ roles

/// The PPID's own work: the village's operator, administrator or officials.
fn require_ppid(access: &VillageAccess) -> Result<(), ServiceError> {
    match access.staff().role {
        Role::VillageOperator | Role::VillageAdmin | Role::VillageOfficial => Ok(()),
        _ => Err(ServiceError::Forbidden(
            "hanya operator, administrator atau perangkat desa (PPID) yang dapat melakukannya"
                .into(),
        )),
    }
}

/// Whether the staff member behind `access` may do the PPID's work.
pub fn may_manage(access: &VillageAccess) -> bool {
    require_ppid(access).is_ok()
}

/// Recording an objection's answer: the PPID's staff or the village head
/// (the PPID's superior).
fn require_superior_or_ppid(access: &VillageAccess) -> Result<(), ServiceError> {
    if access.staff().role == Role::VillageHead {
        Ok(())
    } else {
        require_ppid(access)
    }
}

/// Whether the staff member behind `access` may record an objection's answer.
pub fn may_answer_objection(access: &VillageAccess) -> bool {
    require_superior_or_ppid(access).is_ok()
}

fn not_found(err: StoreError) -> ServiceError {
    match err {
        StoreError::NotFound(_) => ServiceError::NotFound,
        other => other.into(),
    }
}

/// Trimmed text within bounds, without control characters other than line
/// breaks and tabs (a NUL cannot be stored as PostgreSQL text).
fn text(e: &mut FieldErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let v = crate::site::text(e, field, value, min, max);
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        e.add(field, "berisi karakter kendali yang tidak diizinkan");
    }
    v
}

fn code<T>(typed: &str, from: impl Fn(i64) -> Option<T>) -> Option<T> {
    typed.trim().parse::<i64>().ok().and_then(from)
}

/// Today in the village's calendar (on its own clocks: WIB, WITA or WIT).
pub fn today(clock: &dyn Clock, village: KodeWilayah) -> Date {
    local_date(clock.now(), village)
}

/// The village's working calendar around `from` (its holidays of the year
/// before and the two years after: every time limit fits in it).
async fn calendar(
    db: &Db,
    village: KodeWilayah,
    from: Date,
) -> Result<WorkingCalendar, ServiceError> {
    let holidays = db
        .store()
        .holidays(
            village,
            from - Duration::days(366),
            from + Duration::days(2 * 366),
        )
        .await?;
    Ok(WorkingCalendar::new(holidays.into_iter().map(|h| h.day)))
}

// ------------------------------------------------------------- the list

/// The staff's entry form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct EntryForm {
    /// Title.
    pub judul: String,
    /// `InfoCategory` code.
    pub kategori: String,
    /// `ExemptionGround` code (exempt entries).
    pub dasar: String,
    /// The reason for the exemption (exempt entries).
    pub alasan: String,
    /// Summary.
    pub ringkasan: String,
    /// `PublicBody` code.
    pub badan: String,
    /// Year.
    pub tahun: String,
}

/// An entry, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteEntry(pub PublicInfoContent);

impl TryFrom<&EntryForm> for WriteEntry {
    type Error = FieldErrors;
    /// Every problem at once, each under its field.
    fn try_from(f: &EntryForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text(&mut e, "judul", &f.judul, 3, MAX_TITLE_CHARS);
        let summary = text(&mut e, "ringkasan", &f.ringkasan, 0, MAX_TEXT_CHARS);
        let category = code(&f.kategori, InfoCategory::from_code);
        if category.is_none() {
            e.add("kategori", "pilih kategori informasi");
        }
        let body = code(&f.badan, PublicBody::from_code);
        if body.is_none() {
            e.add("badan", "pilih badan publik penanggung jawab");
        }
        let year = f
            .tahun
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|y| (1945..=2200).contains(y));
        if year.is_none() {
            e.add("tahun", "tulis tahun empat angka, misalnya 2026");
        }
        let exemption = if category == Some(InfoCategory::Dikecualikan) {
            let ground = code(&f.dasar, ExemptionGround::from_code);
            if ground.is_none() {
                e.add("dasar", "pilih dasar pengecualian (UU 14/2008 Pasal 17)");
            }
            let reason = text(&mut e, "alasan", &f.alasan, 0, MAX_TEXT_CHARS);
            match ground {
                Some(g) => e.check("alasan", Exemption::new(g, &reason)),
                None => {
                    e.check(
                        "alasan",
                        Exemption::new(ExemptionGround::UndangUndang, &reason),
                    );
                    None
                }
            }
        } else {
            None
        };
        match (category, body, year) {
            (Some(c), Some(body), Some(year)) if e.is_empty() => {
                let classification = Classification::of(c, exemption).ok_or_else(|| {
                    let mut e = FieldErrors::default();
                    e.add("alasan", "tulis alasan pengecualian");
                    e
                })?;
                Ok(WriteEntry(PublicInfoContent {
                    title,
                    classification,
                    summary,
                    body,
                    year,
                }))
            }
            _ => Err(e),
        }
    }
}

/// The list as the public sees it: every live entry (exempt ones too,
/// with their ground and reason; their documents are never served).
pub async fn public_list(
    db: &Db,
    village: KodeWilayah,
) -> Result<Vec<PublicInfoEntry>, ServiceError> {
    if db.store().village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    Ok(db.store().public_info_entries(village).await?)
}

/// The list for the village's staff.
pub async fn staff_list(
    db: &Db,
    access: &VillageAccess,
) -> Result<Vec<PublicInfoEntry>, ServiceError> {
    Ok(db.store().public_info_entries(access.village()).await?)
}

/// One live entry of the village.
pub async fn entry(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<PublicInfoEntry, ServiceError> {
    db.store()
        .public_info_entry(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Adds an entry to the list; returns its id.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    w: &WriteEntry,
) -> Result<Uuid, ServiceError> {
    require_ppid(access)?;
    let id = new_row_id(clock);
    db.store()
        .create_public_info(&access.context(clock), access.village(), id, &w.0)
        .await?;
    Ok(id)
}

/// Rewrites an entry.
pub async fn update(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    w: &WriteEntry,
) -> Result<(), ServiceError> {
    require_ppid(access)?;
    db.store()
        .update_public_info(&access.context(clock), access.village(), id, &w.0)
        .await
        .map_err(not_found)
}

/// Removes an entry from the list.
pub async fn remove(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(), ServiceError> {
    require_ppid(access)?;
    db.store()
        .remove_public_info(&access.context(clock), access.village(), id)
        .await
        .map_err(not_found)
}

/// Checks an upload is a PDF by its content (`%PDF-` at the start, an
/// end-of-file marker near the end) and within [`MAX_DOCUMENT`]; the
/// name or type the browser sent is not trusted.
pub fn check_pdf(bytes: &[u8]) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    if bytes.is_empty() {
        e.add("berkas", "pilih berkas PDF");
    } else if bytes.len() > MAX_DOCUMENT {
        e.add("berkas", format!("paling besar {} MB", MAX_DOCUMENT >> 20));
    } else if !bytes.starts_with(b"%PDF-") {
        e.add("berkas", "berkas ini bukan PDF");
    } else {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        if !tail.windows(5).any(|w| w == b"%%EOF") {
            e.add("berkas", "berkas PDF ini tidak utuh");
        }
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

/// A file name safe to show and to offer as the download's name: its last
/// path part, letters, digits, `.-_ ` only, ending in `.pdf`.
fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    s = s.trim().trim_start_matches('.').to_string();
    if s.is_empty() {
        s = "dokumen".into();
    }
    if !s.to_ascii_lowercase().ends_with(".pdf") {
        s.push_str(".pdf");
    }
    s
}

/// Attaches a PDF to an entry (it replaces the previous one for readers);
/// returns the document's id. An exempt entry takes no document.
pub async fn attach(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    info_id: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> Result<Uuid, ServiceError> {
    require_ppid(access)?;
    let current = entry(db, access, info_id).await?;
    if current.content.classification.category() == InfoCategory::Dikecualikan {
        let mut e = FieldErrors::default();
        e.add("berkas", "informasi yang dikecualikan tidak diberi dokumen");
        return Err(ServiceError::Form(e));
    }
    check_pdf(bytes).map_err(ServiceError::Form)?;
    let id = new_row_id(clock);
    db.store()
        .add_public_info_document(
            &access.context(clock),
            access.village(),
            id,
            info_id,
            &clean_file_name(file_name),
            bytes,
        )
        .await
        .map_err(not_found)?;
    Ok(id)
}

/// A document as the public downloads it: the current document of a live
/// entry that is not exempt; anything else is "not found".
pub async fn document(
    db: &Db,
    village: KodeWilayah,
    id: Uuid,
) -> Result<(String, Vec<u8>), ServiceError> {
    db.store()
        .public_info_document(village, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

// ---------------------------------------------------------- the calendar

/// The holiday form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct HolidayForm {
    /// The day, `YYYY-MM-DD`.
    pub tanggal: String,
    /// Its name.
    pub nama: String,
}

/// A holiday, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetHoliday {
    /// The day.
    pub day: Date,
    /// Its name.
    pub name: String,
}

/// Reads `YYYY-MM-DD`.
pub fn parse_day(typed: &str) -> Option<Date> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(typed.trim(), &f).ok()
}

impl TryFrom<&HolidayForm> for SetHoliday {
    type Error = FieldErrors;
    fn try_from(f: &HolidayForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let day = parse_day(&f.tanggal);
        if day.is_none() {
            e.add("tanggal", "pilih tanggal (tahun-bulan-tanggal)");
        }
        let name = text(&mut e, "nama", &f.nama, 3, MAX_FIELD_CHARS);
        match day {
            Some(day) if e.is_empty() => Ok(Self { day, name }),
            _ => Err(e),
        }
    }
}

/// The village's holidays of `year`.
pub async fn holidays(
    db: &Db,
    access: &VillageAccess,
    year: i32,
) -> Result<Vec<Holiday>, ServiceError> {
    let from = Date::from_ordinal_date(year, 1)
        .map_err(|_| ServiceError::Invalid("tahun di luar jangkauan".into()))?;
    let to = Date::from_calendar_date(year, time::Month::December, 31)
        .map_err(|_| ServiceError::Invalid("tahun di luar jangkauan".into()))?;
    Ok(db.store().holidays(access.village(), from, to).await?)
}

/// Marks a day a holiday (or renames it). Deadlines already set stay as
/// they were computed when the request came in.
pub async fn set_holiday(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    h: &SetHoliday,
) -> Result<(), ServiceError> {
    require_ppid(access)?;
    db.store()
        .set_holiday(
            &access.context(clock),
            access.village(),
            new_row_id(clock),
            h.day,
            &h.name,
        )
        .await?;
    Ok(())
}

/// Makes a holiday a working day again.
pub async fn remove_holiday(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    day: Date,
) -> Result<(), ServiceError> {
    require_ppid(access)?;
    db.store()
        .remove_holiday(&access.context(clock), access.village(), day)
        .await
        .map_err(not_found)
}

// ------------------------------------------------------------- requests

/// The public request form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RequestForm {
    /// Name.
    pub nama: String,
    /// Phone or e-mail.
    pub kontak: String,
    /// The information wanted.
    pub informasi: String,
    /// What it is for.
    pub tujuan: String,
    /// `Delivery` code.
    pub cara: String,
}

/// A request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    /// Name.
    pub name: String,
    /// Phone or e-mail.
    pub contact: Contact,
    /// The information wanted.
    pub wanted: String,
    /// What it is for.
    pub purpose: String,
    /// How they want it.
    pub delivery: Delivery,
}

impl TryFrom<&RequestForm> for FileRequest {
    type Error = FieldErrors;
    /// Every problem at once, each under its field.
    fn try_from(f: &RequestForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text(&mut e, "nama", &f.nama, 2, MAX_FIELD_CHARS);
        let contact = e.check("kontak", Contact::parse(&f.kontak));
        let wanted = text(&mut e, "informasi", &f.informasi, 10, MAX_TEXT_CHARS);
        let purpose = text(&mut e, "tujuan", &f.tujuan, 5, MAX_TEXT_CHARS);
        let delivery = code(&f.cara, Delivery::from_code);
        if delivery.is_none() {
            e.add("cara", "pilih cara memperoleh informasi");
        }
        if delivery == Some(Delivery::Email) && !matches!(contact, Some(Contact::Email(_))) {
            e.add(
                "kontak",
                "tulis alamat surel untuk menerima informasi lewat surel",
            );
        }
        match (contact, delivery) {
            (Some(contact), Some(delivery)) if e.is_empty() => Ok(Self {
                name,
                contact,
                wanted,
                purpose,
                delivery,
            }),
            _ => Err(e),
        }
    }
}

/// What the requester is told on filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The registration number, e.g. `PPID-2026-0007-K7Q2MX`.
    pub reference: RequestReference,
    /// The day the answer is due.
    pub deadline: Date,
}

/// Files a request with `village` (which must be served here).
pub async fn file_request(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    r: &FileRequest,
) -> Result<Receipt, ServiceError> {
    let store = db.store();
    if store.village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let now = clock.now();
    let received_on = local_date(now, village);
    let deadline = rules::deadline(received_on, &calendar(db, village, received_on).await?);
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).expect("the operating system's random source is available");
    let stored = store
        .file_info_request(
            &WriteContext::new(PUBLIC_ACTOR, now),
            village,
            &NewInfoRequest {
                id: new_row_id(clock),
                name: r.name.clone(),
                contact: r.contact.to_string(),
                wanted: r.wanted.clone(),
                purpose: r.purpose.clone(),
                delivery: r.delivery,
                received_on,
                deadline,
                secret,
            },
        )
        .await?;
    Ok(Receipt {
        reference: stored.reference,
        deadline: stored.deadline,
    })
}

/// An objection as the requester sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicObjection {
    /// Why.
    pub ground: ObjectionGround,
    /// The day it was filed.
    pub filed_on: Date,
    /// The day the superior must answer by.
    pub answer_due: Date,
    /// The answer ('' until there is one).
    pub answer: String,
    /// The day of the answer.
    pub answered_on: Option<Date>,
}

/// What the holder of a registration number sees: never the requester's
/// name or contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRequest {
    /// The registration number.
    pub reference: RequestReference,
    /// Where it stands.
    pub status: RequestStatus,
    /// The day of receipt.
    pub received_on: Date,
    /// The day the answer is due.
    pub deadline: Date,
    /// Why the deadline was extended ('' if it was not).
    pub extension_reason: String,
    /// How it was answered.
    pub outcome: Option<Outcome>,
    /// The exemption ground of a refusal or partial grant.
    pub ground: Option<ExemptionGround>,
    /// The public answer.
    pub answer: String,
    /// The day of the answer.
    pub answered_on: Option<Date>,
    /// The objection, if one was filed.
    pub objection: Option<PublicObjection>,
    /// The last day an objection may be filed, when one may be now.
    pub objection_until: Option<Date>,
}

async fn public_view(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    r: InfoRequest,
) -> Result<PublicRequest, ServiceError> {
    let objection = db
        .store()
        .info_objection_of(village, r.id)
        .await?
        .map(|o| PublicObjection {
            ground: o.ground,
            filed_on: o.filed_on,
            answer_due: o.answer_due,
            answer: o.answer,
            answered_on: o.answered_on,
        });
    let today = today(clock, village);
    let cal = calendar(db, village, r.received_on).await?;
    let objection_until = rules::may_object(r.status, r.deadline, r.answered_on, today, &cal)
        .ok()
        .map(|()| rules::objection_deadline(r.answered_on.unwrap_or(r.deadline), &cal));
    Ok(PublicRequest {
        reference: r.reference,
        status: r.status,
        received_on: r.received_on,
        deadline: r.deadline,
        extension_reason: r.extension_reason,
        outcome: r.outcome,
        ground: r.ground,
        answer: r.answer,
        answered_on: r.answered_on,
        objection,
        objection_until,
    })
}

async fn by_reference(
    db: &Db,
    village: KodeWilayah,
    typed: &str,
) -> Result<InfoRequest, ServiceError> {
    let reference = RequestReference::parse(typed).map_err(|_| ServiceError::NotFound)?;
    db.store()
        .info_request_by_reference(village, &reference)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Follows a request by its typed registration number. Malformed, unknown
/// and another village's numbers are all "not found".
pub async fn track(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    typed: &str,
) -> Result<PublicRequest, ServiceError> {
    let r = by_reference(db, village, typed).await?;
    public_view(db, clock, village, r).await
}

/// The objection form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ObjectionForm {
    /// The registration number.
    pub nomor: String,
    /// `ObjectionGround` code.
    pub dasar: String,
    /// The requester's reasons.
    pub alasan: String,
}

/// An objection, checked (the number is checked against the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileObjection {
    /// The registration number as typed.
    pub reference: String,
    /// Why.
    pub ground: ObjectionGround,
    /// The requester's reasons.
    pub reason: String,
}

impl TryFrom<&ObjectionForm> for FileObjection {
    type Error = FieldErrors;
    fn try_from(f: &ObjectionForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        if RequestReference::parse(&f.nomor).is_err() {
            e.add(
                "nomor",
                "tulis nomor registrasi permohonan (PPID-tahun-nomor-kode)",
            );
        }
        let ground = code(&f.dasar, ObjectionGround::from_code);
        if ground.is_none() {
            e.add("dasar", "pilih alasan keberatan");
        }
        let reason = text(&mut e, "alasan", &f.alasan, 10, MAX_TEXT_CHARS);
        match ground {
            Some(ground) if e.is_empty() => Ok(Self {
                reference: f.nomor.trim().to_string(),
                ground,
                reason,
            }),
            _ => Err(e),
        }
    }
}

/// Files an objection to the request with the typed number; returns what
/// its holder now sees. A number that leads to no request is "not found";
/// too early, too late or a second objection is a form problem.
pub async fn object(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    o: &FileObjection,
) -> Result<PublicRequest, ServiceError> {
    let r = by_reference(db, village, &o.reference).await?;
    let today = today(clock, village);
    let cal = calendar(db, village, r.received_on).await?;
    if let Err(why) = rules::may_object(r.status, r.deadline, r.answered_on, today, &cal) {
        let mut e = FieldErrors::default();
        e.add(
            "nomor",
            match why {
                NoObjection::TooEarly => format!(
                    "keberatan dapat diajukan setelah permohonan dijawab atau setelah {} bila belum dijawab",
                    r.deadline
                ),
                other => other.to_string(),
            },
        );
        return Err(ServiceError::Form(e));
    }
    let answer_due = rules::objection_answer_deadline(today, &calendar(db, village, today).await?);
    match db
        .store()
        .file_info_objection(
            &WriteContext::new(PUBLIC_ACTOR, clock.now()),
            village,
            &NewObjection {
                id: new_row_id(clock),
                request_id: r.id,
                from: r.status,
                ground: o.ground,
                reason: o.reason.clone(),
                filed_on: today,
                answer_due,
            },
        )
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            let mut e = FieldErrors::default();
            e.add(
                "nomor",
                "permohonan ini baru saja berubah; lacak lagi keadaannya",
            );
            return Err(ServiceError::Form(e));
        }
        Err(other) => return Err(other.into()),
    }
    track(db, clock, village, &o.reference).await
}

// ------------------------------------------------------ staff: requests

/// A request as the village's staff see it, with its objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRequest {
    /// The request (requester's name and contact included).
    pub request: InfoRequest,
    /// Its objection, if any.
    pub objection: Option<InfoObjection>,
    /// Whether its answer is late (still unanswered after the deadline).
    pub overdue: bool,
    /// Whether it may still be extended (once, before the answer).
    pub may_extend: bool,
}

fn staff_view(r: InfoRequest, objection: Option<InfoObjection>, today: Date) -> StaffRequest {
    StaffRequest {
        overdue: r.status.awaits_answer() && today > r.deadline,
        may_extend: r.status == RequestStatus::Diterima,
        request: r,
        objection,
    }
}

/// The register of requests: the village's requests of `year` (every
/// year: `None`), newest first, at most 1,000. The views are logged.
pub async fn requests(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    year: Option<i32>,
) -> Result<Vec<StaffRequest>, ServiceError> {
    let store = db.store();
    let rows = store.info_requests(access.village(), year, 1000).await?;
    let objections = store.info_objections(access.village(), year).await?;
    if !rows.is_empty() {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        store
            .log_bulk_access(
                &access.context(clock),
                access.village(),
                &ids,
                ACCESS_PURPOSE,
            )
            .await?;
    }
    let today = today(clock, access.village());
    Ok(rows
        .into_iter()
        .map(|r| {
            let o = objections.iter().find(|o| o.request_id == r.id).cloned();
            staff_view(r, o, today)
        })
        .collect())
}

/// One request of the village (the view is logged).
pub async fn request(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<StaffRequest, ServiceError> {
    let store = db.store();
    let r = store
        .info_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(&access.context(clock), access.village(), id, ACCESS_PURPOSE)
        .await?;
    let o = store.info_objection_of(access.village(), id).await?;
    Ok(staff_view(r, o, today(clock, access.village())))
}

/// The register of objections of `year` (every year: `None`).
pub async fn objections(
    db: &Db,
    access: &VillageAccess,
    year: Option<i32>,
) -> Result<Vec<InfoObjection>, ServiceError> {
    Ok(db.store().info_objections(access.village(), year).await?)
}

/// The answer form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AnswerForm {
    /// `Outcome` code.
    pub hasil: String,
    /// `ExemptionGround` code (partial grant or refusal).
    pub dasar: String,
    /// The public answer.
    pub jawaban: String,
}

/// An answer, checked: a refusal or a partial grant names its ground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// How it was answered.
    pub outcome: Outcome,
    /// The exemption ground (never for a full grant).
    pub ground: Option<ExemptionGround>,
    /// The public answer.
    pub answer: String,
}

impl TryFrom<&AnswerForm> for Answer {
    type Error = FieldErrors;
    fn try_from(f: &AnswerForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let outcome = code(&f.hasil, Outcome::from_code);
        if outcome.is_none() {
            e.add(
                "hasil",
                "pilih: dikabulkan seluruhnya, sebagian, atau ditolak",
            );
        }
        let ground = code(&f.dasar, ExemptionGround::from_code);
        let ground = match outcome {
            Some(Outcome::Seluruhnya) => None,
            Some(_) => {
                if ground.is_none() {
                    e.add("dasar", "pilih dasar pengecualian (UU 14/2008 Pasal 17)");
                }
                ground
            }
            None => None,
        };
        let answer = text(
            &mut e,
            "jawaban",
            &f.jawaban,
            MIN_ANSWER_CHARS,
            MAX_TEXT_CHARS,
        );
        match outcome {
            Some(outcome) if e.is_empty() => Ok(Self {
                outcome,
                ground,
                answer,
            }),
            _ => Err(e),
        }
    }
}

fn changed_meanwhile(field: &str) -> ServiceError {
    let mut e = FieldErrors::default();
    e.add(
        field,
        "permohonan ini baru saja diubah orang lain; lihat keadaannya sekarang",
    );
    ServiceError::Form(e)
}

/// Answers a request (received or extended). An answered request stays answered.
pub async fn answer(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    a: &Answer,
) -> Result<(), ServiceError> {
    require_ppid(access)?;
    let current = db
        .store()
        .info_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !current.status.awaits_answer() {
        let mut e = FieldErrors::default();
        e.add("hasil", "permohonan ini sudah dijawab");
        return Err(ServiceError::Form(e));
    }
    match db
        .store()
        .answer_info_request(
            &access.context(clock),
            access.village(),
            id,
            current.status,
            a.outcome,
            a.ground,
            &a.answer,
            today(clock, access.village()),
        )
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => Err(changed_meanwhile("hasil")),
        Err(other) => Err(other.into()),
    }
}

/// The extension form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ExtendForm {
    /// The written reason.
    pub alasan: String,
}

/// An extension, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extend {
    /// The written reason the requester reads.
    pub reason: String,
}

impl TryFrom<&ExtendForm> for Extend {
    type Error = FieldErrors;
    fn try_from(f: &ExtendForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let reason = text(
            &mut e,
            "alasan",
            &f.alasan,
            MIN_ANSWER_CHARS,
            MAX_TEXT_CHARS,
        );
        if e.is_empty() {
            Ok(Self { reason })
        } else {
            Err(e)
        }
    }
}

/// Extends a request's deadline by 7 working days — once, before it is
/// answered; returns the new deadline.
pub async fn extend(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    x: &Extend,
) -> Result<Date, ServiceError> {
    require_ppid(access)?;
    let current = db
        .store()
        .info_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if current.status != RequestStatus::Diterima {
        let mut e = FieldErrors::default();
        e.add(
            "alasan",
            if current.status == RequestStatus::Diperpanjang {
                "batas waktu hanya dapat diperpanjang satu kali"
            } else {
                "permohonan ini sudah dijawab"
            },
        );
        return Err(ServiceError::Form(e));
    }
    let deadline = rules::extended_deadline(
        current.deadline,
        &calendar(db, access.village(), current.deadline).await?,
    );
    match db
        .store()
        .extend_info_request(
            &access.context(clock),
            access.village(),
            id,
            deadline,
            &x.reason,
        )
        .await
    {
        Ok(()) => Ok(deadline),
        Err(StoreError::Conflict(_)) => Err(changed_meanwhile("alasan")),
        Err(other) => Err(other.into()),
    }
}

/// The objection's answer form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ObjectionAnswerForm {
    /// The superior's answer.
    pub jawaban: String,
}

/// Records the superior's answer to a request's objection.
pub async fn answer_objection(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    request_id: Uuid,
    form: &ObjectionAnswerForm,
) -> Result<(), ServiceError> {
    require_superior_or_ppid(access)?;
    let mut e = FieldErrors::default();
    let answer = text(
        &mut e,
        "jawaban",
        &form.jawaban,
        MIN_ANSWER_CHARS,
        MAX_TEXT_CHARS,
    );
    let current = db
        .store()
        .info_request(access.village(), request_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if current.status != RequestStatus::KeberatanDiajukan {
        e.add(
            "jawaban",
            if current.status == RequestStatus::KeberatanDijawab {
                "keberatan ini sudah dijawab"
            } else {
                "belum ada keberatan atas permohonan ini"
            },
        );
    }
    if !e.is_empty() {
        return Err(ServiceError::Form(e));
    }
    match db
        .store()
        .answer_info_objection(
            &access.context(clock),
            access.village(),
            request_id,
            &answer,
            today(clock, access.village()),
        )
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => Err(changed_meanwhile("jawaban")),
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------ registers

fn csv_cell(out: &mut String, s: &str) {
    // Quote always; a leading = + - @ is neutralised so a spreadsheet
    // does not run a requester's text as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    out.push('"');
    out.push_str(&s.replace('"', "\"\""));
    out.push('"');
}

fn csv_row(out: &mut String, cells: &[String]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_cell(out, c);
    }
    out.push_str("\r\n");
}

fn opt_day(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The register of requests as CSV (what the page shows, in register order).
pub fn requests_csv(rows: &[StaffRequest]) -> String {
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            "nomor_registrasi",
            "tanggal_diterima",
            "nama",
            "kontak",
            "informasi_diminta",
            "tujuan",
            "cara",
            "status",
            "batas_waktu",
            "alasan_perpanjangan",
            "hasil",
            "dasar_pengecualian",
            "tanggal_jawaban",
            "jawaban",
        ]
        .map(String::from),
    );
    for s in rows.iter().rev() {
        let r = &s.request;
        csv_row(
            &mut out,
            &[
                r.reference.to_string(),
                r.received_on.to_string(),
                r.name.clone(),
                r.contact.clone(),
                r.wanted.clone(),
                r.purpose.clone(),
                r.delivery.label_key().to_string(),
                r.status.label_key().to_string(),
                r.deadline.to_string(),
                r.extension_reason.clone(),
                r.outcome
                    .map(|o| o.label_key().to_string())
                    .unwrap_or_default(),
                r.ground
                    .map(|g| g.label_key().to_string())
                    .unwrap_or_default(),
                opt_day(r.answered_on),
                r.answer.clone(),
            ],
        );
    }
    out
}

/// The register of objections as CSV.
pub fn objections_csv(rows: &[InfoObjection]) -> String {
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            "nomor_keberatan",
            "nomor_registrasi_permohonan",
            "tanggal_diajukan",
            "alasan",
            "uraian",
            "batas_jawaban",
            "tanggal_jawaban",
            "jawaban",
        ]
        .map(String::from),
    );
    for o in rows.iter().rev() {
        csv_row(
            &mut out,
            &[
                format!("{}/{:04}", o.year, o.number),
                o.request_reference.to_string(),
                o.filed_on.to_string(),
                o.ground.label_key().to_string(),
                o.reason.clone(),
                o.answer_due.to_string(),
                opt_day(o.answered_on),
                o.answer.clone(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_known_by_its_content() {
        assert!(check_pdf(b"%PDF-1.7\n1 0 obj\n%%EOF\n").is_ok());
        assert!(check_pdf(b"GIF89a %%EOF").is_err());
        assert!(check_pdf(b"%PDF-1.7 truncated").is_err());
        assert!(check_pdf(b"").is_err());
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd.pdf");
        assert_eq!(clean_file_name("C:\\x\\APBDes 2026.PDF"), "APBDes 2026.PDF");
        assert_eq!(clean_file_name("<script>.pdf"), "script.pdf");
        assert_eq!(clean_file_name(""), "dokumen.pdf");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let mut s = String::new();
        csv_cell(&mut s, "=HYPERLINK(\"x\")");
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
