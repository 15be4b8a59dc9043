//! The village budget (APBDes) on the village website (issue 12): the
//! public page `/desa/{kode}/apbdes[/{tahun}]` (and `…/{tahun}.csv`), and
//! the staff editor `/staf/desa/{kode}/apbdes[/{tahun}]` (lines per
//! account, Siskeudes import, publish or withdraw a year).
//!
//! The public page shows one published year: budget against realisation
//! for income, spending and financing, income by group, spending by field
//! and by type, financing by account and every line, as tables and as
//! server-drawn SVG bar charts (no script; each chart has a `<title>` and
//! `<desc>` and its table beside it). Every figure comes from
//! [`balai_domain::budget::Report`]; the tables, the charts, the CSV and
//! the open-data API are all made from the one [`sections`] list, so they
//! cannot disagree.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use balai_domain::KodeWilayah;
use balai_domain::budget::{
    AccountCode, Figures, FiscalYear, Kind, Percent, Report, SubBidang, rupiah_text, signed_text,
};
use balai_services::ServiceError;
use balai_services::budget::{
    self, BudgetYear, LineForm, Publish, PublishForm, WriteLine, YearBudget,
};
use balai_services::registry::field_errors::FieldErrors;
use balai_services::site;
use balai_services::staff::VillageAccess;
use serde_json::{Value, json};

use super::complaints::public_village;
use super::{id, render, village_access, village_context};
use crate::aggregate_cache::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::session::{CurrentStaff, RequestLang, StaffForm};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";
const CSV: &str = "text/csv; charset=utf-8";

/// One row of a published table: an account, a field or a total.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// `4.1`, `02`, `5.3` or '' for a total.
    pub code: String,
    /// Its official name (or the line's, for a line).
    pub name: String,
    /// Budgeted (signed: a surplus or net financing may be negative).
    pub budget: i128,
    /// Realised.
    pub realised: i128,
    /// Realised / budgeted (none for a balance, or nothing budgeted).
    pub percent: Option<Percent>,
    /// A sub-row (shown indented).
    pub sub: bool,
}

impl Row {
    fn of(code: String, name: String, f: Figures, sub: bool) -> Row {
        Row {
            code,
            name,
            budget: i128::from(f.budget),
            realised: i128::from(f.realised),
            percent: f.percent(),
            sub,
        }
    }
}

/// One table of the page (and section of the CSV).
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Its anchor and CSV `bagian`.
    pub id: &'static str,
    /// The catalogue key of its heading.
    pub title: &'static str,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Whether a bar chart is drawn of it (amounts never negative there).
    pub chart: bool,
}

fn account_row(a: AccountCode, f: Figures, sub: bool) -> Row {
    Row::of(a.code().into(), a.name().into(), f, sub)
}

