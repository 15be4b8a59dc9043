//! The village budget (APBDes, Permendagri 20/2018) on the village website
//! (issue 12): budget and realisation per account and fiscal year, typed by
//! staff or imported from a Siskeudes export, published per year as the
//! semester-1 or full-year realisation report.
//!
//! Who may do what is the news' rule: the village's own staff and the
//! regency (a [`VillageAccess`]) read drafts; the village's operator and
//! administrator write (`site::require_editor`). The public sees published
//! years only: a draft year, an unknown year and another village's year are
//! all "not found".
//!
//! The Siskeudes import ([`import_siskeudes`]) reads the zip of CSV tables
//! that MDBTools makes of a Siskeudes database (the form OpenSID imports):
//! see [`siskeudes`] for what is read and how budget and realisation are
//! derived. It is all or nothing: every problem (a missing table or column,
//! a bad row, a row of another village) is listed with its file and row,
//! and nothing is written unless there are none.

use balai_domain::KodeWilayah;
use balai_domain::budget::{
    AccountCode, BudgetLine, FiscalYear, Kind, Period, Report, Rupiah, SubBidang,
};
use balai_domain::site::Publication;
/// The stored shapes the pages show.
pub use balai_store::{BudgetYear, LineSource, StoredLine};
use time::Date;
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::site::require_editor;
use crate::staff::VillageAccess;

pub mod siskeudes;

/// Longest line name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Most lines one year holds (a village's APBDes has tens to a few hundred).
pub const MAX_LINES: usize = 2_000;

fn not_found(err: balai_store::StoreError) -> ServiceError {
    match err {
        balai_store::StoreError::NotFound(_) => ServiceError::NotFound,
        other => other.into(),
    }
}

/// The staff's line form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct LineForm {
    /// Fiscal year (`2026`).
    pub tahun: String,
    /// Account code, chosen from the list (`4.2.1`, `5.2`, …).
    pub rekening: String,
    /// Spending sub-field (`02.03`; '' for income and financing).
    pub sub_bidang: String,
    /// What the line is.
    pub uraian: String,
    /// Budget, rupiah.
    pub anggaran: String,
    /// Realised so far, rupiah ('' for nothing yet).
    pub realisasi: String,
}

impl LineForm {
    /// The form filled with a stored line.
    pub fn of(l: &StoredLine) -> Self {
        Self {
            tahun: l.year.to_string(),
            rekening: l.line.account().code().into(),
            sub_bidang: l.line.sub_bidang().map(|s| s.code()).unwrap_or_default(),
            uraian: l.line.name.clone(),
            anggaran: l.line.budget.get().to_string(),
            realisasi: l.line.realised.get().to_string(),
        }
    }
}

/// A line, checked, with its year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteLine {
    /// The fiscal year.
    pub year: FiscalYear,
    /// The line.
    pub line: BudgetLine,
}

fn rupiah_of(e: &mut FieldErrors, field: &str, label: &str, typed: &str) -> Option<Rupiah> {
    match Rupiah::parse(typed) {
        Ok(r) => Some(r),
        Err(balai_domain::showcase::NotRupiah::TooLarge) => {
            e.add(field, format!("{label}: terlalu besar"));
            None
        }
        Err(_) => {
            e.add(
                field,
                format!("{label}: tulis angka rupiah tanpa sen, misalnya 15000000 atau 15.000.000"),
            );
            None
        }
    }
}

