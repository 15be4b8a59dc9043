//! Redirects to a target taken from the request go through here: only a
//! path on this site is followed, never another origin.

/// `target` if it is a path on this site, else `None`.
///
/// Browsers read `//host`, `/\host` and `\\host` as another origin, drop
/// tabs and newlines before reading, and some decode `%2F`/`%5C` first; so a
/// target must start with one `/`, contain no backslash, control character
/// or space, and still not start with `//` or `/\` once percent-decoded.
pub(crate) fn same_origin_path(target: &str) -> Option<&str> {
    let raw = target.as_bytes();
    let starts_well =
        |t: &[u8]| t.first() == Some(&b'/') && !matches!(t.get(1), Some(b'/' | b'\\'));
    let raw_ok = starts_well(raw) && !raw.iter().any(|&b| b == b'\\' || b <= b' ' || b == 0x7f);
    let decoded = percent_decoded(raw);
    let decoded_ok =
        starts_well(&decoded) && !decoded.iter().any(|&b| b == b'\\' || b < b' ' || b == 0x7f);
    (raw_ok && decoded_ok).then_some(target)
}

/// `%XX` sequences decoded, repeatedly (so `%252F` counts as `/` too).
fn percent_decoded(s: &[u8]) -> Vec<u8> {
    let once = |s: &[u8]| {
        let hex = |b: u8| (b as char).to_digit(16);
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match (
                s[i],
                s.get(i + 1).copied().and_then(hex),
                s.get(i + 2).copied().and_then(hex),
            ) {
                (b'%', Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out
    };
    let mut cur = s.to_vec();
    for _ in 0..4 {
        let next = once(&cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::same_origin_path;

    #[test]
    fn open_redirect_regression_only_same_origin_paths_are_followed() {
        for good in [
            "/",
            "/staf",
            "/staf/desa/3310012001/penduduk?q=budi",
            "/v/abc#x",
            "/a%20b",
        ] {
            assert_eq!(same_origin_path(good), Some(good), "{good}");
        }
        for bad in [
            "//evil.example/x",
            "/\\evil.example/x",
            "\\\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "http:/evil.example",
            "evil.example",
            "",
            "/%2F/evil.example",
            "/%2fevil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "%2F%2Fevil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil",
            "javascript:alert(1)",
        ] {
            assert_eq!(same_origin_path(bad), None, "{bad:?}");
        }
    }
}
