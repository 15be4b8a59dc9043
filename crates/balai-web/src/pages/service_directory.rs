//! The regency's service directory (issue 13 part 5): the administrator's
//! editor (`/staf/kabupaten/layanan`) and the public list every village
//! website shows (`/desa/{kode}/layanan-publik`; the kiosk shows it on its
//! information page).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::info_topic::InfoTopic;
use balai_services::ServiceError;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::self_service::info;
use balai_services::service_directory::{self, PublicService, ServiceDraft, ServiceForm};
use serde_json::{Value, json};

use super::complaints::public_village;
use super::info_pages::topics;
use super::{id, render};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

/// The services grouped by topic, in the kiosk's topic order.
pub(crate) fn by_topic(services: &[PublicService]) -> Vec<Value> {
    InfoTopic::ALL
        .iter()
        .filter_map(|t| {
            let items: Vec<Value> = services
                .iter()
                .filter(|s| s.topic == *t)
                .map(|s| {
                    json!({ "id": s.id.to_string(), "name": s.name, "description": s.description,
                        "place": s.place, "hours": s.hours, "requirements": s.requirements,
                        "contact": s.contact })
                })
                .collect();
            (!items.is_empty())
                .then(|| json!({ "label": info::topic_label(*t), "services": items }))
        })
        .collect()
}

/// `GET /staf/kabupaten/layanan`: the directory and a form for a new service.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
) -> Result<Html<String>, AppError> {
    page(
        &state,
        &current,
        "baru",
        &ServiceForm::default(),
        FieldErrors::default(),
    )
    .await
}

async fn page(
    state: &AppState,
    current: &CurrentStaff,
    editing: &str,
    form: &ServiceForm,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let services = service_directory::list(&state.db, &current.staff).await?;
    let regency = service_directory::editor_of(&current.staff)?;
    let name = balai_services::regions::name(&state.db, regency).await?;
    render(
        state,
        current,
        "service_directory.html",
        json!({ "regency": name, "groups": by_topic(&services), "count": services.len(),
            "editing": editing, "form": form, "errors": errors, "topics": topics() }),
    )
}

/// `GET /staf/kabupaten/layanan/{id}`: the form to rewrite a service.
pub(crate) async fn edit(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(sid): Path<String>,
) -> Result<Html<String>, AppError> {
    let s = service_directory::one(&state.db, &current.staff, id(&sid)?).await?;
    let form = ServiceForm {
        topik: s.topic.code().into(),
        nama: s.name,
        keterangan: s.description,
        tempat: s.place,
        jam: s.hours,
        syarat: s.requirements,
        kontak: s.contact,
    };
    page(&state, &current, &sid, &form, FieldErrors::default()).await
}

/// `POST /staf/kabupaten/layanan` (new) and `/staf/kabupaten/layanan/{id}`.
pub(crate) async fn save(
    State(state): State<AppState>,
    sid: Option<Path<String>>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let sid = sid.map_or_else(|| "baru".to_string(), |Path(s)| s);
    let target = if sid == "baru" { None } else { Some(id(&sid)?) };
    let input: ServiceForm = form.parse()?;
    let saved = match ServiceDraft::try_from(&input) {
        Ok(draft) => {
            service_directory::save(
                &state.db,
                state.clock.as_ref(),
                &current.staff,
                target,
                &draft,
            )
            .await
        }
        // Only the directory's editor learns what was wrong.
        Err(errors) => service_directory::list(&state.db, &current.staff)
            .await
            .and(Err(ServiceError::Form(errors))),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/staf/kabupaten/layanan").into_response()),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &current, &sid, &input, errors).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staf/kabupaten/layanan/{id}/hapus`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path(sid): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    service_directory::delete(
        &state.db,
        state.clock.as_ref(),
        &form.current.staff,
        id(&sid)?,
    )
    .await?;
    Ok(Redirect::to("/staf/kabupaten/layanan").into_response())
}

/// `GET /desa/{kode}/layanan-publik`: the regency's services, on the village's site.
pub(crate) async fn public(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let services = service_directory::for_village(&state.db, village).await?;
    let lang = crate::session::lang(&headers);
    let html = state.templates.render(
        "site_services.html",
        json!({ "lang": lang.code(), "village": v, "groups": by_topic(&services) }),
    )?;
    Ok(Html(html).into_response())
}
