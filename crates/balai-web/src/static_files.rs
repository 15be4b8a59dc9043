//! Assets served by Balai itself (no CDNs): one stylesheet, kept small for 2G links.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const CSS: &str = include_str!("../static/balai.css");

/// `GET /static/{file}`.
pub(crate) async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    match file.as_str() {
        "balai.css" => Ok((
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            CSS,
        )
            .into_response()),
        _ => Err(AppError::NotFound),
    }
}
