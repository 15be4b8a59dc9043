//! Public information (UU 14/2008): the public list at
//! `/desa/{kode}/informasi-publik` (documents at `…/dokumen/{id}.pdf`), the
//! request form (`…/permohonan`), tracking by registration number
//! (`…/lacak`) and the objection form (`…/keberatan`); the staff's pages
//! under `/staf/desa/{kode}/informasi-publik` (the list editor, documents,
//! the holiday calendar, requests with their deadlines, the registers of
//! requests and objections).
//!
//! The public forms are the complaint pages' design: a double-submit CSRF
//! cookie, a honeypot, the per-client rate limit on every public POST, and
//! a number followed by POST so it stays out of addresses and logs. The
//! tracking page shows status, deadline and the public answer only.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::public_info::{
    Delivery, ExemptionGround, InfoCategory, ObjectionGround, Outcome, PublicBody,
};
use balai_services::ServiceError;
use balai_services::public_info::{
    self as pi, Answer, AnswerForm, EntryForm, Extend, ExtendForm, FileObjection, FileRequest,
    HolidayForm, InfoObjection, ObjectionAnswerForm, ObjectionForm, PublicInfoEntry, PublicRequest,
    RequestForm, SetHoliday, StaffRequest, WriteEntry,
};
use balai_services::registry::field_errors::FieldErrors;
use balai_services::secrets::random_token;
use balai_services::staff::VillageAccess;
use serde_json::{Value, json};
use uuid::Uuid;

use super::complaints::{FORM_COOKIE, HONEYPOT, checked_fields, field, public_village};
use super::{id, render, village_access, village_context};
use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{CurrentStaff, RequestLang, StaffForm, set_cookie};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";

fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> u8,
    label: impl Fn(T) -> &'static str,
) -> Vec<Value> {
    all.iter()
        .map(|x| json!({ "code": code(*x).to_string(), "label": label(*x) }))
        .collect()
}

fn choices() -> Value {
    json!({
        "categories": options(InfoCategory::ALL, InfoCategory::code, InfoCategory::label_key),
        "grounds": options(ExemptionGround::ALL, ExemptionGround::code, ExemptionGround::label_key),
        "bodies": options(PublicBody::ALL, PublicBody::code, PublicBody::label_key),
        "deliveries": options(Delivery::ALL, Delivery::code, Delivery::label_key),
        "outcomes": options(Outcome::ALL, Outcome::code, Outcome::label_key),
        "objection_grounds": options(ObjectionGround::ALL, ObjectionGround::code, ObjectionGround::label_key),
    })
}

fn doc_url(village: KodeWilayah, doc: Uuid) -> String {
    format!(
        "/desa/{}/informasi-publik/dokumen/{doc}.pdf",
        village.plain()
    )
}

fn entry_json(village: KodeWilayah, e: &PublicInfoEntry) -> Value {
    let c = &e.content;
    let exemption = c.classification.exemption();
    json!({
        "id": e.id.to_string(), "title": c.title, "summary": c.summary,
        "category": c.classification.category().label_key(),
        "category_code": c.classification.category().code(),
        "ground": exemption.map(|x| x.ground().label_key()),
        "reason": exemption.map(|x| x.reason()),
        "body": c.body.label_key(), "year": c.year,
        "document": e.document.as_ref().filter(|_| exemption.is_none()).map(|d| json!({
            "url": doc_url(village, d.id), "name": d.file_name, "kb": (d.size.max(0) as u64).div_ceil(1024),
        })),
        "updated_by": e.updated_by,
    })
}

