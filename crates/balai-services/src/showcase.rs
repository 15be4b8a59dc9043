//! The village website's showcase (issue 12): local products (produk
//! unggulan, UMKM, BUMDes) and tourism spots, with photos.
//!
//! Who may do what is the news' rule: the village's own staff (a
//! [`VillageAccess`]) read drafts; its operator and administrator write
//! (`site::require_editor`). The public sees published items only: a
//! draft, a deleted item, an unknown slug and another village's item are
//! all "not found". A seller's WhatsApp number is the one piece of contact
//! published, because the village enters it for buyers to use.
//!
//! Photos go through `site_images::prepare` (decoded under limits, turned
//! upright, scaled, re-encoded without EXIF), as news photos do.

use balai_domain::KodeWilayah;
use balai_domain::showcase::{
    ClockTime, Coordinates, OpeningHours, Price, ProductCategory, Rupiah, ShowcaseKind,
    TicketPrices, WEEKDAYS, WhatsApp,
};
use balai_domain::site::{Publication, Slug};
/// The stored shapes the pages show.
pub use balai_store::{Product, ProductContent, ShowcaseImage, TourismContent, TourismSpot};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::site::{MAX_TITLE_CHARS, require_editor};
use crate::staff::VillageAccess;

/// Longest seller or location, in characters.
pub const MAX_FIELD_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Most photos one item keeps.
pub const MAX_PHOTOS: usize = 8;
/// How many items a public list shows.
pub const LIST_LIMIT: i64 = 200;

/// `site::text` (trimmed, within its length) that also refuses control
/// characters other than line breaks and tabs (a NUL cannot be stored as
/// PostgreSQL text, and none belongs in a product's name).
fn text(e: &mut FieldErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let v = crate::site::text(e, field, value, min, max);
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        e.add(field, "berisi karakter kendali yang tidak diizinkan");
    }
    v
}

/// Puts the field's name in front of its message, so the message alone
/// says which field is wrong.
fn label(e: &mut FieldErrors, field: &str, label: &str) {
    if let Some(m) = e.0.get_mut(field)
        && !m.starts_with(label)
    {
        *m = format!("{label}: {m}");
    }
}

fn slug_of(e: &mut FieldErrors, typed: &str, name: &str) -> Option<Slug> {
    let typed = typed.trim();
    if typed.is_empty() {
        let s = Slug::from_title(name);
        if s.is_none() && !name.is_empty() {
            e.add(
                "slug",
                "Alamat: tulis alamat halaman (huruf kecil, angka dan tanda -)",
            );
        }
        s
    } else {
        let s = Slug::parse(typed).ok();
        if s.is_none() {
            e.add(
                "slug",
                "Alamat: hanya huruf kecil, angka dan tanda - (paling panjang 80)",
            );
        }
        s
    }
}

fn rupiah_of(e: &mut FieldErrors, field: &str, label: &str, typed: &str) -> Option<Rupiah> {
    match Rupiah::parse(typed) {
        Ok(r) => Some(r),
        Err(balai_domain::showcase::NotRupiah::TooLarge) => {
            e.add(field, format!("{label}: terlalu besar"));
            None
        }
        Err(_) => {
            e.add(
                field,
                format!("{label}: tulis angka rupiah tanpa sen, misalnya 15000 atau 15.000"),
            );
            None
        }
    }
}

fn slug_conflict(err: balai_store::StoreError) -> ServiceError {
    match err {
        balai_store::StoreError::Conflict(m) if m == balai_store::SLUG_TAKEN => {
            let mut e = FieldErrors::default();
            e.add("slug", "Alamat: sudah dipakai halaman lain");
            ServiceError::Form(e)
        }
        balai_store::StoreError::NotFound(_) => ServiceError::NotFound,
        other => other.into(),
    }
}

fn not_found(err: balai_store::StoreError) -> ServiceError {
    match err {
        balai_store::StoreError::NotFound(_) => ServiceError::NotFound,
        other => other.into(),
    }
}

// ---------------------------------------------------------------- products

