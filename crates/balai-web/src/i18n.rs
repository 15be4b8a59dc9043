//! Interface text in Indonesian (the default) and English, from Fluent files
//! embedded in the binary. Code-list labels stay Indonesian in both: they are
//! the official terms printed on KK and KTP.

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use unic_langid::langid;

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl Lang {
    /// From a cookie or query value; anything unknown is Indonesian.
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }

    /// The code used in `lang=` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// Both catalogues.
pub struct Catalog {
    id: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, src: &str) -> FluentBundle<FluentResource> {
    let res = FluentResource::try_new(src.to_string()).expect("built-in locale files parse");
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Isolation marks would end up inside HTML attributes and plain-text exports.
    b.set_use_isolating(false);
    b.add_resource(res)
        .expect("no duplicate keys in a locale file");
    b
}

impl Catalog {
    /// The built-in catalogues.
    pub fn builtin() -> Self {
        Self {
            id: bundle(langid!("id"), include_str!("../locales/id.ftl")),
            en: bundle(langid!("en"), include_str!("../locales/en.ftl")),
        }
    }

    /// The text for `key`; a key missing in English falls back to Indonesian,
    /// a key missing everywhere shows itself (and a test catches it).
    pub fn text(&self, lang: Lang, key: &str) -> String {
        let primary = if lang == Lang::En { &self.en } else { &self.id };
        for b in [primary, &self.id] {
            if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(pattern, None, &mut errors).into_owned();
            }
        }
        key.to_string()
    }

    /// Whether the catalogue of `lang` itself has `key` (no fallback).
    #[cfg(test)]
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        let b = if lang == Lang::En { &self.en } else { &self.id };
        b.get_message(key).is_some()
    }

    /// Every key of the Indonesian catalogue.
    #[cfg(test)]
    pub fn keys(&self) -> Vec<String> {
        include_str!("../locales/id.ftl")
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.starts_with('#') && !k.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indonesian_key_has_an_english_text() {
        let c = Catalog::builtin();
        for key in c.keys() {
            assert!(c.en.get_message(&key).is_some(), "en.ftl lacks {key}");
        }
        assert_eq!(c.text(Lang::Id, "nav-residents"), "Penduduk");
        assert_eq!(c.text(Lang::En, "nav-residents"), "Residents");
    }

    #[test]
    fn every_event_form_message_is_in_both_catalogues() {
        let c = Catalog::builtin();
        for key in balai_services::registry::particulars::MESSAGE_KEYS {
            assert!(c.id.get_message(key).is_some(), "id.ftl lacks {key}");
            assert!(c.en.get_message(key).is_some(), "en.ftl lacks {key}");
            assert_ne!(c.text(Lang::Id, key), c.text(Lang::En, key), "{key}");
        }
    }
}
