//! The residents' side, in two front doors that share their handlers: the
//! mobile-first self-service site (`/layanan/{kode}`, installable as a web
//! app) and the touch kiosk at the village office (`/anjungan/{kode}`).
//! The handlers learn which door from the path (`Portal` is an extractor).
//! Log in with NIK + PIN, change the PIN the operator gave, request a
//! letter, follow it, download it where the village allows; at the kiosk,
//! print a queue ticket and read the information pages.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::letter_kind::LetterKind;
use balai_domain::letter_request::RequestStatus;
use balai_services::ServiceError;
use balai_services::letters::requests::LetterRequestRecord;
use balai_services::letters::requests::{self, RequestForm, RequestLetter};
use balai_services::registry::field_errors::FieldErrors;
use balai_services::secrets::{constant_time_eq, random_token};
use balai_services::self_service::{
    self, PinChange, PinChangeForm, ResidentSession, household, info,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::letter_fields::{self, Surface};
use super::{id, pdf_response};
use crate::client_addr::ClientAddr;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::rate_limit::KIOSK_DEVICE_COOKIE;
use crate::resident_session::{Portal, ResidentForm, current};
use crate::session::{cookie, lang, set_cookie};
use crate::state::AppState;

type Q = Query<std::collections::HashMap<String, String>>;

/// The village of a residents' URL; an unknown code is not found.
async fn village_of(state: &AppState, kode: &str) -> Result<(KodeWilayah, Value), AppError> {
    let k = KodeWilayah::parse(kode).map_err(|_| AppError::NotFound)?;
    let v = balai_services::villages::village(&state.db, k).await?;
    Ok((
        k,
        json!({ "kode": v.kode.plain(), "name": v.name, "district": v.district_name, "regency": v.regency_name }),
    ))
}

/// Renders a residents' page with what every one of them needs.
fn page(
    state: &AppState,
    portal: Portal,
    lang: Lang,
    village: (KodeWilayah, &Value),
    session: Option<&ResidentSession>,
    template: &str,
    mut ctx: Value,
) -> Result<Response, AppError> {
    let common = json!({
        "lang": lang.code(), "layout": portal.layout(), "kiosk": portal.is_kiosk(),
        "base": portal.base(village.0), "village": village.1,
        "csrf": session.map(|s| s.csrf.clone()),
        "me": session.map(|s| json!({ "name": s.resident.name.as_str() })),
    });
    if let (Value::Object(c), Value::Object(add)) = (&mut ctx, common) {
        c.extend(add);
    }
    let mut res = Html(state.templates.render(template, ctx)?).into_response();
    // Personal pages must not be kept by a shared phone's or the kiosk's cache.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn with_cookie(mut res: Response, value: &str) -> Result<Response, AppError> {
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(value).map_err(|e| AppError::internal(e.to_string()))?,
    );
    Ok(res)
}

fn to(url: &str) -> Response {
    Redirect::to(url).into_response()
}

/// What a logged-in page needs, or where to go instead: the login page when
/// there is no session, the PIN page while the operator's PIN is unchanged.
enum Gate {
    In(Box<ResidentSession>),
    Go(Response),
}

async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    portal: Portal,
    village: KodeWilayah,
    allow_pin_unchanged: bool,
) -> Result<Gate, AppError> {
    match current(state, headers, portal, village).await? {
        None => Ok(Gate::Go(to(&format!("{}/masuk", portal.base(village))))),
        Some(s) if s.must_change_pin && !allow_pin_unchanged => {
            Ok(Gate::Go(to(&format!("{}/pin", portal.base(village)))))
        }
        Some(s) => Ok(Gate::In(Box::new(s))),
    }
}

fn request_json(r: &LetterRequestRecord, base: &str) -> Value {
    let steps: Vec<Value> = [
        RequestStatus::Diajukan,
        RequestStatus::Diperiksa,
        RequestStatus::MenungguTtd,
        RequestStatus::Siap,
        RequestStatus::Diambil,
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| {
        let at = RequestStatus::ALL.iter().position(|x| x == s).unwrap_or(0);
        let now = RequestStatus::ALL
            .iter()
            .position(|x| *x == r.status)
            .unwrap_or(0);
        json!({ "n": i + 1, "label": s.label(), "done": r.status != RequestStatus::Ditolak && at <= now, "current": *s == r.status })
    })
    .collect();
    json!({
        "id": r.id.to_string(), "url": format!("{base}/permohonan/{}", r.id),
        "title": LetterKind::parse(&r.kind).map(|k| k.title()).unwrap_or(""),
        "subject": r.resident_name.as_str(), "status": r.status.code(), "status_label": r.status.label(),
        "reason": r.reason, "ready": r.letter_id.is_some(), "created": balai_services::registry::local_date(r.created_at, r.village).to_string(),
        "queue": r.queue.map(|(_, n)| super::queue_ticket(n)), "steps": steps,
    })
}

