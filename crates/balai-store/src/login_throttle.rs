//! Counting failed logins per key and locking the key out after too many.

use time::{Duration, OffsetDateTime};

use crate::db::Store;
use crate::error::StoreError;

/// The lockout policy.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures allowed within `window` before the key is locked.
    pub max_failures: i64,
    /// How long failures are remembered.
    pub window: Duration,
    /// How long a lockout lasts.
    pub lockout: Duration,
}

impl ThrottlePolicy {
    /// Five failures in fifteen minutes lock the key for fifteen minutes.
    pub const STANDARD: ThrottlePolicy = ThrottlePolicy {
        max_failures: 5,
        window: Duration::minutes(15),
        lockout: Duration::minutes(15),
    };
}

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

impl Store {
    /// When `key` is locked out at `now`, the instant the lockout ends.
    pub async fn locked_until(
        &self,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT locked_until FROM login_throttle WHERE key = $1 AND locked_until > $2",
        )
        .bind(key)
        .bind(millis(now))
        .fetch_optional(self.pool())
        .await?;
        row.map(|(t,)| crate::row_codec::instant_from_millis(t))
            .transpose()
    }

    /// Records a failed attempt for `key`; returns true if the key is now locked.
    pub async fn record_failure(
        &self,
        key: &str,
        now: OffsetDateTime,
        policy: ThrottlePolicy,
    ) -> Result<bool, StoreError> {
        let now_ms = millis(now);
        let window_start_min = millis(now - policy.window);
        let mut tx = self.pool().begin().await?;
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, window_start FROM login_throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        let (failures, window_start) = match row {
            Some((f, start)) if start >= window_start_min => (f + 1, start),
            _ => (1, now_ms),
        };
        let locked_until = if failures >= policy.max_failures {
            millis(now + policy.lockout)
        } else {
            0
        };
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
               locked_until = MAX(login_throttle.locked_until, excluded.locked_until)",
        )
        .bind(key)
        .bind(failures)
        .bind(window_start)
        .bind(locked_until)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(locked_until > 0)
    }

    /// Forgets the failures of `key` (after a successful login).
    pub async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1 AND locked_until = 0")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
