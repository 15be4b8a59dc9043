//! The one definition of every population figure Balai shows (DOMAIN.md,
//! "Population statistics"): which resident attribute each table counts,
//! its codes and labels, the age ranges and age categories.
//!
//! Figures are kept as [`Counts`]: how many residents (or families) have a
//! given value of a [`Dimension`], by sex. Counts add and subtract, so a
//! store can keep them current on every write and sum them over RTs, villages
//! and regencies. Age is not a count (it changes with the day, not with
//! writes): counts are kept by birth month and, for the month of the day
//! asked about, by birth date, which is exact for any date — see
//! [`PopulationStats::compute`].

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use crate::CodeList;
use crate::codes::{
    Agama, Asuransi, Cacat, CaraKb, GolonganDarah, Hamil, Pekerjaan, PendidikanKk,
    PendidikanSedang, Sex, Shdk, StatusDasar, StatusKawin, Warganegara,
};
use crate::resident::Resident;

/// What a kept count counts. The numbers are stored: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// Family cards (code 0, sex 0).
    Families,
    /// Every resident, by basic status (living or not).
    Status,
    /// Living residents by sex (code = sex).
    Sex,
    /// Religion.
    Religion,
    /// Education on the KK.
    Education,
    /// Education in progress (details).
    CurrentEducation,
    /// Occupation.
    Occupation,
    /// Marital status.
    MaritalStatus,
    /// Relationship to the family head.
    Relationship,
    /// Citizenship.
    Citizenship,
    /// Blood type.
    BloodType,
    /// Disability.
    Disability,
    /// Family-planning method (details).
    Contraception,
    /// Pregnancy (details).
    Pregnancy,
    /// Health insurance (details).
    Insurance,
    /// Birth certificate recorded (1) or not (2).
    BirthCertificate,
    /// Living residents by birth month: code = year × 12 + month − 1.
    BirthMonth,
    /// Living residents born in calendar month `m` (1–12), by birth date:
    /// code = year × 100 + day of the month ([`birth_day_code`]). Read only
    /// for the month of the day asked.
    BirthDay(u8),
    /// Living residents by age in whole years on the day asked: code = age.
    /// Never kept (ages change with the day): a read folds the birth-month
    /// and birth-day counts into ages the way [`age_of`] does, so a regency
    /// reads a few hundred rows rather than every birth date of the month.
    Age,
}

/// The code stored for "no value recorded" (BELUM MENGISI).
pub const NOT_RECORDED: i64 = 0;

/// Sex code stored for counts that are not by sex (families).
pub const NO_SEX: i64 = 0;

impl Dimension {
    /// The number stored for this dimension.
    pub fn number(self) -> i64 {
        match self {
            Dimension::Families => 1,
            Dimension::Status => 2,
            Dimension::Sex => 3,
            Dimension::Religion => 4,
            Dimension::Education => 5,
            Dimension::CurrentEducation => 6,
            Dimension::Occupation => 7,
            Dimension::MaritalStatus => 8,
            Dimension::Relationship => 9,
            Dimension::Citizenship => 10,
            Dimension::BloodType => 11,
            Dimension::Disability => 12,
            Dimension::Contraception => 13,
            Dimension::Pregnancy => 14,
            Dimension::Insurance => 15,
            Dimension::BirthCertificate => 16,
            Dimension::BirthMonth => 50,
            Dimension::Age => 60,
            Dimension::BirthDay(m) => 100 + i64::from(m),
        }
    }

    /// The dimension stored as `n`.
    pub fn from_number(n: i64) -> Option<Self> {
        Some(match n {
            1 => Dimension::Families,
            2 => Dimension::Status,
            3 => Dimension::Sex,
            4 => Dimension::Religion,
            5 => Dimension::Education,
            6 => Dimension::CurrentEducation,
            7 => Dimension::Occupation,
            8 => Dimension::MaritalStatus,
            9 => Dimension::Relationship,
            10 => Dimension::Citizenship,
            11 => Dimension::BloodType,
            12 => Dimension::Disability,
            13 => Dimension::Contraception,
            14 => Dimension::Pregnancy,
            15 => Dimension::Insurance,
            16 => Dimension::BirthCertificate,
            50 => Dimension::BirthMonth,
            60 => Dimension::Age,
            101..=112 => Dimension::BirthDay(u8::try_from(n - 100).ok()?),
            _ => return None,
        })
    }

