//! Checks that need more than one row: duplicate NIKs, one head per KK, and
//! KK members living at the KK's address. Also groups rows into families.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use balai_domain::NoKk;
use balai_domain::codes::Shdk;
use balai_domain::life_event::is_resident;

use crate::columns::Column;
use crate::headers::ColumnMap;
use crate::issue::{Issues, RowIssue};
use crate::parsed::ParsedFamily;
use crate::row_parser::RowFacts;

/// Runs every cross-row check over `rows` (in sheet order), adding to `issues`.
pub(crate) fn check(map: &ColumnMap, rows: &[RowFacts], issues: &mut Issues) {
    duplicate_numbers(map, rows, issues);
    let families = group(rows);
    for members in families.values() {
        heads(map, rows, members, issues);
        same_address(map, rows, members, issues);
    }
}

/// The families of an error-free sheet, in order of first appearance, each
/// described by its first row.
pub(crate) fn families(rows: &[RowFacts]) -> Vec<ParsedFamily> {
    let mut seen: HashSet<NoKk> = HashSet::new();
    let mut out = Vec::new();
    for r in rows {
        let (Some(no_kk), Some(wilayah)) = (r.no_kk, &r.wilayah) else {
            continue;
        };
        if seen.insert(no_kk) {
            out.push(ParsedFamily {
                no_kk,
                address: r.address.clone(),
                wilayah: wilayah.clone(),
                first_row: r.row,
            });
        }
    }
    out
}

/// Row indexes per No. KK, in sheet order.
fn group(rows: &[RowFacts]) -> HashMap<NoKk, Vec<usize>> {
    let mut families: HashMap<NoKk, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(kk) = r.no_kk {
            families.entry(kk).or_default().push(i);
        }
    }
    families
}

fn issue(map: &ColumnMap, issues: &mut Issues, row: u32, c: Column, value: &str, reason: String) {
    issues.error(map.position(c), RowIssue::new(row, c.name(), value, reason));
}

fn duplicate_numbers(map: &ColumnMap, rows: &[RowFacts], issues: &mut Issues) {
    let mut first = HashMap::with_capacity(rows.len());
    for r in rows {
        let Some(number) = r.number else { continue };
        match first.entry(number) {
            Entry::Vacant(v) => {
                v.insert(r.row);
            }
            Entry::Occupied(o) => issue(
                map,
                issues,
                r.row,
                Column::Nik,
                &number.to_string(),
                format!("NIK sama dengan baris {}", o.get()),
            ),
        }
    }
}

/// Exactly one head among the members still living in the village (a dead
/// or departed former head may keep `kk_level` 1, as the family rules allow).
fn heads(map: &ColumnMap, rows: &[RowFacts], members: &[usize], issues: &mut Issues) {
    let mut present = Vec::with_capacity(members.len());
    for &i in members {
        let r = &rows[i];
        // A member whose level or status did not parse already has an error;
        // counting without them would invent a second one.
        let (Some(relationship), Some(status)) = (r.relationship, r.status) else {
            return;
        };
        if is_resident(status) {
            present.push((r, relationship));
        }
    }
    if present.is_empty() {
        return;
    }
    let heads: Vec<&RowFacts> = present
        .iter()
        .filter(|(_, rel)| *rel == Shdk::KepalaKeluarga)
        .map(|(r, _)| *r)
        .collect();
    let first = &rows[members[0]];
    let Some(no_kk) = first.no_kk else { return };
    match heads.as_slice() {
        [] => issue(
            map,
            issues,
            first.row,
            Column::KkLevel,
            &level_text(first),
            format!(
                "KK {no_kk} tidak punya kepala keluarga: tepat satu anggota yang masih tinggal harus ber-kk_level 1 (KEPALA KELUARGA)"
            ),
        ),
        [_] => {}
        [head, extra @ ..] => {
            for r in extra {
                issue(
                    map,
                    issues,
                    r.row,
                    Column::KkLevel,
                    &level_text(r),
                    format!(
                        "KK {no_kk} punya lebih dari satu kepala keluarga (yang pertama di baris {})",
                        head.row
                    ),
                );
            }
        }
    }
}

fn level_text(r: &RowFacts) -> String {
    r.relationship
        .map(|s| s.code().to_string())
        .unwrap_or_default()
}

/// Members whose dusun, RW, RT or address differ from the KK's first row:
/// the card has one address, so the first row's is kept and the rest warned about.
fn same_address(map: &ColumnMap, rows: &[RowFacts], members: &[usize], issues: &mut Issues) {
    let first = &rows[members[0]];
    let Some(w0) = &first.wilayah else { return };
    for &i in &members[1..] {
        let r = &rows[i];
        let Some(w) = &r.wilayah else { continue };
        let differs = [
            (Column::Dusun, w.dusun(), w0.dusun()),
            (Column::Rw, w.rw(), w0.rw()),
            (Column::Rt, w.rt(), w0.rt()),
            (Column::Alamat, r.address.as_str(), first.address.as_str()),
        ];
        for (c, mine, theirs) in differs {
            if mine != theirs {
                issues.warning(
                    map.position(c),
                    RowIssue::new(
                        r.row,
                        c.name(),
                        mine,
                        format!(
                            "berbeda dengan baris {} (KK yang sama); yang dipakai untuk KK adalah {:?}",
                            first.row, theirs
                        ),
                    ),
                );
            }
        }
    }
}
