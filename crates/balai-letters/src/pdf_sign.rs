//! The PAdES baseline B-B signature of a letter's PDF: an incremental update
//! appended to the typeset file (the seal, an AcroForm with an invisible
//! signature field, and a `/Sig` dictionary whose `/Contents` holds a
//! detached CMS SignedData over every byte but itself), and reading it back.
//!
//! Ordinary PDF readers check this signature and show an edited copy as
//! modified; Balai's own checker also reads the v2 seal stored beside it.

use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::pki::{DocumentSigner, PkiError};
use crate::verify::VerifyError;

/// Bytes reserved for the CMS signature (two certificates and a signature
/// need ~1.5 KB); written as twice as many hex digits.
const CONTENTS_BYTES: usize = 8192;
/// Width of each `/ByteRange` number, padded with spaces, so the dictionary
/// can be written before the numbers are known.
const RANGE_DIGITS: usize = 10;
/// The catalog key holding the v2 seal (second-class name, Balai's own).
pub(crate) const SEAL_KEY: &[u8] = b"BalaiSeal";
/// The signature field's name.
const FIELD_NAME: &str = "Segel Balai";

/// Why a PDF could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The typeset PDF is not one this code can extend.
    #[error("the PDF cannot be signed: {0}")]
    Pdf(String),
    /// A key or certificate could not be used.
    #[error("the PDF signature could not be made: {0}")]
    Pki(#[from] PkiError),
}

fn pdf_err(e: impl std::fmt::Display) -> SignError {
    SignError::Pdf(e.to_string())
}

/// Appends the signature revision to `pdf` (as typeset): the v2 seal
/// `seal_compact` in the catalog, the signature field on the first page and
/// the CMS signature by `signer`, dated `signing_time_unix` (seconds).
pub(crate) fn sign(
    pdf: &[u8],
    seal_compact: &str,
    signer: &DocumentSigner,
    signing_time_unix: i64,
) -> Result<Vec<u8>, SignError> {
    let doc = Document::load_mem(pdf).map_err(pdf_err)?;
    sign_parsed(pdf, &doc, seal_compact, signer, signing_time_unix)
}

