//! What the letter benchmarks share: timing summaries and filled-in forms.

use std::time::Duration;

use balai_domain::letter_kind::{FieldKind, LetterKind};
use balai_services::letters::LetterForm;

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p` quantile of sorted timings.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Fills every extra field of `kind` (optional ones too, so the letter is full).
pub fn fill_extras(f: &mut LetterForm, kind: LetterKind, i: usize) {
    for field in kind.extra_fields() {
        let value = match field.kind {
            FieldKind::Text => format!("{} contoh {i}", field.label),
            FieldKind::Choice(options) => options[i % options.len()].code.into(),
            FieldKind::Date => "2026-10-01".into(),
            FieldKind::Number => (1_000_000 + i * 1_000).to_string(),
        };
        f.extras.insert(field.key.into(), value);
    }
}
