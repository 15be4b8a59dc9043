//! Masked names: what a seal and the public verification page show.

/// Each word's first letter followed by one `*` per further letter, words
/// separated by single spaces: `Budi  Santoso` → `B*** S******`. The same
/// rule as `balai_domain::PersonName::masked`.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            first + &"*".repeat(chars.count())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn masks_each_word() {
        assert_eq!(mask_name("Budi Santoso"), "B*** S******");
        assert_eq!(mask_name("  Siti   Nur'aini "), "S*** N*******");
        assert_eq!(mask_name("Ñoño"), "Ñ***");
        assert_eq!(mask_name(""), "");
    }
}
