//! The village budget (APBDes) as Permendagri 20/2018 structures it: the
//! account code tree (4 Pendapatan, 5 Belanja, 6 Pembiayaan, with their
//! groups and sub-groups), spending fields (bidang 1–5 and their
//! sub-fields), budget lines of a fiscal year and the figures a village
//! publishes from them (totals per kind, income by group, spending by type
//! and by field, financing, surplus or deficit, realisation %).
//!
//! Money is whole rupiah ([`Rupiah`], never negative) and every figure is
//! an exact integer; a realisation percentage is an exact fraction, shown
//! with one decimal only when printed. No floats touch money.

use std::fmt;

pub use crate::showcase::Rupiah;

/// The three kinds of account of a village budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 4 Pendapatan (income).
    Pendapatan,
    /// 5 Belanja (spending).
    Belanja,
    /// 6 Pembiayaan (financing: receipts 6.1 and expenditure 6.2).
    Pembiayaan,
}

impl Kind {
    /// Every kind, in the order of the code tree.
    pub const ALL: [Kind; 3] = [Kind::Pendapatan, Kind::Belanja, Kind::Pembiayaan];

    /// Its first code digit.
    pub fn digit(self) -> u8 {
        match self {
            Kind::Pendapatan => 4,
            Kind::Belanja => 5,
            Kind::Pembiayaan => 6,
        }
    }

    /// The kind's account.
    pub fn account(self) -> AccountCode {
        AccountCode::parse(&self.digit().to_string()).expect("a kind is an account")
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Pendapatan => "budget-income",
            Kind::Belanja => "budget-spending",
            Kind::Pembiayaan => "budget-financing",
        }
    }

    /// A short stable name (URLs, open data).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Pendapatan => "pendapatan",
            Kind::Belanja => "belanja",
            Kind::Pembiayaan => "pembiayaan",
        }
    }
}

/// The accounts of Permendagri 20/2018 this module knows, with their
/// official names, in the order of the code tree.
const ACCOUNTS: &[(&str, &str)] = &[
    ("4", "Pendapatan"),
    ("4.1", "Pendapatan Asli Desa"),
    ("4.1.1", "Hasil Usaha Desa"),
    ("4.1.2", "Hasil Aset Desa"),
    ("4.1.3", "Swadaya, Partisipasi dan Gotong Royong"),
    ("4.1.4", "Lain-lain Pendapatan Asli Desa"),
    ("4.2", "Pendapatan Transfer"),
    ("4.2.1", "Dana Desa"),
    ("4.2.2", "Bagi Hasil Pajak dan Retribusi"),
    ("4.2.3", "Alokasi Dana Desa"),
    ("4.2.4", "Bantuan Keuangan Provinsi"),
    ("4.2.5", "Bantuan Keuangan Kabupaten/Kota"),
    ("4.3", "Pendapatan Lain-lain"),
    ("4.3.1", "Penerimaan dari Hasil Kerjasama Antar Desa"),
    (
        "4.3.2",
        "Penerimaan dari Hasil Kerjasama dengan Pihak Ketiga",
    ),
    (
        "4.3.3",
        "Penerimaan Bantuan dari Perusahaan yang Berlokasi di Desa",
    ),
    ("4.3.4", "Hibah dan Sumbangan dari Pihak Ketiga"),
    ("4.3.5", "Koreksi Kesalahan Belanja Tahun-tahun Sebelumnya"),
    ("4.3.6", "Bunga Bank"),
    ("4.3.9", "Lain-lain Pendapatan Desa yang Sah"),
    ("5", "Belanja"),
    ("5.1", "Belanja Pegawai"),
    ("5.2", "Belanja Barang dan Jasa"),
    ("5.3", "Belanja Modal"),
    ("5.4", "Belanja Tak Terduga"),
    ("6", "Pembiayaan"),
    ("6.1", "Penerimaan Pembiayaan"),
    ("6.1.1", "SILPA Tahun Sebelumnya"),
    ("6.1.2", "Pencairan Dana Cadangan"),
    ("6.1.3", "Hasil Penjualan Kekayaan Desa yang Dipisahkan"),
    ("6.1.9", "Penerimaan Pembiayaan Lainnya"),
    ("6.2", "Pengeluaran Pembiayaan"),
    ("6.2.1", "Pembentukan Dana Cadangan"),
    ("6.2.2", "Penyertaan Modal Desa"),
    ("6.2.9", "Pengeluaran Pembiayaan Lainnya"),
];

