//! Reading a Siskeudes export: the zip of CSV tables that MDBTools makes of
//! a Siskeudes (Kemendagri/BPKP) MS Access database, the form OpenSID
//! imports. Every column is text; the first row of each file names them.
//!
//! What is read (column names as Siskeudes has them):
//! - `Ref_Version.csv` (`Versi`): required; it is what marks the zip as a
//!   Siskeudes export.
//! - `Ta_RAB.csv` (`Tahun`, `Kd_Desa`, `Kd_Keg`, `Kd_Rincian`, `Anggaran`,
//!   `AnggaranStlhPAK`): required, the budget. An amount is the budget after
//!   amendment (`AnggaranStlhPAK`) when the file has one above zero, the
//!   original `Anggaran` otherwise. `Kd_Rincian` is the detailed account
//!   (`5.2.1.01.`): lines are kept per postable account (`4.1.1`, `5.2`,
//!   `6.1.1`), spending also per activity `Kd_Keg` (`01.2001.02.03.01.`:
//!   the village, then `BB.SS.KK.`, field, sub-field and activity).
//! - `Ta_Kegiatan.csv` (`Kd_Keg`, `Nama_Kegiatan`): optional, the names of
//!   spending lines (the sub-field's official name otherwise).
//! - Realisation, each optional (none: nothing realised yet), as OpenSID's
//!   realisation reports derive it: income and financing receipts from
//!   receipts `Ta_TBPRinci.csv` (`Kd_Rincian`, `Nilai`); spending and
//!   financing expenditure from payment requests paid directly,
//!   `Ta_SPPRinci.csv` (`No_SPP`, `Kd_Keg`, `Kd_Rincian`, `Nilai`) whose
//!   `Ta_SPP.csv` row has `Jn_SPP` `LS` (or `PBY`, financing), plus the
//!   accountability reports of advances, `Ta_SPJRinci.csv` (`Kd_Keg`,
//!   `Kd_Rincian`, `Nilai`). The general journal (`Ta_JurnalUmum`) and
//!   bank interest mutations (`Ta_Mutasi`) are not read.
//!
//! `Kd_Desa` in Siskeudes is the district and village part of the
//! Kemendagri code with a trailing dot (`01.2001.` for 33.10.01.2001):
//! every row of every file read must be of the importing village, so an
//! export of another village is refused, whole. Every row must also be of
//! one fiscal year (`Tahun`).
//!
//! The zip is checked before anything is inflated: its size, the number of
//! entries, the sizes the central directory declares (each and in total,
//! and the compression ratio), and every entry is read through a limit, so
//! a zip bomb costs nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use balai_domain::KodeWilayah;
use balai_domain::budget::{AccountCode, BudgetLine, FiscalYear, Kind, Rupiah, SubBidang};

/// Largest upload, in bytes.
pub const MAX_ZIP: usize = 20 * 1024 * 1024;
/// Largest table, uncompressed.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
/// Largest total of the tables read, uncompressed.
const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// A Siskeudes export has about a hundred tables.
const MAX_ENTRIES: usize = 2_000;
/// Over 1 MiB, an entry may not compress better than this (CSV does ~10:1).
const MAX_RATIO: u64 = 200;
/// How many problems are listed (the rest are counted).
const MAX_LISTED: usize = 100;

/// A Siskeudes export, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The fiscal year of every row.
    pub year: FiscalYear,
    /// `Ref_Version.Versi`.
    pub version: String,
    /// The lines, in account order.
    pub lines: Vec<BudgetLine>,
}

