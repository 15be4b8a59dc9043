//! Indonesian everywhere (issue 9 part 7): every GET page a staff member
//! (operator, head, regency administrator, facilitator), a resident
//! (self-service site and kiosk) or a visitor (public site) can reach by
//! following links, and the errors of the main forms posted with bad input,
//! show no English word, no raw catalogue key or `snake_case` code, no
//! UTC offset and no ISO date in their visible text (what is inside a
//! `textarea` or `code` is data, not interface). The reverse is checked
//! for the English interface where it is cheap: no raw catalogue key.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use axum::http::StatusCode;
use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use common::{App, Client, app, location};

/// English words that are not Indonesian words too (so "status", "data",
/// "input", "email", "server", "kode" are not here), written as a
/// village office would never write them in the Indonesian interface.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "for",
    "with",
    "from",
    "this",
    "that",
    "is",
    "are",
    "was",
    "were",
    "not",
    "cannot",
    "can't",
    "must",
    "should",
    "expected",
    "found",
    "invalid",
    "error",
    "failed",
    "unknown",
    "required",
    "please",
    "submit",
    "save",
    "delete",
    "edit",
    "cancel",
    "name",
    "date",
    "search",
    "login",
    "logout",
    "password",
    "user",
    "username",
    "resident",
    "residents",
    "family",
    "letter",
    "letters",
    "village",
    "head",
    "leaving",
    "record",
    "whose",
    "digits",
    "characters",
    "population",
    "import",
    "export",
    "back",
    "next",
    "previous",
    "yes",
    "page",
    "home",
    "settings",
    "none",
    "empty",
    "missing",
    "too",
    "long",
    "short",
    "only",
    "between",
    "before",
    "after",
    "than",
    "position",
    "positions",
    "has",
    "have",
    "already",
    "while",
    "online",
    "birth",
    "death",
    "certificate",
    "insurance",
    "recording",
    "view",
    "views",
    "viewed",
    "changed",
    "created",
    "updated",
    "it",
    "at",
    "be",
    "been",
    "there",
    "which",
    "when",
    "where",
    "who",
    "what",
    "why",
    "how",
    // Seen on pages added later (the pillars' glosses, SIAK's e-KTP steps,
    // the import form, the site editor) and their neighbours.
    "smart",
    "economy",
    "environment",
    "government",
    "people",
    "mobility",
    "society",
    "living",
    "card",
    "issued",
    "printed",
    "shipped",
    "ready",
    "sent",
    "printing",
    "workbook",
    "cookie",
    "slug",
    "upload",
    "download",
    "file",
    "link",
    "report",
    "reports",
    "year",
    "month",
    "week",
    "day",
    "today",
    "show",
    "print",
    "pillar",
    "pillars",
    "figure",
    "score",
    "kiosk",
    "ticket",
    "queue",
    "request",
    "requests",
    "officials",
    "list",
    "open",
    "closed",
    "new",
    "all",
    "by",
    "to",
    "on",
    "in",
    "or",
    "you",
    "your",
    "my",
    "will",
    "done",
    "signed",
    "signature",
    "welcome",
    "hello",
    "thank",
    "sorry",
    "help",
    "touch",
    "keyboard",
    "button",
    "choose",
    "select",
];

/// The Indonesian catalogue's keys: shown as text, they are a leak.
fn catalogue_keys() -> BTreeSet<String> {
    include_str!("../locales/id.ftl")
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.starts_with('#') && !k.is_empty() && k.contains('-'))
        .collect()
}

