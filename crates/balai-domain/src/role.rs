//! Staff roles and the region each is scoped to.

use std::fmt;

use crate::kode_wilayah::{KodeWilayah, RegionLevel};

/// What a staff account may do, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Keeps one village's data and issues its letters.
    VillageOperator,
    /// Signs one village's letters.
    VillageHead,
    /// The village secretary or another official who signs letters a.n. the head.
    VillageOfficial,
    /// Manages the accounts of one village office (a standalone installation).
    VillageAdmin,
    /// Reads and coaches a set of villages.
    Facilitator,
    /// Administers every village of one regency.
    RegencyAdmin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::VillageOperator,
        Role::VillageHead,
        Role::VillageOfficial,
        Role::VillageAdmin,
        Role::Facilitator,
        Role::RegencyAdmin,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::VillageOperator => "village_operator",
            Role::VillageHead => "village_head",
            Role::VillageOfficial => "village_official",
            Role::VillageAdmin => "village_admin",
            Role::Facilitator => "facilitator",
            Role::RegencyAdmin => "regency_admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Indonesian title shown in the interface.
    pub fn label(self) -> &'static str {
        match self {
            Role::VillageOperator => "Operator Desa",
            Role::VillageHead => "Kepala Desa",
            Role::VillageOfficial => "Sekretaris/Perangkat Desa",
            Role::VillageAdmin => "Admin Desa",
            Role::Facilitator => "Pendamping Desa",
            Role::RegencyAdmin => "Admin Kabupaten",
        }
    }

    /// The region level an account of this role is scoped to.
    pub fn scope_level(self) -> RegionLevel {
        match self {
            Role::VillageOperator
            | Role::VillageHead
            | Role::VillageOfficial
            | Role::VillageAdmin => RegionLevel::Village,
            // A facilitator's villages are listed separately; the scope is their regency.
            Role::Facilitator | Role::RegencyAdmin => RegionLevel::Regency,
        }
    }

    /// Whether this role manages other accounts.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::VillageAdmin | Role::RegencyAdmin)
    }

    /// Whether an account with this role and `scope` may see `village`'s data at all.
    pub fn covers(self, scope: KodeWilayah, village: KodeWilayah) -> bool {
        village.is_within(&scope) && scope.level() == self.scope_level()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_enforced_by_region() {
        let a = KodeWilayah::parse("3310012001").unwrap();
        let b = KodeWilayah::parse("3310012002").unwrap();
        let klaten = KodeWilayah::parse("3310").unwrap();
        assert!(Role::VillageOperator.covers(a, a));
        assert!(!Role::VillageOperator.covers(a, b));
        assert!(Role::RegencyAdmin.covers(klaten, b));
        assert!(
            !Role::RegencyAdmin.covers(a, a),
            "a regency role scoped to a village is malformed"
        );
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