fn kinds_json() -> Vec<Value> {
    requests::requestable_kinds()
        .into_iter()
        .map(|k| json!({ "code": k.code(), "title": k.title() }))
        .collect()
}

// ---- login and logout ----

async fn login_page(
    state: &AppState,
    portal: Portal,
    lang: Lang,
    kode: &str,
    error: Option<String>,
    nik: &str,
) -> Result<Response, AppError> {
    let (k, v) = village_of(state, kode).await?;
    let token = random_token();
    let res = page(
        state,
        portal,
        lang,
        (k, &v),
        None,
        "portal_login.html",
        json!({ "login_csrf": token, "error": error, "nik": nik }),
    )?;
    with_cookie(
        res,
        &set_cookie(portal.login_cookie(), &token, 3600, state.secure_cookies),
    )
}

pub(crate) async fn login_form(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    login_page(&state, portal, lang(&headers), &kode, None, "").await
}

/// The login form's fields.
#[derive(Deserialize)]
struct LoginFields {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    pin: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub(crate) async fn login_submit(
    portal: Portal,
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = lang(&headers);
    let f: LoginFields = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::BadRequest("formulir tidak dapat dibaca".into()))?;
    let expected = cookie(&headers, portal.login_cookie()).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(&f.csrf, expected) {
        return Err(AppError::Csrf);
    }
    let (village, _) = village_of(&state, &kode).await?;
    // At the kiosk, an enrolled device is its own client; elsewhere the address.
    let client = if portal.is_kiosk() {
        balai_services::kiosks::client(
            &state.db,
            village,
            cookie(&headers, KIOSK_DEVICE_COOKIE),
            addr,
        )
        .await?
    } else {
        addr
    };
    match self_service::login(
        &state.db,
        state.clock.as_ref(),
        village,
        &f.nik,
        &f.pin,
        client,
        portal.channel,
    )
    .await?
    {
        Ok(done) => {
            let next = if done.session.must_change_pin {
                format!("{}/pin", portal.base(village))
            } else if portal.is_kiosk() {
                format!("{}/surat", portal.base(village))
            } else {
                portal.base(village)
            };
            let c = set_cookie(
                portal.cookie(),
                &done.token,
                portal.cookie_max_age(),
                state.secure_cookies,
            );
            with_cookie(to(&next), &c)
        }
        Err(refused) => {
            let msg = super::login::refusal_message(&state, lang, &refused, "warga-login-bad");
            // Keep what was typed, except the PIN; the NIK only if it was well-formed digits.
            let keep: String = f
                .nik
                .chars()
                .filter(char::is_ascii_digit)
                .take(16)
                .collect();
            let mut res = login_page(&state, portal, lang, &kode, Some(msg), &keep).await?;
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(res)
        }
    }
}

pub(crate) async fn logout(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, _) = village_of(&state, &kode).await?;
    if let Some(s) = current(&state, &headers, portal, village).await? {
        ResidentForm::read(&s, body)?;
    }
    if let Some(token) = cookie(&headers, portal.cookie()) {
        self_service::logout(&state.db, token).await?;
    }
    with_cookie(
        to(&portal.base(village)),
        &set_cookie(portal.cookie(), "", 0, state.secure_cookies),
    )
}

// ---- home ----

pub(crate) async fn home(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let lang = lang(&headers);
    let (village, v) = village_of(&state, &kode).await?;
    let session = current(&state, &headers, portal, village).await?;
    if portal.is_kiosk() {
        // The kiosk's welcome screen is the same whoever stands at it.
        return page(
            &state,
            portal,
            lang,
            (village, &v),
            session.as_ref(),
            "kiosk_home.html",
            json!({}),
        );
    }
    let Some(s) = session else {
        return login_page(&state, portal, lang, &kode, None, "").await;
    };
    if s.must_change_pin {
        return Ok(to(&format!("{}/pin", portal.base(village))));
    }
    let base = portal.base(village);
    let mine: Vec<Value> = requests::mine(&state.db, &s)
        .await?
        .iter()
        .map(|r| request_json(r, &base))
        .collect();
    page(
        &state,
        portal,
        lang,
        (village, &v),
        Some(&s),
        "portal_home.html",
        json!({ "requests": mine }),
    )
}

// ---- PIN change ----

pub(crate) async fn pin_form(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, true).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    page(
        &state,
        portal,
        lang(&headers),
        (village, &v),
        Some(&s),
        "portal_pin.html",
        json!({ "forced": s.must_change_pin, "errors": {} }),
    )
}

