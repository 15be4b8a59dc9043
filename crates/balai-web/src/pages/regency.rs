//! The regency network's pages (issue 13): the regency dashboard
//! (sortable, filterable, CSV/xlsx), the drill-down regency → district →
//! village → dusun → RW, facilitators' coaching notes and the monthly
//! report roll-up. Aggregates only: no page here names a resident, and the
//! regency administrator and facilitators reach no page that does
//! (`staff::authorize` answers them "not found").

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::regency::{KeyFigures, REPORT_DUE_DAY, ReportMonth, ReportState};
use balai_domain::time_zone::ZonaWaktu;
use balai_services::coaching::{self, Answer, Note};
use balai_services::regency::{self, Activity, AreaPage, Selection, SortKey, VillageRow};
use balai_services::registry::today;
use balai_services::reports;
use balai_services::staff::{VillageOverview, overview};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::import_export::attachment;
use super::{id, render, village_access};
use crate::error::AppError;
use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

type Q = Query<HashMap<String, String>>;

/// A moment on the clocks of the viewer's region (a regency's villages
/// share its province's zone), for the `waktu` filter.
fn wib(t: Option<OffsetDateTime>, zone: ZonaWaktu) -> Value {
    t.map_or(Value::Null, |t| crate::templates::local_time(t, zone))
}

/// The zone of the staff member's region.
fn zone_of(current: &CurrentStaff) -> ZonaWaktu {
    ZonaWaktu::of(current.staff.scope)
}

fn figures_json(f: &KeyFigures) -> Value {
    let p = f.completeness_permille();
    json!({ "residents": f.residents, "families": f.families, "heads": f.heads,
        "blood_type": f.blood_type, "disability": f.disability, "insurance": f.insurance,
        "birth_certificate": f.birth_certificate,
        "completeness": regency::percent(p),
        "band": if p >= 800 { "baik" } else if p >= 500 { "sedang" } else { "kurang" } })
}

fn activity_json(a: &Activity, today: time::Date, zone: ZonaWaktu) -> Value {
    json!({ "letters": a.letters_this_month, "open": a.open_requests,
        "oldest_days": a.oldest_open_days(today, zone), "last_change": wib(a.last_change, zone),
        "last_login": wib(a.last_operator_login, zone),
        "last_news": a.last_news.map(|d| d.to_string()) })
}

fn area_json(
    page: &AreaPage,
    today: time::Date,
    zone: ZonaWaktu,
    link: impl Fn(&str) -> Option<String>,
) -> Value {
    let rows: Vec<Value> = page
        .rows
        .iter()
        .map(|r| {
            json!({ "name": r.name, "href": link(&r.key), "figures": figures_json(&r.figures),
                "activity": r.activity.map(|a| activity_json(&a, today, zone)) })
        })
        .collect();
    json!({ "totals": figures_json(&page.totals),
        "activity": page.activity.map(|a| activity_json(&a, today, zone)), "rows": rows })
}

fn view_of(current: &CurrentStaff) -> Result<regency::RegencyView, AppError> {
    Ok(regency::view(&current.staff)?)
}

fn village_json(r: &VillageRow, today: time::Date) -> Value {
    json!({ "kode": r.kode.plain(), "kode_titik": r.kode.dotted(), "name": r.name,
        "district": r.district.plain(), "district_name": r.district_name,
        "figures": figures_json(&r.figures), "activity": activity_json(&r.activity, today, ZonaWaktu::of(r.kode)) })
}

/// The query string of `sel` with `sort` (and its direction) set: the
/// links in the table's head.
fn query_with(sel: &Selection, sort: SortKey, descending: bool) -> String {
    let mut parts = vec![format!("urut={}", sort.as_str())];
    if descending {
        parts.push("arah=turun".into());
    }
    if let Some(d) = sel.district {
        parts.push(format!("kecamatan={}", d.plain()));
    }
    if let Some(n) = &sel.name {
        parts.push(format!("cari={}", percent_encode(n)));
    }
    if let Some(b) = sel.completeness_below {
        parts.push(format!("kelengkapan_di_bawah={b}"));
    }
    if sel.with_open_requests {
        parts.push("ada_permohonan=1".into());
    }
    parts.join("&")
}

