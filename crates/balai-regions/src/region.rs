//! One entry of the region list.

use balai_domain::KodeWilayah;

/// A province, regency, district or village with its reference facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The Kemendagri code; its level says what kind of region this is.
    pub kode: KodeWilayah,
    /// Official name, e.g. `Kabupaten Klaten` or `Gergunung`.
    pub name: String,
    /// Postal code (villages only).
    pub postal_code: Option<String>,
    /// Latitude of the region's centre or seat.
    pub latitude: Option<f64>,
    /// Longitude of the region's centre or seat.
    pub longitude: Option<f64>,
    /// Area in km² (provinces and regencies).
    pub area_km2: Option<f64>,
    /// Population (provinces and regencies).
    pub population: Option<u64>,
}
