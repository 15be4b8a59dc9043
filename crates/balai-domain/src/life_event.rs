//! Life events (peristiwa) and the status they leave a resident in.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::codes::{Peristiwa, StatusDasar};
use crate::particulars::Particulars;

/// One recorded life event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    /// Row id (UUIDv7).
    pub id: Uuid,
    /// Whom it happened to.
    pub resident_id: Uuid,
    /// What happened.
    pub kind: Peristiwa,
    /// When it happened (not when it was recorded).
    pub occurred_on: Date,
    /// What the civil-registry forms ask about it; events recorded before
    /// particulars existed (or without them) have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub particulars: Option<Particulars>,
}

/// An event that cannot follow the resident's current status (shown to
/// staff as it is: the message is Indonesian).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct TransitionError {
    /// Status before the event, `None` if the person was not registered yet.
    pub from: Option<StatusDasar>,
    /// The rejected event.
    pub event: Peristiwa,
}

impl TransitionError {
    fn message(&self) -> String {
        match self.from {
            None => format!(
                "peristiwa {} tidak dapat dicatat untuk orang yang belum terdaftar: daftarkan dulu lewat kelahiran atau pindah masuk",
                self.event
            ),
            Some(s) => format!(
                "peristiwa {} tidak dapat dicatat untuk penduduk berstatus {s}",
                self.event
            ),
        }
    }
}

/// The status a resident has after `event`, given the status before it.
/// `None` before means the person is not registered in this village yet.
pub fn next_status(
    before: Option<StatusDasar>,
    event: Peristiwa,
) -> Result<StatusDasar, TransitionError> {
    use Peristiwa as E;
    use StatusDasar as S;
    let err = Err(TransitionError {
        from: before,
        event,
    });
    match (before, event) {
        (None, E::Lahir | E::PindahMasuk) => Ok(S::Hidup),
        (None, _) => err,
        (Some(S::Hidup), E::Mati) => Ok(S::Mati),
        (Some(S::Hidup), E::PindahKeluar) => Ok(S::Pindah),
        (Some(S::Hidup), E::Hilang) => Ok(S::Hilang),
        (Some(S::Hidup), E::Pergi) => Ok(S::Pergi),
        // Someone away or missing can come back, die, or move away for good.
        (Some(S::Pergi | S::Hilang), E::PindahMasuk) => Ok(S::Hidup),
        (Some(S::Pergi | S::Hilang), E::Mati) => Ok(S::Mati),
        (Some(S::Pergi | S::Hilang), E::PindahKeluar) => Ok(S::Pindah),
        (Some(S::Pergi), E::Hilang) => Ok(S::Hilang),
        // A person who moved away may move back in.
        (Some(S::Pindah), E::PindahMasuk) => Ok(S::Hidup),
        _ => err,
    }
}

/// Replays events in date order (ties keep their given order) from `baseline`,
/// the status at registration (`None` when the registration itself was an event).
pub fn derive_status(
    baseline: Option<StatusDasar>,
    events: &[LifeEvent],
) -> Result<Option<StatusDasar>, TransitionError> {
    let mut ordered: Vec<&LifeEvent> = events.iter().collect();
    ordered.sort_by_key(|e| e.occurred_on);
    let mut status = baseline;
    for e in ordered {
        status = Some(next_status(status, e.kind)?);
    }
    Ok(status)
}

/// True when a resident with this status still lives in (or belongs to) the village.
pub fn is_resident(status: StatusDasar) -> bool {
    matches!(
        status,
        StatusDasar::Hidup | StatusDasar::Pergi | StatusDasar::Hilang
    )
}

/// Why an event's date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventDateError {
    /// After the day it is recorded.
    #[error("tanggal peristiwa belum terjadi (di masa depan)")]
    Future,
    /// Before the person was born.
    #[error("tanggal peristiwa sebelum tanggal lahir")]
    BeforeBirth,
    /// A birth on another day than the birth date.
    #[error("kelahiran harus dicatat pada tanggal lahir")]
    BirthNotOnBirthDate,
}

/// Checks an event date against the birth date and the day it is recorded.
pub fn check_event_date(
    kind: Peristiwa,
    occurred_on: Date,
    birth_date: Date,
    recorded_on: Date,
) -> Result<(), EventDateError> {
    if occurred_on > recorded_on {
        return Err(EventDateError::Future);
    }
    if occurred_on < birth_date {
        return Err(EventDateError::BeforeBirth);
    }
    if kind == Peristiwa::Lahir && occurred_on != birth_date {
        return Err(EventDateError::BirthNotOnBirthDate);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ev(kind: Peristiwa, on: Date) -> LifeEvent {
        LifeEvent {
            id: Uuid::nil(),
            resident_id: Uuid::nil(),
            kind,
            occurred_on: on,
            particulars: None,
        }
    }

    #[test]
    fn status_follows_events_in_date_order() {
        let events = [
            ev(Peristiwa::PindahKeluar, date!(2020 - 05 - 01)),
            ev(Peristiwa::Lahir, date!(1990 - 01 - 01)),
            ev(Peristiwa::PindahMasuk, date!(2023 - 01 - 01)),
        ];
        assert_eq!(derive_status(None, &events), Ok(Some(StatusDasar::Hidup)));
        assert_eq!(
            derive_status(None, &events[..2]),
            Ok(Some(StatusDasar::Pindah))
        );
        assert_eq!(
            derive_status(Some(StatusDasar::Hidup), &[]),
            Ok(Some(StatusDasar::Hidup))
        );
    }

    #[test]
    fn impossible_sequences_are_rejected() {
        assert!(next_status(Some(StatusDasar::Mati), Peristiwa::PindahMasuk).is_err());
        assert!(next_status(Some(StatusDasar::Hidup), Peristiwa::Lahir).is_err());
        assert!(next_status(Some(StatusDasar::Hidup), Peristiwa::PindahMasuk).is_err());
        let e = next_status(None, Peristiwa::Mati).unwrap_err();
        assert!(e.to_string().contains("belum terdaftar"), "{e}");
        let events = [
            ev(Peristiwa::Lahir, date!(1990 - 01 - 01)),
            ev(Peristiwa::Mati, date!(2000 - 01 - 01)),
            ev(Peristiwa::Pergi, date!(2001 - 01 - 01)),
        ];
        assert!(derive_status(None, &events).is_err());
    }

    #[test]
    fn event_dates_are_checked() {
        let b = date!(2000 - 01 - 01);
        let today = date!(2026 - 11 - 22);
        assert_eq!(
            check_event_date(Peristiwa::Mati, date!(2027 - 01 - 01), b, today),
            Err(EventDateError::Future)
        );
        assert_eq!(
            check_event_date(Peristiwa::Mati, date!(1999 - 01 - 01), b, today),
            Err(EventDateError::BeforeBirth)
        );
        assert_eq!(
            check_event_date(Peristiwa::Lahir, date!(2000 - 01 - 02), b, today),
            Err(EventDateError::BirthNotOnBirthDate)
        );
        assert!(check_event_date(Peristiwa::PindahMasuk, date!(2010 - 01 - 02), b, today).is_ok());
    }
}