/// The tables of a year, in the order the page shows them.
pub(crate) fn sections(y: &YearBudget) -> Vec<Section> {
    let r: &Report = &y.report;
    let balance = |code: &str, name: &str, b: balai_domain::budget::Balance| Row {
        code: code.into(),
        name: name.into(),
        budget: b.budget,
        realised: b.realised,
        percent: None,
        sub: false,
    };
    let summary = vec![
        account_row(Kind::Pendapatan.account(), r.income, false),
        account_row(Kind::Belanja.account(), r.spending, false),
        balance("", "Surplus/(Defisit)", r.surplus),
        account_row(
            AccountCode::parse("6.1").expect("known"),
            r.financing_in,
            false,
        ),
        account_row(
            AccountCode::parse("6.2").expect("known"),
            r.financing_out,
            false,
        ),
        balance("", "Pembiayaan Netto", r.net_financing),
    ];
    let mut income = Vec::new();
    for g in &r.income_by_group {
        income.push(account_row(g.key, g.figures, false));
        for s in r
            .income_by_subgroup
            .iter()
            .filter(|s| s.key.parent() == Some(g.key))
        {
            income.push(account_row(s.key, s.figures, true));
        }
    }
    let fields = r
        .spending_by_field
        .iter()
        .map(|b| {
            Row::of(
                b.key.code(),
                format!("Bidang {}", b.key.name()),
                b.figures,
                false,
            )
        })
        .collect();
    let types = r
        .spending_by_type
        .iter()
        .map(|t| account_row(t.key, t.figures, false))
        .collect();
    let financing = r
        .financing_by_account
        .iter()
        .map(|f| account_row(f.key, f.figures, false))
        .collect();
    let lines = y
        .lines
        .iter()
        .map(|l| {
            let code = match l.line.sub_bidang() {
                Some(s) => format!("{} {}", l.line.account().code(), s.code()),
                None => l.line.account().code().to_string(),
            };
            Row::of(code, l.line.name.clone(), Figures::of([&l.line]), false)
        })
        .collect();
    vec![
        Section {
            id: "ringkasan",
            title: "budget-summary",
            rows: summary,
            chart: false,
        },
        Section {
            id: "pendapatan",
            title: "budget-income-by-group",
            rows: income,
            chart: true,
        },
        Section {
            id: "belanja-bidang",
            title: "budget-spending-by-field",
            rows: fields,
            chart: true,
        },
        Section {
            id: "belanja-jenis",
            title: "budget-spending-by-type",
            rows: types,
            chart: false,
        },
        Section {
            id: "pembiayaan",
            title: "budget-financing",
            rows: financing,
            chart: false,
        },
        Section {
            id: "rincian",
            title: "budget-lines",
            rows: lines,
            chart: false,
        },
    ]
}

fn money(n: i128) -> String {
    signed_text(n)
}

fn percent_text(p: Option<Percent>) -> String {
    p.map(|p| p.to_string()).unwrap_or_else(|| "–".into())
}

/// The chart of a section: two bars per row (budget, realised), drawn to
/// the scale of the largest amount; coordinates are whole user units.
fn chart(s: &Section) -> Value {
    // Narrow enough that the text stays readable when a phone scales the
    // chart down, wide enough for the longest label (a field's name).
    const WIDTH: i128 = 380;
    const ROW: i64 = 46;
    let rows: Vec<&Row> = s.rows.iter().filter(|r| !r.sub).collect();
    let max = rows
        .iter()
        .flat_map(|r| [r.budget, r.realised])
        .max()
        .unwrap_or(0)
        .max(1);
    let width = |v: i128| {
        let w = v.max(0) * WIDTH / max;
        if v > 0 { w.max(1) } else { 0 }
    };
    let bars: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = i as i64 * ROW;
            json!({
                "label": format!("{} {}", r.code, r.name).trim().to_string(),
                "y_label": y + 11, "y_budget": y + 15, "y_real": y + 29,
                "w_budget": width(r.budget), "w_real": width(r.realised),
                "percent": percent_text(r.percent),
                "x_percent": width(r.budget).max(width(r.realised)) + 4,
                "y_percent": y + 39,
            })
        })
        .collect();
    json!({ "id": format!("grafik-{}", s.id), "height": rows.len() as i64 * ROW + 4, "bars": bars })
}

fn section_json(s: &Section) -> Value {
    json!({
        "id": s.id, "title": s.title,
        "rows": s.rows.iter().map(|r| json!({
            "code": r.code, "name": r.name, "budget": money(r.budget), "realised": money(r.realised),
            "percent": percent_text(r.percent), "sub": r.sub,
        })).collect::<Vec<_>>(),
        "chart": if s.chart { chart(s) } else { Value::Null },
    })
}

/// The percentage as open data writes it: `82.5` (none: empty).
pub(crate) fn percent_number(p: Option<Percent>) -> Option<f64> {
    // Tenths are exact integers; the one division is only for display.
    p.map(|p| p.tenths() as f64 / 10.0)
}

