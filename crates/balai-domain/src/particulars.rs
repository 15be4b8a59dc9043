//! The particulars of a life event that the civil-registry forms ask for
//! (F-2.01 births and deaths, F-1.03 moves) and the letters print: a
//! birth's time, place, attendant, weight, length and order; a death's time,
//! place, cause, who determined it, reporter and witnesses; a move's other
//! address and region and its reason. Every part is optional (events
//! recorded before particulars existed have none), but a part given is
//! checked: each value here can only be made by parsing.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::codes::{
    AlasanPindah, KlasifikasiPindah, PenerangKematian, PenolongKelahiran, SebabKematian,
    TempatDilahirkan,
};
use crate::{KodeWilayah, Nik, PersonName};

/// Why a particular was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParticularError {
    /// Not a time of day written `HH:MM`.
    #[error("not a time of day (HH:MM)")]
    Time,
    /// Not a whole number.
    #[error("not a whole number")]
    NotANumber,
    /// A birth weight outside [`BirthWeight::MIN`]–[`BirthWeight::MAX`] grams.
    #[error("a birth weight is 500-7000 g")]
    Weight,
    /// A birth length outside [`BirthLength::MIN`]–[`BirthLength::MAX`] cm.
    #[error("a birth length is 20-70 cm")]
    Length,
    /// A birth order outside 1–[`BirthOrder::MAX`].
    #[error("a birth order is 1-20")]
    Order,
    /// Text longer than [`PlaceText::MAX`] characters.
    #[error("at most 200 characters")]
    TooLong,
}

/// A time of day to the minute (jam), written `HH:MM` (or `HH.MM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventTime(time::Time);

impl EventTime {
    /// Parses `HH:MM` or `HH.MM`, 00:00–23:59.
    pub fn parse(input: &str) -> Result<Self, ParticularError> {
        let t = input.trim();
        let (h, m) = t.split_once([':', '.']).ok_or(ParticularError::Time)?;
        let num = |s: &str| -> Result<u8, ParticularError> {
            if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParticularError::Time);
            }
            s.parse().map_err(|_| ParticularError::Time)
        };
        // `<input type=time>` may send seconds (`HH:MM:SS`); only `:00` is accepted.
        let m = match m.split_once(':') {
            Some((m, "00")) => m,
            Some(_) => return Err(ParticularError::Time),
            None => m,
        };
        time::Time::from_hms(num(h)?, num(m)?, 0)
            .map(Self)
            .map_err(|_| ParticularError::Time)
    }

    /// The time.
    pub fn time(self) -> time::Time {
        self.0
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for EventTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn whole(input: &str) -> Result<u32, ParticularError> {
    let t = input.trim().replace('.', "");
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParticularError::NotANumber);
    }
    t.parse().map_err(|_| ParticularError::NotANumber)
}

