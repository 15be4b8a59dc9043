//! A village's public website (issue 12): news written by the village's
//! staff in Markdown, the agenda of activities visitors sign up for, and
//! the home page's facts.
//!
//! Who may do what: the village's own staff (a [`VillageAccess`]) read
//! drafts and sign-up lists; its operator and administrator write
//! (`require_editor`). The public sees published posts and activities only;
//! a draft, an unknown slug and another village's post are all "not found".
//!
//! Privacy: a sign-up's name and contact are read only through
//! [`signups`], which logs the view; checking a sign-up by its reference
//! shows its activity and status, never who signed up. A reference that is
//! malformed, unknown or of another village gets the same "not found".

use balai_domain::KodeWilayah;
use balai_domain::complaint::SECRET_LEN;
use balai_domain::role::Role;
use balai_domain::site::{Publication, SignupReference, SignupStatus, Slug};
use balai_domain::time_zone::ZonaWaktu;
/// The stored shapes the pages show.
pub use balai_store::{Activity, ActivityDetails, NewsContent, NewsPost, Signup};
use balai_store::{NewSignup, WriteContext};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::local_date;
use crate::staff::VillageAccess;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest news body or activity description, in characters.
pub const MAX_BODY_CHARS: usize = 50_000;
/// Longest place, name or contact, in characters.
pub const MAX_FIELD_CHARS: usize = 100;
/// Most places an activity may offer.
pub const MAX_CAPACITY: u32 = 10_000;
/// The actor recorded for a sign-up made on the public site.
pub const PUBLIC_ACTOR: &str = "publik";
/// How many posts and activities the public lists show.
pub const LIST_LIMIT: i64 = 100;

/// The wall-clock time of an instant in the village `place` (WIB, WITA or
/// WIT by its province; as `registry::local_date`).
pub fn local_time(at: OffsetDateTime, place: KodeWilayah) -> PrimitiveDateTime {
    let t = ZonaWaktu::of(place).local(at);
    PrimitiveDateTime::new(t.date(), t.time())
}

/// Only the village's operator and administrator write its site.
pub(crate) fn require_editor(access: &VillageAccess) -> Result<(), ServiceError> {
    let staff = access.staff();
    match staff.role {
        Role::VillageOperator | Role::VillageAdmin
            if staff.role.covers(staff.scope, access.village()) =>
        {
            Ok(())
        }
        _ => Err(ServiceError::Forbidden(
            "hanya operator atau administrator desa ini yang dapat mengubah situs desa".into(),
        )),
    }
}

/// Whether the staff member behind `access` may write the site.
pub fn may_edit(access: &VillageAccess) -> bool {
    require_editor(access).is_ok()
}

pub(crate) fn text(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let v = value.trim().replace("\r\n", "\n");
    let n = v.chars().count();
    if n < min {
        e.add(
            field,
            if min <= 1 {
                "wajib diisi".to_string()
            } else {
                format!("paling sedikit {min} huruf")
            },
        );
    } else if n > max {
        e.add(field, format!("paling panjang {max} huruf"));
    }
    v
}

// ---------------------------------------------------------------- news

/// The staff's news form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct NewsForm {
    /// Title.
    pub judul: String,
    /// Slug ('' to take it from the title).
    pub slug: String,
    /// Body, Markdown.
    pub isi: String,
}

/// A news post's content, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteNews(pub NewsContent);

impl TryFrom<&NewsForm> for WriteNews {
    type Error = FieldErrors;
    /// Every problem at once, each under its field.
    fn try_from(form: &NewsForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text(&mut e, "judul", &form.judul, 3, MAX_TITLE_CHARS);
        let typed = form.slug.trim();
        let slug = if typed.is_empty() {
            let s = Slug::from_title(&title);
            if s.is_none() && !title.is_empty() {
                e.add("slug", "tulis alamat (huruf kecil, angka dan tanda -)");
            }
            s
        } else {
            let s = Slug::parse(typed).ok();
            if s.is_none() {
                e.add(
                    "slug",
                    "alamat hanya huruf kecil, angka dan tanda - (paling panjang 80)",
                );
            }
            s
        };
        let body = text(&mut e, "isi", &form.isi, 1, MAX_BODY_CHARS);
        match slug {
            Some(slug) if e.is_empty() => Ok(Self(NewsContent { slug, title, body })),
            _ => Err(e),
        }
    }
}

