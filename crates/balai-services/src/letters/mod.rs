//! Village letters: from a NIK and a letter kind to a numbered, signed PDF,
//! the archive, revocation, and public verification.

mod command;
pub mod field_check;
mod renderer;
pub mod requests;
pub mod settings;
pub mod signing;
pub mod statements;

pub use command::{
    IssueLetter, LetterContent, LetterSigner, MAX_FIELD_CHARS, MAX_PURPOSE_CHARS, MAX_SIGNER_CHARS,
    OFFICIAL_PREFIX,
};
pub use renderer::{RenderWorker, Renderer, TypesetError, worker_main};

use crate::db::Db;
use std::collections::HashMap;

use balai_domain::Resident;
use balai_domain::letter_kind::{FieldKind, LetterKind};
use balai_domain::letter_number::{NumberFormat, SequenceScope};
use balai_domain::official::{Authority, OfficialNumber};
use balai_domain::village::Village;
use balai_letters::{
    Field, LetterDocument, LetterStatement, Letterhead, Paper, Signer, Statement, VillageKeys,
};
pub use balai_store::LetterRecord;
use balai_store::{
    NewLetter, NumberReservation, Sealed, Store, StoreError, VillageProfile, WriteContext,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::resident_form::parse_date;
use crate::registry::today;
use crate::staff::VillageAccess;
use statements::{long_date, statement};

/// The `penandatangan` value of a request whose signer is not chosen yet.
pub(crate) const SIGNER_UNDECIDED: &str = "belum";

/// The operator's letter form as posted, all text (also how a resident's
/// request is stored). Turned into an [`IssueLetter`] with `TryFrom` at the
/// edge; the use cases take only that.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LetterForm {
    /// Letter kind code.
    pub jenis: String,
    /// The subject's NIK (or temporary number).
    pub nik: String,
    /// What the letter is for.
    pub keperluan: String,
    /// Days of validity (empty: the kind's default).
    pub berlaku_hari: String,
    /// `kades` (the village head signs) or `an` (an official on the head's behalf).
    pub penandatangan: String,
    /// Name of the official signing on behalf.
    pub an_nama: String,
    /// Title of the official signing on behalf.
    pub an_jabatan: String,
    /// The kind's extra fields, by key.
    #[serde(flatten)]
    pub extras: HashMap<String, String>,
}

/// A letter resolved from a form, ready to number and sign.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The kind.
    pub kind: LetterKind,
    /// The subject.
    pub resident: Resident,
    /// The document with a placeholder number.
    pub document: LetterDocument,
    /// Day of issue.
    pub issued_on: Date,
    /// Last day of validity.
    pub valid_until: Option<Date>,
    /// The village's keys and settings.
    pub profile: VillageProfile,
}

/// Makes sure the village has letter settings and a signing key pair (created on first use).
pub async fn ensure_profile(
    db: &Db,
    ctx: &WriteContext,
    village: balai_domain::KodeWilayah,
) -> Result<VillageProfile, ServiceError> {
    let store = db.store();
    if let Some(p) = store.village_profile(village).await? {
        return Ok(p);
    }
    let v = store
        .village(village)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let profile = default_profile(&v, &VillageKeys::generate());
    store.save_village_profile(ctx, village, &profile).await?;
    Ok(profile)
}

/// Who signs a village's letters in their own name, as the desk and the
/// request pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageHead {
    /// The head's name (empty until the village sets it).
    pub name: String,
    /// The head's title, e.g. `Kepala Desa Randusari`.
    pub title: String,
}

/// The village head as the settings say, or the default title when the
/// village has no settings yet. Read-only: showing a page never creates
/// settings or a signing key (only issuing or saving settings does).
pub async fn village_head(
    db: &Db,
    village: balai_domain::KodeWilayah,
) -> Result<VillageHead, ServiceError> {
    let store = db.store();
    if let Some(p) = store.village_profile(village).await? {
        return Ok(VillageHead {
            name: p.head_name,
            title: p.head_title,
        });
    }
    let v = store
        .village(village)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(VillageHead {
        name: String::new(),
        title: default_head_title(&v),
    })
}

/// The head's title until the village sets its own.
pub(crate) fn default_head_title(v: &Village) -> String {
    format!("Kepala Desa {}", v.name)
}

/// The settings a village starts with, signing with `keys`.
pub(crate) fn default_profile(v: &Village, keys: &VillageKeys) -> VillageProfile {
    VillageProfile {
        address: default_address(v),
        head_name: String::new(),
        head_title: default_head_title(v),
        head_nip: None,
        logo_svg: None,
        number_format: NumberFormat::DEFAULT.into(),
        sequence_scope: SequenceScope::PerKind.as_str().into(),
        paper: "A4".into(),
        signing_key: keys.secret_bytes().to_vec(),
        public_key: keys.public_key().to_base64(),
        allow_download: false,
        template: None,
    }
}

