//! Household composition: who lives on one family card, with ages that fit
//! together (mothers 18-45 at each birth, spouses a few years apart, grown
//! children mostly gone). Dates are Julian day numbers until records are built.

use balai_domain::codes::{Sex, Shdk, StatusKawin};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::pick;

/// Largest household the generator makes (the KK form has room for more, villages rarely need it).
pub(crate) const MAX_SIZE: usize = 9;

const DAYS_PER_YEAR: f64 = 365.2425;

/// One person of a planned household.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    /// Sex.
    pub(crate) sex: Sex,
    /// Birth date as a Julian day.
    pub(crate) birth: i32,
    /// Relationship to the head.
    pub(crate) role: Shdk,
    /// Marital status.
    pub(crate) marital: StatusKawin,
    /// Index of the father, when he is in the household.
    pub(crate) father: Option<usize>,
    /// Index of the mother, when she is in the household.
    pub(crate) mother: Option<usize>,
    /// Index of the spouse, when in the household.
    pub(crate) spouse: Option<usize>,
    /// Position among the mother's children (1-based), 0 when unknown.
    pub(crate) birth_order: u8,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Couple,
    WifeHeaded,
    Widowed,
    Divorced,
    AloneOld,
    AloneYoung,
    ThreeGenerations,
    Grandchildren,
    WithParent,
}

// Shares (per 1,000 households) shaped on rural Java: nuclear families
// dominate, one in ten is three-generational, one in eight a single person.
const KINDS: &[(Kind, u32)] = &[
    (Kind::Couple, 550),
    (Kind::WifeHeaded, 10),
    (Kind::Widowed, 90),
    (Kind::Divorced, 25),
    (Kind::AloneOld, 55),
    (Kind::AloneYoung, 40),
    (Kind::ThreeGenerations, 95),
    (Kind::Grandchildren, 20),
    (Kind::WithParent, 100),
];

/// Age bands (years) of the husband in a nuclear family.
const COUPLE_AGES: &[((u32, u32), u32)] = &[
    ((22, 30), 14),
    ((30, 40), 26),
    ((40, 50), 26),
    ((50, 60), 19),
    ((60, 70), 10),
    ((70, 82), 5),
];

/// Plans households relative to `as_of` (a Julian day).
pub(crate) struct Planner<'r> {
    rng: &'r mut ChaCha8Rng,
    as_of: i32,
    as_of_year: i32,
    members: Vec<Member>,
}

impl<'r> Planner<'r> {
    /// A planner drawing from `rng`.
    pub(crate) fn new(rng: &'r mut ChaCha8Rng, as_of: i32, as_of_year: i32) -> Self {
        Self {
            rng,
            as_of,
            as_of_year,
            members: Vec::with_capacity(MAX_SIZE + 4),
        }
    }

    /// One household of at most `cap` members (the head first).
    pub(crate) fn household(&mut self, cap: usize) -> Vec<Member> {
        self.members.clear();
        match pick(self.rng, KINDS) {
            Kind::Couple => {
                self.couple(COUPLE_AGES, false);
            }
            Kind::WifeHeaded => {
                self.couple(COUPLE_AGES, true);
            }
            Kind::Widowed => self.single_parent(StatusKawin::CeraiMati),
            Kind::Divorced => self.single_parent(StatusKawin::CeraiHidup),
            Kind::AloneOld => self.alone_old(),
            Kind::AloneYoung => self.alone_young(),
            Kind::ThreeGenerations => self.three_generations(),
            Kind::Grandchildren => self.grandchildren(),
            Kind::WithParent => self.with_parent(),
        }
        if self.members.len() < MAX_SIZE && self.rng.random_bool(0.04) {
            self.relative();
        }
        let keep = cap.min(MAX_SIZE).min(self.members.len());
        self.members.truncate(keep);
        for m in &mut self.members {
            for link in [&mut m.father, &mut m.mother, &mut m.spouse] {
                if link.is_some_and(|i| i >= keep) {
                    *link = None;
                }
            }
        }
        std::mem::take(&mut self.members)
    }

