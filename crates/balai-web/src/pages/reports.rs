//! The mutation report and the Buku Induk Penduduk.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use balai_domain::KodeWilayah;
use balai_services::prints;
use balai_services::registry::today;
use balai_services::reports::{self, ReportMonth};
use serde_json::json;
use std::collections::HashMap;

use super::import_export::attachment;
use super::{pdf_response, render, village_access, village_context};
use crate::error::AppError;
use crate::session::CurrentStaff;
use crate::state::AppState;

type Q = Query<HashMap<String, String>>;

/// The month a report page asks for: `periode=YYYY-MM` (the month picker),
/// or the older `tahun=&bulan=` (links already given out), else this month.
fn report_month(
    state: &AppState,
    village: KodeWilayah,
    q: &HashMap<String, String>,
) -> Result<ReportMonth, AppError> {
    let periode = q.get("periode").map(|s| s.trim()).filter(|s| !s.is_empty());
    if let Some(p) = periode {
        return ReportMonth::parse_iso(p).map_err(AppError::BadRequest);
    }
    let now = ReportMonth::of(today(state.clock.as_ref(), village));
    let year = q.get("tahun").and_then(|v| v.trim().parse().ok());
    let month = q.get("bulan").and_then(|v| v.trim().parse().ok());
    match (year, month) {
        (None, None) => Ok(now),
        (y, m) => ReportMonth::new(y.unwrap_or(now.year), m.unwrap_or(now.month))
            .map_err(AppError::BadRequest),
    }
}

/// `GET /staf/desa/{kode}/laporan/mutasi?periode=YYYY-MM[&format=xlsx|pdf]`
/// (default: this month).
pub(crate) async fn mutation(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let m = report_month(&state, access.village(), &q)?;
    let (year, month) = (m.year, m.month);
    match q.get("format").map(String::as_str) {
        Some("pdf") => {
            let printed = prints::mutation(&state.db, state.clock.as_ref(), &access, m).await?;
            return Ok(pdf_response(printed.pdf, &printed.file_name, true));
        }
        Some("xlsx") => {
            let village = village_context(&state, &access).await?;
            let name = village["name"].as_str().unwrap_or_default().to_string();
            let report = reports::mutation(&state.db, &access, year, month).await?;
            let bytes = reports::mutation_xlsx(&name, year, month, &report)?;
            return Ok(attachment(
                &format!("mutasi-{}-{year}-{month:02}.xlsx", access.village().plain()),
                bytes,
            ));
        }
        _ => {}
    }
    let report = reports::mutation(&state.db, &access, year, month).await?;
    let village = village_context(&state, &access).await?;
    let keys = [
        "rep-start",
        "rep-births",
        "rep-in",
        "rep-deaths",
        "rep-out",
        "rep-end",
    ];
    let rows: Vec<_> = reports::mutation_rows(&report)
        .into_iter()
        .zip(keys)
        .enumerate()
        .map(|(i, ((_, m, f), key))| json!({ "key": key, "male": m, "female": f, "strong": i == 0 || i == 5 }))
        .collect();
    // Submitting to the regency: the month's submission, if any, and whether this person may submit.
    let seen = balai_services::staff::overview(&state.db, &current.staff, access.village()).await?;
    let submission = reports::submission(&state.db, &seen, m).await?.map(|s| {
        json!({ "by": s.submitted_by, "at": balai_domain::time_zone::ZonaWaktu::of(access.village()).local(s.submitted_at).date().to_string() })
    });
    Ok(render(&state, &current, "mutation.html", json!({ "village": village, "rows": rows, "year": year, "month": month, "periode": m.iso(), "period": m.to_string(), "reconciles": report.reconciles(),
        "submission": submission, "may_submit": reports::may_submit(&access) }))?.into_response())
}

/// `GET /staf/desa/{kode}/laporan/mutasi/dusun?periode=YYYY-MM[&format=pdf]`:
/// the month's mutation report per dusun, with the village's total.
pub(crate) async fn mutation_by_dusun(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let m = report_month(&state, access.village(), &q)?;
    if q.get("format").map(String::as_str) == Some("pdf") {
        let printed =
            prints::mutation_by_dusun(&state.db, state.clock.as_ref(), &access, m).await?;
        return Ok(pdf_response(printed.pdf, &printed.file_name, true));
    }
    let total = reports::mutation(&state.db, &access, m.year, m.month).await?;
    let parts = reports::mutation_by_dusun(&state.db, &access, m).await?;
    let line = |label: &str, r: &balai_domain::mutation_report::MutationReport| {
        let cells: Vec<_> = [r.start, r.births, r.moved_in, r.deaths, r.moved_out, r.end]
            .iter()
            .map(|s| json!({ "male": s.male, "female": s.female }))
            .collect();
        json!({ "label": label, "cells": cells })
    };
    let rows: Vec<_> = parts.iter().map(|d| line(&d.dusun, &d.report)).collect();
    let total_row = line("", &total);
    Ok(render(
        &state,
        &current,
        "mutation_dusun.html",
        json!({ "village": village_context(&state, &access).await?, "rows": rows, "total": total_row,
            "periode": m.iso(), "period": m.to_string() }),
    )?
    .into_response())
}

