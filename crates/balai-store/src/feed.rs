//! The change feed: every change-log entry of a village carries, from feed
//! version 1 on, a typed payload with the after-image of every row it wrote,
//! and the village's own sequence number (`village_seq`). Reading "changes
//! of village V after N" ([`Store::feed_after`]) and applying them
//! elsewhere ([`Store::replay_feed`]) rebuild the village's rows exactly:
//! [`Store::village_content_hash`] is the same on both sides.
//!
//! Row images are read back from the database in the writing transaction
//! (or, for bulk loads, built from the very cells that are inserted), so an
//! image is what the row holds, column by column, not what the caller meant
//! to write. A row's `created_seq` (the global log position, which differs
//! between databases) is carried as the `village_seq` of the entry that
//! created it.
//!
//! Kept out of the feed, deliberately: secrets and credentials (a village's
//! signing keys in `village_profile`, PIN hashes, kiosk token hashes), the
//! access log (a log of reads, not data) and reference data (regions,
//! accounts, information pages). Their writes are still logged entries of
//! the feed (with their audit fields), with no row images.

use std::fmt::Write as _;

use balai_domain::KodeWilayah;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::population::Cell;
use crate::row_codec::{Id, instant_from_millis, kode, kode_from};

/// The feed schema version written now. Entries logged before the feed
/// existed are version 0 and carry no payload.
pub const FEED_VERSION: i64 = 1;

/// How a column's value is stored and carried in an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An integer (JSON number).
    Int,
    /// Text (JSON string).
    Text,
    /// Bytes, ids included (JSON string of lowercase hex).
    Blob,
    /// `created_seq`: carried as the creating entry's `village_seq`.
    CreatedSeq,
}

/// A table of village data the feed rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// The village tenant row.
    Village,
    /// Family cards.
    Family,
    /// Residents.
    Resident,
    /// Life events.
    LifeEvent,
    /// Yearly letter counters.
    LetterCounter,
    /// Letter numbers taken (reserved, issued, void).
    LetterNumber,
    /// Issued letters (PDF included).
    Letter,
    /// Residents' letter requests.
    LetterRequest,
    /// Facilitators' coaching notes and the village's answers.
    CoachingNote,
    /// Monthly reports submitted to the regency.
    ReportSubmission,
    /// Complaints filed on the public site.
    Complaint,
    /// Village officials and BPD members.
    Official,
    /// News posts of the village's public site.
    NewsPost,
    /// Activities on the village's agenda.
    Activity,
    /// Sign-ups for activities.
    ActivitySignup,
    /// Photos of news posts.
    NewsImage,
    /// Local products on the village's site.
    Product,
    /// Tourism spots on the village's site.
    TourismSpot,
    /// Photos of products.
    ProductImage,
    /// Photos of tourism spots.
    TourismImage,
    /// The village's public profile (one row).
    VillageProfile,
    /// Fiscal years of the village budget.
    BudgetYear,
    /// Lines of the village budget.
    BudgetLine,
    /// The list of public information (Daftar Informasi Publik).
    PublicInfo,
    /// Documents of public-information entries.
    PublicInfoDocument,
    /// The village's holiday calendar.
    VillageHoliday,
    /// Public-information requests.
    InfoRequest,
    /// Objections to public-information requests.
    InfoObjection,
}

struct Spec {
    name: &'static str,
    /// The column holding the village code.
    village: &'static str,
    /// The key within the village (after the village column).
    key: &'static str,
    cols: &'static [(&'static str, Kind)],
    /// How many of the last columns were added after feed version 1
    /// began: an older image lacks them, and they are null.
    added: usize,
}

use Kind::{Blob, CreatedSeq, Int, Text};

