//! A pre-flight check of Excel 97-2003 (.xls) files. The xls reader builds
//! every sheet in memory from sizes the file declares and follows sector
//! chains wherever they point: a few hundred crafted bytes can make it
//! reserve terabytes (the process aborts) or loop forever. This module walks
//! the file exactly as that reader will — compound-file header, FAT, the
//! directory, the `Workbook` stream, the BIFF records of every sheet — and
//! refuses anything malformed, cyclic, or whose decoded size would exceed the
//! memory budget, before the reader is called.

use crate::import_error::ImportError;
use crate::limits::Limits;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const HEADER_LEN: usize = 512;
const MINI_SECTOR: usize = 64;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: usize = 4096;
/// More sheets than any resident workbook has; each is parsed separately.
const MAX_SHEETS: usize = 1024;

// Memory the reader spends per decoded item (bytes), for the budget.
/// One sparse cell (`Cell<Data>`), before the sheet is made dense.
const SPARSE_CELL: u64 = 40;
/// One dense cell (`Data`); the chosen sheet is also cloned once.
const DENSE_CELL: u64 = 2 * 32;
/// One dense formula slot (`String`).
const DENSE_FORMULA: u64 = 24;
/// Formula text per byte of formula record: a 5-byte name token prints up to 255 characters.
const FORMULA_TEXT_PER_BYTE: u64 = 64;
/// A shared string costs a `String` plus its allocation and takes at least 3 bytes of the record.
const SST_PER_BYTE: u64 = 20;

/// Why the file is refused.
enum Refusal {
    Damaged(&'static str),
    Password,
    Budget(u64),
}

/// Checks an OLE2 file before the xls reader sees it.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let budget = limits.max_uncompressed_bytes;
    match walk(bytes, budget) {
        Ok(()) => Ok(()),
        Err(Refusal::Damaged(what)) => Err(ImportError::NotAWorkbook(format!(
            "berkas .xls rusak atau tidak lazim ({what}); buka di Excel atau LibreOffice lalu simpan sebagai .xlsx"
        ))),
        Err(Refusal::Password) => Err(ImportError::NotAWorkbook(
            "berkas dilindungi kata sandi; buka di Excel, hapus kata sandinya, lalu simpan ulang"
                .into(),
        )),
        Err(Refusal::Budget(need)) => Err(ImportError::Bomb {
            uncompressed: need,
            max: budget,
        }),
    }
}

fn walk(bytes: &[u8], budget: u64) -> Result<(), Refusal> {
    let file = Cfb::open(bytes)?;
    let stream = file.workbook_stream()?;
    scan_biff(&stream, budget)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The compound file as the xls reader sees it.
struct Cfb<'b> {
    /// Everything after the header sector; sector `n` starts at `n * size`.
    body: &'b [u8],
    size: usize,
    version: u16,
    fats: Vec<u32>,
    dirs: Vec<Dir>,
    mini_stream: Vec<u8>,
    mini_fats: Vec<u32>,
}

struct Dir {
    name: String,
    start: u32,
    len: usize,
}

impl<'b> Cfb<'b> {
    fn open(bytes: &'b [u8]) -> Result<Self, Refusal> {
        let header = bytes.get(..HEADER_LEN).ok_or(Refusal::Damaged("header"))?;
        let version = u16_at(header, 26).ok_or(Refusal::Damaged("header"))?;
        let size = match u16_at(header, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(Refusal::Damaged("sector size")),
        };
        if u16_at(header, 32) != Some(6) {
            return Err(Refusal::Damaged("mini sector size"));
        }
        let body = bytes.get(size..).ok_or(Refusal::Damaged("header"))?;
        let field = |at| u32_at(header, at).ok_or(Refusal::Damaged("header"));
        let dir_start = field(48)?;
        let mini_fat_start = field(60)?;
        let mini_fat_len = field(64)? as usize;
        let difat_start = field(68)?;
        let maxid = bytes.len() / size;

        let mut file = Cfb {
            body,
            size,
            version,
            fats: Vec::new(),
            dirs: Vec::new(),
            mini_stream: Vec::new(),
            mini_fats: Vec::new(),
        };

        let mut difat: Vec<u32> = u32s(&header[76..]).collect();
        let mut sector_id = difat_start;
        let mut hops = 0usize;
        while sector_id < RESERVED {
            hops += 1;
            if hops > maxid + 1 {
                return Err(Refusal::Damaged("DIFAT chain"));
            }
            difat.extend(u32s(file.sector(sector_id)?));
            sector_id = difat.pop().ok_or(Refusal::Damaged("DIFAT chain"))?;
        }
        // Each FAT sector maps size/4 sectors: a file needs about maxid entries.
        // Listing one sector many times inflates the table without bound.
        let fat_cap = 2 * (maxid + 1) + size;
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            let fat = u32s(file.sector(id)?);
            file.fats.extend(fat);
            if file.fats.len() > fat_cap {
                return Err(Refusal::Damaged("FAT"));
            }
        }

