//! Guild invites: the public preview, the metadata managers see, and the create body.

use serde::{Deserialize, Serialize};

use crate::users::User;

/// What anyone holding the code may see: nothing private.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    pub code: String,
    pub guild: InviteGuild,
    pub channel: InviteChannel,
    pub inviter: Option<User>,
    pub approximate_member_count: i64,
    /// Members active recently (a session used within the last five minutes) until the gateway
    /// tracks presence.
    pub approximate_presence_count: i64,
    /// RFC 3339, or null when it never expires.
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteGuild {
    pub id: String,
    pub name: String,
    pub description: String,
    pub icon: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteChannel {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: u8,
}

/// An invite with the metadata shown to those who manage it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteMetadata {
    pub code: String,
    pub guild_id: String,
    pub channel_id: String,
    pub inviter: Option<User>,
    pub uses: u32,
    /// 0 is unlimited.
    pub max_uses: u32,
    /// Seconds; 0 never expires.
    pub max_age: u32,
    pub temporary: bool,
    /// RFC 3339.
    pub created_at: String,
    pub expires_at: Option<String>,
}

/// `POST /channels/{id}/invites`. Discord's defaults: a day, unlimited uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    /// Seconds, 0 (never) to 604800 (7 days); default 86400.
    #[serde(default)]
    pub max_age: Option<i64>,
    /// 0 (unlimited) to 100; default 0.
    #[serde(default)]
    pub max_uses: Option<i64>,
    /// Members who join through it are removed when their last gateway session ends (after the
    /// resume window) unless they have been given a role.
    #[serde(default)]
    pub temporary: Option<bool>,
    /// Always make a new code instead of reusing an equivalent one.
    #[serde(default)]
    pub unique: Option<bool>,
}
