//! Configuration: built-in defaults, then a TOML file, then `BALAI_*`
//! environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

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
}
