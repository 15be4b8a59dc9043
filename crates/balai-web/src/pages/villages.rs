//! The staff start page and a village's dashboard.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::letter_request::RequestStatus;
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
    if matches!(staff.role, Role::VillageOperator | Role::VillageHead) {
        return Ok(Redirect::to(&format!("/staf/desa/{}", staff.scope.plain())).into_response());
    }
    let summaries = state.store.village_summaries(None).await?;
    let villages: Vec<_> = summaries
        .iter()
        .filter(|s| staff.may_read(s.village.kode))
        .map(|s| json!({ "kode": s.village.kode.plain(), "kode_titik": s.village.kode.dotted(), "name": s.village.name, "district": s.village.district_name, "population": s.population, "families": s.families }))
        .collect();
    Ok(render(
        &state,
        &current,
        "staff_home.html",
        json!({ "villages": villages, "regency_info": (staff.role == Role::RegencyAdmin).then(|| staff.scope.plain()) }),
    )?
    .into_response())
}

/// `GET /staf/desa/{kode}`: the village's headline numbers and its menu.
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let on = balai_services::registry::today(state.clock.as_ref());
    let stats = balai_services::statistics::village(&state.store, access.village(), on).await?;
    let counts = state.store.letter_request_counts(access.village()).await?;
    let count = |f: fn(RequestStatus) -> bool| -> i64 {
        counts.iter().filter(|(s, _)| f(*s)).map(|(_, n)| n).sum()
    };
    let open = count(|s| !s.is_final());
    let to_sign = count(|s| s == RequestStatus::MenungguTtd);
    render(
        &state,
        &current,
        "village.html",
        json!({ "village": village_context(&state, &access).await?, "population": stats.population.total(), "families": stats.families,
            "open_requests": open, "to_sign": to_sign }),
    )
}
