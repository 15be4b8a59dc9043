//! The regency dashboard and its drill-down (issue 13): regency → district
//! → village → dusun → RW, each level's figures the sum of the level below.
//!
//! Every population figure is a sum of kept counts
//! (`balai_domain::regency::KEY_COUNTS` over `population_stat`), never a
//! second count: the regency's total is the regency's own kept row, a
//! village's its own row, a dusun's and an RW's the sum of their RT rows —
//! and the tests check each equals the sum of the level below. Activity
//! (letters this month, open requests, last change, last operator login,
//! the website's newest published news)
//! is per village; districts and the regency add counts and take the
//! newest (or oldest) instant. Aggregates only: nothing here names or
//! identifies a resident, and the regency administrator and facilitators
//! who read it never reach personal data (`staff::authorize` refuses them).

use std::collections::HashMap;
use std::fmt::Write as _;

use balai_domain::regency::KeyFigures;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_store::{KeyGrouping, VillageActivity};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::today;
use crate::staff::{Staff, VillageOverview};
use balai_domain::time_zone::ZonaWaktu;

/// What a village did lately, or the sum over an area's villages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// Letters issued this month.
    pub letters_this_month: i64,
    /// Residents' letter requests not yet finished.
    pub open_requests: i64,
    /// When the oldest unfinished request was made.
    pub oldest_open_request: Option<OffsetDateTime>,
    /// The last change to the data.
    pub last_change: Option<OffsetDateTime>,
    /// The last login of an operator.
    pub last_operator_login: Option<OffsetDateTime>,
    /// The day of the newest published news post on the village website.
    pub last_news: Option<Date>,
}

impl From<VillageActivity> for Activity {
    fn from(a: VillageActivity) -> Self {
        Activity {
            letters_this_month: a.letters_this_month,
            open_requests: a.open_requests,
            oldest_open_request: a.oldest_open_request,
            last_change: a.last_change,
            last_operator_login: a.last_operator_login,
            last_news: a.last_news,
        }
    }
}

fn newest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    a.max(b)
}

fn oldest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Activity {
    /// Two areas together: counts add, the newest change and login and the
    /// oldest open request are kept.
    pub fn plus(&self, o: &Activity) -> Activity {
        Activity {
            letters_this_month: self.letters_this_month + o.letters_this_month,
            open_requests: self.open_requests + o.open_requests,
            oldest_open_request: oldest(self.oldest_open_request, o.oldest_open_request),
            last_change: newest(self.last_change, o.last_change),
            last_operator_login: newest(self.last_operator_login, o.last_operator_login),
            last_news: self.last_news.max(o.last_news),
        }
    }

    /// Whole days the oldest open request has waited on `today`, counted
    /// in calendar days on the clocks of `zone` (the village's).
    pub fn oldest_open_days(&self, today: Date, zone: ZonaWaktu) -> Option<i64> {
        self.oldest_open_request
            .map(|t| (today - zone.local(t).date()).whole_days().max(0))
    }
}

/// One village on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageRow {
    /// The village.
    pub kode: KodeWilayah,
    /// Its name.
    pub name: String,
    /// Its district.
    pub district: KodeWilayah,
    /// The district's name.
    pub district_name: String,
    /// Its key figures.
    pub figures: KeyFigures,
    /// What it did lately.
    pub activity: Activity,
    /// (latitude, longitude) from the region list, if known.
    pub point: Option<(f64, f64)>,
}

/// One part of an area on a drill-down page (a district, village, dusun or RW).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow {
    /// What the next page's address holds: a region code, or a dusun or RW name.
    pub key: String,
    /// The name shown ('' for residents without a family card).
    pub name: String,
    /// Its key figures.
    pub figures: KeyFigures,
    /// Its activity (regency, district and village levels only).
    pub activity: Option<Activity>,
}

/// A drill-down page: an area's totals and its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaPage {
    /// The area's key figures (for a regency, village: its own kept row).
    pub totals: KeyFigures,
    /// Its activity (regency, district, village).
    pub activity: Option<Activity>,
    /// Its parts, in order.
    pub rows: Vec<AreaRow>,
}

/// Proof that a staff member may read a regency's aggregates: the regency
/// administrator (every village of the regency) or a facilitator (their
/// assigned villages). Only [`view`] makes one.
#[derive(Debug, Clone)]
pub struct RegencyView {
    staff: Staff,
}

