//! The village's statutory reports: the monthly mutation report and the
//! Buku Induk Penduduk (Permendagri 47/2016, book B.1), on screen and as xlsx.

use crate::db::Db;
use balai_domain::KodeWilayah;
use balai_domain::mutation_report::{MutationReport, mutation_report};
pub use balai_domain::regency::{REPORT_DUE_DAY, ReportMonth, ReportState};
use balai_domain::{Resident, family::Family};
pub use balai_store::ReportSubmission;
use rust_xlsxwriter::{Format, Workbook};
use time::{Date, Month};

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::staff::VillageAccess;

/// The first and last day of a month.
pub fn month_bounds(year: i32, month: u8) -> Result<(Date, Date), ServiceError> {
    let m = Month::try_from(month)
        .map_err(|_| ServiceError::Invalid(format!("bulan {month} tidak ada (1-12)")))?;
    let first = Date::from_calendar_date(year, m, 1)
        .map_err(|_| ServiceError::Invalid(format!("tahun {year} tidak valid")))?;
    let last = Date::from_calendar_date(year, m, time::util::days_in_month(m, year))
        .expect("last day of a valid month");
    Ok((first, last))
}

/// The mutation report of `year`-`month`.
pub async fn mutation(
    db: &Db,
    access: &VillageAccess,
    year: i32,
    month: u8,
) -> Result<MutationReport, ServiceError> {
    let store = db.store();
    let (from, to) = month_bounds(year, month)?;
    let (people, events) = store.village_history(access.village()).await?;
    Ok(mutation_report(&people, &events, from, to))
}

/// One dusun's line of the mutation report by dusun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DusunMutation {
    /// The dusun's name ([`NO_DUSUN`] for residents on no card).
    pub dusun: String,
    /// Its report.
    pub report: MutationReport,
}

/// The label of residents on no family card in the report by dusun.
pub const NO_DUSUN: &str = "(tanpa KK)";

/// The mutation report of `month` per dusun, by dusun name: each resident
/// counts in the dusun of the card they are on, so the dusuns' figures add
/// up to the village's.
pub async fn mutation_by_dusun(
    db: &Db,
    access: &VillageAccess,
    month: ReportMonth,
) -> Result<Vec<DusunMutation>, ServiceError> {
    use std::collections::{BTreeMap, HashMap};
    let store = db.store();
    let (from, to) = month_bounds(month.year, month.month)?;
    let (people, events) = store.village_history(access.village()).await?;
    let dusun_of: HashMap<uuid::Uuid, String> = store
        .resident_dusuns(access.village())
        .await?
        .into_iter()
        .map(|(id, d)| (id, d.unwrap_or_else(|| NO_DUSUN.to_string())))
        .collect();
    let mut parts: BTreeMap<&str, (Vec<_>, Vec<_>)> = BTreeMap::new();
    let of = |id: &uuid::Uuid| dusun_of.get(id).map_or(NO_DUSUN, String::as_str);
    for p in &people {
        parts.entry(of(&p.0)).or_default().0.push(*p);
    }
    for e in &events {
        parts
            .entry(of(&e.resident_id))
            .or_default()
            .1
            .push(e.clone());
    }
    Ok(parts
        .into_iter()
        .map(|(dusun, (people, events))| DusunMutation {
            dusun: dusun.to_string(),
            report: mutation_report(&people, &events, from, to),
        })
        .collect())
}

/// The report's rows: (label, men, women), in the order the form prints them.
pub fn mutation_rows(r: &MutationReport) -> Vec<(&'static str, u32, u32)> {
    vec![
        ("Penduduk awal bulan", r.start.male, r.start.female),
        ("Lahir", r.births.male, r.births.female),
        ("Datang", r.moved_in.male, r.moved_in.female),
        ("Meninggal", r.deaths.male, r.deaths.female),
        (
            "Pindah / pergi / hilang",
            r.moved_out.male,
            r.moved_out.female,
        ),
        ("Penduduk akhir bulan", r.end.male, r.end.female),
    ]
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ServiceError {
    ServiceError::Invalid(format!("berkas xlsx tidak dapat dibuat: {e}"))
}

/// The mutation report as a workbook.
pub fn mutation_xlsx(
    village_name: &str,
    year: i32,
    month: u8,
    r: &MutationReport,
) -> Result<Vec<u8>, ServiceError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        format!(
            "LAPORAN MUTASI PENDUDUK DESA {} BULAN {month:02}/{year}",
            village_name.to_uppercase()
        ),
        &bold,
    )
    .map_err(xlsx_error)?;
    for (c, h) in ["Uraian", "Laki-laki", "Perempuan", "Jumlah"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(xlsx_error)?;
    }
    for (i, (label, m, f)) in mutation_rows(r).into_iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, label).map_err(xlsx_error)?;
        ws.write_number(row, 1, f64::from(m)).map_err(xlsx_error)?;
        ws.write_number(row, 2, f64::from(f)).map_err(xlsx_error)?;
        ws.write_number(row, 3, f64::from(m + f))
            .map_err(xlsx_error)?;
    }
    ws.set_column_width(0, 28).map_err(xlsx_error)?;
    wb.save_to_buffer().map_err(xlsx_error)
}

