//! The change feed, on both backends (`NAME::sqlite`, `NAME::postgres`):
//! after a long seeded sequence of registry changes, imports, generated
//! loads, letters and requests, replaying a village's feed into an empty
//! database rebuilds its data exactly (same content hash, on the same
//! backend and on SQLite); each village's sequence is its own, strictly
//! increasing and without gaps; "after N" returns exactly the later
//! entries; and a write that fails leaves no row, no entry and no sequence
//! number behind.

use balai_domain::codes::{PenerangKematian, Peristiwa, SebabKematian, StatusDasar};
use balai_domain::letter_request::{RequestChannel, RequestStatus};
use balai_domain::life_event::LifeEvent;
use balai_domain::particulars::{DeathParticulars, EventTime, Particulars, PlaceText};
use balai_domain::{KodeWilayah, Resident, Wilayah};
use balai_generate::Generator;
use balai_store::{
    Backend, FEED_VERSION, FeedEntry, NewLetter, NewLetterRequest, Population, RegistryChange,
    RequestTransition, Sealed, Store, Table, WriteContext,
};
use time::macros::{date, datetime};
use uuid::Uuid;

const A: &str = "3310012001";
const B: &str = "3310012002";

/// A row id as an image carries it (lowercase hex of its 16 bytes).
fn hex(id: u128) -> String {
    Uuid::from_u128(id)
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn kode(s: &str) -> KodeWilayah {
    KodeWilayah::parse(s).unwrap()
}

fn ctx(step: u32) -> WriteContext {
    WriteContext::new(
        format!("operator.{}", step % 3),
        datetime!(2026-11-22 09:00 UTC) + time::Duration::seconds(i64::from(step)),
    )
}

/// A seeded generator (splitmix64): the sequence depends on the seed only.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn uuid(&mut self) -> Uuid {
        Uuid::from_u64_pair(self.next(), self.next())
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

async fn with_villages(store: Store) -> Store {
    store
        .import_regions(&ctx(0), &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    store.create_village(&ctx(0), kode(A)).await.unwrap();
    store.create_village(&ctx(0), kode(B)).await.unwrap();
    store
}

/// An empty database with the region list (reference data, not in any
/// village's feed), on `backend`.
async fn empty_target(backend: Backend, test: &str) -> Option<Store> {
    let store = balai_store::testing::fresh_store(backend, test).await?;
    store
        .import_regions(&ctx(0), &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    Some(store)
}

async fn whole_feed(store: &Store, village: KodeWilayah) -> Vec<FeedEntry> {
    // Read in pages, as a sync would.
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |e: &FeedEntry| e.village_seq);
        let page = store.feed_after(village, after, 17).await.unwrap();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// A generated village population, minus what the village already holds.
async fn fresh_load(
    store: &Store,
    generator: &mut Generator,
    v: KodeWilayah,
    n: u32,
) -> balai_generate::VillageData {
    let mut data = generator.village(v, n);
    let (families, residents) = store.village_population(v).await.unwrap();
    let taken: std::collections::HashSet<_> = residents.iter().map(|r| r.number).collect();
    let cards: std::collections::HashSet<_> = families.iter().map(|f| f.no_kk).collect();
    data.families.retain(|f| !cards.contains(&f.no_kk));
    data.residents.retain(|r| !taken.contains(&r.number));
    let loaded: std::collections::HashSet<Uuid> = data.families.iter().map(|f| f.id).collect();
    let existing: Vec<Uuid> = families.iter().map(|f| f.id).collect();
    for (i, r) in data.residents.iter_mut().enumerate() {
        if r.family_id.is_some_and(|id| !loaded.contains(&id)) {
            r.family_id = existing.get(i % existing.len().max(1)).copied();
        }
    }
    let kept: std::collections::HashSet<Uuid> = data.residents.iter().map(|r| r.id).collect();
    data.events.retain(|e| kept.contains(&e.resident_id));
    data.baselines.retain(|(id, _)| kept.contains(id));
    data
}

async fn load(store: &Store, step: u32, data: &balai_generate::VillageData) {
    store
        .insert_population(
            &ctx(step),
            Population {
                village: data.village,
                families: &data.families,
                residents: &data.residents,
                events: &data.events,
                baselines: &data.baselines,
            },
        )
        .await
        .unwrap();
}

fn living(residents: &[Resident]) -> Vec<&Resident> {
    residents
        .iter()
        .filter(|r| r.status == StatusDasar::Hidup)
        .collect()
}

/// One random write to `v`; refusals by the store's rules are fine (they
/// must write nothing, which the hashes check too).
async fn random_write(
    store: &Store,
    rng: &mut Rng,
    generator: &mut Generator,
    v: KodeWilayah,
    step: u32,
) {
    let ctx = ctx(step);
    let (families, residents) = store.village_population(v).await.unwrap();
    let alive = living(&residents);
    let r = (*rng.pick(&alive)).clone();
    match rng.below(10) {
        0 => {
            let mut after = r.clone();
            after.birth_place = format!("KOTA {step}");
            store.update_resident(&ctx, &after).await.unwrap();
        }
        1 => {
            // A death: the status changes and the event is recorded.
            let mut after = r.clone();
            after.status = StatusDasar::Mati;
            let change = RegistryChange {
                reason: "kematian".into(),
                changed_residents: vec![(r.clone(), after)],
                events: vec![LifeEvent {
                    id: rng.uuid(),
                    resident_id: r.id,
                    kind: Peristiwa::Mati,
                    occurred_on: date!(2026 - 11 - 20),
                    // The particulars travel in the event's image.
                    particulars: Some(Particulars::Death(DeathParticulars {
                        time: Some(EventTime::parse("04:30").unwrap()),
                        place: PlaceText::parse("rumah duka").unwrap(),
                        cause: Some(SebabKematian::SakitBiasaTua),
                        determined_by: Some(PenerangKematian::Dokter),
                        reporter: None,
                        witnesses: vec![],
                    })),
                }],
                ..Default::default()
            };
            store.apply_registry_change(&ctx, v, &change).await.unwrap();
        }
        2 => {
            // A family card moves to another RT, its members with it.
            let f = rng.pick(&families).clone();
            let mut after = f.clone();
            let dusun = *rng.pick::<&str>(&["KRAJAN", "NGASEM"]);
            after.wilayah = Wilayah::parse(
                dusun,
                &(1 + rng.below(3)).to_string(),
                &(1 + rng.below(5)).to_string(),
            )
            .unwrap();
            let change = RegistryChange {
                reason: "pindah rt".into(),
                changed_families: vec![(f, after)],
                ..Default::default()
            };
            store.apply_registry_change(&ctx, v, &change).await.unwrap();
        }
        3 => {
            // A new family with its first member.
            let data = generator.village(v, 3);
            let (Some(f), Some(head)) = (data.families.first(), data.residents.first()) else {
                return;
            };
            let mut f = f.clone();
            f.id = rng.uuid();
            let mut head = head.clone();
            head.id = rng.uuid();
            head.family_id = Some(f.id);
            let change = RegistryChange {
                reason: "keluarga baru".into(),
                new_families: vec![f],
                new_residents: vec![(head, Some(StatusDasar::Hidup))],
                ..Default::default()
            };
            let _ = store.apply_registry_change(&ctx, v, &change).await;
        }
        4 => {
            // An import into the village.
            let data = fresh_load(store, generator, v, 20).await;
            load(store, step, &data).await;
        }
        5 | 6 => {
            // A letter: number reserved, then stored (sometimes answering a
            // request), voided, or stored and revoked.
            let request = if rng.below(2) == 0 {
                let id = rng.uuid();
                store
                    .create_letter_request(
                        &ctx,
                        v,
                        &NewLetterRequest {
                            id,
                            resident_id: r.id,
                            kind: "domisili".into(),
                            form: format!("{{\"keperluan\":\"langkah {step}\"}}"),
                            channel: RequestChannel::Kiosk,
                            queue_day: Some(date!(2026 - 11 - 22)),
                            status: RequestStatus::MenungguTtd,
                            signer: Some("kepala".into()),
                        },
                    )
                    .await
                    .unwrap();
                Some(id)
            } else {
                None
            };
            let letter = NewLetter {
                id: rng.uuid(),
                kind: "domisili".into(),
                counter: "domisili/2026".into(),
                resident_id: r.id,
                issued_on: date!(2026 - 11 - 22),
                valid_until: (rng.below(2) == 0).then_some(date!(2027 - 05 - 22)),
                token: format!("tok{}", rng.next()),
                signer: "SUKIRNO".into(),
                request_id: request,
            };
            let reserved = store
                .reserve_letter_number(&ctx, v, &letter, |n| format!("470/{n:03}/2026"))
                .await
                .unwrap();
            match rng.below(3) {
                0 => store
                    .void_letter_number(&ctx, v, &reserved, "printer rusak")
                    .await
                    .unwrap(),
                n => {
                    let sealed = Sealed {
                        number: reserved.number.clone(),
                        statement: format!("{{\"number\":\"{}\"}}", reserved.number),
                        signature: format!("sig{}", rng.next()),
                        pdf: (0..64).map(|i| (rng.next() >> (i % 8)) as u8).collect(),
                    };
                    store
                        .store_letter(&ctx, v, &letter, &reserved, &sealed)
                        .await
                        .unwrap();
                    if n == 2 {
                        store
                            .revoke_letter(&ctx, v, letter.id, "salah nama")
                            .await
                            .unwrap();
                    }
                }
            }
        }
        7 => {
            // A request moved along, or refused.
            let id = rng.uuid();
            store
                .create_letter_request(
                    &ctx,
                    v,
                    &NewLetterRequest {
                        id,
                        resident_id: r.id,
                        kind: "usaha".into(),
                        form: "{}".into(),
                        channel: RequestChannel::Online,
                        queue_day: None,
                        status: RequestStatus::Diajukan,
                        signer: None,
                    },
                )
                .await
                .unwrap();
            let to = *rng.pick(&[RequestStatus::Diperiksa, RequestStatus::Ditolak]);
            store
                .move_letter_request(
                    &ctx,
                    v,
                    id,
                    &RequestTransition {
                        from: RequestStatus::Diajukan,
                        to,
                        reason: (to == RequestStatus::Ditolak).then_some("berkas kurang"),
                        signer: None,
                    },
                )
                .await
                .unwrap();
        }
        8 => {
            // Written through the same path, but credentials stay out of the
            // feed's rows: the entry is there, the hash is not.
            store
                .issue_resident_pin(&ctx, v, r.id, "$argon2id$v=19$test")
                .await
                .unwrap();
        }
        _ => {
            // A write that fails: a new resident whose number the village
            // holds already. Nothing of it may remain.
            let mut dup = r.clone();
            dup.id = rng.uuid();
            let change = RegistryChange {
                reason: "salah".into(),
                new_residents: vec![(dup, Some(StatusDasar::Hidup))],
                ..Default::default()
            };
            store
                .apply_registry_change(&ctx, v, &change)
                .await
                .unwrap_err();
        }
    }
}

async fn random_history(store: &Store) {
    let mut generator = Generator::new(11, date!(2026 - 11 - 01), vec![]);
    for v in [A, B] {
        let data = generator.village(kode(v), 60);
        load(store, 0, &data).await;
    }
    let mut rng = Rng(20261202);
    for step in 1..=120 {
        let v = *rng.pick::<&str>(&[A, B]);
        let v = kode(v);
        random_write(store, &mut rng, &mut generator, v, step).await;
    }
}

async fn replays_into(source: &Store, target: &Store, v: KodeWilayah) {
    let feed = whole_feed(source, v).await;
    target.replay_feed(&feed).await.unwrap();
    assert_eq!(
        source.village_content_hash(v).await.unwrap(),
        target.village_content_hash(v).await.unwrap(),
        "village {v} on {:?} → {:?}",
        source.backend(),
        target.backend()
    );
    assert_eq!(whole_feed(target, v).await, feed);
}

balai_store::both_backends! {
    async fn replaying_a_villages_feed_into_an_empty_database_gives_the_same_content_hash(store: Store) {
        let store = with_villages(store).await;
        random_history(&store).await;
        let backend = store.backend();
        for v in [A, B] {
            let v = kode(v);
            let feed = whole_feed(&store, v).await;
            assert!(feed.len() > 40, "{}", feed.len());
            assert!(feed.iter().all(|e| e.version == FEED_VERSION && e.payload.is_some()));
            // The same backend, and SQLite (the village node's database).
            let name = format!("replay_{}", backend.as_str());
            let same = empty_target(backend, &name).await.expect("the backend under test");
            replays_into(&store, &same, v).await;
            if backend != Backend::Sqlite {
                let sqlite = empty_target(Backend::Sqlite, &name).await.unwrap();
                replays_into(&store, &sqlite, v).await;
            }
            // Only this village's data was rebuilt: the other one is absent.
            let other = kode(if v == kode(A) { B } else { A });
            assert_eq!(same.feed_head(other).await.unwrap(), 0);
            assert_ne!(
                same.village_content_hash(other).await.unwrap(),
                store.village_content_hash(other).await.unwrap()
            );
        }
    }

    async fn an_event_image_from_before_migration_0013_replays_without_particulars(store: Store) {
        let store = with_villages(store).await;
        let v = kode(A);
        let mut generator = Generator::new(5, date!(2026 - 11 - 01), vec![]);
        load(&store, 0, &generator.village(v, 12)).await;
        let (_, residents) = store.village_population(v).await.unwrap();
        let r = living(&residents)[0].clone();
        let mut after = r.clone();
        after.status = StatusDasar::Mati;
        let particulars = Particulars::Death(DeathParticulars {
            time: Some(EventTime::parse("23:10").unwrap()),
            place: PlaceText::parse("RSUD Bagas Waras").unwrap(),
            cause: Some(SebabKematian::Kecelakaan),
            determined_by: Some(PenerangKematian::Kepolisian),
            reporter: None,
            witnesses: vec![],
        });
        let change = RegistryChange {
            reason: "kematian".into(),
            changed_residents: vec![(r.clone(), after)],
            events: vec![LifeEvent {
                id: Uuid::from_u128(0xdead),
                resident_id: r.id,
                kind: Peristiwa::Mati,
                occurred_on: date!(2026 - 11 - 20),
                particulars: Some(particulars.clone()),
            }],
            ..Default::default()
        };
        store.apply_registry_change(&ctx(1), v, &change).await.unwrap();
        let feed = whole_feed(&store, v).await;
        // The event's image holds the particulars as its last column.
        let image = feed
            .iter()
            .flat_map(|e| &e.payload.as_ref().unwrap().rows)
            .find(|i| i.table == Table::LifeEvent && i.row[0] == serde_json::json!(hex(0xdead)))
            .expect("the death's image");
        assert_eq!(image.row.len(), 7);
        assert!(image.row[6].as_str().unwrap().contains("RSUD BAGAS WARAS"));
        // Replayed as it is, the event keeps them.
        let target = empty_target(store.backend(), "particulars_now").await.unwrap();
        target.replay_feed(&feed).await.unwrap();
        let events = target.events_of(v, r.id).await.unwrap();
        assert_eq!(events.last().unwrap().particulars, Some(particulars));
        // A feed written before migration 0013 has 6 columns per event: it
        // still replays, the events without particulars.
        let mut old = feed.clone();
        for e in &mut old {
            for i in &mut e.payload.as_mut().unwrap().rows {
                if i.table == Table::LifeEvent {
                    i.row.truncate(6);
                }
            }
        }
        let target = empty_target(store.backend(), "particulars_before").await.unwrap();
        target.replay_feed(&old).await.unwrap();
        let events = target.events_of(v, r.id).await.unwrap();
        assert_eq!(events.last().unwrap().kind, Peristiwa::Mati);
        assert_eq!(events.last().unwrap().particulars, None);
        // A row shorter than that is still refused as corrupt.
        let mut broken = feed.clone();
        for e in &mut broken {
            for i in &mut e.payload.as_mut().unwrap().rows {
                if i.table == Table::LifeEvent {
                    i.row.truncate(5);
                }
            }
        }
        let target = empty_target(store.backend(), "particulars_broken").await.unwrap();
        assert!(target.replay_feed(&broken).await.is_err());
    }

    async fn a_replayed_feed_continues_where_the_copy_ends(store: Store) {
        let store = with_villages(store).await;
        random_history(&store).await;
        let v = kode(A);
        let feed = whole_feed(&store, v).await;
        let target = empty_target(store.backend(), "continue").await.unwrap();
        let half = feed.len() / 2;
        target.replay_feed(&feed[..half]).await.unwrap();
        // An entry out of order is refused, and changes nothing.
        let before = target.village_content_hash(v).await.unwrap();
        target.replay_feed(&feed[half + 1..half + 2]).await.unwrap_err();
        target.replay_feed(&feed[..1]).await.unwrap_err();
        assert_eq!(target.village_content_hash(v).await.unwrap(), before);
        // The rest, read as "after N", completes the copy.
        let rest = store.feed_after(v, target.feed_head(v).await.unwrap(), 10_000).await.unwrap();
        target.replay_feed(&rest).await.unwrap();
        assert_eq!(
            target.village_content_hash(v).await.unwrap(),
            store.village_content_hash(v).await.unwrap()
        );
    }

    async fn village_sequences_are_strictly_increasing_without_gaps_and_independent(store: Store) {
        let store = with_villages(store).await;
        random_history(&store).await;
        let (a, b) = (whole_feed(&store, kode(A)).await, whole_feed(&store, kode(B)).await);
        for feed in [&a, &b] {
            let seqs: Vec<i64> = feed.iter().map(|e| e.village_seq).collect();
            assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
        }
        assert!(a.iter().all(|e| e.village == kode(A)));
        assert!(b.iter().all(|e| e.village == kode(B)));
        // Interleaved writes: each village counts its own.
        assert_eq!(store.feed_head(kode(A)).await.unwrap(), a.len() as i64);
        assert_eq!(store.feed_head(kode(B)).await.unwrap(), b.len() as i64);
    }

    async fn reading_after_n_returns_exactly_the_later_entries(store: Store) {
        let store = with_villages(store).await;
        random_history(&store).await;
        let v = kode(B);
        let all = whole_feed(&store, v).await;
        let n = all.len() as i64;
        for (after, limit) in [(0, 5), (3, 1), (n / 2, 1000), (n - 1, 10), (n, 10), (n + 5, 10)] {
            let got = store.feed_after(v, after, limit as u32).await.unwrap();
            let want: Vec<FeedEntry> = all
                .iter()
                .filter(|e| e.village_seq > after)
                .take(limit as usize)
                .cloned()
                .collect();
            assert_eq!(got, want, "after {after}, limit {limit}");
        }
    }

    async fn a_failed_write_leaves_no_rows_no_entry_and_no_sequence_bump(store: Store) {
        let store = with_villages(store).await;
        let mut generator = Generator::new(5, date!(2026 - 11 - 01), vec![]);
        let data = generator.village(kode(A), 30);
        load(&store, 1, &data).await;
        let v = kode(A);
        let head = store.feed_head(v).await.unwrap();
        let hash = store.village_content_hash(v).await.unwrap();
        let count = store.change_count().await.unwrap();
        // A new family (written first, with its entry) and a resident whose
        // number is taken: the second insert fails, so the first must go too.
        let mut f = data.families[0].clone();
        f.id = Uuid::from_u128(77);
        f.no_kk = balai_domain::NoKk::parse("3310010101990077").unwrap();
        let mut dup = data.residents[0].clone();
        dup.id = Uuid::from_u128(78);
        dup.family_id = Some(f.id);
        let change = RegistryChange {
            reason: "gagal".into(),
            new_families: vec![f],
            new_residents: vec![(dup, Some(StatusDasar::Hidup))],
            ..Default::default()
        };
        store.apply_registry_change(&ctx(2), v, &change).await.unwrap_err();
        // A bulk load that fails halfway through its rows.
        let mut bad = fresh_load(&store, &mut generator, v, 10).await;
        bad.residents.push(data.residents[1].clone());
        store
            .insert_population(
                &ctx(3),
                Population {
                    village: v,
                    families: &bad.families,
                    residents: &bad.residents,
                    events: &bad.events,
                    baselines: &bad.baselines,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(store.feed_head(v).await.unwrap(), head);
        assert_eq!(store.change_count().await.unwrap(), count);
        assert_eq!(store.village_content_hash(v).await.unwrap(), hash);
        // The next write takes the very next number.
        let mut r = data.residents[2].clone();
        r.birth_place = "SOLO".into();
        store.update_resident(&ctx(4), &r).await.unwrap();
        let last = store.feed_after(v, head, 10).await.unwrap();
        assert_eq!(last.iter().map(|e| e.village_seq).collect::<Vec<_>>(), [head + 1]);
    }
}

/// A database from before the feed keeps working: migration 0009 numbers
/// each village's existing entries in their order (version 0: no rows, not
/// replayable), and new writes continue each village's sequence.
#[tokio::test]
async fn migration_0009_numbers_existing_entries_per_village_in_their_order() {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    balai_store::create_at_schema_version(&db, 8).await.unwrap();
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .connect()
        .await
        .unwrap();
    for sql in [
        "INSERT INTO region (kode, level, parent, name) VALUES (33, 1, NULL, 'JAWA TENGAH')",
        "INSERT INTO region (kode, level, parent, name) VALUES (3310, 2, 33, 'KLATEN')",
        "INSERT INTO region (kode, level, parent, name) VALUES (331001, 3, 3310, 'PRAMBANAN')",
        "INSERT INTO region (kode, level, parent, name) VALUES (3310012001, 4, 331001, 'A')",
        "INSERT INTO region (kode, level, parent, name) VALUES (3310012002, 4, 331001, 'B')",
        "INSERT INTO village (kode, created_at) VALUES (3310012001, 0), (3310012002, 0)",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    // Interleaved entries of A, B and of no village, in this order.
    for (i, village) in [Some(A), Some(B), Some(A), None, Some(A), Some(B)]
        .into_iter()
        .enumerate()
    {
        sqlx::query(
            "INSERT INTO change_log (village, at, actor, entity, entity_id, action, before, after)
             VALUES ($1, $2, 'old', 'resident', $3, 'update', NULL, '{}')",
        )
        .bind(village.map(|v| v.parse::<i64>().unwrap()))
        .bind(i as i64)
        .bind(vec![i as u8; 16])
        .execute(&mut conn)
        .await
        .unwrap();
    }
    conn.close().await.unwrap();

    let store = Store::open(&db).await.unwrap();
    let a = store.feed_after(kode(A), 0, 100).await.unwrap();
    let b = store.feed_after(kode(B), 0, 100).await.unwrap();
    let order = |f: &[FeedEntry]| {
        f.iter()
            .map(|e| (e.village_seq, e.at.unix_timestamp_nanos() / 1_000_000))
            .collect::<Vec<_>>()
    };
    assert_eq!(order(&a), [(1, 0), (2, 2), (3, 4)]);
    assert_eq!(order(&b), [(1, 1), (2, 5)]);
    assert!(
        a.iter()
            .chain(&b)
            .all(|e| e.version == 0 && e.payload.is_none())
    );
    // Old entries cannot be replayed: they hold no rows.
    let target = Store::open_in_memory().await.unwrap();
    let err = target.replay_feed(&a).await.unwrap_err();
    assert!(
        err.to_string().contains("predates the change feed"),
        "{err}"
    );
    // New writes continue the village's sequence, with a payload.
    store
        .save_info_page(
            &ctx(1),
            &balai_store::InfoPage {
                id: Uuid::from_u128(9),
                scope: kode(A),
                topic: balai_domain::info_topic::InfoTopic::Lainnya,
                title: "Jam buka".into(),
                body: "08.00–15.00".into(),
                updated_at: datetime!(2026-11-22 09:00 UTC),
                updated_by: "old".into(),
            },
        )
        .await
        .unwrap();
    let next = store.feed_after(kode(A), 3, 10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].village_seq, next[0].version), (4, FEED_VERSION));
    assert!(next[0].payload.is_some());
}