        let dir_bytes = file.chain(dir_start, usize::MAX)?;
        file.dirs = dir_bytes
            .chunks_exact(128)
            .map(|c| Dir::parse(c, size))
            .collect::<Result<_, _>>()?;
        let root_start = match file.dirs.first() {
            Some(root) if !(file.version != 3 && root.start == ENDOFCHAIN) => root.start,
            _ => return Err(Refusal::Damaged("root directory")),
        };
        if mini_fat_len > 0 {
            let root_len = file.dirs[0].len;
            file.mini_stream = file.chain(root_start, root_len)?;
            let mini_fat = file.chain(mini_fat_start, mini_fat_len.saturating_mul(size))?;
            file.mini_fats = u32s(&mini_fat).collect();
        }
        Ok(file)
    }

    /// Sector `id`, which must lie wholly inside the file.
    fn sector(&self, id: u32) -> Result<&'b [u8], Refusal> {
        let start = (id as usize)
            .checked_mul(self.size)
            .ok_or(Refusal::Damaged("sector number"))?;
        self.body
            .get(start..start + self.size)
            .ok_or(Refusal::Damaged("sector beyond the end of the file"))
    }

    /// The first `len` bytes of the chain starting at `start`, refusing
    /// cycles (the reader would follow one until memory runs out).
    fn chain(&self, start: u32, len: usize) -> Result<Vec<u8>, Refusal> {
        let mut out = Vec::new();
        let mut visited = vec![false; self.body.len() / self.size + 1];
        let mut id = start;
        while id != ENDOFCHAIN {
            let sector = self.sector(id)?;
            let seen = visited
                .get_mut(id as usize)
                .ok_or(Refusal::Damaged("sector number"))?;
            if *seen {
                return Err(Refusal::Damaged("sector chain loops"));
            }
            *seen = true;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *self
                .fats
                .get(id as usize)
                .ok_or(Refusal::Damaged("FAT entry"))?;
        }
        Ok(out)
    }

    /// Like [`Cfb::chain`] over the mini stream's 64-byte sectors.
    fn mini_chain(&self, start: u32, len: usize) -> Result<Vec<u8>, Refusal> {
        let mut out = Vec::new();
        let mut visited = vec![false; self.mini_stream.len() / MINI_SECTOR + 1];
        let mut id = start;
        while id != ENDOFCHAIN {
            let at = (id as usize).saturating_mul(MINI_SECTOR);
            // Past the mini stream the reader would read arbitrary bytes of the file.
            let sector = self
                .mini_stream
                .get(at..at.saturating_add(MINI_SECTOR))
                .ok_or(Refusal::Damaged("mini sector"))?;
            let seen = visited
                .get_mut(id as usize)
                .ok_or(Refusal::Damaged("mini sector"))?;
            if *seen {
                return Err(Refusal::Damaged("mini sector chain loops"));
            }
            *seen = true;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *self
                .mini_fats
                .get(id as usize)
                .ok_or(Refusal::Damaged("mini FAT entry"))?;
        }
        Ok(out)
    }

    /// The BIFF stream the reader will parse: `Workbook`, else `Book`.
    fn workbook_stream(&self) -> Result<Vec<u8>, Refusal> {
        let find = |name: &str| {
            self.dirs
                .iter()
                .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        };
        let Some(dir) = find("Workbook").or_else(|| find("Book")) else {
            if find("EncryptedPackage").is_some() {
                return Err(Refusal::Password);
            }
            return Err(Refusal::Damaged("no Workbook stream"));
        };
        if dir.len < MINI_CUTOFF {
            self.mini_chain(dir.start, dir.len)
        } else {
            self.chain(dir.start, dir.len)
        }
    }
}

