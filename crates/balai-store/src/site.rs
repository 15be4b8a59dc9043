//! A village's public website: news posts, activities and their sign-ups
//! (migration 0016). Every change is a [`crate::write::Write`], so it is in
//! the village's change feed; a sign-up's name and contact are in the feed's
//! row images (they are village data) but never in the audit entry.

use balai_domain::KodeWilayah;
use balai_domain::complaint::SECRET_LEN;
use balai_domain::site::{
    Publication, SignupReference, SignupStatus, Slug, place_for_new, promotions,
};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{
    Id, date_from_day_number, day_number, instant_from_millis, kode, kode_from, millis,
};
use crate::write::Write;
use crate::write_context::WriteContext;

/// A news post's content as written by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsContent {
    /// Its address within the village's site.
    pub slug: Slug,
    /// The title.
    pub title: String,
    /// The body, Markdown.
    pub body: String,
}

/// A stored news post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsPost {
    /// Row id.
    pub id: Uuid,
    /// The village.
    pub village: KodeWilayah,
    /// Slug, title and Markdown body.
    pub content: NewsContent,
    /// Draft or published.
    pub publication: Publication,
    /// The day it was first published (kept when unpublished and published again).
    pub published_on: Option<Date>,
    /// Last change and by whom.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type NewsRow = (
    Id,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    String,
);
const NEWS_COLUMNS: &str =
    "id, village, slug, title, body, published, published_on, updated_at, updated_by";

fn news(r: NewsRow) -> Result<NewsPost, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("news_post {what}"));
    Ok(NewsPost {
        id: r.0.into(),
        village: kode_from(r.1)?,
        content: NewsContent {
            slug: Slug::parse(&r.2).map_err(|_| corrupt("slug"))?,
            title: r.3,
            body: r.4,
        },
        publication: Publication::from_code(r.5).ok_or_else(|| corrupt("published"))?,
        published_on: r.6.map(date_from_day_number).transpose()?,
        updated_at: instant_from_millis(r.7)?,
        updated_by: r.8,
    })
}

/// An activity's details as written by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDetails {
    /// The title.
    pub title: String,
    /// What happens (plain text).
    pub description: String,
    /// Where.
    pub place: String,
    /// When it starts.
    pub starts_at: OffsetDateTime,
    /// When it ends (not before it starts).
    pub ends_at: OffsetDateTime,
    /// Places; sign-ups beyond them wait.
    pub capacity: u32,
    /// Whether visitors may sign up now.
    pub signup_open: bool,
    /// Draft or published.
    pub publication: Publication,
}

/// A stored activity, with its counts of sign-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Row id.
    pub id: Uuid,
    /// The village.
    pub village: KodeWilayah,
    /// What, where, when, how many.
    pub details: ActivityDetails,
    /// Sign-ups holding a place.
    pub confirmed: u32,
    /// Sign-ups waiting for one.
    pub waiting: u32,
}

type ActivityRow = (
    Id,
    i64,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);
const ACTIVITY_COLUMNS: &str = "a.id, a.village, a.title, a.description, a.place, a.starts_at, a.ends_at, a.capacity, a.signup_open, a.published,
     (SELECT COUNT(*) FROM activity_signup s WHERE s.village = a.village AND s.activity_id = a.id AND s.status = 1),
     (SELECT COUNT(*) FROM activity_signup s WHERE s.village = a.village AND s.activity_id = a.id AND s.status = 2)";

fn activity(r: ActivityRow) -> Result<Activity, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("activity {what}"));
    let count = |n: i64| u32::try_from(n).map_err(|_| corrupt("count"));
    Ok(Activity {
        id: r.0.into(),
        village: kode_from(r.1)?,
        details: ActivityDetails {
            title: r.2,
            description: r.3,
            place: r.4,
            starts_at: instant_from_millis(r.5)?,
            ends_at: instant_from_millis(r.6)?,
            capacity: count(r.7)?,
            signup_open: r.8 != 0,
            publication: Publication::from_code(r.9).ok_or_else(|| corrupt("published"))?,
        },
        confirmed: count(r.10)?,
        waiting: count(r.11)?,
    })
}