/// Why a typed account code is not one of the regulation's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "kode rekening \"{0}\" tidak dikenal: pakai kode Permendagri 20/2018 seperti 4.1.1, 5.2 atau 6.1.1"
)]
pub struct UnknownAccount(pub String);

/// An account of the code tree (`4`, `4.1`, `4.1.1`, `5.2`, `6.1.1`, …).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountCode(u8);

impl AccountCode {
    /// Reads a code as written (`4.1.1`, also with a trailing dot, `4.1.1.`,
    /// as Siskeudes writes them); anything not in the regulation's tree is
    /// refused with a reason in Indonesian.
    pub fn parse(input: &str) -> Result<Self, UnknownAccount> {
        let s = input.trim();
        let s = s.strip_suffix('.').unwrap_or(s);
        ACCOUNTS
            .iter()
            .position(|(c, _)| *c == s)
            .and_then(|i| u8::try_from(i).ok())
            .map(AccountCode)
            .ok_or_else(|| UnknownAccount(input.trim().chars().take(40).collect()))
    }

    /// Every account, in the order of the tree.
    pub fn all() -> impl Iterator<Item = AccountCode> {
        (0..ACCOUNTS.len()).filter_map(|i| u8::try_from(i).ok().map(AccountCode))
    }

    /// The accounts a budget line is written on: income and financing on
    /// their sub-groups (`4.1.1`, `6.2.2`), spending on its type (`5.1`–`5.4`,
    /// the field being given by the line's sub-field).
    pub fn postable() -> impl Iterator<Item = AccountCode> {
        Self::all().filter(|a| a.is_postable())
    }

    /// The code, `4.1.1`.
    pub fn code(self) -> &'static str {
        ACCOUNTS[usize::from(self.0)].0
    }

    /// The official name.
    pub fn name(self) -> &'static str {
        ACCOUNTS[usize::from(self.0)].1
    }

    /// How deep in the tree: 1 for a kind, 2 for a group, 3 for a sub-group.
    pub fn depth(self) -> usize {
        self.code().split('.').count()
    }

    /// Its kind (the first digit).
    pub fn kind(self) -> Kind {
        match self.code().as_bytes()[0] {
            b'4' => Kind::Pendapatan,
            b'5' => Kind::Belanja,
            _ => Kind::Pembiayaan,
        }
    }

    /// The account above it (none for a kind).
    pub fn parent(self) -> Option<AccountCode> {
        let c = self.code();
        c.rfind('.').and_then(|i| AccountCode::parse(&c[..i]).ok())
    }

    /// Its ancestor at `depth` (itself when already there or above).
    pub fn at_depth(self, depth: usize) -> AccountCode {
        let mut a = self;
        while a.depth() > depth {
            match a.parent() {
                Some(p) => a = p,
                None => break,
            }
        }
        a
    }

    /// Whether a budget line may be written on it.
    pub fn is_postable(self) -> bool {
        match self.kind() {
            Kind::Belanja => self.depth() == 2,
            Kind::Pendapatan | Kind::Pembiayaan => self.depth() == 3,
        }
    }

    /// Whether it is a financing receipt (6.1…).
    pub fn is_financing_receipt(self) -> bool {
        self.code().starts_with("6.1")
    }

    /// The postable account a Siskeudes `Kd_Rincian` (`4.1.1.01.`,
    /// `5.2.1.02.`, `6.1.1.01.`) falls under: its prefix at the depth lines
    /// are written on.
    pub fn of_detail(kd_rincian: &str) -> Result<AccountCode, UnknownAccount> {
        let s = kd_rincian.trim();
        let parts: Vec<&str> = s
            .trim_end_matches('.')
            .split('.')
            .filter(|p| !p.is_empty())
            .collect();
        let depth = match parts.first() {
            Some(&"5") => 2,
            _ => 3,
        };
        if parts.len() < depth {
            return Err(UnknownAccount(s.chars().take(40).collect()));
        }
        // Siskeudes pads nothing below this depth, but be lenient with "04".
        let code: Vec<String> = parts[..depth]
            .iter()
            .map(|p| p.trim_start_matches('0').to_string())
            .collect();
        AccountCode::parse(&code.join("."))
            .ok()
            .filter(|a| a.is_postable())
            .ok_or_else(|| UnknownAccount(s.chars().take(40).collect()))
    }
}

