//! Guild members and bans.

use serde::{Deserialize, Serialize};

use crate::users::User;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user: User,
    pub nick: Option<String>,
    /// Role ids (never @everyone).
    pub roles: Vec<String>,
    /// RFC 3339.
    pub joined_at: String,
    /// Joined through a temporary invite and has no role yet.
    pub pending: bool,
    /// RFC 3339, when timed out.
    pub communication_disabled_until: Option<String>,
}

/// `PATCH /guilds/{id}/members/{user_id}`: absent fields stay as they are; `nick: null` or `""` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub nick: Option<Option<String>>,
    /// Replaces the member's roles.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// RFC 3339 time (in the future, at most 28 days ahead) until which the member is timed out
    /// (MODERATE_MEMBERS); `null` lifts a timeout.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub communication_disabled_until: Option<Option<String>>,
}

/// `PATCH /guilds/{id}/members/@me`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCurrentMember {
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub nick: Option<Option<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ban {
    pub user: User,
    pub reason: Option<String>,
}

/// `PUT /guilds/{id}/bans/{user_id}`; the reason may also come from `X-Audit-Log-Reason`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateBan {
    #[serde(default)]
    pub reason: Option<String>,
    /// Also delete the user's messages in the guild from the last this many seconds (0–604800).
    #[serde(default)]
    pub delete_message_seconds: Option<i64>,
}
