//! Typed letter commands. A form arrives as text ([`LetterForm`],
//! [`SignerForm`](super::requests::SignerForm),
//! [`RequestForm`](super::requests::RequestForm)); the web edge turns it
//! into one of these with `TryFrom`, and the use cases take only these: a
//! letter kind is a [`LetterKind`], a subject a [`ResidentNumber`], a signer
//! a [`LetterSigner`], never a code string compared deep inside a service.
//! What can only be checked against the database (is the NIK registered in
//! this village, may this resident get this letter, has the village set its
//! head's name) stays with the use case.
//!
//! The same text shape is how a resident's request is stored, so a stored
//! request is read back through the same parsing.

use std::collections::{BTreeMap, HashMap};

use balai_domain::ResidentNumber;
use balai_domain::letter_kind::{FieldKind, LetterKind};

use super::{LetterForm, SIGNER_UNDECIDED};
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::resident_form::parse_date;

/// Longest purpose ("keperluan") a letter takes, in characters: a sentence
/// or two, never a page that would push the letter onto a second sheet.
pub const MAX_PURPOSE_CHARS: usize = 500;
/// Longest value of a kind's extra field, in characters.
pub const MAX_FIELD_CHARS: usize = 500;
/// Longest name or title of an official signing on the head's behalf.
pub const MAX_SIGNER_CHARS: usize = 100;

/// Who signs a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterSigner {
    /// The village head, in their own name (sealed by the head in the app).
    Head,
    /// An official on the head's behalf ("a.n. Kepala Desa"), e.g. the
    /// village secretary; the operator issues it at the desk.
    OnBehalf {
        /// The official's name.
        name: String,
        /// The official's title, e.g. `Sekretaris Desa`.
        title: String,
    },
    /// A recorded official of the village (`officials`), who signs in the
    /// capacity their position gives them (a.n. or u.b.); checked against
    /// the officials in office on the day the letter is made.
    Official(uuid::Uuid),
}

/// How a form names a recorded official as signer: `pejabat:<id>`.
pub const OFFICIAL_PREFIX: &str = "pejabat:";

impl LetterSigner {
    /// Reads the signer fields of a form: `penandatangan` is `kades` (or
    /// left empty: the head, as the form preselects) or `an`, which needs
    /// the official's name and title.
    pub fn parse(choice: &str, name: &str, title: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        match choice.trim() {
            "" | "kades" => Ok(LetterSigner::Head),
            c if c.starts_with(OFFICIAL_PREFIX) => {
                match uuid::Uuid::parse_str(&c[OFFICIAL_PREFIX.len()..]) {
                    Ok(id) => Ok(LetterSigner::Official(id)),
                    Err(_) => {
                        e.add(
                            "penandatangan",
                            "pilih penandatangan dari daftar perangkat desa",
                        );
                        Err(e)
                    }
                }
            }
            "an" => {
                let name = bounded(&mut e, "an_nama", name, MAX_SIGNER_CHARS);
                let title = bounded(&mut e, "an_jabatan", title, MAX_SIGNER_CHARS);
                if name.as_deref() == Some("") {
                    e.add("an_nama", "tulis nama pejabat yang menandatangani");
                }
                if title.as_deref() == Some("") {
                    e.add("an_jabatan", "tulis jabatannya, mis. Sekretaris Desa");
                }
                match (name, title) {
                    (Some(name), Some(title)) if e.is_empty() => {
                        Ok(LetterSigner::OnBehalf { name, title })
                    }
                    _ => Err(e),
                }
            }
            _ => {
                e.add(
                    "penandatangan",
                    "pilih penandatangan: kepala desa, atau pejabat a.n. kepala desa",
                );
                Err(e)
            }
        }
    }

    /// True for the village head signing in their own name.
    pub fn is_head(&self) -> bool {
        matches!(self, LetterSigner::Head)
    }

    /// The `penandatangan`, `an_nama`, `an_jabatan` text of the signer (how
    /// forms and stored requests write it).
    pub(crate) fn to_fields(&self) -> (String, String, String) {
        match self {
            LetterSigner::Head => ("kades".into(), String::new(), String::new()),
            LetterSigner::OnBehalf { name, title } => ("an".into(), name.clone(), title.clone()),
            LetterSigner::Official(id) => (
                format!("{OFFICIAL_PREFIX}{id}"),
                String::new(),
                String::new(),
            ),
        }
    }
}

/// What a letter says, checked: everything but who signs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterContent {
    /// The kind of letter.
    pub kind: LetterKind,
    /// Whom it is about (NIK or temporary number).
    pub subject: ResidentNumber,
    /// What the letter is for (trimmed, not empty).
    pub purpose: String,
    /// Days of validity; `None` for the kind's default.
    pub validity_days: Option<u16>,
    /// The kind's extra fields that were filled in, by key: trimmed text
    /// already checked against the field's type (a date, a number).
    pub extras: BTreeMap<&'static str, String>,
}

