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
}

impl ParseIdError {
    pub(crate) fn new(
        kind: IdKind,
        input: &str,
        span: Option<(usize, usize)>,
        rule: impl Into<String>,
    ) -> Self {
        // Cap the echoed input: it ends up in logs and import reports.
        let input: String = input.chars().take(40).collect();
        Self {
            kind,
            input,
            span,
            rule: rule.into(),
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

    /// The rule that was broken, in plain words.
    pub fn rule(&self) -> &str {
        &self.rule
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
