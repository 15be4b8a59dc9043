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
    "site_product.html",
    "site_tourism.html",
    "site_tourism_spot.html",
    "staff_showcase.html",
    "staff_showcase_tools.html",
    "staff_showcase_photos.html",
    "staff_product_form.html",
    "staff_tourism_form.html",
    "staff_agenda.html",
    "staff_activity.html",
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

/// `2026-11-22` → `22-11-2026`, the order dates are written in on KK and letters.
fn tanggal(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    if p.len() == 3 && p[0].len() == 4 {
        format!("{}-{}-{}", p[2], p[1], p[0])
    } else {
        iso.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_and_dates_are_written_the_indonesian_way() {
        assert_eq!(super::thousands(1_302_648), "1.302.648");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(-1000), "-1.000");
        assert_eq!(super::tanggal("1989-08-17"), "17-08-1989");
    }
}
