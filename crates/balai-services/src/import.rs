//! Importing the workbook a village already keeps: all-or-nothing, every bad
//! row reported, re-imported NIKs updating their resident.

use crate::db::Db;
use std::collections::{HashMap, HashSet};

use balai_domain::family::{Family, Member, check_head};
use balai_domain::life_event::is_resident;
use balai_domain::{Resident, ResidentNumber};
use balai_store::{Population, RegistryChange};
use balai_workbook::{ImportError, Limits, Parsed, RowIssue};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::registry::today;
use crate::staff::VillageAccess;

/// How far an import has got, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking every cell.
    Reading,
    /// Matching rows with the registry.
    Matching,
    /// Writing, in one transaction.
    Writing,
}

/// What an import wrote.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Families created.
    pub families_new: usize,
    /// Families whose address changed.
    pub families_updated: usize,
    /// Residents created.
    pub residents_new: usize,
    /// Residents updated (their NIK was already registered).
    pub residents_updated: usize,
    /// Problems that did not block the import.
    pub warnings: Vec<RowIssue>,
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file is not a usable workbook, or has bad rows (every one listed).
    Workbook(ImportError),
    /// The rows are fine on their own but clash with the registry.
    Conflicts(Vec<RowIssue>),
    /// Something else failed.
    Service(ServiceError),
}

impl From<ServiceError> for ImportFailure {
    fn from(e: ServiceError) -> Self {
        ImportFailure::Service(e)
    }
}

impl From<balai_store::StoreError> for ImportFailure {
    fn from(e: balai_store::StoreError) -> Self {
        ImportFailure::Service(e.into())
    }
}

fn issue(row: u32, column: &str, value: String, reason: impl Into<String>) -> RowIssue {
    RowIssue {
        row,
        column: column.into(),
        value,
        reason: reason.into(),
    }
}

fn new_id(ms: u64) -> Uuid {
    let mut rand = [0u8; 10];
    getrandom::fill(&mut rand).expect("the operating system's random source is available");
    uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid()
}

