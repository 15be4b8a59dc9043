//! Configuration: built-in defaults, then a TOML file, then `BALAI_*`
//! environment variables, then command-line flags.

use std::net::SocketAddr;
use std::num::{NonZeroU32, NonZeroU64};
use std::path::{Path, PathBuf};

use anyhow::Context;
use balai_services::{DatabaseUrl, PoolSettings};
use balai_web::TrustedProxies;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::backups::{BackupDir, DailyAt};

/// Settings of a Balai server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The database: a SQLite file (`sqlite:///var/lib/balai/balai.sqlite`
    /// or a bare path) or a PostgreSQL database
    /// (`postgres://USER:PASSWORD@HOST:5432/DATABASE`). Parsed at load; the
    /// password is masked wherever the location is shown.
    #[serde(with = "database_setting")]
    pub database: DatabaseUrl,
    /// Most database connections the server keeps open. Default: 4 on
    /// SQLite (it serialises writers), 10 on PostgreSQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<NonZeroU32>,
    /// Seconds a request waits for a free database connection before it
    /// fails with an error page.
    pub acquire_timeout_secs: NonZeroU64,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// `text` or `json`.
    pub log_format: String,
    /// Reverse proxies (IPs or CIDR networks) whose `X-Forwarded-For` /
    /// `Forwarded` client address is believed; empty when Balai faces the
    /// clients itself. Throttling and rate limits key on that address.
    pub trusted_proxies: TrustedProxies,
    /// Where the server keeps its own backups. Default: `backups/` beside the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_dir: Option<PathBuf>,
    /// How many of the server's backups to keep (the newest).
    pub backup_keep: NonZeroU32,
    /// When the daily backup is taken, `HH:MM` UTC.
    pub backup_time: DailyAt,
    /// The address residents and staff reach the server at, e.g.
    /// `https://desa.example.id` (printed in letters' QR codes, PIN slips and
    /// links). Default: `http://` + the address it listens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// PEM certificate chain, to serve HTTPS directly (with `tls_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of `tls_cert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// Allow plain http on an address other than loopback (passwords then
    /// cross the network unencrypted).
    #[serde(default)]
    pub insecure_http: bool,
    /// Villages' own host names, `"sengon.desa.id" = "33.10.01.2001"`: a
    /// request for that host gets the village's website at `/`, `/berita`,
    /// … (the DNS name must point at this server). Checked at load; each
    /// village must be on this server when it starts.
    #[serde(default, skip_serializing_if = "balai_web::VillageHosts::is_empty")]
    pub village_hosts: balai_web::VillageHosts,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database: DatabaseUrl::sqlite_file("data/balai.sqlite"),
            max_connections: None,
            acquire_timeout_secs: NonZeroU64::new(30).expect("non-zero"),
            bind: "127.0.0.1:8080".parse().expect("valid"),
            log_format: "text".into(),
            trusted_proxies: TrustedProxies::default(),
            backup_dir: None,
            backup_keep: NonZeroU32::new(14).expect("non-zero"),
            backup_time: DailyAt::default(),
            public_url: None,
            tls_cert: None,
            tls_key: None,
            insecure_http: false,
            village_hosts: balai_web::VillageHosts::default(),
        }
    }
}

