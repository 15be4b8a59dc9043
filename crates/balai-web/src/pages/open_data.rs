//! Open data (`/api/…`): what a village's public website shows, as JSON
//! and CSV for data portals and other software, described by the OpenAPI
//! document at `/api/openapi.json` and listed in a DCAT catalogue
//! (JSON-LD, `/api/dcat.jsonld`) that portals such as CKAN harvest.
//!
//! Aggregates and published content only, exactly as the public pages show
//! them: statistics with small counts withheld (`balai_domain::disclosure`),
//! published news and activities without sign-ups, officials' names and
//! positions without NIP. Every response is cached like the page it mirrors
//! ([`crate::aggregate_cache`]) and carries an ETag; errors are JSON too.
//! Any origin may read (`Access-Control-Allow-Origin: *`, set in
//! `crate::api_routes`): there is nothing here a visitor may not see.

use std::collections::HashMap;

mod showcase;
pub(crate) use showcase::{products, tourism};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use balai_domain::disclosure::{Cell, PublicRow, PublicTable};
use balai_domain::population_stats::Category;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_services::statistics::{self, PublicStats, WilayahPart};
use balai_services::{officials, service_directory, site, villages};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::markdown;
use crate::state::AppState;

/// The OpenAPI 3.1 document; its schemas are what a test validates every
/// response against.
pub(crate) const OPENAPI: &str = include_str!("../../api/openapi.json");

const JSON: &str = "application/json";
const CSV: &str = "text/csv; charset=utf-8";
const JSON_LD: &str = "application/ld+json";

type Q = Query<HashMap<String, String>>;

/// JSON (the default) or CSV, as `?format=` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

impl Format {
    fn of(q: &HashMap<String, String>) -> Result<Format, ApiError> {
        match q.get("format").map(String::as_str) {
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some(_) => Err(ApiError::BadRequest("format: json atau csv")),
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Format::Json => "",
            Format::Csv => "?format=csv",
        }
    }
}

/// An error as an API client reads it: a status and a JSON body
/// (`{"error": …}`), never an HTML page.
#[derive(Debug)]
pub(crate) enum ApiError {
    NotFound,
    BadRequest(&'static str),
    Other(AppError),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::NotFound,
            e => ApiError::Other(e),
        }
    }
}

impl From<balai_services::ServiceError> for ApiError {
    fn from(e: balai_services::ServiceError) -> Self {
        AppError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "tidak ditemukan"),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            // Rate limits, internal errors: their own response (logged,
            // Retry-After), whose body a client does not parse anyway.
            ApiError::Other(e) => return e.into_response(),
        };
        (
            status,
            [(header::CONTENT_TYPE, JSON)],
            json!({ "error": message }).to_string(),
        )
            .into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

/// A village code from the address; anything else (a district, a malformed
/// or BPS-style code) is "not found".
fn village_code(kode: &str) -> Result<KodeWilayah, ApiError> {
    let k = KodeWilayah::parse(kode).map_err(|_| ApiError::NotFound)?;
    if k.level() != RegionLevel::Village {
        return Err(ApiError::NotFound);
    }
    Ok(k)
}

/// The absolute address of `path` on this server.
fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.public_url.as_str().trim_end_matches('/'))
}

