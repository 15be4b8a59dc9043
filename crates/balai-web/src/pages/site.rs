//! A village's public website (`/desa/{kode}`: home, news, agenda, Atom
//! feed, sitemap) and its staff editor (`/staf/desa/{kode}/berita`,
//! `/staf/desa/{kode}/agenda`).
//!
//! Every public page is server-rendered HTML with the one stylesheet, no
//! script, no outside asset; each carries an ETag and is answered 304 when
//! the visitor already has it. The home page shows aggregates and published
//! content only, so it is cached ([`crate::aggregate_cache`]) under the
//! village's change-feed head (any write of the village renders it anew).
//! Public forms (sign up, check a sign-up) reuse the complaint pages'
//! double-submit cookie, honeypot and per-client rate limit.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::disclosure::Cell;
use balai_domain::showcase::ShowcaseKind;
use balai_domain::site::Publication;
use balai_domain::time_zone::ZonaWaktu;
use balai_services::ServiceError;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::secrets::random_token;
use balai_services::site::{
    self, Activity, ActivityForm, NewsForm, NewsPost, SignUp, SignupForm, WriteActivity, WriteNews,
};
use balai_services::site_images;
use balai_services::staff::VillageAccess;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::complaints::{FORM_COOKIE, HONEYPOT, checked_fields, field, public_village};
use super::showcase;
use super::{id, render, village_access, village_context};
use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::markdown;
use crate::session::{CurrentStaff, RequestLang, StaffForm, cookie, set_cookie};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";

/// Where the village's news photos are served (the only images a post shows).
fn photos(village: KodeWilayah) -> String {
    format!("/desa/{}/gambar/", village.plain())
}
/// How many posts and activities the home page shows.
const HOME_ITEMS: i64 = 5;
/// How many products and tourism spots the home page highlights.
const HOME_SHOWCASE: i64 = 4;

fn cell(c: Cell) -> Value {
    match c {
        Cell::Shown(n) => json!(n),
        Cell::Hidden => Value::Null,
    }
}

/// The absolute address of `path` on this server (canonical links, feeds).
pub(crate) fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.public_url.as_str().trim_end_matches('/'))
}

/// An instant on the clocks of the village `place`: its date, time
/// (`08.00`) and zone (`WIB`, `WITA`, `WIT`), as every other page writes them.
fn when(at: OffsetDateTime, place: KodeWilayah) -> Value {
    crate::templates::local_time(at, ZonaWaktu::of(place))
}

fn post_json(p: &NewsPost) -> Value {
    json!({
        "id": p.id.to_string(), "slug": p.content.slug.as_str(), "title": p.content.title,
        "summary": markdown::summary(&p.content.body, 240),
        "published": p.publication.is_public(), "state": p.publication.label_key(),
        "published_on": p.published_on.map(|d| d.to_string()),
        "updated_by": p.updated_by,
    })
}

/// An activity as pages show it; sign-up is `open` while the staff left
/// it open and the activity has not ended at `now`.
fn activity_json(a: &Activity, now: OffsetDateTime, village: KodeWilayah) -> Value {
    let d = &a.details;
    json!({
        "id": a.id.to_string(), "title": d.title, "description": d.description, "place": d.place,
        "start": when(d.starts_at, village), "end": when(d.ends_at, village),
        "capacity": d.capacity, "confirmed": a.confirmed, "waiting": a.waiting,
        "left": d.capacity.saturating_sub(a.confirmed),
        "open": d.signup_open && d.ends_at > now, "published": d.publication.is_public(),
        "state": d.publication.label_key(),
    })
}

/// Midnight of the village's today: activities ending after it are upcoming
/// (a whole day, so a page cached for the day stays right).
pub(crate) fn start_of_today(state: &AppState, village: KodeWilayah) -> OffsetDateTime {
    let today = balai_services::registry::today(state.clock.as_ref(), village);
    today
        .midnight()
        .assume_offset(ZonaWaktu::of(village).offset())
}

fn base_ctx(state: &AppState, lang: Lang, village: &Value, path: &str) -> Value {
    json!({ "lang": lang.code(), "village": village, "canonical": absolute(state, path) })
}

