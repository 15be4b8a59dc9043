//! Population statistics: every figure Balai shows, read from the figures
//! the store keeps current on write (`population_stat`) and computed by the
//! domain's one definition (`balai_domain::population_stats`). Pages read
//! figures only from here, so the home page, the dashboard and the
//! statistics tables cannot disagree.
//!
//! Aggregates only: nothing here names or identifies a resident, so the
//! results may be cached (keyed by [`generation`]).

use crate::db::Db;
use balai_domain::disclosure::{PublicRow, PublicTable, suppress};
use balai_domain::population_stats::{Category, PopulationStats, StatTable, Tally};
use balai_domain::{KodeWilayah, RegionLevel, Wilayah};
use balai_store::StatArea;
use serde::Serialize;
use time::Date;

use crate::error::ServiceError;

/// A part of a village's territory: a dusun, one RW of it, or one RT of that RW.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WilayahPart {
    /// The dusun.
    pub dusun: String,
    /// The RW (all of the dusun if `None`).
    pub rw: Option<String>,
    /// The RT (all of the RW if `None`).
    pub rt: Option<String>,
}

impl WilayahPart {
    /// Parses the filter of a statistics page: a dusun, then optionally an
    /// RW, then optionally an RT; an RT without an RW is refused. Names are
    /// normalised the way family cards store them.
    pub fn parse(dusun: &str, rw: Option<&str>, rt: Option<&str>) -> Result<Self, ServiceError> {
        let rw = rw.map(str::trim).filter(|s| !s.is_empty());
        let rt = rt.map(str::trim).filter(|s| !s.is_empty());
        if rt.is_some() && rw.is_none() {
            return Err(ServiceError::Invalid("pilih RW sebelum RT".into()));
        }
        // Normalise through the domain type so "1" and "001" mean the same RT.
        let w = Wilayah::parse(dusun, rw.unwrap_or("0"), rt.unwrap_or("0"))
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        Ok(WilayahPart {
            dusun: w.dusun().to_string(),
            rw: rw.map(|_| w.rw().to_string()),
            rt: rt.map(|_| w.rt().to_string()),
        })
    }
}

/// Every figure of one village on `on`.
pub async fn village(
    db: &Db,
    village: KodeWilayah,
    on: Date,
) -> Result<PopulationStats, ServiceError> {
    let store = db.store();
    let counts = store
        .population_counts(&StatArea::Village(village), on)
        .await?;
    Ok(PopulationStats::compute(&counts, on))
}

/// Every figure of one part (dusun, RW or RT) of a village on `on`.
pub async fn part(
    db: &Db,
    village: KodeWilayah,
    part: &WilayahPart,
    on: Date,
) -> Result<PopulationStats, ServiceError> {
    let store = db.store();
    let area = StatArea::Part {
        village,
        dusun: part.dusun.clone(),
        rw: part.rw.clone(),
        rt: part.rt.clone(),
    };
    let counts = store.population_counts(&area, on).await?;
    Ok(PopulationStats::compute(&counts, on))
}

/// Every figure of a whole regency on `on`.
pub async fn regency(
    db: &Db,
    regency: KodeWilayah,
    on: Date,
) -> Result<PopulationStats, ServiceError> {
    let store = db.store();
    if regency.level() != RegionLevel::Regency {
        return Err(ServiceError::Invalid(format!(
            "{regency} bukan kode kabupaten/kota"
        )));
    }
    let counts = store
        .population_counts(&StatArea::Regency(regency), on)
        .await?;
    Ok(PopulationStats::compute(&counts, on))
}

/// A number that changes whenever any figure changes: a cache of rendered
/// aggregates keyed by it is never stale.
pub async fn generation(db: &Db) -> Result<i64, ServiceError> {
    let store = db.store();
    Ok(store.population_stats_generation().await?)
}

/// How many writes that change figures this process has made (see
/// [`generation`]): seen at once, without asking the database.
pub fn local_writes(db: &Db) -> u64 {
    db.store().local_stat_writes()
}

/// A village's headline figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VillageHeadline {
    /// The village code, dotted.
    pub kode: String,
    /// The village code, digits only (as in addresses).
    pub plain: String,
    /// The village's name.
    pub name: String,
    /// Its district's name.
    pub district: String,
    /// Living residents.
    pub population: i64,
    /// Family cards.
    pub families: i64,
}

