//! Balai's web layer: routes, pages and the HTTP hardening every response
//! gets. Handlers call services and the store's query API; they hold no SQL.

mod aggregate_cache;
mod client_addr;
mod error;
mod health;
mod home;
mod i18n;
mod import_jobs;
mod markdown;
mod pages;
mod rate_limit;
mod redirect;
mod resident_session;
mod security_headers;
mod session;
mod state;
mod static_files;
mod templates;
mod village_hosts;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::MatchedPath;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use client_addr::{ClientAddr, IpNet, TrustedProxies};
pub use error::AppError;
pub use rate_limit::{Rate, RateLimits};
pub use state::{AppState, PublicUrl};
pub use village_hosts::VillageHosts;

/// The village's public website and its staff editor (issue 12), kept in
/// one block of their own.
fn site_routes(router: Router<AppState>) -> Router<AppState> {
    use pages::site;
    let router = router
        .route("/desa/{kode}", get(site::home))
        .route("/desa/{kode}/berita", get(site::news_list))
        .route("/desa/{kode}/berita.atom", get(site::news_feed))
        .route("/desa/{kode}/berita/{slug}", get(site::news_post))
        .route("/desa/{kode}/agenda", get(site::agenda))
        .route("/desa/{kode}/agenda/cek", post(site::check))
        .route(
            "/desa/{kode}/agenda/{id}",
            get(site::activity).post(site::sign_up),
        )
        .route("/desa/{kode}/sitemap.xml", get(site::sitemap))
        .route("/desa/{kode}/gambar/{file}", get(site::photo))
        .route(
            "/staf/desa/{kode}/berita/{id}/gambar",
            post(site::photo_upload).layer(DefaultBodyLimit::max(
                balai_services::site_images::MAX_UPLOAD + (1 << 20),
            )),
        )
        .route("/staf/desa/{kode}/berita", get(site::staff_news))
        .route(
            "/staf/desa/{kode}/berita/baru",
            get(site::news_new_form).post(site::news_create),
        )
        .route(
            "/staf/desa/{kode}/berita/{id}",
            get(site::news_edit_form).post(site::news_update),
        )
        .route(
            "/staf/desa/{kode}/berita/{id}/terbit",
            post(site::news_publish),
        )
        .route("/staf/desa/{kode}/agenda", get(site::staff_agenda))
        .route(
            "/staf/desa/{kode}/agenda/baru",
            get(site::activity_new_form).post(site::activity_create),
        )
        .route(
            "/staf/desa/{kode}/agenda/{id}",
            get(site::activity_show).post(site::activity_update),
        )
        .route(
            "/staf/desa/{kode}/agenda/{id}/batal/{signup}",
            post(site::cancel_signup),
        )
        .route(
            "/desa/{kode}/foto/{part}/{file}",
            get(pages::showcase::public_photo),
        );
    let router = budget_routes(router);
    let router = showcase_routes::<pages::showcase::Products>(router, "produk");
    showcase_routes::<pages::showcase::Tourism>(router, "wisata")
}

/// The village budget (APBDes): the public page and the staff editor.
fn budget_routes(router: Router<AppState>) -> Router<AppState> {
    use pages::budget as b;
    router
        .route("/desa/{kode}/apbdes", get(b::latest))
        .route("/desa/{kode}/apbdes/{tahun}", get(b::year))
        .route("/staf/desa/{kode}/apbdes", get(b::staff_years))
        .route("/staf/desa/{kode}/apbdes/{tahun}", get(b::staff_year))
        .route("/staf/desa/{kode}/apbdes/{tahun}/terbit", post(b::publish))
        .route("/staf/desa/{kode}/apbdes/baris", post(b::add_line))
        .route(
            "/staf/desa/{kode}/apbdes/baris/{id}",
            get(b::edit_line).post(b::update_line),
        )
        .route(
            "/staf/desa/{kode}/apbdes/baris/{id}/hapus",
            post(b::remove_line),
        )
        .route(
            "/staf/desa/{kode}/apbdes/impor",
            post(b::import).layer(DefaultBodyLimit::max(
                balai_services::budget::siskeudes::MAX_ZIP + (1 << 20),
            )),
        )
}

