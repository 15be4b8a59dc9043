//! Balai's storage: schema and migrations, queries, transactions and the
//! append-only change log. Every write goes through one path (`write.rs`)
//! that applies it, keeps the statistics and appends its change-log entry —
//! an entry of the village's change feed (`feed.rs`) — in one transaction. SQLite (embedded) and
//! PostgreSQL are equal backends behind one [`Store`]: SQL is written once
//! against sqlx's `Any` driver, dialect differences live in [`dialect`], and
//! only the backend module and `backup.rs` name a driver.

mod access_log;
mod accounts;
mod backend;
mod backup;
mod budget;
mod change_log;
mod complaints;
mod db;
mod development_index;
pub mod dialect;
mod error;
mod families;
mod feed;
mod info_pages;
mod kiosk_devices;
mod letter_keys;
mod letter_requests;
mod letters;
mod login_throttle;
mod officials;
mod population;
mod population_stats;
mod public_info;
mod regency;
mod regions;
mod registry_change;
mod resident_pins;
mod resident_queries;
mod resident_sessions;
mod residents;
mod row_codec;
mod service_directory;
mod sessions;
mod showcase;
mod site;
mod smart_village;
#[doc(hidden)]
pub mod testing;
mod village_profile;
mod villages;
mod write;
mod write_context;

pub use access_log::AccessEntry;
pub use accounts::{Account, NewAccount, NewReset, PasswordReset, SessionInfo};
pub use backend::{Backend, DatabaseUrl, PoolSettings, mask_url};
pub use backup::{
    BackupReport, RestoreReport, SchemaState, TableCounts, backup_file, create_at_schema_version,
    restore, schema_state, verify,
};
pub use budget::{BudgetYear, LineSource, StoredLine};
pub use change_log::{Action, ChangeLogEntry, Entity};
pub use complaints::{Complaint, NewComplaint};
pub use db::{MigrationPolicy, ServeLock, Store};
pub use development_index::{IdmRecord, IdmSource, StoredIdm, StoredIndeksDesa};
pub use error::StoreError;
pub use families::{FamilyCard, FamilyFilter, FamilyListItem, FamilyPage};
pub use feed::{FEED_VERSION, FeedEntry, FeedPayload, RowImage, Table};
pub use info_pages::InfoPage;
pub use kiosk_devices::KioskDevice;
pub use letter_keys::StoredCertificate;
pub use letter_requests::{LetterRequestRecord, NewLetterRequest, RequestTransition};
pub use letters::{
    LetterRecord, NewLetter, NumberReservation, NumberStatus, Sealed, UnissuedNumber,
    VillageProfile,
};
pub use login_throttle::ThrottlePolicy;
pub use officials::OfficialRecord;
pub use population::{Population, PopulationCounts};
pub use population_stats::{Contribution, Part, StatArea};
pub use public_info::{
    DocumentMeta, Holiday, InfoObjection, InfoRequest, NewInfoRequest, NewObjection,
    PublicInfoContent, PublicInfoEntry,
};
pub use regency::{
    CoachingNote, KeyGrouping, KeyRow, NewCoachingNote, ReportSubmission, VillageActivity,
    VillagePoint,
};
pub use regions::RegionsImported;
pub use registry_change::RegistryChange;
pub use resident_pins::ResidentPin;
pub use resident_queries::{ResidentFilter, ResidentListItem, ResidentPage};
pub use resident_sessions::ResidentSessionRow;
pub use service_directory::PublicService;
pub use sessions::SessionRow;
pub use showcase::{Product, ProductContent, ShowcaseImage, TourismContent, TourismSpot};
pub use site::{
    Activity, ActivityDetails, NewSignup, NewsContent, NewsImage, NewsPost, SLUG_TAKEN, Signup,
};
pub use smart_village::{PillarCounts, PillarPeriod};
pub use village_profile::StoredVillageProfile;
pub use villages::VillageSummary;
pub use write_context::WriteContext;