impl RegencyView {
    /// The regency.
    pub fn regency(&self) -> KodeWilayah {
        self.staff.scope
    }

    /// Whether `village` is on this view.
    pub fn sees(&self, village: KodeWilayah) -> bool {
        self.staff.may_read(village)
    }

    /// Whether the view is the whole regency (an administrator's).
    pub fn whole_regency(&self) -> bool {
        self.staff.role == Role::RegencyAdmin
    }

    /// The staff member.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }
}

/// The regency view of `staff`, or "not found" for roles without one.
pub fn view(staff: &Staff) -> Result<RegencyView, ServiceError> {
    match staff.role {
        Role::RegencyAdmin | Role::Facilitator if staff.scope.level() == RegionLevel::Regency => {
            Ok(RegencyView {
                staff: staff.clone(),
            })
        }
        _ => Err(ServiceError::NotFound),
    }
}

/// The name of the regency `view` reads.
pub async fn regency_name(db: &Db, view: &RegencyView) -> Result<String, ServiceError> {
    Ok(db
        .store()
        .region_name(view.regency())
        .await?
        .unwrap_or_else(|| view.regency().dotted()))
}

/// The first and last day of `today`'s month.
fn month_of(today: Date) -> (Date, Date) {
    let m = balai_domain::regency::ReportMonth::of(today);
    (
        Date::from_calendar_date(today.year(), today.month(), 1).unwrap_or(today),
        m.last_day(),
    )
}

/// The regency dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The regency's name.
    pub regency_name: String,
    /// Its totals: the regency's own kept figures for an administrator, the
    /// sum of the assigned villages for a facilitator.
    pub totals: KeyFigures,
    /// The villages' activity together.
    pub activity: Activity,
    /// Its districts (with a village on the view), in code order.
    pub districts: Vec<AreaRow>,
    /// Its villages on the view, in code order.
    pub villages: Vec<VillageRow>,
    /// Today (WIB), for ages of requests.
    pub today: Date,
}

fn figures_by_area(rows: Vec<balai_store::KeyRow>) -> HashMap<(i64, String), KeyFigures> {
    rows.into_iter()
        .map(|(area, name, c)| ((area, name), KeyFigures::from_counts(c)))
        .collect()
}

fn code_number(k: KodeWilayah) -> i64 {
    k.plain().parse().unwrap_or_default()
}

/// The key figures of every village inside `within`, read again only when
/// the kept statistics changed (their generation, or this process's own
/// writes): the one query of the dashboard that reads thousands of rows.
async fn village_key_rows(
    db: &Db,
    within: KodeWilayah,
) -> Result<std::sync::Arc<Vec<balai_store::KeyRow>>, ServiceError> {
    let store = db.store();
    // Read the generation before the figures: a write landing in between
    // leaves newer figures under an older generation, read again next time.
    let local_writes = store.local_stat_writes();
    let generation = store.population_stats_generation().await?;
    if let Ok(cache) = db.key_figures.lock()
        && let Some(c) = cache.as_ref()
        && c.generation == generation
        && c.local_writes == local_writes
        && c.within == within
    {
        return Ok(c.rows.clone());
    }
    let rows = std::sync::Arc::new(store.key_figures(&KeyGrouping::Villages(within)).await?);
    if let Ok(mut cache) = db.key_figures.lock() {
        *cache = Some(crate::db::KeyFiguresCache {
            generation,
            local_writes,
            within,
            rows: rows.clone(),
        });
    }
    Ok(rows)
}

/// Every village of `view` with its figures, in code order.
async fn village_rows(
    db: &Db,
    view: &RegencyView,
    within: KodeWilayah,
    today: Date,
) -> Result<Vec<VillageRow>, ServiceError> {
    let store = db.store();
    let summaries = store.village_summaries(Some(within)).await?;
    let figures = figures_by_area(village_key_rows(db, within).await?.as_ref().clone());
    let mut activity = store.village_activity(within, month_of(today)).await?;
    let points: HashMap<KodeWilayah, (Option<f64>, Option<f64>)> = store
        .village_points(within)
        .await?
        .into_iter()
        .map(|p| (p.village, (p.latitude, p.longitude)))
        .collect();
    let mut out = Vec::new();
    for s in summaries {
        let kode = s.village.kode;
        if !view.sees(kode) {
            continue;
        }
        let n = code_number(kode);
        let point = match points.get(&kode) {
            Some((Some(lat), Some(lng))) => Some((*lat, *lng)),
            _ => None,
        };
        out.push(VillageRow {
            kode,
            district: kode.ancestor(RegionLevel::District).unwrap_or(kode),
            district_name: s.village.district_name,
            name: s.village.name,
            figures: figures
                .get(&(n, String::new()))
                .copied()
                .unwrap_or_default(),
            activity: activity.remove(&n).map(Activity::from).unwrap_or_default(),
            point,
        });
    }
    Ok(out)
}

