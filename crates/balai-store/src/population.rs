//! Loading a village's population in bulk (generator, demo, imports): families,
//! residents, life events and their change-log entries, all in one transaction.

use std::collections::HashMap;

use balai_domain::codes::StatusDasar;
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{KodeWilayah, Resident, ResidentNumber};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::change_log::{Action, Entity};
use crate::db::Store;
use crate::dialect::{MAX_PARAMS, values_clause};
use crate::error::StoreError;
use crate::row_codec::day_number;
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

const FAMILY_COLS: usize = 7;
const RESIDENT_COLS: usize = 23;
const EVENT_COLS: usize = 5;
const CHANGE_COLS: usize = 8;

impl Store {
    /// Writes a village's families, residents and events, each with its
    /// change-log entry, in one transaction: all of it is kept or none.
    pub async fn insert_population(&self, ctx: &WriteContext, pop: Population<'_>) -> Result<PopulationCounts, StoreError> {
        let village = pop.village.plain();
        if let Some(f) = pop.families.iter().find(|f| f.village != pop.village) {
            return Err(StoreError::Conflict(format!("family {} belongs to village {}, not {}", f.id, f.village, pop.village)));
        }
        if let Some(r) = pop.residents.iter().find(|r| r.village != pop.village) {
            return Err(StoreError::Conflict(format!("resident {} belongs to village {}, not {}", r.id, r.village, pop.village)));
        }
        let baselines: HashMap<Uuid, Option<StatusDasar>> = pop.baselines.iter().copied().collect();
        let mut tx = self.pool().begin().await?;
        let mut counts = PopulationCounts::default();

        let mut changes: Vec<(Entity, Uuid, String)> = Vec::with_capacity(FLUSH_AT);
        for chunk in pop.families.chunks(MAX_PARAMS / FAMILY_COLS) {
            let sql = format!(
                "INSERT INTO family (id, village, no_kk, address, dusun, rw, rt) VALUES {}",
                values_clause(chunk.len(), FAMILY_COLS)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for f in chunk {
                q = q.bind(f.id).bind(&village).bind(f.no_kk.as_str()).bind(&f.address).bind(f.wilayah.dusun()).bind(f.wilayah.rw()).bind(f.wilayah.rt());
                changes.push((Entity::Family, f.id, json(f)?));
            }
            run(&mut tx, q).await?;
            counts.families += chunk.len() as u64;
            flush_if_full(&mut tx, ctx, &village, &mut changes, &mut counts).await?;
        }
        for chunk in pop.residents.chunks(MAX_PARAMS / RESIDENT_COLS) {
            let sql = format!(
                "INSERT INTO resident (id, village, family_id, number, is_temporary, name, sex, birth_place, birth_date,
                   religion, education, occupation, marital_status, relationship, citizenship, blood_type, disability,
                   father_nik, father_name, mother_nik, mother_name, baseline_status, status) VALUES {}",
                values_clause(chunk.len(), RESIDENT_COLS)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                let baseline = baselines.get(&r.id).copied().unwrap_or(Some(r.status));
                q = bind_resident(q, r, &village, baseline);
                changes.push((Entity::Resident, r.id, json(r)?));
            }
            run(&mut tx, q).await?;
            counts.residents += chunk.len() as u64;
            flush_if_full(&mut tx, ctx, &village, &mut changes, &mut counts).await?;
        }
        for chunk in pop.events.chunks(MAX_PARAMS / EVENT_COLS) {
            let sql = format!(
                "INSERT INTO life_event (id, village, resident_id, kind, occurred_on) VALUES {}",
                values_clause(chunk.len(), EVENT_COLS)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for e in chunk {
                q = q.bind(e.id).bind(&village).bind(e.resident_id).bind(i64::from(e.kind.code())).bind(day_number(e.occurred_on));
                changes.push((Entity::LifeEvent, e.id, json(e)?));
            }
            run(&mut tx, q).await?;
            counts.events += chunk.len() as u64;
            flush_if_full(&mut tx, ctx, &village, &mut changes, &mut counts).await?;
        }
        flush(&mut tx, ctx, &village, &mut changes, &mut counts).await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// Binds one resident's 23 columns in table order.
pub(crate) fn bind_resident<'q>(
    q: Query<'q, Sqlite, SqliteArguments>,
    r: &'q Resident,
    village: &'q str,
    baseline: Option<StatusDasar>,
) -> Query<'q, Sqlite, SqliteArguments> {
    q.bind(r.id)
        .bind(village)
        .bind(r.family_id)
        .bind(r.number.to_string())
        .bind(matches!(r.number, ResidentNumber::Sementara(_)))
        .bind(r.name.as_str())
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
        .bind(r.father_nik.map(|n| n.to_string()))
        .bind(&r.father_name)
        .bind(r.mother_nik.map(|n| n.to_string()))
        .bind(&r.mother_name)
        .bind(baseline.map(|s| i64::from(s.code())))
        .bind(i64::from(r.status.code()))
}

const FLUSH_AT: usize = MAX_PARAMS / CHANGE_COLS;

fn json(v: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

async fn run(conn: &mut SqliteConnection, q: Query<'_, Sqlite, SqliteArguments>) -> Result<(), StoreError> {
    q.execute(conn).await.map_err(|e| {
        let e = StoreError::Database(e);
        if e.is_unique_violation() {
            StoreError::Conflict("a NIK, No. KK or id in this batch already exists in the village".into())
        } else {
            e
        }
    })?;
    Ok(())
}

async fn flush_if_full(
    conn: &mut SqliteConnection,
    ctx: &WriteContext,
    village: &str,
    changes: &mut Vec<(Entity, Uuid, String)>,
    counts: &mut PopulationCounts,
) -> Result<(), StoreError> {
    if changes.len() >= FLUSH_AT {
        flush(conn, ctx, village, changes, counts).await?;
    }
    Ok(())
}

/// Writes the pending change-log entries as multi-row inserts.
async fn flush(
    conn: &mut SqliteConnection,
    ctx: &WriteContext,
    village: &str,
    changes: &mut Vec<(Entity, Uuid, String)>,
    counts: &mut PopulationCounts,
) -> Result<(), StoreError> {
    let at = ctx.at_millis();
    for chunk in changes.chunks(FLUSH_AT) {
        let sql = format!(
            "INSERT INTO change_log (village, at, actor, entity, entity_id, action, before, after) VALUES {}",
            values_clause(chunk.len(), CHANGE_COLS)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (entity, id, after) in chunk {
            q = q
                .bind(village)
                .bind(at)
                .bind(&ctx.actor)
                .bind(entity.as_str())
                .bind(*id)
                .bind(Action::Create.as_str())
                .bind(None::<String>)
                .bind(after.as_str());
        }
        run(conn, q).await?;
        counts.changes += chunk.len() as u64;
    }
    changes.clear();
    Ok(())
}
