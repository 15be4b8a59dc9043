//! Staff accounts: administrators create, disable, re-enable and reset them
//! and end their sessions; everyone changes their own password and may add a
//! TOTP second factor. **Every rule about who may manage whom is here**: the
//! web pages only translate forms into the typed commands below.

use crate::db::Db;
use balai_domain::role::Role;
use balai_domain::{KodeWilayah, RegionLevel};
pub use balai_store::{Account, SessionInfo};
use balai_store::{NewAccount, NewReset, WriteContext};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::passwords::{self, NewPassword};
use crate::registry::field_errors::FieldErrors;
use crate::secrets::random_token;
use crate::staff::Staff;

/// How long a one-time code (new account or password reset) works.
pub const RESET_CODE_LIFETIME: Duration = Duration::hours(72);

/// A login name: 3–40 of `a-z 0-9 . _ -`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Parses (and lowercases) a login name.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_lowercase();
        let n = s.chars().count();
        if !(3..=40).contains(&n) {
            return Err("nama pengguna harus 3–40 karakter".into());
        }
        if let Some((i, c)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "nama pengguna hanya boleh huruf a–z, angka, titik, garis bawah atau tanda hubung (karakter ke-{} {c:?} tidak boleh)",
                i + 1
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err("nama pengguna harus diawali huruf atau angka".into());
        }
        Ok(Username(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A one-time code shown once to the administrator, who hands it over.
#[derive(Clone)]
pub struct OneTimeCode(String);

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OneTimeCode(***)")
    }
}

impl OneTimeCode {
    fn generate() -> Self {
        // No 0/O, 1/I/L: it is read aloud or copied from a screen.
        const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        let chars: Vec<char> = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
        OneTimeCode(groups.join("-"))
    }

    /// The code, to show once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A new account, checked in itself (not yet against who creates it).
#[derive(Debug, Clone)]
pub struct CreateAccount {
    /// Login name.
    pub username: Username,
    /// Name shown in the interface.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Village (village roles) or regency (facilitator, regency admin).
    pub scope: KodeWilayah,
    /// A facilitator's villages, each inside `scope`.
    pub villages: Vec<KodeWilayah>,
}

impl CreateAccount {
    /// Checks the fields together; every problem at once.
    pub fn new(
        username: Result<Username, String>,
        display_name: &str,
        role: Option<Role>,
        scope: Result<KodeWilayah, String>,
        villages: Vec<Result<KodeWilayah, String>>,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let username = errors.check("username", username);
        let display_name = display_name.trim().to_string();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            errors.add(
                "display_name",
                "nama lengkap wajib diisi (maksimal 100 karakter)",
            );
        }
        if role.is_none() {
            errors.add("role", "pilih peran");
        }
        let scope = errors.check("scope", scope);
        let mut vs = Vec::new();
        for v in villages {
            if let Some(v) = errors.check("villages", v) {
                if v.level() != RegionLevel::Village {
                    errors.add("villages", format!("{v} bukan kode desa"));
                } else if !vs.contains(&v) {
                    vs.push(v);
                }
            }
        }
        if let (Some(role), Some(scope)) = (role, scope) {
            if scope.level() != role.scope_level() {
                errors.add(
                    "scope",
                    match role.scope_level() {
                        RegionLevel::Village => {
                            "peran ini untuk satu desa: isi kode desa (10 digit)"
                        }
                        _ => "peran ini untuk satu kabupaten: isi kode kabupaten (4 digit)",
                    },
                );
            }
            if role == Role::Facilitator {
                if vs.is_empty() {
                    errors.add("villages", "pilih minimal satu desa dampingan");
                }
                if let Some(v) = vs.iter().find(|v| !v.is_within(&scope)) {
                    errors.add("villages", format!("desa {v} tidak berada di {scope}"));
                }
            } else if !vs.is_empty() {
                errors.add(
                    "villages",
                    "hanya pendamping desa yang memiliki desa dampingan",
                );
            }
        }
        match (errors.is_empty(), username, role, scope) {
            (true, Some(username), Some(role), Some(scope)) => Ok(CreateAccount {
                username,
                display_name,
                role,
                scope,
                villages: vs,
            }),
            _ => Err(errors),
        }
    }
}

