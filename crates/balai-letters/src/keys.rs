//! A village's Ed25519 key pair: signs seals; the public half checks them.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::seal::{Seal, SealVersion, Statement};
use crate::verify::VerifyError;

/// A village's signing key. Its `Debug` shows only the public half.
#[derive(Clone)]
pub struct VillageKeys {
    signing: SigningKey,
}

impl VillageKeys {
    /// A new key from the operating system's randomness.
    ///
    /// # Panics
    /// If the operating system has no randomness to give.
    pub fn generate() -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source failed");
        Self::from_secret_bytes(secret)
    }

    /// The key stored earlier with [`secret_bytes`](Self::secret_bytes).
    pub fn from_secret_bytes(bytes: [u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(&bytes),
        }
    }

    /// The 32 secret bytes, for storage. Keep them secret.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The half anyone may hold to check this village's letters.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// Signs `statement` as a v1 seal (see [`Statement::signed_bytes`]): the
    /// whole seal of letters issued before v2. Kept for tests and tools that
    /// must make such a letter; issuing now makes v2 letters.
    pub fn seal(&self, statement: Statement) -> Seal {
        self.seal_as(SealVersion::V1, statement)
    }

    /// Signs `statement` as a v2 letter's QR summary.
    pub fn seal_summary(&self, statement: Statement) -> Seal {
        self.seal_as(SealVersion::V2Summary, statement)
    }

    fn seal_as(&self, version: SealVersion, statement: Statement) -> Seal {
        let signature = self.signing.sign(&statement.signed_bytes_as(version));
        Seal {
            version,
            statement,
            signature: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        }
    }

    /// Signs arbitrary bytes (already prefixed with their own context).
    pub(crate) fn sign_bytes(&self, bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.signing.sign(bytes).to_bytes())
    }
}

impl fmt::Debug for VillageKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VillageKeys(public {})", self.public_key().to_base64())
    }
}

/// A village's public key: checks seals offline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// The 32 key bytes as base64url without padding (43 characters).
    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_bytes())
    }

    /// The inverse of [`to_base64`](Self::to_base64).
    pub fn from_base64(s: &str) -> Result<Self, VerifyError> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).map_err(|e| {
            VerifyError::Malformed(format!("a public key is 43 base64url characters: {e}"))
        })?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            VerifyError::Malformed(format!("a public key is 32 bytes, this one is {}", b.len()))
        })?;
        VerifyingKey::from_bytes(&bytes).map(Self).map_err(|_| {
            VerifyError::Malformed("those 32 bytes are not an Ed25519 public key".into())
        })
    }

    /// Checks that `seal`'s signature was made by this key over its statement.
    pub fn verify(&self, seal: &Seal) -> Result<(), VerifyError> {
        self.verify_bytes(&seal.signed_bytes(), &seal.signature)
    }

    /// Checks a base64url signature over `signed` (context included).
    pub(crate) fn verify_bytes(&self, signed: &[u8], signature: &str) -> Result<(), VerifyError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| VerifyError::Malformed(format!("the signature is not base64url: {e}")))?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|b: Vec<u8>| {
            VerifyError::Malformed(format!("a signature is 64 bytes, this one is {}", b.len()))
        })?;
        // Strict verification refuses small-order keys and non-canonical
        // signatures, so one letter cannot carry two valid signatures.
        self.0
            .verify_strict(signed, &Signature::from_bytes(&bytes))
            .map_err(|_| VerifyError::BadSignature)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}