/// `GET /desa/{kode}`: the village's home page.
pub(crate) async fn home(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    // One query per request: the feed head picks the cached page; the
    // village itself is read only when the page is rendered (an unknown
    // code has head 0 and is "not found" there, never cached).
    let village = KodeWilayah::parse(&kode)
        .ok()
        .filter(|k| k.level() == balai_domain::RegionLevel::Village)
        .ok_or(AppError::NotFound)?;
    let stamp = site::content_stamp(&state.db, village).await?;
    let on = balai_services::registry::today(state.clock.as_ref(), village);
    let key = format!("/desa/{}#{}#{on}#{stamp}", village.plain(), lang.code());
    let page = state
        .aggregates
        .page(&state.db, &key, || async {
            let (_, v) = public_village(&state, &kode).await?;
            let now = state.clock.now();
            let stats = balai_services::statistics::public(&state.db, village, None, on).await?;
            let news = site::public_news(&state.db, village, HOME_ITEMS).await?;
            let agenda = site::upcoming(
                &state.db,
                village,
                start_of_today(&state, village),
                HOME_ITEMS,
            )
            .await?;
            let mut ctx = base_ctx(&state, lang, &v, &format!("/desa/{}", village.plain()));
            ctx["figures"] = json!({
                "population": cell(stats.population.total), "men": cell(stats.population.men),
                "women": cell(stats.population.women), "families": stats.families,
                "on": on.to_string(),
            });
            ctx["news"] = news.iter().map(post_json).collect();
            ctx["agenda"] = agenda
                .iter()
                .map(|a| activity_json(a, now, village))
                .collect();
            ctx["products"] = json!(
                showcase::public_items(&state, village, ShowcaseKind::Product, HOME_SHOWCASE)
                    .await?
            );
            ctx["tourism"] = json!(
                showcase::public_items(&state, village, ShowcaseKind::Tourism, HOME_SHOWCASE)
                    .await?
            );
            ctx["budget"] = json!(super::budget::home_summary(&state, village).await?);
            Page::new(HTML, state.templates.render("site_home.html", ctx)?)
        })
        .await?;
    Ok(page.respond(&headers))
}

/// `GET /desa/{kode}/berita`: published news, newest first.
pub(crate) async fn news_list(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let posts = site::public_news(&state.db, village, site::LIST_LIMIT).await?;
    let mut ctx = base_ctx(
        &state,
        lang,
        &v,
        &format!("/desa/{}/berita", village.plain()),
    );
    ctx["news"] = posts.iter().map(post_json).collect();
    Ok(Page::new(HTML, state.templates.render("site_news.html", ctx)?)?.respond(&headers))
}

/// `GET /desa/{kode}/berita/{slug}`: one published post (drafts: 404).
pub(crate) async fn news_post(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let post = site::public_news_post(&state.db, village, &slug).await?;
    let mut ctx = base_ctx(
        &state,
        lang,
        &v,
        &format!("/desa/{}/berita/{}", village.plain(), post.content.slug),
    );
    ctx["post"] = post_json(&post);
    ctx["body_html"] = json!(markdown::to_safe_html(&post.content.body, &photos(village)));
    Ok(Page::new(HTML, state.templates.render("site_news_post.html", ctx)?)?.respond(&headers))
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `GET /desa/{kode}/berita.atom`: the news as an Atom feed.
pub(crate) async fn news_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let posts = site::public_news(&state.db, village, 20).await?;
    let base = absolute(&state, &format!("/desa/{}", village.plain()));
    let entries: Vec<Value> = posts
        .iter()
        .map(|p| {
            json!({
                "title": p.content.title,
                "url": format!("{base}/berita/{}", p.content.slug),
                "updated": rfc3339(p.updated_at),
                "published": p.published_on.map(|d| rfc3339(d.midnight().assume_offset(ZonaWaktu::of(village).offset()))),
                "html": markdown::to_safe_html(&p.content.body, &photos(village)),
            })
        })
        .collect();
    let updated = posts
        .iter()
        .map(|p| p.updated_at)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let xml = state.templates.render(
        "site_news.atom.xml",
        json!({ "village": v, "base": base, "entries": entries, "updated": updated }),
    )?;
    Ok(Page::new("application/atom+xml; charset=utf-8", xml)?.respond(&headers))
}

