//! What a file is, checked before any parser sees it: the upload size, the
//! file signature, and for zip-based workbooks the central directory (the
//! sizes it declares bound what the zip reader will ever inflate, so a bomb
//! is refused before a byte is decompressed).

use std::io::{Cursor, Read};

use memchr::memmem;
use zip::ZipArchive;

use crate::import_error::ImportError;
use crate::limits::Limits;

/// Zip local-file and empty-archive signatures.
const ZIP_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
/// OLE2 compound file signature (.xls, and encrypted .xlsx).
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// An entry larger than this must not compress better than [`MAX_RATIO`].
const RATIO_FLOOR: u64 = 10 * 1024 * 1024;
/// Real worksheets compress about 10:1; beyond 100:1 over 10 MiB is a bomb.
const MAX_RATIO: u64 = 100;
/// A workbook has tens of parts; thousands of entries only cost memory.
const MAX_ENTRIES: usize = 10_000;
/// calamine reserves one `String` (24 bytes) per declared shared string.
const STRING_SLOT: u64 = 24;

/// The container a workbook came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// Excel 97-2003 (.xls).
    Xls,
}

/// Identifies the container and refuses what is too large or hostile.
pub(crate) fn inspect(bytes: &[u8], limits: &Limits) -> Result<Container, ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    if ZIP_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        check_zip(bytes, limits)?;
        return Ok(Container::Xlsx);
    }
    if bytes.starts_with(OLE_MAGIC) {
        crate::xls_guard::check(bytes, limits)?;
        return Ok(Container::Xls);
    }
    Err(ImportError::NotAWorkbook(describe(bytes)))
}

/// What a non-workbook upload most likely is, so the operator knows what went wrong.
fn describe(bytes: &[u8]) -> String {
    let kind = if bytes.is_empty() {
        "berkasnya kosong"
    } else if bytes.starts_with(b"\x89PNG") {
        "isinya gambar PNG"
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        "isinya gambar JPEG"
    } else if bytes.starts_with(b"%PDF") {
        "isinya dokumen PDF"
    } else if looks_like_text(&bytes[..bytes.len().min(4096)]) {
        "isinya teks biasa (mungkin CSV atau HTML yang diberi nama .xlsx)"
    } else {
        "tanda awal berkas tidak dikenal"
    };
    format!("{kind}; buka datanya di Excel atau LibreOffice lalu simpan sebagai .xlsx")
}

