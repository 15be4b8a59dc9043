//! The village's letter settings: letterhead, signer, numbering, paper,
//! residents' downloads and the village's own template. Everyone who may see
//! the village sees them; only its operators may change them.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_services::ServiceError;
use balai_services::letters::settings::{self, SettingsForm, SettingsView};
use balai_services::registry::field_errors::FieldErrors;
use balai_services::staff::VillageAccess;
use serde_json::json;

use super::{render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

async fn page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    view: SettingsView,
    errors: FieldErrors,
    saved: bool,
) -> Result<Html<String>, AppError> {
    render(
        state,
        current,
        "letter_settings.html",
        json!({ "village": village_context(state, access).await?, "settings": view, "errors": errors, "saved": saved,
            "max_template_kb": settings::MAX_TEMPLATE_BYTES / 1024, "max_logo_kb": settings::MAX_LOGO_BYTES / 1024 }),
    )
}

/// `GET /staf/desa/{kode}/surat/pengaturan` (`?tersimpan` after a save).
pub(crate) async fn show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let view = settings::view(&state.db, state.clock.as_ref(), &access).await?;
    let saved = query.is_some_and(|q| q.split('&').any(|p| p == "tersimpan"));
    page(
        &state,
        &current,
        &access,
        view,
        FieldErrors::default(),
        saved,
    )
    .await
}

/// `POST /staf/desa/{kode}/surat/pengaturan`: saves, or shows the form again
/// as typed with every problem.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: SettingsForm = form.parse()?;
    match settings::save(
        &state.db,
        state.clock.as_ref(),
        &state.renderer,
        &access,
        &input,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/surat/pengaturan?tersimpan",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => {
            let view = settings::view_form(&state.db, state.clock.as_ref(), &access, input).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &current, &access, view, errors, false).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
