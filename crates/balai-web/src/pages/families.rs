//! Family cards: view, births, new members, splitting, changing the head.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::codes::StatusDasar;
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
        // The card lists those who still belong to the household; the dead
        // and those who moved away apart (one definition, shared with the
        // printed card: `FamilyCard::current_members`).
        "current": card.current_members().map(resident_json).collect::<Vec<_>>(),
        "former": card.former_members().map(resident_json).collect::<Vec<_>>(),
    })
}

/// The family list's query: search, dusun/RW/RT and page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct FamilyQuery {
    q: String,
    dusun: String,
    rw: String,
    rt: String,
    hal: String,
}

fn nonempty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `GET /staf/desa/{kode}/keluarga[?q=&dusun=&rw=&rt=&hal=]`: the village's
/// family cards by number, searched by No. KK or the head's name (the heads
/// shown are logged as viewed, by the service).
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    axum::extract::Query(q): axum::extract::Query<FamilyQuery>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let filter = registry::FamilyFilter {
        query: nonempty(&q.q),
        dusun: nonempty(&q.dusun),
        rw: nonempty(&q.rw),
        rt: nonempty(&q.rt),
    };
    let page_no: u32 = q.hal.trim().parse().unwrap_or(1).max(1);
    let page =
        registry::families(&state.db, state.clock.as_ref(), &access, &filter, page_no).await?;
    let per = i64::from(registry::PER_PAGE);
    let pages = ((page.total + per - 1) / per).max(1);
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|f| {
            json!({
                "id": f.family.id.to_string(), "no_kk": f.family.no_kk.to_string(),
                "head": f.head.as_ref().map(|h| h.as_str()), "head_id": f.head_id.map(|h| h.to_string()),
                "address": f.family.address, "dusun": f.family.wilayah.dusun(),
                "rw": f.family.wilayah.rw(), "rt": f.family.wilayah.rt(), "members": f.members,
            })
        })
        .collect();
    let units = registry::wilayah_units(&state.db, &access).await?;
    let mut dusun: Vec<&str> = units.iter().map(|u| u.0.as_str()).collect();
    dusun.dedup();
    let query_string = serde_urlencoded::to_string(
        [
            ("q", &q.q),
            ("dusun", &q.dusun),
            ("rw", &q.rw),
            ("rt", &q.rt),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    render(
        &state,
        &current,
        "families.html",
        json!({
            "village": village_context(&state, &access).await?, "items": items, "total": page.total,
            "page": page_no, "pages": pages, "q": q.q, "f": { "dusun": q.dusun, "rw": q.rw, "rt": q.rt },
            "dusun_list": dusun, "query_string": query_string,
        }),
    )
}

/// `GET /staf/desa/{kode}/keluarga/{id}/kk.pdf`: the printed family card
/// (every member's view is logged, as the screen's).
pub(crate) async fn card_pdf(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, fid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let printed =
        balai_services::prints::family_card(&state.db, state.clock.as_ref(), &access, id(&fid)?)
            .await?;
    Ok(super::pdf_response(printed.pdf, &printed.file_name, true))
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
    let today = balai_services::registry::today(clock, access.village());
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