    fn years(&mut self, bands: &[((u32, u32), u32)]) -> f64 {
        let (lo, hi) = pick(self.rng, bands);
        f64::from(lo) + self.rng.random::<f64>() * f64::from(hi - lo)
    }

    fn born_aged(&self, years: f64) -> i32 {
        self.as_of - (years * DAYS_PER_YEAR) as i32
    }

    fn age(&self, birth: i32) -> f64 {
        f64::from(self.as_of - birth) / DAYS_PER_YEAR
    }

    fn push(&mut self, sex: Sex, birth: i32, role: Shdk, marital: StatusKawin) -> usize {
        self.members.push(Member {
            sex,
            birth,
            role,
            marital,
            father: None,
            mother: None,
            spouse: None,
            birth_order: 0,
        });
        self.members.len() - 1
    }

    fn marry(&mut self, a: usize, b: usize) {
        self.members[a].spouse = Some(b);
        self.members[b].spouse = Some(a);
    }

    fn sex(&mut self, female_share: f64) -> Sex {
        if self.rng.random_bool(female_share) {
            Sex::Perempuan
        } else {
            Sex::LakiLaki
        }
    }

    /// Years by which a husband is older than his wife.
    fn spouse_gap(&mut self) -> f64 {
        let whole: i32 = pick(
            self.rng,
            &[
                (-2, 3),
                (-1, 4),
                (0, 8),
                (1, 10),
                (2, 14),
                (3, 14),
                (4, 12),
                (5, 10),
                (6, 8),
                (7, 6),
                (8, 4),
                (10, 4),
                (13, 3),
            ],
        );
        f64::from(whole) + self.rng.random::<f64>()
    }

    /// Birth dates of every child a woman born on `mother_birth` has had by `as_of`.
    fn births(&mut self, mother_birth: i32) -> Vec<i32> {
        let cohort = self.as_of_year - self.age(mother_birth) as i32;
        // Completed fertility fell from about five children to about two within two generations.
        let planned: u32 = match cohort {
            ..1955 => pick(
                self.rng,
                &[(2, 10), (3, 20), (4, 25), (5, 20), (6, 15), (7, 10)],
            ),
            1955..1970 => pick(
                self.rng,
                &[(1, 8), (2, 25), (3, 30), (4, 22), (5, 10), (6, 5)],
            ),
            1970..1985 => pick(
                self.rng,
                &[(0, 5), (1, 15), (2, 40), (3, 28), (4, 9), (5, 3)],
            ),
            _ => pick(
                self.rng,
                &[(0, 6), (1, 18), (2, 42), (3, 25), (4, 7), (5, 2)],
            ),
        };
        let mut out = Vec::with_capacity(planned as usize);
        let mut mother_age = 18.5 + self.rng.random::<f64>() * 8.0;
        for _ in 0..planned {
            let birth = mother_birth + (mother_age * DAYS_PER_YEAR) as i32;
            if mother_age > 44.5 || birth > self.as_of {
                break;
            }
            out.push(birth);
            mother_age += 1.4 + 8.0 * self.rng.random::<f64>() * self.rng.random::<f64>();
        }
        out
    }

    /// Whether a child of this age still lives with the parents.
    fn stays_home(&mut self, age: f64) -> bool {
        let p = match age {
            a if a < 18.0 => 0.98,
            a if a < 25.0 => 0.8,
            a if a < 35.0 => 0.3,
            _ => 0.06,
        };
        self.rng.random_bool(p)
    }

    /// Adds the children still at home; `skip` is a child placed elsewhere by the caller.
    fn children(
        &mut self,
        births: &[i32],
        father: Option<usize>,
        mother: Option<usize>,
        role: Shdk,
        skip: Option<usize>,
    ) {
        for (k, &birth) in births.iter().enumerate() {
            if Some(k) == skip || !self.stays_home(self.age(birth)) {
                continue;
            }
            self.child(birth, k, father, mother, role);
        }
    }

