//! Loading a village's population in bulk (generator, demo, imports):
//! families, residents and life events in one transaction, logged as one
//! change-log entry that every created row points at (`created_seq`).

use std::collections::HashMap;

use balai_domain::codes::StatusDasar;
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{KodeWilayah, Resident};
use serde_json::json;
use sqlx::query::Query;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, AssertSqlSafe};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity, append};
use crate::db::Store;
use crate::dialect::values_clause;
use crate::error::StoreError;
use crate::row_codec::{day_number, kode, nik, no_kk, number};
use crate::write_context::WriteContext;

/// One village's population to load.
#[derive(Debug, Clone, Copy)]
pub struct Population<'a> {
    /// The village all rows belong to; rows of another village are refused.
    pub village: KodeWilayah,
    /// Family cards.
    pub families: &'a [Family],
    /// Residents.
    pub residents: &'a [Resident],
    /// Life events of those residents.
    pub events: &'a [LifeEvent],
    /// Status at registration per resident (`None`: registered by a birth or
    /// move-in event). Residents not listed were registered with their current status.
    pub baselines: &'a [(Uuid, Option<StatusDasar>)],
}

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PopulationCounts {
    /// Families written.
    pub families: u64,
    /// Residents written.
    pub residents: u64,
    /// Life events written.
    pub events: u64,
    /// Change-log entries written.
    pub changes: u64,
}

const FAMILY_COLS: usize = 8;
const RESIDENT_COLS: usize = 25;
const EVENT_COLS: usize = 6;

/// Rows per statement: large chunks amortise statement overhead; the tail is
/// written in power-of-two chunks so only a handful of distinct statements
/// (all cached) ever exist, whatever the batch size.
const CHUNK: usize = 1024;

const FAMILY_INSERT: &str =
    "INSERT INTO family (id, village, no_kk, address, dusun, rw, rt, created_seq) VALUES ";
pub(crate) const RESIDENT_INSERT: &str = "INSERT INTO resident (id, village, family_id, number, name, name_key, sex, birth_place, birth_date,
    religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
    father_nik, father_name, mother_nik, mother_name, baseline_status, status, details, created_seq) VALUES ";
const EVENT_INSERT: &str =
    "INSERT INTO life_event (id, village, resident_id, kind, occurred_on, created_seq) VALUES ";

impl Store {
    /// Writes a village's families, residents and events in one transaction:
    /// all of it is kept or none. The load is one change-log entry.
    pub async fn insert_population(
        &self,
        ctx: &WriteContext,
        pop: Population<'_>,
    ) -> Result<PopulationCounts, StoreError> {
        if let Some(f) = pop.families.iter().find(|f| f.village != pop.village) {
            return Err(StoreError::Conflict(format!(
                "family {} belongs to village {}, not {}",
                f.id, f.village, pop.village
            )));
        }
        if let Some(r) = pop.residents.iter().find(|r| r.village != pop.village) {
            return Err(StoreError::Conflict(format!(
                "resident {} belongs to village {}, not {}",
                r.id, r.village, pop.village
            )));
        }
        let baselines: HashMap<Uuid, Option<StatusDasar>> = pop.baselines.iter().copied().collect();
        let village = kode(pop.village);
        let mut tx = self.pool().begin().await?;
        if let Some(setup) = crate::dialect::bulk_load_setup(self.backend()) {
            sqlx::query(setup).execute(&mut *tx).await?;
        }
        let summary = json!({
            "families": pop.families.len(), "residents": pop.residents.len(), "events": pop.events.len(),
        });
        let entity_id = Uuid::from_u64_pair(0, pop.village.as_u64());
        let seq = append(
            &mut tx,
            ctx,
            Change {
                village: Some(pop.village),
                entity: Entity::Population,
                entity_id,
                action: Action::Import,
                before: None,
                after: Some(&summary),
            },
        )
        .await?;

        insert_chunked(&mut tx, FAMILY_INSERT, FAMILY_COLS, pop.families, |q, f| {
            q.bind(crate::row_codec::Id(f.id))
                .bind(village)
                .bind(no_kk(&f.no_kk))
                .bind(&f.address)
                .bind(f.wilayah.dusun())
                .bind(f.wilayah.rw())
                .bind(f.wilayah.rt())
                .bind(seq)
        })
        .await?;
        insert_chunked(
            &mut tx,
            RESIDENT_INSERT,
            RESIDENT_COLS,
            pop.residents,
            |q, r| {
                let baseline = baselines.get(&r.id).copied().unwrap_or(Some(r.status));
                bind_resident(q, r, baseline, Some(seq))
            },
        )
        .await?;
        insert_chunked(&mut tx, EVENT_INSERT, EVENT_COLS, pop.events, |q, e| {
            q.bind(crate::row_codec::Id(e.id))
                .bind(village)
                .bind(crate::row_codec::Id(e.resident_id))
                .bind(i64::from(e.kind.code()))
                .bind(day_number(e.occurred_on))
                .bind(seq)
        })
        .await?;
        tx.commit().await?;
        Ok(PopulationCounts {
            families: pop.families.len() as u64,
            residents: pop.residents.len() as u64,
            events: pop.events.len() as u64,
            changes: 1,
        })
    }
}

