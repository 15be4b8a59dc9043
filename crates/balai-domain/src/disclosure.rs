//! Small-cell suppression for published tables (DESIGN.md §5: open data is
//! aggregates only, with cells under 5 suppressed in cross-tabulations).
//!
//! A statistics table of a dusun or RT is a cross-tabulation of area ×
//! category × sex, and a count of 1–4 there can point at a person ("the one
//! woman of RT 3 with a disability"). Hiding only those cells is not enough:
//! the table also prints totals, so a hidden cell must never be the only
//! unknown of an equation the reader can solve:
//! - per row: men + women = total;
//! - per column: the rows plus BELUM MENGISI = TOTAL, the rows = JUMLAH,
//!   and JUMLAH + BELUM MENGISI = TOTAL.
//!
//! [`suppress`] hides every count of 1–4 (primary suppression), then hides
//! more cells (secondary suppression) until no equation has exactly one
//! hidden term. Zeros stay shown: "nobody" points at no one.

use serde::Serialize;

use crate::population_stats::{StatTable, Tally};

/// Counts below this (and above zero) are never published.
pub const SMALL: u64 = 5;

/// A published count, or "fewer than 5 / withheld".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// The count.
    Shown(u64),
    /// Withheld (shown as "<5" or "*").
    Hidden,
}

impl Cell {
    /// The count when shown.
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(n) => Some(n),
            Cell::Hidden => None,
        }
    }
}

/// One published row: men, women and both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicRow {
    /// The row's label.
    pub label: String,
    /// Men.
    pub men: Cell,
    /// Women.
    pub women: Cell,
    /// Men and women.
    pub total: Cell,
}

/// A table as the public may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicTable {
    /// One row per code, in code order.
    pub rows: Vec<PublicRow>,
    /// JUMLAH: residents counted in the rows.
    pub jumlah: PublicRow,
    /// BELUM MENGISI: no value recorded.
    pub belum_mengisi: PublicRow,
    /// TOTAL: every living resident of the area.
    pub total: PublicRow,
    /// True when any cell was withheld (the page says why).
    pub withheld: bool,
}

const MEN: usize = 0;
const WOMEN: usize = 1;
const BOTH: usize = 2;

/// Values and hidden flags of a table: rows, then BELUM MENGISI, JUMLAH and TOTAL.
struct Grid {
    value: Vec<[u64; 3]>,
    hidden: Vec<[bool; 3]>,
}

impl Grid {
    fn hide(&mut self, row: usize, col: usize) -> bool {
        if self.value[row][col] == 0 || self.hidden[row][col] {
            return false;
        }
        self.hidden[row][col] = true;
        true
    }

    /// In `terms` (rows of one column), hides one more cell when exactly one
    /// is hidden: the smallest nonzero shown term, or `fallback` (a total
    /// of the equation) when every other term is zero.
    fn pair(&mut self, terms: &[usize], col: usize, fallback: usize) -> bool {
        let hidden = terms.iter().filter(|&&r| self.hidden[r][col]).count();
        if hidden != 1 {
            return false;
        }
        let other = terms
            .iter()
            .copied()
            .filter(|&r| !self.hidden[r][col] && self.value[r][col] > 0)
            .min_by_key(|&r| self.value[r][col]);
        match other {
            Some(r) => self.hide(r, col),
            None => self.hide(fallback, col),
        }
    }
}

fn tally(t: Tally) -> [u64; 3] {
    [t.men, t.women, t.total()]
}