    fn child(
        &mut self,
        birth: i32,
        k: usize,
        father: Option<usize>,
        mother: Option<usize>,
        role: Shdk,
    ) -> usize {
        // About 105 boys are born per 100 girls.
        let sex = self.sex(0.488);
        let marital = if self.age(birth) >= 25.0 && self.rng.random_bool(0.12) {
            StatusKawin::CeraiHidup
        } else {
            StatusKawin::BelumKawin
        };
        let i = self.push(sex, birth, role, marital);
        let m = &mut self.members[i];
        m.father = father;
        m.mother = mother;
        m.birth_order = (k + 1).min(255) as u8;
        i
    }

    /// A married couple and their children; `wife_heads` makes the wife the head (SUAMI).
    /// Returns (husband, wife, births).
    fn couple(&mut self, ages: &[((u32, u32), u32)], wife_heads: bool) -> (usize, usize, Vec<i32>) {
        let husband_age = self.years(ages);
        let gap = self.spouse_gap();
        let wife_age = (husband_age - gap).max(18.0);
        let (hb, wb) = (self.born_aged(husband_age), self.born_aged(wife_age));
        let (h, w) = if wife_heads {
            let w = self.push(Sex::Perempuan, wb, Shdk::KepalaKeluarga, StatusKawin::Kawin);
            (
                self.push(Sex::LakiLaki, hb, Shdk::Suami, StatusKawin::Kawin),
                w,
            )
        } else {
            let h = self.push(Sex::LakiLaki, hb, Shdk::KepalaKeluarga, StatusKawin::Kawin);
            (
                h,
                self.push(Sex::Perempuan, wb, Shdk::Istri, StatusKawin::Kawin),
            )
        };
        self.marry(h, w);
        let births = self.births(wb);
        self.children(&births, Some(h), Some(w), Shdk::Anak, None);
        (h, w, births)
    }

    fn single_parent(&mut self, marital: StatusKawin) {
        let female = self.rng.random_bool(0.65);
        let age = if marital == StatusKawin::CeraiMati {
            self.years(&[
                ((30, 45), 15),
                ((45, 60), 30),
                ((60, 75), 35),
                ((75, 90), 20),
            ])
        } else {
            self.years(&[((24, 35), 40), ((35, 50), 45), ((50, 65), 15)])
        };
        let birth = self.born_aged(age);
        let sex = if female {
            Sex::Perempuan
        } else {
            Sex::LakiLaki
        };
        let head = self.push(sex, birth, Shdk::KepalaKeluarga, marital);
        // A widower's children were borne by a wife who is no longer on the card.
        let mother_birth = if female {
            birth
        } else {
            let wife_age = (age - self.spouse_gap()).max(18.0);
            self.born_aged(wife_age)
        };
        let births = self.births(mother_birth);
        let (father, mother) = if female {
            (None, Some(head))
        } else {
            (Some(head), None)
        };
        self.children(&births, father, mother, Shdk::Anak, None);
    }

    fn alone_old(&mut self) {
        let age = self.years(&[((60, 70), 30), ((70, 80), 40), ((80, 96), 30)]);
        let birth = self.born_aged(age);
        let sex = self.sex(0.58);
        let marital = pick(
            self.rng,
            &[
                (StatusKawin::CeraiMati, 85),
                (StatusKawin::CeraiHidup, 10),
                (StatusKawin::BelumKawin, 5),
            ],
        );
        self.push(sex, birth, Shdk::KepalaKeluarga, marital);
    }

    fn alone_young(&mut self) {
        let age = self.years(&[((19, 30), 60), ((30, 41), 40)]);
        let birth = self.born_aged(age);
        let sex = self.sex(0.4);
        let marital = pick(
            self.rng,
            &[(StatusKawin::BelumKawin, 90), (StatusKawin::CeraiHidup, 10)],
        );
        self.push(sex, birth, Shdk::KepalaKeluarga, marital);
    }