fn slug_conflict(err: balai_store::StoreError) -> ServiceError {
    match err {
        balai_store::StoreError::Conflict(m) if m == balai_store::SLUG_TAKEN => {
            let mut e = FieldErrors::default();
            e.add("slug", "alamat ini sudah dipakai berita lain");
            ServiceError::Form(e)
        }
        other => other.into(),
    }
}

/// Writes a new draft post; returns its id.
pub async fn create_news(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    post: &WriteNews,
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    let id = crate::registry::events::new_row_id(clock);
    db.store()
        .create_news_post(&access.context(clock), access.village(), id, &post.0)
        .await
        .map_err(slug_conflict)?;
    Ok(id)
}

/// Rewrites a post.
pub async fn update_news(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    post: &WriteNews,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    match db
        .store()
        .update_news_post(&access.context(clock), access.village(), id, &post.0)
        .await
    {
        Err(balai_store::StoreError::NotFound(_)) => Err(ServiceError::NotFound),
        other => other.map_err(slug_conflict),
    }
}

/// Publishes or withdraws a post (the first publication is dated today).
pub async fn set_news_publication(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    to: Publication,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    match db
        .store()
        .set_news_publication(
            &access.context(clock),
            access.village(),
            id,
            to,
            local_date(clock.now(), access.village()),
        )
        .await
    {
        Err(balai_store::StoreError::NotFound(_)) => Err(ServiceError::NotFound),
        other => Ok(other?),
    }
}

/// Every post of the village, drafts included, newest first.
pub async fn staff_news(db: &Db, access: &VillageAccess) -> Result<Vec<NewsPost>, ServiceError> {
    Ok(db.store().news_posts(access.village(), false, 1000).await?)
}

/// One post of the village, draft or not.
pub async fn staff_news_post(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<NewsPost, ServiceError> {
    db.store()
        .news_post(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The village's published posts, newest first (at most `limit`).
pub async fn public_news(
    db: &Db,
    village: KodeWilayah,
    limit: i64,
) -> Result<Vec<NewsPost>, ServiceError> {
    Ok(db.store().news_posts(village, true, limit).await?)
}

/// A published post by its slug; drafts, malformed and unknown slugs are
/// all "not found".
pub async fn public_news_post(
    db: &Db,
    village: KodeWilayah,
    slug: &str,
) -> Result<NewsPost, ServiceError> {
    let slug = Slug::parse(slug).map_err(|_| ServiceError::NotFound)?;
    db.store()
        .news_post_by_slug(village, &slug)
        .await?
        .filter(|p| p.publication.is_public())
        .ok_or(ServiceError::NotFound)
}

// ---------------------------------------------------------------- agenda

/// The staff's activity form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ActivityForm {
    /// Title.
    pub judul: String,
    /// What happens.
    pub uraian: String,
    /// Where.
    pub tempat: String,
    /// The day, `YYYY-MM-DD`.
    pub tanggal: String,
    /// Start, `HH:MM` (village time).
    pub mulai: String,
    /// End, `HH:MM`, the same day.
    pub selesai: String,
    /// Places.
    pub kapasitas: String,
    /// `1` when sign-up is open.
    pub pendaftaran: String,
    /// `1` when published.
    pub terbit: String,
}

impl ActivityForm {
    /// The form filled with a stored activity of the village `place`.
    pub fn of(a: &ActivityDetails, place: KodeWilayah) -> Self {
        let start = local_time(a.starts_at, place);
        let end = local_time(a.ends_at, place);
        let hm = |t: PrimitiveDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
        Self {
            judul: a.title.clone(),
            uraian: a.description.clone(),
            tempat: a.place.clone(),
            tanggal: start.date().to_string(),
            mulai: hm(start),
            selesai: hm(end),
            kapasitas: a.capacity.to_string(),
            pendaftaran: if a.signup_open {
                "1".into()
            } else {
                String::new()
            },
            terbit: if a.publication.is_public() {
                "1".into()
            } else {
                String::new()
            },
        }
    }
}

/// An activity, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteActivity(pub ActivityDetails);

fn parse_time(s: &str) -> Option<Time> {
    let (h, m) = s.trim().split_once(':')?;
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

/// The form as typed in a village on the clocks of `zone`: "08:00" is eight
/// in the morning where the activity takes place.
impl TryFrom<(&ActivityForm, ZonaWaktu)> for WriteActivity {
    type Error = FieldErrors;
    fn try_from((form, zone): (&ActivityForm, ZonaWaktu)) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text(&mut e, "judul", &form.judul, 3, MAX_TITLE_CHARS);
        let description = text(&mut e, "uraian", &form.uraian, 0, MAX_BODY_CHARS);
        let place = text(&mut e, "tempat", &form.tempat, 1, MAX_FIELD_CHARS);
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let day = Date::parse(form.tanggal.trim(), &fmt).ok();
        if day.is_none() {
            e.add("tanggal", "isi tanggal (tttt-bb-hh)");
        }
        let start = parse_time(&form.mulai);
        if start.is_none() {
            e.add("mulai", "isi jam mulai (jj:mm)");
        }
        let end = parse_time(&form.selesai);
        if end.is_none() {
            e.add("selesai", "isi jam selesai (jj:mm)");
        } else if start.is_some() && end < start {
            e.add("selesai", "jam selesai tidak boleh sebelum jam mulai");
        }
        let capacity = form
            .kapasitas
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_CAPACITY).contains(n));
        if capacity.is_none() {
            e.add("kapasitas", format!("isi angka 1–{MAX_CAPACITY}"));
        }
        match (day, start, end, capacity) {
            (Some(day), Some(start), Some(end), Some(capacity)) if e.is_empty() => {
                let at = |t: Time| PrimitiveDateTime::new(day, t).assume_offset(zone.offset());
                Ok(Self(ActivityDetails {
                    title,
                    description,
                    place,
                    starts_at: at(start),
                    ends_at: at(end),
                    capacity,
                    signup_open: form.pendaftaran == "1",
                    publication: if form.terbit == "1" {
                        Publication::Published
                    } else {
                        Publication::Draft
                    },
                }))
            }
            _ => Err(e),
        }
    }
}