const VILLAGE: Spec = Spec {
    name: "village",
    village: "kode",
    key: "kode",
    cols: &[("kode", Int), ("created_at", Int)],
    added: 0,
};
const FAMILY: Spec = Spec {
    name: "family",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("no_kk", Int),
        ("address", Text),
        ("dusun", Text),
        ("rw", Text),
        ("rt", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const RESIDENT: Spec = Spec {
    name: "resident",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("family_id", Blob),
        ("number", Int),
        ("name", Text),
        ("name_key", Text),
        ("sex", Int),
        ("birth_place", Text),
        ("birth_date", Int),
        ("religion", Int),
        ("education", Int),
        ("occupation", Int),
        ("marital_status", Int),
        ("relationship", Int),
        ("citizenship", Int),
        ("blood_type", Int),
        ("disability", Int),
        ("father_nik", Int),
        ("father_name", Text),
        ("mother_nik", Int),
        ("mother_name", Text),
        ("baseline_status", Int),
        ("status", Int),
        ("details", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const LIFE_EVENT: Spec = Spec {
    name: "life_event",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("resident_id", Blob),
        ("kind", Int),
        ("occurred_on", Int),
        ("created_seq", CreatedSeq),
        // Migration 0013: the event's particulars (JSON), null before.
        ("particulars", Text),
    ],
    added: 1,
};
const LETTER_COUNTER: Spec = Spec {
    name: "letter_counter",
    village: "village",
    key: "counter",
    cols: &[("village", Int), ("counter", Text), ("last", Int)],
    added: 0,
};
const LETTER_NUMBER: Spec = Spec {
    name: "letter_number",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("counter", Text),
        ("seq", Int),
        ("number", Text),
        ("kind", Text),
        ("resident_id", Blob),
        ("status", Text),
        ("void_reason", Text),
        ("reserved_at", Int),
        ("reserved_by", Text),
        ("closed_at", Int),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const LETTER: Spec = Spec {
    name: "letter",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("kind", Text),
        ("number", Text),
        ("counter", Text),
        ("seq", Int),
        ("resident_id", Blob),
        ("issued_on", Int),
        ("valid_until", Int),
        ("token", Text),
        ("statement", Text),
        ("signature", Text),
        ("pdf", Blob),
        ("signer", Text),
        ("issued_by", Text),
        ("revoked_at", Int),
        ("revoke_reason", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const LETTER_REQUEST: Spec = Spec {
    name: "letter_request",
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("resident_id", Blob),
        ("kind", Text),
        ("form", Text),
        ("channel", Text),
        ("status", Text),
        ("reason", Text),
        ("signer", Text),
        ("letter_id", Blob),
        ("queue_day", Int),
        ("queue_number", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const COMPLAINT: Spec = Spec {
    name: "complaint",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("year", Int),
        ("number", Int),
        ("reference", Text),
        ("category", Int),
        ("name", Text),
        ("contact", Text),
        ("body", Text),
        ("status", Int),
        ("answer", Text),
        ("submitted_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const OFFICIAL: Spec = Spec {
    name: "official",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("position", Int),
        ("name", Text),
        ("dusun", Text),
        ("acting", Int),
        ("number", Text),
        ("start_on", Int),
        ("end_on", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const COACHING_NOTE: Spec = Spec {
    name: "coaching_note",
    added: 0,
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("noted_on", Int),
        ("author", Text),
        ("author_name", Text),
        ("body", Text),
        ("follow_up", Text),
        ("answer", Text),
        ("answered_by", Text),
        ("answered_at", Int),
        ("created_at", Int),
        ("created_seq", CreatedSeq),
    ],
};
const REPORT_SUBMISSION: Spec = Spec {
    name: "report_submission",
    added: 0,
    village: "village",
    key: "id",
    cols: &[
        ("id", Blob),
        ("village", Int),
        ("month", Int),
        ("submitted_by", Text),
        ("submitted_at", Int),
        ("figures", Text),
        ("created_seq", CreatedSeq),
    ],
};

const NEWS_POST: Spec = Spec {
    name: "news_post",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("slug", Text),
        ("title", Text),
        ("body", Text),
        ("published", Int),
        ("published_on", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const ACTIVITY: Spec = Spec {
    name: "activity",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("title", Text),
        ("description", Text),
        ("place", Text),
        ("starts_at", Int),
        ("ends_at", Int),
        ("capacity", Int),
        ("signup_open", Int),
        ("published", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const ACTIVITY_SIGNUP: Spec = Spec {
    name: "activity_signup",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("activity_id", Blob),
        ("year", Int),
        ("number", Int),
        ("reference", Text),
        ("name", Text),
        ("contact", Text),
        ("status", Int),
        ("signed_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const NEWS_IMAGE: Spec = Spec {
    name: "news_image",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("post_id", Blob),
        ("width", Int),
        ("height", Int),
        ("jpeg", Blob),
        ("created_at", Int),
        ("created_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const PRODUCT: Spec = Spec {
    name: "product",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("slug", Text),
        ("name", Text),
        ("description", Text),
        ("category", Int),
        ("price", Int),
        ("seller", Text),
        ("whatsapp", Text),
        ("published", Int),
        ("removed_at", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const TOURISM_SPOT: Spec = Spec {
    name: "tourism_spot",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("slug", Text),
        ("name", Text),
        ("description", Text),
        ("location", Text),
        ("lat_micro", Int),
        ("lon_micro", Int),
        ("open_days", Int),
        ("opens", Int),
        ("closes", Int),
        ("ticket_adult", Int),
        ("ticket_child", Int),
        ("published", Int),
        ("removed_at", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const PRODUCT_IMAGE: Spec = Spec {
    name: "product_image",
    village: "village",
    key: "id",
    cols: IMAGE_COLUMNS,
    added: 0,
};
const TOURISM_IMAGE: Spec = Spec {
    name: "tourism_image",
    village: "village",
    key: "id",
    cols: IMAGE_COLUMNS,
    added: 0,
};
const VILLAGE_PROFILE: Spec = Spec {
    name: "village_profile_public",
    village: "village",
    key: "village",
    cols: &[
        ("village", Int),
        ("office_address", Text),
        ("phone", Text),
        ("email", Text),
        ("area_hundredths", Int),
        ("border_north", Text),
        ("border_east", Text),
        ("border_south", Text),
        ("border_west", Text),
        ("lat_micro", Int),
        ("lon_micro", Int),
        ("history", Text),
        ("vision", Text),
        ("mission", Text),
        ("institutions", Text),
        ("updated_at", Int),
        ("updated_by", Text),
    ],
    added: 0,
};
const IMAGE_COLUMNS: &[(&str, Kind)] = &[
    ("village", Int),
    ("id", Blob),
    ("item_id", Blob),
    ("width", Int),
    ("height", Int),
    ("jpeg", Blob),
    ("created_at", Int),
    ("created_by", Text),
    ("created_seq", CreatedSeq),
];

const BUDGET_YEAR: Spec = Spec {
    name: "budget_year",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("year", Int),
        ("published", Int),
        ("period", Int),
        ("report_on", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const BUDGET_LINE: Spec = Spec {
    name: "budget_line",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("year", Int),
        ("account", Text),
        ("sub_bidang", Text),
        ("name", Text),
        ("budget", Int),
        ("realised", Int),
        ("source", Int),
        ("removed_at", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

const PUBLIC_INFO: Spec = Spec {
    name: "public_info",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("category", Int),
        ("ground", Int),
        ("reason", Text),
        ("title", Text),
        ("summary", Text),
        ("body", Int),
        ("year", Int),
        ("removed_at", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const PUBLIC_INFO_DOCUMENT: Spec = Spec {
    name: "public_info_document",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("info_id", Blob),
        ("file_name", Text),
        ("size", Int),
        ("pdf", Blob),
        ("created_at", Int),
        ("created_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const VILLAGE_HOLIDAY: Spec = Spec {
    name: "village_holiday",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("day", Int),
        ("name", Text),
        ("removed_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const INFO_REQUEST: Spec = Spec {
    name: "info_request",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("year", Int),
        ("number", Int),
        ("reference", Text),
        ("name", Text),
        ("contact", Text),
        ("wanted", Text),
        ("purpose", Text),
        ("delivery", Int),
        ("status", Int),
        ("received_on", Int),
        ("deadline", Int),
        ("extension_reason", Text),
        ("outcome", Int),
        ("ground", Int),
        ("answer", Text),
        ("answered_on", Int),
        ("submitted_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};
const INFO_OBJECTION: Spec = Spec {
    name: "info_objection",
    village: "village",
    key: "id",
    cols: &[
        ("village", Int),
        ("id", Blob),
        ("request_id", Blob),
        ("year", Int),
        ("number", Int),
        ("ground", Int),
        ("reason", Text),
        ("filed_on", Int),
        ("answer_due", Int),
        ("answer", Text),
        ("answered_on", Int),
        ("submitted_at", Int),
        ("updated_at", Int),
        ("updated_by", Text),
        ("created_seq", CreatedSeq),
    ],
    added: 0,
};

impl Table {
    /// Every table, parents before children (the order rows are hashed in).
    pub const ALL: [Table; 28] = [
        Table::Village,
        Table::Family,
        Table::Resident,
        Table::LifeEvent,
        Table::LetterCounter,
        Table::LetterNumber,
        Table::Letter,
        Table::LetterRequest,
        Table::CoachingNote,
        Table::ReportSubmission,
        Table::Complaint,
        Table::Official,
        Table::NewsPost,
        Table::Activity,
        Table::ActivitySignup,
        Table::NewsImage,
        Table::Product,
        Table::TourismSpot,
        Table::ProductImage,
        Table::TourismImage,
        Table::VillageProfile,
        Table::BudgetYear,
        Table::BudgetLine,
        Table::PublicInfo,
        Table::PublicInfoDocument,
        Table::VillageHoliday,
        Table::InfoRequest,
        Table::InfoObjection,
    ];

    fn spec(self) -> &'static Spec {
        match self {
            Table::Village => &VILLAGE,
            Table::Family => &FAMILY,
            Table::Resident => &RESIDENT,
            Table::LifeEvent => &LIFE_EVENT,
            Table::LetterCounter => &LETTER_COUNTER,
            Table::LetterNumber => &LETTER_NUMBER,
            Table::Letter => &LETTER,
            Table::LetterRequest => &LETTER_REQUEST,
            Table::CoachingNote => &COACHING_NOTE,
            Table::ReportSubmission => &REPORT_SUBMISSION,
            Table::Complaint => &COMPLAINT,
            Table::Official => &OFFICIAL,
            Table::NewsPost => &NEWS_POST,
            Table::Activity => &ACTIVITY,
            Table::ActivitySignup => &ACTIVITY_SIGNUP,
            Table::NewsImage => &NEWS_IMAGE,
            Table::Product => &PRODUCT,
            Table::TourismSpot => &TOURISM_SPOT,
            Table::ProductImage => &PRODUCT_IMAGE,
            Table::TourismImage => &TOURISM_IMAGE,
            Table::VillageProfile => &VILLAGE_PROFILE,
            Table::BudgetYear => &BUDGET_YEAR,
            Table::BudgetLine => &BUDGET_LINE,
            Table::PublicInfo => &PUBLIC_INFO,
            Table::PublicInfoDocument => &PUBLIC_INFO_DOCUMENT,
            Table::VillageHoliday => &VILLAGE_HOLIDAY,
            Table::InfoRequest => &INFO_REQUEST,
            Table::InfoObjection => &INFO_OBJECTION,
        }
    }
}

/// Which row of a table, within its village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowKey {
    /// A row keyed by its id.
    Id(Uuid),
    /// A letter counter, by name.
    Counter(String),
    /// The village row itself.
    Village,
}

/// The after-image of one row: its table and every column, in table order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowImage {
    /// The table.
    #[serde(rename = "t")]
    pub table: Table,
    /// The columns' values (numbers, strings, hex for bytes, null).
    #[serde(rename = "r")]
    pub row: Vec<Value>,
}

/// The typed payload of a feed entry, stored as JSON in `change_log.feed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPayload {
    /// The feed schema version ([`FEED_VERSION`]).
    pub v: i64,
    /// Which kind of row the change was about.
    pub entity: Entity,
    /// What was done.
    pub action: Action,
    /// The after-image of every row of village data the entry wrote, in
    /// the order written.
    pub rows: Vec<RowImage>,
}

/// One entry of a village's change feed, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// The village.
    pub village: KodeWilayah,
    /// The village's sequence number (strictly increasing, from 1).
    pub village_seq: i64,
    /// The feed schema version (0: logged before the feed; not replayable).
    pub version: i64,
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub actor: String,
    /// Which kind of row (as stored).
    pub entity: String,
    /// Which row.
    pub entity_id: Uuid,
    /// What was done (as stored).
    pub action: String,
    /// The audit trail's view of the row before, as stored.
    pub before: Option<String>,
    /// The audit trail's view of the row after, as stored.
    pub after: Option<String>,
    /// The typed payload (version ≥ 1).
    pub payload: Option<FeedPayload>,
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex(s: &str) -> Result<Vec<u8>, StoreError> {
    let bad = || StoreError::Corrupt(format!("feed: {s:.20} is not hex"));
    if !s.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).ok_or_else(bad)?, 16).map_err(|_| bad()))
        .collect()
}

/// Appends the JSON of a row being bulk-loaded, from the cells that are
/// inserted (`created_seq` already given as the entry's `village_seq`):
/// byte for byte what serializing its [`RowImage`] gives, written directly
/// because a load writes hundreds of thousands of them.
pub(crate) fn push_image(buf: &mut String, table: Table, cells: &[Cell<'_>]) {
    buf.push_str("{\"t\":\"");
    buf.push_str(table.spec().name);
    buf.push_str("\",\"r\":[");
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        match c {
            Cell::Int(Some(v)) => {
                let _ = write!(buf, "{v}");
            }
            Cell::Text(Some(t)) => push_str_json(buf, t),
            Cell::String(Some(t)) => push_str_json(buf, t),
            Cell::Id(Some(id)) => {
                buf.push('"');
                for b in id.as_bytes() {
                    let _ = write!(buf, "{b:02x}");
                }
                buf.push('"');
            }
            Cell::Int(None) | Cell::Text(None) | Cell::String(None) | Cell::Id(None) => {
                buf.push_str("null");
            }
        }
    }
    buf.push_str("]}");
}

fn push_str_json(buf: &mut String, s: &str) {
    // serde_json's own escaping, so the text equals a serialized image.
    buf.push_str(&serde_json::to_string(s).expect("a string serializes"));
}

/// The payload JSON around rows already serialized (`rows`: the images
/// joined by commas), byte for byte what serializing the [`FeedPayload`] gives.
pub(crate) fn payload_around(entity: Entity, action: Action, rows: &str) -> String {
    format!(
        "{{\"v\":{FEED_VERSION},\"entity\":\"{}\",\"action\":\"{}\",\"rows\":[{rows}]}}",
        entity.as_str(),
        action.as_str()
    )
}

fn select_list(spec: &Spec) -> String {
    spec.cols
        .iter()
        .map(|(c, k)| match k {
            CreatedSeq => {
                format!("(SELECT c.village_seq FROM change_log c WHERE c.seq = t.{c}) AS {c}")
            }
            _ => format!("t.{c}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn decode_row(spec: &Spec, row: &sqlx::any::AnyRow) -> Result<Vec<Value>, StoreError> {
    spec.cols
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Int | CreatedSeq => row
                    .try_get::<Option<i64>, _>(i)?
                    .map_or(Value::Null, Value::from),
                Text => row
                    .try_get::<Option<String>, _>(i)?
                    .map_or(Value::Null, Value::from),
                Blob => row
                    .try_get::<Option<Vec<u8>>, _>(i)?
                    .map_or(Value::Null, |b| Value::from(hex(&b))),
            })
        })
        .collect()
}

fn bind_key<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    key: &RowKey,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match key {
        RowKey::Id(id) => q.bind(Id(*id)),
        RowKey::Counter(c) => q.bind(c.clone()),
        RowKey::Village => q,
    }
}

/// The row `key` of `table` in `village` as it is now, in the caller's transaction.
pub(crate) async fn read_image(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    table: Table,
    key: &RowKey,
) -> Result<RowImage, StoreError> {
    let spec = table.spec();
    let filter = match key {
        RowKey::Village => String::new(),
        _ => format!(" AND t.{} = $2", spec.key),
    };
    let sql = format!(
        "SELECT {} FROM {} t WHERE t.{} = $1{filter}",
        select_list(spec),
        spec.name,
        spec.village
    );
    let q = sqlx::query(AssertSqlSafe(sql)).bind(kode(village));
    let row = bind_key(q, key)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            StoreError::Corrupt(format!("feed: the {} row just written is gone", spec.name))
        })?;
    Ok(RowImage {
        table,
        row: decode_row(spec, &row)?,
    })
}

/// Writes `image` into `village`'s rows: updates the row if it exists,
/// inserts it otherwise (portable, and no conflict target to name: the keys
/// differ between the backends).
pub(crate) async fn apply_image(
    conn: &mut AnyConnection,
    village: KodeWilayah,
    image: &RowImage,
) -> Result<(), StoreError> {
    let spec = image.table.spec();
    // An image written before a column was added lacks it: null.
    let mut padded;
    let image =
        if image.row.len() < spec.cols.len() && image.row.len() >= spec.cols.len() - spec.added {
            padded = image.clone();
            padded.row.resize(spec.cols.len(), Value::Null);
            &padded
        } else {
            image
        };
    if image.row.len() != spec.cols.len() {
        return Err(StoreError::Corrupt(format!(
            "feed: a {} image has {} columns, not {}",
            spec.name,
            image.row.len(),
            spec.cols.len()
        )));
    }
    let v = kode(village);
    let key_at = spec
        .cols
        .iter()
        .position(|(c, _)| *c == spec.key)
        .expect("a table's key is one of its columns");
    let village_at = spec
        .cols
        .iter()
        .position(|(c, _)| *c == spec.village)
        .expect("a table's village is one of its columns");
    if image.row[village_at].as_i64() != Some(v) {
        return Err(StoreError::Conflict(format!(
            "feed: a {} image belongs to another village",
            spec.name
        )));
    }
    // Placeholder n for column i is $(i+2); $1 is the village for created_seq.
    let value_sql = |i: usize, kind: Kind| match kind {
        CreatedSeq => format!(
            "(SELECT c.seq FROM change_log c WHERE c.village = $1 AND c.village_seq = ${})",
            i + 2
        ),
        _ => format!("${}", i + 2),
    };
    let sets = spec
        .cols
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != key_at && *i != village_at)
        .map(|(i, (c, k))| format!("{c} = {}", value_sql(i, *k)))
        .collect::<Vec<_>>();
    let bind_all = |sql: String| -> Result<_, StoreError> {
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(v);
        for ((name, kind), value) in spec.cols.iter().zip(&image.row) {
            let wrong = || {
                StoreError::Corrupt(format!(
                    "feed: {}.{name} holds {value}, not a {kind:?}",
                    spec.name
                ))
            };
            q = match (kind, value) {
                (Int | CreatedSeq, Value::Null) => q.bind(None::<i64>),
                (Int | CreatedSeq, v) => q.bind(Some(v.as_i64().ok_or_else(wrong)?)),
                (Text, Value::Null) => q.bind(None::<String>),
                (Text, v) => q.bind(Some(v.as_str().ok_or_else(wrong)?.to_owned())),
                (Blob, Value::Null) => q.bind(None::<Vec<u8>>),
                (Blob, v) => q.bind(Some(unhex(v.as_str().ok_or_else(wrong)?)?)),
            };
        }
        Ok(q)
    };
    let updated = if sets.is_empty() {
        0
    } else {
        let sql = format!(
            "UPDATE {} SET {} WHERE {} = ${} AND {} = ${}",
            spec.name,
            sets.join(", "),
            spec.village,
            village_at + 2,
            spec.key,
            key_at + 2
        );
        bind_all(sql)?.execute(&mut *conn).await?.rows_affected()
    };
    let exists = if sets.is_empty() {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {} = $1",
            spec.name, spec.village
        );
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
            .bind(v)
            .fetch_one(&mut *conn)
            .await?;
        n > 0
    } else {
        updated > 0
    };
    if !exists {
        let cols = spec
            .cols
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ");
        let values = spec
            .cols
            .iter()
            .enumerate()
            .map(|(i, (_, k))| value_sql(i, *k))
            .collect::<Vec<_>>()
            .join(", ");
        // `$1` must be used by the statement on PostgreSQL; it is when a
        // created_seq is present, and otherwise by this always-true test.
        let sql = format!(
            "INSERT INTO {} ({cols}) SELECT {values} WHERE $1 = $1",
            spec.name
        );
        bind_all(sql)?.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A kept figure as hashed: scope, dusun, RW, RT, dimension, code, sex, n.
type StatRow = (i64, String, String, String, i64, i64, i64, i64);

/// The column list of change_log the feed reads, in [`entry`]'s order.
const FEED_COLUMNS: &str =
    "village, village_seq, version, at, actor, entity, entity_id, action, before, after, feed";

type FeedRow = (
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    Id,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn entry(r: FeedRow) -> Result<FeedEntry, StoreError> {
    let payload =
        r.10.map(|s| {
            serde_json::from_str::<FeedPayload>(&s)
                .map_err(|e| StoreError::Corrupt(format!("feed entry {}: {e}", r.1)))
        })
        .transpose()?;
    Ok(FeedEntry {
        village: kode_from(r.0)?,
        village_seq: r.1,
        version: r.2,
        at: instant_from_millis(r.3)?,
        actor: r.4,
        entity: r.5,
        entity_id: r.6.into(),
        action: r.7,
        before: r.8,
        after: r.9,
        payload,
    })
}

impl Store {
    /// The entries of `village`'s feed after `village_seq` `after` (0: from
    /// the start), oldest first, at most `limit`.
    pub async fn feed_after(
        &self,
        village: KodeWilayah,
        after: i64,
        limit: u32,
    ) -> Result<Vec<FeedEntry>, StoreError> {
        let rows: Vec<FeedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FEED_COLUMNS} FROM change_log
             WHERE village = $1 AND village_seq > $2 ORDER BY village_seq LIMIT $3"
        )))
        .bind(kode(village))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(entry).collect()
    }

    /// The last `village_seq` of `village` (0 if it has no entries).
    pub async fn feed_head(&self, village: KodeWilayah) -> Result<i64, StoreError> {
        let (n,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(village_seq) FROM change_log WHERE village = $1")
                .bind(kode(village))
                .fetch_one(self.pool())
                .await?;
        Ok(n.unwrap_or(0))
    }

    /// Applies `entries` (a village's feed, in order, continuing exactly
    /// where this database's copy of that feed ends) to this database: each
    /// entry is appended with its village sequence, audit fields and
    /// payload, its row images are written and the kept statistics follow,
    /// in one transaction per entry through the one write path. An entry
    /// logged before the feed existed (version 0) cannot be replayed.
    pub async fn replay_feed(&self, entries: &[FeedEntry]) -> Result<(), StoreError> {
        for e in entries {
            let payload = e.payload.as_ref().ok_or_else(|| {
                StoreError::Conflict(format!(
                    "feed entry {} of village {} predates the change feed (version {}) and holds no rows to replay",
                    e.village_seq, e.village, e.version
                ))
            })?;
            crate::write::replay_entry(self, e, payload).await?;
        }
        Ok(())
    }

    /// A SHA-256 over `village`'s data: every row of every feed table (rows
    /// sorted by key, `created_seq` as the village sequence of the creating
    /// entry), the village's kept figures, and its feed itself (sequence,
    /// version, audit fields and payload). Equal hashes mean equal data.
    pub async fn village_content_hash(&self, village: KodeWilayah) -> Result<String, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let v = kode(village);
        let mut h = Sha256::new();
        for table in Table::ALL {
            let spec = table.spec();
            let order = if spec.key == spec.village {
                spec.key.to_owned()
            } else {
                format!("t.{}", spec.key)
            };
            let sql = format!(
                "SELECT {} FROM {} t WHERE t.{} = $1 ORDER BY {order}",
                select_list(spec),
                spec.name,
                spec.village
            );
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(v)
                .fetch_all(&mut *conn)
                .await?;
            h.update(spec.name.as_bytes());
            h.update(b"\n");
            for row in rows {
                h.update(Value::from(decode_row(spec, &row)?).to_string().as_bytes());
                h.update(b"\n");
            }
        }
        let stats: Vec<StatRow> = sqlx::query_as(
            "SELECT scope, dusun, rw, rt, dimension, code, sex, n FROM population_stat
             WHERE area = $1 AND n <> 0 ORDER BY scope, dusun, rw, rt, dimension, code, sex",
        )
        .bind(v)
        .fetch_all(&mut *conn)
        .await?;
        h.update(b"population_stat\n");
        for s in stats {
            h.update(format!("{s:?}\n").as_bytes());
        }
        let feed: Vec<FeedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FEED_COLUMNS} FROM change_log WHERE village = $1 ORDER BY village_seq"
        )))
        .bind(v)
        .fetch_all(&mut *conn)
        .await?;
        h.update(b"change_log\n");
        for r in feed {
            h.update(format!("{r:?}\n").as_bytes());
        }
        Ok(hex(&h.finalize()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_loads_image_is_byte_for_byte_its_serialized_row_image() {
        let id = Uuid::from_u128(0xabc);
        let cells = [
            Cell::Id(Some(id)),
            Cell::Int(Some(-3_310_012_001)),
            Cell::Text(Some("JL. \"MAWAR\"\t\\ 5\n\u{7f}é")),
            Cell::String(None),
            Cell::Int(None),
            Cell::Id(None),
        ];
        let mut buf = String::new();
        push_image(&mut buf, Table::LifeEvent, &cells);
        let image = RowImage {
            table: Table::LifeEvent,
            row: vec![
                Value::from(hex(id.as_bytes())),
                Value::from(-3_310_012_001_i64),
                Value::from("JL. \"MAWAR\"\t\\ 5\n\u{7f}é"),
                Value::Null,
                Value::Null,
                Value::Null,
            ],
        };
        assert_eq!(buf, serde_json::to_string(&image).unwrap());
        let payload = FeedPayload {
            v: FEED_VERSION,
            entity: Entity::Population,
            action: Action::Import,
            rows: vec![image.clone(), image],
        };
        assert_eq!(
            payload_around(Entity::Population, Action::Import, &format!("{buf},{buf}")),
            serde_json::to_string(&payload).unwrap()
        );
    }
}