/// A sign-up to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignup {
    /// Row id.
    pub id: Uuid,
    /// The person's name.
    pub name: String,
    /// Their phone number or other contact.
    pub contact: String,
    /// The year it is made in (the village's calendar).
    pub year: u16,
    /// Random bytes for the reference's code.
    pub secret: [u8; SECRET_LEN],
}

/// A stored sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signup {
    /// Row id.
    pub id: Uuid,
    /// The activity.
    pub activity_id: Uuid,
    /// The public reference.
    pub reference: SignupReference,
    /// The person's name (personal data: the village's staff only).
    pub name: String,
    /// Their contact (personal data: the village's staff only).
    pub contact: String,
    /// A place, waiting, or cancelled.
    pub status: SignupStatus,
    /// When they signed up.
    pub signed_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

type SignupRow = (Id, Id, String, String, String, i64, i64, i64);
const SIGNUP_COLUMNS: &str =
    "id, activity_id, reference, name, contact, status, signed_at, updated_at";

fn signup(r: SignupRow) -> Result<Signup, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("activity_signup {what}"));
    Ok(Signup {
        id: r.0.into(),
        activity_id: r.1.into(),
        reference: SignupReference::parse(&r.2).map_err(|_| corrupt("reference"))?,
        name: r.3,
        contact: r.4,
        status: SignupStatus::from_code(r.5).ok_or_else(|| corrupt("status"))?,
        signed_at: instant_from_millis(r.6)?,
        updated_at: instant_from_millis(r.7)?,
    })
}

/// Whether another post of the village already has `slug`.
async fn slug_taken(
    w: &mut Write<'_>,
    village: KodeWilayah,
    slug: &Slug,
    except: Option<Uuid>,
) -> Result<bool, StoreError> {
    let found: Option<(Id,)> =
        sqlx::query_as("SELECT id FROM news_post WHERE village = $1 AND slug = $2")
            .bind(kode(village))
            .bind(slug.as_str())
            .fetch_optional(w.conn())
            .await?;
    Ok(found.is_some_and(|(id,)| Some(Uuid::from(id)) != except))
}

/// The conflict a taken slug reports (services turn it into a field error).
pub const SLUG_TAKEN: &str = "slug taken";

