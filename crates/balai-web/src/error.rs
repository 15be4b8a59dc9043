//! The one error type handlers return: a safe message for the visitor, the
//! full cause in the log.

use std::any::Any;

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_services::ServiceError;

/// A failed request.
#[derive(Debug)]
pub enum AppError {
    /// Nothing at this address (or nothing this visitor may know about).
    NotFound,
    /// A staff page was asked for without a valid session.
    LoginRequired,
    /// The account must choose a new password before anything else.
    PasswordChangeRequired,
    /// A form's CSRF token is missing or wrong.
    Csrf,
    /// Logged in, but this action is not theirs to take.
    Forbidden(String),
    /// The request itself is malformed; the message says how.
    BadRequest(String),
    /// The upload is larger than allowed.
    TooLarge(String),
    /// Too many requests from this client; try again after this many seconds.
    RateLimited {
        /// Seconds until the next request is allowed.
        retry_after_secs: u64,
    },
    /// Something broke on our side; the detail is logged, never shown.
    Internal(String),
}

impl AppError {
    /// An internal error with its cause (logged only).
    pub fn internal(cause: impl Into<String>) -> Self {
        AppError::Internal(cause.into())
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Forbidden(m) => AppError::Forbidden(m),
            ServiceError::Invalid(m) => AppError::BadRequest(m),
            ServiceError::Form(f) => AppError::BadRequest(f.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The English twin of an error page, carried on the response until
/// [`localize`] sees whether the reader asked for English.
#[derive(Clone)]
struct EnglishPage(String);

fn body(title: &str, message: &str, lang: &str, home: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · Balai</title><link rel=\"stylesheet\" href=\"/static/balai.css\"></head>\
         <body><main class=\"wrap\"><h1>{}</h1><p>{}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        esc(title),
        esc(title),
        esc(message)
    )
}

/// A minimal page (not a template: it must render even when templates
/// fail), in Indonesian; `en` is its English title and message, shown
/// instead to a reader who chose English.
pub(crate) fn page_in(status: StatusCode, id: (&str, &str), en: (&str, &str)) -> Response {
    let mut res = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(body(id.0, id.1, "id", "Kembali ke beranda")),
    )
        .into_response();
    res.extensions_mut()
        .insert(EnglishPage(body(en.0, en.1, "en", "Back to the home page")));
    res
}

/// A minimal page whose message (from the services) is Indonesian only.
pub(crate) fn page(status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(body(title, message, "id", "Kembali ke beranda")),
    )
        .into_response()
}

/// Serves an error page's English twin to a reader who chose English (the
/// handler that failed did not know the language).
pub(crate) async fn localize(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = crate::session::lang(request.headers());
    let mut res = next.run(request).await;
    if lang == crate::i18n::Lang::En
        && let Some(EnglishPage(en)) = res.extensions_mut().remove::<EnglishPage>()
    {
        let status = res.status();
        let mut out = (status, Html(en)).into_response();
        for (k, v) in res.headers() {
            if k != header::CONTENT_LENGTH && k != header::CONTENT_TYPE {
                out.headers_mut().insert(k.clone(), v.clone());
            }
        }
        return out;
    }
    res
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => page_in(
                StatusCode::NOT_FOUND,
                (
                    "Halaman tidak ditemukan",
                    "Alamat yang Anda buka tidak ada.",
                ),
                ("Page not found", "The address you opened does not exist."),
            ),
            AppError::LoginRequired => Redirect::to("/masuk").into_response(),
            AppError::PasswordChangeRequired => Redirect::to("/staf/akun").into_response(),
            AppError::Csrf => page_in(
                StatusCode::FORBIDDEN,
                (
                    "Formulir tidak sah",
                    "Formulir ini kedaluwarsa atau tidak berasal dari Balai (token CSRF tidak cocok). Muat ulang halaman lalu kirim lagi.",
                ),
                (
                    "Form not accepted",
                    "The form's security token is missing or wrong: reload the page and submit again.",
                ),
            ),
            AppError::Forbidden(m) => page(StatusCode::FORBIDDEN, "Tidak diizinkan", &m),
            AppError::TooLarge(m) => {
                page(StatusCode::PAYLOAD_TOO_LARGE, "Berkas terlalu besar", &m)
            }
            AppError::BadRequest(m) => page(
                StatusCode::BAD_REQUEST,
                "Permintaan tidak dapat diproses",
                &m,
            ),
            AppError::RateLimited { retry_after_secs } => {
                let mut res = page_in(
                    StatusCode::TOO_MANY_REQUESTS,
                    (
                        "Terlalu banyak permintaan",
                        &format!(
                            "Terlalu banyak permintaan dari perangkat atau jaringan Anda. Tunggu {retry_after_secs} detik, lalu coba lagi."
                        ),
                    ),
                    (
                        "Too many requests",
                        &format!(
                            "Too many requests: wait {retry_after_secs} seconds, then try again."
                        ),
                    ),
                );
                res.headers_mut().insert(
                    header::RETRY_AFTER,
                    header::HeaderValue::from(retry_after_secs),
                );
                res
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                page_in(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    (
                        "Terjadi gangguan",
                        "Maaf, permintaan Anda tidak dapat diproses. Silakan coba lagi.",
                    ),
                    (
                        "Something went wrong",
                        "Sorry, your request could not be processed. Please try again.",
                    ),
                )
            }
        }
    }
}

/// The fallback for unknown paths.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

/// What a panicking handler answers (the panic itself is logged).
pub(crate) fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    AppError::internal(format!("handler panicked: {detail}")).into_response()
}
