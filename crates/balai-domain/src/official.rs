//! Village officials (perangkat desa) and the village consultative body
//! (BPD) as data: positions under Permendagri 84/2015 (the village
//! government's organisation: the head, the secretariat with its Kaur,
//! the Kasi of the implementing staff, the dusun heads), the NIP of a civil
//! servant or a village-issued NIPD, a term of office, and who may sign a
//! letter in which capacity — derived from the position, never stored.

use std::fmt;

use time::{Date, Month};

use crate::person_name::PersonName;

/// A field of an official's record that failed to parse, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct OfficialError {
    /// The form field at fault (`jabatan`, `nama`, `nip`, `mulai`, …).
    pub field: &'static str,
    /// What is wrong, in plain Indonesian (shown on the form).
    pub message: String,
}

impl OfficialError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The body an official belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// The village government (pemerintah desa): head and perangkat.
    Government,
    /// The village consultative body (Badan Permusyawaratan Desa).
    Bpd,
}

/// A position in the village government or the BPD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    /// Kepala Desa.
    KepalaDesa,
    /// Sekretaris Desa, who heads the secretariat.
    SekretarisDesa,
    /// Kepala Urusan Tata Usaha dan Umum (secretariat).
    KaurTataUsahaUmum,
    /// Kepala Urusan Keuangan (secretariat).
    KaurKeuangan,
    /// Kepala Urusan Perencanaan (secretariat).
    KaurPerencanaan,
    /// Kepala Seksi Pemerintahan (implementing staff).
    KasiPemerintahan,
    /// Kepala Seksi Kesejahteraan.
    KasiKesejahteraan,
    /// Kepala Seksi Pelayanan.
    KasiPelayanan,
    /// Kepala Dusun (territorial staff; the dusun is part of the post).
    KepalaDusun,
    /// Ketua BPD.
    BpdKetua,
    /// Wakil Ketua BPD.
    BpdWakilKetua,
    /// Sekretaris BPD.
    BpdSekretaris,
    /// Anggota BPD.
    BpdAnggota,
}

impl Position {
    /// Every position, in the order of the organisation chart.
    pub const ALL: [Position; 13] = [
        Position::KepalaDesa,
        Position::SekretarisDesa,
        Position::KaurTataUsahaUmum,
        Position::KaurKeuangan,
        Position::KaurPerencanaan,
        Position::KasiPemerintahan,
        Position::KasiKesejahteraan,
        Position::KasiPelayanan,
        Position::KepalaDusun,
        Position::BpdKetua,
        Position::BpdWakilKetua,
        Position::BpdSekretaris,
        Position::BpdAnggota,
    ];

    /// Stored code (stable; the order of the chart).
    pub fn code(self) -> u8 {
        match self {
            Position::KepalaDesa => 1,
            Position::SekretarisDesa => 2,
            Position::KaurTataUsahaUmum => 3,
            Position::KaurKeuangan => 4,
            Position::KaurPerencanaan => 5,
            Position::KasiPemerintahan => 6,
            Position::KasiKesejahteraan => 7,
            Position::KasiPelayanan => 8,
            Position::KepalaDusun => 9,
            Position::BpdKetua => 21,
            Position::BpdWakilKetua => 22,
            Position::BpdSekretaris => 23,
            Position::BpdAnggota => 24,
        }
    }

