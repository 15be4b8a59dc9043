//! The village development index at the regency (issue 13 part 3): IDM per
//! village per year, imported from the ministry's published table
//! (`balai_workbook::read_idm` documents the accepted columns) by the
//! regency administrator, or entered with the facilitator; the regency
//! ranking, the distribution by status and the progress over the years.
//!
//! Where Balai computes a figure rather than holding the published one (an
//! entered row, or a table without the IDM or status column), the row says
//! so and [`Working`] shows the arithmetic, computed exactly
//! (`balai_domain::idm`).

use std::collections::{HashMap, HashSet};

use balai_domain::idm::{Idm, IdmStatus, IdmYear, Index4, IndexError};
use balai_domain::indeks_desa::{Dimension, IndeksDesa, IndeksDesaYear};
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_store::{IdmRecord, IdmSource, StoredIdm};
pub use balai_workbook::IndexSheetError;
use balai_workbook::Limits;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::regency::RegencyView;
use crate::registry::field_errors::FieldErrors;

/// Largest index table accepted: a province's table is well under 5 MiB.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Every row was recorded.
    Recorded {
        /// The year.
        year: u16,
        /// Villages recorded.
        villages: usize,
    },
    /// Nothing was recorded, and why.
    Refused(IndexSheetError),
}

/// Imports the ministry's IDM table of `year` for the administrator's
/// regency: all or nothing, every bad cell named by row and column. A
/// village outside the regency or missing from the region list is a bad
/// cell too.
pub async fn import(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    year: IdmYear,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportOutcome, ServiceError> {
    if !view.whole_regency() {
        return Err(ServiceError::Forbidden(
            "hanya admin kabupaten yang dapat mengimpor tabel IDM".into(),
        ));
    }
    let limits = Limits {
        max_bytes: MAX_UPLOAD,
        ..Limits::default()
    };
    let regency = view.regency();
    let place = Placement::of(db, view).await?;
    let place = |v| place.check(v);
    let rows = match balai_workbook::read_idm(bytes, year, &limits, &place) {
        Ok(rows) => rows,
        Err(e) => return Ok(ImportOutcome::Refused(e)),
    };
    let records: Vec<IdmRecord> = rows
        .iter()
        .map(|r| IdmRecord {
            village: r.village,
            year,
            idm: r.idm,
            published: r.published,
            status: r.status,
            source: IdmSource::Imported,
        })
        .collect();
    let summary = file_summary(year.get(), records.len(), file_name, bytes);
    let ctx = balai_store::WriteContext::new(view.staff().username.clone(), clock.now());
    db.store()
        .record_idm(&ctx, regency, &records, &summary)
        .await?;
    Ok(ImportOutcome::Recorded {
        year: year.get(),
        villages: records.len(),
    })
}

/// Where an imported row's village may be: a village of the region list
/// inside the administrator's regency.
struct Placement {
    regency: KodeWilayah,
    regency_name: String,
    known: HashSet<KodeWilayah>,
}

impl Placement {
    async fn of(db: &Db, view: &RegencyView) -> Result<Self, ServiceError> {
        Ok(Self {
            regency: view.regency(),
            regency_name: crate::regency::regency_name(db, view).await?,
            known: db
                .store()
                .villages_in_region(view.regency())
                .await?
                .into_iter()
                .collect(),
        })
    }

    fn check(&self, v: KodeWilayah) -> Result<(), String> {
        if self.known.contains(&v) {
            Ok(())
        } else if v.ancestor(RegionLevel::Regency) == Some(self.regency) {
            Err("desa ini tidak ada di daftar wilayah; perbarui daftar wilayah atau periksa kodenya".into())
        } else {
            Err(format!(
                "bukan desa di {}; impor hanya untuk desa kabupaten ini",
                self.regency_name
            ))
        }
    }
}

fn file_summary(year: u16, villages: usize, file_name: &str, bytes: &[u8]) -> serde_json::Value {
    let digest = Sha256::digest(bytes);
    json!({
        "year": year,
        "villages": villages,
        "file": file_name.chars().take(120).collect::<String>(),
        "bytes": bytes.len(),
        "sha256": digest.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    })
}

/// Imports the ministry's Indeks Desa table of `year` (2024 on) for the
/// administrator's regency, all or nothing (`balai_workbook::read_indeks_desa`
/// documents the columns). The figures are held as published.
pub async fn import_indeks_desa(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    year: IndeksDesaYear,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportOutcome, ServiceError> {
    if !view.whole_regency() {
        return Err(ServiceError::Forbidden(
            "hanya admin kabupaten yang dapat mengimpor tabel Indeks Desa".into(),
        ));
    }
    let limits = Limits {
        max_bytes: MAX_UPLOAD,
        ..Limits::default()
    };
    let place = Placement::of(db, view).await?;
    let rows = match balai_workbook::read_indeks_desa(bytes, year, &limits, &|v| place.check(v)) {
        Ok(rows) => rows,
        Err(e) => return Ok(ImportOutcome::Refused(e)),
    };
    let rows: Vec<(KodeWilayah, IndeksDesa)> = rows.iter().map(|r| (r.village, r.index)).collect();
    let summary = file_summary(year.get(), rows.len(), file_name, bytes);
    let ctx = balai_store::WriteContext::new(view.staff().username.clone(), clock.now());
    db.store()
        .record_indeks_desa(&ctx, view.regency(), year, &rows, &summary)
        .await?;
    Ok(ImportOutcome::Recorded {
        year: year.get(),
        villages: rows.len(),
    })
}

/// One village's published Indeks Desa of one year as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndeksDesaRow {
    /// Rank among the villages of the year (equal scores share a rank); 0 in a history.
    pub rank: usize,
    /// The village code (dotted).
    pub village: String,
    /// The village's name.
    pub village_name: String,
    /// The district's name.
    pub district_name: String,
    /// The year.
    pub year: u16,
    /// The six dimension scores, in the regulation's order.
    pub dimensions: Vec<String>,
    /// The overall score.
    pub score: String,
    /// The score in hundredths.
    pub score_n: u16,
    /// The status as published.
    pub status_label: &'static str,
}

/// The regency's Indeks Desa page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndeksDesaRanking {
    /// The year shown.
    pub year: u16,
    /// The years with data.
    pub years: Vec<u16>,
    /// The dimension names, in column order.
    pub dimensions: Vec<&'static str>,
    /// The villages of the year, best first.
    pub rows: Vec<IndeksDesaRow>,
    /// Villages per published status.
    pub by_status: Vec<StatusCount>,
}

