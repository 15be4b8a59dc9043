//! The village development index pages of the regency (issue 13 part 3):
//! the ranking of a year with the distribution by status and the progress
//! over the years, the administrator's import of the ministry's table, and
//! one village's history with the facilitator's entry form. Aggregates of
//! villages only: no personal data.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_domain::idm::IdmYear;
use balai_domain::indeks_desa::IndeksDesaYear;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_services::development_index::{
    self, IdmEntry, IdmRow, ImportOutcome, MAX_UPLOAD, StatusCount,
};
use balai_services::regency::{self, RegencyView};
use serde_json::{Value, json};

use super::render;
use crate::error::AppError;
use balai_services::secrets::constant_time_eq;

use crate::session::{CurrentStaff, StaffForm};
use crate::state::AppState;

/// Width of the longest bar in the charts, in SVG units.
const BAR: usize = 360;

fn view_of(current: &CurrentStaff) -> Result<RegencyView, AppError> {
    Ok(regency::view(&current.staff)?)
}

/// The bars of the distribution by status: widths are shares of the
/// largest status, a status with villages at least one unit wide.
fn distribution(by_status: &[StatusCount]) -> Vec<Value> {
    let most = by_status
        .iter()
        .map(|c| c.villages)
        .max()
        .unwrap_or(0)
        .max(1);
    by_status
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({ "y": i * 20, "label": c.label, "villages": c.villages,
                "percent": format!("{},{}", c.permille / 10, c.permille % 10),
                "width": (c.villages * BAR / most).max(usize::from(c.villages > 0)),
                "class": format!("s{}", c.status.code()) })
        })
        .collect()
}

fn year_param(q: &HashMap<String, String>) -> Result<Option<IdmYear>, AppError> {
    match q.get("tahun").map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(y) => IdmYear::parse(y).map(Some).ok_or_else(|| {
            AppError::BadRequest(format!(
                "tahun harus {} sampai {}",
                IdmYear::FIRST,
                IdmYear::LAST
            ))
        }),
    }
}

/// `GET /staf/kabupaten/idm[?tahun=]`.
pub(crate) async fn ranking(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let year = year_param(&q)?;
    let imported = q.get("diimpor").and_then(|n| n.parse::<usize>().ok());
    page(
        &state,
        &current,
        &view,
        year,
        imported,
        None,
        StatusCode::OK,
    )
    .await
}

async fn page(
    state: &AppState,
    current: &CurrentStaff,
    view: &RegencyView,
    year: Option<IdmYear>,
    imported: Option<usize>,
    refused: Option<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let r = development_index::ranking(&state.db, view, year).await?;
    let name = regency::regency_name(&state.db, view).await?;
    let distribution = distribution(&r.this_year.by_status);
    // The averages over the years as columns 0–1 high scaled to 120 units.
    let progress: Vec<Value> = r
        .progress
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let h = usize::from(p.average_n) * 120 / 10_000;
            json!({ "x": 40 + i * 60, "h": h, "y": 130 - h, "year": p.year, "average": p.average,
                "villages": p.villages, "by_status": p.by_status })
        })
        .collect();
    let html = render(
        state,
        current,
        "idm.html",
        json!({ "regency": name, "year": r.year, "years": r.years, "rows": r.rows,
            "missing": r.missing, "villages": r.this_year.villages, "average": r.this_year.average,
            "distribution": distribution, "distribution_height": distribution.len() * 20,
            "progress": progress, "progress_width": 40 + r.progress.len() * 60,
            "whole": view.whole_regency(), "imported": imported, "refused": refused,
            "first_year": IdmYear::FIRST, "last_year": IdmYear::LAST,
            "year_options": IdmYear::all().map(IdmYear::get).collect::<Vec<_>>() }),
    )?;
    Ok((status, html).into_response())
}

/// An index table upload: the form's token, the year and the file.
struct Upload {
    csrf: String,
    year: String,
    file: String,
    bytes: Vec<u8>,
}

impl Upload {
    async fn read(multipart: &mut Multipart) -> Result<Self, AppError> {
        let unreadable = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge(format!(
                    "Berkas terlalu besar: maksimal {} MB.",
                    MAX_UPLOAD >> 20
                ))
            } else {
                AppError::BadRequest(format!("unggahan tidak dapat dibaca: {}", e.body_text()))
            }
        };
        let mut u = Upload {
            csrf: String::new(),
            year: String::new(),
            file: String::new(),
            bytes: Vec::new(),
        };
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("_csrf") => u.csrf = field.text().await.map_err(unreadable)?,
                Some("tahun") => u.year = field.text().await.map_err(unreadable)?,
                Some("berkas") => {
                    u.file = field
                        .file_name()
                        .unwrap_or("berkas")
                        .chars()
                        .filter(|c| !c.is_control())
                        .take(100)
                        .collect();
                    u.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
                }
                _ => {}
            }
        }
        Ok(u)
    }
}

