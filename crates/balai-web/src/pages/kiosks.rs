//! Enrolling the village office's kiosk as a known device. The operator
//! opens this page on the kiosk itself and enrols it: the response gives
//! that browser the device cookie (HttpOnly, long-lived, scoped to the
//! kiosk's pages), and from then on the kiosk is throttled as its own
//! device rather than by the address it shares with the office.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use balai_services::ServiceError;
use balai_services::kiosks;
use balai_services::registry::local_date;
use serde_json::{Value, json};

use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::rate_limit::KIOSK_DEVICE_COOKIE;
use crate::session::{CurrentStaff, StaffForm, cookie};
use crate::state::AppState;

/// How long the kiosk's browser keeps its device cookie (five years).
const DEVICE_COOKIE_SECS: i64 = 5 * 365 * 24 * 3600;

async fn page(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
    this_device: Option<&str>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let access = village_access(state, current, kode).await?;
    let here = match this_device {
        Some(t) => {
            kiosks::client(
                &state.db,
                access.village(),
                Some(t),
                balai_services::login_throttle::Client::Unknown,
            )
            .await?
        }
        None => balai_services::login_throttle::Client::Unknown,
    };
    let rows: Vec<Value> = kiosks::list(&state.db, &access)
        .await?
        .iter()
        .map(|d| {
            json!({ "id": d.id.to_string(), "name": d.name, "created": local_date(d.created_at, access.village()).to_string(),
                "by": d.created_by, "revoked": d.revoked_at.map(|t| local_date(t, access.village()).to_string()),
                "here": here == balai_services::login_throttle::Client::Kiosk(d.id) })
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        current,
        "kiosks.html",
        json!({ "village": village_context(state, &access).await?, "kiosks": rows, "error": error }),
    )?;
    Ok((status, html).into_response())
}

/// `GET /staf/desa/{kode}/anjungan`.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    headers: axum::http::HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    page(
        &state,
        &current,
        &kode,
        cookie(&headers, KIOSK_DEVICE_COOKIE),
        None,
    )
    .await
}

/// `POST /staf/desa/{kode}/anjungan`: enrol the browser that sent it.
pub(crate) async fn enrol(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    // Parsed here, at the edge: the service takes only the typed name.
    let outcome = match kiosks::KioskName::parse(form.get("nama")) {
        Ok(name) => kiosks::enrol(&state.db, state.clock.as_ref(), &access, &name).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match outcome {
        Ok(done) => {
            let mut res =
                Redirect::to(&format!("/staf/desa/{}/anjungan", access.village().plain()))
                    .into_response();
            let c = format!(
                "{KIOSK_DEVICE_COOKIE}={}; Path=/anjungan/{}; HttpOnly; SameSite=Lax; Max-Age={DEVICE_COOKIE_SECS}{}",
                done.token,
                access.village().plain(),
                if state.secure_cookies { "; Secure" } else { "" }
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&c).map_err(|e| AppError::internal(e.to_string()))?,
            );
            // The staff page itself must see the cookie too, to mark "this device".
            let c = format!(
                "{KIOSK_DEVICE_COOKIE}={}; Path=/staf/desa/{}/anjungan; HttpOnly; SameSite=Lax; Max-Age={DEVICE_COOKIE_SECS}{}",
                done.token,
                access.village().plain(),
                if state.secure_cookies { "; Secure" } else { "" }
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&c).map_err(|e| AppError::internal(e.to_string()))?,
            );
            Ok(res)
        }
        Err(ServiceError::Form(e)) => {
            page(&state, &form.current, &kode, None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staf/desa/{kode}/anjungan/{id}/cabut`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Path((kode, device)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    kiosks::revoke(&state.db, state.clock.as_ref(), &access, id(&device)?).await?;
    Ok(Redirect::to(&format!("/staf/desa/{}/anjungan", access.village().plain())).into_response())
}
