//! The lockout every login shares. Failures are counted against two keys
//! apart: the account (staff name, resident NIK) and the client (its
//! address, or an enrolled kiosk). Either key locks only itself, so no
//! number of failures anywhere locks out someone else everywhere: a locked
//! address does not stop the right password from another address, and a
//! locked account does not stop other accounts at that address.

use crate::db::Db;
use std::net::IpAddr;

use balai_store::ThrottlePolicy;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::error::ServiceError;
use crate::staff::LoginRefused;

/// Who is logging in, as far as throttling is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// The client's address: the socket's peer, or the address a trusted
    /// proxy forwarded.
    Address(IpAddr),
    /// An enrolled kiosk: one device that many residents share.
    Kiosk(Uuid),
    /// Not known (the router served without a socket, as in tests).
    Unknown,
}

impl Client {
    /// The throttle key of this client. IPv6 clients are keyed by their
    /// /64: one subscriber holds a whole /64 and could otherwise step
    /// through it.
    pub fn key(&self) -> String {
        match self {
            Client::Address(IpAddr::V4(a)) => format!("ip:{a}"),
            Client::Address(IpAddr::V6(a)) => {
                let s = a.segments();
                format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Client::Kiosk(id) => format!("kiosk:{id}"),
            Client::Unknown => "unknown".into(),
        }
    }

    fn policy(&self) -> ThrottlePolicy {
        match self {
            Client::Kiosk(_) => KIOSK,
            Client::Address(_) | Client::Unknown => ADDRESS,
        }
    }
}

/// One account: five failures in fifteen minutes lock it for fifteen
/// minutes, then 30, 60… up to a day.
pub const ACCOUNT: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: Duration::minutes(15),
    lockout: Duration::minutes(15),
    max_lockout: Duration::hours(24),
    forget_after: Duration::hours(24),
};

/// One address: an office or a carrier's NAT puts many people behind it,
/// so it takes many more failures, and locks for less, than an account.
pub const ADDRESS: ThrottlePolicy = ThrottlePolicy {
    max_failures: 30,
    window: Duration::minutes(15),
    lockout: Duration::minutes(5),
    max_lockout: Duration::hours(2),
    forget_after: Duration::hours(24),
};

/// One enrolled kiosk: a queue of residents typing on a keypad.
pub const KIOSK: ThrottlePolicy = ThrottlePolicy {
    max_failures: 50,
    window: Duration::minutes(15),
    lockout: Duration::minutes(5),
    max_lockout: Duration::hours(1),
    forget_after: Duration::hours(24),
};

/// The two keys of one login attempt.
pub(crate) struct Keys {
    account: String,
    client: String,
    client_policy: ThrottlePolicy,
}

impl Keys {
    /// A staff login: the account name, the client in the staff namespace.
    pub fn staff(username: &str, client: Client) -> Keys {
        Keys {
            account: format!("staff:{username}"),
            client: format!("staff-client:{}", client.key()),
            client_policy: client.policy(),
        }
    }

    /// A resident login: the NIK as typed, the client in the residents'
    /// namespace (a mistyped PIN never counts against an operator).
    pub fn resident(nik: &str, client: Client) -> Keys {
        let nik: String = nik.chars().filter(char::is_ascii_digit).take(20).collect();
        Keys {
            account: format!("warga-nik:{nik}"),
            client: format!("warga-client:{}", client.key()),
            client_policy: client.policy(),
        }
    }

    /// A signer's PIN: counted against the signing account alone (both
    /// keys name it), so guessing a head's PIN locks only that head's
    /// signing, never their login or anyone else's.
    pub fn signing_pin(account: Uuid) -> Keys {
        Keys {
            account: format!("ttd-pin:{account}"),
            client: format!("ttd-pin-akun:{account}"),
            client_policy: ACCOUNT,
        }
    }

    fn both(&self) -> [(&str, ThrottlePolicy); 2] {
        [(&self.account, ACCOUNT), (&self.client, self.client_policy)]
    }
}

/// The refusal if either key is locked out at `now`.
pub(crate) async fn locked(
    db: &Db,
    keys: &Keys,
    now: OffsetDateTime,
) -> Result<Option<LoginRefused>, ServiceError> {
    let store = db.store();
    let mut until = None;
    for (key, _) in keys.both() {
        if let Some(t) = store.locked_until(key, now).await? {
            until = until.max(Some(t));
        }
    }
    Ok(until.map(LoginRefused::LockedOut))
}

/// Counts a failed login against both keys; the refusal to show.
pub(crate) async fn failed(
    db: &Db,
    keys: &Keys,
    now: OffsetDateTime,
) -> Result<LoginRefused, ServiceError> {
    let store = db.store();
    let mut until = None;
    for (key, policy) in keys.both() {
        until = until.max(store.record_failure(key, now, policy).await?);
    }
    Ok(until.map_or(LoginRefused::BadCredentials, LoginRefused::LockedOut))
}

/// A successful login forgets the account's failures. The client's stay:
/// one good password must not wipe an address's count of guesses at others.
pub(crate) async fn succeeded(
    db: &Db,
    keys: &Keys,
    now: OffsetDateTime,
) -> Result<(), ServiceError> {
    let store = db.store();
    store.clear_failures(&keys.account, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_up_to_the_cap() {
        assert_eq!(ACCOUNT.lockout_for(1), Duration::minutes(15));
        assert_eq!(ACCOUNT.lockout_for(2), Duration::minutes(30));
        assert_eq!(ACCOUNT.lockout_for(3), Duration::minutes(60));
        assert_eq!(ACCOUNT.lockout_for(10), Duration::hours(24));
        assert_eq!(ACCOUNT.lockout_for(1000), Duration::hours(24));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a = Client::Address("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = Client::Address("2001:db8:1:2:bbbb::9".parse().unwrap());
        let c = Client::Address("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert_eq!(
            Client::Address("10.0.0.7".parse().unwrap()).key(),
            "ip:10.0.0.7"
        );
    }
}
