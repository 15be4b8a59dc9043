//! Printed cards and registers as PDF, in the village's letterhead: the
//! family card (KK), a resident's biodata, the monthly mutation report
//! (the village's and by dusun) and the Buku Induk Penduduk.
//!
//! Every print reads its data through the same use case as its screen, so
//! a printed view of personal data is logged where the screen's is
//! (`registry::family`, `registry::resident`, `reports::buku_induk`).
//! The PDF is typeset by `balai_letters::render_register` (the built-in
//! register template, our code: in-process, on a blocking thread).

use balai_domain::Resident;
use balai_domain::mutation_report::MutationReport;
use balai_domain::village::Village;
use balai_letters::{
    Column, ColumnGroup, Field, Letterhead, Paper, RegisterDocument, Section, Signer,
    render_register,
};
use time::Date;
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::Db;
use crate::error::ServiceError;
use crate::letters::statements::long_date;
use crate::registry::{self, today};
use crate::reports::{self, DusunMutation, ReportMonth};
use crate::staff::VillageAccess;

/// A printed PDF and the file name to offer it under.
#[derive(Debug, Clone)]
pub struct Printed {
    /// `kk-….pdf`, `biodata-….pdf`, …
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// Names of the months, as printed.
const MONTHS: [&str; 12] = [
    "JANUARI",
    "FEBRUARI",
    "MARET",
    "APRIL",
    "MEI",
    "JUNI",
    "JULI",
    "AGUSTUS",
    "SEPTEMBER",
    "OKTOBER",
    "NOVEMBER",
    "DESEMBER",
];

fn month_title(m: ReportMonth) -> String {
    format!("BULAN {} {}", MONTHS[usize::from(m.month - 1)], m.year)
}

/// A date as printed in tables (the KK's own form).
fn short_date(d: Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}

/// The village, its letterhead and paper, and who signs its registers.
struct Head {
    village: Village,
    letterhead: Letterhead,
    paper: Paper,
    signer: Signer,
}

/// Read-only: a village without letter settings yet prints with the
/// default letterhead and a blank name to sign over (printing never
/// creates settings or a key).
async fn head_of(db: &Db, access: &VillageAccess) -> Result<Head, ServiceError> {
    let store = db.store();
    let village = store
        .village(access.village())
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(match store.village_profile(access.village()).await? {
        Some(profile) => Head {
            letterhead: crate::letters::letterhead(&village, &profile),
            paper: crate::letters::paper_of(&profile),
            signer: crate::letters::head_signer(&profile),
            village,
        },
        None => Head {
            letterhead: crate::letters::letterhead_with(
                &village,
                crate::letters::default_address(&village),
                None,
            ),
            paper: Paper::A4,
            signer: Signer {
                title: crate::letters::default_head_title(&village),
                name: String::new(),
                on_behalf: None,
                nip: None,
                nipd: None,
            },
            village,
        },
    })
}

impl Head {
    fn document(
        &self,
        clock: &dyn Clock,
        landscape: bool,
        title: String,
        subtitle: Vec<String>,
        sections: Vec<Section>,
    ) -> RegisterDocument {
        let on = today(clock, self.village.kode);
        RegisterDocument {
            paper: self.paper,
            landscape,
            letterhead: self.letterhead.clone(),
            title,
            subtitle,
            sections,
            place_date: format!("{}, {}", self.village.name, long_date(on)),
            signer: Some(self.signer.clone()),
            footer: format!(
                "Dicetak dari buku induk Desa {} pada {} (Balai)",
                self.village.name,
                long_date(on)
            ),
        }
    }
}

async fn render(doc: RegisterDocument) -> Result<Vec<u8>, ServiceError> {
    tokio::task::spawn_blocking(move || render_register(&doc))
        .await
        .map_err(|e| ServiceError::Invalid(format!("cetakan tidak dapat dibuat: {e}")))?
        .map_err(|e| ServiceError::Invalid(format!("cetakan tidak dapat dibuat: {e}")))
}

fn table(heading: Option<&str>, columns: Vec<Column>, rows: Vec<Vec<String>>) -> Section {
    Section::Table {
        heading: heading.map(str::to_string),
        groups: Vec::new(),
        columns,
        rows,
        strong: Vec::new(),
        note: None,
    }
}

/// The family card as PDF (landscape, as a KK is): the card's current
/// members in the KK's two tables, and the dead and departed listed apart
/// (`FamilyCard::current_members`/`former_members`, the screen's
/// definition). Viewing it is logged for every member, by
/// [`registry::family`].
pub async fn family_card(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    family_id: Uuid,
) -> Result<Printed, ServiceError> {
    let card = registry::family(db, clock, access, family_id).await?;
    let head = head_of(db, access).await?;
    let f = &card.family;
    let current: Vec<&Resident> = card.current_members().collect();
    let head_name = current
        .iter()
        .find(|m| m.relationship == balai_domain::codes::Shdk::KepalaKeluarga)
        .map(|m| m.name.to_string())
        .unwrap_or_else(|| "-".into());
    let v = &head.village;
    let fields = vec![
        Field::new("Nama Kepala Keluarga", head_name),
        Field::new("Alamat", f.address.clone()),
        Field::new("RT/RW", format!("{}/{}", f.wilayah.rt(), f.wilayah.rw())),
        Field::new("Dusun", f.wilayah.dusun()),
        Field::new("Desa/Kelurahan", v.name.clone()),
        Field::new("Kecamatan", v.district_name.clone()),
        Field::new("Kabupaten/Kota", v.regency_name.clone()),
        Field::new("Provinsi", v.province_name.clone()),
    ];
    let identity = current
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.name.to_string(),
                m.number.to_string(),
                m.sex.label().to_string(),
                m.birth_place.clone(),
                short_date(m.birth_date),
                m.religion.label().into(),
                m.education.label().into(),
                m.occupation.label().into(),
                m.blood_type.label().into(),
            ]
        })
        .collect();
    let family = current
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.marital_status.label().into(),
                m.relationship.label().into(),
                m.citizenship.label().into(),
                m.father_name.clone(),
                m.mother_name.clone(),
            ]
        })
        .collect();
    let mut sections = vec![
        Section::Fields {
            heading: None,
            fields,
        },
        table(
            None,
            vec![
                Column::number("No", 2),
                Column::text("Nama Lengkap", 12),
                Column::text("NIK", 9),
                Column::text("Jenis Kelamin", 6),
                Column::text("Tempat Lahir", 7),
                Column::text("Tanggal Lahir", 5),
                Column::text("Agama", 5),
                Column::text("Pendidikan", 8),
                Column::text("Jenis Pekerjaan", 9),
                Column::text("Gol. Darah", 4),
            ],
            identity,
        ),
        table(
            None,
            vec![
                Column::number("No", 2),
                Column::text("Status Perkawinan", 8),
                Column::text("Status Hubungan dalam Keluarga", 9),
                Column::text("Kewarganegaraan", 6),
                Column::text("Nama Ayah", 12),
                Column::text("Nama Ibu", 12),
            ],
            family,
        ),
    ];
    let former: Vec<&Resident> = card.former_members().collect();
    if !former.is_empty() {
        sections.push(table(
            Some("Anggota yang telah meninggal atau pindah (tidak lagi tercantum)"),
            vec![
                Column::number("No", 2),
                Column::text("Nama Lengkap", 12),
                Column::text("NIK", 9),
                Column::text("Hubungan semula", 9),
                Column::text("Status", 6),
            ],
            former
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    vec![
                        (i + 1).to_string(),
                        m.name.to_string(),
                        m.number.to_string(),
                        m.relationship.label().into(),
                        m.status.label().into(),
                    ]
                })
                .collect(),
        ));
    }
    let doc = head.document(
        clock,
        true,
        "Kartu Keluarga".into(),
        vec![format!("No. {}", f.no_kk)],
        sections,
    );
    Ok(Printed {
        file_name: format!("kk-{}.pdf", f.no_kk),
        pdf: render(doc).await?,
    })
}

