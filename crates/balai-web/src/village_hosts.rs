//! A village's website at its own host name: one regency server answers
//! for 401 sites, so `https://sengon.desa.id/berita` is served as
//! `/desa/3310012001/berita`. The mapping is configuration
//! (`[village_hosts]`), checked when it is loaded.
//!
//! Only the village site's own pages move: under a mapped host, `/` is the
//! village's home page and a first path segment that is not one of the
//! server's own (`/staf`, `/api`, `/static`, `/desa`, ...) is read as a page
//! of that village's site. Everything else, including `/desa/{kode}/…`
//! links the pages already print, is served as on any host.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::Request;
use axum::http::{Uri, header};
use axum::response::Response;
use axum::routing::future::RouteFuture;
use balai_domain::{KodeWilayah, RegionLevel};
use tower::Service;

/// First path segments that belong to the server, not to a village's site:
/// they are never rewritten under a village's host.
const SERVER_SEGMENTS: [&str; 13] = [
    "api",
    "bahasa",
    "desa",
    "healthz",
    "kabupaten",
    "keluar",
    "masuk",
    "staf",
    "static",
    "v",
    "layanan",
    "anjungan",
    "favicon.ico",
];

/// Host names that serve one village's website.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct VillageHosts(HashMap<String, KodeWilayah>);

impl VillageHosts {
    /// Reads `host = "village code"` entries: a host is a DNS name (letters,
    /// digits, hyphens and dots; no port, no scheme), written in any case;
    /// the code is a village's Kemendagri code (dotted or plain). Every bad
    /// entry is named.
    pub fn parse(entries: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut map = HashMap::new();
        let mut problems = Vec::new();
        for (host, code) in entries {
            let name = normalise(host);
            if !is_dns_name(&name) {
                problems.push(format!(
                    "{host:?} is not a host name (write it without http:// or a port)"
                ));
                continue;
            }
            match KodeWilayah::parse(code.trim()) {
                Ok(k) if k.level() == RegionLevel::Village => {
                    if map.insert(name, k).is_some() {
                        problems.push(format!("{host:?} is given twice"));
                    }
                }
                Ok(_) => problems.push(format!("{host:?}: {code:?} is not a village's code")),
                Err(e) => problems.push(format!("{host:?}: {code:?}: {e}")),
            }
        }
        if problems.is_empty() {
            Ok(Self(map))
        } else {
            Err(problems.join("; "))
        }
    }

    /// Whether no host is mapped.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every mapped host and its village, sorted by host.
    pub fn entries(&self) -> Vec<(String, KodeWilayah)> {
        let mut v: Vec<_> = self.0.iter().map(|(h, k)| (h.clone(), *k)).collect();
        v.sort();
        v
    }

    /// The village whose site `host` (a `Host` header: any case, maybe with
    /// a port) serves.
    pub fn village_of(&self, host: &str) -> Option<KodeWilayah> {
        let name = match host.rsplit_once(':') {
            // An IPv6 literal has colons of its own; no village host is one.
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        self.0.get(&normalise(name)).copied()
    }

    /// The path `uri` is served as under the site of `village`, or `None`
    /// when it stays as it is.
    fn site_path(village: KodeWilayah, uri: &Uri) -> Option<Uri> {
        let path = uri.path();
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        if !first.is_empty() && SERVER_SEGMENTS.contains(&first) {
            return None;
        }
        let base = format!("/desa/{}", village.plain());
        let path = if path == "/" { base } else { base + path };
        let with_query = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        with_query.parse().ok()
    }

    /// Moves a request for a mapped host onto its village's site.
    fn rewrite(&self, req: &mut Request) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| req.uri().host());
        if let Some(village) = host.and_then(|h| self.village_of(h))
            && let Some(uri) = Self::site_path(village, req.uri())
        {
            *req.uri_mut() = uri;
        }
    }
}

impl TryFrom<BTreeMap<String, String>> for VillageHosts {
    type Error = String;
    fn try_from(v: BTreeMap<String, String>) -> Result<Self, String> {
        Self::parse(&v)
    }
}

impl From<VillageHosts> for BTreeMap<String, String> {
    fn from(h: VillageHosts) -> Self {
        h.0.into_iter().map(|(host, k)| (host, k.plain())).collect()
    }
}

fn normalise(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

fn is_dns_name(s: &str) -> bool {
    (1..=253).contains(&s.len())
        && s.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// The router behind the host mapping: requests are rewritten before the
/// router matches them (a layer on the router itself would run after
/// routing).
#[derive(Clone)]
pub(crate) struct ByHost {
    pub(crate) hosts: Arc<VillageHosts>,
    pub(crate) inner: Router,
}

impl Service<Request> for ByHost {
    type Response = Response;
    type Error = Infallible;
    type Future = RouteFuture<Infallible>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        self.hosts.rewrite(&mut req);
        self.inner.call(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(entries: &[(&str, &str)]) -> Result<VillageHosts, String> {
        VillageHosts::parse(
            &entries
                .iter()
                .map(|(h, k)| (h.to_string(), k.to_string()))
                .collect(),
        )
    }

    #[test]
    fn hosts_are_dns_names_and_codes_are_villages_and_every_bad_entry_is_named() {
        let h = hosts(&[
            ("Sengon.Desa.ID", "33.10.01.2001"),
            ("krajan.desa.id.", "3310012002"),
        ])
        .unwrap();
        assert_eq!(
            h.village_of("sengon.desa.id").unwrap().plain(),
            "3310012001"
        );
        assert_eq!(
            h.village_of("SENGON.desa.id:8443").unwrap().plain(),
            "3310012001"
        );
        assert_eq!(
            h.village_of("krajan.desa.id").unwrap().plain(),
            "3310012002"
        );
        assert_eq!(h.village_of("balai.klatenkab.go.id"), None);
        assert_eq!(h.village_of("[::1]:8080"), None);

        let e = hosts(&[
            ("https://a.desa.id", "3310012001"),
            ("b.desa.id:80", "3310012001"),
            ("c.desa.id", "33.10"),
            ("d.desa.id", "33.10.01.20O1"),
            ("-e.desa.id", "3310012001"),
        ])
        .unwrap_err();
        for bad in [
            "https://a.desa.id",
            "b.desa.id:80",
            "c.desa.id",
            "d.desa.id",
            "-e.desa.id",
        ] {
            assert!(e.contains(bad), "{bad} not named in {e}");
        }
        let e = hosts(&[("a.desa.id", "3310012001"), ("A.desa.id", "3310012002")]).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn only_the_sites_own_pages_move_under_a_village_host() {
        let v = KodeWilayah::parse("3310012001").unwrap();
        let moved =
            |p: &str| VillageHosts::site_path(v, &p.parse().unwrap()).map(|u| u.to_string());
        assert_eq!(moved("/").as_deref(), Some("/desa/3310012001"));
        assert_eq!(moved("/berita").as_deref(), Some("/desa/3310012001/berita"));
        assert_eq!(
            moved("/statistik/agama?dusun=KRAJAN").as_deref(),
            Some("/desa/3310012001/statistik/agama?dusun=KRAJAN")
        );
        assert_eq!(
            moved("/sitemap.xml").as_deref(),
            Some("/desa/3310012001/sitemap.xml")
        );
        for stays in [
            "/desa/3310012001/berita",
            "/desa/3310012002",
            "/staf",
            "/static/site.css",
            "/api/desa/3310012001",
            "/masuk",
            "/v/abc",
            "/layanan/3310012001",
            "/anjungan/3310012001",
            "/kabupaten/3310",
        ] {
            assert_eq!(moved(stays), None, "{stays}");
        }
    }
}