fn id_row(s: &balai_store::StoredIndeksDesa) -> IndeksDesaRow {
    IndeksDesaRow {
        rank: 0,
        village: s.village.dotted(),
        village_name: s.village_name.clone(),
        district_name: s.district_name.clone(),
        year: s.year.get(),
        dimensions: s.index.dimensions.iter().map(ToString::to_string).collect(),
        score: s.index.score.to_string(),
        score_n: s.index.score.hundredths(),
        status_label: s.index.status.label(),
    }
}

/// The published Indeks Desa of `year` (the latest with data when none is
/// asked) over the villages `view` sees, best first.
pub async fn indeks_desa_ranking(
    db: &Db,
    view: &RegencyView,
    year: Option<IndeksDesaYear>,
) -> Result<IndeksDesaRanking, ServiceError> {
    let all: Vec<balai_store::StoredIndeksDesa> = db
        .store()
        .indeks_desa_history(view.regency())
        .await?
        .into_iter()
        .filter(|s| view.sees(s.village))
        .collect();
    let mut years: Vec<u16> = all.iter().map(|s| s.year.get()).collect();
    years.sort_unstable();
    years.dedup();
    let year = year
        .map(IndeksDesaYear::get)
        .or_else(|| years.last().copied())
        .unwrap_or(IndeksDesaYear::FIRST);
    let of_year: Vec<&balai_store::StoredIndeksDesa> =
        all.iter().filter(|s| s.year.get() == year).collect();
    let mut rows: Vec<IndeksDesaRow> = of_year.iter().map(|s| id_row(s)).collect();
    rows.sort_by(|a, b| b.score_n.cmp(&a.score_n).then(a.village.cmp(&b.village)));
    let mut rank = 0;
    let mut last = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if last != Some(r.score_n) {
            rank = i + 1;
            last = Some(r.score_n);
        }
        r.rank = rank;
    }
    let by_status = status_counts(of_year.iter().map(|s| s.index.status));
    Ok(IndeksDesaRanking {
        year,
        years,
        dimensions: Dimension::ALL.iter().map(|d| d.label()).collect(),
        rows,
        by_status,
    })
}

