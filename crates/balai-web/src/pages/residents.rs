//! Resident list, search, detail, correction and the personal-data access report.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::codes::{Agama, Pekerjaan, PendidikanKk, Sex, Shdk, StatusDasar, StatusKawin};
use balai_domain::{CodeList, Resident};
use balai_services::ServiceError;
use balai_services::registry::ResidentFilter;
use balai_services::registry::{self, PER_PAGE, events, resident_form::ResidentForm};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;
use crate::templates::local_time;

/// The list's query string (all optional; bad values are ignored, not errors).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ListQuery {
    q: String,
    dusun: String,
    rw: String,
    rt: String,
    sex: String,
    umur_min: String,
    umur_max: String,
    status: String,
    pendidikan: String,
    pekerjaan: String,
    agama: String,
    kawin: String,
    hal: String,
}

fn pick<T: CodeList>(s: &str) -> Option<T> {
    (!s.is_empty()).then(|| T::parse(s).ok()).flatten()
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Options of a code list for a `<select>`.
pub(crate) fn options<T: CodeList>() -> Value {
    Value::Array(
        T::all()
            .iter()
            .map(|v| json!({ "code": v.code().to_string(), "label": v.label() }))
            .collect(),
    )
}

/// Every code list a resident form needs.
pub(crate) fn code_lists() -> Value {
    use balai_domain::codes::{Cacat, GolonganDarah, Warganegara};
    json!({
        "sex": options::<Sex>(), "agama": options::<Agama>(), "pendidikan": options::<PendidikanKk>(),
        "pekerjaan": options::<Pekerjaan>(), "status_kawin": options::<StatusKawin>(), "hubungan": options::<Shdk>(),
        "warganegara": options::<Warganegara>(), "golongan_darah": options::<GolonganDarah>(), "cacat": options::<Cacat>(),
        "status": options::<StatusDasar>(),
    })
}

/// `GET /staf/desa/{kode}/penduduk`.
pub(crate) async fn list(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    // With no filter at all, show the living: what an operator almost always wants.
    let status = if q.status == "semua" {
        None
    } else {
        pick::<StatusDasar>(&q.status).or(Some(StatusDasar::Hidup))
    };
    let filter = ResidentFilter {
        query: nonempty(&q.q),
        dusun: nonempty(&q.dusun),
        rw: nonempty(&q.rw),
        rt: nonempty(&q.rt),
        sex: pick(&q.sex),
        min_age: q.umur_min.trim().parse().ok(),
        max_age: q.umur_max.trim().parse().ok(),
        status,
        education: pick(&q.pendidikan),
        occupation: pick(&q.pekerjaan),
        religion: pick(&q.agama),
        marital_status: pick(&q.kawin),
    };
    let page_no: u32 = q.hal.parse().unwrap_or(1).max(1);
    let page = registry::list(&state.db, state.clock.as_ref(), &access, &filter, page_no).await?;
    let pages = ((page.total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).max(1);
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|r| {
            json!({
                "id": r.id.to_string(), "number": r.number.to_string(), "temporary": r.number.is_temporary(), "name": r.name.as_str(),
                "sex": r.sex.label(), "birth_date": r.birth_date.to_string(), "relationship": r.relationship.label(),
                "status": r.status.label(), "family_id": r.family_id.map(|f| f.to_string()), "no_kk": r.no_kk.map(|k| k.to_string()),
                "dusun": r.dusun, "rw": r.rw, "rt": r.rt,
            })
        })
        .collect();
    let units = registry::wilayah_units(&state.db, &access).await?;
    let mut dusun: Vec<&str> = units.iter().map(|u| u.0.as_str()).collect();
    dusun.dedup();
    // The current query without the page, for pagination links.
    let query_string = serde_urlencoded::to_string(
        [
            ("q", &q.q),
            ("dusun", &q.dusun),
            ("rw", &q.rw),
            ("rt", &q.rt),
            ("sex", &q.sex),
            ("umur_min", &q.umur_min),
            ("umur_max", &q.umur_max),
            ("status", &q.status),
            ("pendidikan", &q.pendidikan),
            ("pekerjaan", &q.pekerjaan),
            ("agama", &q.agama),
            ("kawin", &q.kawin),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    render(
        &state,
        &current,
        "residents.html",
        json!({
            "village": village_context(&state, &access).await?, "items": items, "total": page.total, "page": page_no, "pages": pages,
            "q": q.q, "f": { "dusun": q.dusun, "rw": q.rw, "rt": q.rt, "sex": q.sex, "umur_min": q.umur_min, "umur_max": q.umur_max,
            "status": if q.status.is_empty() { "1".to_string() } else { q.status.clone() }, "pendidikan": q.pendidikan, "pekerjaan": q.pekerjaan, "agama": q.agama, "kawin": q.kawin },
            "dusun_list": dusun, "codes": code_lists(), "query_string": query_string,
        }),
    )
}

/// A resident as the detail and form pages show it.
pub(crate) fn resident_json(r: &Resident) -> Value {
    let warnings: Vec<String> = r.nik_warnings().iter().map(ToString::to_string).collect();
    json!({
        "id": r.id.to_string(), "number": r.number.to_string(), "temporary": r.number.is_temporary(), "name": r.name.as_str(),
        "sex": r.sex.label(), "birth_place": r.birth_place, "birth_date": r.birth_date.to_string(), "religion": r.religion.label(),
        "education": r.education.label(), "occupation": r.occupation.label(), "marital_status": r.marital_status.label(),
        "relationship": r.relationship.label(), "relationship_code": r.relationship.code(), "citizenship": r.citizenship.label(), "blood_type": r.blood_type.label(),
        "disability": r.disability.map(|d| d.label()), "father_name": r.father_name, "mother_name": r.mother_name,
        "father_nik": r.father_nik.map(|n| n.to_string()), "mother_nik": r.mother_nik.map(|n| n.to_string()),
        "status": r.status.label(), "status_code": r.status.code(), "family_id": r.family_id.map(|f| f.to_string()), "warnings": warnings,
        "details": details_rows(&r.details),
    })
}

/// The secondary facts that are recorded, as (catalogue key of the label,
/// value) rows: code labels, never codes; dates for `tanggal`.
fn details_rows(d: &balai_domain::ResidentDetails) -> Vec<Value> {
    let mut rows: Vec<(&str, String, bool)> = Vec::new();
    let mut text = |k: &'static str, v: &str| {
        if !v.is_empty() {
            rows.push((k, v.to_string(), false));
        }
    };
    text("rd-birth-certificate", &d.birth_certificate);
    text("rd-passport", &d.passport);
    text("rd-kitas", &d.kitas);
    text("rd-marriage-certificate", &d.marriage_certificate);
    text("rd-divorce-certificate", &d.divorce_certificate);
    text("rd-current-address", &d.current_address);
    text("rd-ethnicity", &d.ethnicity);
    text("rd-id-card-tag", &d.id_card_tag);
    text("rd-insurance-number", &d.insurance_number);
    text("rd-latitude", &d.latitude);
    text("rd-longitude", &d.longitude);
    for (k, v) in [
        ("rd-passport-expiry", d.passport_expiry),
        ("rd-marriage-date", d.marriage_date),
        ("rd-divorce-date", d.divorce_date),
    ] {
        if let Some(v) = v {
            rows.push((k, v.to_string(), true));
        }
    }
    for (k, v) in [
        (
            "rd-current-education",
            d.current_education.map(|c| c.label()),
        ),
        ("rd-contraception", d.contraception.map(|c| c.label())),
        ("rd-pregnant", d.pregnant.map(|c| c.label())),
        ("rd-ktp-el", d.ktp_el.map(|c| c.label())),
        ("rd-ktp-recording", d.ktp_recording.map(|c| c.label())),
        ("rd-insurance", d.insurance.map(|c| c.label())),
    ] {
        if let Some(v) = v {
            rows.push((k, v.to_string(), false));
        }
    }
    rows.into_iter()
        .map(|(k, v, date)| json!({ "k": k, "v": v, "date": date }))
        .collect()
}

/// A logged actor for the access report: a catalogue key for its kind and,
/// for staff, their username.
fn actor_json(stored: &str) -> Value {
    use balai_domain::letter_request::RequestChannel;
    use balai_services::actor::Actor;
    match Actor::parse(stored) {
        Actor::Staff(username) => json!({ "key": "actor-staff", "name": username }),
        Actor::Resident {
            channel: RequestChannel::Kiosk,
            ..
        } => json!({ "key": "actor-resident-kiosk" }),
        Actor::Resident { .. } => json!({ "key": "actor-resident-online" }),
        Actor::Command { .. } => json!({ "key": "actor-command" }),
        Actor::System => json!({ "key": "actor-system" }),
        Actor::Public => json!({ "key": "actor-public" }),
    }
}

/// `GET /staf/desa/{kode}/penduduk/{id}` (the view is logged).
pub(crate) async fn detail(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let r = registry::resident(&state.db, state.clock.as_ref(), &access, id(&rid)?).await?;
    let events: Vec<Value> =
        registry::event_history(&state.db, state.clock.as_ref(), &access, r.id)
            .await?
            .iter()
            .map(event_json)
            .collect();
    let pin = balai_services::self_service::pin_state(&state.db, &access, r.id).await?;
    render(
        &state,
        &current,
        "resident.html",
        json!({ "village": village_context(&state, &access).await?, "r": resident_json(&r), "events": events,
            "pin": match pin { None => "none", Some(true) => "issued", Some(false) => "active" } }),
    )
}

/// A life event for the resident page: its kind and date, and its
/// particulars as (catalogue key of the label, value) rows.
fn event_json(d: &registry::EventDetails) -> Value {
    use balai_domain::particulars::{NamedPerson, Particulars};
    let e = &d.event;
    let mut rows: Vec<(&str, String)> = Vec::new();
    let person = |p: &NamedPerson| match p.nik {
        Some(n) => format!("{} (NIK {n})", p.name),
        None => p.name.to_string(),
    };
    let name = |id: &uuid::Uuid| d.names.get(id).cloned().unwrap_or_default();
    match &e.particulars {
        Some(Particulars::Birth(b)) => {
            if let Some(t) = b.time {
                rows.push(("pt-birth-time", t.to_string()));
            }
            if let Some(k) = b.place_kind {
                rows.push(("pt-birth-place-kind", k.label().to_string()));
            }
            if let Some(n) = &b.place_name {
                rows.push(("pt-birth-place-name", n.to_string()));
            }
            if let Some(a) = b.attendant {
                rows.push(("pt-birth-attendant", a.label().to_string()));
            }
            if let Some(w) = b.weight {
                rows.push(("pt-birth-weight", w.to_string()));
            }
            if let Some(l) = b.length {
                rows.push(("pt-birth-length", l.to_string()));
            }
            if let Some(o) = b.order {
                rows.push(("pt-birth-order", o.to_string()));
            }
            if let Some(m) = &b.mother {
                rows.push(("pt-mother", name(m)));
            }
            if let Some(f) = &b.father {
                rows.push(("pt-father", name(f)));
            }
        }
        Some(Particulars::Death(x)) => {
            if let Some(t) = x.time {
                rows.push(("pt-death-time", t.to_string()));
            }
            if let Some(p) = &x.place {
                rows.push(("pt-death-place", p.to_string()));
            }
            if let Some(c) = x.cause {
                rows.push(("pt-death-cause", c.label().to_string()));
            }
            if let Some(by) = x.determined_by {
                rows.push(("pt-death-determined-by", by.label().to_string()));
            }
            if let Some(p) = &x.reporter {
                rows.push(("pt-reporter", person(p)));
            }
            if !x.witnesses.is_empty() {
                let w: Vec<String> = x.witnesses.iter().map(person).collect();
                rows.push(("pt-witnesses", w.join("; ")));
            }
        }
        Some(Particulars::MoveOut(m)) => {
            if let Some(a) = &m.address {
                rows.push(("pt-destination-address", a.to_string()));
            }
            if let Some(r) = &d.region {
                rows.push(("pt-destination", r.clone()));
            }
            if let Some(c) = d.classification {
                rows.push(("pt-classification", c.label().to_string()));
            }
            if let Some(r) = m.reason {
                rows.push(("pt-move-reason", r.label().to_string()));
            }
            if !m.movers.is_empty() {
                let n: Vec<String> = m.movers.iter().map(name).collect();
                rows.push(("pt-movers", n.join(", ")));
            }
        }
        Some(Particulars::MoveIn(m)) => {
            if let Some(a) = &m.address {
                rows.push(("pt-origin-address", a.to_string()));
            }
            if let Some(r) = &d.region {
                rows.push(("pt-origin", r.clone()));
            }
            if let Some(c) = d.classification {
                rows.push(("pt-classification", c.label().to_string()));
            }
            if let Some(r) = m.reason {
                rows.push(("pt-move-reason", r.label().to_string()));
            }
        }
        None => {}
    }
    json!({
        "kind": e.kind.label(),
        "date": e.occurred_on.to_string(),
        "rows": rows.into_iter().map(|(k, v)| json!({ "k": k, "v": v })).collect::<Vec<_>>(),
    })
}

/// `POST /staf/desa/{kode}/penduduk/{id}/pin`: issues a self-service PIN and
/// shows it once (the page is not cached; only the hash is kept).
pub(crate) async fn issue_pin(
    State(state): State<AppState>,
    Path((kode, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let rid = id(&rid)?;
    let pin =
        balai_services::self_service::issue_pin(&state.db, state.clock.as_ref(), &access, rid)
            .await?;
    let r = registry::resident(&state.db, state.clock.as_ref(), &access, rid).await?;
    let mut res = render(
        &state,
        &current,
        "pin_issued.html",
        json!({ "village": village_context(&state, &access).await?, "r": { "id": r.id.to_string(), "name": r.name.as_str() },
            "pin": pin.expose(), "portal": format!("{}/layanan/{}", state.public_url, access.village().plain()) }),
    )?
    .into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// `GET /staf/desa/{kode}/penduduk/{id}/ubah`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    access.require_write()?;
    let r = registry::resident(&state.db, state.clock.as_ref(), &access, id(&rid)?).await?;
    let form = ResidentForm::from_resident(&r);
    render(
        &state,
        &current,
        "resident_form.html",
        json!({ "village": village_context(&state, &access).await?, "r": resident_json(&r), "form": form, "errors": {}, "codes": code_lists(), "alasan": "" }),
    )
}

/// `POST /staf/desa/{kode}/penduduk/{id}/ubah`: a correction with its reason.
pub(crate) async fn edit_submit(
    State(state): State<AppState>,
    Path((kode, rid)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let rid = id(&rid)?;
    let input: ResidentForm = form.parse()?;
    let reason = form.get("alasan").to_string();
    // Parsed here, at the edge: the service takes only the typed correction.
    let today = balai_services::registry::today(state.clock.as_ref(), access.village());
    let outcome = match events::Correction::parse(&input, &reason, today) {
        Ok(c) => events::correct(&state.db, state.clock.as_ref(), &access, rid, &c).await,
        Err(errors) => Err(ServiceError::Form(errors)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staf/desa/{}/penduduk/{rid}",
            access.village().plain()
        ))
        .into_response()),
        Err(ServiceError::Form(errors)) => {
            let r = registry::resident(&state.db, state.clock.as_ref(), &access, rid).await?;
            let html = render(
                &state,
                &current,
                "resident_form.html",
                json!({ "village": village_context(&state, &access).await?, "r": resident_json(&r), "form": input, "errors": errors, "codes": code_lists(), "alasan": reason }),
            )?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /staf/desa/{kode}/penduduk/{id}/akses`: who viewed and changed this person's data.
pub(crate) async fn access_report(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let (r, views, changes) =
        registry::access_report(&state.db, state.clock.as_ref(), &access, id(&rid)?).await?;
    // Times on the village's clocks; actors, rows and actions in words.
    let zone = balai_domain::time_zone::ZonaWaktu::of(access.village());
    let views: Vec<Value> = views
        .iter()
        .map(|v| json!({ "at": local_time(v.at, zone), "actor": actor_json(&v.actor), "purpose": v.purpose }))
        .collect();
    let changes: Vec<Value> = changes
        .iter()
        .map(|c| json!({ "at": local_time(c.at, zone), "actor": actor_json(&c.actor),
            "entity": format!("entity-{}", c.entity.replace('_', "-")), "action": format!("action-{}", c.action),
            "reason": c.after.as_ref().and_then(|a| a.get("reason")).and_then(Value::as_str) }))
        .collect();
    render(
        &state,
        &current,
        "access_report.html",
        json!({ "village": village_context(&state, &access).await?, "r": resident_json(&r), "views": views, "changes": changes }),
    )
}

/// `GET /staf/desa/{kode}/penduduk/{id}/biodata.pdf`: the resident's printed
/// biodata (the view is logged, as the resident page's).
pub(crate) async fn biodata_pdf(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, rid)): Path<(String, String)>,
) -> Result<axum::response::Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let printed =
        balai_services::prints::biodata(&state.db, state.clock.as_ref(), &access, id(&rid)?)
            .await?;
    Ok(super::pdf_response(printed.pdf, &printed.file_name, true))
}
