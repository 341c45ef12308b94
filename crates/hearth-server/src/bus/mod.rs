//! The event bus: services publish domain events after their change commits; gateway sessions
//! subscribe and decide, per session, whether the audience includes them.
//!
//! An event is serialized once at publication and shared (`Arc`) by every subscriber, so fan-out costs
//! no per-recipient serialization. The in-process bus is the default; the NATS bus for clusters plugs in
//! as another [`EventTransport`].

mod local;

use std::sync::Arc;

use bytes::Bytes;
use hearth_core::{Permissions, Snowflake};
use hearth_protocol::events::Event;

pub use local::LocalBus;

/// Who may receive an event. The dispatcher resolves it against each session's current permissions at
/// delivery time, so a permission change takes effect for the very next event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the guild.
    Guild(Snowflake),
    /// Members of the guild holding `permission` at guild level (e.g. BAN_MEMBERS for ban events).
    GuildWith {
        guild_id: Snowflake,
        permission: Permissions,
    },
    /// Members who can view the channel (VIEW_CHANNEL after overwrites).
    Channel {
        guild_id: Snowflake,
        channel_id: Snowflake,
    },
    /// Members holding `permission` in the channel (e.g. MANAGE_CHANNELS for invite events).
    ChannelWith {
        guild_id: Snowflake,
        channel_id: Snowflake,
        permission: Permissions,
    },
    /// One user, on every session (a guild they joined, left or lost).
    User(Snowflake),
    /// Every identified session on every node (instance announcements).
    Everyone,
}

/// The name of the one dispatch that is not an event: it asks every node's dispatcher to end gateway
/// sessions of the user in its [`Audience::User`] (their account was disabled or deleted, or some of
/// their sign-in sessions were revoked); its payload is a [`Revoked`]. Never delivered to a client;
/// `@` keeps it apart from every catalogued event name.
pub const DISCONNECT_USER: &str = "@DISCONNECT_USER";

/// Which of a user's gateway sessions a [`DISCONNECT_USER`] ends, by the sign-in session (bearer
/// token) each identified or resumed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// Every one (the account was disabled or deleted).
    All,
    /// Those of one sign-in session (logout, or revoking one session).
    Session(Snowflake),
    /// All but those of one sign-in session (revoking the others, changing the password).
    AllBut(Snowflake),
}

impl Revoked {
    /// The payload: `{"revoked": "all" | "session" | "all_but", "session_id"?: "…"}`.
    fn encode(self) -> Vec<u8> {
        let (kind, id) = match self {
            Self::All => ("all", None),
            Self::Session(id) => ("session", Some(id)),
            Self::AllBut(id) => ("all_but", Some(id)),
        };
        serde_json::to_vec(&serde_json::json!({
            "revoked": kind,
            "session_id": id.map(|id| id.to_string()),
        }))
        .unwrap_or_default()
    }

    /// Reads a payload made by [`Revoked::encode`]; anything else ends every session, the safe side
    /// for a message whose only purpose is to revoke.
    pub fn decode(data: &[u8]) -> Self {
        let value: serde_json::Value = serde_json::from_slice(data).unwrap_or_default();
        let id = value["session_id"]
            .as_str()
            .and_then(|raw| raw.parse::<Snowflake>().ok());
        match (value["revoked"].as_str(), id) {
            (Some("session"), Some(id)) => Self::Session(id),
            (Some("all_but"), Some(id)) => Self::AllBut(id),
            _ => Self::All,
        }
    }

    /// Whether a gateway session that authenticated with sign-in session `auth_session` is ended.
    pub fn covers(self, auth_session: Snowflake) -> bool {
        match self {
            Self::All => true,
            Self::Session(id) => id == auth_session,
            Self::AllBut(id) => id != auth_session,
        }
    }
}

/// A committed event ready for delivery: its name, audience and serialized payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub name: &'static str,
    pub audience: Audience,
    /// The JSON of the payload (`d`), serialized once.
    pub data: Bytes,
}

/// Carries committed dispatches to every node's dispatcher. The in-process [`LocalBus`] is the
/// default; a NATS transport for clusters implements the same trait, and nothing else in the server
/// assumes that every session lives in this process.
pub trait EventTransport: Send + Sync {
    fn publish(&self, dispatch: Arc<Dispatch>);
    /// A stream of every dispatch published from now on, in publication order.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Dispatch>>;
}

/// Typed publishing over whichever transport the configuration chose.
#[derive(Clone)]
pub struct EventBus {
    transport: Arc<dyn EventTransport>,
}

impl EventBus {
    /// The in-process bus holding at most `capacity` undelivered events per subscriber.
    pub fn new(capacity: usize) -> Self {
        Self::with_transport(Arc::new(LocalBus::new(capacity)))
    }

    pub fn with_transport(transport: Arc<dyn EventTransport>) -> Self {
        Self { transport }
    }

    /// Publishes an event. Call only after the change it describes has committed.
    pub fn publish(&self, audience: Audience, event: &Event) {
        match serde_json::to_vec(event) {
            Ok(data) => self.transport.publish(Arc::new(Dispatch {
                name: event.name(),
                audience,
                data: Bytes::from(data),
            })),
            // Serializing plain data cannot fail; if it ever did, losing the event beats failing a
            // request whose change has already committed.
            Err(e) => {
                tracing::error!(event = event.name(), error = %e, "could not serialize event")
            }
        }
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Dispatch>> {
        self.transport.subscribe()
    }

    /// Ends every gateway session of `user_id`, on every node (see [`DISCONNECT_USER`]). Call after
    /// the change that revoked the user's sessions has committed, so a client that reconnects at once
    /// is refused.
    pub fn disconnect_user(&self, user_id: Snowflake) {
        self.disconnect(user_id, Revoked::All);
    }

    /// Ends the gateway sessions of `user_id` that `which` covers, on every node. Call after the
    /// sign-in sessions were revoked (committed), so a client that reconnects at once is refused.
    pub fn disconnect(&self, user_id: Snowflake, which: Revoked) {
        self.transport.publish(Arc::new(Dispatch {
            name: DISCONNECT_USER,
            audience: Audience::User(user_id),
            // JSON like every other payload, though no client ever sees it.
            data: Bytes::from(which.encode()),
        }));
    }
}
