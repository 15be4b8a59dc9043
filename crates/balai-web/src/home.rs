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

/// `GET /kabupaten/{kode}`: a regency's landing page — its villages on this
/// server with links to their sites and the regency's figures; aggregates
/// only, cached like the home page.
pub(crate) async fn regency(
    State(state): State<AppState>,
    axum::extract::Path(kode): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let kode = balai_domain::KodeWilayah::parse(&kode).map_err(|_| AppError::NotFound)?;
    let path = format!("/kabupaten/{}", kode.plain());
    let page = state
        .aggregates
        .page(&state.db, &path, || async {
            #[derive(Serialize)]
            struct View {
                regency: statistics::RegencyHeadline,
                districts: usize,
            }
            let regency = statistics::regency_headline(&state.db, kode).await?;
            let mut districts: Vec<&str> = regency
                .villages
                .iter()
                .map(|v| v.district.as_str())
                .collect();
            districts.dedup();
            let districts = districts.len();
            Page::new(
                "text/html; charset=utf-8",
                state
                    .templates
                    .render("regency_public.html", View { regency, districts })?,
            )
        })
        .await?;
    Ok(page.respond(&headers))
}
