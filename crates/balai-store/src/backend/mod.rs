//! Which database a [`Store`](crate::Store) talks to, and the little each
//! backend needs that the shared SQL cannot express: connecting and
//! configuring connections, the migrations, bulk loading. The rest of the
//! crate is written once against sqlx's driver-agnostic `Any` connection; only
//! this module (and `backup.rs`, which copies SQLite files) names a driver.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// An embedded SQLite file (or a private in-memory database).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a connection talks to.
    pub(crate) fn of(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// Its name in messages and test names.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database location as configured: `sqlite://PATH`, a bare path (SQLite),
/// or `postgres://…` / `postgresql://…`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A SQLite file.
    SqliteFile(PathBuf),
    /// A PostgreSQL URL, checked to parse.
    Postgres(url::Url),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::SqliteFile(p) => write!(f, "SqliteFile({})", p.display()),
            Target::Postgres(u) => write!(f, "Postgres({})", mask_url(u.as_str())),
        }
    }
}

impl Target {
    /// Parses a configured database location. Anything that names another
    /// scheme, or a PostgreSQL URL without a host or database, is refused
    /// here, before any connection is tried.
    pub(crate) fn parse(location: &str) -> Result<Self, StoreError> {
        let location = location.trim();
        let bad = |why: &str| StoreError::Config(format!("database {}: {why}", mask_url(location)));
        if location.is_empty() {
            return Err(bad("empty database location"));
        }
        if let Some(rest) = location
            .strip_prefix("sqlite://")
            .or_else(|| location.strip_prefix("sqlite:"))
        {
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            if !query.is_empty() {
                return Err(bad("query parameters are not supported on sqlite:// URLs"));
            }
            if path.is_empty() || path == ":memory:" {
                return Err(bad(
                    "a SQLite database needs a file path (sqlite:///var/lib/balai/balai.sqlite)",
                ));
            }
            let path = percent_decode(path)
                .ok_or_else(|| bad("the path is not valid UTF-8 once %-decoded"))?;
            return Ok(Target::SqliteFile(PathBuf::from(path)));
        }
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            let url =
                url::Url::parse(location).map_err(|e| bad(&format!("malformed URL ({e})")))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(bad("no host"));
            }
            if url.path().trim_start_matches('/').is_empty() {
                return Err(bad("no database name (postgres://USER@HOST/DATABASE)"));
            }
            return Ok(Target::Postgres(url));
        }
        if let Some((scheme, _)) = location.split_once("://") {
            return Err(bad(&format!(
                "unsupported scheme {scheme:?} (use sqlite://PATH, a file path or postgres://…)"
            )));
        }
        Ok(Target::SqliteFile(PathBuf::from(location)))
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Target::SqliteFile(_) => Backend::Sqlite,
            Target::Postgres(_) => Backend::Postgres,
        }
    }

    /// The location for messages: the password of a URL masked.
    pub(crate) fn display(&self) -> String {
        match self {
            Target::SqliteFile(p) => p.display().to_string(),
            Target::Postgres(u) => mask_url(u.as_str()),
        }
    }

    pub(crate) fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Target::SqliteFile(p) => Some(p),
            Target::Postgres(_) => None,
        }
    }
}

/// A configured database location, parsed once where it enters Balai (the
/// configuration, a command-line flag) and passed around typed: a SQLite
/// file or a PostgreSQL URL. `Display` and `Debug` mask the password, so the
/// location can go into any log line or error message as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(Target);

impl DatabaseUrl {
    /// Parses a location: `sqlite://PATH`, a bare path (SQLite), or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`. The error names what
    /// is wrong, with the password masked.
    pub fn parse(location: &str) -> Result<Self, StoreError> {
        Target::parse(location).map(Self)
    }

    /// A SQLite file at `path`.
    pub fn sqlite_file(path: impl Into<PathBuf>) -> Self {
        Self(Target::SqliteFile(path.into()))
    }

    /// The backend it names.
    pub fn backend(&self) -> Backend {
        self.0.backend()
    }

    /// The SQLite file, or `None` for a server database.
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.0.sqlite_path()
    }

    /// The full location, password included: only for connecting or for
    /// writing the setting back out, never for messages (use `Display`).
    pub fn expose_secret(&self) -> String {
        match &self.0 {
            Target::SqliteFile(p) => p.display().to_string(),
            Target::Postgres(u) => u.to_string(),
        }
    }

    pub(crate) fn target(&self) -> &Target {
        &self.0
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        Self::parse(s)
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.display())
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({})", self.0.display())
    }
}

