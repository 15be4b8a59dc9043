//! Page templates, embedded in the binary and autoescaped (HTML from user
//! data is never built by hand).

use std::sync::Arc;

use minijinja::{Environment, State};
use serde::Serialize;

use crate::error::AppError;
use crate::i18n::{Catalog, Lang};

/// The template environment.
pub(crate) struct Templates {
    env: Environment<'static>,
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

const BUILTIN: &[(&str, &str)] = builtin![
    "base.html",
    "home.html",
    "regency_public.html",
    "site_services.html",
    "services_list.html",
    "service_directory.html",
    "staff_base.html",
    "login.html",
    "staff_home.html",
    "village.html",
    "residents.html",
    "resident.html",
    "resident_form.html",
    "departure.html",
    "access_report.html",
    "family.html",
    "families.html",
    "birth.html",
    "move_in.html",
    "split.html",
    "change_head.html",
    "import.html",
    "import_status.html",
    "mutation.html",
    "mutation_dusun.html",
    "buku_induk.html",
    "macros.html",
    "letters.html",
    "letter_settings.html",
    "letter_form.html",
    "letter.html",
    "verify.html",
    "warga_base.html",
    "kiosk_base.html",
    "keyboard.html",
    "keypad.html",
    "portal_login.html",
    "portal_pin.html",
    "portal_home.html",
    "portal_request_form.html",
    "portal_request.html",
    "kiosk_home.html",
    "kiosk_ticket.html",
    "kiosk_info.html",
    "kiosk_info_page.html",
    "requests.html",
    "request.html",
    "pin_issued.html",
    "info_pages.html",
    "info_page_form.html",
    "kiosks.html",
    "my_account.html",
    "totp.html",
    "accounts.html",
    "account.html",
    "account_code.html",
    "statistics.html",
    "public_statistics.html",
    "public_statistics_table.html",
    "regency.html",
    "area.html",
    "coaching.html",
    "idm.html",
    "smart_village.html",
    "idm_village.html",
    "indeks_desa.html",
    "report_rollup.html",
    "complaints_public.html",
    "complaints.html",
    "complaint.html",
    "officials.html",
    "officials_public.html",
    "request_review.html",
    "signing_pin.html",
    "site_nav.html",
    "site_home.html",
    "site_news.html",
    "site_news_post.html",
    "site_news.atom.xml",
    "site_sitemap.xml",
    "site_agenda.html",
    "site_activity.html",
    "staff_news.html",
    "staff_news_form.html",
    "site_products.html",
    "site_profile.html",
    "staff_profile.html",
    "site_product.html",
    "site_tourism.html",
    "site_tourism_spot.html",
    "staff_showcase.html",
    "staff_showcase_tools.html",
    "staff_showcase_photos.html",
    "staff_product_form.html",
    "staff_tourism_form.html",
    "site_budget.html",
    "staff_budget.html",
    "staff_budget_fields.html",
    "staff_budget_line.html",
    "staff_agenda.html",
    "staff_activity.html",
    // Public information (UU 14/2008).
    "site_public_info.html",
    "site_info_request.html",
    "site_info_track.html",
    "staff_public_info.html",
    "staff_public_info_tools.html",
    "staff_public_info_form.html",
    "staff_holidays.html",
    "staff_info_requests.html",
    "staff_info_request.html",
    "staff_info_objections.html",
];

impl Templates {
    /// The templates shipped with Balai.
    pub(crate) fn builtin(catalog: Arc<Catalog>) -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            // XML (the Atom feed, the sitemap) is escaped as HTML is: the
            // same five characters, and every entity written is valid XML.
            if name.ends_with(".html") || name.ends_with(".xml") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.add_filter("ribuan", thousands);
        env.add_filter("tanggal", tanggal);
        env.add_filter("waktu", waktu);
        env.add_function("t", move |state: &State, key: &str| -> String {
            let lang = state
                .lookup("lang")
                .and_then(|v| v.as_str().map(Lang::parse))
                .unwrap_or(Lang::Id);
            catalog.text(lang, key)
        });
        for (name, src) in BUILTIN {
            env.add_template(name, src)
                .unwrap_or_else(|e| panic!("built-in template {name}: {e:#}"));
        }
        Self { env }
    }

    /// Renders `name` with `ctx`.
    pub(crate) fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, AppError> {
        let t = self
            .env
            .get_template(name)
            .map_err(|e| AppError::internal(format!("template {name}: {e}")))?;
        t.render(minijinja::value::Serde(ctx))
            .map_err(|e| AppError::internal(format!("rendering {name}: {e:#}")))
    }
}

/// Formats a count the Indonesian way: 1.302.648.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-11-22` → `22 November 2026`: the one way pages write a date in
/// text and tables (ISO stays inside date inputs; printed KK and letters
/// keep their own forms). Anything else is shown as it came.
fn tanggal(state: &State, iso: &str) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().map(Lang::parse))
        .unwrap_or(Lang::Id);
    long_date(iso, lang)
}

/// A moment from [`local_time`] as text: `22 November 2026 10.00 WIB`.
fn waktu(state: &State, at: minijinja::Value) -> String {
    let part = |k: &str| {
        at.get_attr(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    format!(
        "{} {} {}",
        tanggal(state, &part("date")),
        part("time"),
        part("zone")
    )
}

pub(crate) fn long_date(iso: &str, lang: Lang) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    let month = p.get(1).and_then(|m| m.parse::<usize>().ok());
    match (p.as_slice(), month) {
        ([y, _, d], Some(m @ 1..=12)) if y.len() == 4 && d.len() == 2 => {
            let names = if lang == Lang::En {
                &MONTHS_EN
            } else {
                &MONTHS_ID
            };
            format!("{} {} {y}", d.trim_start_matches('0'), names[m - 1])
        }
        _ => iso.to_string(),
    }
}

/// A moment as one line of text: `22 November 2026 10.00 WIB`.
pub(crate) fn local_text(
    at: time::OffsetDateTime,
    zone: balai_domain::time_zone::ZonaWaktu,
    lang: Lang,
) -> String {
    let t = zone.local(at);
    format!(
        "{} {:02}.{:02} {}",
        long_date(&t.date().to_string(), lang),
        t.hour(),
        t.minute(),
        zone.label()
    )
}

/// A moment as pages show it: on the clocks of `zone` (the village's or
/// the account's region), as a date for `tanggal`, a time written the
/// Indonesian way (`10.00`) and the zone's abbreviation.
pub(crate) fn local_time(
    at: time::OffsetDateTime,
    zone: balai_domain::time_zone::ZonaWaktu,
) -> serde_json::Value {
    let t = zone.local(at);
    serde_json::json!({
        "date": t.date().to_string(),
        "time": format!("{:02}.{:02}", t.hour(), t.minute()),
        "zone": zone.label(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_and_dates_are_written_the_indonesian_way() {
        assert_eq!(super::thousands(1_302_648), "1.302.648");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(-1000), "-1.000");
        assert_eq!(
            super::long_date("1989-08-17", super::Lang::Id),
            "17 Agustus 1989"
        );
        assert_eq!(
            super::long_date("2026-12-02", super::Lang::En),
            "2 December 2026"
        );
        assert_eq!(super::long_date("kemarin", super::Lang::Id), "kemarin");
    }
}
