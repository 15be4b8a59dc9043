//! Complaints (pengaduan): anyone files one with a village on its public
//! site and follows it by the reference they are given; the village's
//! staff take it up and answer it, and the answer is what the filer reads.
//!
//! Privacy: the filer's name and contact are seen only by the village's
//! own staff (never by a facilitator or the regency, never on a public
//! page); following a complaint shows its text, status and answer to
//! whoever holds the reference, whose random part makes it unguessable. A
//! reference that is malformed, unknown or of another village gets the
//! same "not found".

use balai_domain::KodeWilayah;
use balai_domain::complaint::{ComplaintCategory, ComplaintReference, ComplaintStatus, SECRET_LEN};
use balai_domain::role::Role;
use balai_store::{NewComplaint, WriteContext};

/// A complaint as the village's staff see it (the filer's name and contact included).
pub use balai_store::Complaint as StaffComplaint;
use time::Date;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::local_date;
use crate::staff::VillageAccess;

/// Shortest complaint accepted, in characters: enough to say what and where.
pub const MIN_BODY_CHARS: usize = 20;
/// Longest complaint accepted, in characters.
pub const MAX_BODY_CHARS: usize = 4000;
/// Longest name or contact, in characters.
pub const MAX_FIELD_CHARS: usize = 100;
/// Shortest answer that closes a complaint, in characters.
pub const MIN_ANSWER_CHARS: usize = 10;
/// Longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 4000;
/// The actor recorded for a complaint filed on the public site.
pub const PUBLIC_ACTOR: &str = "publik";

/// The public complaint form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ComplaintForm {
    /// Category code.
    pub kategori: String,
    /// Name (optional).
    pub nama: String,
    /// Phone or e-mail (optional).
    pub kontak: String,
    /// The complaint.
    pub isi: String,
}

/// A complaint to file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileComplaint {
    /// What it is about.
    pub category: ComplaintCategory,
    /// Name, trimmed ('' for anonymous).
    pub name: String,
    /// Contact, trimmed ('' for none).
    pub contact: String,
    /// The complaint, trimmed, with Unix line ends.
    pub body: String,
}

fn bounded(e: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        e.add(field, format!("paling panjang {max} huruf"));
    }
    v.to_string()
}

impl TryFrom<&ComplaintForm> for FileComplaint {
    type Error = FieldErrors;
    /// Every problem at once, each under its field.
    fn try_from(form: &ComplaintForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let category = form
            .kategori
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(ComplaintCategory::from_code);
        if category.is_none() {
            e.add("kategori", "pilih jenis pengaduan");
        }
        let name = bounded(&mut e, "nama", &form.nama, MAX_FIELD_CHARS);
        let contact = bounded(&mut e, "kontak", &form.kontak, MAX_FIELD_CHARS);
        let body = form.isi.trim().replace("\r\n", "\n");
        let n = body.chars().count();
        if n < MIN_BODY_CHARS {
            e.add(
                "isi",
                format!(
                    "ceritakan apa yang terjadi dan di mana (paling sedikit {MIN_BODY_CHARS} huruf)"
                ),
            );
        } else if n > MAX_BODY_CHARS {
            e.add("isi", format!("paling panjang {MAX_BODY_CHARS} huruf"));
        }
        match category {
            Some(category) if e.is_empty() => Ok(Self {
                category,
                name,
                contact,
                body,
            }),
            _ => Err(e),
        }
    }
}

/// What the filer is told on filing: the reference to follow it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The reference, e.g. `ADU-2026-0007-K7Q2MX`.
    pub reference: ComplaintReference,
}

/// Files a complaint with `village` (which must be served here).
pub async fn file(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    complaint: &FileComplaint,
) -> Result<Receipt, ServiceError> {
    let store = db.store();
    if store.village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let now = clock.now();
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).expect("the operating system's random source is available");
    let year = u16::try_from(local_date(now, village).year())
        .map_err(|_| ServiceError::Invalid("tanggal di luar jangkauan".into()))?;
    let stored = store
        .file_complaint(
            &WriteContext::new(PUBLIC_ACTOR, now),
            village,
            &NewComplaint {
                id: crate::registry::events::new_row_id(clock),
                category: complaint.category,
                name: complaint.name.clone(),
                contact: complaint.contact.clone(),
                body: complaint.body.clone(),
                year,
                secret,
            },
        )
        .await?;
    Ok(Receipt {
        reference: stored.reference,
    })
}

