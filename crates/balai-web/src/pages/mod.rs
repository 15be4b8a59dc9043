//! Staff pages. Each handler authorizes through the services, renders a
//! template, and never touches SQL.

pub(crate) mod accounts;
pub(crate) mod budget;
pub(crate) mod complaints;
pub(crate) mod development_index;
pub(crate) mod families;
pub(crate) mod import_export;
pub(crate) mod info_pages;
pub(crate) mod kiosks;
pub(crate) mod letter_fields;
pub(crate) mod letter_settings;
pub(crate) mod letters;
pub(crate) mod login;
pub(crate) mod officials;
pub(crate) mod open_data;
pub(crate) mod portal;
pub(crate) mod public_info;
pub(crate) mod public_statistics;
pub(crate) mod regency;
pub(crate) mod registry_events;
pub(crate) mod reports;
pub(crate) mod requests;
pub(crate) mod residents;
pub(crate) mod service_directory;
pub(crate) mod showcase;
pub(crate) mod site;
pub(crate) mod smart_village;
pub(crate) mod verify_check;
pub(crate) mod village_profile;
pub(crate) mod villages;

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use balai_domain::KodeWilayah;
use balai_services::staff::{VillageAccess, authorize};
use serde_json::{Value, json};

use crate::error::AppError;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// Renders a staff page: `ctx` plus what every staff page shows (who is
/// logged in, the CSRF token for its forms, the language).
pub(crate) fn render(
    state: &AppState,
    current: &CurrentStaff,
    template: &str,
    mut ctx: Value,
) -> Result<Html<String>, AppError> {
    let common = json!({
        "lang": current.lang.code(),
        "csrf": current.csrf,
        "me": { "name": current.staff.display_name, "role": current.staff.role.label(), "username": current.staff.username, "admin": current.staff.role.is_admin() },
    });
    if let (Value::Object(c), Value::Object(add)) = (&mut ctx, common) {
        c.extend(add);
    }
    localize_errors(state, current.lang, &mut ctx);
    Ok(Html(state.templates.render(template, ctx)?))
}

/// Form errors that are catalogue keys (`err-…`, as the services give
/// them) become the reader's language; other messages are shown as given.
pub(crate) fn localize_errors(state: &AppState, lang: crate::i18n::Lang, ctx: &mut Value) {
    if let Some(Value::Object(errors)) = ctx.get_mut("errors") {
        for v in errors.values_mut() {
            if let Value::String(m) = v
                && m.starts_with("err-")
            {
                *m = state.catalog.text(lang, m);
            }
        }
    }
}

/// Parses the `{kode}` of a staff URL and checks the staff member may see
/// that village; anything else is "not found".
pub(crate) async fn village_access(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
) -> Result<VillageAccess, AppError> {
    let village = KodeWilayah::parse(kode).map_err(|_| AppError::NotFound)?;
    Ok(authorize(&state.db, &current.staff, village).await?)
}

/// A village's header facts for every page under it.
pub(crate) async fn village_context(
    state: &AppState,
    access: &VillageAccess,
) -> Result<Value, AppError> {
    let v = balai_services::villages::village(&state.db, access.village()).await?;
    Ok(
        json!({ "kode": v.kode.plain(), "kode_titik": v.kode.dotted(), "name": v.name, "district": v.district_name, "regency": v.regency_name, "can_write": access.can_write(), "can_sign": access.can_sign() }),
    )
}

/// Parses a `{id}` path segment; a malformed id is simply not found.
pub(crate) fn id(s: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(s).map_err(|_| AppError::NotFound)
}

/// A PDF response that no cache keeps (letters hold personal data).
pub(crate) fn pdf_response(pdf: Vec<u8>, name: &str, inline: bool) -> Response {
    let mut res = pdf.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let disposition = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A kiosk queue ticket as printed and called out, e.g. `A-007`.
pub(crate) fn queue_ticket(n: i64) -> String {
    format!("A-{n:03}")
}
