//! Families (Kartu Keluarga) and the rules between their members.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{Shdk, StatusDasar};
use crate::kode_wilayah::KodeWilayah;
use crate::life_event::is_resident;
use crate::no_kk::NoKk;
use crate::wilayah::Wilayah;

/// A family card held in a village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    /// Row id (UUIDv7).
    pub id: Uuid,
    /// Tenant key.
    pub village: KodeWilayah,
    /// The family card number.
    pub no_kk: NoKk,
    /// Street address as written on the card.
    pub address: String,
    /// Dusun, RW and RT.
    pub wilayah: Wilayah,
}

impl Family {
    /// The card's address in one line: the street address, then the RT,
    /// RW and dusun it does not already name (an imported or generated
    /// address often already reads "DUSUN KRAJAN RT 003 RW 002", and
    /// printing them twice was issue 9's "RT 003 RW 002 RT 003 RW 002").
    pub fn full_address(&self) -> String {
        let street = self.address.trim();
        let upper = street.to_uppercase();
        let w = &self.wilayah;
        let mut parts = vec![street.to_string()];
        let names = |label: &str, value: &str| {
            let value = value.trim().to_uppercase();
            value.is_empty()
                || value == "-"
                || upper.contains(&format!("{label} {value}"))
                || (label == "DUSUN" && upper.contains(&value))
        };
        if !names("RT", w.rt()) {
            parts.push(format!("RT {}", w.rt()));
        }
        if !names("RW", w.rw()) {
            parts.push(format!("RW {}", w.rw()));
        }
        if !names("DUSUN", w.dusun()) {
            parts.push(format!("Dusun {}", w.dusun()));
        }
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    }
}

/// One member of a family as the rules need to see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The resident.
    pub resident_id: Uuid,
    /// Relationship to the head.
    pub relationship: Shdk,
    /// Current status; only members who still live in the village count.
    pub status: StatusDasar,
}

/// A broken family rule (its message is shown to staff: Indonesian).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FamilyRuleError {
    /// A family with members has no head.
    #[error("keluarga ini tidak punya kepala keluarga")]
    NoHead,
    /// More than one member is the head.
    #[error("keluarga ini punya {0} kepala keluarga; satu KK tepat satu kepala keluarga")]
    SeveralHeads(usize),
    /// The head is leaving and nobody was named to replace them.
    #[error(
        "kepala keluarga keluar dari keluarga: pilih kepala keluarga baru dari anggota yang tinggal"
    )]
    NewHeadRequired,
    /// The named new head is not a remaining member.
    #[error("kepala keluarga baru harus anggota keluarga yang tinggal")]
    NewHeadNotAMember,
    /// The resident is not in this family.
    #[error("penduduk ini bukan anggota keluarga ini")]
    NotAMember,
}

/// The current members (those still living in the village) of a family.
pub fn current(members: &[Member]) -> impl Iterator<Item = &Member> {
    members.iter().filter(|m| is_resident(m.status))
}

/// Checks that a family with current members has exactly one current head.
pub fn check_head(members: &[Member]) -> Result<(), FamilyRuleError> {
    let present: Vec<&Member> = current(members).collect();
    if present.is_empty() {
        return Ok(());
    }
    match present
        .iter()
        .filter(|m| m.relationship == Shdk::KepalaKeluarga)
        .count()
    {
        0 => Err(FamilyRuleError::NoHead),
        1 => Ok(()),
        n => Err(FamilyRuleError::SeveralHeads(n)),
    }
}

/// The relationship changes a member's departure (death, moving out) causes:
/// if the head leaves while others remain, `new_head` must be one of them and
/// becomes head. Returns `(resident, new relationship)` pairs to apply.
pub fn departure(
    members: &[Member],
    leaving: Uuid,
    new_head: Option<Uuid>,
) -> Result<Vec<(Uuid, Shdk)>, FamilyRuleError> {
    let leaver = current(members)
        .find(|m| m.resident_id == leaving)
        .ok_or(FamilyRuleError::NotAMember)?;
    let remaining: Vec<&Member> = current(members)
        .filter(|m| m.resident_id != leaving)
        .collect();
    if leaver.relationship != Shdk::KepalaKeluarga || remaining.is_empty() {
        return Ok(Vec::new());
    }
    let new_head = new_head.ok_or(FamilyRuleError::NewHeadRequired)?;
    if !remaining.iter().any(|m| m.resident_id == new_head) {
        return Err(FamilyRuleError::NewHeadNotAMember);
    }
    Ok(vec![(new_head, Shdk::KepalaKeluarga)])
}

