//! Residents serving themselves: the PIN an operator issues, login and its
//! lockout, the forced PIN change, and a letter request walked from
//! submission to a signed letter the resident downloads.

mod common;

use std::sync::Arc;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::letter_request::{RequestAction, RequestChannel, RequestStatus};
use balai_domain::role::Role;
use balai_services::ServiceError;
use balai_services::clock::{Clock, FixedClock};
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::requests::{
    self, LetterRequestRecord, RequestForm, RequestLetter, SignerForm, Step,
};
use balai_services::login_throttle::Client;
use balai_services::self_service::{self, PinChange, PinChangeForm, ResidentSession};
use balai_services::staff::{LoginRefused, Staff, authorize};
use balai_store::{Store, WriteContext};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

fn staff(v: KodeWilayah, role: Role, name: &str) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: name.into(),
        display_name: name.into(),
        role,
        scope: v,
        assigned: vec![],
    }
}

struct Village {
    store: Store,
    db: balai_services::Db,
    v: KodeWilayah,
    other: KodeWilayah,
    nik: String,
    resident_id: Uuid,
}

async fn village() -> Village {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 5,
            villages: 2,
            residents_per_village: 120,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let (_, residents) = store.village_population(v).await.unwrap();
    let r = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .unwrap();
    Village {
        v,
        other: demo.villages[1].village.kode,
        nik: r.number.to_string(),
        resident_id: r.id,
        db,
        store,
    }
}

async fn issue_pin(t: &Village, clock: &dyn Clock) -> String {
    let access = authorize(&t.db, &staff(t.v, Role::VillageOperator, "op"), t.v)
        .await
        .unwrap();
    self_service::issue_pin(&t.db, clock, &access, t.resident_id)
        .await
        .unwrap()
        .expose()
        .to_string()
}

async fn log_in(
    t: &Village,
    clock: &dyn Clock,
    pin: &str,
    addr: Client,
) -> Result<(ResidentSession, String), LoginRefused> {
    self_service::login(&t.db, clock, t.v, &t.nik, pin, addr, RequestChannel::Online)
        .await
        .unwrap()
        .map(|l| (l.session, l.token))
}

#[tokio::test]
async fn the_operator_pin_works_once_changed_and_unknown_nik_looks_like_a_wrong_pin() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    assert_eq!(pin.len(), 6);

    let (session, _) = log_in(&t, &clock, &pin, ip("10.0.0.1")).await.unwrap();
    assert!(
        session.must_change_pin,
        "the first login must force a new PIN"
    );

    // Mismatched repeats and trivial PINs are refused where the form is read,
    // with field messages.
    let e = PinChange::try_from(&PinChangeForm {
        pin_lama: "000001".into(),
        pin_baru: "123456".into(),
        pin_ulang: "123450".into(),
    })
    .unwrap_err();
    assert!(
        e.0.contains_key("pin_baru") && e.0.contains_key("pin_ulang"),
        "{e}"
    );
    // A wrong old PIN and the birth date as the new one, by the use case.
    let birth = session.resident.birth_date;
    let ddmmyy = format!(
        "{:02}{:02}{:02}",
        birth.day(),
        u8::from(birth.month()),
        birth.year().rem_euclid(100)
    );
    let bad = self_service::change_pin(
        &t.db,
        &clock,
        &session,
        &PinChange::try_from(&PinChangeForm {
            pin_lama: "000001".into(),
            pin_baru: ddmmyy.clone(),
            pin_ulang: ddmmyy,
        })
        .expect("a well-formed change"),
    )
    .await
    .unwrap_err();
    let ServiceError::Form(e) = bad else {
        panic!("{bad}")
    };
    assert!(
        e.0.contains_key("pin_lama") && e.0.contains_key("pin_baru"),
        "{e}"
    );

    self_service::change_pin(
        &t.db,
        &clock,
        &session,
        &PinChange::try_from(&PinChangeForm {
            pin_lama: pin.clone(),
            pin_baru: "860413".into(),
            pin_ulang: "860413".into(),
        })
        .unwrap(),
    )
    .await
    .unwrap();
    assert!(
        log_in(&t, &clock, &pin, ip("10.0.0.1")).await.is_err(),
        "the old PIN is gone"
    );
    let (again, _) = log_in(&t, &clock, "860413", ip("10.0.0.1")).await.unwrap();
    assert!(!again.must_change_pin);

    // An unknown NIK is refused exactly as a wrong PIN is.
    let unknown = self_service::login(
        &t.db,
        &clock,
        t.v,
        "3310010101900001",
        "860413",
        ip("10.0.0.2"),
        RequestChannel::Online,
    )
    .await
    .unwrap()
    .unwrap_err();
    let wrong = log_in(&t, &clock, "860414", ip("10.0.0.3"))
        .await
        .unwrap_err();
    assert_eq!(unknown, LoginRefused::BadCredentials);
    assert_eq!(wrong, LoginRefused::BadCredentials);

    // A resident of one village cannot log in at another village's site.
    let other = self_service::login(
        &t.db,
        &clock,
        t.other,
        &t.nik,
        "860413",
        ip("10.0.0.4"),
        RequestChannel::Online,
    )
    .await
    .unwrap();
    assert_eq!(other.unwrap_err(), LoginRefused::BadCredentials);
}