impl TryFrom<&LineForm> for WriteLine {
    type Error = FieldErrors;
    /// Every problem at once, each under its field and naming it.
    fn try_from(f: &LineForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let year = FiscalYear::parse(&f.tahun);
        if year.is_none() {
            e.add(
                "tahun",
                format!(
                    "Tahun anggaran: tulis tahun empat angka, {}–{}",
                    balai_domain::budget::FIRST_YEAR,
                    balai_domain::budget::LAST_YEAR
                ),
            );
        }
        let account = AccountCode::parse(&f.rekening)
            .ok()
            .filter(|a| a.is_postable());
        if account.is_none() {
            e.add("rekening", "Rekening: pilih rekening dari daftar");
        }
        let sub = if f.sub_bidang.trim().is_empty() {
            Some(None)
        } else {
            match SubBidang::parse(&f.sub_bidang) {
                Ok(s) => Some(Some(s)),
                Err(_) => {
                    e.add("sub_bidang", "Sub-bidang: pilih sub-bidang dari daftar");
                    None
                }
            }
        };
        match (account.map(AccountCode::kind), sub) {
            (Some(Kind::Belanja), Some(None)) => e.add(
                "sub_bidang",
                "Sub-bidang: belanja harus diberi bidang dan sub-bidang",
            ),
            (Some(Kind::Pendapatan | Kind::Pembiayaan), Some(Some(_))) => e.add(
                "sub_bidang",
                "Sub-bidang: hanya belanja yang memiliki sub-bidang; kosongkan",
            ),
            _ => {}
        }
        let name = crate::site::text(&mut e, "uraian", &f.uraian, 0, MAX_NAME_CHARS);
        if e.0.contains_key("uraian") {
            let m = e.0["uraian"].clone();
            e.0.insert("uraian".into(), format!("Uraian: {m}"));
        } else if name.chars().any(char::is_control) {
            e.add(
                "uraian",
                "Uraian: berisi karakter kendali yang tidak diizinkan",
            );
        }
        let budget = rupiah_of(&mut e, "anggaran", "Anggaran", &f.anggaran);
        let realised = if f.realisasi.trim().is_empty() {
            Some(Rupiah::ZERO)
        } else {
            rupiah_of(&mut e, "realisasi", "Realisasi", &f.realisasi)
        };
        match (year, account, sub, budget, realised) {
            (Some(year), Some(account), Some(sub), Some(budget), Some(realised))
                if e.is_empty() =>
            {
                // An empty name takes the account's (or sub-field's) official one.
                let name = if name.is_empty() {
                    match sub {
                        Some(s) => s.name().to_string(),
                        None => account.name().to_string(),
                    }
                } else {
                    name
                };
                let line = BudgetLine::new(account, sub, name, budget, realised).map_err(|b| {
                    let mut e = FieldErrors::default();
                    e.add("rekening", format!("Rekening: {b}"));
                    e
                })?;
                Ok(WriteLine { year, line })
            }
            _ => Err(e),
        }
    }
}

/// The staff's publish form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PublishForm {
    /// `semester-1` or `tahun-penuh`.
    pub periode: String,
    /// The report's day, `YYYY-MM-DD`.
    pub tanggal: String,
}

/// A realisation report, checked: what a year is published as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publish {
    /// Semester 1 or the full year.
    pub period: Period,
    /// The report's day.
    pub on: Date,
}

