//! Letter numbering under concurrency, and failed letters voiding their
//! number; each test on a SQLite file and on PostgreSQL.

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_store::{
    LetterRecord, NewLetter, NumberStatus, Sealed, Store, StoreError, VillageProfile, WriteContext,
};
use time::macros::{date, datetime};
use uuid::Uuid;

fn ctx() -> WriteContext {
    WriteContext::new("operator.test", datetime!(2026-11-22 03:00 UTC))
}

async fn with_resident(store: Store) -> (Store, KodeWilayah, Uuid) {
    store
        .import_regions(&ctx(), &balai_regions::builtin(), "builtin")
        .await
        .unwrap();
    let v = KodeWilayah::parse("3310012001").unwrap();
    store.create_village(&ctx(), v).await.unwrap();
    let data =
        balai_generate::Generator::new(1, balai_generate::DEFAULT_AS_OF, vec![]).village(v, 20);
    store
        .insert_population(
            &ctx(),
            balai_store::Population {
                village: v,
                families: &data.families,
                residents: &data.residents,
                events: &data.events,
                baselines: &data.baselines,
            },
        )
        .await
        .unwrap();
    let profile = VillageProfile {
        address: "Jl. Raya 1".into(),
        head_name: "SUPARNO".into(),
        head_title: "Kepala Desa".into(),
        head_nip: None,
        logo_svg: None,
        number_format: "{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}".into(),
        sequence_scope: "per-jenis".into(),
        paper: "A4".into(),
        signing_key: vec![7; 32],
        public_key: "x".into(),
        allow_download: false,
        template: None,
    };
    store
        .save_village_profile(&ctx(), v, &profile)
        .await
        .unwrap();
    let r = data
        .residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup)
        .unwrap()
        .id;
    (store, v, r)
}

fn new_letter(resident: Uuid) -> NewLetter {
    NewLetter {
        id: Uuid::now_v7(),
        kind: "domisili".into(),
        counter: "domisili/2026".into(),
        resident_id: resident,
        issued_on: date!(2026 - 11 - 22),
        valid_until: Some(date!(2026 - 12 - 22)),
        token: Uuid::now_v7().simple().to_string(),
        signer: "SUPARNO, Kepala Desa".into(),
        request_id: None,
    }
}

fn number(seq: i64) -> String {
    format!("474.4/{seq:03}/2001/XI/2026")
}

fn sealed(number: &str) -> Sealed {
    Sealed {
        number: number.into(),
        statement: "{}".into(),
        signature: "sig".into(),
        pdf: b"%PDF-1.7".to_vec(),
    }
}

/// Takes a number, then stores the letter in a second transaction, as the
/// services do around typesetting.
async fn issue(
    store: &Store,
    v: KodeWilayah,
    letter: &NewLetter,
    number: impl FnOnce(i64) -> String,
) -> Result<LetterRecord, StoreError> {
    let reserved = store
        .reserve_letter_number(&ctx(), v, letter, number)
        .await?;
    store
        .store_letter(&ctx(), v, letter, &reserved, &sealed(&reserved.number))
        .await
}

balai_store::both_backends_on_disk! {
    async fn concurrent_issues_get_consecutive_numbers_without_duplicates_or_gaps(store: Store) {
        let (store, v, r) = with_resident(store).await;
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                issue(&store, v, &new_letter(r), number).await.unwrap().seq
            }));
        }
        let mut seqs = Vec::new();
        for t in tasks {
            seqs.push(t.await.unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
        // Another counter starts its own sequence.
        let other = NewLetter {
            counter: "usaha/2026".into(),
            kind: "usaha".into(),
            ..new_letter(r)
        };
        assert_eq!(
            issue(&store, v, &other, |seq| format!(
                "510/{seq:03}/2001/XI/2026"
            ))
            .await
            .unwrap()
            .seq,
            1
        );
    }
}

balai_store::both_backends_on_disk! {
    async fn a_failed_render_voids_its_number_with_the_reason_and_revocation_is_once(store: Store) {
        let (store, v, r) = with_resident(store).await;
        let first = issue(&store, v, &new_letter(r), number).await.unwrap();
        assert_eq!(first.number, "474.4/001/2001/XI/2026");
        // Number 2 is taken, its letter cannot be typeset: it is voided.
        let failed = new_letter(r);
        let reserved = store
            .reserve_letter_number(&ctx(), v, &failed, number)
            .await
            .unwrap();
        assert_eq!(reserved.seq, 2);
        let listed = store.unissued_letter_numbers(v, 10).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].status, NumberStatus::Reserved, "being made");
        let changes = store.change_count().await.unwrap();
        store
            .void_letter_number(&ctx(), v, &reserved, "templat terlalu lama")
            .await
            .unwrap();
        assert_eq!(store.change_count().await.unwrap(), changes + 1, "logged");
        // Neither stored afterwards nor voided twice.
        assert!(
            store
                .store_letter(&ctx(), v, &failed, &reserved, &sealed(&reserved.number))
                .await
                .is_err()
        );
        assert!(
            store
                .void_letter_number(&ctx(), v, &reserved, "lagi")
                .await
                .is_err()
        );
        let void = store.unissued_letter_numbers(v, 10).await.unwrap();
        assert_eq!(void.len(), 1);
        assert_eq!(void[0].number, "474.4/002/2001/XI/2026");
        assert_eq!(void[0].status, NumberStatus::Void);
        assert_eq!(void[0].reason.as_deref(), Some("templat terlalu lama"));
        assert_eq!(store.letter(v, failed.id).await.unwrap(), None);

        let second = issue(&store, v, &new_letter(r), number).await.unwrap();
        assert_eq!(second.seq, 3, "number 2 is never given again");
        assert!(
            store
                .unissued_letter_numbers(KodeWilayah::parse("3310012002").unwrap(), 10)
                .await
                .unwrap()
                .is_empty(),
            "another village does not see it"
        );
        assert_eq!(
            store.letter_pdf(v, second.id).await.unwrap().unwrap(),
            b"%PDF-1.7"
        );
        assert_eq!(
            store
                .letter_by_token(&second.token)
                .await
                .unwrap()
                .unwrap()
                .id,
            second.id
        );
        store
            .revoke_letter(&ctx(), v, second.id, "data salah")
            .await
            .unwrap();
        assert!(
            store
                .revoke_letter(&ctx(), v, second.id, "lagi")
                .await
                .is_err()
        );
        let revoked = store.letter(v, second.id).await.unwrap().unwrap();
        assert_eq!(revoked.revoked.unwrap().1, "data salah");
        // Another village does not see it.
        assert_eq!(
            store
                .letter(KodeWilayah::parse("3310012002").unwrap(), second.id)
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.letters(v, Some("003"), 10, 0).await.unwrap().len(), 1);
    }
}