/// One line of the Buku Induk Penduduk.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndukRow {
    /// Running number.
    pub no: usize,
    /// Name.
    pub name: String,
    /// L or P.
    pub sex: &'static str,
    /// Marital status.
    pub marital: &'static str,
    /// Place and date of birth, as the printed register writes them
    /// (`KLATEN, 20-08-1985`).
    pub birth: String,
    /// Place of birth.
    pub birth_place: String,
    /// Date of birth, ISO (pages write it in words).
    pub birth_date: String,
    /// Religion.
    pub religion: &'static str,
    /// Education.
    pub education: &'static str,
    /// Occupation.
    pub occupation: &'static str,
    /// Citizenship.
    pub citizenship: &'static str,
    /// Address (dusun, RW, RT).
    pub address: String,
    /// NIK or temporary number.
    pub nik: String,
    /// No. KK.
    pub no_kk: String,
    /// Status.
    pub status: &'static str,
}

fn induk_row(no: usize, r: &Resident, f: Option<&Family>) -> IndukRow {
    IndukRow {
        no,
        name: r.name.to_string(),
        sex: if r.sex == balai_domain::codes::Sex::LakiLaki {
            "L"
        } else {
            "P"
        },
        marital: r.marital_status.label(),
        birth: format!(
            "{}, {:02}-{:02}-{}",
            r.birth_place,
            r.birth_date.day(),
            u8::from(r.birth_date.month()),
            r.birth_date.year()
        ),
        birth_place: r.birth_place.to_string(),
        birth_date: r.birth_date.to_string(),
        religion: r.religion.label(),
        education: r.education.label(),
        occupation: r.occupation.label(),
        citizenship: r.citizenship.label(),
        address: f.map(Family::full_address).unwrap_or_default(),
        nik: r.number.to_string(),
        no_kk: f.map(|f| f.no_kk.to_string()).unwrap_or_default(),
        status: r.status.label(),
    }
}

/// Rows per page of the Buku Induk on screen.
pub const INDUK_PER_PAGE: usize = 100;

/// The Buku Induk (every resident ever registered, families together): one
/// page of it, or all of it for `None`, with the total count. Only the
/// residents returned are logged as viewed.
pub async fn buku_induk(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    page: Option<usize>,
) -> Result<(Vec<IndukRow>, usize), ServiceError> {
    buku_induk_in(db, clock, access, page.map(|p| (p, INDUK_PER_PAGE))).await
}

/// [`buku_induk`] with pages of `per_page` rows: `(page, per_page)`, or all
/// of it for `None`.
pub(crate) async fn buku_induk_in(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    page: Option<(usize, usize)>,
) -> Result<(Vec<IndukRow>, usize), ServiceError> {
    let store = db.store();
    let (families, residents) = store.village_population(access.village()).await?;
    let by_id: std::collections::HashMap<_, _> = families.iter().map(|f| (f.id, f)).collect();
    let total = residents.len();
    let range = match page {
        Some((p, per_page)) => {
            // Saturating: a page number typed into the URL must not overflow.
            let start = (p.max(1) - 1).saturating_mul(per_page).min(total);
            start..(start + per_page).min(total)
        }
        None => 0..total,
    };
    let shown = &residents[range.clone()];
    let ids: Vec<uuid::Uuid> = shown.iter().map(|r| r.id).collect();
    store
        .log_bulk_access(
            &access.context(clock),
            access.village(),
            &ids,
            "buku induk penduduk",
        )
        .await?;
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, r)| {
            induk_row(
                range.start + i + 1,
                r,
                r.family_id.and_then(|f| by_id.get(&f).copied()),
            )
        })
        .collect();
    Ok((rows, total))
}