/// Imports `bytes` into the village; nothing is written unless every row is good.
pub async fn import_workbook(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    bytes: Vec<u8>,
    progress: impl Fn(Stage),
) -> Result<ImportReport, ImportFailure> {
    let store = db.store();
    access.require_write()?;
    let village = access.village();
    let today = today(clock, village);
    progress(Stage::Reading);
    // Parsing is CPU work: keep it off the async workers.
    let parsed: Parsed = tokio::task::spawn_blocking(move || {
        balai_workbook::read_with(&bytes, &Limits::default(), Some(today))
    })
    .await
    .map_err(|e| ServiceError::Invalid(format!("pembacaan berkas gagal: {e}")))?
    .map_err(ImportFailure::Workbook)?;
    progress(Stage::Matching);
    let mut problems = Vec::new();
    for r in &parsed.residents {
        if let ResidentNumber::Sementara(t) = r.number
            && t.village() != village
        {
            problems.push(issue(
                r.row,
                "nik",
                r.number.to_string(),
                format!(
                    "nomor sementara ini milik desa {}, bukan desa ini",
                    t.village()
                ),
            ));
        }
    }
    let (families, residents) = store.village_population(village).await?;
    let family_by_kk: HashMap<_, &Family> = families.iter().map(|f| (f.no_kk, f)).collect();
    let resident_by_number: HashMap<_, &Resident> =
        residents.iter().map(|r| (r.number, r)).collect();
    let ms = (clock.now().unix_timestamp_nanos() / 1_000_000) as u64;
    let mut report = ImportReport {
        warnings: parsed.warnings.clone(),
        ..Default::default()
    };
    let mut change = RegistryChange {
        reason: "impor workbook".into(),
        ..Default::default()
    };
    let mut family_ids: HashMap<balai_domain::NoKk, Uuid> = HashMap::new();
    for pf in &parsed.families {
        match family_by_kk.get(&pf.no_kk) {
            Some(existing) => {
                family_ids.insert(pf.no_kk, existing.id);
                if existing.address != pf.address || existing.wilayah != pf.wilayah {
                    let after = Family {
                        address: pf.address.clone(),
                        wilayah: pf.wilayah.clone(),
                        ..(*existing).clone()
                    };
                    change.changed_families.push(((*existing).clone(), after));
                }
            }
            None => {
                let f = Family {
                    id: new_id(ms),
                    village,
                    no_kk: pf.no_kk,
                    address: pf.address.clone(),
                    wilayah: pf.wilayah.clone(),
                };
                family_ids.insert(pf.no_kk, f.id);
                change.new_families.push(f);
            }
        }
    }
    let mut in_file: HashSet<Uuid> = HashSet::new();
    let mut row_of: HashMap<Uuid, u32> = HashMap::new();
    for pr in &parsed.residents {
        let family_id = family_ids[&pr.no_kk];
        let mut r = Resident {
            id: Uuid::nil(),
            village,
            family_id: Some(family_id),
            number: pr.number,
            name: pr.name.clone(),
            sex: pr.sex,
            birth_place: pr.birth_place.clone(),
            birth_date: pr.birth_date,
            religion: pr.religion,
            education: pr.education,
            occupation: pr.occupation,
            marital_status: pr.marital_status,
            relationship: pr.relationship,
            citizenship: pr.citizenship,
            blood_type: pr.blood_type,
            disability: pr.disability,
            father_nik: pr.father_nik,
            father_name: pr.father_name.clone(),
            mother_nik: pr.mother_nik,
            mother_name: pr.mother_name.clone(),
            status: pr.status,
            details: pr.details.clone(),
        };
        r.id = resident_by_number
            .get(&pr.number)
            .map(|e| e.id)
            .unwrap_or_else(|| new_id(ms));
        row_of.insert(r.id, pr.row);
        match resident_by_number.get(&pr.number) {
            Some(existing) => {
                in_file.insert(existing.id);
                // Status is derived from life events: a workbook cannot overrule it.
                if existing.status != pr.status {
                    report.warnings.push(issue(
                        pr.row,
                        "status_dasar",
                        pr.status.label().into(),
                        format!(
                            "diabaikan: status penduduk ini {} menurut peristiwa yang tercatat",
                            existing.status
                        ),
                    ));
                }
                r.status = existing.status;
                if **existing != r {
                    change.changed_residents.push(((*existing).clone(), r));
                }
            }
            None => {
                change.new_residents.push((r, Some(pr.status)));
            }
        }
    }
    // Families that mix registered members with imported ones must still have one head.
    let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
    for r in residents.iter().filter(|r| !in_file.contains(&r.id)) {
        if let Some(f) = r.family_id {
            members.entry(f).or_default().push(Member {
                resident_id: r.id,
                relationship: r.relationship,
                status: r.status,
            });
        }
    }
    for r in change
        .new_residents
        .iter()
        .map(|(r, _)| r)
        .chain(change.changed_residents.iter().map(|(_, r)| r))
    {
        members
            .entry(r.family_id.expect("set above"))
            .or_default()
            .push(Member {
                resident_id: r.id,
                relationship: r.relationship,
                status: r.status,
            });
    }
    for (_, list) in members {
        if let Err(e) = check_head(&list) {
            let row = list
                .iter()
                .filter_map(|m| row_of.get(&m.resident_id))
                .min()
                .copied()
                .unwrap_or(0);
            if row > 0 && list.iter().any(|m| is_resident(m.status)) {
                problems.push(issue(
                    row,
                    "kk_level",
                    String::new(),
                    format!("bersama anggota yang sudah terdaftar: {e}"),
                ));
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
        return Err(ImportFailure::Conflicts(problems));
    }
    progress(Stage::Writing);
    report.families_new = change.new_families.len();
    report.families_updated = change.changed_families.len();
    report.residents_new = change.new_residents.len();
    report.residents_updated = change.changed_residents.len();
    let ctx = access.context(clock);
    if change.changed_families.is_empty() && change.changed_residents.is_empty() {
        // Only new rows: the bulk path, one change-log entry for the whole load.
        let residents: Vec<Resident> = change
            .new_residents
            .iter()
            .map(|(r, _)| r.clone())
            .collect();
        let baselines: Vec<(Uuid, Option<balai_domain::codes::StatusDasar>)> = change
            .new_residents
            .iter()
            .map(|(r, b)| (r.id, *b))
            .collect();
        store
            .insert_population(
                &ctx,
                Population {
                    village,
                    families: &change.new_families,
                    residents: &residents,
                    events: &[],
                    baselines: &baselines,
                },
            )
            .await?;
    } else {
        store.apply_registry_change(&ctx, village, &change).await?;
    }
    Ok(report)
}