/// One village's published Indeks Desa over the years.
pub async fn indeks_desa_history(
    db: &Db,
    view: &RegencyView,
    village: KodeWilayah,
) -> Result<Vec<IndeksDesaRow>, ServiceError> {
    if village.level() != RegionLevel::Village || !view.sees(village) {
        return Err(ServiceError::NotFound);
    }
    Ok(db
        .store()
        .indeks_desa_history(village)
        .await?
        .iter()
        .map(id_row)
        .collect())
}

/// One village's IDM of one year as entered with the facilitator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdmEntry {
    /// The year.
    pub year: IdmYear,
    /// The three indices.
    pub idm: Idm,
}

impl IdmEntry {
    /// Reads the typed year and indices; every bad field named.
    pub fn parse(year: &str, iks: &str, ike: &str, ikl: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let year = IdmYear::parse(year);
        if year.is_none() {
            errors.add(
                "tahun",
                format!(
                    "tahun IDM harus {} sampai {}",
                    IdmYear::FIRST,
                    IdmYear::LAST
                ),
            );
        }
        let mut index = |field: &str, name: &str, text: &str| match Index4::parse(text) {
            Ok(i) => Some(i),
            Err(e) => {
                errors.add(field, index_message(name, &e));
                None
            }
        };
        let iks = index("iks", "IKS", iks);
        let ike = index("ike", "IKE", ike);
        let ikl = index("ikl", "IKL", ikl);
        match (year, iks, ike, ikl) {
            (Some(year), Some(iks), Some(ike), Some(ikl)) => Ok(Self {
                year,
                idm: Idm { iks, ike, ikl },
            }),
            _ => Err(errors),
        }
    }
}

fn index_message(name: &str, e: &IndexError) -> String {
    match e {
        IndexError::NotANumber(_) => format!("{name} harus angka seperti 0,6543"),
        IndexError::TooPrecise(_) => format!("{name} paling banyak 4 angka di belakang koma"),
        IndexError::OutOfRange(_) => format!("{name} harus di antara 0 dan 1"),
    }
}

/// Whether the one holding `view` may enter `village`'s index: the
/// regency administrator, or a facilitator assigned to the village.
pub fn may_enter(view: &RegencyView, village: KodeWilayah) -> bool {
    match view.staff().role {
        Role::RegencyAdmin => view.sees(village),
        Role::Facilitator => view.staff().assigned.contains(&village),
        _ => false,
    }
}

/// Records an entered IDM for `village` (replacing that year's figure).
pub async fn enter(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    village: KodeWilayah,
    entry: &IdmEntry,
) -> Result<(), ServiceError> {
    if village.level() != RegionLevel::Village || !view.sees(village) {
        return Err(ServiceError::NotFound);
    }
    if !may_enter(view, village) {
        return Err(ServiceError::Forbidden(
            "hanya admin kabupaten atau pendamping desa ini yang dapat mengisi IDM".into(),
        ));
    }
    let record = IdmRecord {
        village,
        year: entry.year,
        idm: entry.idm,
        published: None,
        status: None,
        source: IdmSource::Entered,
    };
    let summary = json!({
        "village": village.plain(),
        "year": entry.year.get(),
        "iks": entry.idm.iks.to_string(),
        "ike": entry.idm.ike.to_string(),
        "ikl": entry.idm.ikl.to_string(),
    });
    let ctx = balai_store::WriteContext::new(view.staff().username.clone(), clock.now());
    db.store()
        .record_idm(&ctx, view.regency(), &[record], &summary)
        .await?;
    Ok(())
}

