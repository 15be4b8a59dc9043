//! Residents serving themselves, from home or at the village kiosk: the PIN
//! an operator issues, login with NIK + PIN (throttled per NIK and per
//! client: address or enrolled kiosk), the forced PIN change, and the resident's session.

pub mod info;
pub mod pin;

use crate::db::Db;
use balai_domain::codes::StatusDasar;
use balai_domain::letter_request::RequestChannel;
use balai_domain::{KodeWilayah, Resident, ResidentNumber};
use balai_store::WriteContext;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::login_throttle::{Client, Keys};
use crate::passwords;
use crate::registry::field_errors::FieldErrors;
use crate::secrets::{random_token, token_hash};
use crate::staff::{DUMMY_HASH, LoginRefused, VillageAccess};
use pin::Pin;

/// How long a session from home lasts.
pub const ONLINE_LIFETIME: Duration = Duration::hours(2);
/// A kiosk session ends after this long without a request: the next person
/// at the kiosk must not find the last one still logged in.
pub const KIOSK_IDLE: Duration = Duration::minutes(3);

/// A resident logged in, and what they may act on.
#[derive(Debug, Clone)]
pub struct ResidentSession {
    /// The resident.
    pub resident: Resident,
    /// Their village.
    pub village: KodeWilayah,
    /// Home or kiosk.
    pub channel: RequestChannel,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// True until the resident replaces the PIN the operator gave them.
    pub must_change_pin: bool,
}

impl ResidentSession {
    /// The write context of a change this resident makes now. The actor
    /// names the channel and the resident's row id, never the NIK.
    pub fn context(&self, clock: &dyn Clock) -> WriteContext {
        WriteContext::new(
            format!("warga:{}:{}", self.channel.code(), self.resident.id),
            clock.now(),
        )
    }
}

/// A successful resident login.
#[derive(Debug, Clone)]
pub struct ResidentLoggedIn {
    /// The session.
    pub session: ResidentSession,
    /// The token for the cookie (only its hash is stored).
    pub token: String,
    /// When the session ends unless extended.
    pub expires_at: OffsetDateTime,
}

/// Checks a NIK and PIN against `village`'s residents. An unknown NIK, a
/// resident without a PIN, one who died or left, and a wrong PIN are the same
/// refusal, and take the same time.
pub async fn login(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    nik: &str,
    pin: &str,
    client: Client,
    channel: RequestChannel,
) -> Result<Result<ResidentLoggedIn, LoginRefused>, ServiceError> {
    let store = db.store();
    let now = clock.now();
    let keys = Keys::resident(nik, client);
    if let Some(refused) = crate::login_throttle::locked(db, &keys, now).await? {
        return Ok(Err(refused));
    }
    let resident = match ResidentNumber::parse(nik.trim()) {
        Ok(n) => store
            .resident_by_number(village, &n)
            .await?
            .filter(|r| r.status == StatusDasar::Hidup),
        Err(_) => None,
    };
    let stored = match &resident {
        Some(r) => store.resident_pin(r.id).await?,
        None => None,
    };
    let hash = stored
        .as_ref()
        .map(|p| p.pin_hash.as_str())
        .unwrap_or(&DUMMY_HASH);
    let ok = passwords::verify(pin.trim(), hash) && stored.is_some();
    let (Some(resident), Some(stored), true) = (resident, stored, ok) else {
        return Ok(Err(crate::login_throttle::failed(db, &keys, now).await?));
    };
    crate::login_throttle::succeeded(db, &keys, now).await?;
    let token = random_token();
    let csrf = random_token();
    let expires_at = now
        + match channel {
            RequestChannel::Kiosk => KIOSK_IDLE,
            // The desk has no resident sessions; treated as home if ever asked.
            RequestChannel::Online | RequestChannel::Desk => ONLINE_LIFETIME,
        };
    store
        .create_resident_session(
            &token_hash(&token),
            resident.id,
            village,
            &csrf,
            channel.code(),
            now,
            expires_at,
        )
        .await?;
    Ok(Ok(ResidentLoggedIn {
        session: ResidentSession {
            resident,
            village,
            channel,
            csrf,
            must_change_pin: stored.must_change,
        },
        token,
        expires_at,
    }))
}

/// The resident of a live session in `village` (a session of another
/// village, or of the other channel, is no session here). Kiosk sessions are
/// extended by each request.
pub async fn session(
    db: &Db,
    clock: &dyn Clock,
    village: KodeWilayah,
    channel: RequestChannel,
    token: &str,
) -> Result<Option<ResidentSession>, ServiceError> {
    let store = db.store();
    let now = clock.now();
    let hash = token_hash(token);
    let Some(s) = store.resident_session(&hash, now).await? else {
        return Ok(None);
    };
    if s.village != village || s.channel != channel.code() {
        return Ok(None);
    }
    let Some(resident) = store
        .resident(village, s.resident_id)
        .await?
        .filter(|r| r.status == StatusDasar::Hidup)
    else {
        return Ok(None);
    };
    let Some(pin) = store.resident_pin(resident.id).await? else {
        return Ok(None);
    };
    if channel == RequestChannel::Kiosk {
        store
            .extend_resident_session(&hash, now + KIOSK_IDLE)
            .await?;
    }
    Ok(Some(ResidentSession {
        resident,
        village,
        channel,
        csrf: s.csrf_token,
        must_change_pin: pin.must_change,
    }))
}

