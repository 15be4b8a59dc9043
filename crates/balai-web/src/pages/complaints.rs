//! Complaints: the public form and follow-up page of a village
//! (`/desa/{kode}/pengaduan`), and the staff's list and answer pages
//! (`/staf/desa/{kode}/pengaduan`).
//!
//! The public forms carry a double-submit CSRF token (a cookie set with the
//! form) and a honeypot field that people never see; both POSTs are
//! rate-limited per client as every public form is (`rate_limit`). A
//! reference is followed by POST, so it stays out of addresses, histories
//! and access logs.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::complaint::{ComplaintCategory, ComplaintStatus};
use balai_services::ServiceError;
use balai_services::complaints::{
    self, ComplaintForm, FileComplaint, PublicComplaint, Respond, ResponseForm, StaffComplaint,
};
use balai_services::registry::field_errors::FieldErrors;
use balai_services::registry::local_date;
use balai_services::secrets::{constant_time_eq, random_token};
use serde_json::{Value, json};

use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{CurrentStaff, StaffForm, cookie, set_cookie};
use crate::state::AppState;

/// The cookie holding the public forms' CSRF token.
pub(crate) const FORM_COOKIE: &str = "balai_formulir";
/// The honeypot field: hidden from people, filled in by form-spamming bots.
pub(crate) const HONEYPOT: &str = "situs";

/// The village of a public URL, or not found.
pub(crate) async fn public_village(
    state: &AppState,
    kode: &str,
) -> Result<(KodeWilayah, Value), AppError> {
    let k = KodeWilayah::parse(kode).map_err(|_| AppError::NotFound)?;
    if k.level() != balai_domain::RegionLevel::Village {
        return Err(AppError::NotFound);
    }
    let v = balai_services::villages::village(&state.db, k).await?;
    Ok((
        k,
        json!({ "kode": v.kode.plain(), "name": v.name, "district": v.district_name, "regency": v.regency_name,
            "regency_kode": v.kode.ancestor(balai_domain::RegionLevel::Regency).map(|r| r.plain()) }),
    ))
}

fn categories() -> Vec<Value> {
    ComplaintCategory::ALL
        .iter()
        .map(|c| json!({ "code": c.code(), "label": c.label_key() }))
        .collect()
}

/// Renders the public page with a fresh form token (set as a cookie too).
#[allow(clippy::too_many_arguments)]
fn public_page(
    state: &AppState,
    lang: Lang,
    village: &Value,
    status: StatusCode,
    form: &ComplaintForm,
    errors: &FieldErrors,
    receipt: Option<String>,
    tracked: Option<Value>,
    track_error: bool,
) -> Result<Response, AppError> {
    let token = random_token();
    let html = state.templates.render(
        "complaints_public.html",
        json!({
            "lang": lang.code(), "village": village, "form": form, "errors": errors,
            "categories": categories(), "csrf": token, "honeypot": HONEYPOT,
            "receipt": receipt, "tracked": tracked, "track_error": track_error,
        }),
    )?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&set_cookie(FORM_COOKIE, &token, 3600, state.secure_cookies))
            .map_err(|e| AppError::internal(e.to_string()))?,
    );
    Ok(res)
}

/// `GET /desa/{kode}/pengaduan`: the form and the follow-up box.
pub(crate) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let lang = crate::session::lang(&headers);
    let (_, v) = public_village(&state, &kode).await?;
    public_page(
        &state,
        lang,
        &v,
        StatusCode::OK,
        &ComplaintForm::default(),
        &FieldErrors::default(),
        None,
        None,
        false,
    )
}

/// The fields of a public form once its CSRF token matched the cookie; a
/// filled-in honeypot is refused like a bad token (a bot learns nothing).
pub(crate) fn checked_fields(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Vec<(String, String)>, AppError> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::BadRequest("formulir tidak dapat dibaca".into()))?;
    let expected = cookie(headers, FORM_COOKIE).unwrap_or("");
    let sent = fields
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map_or("", |(_, v)| v.as_str());
    if expected.is_empty() || !constant_time_eq(sent, expected) {
        return Err(AppError::Csrf);
    }
    if fields.iter().any(|(k, v)| k == HONEYPOT && !v.is_empty()) {
        return Err(AppError::Csrf);
    }
    Ok(fields)
}

pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `POST /desa/{kode}/pengaduan`: files a complaint and shows its reference.
pub(crate) async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = crate::session::lang(&headers);
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let form = ComplaintForm {
        kategori: field(&fields, "kategori").into(),
        nama: field(&fields, "nama").into(),
        kontak: field(&fields, "kontak").into(),
        isi: field(&fields, "isi").into(),
    };
    let filed = match FileComplaint::try_from(&form) {
        Ok(c) => complaints::file(&state.db, state.clock.as_ref(), village, &c).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match filed {
        Ok(receipt) => public_page(
            &state,
            lang,
            &v,
            StatusCode::OK,
            &ComplaintForm::default(),
            &FieldErrors::default(),
            Some(receipt.reference.to_string()),
            None,
            false,
        ),
        Err(ServiceError::Form(errors)) => public_page(
            &state,
            lang,
            &v,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
            None,
            None,
            false,
        ),
        Err(e) => Err(e.into()),
    }
}

fn public_json(c: &PublicComplaint) -> Value {
    json!({
        "reference": c.reference.to_string(),
        "category": c.category.label_key(),
        "status": c.status.label_key(),
        "status_code": c.status.code(),
        "body": c.body, "answer": c.answer,
        "filed_on": c.filed_on.to_string(), "updated_on": c.updated_on.to_string(),
    })
}

/// `POST /desa/{kode}/pengaduan/lacak`: a complaint by its reference. Every
/// reference that does not lead to one gets the same answer.
pub(crate) async fn track(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = crate::session::lang(&headers);
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let (tracked, status) =
        match complaints::track(&state.db, village, field(&fields, "nomor")).await {
            Ok(c) => (Some(public_json(&c)), StatusCode::OK),
            Err(ServiceError::NotFound) => (None, StatusCode::NOT_FOUND),
            Err(e) => return Err(e.into()),
        };
    public_page(
        &state,
        lang,
        &v,
        status,
        &ComplaintForm::default(),
        &FieldErrors::default(),
        None,
        tracked.clone(),
        tracked.is_none(),
    )
}

type Q = Query<std::collections::HashMap<String, String>>;

fn staff_json(c: &StaffComplaint, village: KodeWilayah) -> Value {
    json!({
        "id": c.id.to_string(), "reference": c.reference.to_string(),
        "category": c.category.label_key(),
        "status": c.status.label_key(), "status_code": c.status.code(),
        "closed": c.status.is_closed(),
        "name": c.name, "contact": c.contact, "body": c.body, "answer": c.answer,
        "filed_on": local_date(c.submitted_at, village).to_string(),
        "updated_on": local_date(c.updated_at, village).to_string(), "updated_by": c.updated_by,
    })
}

/// `GET /staf/desa/{kode}/pengaduan[?status=N]`.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let status = q
        .get("status")
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(ComplaintStatus::from_code);
    let rows = complaints::list(&state.db, &access, status).await?;
    let statuses: Vec<Value> = ComplaintStatus::ALL
        .iter()
        .map(
            |s| json!({ "code": s.code(), "label": s.label_key(), "selected": Some(*s) == status }),
        )
        .collect();
    render(
        &state,
        &current,
        "complaints.html",
        json!({
            "village": village_context(&state, &access).await?,
            "complaints": rows.iter().map(|c| staff_json(c, access.village())).collect::<Vec<_>>(),
            "statuses": statuses,
        }),
    )
}

async fn show_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &balai_services::staff::VillageAccess,
    complaint_id: uuid::Uuid,
    form: &ResponseForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let c = complaints::show(&state.db, access, complaint_id).await?;
    let steps: Vec<Value> = [
        ComplaintStatus::Diproses,
        ComplaintStatus::Selesai,
        ComplaintStatus::Ditolak,
    ]
    .iter()
    .filter(|s| c.status.may_become(**s))
    .map(|s| json!({ "code": s.code(), "label": s.label_key() }))
    .collect();
    render(
        state,
        current,
        "complaint.html",
        json!({
            "village": village_context(state, access).await?,
            "c": staff_json(&c, access.village()), "steps": steps,
            "form": form, "errors": errors,
        }),
    )
}

/// `GET /staf/desa/{kode}/pengaduan/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, cid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    show_page(
        &state,
        &current,
        &access,
        id(&cid)?,
        &ResponseForm::default(),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/pengaduan/{id}`: a step with its answer.
pub(crate) async fn respond(
    State(state): State<AppState>,
    Path((kode, cid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let complaint_id = id(&cid)?;
    let input: ResponseForm = form.parse()?;
    let done = match Respond::try_from(&input) {
        Ok(step) => {
            complaints::respond(
                &state.db,
                state.clock.as_ref(),
                &access,
                complaint_id,
                &step,
            )
            .await
        }
        Err(errors) => Err(ServiceError::Form(errors)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/pengaduan/{complaint_id}",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            show_page(&state, &current, &access, complaint_id, &input, &errors).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