/// How a shown IDM and status were arrived at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Working {
    /// Whether Balai computed the IDM (not published with the row).
    pub idm_computed: bool,
    /// Whether Balai computed the status.
    pub status_computed: bool,
    /// "(0.6457 + 0.5333 + 0.6667) / 3 = 0.6152": always shown, so a
    /// published value can be checked against its indices.
    pub formula: String,
    /// The band of the status shown: "0.5989 < IDM ≤ 0.7072".
    pub band: String,
}

/// One village's IDM of one year as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdmRow {
    /// Rank in the view (villages with equal IDM share a rank); 0 in a history.
    pub rank: usize,
    /// The village code (dotted).
    pub village: String,
    /// The village's name.
    pub village_name: String,
    /// The district's name.
    pub district_name: String,
    /// The year.
    pub year: u16,
    /// IKS.
    pub iks: String,
    /// IKE.
    pub ike: String,
    /// IKL.
    pub ikl: String,
    /// The IDM shown: the published one, or Balai's.
    pub idm: String,
    /// The IDM in ten-thousandths (for charts).
    pub idm_n: u16,
    /// The status shown.
    pub status: IdmStatus,
    /// The status's label.
    pub status_label: &'static str,
    /// Change from the village's previous recorded year ("+0.0123"), if any.
    pub change: Option<String>,
    /// Entered with the facilitator (not imported).
    pub entered: bool,
    /// How the figures were arrived at.
    pub working: Working,
}

impl IdmRow {
    fn value(&self) -> Index4 {
        Index4::from_ten_thousandths(self.idm_n).unwrap_or(Index4::ZERO)
    }
}

fn row(s: &StoredIdm, previous: Option<Index4>) -> IdmRow {
    let r = &s.record;
    let computed = r.idm.value().rounded();
    let value = r.published.unwrap_or(computed);
    let status = r.status.unwrap_or_else(|| IdmStatus::of(value.fraction()));
    let change = previous.map(|p| {
        let d = i32::from(value.ten_thousandths()) - i32::from(p.ten_thousandths());
        let sign = if d < 0 { '−' } else { '+' };
        let d = d.unsigned_abs();
        format!("{sign}{}.{:04}", d / 10_000, d % 10_000)
    });
    IdmRow {
        rank: 0,
        village: r.village.dotted(),
        village_name: s.village_name.clone(),
        district_name: s.district_name.clone(),
        year: r.year.get(),
        iks: r.idm.iks.to_string(),
        ike: r.idm.ike.to_string(),
        ikl: r.idm.ikl.to_string(),
        idm: value.to_string(),
        idm_n: value.ten_thousandths(),
        status,
        status_label: status.label(),
        change,
        entered: r.source == IdmSource::Entered,
        working: Working {
            idm_computed: r.published.is_none(),
            status_computed: r.status.is_none(),
            formula: format!(
                "({} + {} + {}) / 3 = {computed}",
                r.idm.iks, r.idm.ike, r.idm.ikl
            ),
            band: status.band(),
        },
    }
}

/// How many villages are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// The status.
    pub status: IdmStatus,
    /// Its label.
    pub label: &'static str,
    /// Villages.
    pub villages: usize,
    /// Share of the villages with an IDM, in per mille.
    pub permille: usize,
}

/// One year of the view's IDM at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSummary {
    /// The year.
    pub year: u16,
    /// Villages with an IDM that year.
    pub villages: usize,
    /// Mean IDM of those villages, rounded half up to four places.
    pub average: String,
    /// The mean in ten-thousandths (for charts).
    pub average_n: u16,
    /// Villages per status, lowest status first.
    pub by_status: Vec<StatusCount>,
}

/// How many of `statuses` are in each status, lowest status first.
fn status_counts(statuses: impl Iterator<Item = IdmStatus> + Clone) -> Vec<StatusCount> {
    let n = statuses.clone().count();
    IdmStatus::ALL
        .into_iter()
        .map(|s| {
            let c = statuses.clone().filter(|t| *t == s).count();
            StatusCount {
                status: s,
                label: s.label(),
                villages: c,
                permille: (c * 1000).checked_div(n).unwrap_or(0),
            }
        })
        .collect()
}

