//! Row ids: UUIDv7 whose timestamps count up from the as-of date, so the same
//! seed gives the same ids and ids sort in creation order.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use time::Date;
use uuid::{Builder, Uuid};

/// Hands out UUIDv7s one millisecond apart, starting at `as_of` midnight UTC.
#[derive(Debug, Clone)]
pub(crate) struct IdClock {
    next_ms: u64,
}

impl IdClock {
    /// Starts the clock at midnight UTC of `as_of`.
    pub(crate) fn new(as_of: Date) -> Self {
        let secs = as_of.midnight().assume_utc().unix_timestamp();
        Self {
            next_ms: u64::try_from(secs).unwrap_or(0) * 1000,
        }
    }

    /// The next id: a strictly later timestamp than the previous one, random bits from `rng`.
    pub(crate) fn next(&mut self, rng: &mut ChaCha8Rng) -> Uuid {
        let mut random = [0u8; 10];
        rng.fill(&mut random);
        let id = Builder::from_unix_timestamp_millis(self.next_ms, &random).into_uuid();
        self.next_ms += 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use time::macros::date;

    #[test]
    fn ids_are_v7_increasing_and_reproducible() {
        let ids = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut clock = IdClock::new(date!(2026 - 11 - 01));
            (0..100).map(|_| clock.next(&mut rng)).collect::<Vec<_>>()
        };
        let a = ids(1);
        assert_eq!(a, ids(1));
        assert_ne!(a, ids(2));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(a[0].get_version_num(), 7);
        let (secs, _) = a[0].get_timestamp().unwrap().to_unix();
        assert_eq!(secs, 1_793_491_200); // 2026-11-01T00:00:00Z
    }
}
