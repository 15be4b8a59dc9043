//! The six smart-village pillars scorecard (issue 13 part 4): the
//! regency's (or a facilitator's villages') figures over five years with
//! each village's figure of one indicator, as a page and as CSV; one
//! village's figures over five years for the regency, a facilitator or the
//! village's own staff. Aggregates only: no personal data.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use balai_domain::KodeWilayah;
use balai_domain::smart_village::{Figure, INDICATORS, Indicator, Pillar};
use balai_services::regency;
use balai_services::smart_village::{self, FIRST_YEAR, Scorecard};
use serde_json::{Value, json};

use super::import_export::attachment;
use super::{render, village_access, village_context};
use crate::error::AppError;
use crate::session::CurrentStaff;
use crate::state::AppState;

type Q = Query<HashMap<String, String>>;

/// Height of the tallest bar of the over-the-years chart, in SVG units.
const BAR: f64 = 100.0;

fn cell(f: Option<Figure>, i: usize) -> Value {
    let d = &INDICATORS[i];
    match f {
        None => json!({ "shown": "—", "held": false }),
        Some(f) => {
            let parts = match f {
                // "0 / 0" under a dash says nothing more than the dash.
                Figure::Share { part, whole } if whole > 0 => Some(format!("{part} / {whole}")),
                Figure::Mean { villages, .. } if villages > 1 => Some(format!("n = {villages}")),
                _ => None,
            };
            json!({ "shown": f.display(d.measure), "held": true, "parts": parts })
        }
    }
}

/// The pillar tables: each pillar with its figures, one cell per year.
fn pillars_json(card: &Scorecard) -> Value {
    Pillar::ALL
        .iter()
        .map(|p| {
            let rows: Vec<Value> = INDICATORS
                .iter()
                .enumerate()
                .filter(|(_, d)| d.pillar == *p)
                .map(|(i, d)| {
                    let cells: Vec<Value> =
                        card.years.iter().map(|y| cell(y.scores[i], i)).collect();
                    json!({ "code": d.code, "key": d.key, "def": format!("{}-def", d.key),
                        "now": d.period == balai_domain::smart_village::Period::Now,
                        "cells": cells })
                })
                .collect();
            json!({ "key": p.label_key(), "rows": rows })
        })
        .collect()
}

/// The chosen indicator's figure over the years, as bars scaled to the largest.
fn chart_json(card: &Scorecard, i: usize) -> Value {
    let measure = INDICATORS[i].measure;
    let values: Vec<Option<f64>> = card
        .years
        .iter()
        .map(|y| y.scores[i].and_then(|f| f.value(measure)))
        .collect();
    let most = values.iter().flatten().copied().fold(0.0_f64, f64::max);
    let bars: Vec<Value> = card
        .years
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(k, (y, v))| {
            let h = match v {
                Some(v) if most > 0.0 => (v / most * BAR).round().max(1.0),
                _ => 0.0,
            };
            json!({ "x": 30 + k * 70, "h": h, "y": 115.0 - h, "year": y.year,
                "shown": y.scores[i].map_or("—".into(), |f| f.display(measure)) })
        })
        .collect();
    json!({ "bars": bars, "width": 30 + card.years.len() * 70 })
}

fn year_options(this_year: i32) -> Vec<i32> {
    (FIRST_YEAR..=this_year).rev().collect()
}

fn indicator_param(q: &HashMap<String, String>) -> Result<usize, AppError> {
    match q.get("indikator").map(|s| s.trim()) {
        None | Some("") => Ok(0),
        Some(code) => Indicator::from_code(code)
            .map(Indicator::index)
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "indikator harus salah satu dari {}",
                    INDICATORS
                        .iter()
                        .map(|d| d.code)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
    }
}

/// The CSV of every village's figures in the year: one column per figure,
/// numbers with a decimal point (percent, count or index), empty when not held.
fn csv(card: &Scorecard) -> String {
    let mut out = String::from("kode_desa,desa,kecamatan");
    for d in &INDICATORS {
        let _ = write!(out, ",{}", d.code);
    }
    out.push('\n');
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for v in &card.villages {
        let _ = write!(
            out,
            "{},{},{}",
            v.kode.dotted(),
            field(&v.name),
            field(&v.district_name)
        );
        for (i, d) in INDICATORS.iter().enumerate() {
            let value = v.scores[i]
                .and_then(|f| f.value(d.measure))
                .map(|x| format!("{x}"))
                .unwrap_or_default();
            let _ = write!(out, ",{value}");
        }
        out.push('\n');
    }
    out
}

fn this_year(state: &AppState, place: KodeWilayah) -> i32 {
    balai_services::registry::today(state.clock.as_ref(), place).year()
}

