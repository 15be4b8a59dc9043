//! Rate limits on what anyone can reach without a staff session: logins
//! and PIN changes, the public letter verification (`/v/…`, every method),
//! and every other public form (any POST outside `/staf`). Keyed on the
//! real client (see `client_addr`), or on an enrolled kiosk's device.
//!
//! Our own small GCRA limiter rather than `tower_governor`: governor's
//! limiter reads its own monotonic clock, and every time-dependent rule
//! here takes the application's clock, so tests pass time in.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use balai_domain::KodeWilayah;
use balai_services::kiosks;
use balai_services::login_throttle::Client;
use time::{Duration, OffsetDateTime};

use crate::client_addr::client_of;
use crate::error::AppError;
use crate::session::cookie;
use crate::state::AppState;

/// The device cookie an enrolled kiosk's browser keeps.
pub const KIOSK_DEVICE_COOKIE: &str = "balai_perangkat";

/// A family of limited routes; each has its own budget per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Logins (staff and residents) and PIN changes.
    Login,
    /// The public verification pages, `/v/…`.
    Verify,
    /// Every other POST a visitor without a staff session can reach.
    PublicForm,
}

impl Family {
    /// The family of a request, if it is limited.
    pub fn of(method: &Method, path: &str) -> Option<Family> {
        if path.starts_with("/v/") {
            return Some(Family::Verify);
        }
        if method != Method::POST || path == "/staf" || path.starts_with("/staf/") {
            return None;
        }
        let residents = path.starts_with("/layanan/") || path.starts_with("/anjungan/");
        if path == "/masuk" || (residents && (path.ends_with("/masuk") || path.ends_with("/pin"))) {
            Some(Family::Login)
        } else {
            Some(Family::PublicForm)
        }
    }
}

/// A budget: `burst` requests at once, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed back to back.
    pub burst: u32,
    /// How often one more is allowed once the burst is spent.
    pub every: Duration,
}

/// The budgets of each family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Logins and PIN changes.
    pub login: Rate,
    /// `/v/…`.
    pub verify: Rate,
    /// Other public forms.
    pub public_form: Rate,
}

impl Default for RateLimits {
    /// Generous for people (a queue at the kiosk, an office behind one NAT),
    /// tight for scripts: the lockouts behind them do the rest.
    fn default() -> Self {
        RateLimits {
            login: Rate {
                burst: 20,
                every: Duration::seconds(10),
            },
            verify: Rate {
                burst: 30,
                every: Duration::seconds(2),
            },
            public_form: Rate {
                burst: 30,
                every: Duration::seconds(3),
            },
        }
    }
}

impl RateLimits {
    fn of(&self, f: Family) -> Rate {
        match f {
            Family::Login => self.login,
            Family::Verify => self.verify,
            Family::PublicForm => self.public_form,
        }
    }
}

/// Clients tracked before idle ones are swept.
const SWEEP_AT: usize = 10_000;

/// The limiter's state: per family and client, the theoretical arrival
/// time of the next request (GCRA).
#[derive(Debug, Default)]
pub struct RateLimiter {
    tat: Mutex<HashMap<(Family, String), OffsetDateTime>>,
}

impl RateLimiter {
    /// Admits one request of `client` in `family` at `now`, or says how
    /// long to wait.
    pub fn check(
        &self,
        family: Family,
        client: &str,
        rate: Rate,
        now: OffsetDateTime,
    ) -> Result<(), Duration> {
        let tolerance =
            rate.every * i32::try_from(rate.burst.saturating_sub(1)).unwrap_or(i32::MAX);
        let mut map = self.tat.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SWEEP_AT {
            map.retain(|_, tat| *tat > now);
        }
        let key = (family, client.to_string());
        let tat = map.get(&key).copied().unwrap_or(now).max(now);
        let allowed_at = tat - tolerance;
        if allowed_at > now {
            return Err(allowed_at - now);
        }
        map.insert(key, tat + rate.every);
        Ok(())
    }
}

