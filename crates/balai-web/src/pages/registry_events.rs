//! Forms for departures (death, moving away, missing, away) and arrivals.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_services::ServiceError;
use balai_services::registry::events::{self, Departure, DepartureForm, MoveInForm};
use balai_services::registry::{self, field_errors::FieldErrors};
use serde_json::{Value, json};

use super::residents::{code_lists, options, resident_json};
use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

async fn departure_page(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
    rid: uuid::Uuid,
    form: Value,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let access = village_access(state, current, kode).await?;
    access.require_write()?;
    let r = registry::resident(&state.db, state.clock.as_ref(), &access, rid).await?;
    // Candidates to succeed a departing head: the other living members.
    let heirs: Vec<Value> = events::heirs(&state.db, state.clock.as_ref(), &access, &r)
        .await?
        .into_iter()
        .map(|h| json!({ "id": h.id.to_string(), "name": h.name, "relationship": h.relationship.label() }))
        .collect();
    // Who may move out along with them: the other current members.
    let mates: Vec<Value> = events::housemates(&state.db, state.clock.as_ref(), &access, &r)
        .await?
        .into_iter()
        .map(|h| json!({ "id": h.id.to_string(), "name": h.name, "relationship": h.relationship.label() }))
        .collect();
    render(
        state,
        current,
        "departure.html",
        json!({ "village": village_context(state, &access).await?, "r": resident_json(&r), "heirs": heirs, "mates": mates,
            "form": form, "errors": errors, "codes": event_code_lists() }),
    )
}

/// The particulars' code lists, for the event forms' choices.
pub(crate) fn event_code_lists() -> Value {
    use balai_domain::codes::{
        AlasanPindah, PenerangKematian, PenolongKelahiran, SebabKematian, TempatDilahirkan,
    };
    json!({
        "sebab": options::<SebabKematian>(), "penerang": options::<PenerangKematian>(),
        "alasan": options::<AlasanPindah>(), "tempat_dilahirkan": options::<TempatDilahirkan>(),
        "penolong": options::<PenolongKelahiran>(),
    })
}

/// What was typed on the departure form, to show it again.
fn departure_echo(input: &DepartureForm) -> Value {
    let mut v = serde_json::to_value(&input.particulars).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("peristiwa".into(), json!(input.peristiwa));
        m.insert("tanggal".into(), json!(input.tanggal));
        m.insert("kepala_baru".into(), json!(input.kepala_baru));
        m.insert("ikut".into(), json!(input.particulars.ikut));
    }
    v
}

/// `GET /staf/desa/{kode}/penduduk/{id}/peristiwa`.
pub(crate) async fn departure_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    departure_page(
        &state,
        &current,
        &kode,
        id(&rid)?,
        json!({}),
        FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/penduduk/{id}/peristiwa`.
pub(crate) async fn departure_submit(
    State(state): State<AppState>,
    Path((kode, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let rid = id(&rid)?;
    let mut input: DepartureForm = form.parse()?;
    // A repeated field: every ticked member moving along.
    input.particulars.ikut = form.all("ikut").into_iter().map(str::to_owned).collect();
    // Parsed here, at the edge: the service takes only the typed departure.
    let outcome = match Departure::try_from(&input) {
        Ok(d) => events::record_departure(&state.db, state.clock.as_ref(), &access, rid, &d).await,
        Err(errors) => Err(ServiceError::Form(errors)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/penduduk/{rid}",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => {
            let echo = departure_echo(&input);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                departure_page(&state, &current, &kode, rid, echo, errors).await?,
            )
                .into_response())
        }
        Err(ServiceError::Invalid(message)) => {
            let mut errors = FieldErrors::default();
            errors.add("peristiwa", message);
            let echo = departure_echo(&input);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                departure_page(&state, &current, &kode, rid, echo, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn move_in_page(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
    form: &MoveInForm,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let access = village_access(state, current, kode).await?;
    access.require_write()?;
    render(
        state,
        current,
        "move_in.html",
        json!({ "village": village_context(state, &access).await?, "form": form_json(form), "errors": errors, "codes": code_lists(), "event_codes": event_code_lists() }),
    )
}

fn form_json(f: &MoveInForm) -> Value {
    let mut v = serde_json::to_value(&f.person).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("tanggal".into(), json!(f.tanggal));
        m.insert("keluarga_id".into(), json!(f.keluarga_id));
        m.insert("no_kk".into(), json!(f.keluarga_baru.no_kk));
        m.insert("alamat".into(), json!(f.keluarga_baru.alamat));
        m.insert("dusun".into(), json!(f.keluarga_baru.dusun));
        m.insert("rw".into(), json!(f.keluarga_baru.rw));
        m.insert("rt".into(), json!(f.keluarga_baru.rt));
        m.insert("alamat_asal".into(), json!(f.asal.alamat_asal));
        m.insert("kode_asal".into(), json!(f.asal.kode_asal));
        m.insert("alasan_pindah".into(), json!(f.asal.alasan_pindah));
    }
    v
}

/// `GET /staf/desa/{kode}/pindah-masuk` (optionally `?keluarga=<id>` to join a family).
pub(crate) async fn move_in_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let form = MoveInForm {
        keluarga_id: q.get("keluarga").cloned().unwrap_or_default(),
        ..Default::default()
    };
    move_in_page(&state, &current, &kode, &form, FieldErrors::default()).await
}

/// `POST /staf/desa/{kode}/pindah-masuk`.
pub(crate) async fn move_in_submit(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: MoveInForm = form.parse()?;
    // The form becomes a typed command here; a bad field re-renders it.
    let today = balai_services::registry::today(state.clock.as_ref(), access.village());
    let cmd = match events::MoveIn::parse(&input, today) {
        Ok(cmd) => cmd,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                move_in_page(&state, &current, &kode, &input, errors).await?,
            )
                .into_response());
        }
    };
    match events::record_move_in(&state.db, state.clock.as_ref(), &access, &cmd).await {
        Ok(rid) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/penduduk/{rid}",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            move_in_page(&state, &current, &kode, &input, errors).await?,
        )
            .into_response()),
        Err(ServiceError::Invalid(m)) => {
            let mut errors = FieldErrors::default();
            errors.add("nik", m);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                move_in_page(&state, &current, &kode, &input, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
