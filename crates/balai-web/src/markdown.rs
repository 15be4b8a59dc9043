//! Village news is written in Markdown by staff and read by anyone: it is
//! rendered with pulldown-cmark and the HTML is then cleaned by ammonia's
//! whitelist, so raw HTML, scripts, event attributes and `javascript:` links
//! in a post never reach a visitor's browser. An image may show only the
//! village's own uploaded photos (`/desa/{kode}/gambar/{id}.jpg`): any other
//! source is dropped (no outside host may be loaded; the CSP forbids them too).

use std::collections::HashSet;

use pulldown_cmark::{Options, Parser, html};

/// The post's Markdown as safe HTML; images only from `photos` (the
/// village's photo path, e.g. `/desa/3310012001/gambar/`).
pub(crate) fn to_safe_html(markdown: &str, photos: &str) -> String {
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
        "img",
    ]
    .into_iter()
    .collect();
    let photos = photos.to_string();
    ammonia::Builder::default()
        .tags(tags)
        .add_tag_attributes("img", ["src", "alt"])
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" {
                let own = value.strip_prefix(photos.as_str()).is_some_and(|f| {
                    f.strip_suffix(".jpg")
                        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
                });
                own.then(|| value.into())
            } else {
                Some(value.into())
            }
        })
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

    const PHOTOS: &str = "/desa/3310012001/gambar/";

    #[test]
    fn markdown_renders_its_formatting() {
        let h = to_safe_html(
            "# Judul\n\n**tebal** dan *miring*, [tautan](https://desa.example.id/a).\n\n- satu\n- dua\n",
            PHOTOS,
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
            let h = to_safe_html(md, PHOTOS).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "src=",
                "evil",
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
    fn images_show_only_the_villages_own_photos() {
        let own = "/desa/3310012001/gambar/0190f3a0-0000-7000-8000-000000000001.jpg";
        let h = to_safe_html(&format!("![balai]({own})"), PHOTOS);
        assert!(
            h.contains(&format!(r#"<img src="{own}" alt="balai">"#)),
            "{h}"
        );
        for other in [
            "/desa/3310012002/gambar/0190f3a0-0000-7000-8000-000000000001.jpg",
            "/desa/3310012001/gambar/../../staf.jpg",
            "https://evil.example/x.jpg",
            "/desa/3310012001/gambar/0190f3a0-0000-7000-8000-000000000001.svg",
        ] {
            let h = to_safe_html(&format!("![x]({other})"), PHOTOS);
            assert!(!h.contains("src="), "{other} → {h}");
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