impl fmt::Debug for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountCode({})", self.code())
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl PartialOrd for AccountCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AccountCode {
    /// The order of the tree (a parent before its children).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

/// A field of spending (bidang), 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bidang(u8);

/// The fields with their official names and how many sub-fields each has.
const BIDANG: [(&str, u8); 5] = [
    ("Penyelenggaraan Pemerintahan Desa", 5),
    ("Pelaksanaan Pembangunan Desa", 8),
    ("Pembinaan Kemasyarakatan", 4),
    ("Pemberdayaan Masyarakat", 7),
    ("Penanggulangan Bencana, Darurat dan Mendesak Desa", 3),
];

/// The sub-fields' official names, by field.
const SUB_BIDANG: [&[&str]; 5] = [
    &[
        "Penyelenggaraan Belanja Siltap, Tunjangan dan Operasional Pemerintahan Desa",
        "Sarana dan Prasarana Pemerintahan Desa",
        "Administrasi Kependudukan, Pencatatan Sipil, Statistik dan Kearsipan",
        "Tata Praja Pemerintahan, Perencanaan, Keuangan dan Pelaporan",
        "Pertanahan",
    ],
    &[
        "Pendidikan",
        "Kesehatan",
        "Pekerjaan Umum dan Penataan Ruang",
        "Kawasan Permukiman",
        "Kehutanan dan Lingkungan Hidup",
        "Perhubungan, Komunikasi dan Informatika",
        "Energi dan Sumber Daya Mineral",
        "Pariwisata",
    ],
    &[
        "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
        "Kebudayaan dan Keagamaan",
        "Kepemudaan dan Olah Raga",
        "Kelembagaan Masyarakat",
    ],
    &[
        "Kelautan dan Perikanan",
        "Pertanian dan Peternakan",
        "Peningkatan Kapasitas Aparatur Desa",
        "Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga",
        "Koperasi, Usaha Mikro Kecil dan Menengah (UMKM)",
        "Dukungan Penanaman Modal",
        "Perdagangan dan Perindustrian",
    ],
    &[
        "Penanggulangan Bencana",
        "Keadaan Darurat",
        "Keadaan Mendesak",
    ],
];

impl Bidang {
    /// Every field, 1 to 5.
    pub fn all() -> impl Iterator<Item = Bidang> {
        (1..=5).map(Bidang)
    }

    /// The field numbered `n` (1–5).
    pub fn new(n: u8) -> Option<Bidang> {
        (1..=5).contains(&n).then_some(Bidang(n))
    }

    /// Its number, 1–5.
    pub fn number(self) -> u8 {
        self.0
    }

    /// Its code as Siskeudes writes it, `02`.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    /// The official name ("Bidang …" is left to the page).
    pub fn name(self) -> &'static str {
        BIDANG[usize::from(self.0 - 1)].0
    }

    /// Its sub-fields.
    pub fn subs(self) -> impl Iterator<Item = SubBidang> {
        (1..=BIDANG[usize::from(self.0 - 1)].1).map(move |n| SubBidang(self, n))
    }
}

/// A sub-field of spending (`01.01` … `05.03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubBidang(Bidang, u8);

/// Why a typed sub-field is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sub-bidang \"{0}\" tidak dikenal: pakai kode 01.01 sampai 05.03 (Permendagri 20/2018)")]
pub struct UnknownSubBidang(pub String);

impl SubBidang {
    /// Every sub-field, in order.
    pub fn all() -> impl Iterator<Item = SubBidang> {
        Bidang::all().flat_map(Bidang::subs)
    }