impl LetterContent {
    /// Reads a letter form's content fields; every problem is reported at
    /// once, under its field.
    pub fn parse(form: &LetterForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = LetterKind::parse(form.jenis.trim());
        if kind.is_none() {
            e.add("jenis", "pilih jenis surat");
        }
        let subject = match ResidentNumber::parse(form.nik.trim()) {
            Ok(n) => Some(n),
            Err(err) => {
                e.add("nik", err.alasan("NIK"));
                None
            }
        };
        let extras = kind.map(|k| parse_extras(&mut e, k, &form.extras));
        let purpose = required_text(
            &mut e,
            "keperluan",
            &form.keperluan,
            MAX_PURPOSE_CHARS,
            "tulis keperluan surat ini",
        );
        let validity_days = match form.berlaku_hari.trim() {
            "" => None,
            s => match s.parse::<u16>() {
                Ok(d) if (1..=365).contains(&d) => Some(d),
                _ => {
                    e.add("berlaku_hari", "isi 1 sampai 365 hari");
                    None
                }
            },
        };
        match (kind, subject, extras, purpose) {
            (Some(kind), Some(subject), Some(extras), Some(purpose)) if e.is_empty() => Ok(Self {
                kind,
                subject,
                purpose,
                validity_days,
                extras,
            }),
            _ => Err(e),
        }
    }

    /// The validity in days: as given, or the kind's default.
    pub fn validity(&self) -> Option<u16> {
        self.validity_days
            .or_else(|| self.kind.default_validity_days())
    }
}

/// A letter to issue at the desk (or preview): its content and its signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueLetter {
    /// What the letter says.
    pub content: LetterContent,
    /// Who signs it.
    pub signer: LetterSigner,
}

/// Shortest purpose typed for a new letter: two words, eight letters
/// ("Melamar kerja"), so the letter says what it is for. Stored requests
/// are read back without this rule: it applies to what is typed now.
pub const MIN_PURPOSE_WORDS: usize = 2;
/// See [`MIN_PURPOSE_WORDS`].
pub const MIN_PURPOSE_LETTERS: usize = 8;

/// Adds a message under `keperluan` unless `purpose` reads as a sentence.
pub(crate) fn check_purpose_is_a_sentence(e: &mut FieldErrors, purpose: &str) {
    let words = purpose.split_whitespace().count();
    let letters = purpose.chars().filter(|c| c.is_alphabetic()).count();
    if !purpose.trim().is_empty() && (words < MIN_PURPOSE_WORDS || letters < MIN_PURPOSE_LETTERS) {
        e.add(
            "keperluan",
            "tulis keperluan dalam satu kalimat, paling sedikit dua kata, mis. «Melamar pekerjaan di pabrik»",
        );
    }
}

impl TryFrom<&LetterForm> for IssueLetter {
    type Error = FieldErrors;
    fn try_from(form: &LetterForm) -> Result<Self, FieldErrors> {
        let mut purpose = FieldErrors::default();
        check_purpose_is_a_sentence(&mut purpose, &form.keperluan);
        let content = match (LetterContent::parse(form), purpose.is_empty()) {
            (Ok(c), true) => Ok(c),
            (Ok(_), false) => Err(purpose),
            (Err(mut e), _) => {
                for (field, message) in purpose.0 {
                    e.add(&field, message);
                }
                Err(e)
            }
        };
        let signer = LetterSigner::parse(&form.penandatangan, &form.an_nama, &form.an_jabatan);
        match (content, signer) {
            (Ok(content), Ok(signer)) => Ok(Self { content, signer }),
            (content, signer) => {
                let mut e = FieldErrors::default();
                for part in [content.err(), signer.err()].into_iter().flatten() {
                    for (field, message) in part.0 {
                        e.add(&field, message);
                    }
                }
                Err(e)
            }
        }
    }
}

impl TryFrom<LetterForm> for IssueLetter {
    type Error = FieldErrors;
    fn try_from(form: LetterForm) -> Result<Self, FieldErrors> {
        Self::try_from(&form)
    }
}

