//! The village's public profile (migration 0024): one row per village,
//! replaced whole by its staff through the one write path, so it is in the
//! village's change feed like the rest of its site.

use balai_domain::KodeWilayah;
use balai_domain::showcase::Coordinates;
use balai_domain::village_profile::{
    AreaKm2, Boundaries, OfficeEmail, OfficePhone, VillageProfileText,
};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::{RowKey, Table};
use crate::row_codec::{instant_from_millis, kode};
use crate::write_context::WriteContext;

/// The profile as stored, with who changed it last and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVillageProfile {
    /// What staff wrote.
    pub text: VillageProfileText,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type ProfileRow = (
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    String,
    i64,
    String,
);

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("village_profile_public: bad {what}"))
}

fn from_row(r: ProfileRow) -> Result<StoredVillageProfile, StoreError> {
    let (address, phone, email, area, n, e, s, w, lat, lon, history, vision, mission, inst, at, by) =
        r;
    Ok(StoredVillageProfile {
        text: VillageProfileText {
            office_address: address,
            phone: phone
                .map(|p| OfficePhone::parse(&p).map_err(|_| corrupt("phone")))
                .transpose()?,
            email: email
                .map(|m| OfficeEmail::parse(&m).map_err(|_| corrupt("email")))
                .transpose()?,
            area: area
                .map(|a| {
                    u64::try_from(a)
                        .ok()
                        .and_then(AreaKm2::from_hundredths)
                        .ok_or_else(|| corrupt("area"))
                })
                .transpose()?,
            boundaries: Boundaries {
                north: n,
                east: e,
                south: s,
                west: w,
            },
            office_location: match (lat, lon) {
                (Some(lat), Some(lon)) => {
                    Some(Coordinates::from_micro(lat, lon).ok_or_else(|| corrupt("location"))?)
                }
                _ => None,
            },
            history,
            vision,
            mission,
            institutions: inst,
        },
        updated_at: instant_from_millis(at)?,
        updated_by: by,
    })
}

/// A stable entity id for the village's one profile row.
fn entity_id(village: KodeWilayah) -> Uuid {
    Uuid::from_u64_pair(24, village.as_u64())
}

impl Store {
    /// The village's public profile, if its staff wrote one.
    pub async fn village_public_profile(
        &self,
        village: KodeWilayah,
    ) -> Result<Option<StoredVillageProfile>, StoreError> {
        let row: Option<ProfileRow> = sqlx::query_as(
            "SELECT office_address, phone, email, area_hundredths, border_north, border_east,
                    border_south, border_west, lat_micro, lon_micro, history, vision, mission,
                    institutions, updated_at, updated_by
             FROM village_profile_public WHERE village = $1",
        )
        .bind(kode(village))
        .fetch_optional(self.pool())
        .await?;
        row.map(from_row).transpose()
    }

    /// Replaces the village's public profile (creates it the first time).
    pub async fn save_village_public_profile(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        p: &VillageProfileText,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        let (exists,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM village_profile_public WHERE village = $1")
                .bind(kode(village))
                .fetch_one(w.conn())
                .await?;
        let after = json!({ "office_address": p.office_address });
        w.log(Change {
            village: Some(village),
            entity: Entity::VillageProfile,
            entity_id: entity_id(village),
            action: if exists > 0 {
                Action::Update
            } else {
                Action::Create
            },
            before: None,
            after: Some(&after),
        })
        .await?;
        if exists == 0 {
            sqlx::query(
                "INSERT INTO village_profile_public (village, office_address, phone, email, area_hundredths,
                     border_north, border_east, border_south, border_west, lat_micro, lon_micro,
                     history, vision, mission, institutions, updated_at, updated_by)
                 VALUES ($1, '', NULL, NULL, NULL, '', '', '', '', NULL, NULL, '', '', '', '', 0, '')",
            )
            .bind(kode(village))
            .execute(w.conn())
            .await?;
        }
        let b = &p.boundaries;
        sqlx::query(
            "UPDATE village_profile_public SET office_address = $2, phone = $3, email = $4,
                 area_hundredths = $5, border_north = $6, border_east = $7, border_south = $8,
                 border_west = $9, lat_micro = $10, lon_micro = $11, history = $12, vision = $13,
                 mission = $14, institutions = $15, updated_at = $16, updated_by = $17
             WHERE village = $1",
        )
        .bind(kode(village))
        .bind(&p.office_address)
        .bind(p.phone.as_ref().map(|x| x.as_str().to_string()))
        .bind(p.email.as_ref().map(|x| x.as_str().to_string()))
        .bind(p.area.map(|a| i64::from(a.hundredths())))
        .bind(&b.north)
        .bind(&b.east)
        .bind(&b.south)
        .bind(&b.west)
        .bind(p.office_location.map(|c| i64::from(c.lat_micro())))
        .bind(p.office_location.map(|c| i64::from(c.lon_micro())))
        .bind(&p.history)
        .bind(&p.vision)
        .bind(&p.mission)
        .bind(&p.institutions)
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .execute(w.conn())
        .await?;
        w.wrote(Table::VillageProfile, RowKey::Village).await?;
        w.commit().await
    }
}