    /// The position of a stored code.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| i64::from(p.code()) == code)
    }

    /// Indonesian title, as printed on letters and the public site.
    pub fn title(self) -> &'static str {
        match self {
            Position::KepalaDesa => "Kepala Desa",
            Position::SekretarisDesa => "Sekretaris Desa",
            Position::KaurTataUsahaUmum => "Kepala Urusan Tata Usaha dan Umum",
            Position::KaurKeuangan => "Kepala Urusan Keuangan",
            Position::KaurPerencanaan => "Kepala Urusan Perencanaan",
            Position::KasiPemerintahan => "Kepala Seksi Pemerintahan",
            Position::KasiKesejahteraan => "Kepala Seksi Kesejahteraan",
            Position::KasiPelayanan => "Kepala Seksi Pelayanan",
            Position::KepalaDusun => "Kepala Dusun",
            Position::BpdKetua => "Ketua BPD",
            Position::BpdWakilKetua => "Wakil Ketua BPD",
            Position::BpdSekretaris => "Sekretaris BPD",
            Position::BpdAnggota => "Anggota BPD",
        }
    }

    /// Which body the position belongs to.
    pub fn body(self) -> Body {
        match self {
            Position::BpdKetua
            | Position::BpdWakilKetua
            | Position::BpdSekretaris
            | Position::BpdAnggota => Body::Bpd,
            _ => Body::Government,
        }
    }

    /// A Kaur (secretariat) or Kasi (implementing staff): may sign "u.b."
    /// under the secretary.
    pub fn is_kaur_or_kasi(self) -> bool {
        matches!(
            self,
            Position::KaurTataUsahaUmum
                | Position::KaurKeuangan
                | Position::KaurPerencanaan
                | Position::KasiPemerintahan
                | Position::KasiKesejahteraan
                | Position::KasiPelayanan
        )
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// A civil servant's NIP (Nomor Induk Pegawai), 18 digits:
/// `yyyymmdd` birth date, `yyyymm` appointment (TMT CPNS), one sex digit
/// (1 man, 2 woman) and a three-digit sequence from 001.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nip {
    digits: [u8; 18],
    birth: Date,
    appointed: (i32, Month),
    sex: u8,
    sequence: u16,
}

impl Nip {
    /// Parses 18 digits; spaces (as NIPs are often printed, `19700101
    /// 199503 1 001`) are ignored.
    pub fn parse(input: &str) -> Result<Self, OfficialError> {
        let bad = |m: &str| OfficialError::new("nip", m);
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() != 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("NIP terdiri dari 18 angka"));
        }
        let mut digits = [0u8; 18];
        for (d, b) in digits.iter_mut().zip(s.bytes()) {
            *d = b - b'0';
        }
        let num = |a: usize, b: usize| {
            digits[a..b]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(*d))
        };
        let year = i32::try_from(num(0, 4)).unwrap_or(0);
        let month = Month::try_from(u8::try_from(num(4, 6)).unwrap_or(0));
        let birth = month
            .ok()
            .and_then(|m| Date::from_calendar_date(year, m, u8::try_from(num(6, 8)).ok()?).ok())
            .filter(|_| year >= 1900)
            .ok_or_else(|| bad("angka 1–8 NIP harus tanggal lahir yang sah (ttttbbhh)"))?;
        let a_year = i32::try_from(num(8, 12)).unwrap_or(0);
        let a_month = Month::try_from(u8::try_from(num(12, 14)).unwrap_or(0))
            .map_err(|_| bad("angka 13–14 NIP harus bulan pengangkatan 01–12"))?;
        // A civil servant is appointed as an adult: at least 18 years after birth.
        if a_year < year + 18 {
            return Err(bad(
                "angka 9–14 NIP (tahun dan bulan pengangkatan) harus sesudah usia 18 tahun",
            ));
        }
        let sex = digits[14];
        if sex != 1 && sex != 2 {
            return Err(bad(
                "angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)",
            ));
        }
        let sequence = u16::try_from(num(15, 18)).unwrap_or(0);
        if sequence == 0 {
            return Err(bad("angka 16–18 NIP (nomor urut) tidak boleh 000"));
        }
        Ok(Self {
            digits,
            birth,
            appointed: (a_year, a_month),
            sex,
            sequence,
        })
    }

    /// The birth date in the number.
    pub fn birth_date(&self) -> Date {
        self.birth
    }

    /// The year and month of appointment.
    pub fn appointed(&self) -> (i32, Month) {
        self.appointed
    }

    /// 1 for a man, 2 for a woman.
    pub fn sex_digit(&self) -> u8 {
        self.sex
    }

    /// The sequence number (1–999).
    pub fn sequence(&self) -> u16 {
        self.sequence
    }
}

