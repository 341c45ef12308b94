//! Guilds: the full object, the signed-in user's summary of each, and the create and update bodies.

use serde::{Deserialize, Serialize};

use crate::roles::Role;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guild {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Icon hash: `/icons/{id}/{hash}.png` (`.gif` when the hash starts with `a_`), `?size=`.
    pub icon: Option<String>,
    /// Banner hash: `/banners/{id}/{hash}.png`.
    #[serde(default)]
    pub banner: Option<String>,
    /// The guild's custom emoji.
    #[serde(default)]
    pub emojis: Vec<crate::media::GuildEmoji>,
    pub owner_id: String,
    /// Where system messages (joins) are posted.
    pub system_channel_id: Option<String>,
    /// 0 all messages, 1 only mentions.
    pub default_message_notifications: i64,
    /// 0 none … 4 very high (Discord's levels).
    pub verification_level: i64,
    /// 0 disabled, 1 members without roles, 2 all members.
    pub explicit_content_filter: i64,
    /// Every role, @everyone (whose id is the guild's) included, highest first.
    pub roles: Vec<Role>,
    pub features: Vec<String>,
    pub approximate_member_count: i64,
    /// RFC 3339.
    pub created_at: String,
}

/// One entry of `GET /users/@me/guilds`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserGuild {
    pub id: String,
    pub name: String,
    pub icon: Option<String>,
    /// Whether the signed-in user owns it.
    pub owner: bool,
    /// The signed-in user's guild-level permissions, as a decimal string.
    pub permissions: String,
    pub features: Vec<String>,
}

/// `POST /guilds`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateGuild {
    /// 2–100 characters.
    pub name: String,
    /// Up to 1000 characters.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub verification_level: Option<i64>,
    #[serde(default)]
    pub default_message_notifications: Option<i64>,
    #[serde(default)]
    pub explicit_content_filter: Option<i64>,
}

/// `PATCH /guilds/{id}`: absent fields stay as they are. `owner_id` transfers ownership (owner only).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateGuild {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `null` turns system messages off.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub system_channel_id: Option<Option<String>>,
    #[serde(default)]
    pub default_message_notifications: Option<i64>,
    #[serde(default)]
    pub verification_level: Option<i64>,
    #[serde(default)]
    pub explicit_content_filter: Option<i64>,
    #[serde(default)]
    pub owner_id: Option<String>,
    /// A data URI (`data:image/png;base64,…`) of a PNG, JPEG, GIF or WebP image, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub icon: Option<Option<String>>,
    /// A data URI (`data:image/png;base64,…`) of a PNG, JPEG, GIF or WebP image, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub banner: Option<Option<String>>,
}
