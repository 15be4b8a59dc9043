//! One data row → one resident, or every reason it cannot be one. Each cell
//! is checked on its own so that a row with three mistakes reports three.

use balai_domain::codes::{
    Agama, Asuransi, Cacat, CaraKb, GolonganDarah, Hamil, KtpEl, Pekerjaan, PendidikanKk,
    PendidikanSedang, Sex, Shdk, StatusDasar, StatusKawin, StatusRekam, Warganegara,
};
use balai_domain::{CodeList, Nik, NoKk, PersonName, ResidentDetails, ResidentNumber, Wilayah};
use time::Date;

use crate::cells::{Cell, serial_date};
use crate::columns::Column;
use crate::dates::{self, DateProblem};
use crate::headers::ColumnMap;
use crate::issue::{Issues, RowIssue};
use crate::parsed::ParsedResident;
use crate::reasons;

/// The largest integer an f64 holds exactly; a NIK stored as a larger number has lost digits.
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// The smallest 16-digit number: Excel stores 15 significant digits, so from
/// here on the last digits of a typed number are zeros, not what was typed.
const EXCEL_DIGITS: f64 = 1e15;

/// Before this year no living person was born and no KK event happened.
const EARLIEST_YEAR: i32 = 1880;

/// What the checks across rows need from a row, kept even when other cells
/// of the row are wrong (a duplicate NIK is worth reporting on a row with a
/// bad date too).
#[derive(Debug, Clone)]
pub(crate) struct RowFacts {
    /// Spreadsheet row.
    pub(crate) row: u32,
    /// The parsed NIK or temporary number.
    pub(crate) number: Option<ResidentNumber>,
    /// The parsed No. KK.
    pub(crate) no_kk: Option<NoKk>,
    /// The parsed `kk_level`.
    pub(crate) relationship: Option<Shdk>,
    /// The parsed `status_dasar` (blank is HIDUP).
    pub(crate) status: Option<StatusDasar>,
    /// `alamat`, trimmed.
    pub(crate) address: String,
    /// Dusun, RW and RT, when all three are valid.
    pub(crate) wilayah: Option<Wilayah>,
}

/// A parsed row: its facts, and the resident when every cell was valid.
#[derive(Debug)]
pub(crate) struct RowOutcome {
    /// See [`RowFacts`].
    pub(crate) facts: RowFacts,
    /// Present when the row had no error.
    pub(crate) resident: Option<ParsedResident>,
}

/// Parses data rows against one header layout.
pub(crate) struct RowParser<'m> {
    map: &'m ColumnMap,
    today: Option<Date>,
}

impl<'m> RowParser<'m> {
    /// A parser for rows laid out as `map` says; `today`, when known, rejects future birth dates.
    pub(crate) fn new(map: &'m ColumnMap, today: Option<Date>) -> Self {
        Self { map, today }
    }

