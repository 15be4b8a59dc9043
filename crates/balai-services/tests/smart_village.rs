//! The six smart-village pillars scorecard (issue 13 part 4) through the
//! services: a village's letters (at the desk and requested online, signed
//! within a day or later), complaints, news, an activity with sign-ups,
//! monthly reports, PINs and an entered IDM each move exactly the figures
//! the domain's table says, worked out by hand; the "now" figures equal a
//! recount of the raw rows; the regency's figures are its villages' parts
//! added; a facilitator sees only assigned villages. Runs on the backend
//! `BALAI_TEST_BACKEND` names (scripts/test runs both).

mod common;

use balai_domain::KodeWilayah;
use balai_domain::codes::StatusDasar;
use balai_domain::complaint::ComplaintCategory;
use balai_domain::letter_request::{RequestAction, RequestChannel};
use balai_domain::regency::ReportMonth;
use balai_domain::role::Role;
use balai_domain::site::Publication;
use balai_domain::smart_village::{Figure, INDICATORS, Indicator, Scores};
use balai_services::clock::{Clock, FixedClock};
use balai_services::complaints::{self, ComplaintForm, FileComplaint, Respond, ResponseForm};
use balai_services::demo::{DemoOptions, seed};
use balai_services::development_index::{self, IdmEntry};
use balai_services::letters::requests::{self, RequestForm, RequestLetter, SignerForm, Step};
use balai_services::letters::{self, IssueLetter, LetterForm};
use balai_services::site::{
    self, ActivityForm, NewsForm, SignUp, SignupForm, WriteActivity, WriteNews,
};
use balai_services::staff::{Staff, VillageAccess, authorize};
use balai_services::{
    Db, ServiceError, WriteContext, regency, reports, self_service, smart_village,
};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

/// Sunday 22 November 2026, 10:00 WIB.
const T0: OffsetDateTime = datetime!(2026-11-22 03:00 UTC);
/// The day after, 16:00 WIB: when the scorecard is read.
const LATER: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);
const URL: &str = "https://desa.example";

fn staff(role: Role, scope: &str, assigned: &[KodeWilayah]) -> Staff {
    Staff {
        account_id: Uuid::nil(),
        username: format!("{}.{scope}", role.as_str()),
        display_name: role.label().into(),
        role,
        scope: KodeWilayah::parse(scope).unwrap(),
        assigned: assigned.to_vec(),
    }
}

async fn access(db: &Db, role: Role, v: KodeWilayah) -> VillageAccess {
    authorize(db, &staff(role, &v.plain(), &[]), v)
        .await
        .unwrap()
}

fn at(s: &Scores, code: &str) -> Option<Figure> {
    s[Indicator::from_code(code).unwrap().index()]
}

fn share(part: i64, whole: i64) -> Option<Figure> {
    Some(Figure::Share { part, whole })
}

/// A resident asks for a letter online at `asked`; the operator checks it
/// and sends it to the head, who opens and signs it at `signed`.
async fn request_and_sign(
    db: &Db,
    v: KodeWilayah,
    resident: Uuid,
    nik: &str,
    asked: OffsetDateTime,
    signed: OffsetDateTime,
) {
    let op = access(db, Role::VillageOperator, v).await;
    let head = access(db, Role::VillageHead, v).await;
    let pin = self_service::issue_pin(db, &FixedClock(asked), &op, resident)
        .await
        .unwrap()
        .expose()
        .to_string();
    let login = self_service::login(
        db,
        &FixedClock(asked),
        v,
        nik,
        &pin,
        balai_services::login_throttle::Client::Address("10.9.0.1".parse().unwrap()),
        RequestChannel::Online,
    )
    .await
    .unwrap()
    .unwrap();
    let mut form = RequestForm {
        jenis: "domisili".into(),
        keperluan: "Mendaftar sekolah anak".into(),
        ..Default::default()
    };
    form.extras.insert(
        "alamat_domisili".into(),
        "Dusun Krajan RT 001 RW 002".into(),
    );
    let r = requests::submit(
        db,
        &FixedClock(asked),
        &login.session,
        &RequestLetter::try_from(&form).unwrap(),
    )
    .await
    .unwrap();
    let signer = SignerForm {
        penandatangan: "kades".into(),
        ..Default::default()
    };
    let step = |action| {
        Step::parse(action, |k| match k {
            "penandatangan" => signer.penandatangan.as_str(),
            _ => "",
        })
        .unwrap()
    };
    let clock = FixedClock(asked);
    for (who, action) in [
        (&op, RequestAction::Check),
        (&op, RequestAction::SendForSignature),
    ] {
        requests::act(
            db,
            &clock,
            common::renderer(),
            who,
            r.id,
            &step(action),
            URL,
        )
        .await
        .unwrap();
    }
    let clock = FixedClock(signed);
    requests::review(db, &clock, &head, r.id).await.unwrap();
    requests::act(
        db,
        &clock,
        common::renderer(),
        &head,
        r.id,
        &step(RequestAction::Sign),
        URL,
    )
    .await
    .unwrap();
}

