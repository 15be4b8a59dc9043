//! The village's profile: the public page `/desa/{kode}/profil` and its
//! editor `/staf/desa/{kode}/profil` (the site's editors write; the rest of
//! the village's staff read).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::village_profile::VillageProfileText;
use balai_services::ServiceError;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::site;
use balai_services::staff::VillageAccess;
use balai_services::village_profile::{self, ProfileForm, WriteProfile};
use serde_json::{Value, json};

use super::complaints::public_village;
use super::{render, village_access, village_context};
use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::markdown;
use crate::session::{CurrentStaff, RequestLang, StaffForm};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";

/// The profile as pages show it: the long texts as safe HTML (no images:
/// a profile has no photos of its own).
fn profile_json(p: &VillageProfileText) -> Value {
    let md = |s: &str| {
        if s.trim().is_empty() {
            Value::Null
        } else {
            Value::from(markdown::to_safe_html(s, "/-/"))
        }
    };
    let b = &p.boundaries;
    json!({
        "office_address": p.office_address,
        "phone": p.phone.as_ref().map(|x| x.as_str()),
        "email": p.email.as_ref().map(|x| x.as_str()),
        "area": p.area.map(|a| a.to_string()),
        "boundaries": if [&b.north, &b.east, &b.south, &b.west].iter().all(|s| s.is_empty()) {
            Value::Null
        } else {
            json!({ "north": b.north, "east": b.east, "south": b.south, "west": b.west })
        },
        "map": p.office_location.map(|c| json!({ "link": c.map_link(), "lat": c.lat(), "lon": c.lon() })),
        "history": md(&p.history),
        "vision": p.vision,
        "mission": md(&p.mission),
        "institutions": md(&p.institutions),
        "empty": p.is_empty(),
    })
}

/// `GET /desa/{kode}/profil`: the village's profile.
pub(crate) async fn public(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let profile = village_profile::public(&state.db, village).await?;
    let ctx = json!({
        "lang": lang.code(), "village": v, "profile": profile_json(&profile),
        "canonical": super::site::absolute(&state, &format!("/desa/{}/profil", village.plain())),
    });
    Ok(Page::new(HTML, state.templates.render("site_profile.html", ctx)?)?.respond(&headers))
}

async fn editor(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    form: &ProfileForm,
    errors: &FieldErrors,
    saved: bool,
) -> Result<Html<String>, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_edit"] = json!(site::may_edit(access));
    let stored = village_profile::staff_view(&state.db, access).await?;
    render(
        state,
        current,
        "staff_profile.html",
        json!({ "village": village, "form": form, "errors": errors, "saved": saved,
            "updated_by": stored.as_ref().map(|s| s.updated_by.clone()),
            "updated": stored.as_ref().map(|s| crate::templates::local_time(s.updated_at,
                balai_domain::time_zone::ZonaWaktu::of(access.village()))) }),
    )
}

/// `GET /staf/desa/{kode}/profil[?tersimpan=1]`: the profile editor.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let form = village_profile::staff_view(&state.db, &access)
        .await?
        .map(|p| ProfileForm::of(&p.text))
        .unwrap_or_default();
    let saved = q.get("tersimpan").is_some_and(|v| v == "1");
    editor(
        &state,
        &current,
        &access,
        &form,
        &FieldErrors::default(),
        saved,
    )
    .await
}

/// `POST /staf/desa/{kode}/profil`: saves the profile; a bad field comes
/// back under its name with everything typed kept.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: ProfileForm = form.parse()?;
    let done = match WriteProfile::try_from(&input) {
        Ok(p) => village_profile::save(&state.db, state.clock.as_ref(), &access, &p).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/profil?tersimpan=1",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            editor(&state, &current, &access, &input, &errors, false).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