    /// Reads `02.03` (or `2.3`, or with a trailing dot).
    pub fn parse(input: &str) -> Result<SubBidang, UnknownSubBidang> {
        let bad = || UnknownSubBidang(input.trim().chars().take(20).collect());
        let s = input.trim().trim_end_matches('.');
        let (b, n) = s.split_once('.').ok_or_else(bad)?;
        let num = |p: &str| {
            (!p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
                .then(|| p.parse::<u8>().ok())
                .flatten()
        };
        let bidang = num(b).and_then(Bidang::new).ok_or_else(bad)?;
        let n = num(n).ok_or_else(bad)?;
        bidang.subs().find(|s| s.1 == n).ok_or_else(bad)
    }

    /// Its field.
    pub fn bidang(self) -> Bidang {
        self.0
    }

    /// Its code, `02.03`.
    pub fn code(self) -> String {
        format!("{:02}.{:02}", self.0.0, self.1)
    }

    /// The official name.
    pub fn name(self) -> &'static str {
        SUB_BIDANG[usize::from(self.0.0 - 1)][usize::from(self.1 - 1)]
    }
}

impl fmt::Display for SubBidang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// A fiscal year (tahun anggaran), which in Indonesia is the calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalYear(u16);

/// The years accepted: village budgets under UU 6/2014 start in 2015; the
/// upper bound keeps typing slips out.
pub const FIRST_YEAR: u16 = 2015;
/// The last year accepted.
pub const LAST_YEAR: u16 = 2100;

impl FiscalYear {
    /// The year `y`, if within [`FIRST_YEAR`]..=[`LAST_YEAR`].
    pub fn new(y: i64) -> Option<FiscalYear> {
        u16::try_from(y)
            .ok()
            .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
            .map(FiscalYear)
    }

    /// Reads `2026`.
    pub fn parse(input: &str) -> Option<FiscalYear> {
        let s = input.trim();
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        FiscalYear::new(s.parse().ok()?)
    }

    /// The year as a number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which realisation report a year's published figures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The first semester (January–June; due by end of July).
    Semester1,
    /// The whole year (due by end of January after it).
    FullYear,
}

impl Period {
    /// Both periods.
    pub const ALL: [Period; 2] = [Period::Semester1, Period::FullYear];

    /// The stored code.
    pub fn code(self) -> u8 {
        match self {
            Period::Semester1 => 1,
            Period::FullYear => 2,
        }
    }

    /// The period with this stored code.
    pub fn from_code(c: i64) -> Option<Period> {
        Self::ALL.into_iter().find(|p| i64::from(p.code()) == c)
    }

    /// The value a form sends.
    pub fn form_value(self) -> &'static str {
        match self {
            Period::Semester1 => "semester-1",
            Period::FullYear => "tahun-penuh",
        }
    }

    /// The period a form's value names.
    pub fn from_form(v: &str) -> Option<Period> {
        Self::ALL.into_iter().find(|p| p.form_value() == v.trim())
    }

    /// The key of its label in the interface's catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            Period::Semester1 => "budget-period-semester-1",
            Period::FullYear => "budget-period-full-year",
        }
    }
}

/// Why a budget line cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLine {
    /// Lines are written on sub-groups (income, financing) or types (spending).
    #[error("rekening {0} bukan rekening rincian: pilih rekening seperti 4.1.1, 5.2 atau 6.1.1")]
    NotPostable(String),
    /// Spending needs its sub-field.
    #[error("belanja harus diberi bidang dan sub-bidang")]
    SpendingWithoutField,
    /// Only spending has a field.
    #[error("hanya belanja yang memiliki bidang")]
    FieldWithoutSpending,
}

/// One line of a village's budget: an amount budgeted on an account (and,
/// for spending, a sub-field), with what has been realised of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    account: AccountCode,
    sub_bidang: Option<SubBidang>,
    /// What the line is (its activity or description, as the village names it).
    pub name: String,
    /// The amount budgeted.
    pub budget: Rupiah,
    /// The amount realised so far (may exceed the budget: income often does).
    pub realised: Rupiah,
}