async fn complaint(db: &Db, v: KodeWilayah, category: ComplaintCategory, answer: bool) {
    let filed = complaints::file(
        db,
        &FixedClock(T0),
        v,
        &FileComplaint::try_from(&ComplaintForm {
            kategori: category.code().to_string(),
            nama: "Warga".into(),
            kontak: "0812 0000 1111".into(),
            isi: "Saluran air di RT 002 tersumbat sejak minggu lalu.".into(),
        })
        .unwrap(),
    )
    .await
    .unwrap();
    if answer {
        let op = access(db, Role::VillageOperator, v).await;
        let id = complaints::list(db, &op, None)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.reference == filed.reference)
            .unwrap()
            .id;
        complaints::respond(
            db,
            &FixedClock(T0),
            &op,
            id,
            &Respond::try_from(&ResponseForm {
                status: "3".into(),
                jawaban: "Sudah dibersihkan bersama warga pada hari Sabtu.".into(),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn each_figure_moves_as_the_table_says_and_the_regency_adds_its_villages_parts() {
    let store = balai_store::testing::test_store().await;
    let db = Db::from_store(store.clone());
    // The villages begin on Balai in January: every month from then on
    // owes its report and counts for news.
    let demo = seed(
        &db,
        &WriteContext::new("system:test", datetime!(2026-01-05 03:00 UTC)),
        DemoOptions {
            seed: 21,
            villages: 3,
            residents_per_village: 80,
        },
    )
    .await
    .unwrap();
    let vs: Vec<KodeWilayah> = demo.villages.iter().map(|d| d.village.kode).collect();
    let (a, b, c) = (vs[0], vs[1], vs[2]);
    let regency_code = a.ancestor(balai_domain::RegionLevel::Regency).unwrap();
    let (_, residents) = store.village_population(a).await.unwrap();
    let people: Vec<_> = residents
        .iter()
        .filter(|r| {
            r.status == StatusDasar::Hidup && !r.number.is_temporary() && r.family_id.is_some()
        })
        .take(3)
        .collect();
    let op = access(&db, Role::VillageOperator, a).await;

    // Letters: one at the desk; two asked online, one signed two hours
    // later, one the next day (30 hours).
    let mut desk = LetterForm {
        jenis: "domisili".into(),
        nik: people[0].number.to_string(),
        keperluan: "Melamar pekerjaan di pabrik".into(),
        penandatangan: "an".into(),
        an_nama: "Siti Aminah".into(),
        an_jabatan: "Sekretaris Desa".into(),
        ..Default::default()
    };
    desk.extras.insert(
        "alamat_domisili".into(),
        "Dusun Krajan RT 001 RW 002".into(),
    );
    letters::issue(
        &db,
        &FixedClock(T0),
        common::renderer(),
        &op,
        &IssueLetter::try_from(&desk).unwrap(),
        URL,
    )
    .await
    .unwrap();
    request_and_sign(
        &db,
        a,
        people[1].id,
        &people[1].number.to_string(),
        T0,
        T0 + time::Duration::hours(2),
    )
    .await;
    request_and_sign(
        &db,
        a,
        people[2].id,
        &people[2].number.to_string(),
        T0,
        LATER,
    )
    .await;

    // Complaints: two on the environment (one answered), one on roads.
    complaint(&db, a, ComplaintCategory::Lingkungan, true).await;
    complaint(&db, a, ComplaintCategory::Lingkungan, false).await;
    complaint(&db, a, ComplaintCategory::Infrastruktur, false).await;

    // A published news post in November.
    let post = site::create_news(
        &db,
        &FixedClock(T0),
        &op,
        &WriteNews::try_from(&NewsForm {
            judul: "Kerja bakti bersama".into(),
            slug: String::new(),
            isi: "Warga diundang.".into(),
        })
        .unwrap(),
    )
    .await
    .unwrap();
    site::set_news_publication(&db, &FixedClock(T0), &op, post, Publication::Published)
        .await
        .unwrap();

    // An activity in December with two sign-ups, one cancelled.
    let activity = site::create_activity(
        &db,
        &FixedClock(T0),
        &op,
        &WriteActivity::try_from((
            &ActivityForm {
                judul: "Pelatihan membatik".into(),
                uraian: "Pelatihan membatik untuk ibu-ibu PKK.".into(),
                tempat: "Balai desa".into(),
                tanggal: "2026-12-05".into(),
                mulai: "09:00".into(),
                selesai: "12:00".into(),
                kapasitas: "20".into(),
                pendaftaran: "1".into(),
                terbit: "1".into(),
            },
            balai_domain::time_zone::ZonaWaktu::Wib,
        ))
        .unwrap(),
    )
    .await
    .unwrap();
    for name in ["Sri Wahyuni", "Dewi Lestari"] {
        site::sign_up(
            &db,
            &FixedClock(T0),
            a,
            activity,
            &SignUp::try_from(&SignupForm {
                nama: name.into(),
                kontak: "0812 3456 7890".into(),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    }
    let first = site::signups(&db, &FixedClock(T0), &op, activity)
        .await
        .unwrap()[0]
        .id;
    site::cancel_signup(&db, &FixedClock(T0), &op, activity, first)
        .await
        .unwrap();

    // Reports: September's on 5 October (on time), October's on 22
    // November (after its due day, the 10th).
    reports::submit_mutation(
        &db,
        &FixedClock(datetime!(2026-10-05 03:00 UTC)),
        &op,
        ReportMonth::new(2026, 9).unwrap(),
    )
    .await
    .unwrap();
    reports::submit_mutation(
        &db,
        &FixedClock(T0),
        &op,
        ReportMonth::new(2026, 10).unwrap(),
    )
    .await
    .unwrap();

    // The regency enters village A's IDM of 2024.
    let admin = regency::view(&staff(Role::RegencyAdmin, &regency_code.plain(), &[])).unwrap();
    development_index::enter(
        &db,
        &FixedClock(T0),
        &admin,
        a,
        &IdmEntry::parse("2024", "0,7000", "0,6000", "0,5000").unwrap(),
    )
    .await
    .unwrap();

    let clock = FixedClock(LATER);
    let year =
        smart_village::parse_year(None, &clock, KodeWilayah::parse("3310").unwrap()).unwrap();
    assert_eq!(year, 2026);
    let card = smart_village::regency(&db, &clock, &admin, year)
        .await
        .unwrap();
    assert_eq!(card.villages.len(), 3);
    assert_eq!(
        card.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        vec![2022, 2023, 2024, 2025, 2026]
    );
    let va = &card.villages.iter().find(|s| s.kode == a).unwrap().scores;
    assert_eq!(
        at(va, "G1"),
        share(2, 3),
        "two of three letters asked by residents"
    );
    assert_eq!(at(va, "G2"), share(1, 2), "one signed within 24 hours");
    assert_eq!(at(va, "M1"), share(2, 3), "both asked from home");
    // January to October were due by 23 November; September's was on time.
    assert_eq!(at(va, "G3"), share(1, 10));
    assert_eq!(at(va, "L1"), share(1, 2));
    assert_eq!(at(va, "M2"), share(0, 1));
    assert_eq!(at(va, "S1"), share(1, 3));
    assert_eq!(at(va, "S2"), share(1, 11), "news in one month of eleven");
    assert_eq!(
        at(va, "P3"),
        Some(Figure::Count(1)),
        "the cancelled sign-up is left out"
    );
    assert_eq!(at(va, "S3"), Some(Figure::Count(1)));
    assert_eq!(at(va, "E2"), None, "no IDM after 2024");
    assert_eq!(
        at(va, "G4"),
        Some(Figure::Mean {
            sum: 0,
            villages: 0
        }),
        "2026 is an Indeks Desa year; none was entered"
    );

    // The "now" figures equal a recount of the village's rows.
    let (_, rows) = store.village_population(a).await.unwrap();
    let living: Vec<_> = rows
        .iter()
        .filter(|r| r.status == StatusDasar::Hidup)
        .collect();
    let n = living.len() as i64;
    let working = living.iter().filter(|r| r.occupation.code() >= 5).count() as i64;
    let slta = living.iter().filter(|r| r.education.code() >= 5).count() as i64;
    assert!(working > 0 && working < n && slta > 0 && slta < n);
    assert_eq!(at(va, "E1"), share(working, n));
    assert_eq!(at(va, "P1"), share(slta, n));
    // The demo resident has a PIN, and the two who asked online got one.
    let with_pin = {
        let mut k = 0;
        for r in &living {
            if store.resident_pin(r.id).await.unwrap().is_some() {
                k += 1;
            }
        }
        k
    };
    assert!(with_pin >= 2);
    assert_eq!(at(va, "P2"), share(with_pin, n));

    // Villages without activity: letters and complaints are shares of nothing.
    let vb = &card.villages.iter().find(|s| s.kode == b).unwrap().scores;
    assert_eq!(at(vb, "G1"), share(0, 0));
    assert_eq!(at(vb, "G1").unwrap().display(INDICATORS[0].measure), "—");

    // The regency's figures are its villages' parts added, for every figure.
    let total = &card.years.last().unwrap().scores;
    for (i, d) in INDICATORS.iter().enumerate() {
        let added = card
            .villages
            .iter()
            .fold(None, |t, v| Figure::add(t, v.scores[i]));
        assert_eq!(total[i], added, "{}", d.code);
    }
    // Living residents: the same number as the dashboard's.
    let dashboard = regency::dashboard(&db, &clock, &admin).await.unwrap();
    match at(total, "E1") {
        Some(Figure::Share { whole, .. }) => assert_eq!(whole, dashboard.totals.residents),
        other => panic!("{other:?}"),
    }

    // 2024: the IDM entered; no "now" figures for a past year.
    let past = smart_village::regency(&db, &clock, &admin, 2024)
        .await
        .unwrap();
    let pa = &past.villages.iter().find(|s| s.kode == a).unwrap().scores;
    assert_eq!(
        at(pa, "E2"),
        Some(Figure::Mean {
            sum: 6000,
            villages: 1
        })
    );
    assert_eq!(
        at(pa, "L2"),
        Some(Figure::Mean {
            sum: 5000,
            villages: 1
        })
    );
    assert_eq!(
        at(pa, "S4"),
        Some(Figure::Mean {
            sum: 7000,
            villages: 1
        })
    );
    assert_eq!(at(pa, "E1"), None);
    assert_eq!(at(pa, "G1"), share(0, 0));
    assert_eq!(past.years.first().unwrap().year, 2020);
    // The regency's mean is over villages with an IDM: village A's alone.
    assert_eq!(
        at(&past.years.last().unwrap().scores, "E2"),
        Some(Figure::Mean {
            sum: 6000,
            villages: 1
        })
    );

    // A facilitator of A and B sees them only.
    let facilitator =
        regency::view(&staff(Role::Facilitator, &regency_code.plain(), &[a, b])).unwrap();
    let theirs = smart_village::regency(&db, &clock, &facilitator, year)
        .await
        .unwrap();
    assert_eq!(
        theirs.villages.iter().map(|v| v.kode).collect::<Vec<_>>(),
        vec![a, b]
    );
    assert!(matches!(
        smart_village::village_for_view(&db, &clock, &facilitator, c, year).await,
        Err(ServiceError::NotFound)
    ));
    let one = smart_village::village_for_view(&db, &clock, &facilitator, a, year)
        .await
        .unwrap();
    assert_eq!(one.villages.len(), 1);
    assert_eq!(one.years.last().unwrap().scores, *va);
    // The village's own staff read the same figures.
    let own = smart_village::village(&db, &clock, &op, year)
        .await
        .unwrap();
    assert_eq!(own.years.last().unwrap().scores, *va);
}

#[test]
fn a_year_is_asked_from_2016_to_this_year() {
    let clock = FixedClock(LATER);
    assert_eq!(
        smart_village::parse_year(Some("2024"), &clock, KodeWilayah::parse("3310").unwrap())
            .unwrap(),
        2024
    );
    assert_eq!(
        smart_village::parse_year(Some(" "), &clock, KodeWilayah::parse("3310").unwrap()).unwrap(),
        2026
    );
    for bad in ["2015", "2027", "dua ribu", "20241"] {
        let e = smart_village::parse_year(Some(bad), &clock, KodeWilayah::parse("3310").unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("2016 sampai 2026"), "{bad}: {e}");
    }
    let _ = clock.now();
}
