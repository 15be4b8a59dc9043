//! The village website's showcase (issue 12): local products (produk
//! unggulan, UMKM, BUMDes) with a price and the seller's WhatsApp, and
//! tourism spots with opening hours, ticket prices and a place on the map.
//! Every value here is made only by parsing what staff typed; the stored
//! forms (`code`, `from_code`, `micro`) read back exactly.

use std::fmt;

/// Which part of the showcase an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShowcaseKind {
    /// Local products.
    Product,
    /// Tourism spots.
    Tourism,
}

/// What kind of local product it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductCategory {
    /// The village's flagship product (produk unggulan desa).
    Unggulan,
    /// A micro, small or medium enterprise's product (UMKM).
    Umkm,
    /// A product of the village-owned enterprise (BUMDes).
    Bumdes,
}

impl ProductCategory {
    /// Every category, in the order forms offer them.
    pub const ALL: [ProductCategory; 3] = [
        ProductCategory::Unggulan,
        ProductCategory::Umkm,
        ProductCategory::Bumdes,
    ];

    /// The stored code.
    pub fn code(self) -> u8 {
        match self {
            ProductCategory::Unggulan => 1,
            ProductCategory::Umkm => 2,
            ProductCategory::Bumdes => 3,
        }
    }

    /// The category with this stored code.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| i64::from(c.code()) == code)
    }

    /// The value a form sends.
    pub fn form_value(self) -> &'static str {
        match self {
            ProductCategory::Unggulan => "unggulan",
            ProductCategory::Umkm => "umkm",
            ProductCategory::Bumdes => "bumdes",
        }
    }

    /// The category a form's value names.
    pub fn from_form(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.form_value() == value.trim())
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            ProductCategory::Unggulan => "product-cat-unggulan",
            ProductCategory::Umkm => "product-cat-umkm",
            ProductCategory::Bumdes => "product-cat-bumdes",
        }
    }
}

/// Largest amount accepted, in rupiah (a trillion: no village price is near).
pub const MAX_RUPIAH: u64 = 1_000_000_000_000;

/// An amount of money in whole rupiah, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rupiah(u64);

/// Why a typed amount is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotRupiah {
    /// Nothing typed.
    #[error("no amount")]
    Empty,
    /// Letters, a minus sign, decimals or misplaced separators.
    #[error("not a whole, non-negative amount of rupiah")]
    Malformed,
    /// More than [`MAX_RUPIAH`].
    #[error("more than a trillion rupiah")]
    TooLarge,
}

impl Rupiah {
    /// Reads an amount as people write it: `15000`, `15.000`, `Rp 15.000`,
    /// `Rp15.000,-`; dots (or commas) only as thousands separators, every
    /// group after the first exactly three digits.
    pub fn parse(input: &str) -> Result<Self, NotRupiah> {
        let mut s = input.trim();
        if let Some(rest) = s
            .strip_prefix("Rp")
            .or_else(|| s.strip_prefix("rp"))
            .or_else(|| s.strip_prefix("RP"))
        {
            s = rest.trim_start_matches('.').trim();
        }
        let s = s
            .strip_suffix(",-")
            .or_else(|| s.strip_suffix(",00"))
            .unwrap_or(s)
            .trim();
        if s.is_empty() {
            return Err(NotRupiah::Empty);
        }
        let groups: Vec<&str> = s.split(['.', ',']).collect();
        let well_grouped = groups.len() == 1
            || (!groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3));
        if !well_grouped || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
            return Err(NotRupiah::Malformed);
        }
        let digits: String = groups.concat();
        if digits.len() > 13 {
            return Err(NotRupiah::TooLarge);
        }
        let n: u64 = digits.parse().map_err(|_| NotRupiah::Malformed)?;
        Self::new(n)
    }

    /// The amount `n`, if not above [`MAX_RUPIAH`].
    pub fn new(n: u64) -> Result<Self, NotRupiah> {
        if n > MAX_RUPIAH {
            Err(NotRupiah::TooLarge)
        } else {
            Ok(Self(n))
        }
    }

    /// Zero rupiah (free).
    pub const ZERO: Rupiah = Rupiah(0);

    /// Whole rupiah.
    pub fn get(self) -> u64 {
        self.0
    }

    /// Whether it is nothing (free of charge).
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Rupiah {
    /// `Rp15.000`: the Indonesian way, dots between thousands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + 6);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        write!(f, "Rp{out}")
    }
}

