//! Structured logs to stderr: human-readable text or JSON lines.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `BALAI_LOG` (or `RUST_LOG`) sets levels.
pub fn init(format: &str) {
    let filter = EnvFilter::try_from_env("BALAI_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "json" {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}
