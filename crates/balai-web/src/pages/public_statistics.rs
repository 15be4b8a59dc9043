//! A village's public statistics (`/desa/{kode}/statistik`): every table
//! as a server-side SVG bar chart beside its table, a population pyramid,
//! each for the whole village or one dusun, RW or RT, and every table as
//! CSV. Aggregates only, small counts withheld (`balai_domain::disclosure`),
//! so pages are cached until a figure changes.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use balai_domain::KodeWilayah;
use balai_domain::disclosure::{Cell, PublicRow, PublicTable};
use balai_domain::population_stats::Category;
use balai_services::statistics::{self, PublicStats, WilayahPart};
use balai_services::villages;
use serde_json::{Value, json};

use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::RequestLang;
use crate::state::AppState;

type Q = Query<HashMap<String, String>>;

/// Width of a chart's bar area, in SVG units.
const BAR_WIDTH: f64 = 300.0;

/// The village and part a request names, read from the address alone (no
/// database): a page already rendered for them is served from the cache
/// without touching the database.
fn requested(
    kode: &str,
    q: &HashMap<String, String>,
) -> Result<(KodeWilayah, Option<WilayahPart>), AppError> {
    let village = KodeWilayah::parse(kode).map_err(|_| AppError::NotFound)?;
    if village.level() != balai_domain::RegionLevel::Village {
        return Err(AppError::NotFound);
    }
    let field = |k: &str| {
        q.get(k)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let part = field("dusun")
        .map(|d| {
            WilayahPart::parse(&d, field("rw").as_deref(), field("rt").as_deref())
                .map_err(|_| AppError::NotFound)
        })
        .transpose()?;
    Ok((village, part))
}

/// Checks, when a page is rendered, that the village is served here and the
/// part is one its figures know ("not found" otherwise: not cached), and
/// returns the village and its parts.
async fn check(
    state: &AppState,
    village: KodeWilayah,
    part: Option<&WilayahPart>,
) -> Result<(balai_domain::village::Village, Vec<WilayahPart>), AppError> {
    let v = villages::village(&state.db, village).await?;
    let parts = statistics::parts(&state.db, village).await?;
    if let Some(p) = part {
        let known = parts.iter().any(|k| {
            k.dusun == p.dusun
                && p.rw.as_ref().is_none_or(|rw| k.rw.as_ref() == Some(rw))
                && p.rt.as_ref().is_none_or(|rt| k.rt.as_ref() == Some(rt))
        });
        if !known {
            return Err(AppError::NotFound);
        }
    }
    Ok((v, parts))
}

/// The query string naming a part (`?dusun=…&rw=…&rt=…`), or "".
fn part_query(part: Option<&WilayahPart>) -> String {
    let Some(p) = part else {
        return String::new();
    };
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
}

fn cell(c: Cell) -> Value {
    match c {
        Cell::Shown(n) => json!(n),
        Cell::Hidden => Value::Null,
    }
}

fn pct(c: Cell, of: Cell) -> Option<String> {
    match (c, of) {
        (Cell::Shown(n), Cell::Shown(of)) if of > 0 => {
            Some(format!("{:.2}", n as f64 * 100.0 / of as f64).replace('.', ","))
        }
        (Cell::Shown(_), Cell::Shown(_)) => Some("0,00".into()),
        _ => None,
    }
}

fn row_json(r: &PublicRow, of: Cell) -> Value {
    json!({ "label": r.label, "men": cell(r.men), "women": cell(r.women),
            "total": cell(r.total), "pct": pct(r.total, of) })
}

/// A table's rows with the bar geometry of its chart (bars for the coded
/// rows and BELUM MENGISI; withheld counts get no bar).
fn table_json(t: &PublicTable) -> Value {
    let mut charted: Vec<&PublicRow> = t.rows.iter().collect();
    charted.push(&t.belum_mengisi);
    let max = charted
        .iter()
        .filter_map(|r| r.total.shown())
        .max()
        .unwrap_or(0)
        .max(1);
    let bars: Vec<Value> = charted
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let width = r
                .total
                .shown()
                .map(|n| (n as f64 / max as f64 * BAR_WIDTH).round());
            // Long labels (some occupations) are cut to fit beside the bar;
            // the table and the bar's title carry them whole.
            let short: String = if r.label.chars().count() > 28 {
                r.label.chars().take(27).chain(['…']).collect()
            } else {
                r.label.clone()
            };
            json!({ "y": i * 22, "label": r.label, "short": short, "width": width,
                    "value": r.total.shown(), "text_x": 172.0 + width.unwrap_or(0.0) })
        })
        .collect();
    let mut rows: Vec<Value> = t.rows.iter().map(|r| row_json(r, t.total.total)).collect();
    rows.push(row_json(&t.jumlah, t.total.total));
    rows.push(row_json(&t.belum_mengisi, t.total.total));
    rows.push(row_json(&t.total, t.total.total));
    json!({ "rows": rows, "bars": bars, "height": charted.len() * 22 + 4, "withheld": t.withheld })
}