/// The CSV of a year: every row of every table, amounts in whole rupiah.
/// The page's download and the API's `?format=csv` are this one text.
pub(crate) fn year_csv(y: &YearBudget) -> String {
    let rows = sections(y).into_iter().flat_map(|s| {
        s.rows.into_iter().map(move |r| {
            vec![
                s.id.to_string(),
                r.code,
                r.name,
                r.budget.to_string(),
                r.realised.to_string(),
                percent_number(r.percent)
                    .map(|p| format!("{p:.1}"))
                    .unwrap_or_default(),
            ]
        })
    });
    super::open_data::csv(
        &[
            "bagian",
            "kode",
            "uraian",
            "anggaran",
            "realisasi",
            "persen_realisasi",
        ],
        rows,
    )
}

fn year_json(y: &BudgetYear, plain: &str) -> Value {
    json!({
        "year": y.year.get(),
        "published": y.publication.is_public(),
        "state": y.publication.label_key(),
        "period": y.report.map(|(p, _)| p.label_key()),
        "report_on": y.report.map(|(_, d)| d.to_string()),
        "url": format!("/desa/{plain}/apbdes/{}", y.year),
        "updated_by": y.updated_by,
    })
}

/// The small summary the site's home page shows of the latest published
/// year (none when the village has published none).
pub(crate) async fn home_summary(
    state: &AppState,
    village: KodeWilayah,
) -> Result<Option<Value>, AppError> {
    let Some(latest) = budget::public_years(&state.db, village)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let y = budget::public_year(&state.db, village, latest.year).await?;
    let r = &y.report;
    Ok(Some(json!({
        "year": latest.year.get(),
        "period": latest.report.map(|(p, _)| p.label_key()),
        "income": rupiah_text(r.income.budget), "income_percent": percent_text(r.income.percent()),
        "spending": rupiah_text(r.spending.budget), "spending_percent": percent_text(r.spending.percent()),
    })))
}

/// The published years (the sitemap).
pub(crate) async fn public_years(
    state: &AppState,
    village: KodeWilayah,
) -> Result<Vec<FiscalYear>, AppError> {
    Ok(budget::public_years(&state.db, village)
        .await?
        .into_iter()
        .map(|y| y.year)
        .collect())
}

async fn public_page(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    kode: &str,
    year: Option<&str>,
) -> Result<Response, AppError> {
    let (village, v) = public_village(state, kode).await?;
    let plain = village.plain();
    let (year, csv) = match year {
        None => (None, false),
        Some(y) => {
            let (y, csv) = match y.strip_suffix(".csv") {
                Some(y) => (y, true),
                None => (y, false),
            };
            (Some(FiscalYear::parse(y).ok_or(AppError::NotFound)?), csv)
        }
    };
    let stamp = site::content_stamp(&state.db, village).await?;
    let key = format!(
        "/desa/{plain}/apbdes/{}{}#{}#{stamp}",
        year.map(|y| y.to_string()).unwrap_or_default(),
        if csv { ".csv" } else { "" },
        lang.code()
    );
    let page = state
        .aggregates
        .page(&state.db, &key, || async {
            let years = budget::public_years(&state.db, village).await?;
            let chosen = match year {
                Some(y) => Some(y),
                None => years.first().map(|y| y.year),
            };
            let shown = match chosen {
                Some(y) => Some(budget::public_year(&state.db, village, y).await?),
                None => None,
            };
            if csv {
                let y = shown.as_ref().ok_or(AppError::NotFound)?;
                return Page::new(CSV, year_csv(y));
            }
            let path = match year {
                Some(y) => format!("/desa/{plain}/apbdes/{y}"),
                None => format!("/desa/{plain}/apbdes"),
            };
            let mut ctx = json!({
                "lang": lang.code(), "village": v,
                "canonical": format!("{}{path}", state.public_url.as_str().trim_end_matches('/')),
                "years": years.iter().map(|y| year_json(y, &plain)).collect::<Vec<_>>(),
            });
            if let Some(y) = &shown {
                let meta = y.year.as_ref().map(|m| year_json(m, &plain));
                ctx["year"] = json!(y.fiscal_year.get());
                ctx["meta"] = json!(meta);
                ctx["sections"] = sections(y).iter().map(section_json).collect();
                ctx["csv"] = json!(format!("/desa/{plain}/apbdes/{}.csv", y.fiscal_year));
            }
            Page::new(HTML, state.templates.render("site_budget.html", ctx)?)
        })
        .await?;
    Ok(page.respond(headers))
}

