//! Random tokens and their hashes (session cookies, CSRF tokens).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 random bits from the operating system, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored instead of a bearer token: a stolen database holds no usable session.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_unique_and_hashes_fixed_length() {
        let (a, b) = (super::random_token(), super::random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(super::token_hash(&a).len(), 32);
        assert!(super::constant_time_eq(&a, &a.clone()));
        assert!(!super::constant_time_eq(&a, &b));
        assert!(!super::constant_time_eq("abc", "ab"));
    }
}