/// Writes a new activity; returns its id.
pub async fn create_activity(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    a: &WriteActivity,
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    let id = crate::registry::events::new_row_id(clock);
    db.store()
        .create_activity(&access.context(clock), access.village(), id, &a.0)
        .await?;
    Ok(id)
}

/// Rewrites an activity (a raised capacity moves the first waiting up).
pub async fn update_activity(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    a: &WriteActivity,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    match db
        .store()
        .update_activity(&access.context(clock), access.village(), id, &a.0)
        .await
    {
        Err(balai_store::StoreError::NotFound(_)) => Err(ServiceError::NotFound),
        other => Ok(other?),
    }
}

/// Every activity of the village, drafts and past ones included, by start.
pub async fn staff_activities(
    db: &Db,
    access: &VillageAccess,
) -> Result<Vec<Activity>, ServiceError> {
    Ok(db
        .store()
        .activities(access.village(), false, None, 1000)
        .await?)
}

/// One activity of the village.
pub async fn staff_activity(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<Activity, ServiceError> {
    db.store()
        .activity(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// An activity's sign-ups with names and contacts, in the order they came.
/// Personal data: the view is logged (who, when, which sign-ups).
pub async fn signups(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    activity_id: Uuid,
) -> Result<Vec<Signup>, ServiceError> {
    let store = db.store();
    staff_activity(db, access, activity_id).await?;
    let list = store.signups(access.village(), activity_id).await?;
    if !list.is_empty() {
        let ids: Vec<Uuid> = list.iter().map(|s| s.id).collect();
        store
            .log_bulk_access(
                &access.context(clock),
                access.village(),
                &ids,
                "daftar peserta kegiatan",
            )
            .await?;
    }
    Ok(list)
}

/// Cancels a sign-up (staff); a place it frees goes to the first waiting.
pub async fn cancel_signup(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    activity_id: Uuid,
    signup_id: Uuid,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    match db
        .store()
        .cancel_signup(
            &access.context(clock),
            access.village(),
            activity_id,
            signup_id,
        )
        .await
    {
        Err(balai_store::StoreError::NotFound(_)) => Err(ServiceError::NotFound),
        other => Ok(other?),
    }
}

/// The village's published activities that have not ended at `now`.
pub async fn upcoming(
    db: &Db,
    village: KodeWilayah,
    now: OffsetDateTime,
    limit: i64,
) -> Result<Vec<Activity>, ServiceError> {
    Ok(db
        .store()
        .activities(village, true, Some(now), limit)
        .await?)
}

/// A published activity; drafts and unknown ids are "not found".
pub async fn public_activity(
    db: &Db,
    village: KodeWilayah,
    id: Uuid,
) -> Result<Activity, ServiceError> {
    db.store()
        .activity(village, id)
        .await?
        .filter(|a| a.details.publication.is_public())
        .ok_or(ServiceError::NotFound)
}

/// The public sign-up form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SignupForm {
    /// Name.
    pub nama: String,
    /// Phone number or other contact.
    pub kontak: String,
}

/// A sign-up, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUp {
    /// Name, trimmed.
    pub name: String,
    /// Contact, trimmed.
    pub contact: String,
}

impl TryFrom<&SignupForm> for SignUp {
    type Error = FieldErrors;
    fn try_from(form: &SignupForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text(&mut e, "nama", &form.nama, 2, MAX_FIELD_CHARS);
        let contact = text(&mut e, "kontak", &form.kontak, 5, MAX_FIELD_CHARS);
        if e.is_empty() {
            Ok(Self { name, contact })
        } else {
            Err(e)
        }
    }
}

/// What the signer is told: the reference and where they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupReceipt {
    /// The reference, e.g. `AGD-2026-0012-K7Q2MX`.
    pub reference: SignupReference,
    /// A place or the waiting list.
    pub status: SignupStatus,
}