/// The problems found so far: general ones, and row ones with their file and line.
#[derive(Default)]
struct Problems(Vec<(Option<(&'static str, usize)>, String)>);

impl Problems {
    fn add(&mut self, p: impl Into<String>) {
        self.0.push((None, p.into()));
    }

    fn row(&mut self, file: &'static str, line: usize, p: impl std::fmt::Display) {
        self.0
            .push((Some((file, line)), format!("{file} baris {line}: {p}")));
    }

    /// General problems first, then each file's rows in line order (files
    /// in the order they were read), at most [`MAX_LISTED`] of them.
    fn finish(self) -> Vec<String> {
        let mut files: Vec<&str> = Vec::new();
        for (at, _) in &self.0 {
            if let Some((f, _)) = at
                && !files.contains(f)
            {
                files.push(*f);
            }
        }
        let mut all = self.0;
        all.sort_by_key(|(at, _)| {
            at.map(|(f, l)| (1 + files.iter().position(|x| *x == f).unwrap_or(0), l))
                .unwrap_or((0, 0))
        });
        let mut out: Vec<String> = all.into_iter().map(|(_, m)| m).collect();
        if out.len() > MAX_LISTED {
            let more = out.len() - MAX_LISTED;
            out.truncate(MAX_LISTED);
            out.push(format!("… dan {more} masalah lain"));
        }
        out
    }
}

/// One CSV table: its columns and rows (with their line numbers in the file).
struct Table {
    file: &'static str,
    columns: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn col(&self, name: &str, p: &mut Problems) -> Option<usize> {
        let at = self.opt_col(name);
        if at.is_none() {
            p.add(format!("{}: kolom {name} tidak ada", self.file));
        }
        at
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(name))
    }
}

/// Text as Siskeudes exports it: UTF-8, or else Windows-1252-like bytes read
/// as Latin-1 (Access databases are not UTF-8).
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased base name → entry index.
    names: HashMap<String, usize>,
    read_total: u64,
}

fn open<'a>(bytes: &'a [u8], p: &mut Problems) -> Option<Archive<'a>> {
    if bytes.len() > MAX_ZIP {
        p.add(format!(
            "berkas terlalu besar ({} MB); paling besar {} MB",
            bytes.len().div_ceil(1024 * 1024),
            MAX_ZIP / 1024 / 1024
        ));
        return None;
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        p.add("berkas bukan arsip zip: unggah zip berisi tabel CSV hasil ekspor Siskeudes");
        return None;
    }
    let zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            p.add(format!("arsip zip rusak atau tidak lengkap ({e})"));
            return None;
        }
    };
    if zip.len() > MAX_ENTRIES {
        p.add(format!(
            "arsip berisi {} berkas, jauh lebih banyak dari ekspor Siskeudes",
            zip.len()
        ));
        return None;
    }
    let mut names = HashMap::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(i) else {
            p.add("arsip zip rusak: daftar isinya tidak terbaca");
            return None;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).replace('\\', "/");
        let base = name.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > MAX_ENTRY || (size > 1024 * 1024 && size / MAX_RATIO > packed) {
            p.add(format!(
                "{name}: terlalu besar setelah dibuka ({} MB); arsip ditolak",
                size.div_ceil(1024 * 1024)
            ));
            return None;
        }
        total = total.saturating_add(size);
        if !base.is_empty() {
            names.entry(base).or_insert(i);
        }
    }
    if total > MAX_TOTAL.saturating_mul(4) {
        p.add("isi arsip terlalu besar setelah dibuka; arsip ditolak");
        return None;
    }
    Some(Archive {
        zip,
        names,
        read_total: 0,
    })
}