/// `table` with every small count withheld and no withheld count derivable
/// from one of the table's sums.
pub fn suppress(table: &StatTable) -> PublicTable {
    let n = table.rows.len();
    let (belum, jumlah, total) = (n, n + 1, n + 2);
    let mut value: Vec<[u64; 3]> = table.rows.iter().map(|r| tally(r.tally)).collect();
    value.extend([
        tally(table.belum_mengisi),
        tally(table.jumlah),
        tally(table.total),
    ]);
    let hidden = value
        .iter()
        .map(|v| v.map(|x| x > 0 && x < SMALL))
        .collect();
    let mut g = Grid { value, hidden };
    let rows: Vec<usize> = (0..n).collect();
    let mut with_belum = rows.clone();
    with_belum.push(belum);
    loop {
        let mut changed = false;
        for r in 0..g.value.len() {
            // men + women = both: a lone hidden term is paired within the row.
            let h = g.hidden[r];
            if [h[MEN], h[WOMEN], h[BOTH]].iter().filter(|&&x| x).count() == 1 {
                changed |= if h[BOTH] {
                    // Hide the smaller nonzero of men and women.
                    let col = if (g.value[r][MEN] <= g.value[r][WOMEN] && g.value[r][MEN] > 0)
                        || g.value[r][WOMEN] == 0
                    {
                        MEN
                    } else {
                        WOMEN
                    };
                    g.hide(r, col)
                } else {
                    let other = if h[MEN] { WOMEN } else { MEN };
                    g.hide(r, other) || g.hide(r, BOTH)
                };
            }
        }
        for col in [MEN, WOMEN, BOTH] {
            // rows + BELUM MENGISI = TOTAL
            let mut terms = with_belum.clone();
            terms.push(total);
            changed |= g.pair(&terms, col, total);
            // rows = JUMLAH
            let mut terms = rows.clone();
            terms.push(jumlah);
            changed |= g.pair(&terms, col, jumlah);
            // JUMLAH + BELUM MENGISI = TOTAL
            changed |= g.pair(&[jumlah, belum, total], col, total);
        }
        if !changed {
            break;
        }
    }
    let row = |i: usize, label: &str| {
        let cell = |c: usize| {
            if g.hidden[i][c] {
                Cell::Hidden
            } else {
                Cell::Shown(g.value[i][c])
            }
        };
        PublicRow {
            label: label.to_string(),
            men: cell(MEN),
            women: cell(WOMEN),
            total: cell(BOTH),
        }
    };
    PublicTable {
        rows: table
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| row(i, &r.label))
            .collect(),
        jumlah: row(jumlah, "JUMLAH"),
        belum_mengisi: row(belum, "BELUM MENGISI"),
        total: row(total, "TOTAL"),
        withheld: g.hidden.iter().flatten().any(|&h| h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population_stats::{Category, StatRow};
    use proptest::prelude::*;

    fn table(rows: &[(u64, u64)], belum: (u64, u64)) -> StatTable {
        let rows: Vec<StatRow> = rows
            .iter()
            .zip(1..)
            .map(|(&(men, women), code)| StatRow {
                code,
                label: format!("R{code}"),
                tally: Tally { men, women },
            })
            .collect();
        let sum = |f: fn(&Tally) -> u64| rows.iter().map(|r| f(&r.tally)).sum::<u64>();
        let jumlah = Tally {
            men: sum(|t| t.men),
            women: sum(|t| t.women),
        };
        let belum = Tally {
            men: belum.0,
            women: belum.1,
        };
        StatTable {
            category: Category::Religion,
            rows,
            jumlah,
            belum_mengisi: belum,
            total: Tally {
                men: jumlah.men + belum.men,
                women: jumlah.women + belum.women,
            },
        }
    }

    /// Every equation a reader can form from the table has zero or at least
    /// two withheld terms, and every count of 1–4 is withheld.
    fn assert_safe(t: &StatTable, p: &PublicTable) {
        let mut all: Vec<(&PublicRow, Tally)> = p
            .rows
            .iter()
            .zip(&t.rows)
            .map(|(pr, r)| (pr, r.tally))
            .collect();
        all.push((&p.belum_mengisi, t.belum_mengisi));
        all.push((&p.jumlah, t.jumlah));
        all.push((&p.total, t.total));
        for (pr, tally) in &all {
            for (cell, v) in [
                (pr.men, tally.men),
                (pr.women, tally.women),
                (pr.total, tally.total()),
            ] {
                if v > 0 && v < SMALL {
                    assert_eq!(cell, Cell::Hidden, "{} {v} shown", pr.label);
                }
                if let Cell::Shown(n) = cell {
                    assert_eq!(n, v, "a shown count is the true count");
                }
            }
            let hidden = [pr.men, pr.women, pr.total]
                .iter()
                .filter(|c| **c == Cell::Hidden)
                .count();
            assert_ne!(
                hidden, 1,
                "row {}: one unknown in men + women = total",
                pr.label
            );
        }
        let n = p.rows.len();
        let col = |r: &PublicRow, c: usize| [r.men, r.women, r.total][c];
        for c in 0..3 {
            let unknown =
                |rows: &[&PublicRow]| rows.iter().filter(|r| col(r, c) == Cell::Hidden).count();
            let mut eq1: Vec<&PublicRow> = p.rows.iter().collect();
            eq1.push(&p.belum_mengisi);
            eq1.push(&p.total);
            let mut eq2: Vec<&PublicRow> = p.rows.iter().collect();
            eq2.push(&p.jumlah);
            let eq3 = [&p.jumlah, &p.belum_mengisi, &p.total];
            for (name, u) in [
                ("rows + belum = total", unknown(&eq1)),
                ("rows = jumlah", unknown(&eq2)),
                ("jumlah + belum = total", unknown(&eq3)),
            ] {
                assert_ne!(u, 1, "column {c} of {n} rows: one unknown in {name}");
            }
        }
    }

    #[test]
    fn large_counts_are_published_as_they_are() {
        let t = table(&[(120, 130), (40, 35), (0, 0)], (10, 12));
        let p = suppress(&t);
        assert!(!p.withheld);
        assert_eq!(p.rows[0].total, Cell::Shown(250));
        assert_eq!(p.rows[2].men, Cell::Shown(0));
        assert_eq!(p.total.total, Cell::Shown(347));
    }

    #[test]
    fn one_small_cell_takes_another_with_it_so_the_totals_do_not_give_it_away() {
        // One Catholic woman in the RT: hiding her alone would leave
        // women's JUMLAH minus the other rows = 1.
        let t = table(&[(60, 58), (30, 31), (9, 1)], (0, 0));
        let p = suppress(&t);
        assert_safe(&t, &p);
        assert_eq!(p.rows[2].women, Cell::Hidden);
        assert_eq!(p.rows[2].men, Cell::Hidden, "else total − men gives her");
        assert!(p.withheld);
    }

    #[test]
    fn a_tiny_area_shows_no_count_that_points_at_anyone() {
        let t = table(&[(2, 1), (0, 0), (1, 0)], (0, 1));
        let p = suppress(&t);
        assert_safe(&t, &p);
        assert_eq!(p.total.total, Cell::Shown(5));
    }

    proptest! {
        #[test]
        fn no_withheld_count_can_be_worked_out_from_one_sum(
            rows in proptest::collection::vec((0u64..12, 0u64..12), 1..8),
            belum in (0u64..8, 0u64..8),
        ) {
            let t = table(&rows, belum);
            assert_safe(&t, &suppress(&t));
        }
    }
}