    /// Dimensions stored below this number do not depend on the day asked
    /// (everything but birth months and birth days).
    pub const FIXED_BELOW: i64 = 50;
}

/// One kept count's key: dimension, code, sex code.
pub type CountKey = (Dimension, i64, i64);

/// Counts by (dimension, code, sex). Zero entries are dropped, so two
/// `Counts` holding the same figures compare equal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(BTreeMap<CountKey, i64>);

fn opt<T: CodeList>(v: Option<T>) -> i64 {
    v.map_or(NOT_RECORDED, |c| i64::from(c.code()))
}

/// Birth-month code of `d`.
pub fn birth_month_code(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// Birth-day code of `d` (its month is the dimension's): year × 100 + day.
/// Integer division and remainder recover the year and day in SQL, on both
/// backends, so a read can fold these counts into ages without a date type.
pub fn birth_day_code(d: Date) -> i64 {
    i64::from(d.year()) * 100 + i64::from(d.day())
}

impl Counts {
    /// Adds `by` to one count.
    pub fn add(&mut self, key: CountKey, by: i64) {
        if by == 0 {
            return;
        }
        let e = self.0.entry(key).or_insert(0);
        *e += by;
        if *e == 0 {
            self.0.remove(&key);
        }
    }

    /// Adds every count of `other`, times `sign`.
    pub fn merge(&mut self, other: &Counts, sign: i64) {
        for (k, v) in &other.0 {
            self.add(*k, v * sign);
        }
    }

    /// The counts, nonzero ones only.
    pub fn iter(&self) -> impl Iterator<Item = (CountKey, i64)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v))
    }

    /// True when nothing is counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One count.
    pub fn get(&self, key: CountKey) -> i64 {
        self.0.get(&key).copied().unwrap_or(0)
    }

    /// Counts one family card (`sign` = 1) or removes it (−1).
    pub fn add_family(&mut self, sign: i64) {
        self.add((Dimension::Families, 0, NO_SEX), sign);
    }

    /// Counts `r` (`sign` = 1) or removes it (−1). **This is the definition**:
    /// every resident is counted by status; living residents (HIDUP) are
    /// counted in every other dimension.
    pub fn add_resident(&mut self, r: &Resident, sign: i64) {
        let sex = i64::from(r.sex.code());
        self.add((Dimension::Status, i64::from(r.status.code()), sex), sign);
        if r.status != StatusDasar::Hidup {
            return;
        }
        let d = &r.details;
        let codes = [
            (Dimension::Sex, sex),
            (Dimension::Religion, i64::from(r.religion.code())),
            (Dimension::Education, i64::from(r.education.code())),
            (Dimension::CurrentEducation, opt(d.current_education)),
            (Dimension::Occupation, i64::from(r.occupation.code())),
            (Dimension::MaritalStatus, i64::from(r.marital_status.code())),
            (Dimension::Relationship, i64::from(r.relationship.code())),
            (Dimension::Citizenship, i64::from(r.citizenship.code())),
            (Dimension::BloodType, i64::from(r.blood_type.code())),
            (Dimension::Disability, opt(r.disability)),
            (Dimension::Contraception, opt(d.contraception)),
            (Dimension::Pregnancy, opt(d.pregnant)),
            (Dimension::Insurance, opt(d.insurance)),
            (
                Dimension::BirthCertificate,
                if d.birth_certificate.trim().is_empty() {
                    2
                } else {
                    1
                },
            ),
            (Dimension::BirthMonth, birth_month_code(r.birth_date)),
            (
                Dimension::BirthDay(u8::from(r.birth_date.month())),
                birth_day_code(r.birth_date),
            ),
        ];
        for (dim, code) in codes {
            self.add((dim, code, sex), sign);
        }
    }
}

/// Men and women.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Men.
    pub men: u64,
    /// Women.
    pub women: u64,
}

impl Tally {
    /// Men and women together.
    pub fn total(self) -> u64 {
        self.men + self.women
    }