impl Archive<'_> {
    /// The table `file` (`Ta_RAB.csv`), if the zip has it (anywhere in it).
    fn table(&mut self, file: &'static str, p: &mut Problems) -> Option<Table> {
        let i = *self.names.get(&file.to_ascii_lowercase())?;
        let mut entry = match self.zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                p.add(format!("{file}: tidak dapat dibuka ({e})"));
                return None;
            }
        };
        let mut bytes = Vec::new();
        // Read through a limit whatever the directory declared.
        let room = MAX_ENTRY.min(MAX_TOTAL.saturating_sub(self.read_total));
        if let Err(e) = (&mut entry).take(room + 1).read_to_end(&mut bytes) {
            p.add(format!("{file}: rusak ({e})"));
            return None;
        }
        if bytes.len() as u64 > room {
            p.add(format!(
                "{file}: terlalu besar setelah dibuka; arsip ditolak"
            ));
            return None;
        }
        self.read_total += bytes.len() as u64;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(body);
        let columns: Vec<String> = match reader.byte_headers() {
            Ok(h) => h.iter().map(text).collect(),
            Err(e) => {
                p.add(format!("{file}: baris judul tidak terbaca ({e})"));
                return None;
            }
        };
        let mut rows = Vec::new();
        for (n, r) in reader.byte_records().enumerate() {
            // The header is line 1.
            let line = n + 2;
            match r {
                Ok(r) => rows.push((line, r.iter().map(text).collect())),
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => p.row(
                        file,
                        line,
                        format!("berisi {len} kolom, judulnya {} kolom", columns.len()),
                    ),
                    _ => p.row(file, line, "tidak terbaca sebagai CSV"),
                },
            }
        }
        Some(Table {
            file,
            columns,
            rows,
        })
    }
}

/// An amount as Siskeudes exports it (`1500000`, `1500000.00`,
/// `1500000,0000`), in hundredths of a rupiah; empty is zero.
fn cents(s: &str) -> Result<u128, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    let (whole, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 15 || !digits(whole) || !digits(frac) || frac.len() > 4 {
        return Err(if s.starts_with('-') {
            format!("jumlah \"{s}\" negatif")
        } else {
            format!(
                "jumlah \"{}\" bukan angka rupiah",
                s.chars().take(30).collect::<String>()
            )
        });
    }
    let w: u128 = whole
        .parse()
        .map_err(|_| format!("jumlah \"{s}\" bukan angka rupiah"))?;
    let mut f = frac.to_string();
    f.truncate(2);
    while f.len() < 2 {
        f.push('0');
    }
    let f: u128 = f.parse().unwrap_or(0);
    Ok(w * 100 + f)
}

/// The village's code as Siskeudes writes it: `01.2001.`.
pub fn kd_desa(village: KodeWilayah) -> String {
    let dotted = village.dotted();
    let parts: Vec<&str> = dotted.split('.').collect();
    match parts.as_slice() {
        [_, _, district, desa] => format!("{district}.{desa}."),
        _ => dotted,
    }
}

fn same_desa(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('.') == b.trim_end_matches('.')
}

/// The key of a line: its account, and for spending its sub-field and activity.
type Key = (AccountCode, Option<SubBidang>, String);

#[derive(Default)]
struct Sums {
    budget: u128,
    realised: u128,
    name: Option<String>,
}

/// Reads what every row of a table shares: its village and year.
struct Rows<'t> {
    table: &'t Table,
    desa: Option<usize>,
    tahun: Option<usize>,
}

impl<'t> Rows<'t> {
    fn new(table: &'t Table, p: &mut Problems) -> Self {
        Rows {
            table,
            desa: table.col("Kd_Desa", p),
            tahun: table.col("Tahun", p),
        }
    }

    /// The rows of the importing village and `year`; others are problems.
    fn checked<'a>(
        &'a self,
        expected: &'a str,
        year: &'a mut Option<String>,
        p: &'a mut Problems,
    ) -> Vec<&'t (usize, Vec<String>)> {
        let (Some(d), Some(t)) = (self.desa, self.tahun) else {
            return Vec::new();
        };
        let mut ok = Vec::new();
        for row in &self.table.rows {
            let (line, r) = row;
            let desa = r[d].trim();
            if !same_desa(desa, expected) {
                p.row(
                    self.table.file,
                    *line,
                    format!(
                        "kode desa {desa} bukan desa ini ({expected}); ekspor desa lain ditolak"
                    ),
                );
                continue;
            }
            let tahun = r[t].trim().to_string();
            match year {
                None => *year = Some(tahun),
                Some(y) if *y != tahun => {
                    p.row(
                        self.table.file,
                        *line,
                        format!("tahun {tahun} berbeda dari tahun berkas ({y}); impor satu tahun anggaran saja"),
                    );
                    continue;
                }
                Some(_) => {}
            }
            ok.push(row);
        }
        ok
    }
}

