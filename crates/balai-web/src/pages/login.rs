//! Logging in and out, and switching the interface language.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_services::secrets::{constant_time_eq, random_token};
use balai_services::staff::{self, LoginRefused, SESSION_LIFETIME};
use serde::Deserialize;
use serde_json::json;

use crate::client_addr::ClientAddr;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::redirect::same_origin_path;
use crate::session::{
    LANG_COOKIE, LOGIN_COOKIE, RequestLang, SESSION_COOKIE, StaffForm, cookie, set_cookie,
};
use crate::state::AppState;

fn with_cookie(mut res: Response, value: &str) -> Result<Response, AppError> {
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(value).map_err(|e| AppError::internal(e.to_string()))?,
    );
    Ok(res)
}

fn login_page(
    state: &AppState,
    lang: Lang,
    error: Option<String>,
    username: &str,
) -> Result<Response, AppError> {
    // No session yet: the CSRF token is double-submitted (cookie + field).
    let token = random_token();
    let html = state.templates.render(
        "login.html",
        json!({ "lang": lang.code(), "csrf": token, "error": error, "username": username }),
    )?;
    with_cookie(
        Html(html).into_response(),
        &set_cookie(LOGIN_COOKIE, &token, 3600, state.secure_cookies),
    )
}

/// `GET /masuk`.
pub(crate) async fn form(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
) -> Result<Response, AppError> {
    login_page(&state, lang, None, "")
}

/// The login form's fields.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The authenticator code; only accounts that enrolled one need it.
    #[serde(default)]
    totp: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// `POST /masuk`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(&f.csrf, expected) {
        return Err(AppError::Csrf);
    }
    match staff::login(
        &state.db,
        state.clock.as_ref(),
        &f.username,
        &f.password,
        &f.totp,
        addr,
    )
    .await?
    {
        Ok(done) => {
            tracing::info!(username = %done.staff.username, "staff login");
            let c = set_cookie(
                SESSION_COOKIE,
                &done.token,
                SESSION_LIFETIME.whole_seconds(),
                state.secure_cookies,
            );
            with_cookie(Redirect::to("/staf").into_response(), &c)
        }
        Err(refused) => {
            let msg = refusal_message(&state, lang, &refused, "login-bad");
            let mut res = login_page(&state, lang, Some(msg), &f.username)?;
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(res)
        }
    }
}

/// What a refused login shows: `bad_key`'s text for wrong credentials (the
/// same whatever was wrong), or how many minutes the lockout has left.
pub(crate) fn refusal_message(
    state: &AppState,
    lang: Lang,
    refused: &LoginRefused,
    bad_key: &str,
) -> String {
    match refused {
        LoginRefused::BadCredentials => state.catalog.text(lang, bad_key),
        LoginRefused::LockedOut(until) => {
            let minutes = ((*until - state.clock.now()).whole_seconds() + 59) / 60;
            format!(
                "{} {minutes} {}",
                state.catalog.text(lang, "login-locked"),
                state.catalog.text(lang, "minutes")
            )
        }
    }
}

/// `POST /keluar`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _form: StaffForm,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        staff::logout(&state.db, token).await?;
    }
    with_cookie(
        Redirect::to("/masuk").into_response(),
        &set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies),
    )
}

/// `GET /bahasa/{code}`: switch the interface language and go back.
pub(crate) async fn switch_language(
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&code);
    // Back to the page the visitor came from, on this site only.
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .map(referer_path)
        .and_then(same_origin_path)
        .unwrap_or("/")
        .to_string();
    with_cookie(
        Redirect::to(&back).into_response(),
        &format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        ),
    )
}

/// The path (with query) of an absolute `Referer`, or the value itself if it
/// is not absolute (then `same_origin_path` judges it).
fn referer_path(r: &str) -> &str {
    match r.find("://") {
        Some(i) => {
            let rest = &r[i + 3..];
            // The authority ends at the first slash, backslash (browsers read it as a slash), '?' or '#'.
            match rest.find(['/', '\\', '?', '#']) {
                Some(j) => &rest[j..],
                None => "/",
            }
        }
        None => r,
    }
}