impl fmt::Display for Nip {
    /// The 18 digits grouped as printed: `19700101 199503 1 001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.digits.iter().enumerate() {
            if matches!(i, 8 | 14 | 15) {
                f.write_str(" ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Nip {
    // The NIP holds a birth date: personal data stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nip(**)")
    }
}

/// A village-issued official number (NIPD / NIAPD). There is no national
/// format: villages and regencies number their perangkat themselves
/// (`12.2019.003`, `141/07/2020`, `NIPD-0042`). The rule kept here:
/// 3–30 characters of ASCII letters, digits and the separators `.`, `/`,
/// `-`, with at least one digit, starting and ending with a letter or
/// digit, no two separators in a row; letters are kept upper case so the
/// same number typed twice compares equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nipd(String);

impl Nipd {
    /// Longest NIPD accepted.
    pub const MAX: usize = 30;

    /// Parses a NIPD under the rule above (surrounding spaces trimmed).
    pub fn parse(input: &str) -> Result<Self, OfficialError> {
        let bad = |m: &str| OfficialError::new("nip", m);
        let s = input.trim().to_ascii_uppercase();
        let len = s.chars().count();
        if !(3..=Self::MAX).contains(&len) {
            return Err(bad("NIPD terdiri dari 3–30 karakter"));
        }
        let sep = |c: char| matches!(c, '.' | '/' | '-');
        if let Some(c) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || sep(*c))) {
            return Err(bad(&format!(
                "NIPD hanya berisi huruf, angka dan . / - (bukan {c:?})"
            )));
        }
        if !s.chars().any(|c| c.is_ascii_digit()) {
            return Err(bad("NIPD harus memuat angka"));
        }
        let first = s.chars().next().is_some_and(sep);
        let last = s.chars().last().is_some_and(sep);
        if first
            || last
            || s.as_bytes()
                .windows(2)
                .any(|w| sep(w[0] as char) && sep(w[1] as char))
        {
            return Err(bad(
                "NIPD diawali dan diakhiri huruf atau angka, tanpa dua pemisah berurutan",
            ));
        }
        Ok(Self(s))
    }

    /// The number as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nipd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Nipd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nipd(**)")
    }
}

/// An official's employee number: a civil servant's NIP or a
/// village-issued NIPD. BPD members usually have neither.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OfficialNumber {
    /// A civil servant's NIP.
    Nip(Nip),
    /// A village-issued number.
    Nipd(Nipd),
}

impl OfficialNumber {
    /// Reads what was typed: 18 digits (spaces allowed) that look like a
    /// NIP must be a valid one — a mistyped NIP is not quietly kept as a
    /// NIPD —; anything else is read as a NIPD.
    pub fn parse(input: &str) -> Result<Self, OfficialError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Nip::parse(&digits).map(OfficialNumber::Nip)
        } else {
            Nipd::parse(input).map(OfficialNumber::Nipd)
        }
    }

    /// The label printed before it: `NIP` or `NIPD`.
    pub fn label(&self) -> &'static str {
        match self {
            OfficialNumber::Nip(_) => "NIP",
            OfficialNumber::Nipd(_) => "NIPD",
        }
    }

    /// The number as stored (a NIP as its 18 digits, no spaces).
    pub fn stored(&self) -> String {
        match self {
            OfficialNumber::Nip(n) => n.to_string().replace(' ', ""),
            OfficialNumber::Nipd(n) => n.as_str().to_string(),
        }
    }
}

impl fmt::Display for OfficialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfficialNumber::Nip(n) => write!(f, "{n}"),
            OfficialNumber::Nipd(n) => write!(f, "{n}"),
        }
    }
}

/// A term of office: from `start`, until `end` inclusive when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    start: Date,
    end: Option<Date>,
}

impl Term {
    /// A term; the end may not come before the start.
    pub fn new(start: Date, end: Option<Date>) -> Result<Self, OfficialError> {
        if let Some(e) = end
            && e < start
        {
            return Err(OfficialError::new(
                "selesai",
                "akhir masa jabatan tidak boleh sebelum awalnya",
            ));
        }
        Ok(Self { start, end })
    }

