//! The village website's showcase (issue 12): local products at
//! `/desa/{kode}/produk[/{slug}]` and tourism spots at
//! `/desa/{kode}/wisata[/{slug}]`, their photos at
//! `/desa/{kode}/foto/{produk|wisata}/{id}.jpg`, and the staff editor at
//! `/staf/desa/{kode}/produk` and `/staf/desa/{kode}/wisata` (list, new,
//! edit, publish or withdraw, delete, photos).
//!
//! The handlers are written once for both parts, parameterised by a
//! [`Part`] type (`Products`, `Tourism`); public pages are light as the
//! rest of the site (one stylesheet, no script, ETag/304, photos with
//! their size and `loading="lazy"`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::showcase::{Price, ShowcaseKind, WEEKDAYS};
use balai_domain::site::Publication;
use balai_services::ServiceError;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::showcase::{
    self, Product, ProductForm, ShowcaseImage, TourismForm, TourismSpot, WriteProduct, WriteTourism,
};
use balai_services::site;
use balai_services::staff::VillageAccess;
use serde_json::{Value, json};
use uuid::Uuid;

use super::complaints::public_village;
use super::{id, render, village_access, village_context};
use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{CurrentStaff, RequestLang, StaffForm};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";

/// One part of the showcase, as a type, so one handler serves both.
pub(crate) trait Part: Send + Sync + 'static {
    /// Which part.
    const KIND: ShowcaseKind;
}

/// Local products.
pub(crate) struct Products;
impl Part for Products {
    const KIND: ShowcaseKind = ShowcaseKind::Product;
}

/// Tourism spots.
pub(crate) struct Tourism;
impl Part for Tourism {
    const KIND: ShowcaseKind = ShowcaseKind::Tourism;
}

/// The path segment of a part (`produk`, `wisata`).
pub(crate) fn segment(kind: ShowcaseKind) -> &'static str {
    match kind {
        ShowcaseKind::Product => "produk",
        ShowcaseKind::Tourism => "wisata",
    }
}

fn kind_of(segment: &str) -> Option<ShowcaseKind> {
    match segment {
        "produk" => Some(ShowcaseKind::Product),
        "wisata" => Some(ShowcaseKind::Tourism),
        _ => None,
    }
}

/// The absolute address of `path` on this server.
fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.public_url.as_str().trim_end_matches('/'))
}

fn photo_json(url: String, i: &ShowcaseImage) -> Value {
    json!({ "url": url, "width": i.width, "height": i.height, "kb": i.size.div_ceil(1024), "id": i.id.to_string() })
}

fn public_photo_url(village: KodeWilayah, kind: ShowcaseKind, photo: Uuid) -> String {
    format!(
        "/desa/{}/foto/{}/{photo}.jpg",
        village.plain(),
        segment(kind)
    )
}

fn staff_photo_url(village: KodeWilayah, kind: ShowcaseKind, photo: Uuid) -> String {
    format!(
        "/staf/desa/{}/{}/foto/{photo}.jpg",
        village.plain(),
        segment(kind)
    )
}

/// The photos of `item` among `all`, as pages show them.
fn photos_of(all: &[ShowcaseImage], item: Uuid, url: impl Fn(Uuid) -> String) -> Vec<Value> {
    all.iter()
        .filter(|i| i.item_id == item)
        .map(|i| photo_json(url(i.id), i))
        .collect()
}

fn product_json(p: &Product, photos: Vec<Value>) -> Value {
    let c = &p.content;
    json!({
        "id": p.id.to_string(), "slug": c.slug.as_str(), "name": c.name, "description": c.description,
        "category": c.category.label_key(),
        "price": match c.price { Price::Fixed(r) => Value::from(r.to_string()), Price::AskSeller => Value::Null },
        "seller": c.seller,
        "whatsapp": c.whatsapp.as_ref().map(|w| json!({ "link": w.link(), "local": w.local() })),
        "published": p.publication.is_public(), "state": p.publication.label_key(),
        "updated_by": p.updated_by,
        "photo": photos.first().cloned(), "photos": photos,
    })
}

