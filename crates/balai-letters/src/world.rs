//! The typst `World` of one letter: its template (the embedded one or the
//! village's own), the letter's data as JSON, its QR code and logo, the
//! embedded fonts and no clock.
//!
//! typst interns every `FileId` for the life of the process (at most 65,536),
//! so each letter reuses the same four virtual paths instead of naming its own.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, World};

use crate::fonts::FONTS;
use crate::template::TEMPLATE;

/// A fixed virtual path, interned once.
fn file_id(path: &str) -> FileId {
    // The paths below are constants known to be valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|e| panic!("bad virtual path {path}: {e:?}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/letter.typ"));
static DATA: LazyLock<FileId> = LazyLock::new(|| file_id("/data.json"));
static QR: LazyLock<FileId> = LazyLock::new(|| file_id("/qr.svg"));
static LOGO: LazyLock<FileId> = LazyLock::new(|| file_id("/logo.svg"));

/// The embedded template, parsed once per process.
static MAIN_SOURCE: LazyLock<Source> = LazyLock::new(|| Source::new(*MAIN, TEMPLATE.to_owned()));

/// The embedded template's parsed source.
pub(crate) fn builtin_source() -> Source {
    MAIN_SOURCE.clone()
}

/// `text` parsed as the main file. Every template, embedded or a village's
/// own, is the same virtual file, so no template interns a new `FileId`.
pub(crate) fn main_source(text: String) -> Source {
    Source::new(*MAIN, text)
}

/// Whether a diagnostic's file is the template (rather than, say, the logo).
pub(crate) fn is_main(id: FileId) -> bool {
    id == *MAIN
}

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Forces the one-time setup (fonts, standard library, template), so a
/// server can pay for it at start rather than on its first letter.
pub(crate) fn warm_up() {
    LazyLock::force(&FONTS);
    LazyLock::force(&LIBRARY);
    LazyLock::force(&MAIN_SOURCE);
    for id in [&DATA, &QR, &LOGO] {
        LazyLock::force(id);
    }
}

/// One letter's inputs.
pub(crate) struct LetterWorld {
    main: Source,
    data: Bytes,
    qr_svg: Bytes,
    logo_svg: Option<Bytes>,
}

impl LetterWorld {
    /// The world for a letter typeset by `main` from `data_json`.
    pub(crate) fn new(
        main: Source,
        data_json: String,
        qr_svg: String,
        logo_svg: Option<String>,
    ) -> Self {
        Self {
            main,
            data: Bytes::from_string(data_json),
            qr_svg: Bytes::from_string(qr_svg),
            logo_svg: logo_svg.map(Bytes::from_string),
        }
    }
}

impl World for LetterWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            Ok(self.data.clone())
        } else if id == *QR {
            Ok(self.qr_svg.clone())
        } else if id == *LOGO {
            self.logo_svg.clone().ok_or_else(|| not_found(id))
        } else if id == *MAIN {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    // Letters carry the dates they are given; the template never asks the clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
