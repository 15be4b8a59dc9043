//! The letter desk through the router: issue, print, revoke, verify publicly.

mod common;

use axum::http::StatusCode;
use common::{Client, app, csrf, location};

async fn operator(app: &common::App) -> Client {
    let s = app.store.village_summaries(None).await.unwrap();
    let slug: String = s[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut c = Client::new(app);
    c.login(&format!("operator.{slug}")).await;
    c
}

#[tokio::test]
async fn an_operator_issues_a_letter_that_anyone_can_verify_without_seeing_personal_data() {
    let app = app(2, 120).await;
    let v = &app.villages[0];
    let mut c = operator(&app).await;
    let (_, residents) = app
        .store
        .village_population(balai_domain::KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let r = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let nik = r.number.to_string();
    let page = c
        .get(&format!(
            "/staf/desa/{v}/surat/baru?jenis=domisili&nik={nik}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Alamat domisili"),
        "the kind's own fields are asked"
    );
    let token = csrf(&page.body);
    let url = format!("/staf/desa/{v}/surat/baru");
    // Missing fields: every message, no number used.
    let bad = c
        .post(
            &url,
            &[("_csrf", &token), ("jenis", "domisili"), ("nik", &nik)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("wajib diisi") && bad.body.contains("tulis keperluan"),
        "{}",
        bad.body
    );
    let fields = [
        ("_csrf", token.as_str()),
        ("jenis", "domisili"),
        ("nik", nik.as_str()),
        ("alamat_domisili", "Dusun Krajan"),
        ("keperluan", "Melamar kerja"),
        ("penandatangan", "kades"),
    ];
    // The preview is a PDF and uses no number.
    let mut preview = fields.to_vec();
    preview.push(("aksi", "pratinjau"));
    let p = c.post(&url, &preview).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.bytes.starts_with(b"%PDF"));
    let sent = c.post(&url, &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // In the head's name: it waits for the head, who signs it in the app.
    assert!(
        location(&sent).contains("/permohonan/"),
        "{}",
        location(&sent)
    );
    assert!(
        app.store
            .letters(balai_domain::KodeWilayah::parse(v).unwrap(), None, 10, 0)
            .await
            .unwrap()
            .is_empty(),
        "nothing is numbered before the head signs"
    );
    let letter_url = head_signs(&app, &location(&sent)).await;
    let letter_page = c.get(&letter_url).await;
    // minijinja escapes '/' in HTML; the browser shows it as '/'.
    let shown = letter_page.body.replace("&#x2f;", "/");
    assert!(
        shown.contains(&format!("474.4/001/{}/", &v[6..])),
        "the first number of the year:\n{shown}"
    );
    let verify_link = shown
        .split("href=\"/v/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let pdf = c.get(&format!("{}/pdf", letter_url)).await;
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(
        c.get(&format!("{}/pdf", letter_url)).await.bytes,
        pdf.bytes,
        "a reprint is the same PDF"
    );
    // The public page, without logging in: masked data only.
    let mut public = Client::new(&app);
    let seen = public.get(&format!("/v/{verify_link}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("ASLI"), "{}", seen.body);
    assert!(seen.body.contains(&r.name.masked()));
    assert!(
        !seen.body.contains(r.name.as_str()) && !seen.body.contains(&nik),
        "no name, no NIK on a public page"
    );
    // The field check: the NIK printed on the paper is "cocok", another is
    // "tidak cocok", and the page never shows the NIK, typed or stored.
    let check_url = format!("/v/{verify_link}");
    let yes = public
        .post(
            &check_url,
            &[
                ("_csrf", &csrf(&seen.body)),
                ("kolom", "nik"),
                ("nilai", &nik),
            ],
        )
        .await;
    assert_eq!(yes.status, StatusCode::OK);
    assert!(yes.body.contains("Cocok: data ini sama"), "{}", yes.body);
    assert!(!yes.body.contains(&nik), "the NIK is never echoed");
    let mut wrong = nik.clone().into_bytes();
    wrong[15] = if wrong[15] == b'9' {
        b'8'
    } else {
        wrong[15] + 1
    };
    let wrong = String::from_utf8(wrong).unwrap();
    let no = public
        .post(
            &check_url,
            &[
                ("_csrf", &csrf(&yes.body)),
                ("kolom", "nik"),
                ("nilai", &wrong),
            ],
        )
        .await;
    assert_eq!(no.status, StatusCode::OK);
    assert!(
        no.body.contains("Tidak cocok: data ini berbeda"),
        "{}",
        no.body
    );
    assert!(!no.body.contains(&nik) && !no.body.contains(&wrong));
    // Without the double-submitted token the check is refused, not a 500.
    let mut stranger = Client::new(&app);
    let forged = stranger
        .post(
            &check_url,
            &[("_csrf", "bukan"), ("kolom", "nik"), ("nilai", &nik)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged.body.contains(&nik));
    // Guessing tokens finds nothing, and no 500 for odd ones.
    for bogus in [
        "1",
        "0000000000000000000000000000",
        "%27%20or%201%3D1",
        &"a".repeat(300),
    ] {
        assert_eq!(
            public.get(&format!("/v/{bogus}")).await.status,
            StatusCode::NOT_FOUND,
            "{bogus}"
        );
    }
    // Revoked: the public page says so, and when — but never why: a
    // reason naming a NIK once showed the full NIK to anyone.
    let token = csrf(&letter_page.body);
    let reason = format!("NIK {nik} salah ketik");
    c.post(
        &format!("{}/cabut", letter_url),
        &[("_csrf", &token), ("alasan", &reason)],
    )
    .await;
    let revoked = public.get(&format!("/v/{verify_link}")).await;
    assert!(revoked.body.contains("DICABUT"), "{}", revoked.body);
    assert!(
        revoked.body.contains("(pada 22 November 2026)"),
        "{}",
        revoked.body
    );
    assert!(
        !revoked.body.contains(&nik) && !revoked.body.contains("salah ketik"),
        "the revocation reason stays on the staff side"
    );
    assert!(
        c.get(&letter_url).await.body.contains("salah ketik"),
        "staff still see the reason"
    );
    // Another village's operator cannot see it.
    let other = app.store.village_summaries(None).await.unwrap();
    let slug: String = other[1]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut b = Client::new(&app);
    b.login(&format!("operator.{slug}")).await;
    assert_eq!(b.get(&letter_url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        b.get(&format!("{}/pdf", letter_url)).await.status,
        StatusCode::NOT_FOUND
    );
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

#[tokio::test]
async fn an_operator_saves_letter_settings_and_the_next_letter_uses_them_but_a_head_cannot_save() {
    let app = app(2, 80).await;
    let v = &app.villages[0];
    let mut c = operator(&app).await;
    let url = format!("/staf/desa/{v}/surat/pengaturan");
    let archive = c.get(&format!("/staf/desa/{v}/surat")).await;
    assert!(
        archive.body.contains(&url),
        "the archive links the settings"
    );
    let page = c.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("json(&quot;&#x2f;data.json&quot;)"),
        "the default template is offered as a starting point"
    );
    let token = csrf(&page.body);
    let marker = "Templat khusus Desa Uji Coba";
    let template = balai_letters::default_template().replace(
        "#par(d.closing)",
        &format!("#par(d.closing)\n#par[{marker}]"),
    );
    // A bad number format: the page comes back with the message and what was typed.
    let bad = settings_form(&token, "{kode}/{nomer}/{tahun}", &template);
    let refused = c.post(&url, &pairs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("nomer"), "{}", refused.body);
    assert!(refused.body.contains(marker), "the typed template is kept");
    // Without the CSRF token: refused.
    assert_eq!(
        c.post(&url, &pairs(&bad)[1..]).await.status,
        StatusCode::FORBIDDEN
    );

    // The village head may look but not save.
    let slug = first_village_slug(&app).await;
    let mut head = Client::new(&app);
    head.login(&format!("kades.{slug}")).await;
    let seen = head.get(&url).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("disabled"), "read-only for the head");
    let as_head = settings_form(&csrf(&seen.body), "{nomor:3}/{kode}/{tahun}", &template);
    assert_eq!(
        head.post(&url, &pairs(&as_head)).await.status,
        StatusCode::FORBIDDEN
    );
    // Another village's operator does not even see it.
    let other_slug = app.store.village_summaries(None).await.unwrap()[1]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>();
    let mut other = Client::new(&app);
    other.login(&format!("operator.{other_slug}")).await;
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);

    // The operator saves; the next letter is F4, numbered and typeset the new way.
    let good = settings_form(&token, "{nomor:3}/{kode}/{tahun}", &template);
    let saved = c.post(&url, &pairs(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = c.get(&location(&saved)).await;
    assert!(shown.body.contains("tersimpan"), "{}", shown.body);
    let (_, residents) = app
        .store
        .village_population(balai_domain::KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let r = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let nik = r.number.to_string();
    let new = format!("/staf/desa/{v}/surat/baru");
    let token = c.csrf_of(&format!("{new}?jenis=domisili&nik={nik}")).await;
    let sent = c
        .post(
            &new,
            &[
                ("_csrf", token.as_str()),
                ("jenis", "domisili"),
                ("nik", nik.as_str()),
                ("alamat_domisili", "Dusun Krajan"),
                ("keperluan", "Melamar kerja"),
                ("penandatangan", "kades"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let letter_url = head_signs(&app, &location(&sent)).await;
    let pdf = c.get(&format!("{letter_url}/pdf")).await;
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains(marker), "{text}");
    assert!(text.contains("001/474.4/2026"), "{text}");
    assert!(text.contains("SUPARNO"), "{text}");
}

/// The settings form as the page posts it (the CSRF token first).
fn settings_form(token: &str, format: &str, template: &str) -> Vec<(String, String)> {
    [
        ("_csrf", token),
        ("alamat", "Jl. Balai Desa No. 1"),
        ("kades_nama", "Suparno"),
        ("kades_jabatan", "Kepala Desa"),
        ("format_nomor", format),
        ("lingkup_nomor", "semua-surat"),
        ("kertas", "F4"),
        ("templat", template),
        ("aksi", "simpan"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The first village's login slug.
/// The first village's head signs the request at `request_url`; the letter's URL.
/// Before typed commands, a signer the desk does not know (`bupati`) was
/// taken as the village head and the letter went to the head's queue. Every
/// malformed field is now a field error on the re-rendered form (422),
/// never a 500, and nothing is written: no number, no request.
#[tokio::test]
async fn an_unknown_signer_was_taken_as_the_head_regression_malformed_fields_rerender_the_form() {
    let app = app(1, 40).await;
    let v = &app.villages[0];
    let kode = balai_domain::KodeWilayah::parse(v).unwrap();
    let mut c = operator(&app).await;
    let (_, residents) = app.store.village_population(kode).await.unwrap();
    let nik = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    let url = format!("/staf/desa/{v}/surat/baru");
    let token = c.csrf_of(&url).await;
    let long = "x".repeat(balai_services::letters::MAX_PURPOSE_CHARS + 1);
    let long_name = "n".repeat(balai_services::letters::MAX_SIGNER_CHARS + 1);
    let good: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("jenis", "domisili"),
        ("nik", &nik),
        ("alamat_domisili", "Dusun Krajan"),
        ("keperluan", "Melamar kerja"),
        ("penandatangan", "an"),
        ("an_nama", "Siti Aminah"),
        ("an_jabatan", "Sekretaris Desa"),
    ];
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            replaced(&good, "penandatangan", "bupati"),
            "pilih penandatangan",
        ),
        (replaced(&good, "jenis", "surat-palsu"), "pilih jenis surat"),
        (replaced(&good, "nik", "12ab"), "NIK tidak valid"),
        (
            replaced(&good, "berlaku_hari", "9999"),
            "isi 1 sampai 365 hari",
        ),
        (replaced(&good, "an_nama", ""), "tulis nama pejabat"),
        (replaced(&good, "keperluan", &long), "paling banyak"),
        (replaced(&good, "an_nama", &long_name), "paling banyak"),
    ];
    for (fields, message) in &cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post(&url, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            r.body
        );
        assert!(r.body.contains(message), "{message}: {}", r.body);
    }
    assert!(
        app.store
            .letters(kode, None, 10, 0)
            .await
            .unwrap()
            .is_empty(),
        "no number used"
    );
    let statuses = balai_domain::letter_request::RequestStatus::ALL;
    assert!(
        app.store
            .letter_requests(kode, &statuses, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing sent to the head"
    );
    // The well-formed form still issues.
    let ok = c.post(&url, &good).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

/// `fields` with `field` set to `value` (added if absent).
fn replaced<'a>(
    fields: &[(&'a str, &'a str)],
    field: &'a str,
    value: &str,
) -> Vec<(&'a str, String)> {
    let mut out: Vec<(&str, String)> = fields
        .iter()
        .filter(|(k, _)| *k != field)
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
    out.push((field, value.to_string()));
    out
}

async fn head_signs(app: &common::App, request_url: &str) -> String {
    let mut head = Client::new(app);
    head.login(&format!("kades.{}", first_village_slug(app).await))
        .await;
    let page = head.get(request_url).await;
    assert!(page.body.contains("id=\"tinjau\""), "{}", page.body);
    // Signing before reading the letter is refused by the server.
    let token = csrf(&page.body);
    let unseen = head
        .post(&format!("{request_url}/tandatangani"), &[("_csrf", &token)])
        .await;
    assert_eq!(unseen.status, StatusCode::FORBIDDEN, "{}", unseen.body);
    let page = head.get(&format!("{request_url}/tinjau")).await;
    assert!(page.body.contains("aksi-tandatangani"), "{}", page.body);
    let token = csrf(&page.body);
    let signed = head
        .post(&format!("{request_url}/tandatangani"), &[("_csrf", &token)])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let done = head.get(request_url).await.body.replace("&#x2f;", "/");
    let href = done
        .split("href=\"")
        .find(|h| h.contains("/surat/") && h.contains("id=\"surat-terbit\""))
        .expect("the issued letter is linked");
    href.split('"').next().unwrap().to_string()
}

async fn first_village_slug(app: &common::App) -> String {
    app.store.village_summaries(None).await.unwrap()[0]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[tokio::test]
async fn the_desk_shows_whom_a_letter_is_for_when_the_nik_is_checked_and_numbers_nothing() {
    let app = app(1, 80).await;
    let v = &app.villages[0];
    let kode = balai_domain::KodeWilayah::parse(v).unwrap();
    let mut c = operator(&app).await;
    let (_, residents) = app.store.village_population(kode).await.unwrap();
    let r = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap();
    let url = format!("/staf/desa/{v}/surat/baru");
    let page = c.get(&url).await;
    assert!(
        page.body.contains("id=\"cek-nik\""),
        "the form offers the check"
    );
    assert!(
        !page.body.contains("id=\"subjek\""),
        "no one before a NIK is typed"
    );
    let before = app.store.accesses_of(kode, r.id).await.unwrap().len();
    let nik = r.number.to_string();
    let checked = c
        .post(
            &url,
            &[
                ("_csrf", &csrf(&page.body)),
                ("jenis", "domisili"),
                ("nik", &nik),
                ("aksi", "cek"),
            ],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("id=\"subjek\""));
    assert!(
        checked.body.contains(r.name.as_str()),
        "the operator sees the name"
    );
    assert!(checked.body.contains("HIDUP"));
    assert!(
        checked.body.contains(&format!("value=\"{nik}\"")),
        "the NIK stays typed"
    );
    assert_eq!(
        app.store.accesses_of(kode, r.id).await.unwrap().len(),
        before + 1,
        "seeing the resident is logged"
    );
    assert!(
        app.store
            .letters(kode, None, 10, 0)
            .await
            .unwrap()
            .is_empty(),
        "checking numbers nothing"
    );
    let unknown = c
        .post(
            &url,
            &[
                ("_csrf", &csrf(&checked.body)),
                ("jenis", "domisili"),
                ("nik", "3310010101900099"),
                ("aksi", "cek"),
            ],
        )
        .await;
    assert!(
        unknown
            .body
            .contains("tidak terdaftar sebagai penduduk desa ini")
    );
}
