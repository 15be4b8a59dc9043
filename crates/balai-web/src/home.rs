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
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use balai_services::statistics;
use serde::Serialize;

use crate::error::AppError;
use crate::state::AppState;

/// How long a page is served before the database generation is asked again
/// (catches writes made by another process, e.g. `balai generate`).
const RECHECK: Duration = Duration::from_secs(1);

/// The page as sent: plain and gzip-compressed (compressed once per
/// version, not once per request: compressing is most of a request's cost).
#[derive(Debug, Clone)]
struct Page {
    html: Bytes,
    gzip: Bytes,
}

#[derive(Debug)]
struct Entry {
    generation: i64,
    local: u64,
    checked: Instant,
    page: Page,
}

/// The rendered home page and the figures' version it shows.
#[derive(Debug, Default)]
pub(crate) struct HomeCache(RwLock<Option<Entry>>);

impl HomeCache {
    /// The cached page if this process wrote nothing since and it was checked recently.
    fn fresh(&self, local: u64) -> Option<Page> {
        let e = self.0.read().ok()?;
        e.as_ref()
            .filter(|e| e.local == local && e.checked.elapsed() < RECHECK)
            .map(|e| e.page.clone())
    }

    /// The cached page if it shows `generation`; marks it checked.
    fn at(&self, generation: i64, local: u64) -> Option<Page> {
        let mut e = self.0.write().ok()?;
        let e = e.as_mut().filter(|e| e.generation == generation)?;
        if e.local <= local {
            e.local = local;
            e.checked = Instant::now();
        }
        Some(e.page.clone())
    }

    fn put(&self, generation: i64, local: u64, page: Page) {
        if let Ok(mut e) = self.0.write() {
            *e = Some(Entry {
                generation,
                local,
                checked: Instant::now(),
                page,
            });
        }
    }
}

/// `GET /`: villages grouped by regency, with aggregate counts only.
pub(crate) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let local = statistics::local_writes(&state.db);
    let page = match state.home_cache.fresh(local) {
        Some(page) => page,
        None => {
            // Generation first, figures second: a write landing in between
            // leaves an entry older than its figures, which is only re-rendered.
            let generation = statistics::generation(&state.db).await?;
            match state.home_cache.at(generation, local) {
                Some(page) => page,
                None => {
                    let html = render(&state).await?;
                    let page = Page {
                        gzip: gzip(html.as_bytes())?,
                        html: Bytes::from(html),
                    };
                    state.home_cache.put(generation, local, page.clone());
                    page
                }
            }
        }
    };
    let html = "text/html; charset=utf-8";
    // Already compressed: the compression layer passes it through as is.
    Ok(if accepts_gzip(&headers) {
        (
            [
                (header::CONTENT_TYPE, html),
                (header::CONTENT_ENCODING, "gzip"),
                (header::VARY, "accept-encoding"),
            ],
            page.gzip,
        )
            .into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, html),
                (header::VARY, "accept-encoding"),
            ],
            page.html,
        )
            .into_response()
    })
}

fn gzip(bytes: &[u8]) -> Result<Bytes, AppError> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)
        .and_then(|()| e.finish())
        .map(Bytes::from)
        .map_err(|err| AppError::internal(format!("compressing the home page: {err}")))
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, `*`, not `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

async fn render(state: &AppState) -> Result<String, AppError> {
    #[derive(Serialize)]
    struct Page {
        regencies: Vec<statistics::RegencyHeadline>,
    }
    let regencies = statistics::overview(&state.db).await?;
    state.templates.render("home.html", Page { regencies })
}