impl Store {
    /// Writes a new draft news post.
    pub async fn create_news_post(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        content: &NewsContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, village, &content.slug, None).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let after = json!({ "slug": content.slug.as_str(), "title": content.title });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::NewsPost,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO news_post (village, id, slug, title, body, published, published_on, created_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, 0, NULL, $6, $6, $7, $8)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(content.slug.as_str())
        .bind(&content.title)
        .bind(&content.body)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::NewsPost, id).await?;
        w.commit().await
    }

    /// Rewrites a post's slug, title and body.
    pub async fn update_news_post(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        content: &NewsContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, village, &content.slug, Some(id)).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let done = sqlx::query(
            "UPDATE news_post SET slug = $1, title = $2, body = $3, updated_at = $4, updated_by = $5
             WHERE village = $6 AND id = $7",
        )
        .bind(content.slug.as_str())
        .bind(&content.title)
        .bind(&content.body)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("news post".into()));
        }
        let after = json!({ "slug": content.slug.as_str(), "title": content.title });
        w.log(Change {
            village: Some(village),
            entity: Entity::NewsPost,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::NewsPost, id).await?;
        w.commit().await
    }

    /// Publishes or withdraws a post; the first publication stamps `today`.
    pub async fn set_news_publication(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        to: Publication,
        today: Date,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE news_post SET published = $1,
                    published_on = CASE WHEN $1 = 1 AND published_on IS NULL THEN $2 ELSE published_on END,
                    updated_at = $3, updated_by = $4
             WHERE village = $5 AND id = $6",
        )
        .bind(i64::from(to.code()))
        .bind(day_number(today))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("news post".into()));
        }
        let after = json!({ "published": to.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::NewsPost,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::NewsPost, id).await?;
        w.commit().await
    }

    /// The village's posts, newest first (published ones only when `public`).
    pub async fn news_posts(
        &self,
        village: KodeWilayah,
        public: bool,
        limit: i64,
    ) -> Result<Vec<NewsPost>, StoreError> {
        let rows: Vec<NewsRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {NEWS_COLUMNS} FROM news_post WHERE village = $1 AND ($2 = 0 OR published = 1)
             ORDER BY COALESCE(published_on, 999999999) DESC, created_at DESC LIMIT $3"
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(news).collect()
    }

    /// A post of the village by id.
    pub async fn news_post(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<NewsPost>, StoreError> {
        let row: Option<NewsRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {NEWS_COLUMNS} FROM news_post WHERE village = $1 AND id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(news).transpose()
    }

    /// A post of the village by slug.
    pub async fn news_post_by_slug(
        &self,
        village: KodeWilayah,
        slug: &Slug,
    ) -> Result<Option<NewsPost>, StoreError> {
        let row: Option<NewsRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {NEWS_COLUMNS} FROM news_post WHERE village = $1 AND slug = $2"
        )))
        .bind(kode(village))
        .bind(slug.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.map(news).transpose()
    }

    /// Writes a new activity.
    pub async fn create_activity(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        d: &ActivityDetails,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let after = json!({ "title": d.title });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::Activity,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO activity (village, id, title, description, place, starts_at, ends_at, capacity, signup_open, published,
                                   created_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(&d.title)
        .bind(&d.description)
        .bind(&d.place)
        .bind(millis(d.starts_at))
        .bind(millis(d.ends_at))
        .bind(i64::from(d.capacity))
        .bind(i64::from(d.signup_open))
        .bind(i64::from(d.publication.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::Activity, id).await?;
        w.commit().await
    }

    /// Rewrites an activity; a capacity raised lets the first waiting move up.
    pub async fn update_activity(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        d: &ActivityDetails,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE activity SET title = $1, description = $2, place = $3, starts_at = $4, ends_at = $5, capacity = $6,
                    signup_open = $7, published = $8, updated_at = $9, updated_by = $10
             WHERE village = $11 AND id = $12",
        )
        .bind(&d.title)
        .bind(&d.description)
        .bind(&d.place)
        .bind(millis(d.starts_at))
        .bind(millis(d.ends_at))
        .bind(i64::from(d.capacity))
        .bind(i64::from(d.signup_open))
        .bind(i64::from(d.publication.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("activity".into()));
        }
        let after =
            json!({ "title": d.title, "capacity": d.capacity, "published": d.publication.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::Activity,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Activity, id).await?;
        move_up(&mut w, ctx, village, id).await?;
        w.commit().await
    }

    /// The village's activities by start (published ones only when
    /// `public`), those ending at or after `from` when given.
    pub async fn activities(
        &self,
        village: KodeWilayah,
        public: bool,
        from: Option<OffsetDateTime>,
        limit: i64,
    ) -> Result<Vec<Activity>, StoreError> {
        let rows: Vec<ActivityRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity a
             WHERE a.village = $1 AND ($2 = 0 OR a.published = 1) AND a.ends_at >= $3
             ORDER BY a.starts_at, a.created_at LIMIT $4"
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .bind(from.map_or(i64::MIN, millis))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(activity).collect()
    }

    /// An activity of the village by id.
    pub async fn activity(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Activity>, StoreError> {
        let row: Option<ActivityRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity a WHERE a.village = $1 AND a.id = $2"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(activity).transpose()
    }

    /// Signs someone up for a published activity open for sign-up that has
    /// not ended (at the write's time): a place
    /// while there is one, the waiting list otherwise; the village's next
    /// running number of the year is taken under its write lock. An
    /// activity not open (or gone) is [`StoreError::NotFound`].
    pub async fn sign_up(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        activity_id: Uuid,
        s: &NewSignup,
    ) -> Result<Signup, StoreError> {
        let mut w = self.write(ctx, village).await?;
        let open: Option<(i64,)> = sqlx::query_as(
            "SELECT capacity FROM activity WHERE village = $1 AND id = $2 AND published = 1 AND signup_open = 1
               AND ends_at > $3",
        )
        .bind(kode(village))
        .bind(Id(activity_id))
        .bind(ctx.at_millis())
        .fetch_optional(w.conn())
        .await?;
        let Some((capacity,)) = open else {
            return Err(StoreError::NotFound("activity open for sign-up".into()));
        };
        let confirmed = confirmed_count(&mut w, village, activity_id).await?;
        let status = place_for_new(u32::try_from(capacity).unwrap_or(0), confirmed);
        let (number,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM activity_signup WHERE village = $1 AND year = $2",
        )
        .bind(kode(village))
        .bind(i64::from(s.year))
        .fetch_one(w.conn())
        .await?;
        let reference = SignupReference::new(
            s.year,
            u32::try_from(number).map_err(|_| StoreError::Conflict("too many sign-ups".into()))?,
            s.secret,
        );
        // The audit entry says which activity and where it went, not who.
        let after = json!({ "activity": activity_id.to_string(), "number": number, "year": s.year, "status": status.code() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::ActivitySignup,
                entity_id: s.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO activity_signup (village, id, activity_id, year, number, reference, name, contact, status,
                                          signed_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)",
        )
        .bind(kode(village))
        .bind(Id(s.id))
        .bind(Id(activity_id))
        .bind(i64::from(s.year))
        .bind(number)
        .bind(reference.to_string())
        .bind(&s.name)
        .bind(&s.contact)
        .bind(i64::from(status.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::ActivitySignup, s.id).await?;
        w.commit().await?;
        self.signup_by_reference(village, &reference)
            .await?
            .ok_or_else(|| StoreError::NotFound("the sign-up just made".into()))
    }

    /// A sign-up of the village by its exact reference.
    pub async fn signup_by_reference(
        &self,
        village: KodeWilayah,
        reference: &SignupReference,
    ) -> Result<Option<Signup>, StoreError> {
        let row: Option<SignupRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SIGNUP_COLUMNS} FROM activity_signup WHERE village = $1 AND reference = $2"
        )))
        .bind(kode(village))
        .bind(reference.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(signup).transpose()
    }

    /// An activity's sign-ups in the order they came.
    pub async fn signups(
        &self,
        village: KodeWilayah,
        activity_id: Uuid,
    ) -> Result<Vec<Signup>, StoreError> {
        let rows: Vec<SignupRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SIGNUP_COLUMNS} FROM activity_signup WHERE village = $1 AND activity_id = $2 ORDER BY year, number"
        )))
        .bind(kode(village))
        .bind(Id(activity_id))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(signup).collect()
    }

    /// Cancels a sign-up of the activity; a place it frees goes to the
    /// first waiting, in the same transaction. Cancelling one already
    /// cancelled (or not of this activity) is [`StoreError::NotFound`].
    pub async fn cancel_signup(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        activity_id: Uuid,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE activity_signup SET status = 3, updated_at = $1, updated_by = $2
             WHERE village = $3 AND activity_id = $4 AND id = $5 AND status <> 3",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(activity_id))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("sign-up".into()));
        }
        let after = json!({ "status": SignupStatus::Cancelled.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::ActivitySignup,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::ActivitySignup, id).await?;
        move_up(&mut w, ctx, village, activity_id).await?;
        w.commit().await
    }
}

