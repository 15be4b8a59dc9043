//! What every handler can reach.

use std::sync::Arc;

use balai_services::Db;
use balai_services::clock::SharedClock;
use balai_services::letters::Renderer;

use crate::client_addr::TrustedProxies;
use crate::i18n::Catalog;
use crate::import_jobs::ImportJobs;
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::templates::Templates;

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The clock.
    pub clock: SharedClock,
    /// Whether cookies get the `Secure` flag (set when served over HTTPS).
    pub secure_cookies: bool,
    /// The address residents reach this server at, printed in letters' QR codes.
    pub public_url: String,
    /// Reverse proxies whose forwarded client address is believed.
    pub trusted_proxies: Arc<TrustedProxies>,
    /// The budgets of the rate-limited route families.
    pub rate_limits: RateLimits,
    pub(crate) limiter: Arc<RateLimiter>,
    /// Typesets letters (a village's own template in a worker process).
    pub renderer: Renderer,
    pub(crate) templates: Arc<Templates>,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) imports: ImportJobs,
}

impl AppState {
    /// State over `db`, with the built-in templates, typesetting
    /// letters with `renderer`.
    pub fn new(db: Db, clock: SharedClock, renderer: Renderer) -> Self {
        let catalog = Arc::new(Catalog::builtin());
        Self {
            db,
            clock,
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".into(),
            trusted_proxies: Arc::new(TrustedProxies::default()),
            rate_limits: RateLimits::default(),
            limiter: Arc::new(RateLimiter::default()),
            renderer,
            templates: Arc::new(Templates::builtin(catalog.clone())),
            catalog,
            imports: ImportJobs::default(),
        }
    }
}
