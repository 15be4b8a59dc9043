//! Public information (UU 14/2008 Keterbukaan Informasi Publik; Perki
//! 1/2018, the village public-information standard): the list of public
//! information (Daftar Informasi Publik), the working-day calendar the
//! law's time limits are counted in, information requests and objections
//! (keberatan), and the registration number a requester follows theirs by.
//!
//! Nothing here reads the clock: every date is passed in.
//!
//! Time limits are counted in working days: Saturdays, Sundays and the
//! village's holiday list (national holidays and collective leave, entered
//! by staff each year) are not counted, and counting starts on the working
//! day after the day of receipt. A request is answered within
//! [`ANSWER_DAYS`] working days, extendable once by [`EXTENSION_DAYS`] with
//! a written reason; an objection may be filed within [`OBJECTION_DAYS`]
//! of the answer (or of the deadline passing unanswered) and is answered
//! within [`OBJECTION_ANSWER_DAYS`].

use std::collections::BTreeSet;
use std::fmt;

use time::{Date, Duration, Weekday};

use crate::complaint::{SECRET_LEN, parse_reference, secret_of};

/// Working days to answer a request (UU 14/2008 Ps. 22(7)).
pub const ANSWER_DAYS: u32 = 10;
/// Working days one extension adds (UU 14/2008 Ps. 22(8)).
pub const EXTENSION_DAYS: u32 = 7;
/// Working days a requester has to object (UU 14/2008 Ps. 36(1)).
pub const OBJECTION_DAYS: u32 = 30;
/// Working days the PPID's superior has to answer an objection (Ps. 36(2)).
pub const OBJECTION_ANSWER_DAYS: u32 = 30;

macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $code:literal => $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stored code.
            pub fn code(self) -> u8 { match self { $($name::$v => $code),+ } }
            /// The value with this code.
            pub fn from_code(code: i64) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| i64::from(x.code()) == code)
            }
            /// The key of its label in the interface's catalogue.
            pub fn label_key(self) -> &'static str { match self { $($name::$v => $key),+ } }
        }
    };
}

coded!(
    /// The four categories of the law (UU 14/2008 Ps. 9, 10, 11, 17).
    InfoCategory {
        /// Published periodically, without a request.
        Berkala = 1 => "pi-cat-berkala",
        /// Published at once: threats to life or public order.
        SertaMerta = 2 => "pi-cat-serta-merta",
        /// Available at any time, on request.
        SetiapSaat = 3 => "pi-cat-setiap-saat",
        /// Exempt from disclosure, with its ground and reason.
        Dikecualikan = 4 => "pi-cat-dikecualikan",
    }
);

coded!(
    /// The grounds for exempting information (UU 14/2008 Ps. 17 a–j), also
    /// the grounds a refusal must name.
    ExemptionGround {
        /// a: would obstruct law enforcement.
        PenegakanHukum = 1 => "pi-ground-a",
        /// b: intellectual property or fair competition.
        KekayaanIntelektual = 2 => "pi-ground-b",
        /// c: state defence and security.
        Pertahanan = 3 => "pi-ground-c",
        /// d: Indonesia's natural wealth.
        KekayaanAlam = 4 => "pi-ground-d",
        /// e: national economic resilience.
        Ekonomi = 5 => "pi-ground-e",
        /// f: foreign relations.
        LuarNegeri = 6 => "pi-ground-f",
        /// g: authentic deeds and wills.
        AktaWasiat = 7 => "pi-ground-g",
        /// h: a person's private secrets (personal data).
        RahasiaPribadi = 8 => "pi-ground-h",
        /// i: internal memoranda, unless a court decides otherwise.
        Memorandum = 9 => "pi-ground-i",
        /// j: information a law says not to disclose.
        UndangUndang = 10 => "pi-ground-j",
    }
);

coded!(
    /// The village's public bodies (badan publik desa).
    PublicBody {
        /// The village government (pemerintah desa).
        PemerintahDesa = 1 => "pi-body-pemdes",
        /// The village consultative body.
        Bpd = 2 => "pi-body-bpd",
        /// The village-owned enterprise.
        BumDesa = 3 => "pi-body-bumdes",
    }
);

coded!(
    /// How a requester wants the information.
    Delivery {
        /// To see and read it at the office.
        Melihat = 1 => "pi-delivery-see",
        /// A copy (printed or on a disk).
        Salinan = 2 => "pi-delivery-copy",
        /// By e-mail.
        Email = 3 => "pi-delivery-email",
    }
);