impl BudgetLine {
    /// A line, if the account takes lines and the field is given exactly for spending.
    pub fn new(
        account: AccountCode,
        sub_bidang: Option<SubBidang>,
        name: String,
        budget: Rupiah,
        realised: Rupiah,
    ) -> Result<BudgetLine, BadLine> {
        if !account.is_postable() {
            return Err(BadLine::NotPostable(account.code().into()));
        }
        match (account.kind(), sub_bidang) {
            (Kind::Belanja, None) => return Err(BadLine::SpendingWithoutField),
            (Kind::Pendapatan | Kind::Pembiayaan, Some(_)) => {
                return Err(BadLine::FieldWithoutSpending);
            }
            _ => {}
        }
        Ok(BudgetLine {
            account,
            sub_bidang,
            name,
            budget,
            realised,
        })
    }

    /// The account.
    pub fn account(&self) -> AccountCode {
        self.account
    }

    /// The sub-field (spending only).
    pub fn sub_bidang(&self) -> Option<SubBidang> {
        self.sub_bidang
    }

    /// The kind.
    pub fn kind(&self) -> Kind {
        self.account.kind()
    }
}

/// A realisation percentage: realised / budget, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent {
    num: u64,
    den: u64,
}

impl Percent {
    /// `num / den` (none when nothing was budgeted).
    pub fn of(num: u64, den: u64) -> Option<Percent> {
        (den > 0).then_some(Percent { num, den })
    }

    /// Tenths of a percent, rounded half up (875 for 87.5 %).
    pub fn tenths(self) -> u64 {
        let n = u128::from(self.num) * 1000 + u128::from(self.den) / 2;
        u64::try_from(n / u128::from(self.den)).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for Percent {
    /// `87,5%`: one decimal, the Indonesian decimal comma.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.tenths();
        write!(f, "{},{}%", t / 10, t % 10)
    }
}

/// Prints whole rupiah the Indonesian way (`Rp1.234.567`), totals included
/// (which may exceed what one [`Rupiah`] holds).
pub fn rupiah_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    out.push_str("Rp");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Prints a signed amount (a surplus, a deficit, net financing): `-Rp5.000`.
pub fn signed_text(n: i128) -> String {
    let abs = u64::try_from(n.unsigned_abs()).unwrap_or(u64::MAX);
    if n < 0 {
        format!("-{}", rupiah_text(abs))
    } else {
        rupiah_text(abs)
    }
}

/// A budgeted and a realised total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// Budgeted, whole rupiah.
    pub budget: u64,
    /// Realised, whole rupiah.
    pub realised: u64,
}

impl Figures {
    fn add(&mut self, l: &BudgetLine) {
        self.budget = self.budget.saturating_add(l.budget.get());
        self.realised = self.realised.saturating_add(l.realised.get());
    }

    /// Realised / budgeted.
    pub fn percent(self) -> Option<Percent> {
        Percent::of(self.realised, self.budget)
    }

    /// The sum of the lines.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a BudgetLine>) -> Figures {
        let mut f = Figures::default();
        for l in lines {
            f.add(l);
        }
        f
    }
}

/// A difference of two totals (surplus or deficit, net financing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    /// Budgeted.
    pub budget: i128,
    /// Realised.
    pub realised: i128,
}

impl Balance {
    fn between(a: Figures, b: Figures) -> Balance {
        Balance {
            budget: i128::from(a.budget) - i128::from(b.budget),
            realised: i128::from(a.realised) - i128::from(b.realised),
        }
    }
}

/// Figures of one account or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<K> {
    /// What is summed.
    pub key: K,
    /// Its figures.
    pub figures: Figures,
}

/// What a village publishes of a year's budget, computed from its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Total income (4).
    pub income: Figures,
    /// Total spending (5).
    pub spending: Figures,
    /// Financing receipts (6.1).
    pub financing_in: Figures,
    /// Financing expenditure (6.2).
    pub financing_out: Figures,
    /// Net financing: receipts − expenditure.
    pub net_financing: Balance,
    /// Surplus (positive) or deficit: income − spending.
    pub surplus: Balance,
    /// Income by group (4.1, 4.2, 4.3), every group shown.
    pub income_by_group: Vec<Row<AccountCode>>,
    /// Income by sub-group, only those with lines.
    pub income_by_subgroup: Vec<Row<AccountCode>>,
    /// Spending by type (5.1–5.4), every type shown.
    pub spending_by_type: Vec<Row<AccountCode>>,
    /// Spending by field (bidang 1–5), every field shown.
    pub spending_by_field: Vec<Row<Bidang>>,
    /// Financing by account (6.1.x, 6.2.x), only those with lines.
    pub financing_by_account: Vec<Row<AccountCode>>,
}