/// [`sign`] for a `pdf` already parsed into `doc` (the same bytes).
pub(crate) fn sign_parsed(
    pdf: &[u8],
    doc: &Document,
    seal_compact: &str,
    signer: &DocumentSigner,
    signing_time_unix: i64,
) -> Result<Vec<u8>, SignError> {
    let prev = last_startxref(pdf).ok_or_else(|| pdf_err("no startxref"))?;
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(pdf_err)?;
    let mut catalog = doc.get_dictionary(root_id).map_err(pdf_err)?.clone();
    if catalog.has(b"AcroForm") || catalog.has(SEAL_KEY) {
        return Err(pdf_err("the PDF already has a form or a seal"));
    }
    let (_, &page_id) = doc
        .get_pages()
        .iter()
        .next()
        .ok_or_else(|| pdf_err("the PDF has no page"))?;
    let mut page = doc.get_dictionary(page_id).map_err(pdf_err)?.clone();
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0)
        .max(doc.max_id + 1);
    let (sig_id, widget_id, seal_id) = ((size, 0), (size + 1, 0), (size + 2, 0));

    let mut annots = match page.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => doc
            .get_object(*id)
            .and_then(Object::as_array)
            .map_err(pdf_err)?
            .clone(),
        _ => Vec::new(),
    };
    annots.push(Object::Reference(widget_id));
    page.set("Annots", Object::Array(annots));
    catalog.set(
        "AcroForm",
        Object::Dictionary(Dictionary::from_iter([
            ("Fields", Object::Array(vec![Object::Reference(widget_id)])),
            // SignaturesExist | AppendOnly.
            ("SigFlags", Object::Integer(3)),
        ])),
    );
    catalog.set(SEAL_KEY.to_vec(), Object::Reference(seal_id));

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    // The signature dictionary first, so the placeholders are found by offset.
    let (range_at, contents_at) = {
        offsets.push((sig_id.0, out.len()));
        let mut s = format!(
            "{} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M {}/Name {}/ByteRange [",
            sig_id.0,
            pdf_string(&pdf_date(signing_time_unix)),
            pdf_string(FIELD_NAME),
        );
        let range_at = out.len() + s.len();
        let _ = write!(s, "0 {0:>1$} {0:>1$} {0:>1$}]/Contents ", 0, RANGE_DIGITS);
        let contents_at = out.len() + s.len();
        s.push('<');
        s.push_str(&"0".repeat(CONTENTS_BYTES * 2));
        s.push_str(">>>\nendobj\n");
        out.extend_from_slice(s.as_bytes());
        (range_at, contents_at)
    };
    let mut object = |out: &mut Vec<u8>, id: ObjectId, body: &[u8]| {
        offsets.push((id.0, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let widget = Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Widget".to_vec())),
        ("FT", Object::Name(b"Sig".to_vec())),
        ("T", text_string(FIELD_NAME)),
        ("V", Object::Reference(sig_id)),
        // Print | Locked: an invisible field that cannot be changed.
        ("F", Object::Integer(132)),
        (
            "Rect",
            Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
        ),
        ("P", Object::Reference(page_id)),
    ]);
    object(&mut out, widget_id, &serialize(&Object::Dictionary(widget)));
    object(
        &mut out,
        seal_id,
        format!(
            "<</Length {}>>\nstream\n{seal_compact}\nendstream",
            seal_compact.len()
        )
        .as_bytes(),
    );
    object(&mut out, root_id, &serialize(&Object::Dictionary(catalog)));
    object(&mut out, page_id, &serialize(&Object::Dictionary(page)));

    let xref_at = out.len();
    offsets.sort_unstable();
    let mut x = String::from("xref\n0 1\n0000000000 65535 f \n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i;
        while j + 1 < offsets.len() && offsets[j + 1].0 == offsets[j].0 + 1 {
            j += 1;
        }
        let _ = writeln!(x, "{} {}", offsets[i].0, j - i + 1);
        for (id, at) in &offsets[i..=j] {
            let generation = if *id == root_id.0 {
                root_id.1
            } else if *id == page_id.0 {
                page_id.1
            } else {
                0
            };
            let _ = write!(x, "{at:010} {generation:05} n\r\n");
        }
        i = j + 1;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", Object::Integer(i64::from(size + 3)));
    trailer.set("Root", Object::Reference(root_id));
    for key in [&b"Info"[..], b"ID"] {
        if let Ok(v) = doc.trailer.get(key) {
            trailer.set(key.to_vec(), v.clone());
        }
    }
    trailer.set("Prev", Object::Integer(prev as i64));
    x.push_str("trailer\n");
    out.extend_from_slice(x.as_bytes());
    out.extend_from_slice(&serialize(&Object::Dictionary(trailer)));
    out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());

    // Everything but the hex string of /Contents is signed.
    let gap_end = contents_at + 2 + CONTENTS_BYTES * 2;
    let range = format!(
        "0 {:>w$} {:>w$} {:>w$}]",
        contents_at,
        gap_end,
        out.len() - gap_end,
        w = RANGE_DIGITS
    );
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    let digest = range_digest(&out, contents_at, gap_end);
    let cms = signer.sign_detached(&digest)?;
    if cms.len() > CONTENTS_BYTES {
        return Err(pdf_err("the CMS signature does not fit its placeholder"));
    }
    let hex = crate::letter_statement::hex(&cms).to_uppercase();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// SHA-256 of everything but `[gap_start, gap_end)`.
fn range_digest(pdf: &[u8], gap_start: usize, gap_end: usize) -> [u8; 32] {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(&pdf[..gap_start]);
    h.update(&pdf[gap_end..]);
    h.finalize().into()
}

/// The offset after the last `startxref`.
fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let rest = std::str::from_utf8(&tail[at + 9..]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

/// `D:YYYYMMDDHHmmSS+00'00'` for `unix` seconds.
fn pdf_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}+00'00'",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with a BOM.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::string_literal(s)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }
}

fn pdf_string(s: &str) -> String {
    String::from_utf8_lossy(&serialize(&text_string(s))).into_owned()
}

/// PDF syntax for a direct object (dictionaries, arrays, names, strings,
/// numbers, references). Strings are written in hex, names escaped.
fn serialize(o: &Object) -> Vec<u8> {
    let mut out = Vec::new();
    write_object(&mut out, o);
    out
}

fn write_object(out: &mut Vec<u8>, o: &Object) {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let s = format!("{r:.5}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            out.extend_from_slice(if s.is_empty() || s == "-" { "0" } else { s }.as_bytes());
        }
        Object::Name(n) => {
            out.push(b'/');
            for &b in n {
                if b.is_ascii_alphanumeric() || b"-_.+*".contains(&b) {
                    out.push(b);
                } else {
                    out.extend_from_slice(format!("#{b:02X}").as_bytes());
                }
            }
        }
        Object::String(s, _) => {
            out.push(b'<');
            out.extend_from_slice(crate::letter_statement::hex(s).as_bytes());
            out.push(b'>');
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => {
            out.extend_from_slice(b"<<");
            for (k, v) in d.iter() {
                write_object(out, &Object::Name(k.clone()));
                out.push(b' ');
                write_object(out, v);
            }
            out.extend_from_slice(b">>");
        }
        // Only direct objects of a catalog or page reach here; a stream
        // is always indirect in them.
        Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
    }
}

/// A letter's PDF signature as found in the file.
pub(crate) struct FoundSignature {
    /// The catalog's v2 seal (compact form).
    pub seal: String,
    /// What the CMS signature established.
    pub signed: crate::pki::CmsSigned,
}

