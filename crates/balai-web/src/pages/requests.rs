//! The staff side of residents' letter requests: the village's queue, one
//! request with its data, a preview of its letter, and the next step
//! (check, send for signature, sign, hand over, reject).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::letter_kind::LetterKind;
use balai_domain::letter_request::{RequestAction, RequestStatus};
use balai_services::ServiceError;
use balai_services::letters::requests::LetterRequestRecord;
use balai_services::letters::requests::{self, Step};
use balai_services::letters::{self, IssueLetter, LetterSigner};
use balai_services::staff::VillageAccess;
use serde_json::{Value, json};

use super::{id, pdf_response, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

fn local_date(r: &LetterRequestRecord) -> String {
    balai_services::registry::local_date(r.created_at, r.village).to_string()
}

fn channel_label(r: &LetterRequestRecord) -> &'static str {
    r.channel.label()
}

fn row(r: &LetterRequestRecord) -> Value {
    json!({ "id": r.id.to_string(), "created": local_date(r), "title": LetterKind::parse(&r.kind).map(|k| k.title()).unwrap_or(""),
        "subject": r.resident_name.as_str(), "channel": channel_label(r), "queue": r.queue.map(|(_, n)| super::queue_ticket(n)),
        "status": r.status.code(), "status_label": r.status.label() })
}

/// `GET /staf/desa/{kode}/permohonan?status=`: the queue, oldest first.
pub(crate) async fn queue(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let status = q.get("status").and_then(|s| RequestStatus::parse(s));
    let list = requests::queue(&state.db, &access, status.as_slice()).await?;
    let statuses: Vec<Value> = RequestStatus::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "label": s.label() }))
        .collect();
    render(
        &state,
        &current,
        "requests.html",
        json!({ "village": village_context(&state, &access).await?, "requests": list.iter().map(row).collect::<Vec<_>>(),
            "statuses": statuses, "current_status": status.map(|s| s.code()) }),
    )
}