    fn add(&mut self, sex: i64, n: i64) {
        let n = u64::try_from(n).unwrap_or(0);
        if sex == i64::from(Sex::LakiLaki.code()) {
            self.men += n;
        } else if sex == i64::from(Sex::Perempuan.code()) {
            self.women += n;
        }
    }

    fn plus(self, o: Tally) -> Tally {
        Tally {
            men: self.men + o.men,
            women: self.women + o.women,
        }
    }

    fn minus(self, o: Tally) -> Tally {
        Tally {
            men: self.men.saturating_sub(o.men),
            women: self.women.saturating_sub(o.women),
        }
    }
}

/// A published statistics table (OpenSID's slugs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Category {
    /// rentang-umur
    AgeRange,
    /// kategori-umur
    AgeCategory,
    /// pendidikan-dalam-kk
    Education,
    /// pendidikan-sedang-ditempuh
    CurrentEducation,
    /// pekerjaan
    Occupation,
    /// status-perkawinan
    MaritalStatus,
    /// agama
    Religion,
    /// jenis-kelamin
    Sex,
    /// hubungan-dalam-kk
    Relationship,
    /// warga-negara
    Citizenship,
    /// golongan-darah
    BloodType,
    /// penyandang-cacat
    Disability,
    /// akseptor-kb
    Contraception,
    /// akta-kelahiran
    BirthCertificate,
    /// asuransi-kesehatan
    Insurance,
    /// status-kehamilan
    Pregnancy,
}

impl Category {
    /// Every table, in the order pages show them.
    pub const ALL: &'static [Category] = &[
        Category::AgeRange,
        Category::AgeCategory,
        Category::Education,
        Category::CurrentEducation,
        Category::Occupation,
        Category::MaritalStatus,
        Category::Religion,
        Category::Sex,
        Category::Relationship,
        Category::Citizenship,
        Category::BloodType,
        Category::Disability,
        Category::Contraception,
        Category::BirthCertificate,
        Category::Insurance,
        Category::Pregnancy,
    ];

    /// OpenSID's slug, used in addresses.
    pub fn slug(self) -> &'static str {
        match self {
            Category::AgeRange => "rentang-umur",
            Category::AgeCategory => "kategori-umur",
            Category::Education => "pendidikan-dalam-kk",
            Category::CurrentEducation => "pendidikan-sedang-ditempuh",
            Category::Occupation => "pekerjaan",
            Category::MaritalStatus => "status-perkawinan",
            Category::Religion => "agama",
            Category::Sex => "jenis-kelamin",
            Category::Relationship => "hubungan-dalam-kk",
            Category::Citizenship => "warga-negara",
            Category::BloodType => "golongan-darah",
            Category::Disability => "penyandang-cacat",
            Category::Contraception => "akseptor-kb",
            Category::BirthCertificate => "akta-kelahiran",
            Category::Insurance => "asuransi-kesehatan",
            Category::Pregnancy => "status-kehamilan",
        }
    }

    /// The table's Indonesian title.
    pub fn title(self) -> &'static str {
        match self {
            Category::AgeRange => "Rentang Umur",
            Category::AgeCategory => "Kategori Umur",
            Category::Education => "Pendidikan dalam KK",
            Category::CurrentEducation => "Pendidikan Sedang Ditempuh",
            Category::Occupation => "Pekerjaan",
            Category::MaritalStatus => "Status Perkawinan",
            Category::Religion => "Agama",
            Category::Sex => "Jenis Kelamin",
            Category::Relationship => "Hubungan dalam KK",
            Category::Citizenship => "Warga Negara",
            Category::BloodType => "Golongan Darah",
            Category::Disability => "Penyandang Cacat",
            Category::Contraception => "Akseptor KB",
            Category::BirthCertificate => "Akta Kelahiran",
            Category::Insurance => "Asuransi Kesehatan",
            Category::Pregnancy => "Status Kehamilan",
        }
    }

    fn rows(self) -> Option<(Dimension, Vec<(i64, String)>)> {
        fn list<T: CodeList>() -> Vec<(i64, String)> {
            T::all()
                .iter()
                .map(|c| (i64::from(c.code()), c.label().to_string()))
                .collect()
        }
        Some(match self {
            Category::AgeRange | Category::AgeCategory => return None,
            Category::Education => (Dimension::Education, list::<PendidikanKk>()),
            Category::CurrentEducation => (Dimension::CurrentEducation, list::<PendidikanSedang>()),
            Category::Occupation => (Dimension::Occupation, list::<Pekerjaan>()),
            Category::MaritalStatus => (Dimension::MaritalStatus, list::<StatusKawin>()),
            Category::Religion => (Dimension::Religion, list::<Agama>()),
            Category::Sex => (Dimension::Sex, list::<Sex>()),
            Category::Relationship => (Dimension::Relationship, list::<Shdk>()),
            Category::Citizenship => (Dimension::Citizenship, list::<Warganegara>()),
            Category::BloodType => (Dimension::BloodType, list::<GolonganDarah>()),
            Category::Disability => (Dimension::Disability, list::<Cacat>()),
            Category::Contraception => (Dimension::Contraception, list::<CaraKb>()),
            Category::BirthCertificate => (
                Dimension::BirthCertificate,
                vec![(1, "ADA".into()), (2, "TIDAK ADA".into())],
            ),
            Category::Insurance => (Dimension::Insurance, list::<Asuransi>()),
            Category::Pregnancy => (Dimension::Pregnancy, list::<Hamil>()),
        })
    }
}