    /// First day in office.
    pub fn start(&self) -> Date {
        self.start
    }

    /// Last day in office, if the term has ended or its end is known.
    pub fn end(&self) -> Option<Date> {
        self.end
    }

    /// Whether the official holds office on `day`.
    pub fn covers(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }

    /// The same term ended on `day` (not before it began).
    pub fn ended(self, day: Date) -> Result<Self, OfficialError> {
        Self::new(self.start, Some(day))
    }
}

/// In which capacity an official signs a village letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Authority {
    /// The head (or an acting head, Plt.) signs in their own name.
    Head,
    /// "a.n. Kepala Desa": the secretary, or an official acting as
    /// secretary (Plt.), on the head's behalf.
    OnBehalf,
    /// "u.b.": a Kaur or Kasi signing under the secretary, on the head's behalf.
    ByOrder,
}

impl Authority {
    /// Stored code.
    pub fn code(self) -> u8 {
        match self {
            Authority::Head => 1,
            Authority::OnBehalf => 2,
            Authority::ByOrder => 3,
        }
    }
}

/// An official's record, checked: who, which post, which number, which term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    /// The official's name (titles included, as printed).
    pub name: PersonName,
    /// The position.
    pub position: Position,
    /// The dusun a Kepala Dusun heads (`None` for every other position).
    pub dusun: Option<String>,
    /// Acting in the post (Plt.): for a Kaur, Kasi or Kepala Dusun it means
    /// acting as Sekretaris Desa; for the head, Plt. Kepala Desa.
    pub acting: bool,
    /// NIP or NIPD, if any.
    pub number: Option<OfficialNumber>,
    /// The term of office.
    pub term: Term,
}

/// The raw text of an official's record (what a form posts).
#[derive(Debug, Clone, Default)]
pub struct AppointmentText<'a> {
    /// The position's code.
    pub position: &'a str,
    /// The name.
    pub name: &'a str,
    /// The dusun (Kepala Dusun only).
    pub dusun: &'a str,
    /// Whether "Plt." was ticked.
    pub acting: bool,
    /// NIP or NIPD ('' for none).
    pub number: &'a str,
    /// First day, `YYYY-MM-DD`.
    pub start: &'a str,
    /// Last day, `YYYY-MM-DD` or ''.
    pub end: &'a str,
}

/// Longest dusun name accepted.
pub const MAX_DUSUN_CHARS: usize = 60;

fn parse_day(field: &'static str, s: &str) -> Result<Date, OfficialError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt)
        .map_err(|_| OfficialError::new(field, "tulis tanggal sebagai TTTT-BB-HH"))
}

