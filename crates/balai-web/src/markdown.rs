//! Village news is written in Markdown by staff and read by anyone: it is
//! rendered with pulldown-cmark and the HTML is then cleaned by ammonia's
//! whitelist, so raw HTML, scripts, event attributes and `javascript:` links
//! in a post never reach a visitor's browser. Images are left out (no
//! uploads yet, and no outside hosts may be loaded: the CSP forbids them).

use std::collections::HashSet;

use pulldown_cmark::{Options, Parser, html};

/// The post's Markdown as safe HTML.
pub(crate) fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    let tags: HashSet<&str> = [
        "a",
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// The first paragraph's text, cut to `max` characters: the summary a list
/// or a feed shows (plain text; the template escapes it).
pub(crate) fn summary(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    let mut in_para = false;
    for ev in Parser::new(markdown) {
        match ev {
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(TagEnd::Paragraph) if !out.is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_para = false,
            Event::Text(t) | Event::Code(t) if in_para => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_para => out.push(' '),
            _ => {}
        }
    }
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_its_formatting() {
        let h = to_safe_html(
            "# Judul\n\n**tebal** dan *miring*, [tautan](https://desa.example.id/a).\n\n- satu\n- dua\n",
        );
        assert!(h.contains("<h1>Judul</h1>"), "{h}");
        assert!(h.contains("<strong>tebal</strong>"), "{h}");
        assert!(h.contains("<li>satu</li>"), "{h}");
        assert!(
            h.contains(r#"<a href="https://desa.example.id/a" rel="nofollow noopener noreferrer">tautan</a>"#),
            "{h}"
        );
    }

    #[test]
    fn scripts_raw_html_and_javascript_links_are_neutralised() {
        for md in [
            "<script>alert(1)</script>",
            "halo <img src=x onerror=alert(1)> dunia",
            "[klik](javascript:alert(1))",
            "[klik](JAVASCRIPT:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p onclick=\"alert(1)\">x</p>",
            "![gambar](https://evil.example/track.png)",
            "<style>body{display:none}</style>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
        ] {
            let h = to_safe_html(md).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<img",
                "<iframe",
                "onclick",
                "<style",
                "data:",
            ] {
                assert!(!h.contains(bad), "{md:?} → {h:?} contains {bad}");
            }
        }
    }

    #[test]
    fn a_summary_is_the_first_paragraph_cut_short() {
        assert_eq!(
            summary("# Judul\n\nSatu dua\ntiga.\n\nLain.", 100),
            "Satu dua tiga."
        );
        assert_eq!(summary("abcdefghij", 5), "abcd…");
        assert_eq!(summary("<b>x</b>", 10), "x");
        assert_eq!(summary("<script>alert(1)</script>", 10), "");
    }
}