/// A regency's headline figures and its villages'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegencyHeadline {
    /// The regency's code (plain digits).
    pub kode: String,
    /// The regency's name.
    pub name: String,
    /// Living residents of its villages on this server.
    pub population: i64,
    /// Family cards of its villages on this server.
    pub families: i64,
    /// Its villages, by code.
    pub villages: Vec<VillageHeadline>,
}

fn regency_code(village: KodeWilayah) -> String {
    village
        .ancestor(RegionLevel::Regency)
        .map_or_else(String::new, |r| r.plain())
}

/// One regency's headline figures and its villages on this server (the
/// public regency page); not found when none of its villages is served here.
pub async fn regency_headline(db: &Db, kode: KodeWilayah) -> Result<RegencyHeadline, ServiceError> {
    if kode.level() != RegionLevel::Regency {
        return Err(ServiceError::NotFound);
    }
    overview(db)
        .await?
        .into_iter()
        .find(|r| r.kode == kode.plain())
        .ok_or(ServiceError::NotFound)
}

/// Every village on this server grouped by regency, with headline figures
/// (the public home page).
pub async fn overview(db: &Db) -> Result<Vec<RegencyHeadline>, ServiceError> {
    let store = db.store();
    let summaries = store.village_summaries(None).await?;
    let mut regencies: Vec<RegencyHeadline> = Vec::new();
    for s in summaries {
        let v = VillageHeadline {
            kode: s.village.kode.dotted(),
            plain: s.village.kode.plain(),
            name: s.village.name.clone(),
            district: s.village.district_name.clone(),
            population: s.population,
            families: s.families,
        };
        match regencies.last_mut() {
            Some(r) if r.kode == regency_code(s.village.kode) => {
                r.population += v.population;
                r.families += v.families;
                r.villages.push(v);
            }
            _ => regencies.push(RegencyHeadline {
                kode: regency_code(s.village.kode),
                name: s.village.regency_name.clone(),
                population: v.population,
                families: v.families,
                villages: vec![v],
            }),
        }
    }
    Ok(regencies)
}

/// The dusun → RW → RT tree of a village as its figures know it (names
/// only: aggregates, no one's data), for the public statistics filter.
pub async fn parts(db: &Db, village: KodeWilayah) -> Result<Vec<WilayahPart>, ServiceError> {
    Ok(db
        .store()
        .stat_parts(village)
        .await?
        .into_iter()
        .map(|(dusun, rw, rt)| WilayahPart {
            dusun,
            rw: Some(rw),
            rt: Some(rt),
        })
        .collect())
}

/// A village's (or one part's) figures as the public may see them: every
/// table and the pyramid with small counts withheld
/// (`balai_domain::disclosure`).
#[derive(Debug, Clone, Serialize)]
pub struct PublicStats {
    /// The day ages are computed for.
    pub on: Date,
    /// Living residents, by sex, withheld if small.
    pub population: PublicRow,
    /// Family cards (withheld if 1–4).
    pub families: Option<u64>,
    /// The tables, in [`Category::ALL`] order.
    pub tables: Vec<(Category, PublicTable)>,
    /// Five-year age bands, youngest first.
    pub pyramid: PublicTable,
}

impl PublicStats {
    /// `stats` with small counts withheld.
    pub fn of(stats: &PopulationStats) -> PublicStats {
        let pyramid = StatTable {
            // The pyramid is an age table; its category only names it.
            category: Category::AgeRange,
            rows: stats.pyramid.clone(),
            jumlah: stats.population,
            belum_mengisi: Tally::default(),
            total: stats.population,
        };
        let pyramid = suppress(&pyramid);
        let families = stats.families;
        PublicStats {
            on: stats.on,
            population: pyramid.total.clone(),
            families: (families == 0 || families >= balai_domain::disclosure::SMALL)
                .then_some(families),
            tables: stats
                .tables
                .iter()
                .map(|t| (t.category, suppress(t)))
                .collect(),
            pyramid,
        }
    }

    /// One table.
    pub fn table(&self, c: Category) -> Option<&PublicTable> {
        self.tables.iter().find(|(k, _)| *k == c).map(|(_, t)| t)
    }
}

/// The public figures of `village`, or of one part of it, on `on`.
pub async fn public(
    db: &Db,
    village: KodeWilayah,
    part: Option<&WilayahPart>,
    on: Date,
) -> Result<PublicStats, ServiceError> {
    let stats = match part {
        Some(p) => self::part(db, village, p, on).await?,
        None => self::village(db, village, on).await?,
    };
    Ok(PublicStats::of(&stats))
}
