//! Configuration: built-in defaults, then a TOML file, then `BALAI_*`
//! environment variables, then command-line flags.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use anyhow::Context;
use balai_web::TrustedProxies;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::backups::{BackupDir, DailyAt};

/// Settings of a Balai server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// SQLite database file.
    pub database: PathBuf,
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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database: PathBuf::from("data/balai.sqlite"),
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
        ]));
        let config: Config = fig.extract().context("invalid configuration")?;
        anyhow::ensure!(
            matches!(config.log_format.as_str(), "text" | "json"),
            "log_format must be \"text\" or \"json\", not {:?}",
            config.log_format
        );
        Ok(config)
    }

    /// The server's backup directory and retention.
    pub fn backups(&self) -> BackupDir {
        let dir = self.backup_dir.clone().unwrap_or_else(|| {
            self.database
                .parent()
                .unwrap_or(Path::new(""))
                .join("backups")
        });
        BackupDir {
            dir,
            keep: self.backup_keep,
        }
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
            assert_eq!(c.database, PathBuf::from("/srv/desa.sqlite"));
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
}