impl Appointment {
    /// Parses a record; every field error is returned at once.
    pub fn parse(t: &AppointmentText<'_>) -> Result<Self, Vec<OfficialError>> {
        let mut errors = Vec::new();
        let position = t
            .position
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(Position::from_code);
        if position.is_none() {
            errors.push(OfficialError::new("jabatan", "pilih jabatan"));
        }
        let name = PersonName::parse(t.name)
            .map_err(|e| errors.push(OfficialError::new("nama", format!("nama tidak sah: {e}"))))
            .ok();
        let dusun = t.dusun.split_whitespace().collect::<Vec<_>>().join(" ");
        let dusun = match position {
            Some(Position::KepalaDusun) if dusun.is_empty() => {
                errors.push(OfficialError::new("dusun", "tulis dusun yang dipimpin"));
                None
            }
            Some(Position::KepalaDusun) if dusun.chars().count() > MAX_DUSUN_CHARS => {
                errors.push(OfficialError::new(
                    "dusun",
                    "nama dusun paling banyak 60 karakter",
                ));
                None
            }
            Some(Position::KepalaDusun) => Some(dusun),
            _ if !dusun.is_empty() => {
                errors.push(OfficialError::new(
                    "dusun",
                    "dusun hanya diisi untuk Kepala Dusun",
                ));
                None
            }
            _ => None,
        };
        if t.acting
            && let Some(p) = position
            && (p.body() == Body::Bpd || p == Position::SekretarisDesa)
        {
            errors.push(OfficialError::new(
                "plt",
                "Plt. hanya untuk Kepala Desa, Kaur, Kasi atau Kepala Dusun yang menjalankan tugas Sekretaris Desa",
            ));
        }
        let number = if t.number.trim().is_empty() {
            None
        } else {
            OfficialNumber::parse(t.number)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let start = parse_day("mulai", t.start).map_err(|e| errors.push(e)).ok();
        let end = if t.end.trim().is_empty() {
            Some(None)
        } else {
            parse_day("selesai", t.end)
                .map(Some)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let term = match (start, end) {
            (Some(s), Some(e)) => Term::new(s, e).map_err(|e| errors.push(e)).ok(),
            _ => None,
        };
        match (position, name, term) {
            (Some(position), Some(name), Some(term)) if errors.is_empty() => Ok(Self {
                name,
                position,
                dusun,
                acting: t.acting,
                number,
                term,
            }),
            _ => Err(errors),
        }
    }

    /// In which capacity this official may sign letters, if at all:
    /// derived from the position (and the Plt. mark), never stored.
    pub fn authority(&self) -> Option<Authority> {
        match self.position {
            Position::KepalaDesa => Some(Authority::Head),
            Position::SekretarisDesa => Some(Authority::OnBehalf),
            // An official acting as secretary signs as the secretary would.
            Position::KepalaDusun if self.acting => Some(Authority::OnBehalf),
            p if p.is_kaur_or_kasi() && self.acting => Some(Authority::OnBehalf),
            p if p.is_kaur_or_kasi() => Some(Authority::ByOrder),
            _ => None,
        }
    }

    /// The title printed under the signature: `Sekretaris Desa`,
    /// `Plt. Kepala Desa`, `Kepala Dusun Krajan`.
    pub fn title(&self) -> String {
        let base = match (&self.position, &self.dusun) {
            (Position::KepalaDusun, Some(d)) => format!("Kepala Dusun {d}"),
            (p, _) => p.title().to_string(),
        };
        match (self.acting, self.position) {
            (true, Position::KepalaDesa) => format!("Plt. {base}"),
            // Acting secretary: the post they act in, as it is signed.
            (true, _) => "Plt. Sekretaris Desa".to_string(),
            (false, _) => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn text<'a>(position: &'a str, name: &'a str) -> AppointmentText<'a> {
        AppointmentText {
            position,
            name,
            start: "2024-01-15",
            ..Default::default()
        }
    }

    #[test]
    fn a_nip_is_read_into_its_parts() {
        let n = Nip::parse("19850312 201001 2 004").unwrap();
        assert_eq!(n.birth_date(), date!(1985 - 03 - 12));
        assert_eq!(n.appointed(), (2010, Month::January));
        assert_eq!(n.sex_digit(), 2);
        assert_eq!(n.sequence(), 4);
        assert_eq!(n.to_string(), "19850312 201001 2 004");
        assert_eq!(format!("{n:?}"), "Nip(**)");
    }

    #[test]
    fn a_bad_nip_names_the_field_and_the_part() {
        for (input, part) in [
            ("1985031220100120", "18 angka"),
            ("19851312201001200x", "18 angka"),
            ("198502302010012004", "tanggal lahir"),
            ("198503122010132004", "bulan pengangkatan"),
            ("198503121995012004", "usia 18"),
            ("198503122010013004", "angka ke-15"),
            ("198503122010012000", "000"),
        ] {
            let e = Nip::parse(input).unwrap_err();
            assert_eq!(e.field, "nip", "{input}");
            // 18 digits are a NIP or nothing: never quietly kept as a NIPD.
            if input.len() == 18 && input.bytes().all(|b| b.is_ascii_digit()) {
                assert!(OfficialNumber::parse(input).is_err(), "{input}");
            }
            assert!(e.message.contains(part), "{input}: {}", e.message);
        }
    }

    #[test]
    fn a_nipd_follows_the_village_rule() {
        assert_eq!(
            OfficialNumber::parse(" 12.2019.003 ").unwrap(),
            OfficialNumber::Nipd(Nipd("12.2019.003".into()))
        );
        assert_eq!(Nipd::parse("nipd-0042").unwrap().as_str(), "NIPD-0042");
        for bad in [
            "12",
            "ABC",
            "12..3",
            "/123",
            "12 3",
            "12_3",
            &"1".repeat(31),
        ] {
            let e = Nipd::parse(bad).unwrap_err();
            assert_eq!(e.field, "nip", "{bad}");
        }
    }

    #[test]
    fn a_term_never_ends_before_it_starts() {
        let t = Term::new(date!(2024 - 01 - 15), None).unwrap();
        assert!(t.covers(date!(2030 - 01 - 01)));
        assert!(!t.covers(date!(2024 - 01 - 14)));
        let ended = t.ended(date!(2026 - 06 - 30)).unwrap();
        assert!(ended.covers(date!(2026 - 06 - 30)));
        assert!(!ended.covers(date!(2026 - 07 - 01)));
        assert_eq!(t.ended(date!(2023 - 12 - 31)).unwrap_err().field, "selesai");
    }

    #[test]
    fn signing_authority_follows_the_position() {
        let auth = |pos: Position, acting: bool| {
            let mut t = text("", "Siti Aminah");
            let code = pos.code().to_string();
            t.position = &code;
            t.acting = acting;
            if pos == Position::KepalaDusun {
                t.dusun = "Krajan";
            }
            Appointment::parse(&t).map(|a| (a.authority(), a.title()))
        };
        assert_eq!(
            auth(Position::KepalaDesa, false).unwrap(),
            (Some(Authority::Head), "Kepala Desa".into())
        );
        assert_eq!(
            auth(Position::KepalaDesa, true).unwrap(),
            (Some(Authority::Head), "Plt. Kepala Desa".into())
        );
        assert_eq!(
            auth(Position::SekretarisDesa, false).unwrap().0,
            Some(Authority::OnBehalf)
        );
        assert_eq!(
            auth(Position::KaurKeuangan, false).unwrap().0,
            Some(Authority::ByOrder)
        );
        assert_eq!(
            auth(Position::KasiPelayanan, true).unwrap(),
            (Some(Authority::OnBehalf), "Plt. Sekretaris Desa".into())
        );
        assert_eq!(
            auth(Position::KepalaDusun, false).unwrap(),
            (None, "Kepala Dusun Krajan".into())
        );
        assert_eq!(auth(Position::BpdKetua, false).unwrap().0, None);
        // Nobody acts as secretary from the BPD, and the secretary is not Plt. of themself.
        assert_eq!(
            auth(Position::BpdAnggota, true).unwrap_err()[0].field,
            "plt"
        );
        assert_eq!(
            auth(Position::SekretarisDesa, true).unwrap_err()[0].field,
            "plt"
        );
    }

    #[test]
    fn a_bad_record_names_every_field_at_once() {
        let errors = Appointment::parse(&AppointmentText {
            position: "99",
            name: "  ",
            dusun: "",
            acting: false,
            number: "12",
            start: "15-01-2024",
            end: "",
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["jabatan", "nama", "nip", "mulai"]);
        let kadus = Appointment::parse(&text("9", "Budi")).unwrap_err();
        assert_eq!(kadus[0].field, "dusun");
        let mut sekdes = text("2", "Budi");
        sekdes.dusun = "Krajan";
        assert_eq!(Appointment::parse(&sekdes).unwrap_err()[0].field, "dusun");
        let mut backwards = text("2", "Budi");
        backwards.end = "2023-01-01";
        assert_eq!(
            Appointment::parse(&backwards).unwrap_err()[0].field,
            "selesai"
        );
    }

    #[test]
    fn every_position_code_round_trips() {
        for p in Position::ALL {
            assert_eq!(Position::from_code(i64::from(p.code())), Some(p));
        }
        assert_eq!(Position::from_code(0), None);
    }
}
