//! Residents' letter requests, from the form at home or at the kiosk to the
//! letter in their hands: submit, check, send for signature, sign (which
//! numbers and issues the letter), hand over, or reject with a reason.

use crate::db::Db;
use std::collections::HashMap;

use balai_domain::letter_kind::{CommonPurpose, LetterKind};
use balai_domain::letter_request::{RequestAction, RequestChannel, RequestStatus};
pub use balai_store::LetterRequestRecord;
use balai_store::{NewLetterRequest, RequestTransition, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::command::{MAX_PURPOSE_CHARS, parse_extras, required_text};
use super::{
    LetterContent, LetterForm, LetterSigner, Renderer, SIGNER_UNDECIDED, issue_in, prepare_in,
};
use crate::clock::Clock;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::registry::today;
use crate::self_service::{ResidentSession, household};
use crate::staff::VillageAccess;

/// What a resident fills in to ask for a letter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    /// Letter kind code.
    pub jenis: String,
    /// Whom the letter is about: the resident or a member of their family (row id).
    pub subjek: String,
    /// What the letter is for, when typed.
    pub keperluan: String,
    /// What the letter is for, when picked from the kind's common purposes:
    /// a [`CommonPurpose`] code; empty or [`PURPOSE_TYPED`] for the typed one.
    pub keperluan_pilihan: String,
    /// The kind's extra fields.
    #[serde(flatten)]
    pub extras: HashMap<String, String>,
}

/// The `keperluan_pilihan` value of "another purpose, typed below".
pub const PURPOSE_TYPED: &str = "lain";

/// The purpose a request form gives: the chosen common purpose's sentence,
/// or the typed text under the purpose rule. Every problem goes under
/// `keperluan`, where the form shows the purpose.
fn request_purpose(
    e: &mut FieldErrors,
    kind: Option<LetterKind>,
    form: &RequestForm,
) -> Option<String> {
    match form.keperluan_pilihan.trim() {
        "" | PURPOSE_TYPED => {
            let purpose = required_text(
                e,
                "keperluan",
                &form.keperluan,
                MAX_PURPOSE_CHARS,
                "tulis keperluan surat ini, atau pilih salah satu dari daftar",
            );
            super::command::check_purpose_is_a_sentence(e, &form.keperluan);
            purpose
        }
        code => {
            let offered = CommonPurpose::parse(code)
                .filter(|p| kind.is_some_and(|k| k.common_purposes().contains(p)));
            match offered {
                Some(p) => Some(p.text().to_string()),
                None => {
                    e.add(
                        "keperluan",
                        "pilih keperluan dari daftar untuk surat ini, atau pilih «Lainnya» dan tulis sendiri",
                    );
                    None
                }
            }
        }
    }
}

/// A resident's request, checked: the kind, whom it is about (`None`: the
/// resident themself, the first of their household), the purpose and the
/// kind's extra fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLetter {
    /// The kind of letter.
    pub kind: LetterKind,
    /// The household member the letter is about (row id), if not the resident.
    pub subject: Option<Uuid>,
    /// What the letter is for.
    pub purpose: String,
    /// The kind's extra fields that were filled in (checked), by key.
    pub extras: std::collections::BTreeMap<&'static str, String>,
}

impl TryFrom<&RequestForm> for RequestLetter {
    type Error = ServiceError;
    /// A request may carry only its kind's own extra fields: anything else
    /// (`nik`, `penandatangan`, a stray name) is refused whole
    /// ([`ServiceError::Invalid`]); the rest are field errors.
    fn try_from(form: &RequestForm) -> Result<Self, ServiceError> {
        refuse_unknown_fields(form)?;
        let mut e = FieldErrors::default();
        let kind = LetterKind::parse(form.jenis.trim());
        if kind.is_none() {
            e.add("jenis", "pilih jenis surat");
        }
        let subject = match form.subjek.trim() {
            "" => None,
            s => match Uuid::parse_str(s) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("subjek", "pilih anggota keluarga");
                    None
                }
            },
        };
        let extras = kind.map(|k| parse_extras(&mut e, k, &form.extras));
        let purpose = request_purpose(&mut e, kind, form);
        match (kind, extras, purpose) {
            (Some(kind), Some(extras), Some(purpose)) if e.is_empty() => Ok(Self {
                kind,
                subject,
                purpose,
                extras,
            }),
            _ => Err(ServiceError::Form(e)),
        }
    }
}

