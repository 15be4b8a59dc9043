//! Life events with their particulars (F-2.01 births and deaths, F-1.03
//! moves) through the use cases, on the backend `BALAI_TEST_BACKEND` names:
//! what is recorded reads back, people are linked by NIK, a move's
//! classification is derived, bad input names its field and writes
//! nothing, and the letters print the record instead of asking again.

mod common;

use std::sync::Arc;

use balai_domain::codes::{
    AlasanPindah, KlasifikasiPindah, PenerangKematian, PenolongKelahiran, Peristiwa, SebabKematian,
    Shdk, StatusDasar, TempatDilahirkan,
};
use balai_domain::particulars::Particulars;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, Resident};
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::{self, LetterForm};
use balai_services::registry::events::{
    self, Birth, BirthForm, Departure, DepartureForm, MoveIn, MoveInForm,
};
use balai_services::registry::particulars::{
    BirthParticularsForm, DepartureParticularsForm, MoveInParticularsForm,
};
use balai_services::registry::resident_form::ResidentForm;
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{ServiceError, registry};
use balai_store::{FamilyCard, Store, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

/// 10:00 in the village (UTC+7).
const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

struct World {
    store: Store,
    db: balai_services::Db,
    clock: Arc<FixedClock>,
    village: KodeWilayah,
    access: VillageAccess,
}

async fn world() -> World {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 7,
            villages: 1,
            residents_per_village: 200,
        },
    )
    .await
    .unwrap();
    let village = demo.villages[0].village.kode;
    let staff = Staff {
        account_id: Uuid::nil(),
        username: "op".into(),
        display_name: "Op".into(),
        role: Role::VillageOperator,
        scope: village,
        assigned: vec![],
    };
    let access = authorize(&db, &staff, village).await.unwrap();
    World {
        store,
        db,
        clock: Arc::new(FixedClock(NOW)),
        village,
        access,
    }
}

/// Families whose head is alive with at least `n` living members.
async fn families(w: &World, n: usize) -> Vec<FamilyCard> {
    let (all, _) = w.store.village_population(w.village).await.unwrap();
    let mut out = Vec::new();
    for f in all {
        let card = w.store.family_card(w.village, f.id).await.unwrap().unwrap();
        let living = card
            .members
            .iter()
            .filter(|m| m.status == StatusDasar::Hidup)
            .count();
        let head_alive = card
            .members
            .iter()
            .any(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup);
        if living >= n && head_alive {
            out.push(card);
        }
    }
    assert!(!out.is_empty(), "no family of {n}");
    out
}

fn living(card: &FamilyCard) -> Vec<&Resident> {
    card.members
        .iter()
        .filter(|m| m.status == StatusDasar::Hidup)
        .collect()
}

