//! Guild channels, their permission overwrites, and the bodies that create, edit and move them.

use serde::{Deserialize, Serialize};

/// A permission overwrite: `type` 0 targets a role, 1 a member.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PermissionOverwrite {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: i64,
    /// Decimal string.
    #[serde(default = "zero")]
    pub allow: String,
    /// Decimal string.
    #[serde(default = "zero")]
    pub deny: String,
}

fn zero() -> String {
    "0".to_owned()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    pub id: String,
    /// Discord's numbers: 0 text, 2 voice, 4 category, 5 announcement, 15 forum.
    #[serde(rename = "type")]
    pub kind: u8,
    pub guild_id: String,
    pub name: String,
    pub topic: Option<String>,
    pub position: i32,
    /// The category this channel sits in.
    pub parent_id: Option<String>,
    pub nsfw: bool,
    /// Slow mode: seconds a member waits between messages (0 = off).
    pub rate_limit_per_user: u32,
    /// Voice channels only: bits per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u32>,
    /// Voice channels only: 0 is unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_limit: Option<u32>,
    pub permission_overwrites: Vec<PermissionOverwrite>,
    /// The newest message sent in the channel (it may have been deleted since), or null.
    pub last_message_id: Option<String>,
}

/// `POST /guilds/{id}/channels`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateChannel {
    pub name: String,
    /// Defaults to 0 (text).
    #[serde(default, rename = "type")]
    pub kind: Option<i64>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub position: Option<i64>,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub nsfw: Option<bool>,
    #[serde(default)]
    pub rate_limit_per_user: Option<i64>,
    #[serde(default)]
    pub bitrate: Option<i64>,
    #[serde(default)]
    pub user_limit: Option<i64>,
    #[serde(default)]
    pub permission_overwrites: Option<Vec<PermissionOverwrite>>,
}

/// `PATCH /channels/{id}`: absent fields stay as they are; `topic: null` and `parent_id: null` clear.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateChannel {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub topic: Option<Option<String>>,
    #[serde(default)]
    pub position: Option<i64>,
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub parent_id: Option<Option<String>>,
    #[serde(default)]
    pub nsfw: Option<bool>,
    #[serde(default)]
    pub rate_limit_per_user: Option<i64>,
    #[serde(default)]
    pub bitrate: Option<i64>,
    #[serde(default)]
    pub user_limit: Option<i64>,
    /// Replaces every overwrite.
    #[serde(default)]
    pub permission_overwrites: Option<Vec<PermissionOverwrite>>,
    /// Copy the parent category's overwrites onto this channel (Hearth's name for Discord's sync).
    #[serde(default)]
    pub lock_permissions: Option<bool>,
}

/// One entry of `PATCH /guilds/{id}/channels` (bulk move).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelPosition {
    pub id: String,
    #[serde(default)]
    pub position: Option<i64>,
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub parent_id: Option<Option<String>>,
    /// Sync the channel's overwrites with its (new) parent's.
    #[serde(default)]
    pub lock_permissions: Option<bool>,
}

/// `PUT /channels/{id}/permissions/{overwrite_id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutOverwrite {
    #[serde(rename = "type")]
    pub kind: i64,
    #[serde(default)]
    pub allow: Option<String>,
    #[serde(default)]
    pub deny: Option<String>,
}