/// The staff's product form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ProductForm {
    /// Name.
    pub nama: String,
    /// Slug ('' to take it from the name).
    pub slug: String,
    /// `unggulan`, `umkm` or `bumdes`.
    pub kategori: String,
    /// Description.
    pub uraian: String,
    /// Price in rupiah.
    pub harga: String,
    /// `1`: "ask the seller" instead of a price.
    pub hubungi: String,
    /// Seller.
    pub penjual: String,
    /// The seller's WhatsApp ('' for none).
    pub whatsapp: String,
}

impl ProductForm {
    /// The form filled with a stored product.
    pub fn of(c: &ProductContent) -> Self {
        Self {
            nama: c.name.clone(),
            slug: c.slug.to_string(),
            kategori: c.category.form_value().into(),
            uraian: c.description.clone(),
            harga: match c.price {
                Price::Fixed(r) => r.get().to_string(),
                Price::AskSeller => String::new(),
            },
            hubungi: if c.price == Price::AskSeller {
                "1".into()
            } else {
                String::new()
            },
            penjual: c.seller.clone(),
            whatsapp: c.whatsapp.as_ref().map(WhatsApp::local).unwrap_or_default(),
        }
    }
}

/// A product, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteProduct(pub ProductContent);

impl TryFrom<&ProductForm> for WriteProduct {
    type Error = FieldErrors;
    /// Every problem at once, each under its field and naming it.
    fn try_from(f: &ProductForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text(&mut e, "nama", &f.nama, 3, MAX_TITLE_CHARS);
        label(&mut e, "nama", "Nama produk");
        let slug = slug_of(&mut e, &f.slug, &name);
        let category = ProductCategory::from_form(&f.kategori);
        if category.is_none() {
            e.add(
                "kategori",
                "Kategori: pilih produk unggulan, UMKM atau BUMDes",
            );
        }
        let description = text(&mut e, "uraian", &f.uraian, 0, MAX_DESCRIPTION_CHARS);
        label(&mut e, "uraian", "Uraian");
        let price = if f.hubungi == "1" {
            Some(Price::AskSeller)
        } else if f.harga.trim().is_empty() {
            e.add(
                "harga",
                "Harga: isi harga dalam rupiah, atau centang \"harga hubungi penjual\"",
            );
            None
        } else {
            rupiah_of(&mut e, "harga", "Harga", &f.harga).map(Price::Fixed)
        };
        let seller = text(&mut e, "penjual", &f.penjual, 2, MAX_FIELD_CHARS);
        label(&mut e, "penjual", "Penjual");
        let whatsapp = if f.whatsapp.trim().is_empty() {
            Some(None)
        } else {
            match WhatsApp::parse(&f.whatsapp) {
                Ok(w) => Some(Some(w)),
                Err(_) => {
                    e.add(
                        "whatsapp",
                        "Nomor WhatsApp: bukan nomor HP Indonesia (mis. 0812-3456-7890 atau +62 812 3456 7890)",
                    );
                    None
                }
            }
        };
        match (slug, category, price, whatsapp) {
            (Some(slug), Some(category), Some(price), Some(whatsapp)) if e.is_empty() => {
                Ok(Self(ProductContent {
                    slug,
                    name,
                    description,
                    category,
                    price,
                    seller,
                    whatsapp,
                }))
            }
            _ => Err(e),
        }
    }
}

/// Writes a new draft product; returns its id.
pub async fn create_product(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    p: &WriteProduct,
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    let id = crate::registry::events::new_row_id(clock);
    db.store()
        .create_product(&access.context(clock), access.village(), id, &p.0)
        .await
        .map_err(slug_conflict)?;
    Ok(id)
}

/// Rewrites a product.
pub async fn update_product(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    p: &WriteProduct,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .update_product(&access.context(clock), access.village(), id, &p.0)
        .await
        .map_err(slug_conflict)
}

/// Every live product of the village, drafts included, newest first.
pub async fn staff_products(db: &Db, access: &VillageAccess) -> Result<Vec<Product>, ServiceError> {
    Ok(db.store().products(access.village(), false, 1000).await?)
}

