//! The network's front page: every village on this server and its population.
//!
//! The page shows aggregates only (no personal data), so its rendered HTML
//! is cached until a figure changes ([`crate::aggregate_cache`]).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use balai_services::statistics;
use serde::Serialize;

use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::state::AppState;

/// `GET /`: villages grouped by regency, with aggregate counts only.
pub(crate) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page = state
        .aggregates
        .page(&state.db, "/", || async {
            Page::new("text/html; charset=utf-8", render(&state).await?)
        })
        .await?;
    Ok(page.respond(&headers))
}

async fn render(state: &AppState) -> Result<String, AppError> {
    #[derive(Serialize)]
    struct Page {
        regencies: Vec<statistics::RegencyHeadline>,
    }
    let regencies = statistics::overview(&state.db).await?;
    state.templates.render("home.html", Page { regencies })
}
