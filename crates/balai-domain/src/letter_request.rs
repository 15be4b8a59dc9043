//! A resident's request for a letter, and the steps it may take:
//! submitted → checked → awaiting signature → ready → collected, or
//! rejected (with a reason) at any step before the letter exists.

use std::fmt;

/// Where a letter request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// Sent by the resident, not yet looked at.
    Diajukan,
    /// The operator has checked the data and the requirements.
    Diperiksa,
    /// Prepared and waiting for the village head (or an official a.n.) to sign.
    MenungguTtd,
    /// Signed and numbered: the letter can be collected (or downloaded).
    Siap,
    /// Handed over to the resident.
    Diambil,
    /// Refused, with a reason the resident sees.
    Ditolak,
}

/// What someone may do to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    /// Operator: the data and requirements are in order.
    Check,
    /// Operator: send the prepared letter for signature.
    SendForSignature,
    /// Head or official: sign; the letter is numbered and issued.
    Sign,
    /// Operator: the resident has collected the letter.
    HandOver,
    /// Operator or head: refuse, with a reason.
    Reject,
}

/// Why an action cannot be taken on a request in its present status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action} tidak dapat dilakukan pada permohonan berstatus \"{from}\"")]
pub struct TransitionRefused {
    /// The action attempted.
    pub action: RequestAction,
    /// The status the request was in.
    pub from: RequestStatus,
}

impl RequestStatus {
    /// Every status, in flow order.
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Diajukan,
        RequestStatus::Diperiksa,
        RequestStatus::MenungguTtd,
        RequestStatus::Siap,
        RequestStatus::Diambil,
        RequestStatus::Ditolak,
    ];

    /// Stored name.
    pub const fn code(self) -> &'static str {
        match self {
            RequestStatus::Diajukan => "diajukan",
            RequestStatus::Diperiksa => "diperiksa",
            RequestStatus::MenungguTtd => "menunggu-ttd",
            RequestStatus::Siap => "siap",
            RequestStatus::Diambil => "diambil",
            RequestStatus::Ditolak => "ditolak",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Indonesian label shown to residents and staff.
    pub const fn label(self) -> &'static str {
        match self {
            RequestStatus::Diajukan => "Diajukan",
            RequestStatus::Diperiksa => "Diperiksa",
            RequestStatus::MenungguTtd => "Menunggu tanda tangan",
            RequestStatus::Siap => "Siap diambil",
            RequestStatus::Diambil => "Sudah diambil",
            RequestStatus::Ditolak => "Ditolak",
        }
    }

    /// Whether nothing more will happen to the request.
    pub const fn is_final(self) -> bool {
        matches!(self, RequestStatus::Diambil | RequestStatus::Ditolak)
    }

    /// The status after `action`, or why it is not allowed now.
    pub fn apply(self, action: RequestAction) -> Result<RequestStatus, TransitionRefused> {
        use RequestAction as A;
        use RequestStatus as S;
        let next = match (self, action) {
            (S::Diajukan, A::Check) => S::Diperiksa,
            (S::Diperiksa, A::SendForSignature) => S::MenungguTtd,
            (S::MenungguTtd, A::Sign) => S::Siap,
            (S::Siap, A::HandOver) => S::Diambil,
            // Once signed, a letter exists and has a number: it is revoked, not rejected.
            (S::Diajukan | S::Diperiksa | S::MenungguTtd, A::Reject) => S::Ditolak,
            (from, action) => return Err(TransitionRefused { action, from }),
        };
        Ok(next)
    }

    /// The actions possible from here, for the buttons a page offers.
    pub fn next_actions(self) -> Vec<RequestAction> {
        RequestAction::ALL
            .into_iter()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }
}

impl RequestAction {
    /// Every action.
    pub const ALL: [RequestAction; 5] = [
        RequestAction::Check,
        RequestAction::SendForSignature,
        RequestAction::Sign,
        RequestAction::HandOver,
        RequestAction::Reject,
    ];

    /// Form and URL name.
    pub const fn code(self) -> &'static str {
        match self {
            RequestAction::Check => "periksa",
            RequestAction::SendForSignature => "ajukan-ttd",
            RequestAction::Sign => "tandatangani",
            RequestAction::HandOver => "serahkan",
            RequestAction::Reject => "tolak",
        }
    }

    /// Parses the form name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == s)
    }

    /// Indonesian button label.
    pub const fn label(self) -> &'static str {
        match self {
            RequestAction::Check => "Tandai sudah diperiksa",
            RequestAction::SendForSignature => "Ajukan tanda tangan",
            RequestAction::Sign => "Tandatangani & terbitkan",
            RequestAction::HandOver => "Tandai sudah diambil",
            RequestAction::Reject => "Tolak",
        }
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl fmt::Display for RequestAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestChannel {
    /// The self-service site, from home.
    Online,
    /// The kiosk (anjungan) at the village office.
    Kiosk,
    /// The operator's desk (loket), sending a letter to the head to sign.
    Desk,
}

impl RequestChannel {
    /// Stored name.
    pub const fn code(self) -> &'static str {
        match self {
            RequestChannel::Online => "online",
            RequestChannel::Kiosk => "anjungan",
            RequestChannel::Desk => "loket",
        }
    }

    /// Indonesian label.
    pub const fn label(self) -> &'static str {
        match self {
            RequestChannel::Online => "Daring",
            RequestChannel::Kiosk => "Anjungan",
            RequestChannel::Desk => "Loket",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            RequestChannel::Online,
            RequestChannel::Kiosk,
            RequestChannel::Desk,
        ]
        .into_iter()
        .find(|c| c.code() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_walks_every_step_in_order() {
        let mut s = RequestStatus::Diajukan;
        for a in [
            RequestAction::Check,
            RequestAction::SendForSignature,
            RequestAction::Sign,
            RequestAction::HandOver,
        ] {
            s = s.apply(a).unwrap();
        }
        assert_eq!(s, RequestStatus::Diambil);
        assert!(s.is_final());
        assert!(s.next_actions().is_empty());
    }

    #[test]
    fn steps_cannot_be_skipped_or_repeated() {
        assert!(RequestStatus::Diajukan.apply(RequestAction::Sign).is_err());
        assert!(
            RequestStatus::Diajukan
                .apply(RequestAction::HandOver)
                .is_err()
        );
        assert!(
            RequestStatus::Diperiksa
                .apply(RequestAction::Check)
                .is_err()
        );
        assert!(RequestStatus::Siap.apply(RequestAction::Sign).is_err());
    }

    #[test]
    fn a_signed_letter_cannot_be_rejected_only_revoked() {
        assert!(
            RequestStatus::MenungguTtd
                .apply(RequestAction::Reject)
                .is_ok()
        );
        let e = RequestStatus::Siap
            .apply(RequestAction::Reject)
            .unwrap_err();
        assert_eq!(e.from, RequestStatus::Siap);
        assert!(e.to_string().contains("Siap diambil"), "{e}");
        assert!(RequestStatus::Ditolak.apply(RequestAction::Reject).is_err());
    }

    #[test]
    fn codes_round_trip() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.code()), Some(s));
        }
        for a in RequestAction::ALL {
            assert_eq!(RequestAction::parse(a.code()), Some(a));
        }
        assert_eq!(RequestStatus::parse("selesai"), None);
    }
}
