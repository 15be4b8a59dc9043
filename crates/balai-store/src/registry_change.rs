//! One change to a village's registry (a life event, a correction, a family
//! split, an import of changed rows): checked against what was read, written,
//! and logged with before and after, all in one transaction.

use balai_domain::codes::StatusDasar;
use balai_domain::family::Family;
use balai_domain::life_event::LifeEvent;
use balai_domain::{KodeWilayah, Resident};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::dialect::values_clause;
use crate::error::StoreError;
use crate::families::fetch_family;
use crate::feed::Table;
use crate::population::{RESIDENT_INSERT, bind_resident};
use crate::residents::{RESIDENT_COLUMNS, ResidentRow};
use crate::row_codec::{day_number, kode, no_kk};
use crate::write_context::WriteContext;

/// Everything one registry operation writes.
#[derive(Debug, Clone, Default)]
pub struct RegistryChange {
    /// Why (shown in the audit trail), e.g. `kematian` or the operator's correction reason.
    pub reason: String,
    /// Families to create.
    pub new_families: Vec<Family>,
    /// Families to change: (as read, as it must become).
    pub changed_families: Vec<(Family, Family)>,
    /// Residents to register, with their status at registration.
    pub new_residents: Vec<(Resident, Option<StatusDasar>)>,
    /// Residents to change: (as read, as they must become).
    pub changed_residents: Vec<(Resident, Resident)>,
    /// Life events to record.
    pub events: Vec<LifeEvent>,
}

fn to_json(v: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_value(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn stale(what: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{what} was changed by someone else meanwhile; reload the page and try again"
    ))
}

async fn current_resident(
    conn: &mut AnyConnection,
    r: &Resident,
) -> Result<Option<Resident>, StoreError> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RESIDENT_COLUMNS} FROM resident WHERE village = $1 AND id = $2"
    )))
    .bind(kode(r.village))
    .bind(crate::row_codec::Id(r.id))
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        ResidentRow::from_row(&row)
            .map_err(StoreError::from)
            .and_then(ResidentRow::into_domain)
    })
    .transpose()
}