/// A resident's biodata as PDF: identity, family, address and their life
/// events. The view is logged by [`registry::resident`].
pub async fn biodata(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident_id: Uuid,
) -> Result<Printed, ServiceError> {
    let r = registry::resident(db, clock, access, resident_id).await?;
    let head = head_of(db, access).await?;
    let family = match r.family_id {
        Some(id) => db.store().family_card(access.village(), id).await?,
        None => None,
    };
    let parent = |name: &str, nik: Option<&balai_domain::Nik>| match nik {
        Some(n) => format!("{name} (NIK {n})"),
        None => name.to_string(),
    };
    let mut fields = vec![
        Field::new("NIK", r.number.to_string()),
        Field::new("Nama Lengkap", r.name.to_string()),
        Field::new("Jenis Kelamin", r.sex.label()),
        Field::new(
            "Tempat, Tanggal Lahir",
            format!("{}, {}", r.birth_place, long_date(r.birth_date)),
        ),
        Field::new(
            "Umur",
            format!("{} tahun", r.age_on(today(clock, access.village()))),
        ),
        Field::new("Agama", r.religion.label()),
        Field::new("Pendidikan", r.education.label()),
        Field::new("Pekerjaan", r.occupation.label()),
        Field::new("Status Perkawinan", r.marital_status.label()),
        Field::new("Kewarganegaraan", r.citizenship.label()),
        Field::new("Golongan Darah", r.blood_type.label()),
        Field::new("Penyandang Cacat", r.disability.map_or("-", |c| c.label())),
        Field::new("Status", r.status.label()),
    ];
    let mut family_fields = vec![
        Field::new("Hubungan dalam Keluarga", r.relationship.label()),
        Field::new("Nama Ayah", parent(&r.father_name, r.father_nik.as_ref())),
        Field::new("Nama Ibu", parent(&r.mother_name, r.mother_nik.as_ref())),
    ];
    if let Some(card) = &family {
        let f = &card.family;
        family_fields.insert(0, Field::new("No. KK", f.no_kk.to_string()));
        family_fields.push(Field::new("Alamat", f.full_address()));
    }
    fields.retain(|f| !f.value.is_empty());
    let events = db.store().events_of(access.village(), r.id).await?;
    let mut sections = vec![
        Section::Fields {
            heading: Some("Data diri".into()),
            fields,
        },
        Section::Fields {
            heading: Some("Keluarga dan alamat".into()),
            fields: family_fields,
        },
    ];
    if !events.is_empty() {
        sections.push(table(
            Some("Riwayat peristiwa"),
            vec![
                Column::number("No", 2),
                Column::text("Tanggal", 6),
                Column::text("Peristiwa", 14),
            ],
            events
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    vec![
                        (i + 1).to_string(),
                        long_date(e.occurred_on),
                        e.kind.label().into(),
                    ]
                })
                .collect(),
        ));
    }
    let doc = head.document(
        clock,
        false,
        "Biodata Penduduk".into(),
        vec![r.name.to_string()],
        sections,
    );
    Ok(Printed {
        file_name: format!("biodata-{}.pdf", r.number),
        pdf: render(doc).await?,
    })
}