fn tourism_json(t: &TourismSpot, photos: Vec<Value>) -> Value {
    let c = &t.content;
    let rupiah = |r: balai_domain::showcase::Rupiah| {
        if r.is_zero() {
            Value::Null
        } else {
            Value::from(r.to_string())
        }
    };
    json!({
        "id": t.id.to_string(), "slug": c.slug.as_str(), "name": c.name, "description": c.description,
        "location": c.location,
        "map": c.coordinates.map(|p| json!({ "link": p.map_link(), "lat": p.lat(), "lon": p.lon() })),
        "hours": c.hours.map(|h| json!({
            "every_day": h.every_day(),
            "days": WEEKDAYS.iter().enumerate().filter(|(i, _)| h.on(*i)).map(|(_, d)| format!("day-{d}")).collect::<Vec<_>>(),
            "opens": h.opens().to_string(), "closes": h.closes().to_string(),
        })),
        "tickets": json!({ "free": c.tickets.is_free(), "adult": rupiah(c.tickets.adult), "child": rupiah(c.tickets.child) }),
        "published": t.publication.is_public(), "state": t.publication.label_key(),
        "updated_by": t.updated_by,
        "photo": photos.first().cloned(), "photos": photos,
    })
}

fn base_ctx(state: &AppState, lang: Lang, village: &Value, path: &str) -> Value {
    json!({ "lang": lang.code(), "village": village, "canonical": absolute(state, path) })
}

/// The published items of a part as the home page and lists show them.
pub(crate) async fn public_items(
    state: &AppState,
    village: KodeWilayah,
    kind: ShowcaseKind,
    limit: i64,
) -> Result<Vec<Value>, AppError> {
    let photos = showcase::public_photos(&state.db, village, kind, None).await?;
    let url = |i| public_photo_url(village, kind, i);
    Ok(match kind {
        ShowcaseKind::Product => showcase::public_products(&state.db, village, limit)
            .await?
            .iter()
            .map(|p| product_json(p, photos_of(&photos, p.id, url)))
            .collect(),
        ShowcaseKind::Tourism => showcase::public_tourism(&state.db, village, limit)
            .await?
            .iter()
            .map(|t| tourism_json(t, photos_of(&photos, t.id, url)))
            .collect(),
    })
}

/// The slugs of the published items of a part (the sitemap).
pub(crate) async fn public_slugs(
    state: &AppState,
    village: KodeWilayah,
    kind: ShowcaseKind,
) -> Result<Vec<String>, AppError> {
    Ok(match kind {
        ShowcaseKind::Product => showcase::public_products(&state.db, village, 10_000)
            .await?
            .into_iter()
            .map(|p| p.content.slug.to_string())
            .collect(),
        ShowcaseKind::Tourism => showcase::public_tourism(&state.db, village, 10_000)
            .await?
            .into_iter()
            .map(|t| t.content.slug.to_string())
            .collect(),
    })
}

/// `GET /desa/{kode}/produk` and `/desa/{kode}/wisata`: the published items.
pub(crate) async fn list<P: Part>(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let kind = P::KIND;
    let mut ctx = base_ctx(
        &state,
        lang,
        &v,
        &format!("/desa/{}/{}", village.plain(), segment(kind)),
    );
    ctx["items"] = json!(public_items(&state, village, kind, showcase::LIST_LIMIT).await?);
    let template = match kind {
        ShowcaseKind::Product => "site_products.html",
        ShowcaseKind::Tourism => "site_tourism.html",
    };
    Ok(Page::new(HTML, state.templates.render(template, ctx)?)?.respond(&headers))
}