/// The site's showcase (products, tourism), one part at `/…/{segment}`.
fn showcase_routes<P: pages::showcase::Part>(
    router: Router<AppState>,
    segment: &str,
) -> Router<AppState> {
    use pages::showcase as s;
    router
        .route(&format!("/desa/{{kode}}/{segment}"), get(s::list::<P>))
        .route(
            &format!("/desa/{{kode}}/{segment}/{{slug}}"),
            get(s::show::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}"),
            get(s::staff_list::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/baru"),
            get(s::new_form::<P>).post(s::create::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/{{id}}"),
            get(s::edit_form::<P>).post(s::update::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/{{id}}/terbit"),
            post(s::publish::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/{{id}}/hapus"),
            post(s::remove::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/foto/{{file}}"),
            get(s::staff_photo::<P>),
        )
        .route(
            &format!("/staf/desa/{{kode}}/{segment}/{{id}}/foto"),
            post(s::photo_upload::<P>).layer(DefaultBodyLimit::max(
                balai_services::site_images::MAX_UPLOAD + (1 << 20),
            )),
        )
}

/// Public information (UU 14/2008): the public list, requests, tracking
/// and objections, and the PPID's staff pages, kept in one block.
fn public_info_routes(router: Router<AppState>) -> Router<AppState> {
    use pages::public_info as pi;
    router
        .route("/desa/{kode}/informasi-publik", get(pi::public_list))
        .route(
            "/desa/{kode}/informasi-publik/dokumen/{file}",
            get(pi::public_document),
        )
        .route(
            "/desa/{kode}/informasi-publik/permohonan",
            get(pi::request_form).post(pi::request_file),
        )
        .route(
            "/desa/{kode}/informasi-publik/lacak",
            get(pi::track_form).post(pi::track),
        )
        .route("/desa/{kode}/informasi-publik/keberatan", post(pi::object))
        .route("/staf/desa/{kode}/informasi-publik", get(pi::staff_list))
        .route(
            "/staf/desa/{kode}/informasi-publik/baru",
            get(pi::new_form).post(pi::create),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/libur",
            get(pi::holidays).post(pi::holiday_set),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/libur/hapus",
            post(pi::holiday_remove),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/permohonan",
            get(pi::requests),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/permohonan/{id}",
            get(pi::request_show),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/permohonan/{id}/{aksi}",
            post(pi::request_act),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/keberatan",
            get(pi::objections),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/{id}",
            get(pi::edit_form).post(pi::update),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/{id}/hapus",
            post(pi::remove),
        )
        .route(
            "/staf/desa/{kode}/informasi-publik/{id}/dokumen",
            post(pi::upload).layer(DefaultBodyLimit::max(
                balai_services::public_info::MAX_DOCUMENT + (1 << 20),
            )),
        )
}

/// Open data (issue 12): JSON and CSV of what the public pages show, the
/// OpenAPI document and the DCAT catalogue. Any origin may read them (data
/// portals fetch from the browser too); nothing here is anyone's data.
fn api_routes(router: Router<AppState>) -> Router<AppState> {
    use pages::open_data as api;
    let open = Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/dcat.jsonld", get(api::catalogue))
        .route("/api/desa", get(api::villages_list))
        .route("/api/desa/{kode}", get(api::village))
        .route("/api/desa/{kode}/statistik", get(api::statistics_index))
        .route(
            "/api/desa/{kode}/statistik/{slug}",
            get(api::statistics_table),
        )
        .route("/api/desa/{kode}/agenda", get(api::agenda))
        .route("/api/desa/{kode}/berita", get(api::news))
        .route("/api/desa/{kode}/layanan", get(api::services))
        .route("/api/desa/{kode}/produk", get(api::products))
        .route("/api/desa/{kode}/wisata", get(api::tourism))
        .route("/api/desa/{kode}/apbdes", get(api::budget_years))
        .route("/api/desa/{kode}/apbdes/{tahun}", get(api::budget_year))
        .route(
            "/api/desa/{kode}/informasi-publik",
            get(api::public_information),
        )
        .route("/api/kabupaten/{kode}", get(api::regency))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ));
    router.merge(open)
}

/// Builds the whole application; tests call it directly, without a socket.
pub fn router(state: AppState) -> Router {
    let hosts = state.village_hosts.clone();
    let router = routes(state);
    if hosts.is_empty() {
        router
    } else {
        // Rewritten before routing: see `village_hosts`.
        Router::new().fallback_service(village_hosts::ByHost {
            hosts,
            inner: router,
        })
    }
}

fn routes(state: AppState) -> Router {
    let hsts = state.public_url.is_https();
    let router = Router::new()
        .route("/", get(home::page))
        .route("/healthz", get(health::check))
        .route("/kabupaten/{kode}", get(home::regency))
        .route(
            "/desa/{kode}/statistik",
            get(pages::public_statistics::index),
        )
        .route(
            "/desa/{kode}/statistik/{slug}",
            get(pages::public_statistics::table),
        )
        .route(
            "/desa/{kode}/pengaduan",
            get(pages::complaints::form).post(pages::complaints::file),
        )
        .route(
            "/desa/{kode}/pengaduan/lacak",
            post(pages::complaints::track),
        )
        .route("/static/{file}", get(static_files::serve))
        .route("/bahasa/{code}", get(pages::login::switch_language))
        .route("/masuk", get(pages::login::form).post(pages::login::submit))
        .route("/keluar", post(pages::login::logout))
        .route("/staf", get(pages::villages::home))
        .route("/staf/akun", get(pages::accounts::mine))
        .route("/staf/akun/sandi", post(pages::accounts::change_password))
        .route(
            "/staf/akun/totp",
            get(pages::accounts::totp_form).post(pages::accounts::totp_enrol),
        )
        .route("/staf/akun/totp/hapus", post(pages::accounts::totp_remove))
        .route(
            "/staf/pengguna",
            get(pages::accounts::list).post(pages::accounts::create),
        )
        .route("/staf/pengguna/{id}", get(pages::accounts::show))
        .route("/staf/pengguna/{id}/{aksi}", post(pages::accounts::act))
        .route("/staf/kabupaten", get(pages::regency::dashboard))
        .route(
            "/staf/kabupaten/kecamatan/{kode}",
            get(pages::regency::district),
        )
        .route("/staf/kabupaten/laporan", get(pages::regency::roll_up))
        // The village development index (issue 13 part 3).
        .route(
            "/staf/kabupaten/idm",
            get(pages::development_index::ranking),
        )
        .route(
            "/staf/kabupaten/idm/impor",
            post(pages::development_index::import).layer(DefaultBodyLimit::max(
                balai_services::development_index::MAX_UPLOAD + (1 << 20),
            )),
        )
        .route(
            "/staf/kabupaten/indeks-desa",
            get(pages::development_index::indeks_desa),
        )
        .route(
            "/staf/kabupaten/indeks-desa/impor",
            post(pages::development_index::import_indeks_desa).layer(DefaultBodyLimit::max(
                balai_services::development_index::MAX_UPLOAD + (1 << 20),
            )),
        )
        // The six smart-village pillars scorecard (issue 13 part 4).
        .route(
            "/staf/kabupaten/pilar",
            get(pages::smart_village::regency_page),
        )
        .route(
            "/staf/kabupaten/pilar/desa/{kode}",
            get(pages::smart_village::village_for_regency),
        )
        .route(
            "/staf/desa/{kode}/pilar",
            get(pages::smart_village::village_own),
        )
        // The regency's service directory (issue 13 part 5).
        .route(
            "/staf/kabupaten/layanan",
            get(pages::service_directory::list).post(pages::service_directory::save),
        )
        .route(
            "/staf/kabupaten/layanan/{id}",
            get(pages::service_directory::edit).post(pages::service_directory::save),
        )
        .route(
            "/staf/kabupaten/layanan/{id}/hapus",
            post(pages::service_directory::delete),
        )
        .route(
            "/desa/{kode}/layanan-publik",
            get(pages::service_directory::public),
        )
        .route(
            "/staf/kabupaten/idm/desa/{kode}",
            get(pages::development_index::village).post(pages::development_index::enter),
        )
        .route("/staf/wilayah/{kode}", get(pages::regency::village))
        .route(
            "/staf/wilayah/{kode}/dusun/{dusun}",
            get(pages::regency::dusun),
        )
        .route(
            "/staf/wilayah/{kode}/dusun/{dusun}/rw/{rw}",
            get(pages::regency::rw),
        )
        .route(
            "/staf/desa/{kode}/catatan",
            get(pages::regency::notes).post(pages::regency::write_note),
        )
        .route(
            "/staf/desa/{kode}/catatan/{id}/jawab",
            post(pages::regency::answer_note),
        )
        .route(
            "/staf/desa/{kode}/laporan/mutasi/kirim",
            post(pages::regency::submit_report),
        )
        .route("/staf/desa/{kode}", get(pages::villages::dashboard))
        .route("/staf/desa/{kode}/penduduk", get(pages::residents::list))
        .route(
            "/staf/desa/{kode}/statistik",
            get(pages::reports::statistics),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}",
            get(pages::residents::detail),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}/ubah",
            get(pages::residents::edit_form).post(pages::residents::edit_submit),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}/peristiwa",
            get(pages::registry_events::departure_form)
                .post(pages::registry_events::departure_submit),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}/akses",
            get(pages::residents::access_report),
        )
        .route(
            "/staf/desa/{kode}/pindah-masuk",
            get(pages::registry_events::move_in_form).post(pages::registry_events::move_in_submit),
        )
        .route("/staf/desa/{kode}/keluarga", get(pages::families::list))
        .route(
            "/staf/desa/{kode}/keluarga/{id}",
            get(pages::families::card),
        )
        .route(
            "/staf/desa/{kode}/keluarga/{id}/kk.pdf",
            get(pages::families::card_pdf),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}/biodata.pdf",
            get(pages::residents::biodata_pdf),
        )
        .route(
            "/staf/desa/{kode}/keluarga/{id}/{form}",
            get(pages::families::form_page).post(pages::families::form_submit),
        )
        .route(
            "/staf/desa/{kode}/impor",
            get(pages::import_export::form)
                .post(pages::import_export::upload)
                .layer(DefaultBodyLimit::max(
                    pages::import_export::MAX_UPLOAD + (1 << 20),
                )),
        )
        .route(
            "/staf/desa/{kode}/impor/{job}",
            get(pages::import_export::status),
        )
        .route(
            "/staf/desa/{kode}/ekspor",
            get(pages::import_export::download),
        )
        .route(
            "/staf/desa/{kode}/laporan/mutasi",
            get(pages::reports::mutation),
        )
        .route(
            "/staf/desa/{kode}/laporan/mutasi/dusun",
            get(pages::reports::mutation_by_dusun),
        )
        .route("/staf/desa/{kode}/surat", get(pages::letters::archive))
        .route(
            "/staf/desa/{kode}/surat/pengaturan",
            get(pages::letter_settings::show).post(pages::letter_settings::save),
        )
        .route(
            "/staf/desa/{kode}/surat/baru",
            get(pages::letters::new_form).post(pages::letters::submit),
        )
        .route("/staf/desa/{kode}/surat/{id}", get(pages::letters::show))
        .route("/staf/desa/{kode}/surat/{id}/pdf", get(pages::letters::pdf))
        .route(
            "/staf/desa/{kode}/surat/{id}/cabut",
            post(pages::letters::revoke),
        )
        .route(
            "/v/{token}",
            get(pages::letters::verify).post(pages::verify_check::check),
        )
        .route(
            "/staf/desa/{kode}/laporan/buku-induk",
            get(pages::reports::buku_induk),
        )
        .route(
            "/staf/desa/{kode}/penduduk/{id}/pin",
            post(pages::residents::issue_pin),
        )
        .route("/staf/desa/{kode}/pengaduan", get(pages::complaints::list))
        .route(
            "/staf/desa/{kode}/pengaduan/{id}",
            get(pages::complaints::show).post(pages::complaints::respond),
        )
        .route("/staf/desa/{kode}/permohonan", get(pages::requests::queue))
        .route(
            "/staf/desa/{kode}/permohonan/{id}",
            get(pages::requests::show),
        )
        .route(
            "/staf/desa/{kode}/permohonan/{id}/pratinjau",
            get(pages::requests::preview),
        )
        .route(
            "/staf/desa/{kode}/permohonan/{id}/{aksi}",
            post(pages::requests::act),
        )
        .route(
            "/staf/desa/{kode}/anjungan",
            get(pages::kiosks::list).post(pages::kiosks::enrol),
        )
        .route(
            "/staf/desa/{kode}/anjungan/{id}/cabut",
            post(pages::kiosks::revoke),
        )
        .route("/staf/info/{scope}", get(pages::info_pages::list))
        .route(
            "/staf/info/{scope}/{id}",
            get(pages::info_pages::form).post(pages::info_pages::save),
        )
        .route(
            "/staf/info/{scope}/{id}/hapus",
            post(pages::info_pages::delete),
        );
    // The village's profile (issue 12 part 1).
    let router = router
        .route("/desa/{kode}/profil", get(pages::village_profile::public))
        .route(
            "/staf/desa/{kode}/profil",
            get(pages::village_profile::edit_form).post(pages::village_profile::save),
        );
    // Village officials (issue 9 part 4, issue 12 part 1): kept in one block.
    let router = router
        .route("/desa/{kode}/pemerintahan", get(pages::officials::public))
        .route(
            "/staf/desa/{kode}/perangkat",
            get(pages::officials::list).post(pages::officials::add),
        )
        .route(
            "/staf/desa/{kode}/perangkat/{id}",
            get(pages::officials::edit_form).post(pages::officials::save),
        )
        .route(
            "/staf/desa/{kode}/perangkat/{id}/selesai",
            post(pages::officials::end_term),
        )
        .route(
            "/staf/desa/{kode}/permohonan/{id}/tinjau",
            get(pages::requests::review),
        )
        .route(
            "/staf/desa/{kode}/tanda-tangan",
            get(pages::officials::pin_form).post(pages::officials::pin_save),
        );
    let router = api_routes(public_info_routes(site_routes(router)));
    let router = pages::portal::routes(router)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(error::localize))
        .layer(axum::middleware::from_fn(security_headers::no_store))
        .layer(axum::middleware::map_response(security_headers::apply));
    // Served over https (directly or behind a proxy): browsers must not fall back to http.
    let router = if hsts {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
    } else {
        router
    };
    router
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                // Log the route pattern, never the raw URI: query strings may carry a NIK.
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("unmatched");
                tracing::info_span!("request", method = %req.method(), route)
            }),
        )
}