coded!(
    /// How a request was answered.
    Outcome {
        /// Granted in full.
        Seluruhnya = 1 => "pi-outcome-full",
        /// Granted in part (the rest exempt).
        Sebagian = 2 => "pi-outcome-partial",
        /// Refused, on an exemption ground.
        Ditolak = 3 => "pi-outcome-refused",
    }
);

coded!(
    /// Why a requester objects (UU 14/2008 Ps. 35(1) a–g).
    ObjectionGround {
        /// a: the request was refused on an exemption ground.
        Penolakan = 1 => "pi-objection-a",
        /// b: periodic information was not published.
        TidakDisediakan = 2 => "pi-objection-b",
        /// c: the request was not answered.
        TidakDitanggapi = 3 => "pi-objection-c",
        /// d: answered other than as requested.
        TidakSesuai = 4 => "pi-objection-d",
        /// e: the request was not fulfilled.
        TidakDipenuhi = 5 => "pi-objection-e",
        /// f: an unreasonable fee.
        Biaya = 6 => "pi-objection-f",
        /// g: answered later than the law allows.
        Terlambat = 7 => "pi-objection-g",
    }
);

coded!(
    /// Where a request stands. It only moves forward (see
    /// [`RequestStatus::may_become`]).
    RequestStatus {
        /// Received; not answered yet.
        Diterima = 1 => "pi-status-received",
        /// The answer's deadline was extended (once).
        Diperpanjang = 2 => "pi-status-extended",
        /// Answered (granted fully, partly, or refused).
        Dijawab = 3 => "pi-status-answered",
        /// The requester objected.
        KeberatanDiajukan = 4 => "pi-status-objected",
        /// The objection was answered.
        KeberatanDijawab = 5 => "pi-status-objection-answered",
    }
);

impl RequestStatus {
    /// Whether a request may move from `self` to `to`: forward only, an
    /// objection is answered only once filed, and an answered objection
    /// closes the request here (what remains is the Information Commission).
    pub fn may_become(self, to: RequestStatus) -> bool {
        use RequestStatus::*;
        match to {
            KeberatanDijawab => self == KeberatanDiajukan,
            Diterima => false,
            _ => to > self,
        }
    }

    /// Whether the request still waits for the PPID's answer.
    pub fn awaits_answer(self) -> bool {
        matches!(self, RequestStatus::Diterima | RequestStatus::Diperpanjang)
    }
}

/// Shortest reason an exemption or a refusal must give, in characters (the
/// consequence test of UU 14/2008 Ps. 2(4) is written out, not a code).
pub const MIN_REASON_CHARS: usize = 20;

/// Why an entry is exempt: its ground in the law and the written reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    ground: ExemptionGround,
    reason: String,
}

/// Why an exemption's reason is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("tulis alasan pengecualian (paling sedikit 20 huruf)")]
pub struct NoReason;

impl Exemption {
    /// An exemption on `ground` with `reason` (trimmed; at least
    /// [`MIN_REASON_CHARS`] characters).
    pub fn new(ground: ExemptionGround, reason: &str) -> Result<Self, NoReason> {
        let reason = reason.trim();
        if reason.chars().count() < MIN_REASON_CHARS {
            return Err(NoReason);
        }
        Ok(Self {
            ground,
            reason: reason.to_string(),
        })
    }

    /// The ground.
    pub fn ground(&self) -> ExemptionGround {
        self.ground
    }

    /// The written reason.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// An entry's category, an exempt one with its reason: an exemption
/// without a reason cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// Periodic.
    Berkala,
    /// Immediate.
    SertaMerta,
    /// On request.
    SetiapSaat,
    /// Exempt.
    Dikecualikan(Exemption),
}

impl Classification {
    /// The category.
    pub fn category(&self) -> InfoCategory {
        match self {
            Classification::Berkala => InfoCategory::Berkala,
            Classification::SertaMerta => InfoCategory::SertaMerta,
            Classification::SetiapSaat => InfoCategory::SetiapSaat,
            Classification::Dikecualikan(_) => InfoCategory::Dikecualikan,
        }
    }

    /// The exemption, for an exempt entry.
    pub fn exemption(&self) -> Option<&Exemption> {
        match self {
            Classification::Dikecualikan(e) => Some(e),
            _ => None,
        }
    }

    /// A classification from its category and, when exempt, its exemption.
    pub fn of(category: InfoCategory, exemption: Option<Exemption>) -> Option<Self> {
        match (category, exemption) {
            (InfoCategory::Berkala, None) => Some(Classification::Berkala),
            (InfoCategory::SertaMerta, None) => Some(Classification::SertaMerta),
            (InfoCategory::SetiapSaat, None) => Some(Classification::SetiapSaat),
            (InfoCategory::Dikecualikan, Some(e)) => Some(Classification::Dikecualikan(e)),
            _ => None,
        }
    }
}