impl Config {
    /// Loads the layers; an explicitly named file must exist.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                anyhow::ensure!(
                    f.is_file(),
                    "configuration file {} does not exist",
                    f.display()
                );
                fig = fig.merge(Toml::file(f));
            }
            None if Path::new("balai.toml").is_file() => fig = fig.merge(Toml::file("balai.toml")),
            None => {}
        }
        fig = fig.merge(Env::prefixed("BALAI_").only(&[
            "database",
            "max_connections",
            "acquire_timeout_secs",
            "bind",
            "log_format",
            "trusted_proxies",
            "backup_dir",
            "backup_keep",
            "backup_time",
            "public_url",
            "tls_cert",
            "tls_key",
            "insecure_http",
            "village_hosts",
        ]));
        let config: Config = fig.extract().context("invalid configuration")?;
        anyhow::ensure!(
            matches!(config.log_format.as_str(), "text" | "json"),
            "log_format must be \"text\" or \"json\", not {:?}",
            config.log_format
        );
        Ok(config)
    }

    /// The database pool as configured.
    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.max_connections,
            acquire_timeout: std::time::Duration::from_secs(self.acquire_timeout_secs.get()),
        }
    }

    /// The server's backup directory and retention (file backups are taken
    /// of a SQLite database only; on PostgreSQL `backup_dir` defaults to
    /// `backups/` in the working directory and holds nothing new).
    pub fn backups(&self) -> BackupDir {
        let dir = self.backup_dir.clone().unwrap_or_else(|| {
            self.database
                .sqlite_path()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""))
                .join("backups")
        });
        BackupDir {
            dir,
            keep: self.backup_keep,
        }
    }
}