impl TryFrom<RequestForm> for RequestLetter {
    type Error = ServiceError;
    fn try_from(form: RequestForm) -> Result<Self, ServiceError> {
        Self::try_from(&form)
    }
}

/// Who will sign a request's letter, chosen when it is sent for signature
/// (as posted, and as stored with the request).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SignerForm {
    /// `kades` (the head, in the app) or `an` (an official on the head's behalf).
    pub penandatangan: String,
    /// The official's name (a.n.).
    pub an_nama: String,
    /// The official's title (a.n.).
    pub an_jabatan: String,
}

impl TryFrom<&SignerForm> for LetterSigner {
    type Error = FieldErrors;
    fn try_from(f: &SignerForm) -> Result<Self, FieldErrors> {
        LetterSigner::parse(&f.penandatangan, &f.an_nama, &f.an_jabatan)
    }
}

impl TryFrom<SignerForm> for LetterSigner {
    type Error = FieldErrors;
    fn try_from(f: SignerForm) -> Result<Self, FieldErrors> {
        Self::try_from(&f)
    }
}

impl From<&LetterSigner> for SignerForm {
    fn from(s: &LetterSigner) -> Self {
        let (penandatangan, an_nama, an_jabatan) = s.to_fields();
        SignerForm {
            penandatangan,
            an_nama,
            an_jabatan,
        }
    }
}

/// The letter kinds a resident can ask for (a letter about a death is asked
/// for by the family, so it is offered too).
pub fn requestable_kinds() -> Vec<LetterKind> {
    LetterKind::ALL.to_vec()
}

/// Open requests a family may have at once: enough for any real need, and
/// a stop to a stolen PIN (or a stuck kiosk key) flooding the operator's queue.
pub const MAX_OPEN_PER_FAMILY: usize = 10;

/// The fields of [`LetterForm`] a resident never sets (the subject's NIK
/// comes from their family card; the signer is the office's choice).
const OFFICE_FIELDS: [&str; 8] = [
    "jenis",
    "nik",
    "keperluan",
    "keperluan_pilihan",
    "berlaku_hari",
    "penandatangan",
    "an_nama",
    "an_jabatan",
];

/// A request may carry only its kind's own extra fields: anything else
/// (`nik`, `penandatangan`, a stray name) is refused whole, nothing stored.
fn refuse_unknown_fields(form: &RequestForm) -> Result<(), ServiceError> {
    let kind = LetterKind::parse(&form.jenis);
    let mut unknown: Vec<&str> = form
        .extras
        .keys()
        .map(String::as_str)
        .filter(|k| {
            OFFICE_FIELDS.contains(k)
                || !kind.is_some_and(|kind| kind.extra_fields().iter().any(|f| f.key == *k))
        })
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    unknown.sort_unstable();
    let shown: Vec<String> = unknown
        .iter()
        .take(5)
        .map(|k| k.chars().take(40).collect())
        .collect();
    Err(ServiceError::Invalid(format!(
        "formulir memuat kolom yang tidak dikenal untuk surat ini: {}; muat ulang halaman lalu isi lagi",
        shown.join(", ")
    )))
}

/// Records a resident's request after checking it as the operator desk
/// would, so what reaches the operator is complete. Nothing is numbered yet.
/// The same letter for the same person still open is that request, not a
/// second one.
pub async fn submit(
    db: &Db,
    clock: &dyn Clock,
    session: &ResidentSession,
    request: &RequestLetter,
) -> Result<LetterRequestRecord, ServiceError> {
    Ok(submit_or_find(db, clock, session, request).await?.request)
}