impl Report {
    /// The figures of `lines` (the lines of one year).
    pub fn of(lines: &[BudgetLine]) -> Report {
        let sum = |p: &dyn Fn(&BudgetLine) -> bool| Figures::of(lines.iter().filter(|l| p(l)));
        let income = sum(&|l| l.kind() == Kind::Pendapatan);
        let spending = sum(&|l| l.kind() == Kind::Belanja);
        let financing_in = sum(&|l| l.account.is_financing_receipt());
        let financing_out =
            sum(&|l| l.kind() == Kind::Pembiayaan && !l.account.is_financing_receipt());
        let by_account = |depth: usize, kind: Kind, all: bool| -> Vec<Row<AccountCode>> {
            AccountCode::all()
                .filter(|a| a.kind() == kind && a.depth() == depth)
                .filter_map(|a| {
                    let mine: Vec<&BudgetLine> = lines
                        .iter()
                        .filter(|l| l.account.at_depth(depth) == a)
                        .collect();
                    (all || !mine.is_empty()).then(|| Row {
                        key: a,
                        figures: Figures::of(mine),
                    })
                })
                .collect()
        };
        Report {
            income,
            spending,
            financing_in,
            financing_out,
            net_financing: Balance::between(financing_in, financing_out),
            surplus: Balance::between(income, spending),
            income_by_group: by_account(2, Kind::Pendapatan, true),
            income_by_subgroup: by_account(3, Kind::Pendapatan, false),
            spending_by_type: by_account(2, Kind::Belanja, true),
            spending_by_field: Bidang::all()
                .map(|b| Row {
                    key: b,
                    figures: sum(&|l| l.sub_bidang.is_some_and(|s| s.bidang() == b)),
                })
                .collect(),
            financing_by_account: by_account(3, Kind::Pembiayaan, false),
        }
    }