/// `GET /staf/kabupaten[?urut=&arah=&kecamatan=&cari=&kelengkapan_di_bawah=&ada_permohonan=&format=csv|xlsx]`.
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Q,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let sel = Selection::parse(&q)?;
    let d = regency::dashboard(&state.db, state.clock.as_ref(), &view).await?;
    let rows = sel.apply(&d.villages, d.today);
    match q.get("format").map(String::as_str) {
        None | Some("") => {}
        Some("csv") => {
            return Ok(attachment(
                &format!("desa-{}.csv", view.regency().plain()),
                regency::csv(&rows, d.today).into_bytes(),
            ));
        }
        Some("xlsx") => {
            return Ok(attachment(
                &format!("desa-{}.xlsx", view.regency().plain()),
                regency::xlsx(&rows, d.today)?,
            ));
        }
        Some(_) => {
            return Err(AppError::BadRequest(
                "format harus \"csv\" atau \"xlsx\"".into(),
            ));
        }
    }
    let listed = rows
        .iter()
        .fold(KeyFigures::default(), |a, r| a.plus(&r.figures));
    let listed_activity = rows
        .iter()
        .fold(Activity::default(), |a, r| a.plus(&r.activity));
    let heads: Vec<Value> = SortKey::ALL
        .iter()
        .map(|(k, name)| {
            let desc = sel.sort == *k && !sel.descending;
            json!({ "key": name, "href": format!("?{}", query_with(&sel, *k, desc)),
                "active": sel.sort == *k, "descending": sel.sort == *k && sel.descending })
        })
        .collect();
    let map = regency::dot_map(&rows);
    let districts: Vec<Value> = d
        .districts
        .iter()
        .map(|r| json!({ "kode": r.key, "name": r.name, "selected": sel.district.map(|k| k.plain()) == Some(r.key.clone()),
            "figures": figures_json(&r.figures), "activity": r.activity.map(|a| activity_json(&a, d.today, zone_of(&current))) }))
        .collect();
    let export = query_with(&sel, sel.sort, sel.descending);
    // Bars of the districts' residents, drawn as SVG (no script): widths
    // are shares of the largest district.
    let largest = d
        .districts
        .iter()
        .map(|r| r.figures.residents)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars: Vec<Value> = d
        .districts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = r.figures.completeness_permille();
            json!({ "y": i * 18, "width": (r.figures.residents * 360 / largest).max(1), "name": r.name,
                "residents": r.figures.residents,
                "band": if p >= 800 { "baik" } else if p >= 500 { "sedang" } else { "kurang" } })
        })
        .collect();
    Ok(render(
        &state,
        &current,
        "regency.html",
        json!({ "regency": { "name": d.regency_name, "kode": view.regency().plain() },
            "whole": view.whole_regency(),
            "totals": figures_json(&d.totals), "activity": activity_json(&d.activity, d.today, zone_of(&current)),
            "villages": rows.iter().map(|r| village_json(r, d.today)).collect::<Vec<_>>(),
            "listed": figures_json(&listed), "listed_activity": activity_json(&listed_activity, d.today, zone_of(&current)),
            "count": rows.len(), "all": d.villages.len(),
            "districts": districts, "heads": heads, "map": map, "export": export,
            "bars": bars, "bars_height": d.districts.len() * 18,
            "filter": { "cari": sel.name, "kelengkapan_di_bawah": sel.completeness_below,
                "ada_permohonan": sel.with_open_requests, "urut": sel.sort.as_str(), "turun": sel.descending } }),
    )?
    .into_response())
}

