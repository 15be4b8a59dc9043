//! Headers every response carries: a strict Content-Security-Policy (no
//! outside hosts, no framing), nosniff, no referrer leaks, no server banner.

use axum::http::{HeaderValue, header};
use axum::response::Response;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Sets the headers on a response (used with `axum::middleware::map_response`).
pub(crate) async fn apply(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.remove(header::SERVER);
    res
}

/// Whether responses to `path` may carry personal data: staff pages, the
/// residents' two front doors and the public verification pages.
pub(crate) fn personal(path: &str) -> bool {
    ["/staf", "/layanan", "/anjungan", "/v"].iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// `Cache-Control: no-store` on every response under the personal prefixes
/// (one rule instead of each handler remembering it; the web app manifest
/// and service worker lose nothing by not being cached).
pub(crate) async fn no_store(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let personal = personal(req.uri().path());
    let mut res = next.run(req).await;
    if personal {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