impl TryFrom<&PublishForm> for Publish {
    type Error = FieldErrors;
    fn try_from(f: &PublishForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let period = Period::from_form(&f.periode);
        if period.is_none() {
            e.add("periode", "Periode: pilih semester 1 atau tahun penuh");
        }
        let on = Date::parse(
            f.tanggal.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok();
        if on.is_none() {
            e.add("tanggal", "Tanggal laporan: tulis tanggal, mis. 2026-07-31");
        }
        match (period, on) {
            (Some(period), Some(on)) => Ok(Publish { period, on }),
            _ => Err(e),
        }
    }
}

/// A year as the pages show it: its state, its lines and their figures.
#[derive(Debug, Clone)]
pub struct YearBudget {
    /// The year and whether it is published (none: no line written yet).
    pub year: Option<BudgetYear>,
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Its live lines, in account order.
    pub lines: Vec<StoredLine>,
    /// The figures of the lines.
    pub report: Report,
}

fn year_budget(
    fiscal_year: FiscalYear,
    year: Option<BudgetYear>,
    lines: Vec<StoredLine>,
) -> YearBudget {
    let plain: Vec<BudgetLine> = lines.iter().map(|l| l.line.clone()).collect();
    YearBudget {
        year,
        fiscal_year,
        report: Report::of(&plain),
        lines,
    }
}

// ---------------------------------------------------------------- staff

/// Every budget year of the village, drafts included, newest first.
pub async fn staff_years(db: &Db, access: &VillageAccess) -> Result<Vec<BudgetYear>, ServiceError> {
    Ok(db.store().budget_years(access.village(), false).await?)
}

/// A year of the village with its lines (a year without lines yet is empty).
pub async fn staff_year(
    db: &Db,
    access: &VillageAccess,
    year: FiscalYear,
) -> Result<YearBudget, ServiceError> {
    let store = db.store();
    let y = store.budget_year(access.village(), year).await?;
    let lines = store.budget_lines(access.village(), year).await?;
    Ok(year_budget(year, y, lines))
}

/// One live line of the village.
pub async fn staff_line(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<StoredLine, ServiceError> {
    db.store()
        .budget_line(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

async fn check_room(db: &Db, village: KodeWilayah, year: FiscalYear) -> Result<(), ServiceError> {
    if db.store().budget_lines(village, year).await?.len() >= MAX_LINES {
        let mut e = FieldErrors::default();
        e.add(
            "rekening",
            format!("Tahun {year} sudah berisi {MAX_LINES} baris, batas satu tahun"),
        );
        return Err(ServiceError::Form(e));
    }
    Ok(())
}

/// Adds a line to its year (creating the year, a draft, if new); returns its id.
pub async fn add_line(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    l: &WriteLine,
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    check_room(db, access.village(), l.year).await?;
    let id = crate::registry::events::new_row_id(clock);
    let year_id = crate::registry::events::new_row_id(clock);
    db.store()
        .add_budget_line(
            &access.context(clock),
            access.village(),
            l.year,
            year_id,
            id,
            &l.line,
            LineSource::Manual,
        )
        .await?;
    Ok(id)
}

/// Rewrites a line (its year stays what it was).
pub async fn update_line(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    l: &WriteLine,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .update_budget_line(&access.context(clock), access.village(), id, &l.line)
        .await
        .map_err(not_found)
}

/// Deletes a line.
pub async fn remove_line(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .remove_budget_line(&access.context(clock), access.village(), id)
        .await
        .map_err(not_found)
}

/// Publishes a year as the realisation report `report`, or (none) withdraws it.
pub async fn set_publication(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    year: FiscalYear,
    report: Option<Publish>,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    let to = if report.is_some() {
        Publication::Published
    } else {
        Publication::Draft
    };
    db.store()
        .set_budget_publication(
            &access.context(clock),
            access.village(),
            year,
            to,
            report.map(|r| (r.period, r.on)),
        )
        .await
        .map_err(not_found)
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The year the file is of.
    pub year: FiscalYear,
    /// How many lines it now has.
    pub lines: usize,
    /// The Siskeudes version the file says it is from.
    pub version: String,
}

/// Why an import wrote nothing: every problem, each naming its file and row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblems(pub Vec<String>);

/// Imports a Siskeudes export (a zip of CSV tables) into the village's
/// budget: the file's year gets exactly the file's lines (the year's
/// earlier lines are deleted), or, at the first problem found, nothing
/// is written and every problem is returned.
pub async fn import_siskeudes(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    zip: &[u8],
) -> Result<Result<Imported, ImportProblems>, ServiceError> {
    require_editor(access)?;
    let parsed = match siskeudes::read(zip, access.village()) {
        Ok(p) => p,
        Err(problems) => return Ok(Err(ImportProblems(problems))),
    };
    if parsed.lines.len() > MAX_LINES {
        return Ok(Err(ImportProblems(vec![format!(
            "berkas berisi {} baris anggaran, lebih dari batas {MAX_LINES}",
            parsed.lines.len()
        )])));
    }
    let lines: Vec<(Uuid, BudgetLine)> = parsed
        .lines
        .into_iter()
        .map(|l| (crate::registry::events::new_row_id(clock), l))
        .collect();
    let year_id = crate::registry::events::new_row_id(clock);
    db.store()
        .replace_budget_lines(
            &access.context(clock),
            access.village(),
            parsed.year,
            year_id,
            &lines,
            LineSource::Siskeudes,
        )
        .await?;
    Ok(Ok(Imported {
        year: parsed.year,
        lines: lines.len(),
        version: parsed.version,
    }))
}

// ---------------------------------------------------------------- public

/// The village's published years, newest first.
pub async fn public_years(db: &Db, village: KodeWilayah) -> Result<Vec<BudgetYear>, ServiceError> {
    Ok(db.store().budget_years(village, true).await?)
}

/// A published year with its lines; a draft or unknown year is "not found".
pub async fn public_year(
    db: &Db,
    village: KodeWilayah,
    year: FiscalYear,
) -> Result<YearBudget, ServiceError> {
    let store = db.store();
    let y = store
        .budget_year(village, year)
        .await?
        .filter(|y| y.publication.is_public())
        .ok_or(ServiceError::NotFound)?;
    let lines = store.budget_lines(village, year).await?;
    Ok(year_budget(year, Some(y), lines))
}

// ---------------------------------------------------------------- demo

/// Gives a demo village a plausible budget for `year` and the year before,
/// published (the year before as its full-year report, `year` as its
/// first semester), unless it has budget years already. Amounts vary by
/// `seed` so villages differ; nothing here is real data.
pub async fn seed_demo(
    db: &Db,
    ctx: &balai_store::WriteContext,
    village: KodeWilayah,
    year: FiscalYear,
    seed: u64,
) -> Result<(), ServiceError> {
    let store = db.store();
    if !store.budget_years(village, false).await?.is_empty() {
        return Ok(());
    }
    let prev = FiscalYear::new(i64::from(year.get()) - 1);
    for (y, full) in [(prev, true), (Some(year), false)] {
        let Some(y) = y else { continue };
        let lines = demo_lines(seed.wrapping_add(u64::from(y.get())), full);
        let ids: Vec<(Uuid, BudgetLine)> = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (demo_id(village, y, i), l))
            .collect();
        store
            .replace_budget_lines(
                ctx,
                village,
                y,
                demo_id(village, y, 9999),
                &ids,
                LineSource::Manual,
            )
            .await?;
        let (period, on) = if full {
            (
                Period::FullYear,
                Date::from_calendar_date(i32::from(y.get()) + 1, time::Month::January, 20),
            )
        } else {
            (
                Period::Semester1,
                Date::from_calendar_date(i32::from(y.get()), time::Month::July, 20),
            )
        };
        let on = on.map_err(|e| ServiceError::Invalid(e.to_string()))?;
        store
            .set_budget_publication(ctx, village, y, Publication::Published, Some((period, on)))
            .await?;
    }
    Ok(())
}

/// A stable id for demo line `i` of a village's year (the demo is reproducible).
fn demo_id(village: KodeWilayah, year: FiscalYear, i: usize) -> Uuid {
    let n = (u128::from(village.as_u64()) << 48) | (u128::from(year.get()) << 20) | i as u128;
    uuid::Builder::from_u128(n | (0x8 << 60)).into_uuid()
}

fn demo_lines(seed: u64, full: bool) -> Vec<BudgetLine> {
    // A small linear-congruential generator: reproducible, no dependency.
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut vary = |base: u64| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // ±20 %, rounded to thousands of rupiah.
        let pct = 80 + (s >> 33) % 41;
        base * pct / 100 / 1000 * 1000
    };
    let share = if full { 92 } else { 48 };
    let spec: [(&str, Option<&str>, &str, u64); 16] = [
        ("4.1.1", None, "Hasil Usaha BUM Desa", 45_000_000),
        ("4.1.2", None, "Sewa Tanah Kas Desa", 60_000_000),
        ("4.2.1", None, "Dana Desa", 950_000_000),
        (
            "4.2.2",
            None,
            "Bagi Hasil Pajak dan Retribusi Daerah",
            70_000_000,
        ),
        ("4.2.3", None, "Alokasi Dana Desa", 620_000_000),
        ("4.2.5", None, "Bantuan Keuangan Kabupaten", 100_000_000),
        ("4.3.6", None, "Bunga Bank", 3_000_000),
        (
            "5.1",
            Some("01.01"),
            "Penghasilan Tetap dan Tunjangan Kepala Desa dan Perangkat",
            560_000_000,
        ),
        (
            "5.2",
            Some("01.04"),
            "Penyusunan Dokumen Perencanaan dan Keuangan Desa",
            35_000_000,
        ),
        (
            "5.3",
            Some("02.03"),
            "Pembangunan Jalan Desa dan Saluran Irigasi",
            520_000_000,
        ),
        (
            "5.2",
            Some("02.02"),
            "Penyelenggaraan Posyandu dan Pencegahan Stunting",
            120_000_000,
        ),
        (
            "5.2",
            Some("03.02"),
            "Pembinaan Kegiatan Keagamaan dan Kebudayaan",
            40_000_000,
        ),
        (
            "5.2",
            Some("04.02"),
            "Pelatihan Pertanian dan Peternakan",
            60_000_000,
        ),
        (
            "5.4",
            Some("05.02"),
            "Penanganan Keadaan Darurat",
            50_000_000,
        ),
        ("6.1.1", None, "SILPA Tahun Sebelumnya", 80_000_000),
        ("6.2.2", None, "Penyertaan Modal BUM Desa", 50_000_000),
    ];
    spec.iter()
        .filter_map(|(acc, sub, name, base)| {
            let budget = vary(*base);
            let realised = if acc.starts_with("6.1") {
                budget
            } else {
                budget * (share + (vary(1000) / 1000 % 9)) / 100 / 1000 * 1000
            };
            BudgetLine::new(
                AccountCode::parse(acc).ok()?,
                sub.and_then(|s| SubBidang::parse(s).ok()),
                (*name).into(),
                Rupiah::new(budget).ok()?,
                Rupiah::new(realised).ok()?,
            )
            .ok()
        })
        .collect()
}