fn cell(c: Cell) -> Value {
    match c {
        Cell::Shown(n) => json!(n),
        Cell::Hidden => Value::Null,
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// One CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV of `header` and `rows`, every field quoted as needed.
pub(crate) fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for r in rows {
        let line: Vec<String> = r.iter().map(|s| field(s)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

fn n(c: Cell) -> String {
    c.shown().map(|n| n.to_string()).unwrap_or_default()
}

/// Serves `key` from the aggregate cache, rendering it with `render` when
/// a figure or (with `stamp`) the village's content changed.
async fn cached<F, Fut>(state: &AppState, headers: &HeaderMap, key: String, render: F) -> ApiResult
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Page, AppError>>,
{
    let page = state.aggregates.page(&state.db, &key, render).await?;
    Ok(page.respond(headers))
}

fn json_page(v: &Value) -> Result<Page, AppError> {
    Page::new(JSON, v.to_string())
}

/// `GET /api/openapi.json`.
pub(crate) async fn openapi(headers: HeaderMap) -> ApiResult {
    Ok(Page::new(JSON, OPENAPI.to_string())?.respond(&headers))
}

// ------------------------------------------------------------ villages

fn village_links(state: &AppState, plain: &str) -> Value {
    json!({
        "website": absolute(state, &format!("/desa/{plain}")),
        "profile": absolute(state, &format!("/api/desa/{plain}")),
        "statistics": absolute(state, &format!("/api/desa/{plain}/statistik")),
        "agenda": absolute(state, &format!("/api/desa/{plain}/agenda")),
        "news": absolute(state, &format!("/api/desa/{plain}/berita")),
        "services": absolute(state, &format!("/api/desa/{plain}/layanan")),
    })
}

/// `GET /api/desa[?format=csv]`: every village on this server with its
/// population and families.
pub(crate) async fn villages_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Q,
) -> ApiResult {
    let format = Format::of(&q)?;
    let key = format!("/api/desa{}", format.suffix());
    cached(&state, &headers, key, || async {
        let regencies = statistics::overview(&state.db).await?;
        let all = regencies.iter().flat_map(|r| {
            r.villages
                .iter()
                .map(move |v| (r.kode.as_str(), r.name.as_str(), v))
        });
        match format {
            Format::Csv => Page::new(
                CSV,
                csv(
                    &[
                        "kode_desa",
                        "desa",
                        "kecamatan",
                        "kode_kabupaten",
                        "kabupaten",
                        "penduduk",
                        "keluarga",
                    ],
                    all.map(|(rk, rn, v)| {
                        vec![
                            v.kode.clone(),
                            v.name.clone(),
                            v.district.clone(),
                            rk.to_string(),
                            rn.to_string(),
                            v.population.to_string(),
                            v.families.to_string(),
                        ]
                    }),
                ),
            ),
            Format::Json => {
                let list: Vec<Value> = all
                    .map(|(rk, rn, v)| {
                        json!({ "kode": v.plain, "kode_dotted": v.kode, "name": v.name,
                            "district": v.district, "regency_kode": rk, "regency": rn,
                            "population": v.population, "families": v.families,
                            "links": village_links(&state, &v.plain) })
                    })
                    .collect();
                json_page(&json!({ "villages": list }))
            }
        }
    })
    .await
}

/// `GET /api/desa/{kode}`: the village's identity, key figures and
/// government.
pub(crate) async fn village(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> ApiResult {
    let village = village_code(&kode)?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!("/api/desa/{}#{on}#{stamp}", village.plain());
    cached(&state, &headers, key, || async {
        let v = villages::village(&state.db, village).await?;
        let stats = statistics::public(&state.db, village, None, on).await?;
        let (government, bpd) = officials::public_on(&state.db, village, on).await?;
        let profile = balai_services::village_profile::public(&state.db, village).await?;
        let plain = village.plain();
        json_page(&json!({
            "kode": plain, "kode_dotted": village.dotted(), "name": v.name,
            "district": { "kode": v.district().plain(), "name": v.district_name },
            "regency": { "kode": v.regency().plain(), "name": v.regency_name },
            "province": v.province_name,
            "on": on.to_string(),
            "population": { "men": cell(stats.population.men), "women": cell(stats.population.women),
                            "total": cell(stats.population.total) },
            "families": stats.families,
            "government": government, "bpd": bpd,
            "profile": profile_json(&profile),
            "links": village_links(&state, &plain),
        }))
    })
    .await
}

/// The village's profile as typed by its staff (the long texts as their
/// Markdown source; the site renders them). Empty fields are null.
fn profile_json(p: &balai_domain::village_profile::VillageProfileText) -> Value {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let b = &p.boundaries;
    json!({
        "office_address": text(&p.office_address),
        "phone": p.phone.as_ref().map(|x| x.as_str()),
        "email": p.email.as_ref().map(|x| x.as_str()),
        "area_km2": p.area.map(|a| format!("{}.{:02}", a.hundredths() / 100, a.hundredths() % 100)),
        "boundaries": { "north": text(&b.north), "east": text(&b.east), "south": text(&b.south), "west": text(&b.west) },
        "office_location": p.office_location.map(|c| json!({ "lat": c.lat(), "lon": c.lon() })),
        "vision": text(&p.vision),
        "mission": text(&p.mission),
        "history": text(&p.history),
        "institutions": text(&p.institutions),
    })
}

// ---------------------------------------------------------- statistics

/// The part of the village `?dusun=&rw=&rt=` names, checked against the
/// parts its figures know.
async fn part_of(
    state: &AppState,
    village: KodeWilayah,
    q: &HashMap<String, String>,
) -> Result<Option<WilayahPart>, ApiError> {
    let get = |k: &str| q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let Some(dusun) = get("dusun") else {
        if get("rw").is_some() || get("rt").is_some() {
            return Err(ApiError::BadRequest("rw dan rt hanya bersama dusun"));
        }
        return Ok(None);
    };
    let part = WilayahPart::parse(dusun, get("rw"), get("rt")).map_err(|_| ApiError::NotFound)?;
    let known = statistics::parts(&state.db, village)
        .await?
        .iter()
        .any(|k| {
            k.dusun == part.dusun
                && part.rw.as_ref().is_none_or(|rw| k.rw.as_ref() == Some(rw))
                && part.rt.as_ref().is_none_or(|rt| k.rt.as_ref() == Some(rt))
        });
    if !known {
        return Err(ApiError::NotFound);
    }
    Ok(Some(part))
}

fn part_key(part: Option<&WilayahPart>) -> String {
    part.map_or_else(String::new, |p| {
        format!(
            "#{}#{}#{}",
            p.dusun,
            p.rw.as_deref().unwrap_or(""),
            p.rt.as_deref().unwrap_or("")
        )
    })
}

fn part_json(part: Option<&WilayahPart>) -> Value {
    part.map_or(
        Value::Null,
        |p| json!({ "dusun": p.dusun, "rw": p.rw, "rt": p.rt }),
    )
}

fn row_json(r: &PublicRow) -> Value {
    json!({ "label": r.label, "men": cell(r.men), "women": cell(r.women), "total": cell(r.total) })
}

fn table_json(c: Category, t: &PublicTable) -> Value {
    json!({
        "slug": c.slug(), "title": c.title(),
        "rows": t.rows.iter().map(row_json).collect::<Vec<_>>(),
        "jumlah": row_json(&t.jumlah), "belum_mengisi": row_json(&t.belum_mengisi),
        "total": row_json(&t.total), "withheld": t.withheld,
    })
}

/// The rows of one table in the CSV every statistics file shares.
fn table_rows(
    village: KodeWilayah,
    name: &str,
    part: Option<&WilayahPart>,
    on: time::Date,
    c: Category,
    t: &PublicTable,
) -> Vec<Vec<String>> {
    let mut all: Vec<&PublicRow> = t.rows.iter().collect();
    all.extend([&t.jumlah, &t.belum_mengisi, &t.total]);
    all.into_iter()
        .map(|r| {
            let hidden = [r.men, r.women, r.total].contains(&Cell::Hidden);
            vec![
                village.dotted(),
                name.to_string(),
                part.map(|p| p.dusun.clone()).unwrap_or_default(),
                part.and_then(|p| p.rw.clone()).unwrap_or_default(),
                part.and_then(|p| p.rt.clone()).unwrap_or_default(),
                on.to_string(),
                c.slug().to_string(),
                r.label.clone(),
                n(r.men),
                n(r.women),
                n(r.total),
                if hidden { "<5".into() } else { String::new() },
            ]
        })
        .collect()
}

const STAT_HEADER: [&str; 12] = [
    "kode_desa",
    "desa",
    "dusun",
    "rw",
    "rt",
    "tanggal",
    "kategori",
    "baris",
    "laki_laki",
    "perempuan",
    "jumlah",
    "catatan",
];

/// One table as CSV, the same file the public statistics page offers
/// (`/desa/{kode}/statistik/{slug}.csv`) and this API serves.
pub(crate) fn table_csv(
    village: KodeWilayah,
    name: &str,
    part: Option<&WilayahPart>,
    on: time::Date,
    c: Category,
    t: &PublicTable,
) -> String {
    csv(&STAT_HEADER, table_rows(village, name, part, on, c, t))
}

fn stats_index_json(
    state: &AppState,
    village: KodeWilayah,
    part: Option<&WilayahPart>,
    stats: &PublicStats,
) -> Value {
    let plain = village.plain();
    let query = part.map_or_else(String::new, |p| {
        let mut pairs = vec![("dusun", p.dusun.as_str())];
        if let Some(rw) = &p.rw {
            pairs.push(("rw", rw));
            if let Some(rt) = &p.rt {
                pairs.push(("rt", rt));
            }
        }
        format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    });
    let tables: Vec<Value> = Category::ALL
        .iter()
        .map(|c| {
            json!({ "slug": c.slug(), "title": c.title(),
                "url": absolute(state, &format!("/api/desa/{plain}/statistik/{}{query}", c.slug())) })
        })
        .collect();
    json!({
        "kode": plain, "part": part_json(part), "on": stats.on.to_string(),
        "population": row_json(&stats.population), "families": stats.families,
        "pyramid": stats.pyramid.rows.iter().map(row_json).collect::<Vec<_>>(),
        "pyramid_withheld": stats.pyramid.withheld,
        "tables": tables,
    })
}

/// `GET /api/desa/{kode}/statistik[?dusun=&rw=&rt=][&format=csv]`: key
/// figures, the pyramid and the list of tables; as CSV, every table in one
/// file.
pub(crate) async fn statistics_index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    let part = part_of(&state, village, &q).await?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!(
        "/api/desa/{}/statistik{}{}#{on}",
        village.plain(),
        format.suffix(),
        part_key(part.as_ref())
    );
    cached(&state, &headers, key, || async {
        let v = villages::village(&state.db, village).await?;
        let stats = statistics::public(&state.db, village, part.as_ref(), on).await?;
        match format {
            Format::Json => json_page(&stats_index_json(&state, village, part.as_ref(), &stats)),
            Format::Csv => Page::new(
                CSV,
                csv(
                    &STAT_HEADER,
                    stats.tables.iter().flat_map(|(c, t)| {
                        table_rows(village, &v.name, part.as_ref(), stats.on, *c, t)
                    }),
                ),
            ),
        }
    })
    .await
}

/// `GET /api/desa/{kode}/statistik/{slug}[?dusun=&rw=&rt=][&format=csv]`:
/// one table.
pub(crate) async fn statistics_table(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kode, slug)): Path<(String, String)>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    let category = Category::ALL
        .iter()
        .copied()
        .find(|c| c.slug() == slug)
        .ok_or(ApiError::NotFound)?;
    let part = part_of(&state, village, &q).await?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!(
        "/api/desa/{}/statistik/{slug}{}{}#{on}",
        village.plain(),
        format.suffix(),
        part_key(part.as_ref())
    );
    cached(&state, &headers, key, || async {
        let v = villages::village(&state.db, village).await?;
        let stats = statistics::public(&state.db, village, part.as_ref(), on).await?;
        let t = stats.table(category).ok_or(AppError::NotFound)?;
        match format {
            Format::Json => {
                let mut body = table_json(category, t);
                body["kode"] = json!(village.plain());
                body["part"] = part_json(part.as_ref());
                body["on"] = json!(stats.on.to_string());
                json_page(&body)
            }
            Format::Csv => Page::new(
                CSV,
                table_csv(village, &v.name, part.as_ref(), stats.on, category, t),
            ),
        }
    })
    .await
}

// ------------------------------------------------ agenda, news, services

/// Published activities that have not ended by the start of the village's
/// today; the sign-ups are counted, never listed.
pub(crate) async fn agenda(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!(
        "/api/desa/{}/agenda{}#{on}#{stamp}",
        village.plain(),
        format.suffix()
    );
    cached(&state, &headers, key, || async {
        let from = super::site::start_of_today(&state, village);
        let list = site::upcoming(&state.db, village, from, 1_000).await?;
        let plain = village.plain();
        let url = |id: uuid::Uuid| absolute(&state, &format!("/desa/{plain}/agenda/{id}"));
        match format {
            Format::Json => {
                let items: Vec<Value> = list
                    .iter()
                    .map(|a| {
                        let d = &a.details;
                        json!({ "id": a.id.to_string(), "title": d.title, "description": d.description,
                            "place": d.place, "starts_at": rfc3339(d.starts_at), "ends_at": rfc3339(d.ends_at),
                            "capacity": d.capacity, "confirmed": a.confirmed, "waiting": a.waiting,
                            "seats_left": d.capacity.saturating_sub(a.confirmed),
                            "signup_open": d.signup_open, "url": url(a.id) })
                    })
                    .collect();
                json_page(&json!({ "kode": plain, "activities": items }))
            }
            Format::Csv => Page::new(
                CSV,
                csv(
                    &[
                        "id",
                        "judul",
                        "tempat",
                        "mulai",
                        "selesai",
                        "kapasitas",
                        "terdaftar",
                        "menunggu",
                        "pendaftaran_dibuka",
                        "alamat",
                    ],
                    list.iter().map(|a| {
                        let d = &a.details;
                        vec![
                            a.id.to_string(),
                            d.title.clone(),
                            d.place.clone(),
                            rfc3339(d.starts_at),
                            rfc3339(d.ends_at),
                            d.capacity.to_string(),
                            a.confirmed.to_string(),
                            a.waiting.to_string(),
                            if d.signup_open { "ya" } else { "tidak" }.into(),
                            url(a.id),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}

/// `GET /api/desa/{kode}/berita[?format=csv]`: published news, newest
/// first: title, day, summary and address (the text is on the page).
pub(crate) async fn news(
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
        "/api/desa/{}/berita{}#{stamp}",
        village.plain(),
        format.suffix()
    );
    cached(&state, &headers, key, || async {
        let posts = site::public_news(&state.db, village, 1_000).await?;
        let plain = village.plain();
        let url = |slug: &str| absolute(&state, &format!("/desa/{plain}/berita/{slug}"));
        let day = |d: Option<time::Date>| d.map(|d| d.to_string());
        match format {
            Format::Json => {
                let items: Vec<Value> = posts
                    .iter()
                    .map(|p| {
                        json!({ "slug": p.content.slug.as_str(), "title": p.content.title,
                            "published_on": day(p.published_on), "updated_at": rfc3339(p.updated_at),
                            "summary": markdown::summary(&p.content.body, 240),
                            "url": url(p.content.slug.as_str()) })
                    })
                    .collect();
                json_page(&json!({ "kode": plain, "news": items }))
            }
            Format::Csv => Page::new(
                CSV,
                csv(
                    &["judul", "tanggal_terbit", "ringkasan", "alamat"],
                    posts.iter().map(|p| {
                        vec![
                            p.content.title.clone(),
                            day(p.published_on).unwrap_or_default(),
                            markdown::summary(&p.content.body, 240),
                            url(p.content.slug.as_str()),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}

/// `GET /api/desa/{kode}/layanan[?format=csv]`: the regency's public
/// services (health, schools, civil registry, …) as the village shows them.
pub(crate) async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let list = service_directory::for_village(&state.db, village).await?;
    let body = match format {
        Format::Json => {
            let items: Vec<Value> = list
                .iter()
                .map(|s| {
                    json!({ "topic": s.topic.code(), "name": s.name, "description": s.description,
                        "place": s.place, "hours": s.hours, "requirements": s.requirements,
                        "contact": s.contact, "updated_at": rfc3339(s.updated_at) })
                })
                .collect();
            json_page(&json!({ "kode": village.plain(), "services": items }))?
        }
        Format::Csv => Page::new(
            CSV,
            csv(
                &[
                    "topik",
                    "nama",
                    "keterangan",
                    "tempat",
                    "jam_layanan",
                    "persyaratan",
                    "kontak",
                ],
                list.iter().map(|s| {
                    vec![
                        s.topic.code().to_string(),
                        s.name.clone(),
                        s.description.clone(),
                        s.place.clone(),
                        s.hours.clone(),
                        s.requirements.clone(),
                        s.contact.clone(),
                    ]
                }),
            ),
        )?,
    };
    Ok(body.respond(&headers))
}

// ------------------------------------------------------------ budget

fn figures_json(f: balai_domain::budget::Figures) -> Value {
    json!({ "budget": f.budget, "realised": f.realised,
            "realisation_percent": super::budget::percent_number(f.percent()) })
}

/// `GET /api/desa/{kode}/apbdes[?format=csv]`: the village's published
/// budget years with their income and spending totals.
pub(crate) async fn budget_years(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let plain = village.plain();
    let key = format!("/api/desa/{plain}/apbdes{}#{stamp}", format.suffix());
    cached(&state, &headers, key, || async {
        let mut years = Vec::new();
        for y in balai_services::budget::public_years(&state.db, village).await? {
            let b = balai_services::budget::public_year(&state.db, village, y.year).await?;
            years.push((y, b.report));
        }
        match format {
            Format::Json => json_page(
                &json!({ "kode": plain, "years": years.iter().map(|(y, r)| json!({
                "year": y.year.get(),
                "period": y.report.map(|(p, _)| p.form_value()),
                "report_on": y.report.map(|(_, d)| d.to_string()),
                "income": figures_json(r.income), "spending": figures_json(r.spending),
                "url": absolute(&state, &format!("/api/desa/{plain}/apbdes/{}", y.year)),
                "page": absolute(&state, &format!("/desa/{plain}/apbdes/{}", y.year)),
            })).collect::<Vec<_>>() }),
            ),
            Format::Csv => Page::new(
                CSV,
                csv(
                    &[
                        "tahun",
                        "periode",
                        "tanggal_laporan",
                        "pendapatan_anggaran",
                        "pendapatan_realisasi",
                        "belanja_anggaran",
                        "belanja_realisasi",
                    ],
                    years.iter().map(|(y, r)| {
                        vec![
                            y.year.to_string(),
                            y.report
                                .map(|(p, _)| p.form_value().to_string())
                                .unwrap_or_default(),
                            y.report.map(|(_, d)| d.to_string()).unwrap_or_default(),
                            r.income.budget.to_string(),
                            r.income.realised.to_string(),
                            r.spending.budget.to_string(),
                            r.spending.realised.to_string(),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}

/// `GET /api/desa/{kode}/apbdes/{tahun}[?format=csv]`: a published year:
/// totals, income by group, spending by field and type, financing, and
/// every line (the CSV is the page's download, the same text).
pub(crate) async fn budget_year(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kode, tahun)): Path<(String, String)>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let year = balai_domain::budget::FiscalYear::parse(&tahun).ok_or(ApiError::NotFound)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let plain = village.plain();
    let key = format!("/api/desa/{plain}/apbdes/{year}{}#{stamp}", format.suffix());
    cached(&state, &headers, key, || async {
        let b = balai_services::budget::public_year(&state.db, village, year).await?;
        if format == Format::Csv {
            return Page::new(CSV, super::budget::year_csv(&b));
        }
        let r = &b.report;
        let meta = b.year.as_ref().and_then(|y| y.report);
        let rows = |rows: &[balai_domain::budget::Row<balai_domain::budget::AccountCode>]| {
            rows.iter()
                .map(|a| json!({ "code": a.key.code(), "name": a.key.name(), "figures": figures_json(a.figures) }))
                .collect::<Vec<_>>()
        };
        json_page(&json!({
            "kode": plain, "year": year.get(),
            "period": meta.map(|(p, _)| p.form_value()),
            "report_on": meta.map(|(_, d)| d.to_string()),
            "income": figures_json(r.income), "spending": figures_json(r.spending),
            "financing_receipts": figures_json(r.financing_in),
            "financing_expenditure": figures_json(r.financing_out),
            "net_financing": { "budget": r.net_financing.budget as i64, "realised": r.net_financing.realised as i64 },
            "surplus": { "budget": r.surplus.budget as i64, "realised": r.surplus.realised as i64 },
            "income_by_group": rows(&r.income_by_group),
            "spending_by_type": rows(&r.spending_by_type),
            "spending_by_field": r.spending_by_field.iter().map(|f| json!({
                "code": f.key.code(), "name": f.key.name(), "figures": figures_json(f.figures) })).collect::<Vec<_>>(),
            "financing": rows(&r.financing_by_account),
            "lines": b.lines.iter().map(|l| json!({
                "account": l.line.account().code(), "account_name": l.line.account().name(),
                "sub_field": l.line.sub_bidang().map(|s| s.code()), "name": l.line.name,
                "figures": figures_json(balai_domain::budget::Figures::of([&l.line])),
            })).collect::<Vec<_>>(),
            "page": absolute(&state, &format!("/desa/{plain}/apbdes/{year}")),
        }))
    })
    .await
}

// ------------------------------------------------- public information

/// `GET /api/desa/{kode}/informasi-publik[?format=csv]`: the village's list
/// of public information (Daftar Informasi Publik): titles, categories,
/// years, document links — never requests or requesters.
pub(crate) async fn public_information(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let village = village_code(&kode)?;
    let format = Format::of(&q)?;
    villages::village(&state.db, village).await?;
    let items = super::public_info::open_data_entries(&state, village).await?;
    let body = match format {
        Format::Json => json_page(&json!({ "kode": village.plain(), "entries": items }))?,
        Format::Csv => {
            let text = |v: &Value, k: &str| match &v[k] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            Page::new(
                CSV,
                csv(
                    &[
                        "judul",
                        "ringkasan",
                        "kategori",
                        "badan_publik",
                        "tahun",
                        "dasar_pengecualian",
                        "alasan_pengecualian",
                        "dokumen",
                    ],
                    items.iter().map(|e| {
                        [
                            "title",
                            "summary",
                            "category",
                            "body",
                            "year",
                            "exemption_ground",
                            "exemption_reason",
                            "document_url",
                        ]
                        .iter()
                        .map(|k| text(e, k))
                        .collect()
                    }),
                ),
            )?
        }
    };
    Ok(body.respond(&headers))
}

// ------------------------------------------------------------ regency

/// `GET /api/kabupaten/{kode}[?format=csv]`: a regency's figures and its
/// villages on this server.
pub(crate) async fn regency(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let kode = KodeWilayah::parse(&kode).map_err(|_| ApiError::NotFound)?;
    if kode.level() != RegionLevel::Regency {
        return Err(ApiError::NotFound);
    }
    let format = Format::of(&q)?;
    let key = format!("/api/kabupaten/{}{}", kode.plain(), format.suffix());
    cached(&state, &headers, key, || async {
        let r = statistics::regency_headline(&state.db, kode).await?;
        match format {
            Format::Json => json_page(&json!({
                "kode": r.kode, "name": r.name, "population": r.population, "families": r.families,
                "villages": r.villages.iter().map(|v| json!({
                    "kode": v.plain, "name": v.name, "district": v.district,
                    "population": v.population, "families": v.families,
                    "api": absolute(&state, &format!("/api/desa/{}", v.plain)),
                })).collect::<Vec<_>>(),
            })),
            Format::Csv => Page::new(
                CSV,
                csv(
                    &["kode_desa", "desa", "kecamatan", "penduduk", "keluarga"],
                    r.villages.iter().map(|v| {
                        vec![
                            v.kode.clone(),
                            v.name.clone(),
                            v.district.clone(),
                            v.population.to_string(),
                            v.families.to_string(),
                        ]
                    }),
                ),
            ),
        }
    })
    .await
}

// --------------------------------------------------------------- DCAT

/// One DCAT distribution: the same data as JSON or CSV.
fn distribution(url: &str, format: Format, title: &str) -> Value {
    let (media, suffix, name) = match format {
        Format::Json => (JSON, "", "JSON"),
        Format::Csv => (
            "text/csv",
            if url.contains('?') {
                "&format=csv"
            } else {
                "?format=csv"
            },
            "CSV",
        ),
    };
    json!({ "@type": "dcat:Distribution", "dct:title": format!("{title} ({name})"),
        "dcat:accessURL": { "@id": format!("{url}{suffix}") },
        "dcat:downloadURL": { "@id": format!("{url}{suffix}") },
        "dcat:mediaType": media, "dct:format": name })
}

/// `GET /api/dcat.jsonld`: a DCAT catalogue of every village's open data
/// (statistics, agenda, news, public services), each as JSON and CSV.
pub(crate) async fn catalogue(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    cached(&state, &headers, "/api/dcat.jsonld".into(), || async {
        let regencies = statistics::overview(&state.db).await?;
        let mut datasets = Vec::new();
        for r in &regencies {
            for v in &r.villages {
                let place = format!("Desa {}, Kecamatan {}, {}", v.name, v.district, r.name);
                let api = |p: &str| absolute(&state, &format!("/api/desa/{}{p}", v.plain));
                for (id, title, keyword, path) in [
                    ("statistik", "Statistik kependudukan", "kependudukan", "/statistik"),
                    ("agenda", "Agenda kegiatan", "agenda", "/agenda"),
                    ("berita", "Berita desa", "berita", "/berita"),
                    ("layanan", "Layanan publik", "layanan publik", "/layanan"),
                    ("produk", "Produk unggulan, UMKM dan BUMDes", "produk", "/produk"),
                    ("wisata", "Wisata", "wisata", "/wisata"),
                    ("apbdes", "APBDes (anggaran dan realisasi)", "anggaran", "/apbdes"),
                    ("informasi-publik", "Daftar informasi publik", "informasi publik", "/informasi-publik"),
                ] {
                    let title = format!("{title} {place}");
                    let url = api(path);
                    datasets.push(json!({
                        "@id": format!("{}#{id}", api("")),
                        "@type": "dcat:Dataset",
                        "dct:identifier": format!("{}-{id}", v.plain),
                        "dct:title": title,
                        "dct:description": format!("{title}. Data agregat dan konten yang diterbitkan desa; tanpa data pribadi."),
                        "dct:publisher": { "@type": "foaf:Organization", "foaf:name": format!("Pemerintah Desa {}", v.name) },
                        "dct:spatial": { "@type": "dct:Location", "dct:identifier": v.kode, "rdfs:label": place },
                        "dct:language": { "@id": "http://id.loc.gov/vocabulary/iso639-1/id" },
                        "dcat:keyword": ["desa", keyword],
                        "dcat:landingPage": { "@id": absolute(&state, &format!("/desa/{}", v.plain)) },
                        "dcat:distribution": [distribution(&url, Format::Json, &title), distribution(&url, Format::Csv, &title)],
                    }));
                }
            }
        }
        let body = json!({
            "@context": {
                "dcat": "http://www.w3.org/ns/dcat#",
                "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            },
            "@id": absolute(&state, "/api/dcat.jsonld"),
            "@type": "dcat:Catalog",
            "dct:title": "Data terbuka desa",
            "dct:description": "Data agregat desa-desa di server ini: statistik kependudukan, agenda, berita, layanan publik, produk dan wisata.",
            "dct:language": { "@id": "http://id.loc.gov/vocabulary/iso639-1/id" },
            "foaf:homepage": { "@id": absolute(&state, "/") },
            "dcat:dataset": datasets,
        });
        Page::new(JSON_LD, body.to_string())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_they_must_be() {
        let out = csv(&["a", "b"], [vec!["x".into(), "y, \"z\"\nw".into()]]);
        assert_eq!(out, "a,b\nx,\"y, \"\"z\"\"\nw\"\n");
    }

    #[test]
    fn the_openapi_document_is_json_of_version_3_1() {
        let doc: Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    }

    #[test]
    fn format_is_json_csv_or_refused() {
        let q = |v: &str| HashMap::from([("format".to_string(), v.to_string())]);
        assert_eq!(Format::of(&HashMap::new()).unwrap(), Format::Json);
        assert_eq!(Format::of(&q("csv")).unwrap(), Format::Csv);
        assert!(Format::of(&q("xml")).is_err());
    }
}
