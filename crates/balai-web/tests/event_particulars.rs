//! The life-event forms over HTTP with their particulars: a death and a
//! move out recorded with them and shown on the resident page in
//! Indonesian labels (no keys, no codes); bad particulars re-display the
//! form with every typed value and a message naming the field; a birth's
//! weight out of range likewise.

mod common;

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::{Shdk, StatusDasar};
use common::{Client, app, csrf, location};

async fn slug(app: &common::App) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[0].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A family card whose head lives with at least two other living members.
async fn family(app: &common::App, v: KodeWilayah) -> balai_store::FamilyCard {
    let (families, _) = app.store.village_population(v).await.unwrap();
    for f in families {
        let card = app.store.family_card(v, f.id).await.unwrap().unwrap();
        let living = card
            .members
            .iter()
            .filter(|m| m.status == StatusDasar::Hidup)
            .count();
        if living >= 3
            && card
                .members
                .iter()
                .any(|m| m.relationship == Shdk::KepalaKeluarga && m.status == StatusDasar::Hidup)
        {
            return card;
        }
    }
    panic!("no family of three");
}

/// The page with the template engine's escaping of `/` undone.
fn unescaped(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

/// No catalogue key, internal field name or bare code in a page's text.
fn no_keys(html: &str) {
    for leak in [
        "err-",
        "pt-",
        "ev-",
        "kode_tujuan",
        "SakitBiasaTua",
        "PindahKeluar",
        "sebab:",
        "{{",
    ] {
        // Field names appear in markup (name="…"), never as text between tags.
        let text: String = html
            .split('<')
            .map(|part| part.split_once('>').map_or("", |(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!text.contains(leak), "{leak} shown in: {text}");
    }
}

#[tokio::test]
async fn a_death_and_a_move_out_with_particulars_show_on_the_resident_page() {
    let app = app(1, 150).await;
    let v = &app.villages[0];
    let kode = KodeWilayah::parse(v).unwrap();
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app).await)).await;
    let card = family(&app, kode).await;
    let living: Vec<_> = card
        .members
        .iter()
        .filter(|m| m.status == StatusDasar::Hidup && m.relationship != Shdk::KepalaKeluarga)
        .collect();
    let (dies, moves, along) = (living[0], living[1], living.get(2).copied());

    // A death with its particulars.
    let url = format!("/staf/desa/{v}/penduduk/{}/peristiwa", dies.id);
    let form = c.get(&url).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Keterangan kematian"), "{}", form.body);
    assert!(unescaped(&form.body).contains("SAKIT BIASA/TUA"));
    no_keys(&form.body);
    let token = csrf(&form.body);
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "2"),
                ("tanggal", "2026-11-20"),
                ("jam", "04:30"),
                ("tempat", "Rumah duka"),
                ("sebab", "3"),
                ("penerang", "3"),
                ("pelapor_nama", "Sri Lestari"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let page = c.get(&location(&r)).await;
    for shown in [
        "Jam meninggal",
        "04:30",
        "Tempat meninggal",
        "RUMAH DUKA",
        "Sebab kematian",
        "KECELAKAAN",
        "Yang menerangkan",
        "KEPOLISIAN",
        "Pelapor",
        "Sri Lestari",
    ] {
        assert!(
            unescaped(&page.body).contains(shown),
            "{shown} missing: {}",
            page.body
        );
    }
    no_keys(&page.body);

    // A move out, with a member moving along.
    let url = format!("/staf/desa/{v}/penduduk/{}/peristiwa", moves.id);
    let token = c.csrf_of(&url).await;
    let mut fields = vec![
        ("_csrf", token.as_str()),
        ("peristiwa", "3"),
        ("tanggal", "2026-11-21"),
        ("alamat_tujuan", "Jl. Veteran 12"),
        ("kode_tujuan", "3311012001"),
        ("alasan", "2"),
    ];
    let along_id = along.map(|a| a.id.to_string());
    if let Some(id) = &along_id {
        fields.push(("ikut", id));
    }
    let r = c.post(&url, &fields).await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let page = c.get(&location(&r)).await;
    for shown in [
        "Alamat tujuan",
        "JL. VETERAN 12",
        "Wilayah tujuan",
        "DESA GROGOL, KECAMATAN WERU, KABUPATEN SUKOHARJO, JAWA TENGAH",
        "Klasifikasi pindah",
        "ANTAR KABUPATEN/KOTA",
        "Alasan pindah",
        "PENDIDIKAN",
    ] {
        assert!(
            unescaped(&page.body).contains(shown),
            "{shown} missing: {}",
            page.body
        );
    }
    no_keys(&page.body);
    if let Some(a) = along {
        let moved = app.store.resident(kode, a.id).await.unwrap().unwrap();
        assert_eq!(moved.status, StatusDasar::Pindah, "moved along");
        assert!(page.body.contains(a.name.as_str()), "the mover is named");
    }
}

