//! A resident's PIN: six digits, not trivially guessable.

use std::fmt;

/// A PIN that passed the rules: exactly six digits, not one digit repeated,
/// not a straight run up or down.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

/// Why a PIN was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Not six digits.
    #[error("PIN harus 6 angka")]
    Shape,
    /// Every digit the same, e.g. 111111.
    #[error("PIN terlalu mudah ditebak: jangan satu angka diulang")]
    Repeated,
    /// A run such as 123456 or 987654.
    #[error("PIN terlalu mudah ditebak: jangan angka berurutan")]
    Sequence,
}

impl Pin {
    /// Number of digits.
    pub const LEN: usize = 6;

    /// Parses a PIN typed by a resident.
    pub fn parse(s: &str) -> Result<Self, PinError> {
        let s = s.trim();
        let d = s.as_bytes();
        if d.len() != Self::LEN || !d.iter().all(u8::is_ascii_digit) {
            return Err(PinError::Shape);
        }
        if d.iter().all(|b| *b == d[0]) {
            return Err(PinError::Repeated);
        }
        let steps: Vec<i16> = d
            .windows(2)
            .map(|w| i16::from(w[1]) - i16::from(w[0]))
            .collect();
        if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
            return Err(PinError::Sequence);
        }
        Ok(Pin(s.to_string()))
    }

    /// A random PIN that passes the rules, from the operating system's random source.
    pub fn generate() -> Self {
        loop {
            let mut b = [0u8; 4];
            getrandom::fill(&mut b).expect("the operating system's random source is available");
            let n = u32::from_le_bytes(b);
            // Reject the top sliver of the range so every PIN is equally likely.
            if n >= 4_294_000_000 {
                continue;
            }
            if let Ok(p) = Pin::parse(&format!("{:06}", n % 1_000_000)) {
                return p;
            }
        }
    }

    /// The digits (shown once to the operator; never stored or logged).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_only() {
        assert!(Pin::parse("482913").is_ok());
        assert_eq!(Pin::parse("48291"), Err(PinError::Shape));
        assert_eq!(Pin::parse("4829130"), Err(PinError::Shape));
        assert_eq!(Pin::parse("48a913"), Err(PinError::Shape));
        assert_eq!(Pin::parse("４８２９１３"), Err(PinError::Shape));
    }

    #[test]
    fn trivial_pins_are_refused() {
        assert_eq!(Pin::parse("000000"), Err(PinError::Repeated));
        assert_eq!(Pin::parse("123456"), Err(PinError::Sequence));
        assert_eq!(Pin::parse("654321"), Err(PinError::Sequence));
        assert!(Pin::parse("123457").is_ok());
    }

    #[test]
    fn generated_pins_pass_the_rules_and_differ() {
        let pins: std::collections::HashSet<String> = (0..200)
            .map(|_| Pin::generate().expose().to_string())
            .collect();
        assert!(pins.len() > 190, "{} distinct of 200", pins.len());
        assert!(pins.iter().all(|p| Pin::parse(p).is_ok()));
    }

    #[test]
    fn debug_never_shows_the_digits() {
        assert_eq!(
            format!("{:?}", Pin::parse("482913").unwrap()),
            "Pin(******)"
        );
    }
}
