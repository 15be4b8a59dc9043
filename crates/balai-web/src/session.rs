//! Who is asking: the staff session from its cookie, the interface language,
//! and the CSRF check on every staff form.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use balai_services::secrets::constant_time_eq;
use balai_services::staff::{self, Staff};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// The staff session cookie.
pub const SESSION_COOKIE: &str = "balai_sesi";
/// The language cookie.
pub const LANG_COOKIE: &str = "balai_bahasa";
/// The login form's double-submit CSRF cookie (there is no session yet).
pub const LOGIN_COOKIE: &str = "balai_masuk";
/// The verification page's field-check form double-submit CSRF cookie.
pub const VERIFY_COOKIE: &str = "balai_periksa";

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The interface language of this request.
pub fn lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .map(Lang::parse)
        .unwrap_or(Lang::Id)
}

/// The interface language, as an extractor.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(lang(&parts.headers)))
    }
}

/// A logged-in staff member. Pages that need one send everyone else to the login page.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    /// Who.
    pub staff: Staff,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// Interface language.
    pub lang: Lang,
    /// SHA-256 of this session's cookie token (to keep it when the password changes).
    pub session_hash: Vec<u8>,
}

/// The pages an account that must change its password may still open.
const PASSWORD_CHANGE_PATHS: [&str; 3] = ["/staf/akun", "/staf/akun/sandi", "/keluar"];

impl<S> FromRequestParts<S> for CurrentStaff
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let lang = lang(&parts.headers);
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(AppError::LoginRequired);
        };
        match staff::session(&state.db, state.clock.as_ref(), token).await? {
            Some(s)
                if s.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) =>
            {
                Err(AppError::PasswordChangeRequired)
            }
            Some(s) => Ok(CurrentStaff {
                staff: s.staff,
                csrf: s.csrf,
                lang,
                session_hash: balai_services::secrets::token_hash(token),
            }),
            None => Err(AppError::LoginRequired),
        }
    }
}

/// The fields of a urlencoded form body, in order.
pub(crate) fn form_fields(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::BadRequest("formulir tidak dapat dibaca".into()))
}

/// The fields of a urlencoded form body, once its `_csrf` field matched `expected`.
pub(crate) fn csrf_checked_fields(
    body: &[u8],
    expected: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let fields = form_fields(body)?;
    let sent = fields
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if !constant_time_eq(sent, expected) {
        return Err(AppError::Csrf);
    }
    Ok(fields)
}

/// A submitted staff form whose CSRF token matched the session's.
#[derive(Debug, Clone)]
pub struct StaffForm {
    /// Who submitted it.
    pub current: CurrentStaff,
    /// The fields, in order (repeated names allowed).
    pub fields: Vec<(String, String)>,
    raw: Bytes,
}

impl StaffForm {
    /// The first value of field `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of field `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The fields as a typed form (missing fields take their defaults).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_urlencoded::from_bytes(&self.raw)
            .map_err(|e| AppError::BadRequest(format!("formulir tidak dapat dibaca: {e}")))
    }
}

impl<S> FromRequest<S> for StaffForm
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let current = CurrentStaff::from_request_parts(&mut parts, state).await?;
        let raw = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| AppError::BadRequest("formulir terlalu besar".into()))?;
        let fields = csrf_checked_fields(&raw, &current.csrf)?;
        Ok(StaffForm {
            current,
            fields,
            raw,
        })
    }
}
