//! Roles and the bodies that create, edit and reorder them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Role {
    pub id: String,
    pub name: String,
    /// RGB as an integer; 0 means no colour.
    pub color: u32,
    /// Shown separately in the member list.
    pub hoist: bool,
    pub mentionable: bool,
    /// Higher ranks higher; @everyone is 0.
    pub position: i32,
    /// Decimal string of the permission bitfield (see docs/permissions.md).
    pub permissions: String,
    /// Always false: Hearth has no integration-managed roles yet.
    pub managed: bool,
    /// Role icon hash: `/role-icons/{id}/{hash}.png`.
    #[serde(default)]
    pub icon: Option<String>,
}

/// `POST /guilds/{id}/roles`: every field optional (Discord's defaults: "new role", no permissions).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub permissions: Option<String>,
    #[serde(default)]
    pub color: Option<i64>,
    #[serde(default)]
    pub hoist: Option<bool>,
    #[serde(default)]
    pub mentionable: Option<bool>,
    /// A data URI (`data:image/png;base64,…`) of a PNG, JPEG, GIF or WebP image, or `null` to remove it.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub icon: Option<Option<String>>,
}

/// `PATCH /guilds/{id}/roles/{role_id}`: absent fields stay as they are.
pub type UpdateRole = CreateRole;

/// One entry of `PATCH /guilds/{id}/roles` (reorder).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RolePosition {
    pub id: String,
    pub position: i64,
}