/// `GET /desa/{kode}/sitemap.xml`: every public page of the village.
pub(crate) async fn sitemap(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, _) = public_village(&state, &kode).await?;
    let base = absolute(&state, &format!("/desa/{}", village.plain()));
    let mut urls: Vec<String> = [
        "",
        "/statistik",
        "/pengaduan",
        "/berita",
        "/agenda",
        "/pemerintahan",
        "/profil",
        "/produk",
        "/wisata",
        "/informasi-publik",
        "/informasi-publik/permohonan",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    urls.push(format!("{base}/apbdes"));
    for y in super::budget::public_years(&state, village).await? {
        urls.push(format!("{base}/apbdes/{y}"));
    }
    for p in site::public_news(&state.db, village, 10_000).await? {
        urls.push(format!("{base}/berita/{}", p.content.slug));
    }
    for kind in [ShowcaseKind::Product, ShowcaseKind::Tourism] {
        for slug in showcase::public_slugs(&state, village, kind).await? {
            urls.push(format!("{base}/{}/{slug}", showcase::segment(kind)));
        }
    }
    for a in site::upcoming(&state.db, village, start_of_today(&state, village), 10_000).await? {
        urls.push(format!("{base}/agenda/{}", a.id));
    }
    let xml = state
        .templates
        .render("site_sitemap.xml", json!({ "urls": urls }))?;
    Ok(Page::new("application/xml; charset=utf-8", xml)?.respond(&headers))
}

/// The form token of this visitor: the one their cookie holds when it looks
/// like ours (so the page, and its ETag, stay the same), else a new one.
fn form_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, FORM_COOKIE) {
        Some(t)
            if t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            (t.to_string(), false)
        }
        _ => (random_token(), true),
    }
}

fn with_token_cookie(
    state: &AppState,
    mut res: Response,
    token: &str,
    new: bool,
) -> Result<Response, AppError> {
    if new {
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&set_cookie(FORM_COOKIE, token, 3600, state.secure_cookies))
                .map_err(|e| AppError::internal(e.to_string()))?,
        );
    }
    Ok(res)
}

