//! Balai's web layer: routes, pages and the HTTP hardening every response
//! gets. Handlers call services and the store's query API; they hold no SQL.

mod error;
mod health;
mod home;
mod security_headers;
mod state;
mod static_files;
mod templates;

use std::time::Duration;

use axum::Router;
use axum::extract::MatchedPath;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;
pub use state::AppState;

/// Builds the whole application; tests call it directly, without a socket.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home::page))
        .route("/healthz", get(health::check))
        .route("/static/{file}", get(static_files::serve))
        .fallback(error::not_found)
        .with_state(state)
        .layer(axum::middleware::map_response(security_headers::apply))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                // Log the route pattern, never the raw URI: query strings may carry a NIK.
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("unmatched");
                tracing::info_span!("request", method = %req.method(), route)
            }),
        )
}
