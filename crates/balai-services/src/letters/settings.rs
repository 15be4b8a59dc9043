//! The village's letter settings as the operator edits them: letterhead
//! address and logo, the head who signs, numbering, paper, whether residents
//! may download their letters, and the village's own template.
//!
//! The signing key is never part of the form: saving keeps the stored key.

use crate::db::Db;
use balai_domain::letter_kind::LetterKind;
use balai_domain::letter_number::{NumberFormat, SequenceScope};
use balai_domain::village::Village;
use balai_letters::{
    LetterDocument, Paper, Template, TemplateDiagnostic, TemplateError, VillageKeys,
    default_template,
};
use balai_store::VillageProfile;
use serde::{Deserialize, Serialize};

use super::{Renderer, default_profile, ensure_profile, head_signer, letterhead, paper_of};
use crate::clock::Clock;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::today;
use crate::staff::VillageAccess;

pub use balai_letters::MAX_TEMPLATE_BYTES;

/// The largest logo accepted. A village emblem as SVG is a few KB; the bound
/// keeps the form under the web layer's 1 MiB body limit once URL-encoded.
pub const MAX_LOGO_BYTES: usize = 128 * 1024;

/// The settings form, field names as the page posts them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    /// Office address printed under the letterhead.
    pub alamat: String,
    /// The village head's name.
    pub kades_nama: String,
    /// The head's title, e.g. "Kepala Desa Sengon".
    pub kades_jabatan: String,
    /// The head's NIP (18 digits), or empty.
    pub kades_nip: String,
    /// The emblem as SVG text, or empty for none.
    pub logo_svg: String,
    /// Number format, e.g. `{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}`.
    pub format_nomor: String,
    /// Counter scope: `per-jenis`, `semua-surat` or `global`.
    pub lingkup_nomor: String,
    /// `A4` or `F4`.
    pub kertas: String,
    /// Non-empty when residents may download their signed PDF (a checkbox).
    pub unduh_warga: String,
    /// The typst template; the default's text means "use the default".
    pub templat: String,
    /// `bawaan` puts the default template back.
    pub aksi: String,
}

/// Settings that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct LetterSettings {
    /// Office address.
    pub address: String,
    /// The head's name, as printed (upper case).
    pub head_name: String,
    /// The head's title.
    pub head_title: String,
    /// The head's NIP.
    pub head_nip: Option<String>,
    /// The emblem.
    pub logo_svg: Option<String>,
    /// Number format.
    pub number_format: NumberFormat,
    /// Counter scope.
    pub sequence_scope: SequenceScope,
    /// Paper size.
    pub paper: Paper,
    /// Residents may download their signed PDF.
    pub allow_download: bool,
    /// The village's own template; `None` uses the default.
    pub template: Option<Template>,
}

impl LetterSettings {
    /// `profile` with these settings; the signing key is kept.
    pub fn apply_to(&self, profile: &VillageProfile) -> VillageProfile {
        VillageProfile {
            address: self.address.clone(),
            head_name: self.head_name.clone(),
            head_title: self.head_title.clone(),
            head_nip: self.head_nip.clone(),
            logo_svg: self.logo_svg.clone(),
            number_format: self.number_format.as_str().to_string(),
            sequence_scope: self.sequence_scope.as_str().to_string(),
            paper: match self.paper {
                Paper::A4 => "A4",
                Paper::F4 => "F4",
            }
            .to_string(),
            allow_download: self.allow_download,
            template: self.template.as_ref().map(|t| t.text().to_string()),
            ..profile.clone()
        }
    }
}

/// What the settings page shows.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsView {
    /// The values in the form.
    pub form: SettingsForm,
    /// A number in the form's format (the first letter of today), if it parses.
    pub example_number: Option<String>,
    /// The village's public key (base64url), for checking letters offline.
    pub public_key: Option<String>,
    /// Whether the template in the form is the village's own.
    pub template_overridden: bool,
}

impl SettingsForm {
    /// The form showing `profile`; the template box holds the default's text
    /// when the village has none of its own, as a starting point.
    pub fn from_profile(profile: &VillageProfile) -> Self {
        SettingsForm {
            alamat: profile.address.clone(),
            kades_nama: profile.head_name.clone(),
            kades_jabatan: profile.head_title.clone(),
            kades_nip: profile.head_nip.clone().unwrap_or_default(),
            logo_svg: profile.logo_svg.clone().unwrap_or_default(),
            format_nomor: profile.number_format.clone(),
            lingkup_nomor: profile.sequence_scope.clone(),
            kertas: profile.paper.clone(),
            unduh_warga: if profile.allow_download {
                "ya".into()
            } else {
                String::new()
            },
            templat: profile
                .template
                .clone()
                .unwrap_or_else(|| default_template().to_string()),
            aksi: String::new(),
        }
    }
}