/// The text a reader sees: tags, comments, scripts, styles and attribute
/// values left out, the common entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            let rest = &lower[i..];
            let skip_to = if rest.starts_with("<!--") {
                rest.find("-->").map(|e| e + 3)
            } else if rest.starts_with("<script") {
                rest.find("</script>").map(|e| e + 9)
            } else if rest.starts_with("<style") {
                rest.find("</style>").map(|e| e + 8)
            } else if rest.starts_with("<textarea") {
                // What was typed or a village's template source: not interface text.
                rest.find("</textarea>").map(|e| e + 11)
            } else if rest.starts_with("<code") {
                rest.find("</code>").map(|e| e + 7)
            } else {
                // A tag: skip to its end, over quoted attribute values.
                let mut j = 1;
                let mut quote = None;
                let rb = rest.as_bytes();
                while j < rb.len() {
                    match (quote, rb[j]) {
                        (None, b'"' | b'\'') => quote = Some(rb[j]),
                        (Some(q), c) if c == q => quote = None,
                        (None, b'>') => break,
                        _ => {}
                    }
                    j += 1;
                }
                Some(j + 1)
            };
            out.push(' ');
            i += skip_to.unwrap_or(rest.len());
        } else {
            let next = html[i..].find('<').map_or(html.len(), |n| i + n);
            out.push_str(&html[i..next]);
            i = next;
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
}

/// What in `text` should not be in the Indonesian interface.
fn leaks(text: &str, keys: &BTreeSet<String>, indonesian: bool) -> Vec<String> {
    let mut found = Vec::new();
    let raws: Vec<&str> = text.split_whitespace().collect();
    for (i, &raw) in raws.iter().enumerate() {
        // Addresses, file names and `{tokens}` of a letter number format are
        // not words; «what was typed» is quoted back as it was typed.
        if raw.contains('/') || raw.contains('@') || raw.contains('{') || raw.starts_with('«') {
            continue;
        }
        let token = raw.trim_matches(|c: char| {
            !(c.is_alphanumeric() || c == '_' || c == '-' || c == ':' || c == '+' || c == '\'')
        });
        let token = token.trim_end_matches(':');
        if token.is_empty() {
            continue;
        }
        if keys.contains(token) {
            found.push(format!("catalogue key {token:?}"));
            continue;
        }
        let letters = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase());
        if token.contains('_')
            && token
                .split('_')
                .all(|p| letters(p) || p.chars().all(|c| c.is_ascii_digit()))
            && token.chars().any(|c| c.is_ascii_lowercase())
        {
            found.push(format!("raw key {token:?}"));
            continue;
        }
        // `cli:demo:unknown`, `warga:online:…`: an actor as stored.
        if token.matches(':').count() >= 2 && token.split(':').next().is_some_and(letters) {
            found.push(format!("raw actor {token:?}"));
            continue;
        }
        if !indonesian {
            continue;
        }
        if token.starts_with('+')
            && token[1..].starts_with(|c: char| c.is_ascii_digit())
            && token.contains(':')
        {
            found.push(format!("UTC offset {token:?}"));
            continue;
        }
        // ISO dates belong inside inputs only.
        let t = token.as_bytes();
        if t.len() >= 10
            && t[..4].iter().all(u8::is_ascii_digit)
            && t[4] == b'-'
            && t[5..7].iter().all(u8::is_ascii_digit)
            && t[7] == b'-'
            && t[8..10].iter().all(u8::is_ascii_digit)
        {
            found.push(format!("ISO date {token:?}"));
            continue;
        }
        // Nor `02-12-2026`: pages write dates one way, in words. Only an
        // example of what to type into a text field (`mis. 17-08-2026`) is numeric.
        if t.len() == 10
            && t[..2].iter().all(u8::is_ascii_digit)
            && t[2] == b'-'
            && t[3..5].iter().all(u8::is_ascii_digit)
            && t[5] == b'-'
            && t[6..].iter().all(u8::is_ascii_digit)
        {
            if i == 0 || raws[i - 1] != "mis." {
                found.push(format!("numeric date {token:?}"));
            }
            continue;
        }
        // Keys, hashes and codes mix letters and digits: no words in them.
        if token.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for word in token.split(|c: char| !c.is_ascii_alphabetic() && c != '\'') {
            let w = word.to_ascii_lowercase();
            // A short word in capitals is an abbreviation (`RT`, `KK`, `IT`);
            // longer ones are code labels or names, read as words too
            // (SIAK's `CARD ISSUED` came through a code list's label).
            if (2..4).contains(&word.len()) && word.chars().all(|c| c.is_ascii_uppercase()) {
                continue;
            }
            if ENGLISH.contains(&w.as_str()) {
                found.push(format!("English {word:?} in {raw:?}"));
            }
        }
    }
    found
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The shape of a path: ids and numbers made one, so a crawl visits each
/// kind of page a few times, not every resident. A query's words stay (the
/// letter form of each `jenis`, each request `status` is its own page).
fn shape(path: &str) -> String {
    let general = |seg: &str| {
        if seg.len() >= 8 && seg.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            "{id}".to_string()
        } else if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit() || c == '-') {
            "{n}".to_string()
        } else {
            seg.to_string()
        }
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out = path.split('/').map(general).collect::<Vec<_>>().join("/");
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            format!("{k}={}", general(v))
        })
        .collect();
    params.sort();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// The links of a page, as paths on this site.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let tail = &rest[i + 6..];
        let end = tail.find('"').unwrap_or(tail.len());
        // minijinja escapes `/` in values: `&#x2f;layanan&#x2f;…`.
        let href = tail[..end]
            .replace("&#x2f;", "/")
            .replace("&#x3d;", "=")
            .replace("&amp;", "&");
        if href.starts_with('/') && !href.starts_with("//") {
            out.push(href.split('#').next().unwrap_or("").to_string());
        }
        rest = &tail[end..];
    }
    out
}