/// Proof that a staff member administers accounts. Only [`admin`] makes one.
#[derive(Debug, Clone)]
pub struct AccountAdmin {
    staff: Staff,
}

/// The account administrator behind `staff`, or `Forbidden`.
pub fn admin(staff: &Staff) -> Result<AccountAdmin, ServiceError> {
    if staff.role.is_admin() {
        Ok(AccountAdmin {
            staff: staff.clone(),
        })
    } else {
        Err(ServiceError::Forbidden(
            "hanya admin desa atau admin kabupaten yang mengelola akun".into(),
        ))
    }
}

impl AccountAdmin {
    /// The administrator.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    /// Whether this administrator may hold an account of `role` over
    /// `scope` (and `villages`): never more than their own scope.
    pub fn may_grant(&self, role: Role, scope: KodeWilayah, villages: &[KodeWilayah]) -> bool {
        let mine = self.staff.scope;
        match self.staff.role {
            Role::RegencyAdmin => {
                scope.is_within(&mine) && villages.iter().all(|v| v.is_within(&mine))
            }
            Role::VillageAdmin => {
                role.scope_level() == RegionLevel::Village
                    && role != Role::Facilitator
                    && scope == mine
            }
            _ => false,
        }
    }

    /// Whether this administrator manages `a`.
    pub fn manages(&self, a: &Account) -> bool {
        self.may_grant(a.role, a.scope, &[])
    }

    fn context(&self, clock: &dyn Clock) -> WriteContext {
        WriteContext::new(self.staff.username.clone(), clock.now())
    }
}

/// The accounts `admin` manages, by username.
pub async fn list(db: &Db, admin: &AccountAdmin) -> Result<Vec<Account>, ServiceError> {
    let store = db.store();
    Ok(store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| admin.manages(a))
        .collect())
}

/// One account `admin` manages; any other is not found.
pub async fn get(db: &Db, admin: &AccountAdmin, id: Uuid) -> Result<Account, ServiceError> {
    let store = db.store();
    store
        .account_by_id(id)
        .await?
        .filter(|a| admin.manages(a))
        .ok_or(ServiceError::NotFound)
}

/// The villages inside the administrator's scope (to grant roles on).
pub async fn villages_in_scope(
    db: &Db,
    admin: &AccountAdmin,
) -> Result<Vec<crate::villages::VillageSummary>, ServiceError> {
    Ok(db
        .store()
        .village_summaries(Some(admin.staff().scope))
        .await?)
}

/// The villages a facilitator account the administrator manages is assigned to.
pub async fn facilitator_villages(
    db: &Db,
    admin: &AccountAdmin,
    id: Uuid,
) -> Result<Vec<KodeWilayah>, ServiceError> {
    let a = get(db, admin, id).await?;
    Ok(db.store().facilitator_villages(a.id).await?)
}

/// A created account and the one-time code its owner logs in with first.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new account's id.
    pub id: Uuid,
    /// The code (shown once), valid for [`RESET_CODE_LIFETIME`].
    pub code: OneTimeCode,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
}

