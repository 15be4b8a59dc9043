//! `balai regions import`.

use balai_services::regions::{RegionsSource, read, store_regions};

use crate::cli::RegionsImportArgs;
use crate::config::Config;

/// Loads a region list; a bad file is reported before the database is touched.
pub async fn import(args: RegionsImportArgs, config: Config) -> anyhow::Result<()> {
    let source = match &args.file {
        Some(f) if !args.builtin => RegionsSource::File(f),
        _ => RegionsSource::Builtin,
    };
    // Read and check first: a corrupt file must not even create a database.
    let loaded = read(source)?;
    let db = super::open(&config).await?;
    let r = store_regions(&db, &super::cli_context("regions-import"), &loaded).await?;
    let c = r.counts;
    println!(
        "imported {} provinces, {} regencies, {} districts, {} villages into {} ({} new)",
        c.provinces, c.regencies, c.districts, c.villages, config.database, r.added
    );
    db.close().await;
    Ok(())
}
