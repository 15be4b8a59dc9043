//! Loading a village's population in bulk (generator, demo, imports):
//! families, residents and life events in one transaction, logged as one
//! change-log entry that every created row points at (`created_seq`).

use std::collections::HashMap;

use balai_domain::codes::StatusDasar;
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{KodeWilayah, Resident};
use serde_json::json;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe};
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::dialect::values_clause;
use crate::error::StoreError;
use crate::feed::{Table, push_image};
use crate::population_stats::{self, Contribution, family_part};
use crate::row_codec::{Id, day_number, kode, nik, no_kk, number};
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

pub(crate) const FAMILY_COLS: usize = 8;
pub(crate) const RESIDENT_COLS: usize = 25;
pub(crate) const EVENT_COLS: usize = 7;

/// Rows per statement: large chunks amortise statement overhead; the tail is
/// written in power-of-two chunks so only a handful of distinct statements
/// (all cached) ever exist, whatever the batch size.
const CHUNK: usize = 1024;

const FAMILY_INSERT: &str =
    "INSERT INTO family (id, village, no_kk, address, dusun, rw, rt, created_seq) VALUES ";
pub(crate) const RESIDENT_INSERT: &str = "INSERT INTO resident (id, village, family_id, number, name, name_key, sex, birth_place, birth_date,
    religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
    father_nik, father_name, mother_nik, mother_name, baseline_status, status, details, created_seq) VALUES ";
const EVENT_INSERT: &str = "INSERT INTO life_event (id, village, resident_id, kind, occurred_on, created_seq, particulars) VALUES ";

impl Store {
    /// Writes a village's families, residents and events in one transaction:
    /// all of it is kept or none. The load is logged as one feed entry per
    /// chunk of rows, holding the rows.
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
        let baseline = |r: &Resident| baselines.get(&r.id).copied().unwrap_or(Some(r.status));
        let village = kode(pop.village);
        let (families, residents, events) = (
            chunks(pop.families),
            chunks(pop.residents),
            chunks(pop.events),
        );
        if let Some(bulk) = self.bulk() {
            let counts =
                load_by_copy(bulk, ctx, &pop, (&families, &residents, &events), &baseline).await?;
            self.stat_written();
            return Ok(counts);
        }
        let mut w = self.write(ctx, pop.village).await?;
        if let Some(setup) = crate::dialect::bulk_load_setup(self.backend()) {
            sqlx::query(setup).execute(w.conn()).await?;
        }
        // The feed carries the rows themselves: one entry per chunk of rows
        // (the chunks the INSERTs use), each row pointing at its chunk's
        // entry, so a load is as replayable as any other change and no entry
        // grows with the village.
        let entity_id = Uuid::from_u64_pair(0, pop.village.as_u64());
        let totals = json!({
            "families": pop.families.len(), "residents": pop.residents.len(), "events": pop.events.len(),
        });
        let change = |table: &str, part: usize, rows: usize| json!({ "load": totals, "table": table, "part": part, "rows": rows });
        let mut family_seqs = Vec::with_capacity(families.len());
        for (i, chunk) in families.iter().enumerate() {
            let after = change("family", i, chunk.len());
            family_seqs.push(
                w.log_with_rows(load_change(pop.village, entity_id, &after), |vseq| {
                    images(chunk, |buf, f| {
                        push_image(buf, Table::Family, &family_cells(f, village, vseq));
                    })
                })
                .await?,
            );
        }
        let mut resident_seqs = Vec::with_capacity(residents.len());
        for (i, chunk) in residents.iter().enumerate() {
            let after = change("resident", i, chunk.len());
            resident_seqs.push(
                w.log_with_rows(load_change(pop.village, entity_id, &after), |vseq| {
                    images(chunk, |buf, r| {
                        push_image(
                            buf,
                            Table::Resident,
                            &resident_cells(r, baseline(r), Some(vseq)),
                        );
                    })
                })
                .await?,
            );
        }
        let mut event_seqs = Vec::with_capacity(events.len());
        for (i, chunk) in events.iter().enumerate() {
            let after = change("life_event", i, chunk.len());
            event_seqs.push(
                w.log_with_rows(load_change(pop.village, entity_id, &after), |vseq| {
                    images(chunk, |buf, e| {
                        push_image(buf, Table::LifeEvent, &event_cells(e, village, vseq));
                    })
                })
                .await?,
            );
        }
        let mut changes = (family_seqs.len() + resident_seqs.len() + event_seqs.len()) as u64;
        if changes == 0 {
            // An empty load is still a logged change.
            w.log_with_rows(load_change(pop.village, entity_id, &totals), |_| {
                String::new()
            })
            .await?;
            changes = 1;
        }
        insert_chunked(
            w.conn(),
            FAMILY_INSERT,
            FAMILY_COLS,
            &families,
            &family_seqs,
            |q, f, seq| bind_cells(q, family_cells(f, village, seq)),
        )
        .await?;
        insert_chunked(
            w.conn(),
            RESIDENT_INSERT,
            RESIDENT_COLS,
            &residents,
            &resident_seqs,
            |q, r, seq| bind_resident(q, r, baseline(r), Some(seq)),
        )
        .await?;
        insert_chunked(
            w.conn(),
            EVENT_INSERT,
            EVENT_COLS,
            &events,
            &event_seqs,
            |q, e, seq| bind_cells(q, event_cells(e, village, seq)),
        )
        .await?;
        let stats = load_contribution(w.conn(), &pop).await?;
        w.add_to_figures(stats);
        w.commit().await?;
        Ok(PopulationCounts {
            families: pop.families.len() as u64,
            residents: pop.residents.len() as u64,
            events: pop.events.len() as u64,
            changes,
        })
    }
}

