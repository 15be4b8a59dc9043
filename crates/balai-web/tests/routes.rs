//! Route tests through the router, without a socket, on a fresh database.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use balai_services::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_store::{Store, WriteContext};
use http_body_util::BodyExt;
use time::macros::datetime;
use tower::ServiceExt;

async fn app() -> (axum::Router, Store) {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", datetime!(2026-11-22 09:00 UTC));
    seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 3,
            villages: 2,
            residents_per_village: 200,
        },
    )
    .await
    .unwrap();
    let state = balai_web::AppState::new(
        db.clone(),
        std::sync::Arc::new(FixedClock(datetime!(2026-11-22 09:00 UTC))),
        balai_services::letters::Renderer::new(balai_services::letters::RenderWorker::new(
            env!("CARGO_BIN_EXE_balai-web-render-worker"),
            [],
        )),
    );
    (balai_web::router(state), store)
}

async fn send(
    app: &axum::Router,
    method: Method,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn home_lists_villages_with_population_and_no_personal_data() {
    let (app, store) = app().await;
    let (status, headers, body) = send(&app, Method::GET, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("Kabupaten Klaten"), "{body}");
    let summaries = store.village_summaries(None).await.unwrap();
    for s in &summaries {
        assert!(body.contains(&s.village.name), "{} missing", s.village.name);
        assert!(s.population > 0);
    }
    // No 16-digit number (NIK or No. KK) anywhere on a public page.
    let digits_run = body
        .as_bytes()
        .windows(16)
        .any(|w| w.iter().all(u8::is_ascii_digit));
    assert!(!digits_run, "a public page shows a 16-digit number");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _) = app().await;
    for uri in ["/", "/healthz", "/static/balai.css", "/no/such/page"] {
        let (_, h, _) = send(&app, Method::GET, uri).await;
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
            "{uri}: {csp}"
        );
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert!(
            h.get(header::SERVER).is_none(),
            "{uri} reveals the server software"
        );
    }
}

#[tokio::test]
async fn odd_requests_never_produce_a_500() {
    let (app, _) = app().await;
    for (method, uri, expected) in [
        (Method::HEAD, "/", StatusCode::OK),
        (Method::GET, "/healthz", StatusCode::OK),
        (Method::GET, "/?x=%00%ff&&=", StatusCode::OK),
        (Method::GET, "/static/../Cargo.toml", StatusCode::NOT_FOUND),
        (Method::GET, "/static/nope.js", StatusCode::NOT_FOUND),
        (Method::GET, "/%E0%A4%A", StatusCode::NOT_FOUND),
        (Method::POST, "/", StatusCode::METHOD_NOT_ALLOWED),
        (Method::DELETE, "/healthz", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let (status, _, _) = send(&app, method.clone(), uri).await;
        assert_eq!(status, expected, "{method} {uri}");
    }
}

#[tokio::test]
async fn healthz_reports_a_closed_database() {
    let (app, store) = app().await;
    let (status, _, body) = send(&app, Method::GET, "/healthz").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"database":"ok","status":"ok"}"#)
    );
    store.close().await;
    let (status, _, _) = send(&app, Method::GET, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn home_is_served_compressed_or_plain_as_the_client_asks() {
    let (app, _) = app().await;
    let (_, _, plain) = send(&app, Method::GET, "/").await;
    for (accept, gzip) in [
        ("gzip, deflate, br", true),
        ("gzip;q=0, identity", false),
        ("identity", false),
    ] {
        let res = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri("/")
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let encoding = res.headers().get(header::CONTENT_ENCODING).cloned();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        if gzip {
            assert_eq!(encoding.unwrap(), "gzip", "{accept}");
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text)
                .unwrap();
            assert_eq!(text, plain, "{accept}");
        } else {
            assert!(encoding.is_none(), "{accept}");
            assert_eq!(String::from_utf8_lossy(&body), plain, "{accept}");
        }
    }
}