impl Store {
    /// Applies `change` to `village`. Every row must belong to `village`; every
    /// changed row must still be as it was read, or nothing is written.
    pub async fn apply_registry_change(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        change: &RegistryChange,
    ) -> Result<(), StoreError> {
        let foreign = change
            .new_families
            .iter()
            .map(|f| f.village)
            .chain(
                change
                    .changed_families
                    .iter()
                    .flat_map(|(a, b)| [a.village, b.village]),
            )
            .chain(change.new_residents.iter().map(|(r, _)| r.village))
            .chain(
                change
                    .changed_residents
                    .iter()
                    .flat_map(|(a, b)| [a.village, b.village]),
            )
            .any(|v| v != village);
        if foreign {
            return Err(StoreError::Conflict(format!(
                "a row of this change does not belong to village {village}"
            )));
        }
        let mut w = self.write(ctx, village).await?;
        // Members of a changed family move with it: the tracker reads them too.
        w.track(
            change
                .new_residents
                .iter()
                .map(|(r, _)| r.id)
                .chain(change.changed_residents.iter().map(|(b, _)| b.id)),
            change
                .new_families
                .iter()
                .map(|f| f.id)
                .chain(change.changed_families.iter().map(|(b, _)| b.id)),
        )
        .await?;
        let reason = change.reason.as_str();
        // Each entry is appended before its row is written, so a created row can
        // point at the entry that created it.
        let change_of = |entity, id, action, before: Option<Value>, after: Value| {
            (
                entity,
                id,
                action,
                before,
                json!({ "row": after, "reason": reason }),
            )
        };
        async fn log(
            w: &mut crate::write::Write<'_>,
            village: KodeWilayah,
            (entity, entity_id, action, before, after): (
                Entity,
                uuid::Uuid,
                Action,
                Option<Value>,
                Value,
            ),
        ) -> Result<i64, StoreError> {
            w.log(Change {
                village: Some(village),
                entity,
                entity_id,
                action,
                before: before.as_ref(),
                after: Some(&after),
            })
            .await
        }
        for f in &change.new_families {
            let seq = log(
                &mut w,
                village,
                change_of(Entity::Family, f.id, Action::Create, None, to_json(f)?),
            )
            .await?;
            sqlx::query("INSERT INTO family (id, village, no_kk, address, dusun, rw, rt, created_seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
                .bind(crate::row_codec::Id(f.id))
                .bind(kode(village))
                .bind(no_kk(&f.no_kk))
                .bind(&f.address)
                .bind(f.wilayah.dusun())
                .bind(f.wilayah.rw())
                .bind(f.wilayah.rt())
                .bind(seq)
                .execute(w.conn())
                .await
                .map_err(|e| unique(e, format!("No. KK {} already exists in this village", f.no_kk.masked())))?;
            w.wrote_id(Table::Family, f.id).await?;
        }
        for (before, after) in &change.changed_families {
            if fetch_family(w.conn(), village, before.id).await?.as_ref() != Some(before) {
                return Err(stale("the family card"));
            }
            sqlx::query("UPDATE family SET no_kk=$3, address=$4, dusun=$5, rw=$6, rt=$7 WHERE village=$1 AND id=$2")
                .bind(kode(village))
                .bind(crate::row_codec::Id(after.id))
                .bind(no_kk(&after.no_kk))
                .bind(&after.address)
                .bind(after.wilayah.dusun())
                .bind(after.wilayah.rw())
                .bind(after.wilayah.rt())
                .execute(w.conn())
                .await
                .map_err(|e| unique(e, format!("No. KK {} already exists in this village", after.no_kk.masked())))?;
            log(
                &mut w,
                village,
                change_of(
                    Entity::Family,
                    after.id,
                    Action::Update,
                    Some(to_json(before)?),
                    to_json(after)?,
                ),
            )
            .await?;
            w.wrote_id(Table::Family, after.id).await?;
        }
        for (r, baseline) in &change.new_residents {
            let seq = log(
                &mut w,
                village,
                change_of(Entity::Resident, r.id, Action::Create, None, to_json(r)?),
            )
            .await?;
            let sql = format!(
                "{RESIDENT_INSERT}{}",
                values_clause(crate::backend::Backend::of(w.conn()), 1, 25)
            );
            bind_resident(sqlx::query(AssertSqlSafe(sql)), r, *baseline, Some(seq))
                .execute(w.conn())
                .await
                .map_err(|e| {
                    unique(
                        e,
                        format!(
                            "number {} is already registered in this village",
                            r.number.masked()
                        ),
                    )
                })?;
            w.wrote_id(Table::Resident, r.id).await?;
        }
        for (before, after) in &change.changed_residents {
            if current_resident(w.conn(), before).await?.as_ref() != Some(before) {
                return Err(stale("the resident's record"));
            }
            crate::residents::update_row(w.conn(), after).await?;
            log(
                &mut w,
                village,
                change_of(
                    Entity::Resident,
                    after.id,
                    Action::Update,
                    Some(to_json(before)?),
                    to_json(after)?,
                ),
            )
            .await?;
            w.wrote_id(Table::Resident, after.id).await?;
        }
        for e in &change.events {
            let seq = log(
                &mut w,
                village,
                change_of(Entity::LifeEvent, e.id, Action::Create, None, to_json(e)?),
            )
            .await?;
            sqlx::query("INSERT INTO life_event (id, village, resident_id, kind, occurred_on, created_seq, particulars) VALUES ($1,$2,$3,$4,$5,$6,$7)")
                .bind(crate::row_codec::Id(e.id))
                .bind(kode(village))
                .bind(crate::row_codec::Id(e.resident_id))
                .bind(i64::from(e.kind.code()))
                .bind(day_number(e.occurred_on))
                .bind(seq)
                .bind(e.particulars.as_ref().map(crate::population::particulars_json))
                .execute(w.conn())
                .await?;
            w.wrote_id(Table::LifeEvent, e.id).await?;
        }
        w.commit().await
    }
}

fn unique(e: sqlx::Error, message: String) -> StoreError {
    let e = StoreError::Database(e);
    if e.is_unique_violation() {
        StoreError::Conflict(message)
    } else {
        e
    }
}