async fn confirmed_count(
    w: &mut Write<'_>,
    village: KodeWilayah,
    activity_id: Uuid,
) -> Result<u32, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM activity_signup WHERE village = $1 AND activity_id = $2 AND status = 1",
    )
    .bind(kode(village))
    .bind(Id(activity_id))
    .fetch_one(w.conn())
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Gives the places free beside those confirmed to the first waiting
/// (`balai_domain::site::promotions`), each with its own entry.
async fn move_up(
    w: &mut Write<'_>,
    ctx: &WriteContext,
    village: KodeWilayah,
    activity_id: Uuid,
) -> Result<(), StoreError> {
    let (capacity,): (i64,) =
        sqlx::query_as("SELECT capacity FROM activity WHERE village = $1 AND id = $2")
            .bind(kode(village))
            .bind(Id(activity_id))
            .fetch_one(w.conn())
            .await?;
    let confirmed = confirmed_count(w, village, activity_id).await?;
    let waiting: Vec<(Id,)> = sqlx::query_as(
        "SELECT id FROM activity_signup WHERE village = $1 AND activity_id = $2 AND status = 2 ORDER BY year, number",
    )
    .bind(kode(village))
    .bind(Id(activity_id))
    .fetch_all(w.conn())
    .await?;
    let waiting: Vec<Uuid> = waiting.into_iter().map(|(id,)| id.into()).collect();
    for id in promotions(u32::try_from(capacity).unwrap_or(0), confirmed, &waiting) {
        sqlx::query(
            "UPDATE activity_signup SET status = 1, updated_at = $1, updated_by = $2 WHERE village = $3 AND id = $4",
        )
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        let before = json!({ "status": SignupStatus::Waiting.code() });
        let after = json!({ "status": SignupStatus::Confirmed.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::ActivitySignup,
            entity_id: id,
            action: Action::Update,
            before: Some(&before),
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::ActivitySignup, id).await?;
    }
    Ok(())
}

/// A news photo as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsImage {
    /// Row id (its address is `/desa/{kode}/gambar/{id}.jpg`).
    pub id: Uuid,
    /// The post it belongs to.
    pub post_id: Uuid,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Size of the JPEG in bytes.
    pub size: u64,
}