/// The by-dusun table's heading groups and columns: each movement over
/// its men and women.
fn mutation_columns() -> (Vec<ColumnGroup>, Vec<Column>) {
    let mut groups = vec![ColumnGroup {
        label: String::new(),
        span: 1,
    }];
    let mut columns = vec![Column::text("Dusun", 10)];
    for h in [
        "Awal bulan",
        "Lahir",
        "Datang",
        "Meninggal",
        "Pindah/pergi",
        "Akhir bulan",
    ] {
        groups.push(ColumnGroup {
            label: h.into(),
            span: 2,
        });
        columns.push(Column::number("L", 3));
        columns.push(Column::number("P", 3));
    }
    (groups, columns)
}

fn mutation_line(label: &str, r: &MutationReport) -> Vec<String> {
    let mut row = vec![label.to_string()];
    for s in [r.start, r.births, r.moved_in, r.deaths, r.moved_out, r.end] {
        row.push(s.male.to_string());
        row.push(s.female.to_string());
    }
    row
}

/// The village's mutation report of `month` as PDF, with its by-dusun
/// breakdown on the same sheet (the by-dusun rows add up to the village's).
pub async fn mutation(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    month: ReportMonth,
) -> Result<Printed, ServiceError> {
    let report = reports::mutation(db, access, month.year, month.month).await?;
    let by_dusun = reports::mutation_by_dusun(db, access, month).await?;
    let head = head_of(db, access).await?;
    let rows = reports::mutation_rows(&report)
        .into_iter()
        .map(|(label, m, f)| {
            vec![
                label.to_string(),
                m.to_string(),
                f.to_string(),
                (m + f).to_string(),
            ]
        })
        .collect();
    let summary = Section::Table {
        heading: None,
        groups: Vec::new(),
        columns: vec![
            Column::text("Uraian", 12),
            Column::number("Laki-laki", 4),
            Column::number("Perempuan", 4),
            Column::number("Jumlah", 4),
        ],
        rows,
        strong: vec![0, 5],
        note: Some(
            "Penduduk akhir bulan = awal + lahir + datang − meninggal − pindah/pergi/hilang."
                .into(),
        ),
    };
    let mut dusun_rows: Vec<Vec<String>> = by_dusun
        .iter()
        .map(|d| mutation_line(&d.dusun, &d.report))
        .collect();
    dusun_rows.push(mutation_line("JUMLAH", &report));
    let strong = vec![dusun_rows.len() - 1];
    let (groups, columns) = mutation_columns();
    let breakdown = Section::Table {
        heading: Some("Menurut dusun (L = laki-laki, P = perempuan)".into()),
        groups,
        columns,
        rows: dusun_rows,
        strong,
        note: None,
    };
    let doc = head.document(
        clock,
        false,
        "Laporan Mutasi Penduduk".into(),
        vec![month_title(month)],
        vec![summary, breakdown],
    );
    Ok(Printed {
        file_name: format!("mutasi-{}-{}.pdf", access.village().plain(), month.iso()),
        pdf: render(doc).await?,
    })
}