/// A load's rows as the INSERT path chunks them: families, residents, events.
type LoadChunks<'c, 'r> = (
    &'c [&'r [Family]],
    &'c [&'r [Resident]],
    &'c [&'r [LifeEvent]],
);

/// A load on PostgreSQL: the same entries and rows as the INSERT path, the
/// rows streamed with `COPY` on the driver's own connection (see
/// `backend::postgres::Bulk`), the statistics kept in the same transaction.
async fn load_by_copy(
    bulk: &crate::backend::postgres::Bulk,
    ctx: &WriteContext,
    pop: &Population<'_>,
    chunks: LoadChunks<'_, '_>,
    baseline: &(dyn Fn(&Resident) -> Option<StatusDasar> + Sync),
) -> Result<PopulationCounts, StoreError> {
    use crate::backend::postgres::{BulkEntry, COPY_EVENT, COPY_FAMILY, COPY_RESIDENT, copy_row};
    let (families, residents, events) = chunks;
    let village = kode(pop.village);
    let mut tx = bulk.begin(village).await?;
    let mut vseq = tx.last_village_seq(village).await?;
    let entity_id = Uuid::from_u64_pair(0, pop.village.as_u64());
    let totals = json!({
        "families": pop.families.len(), "residents": pop.residents.len(), "events": pop.events.len(),
    });
    let entry = |vseq: i64, after: String, feed: String| BulkEntry {
        village,
        village_seq: vseq,
        at: ctx.at_millis(),
        actor: &ctx.actor,
        entity: Entity::Population.as_str(),
        entity_id,
        action: Action::Import.as_str(),
        after,
        feed,
    };
    let after = |table: &str, part: usize, rows: usize| {
        json!({ "load": totals, "table": table, "part": part, "rows": rows }).to_string()
    };
    let payload =
        |rows: &str| crate::feed::payload_around(Entity::Population, Action::Import, rows);
    let mut changes = 0u64;
    let mut data = Vec::new();
    for (i, chunk) in families.iter().enumerate() {
        vseq += 1;
        let rows = images(chunk, |buf, f| {
            push_image(buf, Table::Family, &family_cells(f, village, vseq));
        });
        let seq = tx
            .append(entry(vseq, after("family", i, chunk.len()), payload(&rows)))
            .await?;
        for f in *chunk {
            copy_row(&mut data, &family_cells(f, village, seq));
        }
        changes += 1;
    }
    tx.copy(COPY_FAMILY, &data).await.map_err(batch_conflict)?;
    data.clear();
    for (i, chunk) in residents.iter().enumerate() {
        vseq += 1;
        let rows = images(chunk, |buf, r| {
            push_image(
                buf,
                Table::Resident,
                &resident_cells(r, baseline(r), Some(vseq)),
            );
        });
        let seq = tx
            .append(entry(
                vseq,
                after("resident", i, chunk.len()),
                payload(&rows),
            ))
            .await?;
        for r in *chunk {
            copy_row(&mut data, &resident_cells(r, baseline(r), Some(seq)));
        }
        changes += 1;
    }
    tx.copy(COPY_RESIDENT, &data)
        .await
        .map_err(batch_conflict)?;
    data.clear();
    for (i, chunk) in events.iter().enumerate() {
        vseq += 1;
        let rows = images(chunk, |buf, e| {
            push_image(buf, Table::LifeEvent, &event_cells(e, village, vseq));
        });
        let seq = tx
            .append(entry(
                vseq,
                after("life_event", i, chunk.len()),
                payload(&rows),
            ))
            .await?;
        for e in *chunk {
            copy_row(&mut data, &event_cells(e, village, seq));
        }
        changes += 1;
    }
    tx.copy(COPY_EVENT, &data).await.map_err(batch_conflict)?;
    if changes == 0 {
        tx.append(entry(vseq + 1, totals.to_string(), payload("")))
            .await?;
        changes = 1;
    }
    let mut parts = known_parts(pop);
    let missing = missing_parts(pop, &parts);
    for (id, d, rw, rt) in tx.family_parts(village, &missing).await? {
        parts.insert(id, (village, d, rw, rt));
    }
    population_stats::apply_bulk(&mut tx, &contribution_of(pop, &parts)).await?;
    tx.commit().await?;
    Ok(PopulationCounts {
        families: pop.families.len() as u64,
        residents: pop.residents.len() as u64,
        events: pop.events.len() as u64,
        changes,
    })
}