/// Valid UTF-8, allowing a character cut off at the end of the sample.
fn looks_like_text(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let damaged = |e: zip::result::ZipError| {
        ImportError::NotAWorkbook(format!("arsip zip rusak atau tidak lengkap ({e})"))
    };
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ImportError::NotAWorkbook(format!(
            "arsip berisi {} bagian, jauh lebih banyak dari workbook mana pun",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(damaged)?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > RATIO_FLOOR && size / MAX_RATIO > packed {
            return Err(ImportError::Bomb {
                uncompressed: size,
                max: packed.saturating_mul(MAX_RATIO).max(RATIO_FLOOR),
            });
        }
        // calamine looks parts up by lower-cased, slash-normalised name.
        let name = String::from_utf8_lossy(entry.name_raw())
            .replace('\\', "/")
            .to_ascii_lowercase();
        names.push((i, name, size));
    }
    if total > limits.max_uncompressed_bytes {
        return Err(ImportError::Bomb {
            uncompressed: total,
            max: limits.max_uncompressed_bytes,
        });
    }
    let has = |suffix: &str| names.iter().any(|(_, n, _)| n.ends_with(suffix));
    if !has("workbook.xml") {
        let hint = if has("workbook.bin") {
            "format .xlsb tidak didukung"
        } else if has("content.xml") {
            "format OpenDocument (.ods) tidak didukung"
        } else {
            "arsip zip ini tidak berisi workbook Excel"
        };
        return Err(ImportError::NotAWorkbook(format!(
            "{hint}; simpan sebagai .xlsx"
        )));
    }
    for (i, _, size) in names
        .iter()
        .filter(|(_, n, _)| n.ends_with("sharedstrings.xml"))
    {
        check_shared_string_count(&mut zip, *i, *size, limits)?;
    }
    Ok(())
}

/// The shared-string table is the one part the reader keeps whole in memory,
/// one `String` per entry, and it reserves room for the `uniqueCount` the
/// table declares before reading it: a forged count in a tiny file would ask
/// for terabytes and abort the process, and millions of empty `<si/>` cost
/// 24 bytes each while taking 5 in the file. So the table is scanned first:
/// a declared count above what its bytes can hold (4 per string) or above
/// the memory budget is refused, and so is a table whose strings would
/// take more memory than the budget allows.
fn check_shared_string_count(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    size: u64,
    limits: &Limits,
) -> Result<(), ImportError> {
    let budget = limits.max_uncompressed_bytes;
    let allowed = (size / 4 + 1024).min(budget / STRING_SLOT);
    let mut entry = zip
        .by_index(index)
        .map_err(|e| ImportError::NotAWorkbook(format!("bagian sharedStrings.xml rusak ({e})")))?;
    let declared = memmem::Finder::new(b"uniqueCount");
    let element = memmem::Finder::new(b"si");
    // Scanned in chunks; the tail of each chunk is kept so that a name split
    // across two chunks is still seen whole.
    const CHUNK: usize = 64 * 1024;
    const KEEP: usize = 64;
    let mut buf = vec![0u8; CHUNK + KEEP];
    let mut kept = 0;
    let mut strings: u64 = 0;
    loop {
        let n = match entry.read(&mut buf[kept..]) {
            Ok(0) => break,
            Ok(n) => n,
            // A damaged entry fails again, with a better message, in calamine.
            Err(_) => break,
        };
        let window = &buf[..kept + n];
        for at in declared.find_iter(window) {
            if let Some(count) = attribute_number(&window[at + b"uniqueCount".len()..])
                && count > allowed
            {
                return Err(ImportError::Bomb {
                    uncompressed: count.saturating_mul(STRING_SLOT),
                    max: allowed.saturating_mul(STRING_SLOT),
                });
            }
        }
        // `<si>`, `<si/>`, `<x:si …>`: counted once, in the window where the
        // byte after the name arrives.
        strings += element
            .find_iter(window)
            .filter(|&at| {
                at + 3 > kept
                    && opens_element(window, at)
                    && window
                        .get(at + 2)
                        .is_some_and(|b| matches!(b, b'>' | b'/') || b.is_ascii_whitespace())
            })
            .count() as u64;
        let tail = window.len().saturating_sub(KEEP);
        buf.copy_within(tail..kept + n, 0);
        kept = kept + n - tail;
    }
    let need = strings.saturating_mul(STRING_SLOT).saturating_add(size);
    if need > budget {
        return Err(ImportError::Bomb {
            uncompressed: need,
            max: budget,
        });
    }
    Ok(())
}

/// Whether the name at `at` follows `<` directly or through a namespace
/// prefix (`<x:`), as a start tag does; an end tag (`</`) does not count.
fn opens_element(window: &[u8], at: usize) -> bool {
    match window[..at].last() {
        Some(b'<') => true,
        Some(b':') => {
            let prefix = &window[..at - 1];
            let start = prefix
                .iter()
                .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')));
            start.is_some_and(|i| prefix[i] == b'<' && i + 1 < prefix.len())
        }
        _ => false,
    }
}

/// The number in `="123"` (spaces and either quote allowed), saturating.
fn attribute_number(rest: &[u8]) -> Option<u64> {
    let mut it = rest.iter().copied().skip_while(u8::is_ascii_whitespace);
    if it.next()? != b'=' {
        return None;
    }
    let mut it = it.skip_while(u8::is_ascii_whitespace);
    if !matches!(it.next()?, b'"' | b'\'') {
        return None;
    }
    let mut it = it.skip_while(|b| *b == b'+').peekable();
    it.peek().filter(|b| b.is_ascii_digit())?;
    Some(it.take_while(u8::is_ascii_digit).fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attribute_numbers_leniently() {
        assert_eq!(attribute_number(br#"="12" count"#), Some(12));
        assert_eq!(attribute_number(br#" = '7'"#), Some(7));
        assert_eq!(
            attribute_number(br#"="99999999999999999999999""#),
            Some(u64::MAX)
        );
        assert_eq!(attribute_number(br#"="x""#), None);
        assert_eq!(attribute_number(b"s"), None);
    }

    #[test]
    fn only_start_tags_open_elements() {
        for (xml, at, opens) in [
            (&b"<si>"[..], 1, true),
            (b"<x:si>", 3, true),
            (b"</si>", 2, false),
            (b"</x:si>", 4, false),
            (b"a:si", 2, false),
            (b"<:si>", 2, false),
        ] {
            assert_eq!(
                opens_element(xml, at),
                opens,
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
    }

    #[test]
    fn names_what_a_wrong_upload_is() {
        assert!(describe(b"\x89PNG\r\n").contains("PNG"));
        assert!(describe(b"nama,nik\n").contains("teks biasa"));
        assert!(describe(b"").contains("kosong"));
        let cut = "nama,é".as_bytes();
        assert!(describe(&cut[..cut.len() - 1]).contains("teks biasa"));
    }
}