/// Creates an account within `admin`'s scope. The new user logs in with a
/// one-time code and must then choose their own password: the administrator
/// never knows it.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    cmd: CreateAccount,
) -> Result<Created, ServiceError> {
    let store = db.store();
    if !admin.may_grant(cmd.role, cmd.scope, &cmd.villages) {
        return Err(ServiceError::Forbidden(format!(
            "{} tidak dapat memberi peran {} untuk {}: di luar wewenang Anda",
            admin.staff.role.label(),
            cmd.role.label(),
            cmd.scope
        )));
    }
    let tenants: Vec<KodeWilayah> = if cmd.role.scope_level() == RegionLevel::Village {
        vec![cmd.scope]
    } else {
        cmd.villages.clone()
    };
    for v in tenants {
        if store.village(v).await?.is_none() {
            return Err(ServiceError::Invalid(format!(
                "desa {v} belum ada di server ini"
            )));
        }
    }
    let ctx = admin.context(clock);
    let code = OneTimeCode::generate();
    let expires_at = ctx.at + RESET_CODE_LIFETIME;
    let id = Uuid::now_v7();
    store
        .create_account(
            &ctx,
            &NewAccount {
                id,
                username: cmd.username.as_str().to_string(),
                display_name: cmd.display_name,
                password_hash: passwords::hash(&random_token())?,
                role: cmd.role,
                scope: cmd.scope,
                facilitated: cmd.villages,
                reset: Some(NewReset {
                    code_hash: passwords::hash(code.expose())?,
                    expires_at,
                }),
            },
        )
        .await
        .map_err(|e| match e {
            balai_store::StoreError::Conflict(_) => ServiceError::Invalid(format!(
                "nama pengguna {:?} sudah dipakai",
                cmd.username.as_str()
            )),
            e => e.into(),
        })?;
    Ok(Created {
        id,
        code,
        expires_at,
    })
}

/// Disables (ending every session) or re-enables an account.
pub async fn set_disabled(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    id: Uuid,
    disabled: bool,
) -> Result<(), ServiceError> {
    let store = db.store();
    let a = get(db, admin, id).await?;
    if a.id == admin.staff.account_id {
        return Err(ServiceError::Forbidden(
            "Anda tidak dapat menonaktifkan akun Anda sendiri".into(),
        ));
    }
    if a.disabled_at.is_some() != disabled {
        store
            .set_account_disabled(&admin.context(clock), &a, disabled)
            .await?;
    }
    Ok(())
}

/// Resets an account's password: the old one stops working, every session
/// ends, and a one-time code lets its owner in once to choose a new one.
pub async fn reset_password(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    id: Uuid,
) -> Result<Created, ServiceError> {
    let store = db.store();
    let a = get(db, admin, id).await?;
    let ctx = admin.context(clock);
    let code = OneTimeCode::generate();
    let expires_at = ctx.at + RESET_CODE_LIFETIME;
    store
        .reset_password(
            &ctx,
            &a,
            &passwords::hash(&random_token())?,
            &NewReset {
                code_hash: passwords::hash(code.expose())?,
                expires_at,
            },
        )
        .await?;
    Ok(Created {
        id,
        code,
        expires_at,
    })
}

/// The live sessions of an account `admin` manages.
pub async fn sessions(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    id: Uuid,
) -> Result<Vec<SessionInfo>, ServiceError> {
    let store = db.store();
    let a = get(db, admin, id).await?;
    Ok(store.sessions_of(a.id, clock.now()).await?)
}

