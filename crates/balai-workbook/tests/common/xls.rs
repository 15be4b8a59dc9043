//! A minimal Excel 97-2003 (.xls, BIFF8 in a version-3 compound file)
//! writer for tests: enough for the reader, and open to deliberate damage.

#![allow(dead_code)]

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const FATSECT: u32 = 0xFFFF_FFFD;

/// A cell for [`biff_sheet`].
pub enum X<'a> {
    /// Text (Label record).
    Text(&'a str),
    /// A number (Number record).
    Num(f64),
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&0x0600u16.to_le_bytes());
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0; 12]);
    d
}

/// Extra records a test wants inside the sheet (after DIMENSIONS).
pub struct Extra {
    /// Record type.
    pub typ: u16,
    /// Record data.
    pub data: Vec<u8>,
}

/// A BIFF8 workbook stream with one sheet named `name` holding `rows`,
/// a DIMENSIONS record `dims` (first row, last row + 1, first col, last col + 1)
/// and `extra` records.
pub fn biff_sheet(
    name: &str,
    rows: &[Vec<X<'_>>],
    dims: (u32, u32, u16, u16),
    extra: &[Extra],
) -> Vec<u8> {
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    // BoundSheet: stream offset patched below, visible worksheet, 8-bit name.
    let mut bs = vec![0, 0, 0, 0, 0, 0, name.len() as u8, 0];
    bs.extend_from_slice(name.as_bytes());
    let bs_at = globals.len() + 4;
    record(&mut globals, 0x0085, &bs);
    record(&mut globals, 0x000A, &[]);
    let sheet_pos = globals.len() as u32;
    globals[bs_at..bs_at + 4].copy_from_slice(&sheet_pos.to_le_bytes());

    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut d = Vec::new();
    d.extend_from_slice(&dims.0.to_le_bytes());
    d.extend_from_slice(&dims.1.to_le_bytes());
    d.extend_from_slice(&dims.2.to_le_bytes());
    d.extend_from_slice(&dims.3.to_le_bytes());
    d.extend_from_slice(&[0, 0]);
    record(&mut sheet, 0x0200, &d);
    for e in extra {
        record(&mut sheet, e.typ, &e.data);
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let mut d = Vec::new();
            d.extend_from_slice(&(r as u16).to_le_bytes());
            d.extend_from_slice(&(c as u16).to_le_bytes());
            d.extend_from_slice(&15u16.to_le_bytes());
            match cell {
                X::Text(s) => {
                    d.extend_from_slice(&(s.len() as u16).to_le_bytes());
                    d.push(0);
                    d.extend_from_slice(s.as_bytes());
                    record(&mut sheet, 0x0204, &d);
                }
                X::Num(n) => {
                    d.extend_from_slice(&n.to_le_bytes());
                    record(&mut sheet, 0x0203, &d);
                }
            }
        }
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    // Streams under 4096 bytes live in the mini stream; pad past it with a
    // record nobody reads (it follows the last EOF).
    while globals.len() < 4096 {
        record(&mut globals, 0x1234, &[0; 200]);
    }
    globals
}

/// Wraps a `Workbook` stream in a version-3 compound file: header, one FAT
/// sector, one directory sector, then the stream. `fat_patch` overrides FAT
/// entries (to build broken chains).
pub fn compound_file(stream: &[u8], fat_patch: &[(usize, u32)]) -> Vec<u8> {
    let sectors = stream.len().div_ceil(512);
    assert!(sectors + 2 <= 128, "test streams fit one FAT sector");
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    header[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes());
    header[48..52].copy_from_slice(&1u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    header[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    for i in 0..109 {
        let v = if i == 0 { 0 } else { FREESECT };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut fat = vec![FREESECT; 128];
    fat[0] = FATSECT;
    fat[1] = ENDOFCHAIN;
    for s in 0..sectors {
        fat[2 + s] = if s + 1 == sectors {
            ENDOFCHAIN
        } else {
            (3 + s) as u32
        };
    }
    for (i, v) in fat_patch {
        fat[*i] = *v;
    }
    let mut out = header;
    for v in fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut dir = vec![0u8; 512];
    let entry = |dir: &mut Vec<u8>, i: usize, name: &str, typ: u8, start: u32, size: u32| {
        let e = &mut dir[i * 128..(i + 1) * 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (k, u) in units.iter().enumerate() {
            e[2 * k..2 * k + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = typ;
        e[68..80].copy_from_slice(&[0xFF; 12]);
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
    };
    entry(&mut dir, 0, "Root Entry", 5, ENDOFCHAIN, 0);
    entry(&mut dir, 1, "Workbook", 2, 2, stream.len() as u32);
    out.extend_from_slice(&dir);
    let mut body = stream.to_vec();
    body.resize(sectors * 512, 0);
    out.extend_from_slice(&body);
    out
}
