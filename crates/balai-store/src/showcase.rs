//! The village website's showcase: local products and tourism spots with
//! their photos (migration 0021). Every change is a
//! [`crate::write::Write`], so it is in the village's change feed. Deleting
//! an item keeps its row (the feed carries no deletions): it is marked
//! removed, unpublished and its slug freed, and no query returns it again.

use balai_domain::KodeWilayah;
use balai_domain::showcase::{
    Coordinates, OpeningHours, Price, ProductCategory, Rupiah, ShowcaseKind, TicketPrices, WhatsApp,
};
use balai_domain::site::{Publication, Slug};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::feed::Table;
use crate::row_codec::{Id, instant_from_millis, kode, kode_from};
use crate::site::SLUG_TAKEN;
use crate::write::Write;
use crate::write_context::WriteContext;

/// The tables, entities and names of one part of the showcase.
struct Part {
    items: &'static str,
    images: &'static str,
    item_table: Table,
    image_table: Table,
    item_entity: Entity,
    image_entity: Entity,
    what: &'static str,
}

fn part(kind: ShowcaseKind) -> Part {
    match kind {
        ShowcaseKind::Product => Part {
            items: "product",
            images: "product_image",
            item_table: Table::Product,
            image_table: Table::ProductImage,
            item_entity: Entity::Product,
            image_entity: Entity::ProductImage,
            what: "product",
        },
        ShowcaseKind::Tourism => Part {
            items: "tourism_spot",
            images: "tourism_image",
            item_table: Table::TourismSpot,
            image_table: Table::TourismImage,
            item_entity: Entity::TourismSpot,
            image_entity: Entity::TourismImage,
            what: "tourism spot",
        },
    }
}

/// A product as written by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductContent {
    /// Its address within the village's site.
    pub slug: Slug,
    /// The product's name.
    pub name: String,
    /// What it is (plain text).
    pub description: String,
    /// Produk unggulan, UMKM or BUMDes.
    pub category: ProductCategory,
    /// A price, or ask the seller.
    pub price: Price,
    /// Who sells it (a business or a person, as the village enters it).
    pub seller: String,
    /// The seller's WhatsApp, published for buyers.
    pub whatsapp: Option<WhatsApp>,
}

/// A stored product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Row id.
    pub id: Uuid,
    /// The village.
    pub village: KodeWilayah,
    /// What staff wrote.
    pub content: ProductContent,
    /// Draft or published.
    pub publication: Publication,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type ProductRow = (
    Id,
    i64,
    Option<String>,
    String,
    String,
    i64,
    Option<i64>,
    String,
    Option<String>,
    i64,
    i64,
    String,
);
const PRODUCT_COLUMNS: &str = "id, village, slug, name, description, category, price, seller, whatsapp, published, updated_at, updated_by";

fn product(r: ProductRow) -> Result<Product, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("product {what}"));
    Ok(Product {
        id: r.0.into(),
        village: kode_from(r.1)?,
        content: ProductContent {
            slug: r
                .2
                .as_deref()
                .and_then(|s| Slug::parse(s).ok())
                .ok_or_else(|| corrupt("slug"))?,
            name: r.3,
            description: r.4,
            category: ProductCategory::from_code(r.5).ok_or_else(|| corrupt("category"))?,
            price: Price::from_stored(r.6).ok_or_else(|| corrupt("price"))?,
            seller: r.7,
            whatsapp: r
                .8
                .map(|w| WhatsApp::parse(&w).map_err(|_| corrupt("whatsapp")))
                .transpose()?,
        },
        publication: Publication::from_code(r.9).ok_or_else(|| corrupt("published"))?,
        updated_at: instant_from_millis(r.10)?,
        updated_by: r.11,
    })
}

