//! Page templates, embedded in the binary and autoescaped (HTML from user
//! data is never built by hand).

use minijinja::Environment;
use serde::Serialize;

use crate::error::AppError;

/// The template environment.
pub(crate) struct Templates {
    env: Environment<'static>,
}

const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
];

impl Templates {
    /// The templates shipped with Balai.
    pub(crate) fn builtin() -> Self {
        let mut env = Environment::new();
        // `.html` templates autoescape by default; keep it explicit.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.add_filter("ribuan", thousands);
        for (name, src) in BUILTIN {
            env.add_template(name, src)
                .expect("built-in templates parse");
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

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_use_dots() {
        assert_eq!(super::thousands(1_302_648), "1.302.648");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(-1000), "-1.000");
    }
}
