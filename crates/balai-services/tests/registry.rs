//! The registry's use cases against a fresh database with generated villages.

use std::sync::Arc;

use balai_domain::codes::{Peristiwa, Shdk, StatusDasar};
use balai_domain::life_event::derive_status;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, ResidentNumber};
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::registry::events::{
    self, BirthForm, Departure, DepartureForm, MoveInForm, NewFamilyForm, Split, SplitForm,
};
use balai_services::registry::resident_form::ResidentForm;
use balai_services::staff::{LoginRefused, Staff, authorize, login, overview, session};
use balai_services::{ServiceError, registry};
use balai_store::{ResidentFilter, Store, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

struct World {
    store: Store,
    db: balai_services::Db,
    clock: Arc<FixedClock>,
    villages: Vec<KodeWilayah>,
}

async fn world() -> World {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 11,
            villages: 2,
            residents_per_village: 300,
        },
    )
    .await
    .unwrap();
    World {
        db,
        store,
        clock: Arc::new(FixedClock(NOW)),
        villages: demo.villages.iter().map(|v| v.village.kode).collect(),
    }
}

fn operator(village: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "op".into(),
        display_name: "Op".into(),
        role: Role::VillageOperator,
        scope: village,
        assigned: vec![],
    }
}

fn child(name: &str) -> ResidentForm {
    ResidentForm {
        nama: name.into(),
        sex: "1".into(),
        tempat_lahir: "KLATEN".into(),
        tanggal_lahir: "2026-11-01".into(),
        agama: "1".into(),
        pendidikan: "1".into(),
        pekerjaan: "1".into(),
        status_kawin: "1".into(),
        hubungan: "4".into(),
        ..Default::default()
    }
}

/// A family whose head is alive with at least one other living member.
async fn a_family(w: &World, village: KodeWilayah) -> balai_store::FamilyCard {
    let (families, _) = w.store.village_population(village).await.unwrap();
    for f in families {
        let card = w.store.family_card(village, f.id).await.unwrap().unwrap();
        let living = card
            .members
            .iter()
            .filter(|m| m.status == StatusDasar::Hidup)
            .count();
        let head_alive = card
            .members
            .iter()
            .any(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup);
        if living >= 3 && head_alive {
            return card;
        }
    }
    panic!("no suitable family");
}

async fn replayed_status(w: &World, village: KodeWilayah, id: Uuid) -> Option<StatusDasar> {
    let (people, events) = w.store.village_history(village).await.unwrap();
    let baseline = people.iter().find(|p| p.0 == id).unwrap().2;
    let mine: Vec<_> = events.into_iter().filter(|e| e.resident_id == id).collect();
    derive_status(baseline, &mine).unwrap()
}

