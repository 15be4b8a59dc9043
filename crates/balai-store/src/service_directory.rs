//! The regency's service directory (migration 0018): public services every
//! village website and kiosk of the regency shows.

use balai_domain::KodeWilayah;
use balai_domain::info_topic::InfoTopic;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{Id, instant_from_millis, kode, kode_from};
use crate::write_context::WriteContext;

/// One public service of a regency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicService {
    /// Row id.
    pub id: Uuid,
    /// The regency that lists it.
    pub regency: KodeWilayah,
    /// Which kind of service (the kiosk's topics).
    pub topic: InfoTopic,
    /// Its name, e.g. "Puskesmas Klaten Tengah".
    pub name: String,
    /// What it offers.
    pub description: String,
    /// Where it is.
    pub place: String,
    /// Opening hours.
    pub hours: String,
    /// What to bring.
    pub requirements: String,
    /// Telephone, WhatsApp or e-mail.
    pub contact: String,
    /// Last written.
    pub updated_at: OffsetDateTime,
    /// By whom.
    pub updated_by: String,
}

type Row = (
    Id,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
);

fn service(r: Row) -> Result<PublicService, StoreError> {
    Ok(PublicService {
        id: r.0.into(),
        regency: kode_from(r.1)?,
        topic: InfoTopic::parse(&r.2)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown service topic {:?}", r.2)))?,
        name: r.3,
        description: r.4,
        place: r.5,
        hours: r.6,
        requirements: r.7,
        contact: r.8,
        updated_at: instant_from_millis(r.9)?,
        updated_by: r.10,
    })
}

impl Store {
    /// The services `regency` lists, by topic then name.
    pub async fn public_services(
        &self,
        regency: KodeWilayah,
    ) -> Result<Vec<PublicService>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, regency, topic, name, description, place, hours, requirements, contact,
                    updated_at, updated_by
             FROM public_service WHERE regency = $1 ORDER BY topic, name, id",
        )
        .bind(kode(regency))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(service).collect()
    }

    /// Creates or rewrites a service of its regency (`created`: a new row).
    pub async fn save_public_service(
        &self,
        ctx: &WriteContext,
        s: &PublicService,
        created: bool,
    ) -> Result<(), StoreError> {
        let mut w = self.write_unscoped(ctx, Some(s.regency)).await?;
        let done = if created {
            sqlx::query(
                "INSERT INTO public_service (regency, id, topic, name, description, place, hours,
                     requirements, contact, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
        } else {
            sqlx::query(
                "UPDATE public_service SET topic = $3, name = $4, description = $5, place = $6,
                     hours = $7, requirements = $8, contact = $9, updated_at = $10, updated_by = $11
                 WHERE regency = $1 AND id = $2",
            )
        }
        .bind(kode(s.regency))
        .bind(Id(s.id))
        .bind(s.topic.code())
        .bind(&s.name)
        .bind(&s.description)
        .bind(&s.place)
        .bind(&s.hours)
        .bind(&s.requirements)
        .bind(&s.contact)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(
                "no such service in this regency".into(),
            ));
        }
        let after = json!({ "topic": s.topic.code(), "name": s.name, "description": s.description,
            "place": s.place, "hours": s.hours, "requirements": s.requirements, "contact": s.contact });
        w.log(Change {
            village: None,
            entity: Entity::PublicService,
            entity_id: s.id,
            action: if created {
                Action::Create
            } else {
                Action::Update
            },
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await
    }

    /// Removes a service of `regency`.
    pub async fn delete_public_service(
        &self,
        ctx: &WriteContext,
        regency: KodeWilayah,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let mut w = self.write_unscoped(ctx, Some(regency)).await?;
        let done = sqlx::query("DELETE FROM public_service WHERE regency = $1 AND id = $2")
            .bind(kode(regency))
            .bind(Id(id))
            .execute(w.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(
                "no such service in this regency".into(),
            ));
        }
        w.log(Change {
            village: None,
            entity: Entity::PublicService,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&json!({ "deleted": true })),
        })
        .await?;
        w.commit().await
    }
}
