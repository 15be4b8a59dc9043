//! Balai's storage: schema and migrations, queries, transactions and the
//! append-only change log. Every write that touches village data writes its
//! change-log entry in the same transaction. SQLite is the embedded default;
//! SQL is kept portable and dialect differences live in [`dialect`].

mod accounts;
mod backup;
mod change_log;
mod db;
pub mod dialect;
mod error;
mod population;
mod regions;
mod residents;
mod row_codec;
mod villages;
mod write_context;

pub use accounts::{Account, NewAccount};
pub use backup::{BackupReport, RestoreReport, TableCounts, restore, verify};
pub use change_log::{Action, ChangeLogEntry, Entity};
pub use db::{ServeLock, Store};
pub use error::StoreError;
pub use population::{Population, PopulationCounts};
pub use regions::RegionsImported;
pub use villages::VillageSummary;
pub use write_context::WriteContext;