/// The mutation report by dusun alone as PDF (landscape).
pub async fn mutation_by_dusun(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    month: ReportMonth,
) -> Result<Printed, ServiceError> {
    let report = reports::mutation(db, access, month.year, month.month).await?;
    let by_dusun: Vec<DusunMutation> = reports::mutation_by_dusun(db, access, month).await?;
    let head = head_of(db, access).await?;
    let mut rows: Vec<Vec<String>> = by_dusun
        .iter()
        .map(|d| mutation_line(&d.dusun, &d.report))
        .collect();
    rows.push(mutation_line("JUMLAH", &report));
    let strong = vec![rows.len() - 1];
    let (groups, columns) = mutation_columns();
    let doc = head.document(
        clock,
        true,
        "Laporan Mutasi Penduduk Menurut Dusun".into(),
        vec![month_title(month)],
        vec![Section::Table {
            heading: None,
            groups,
            columns,
            rows,
            strong,
            note: Some("L = laki-laki, P = perempuan.".into()),
        }],
    );
    Ok(Printed {
        file_name: format!(
            "mutasi-dusun-{}-{}.pdf",
            access.village().plain(),
            month.iso()
        ),
        pdf: render(doc).await?,
    })
}

/// Residents per printed part of the Buku Induk. The whole book of a
/// village of 10,000 is 528 landscape pages: typst held ~2 GB laying it
/// out at once (and 2-12 s), so it is printed in parts of this many rows
/// (about 27 pages each).
pub const INDUK_PER_PART: usize = 500;

