//! Facilitators' coaching notes (issue 13): a facilitator leaves a dated
//! note with follow-up items for one of their villages; the village's staff
//! see it on their dashboard and answer it. Both go through the store's one
//! write path, so they are in the village's change feed.

use balai_domain::role::Role;
pub use balai_store::CoachingNote;
use balai_store::NewCoachingNote;
use time::Date;
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::today;
use crate::staff::{VillageAccess, VillageOverview};

/// The longest note or answer, in characters.
pub const MAX_TEXT: usize = 4000;
/// The most follow-up items of one note.
pub const MAX_ITEMS: usize = 20;
/// The longest follow-up item, in characters.
pub const MAX_ITEM: usize = 300;

/// A note as a facilitator wrote it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    noted_on: Date,
    body: String,
    follow_up: Vec<String>,
}

impl Note {
    /// Checks the form's fields (`tanggal` YYYY-MM-DD, not after `today`;
    /// `catatan`; `tindak_lanjut`, one item per line); every problem at once.
    pub fn parse(
        date: &str,
        body: &str,
        follow_up: &str,
        today: Date,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let noted_on = match Date::parse(date.trim(), &format) {
            Ok(d) if d > today => {
                errors.add("tanggal", "tanggal tidak boleh sesudah hari ini");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("tanggal", "isi tanggal dengan format TTTT-BB-HH");
                None
            }
        };
        let body = body.trim().to_string();
        if body.is_empty() {
            errors.add("catatan", "catatan wajib diisi");
        } else if body.chars().count() > MAX_TEXT {
            errors.add(
                "catatan",
                format!("catatan paling panjang {MAX_TEXT} karakter"),
            );
        }
        let items: Vec<String> = follow_up
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if items.len() > MAX_ITEMS {
            errors.add(
                "tindak_lanjut",
                format!("paling banyak {MAX_ITEMS} butir tindak lanjut"),
            );
        } else if items.iter().any(|i| i.chars().count() > MAX_ITEM) {
            errors.add(
                "tindak_lanjut",
                format!("setiap butir tindak lanjut paling panjang {MAX_ITEM} karakter"),
            );
        }
        match noted_on {
            Some(noted_on) if errors.is_empty() => Ok(Note {
                noted_on,
                body,
                follow_up: items,
            }),
            _ => Err(errors),
        }
    }
}

/// The village's answer to a note, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer(String);

impl Answer {
    /// Checks the answer's text (`jawaban`).
    pub fn parse(text: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let t = text.trim();
        if t.is_empty() {
            errors.add("jawaban", "jawaban wajib diisi");
        } else if t.chars().count() > MAX_TEXT {
            errors.add(
                "jawaban",
                format!("jawaban paling panjang {MAX_TEXT} karakter"),
            );
        }
        if errors.is_empty() {
            Ok(Answer(t.to_string()))
        } else {
            Err(errors)
        }
    }
}

/// Whether the one reading `access` writes notes: a facilitator assigned to the village.
pub fn may_write(access: &VillageOverview) -> bool {
    access.staff().role == Role::Facilitator && access.staff().assigned.contains(&access.village())
}

/// Leaves `note` for the village `access` opens (facilitators only).
pub async fn write(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageOverview,
    note: &Note,
) -> Result<Uuid, ServiceError> {
    if !may_write(access) {
        return Err(ServiceError::Forbidden(
            "hanya pendamping desa ini yang dapat menulis catatan pendampingan".into(),
        ));
    }
    if note.noted_on > today(clock, access.village()) {
        return Err(ServiceError::Invalid(
            "tanggal tidak boleh sesudah hari ini".into(),
        ));
    }
    let staff = access.staff();
    let id = Uuid::now_v7();
    let ctx = balai_store::WriteContext::new(staff.username.clone(), clock.now());
    db.store()
        .create_coaching_note(
            &ctx,
            access.village(),
            &NewCoachingNote {
                id,
                noted_on: note.noted_on,
                author_name: staff.display_name.clone(),
                body: note.body.clone(),
                follow_up: note.follow_up.clone(),
            },
        )
        .await?;
    Ok(id)
}

/// The village's notes, newest first (its staff, the regency, its facilitators).
pub async fn list(db: &Db, access: &VillageOverview) -> Result<Vec<CoachingNote>, ServiceError> {
    Ok(db.store().coaching_notes(access.village()).await?)
}

/// The village's staff answer note `id` (a later answer replaces the first).
pub async fn answer(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    answer: &Answer,
) -> Result<(), ServiceError> {
    let ctx = access.context(clock);
    db.store()
        .answer_coaching_note(&ctx, access.village(), id, &answer.0)
        .await
        .map_err(|e| match e {
            balai_store::StoreError::NotFound(_) => ServiceError::NotFound,
            e => e.into(),
        })
}
