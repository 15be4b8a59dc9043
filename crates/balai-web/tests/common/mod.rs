//! A test client over the router: keeps cookies, logs in, extracts CSRF tokens.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use balai_services::FixedClock;
use balai_services::demo::{DEMO_PASSWORD, DemoOptions, seed};
use balai_store::{Store, WriteContext};
use http_body_util::BodyExt;
use time::macros::datetime;
use tower::ServiceExt;

pub const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

pub struct App {
    pub router: Router,
    pub store: Store,
    pub villages: Vec<String>,
}

pub async fn app(villages: u32, residents: u32) -> App {
    app_with(villages, residents, |_| {}).await
}

/// An app whose state `configure` adjusts first (trusted proxies, rate limits).
pub async fn app_with(
    villages: u32,
    residents: u32,
    configure: impl FnOnce(&mut balai_web::AppState),
) -> App {
    app_with_villages(villages, residents, |state, _| configure(state)).await
}

/// As [`app_with`], `configure` also given the seeded villages' codes.
pub async fn app_with_villages(
    villages: u32,
    residents: u32,
    configure: impl FnOnce(&mut balai_web::AppState, &[String]),
) -> App {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 5,
            villages,
            residents_per_village: residents,
        },
    )
    .await
    .unwrap();
    let codes: Vec<String> = demo
        .villages
        .iter()
        .map(|v| v.village.kode.plain())
        .collect();
    let mut state = balai_web::AppState::new(db.clone(), Arc::new(FixedClock(NOW)), renderer());
    configure(&mut state, &codes);
    App {
        router: balai_web::router(state),
        store,
        villages: codes,
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

pub struct Client {
    pub router: Router,
    pub cookies: HashMap<String, String>,
    /// The socket peer the request seems to come from (none: no socket, as
    /// a plain router test).
    pub peer: Option<std::net::SocketAddr>,
    /// Headers sent with every request (e.g. `X-Forwarded-For`).
    pub extra_headers: Vec<(String, String)>,
}

impl Client {
    pub fn new(app: &App) -> Client {
        Client {
            router: app.router.clone(),
            cookies: HashMap::new(),
            peer: None,
            extra_headers: Vec::new(),
        }
    }

    /// A client whose requests arrive from `ip` (as the socket's peer).
    pub fn at(app: &App, ip: &str) -> Client {
        let mut c = Client::new(app);
        c.peer = Some(std::net::SocketAddr::new(ip.parse().unwrap(), 40000));
        c
    }

    pub async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Response {
        let mut req = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header(header::COOKIE, c.join("; "));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req = req.header(header::CONTENT_LENGTH, body.len());
        for (k, v) in &self.extra_headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let mut req = req.body(Body::from(body)).unwrap();
        if let Some(peer) = self.peer {
            // What `into_make_service_with_connect_info` adds for a real socket.
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (kv, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub async fn get(&mut self, uri: &str) -> Response {
        self.send(Method::GET, uri, None, Vec::new()).await
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Method::POST,
            uri,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
        )
        .await
    }

    pub async fn login(&mut self, username: &str) -> Response {
        let page = self.get("/masuk").await;
        let csrf = csrf(&page.body);
        self.post(
            "/masuk",
            &[
                ("_csrf", &csrf),
                ("username", username),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await
    }

    /// The CSRF token of the page at `uri`.
    pub async fn csrf_of(&mut self, uri: &str) -> String {
        let page = self.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        csrf(&page.body)
    }
}

pub fn csrf(html: &str) -> String {
    let i = html
        .find("name=\"_csrf\" value=\"")
        .expect("page has a CSRF field")
        + 20;
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

pub fn location(r: &Response) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The ids after `/{kind}/` in links of a page.
pub fn ids(html: &str, kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    let marker = format!("/{kind}/");
    let mut rest = html;
    while let Some(i) = rest.find(&marker) {
        let tail = &rest[i + marker.len()..];
        let id: String = tail
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        if id.len() == 36 && !out.contains(&id) {
            out.push(id);
        }
        rest = tail;
    }
    out
}

/// Village templates render in a real worker process, as in production.
pub fn renderer() -> balai_services::letters::Renderer {
    balai_services::letters::Renderer::new(balai_services::letters::RenderWorker::new(
        env!("CARGO_BIN_EXE_balai-web-render-worker"),
        [],
    ))
}