/// The office address a village starts with.
pub(crate) fn default_address(v: &Village) -> String {
    format!(
        "Desa {}, Kecamatan {}, {}",
        v.name, v.district_name, v.regency_name
    )
}

/// The letterhead printed on `v`'s letters.
pub(crate) fn letterhead(v: &Village, profile: &VillageProfile) -> Letterhead {
    letterhead_with(v, profile.address.clone(), profile.logo_svg.clone())
}

/// The letterhead of `v` with this office address and emblem.
pub(crate) fn letterhead_with(
    v: &Village,
    address: String,
    logo_svg: Option<String>,
) -> Letterhead {
    Letterhead {
        regency: format!("PEMERINTAH {}", v.regency_name.to_uppercase()),
        district: format!("KECAMATAN {}", v.district_name.to_uppercase()),
        village: format!("DESA {}", v.name.to_uppercase()),
        address,
        logo_svg,
    }
}

/// The paper the village prints on.
pub(crate) fn paper_of(profile: &VillageProfile) -> Paper {
    if profile.paper == "F4" {
        Paper::F4
    } else {
        Paper::A4
    }
}

/// The village head signing in their own name.
pub(crate) fn head_signer(profile: &VillageProfile) -> Signer {
    Signer {
        title: profile.head_title.clone(),
        name: profile.head_name.to_uppercase(),
        on_behalf: None,
        nip: profile.head_nip.clone(),
        nipd: None,
    }
}

/// An official's number as the signature prints it: a NIP, or a NIPD.
fn printed_numbers(number: Option<&OfficialNumber>) -> (Option<String>, Option<String>) {
    match number {
        Some(OfficialNumber::Nip(n)) => (Some(n.to_string()), None),
        Some(OfficialNumber::Nipd(n)) => (None, Some(n.as_str().to_string())),
        None => (None, None),
    }
}

/// An official's title with the village: `Sekretaris Desa Sengon`,
/// `Kepala Seksi Pelayanan Desa Sengon`.
fn of_village(title: &str, village: &str) -> String {
    if title.ends_with("Desa") {
        format!("{title} {village}")
    } else {
        format!("{title} Desa {village}")
    }
}

/// The signature block of a recorded official signing on `day`, and the
/// words that put them under the head in the opening (`a.n. ` or
/// `u.b. Sekretaris Desa, a.n. `); `None` unless they are in office that
/// day with the authority to sign on the head's behalf.
async fn official_signer(
    db: &Db,
    village: balai_domain::KodeWilayah,
    id: uuid::Uuid,
    day: time::Date,
    head_title: &str,
) -> Result<Option<(Signer, String)>, ServiceError> {
    let Some(signer) = crate::officials::signers_on(db, village, day)
        .await?
        .into_iter()
        .find(|s| s.official.id == id)
    else {
        return Ok(None);
    };
    let a = &signer.official.appointment;
    let (on_behalf, role) = match signer.authority {
        Authority::ByOrder => (
            format!("a.n. {head_title}\nSekretaris Desa\nu.b."),
            "u.b. Sekretaris Desa, a.n. ".to_string(),
        ),
        _ => (format!("a.n. {head_title}"), "a.n. ".to_string()),
    };
    let (nip, nipd) = printed_numbers(a.number.as_ref());
    Ok(Some((
        Signer {
            title: a.title(),
            name: a.name.as_str().to_uppercase(),
            on_behalf: Some(on_behalf),
            nip,
            nipd,
        },
        role,
    )))
}

/// The village's own template text (checked when it was saved), or `None`
/// for the embedded default.
fn template_of(profile: &VillageProfile) -> Option<&str> {
    profile.template.as_deref()
}

fn keys_of(p: &VillageProfile) -> Result<VillageKeys, ServiceError> {
    let bytes: [u8; 32] = p
        .signing_key
        .as_slice()
        .try_into()
        .map_err(|_| ServiceError::Invalid("kunci tanda tangan desa rusak".into()))?;
    Ok(VillageKeys::from_secret_bytes(bytes))
}