/// `GET /desa/{kode}/produk/{slug}` and `/desa/{kode}/wisata/{slug}`: one
/// published item (drafts and deleted ones: 404).
pub(crate) async fn show<P: Part>(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(&state, &kode).await?;
    let kind = P::KIND;
    let url = |i| public_photo_url(village, kind, i);
    let (item, slug, template) = match kind {
        ShowcaseKind::Product => {
            let p = showcase::public_product(&state.db, village, &slug).await?;
            let photos = showcase::public_photos(&state.db, village, kind, Some(p.id)).await?;
            (
                product_json(&p, photos_of(&photos, p.id, url)),
                p.content.slug.to_string(),
                "site_product.html",
            )
        }
        ShowcaseKind::Tourism => {
            let t = showcase::public_tourism_spot(&state.db, village, &slug).await?;
            let photos = showcase::public_photos(&state.db, village, kind, Some(t.id)).await?;
            (
                tourism_json(&t, photos_of(&photos, t.id, url)),
                t.content.slug.to_string(),
                "site_tourism_spot.html",
            )
        }
    };
    let mut ctx = base_ctx(
        &state,
        lang,
        &v,
        &format!("/desa/{}/{}/{slug}", village.plain(), segment(kind)),
    );
    ctx["item"] = item;
    Ok(Page::new(HTML, state.templates.render(template, ctx)?)?.respond(&headers))
}

/// `GET /desa/{kode}/foto/{produk|wisata}/{id}.jpg`: a photo of a published item.
pub(crate) async fn public_photo(
    State(state): State<AppState>,
    Path((kode, part, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (village, _) = public_village(&state, &kode).await?;
    let kind = kind_of(&part).ok_or(AppError::NotFound)?;
    let pid = file
        .strip_suffix(".jpg")
        .ok_or(AppError::NotFound)
        .and_then(id)?;
    let jpeg = showcase::public_photo(&state.db, village, kind, pid).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            // A photo never changes (a new one gets a new id); withdrawn
            // items stop serving theirs within the hour.
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        jpeg,
    )
        .into_response())
}

// ---------------------------------------------------------------- staff

async fn staff_ctx(state: &AppState, access: &VillageAccess) -> Result<Value, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_edit"] = json!(site::may_edit(access));
    Ok(json!({ "village": village }))
}

fn staff_url(village: KodeWilayah, kind: ShowcaseKind, item: Option<Uuid>) -> String {
    match item {
        Some(i) => format!("/staf/desa/{}/{}/{i}", village.plain(), segment(kind)),
        None => format!("/staf/desa/{}/{}", village.plain(), segment(kind)),
    }
}

/// `GET /staf/desa/{kode}/produk` and `…/wisata`: every live item, drafts included.
pub(crate) async fn staff_list<P: Part>(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let kind = P::KIND;
    let mut ctx = staff_ctx(&state, &access).await?;
    ctx["items"] = match kind {
        ShowcaseKind::Product => showcase::staff_products(&state.db, &access)
            .await?
            .iter()
            .map(|p| product_json(p, Vec::new()))
            .collect(),
        ShowcaseKind::Tourism => showcase::staff_tourism(&state.db, &access)
            .await?
            .iter()
            .map(|t| tourism_json(t, Vec::new()))
            .collect(),
    };
    ctx["part"] = json!(segment(kind));
    render(&state, &current, "staff_showcase.html", ctx)
}

/// A stored item of either part.
enum Item {
    Product(Product),
    Tourism(TourismSpot),
}

impl Item {
    fn id(&self) -> Uuid {
        match self {
            Item::Product(p) => p.id,
            Item::Tourism(t) => t.id,
        }
    }
}

/// What the form holds: typed text of either part.
enum Form {
    Product(ProductForm),
    Tourism(TourismForm),
}

impl Form {
    fn blank(kind: ShowcaseKind) -> Self {
        match kind {
            ShowcaseKind::Product => Form::Product(ProductForm {
                kategori: "unggulan".into(),
                ..ProductForm::default()
            }),
            ShowcaseKind::Tourism => Form::Tourism(TourismForm::default()),
        }
    }