/// `database =` read from and written to its text form. Errors name what is
/// wrong with the password masked (figment adds the setting's name).
mod database_setting {
    use balai_services::DatabaseUrl;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(url: &DatabaseUrl, s: S) -> Result<S::Ok, S::Error> {
        // Written out in full: figment layers the defaults through this, and
        // a setting that lost its password could not connect.
        s.serialize_str(&url.expose_secret())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DatabaseUrl, D::Error> {
        let raw = String::deserialize(d)?;
        DatabaseUrl::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "balai.toml",
                "database = \"/srv/desa.sqlite\"\nbind = \"0.0.0.0:9000\"\n",
            )?;
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(
                c.database.sqlite_path(),
                Some(Path::new("/srv/desa.sqlite"))
            );
            jail.set_env("BALAI_BIND", "127.0.0.1:7000");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.bind.port(), 7000);
            jail.create_file("bad.toml", "databse = \"x\"\n")?;
            let e = Config::load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(format!("{e:#}").contains("databse"), "{e:#}");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn village_hosts_are_parsed_at_load_and_bad_entries_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "balai.toml",
                "[village_hosts]\n\"Sengon.desa.id\" = \"33.10.01.2001\"\n\"krajan.desa.id\" = \"3310012002\"\n",
            )?;
            let c = Config::load(None).map_err(|e| e.to_string())?;
            let hosts = c.village_hosts.entries();
            assert_eq!(hosts.len(), 2);
            assert_eq!(
                c.village_hosts
                    .village_of("sengon.desa.id:443")
                    .map(|k| k.plain()),
                Some("3310012001".to_string())
            );
            assert!(Config::default().village_hosts.is_empty());
            jail.create_file(
                "bad.toml",
                "[village_hosts]\n\"https://sengon.desa.id\" = \"3310012001\"\n\"kota.desa.id\" = \"33.10\"\n",
            )?;
            let e = format!(
                "{:#}",
                Config::load(Some(Path::new("bad.toml"))).unwrap_err()
            );
            assert!(
                e.contains("village_hosts")
                    && e.contains("https://sengon.desa.id")
                    && e.contains("kota.desa.id"),
                "{e}"
            );
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn trusted_proxies_are_parsed_at_load_and_bad_entries_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "balai.toml",
                "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n",
            )?;
            let c = Config::load(None).map_err(|e| e.to_string())?;
            let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
            assert!(c.trusted_proxies.contains(ip("10.9.8.7")));
            assert!(c.trusted_proxies.contains(ip("127.0.0.1")));
            assert!(!c.trusted_proxies.contains(ip("192.168.1.1")));
            assert!(Config::default().trusted_proxies.networks().is_empty());
            jail.create_file("bad.toml", "trusted_proxies = [\"10.0.0.0/40\"]\n")?;
            let e = format!(
                "{:#}",
                Config::load(Some(Path::new("bad.toml"))).unwrap_err()
            );
            assert!(
                e.contains("trusted_proxies") && e.contains("10.0.0.0/40"),
                "{e}"
            );
            jail.create_file("bad2.toml", "trusted_proxies = [\"proxy.lan\"]\n")?;
            let e = format!(
                "{:#}",
                Config::load(Some(Path::new("bad2.toml"))).unwrap_err()
            );
            assert!(
                e.contains("trusted_proxies") && e.contains("proxy.lan"),
                "{e}"
            );
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn backup_settings_default_beside_the_database_and_are_layered() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("balai.toml", "database = \"/srv/desa.sqlite\"\n")?;
            let c = Config::load(None).map_err(|e| e.to_string())?;
            let b = c.backups();
            assert_eq!(b.dir, PathBuf::from("/srv/backups"));
            assert_eq!(b.keep.get(), 14);
            assert_eq!(c.backup_time.to_string(), "19:00");
            jail.create_file(
                "balai.toml",
                "backup_dir = \"/var/backups/balai\"\nbackup_keep = 3\nbackup_time = \"01:30\"\n",
            )?;
            jail.set_env("BALAI_BACKUP_KEEP", "5");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.backups().dir, PathBuf::from("/var/backups/balai"));
            assert_eq!(c.backups().keep.get(), 5);
            assert_eq!(c.backup_time.to_string(), "01:30");
            jail.set_env("BALAI_BACKUP_KEEP", "0");
            assert!(Config::load(None).is_err(), "keeping no backup is refused");
            jail.set_env("BALAI_BACKUP_KEEP", "2");
            jail.create_file("balai.toml", "backup_time = \"25:00\"\n")?;
            let e = Config::load(None).unwrap_err();
            assert!(format!("{e:#}").contains("HH:MM"), "{e:#}");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn database_takes_sqlite_paths_and_urls_and_postgres_urls() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("balai.toml", "database = \"sqlite:///srv/a%20b.sqlite\"\n")?;
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.database.sqlite_path(), Some(Path::new("/srv/a b.sqlite")));
            assert_eq!(c.backups().dir, PathBuf::from("/srv/backups"));
            jail.set_env(
                "BALAI_DATABASE",
                "postgres://balai:s3cret@db.lan:5432/klaten",
            );
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.database.backend(), balai_services::Backend::Postgres);
            assert_eq!(
                c.database.expose_secret(),
                "postgres://balai:s3cret@db.lan:5432/klaten"
            );
            for shown in [c.database.to_string(), format!("{c:?}")] {
                assert!(!shown.contains("s3cret"), "{shown}");
                assert!(shown.contains("balai:***@db.lan:5432/klaten"), "{shown}");
            }
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn a_bad_database_url_names_the_setting_and_masks_the_password() {
        figment::Jail::expect_with(|jail| {
            for bad in [
                "postgres://balai:s3cret@db.lan:5432/",
                "mysql://balai:s3cret@db.lan/klaten",
                "postgres://balai:s3cret@:5432/klaten",
                "",
            ] {
                jail.create_file("bad.toml", &format!("database = {bad:?}\n"))?;
                let e = format!(
                    "{:#}",
                    Config::load(Some(Path::new("bad.toml"))).unwrap_err()
                );
                assert!(e.contains("database"), "{bad}: {e}");
                assert!(!e.contains("s3cret"), "{bad}: {e}");
            }
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn pool_settings_default_by_backend_and_are_layered() {
        figment::Jail::expect_with(|jail| {
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.pool(), PoolSettings::default());
            assert_eq!(c.pool().acquire_timeout.as_secs(), 30);
            jail.create_file(
                "balai.toml",
                "max_connections = 40\nacquire_timeout_secs = 5\n",
            )?;
            jail.set_env("BALAI_MAX_CONNECTIONS", "50");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.pool().max_connections.map(|n| n.get()), Some(50));
            assert_eq!(c.pool().acquire_timeout.as_secs(), 5);
            jail.set_env("BALAI_MAX_CONNECTIONS", "0");
            let e = format!("{:#}", Config::load(None).unwrap_err());
            assert!(e.to_lowercase().contains("max_connections"), "{e}");
            Ok(())
        });
    }
}
