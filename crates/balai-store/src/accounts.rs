//! Staff accounts. Passwords arrive already hashed (argon2id, in services).

use balai_domain::KodeWilayah;
use balai_domain::role::Role;
use serde_json::json;
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::Id;
use crate::row_codec::{instant_from_millis, kode, kode_from, millis};
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
    /// The villages a facilitator oversees (empty for other roles).
    pub facilitated: Vec<KodeWilayah>,
    /// A one-time code the new user logs in with (then must choose a password).
    pub reset: Option<NewReset>,
}

/// A one-time password-reset code, stored hashed.
#[derive(Debug, Clone)]
pub struct NewReset {
    /// PHC string of the code's argon2id hash.
    pub code_hash: String,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
}

/// A stored reset code.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    /// PHC string of the code's argon2id hash.
    pub code_hash: String,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
}

/// One live session of an account, as listed to administrators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// SHA-256 of the cookie token (names the session; cannot be used to log in).
    pub token_hash: Vec<u8>,
    /// When it started.
    pub created_at: OffsetDateTime,
    /// When it ends.
    pub expires_at: OffsetDateTime,
}

/// A stored account. Its `Debug` leaves out the password hash and the TOTP
/// secret.
#[derive(Clone)]
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
    /// When it was disabled (a disabled account cannot log in).
    pub disabled_at: Option<OffsetDateTime>,
    /// Whether the next page must be the password change.
    pub must_change_password: bool,
    /// The latest login.
    pub last_login_at: Option<OffsetDateTime>,
    /// The login before the latest one (what the user is shown as "last login").
    pub previous_login_at: Option<OffsetDateTime>,
    /// Base32 TOTP secret, when a second factor is enrolled.
    pub totp_secret: Option<String>,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("scope", &self.scope)
            .field("disabled_at", &self.disabled_at)
            .field("must_change_password", &self.must_change_password)
            .field("totp", &self.totp_secret.is_some())
            .finish_non_exhaustive()
    }
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, password_hash, role, scope, disabled_at, must_change_password, last_login_at, previous_login_at, totp_secret, created_at";

/// Appends an account change on the caller's transaction; the village is the
/// account's own when it is scoped to one.
async fn log_account(
    w: &mut crate::write::Write<'_>,
    id: Uuid,
    scope: KodeWilayah,
    action: Action,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    let village = (scope.level() == balai_domain::RegionLevel::Village).then_some(scope);
    w.log(Change {
        village,
        entity: Entity::Account,
        entity_id: id,
        action,
        before,
        after,
    })
    .await?;
    Ok(())
}