/// A village's working days: Monday to Friday, except its holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: BTreeSet<Date>,
}

impl WorkingCalendar {
    /// The calendar with these holidays (national holidays and collective
    /// leave days; weekends need not be listed).
    pub fn new(holidays: impl IntoIterator<Item = Date>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
        }
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&day)
    }

    /// The `n`-th working day after `from` (`from` itself never counts;
    /// `n = 0` is `from`). Terminates: the holiday list is finite.
    pub fn add_working_days(&self, from: Date, n: u32) -> Date {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = match day.checked_add(Duration::DAY) {
                Some(d) => d,
                None => return day,
            };
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to` is
    /// not after `from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut day = from;
        while day < to {
            day = match day.checked_add(Duration::DAY) {
                Some(d) => d,
                None => break,
            };
            if self.is_working_day(day) {
                n += 1;
            }
        }
        n
    }
}

/// The day a request received on `received` must be answered by.
pub fn deadline(received: Date, calendar: &WorkingCalendar) -> Date {
    calendar.add_working_days(received, ANSWER_DAYS)
}

/// The deadline after the one extension, from the original `deadline`.
pub fn extended_deadline(deadline: Date, calendar: &WorkingCalendar) -> Date {
    calendar.add_working_days(deadline, EXTENSION_DAYS)
}

/// The last day to object, counted from `start`: the day of the answer,
/// or the answer's deadline when it passed unanswered.
pub fn objection_deadline(start: Date, calendar: &WorkingCalendar) -> Date {
    calendar.add_working_days(start, OBJECTION_DAYS)
}

/// The day an objection filed on `filed` must be answered by.
pub fn objection_answer_deadline(filed: Date, calendar: &WorkingCalendar) -> Date {
    calendar.add_working_days(filed, OBJECTION_ANSWER_DAYS)
}

/// Why an objection cannot be filed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoObjection {
    /// Not answered yet, and its deadline has not passed.
    #[error("permohonan belum dijawab dan batas waktunya belum lewat")]
    TooEarly,
    /// The 30 working days to object have passed.
    #[error("batas waktu pengajuan keberatan sudah lewat")]
    TooLate,
    /// An objection was filed already.
    #[error("keberatan sudah diajukan")]
    AlreadyFiled,
}

/// Whether a request may be objected to on `today`: after its answer
/// (`answered_on`), or once its deadline passed unanswered, and within
/// [`OBJECTION_DAYS`] working days of either.
pub fn may_object(
    status: RequestStatus,
    deadline: Date,
    answered_on: Option<Date>,
    today: Date,
    calendar: &WorkingCalendar,
) -> Result<(), NoObjection> {
    let start = match (status, answered_on) {
        (RequestStatus::KeberatanDiajukan | RequestStatus::KeberatanDijawab, _) => {
            return Err(NoObjection::AlreadyFiled);
        }
        (RequestStatus::Dijawab, Some(on)) => on,
        _ if today > deadline => deadline,
        _ => return Err(NoObjection::TooEarly),
    };
    if today > objection_deadline(start, calendar) {
        return Err(NoObjection::TooLate);
    }
    Ok(())
}

/// A requester's contact: a phone number or an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    /// Digits only, as typed without spaces and dashes (a leading + kept).
    Phone(String),
    /// An e-mail address, lower-cased.
    Email(String),
}

/// Why a typed contact is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("tulis nomor telepon atau alamat surel")]
pub struct NotAContact;

impl Contact {
    /// Reads a phone number (8–15 digits, spaces, dashes and a leading +
    /// forgiven) or an e-mail address (one @, a dot in the domain, no spaces).
    pub fn parse(input: &str) -> Result<Self, NotAContact> {
        let s = input.trim();
        if s.contains('@') {
            let (user, domain) = s.split_once('@').ok_or(NotAContact)?;
            let ok = !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && s.len() <= 100
                && !s.chars().any(|c| c.is_whitespace() || c.is_control());
            return if ok {
                Ok(Contact::Email(s.to_lowercase()))
            } else {
                Err(NotAContact)
            };
        }
        let plus = s.starts_with('+');
        let rest = s.strip_prefix('+').unwrap_or(s);
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        {
            return Err(NotAContact);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(8..=15).contains(&digits.len()) {
            return Err(NotAContact);
        }
        Ok(Contact::Phone(if plus {
            format!("+{digits}")
        } else {
            digits
        }))
    }
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contact::Phone(p) => f.write_str(p),
            Contact::Email(e) => f.write_str(e),
        }
    }
}

