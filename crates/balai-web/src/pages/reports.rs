//! The mutation report and the Buku Induk Penduduk.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use balai_services::registry::today;
use balai_services::reports;
use serde_json::json;

use super::import_export::attachment;
use super::{render, village_access, village_context};
use crate::error::AppError;
use crate::session::CurrentStaff;
use crate::state::AppState;

type Q = Query<std::collections::HashMap<String, String>>;

/// `GET /staf/desa/{kode}/laporan/mutasi?tahun=&bulan=[&format=xlsx]` (default: this month).
pub(crate) async fn mutation(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let now = today(state.clock.as_ref());
    let year = q
        .get("tahun")
        .and_then(|v| v.parse().ok())
        .unwrap_or(now.year());
    let month = q
        .get("bulan")
        .and_then(|v| v.parse().ok())
        .unwrap_or(u8::from(now.month()));
    let report = reports::mutation(&state.db, &access, year, month).await?;
    let village = village_context(&state, &access).await?;
    if q.get("format").map(String::as_str) == Some("xlsx") {
        let name = village["name"].as_str().unwrap_or_default().to_string();
        let bytes = reports::mutation_xlsx(&name, year, month, &report)?;
        return Ok(attachment(
            &format!("mutasi-{}-{year}-{month:02}.xlsx", access.village().plain()),
            bytes,
        ));
    }
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
    Ok(render(&state, &current, "mutation.html", json!({ "village": village, "rows": rows, "year": year, "month": month, "period": format!("{month:02}/{year}"), "reconciles": report.reconciles() }))?.into_response())
}

/// `GET /staf/desa/{kode}/laporan/buku-induk[?hal=][&format=xlsx]`.
pub(crate) async fn buku_induk(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let village = village_context(&state, &access).await?;
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
    Ok(render(
        &state,
        &current,
        "buku_induk.html",
        json!({ "village": village, "rows": rows, "total": total, "page": page, "pages": pages }),
    )?
    .into_response())
}