/// The settings page for the stored settings. Readers who may not write see
/// the defaults if the village has none yet; nothing is created for them.
pub async fn view(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
) -> Result<SettingsView, ServiceError> {
    let store = db.store();
    let village = village_of(db, access).await?;
    let stored = store.village_profile(access.village()).await?;
    let (profile, public_key) = match stored {
        Some(p) => {
            let key = p.public_key.clone();
            (p, Some(key))
        }
        None if access.can_write() => {
            let p = ensure_profile(db, &access.context(clock), access.village()).await?;
            let key = p.public_key.clone();
            (p, Some(key))
        }
        // A throwaway key that is never stored nor shown.
        None => (default_profile(&village, &VillageKeys::generate()), None),
    };
    Ok(view_of(
        &village,
        clock,
        SettingsForm::from_profile(&profile),
        public_key,
    ))
}

/// The settings page showing `form` as typed (after a refused save).
pub async fn view_form(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    mut form: SettingsForm,
) -> Result<SettingsView, ServiceError> {
    let store = db.store();
    let village = village_of(db, access).await?;
    if form.aksi == "bawaan" {
        form.templat = default_template().to_string();
    }
    let public_key = store
        .village_profile(access.village())
        .await?
        .map(|p| p.public_key);
    Ok(view_of(&village, clock, form, public_key))
}

fn view_of(
    village: &Village,
    clock: &dyn Clock,
    form: SettingsForm,
    public_key: Option<String>,
) -> SettingsView {
    let example_number = NumberFormat::parse(form.format_nomor.trim()).ok().map(|f| {
        f.render(
            1,
            LetterKind::Domisili,
            village.kode,
            today(clock, village.kode),
        )
    });
    SettingsView {
        template_overridden: own_template(&form).is_some(),
        form,
        example_number,
        public_key,
    }
}

/// Checks and stores the settings. Only the village's operators may; every
/// problem is reported at once and nothing is stored unless all pass.
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    renderer: &Renderer,
    access: &VillageAccess,
    form: &SettingsForm,
) -> Result<(), ServiceError> {
    let store = db.store();
    access.require_write()?;
    let village = village_of(db, access).await?;
    let ctx = access.context(clock);
    let profile = ensure_profile(db, &ctx, access.village()).await?;
    let settings = parse(form, &village, renderer)
        .await
        .map_err(ServiceError::Form)?;
    store
        .save_village_profile(&ctx, access.village(), &settings.apply_to(&profile))
        .await?;
    Ok(())
}

