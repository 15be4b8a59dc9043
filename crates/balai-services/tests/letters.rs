//! Letters end to end in the services: NIK to a signed PDF that reads back,
//! verifies offline, and can be revoked; bad requests consume no number.

mod common;

use std::sync::Arc;

use balai_domain::KodeWilayah;
use balai_domain::codes::{StatusDasar, StatusKawin};
use balai_domain::role::Role;
use balai_letters::PublicKey;
use balai_services::ServiceError;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::{self, LetterForm};
use balai_services::staff::{Staff, authorize};
use balai_store::{Store, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

fn operator(v: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "op".into(),
        display_name: "Op".into(),
        role: Role::VillageOperator,
        scope: v,
        assigned: vec![],
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

/// What the web edge does with the desk's form: parse it (a bad field is a
/// form error, as the page shows it), then issue the typed letter.
async fn issue_form(
    db: &balai_services::Db,
    clock: &dyn balai_services::clock::Clock,
    renderer: &letters::Renderer,
    access: &balai_services::staff::VillageAccess,
    form: &LetterForm,
    url: &str,
) -> Result<balai_store::LetterRecord, ServiceError> {
    let letter = letters::IssueLetter::try_from(form)?;
    letters::issue(db, clock, renderer, access, &letter, url).await
}

fn form(kind: &str, nik: &str) -> LetterForm {
    let mut f = LetterForm {
        jenis: kind.into(),
        nik: nik.into(),
        keperluan: "Melamar pekerjaan".into(),
        penandatangan: "an".into(),
        an_nama: "Siti Aminah".into(),
        an_jabatan: "Sekretaris Desa".into(),
        ..Default::default()
    };
    f.extras.insert(
        "alamat_domisili".into(),
        "Dusun Krajan RT 001 RW 002".into(),
    );
    f
}

#[tokio::test]
async fn a_nik_becomes_a_signed_letter_that_reads_back_and_verifies() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 3,
            villages: 1,
            residents_per_village: 150,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = Arc::new(FixedClock(NOW));
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let alive = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let nik = alive.number.to_string();

    let first = issue_form(
        &db,
        clock.as_ref(),
        common::renderer(),
        &access,
        &form("domisili", &nik),
        URL,
    )
    .await
    .unwrap();
    let second = issue_form(
        &db,
        clock.as_ref(),
        common::renderer(),
        &access,
        &form("domisili", &nik),
        URL,
    )
    .await
    .unwrap();
    assert_eq!(
        first.number,
        format!("474.4/001/{}/XI/2026", &v.plain()[6..])
    );
    assert_eq!(second.seq, 2);
    let pdf = store.letter_pdf(v, first.id).await.unwrap().unwrap();
    let text = pdf_text(&pdf);
    for needle in [
        first.number.as_str(),
        alive.name.as_str(),
        nik.as_str(),
        "SITI AMINAH",
        "Sekretaris Desa",
        "SURAT KETERANGAN DOMISILI",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} not in the PDF text:\n{text}"
        );
    }
    // Offline check against the village's public key; another key fails.
    let profile = store.village_profile(v).await.unwrap().unwrap();
    let key = PublicKey::from_base64(&profile.public_key).unwrap();
    let statement = balai_letters::verify_pdf(&pdf, &key).unwrap();
    assert_eq!(statement.number, first.number);
    assert_eq!(statement.subject, alive.name.masked());
    // A v2 letter: every printed field sealed, the PDF signed by the village.
    let Ok(balai_letters::VerifiedLetter::V2(full)) = balai_letters::verify_letter(&pdf, &key)
    else {
        panic!("an issued letter carries the full seal");
    };
    assert_eq!(full.subject_field("NIK"), Some(nik.as_str()));
    assert_eq!(full.letter.number, first.number);
    // The archive keeps the sealed statement itself.
    assert_eq!(
        balai_letters::LetterStatement::from_json(&first.statement).unwrap(),
        *full
    );
    // Both letters are signed with one village certificate from one regency root.
    let signer = store.village_document_signer(v).await.unwrap().unwrap();
    let second_pdf = store.letter_pdf(v, second.id).await.unwrap().unwrap();
    let Ok(balai_letters::VerifiedLetter::V2(second_full)) =
        balai_letters::verify_letter(&second_pdf, &key)
    else {
        panic!("the second letter verifies too");
    };
    assert_eq!(second_full.signer_cert_sha256, full.signer_cert_sha256);
    assert!(!format!("{signer:?}").contains(&format!("{:?}", signer.signing_key)));
    let other = balai_letters::VillageKeys::generate().public_key();
    assert!(
        balai_letters::verify_pdf(&pdf, &other).is_err(),
        "a letter does not verify against another village's key"
    );
    // The public page: valid, masked, then revoked.
    let seen = letters::verify_token(&db, clock.as_ref(), &first.token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (seen.status, seen.subject.as_str()),
        ("sah", alive.name.masked().as_str())
    );
    assert!(!seen.subject.contains(alive.name.as_str()));
    assert!(
        letters::RevocationReason::parse("").is_err(),
        "a reason is required"
    );
    assert!(
        letters::RevocationReason::parse(&"x".repeat(501)).is_err(),
        "and fits the archive"
    );
    let reason = letters::RevocationReason::parse("salah alamat").unwrap();
    letters::revoke(&db, clock.as_ref(), &access, first.id, &reason)
        .await
        .unwrap();
    assert_eq!(
        letters::verify_token(&db, clock.as_ref(), &first.token)
            .await
            .unwrap()
            .unwrap()
            .status,
        "dicabut"
    );
    assert!(
        letters::verify_token(&db, clock.as_ref(), "AAAAAAAAAAAAAAAAAAAAAAAA")
            .await
            .unwrap()
            .is_none()
    );
    // After it expires, the page says so.
    let later = FixedClock(NOW + time::Duration::days(60));
    assert_eq!(
        letters::verify_token(&db, &later, &second.token)
            .await
            .unwrap()
            .unwrap()
            .status,
        "kedaluwarsa"
    );
}

