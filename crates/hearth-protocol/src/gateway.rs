//! The gateway's wire contract: op codes, the payloads of non-dispatch frames, and the session
//! payloads (READY, GUILD_CREATE, presences, typing). Discord's gateway v10 shapes.

use serde::{Deserialize, Serialize};

use crate::channels::Channel;
use crate::guilds::Guild;
use crate::members::Member;
use crate::users::CurrentUser;

/// Op codes (Discord's numbers).
pub mod op {
    pub const DISPATCH: u8 = 0;
    pub const HEARTBEAT: u8 = 1;
    pub const IDENTIFY: u8 = 2;
    pub const PRESENCE_UPDATE: u8 = 3;
    pub const VOICE_STATE_UPDATE: u8 = 4;
    pub const RESUME: u8 = 6;
    pub const RECONNECT: u8 = 7;
    pub const INVALID_SESSION: u8 = 9;
    pub const HELLO: u8 = 10;
    pub const HEARTBEAT_ACK: u8 = 11;
}

/// Close codes: Discord's, plus Hearth's own from 4100.
pub mod close {
    pub const UNKNOWN_ERROR: u16 = 4000;
    pub const UNKNOWN_OPCODE: u16 = 4001;
    pub const DECODE_ERROR: u16 = 4002;
    pub const NOT_AUTHENTICATED: u16 = 4003;
    pub const AUTHENTICATION_FAILED: u16 = 4004;
    pub const ALREADY_AUTHENTICATED: u16 = 4005;
    pub const INVALID_SEQ: u16 = 4007;
    pub const RATE_LIMITED: u16 = 4008;
    pub const SESSION_TIMED_OUT: u16 = 4009;
    /// Hearth: the session fell too far behind the events addressed to it. It may resume.
    pub const SLOW_CONSUMER: u16 = 4100;
}

/// op 10 Hello.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hello {
    /// Milliseconds between the client's heartbeats.
    pub heartbeat_interval: u64,
}

/// op 2 Identify.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Identify {
    pub token: String,
    /// Accepted for compatibility; Hearth sends every event the session may see.
    #[serde(default)]
    pub intents: Option<u64>,
    /// Client description (`os`, `browser`, `device`); accepted and ignored.
    #[serde(default)]
    pub properties: Option<IdentifyProperties>,
    /// The presence to start with.
    #[serde(default)]
    pub presence: Option<PresenceUpdate>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IdentifyProperties {
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub browser: Option<String>,
    #[serde(default)]
    pub device: Option<String>,
}

/// op 6 Resume.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Resume {
    pub token: String,
    pub session_id: String,
    /// The last sequence number the client received.
    pub seq: u64,
}

/// op 3 Presence Update (and the presence in Identify).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PresenceUpdate {
    /// Unix ms since the client went idle, or null.
    #[serde(default)]
    pub since: Option<u64>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// `online`, `idle`, `dnd` or `invisible`.
    pub status: String,
    #[serde(default)]
    pub afk: bool,
}

/// An activity; Hearth keeps the custom status (type 4, text in `state`) and the name of others.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Activity {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// A guild as READY lists it before its GUILD_CREATE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnavailableGuild {
    pub id: String,
    pub unavailable: bool,
}

/// One channel's read state in READY.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReadState {
    /// The channel id (Discord's name for it).
    pub id: String,
    pub last_message_id: Option<String>,
    pub mention_count: i64,
}

/// The READY dispatch.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ready {
    /// Gateway version.
    pub v: u8,
    pub user: CurrentUser,
    pub guilds: Vec<UnavailableGuild>,
    pub session_id: String,
    /// Where to resume (this server's `/gateway`).
    pub resume_gateway_url: String,
    pub read_state: Vec<ReadState>,
}

/// A member's presence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Presence {
    pub user: PresenceUser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<String>,
    /// `online`, `idle`, `dnd` or `offline` (invisible users appear offline).
    pub status: String,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PresenceUser {
    pub id: String,
}

/// GUILD_CREATE: the guild as the receiving user sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GatewayGuild {
    #[serde(flatten)]
    pub guild: Guild,
    pub joined_at: String,
    pub member_count: i64,
    /// The channels this user can view.
    pub channels: Vec<Channel>,
    /// This user's member object, and members who are online (up to a bound).
    pub members: Vec<Member>,
    /// Presences of members who are online.
    pub presences: Vec<Presence>,
    /// Who is in which voice channel. Empty until voice support fills it.
    pub voice_states: Vec<VoiceState>,
    pub unavailable: bool,
}

/// A member's voice connection state (Discord's shape).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VoiceState {
    pub guild_id: String,
    /// The voice channel, or null when disconnected.
    pub channel_id: Option<String>,
    pub user_id: String,
    pub session_id: String,
    /// Server-side deafen and mute (DEAFEN_MEMBERS, MUTE_MEMBERS).
    pub deaf: bool,
    pub mute: bool,
    pub self_deaf: bool,
    pub self_mute: bool,
    pub self_video: bool,
    #[serde(default)]
    pub self_stream: bool,
    pub suppress: bool,
}

/// TYPING_START.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TypingStart {
    pub channel_id: String,
    pub guild_id: String,
    pub user_id: String,
    /// Unix seconds.
    pub timestamp: i64,
    pub member: Member,
}
