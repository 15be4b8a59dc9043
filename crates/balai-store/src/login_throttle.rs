//! Counting failed logins per key and locking the key out after too many,
//! each lockout of a streak twice as long as the last.

use time::{Duration, OffsetDateTime};

use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::{instant_from_millis, millis};

/// A lockout policy, one per kind of key (account, address, device).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed within `window` before the key is locked.
    pub max_failures: i64,
    /// How long failures are remembered.
    pub window: Duration,
    /// How long the first lockout of a streak lasts; each next one doubles.
    pub lockout: Duration,
    /// The longest a lockout gets.
    pub max_lockout: Duration,
    /// A streak is forgotten after this long without a lockout.
    pub forget_after: Duration,
}

impl ThrottlePolicy {
    /// The lockout that starts the `n`th lockout of a streak (1-based).
    pub fn lockout_for(&self, n: i64) -> Duration {
        let doublings = (n.clamp(1, 20) - 1) as u32;
        self.lockout
            .saturating_mul(1i32 << doublings)
            .min(self.max_lockout)
    }
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
        row.map(|(t,)| instant_from_millis(t)).transpose()
    }

    /// Records a failed attempt for `key`; if the key is now locked, the
    /// instant its lockout ends.
    pub async fn record_failure(
        &self,
        key: &str,
        now: OffsetDateTime,
        policy: ThrottlePolicy,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let now_ms = millis(now);
        let mut tx = self.pool().begin().await?;
        // Keys nobody failed on for a long time are swept here: no timer needed.
        let stale = millis(now - policy.forget_after.max(policy.max_lockout));
        sqlx::query("DELETE FROM login_throttle WHERE window_start < $1 AND locked_until < $1")
            .bind(stale)
            .execute(&mut *tx)
            .await?;
        let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT failures, window_start, locked_until, lockouts FROM login_throttle WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let (failures, window_start, locked_until, lockouts) = row.unwrap_or((0, now_ms, 0, 0));
        if locked_until > now_ms {
            tx.commit().await?;
            return Ok(Some(instant_from_millis(locked_until)?));
        }
        // A streak of lockouts ends after a quiet period.
        let lockouts = if locked_until > 0 && locked_until >= millis(now - policy.forget_after) {
            lockouts
        } else {
            0
        };
        let (failures, window_start) = if window_start >= millis(now - policy.window) {
            (failures + 1, window_start)
        } else {
            (1, now_ms)
        };
        let (failures, window_start, locked_until, lockouts, locked) =
            if failures >= policy.max_failures {
                let n = lockouts + 1;
                let until = millis(now + policy.lockout_for(n));
                // Counting starts afresh after the lockout; the next one is longer.
                (0, until, until, n, true)
            } else {
                (failures, window_start, locked_until, lockouts, false)
            };
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until, lockouts) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
               locked_until = excluded.locked_until, lockouts = excluded.lockouts",
        )
        .bind(key)
        .bind(failures)
        .bind(window_start)
        .bind(locked_until)
        .bind(lockouts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        locked
            .then(|| instant_from_millis(locked_until))
            .transpose()
    }

    /// Forgets the failures and the lockout streak of `key` (after a
    /// successful login), unless it is locked at `now`.
    pub async fn clear_failures(&self, key: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1 AND locked_until <= $2")
            .bind(key)
            .bind(millis(now))
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
