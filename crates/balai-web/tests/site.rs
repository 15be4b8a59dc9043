//! The village website over HTTP: the home page, news written by the
//! operator in Markdown (rendered safely, drafts never public), the Atom
//! feed and sitemap, ETag/304, the agenda with sign-up, waiting list and the
//! check by reference; names and phone numbers of people who signed up
//! never reach a public page; another village's staff and the regency get
//! "not found" on every staff page of the site.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Client, app, csrf, location};

async fn slug(app: &common::App, i: usize) -> String {
    let s = app.store.village_summaries(None).await.unwrap();
    s[i].village
        .name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The text of the element with `id`.
fn by_id(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let i = html
        .find(&marker)
        .unwrap_or_else(|| panic!("#{id} in {html}"))
        + marker.len();
    html[i..i + html[i..].find('<').unwrap()].to_string()
}

async fn operator(app: &common::App, i: usize) -> Client {
    let mut op = Client::new(app);
    op.login(&format!("operator.{}", slug(app, i).await)).await;
    op
}

/// Writes and publishes a post as the operator; returns its staff id.
async fn publish(op: &mut Client, v: &str, title: &str, slug: &str, body: &str) -> String {
    let token = op.csrf_of(&format!("/staf/desa/{v}/berita/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/berita/baru"),
            &[
                ("_csrf", &token),
                ("judul", title),
                ("slug", slug),
                ("isi", body),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = location(&made);
    let id = at.rsplit('/').next().unwrap().to_string();
    let token = op.csrf_of(&at).await;
    let r = op
        .post(
            &format!("/staf/desa/{v}/berita/{id}/terbit"),
            &[("_csrf", &token), ("terbit", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id
}

/// Makes a published activity open for sign-up; returns its id.
async fn activity(op: &mut Client, v: &str, capacity: &str) -> String {
    let token = op.csrf_of(&format!("/staf/desa/{v}/agenda/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/agenda/baru"),
            &[
                ("_csrf", &token),
                ("judul", "Posyandu balita"),
                ("tempat", "Balai dusun Krajan"),
                ("tanggal", "2026-11-29"),
                ("mulai", "08:00"),
                ("selesai", "11:00"),
                ("kapasitas", capacity),
                ("uraian", "Penimbangan dan imunisasi."),
                ("pendaftaran", "1"),
                ("terbit", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    location(&made).rsplit('/').next().unwrap().to_string()
}

async fn get_with(
    c: &mut Client,
    uri: &str,
    name: header::HeaderName,
    value: &str,
) -> common::Response {
    c.extra_headers = vec![(name.to_string(), value.to_string())];
    let r = c.send(Method::GET, uri, None, Vec::new()).await;
    c.extra_headers.clear();
    r
}

#[tokio::test]
async fn the_operator_publishes_markdown_news_that_visitors_read_safely() {
    let app = app(2, 30).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let body = "Warga diundang **kerja bakti**.\n\n<script>alert('x')</script>\n\n\
                [klik](javascript:alert(1)) <img src=x onerror=alert(2)> <b onclick=\"alert(3)\">tebal</b>\n\n\
                [peta](https://desa.example.id/peta)";
    // A draft first: nowhere public.
    let token = op.csrf_of(&format!("/staf/desa/{v}/berita/baru")).await;
    let made = op
        .post(
            &format!("/staf/desa/{v}/berita/baru"),
            &[
                ("_csrf", &token),
                ("judul", "Kerja <b>bakti</b> Minggu"),
                ("slug", ""),
                ("isi", body),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let editor = op.get(&location(&made)).await;
    assert!(
        editor.body.contains("<strong>kerja bakti</strong>"),
        "the preview renders"
    );
    let slug = "kerja-b-bakti-b-minggu";
    let mut visitor = Client::at(&app, "203.0.113.20");
    for uri in [
        format!("/desa/{v}/berita/{slug}"),
        format!("/desa/{v}/berita/tidak-ada"),
        format!("/desa/{v}/berita/..%2Fetc"),
    ] {
        assert_eq!(
            visitor.get(&uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    assert!(
        !visitor
            .get(&format!("/desa/{v}/berita"))
            .await
            .body
            .contains("Minggu")
    );
    assert!(
        !visitor
            .get(&format!("/desa/{v}/berita.atom"))
            .await
            .body
            .contains("Minggu")
    );

    let id = location(&made).rsplit('/').next().unwrap().to_string();
    let token = csrf(&editor.body);
    let r = op
        .post(
            &format!("/staf/desa/{v}/berita/{id}/terbit"),
            &[("_csrf", &token), ("terbit", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let post = visitor.get(&format!("/desa/{v}/berita/{slug}")).await;
    assert_eq!(post.status, StatusCode::OK, "{}", post.body);
    assert!(post.body.contains("<strong>kerja bakti</strong>"));
    assert!(
        post.body.contains("Kerja &lt;b&gt;bakti") && !post.body.contains("<b>bakti"),
        "the title is escaped"
    );
    let lower = post.body.to_lowercase();
    for bad in ["<script", "javascript:", "onerror", "onclick", "src=x"] {
        assert!(!lower.contains(bad), "{bad} reached the page");
    }
    assert!(post.body.contains(r#"href="https://desa.example.id/peta""#));
    // The template escapes "/" as "&#x2f;" in attributes and XML: the same URL.
    let plain = |s: &str| s.replace("&#x2f;", "/");
    let canonical = plain(&post.body);
    let at = canonical
        .find("<link rel=\"canonical\" href=\"")
        .expect("a canonical link");
    assert!(
        canonical[at..].contains(&format!("/desa/{v}/berita/{slug}\">")),
        "{}",
        &canonical[at..at + 120]
    );

    // Revalidation: the same page is a 304 with no body.
    let etag = post
        .headers
        .get(header::ETAG)
        .expect("an ETag")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        post.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("no-cache")
    );
    let again = get_with(
        &mut visitor,
        &format!("/desa/{v}/berita/{slug}"),
        header::IF_NONE_MATCH,
        &etag,
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());

    // The list, the feed (escaped HTML inside XML), the sitemap, the home page.
    let list = visitor.get(&format!("/desa/{v}/berita")).await;
    assert!(list.body.contains(&format!("/desa/{v}/berita/{slug}")));
    let atom = visitor.get(&format!("/desa/{v}/berita.atom")).await;
    assert_eq!(atom.status, StatusCode::OK);
    assert!(
        atom.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(
        plain(&atom.body).contains("&lt;strong&gt;kerja bakti&lt;/strong&gt;"),
        "{}",
        atom.body
    );
    assert!(!atom.body.to_lowercase().contains("<script"));
    let map = visitor.get(&format!("/desa/{v}/sitemap.xml")).await;
    assert!(
        plain(&map.body).contains(&format!("/desa/{v}/berita/{slug}</loc>")),
        "{}",
        map.body
    );
    let home = visitor.get(&format!("/desa/{v}")).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(&format!("/desa/{v}/berita/{slug}")));
    for link in ["statistik", "pengaduan", "berita", "agenda", "pemerintahan"] {
        assert!(home.body.contains(&format!("/desa/{v}/{link}\"")), "{link}");
    }
    assert!(!home.body.contains("<script"));

    // Withdrawn: gone from the public site at once, home page included.
    let token = op.csrf_of(&format!("/staf/desa/{v}/berita/{id}")).await;
    op.post(
        &format!("/staf/desa/{v}/berita/{id}/terbit"),
        &[("_csrf", &token), ("terbit", "0")],
    )
    .await;
    assert_eq!(
        visitor
            .get(&format!("/desa/{v}/berita/{slug}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(!visitor.get(&format!("/desa/{v}")).await.body.contains(slug));
}

#[tokio::test]
async fn the_home_page_shows_aggregates_and_answers_304_and_404() {
    let app = app(1, 40).await;
    let v = &app.villages[0];
    let mut visitor = Client::at(&app, "203.0.113.21");
    let home = visitor.get(&format!("/desa/{v}")).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Angka kunci") && home.body.contains("Penduduk"));
    let etag = home.headers[header::ETAG].to_str().unwrap().to_string();
    let again = get_with(
        &mut visitor,
        &format!("/desa/{v}"),
        header::IF_NONE_MATCH,
        &etag,
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let gz = get_with(
        &mut visitor,
        &format!("/desa/{v}"),
        header::ACCEPT_ENCODING,
        "gzip",
    )
    .await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    for uri in [
        "/desa/3310999999".to_string(),
        "/desa/33.10".to_string(),
        "/desa/xyz".to_string(),
        "/desa/3310999999/berita".to_string(),
        "/desa/3310999999/agenda".to_string(),
        "/desa/3310999999/sitemap.xml".to_string(),
        format!("/desa/{v}/agenda/not-an-id"),
        format!("/desa/{v}/agenda/0190f3a0-0000-7000-8000-000000000000"),
    ] {
        assert_eq!(
            visitor.get(&uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    // HEAD works as GET does (no 500).
    let head = visitor
        .send(Method::HEAD, &format!("/desa/{v}"), None, Vec::new())
        .await;
    assert_eq!(head.status, StatusCode::OK);
    // No resident's data on it: no 16-digit number anywhere.
    let digits: Vec<&str> = home
        .body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| s.len() >= 16)
        .collect();
    assert!(digits.is_empty(), "{digits:?}");
}

#[tokio::test]
async fn a_village_host_name_serves_that_villages_site_and_the_server_its_own_pages() {
    let app = common::app_with_villages(2, 30, |state, villages| {
        let hosts = [("Sengon.Desa.ID".to_string(), villages[0].clone())].into();
        *state = state
            .clone()
            .with_village_hosts(balai_web::VillageHosts::parse(&hosts).unwrap());
    })
    .await;
    let (a, b) = (app.villages[0].clone(), app.villages[1].clone());
    let mut visitor = Client::at(&app, "203.0.113.40");
    let on_host = |c: &mut Client, host: &str| {
        c.extra_headers = vec![(header::HOST.to_string(), host.to_string())];
    };
    on_host(&mut visitor, "sengon.desa.id");
    let home = visitor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let direct = Client::at(&app, "203.0.113.41")
        .get(&format!("/desa/{a}"))
        .await;
    assert_eq!(home.body, direct.body, "/ is the village's home page");
    for (path, same) in [
        ("/berita".to_string(), format!("/desa/{a}/berita")),
        (
            "/statistik/agama".to_string(),
            format!("/desa/{a}/statistik/agama"),
        ),
        ("/sitemap.xml".to_string(), format!("/desa/{a}/sitemap.xml")),
    ] {
        let there = visitor.get(&path).await;
        assert_eq!(there.status, StatusCode::OK, "{path}");
        let here = Client::at(&app, "203.0.113.42").get(&same).await;
        assert_eq!(there.body, here.body, "{path}");
    }
    // Links the pages print (`/desa/{kode}/…`) work as they are (the agenda
    // carries a per-visitor form token, so only its title is compared).
    let agenda = visitor.get(&format!("/desa/{a}/agenda")).await;
    assert_eq!(agenda.status, StatusCode::OK);
    assert!(agenda.body.contains("<title>Agenda · "), "{}", agenda.body);
    // The server's own pages stay theirs, in any case and with a port.
    on_host(&mut visitor, "SENGON.desa.id:8443");
    assert_eq!(visitor.get("/masuk").await.status, StatusCode::OK);
    assert_eq!(visitor.get("/healthz").await.status, StatusCode::OK);
    let api = visitor.get(&format!("/api/desa/{b}")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(
        visitor.get("/tidak-ada").await.status,
        StatusCode::NOT_FOUND
    );
    // Another host (the regency server's own name) keeps the front page.
    on_host(&mut visitor, "balai.klatenkab.go.id");
    let front = visitor.get("/").await;
    assert_eq!(front.status, StatusCode::OK);
    assert_ne!(front.body, home.body);
    assert_eq!(
        visitor.get("/berita").await.status,
        StatusCode::NOT_FOUND,
        "no village site at the server's own name"
    );
}

/// Checks a sign-up number on the agenda page.
async fn check(c: &mut Client, v: &str, number: String) -> common::Response {
    let agenda = format!("/desa/{v}/agenda");
    let page = c.get(&agenda).await;
    c.post(
        &format!("{agenda}/cek"),
        &[("_csrf", &csrf(&page.body)), ("nomor", &number)],
    )
    .await
}

#[tokio::test]
async fn visitors_sign_up_wait_move_up_and_follow_their_number_and_nobody_sees_their_names() {
    let app = app(1, 20).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let aid = activity(&mut op, v, "1").await;
    let uri = format!("/desa/{v}/agenda/{aid}");

    let mut ani = Client::at(&app, "203.0.113.30");
    let page = ani.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Posyandu balita") && !page.body.contains("<script"));
    // A bad form comes back with what was typed and a message per field.
    let bad = ani
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "A"),
                ("kontak", "<i>"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"e-nama\"") && bad.body.contains("id=\"e-kontak\""));
    assert!(
        bad.body.contains("value=\"&lt;i&gt;\""),
        "typed values kept, escaped"
    );
    let ok = ani
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&bad.body)),
                ("nama", "Ani Rahayu"),
                ("kontak", "081234567801"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let ani_ref = by_id(&ok.body, "nomor-pendaftaran");
    assert!(ani_ref.starts_with("AGD-2026-0001-"), "{ani_ref}");

    let mut budi = Client::at(&app, "203.0.113.31");
    let page = budi.get(&uri).await;
    let waiting = budi
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Budi Santoso"),
                ("kontak", "081234567802"),
            ],
        )
        .await;
    assert!(
        waiting.body.contains("Anda masuk daftar tunggu"),
        "{}",
        waiting.body
    );
    let budi_ref = by_id(&waiting.body, "nomor-pendaftaran");

    let seen = check(&mut budi, v, budi_ref.to_lowercase()).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(by_id(&seen.body, "status-pendaftaran"), "Menunggu");

    // The operator sees both, with their contacts, and cancels Ani: Budi moves up.
    let staff_page = op.get(&format!("/staf/desa/{v}/agenda/{aid}")).await;
    assert!(staff_page.body.contains("Ani Rahayu") && staff_page.body.contains("081234567802"));
    assert_eq!(staff_page.headers[header::CACHE_CONTROL], "no-store");
    let signups = common::ids(&staff_page.body, "batal");
    assert_eq!(signups.len(), 2);
    let r = op
        .post(
            &format!("/staf/desa/{v}/agenda/{aid}/batal/{}", signups[0]),
            &[("_csrf", &csrf(&staff_page.body))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let seen = check(&mut budi, v, budi_ref.clone()).await;
    assert_eq!(by_id(&seen.body, "status-pendaftaran"), "Terdaftar");
    let seen = check(&mut ani, v, ani_ref.clone()).await;
    assert_eq!(by_id(&seen.body, "status-pendaftaran"), "Dibatalkan");

    // Wrong numbers: one answer for all of them.
    let mut answers = Vec::new();
    let mut guessed = budi_ref.clone();
    let last = guessed.pop().unwrap();
    guessed.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [
        guessed,
        "AGD-2026-0077-AAAAAA".into(),
        "xyz".into(),
        "".into(),
    ] {
        let r = check(&mut budi, v, wrong.clone()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(r.body.contains("Nomor pendaftaran tidak ditemukan"));
        answers.push(r.body.replace(&csrf(&r.body), ""));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the answers differ"
    );

    // Privacy: no name or phone on any public page.
    let mut stranger = Client::at(&app, "203.0.113.32");
    for uri in [
        format!("/desa/{v}"),
        format!("/desa/{v}/agenda"),
        format!("/desa/{v}/agenda/{aid}"),
        format!("/desa/{v}/berita"),
        format!("/desa/{v}/berita.atom"),
        format!("/desa/{v}/sitemap.xml"),
    ] {
        let r = stranger.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        for secret in ["Ani Rahayu", "Budi Santoso", "081234567801", "081234567802"] {
            assert!(!r.body.contains(secret), "{secret} on {uri}");
        }
    }
    let seen = check(&mut stranger, v, ani_ref).await;
    for secret in ["Ani Rahayu", "081234567801"] {
        assert!(!seen.body.contains(secret), "{secret} on the check page");
    }

    // Forged and bot-filled forms are refused, nothing stored.
    let page = stranger.get(&uri).await;
    let r = stranger
        .post(
            &uri,
            &[
                ("_csrf", "forged"),
                ("nama", "Bot Satu"),
                ("kontak", "0800000000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = stranger
        .post(
            &uri,
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Bot Dua"),
                ("kontak", "0800000000"),
                ("situs", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let staff_page = op.get(&format!("/staf/desa/{v}/agenda/{aid}")).await;
    assert!(!staff_page.body.contains("Bot "));
}

#[tokio::test]
async fn another_villages_staff_and_the_regency_get_404_on_every_site_staff_page() {
    let app = app(2, 20).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let nid = publish(
        &mut op,
        v,
        "Rapat desa",
        "rapat-desa",
        "Rapat di balai desa.",
    )
    .await;
    let aid = activity(&mut op, v, "5").await;
    let mut visitor = Client::at(&app, "203.0.113.40");
    let page = visitor.get(&format!("/desa/{v}/agenda/{aid}")).await;
    visitor
        .post(
            &format!("/desa/{v}/agenda/{aid}"),
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Sri Wahyuni"),
                ("kontak", "081200000009"),
            ],
        )
        .await;
    let staff_page = op.get(&format!("/staf/desa/{v}/agenda/{aid}")).await;
    let sid = common::ids(&staff_page.body, "batal")[0].clone();

    for who in [
        "admin.klaten".to_string(),
        format!("operator.{}", slug(&app, 1).await),
    ] {
        let mut c = Client::new(&app);
        c.login(&who).await;
        let token = c.csrf_of("/staf/akun").await;
        for uri in [
            format!("/staf/desa/{v}/berita"),
            format!("/staf/desa/{v}/berita/baru"),
            format!("/staf/desa/{v}/berita/{nid}"),
            format!("/staf/desa/{v}/agenda"),
            format!("/staf/desa/{v}/agenda/baru"),
            format!("/staf/desa/{v}/agenda/{aid}"),
            format!("/staf/desa/{v}/profil"),
        ] {
            let r = c.get(&uri).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} GET {uri}");
            assert!(!r.body.contains("Sri Wahyuni"));
        }
        for uri in [
            format!("/staf/desa/{v}/berita/baru"),
            format!("/staf/desa/{v}/berita/{nid}"),
            format!("/staf/desa/{v}/berita/{nid}/terbit"),
            format!("/staf/desa/{v}/agenda/baru"),
            format!("/staf/desa/{v}/agenda/{aid}"),
            format!("/staf/desa/{v}/agenda/{aid}/batal/{sid}"),
            format!("/staf/desa/{v}/profil"),
        ] {
            let r = c
                .post(
                    &uri,
                    &[
                        ("_csrf", &token),
                        ("terbit", "0"),
                        ("judul", "Diubah orang lain"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} POST {uri}");
        }
    }
    // Nothing changed: the post is still published, the sign-up still there.
    assert_eq!(
        visitor
            .get(&format!("/desa/{v}/berita/rapat-desa"))
            .await
            .status,
        StatusCode::OK
    );
    let staff_page = op.get(&format!("/staf/desa/{v}/agenda/{aid}")).await;
    assert!(staff_page.body.contains("Sri Wahyuni") && staff_page.body.contains("Terdaftar"));

    // The village head reads the editor but may not write.
    let mut head = Client::new(&app);
    head.login(&format!("kades.{}", slug(&app, 0).await)).await;
    let list = head.get(&format!("/staf/desa/{v}/berita")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list.body.contains("/berita/baru\""),
        "no write button for the head"
    );
    let token = csrf(&list.body);
    let r = head
        .post(
            &format!("/staf/desa/{v}/berita/{nid}/terbit"),
            &[("_csrf", &token), ("terbit", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_up_and_check_posts_are_rate_limited_per_address() {
    let app = app(1, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let aid = activity(&mut op, v, "50").await;
    let mut flood = Client::at(&app, "203.0.113.50");
    let page = flood.get(&format!("/desa/{v}/agenda/{aid}")).await;
    let token = csrf(&page.body);
    let mut limited = None;
    for i in 0..40 {
        let uri = if i % 2 == 0 {
            format!("/desa/{v}/agenda/{aid}")
        } else {
            format!("/desa/{v}/agenda/cek")
        };
        let r = flood
            .post(
                &uri,
                &[
                    ("_csrf", &token),
                    ("nama", "Banjir Pendaftar"),
                    ("kontak", "0800000001"),
                    ("nomor", "AGD-2026-0001-AAAAAA"),
                ],
            )
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.headers.contains_key(header::RETRY_AFTER));
            limited = Some(i);
            break;
        }
    }
    assert!(
        matches!(limited, Some(i) if i >= 20),
        "limited after {limited:?}"
    );
    // Another address still gets in.
    let mut neighbour = Client::at(&app, "203.0.113.51");
    let page = neighbour.get(&format!("/desa/{v}/agenda/{aid}")).await;
    let r = neighbour
        .post(
            &format!("/desa/{v}/agenda/{aid}"),
            &[
                ("_csrf", &csrf(&page.body)),
                ("nama", "Tetangga Baik"),
                ("kontak", "0800000002"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A JPEG of `w`×`h` with an EXIF segment holding a marker text.
fn photo_with_exif(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 120, 60]));
    let mut plain = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut plain))
        .unwrap();
    let mut payload = b"Exif\0\0II*\0\x08\0\0\0\0\0".to_vec();
    payload.extend_from_slice(b"GPS-SECRET-LOCATION");
    let len = u16::try_from(payload.len() + 2).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&plain[2..]);
    out
}

async fn upload(c: &mut Client, uri: &str, token: &str, bytes: &[u8]) -> common::Response {
    let b = "----balai-test-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{b}\r\nContent-Disposition: form-data; name=\"gambar\"; filename=\"foto.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    c.send(
        Method::POST,
        uri,
        Some(&format!("multipart/form-data; boundary={b}")),
        body,
    )
    .await
}

#[tokio::test]
async fn a_news_photo_is_scaled_stripped_of_exif_and_public_only_with_its_post() {
    let app = app(2, 10).await;
    let v = &app.villages[0];
    let mut op = operator(&app, 0).await;
    let nid = publish(&mut op, v, "Pasar desa", "pasar-desa", "Pasar desa dibuka.").await;
    let editor = format!("/staf/desa/{v}/berita/{nid}");
    let token = op.csrf_of(&editor).await;
    let r = upload(
        &mut op,
        &format!("{editor}/gambar"),
        &token,
        &photo_with_exif(2000, 1000),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = op.get(&editor).await.body.replace("&#x2f;", "/");
    assert!(page.contains("1200×600"), "scaled to 1200 across");
    let marker = format!("/desa/{v}/gambar/");
    let at = page.find(&marker).expect("the photo's address") + marker.len();
    let url = format!("{marker}{}", &page[at..at + 40]);
    assert!(url.ends_with(".jpg"), "{url}");

    // Not a photo, a forged token: refused, with a message on the form.
    let bad = upload(
        &mut op,
        &format!("{editor}/gambar"),
        &token,
        b"<svg onload=alert(1)>",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("bukan foto"));
    let forged = upload(
        &mut op,
        &format!("{editor}/gambar"),
        "forged",
        &photo_with_exif(10, 10),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The public gets the re-encoded JPEG, without the EXIF marker.
    let mut visitor = Client::at(&app, "203.0.113.60");
    let img = visitor.get(&url).await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(&img.bytes[..2], &[0xFF, 0xD8]);
    assert!(!img.bytes.windows(19).any(|w| w == b"GPS-SECRET-LOCATION"));
    // Another village's address for it, or a withdrawn post: not found.
    let other = &app.villages[1];
    assert_eq!(
        visitor.get(&url.replace(v.as_str(), other)).await.status,
        StatusCode::NOT_FOUND
    );
    let token = op.csrf_of(&editor).await;
    op.post(
        &format!("{editor}/terbit"),
        &[("_csrf", &token), ("terbit", "0")],
    )
    .await;
    assert_eq!(visitor.get(&url).await.status, StatusCode::NOT_FOUND);

    // Another village's operator cannot add one.
    let mut stranger = operator(&app, 1).await;
    let token = stranger.csrf_of("/staf/akun").await;
    let r = upload(
        &mut stranger,
        &format!("{editor}/gambar"),
        &token,
        &photo_with_exif(10, 10),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_regency_landing_lists_its_villages_links_their_sites_and_answers_304_and_404() {
    let app = app(2, 40).await;
    let mut c = Client::new(&app);
    let page = c.get("/kabupaten/3310").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<h1>Kabupaten Klaten</h1>"),
        "{}",
        page.body
    );
    for v in &app.villages {
        assert!(page.body.contains(&format!("href=\"/desa/{v}\"")), "{v}");
    }
    assert_eq!(by_id(&page.body, "jumlah-desa"), "2");
    // The regency's total is the sum of the villages the front page lists.
    let front = c.get("/").await;
    assert!(front.body.contains("href=\"/kabupaten/3310\""));
    let total: i64 = app
        .store
        .village_summaries(None)
        .await
        .unwrap()
        .iter()
        .map(|s| s.population)
        .sum();
    assert_eq!(
        by_id(&page.body, "jumlah-penduduk").replace('.', ""),
        total.to_string()
    );
    // The village's home page links back to its regency.
    let home = c.get(&format!("/desa/{}", app.villages[0])).await;
    assert!(home.body.contains("href=\"/kabupaten/3310\""));
    let etag = page
        .headers
        .get(header::ETAG)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let again = get_with(&mut c, "/kabupaten/3310", header::IF_NONE_MATCH, &etag).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    for bad in [
        "/kabupaten/3311",
        "/kabupaten/33",
        "/kabupaten/x",
        "/kabupaten/3310012001",
    ] {
        assert_eq!(c.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn the_regency_lists_a_public_service_that_every_village_site_and_kiosk_shows() {
    let app = app(2, 40).await;
    let (a, b) = (&app.villages[0], &app.villages[1]);
    let mut admin = Client::new(&app);
    admin.login("admin.klaten").await;
    let token = admin.csrf_of("/staf/kabupaten/layanan").await;
    let fields = [
        ("_csrf", token.as_str()),
        ("topik", "kesehatan"),
        ("nama", "Puskesmas <b>Klaten</b>"),
        ("keterangan", "Imunisasi dan KIA"),
        ("tempat", "Jl. Pemuda 10"),
        ("jam", ""),
        ("kontak", "0272 321000"),
    ];
    let bad = admin.post("/staf/kabupaten/layanan", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("tulis jam layanan"), "{}", bad.body);
    assert!(bad.body.contains("Jl. Pemuda 10"), "typed values kept");
    let mut fields = fields.to_vec();
    fields[5] = ("jam", "Senin–Sabtu 07.30–14.00");
    let ok = admin.post("/staf/kabupaten/layanan", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let mut visitor = Client::new(&app);
    for v in [a, b] {
        let page = visitor.get(&format!("/desa/{v}/layanan-publik")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Puskesmas &lt;b&gt;Klaten&lt;&#x2f;b&gt;"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Senin–Sabtu 07.30–14.00"));
        let kiosk = visitor.get(&format!("/anjungan/{v}/info")).await;
        assert!(
            kiosk.body.contains("id=\"layanan-publik\""),
            "{}",
            kiosk.body
        );
        assert!(kiosk.body.contains("Imunisasi dan KIA"));
    }
    // A facilitator and a village operator have no editor.
    let mut f = Client::new(&app);
    f.login("pendamping.klaten").await;
    assert_eq!(
        f.get("/staf/kabupaten/layanan").await.status,
        StatusCode::NOT_FOUND
    );
    let mut op = Client::new(&app);
    op.login(&format!("operator.{}", slug(&app, 0).await)).await;
    assert_eq!(
        op.get("/staf/kabupaten/layanan").await.status,
        StatusCode::NOT_FOUND
    );
    let t = op.csrf_of(&format!("/staf/desa/{a}")).await;
    let forged = op
        .post(
            "/staf/kabupaten/layanan",
            &[
                ("_csrf", t.as_str()),
                ("topik", "kesehatan"),
                ("nama", "X"),
                ("keterangan", "X"),
                ("tempat", "X"),
                ("jam", "X"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.get("/desa/3310012999/layanan-publik").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_operator_writes_the_village_profile_that_visitors_read_safely() {
    let app = app(2, 20).await;
    let v = &app.villages[0];
    let mut visitor = Client::at(&app, "203.0.113.50");
    let empty = visitor.get(&format!("/desa/{v}/profil")).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("id=\"profil-kosong\""));
    assert!(
        visitor
            .get(&format!("/desa/{v}"))
            .await
            .body
            .contains(&format!("/desa/{v}/profil"))
    );

    let mut op = operator(&app, 0).await;
    let at = format!("/staf/desa/{v}/profil");
    let token = op.csrf_of(&at).await;
    let fields = |luas: &'static str, telepon: &'static str| {
        vec![
            ("alamat_kantor", "Jl. Raya <b>Sengon</b> No. 1"),
            ("telepon", telepon),
            ("surel", "pemdes@sengon.desa.id"),
            ("luas", luas),
            ("batas_utara", "Desa Krajan"),
            ("batas_timur", "Desa Wetan"),
            ("batas_selatan", "Sungai Dengkeng"),
            ("batas_barat", "Desa Kulon"),
            ("lintang", "-7.7051"),
            ("bujur", "110.6012"),
            ("sejarah", "Berdiri pada **1912**.<script>alert(1)</script>"),
            ("visi", "Desa yang melayani."),
            ("misi", "- Melayani warga\n- Membangun bersama"),
            ("lembaga", "- LPM\n- PKK"),
        ]
    };
    // A bad form: each field named, everything typed kept.
    let mut bad = vec![("_csrf", token.as_str())];
    bad.extend(fields("empat", "12"));
    let r = op.post(&at, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-luas\"") && r.body.contains("id=\"e-telepon\""));
    assert!(
        r.body.contains("value=\"Desa Krajan\""),
        "typed values kept"
    );
    assert!(
        visitor
            .get(&format!("/desa/{v}/profil"))
            .await
            .body
            .contains("profil-kosong")
    );
    // A forged token changes nothing.
    let mut forged = vec![("_csrf", "bukan-token")];
    forged.extend(fields("4,25", "(0272) 321000"));
    assert_eq!(op.post(&at, &forged).await.status, StatusCode::FORBIDDEN);

    let mut good = vec![("_csrf", token.as_str())];
    good.extend(fields("4,25", "(0272) 321000"));
    let r = op.post(&at, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let editor = op.get(&common::location(&r)).await;
    assert!(editor.body.contains("id=\"profil-tersimpan\""));

    let page = visitor.get(&format!("/desa/{v}/profil")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "4,25 km²",
        "Sungai Dengkeng",
        "<strong>1912</strong>",
        "<li>Melayani warga</li>",
        "Jl. Raya &lt;b&gt;Sengon&lt;&#x2f;b&gt; No. 1",
    ] {
        assert!(page.body.contains(shown), "{shown} not in {}", page.body);
    }
    assert!(
        !page.body.contains("<script>alert"),
        "the history's script is gone"
    );
    assert!(!page.body.contains("<b>Sengon"), "the address is escaped");
    // The other village's profile stays empty; the API carries this one.
    let other = &app.villages[1];
    assert!(
        visitor
            .get(&format!("/desa/{other}/profil"))
            .await
            .body
            .contains("profil-kosong")
    );
    let api: serde_json::Value =
        serde_json::from_str(&visitor.get(&format!("/api/desa/{v}")).await.body).unwrap();
    assert_eq!(api["profile"]["area_km2"], "4.25");
    assert_eq!(api["profile"]["boundaries"]["south"], "Sungai Dengkeng");

    // The head reads the editor without a save button, and may not save.
    let mut head = Client::new(&app);
    head.login(&format!("kades.{}", slug(&app, 0).await)).await;
    let page = head.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"simpan-profil\""));
    let mut tried = vec![("_csrf", csrf(&page.body))];
    tried.extend(
        fields("9,99", "")
            .into_iter()
            .map(|(k, v)| (k, v.to_string())),
    );
    let tried: Vec<(&str, &str)> = tried.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(head.post(&at, &tried).await.status, StatusCode::FORBIDDEN);
    assert!(
        visitor
            .get(&format!("/desa/{v}/profil"))
            .await
            .body
            .contains("4,25 km²")
    );
}