/// `GET /staf/kabupaten/pilar[?tahun=&indikator=&format=csv]`.
pub(crate) async fn regency_page(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Q,
) -> Result<Response, AppError> {
    let view = regency::view(&current.staff)?;
    let clock = state.clock.as_ref();
    let year =
        smart_village::parse_year(q.get("tahun").map(String::as_str), clock, view.regency())?;
    let chosen = indicator_param(&q)?;
    let card = smart_village::regency(&state.db, clock, &view, year).await?;
    match q.get("format").map(String::as_str) {
        None | Some("") => {}
        Some("csv") => {
            return Ok(attachment(
                &format!("pilar-desa-cerdas-{}-{year}.csv", view.regency().plain()),
                csv(&card).into_bytes(),
            ));
        }
        Some(_) => return Err(AppError::BadRequest("format harus \"csv\"".into())),
    }
    let measure = INDICATORS[chosen].measure;
    let mut villages: Vec<(&smart_village::VillageScores, Option<f64>)> = card
        .villages
        .iter()
        .map(|v| (v, v.scores[chosen].and_then(|f| f.value(measure))))
        .collect();
    // Highest first; villages without the figure last, in code order.
    villages.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.kode.cmp(&b.0.kode))
    });
    let villages: Vec<Value> = villages
        .iter()
        .map(|(v, _)| {
            json!({ "kode": v.kode.plain(), "name": v.name, "district_name": v.district_name,
                "cell": cell(v.scores[chosen], chosen) })
        })
        .collect();
    let name = regency::regency_name(&state.db, &view).await?;
    let html = render(
        &state,
        &current,
        "smart_village.html",
        json!({ "regency": name, "whole": view.whole_regency(), "year": year,
            "years": card.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            "year_options": year_options(this_year(&state, view.regency())),
            "pillars": pillars_json(&card), "chart": chart_json(&card, chosen),
            "indicator": { "code": INDICATORS[chosen].code, "key": INDICATORS[chosen].key },
            "indicators": INDICATORS.iter().map(|d| json!({ "code": d.code, "key": d.key })).collect::<Vec<_>>(),
            "villages": villages, "action": "/staf/kabupaten/pilar" }),
    )?;
    Ok(html.into_response())
}

async fn village_page(
    state: &AppState,
    current: &CurrentStaff,
    kode: KodeWilayah,
    card: Scorecard,
    action: String,
    chosen: usize,
    nav: Option<Value>,
) -> Result<Response, AppError> {
    let v = card.villages.first().ok_or(AppError::NotFound)?;
    let html = render(
        state,
        current,
        "smart_village.html",
        json!({ "village": nav, "scored": { "kode": kode.plain(), "kode_titik": kode.dotted(), "name": v.name,
                "district_name": v.district_name },
            "year": card.year, "years": card.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            "year_options": year_options(this_year(state, kode)),
            "pillars": pillars_json(&card), "chart": chart_json(&card, chosen),
            "indicator": { "code": INDICATORS[chosen].code, "key": INDICATORS[chosen].key },
            "indicators": INDICATORS.iter().map(|d| json!({ "code": d.code, "key": d.key })).collect::<Vec<_>>(),
            "regency_view": regency::view(&current.staff).is_ok(), "action": action }),
    )?;
    Ok(html.into_response())
}

/// `GET /staf/kabupaten/pilar/desa/{kode}[?tahun=&indikator=]`.
pub(crate) async fn village_for_regency(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let view = regency::view(&current.staff)?;
    let k = KodeWilayah::parse(&kode).map_err(|_| AppError::NotFound)?;
    let clock = state.clock.as_ref();
    let year = smart_village::parse_year(q.get("tahun").map(String::as_str), clock, k)?;
    let chosen = indicator_param(&q)?;
    let card = smart_village::village_for_view(&state.db, clock, &view, k, year).await?;
    let action = format!("/staf/kabupaten/pilar/desa/{}", k.plain());
    village_page(&state, &current, k, card, action, chosen, None).await
}

/// `GET /staf/desa/{kode}/pilar[?tahun=&indikator=]`: the village's own.
pub(crate) async fn village_own(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let clock = state.clock.as_ref();
    let year =
        smart_village::parse_year(q.get("tahun").map(String::as_str), clock, access.village())?;
    let chosen = indicator_param(&q)?;
    let card = smart_village::village(&state.db, clock, &access, year).await?;
    let k = access.village();
    let action = format!("/staf/desa/{}/pilar", k.plain());
    let nav = village_context(&state, &access).await?;
    village_page(&state, &current, k, card, action, chosen, Some(nav)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_domain::smart_village::Scores;

    #[test]
    fn the_csv_has_one_column_per_figure_and_empty_cells_for_figures_not_held() {
        let mut scores: Scores = [None; INDICATORS.len()];
        scores[0] = Some(Figure::Share { part: 1, whole: 3 });
        scores[9] = Some(Figure::Count(4));
        let card = Scorecard {
            year: 2026,
            years: vec![],
            villages: vec![smart_village::VillageScores {
                kode: KodeWilayah::parse("3310012001").unwrap(),
                name: "Desa \"Baru\", Lor".into(),
                district_name: "Prambanan".into(),
                scores,
            }],
        };
        let out = csv(&card);
        let mut lines = out.lines();
        let head = lines.next().unwrap();
        assert_eq!(head.split(',').count(), 3 + INDICATORS.len());
        assert!(head.starts_with("kode_desa,desa,kecamatan,G1,G2"));
        let row = lines.next().unwrap();
        assert!(
            row.starts_with("33.10.01.2001,\"Desa \"\"Baru\"\", Lor\",Prambanan,33.3,"),
            "{row}"
        );
        assert!(row.contains(",4,"), "{row}");
    }
}