/// Age ranges as OpenSID ships them (inclusive bounds; the last is open).
pub const AGE_RANGES: &[(u16, Option<u16>, &str)] = &[
    (0, Some(1), "DI BAWAH 1 TAHUN"),
    (2, Some(4), "2 S/D 4 TAHUN"),
    (5, Some(9), "5 S/D 9 TAHUN"),
    (10, Some(14), "10 S/D 14 TAHUN"),
    (15, Some(19), "15 S/D 19 TAHUN"),
    (20, Some(24), "20 S/D 24 TAHUN"),
    (25, Some(29), "25 S/D 29 TAHUN"),
    (30, Some(34), "30 S/D 34 TAHUN"),
    (35, Some(39), "35 S/D 39 TAHUN"),
    (40, Some(44), "40 S/D 44 TAHUN"),
    (45, Some(49), "45 S/D 49 TAHUN"),
    (50, Some(54), "50 S/D 54 TAHUN"),
    (55, Some(59), "55 S/D 59 TAHUN"),
    (60, Some(64), "60 S/D 64 TAHUN"),
    (65, Some(69), "65 S/D 69 TAHUN"),
    (70, Some(74), "70 S/D 74 TAHUN"),
    (75, None, "75 TAHUN KE ATAS"),
];

/// Five-year bands of the population pyramid (the last is open).
pub const PYRAMID_BANDS: &[(u16, Option<u16>, &str)] = &[
    (0, Some(4), "0-4"),
    (5, Some(9), "5-9"),
    (10, Some(14), "10-14"),
    (15, Some(19), "15-19"),
    (20, Some(24), "20-24"),
    (25, Some(29), "25-29"),
    (30, Some(34), "30-34"),
    (35, Some(39), "35-39"),
    (40, Some(44), "40-44"),
    (45, Some(49), "45-49"),
    (50, Some(54), "50-54"),
    (55, Some(59), "55-59"),
    (60, Some(64), "60-64"),
    (65, Some(69), "65-69"),
    (70, Some(74), "70-74"),
    (75, None, "75+"),
];

/// Age categories (kategori umur).
pub const AGE_CATEGORIES: &[(u16, Option<u16>, &str)] = &[
    (0, Some(5), "BALITA"),
    (6, Some(17), "ANAK-ANAK"),
    (18, Some(30), "DEWASA"),
    (31, None, "TUA"),
];

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    /// The code (for age tables, the range's position from 1).
    pub code: i64,
    /// The label.
    pub label: String,
    /// Men and women.
    pub tally: Tally,
}