impl Store {
    /// Creates an account; the hash never enters the change log.
    pub async fn create_account(
        &self,
        ctx: &WriteContext,
        a: &NewAccount,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        sqlx::query(
            "INSERT INTO account (id, username, display_name, password_hash, role, scope, created_at, must_change_password) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(crate::row_codec::Id(a.id))
        .bind(&a.username)
        .bind(&a.display_name)
        .bind(&a.password_hash)
        .bind(a.role.as_str())
        .bind(kode(a.scope))
        .bind(ctx.at_millis())
        .bind(i64::from(a.reset.is_some()))
        .execute(w.conn())
        .await
        .map_err(|e| {
            let e = StoreError::Database(e);
            if e.is_unique_violation() { StoreError::Conflict(format!("username {:?} is taken", a.username)) } else { e }
        })?;
        for v in &a.facilitated {
            sqlx::query("INSERT INTO facilitator_village (account_id, village) VALUES ($1, $2)")
                .bind(crate::row_codec::Id(a.id))
                .bind(kode(*v))
                .execute(w.conn())
                .await?;
        }
        if let Some(r) = &a.reset {
            sqlx::query("INSERT INTO password_reset (account_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(crate::row_codec::Id(a.id))
                .bind(&r.code_hash)
                .bind(ctx.at_millis())
                .bind(millis(r.expires_at))
                .execute(w.conn())
                .await?;
        }
        let villages: Vec<u64> = a.facilitated.iter().map(|v| v.as_u64()).collect();
        let after = json!({ "username": a.username, "display_name": a.display_name, "role": a.role.as_str(), "scope": a.scope.plain(), "villages": villages, "reset_code_issued": a.reset.is_some() });
        log_account(&mut w, a.id, a.scope, Action::Create, None, Some(&after)).await?;
        w.commit().await?;
        Ok(())
    }

    /// Every account, by username.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows: Vec<AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY username"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(account).collect()
    }

    /// How many accounts exist.
    pub async fn account_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Disables (`Some(at)`) or re-enables (`None`) an account; disabling ends
    /// every session of it in the same transaction.
    pub async fn set_account_disabled(
        &self,
        ctx: &WriteContext,
        a: &Account,
        disabled: bool,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        sqlx::query("UPDATE account SET disabled_at = $1 WHERE id = $2")
            .bind(disabled.then(|| ctx.at_millis()))
            .bind(crate::row_codec::Id(a.id))
            .execute(w.conn())
            .await?;
        if disabled {
            sqlx::query("DELETE FROM session WHERE account_id = $1")
                .bind(crate::row_codec::Id(a.id))
                .execute(w.conn())
                .await?;
        }
        let before = json!({ "disabled": a.disabled_at.is_some() });
        let after = json!({ "disabled": disabled });
        log_account(
            &mut w,
            a.id,
            a.scope,
            Action::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Replaces the password with `unknown_hash` (nobody knows it), stores a
    /// one-time code, forces a password change, removes any TOTP second
    /// factor (a reset is the way back for someone who lost their phone) and
    /// ends every session.
    pub async fn reset_password(
        &self,
        ctx: &WriteContext,
        a: &Account,
        unknown_hash: &str,
        reset: &NewReset,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        sqlx::query(
            "UPDATE account SET password_hash = $1, must_change_password = 1, totp_secret = NULL, totp_last_step = NULL WHERE id = $2",
        )
        .bind(unknown_hash)
        .bind(crate::row_codec::Id(a.id))
        .execute(w.conn())
        .await?;
        sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(crate::row_codec::Id(a.id))
            .execute(w.conn())
            .await?;
        sqlx::query(
            "INSERT INTO password_reset (account_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, expires_at = excluded.expires_at",
        )
        .bind(crate::row_codec::Id(a.id))
        .bind(&reset.code_hash)
        .bind(ctx.at_millis())
        .bind(millis(reset.expires_at))
        .execute(w.conn())
        .await?;
        let after = json!({ "password_reset": true, "code_expires_at": millis(reset.expires_at), "totp": false });
        let before = json!({ "totp": a.totp_secret.is_some() });
        log_account(
            &mut w,
            a.id,
            a.scope,
            Action::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The account's outstanding reset code, if any.
    pub async fn password_reset(
        &self,
        account_id: Uuid,
    ) -> Result<Option<PasswordReset>, StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT code_hash, expires_at FROM password_reset WHERE account_id = $1",
        )
        .bind(crate::row_codec::Id(account_id))
        .fetch_optional(self.pool())
        .await?;
        row.map(|(code_hash, exp)| {
            Ok(PasswordReset {
                code_hash,
                expires_at: instant_from_millis(exp)?,
            })
        })
        .transpose()
    }

    /// Uses up the account's reset code; false when another login used it first.
    pub async fn consume_password_reset(
        &self,
        account_id: Uuid,
        code_hash: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("DELETE FROM password_reset WHERE account_id = $1 AND code_hash = $2")
                .bind(crate::row_codec::Id(account_id))
                .bind(code_hash)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes a login at `at` (the one before it is kept to show the user).
    pub async fn record_login(
        &self,
        account_id: Uuid,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE account SET previous_login_at = last_login_at, last_login_at = $1 WHERE id = $2")
            .bind(millis(at))
            .bind(crate::row_codec::Id(account_id))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Sets a new password chosen by the user: clears the forced change and
    /// any reset code, and ends every other session of the account.
    pub async fn change_password(
        &self,
        ctx: &WriteContext,
        a: &Account,
        hash: &str,
        keep_session: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        sqlx::query(
            "UPDATE account SET password_hash = $1, must_change_password = 0 WHERE id = $2",
        )
        .bind(hash)
        .bind(crate::row_codec::Id(a.id))
        .execute(w.conn())
        .await?;
        sqlx::query("DELETE FROM password_reset WHERE account_id = $1")
            .bind(crate::row_codec::Id(a.id))
            .execute(w.conn())
            .await?;
        sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_hash <> $2")
            .bind(crate::row_codec::Id(a.id))
            .bind(keep_session.unwrap_or(&[]))
            .execute(w.conn())
            .await?;
        let after = json!({ "password_changed": true });
        log_account(&mut w, a.id, a.scope, Action::Update, None, Some(&after)).await?;
        w.commit().await?;
        Ok(())
    }

    /// Enrols (`Some(secret)`, with the time step of the code that confirmed
    /// it, used up) or removes (`None`) the TOTP second factor. The secret
    /// never enters the change log.
    pub async fn set_totp(
        &self,
        ctx: &WriteContext,
        a: &Account,
        secret: Option<&str>,
        used_step: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        sqlx::query("UPDATE account SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
            .bind(secret)
            .bind(used_step)
            .bind(crate::row_codec::Id(a.id))
            .execute(w.conn())
            .await?;
        let before = json!({ "totp": a.totp_secret.is_some() });
        let after = json!({ "totp": secret.is_some() });
        log_account(
            &mut w,
            a.id,
            a.scope,
            Action::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Records that the TOTP code of time step `step` was used; false when
    /// that step or a later one was used already (a replayed code). One
    /// conditional UPDATE, so of two logins racing with one code, one wins.
    pub async fn use_totp_step(&self, account_id: Uuid, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE account SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(crate::row_codec::Id(account_id))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The live sessions of an account at `now`, newest first.
    pub async fn sessions_of(
        &self,
        account_id: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        let rows: Vec<(Vec<u8>, i64, i64)> = sqlx::query_as(
            "SELECT token_hash, created_at, expires_at FROM session WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(crate::row_codec::Id(account_id))
        .bind(millis(now))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(token_hash, c, e)| {
                Ok(SessionInfo {
                    token_hash,
                    created_at: instant_from_millis(c)?,
                    expires_at: instant_from_millis(e)?,
                })
            })
            .collect()
    }

    /// Ends one session of `a` (logged as an account change); false when it was already gone.
    pub async fn end_session_of(
        &self,
        ctx: &WriteContext,
        a: &Account,
        token_hash: &[u8],
    ) -> Result<bool, StoreError> {
        let mut w = self.write_for_scope(ctx, a.scope).await?;
        let done = sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_hash = $2")
            .bind(crate::row_codec::Id(a.id))
            .bind(token_hash)
            .execute(w.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let after = json!({ "session_ended": true });
        log_account(&mut w, a.id, a.scope, Action::Update, None, Some(&after)).await?;
        w.commit().await?;
        Ok(true)
    }

    /// The account with this id.
    pub async fn account_by_id(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"
        )))
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
        let mut w = self.write(ctx, village).await?;
        sqlx::query("INSERT INTO facilitator_village (account_id, village) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(crate::row_codec::Id(account_id))
            .bind(kode(village))
            .execute(w.conn())
            .await?;
        let after = json!({ "assigned_village": kode(village) });
        w.log(Change {
            village: Some(village),
            entity: Entity::Account,
            entity_id: account_id,
            action: Action::Update,
            before: None,
            after: Some(&after),
        })
        .await?;
        w.commit().await?;
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
        let row: Option<AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.map(account).transpose()
    }
}

type AccountRow = (
    Id,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    i64,
);

fn account(
    (
        id,
        username,
        display_name,
        password_hash,
        role,
        scope,
        disabled_at,
        must_change_password,
        last_login_at,
        previous_login_at,
        totp_secret,
        created_at,
    ): AccountRow,
) -> Result<Account, StoreError> {
    let instant = |m: Option<i64>| m.map(instant_from_millis).transpose();
    Ok(Account {
        disabled_at: instant(disabled_at)?,
        must_change_password: must_change_password != 0,
        last_login_at: instant(last_login_at)?,
        previous_login_at: instant(previous_login_at)?,
        totp_secret,
        created_at: instant_from_millis(created_at)?,
        id: id.into(),
        username,
        display_name,
        password_hash,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        scope: kode_from(scope)?,
    })
}