async fn show_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    rid: uuid::Uuid,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let r = requests::one(&state.db, state.clock.as_ref(), access, rid).await?;
    let letter = requests::requested_letter(&r)?;
    let kind = Some(letter.content.kind);
    let extras: Vec<Value> = letter
        .content
        .kind
        .extra_fields()
        .iter()
        .filter_map(|f| {
            letter
                .content
                .extras
                .get(f.key)
                .map(|v| json!({ "label": f.label, "value": v }))
        })
        .collect();
    let signer = r
        .signer
        .as_ref()
        .and(letter.signer.as_ref())
        .map(|s| match s {
            LetterSigner::OnBehalf { name, title } => {
                format!("a.n. Kepala Desa: {name}, {title}")
            }
            LetterSigner::Head => "Kepala Desa".to_string(),
            LetterSigner::Official(_) => String::new(),
        });
    // A recorded official: named as the letter will name them.
    let signer = match (&signer, letter.signer.as_ref()) {
        (Some(_), Some(LetterSigner::Official(oid))) => {
            match balai_services::officials::one(&state.db, access, *oid).await {
                Ok(o) => Some(format!(
                    "{} — {}: {}",
                    o.appointment.authority().map_or("", |a| match a {
                        balai_domain::official::Authority::ByOrder =>
                            "u.b. Sekretaris Desa, a.n. Kepala Desa",
                        _ => "a.n. Kepala Desa",
                    }),
                    o.appointment.title(),
                    o.appointment.name
                )),
                Err(ServiceError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => signer,
    };
    let signers =
        balai_services::officials::signer_choices(&state.db, state.clock.as_ref(), access).await?;
    let actions: Vec<Value> = r
        .status
        .next_actions()
        .into_iter()
        .filter(|a| requests::may_act(access, &r, *a))
        .map(|a| json!({ "code": a.code(), "label": a.label() }))
        .collect();
    let waiting_for_head = r.status == RequestStatus::MenungguTtd
        && !requests::may_act(access, &r, RequestAction::Sign);
    let head = letters::village_head(&state.db, access.village()).await?;
    render(
        state,
        current,
        "request.html",
        json!({ "village": village_context(state, access).await?, "request": {
            "id": r.id.to_string(), "title": kind.map(|k| k.title()).unwrap_or(""), "status": r.status.code(), "status_label": r.status.label(),
            "channel": channel_label(&r), "queue": r.queue.map(|(_, n)| super::queue_ticket(n)), "resident_id": r.resident_id.to_string(),
            "subject": r.resident_name.as_str(), "number": r.resident_number.to_string(), "purpose": letter.content.purpose, "extras": extras,
            "signer": signer, "reason": r.reason, "created": local_date(&r), "letter_id": r.letter_id.map(|l| l.to_string()) },
            "actions": actions, "waiting_for_head": waiting_for_head, "error": error, "signers": signers, "head_reviews": access.can_sign(),
            "head": { "name": head.name, "title": head.title } }),
    )
}

/// `GET /staf/desa/{kode}/permohonan/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    show_page(&state, &current, &access, id(&rid)?, None).await
}

/// `GET /staf/desa/{kode}/permohonan/{id}/pratinjau`: the letter as it will
/// be printed, with a placeholder number and a seal that verifies nothing.
pub(crate) async fn preview(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let r = requests::one(&state.db, state.clock.as_ref(), &access, id(&rid)?).await?;
    let letter = requests::requested_letter(&r)?;
    // Not chosen yet: previewed as the head would sign it.
    let letter = IssueLetter {
        content: letter.content,
        signer: letter.signer.unwrap_or(LetterSigner::Head),
    };
    let pdf = match letters::preview(
        &state.db,
        state.clock.as_ref(),
        &state.renderer,
        &access,
        &letter,
        &state.public_url,
    )
    .await
    {
        Ok(pdf) => pdf,
        Err(ServiceError::Form(e)) => return Err(AppError::BadRequest(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    // The head has now seen the letter as it will be printed.
    requests::note_preview(&state.db, state.clock.as_ref(), &access, r.id).await?;
    Ok(pdf_response(pdf, "pratinjau.pdf", true))
}

async fn review_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    rid: uuid::Uuid,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let (r, document) = match requests::review(&state.db, state.clock.as_ref(), access, rid).await {
        Ok(x) => x,
        Err(ServiceError::Form(e)) => return Err(AppError::BadRequest(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let may_sign = r.status == RequestStatus::MenungguTtd
        && requests::may_act(access, &r, RequestAction::Sign);
    let pin = requests::has_signing_pin(&state.db, access).await?;
    let mut doc = serde_json::to_value(&document).map_err(|e| AppError::internal(e.to_string()))?;
    // The signature block's lines (u.b. spans three).
    doc["signer_lines"] = json!(
        document
            .signer
            .on_behalf
            .as_deref()
            .map(|o| o.split('\n').collect::<Vec<_>>())
            .unwrap_or_default()
    );
    render(
        state,
        current,
        "request_review.html",
        json!({ "village": village_context(state, access).await?, "request": { "id": r.id.to_string(),
            "status_label": r.status.label() }, "doc": doc, "may_sign": may_sign, "pin": pin, "error": error }),
    )
}

/// `GET /staf/desa/{kode}/permohonan/{id}/tinjau`: the letter as it will be
/// printed, read by the head before the sign button (and the PIN) appear.
pub(crate) async fn review(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    review_page(&state, &current, &access, id(&rid)?, None).await
}

/// `POST /staf/desa/{kode}/permohonan/{id}/{aksi}`.
pub(crate) async fn act(
    State(state): State<AppState>,
    Path((kode, rid, aksi)): Path<(String, String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let rid = id(&rid)?;
    let action = RequestAction::parse(&aksi).ok_or(AppError::NotFound)?;
    // Parsed here, at the edge: an unknown signer or a short reason is a
    // field error shown on the page, and nothing is written.
    let outcome = match Step::parse(action, |k| form.get(k)) {
        Err(errors) => Err(ServiceError::Form(errors)),
        Ok(step) => {
            requests::act(
                &state.db,
                state.clock.as_ref(),
                &state.renderer,
                &access,
                rid,
                &step,
                &state.public_url,
            )
            .await
        }
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/permohonan/{rid}",
            access.village().plain()
        ))
        .into_response()),
        // A wrong or malformed signing PIN: the review page again, with the message.
        Err(ServiceError::Form(e)) if action == RequestAction::Sign && access.can_sign() => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            review_page(
                &state,
                &current,
                &access,
                rid,
                Some(e.0.values().cloned().collect::<Vec<_>>().join("; ")),
            )
            .await?,
        )
            .into_response()),
        Err(ServiceError::Form(e)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            show_page(
                &state,
                &current,
                &access,
                rid,
                Some(e.0.values().cloned().collect::<Vec<_>>().join("; ")),
            )
            .await?,
        )
            .into_response()),
        Err(ServiceError::Invalid(m)) => Ok((
            StatusCode::CONFLICT,
            show_page(&state, &current, &access, rid, Some(m)).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