type AnyQuery<'q> = Query<'q, Any, AnyArguments>;

/// Inserts `rows` with multi-row statements of [`CHUNK`] rows, then
/// power-of-two tails. While SQLite (on sqlx's worker thread) executes one
/// chunk, this thread binds the next, so both cores work.
async fn insert_chunked<'r, T>(
    conn: &mut AnyConnection,
    head: &str,
    cols: usize,
    rows: &'r [T],
    bind: impl for<'q> Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
) -> Result<(), StoreError> {
    let backend = crate::backend::Backend::of(conn);
    let mut chunks = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let n = if rest.len() >= CHUNK {
            CHUNK
        } else {
            1 << rest.len().ilog2()
        };
        let (chunk, tail) = rest.split_at(n);
        chunks.push(chunk);
        rest = tail;
    }
    let build = |chunk: &'r [T]| {
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "{head}{}",
            values_clause(backend, chunk.len(), cols)
        )));
        for row in chunk {
            q = bind(q, row);
        }
        q
    };
    let mut next = chunks.first().map(|c| build(c));
    for i in 0..chunks.len() {
        let current = next.take().expect("built ahead");
        let (done, built) = tokio::join!(current.execute(&mut *conn), async {
            chunks.get(i + 1).map(|c| build(c))
        });
        next = built;
        done.map_err(|e| {
            let e = StoreError::Database(e);
            if e.is_unique_violation() {
                StoreError::Conflict("a NIK, No. KK or id in this batch already exists in the village or repeats within it".into())
            } else {
                e
            }
        })?;
    }
    Ok(())
}

/// Binds one resident's 25 columns in table order.
pub(crate) fn bind_resident<'q>(
    q: AnyQuery<'q>,
    r: &'q Resident,
    baseline: Option<StatusDasar>,
    created_seq: Option<i64>,
) -> AnyQuery<'q> {
    q.bind(crate::row_codec::Id(r.id))
        .bind(kode(r.village))
        .bind(crate::row_codec::opt_id(r.family_id))
        .bind(number(&r.number))
        .bind(r.name.as_str())
        .bind(r.name.search_key())
        .bind(i64::from(r.sex.code()))
        .bind(&r.birth_place)
        .bind(day_number(r.birth_date))
        .bind(i64::from(r.religion.code()))
        .bind(i64::from(r.education.code()))
        .bind(i64::from(r.occupation.code()))
        .bind(i64::from(r.marital_status.code()))
        .bind(i64::from(r.relationship.code()))
        .bind(i64::from(r.citizenship.code()))
        .bind(i64::from(r.blood_type.code()))
        .bind(r.disability.map(|d| i64::from(d.code())))
        .bind(r.father_nik.as_ref().map(nik))
        .bind(&r.father_name)
        .bind(r.mother_nik.as_ref().map(nik))
        .bind(&r.mother_name)
        .bind(baseline.map(|s| i64::from(s.code())))
        .bind(i64::from(r.status.code()))
        .bind(
            (!r.details.is_empty())
                .then(|| serde_json::to_string(&r.details).expect("details serialize")),
        )
        .bind(created_seq)
}