/// Finds the one signature field and checks its signature over `pdf`: the
/// `/ByteRange` must cover the whole file except the `/Contents` hex string
/// (nothing before, nothing after), and the CMS must verify over it.
pub(crate) fn check(pdf: &[u8], doc: &Document) -> Result<FoundSignature, VerifyError> {
    let malformed = |m: &str| VerifyError::Malformed(m.to_owned());
    let catalog = doc
        .catalog()
        .map_err(|_| malformed("the PDF has no catalog"))?;
    let seal_ref = catalog.get(SEAL_KEY).map_err(|_| VerifyError::NoSeal)?;
    let seal = match doc.dereference(seal_ref) {
        Ok((_, Object::Stream(s))) => s
            .get_plain_content_with_limit(1 << 20)
            .map_err(|_| malformed("the seal's stream cannot be read"))?,
        _ => return Err(malformed("the seal is not a stream")),
    };
    let seal = String::from_utf8(seal).map_err(|_| malformed("the seal is not text"))?;

    let form = catalog
        .get(b"AcroForm")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
        .map_err(|_| VerifyError::PdfSignature("the letter has no signature form".into()))?;
    let fields = form
        .get(b"Fields")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_array())
        .map_err(|_| VerifyError::PdfSignature("the signature form has no fields".into()))?;
    let [field] = fields.as_slice() else {
        return Err(VerifyError::Modified(format!(
            "the letter has {} form fields; a Balai letter has exactly one signature",
            fields.len()
        )));
    };
    let field = doc
        .dereference(field)
        .and_then(|(_, o)| o.as_dict())
        .map_err(|_| VerifyError::PdfSignature("the signature field is not readable".into()))?;
    let sig = field
        .get(b"V")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
        .map_err(|_| VerifyError::PdfSignature("the signature field is not signed".into()))?;
    let name = |key: &[u8]| sig.get(key).and_then(Object::as_name).ok();
    if name(b"Filter") != Some(&b"Adobe.PPKLite"[..])
        || name(b"SubFilter") != Some(&b"ETSI.CAdES.detached"[..])
    {
        return Err(VerifyError::PdfSignature(
            "the signature is not a PAdES (ETSI.CAdES.detached) signature".into(),
        ));
    }
    let range: Vec<i64> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map_err(|_| VerifyError::PdfSignature("the signature has no byte range".into()))?
        .iter()
        .map(|o| o.as_i64().unwrap_or(-1))
        .collect();
    let [0, a, b, c] = range.as_slice() else {
        return Err(VerifyError::PdfSignature(
            "the signature's byte range does not start at the file's first byte".into(),
        ));
    };
    let (Ok(a), Ok(b), Ok(c)) = (
        usize::try_from(*a),
        usize::try_from(*b),
        usize::try_from(*c),
    ) else {
        return Err(VerifyError::PdfSignature(
            "the byte range is negative".into(),
        ));
    };
    let end = b.saturating_add(c);
    if a >= b {
        return Err(VerifyError::PdfSignature(
            "the byte range is out of order".into(),
        ));
    }
    if end > pdf.len() || b > pdf.len() {
        // A file cut short ends mid-way; one saved again whole still ends
        // with its own end-of-file marker, only shorter than what was signed.
        let tail = &pdf[pdf.len().saturating_sub(32)..];
        let ends_whole = tail.windows(5).any(|w| w == b"%%EOF");
        return Err(if ends_whole {
            VerifyError::Modified(
                "the file was saved again after signing: the signed byte range no longer fits it"
                    .into(),
            )
        } else {
            VerifyError::Truncated
        });
    }
    if end < pdf.len() {
        return Err(VerifyError::Modified(format!(
            "{} bytes were added after the signed revision",
            pdf.len() - end
        )));
    }
    // The gap is exactly the /Contents hex string of this signature.
    let gap = &pdf[a..b];
    let hex = gap
        .strip_prefix(b"<")
        .and_then(|g| g.strip_suffix(b">"))
        .filter(|h| h.len() % 2 == 0 && h.iter().all(u8::is_ascii_hexdigit))
        .ok_or_else(|| {
            VerifyError::PdfSignature("the unsigned gap is not the signature's hex string".into())
        })?;
    let cms: Vec<u8> = hex
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("zz"), 16).unwrap_or(0))
        .collect();
    let contents = sig
        .get(b"Contents")
        .and_then(Object::as_str)
        .map_err(|_| VerifyError::PdfSignature("the signature has no contents".into()))?;
    if contents != cms.as_slice() {
        return Err(VerifyError::PdfSignature(
            "the byte range's gap is not this signature's contents".into(),
        ));
    }
    let digest = range_digest(pdf, a, b);
    let signed = crate::pki::verify_detached(&cms, &digest)
        .map_err(|e| VerifyError::PdfSignature(e.to_string()))?;
    Ok(FoundSignature { seal, signed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        assert_eq!(pdf_date(0), "D:19700101000000+00'00'");
        assert_eq!(pdf_date(1_795_000_000), "D:20261118110640+00'00'");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000+00'00'");
    }

    #[test]
    fn names_and_strings_are_escaped() {
        let d = Dictionary::from_iter([
            ("A b", Object::string_literal("x)")),
            ("N", Object::Real(0.5)),
        ]);
        assert_eq!(
            serialize(&Object::Dictionary(d)),
            b"<</A#20b <7829>/N 0.5>>".to_vec()
        );
    }
}