#[tokio::test]
async fn bad_particulars_redisplay_the_form_with_what_was_typed_and_name_the_field() {
    let app = app(1, 150).await;
    let v = &app.villages[0];
    let kode = KodeWilayah::parse(v).unwrap();
    let mut c = Client::new(&app);
    c.login(&format!("operator.{}", slug(&app).await)).await;
    let card = family(&app, kode).await;
    let person = card
        .members
        .iter()
        .find(|m| m.status == StatusDasar::Hidup && m.relationship != Shdk::KepalaKeluarga)
        .unwrap();
    let url = format!("/staf/desa/{v}/penduduk/{}/peristiwa", person.id);
    let token = c.csrf_of(&url).await;
    let changes = app.store.change_count().await.unwrap();
    // A destination code that is not a region.
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "3"),
                ("tanggal", "2026-11-21"),
                ("alamat_tujuan", "Jl. Mawar 3"),
                ("kode_tujuan", "3310012999"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Kode wilayah tujuan tidak ada dalam daftar wilayah Kemendagri"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"Jl. Mawar 3\""),
        "typed values stay"
    );
    assert!(r.body.contains("value=\"3310012999\""));
    assert!(r.body.contains("aria-describedby=\"e-kode_tujuan\""));
    no_keys(&r.body);
    // Members moving along are a repeated field; one who is not on the card is refused.
    let mate = card
        .members
        .iter()
        .find(|m| m.status == StatusDasar::Hidup && m.id != person.id)
        .unwrap()
        .id
        .to_string();
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "3"),
                ("tanggal", "2026-11-21"),
                ("kode_tujuan", "3311012001"),
                ("ikut", &mate),
                ("ikut", "00000000-0000-0000-0000-000000000000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Yang ikut pindah harus anggota aktif KK ini"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("value=\"{mate}\" checked")),
        "the ticked member stays ticked"
    );
    // A date in the future, and a time out of range.
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "2"),
                ("tanggal", "2026-12-25"),
                ("jam", "24:10"),
                ("tempat", "Sawah"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Jam tidak valid"), "{}", r.body);
    assert!(r.body.contains("value=\"Sawah\""));
    let r = c
        .post(
            &url,
            &[
                ("_csrf", &token),
                ("peristiwa", "2"),
                ("tanggal", "2026-12-25"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Tanggal peristiwa tidak boleh di masa depan"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"2026-12-25\""));
    assert_eq!(
        app.store.change_count().await.unwrap(),
        changes,
        "nothing written"
    );

    // A birth whose weight is out of range.
    let birth = format!("/staf/desa/{v}/keluarga/{}/lahir", card.family.id);
    let form = c.get(&birth).await;
    assert!(form.body.contains("Berat bayi (gram)"), "{}", form.body);
    assert!(form.body.contains("PUSKESMAS"));
    let token = csrf(&form.body);
    let r = c
        .post(
            &birth,
            &[
                ("_csrf", &token),
                ("nama", "Bayi Uji"),
                ("sex", "2"),
                ("tempat_lahir", "Klaten"),
                ("tanggal_lahir", "2026-11-21"),
                ("agama", "1"),
                ("pendidikan", "1"),
                ("pekerjaan", "1"),
                ("status_kawin", "1"),
                ("hubungan", "4"),
                ("berat", "9000"),
                ("panjang", "48"),
                ("jam_lahir", "06:15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("Berat bayi harus antara 500 dan 7.000 gram"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"9000\"") && r.body.contains("value=\"06:15\""));
    no_keys(&r.body);
    assert_eq!(app.store.change_count().await.unwrap(), changes);
}