/// What a product costs: a price, or "ask the seller" (harga hubungi penjual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Price {
    /// A fixed price.
    Fixed(Rupiah),
    /// The buyer asks the seller.
    AskSeller,
}

impl Price {
    /// The stored value: the amount, or none for "ask the seller".
    pub fn stored(self) -> Option<u64> {
        match self {
            Price::Fixed(r) => Some(r.get()),
            Price::AskSeller => None,
        }
    }

    /// The price a stored value stands for.
    pub fn from_stored(v: Option<i64>) -> Option<Self> {
        match v {
            None => Some(Price::AskSeller),
            Some(n) => Rupiah::new(u64::try_from(n).ok()?).ok().map(Price::Fixed),
        }
    }
}

/// A seller's WhatsApp number: an Indonesian mobile number, kept as
/// `62` and the number without its leading 0 (`6281234567890`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WhatsApp(String);

/// Why a typed number is not an Indonesian mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an Indonesian mobile number (08…, +628… or 628…, 10–13 digits)")]
pub struct NotWhatsApp;

impl WhatsApp {
    /// Reads `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890` or
    /// `(0812) 3456 7890`: spaces, hyphens, dots and brackets are ignored;
    /// after `62` the number starts with 8 and has 9–12 digits.
    pub fn parse(input: &str) -> Result<Self, NotWhatsApp> {
        let s = input.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        {
            return Err(NotWhatsApp);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(NotWhatsApp);
        };
        if national.starts_with('8') && (9..=12).contains(&national.len()) {
            Ok(Self(format!("62{national}")))
        } else {
            Err(NotWhatsApp)
        }
    }

    /// The number as stored: `62…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The chat link: `https://wa.me/62…`.
    pub fn link(&self) -> String {
        format!("https://wa.me/{}", self.0)
    }

    /// The number as people read it: `0812-3456-7890`.
    pub fn local(&self) -> String {
        let national = &self.0[2..];
        let (a, rest) = national.split_at(3);
        let (b, c) = rest.split_at(4.min(rest.len()));
        format!("0{a}-{b}-{c}")
    }
}

impl fmt::Display for WhatsApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A time of day to the minute (opening and closing hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// Reads `08:00`, `8:00` or `08.00` (hours 0–23, minutes 0–59); `24:00`
    /// is the end of the day.
    pub fn parse(input: &str) -> Option<Self> {
        let (h, m) = input.trim().split_once([':', '.'])?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        match (h, m) {
            (0..=23, 0..=59) | (24, 0) => Some(Self(h * 60 + m)),
            _ => None,
        }
    }

    /// Minutes since midnight (the stored form).
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The time with this many minutes since midnight (0–1440).
    pub fn from_minutes(m: i64) -> Option<Self> {
        u16::try_from(m).ok().filter(|m| *m <= 24 * 60).map(Self)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// The days of the week, Monday first (as Indonesian calendars print them).
pub const WEEKDAYS: [&str; 7] = ["sen", "sel", "rab", "kam", "jum", "sab", "min"];

/// When a tourism spot is open: on which days, from when to when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpeningHours {
    days: u8,
    opens: ClockTime,
    closes: ClockTime,
}

/// Why opening hours are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadHours {
    /// No day chosen.
    #[error("no day chosen")]
    NoDays,
    /// Closing not after opening.
    #[error("closes before it opens")]
    ClosesFirst,
}

impl OpeningHours {
    /// Open on `days` (indices into [`WEEKDAYS`]) from `opens` to `closes`
    /// (the same day: closing after opening).
    pub fn new(
        days: impl IntoIterator<Item = usize>,
        opens: ClockTime,
        closes: ClockTime,
    ) -> Result<Self, BadHours> {
        let mask = days
            .into_iter()
            .filter(|d| *d < 7)
            .fold(0u8, |m, d| m | 1 << d);
        if mask == 0 {
            return Err(BadHours::NoDays);
        }
        if closes <= opens {
            return Err(BadHours::ClosesFirst);
        }
        Ok(Self {
            days: mask,
            opens,
            closes,
        })
    }

