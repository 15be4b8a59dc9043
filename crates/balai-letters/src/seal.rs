//! What a letter's seal states, the exact bytes that are signed, and the
//! compact text form carried by the QR code and the PDF.

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

/// A statement with the village's signature over it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Seal {
    /// What is vouched for.
    pub statement: Statement,
    /// base64url (no padding) Ed25519 signature over [`Statement::signed_bytes`].
    pub signature: String,
}

/// Keeps a village key's signature on a letter from being replayed as a
/// signature on anything else the key may sign one day.
const SIGNING_CONTEXT: &[u8] = b"balai-letter-seal/v1\n";

/// Marks the compact form's layout, so a later layout can be told apart.
const COMPACT_VERSION: &str = "v1";

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

    /// The bytes the signature covers: `balai-letter-seal/v1\n` followed by
    /// [`canonical_json`](Self::canonical_json).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let json = self.canonical_json();
        let mut bytes = Vec::with_capacity(SIGNING_CONTEXT.len() + json.len());
        bytes.extend_from_slice(SIGNING_CONTEXT);
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
    /// `v1.` + base64url(statement fields as a JSON array) + `.` + signature:
    /// the form printed on the letter, stored in the PDF and put in the QR code.
    pub fn to_compact(&self) -> String {
        let fields = URL_SAFE_NO_PAD.encode(self.statement.to_positional());
        format!("{COMPACT_VERSION}.{fields}.{}", self.signature)
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
        if version != COMPACT_VERSION {
            return Err(VerifyError::Malformed(format!(
                "seal version {version:?} is not known; this program reads {COMPACT_VERSION:?}"
            )));
        }
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
            "v2.e30.AAAA",
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
    fn tokens_are_random_and_url_safe() {
        let a = random_token();
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(is_base64url));
        assert_ne!(a, random_token());
    }
}