/// Checks the form and resolves everything but the number. Nothing is
/// written, so a wrong form consumes no number.
pub async fn prepare(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    letter: &IssueLetter,
) -> Result<Prepared, ServiceError> {
    let store = db.store();
    let ctx = access.context(clock);
    let p = prepare_in(
        db,
        clock,
        access.village(),
        &ctx,
        &letter.content,
        Some(&letter.signer),
    )
    .await?;
    // The staff member now sees the resident's data: logged (UU 27/2022).
    store
        .log_access(&ctx, access.village(), p.resident.id, "surat")
        .await?;
    Ok(p)
}

/// Who a letter would be for, shown at the desk as soon as the NIK is
/// typed, before anything is numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The resident.
    pub resident: balai_domain::Resident,
    /// Their family card's number and address, if they have one.
    pub family: Option<(balai_domain::NoKk, String)>,
}

/// The resident of this village with `number`, for the desk to see before
/// issuing. The view is logged like any other of personal data; a number
/// that is not this village's resident is not found.
pub async fn subject(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    number: &balai_domain::ResidentNumber,
) -> Result<Subject, ServiceError> {
    let store = db.store();
    let resident = store
        .resident_by_number(access.village(), number)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let family = match resident.family_id {
        Some(f) => store
            .family_card(access.village(), f)
            .await?
            .map(|c| (c.family.no_kk, c.family.address.clone())),
        None => None,
    };
    store
        .log_access(
            &access.context(clock),
            access.village(),
            resident.id,
            "surat",
        )
        .await?;
    Ok(Subject { resident, family })
}