    /// Reads the stored form back (`None` if it could not have been stored).
    pub fn from_stored(days: i64, opens: i64, closes: i64) -> Option<Self> {
        let days = u8::try_from(days).ok().filter(|d| *d != 0 && *d < 128)?;
        let (opens, closes) = (
            ClockTime::from_minutes(opens)?,
            ClockTime::from_minutes(closes)?,
        );
        (closes > opens).then_some(Self {
            days,
            opens,
            closes,
        })
    }

    /// The days as a bit mask (bit 0: Monday); the stored form.
    pub fn day_mask(self) -> u8 {
        self.days
    }

    /// Whether it is open on day `d` (0: Monday).
    pub fn on(self, d: usize) -> bool {
        d < 7 && self.days & (1 << d) != 0
    }

    /// Whether it is open every day.
    pub fn every_day(self) -> bool {
        self.days == 0x7f
    }

    /// Opening time.
    pub fn opens(self) -> ClockTime {
        self.opens
    }

    /// Closing time.
    pub fn closes(self) -> ClockTime {
        self.closes
    }
}

/// Admission to a tourism spot: what an adult and a child pay (zero: free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketPrices {
    /// An adult's ticket.
    pub adult: Rupiah,
    /// A child's ticket.
    pub child: Rupiah,
}

impl TicketPrices {
    /// Free for everyone.
    pub const FREE: TicketPrices = TicketPrices {
        adult: Rupiah::ZERO,
        child: Rupiah::ZERO,
    };

    /// Whether nobody pays.
    pub fn is_free(self) -> bool {
        self.adult.is_zero() && self.child.is_zero()
    }
}

/// A place on the map, in millionths of a degree (about 11 cm): exact,
/// and stored as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Coordinates {
    lat: i32,
    lon: i32,
}

/// Why typed coordinates are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadCoordinates {
    /// The latitude is not a number from -90 to 90.
    #[error("latitude is a number from -90 to 90")]
    Latitude,
    /// The longitude is not a number from -180 to 180.
    #[error("longitude is a number from -180 to 180")]
    Longitude,
}

/// Reads a decimal number of degrees as millionths (`-7.705612` →
/// -7705612); a decimal comma is read as a point; at most six decimals.
fn micro_degrees(input: &str, limit: i64) -> Option<i32> {
    let s = input.trim().replace(',', ".");
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s.strip_prefix('+').unwrap_or(&s).to_string()),
    };
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty()
        || int.len() > 3
        || frac.len() > 6
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let part: i64 = format!("{frac:0<6}").parse().ok()?;
    let v = whole * 1_000_000 + part;
    if v > limit * 1_000_000 {
        return None;
    }
    i32::try_from(if neg { -v } else { v }).ok()
}

impl Coordinates {
    /// Reads a latitude (-90…90) and a longitude (-180…180) in decimal degrees.
    pub fn parse(lat: &str, lon: &str) -> Result<Self, BadCoordinates> {
        let lat = micro_degrees(lat, 90).ok_or(BadCoordinates::Latitude)?;
        let lon = micro_degrees(lon, 180).ok_or(BadCoordinates::Longitude)?;
        Ok(Self { lat, lon })
    }

    /// The coordinates stored as millionths of a degree.
    pub fn from_micro(lat: i64, lon: i64) -> Option<Self> {
        let lat = i32::try_from(lat).ok().filter(|v| v.abs() <= 90_000_000)?;
        let lon = i32::try_from(lon).ok().filter(|v| v.abs() <= 180_000_000)?;
        Some(Self { lat, lon })
    }

    /// Latitude in millionths of a degree.
    pub fn lat_micro(self) -> i32 {
        self.lat
    }

    /// Longitude in millionths of a degree.
    pub fn lon_micro(self) -> i32 {
        self.lon
    }

