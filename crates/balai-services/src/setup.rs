//! `balai setup`: turns an empty database into a real installation — one
//! village office or every village of a regency — with its first
//! administrator. **Everything is checked before anything is written**, and a
//! database that already holds villages or accounts is refused untouched.

use crate::db::Db;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_store::{NewAccount, WriteContext};

use crate::accounts::Username;
use crate::error::ServiceError;
use crate::passwords::NewPassword;
use crate::regions::{LoadedRegions, store_regions};

/// What the installation serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installation {
    /// A single village office; the administrator is its village administrator.
    Village(KodeWilayah),
    /// Every village of a regency; the administrator is the regency administrator.
    Regency(KodeWilayah),
}

impl Installation {
    /// The region the installation covers.
    pub fn scope(self) -> KodeWilayah {
        match self {
            Installation::Village(k) | Installation::Regency(k) => k,
        }
    }

    fn admin_role(self) -> Role {
        match self {
            Installation::Village(_) => Role::VillageAdmin,
            Installation::Regency(_) => Role::RegencyAdmin,
        }
    }
}

/// A setup to carry out.
#[derive(Debug, Clone)]
pub struct SetupPlan {
    /// Village office or regency.
    pub installation: Installation,
    /// The first administrator's login name.
    pub admin_username: Username,
    /// Their name as shown.
    pub admin_name: String,
    /// Their password, already checked against the rules.
    pub admin_password: NewPassword,
}

/// What setup created.
#[derive(Debug, Clone)]
pub struct SetupReport {
    /// The villages now served, with their names.
    pub villages: Vec<(KodeWilayah, String)>,
    /// The name of the installation's region (village or regency).
    pub scope_name: String,
    /// The administrator's role.
    pub admin_role: Role,
}

/// Checks `code` at `level` against the region list: known, or refused with
/// the closest codes of that level.
pub fn check_code(
    regions: &LoadedRegions,
    code: KodeWilayah,
    level: RegionLevel,
) -> Result<String, ServiceError> {
    if code.level() != level {
        return Err(ServiceError::Invalid(format!(
            "{code} is a {} code, not a {} code ({})",
            level_name(code.level()),
            level_name(level),
            match level {
                RegionLevel::Village => "PP.KK.CC.DDDD, 10 digits",
                RegionLevel::Regency => "PP.KK, 4 digits",
                _ => "",
            }
        )));
    }
    if let Some(r) = regions.set().get(code) {
        return Ok(r.name.clone());
    }
    let near = closest(regions, code, 5);
    let list: Vec<String> = near.iter().map(|(k, n)| format!("{k} {n}")).collect();
    Err(ServiceError::Invalid(if list.is_empty() {
        format!(
            "{} {code} is not in the region list; load a list that has it with --regions FILE",
            level_name(level)
        )
    } else {
        format!(
            "{} {code} is not in the region list; closest: {}",
            level_name(level),
            list.join(", ")
        )
    }))
}

fn level_name(l: RegionLevel) -> &'static str {
    match l {
        RegionLevel::Province => "province",
        RegionLevel::Regency => "regency",
        RegionLevel::District => "district",
        RegionLevel::Village => "village",
    }
}

/// The `n` regions of `code`'s level whose codes are nearest to it: fewest
/// digit edits first, then the nearest number (the same district's
/// neighbours), so a mistyped digit finds the intended village.
pub fn closest(regions: &LoadedRegions, code: KodeWilayah, n: usize) -> Vec<(KodeWilayah, String)> {
    let want = code.plain();
    let mut scored: Vec<(usize, u64, KodeWilayah, &str)> = regions
        .set()
        .regions()
        .iter()
        .filter(|r| r.kode.level() == code.level())
        .map(|r| {
            (
                strsim::levenshtein(&want, &r.kode.plain()),
                r.kode.as_u64().abs_diff(code.as_u64()),
                r.kode,
                r.name.as_str(),
            )
        })
        .collect();
    scored.sort_by_key(|(d, gap, k, _)| (*d, *gap, *k));
    scored
        .into_iter()
        .take(n)
        .map(|(_, _, k, name)| (k, name.to_string()))
        .collect()
}

/// Carries out `plan` on an empty database: stores the region list, makes
/// the village(s) tenants with their letter settings and signing keys, and
/// creates the administrator.
pub async fn setup(
    db: &Db,
    ctx: &WriteContext,
    regions: &LoadedRegions,
    plan: SetupPlan,
) -> Result<SetupReport, ServiceError> {
    let store = db.store();
    let scope = plan.installation.scope();
    let level = match plan.installation {
        Installation::Village(_) => RegionLevel::Village,
        Installation::Regency(_) => RegionLevel::Regency,
    };
    let scope_name = check_code(regions, scope, level)?;
    let villages = store.village_summaries(None).await?.len();
    let accounts = store.account_count().await?;
    if villages > 0 || accounts > 0 {
        // Villages without any account: an earlier setup stopped half-way
        // (each step is its own transaction), and no one can log in to it.
        let hint = if accounts == 0 {
            "if an earlier setup was interrupted, run it again on a new database file"
        } else {
            "administrators add accounts at /staf/pengguna"
        };
        return Err(ServiceError::Invalid(format!(
            "this database is already set up ({villages} villages, {accounts} accounts); setup only prepares an empty database and changed nothing — {hint}"
        )));
    }
    let wanted: Vec<(KodeWilayah, String)> = match plan.installation {
        Installation::Village(v) => vec![(v, scope_name.clone())],
        Installation::Regency(r) => regions
            .set()
            .within(r, RegionLevel::Village)
            .map(|v| (v.kode, v.name.clone()))
            .collect(),
    };
    if wanted.is_empty() {
        return Err(ServiceError::Invalid(format!(
            "the region list has no villages in {scope}"
        )));
    }
    store_regions(db, ctx, regions).await?;
    for (v, _) in &wanted {
        store.create_village(ctx, *v).await?;
        crate::letters::ensure_profile(db, ctx, *v).await?;
    }
    let role = plan.installation.admin_role();
    store
        .create_account(
            ctx,
            &NewAccount {
                id: uuid::Uuid::now_v7(),
                username: plan.admin_username.as_str().to_string(),
                display_name: plan.admin_name,
                password_hash: plan.admin_password.hash()?,
                role,
                scope,
                facilitated: Vec::new(),
                reset: None,
            },
        )
        .await?;
    Ok(SetupReport {
        villages: wanted,
        scope_name,
        admin_role: role,
    })
}