/// How many connections a store keeps and how long a request waits for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once; `None` for the backend's default
    /// ([`PoolSettings::default_max_connections`]).
    pub max_connections: Option<std::num::NonZeroU32>,
    /// How long a request waits for a free connection before it fails
    /// (with an error, not a hang).
    pub acquire_timeout: std::time::Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: None,
            acquire_timeout: std::time::Duration::from_secs(30),
        }
    }
}

impl PoolSettings {
    /// The pool size when none is configured. SQLite serialises writers, so
    /// a few connections are enough on any machine; a PostgreSQL server
    /// serves reads and writes in parallel, so the pool is larger (keep it
    /// below the server's `max_connections` across all Balai processes).
    pub fn default_max_connections(backend: Backend) -> u32 {
        match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        }
    }

    /// The pool size on `backend`.
    pub fn max_connections_on(&self, backend: Backend) -> u32 {
        self.max_connections
            .map_or_else(|| Self::default_max_connections(backend), |n| n.get())
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A database URL fit for logs and error messages: its password replaced by
/// `***`. A URL that does not parse has everything between `://` and the
/// last `@` of its authority masked, so a password cannot leak from a typo.
pub fn mask_url(location: &str) -> String {
    if let Ok(mut url) = url::Url::parse(location)
        && url.password().is_some()
    {
        let _ = url.set_password(Some("***"));
        return url.to_string();
    }
    match location.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => {
                    let user = rest[..at].split(':').next().unwrap_or("");
                    let masked = if rest[..at].contains(':') {
                        format!("{user}:***")
                    } else {
                        user.to_string()
                    };
                    format!("{scheme}://{masked}{}", &rest[at..])
                }
                None => location.to_string(),
            }
        }
        None => location.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_masks_its_password_in_display_debug_and_errors() {
        let u = DatabaseUrl::parse("postgres://balai:s3cret@db.lan:5432/klaten").unwrap();
        assert_eq!(u.backend(), Backend::Postgres);
        assert_eq!(u.sqlite_path(), None);
        for shown in [u.to_string(), format!("{u:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("balai:***@db.lan:5432/klaten"), "{shown}");
        }
        assert!(u.expose_secret().contains("s3cret"));
        let e = DatabaseUrl::parse("postgres://balai:s3cret@db.lan:5432/").unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(e.to_string().contains("no database name"), "{e}");
        let f = DatabaseUrl::parse("sqlite:///srv/desa.sqlite").unwrap();
        assert_eq!(f.sqlite_path(), Some(Path::new("/srv/desa.sqlite")));
        assert_eq!(f.to_string(), "/srv/desa.sqlite");
    }

    #[test]
    fn pool_defaults_differ_by_backend_and_a_setting_wins() {
        let d = PoolSettings::default();
        assert_eq!(d.max_connections_on(Backend::Sqlite), 4);
        assert_eq!(d.max_connections_on(Backend::Postgres), 10);
        let set = PoolSettings {
            max_connections: std::num::NonZeroU32::new(25),
            ..d
        };
        assert_eq!(set.max_connections_on(Backend::Sqlite), 25);
    }

    #[test]
    fn locations_parse_to_their_backend() {
        let t = |s: &str| Target::parse(s).map(|t| t.backend());
        assert_eq!(t("balai.sqlite").unwrap(), Backend::Sqlite);
        assert_eq!(t("/var/lib/balai/balai.sqlite").unwrap(), Backend::Sqlite);
        assert_eq!(
            t("sqlite:///var/lib/balai/balai.sqlite").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Target::parse("sqlite:///tmp/a%20b.sqlite")
                .unwrap()
                .sqlite_path()
                .unwrap(),
            Path::new("/tmp/a b.sqlite")
        );
        assert_eq!(
            t("postgres://balai@127.0.0.1:5432/balai").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            t("postgresql://balai:pw@db/balai").unwrap(),
            Backend::Postgres
        );
    }

    #[test]
    fn malformed_locations_are_refused_with_the_password_masked() {
        for bad in [
            "",
            "mysql://root:hunter2@db/balai",
            "postgres://balai:hunter2@/balai",
            "postgres://balai:hunter2@db",
            "postgres://balai:hunter2@db:notaport/balai",
            "sqlite://",
            "sqlite://x.sqlite?mode=ro",
        ] {
            let err = Target::parse(bad).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{bad}: {err}");
            assert!(err.starts_with("database "), "{bad}: {err}");
        }
    }

    #[test]
    fn masking_hides_only_the_password() {
        assert_eq!(
            mask_url("postgres://balai:s3cret@db.example:5432/balai"),
            "postgres://balai:***@db.example:5432/balai"
        );
        assert_eq!(
            mask_url("postgres://balai@db/balai"),
            "postgres://balai@db/balai"
        );
        assert_eq!(
            mask_url("postgres://u:p@ss@db:x/b"),
            "postgres://u:***@db:x/b"
        );
    }
}