/// `GET /desa/{kode}/apbdes`: the latest published year (or a note that
/// none is published yet).
pub(crate) async fn latest(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path(kode): Path<String>,
) -> Result<Response, AppError> {
    public_page(&state, lang, &headers, &kode, None).await
}

/// `GET /desa/{kode}/apbdes/{tahun}` (and `{tahun}.csv`): a published
/// year; a draft or unknown year is 404.
pub(crate) async fn year(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((kode, tahun)): Path<(String, String)>,
) -> Result<Response, AppError> {
    public_page(&state, lang, &headers, &kode, Some(&tahun)).await
}

// ---------------------------------------------------------------- staff

fn staff_url(village: KodeWilayah, year: Option<FiscalYear>) -> String {
    match year {
        Some(y) => format!("/staf/desa/{}/apbdes/{y}", village.plain()),
        None => format!("/staf/desa/{}/apbdes", village.plain()),
    }
}

/// The accounts a line may be written on, for the form's list.
fn account_options() -> Vec<Value> {
    AccountCode::postable()
        .map(|a| json!({ "value": a.code(), "label": format!("{} {}", a.code(), a.name()), "kind": a.kind().label_key() }))
        .collect()
}

fn sub_options() -> Vec<Value> {
    SubBidang::all()
        .map(|s| json!({ "value": s.code(), "label": format!("{} {}", s.code(), s.name()) }))
        .collect()
}

/// What the year page shows besides the lines: the forms and their state.
struct Forms<'a> {
    line: &'a LineForm,
    line_errors: &'a FieldErrors,
    publish: &'a PublishForm,
    publish_errors: &'a FieldErrors,
    problems: &'a [String],
}