/// One published table: a row per code, then JUMLAH (counted), BELUM
/// MENGISI (no value recorded) and TOTAL (every living resident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatTable {
    /// Which table.
    pub category: Category,
    /// Rows per code, in code order.
    pub rows: Vec<StatRow>,
    /// Residents counted in the rows.
    pub jumlah: Tally,
    /// Living residents with no value recorded.
    pub belum_mengisi: Tally,
    /// Every living resident.
    pub total: Tally,
}

/// Every figure of an area (an RT, RW, dusun, village or regency) on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PopulationStats {
    /// The day ages are computed for.
    pub on: Date,
    /// Living residents.
    pub population: Tally,
    /// Family cards.
    pub families: u64,
    /// Every resident by basic status.
    pub by_status: Vec<StatRow>,
    /// The published tables, in [`Category::ALL`] order.
    pub tables: Vec<StatTable>,
    /// Living residents by five-year age band ([`PYRAMID_BANDS`]), youngest first.
    pub pyramid: Vec<StatRow>,
}

/// Age on `on` of everyone counted in one birth-month or birth-day count,
/// or `None` for a month-level count of `on`'s own month (read by day) and
/// for birth days of other months. **The definition of ages from kept
/// counts**: the store's SQL fold (balai-store `population_counts`) is
/// tested equal to it.
pub fn age_of(dim: Dimension, code: i64, on: Date) -> Option<i64> {
    let on_month = u8::from(on.month());
    match dim {
        Dimension::BirthMonth => {
            let (year, month0) = (code.div_euclid(12), code.rem_euclid(12));
            let month = u8::try_from(month0 + 1).ok()?;
            if month == on_month {
                return None;
            }
            let mut age = i64::from(on.year()) - year;
            if month > on_month {
                age -= 1;
            }
            Some(age)
        }
        Dimension::BirthDay(m) if m == on_month => {
            let (year, day) = (code.div_euclid(100), code.rem_euclid(100));
            let mut age = i64::from(on.year()) - year;
            if day > i64::from(on.day()) {
                age -= 1;
            }
            Some(age)
        }
        _ => None,
    }
}

fn age_table(
    category: Category,
    ranges: &[(u16, Option<u16>, &str)],
    ages: &BTreeMap<i64, Tally>,
    total: Tally,
) -> StatTable {
    finish(category, age_rows(ranges, ages), total)
}

fn age_rows(ranges: &[(u16, Option<u16>, &str)], ages: &BTreeMap<i64, Tally>) -> Vec<StatRow> {
    ranges
        .iter()
        .zip(1..)
        .map(|(&(lo, hi, label), code)| {
            let mut tally = Tally::default();
            for (&age, t) in ages.range(i64::from(lo)..) {
                if hi.is_some_and(|h| age > i64::from(h)) {
                    break;
                }
                tally = tally.plus(*t);
            }
            StatRow {
                code,
                label: label.to_string(),
                tally,
            }
        })
        .collect()
}

fn finish(category: Category, rows: Vec<StatRow>, total: Tally) -> StatTable {
    let jumlah = rows.iter().fold(Tally::default(), |a, r| a.plus(r.tally));
    StatTable {
        category,
        rows,
        jumlah,
        belum_mengisi: total.minus(jumlah),
        total,
    }
}