fn load_change<'a>(
    village: KodeWilayah,
    entity_id: Uuid,
    after: &'a serde_json::Value,
) -> Change<'a> {
    Change {
        village: Some(village),
        entity: Entity::Population,
        entity_id,
        action: Action::Import,
        before: None,
        after: Some(after),
    }
}

/// The JSON images of `rows`, joined by commas.
fn images<T>(rows: &[T], mut push: impl FnMut(&mut String, &T)) -> String {
    let mut buf = String::with_capacity(rows.len() * 256);
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        push(&mut buf, row);
    }
    buf
}

/// `rows` split as the INSERTs write them: chunks of [`CHUNK`] rows, then
/// power-of-two tails, so only a handful of distinct statements (all
/// cached) ever exist, whatever the batch size.
fn chunks<T>(rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let n = if rest.len() >= CHUNK {
            CHUNK
        } else {
            1 << rest.len().ilog2()
        };
        let (chunk, tail) = rest.split_at(n);
        out.push(chunk);
        rest = tail;
    }
    out
}

type AnyQuery<'q> = Query<'q, Any, AnyArguments>;

fn batch_conflict(e: StoreError) -> StoreError {
    if e.is_unique_violation() {
        StoreError::Conflict(
            "a NIK, No. KK or id in this batch already exists in the village or repeats within it"
                .into(),
        )
    } else {
        e
    }
}

/// Inserts each chunk of rows with one multi-row statement, its rows
/// pointing at `seqs[i]`. While SQLite (on sqlx's worker thread) executes
/// one chunk, this thread binds the next, so both cores work.
async fn insert_chunked<'r, T>(
    conn: &mut AnyConnection,
    head: &str,
    cols: usize,
    chunks: &[&'r [T]],
    seqs: &[i64],
    bind: impl for<'q> Fn(AnyQuery<'q>, &'q T, i64) -> AnyQuery<'q>,
) -> Result<(), StoreError> {
    let backend = crate::backend::Backend::of(conn);
    let build = |i: usize| {
        let chunk: &'r [T] = chunks[i];
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "{head}{}",
            values_clause(backend, chunk.len(), cols)
        )));
        for row in chunk {
            q = bind(q, row, seqs[i]);
        }
        q
    };
    let mut next = (!chunks.is_empty()).then(|| build(0));
    for i in 0..chunks.len() {
        let current = next.take().expect("built ahead");
        let (done, built) = tokio::join!(current.execute(&mut *conn), async {
            (i + 1 < chunks.len()).then(|| build(i + 1))
        });
        next = built;
        done.map_err(|e| batch_conflict(StoreError::Database(e)))?;
    }
    Ok(())
}

/// One column value of a row being written: bound as a parameter
/// (`INSERT … VALUES`) or encoded for PostgreSQL's `COPY`. Each table's row
/// is described once, as cells, for both.
pub(crate) enum Cell<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    String(Option<String>),
    Id(Option<Uuid>),
}