/// The dashboard of the regency `view` reads.
pub async fn dashboard(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
) -> Result<Dashboard, ServiceError> {
    let regency = view.regency();
    let today = today(clock, regency);
    let villages = village_rows(db, view, regency, today).await?;
    let totals = if view.whole_regency() {
        db.store()
            .key_figures(&KeyGrouping::Regency(regency))
            .await?
            .first()
            .map(|r| KeyFigures::from_counts(r.2))
            .unwrap_or_default()
    } else {
        villages
            .iter()
            .fold(KeyFigures::default(), |a, v| a.plus(&v.figures))
    };
    let activity = villages
        .iter()
        .fold(Activity::default(), |a, v| a.plus(&v.activity));
    let mut districts: Vec<AreaRow> = Vec::new();
    for v in &villages {
        let key = v.district.plain();
        match districts.last_mut() {
            Some(d) if d.key == key => {
                d.figures = d.figures.plus(&v.figures);
                d.activity = d.activity.map(|a| a.plus(&v.activity));
            }
            _ => districts.push(AreaRow {
                key,
                name: v.district_name.clone(),
                figures: v.figures,
                activity: Some(v.activity),
            }),
        }
    }
    let regency_name = db
        .store()
        .region_name(regency)
        .await?
        .unwrap_or_else(|| regency.dotted());
    Ok(Dashboard {
        regency_name,
        totals,
        activity,
        districts,
        villages,
        today,
    })
}

/// A district's page: its villages on the view; its totals are their sum.
pub async fn district(
    db: &Db,
    clock: &dyn Clock,
    view: &RegencyView,
    district: KodeWilayah,
) -> Result<(String, AreaPage), ServiceError> {
    if district.level() != RegionLevel::District || !district.is_within(&view.regency()) {
        return Err(ServiceError::NotFound);
    }
    let today = today(clock, district);
    let villages = village_rows(db, view, district, today).await?;
    let Some(first) = villages.first() else {
        return Err(ServiceError::NotFound);
    };
    let name = first.district_name.clone();
    let rows: Vec<AreaRow> = villages
        .iter()
        .map(|v| AreaRow {
            key: v.kode.plain(),
            name: v.name.clone(),
            figures: v.figures,
            activity: Some(v.activity),
        })
        .collect();
    Ok((name, sum_page(rows)))
}

fn sum_page(rows: Vec<AreaRow>) -> AreaPage {
    let totals = rows
        .iter()
        .fold(KeyFigures::default(), |a, r| a.plus(&r.figures));
    let activity = rows
        .iter()
        .filter_map(|r| r.activity)
        .reduce(|a, b| a.plus(&b));
    AreaPage {
        totals,
        activity,
        rows,
    }
}

/// A village's page: its own kept figures and activity, and its dusun
/// (residents without a family card as a part named '').
pub async fn village(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageOverview,
) -> Result<AreaPage, ServiceError> {
    let store = db.store();
    let v = access.village();
    let totals = store
        .key_figures(&KeyGrouping::Villages(v))
        .await?
        .first()
        .map(|r| KeyFigures::from_counts(r.2))
        .unwrap_or_default();
    let activity = store
        .village_activity(v, month_of(today(clock, v)))
        .await?
        .remove(&code_number(v))
        .map(Activity::from)
        .unwrap_or_default();
    let rows = store
        .key_figures(&KeyGrouping::Dusun(v))
        .await?
        .into_iter()
        .map(|(_, dusun, c)| AreaRow {
            key: dusun.clone(),
            name: dusun,
            figures: KeyFigures::from_counts(c),
            activity: None,
        })
        .collect();
    Ok(AreaPage {
        totals,
        activity: Some(activity),
        rows,
    })
}

