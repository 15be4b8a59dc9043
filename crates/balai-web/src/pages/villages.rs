//! The staff start page and a village's dashboard.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_domain::role::Role;
use serde_json::json;

use super::{render, village_access, village_context};
use crate::error::AppError;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// `GET /staf`: the villages this staff member can open (an operator goes straight to theirs).
pub(crate) async fn home(
    State(state): State<AppState>,
    current: CurrentStaff,
) -> Result<Response, AppError> {
    let staff = &current.staff;
    if matches!(
        staff.role,
        Role::VillageOperator | Role::VillageHead | Role::VillageOfficial
    ) {
        return Ok(Redirect::to(&format!("/staf/desa/{}", staff.scope.plain())).into_response());
    }
    let summaries = balai_services::villages::readable_by(&state.db, staff).await?;
    let villages: Vec<_> = summaries
        .iter()
        .map(|s| json!({ "kode": s.village.kode.plain(), "kode_titik": s.village.kode.dotted(), "name": s.village.name, "district": s.village.district_name, "population": s.population, "families": s.families }))
        .collect();
    Ok(render(
        &state,
        &current,
        "staff_home.html",
        json!({ "villages": villages, "regency_info": (staff.role == Role::RegencyAdmin).then(|| staff.scope.plain()),
            "regency_dashboard": balai_services::regency::view(staff).is_ok() }),
    )?
    .into_response())
}

/// `GET /staf/desa/{kode}`: the village's headline numbers and its menu.
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    // The regency administrator and facilitators see a village's
    // aggregates only: its figures page, never the office's pages.
    let village = balai_domain::KodeWilayah::parse(&kode).map_err(|_| AppError::NotFound)?;
    let seen = balai_services::staff::overview(&state.db, &current.staff, village).await?;
    if !seen.personal() {
        return Ok(Redirect::to(&format!("/staf/wilayah/{}", village.plain())).into_response());
    }
    let access = village_access(&state, &current, &kode).await?;
    let d = balai_services::villages::dashboard(&state.db, &access).await?;
    let notes = balai_services::coaching::list(&state.db, &seen).await?;
    let unanswered = notes.iter().filter(|n| n.answer.is_none()).count();
    let latest: Vec<_> = notes
        .iter()
        .take(3)
        .map(|n| json!({ "id": n.id.to_string(), "noted_on": n.noted_on.to_string(), "author": n.author_name, "body": n.body, "answered": n.answer.is_some() }))
        .collect();
    Ok(render(
        &state,
        &current,
        "village.html",
        json!({ "village": village_context(&state, &access).await?, "population": d.summary.population, "families": d.summary.families,
            "open_requests": d.open_requests, "to_sign": d.to_sign, "notes": latest, "unanswered": unanswered }),
    )?
    .into_response())
}
