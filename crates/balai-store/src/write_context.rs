//! Who is writing, and when: stamped on every change-log entry.

use time::OffsetDateTime;

/// The actor and instant of a write. The instant is passed in (never read
/// from the clock here) so tests and imports are deterministic.
#[derive(Debug, Clone)]
pub struct WriteContext {
    /// Account name or system actor, e.g. `operator.randusari` or `system:import`.
    pub actor: String,
    /// When the write happens.
    pub at: OffsetDateTime,
}

impl WriteContext {
    /// A context for `actor` at `at`.
    pub fn new(actor: impl Into<String>, at: OffsetDateTime) -> Self {
        Self {
            actor: actor.into(),
            at,
        }
    }

    pub(crate) fn at_millis(&self) -> i64 {
        (self.at.unix_timestamp_nanos() / 1_000_000) as i64
    }
}