/// What [`submit_or_find`] did.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The request: the new one, or the open one already asked for.
    pub request: LetterRequestRecord,
    /// True when `request` was already open (nothing was recorded), so the
    /// kiosk can say why the ticket carries an earlier number.
    pub already_open: bool,
}

/// [`submit`], telling a new request from the open one it found.
pub async fn submit_or_find(
    db: &Db,
    clock: &dyn Clock,
    session: &ResidentSession,
    request: &RequestLetter,
) -> Result<Submitted, ServiceError> {
    let store = db.store();
    let members = household(db, session).await?;
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    let requests = store.letter_requests_for(session.village, &ids, 50).await?;
    let open = requests.iter().filter(|r| !r.status.is_final()).count();
    let subject = match request.subject {
        Some(id) => members.iter().find(|m| m.id == id),
        None => members.first(),
    };
    let Some(subject) = subject else {
        let mut e = FieldErrors::default();
        e.add("subjek", "pilih anggota keluarga");
        return Err(ServiceError::Form(e));
    };
    // The same letter for the same person still open: that one, not a second.
    if let Some(first) = requests.iter().find(|r| {
        !r.status.is_final() && r.resident_id == subject.id && r.kind == request.kind.code()
    }) {
        return Ok(Submitted {
            request: first.clone(),
            already_open: true,
        });
    }
    if open >= MAX_OPEN_PER_FAMILY {
        let mut e = FieldErrors::default();
        e.add(
            "jenis",
            format!(
                "keluarga Anda masih punya {open} permohonan yang belum selesai; tunggu sampai ada yang selesai atau hubungi kantor desa"
            ),
        );
        return Err(ServiceError::Form(e));
    }
    let content = LetterContent {
        kind: request.kind,
        subject: subject.number,
        purpose: request.purpose.clone(),
        validity_days: None,
        extras: request.extras.clone(),
    };
    let ctx = session.context(clock);
    // The same checks as the desk: a wrong request is refused now, not by the operator later.
    let prepared = prepare_in(db, clock, session.village, &ctx, &content, None).await?;
    let stored = serde_json::to_string(&LetterForm::of(&content, None))
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let request = NewLetterRequest {
        id: crate::registry::events::new_row_id(clock),
        resident_id: prepared.resident.id,
        kind: prepared.kind.code().into(),
        form: stored,
        channel: session.channel,
        queue_day: (session.channel == RequestChannel::Kiosk)
            .then(|| today(clock, session.village)),
        status: RequestStatus::Diajukan,
        signer: None,
    };
    Ok(Submitted {
        request: store
            .create_letter_request(&ctx, session.village, &request)
            .await?,
        already_open: false,
    })
}

/// A letter the operator prepared at the desk with the village head as
/// signer: it waits in the head's queue, and is numbered and sealed only when
/// the head signs it. (A letter signed a.n. by an official is issued at the
/// desk at once.)
pub async fn send_to_head(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    content: &LetterContent,
) -> Result<LetterRequestRecord, ServiceError> {
    let store = db.store();
    access.require_write()?;
    let ctx = access.context(clock);
    let head = LetterSigner::Head;
    let prepared = prepare_in(db, clock, access.village(), &ctx, content, Some(&head)).await?;
    store
        .log_access(&ctx, access.village(), prepared.resident.id, "surat")
        .await?;
    let signer = SignerForm::from(&head);
    let form = LetterForm::of(content, Some(&head));
    let request = NewLetterRequest {
        id: crate::registry::events::new_row_id(clock),
        resident_id: prepared.resident.id,
        kind: prepared.kind.code().into(),
        form: serde_json::to_string(&form).map_err(|e| ServiceError::Invalid(e.to_string()))?,
        channel: RequestChannel::Desk,
        queue_day: None,
        status: RequestStatus::MenungguTtd,
        signer: Some(
            serde_json::to_string(&signer).map_err(|e| ServiceError::Invalid(e.to_string()))?,
        ),
    };
    Ok(store
        .create_letter_request(&ctx, access.village(), &request)
        .await?)
}