fn summary(year: u16, rows: &[(Index4, IdmStatus)]) -> YearSummary {
    let n = rows.len() as u64;
    let sum: u64 = rows
        .iter()
        .map(|(v, _)| u64::from(v.ten_thousandths()))
        .sum();
    // Half up, in integers: (2·sum + n) / 2n.
    let average = (2 * sum + n)
        .checked_div(2 * n)
        .and_then(|a| u16::try_from(a).ok())
        .and_then(Index4::from_ten_thousandths)
        .unwrap_or(Index4::ZERO);
    YearSummary {
        year,
        villages: rows.len(),
        average: average.to_string(),
        average_n: average.ten_thousandths(),
        by_status: status_counts(rows.iter().map(|(_, t)| *t)),
    }
}

/// The regency's IDM page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranking {
    /// The year shown.
    pub year: u16,
    /// The years with data, oldest first.
    pub years: Vec<u16>,
    /// The villages of the year, best first.
    pub rows: Vec<IdmRow>,
    /// Villages on the view without an IDM that year.
    pub missing: usize,
    /// The year's summary (distribution by status).
    pub this_year: YearSummary,
    /// Each year's summary, oldest first (progress over the years).
    pub progress: Vec<YearSummary>,
}

/// The ranking of `year` (the latest year with data when none is asked),
/// its distribution by status and the progress over the years, over the
/// villages `view` sees.
pub async fn ranking(
    db: &Db,
    view: &RegencyView,
    year: Option<IdmYear>,
) -> Result<Ranking, ServiceError> {
    let all: Vec<StoredIdm> = db
        .store()
        .idm_history(view.regency())
        .await?
        .into_iter()
        .filter(|s| view.sees(s.record.village))
        .collect();
    let mut years: Vec<u16> = all.iter().map(|s| s.record.year.get()).collect();
    years.sort_unstable();
    years.dedup();
    let year = year
        .map(IdmYear::get)
        .or_else(|| years.last().copied())
        .unwrap_or(IdmYear::LAST);
    // The history is by village, then year: a row's previous is the one before it.
    let mut previous: HashMap<KodeWilayah, Index4> = HashMap::new();
    let mut rows = Vec::new();
    let mut by_year: HashMap<u16, Vec<(Index4, IdmStatus)>> = HashMap::new();
    for s in &all {
        let r = row(s, previous.get(&s.record.village).copied());
        previous.insert(s.record.village, r.value());
        by_year
            .entry(r.year)
            .or_default()
            .push((r.value(), r.status));
        if r.year == year {
            rows.push(r);
        }
    }
    rows.sort_by(|a, b| b.idm_n.cmp(&a.idm_n).then(a.village.cmp(&b.village)));
    let mut rank = 0;
    let mut last = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if last != Some(r.idm_n) {
            rank = i + 1;
            last = Some(r.idm_n);
        }
        r.rank = rank;
    }
    let on_view = if view.whole_regency() {
        db.store().villages_in_region(view.regency()).await?.len()
    } else {
        view.staff().assigned.len()
    };
    let year_rows = |y: u16| by_year.get(&y).map_or(&[][..], Vec::as_slice);
    Ok(Ranking {
        year,
        missing: on_view.saturating_sub(rows.len()),
        this_year: summary(year, year_rows(year)),
        progress: years.iter().map(|y| summary(*y, year_rows(*y))).collect(),
        years,
        rows,
    })
}

/// One village's IDM over the years, oldest first, with the working.
pub async fn history(
    db: &Db,
    view: &RegencyView,
    village: KodeWilayah,
) -> Result<Vec<IdmRow>, ServiceError> {
    if village.level() != RegionLevel::Village || !view.sees(village) {
        return Err(ServiceError::NotFound);
    }
    let mut previous = None;
    Ok(db
        .store()
        .idm_history(village)
        .await?
        .iter()
        .map(|s| {
            let r = row(s, previous);
            previous = Some(r.value());
            r
        })
        .collect())
}