/// Entries grouped by category, in the law's order.
fn by_category(village: KodeWilayah, entries: &[PublicInfoEntry]) -> Vec<Value> {
    InfoCategory::ALL
        .iter()
        .map(|c| {
            json!({
                "label": c.label_key(), "code": c.code(),
                "entries": entries.iter().filter(|e| e.content.classification.category() == *c)
                    .map(|e| entry_json(village, e)).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// `GET /desa/{kode}/informasi-publik`: the Daftar Informasi Publik.
pub(crate) async fn public_list(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let entries = pi::public_list(&state.db, village).await?;
    let html = state.templates.render(
        "site_public_info.html",
        json!({
            "lang": lang.code(), "village": v,
            "canonical": format!("{}/desa/{}/informasi-publik", state.public_url.as_str().trim_end_matches('/'), village.plain()),
            "groups": by_category(village, &entries),
        }),
    )?;
    Ok(Page::new(HTML, html)?.respond(&headers))
}

/// `GET /desa/{kode}/informasi-publik/dokumen/{id}.pdf`.
pub(crate) async fn public_document(
    State(state): State<AppState>,
    Path((kode, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, _) = public_village(&state, &kode).await?;
    let doc = file
        .strip_suffix(".pdf")
        .ok_or(AppError::NotFound)
        .and_then(id)?;
    let (name, pdf) = pi::document(&state.db, village, doc).await?;
    let mut res = pdf.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    // A document never changes (a new upload gets a new id).
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// A public form page with a fresh form token (set as a cookie too).
fn public_page(
    state: &AppState,
    lang: Lang,
    template: &str,
    status: StatusCode,
    mut ctx: Value,
) -> Result<Response, AppError> {
    let token = random_token();
    ctx["lang"] = json!(lang.code());
    ctx["csrf"] = json!(token);
    ctx["honeypot"] = json!(HONEYPOT);
    ctx["choices"] = choices();
    let html = state.templates.render(template, ctx)?;
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&set_cookie(FORM_COOKIE, &token, 3600, state.secure_cookies))
            .map_err(|e| AppError::internal(e.to_string()))?,
    );
    Ok(res)
}

/// `GET /desa/{kode}/informasi-publik/permohonan`: the request form.
pub(crate) async fn request_form(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (_, v) = public_village(&state, &kode).await?;
    public_page(
        &state,
        lang,
        "site_info_request.html",
        StatusCode::OK,
        json!({ "village": v, "form": RequestForm::default(), "errors": FieldErrors::default() }),
    )
}

/// `POST /desa/{kode}/informasi-publik/permohonan`: files a request and
/// shows its registration number and deadline.
pub(crate) async fn request_file(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let form = RequestForm {
        nama: field(&fields, "nama").into(),
        kontak: field(&fields, "kontak").into(),
        informasi: field(&fields, "informasi").into(),
        tujuan: field(&fields, "tujuan").into(),
        cara: field(&fields, "cara").into(),
    };
    let filed = match FileRequest::try_from(&form) {
        Ok(r) => pi::file_request(&state.db, state.clock.as_ref(), village, &r).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match filed {
        Ok(receipt) => public_page(
            &state,
            lang,
            "site_info_request.html",
            StatusCode::OK,
            json!({ "village": v, "form": RequestForm::default(), "errors": FieldErrors::default(),
                    "receipt": { "number": receipt.reference.to_string(), "deadline": receipt.deadline.to_string() } }),
        ),
        Err(ServiceError::Form(errors)) => public_page(
            &state,
            lang,
            "site_info_request.html",
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "village": v, "form": form, "errors": errors }),
        ),
        Err(e) => Err(e.into()),
    }
}

fn tracked_json(r: &PublicRequest) -> Value {
    json!({
        "number": r.reference.to_string(),
        "status": r.status.label_key(), "status_code": r.status.code(),
        "received_on": r.received_on.to_string(), "deadline": r.deadline.to_string(),
        "extension_reason": r.extension_reason,
        "outcome": r.outcome.map(|o| o.label_key()),
        "ground": r.ground.map(|g| g.label_key()),
        "answer": r.answer, "answered_on": r.answered_on.map(|d| d.to_string()),
        "objection": r.objection.as_ref().map(|o| json!({
            "ground": o.ground.label_key(), "filed_on": o.filed_on.to_string(),
            "answer_due": o.answer_due.to_string(), "answer": o.answer,
            "answered_on": o.answered_on.map(|d| d.to_string()),
        })),
        "objection_until": r.objection_until.map(|d| d.to_string()),
    })
}

/// `GET /desa/{kode}/informasi-publik/lacak`: the tracking form.
pub(crate) async fn track_form(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (_, v) = public_village(&state, &kode).await?;
    public_page(
        &state,
        lang,
        "site_info_track.html",
        StatusCode::OK,
        json!({ "village": v, "form": ObjectionForm::default(), "errors": FieldErrors::default() }),
    )
}

/// `POST /desa/{kode}/informasi-publik/lacak`: a request by its number.
/// Every number that leads to none gets the same answer.
pub(crate) async fn track(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let typed = field(&fields, "nomor");
    let (ctx, status) = match pi::track(&state.db, state.clock.as_ref(), village, typed).await {
        Ok(r) => (
            json!({ "village": v, "tracked": tracked_json(&r),
                    "form": ObjectionForm { nomor: r.reference.to_string(), ..ObjectionForm::default() },
                    "errors": FieldErrors::default() }),
            StatusCode::OK,
        ),
        Err(ServiceError::NotFound) => (
            json!({ "village": v, "track_error": true, "form": ObjectionForm::default(), "errors": FieldErrors::default() }),
            StatusCode::NOT_FOUND,
        ),
        Err(e) => return Err(e.into()),
    };
    public_page(&state, lang, "site_info_track.html", status, ctx)
}

/// `POST /desa/{kode}/informasi-publik/keberatan`: an objection by number.
pub(crate) async fn object(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let form = ObjectionForm {
        nomor: field(&fields, "nomor").into(),
        dasar: field(&fields, "dasar").into(),
        alasan: field(&fields, "alasan").into(),
    };
    let clock = state.clock.as_ref();
    let done = match FileObjection::try_from(&form) {
        Ok(o) => pi::object(&state.db, clock, village, &o).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    let (ctx, status) = match done {
        Ok(r) => (
            json!({ "village": v, "tracked": tracked_json(&r), "objected": true,
                    "form": ObjectionForm::default(), "errors": FieldErrors::default() }),
            StatusCode::OK,
        ),
        Err(ServiceError::NotFound) => (
            json!({ "village": v, "track_error": true, "form": ObjectionForm::default(), "errors": FieldErrors::default() }),
            StatusCode::NOT_FOUND,
        ),
        Err(ServiceError::Form(errors)) => {
            // Show the request again when the number is right (the problem is
            // the timing or a field), so the form stays beside its context.
            let tracked = pi::track(&state.db, clock, village, &form.nomor)
                .await
                .ok()
                .map(|r| tracked_json(&r));
            (
                json!({ "village": v, "tracked": tracked, "show_objection": true, "form": form, "errors": errors }),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return Err(e.into()),
    };
    public_page(&state, lang, "site_info_track.html", status, ctx)
}

// ------------------------------------------------------------------ staff

fn staff_base(access: &VillageAccess) -> String {
    format!("/staf/desa/{}/informasi-publik", access.village().plain())
}

async fn staff_ctx(state: &AppState, access: &VillageAccess) -> Result<Value, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_manage"] = json!(pi::may_manage(access));
    village["can_answer_objection"] = json!(pi::may_answer_objection(access));
    Ok(json!({ "village": village, "choices": choices() }))
}

fn form_errors(e: ServiceError) -> Result<FieldErrors, AppError> {
    match e {
        ServiceError::Form(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

/// `GET /staf/desa/{kode}/informasi-publik`: the list editor.
pub(crate) async fn staff_list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let entries = pi::staff_list(&state.db, &access).await?;
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["groups"] = json!(by_category(access.village(), &entries));
    render(&state, &current, "staff_public_info.html", ctx)
}

fn entry_form_of(e: &PublicInfoEntry) -> EntryForm {
    let c = &e.content;
    let x = c.classification.exemption();
    EntryForm {
        judul: c.title.clone(),
        kategori: c.classification.category().code().to_string(),
        dasar: x.map(|x| x.ground().code().to_string()).unwrap_or_default(),
        alasan: x.map(|x| x.reason().to_string()).unwrap_or_default(),
        ringkasan: c.summary.clone(),
        badan: c.body.code().to_string(),
        tahun: c.year.to_string(),
    }
}

async fn entry_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    entry: Option<&PublicInfoEntry>,
    form: &EntryForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let mut ctx = staff_ctx(state, access).await?;
    ctx["entry"] = json!(entry.map(|e| entry_json(access.village(), e)));
    ctx["form"] = json!(form);
    ctx["errors"] = json!(errors);
    render(state, current, "staff_public_info_form.html", ctx)
}

/// `GET /staf/desa/{kode}/informasi-publik/baru`.
pub(crate) async fn new_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let form = EntryForm {
        kategori: InfoCategory::Berkala.code().to_string(),
        badan: PublicBody::PemerintahDesa.code().to_string(),
        tahun: pi::today(state.clock.as_ref(), access.village())
            .year()
            .to_string(),
        ..EntryForm::default()
    };
    entry_page(
        &state,
        &current,
        &access,
        None,
        &form,
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/informasi-publik/baru`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: EntryForm = form.parse()?;
    let done = match WriteEntry::try_from(&input) {
        Ok(w) => pi::create(&state.db, state.clock.as_ref(), &access, &w).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(eid) => Ok(Redirect::to(&format!("{}/{eid}", staff_base(&access))).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                entry_page(&state, &current, &access, None, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `GET /staf/desa/{kode}/informasi-publik/{id}`: an entry and its document.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, eid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let e = pi::entry(&state.db, &access, id(&eid)?).await?;
    entry_page(
        &state,
        &current,
        &access,
        Some(&e),
        &entry_form_of(&e),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/informasi-publik/{id}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path((kode, eid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let e = pi::entry(&state.db, &access, id(&eid)?).await?;
    let input: EntryForm = form.parse()?;
    let done = match WriteEntry::try_from(&input) {
        Ok(w) => pi::update(&state.db, state.clock.as_ref(), &access, e.id, &w).await,
        Err(err) => Err(ServiceError::Form(err)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("{}/{}", staff_base(&access), e.id)).into_response()),
        Err(err) => {
            let errors = form_errors(err)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                entry_page(&state, &current, &access, Some(&e), &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/informasi-publik/{id}/hapus`.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path((kode, eid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    pi::remove(&state.db, state.clock.as_ref(), &access, id(&eid)?).await?;
    Ok(Redirect::to(&staff_base(&access)).into_response())
}

/// `POST /staf/desa/{kode}/informasi-publik/{id}/dokumen`: a PDF (multipart).
pub(crate) async fn upload(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, eid)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let e = pi::entry(&state.db, &access, id(&eid)?).await?;
    let unreadable = |err: axum::extract::multipart::MultipartError| {
        if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("berkas terlalu besar (paling besar 10 MB)".into())
        } else {
            AppError::BadRequest("unggahan tidak dapat dibaca".into())
        }
    };
    let (mut csrf, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(f) = multipart.next_field().await.map_err(unreadable)? {
        match f.name() {
            Some("_csrf") => csrf = f.text().await.map_err(unreadable)?,
            Some("berkas") => {
                name = f.file_name().unwrap_or("").to_string();
                bytes = f.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    if !balai_services::secrets::constant_time_eq(&csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    match pi::attach(
        &state.db,
        state.clock.as_ref(),
        &access,
        e.id,
        &name,
        &bytes,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{}", staff_base(&access), e.id)).into_response()),
        Err(err) => {
            let errors = form_errors(err)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                entry_page(
                    &state,
                    &current,
                    &access,
                    Some(&e),
                    &entry_form_of(&e),
                    &errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

type Q = Query<std::collections::HashMap<String, String>>;

fn year_of(
    q: &std::collections::HashMap<String, String>,
    state: &AppState,
    access: &VillageAccess,
) -> i32 {
    q.get("tahun")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1945..=2200).contains(y))
        .unwrap_or_else(|| pi::today(state.clock.as_ref(), access.village()).year())
}

async fn holidays_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    year: i32,
    form: &HolidayForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let list = pi::holidays(&state.db, access, year).await?;
    let mut ctx = staff_ctx(state, access).await?;
    ctx["year"] = json!(year);
    ctx["prev"] = json!(year - 1);
    ctx["next"] = json!(year + 1);
    ctx["holidays"] = json!(
        list.iter()
            .map(|h| json!({ "day": h.day.to_string(), "name": h.name }))
            .collect::<Vec<_>>()
    );
    ctx["form"] = json!(form);
    ctx["errors"] = json!(errors);
    render(state, current, "staff_holidays.html", ctx)
}

/// `GET /staf/desa/{kode}/informasi-publik/libur[?tahun=Y]`: the calendar.
pub(crate) async fn holidays(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let year = year_of(&q, &state, &access);
    holidays_page(
        &state,
        &current,
        &access,
        year,
        &HolidayForm::default(),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/informasi-publik/libur`: adds or renames a holiday.
pub(crate) async fn holiday_set(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: HolidayForm = form.parse()?;
    let done = match SetHoliday::try_from(&input) {
        Ok(h) => pi::set_holiday(&state.db, state.clock.as_ref(), &access, &h)
            .await
            .map(|()| h.day.year()),
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(year) => Ok(
            Redirect::to(&format!("{}/libur?tahun={year}", staff_base(&access))).into_response(),
        ),
        Err(e) => {
            let errors = form_errors(e)?;
            let year = pi::today(state.clock.as_ref(), access.village()).year();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                holidays_page(&state, &current, &access, year, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/informasi-publik/libur/hapus`: a day back to work.
pub(crate) async fn holiday_remove(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let day = pi::parse_day(form.get("tanggal")).ok_or(AppError::NotFound)?;
    pi::remove_holiday(&state.db, state.clock.as_ref(), &access, day).await?;
    Ok(Redirect::to(&format!(
        "{}/libur?tahun={}",
        staff_base(&access),
        day.year()
    ))
    .into_response())
}

fn staff_request_json(s: &StaffRequest) -> Value {
    let r = &s.request;
    json!({
        "id": r.id.to_string(), "number": r.reference.to_string(),
        "name": r.name, "contact": r.contact, "wanted": r.wanted, "purpose": r.purpose,
        "delivery": r.delivery.label_key(),
        "status": r.status.label_key(), "status_code": r.status.code(),
        "received_on": r.received_on.to_string(), "deadline": r.deadline.to_string(),
        "extension_reason": r.extension_reason,
        "outcome": r.outcome.map(|o| o.label_key()), "ground": r.ground.map(|g| g.label_key()),
        "answer": r.answer, "answered_on": r.answered_on.map(|d| d.to_string()),
        "overdue": s.overdue, "may_extend": s.may_extend,
        "awaits_answer": r.status.awaits_answer(),
        "objection": s.objection.as_ref().map(objection_json),
    })
}

fn objection_json(o: &InfoObjection) -> Value {
    json!({
        "register": format!("{}/{:04}", o.year, o.number),
        "request_id": o.request_id.to_string(), "number": o.request_reference.to_string(),
        "ground": o.ground.label_key(), "reason": o.reason,
        "filed_on": o.filed_on.to_string(), "answer_due": o.answer_due.to_string(),
        "answer": o.answer, "answered_on": o.answered_on.map(|d| d.to_string()),
    })
}

fn csv_response(body: String, name: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn year_filter(q: &std::collections::HashMap<String, String>) -> Option<i32> {
    q.get("tahun")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1945..=2200).contains(y))
}

/// `GET /staf/desa/{kode}/informasi-publik/permohonan[?tahun=Y][&format=csv]`:
/// the register of requests.
pub(crate) async fn requests(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let year = year_filter(&q);
    if q.get("format").map(String::as_str) == Some("pdf") {
        let year = year.unwrap_or_else(|| pi::today(state.clock.as_ref(), access.village()).year());
        let printed =
            balai_services::prints::info_requests(&state.db, state.clock.as_ref(), &access, year)
                .await?;
        return Ok(super::pdf_response(printed.pdf, &printed.file_name, true));
    }
    let rows = pi::requests(&state.db, state.clock.as_ref(), &access, year).await?;
    if q.get("format").map(String::as_str) == Some("csv") {
        return Ok(csv_response(
            pi::requests_csv(&rows),
            &format!("register-permohonan-{}.csv", access.village().plain()),
        ));
    }
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["requests"] = json!(rows.iter().map(staff_request_json).collect::<Vec<_>>());
    ctx["year"] = json!(year);
    Ok(render(&state, &current, "staff_info_requests.html", ctx)?.into_response())
}

/// `GET /staf/desa/{kode}/informasi-publik/keberatan[?format=csv]`: the
/// register of objections.
pub(crate) async fn objections(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let year = year_filter(&q);
    if q.get("format").map(String::as_str) == Some("pdf") {
        let year = year.unwrap_or_else(|| pi::today(state.clock.as_ref(), access.village()).year());
        let printed =
            balai_services::prints::info_objections(&state.db, state.clock.as_ref(), &access, year)
                .await?;
        return Ok(super::pdf_response(printed.pdf, &printed.file_name, true));
    }
    let rows = pi::objections(&state.db, &access, year).await?;
    if q.get("format").map(String::as_str) == Some("csv") {
        return Ok(csv_response(
            pi::objections_csv(&rows),
            &format!("register-keberatan-{}.csv", access.village().plain()),
        ));
    }
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["objections"] = json!(rows.iter().map(objection_json).collect::<Vec<_>>());
    Ok(render(&state, &current, "staff_info_objections.html", ctx)?.into_response())
}

#[derive(Default)]
struct Forms {
    answer: AnswerForm,
    extend: ExtendForm,
    objection: ObjectionAnswerForm,
}

async fn request_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    rid: Uuid,
    forms: &Forms,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let r = pi::request(&state.db, state.clock.as_ref(), access, rid).await?;
    let mut ctx = staff_ctx(state, access).await?;
    ctx["r"] = staff_request_json(&r);
    ctx["answer_form"] = json!(forms.answer);
    ctx["extend_form"] = json!(forms.extend);
    ctx["objection_form"] = json!(forms.objection);
    ctx["errors"] = json!(errors);
    render(state, current, "staff_info_request.html", ctx)
}

/// `GET /staf/desa/{kode}/informasi-publik/permohonan/{id}`.
pub(crate) async fn request_show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    request_page(
        &state,
        &current,
        &access,
        id(&rid)?,
        &Forms::default(),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/informasi-publik/permohonan/{id}/{aksi}`:
/// `jawab` (answer), `perpanjang` (extend), `keberatan` (the objection's answer).
pub(crate) async fn request_act(
    State(state): State<AppState>,
    Path((kode, rid, aksi)): Path<(String, String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let rid = id(&rid)?;
    let clock = state.clock.as_ref();
    let mut forms = Forms::default();
    let done = match aksi.as_str() {
        "jawab" => {
            forms.answer = form.parse()?;
            match Answer::try_from(&forms.answer) {
                Ok(a) => pi::answer(&state.db, clock, &access, rid, &a).await,
                Err(e) => Err(ServiceError::Form(e)),
            }
        }
        "perpanjang" => {
            forms.extend = form.parse()?;
            match Extend::try_from(&forms.extend) {
                Ok(x) => pi::extend(&state.db, clock, &access, rid, &x)
                    .await
                    .map(|_| ()),
                Err(e) => Err(ServiceError::Form(e)),
            }
        }
        "keberatan" => {
            forms.objection = form.parse()?;
            pi::answer_objection(&state.db, clock, &access, rid, &forms.objection).await
        }
        _ => return Err(AppError::NotFound),
    };
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}/permohonan/{rid}", staff_base(&access))).into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                request_page(&state, &current, &access, rid, &forms, &errors).await?,
            )
                .into_response())
        }
    }
}

/// The list's metadata for the open-data API: titles, categories, years,
/// document links (absolute) — never requests.
pub(crate) async fn open_data_entries(
    state: &AppState,
    village: KodeWilayah,
) -> Result<Vec<Value>, AppError> {
    let base = state.public_url.as_str().trim_end_matches('/').to_string();
    Ok(pi::public_list(&state.db, village)
        .await?
        .iter()
        .map(|e| {
            let c = &e.content;
            let x = c.classification.exemption();
            json!({
                "id": e.id.to_string(),
                "title": c.title,
                "summary": c.summary,
                "category": match c.classification.category() {
                    InfoCategory::Berkala => "berkala",
                    InfoCategory::SertaMerta => "serta-merta",
                    InfoCategory::SetiapSaat => "setiap-saat",
                    InfoCategory::Dikecualikan => "dikecualikan",
                },
                "body": match c.body {
                    PublicBody::PemerintahDesa => "pemerintah-desa",
                    PublicBody::Bpd => "bpd",
                    PublicBody::BumDesa => "bum-desa",
                },
                "year": c.year,
                "exemption_ground": x.map(|x| format!("UU 14/2008 Pasal 17 huruf {}", (b'a' + x.ground().code() - 1) as char)),
                "exemption_reason": x.map(|x| x.reason()),
                "document_url": e.document.as_ref().filter(|_| x.is_none())
                    .map(|d| format!("{base}{}", doc_url(village, d.id))),
            })
        })
        .collect())
}
