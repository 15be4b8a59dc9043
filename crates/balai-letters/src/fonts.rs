//! The fonts typst may use: those embedded in `typst-assets`, loaded once per
//! process (building the font book costs ~26 ms; no system font is read).

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The embedded fonts and the book that indexes them.
pub(crate) struct Fonts {
    /// Metadata typst selects fonts by.
    pub book: LazyHash<FontBook>,
    /// The faces, in book order.
    pub fonts: Vec<Font>,
}

/// Built on first use, shared by every render.
pub(crate) static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});