macro_rules! bounded {
    ($(#[$meta:meta])* $name:ident($ty:ty), $min:expr, $max:expr, $err:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name($ty);

        impl $name {
            /// Smallest value accepted.
            pub const MIN: $ty = $min;
            /// Largest value accepted.
            pub const MAX: $ty = $max;

            /// The value, if it is within range.
            pub fn new(v: u32) -> Result<Self, ParticularError> {
                <$ty>::try_from(v)
                    .ok()
                    .filter(|v| (Self::MIN..=Self::MAX).contains(v))
                    .map(Self)
                    .ok_or(ParticularError::$err)
            }

            /// Parses a whole number (a `.` thousands separator is allowed).
            pub fn parse(input: &str) -> Result<Self, ParticularError> {
                Self::new(whole(input)?)
            }

            /// The value.
            pub fn get(self) -> $ty {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <$ty>::deserialize(d)?;
                Self::new(u32::from(v)).map_err(serde::de::Error::custom)
            }
        }
    };
}

bounded!(
    /// A newborn's weight in grams: 500–7,000 (below 500 g a birth is
    /// not viable by WHO's definition; above 7 kg is a typing error).
    BirthWeight(u16), 500, 7000, Weight
);
bounded!(
    /// A newborn's length in centimetres: 20–70.
    BirthLength(u8), 20, 70, Length
);
bounded!(
    /// Which child of the mother this is (anak ke-): 1–20.
    BirthOrder(u8), 1, 20, Order
);

/// A short free text (a place, an address), trimmed, upper-cased as the
/// registers write it, at most [`PlaceText::MAX`] characters. Empty input
/// is no text (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlaceText(String);

impl PlaceText {
    /// Longest text accepted, in characters.
    pub const MAX: usize = 200;

    /// The text, or `None` when only whitespace was given.
    pub fn parse(input: &str) -> Result<Option<Self>, ParticularError> {
        let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Ok(None);
        }
        if t.chars().count() > Self::MAX {
            return Err(ParticularError::TooLong);
        }
        Ok(Some(Self(t.to_uppercase())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PlaceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person named on an event (reporter, witness): NIK when known, name,
/// and the resident's id when the NIK is in the village's registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    /// NIK, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nik: Option<Nik>,
    /// Name.
    pub name: PersonName,
    /// The resident with that NIK, when they are one of this village's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<Uuid>,
}

/// A birth's particulars (F-2.01).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BirthParticulars {
    /// Time of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<EventTime>,
    /// Kind of place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_kind: Option<TempatDilahirkan>,
    /// Name of the place (hospital, midwife's house…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_name: Option<PlaceText>,
    /// Who helped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendant: Option<PenolongKelahiran>,
    /// Weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<BirthWeight>,
    /// Length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<BirthLength>,
    /// Order of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<BirthOrder>,
    /// The mother, a resident of the village.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mother: Option<Uuid>,
    /// The father, a resident of the village.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub father: Option<Uuid>,
}

/// A death's particulars (F-2.01).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeathParticulars {
    /// Time of death.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<EventTime>,
    /// Where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceText>,
    /// Cause by category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<SebabKematian>,
    /// Who determined it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub determined_by: Option<PenerangKematian>,
    /// Who reported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<NamedPerson>,
    /// Witnesses (the form has two).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<NamedPerson>,
}

/// A move out's particulars (F-1.03).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveOutParticulars {
    /// Destination address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<PlaceText>,
    /// Destination region (village or district), checked against the
    /// region list when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<KodeWilayah>,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<AlasanPindah>,
    /// The other family members moving with this person (each has their
    /// own move-out event).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub movers: Vec<Uuid>,
}

impl MoveOutParticulars {
    /// The move's classification, derived from the two codes (never asked).
    pub fn classification(&self, from: KodeWilayah) -> Option<KlasifikasiPindah> {
        self.destination
            .map(|to| KlasifikasiPindah::between(from, to))
    }
}

/// A move in's particulars.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveInParticulars {
    /// Origin address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<PlaceText>,
    /// Origin region (village or district), checked against the region list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<KodeWilayah>,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<AlasanPindah>,
}

impl MoveInParticulars {
    /// The move's classification, derived from the two codes.
    pub fn classification(&self, to: KodeWilayah) -> Option<KlasifikasiPindah> {
        self.origin.map(|from| KlasifikasiPindah::between(to, from))
    }
}

/// The particulars of one event; which kind matches the event's kind.
/// Stored as this JSON document (`{"jenis": "kematian", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum Particulars {
    /// Of a birth.
    #[serde(rename = "kelahiran")]
    Birth(BirthParticulars),
    /// Of a death.
    #[serde(rename = "kematian")]
    Death(DeathParticulars),
    /// Of a move out.
    #[serde(rename = "pindah_keluar")]
    MoveOut(MoveOutParticulars),
    /// Of a move in.
    #[serde(rename = "pindah_masuk")]
    MoveIn(MoveInParticulars),
}

impl Particulars {
    /// `None` when nothing was given (an empty part is not worth storing).
    pub fn non_empty(self) -> Option<Self> {
        let empty = match &self {
            Particulars::Birth(b) => *b == BirthParticulars::default(),
            Particulars::Death(d) => *d == DeathParticulars::default(),
            Particulars::MoveOut(m) => *m == MoveOutParticulars::default(),
            Particulars::MoveIn(m) => *m == MoveInParticulars::default(),
        };
        (!empty).then_some(self)
    }