/// The relationship changes of handing the headship to `new_head`; the old
/// head takes `old_head_becomes` (e.g. ISTRI when a widow's son takes over).
pub fn change_head(
    members: &[Member],
    new_head: Uuid,
    old_head_becomes: Shdk,
) -> Result<Vec<(Uuid, Shdk)>, FamilyRuleError> {
    check_head(members)?;
    if !current(members).any(|m| m.resident_id == new_head) {
        return Err(FamilyRuleError::NewHeadNotAMember);
    }
    let old = current(members)
        .find(|m| m.relationship == Shdk::KepalaKeluarga)
        .ok_or(FamilyRuleError::NoHead)?;
    if old.resident_id == new_head {
        return Ok(Vec::new());
    }
    if old_head_becomes == Shdk::KepalaKeluarga {
        return Err(FamilyRuleError::SeveralHeads(2));
    }
    Ok(vec![
        (old.resident_id, old_head_becomes),
        (new_head, Shdk::KepalaKeluarga),
    ])
}

#[cfg(test)]
mod address_tests {
    use super::*;

    fn family(address: &str, dusun: &str, rw: &str, rt: &str) -> Family {
        Family {
            id: Uuid::nil(),
            village: KodeWilayah::parse("3310012008").unwrap(),
            no_kk: NoKk::parse("3310010208260001").unwrap(),
            address: address.into(),
            wilayah: Wilayah::parse(dusun, rw, rt).unwrap(),
        }
    }

    #[test]
    fn an_address_that_names_its_rt_rw_and_dusun_is_not_printed_twice() {
        let f = family("DUSUN KRAJAN RT 003 RW 002", "KRAJAN", "002", "003");
        assert_eq!(f.full_address(), "DUSUN KRAJAN RT 003 RW 002");
        let f = family("Jl. Melati No. 76", "KRAJAN", "002", "003");
        assert_eq!(
            f.full_address(),
            "Jl. Melati No. 76 RT 003 RW 002 Dusun KRAJAN"
        );
        let f = family("", "KRAJAN", "002", "003");
        assert_eq!(f.full_address(), "RT 003 RW 002 Dusun KRAJAN");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(n: u128, r: Shdk, s: StatusDasar) -> Member {
        Member {
            resident_id: Uuid::from_u128(n),
            relationship: r,
            status: s,
        }
    }

    #[test]
    fn exactly_one_current_head() {
        let fam = [
            m(1, Shdk::KepalaKeluarga, StatusDasar::Hidup),
            m(2, Shdk::Istri, StatusDasar::Hidup),
        ];
        assert_eq!(check_head(&fam), Ok(()));
        assert_eq!(check_head(&fam[1..]), Err(FamilyRuleError::NoHead));
        let two = [fam[0], m(3, Shdk::KepalaKeluarga, StatusDasar::Hidup)];
        assert_eq!(check_head(&two), Err(FamilyRuleError::SeveralHeads(2)));
        // A dead former head does not count.
        let after = [
            m(1, Shdk::KepalaKeluarga, StatusDasar::Mati),
            m(2, Shdk::KepalaKeluarga, StatusDasar::Hidup),
        ];
        assert_eq!(check_head(&after), Ok(()));
        assert_eq!(check_head(&[]), Ok(()));
    }

    #[test]
    fn a_departing_head_needs_a_successor() {
        let fam = [
            m(1, Shdk::KepalaKeluarga, StatusDasar::Hidup),
            m(2, Shdk::Istri, StatusDasar::Hidup),
            m(3, Shdk::Anak, StatusDasar::Mati),
        ];
        let head = Uuid::from_u128(1);
        assert_eq!(
            departure(&fam, head, None),
            Err(FamilyRuleError::NewHeadRequired)
        );
        assert_eq!(
            departure(&fam, head, Some(Uuid::from_u128(3))),
            Err(FamilyRuleError::NewHeadNotAMember)
        );
        assert_eq!(
            departure(&fam, head, Some(Uuid::from_u128(2))),
            Ok(vec![(Uuid::from_u128(2), Shdk::KepalaKeluarga)])
        );
        assert_eq!(departure(&fam, Uuid::from_u128(2), None), Ok(vec![]));
        assert_eq!(departure(&fam[..1], head, None), Ok(vec![]));
    }

    #[test]
    fn head_change_swaps_roles() {
        let fam = [
            m(1, Shdk::KepalaKeluarga, StatusDasar::Hidup),
            m(2, Shdk::Anak, StatusDasar::Hidup),
        ];
        let c = change_head(&fam, Uuid::from_u128(2), Shdk::Orangtua).unwrap();
        assert_eq!(
            c,
            vec![
                (Uuid::from_u128(1), Shdk::Orangtua),
                (Uuid::from_u128(2), Shdk::KepalaKeluarga)
            ]
        );
    }
}