/// An information request's registration number, `PPID-2026-0007-K7Q2MX`:
/// the year, the village's running number (what its register lists), and
/// a random code so that nobody reads other people's requests by counting
/// (the scheme of [`crate::complaint::ComplaintReference`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RequestReference {
    year: u16,
    number: u32,
    secret: [u8; SECRET_LEN],
}

/// Why a typed registration number is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bukan nomor registrasi permohonan (PPID-tahun-nomor-kode)")]
pub struct NotARequestReference;

impl RequestReference {
    /// A new number for the village's `number`-th request of `year`.
    pub fn new(year: u16, number: u32, random: [u8; SECRET_LEN]) -> Self {
        Self {
            year,
            number,
            secret: secret_of(random),
        }
    }

    /// Reads a typed number leniently (case, spaces, I/L/O in the code).
    pub fn parse(input: &str) -> Result<Self, NotARequestReference> {
        let (year, number, secret) = parse_reference("PPID", input).ok_or(NotARequestReference)?;
        Ok(Self {
            year,
            number,
            secret,
        })
    }

    /// The year it was received.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The village's running number within the year.
    pub fn number(&self) -> u32 {
        self.number
    }
}

impl fmt::Display for RequestReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = std::str::from_utf8(&self.secret).map_err(|_| fmt::Error)?;
        write!(f, "PPID-{}-{:04}-{code}", self.year, self.number)
    }
}

