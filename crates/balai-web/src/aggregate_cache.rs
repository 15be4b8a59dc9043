//! Rendered pages of aggregates (the home page, a village's public
//! statistics), reused until a figure changes.
//!
//! Only pages that show aggregates and no one's data may be cached here. An
//! entry is keyed by what the page shows (path, part, language) and stamped
//! with the statistics generation every write to residents or families bumps
//! (in the database, so writes by another process count too) and with this
//! process's own count of such writes (seen at once, without asking the
//! database). The database generation is asked at most every [`RECHECK`].

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use balai_services::Db;
use balai_services::statistics;

use crate::error::AppError;

/// How long a page is served before the database generation is asked again
/// (catches writes made by another process, e.g. `balai generate`).
const RECHECK: Duration = Duration::from_secs(1);

/// At most this many pages are kept (a regency's 401 villages × their
/// statistics pages fit); when full, the cache starts over.
const MAX_ENTRIES: usize = 8_192;

/// A page as sent: plain and gzip-compressed (compressed once per version,
/// not once per request: compressing is most of a request's cost).
#[derive(Debug, Clone)]
pub(crate) struct Page {
    content_type: &'static str,
    plain: Bytes,
    gzip: Bytes,
    /// A validator of the content (`"…"`), for `If-None-Match`.
    etag: String,
    /// Whether shared caches may keep it (no form token, no cookie in it).
    public: bool,
}

impl Page {
    /// A page of `content_type` with `body`.
    pub(crate) fn new(content_type: &'static str, body: String) -> Result<Page, AppError> {
        Ok(Page {
            content_type,
            gzip: gzip(body.as_bytes())?,
            etag: etag_of(body.as_bytes()),
            plain: Bytes::from(body),
            public: true,
        })
    }

    /// A page only its reader's browser may keep (it carries their form token).
    pub(crate) fn private(mut self) -> Self {
        self.public = false;
        self
    }

    /// The response for a client sending `headers`: gzip when it takes it.
    /// A page the client already holds (`If-None-Match` names its ETag)
    /// is answered 304 with no body; browsers revalidate every time
    /// (`no-cache`), so a changed page is seen at once.
    pub(crate) fn respond(self, headers: &HeaderMap) -> Response {
        // Already compressed: the compression layer passes it through as is.
        let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
        let cc = (
            header::CACHE_CONTROL,
            HeaderValue::from_static(if self.public {
                "public, no-cache"
            } else {
                "private, no-cache"
            }),
        );
        let Ok(etag) = HeaderValue::from_str(&self.etag) else {
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if matches_etag(headers, &self.etag) {
            return (
                axum::http::StatusCode::NOT_MODIFIED,
                [(header::ETAG, etag), vary, cc],
            )
                .into_response();
        }
        let et = (header::ETAG, etag);
        let ct = (
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if accepts_gzip(headers) {
            let ce = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            ([ct, ce, vary, et, cc], self.gzip).into_response()
        } else {
            ([ct, vary, et, cc], self.plain).into_response()
        }
    }
}

#[derive(Debug)]
struct Entry {
    generation: i64,
    local: u64,
    checked: Instant,
    page: Page,
}

/// Rendered aggregate pages by key.
#[derive(Debug, Default)]
pub(crate) struct AggregateCache(RwLock<HashMap<String, Entry>>);

impl AggregateCache {
    /// The page under `key`: the cached one while no figure changed, else
    /// rendered afresh by `render` and kept.
    pub(crate) async fn page<F, Fut>(&self, db: &Db, key: &str, render: F) -> Result<Page, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Page, AppError>>,
    {
        let local = statistics::local_writes(db);
        if let Some(page) = self.fresh(key, local) {
            return Ok(page);
        }
        // Generation first, figures second: a write landing in between
        // leaves an entry older than its figures, which is only re-rendered.
        let generation = statistics::generation(db).await?;
        if let Some(page) = self.at(key, generation, local) {
            return Ok(page);
        }
        let page = render().await?;
        self.put(key, generation, local, page.clone());
        Ok(page)
    }

    /// The cached page if this process wrote nothing since and it was checked recently.
    fn fresh(&self, key: &str, local: u64) -> Option<Page> {
        let map = self.0.read().ok()?;
        map.get(key)
            .filter(|e| e.local == local && e.checked.elapsed() < RECHECK)
            .map(|e| e.page.clone())
    }

    /// The cached page if it shows `generation`; marks it checked.
    fn at(&self, key: &str, generation: i64, local: u64) -> Option<Page> {
        let mut map = self.0.write().ok()?;
        let e = map.get_mut(key).filter(|e| e.generation == generation)?;
        if e.local <= local {
            e.local = local;
            e.checked = Instant::now();
        }
        Some(e.page.clone())
    }

    fn put(&self, key: &str, generation: i64, local: u64, page: Page) {
        if let Ok(mut map) = self.0.write() {
            if map.len() >= MAX_ENTRIES && !map.contains_key(key) {
                map.clear();
            }
            map.insert(
                key.to_string(),
                Entry {
                    generation,
                    local,
                    checked: Instant::now(),
                    page,
                },
            );
        }
    }
}

fn gzip(bytes: &[u8]) -> Result<Bytes, AppError> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)
        .and_then(|()| e.finish())
        .map(Bytes::from)
        .map_err(|err| AppError::internal(format!("compressing a page: {err}")))
}

/// A strong validator of `bytes`: FNV-1a 64 over the content, stable
/// across processes and restarts (no secret involved: it names content the
/// client already has).
fn etag_of(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}-{:x}\"", bytes.len())
}

/// Whether `If-None-Match` names `etag` (or `*`); weak tags compare equal.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
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