/// A public page with a form: revalidated by ETag on GET; a POST's answer
/// (with its status) is never a 304.
fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    template: &str,
    mut ctx: Value,
    status: Option<StatusCode>,
) -> Result<Response, AppError> {
    let (token, new) = form_token(headers);
    ctx["csrf"] = json!(token);
    ctx["honeypot"] = json!(HONEYPOT);
    let html = state.templates.render(template, ctx)?;
    let res = match status {
        None => Page::new(HTML, html)?.private().respond(headers),
        Some(status) => {
            let mut res = (status, Html(html)).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
    };
    with_token_cookie(state, res, &token, new)
}

async fn agenda_ctx(
    state: &AppState,
    lang: Lang,
    village: KodeWilayah,
    v: &Value,
) -> Result<Value, AppError> {
    let now = state.clock.now();
    let list = site::upcoming(
        &state.db,
        village,
        start_of_today(state, village),
        site::LIST_LIMIT,
    )
    .await?;
    let mut ctx = base_ctx(state, lang, v, &format!("/desa/{}/agenda", village.plain()));
    ctx["agenda"] = list
        .iter()
        .map(|a| activity_json(a, now, village))
        .collect();
    Ok(ctx)
}

/// `GET /desa/{kode}/agenda`: upcoming activities and the sign-up check.
pub(crate) async fn agenda(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let ctx = agenda_ctx(&state, lang, village, &v).await?;
    form_page(&state, &headers, "site_agenda.html", ctx, None)
}

/// `POST /desa/{kode}/agenda/cek`: a sign-up by its reference. Every
/// reference that does not lead to one gets the same answer.
pub(crate) async fn check(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let fields = checked_fields(&headers, &body)?;
    let mut ctx = agenda_ctx(&state, lang, village, &v).await?;
    let now = state.clock.now();
    let status = match site::check_signup(&state.db, village, field(&fields, "nomor")).await {
        Ok(s) => {
            ctx["checked"] = json!({
                "reference": s.reference.to_string(), "status": s.status.label_key(),
                "activity": activity_json(&s.activity, now, village),
            });
            StatusCode::OK
        }
        Err(ServiceError::NotFound) => {
            ctx["check_error"] = json!(true);
            StatusCode::NOT_FOUND
        }
        Err(e) => return Err(e.into()),
    };
    form_page(&state, &headers, "site_agenda.html", ctx, Some(status))
}

async fn activity_ctx(
    state: &AppState,
    lang: Lang,
    village: KodeWilayah,
    v: &Value,
    activity_id: &str,
) -> Result<(uuid::Uuid, Value), AppError> {
    let now = state.clock.now();
    let aid = id(activity_id)?;
    let a = site::public_activity(&state.db, village, aid).await?;
    let mut ctx = base_ctx(
        state,
        lang,
        v,
        &format!("/desa/{}/agenda/{aid}", village.plain()),
    );
    ctx["a"] = activity_json(&a, now, village);
    ctx["form"] = json!(SignupForm::default());
    ctx["errors"] = json!({});
    Ok((aid, ctx))
}

/// `GET /desa/{kode}/agenda/{id}`: a published activity and its sign-up form.
pub(crate) async fn activity(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, aid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let (_, ctx) = activity_ctx(&state, lang, village, &v, &aid).await?;
    form_page(&state, &headers, "site_activity.html", ctx, None)
}

/// `POST /desa/{kode}/agenda/{id}`: signs up; shows the reference, or the
/// form again with what was typed and a message per field.
pub(crate) async fn sign_up(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, aid)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let (activity_id, mut ctx) = activity_ctx(&state, lang, village, &v, &aid).await?;
    let fields = checked_fields(&headers, &body)?;
    let form = SignupForm {
        nama: field(&fields, "nama").into(),
        kontak: field(&fields, "kontak").into(),
    };
    let done = match SignUp::try_from(&form) {
        Ok(s) => site::sign_up(&state.db, state.clock.as_ref(), village, activity_id, &s).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    let status = match done {
        Ok(receipt) => {
            let now = state.clock.now();
            ctx["receipt"] = json!({
                "reference": receipt.reference.to_string(), "status": receipt.status.label_key(),
                "waiting": receipt.status == balai_domain::site::SignupStatus::Waiting,
            });
            // The counts changed: show them as they are now.
            let a = site::public_activity(&state.db, village, activity_id).await?;
            ctx["a"] = activity_json(&a, now, village);
            StatusCode::OK
        }
        Err(ServiceError::Form(errors)) => {
            ctx["form"] = json!(form);
            ctx["errors"] = json!(errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    form_page(&state, &headers, "site_activity.html", ctx, Some(status))
}

// ---------------------------------------------------------------- staff

async fn staff_ctx(state: &AppState, access: &VillageAccess) -> Result<Value, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_edit"] = json!(site::may_edit(access));
    Ok(json!({ "village": village }))
}

/// `GET /staf/desa/{kode}/berita`: every post, drafts included.
pub(crate) async fn staff_news(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let posts = site::staff_news(&state.db, &access).await?;
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["news"] = posts.iter().map(post_json).collect();
    render(&state, &current, "staff_news.html", ctx)
}

async fn news_form_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    post: Option<&NewsPost>,
    form: &NewsForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let mut ctx = staff_ctx(state, access).await?;
    ctx["post"] = post.map(post_json).unwrap_or(Value::Null);
    if let Some(p) = post {
        let list = site_images::list(&state.db, access, p.id).await?;
        ctx["images"] = list
            .iter()
            .map(|i| json!({ "url": format!("{}{}.jpg", photos(access.village()), i.id), "width": i.width, "height": i.height, "kb": i.size.div_ceil(1024) }))
            .collect();
    }
    ctx["form"] = json!(form);
    ctx["errors"] = json!(errors);
    if !errors.is_empty() {
        ctx["preview"] = Value::Null;
    } else if !form.isi.is_empty() {
        ctx["preview"] = json!(markdown::to_safe_html(&form.isi, &photos(access.village())));
    }
    render(state, current, "staff_news_form.html", ctx)
}

/// `GET /staf/desa/{kode}/berita/baru`.
pub(crate) async fn news_new_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    news_form_page(
        &state,
        &current,
        &access,
        None,
        &NewsForm::default(),
        &FieldErrors::default(),
    )
    .await
}

fn staff_form_error(e: ServiceError) -> Result<FieldErrors, AppError> {
    match e {
        ServiceError::Form(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

/// `POST /staf/desa/{kode}/berita/baru`: a new draft.
pub(crate) async fn news_create(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: NewsForm = form.parse()?;
    let done = match WriteNews::try_from(&input) {
        Ok(post) => site::create_news(&state.db, state.clock.as_ref(), &access, &post).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(pid) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/berita/{pid}",
            access.village().plain()
        ))
        .into_response()),
        Err(e) => {
            let errors = staff_form_error(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                news_form_page(&state, &current, &access, None, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `GET /staf/desa/{kode}/berita/{id}`: the editor of one post.
pub(crate) async fn news_edit_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, pid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let post = site::staff_news_post(&state.db, &access, id(&pid)?).await?;
    let form = NewsForm {
        judul: post.content.title.clone(),
        slug: post.content.slug.to_string(),
        isi: post.content.body.clone(),
    };
    news_form_page(
        &state,
        &current,
        &access,
        Some(&post),
        &form,
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/berita/{id}`: saves a post.
pub(crate) async fn news_update(
    State(state): State<AppState>,
    Path((kode, pid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let post = site::staff_news_post(&state.db, &access, id(&pid)?).await?;
    let input: NewsForm = form.parse()?;
    let done = match WriteNews::try_from(&input) {
        Ok(w) => site::update_news(&state.db, state.clock.as_ref(), &access, post.id, &w).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/berita/{}",
            access.village().plain(),
            post.id
        ))
        .into_response()),
        Err(e) => {
            let errors = staff_form_error(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                news_form_page(&state, &current, &access, Some(&post), &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/berita/{id}/terbit` (`terbit=1` publishes, `0` withdraws).
pub(crate) async fn news_publish(
    State(state): State<AppState>,
    Path((kode, pid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let to = match form.get("terbit") {
        "1" => Publication::Published,
        "0" => Publication::Draft,
        _ => return Err(AppError::BadRequest("pilih terbit atau tarik".into())),
    };
    let pid = id(&pid)?;
    site::set_news_publication(&state.db, state.clock.as_ref(), &access, pid, to).await?;
    Ok(Redirect::to(&format!(
        "/staf/desa/{}/berita/{pid}",
        access.village().plain()
    ))
    .into_response())
}

/// `GET /staf/desa/{kode}/agenda`: every activity with its counts.
pub(crate) async fn staff_agenda(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let list = site::staff_activities(&state.db, &access).await?;
    let now = state.clock.now();
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["agenda"] = list
        .iter()
        .map(|a| activity_json(a, now, access.village()))
        .collect();
    render(&state, &current, "staff_agenda.html", ctx)
}

async fn activity_form_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    activity: Option<&Activity>,
    form: &ActivityForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let mut ctx = staff_ctx(state, access).await?;
    ctx["a"] = activity
        .map(|a| activity_json(a, now, access.village()))
        .unwrap_or(Value::Null);
    ctx["form"] = json!(form);
    ctx["errors"] = json!(errors);
    if let Some(a) = activity {
        let list = site::signups(&state.db, state.clock.as_ref(), access, a.id).await?;
        ctx["signups"] = list
            .iter()
            .map(|s| {
                json!({
                    "id": s.id.to_string(), "reference": s.reference.to_string(),
                    "name": s.name, "contact": s.contact,
                    "status": s.status.label_key(), "code": s.status.code(),
                    "signed": when(s.signed_at, access.village()),
                })
            })
            .collect();
    }
    render(state, current, "staff_activity.html", ctx)
}

/// `GET /staf/desa/{kode}/agenda/baru`.
pub(crate) async fn activity_new_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let form = ActivityForm {
        kapasitas: "20".into(),
        pendaftaran: "1".into(),
        ..ActivityForm::default()
    };
    activity_form_page(
        &state,
        &current,
        &access,
        None,
        &form,
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/agenda/baru`.
pub(crate) async fn activity_create(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: ActivityForm = form.parse()?;
    let done = match WriteActivity::try_from((&input, ZonaWaktu::of(access.village()))) {
        Ok(a) => site::create_activity(&state.db, state.clock.as_ref(), &access, &a).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(aid) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/agenda/{aid}",
            access.village().plain()
        ))
        .into_response()),
        Err(e) => {
            let errors = staff_form_error(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                activity_form_page(&state, &current, &access, None, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `GET /staf/desa/{kode}/agenda/{id}`: the activity, its sign-ups and waiting list.
pub(crate) async fn activity_show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, aid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let a = site::staff_activity(&state.db, &access, id(&aid)?).await?;
    let form = ActivityForm::of(&a.details, access.village());
    activity_form_page(
        &state,
        &current,
        &access,
        Some(&a),
        &form,
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/agenda/{id}`: saves an activity.
pub(crate) async fn activity_update(
    State(state): State<AppState>,
    Path((kode, aid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let a = site::staff_activity(&state.db, &access, id(&aid)?).await?;
    let input: ActivityForm = form.parse()?;
    let done = match WriteActivity::try_from((&input, ZonaWaktu::of(access.village()))) {
        Ok(w) => site::update_activity(&state.db, state.clock.as_ref(), &access, a.id, &w).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/agenda/{}",
            access.village().plain(),
            a.id
        ))
        .into_response()),
        Err(e) => {
            let errors = staff_form_error(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                activity_form_page(&state, &current, &access, Some(&a), &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/agenda/{id}/batal/{signup}`: cancels a sign-up.
pub(crate) async fn cancel_signup(
    State(state): State<AppState>,
    Path((kode, aid, sid)): Path<(String, String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let aid = id(&aid)?;
    site::cancel_signup(&state.db, state.clock.as_ref(), &access, aid, id(&sid)?).await?;
    Ok(Redirect::to(&format!(
        "/staf/desa/{}/agenda/{aid}",
        access.village().plain()
    ))
    .into_response())
}

/// `GET /desa/{kode}/gambar/{id}.jpg`: a photo of a published post.
pub(crate) async fn photo(
    State(state): State<AppState>,
    Path((kode, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, _) = public_village(&state, &kode).await?;
    let pid = file
        .strip_suffix(".jpg")
        .ok_or(AppError::NotFound)
        .and_then(id)?;
    let jpeg = site_images::public(&state.db, village, pid).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            // A photo never changes (a new one gets a new id); withdrawn
            // posts stop serving theirs within the hour.
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        jpeg,
    )
        .into_response())
}

/// `POST /staf/desa/{kode}/berita/{id}/gambar` (multipart: `_csrf`,
/// `gambar`): adds a photo, re-encoded without its metadata.
pub(crate) async fn photo_upload(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, pid)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let post = site::staff_news_post(&state.db, &access, id(&pid)?).await?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("foto terlalu besar (paling besar 10 MB)".into())
        } else {
            AppError::BadRequest("unggahan tidak dapat dibaca".into())
        }
    };
    let (mut csrf, mut bytes) = (String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("gambar") => bytes = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    if !balai_services::secrets::constant_time_eq(&csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    match site_images::add(&state.db, state.clock.as_ref(), &access, post.id, &bytes).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/berita/{}",
            access.village().plain(),
            post.id
        ))
        .into_response()),
        Err(e) => {
            let errors = staff_form_error(e)?;
            let form = NewsForm {
                judul: post.content.title.clone(),
                slug: post.content.slug.to_string(),
                isi: post.content.body.clone(),
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                news_form_page(&state, &current, &access, Some(&post), &form, &errors).await?,
            )
                .into_response())
        }
    }
}
