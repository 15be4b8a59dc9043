//! What every handler can reach.

use std::sync::Arc;

use axum::http::Uri;
use balai_services::Db;
use balai_services::clock::SharedClock;
use balai_services::letters::Renderer;

use crate::client_addr::TrustedProxies;
use crate::i18n::Catalog;
use crate::import_jobs::ImportJobs;
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::templates::Templates;

/// The address residents and staff reach this server at (scheme, host,
/// optional port; no path): printed in letters' QR codes, PIN slips and
/// links. Only [`PublicUrl::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    text: String,
    https: bool,
    host: String,
}

impl PublicUrl {
    /// Parses an absolute `http://` or `https://` address with no path,
    /// query or credentials (a trailing `/` is dropped).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let uri: Uri = s
            .parse()
            .map_err(|e| format!("{s:?} is not a valid URL ({e})"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(other) => {
                return Err(format!(
                    "{s:?} must start with http:// or https://, not {other}://"
                ));
            }
            None => {
                return Err(format!(
                    "{s:?} is not absolute: write it as https://desa.example.id"
                ));
            }
        };
        let authority = uri
            .authority()
            .filter(|a| !a.host().is_empty())
            .ok_or_else(|| format!("{s:?} has no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("{s:?} must not carry a user name or password"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!(
                "{s:?} must be the server's address only, without a path or query (Balai serves from the root)"
            ));
        }
        let text = format!(
            "{}://{}",
            if https { "https" } else { "http" },
            authority.as_str().to_ascii_lowercase()
        );
        Ok(PublicUrl {
            text,
            https,
            host: authority.host().to_ascii_lowercase(),
        })
    }

    /// Whether it is `https://` (then cookies are `Secure` and HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The host name (or address).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for PublicUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The clock.
    pub clock: SharedClock,
    /// Whether cookies get the `Secure` flag (whenever the public URL is https).
    pub secure_cookies: bool,
    /// The address residents reach this server at, printed in letters' QR codes.
    pub public_url: PublicUrl,
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
    pub(crate) aggregates: Arc<crate::aggregate_cache::AggregateCache>,
    /// Host names that serve one village's website (empty: none).
    pub village_hosts: Arc<crate::VillageHosts>,
}

impl AppState {
    /// State over `db`, with the built-in templates, typesetting
    /// letters with `renderer`, as served by tests without a socket; a
    /// server sets its address with [`Self::with_public_url`].
    pub fn new(db: Db, clock: SharedClock, renderer: Renderer) -> Self {
        let public_url = PublicUrl::parse("http://localhost").expect("valid");
        let catalog = Arc::new(Catalog::builtin());
        Self {
            db,
            clock,
            secure_cookies: public_url.is_https(),
            public_url,
            trusted_proxies: Arc::new(TrustedProxies::default()),
            rate_limits: RateLimits::default(),
            limiter: Arc::new(RateLimiter::default()),
            renderer,
            templates: Arc::new(Templates::builtin(catalog.clone())),
            catalog,
            imports: ImportJobs::default(),
            aggregates: Arc::default(),
            village_hosts: Arc::default(),
        }
    }

    /// Serves each village of `hosts` at its own host name too.
    pub fn with_village_hosts(mut self, hosts: crate::VillageHosts) -> Self {
        self.village_hosts = Arc::new(hosts);
        self
    }

    /// Serves at `public_url`: links and QR codes use it, and an https
    /// address makes cookies `Secure` (and the router adds HSTS).
    pub fn with_public_url(mut self, public_url: PublicUrl) -> Self {
        self.secure_cookies = public_url.is_https();
        self.public_url = public_url;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn public_urls_are_absolute_addresses_without_a_path() {
        let u = PublicUrl::parse("https://Desa.Example.id/").unwrap();
        assert_eq!(u.as_str(), "https://desa.example.id");
        assert!(u.is_https());
        assert_eq!(u.host(), "desa.example.id");
        assert_eq!(
            PublicUrl::parse("http://192.168.1.10:8080")
                .unwrap()
                .as_str(),
            "http://192.168.1.10:8080"
        );
        for bad in [
            "desa.example.id",
            "ftp://desa.example.id",
            "https://desa.example.id/balai",
            "https://x@desa.example.id",
            "https://desa.example.id/?a=1",
            "https:// bad",
            "",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
