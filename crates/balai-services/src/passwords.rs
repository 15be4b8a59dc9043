//! Password and PIN hashing with argon2id (OWASP default parameters).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::ServiceError;

/// Hashes a password into a PHC string (`$argon2id$v=19$...`) with a random salt.
pub fn hash(password: &str) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Hash(e.to_string()))
}

/// True when `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = super::hash("rahasia-desa").unwrap();
        let b = super::hash("rahasia-desa").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(super::verify("rahasia-desa", &a));
        assert!(!super::verify("rahasia-desa!", &a));
        assert!(!super::verify("rahasia-desa", "not a hash"));
    }
}

/// The shortest password a staff member may choose.
pub const MIN_LENGTH: usize = 10;
/// The longest (argon2 hashes anything, but a form field needs a bound).
pub const MAX_LENGTH: usize = 256;

/// The 10,000 most common passwords (Django's `common-passwords.txt`, from
/// Royce Williams' compilation of breached-password frequency lists;
/// BSD-licensed), lowercased, most common first.
static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../data/common-passwords.txt")
            .lines()
            .collect()
    });

/// Which rule a chosen password broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    /// Shorter than [`MIN_LENGTH`] characters.
    TooShort,
    /// Longer than [`MAX_LENGTH`] characters.
    TooLong,
    /// One of the most common passwords (any letter case).
    Common,
    /// Contains the account's user name.
    ContainsUsername,
    /// The confirmation differs.
    Mismatch,
}

impl PasswordRule {
    /// The message shown to the person choosing the password (Indonesian).
    pub fn message(self) -> String {
        match self {
            PasswordRule::TooShort => {
                format!("kata sandi terlalu pendek: minimal {MIN_LENGTH} karakter")
            }
            PasswordRule::TooLong => {
                format!("kata sandi terlalu panjang: maksimal {MAX_LENGTH} karakter")
            }
            PasswordRule::Common => {
                "kata sandi ini termasuk 10.000 kata sandi paling umum; pilih yang lain".into()
            }
            PasswordRule::ContainsUsername => "kata sandi tidak boleh memuat nama pengguna".into(),
            PasswordRule::Mismatch => "konfirmasi kata sandi tidak sama".into(),
        }
    }
}

impl std::fmt::Display for PasswordRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// A password that meets the rules for `username`; only [`NewPassword::parse`] makes one.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks `password` (typed twice) for the account `username`.
    pub fn parse(password: &str, confirm: &str, username: &str) -> Result<Self, PasswordRule> {
        let chars = password.chars().count();
        if chars < MIN_LENGTH {
            return Err(PasswordRule::TooShort);
        }
        if chars > MAX_LENGTH {
            return Err(PasswordRule::TooLong);
        }
        let lower = password.to_lowercase();
        if COMMON.contains(lower.trim()) {
            return Err(PasswordRule::Common);
        }
        let user = username.trim().to_lowercase();
        if !user.is_empty() && lower.contains(&user) {
            return Err(PasswordRule::ContainsUsername);
        }
        if password != confirm {
            return Err(PasswordRule::Mismatch);
        }
        Ok(NewPassword(password.to_string()))
    }

    /// The password itself, to compare with the old one.
    pub(crate) fn expose_for_check(&self) -> &str {
        &self.0
    }

    /// The argon2id hash to store.
    pub fn hash(&self) -> Result<String, ServiceError> {
        hash(&self.0)
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn each_rule_is_named() {
        let p = |pw: &str| NewPassword::parse(pw, pw, "sekdes.randusari").map(|_| ());
        assert_eq!(p("pendek"), Err(PasswordRule::TooShort));
        assert_eq!(p("1234567890"), Err(PasswordRule::Common));
        assert_eq!(
            p("Qwertyuiop"),
            Err(PasswordRule::Common),
            "case does not hide a common password"
        );
        assert_eq!(
            p("xx-SEKDES.randusari-9"),
            Err(PasswordRule::ContainsUsername)
        );
        assert_eq!(p(&"a".repeat(MAX_LENGTH + 1)), Err(PasswordRule::TooLong));
        assert_eq!(
            NewPassword::parse("sawah-hijau-2026", "sawah-hijau-2027", "x").map(|_| ()),
            Err(PasswordRule::Mismatch)
        );
        assert!(p("sawah-hijau-2026").is_ok());
        assert!(COMMON.len() >= 9_900, "{}", COMMON.len());
        assert!(PasswordRule::Common.message().contains("umum"));
    }
}
