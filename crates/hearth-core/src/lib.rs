//! Hearth's domain: ids, validated names and secrets, permissions, registration rules. No I/O, no async,
//! no serde.
//!
//! Everything a client sends is parsed into one of these types at the edge; code deeper in the server
//! receives the parsed type and never re-validates it.

pub mod audit;
pub mod automod;
pub mod channel;
pub mod guild;
pub mod hierarchy;
pub mod id;
pub mod instance;
pub mod invite;
pub mod member;
pub mod mentions;
pub mod message;
pub mod permissions;
pub mod profile;
pub mod reaction;
pub mod registration;
pub mod report;
pub mod role;
pub mod secret;
mod text;
pub mod username;
pub mod validation;
pub mod vote;

pub use audit::AuditAction;
pub use channel::{Bitrate, ChannelKind, ChannelName, ChannelTopic, SlowMode, UserLimit};
pub use guild::{
    ExplicitContentFilter, GuildDescription, GuildName, NotificationLevel, VerificationLevel,
};
pub use hierarchy::{Actor, RoleRank};
pub use id::{NodeId, Snowflake, SnowflakeGenerator};
pub use invite::{InviteCode, InviteLimits};
pub use member::Nickname;
pub use mentions::ParsedMentions;
pub use message::{MessageContent, MessageKind, Nonce};
pub use permissions::{Overwrite, OverwriteKind, Permissions, Subject};
pub use profile::{Bio, DisplayName, Pronouns};
pub use reaction::ReactionEmoji;
pub use registration::{Admission, Applicant, Refusal, RegistrationMode};
pub use role::{RoleColor, RoleName};
pub use secret::Password;
pub use username::Username;
pub use validation::ValidationError;
pub use vote::{
    MajorityPercent, Outcome, Quorum, Tally, VoteDuration, VoteReason, VoteRule, VoteSettings,
    VoteStatus, VoteTimeout,
};
