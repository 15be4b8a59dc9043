//! Exporting a village's registry in the workbook format (xlsx) or CSV.

use crate::db::Db;
use balai_workbook::ExportRow;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::staff::VillageAccess;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The OpenSID workbook layout.
    Xlsx,
    /// The same columns as CSV.
    Csv,
}

/// The file name and bytes of the village's export; every resident exported is logged.
pub async fn export(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    format: Format,
) -> Result<(String, Vec<u8>), ServiceError> {
    let store = db.store();
    let village = access.village();
    let (families, residents) = store.village_population(village).await?;
    let by_id: std::collections::HashMap<_, _> = families.iter().map(|f| (f.id, f)).collect();
    let rows: Vec<ExportRow<'_>> = residents
        .iter()
        .filter_map(|r| {
            Some(ExportRow {
                family: by_id.get(&r.family_id?)?,
                resident: r,
            })
        })
        .collect();
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.resident.id).collect();
    store
        .log_bulk_access(
            &access.context(clock),
            village,
            &ids,
            "ekspor data penduduk",
        )
        .await?;
    let stamp = crate::registry::today(clock, village);
    Ok(match format {
        Format::Xlsx => (
            format!("penduduk-{}-{stamp}.xlsx", village.plain()),
            balai_workbook::write_xlsx(&rows),
        ),
        Format::Csv => (
            format!("penduduk-{}-{stamp}.csv", village.plain()),
            balai_workbook::write_csv(&rows),
        ),
    })
}