async fn village_of(db: &Db, access: &VillageAccess) -> Result<Village, ServiceError> {
    let store = db.store();
    store
        .village(access.village())
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Parses the form for `village`. Renders a sample letter in a worker
/// process (see [`Renderer::check_template`]) to check the logo and the
/// template: a template that loops or allocates without end is stopped at
/// the worker's limits and refused, and burns nothing in the server.
pub async fn parse(
    form: &SettingsForm,
    village: &Village,
    renderer: &Renderer,
) -> Result<LetterSettings, FieldErrors> {
    let mut e = FieldErrors::default();
    let address = required(&mut e, "alamat", &form.alamat, 200);
    let head_name = required(&mut e, "kades_nama", &form.kades_nama, 100).to_uppercase();
    let head_title = required(&mut e, "kades_jabatan", &form.kades_jabatan, 100);
    let head_nip = parse_nip(&mut e, &form.kades_nip);
    let number_format = match NumberFormat::parse(form.format_nomor.trim()) {
        Ok(f) => Some(f),
        Err(err) => {
            e.add("format_nomor", format!("format nomor tidak sah: {err}"));
            None
        }
    };
    let sequence_scope = SequenceScope::parse(form.lingkup_nomor.trim());
    if sequence_scope.is_none() {
        e.add("lingkup_nomor", "pilih cara penomoran");
    }
    if let (Some(f), Some(scope)) = (&number_format, sequence_scope)
        && let Some(m) = repeats(f, scope)
    {
        e.add("format_nomor", m);
    }
    let paper = match form.kertas.trim() {
        "A4" => Some(Paper::A4),
        "F4" => Some(Paper::F4),
        _ => {
            e.add("kertas", "pilih A4 atau F4");
            None
        }
    };
    let logo_svg = parse_logo(&mut e, &form.logo_svg);

    // The sample the logo and template are tried on: this village's
    // letterhead, signer and paper. The draft's key is a placeholder: only
    // its printed fields are read.
    let mut sample = LetterDocument::sample();
    let draft = VillageProfile {
        address: address.clone(),
        head_name: head_name.clone(),
        head_title: head_title.clone(),
        head_nip: head_nip.clone(),
        logo_svg: logo_svg.clone(),
        paper: if paper == Some(Paper::F4) { "F4" } else { "A4" }.into(),
        ..default_profile(village, &VillageKeys::from_secret_bytes([0; 32]))
    };
    sample.paper = paper_of(&draft);
    sample.letterhead = letterhead(village, &draft);
    sample.signer = head_signer(&draft);
    // With the default template first, so a bad logo is not blamed on the template.
    if logo_svg.is_some() {
        let why = match renderer
            .check_template(village.kode, default_template(), &sample)
            .await
        {
            Ok(Ok(())) => None,
            Ok(Err(TemplateError::Compile(d))) => Some(
                d.iter()
                    .map(|d| d.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Ok(Err(other)) => Some(other.to_string()),
            Err(stopped) => Some(stopped.to_string()),
        };
        if let Some(why) = why {
            e.add(
                "logo_svg",
                format!("logo tidak dapat dibaca sebagai SVG: {why}"),
            );
            sample.letterhead.logo_svg = None;
        }
    }
    let template = match own_template(form) {
        None => None,
        Some(text) => match check(renderer, village, &text, &sample).await {
            Ok(t) => Some(t),
            Err(message) => {
                e.add("templat", message);
                None
            }
        },
    };

    let (Some(number_format), Some(sequence_scope), Some(paper)) =
        (number_format, sequence_scope, paper)
    else {
        return Err(e);
    };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(LetterSettings {
        address,
        head_name,
        head_title,
        head_nip,
        logo_svg,
        number_format,
        sequence_scope,
        paper,
        allow_download: !form.unduh_warga.trim().is_empty(),
        template,
    })
}

/// The form's template if it is the village's own: not the reset button,
/// not empty, not the default (browsers send text areas with CRLF).
fn own_template(form: &SettingsForm) -> Option<String> {
    if form.aksi == "bawaan" {
        return None;
    }
    let text = normalize(&form.templat);
    if text.trim().is_empty() || text.trim_end() == default_template().trim_end() {
        None
    } else {
        Some(text)
    }
}

/// Line endings as typst and the default template have them.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn required(e: &mut FieldErrors, field: &str, value: &str, max_chars: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "wajib diisi");
    } else if v.chars().count() > max_chars {
        e.add(field, format!("paling banyak {max_chars} huruf"));
    }
    v.to_string()
}

/// A NIP is 18 digits; people often type it in groups (`19700101 199001 1 001`).
fn parse_nip(e: &mut FieldErrors, value: &str) -> Option<String> {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return None;
    }
    if digits.len() != 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        e.add(
            "kades_nip",
            "NIP terdiri dari 18 angka; kosongkan bila tidak ada",
        );
        return None;
    }
    Some(digits)
}

/// The logo text if it looks like an SVG document and is small enough;
/// typst's SVG reader then has the last word (see [`parse`]).
fn parse_logo(e: &mut FieldErrors, value: &str) -> Option<String> {
    let svg = normalize(value.trim());
    if svg.is_empty() {
        return None;
    }
    if svg.len() > MAX_LOGO_BYTES {
        e.add(
            "logo_svg",
            format!(
                "logo {} KB; paling besar {} KB",
                svg.len().div_ceil(1024),
                MAX_LOGO_BYTES / 1024
            ),
        );
        return None;
    }
    if !svg.starts_with('<') || !svg.contains("<svg") {
        e.add("logo_svg", "logo harus berupa teks SVG (diawali <svg …>)");
        return None;
    }
    // Entity declarations are how XML expands a few bytes into gigabytes.
    if svg.contains("<!ENTITY") {
        e.add(
            "logo_svg",
            "logo SVG tidak boleh memuat deklarasi <!ENTITY>",
        );
        return None;
    }
    Some(svg)
}