/// What the holder of a reference sees: never the filer's name or contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicComplaint {
    /// The reference.
    pub reference: ComplaintReference,
    /// What it is about.
    pub category: ComplaintCategory,
    /// The complaint as filed.
    pub body: String,
    /// Where it stands.
    pub status: ComplaintStatus,
    /// The office's answer ('' until there is one).
    pub answer: String,
    /// The day it was filed (the village's calendar).
    pub filed_on: Date,
    /// The day it last changed.
    pub updated_on: Date,
}

/// Follows a complaint by its typed reference. Malformed, unknown and
/// another village's references are all "not found".
pub async fn track(
    db: &Db,
    village: KodeWilayah,
    typed: &str,
) -> Result<PublicComplaint, ServiceError> {
    let reference = ComplaintReference::parse(typed).map_err(|_| ServiceError::NotFound)?;
    let c = db
        .store()
        .complaint_by_reference(village, &reference)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(PublicComplaint {
        reference: c.reference,
        category: c.category,
        body: c.body,
        status: c.status,
        answer: c.answer,
        filed_on: local_date(c.submitted_at, village),
        updated_on: local_date(c.updated_at, village),
    })
}

/// Complaints name their filers: only the village's own staff read them.
fn require_village_staff(access: &VillageAccess) -> Result<(), ServiceError> {
    match access.staff().role {
        Role::Facilitator | Role::RegencyAdmin => Err(ServiceError::NotFound),
        _ => Ok(()),
    }
}

/// The village's complaints, newest first (at most 500), those in `status` when given.
pub async fn list(
    db: &Db,
    access: &VillageAccess,
    status: Option<ComplaintStatus>,
) -> Result<Vec<StaffComplaint>, ServiceError> {
    require_village_staff(access)?;
    Ok(db.store().complaints(access.village(), status, 500).await?)
}

/// One complaint of the village.
pub async fn show(
    db: &Db,
    access: &VillageAccess,
    id: uuid::Uuid,
) -> Result<StaffComplaint, ServiceError> {
    require_village_staff(access)?;
    db.store()
        .complaint(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The staff's answer form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ResponseForm {
    /// The new status code: 2 (in progress), 3 (done), 4 (refused).
    pub status: String,
    /// The public answer.
    pub jawaban: String,
}

/// A step in a complaint's handling, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respond {
    /// Where the complaint goes.
    pub to: ComplaintStatus,
    /// The public answer (required to close it).
    pub answer: String,
}

impl TryFrom<&ResponseForm> for Respond {
    type Error = FieldErrors;
    fn try_from(form: &ResponseForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let to = form
            .status
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(ComplaintStatus::from_code)
            .filter(|s| *s != ComplaintStatus::Diterima);
        if to.is_none() {
            e.add("status", "pilih: diproses, selesai atau ditolak");
        }
        let answer = form.jawaban.trim().replace("\r\n", "\n");
        let n = answer.chars().count();
        if to.is_some_and(ComplaintStatus::is_closed) && n < MIN_ANSWER_CHARS {
            e.add(
                "jawaban",
                format!("tulis jawaban untuk pelapor (paling sedikit {MIN_ANSWER_CHARS} huruf)"),
            );
        } else if n > MAX_ANSWER_CHARS {
            e.add(
                "jawaban",
                format!("paling panjang {MAX_ANSWER_CHARS} huruf"),
            );
        }
        match to {
            Some(to) if e.is_empty() => Ok(Self { to, answer }),
            _ => Err(e),
        }
    }
}

/// Takes a complaint a step on: in progress, done or refused, with the
/// answer the filer will read. A closed complaint stays closed.
pub async fn respond(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: uuid::Uuid,
    step: &Respond,
) -> Result<(), ServiceError> {
    access.require_write()?;
    let current = show(db, access, id).await?;
    if !current.status.may_become(step.to) {
        let mut e = FieldErrors::default();
        e.add(
            "status",
            if current.status.is_closed() {
                "pengaduan ini sudah ditutup"
            } else {
                "pengaduan ini sudah diproses"
            },
        );
        return Err(ServiceError::Form(e));
    }
    match db
        .store()
        .update_complaint(
            &access.context(clock),
            access.village(),
            id,
            current.status,
            step.to,
            &step.answer,
        )
        .await
    {
        Ok(()) => Ok(()),
        // Someone else moved it between our read and our write.
        Err(balai_store::StoreError::Conflict(_)) => {
            let mut e = FieldErrors::default();
            e.add(
                "status",
                "pengaduan ini baru saja diubah orang lain; lihat keadaannya sekarang",
            );
            Err(ServiceError::Form(e))
        }
        Err(other) => Err(other.into()),
    }
}