/// One live product of the village, draft or not.
pub async fn staff_product(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<Product, ServiceError> {
    db.store()
        .product(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The village's published products, newest first (at most `limit`).
pub async fn public_products(
    db: &Db,
    village: KodeWilayah,
    limit: i64,
) -> Result<Vec<Product>, ServiceError> {
    Ok(db.store().products(village, true, limit).await?)
}

/// A published product by its slug; drafts, deleted, malformed and
/// unknown slugs are all "not found".
pub async fn public_product(
    db: &Db,
    village: KodeWilayah,
    slug: &str,
) -> Result<Product, ServiceError> {
    let slug = Slug::parse(slug).map_err(|_| ServiceError::NotFound)?;
    db.store()
        .product_by_slug(village, &slug)
        .await?
        .filter(|p| p.publication.is_public())
        .ok_or(ServiceError::NotFound)
}

// ---------------------------------------------------------------- tourism

/// The staff's tourism form as typed. The open days come as repeated
/// `hari` fields (`sen` … `min`), which a form decoder into this struct
/// cannot collect: the web edge fills [`TourismForm::hari`] itself.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct TourismForm {
    /// Name.
    pub nama: String,
    /// Slug ('' to take it from the name).
    pub slug: String,
    /// Description.
    pub uraian: String,
    /// Where (address, directions).
    pub lokasi: String,
    /// Latitude ('' with `bujur` '' for none).
    pub lintang: String,
    /// Longitude.
    pub bujur: String,
    /// Open days (`sen` … `min`).
    #[serde(skip_deserializing)]
    pub hari: Vec<String>,
    /// Opening time, `HH:MM` ('' with `tutup` '' and no days: not stated).
    pub buka: String,
    /// Closing time.
    pub tutup: String,
    /// An adult's ticket, rupiah ('' or 0: free).
    pub tiket_dewasa: String,
    /// A child's ticket.
    pub tiket_anak: String,
}

impl TourismForm {
    /// The form filled with a stored spot.
    pub fn of(c: &TourismContent) -> Self {
        let (hari, buka, tutup) = match c.hours {
            Some(h) => (
                WEEKDAYS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| h.on(*i))
                    .map(|(_, d)| (*d).to_string())
                    .collect(),
                h.opens().to_string(),
                h.closes().to_string(),
            ),
            None => (Vec::new(), String::new(), String::new()),
        };
        Self {
            nama: c.name.clone(),
            slug: c.slug.to_string(),
            uraian: c.description.clone(),
            lokasi: c.location.clone(),
            lintang: c.coordinates.map(Coordinates::lat).unwrap_or_default(),
            bujur: c.coordinates.map(Coordinates::lon).unwrap_or_default(),
            hari,
            buka,
            tutup,
            tiket_dewasa: c.tickets.adult.get().to_string(),
            tiket_anak: c.tickets.child.get().to_string(),
        }
    }
}

/// A tourism spot, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteTourism(pub TourismContent);

impl TryFrom<&TourismForm> for WriteTourism {
    type Error = FieldErrors;
    /// Every problem at once, each under its field and naming it.
    fn try_from(f: &TourismForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text(&mut e, "nama", &f.nama, 3, MAX_TITLE_CHARS);
        label(&mut e, "nama", "Nama tempat wisata");
        let slug = slug_of(&mut e, &f.slug, &name);
        let description = text(&mut e, "uraian", &f.uraian, 0, MAX_DESCRIPTION_CHARS);
        label(&mut e, "uraian", "Uraian");
        let location = text(&mut e, "lokasi", &f.lokasi, 3, MAX_FIELD_CHARS);
        label(&mut e, "lokasi", "Lokasi");
        let coordinates = match (f.lintang.trim(), f.bujur.trim()) {
            ("", "") => Some(None),
            (lat, lon) => match Coordinates::parse(lat, lon) {
                Ok(c) => Some(Some(c)),
                Err(balai_domain::showcase::BadCoordinates::Latitude) => {
                    e.add(
                        "lintang",
                        "Lintang: angka desimal dari -90 sampai 90 (mis. -7.7056), diisi bersama bujur",
                    );
                    None
                }
                Err(balai_domain::showcase::BadCoordinates::Longitude) => {
                    e.add(
                        "bujur",
                        "Bujur: angka desimal dari -180 sampai 180 (mis. 110.6020), diisi bersama lintang",
                    );
                    None
                }
            },
        };
        let days: Vec<usize> = f
            .hari
            .iter()
            .filter_map(|d| WEEKDAYS.iter().position(|w| w == d))
            .collect();
        let hours = if days.is_empty() && f.buka.trim().is_empty() && f.tutup.trim().is_empty() {
            Some(None)
        } else {
            let opens = ClockTime::parse(&f.buka);
            if opens.is_none() {
                e.add("buka", "Jam buka: tulis jam:menit, mis. 08:00");
            }
            let closes = ClockTime::parse(&f.tutup);
            if closes.is_none() {
                e.add("tutup", "Jam tutup: tulis jam:menit, mis. 17:00");
            }
            match (opens, closes) {
                (Some(o), Some(c)) => match OpeningHours::new(days, o, c) {
                    Ok(h) => Some(Some(h)),
                    Err(balai_domain::showcase::BadHours::NoDays) => {
                        e.add("hari", "Hari buka: pilih paling sedikit satu hari");
                        None
                    }
                    Err(balai_domain::showcase::BadHours::ClosesFirst) => {
                        e.add("tutup", "Jam tutup: harus sesudah jam buka");
                        None
                    }
                },
                _ => None,
            }
        };
        let ticket = |e: &mut FieldErrors, field: &str, label: &str, typed: &str| {
            if typed.trim().is_empty() {
                Some(Rupiah::ZERO)
            } else {
                rupiah_of(e, field, label, typed)
            }
        };
        let adult = ticket(&mut e, "tiket_dewasa", "Tiket dewasa", &f.tiket_dewasa);
        let child = ticket(&mut e, "tiket_anak", "Tiket anak", &f.tiket_anak);
        match (slug, coordinates, hours, adult, child) {
            (Some(slug), Some(coordinates), Some(hours), Some(adult), Some(child))
                if e.is_empty() =>
            {
                Ok(Self(TourismContent {
                    slug,
                    name,
                    description,
                    location,
                    coordinates,
                    hours,
                    tickets: TicketPrices { adult, child },
                }))
            }
            _ => Err(e),
        }
    }
}

/// Writes a new draft tourism spot; returns its id.
pub async fn create_tourism(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    t: &WriteTourism,
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    let id = crate::registry::events::new_row_id(clock);
    db.store()
        .create_tourism_spot(&access.context(clock), access.village(), id, &t.0)
        .await
        .map_err(slug_conflict)?;
    Ok(id)
}

/// Rewrites a tourism spot.
pub async fn update_tourism(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    id: Uuid,
    t: &WriteTourism,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .update_tourism_spot(&access.context(clock), access.village(), id, &t.0)
        .await
        .map_err(slug_conflict)
}

/// Every live tourism spot of the village, drafts included.
pub async fn staff_tourism(
    db: &Db,
    access: &VillageAccess,
) -> Result<Vec<TourismSpot>, ServiceError> {
    Ok(db
        .store()
        .tourism_spots(access.village(), false, 1000)
        .await?)
}

/// One live tourism spot of the village, draft or not.
pub async fn staff_tourism_spot(
    db: &Db,
    access: &VillageAccess,
    id: Uuid,
) -> Result<TourismSpot, ServiceError> {
    db.store()
        .tourism_spot(access.village(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The village's published tourism spots (at most `limit`).
pub async fn public_tourism(
    db: &Db,
    village: KodeWilayah,
    limit: i64,
) -> Result<Vec<TourismSpot>, ServiceError> {
    Ok(db.store().tourism_spots(village, true, limit).await?)
}

/// A published tourism spot by its slug; anything else is "not found".
pub async fn public_tourism_spot(
    db: &Db,
    village: KodeWilayah,
    slug: &str,
) -> Result<TourismSpot, ServiceError> {
    let slug = Slug::parse(slug).map_err(|_| ServiceError::NotFound)?;
    db.store()
        .tourism_spot_by_slug(village, &slug)
        .await?
        .filter(|t| t.publication.is_public())
        .ok_or(ServiceError::NotFound)
}

// ---------------------------------------------------------------- both

/// Publishes or withdraws a product or tourism spot.
pub async fn set_publication(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    kind: ShowcaseKind,
    id: Uuid,
    to: Publication,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .set_showcase_publication(&access.context(clock), access.village(), kind, id, to)
        .await
        .map_err(not_found)
}

/// Deletes a product or tourism spot from the site (the row is kept for
/// the change feed, never shown again; its address is free for reuse).
pub async fn remove(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    kind: ShowcaseKind,
    id: Uuid,
) -> Result<(), ServiceError> {
    require_editor(access)?;
    db.store()
        .remove_showcase_item(&access.context(clock), access.village(), kind, id)
        .await
        .map_err(not_found)
}

/// Adds a photo to a live item of the village (its editors only), scaled
/// and re-encoded without metadata; returns its id.
pub async fn add_photo(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    kind: ShowcaseKind,
    item_id: Uuid,
    upload: &[u8],
) -> Result<Uuid, ServiceError> {
    require_editor(access)?;
    let store = db.store();
    let have = store
        .showcase_images(access.village(), kind, Some(item_id), false)
        .await?;
    if have.len() >= MAX_PHOTOS {
        let mut e = FieldErrors::default();
        e.add(
            "gambar",
            format!("Foto: paling banyak {MAX_PHOTOS} foto untuk satu halaman"),
        );
        return Err(ServiceError::Form(e));
    }
    let photo = crate::site_images::prepare(upload).map_err(|mut e| {
        if let Some(m) = e.0.get_mut("gambar") {
            *m = format!("Foto: {m}");
        }
        ServiceError::Form(e)
    })?;
    let id = crate::registry::events::new_row_id(clock);
    store
        .add_showcase_image(
            &access.context(clock),
            access.village(),
            kind,
            item_id,
            id,
            photo.width,
            photo.height,
            &photo.jpeg,
        )
        .await
        .map_err(not_found)?;
    Ok(id)
}

/// The photos of a live item of the village (staff).
pub async fn photos(
    db: &Db,
    access: &VillageAccess,
    kind: ShowcaseKind,
    item_id: Uuid,
) -> Result<Vec<ShowcaseImage>, ServiceError> {
    Ok(db
        .store()
        .showcase_images(access.village(), kind, Some(item_id), false)
        .await?)
}

/// The photos of the village's published items of `kind` (for the public
/// pages: an item's first photo is its picture in lists).
pub async fn public_photos(
    db: &Db,
    village: KodeWilayah,
    kind: ShowcaseKind,
    item_id: Option<Uuid>,
) -> Result<Vec<ShowcaseImage>, ServiceError> {
    Ok(db
        .store()
        .showcase_images(village, kind, item_id, true)
        .await?)
}

/// A photo's JPEG for the public: only while its item is published.
pub async fn public_photo(
    db: &Db,
    village: KodeWilayah,
    kind: ShowcaseKind,
    id: Uuid,
) -> Result<Vec<u8>, ServiceError> {
    db.store()
        .showcase_image(village, kind, id, true)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A photo's JPEG for the village's staff (drafts too).
pub async fn staff_photo(
    db: &Db,
    access: &VillageAccess,
    kind: ShowcaseKind,
    id: Uuid,
) -> Result<Vec<u8>, ServiceError> {
    db.store()
        .showcase_image(access.village(), kind, id, false)
        .await?
        .ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product_form() -> ProductForm {
        ProductForm {
            nama: "Keripik Tempe Bu Sri".into(),
            kategori: "umkm".into(),
            harga: "Rp 15.000".into(),
            penjual: "UMKM Sri Rejeki".into(),
            whatsapp: "0812-3456-7890".into(),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_product_form_becomes_a_typed_product() {
        let p = WriteProduct::try_from(&product_form()).unwrap().0;
        assert_eq!(p.slug.as_str(), "keripik-tempe-bu-sri");
        assert_eq!(p.category, ProductCategory::Umkm);
        assert_eq!(p.price, Price::Fixed(Rupiah::new(15_000).unwrap()));
        assert_eq!(
            p.whatsapp.as_ref().unwrap().link(),
            "https://wa.me/6281234567890"
        );
        let ask = WriteProduct::try_from(&ProductForm {
            harga: String::new(),
            hubungi: "1".into(),
            whatsapp: String::new(),
            ..product_form()
        })
        .unwrap()
        .0;
        assert_eq!((ask.price, ask.whatsapp), (Price::AskSeller, None));
        // Read back into the form, it gives the same product.
        let again = WriteProduct::try_from(&ProductForm::of(&p)).unwrap().0;
        assert_eq!(again, p);
    }

    #[test]
    fn every_bad_product_field_is_named_at_once() {
        let e = WriteProduct::try_from(&ProductForm {
            nama: "x".into(),
            slug: "Bad Slug".into(),
            kategori: "lain".into(),
            harga: "-5000".into(),
            penjual: String::new(),
            whatsapp: "0274 123456".into(),
            ..ProductForm::default()
        })
        .unwrap_err();
        for (field, label) in [
            ("nama", "Nama produk"),
            ("slug", "Alamat"),
            ("kategori", "Kategori"),
            ("harga", "Harga"),
            ("penjual", "Penjual"),
            ("whatsapp", "Nomor WhatsApp"),
        ] {
            assert!(e.0[field].starts_with(label), "{field}: {}", e.0[field]);
        }
        let none = WriteProduct::try_from(&ProductForm {
            harga: " ".into(),
            ..product_form()
        })
        .unwrap_err();
        assert!(none.0["harga"].contains("hubungi penjual"));
    }

    fn tourism_form() -> TourismForm {
        TourismForm {
            nama: "Umbul Ponggok".into(),
            uraian: "Kolam mata air.".into(),
            lokasi: "Dusun Ponggok, Polanharjo".into(),
            lintang: "-7.6094".into(),
            bujur: "110.6356".into(),
            hari: vec!["sab".into(), "min".into()],
            buka: "07:00".into(),
            tutup: "17.00".into(),
            tiket_dewasa: "25.000".into(),
            tiket_anak: "".into(),
            ..TourismForm::default()
        }
    }

    #[test]
    fn a_tourism_form_becomes_a_typed_spot() {
        let t = WriteTourism::try_from(&tourism_form()).unwrap().0;
        let h = t.hours.unwrap();
        assert!(h.on(5) && h.on(6) && !h.on(0));
        assert_eq!(t.tickets.adult.get(), 25_000);
        assert!(t.tickets.child.is_zero());
        assert_eq!(t.coordinates.unwrap().lat_micro(), -7_609_400);
        let again = WriteTourism::try_from(&TourismForm::of(&t)).unwrap().0;
        assert_eq!(again, t);
        let plain = WriteTourism::try_from(&TourismForm {
            lintang: String::new(),
            bujur: String::new(),
            hari: vec![],
            buka: String::new(),
            tutup: String::new(),
            tiket_dewasa: String::new(),
            ..tourism_form()
        })
        .unwrap()
        .0;
        assert_eq!((plain.coordinates, plain.hours), (None, None));
        assert!(plain.tickets.is_free());
    }

    #[test]
    fn every_bad_tourism_field_is_named() {
        let e = WriteTourism::try_from(&TourismForm {
            lintang: "95".into(),
            tutup: "06:00".into(),
            tiket_dewasa: "gratis?".into(),
            tiket_anak: "-1".into(),
            ..tourism_form()
        })
        .unwrap_err();
        assert!(e.0["lintang"].starts_with("Lintang"));
        assert!(e.0["tutup"].starts_with("Jam tutup"));
        assert!(e.0["tiket_dewasa"].starts_with("Tiket dewasa"));
        assert!(e.0["tiket_anak"].starts_with("Tiket anak"));
        let e = WriteTourism::try_from(&TourismForm {
            bujur: "200".into(),
            hari: vec![],
            lokasi: String::new(),
            ..tourism_form()
        })
        .unwrap_err();
        assert!(e.0["bujur"].starts_with("Bujur"));
        assert!(e.0["hari"].starts_with("Hari buka"));
        assert!(e.0["lokasi"].starts_with("Lokasi"));
    }
}
