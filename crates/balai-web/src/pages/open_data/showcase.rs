//! The village's products and tourism spots as open data: what its site
//! publishes (drafts and deleted items never), as JSON or CSV.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use balai_domain::showcase::{OpeningHours, Price, WEEKDAYS};
use balai_services::{showcase, site, villages};
use serde_json::{Value, json};

use super::{ApiResult, CSV, Format, Q, absolute, cached, csv, json_page, rfc3339, village_code};
use crate::aggregate_cache::Page;
use crate::state::AppState;

/// At most this many items per list (a village lists a few dozen).
const LIMIT: i64 = 1_000;

fn hours_json(h: Option<OpeningHours>) -> Value {
    h.map_or(Value::Null, |h| {
        json!({
            "days": WEEKDAYS.iter().enumerate().filter(|(i, _)| h.on(*i)).map(|(_, d)| *d).collect::<Vec<_>>(),
            "opens": h.opens().to_string(), "closes": h.closes().to_string(),
        })
    })
}

fn days_text(h: Option<OpeningHours>) -> String {
    h.map(|h| {
        WEEKDAYS
            .iter()
            .enumerate()
            .filter(|(i, _)| h.on(*i))
            .map(|(_, d)| *d)
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

/// `GET /api/desa/{kode}/produk[?format=csv]`: published products (local
/// specialities, small businesses, the village enterprise), newest first,
/// with the seller's published contact.
pub(crate) async fn products(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let key = format!(
        "/api/desa/{}/produk{}#{stamp}",
        village.plain(),
        format.suffix()
    );
    cached(&state, &headers, key, || async {
        let list = showcase::public_products(&state.db, village, LIMIT).await?;
        let plain = village.plain();
        let url = |slug: &str| absolute(&state, &format!("/desa/{plain}/produk/{slug}"));
        let price = |p: Price| p.stored();
        match format {
            Format::Json => {
                let items: Vec<Value> = list
                    .iter()
                    .map(|p| {
                        let c = &p.content;
                        json!({ "slug": c.slug.as_str(), "name": c.name, "description": c.description,
                            "category": c.category.form_value(), "price": price(c.price),
                            "seller": c.seller, "whatsapp": c.whatsapp.as_ref().map(|w| w.link()),
                            "updated_at": rfc3339(p.updated_at), "url": url(c.slug.as_str()) })
                    })
                    .collect();
                json_page(&json!({ "kode": plain, "products": items }))
            }
            Format::Csv => Page::new(
                CSV,
                csv(
                    &[
                        "nama",
                        "kategori",
                        "harga_rupiah",
                        "penjual",
                        "whatsapp",
                        "uraian",
                        "alamat",
                    ],
                    list.iter().map(|p| {
                        let c = &p.content;
                        vec![
                            c.name.clone(),
                            c.category.form_value().to_string(),
                            price(c.price).map(|n| n.to_string()).unwrap_or_default(),
                            c.seller.clone(),
                            c.whatsapp.as_ref().map(|w| w.link()).unwrap_or_default(),
                            c.description.clone(),
                            url(c.slug.as_str()),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}

/// `GET /api/desa/{kode}/wisata[?format=csv]`: published tourism spots,
/// with where they are, when they open and what a ticket costs.
pub(crate) async fn tourism(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let key = format!(
        "/api/desa/{}/wisata{}#{stamp}",
        village.plain(),
        format.suffix()
    );
    cached(&state, &headers, key, || async {
        let list = showcase::public_tourism(&state.db, village, LIMIT).await?;
        let plain = village.plain();
        let url = |slug: &str| absolute(&state, &format!("/desa/{plain}/wisata/{slug}"));
        match format {
            Format::Json => {
                let items: Vec<Value> = list
                    .iter()
                    .map(|t| {
                        let c = &t.content;
                        json!({ "slug": c.slug.as_str(), "name": c.name, "description": c.description,
                            "location": c.location,
                            "coordinates": c.coordinates.map(|p| json!({ "lat": p.lat(), "lon": p.lon() })),
                            "hours": hours_json(c.hours),
                            "tickets": { "adult": c.tickets.adult.get(), "child": c.tickets.child.get() },
                            "updated_at": rfc3339(t.updated_at), "url": url(c.slug.as_str()) })
                    })
                    .collect();
                json_page(&json!({ "kode": plain, "tourism": items }))
            }
            Format::Csv => Page::new(
                CSV,
                csv(
                    &[
                        "nama",
                        "lokasi",
                        "lintang",
                        "bujur",
                        "hari_buka",
                        "jam_buka",
                        "jam_tutup",
                        "tiket_dewasa_rupiah",
                        "tiket_anak_rupiah",
                        "alamat",
                    ],
                    list.iter().map(|t| {
                        let c = &t.content;
                        vec![
                            c.name.clone(),
                            c.location.clone(),
                            c.coordinates.map(|p| p.lat()).unwrap_or_default(),
                            c.coordinates.map(|p| p.lon()).unwrap_or_default(),
                            days_text(c.hours),
                            c.hours.map(|h| h.opens().to_string()).unwrap_or_default(),
                            c.hours.map(|h| h.closes().to_string()).unwrap_or_default(),
                            c.tickets.adult.get().to_string(),
                            c.tickets.child.get().to_string(),
                            url(c.slug.as_str()),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}