/// A dusun's page: its totals (the sum of its RT rows) and its RW.
pub async fn dusun(
    db: &Db,
    access: &VillageOverview,
    dusun: &str,
) -> Result<AreaPage, ServiceError> {
    let rows: Vec<AreaRow> = db
        .store()
        .key_figures(&KeyGrouping::Rw(access.village(), dusun.to_string()))
        .await?
        .into_iter()
        .map(|(_, rw, c)| AreaRow {
            key: rw.clone(),
            name: rw,
            figures: KeyFigures::from_counts(c),
            activity: None,
        })
        .collect();
    if rows.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok(sum_page(rows))
}

/// An RW's page: its figures (the sum of its RT rows).
pub async fn rw(
    db: &Db,
    access: &VillageOverview,
    dusun: &str,
    rw: &str,
) -> Result<AreaPage, ServiceError> {
    let page = self::dusun(db, access, dusun).await?;
    let row = page
        .rows
        .into_iter()
        .find(|r| r.key == rw)
        .ok_or(ServiceError::NotFound)?;
    Ok(AreaPage {
        totals: row.figures,
        activity: None,
        rows: Vec::new(),
    })
}

/// How the dashboard's villages are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// By code (the region list's order).
    #[default]
    Code,
    /// By name.
    Name,
    /// By living residents.
    Residents,
    /// By family cards.
    Families,
    /// By letters issued this month.
    Letters,
    /// By open requests.
    OpenRequests,
    /// By the age of the oldest open request.
    OldestRequest,
    /// By the last change to the data.
    LastChange,
    /// By the last operator login.
    LastLogin,
    /// By the data-completeness score.
    Completeness,
    /// By the newest news post on the village website.
    LastNews,
}

impl SortKey {
    /// Every key, with the name used in the address.
    pub const ALL: [(SortKey, &'static str); 11] = [
        (SortKey::Code, "kode"),
        (SortKey::Name, "nama"),
        (SortKey::Residents, "penduduk"),
        (SortKey::Families, "keluarga"),
        (SortKey::Letters, "surat"),
        (SortKey::OpenRequests, "permohonan"),
        (SortKey::OldestRequest, "terlama"),
        (SortKey::LastChange, "perubahan"),
        (SortKey::LastLogin, "login"),
        (SortKey::Completeness, "kelengkapan"),
        (SortKey::LastNews, "berita"),
    ];

    /// The name used in the address.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("kode", |(_, s)| s)
    }
}

/// Which villages the dashboard lists, and in what order (from the address's query).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Sort key.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
    /// Only this district.
    pub district: Option<KodeWilayah>,
    /// Only names containing this (case-insensitive).
    pub name: Option<String>,
    /// Only villages whose completeness is below this percentage.
    pub completeness_below: Option<u8>,
    /// Only villages with open requests.
    pub with_open_requests: bool,
}