/// Bars of the pyramid: men to the left of the axis, women to the right.
fn pyramid_json(p: &PublicTable) -> Value {
    let max = p
        .rows
        .iter()
        .flat_map(|r| [r.men.shown(), r.women.shown()])
        .flatten()
        .max()
        .unwrap_or(0)
        .max(1);
    let half = 150.0;
    let n = p.rows.len();
    let bands: Vec<Value> = p
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let w = |c: Cell| c.shown().map(|v| (v as f64 / max as f64 * half).round());
            // Oldest at the top.
            json!({ "y": (n - 1 - i) * 18, "label": r.label,
                    "men": w(r.men), "women": w(r.women),
                    "men_x": 200.0 - w(r.men).unwrap_or(0.0),
                    "men_n": r.men.shown(), "women_n": r.women.shown() })
        })
        .collect();
    json!({ "bands": bands, "height": n * 18 + 4, "withheld": p.withheld })
}

fn common(
    lang: Lang,
    village: &balai_domain::village::Village,
    part: Option<&WilayahPart>,
    parts: &[WilayahPart],
    stats: &PublicStats,
) -> Value {
    let dusuns: std::collections::BTreeSet<&str> = parts.iter().map(|p| p.dusun.as_str()).collect();
    json!({
        "lang": lang.code(),
        "kode": village.kode.plain(),
        "village": { "name": village.name, "district": village.district_name, "regency": village.regency_name },
        "on": stats.on.to_string(),
        "dusun": part.map(|p| p.dusun.clone()),
        "rw": part.and_then(|p| p.rw.clone()),
        "rt": part.and_then(|p| p.rt.clone()),
        "dusuns": dusuns,
        "query": part_query(part),
        "population": row_json(&stats.population, stats.population.total),
        "families": stats.families,
        "categories": Category::ALL.iter().map(|c| json!({ "slug": c.slug(), "title": c.title() })).collect::<Vec<_>>(),
    })
}

/// `GET /desa/{kode}/statistik[?dusun=&rw=&rt=]`: key figures, the
/// pyramid and the list of tables.
pub(crate) async fn index(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let (village, part) = requested(&kode, &q)?;
    // Ages change with the day: the day is part of what the page shows.
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!(
        "/desa/{}/statistik{}#{}#{on}",
        village.plain(),
        part_query(part.as_ref()),
        lang.code()
    );
    let page = state
        .aggregates
        .page(&state.db, &key, || async {
            let (v, parts) = check(&state, village, part.as_ref()).await?;
            let stats = statistics::public(&state.db, village, part.as_ref(), on).await?;
            let mut ctx = common(lang, &v, part.as_ref(), &parts, &stats);
            ctx["pyramid"] = pyramid_json(&stats.pyramid);
            Page::new(
                "text/html; charset=utf-8",
                state.templates.render("public_statistics.html", ctx)?,
            )
        })
        .await?;
    Ok(page.respond(&headers))
}

/// `GET /desa/{kode}/statistik/{slug}[.csv][?dusun=&rw=&rt=]`: one table
/// with its chart, or as CSV.
pub(crate) async fn table(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, slug)): Path<(String, String)>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let (slug, csv) = match slug.strip_suffix(".csv") {
        Some(s) => (s.to_string(), true),
        None => (slug, false),
    };
    let category = Category::ALL
        .iter()
        .copied()
        .find(|c| c.slug() == slug)
        .ok_or(AppError::NotFound)?;
    let (village, part) = requested(&kode, &q)?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!(
        "/desa/{}/statistik/{slug}{}{}#{}#{on}",
        village.plain(),
        if csv { ".csv" } else { "" },
        part_query(part.as_ref()),
        lang.code()
    );
    let page = state
        .aggregates
        .page(&state.db, &key, || async {
            let (v, parts) = check(&state, village, part.as_ref()).await?;
            let stats = statistics::public(&state.db, village, part.as_ref(), on).await?;
            let t = stats.table(category).ok_or(AppError::NotFound)?;
            if csv {
                return Page::new(
                    "text/csv; charset=utf-8",
                    super::open_data::table_csv(
                        village,
                        &v.name,
                        part.as_ref(),
                        stats.on,
                        category,
                        t,
                    ),
                );
            }
            let mut ctx = common(lang, &v, part.as_ref(), &parts, &stats);
            ctx["table"] = table_json(t);
            ctx["slug"] = json!(category.slug());
            ctx["title"] = json!(category.title());
            Page::new(
                "text/html; charset=utf-8",
                state
                    .templates
                    .render("public_statistics_table.html", ctx)?,
            )
        })
        .await?;
    Ok(page.respond(&headers))
}