/// The Buku Induk as a workbook.
pub fn buku_induk_xlsx(village_name: &str, rows: &[IndukRow]) -> Result<Vec<u8>, ServiceError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        format!("BUKU INDUK PENDUDUK DESA {}", village_name.to_uppercase()),
        &bold,
    )
    .map_err(xlsx_error)?;
    let headers = [
        "No",
        "Nama",
        "L/P",
        "Status Perkawinan",
        "Tempat, Tanggal Lahir",
        "Agama",
        "Pendidikan",
        "Pekerjaan",
        "Kewarganegaraan",
        "Alamat",
        "NIK",
        "No. KK",
        "Status",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(xlsx_error)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_number(row, 0, r.no as f64).map_err(xlsx_error)?;
        for (c, v) in [
            &r.name as &str,
            r.sex,
            r.marital,
            &r.birth,
            r.religion,
            r.education,
            r.occupation,
            r.citizenship,
            &r.address,
            &r.nik,
            &r.no_kk,
            r.status,
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(row, 1 + c as u16, *v).map_err(xlsx_error)?;
        }
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// Whether the one reading `access` may submit the village's monthly
/// report to the regency: its operator or its head.
pub fn may_submit(access: &VillageAccess) -> bool {
    access.can_write() || access.can_sign()
}

/// Submits the village's mutation report of `month` to the regency: only
/// once the month is over, once per month (the first submission stands).
/// The report's figures as they are now are kept with the submission.
pub async fn submit_mutation(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    month: ReportMonth,
) -> Result<(), ServiceError> {
    if !may_submit(access) {
        return Err(ServiceError::Forbidden(
            "hanya operator atau kepala desa yang dapat mengirim laporan".into(),
        ));
    }
    if !month.may_submit_on(crate::registry::today(clock, access.village())) {
        return Err(ServiceError::Invalid(format!(
            "laporan bulan {month} baru dapat dikirim setelah bulan itu berakhir"
        )));
    }
    let report = mutation(db, access, month.year, month.month).await?;
    let figures = serde_json::to_string(&report)
        .map_err(|e| ServiceError::Invalid(format!("laporan tidak dapat disimpan: {e}")))?;
    db.store()
        .submit_report(&access.context(clock), access.village(), month, &figures)
        .await
        .map_err(|e| match e {
            balai_store::StoreError::Conflict(_) => {
                ServiceError::Invalid(format!("laporan bulan {month} sudah dikirim"))
            }
            e => e.into(),
        })
}

/// The village's submission of `month`, if it submitted it.
pub async fn submission(
    db: &Db,
    village: &crate::staff::VillageOverview,
    month: ReportMonth,
) -> Result<Option<ReportSubmission>, ServiceError> {
    Ok(db
        .store()
        .report_submissions(village.village(), month)
        .await?
        .remove(&village.village().plain().parse::<i64>().unwrap_or_default()))
}

/// One village's line of the regency's roll-up of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollUpRow {
    /// The village.
    pub village: KodeWilayah,
    /// Its name.
    pub name: String,
    /// Its district's name.
    pub district: String,
    /// Its submission, if any.
    pub submission: Option<ReportSubmission>,
    /// On time, late, pending.
    pub state: ReportState,
}

/// Which villages of `view` submitted `month`'s report, who and when, and
/// which are late on the services' today (see
/// `balai_domain::regency::REPORT_DUE_DAY`).
pub async fn roll_up(
    db: &Db,
    clock: &dyn Clock,
    view: &crate::regency::RegencyView,
    month: ReportMonth,
) -> Result<Vec<RollUpRow>, ServiceError> {
    let store = db.store();
    let today = crate::registry::today(clock, view.regency());
    let mut submitted = store.report_submissions(view.regency(), month).await?;
    let mut out = Vec::new();
    for s in store.village_summaries(Some(view.regency())).await? {
        let v = s.village.kode;
        if !view.sees(v) {
            continue;
        }
        let submission = submitted.remove(&v.plain().parse::<i64>().unwrap_or_default());
        let state = ReportState::of(
            month,
            submission
                .as_ref()
                .map(|s| crate::registry::local_date(s.submitted_at, v)),
            today,
        );
        out.push(RollUpRow {
            village: v,
            name: s.village.name,
            district: s.village.district_name,
            submission,
            state,
        });
    }
    Ok(out)
}