/// Pages not to follow: files, logouts, language switches.
fn skipped(path: &str) -> bool {
    path.starts_with("/static/")
        || path.starts_with("/bahasa/")
        || path.ends_with("/keluar")
        || path.ends_with("/pdf")
        || path.contains("/ekspor")
        || path.ends_with(".xml")
        || path.ends_with(".atom")
        || path.ends_with(".webmanifest")
        || path.ends_with(".js")
        || path.contains("/gambar/")
        || path.contains("format=")
}

/// Visits what `c` can reach from `roots` (at most `per_shape` pages of
/// each shape) and returns every leak found, page by page.
async fn crawl(
    c: &mut Client,
    roots: &[String],
    within: &[&str],
    indonesian: bool,
    per_shape: usize,
) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let keys = catalogue_keys();
    let mut seen = BTreeSet::new();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue: VecDeque<String> = roots.iter().cloned().collect();
    let mut found = BTreeMap::new();
    let mut visited = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || skipped(&path) {
            continue;
        }
        if !within.iter().any(|w| path.starts_with(w)) {
            continue;
        }
        let n = shapes.entry(shape(&path)).or_default();
        if *n >= per_shape {
            continue;
        }
        *n += 1;
        let res = c.get(&path).await;
        visited.insert(shape(&path));
        if res.status.is_redirection() {
            queue.push_back(location(&res));
            continue;
        }
        assert!(
            res.status != StatusCode::INTERNAL_SERVER_ERROR,
            "{path}: {}",
            res.body
        );
        let is_html = res
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !is_html {
            continue;
        }
        let l = leaks(&visible_text(&res.body), &keys, indonesian);
        if !l.is_empty() {
            found.insert(path.clone(), l);
        }
        for link in links(&res.body) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    (visited, found)
}

fn report(found: &BTreeMap<String, Vec<String>>) -> String {
    let mut s = String::new();
    for (page, l) in found {
        let mut l = l.clone();
        l.dedup();
        s.push_str(&format!("\n{page}:\n    {}", l.join("\n    ")));
    }
    s
}

async fn staff(app: &App, username: &str) -> Client {
    let mut c = Client::new(app);
    let r = c.login(username).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{username}");
    c
}

