//! Photos for village news (issue 12): a staff member uploads a JPEG, PNG or
//! WebP; it is decoded under size limits (a forged header cannot make us
//! allocate gigabytes), turned upright by its EXIF orientation, scaled down
//! to at most [`MAX_WIDTH`] pixels across and re-encoded as JPEG. Re-encoding
//! from pixels keeps no metadata: GPS position, camera and owner in a
//! phone's EXIF never reach the public site.

use std::io::Cursor;

use balai_domain::KodeWilayah;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::registry::field_errors::FieldErrors;
use crate::staff::VillageAccess;

/// The stored shape of a photo as listed.
pub use balai_store::NewsImage;

/// Largest upload, in bytes.
pub const MAX_UPLOAD: usize = 10 << 20;
/// Widest stored photo, in pixels (a phone screen twice over).
pub const MAX_WIDTH: u32 = 1200;
/// Largest picture decoded, in pixels each way.
const MAX_SIDE: u32 = 10_000;
/// JPEG quality of stored photos.
const QUALITY: u8 = 80;

/// A photo ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedImage {
    /// The JPEG.
    pub jpeg: Vec<u8>,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
}

fn refuse(message: &str) -> FieldErrors {
    let mut e = FieldErrors::default();
    e.add("gambar", message);
    e
}

/// Decodes, turns upright, scales down and re-encodes an upload.
pub fn prepare(bytes: &[u8]) -> Result<PreparedImage, FieldErrors> {
    if bytes.is_empty() {
        return Err(refuse("pilih berkas foto"));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(refuse("foto terlalu besar (paling besar 10 MB)"));
    }
    let not_a_photo = || refuse("bukan foto JPEG, PNG atau WebP yang dapat dibaca");
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_a_photo())?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(not_a_photo());
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 << 20);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| not_a_photo())?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| not_a_photo())?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width() > MAX_WIDTH {
        img = img.resize(MAX_WIDTH, u32::MAX, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let mut jpeg = Vec::new();
    rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg, QUALITY,
    ))
    .map_err(|_| not_a_photo())?;
    Ok(PreparedImage {
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

/// Adds a photo to a post of the village (its editors only); returns its id.
pub async fn add(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    post_id: Uuid,
    upload: &[u8],
) -> Result<Uuid, ServiceError> {
    if !crate::site::may_edit(access) {
        return Err(ServiceError::Forbidden(
            "hanya operator atau administrator desa ini yang dapat mengubah situs desa".into(),
        ));
    }
    let photo = prepare(upload).map_err(ServiceError::Form)?;
    let id = crate::registry::events::new_row_id(clock);
    match db
        .store()
        .add_news_image(
            &access.context(clock),
            access.village(),
            post_id,
            id,
            photo.width,
            photo.height,
            &photo.jpeg,
        )
        .await
    {
        Err(balai_store::StoreError::NotFound(_)) => Err(ServiceError::NotFound),
        other => other.map(|()| id).map_err(Into::into),
    }
}

/// The photos of a post of the village.
pub async fn list(
    db: &Db,
    access: &VillageAccess,
    post_id: Uuid,
) -> Result<Vec<NewsImage>, ServiceError> {
    Ok(db.store().news_images(access.village(), post_id).await?)
}

/// A photo's JPEG for the public: only while its post is published.
pub async fn public(db: &Db, village: KodeWilayah, id: Uuid) -> Result<Vec<u8>, ServiceError> {
    db.store()
        .published_news_image(village, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A JPEG with an EXIF segment carrying a recognisable marker.
    fn jpeg_with_exif() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut plain))
            .unwrap();
        // APP1 "Exif\0\0" + a little-endian TIFF header with no entries,
        // then the marker text (what a GPS tag would be, for the test).
        let mut payload = b"Exif\0\0II*\0\x08\0\0\0\0\0".to_vec();
        payload.extend_from_slice(b"GPS-SECRET-LOCATION");
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn a_large_photo_is_scaled_down_and_re_encoded_as_jpeg() {
        let p = prepare(&png(2400, 600)).unwrap();
        assert_eq!((p.width, p.height), (1200, 300));
        assert_eq!(&p.jpeg[..2], &[0xFF, 0xD8], "a JPEG");
        let small = prepare(&png(300, 200)).unwrap();
        assert_eq!((small.width, small.height), (300, 200), "never enlarged");
    }

    #[test]
    fn exif_metadata_does_not_survive() {
        let upload = jpeg_with_exif();
        assert!(upload.windows(19).any(|w| w == b"GPS-SECRET-LOCATION"));
        let p = prepare(&upload).unwrap();
        assert!(!p.jpeg.windows(19).any(|w| w == b"GPS-SECRET-LOCATION"));
        assert!(!p.jpeg.windows(4).any(|w| w == b"Exif"));
        assert_eq!((p.width, p.height), (40, 30));
    }

    #[test]
    fn what_is_not_a_readable_photo_is_refused_without_decoding_it() {
        for bad in [
            Vec::new(),
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            png(10, 10)[..40].to_vec(),
        ] {
            assert!(prepare(&bad).unwrap_err().0.contains_key("gambar"));
        }
        // A PNG header claiming 60,000 × 60,000 pixels: refused by the
        // limits before any pixel memory is taken.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert!(prepare(&bomb).is_err());
    }
}