/// Why `format` with `scope` would give two letters the same number (the
/// archive refuses the second one at issue time), if it would.
fn repeats(format: &NumberFormat, scope: SequenceScope) -> Option<&'static str> {
    let f = format.as_str();
    if !f.contains("{tahun}") {
        // Counters restart every year.
        return Some("format harus memuat {tahun}: urutan nomor mulai lagi setiap tahun");
    }
    if scope == SequenceScope::PerKind && !f.contains("{kode}") {
        return Some(
            "dengan urutan per jenis surat, format harus memuat {kode} agar nomor dua jenis surat tidak sama",
        );
    }
    None
}

/// `text` as the village's template if a sample letter made with it in a
/// worker process passes every check; else why not, in Indonesian.
async fn check(
    renderer: &Renderer,
    village: &Village,
    text: &str,
    sample: &LetterDocument,
) -> Result<Template, String> {
    match renderer.check_template(village.kode, text, sample).await {
        Ok(Ok(())) => Template::new(text).map_err(|e| template_message(&e)),
        Ok(Err(refused)) => Err(template_message(&refused)),
        Err(stopped) => Err(format!(
            "{stopped} saat membuat satu surat contoh; sederhanakan perulangannya"
        )),
    }
}

/// The template's problem in Indonesian, with typst's own words and where.
fn template_message(err: &TemplateError) -> String {
    match err {
        TemplateError::TooLarge { bytes, max } => format!(
            "templat {} KB; paling besar {} KB",
            bytes.div_ceil(1024),
            max / 1024
        ),
        TemplateError::Compile(diagnostics) => format!(
            "templat tidak dapat dikompilasi: {}",
            diagnostics
                .iter()
                .map(diagnostic)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        TemplateError::Pdf(m) => format!("PDF surat contoh tidak dapat dibuat: {m}"),
        TemplateError::Verify(v) => format!(
            "surat contoh dengan templat ini tidak lolos pemeriksaan ({v}); templat harus mencetak setiap isian surat (kop, judul, \"Nomor: \" dengan d.number, semua baris d.subject dan d.extra, isi, keperluan, masa berlaku, penutup, tempat/tanggal, penanda tangan, d.verify_url) dan segel d.seal"
        ),
        TemplateError::PaperSize {
            paper,
            width_mm,
            height_mm,
        } => {
            let (w, h) = paper.size_mm();
            format!(
                "halaman templat {width_mm:.0} × {height_mm:.0} mm, padahal kertas {paper:?} {w} × {h} mm; ambil ukuran halaman dari d.paper"
            )
        }
    }
}

fn diagnostic(d: &TemplateDiagnostic) -> String {
    let at = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("baris {l}, kolom {c}: "),
        (Some(l), None) => format!("baris {l}: "),
        _ => String::new(),
    };
    let hint = d
        .hint
        .as_ref()
        .map(|h| format!(" (petunjuk: {h})"))
        .unwrap_or_default();
    format!("{at}{}{hint}", d.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_that_would_repeat_numbers_are_refused() {
        let f = |s| NumberFormat::parse(s).unwrap();
        assert!(repeats(&f("{nomor}/{kode}"), SequenceScope::AllLetters).is_some());
        assert!(repeats(&f("{nomor}/{tahun}"), SequenceScope::PerKind).is_some());
        assert_eq!(
            repeats(&f("{nomor}/{tahun}"), SequenceScope::AllLetters),
            None
        );
        assert_eq!(
            repeats(&f(NumberFormat::DEFAULT), SequenceScope::PerKind),
            None
        );
    }

    #[test]
    fn nips_are_eighteen_digits_typed_in_groups_or_not() {
        let mut e = FieldErrors::default();
        assert_eq!(
            parse_nip(&mut e, "19700101 199001 1 001").as_deref(),
            Some("197001011990011001")
        );
        assert_eq!(parse_nip(&mut e, ""), None);
        assert!(e.is_empty());
        parse_nip(&mut e, "1970");
        assert!(e.0.contains_key("kades_nip"));
    }

    #[test]
    fn the_default_template_sent_back_with_crlf_is_not_an_override() {
        let form = SettingsForm {
            templat: default_template().replace('\n', "\r\n"),
            ..Default::default()
        };
        assert_eq!(own_template(&form), None);
        let reset = SettingsForm {
            templat: "#let x = 1".into(),
            aksi: "bawaan".into(),
            ..Default::default()
        };
        assert_eq!(own_template(&reset), None);
    }
}