/// Signs someone up for a published activity open for sign-up.
pub async fn sign_up(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    activity_id: Uuid,
    s: &SignUp,
) -> Result<SignupReceipt, ServiceError> {
    let now = clock.now();
    let mut secret = [0u8; SECRET_LEN];
    getrandom::fill(&mut secret).expect("the operating system's random source is available");
    let year = u16::try_from(local_date(now, village).year())
        .map_err(|_| ServiceError::Invalid("tanggal di luar jangkauan".into()))?;
    let stored = db
        .store()
        .sign_up(
            &WriteContext::new(PUBLIC_ACTOR, now),
            village,
            activity_id,
            &NewSignup {
                id: crate::registry::events::new_row_id(clock),
                name: s.name.clone(),
                contact: s.contact.clone(),
                year,
                secret,
            },
        )
        .await;
    match stored {
        Ok(s) => Ok(SignupReceipt {
            reference: s.reference,
            status: s.status,
        }),
        // Published but closed meanwhile (or never open): say so by the form.
        Err(balai_store::StoreError::NotFound(_)) => {
            let mut e = FieldErrors::default();
            e.add("nama", "pendaftaran kegiatan ini sudah ditutup");
            Err(ServiceError::Form(e))
        }
        Err(other) => Err(other.into()),
    }
}

/// What the holder of a reference sees: never the name or contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSignup {
    /// The reference.
    pub reference: SignupReference,
    /// A place, waiting, or cancelled.
    pub status: SignupStatus,
    /// The activity (published or not: the signer signed up for it).
    pub activity: Activity,
}

/// Follows a sign-up by its typed reference. Malformed, unknown and
/// another village's references are all "not found".
pub async fn check_signup(
    db: &Db,
    village: KodeWilayah,
    typed: &str,
) -> Result<PublicSignup, ServiceError> {
    let reference = SignupReference::parse(typed).map_err(|_| ServiceError::NotFound)?;
    let store = db.store();
    let s = store
        .signup_by_reference(village, &reference)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let activity = store
        .activity(village, s.activity_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(PublicSignup {
        reference: s.reference,
        status: s.status,
        activity,
    })
}

/// A stamp that moves whenever anything of the village changes (its
/// change feed's head): a cached page of its site is valid while it stays.
pub async fn content_stamp(db: &Db, village: KodeWilayah) -> Result<i64, ServiceError> {
    Ok(db.store().feed_head(village).await?)
}