impl fmt::Debug for RequestReference {
    // The random part is what keeps a request private: not in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PPID-{}-{:04}-******", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn counting_starts_the_working_day_after_receipt() {
        let cal = WorkingCalendar::default();
        // Monday 2 Nov 2026: day 1 is Tuesday, day 10 is Monday 16 Nov.
        assert_eq!(deadline(date!(2026 - 11 - 02), &cal), date!(2026 - 11 - 16));
        // Received on a Saturday: day 1 is Monday.
        assert_eq!(
            cal.add_working_days(date!(2026 - 11 - 07), 1),
            date!(2026 - 11 - 09)
        );
        assert_eq!(deadline(date!(2026 - 11 - 07), &cal), date!(2026 - 11 - 20));
    }

    #[test]
    fn holidays_push_the_deadline() {
        // Christmas (Fri 25 Dec 2026) and a collective leave day (Thu 24 Dec).
        let cal = WorkingCalendar::new([date!(2026 - 12 - 24), date!(2026 - 12 - 25)]);
        // Received Mon 14 Dec: 15..18 (4), 21..23 (3), 28..30 (3) → 30 Dec.
        assert_eq!(deadline(date!(2026 - 12 - 14), &cal), date!(2026 - 12 - 30));
        assert_eq!(
            deadline(date!(2026 - 12 - 14), &WorkingCalendar::default()),
            date!(2026 - 12 - 28)
        );
    }

    #[test]
    fn an_extension_adds_seven_working_days() {
        let cal = WorkingCalendar::new([date!(2026 - 11 - 18)]);
        let d = deadline(date!(2026 - 11 - 02), &cal);
        assert_eq!(d, date!(2026 - 11 - 16));
        // 18 is a holiday: 17, 19, 20, 23, 24, 25, 26.
        assert_eq!(extended_deadline(d, &cal), date!(2026 - 11 - 26));
    }

    #[test]
    fn status_moves_forward_only() {
        use RequestStatus::*;
        assert!(Diterima.may_become(Diperpanjang));
        assert!(Diterima.may_become(Dijawab));
        assert!(Diterima.may_become(KeberatanDiajukan));
        assert!(Diperpanjang.may_become(Dijawab));
        assert!(!Diperpanjang.may_become(Diperpanjang));
        assert!(!Dijawab.may_become(Diperpanjang));
        assert!(!Dijawab.may_become(KeberatanDijawab));
        assert!(KeberatanDiajukan.may_become(KeberatanDijawab));
        for s in RequestStatus::ALL {
            assert!(!s.may_become(Diterima));
            assert!(!KeberatanDijawab.may_become(*s));
        }
    }

    #[test]
    fn objections_after_the_answer_or_the_deadline_only() {
        let cal = WorkingCalendar::default();
        let dl = date!(2026 - 11 - 16);
        use RequestStatus::*;
        assert_eq!(
            may_object(Diterima, dl, None, date!(2026 - 11 - 16), &cal),
            Err(NoObjection::TooEarly)
        );
        assert_eq!(
            may_object(Diterima, dl, None, date!(2026 - 11 - 17), &cal),
            Ok(())
        );
        assert_eq!(
            may_object(
                Dijawab,
                dl,
                Some(date!(2026 - 11 - 05)),
                date!(2026 - 11 - 06),
                &cal
            ),
            Ok(())
        );
        // 30 working days after Thu 5 Nov is Thu 17 Dec.
        assert_eq!(
            objection_deadline(date!(2026 - 11 - 05), &cal),
            date!(2026 - 12 - 17)
        );
        assert_eq!(
            may_object(
                Dijawab,
                dl,
                Some(date!(2026 - 11 - 05)),
                date!(2026 - 12 - 18),
                &cal
            ),
            Err(NoObjection::TooLate)
        );
        assert_eq!(
            may_object(KeberatanDiajukan, dl, None, date!(2026 - 11 - 20), &cal),
            Err(NoObjection::AlreadyFiled)
        );
    }

    #[test]
    fn contacts_are_a_phone_or_an_email() {
        assert_eq!(
            Contact::parse(" 0812-3456 7890 "),
            Ok(Contact::Phone("081234567890".into()))
        );
        assert_eq!(
            Contact::parse("+62 812 3456 7890"),
            Ok(Contact::Phone("+6281234567890".into()))
        );
        assert_eq!(
            Contact::parse("Warga@Contoh.id"),
            Ok(Contact::Email("warga@contoh.id".into()))
        );
        for bad in [
            "",
            "12345",
            "warga@",
            "@contoh.id",
            "a b@c.id",
            "abc",
            "a@b",
        ] {
            assert_eq!(Contact::parse(bad), Err(NotAContact), "{bad:?}");
        }
    }

    #[test]
    fn a_reference_prints_canonically_and_hides_its_code() {
        let r = RequestReference::new(2026, 7, [1, 2, 3, 30, 31, 32]);
        assert_eq!(r.to_string(), "PPID-2026-0007-123YZ0");
        assert_eq!(format!("{r:?}"), "PPID-2026-0007-******");
        assert_eq!(RequestReference::parse(" ppid-2026-7-123yzo"), Ok(r));
        assert!(RequestReference::parse("ADU-2026-0007-123YZ0").is_err());
    }

    #[test]
    fn an_exemption_needs_a_written_reason() {
        assert_eq!(
            Exemption::new(ExemptionGround::RahasiaPribadi, "  data pribadi  "),
            Err(NoReason)
        );
        let e = Exemption::new(
            ExemptionGround::RahasiaPribadi,
            "memuat data pribadi warga penerima",
        )
        .unwrap();
        let c = Classification::of(InfoCategory::Dikecualikan, Some(e.clone())).unwrap();
        assert_eq!(c.category(), InfoCategory::Dikecualikan);
        assert_eq!(Classification::of(InfoCategory::Dikecualikan, None), None);
        assert_eq!(Classification::of(InfoCategory::Berkala, Some(e)), None);
    }

    #[test]
    fn codes_read_back() {
        for c in InfoCategory::ALL {
            assert_eq!(InfoCategory::from_code(i64::from(c.code())), Some(*c));
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::from_code(i64::from(s.code())), Some(*s));
        }
        assert_eq!(ExemptionGround::ALL.len(), 10);
        assert_eq!(Outcome::from_code(0), None);
    }

    fn day(n: i32) -> Date {
        date!(2026 - 01 - 01) + Duration::days(i64::from(n))
    }

    proptest! {
        #[test]
        fn a_deadline_never_lands_on_a_weekend_or_holiday(
            received in 0i32..700,
            holidays in proptest::collection::vec(0i32..760, 0..40),
        ) {
            let cal = WorkingCalendar::new(holidays.iter().map(|h| day(*h)));
            let received = day(received);
            let d = deadline(received, &cal);
            prop_assert!(cal.is_working_day(d));
            prop_assert!(d > received);
            prop_assert_eq!(cal.working_days_between(received, d), ANSWER_DAYS);
            let e = extended_deadline(d, &cal);
            prop_assert!(cal.is_working_day(e));
            prop_assert_eq!(cal.working_days_between(d, e), EXTENSION_DAYS);
            prop_assert_eq!(cal.working_days_between(received, e), ANSWER_DAYS + EXTENSION_DAYS);
        }

        #[test]
        fn every_reference_reads_back(year in 2000u16..3000, number in 1u32..1_000_000, random in any::<[u8; 6]>()) {
            let r = RequestReference::new(year, number, random);
            prop_assert_eq!(RequestReference::parse(&r.to_string()), Ok(r.clone()));
            prop_assert_eq!(RequestReference::parse(&r.to_string().to_lowercase()), Ok(r));
        }
    }
}