/// Ends one session (named by the hex of its token hash, as listed).
pub async fn end_session(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    id: Uuid,
    session: &str,
) -> Result<(), ServiceError> {
    let store = db.store();
    let a = get(db, admin, id).await?;
    let hash = from_hex(session).ok_or(ServiceError::NotFound)?;
    if !store
        .end_session_of(&admin.context(clock), &a, &hash)
        .await?
    {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

/// Lowercase hex, how a session is named in pages.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// The logged-in user's own account.
pub async fn mine(db: &Db, staff: &Staff) -> Result<Account, ServiceError> {
    let store = db.store();
    store
        .account_by_id(staff.account_id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A password change asked for by the account's owner.
#[derive(Debug, Clone)]
pub struct ChangePassword {
    /// The current password (not asked right after a reset-code login).
    pub current: String,
    /// The new one, checked against the rules.
    pub new: NewPassword,
}

/// Changes the user's own password; every other session of theirs ends.
/// After a reset-code login (`must_change_password`) the old password is
/// not asked for: nobody knows it.
pub async fn change_own_password(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    this_session: &[u8],
    cmd: ChangePassword,
) -> Result<(), ServiceError> {
    let store = db.store();
    let a = mine(db, staff).await?;
    if !a.must_change_password && !passwords::verify(&cmd.current, &a.password_hash) {
        return Err(ServiceError::Invalid("kata sandi saat ini salah".into()));
    }
    if passwords::verify(cmd.new.expose_for_check(), &a.password_hash) {
        return Err(ServiceError::Invalid(
            "kata sandi baru harus berbeda dari yang lama".into(),
        ));
    }
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    store
        .change_password(&ctx, &a, &cmd.new.hash()?, Some(this_session))
        .await?;
    Ok(())
}

/// Enrols a TOTP secret once the user proved their app shows the right code.
pub async fn enrol_totp(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    secret: &str,
    code: &str,
) -> Result<(), ServiceError> {
    let store = db.store();
    if !staff.role.is_admin() {
        return Err(ServiceError::Forbidden(
            "faktor kedua tersedia untuk akun admin".into(),
        ));
    }
    let Some(step) = crate::totp::matched_step(secret, code, clock.now()) else {
        return Err(ServiceError::Invalid(
            "kode dari aplikasi autentikator tidak cocok; periksa jam ponsel lalu coba lagi".into(),
        ));
    };
    let a = mine(db, staff).await?;
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    // The code that confirmed the enrolment does not log in again.
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    store.set_totp(&ctx, &a, Some(secret), Some(step)).await?;
    Ok(())
}

/// Removes the user's TOTP second factor (asks for the current password).
pub async fn remove_totp(
    db: &Db,
    clock: &dyn Clock,
    staff: &Staff,
    password: &str,
) -> Result<(), ServiceError> {
    let store = db.store();
    let a = mine(db, staff).await?;
    if !passwords::verify(password, &a.password_hash) {
        return Err(ServiceError::Invalid("kata sandi saat ini salah".into()));
    }
    let ctx = WriteContext::new(staff.username.clone(), clock.now());
    store.set_totp(&ctx, &a, None, None).await?;
    Ok(())
}

/// Sets the villages a facilitator account oversees to exactly `villages`
/// (at least one, each a village of this server within the
/// administrator's scope); the facilitator sees the change at their next
/// request.
pub async fn set_facilitator_villages(
    db: &Db,
    clock: &dyn Clock,
    admin: &AccountAdmin,
    id: Uuid,
    villages: Vec<Result<KodeWilayah, String>>,
) -> Result<(), ServiceError> {
    let a = get(db, admin, id).await?;
    if a.role != Role::Facilitator {
        return Err(ServiceError::Invalid(
            "hanya pendamping desa yang memiliki desa dampingan".into(),
        ));
    }
    let mut problems = Vec::new();
    let mut vs: Vec<KodeWilayah> = Vec::new();
    for v in villages {
        match v {
            Ok(v) if v.level() != RegionLevel::Village => {
                problems.push(format!("{v} bukan kode desa"));
            }
            Ok(v) if !v.is_within(&a.scope) || !admin.may_grant(a.role, a.scope, &[v]) => {
                problems.push(format!("desa {v} tidak berada di {}", a.scope));
            }
            Ok(v) => {
                if !vs.contains(&v) {
                    vs.push(v);
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if vs.is_empty() && problems.is_empty() {
        problems.push("pilih minimal satu desa dampingan".into());
    }
    for v in &vs {
        if db.store().village(*v).await?.is_none() {
            problems.push(format!("desa {v} belum ada di server ini"));
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems.join("; ")));
    }
    vs.sort();
    db.store()
        .set_facilitator_villages(&admin.context(clock), a.scope, a.id, &vs)
        .await?;
    Ok(())
}