/// `GET /staf/kabupaten/kecamatan/{kode}`: a district and its villages.
pub(crate) async fn district(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let view = view_of(&current)?;
    let district = KodeWilayah::parse(&kode).map_err(|_| AppError::NotFound)?;
    let (name, page) = regency::district(&state.db, state.clock.as_ref(), &view, district).await?;
    let now = today(state.clock.as_ref(), district);
    let area = area_json(&page, now, zone_of(&current), |k| {
        Some(format!("/staf/wilayah/{k}"))
    });
    render(
        &state,
        &current,
        "area.html",
        json!({ "level": "district", "title": name, "kode_titik": district.dotted(), "area": area,
            "crumbs": [{ "name": t_regency(&state, &view).await?, "href": "/staf/kabupaten" }] }),
    )
}

async fn t_regency(state: &AppState, view: &regency::RegencyView) -> Result<String, AppError> {
    Ok(regency::regency_name(&state.db, view).await?)
}

async fn overview_of(
    state: &AppState,
    current: &CurrentStaff,
    kode: &str,
) -> Result<(VillageOverview, balai_domain::village::Village), AppError> {
    let village = KodeWilayah::parse(kode).map_err(|_| AppError::NotFound)?;
    let access = overview(&state.db, &current.staff, village).await?;
    let v = balai_services::villages::village(&state.db, village).await?;
    Ok((access, v))
}

/// The links above a village's drill-down pages.
fn village_crumbs(current: &CurrentStaff, v: &balai_domain::village::Village) -> Vec<Value> {
    let mut crumbs = Vec::new();
    if regency::view(&current.staff).is_ok() {
        crumbs.push(json!({ "name": v.regency_name, "href": "/staf/kabupaten" }));
        if let Some(d) = v.kode.ancestor(balai_domain::RegionLevel::District) {
            crumbs.push(json!({ "name": v.district_name, "href": format!("/staf/kabupaten/kecamatan/{}", d.plain()) }));
        }
    }
    crumbs
}