async fn staff_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    year: Option<FiscalYear>,
    forms: Forms<'_>,
) -> Result<Html<String>, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_edit"] = json!(site::may_edit(access));
    let plain = access.village().plain();
    let years = budget::staff_years(&state.db, access).await?;
    let mut ctx = json!({
        "village": village,
        "years": years.iter().map(|y| year_json(y, &plain)).collect::<Vec<_>>(),
        "accounts": account_options(), "subs": sub_options(),
        "periods": balai_domain::budget::Period::ALL.iter()
            .map(|p| json!({ "value": p.form_value(), "label": p.label_key() })).collect::<Vec<_>>(),
        "form": forms.line, "errors": forms.line_errors,
        "publish": forms.publish, "publish_errors": forms.publish_errors,
        "problems": forms.problems,
    });
    if let Some(y) = year {
        let yb = budget::staff_year(&state.db, access, y).await?;
        let groups: Vec<Value> = Kind::ALL
            .iter()
            .map(|k| {
                let lines: Vec<&balai_services::budget::StoredLine> =
                    yb.lines.iter().filter(|l| l.line.kind() == *k).collect();
                let total = Figures::of(lines.iter().map(|l| &l.line));
                json!({
                    "kind": k.label_key(),
                    "total_budget": rupiah_text(total.budget), "total_realised": rupiah_text(total.realised),
                    "total_percent": percent_text(total.percent()),
                    "lines": lines.iter().map(|l| json!({
                        "id": l.id.to_string(), "account": l.line.account().code(),
                        "account_name": l.line.account().name(),
                        "sub": l.line.sub_bidang().map(|s| s.code()), "name": l.line.name,
                        "budget": rupiah_text(l.line.budget.get()), "realised": rupiah_text(l.line.realised.get()),
                        "percent": percent_text(Figures::of([&l.line]).percent()),
                        "imported": l.source == balai_services::budget::LineSource::Siskeudes,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        ctx["year"] = json!(y.get());
        ctx["meta"] = json!(yb.year.as_ref().map(|m| year_json(m, &plain)));
        ctx["groups"] = json!(groups);
    }
    render(state, current, "staff_budget.html", ctx)
}

fn blank_line(year: Option<FiscalYear>, state: &AppState) -> LineForm {
    let y = year
        .map(|y| y.get())
        .unwrap_or_else(|| u16::try_from(state.clock.now().year()).unwrap_or(2026));
    LineForm {
        tahun: y.to_string(),
        ..LineForm::default()
    }
}

fn year_of(tahun: &str) -> Result<FiscalYear, AppError> {
    FiscalYear::parse(tahun).ok_or(AppError::NotFound)
}

/// `GET /staf/desa/{kode}/apbdes`: the years, the new-line and import forms.
pub(crate) async fn staff_years(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let form = blank_line(None, &state);
    staff_page(
        &state,
        &current,
        &access,
        None,
        Forms {
            line: &form,
            line_errors: &FieldErrors::default(),
            publish: &PublishForm::default(),
            publish_errors: &FieldErrors::default(),
            problems: &[],
        },
    )
    .await
}

/// `GET /staf/desa/{kode}/apbdes/{tahun}`: a year's lines grouped by kind.
pub(crate) async fn staff_year(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, tahun)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let y = year_of(&tahun)?;
    let form = blank_line(Some(y), &state);
    staff_page(
        &state,
        &current,
        &access,
        Some(y),
        Forms {
            line: &form,
            line_errors: &FieldErrors::default(),
            publish: &PublishForm::default(),
            publish_errors: &FieldErrors::default(),
            problems: &[],
        },
    )
    .await
}

fn form_errors(e: ServiceError) -> Result<FieldErrors, AppError> {
    match e {
        ServiceError::Form(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

/// `POST /staf/desa/{kode}/apbdes/baris`: adds a line to its year.
pub(crate) async fn add_line(
    State(state): State<AppState>,
    Path(kode): Path<String>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let input: LineForm = form.parse()?;
    let result = match WriteLine::try_from(&input) {
        Ok(l) => budget::add_line(&state.db, state.clock.as_ref(), &access, &l)
            .await
            .map(|_| l.year),
        Err(e) => Err(ServiceError::Form(e)),
    };
    match result {
        Ok(y) => Ok(Redirect::to(&staff_url(access.village(), Some(y))).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            let year = FiscalYear::parse(&input.tahun);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                staff_page(
                    &state,
                    &current,
                    &access,
                    year,
                    Forms {
                        line: &input,
                        line_errors: &errors,
                        publish: &PublishForm::default(),
                        publish_errors: &FieldErrors::default(),
                        problems: &[],
                    },
                )
                .await?,
            )
                .into_response())
        }
    }
}

async fn line_page(
    state: &AppState,
    current: &CurrentStaff,
    access: &VillageAccess,
    line: &balai_services::budget::StoredLine,
    form: &LineForm,
    errors: &FieldErrors,
) -> Result<Html<String>, AppError> {
    let mut village = village_context(state, access).await?;
    village["can_edit"] = json!(site::may_edit(access));
    let ctx = json!({
        "village": village, "id": line.id.to_string(), "year": line.year.get(),
        "form": form, "errors": errors, "accounts": account_options(), "subs": sub_options(),
    });
    render(state, current, "staff_budget_line.html", ctx)
}

/// `GET /staf/desa/{kode}/apbdes/baris/{id}`: the editor of one line.
pub(crate) async fn edit_line(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path((kode, line)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let line = budget::staff_line(&state.db, &access, id(&line)?).await?;
    line_page(
        &state,
        &current,
        &access,
        &line,
        &LineForm::of(&line),
        &FieldErrors::default(),
    )
    .await
}

/// `POST /staf/desa/{kode}/apbdes/baris/{id}`: saves a line.
pub(crate) async fn update_line(
    State(state): State<AppState>,
    Path((kode, line)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let line = budget::staff_line(&state.db, &access, id(&line)?).await?;
    let mut input: LineForm = form.parse()?;
    // A line stays in its year.
    input.tahun = line.year.to_string();
    let result = match WriteLine::try_from(&input) {
        Ok(l) => budget::update_line(&state.db, state.clock.as_ref(), &access, line.id, &l).await,
        Err(e) => Err(ServiceError::Form(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&staff_url(access.village(), Some(line.year))).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                line_page(&state, &current, &access, &line, &input, &errors).await?,
            )
                .into_response())
        }
    }
}

/// `POST /staf/desa/{kode}/apbdes/baris/{id}/hapus` (`yakin=1`): deletes a line.
pub(crate) async fn remove_line(
    State(state): State<AppState>,
    Path((kode, line)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let access = village_access(&state, &form.current, &kode).await?;
    let line = budget::staff_line(&state.db, &access, id(&line)?).await?;
    if form.get("yakin") != "1" {
        return Err(AppError::BadRequest(
            "centang \"yakin\" untuk menghapus".into(),
        ));
    }
    budget::remove_line(&state.db, state.clock.as_ref(), &access, line.id).await?;
    Ok(Redirect::to(&staff_url(access.village(), Some(line.year))).into_response())
}

/// `POST /staf/desa/{kode}/apbdes/{tahun}/terbit`: `terbit=1` with
/// `periode` and `tanggal` publishes the year, `terbit=0` withdraws it.
pub(crate) async fn publish(
    State(state): State<AppState>,
    Path((kode, tahun)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, AppError> {
    let current = form.current.clone();
    let access = village_access(&state, &current, &kode).await?;
    let y = year_of(&tahun)?;
    let result = match form.get("terbit") {
        "0" => budget::set_publication(&state.db, state.clock.as_ref(), &access, y, None).await,
        "1" => {
            let input: PublishForm = form.parse()?;
            match Publish::try_from(&input) {
                Ok(p) => {
                    budget::set_publication(&state.db, state.clock.as_ref(), &access, y, Some(p))
                        .await
                }
                Err(errors) => {
                    let line = blank_line(Some(y), &state);
                    return Ok((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        staff_page(
                            &state,
                            &current,
                            &access,
                            Some(y),
                            Forms {
                                line: &line,
                                line_errors: &FieldErrors::default(),
                                publish: &input,
                                publish_errors: &errors,
                                problems: &[],
                            },
                        )
                        .await?,
                    )
                        .into_response());
                }
            }
        }
        _ => return Err(AppError::BadRequest("pilih terbit atau tarik".into())),
    };
    result?;
    Ok(Redirect::to(&staff_url(access.village(), Some(y))).into_response())
}

/// `POST /staf/desa/{kode}/apbdes/impor` (multipart: `_csrf`, `berkas`):
/// imports a Siskeudes export; every problem is listed, nothing written.
pub(crate) async fn import(
    State(state): State<AppState>,
    current: CurrentStaff,
    Path(kode): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let access = village_access(&state, &current, &kode).await?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("berkas terlalu besar (paling besar 20 MB)".into())
        } else {
            AppError::BadRequest("unggahan tidak dapat dibaca".into())
        }
    };
    let (mut csrf, mut bytes) = (String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("berkas") => bytes = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    if !balai_services::secrets::constant_time_eq(&csrf, &current.csrf) {
        return Err(AppError::Csrf);
    }
    match budget::import_siskeudes(&state.db, state.clock.as_ref(), &access, &bytes).await? {
        Ok(done) => Ok(Redirect::to(&staff_url(access.village(), Some(done.year))).into_response()),
        Err(problems) => {
            let line = blank_line(None, &state);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                staff_page(
                    &state,
                    &current,
                    &access,
                    None,
                    Forms {
                        line: &line,
                        line_errors: &FieldErrors::default(),
                        publish: &PublishForm::default(),
                        publish_errors: &FieldErrors::default(),
                        problems: &problems.0,
                    },
                )
                .await?,
            )
                .into_response())
        }
    }
}
