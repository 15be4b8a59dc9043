//! The village's letter settings: every bad field is reported and nothing
//! is stored; good settings shape the next letter (paper, number format,
//! the village's own template); only the village's operators may save.

mod common;

use std::sync::Arc;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::role::Role;
use balai_letters::{PublicKey, default_template};
use balai_services::ServiceError;
use balai_services::clock::FixedClock;
use balai_services::demo::{DemoOptions, seed};
use balai_services::letters::settings::{self, SettingsForm};
use balai_services::letters::{self, LetterForm};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_store::{Store, WriteContext};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
const URL: &str = "https://desa.example";

fn staff(v: KodeWilayah, role: Role) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "petugas".into(),
        display_name: "Petugas".into(),
        role,
        scope: v,
        assigned: vec![],
    }
}

struct Village {
    store: Store,
    db: balai_services::Db,
    clock: Arc<FixedClock>,
    access: VillageAccess,
    nik: String,
}

async fn village() -> Village {
    let store = balai_store::testing::test_store().await;
    let db = balai_services::Db::from_store(store.clone());
    let ctx = WriteContext::new("system:test", NOW);
    let demo = seed(
        &db,
        &ctx,
        DemoOptions {
            seed: 4,
            villages: 1,
            residents_per_village: 60,
        },
    )
    .await
    .unwrap();
    let v = demo.villages[0].village.kode;
    let access = authorize(&db, &staff(v, Role::VillageOperator), v)
        .await
        .unwrap();
    let (_, residents) = store.village_population(v).await.unwrap();
    let nik = residents
        .iter()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    Village {
        db,
        store,
        clock: Arc::new(FixedClock(NOW)),
        access,
        nik,
    }
}

async fn current_form(t: &Village) -> SettingsForm {
    settings::view(&t.db, t.clock.as_ref(), &t.access)
        .await
        .unwrap()
        .form
}

