//! The demo regency: a few Klaten villages with generated residents and one
//! account per role, so a newcomer can try every screen.

use crate::db::Db;
use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_generate::DEFAULT_AS_OF;
use balai_store::{NewAccount, VillageSummary, WriteContext};

use crate::error::ServiceError;
use crate::generate::{GenerateOptions, generate};
use crate::passwords;

/// The password of every demo account. Demo data only: never use it elsewhere.
pub const DEMO_PASSWORD: &str = "demo-balai";

/// The self-service PIN of the demo resident. Demo data only.
pub const DEMO_PIN: &str = "135790";

/// How big a demo to make.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// Generator seed.
    pub seed: u64,
    /// Villages of Klaten to fill.
    pub villages: u32,
    /// Residents per village.
    pub residents_per_village: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            villages: 4,
            residents_per_village: 2_500,
        }
    }
}

/// A demo login.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login name.
    pub username: String,
    /// Its role.
    pub role: Role,
    /// The village or regency it is scoped to, by name.
    pub scope_name: String,
}

/// What the demo holds.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The villages and their numbers.
    pub villages: Vec<VillageSummary>,
    /// The accounts (all with [`DEMO_PASSWORD`]).
    pub accounts: Vec<DemoAccount>,
    /// False when an existing demo database was reused as it was.
    pub seeded_now: bool,
    /// A resident of the first village who can log in to the self-service
    /// site and the kiosk with [`DEMO_PIN`]: their village and NIK.
    pub resident: Option<(KodeWilayah, String)>,
}

const KLATEN: &str = "33.10";

/// Seeds the demo into an empty database, or describes the demo already there.
pub async fn seed(db: &Db, ctx: &WriteContext, opts: DemoOptions) -> Result<Demo, ServiceError> {
    let store = db.store();
    let klaten = KodeWilayah::parse(KLATEN).expect("valid code");
    let mut seeded_now = false;
    if store.village_summaries(None).await?.is_empty() {
        generate(
            db,
            ctx,
            GenerateOptions {
                within: klaten,
                villages: opts.villages,
                residents_per_village: opts.residents_per_village,
                seed: opts.seed,
                as_of: DEFAULT_AS_OF,
            },
            |_, _, _| {},
        )
        .await?;
        seeded_now = true;
    }
    let villages = store.village_summaries(None).await?;
    // Every village gets its letter settings and signing keys, with a head to sign.
    const HEADS: [&str; 6] = [
        "SUPARNO",
        "SRI WAHYUNI",
        "BAMBANG SUTRISNO",
        "ENDANG LESTARI",
        "JOKO PRIHATIN",
        "SITI MARYAM",
    ];
    for (i, s) in villages.iter().enumerate() {
        let mut profile = crate::letters::ensure_profile(db, ctx, s.village.kode).await?;
        if profile.head_name.is_empty() {
            profile.head_name = HEADS[i % HEADS.len()].into();
            store
                .save_village_profile(ctx, s.village.kode, &profile)
                .await?;
        }
    }
    // A published budget (APBDes) for this year and the last, so the
    // villages' budget pages have something to show.
    if let Some(year) = balai_domain::budget::FiscalYear::new(i64::from(ctx.at.year())) {
        for (i, s) in villages.iter().enumerate() {
            crate::budget::seed_demo(db, ctx, s.village.kode, year, opts.seed + i as u64).await?;
        }
    }
    let mut wanted: Vec<(String, String, Role, KodeWilayah, String)> = Vec::new();
    for s in &villages {
        let slug: String = s
            .village
            .name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let v = &s.village;
        wanted.push((
            format!("operator.{slug}"),
            format!("Operator Desa {}", v.name),
            Role::VillageOperator,
            v.kode,
            format!("Desa {}", v.name),
        ));
        wanted.push((
            format!("kades.{slug}"),
            format!("Kepala Desa {}", v.name),
            Role::VillageHead,
            v.kode,
            format!("Desa {}", v.name),
        ));
    }
    let regency_name = store
        .region_name(klaten)
        .await?
        .unwrap_or_else(|| KLATEN.into());
    wanted.push((
        "pendamping.klaten".into(),
        "Pendamping Desa Klaten".into(),
        Role::Facilitator,
        klaten,
        regency_name.clone(),
    ));
    wanted.push((
        "admin.klaten".into(),
        "Admin Kabupaten Klaten".into(),
        Role::RegencyAdmin,
        klaten,
        regency_name,
    ));
    let mut accounts = Vec::new();
    for (username, display_name, role, scope, scope_name) in wanted {
        if store.account_by_username(&username).await?.is_none() {
            let account = NewAccount {
                id: uuid::Uuid::now_v7(),
                username: username.clone(),
                display_name,
                password_hash: passwords::hash(DEMO_PASSWORD)?,
                role,
                scope,
                // The demo facilitator oversees every demo village.
                facilitated: if role == Role::Facilitator {
                    villages.iter().map(|v| v.village.kode).collect()
                } else {
                    Vec::new()
                },
                reset: None,
            };
            store.create_account(ctx, &account).await?;
        }
        accounts.push(DemoAccount {
            username,
            role,
            scope_name,
        });
    }
    let resident = match villages.first() {
        Some(first) => demo_resident(db, ctx, first.village.kode, klaten).await?,
        None => None,
    };
    Ok(Demo {
        villages,
        accounts,
        seeded_now,
        resident,
    })
}

