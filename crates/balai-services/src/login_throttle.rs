//! The lockout every login shares (staff by name, residents by NIK, both by
//! address): checked before the secret is looked at, counted after a failure.

use balai_store::{Store, ThrottlePolicy};
use time::OffsetDateTime;

use crate::error::ServiceError;
use crate::staff::LoginRefused;

/// The refusal if any of `keys` is locked out at `now`.
pub(crate) async fn locked(
    store: &Store,
    keys: &[String],
    now: OffsetDateTime,
) -> Result<Option<LoginRefused>, ServiceError> {
    for key in keys {
        if let Some(until) = store.locked_until(key, now).await? {
            return Ok(Some(LoginRefused::LockedOut(until)));
        }
    }
    Ok(None)
}

/// Counts a failed login against every key; the refusal to show.
pub(crate) async fn failed(
    store: &Store,
    keys: &[String],
    now: OffsetDateTime,
) -> Result<LoginRefused, ServiceError> {
    let mut locked = false;
    for key in keys {
        locked |= store
            .record_failure(key, now, ThrottlePolicy::STANDARD)
            .await?;
    }
    Ok(if locked {
        LoginRefused::LockedOut(now + ThrottlePolicy::STANDARD.lockout)
    } else {
        LoginRefused::BadCredentials
    })
}