/// `GET /staf/desa/{kode}/laporan/buku-induk[?hal=][&format=xlsx|pdf]`.
pub(crate) async fn buku_induk(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let village = village_context(&state, &access).await?;
    if q.get("format").map(String::as_str) == Some("pdf") {
        let part = q
            .get("bagian")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(1);
        let printed = prints::buku_induk(&state.db, state.clock.as_ref(), &access, part).await?;
        return Ok(pdf_response(printed.pdf, &printed.file_name, true));
    }
    if q.get("format").map(String::as_str) == Some("xlsx") {
        let (rows, _) = reports::buku_induk(&state.db, state.clock.as_ref(), &access, None).await?;
        let bytes = reports::buku_induk_xlsx(village["name"].as_str().unwrap_or_default(), &rows)?;
        return Ok(attachment(
            &format!("buku-induk-{}.xlsx", access.village().plain()),
            bytes,
        ));
    }
    let page: usize = q
        .get("hal")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let (rows, total) =
        reports::buku_induk(&state.db, state.clock.as_ref(), &access, Some(page)).await?;
    let pages = total.div_ceil(reports::INDUK_PER_PAGE).max(1);
    // The printed book's parts: (part, first number, last number).
    let parts: Vec<_> = (0..total.div_ceil(prints::INDUK_PER_PART))
        .map(|i| json!({ "part": i + 1, "from": i * prints::INDUK_PER_PART + 1, "to": ((i + 1) * prints::INDUK_PER_PART).min(total) }))
        .collect();
    Ok(render(
        &state,
        &current,
        "buku_induk.html",
        json!({ "village": village, "rows": rows, "total": total, "page": page, "pages": pages, "parts": parts }),
    )?
    .into_response())
}

/// `GET /staf/desa/{kode}/statistik[?dusun=&rw=&rt=]`: every population
/// table of the village or of one of its parts, on today's date.
pub(crate) async fn statistics(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    use balai_services::statistics::{self, WilayahPart};
    let access = village_access(&state, &current, &kode).await?;
    let on = today(state.clock.as_ref(), access.village());
    let dusun = q.get("dusun").map(|s| s.trim()).filter(|s| !s.is_empty());
    let part = dusun
        .map(|d| {
            WilayahPart::parse(
                d,
                q.get("rw").map(String::as_str),
                q.get("rt").map(String::as_str),
            )
        })
        .transpose()?;
    let stats = match &part {
        Some(p) => statistics::part(&state.db, access.village(), p, on).await?,
        None => statistics::village(&state.db, access.village(), on).await?,
    };
    let pct = |n: u64, of: u64| {
        if of == 0 {
            "0,00".to_string()
        } else {
            format!("{:.2}", n as f64 * 100.0 / of as f64).replace('.', ",")
        }
    };
    let row = |label: &str, t: balai_domain::population_stats::Tally, of: u64| json!({ "label": label, "men": t.men, "women": t.women, "total": t.total(), "pct": pct(t.total(), of) });
    let tables: Vec<_> = stats
        .tables
        .iter()
        .map(|t| {
            let of = t.total.total();
            let mut rows: Vec<_> = t.rows.iter().map(|r| row(&r.label, r.tally, of)).collect();
            rows.push(row("JUMLAH", t.jumlah, of));
            rows.push(row("BELUM MENGISI", t.belum_mengisi, of));
            rows.push(row("TOTAL", t.total, of));
            json!({ "slug": t.category.slug(), "title": t.category.title(), "rows": rows })
        })
        .collect();
    let all = stats.by_status.iter().map(|r| r.tally.total()).sum::<u64>();
    let by_status: Vec<_> = stats
        .by_status
        .iter()
        .map(|r| row(&r.label, r.tally, all))
        .collect();
    let units = balai_services::registry::wilayah_units(&state.db, &access).await?;
    let dusuns: std::collections::BTreeSet<&str> = units.iter().map(|u| u.0.as_str()).collect();
    let village = village_context(&state, &access).await?;
    Ok(render(
        &state,
        &current,
        "statistics.html",
        json!({
            "village": village, "on": on.to_string(), "tables": tables, "by_status": by_status,
            "population": stats.population.total(), "families": stats.families,
            "dusuns": dusuns, "dusun": part.as_ref().map(|p| p.dusun.clone()),
            "rw": part.as_ref().and_then(|p| p.rw.clone()), "rt": part.as_ref().and_then(|p| p.rt.clone()),
        }),
    )?
    .into_response())
}
