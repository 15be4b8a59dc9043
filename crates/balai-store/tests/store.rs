//! Store behaviour on a fresh database per test, each test run on SQLite
//! and on PostgreSQL (`NAME::sqlite`, `NAME::postgres`): the change log is written in
//! the same transaction as the change, and failed writes leave nothing behind.

use balai_domain::codes::{
    Agama, Asuransi, GolonganDarah, Pekerjaan, PendidikanKk, Peristiwa, Sex, Shdk, StatusDasar,
    StatusKawin, Warganegara,
};
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{
    KodeWilayah, NoKk, PersonName, Resident, ResidentDetails, ResidentNumber, Wilayah,
};
use balai_store::{Population, Store, StoreError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const A: &str = "3310012001";
const B: &str = "3310012002";

fn ctx() -> WriteContext {
    WriteContext::new("operator.test", datetime!(2026-11-22 09:00 UTC))
}

fn kode(s: &str) -> KodeWilayah {
    KodeWilayah::parse(s).unwrap()
}

async fn with_villages(store: Store) -> Store {
    store
        .import_regions(&ctx(), &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    store.create_village(&ctx(), kode(A)).await.unwrap();
    store.create_village(&ctx(), kode(B)).await.unwrap();
    store
}

fn resident(village: &str, n: u128, nik: &str, family: Option<Uuid>) -> Resident {
    Resident {
        id: Uuid::from_u128(n),
        village: kode(village),
        family_id: family,
        number: ResidentNumber::parse(nik).unwrap(),
        name: PersonName::parse("SRI WAHYUNI").unwrap(),
        sex: Sex::Perempuan,
        birth_place: "KLATEN".into(),
        birth_date: date!(1989 - 08 - 17),
        religion: Agama::Islam,
        education: PendidikanKk::SltaSederajat,
        occupation: Pekerjaan::Wiraswasta,
        marital_status: StatusKawin::Kawin,
        relationship: Shdk::KepalaKeluarga,
        citizenship: Warganegara::Wni,
        blood_type: GolonganDarah::TidakTahu,
        disability: None,
        father_nik: None,
        father_name: "SUKIMAN".into(),
        mother_nik: None,
        mother_name: "SUMIYATI".into(),
        status: StatusDasar::Hidup,
        details: ResidentDetails {
            ethnicity: "JAWA".into(),
            insurance: Some(Asuransi::BpjsPenerimaBantuanIuran),
            ..Default::default()
        },
    }
}

balai_store::both_backends! {
    async fn a_change_writes_exactly_one_change_log_entry(store: Store) {
        let store = with_villages(store).await;
        let before = store.change_count().await.unwrap();
        let r = resident(A, 1, "3310015708890003", None);
        store
            .create_resident(&ctx(), &r, Some(StatusDasar::Hidup))
            .await
            .unwrap();
        assert_eq!(store.change_count().await.unwrap(), before + 1);
        let log = store.changes_for(kode(A), r.id).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (
                log[0].action.as_str(),
                log[0].entity.as_str(),
                log[0].actor.as_str()
            ),
            ("create", "resident", "operator.test")
        );
        assert_eq!(log[0].village, Some(kode(A)));
        assert_eq!(log[0].after.as_ref().unwrap()["name"], "SRI WAHYUNI");
        assert_eq!(
            store.resident(kode(A), r.id).await.unwrap(),
            Some(r.clone())
        );

        let mut corrected = r.clone();
        corrected.name = PersonName::parse("SRI WAHYUNINGSIH").unwrap();
        store.update_resident(&ctx(), &corrected).await.unwrap();
        let log = store.changes_for(kode(A), r.id).await.unwrap();
        assert_eq!(log.len(), 2);
        // Another village's operator asking for the same id sees nothing.
        assert!(store.changes_for(kode(B), r.id).await.unwrap().is_empty());
        assert_eq!(log[1].action, "update");
        assert_eq!(log[1].before.as_ref().unwrap()["name"], "SRI WAHYUNI");
        assert_eq!(log[1].after.as_ref().unwrap()["name"], "SRI WAHYUNINGSIH");
    }
}

balai_store::both_backends! {
    async fn a_failed_write_leaves_neither_row_nor_log_entry(store: Store) {
        let store = with_villages(store).await;
        let r = resident(A, 1, "3310015708890003", None);
        store
            .create_resident(&ctx(), &r, Some(StatusDasar::Hidup))
            .await
            .unwrap();
        let changes = store.change_count().await.unwrap();
        // Same NIK in the same village: refused, and the log does not grow.
        let dup = resident(A, 2, "3310015708890003", None);
        let err = store
            .create_resident(&ctx(), &dup, Some(StatusDasar::Hidup))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert!(
            err.to_string().contains("331001**********"),
            "the error must not echo a full NIK: {err}"
        );
        assert_eq!(store.change_count().await.unwrap(), changes);
        assert_eq!(store.resident(kode(A), dup.id).await.unwrap(), None);
        // Updating a resident that is not there changes nothing either.
        let ghost = resident(A, 9, "3310015708890004", None);
        assert!(matches!(
            store.update_resident(&ctx(), &ghost).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(store.change_count().await.unwrap(), changes);
    }
}

balai_store::both_backends! {
    async fn a_population_load_is_all_or_nothing(store: Store) {
        let store = with_villages(store).await;
        let fam = Family {
            id: Uuid::from_u128(100),
            village: kode(A),
            no_kk: NoKk::parse("3310010104120001").unwrap(),
            address: "DUSUN KRAJAN".into(),
            wilayah: Wilayah::parse("KRAJAN", "1", "2").unwrap(),
        };
        let good = [
            resident(A, 1, "3310015708890003", Some(fam.id)),
            resident(A, 2, "3310011203240001", Some(fam.id)),
        ];
        let born = LifeEvent {
            id: Uuid::from_u128(200),
            resident_id: good[1].id,
            kind: Peristiwa::Lahir,
            occurred_on: date!(2024 - 03 - 12),
            particulars: None,
        };
        let changes = store.change_count().await.unwrap();
        // The second resident repeats the first one's NIK: the whole batch must be refused.
        let bad = [
            good[0].clone(),
            resident(A, 3, "3310015708890003", Some(fam.id)),
        ];
        let err = store
            .insert_population(
                &ctx(),
                Population {
                    village: kode(A),
                    families: std::slice::from_ref(&fam),
                    residents: &bad,
                    events: &[],
                    baselines: &[],
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.change_count().await.unwrap(), changes);
        assert_eq!(
            store.village_summaries(Some(kode(A))).await.unwrap()[0].families,
            0
        );

        let counts = store
            .insert_population(
                &ctx(),
                Population {
                    village: kode(A),
                    families: std::slice::from_ref(&fam),
                    residents: &good,
                    events: std::slice::from_ref(&born),
                    baselines: &[(good[1].id, None)],
                },
            )
            .await
            .unwrap();
        // The load is one feed entry per chunk of rows of each table (here
        // one per table); every row it created points at its chunk's entry.
        assert_eq!(
            (
                counts.families,
                counts.residents,
                counts.events,
                counts.changes
            ),
            (1, 2, 1, 3)
        );
        assert_eq!(store.change_count().await.unwrap(), changes + 3);
        for id in [fam.id, good[0].id, born.id] {
            let log = store.changes_for(kode(A), id).await.unwrap();
            assert_eq!(log.len(), 1, "{id}");
            assert_eq!(
                (
                    log[0].entity.as_str(),
                    log[0].action.as_str(),
                    log[0].actor.as_str()
                ),
                ("population", "import", "operator.test")
            );
            assert_eq!(log[0].after.as_ref().unwrap()["load"]["residents"], 2);
        }
        // A later correction adds its own entry with before and after.
        let mut corrected = good[0].clone();
        corrected.occupation = Pekerjaan::Guru;
        store.update_resident(&ctx(), &corrected).await.unwrap();
        let log = store.changes_for(kode(A), good[0].id).await.unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["import", "update"]
        );
        assert_eq!(
            log[1].before.as_ref().unwrap()["occupation"],
            Pekerjaan::Wiraswasta.code()
        );
        assert_eq!(
            store.resident(kode(A), good[0].id).await.unwrap(),
            Some(corrected)
        );
        let summary = &store.village_summaries(Some(kode(A))).await.unwrap()[0];
        assert_eq!((summary.population, summary.families), (2, 1));
        assert_eq!(summary.village.regency_name, "Kabupaten Klaten");

        // Rows of another village are refused before anything is written.
        let other = [resident(B, 5, "3310015708890009", None)];
        let err = store
            .insert_population(
                &ctx(),
                Population {
                    village: kode(A),
                    families: &[],
                    residents: &other,
                    events: &[],
                    baselines: &[],
                },
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("belongs to village"), "{err}");
    }
}

balai_store::both_backends! {
    async fn villages_cannot_read_each_others_residents(store: Store) {
        let store = with_villages(store).await;
        let r = resident(A, 1, "3310015708890003", None);
        store
            .create_resident(&ctx(), &r, Some(StatusDasar::Hidup))
            .await
            .unwrap();
        assert!(store.resident(kode(A), r.id).await.unwrap().is_some());
        assert_eq!(store.resident(kode(B), r.id).await.unwrap(), None);
        assert_eq!(
            store.resident_by_number(kode(B), &r.number).await.unwrap(),
            None
        );
        assert!(
            store
                .resident_by_number(kode(A), &r.number)
                .await
                .unwrap()
                .is_some()
        );
        // The same NIK may exist in two villages' registries (a move not yet closed).
        let twin = resident(B, 2, "3310015708890003", None);
        store
            .create_resident(&ctx(), &twin, Some(StatusDasar::Hidup))
            .await
            .unwrap();
    }
}

balai_store::both_backends! {
    async fn regions_import_is_idempotent_and_villages_need_a_region(store: Store) {
        let set = balai_regions::builtin();
        let first = store.import_regions(&ctx(), &set, "builtin").await.unwrap();
        assert_eq!(first.added, first.total);
        assert_eq!(
            store
                .import_regions(&ctx(), &set, "builtin")
                .await
                .unwrap()
                .added,
            0
        );
        assert_eq!(store.region_counts().await.unwrap(), [3, 5, 88, 1222]);
        assert_eq!(
            store.villages_in_region(kode("3310")).await.unwrap().len(),
            401
        );
        let err = store
            .create_village(&ctx(), kode("1101012001"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not in the region list"), "{err}");
        let err = store
            .create_village(&ctx(), kode("3310"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not a village code"), "{err}");
        store.create_village(&ctx(), kode(A)).await.unwrap();
        assert!(
            store
                .create_village(&ctx(), kode(A))
                .await
                .unwrap_err()
                .to_string()
                .contains("already exists")
        );
    }
}

/// A PostgreSQL connection lost in the middle of a write (here: its backend
/// terminated while the load waits for a lock, its change-log entry and
/// families already written) fails that write, and nothing of it is kept;
/// the store serves the next request on a new connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_lost_mid_write_fails_that_write_and_keeps_nothing() {
    use sqlx::{Connection, Executor};
    let Some((store, url)) = balai_store::testing::fresh_postgres(
        "a_connection_lost_mid_write_fails_that_write_and_keeps_nothing",
    )
    .await
    else {
        return;
    };
    let store = with_villages(store).await;
    let changes = store.change_count().await.unwrap();
    let data = balai_generate::Generator::new(3, balai_generate::DEFAULT_AS_OF, vec![])
        .village(kode(A), 200);

    // Another session holds the resident table: the load writes its log
    // entry and families, then waits on the residents.
    let mut blocker = sqlx::AnyConnection::connect(&url).await.unwrap();
    blocker.execute("BEGIN").await.unwrap();
    blocker
        .execute("LOCK TABLE resident IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let load = tokio::spawn({
        let store = store.clone();
        let data = data.clone();
        async move {
            store
                .insert_population(
                    &ctx(),
                    Population {
                        village: kode(A),
                        families: &data.families,
                        residents: &data.residents,
                        events: &data.events,
                        baselines: &data.baselines,
                    },
                )
                .await
        }
    });
    let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
    let victim = loop {
        let waiting: Option<(i64,)> = sqlx::query_as(
            "SELECT pid::bigint FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        )
        .fetch_optional(&mut admin)
        .await
        .unwrap();
        if let Some((pid,)) = waiting {
            break pid;
        }
        assert!(!load.is_finished(), "the load must wait for the lock");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    let (killed,): (bool,) = sqlx::query_as("SELECT pg_terminate_backend($1::bigint::int)")
        .bind(victim)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(killed);
    let err = load.await.unwrap().unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err}");
    blocker.execute("ROLLBACK").await.unwrap();

    assert_eq!(
        store.change_count().await.unwrap(),
        changes,
        "no log entry kept"
    );
    let summary = &store.village_summaries(Some(kode(A))).await.unwrap()[0];
    assert_eq!(
        (summary.population, summary.families),
        (0, 0),
        "no row kept"
    );
    // And the same load then succeeds on a fresh connection.
    store
        .insert_population(
            &ctx(),
            Population {
                village: kode(A),
                families: &data.families,
                residents: &data.residents,
                events: &data.events,
                baselines: &data.baselines,
            },
        )
        .await
        .unwrap();
}

/// `VillageProfile`'s derived `Debug` printed the village's Ed25519 secret
/// key, so any `{:?}` in a log or panic message leaked it.
#[test]
fn village_profile_debug_printed_the_signing_key_regression() {
    let profile = balai_store::VillageProfile {
        address: "Jl. Raya 1".into(),
        head_name: "SUPARNO".into(),
        head_title: "Kepala Desa".into(),
        head_nip: None,
        logo_svg: None,
        number_format: "{nomor}".into(),
        sequence_scope: "per-jenis".into(),
        paper: "A4".into(),
        signing_key: vec![0xAB; 32],
        public_key: "cHVibGlj".into(),
        allow_download: false,
        template: None,
    };
    let shown = format!("{profile:?} {profile:#?}");
    assert!(shown.contains("<redacted>"));
    for needle in ["171, 171", "0xab", "ABAB", "abab", "[171"] {
        assert!(!shown.contains(needle), "{needle} in {shown}");
    }
    assert!(shown.contains("SUPARNO"), "the rest still shows");
}