fn seg(s: &str) -> String {
    // Dusun names may hold spaces or slashes: encode them for the path.
    percent_encode(s)
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /staf/wilayah/{kode}`: a village's figures, its dusun, its coaching
/// notes and its monthly reports (anyone who may read the village's aggregates).
pub(crate) async fn village(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let (access, v) = overview_of(&state, &current, &kode).await?;
    let page = regency::village(&state.db, state.clock.as_ref(), &access).await?;
    let now = today(state.clock.as_ref(), v.kode);
    let base = format!("/staf/wilayah/{}", v.kode.plain());
    let area = area_json(&page, now, zone_of(&current), |k| {
        (!k.is_empty()).then(|| format!("{base}/dusun/{}", seg(k)))
    });
    let notes = coaching::list(&state.db, &access).await?;
    let month = ReportMonth::of(now).previous();
    let submission = reports::submission(&state.db, &access, month).await?;
    let state_of = ReportState::of(
        month,
        submission
            .as_ref()
            .map(|s| balai_services::registry::local_date(s.submitted_at, v.kode)),
        now,
    );
    render(
        &state,
        &current,
        "area.html",
        json!({ "level": "village", "title": v.name, "kode_titik": v.kode.dotted(), "kode": v.kode.plain(),
            "area": area, "crumbs": village_crumbs(&current, &v),
            "personal": access.personal(),
            "idm_href": regency::view(&current.staff).is_ok().then(|| format!("/staf/kabupaten/idm/desa/{}", v.kode.plain())),
            "notes": notes_json(&notes, zone_of(&current)), "notes_href": format!("/staf/desa/{}/catatan", v.kode.plain()),
            "report": { "month": month.to_string(), "due": month.due().to_string(), "state": report_state_key(state_of),
                "submitted_by": submission.as_ref().map(|s| s.submitted_by.clone()),
                "submitted_at": wib(submission.as_ref().map(|s| s.submitted_at), zone_of(&current)) } }),
    )
}

/// `GET /staf/wilayah/{kode}/dusun/{dusun}`: a dusun and its RW.
pub(crate) async fn dusun(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, dusun)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (access, v) = overview_of(&state, &current, &kode).await?;
    let page = regency::dusun(&state.db, &access, &dusun).await?;
    let now = today(state.clock.as_ref(), v.kode);
    let base = format!("/staf/wilayah/{}/dusun/{}", v.kode.plain(), seg(&dusun));
    let area = area_json(&page, now, zone_of(&current), |k| {
        Some(format!("{base}/rw/{}", seg(k)))
    });
    let mut crumbs = village_crumbs(&current, &v);
    crumbs.push(json!({ "name": v.name, "href": format!("/staf/wilayah/{}", v.kode.plain()) }));
    render(
        &state,
        &current,
        "area.html",
        json!({ "level": "dusun", "title": dusun, "kode_titik": v.kode.dotted(), "area": area, "crumbs": crumbs }),
    )
}

/// `GET /staf/wilayah/{kode}/dusun/{dusun}/rw/{rw}`: an RW's figures.
pub(crate) async fn rw(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, dusun, rw)): Path<(String, String, String)>,
) -> Result<Html<String>, AppError> {
    let (access, v) = overview_of(&state, &current, &kode).await?;
    let page = regency::rw(&state.db, &access, &dusun, &rw).await?;
    let now = today(state.clock.as_ref(), v.kode);
    let area = area_json(&page, now, zone_of(&current), |_| None);
    let mut crumbs = village_crumbs(&current, &v);
    crumbs.push(json!({ "name": v.name, "href": format!("/staf/wilayah/{}", v.kode.plain()) }));
    crumbs.push(json!({ "name": dusun, "href": format!("/staf/wilayah/{}/dusun/{}", v.kode.plain(), seg(&dusun)) }));
    render(
        &state,
        &current,
        "area.html",
        json!({ "level": "rw", "title": format!("RW {rw}"), "kode_titik": v.kode.dotted(), "area": area, "crumbs": crumbs }),
    )
}

fn notes_json(notes: &[coaching::CoachingNote], zone: ZonaWaktu) -> Vec<Value> {
    notes
        .iter()
        .map(|n| json!({ "id": n.id.to_string(), "noted_on": n.noted_on.to_string(), "author": n.author_name,
            "body": n.body, "follow_up": n.follow_up, "answer": n.answer, "answered_by": n.answered_by,
            "answered_at": wib(n.answered_at, zone) }))
        .collect()
}

/// `GET /staf/desa/{kode}/catatan`: the village's coaching notes; the
/// facilitator's form to write one; the village staff's forms to answer.
pub(crate) async fn notes(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let (access, v) = overview_of(&state, &current, &kode).await?;
    notes_page(&state, &current, &access, &v, json!({}), json!({})).await
}

async fn notes_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageOverview,
    v: &balai_domain::village::Village,
    errors: Value,
    input: Value,
) -> Result<Html<String>, AppError> {
    let notes = coaching::list(&state.db, access).await?;
    let mut crumbs = village_crumbs(current, v);
    crumbs.push(json!({ "name": v.name, "href": format!("/staf/wilayah/{}", v.kode.plain()) }));
    render(
        state,
        current,
        "coaching.html",
        json!({ "title": v.name, "kode": v.kode.plain(), "crumbs": crumbs, "notes": notes_json(&notes, zone_of(current)),
            "may_write": coaching::may_write(access), "may_answer": access.personal(),
            "today": today(state.clock.as_ref(), v.kode).to_string(), "errors": errors, "input": input }),
    )
}

/// `POST /staf/desa/{kode}/catatan`: a facilitator writes a note.
pub(crate) async fn write_note(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let (access, v) = overview_of(&state, &form.current, &kode).await?;
    if !coaching::may_write(&access) {
        return Err(AppError::Forbidden(
            "hanya pendamping desa ini yang dapat menulis catatan pendampingan".into(),
        ));
    }
    let now = today(state.clock.as_ref(), v.kode);
    match Note::parse(
        form.get("tanggal"),
        form.get("catatan"),
        form.get("tindak_lanjut"),
        now,
    ) {
        Ok(note) => {
            coaching::write(&state.db, state.clock.as_ref(), &access, &note).await?;
            Ok(Redirect::to(&format!("/staf/desa/{}/catatan", v.kode.plain())).into_response())
        }
        Err(errors) => {
            let input = json!({ "tanggal": form.get("tanggal"), "catatan": form.get("catatan"), "tindak_lanjut": form.get("tindak_lanjut") });
            let mut res = notes_page(&state, &form.current, &access, &v, json!(errors.0), input)
                .await?
                .into_response();
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

/// `POST /staf/desa/{kode}/catatan/{id}/jawab`: the village answers a note.
pub(crate) async fn answer_note(
    State(state): State<AppState>,
    Path((kode, note)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let note = id(&note)?;
    let answer = Answer::parse(form.get("jawaban"))
        .map_err(|e| AppError::BadRequest(e.0.into_values().collect::<Vec<_>>().join("; ")))?;
    coaching::answer(&state.db, state.clock.as_ref(), &access, note, &answer).await?;
    Ok(Redirect::to(&format!(
        "/staf/desa/{}/catatan#catatan-{note}",
        access.village().plain()
    ))
    .into_response())
}

/// `POST /staf/desa/{kode}/laporan/mutasi/kirim`: the village submits a month's report.
pub(crate) async fn submit_report(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let month = parse_month(form.get("tahun"), form.get("bulan"))?;
    reports::submit_mutation(&state.db, state.clock.as_ref(), &access, month).await?;
    Ok(Redirect::to(&format!(
        "/staf/desa/{}/laporan/mutasi?tahun={}&bulan={}",
        access.village().plain(),
        month.year,
        month.month
    ))
    .into_response())
}

fn parse_month(year: &str, month: &str) -> Result<ReportMonth, AppError> {
    let y: i32 = year
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("tahun \"{year:.10}\" bukan angka")))?;
    let m: u8 = month
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("bulan \"{month:.10}\" bukan angka 1–12")))?;
    ReportMonth::new(y, m).map_err(AppError::BadRequest)
}

fn report_state_key(s: ReportState) -> &'static str {
    match s {
        ReportState::OnTime => "report-on-time",
        ReportState::SubmittedLate => "report-submitted-late",
        ReportState::Pending => "report-pending",
        ReportState::Late => "report-late",
    }
}

/// `GET /staf/kabupaten/laporan[?tahun=&bulan=]` (default: last month):
/// who submitted the month's report, when, and who is late.
pub(crate) async fn roll_up(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Q,
) -> Result<Html<String>, AppError> {
    let view = view_of(&current)?;
    let now = today(state.clock.as_ref(), view.regency());
    let month = match (q.get("tahun"), q.get("bulan")) {
        (None, None) => ReportMonth::of(now).previous(),
        (y, m) => parse_month(
            y.map(String::as_str).unwrap_or(""),
            m.map(String::as_str).unwrap_or(""),
        )?,
    };
    let rows = reports::roll_up(&state.db, state.clock.as_ref(), &view, month).await?;
    let late = rows.iter().filter(|r| r.state.is_late()).count();
    let submitted = rows.iter().filter(|r| r.submission.is_some()).count();
    let list: Vec<Value> = rows
        .iter()
        .map(|r| json!({ "kode": r.village.plain(), "kode_titik": r.village.dotted(), "name": r.name, "district": r.district,
            "submitted_by": r.submission.as_ref().map(|s| s.submitted_by.clone()),
            "submitted_at": wib(r.submission.as_ref().map(|s| s.submitted_at), zone_of(&current)),
            "state": report_state_key(r.state), "late": r.state.is_late() }))
        .collect();
    render(
        &state,
        &current,
        "report_rollup.html",
        json!({ "regency": t_regency(&state, &view).await?, "month": month.to_string(), "year": month.year, "month_number": month.month,
            "due": month.due().to_string(), "due_day": REPORT_DUE_DAY, "rows": list, "late": late, "submitted": submitted, "count": rows.len() }),
    )
}
