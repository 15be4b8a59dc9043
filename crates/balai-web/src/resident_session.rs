//! Who is asking on the residents' side: the self-service site (from home)
//! and the kiosk (anjungan) each have their own session cookie, and every
//! form they post must carry the session's CSRF token.

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use balai_domain::KodeWilayah;
use balai_domain::letter_request::RequestChannel;
use balai_services::self_service::{self, ResidentSession};

use crate::error::AppError;
use crate::session::cookie;
use crate::state::AppState;

/// The two residents' front doors, with what differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Portal {
    /// Home or kiosk.
    pub channel: RequestChannel,
}

impl Portal {
    /// The self-service site, used from a phone at home.
    pub const ONLINE: Portal = Portal {
        channel: RequestChannel::Online,
    };
    /// The touch kiosk at the village office.
    pub const KIOSK: Portal = Portal {
        channel: RequestChannel::Kiosk,
    };

    /// The session cookie.
    pub fn cookie(self) -> &'static str {
        match self.channel {
            RequestChannel::Kiosk => "balai_anjungan",
            _ => "balai_warga",
        }
    }

    /// The login form's double-submit CSRF cookie.
    pub fn login_cookie(self) -> &'static str {
        match self.channel {
            RequestChannel::Kiosk => "balai_masuk_anjungan",
            _ => "balai_masuk_warga",
        }
    }

    /// URL prefix, e.g. `/layanan/3310012001`.
    pub fn base(self, village: KodeWilayah) -> String {
        let root = match self.channel {
            RequestChannel::Kiosk => "anjungan",
            _ => "layanan",
        };
        format!("/{root}/{}", village.plain())
    }

    /// The page layout templates extend.
    pub fn layout(self) -> &'static str {
        match self.channel {
            RequestChannel::Kiosk => "kiosk_base.html",
            _ => "warga_base.html",
        }
    }

    /// Whether this is the kiosk.
    pub fn is_kiosk(self) -> bool {
        self.channel == RequestChannel::Kiosk
    }

    /// How long the session cookie is kept (the server decides the real end).
    pub fn cookie_max_age(self) -> i64 {
        match self.channel {
            // The server ends idle kiosk sessions; the cookie may outlive them.
            RequestChannel::Kiosk => self_service::KIOSK_IDLE.whole_seconds() * 20,
            _ => self_service::ONLINE_LIFETIME.whole_seconds(),
        }
    }
}

/// Which door a request came through, from the first segment of its path.
impl<S: Send + Sync> FromRequestParts<S> for Portal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.uri.path().split('/').nth(1) {
            Some("layanan") => Ok(Portal::ONLINE),
            Some("anjungan") => Ok(Portal::KIOSK),
            _ => Err(AppError::NotFound),
        }
    }
}

/// The resident logged in at `portal` of `village`, if any.
pub(crate) async fn current(
    state: &AppState,
    headers: &HeaderMap,
    portal: Portal,
    village: KodeWilayah,
) -> Result<Option<ResidentSession>, AppError> {
    let Some(token) = cookie(headers, portal.cookie()) else {
        return Ok(None);
    };
    Ok(self_service::session(
        &state.db,
        state.clock.as_ref(),
        village,
        portal.channel,
        token,
    )
    .await?)
}

/// A posted residents' form whose CSRF token matched the session's, and
/// whose every field came once.
pub(crate) struct ResidentForm {
    fields: Vec<(String, String)>,
}

impl ResidentForm {
    /// Reads `body`, checks its `_csrf` field against `session`, and refuses
    /// a field sent twice (a form the site made never does; a crafted one
    /// must not leave a request staff cannot open).
    pub fn read(session: &ResidentSession, body: Bytes) -> Result<Self, AppError> {
        let mut fields = crate::session::csrf_checked_fields(&body, &session.csrf)?;
        fields.retain(|(k, _)| k != "_csrf");
        let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            let name: String = w[0].chars().take(40).collect();
            return Err(AppError::BadRequest(format!(
                "kolom \"{name}\" dikirim lebih dari sekali; muat ulang halaman lalu isi lagi"
            )));
        }
        Ok(Self { fields })
    }

    /// The fields (without the CSRF token) as a typed form.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        let encoded = serde_urlencoded::to_string(&self.fields)
            .map_err(|e| AppError::internal(e.to_string()))?;
        serde_urlencoded::from_str(&encoded)
            .map_err(|e| AppError::BadRequest(format!("formulir tidak dapat dibaca: {e}")))
    }
}