impl Dir {
    fn parse(entry: &[u8], sector_size: usize) -> Result<Self, Refusal> {
        let raw = &entry[..64];
        // The reader sniffs byte-order marks before decoding as UTF-16LE; a
        // name starting with one could decode differently there, so such a
        // file is not guessed about.
        if raw.starts_with(&[0xEF, 0xBB, 0xBF])
            || raw.starts_with(&[0xFE, 0xFF])
            || raw.starts_with(&[0xFF, 0xFE])
        {
            return Err(Refusal::Damaged("directory name"));
        }
        let units = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        let mut name: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        if let Some(nul) = name.find('\0') {
            name.truncate(nul);
        }
        let start = u32_at(entry, 116).ok_or(Refusal::Damaged("directory"))?;
        let len = if sector_size == 512 {
            u32_at(entry, 120).ok_or(Refusal::Damaged("directory"))? as usize
        } else {
            let lo = u64::from(u32_at(entry, 120).ok_or(Refusal::Damaged("directory"))?);
            let hi = u64::from(u32_at(entry, 124).ok_or(Refusal::Damaged("directory"))?);
            usize::try_from(lo | hi << 32).map_err(|_| Refusal::Damaged("directory"))?
        };
        Ok(Dir { name, start, len })
    }
}

/// One BIFF record with its CONTINUE records, as the reader splits them.
struct Record<'s> {
    typ: u16,
    data: &'s [u8],
    /// Bytes of the record plus its continuations.
    span: usize,
}

/// Reads the record at the start of `s`; `Ok(None)` at the end of the stream.
fn record(s: &[u8]) -> Result<Option<Record<'_>>, Refusal> {
    if s.is_empty() {
        return Ok(None);
    }
    let (Some(typ), Some(len)) = (u16_at(s, 0), u16_at(s, 2)) else {
        return Err(Refusal::Damaged("record header"));
    };
    let len = usize::from(len);
    let data = s.get(4..4 + len).ok_or(Refusal::Damaged("record length"))?;
    let mut span = 4 + len;
    if s.len() - span > 4 && u16_at(s, span) == Some(0x003C) {
        while s.len() - span > 4 && u16_at(s, span) == Some(0x003C) {
            let more = usize::from(u16_at(s, span + 2).unwrap_or(0));
            if s.len() - span < more + 4 {
                return Err(Refusal::Damaged("continue record length"));
            }
            span += 4 + more;
        }
    }
    Ok(Some(Record { typ, data, span }))
}

/// Walks the workbook globals and every sheet the way the reader does,
/// estimating the memory it will need.
fn scan_biff(stream: &[u8], budget: u64) -> Result<(), Refusal> {
    let mut need: u64 = 0;
    let mut sheets = Vec::new();
    let mut at = 0;
    while let Some(r) = record(&stream[at..])? {
        at += r.span;
        match r.typ {
            0x002F if u16_at(r.data, 0).is_some_and(|v| v != 0) => return Err(Refusal::Password),
            0x0809 if r.data.len() < 2 => return Err(Refusal::Damaged("BOF record")),
            0x0085 => {
                if r.data.len() < 8 {
                    return Err(Refusal::Damaged("sheet record"));
                }
                sheets.push(u32_at(r.data, 0).unwrap_or(u32::MAX) as usize);
                if sheets.len() > MAX_SHEETS {
                    return Err(Refusal::Damaged("too many sheets"));
                }
            }
            0x00FC => need = need.saturating_add(SST_PER_BYTE * r.span as u64),
            0x000A => break,
            _ => {}
        }
    }
    // Sheets are parsed independently from their offsets; overlapping ones
    // would multiply the work, so the total must stay within the stream.
    let mut scanned = 0usize;
    for pos in sheets {
        let sheet = stream.get(pos..).ok_or(Refusal::Damaged("sheet offset"))?;
        let (cost, len) = scan_sheet(sheet)?;
        need = need.saturating_add(cost);
        scanned = scanned.saturating_add(len);
        if scanned > stream.len() {
            return Err(Refusal::Damaged("overlapping sheets"));
        }
        if need > budget {
            return Err(Refusal::Budget(need));
        }
    }
    if need > budget {
        return Err(Refusal::Budget(need));
    }
    Ok(())
}

