//! Staff accounts. Passwords arrive already hashed (argon2id, in services).

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use serde_json::json;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity, append};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{kode, kode_from};
use crate::write_context::WriteContext;

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Row id (UUIDv7).
    pub id: Uuid,
    /// Login name, unique.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// The village or regency the role applies to.
    pub scope: KodeWilayah,
}

/// A stored account.
#[derive(Debug, Clone)]
pub struct Account {
    /// Row id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// The village or regency the role applies to.
    pub scope: KodeWilayah,
}

impl Store {
    /// Creates an account; the hash never enters the change log.
    pub async fn create_account(
        &self,
        ctx: &WriteContext,
        a: &NewAccount,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO account (id, username, display_name, password_hash, role, scope, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(crate::row_codec::Id(a.id))
        .bind(&a.username)
        .bind(&a.display_name)
        .bind(&a.password_hash)
        .bind(a.role.as_str())
        .bind(kode(a.scope))
        .bind(ctx.at_millis())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            let e = StoreError::Database(e);
            if e.is_unique_violation() { StoreError::Conflict(format!("username {:?} is taken", a.username)) } else { e }
        })?;
        let after = json!({ "username": a.username, "display_name": a.display_name, "role": a.role.as_str(), "scope": a.scope.plain() });
        let village = (a.scope.level() == balai_domain::RegionLevel::Village).then_some(a.scope);
        append(
            &mut tx,
            ctx,
            Change {
                village,
                entity: Entity::Account,
                entity_id: a.id,
                action: Action::Create,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account with this id.
    pub async fn account_by_id(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> =
            sqlx::query_as("SELECT id, username, display_name, password_hash, role, scope FROM account WHERE id = $1")
                .bind(crate::row_codec::Id(id))
                .fetch_optional(self.pool())
                .await?;
        row.map(account).transpose()
    }

    /// Lets a facilitator oversee `village`.
    pub async fn assign_facilitator(
        &self,
        ctx: &WriteContext,
        account_id: Uuid,
        village: KodeWilayah,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO facilitator_village (account_id, village) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(crate::row_codec::Id(account_id))
            .bind(kode(village))
            .execute(&mut *tx)
            .await?;
        let after = json!({ "assigned_village": kode(village) });
        append(
            &mut tx,
            ctx,
            Change {
                village: Some(village),
                entity: Entity::Account,
                entity_id: account_id,
                action: Action::Update,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The villages a facilitator oversees.
    pub async fn facilitator_villages(
        &self,
        account_id: Uuid,
    ) -> Result<Vec<KodeWilayah>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT village FROM facilitator_village WHERE account_id = $1 ORDER BY village",
        )
        .bind(crate::row_codec::Id(account_id))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(|(k,)| kode_from(k)).collect()
    }

    /// The account with this username.
    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> =
            sqlx::query_as("SELECT id, username, display_name, password_hash, role, scope FROM account WHERE username = $1")
                .bind(username)
                .fetch_optional(self.pool())
                .await?;
        row.map(account).transpose()
    }
}

type AccountRow = (Id, String, String, String, String, i64);

fn account(
    (id, username, display_name, password_hash, role, scope): AccountRow,
) -> Result<Account, StoreError> {
    Ok(Account {
        id: id.into(),
        username,
        display_name,
        password_hash,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        scope: kode_from(scope)?,
    })
}
