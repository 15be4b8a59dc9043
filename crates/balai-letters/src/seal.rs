//! What a letter's short seal states, the exact bytes that are signed, and
//! the compact text form carried by the QR code and the PDF.
//!
//! Two versions share the [`Statement`] fields (number, kind, dates, masked
//! name, token): a **v1** seal is all that letters issued before the full
//! seal carry; a **v2** seal is the summary a v2 letter puts in its QR code
//! for offline scanning, signed under its own context so neither can pass
//! for the other. What a v2 letter says in full is sealed by a
//! [`LetterStatement`](crate::LetterStatement) inside the PDF.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::verify::VerifyError;

/// The statement a QR code carries, so anyone can check a letter offline.
///
/// Only masked personal data goes in here: the statement is printed on the
/// letter and shown on the public verification page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statement {
    /// The issuing village's plain code, e.g. "3310012001".
    pub village: String,
    /// The letter number, exactly as printed.
    pub number: String,
    /// The letter type's code, e.g. "domisili".
    pub kind: String,
    /// Issue date, `YYYY-MM-DD`.
    pub issued_on: String,
    /// The subject's masked name (see [`mask_name`](crate::mask_name)), e.g. "B*** S******".
    pub subject: String,
    /// Last day of validity, `YYYY-MM-DD`, if the letter expires.
    pub valid_until: Option<String>,
    /// Random and unguessable (see [`random_token`]); used in the verification URL.
    pub token: String,
}

/// Which seal a [`Seal`] is: the version decides the signing context and
/// the compact form's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SealVersion {
    /// The whole seal of a letter issued before v2: number, kind, dates and
    /// the masked name only.
    V1,
    /// The QR summary of a v2 letter; never enough on its own, the letter's
    /// [`LetterStatement`](crate::LetterStatement) must verify too.
    V2Summary,
}

impl SealVersion {
    /// The compact form's first part.
    pub fn tag(self) -> &'static str {
        match self {
            SealVersion::V1 => "v1",
            SealVersion::V2Summary => "v2",
        }
    }

    fn context(self) -> &'static [u8] {
        match self {
            SealVersion::V1 => SIGNING_CONTEXT,
            SealVersion::V2Summary => SUMMARY_CONTEXT,
        }
    }
}

/// A statement with the village's signature over it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Seal {
    /// Which seal this is.
    pub version: SealVersion,
    /// What is vouched for.
    pub statement: Statement,
    /// base64url (no padding) Ed25519 signature over [`Statement::signed_bytes`].
    pub signature: String,
}

/// Keeps a village key's signature on a letter from being replayed as a
/// signature on anything else the key may sign one day.
const SIGNING_CONTEXT: &[u8] = b"balai-letter-seal/v1\n";

/// The v2 QR summary's context.
const SUMMARY_CONTEXT: &[u8] = b"balai-letter-qr/v2\n";

/// Length of a base64url (no padding) Ed25519 signature.
pub(crate) const SIGNATURE_B64_LEN: usize = 86;

impl Statement {
    /// The statement's canonical JSON: fields in declaration order, no
    /// whitespace, `valid_until` as `null` when absent, strings escaped as
    /// serde_json does (only `"`, `\` and control characters).
    pub fn canonical_json(&self) -> String {
        // Serializing a struct of strings cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The bytes a v1 seal's signature covers: `balai-letter-seal/v1\n`
    /// followed by [`canonical_json`](Self::canonical_json).
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.signed_bytes_as(SealVersion::V1)
    }

    /// The bytes the signature of a seal of `version` covers: its context
    /// (`balai-letter-seal/v1\n` or `balai-letter-qr/v2\n`) followed by
    /// [`canonical_json`](Self::canonical_json).
    pub fn signed_bytes_as(&self, version: SealVersion) -> Vec<u8> {
        let json = self.canonical_json();
        let context = version.context();
        let mut bytes = Vec::with_capacity(context.len() + json.len());
        bytes.extend_from_slice(context);
        bytes.extend_from_slice(json.as_bytes());
        bytes
    }

    /// The fields in a fixed order, without key names: what the compact form
    /// carries (keys would double the QR code's size).
    fn to_positional(&self) -> String {
        let fields = (
            &self.village,
            &self.number,
            &self.kind,
            &self.issued_on,
            &self.subject,
            &self.valid_until,
            &self.token,
        );
        serde_json::to_string(&fields).unwrap_or_default()
    }