    /// Latitude as typed back (`-7.705612`).
    pub fn lat(self) -> String {
        decimal(self.lat)
    }

    /// Longitude as typed back.
    pub fn lon(self) -> String {
        decimal(self.lon)
    }

    /// A link to the place on OpenStreetMap (a link the visitor follows,
    /// not an asset the page loads).
    pub fn map_link(self) -> String {
        format!(
            "https://www.openstreetmap.org/?mlat={}&mlon={}#map=16/{}/{}",
            self.lat(),
            self.lon(),
            self.lat(),
            self.lon()
        )
    }
}

fn decimal(micro: i32) -> String {
    let sign = if micro < 0 { "-" } else { "" };
    let v = micro.unsigned_abs();
    let frac = format!("{:06}", v % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", v / 1_000_000)
    } else {
        format!("{sign}{}.{frac}", v / 1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn categories_read_back_from_code_and_form() {
        for c in ProductCategory::ALL {
            assert_eq!(ProductCategory::from_code(i64::from(c.code())), Some(c));
            assert_eq!(ProductCategory::from_form(c.form_value()), Some(c));
        }
        assert_eq!(ProductCategory::from_code(0), None);
        assert_eq!(ProductCategory::from_form("UMKM "), None);
        assert_eq!(ProductCategory::from_form(""), None);
    }

    #[test]
    fn rupiah_is_read_as_people_write_it() {
        let r = |s: &str| Rupiah::parse(s).map(Rupiah::get);
        assert_eq!(r("15000"), Ok(15_000));
        assert_eq!(r("15.000"), Ok(15_000));
        assert_eq!(r("Rp 15.000"), Ok(15_000));
        assert_eq!(r("Rp15.000,-"), Ok(15_000));
        assert_eq!(r("rp. 1.250.000"), Ok(1_250_000));
        assert_eq!(r("0"), Ok(0));
        assert_eq!(r("1,500"), Ok(1_500));
        assert_eq!(r("  "), Err(NotRupiah::Empty));
        assert_eq!(r("Rp"), Err(NotRupiah::Empty));
        for bad in [
            "-5000", "15.00", "1.5000", "abc", "15 000", "1e6", ".500", "12.5", "٣",
        ] {
            assert_eq!(r(bad), Err(NotRupiah::Malformed), "{bad:?}");
        }
        assert_eq!(r("1000000000001"), Err(NotRupiah::TooLarge));
        assert_eq!(r("99999999999999999999999"), Err(NotRupiah::TooLarge));
        assert_eq!(r("1.000.000.000.000"), Ok(MAX_RUPIAH));
    }

    #[test]
    fn rupiah_prints_with_dots() {
        let p = |n| Rupiah::new(n).unwrap().to_string();
        assert_eq!(p(0), "Rp0");
        assert_eq!(p(500), "Rp500");
        assert_eq!(p(1_000), "Rp1.000");
        assert_eq!(p(15_000), "Rp15.000");
        assert_eq!(p(1_250_000), "Rp1.250.000");
    }

    #[test]
    fn a_price_is_stored_as_an_amount_or_nothing() {
        for p in [Price::AskSeller, Price::Fixed(Rupiah::new(2_500).unwrap())] {
            let stored = p.stored().map(|n| i64::try_from(n).unwrap());
            assert_eq!(Price::from_stored(stored), Some(p));
        }
        assert_eq!(Price::from_stored(Some(-1)), None);
    }

    #[test]
    fn whatsapp_numbers_are_normalised_to_62() {
        let w = |s: &str| WhatsApp::parse(s).map(|w| w.as_str().to_string());
        for ok in [
            "081234567890",
            "0812-3456-7890",
            "+62 812 3456 7890",
            "6281234567890",
            "(0812) 3456.7890",
        ] {
            assert_eq!(w(ok).as_deref(), Ok("6281234567890"), "{ok:?}");
        }
        assert_eq!(w("0812345678").as_deref(), Ok("62812345678"));
        for bad in [
            "",
            "0274 123456",
            "+1 812 3456 7890",
            "0812",
            "08123456789012345",
            "81234567890",
            "0812-3456-789a",
            "javascript:alert(1)",
            "+",
        ] {
            assert_eq!(w(bad), Err(NotWhatsApp), "{bad:?}");
        }
        let n = WhatsApp::parse("0812-3456-7890").unwrap();
        assert_eq!(n.link(), "https://wa.me/6281234567890");
        assert_eq!(n.local(), "0812-3456-7890");
    }

    #[test]
    fn opening_hours_need_a_day_and_close_after_they_open() {
        let t = |s| ClockTime::parse(s).unwrap();
        let h = OpeningHours::new([0, 1, 2, 3, 4, 5, 6], t("08:00"), t("17.30")).unwrap();
        assert!(h.every_day());
        assert_eq!(h.closes().to_string(), "17:30");
        assert_eq!(
            OpeningHours::from_stored(
                i64::from(h.day_mask()),
                i64::from(h.opens().minutes()),
                i64::from(h.closes().minutes())
            ),
            Some(h)
        );
        let weekend = OpeningHours::new([5, 6], t("7:00"), t("24:00")).unwrap();
        assert!(weekend.on(5) && weekend.on(6) && !weekend.on(0) && !weekend.every_day());
        assert_eq!(
            OpeningHours::new([], t("08:00"), t("09:00")),
            Err(BadHours::NoDays)
        );
        assert_eq!(
            OpeningHours::new([1], t("17:00"), t("08:00")),
            Err(BadHours::ClosesFirst)
        );
        assert_eq!(
            OpeningHours::new([1], t("08:00"), t("08:00")),
            Err(BadHours::ClosesFirst)
        );
        for bad in ["24:01", "25:00", "8", "08:60", "ab:cd", "08:0", "", "-1:00"] {
            assert_eq!(ClockTime::parse(bad), None, "{bad:?}");
        }
        assert_eq!(OpeningHours::from_stored(0, 60, 120), None);
        assert_eq!(OpeningHours::from_stored(1, 120, 60), None);
    }

    #[test]
    fn coordinates_are_checked_against_their_ranges() {
        let c = Coordinates::parse("-7.705612", "110,602").unwrap();
        assert_eq!((c.lat_micro(), c.lon_micro()), (-7_705_612, 110_602_000));
        assert_eq!((c.lat(), c.lon()), ("-7.705612".into(), "110.602".into()));
        assert!(c.map_link().contains("mlat=-7.705612&mlon=110.602"));
        assert!(Coordinates::parse("90", "-180").is_ok());
        assert_eq!(
            Coordinates::parse("90.000001", "0"),
            Err(BadCoordinates::Latitude)
        );
        assert_eq!(
            Coordinates::parse("0", "180.5"),
            Err(BadCoordinates::Longitude)
        );
        for bad in ["", "abc", "1.2.3", "-", "7.1234567", "1e3", "--7"] {
            assert_eq!(
                Coordinates::parse(bad, "0"),
                Err(BadCoordinates::Latitude),
                "{bad:?}"
            );
        }
        assert_eq!(Coordinates::from_micro(91_000_000, 0), None);
    }

    proptest! {
        #[test]
        fn every_rupiah_reads_back_from_its_print(n in 0u64..=MAX_RUPIAH) {
            let r = Rupiah::new(n).unwrap();
            prop_assert_eq!(Rupiah::parse(&r.to_string()), Ok(r));
        }

        #[test]
        fn every_coordinate_reads_back(lat in -90_000_000i32..=90_000_000, lon in -180_000_000i32..=180_000_000) {
            let c = Coordinates::from_micro(i64::from(lat), i64::from(lon)).unwrap();
            prop_assert_eq!(Coordinates::parse(&c.lat(), &c.lon()), Ok(c));
        }

        #[test]
        fn every_parsed_whatsapp_number_reads_back(n in 800_000_000u64..900_000_000_000u64) {
            let typed = format!("0{n}");
            if let Ok(w) = WhatsApp::parse(&typed) {
                prop_assert_eq!(WhatsApp::parse(&w.local()), Ok(w.clone()));
                prop_assert!(w.as_str().starts_with("628"));
            }
        }
    }
}