/// The sub-field of an activity code `01.2001.02.03.01.` (village first).
fn sub_of(kd_keg: &str, desa: &str) -> Option<SubBidang> {
    let k = kd_keg.trim();
    let rest = k.strip_prefix(desa).or_else(|| {
        k.strip_prefix(desa.trim_end_matches('.'))
            .map(|r| r.trim_start_matches('.'))
    })?;
    let mut parts = rest.split('.');
    let (b, s) = (parts.next()?, parts.next()?);
    SubBidang::parse(&format!("{b}.{s}")).ok()
}

/// The key of a row's account (and for spending its activity), or a problem.
fn key_of(kd_rincian: &str, kd_keg: &str, desa: &str) -> Result<Key, String> {
    let account = AccountCode::of_detail(kd_rincian).map_err(|e| e.to_string())?;
    if account.kind() == Kind::Belanja {
        let sub = sub_of(kd_keg, desa).ok_or_else(|| {
            format!(
                "kode kegiatan \"{}\" tidak berisi bidang dan sub-bidang yang dikenal (01.01–05.03)",
                kd_keg.trim().chars().take(40).collect::<String>()
            )
        })?;
        Ok((account, Some(sub), kd_keg.trim().to_string()))
    } else {
        Ok((account, None, String::new()))
    }
}