/// Part `part` (1-based, [`INDUK_PER_PART`] residents) of the Buku Induk
/// Penduduk (Permendagri 47/2016, B.1) as PDF, landscape; the row numbers
/// run on across parts. Every resident printed is logged as viewed, by
/// [`reports::buku_induk`]'s reading.
pub async fn buku_induk(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    part: usize,
) -> Result<Printed, ServiceError> {
    let part = part.max(1);
    let (rows, total) =
        reports::buku_induk_in(db, clock, access, Some((part, INDUK_PER_PART))).await?;
    let parts = total.div_ceil(INDUK_PER_PART).max(1);
    if part > parts {
        return Err(ServiceError::NotFound);
    }
    let numbers = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => format!("No. {}–{}", a.no, b.no),
        _ => "kosong".to_string(),
    };
    let head = head_of(db, access).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            vec![
                r.no.to_string(),
                r.name,
                r.sex.into(),
                r.marital.into(),
                r.birth,
                r.religion.into(),
                r.education.into(),
                r.occupation.into(),
                r.citizenship.into(),
                r.address,
                r.nik,
                r.no_kk,
                r.status.into(),
            ]
        })
        .collect();
    let columns = vec![
        Column::number("No", 3),
        Column::text("Nama Lengkap", 12),
        Column::text("L/P", 2),
        Column::text("Status Perkawinan", 6),
        Column::text("Tempat, Tanggal Lahir", 10),
        Column::text("Agama", 5),
        Column::text("Pendidikan", 7),
        Column::text("Pekerjaan", 8),
        Column::text("Kewarga-negaraan", 4),
        Column::text("Alamat", 12),
        Column::text("NIK", 9),
        Column::text("No. KK", 9),
        Column::text("Status", 5),
    ];
    let doc = head.document(
        clock,
        true,
        "Buku Induk Penduduk".into(),
        vec![
            format!(
                "Desa {} · {} orang (Permendagri 47/2016, B.1)",
                head.village.name, total
            ),
            format!("Bagian {part} dari {parts} · {numbers}"),
        ],
        vec![table(None, columns, rows)],
    );
    Ok(Printed {
        file_name: format!("buku-induk-{}-{part}.pdf", access.village().plain()),
        pdf: render(doc).await?,
    })
}

// ------------------------------------------- public information registers

/// Printed labels of the public-information codes (the register is a
/// paper the village files, in Indonesian).
mod info_labels {
    use balai_domain::public_info::{
        Delivery, ExemptionGround, ObjectionGround, Outcome, RequestStatus,
    };

    pub(super) fn status(s: RequestStatus) -> &'static str {
        match s {
            RequestStatus::Diterima => "Diterima",
            RequestStatus::Diperpanjang => "Diperpanjang",
            RequestStatus::Dijawab => "Dijawab",
            RequestStatus::KeberatanDiajukan => "Keberatan diajukan",
            RequestStatus::KeberatanDijawab => "Keberatan dijawab",
        }
    }

    pub(super) fn delivery(d: Delivery) -> &'static str {
        match d {
            Delivery::Melihat => "Melihat/membaca",
            Delivery::Salinan => "Salinan",
            Delivery::Email => "Surel",
        }
    }

    pub(super) fn outcome(o: Outcome, ground: Option<ExemptionGround>) -> String {
        let o = match o {
            Outcome::Seluruhnya => "Dikabulkan seluruhnya",
            Outcome::Sebagian => "Dikabulkan sebagian",
            Outcome::Ditolak => "Ditolak",
        };
        match ground {
            // Pasal 17 a–j, by code 1–10.
            Some(g) => format!("{o} (Ps. 17 {})", char::from(b'a' + g.code() - 1)),
            None => o.to_string(),
        }
    }

    pub(super) fn objection(g: ObjectionGround) -> String {
        // UU 14/2008 Pasal 35 ayat (1) a–g, by code 1–7.
        format!("Ps. 35(1) {}", char::from(b'a' + g.code() - 1))
    }
}

