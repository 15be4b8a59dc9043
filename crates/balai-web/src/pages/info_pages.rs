//! Writing the kiosk's information pages: a village operator for the
//! village, a regency admin for every village of the regency.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::info_topic::InfoTopic;
use balai_services::ServiceError;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::registry::local_date;
use balai_services::self_service::info::{self, InfoPageDraft, InfoPageForm};
use serde_json::{Value, json};

use super::{id, render};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

async fn scope_of(state: &AppState, scope: &str) -> Result<(KodeWilayah, String), AppError> {
    let k = KodeWilayah::parse(scope).map_err(|_| AppError::NotFound)?;
    let name = balai_services::regions::name(&state.db, k).await?;
    Ok((k, name))
}

pub(crate) fn topics() -> Vec<Value> {
    InfoTopic::ALL
        .iter()
        .map(|t| json!({ "code": t.code(), "label": info::topic_label(*t) }))
        .collect()
}

/// `GET /staf/info/{scope}`.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(scope): Path<String>,
) -> Result<Html<String>, AppError> {
    let (k, name) = scope_of(&state, &scope).await?;
    let pages = info::pages_of(&state.db, &current.staff, k).await?;
    let rows: Vec<Value> = pages
        .iter()
        .map(|p| {
            json!({ "id": p.id.to_string(), "topic": info::topic_label(p.topic), "title": p.title,
            "updated": local_date(p.updated_at, k).to_string() })
        })
        .collect();
    render(
        &state,
        &current,
        "info_pages.html",
        json!({ "scope": k.plain(), "scope_name": name, "pages": rows }),
    )
}

fn form_page(
    state: &AppState,
    current: &CurrentStaff,
    scope: KodeWilayah,
    page_id: &str,
    form: &InfoPageForm,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    render(
        state,
        current,
        "info_page_form.html",
        json!({ "scope": scope.plain(), "id": page_id, "form": form, "errors": errors, "topics": topics() }),
    )
}

/// `GET /staf/info/{scope}/{id}` (`baru` for a new page).
pub(crate) async fn form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((scope, pid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (k, _) = scope_of(&state, &scope).await?;
    let form = if pid == "baru" {
        // Checks the right to write before showing an empty form.
        info::pages_of(&state.db, &current.staff, k).await?;
        InfoPageForm {
            topik: "kesehatan".into(),
            ..Default::default()
        }
    } else {
        let p = info::page_of(&state.db, &current.staff, k, id(&pid)?).await?;
        InfoPageForm {
            topik: p.topic.code().to_string(),
            judul: p.title,
            isi: p.body,
        }
    };
    form_page(&state, &current, k, &pid, &form, FieldErrors::default())
}

/// `POST /staf/info/{scope}/{id}`.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path((scope, pid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let (k, _) = scope_of(&state, &scope).await?;
    let page_id = if pid == "baru" { None } else { Some(id(&pid)?) };
    let input: InfoPageForm = form.parse()?;
    let saved = match InfoPageDraft::try_from(&input) {
        Ok(draft) => {
            info::save(
                &state.db,
                state.clock.as_ref(),
                &current.staff,
                k,
                page_id,
                &draft,
            )
            .await
        }
        // Only someone who may write these pages sees what was wrong.
        Err(errors) => info::pages_of(&state.db, &current.staff, k)
            .await
            .and(Err(ServiceError::Form(errors))),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/staf/info/{}", k.plain())).into_response()),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, &current, k, &pid, &input, errors)?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staf/info/{scope}/{id}/hapus`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path((scope, pid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let (k, _) = scope_of(&state, &scope).await?;
    info::delete(
        &state.db,
        state.clock.as_ref(),
        &form.current.staff,
        k,
        id(&pid)?,
    )
    .await?;
    Ok(Redirect::to(&format!("/staf/info/{}", k.plain())).into_response())
}