impl PopulationStats {
    /// Every figure from kept `counts`, ages on `on`. `counts` need hold
    /// birth dates only for `on`'s month ([`Dimension::BirthDay`]): an age
    /// in whole years changes on the birthday, so everyone born in another
    /// month has one age on `on` given their birth month.
    pub fn compute(counts: &Counts, on: Date) -> PopulationStats {
        let mut by_dim: BTreeMap<Dimension, BTreeMap<i64, Tally>> = BTreeMap::new();
        let mut ages: BTreeMap<i64, Tally> = BTreeMap::new();
        let mut families = 0u64;
        for ((dim, code, sex), n) in counts.iter() {
            match dim {
                Dimension::Families => families += u64::try_from(n).unwrap_or(0),
                Dimension::BirthMonth | Dimension::BirthDay(_) => {
                    if let Some(age) = age_of(dim, code, on) {
                        ages.entry(age).or_default().add(sex, n);
                    }
                }
                Dimension::Age => ages.entry(code).or_default().add(sex, n),
                _ => by_dim
                    .entry(dim)
                    .or_default()
                    .entry(code)
                    .or_default()
                    .add(sex, n),
            }
        }
        let of = |dim: Dimension, code: i64| {
            by_dim
                .get(&dim)
                .and_then(|m| m.get(&code))
                .copied()
                .unwrap_or_default()
        };
        let population = of(Dimension::Status, i64::from(StatusDasar::Hidup.code()));
        let by_status = StatusDasar::ALL
            .iter()
            .map(|s| StatRow {
                code: i64::from(s.code()),
                label: s.label().to_string(),
                tally: of(Dimension::Status, i64::from(s.code())),
            })
            .collect();
        let tables = Category::ALL
            .iter()
            .map(|&c| match c.rows() {
                None if c == Category::AgeRange => age_table(c, AGE_RANGES, &ages, population),
                None => age_table(c, AGE_CATEGORIES, &ages, population),
                Some((dim, labels)) => finish(
                    c,
                    labels
                        .into_iter()
                        .map(|(code, label)| StatRow {
                            code,
                            label,
                            tally: of(dim, code),
                        })
                        .collect(),
                    population,
                ),
            })
            .collect();
        PopulationStats {
            on,
            population,
            families,
            by_status,
            tables,
            pyramid: age_rows(PYRAMID_BANDS, &ages),
        }
    }

    /// One table.
    pub fn table(&self, c: Category) -> Option<&StatTable> {
        self.tables.iter().find(|t| t.category == c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::age_on;
    use time::macros::date;

    fn born(counts: &mut Counts, b: Date, sex: i64) {
        counts.add((Dimension::BirthMonth, birth_month_code(b), sex), 1);
        counts.add(
            (
                Dimension::BirthDay(u8::from(b.month())),
                birth_day_code(b),
                sex,
            ),
            1,
        );
        counts.add((Dimension::Status, 1, sex), 1);
    }

    #[test]
    fn ages_from_month_and_day_counts_equal_ages_from_birth_dates() {
        let on = date!(2026 - 06 - 15);
        let births = [
            date!(2026 - 06 - 15),
            date!(2025 - 06 - 16),
            date!(2025 - 06 - 15),
            date!(2024 - 07 - 01),
            date!(2024 - 05 - 31),
            date!(2021 - 06 - 14),
            date!(2020 - 06 - 16),
            date!(1951 - 06 - 15),
            date!(1951 - 06 - 16),
            date!(1950 - 12 - 31),
        ];
        let mut counts = Counts::default();
        let mut expected: BTreeMap<i64, u64> = BTreeMap::new();
        for b in births {
            born(&mut counts, b, 1);
            *expected.entry(i64::from(age_on(b, on))).or_default() += 1;
        }
        let stats = PopulationStats::compute(&counts, on);
        let t = stats.table(Category::AgeRange).unwrap();
        let want = |lo: i64, hi: i64| -> u64 { expected.range(lo..=hi).map(|(_, n)| n).sum() };
        for (row, &(lo, hi, _)) in t.rows.iter().zip(AGE_RANGES) {
            let hi = hi.map_or(i64::MAX, i64::from);
            assert_eq!(row.tally.men, want(i64::from(lo), hi), "{}", row.label);
        }
        assert_eq!(t.jumlah.men, 10);
        assert_eq!(t.belum_mengisi, Tally::default());
        // The pyramid's bands hold everyone, by the same ages.
        let band = |lo: i64, hi: i64| -> u64 { expected.range(lo..=hi).map(|(_, n)| n).sum() };
        for (row, &(lo, hi, _)) in stats.pyramid.iter().zip(PYRAMID_BANDS) {
            let hi = hi.map_or(i64::MAX, i64::from);
            assert_eq!(row.tally.men, band(i64::from(lo), hi), "{}", row.label);
        }
        assert_eq!(stats.pyramid.iter().map(|r| r.tally.men).sum::<u64>(), 10);
    }

    #[test]
    fn counts_cancel_to_empty() {
        let mut c = Counts::default();
        c.add((Dimension::Religion, 1, 1), 3);
        c.add((Dimension::Religion, 1, 1), -3);
        assert!(c.is_empty());
    }
}
