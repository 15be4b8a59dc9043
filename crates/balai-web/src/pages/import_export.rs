//! Uploading a workbook (imported in the background) and downloading the export.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_services::export::{Format, export};
use balai_services::import::{ImportFailure, Stage, import_workbook};
use balai_services::secrets::constant_time_eq;
use serde_json::{Value, json};

use super::{id, render, village_access, village_context};
use crate::error::AppError;
use crate::import_jobs::{Job, JobState};
use crate::session::CurrentStaff;
use crate::state::AppState;

/// Largest upload accepted (the workbook crate also checks).
pub(crate) const MAX_UPLOAD: usize = 50 << 20;

/// `GET /staf/desa/{kode}/impor`.
pub(crate) async fn form(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    access.require_write()?;
    render(
        &state,
        &current,
        "import.html",
        json!({ "village": village_context(&state, &access).await?, "error": null }),
    )
}

/// `POST /staf/desa/{kode}/impor`: checks the CSRF field, starts the job, shows its page.
pub(crate) async fn upload(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    headers: axum::http::HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    access.require_write()?;
    let too_large = || {
        AppError::TooLarge(format!(
            "Berkas terlalu besar: maksimal {} MB. Pecah workbook menjadi beberapa berkas.",
            MAX_UPLOAD >> 20
        ))
    };
    // Refuse by the declared size before reading anything; the body limit catches the rest.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    if declared > MAX_UPLOAD + (1 << 20) {
        return Err(too_large());
    }
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest(format!("unggahan tidak dapat dibaca: {}", e.body_text()))
        }
    };
    let (mut csrf, mut file, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("berkas") => {
                file = field
                    .file_name()
                    .unwrap_or("berkas")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(100)
                    .collect();
                bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    if !constant_time_eq(&csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    if bytes.is_empty() {
        let html = render(
            &state,
            &current,
            "import.html",
            json!({ "village": village_context(&state, &access).await?, "error": state.catalog.text(current.lang, "import-no-file") }),
        )?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let job_id = uuid::Uuid::now_v7();
    state.imports.insert(
        job_id,
        Job {
            village: access.village(),
            actor: current.staff.username.clone(),
            file,
            state: JobState::Running("membaca berkas", 10),
        },
    );
    let jobs = state.imports.clone();
    let (db, clock) = (state.db.clone(), state.clock.clone());
    tokio::spawn(async move {
        let progress = |stage: Stage| {
            let (name, pct) = match stage {
                Stage::Reading => ("membaca dan memeriksa berkas", 10),
                Stage::Matching => ("mencocokkan dengan data desa", 50),
                Stage::Writing => ("menyimpan", 75),
            };
            jobs.set(job_id, JobState::Running(name, pct));
        };
        let outcome = import_workbook(&db, clock.as_ref(), &access, bytes, progress).await;
        jobs.set(
            job_id,
            match outcome {
                Ok(r) => JobState::Done {
                    families_new: r.families_new,
                    residents_new: r.residents_new,
                    residents_updated: r.residents_updated,
                    warnings: r.warnings,
                },
                Err(ImportFailure::Workbook(e)) => {
                    JobState::Failed(e.to_string(), e.issues().to_vec())
                }
                Err(ImportFailure::Conflicts(issues)) => JobState::Failed(
                    "Data dalam berkas bertentangan dengan data desa; tidak ada yang disimpan."
                        .into(),
                    issues,
                ),
                Err(ImportFailure::Service(e)) => {
                    tracing::error!(error = %e, "import failed");
                    JobState::Failed(
                        "Impor gagal karena gangguan sistem; tidak ada yang disimpan.".into(),
                        Vec::new(),
                    )
                }
            },
        );
    });
    Ok(Redirect::to(&format!("/staf/desa/{kode}/impor/{job_id}")).into_response())
}

/// `GET /staf/desa/{kode}/impor/{job}`: refreshes itself every second while running.
pub(crate) async fn status(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, job)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let job = state
        .imports
        .get(id(&job)?)
        .filter(|j| j.village == access.village())
        .ok_or(AppError::NotFound)?;
    let issues = |list: &[balai_workbook::RowIssue]| -> Vec<Value> {
        list.iter().take(2000).map(|i| json!({ "row": i.row, "column": i.column, "value": i.value, "reason": i.reason })).collect()
    };
    let view = match &job.state {
        JobState::Running(stage, pct) => {
            json!({ "running": true, "stage": stage, "percent": pct, "file": job.file, "actor": job.actor })
        }
        JobState::Done {
            families_new,
            residents_new,
            residents_updated,
            warnings,
        } => json!({
            "ok": true, "file": job.file, "actor": job.actor, "families_new": families_new, "residents_new": residents_new, "residents_updated": residents_updated, "warnings": issues(warnings) }),
        JobState::Failed(message, list) => {
            json!({ "ok": false, "file": job.file, "actor": job.actor, "message": message, "issues": issues(list) })
        }
    };
    render(
        &state,
        &current,
        "import_status.html",
        json!({ "village": village_context(&state, &access).await?, "job": view }),
    )
}

/// `GET /staf/desa/{kode}/ekspor[?format=csv]`: the village's workbook.
pub(crate) async fn download(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let format = if q.get("format").map(String::as_str) == Some("csv") {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let (name, bytes) = export(&state.db, state.clock.as_ref(), &access, format).await?;
    Ok(attachment(&name, bytes))
}

/// A file download response.
pub(crate) fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    let mime = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