    /// Whether anything at all was budgeted or realised.
    pub fn is_empty(&self) -> bool {
        self.income == Figures::default()
            && self.spending == Figures::default()
            && self.financing_in == Figures::default()
            && self.financing_out == Figures::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a(c: &str) -> AccountCode {
        AccountCode::parse(c).unwrap()
    }

    fn rp(n: u64) -> Rupiah {
        Rupiah::new(n).unwrap()
    }

    fn line(acc: &str, sub: Option<&str>, budget: u64, realised: u64) -> BudgetLine {
        BudgetLine::new(
            a(acc),
            sub.map(|s| SubBidang::parse(s).unwrap()),
            format!("baris {acc}"),
            rp(budget),
            rp(realised),
        )
        .unwrap()
    }

    #[test]
    fn codes_parse_with_their_names_kinds_and_parents() {
        assert_eq!(a("4").kind(), Kind::Pendapatan);
        assert_eq!(a("4.2.1").name(), "Dana Desa");
        assert_eq!(a("4.2.1.").code(), "4.2.1");
        assert_eq!(a("5.2").name(), "Belanja Barang dan Jasa");
        assert_eq!(a("6.1.1").parent(), Some(a("6.1")));
        assert_eq!(a("6.1").parent(), Some(a("6")));
        assert_eq!(a("6").parent(), None);
        assert_eq!(a("4.3.9").at_depth(2), a("4.3"));
        assert!(a("6.1.1").is_financing_receipt());
        assert!(!a("6.2.2").is_financing_receipt());
        assert_eq!(Kind::Belanja.account(), a("5"));
        assert!(a("4.1") < a("4.1.1") && a("4.1.4") < a("4.2"));
    }

    #[test]
    fn unknown_codes_are_refused_with_a_reason_in_indonesian() {
        for bad in [
            "", "7", "4.4", "4.3.7", "5.5", "5.2.1", "x", "4..1", "6.3.1",
        ] {
            let e = AccountCode::parse(bad).unwrap_err();
            assert!(e.to_string().contains("tidak dikenal"), "{bad}: {e}");
        }
    }

    #[test]
    fn lines_go_on_sub_groups_or_spending_types_with_a_field_for_spending_only() {
        let postable: Vec<&str> = AccountCode::postable().map(AccountCode::code).collect();
        assert!(postable.contains(&"4.1.1") && postable.contains(&"5.4"));
        assert!(!postable.contains(&"4.1") && !postable.contains(&"5"));
        assert_eq!(postable.len(), 4 + 5 + 7 + 4 + 4 + 3);
        let sub = SubBidang::parse("02.03").ok();
        assert_eq!(
            BudgetLine::new(a("4.1"), None, "x".into(), rp(1), rp(0)),
            Err(BadLine::NotPostable("4.1".into()))
        );
        assert_eq!(
            BudgetLine::new(a("5.2"), None, "x".into(), rp(1), rp(0)),
            Err(BadLine::SpendingWithoutField)
        );
        assert_eq!(
            BudgetLine::new(a("4.2.1"), sub, "x".into(), rp(1), rp(0)),
            Err(BadLine::FieldWithoutSpending)
        );
        assert!(BudgetLine::new(a("5.3"), sub, "x".into(), rp(1), rp(0)).is_ok());
    }

    #[test]
    fn siskeudes_detail_codes_fall_under_their_postable_account() {
        assert_eq!(AccountCode::of_detail("4.1.1.01.").unwrap(), a("4.1.1"));
        assert_eq!(AccountCode::of_detail("5.2.1.02.").unwrap(), a("5.2"));
        assert_eq!(AccountCode::of_detail("6.1.1.01.").unwrap(), a("6.1.1"));
        assert!(AccountCode::of_detail("7.1.1.01.").is_err());
        assert!(AccountCode::of_detail("4.1.").is_err());
        assert!(AccountCode::of_detail("").is_err());
    }

    #[test]
    fn fields_and_sub_fields_have_their_official_names() {
        assert_eq!(SubBidang::all().count(), 5 + 8 + 4 + 7 + 3);
        let s = SubBidang::parse("2.3").unwrap();
        assert_eq!(s.code(), "02.03");
        assert_eq!(s.name(), "Pekerjaan Umum dan Penataan Ruang");
        assert_eq!(s.bidang().name(), "Pelaksanaan Pembangunan Desa");
        assert_eq!(
            SubBidang::parse("05.03.").unwrap().name(),
            "Keadaan Mendesak"
        );
        for bad in ["01.06", "06.01", "00.01", "2", "a.b", "02.003", ""] {
            assert!(SubBidang::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Bidang::new(6), None);
    }

    #[test]
    fn years_and_periods() {
        assert_eq!(FiscalYear::parse("2026").unwrap().get(), 2026);
        for bad in ["2014", "2101", "26", "20a6", "+2026"] {
            assert_eq!(FiscalYear::parse(bad), None, "{bad}");
        }
        for p in Period::ALL {
            assert_eq!(Period::from_code(i64::from(p.code())), Some(p));
            assert_eq!(Period::from_form(p.form_value()), Some(p));
        }
    }

    #[test]
    fn percentages_are_exact_and_shown_with_one_decimal() {
        assert_eq!(Percent::of(7, 8).unwrap().to_string(), "87,5%");
        assert_eq!(Percent::of(1, 3).unwrap().to_string(), "33,3%");
        assert_eq!(Percent::of(2, 3).unwrap().to_string(), "66,7%");
        assert_eq!(Percent::of(0, 5).unwrap().to_string(), "0,0%");
        assert_eq!(Percent::of(3, 2).unwrap().to_string(), "150,0%");
        assert_eq!(Percent::of(1, 0), None);
        assert_eq!(
            Percent::of(999_999_999_999, 1_000_000_000_000)
                .unwrap()
                .to_string(),
            "100,0%"
        );
        assert_eq!(rupiah_text(1_234_567), "Rp1.234.567");
        assert_eq!(signed_text(-5_000), "-Rp5.000");
    }

    #[test]
    fn the_report_adds_up() {
        let lines = vec![
            line("4.2.1", None, 1_000_000, 800_000),
            line("4.2.3", None, 500_000, 500_000),
            line("4.1.1", None, 100_000, 20_000),
            line("5.2", Some("02.03"), 900_000, 600_000),
            line("5.1", Some("01.01"), 400_000, 400_000),
            line("6.1.1", None, 200_000, 200_000),
            line("6.2.2", None, 50_000, 0),
        ];
        let r = Report::of(&lines);
        assert_eq!(r.income.budget, 1_600_000);
        assert_eq!(r.income.realised, 1_320_000);
        assert_eq!(r.spending.budget, 1_300_000);
        assert_eq!(r.surplus.budget, 300_000);
        assert_eq!(r.net_financing.budget, 150_000);
        assert_eq!(r.income_by_group.len(), 3);
        assert_eq!(r.income_by_group[1].key, a("4.2"));
        assert_eq!(r.income_by_group[1].figures.budget, 1_500_000);
        assert_eq!(r.income_by_subgroup.len(), 3);
        assert_eq!(r.spending_by_field[1].figures.budget, 900_000);
        assert_eq!(r.spending_by_field[4].figures, Figures::default());
        assert_eq!(r.spending_by_type[1].figures.realised, 600_000);
        assert_eq!(
            r.income.percent().unwrap().to_string(),
            "82,5%",
            "1.320.000 / 1.600.000"
        );
        assert!(!r.is_empty());
        assert!(Report::of(&[]).is_empty());
    }

    fn any_line() -> impl Strategy<Value = BudgetLine> {
        let accounts: Vec<AccountCode> = AccountCode::postable().collect();
        let subs: Vec<SubBidang> = SubBidang::all().collect();
        (
            0..accounts.len(),
            0..subs.len(),
            0u64..=10_000_000_000,
            0u64..=10_000_000_000,
        )
            .prop_map(move |(ai, si, b, r)| {
                let acc = accounts[ai];
                let sub = (acc.kind() == Kind::Belanja).then_some(subs[si]);
                BudgetLine::new(acc, sub, "x".into(), rp(b), rp(r)).unwrap()
            })
    }

    proptest! {
        #[test]
        fn totals_are_the_sums_of_lines_and_of_their_breakdowns(lines in prop::collection::vec(any_line(), 0..40)) {
            let r = Report::of(&lines);
            let total = |k: Kind| lines.iter().filter(|l| l.kind() == k).map(|l| l.budget.get()).sum::<u64>();
            prop_assert_eq!(r.income.budget, total(Kind::Pendapatan));
            prop_assert_eq!(r.spending.budget, total(Kind::Belanja));
            prop_assert_eq!(r.financing_in.budget + r.financing_out.budget, total(Kind::Pembiayaan));
            let sum = |rows: &[Row<AccountCode>]| rows.iter().fold(Figures::default(), |f, r| Figures {
                budget: f.budget + r.figures.budget, realised: f.realised + r.figures.realised });
            prop_assert_eq!(sum(&r.income_by_group), r.income);
            prop_assert_eq!(sum(&r.income_by_subgroup), r.income);
            prop_assert_eq!(sum(&r.spending_by_type), r.spending);
            let fields = r.spending_by_field.iter().fold(Figures::default(), |f, r| Figures {
                budget: f.budget + r.figures.budget, realised: f.realised + r.figures.realised });
            prop_assert_eq!(fields, r.spending);
            prop_assert_eq!(r.surplus.budget, i128::from(r.income.budget) - i128::from(r.spending.budget));
        }

        #[test]
        fn a_percentage_is_within_half_a_tenth_of_the_exact_one(num in 0u64..=1_000_000_000_000, den in 1u64..=1_000_000_000_000) {
            let t = Percent::of(num, den).unwrap().tenths();
            // |t/1000 − num/den| ≤ 1/2000, in integers.
            let exact = u128::from(num) * 2000;
            let shown = u128::from(t) * 2 * u128::from(den);
            prop_assert!(exact.abs_diff(shown) <= u128::from(den));
        }

        #[test]
        fn every_account_reads_back_from_its_code(i in 0usize..35) {
            let acc = AccountCode::all().nth(i).unwrap();
            prop_assert_eq!(AccountCode::parse(acc.code()).unwrap(), acc);
        }
    }
}