#[tokio::test]
async fn five_wrong_pins_lock_the_nik_for_fifteen_minutes_from_any_address() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    for i in 0..5 {
        // A new address each time: the NIK key alone must lock.
        let r = log_in(&t, &clock, "999999", ip(&format!("10.1.0.{i}"))).await;
        assert!(r.is_err());
    }
    let locked = log_in(&t, &clock, &pin, ip("10.9.9.9")).await.unwrap_err();
    assert!(matches!(locked, LoginRefused::LockedOut(_)), "{locked:?}");

    let later = FixedClock(NOW + time::Duration::minutes(16));
    assert!(
        log_in(&t, &later, &pin, ip("10.9.9.9")).await.is_ok(),
        "the lockout ends after 15 minutes"
    );
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address_but_not_the_resident_elsewhere() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    let max = balai_services::login_throttle::ADDRESS.max_failures;
    // Wrong PINs for many different NIKs from one address (a shared NAT).
    for i in 0..max {
        let _ = self_service::login(
            &t.db,
            &clock,
            t.v,
            &format!("3310010101{i:06}"),
            "111222",
            ip("10.2.0.1"),
            RequestChannel::Online,
        )
        .await
        .unwrap();
    }
    let locked = log_in(&t, &clock, &pin, ip("10.2.0.1")).await.unwrap_err();
    assert!(matches!(locked, LoginRefused::LockedOut(_)));
    // The address lock does not follow the resident to another address.
    assert!(log_in(&t, &clock, &pin, ip("10.2.0.2")).await.is_ok());
}

