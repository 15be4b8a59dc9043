//! Who did something, read back from the actor the change and access logs
//! store (`WriteContext::actor`), so pages can name it in words instead of
//! showing `warga:online:<uuid>` or `cli:demo:root`.

use balai_domain::letter_request::RequestChannel;
use uuid::Uuid;

/// A logged actor, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A staff member, by username.
    Staff(String),
    /// A resident on the self-service site or at the kiosk.
    Resident {
        /// Where they were.
        channel: RequestChannel,
        /// Which resident.
        id: Uuid,
    },
    /// A `balai` command run on the server (`cli:<command>:<user>`).
    Command {
        /// The command (`demo`, `import`, …).
        command: String,
    },
    /// Balai itself (`system:…`: start-up, demo seed, tests).
    System,
    /// A visitor of the public site (complaints, sign-ups).
    Public,
}

impl Actor {
    /// Reads a stored actor; a name without a known prefix is a staff
    /// username (how staff actions have always been logged).
    pub fn parse(stored: &str) -> Actor {
        let mut parts = stored.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("warga"), Some(channel), Some(id)) => {
                match (RequestChannel::parse(channel), Uuid::parse_str(id)) {
                    (Some(channel), Ok(id)) => Actor::Resident { channel, id },
                    _ => Actor::Staff(stored.to_string()),
                }
            }
            (Some("cli"), Some(command), _) => Actor::Command {
                command: command.to_string(),
            },
            (Some("system"), _, _) => Actor::System,
            (Some(p), None, None) if p == crate::site::PUBLIC_ACTOR => Actor::Public,
            _ => Actor::Staff(stored.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_actors_read_back_by_kind() {
        let id = Uuid::nil();
        assert_eq!(
            Actor::parse(&format!("warga:online:{id}")),
            Actor::Resident {
                channel: RequestChannel::Online,
                id
            }
        );
        assert_eq!(
            Actor::parse(&format!("warga:anjungan:{id}")),
            Actor::Resident {
                channel: RequestChannel::Kiosk,
                id
            }
        );
        assert_eq!(
            Actor::parse("cli:demo:unknown"),
            Actor::Command {
                command: "demo".into()
            }
        );
        assert_eq!(Actor::parse("system:startup"), Actor::System);
        assert_eq!(Actor::parse("publik"), Actor::Public);
        assert_eq!(
            Actor::parse("operator.sengon"),
            Actor::Staff("operator.sengon".into())
        );
    }
}