/// Binds `cells` in order.
fn bind_cells<'q, const N: usize>(mut q: AnyQuery<'q>, cells: [Cell<'q>; N]) -> AnyQuery<'q> {
    for c in cells {
        q = match c {
            Cell::Int(v) => q.bind(v),
            Cell::Text(v) => q.bind(v),
            Cell::String(v) => q.bind(v),
            Cell::Id(v) => q.bind(v.map(crate::row_codec::Id)),
        };
    }
    q
}

/// A family's 8 columns in table order.
pub(crate) fn family_cells(f: &Family, village: i64, created_seq: i64) -> [Cell<'_>; FAMILY_COLS] {
    [
        Cell::Id(Some(f.id)),
        Cell::Int(Some(village)),
        Cell::Int(Some(no_kk(&f.no_kk))),
        Cell::Text(Some(&f.address)),
        Cell::Text(Some(f.wilayah.dusun())),
        Cell::Text(Some(f.wilayah.rw())),
        Cell::Text(Some(f.wilayah.rt())),
        Cell::Int(Some(created_seq)),
    ]
}

/// A life event's 7 columns in table order (the particulars, added by
/// migration 0013, last).
pub(crate) fn event_cells(e: &LifeEvent, village: i64, created_seq: i64) -> [Cell<'_>; EVENT_COLS] {
    [
        Cell::Id(Some(e.id)),
        Cell::Int(Some(village)),
        Cell::Id(Some(e.resident_id)),
        Cell::Int(Some(i64::from(e.kind.code()))),
        Cell::Int(Some(day_number(e.occurred_on))),
        Cell::Int(Some(created_seq)),
        Cell::String(e.particulars.as_ref().map(particulars_json)),
    ]
}

/// How an event's particulars are stored: their JSON document.
pub(crate) fn particulars_json(p: &balai_domain::particulars::Particulars) -> String {
    serde_json::to_string(p).expect("particulars serialize (no maps, no floats)")
}

/// A resident's 25 columns in table order.
pub(crate) fn resident_cells(
    r: &Resident,
    baseline: Option<StatusDasar>,
    created_seq: Option<i64>,
) -> [Cell<'_>; RESIDENT_COLS] {
    let code = |c: u8| Cell::Int(Some(i64::from(c)));
    [
        Cell::Id(Some(r.id)),
        Cell::Int(Some(kode(r.village))),
        Cell::Id(r.family_id),
        Cell::Int(Some(number(&r.number))),
        Cell::Text(Some(r.name.as_str())),
        Cell::String(Some(r.name.search_key())),
        code(r.sex.code()),
        Cell::Text(Some(&r.birth_place)),
        Cell::Int(Some(day_number(r.birth_date))),
        code(r.religion.code()),
        code(r.education.code()),
        code(r.occupation.code()),
        code(r.marital_status.code()),
        code(r.relationship.code()),
        code(r.citizenship.code()),
        code(r.blood_type.code()),
        Cell::Int(r.disability.map(|d| i64::from(d.code()))),
        Cell::Int(r.father_nik.as_ref().map(nik)),
        Cell::Text(Some(&r.father_name)),
        Cell::Int(r.mother_nik.as_ref().map(nik)),
        Cell::Text(Some(&r.mother_name)),
        Cell::Int(baseline.map(|s| i64::from(s.code()))),
        code(r.status.code()),
        Cell::String(
            (!r.details.is_empty())
                .then(|| serde_json::to_string(&r.details).expect("details serialize")),
        ),
        Cell::Int(created_seq),
    ]
}

/// Binds one resident's 25 columns in table order.
pub(crate) fn bind_resident<'q>(
    q: AnyQuery<'q>,
    r: &'q Resident,
    baseline: Option<StatusDasar>,
    created_seq: Option<i64>,
) -> AnyQuery<'q> {
    bind_cells(q, resident_cells(r, baseline, created_seq))
}

/// What a load adds to the figures, counted from the rows in memory (a
/// resident of a family card loaded earlier is placed by reading that card).
async fn load_contribution(
    conn: &mut AnyConnection,
    pop: &Population<'_>,
) -> Result<Contribution, StoreError> {
    let v = kode(pop.village);
    let mut parts = known_parts(pop);
    let missing = missing_parts(pop, &parts);
    for chunk in missing.chunks(512) {
        let list = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(",");
        let mut q = sqlx::query_as::<_, (Id, String, String, String)>(AssertSqlSafe(format!(
            "SELECT id, dusun, rw, rt FROM family WHERE village = $1 AND id IN ({list})"
        )))
        .bind(v);
        for id in chunk {
            q = q.bind(Id(*id));
        }
        for (Id(id), d, rw, rt) in q.fetch_all(&mut *conn).await? {
            parts.insert(id, (v, d, rw, rt));
        }
    }
    Ok(contribution_of(pop, &parts))
}

/// Where the load's own family cards are.
fn known_parts(pop: &Population<'_>) -> HashMap<Uuid, population_stats::Part> {
    pop.families
        .iter()
        .map(|f| (f.id, family_part(f)))
        .collect()
}

/// Cards the load's residents join that the load does not bring.
fn missing_parts(pop: &Population<'_>, parts: &HashMap<Uuid, population_stats::Part>) -> Vec<Uuid> {
    pop.residents
        .iter()
        .filter_map(|r| r.family_id)
        .filter(|id| !parts.contains_key(id))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// What the load adds to the figures, its residents placed by `parts`.
fn contribution_of(
    pop: &Population<'_>,
    parts: &HashMap<Uuid, population_stats::Part>,
) -> Contribution {
    let v = kode(pop.village);
    let mut c = Contribution::default();
    for f in pop.families {
        c.add_family(family_part(f), 1);
    }
    let none = (v, String::new(), String::new(), String::new());
    for r in pop.residents {
        let part = r
            .family_id
            .and_then(|id| parts.get(&id).cloned())
            .unwrap_or_else(|| none.clone());
        c.add_resident(part, r, 1);
    }
    c
}
