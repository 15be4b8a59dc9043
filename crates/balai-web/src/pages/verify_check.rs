//! The public verification page `/v/{token}` and its field check: a
//! verifier types the NIK or birth date printed on the paper and is told
//! "cocok" or "tidak cocok". The page never shows the stored value nor
//! echoes what was typed.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use balai_services::letters::field_check::{self, CheckedField, FieldCheck};
use balai_services::letters::{self, Verification};
use balai_services::secrets::{constant_time_eq, random_token};
use serde::Deserialize;
use serde_json::json;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{RequestLang, VERIFY_COOKIE, cookie, set_cookie};
use crate::state::AppState;

/// The verification page of `token`, with a fresh double-submit token for
/// its field-check form and, after a check, its answer.
pub(crate) fn page(
    state: &AppState,
    lang: Lang,
    token: &str,
    found: Option<Verification>,
    check: Option<(CheckedField, FieldCheck)>,
) -> Result<Response, AppError> {
    let csrf = random_token();
    let html = state.templates.render(
        "verify.html",
        json!({
            "lang": lang.code(),
            "letter": found,
            "token": token,
            "csrf": csrf,
            "check": check.map(|(field, result)| json!({ "field": field.code(), "result": result })),
        }),
    )?;
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut res = (status, Html(html)).into_response();
    if found.is_some() {
        let c = set_cookie(VERIFY_COOKIE, &csrf, 3600, state.secure_cookies);
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&c).map_err(|e| AppError::internal(e.to_string()))?,
        );
    }
    // What was typed may be a NIK: no cache keeps the answer page.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The field-check form.
#[derive(Deserialize)]
pub(crate) struct CheckForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    kolom: String,
    #[serde(default)]
    nilai: String,
}

/// `POST /v/{token}`: compares the typed field with the sealed letter.
pub(crate) async fn check(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(f): Form<CheckForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, VERIFY_COOKIE).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(&f.csrf, expected) {
        return Err(AppError::Csrf);
    }
    let found = letters::verify_token(&state.db, state.clock.as_ref(), &token).await?;
    let Some(field) = CheckedField::parse(&f.kolom) else {
        return page(&state, lang, &token, found, None);
    };
    // At most a long date's worth of text is compared.
    let typed: String = f.nilai.chars().take(64).collect();
    let result = field_check::check_field(&state.db, &token, field, &typed).await?;
    page(&state, lang, &token, found, result.map(|r| (field, r)))
}
