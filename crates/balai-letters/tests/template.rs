//! A village's own template: it replaces the embedded one, and is refused
//! with a precise reason unless it compiles, fits the paper and prints what
//! the verifier reads.

mod common;

use balai_letters::{
    LetterDocument, MAX_TEMPLATE_BYTES, Paper, Template, TemplateError, default_template,
    render_pdf_with, validate_template, verify_pdf,
};
use common::{LOGO, domisili, keys, media_box, pdf_text, pt, sealed};

fn sample(paper: Paper) -> LetterDocument {
    let mut doc = LetterDocument::sample();
    doc.paper = paper;
    doc.letterhead.logo_svg = Some(LOGO.into());
    doc
}

/// The 1-based line of the default template holding `needle`.
fn line_of(needle: &str) -> usize {
    default_template()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn the_default_template_passes_its_own_check_on_both_papers() {
    for paper in [Paper::A4, Paper::F4] {
        validate_template(default_template(), &sample(paper)).unwrap();
    }
}

#[test]
fn a_village_template_replaces_the_default_and_reads_the_same_data() {
    let own = default_template().replace(
        "#par(d.closing)",
        "#par(d.closing)\n#par[Templat Desa Sengon Mandiri]",
    );
    let template = validate_template(&own, &sample(Paper::F4)).unwrap();
    let mut doc = domisili();
    doc.paper = Paper::F4;
    let pdf = render_pdf_with(&doc, &sealed(&doc), &template).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Templat Desa Sengon Mandiri"), "{text}");
    assert!(text.contains("Budi Santoso"));
    verify_pdf(&pdf, &keys().public_key()).unwrap();
    let (w, h) = media_box(&pdf);
    assert!((w - pt(215.0)).abs() < 1.0 && (h - pt(330.0)).abs() < 1.0);
    // The built-in template is untouched by it.
    let plain = render_pdf_with(&doc, &sealed(&doc), &Template::builtin()).unwrap();
    assert!(!pdf_text(&plain).contains("Templat Desa Sengon Mandiri"));
}

#[test]
fn a_typst_error_is_reported_at_its_line_and_column() {
    let own = default_template().replace("Nomor: #d.number", "Nomor: #d.nomor");
    let line = line_of("Nomor: #d.number");
    match validate_template(&own, &sample(Paper::A4)) {
        Err(TemplateError::Compile(d)) => {
            assert_eq!(d[0].line, Some(line), "{d:?}");
            // `#d.nomor` starts at column 10; typst points at the field access.
            assert!(d[0].column.is_some_and(|c| c >= 10), "{d:?}");
            assert!(d[0].message.contains("nomor"), "{d:?}");
            let shown = TemplateError::Compile(d).to_string();
            assert!(shown.contains(&format!("line {line}, column")), "{shown}");
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
    // A syntax error, too.
    let broken = format!("{}\n#let x = (", default_template());
    match validate_template(&broken, &sample(Paper::A4)) {
        Err(TemplateError::Compile(d)) => {
            assert_eq!(d[0].line, Some(broken.lines().count()), "{d:?}")
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
}

#[test]
fn a_template_that_does_not_print_what_the_verifier_reads_is_refused() {
    let cases = [
        // Every sealed field must be printed, whatever its label.
        ("Nomor: #d.number", "Nomor: -", "number"),
        ("#fields(d.subject)", "#fields(d.subject.slice(1))", "Nama"),
        ("#par(d.purpose)", "", "purpose"),
    ];
    for (from, to, what) in cases {
        let own = default_template().replace(from, to);
        assert_ne!(own, default_template());
        match validate_template(&own, &sample(Paper::A4)) {
            Err(TemplateError::Verify(e)) => assert!(e.to_string().contains(what), "{e}"),
            other => panic!("{to}: expected a verification failure, got {other:?}"),
        }
    }
    // The printed seal line and keywords are optional since v2: the full
    // seal and the PDF signature are added to the file after typesetting.
    let unsealed = default_template()
        .replace("keywords: (d.seal,)", "keywords: ()")
        .replace("Segel elektronik: #d.seal_lines.join(sym.zws)", "");
    assert!(validate_template(&unsealed, &sample(Paper::A4)).is_ok());
}

#[test]
fn a_template_on_fixed_a4_paper_is_refused_for_f4_letters() {
    let own = default_template().replace(
        "if d.paper == \"f4\" { (215mm, 330mm) } else { (210mm, 297mm) }",
        "(210mm, 297mm)",
    );
    assert_ne!(own, default_template());
    validate_template(&own, &sample(Paper::A4)).unwrap();
    match validate_template(&own, &sample(Paper::F4)) {
        Err(e @ TemplateError::PaperSize { .. }) => {
            assert!(e.to_string().contains("210 × 297 mm"), "{e}")
        }
        other => panic!("expected a paper size error, got {other:?}"),
    }
}

#[test]
fn an_oversized_template_is_refused_before_typst_sees_it() {
    let huge = format!(
        "{}\n// {}",
        default_template(),
        "x".repeat(MAX_TEMPLATE_BYTES)
    );
    assert!(matches!(
        validate_template(&huge, &sample(Paper::A4)),
        Err(TemplateError::TooLarge { .. })
    ));
    assert!(matches!(
        Template::new(&huge),
        Err(TemplateError::TooLarge { .. })
    ));
}

#[test]
fn a_template_cannot_read_files_it_was_not_given() {
    let own = format!("{}\n#read(\"/etc/passwd\")", default_template());
    match validate_template(&own, &sample(Paper::A4)) {
        Err(TemplateError::Compile(d)) => {
            assert_eq!(d[0].line, Some(own.lines().count()), "{d:?}");
            assert!(d[0].message.contains("file not found"), "{d:?}");
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
}