impl Selection {
    /// Parses the dashboard's query parameters (`urut`, `arah`, `kecamatan`,
    /// `cari`, `kelengkapan_di_bawah`, `ada_permohonan`); every problem at once.
    pub fn parse(q: &HashMap<String, String>) -> Result<Selection, ServiceError> {
        let mut problems = Vec::new();
        let get = |k: &str| q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
        let sort = match get("urut") {
            None => SortKey::Code,
            Some(s) => match SortKey::ALL.iter().find(|(_, n)| *n == s) {
                Some((k, _)) => *k,
                None => {
                    problems.push(format!(
                        "urutan \"{}\" tidak dikenal; pilih salah satu: {}",
                        s.chars().take(30).collect::<String>(),
                        SortKey::ALL.map(|(_, n)| n).join(", ")
                    ));
                    SortKey::Code
                }
            },
        };
        let descending = match get("arah") {
            None | Some("naik") => false,
            Some("turun") => true,
            Some(_) => {
                problems.push("arah urutan harus \"naik\" atau \"turun\"".into());
                false
            }
        };
        let district = match get("kecamatan") {
            None => None,
            Some(s) => match KodeWilayah::parse(s) {
                Ok(k) if k.level() == RegionLevel::District => Some(k),
                _ => {
                    problems.push(format!(
                        "kecamatan \"{}\" bukan kode kecamatan (6 digit, mis. 33.10.01)",
                        s.chars().take(30).collect::<String>()
                    ));
                    None
                }
            },
        };
        let name = get("cari").map(|s| s.chars().take(60).collect::<String>().to_lowercase());
        let completeness_below = match get("kelengkapan_di_bawah") {
            None => None,
            Some(s) => match s.parse::<u8>() {
                Ok(n) if n <= 100 => Some(n),
                _ => {
                    problems.push("batas kelengkapan harus angka 0–100".into());
                    None
                }
            },
        };
        let with_open_requests = match get("ada_permohonan") {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => {
                problems.push("ada_permohonan harus 0 atau 1".into());
                false
            }
        };
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems.join("; ")));
        }
        Ok(Selection {
            sort,
            descending,
            district,
            name,
            completeness_below,
            with_open_requests,
        })
    }

    /// The villages of `rows` this selection keeps, in its order.
    pub fn apply<'a>(&self, rows: &'a [VillageRow], today: Date) -> Vec<&'a VillageRow> {
        let mut out: Vec<&VillageRow> = rows
            .iter()
            .filter(|r| self.district.is_none_or(|d| r.district == d))
            .filter(|r| {
                self.name
                    .as_deref()
                    .is_none_or(|n| r.name.to_lowercase().contains(n))
            })
            .filter(|r| {
                self.completeness_below
                    .is_none_or(|b| r.figures.completeness_permille() < i64::from(b) * 10)
            })
            .filter(|r| !self.with_open_requests || r.activity.open_requests > 0)
            .collect();
        let key = |r: &VillageRow| -> i64 {
            match self.sort {
                SortKey::Code | SortKey::Name => 0,
                SortKey::Residents => r.figures.residents,
                SortKey::Families => r.figures.families,
                SortKey::Letters => r.activity.letters_this_month,
                SortKey::OpenRequests => r.activity.open_requests,
                SortKey::OldestRequest => r
                    .activity
                    .oldest_open_days(today, ZonaWaktu::of(r.kode))
                    .unwrap_or(-1),
                SortKey::LastChange => r
                    .activity
                    .last_change
                    .map_or(i64::MIN, |t| t.unix_timestamp()),
                SortKey::LastLogin => r
                    .activity
                    .last_operator_login
                    .map_or(i64::MIN, |t| t.unix_timestamp()),
                SortKey::Completeness => r.figures.completeness_permille(),
                SortKey::LastNews => r
                    .activity
                    .last_news
                    .map_or(i64::MIN, |d| i64::from(d.to_julian_day())),
            }
        };
        // Stable sorts over code order: ties stay in code order.
        match self.sort {
            SortKey::Code => {}
            SortKey::Name => out.sort_by(|a, b| a.name.cmp(&b.name)),
            _ => out.sort_by_key(|r| key(r)),
        }
        if self.descending {
            out.reverse();
        }
        out
    }
}

/// An instant on the village's clocks, its zone written after it
/// (`2026-12-02 10:15 WITA`): a regency export may reach a province office
/// in another zone, so the cell says whose time it is.
fn local_stamp(t: Option<OffsetDateTime>, village: KodeWilayah) -> String {
    t.map(|t| {
        let zone = ZonaWaktu::of(village);
        let t = zone.local(t);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02} {}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            zone.label()
        )
    })
    .unwrap_or_default()
}

/// The dashboard's columns, as the CSV and xlsx exports head them.
pub const EXPORT_HEADERS: [&str; 15] = [
    "kode_desa",
    "desa",
    "kode_kecamatan",
    "kecamatan",
    "penduduk_hidup",
    "kartu_keluarga",
    "surat_bulan_ini",
    "permohonan_terbuka",
    "permohonan_terlama_hari",
    "perubahan_terakhir",
    "login_operator_terakhir",
    "kelengkapan_persen",
    "kepala_keluarga",
    "akta_lahir",
    "berita_terakhir",
];

fn export_cells(r: &VillageRow, today: Date) -> [String; 15] {
    let permille = r.figures.completeness_permille();
    [
        r.kode.dotted(),
        r.name.clone(),
        r.district.dotted(),
        r.district_name.clone(),
        r.figures.residents.to_string(),
        r.figures.families.to_string(),
        r.activity.letters_this_month.to_string(),
        r.activity.open_requests.to_string(),
        r.activity
            .oldest_open_days(today, ZonaWaktu::of(r.kode))
            .map(|d| d.to_string())
            .unwrap_or_default(),
        local_stamp(r.activity.last_change, r.kode),
        local_stamp(r.activity.last_operator_login, r.kode),
        format!("{}.{}", permille / 10, permille % 10),
        r.figures.heads.to_string(),
        r.figures.birth_certificate.to_string(),
        r.activity
            .last_news
            .map(|d| d.to_string())
            .unwrap_or_default(),
    ]
}

