//! Assets served by Balai itself (no CDNs): stylesheets, the kiosk's and the
//! self-service site's small scripts, and the app icons, kept small for 2G links.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Every asset: name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "balai.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/balai.css"),
    ),
    (
        "kiosk.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/kiosk.css"),
    ),
    (
        "kiosk.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/kiosk.js"),
    ),
    (
        "warga.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/warga.js"),
    ),
    (
        "ikon.svg",
        "image/svg+xml",
        include_bytes!("../static/ikon.svg"),
    ),
    (
        "ikon-192.png",
        "image/png",
        include_bytes!("../static/ikon-192.png"),
    ),
    (
        "ikon-512.png",
        "image/png",
        include_bytes!("../static/ikon-512.png"),
    ),
];

/// `GET /static/{file}`.
pub(crate) async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *bytes,
    )
        .into_response())
}
