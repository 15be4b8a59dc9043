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