/// Reads and checks a Siskeudes export for `village`: its lines, or every
/// problem found (each naming its file and row).
pub fn read(bytes: &[u8], village: KodeWilayah) -> Result<Parsed, Vec<String>> {
    let mut p = Problems::default();
    let Some(mut zip) = open(bytes, &mut p) else {
        return Err(p.finish());
    };
    let desa = kd_desa(village);

    let version = match zip.table("Ref_Version.csv", &mut p) {
        Some(t) => t
            .col("Versi", &mut p)
            .and_then(|c| t.rows.first().map(|(_, r)| r[c].trim().to_string()))
            .unwrap_or_default(),
        None => {
            p.add("Ref_Version.csv tidak ada di dalam zip: ini bukan ekspor Siskeudes");
            String::new()
        }
    };
    let Some(rab) = zip.table("Ta_RAB.csv", &mut p) else {
        p.add("Ta_RAB.csv (anggaran) tidak ada di dalam zip");
        return Err(p.finish());
    };
    let mut year: Option<String> = None;
    let mut sums: BTreeMap<Key, Sums> = BTreeMap::new();

    // The budget.
    let rows = Rows::new(&rab, &mut p);
    let (keg, rinci, anggaran) = (
        rab.col("Kd_Keg", &mut p),
        rab.col("Kd_Rincian", &mut p),
        rab.col("Anggaran", &mut p),
    );
    let pak = rab.opt_col("AnggaranStlhPAK");
    if let (Some(keg), Some(rinci), Some(anggaran)) = (keg, rinci, anggaran) {
        for (line, r) in rows.checked(&desa, &mut year, &mut p) {
            let key = match key_of(&r[rinci], &r[keg], &desa) {
                Ok(k) => k,
                Err(e) => {
                    p.row(rab.file, *line, e);
                    continue;
                }
            };
            let after = pak.map(|c| cents(&r[c]));
            let amount = match (after, cents(&r[anggaran])) {
                (Some(Ok(a)), _) if a > 0 => a,
                (Some(Err(e)), _) => {
                    p.row(rab.file, *line, format!("AnggaranStlhPAK: {e}"));
                    continue;
                }
                (_, Ok(a)) => a,
                (_, Err(e)) => {
                    p.row(rab.file, *line, format!("Anggaran: {e}"));
                    continue;
                }
            };
            let s = sums.entry(key).or_default();
            s.budget += amount;
        }
    }
    if rab.rows.is_empty() {
        p.add("Ta_RAB.csv tidak berisi satu baris anggaran pun");
    }

    // Activity names.
    if let Some(t) = zip.table("Ta_Kegiatan.csv", &mut p) {
        let rows = Rows::new(&t, &mut p);
        if let (Some(k), Some(n)) = (t.col("Kd_Keg", &mut p), t.col("Nama_Kegiatan", &mut p)) {
            let names: HashMap<String, String> = rows
                .checked(&desa, &mut year, &mut p)
                .into_iter()
                .map(|(_, r)| (r[k].trim().to_string(), clean_name(&r[n])))
                .collect();
            for ((_, _, keg), s) in sums.iter_mut() {
                if let Some(n) = names.get(keg).filter(|n| !n.is_empty()) {
                    s.name = Some(n.clone());
                }
            }
        }
    }

    // Realisation: receipts.
    if let Some(t) = zip.table("Ta_TBPRinci.csv", &mut p) {
        realise(&t, &desa, &mut year, &mut p, &mut sums, |_| true);
    }
    // Payment requests paid directly, by their type in Ta_SPP.
    let spp_kind: Option<HashMap<String, String>> = zip.table("Ta_SPP.csv", &mut p).map(|t| {
        let rows = Rows::new(&t, &mut p);
        match (t.col("No_SPP", &mut p), t.col("Jn_SPP", &mut p)) {
            (Some(no), Some(jn)) => rows
                .checked(&desa, &mut year, &mut p)
                .into_iter()
                .map(|(_, r)| (r[no].trim().to_string(), r[jn].trim().to_ascii_uppercase()))
                .collect(),
            _ => HashMap::new(),
        }
    });
    if let Some(t) = zip.table("Ta_SPPRinci.csv", &mut p) {
        match &spp_kind {
            None => p.add("Ta_SPPRinci.csv ada tetapi Ta_SPP.csv (jenis SPP) tidak ada"),
            Some(kinds) => {
                let no = t.col("No_SPP", &mut p);
                if let Some(no) = no {
                    realise(&t, &desa, &mut year, &mut p, &mut sums, |r: &[String]| {
                        matches!(
                            kinds.get(r[no].trim()).map(String::as_str),
                            Some("LS" | "PBY")
                        )
                    });
                }
            }
        }
    }
    // Accountability reports of advances.
    if let Some(t) = zip.table("Ta_SPJRinci.csv", &mut p) {
        realise(&t, &desa, &mut year, &mut p, &mut sums, |_| true);
    }

    let fiscal = match year.as_deref() {
        Some(y) => match FiscalYear::parse(y) {
            Some(f) => Some(f),
            None => {
                p.add(format!("Ta_RAB.csv: tahun \"{y}\" bukan tahun anggaran"));
                None
            }
        },
        None => None,
    };
    if !p.0.is_empty() {
        return Err(p.finish());
    }
    let Some(year) = fiscal else {
        p.add("Ta_RAB.csv tidak berisi satu baris anggaran desa ini pun");
        return Err(p.finish());
    };
    let mut lines = Vec::with_capacity(sums.len());
    for ((account, sub, _), s) in sums {
        let whole = |c: u128| {
            u64::try_from((c + 50) / 100)
                .ok()
                .and_then(|n| Rupiah::new(n).ok())
        };
        let (Some(budget), Some(realised)) = (whole(s.budget), whole(s.realised)) else {
            p.add(format!("rekening {account}: jumlahnya terlalu besar"));
            continue;
        };
        let name = s.name.unwrap_or_else(|| match sub {
            Some(sub) => sub.name().to_string(),
            None => account.name().to_string(),
        });
        match BudgetLine::new(account, sub, name, budget, realised) {
            Ok(l) => lines.push(l),
            Err(e) => p.add(format!("rekening {account}: {e}")),
        }
    }
    if !p.0.is_empty() {
        return Err(p.finish());
    }
    Ok(Parsed {
        year,
        version,
        lines,
    })
}

