//! The guild audit log (`GET /guilds/{id}/audit-logs`), in Discord's shape.

use serde::{Deserialize, Serialize};

use crate::users::User;

/// One field's value before and after. A field that appeared has no `old_value`; one that went has no
/// `new_value`. Permission bitfields are decimal strings, ids are strings, times RFC 3339.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLogChange {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub old_value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub new_value: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLogEntry {
    pub id: String,
    pub guild_id: String,
    /// Who acted; null when the system did (AutoMod, a passed vote).
    pub user_id: Option<String>,
    /// Discord's audit log event number; Hearth's own start at 1000 (see docs/api.md).
    pub action_type: i64,
    pub target_id: Option<String>,
    pub changes: Vec<AuditLogChange>,
    /// Action-specific details such as `channel_id`, `count`, `delete_message_seconds`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Map<String, serde_json::Value>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    /// Newest first.
    pub audit_log_entries: Vec<AuditLogEntry>,
    /// The actors and user targets of these entries that still exist.
    pub users: Vec<User>,
}