fn refused_json(e: &balai_services::development_index::IndexSheetError, year: &str) -> Value {
    let issues: Vec<Value> = e
        .issues()
        .iter()
        .map(|i| json!({ "row": i.row, "column": i.column, "value": i.value, "reason": i.reason }))
        .collect();
    json!({ "message": e.to_string(), "issues": issues, "tahun": year.trim() })
}

/// `POST /staf/kabupaten/idm/impor` (multipart: `_csrf`, `tahun`, `berkas`).
pub(crate) async fn import(
    State(state): State<AppState>,
    current: CurrentStaff,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let Upload {
        csrf,
        year,
        file,
        bytes,
    } = Upload::read(&mut multipart).await?;
    if !constant_time_eq(&csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    let refuse = |message: String, issues: Vec<Value>| json!({ "message": message, "issues": issues, "tahun": year.trim() });
    let Some(y) = IdmYear::parse(&year) else {
        let r = refuse(
            format!(
                "Pilih tahun data IDM ({} sampai {}).",
                IdmYear::FIRST,
                IdmYear::LAST
            ),
            vec![],
        );
        return page(
            &state,
            &current,
            &view,
            None,
            None,
            Some(r),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if bytes.is_empty() {
        let r = refuse(
            "Pilih berkas tabel IDM (.xlsx, .xls atau .csv).".into(),
            vec![],
        );
        return page(
            &state,
            &current,
            &view,
            Some(y),
            None,
            Some(r),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match development_index::import(&state.db, state.clock.as_ref(), &view, y, &file, &bytes)
        .await?
    {
        ImportOutcome::Recorded { year, villages } => Ok(Redirect::to(&format!(
            "/staf/kabupaten/idm?tahun={year}&diimpor={villages}"
        ))
        .into_response()),
        ImportOutcome::Refused(e) => {
            let r = refused_json(&e, &year);
            page(
                &state,
                &current,
                &view,
                Some(y),
                None,
                Some(r),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

fn village_of(view: &RegencyView, kode: &str) -> Result<KodeWilayah, AppError> {
    KodeWilayah::parse(kode)
        .ok()
        .filter(|k| k.level() == RegionLevel::Village && view.sees(*k))
        .ok_or(AppError::NotFound)
}

/// `GET /staf/kabupaten/idm/desa/{kode}`: one village over the years.
pub(crate) async fn village(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let village = village_of(&view, &kode)?;
    village_page(
        &state,
        &current,
        &view,
        village,
        json!({}),
        json!({}),
        StatusCode::OK,
    )
    .await
}

async fn village_page(
    state: &AppState,
    current: &CurrentStaff,
    view: &RegencyView,
    village: KodeWilayah,
    errors: Value,
    input: Value,
    status: StatusCode,
) -> Result<Response, AppError> {
    let rows: Vec<IdmRow> = development_index::history(&state.db, view, village).await?;
    let indeks_desa = development_index::indeks_desa_history(&state.db, view, village).await?;
    let name = balai_services::regions::name(&state.db, village).await?;
    let points: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let h = usize::from(r.idm_n) * 120 / 10_000;
            json!({ "x": 40 + i * 60, "h": h, "y": 130 - h, "year": r.year, "idm": r.idm })
        })
        .collect();
    let html = render(
        state,
        current,
        "idm_village.html",
        json!({ "name": name, "kode": village.plain(), "kode_titik": village.dotted(),
            "rows": rows, "points": points, "indeks_desa": indeks_desa,
            "dimensions": balai_domain::indeks_desa::Dimension::ALL.iter().map(|d| d.label()).collect::<Vec<_>>(), "chart_width": 40 + rows.len() * 60,
            "hosted": balai_services::villages::village(&state.db, village).await.is_ok(),
            "may_enter": development_index::may_enter(view, village),
            "errors": errors, "input": input,
            "first_year": IdmYear::FIRST, "last_year": IdmYear::LAST }),
    )?;
    Ok((status, html).into_response())
}

/// The facilitator's entry form as posted.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
struct EntryForm {
    tahun: String,
    iks: String,
    ike: String,
    ikl: String,
}

impl TryFrom<&EntryForm> for IdmEntry {
    type Error = balai_services::registry::field_errors::FieldErrors;

    fn try_from(f: &EntryForm) -> Result<Self, Self::Error> {
        IdmEntry::parse(&f.tahun, &f.iks, &f.ike, &f.ikl)
    }
}

/// `POST /staf/kabupaten/idm/desa/{kode}`: the facilitator (or the
/// administrator) enters a year's indices.
pub(crate) async fn enter(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let view = view_of(&form.current)?;
    let village = village_of(&view, &kode)?;
    let f: EntryForm = form.parse()?;
    match IdmEntry::try_from(&f) {
        Ok(entry) => {
            development_index::enter(&state.db, state.clock.as_ref(), &view, village, &entry)
                .await?;
            Ok(
                Redirect::to(&format!("/staf/kabupaten/idm/desa/{}", village.plain()))
                    .into_response(),
            )
        }
        Err(errors) => {
            let input = json!(f);
            village_page(
                &state,
                &form.current,
                &view,
                village,
                json!(errors.0),
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

fn indeks_desa_year(q: &HashMap<String, String>) -> Result<Option<IndeksDesaYear>, AppError> {
    match q.get("tahun").map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(y) => IndeksDesaYear::parse(y)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest("tahun Indeks Desa mulai 2024".into())),
    }
}

/// `GET /staf/kabupaten/indeks-desa[?tahun=]`: the published Indeks Desa.
pub(crate) async fn indeks_desa(
    State(state): State<AppState>,
    current: CurrentStaff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let year = indeks_desa_year(&q)?;
    let imported = q.get("diimpor").and_then(|n| n.parse::<usize>().ok());
    indeks_desa_page(
        &state,
        &current,
        &view,
        year,
        imported,
        None,
        StatusCode::OK,
    )
    .await
}

async fn indeks_desa_page(
    state: &AppState,
    current: &CurrentStaff,
    view: &RegencyView,
    year: Option<IndeksDesaYear>,
    imported: Option<usize>,
    refused: Option<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let r = development_index::indeks_desa_ranking(&state.db, view, year).await?;
    let name = regency::regency_name(&state.db, view).await?;
    let distribution = distribution(&r.by_status);
    let this_year =
        IndeksDesaYear::new(i64::from(r.year)).map_or(IndeksDesaYear::FIRST, IndeksDesaYear::get);
    let html = render(
        state,
        current,
        "indeks_desa.html",
        json!({ "regency": name, "year": r.year, "years": r.years, "rows": r.rows,
            "dimensions": r.dimensions, "distribution": distribution,
            "distribution_height": distribution.len() * 20,
            "whole": view.whole_regency(), "imported": imported, "refused": refused,
            "year_options": (IndeksDesaYear::FIRST..=this_year.max(IndeksDesaYear::FIRST + 2)).collect::<Vec<_>>() }),
    )?;
    Ok((status, html).into_response())
}

/// `POST /staf/kabupaten/indeks-desa/impor` (multipart: `_csrf`, `tahun`, `berkas`).
pub(crate) async fn import_indeks_desa(
    State(state): State<AppState>,
    current: CurrentStaff,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let view = view_of(&current)?;
    let u = Upload::read(&mut multipart).await?;
    if !constant_time_eq(&u.csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    let refuse = |year: Option<IndeksDesaYear>, message: &str| {
        let r = json!({ "message": message, "issues": [], "tahun": u.year.trim() });
        (year, r)
    };
    let Some(y) = IndeksDesaYear::parse(&u.year) else {
        let (year, r) = refuse(None, "Pilih tahun data Indeks Desa (2024 dan sesudahnya).");
        return indeks_desa_page(
            &state,
            &current,
            &view,
            year,
            None,
            Some(r),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if u.bytes.is_empty() {
        let (year, r) = refuse(
            Some(y),
            "Pilih berkas tabel Indeks Desa (.xlsx, .xls atau .csv).",
        );
        return indeks_desa_page(
            &state,
            &current,
            &view,
            year,
            None,
            Some(r),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match development_index::import_indeks_desa(
        &state.db,
        state.clock.as_ref(),
        &view,
        y,
        &u.file,
        &u.bytes,
    )
    .await?
    {
        ImportOutcome::Recorded { year, villages } => Ok(Redirect::to(&format!(
            "/staf/kabupaten/indeks-desa?tahun={year}&diimpor={villages}"
        ))
        .into_response()),
        ImportOutcome::Refused(e) => {
            let r = refused_json(&e, &u.year);
            indeks_desa_page(
                &state,
                &current,
                &view,
                Some(y),
                None,
                Some(r),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
