//! The village website's showcase through the services: products and
//! tourism spots stay private until published, a deleted one is gone for
//! everyone and frees its address, only the village's operator or
//! administrator writes, photos are served with their item only, and
//! everything travels in the change feed (a replay rebuilds it exactly).
//! Runs on the backend `BALAI_TEST_BACKEND` names.

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use balai_domain::showcase::{Price, ProductCategory, ShowcaseKind};
use balai_domain::site::Publication;
use balai_services::clock::FixedClock;
use balai_services::feed;
use balai_services::generate::{GenerateOptions, generate};
use balai_services::regions::{self, RegionsSource};
use balai_services::showcase::{self, ProductForm, TourismForm, WriteProduct, WriteTourism};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{Db, ServiceError, WriteContext};
use time::macros::{date, datetime};
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

fn staff(role: Role, scope: KodeWilayah) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: "staf".into(),
        display_name: "Staf".into(),
        role,
        scope,
        assigned: vec![],
    }
}

async fn villages() -> (Db, Vec<KodeWilayah>) {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store);
    let report = generate(
        &db,
        &WriteContext::new("system:test", NOW),
        GenerateOptions {
            within: KodeWilayah::parse("33.10").unwrap(),
            villages: 2,
            residents_per_village: 10,
            seed: 7,
            as_of: date!(2026 - 11 - 01),
        },
        |_, _, _| {},
    )
    .await
    .unwrap();
    (db, report.villages)
}

async fn access(db: &Db, role: Role, v: KodeWilayah) -> VillageAccess {
    authorize(db, &staff(role, v), v).await.unwrap()
}

fn product(name: &str, slug: &str) -> WriteProduct {
    WriteProduct::try_from(&ProductForm {
        nama: name.into(),
        slug: slug.into(),
        kategori: "bumdes".into(),
        uraian: "Beras organik dari sawah desa.".into(),
        harga: "Rp 65.000".into(),
        penjual: "BUMDes Makmur".into(),
        whatsapp: "+62 812-1111-2222".into(),
        ..ProductForm::default()
    })
    .unwrap()
}