/// The middleware: limits the request's family, if any, for its client.
pub(crate) async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(family) = Family::of(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let (addr, kiosk) = client_parts(&state, &req);
    let client = match resolve_client(&state, addr, kiosk).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let now = state.clock.now();
    match state
        .limiter
        .check(family, &client.key(), state.rate_limits.of(family), now)
    {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            tracing::warn!(?family, "rate limited");
            AppError::RateLimited {
                retry_after_secs: wait.whole_seconds().max(0) as u64 + 1,
            }
            .into_response()
        }
    }
}

/// The client a limit counts against: an enrolled kiosk of the village in
/// the path, when the browser carries its device cookie, else the address.
///
/// Reads what it needs from the request first and awaits only over owned
/// values, so the middleware's future holds no reference to the request
/// (whose body is not `Sync`) across the await.
async fn resolve_client(
    state: &AppState,
    addr: Client,
    kiosk: Option<(KodeWilayah, String)>,
) -> Result<Client, AppError> {
    let Some((village, token)) = kiosk else {
        return Ok(addr);
    };
    Ok(kiosks::client(&state.db, village, Some(&token), addr).await?)
}

/// The client's address, and the kiosk village and device token when the
/// request is for a kiosk page and carries the device cookie.
fn client_parts(state: &AppState, req: &Request) -> (Client, Option<(KodeWilayah, String)>) {
    let addr = client_of(req.extensions(), req.headers(), &state.trusted_proxies);
    let mut segments = req.uri().path().split('/').skip(1);
    if segments.next() != Some("anjungan") {
        return (addr, None);
    }
    let kiosk = cookie(req.headers(), KIOSK_DEVICE_COOKIE)
        .map(str::to_owned)
        .zip(segments.next().and_then(|k| KodeWilayah::parse(k).ok()))
        .map(|(token, village)| (village, token));
    (addr, kiosk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-22 03:00 UTC);

    #[test]
    fn a_burst_then_one_per_interval() {
        let l = RateLimiter::default();
        let rate = Rate {
            burst: 3,
            every: Duration::seconds(10),
        };
        for _ in 0..3 {
            assert!(l.check(Family::Login, "a", rate, T0).is_ok());
        }
        assert_eq!(
            l.check(Family::Login, "a", rate, T0),
            Err(Duration::seconds(10))
        );
        // Another client, another family: their own budgets.
        assert!(l.check(Family::Login, "b", rate, T0).is_ok());
        assert!(l.check(Family::Verify, "a", rate, T0).is_ok());
        // One more after the interval, not two.
        let t = T0 + Duration::seconds(10);
        assert!(l.check(Family::Login, "a", rate, t).is_ok());
        assert!(l.check(Family::Login, "a", rate, t).is_err());
        // A long pause refills the burst, no more.
        let t = T0 + Duration::hours(1);
        for _ in 0..3 {
            assert!(l.check(Family::Login, "a", rate, t).is_ok());
        }
        assert!(l.check(Family::Login, "a", rate, t).is_err());
    }

    #[test]
    fn families_of_routes() {
        let post = Method::POST;
        let get = Method::GET;
        assert_eq!(Family::of(&post, "/masuk"), Some(Family::Login));
        assert_eq!(Family::of(&get, "/masuk"), None);
        assert_eq!(
            Family::of(&post, "/layanan/3310012001/masuk"),
            Some(Family::Login)
        );
        assert_eq!(
            Family::of(&post, "/anjungan/3310012001/pin"),
            Some(Family::Login)
        );
        assert_eq!(Family::of(&get, "/v/abc"), Some(Family::Verify));
        assert_eq!(Family::of(&post, "/v/abc/periksa"), Some(Family::Verify));
        assert_eq!(
            Family::of(&post, "/layanan/3310012001/surat"),
            Some(Family::PublicForm)
        );
        assert_eq!(Family::of(&post, "/keluar"), Some(Family::PublicForm));
        assert_eq!(Family::of(&post, "/staf/desa/3310012001/surat/baru"), None);
        assert_eq!(Family::of(&get, "/layanan/3310012001"), None);
    }
}
