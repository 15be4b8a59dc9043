//! A checked, ordered collection of regions.

use std::collections::HashSet;

use balai_domain::{KodeWilayah, RegionLevel};

use crate::error::RegionsError;
use crate::region::Region;

/// How many regions of each level a set holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Provinces.
    pub provinces: usize,
    /// Regencies and cities.
    pub regencies: usize,
    /// Districts.
    pub districts: usize,
    /// Villages (desa and kelurahan).
    pub villages: usize,
}

/// Regions sorted by code, without duplicates, where every region's parent is
/// present. Built only through [`RegionSet::new`], which checks all of that.
#[derive(Debug, Clone)]
pub struct RegionSet(Vec<Region>);

impl RegionSet {
    /// Checks and sorts `regions`.
    pub fn new(mut regions: Vec<Region>) -> Result<Self, RegionsError> {
        if regions.is_empty() {
            return Err(RegionsError::Inconsistent(
                "the regions file holds no regions".into(),
            ));
        }
        regions.sort_by_key(|r| (r.kode.level(), r.kode));
        let mut seen: HashSet<KodeWilayah> = HashSet::with_capacity(regions.len());
        for r in &regions {
            if !seen.insert(r.kode) {
                return Err(RegionsError::Inconsistent(format!(
                    "region {} appears twice",
                    r.kode
                )));
            }
        }
        let mut orphans = regions
            .iter()
            .filter(|r| r.kode.parent().is_some_and(|p| !seen.contains(&p)));
        if let Some(o) = orphans.next() {
            let more = orphans.count();
            return Err(RegionsError::Inconsistent(format!(
                "region {} ({}) has no parent {} in the file{}",
                o.kode,
                o.name,
                o.kode.parent().expect("filtered on parent"),
                if more > 0 {
                    format!(", and {more} more regions lack their parent")
                } else {
                    String::new()
                }
            )));
        }
        Ok(Self(regions))
    }

    /// The regions, provinces first, then regencies, districts and villages, each by code.
    pub fn regions(&self) -> &[Region] {
        &self.0
    }

    /// Counts per level.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.0 {
            match r.kode.level() {
                RegionLevel::Province => c.provinces += 1,
                RegionLevel::Regency => c.regencies += 1,
                RegionLevel::District => c.districts += 1,
                RegionLevel::Village => c.villages += 1,
            }
        }
        c
    }

    /// The region with this code.
    pub fn get(&self, kode: KodeWilayah) -> Option<&Region> {
        let i = self
            .0
            .binary_search_by_key(&(kode.level(), kode), |r| (r.kode.level(), r.kode))
            .ok()?;
        Some(&self.0[i])
    }

    /// The regions directly or indirectly inside `parent` at `level`.
    pub fn within(&self, parent: KodeWilayah, level: RegionLevel) -> impl Iterator<Item = &Region> {
        self.0
            .iter()
            .filter(move |r| r.kode.level() == level && r.kode.is_within(&parent))
    }
}