/// The foot of a PPID register's pages (not the Buku Induk's).
fn ppid_footer(head: &Head, clock: &dyn Clock) -> String {
    format!(
        "Dicetak dari register PPID Desa {} pada {} (Balai)",
        head.village.name,
        long_date(today(clock, head.village.kode))
    )
}

/// The register of information requests (UU 14/2008, Perki 1/2018) of
/// `year` as PDF, landscape. Printing it is a view of the requesters'
/// data, logged as the page's is.
pub async fn info_requests(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    year: i32,
) -> Result<Printed, ServiceError> {
    let list = crate::public_info::requests(db, clock, access, Some(year)).await?;
    let head = head_of(db, access).await?;
    let rows = list
        .iter()
        .rev()
        .map(|s| {
            let r = &s.request;
            vec![
                r.reference.number().to_string(),
                r.reference.to_string(),
                short_date(r.received_on),
                format!("{} · {}", r.name, r.contact),
                r.wanted.clone(),
                r.purpose.clone(),
                info_labels::delivery(r.delivery).into(),
                short_date(r.deadline),
                info_labels::status(r.status).into(),
                r.outcome
                    .map(|o| info_labels::outcome(o, r.ground))
                    .unwrap_or_default(),
                r.answered_on.map(short_date).unwrap_or_default(),
            ]
        })
        .collect();
    let columns = vec![
        Column::number("No", 2),
        Column::text("Nomor Registrasi", 8),
        Column::text("Tanggal", 4),
        Column::text("Nama dan Kontak", 8),
        Column::text("Informasi yang Diminta", 12),
        Column::text("Tujuan", 8),
        Column::text("Cara", 4),
        Column::text("Batas Waktu", 4),
        Column::text("Status", 5),
        Column::text("Keputusan", 6),
        Column::text("Tanggal Jawab", 4),
    ];
    let mut doc = head.document(
        clock,
        true,
        "Register Permohonan Informasi Publik".into(),
        vec![format!(
            "Desa {} · tahun {year} · {} permohonan (UU 14/2008)",
            head.village.name,
            list.len()
        )],
        vec![table(None, columns, rows)],
    );
    doc.footer = ppid_footer(&head, clock);
    Ok(Printed {
        file_name: format!(
            "register-permohonan-{}-{year}.pdf",
            access.village().plain()
        ),
        pdf: render(doc).await?,
    })
}

/// The register of objections (keberatan) of `year` as PDF, landscape.
pub async fn info_objections(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    year: i32,
) -> Result<Printed, ServiceError> {
    let list = crate::public_info::objections(db, access, Some(year)).await?;
    let head = head_of(db, access).await?;
    let rows = list
        .iter()
        .rev()
        .map(|o| {
            vec![
                format!("{}/{:04}", o.year, o.number),
                o.request_reference.to_string(),
                short_date(o.filed_on),
                info_labels::objection(o.ground),
                o.reason.clone(),
                short_date(o.answer_due),
                o.answer.clone(),
                o.answered_on.map(short_date).unwrap_or_default(),
            ]
        })
        .collect();
    let columns = vec![
        Column::text("Nomor", 4),
        Column::text("Nomor Registrasi Permohonan", 8),
        Column::text("Tanggal", 4),
        Column::text("Alasan", 4),
        Column::text("Uraian Keberatan", 12),
        Column::text("Batas Jawab", 4),
        Column::text("Tanggapan Atasan PPID", 12),
        Column::text("Tanggal Jawab", 4),
    ];
    let mut doc = head.document(
        clock,
        true,
        "Register Keberatan Informasi Publik".into(),
        vec![format!(
            "Desa {} · tahun {year} · {} keberatan (UU 14/2008)",
            head.village.name,
            list.len()
        )],
        vec![table(None, columns, rows)],
    );
    doc.footer = ppid_footer(&head, clock);
    Ok(Printed {
        file_name: format!("register-keberatan-{}-{year}.pdf", access.village().plain()),
        pdf: render(doc).await?,
    })
}