/// A name as shown: one line, no control characters, at most 200 characters.
fn clean_name(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(super::MAX_NAME_CHARS)
        .collect()
}

/// Adds a realisation table's `Nilai` to the lines of its rows' accounts
/// (rows `counts` accepts); a row of an account or activity with no budget
/// gets a line of its own, budgeted at nothing.
fn realise(
    t: &Table,
    desa: &str,
    year: &mut Option<String>,
    p: &mut Problems,
    sums: &mut BTreeMap<Key, Sums>,
    counts: impl Fn(&[String]) -> bool,
) {
    let rows = Rows::new(t, p);
    let (rinci, nilai) = (t.col("Kd_Rincian", p), t.col("Nilai", p));
    let keg = t.opt_col("Kd_Keg");
    let (Some(rinci), Some(nilai)) = (rinci, nilai) else {
        return;
    };
    for (line, r) in rows.checked(desa, year, p) {
        if !counts(r) {
            continue;
        }
        let kd_keg = keg.map(|k| r[k].as_str()).unwrap_or("");
        let key = match key_of(&r[rinci], kd_keg, desa) {
            Ok(k) => k,
            Err(e) => {
                p.row(t.file, *line, e);
                continue;
            }
        };
        match cents(&r[nilai]) {
            Ok(c) => sums.entry(key).or_default().realised += c,
            Err(e) => p.row(t.file, *line, format!("Nilai: {e}")),
        }
    }
}