fn field_error(r: Result<impl std::fmt::Debug, ServiceError>, field: &str) -> String {
    match r {
        Err(ServiceError::Form(e)) => {
            e.0.get(field)
                .cloned()
                .unwrap_or_else(|| panic!("no error for {field}: {e:?}"))
        }
        other => panic!("expected a form error on {field}, got {other:?}"),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

async fn letter_text(w: &World, kind: &str, r: &Resident) -> String {
    let form = LetterForm {
        jenis: kind.into(),
        nik: r.number.to_string(),
        keperluan: "Mengurus akta di Dukcapil".into(),
        penandatangan: "an".into(),
        an_nama: "Siti Aminah".into(),
        an_jabatan: "Sekretaris Desa".into(),
        ..Default::default()
    };
    let letter = letters::IssueLetter::try_from(&form).unwrap();
    let issued = letters::issue(
        &w.db,
        w.clock.as_ref(),
        common::renderer(),
        &w.access,
        &letter,
        URL,
    )
    .await
    .unwrap();
    let (_, pdf) = letters::letter_pdf(&w.db, w.clock.as_ref(), &w.access, issued.id)
        .await
        .unwrap();
    // typst may break lines anywhere between words: compare words.
    pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn depart(w: &World, who: Uuid, form: &DepartureForm) -> Result<(), ServiceError> {
    let d = Departure::try_from(form).map_err(ServiceError::Form)?;
    events::record_departure(&w.db, w.clock.as_ref(), &w.access, who, &d).await
}

#[tokio::test]
async fn a_death_keeps_its_particulars_and_the_certificate_prints_them() {
    let w = world().await;
    let cards = families(&w, 2).await;
    let card = &cards[0];
    let person = living(card)
        .into_iter()
        .find(|m| m.relationship != Shdk::KepalaKeluarga)
        .unwrap()
        .clone();
    // The reporter is a resident typed by NIK alone: linked, name from the registry.
    let reporter = living(&cards[1])[0].clone();
    let reporter_nik = reporter.number.nik().unwrap().to_string();
    let form = DepartureForm {
        peristiwa: "2".into(),
        tanggal: "2026-11-20".into(),
        particulars: DepartureParticularsForm {
            jam: "04:30".into(),
            tempat: "RSUD Bagas Waras".into(),
            sebab: "1".into(),
            penerang: "1".into(),
            pelapor_nik: reporter_nik.clone(),
            saksi1_nik: "3310014101800001".into(),
            saksi1_nama: "Sri Lestari".into(),
            // Typed for a move out: not read for a death.
            kode_tujuan: "not a code".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    depart(&w, person.id, &form).await.unwrap();
    let events = w.store.events_of(w.village, person.id).await.unwrap();
    let death = events.iter().find(|e| e.kind == Peristiwa::Mati).unwrap();
    let Some(Particulars::Death(d)) = &death.particulars else {
        panic!("{:?}", death.particulars)
    };
    assert_eq!(d.time.unwrap().to_string(), "04:30");
    assert_eq!(d.place.as_ref().unwrap().as_str(), "RSUD BAGAS WARAS");
    assert_eq!(d.cause, Some(SebabKematian::SakitBiasaTua));
    assert_eq!(d.determined_by, Some(PenerangKematian::Dokter));
    let rep = d.reporter.as_ref().unwrap();
    assert_eq!(rep.resident_id, Some(reporter.id));
    assert_eq!(rep.name, reporter.name);
    assert_eq!(d.witnesses.len(), 1);
    assert_eq!(d.witnesses[0].name.as_str(), "Sri Lestari");
    assert_eq!(d.witnesses[0].resident_id, None);
    // The history shows them, resolved.
    let history = registry::event_history(&w.db, w.clock.as_ref(), &w.access, person.id)
        .await
        .unwrap();
    assert!(history.iter().any(|h| h.event.particulars.is_some()));

    // The certificate asks nothing: date, time, place, cause and who
    // determined it come from the record.
    let text = letter_text(&w, "kematian", &person).await;
    for expected in [
        "20 November 2026",
        "04:30",
        "RSUD BAGAS WARAS",
        "SAKIT BIASA/TUA",
        "DOKTER",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
}

#[tokio::test]
async fn a_family_moves_out_together_and_the_classification_is_derived() {
    let w = world().await;
    let card = families(&w, 3).await.swap_remove(0);
    let members = living(&card);
    let head = members
        .iter()
        .find(|m| m.relationship == Shdk::KepalaKeluarga)
        .unwrap();
    let others: Vec<String> = members
        .iter()
        .filter(|m| m.id != head.id)
        .map(|m| m.id.to_string())
        .collect();
    // Sukoharjo, another regency of Jawa Tengah.
    let form = DepartureForm {
        peristiwa: "3".into(),
        tanggal: "2026-11-21".into(),
        particulars: DepartureParticularsForm {
            alamat_tujuan: "Jl. Veteran 12".into(),
            kode_tujuan: "33.11.01.2001".into(),
            alasan: "1".into(),
            ikut: others.clone(),
            ..Default::default()
        },
        ..Default::default()
    };
    // Everyone leaves: no successor is needed.
    depart(&w, head.id, &form).await.unwrap();
    let after = w
        .store
        .family_card(w.village, card.family.id)
        .await
        .unwrap()
        .unwrap();
    for m in &members {
        let now = after.members.iter().find(|x| x.id == m.id).unwrap();
        assert_eq!(now.status, StatusDasar::Pindah, "{}", m.name);
        let events = w.store.events_of(w.village, m.id).await.unwrap();
        let out = events.last().unwrap();
        assert_eq!(out.kind, Peristiwa::PindahKeluar);
        let Some(Particulars::MoveOut(p)) = &out.particulars else {
            panic!("{:?}", out.particulars)
        };
        assert_eq!(p.destination.unwrap().plain(), "3311012001");
        assert_eq!(p.reason, Some(AlasanPindah::Pekerjaan));
        assert_eq!(p.movers.len(), members.len() - 1);
        assert!(!p.movers.contains(&m.id));
        assert_eq!(
            p.classification(w.village),
            Some(KlasifikasiPindah::AntarKabupaten)
        );
    }
    let history = registry::event_history(&w.db, w.clock.as_ref(), &w.access, head.id)
        .await
        .unwrap();
    let moved = history.last().unwrap();
    assert_eq!(
        moved.region.as_deref(),
        Some("DESA GROGOL, KECAMATAN WERU, KABUPATEN SUKOHARJO, JAWA TENGAH")
    );
    assert_eq!(moved.names.len(), members.len() - 1);

    // The move-out letter prints the recorded destination.
    let text = letter_text(&w, "pindah", head).await;
    for expected in [
        "JL. VETERAN 12",
        "DESA GROGOL",
        "ANTAR KABUPATEN/KOTA",
        "PEKERJAAN",
        "21 November 2026",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
}

#[tokio::test]
async fn a_head_moving_out_with_some_members_needs_a_successor_among_those_staying() {
    let w = world().await;
    let card = families(&w, 3).await.swap_remove(0);
    let members = living(&card);
    let head = members
        .iter()
        .find(|m| m.relationship == Shdk::KepalaKeluarga)
        .unwrap();
    let rest: Vec<&&Resident> = members.iter().filter(|m| m.id != head.id).collect();
    let (along, stays) = (rest[0], rest[1]);
    let mut form = DepartureForm {
        peristiwa: "3".into(),
        tanggal: "2026-11-21".into(),
        // The one moving along cannot be the successor.
        kepala_baru: along.id.to_string(),
        particulars: DepartureParticularsForm {
            kode_tujuan: "3310012002".into(),
            ikut: vec![along.id.to_string()],
            ..Default::default()
        },
    };
    let before = w.store.change_count().await.unwrap();
    assert_eq!(
        field_error(depart(&w, head.id, &form).await, "kepala_baru"),
        "err-new-head-not-member"
    );
    form.kepala_baru = String::new();
    assert_eq!(
        field_error(depart(&w, head.id, &form).await, "kepala_baru"),
        "err-new-head-required"
    );
    // Someone of another family cannot move along.
    let stranger = families(&w, 2)
        .await
        .into_iter()
        .find(|c| c.family.id != card.family.id)
        .unwrap();
    let mut bad = form.clone();
    bad.kepala_baru = stays.id.to_string();
    bad.particulars.ikut = vec![living(&stranger)[0].id.to_string()];
    assert_eq!(
        field_error(depart(&w, head.id, &bad).await, "ikut"),
        "err-mover-not-member"
    );
    assert_eq!(
        w.store.change_count().await.unwrap(),
        before,
        "refusals write nothing"
    );
    form.kepala_baru = stays.id.to_string();
    depart(&w, head.id, &form).await.unwrap();
    let after = w
        .store
        .family_card(w.village, card.family.id)
        .await
        .unwrap()
        .unwrap();
    let now = |id: Uuid| after.members.iter().find(|x| x.id == id).unwrap().clone();
    assert_eq!(now(head.id).status, StatusDasar::Pindah);
    assert_eq!(now(along.id).status, StatusDasar::Pindah);
    assert_eq!(now(stays.id).relationship, Shdk::KepalaKeluarga);
    assert_eq!(now(stays.id).status, StatusDasar::Hidup);
    // A move to another village of the same district.
    let events = w.store.events_of(w.village, along.id).await.unwrap();
    let Some(Particulars::MoveOut(p)) = &events.last().unwrap().particulars else {
        panic!()
    };
    assert_eq!(p.movers, vec![head.id]);
    assert_eq!(
        p.classification(w.village),
        Some(if w.village.plain() == "3310012002" {
            KlasifikasiPindah::DalamSatuDesa
        } else {
            KlasifikasiPindah::AntarDesa
        })
    );
}

#[tokio::test]
async fn bad_particulars_are_refused_naming_the_field_and_write_nothing() {
    let w = world().await;
    let card = families(&w, 2).await.swap_remove(0);
    let person = living(&card)
        .into_iter()
        .find(|m| m.relationship != Shdk::KepalaKeluarga)
        .unwrap()
        .clone();
    let before = w.store.change_count().await.unwrap();
    let out = |kode: &str| DepartureForm {
        peristiwa: "3".into(),
        tanggal: "2026-11-21".into(),
        particulars: DepartureParticularsForm {
            kode_tujuan: kode.into(),
            ..Default::default()
        },
        ..Default::default()
    };
    // Well formed but not a region of the list.
    assert_eq!(
        field_error(
            depart(&w, person.id, &out("3310012999")).await,
            "kode_tujuan"
        ),
        "err-destination-unknown"
    );
    assert_eq!(
        field_error(depart(&w, person.id, &out("33.10")).await, "kode_tujuan"),
        "err-destination-level"
    );
    assert_eq!(
        field_error(depart(&w, person.id, &out("3310-01")).await, "kode_tujuan"),
        "err-destination-code"
    );
    // A date in the future, a time that has not come yet today, a time that is no time.
    let death = |tanggal: &str, jam: &str| DepartureForm {
        peristiwa: "2".into(),
        tanggal: tanggal.into(),
        particulars: DepartureParticularsForm {
            jam: jam.into(),
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(
        field_error(
            depart(&w, person.id, &death("2026-11-23", "")).await,
            "tanggal"
        ),
        "err-date-future"
    );
    assert_eq!(
        field_error(
            depart(&w, person.id, &death("2026-11-22", "11:00")).await,
            "jam"
        ),
        "err-time-future"
    );
    assert_eq!(
        field_error(
            depart(&w, person.id, &death("2026-11-22", "25:00")).await,
            "jam"
        ),
        "err-time"
    );
    // A witness whose NIK is not the village's needs a name.
    let mut witness = death("2026-11-22", "09:15");
    witness.particulars.saksi2_nik = "3310014101800001".into();
    assert_eq!(
        field_error(depart(&w, person.id, &witness).await, "saksi2_nama"),
        "err-name-required"
    );
    // A move in from a code that is not a region.
    let form = MoveInForm {
        person: ResidentForm {
            nama: "Budi Santoso".into(),
            sex: "1".into(),
            tempat_lahir: "SOLO".into(),
            tanggal_lahir: "1990-01-01".into(),
            agama: "1".into(),
            pendidikan: "5".into(),
            pekerjaan: "88".into(),
            status_kawin: "1".into(),
            hubungan: "1".into(),
            ..Default::default()
        },
        tanggal: "2026-11-20".into(),
        keluarga_baru: events::NewFamilyForm {
            no_kk: "3310012011200009".into(),
            alamat: "Jl. Baru 1".into(),
            dusun: "KRAJAN".into(),
            rw: "1".into(),
            rt: "1".into(),
        },
        asal: MoveInParticularsForm {
            alamat_asal: "Jl. Slamet Riyadi 5".into(),
            kode_asal: "3372012999".into(),
            alasan_pindah: "6".into(),
        },
        ..Default::default()
    };
    let today = registry::today(w.clock.as_ref(), w.access.village());
    let cmd = MoveIn::parse(&form, today).unwrap();
    assert_eq!(
        field_error(
            events::record_move_in(&w.db, w.clock.as_ref(), &w.access, &cmd).await,
            "kode_asal"
        ),
        "err-origin-unknown"
    );
    assert_eq!(
        w.store.change_count().await.unwrap(),
        before,
        "refusals write nothing"
    );
    // From a real village of Karangasem (Bali): recorded with the origin.
    let mut good = form.clone();
    good.asal.kode_asal = "5107012001".into();
    let cmd = MoveIn::parse(&good, today).unwrap();
    let id = events::record_move_in(&w.db, w.clock.as_ref(), &w.access, &cmd)
        .await
        .unwrap();
    let events = w.store.events_of(w.village, id).await.unwrap();
    let Some(Particulars::MoveIn(p)) = &events[0].particulars else {
        panic!("{:?}", events[0].particulars)
    };
    assert_eq!(p.origin.unwrap().plain(), "5107012001");
    assert_eq!(p.address.as_ref().unwrap().as_str(), "JL. SLAMET RIYADI 5");
    assert_eq!(p.reason, Some(AlasanPindah::Keluarga));
    assert_eq!(
        p.classification(w.village),
        Some(KlasifikasiPindah::AntarProvinsi)
    );
}

fn child(particulars: BirthParticularsForm) -> BirthForm {
    BirthForm {
        child: ResidentForm {
            nama: "Bayi Laki".into(),
            sex: "1".into(),
            tempat_lahir: "KLATEN".into(),
            tanggal_lahir: "2026-11-21".into(),
            agama: "1".into(),
            pendidikan: "1".into(),
            pekerjaan: "1".into(),
            status_kawin: "1".into(),
            hubungan: "4".into(),
            ..Default::default()
        },
        particulars,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_birth_keeps_its_particulars_and_links_a_parent_by_nik() {
    let w = world().await;
    let cards = families(&w, 2).await;
    let (card, other) = (&cards[0], &cards[1]);
    // The mother lives on another card of the village: typed by NIK.
    let mother = living(other)
        .into_iter()
        .find(|m| m.sex == balai_domain::codes::Sex::Perempuan && m.number.nik().is_some())
        .expect("a woman with a NIK")
        .clone();
    let today = registry::today(w.clock.as_ref(), w.access.village());
    let good = BirthParticularsForm {
        jam_lahir: "07:45".into(),
        tempat_dilahirkan: "2".into(),
        nama_tempat_lahir: "Puskesmas Prambanan".into(),
        penolong: "2".into(),
        berat: "3.150".into(),
        panjang: "49".into(),
        anak_ke: "2".into(),
    };
    // Out of range: each field named, nothing written.
    let bad = BirthParticularsForm {
        berat: "7500".into(),
        panjang: "90".into(),
        jam_lahir: "7 pagi".into(),
        ..good.clone()
    };
    let e = Birth::parse(&child(bad), today).unwrap_err();
    assert_eq!(e.0["berat"], "err-birth-weight");
    assert_eq!(e.0["panjang"], "err-birth-length");
    assert_eq!(e.0["jam_lahir"], "err-time");
    let mut form = child(good);
    form.child.nik_ibu = mother.number.nik().unwrap().to_string();
    let birth = Birth::parse(&form, today).unwrap();
    let id = events::record_birth(&w.db, w.clock.as_ref(), &w.access, card.family.id, &birth)
        .await
        .unwrap();
    let baby = w.store.resident(w.village, id).await.unwrap().unwrap();
    assert_eq!(
        baby.mother_name,
        mother.name.to_string(),
        "filled from the registry"
    );
    let events = w.store.events_of(w.village, id).await.unwrap();
    let Some(Particulars::Birth(b)) = &events[0].particulars else {
        panic!("{:?}", events[0].particulars)
    };
    assert_eq!(b.time.unwrap().to_string(), "07:45");
    assert_eq!(b.place_kind, Some(TempatDilahirkan::Puskesmas));
    assert_eq!(b.attendant, Some(PenolongKelahiran::BidanPerawat));
    assert_eq!(b.weight.unwrap().get(), 3150);
    assert_eq!(b.length.unwrap().get(), 49);
    assert_eq!(b.order.unwrap().get(), 2);
    assert_eq!(b.mother, Some(mother.id));
    assert_eq!(b.father, None);
    let history = registry::event_history(&w.db, w.clock.as_ref(), &w.access, id)
        .await
        .unwrap();
    assert_eq!(
        history[0].names.get(&mother.id),
        Some(&mother.name.to_string())
    );
}