    /// Parses spreadsheet row `row`, adding its errors and warnings to `issues`.
    pub(crate) fn parse(&self, row: u32, cells: &[Cell<'_>], issues: &mut Issues) -> RowOutcome {
        let mut r = Row {
            row,
            cells,
            map: self.map,
            today: self.today,
            issues,
            failed: false,
        };
        let name = r.name();
        let number = r.resident_number();
        let no_kk = r.no_kk();
        let sex = r.required_code::<Sex>(Column::Sex);
        let birth_place = r.text(Column::TempatLahir);
        let birth_date = r.birth_date();
        let religion = r.required_code::<Agama>(Column::AgamaId);
        let education = r.required_code::<PendidikanKk>(Column::PendidikanKkId);
        let current_education = r.optional_code::<PendidikanSedang>(Column::PendidikanSedangId);
        let occupation = r.required_code::<Pekerjaan>(Column::PekerjaanId);
        let marital_status = r.required_code::<StatusKawin>(Column::StatusKawin);
        let relationship = r.required_code::<Shdk>(Column::KkLevel);
        let citizenship = r
            .optional_code::<Warganegara>(Column::WarganegaraId)
            .unwrap_or(Warganegara::Wni);
        let father_nik = r.parent_nik(Column::AyahNik, "NIK ayah");
        let father_name = r.text(Column::NamaAyah);
        let mother_nik = r.parent_nik(Column::IbuNik, "NIK ibu");
        let mother_name = r.text(Column::NamaIbu);
        let blood_type = r
            .optional_code::<GolonganDarah>(Column::GolonganDarahId)
            .unwrap_or(GolonganDarah::TidakTahu);
        let details = ResidentDetails {
            current_education,
            birth_certificate: r.text(Column::AktaLahir),
            passport: r.text(Column::DokumenPasport),
            passport_expiry: r.date(Column::TanggalAkhirPaspor, false),
            kitas: r.text(Column::DokumenKitas),
            marriage_certificate: r.text(Column::AktaPerkawinan),
            marriage_date: r.past_date(Column::TanggalPerkawinan),
            divorce_certificate: r.text(Column::AktaPerceraian),
            divorce_date: r.past_date(Column::TanggalPerceraian),
            contraception: r.optional_code::<CaraKb>(Column::CaraKbId),
            pregnant: r.optional_code::<Hamil>(Column::Hamil),
            ktp_el: r.optional_code::<KtpEl>(Column::KtpEl),
            ktp_recording: r.optional_code::<StatusRekam>(Column::StatusRekam),
            current_address: r.text(Column::AlamatSekarang),
            ethnicity: r.text(Column::Suku),
            id_card_tag: r.text(Column::TagIdCard),
            insurance: r.optional_code::<Asuransi>(Column::IdAsuransi),
            insurance_number: r.text(Column::NoAsuransi),
            latitude: r.text(Column::Lat),
            longitude: r.text(Column::Lng),
        };
        let disability = r.optional_code::<Cacat>(Column::CacatId);
        let status = if r.cell(Column::StatusDasar).is_blank() {
            Some(StatusDasar::Hidup)
        } else {
            r.optional_code::<StatusDasar>(Column::StatusDasar)
        };
        let address = r.text(Column::Alamat);
        let wilayah = r.wilayah();

        if let (Some(ResidentNumber::Nik(nik)), Some(birth), Some(sex)) = (number, birth_date, sex)
        {
            for w in nik.check_against(birth, sex) {
                r.warn(Column::Nik, reasons::nik_warning(&w));
            }
        }

        let failed = r.failed;
        let facts = RowFacts {
            row,
            number,
            no_kk,
            relationship,
            status,
            address,
            wilayah,
        };
        let resident = (|| {
            if failed {
                return None;
            }
            Some(ParsedResident {
                row,
                no_kk: no_kk?,
                number: number?,
                name: name?,
                sex: sex?,
                birth_place,
                birth_date: birth_date?,
                religion: religion?,
                education: education?,
                occupation: occupation?,
                marital_status: marital_status?,
                relationship: relationship?,
                citizenship,
                blood_type,
                disability,
                father_nik,
                father_name,
                mother_nik,
                mother_name,
                status: status?,
                details,
            })
        })();
        RowOutcome { facts, resident }
    }
}

/// One row being read; every check records its own error and carries on.
struct Row<'r, 'a> {
    row: u32,
    cells: &'r [Cell<'a>],
    map: &'r ColumnMap,
    today: Option<Date>,
    issues: &'r mut Issues,
    failed: bool,
}

impl<'r, 'a> Row<'r, 'a> {
    fn cell(&self, c: Column) -> &'r Cell<'a> {
        self.map.cell(self.cells, c)
    }

    fn issue(&self, c: Column, reason: String) -> RowIssue {
        RowIssue::new(self.row, c.name(), &self.cell(c).text(), reason)
    }

    fn error(&mut self, c: Column, reason: String) {
        let issue = self.issue(c, reason);
        self.issues.error(self.map.position(c), issue);
        self.failed = true;
    }

    fn warn(&mut self, c: Column, reason: String) {
        let issue = self.issue(c, reason);
        self.issues.warning(self.map.position(c), issue);
    }

    /// False (after recording the error) when the cell holds an Excel error value.
    fn usable(&mut self, c: Column) -> bool {
        if let Cell::Error(e) = self.cell(c) {
            let reason =
                format!("sel berisi galat Excel {e}; isi nilainya langsung, bukan hasil rumus");
            self.error(c, reason);
            return false;
        }
        true
    }

