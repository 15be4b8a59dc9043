//! Running the web application until Ctrl-C or SIGTERM, then draining:
//! over plain http (loopback, or behind a reverse proxy) or https from
//! certificate files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use axum_server::tls_rustls::RustlsConfig;
use balai_services::Db;
use balai_services::SystemClock;
use balai_services::letters::{RenderWorker, Renderer};
use balai_web::PublicUrl;

use crate::config::Config;

/// Where and how to serve, as configured (checked by [`Listen::check`]).
#[derive(Debug, Clone)]
pub struct Listen {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// `public_url`, as written.
    pub public_url: Option<String>,
    /// `tls_cert` and `tls_key`.
    pub tls_cert: Option<PathBuf>,
    /// See `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// `insecure_http`.
    pub insecure_http: bool,
    /// Reverse proxies whose forwarded client address is believed.
    pub trusted_proxies: balai_web::TrustedProxies,
    /// Host names that serve one village's website.
    pub village_hosts: balai_web::VillageHosts,
}

impl Listen {
    /// The configuration's settings, listening on `bind`.
    pub fn from_config(config: &Config, bind: SocketAddr) -> Self {
        Listen {
            bind,
            public_url: config.public_url.clone(),
            tls_cert: config.tls_cert.clone(),
            tls_key: config.tls_key.clone(),
            insecure_http: config.insecure_http,
            trusted_proxies: config.trusted_proxies.clone(),
            village_hosts: config.village_hosts.clone(),
        }
    }
}

/// Settings that were checked: a server is only started with these.
pub struct Checked {
    bind: SocketAddr,
    public_url: Option<PublicUrl>,
    tls: Option<RustlsConfig>,
    trusted_proxies: balai_web::TrustedProxies,
    village_hosts: balai_web::VillageHosts,
}

impl Listen {
    /// Refuses what the server could not use: a malformed public URL, plain
    /// http on a non-loopback address (unless `insecure_http`), half a TLS
    /// pair, or certificate/key files that cannot be read or parsed. Every
    /// message names the setting. Commands call it before they open (and
    /// migrate) the database, so a bad setting changes nothing.
    pub async fn check(self) -> anyhow::Result<Checked> {
        let public_url = self
            .public_url
            .as_deref()
            .map(|u| PublicUrl::parse(u).map_err(|e| anyhow::anyhow!("public_url: {e}")))
            .transpose()?;
        let tls = match (&self.tls_cert, &self.tls_key) {
            (None, None) => None,
            (Some(_), None) => bail!("tls_cert is set but tls_key is not: give both, or neither"),
            (None, Some(_)) => bail!("tls_key is set but tls_cert is not: give both, or neither"),
            (Some(cert), Some(key)) => {
                let c = std::fs::read(cert)
                    .with_context(|| format!("tls_cert: cannot read {}", cert.display()))?;
                let k = std::fs::read(key)
                    .with_context(|| format!("tls_key: cannot read {}", key.display()))?;
                let config = RustlsConfig::from_pem(c, k).await.with_context(|| {
                    format!(
                        "tls_cert/tls_key: {} and {} are not a usable PEM certificate chain and private key",
                        cert.display(),
                        key.display()
                    )
                })?;
                Some(config)
            }
        };
        let https = public_url.as_ref().map(PublicUrl::is_https);
        if tls.is_some() && https == Some(false) {
            bail!(
                "public_url: {} is http:// but tls_cert/tls_key make the server speak https; write https://",
                public_url.expect("checked")
            );
        }
        let plain_http = tls.is_none() && https != Some(true);
        if plain_http && !self.bind.ip().is_loopback() && !self.insecure_http {
            bail!(
                "public_url: {} is plain http on {}, which is reachable from the network, so passwords would cross it unencrypted; \
                 set public_url to an https:// address (serve it with tls_cert/tls_key, or behind a reverse proxy), \
                 bind to 127.0.0.1, or pass --insecure-http",
                public_url.map_or_else(|| "(unset)".to_string(), |u| u.to_string()),
                self.bind
            );
        }
        // Listening on every interface, the bound address is no address at
        // all: letters sealed with it could never be checked by scanning.
        if public_url.is_none() && self.bind.ip().is_unspecified() {
            bail!(
                "public_url: not set, and the server listens on {} (every interface), which no letter's QR code or link can name; \
                 set public_url (or --public-url, BALAI_PUBLIC_URL) to the address people reach it at, e.g. https://desa.example.id",
                self.bind
            );
        }
        Ok(Checked {
            bind: self.bind,
            public_url,
            tls,
            trusted_proxies: self.trusted_proxies,
            village_hosts: self.village_hosts,
        })
    }
}

/// Serves until a shutdown signal; in-flight requests finish first.
/// `ready` gets the address listened on and the public URL in use.
pub async fn serve(
    db: Db,
    checked: Checked,
    ready: impl FnOnce(SocketAddr, &PublicUrl),
) -> anyhow::Result<()> {
    let bind = checked.bind;
    let listener =
        std::net::TcpListener::bind(bind).with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    // The configured public URL wins; without one (loopback, development)
    // letters' QR codes, PIN slips and links name the address actually
    // served on, never a fixed one that no scanner could reach.
    let public_url = match checked.public_url {
        Some(u) => u,
        None => PublicUrl::parse(&format!(
            "{}://{addr}",
            if checked.tls.is_some() {
                "https"
            } else {
                "http"
            }
        ))
        .map_err(|e| anyhow::anyhow!("public_url: {e}"))?,
    };
    // A host that names a village this server does not hold would serve
    // only 404s: refuse to start instead, naming it.
    for (host, village) in checked.village_hosts.entries() {
        balai_services::villages::village(&db, village)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "village_hosts: {host} names village {}, which this server cannot serve: {e}",
                    village.dotted()
                )
            })?;
    }
    let mut state = balai_web::AppState::new(db.clone(), Arc::new(SystemClock), renderer()?)
        .with_public_url(public_url.clone())
        .with_village_hosts(checked.village_hosts);
    state.trusted_proxies = Arc::new(checked.trusted_proxies);
    let app = balai_web::router(state);
    tracing::info!(%addr, public_url = %public_url, tls = checked.tls.is_some(), "serving");
    ready(addr, &public_url);
    // Connect info gives handlers the socket's peer: the client, or a trusted proxy.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    match checked.tls {
        None => {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .context("server failed")?;
        }
        Some(tls) => {
            let handle = axum_server::Handle::<SocketAddr>::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            axum_server::from_tcp_rustls(listener, tls)?
                .handle(handle)
                .serve(app)
                .await
                .context("server failed")?;
        }
    }
    tracing::info!("shutting down: closing the database");
    db.close().await;
    Ok(())
}

/// Village templates render in worker processes: this binary, run as
/// `balai render-worker`.
fn renderer() -> anyhow::Result<Renderer> {
    let exe =
        std::env::current_exe().context("cannot find the balai binary to start render workers")?;
    Ok(Renderer::new(RenderWorker::new(
        exe,
        ["render-worker".to_string()],
    )))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
