//! Village officials through the router: the operator records them (forms
//! re-display what was typed, with a message per field), the letter desk
//! offers them as signers, the public page lists them without numbers;
//! every new route is 404 to another village's operator and to the
//! regency; the head reviews a letter before the sign button works, and a
//! signing PIN, once set, is asked and a wrong one never signs.

mod common;

use axum::http::StatusCode;
use common::{Client, app, csrf, ids, location};

async fn slug(app: &common::App, i: usize) -> String {
    app.store.village_summaries(None).await.unwrap()[i]
        .village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn staff(app: &common::App, role: &str, i: usize) -> Client {
    let mut c = Client::new(app);
    c.login(&format!("{role}.{}", slug(app, i).await)).await;
    c
}

/// Records Siti Aminah as Sekretaris Desa of village `v`; returns her id.
async fn record_secretary(app: &common::App, op: &mut Client, v: &str) -> String {
    let token = op.csrf_of(&format!("/staf/desa/{v}/perangkat")).await;
    let r = op
        .post(
            &format!("/staf/desa/{v}/perangkat"),
            &[
                ("_csrf", &token),
                ("jabatan", "2"),
                ("nama", "Siti Aminah"),
                ("nip", "19850312 201001 2 004"),
                ("mulai", "2024-01-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let _ = app;
    let list = op.get(&format!("/staf/desa/{v}/perangkat")).await;
    ids(&list.body, "perangkat")[0].clone()
}

#[tokio::test]
async fn the_operator_records_officials_and_the_desk_and_public_page_show_them() {
    let app = app(2, 60).await;
    let v = &app.villages[0];
    let mut op = staff(&app, "operator", 0).await;
    let page = op.get(&format!("/staf/desa/{v}/perangkat")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("perangkat-kosong"), "{}", page.body);
    let token = csrf(&page.body);

    // Bad input: each field named, what was typed shown again.
    let bad = op
        .post(
            &format!("/staf/desa/{v}/perangkat"),
            &[
                ("_csrf", &token),
                ("jabatan", ""),
                ("nama", "Budi Santoso"),
                ("nip", "198503122010132004"),
                ("mulai", "2024-01-15"),
                ("selesai", "2023-01-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for needle in [
        "e-jabatan",
        "e-nip",
        "bulan pengangkatan",
        "value=\"Budi Santoso\"",
        "value=\"198503122010132004\"",
    ] {
        assert!(bad.body.contains(needle), "{needle}: {}", bad.body);
    }

    let id = record_secretary(&app, &mut op, v).await;
    let list = op.get(&format!("/staf/desa/{v}/perangkat")).await;
    assert!(list.body.contains("Siti Aminah"));
    assert!(list.body.contains("19850312 201001 2 004"));

    // The desk offers her as the signer a.n. the head.
    let desk = op.get(&format!("/staf/desa/{v}/surat/baru")).await;
    assert!(
        desk.body.contains(&format!("value=\"pejabat:{id}\"")),
        "{}",
        desk.body
    );
    assert!(
        desk.body
            .contains("a.n. Kepala Desa — Sekretaris Desa: Siti Aminah")
    );

    // The public page: no login, no script, no number.
    let mut visitor = Client::new(&app);
    let public = visitor.get(&format!("/desa/{v}/pemerintahan")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Siti Aminah") && public.body.contains("Sekretaris Desa"));
    assert!(
        !public.body.contains("19850312"),
        "no NIP on the public page"
    );
    assert!(!public.body.contains("<script"));
    for bad in [
        "/desa/12/pemerintahan",
        "/desa/3310/pemerintahan",
        "/desa/9999999999/pemerintahan",
    ] {
        assert_eq!(
            visitor.get(bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }

    // Ending the term before it began is a field error; then ended properly.
    let edit = op.get(&format!("/staf/desa/{v}/perangkat/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let token = csrf(&edit.body);
    let seen = edit
        .body
        .split("name=\"diubah\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let early = op
        .post(
            &format!("/staf/desa/{v}/perangkat/{id}/selesai"),
            &[
                ("_csrf", &token),
                ("diubah", &seen),
                ("selesai", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains("e-selesai") || early.body.contains("sebelum awalnya"),
        "{}",
        early.body
    );
    let ended = op
        .post(
            &format!("/staf/desa/{v}/perangkat/{id}/selesai"),
            &[
                ("_csrf", &token),
                ("diubah", &seen),
                ("selesai", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    // No longer offered at the desk, no longer on the public page.
    let desk = op.get(&format!("/staf/desa/{v}/surat/baru")).await;
    assert!(!desk.body.contains(&format!("pejabat:{id}")));
    assert!(
        !visitor
            .get(&format!("/desa/{v}/pemerintahan"))
            .await
            .body
            .contains("Siti Aminah")
    );
}

#[tokio::test]
async fn another_villages_operator_and_the_regency_get_404_on_every_officials_route() {
    let app = app(2, 60).await;
    let v = &app.villages[0];
    let mut op = staff(&app, "operator", 0).await;
    let id = record_secretary(&app, &mut op, v).await;
    let gets = [
        format!("/staf/desa/{v}/perangkat"),
        format!("/staf/desa/{v}/perangkat/{id}"),
        format!("/staf/desa/{v}/tanda-tangan"),
        format!("/staf/desa/{v}/permohonan/{id}/tinjau"),
    ];
    let posts = [
        format!("/staf/desa/{v}/perangkat"),
        format!("/staf/desa/{v}/perangkat/{id}"),
        format!("/staf/desa/{v}/perangkat/{id}/selesai"),
        format!("/staf/desa/{v}/tanda-tangan"),
    ];
    let fields = |token: &str| {
        vec![
            ("_csrf".to_string(), token.to_string()),
            ("jabatan".into(), "3".into()),
            ("nama".into(), "Penyusup".into()),
            ("mulai".into(), "2024-01-01".into()),
            ("selesai".into(), "2026-01-01".into()),
            ("diubah".into(), "0".into()),
            ("pin".into(), "258036".into()),
            ("pin2".into(), "258036".into()),
        ]
    };
    let mut others = vec![staff(&app, "operator", 1).await];
    for who in ["admin.klaten", "pendamping.klaten"] {
        let mut c = Client::new(&app);
        c.login(who).await;
        others.push(c);
    }
    for c in &mut others {
        let token = c.csrf_of("/staf/akun").await;
        for url in &gets {
            assert_eq!(c.get(url).await.status, StatusCode::NOT_FOUND, "GET {url}");
        }
        let before = app.store.change_count().await.unwrap();
        for url in &posts {
            let f = fields(&token);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(
                c.post(url, &f).await.status,
                StatusCode::NOT_FOUND,
                "POST {url}"
            );
        }
        assert_eq!(app.store.change_count().await.unwrap(), before);
    }
    // The head reads the list but does not edit it, and has no edit form.
    let mut head = staff(&app, "kades", 0).await;
    assert_eq!(head.get(&gets[0]).await.status, StatusCode::OK);
    assert_eq!(head.get(&gets[1]).await.status, StatusCode::NOT_FOUND);
    let token = head.csrf_of(&gets[0]).await;
    let f = fields(&token);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(head.post(&posts[0], &f).await.status, StatusCode::FORBIDDEN);
    // The operator has no signing PIN page.
    assert_eq!(op.get(&gets[2]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_head_signs_only_after_the_preview_and_with_the_right_pin() {
    let app = app(1, 60).await;
    let v = &app.villages[0];
    let mut op = staff(&app, "operator", 0).await;
    let (_, residents) = app
        .store
        .village_population(balai_domain::KodeWilayah::parse(v).unwrap())
        .await
        .unwrap();
    let nik = residents
        .iter()
        .find(|r| r.status == balai_domain::codes::StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    let token = op.csrf_of(&format!("/staf/desa/{v}/surat/baru")).await;
    let sent = op
        .post(
            &format!("/staf/desa/{v}/surat/baru"),
            &[
                ("_csrf", &token),
                ("jenis", "domisili"),
                ("nik", &nik),
                ("alamat_domisili", "Dusun Krajan"),
                ("keperluan", "Melamar kerja"),
                ("penandatangan", "kades"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let request_url = location(&sent);

    let mut head = staff(&app, "kades", 0).await;
    // The head sets a signing PIN (a weak one is refused under its field).
    let token = head.csrf_of(&format!("/staf/desa/{v}/tanda-tangan")).await;
    let weak = head
        .post(
            &format!("/staf/desa/{v}/tanda-tangan"),
            &[("_csrf", &token), ("pin", "123456"), ("pin2", "123456")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("e-pin"));
    let set = head
        .post(
            &format!("/staf/desa/{v}/tanda-tangan"),
            &[("_csrf", &token), ("pin", "258036"), ("pin2", "258036")],
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    assert!(set.body.contains("pin-tersimpan"));

    // Without the preview, even the right PIN does not sign.
    let sign = format!("{request_url}/tandatangani");
    let unseen = head
        .post(&sign, &[("_csrf", &token), ("pin", "258036")])
        .await;
    assert_eq!(unseen.status, StatusCode::FORBIDDEN, "{}", unseen.body);
    let review = head.get(&format!("{request_url}/tinjau")).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("Yang bertanda tangan di bawah ini"));
    assert!(review.body.contains("f-pin") && review.body.contains("aksi-tandatangani"));
    // A wrong PIN never signs; nothing is numbered.
    let wrong = head
        .post(&sign, &[("_csrf", &token), ("pin", "258037")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("PIN tanda tangan salah"));
    let kode = balai_domain::KodeWilayah::parse(v).unwrap();
    assert!(
        app.store
            .letters(kode, None, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    let missing = head.post(&sign, &[("_csrf", &token)]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let signed = head
        .post(&sign, &[("_csrf", &token), ("pin", "258036")])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(app.store.letters(kode, None, 10, 0).await.unwrap().len(), 1);
}