/// A resident of village 0 logged in at `base` with a new PIN.
async fn resident(app: &App, op: &mut Client, base: &str) -> Client {
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
    c.post(
        &format!("{base}/masuk"),
        &[("_csrf", &token), ("nik", &nik), ("pin", &pin)],
    )
    .await;
    let token = c.csrf_of(&format!("{base}/pin")).await;
    let res = c
        .post(
            &format!("{base}/pin"),
            &[
                ("_csrf", &token),
                ("pin_lama", &pin),
                ("pin_baru", "604182"),
                ("pin_ulang", "604182"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    c
}

#[tokio::test]
async fn no_english_raw_key_utc_offset_or_iso_date_on_any_indonesian_page() {
    let app = app(2, 80).await;
    let s = app.store.village_summaries(None).await.unwrap();
    let v = app.villages[0].clone();
    let village = slug(&s[0].village.name);
    let mut all = BTreeMap::new();
    let mut total = 0;
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();

    // Pages that exist only with data: a request sent from home, and a
    // letter made at the desk waiting for the head's signature.
    let mut op = staff(&app, &format!("operator.{village}")).await;
    let base = format!("/layanan/{v}");
    let mut home = resident(&app, &mut op, &base).await;
    let token = home.csrf_of(&format!("{base}/surat?jenis=domisili")).await;
    let sent = home
        .post(
            &format!("{base}/surat"),
            &[
                ("_csrf", token.as_str()),
                ("jenis", "domisili"),
                ("keperluan", "Mendaftarkan anak ke sekolah dasar"),
                ("alamat_domisili", "Dusun Krajan RT 001 RW 002"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let (_, residents) = app
        .store
        .village_population(KodeWilayah::parse(&v).unwrap())
        .await
        .unwrap();
    let nik = residents
        .iter()
        .rev()
        .find(|r| r.status == StatusDasar::Hidup && !r.number.is_temporary())
        .unwrap()
        .number
        .to_string();
    let desk = format!("/staf/desa/{v}/surat/baru");
    let token = op
        .csrf_of(&format!("{desk}?jenis=domisili&nik={nik}"))
        .await;
    let sent = op
        .post(
            &desk,
            &[
                ("_csrf", token.as_str()),
                ("jenis", "domisili"),
                ("nik", nik.as_str()),
                ("alamat_domisili", "Dusun Krajan"),
                ("keperluan", "Melamar pekerjaan di kabupaten"),
                ("penandatangan", "kades"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // A public-information request filed by a visitor, and its tracking
    // page (reached by a form, not a link).
    let mut asker = Client::new(&app);
    let form = format!("/desa/{v}/informasi-publik/permohonan");
    let token = asker.csrf_of(&form).await;
    let filed = asker
        .post(
            &form,
            &[
                ("_csrf", token.as_str()),
                ("nama", "Siti Rahayu"),
                ("kontak", "081234567890"),
                ("informasi", "Salinan APBDes tahun ini"),
                ("tujuan", "Bahan musyawarah warga"),
                ("cara", "2"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let i = filed.body.find("id=\"nomor-registrasi\">").unwrap() + 22;
    let number = filed.body[i..i + filed.body[i..].find('<').unwrap()].to_string();
    let track = format!("/desa/{v}/informasi-publik/lacak");
    let token = asker.csrf_of(&track).await;
    let tracked = asker
        .post(
            &track,
            &[("_csrf", token.as_str()), ("nomor", number.as_str())],
        )
        .await;
    assert_eq!(tracked.status, StatusCode::OK);
    let l = leaks(&visible_text(&tracked.body), &catalogue_keys(), true);
    if !l.is_empty() {
        all.insert(format!("visitor {track} (tracked)"), l);
    }

    for user in [
        format!("operator.{village}"),
        format!("kades.{village}"),
        "admin.klaten".to_string(),
        "pendamping.klaten".to_string(),
    ] {
        let mut c = staff(&app, &user).await;
        // The letter desk is opened by a form (GET), not a link.
        let (n, found) = crawl(
            &mut c,
            &["/staf".into(), format!("/staf/desa/{v}/surat/baru")],
            &["/staf", "/desa", "/v/"],
            true,
            2,
        )
        .await;
        total += n.len();
        reached.insert(user.clone(), n);
        for (page, l) in found {
            all.insert(format!("{user} {page}"), l);
        }
    }
    for base in [format!("/layanan/{v}"), format!("/anjungan/{v}")] {
        let mut c = resident(&app, &mut op, &base).await;
        let (n, found) = crawl(&mut c, std::slice::from_ref(&base), &[&base], true, 3).await;
        total += n.len();
        reached.insert(format!("resident {base}"), n);
        for (page, l) in found {
            all.insert(format!("resident {page}"), l);
        }
        if base.starts_with("/anjungan") {
            // The kiosk's queue ticket is the answer to its form, not a page to link to.
            let form = format!("{base}/surat?jenis=pengantar-skck");
            let token = c.csrf_of(&form).await;
            let ticket = c
                .post(
                    &format!("{base}/surat"),
                    &[
                        ("_csrf", token.as_str()),
                        ("jenis", "pengantar-skck"),
                        ("keperluan", "Melamar pekerjaan di pabrik"),
                    ],
                )
                .await;
            assert_eq!(ticket.status, StatusCode::OK, "{}", ticket.body);
            assert!(ticket.body.contains("nomor-antrean"), "{}", ticket.body);
            total += 1;
            let l = leaks(&visible_text(&ticket.body), &catalogue_keys(), true);
            if !l.is_empty() {
                all.insert(format!("resident {base}/surat (ticket)"), l);
            }
        }
    }
    let mut visitor = Client::new(&app);
    let (n, found) = crawl(
        &mut visitor,
        &[
            "/".into(),
            "/masuk".into(),
            format!("/layanan/{v}/masuk"),
            format!("/anjungan/{v}/masuk"),
        ],
        &["/"],
        true,
        2,
    )
    .await;
    total += n.len();
    reached.insert("visitor".into(), n);
    for (page, l) in found {
        all.insert(format!("visitor {page}"), l);
    }
    for (who, shapes) in &reached {
        eprintln!("{who}: {} kinds of page", shapes.len());
    }
    // The crawl follows links: it must reach every part of the interface,
    // the later ones too (a link lost or a page moved shows here).
    let op_ = format!("operator.{village}");
    let head = format!("kades.{village}");
    let must = [
        (op_.as_str(), "/staf/desa/{id}/keluarga"),
        (op_.as_str(), "/staf/desa/{id}/keluarga/{id}"),
        (op_.as_str(), "/staf/desa/{id}/penduduk/{id}"),
        (op_.as_str(), "/staf/desa/{id}/penduduk/{id}/akses"),
        (op_.as_str(), "/staf/desa/{id}/laporan/mutasi"),
        (op_.as_str(), "/staf/desa/{id}/laporan/mutasi/dusun"),
        (op_.as_str(), "/staf/desa/{id}/laporan/buku-induk"),
        (op_.as_str(), "/staf/desa/{id}/perangkat"),
        (op_.as_str(), "/staf/desa/{id}/pilar"),
        (op_.as_str(), "/staf/desa/{id}/anjungan"),
        (op_.as_str(), "/staf/desa/{id}/permohonan/{id}"),
        (op_.as_str(), "/staf/desa/{id}/surat/baru"),
        (op_.as_str(), "/staf/desa/{id}/statistik"),
        (op_.as_str(), "/staf/desa/{id}/impor"),
        (op_.as_str(), "/staf/desa/{id}/berita"),
        (op_.as_str(), "/staf/desa/{id}/apbdes/{n}"),
        (op_.as_str(), "/staf/desa/{id}/apbdes/baris/{id}"),
        (op_.as_str(), "/staf/info/{id}"),
        (
            op_.as_str(),
            "/staf/desa/{id}/informasi-publik/permohonan/{id}",
        ),
        (op_.as_str(), "/staf/desa/{id}/informasi-publik/libur"),
        (op_.as_str(), "/staf/desa/{id}/informasi-publik/keberatan"),
        (op_.as_str(), "/staf/desa/{id}/informasi-publik/baru"),
        (head.as_str(), "/staf/desa/{id}/tanda-tangan"),
        (head.as_str(), "/staf/desa/{id}/permohonan/{id}/tinjau"),
        ("admin.klaten", "/staf/kabupaten/pilar"),
        ("admin.klaten", "/staf/kabupaten/pilar/desa/{id}"),
        ("admin.klaten", "/staf/kabupaten/idm"),
        ("admin.klaten", "/staf/kabupaten/idm/desa/{id}"),
        ("admin.klaten", "/staf/kabupaten/indeks-desa"),
        ("admin.klaten", "/staf/kabupaten/laporan"),
        ("admin.klaten", "/staf/kabupaten/layanan"),
        ("admin.klaten", "/staf/pengguna/{id}"),
        ("admin.klaten", "/staf/wilayah/{id}/dusun"),
        ("pendamping.klaten", "/staf/desa/{id}/catatan"),
        ("pendamping.klaten", "/staf/kabupaten/pilar/desa/{id}"),
        ("pendamping.klaten", "/staf/kabupaten/idm"),
        (
            &format!("resident /layanan/{v}"),
            "/layanan/{id}/permohonan/{id}",
        ),
        (
            &format!("resident /layanan/{v}"),
            "/layanan/{id}/surat?jenis=",
        ),
        (
            &format!("resident /anjungan/{v}"),
            "/anjungan/{id}/surat?jenis=",
        ),
        (
            &format!("resident /anjungan/{v}"),
            "/anjungan/{id}/info/{id}",
        ),
        ("visitor", "/desa/{id}/statistik/"),
        ("visitor", "/desa/{id}/pemerintahan"),
        ("visitor", "/desa/{id}/apbdes/{n}"),
        ("visitor", "/desa/{id}/informasi-publik"),
        ("visitor", "/desa/{id}/informasi-publik/permohonan"),
        ("visitor", "/kabupaten/{n}"),
    ];
    let missed: Vec<_> = must
        .iter()
        .filter(|(who, page)| !reached[*who].iter().any(|s| s.starts_with(page)))
        .collect();
    assert!(missed.is_empty(), "not reached: {missed:?}");
    assert!(total > 80, "only {total} pages visited");
    assert!(
        all.is_empty(),
        "{} of {total} pages leak:{}",
        all.len(),
        report(&all)
    );
}

#[tokio::test]
async fn no_raw_catalogue_key_on_any_english_page() {
    let app = app(1, 60).await;
    let s = app.store.village_summaries(None).await.unwrap();
    let village = slug(&s[0].village.name);
    let mut all = BTreeMap::new();
    for user in [format!("operator.{village}"), "admin.klaten".to_string()] {
        let mut c = staff(&app, &user).await;
        c.get("/bahasa/en").await;
        let (_, found) = crawl(&mut c, &["/staf".into()], &["/staf", "/desa"], false, 1).await;
        for (page, l) in found {
            all.insert(format!("{user} {page}"), l);
        }
    }
    assert!(all.is_empty(), "{} pages leak:{}", all.len(), report(&all));

    // Error pages follow the reader's language too.
    let mut c = Client::new(&app);
    let id = c.get("/no/such/page").await;
    assert!(id.body.contains("Halaman tidak ditemukan") && !id.body.contains("Page not found"));
    c.get("/bahasa/en").await;
    let en = c.get("/no/such/page").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(
        en.body.contains("Page not found") && !en.body.contains("Halaman"),
        "{}",
        en.body
    );
}

/// Regression for issue 9: the access log showed "population · import",
/// "cli:demo:unknown", "warga:online:<uuid>" and UTC times (`+00:00:00`).
#[tokio::test]
async fn the_access_log_names_actors_and_actions_in_words_at_village_time() {
    let app = app(1, 40).await;
    let s = app.store.village_summaries(None).await.unwrap();
    let v = app.villages[0].clone();
    let mut op = staff(&app, &format!("operator.{}", slug(&s[0].village.name))).await;
    // A resident signs in online: the PIN issued is a change by staff.
    resident(&app, &mut op, &format!("/layanan/{v}")).await;
    let list = op.get(&format!("/staf/desa/{v}/penduduk")).await;
    let rid = common::ids(&list.body, "penduduk")[0].clone();
    let page = op
        .get(&format!("/staf/desa/{v}/penduduk/{rid}/akses"))
        .await;
    let text = visible_text(&page.body);
    // The demo was loaded at 03:00 UTC: 10.00 on Klaten's clocks (WIB).
    for expected in [
        "Data penduduk · diimpor",
        "Sistem Balai",
        "22 November 2026 10.00 WIB",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(leaks(&text, &catalogue_keys(), true).is_empty(), "{text}");
}

/// Posts the form at `url` with `fields` (and its CSRF token) and returns the
/// leaks of the page that answers.
async fn post_bad(
    c: &mut Client,
    url: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Vec<String>, String) {
    let token = c.csrf_of(url).await;
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    let res = c.post(url, &all).await;
    let mut res_body = res.body.clone();
    if res.status == StatusCode::SEE_OTHER {
        res_body = c.get(&location(&res)).await.body;
    }
    let text = visible_text(&res_body);
    (res.status, leaks(&text, &catalogue_keys(), true), text)
}

/// Regression for issue 9: "NIK tidak valid: expected 16 digits, found 5",
/// "the family head is leaving…", "cannot record MATI for a resident whose
/// status is MATI" came in English in the Indonesian interface.
#[tokio::test]
async fn form_errors_are_indonesian_not_english() {
    let app = app(1, 80).await;
    let s = app.store.village_summaries(None).await.unwrap();
    let v = app.villages[0].clone();
    let (_, residents) = app
        .store
        .village_population(KodeWilayah::parse(&v).unwrap())
        .await
        .unwrap();
    let head = residents
        .iter()
        .find(|r| {
            r.status == StatusDasar::Hidup
                && r.relationship == balai_domain::codes::Shdk::KepalaKeluarga
        })
        .unwrap();
    let mut c = staff(&app, &format!("operator.{}", slug(&s[0].village.name))).await;
    let mut problems = Vec::new();
    let mut check = |what: &str, r: (StatusCode, Vec<String>, String), expect: &str| {
        if !r.1.is_empty() || !r.2.contains(expect) {
            problems.push(format!(
                "{what} ({}): {:?} / expected {expect:?} in {}",
                r.0,
                r.1,
                r.2.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    };

    let edit = format!("/staf/desa/{v}/penduduk/{}/ubah", head.id);
    let r = post_bad(
        &mut c,
        &edit,
        &[
            ("nik", "12345"),
            ("nama", "Budi<>"),
            ("tanggal_lahir", "31-02-1990"),
            ("alasan", ""),
        ],
    )
    .await;
    check(
        "resident form",
        r,
        "NIK tidak valid: harus 16 angka, tertulis 5",
    );

    // The head leaves without a successor, then a second death.
    let events = format!("/staf/desa/{v}/penduduk/{}/peristiwa", head.id);
    let r = post_bad(
        &mut c,
        &events,
        &[("peristiwa", "3"), ("tanggal", "2026-11-20")],
    )
    .await;
    check("head leaving", r, "pilih kepala keluarga baru");
    let r = post_bad(
        &mut c,
        &events,
        &[("peristiwa", "2"), ("tanggal", "2099-01-01")],
    )
    .await;
    check("death in the future", r, "masa depan");

    let desk = format!("/staf/desa/{v}/surat/baru");
    let r = post_bad(
        &mut c,
        &desk,
        &[("jenis", "domisili"), ("nik", "12345"), ("keperluan", "x")],
    )
    .await;
    check(
        "letter desk",
        r,
        "NIK tidak valid: harus 16 angka, tertulis 5",
    );

    let mut visitor = Client::new(&app);
    let r = post_bad(
        &mut visitor,
        "/masuk",
        &[("username", "nobody"), ("password", "wrong")],
    )
    .await;
    check("login", r, "Nama pengguna atau kata sandi salah");

    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