/// A small Siskeudes export for `village` and `year`, built here so tests
/// (and the demo's browser test) need no binary blob of unknown origin:
/// income (Dana Desa, ADD, PADes), spending in two fields, SILPA and
/// capital participation, with receipts, a direct payment and an advance's
/// report. `bad_rows` adds rows a import must refuse (an unknown account,
/// a negative amount, another village's row).
#[doc(hidden)]
pub fn fixture(village: KodeWilayah, year: u16, bad_rows: bool) -> Vec<u8> {
    use std::io::Write as _;
    let d = kd_desa(village);
    let mut files: Vec<(&str, String)> = vec![
        ("Ref_Version.csv", "\"Versi\"\n\"2.0.6\"\n".into()),
        (
            "Ta_RAB.csv",
            format!(
                "\"Tahun\",\"Kd_Desa\",\"Kd_Keg\",\"Kd_Rincian\",\"Anggaran\",\"AnggaranPAK\",\"AnggaranStlhPAK\"\n\
                 \"{year}\",\"{d}\",\"{d}00.00.01.\",\"4.2.1.01.\",\"900000000.00\",\"0\",\"950000000.00\"\n\
                 \"{year}\",\"{d}\",\"{d}00.00.01.\",\"4.2.3.01.\",\"600000000\",\"0\",\"0\"\n\
                 \"{year}\",\"{d}\",\"{d}00.00.01.\",\"4.1.1.01.\",\"40000000\",\"0\",\"\"\n\
                 \"{year}\",\"{d}\",\"{d}01.01.01.\",\"5.1.1.01.\",\"500000000\",\"0\",\"500000000\"\n\
                 \"{year}\",\"{d}\",\"{d}02.03.05.\",\"5.3.2.01.\",\"700000000\",\"0\",\"700000000\"\n\
                 \"{year}\",\"{d}\",\"{d}02.03.05.\",\"5.2.1.01.\",\"50000000\",\"0\",\"50000000\"\n\
                 \"{year}\",\"{d}\",\"{d}00.00.01.\",\"6.1.1.01.\",\"120000000\",\"0\",\"120000000\"\n\
                 \"{year}\",\"{d}\",\"{d}00.00.01.\",\"6.2.2.01.\",\"30000000\",\"0\",\"30000000\"\n"
            ),
        ),
        (
            "Ta_Kegiatan.csv",
            format!(
                "\"Tahun\",\"Kd_Desa\",\"Kd_Bid\",\"Kd_Keg\",\"ID_Keg\",\"Nama_Kegiatan\"\n\
                 \"{year}\",\"{d}\",\"{d}01\",\"{d}01.01.01.\",\"01.01.01.\",\"Penyelenggaraan Belanja Penghasilan Tetap, Tunjangan dan Operasional\"\n\
                 \"{year}\",\"{d}\",\"{d}02\",\"{d}02.03.05.\",\"02.03.05.\",\"Pembangunan Jalan Usaha Tani <Dusun Krajan> & \"\"Rabat Beton\"\"\"\n"
            ),
        ),
        (
            "Ta_TBPRinci.csv",
            format!(
                "\"Tahun\",\"No_Bukti\",\"Kd_Desa\",\"Kd_Keg\",\"Kd_Rincian\",\"RincianSD\",\"SumberDana\",\"Nilai\"\n\
                 \"{year}\",\"0001/TBP\",\"{d}\",\"{d}00.00.01.\",\"4.2.1.01.\",\"\",\"DDS\",\"570000000.00\"\n\
                 \"{year}\",\"0002/TBP\",\"{d}\",\"{d}00.00.01.\",\"4.2.3.01.\",\"\",\"ADD\",\"300000000\"\n\
                 \"{year}\",\"0003/TBP\",\"{d}\",\"{d}00.00.01.\",\"6.1.1.01.\",\"\",\"PBH\",\"120000000\"\n"
            ),
        ),
        (
            "Ta_SPP.csv",
            format!(
                "\"Tahun\",\"No_SPP\",\"Tgl_SPP\",\"Jn_SPP\",\"Kd_Desa\",\"Keterangan\",\"Jumlah\",\"Potongan\",\"Status\"\n\
                 \"{year}\",\"0001/SPP\",\"03/10/{year} 00:00:00\",\"LS\",\"{d}\",\"Siltap\",\"250000000\",\"0\",\"2\"\n\
                 \"{year}\",\"0002/SPP\",\"04/10/{year} 00:00:00\",\"UM\",\"{d}\",\"Panjar\",\"100000000\",\"0\",\"2\"\n"
            ),
        ),
        (
            "Ta_SPPRinci.csv",
            format!(
                "\"Tahun\",\"Kd_Desa\",\"No_SPP\",\"Kd_Keg\",\"Kd_Rincian\",\"Sumberdana\",\"Nilai\"\n\
                 \"{year}\",\"{d}\",\"0001/SPP\",\"{d}01.01.01.\",\"5.1.1.01.\",\"ADD\",\"250000000\"\n\
                 \"{year}\",\"{d}\",\"0002/SPP\",\"{d}02.03.05.\",\"5.3.2.01.\",\"DDS\",\"100000000\"\n"
            ),
        ),
        (
            "Ta_SPJRinci.csv",
            format!(
                "\"Tahun\",\"No_SPJ\",\"Kd_Keg\",\"Kd_Rincian\",\"Sumberdana\",\"Kd_Desa\",\"No_SPP\",\"JmlCair\",\"Nilai\",\"Sisa\"\n\
                 \"{year}\",\"0001/SPJ\",\"{d}02.03.05.\",\"5.3.2.01.\",\"DDS\",\"{d}\",\"0002/SPP\",\"100000000\",\"98500000.50\",\"1499999.50\"\n"
            ),
        ),
    ];
    if bad_rows {
        let rab = &mut files[1].1;
        rab.push_str(&format!(
            "\"{year}\",\"{d}\",\"{d}00.00.01.\",\"7.1.1.01.\",\"1000\",\"0\",\"1000\"\n\
             \"{year}\",\"{d}\",\"{d}02.03.05.\",\"5.2.1.01.\",\"-5000\",\"0\",\"-5000\"\n\
             \"{year}\",\"99.9999.\",\"99.9999.00.00.01.\",\"4.2.1.01.\",\"1000\",\"0\",\"1000\"\n"
        ));
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, body) in files {
        w.start_file(format!("siskeudes/{name}"), options)
            .expect("a file in memory");
        w.write_all(body.as_bytes()).expect("a file in memory");
    }
    w.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village() -> KodeWilayah {
        KodeWilayah::parse("33.10.01.2001").unwrap()
    }

    #[test]
    fn the_village_code_is_district_and_village_with_a_dot() {
        assert_eq!(kd_desa(village()), "01.2001.");
    }

    #[test]
    fn amounts_read_as_siskeudes_writes_them() {
        assert_eq!(cents("1500000"), Ok(150_000_000));
        assert_eq!(cents("1500000.5"), Ok(150_000_050));
        assert_eq!(cents("1500000,0000"), Ok(150_000_000));
        assert_eq!(cents(""), Ok(0));
        assert!(cents("-5").unwrap_err().contains("negatif"));
        assert!(cents("1e6").is_err());
        assert!(cents("12.345.678").is_err());
    }

    #[test]
    fn the_fixture_reads_into_lines_with_budget_after_amendment_and_realisation() {
        let p = read(&fixture(village(), 2026, false), village()).unwrap();
        assert_eq!(p.year.get(), 2026);
        assert_eq!(p.version, "2.0.6");
        let find = |acc: &str| {
            p.lines
                .iter()
                .filter(|l| l.account().code() == acc)
                .collect::<Vec<_>>()
        };
        let dd = find("4.2.1");
        assert_eq!(dd[0].budget.get(), 950_000_000, "after amendment");
        assert_eq!(dd[0].realised.get(), 570_000_000);
        assert_eq!(find("4.2.3")[0].budget.get(), 600_000_000, "no amendment");
        let capital = find("5.3");
        assert_eq!(capital[0].sub_bidang().unwrap().code(), "02.03");
        assert!(capital[0].name.starts_with("Pembangunan Jalan Usaha Tani"));
        // The advance (UM) is counted through its report, not its request.
        assert_eq!(capital[0].realised.get(), 98_500_001, "rounded half up");
        assert_eq!(find("5.1")[0].realised.get(), 250_000_000);
        assert_eq!(find("6.1.1")[0].realised.get(), 120_000_000);
        assert_eq!(p.lines.len(), 8);
    }

    #[test]
    fn every_bad_row_is_named_with_its_file_and_line() {
        let e = read(&fixture(village(), 2026, true), village()).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("Ta_RAB.csv baris 10:") && e[0].contains("7.1.1.01."),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("Ta_RAB.csv baris 11:") && e[1].contains("negatif"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("Ta_RAB.csv baris 12:") && e[2].contains("bukan desa ini"),
            "{e:?}"
        );
    }

    #[test]
    fn another_villages_export_is_refused_whole() {
        let other = KodeWilayah::parse("33.10.02.2005").unwrap();
        let e = read(&fixture(other, 2026, false), village()).unwrap_err();
        assert!(e.iter().all(|p| p.contains("bukan desa ini")), "{e:?}");
        assert!(e.len() > 8);
    }

    #[test]
    fn what_is_not_a_siskeudes_zip_is_refused_with_a_reason() {
        assert!(read(b"Tahun,Kd_Desa\n", village()).unwrap_err()[0].contains("bukan arsip zip"));
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("lain.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let empty = w.finish().unwrap().into_inner();
        let e = read(&empty, village()).unwrap_err();
        assert!(e.iter().any(|p| p.contains("Ref_Version.csv")), "{e:?}");
        assert!(e.iter().any(|p| p.contains("Ta_RAB.csv")), "{e:?}");
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_inflated() {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("Ta_RAB.csv", o).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..4 {
            w.write_all(&zeros).unwrap();
        }
        let bomb = w.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024);
        let e = read(&bomb, village()).unwrap_err();
        assert!(e[0].contains("terlalu besar"), "{e:?}");
    }
}