/// A tourism spot as written by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourismContent {
    /// Its address within the village's site.
    pub slug: Slug,
    /// The spot's name.
    pub name: String,
    /// What is there (plain text).
    pub description: String,
    /// Where (address or directions).
    pub location: String,
    /// Its place on the map, if given.
    pub coordinates: Option<Coordinates>,
    /// When it is open, if stated.
    pub hours: Option<OpeningHours>,
    /// What a visit costs.
    pub tickets: TicketPrices,
}

/// A stored tourism spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourismSpot {
    /// Row id.
    pub id: Uuid,
    /// The village.
    pub village: KodeWilayah,
    /// What staff wrote.
    pub content: TourismContent,
    /// Draft or published.
    pub publication: Publication,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Who changed it last.
    pub updated_by: String,
}

type TourismRow = (
    Id,
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
    String,
);
const TOURISM_COLUMNS: &str = "id, village, slug, name, description, location, lat_micro, lon_micro, open_days, opens, closes, ticket_adult, ticket_child, published, updated_at, updated_by";

fn tourism(r: TourismRow) -> Result<TourismSpot, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("tourism_spot {what}"));
    let rupiah = |n: i64| {
        u64::try_from(n)
            .ok()
            .and_then(|n| Rupiah::new(n).ok())
            .ok_or_else(|| corrupt("ticket"))
    };
    let coordinates = match (r.6, r.7) {
        (Some(lat), Some(lon)) => {
            Some(Coordinates::from_micro(lat, lon).ok_or_else(|| corrupt("coordinates"))?)
        }
        (None, None) => None,
        _ => return Err(corrupt("coordinates")),
    };
    let hours = match (r.8, r.9, r.10) {
        (Some(d), Some(o), Some(c)) => {
            Some(OpeningHours::from_stored(d, o, c).ok_or_else(|| corrupt("hours"))?)
        }
        (None, None, None) => None,
        _ => return Err(corrupt("hours")),
    };
    Ok(TourismSpot {
        id: r.0.into(),
        village: kode_from(r.1)?,
        content: TourismContent {
            slug: r
                .2
                .as_deref()
                .and_then(|s| Slug::parse(s).ok())
                .ok_or_else(|| corrupt("slug"))?,
            name: r.3,
            description: r.4,
            location: r.5,
            coordinates,
            hours,
            tickets: TicketPrices {
                adult: rupiah(r.11)?,
                child: rupiah(r.12)?,
            },
        },
        publication: Publication::from_code(r.13).ok_or_else(|| corrupt("published"))?,
        updated_at: instant_from_millis(r.14)?,
        updated_by: r.15,
    })
}

/// A showcase photo as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowcaseImage {
    /// Row id.
    pub id: Uuid,
    /// The product or tourism spot it shows.
    pub item_id: Uuid,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Size of the JPEG in bytes.
    pub size: u64,
}

/// Whether another live item of the village's `table` already has `slug`.
async fn slug_taken(
    w: &mut Write<'_>,
    table: &str,
    village: KodeWilayah,
    slug: &Slug,
    except: Option<Uuid>,
) -> Result<bool, StoreError> {
    let found: Option<(Id,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE village = $1 AND slug = $2"
    )))
    .bind(kode(village))
    .bind(slug.as_str())
    .fetch_optional(w.conn())
    .await?;
    Ok(found.is_some_and(|(id,)| Some(Uuid::from(id)) != except))
}

fn price_cell(p: Price) -> Option<i64> {
    p.stored().and_then(|n| i64::try_from(n).ok())
}

fn rupiah_cell(r: Rupiah) -> i64 {
    i64::try_from(r.get()).unwrap_or(i64::MAX)
}