    fn text(&mut self, c: Column) -> String {
        if !self.usable(c) {
            return String::new();
        }
        let cell = self.cell(c);
        // Excel keeps 15 significant digits: a longer number (an insurance
        // card, a passport typed as a number) has lost its last ones.
        if let Cell::Float(f) = cell
            && f.abs() >= EXCEL_DIGITS
        {
            self.warn(
                c,
                "angka sepanjang ini tersimpan sebagai bilangan sehingga digit terakhirnya bisa hilang; format kolom sebagai Teks lalu ketik ulang".into(),
            );
        }
        cell.text().into_owned()
    }

    fn name(&mut self) -> Option<PersonName> {
        if !self.usable(Column::Nama) {
            return None;
        }
        match PersonName::parse(&self.cell(Column::Nama).text()) {
            Ok(n) => Some(n),
            Err(e) => {
                self.error(Column::Nama, reasons::person_name(&e));
                None
            }
        }
    }

    /// The digits of an identity-number cell: a leading apostrophe (Excel's
    /// "keep as text" mark) and spaces removed. `None` after recording an
    /// error when a number cell has lost digits.
    fn id_digits(&mut self, c: Column, label: &str) -> Option<String> {
        if !self.usable(c) {
            return None;
        }
        let cell = self.cell(c);
        match cell {
            Cell::Float(f) if f.abs() > EXACT_F64 => {
                self.error(
                    c,
                    format!("{label} tersimpan sebagai angka dan digit terakhirnya hilang; format kolom sebagai Teks lalu ketik ulang {label}"),
                );
                return None;
            }
            Cell::Float(f)
                if *f >= EXCEL_DIGITS && f.fract() == 0.0 && f.rem_euclid(10.0) == 0.0 =>
            {
                self.warn(
                    c,
                    format!("{label} tersimpan sebagai angka; Excel hanya menyimpan 15 digit sehingga digit terakhir (0) mungkin bukan aslinya; periksa, lalu format kolom sebagai Teks"),
                );
            }
            _ => {}
        }
        let text = cell.text();
        let digits: String = text
            .strip_prefix('\'')
            .unwrap_or(&text)
            .chars()
            .filter(|ch| !ch.is_whitespace())
            .collect();
        Some(digits)
    }

