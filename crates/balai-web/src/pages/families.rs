//! Family cards: view, births, new members, splitting, changing the head.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::codes::StatusDasar;
use balai_domain::life_event::is_resident;
use balai_services::ServiceError;
use balai_services::registry::FamilyCard;
use balai_services::registry::events::{self, BirthForm, NewFamilyForm, Split, SplitForm};
use balai_services::registry::{self, field_errors::FieldErrors, resident_form::ResidentForm};
use serde_json::{Value, json};

use super::residents::{code_lists, resident_json};
use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

fn card_json(card: &FamilyCard) -> Value {
    let f = &card.family;
    json!({
        "id": f.id.to_string(), "no_kk": f.no_kk.to_string(), "address": f.address,
        "dusun": f.wilayah.dusun(), "rw": f.wilayah.rw(), "rt": f.wilayah.rt(),
        "members": card.members.iter().map(resident_json).collect::<Vec<_>>(),
        "living": card.members.iter().filter(|m| m.status == StatusDasar::Hidup).map(resident_json).collect::<Vec<_>>(),
        // The card lists those who still belong to the household (the away
        // and missing included); the dead and those who moved away are
        // listed apart, so a card after a head's death shows one head (issue 9).
        "current": card.members.iter().filter(|m| is_resident(m.status)).map(resident_json).collect::<Vec<_>>(),
        "former": card.members.iter().filter(|m| !is_resident(m.status)).map(resident_json).collect::<Vec<_>>(),
    })
}

/// `GET /staf/desa/{kode}/keluarga/{id}` (every member's view is logged).
pub(crate) async fn card(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, fid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let card = registry::family(&state.db, state.clock.as_ref(), &access, id(&fid)?).await?;
    render(
        &state,
        &current,
        "family.html",
        json!({ "village": village_context(&state, &access).await?, "family": card_json(&card) }),
    )
}

/// The family pages' shared start: access with write rights, and the card.
async fn writable_card(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
    fid: &str,
) -> Result<(balai_services::staff::VillageAccess, FamilyCard), AppError> {
    let access = village_access(state, current, kode).await?;
    access.require_write()?;
    let card = registry::family(&state.db, state.clock.as_ref(), &access, id(fid)?).await?;
    Ok((access, card))
}

/// `GET` of the birth, new-member, split and head-change forms.
pub(crate) async fn form_page(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, fid, which)): Path<(String, String, String)>,
) -> Result<Html<String>, AppError> {
    let template = template_for(&which)?;
    let (access, card) = writable_card(&state, &current, &kode, &fid).await?;
    let child_default =
        json!({ "hubungan": "4", "status_kawin": "1", "pendidikan": "1", "pekerjaan": "1" });
    render(
        &state,
        &current,
        template,
        json!({ "village": village_context(&state, &access).await?, "family": card_json(&card), "form": child_default, "errors": {}, "codes": code_lists(), "event_codes": super::registry_events::event_code_lists(), "kind": which }),
    )
}

fn template_for(which: &str) -> Result<&'static str, AppError> {
    Ok(match which {
        "lahir" => "birth.html",
        "anggota" => "birth.html",
        "pecah" => "split.html",
        "kepala" => "change_head.html",
        _ => return Err(AppError::NotFound),
    })
}

/// `POST` of the birth, new-member, split and head-change forms.
pub(crate) async fn form_submit(
    State(state): State<AppState>,
    Path((kode, fid, which)): Path<(String, String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let template = template_for(&which)?;
    let current = form.current.clone();
    let (access, card) = writable_card(&state, &current, &kode, &fid).await?;
    let (s, clock) = (&state.db, state.clock.as_ref());
    let village = access.village().plain();
    // Forms are parsed here, at the edge: the services take typed commands.
    let today = balai_services::registry::today(clock);
    let outcome: Result<String, ServiceError> = match which.as_str() {
        "lahir" => match events::Birth::parse(&form.parse::<BirthForm>()?, today) {
            Ok(birth) => events::record_birth(s, clock, &access, card.family.id, &birth)
                .await
                .map(|r| format!("/staf/desa/{village}/penduduk/{r}")),
            Err(errors) => Err(ServiceError::Form(errors)),
        },
        "anggota" => match form.parse::<ResidentForm>()?.parse(today) {
            Ok(fields) => events::register(s, clock, &access, card.family.id, &fields)
                .await
                .map(|r| format!("/staf/desa/{village}/penduduk/{r}")),
            Err(errors) => Err(ServiceError::Form(errors)),
        },
        "kepala" => {
            let new_head = uuid::Uuid::parse_str(form.get("kepala_baru"))
                .map_err(|_| AppError::BadRequest("pilih kepala keluarga baru".into()))?;
            match events::parse_old_head_becomes(form.get("hubungan_lama")) {
                Ok(becomes) => {
                    events::change_head(s, clock, &access, card.family.id, new_head, becomes)
                        .await
                        .map(|()| format!("/staf/desa/{village}/keluarga/{}", card.family.id))
                }
                Err(errors) => Err(ServiceError::Form(errors)),
            }
        }
        _ => {
            let members = form
                .all("anggota")
                .into_iter()
                .filter_map(|m| uuid::Uuid::parse_str(m).ok())
                .map(|m| (m, form.get(&format!("hubungan_{m}")).to_string()))
                .collect();
            let split = SplitForm {
                family: form.parse::<NewFamilyForm>()?,
                members,
                kepala_baru_lama: uuid::Uuid::parse_str(form.get("kepala_baru_lama")).ok(),
            };
            match Split::try_from(&split) {
                Ok(split) => events::split_family(s, clock, &access, card.family.id, &split)
                    .await
                    .map(|f| format!("/staf/desa/{village}/keluarga/{f}")),
                Err(errors) => Err(ServiceError::Form(errors)),
            }
        }
    };
    match outcome {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(ServiceError::Form(errors)) => {
            rerender(
                &state, &current, &access, &card, template, &form, errors, &which,
            )
            .await
        }
        Err(ServiceError::Invalid(m)) => {
            let mut errors = FieldErrors::default();
            errors.add("_", m);
            rerender(
                &state, &current, &access, &card, template, &form, errors, &which,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn rerender(
    state: &AppState,
    current: &CurrentStaff,
    access: &balai_services::staff::VillageAccess,
    card: &FamilyCard,
    template: &str,
    form: &StaffForm,
    errors: FieldErrors,
    which: &str,
) -> Result<Response, AppError> {
    // Keep what the operator typed: every field back into the form.
    let echo: serde_json::Map<String, Value> = form
        .fields
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let html = render(
        state,
        current,
        template,
        json!({ "village": village_context(state, access).await?, "family": card_json(card), "form": echo, "errors": errors, "codes": code_lists(), "event_codes": super::registry_events::event_code_lists(), "kind": which }),
    )?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}
