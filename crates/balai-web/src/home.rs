//! The network's front page: every village on this server and its population.
//!
//! The page shows aggregates only (no personal data), so its rendered HTML
//! is cached and reused until a figure changes: the cache is keyed by the
//! statistics generation every write to residents or families bumps (in the
//! database, so writes by another process count too) and by this process's
//! own count of such writes (seen at once, without asking the database).
//! The database generation is asked at most every [`RECHECK`].

use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use balai_services::statistics;
use serde::Serialize;

use crate::error::AppError;
use crate::state::AppState;

/// How long a page is served before the database generation is asked again
/// (catches writes made by another process, e.g. `balai generate`).
const RECHECK: Duration = Duration::from_secs(1);

#[derive(Debug)]
struct Entry {
    generation: i64,
    local: u64,
    checked: Instant,
    html: Bytes,
}

/// The rendered home page and the figures' version it shows.
#[derive(Debug, Default)]
pub(crate) struct HomeCache(RwLock<Option<Entry>>);

impl HomeCache {
    /// The cached page if this process wrote nothing since and it was checked recently.
    fn fresh(&self, local: u64) -> Option<Bytes> {
        let e = self.0.read().ok()?;
        e.as_ref()
            .filter(|e| e.local == local && e.checked.elapsed() < RECHECK)
            .map(|e| e.html.clone())
    }

    /// The cached page if it shows `generation`; marks it checked.
    fn at(&self, generation: i64, local: u64) -> Option<Bytes> {
        let mut e = self.0.write().ok()?;
        let e = e.as_mut().filter(|e| e.generation == generation)?;
        if e.local <= local {
            e.local = local;
            e.checked = Instant::now();
        }
        Some(e.html.clone())
    }

    fn put(&self, generation: i64, local: u64, html: Bytes) {
        if let Ok(mut e) = self.0.write() {
            *e = Some(Entry {
                generation,
                local,
                checked: Instant::now(),
                html,
            });
        }
    }
}

/// `GET /`: villages grouped by regency, with aggregate counts only.
pub(crate) async fn page(State(state): State<AppState>) -> Result<Response, AppError> {
    let local = state.store.local_stat_writes();
    let html = match state.home_cache.fresh(local) {
        Some(html) => html,
        None => {
            // Generation first, figures second: a write landing in between
            // leaves an entry older than its figures, which is only re-rendered.
            let generation = statistics::generation(&state.store).await?;
            match state.home_cache.at(generation, local) {
                Some(html) => html,
                None => {
                    let html = Bytes::from(render(&state).await?);
                    state.home_cache.put(generation, local, html.clone());
                    html
                }
            }
        }
    };
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}

async fn render(state: &AppState) -> Result<String, AppError> {
    #[derive(Serialize)]
    struct Page {
        regencies: Vec<statistics::RegencyHeadline>,
    }
    let regencies = statistics::overview(&state.store).await?;
    state.templates.render("home.html", Page { regencies })
}