/// The requests of the resident and their family, newest first.
pub async fn mine(
    db: &Db,
    session: &ResidentSession,
) -> Result<Vec<LetterRequestRecord>, ServiceError> {
    let store = db.store();
    let ids: Vec<Uuid> = household(db, session).await?.iter().map(|m| m.id).collect();
    Ok(store.letter_requests_for(session.village, &ids, 50).await?)
}

/// One of the resident's (or their family's) requests.
pub async fn mine_one(
    db: &Db,
    session: &ResidentSession,
    id: Uuid,
) -> Result<LetterRequestRecord, ServiceError> {
    let store = db.store();
    let members = household(db, session).await?;
    store
        .letter_request(session.village, id)
        .await?
        .filter(|r| members.iter().any(|m| m.id == r.resident_id))
        .ok_or(ServiceError::NotFound)
}

/// The signed PDF of the resident's request, if the village lets residents
/// download letters and the letter is issued and not revoked.
pub async fn download(
    db: &Db,
    session: &ResidentSession,
    id: Uuid,
) -> Result<Vec<u8>, ServiceError> {
    let store = db.store();
    let r = mine_one(db, session, id).await?;
    let allowed = store
        .village_profile(session.village)
        .await?
        .is_some_and(|p| p.allow_download);
    let Some(letter_id) = r.letter_id.filter(|_| allowed) else {
        return Err(ServiceError::NotFound);
    };
    let letter = store
        .letter(session.village, letter_id)
        .await?
        .filter(|l| l.revoked.is_none())
        .ok_or(ServiceError::NotFound)?;
    store
        .letter_pdf(session.village, letter.id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Whether residents of the village may download their letters.
pub async fn downloads_allowed(db: &Db, session: &ResidentSession) -> Result<bool, ServiceError> {
    let store = db.store();
    Ok(store
        .village_profile(session.village)
        .await?
        .is_some_and(|p| p.allow_download))
}

/// The village's open requests (or those in `statuses`), oldest first.
pub async fn queue(
    db: &Db,
    access: &VillageAccess,
    statuses: &[RequestStatus],
) -> Result<Vec<LetterRequestRecord>, ServiceError> {
    let store = db.store();
    let statuses: Vec<RequestStatus> = if statuses.is_empty() {
        RequestStatus::ALL
            .into_iter()
            .filter(|s| !s.is_final())
            .collect()
    } else {
        statuses.to_vec()
    };
    Ok(store
        .letter_requests(access.village(), &statuses, 500)
        .await?)
}

/// One request of the village; the staff member sees its subject's data, so it is logged.
pub async fn one(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<LetterRequestRecord, ServiceError> {
    let store = db.store();
    let r = store
        .letter_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store
        .log_access(
            &access.context(clock),
            access.village(),
            r.resident_id,
            "permohonan surat",
        )
        .await?;
    Ok(r)
}

/// A stored request's letter, read back typed: its content and its signer
/// (`None` until the office chooses one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedLetter {
    /// What the letter says.
    pub content: LetterContent,
    /// Who signs it, once chosen.
    pub signer: Option<LetterSigner>,
}

/// The request's letter as the resident filled it, with the signer if
/// chosen. A stored form that no longer reads (a kind's fields changed
/// since) is reported under its fields, as the desk would.
pub fn requested_letter(r: &LetterRequestRecord) -> Result<RequestedLetter, ServiceError> {
    let form = letter_form(r)?;
    let content = LetterContent::parse(&form)?;
    let signer = match form.penandatangan.as_str() {
        SIGNER_UNDECIDED => None,
        _ => Some(LetterSigner::parse(
            &form.penandatangan,
            &form.an_nama,
            &form.an_jabatan,
        )?),
    };
    Ok(RequestedLetter { content, signer })
}

/// The request's stored form text, with the signer if chosen.
fn letter_form(r: &LetterRequestRecord) -> Result<LetterForm, ServiceError> {
    let mut form = read_stored_form(&r.form)?;
    if let Some(s) = &r.signer {
        let s: SignerForm = serde_json::from_str(s)
            .map_err(|e| ServiceError::Invalid(format!("penandatangan rusak: {e}")))?;
        form.penandatangan = s.penandatangan;
        form.an_nama = s.an_nama;
        form.an_jabatan = s.an_jabatan;
    }
    Ok(form)
}

/// Reads a stored request form. Requests stored before unknown fields were
/// refused may hold a key twice (`"penandatangan"` as a field and again
/// among the extras): the first occurrence — the field as the service wrote
/// it — wins, so a resident's extra `nik` or `penandatangan` is never
/// taken, and the request still opens.
fn read_stored_form(json: &str) -> Result<LetterForm, ServiceError> {
    let bad = |e: serde_json::Error| ServiceError::Invalid(format!("permohonan rusak: {e}"));
    let FirstWins(map) = serde_json::from_str(json).map_err(bad)?;
    serde_json::from_value(serde_json::Value::Object(map)).map_err(bad)
}

/// A JSON object read keeping the first value of a repeated key.
struct FirstWins(serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for FirstWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FirstWins;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<FirstWins, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some((k, v)) = m.next_entry::<String, serde_json::Value>()? {
                    out.entry(k).or_insert(v);
                }
                Ok(FirstWins(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Whether this staff member may take `action` on `r`: operators run the
/// desk; the head signs what was sent to them in person; a letter signed
/// a.n. is signed by the official at the desk, so the operator records it.
pub fn may_act(access: &VillageAccess, r: &LetterRequestRecord, action: RequestAction) -> bool {
    let signer_is_head = r
        .signer
        .as_deref()
        .and_then(|s| serde_json::from_str::<SignerForm>(s).ok())
        .and_then(|s| LetterSigner::try_from(s).ok())
        .is_some_and(|s| s.is_head());
    match action {
        RequestAction::Check | RequestAction::SendForSignature | RequestAction::HandOver => {
            access.can_write()
        }
        RequestAction::Sign => {
            if signer_is_head {
                access.can_sign()
            } else {
                access.can_write()
            }
        }
        RequestAction::Reject => access.can_write() || access.can_sign(),
    }
}

/// Longest reason for rejecting a request, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What a staff member does to a request, with what that step needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Checked: the data is complete.
    Check,
    /// Sent for signature by this signer.
    SendForSignature(LetterSigner),
    /// Signed: the letter is numbered, sealed and issued.
    Sign,
    /// Signed by a head who set a signing PIN, with the PIN typed.
    SignWithPin(crate::self_service::pin::Pin),
    /// Handed to the resident.
    HandOver,
    /// Rejected, with the reason the resident is shown.
    Reject(String),
}

impl Step {
    /// The step of `action`; `fields` reads a posted field (the signer's
    /// when sending for signature, `alasan` when rejecting). A missing
    /// signer or a short or overlong reason is a field error.
    pub fn parse<'a>(
        action: RequestAction,
        fields: impl Fn(&str) -> &'a str,
    ) -> Result<Self, FieldErrors> {
        Ok(match action {
            RequestAction::Check => Step::Check,
            RequestAction::Sign => match fields("pin").trim() {
                "" => Step::Sign,
                typed => Step::SignWithPin(crate::self_service::pin::Pin::parse(typed).map_err(
                    |_| {
                        let mut e = FieldErrors::default();
                        e.add("pin", "PIN tanda tangan terdiri dari 6 angka");
                        e
                    },
                )?),
            },
            RequestAction::HandOver => Step::HandOver,
            RequestAction::SendForSignature => Step::SendForSignature(LetterSigner::parse(
                fields("penandatangan"),
                fields("an_nama"),
                fields("an_jabatan"),
            )?),
            RequestAction::Reject => {
                let reason = fields("alasan").trim();
                let mut e = FieldErrors::default();
                if reason.chars().count() < 5 {
                    e.add(
                        "alasan",
                        "tulis alasan penolakan untuk pemohon (paling sedikit 5 huruf)",
                    );
                } else if reason.chars().count() > MAX_REASON_CHARS {
                    e.add(
                        "alasan",
                        format!("alasan paling banyak {MAX_REASON_CHARS} huruf"),
                    );
                }
                if !e.is_empty() {
                    return Err(e);
                }
                Step::Reject(reason.to_string())
            }
        })
    }

    /// The action this step takes.
    pub fn action(&self) -> RequestAction {
        match self {
            Step::Check => RequestAction::Check,
            Step::SendForSignature(_) => RequestAction::SendForSignature,
            Step::Sign | Step::SignWithPin(_) => RequestAction::Sign,
            Step::HandOver => RequestAction::HandOver,
            Step::Reject(_) => RequestAction::Reject,
        }
    }
}

/// Takes a step on request `id`. Signing issues the numbered, sealed letter
/// and makes the request ready in the transaction that stores it.
pub async fn act(
    db: &Db,
    clock: &dyn Clock,
    renderer: &Renderer,
    access: &VillageAccess,
    id: Uuid,
    step: &Step,
    public_url: &str,
) -> Result<LetterRequestRecord, ServiceError> {
    let store = db.store();
    let action = step.action();
    let r = store
        .letter_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_act(access, &r, action) {
        return Err(ServiceError::Forbidden(match action {
            RequestAction::Sign => "surat ini menunggu tanda tangan kepala desa".into(),
            _ => "hanya operator desa ini yang dapat memproses permohonan".into(),
        }));
    }
    let to = r
        .status
        .apply(action)
        .map_err(|e| ServiceError::Invalid(e.to_string()))?;
    let ctx = access.context(clock);
    let conflict = |e: StoreError| match e {
        StoreError::Conflict(_) => {
            ServiceError::Invalid("permohonan ini baru saja diproses orang lain; muat ulang".into())
        }
        other => other.into(),
    };
    // What the move records beyond the new status.
    let (reason, signer_json) = match step {
        Step::Sign | Step::SignWithPin(_) => {
            if access.can_sign() {
                let pin = match step {
                    Step::SignWithPin(p) => Some(p),
                    _ => None,
                };
                check_head_signing(db, clock, access, &r, pin).await?;
            }
            // The letter's own transaction moves the request to ready.
            let letter = requested_letter(&r)?;
            let Some(signer) = letter.signer else {
                return Err(ServiceError::Invalid(
                    "pilih dulu siapa yang menandatangani surat ini".into(),
                ));
            };
            issue_in(
                db,
                clock,
                renderer,
                access.village(),
                &ctx,
                &letter.content,
                &signer,
                public_url,
                Some(r.id),
            )
            .await
            .map_err(|e| match e {
                ServiceError::Store(s) => conflict(s),
                other => other,
            })?;
            return store
                .letter_request(access.village(), id)
                .await?
                .ok_or(ServiceError::NotFound);
        }
        Step::SendForSignature(signer) => {
            let letter = requested_letter(&r)?;
            // The letter must still be issuable (the resident may have died or
            // moved since) and the signer complete: checked now, not at signing.
            prepare_in(
                db,
                clock,
                access.village(),
                &ctx,
                &letter.content,
                Some(signer),
            )
            .await?;
            let json = serde_json::to_string(&SignerForm::from(signer))
                .map_err(|e| ServiceError::Invalid(e.to_string()))?;
            (None, Some(json))
        }
        Step::Reject(reason) => (Some(reason.as_str()), None),
        Step::Check | Step::HandOver => (None, None),
    };
    store
        .move_letter_request(
            &ctx,
            access.village(),
            id,
            &RequestTransition {
                from: r.status,
                to,
                reason,
                signer: signer_json.as_deref(),
            },
        )
        .await
        .map_err(conflict)?;
    store
        .letter_request(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Before the head signs: they opened the letter's preview since the
/// request last changed, and typed their signing PIN if they set one
/// (throttled per head; a wrong PIN never signs). Checked here, in the
/// service, whatever the page showed.
async fn check_head_signing(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    r: &LetterRequestRecord,
    pin: Option<&crate::self_service::pin::Pin>,
) -> Result<(), ServiceError> {
    let store = db.store();
    let account = access.staff().account_id;
    let reviewed = store
        .signing_review(access.village(), r.id, account)
        .await?
        .is_some_and(|at| at >= r.updated_at);
    if !reviewed {
        return Err(ServiceError::Forbidden(
            "buka dan periksa pratinjau surat ini sebelum menandatanganinya".into(),
        ));
    }
    let Some(hash) = store.signing_pin(access.village(), account).await? else {
        return Ok(());
    };
    let keys = crate::login_throttle::Keys::signing_pin(account);
    let now = clock.now();
    if crate::login_throttle::locked(db, &keys, now)
        .await?
        .is_some()
    {
        return Err(ServiceError::Forbidden(
            "terlalu banyak PIN salah; coba lagi nanti".into(),
        ));
    }
    if pin.is_some_and(|p| crate::passwords::verify(p.expose(), &hash)) {
        crate::login_throttle::succeeded(db, &keys, now).await?;
        Ok(())
    } else {
        crate::login_throttle::failed(db, &keys, now).await?;
        let mut e = FieldErrors::default();
        e.add("pin", "PIN tanda tangan salah");
        Err(ServiceError::Form(e))
    }
}

/// The letter of a request as it will be printed, for the signer to read
/// before signing (the preview's text). When the head opens it, that is
/// noted: signing needs it.
pub async fn review(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(LetterRequestRecord, balai_letters::LetterDocument), ServiceError> {
    let r = one(db, clock, access, id).await?;
    let letter = requested_letter(&r)?;
    let letter = super::IssueLetter {
        content: letter.content,
        signer: letter.signer.unwrap_or(LetterSigner::Head),
    };
    let p = super::prepare(db, clock, access, &letter).await?;
    note_preview(db, clock, access, id).await?;
    Ok((r, p.document))
}

/// Notes that the head opened request `id`'s preview (the PDF or its text).
pub async fn note_preview(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(), ServiceError> {
    if access.can_sign() {
        db.store()
            .note_signing_review(access.village(), id, access.staff().account_id, clock.now())
            .await?;
    }
    Ok(())
}

/// Whether the signer asking has set a signing PIN.
pub async fn has_signing_pin(db: &Db, access: &VillageAccess) -> Result<bool, ServiceError> {
    Ok(db
        .store()
        .signing_pin(access.village(), access.staff().account_id)
        .await?
        .is_some())
}

/// Sets (or with `None` removes) the head's own signing PIN (argon2id).
pub async fn set_signing_pin(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    pin: Option<&crate::self_service::pin::Pin>,
) -> Result<(), ServiceError> {
    if !access.can_sign() {
        return Err(ServiceError::NotFound);
    }
    let hash = pin
        .map(|p| crate::passwords::hash(p.expose()))
        .transpose()?;
    db.store()
        .set_signing_pin(
            &access.context(clock),
            access.village(),
            access.staff().account_id,
            hash.as_deref(),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_domain::letter_kind::FieldKind;

    /// A request for `kind` with every required extra field filled.
    fn form(kind: LetterKind) -> RequestForm {
        RequestForm {
            jenis: kind.code().into(),
            extras: kind
                .extra_fields()
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    let v = match f.kind {
                        FieldKind::Text => "Dusun Krajan",
                        FieldKind::Date => "2026-11-01",
                        FieldKind::Number => "1000000",
                        FieldKind::Choice(options) => options[0].code,
                    };
                    (f.key.to_string(), v.to_string())
                })
                .collect(),
            ..Default::default()
        }
    }

    fn purpose_error(f: &RequestForm) -> String {
        match RequestLetter::try_from(f) {
            Err(ServiceError::Form(e)) => e.0.get("keperluan").cloned().unwrap_or_default(),
            other => panic!("expected a purpose error, got {other:?}"),
        }
    }

    #[test]
    fn every_offered_purpose_is_printed_as_a_sentence_that_passes_the_purpose_rule() {
        for kind in LetterKind::ALL {
            assert!(!kind.common_purposes().is_empty(), "{kind:?}");
            for p in kind.common_purposes() {
                let mut f = form(kind);
                f.keperluan_pilihan = p.code().into();
                let r =
                    RequestLetter::try_from(&f).unwrap_or_else(|e| panic!("{kind:?} {p:?}: {e}"));
                assert_eq!(r.purpose, p.text());
                // The same sentence typed passes the rule a typed purpose meets.
                let mut e = FieldErrors::default();
                super::super::command::check_purpose_is_a_sentence(&mut e, p.text());
                assert!(e.is_empty(), "{p:?}: {e}");
            }
        }
    }

    #[test]
    fn a_purpose_choice_not_offered_for_the_kind_or_unknown_is_refused_under_the_purpose() {
        for choice in ["warisan", "apa-saja", "Persyaratan melamar pekerjaan"] {
            let mut f = form(LetterKind::PengantarKtp);
            f.keperluan_pilihan = choice.into();
            assert!(purpose_error(&f).contains("pilih keperluan"), "{choice}");
        }
    }

    #[test]
    fn a_typed_purpose_still_needs_a_sentence_and_the_choice_wins_over_stray_text() {
        let mut f = form(LetterKind::PengantarKtp);
        f.keperluan_pilihan = PURPOSE_TYPED.into();
        assert!(purpose_error(&f).contains("tulis keperluan"));
        f.keperluan = "ktp".into();
        assert!(purpose_error(&f).contains("dua kata"));
        f.keperluan = "Ganti KTP yang rusak".into();
        assert_eq!(
            RequestLetter::try_from(&f).unwrap().purpose,
            "Ganti KTP yang rusak"
        );
        // Without JavaScript the text box stays on the page: a picked
        // purpose is what was chosen, whatever was left in the box.
        f.keperluan_pilihan = "ktp-el".into();
        assert_eq!(
            RequestLetter::try_from(&f).unwrap().purpose,
            CommonPurpose::KtpEl.text()
        );
        // No choice at all reads the text box (the form without buttons).
        f.keperluan_pilihan.clear();
        assert_eq!(
            RequestLetter::try_from(&f).unwrap().purpose,
            "Ganti KTP yang rusak"
        );
    }

    #[test]
    fn an_application_kind_is_one_of_the_choices_stored_as_its_code() {
        let mut f = form(LetterKind::PengantarKk);
        f.keperluan_pilihan = "kartu-keluarga".into();
        f.extras
            .insert("jenis_permohonan".into(), " Perpanjangan ".into());
        let r = RequestLetter::try_from(&f).unwrap();
        assert_eq!(r.extras["jenis_permohonan"], "perpanjangan");
        f.extras
            .insert("jenis_permohonan".into(), "perpanjang KTP lama".into());
        match RequestLetter::try_from(&f) {
            Err(ServiceError::Form(e)) => {
                assert!(e.0["jenis_permohonan"].contains("pilih"), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }
}