/// [`prepare`] for a village and actor already authorised by the caller
/// (the operator desk, a resident's request, the head signing it). A
/// `signer` of `None` is a resident's request whose signer the office has
/// not chosen yet (shown as not signed).
pub(crate) async fn prepare_in(
    db: &Db,
    clock: &dyn Clock,
    village_code: balai_domain::KodeWilayah,
    ctx: &WriteContext,
    content: &LetterContent,
    signer: Option<&LetterSigner>,
) -> Result<Prepared, ServiceError> {
    let store = db.store();
    let mut e = FieldErrors::default();
    let kind = content.kind;
    let resident = match store
        .resident_by_number(village_code, &content.subject)
        .await?
    {
        None => {
            e.add("nik", "NIK ini tidak terdaftar sebagai penduduk desa ini");
            None
        }
        Some(r) => Some(r),
    };
    if let Some(r) = &resident
        && let Err(m) = kind.subject_allowed(r.status, r.marital_status)
    {
        e.add("nik", m);
    }
    // What the record says wins over what was typed: the letter prints
    // the recorded event, not a second account of it.
    let recorded = match &resident {
        Some(r) => recorded_extras(db, village_code, kind, r).await?,
        None => HashMap::new(),
    };
    if resident.is_some() {
        for key in kind.required_without_record() {
            if !recorded.contains_key(*key) && !content.extras.contains_key(*key) {
                e.add(key, "wajib diisi");
            }
        }
    }
    let mut extras: HashMap<&'static str, String> = HashMap::new();
    let mut extra_fields = Vec::new();
    for f in kind.extra_fields() {
        let Some(v) = recorded.get(f.key).or_else(|| content.extras.get(f.key)) else {
            continue;
        };
        // Checked when the command was made: only the printed form is made here.
        let shown = match f.kind {
            FieldKind::Text => v.clone(),
            FieldKind::Choice(_) => f
                .kind
                .choice(v)
                .map_or_else(|| v.clone(), |o| o.text.into()),
            FieldKind::Date => parse_date(v).map(long_date).unwrap_or_else(|_| v.clone()),
            FieldKind::Number => v
                .replace(['.', ','], "")
                .parse::<u64>()
                .map(thousands)
                .unwrap_or_else(|_| v.clone()),
        };
        extra_fields.push(Field::new(f.label, shown.clone()));
        extras.insert(f.key, shown);
    }
    let validity = content.validity();
    let profile = ensure_profile(db, ctx, village_code).await?;
    let village = store
        .village(village_code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let issued_on = today(clock, village_code);
    // Who signs, and how the letter's opening names them: the one who
    // actually signs, with the capacity they sign in.
    let head_opening = format!(
        "{} Kecamatan {} {}",
        profile.head_title, village.district_name, village.regency_name
    );
    let (signer, signed_by) = match signer {
        Some(LetterSigner::OnBehalf { name, title }) => (
            Signer {
                title: title.clone(),
                name: name.to_uppercase(),
                on_behalf: Some(format!("a.n. {}", profile.head_title)),
                nip: None,
                nipd: None,
            },
            format!(
                "{}, {}, a.n. {head_opening}",
                name.to_uppercase(),
                of_village(title, &village.name)
            ),
        ),
        Some(LetterSigner::Official(id)) => {
            match official_signer(db, village_code, *id, issued_on, &profile.head_title).await? {
                Some((signer, role)) => {
                    let opening = format!(
                        "{}, {}, {role}{head_opening}",
                        signer.name,
                        of_village(&signer.title, &village.name)
                    );
                    (signer, opening)
                }
                None => {
                    e.add(
                        "penandatangan",
                        "pejabat ini tidak dapat menandatangani surat pada tanggal ini; pilih dari daftar",
                    );
                    (head_signer(&profile), head_opening.clone())
                }
            }
        }
        // A resident's request: who signs is decided later, by the operator.
        None => (
            Signer {
                title: profile.head_title.clone(),
                name: "(belum ditandatangani)".into(),
                on_behalf: None,
                nip: None,
                nipd: None,
            },
            head_opening.clone(),
        ),
        Some(LetterSigner::Head) => {
            // The head recorded among the officials, in office today,
            // wins over the profile's name (a village without officials
            // signs as before, from its profile).
            let recorded = crate::officials::head_on(db, village_code, issued_on).await?;
            let signer = match recorded {
                Some(h) => {
                    let (nip, nipd) = match printed_numbers(h.appointment.number.as_ref()) {
                        (None, None) => (profile.head_nip.clone(), None),
                        numbers => numbers,
                    };
                    Signer {
                        title: if h.appointment.acting {
                            format!("Plt. {}", profile.head_title)
                        } else {
                            profile.head_title.clone()
                        },
                        name: h.appointment.name.as_str().to_uppercase(),
                        on_behalf: None,
                        nip,
                        nipd,
                    }
                }
                None => {
                    if profile.head_name.trim().is_empty() {
                        e.add(
                            "penandatangan",
                            "nama kepala desa belum diisi di profil desa; pilih penandatangan a.n.",
                        );
                    }
                    head_signer(&profile)
                }
            };
            (signer, head_opening.clone())
        }
    };
    let Some(resident) = resident else {
        return Err(ServiceError::Form(e));
    };
    if !e.is_empty() {
        return Err(ServiceError::Form(e));
    }
    let valid_until = validity.map(|d| issued_on + Duration::days(i64::from(d)));
    let family = match resident.family_id {
        Some(f) => store.family_card(village_code, f).await?.map(|c| c.family),
        None => None,
    };
    let address = family
        .map(|f| format!("{}, Desa {}", f.full_address(), village.name))
        .unwrap_or_else(|| format!("Desa {}", village.name));
    let r = &resident;
    let subject = vec![
        Field::new("Nama", r.name.as_str()),
        Field::new(
            if r.number.is_temporary() {
                "Nomor sementara"
            } else {
                "NIK"
            },
            r.number.to_string(),
        ),
        Field::new(
            "Tempat/Tgl. Lahir",
            format!("{}, {}", r.birth_place, long_date(r.birth_date)),
        ),
        Field::new("Jenis Kelamin", r.sex.label()),
        Field::new("Agama", r.religion.label()),
        Field::new("Status Perkawinan", r.marital_status.label()),
        Field::new("Pekerjaan", r.occupation.label()),
        Field::new("Kewarganegaraan", r.citizenship.label()),
        Field::new("Alamat", address),
    ];
    let document = LetterDocument {
        paper: paper_of(&profile),
        letterhead: letterhead(&village, &profile),
        title: kind.title().into(),
        number: "(pratinjau — nomor diberikan saat diterbitkan)".into(),
        opening: format!("Yang bertanda tangan di bawah ini, {signed_by}, menerangkan bahwa:"),
        subject,
        body: statement(kind, &village.name, &extras),
        extra: extra_fields,
        purpose: content.purpose.clone(),
        validity: valid_until.map(|d| format!("Surat ini berlaku sampai dengan {}.", long_date(d))),
        closing: "Demikian surat ini dibuat untuk dapat dipergunakan sebagaimana mestinya.".into(),
        place_date: format!("{}, {}", village.name, long_date(issued_on)),
        signer,
        verify_url: String::new(),
    };
    Ok(Prepared {
        kind,
        resident,
        document,
        issued_on,
        valid_until,
        profile,
    })
}

/// The extra fields a letter of `kind` about `r` takes from the record: a
/// death certificate from the death (date, time, place, cause, who
/// determined it), a move-out letter from the recorded move out (address,
/// region, classification, reason, date, people moving along). Values are
/// as a form would hold them (dates `YYYY-MM-DD`), printed the same way.
async fn recorded_extras(
    db: &Db,
    village: balai_domain::KodeWilayah,
    kind: LetterKind,
    r: &Resident,
) -> Result<HashMap<String, String>, ServiceError> {
    use balai_domain::codes::{Peristiwa, StatusDasar};
    use balai_domain::particulars::Particulars;
    let mut out = HashMap::new();
    let wanted = match (kind, r.status) {
        (LetterKind::Kematian, StatusDasar::Mati) => Peristiwa::Mati,
        (LetterKind::Pindah, StatusDasar::Pindah) => Peristiwa::PindahKeluar,
        _ => return Ok(out),
    };
    let events = db.store().events_of(village, r.id).await?;
    let Some(event) = events.iter().rev().find(|e| e.kind == wanted) else {
        return Ok(out);
    };
    let mut put = |k: &str, v: String| {
        out.insert(k.to_string(), v);
    };
    match (kind, &event.particulars) {
        (LetterKind::Kematian, p) => {
            put("tanggal_meninggal", event.occurred_on.to_string());
            if let Some(Particulars::Death(d)) = p {
                if let Some(t) = d.time {
                    put("jam_meninggal", t.to_string());
                }
                if let Some(place) = &d.place {
                    put("tempat_meninggal", place.to_string());
                }
                if let Some(c) = d.cause {
                    put("sebab", c.label().to_string());
                }
                if let Some(by) = d.determined_by {
                    put("penerang", by.label().to_string());
                }
            }
        }
        (LetterKind::Pindah, p) => {
            put("tanggal_pindah", event.occurred_on.to_string());
            if let Some(Particulars::MoveOut(m)) = p {
                if let Some(a) = &m.address {
                    put("alamat_tujuan", a.to_string());
                }
                if let Some(k) = m.destination {
                    put(
                        "wilayah_tujuan",
                        crate::registry::particulars::region_label(db, k).await?,
                    );
                }
                if let Some(c) = m.classification(village) {
                    put("klasifikasi_pindah", c.label().to_string());
                }
                if let Some(reason) = m.reason {
                    put("alasan_pindah", reason.label().to_string());
                }
                if !m.movers.is_empty() {
                    put("pengikut", m.movers.len().to_string());
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn statement_for(
    p: &Prepared,
    village: balai_domain::KodeWilayah,
    number: &str,
    token: &str,
) -> Statement {
    Statement {
        village: village.plain(),
        number: number.to_string(),
        kind: p.kind.code().to_string(),
        issued_on: p.issued_on.to_string(),
        subject: p.resident.name.masked(),
        valid_until: p.valid_until.map(|d| d.to_string()),
        token: token.to_string(),
    }
}

/// The preview PDF: the real layout with a placeholder number and a seal that
/// verifies nothing (it is signed by a throwaway key).
pub async fn preview(
    db: &Db,
    clock: &dyn Clock,
    renderer: &Renderer,
    access: &VillageAccess,
    letter: &IssueLetter,
    public_url: &str,
) -> Result<Vec<u8>, ServiceError> {
    let mut p = prepare(db, clock, access, letter).await?;
    p.document.verify_url = format!("{public_url}/v/pratinjau");
    // Typeset like a real letter, but neither sealed in full nor signed:
    // its QR summary alone never verifies.
    let seal = VillageKeys::generate().seal_summary(statement_for(
        &p,
        access.village(),
        &p.document.number.clone(),
        "pratinjau",
    ));
    renderer
        .letter(
            access.village(),
            template_of(&p.profile),
            p.document.clone(),
            seal,
        )
        .await
        .map_err(|e| ServiceError::Invalid(format!("surat tidak dapat dibuat: {e}")))
}

/// Issues the letter: takes its number, signs, renders and stores it.
/// Returns the stored record. An operator issues letters signed a.n. by an
/// official; a letter signed by the village head is issued by the head (at
/// the desk the operator sends it with `requests::send_to_head`).
pub async fn issue(
    db: &Db,
    clock: &dyn Clock,
    renderer: &Renderer,
    access: &VillageAccess,
    letter: &IssueLetter,
    public_url: &str,
) -> Result<LetterRecord, ServiceError> {
    let store = db.store();
    // One signed a.n. by an official is issued by the operator at the desk.
    // A letter in the head's name is never issued here, not even by the
    // head: it goes to the head's queue (`requests::send_to_head`), where the
    // head reads the rendered letter and signs it, with the signing PIN when
    // the village has one (`requests::review`, `requests::act`). Issuing it
    // here would sign without the preview and around the PIN.
    if letter.signer.is_head() {
        return Err(ServiceError::Forbidden(
            "surat atas nama kepala desa ditandatangani kepala desa dari antrean tanda tangan: kirim ke kepala desa"
                .into(),
        ));
    }
    access.require_write()?;
    let ctx = access.context(clock);
    let letter = issue_in(
        db,
        clock,
        renderer,
        access.village(),
        &ctx,
        &letter.content,
        &letter.signer,
        public_url,
        None,
    )
    .await?;
    store
        .log_access(&ctx, access.village(), letter.resident_id, "surat")
        .await?;
    Ok(letter)
}

/// [`issue`] for a caller already authorised, optionally answering a
/// resident's request (which becomes ready when the letter is stored).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn issue_in(
    db: &Db,
    clock: &dyn Clock,
    renderer: &Renderer,
    village: balai_domain::KodeWilayah,
    ctx: &WriteContext,
    content: &LetterContent,
    signer: &LetterSigner,
    public_url: &str,
    request_id: Option<Uuid>,
) -> Result<LetterRecord, ServiceError> {
    let store = db.store();
    let p = prepare_in(db, clock, village, ctx, content, Some(signer)).await?;
    let format = NumberFormat::parse(&p.profile.number_format)
        .map_err(|e| ServiceError::Invalid(format!("format nomor surat desa salah: {e}")))?;
    let scope = SequenceScope::parse(&p.profile.sequence_scope).unwrap_or(SequenceScope::PerKind);
    let keys = keys_of(&p.profile)?;
    let signer = signing::document_signer(db, clock, ctx, village).await?;
    let signing_time = clock.now().unix_timestamp();
    let token = balai_letters::random_token();
    let new = NewLetter {
        id: crate::registry::events::new_row_id(clock),
        kind: p.kind.code().into(),
        counter: scope.counter(p.kind, p.issued_on.year()),
        resident_id: p.resident.id,
        issued_on: p.issued_on,
        valid_until: p.valid_until,
        token: token.clone(),
        signer: format!("{}, {}", p.document.signer.name, p.document.signer.title),
        request_id,
    };
    let job = IssueJob {
        store: store.clone(),
        renderer: renderer.clone(),
        ctx: ctx.clone(),
        village,
        new,
        format,
        keys,
        signer,
        signing_time,
        public_url: public_url.to_string(),
        prepared: p,
    };
    // Its own task: once a number is taken, the letter is stored or the
    // number voided even if the caller goes away (a closed browser tab, a
    // request timeout), so no number is left taken by nothing.
    tokio::spawn(job.run())
        .await
        .map_err(|e| ServiceError::Invalid(format!("surat tidak dapat dibuat: {e}")))?
}

/// A letter to number, typeset and store, owned so it can finish on its own.
struct IssueJob {
    store: Store,
    renderer: Renderer,
    ctx: WriteContext,
    village: balai_domain::KodeWilayah,
    new: NewLetter,
    format: NumberFormat,
    keys: VillageKeys,
    /// The village's document-signing key and certificate: used here, in
    /// the server, after the worker has typeset the letter.
    signer: balai_letters::DocumentSigner,
    signing_time: i64,
    public_url: String,
    prepared: Prepared,
}

impl IssueJob {
    /// Three steps, none slow while the database's write lock is held: take
    /// the number (a short transaction), typeset with no transaction open,
    /// store the letter (a second short transaction). A letter that cannot
    /// be made after its number was taken voids the number with the reason.
    async fn run(self) -> Result<LetterRecord, ServiceError> {
        let IssueJob {
            store,
            renderer,
            ctx,
            village,
            new,
            format,
            keys,
            signer,
            signing_time,
            public_url,
            prepared: p,
        } = self;
        let reserved = store
            .reserve_letter_number(&ctx, village, &new, |seq| {
                format.render(
                    u32::try_from(seq).unwrap_or(u32::MAX),
                    p.kind,
                    village,
                    p.issued_on,
                )
            })
            .await?;
        let number = reserved.number.clone();
        let mut doc = p.document.clone();
        doc.number = number.clone();
        doc.verify_url = format!("{public_url}/v/{}", new.token);
        let summary = keys.seal_summary(statement_for(&p, village, &number, &new.token));
        // The render step: a village's template in a worker process.
        let rendered = renderer
            .letter(
                village,
                template_of(&p.profile),
                doc.clone(),
                summary.clone(),
            )
            .await
            .map_err(|e| e.to_string())
            // Seal everything the typeset letter prints and sign the PDF, here
            // where the keys are (never where a template is typeset).
            .and_then(|pdf| {
                balai_letters::sign_letter(&pdf, &doc, &summary, &keys, &signer, signing_time)
                    .map_err(|e| e.to_string())
            });
        let signed = match rendered {
            Ok(signed) => signed,
            Err(e) => {
                let reason = format!("surat tidak dapat dibuat: {e}");
                void(&store, &ctx, village, &reserved, &reason).await?;
                return Err(ServiceError::Invalid(format!(
                    "{reason}. Nomor {number} dibatalkan dan tercatat di arsip surat."
                )));
            }
        };
        let sealed = Sealed {
            number,
            statement: signed.seal.statement.canonical_json(),
            signature: signed.seal.signature,
            pdf: signed.pdf,
        };
        match store
            .store_letter(&ctx, village, &new, &reserved, &sealed)
            .await
        {
            Ok(record) => Ok(record),
            Err(e) => {
                let reason = match &e {
                    StoreError::Conflict(m) => format!("surat tidak dapat disimpan: {m}"),
                    _ => "surat tidak dapat disimpan (kesalahan basis data)".to_string(),
                };
                void(&store, &ctx, village, &reserved, &reason).await?;
                Err(e.into())
            }
        }
    }
}

/// Voids a number whose letter could not be made, logging why.
async fn void(
    store: &Store,
    ctx: &WriteContext,
    village: balai_domain::KodeWilayah,
    reserved: &NumberReservation,
    reason: &str,
) -> Result<(), ServiceError> {
    tracing::warn!(village = %village.plain(), number = %reserved.number, reason, "letter number voided");
    store
        .void_letter_number(ctx, village, reserved, reason)
        .await?;
    Ok(())
}

/// How long a taken number may wait for its letter before a restarted
/// server calls it abandoned: far beyond a render's time limit.
pub const ABANDONED_AFTER: time::Duration = time::Duration::minutes(15);

/// Voids every number whose letter was still being made when a server
/// stopped (a crash or a power cut between taking the number and storing
/// the letter), with the reason, so the archive shows it as void instead of
/// "being made" forever and numbers never vanish without a trace. Run when
/// the server starts; numbers taken in the last [`ABANDONED_AFTER`] are
/// left alone (another server on the same database may be making them).
/// Returns how many were voided.
pub async fn void_abandoned_numbers(db: &Db, clock: &dyn Clock) -> Result<usize, ServiceError> {
    let store = db.store();
    let now = clock.now();
    let ctx = WriteContext::new("system:startup", now);
    let abandoned = store
        .abandoned_letter_numbers(now - ABANDONED_AFTER)
        .await?;
    let mut voided = 0;
    for (village, reserved) in &abandoned {
        match void(
            store,
            &ctx,
            *village,
            reserved,
            "server berhenti sebelum surat selesai dibuat; nomor dibatalkan saat server dinyalakan kembali",
        )
        .await
        {
            Ok(()) => voided += 1,
            // Issued or voided meanwhile by the server that was making it.
            Err(ServiceError::Store(StoreError::Conflict(_))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(voided)
}

/// A number taken for a letter that was not made, as the archive lists it.
#[derive(Debug, Clone, Serialize)]
pub struct VoidNumber {
    /// The printed number.
    pub number: String,
    /// The letter's title.
    pub title: String,
    /// `true` when void; `false` while its letter is still being made (or
    /// the server stopped before storing it).
    pub void: bool,
    /// Why it is void.
    pub reason: Option<String>,
    /// Who took it.
    pub by: String,
}

/// The village's taken numbers without a letter, newest first.
pub async fn void_numbers(
    db: &Db,
    access: &VillageAccess,
) -> Result<Vec<VoidNumber>, ServiceError> {
    let store = db.store();
    Ok(store
        .unissued_letter_numbers(access.village(), 200)
        .await?
        .into_iter()
        .map(|n| VoidNumber {
            title: LetterKind::parse(&n.kind)
                .map(|k| k.title().to_string())
                .unwrap_or(n.kind),
            number: n.number,
            void: n.status == balai_store::NumberStatus::Void,
            reason: n.reason,
            by: n.reserved_by,
        })
        .collect())
}

/// The village's letter archive, newest first, optionally searched (number
/// or subject's name); at most 100 letters.
pub async fn archive(
    db: &Db,
    access: &VillageAccess,
    query: &str,
) -> Result<Vec<LetterRecord>, ServiceError> {
    Ok(db
        .store()
        .letters(access.village(), Some(query), 100, 0)
        .await?)
}

/// One issued letter of the village and its subject (id and name): showing
/// the subject is a view of their data, so it is logged.
pub async fn letter(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(LetterRecord, Option<(Uuid, String)>), ServiceError> {
    let store = db.store();
    let l = store
        .letter(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let subject = store.resident(access.village(), l.resident_id).await?;
    if let Some(r) = &subject {
        store
            .log_access(
                &access.context(clock),
                access.village(),
                r.id,
                "arsip surat",
            )
            .await?;
    }
    Ok((l, subject.map(|r| (r.id, r.name.as_str().to_owned()))))
}

/// An issued letter's PDF exactly as issued (a reprint). The PDF carries the
/// subject's data, so handing it out is a logged view.
pub async fn letter_pdf(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(LetterRecord, Vec<u8>), ServiceError> {
    let store = db.store();
    let l = store
        .letter(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let bytes = store
        .letter_pdf(access.village(), l.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(
            &access.context(clock),
            access.village(),
            l.resident_id,
            "cetak ulang surat",
        )
        .await?;
    Ok((l, bytes))
}

/// Every village's public seal key (base64), for checking letters offline
/// against this installation's own records. Public keys only.
pub async fn village_public_keys(
    db: &Db,
) -> Result<Vec<(balai_domain::KodeWilayah, String)>, ServiceError> {
    Ok(db.store().village_public_keys().await?)
}

/// Revokes a letter; the reason is required and logged.
pub async fn revoke(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    reason: &RevocationReason,
) -> Result<(), ServiceError> {
    let store = db.store();
    access.require_write()?;
    let reason = reason.as_str();
    store
        .letter(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .revoke_letter(&access.context(clock), access.village(), id, reason)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::Invalid("surat ini sudah dicabut".into()),
            other => other.into(),
        })
}

/// Why a letter is revoked (kept with it in the archive): 5 to 500
/// characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationReason(String);

impl RevocationReason {
    /// Longest reason, in characters.
    pub const MAX_CHARS: usize = 500;

    /// Reads the `alasan` field.
    pub fn parse(reason: &str) -> Result<Self, FieldErrors> {
        let r = reason.trim();
        let mut e = FieldErrors::default();
        if r.chars().count() < 5 {
            e.add("alasan", "tulis alasan pencabutan (paling sedikit 5 huruf)");
        } else if r.chars().count() > Self::MAX_CHARS {
            e.add(
                "alasan",
                format!("alasan paling banyak {} huruf", Self::MAX_CHARS),
            );
        }
        if e.is_empty() {
            Ok(Self(r.to_string()))
        } else {
            Err(e)
        }
    }

    /// The reason.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the public verification page may show: nothing that identifies the resident.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verification {
    /// `sah`, `dicabut` or `kedaluwarsa`.
    pub status: &'static str,
    /// Letter title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Day of issue.
    pub issued_on: String,
    /// Last day of validity.
    pub valid_until: Option<String>,
    /// Issuing village.
    pub village: String,
    /// The subject's masked name, e.g. `B*** S*****`.
    pub subject: String,
    /// The day it was revoked. The reason stays on the staff side: it may
    /// name a resident.
    pub revoked_on: Option<String>,
}

/// Whether `token` could be a verification token (else no lookup is made).
pub(crate) fn plausible_token(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The summary of a stored statement: a v2 letter's sealed statement, or a
/// v1 letter's whole one.
fn stored_summary(json: &str) -> Result<Statement, ServiceError> {
    match LetterStatement::from_json(json) {
        Ok(full) => Ok(full.summary),
        Err(_) => serde_json::from_str(json).map_err(|e| ServiceError::Invalid(e.to_string())),
    }
}

/// Looks a letter up by its verification token; an unknown token is `None`
/// (the page then says the letter was not issued by any village here).
pub async fn verify_token(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
) -> Result<Option<Verification>, ServiceError> {
    let store = db.store();
    if !plausible_token(token) {
        return Ok(None);
    }
    let Some(l) = store.letter_by_token(token).await? else {
        return Ok(None);
    };
    let statement = stored_summary(&l.statement)?;
    let village = store
        .village(l.village)
        .await?
        .map(|v| {
            format!(
                "Desa {}, Kecamatan {}, {}",
                v.name, v.district_name, v.regency_name
            )
        })
        .unwrap_or_default();
    let status = if l.revoked.is_some() {
        "dicabut"
    } else if l.valid_until.is_some_and(|d| d < today(clock, l.village)) {
        "kedaluwarsa"
    } else {
        "sah"
    };
    Ok(Some(Verification {
        status,
        title: LetterKind::parse(&l.kind)
            .map(|k| k.title().to_string())
            .unwrap_or_default(),
        number: l.number,
        issued_on: long_date(l.issued_on),
        valid_until: l.valid_until.map(long_date),
        village,
        subject: statement.subject,
        revoked_on: l
            .revoked
            .map(|(at, _)| long_date(crate::registry::local_date(at, l.village))),
    }))
}