pub(crate) async fn pin_submit(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, true).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    let form = ResidentForm::read(&s, body)?;
    let input: PinChangeForm = form.parse()?;
    let changed = match PinChange::try_from(&input) {
        Ok(change) => self_service::change_pin(&state.db, state.clock.as_ref(), &s, &change).await,
        Err(errors) => Err(ServiceError::Form(errors)),
    };
    match changed {
        Ok(()) => Ok(to(&if portal.is_kiosk() {
            format!("{}/surat", portal.base(village))
        } else {
            portal.base(village)
        })),
        Err(ServiceError::Form(errors)) => {
            let mut res = page(
                &state,
                portal,
                lang(&headers),
                (village, &v),
                Some(&s),
                "portal_pin.html",
                json!({ "forced": s.must_change_pin, "errors": errors }),
            )?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

// ---- requesting a letter ----

#[allow(clippy::too_many_arguments)]
async fn request_page(
    state: &AppState,
    portal: Portal,
    lang: Lang,
    village: (KodeWilayah, &Value),
    s: &ResidentSession,
    form: &RequestForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let kind = LetterKind::parse(&form.jenis);
    // At the kiosk every typed field is text for the on-screen keyboard.
    let surface = if portal.is_kiosk() {
        Surface::Kiosk
    } else {
        Surface::Browser
    };
    let fields: Vec<Value> = kind
        .map(|k| {
            k.extra_fields()
                .iter()
                .map(|f| {
                    let value = form.extras.get(f.key).map_or("", String::as_str);
                    letter_fields::field_json(state, lang, f, value, surface)
                })
                .collect()
        })
        .unwrap_or_default();
    let purposes = kind
        .map(|k| letter_fields::purposes_json(state, lang, k))
        .unwrap_or_default();
    let members: Vec<Value> = household(&state.db, s)
        .await?
        .iter()
        .map(|m| json!({ "code": m.id.to_string(), "label": format!("{} ({})", m.name.as_str(), m.relationship.label()) }))
        .collect();
    // Nobody chosen yet means the resident themself, the first of the household.
    let subject = match form.subjek.trim() {
        "" => members
            .first()
            .and_then(|m| m["code"].as_str())
            .unwrap_or("")
            .to_string(),
        chosen => chosen.to_string(),
    };
    // A typed purpose with no choice made reads as "other" (the form without JavaScript).
    let purpose_choice = match form.keperluan_pilihan.trim() {
        "" if !form.keperluan.trim().is_empty() => requests::PURPOSE_TYPED.to_string(),
        c => c.to_string(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(
        state,
        portal,
        lang,
        village,
        Some(s),
        "portal_request_form.html",
        json!({ "kinds": kinds_json(), "kind": kind.map(|k| json!({ "code": k.code(), "title": k.title() })), "fields": fields,
            "members": members, "purposes": purposes, "purpose_typed": requests::PURPOSE_TYPED,
            "form": { "subjek": subject, "keperluan": form.keperluan, "keperluan_pilihan": purpose_choice }, "errors": errors }),
    )?;
    *res.status_mut() = status;
    Ok(res)
}

pub(crate) async fn request_form(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, false).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    let form = RequestForm {
        jenis: q.get("jenis").cloned().unwrap_or_default(),
        ..Default::default()
    };
    request_page(
        &state,
        portal,
        lang(&headers),
        (village, &v),
        &s,
        &form,
        FieldErrors::default(),
    )
    .await
}

pub(crate) async fn request_submit(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = lang(&headers);
    let (village, v) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, false).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    let form = ResidentForm::read(&s, body)?;
    let input: RequestForm = form.parse()?;
    // Parsed here, at the edge: the service takes only the typed request.
    let outcome = match RequestLetter::try_from(&input) {
        Ok(request) => {
            requests::submit_or_find(&state.db, state.clock.as_ref(), &s, &request).await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(requests::Submitted {
            request: r,
            already_open,
        }) if portal.is_kiosk() => {
            // The ticket ends the kiosk session: the next person starts afresh.
            if let Some(token) = cookie(&headers, portal.cookie()) {
                self_service::logout(&state.db, token).await?;
            }
            let res = page(
                &state,
                portal,
                lang,
                (village, &v),
                None,
                "kiosk_ticket.html",
                json!({ "request": request_json(&r, &portal.base(village)), "already_open": already_open }),
            )?;
            with_cookie(
                res,
                &set_cookie(portal.cookie(), "", 0, state.secure_cookies),
            )
        }
        Ok(done) => Ok(to(&format!(
            "{}/permohonan/{}",
            portal.base(village),
            done.request.id
        ))),
        Err(ServiceError::Form(errors)) => {
            request_page(&state, portal, lang, (village, &v), &s, &input, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn request_status(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, false).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    let r = requests::mine_one(&state.db, &s, id(&rid)?).await?;
    let can_download = r.letter_id.is_some()
        && requests::downloads_allowed(&state.db, &s).await?
        && !matches!(r.status, RequestStatus::Ditolak);
    page(
        &state,
        portal,
        lang(&headers),
        (village, &v),
        Some(&s),
        "portal_request.html",
        json!({ "request": request_json(&r, &portal.base(village)), "can_download": can_download }),
    )
}

pub(crate) async fn request_pdf(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, _) = village_of(&state, &kode).await?;
    let s = match gate(&state, &headers, portal, village, false).await? {
        Gate::In(s) => s,
        Gate::Go(r) => return Ok(r),
    };
    let pdf = requests::download(&state.db, &s, id(&rid)?).await?;
    Ok(pdf_response(pdf, "surat.pdf", false))
}

// ---- kiosk information pages (public) ----

pub(crate) async fn info_list(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let pages = info::for_kiosk(&state.db, village).await?;
    let services = balai_services::service_directory::for_village(&state.db, village).await?;
    let mut topics: Vec<Value> = Vec::new();
    for topic in balai_domain::info_topic::InfoTopic::ALL {
        let (code, label) = (topic.code(), info::topic_label(topic));
        let items: Vec<Value> = pages
            .iter()
            .filter(|p| p.topic == topic)
            .map(|p| json!({ "id": p.id.to_string(), "title": p.title, "regency": p.scope != village }))
            .collect();
        if !items.is_empty() {
            topics.push(json!({ "code": code, "label": label, "pages": items }));
        }
    }
    page(
        &state,
        portal,
        lang(&headers),
        (village, &v),
        None,
        "kiosk_info.html",
        json!({ "topics": topics, "groups": super::service_directory::by_topic(&services) }),
    )
}

pub(crate) async fn info_page(
    portal: Portal,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kode, pid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let pid = id(&pid)?;
    let p = info::for_kiosk(&state.db, village)
        .await?
        .into_iter()
        .find(|p| p.id == pid)
        .ok_or(AppError::NotFound)?;
    let paragraphs: Vec<&str> = p
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    page(
        &state,
        portal,
        lang(&headers),
        (village, &v),
        None,
        "kiosk_info_page.html",
        json!({ "page": { "title": p.title, "topic": info::topic_label(p.topic), "paragraphs": paragraphs } }),
    )
}

// ---- installable web app ----

/// `GET /layanan/{kode}/manifest.webmanifest`.
pub(crate) async fn manifest(
    State(state): State<AppState>,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = village_of(&state, &kode).await?;
    let base = Portal::ONLINE.base(village);
    let name = format!("Layanan Desa {}", v["name"].as_str().unwrap_or(""));
    let body = json!({
        "name": name, "short_name": "Layanan Desa", "lang": "id",
        "start_url": format!("{base}/"), "scope": format!("{base}/"), "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1f6f43",
        "description": "Ajukan dan pantau surat desa dari rumah.",
        "icons": [
            { "src": "/static/ikon-192.png", "sizes": "192x192", "type": "image/png" },
            { "src": "/static/ikon-512.png", "sizes": "512x512", "type": "image/png" },
            { "src": "/static/ikon.svg", "sizes": "any", "type": "image/svg+xml" }
        ],
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body.to_string(),
    )
        .into_response())
}

/// `GET /layanan/{kode}/sw.js`: the service worker, served under the app's
/// scope. It caches only the shell (style, icon, offline page), never a
/// personal page.
pub(crate) async fn service_worker(
    State(state): State<AppState>,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    village_of(&state, &kode).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../static/sw.js"),
    )
        .into_response())
}

/// Adds both front doors' routes to `router`.
pub(crate) fn routes(router: axum::Router<AppState>) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    let mut r = router
        .route("/layanan/{kode}/manifest.webmanifest", get(manifest))
        .route("/layanan/{kode}/sw.js", get(service_worker));
    macro_rules! door {
        ($root:literal) => {
            r = r
                .route(concat!("/", $root, "/{kode}"), get(home))
                // The installed app starts at the trailing-slash address (inside its scope).
                .route(concat!("/", $root, "/{kode}/"), get(home))
                .route(
                    concat!("/", $root, "/{kode}/masuk"),
                    get(login_form).post(login_submit),
                )
                .route(concat!("/", $root, "/{kode}/keluar"), post(logout))
                .route(
                    concat!("/", $root, "/{kode}/pin"),
                    get(pin_form).post(pin_submit),
                )
                .route(
                    concat!("/", $root, "/{kode}/surat"),
                    get(request_form).post(request_submit),
                )
                .route(
                    concat!("/", $root, "/{kode}/permohonan/{id}"),
                    get(request_status),
                )
                .route(
                    concat!("/", $root, "/{kode}/permohonan/{id}/pdf"),
                    get(request_pdf),
                )
                .route(concat!("/", $root, "/{kode}/info"), get(info_list))
                .route(concat!("/", $root, "/{kode}/info/{id}"), get(info_page));
        };
    }
    door!("layanan");
    door!("anjungan");
    r
}