    fn from_positional(json: &[u8]) -> Result<Self, VerifyError> {
        type Fields = (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        );
        let (village, number, kind, issued_on, subject, valid_until, token): Fields =
            serde_json::from_slice(json).map_err(|e| {
                VerifyError::Malformed(format!("the sealed statement is not readable: {e}"))
            })?;
        Ok(Self {
            village,
            number,
            kind,
            issued_on,
            subject,
            valid_until,
            token,
        })
    }
}

impl Seal {
    /// The bytes this seal's signature covers.
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.statement.signed_bytes_as(self.version)
    }

    /// `v1.` (or `v2.`) + base64url(statement fields as a JSON array) + `.` +
    /// signature: the form printed on the letter, stored in the PDF's
    /// keywords and put in the QR code.
    pub fn to_compact(&self) -> String {
        let fields = URL_SAFE_NO_PAD.encode(self.statement.to_positional());
        format!("{}.{fields}.{}", self.version.tag(), self.signature)
    }

    /// The inverse of [`to_compact`](Self::to_compact). Checks the form only,
    /// not the signature.
    pub fn from_compact(s: &str) -> Result<Self, VerifyError> {
        let mut parts = s.trim().split('.');
        let (Some(version), Some(fields), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed(
                "a seal has three parts separated by dots".into(),
            ));
        };
        let version = match version {
            "v1" => SealVersion::V1,
            "v2" => SealVersion::V2Summary,
            other => {
                return Err(VerifyError::UnknownVersion(
                    other.chars().take(16).collect(),
                ));
            }
        };
        let json = URL_SAFE_NO_PAD.decode(fields).map_err(|e| {
            VerifyError::Malformed(format!("the sealed statement is not base64url: {e}"))
        })?;
        let statement = Statement::from_positional(&json)?;
        if signature.len() != SIGNATURE_B64_LEN || !signature.bytes().all(is_base64url) {
            return Err(VerifyError::Malformed(format!(
                "a seal's signature is {SIGNATURE_B64_LEN} base64url characters"
            )));
        }
        Ok(Self {
            version,
            statement,
            signature: signature.to_owned(),
        })
    }
}

/// Whether `b` belongs to the base64url alphabet.
pub(crate) fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A fresh verification token: 128 random bits as 22 base64url characters.
///
/// # Panics
/// If the operating system has no randomness to give.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> Statement {
        Statement {
            village: "3310012001".into(),
            number: "474.4/012/2001/XI/2026".into(),
            kind: "domisili".into(),
            issued_on: "2026-11-22".into(),
            subject: "B*** S******".into(),
            valid_until: None,
            token: "AAAAAAAAAAAAAAAAAAAAAA".into(),
        }
    }

    #[test]
    fn canonical_json_is_fixed() {
        assert_eq!(
            statement().canonical_json(),
            r#"{"village":"3310012001","number":"474.4/012/2001/XI/2026","kind":"domisili","issued_on":"2026-11-22","subject":"B*** S******","valid_until":null,"token":"AAAAAAAAAAAAAAAAAAAAAA"}"#
        );
    }

    #[test]
    fn compact_round_trips_odd_text() {
        let mut s = statement();
        s.subject = "\"Ñ.\" \\ \u{1F} 😀".into();
        s.valid_until = Some("2026-12-22".into());
        let seal = Seal {
            version: SealVersion::V2Summary,
            statement: s,
            signature: "A".repeat(SIGNATURE_B64_LEN),
        };
        assert_eq!(Seal::from_compact(&seal.to_compact()).unwrap(), seal);
    }

    #[test]
    fn compact_rejects_bad_forms() {
        for bad in [
            "",
            "v1",
            "v1.abc",
            "v1.!!!.AAAA",
            "v1.e30.AAAA",
            "v1.e30.AAAA.extra",
        ] {
            assert!(
                matches!(Seal::from_compact(bad), Err(VerifyError::Malformed(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn unknown_versions_are_named() {
        assert_eq!(
            Seal::from_compact("v9.e30.AAAA"),
            Err(VerifyError::UnknownVersion("v9".into()))
        );
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = random_token();
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(is_base64url));
        assert_ne!(a, random_token());
    }
}