    /// Appended to a NIK error when a number cell holds 15 digits: a
    /// temporary number (which starts with 0) typed into a number cell.
    fn lost_zero_hint(&self, c: Column, digits: &str) -> &'static str {
        if matches!(self.cell(c), Cell::Float(_) | Cell::Int(_)) && digits.len() == 15 {
            " (sel berisi angka: angka 0 di depan nomor sementara hilang? format kolom sebagai Teks)"
        } else {
            ""
        }
    }

    fn resident_number(&mut self) -> Option<ResidentNumber> {
        let digits = self.id_digits(Column::Nik, "NIK")?;
        if digits.is_empty() {
            self.error(
                Column::Nik,
                "NIK wajib diisi: 16 digit NIK, atau nomor sementara yang diawali 0".into(),
            );
            return None;
        }
        match ResidentNumber::parse(&digits) {
            Ok(n) => Some(n),
            Err(e) => {
                let hint = self.lost_zero_hint(Column::Nik, &digits);
                let reason = reasons::id_number("NIK", &digits, &e) + hint;
                self.error(Column::Nik, reason);
                None
            }
        }
    }

    fn no_kk(&mut self) -> Option<NoKk> {
        let digits = self.id_digits(Column::NoKk, "No. KK")?;
        if digits.is_empty() {
            self.error(Column::NoKk, "No. KK wajib diisi".into());
            return None;
        }
        match NoKk::parse(&digits) {
            Ok(n) => Some(n),
            Err(e) => {
                let reason = reasons::id_number("No. KK", &digits, &e);
                self.error(Column::NoKk, reason);
                None
            }
        }
    }

    /// A parent's NIK: blank, `-` or `0` mean unknown.
    fn parent_nik(&mut self, c: Column, label: &str) -> Option<Nik> {
        let digits = self.id_digits(c, label)?;
        if matches!(digits.as_str(), "" | "-" | "0") {
            return None;
        }
        match Nik::parse(&digits) {
            Ok(n) => Some(n),
            Err(e) => {
                self.error(c, reasons::id_number(label, &digits, &e));
                None
            }
        }
    }

    fn required_code<T: CodeList>(&mut self, c: Column) -> Option<T> {
        if self.cell(c).is_blank() {
            self.error(c, format!("{} wajib diisi", c.name()));
            return None;
        }
        self.optional_code(c)
    }

    fn optional_code<T: CodeList>(&mut self, c: Column) -> Option<T> {
        if !self.usable(c) {
            return None;
        }
        let cell = self.cell(c);
        if cell.is_blank() {
            return None;
        }
        // Codes are usually number cells: look them up without formatting text.
        let number = match cell {
            Cell::Float(f) if f.fract() == 0.0 && (0.0..=255.0).contains(f) => Some(*f as u8),
            Cell::Int(i) => u8::try_from(*i).ok(),
            _ => None,
        };
        if let Some(v) = number.and_then(T::from_code) {
            return Some(v);
        }
        match T::parse(&cell.text()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(c, reasons::unknown_code(&e));
                None
            }
        }
    }

    /// A date cell: an Excel date, a serial number, or text in a known layout.
    fn date(&mut self, c: Column, required: bool) -> Option<Date> {
        if !self.usable(c) {
            return None;
        }
        let cell = self.cell(c);
        if cell.is_blank() {
            if required {
                self.error(c, format!("{} wajib diisi", c.name()));
            }
            return None;
        }
        let parsed = match cell {
            Cell::Date(d, _) => d.ok_or(DateProblem::Unrecognised),
            Cell::Float(f) => serial_date(*f).ok_or(DateProblem::Unrecognised),
            Cell::Int(i) => serial_date(*i as f64).ok_or(DateProblem::Unrecognised),
            _ => dates::parse_text(&cell.text()),
        };
        let date = match parsed {
            Ok(d) => d,
            Err(DateProblem::Unrecognised) => {
                self.error(
                    c,
                    "bukan tanggal yang dikenali; tulis TTTT-BB-HH (mis. 1996-03-10), HH-BB-TTTT atau HH/BB/TTTT, atau gunakan sel bertipe tanggal".into(),
                );
                return None;
            }
            Err(DateProblem::NoSuchDay(d)) => {
                self.error(c, format!("tanggal {d} tidak ada di kalender"));
                return None;
            }
        };
        if date.year() < EARLIEST_YEAR {
            self.error(
                c,
                format!(
                    "tahun {} terlalu awal (sebelum {EARLIEST_YEAR}); periksa penulisan tanggal",
                    date.year()
                ),
            );
            return None;
        }
        Some(date)
    }

    /// A date that cannot lie after today (when today is known).
    fn past_date(&mut self, c: Column) -> Option<Date> {
        let date = self.date(c, false)?;
        if let Some(today) = self.today
            && date > today
        {
            self.error(
                c,
                format!("tanggal {} ada di masa depan", crate::cells::iso(date)),
            );
            return None;
        }
        Some(date)
    }

    fn birth_date(&mut self) -> Option<Date> {
        let date = self.date(Column::TanggalLahir, true)?;
        if let Some(today) = self.today
            && date > today
        {
            self.error(
                Column::TanggalLahir,
                format!(
                    "tanggal lahir {} ada di masa depan",
                    crate::cells::iso(date)
                ),
            );
            return None;
        }
        Some(date)
    }

    fn wilayah(&mut self) -> Option<Wilayah> {
        let dusun = self.text(Column::Dusun);
        let rw = self.text(Column::Rw);
        let rt = self.text(Column::Rt);
        if let Ok(w) = Wilayah::parse(&dusun, &rw, &rt) {
            return Some(w);
        }
        // The domain stops at the first bad part; check each on its own so
        // that every bad cell is reported.
        if let Err(e) = Wilayah::parse(&dusun, "1", "1") {
            self.error(Column::Dusun, reasons::wilayah(&e));
        }
        if let Err(e) = Wilayah::parse("X", &rw, "1") {
            self.error(Column::Rw, reasons::wilayah(&e));
        }
        if let Err(e) = Wilayah::parse("X", "1", &rt) {
            self.error(Column::Rt, reasons::wilayah(&e));
        }
        None
    }
}
