//! Letter numbering under concurrency, and failed issues consuming nothing.

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_store::{NewLetter, Sealed, Store, StoreError, VillageProfile, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

fn ctx() -> WriteContext {
    WriteContext::new("operator.test", datetime!(2026-11-22 03:00 UTC))
}

async fn store_with_resident(path: &std::path::Path) -> (Store, KodeWilayah, Uuid) {
    let store = Store::open(path).await.unwrap();
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

fn seal(seq: i64) -> Result<Sealed, StoreError> {
    Ok(Sealed {
        number: format!("474.4/{seq:03}/2001/XI/2026"),
        statement: "{}".into(),
        signature: "sig".into(),
        pdf: b"%PDF-1.7".to_vec(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_issues_get_consecutive_numbers_without_duplicates_or_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let (store, v, r) = store_with_resident(&dir.path().join("l.sqlite")).await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .issue_letter(&ctx(), v, &new_letter(r), seal)
                .await
                .unwrap()
                .seq
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
        store
            .issue_letter(&ctx(), v, &other, |seq| Ok(Sealed {
                number: format!("510/{seq:03}/2001/XI/2026"),
                ..seal(seq)?
            }))
            .await
            .unwrap()
            .seq,
        1
    );
}

#[tokio::test]
async fn a_failed_issue_consumes_no_number_and_revocation_is_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, v, r) = store_with_resident(&dir.path().join("l.sqlite")).await;
    let first = store
        .issue_letter(&ctx(), v, &new_letter(r), seal)
        .await
        .unwrap();
    assert_eq!(first.number, "474.4/001/2001/XI/2026");
    let changes = store.change_count().await.unwrap();
    let err = store
        .issue_letter(&ctx(), v, &new_letter(r), |_| {
            Err(StoreError::Verify("rendering failed".into()))
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("rendering failed"));
    assert_eq!(store.change_count().await.unwrap(), changes);
    let second = store
        .issue_letter(&ctx(), v, &new_letter(r), seal)
        .await
        .unwrap();
    assert_eq!(second.seq, 2, "the failed attempt did not use number 2");
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
    assert_eq!(store.letters(v, Some("002"), 10, 0).await.unwrap().len(), 1);
}