impl LetterForm {
    /// The text of a checked letter, as a form holds it (and a request is
    /// stored): `signer` `None` for a resident's request whose signer the
    /// office has not chosen yet.
    pub(crate) fn of(content: &LetterContent, signer: Option<&LetterSigner>) -> Self {
        let (penandatangan, an_nama, an_jabatan) = match signer {
            Some(s) => {
                let (c, n, t) = s.to_fields();
                (c, n, t)
            }
            None => (SIGNER_UNDECIDED.to_string(), String::new(), String::new()),
        };
        LetterForm {
            jenis: content.kind.code().to_string(),
            nik: content.subject.to_string(),
            keperluan: content.purpose.clone(),
            berlaku_hari: content
                .validity_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            penandatangan,
            an_nama,
            an_jabatan,
            extras: content
                .extras
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }
}

/// Checks the kind's extra fields in `extras`; others are ignored (the
/// desk form posts every kind's fields it once showed).
pub(crate) fn parse_extras(
    e: &mut FieldErrors,
    kind: LetterKind,
    extras: &HashMap<String, String>,
) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for f in kind.extra_fields() {
        let v = extras.get(f.key).map(|s| s.trim()).unwrap_or_default();
        if v.is_empty() {
            if f.required {
                e.add(f.key, "wajib diisi");
            }
            continue;
        }
        if v.chars().count() > MAX_FIELD_CHARS {
            e.add(f.key, format!("paling banyak {MAX_FIELD_CHARS} huruf"));
            continue;
        }
        let ok = match f.kind {
            FieldKind::Text => true,
            // Stored as the option's code, however it was cased.
            FieldKind::Choice(_) => match f.kind.choice(v) {
                Some(o) => {
                    out.insert(f.key, o.code.to_string());
                    continue;
                }
                None => {
                    e.add(f.key, "pilih salah satu pilihan yang ada");
                    false
                }
            },
            FieldKind::Date => e.check(f.key, parse_date(v)).is_some(),
            FieldKind::Number => {
                let ok = v.replace(['.', ','], "").parse::<u64>().is_ok();
                if !ok {
                    e.add(f.key, "isi dengan angka");
                }
                ok
            }
        };
        if ok {
            out.insert(f.key, v.to_string());
        }
    }
    out
}

/// `value` trimmed, or a message under `field` when it is longer than `max`.
fn bounded(e: &mut FieldErrors, field: &str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        e.add(field, format!("paling banyak {max} huruf"));
        return None;
    }
    Some(v.to_string())
}

/// Like [`bounded`], and not empty (`missing` says what to write).
pub(crate) fn required_text(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    missing: &str,
) -> Option<String> {
    let v = bounded(e, field, value, max)?;
    if v.is_empty() {
        e.add(field, missing);
        return None;
    }
    Some(v)
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        ServiceError::Form(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> LetterForm {
        LetterForm {
            jenis: "tidak-mampu".into(),
            nik: "3310015708890003".into(),
            keperluan: "melamar pekerjaan".into(),
            penandatangan: "kades".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_typed_command() {
        let c = IssueLetter::try_from(form()).expect("valid");
        assert_eq!(c.signer, LetterSigner::Head);
        assert_eq!(c.content.purpose, "melamar pekerjaan");
        let mut f = form();
        f.penandatangan = "an".into();
        f.an_nama = " Sri Lestari ".into();
        f.an_jabatan = "Sekretaris Desa".into();
        assert_eq!(
            IssueLetter::try_from(f).unwrap().signer,
            LetterSigner::OnBehalf {
                name: "Sri Lestari".into(),
                title: "Sekretaris Desa".into()
            }
        );
    }

    #[test]
    fn a_purpose_shorter_than_a_sentence_is_refused_with_the_reason() {
        for short in ["x", "kerja", "ok ok", "  "] {
            let mut f = form();
            f.keperluan = short.into();
            let e = IssueLetter::try_from(f).unwrap_err();
            assert!(e.0.contains_key("keperluan"), "{short:?}: {e}");
        }
        let mut f = form();
        f.keperluan = "Daftar sekolah".into();
        assert!(IssueLetter::try_from(f).is_ok());
    }

    #[test]
    fn an_unknown_signer_kind_or_bad_nik_is_a_field_error_not_a_head_signature() {
        let mut f = form();
        f.penandatangan = "bupati".into();
        f.jenis = "SURAT-PALSU".into();
        f.nik = "12ab".into();
        f.keperluan = "x".repeat(MAX_PURPOSE_CHARS + 1);
        let e = IssueLetter::try_from(f).unwrap_err();
        for field in ["penandatangan", "jenis", "nik", "keperluan"] {
            assert!(e.0.contains_key(field), "{field}: {e}");
        }
    }

    #[test]
    fn on_behalf_needs_a_bounded_name_and_title() {
        let mut f = form();
        f.penandatangan = "an".into();
        f.an_jabatan = "j".repeat(MAX_SIGNER_CHARS + 1);
        let e = IssueLetter::try_from(f).unwrap_err();
        assert!(
            e.0.contains_key("an_nama") && e.0.contains_key("an_jabatan"),
            "{e}"
        );
    }

    #[test]
    fn a_checked_letter_reads_back_from_its_stored_text() {
        let c = IssueLetter::try_from(form()).unwrap();
        let stored = LetterForm::of(&c.content, Some(&c.signer));
        assert_eq!(IssueLetter::try_from(stored).unwrap(), c);
        let undecided = LetterForm::of(&c.content, None);
        assert_eq!(LetterContent::parse(&undecided).unwrap(), c.content);
    }
}