    fn of(item: &Item) -> Self {
        match item {
            Item::Product(p) => Form::Product(ProductForm::of(&p.content)),
            Item::Tourism(t) => Form::Tourism(TourismForm::of(&t.content)),
        }
    }

    fn parse(kind: ShowcaseKind, form: &StaffForm) -> Result<Self, AppError> {
        Ok(match kind {
            ShowcaseKind::Product => Form::Product(form.parse()?),
            ShowcaseKind::Tourism => {
                let mut f: TourismForm = form.parse()?;
                f.hari = form.all("hari").into_iter().map(str::to_string).collect();
                Form::Tourism(f)
            }
        })
    }
}

async fn staff_item(
    state: &AppState,
    access: &VillageAccess,
    kind: ShowcaseKind,
    item: Uuid,
) -> Result<Item, AppError> {
    Ok(match kind {
        ShowcaseKind::Product => {
            Item::Product(showcase::staff_product(&state.db, access, item).await?)
        }
        ShowcaseKind::Tourism => {
            Item::Tourism(showcase::staff_tourism_spot(&state.db, access, item).await?)
        }
    })
}

async fn form_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    kind: ShowcaseKind,
    item: Option<&Item>,
    form: &Form,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let village = access.village();
    let mut ctx = staff_ctx(state, access).await?;
    ctx["part"] = json!(segment(kind));
    if let Some(item) = item {
        let photos = showcase::photos(&state.db, access, kind, item.id()).await?;
        let url = |i| staff_photo_url(village, kind, i);
        ctx["item"] = match item {
            Item::Product(p) => product_json(p, photos_of(&photos, p.id, url)),
            Item::Tourism(t) => tourism_json(t, photos_of(&photos, t.id, url)),
        };
    }
    ctx["errors"] = json!(errors);
    let template = match form {
        Form::Product(f) => {
            ctx["form"] = json!(f);
            ctx["categories"] = balai_domain::showcase::ProductCategory::ALL
                .iter()
                .map(|c| json!({ "value": c.form_value(), "label": c.label_key() }))
                .collect();
            "staff_product_form.html"
        }
        Form::Tourism(f) => {
            ctx["form"] = json!(f);
            ctx["days"] = WEEKDAYS
                .iter()
                .map(|d| json!({ "value": d, "label": format!("day-{d}"), "on": f.hari.iter().any(|h| h == d) }))
                .collect();
            "staff_tourism_form.html"
        }
    };
    render(state, current, template, ctx)
}