    /// The event kind these particulars belong to.
    pub fn kind(&self) -> crate::codes::Peristiwa {
        use crate::codes::Peristiwa;
        match self {
            Particulars::Birth(_) => Peristiwa::Lahir,
            Particulars::Death(_) => Peristiwa::Mati,
            Particulars::MoveOut(_) => Peristiwa::PindahKeluar,
            Particulars::MoveIn(_) => Peristiwa::PindahMasuk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_parse_to_the_minute_and_refuse_the_impossible() {
        assert_eq!(EventTime::parse("07:05").unwrap().to_string(), "07:05");
        assert_eq!(EventTime::parse(" 7.5 ").unwrap().to_string(), "07:05");
        assert_eq!(EventTime::parse("23:59:00").unwrap().to_string(), "23:59");
        for bad in [
            "24:00", "12:60", "12", "", "ab:cd", "12:30:15", "-1:00", "123:00",
        ] {
            assert_eq!(EventTime::parse(bad), Err(ParticularError::Time), "{bad}");
        }
    }

    #[test]
    fn birth_weights_lengths_and_orders_are_kept_in_range() {
        assert_eq!(BirthWeight::parse("3.200").unwrap().get(), 3200);
        assert_eq!(BirthWeight::parse("500").unwrap().get(), 500);
        assert_eq!(BirthWeight::parse("7000").unwrap().get(), 7000);
        assert_eq!(BirthWeight::parse("499"), Err(ParticularError::Weight));
        assert_eq!(BirthWeight::parse("7001"), Err(ParticularError::Weight));
        assert_eq!(BirthWeight::parse("3,2"), Err(ParticularError::NotANumber));
        assert_eq!(
            BirthWeight::parse("99999999"),
            Err(ParticularError::NotANumber)
        );
        assert_eq!(BirthLength::parse("49").unwrap().get(), 49);
        assert_eq!(BirthLength::parse("19"), Err(ParticularError::Length));
        assert_eq!(BirthLength::parse("71"), Err(ParticularError::Length));
        assert_eq!(BirthOrder::parse("0"), Err(ParticularError::Order));
        assert_eq!(BirthOrder::parse("2").unwrap().get(), 2);
        // A stored value out of range does not read back.
        assert!(serde_json::from_str::<BirthWeight>("100").is_err());
    }

    #[test]
    fn place_text_is_trimmed_upper_cased_and_bounded() {
        assert_eq!(PlaceText::parse("   "), Ok(None));
        assert_eq!(
            PlaceText::parse(" rsud  Klaten ")
                .unwrap()
                .unwrap()
                .as_str(),
            "RSUD KLATEN"
        );
        assert_eq!(
            PlaceText::parse(&"x".repeat(201)),
            Err(ParticularError::TooLong)
        );
    }

    #[test]
    fn particulars_round_trip_through_their_json_and_empty_ones_are_none() {
        let p = Particulars::Death(DeathParticulars {
            time: Some(EventTime::parse("04:30").unwrap()),
            place: PlaceText::parse("rumah").unwrap(),
            cause: Some(SebabKematian::SakitBiasaTua),
            determined_by: Some(PenerangKematian::Dokter),
            reporter: Some(NamedPerson {
                nik: None,
                name: PersonName::parse("Budi").unwrap(),
                resident_id: None,
            }),
            witnesses: vec![],
        });
        let json = serde_json::to_string(&p).unwrap();
        assert!(
            json.starts_with(r#"{"jenis":"kematian","time":"04:30""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Particulars>(&json).unwrap(), p);
        assert_eq!(p.kind(), crate::codes::Peristiwa::Mati);
        assert!(
            Particulars::MoveIn(MoveInParticulars::default())
                .non_empty()
                .is_none()
        );
    }

    #[test]
    fn a_move_out_derives_its_classification_from_the_codes() {
        let home = KodeWilayah::parse("3310012001").unwrap();
        let m = MoveOutParticulars {
            destination: Some(KodeWilayah::parse("3311012001").unwrap()),
            ..Default::default()
        };
        assert_eq!(
            m.classification(home),
            Some(KlasifikasiPindah::AntarKabupaten)
        );
        assert_eq!(MoveOutParticulars::default().classification(home), None);
    }
}
