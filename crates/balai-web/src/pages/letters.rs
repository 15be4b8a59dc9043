//! The operator's letter desk: archive, new letter (form, preview, issue),
//! the letter's page with its PDF, and revocation.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::letter_kind::{FieldKind, LetterKind};
use balai_services::ServiceError;
use balai_services::letters::{self, IssueLetter, LetterForm};
use balai_services::registry::field_errors::FieldErrors;
use serde_json::{Value, json};

use super::letter_fields::Surface;
use super::{id, pdf_response, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

type Q = Query<std::collections::HashMap<String, String>>;

fn kinds() -> Value {
    Value::Array(
        LetterKind::ALL
            .iter()
            .map(|k| {
                json!({ "code": k.code(), "title": k.title(), "fields": k.extra_fields().iter().map(|f| json!({
                    "key": f.key, "label": f.label, "required": f.required,
                    "type": match f.kind { FieldKind::Text => "text", FieldKind::Date => "date", FieldKind::Number => "number", FieldKind::Choice(_) => "choice" } })).collect::<Vec<_>>() })
            })
            .collect(),
    )
}

/// `GET /staf/desa/{kode}/surat`: the archive, searchable by number or kind.
pub(crate) async fn archive(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let query = q.get("q").map(String::as_str).unwrap_or("");
    let list = letters::archive(&state.db, &access, query).await?;
    let rows: Vec<Value> = list
        .iter()
        .map(|l| json!({ "id": l.id.to_string(), "number": l.number, "kind": LetterKind::parse(&l.kind).map(|k| k.title()).unwrap_or(""),
            "issued_on": l.issued_on.to_string(), "signer": l.signer, "revoked": l.revoked.is_some() }))
        .collect();
    // Numbers taken for letters that could not be made stay on record.
    let unissued = letters::void_numbers(&state.db, &access).await?;
    render(
        &state,
        &current,
        "letters.html",
        json!({ "village": village_context(&state, &access).await?, "letters": rows, "unissued": unissued, "q": query, "kinds": kinds() }),
    )
}

async fn form_page(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
    form: &LetterForm,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let access = village_access(state, current, kode).await?;
    access.require_write()?;
    let kind = LetterKind::parse(&form.jenis);
    let fields: Vec<Value> = kind
        .map(|k| {
            k.extra_fields()
                .iter()
                .map(|f| {
                    let value = form.extras.get(f.key).map_or("", String::as_str);
                    super::letter_fields::field_json(
                        state,
                        current.lang,
                        f,
                        value,
                        Surface::Browser,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let head = letters::village_head(&state.db, access.village()).await?;
    let signers =
        balai_services::officials::signer_choices(&state.db, state.clock.as_ref(), &access).await?;
    // Whom the letter is for, as soon as the NIK is typed (the view is logged).
    let subject = match balai_domain::ResidentNumber::parse(form.nik.trim()) {
        Err(_) => Value::Null,
        Ok(number) => {
            match letters::subject(&state.db, state.clock.as_ref(), &access, &number).await {
                Ok(s) => {
                    let r = &s.resident;
                    json!({
                        "name": r.name.as_str(), "sex": r.sex.label(), "birth_place": r.birth_place,
                        "birth_date": r.birth_date.to_string(), "status": r.status.label(),
                        "living": r.status == balai_domain::codes::StatusDasar::Hidup,
                        "no_kk": s.family.as_ref().map(|(k, _)| k.to_string()),
                        "address": s.family.as_ref().map(|(_, a)| a.clone()),
                    })
                }
                Err(ServiceError::NotFound) => json!({ "missing": true }),
                Err(e) => return Err(e.into()),
            }
        }
    };
    render(
        state,
        current,
        "letter_form.html",
        json!({ "village": village_context(state, &access).await?, "kinds": kinds(), "kind": kind.map(|k| k.title()), "fields": fields,
            // Death and move-out letters print the recorded event.
            "from_record": matches!(kind, Some(LetterKind::Kematian | LetterKind::Pindah)),
            "form": { "jenis": form.jenis, "nik": form.nik, "keperluan": form.keperluan, "berlaku_hari": form.berlaku_hari,
                      "penandatangan": form.penandatangan, "an_nama": form.an_nama, "an_jabatan": form.an_jabatan },
            "head": { "name": head.name, "title": head.title }, "errors": errors, "subject": subject, "signers": signers }),
    )
}

/// `GET /staf/desa/{kode}/surat/baru?jenis=&nik=`: pick the kind, type the NIK, fill the extras.
pub(crate) async fn new_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Q,
) -> Result<Html<String>, AppError> {
    let form = LetterForm {
        jenis: q.get("jenis").cloned().unwrap_or_default(),
        nik: q.get("nik").cloned().unwrap_or_default(),
        ..Default::default()
    };
    form_page(&state, &current, &kode, &form, FieldErrors::default()).await
}

/// `POST /staf/desa/{kode}/surat/baru`: `aksi=pratinjau` shows the PDF, anything else issues it.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: LetterForm = form.parse()?;
    // "Cek NIK": the form again, with whom it is for; nothing is numbered.
    if form.get("aksi") == "cek" {
        return Ok(
            form_page(&state, &current, &kode, &input, FieldErrors::default())
                .await?
                .into_response(),
        );
    }
    // Parsed here, at the edge: the services take only the typed letter.
    let outcome = match IssueLetter::try_from(&input) {
        Err(errors) => Err(ServiceError::Form(errors)),
        Ok(letter) => issue_or_preview(&state, &access, &letter, form.get("aksi")).await,
    };
    match outcome {
        Ok(r) => Ok(r),
        Err(ServiceError::Form(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, &current, &kode, &input, errors).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `aksi=pratinjau` previews; otherwise a letter the head signs goes to the
/// head's queue (unless the head is at the desk), one signed a.n. is issued.
async fn issue_or_preview(
    state: &AppState,
    access: &balai_services::staff::VillageAccess,
    letter: &IssueLetter,
    aksi: &str,
) -> Result<Response, ServiceError> {
    if aksi == "pratinjau" {
        letters::preview(
            &state.db,
            state.clock.as_ref(),
            &state.renderer,
            access,
            letter,
            &state.public_url,
        )
        .await
        .map(|pdf| pdf_response(pdf, "pratinjau.pdf", true))
    } else if letter.signer.is_head() {
        // The head signs letters in their own name: to the head's queue.
        letters::requests::send_to_head(&state.db, state.clock.as_ref(), access, &letter.content)
            .await
            .map(|r| {
                Redirect::to(&format!(
                    "/staf/desa/{}/permohonan/{}",
                    access.village().plain(),
                    r.id
                ))
                .into_response()
            })
    } else {
        letters::issue(
            &state.db,
            state.clock.as_ref(),
            &state.renderer,
            access,
            letter,
            &state.public_url,
        )
        .await
        .map(|l| {
            Redirect::to(&format!(
                "/staf/desa/{}/surat/{}",
                access.village().plain(),
                l.id
            ))
            .into_response()
        })
    }
}

/// `GET /staf/desa/{kode}/surat/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, lid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let (l, resident) =
        letters::letter(&state.db, state.clock.as_ref(), &access, id(&lid)?).await?;
    render(
        &state,
        &current,
        "letter.html",
        json!({ "village": village_context(&state, &access).await?, "letter": {
            "id": l.id.to_string(), "number": l.number, "title": LetterKind::parse(&l.kind).map(|k| k.title()).unwrap_or(""),
            "issued_on": l.issued_on.to_string(), "valid_until": l.valid_until.map(|d| d.to_string()), "signer": l.signer, "issued_by": l.issued_by,
            "resident": resident.map(|(rid, name)| json!({ "id": rid.to_string(), "name": name })), "verify": format!("/v/{}", l.token),
            "revoked": l.revoked.map(|(at, reason)| json!({ "at": at.to_string(), "reason": reason })) }, "errors": {} }),
    )
}

/// `GET /staf/desa/{kode}/surat/{id}/pdf`: the PDF exactly as issued (a reprint).
pub(crate) async fn pdf(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, lid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let (l, bytes) =
        letters::letter_pdf(&state.db, state.clock.as_ref(), &access, id(&lid)?).await?;
    let name = format!("surat-{}.pdf", l.number.replace(['/', ' '], "-"));
    Ok(pdf_response(bytes, &name, true))
}

/// `POST /staf/desa/{kode}/surat/{id}/cabut`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Path((kode, lid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let lid = id(&lid)?;
    // Parsed here, at the edge: the service takes only the typed reason.
    let outcome = match letters::RevocationReason::parse(form.get("alasan")) {
        Ok(reason) => letters::revoke(&state.db, state.clock.as_ref(), &access, lid, &reason).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match outcome {
        Ok(()) | Err(ServiceError::Invalid(_)) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/surat/{lid}",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(e)) => Err(AppError::BadRequest(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// `GET /v/{token}`: the public verification page (masked data only).
pub(crate) async fn verify(
    State(state): State<AppState>,
    crate::session::RequestLang(lang): crate::session::RequestLang,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = letters::verify_token(&state.db, state.clock.as_ref(), &token).await?;
    super::verify_check::page(&state, lang, &token, found, None)
}
