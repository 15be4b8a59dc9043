//! Kiosks as known devices. An operator enrols the village office's kiosk
//! from the kiosk's own browser; the browser keeps a random device token in
//! a long-lived cookie (only its hash is stored). An enrolled kiosk is
//! throttled as its own device, because every resident in the queue shares
//! its address; a browser without a live device token is an ordinary client.

use crate::db::Db;
use balai_domain::KodeWilayah;
use balai_store::{KioskDevice, StoreError};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::login_throttle::Client;
use crate::registry::field_errors::FieldErrors;
use crate::secrets::{random_token, token_hash};
use crate::staff::VillageAccess;

/// A kiosk just enrolled, with the device token for its cookie (shown to
/// no one else and never stored in the clear).
#[derive(Debug, Clone)]
pub struct Enrolled {
    /// The device.
    pub device: KioskDevice,
    /// The token its browser keeps.
    pub token: String,
}

/// A kiosk's name as the office calls it ("Anjungan ruang tunggu"): 1 to
/// 80 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskName(String);

impl KioskName {
    /// Reads the `nama` field.
    pub fn parse(name: &str) -> Result<Self, FieldErrors> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            let mut e = FieldErrors::default();
            e.add("nama", "beri nama anjungan ini (paling banyak 80 huruf)");
            return Err(e);
        }
        Ok(Self(name.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Enrols a kiosk of the operator's village under `name`.
pub async fn enrol(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    name: &KioskName,
) -> Result<Enrolled, ServiceError> {
    let store = db.store();
    access.require_write()?;
    let name = name.as_str();
    let token = random_token();
    let id = crate::registry::events::new_row_id(clock);
    let ctx = access.context(clock);
    store
        .enrol_kiosk(&ctx, access.village(), id, name, &token_hash(&token))
        .await?;
    Ok(Enrolled {
        device: KioskDevice {
            id,
            village: access.village(),
            name: name.to_string(),
            created_at: ctx.at,
            created_by: ctx.actor.clone(),
            revoked_at: None,
        },
        token,
    })
}

/// Revokes one of the village's kiosks.
pub async fn revoke(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
) -> Result<(), ServiceError> {
    let store = db.store();
    access.require_write()?;
    store
        .revoke_kiosk(&access.context(clock), access.village(), id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => ServiceError::NotFound,
            other => other.into(),
        })
}

/// The village's enrolled kiosks, newest first.
pub async fn list(db: &Db, access: &VillageAccess) -> Result<Vec<KioskDevice>, ServiceError> {
    let store = db.store();
    Ok(store.kiosks_of(access.village()).await?)
}

/// Who a browser at `village`'s kiosk is: its enrolled device when it
/// carries a live token of this village, else `fallback` (its address).
pub async fn client(
    db: &Db,
    village: KodeWilayah,
    device_token: Option<&str>,
    fallback: Client,
) -> Result<Client, ServiceError> {
    let store = db.store();
    let Some(token) = device_token.filter(|t| !t.is_empty() && t.len() <= 64) else {
        return Ok(fallback);
    };
    Ok(match store.kiosk_by_token(&token_hash(token)).await? {
        Some(d) if d.village == village => Client::Kiosk(d.id),
        _ => fallback,
    })
}
