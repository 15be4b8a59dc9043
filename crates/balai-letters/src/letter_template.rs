//! Which typst source typesets a letter: the embedded default, or a
//! village's own template that replaces it.

use std::fmt;

use typst::syntax::Source;

use crate::template::TEMPLATE;
use crate::template_error::TemplateError;
use crate::world;

/// The largest template accepted. The default is about 3 KB; the bound keeps
/// a stored template small enough to parse with every letter.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

/// The embedded template's text, a starting point for a village's own.
pub fn default_template() -> &'static str {
    TEMPLATE
}

/// A typst letter template. It reads `/data.json`, `/qr.svg` and
/// `/logo.svg` and nothing else: the world has no other files, no network
/// and no clock.
#[derive(Clone)]
pub struct Template {
    source: Source,
}

impl Template {
    /// The embedded template (parsed once per process).
    pub fn builtin() -> Self {
        Self {
            source: world::builtin_source(),
        }
    }

    /// A village's own template, as stored after
    /// [`validate_template`](crate::validate_template) accepted it. Only its
    /// size is checked here: compiling it is what rendering does.
    pub fn new(text: &str) -> Result<Self, TemplateError> {
        if text.len() > MAX_TEMPLATE_BYTES {
            return Err(TemplateError::TooLarge {
                bytes: text.len(),
                max: MAX_TEMPLATE_BYTES,
            });
        }
        Ok(Self {
            source: world::main_source(text.to_owned()),
        })
    }

    /// The typst source text.
    pub fn text(&self) -> &str {
        self.source.text()
    }

    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl Default for Template {
    fn default() -> Self {
        Self::builtin()
    }
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Template({} bytes)", self.text().len())
    }
}
