//! The kiosk's letter form by touch (issue 9 part 6), through the router:
//! choices as radio buttons that post without JavaScript, the purpose picked
//! from the kind's common purposes or typed, the on-screen keyboard's
//! markup only at the kiosk, and the rules kept — a purpose shorter than a
//! sentence is refused with the reason, an answer not among the choices is
//! refused under its field, and asking again for the same open letter gives
//! the first request's ticket.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use common::{App, Client, app, ids, location};

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn operator(app: &App) -> Client {
    let s = app.store.village_summaries(None).await.unwrap();
    let mut c = Client::new(app);
    let r = c
        .login(&format!("operator.{}", slug(&s[0].village.name)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    c
}

/// A resident of village 0 logged in at `base` (kiosk or self-service),
/// their operator's PIN already replaced.
async fn logged_in(app: &App, op: &mut Client, base: &str) -> Client {
    let v = &app.villages[0];
    let (_, residents) = app
        .store
        .village_population(KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let r = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .unwrap();
    let page = format!("/staf/desa/{v}/penduduk/{}", r.id);
    let token = op.csrf_of(&page).await;
    let res = op.post(&format!("{page}/pin"), &[("_csrf", &token)]).await;
    let i = res.body.find("id=\"pin-baru\">").unwrap() + 14;
    let pin = res.body[i..i + 6].to_string();
    let mut c = Client::new(app);
    let token = c.csrf_of(&format!("{base}/masuk")).await;
    let nik = r.number.to_string();
    let first = c
        .post(
            &format!("{base}/masuk"),
            &[("_csrf", &token), ("nik", &nik), ("pin", &pin)],
        )
        .await;
    assert_eq!(location(&first), format!("{base}/pin"));
    let token = c.csrf_of(&format!("{base}/pin")).await;
    c.post(
        &format!("{base}/pin"),
        &[
            ("_csrf", &token),
            ("pin_lama", &pin),
            ("pin_baru", "604182"),
            ("pin_ulang", "604182"),
        ],
    )
    .await;
    c
}

/// Posts the letter form of `kind` at `base` with `fields`.
async fn send(c: &mut Client, base: &str, kind: &str, fields: &[(&str, &str)]) -> common::Response {
    let token = c.csrf_of(&format!("{base}/surat?jenis={kind}")).await;
    let mut all = vec![("_csrf", token.as_str()), ("jenis", kind)];
    all.extend_from_slice(fields);
    c.post(&format!("{base}/surat"), &all).await
}

#[tokio::test]
async fn the_kiosk_form_offers_buttons_and_a_keyboard_and_works_as_plain_radio_inputs() {
    let app = app(1, 60).await;
    let v = app.villages[0].clone();
    let mut op = operator(&app).await;
    let base = format!("/anjungan/{v}");
    let mut kiosk = logged_in(&app, &mut op, &base).await;

    // The application kind and the purpose are radio buttons; the keyboard
    // is in the page, hidden until a script shows it; the typed purpose is
    // an ordinary input the keyboard types into.
    let form = kiosk
        .get(&format!("{base}/surat?jenis=pengantar-ktp"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    for choice in ["baru", "perpanjangan", "penggantian"] {
        assert!(
            form.body.contains(&format!(
                "type=\"radio\" name=\"jenis_permohonan\" value=\"{choice}\""
            )),
            "{choice}: {}",
            form.body
        );
    }
    assert!(
        form.body
            .contains("name=\"keperluan_pilihan\" value=\"ktp-el\"")
    );
    assert!(form.body.contains("Persyaratan pembuatan KTP elektronik"));
    assert!(
        form.body
            .contains("name=\"keperluan_pilihan\" value=\"lain\"")
    );
    assert!(form.body.contains("id=\"osk\""));
    assert!(
        form.body
            .contains("role=\"group\" aria-label=\"Papan ketik\" hidden")
    );
    assert!(
        form.body
            .contains("name=\"keperluan\" value=\"\" maxlength=\"500\" data-osk")
    );
    assert!(form.body.contains("type=\"radio\" name=\"subjek\""));
    assert!(form.body.contains("id=\"k-kirim\""));
    // A date at the kiosk is text for the keyboard, with its format shown.
    let lost = kiosk.get(&format!("{base}/surat?jenis=kehilangan")).await;
    assert!(
        lost.body
            .contains("name=\"tanggal_kejadian\" type=\"text\" value=\"\" required data-osk")
    );
    assert!(lost.body.contains("tanggal-bulan-tahun"));

    // Picked by buttons: the purpose is the chosen sentence, the choice is
    // stored as its code however it was cased.
    let ticket = send(
        &mut kiosk,
        &base,
        "pengantar-ktp",
        &[
            ("jenis_permohonan", "Penggantian"),
            ("keperluan_pilihan", "ktp-el"),
        ],
    )
    .await;
    assert_eq!(ticket.status, StatusCode::OK, "{}", ticket.body);
    assert!(ticket.body.contains("A-001"), "{}", ticket.body);
    let list = op.get(&format!("/staf/desa/{v}/permohonan")).await;
    let id = ids(&list.body, "permohonan")[0].clone();
    let detail = op.get(&format!("/staf/desa/{v}/permohonan/{id}")).await;
    assert!(
        detail.body.contains("Persyaratan pembuatan KTP elektronik")
            && detail.body.contains("penggantian"),
        "{}",
        detail.body
    );
}

/// Regression for issue 9: the kiosk's letter forms asked for typed text
/// ("baru/perpanjangan/penggantian") on a screen with a numeric keypad only;
/// now the choices are buttons, and what is not a choice is refused by name.
#[tokio::test]
async fn kiosk_answers_outside_the_choices_and_short_purposes_are_refused_with_the_reason() {
    let app = app(1, 60).await;
    let v = app.villages[0].clone();
    let mut op = operator(&app).await;
    let base = format!("/anjungan/{v}");
    let mut kiosk = logged_in(&app, &mut op, &base).await;

    // A one-word purpose typed under "other": refused, the reason shown,
    // "other" still chosen and the word kept for the keyboard to finish.
    let short = send(
        &mut kiosk,
        &base,
        "pengantar-ktp",
        &[
            ("jenis_permohonan", "baru"),
            ("keperluan_pilihan", "lain"),
            ("keperluan", "rusak"),
        ],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("dua kata"), "{}", short.body);
    assert!(
        short
            .body
            .contains("value=\"lain\" id=\"f-keperluan-lain\" checked")
    );
    assert!(
        short
            .body
            .contains("name=\"jenis_permohonan\" value=\"baru\" checked")
    );
    assert!(short.body.contains("value=\"rusak\""));

    // Typed text where a choice belongs, and a purpose not offered for the kind.
    let typed = send(
        &mut kiosk,
        &base,
        "pengantar-ktp",
        &[
            ("jenis_permohonan", "perpanjang saja"),
            ("keperluan_pilihan", "warisan"),
        ],
    )
    .await;
    assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        typed.body.contains("id=\"e-jenis_permohonan\""),
        "{}",
        typed.body
    );
    assert!(typed.body.contains("pilih salah satu pilihan yang ada"));
    assert!(typed.body.contains("pilih keperluan dari daftar"));
    // Nothing was stored.
    let list = op.get(&format!("/staf/desa/{v}/permohonan")).await;
    assert!(ids(&list.body, "permohonan").is_empty());

    // A browser without JavaScript posts the text box with no choice made:
    // the typed sentence is the purpose.
    let first = send(
        &mut kiosk,
        &base,
        "pengantar-kk",
        &[
            ("jenis_permohonan", "baru"),
            ("keperluan", "Anak kami baru lahir"),
        ],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("A-001"));

    // The same letter for the same person again: the first one's ticket,
    // no second request.
    let mut kiosk = logged_in(&app, &mut op, &base).await;
    let again = send(
        &mut kiosk,
        &base,
        "pengantar-kk",
        &[
            ("jenis_permohonan", "penggantian"),
            ("keperluan_pilihan", "kartu-keluarga"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.body.contains("A-001"), "{}", again.body);
    assert!(again.body.contains("id=\"sudah-diajukan\""));
    assert!(!first.body.contains("id=\"sudah-diajukan\""));
    let list = op.get(&format!("/staf/desa/{v}/permohonan")).await;
    assert_eq!(ids(&list.body, "permohonan").len(), 1);
}

#[tokio::test]
async fn the_choices_read_in_english_and_the_self_service_form_has_no_kiosk_keyboard() {
    let app = app(1, 60).await;
    let v = app.villages[0].clone();
    let mut op = operator(&app).await;
    let base = format!("/layanan/{v}");
    let mut phone = logged_in(&app, &mut op, &base).await;
    let form = phone.get(&format!("{base}/surat?jenis=kehilangan")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("id=\"osk\"") && !form.body.contains("data-osk"));
    // The phone's own date picker.
    assert!(
        form.body
            .contains("name=\"tanggal_kejadian\" type=\"date\"")
    );
    assert!(
        form.body
            .contains("name=\"keperluan_pilihan\" value=\"laporan-kehilangan\"")
    );

    phone.get("/bahasa/en").await;
    let en = phone
        .get(&format!("{base}/surat?jenis=pengantar-ktp"))
        .await;
    for text in [
        "Renewal",
        "Replacement",
        "Other (type it)",
        "Kind of application",
    ] {
        assert!(en.body.contains(text), "{text}: {}", en.body);
    }
    assert!(!en.body.contains("Perpanjangan") && !en.body.contains("Lainnya"));
}
