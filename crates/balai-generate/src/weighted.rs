//! Weighted tables: the one sampling primitive every other table is built on.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Picks a value from `(value, weight)` pairs with probability proportional to its weight.
pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    debug_assert!(total > 0, "a weighted table needs a positive total");
    let mut r = rng.random_range(0..total);
    for &(value, weight) in table {
        if r < weight {
            return value;
        }
        r -= weight;
    }
    unreachable!("r < total")
}

/// Picks uniformly from a non-empty slice.
pub(crate) fn one_of<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    // u32 rather than usize: the draw must not depend on the platform's word size.
    items[rng.random_range(0..items.len() as u32) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn follows_the_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let table = [('a', 1), ('b', 0), ('c', 3)];
        let mut counts = [0u32; 3];
        for _ in 0..4000 {
            match pick(&mut rng, &table) {
                'a' => counts[0] += 1,
                'b' => counts[1] += 1,
                _ => counts[2] += 1,
            }
        }
        assert_eq!(counts[1], 0);
        assert!((800..1200).contains(&counts[0]), "{counts:?}");
    }
}
