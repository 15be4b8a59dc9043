//! Village officials: the staff's list and forms
//! (`/staf/desa/{kode}/perangkat`: add, edit, end a term) and the public
//! page of the village government and BPD (`/desa/{kode}/pemerintahan`:
//! names, positions, terms — never a NIP).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::official::{Appointment, AppointmentText, Body, Position};
use balai_services::ServiceError;
use balai_services::officials;
use balai_services::officials::OfficialRecord;
use balai_services::registry::field_errors::FieldErrors;
use balai_services::registry::{local_date, today};
use balai_services::staff::VillageAccess;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

/// An official's form as posted (and re-displayed as typed).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct OfficialForm {
    jabatan: String,
    nama: String,
    dusun: String,
    plt: String,
    nip: String,
    mulai: String,
    selesai: String,
    /// When the record was read for editing (unix ms): a concurrent edit is refused.
    diubah: String,
}

impl TryFrom<&OfficialForm> for Appointment {
    type Error = FieldErrors;
    fn try_from(f: &OfficialForm) -> Result<Self, FieldErrors> {
        Appointment::parse(&AppointmentText {
            position: &f.jabatan,
            name: &f.nama,
            dusun: &f.dusun,
            acting: !f.plt.is_empty(),
            number: &f.nip,
            start: &f.mulai,
            end: &f.selesai,
        })
        .map_err(|errors| {
            let mut e = FieldErrors::default();
            for x in errors {
                e.add(x.field, x.message);
            }
            e
        })
    }
}

fn millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

fn form_of(o: &OfficialRecord) -> OfficialForm {
    let a = &o.appointment;
    OfficialForm {
        jabatan: a.position.code().to_string(),
        nama: a.name.to_string(),
        dusun: a.dusun.clone().unwrap_or_default(),
        plt: if a.acting { "1".into() } else { String::new() },
        nip: a.number.as_ref().map(|n| n.to_string()).unwrap_or_default(),
        mulai: a.term.start().to_string(),
        selesai: a.term.end().map(|d| d.to_string()).unwrap_or_default(),
        diubah: millis(o.updated_at).to_string(),
    }
}

fn positions() -> Vec<Value> {
    Position::ALL
        .iter()
        .map(|p| json!({ "code": p.code(), "label": p.title() }))
        .collect()
}

fn row(o: &OfficialRecord, day: time::Date) -> Value {
    let a = &o.appointment;
    json!({ "id": o.id.to_string(), "name": a.name.as_str(), "title": a.title(),
        "number": a.number.as_ref().map(|n| format!("{} {n}", n.label())),
        "start": a.term.start().to_string(), "end": a.term.end().map(|d| d.to_string()),
        "current": a.term.covers(day), "bpd": a.position.body() == Body::Bpd,
        "signs": a.authority().map(|x| match x {
            balai_domain::official::Authority::Head => "officials-signs-head",
            balai_domain::official::Authority::OnBehalf => "officials-signs-an",
            balai_domain::official::Authority::ByOrder => "officials-signs-ub",
        }) })
}

#[allow(clippy::too_many_arguments)]
async fn list_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    status: StatusCode,
    form: &OfficialForm,
    errors: &FieldErrors,
    editing: Option<&OfficialRecord>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let day = today(state.clock.as_ref(), access.village());
    let all = officials::list(&state.db, access).await?;
    let rows: Vec<Value> = all.iter().map(|o| row(o, day)).collect();
    let html = render(
        state,
        current,
        "officials.html",
        json!({ "village": village_context(state, access).await?, "officials": rows,
            "may_edit": officials::may_edit(access), "positions": positions(), "form": form,
            "errors": errors, "editing": editing.map(|o| o.id.to_string()), "error": error,
            "today": day.to_string() }),
    )?;
    Ok((status, html).into_response())
}

/// `GET /staf/desa/{kode}/perangkat`: the list and the form to add one.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let form = OfficialForm {
        mulai: today(state.clock.as_ref(), access.village()).to_string(),
        ..Default::default()
    };
    list_page(
        &state,
        &current,
        &access,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        None,
        None,
    )
    .await
}

/// `GET /staf/desa/{kode}/perangkat/{id}`: the form to edit one.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, oid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    if !officials::may_edit(&access) {
        return Err(AppError::NotFound);
    }
    let o = officials::one(&state.db, &access, id(&oid)?).await?;
    list_page(
        &state,
        &current,
        &access,
        StatusCode::OK,
        &form_of(&o),
        &FieldErrors::default(),
        Some(&o),
        None,
    )
    .await
}

fn back(access: &VillageAccess) -> Response {
    Redirect::to(&format!(
        "/staf/desa/{}/perangkat",
        access.village().plain()
    ))
    .into_response()
}