#[tokio::test]
async fn wrong_requests_get_clear_messages_and_consume_no_number() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 4,
            villages: 2,
            residents_per_village: 300,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = Arc::new(FixedClock(NOW));
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let dead = residents
        .iter()
        .find(|r| r.status == StatusDasar::Mati && !r.number.is_temporary())
        .unwrap();
    let moved = residents
        .iter()
        .find(|r| r.status == StatusDasar::Pindah && !r.number.is_temporary())
        .unwrap();
    let married = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup
                && r.marital_status == StatusKawin::Kawin
                && !r.number.is_temporary()
        })
        .unwrap();
    let (_, other_village) = store
        .village_population(demo.villages[1].village.kode)
        .await
        .unwrap();
    let stranger = other_village
        .iter()
        .find(|r| !r.number.is_temporary())
        .unwrap();
    let field_error = |r: Result<balai_store::LetterRecord, ServiceError>, field: &str| match r {
        Err(ServiceError::Form(e)) => {
            e.0.get(field)
                .cloned()
                .unwrap_or_else(|| panic!("no message for {field}: {e:?}"))
        }
        Err(other) => panic!("{other:?}"),
        Ok(l) => panic!("issued {}", l.number),
    };
    let m = field_error(
        issue_form(
            &db,
            clock.as_ref(),
            common::renderer(),
            &access,
            &form("domisili", &dead.number.to_string()),
            URL,
        )
        .await,
        "nik",
    );
    assert!(m.contains("meninggal"), "{m}");
    let m = field_error(
        issue_form(
            &db,
            clock.as_ref(),
            common::renderer(),
            &access,
            &form("domisili", &moved.number.to_string()),
            URL,
        )
        .await,
        "nik",
    );
    assert!(m.contains("pindah"), "{m}");
    let m = field_error(
        issue_form(
            &db,
            clock.as_ref(),
            common::renderer(),
            &access,
            &form("domisili", &stranger.number.to_string()),
            URL,
        )
        .await,
        "nik",
    );
    assert!(m.contains("tidak terdaftar"), "{m}");
    let m = field_error(
        issue_form(
            &db,
            clock.as_ref(),
            common::renderer(),
            &access,
            &form("belum-menikah", &married.number.to_string()),
            URL,
        )
        .await,
        "nik",
    );
    assert!(m.contains("BELUM KAWIN"), "{m}");
    let m = field_error(
        issue_form(
            &db,
            clock.as_ref(),
            common::renderer(),
            &access,
            &form("usaha", &married.number.to_string()),
            URL,
        )
        .await,
        "nama_usaha",
    );
    assert_eq!(m, "wajib diisi");
    // A death certificate is for the dead.
    let mut death = form("kematian", &dead.number.to_string());
    death.extras.extend([
        ("tanggal_meninggal".into(), "2026-10-01".into()),
        ("tempat_meninggal".into(), "Rumah".into()),
        ("sebab".into(), "Sakit".into()),
    ]);
    let issued = issue_form(
        &db,
        clock.as_ref(),
        common::renderer(),
        &access,
        &death,
        URL,
    )
    .await
    .unwrap();
    assert_eq!(
        issued.seq, 1,
        "none of the refused requests used a number of any counter"
    );
    let ok = issue_form(
        &db,
        clock.as_ref(),
        common::renderer(),
        &access,
        &form("domisili", &married.number.to_string()),
        URL,
    )
    .await
    .unwrap();
    assert_eq!(ok.seq, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_issues_through_the_services_get_every_number_once() {
    // A file database: a pool of real connections racing for the counter.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("balai.sqlite")).await.unwrap();
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 4,
            villages: 1,
            residents_per_village: 120,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = Arc::new(FixedClock(NOW));
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let niks: Vec<String> = residents
        .iter()
        .filter(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .take(24)
        .map(|r| r.number.to_string())
        .collect();
    let mut tasks = Vec::new();
    for nik in niks.clone() {
        let (db, clock, access) = (db.clone(), clock.clone(), access.clone());
        tasks.push(tokio::spawn(async move {
            issue_form(
                &db,
                clock.as_ref(),
                common::renderer(),
                &access,
                &form("domisili", &nik),
                URL,
            )
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
    assert_eq!(
        seqs,
        (1..=niks.len() as i64).collect::<Vec<_>>(),
        "no gap, no duplicate"
    );
}

#[tokio::test]
async fn a_letter_in_the_heads_name_is_issued_by_the_head_not_the_operator() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 6,
            villages: 1,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = FixedClock(NOW);
    let (_, residents) = store.village_population(v).await.unwrap();
    let nik = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    let mut by_head = form("domisili", &nik);
    by_head.penandatangan = "kades".into();
    let op = authorize(&db, &operator(v), v).await.unwrap();
    let refused = issue_form(&db, &clock, common::renderer(), &op, &by_head, URL)
        .await
        .unwrap_err();
    assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused}");
    assert!(
        store.letters(v, None, 10, 0).await.unwrap().is_empty(),
        "no number used"
    );

    // Not even the head issues it directly: that would sign without the
    // preview and around the signing PIN.
    let head_staff = Staff {
        username: "kades".into(),
        role: Role::VillageHead,
        ..operator(v)
    };
    let head = authorize(&db, &head_staff, v).await.unwrap();
    let refused = issue_form(&db, &clock, common::renderer(), &head, &by_head, URL)
        .await
        .unwrap_err();
    assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused}");

    // At the desk the operator sends it to the head, who signs it from the queue.
    let by_head = letters::IssueLetter::try_from(&by_head).unwrap();
    let sent = letters::requests::send_to_head(&db, &clock, &op, &by_head.content)
        .await
        .unwrap();
    assert_eq!(
        sent.status,
        balai_domain::letter_request::RequestStatus::MenungguTtd
    );
    // The head reads the letter before signing it.
    letters::requests::review(&db, &clock, &head, sent.id)
        .await
        .unwrap();
    let signed = letters::requests::act(
        &db,
        &clock,
        common::renderer(),
        &head,
        sent.id,
        &letters::requests::Step::Sign,
        URL,
    )
    .await
    .unwrap();
    let letter = store
        .letter(v, signed.letter_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(letter.issued_by, "kades");
    assert!(letter.signer.contains("Kepala Desa"), "{}", letter.signer);
    // An official a.n. is issued at the desk at once.
    assert!(
        issue_form(
            &db,
            &clock,
            common::renderer(),
            &op,
            &form("domisili", &nik),
            URL
        )
        .await
        .is_ok()
    );
}

/// A village template that typesets like the default but refuses, at
/// render time, any letter whose purpose says "GAGAL": accepted when saved
/// (the sample letter passes), failing later on some letters' data.
fn template_failing_on_purpose() -> String {
    format!(
        "#let dd = json(\"/data.json\")\n#if dd.purpose.contains(\"GAGAL\") {{ panic(\"keperluan ditolak templat\") }}\n{}",
        balai_letters::default_template()
    )
}

/// Stores `template` as the village's own, straight into the store, as a
/// database written before the current checks could hold it.
async fn with_template(store: &Store, v: KodeWilayah, template: String) {
    let ctx = WriteContext::new("system:test", NOW);
    let db = balai_services::Db::from_store(store.clone());
    let mut profile = letters::ensure_profile(&db, &ctx, v).await.unwrap();
    profile.template = Some(template);
    store.save_village_profile(&ctx, v, &profile).await.unwrap();
}

#[tokio::test]
async fn a_render_that_fails_voids_its_number_with_the_reason_and_the_archive_lists_it() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 3,
            villages: 1,
            residents_per_village: 80,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = FixedClock(NOW);
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let nik = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    // A template that loops for ever: stopped at the worker's CPU limit.
    with_template(
        &store,
        v,
        format!(
            "#let n = 0\n#for i in range(100000) {{ for j in range(100000) {{ n += 1 }} }}\n{}",
            balai_letters::default_template()
        ),
    )
    .await;
    let renderer = common::tagged_renderer("issue-loop");
    let watch = common::WorkerWatch::start("issue-loop");
    let err = issue_form(
        &db,
        &clock,
        &renderer,
        &access,
        &form("domisili", &nik),
        URL,
    )
    .await
    .unwrap_err();
    assert_eq!(watch.finish(), 1, "typeset in a worker process");
    assert!(
        common::worker_children("issue-loop").is_empty(),
        "the worker is gone"
    );
    let message = err.to_string();
    assert!(message.contains("dihentikan"), "{message}");
    let number = format!("474.4/001/{}/XI/2026", &v.plain()[6..]);
    assert!(message.contains(&number), "{message}");

    // The archive: no letter, the number void with the reason.
    assert!(store.letters(v, None, 10, 0).await.unwrap().is_empty());
    let void = letters::void_numbers(&db, &access).await.unwrap();
    assert_eq!(void.len(), 1);
    assert_eq!(void[0].number, number);
    assert!(void[0].void);
    assert!(
        void[0].reason.as_deref().unwrap().contains("dihentikan"),
        "{:?}",
        void[0].reason
    );

    // With the template fixed, the next letter takes the next number.
    with_template(&store, v, template_failing_on_purpose()).await;
    let next = issue_form(
        &db,
        &clock,
        common::renderer(),
        &access,
        &form("domisili", &nik),
        URL,
    )
    .await
    .unwrap();
    assert_eq!(next.seq, 2, "number 1 is never given again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_issues_where_some_renders_fail_use_every_number_once_and_void_the_failed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("balai.sqlite")).await.unwrap();
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 4,
            villages: 1,
            residents_per_village: 120,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    with_template(&store, v, template_failing_on_purpose()).await;
    let clock = Arc::new(FixedClock(NOW));
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let niks: Vec<String> = residents
        .iter()
        .filter(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .take(12)
        .map(|r| r.number.to_string())
        .collect();
    let mut tasks = Vec::new();
    for (i, nik) in niks.iter().enumerate() {
        let (db, clock, access) = (db.clone(), clock.clone(), access.clone());
        let mut f = form("domisili", nik);
        let fails = i % 3 == 0;
        if fails {
            f.keperluan = "GAGAL dicetak".into();
        }
        tasks.push(tokio::spawn(async move {
            let outcome =
                issue_form(&db, clock.as_ref(), common::renderer(), &access, &f, URL).await;
            (fails, outcome.map(|l| l.number).map_err(|e| e.to_string()))
        }));
    }
    let mut issued = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            (false, Ok(number)) => issued.push(number),
            (true, Err(message)) => assert!(message.contains("ditolak templat"), "{message}"),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    let void: Vec<String> = letters::void_numbers(&db, &access)
        .await
        .unwrap()
        .into_iter()
        .inspect(|n| assert!(n.void, "none left reserved"))
        .map(|n| n.number)
        .collect();
    assert_eq!(issued.len(), 8);
    assert_eq!(void.len(), 4);
    let seq = |n: &String| n.split('/').nth(1).unwrap().parse::<i64>().unwrap();
    let mut all: Vec<i64> = issued.iter().chain(&void).map(seq).collect();
    all.sort();
    assert_eq!(
        all,
        (1..=12).collect::<Vec<_>>(),
        "every number once: issued or void"
    );
}

#[tokio::test]
async fn the_field_check_says_cocok_only_for_the_sealed_nik_and_birth_date() {
    use balai_services::letters::field_check::{CheckedField, FieldCheck, check_field};
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 5,
            villages: 1,
            residents_per_village: 120,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let clock = FixedClock(NOW);
    let access = authorize(&db, &operator(v), v).await.unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let alive = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let nik = alive.number.to_string();
    let letter = issue_form(
        &db,
        &clock,
        common::renderer(),
        &access,
        &form("domisili", &nik),
        URL,
    )
    .await
    .unwrap();
    let check = |field, typed: String| {
        let db = &db;
        let token = letter.token.clone();
        async move { check_field(db, &token, field, &typed).await.unwrap() }
    };
    assert_eq!(
        check(CheckedField::Nik, nik.clone()).await,
        Some(FieldCheck::Match)
    );
    let spaced = format!("{} {} {}", &nik[..4], &nik[4..10], &nik[10..]);
    assert_eq!(
        check(CheckedField::Nik, spaced).await,
        Some(FieldCheck::Match)
    );
    let mut wrong = nik.clone().into_bytes();
    wrong[15] = if wrong[15] == b'9' {
        b'8'
    } else {
        wrong[15] + 1
    };
    assert_eq!(
        check(CheckedField::Nik, String::from_utf8(wrong).unwrap()).await,
        Some(FieldCheck::NoMatch)
    );
    assert_eq!(
        check(CheckedField::Nik, String::new()).await,
        Some(FieldCheck::NoMatch)
    );
    let born = alive.birth_date;
    let numeric = format!(
        "{:02}-{:02}-{}",
        born.day(),
        u8::from(born.month()),
        born.year()
    );
    assert_eq!(
        check(CheckedField::BirthDate, numeric).await,
        Some(FieldCheck::Match)
    );
    let printed = letters::statements::long_date(born);
    assert_eq!(
        check(CheckedField::BirthDate, printed).await,
        Some(FieldCheck::Match)
    );
    let next_day = letters::statements::long_date(born + time::Duration::days(1));
    assert_eq!(
        check(CheckedField::BirthDate, next_day).await,
        Some(FieldCheck::NoMatch)
    );
    assert_eq!(
        check(CheckedField::BirthDate, "kemarin".into()).await,
        Some(FieldCheck::Unreadable)
    );
    // An unknown token is no letter at all.
    assert_eq!(
        check_field(&db, "AAAAAAAAAAAAAAAAAAAAAA", CheckedField::Nik, &nik)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_letter_sealed_before_v2_still_shows_on_the_public_page() {
    use balai_letters::{VillageKeys, mask_name};
    use balai_services::letters::field_check::{CheckedField, FieldCheck, check_field};
    use balai_store::{NewLetter, Sealed};
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 6,
            villages: 1,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let (_, residents) = store.village_population(v).await.unwrap();
    let resident = &residents[0];
    // What the archive of a database from before v2 holds: a v1 statement.
    let token = "v1LetterTokenAAAAAAAAA".to_string();
    let statement = balai_letters::Statement {
        village: v.plain(),
        number: "474.4/001/2001/XI/2026".into(),
        kind: "domisili".into(),
        issued_on: "2026-11-22".into(),
        subject: mask_name(resident.name.as_str()),
        valid_until: None,
        token: token.clone(),
    };
    let seal = VillageKeys::generate().seal(statement.clone());
    let letter = NewLetter {
        id: Uuid::now_v7(),
        kind: "domisili".into(),
        counter: "domisili/2026".into(),
        resident_id: resident.id,
        issued_on: time::macros::date!(2026 - 11 - 22),
        valid_until: None,
        token: token.clone(),
        signer: "SUPARMAN, Kepala Desa".into(),
        request_id: None,
    };
    let reserved = store
        .reserve_letter_number(&ctx, v, &letter, |_| statement.number.clone())
        .await
        .unwrap();
    store
        .store_letter(
            &ctx,
            v,
            &letter,
            &reserved,
            &Sealed {
                number: statement.number.clone(),
                statement: statement.canonical_json(),
                signature: seal.signature.clone(),
                pdf: b"%PDF-1.7 v1".to_vec(),
            },
        )
        .await
        .unwrap();
    let clock = FixedClock(NOW);
    let seen = letters::verify_token(&db, &clock, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((seen.status, seen.subject), ("sah", statement.subject));
    assert_eq!(
        check_field(&db, &token, CheckedField::Nik, &resident.number.to_string())
            .await
            .unwrap(),
        Some(FieldCheck::Unavailable)
    );
}

#[tokio::test]
async fn a_number_left_reserved_by_a_stopped_server_is_voided_when_the_server_starts_again() {
    use balai_store::{NewLetter, NumberStatus};
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let demo = seed(
        &db,
        &WriteContext::new("system:test", NOW),
        DemoOptions {
            seed: 8,
            villages: 1,
            residents_per_village: 30,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let (_, residents) = store.village_population(v).await.unwrap();
    // Two numbers taken and never stored (the server died while typesetting):
    // one 20 minutes ago, one a minute ago (perhaps still being made by
    // another server on the same database).
    let mut taken = Vec::new();
    for (i, minutes_ago) in [20, 1].into_iter().enumerate() {
        let ctx = WriteContext::new("op", NOW - time::Duration::minutes(minutes_ago));
        let letter = NewLetter {
            id: Uuid::now_v7(),
            kind: "domisili".into(),
            counter: "domisili/2026".into(),
            resident_id: residents[i].id,
            issued_on: time::macros::date!(2026 - 11 - 22),
            valid_until: None,
            token: format!("abandonedToken{i}AAAAAAA"),
            signer: "SUPARMAN, Kepala Desa".into(),
            request_id: None,
        };
        let reserved = store
            .reserve_letter_number(&ctx, v, &letter, |seq| format!("474/{seq:03}/2026"))
            .await
            .unwrap();
        taken.push(reserved.number);
    }
    let clock = FixedClock(NOW);
    assert_eq!(
        letters::void_abandoned_numbers(&db, &clock).await.unwrap(),
        1
    );
    let numbers = store.unissued_letter_numbers(v, 10).await.unwrap();
    let status_of = |n: &str| numbers.iter().find(|u| u.number == n).unwrap();
    let old = status_of(&taken[0]);
    assert_eq!(old.status, NumberStatus::Void);
    assert!(
        old.reason.as_deref().unwrap().contains("server berhenti"),
        "{:?}",
        old.reason
    );
    assert_eq!(status_of(&taken[1]).status, NumberStatus::Reserved);
    // Starting again changes nothing more.
    assert_eq!(
        letters::void_abandoned_numbers(&db, &clock).await.unwrap(),
        0
    );
}