#[tokio::test]
async fn an_operator_of_one_village_cannot_reach_another() {
    let w = world().await;
    let (a, b) = (w.villages[0], w.villages[1]);
    assert!(authorize(&w.db, &operator(a), a).await.is_ok());
    assert!(matches!(
        authorize(&w.db, &operator(a), b).await,
        Err(ServiceError::NotFound)
    ));
    let head = Staff {
        role: Role::VillageHead,
        ..operator(a)
    };
    let access = authorize(&w.db, &head, a).await.unwrap();
    assert!(
        !access.can_write(),
        "a village head reads but does not edit the registry"
    );
    let admin = Staff {
        role: Role::RegencyAdmin,
        scope: KodeWilayah::parse("3310").unwrap(),
        ..operator(a)
    };
    // The regency administrator and a facilitator see a village's
    // aggregates, never its residents: personal access is not found.
    assert!(overview(&w.db, &admin, b).await.is_ok());
    assert!(matches!(
        authorize(&w.db, &admin, b).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        overview(&w.db, &admin, KodeWilayah::parse("3311012001").unwrap()).await,
        Err(ServiceError::NotFound)
    ));
    let facilitator = Staff {
        role: Role::Facilitator,
        scope: KodeWilayah::parse("3310").unwrap(),
        assigned: vec![a],
        ..operator(a)
    };
    assert!(overview(&w.db, &facilitator, a).await.is_ok());
    assert!(overview(&w.db, &facilitator, b).await.is_err());
    assert!(matches!(
        authorize(&w.db, &facilitator, a).await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test]
async fn a_birth_creates_the_child_with_a_temporary_number_and_logs_it() {
    let w = world().await;
    let v = w.villages[0];
    let access = authorize(&w.db, &operator(v), v).await.unwrap();
    let card = a_family(&w, v).await;
    let mother = card
        .members
        .iter()
        .find(|m| m.relationship == Shdk::Istri)
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    let id = events::record_birth(
        &w.db,
        w.clock.as_ref(),
        &access,
        card.family.id,
        &birth(
            &w,
            &BirthForm {
                child: child("BAYU AJI"),
                ibu_id: mother.clone(),
                ayah_id: String::new(),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap();
    let born = registry::resident(&w.db, w.clock.as_ref(), &access, id)
        .await
        .unwrap();
    assert!(
        born.number.is_temporary(),
        "no NIK given: a temporary number"
    );
    assert_eq!(born.family_id, Some(card.family.id));
    if !mother.is_empty() {
        assert!(!born.mother_name.is_empty());
    }
    assert_eq!(replayed_status(&w, v, id).await, Some(StatusDasar::Hidup));
    // A second birth gets the next temporary number.
    let id2 = events::record_birth(
        &w.db,
        w.clock.as_ref(),
        &access,
        card.family.id,
        &birth(
            &w,
            &BirthForm {
                child: child("BAYU KEDUA"),
                ..Default::default()
            },
        ),
    )
    .await
    .unwrap();
    let second = w.store.resident(v, id2).await.unwrap().unwrap();
    match (born.number, second.number) {
        (ResidentNumber::Sementara(a), ResidentNumber::Sementara(b)) => {
            assert_eq!(b.seq(), a.seq() + 1)
        }
        other => panic!("{other:?}"),
    }
    // The trail shows the creation with its reason.
    let (_, views, changes) = registry::access_report(&w.db, w.clock.as_ref(), &access, id)
        .await
        .unwrap();
    assert!(!views.is_empty());
    assert!(
        changes
            .iter()
            .any(|c| c.after.as_ref().is_some_and(|a| a["reason"] == "kelahiran"))
    );
}

#[tokio::test]
async fn a_heads_death_needs_a_successor_and_then_applies() {
    let w = world().await;
    let v = w.villages[0];
    let access = authorize(&w.db, &operator(v), v).await.unwrap();
    let card = a_family(&w, v).await;
    let head = card
        .members
        .iter()
        .find(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup)
        .unwrap();
    let heir = card
        .members
        .iter()
        .find(|m| m.id != head.id && m.status == StatusDasar::Hidup)
        .unwrap();
    // The departure form lists the living members who may succeed the head;
    // showing them is a logged view of each (the page used to read the card
    // without logging).
    let head_record = registry::resident(&w.db, w.clock.as_ref(), &access, head.id)
        .await
        .unwrap();
    let heirs = events::heirs(&w.db, w.clock.as_ref(), &access, &head_record)
        .await
        .unwrap();
    assert!(heirs.iter().any(|h| h.id == heir.id));
    assert!(heirs.iter().all(|h| h.id != head.id));
    for h in &heirs {
        let views = w.store.accesses_of(v, h.id).await.unwrap();
        assert!(
            views.iter().any(|a| a.purpose == "calon kepala keluarga"),
            "showing {} as a possible head is logged",
            h.name
        );
    }
    let before = w.store.change_count().await.unwrap();
    let form = DepartureForm {
        peristiwa: "2".into(),
        tanggal: "2026-11-20".into(),
        kepala_baru: String::new(),
        ..Default::default()
    };
    let err =
        events::record_departure(&w.db, w.clock.as_ref(), &access, head.id, &departure(&form))
            .await
            .unwrap_err();
    assert!(
        matches!(&err, ServiceError::Form(e) if e.0.contains_key("kepala_baru")),
        "{err:?}"
    );
    assert_eq!(
        w.store.change_count().await.unwrap(),
        before,
        "a refused event writes nothing"
    );
    let form = DepartureForm {
        kepala_baru: heir.id.to_string(),
        ..form
    };
    events::record_departure(&w.db, w.clock.as_ref(), &access, head.id, &departure(&form))
        .await
        .unwrap();
    let after = w
        .store
        .family_card(v, card.family.id)
        .await
        .unwrap()
        .unwrap();
    let heads: Vec<_> = after
        .members
        .iter()
        .filter(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup)
        .collect();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].id, heir.id);
    assert_eq!(
        replayed_status(&w, v, head.id).await,
        Some(StatusDasar::Mati)
    );
    // The dead cannot move out.
    let again = DepartureForm {
        peristiwa: "3".into(),
        tanggal: "2026-11-21".into(),
        kepala_baru: String::new(),
        ..Default::default()
    };
    assert!(
        events::record_departure(
            &w.db,
            w.clock.as_ref(),
            &access,
            head.id,
            &departure(&again)
        )
        .await
        .is_err()
    );
    // Future dates are refused.
    let future = DepartureForm {
        peristiwa: "6".into(),
        tanggal: "2027-01-01".into(),
        kepala_baru: String::new(),
        ..Default::default()
    };
    assert!(matches!(
        events::record_departure(
            &w.db,
            w.clock.as_ref(),
            &access,
            heir.id,
            &departure(&future)
        )
        .await,
        Err(ServiceError::Form(_))
    ));
}

#[tokio::test]
async fn moving_in_makes_a_family_and_moving_back_reuses_the_record() {
    let w = world().await;
    let v = w.villages[0];
    let access = authorize(&w.db, &operator(v), v).await.unwrap();
    let person = ResidentForm {
        nik: "3310011505900001".into(),
        nama: "AGUS PRASETYO".into(),
        tanggal_lahir: "1990-05-15".into(),
        hubungan: "1".into(),
        status_kawin: "2".into(),
        ..child("")
    };
    let family = NewFamilyForm {
        no_kk: "3310011011250001".into(),
        alamat: "JL. MERAPI 3".into(),
        dusun: "KRAJAN".into(),
        rw: "1".into(),
        rt: "2".into(),
    };
    let form = MoveInForm {
        person: person.clone(),
        tanggal: "2026-11-10".into(),
        keluarga_id: String::new(),
        keluarga_baru: family.clone(),
        ..Default::default()
    };
    let id = events::record_move_in(&w.db, w.clock.as_ref(), &access, &move_in(&w, &form))
        .await
        .unwrap();
    let r = w.store.resident(v, id).await.unwrap().unwrap();
    let fam = w
        .store
        .family_card(v, r.family_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fam.family.wilayah.rt(), "002");
    // Same NIK again while active: refused with a field message.
    let err = events::record_move_in(
        &w.db,
        w.clock.as_ref(),
        &access,
        &move_in(
            &w,
            &MoveInForm {
                keluarga_baru: NewFamilyForm {
                    no_kk: "3310011011250002".into(),
                    ..family.clone()
                },
                ..form.clone()
            },
        ),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, ServiceError::Form(e) if e.0.contains_key("nik")),
        "{err:?}"
    );
    // He moves away, then comes back into the same card: same record, HIDUP again.
    events::record_departure(
        &w.db,
        w.clock.as_ref(),
        &access,
        id,
        &departure(&DepartureForm {
            peristiwa: "3".into(),
            tanggal: "2026-11-12".into(),
            kepala_baru: String::new(),
            ..Default::default()
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        w.store.resident(v, id).await.unwrap().unwrap().status,
        StatusDasar::Pindah
    );
    let back = MoveInForm {
        tanggal: "2026-11-20".into(),
        keluarga_id: fam.family.id.to_string(),
        ..form
    };
    assert_eq!(
        events::record_move_in(&w.db, w.clock.as_ref(), &access, &move_in(&w, &back))
            .await
            .unwrap(),
        id
    );
    assert_eq!(replayed_status(&w, v, id).await, Some(StatusDasar::Hidup));
    let (_, events) = w.store.village_history(v).await.unwrap();
    let kinds: Vec<Peristiwa> = events
        .iter()
        .filter(|e| e.resident_id == id)
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            Peristiwa::PindahMasuk,
            Peristiwa::PindahKeluar,
            Peristiwa::PindahMasuk
        ]
    );
}

#[tokio::test]
async fn splitting_and_changing_heads_keep_one_head_per_card() {
    let w = world().await;
    let v = w.villages[0];
    let access = authorize(&w.db, &operator(v), v).await.unwrap();
    let card = a_family(&w, v).await;
    let head = card
        .members
        .iter()
        .find(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup)
        .unwrap();
    let other = card
        .members
        .iter()
        .find(|m| m.id != head.id && m.status == StatusDasar::Hidup)
        .unwrap();
    // Without a head for the new card: refused.
    let bad = SplitForm {
        family: NewFamilyForm {
            no_kk: "3310011011250009".into(),
            alamat: "X".into(),
            dusun: "KRAJAN".into(),
            rw: "1".into(),
            rt: "1".into(),
        },
        members: vec![(other.id, "4".into())],
        kepala_baru_lama: None,
    };
    assert!(
        events::split_family(
            &w.db,
            w.clock.as_ref(),
            &access,
            card.family.id,
            &Split::try_from(&bad).unwrap()
        )
        .await
        .is_err()
    );
    // A relationship that is no code is refused where the form is read.
    let unknown = SplitForm {
        members: vec![(other.id, "kakak".into())],
        ..bad.clone()
    };
    assert!(
        Split::try_from(&unknown)
            .unwrap_err()
            .0
            .contains_key("anggota")
    );
    // Someone who is not a member of this card is refused, naming the field.
    let stranger = SplitForm {
        members: vec![(Uuid::from_u128(7), "1".into())],
        ..bad.clone()
    };
    match events::split_family(
        &w.db,
        w.clock.as_ref(),
        &access,
        card.family.id,
        &Split::try_from(&stranger).unwrap(),
    )
    .await
    {
        Err(ServiceError::Form(e)) => assert!(e.0.contains_key("anggota")),
        other => panic!("expected a field error, got {other:?}"),
    }
    let good = SplitForm {
        members: vec![(other.id, "1".into())],
        ..bad
    };
    let new_id = events::split_family(
        &w.db,
        w.clock.as_ref(),
        &access,
        card.family.id,
        &Split::try_from(&good).unwrap(),
    )
    .await
    .unwrap();
    let new_card = w.store.family_card(v, new_id).await.unwrap().unwrap();
    assert_eq!(new_card.members.len(), 1);
    assert_eq!(new_card.members[0].relationship, Shdk::KepalaKeluarga);
    // Head change in the old card.
    let old = w
        .store
        .family_card(v, card.family.id)
        .await
        .unwrap()
        .unwrap();
    if let Some(next) = old
        .members
        .iter()
        .find(|m| m.id != head.id && m.status == StatusDasar::Hidup)
    {
        events::change_head(
            &w.db,
            w.clock.as_ref(),
            &access,
            card.family.id,
            next.id,
            events::parse_old_head_becomes("7").unwrap(),
        )
        .await
        .unwrap();
        let after = w.store.resident(v, head.id).await.unwrap().unwrap();
        assert_eq!(after.relationship, Shdk::Orangtua);
    }
}

#[tokio::test]
async fn corrections_need_a_reason_and_keep_before_and_after() {
    let w = world().await;
    let v = w.villages[0];
    let access = authorize(&w.db, &operator(v), v).await.unwrap();
    let page = registry::list(
        &w.db,
        w.clock.as_ref(),
        &access,
        &ResidentFilter {
            status: Some(StatusDasar::Hidup),
            ..Default::default()
        },
        1,
    )
    .await
    .unwrap();
    let r = w
        .store
        .resident(v, page.items[0].id)
        .await
        .unwrap()
        .unwrap();
    let mut form = ResidentForm::from_resident(&r);
    form.pekerjaan = "65".into();
    let err = correct_form(&w, &access, r.id, &form, "")
        .await
        .unwrap_err();
    assert!(matches!(&err, ServiceError::Form(e) if e.0.contains_key("alasan")));
    form.nama = String::new();
    let err = correct_form(&w, &access, r.id, &form, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ServiceError::Form(e) if e.0.contains_key("alasan") && e.0.contains_key("nama")),
        "every field error at once"
    );
    form.nama = r.name.to_string();
    correct_form(&w, &access, r.id, &form, "salah ketik pekerjaan")
        .await
        .unwrap();
    let changes = w.store.changes_for(v, r.id).await.unwrap();
    let last = changes.last().unwrap();
    assert_eq!(last.action, "update");
    assert_eq!(
        last.after.as_ref().unwrap()["reason"],
        "perbaikan data: salah ketik pekerjaan"
    );
    assert_eq!(last.after.as_ref().unwrap()["row"]["occupation"], 65);
    // A village head may read but not correct.
    let head = authorize(
        &w.db,
        &Staff {
            role: Role::VillageHead,
            ..operator(v)
        },
        v,
    )
    .await
    .unwrap();
    assert!(matches!(
        correct_form(&w, &head, r.id, &form, "apa saja").await,
        Err(ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn login_locks_out_after_five_failures_whatever_the_cookies() {
    let w = world().await;
    let clock = w.clock.as_ref();
    assert_eq!(
        login(&w.db, clock, "nobody", "x", "", ip("10.0.0.1"))
            .await
            .unwrap()
            .unwrap_err(),
        LoginRefused::BadCredentials
    );
    let user = "admin.klaten";
    for _ in 0..4 {
        assert_eq!(
            login(&w.db, clock, user, "wrong", "", ip("10.0.0.2"))
                .await
                .unwrap()
                .unwrap_err(),
            LoginRefused::BadCredentials
        );
    }
    assert!(matches!(
        login(&w.db, clock, user, "wrong", "", ip("10.0.0.2"))
            .await
            .unwrap(),
        Err(LoginRefused::LockedOut(_))
    ));
    // Even the right password, from another address, is refused while locked.
    assert!(matches!(
        login(
            &w.db,
            clock,
            user,
            balai_services::demo::DEMO_PASSWORD,
            "",
            ip("10.0.0.3")
        )
        .await
        .unwrap(),
        Err(LoginRefused::LockedOut(_))
    ));
    // Fifteen minutes later it works, and the session resolves to the account.
    let later = FixedClock(NOW + time::Duration::minutes(16));
    let ok = login(
        &w.db,
        &later,
        user,
        balai_services::demo::DEMO_PASSWORD,
        "",
        ip("10.0.0.3"),
    )
    .await
    .unwrap()
    .unwrap();
    let live = session(&w.db, &later, &ok.token).await.unwrap().unwrap();
    let (staff, csrf) = (live.staff, live.csrf);
    assert_eq!(staff.role, Role::RegencyAdmin);
    assert_eq!(csrf.len(), 43);
    assert!(
        session(
            &w.db,
            &FixedClock(NOW + time::Duration::hours(13)),
            &ok.token
        )
        .await
        .unwrap()
        .is_none(),
        "sessions expire"
    );
}

fn ip(a: &str) -> balai_services::login_throttle::Client {
    balai_services::login_throttle::Client::Address(a.parse().unwrap())
}

/// What the web edge does with the departure form (these tests post
/// well-formed fields; malformed ones are `Departure`'s own tests).
fn departure(form: &DepartureForm) -> Departure {
    Departure::try_from(form).expect("a well-formed departure form")
}

#[test]
fn a_malformed_departure_form_names_every_field() {
    let e = Departure::try_from(&DepartureForm {
        peristiwa: "1".into(),
        tanggal: "kemarin".into(),
        kepala_baru: "bukan-uuid".into(),
        ..Default::default()
    })
    .unwrap_err();
    for field in ["peristiwa", "tanggal", "kepala_baru"] {
        assert!(e.0.contains_key(field), "{field}: {e}");
    }
}

/// What the web edge does with the correction form: parse it with its
/// reason (a malformed field is a form error), then correct.
async fn correct_form(
    w: &World,
    access: &balai_services::staff::VillageAccess,
    id: uuid::Uuid,
    form: &ResidentForm,
    reason: &str,
) -> Result<(), ServiceError> {
    let today = balai_services::registry::today(w.clock.as_ref(), access.village());
    let c = events::Correction::parse(form, reason, today)?;
    events::correct(&w.db, w.clock.as_ref(), access, id, &c).await
}

/// What the web edge does with the birth form (these tests post
/// well-formed fields).
fn birth(w: &World, form: &BirthForm) -> events::Birth {
    let today = balai_services::registry::today(w.clock.as_ref(), w.villages[0]);
    events::Birth::parse(form, today).expect("a well-formed birth form")
}

fn move_in(w: &World, form: &MoveInForm) -> events::MoveIn {
    let today = balai_services::registry::today(w.clock.as_ref(), w.villages[0]);
    events::MoveIn::parse(form, today).expect("a well-formed move-in form")
}

#[test]
fn a_malformed_move_in_form_names_every_field_and_needs_a_family() {
    let today = time::macros::date!(2026 - 11 - 22);
    let e = events::MoveIn::parse(
        &MoveInForm {
            tanggal: "besok".into(),
            keluarga_id: "bukan-uuid".into(),
            ..Default::default()
        },
        today,
    )
    .unwrap_err();
    for field in ["nama", "tanggal", "keluarga_id"] {
        assert!(e.0.contains_key(field), "{field}: {e:?}");
    }
    // No family chosen and no new card filled in: the card's fields are named.
    let e = events::MoveIn::parse(&MoveInForm::default(), today).unwrap_err();
    assert!(e.0.contains_key("no_kk"), "{e:?}");
}