async fn issue(t: &Village) -> (balai_store::LetterRecord, Vec<u8>) {
    let mut form = LetterForm {
        jenis: "domisili".into(),
        nik: t.nik.clone(),
        keperluan: "Melamar pekerjaan".into(),
        penandatangan: "kades".into(),
        ..Default::default()
    };
    form.extras
        .insert("alamat_domisili".into(), "Dusun Krajan".into());
    // In the head's name: the operator sends it to the head's queue, the
    // head reads it and signs it there.
    let v = t.access.village();
    let head = authorize(&t.db, &staff(v, Role::VillageHead), v)
        .await
        .unwrap();
    let letter = letters::IssueLetter::try_from(form).unwrap();
    let sent = letters::requests::send_to_head(&t.db, t.clock.as_ref(), &t.access, &letter.content)
        .await
        .unwrap();
    letters::requests::review(&t.db, t.clock.as_ref(), &head, sent.id)
        .await
        .unwrap();
    let signed = letters::requests::act(
        &t.db,
        t.clock.as_ref(),
        common::renderer(),
        &head,
        sent.id,
        &letters::requests::Step::Sign,
        URL,
    )
    .await
    .unwrap();
    let l = t
        .store
        .letter(v, signed.letter_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    let pdf = t
        .store
        .letter_pdf(t.access.village(), l.id)
        .await
        .unwrap()
        .unwrap();
    (l, pdf)
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

/// The first page's MediaBox in millimetres.
fn page_mm(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = doc.get_pages()[&1];
    let b = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect::<Vec<_>>();
    let mm = |p: f32| p / 72.0 * 25.4;
    (mm(b[2] - b[0]), mm(b[3] - b[1]))
}

fn errors_of(r: Result<(), ServiceError>) -> std::collections::BTreeMap<String, String> {
    match r {
        Err(ServiceError::Form(e)) => e.0,
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn every_bad_field_is_reported_at_once_and_nothing_is_stored() {
    let t = village().await;
    let before = t
        .store
        .village_profile(t.access.village())
        .await
        .unwrap()
        .unwrap();
    let mut form = current_form(&t).await;
    form.alamat = "  ".into();
    form.kades_nip = "12345".into();
    form.format_nomor = "{kode}/{nomer}/{tahun}".into();
    form.kertas = "A5".into();
    form.logo_svg = "<html><body>bukan logo</body></html>".into();
    form.templat = default_template().replace("Nomor: #d.number", "Nomor: #d.nomor");
    let e = errors_of(
        settings::save(
            &t.db,
            t.clock.as_ref(),
            common::renderer(),
            &t.access,
            &form,
        )
        .await,
    );
    for field in [
        "alamat",
        "kades_nip",
        "format_nomor",
        "kertas",
        "logo_svg",
        "templat",
    ] {
        assert!(e.contains_key(field), "{field} not reported: {e:?}");
    }
    assert!(
        e["format_nomor"].contains("{nomer}"),
        "{}",
        e["format_nomor"]
    );
    // The template error says where, in the operator's terms.
    let line = default_template()
        .lines()
        .position(|l| l.contains("Nomor: #d.number"))
        .unwrap()
        + 1;
    assert!(
        e["templat"].contains(&format!("baris {line}, kolom")),
        "{}",
        e["templat"]
    );
    assert_eq!(
        t.store
            .village_profile(t.access.village())
            .await
            .unwrap()
            .unwrap(),
        before,
        "nothing stored"
    );
    // A format that would repeat numbers across kinds, a template that does
    // not print the number, and an SVG typst cannot read.
    let mut form = current_form(&t).await;
    form.format_nomor = "{nomor:3}/{desa}/{tahun}".into();
    form.templat = default_template().replace("Nomor: #d.number", "Nomor: -");
    form.logo_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect".into();
    let e = errors_of(
        settings::save(
            &t.db,
            t.clock.as_ref(),
            common::renderer(),
            &t.access,
            &form,
        )
        .await,
    );
    assert!(e["format_nomor"].contains("{kode}"), "{e:?}");
    assert!(e["templat"].contains("number"), "{e:?}");
    assert!(e["logo_svg"].contains("SVG"), "{e:?}");
}

#[tokio::test]
async fn f4_paper_a_new_number_format_and_the_village_template_shape_the_next_letter() {
    let t = village().await;
    let mut form = current_form(&t).await;
    assert_eq!(
        form.templat,
        default_template(),
        "the default is the starting point"
    );
    form.kertas = "F4".into();
    form.format_nomor = "{kode}/{nomor:4}/{tahun}".into();
    form.kades_nama = "Suparno".into();
    form.kades_nip = "19700101 199001 1 001".into();
    form.unduh_warga = "ya".into();
    // Browsers send text areas with CRLF line endings.
    form.templat = default_template()
        .replace(
            "#par(d.closing)",
            "#par(d.closing)\n#par[Dibuat dengan templat Desa Mandiri]",
        )
        .replace('\n', "\r\n");
    settings::save(
        &t.db,
        t.clock.as_ref(),
        common::renderer(),
        &t.access,
        &form,
    )
    .await
    .unwrap();
    let profile = t
        .store
        .village_profile(t.access.village())
        .await
        .unwrap()
        .unwrap();
    assert!(profile.allow_download);
    assert_eq!(profile.head_nip.as_deref(), Some("197001011990011001"));
    assert!(
        profile
            .template
            .as_deref()
            .is_some_and(|s| !s.contains('\r'))
    );

    let (letter, pdf) = issue(&t).await;
    assert_eq!(letter.number, "474.4/0001/2026");
    let (w, h) = page_mm(&pdf);
    assert!(
        (w - 215.0).abs() < 0.5 && (h - 330.0).abs() < 0.5,
        "{w} × {h} mm"
    );
    let text = pdf_text(&pdf);
    for needle in [
        "Dibuat dengan templat Desa Mandiri",
        "SUPARNO",
        "NIP. 197001011990011001",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let key = PublicKey::from_base64(&profile.public_key).unwrap();
    balai_letters::verify_pdf(&pdf, &key).unwrap();

    // The preview uses the same template.
    let view = settings::view(&t.db, t.clock.as_ref(), &t.access)
        .await
        .unwrap();
    assert!(view.template_overridden);
    assert_eq!(view.example_number.as_deref(), Some("474.4/0001/2026"));

    // Back to the default: the marker is gone, the key is the same.
    let mut reset = view.form;
    reset.aksi = "bawaan".into();
    settings::save(
        &t.db,
        t.clock.as_ref(),
        common::renderer(),
        &t.access,
        &reset,
    )
    .await
    .unwrap();
    let after = t
        .store
        .village_profile(t.access.village())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.template, None);
    assert_eq!(
        after.signing_key, profile.signing_key,
        "saving keeps the key"
    );
    let (_, pdf) = issue(&t).await;
    assert!(!pdf_text(&pdf).contains("Desa Mandiri"));
}

#[tokio::test]
async fn only_the_villages_operators_may_save() {
    let t = village().await;
    let v = t.access.village();
    let before = t.store.village_profile(v).await.unwrap().unwrap();
    let mut form = current_form(&t).await;
    form.alamat = "Jl. Baru No. 2".into();
    // The regency administrator does not reach a village's settings at all.
    let regency = KodeWilayah::parse(&v.plain()[..4]).unwrap();
    assert!(matches!(
        authorize(&t.db, &staff(regency, Role::RegencyAdmin), v).await,
        Err(ServiceError::NotFound)
    ));
    for role in [Role::VillageHead] {
        let access = authorize(&t.db, &staff(v, role), v).await.unwrap();
        // They may look…
        let view = settings::view(&t.db, t.clock.as_ref(), &access)
            .await
            .unwrap();
        assert_eq!(view.form.alamat, before.address);
        // …but not change.
        assert!(matches!(
            settings::save(&t.db, t.clock.as_ref(), common::renderer(), &access, &form).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    assert_eq!(t.store.village_profile(v).await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn a_template_that_runs_too_long_is_stopped_in_its_worker_refused_and_not_saved() {
    let t = village().await;
    let v = t.access.village();
    let before = t.store.village_profile(v).await.unwrap().unwrap();
    let mut form = current_form(&t).await;
    // Compiles, but would keep the CPU busy for a very long time.
    form.templat = format!(
        "#let n = 0\n#for i in range(100000) {{ for j in range(100000) {{ n += 1 }} }}\n{}",
        balai_letters::default_template()
    );
    let renderer = common::tagged_renderer("settings-loop");
    let watch = common::WorkerWatch::start("settings-loop");
    let started = std::time::Instant::now();
    let errors =
        errors_of(settings::save(&t.db, t.clock.as_ref(), &renderer, &t.access, &form).await);
    let took = started.elapsed();
    assert_eq!(watch.finish(), 1, "the template ran in one worker process");
    assert!(
        took < letters::RenderWorker::DEFAULT_WALL + std::time::Duration::from_secs(2),
        "{took:?}"
    );
    assert!(errors["templat"].contains("dihentikan"), "{errors:?}");
    assert!(
        common::worker_children("settings-loop").is_empty(),
        "the worker was killed and reaped: it burns no more CPU"
    );
    assert_eq!(t.store.village_profile(v).await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn a_template_that_allocates_without_end_is_stopped_at_its_memory_limit() {
    let t = village().await;
    let mut form = current_form(&t).await;
    // Billions of array elements: far past the worker's address space.
    form.templat = format!(
        "#let big = range(400000000).map(i => (i, i))\n{}",
        balai_letters::default_template()
    );
    let renderer = common::tagged_renderer("settings-memory");
    let errors =
        errors_of(settings::save(&t.db, t.clock.as_ref(), &renderer, &t.access, &form).await);
    assert!(errors["templat"].contains("memori"), "{errors:?}");
    assert!(common::worker_children("settings-memory").is_empty());
}