    /// Older parents (or a widow), a married child with their spouse (MENANTU)
    /// and grandchildren (CUCU), plus unmarried children still at home.
    fn three_generations(&mut self) {
        let ages = &[((48, 60), 35), ((60, 70), 40), ((70, 82), 25)];
        let (father, mother, births) = if self.rng.random_bool(0.3) {
            let age = self.years(ages);
            let w = self.push(
                Sex::Perempuan,
                self.born_aged(age),
                Shdk::KepalaKeluarga,
                StatusKawin::CeraiMati,
            );
            let births = self.births(self.members[w].birth);
            (None, w, births)
        } else {
            let husband_age = self.years(ages);
            let wife_age = (husband_age - self.spouse_gap()).max(18.0);
            let h = self.push(
                Sex::LakiLaki,
                self.born_aged(husband_age),
                Shdk::KepalaKeluarga,
                StatusKawin::Kawin,
            );
            let w = self.push(
                Sex::Perempuan,
                self.born_aged(wife_age),
                Shdk::Istri,
                StatusKawin::Kawin,
            );
            self.marry(h, w);
            let births = self.births(self.members[w].birth);
            (Some(h), w, births)
        };
        let candidates: Vec<usize> = (0..births.len())
            .filter(|&k| (21.0..41.0).contains(&self.age(births[k])))
            .collect();
        if candidates.is_empty() {
            self.children(&births, father, Some(mother), Shdk::Anak, None);
            return;
        }
        let married = candidates[self.rng.random_range(0..candidates.len() as u32) as usize];
        self.children(&births, father, Some(mother), Shdk::Anak, Some(married));
        let child = self.child(births[married], married, father, Some(mother), Shdk::Anak);
        self.members[child].marital = StatusKawin::Kawin;
        // Javanese couples more often live with the wife's parents.
        let daughter = self.rng.random_bool(0.55);
        self.members[child].sex = if daughter {
            Sex::Perempuan
        } else {
            Sex::LakiLaki
        };
        let child_age = self.age(births[married]);
        let gap = self.spouse_gap();
        let (sex, spouse_age) = if daughter {
            (Sex::LakiLaki, child_age + gap)
        } else {
            (Sex::Perempuan, (child_age - gap).max(18.0))
        };
        let spouse = self.push(
            sex,
            self.born_aged(spouse_age),
            Shdk::Menantu,
            StatusKawin::Kawin,
        );
        self.marry(child, spouse);
        let (young_father, young_mother) = if daughter {
            (spouse, child)
        } else {
            (child, spouse)
        };
        let grandchildren = self.births(self.members[young_mother].birth);
        self.children(
            &grandchildren,
            Some(young_father),
            Some(young_mother),
            Shdk::Cucu,
            None,
        );
    }

    /// Grandparents raising grandchildren whose parents work away.
    fn grandchildren(&mut self) {
        let (_, _, births) = self.couple(&[((48, 60), 45), ((60, 75), 55)], false);
        let Some(&parent_birth) = births
            .iter()
            .find(|&&b| (21.0..41.0).contains(&self.age(b)))
        else {
            return;
        };
        // The absent parent is a daughter, or a son whose wife is a few years younger.
        let mother_birth = if self.rng.random_bool(0.5) {
            parent_birth
        } else {
            parent_birth + (self.spouse_gap().max(0.0) * DAYS_PER_YEAR) as i32
        };
        let grandchildren = self.births(mother_birth);
        for (k, &birth) in grandchildren.iter().enumerate() {
            if self.age(birth) < 16.0 {
                self.child(birth, k, None, None, Shdk::Cucu);
            }
        }
    }