fn form_errors(e: ServiceError) -> Result<FieldErrors, AppError> {
    match e {
        ServiceError::Form(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

/// `GET /staf/desa/{kode}/produk/baru` and `…/wisata/baru`.
pub(crate) async fn new_form<P: Part>(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    form_page(
        &state,
        &current,
        &access,
        P::KIND,
        None,
        &Form::blank(P::KIND),
        &FieldErrors::default(),
    )
    .await
}

/// Creates (`item` none) or rewrites an item from a parsed form.
async fn save(
    state: &AppState,
    access: &VillageAccess,
    item: Option<Uuid>,
    form: &Form,
) -> Result<Uuid, ServiceError> {
    let clock = state.clock.as_ref();
    match (form, item) {
        (Form::Product(f), None) => {
            let p = WriteProduct::try_from(f).map_err(ServiceError::Form)?;
            showcase::create_product(&state.db, clock, access, &p).await
        }
        (Form::Product(f), Some(id)) => {
            let p = WriteProduct::try_from(f).map_err(ServiceError::Form)?;
            showcase::update_product(&state.db, clock, access, id, &p)
                .await
                .map(|()| id)
        }
        (Form::Tourism(f), None) => {
            let t = WriteTourism::try_from(f).map_err(ServiceError::Form)?;
            showcase::create_tourism(&state.db, clock, access, &t).await
        }
        (Form::Tourism(f), Some(id)) => {
            let t = WriteTourism::try_from(f).map_err(ServiceError::Form)?;
            showcase::update_tourism(&state.db, clock, access, id, &t)
                .await
                .map(|()| id)
        }
    }
}

/// `POST /staf/desa/{kode}/produk/baru` and `…/wisata/baru`: a new draft.
pub(crate) async fn create<P: Part>(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input = Form::parse(P::KIND, &form)?;
    match save(&state, &access, None, &input).await {
        Ok(item) => {
            Ok(Redirect::to(&staff_url(access.village(), P::KIND, Some(item))).into_response())
        }
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, &current, &access, P::KIND, None, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `GET /staf/desa/{kode}/produk/{id}` and `…/wisata/{id}`: the editor of one item.
pub(crate) async fn edit_form<P: Part>(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, item)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let item = staff_item(&state, &access, P::KIND, id(&item)?).await?;
    form_page(
        &state,
        &current,
        &access,
        P::KIND,
        Some(&item),
        &Form::of(&item),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/produk/{id}` and `…/wisata/{id}`: saves an item.
pub(crate) async fn update<P: Part>(
    State(state): State<AppState>,
    Path((kode, item)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let item = staff_item(&state, &access, P::KIND, id(&item)?).await?;
    let input = Form::parse(P::KIND, &form)?;
    match save(&state, &access, Some(item.id()), &input).await {
        Ok(i) => Ok(Redirect::to(&staff_url(access.village(), P::KIND, Some(i))).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(
                    &state,
                    &current,
                    &access,
                    P::KIND,
                    Some(&item),
                    &input,
                    &errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/produk/{id}/terbit` (`terbit=1` publishes, `0` withdraws).
pub(crate) async fn publish<P: Part>(
    State(state): State<AppState>,
    Path((kode, item)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let to = match form.get("terbit") {
        "1" => Publication::Published,
        "0" => Publication::Draft,
        _ => return Err(AppError::BadRequest("pilih terbit atau tarik".into())),
    };
    let item = id(&item)?;
    showcase::set_publication(&state.db, state.clock.as_ref(), &access, P::KIND, item, to).await?;
    Ok(Redirect::to(&staff_url(access.village(), P::KIND, Some(item))).into_response())
}

/// `POST /staf/desa/{kode}/produk/{id}/hapus` (`yakin=1`): deletes an item
/// from the site.
pub(crate) async fn remove<P: Part>(
    State(state): State<AppState>,
    Path((kode, item)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let item = id(&item)?;
    if form.get("yakin") != "1" {
        return Err(AppError::BadRequest(
            "centang \"yakin\" untuk menghapus".into(),
        ));
    }
    showcase::remove(&state.db, state.clock.as_ref(), &access, P::KIND, item).await?;
    Ok(Redirect::to(&staff_url(access.village(), P::KIND, None)).into_response())
}

/// `GET /staf/desa/{kode}/produk/foto/{id}.jpg`: a photo for the editor
/// (drafts' photos too).
pub(crate) async fn staff_photo<P: Part>(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let pid = file
        .strip_suffix(".jpg")
        .ok_or(AppError::NotFound)
        .and_then(id)?;
    let jpeg = showcase::staff_photo(&state.db, &access, P::KIND, pid).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], jpeg).into_response())
}

/// `POST /staf/desa/{kode}/produk/{id}/foto` (multipart: `_csrf`,
/// `gambar`): adds a photo, re-encoded without its metadata.
pub(crate) async fn photo_upload<P: Part>(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, item)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let item = staff_item(&state, &access, P::KIND, id(&item)?).await?;
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
    match showcase::add_photo(
        &state.db,
        state.clock.as_ref(),
        &access,
        P::KIND,
        item.id(),
        &bytes,
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&staff_url(access.village(), P::KIND, Some(item.id()))).into_response(),
        ),
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(
                    &state,
                    &current,
                    &access,
                    P::KIND,
                    Some(&item),
                    &Form::of(&item),
                    &errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}