/// Ends a resident session.
pub async fn logout(db: &Db, token: &str) -> Result<(), ServiceError> {
    let store = db.store();
    store.delete_resident_session(&token_hash(token)).await?;
    Ok(())
}

/// The resident's new PIN, typed twice, with the current one.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PinChangeForm {
    /// The PIN in use.
    pub pin_lama: String,
    /// The new PIN.
    pub pin_baru: String,
    /// The new PIN again.
    pub pin_ulang: String,
}

/// A PIN change, checked as far as the form alone allows: the new PIN is
/// a PIN, typed the same twice, and differs from the one in use. Whether
/// the current PIN is right and the new one is not the birth date is the
/// use case's check.
#[derive(Clone)]
pub struct PinChange {
    current: String,
    new: Pin,
}

impl std::fmt::Debug for PinChange {
    // Neither PIN reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinChange { .. }")
    }
}

impl TryFrom<&PinChangeForm> for PinChange {
    type Error = FieldErrors;
    /// Every problem at once.
    fn try_from(form: &PinChangeForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let current = form.pin_lama.trim();
        if current.is_empty() {
            e.add("pin_lama", "tulis PIN lama");
        }
        let new = e.check("pin_baru", Pin::parse(&form.pin_baru));
        if new.as_ref().is_some_and(|p| p.expose() == current) {
            e.add("pin_baru", "PIN baru harus berbeda dari PIN lama");
        }
        if form.pin_ulang.trim() != form.pin_baru.trim() {
            e.add("pin_ulang", "kedua PIN baru tidak sama");
        }
        match new {
            Some(new) if e.is_empty() => Ok(Self {
                current: current.to_string(),
                new,
            }),
            _ => Err(e),
        }
    }
}

/// Replaces the resident's PIN with one they chose.
pub async fn change_pin(
    db: &Db,
    clock: &dyn Clock,
    session: &ResidentSession,
    change: &PinChange,
) -> Result<(), ServiceError> {
    let store = db.store();
    let mut e = FieldErrors::default();
    let current = store
        .resident_pin(session.resident.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !passwords::verify(&change.current, &current.pin_hash) {
        e.add("pin_lama", "PIN lama salah");
    }
    let new = &change.new;
    let birth = session.resident.birth_date;
    let ddmmyy = format!(
        "{:02}{:02}{:02}",
        birth.day(),
        u8::from(birth.month()),
        birth.year().rem_euclid(100)
    );
    if new.expose() == ddmmyy {
        e.add("pin_baru", "jangan memakai tanggal lahir sebagai PIN");
    }
    if !e.is_empty() {
        return Err(ServiceError::Form(e));
    }
    let hash = passwords::hash(new.expose())?;
    store
        .change_resident_pin(
            &session.context(clock),
            session.village,
            session.resident.id,
            &hash,
        )
        .await?;
    Ok(())
}

/// Issues a new PIN for a living resident of the operator's village and
/// returns it, to be shown once. Their open sessions end.
pub async fn issue_pin(
    db: &Db,
    clock: &dyn Clock,
    access: &VillageAccess,
    resident_id: Uuid,
) -> Result<Pin, ServiceError> {
    let store = db.store();
    access.require_write()?;
    let resident = store
        .resident(access.village(), resident_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if resident.status != StatusDasar::Hidup {
        return Err(ServiceError::Invalid(
            "PIN hanya untuk penduduk yang masih tercatat di desa ini".into(),
        ));
    }
    let pin = Pin::generate();
    let hash = passwords::hash(pin.expose())?;
    store
        .issue_resident_pin(&access.context(clock), access.village(), resident.id, &hash)
        .await?;
    store.delete_resident_sessions_of(resident.id).await?;
    Ok(pin)
}

/// Whether a resident has a PIN, and whether it still awaits its first change.
pub async fn pin_state(
    db: &Db,
    access: &VillageAccess,
    resident_id: Uuid,
) -> Result<Option<bool>, ServiceError> {
    let store = db.store();
    if store
        .resident(access.village(), resident_id)
        .await?
        .is_none()
    {
        return Err(ServiceError::NotFound);
    }
    Ok(store
        .resident_pin(resident_id)
        .await?
        .map(|p| p.must_change))
}

/// The members of the resident's family card who are alive or died here
/// (the resident first): whom they may request letters for (a death letter
/// is asked for by the family).
pub async fn household(db: &Db, session: &ResidentSession) -> Result<Vec<Resident>, ServiceError> {
    let store = db.store();
    let mut out = vec![session.resident.clone()];
    if let Some(f) = session.resident.family_id
        && let Some(card) = store.family_card(session.village, f).await?
    {
        out.extend(card.members.into_iter().filter(|m| {
            m.id != session.resident.id
                && matches!(m.status, StatusDasar::Hidup | StatusDasar::Mati)
        }));
    }
    Ok(out)
}