fn csv_field(out: &mut String, s: &str) {
    // A cell starting with a formula character is quoted with a leading
    // apostrophe so a spreadsheet does not run it.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&s);
    }
}

/// The selected villages as CSV (UTF-8, comma-separated, a header row).
pub fn csv(rows: &[&VillageRow], today: Date) -> String {
    let mut out = String::with_capacity(rows.len() * 128 + 256);
    out.push_str(&EXPORT_HEADERS.join(","));
    out.push_str("\r\n");
    for r in rows {
        for (i, c) in export_cells(r, today).iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, c);
        }
        out.push_str("\r\n");
    }
    out
}

/// The selected villages as an xlsx workbook (numbers as numbers).
pub fn xlsx(rows: &[&VillageRow], today: Date) -> Result<Vec<u8>, ServiceError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        ServiceError::Invalid(format!("berkas xlsx tidak dapat dibuat: {e}"))
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    for (c, h) in EXPORT_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, cell) in export_cells(r, today).iter().enumerate() {
            let c = c as u16;
            // Codes stay text (their dots and leading digits matter).
            match cell.parse::<f64>() {
                Ok(n) if c >= 4 => ws.write_number(row, c, n).map_err(err)?,
                _ => ws.write_string(row, c, cell).map_err(err)?,
            };
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// A dot of the village map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dot {
    /// The village code (digits), for the link.
    pub kode: String,
    /// The village's name.
    pub name: String,
    /// Position in the drawing.
    pub x: f64,
    /// Position in the drawing.
    pub y: f64,
    /// Radius: grows with the square root of the residents.
    pub r: f64,
    /// Completeness band: "baik" (≥ 80 %), "sedang" (≥ 50 %), "kurang".
    pub band: &'static str,
}

/// A map of villages as dots, drawn from the region list's coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DotMap {
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// The dots.
    pub dots: Vec<Dot>,
}

/// The map of `rows`, or `None` when none has coordinates. Longitude and
/// latitude are drawn equirectangular, longitude scaled by the cosine of
/// the mean latitude (true shape at a regency's size), north up.
pub fn dot_map(rows: &[&VillageRow]) -> Option<DotMap> {
    let pts: Vec<(&VillageRow, f64, f64)> = rows
        .iter()
        .filter_map(|r| r.point.map(|(lat, lng)| (*r, lat, lng)))
        .filter(|(_, lat, lng)| lat.is_finite() && lng.is_finite())
        .collect();
    if pts.is_empty() {
        return None;
    }
    let (mut lat0, mut lat1, mut lng0, mut lng1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, lat, lng) in &pts {
        lat0 = lat0.min(*lat);
        lat1 = lat1.max(*lat);
        lng0 = lng0.min(*lng);
        lng1 = lng1.max(*lng);
    }
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let (w_deg, h_deg) = (((lng1 - lng0) * k).max(1e-4), (lat1 - lat0).max(1e-4));
    let (margin, width) = (12.0, 600.0);
    let scale = (width - 2.0 * margin) / w_deg;
    let height = (h_deg * scale + 2.0 * margin).clamp(120.0, 900.0);
    let scale = scale.min((height - 2.0 * margin) / h_deg);
    let max_pop = pts
        .iter()
        .map(|(r, _, _)| r.figures.residents)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let dots = pts
        .iter()
        .map(|(r, lat, lng)| {
            let c = r.figures.completeness_permille();
            Dot {
                kode: r.kode.plain(),
                name: r.name.clone(),
                x: round(margin + (lng - lng0) * k * scale),
                y: round(margin + (lat1 - lat) * scale),
                r: round(2.0 + 6.0 * (r.figures.residents.max(0) as f64 / max_pop).sqrt()),
                band: if c >= 800 {
                    "baik"
                } else if c >= 500 {
                    "sedang"
                } else {
                    "kurang"
                },
            }
        })
        .collect();
    Some(DotMap {
        width,
        height: round(height),
        dots,
    })
}

/// Writes a completeness score (per mille) as a percentage with one decimal.
pub fn percent(permille: i64) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}.{}", permille / 10, permille % 10);
    s
}
