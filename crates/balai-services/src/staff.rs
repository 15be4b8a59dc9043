//! Who a logged-in staff member is, what they may touch, and the login itself.

use crate::db::Db;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
use balai_store::WriteContext;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::login_throttle::{Client, Keys};
use crate::passwords;
use crate::secrets::{random_token, token_hash};

/// A logged-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// Account id.
    pub account_id: Uuid,
    /// Login name (the actor in logs).
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The village or regency the role applies to.
    pub scope: KodeWilayah,
    /// The villages a facilitator oversees (empty for other roles).
    pub assigned: Vec<KodeWilayah>,
}

impl Staff {
    /// Whether this staff member may see `village`'s aggregates at all
    /// (figures, coaching notes, report submissions): the village's own
    /// staff, the regency administrator, an assigned facilitator.
    pub fn may_read(&self, village: KodeWilayah) -> bool {
        match self.role {
            Role::VillageOperator
            | Role::VillageHead
            | Role::VillageOfficial
            | Role::VillageAdmin
            | Role::RegencyAdmin => self.role.covers(self.scope, village),
            Role::Facilitator => self.assigned.contains(&village),
        }
    }

    /// Whether this staff member may see `village`'s personal data
    /// (residents, families, letters, requests): only the village's own
    /// staff. A regency administrator or a facilitator never does
    /// (issue 13: they see aggregates only).
    pub fn may_read_personal(&self, village: KodeWilayah) -> bool {
        self.role.scope_level() == RegionLevel::Village && self.role.covers(self.scope, village)
    }

    /// Whether this staff member signs `village`'s letters in person (the village head).
    pub fn may_sign(&self, village: KodeWilayah) -> bool {
        self.role == Role::VillageHead && self.role.covers(self.scope, village)
    }

    /// Whether this staff member may change `village`'s registry.
    pub fn may_write(&self, village: KodeWilayah) -> bool {
        self.role == Role::VillageOperator && self.role.covers(self.scope, village)
    }
}

/// Proof that a staff member may read one village's personal data (the
/// village's own staff). Only [`authorize`] makes one, so a service that
/// takes it cannot be reached by someone who may not — a regency
/// administrator or a facilitator included.
#[derive(Debug, Clone)]
pub struct VillageAccess {
    staff: Staff,
    village: KodeWilayah,
}

impl VillageAccess {
    /// The village.
    pub fn village(&self) -> KodeWilayah {
        self.village
    }

    /// The staff member.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    /// Whether writes are allowed.
    pub fn can_write(&self) -> bool {
        self.staff.may_write(self.village)
    }

    /// Whether the village head is the one asking.
    pub fn can_sign(&self) -> bool {
        self.staff.may_sign(self.village)
    }

    /// Fails unless this access allows changing the registry.
    pub fn require_write(&self) -> Result<(), ServiceError> {
        if self.can_write() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(
                "hanya operator desa ini yang dapat mengubah data penduduk".into(),
            ))
        }
    }

    /// The write context for a change made now.
    pub fn context(&self, clock: &dyn Clock) -> WriteContext {
        WriteContext::new(self.staff.username.clone(), clock.now())
    }
}

/// Grants access to `village`'s personal data, or reports it as not found:
/// a staff member must not learn whether another village's data exists,
/// and a regency administrator or facilitator gets "not found" too.
pub async fn authorize(
    db: &Db,
    staff: &Staff,
    village: KodeWilayah,
) -> Result<VillageAccess, ServiceError> {
    let store = db.store();
    if !staff.may_read_personal(village) || store.village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    Ok(VillageAccess {
        staff: staff.clone(),
        village,
    })
}

/// Proof that a staff member may read one village's aggregates (figures,
/// coaching notes, report submissions) — never its personal data. Only
/// [`overview`] makes one.
#[derive(Debug, Clone)]
pub struct VillageOverview {
    staff: Staff,
    village: KodeWilayah,
}

impl VillageOverview {
    /// The village.
    pub fn village(&self) -> KodeWilayah {
        self.village
    }

    /// The staff member.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    /// Whether the staff member may also see the village's personal data.
    pub fn personal(&self) -> bool {
        self.staff.may_read_personal(self.village)
    }
}

/// Grants `staff` a view of `village`'s aggregates, or "not found".
pub async fn overview(
    db: &Db,
    staff: &Staff,
    village: KodeWilayah,
) -> Result<VillageOverview, ServiceError> {
    if !staff.may_read(village) || db.store().village(village).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    Ok(VillageOverview {
        staff: staff.clone(),
        village,
    })
}

/// Access for the administrator at the server's own terminal (`balai import`,
/// `balai export`), who can read the database file anyway: they act as the
/// village's operator, under the actor name `cli:{user}` in every log, on a
/// village this server serves. Not reachable from the web.
pub async fn terminal_access(
    db: &Db,
    user: &str,
    village: KodeWilayah,
) -> Result<VillageAccess, ServiceError> {
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(32)
        .collect();
    let user = if user.is_empty() {
        "unknown".into()
    } else {
        user
    };
    let staff = Staff {
        account_id: Uuid::nil(),
        username: format!("cli:{user}"),
        display_name: user,
        role: Role::VillageOperator,
        scope: village,
        assigned: vec![],
    };
    authorize(db, &staff, village).await
}

/// How long a staff session lasts.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    /// The staff member.
    pub staff: Staff,
    /// The session token for the cookie (only its hash is stored).
    pub token: String,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
}

