//! The neighbourhood units of a village: dusun (hamlets), RW and RT, and the
//! addresses written on family cards.

use balai_domain::Wilayah;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::one_of;

const JAVANESE: &[&str] = &[
    "KRAJAN",
    "NGASEM",
    "SUMBERAGUNG",
    "KARANGANYAR",
    "SIDOREJO",
    "TEGALSARI",
    "JATIREJO",
    "KEDUNGSARI",
    "GONDANG",
    "BULU",
    "NGRANDU",
    "PUCANG",
    "SAWAHAN",
    "KALIWUNGU",
    "GEDONGAN",
    "TANJUNGSARI",
    "KARANGREJO",
    "SUKOREJO",
    "WONOSARI",
    "MANGGUNG",
    "BANARAN",
    "JETIS",
    "GATAK",
    "BENDO",
    "KRAGILAN",
    "PLOSO",
    "TAMBAKREJO",
    "SIDOMULYO",
    "TEGALREJO",
    "KEBONAGUNG",
    "CANDIREJO",
    "NGEMPLAK",
    "PUNDUNG",
    "SOROGENEN",
    "DUWET",
];

const BALINESE: &[&str] = &[
    "BANJAR KAJA",
    "BANJAR KELOD",
    "BANJAR KANGIN",
    "BANJAR KAUH",
    "BANJAR TENGAH",
    "BANJAR PASEKAN",
    "BANJAR TEBOLA",
    "BANJAR DANGIN",
    "BANJAR DAUH",
    "BANJAR PULE",
    "BANJAR BUKIT",
    "BANJAR SIDEMEN",
];

const STREETS: &[&str] = &[
    "MERAPI",
    "MERBABU",
    "PEMUDA",
    "ANGGREK",
    "MELATI",
    "MAWAR",
    "KENANGA",
    "DIPONEGORO",
    "SUDIRMAN",
    "KARTINI",
    "VETERAN",
    "PAHLAWAN",
    "RAYA",
    "MANGGA",
    "SAWO",
];

/// One RT: its place in the village and the prefix of its addresses.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Dusun, RW and RT.
    pub(crate) wilayah: Wilayah,
    /// `DUSUN KRAJAN RT 002 RW 001`.
    pub(crate) address: String,
}

/// Draws the dusun/RW/RT tree of a village of about `residents` people:
/// bigger villages have more units (a Javanese RT holds 30-60 households).
pub(crate) fn layout(rng: &mut ChaCha8Rng, bali: bool, residents: u32) -> Vec<Unit> {
    let names = if bali { BALINESE } else { JAVANESE };
    let size_bonus = (residents / 2500).min(3);
    let dusun_count = (2 + size_bonus + rng.random_range(0..=1)).min(6) as usize;
    // Partial shuffle: the first `dusun_count` entries become distinct random names.
    let mut pool: Vec<&str> = names.to_vec();
    for i in 0..dusun_count {
        let j = rng.random_range(i as u32..pool.len() as u32) as usize;
        pool.swap(i, j);
    }
    // The main hamlet of a Javanese village is nearly always Krajan.
    if !bali && !pool[..dusun_count].contains(&"KRAJAN") && rng.random_bool(0.6) {
        pool[0] = "KRAJAN";
    }
    let mut units = Vec::new();
    let mut rw_number = 0u32;
    for dusun in &pool[..dusun_count] {
        let rws = (1 + size_bonus.min(2) + rng.random_range(0..=1)).min(4);
        for _ in 0..rws {
            rw_number += 1;
            let rts = (2 + size_bonus + rng.random_range(0..=2)).min(6);
            for rt in 1..=rts {
                let wilayah = Wilayah::parse(dusun, &rw_number.to_string(), &rt.to_string())
                    .expect("hamlet names and small numbers form a valid wilayah");
                let prefix = if bali { "" } else { "DUSUN " };
                let address = format!("{prefix}{dusun} RT {:03} RW {rw_number:03}", rt);
                units.push(Unit { wilayah, address });
            }
        }
    }
    units
}

/// The address line of a family in `unit`: mostly the unit itself, sometimes a street.
pub(crate) fn address(rng: &mut ChaCha8Rng, unit: &Unit) -> String {
    if rng.random_bool(0.15) {
        format!(
            "JL. {} NO. {}",
            one_of(rng, STREETS),
            rng.random_range(1..=120u32)
        )
    } else {
        unit.address.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn units_follow_the_dusun_rw_rt_limits() {
        for (seed, residents) in [(1, 40), (2, 3000), (3, 12_000), (4, 100_000)] {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let units = layout(&mut rng, seed % 2 == 0, residents);
            let mut rws: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            let mut rts: BTreeMap<&str, usize> = BTreeMap::new();
            for u in &units {
                rws.entry(u.wilayah.dusun())
                    .or_default()
                    .insert(u.wilayah.rw());
                *rts.entry(u.wilayah.rw()).or_default() += 1;
            }
            assert!(
                (2..=6).contains(&rws.len()),
                "{residents}: {} dusun",
                rws.len()
            );
            assert!(rws.values().all(|r| (1..=4).contains(&r.len())));
            assert!(rts.values().all(|n| (2..=6).contains(n)));
            let distinct: BTreeSet<_> = units.iter().map(|u| &u.wilayah).collect();
            assert_eq!(distinct.len(), units.len());
        }
    }
}
