//! A letter kind's extra fields and common purposes as the forms show them:
//! labels from the catalogue (the domain's label is what the letter prints),
//! choices as options, and, at the kiosk, every typed field as plain text
//! the on-screen keyboard fills (a date picker or a number spinner cannot be
//! worked by touch on every kiosk browser; the services parse the text).

use balai_domain::letter_kind::{ExtraField, FieldKind, LetterKind};
use serde_json::{Value, json};

use crate::i18n::Lang;
use crate::state::AppState;

/// Where the form is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    /// The staff desk or the self-service site: the browser's own inputs.
    Browser,
    /// The kiosk: text inputs the on-screen keyboard types into.
    Kiosk,
}

/// The catalogue key of an extra field's label.
pub(crate) fn label_key(key: &str) -> String {
    format!("letter-field-{key}")
}

/// The catalogue key of a choice's label.
pub(crate) fn choice_key(code: &str) -> String {
    format!("letter-choice-{code}")
}

/// The catalogue key of a common purpose's label.
pub(crate) fn purpose_key(code: &str) -> String {
    format!("purpose-{code}")
}

/// One extra field for a template: `key`, `label`, `required`, `value`,
/// `type` (`text`, `date`, `number` or `choice`), `choices` (code and
/// label), and `hint` (the date format at the kiosk).
pub(crate) fn field_json(
    state: &AppState,
    lang: Lang,
    f: &ExtraField,
    value: &str,
    surface: Surface,
) -> Value {
    let (kind, hint) = match (f.kind, surface) {
        (FieldKind::Choice(_), _) => ("choice", String::new()),
        (FieldKind::Date, Surface::Kiosk) => ("text", state.catalog.text(lang, "kiosk-date-hint")),
        (FieldKind::Date, Surface::Browser) => ("date", String::new()),
        (FieldKind::Number, Surface::Kiosk) => ("text", String::new()),
        (FieldKind::Number, Surface::Browser) => ("number", String::new()),
        (FieldKind::Text, _) => ("text", String::new()),
    };
    let choices: Vec<Value> = match f.kind {
        FieldKind::Choice(options) => options
            .iter()
            .map(|o| json!({ "code": o.code, "label": state.catalog.text(lang, &choice_key(o.code)) }))
            .collect(),
        _ => Vec::new(),
    };
    // A choice shows as chosen however the stored value was cased.
    let value = f.kind.choice(value).map_or(value, |o| o.code);
    json!({
        "key": f.key, "label": state.catalog.text(lang, &label_key(f.key)), "required": f.required,
        "value": value, "type": kind, "choices": choices, "hint": hint,
    })
}

/// The kind's common purposes for a template: code and label.
pub(crate) fn purposes_json(state: &AppState, lang: Lang, kind: LetterKind) -> Vec<Value> {
    kind.common_purposes()
        .iter()
        .map(|p| json!({ "code": p.code(), "label": state.catalog.text(lang, &purpose_key(p.code())) }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Catalog;
    use balai_domain::letter_kind::CommonPurpose;

    /// Regression: the kiosk's letter forms showed no text of their own;
    /// every label, choice and purpose they now show comes from both
    /// catalogues, and the Indonesian purpose is the sentence the letter prints.
    #[test]
    fn every_field_choice_and_purpose_has_a_text_in_both_catalogues() {
        let c = Catalog::builtin();
        let mut keys = Vec::new();
        for k in LetterKind::ALL {
            for f in k.extra_fields() {
                keys.push(label_key(f.key));
                if let FieldKind::Choice(options) = f.kind {
                    keys.extend(options.iter().map(|o| choice_key(o.code)));
                }
            }
        }
        keys.extend(CommonPurpose::ALL.iter().map(|p| purpose_key(p.code())));
        for key in keys {
            assert!(c.has(Lang::Id, &key), "id.ftl lacks {key}");
            assert!(c.has(Lang::En, &key), "en.ftl lacks {key}");
        }
        for p in CommonPurpose::ALL {
            assert_eq!(c.text(Lang::Id, &purpose_key(p.code())), p.text());
            assert_ne!(c.text(Lang::En, &purpose_key(p.code())), p.text());
        }
    }
}