impl Store {
    /// Writes a new draft product.
    pub async fn create_product(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &ProductContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, "product", village, &c.slug, None).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let after =
            json!({ "slug": c.slug.as_str(), "name": c.name, "category": c.category.code() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::Product,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO product (village, id, slug, name, description, category, price, seller, whatsapp, published,
                                  removed_at, created_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, NULL, $10, $10, $11, $12)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(c.slug.as_str())
        .bind(&c.name)
        .bind(&c.description)
        .bind(i64::from(c.category.code()))
        .bind(price_cell(c.price))
        .bind(&c.seller)
        .bind(c.whatsapp.as_ref().map(|w| w.as_str().to_string()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::Product, id).await?;
        w.commit().await
    }

    /// Rewrites a product's content.
    pub async fn update_product(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &ProductContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, "product", village, &c.slug, Some(id)).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let done = sqlx::query(
            "UPDATE product SET slug = $1, name = $2, description = $3, category = $4, price = $5, seller = $6,
                    whatsapp = $7, updated_at = $8, updated_by = $9
             WHERE village = $10 AND id = $11 AND removed_at IS NULL",
        )
        .bind(c.slug.as_str())
        .bind(&c.name)
        .bind(&c.description)
        .bind(i64::from(c.category.code()))
        .bind(price_cell(c.price))
        .bind(&c.seller)
        .bind(c.whatsapp.as_ref().map(|w| w.as_str().to_string()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("product".into()));
        }
        let after =
            json!({ "slug": c.slug.as_str(), "name": c.name, "category": c.category.code() });
        w.log(Change {
            village: Some(village),
            entity: Entity::Product,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::Product, id).await?;
        w.commit().await
    }

    /// The village's live products, newest first (published ones only when `public`).
    pub async fn products(
        &self,
        village: KodeWilayah,
        public: bool,
        limit: i64,
    ) -> Result<Vec<Product>, StoreError> {
        let rows: Vec<ProductRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PRODUCT_COLUMNS} FROM product
             WHERE village = $1 AND removed_at IS NULL AND ($2 = 0 OR published = 1)
             ORDER BY created_at DESC, id LIMIT $3"
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(product).collect()
    }

    /// A live product of the village by id.
    pub async fn product(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<Product>, StoreError> {
        let row: Option<ProductRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PRODUCT_COLUMNS} FROM product WHERE village = $1 AND id = $2 AND removed_at IS NULL"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(product).transpose()
    }

    /// A live product of the village by slug.
    pub async fn product_by_slug(
        &self,
        village: KodeWilayah,
        slug: &Slug,
    ) -> Result<Option<Product>, StoreError> {
        let row: Option<ProductRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PRODUCT_COLUMNS} FROM product WHERE village = $1 AND slug = $2 AND removed_at IS NULL"
        )))
        .bind(kode(village))
        .bind(slug.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.map(product).transpose()
    }

    /// Writes a new draft tourism spot.
    pub async fn create_tourism_spot(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &TourismContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, "tourism_spot", village, &c.slug, None).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let after = json!({ "slug": c.slug.as_str(), "name": c.name });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: Entity::TourismSpot,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(
            "INSERT INTO tourism_spot (village, id, slug, name, description, location, lat_micro, lon_micro, open_days,
                                       opens, closes, ticket_adult, ticket_child, published, removed_at,
                                       created_at, updated_at, updated_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, NULL, $14, $14, $15, $16)",
        )
        .bind(kode(village))
        .bind(Id(id))
        .bind(c.slug.as_str())
        .bind(&c.name)
        .bind(&c.description)
        .bind(&c.location)
        .bind(c.coordinates.map(|p| i64::from(p.lat_micro())))
        .bind(c.coordinates.map(|p| i64::from(p.lon_micro())))
        .bind(c.hours.map(|h| i64::from(h.day_mask())))
        .bind(c.hours.map(|h| i64::from(h.opens().minutes())))
        .bind(c.hours.map(|h| i64::from(h.closes().minutes())))
        .bind(rupiah_cell(c.tickets.adult))
        .bind(rupiah_cell(c.tickets.child))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(Table::TourismSpot, id).await?;
        w.commit().await
    }

    /// Rewrites a tourism spot's content.
    pub async fn update_tourism_spot(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        id: Uuid,
        c: &TourismContent,
    ) -> Result<(), StoreError> {
        let mut w = self.write(ctx, village).await?;
        if slug_taken(&mut w, "tourism_spot", village, &c.slug, Some(id)).await? {
            return Err(StoreError::Conflict(SLUG_TAKEN.into()));
        }
        let done = sqlx::query(
            "UPDATE tourism_spot SET slug = $1, name = $2, description = $3, location = $4, lat_micro = $5,
                    lon_micro = $6, open_days = $7, opens = $8, closes = $9, ticket_adult = $10, ticket_child = $11,
                    updated_at = $12, updated_by = $13
             WHERE village = $14 AND id = $15 AND removed_at IS NULL",
        )
        .bind(c.slug.as_str())
        .bind(&c.name)
        .bind(&c.description)
        .bind(&c.location)
        .bind(c.coordinates.map(|p| i64::from(p.lat_micro())))
        .bind(c.coordinates.map(|p| i64::from(p.lon_micro())))
        .bind(c.hours.map(|h| i64::from(h.day_mask())))
        .bind(c.hours.map(|h| i64::from(h.opens().minutes())))
        .bind(c.hours.map(|h| i64::from(h.closes().minutes())))
        .bind(rupiah_cell(c.tickets.adult))
        .bind(rupiah_cell(c.tickets.child))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("tourism spot".into()));
        }
        let after = json!({ "slug": c.slug.as_str(), "name": c.name });
        w.log(Change {
            village: Some(village),
            entity: Entity::TourismSpot,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(Table::TourismSpot, id).await?;
        w.commit().await
    }

    /// The village's live tourism spots by name (published ones only when `public`).
    pub async fn tourism_spots(
        &self,
        village: KodeWilayah,
        public: bool,
        limit: i64,
    ) -> Result<Vec<TourismSpot>, StoreError> {
        let rows: Vec<TourismRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOURISM_COLUMNS} FROM tourism_spot
             WHERE village = $1 AND removed_at IS NULL AND ($2 = 0 OR published = 1)
             ORDER BY created_at DESC, id LIMIT $3"
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(tourism).collect()
    }

    /// A live tourism spot of the village by id.
    pub async fn tourism_spot(
        &self,
        village: KodeWilayah,
        id: Uuid,
    ) -> Result<Option<TourismSpot>, StoreError> {
        let row: Option<TourismRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOURISM_COLUMNS} FROM tourism_spot WHERE village = $1 AND id = $2 AND removed_at IS NULL"
        )))
        .bind(kode(village))
        .bind(Id(id))
        .fetch_optional(self.pool())
        .await?;
        row.map(tourism).transpose()
    }

    /// A live tourism spot of the village by slug.
    pub async fn tourism_spot_by_slug(
        &self,
        village: KodeWilayah,
        slug: &Slug,
    ) -> Result<Option<TourismSpot>, StoreError> {
        let row: Option<TourismRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOURISM_COLUMNS} FROM tourism_spot WHERE village = $1 AND slug = $2 AND removed_at IS NULL"
        )))
        .bind(kode(village))
        .bind(slug.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.map(tourism).transpose()
    }

    /// Publishes or withdraws a live product or tourism spot.
    pub async fn set_showcase_publication(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        kind: ShowcaseKind,
        id: Uuid,
        to: Publication,
    ) -> Result<(), StoreError> {
        let p = part(kind);
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {} SET published = $1, updated_at = $2, updated_by = $3
             WHERE village = $4 AND id = $5 AND removed_at IS NULL",
            p.items
        )))
        .bind(i64::from(to.code()))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(p.what.into()));
        }
        let after = json!({ "published": to.code() });
        w.log(Change {
            village: Some(village),
            entity: p.item_entity,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(p.item_table, id).await?;
        w.commit().await
    }

    /// Deletes a product or tourism spot from the site: the row is kept,
    /// marked removed, withdrawn and its slug freed (its photos are no
    /// longer served).
    pub async fn remove_showcase_item(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        kind: ShowcaseKind,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let p = part(kind);
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {} SET slug = NULL, published = 0, removed_at = $1, updated_at = $1, updated_by = $2
             WHERE village = $3 AND id = $4 AND removed_at IS NULL",
            p.items
        )))
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(kode(village))
        .bind(Id(id))
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(p.what.into()));
        }
        let after = json!({ "removed": true });
        w.log(Change {
            village: Some(village),
            entity: p.item_entity,
            entity_id: id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.wrote_id(p.item_table, id).await?;
        w.commit().await
    }

    /// Stores a photo (already re-encoded) of a live item of the village.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_showcase_image(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        kind: ShowcaseKind,
        item_id: Uuid,
        id: Uuid,
        width: u32,
        height: u32,
        jpeg: &[u8],
    ) -> Result<(), StoreError> {
        let p = part(kind);
        let mut w = self.write(ctx, village).await?;
        let item: Option<(Id,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {} WHERE village = $1 AND id = $2 AND removed_at IS NULL",
            p.items
        )))
        .bind(kode(village))
        .bind(Id(item_id))
        .fetch_optional(w.conn())
        .await?;
        if item.is_none() {
            return Err(StoreError::NotFound(p.what.into()));
        }
        let after = json!({ "item": item_id.to_string(), "width": width, "height": height, "bytes": jpeg.len() });
        let seq = w
            .log(Change {
                village: Some(village),
                entity: p.image_entity,
                entity_id: id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {} (village, id, item_id, width, height, jpeg, created_at, created_by, created_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            p.images
        )))
        .bind(kode(village))
        .bind(Id(id))
        .bind(Id(item_id))
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(jpeg.to_vec())
        .bind(ctx.at_millis())
        .bind(&ctx.actor)
        .bind(seq)
        .execute(w.conn())
        .await?;
        w.wrote_id(p.image_table, id).await?;
        w.commit().await
    }

    /// The photos of the village's live items of `kind`, oldest first
    /// (of one item when `item` is given; of published items only when `public`).
    pub async fn showcase_images(
        &self,
        village: KodeWilayah,
        kind: ShowcaseKind,
        item: Option<Uuid>,
        public: bool,
    ) -> Result<Vec<ShowcaseImage>, StoreError> {
        let p = part(kind);
        let rows: Vec<(Id, Id, i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT i.id, i.item_id, i.width, i.height, CAST(LENGTH(i.jpeg) AS BIGINT) FROM {} i
             JOIN {} t ON t.village = i.village AND t.id = i.item_id
             WHERE i.village = $1 AND t.removed_at IS NULL AND ($2 = 0 OR t.published = 1)
               AND ($3 = 0 OR i.item_id = $4)
             ORDER BY i.created_at, i.id",
            p.images, p.items
        )))
        .bind(kode(village))
        .bind(i64::from(public))
        .bind(i64::from(item.is_some()))
        .bind(Id(item.unwrap_or_default()))
        .fetch_all(self.pool())
        .await?;
        let n = |v: i64| {
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{} size", p.images)))
        };
        rows.into_iter()
            .map(|r| {
                Ok(ShowcaseImage {
                    id: r.0.into(),
                    item_id: r.1.into(),
                    width: n(r.2)?,
                    height: n(r.3)?,
                    size: u64::try_from(r.4).unwrap_or(0),
                })
            })
            .collect()
    }

    /// A photo's JPEG while its item is live (and published, when `public`).
    pub async fn showcase_image(
        &self,
        village: KodeWilayah,
        kind: ShowcaseKind,
        id: Uuid,
        public: bool,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let p = part(kind);
        let row: Option<(Vec<u8>,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT i.jpeg FROM {} i JOIN {} t ON t.village = i.village AND t.id = i.item_id
             WHERE i.village = $1 AND i.id = $2 AND t.removed_at IS NULL AND ($3 = 0 OR t.published = 1)",
            p.images, p.items
        )))
        .bind(kode(village))
        .bind(Id(id))
        .bind(i64::from(public))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(b,)| b))
    }
}