/// Gives the first adult head of family of `village` the demo PIN (once),
/// and writes the kiosk's first information pages, so the residents' side
/// can be tried at once.
async fn demo_resident(
    db: &Db,
    ctx: &WriteContext,
    village: KodeWilayah,
    regency: KodeWilayah,
) -> Result<Option<(KodeWilayah, String)>, ServiceError> {
    let store = db.store();
    use balai_domain::codes::{Shdk, StatusDasar};
    let (_, residents) = store.village_population(village).await?;
    let Some(r) = residents.iter().find(|r| {
        r.status == StatusDasar::Hidup
            && r.relationship == Shdk::KepalaKeluarga
            && !r.number.is_temporary()
    }) else {
        return Ok(None);
    };
    if store.resident_pin(r.id).await?.is_none() {
        // Set as if already changed: the demo resident logs straight in.
        store
            .change_resident_pin(ctx, village, r.id, &passwords::hash(DEMO_PIN)?)
            .await?;
    }
    if store.info_pages_for_village(village).await?.is_empty() {
        let pages = [
            (
                village,
                balai_domain::info_topic::InfoTopic::Kesehatan,
                "Jadwal Posyandu",
                "Posyandu balita dan lansia diadakan setiap tanggal 5 di balai dusun masing-masing, pukul 08.00–11.00.\n\nBawa buku KIA untuk balita. Pemeriksaan tekanan darah lansia gratis.",
            ),
            (
                village,
                balai_domain::info_topic::InfoTopic::Kependudukan,
                "Syarat surat pengantar KTP",
                "Bawa Kartu Keluarga asli dan fotokopinya.\n\nUntuk penggantian KTP rusak, bawa KTP lama. Untuk KTP hilang, minta dulu surat keterangan kehilangan.",
            ),
            (
                regency,
                balai_domain::info_topic::InfoTopic::Pendidikan,
                "Pendaftaran sekolah (SPMB) kabupaten",
                "Pendaftaran murid baru SD dan SMP negeri dibuka secara daring. Siapkan Kartu Keluarga dan akta kelahiran.\n\nOperator desa dapat membantu pendaftaran di balai desa.",
            ),
        ];
        for (scope, topic, title, body) in pages {
            store
                .save_info_page(
                    ctx,
                    &balai_store::InfoPage {
                        id: uuid::Uuid::now_v7(),
                        scope,
                        topic,
                        title: title.into(),
                        body: body.into(),
                        updated_at: ctx.at,
                        updated_by: ctx.actor.clone(),
                    },
                )
                .await?;
        }
    }
    Ok(Some((village, r.number.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[tokio::test]
    async fn seeds_once_and_reuses() {
        let db = Db::open_in_memory().await.unwrap();
        let store = db.store();
        let ctx = WriteContext::new("system:demo", datetime!(2026-11-22 09:00 UTC));
        let demo = seed(
            &db,
            &ctx,
            DemoOptions {
                seed: 7,
                villages: 2,
                residents_per_village: 300,
            },
        )
        .await
        .unwrap();
        assert!(demo.seeded_now);
        assert_eq!(demo.villages.len(), 2);
        // 300 registered per village; five years of deaths and moves leave roughly 80-90% living there.
        assert!(
            demo.villages
                .iter()
                .all(|v| v.population > 220 && v.population < 300),
            "{:?}",
            demo.villages
        );
        assert_eq!(demo.accounts.len(), 2 * 2 + 2);
        let op = store
            .account_by_username(&demo.accounts[0].username)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(op.role, Role::VillageOperator);
        assert!(passwords::verify(DEMO_PASSWORD, &op.password_hash));
        let again = seed(&db, &ctx, DemoOptions::default()).await.unwrap();
        assert!(!again.seeded_now);
        assert_eq!(again.villages, demo.villages);
    }
}