#[tokio::test]
async fn a_request_walks_to_a_signed_letter_the_resident_downloads() {
    let t = village().await;
    let clock = Arc::new(FixedClock(NOW));
    let pin = issue_pin(&t, clock.as_ref()).await;
    let (session, _) = log_in(&t, clock.as_ref(), &pin, ip("10.3.0.1"))
        .await
        .unwrap();

    // A request missing its required extra field is refused and nothing is stored.
    let mut form = RequestForm {
        jenis: "domisili".into(),
        subjek: String::new(),
        keperluan: "Mendaftar sekolah anak".into(),
        ..Default::default()
    };
    let missing = submit_form(&t.db, clock.as_ref(), &session, &form)
        .await
        .unwrap_err();
    assert!(
        matches!(missing, ServiceError::Form(ref e) if e.0.contains_key("alamat_domisili")),
        "{missing}"
    );
    assert!(requests::mine(&t.db, &session).await.unwrap().is_empty());

    form.extras.insert(
        "alamat_domisili".into(),
        "Dusun Krajan RT 001 RW 002".into(),
    );
    let r = submit_form(&t.db, clock.as_ref(), &session, &form)
        .await
        .unwrap();
    assert_eq!(r.status, RequestStatus::Diajukan);
    assert_eq!(r.resident_id, t.resident_id);
    assert!(r.queue.is_none(), "only kiosk requests get a queue ticket");

    let op = authorize(&t.db, &staff(t.v, Role::VillageOperator, "op"), t.v)
        .await
        .unwrap();
    let head = authorize(&t.db, &staff(t.v, Role::VillageHead, "kades"), t.v)
        .await
        .unwrap();
    let none = SignerForm::default();
    let act = |access, action, reason: &'static str, signer| {
        let db = t.db.clone();
        let clock = clock.clone();
        async move {
            requests::act(
                &db,
                clock.as_ref(),
                common::renderer(),
                access,
                r.id,
                &step(action, reason, signer)?,
                URL,
            )
            .await
        }
    };
    // Steps cannot be skipped, and the head cannot run the desk.
    assert!(act(&op, RequestAction::Sign, "", &none).await.is_err());
    assert!(act(&head, RequestAction::Check, "", &none).await.is_err());
    act(&op, RequestAction::Check, "", &none).await.unwrap();
    let to_head = SignerForm {
        penandatangan: "kades".into(),
        ..Default::default()
    };
    let r2 = act(&op, RequestAction::SendForSignature, "", &to_head)
        .await
        .unwrap();
    assert_eq!(r2.status, RequestStatus::MenungguTtd);
    // The head signs in person; the operator cannot sign in the head's name.
    let refused = act(&op, RequestAction::Sign, "", &none).await.unwrap_err();
    assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused}");
    // The head cannot sign a letter they have not opened (issue 9: "the
    // head signs with one click, without seeing the letter").
    let unseen = act(&head, RequestAction::Sign, "", &none)
        .await
        .unwrap_err();
    assert!(matches!(unseen, ServiceError::Forbidden(_)), "{unseen}");
    requests::review(&t.db, clock.as_ref(), &head, r.id)
        .await
        .unwrap();
    let ready = act(&head, RequestAction::Sign, "", &none).await.unwrap();
    assert_eq!(ready.status, RequestStatus::Siap);
    let letter_id = ready.letter_id.expect("signing issues the letter");
    let letter = t.store.letter(t.v, letter_id).await.unwrap().unwrap();
    assert_eq!(letter.issued_by, "kades");
    assert!(letter.signer.contains("Kepala Desa"), "{}", letter.signer);

    // Download only where the village allows it.
    assert!(matches!(
        requests::download(&t.db, &session, r.id).await,
        Err(ServiceError::NotFound)
    ));
    let mut profile = t.store.village_profile(t.v).await.unwrap().unwrap();
    profile.allow_download = true;
    t.store
        .save_village_profile(&WriteContext::new("op", NOW), t.v, &profile)
        .await
        .unwrap();
    let pdf = requests::download(&t.db, &session, r.id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = {
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).unwrap()
    };
    assert!(text.contains(&letter.number), "{text}");
    assert!(text.contains(&t.nik), "{text}");

    let done = act(&op, RequestAction::HandOver, "", &none).await.unwrap();
    assert_eq!(done.status, RequestStatus::Diambil);
    // A ready letter cannot be rejected any more: it exists, so it is revoked instead.
    assert!(
        act(&op, RequestAction::Reject, "salah data", &none)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason_the_resident_then_sees() {
    let t = village().await;
    let clock = Arc::new(FixedClock(NOW));
    let pin = issue_pin(&t, clock.as_ref()).await;
    let (session, _) = log_in(&t, clock.as_ref(), &pin, ip("10.4.0.1"))
        .await
        .unwrap();
    let r = submit_form(
        &t.db,
        clock.as_ref(),
        &session,
        &RequestForm {
            jenis: "pengantar-skck".into(),
            keperluan: "Melamar kerja".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let op = authorize(&t.db, &staff(t.v, Role::VillageOperator, "op"), t.v)
        .await
        .unwrap();
    let none = SignerForm::default();
    let e = step(RequestAction::Reject, " ", &none).unwrap_err();
    assert!(matches!(e, ServiceError::Form(ref f) if f.0.contains_key("alasan")));
    let long = "x".repeat(requests::MAX_REASON_CHARS + 1);
    let e = step(RequestAction::Reject, &long, &none).unwrap_err();
    assert!(matches!(e, ServiceError::Form(ref f) if f.0.contains_key("alasan")));
    requests::act(
        &t.db,
        clock.as_ref(),
        common::renderer(),
        &op,
        r.id,
        &step(RequestAction::Reject, "Foto KTP belum dilampirkan", &none).unwrap(),
        URL,
    )
    .await
    .unwrap();
    let mine = requests::mine(&t.db, &session).await.unwrap();
    assert_eq!(mine[0].status, RequestStatus::Ditolak);
    assert_eq!(
        mine[0].reason.as_deref(),
        Some("Foto KTP belum dilampirkan")
    );
    // No letter, so no number was used.
    assert!(t.store.letters(t.v, None, 10, 0).await.unwrap().is_empty());
}

#[tokio::test]
async fn kiosk_requests_get_consecutive_queue_tickets_per_day() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    let kiosk = self_service::login(
        &t.db,
        &clock,
        t.v,
        &t.nik,
        &pin,
        Client::Unknown,
        RequestChannel::Kiosk,
    )
    .await
    .unwrap()
    .unwrap();
    let form = RequestForm {
        jenis: "pengantar-skck".into(),
        keperluan: "Melamar kerja".into(),
        ..Default::default()
    };
    let a = submit_form(&t.db, &clock, &kiosk.session, &form)
        .await
        .unwrap();
    // Another letter: asking again for the same one would show the first.
    let b = submit_form(
        &t.db,
        &clock,
        &kiosk.session,
        &RequestForm {
            jenis: "tidak-mampu".into(),
            ..form.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(a.queue.unwrap().1, 1);
    assert_eq!(b.queue.unwrap().1, 2);
    let tomorrow = FixedClock(NOW + time::Duration::days(1));
    let kiosk2 = self_service::session(&t.db, &tomorrow, t.v, RequestChannel::Kiosk, &kiosk.token)
        .await
        .unwrap();
    assert!(kiosk2.is_none(), "an idle kiosk session has ended");
    let c = submit_form(
        &t.db,
        &tomorrow,
        &kiosk.session,
        &RequestForm {
            jenis: "umum".into(),
            extras: [(
                "keterangan".to_string(),
                "Untuk membuka rekening bank".to_string(),
            )]
            .into(),
            ..form.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(c.queue.unwrap().1, 1, "the queue starts again each day");
}

#[tokio::test]
async fn a_kiosk_session_slides_with_activity_and_ends_when_idle() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    let kiosk = self_service::login(
        &t.db,
        &clock,
        t.v,
        &t.nik,
        &pin,
        Client::Unknown,
        RequestChannel::Kiosk,
    )
    .await
    .unwrap()
    .unwrap();
    let mut at = NOW;
    for _ in 0..4 {
        at += time::Duration::minutes(2);
        let live = self_service::session(
            &t.db,
            &FixedClock(at),
            t.v,
            RequestChannel::Kiosk,
            &kiosk.token,
        )
        .await
        .unwrap();
        assert!(live.is_some(), "active use keeps the kiosk session");
    }
    let idle = FixedClock(at + time::Duration::minutes(4));
    assert!(
        self_service::session(&t.db, &idle, t.v, RequestChannel::Kiosk, &kiosk.token)
            .await
            .unwrap()
            .is_none()
    );
    // A kiosk token is no home session.
    assert!(
        self_service::session(&t.db, &clock, t.v, RequestChannel::Online, &kiosk.token)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_demo_resident_logs_in_with_the_demo_pin_and_the_kiosk_has_pages() {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let opts = DemoOptions {
        seed: 9,
        villages: 1,
        residents_per_village: 60,
    };
    let demo = seed(&db, &ctx, opts).await.unwrap();
    let (v, nik) = demo.resident.clone().expect("a demo resident");
    let clock = FixedClock(NOW);
    let done = self_service::login(
        &db,
        &clock,
        v,
        &nik,
        balai_services::demo::DEMO_PIN,
        ip("127.0.0.1"),
        RequestChannel::Kiosk,
    )
    .await
    .unwrap()
    .unwrap();
    assert!(!done.session.must_change_pin);
    let pages = self_service::info::for_kiosk(&db, v).await.unwrap();
    assert_eq!(pages.len(), 3, "two village pages and one regency page");
    // Seeding again neither duplicates the pages nor changes the PIN.
    let again = seed(&db, &ctx, opts).await.unwrap();
    assert_eq!(again.resident, demo.resident);
    assert_eq!(
        self_service::info::for_kiosk(&db, v).await.unwrap().len(),
        3
    );
}

#[tokio::test]
async fn a_family_cannot_flood_the_queue_with_open_requests() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    let (session, _) = log_in(&t, &clock, &pin, ip("10.6.0.1")).await.unwrap();
    // Every (person, kind) pair the household could ask for.
    let members = self_service::household(&t.db, &session).await.unwrap();
    let kinds = balai_domain::letter_kind::LetterKind::ALL;
    let mut pairs = members
        .iter()
        .flat_map(|m| kinds.iter().map(move |k| (m.id, *k)));
    // Every extra field filled with a value of its type.
    let form = |(id, kind): (Uuid, balai_domain::letter_kind::LetterKind)| RequestForm {
        jenis: kind.code().into(),
        subjek: id.to_string(),
        keperluan: "Melamar kerja".into(),
        keperluan_pilihan: String::new(),
        extras: kind
            .extra_fields()
            .iter()
            .map(|f| {
                let v = match f.kind {
                    balai_domain::letter_kind::FieldKind::Text => "Dusun Krajan",
                    balai_domain::letter_kind::FieldKind::Choice(options) => options[0].code,
                    balai_domain::letter_kind::FieldKind::Date => "2026-11-01",
                    balai_domain::letter_kind::FieldKind::Number => "1000000",
                };
                (f.key.to_string(), v.to_string())
            })
            .collect(),
    };
    let mut made = std::collections::HashSet::new();
    while made.len() < requests::MAX_OPEN_PER_FAMILY {
        let pair = pairs.next().expect("enough pairs for the limit");
        // Some pairs are refused (a letter the person cannot get): skip them.
        if let Ok(r) = submit_form(&t.db, &clock, &session, &form(pair)).await {
            made.insert(r.id);
        }
    }
    let refused = submit_form(&t.db, &clock, &session, &form(pairs.next().unwrap()))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, ServiceError::Form(ref e) if e.0["jenis"].contains("belum selesai")),
        "{refused}"
    );
    assert_eq!(
        requests::mine(&t.db, &session).await.unwrap().len(),
        requests::MAX_OPEN_PER_FAMILY
    );
}

#[tokio::test]
async fn asking_again_for_a_letter_still_open_shows_the_first_request_and_a_word_is_no_purpose() {
    let t = village().await;
    let clock = FixedClock(NOW);
    let pin = issue_pin(&t, &clock).await;
    let (session, _) = log_in(&t, &clock, &pin, ip("10.6.0.2")).await.unwrap();
    let form = RequestForm {
        jenis: "pengantar-skck".into(),
        keperluan: "Melamar kerja".into(),
        ..Default::default()
    };
    let first = submit_form(&t.db, &clock, &session, &form).await.unwrap();
    let again = submit_form(
        &t.db,
        &clock,
        &session,
        &RequestForm {
            keperluan: "Melamar kerja di kota".into(),
            ..form.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(again.id, first.id, "the open request, not a second one");
    assert_eq!(requests::mine(&t.db, &session).await.unwrap().len(), 1);
    // A purpose that is not a sentence is refused with the reason.
    for short in ["x", "kerja", "a b"] {
        let e = RequestLetter::try_from(&RequestForm {
            keperluan: short.into(),
            ..form.clone()
        })
        .unwrap_err();
        assert!(
            matches!(e, ServiceError::Form(ref f) if f.0["keperluan"].contains("dua kata")),
            "{short:?}: {e}"
        );
    }
}

fn ip(a: &str) -> Client {
    Client::Address(a.parse().unwrap())
}

/// What the web edge does with a resident's form: parse it, then submit
/// the typed request.
async fn submit_form(
    db: &balai_services::Db,
    clock: &dyn Clock,
    session: &ResidentSession,
    form: &RequestForm,
) -> Result<LetterRequestRecord, ServiceError> {
    requests::submit(db, clock, session, &RequestLetter::try_from(form)?).await
}

/// What the web edge does with a staff member's step: the posted reason
/// and signer fields parsed for `action`.
fn step<'a>(
    action: RequestAction,
    reason: &'a str,
    signer: &'a SignerForm,
) -> Result<Step, ServiceError> {
    Step::parse(action, |k| match k {
        "alasan" => reason,
        "penandatangan" => &signer.penandatangan,
        "an_nama" => &signer.an_nama,
        "an_jabatan" => &signer.an_jabatan,
        _ => "",
    })
    .map_err(ServiceError::Form)
}