impl Store {
    /// Stores a photo (already re-encoded) of a post of the village.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_news_image(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        post_id: Uuid,
        id: Uuid,
        width: u32,
        height: u32,
        jpeg: &[u8],
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let post: Option<(Id,)> =
            sqlx::query_as("SELECT id FROM news_post WHERE village = $1 AND id = $2")
                .bind(kode(village))
                .bind(Id(post_id))
                .fetch_optional(w.conn())
                .await?;
        if post.is_none() {
            return Err(StoreError::NotFound("news post".into()));
        }
        let after = json!({ "post": post_id.to_string(), "width": width, "height": height, "bytes": jpeg.len() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::NewsImage,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO news_image (village, id, post_id, width, height, jpeg, created_at, created_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(Id(post_id))
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(jpeg.to_vec())
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::NewsImage, id).await?;
        w.commit().await
    }

    /// The photos of a post, oldest first.
    pub async fn news_images(
        &self,
        village: KodeWilayah,
        post_id: Uuid,
    ) -> Result<Vec<NewsImage>, StoreError> {
        let rows: Vec<(Id, Id, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, post_id, width, height, CAST(LENGTH(jpeg) AS BIGINT) FROM news_image
             WHERE village = $1 AND post_id = $2 ORDER BY created_at, id",
        )
        .bind(kode(village))
        .bind(Id(post_id))
        .fetch_all(self.pool())
        .await?;
        let n =
            |v: i64| u32::try_from(v).map_err(|_| StoreError::Corrupt("news_image size".into()));
        rows.into_iter()
            .map(|r| {
                Ok(NewsImage {
                    id: r.0.into(),
                    post_id: r.1.into(),
                    width: n(r.2)?,
                    height: n(r.3)?,
                    size: u64::try_from(r.4).unwrap_or(0),
                })
            })
            .collect()
    }

    /// A photo's JPEG, if its post is published (the public may see it).
    pub async fn published_news_image(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = sqlx::query_as(
            "SELECT i.jpeg FROM news_image i JOIN news_post p ON p.village = i.village AND p.id = i.post_id
             WHERE i.village = $1 AND i.id = $2 AND p.published = 1",
        )
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(b,)| b))
    }
}