/// Why a login was refused. Unknown accounts and wrong passwords are the same
/// error, so the form cannot be used to discover account names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefused {
    /// The name or the password is wrong.
    BadCredentials,
    /// Too many failures; try again after this instant.
    LockedOut(OffsetDateTime),
}

/// Checks a username and password (or an administrator's one-time reset
/// code in its place) and, for accounts that enrolled one, the TOTP code;
/// throttled per account name and per client (address or enrolled kiosk),
/// each apart. A disabled account is refused exactly like a wrong password.
pub async fn login(
    db: &Db,
    clock: &dyn Clock,
    username: &str,
    password: &str,
    totp_code: &str,
    client: Client,
) -> Result<Result<LoggedIn, LoginRefused>, ServiceError> {
    let store = db.store();
    let now = clock.now();
    let username = username.trim().to_lowercase();
    let keys = Keys::staff(&username, client);
    if let Some(refused) = crate::login_throttle::locked(db, &keys, now).await? {
        return Ok(Err(refused));
    }
    let account = store.account_by_username(&username).await?;
    // Verify against a fixed hash when the account is unknown, so both cases take as long.
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.as_str())
        .unwrap_or(&DUMMY_HASH);
    let password_ok = passwords::verify(password, hash) && account.is_some();
    // A one-time code typed in place of the password: checked now, used up
    // only once everything else passed, so a refused login (disabled account,
    // wrong TOTP code) does not burn the code.
    let mut reset_code = None;
    if let (false, Some(a)) = (password_ok, &account) {
        reset_code = live_reset_code(db, a, password, now).await?;
    }
    // With a second factor: the step of the TOTP code typed, if valid.
    let totp_step = account
        .as_ref()
        .and_then(|a| a.totp_secret.as_deref())
        .map(|secret| crate::totp::matched_step(secret, totp_code, now));
    let mut ok = (password_ok || reset_code.is_some())
        && account.as_ref().is_some_and(|a| a.disabled_at.is_none())
        && totp_step.is_none_or(|step| step.is_some());
    if let (true, Some(Some(step)), Some(a)) = (ok, totp_step, &account) {
        // Each code once (RFC 6238 §5.2): a replayed code is a wrong code.
        ok = store
            .use_totp_step(a.id, i64::try_from(step).unwrap_or(i64::MAX))
            .await?;
    }
    if let (true, Some(code_hash), Some(a)) = (ok, &reset_code, &account) {
        // Deleting the row is the "once": of two logins racing, one deletes it.
        ok = store.consume_password_reset(a.id, code_hash).await?;
    }
    let Some(account) = account.filter(|_| ok) else {
        return Ok(Err(crate::login_throttle::failed(db, &keys, now).await?));
    };
    crate::login_throttle::succeeded(db, &keys, now).await?;
    store.record_login(account.id, now).await?;
    let staff = staff_of(db, account).await?;
    let token = random_token();
    let expires_at = now + SESSION_LIFETIME;
    store
        .create_session(
            &token_hash(&token),
            staff.account_id,
            &random_token(),
            now,
            expires_at,
        )
        .await?;
    Ok(Ok(LoggedIn {
        staff,
        token,
        expires_at,
    }))
}

/// The hash of the account's reset code when `code` is it and it has not
/// expired (not yet used up: see [`login`]).
async fn live_reset_code(
    db: &Db,
    a: &balai_store::Account,
    code: &str,
    now: OffsetDateTime,
) -> Result<Option<String>, ServiceError> {
    let store = db.store();
    let Some(reset) = store.password_reset(a.id).await? else {
        return Ok(None);
    };
    if reset.expires_at <= now || !passwords::verify(code.trim(), &reset.code_hash) {
        return Ok(None);
    }
    Ok(Some(reset.code_hash))
}

/// A real argon2id hash of a random password nobody knows.
pub(crate) static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    passwords::hash(&random_token()).expect("hashing a random password")
});

async fn staff_of(db: &Db, a: balai_store::Account) -> Result<Staff, ServiceError> {
    let store = db.store();
    let assigned = if a.role == Role::Facilitator {
        store.facilitator_villages(a.id).await?
    } else {
        Vec::new()
    };
    Ok(Staff {
        account_id: a.id,
        username: a.username,
        display_name: a.display_name,
        role: a.role,
        scope: a.scope,
        assigned,
    })
}

/// A live staff session.
#[derive(Debug, Clone)]
pub struct LiveSession {
    /// Who.
    pub staff: Staff,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// The account must choose a new password before anything else.
    pub must_change_password: bool,
}

/// The live session of `token`; none for a disabled account.
pub async fn session(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
) -> Result<Option<LiveSession>, ServiceError> {
    let store = db.store();
    let Some(s) = store.session(&token_hash(token), clock.now()).await? else {
        return Ok(None);
    };
    let Some(account) = store
        .account_by_id(s.account_id)
        .await?
        .filter(|a| a.disabled_at.is_none())
    else {
        return Ok(None);
    };
    let must_change_password = account.must_change_password;
    Ok(Some(LiveSession {
        staff: staff_of(db, account).await?,
        csrf: s.csrf_token,
        must_change_password,
    }))
}

/// Ends a session.
pub async fn logout(db: &Db, token: &str) -> Result<(), ServiceError> {
    let store = db.store();
    store.delete_session(&token_hash(token)).await?;
    Ok(())
}
