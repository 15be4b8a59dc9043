//! Running the web application until Ctrl-C or SIGTERM, then draining.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use balai_services::Db;
use balai_services::SystemClock;
use balai_services::letters::{RenderWorker, Renderer};

/// Serves on `bind` until a shutdown signal; in-flight requests finish first.
pub async fn serve(
    db: Db,
    bind: SocketAddr,
    trusted_proxies: balai_web::TrustedProxies,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    let mut state = balai_web::AppState::new(db.clone(), Arc::new(SystemClock), renderer()?);
    state.trusted_proxies = Arc::new(trusted_proxies);
    // Letters' QR codes, PIN slips and links name the address actually
    // served on (a `public_url` setting comes with the deployment work),
    // never a fixed one that no scanner could reach.
    state.public_url = format!("http://{addr}");
    let app = balai_web::router(state);
    tracing::info!(%addr, "serving");
    ready(addr);
    // Connect info gives handlers the socket's peer: the client, or a trusted proxy.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server failed")?;
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