/// Bounding box of the cells the reader collects for one sheet.
#[derive(Default)]
struct Extent {
    cells: u64,
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.cells += 1;
        let grow = |b: &mut Option<(u32, u32)>, v: u32| {
            *b = Some(b.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        };
        grow(&mut self.rows, row);
        grow(&mut self.cols, col);
    }

    fn dense(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1))
            }
            _ => 0,
        }
    }
}

/// The memory one sheet will take and the bytes of stream it spans.
fn scan_sheet(sheet: &[u8]) -> Result<(u64, usize), Refusal> {
    let mut cells = Extent::default();
    let mut formulas = Extent::default();
    let mut reserved: u64 = 0;
    let mut formula_bytes: u64 = 0;
    let mut formula_at = (0u32, 0u32);
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut at = 0;
    let position = |d: &[u8]| -> Result<(u32, u32), Refusal> {
        match (u16_at(d, 0), u16_at(d, 2)) {
            (Some(r), Some(c)) => Ok((u32::from(r), u32::from(c))),
            _ => Err(Refusal::Damaged("cell record")),
        }
    };
    while let Some(r) = record(&sheet[at..])? {
        at += r.span;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match r.typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => reserved = reserved.saturating_add(dimensions(r.data)?),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                let (row, col) = position(r.data)?;
                cells.add(row, col);
            }
            0x0207 => cells.add(formula_at.0, formula_at.1),
            0x00BD => {
                let d = r.data;
                let (row, first) = position(d)?;
                let last = u32::from(u16_at(d, d.len().saturating_sub(2)).unwrap_or(0));
                if d.len() < 6 || last < first || d.len() != 6 + 6 * (last - first + 1) as usize {
                    return Err(Refusal::Damaged("MulRk record"));
                }
                for col in first..=last {
                    cells.add(row, col);
                }
            }
            0x0006 => {
                if r.data.len() < 20 {
                    return Err(Refusal::Damaged("formula record"));
                }
                formula_at = position(r.data)?;
                // The cached value may become a cell; the formula text always does.
                cells.add(formula_at.0, formula_at.1);
                formulas.add(formula_at.0, formula_at.1);
                formula_bytes += r.data.len() as u64;
            }
            0x000A => break,
            _ => {}
        }
    }
    let cost = reserved
        .max(cells.cells)
        .saturating_mul(SPARSE_CELL)
        .saturating_add(cells.dense().saturating_mul(DENSE_CELL))
        .saturating_add(formulas.cells.saturating_mul(SPARSE_CELL))
        .saturating_add(formulas.dense().saturating_mul(DENSE_FORMULA))
        .saturating_add(formula_bytes.saturating_mul(FORMULA_TEXT_PER_BYTE));
    Ok((cost, at))
}

/// The cell count a DIMENSIONS record makes the reader reserve.
fn dimensions(d: &[u8]) -> Result<u64, Refusal> {
    let bad = || Refusal::Damaged("dimensions record");
    let (first_row, last_row, mut first_col, last_col) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0).ok_or_else(bad)?),
            u32::from(u16_at(d, 2).ok_or_else(bad)?),
            u32::from(u16_at(d, 4).ok_or_else(bad)?),
            u32::from(u16_at(d, 6).ok_or_else(bad)?),
        ),
        14 | 16 => (
            u32_at(d, 0).ok_or_else(bad)?,
            u32_at(d, 4).ok_or_else(bad)?,
            u32::from(u16_at(d, 8).ok_or_else(bad)?),
            u32::from(u16_at(d, 10).ok_or_else(bad)?),
        ),
        _ => return Err(bad()),
    };
    if 0xFF < first_col || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return Ok(1);
    }
    // The reader computes `last - first + 1` in u32: a first beyond the last overflows.
    let (end_row, end_col) = (last_row - 1, last_col - 1);
    if first_row > end_row || first_col > end_col {
        return Err(bad());
    }
    Ok(u64::from(end_row - first_row + 1).saturating_mul(u64::from(end_col - first_col + 1)))
}
