//! Balai's use cases. Each takes the store and the clock explicitly, checks
//! what the caller may do, and leaves HTTP and terminal concerns to its callers.

pub mod accounts;
pub mod actor;
pub mod backup;
pub mod budget;
pub mod clock;
pub mod coaching;
pub mod complaints;
mod db;
pub mod demo;
pub mod development_index;
pub mod error;
pub mod export;
pub mod feed;
pub mod generate;
pub mod import;
pub mod kiosks;
pub mod letters;
pub mod login_throttle;
pub mod officials;
pub mod passwords;
pub mod prints;
pub mod public_info;
pub mod regency;
pub mod regions;
pub mod registry;
pub mod reports;
pub mod secrets;
pub mod self_service;
pub mod service_directory;
pub mod setup;
pub mod showcase;
pub mod site;
pub mod site_images;
pub mod smart_village;
pub mod staff;
pub mod statistics;
pub mod totp;
pub mod village_profile;
pub mod villages;

pub use balai_store::WriteContext;
pub use clock::{Clock, FixedClock, SystemClock};
pub use db::{Backend, DatabaseUrl, Db, PoolSettings};
pub use error::ServiceError;
