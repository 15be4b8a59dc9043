//! The one error type for identity numbers and region codes that fail to parse.

use std::fmt;

/// Which kind of identifier was being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Nomor Induk Kependudukan.
    Nik,
    /// Nomor Kartu Keluarga.
    NoKk,
    /// Kemendagri region code.
    KodeWilayah,
    /// Temporary number for a resident without a NIK yet.
    NomorSementara,
}

impl IdKind {
    fn name(self) -> &'static str {
        match self {
            IdKind::Nik => "NIK",
            IdKind::NoKk => "No. KK",
            IdKind::KodeWilayah => "region code",
            IdKind::NomorSementara => "temporary number",
        }
    }
}

/// A rejected identifier: what it was, where it went wrong (1-based character
/// positions) and which rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIdError {
    kind: IdKind,
    input: String,
    span: Option<(usize, usize)>,
    rule: String,
    /// How many characters the whole input had (the echo is capped).
    count: usize,
}

impl ParseIdError {
    pub(crate) fn new(
        kind: IdKind,
        input: &str,
        span: Option<(usize, usize)>,
        rule: impl Into<String>,
    ) -> Self {
        // Cap the echoed input: it ends up in logs and import reports.
        let count = input.chars().count();
        let input: String = input.chars().take(40).collect();
        Self {
            kind,
            input,
            span,
            rule: rule.into(),
            count,
        }
    }

    /// The kind of identifier that failed.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// First and last 1-based character positions of the offending part, if any.
    pub fn span(&self) -> Option<(usize, usize)> {
        self.span
    }

    /// The rule that was broken, in plain (English) words, for logs.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Why, as the interface and import reports say it: `label` names the
    /// field (`NIK`, `No. KK`, `NIK ayah`), e.g. `NIK tidak valid: harus 16
    /// angka, tertulis 5` or `… bulan lahir 13 (digit 9-10) harus 01-12`.
    pub fn alasan(&self, label: &str) -> String {
        format!(
            "{label} tidak valid: {}",
            rule_id(label, &self.input, self.count, self)
        )
    }
}

fn rule_id(label: &str, input: &str, count: usize, e: &ParseIdError) -> String {
    let part = |a: usize, b: usize| -> String {
        input
            .chars()
            .skip(a.saturating_sub(1))
            .take(b + 1 - a)
            .collect()
    };
    let Some((a, b)) = e.span() else {
        return match e.kind {
            _ if input.is_empty() => "kosong".into(),
            IdKind::KodeWilayah => format!(
                "harus 2, 4, 6 atau 10 angka (boleh bertitik, mis. 33.10.01.2001), tertulis {count}"
            ),
            _ => format!("harus 16 angka, tertulis {count}"),
        };
    };
    if a == b
        && let Some(ch) = input.chars().nth(a - 1)
        && !ch.is_ascii_digit()
    {
        return format!("karakter ke-{a} ({ch:?}) bukan angka; {label} hanya berisi angka 0-9");
    }
    match (e.kind(), a, b) {
        (IdKind::Nik, 1, 2) if input.starts_with('0') => {
            "diawali 0; nomor yang diawali 0 adalah nomor sementara, bukan NIK".into()
        }
        (IdKind::Nik | IdKind::NoKk, 1, 2) => {
            format!("kode provinsi {} (digit 1-2) harus 11-99", part(1, 2))
        }
        (IdKind::Nik | IdKind::NoKk, 3, 4) => {
            "kode kabupaten/kota 00 (digit 3-4) tidak ada; harus 01-99".into()
        }
        (IdKind::Nik | IdKind::NoKk, 5, 6) => {
            "kode kecamatan 00 (digit 5-6) tidak ada; harus 01-99".into()
        }
        (IdKind::Nik, 7, 8) => format!(
            "tanggal lahir {} (digit 7-8) harus 01-31 untuk laki-laki atau 41-71 untuk perempuan (tanggal + 40)",
            part(7, 8)
        ),
        (IdKind::Nik, 9, 10) => format!("bulan lahir {} (digit 9-10) harus 01-12", part(9, 10)),
        (IdKind::Nik, 7, 12) => format!(
            "tanggal lahir {}-{}-{} (digit 7-12) tidak ada di kalender",
            part(7, 8),
            part(9, 10),
            part(11, 12)
        ),
        (IdKind::NoKk, 9, 10) => {
            format!("bulan pencatatan {} (digit 9-10) harus 01-12", part(9, 10))
        }
        (IdKind::NoKk, 7, 12) => format!(
            "tanggal pencatatan {}-{}-{} (digit 7-12) tidak ada di kalender",
            part(7, 8),
            part(9, 10),
            part(11, 12)
        ),
        (IdKind::Nik | IdKind::NoKk, 13, 16) => {
            "nomor urut 0000 (digit 13-16) tidak sah; harus 0001-9999".into()
        }
        (IdKind::NomorSementara, 1, 1) => "nomor sementara harus diawali 0".into(),
        (IdKind::NomorSementara, 12, 16) => {
            "nomor urut 00000 (digit 12-16) tidak sah; harus 00001-99999".into()
        }
        (IdKind::NomorSementara, _, _) => format!(
            "kode desa {} (digit 2-11) pada nomor sementara bukan kode desa yang sah",
            part(2, 11)
        ),
        (IdKind::KodeWilayah, _, _) => {
            format!(
                "angka {} (digit {a}-{b}) bukan kode wilayah yang sah",
                part(a, b)
            )
        }
        // A rule without its own wording yet: name where, never show English.
        _ => format!("angka {} (digit {a}-{b}) tidak sah", part(a, b)),
    }
}

impl fmt::Display for ParseIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}", self.kind.name(), self.input)?;
        match self.span {
            Some((a, b)) if a == b => write!(f, " at position {a}")?,
            Some((a, b)) => write!(f, " at positions {a}-{b}")?,
            None => {}
        }
        write!(f, ": {}", self.rule)
    }
}

impl std::error::Error for ParseIdError {}

/// Checks that `input` is exactly `N` ASCII digits and returns their values.
pub(crate) fn digits<const N: usize>(kind: IdKind, input: &str) -> Result<[u8; N], ParseIdError> {
    if input.is_empty() {
        return Err(ParseIdError::new(kind, input, None, "it is empty"));
    }
    let mut out = [0u8; N];
    let mut count = 0;
    for (i, ch) in input.chars().enumerate() {
        if !ch.is_ascii_digit() {
            return Err(ParseIdError::new(
                kind,
                input,
                Some((i + 1, i + 1)),
                format!(
                    "{ch:?} is not a digit; a {} has only the digits 0-9",
                    kind.name()
                ),
            ));
        }
        if count < N {
            out[count] = ch as u8 - b'0';
        }
        count += 1;
    }
    if count != N {
        return Err(ParseIdError::new(
            kind,
            input,
            None,
            format!("expected {N} digits, found {count}"),
        ));
    }
    Ok(out)
}

/// The two-digit number at `at` (0-based) in a digit array.
pub(crate) fn two(d: &[u8], at: usize) -> u8 {
    d[at] * 10 + d[at + 1]
}

/// The four-digit number at `at` (0-based) in a digit array.
pub(crate) fn four(d: &[u8], at: usize) -> u16 {
    u16::from(d[at]) * 1000
        + u16::from(d[at + 1]) * 100
        + u16::from(d[at + 2]) * 10
        + u16::from(d[at + 3])
}