/// `POST /staf/desa/{kode}/perangkat`: records one.
pub(crate) async fn add(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: OfficialForm = form.parse()?;
    // Parsed here, at the edge: the service takes only the typed record.
    let outcome = match Appointment::try_from(&input) {
        Err(e) => Err(ServiceError::Form(e)),
        Ok(a) => officials::add(&state.db, state.clock.as_ref(), &access, &a).await,
    };
    match outcome {
        Ok(_) => Ok(back(&access)),
        Err(ServiceError::Form(e)) => {
            list_page(
                &state,
                &current,
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &input,
                &e,
                None,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn seen_at(input: &OfficialForm) -> Result<OffsetDateTime, AppError> {
    input
        .diubah
        .trim()
        .parse::<i128>()
        .ok()
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000).ok())
        .ok_or_else(|| AppError::BadRequest("formulir tidak lengkap; muat ulang".into()))
}

/// `POST /staf/desa/{kode}/perangkat/{id}`: saves an edit.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path((kode, oid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let oid = id(&oid)?;
    let existing = officials::one(&state.db, &access, oid).await?;
    let input: OfficialForm = form.parse()?;
    let seen = seen_at(&input)?;
    let outcome = match Appointment::try_from(&input) {
        Err(e) => Err(ServiceError::Form(e)),
        Ok(a) => officials::edit(&state.db, state.clock.as_ref(), &access, oid, seen, &a).await,
    };
    match outcome {
        Ok(()) => Ok(back(&access)),
        Err(ServiceError::Form(e)) => {
            list_page(
                &state,
                &current,
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &input,
                &e,
                Some(&existing),
                None,
            )
            .await
        }
        Err(ServiceError::Invalid(m)) => {
            list_page(
                &state,
                &current,
                &access,
                StatusCode::CONFLICT,
                &input,
                &FieldErrors::default(),
                Some(&existing),
                Some(m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staf/desa/{kode}/perangkat/{id}/selesai`: ends a term on `selesai`.
pub(crate) async fn end_term(
    State(state): State<AppState>,
    Path((kode, oid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let oid = id(&oid)?;
    let existing = officials::one(&state.db, &access, oid).await?;
    let input: OfficialForm = form.parse()?;
    let seen = seen_at(&input)?;
    let last = time::Date::parse(
        input.selesai.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    );
    let outcome = match last {
        Err(_) => {
            let mut e = FieldErrors::default();
            e.add("selesai", "tulis tanggal sebagai TTTT-BB-HH");
            Err(ServiceError::Form(e))
        }
        Ok(day) => {
            officials::end_term(&state.db, state.clock.as_ref(), &access, oid, seen, day).await
        }
    };
    match outcome {
        Ok(()) => Ok(back(&access)),
        Err(ServiceError::Form(e)) => {
            let mut shown = form_of(&existing);
            shown.selesai = input.selesai.clone();
            list_page(
                &state,
                &current,
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &shown,
                &e,
                Some(&existing),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /desa/{kode}/pemerintahan`: the current village government and BPD.
pub(crate) async fn public(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = crate::session::lang(&headers);
    let k = KodeWilayah::parse(&kode).map_err(|_| AppError::NotFound)?;
    if k.level() != balai_domain::RegionLevel::Village {
        return Err(AppError::NotFound);
    }
    let v = balai_services::villages::village(&state.db, k).await?;
    let day = local_date(state.clock.now(), k);
    let (government, bpd) = officials::public_on(&state.db, k, day).await?;
    Ok(Html(state.templates.render(
        "officials_public.html",
        json!({ "lang": lang.code(), "village": { "kode": v.kode.plain(), "name": v.name,
                "district": v.district_name, "regency": v.regency_name },
            "government": government, "bpd": bpd }),
    )?))
}

async fn pin_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    status: StatusCode,
    errors: &FieldErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let set = balai_services::letters::requests::has_signing_pin(&state.db, access).await?;
    let html = render(
        state,
        current,
        "signing_pin.html",
        json!({ "village": village_context(state, access).await?, "set": set, "errors": errors, "saved": saved }),
    )?;
    Ok((status, html).into_response())
}

/// `GET /staf/desa/{kode}/tanda-tangan`: the head's signing PIN (only the
/// head has this page).
pub(crate) async fn pin_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    if !access.can_sign() {
        return Err(AppError::NotFound);
    }
    pin_page(
        &state,
        &current,
        &access,
        StatusCode::OK,
        &FieldErrors::default(),
        false,
    )
    .await
}

/// `POST /staf/desa/{kode}/tanda-tangan`: sets (`pin`, `pin2`) or removes
/// (`aksi=hapus`) the head's signing PIN.
pub(crate) async fn pin_save(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    if !access.can_sign() {
        return Err(AppError::NotFound);
    }
    use balai_services::self_service::pin::Pin;
    let pin = if form.get("aksi") == "hapus" {
        Ok(None)
    } else {
        let mut e = FieldErrors::default();
        match Pin::parse(form.get("pin")) {
            Err(m) => {
                e.add("pin", m.to_string());
                Err(e)
            }
            Ok(_) if form.get("pin").trim() != form.get("pin2").trim() => {
                e.add("pin2", "kedua PIN tidak sama");
                Err(e)
            }
            Ok(p) => Ok(Some(p)),
        }
    };
    match pin {
        Err(e) => {
            pin_page(
                &state,
                &current,
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &e,
                false,
            )
            .await
        }
        Ok(p) => {
            balai_services::letters::requests::set_signing_pin(
                &state.db,
                state.clock.as_ref(),
                &access,
                p.as_ref(),
            )
            .await?;
            pin_page(
                &state,
                &current,
                &access,
                StatusCode::OK,
                &FieldErrors::default(),
                true,
            )
            .await
        }
    }
}
