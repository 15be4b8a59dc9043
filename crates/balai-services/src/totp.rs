//! The optional TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps,
//! one step of skew), as every authenticator app understands it.

use time::OffsetDateTime;
use totp_rs::{Builder, Secret, Totp};

/// A fresh 160-bit secret, base32 (what the user types if they cannot scan).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    Secret::new_stack(bytes).to_base32()
}

fn totp(secret: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new().with_secret(secret).build().ok()
}

/// Whether `code` is valid for `secret` at `now` (a malformed secret never matches).
pub fn verify(secret: &str, code: &str, now: OffsetDateTime) -> bool {
    matched_step(secret, code, now).is_some()
}

/// The time step whose code `code` is, when it is valid at `now`. The caller
/// accepts each step once: a code seen on a shoulder or in a proxy log must
/// not log in again within its window.
pub fn matched_step(secret: &str, code: &str, now: OffsetDateTime) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = u64::try_from(now.unix_timestamp()).ok()?;
    totp(secret)?.check(&code, t)
}

/// The code an authenticator shows at `now` (tests and the CLI use it).
pub fn code_at(secret: &str, now: OffsetDateTime) -> Option<String> {
    let t = u64::try_from(now.unix_timestamp()).ok()?;
    Some(totp(secret)?.generate(t).to_string())
}

/// The `otpauth://` address an authenticator app scans.
pub fn otpauth_url(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_code_works_in_its_window_only() {
        let s = new_secret();
        let now = datetime!(2026-12-01 10:00 UTC);
        let code = code_at(&s, now).unwrap();
        assert_eq!(code.len(), 6);
        assert!(verify(&s, &code, now));
        assert!(
            verify(&s, &code, now + time::Duration::seconds(30)),
            "one step of skew"
        );
        assert!(!verify(&s, &code, now + time::Duration::minutes(5)));
        assert!(!verify("not base32!", &code, now));
        assert!(
            otpauth_url("Balai Desa", "admin", &s)
                .starts_with("otpauth://totp/Balai%20Desa:admin?secret=")
        );
    }
}