fn spot(name: &str) -> WriteTourism {
    WriteTourism::try_from(&TourismForm {
        nama: name.into(),
        uraian: "Mata air jernih.".into(),
        lokasi: "Dusun Krajan".into(),
        lintang: "-7.61".into(),
        bujur: "110.63".into(),
        hari: vec!["sen".into(), "sab".into(), "min".into()],
        buka: "07:00".into(),
        tutup: "17:00".into(),
        tiket_dewasa: "10.000".into(),
        tiket_anak: "5000".into(),
        ..TourismForm::default()
    })
    .unwrap()
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([1, 2, 3]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[tokio::test]
async fn a_product_is_seen_by_staff_only_until_published_and_gone_once_deleted() {
    let (db, villages) = villages().await;
    let (v, other) = (villages[0], villages[1]);
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let id = showcase::create_product(&db, &clock, &op, &product("Beras Organik", ""))
        .await
        .unwrap();
    let stored = showcase::staff_product(&db, &op, id).await.unwrap();
    assert_eq!(stored.content.slug.as_str(), "beras-organik");
    assert_eq!(stored.content.category, ProductCategory::Bumdes);
    assert_eq!(
        stored.content.price,
        Price::Fixed(balai_domain::showcase::Rupiah::new(65_000).unwrap())
    );
    assert_eq!(
        stored.content.whatsapp.as_ref().unwrap().as_str(),
        "6281211112222"
    );
    assert!(matches!(
        showcase::public_product(&db, v, "beras-organik").await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        showcase::public_products(&db, v, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // The same address twice in a village: a field error; another village may.
    match showcase::create_product(&db, &clock, &op, &product("Lain", "beras-organik")).await {
        Err(ServiceError::Form(e)) => assert!(e.0["slug"].starts_with("Alamat")),
        other => panic!("expected a slug error, got {other:?}"),
    }
    let op_other = access(&db, Role::VillageOperator, other).await;
    showcase::create_product(&db, &clock, &op_other, &product("Beras", "beras-organik"))
        .await
        .unwrap();

    showcase::set_publication(
        &db,
        &clock,
        &op,
        ShowcaseKind::Product,
        id,
        Publication::Published,
    )
    .await
    .unwrap();
    assert_eq!(
        showcase::public_product(&db, v, "beras-organik")
            .await
            .unwrap()
            .id,
        id
    );
    // Another village's operator cannot reach it, even by id.
    assert!(matches!(
        showcase::staff_product(&db, &op_other, id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        showcase::set_publication(
            &db,
            &clock,
            &op_other,
            ShowcaseKind::Product,
            id,
            Publication::Draft
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        showcase::remove(&db, &clock, &op_other, ShowcaseKind::Product, id).await,
        Err(ServiceError::NotFound)
    ));

    // A photo: the public gets it while the product is published.
    let photo = showcase::add_photo(&db, &clock, &op, ShowcaseKind::Product, id, &png())
        .await
        .unwrap();
    assert_eq!(
        &showcase::public_photo(&db, v, ShowcaseKind::Product, photo)
            .await
            .unwrap()[..2],
        &[0xFF, 0xD8]
    );
    assert!(matches!(
        showcase::public_photo(&db, other, ShowcaseKind::Product, photo).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        showcase::public_photo(&db, v, ShowcaseKind::Tourism, photo).await,
        Err(ServiceError::NotFound)
    ));
    match showcase::add_photo(&db, &clock, &op, ShowcaseKind::Product, id, b"<svg/>").await {
        Err(ServiceError::Form(e)) => assert!(e.0["gambar"].starts_with("Foto")),
        other => panic!("expected a photo error, got {other:?}"),
    }
    showcase::set_publication(
        &db,
        &clock,
        &op,
        ShowcaseKind::Product,
        id,
        Publication::Draft,
    )
    .await
    .unwrap();
    assert!(matches!(
        showcase::public_photo(&db, v, ShowcaseKind::Product, photo).await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        showcase::staff_photo(&db, &op, ShowcaseKind::Product, photo)
            .await
            .is_ok()
    );

    // Deleted: gone for staff and public, and the address is free again.
    showcase::set_publication(
        &db,
        &clock,
        &op,
        ShowcaseKind::Product,
        id,
        Publication::Published,
    )
    .await
    .unwrap();
    showcase::remove(&db, &clock, &op, ShowcaseKind::Product, id)
        .await
        .unwrap();
    assert!(matches!(
        showcase::public_product(&db, v, "beras-organik").await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        showcase::staff_product(&db, &op, id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(showcase::staff_products(&db, &op).await.unwrap().is_empty());
    assert!(matches!(
        showcase::public_photo(&db, v, ShowcaseKind::Product, photo).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        showcase::remove(&db, &clock, &op, ShowcaseKind::Product, id).await,
        Err(ServiceError::NotFound)
    ));
    showcase::create_product(&db, &clock, &op, &product("Beras Organik", ""))
        .await
        .unwrap();
}

#[tokio::test]
async fn only_the_villages_operator_or_administrator_writes_the_showcase() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let tid = showcase::create_tourism(&db, &clock, &op, &spot("Umbul Sari"))
        .await
        .unwrap();
    let admin = access(&db, Role::VillageAdmin, v).await;
    showcase::set_publication(
        &db,
        &clock,
        &admin,
        ShowcaseKind::Tourism,
        tid,
        Publication::Published,
    )
    .await
    .unwrap();
    for role in [Role::VillageHead, Role::VillageOfficial] {
        let a = access(&db, role, v).await;
        assert!(!balai_services::site::may_edit(&a));
        assert_eq!(
            showcase::staff_tourism(&db, &a).await.unwrap().len(),
            1,
            "{role:?} reads"
        );
        assert!(matches!(
            showcase::create_tourism(&db, &clock, &a, &spot("Lain")).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            showcase::update_tourism(&db, &clock, &a, tid, &spot("Lain")).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            showcase::set_publication(
                &db,
                &clock,
                &a,
                ShowcaseKind::Tourism,
                tid,
                Publication::Draft
            )
            .await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            showcase::remove(&db, &clock, &a, ShowcaseKind::Tourism, tid).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            showcase::add_photo(&db, &clock, &a, ShowcaseKind::Tourism, tid, &png()).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    let seen = showcase::public_tourism_spot(&db, v, "umbul-sari")
        .await
        .unwrap();
    assert_eq!(seen.content.tickets.adult.get(), 10_000);
    assert!(seen.content.hours.unwrap().on(6));
    // The regency administrator and facilitators never get a village access
    // to its editor at all.
    for role in [Role::RegencyAdmin, Role::Facilitator] {
        let regency = v.ancestor(balai_domain::RegionLevel::Regency).unwrap();
        assert!(authorize(&db, &staff(role, regency), v).await.is_err());
    }
}

#[tokio::test]
async fn the_showcase_travels_in_the_change_feed() {
    let (db, villages) = villages().await;
    let v = villages[0];
    let clock = FixedClock(NOW);
    let op = access(&db, Role::VillageOperator, v).await;
    let pid = showcase::create_product(&db, &clock, &op, &product("Beras Organik", ""))
        .await
        .unwrap();
    let tid = showcase::create_tourism(&db, &clock, &op, &spot("Umbul Sari"))
        .await
        .unwrap();
    showcase::add_photo(&db, &clock, &op, ShowcaseKind::Product, pid, &png())
        .await
        .unwrap();
    let tphoto = showcase::add_photo(&db, &clock, &op, ShowcaseKind::Tourism, tid, &png())
        .await
        .unwrap();
    showcase::set_publication(
        &db,
        &clock,
        &op,
        ShowcaseKind::Tourism,
        tid,
        Publication::Published,
    )
    .await
    .unwrap();
    let gone = showcase::create_product(&db, &clock, &op, &product("Gula Aren", ""))
        .await
        .unwrap();
    showcase::remove(&db, &clock, &op, ShowcaseKind::Product, gone)
        .await
        .unwrap();

    let feed_here = feed::authorize(&db, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    let entries = feed::changes_after(&db, &feed_here, 0, 10_000)
        .await
        .unwrap();
    for table in [
        feed::Table::Product,
        feed::Table::TourismSpot,
        feed::Table::ProductImage,
        feed::Table::TourismImage,
    ] {
        assert!(
            entries
                .iter()
                .flat_map(|e| e.payload.iter())
                .flat_map(|p| p.rows.iter())
                .any(|r| r.table == table),
            "{table:?}"
        );
    }
    let target = Db::from_store(balai_store::testing::test_store().await);
    regions::import(
        &target,
        &WriteContext::new("system:test", NOW),
        RegionsSource::Builtin,
    )
    .await
    .unwrap();
    feed::replay(&target, &entries).await.unwrap();
    let feed_there = feed::authorize(&target, &staff(Role::VillageOperator, v), v)
        .await
        .unwrap();
    assert_eq!(
        feed::content_hash(&target, &feed_there).await.unwrap(),
        feed::content_hash(&db, &feed_here).await.unwrap()
    );
    assert_eq!(
        showcase::public_tourism_spot(&target, v, "umbul-sari")
            .await
            .unwrap()
            .id,
        tid
    );
    assert_eq!(
        showcase::public_photo(&target, v, ShowcaseKind::Tourism, tphoto)
            .await
            .unwrap(),
        showcase::public_photo(&db, v, ShowcaseKind::Tourism, tphoto)
            .await
            .unwrap()
    );
    let op_there = access(&target, Role::VillageOperator, v).await;
    let products = showcase::staff_products(&target, &op_there).await.unwrap();
    assert_eq!(products.len(), 1, "the deleted product stays deleted");
}