    /// A couple with children and an elderly parent of the head (ORANGTUA) or of the wife (MERTUA).
    fn with_parent(&mut self) {
        let (h, w, _) = self.couple(&[((25, 35), 30), ((35, 45), 40), ((45, 58), 30)], false);
        let (child, role) = if self.rng.random_bool(0.55) {
            (h, Shdk::Orangtua)
        } else {
            (w, Shdk::Mertua)
        };
        let child_age = self.age(self.members[child].birth);
        let mother_age = (child_age + 20.0 + self.rng.random::<f64>() * 18.0).min(97.0);
        if self.rng.random_bool(0.85) {
            let sex = self.sex(0.6);
            let age = if sex == Sex::Perempuan {
                mother_age
            } else {
                (mother_age + self.spouse_gap()).min(98.0)
            };
            let p = self.push(sex, self.born_aged(age), role, StatusKawin::CeraiMati);
            if sex == Sex::Perempuan {
                self.members[child].mother = Some(p);
            } else {
                self.members[child].father = Some(p);
            }
        } else {
            let father_age = (mother_age + self.spouse_gap()).min(98.0);
            let f = self.push(
                Sex::LakiLaki,
                self.born_aged(father_age),
                role,
                StatusKawin::Kawin,
            );
            let m = self.push(
                Sex::Perempuan,
                self.born_aged(mother_age),
                role,
                StatusKawin::Kawin,
            );
            self.marry(f, m);
            self.members[child].father = Some(f);
            self.members[child].mother = Some(m);
        }
    }

    /// A nephew, niece or elderly relative living with the family (FAMILI LAIN).
    fn relative(&mut self) {
        let age = self.years(&[((5, 18), 40), ((18, 30), 45), ((60, 86), 15)]);
        let sex = self.sex(0.5);
        let marital = if age < 25.0 {
            StatusKawin::BelumKawin
        } else if age >= 60.0 {
            StatusKawin::CeraiMati
        } else {
            pick(
                self.rng,
                &[
                    (StatusKawin::BelumKawin, 80),
                    (StatusKawin::Kawin, 10),
                    (StatusKawin::CeraiHidup, 10),
                ],
            )
        };
        self.push(sex, self.born_aged(age), Shdk::FamiliLain, marital);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    const AS_OF: i32 = 2_461_346; // 2026-11-01

    #[test]
    fn households_hang_together() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut planner = Planner::new(&mut rng, AS_OF, 2026);
        let mut sizes = 0usize;
        for _ in 0..3000 {
            let h = planner.household(usize::MAX);
            sizes += h.len();
            assert!((1..=MAX_SIZE).contains(&h.len()));
            assert_eq!(h[0].role, Shdk::KepalaKeluarga);
            assert_eq!(
                h.iter().filter(|m| m.role == Shdk::KepalaKeluarga).count(),
                1
            );
            for m in &h {
                assert!(m.birth <= AS_OF);
                if let Some(mo) = m.mother {
                    let age = f64::from(m.birth - h[mo].birth) / DAYS_PER_YEAR;
                    assert!(
                        (17.0..=46.0).contains(&age),
                        "mother aged {age} at birth: {h:?}"
                    );
                }
                if let Some(f) = m.father {
                    assert!(
                        m.birth - h[f].birth > (15.0 * DAYS_PER_YEAR) as i32,
                        "{h:?}"
                    );
                }
                if let Some(s) = m.spouse {
                    assert_eq!(h[s].spouse.map(|x| &h[x]), Some(m));
                    assert_ne!(h[s].sex, m.sex);
                }
            }
        }
        let mean = sizes as f64 / 3000.0;
        assert!((3.0..4.0).contains(&mean), "{mean}");
    }

    #[test]
    fn a_cap_truncates_and_unlinks() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let mut planner = Planner::new(&mut rng, AS_OF, 2026);
        for _ in 0..500 {
            let h = planner.household(2);
            assert!(h.len() <= 2);
            assert!(h.iter().all(|m| {
                [m.father, m.mother, m.spouse]
                    .iter()
                    .flatten()
                    .all(|&i| i < h.len())
            }));
        }
    }
}
