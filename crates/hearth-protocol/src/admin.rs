//! Instance administration: invites, settings, accounts, announcements and the instance audit log.

use serde::{Deserialize, Serialize};

use crate::audit::AuditLogChange;
use crate::users::User;

/// Registration mode of the instance.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    Open,
    Invite,
    Closed,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInstanceInvite {
    /// Uses before the invite stops working; 0 or absent means unlimited (at most 100000).
    #[serde(default)]
    pub max_uses: Option<u64>,
    /// Seconds until the invite expires; 0 or absent means never (at most one year).
    #[serde(default)]
    pub max_age: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceInvite {
    pub code: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub max_uses: Option<u32>,
    pub uses: u32,
    /// Who made it; absent for invites made with the command line.
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceSettings {
    pub registration_mode: RegistrationMode,
    /// The instance's name ("Hearth" until set).
    pub name: String,
    pub description: String,
    /// Terms of service, markdown; empty when none.
    pub terms: String,
    /// Privacy policy, markdown; empty when none.
    pub privacy: String,
}

/// `PATCH /admin/settings`: absent fields stay as they are; an empty `description`, `terms` or
/// `privacy` clears it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateInstanceSettings {
    #[serde(default)]
    pub registration_mode: Option<RegistrationMode>,
    /// 1–100 characters, one line.
    #[serde(default)]
    pub name: Option<String>,
    /// At most 1000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// At most 20000 characters of markdown.
    #[serde(default)]
    pub terms: Option<String>,
    /// At most 20000 characters of markdown.
    #[serde(default)]
    pub privacy: Option<String>,
}

/// An account as instance administrators see it: the public profile and its standing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    #[serde(flatten)]
    pub user: User,
    /// Instance administrator.
    pub admin: bool,
    /// The instance owner; always an admin.
    pub owner: bool,
    /// Disabled accounts cannot sign in and have no sessions.
    pub disabled: bool,
    /// Deleted by an administrator: anonymised, kept for the messages it wrote.
    pub deleted: bool,
    /// The last use of any of its sessions; null without a session.
    pub last_active_at: Option<String>,
}

/// `POST /admin/announcements`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAnnouncement {
    /// 1–100 characters, one line.
    pub title: String,
    /// 1–4000 characters of markdown.
    pub content: String,
    /// RFC 3339, in the future and at most a year away; absent: shown until deleted.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// One entry of the instance audit log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceAuditLogEntry {
    pub id: String,
    /// Who acted; null when the command line (`hearth admin …`) did.
    pub user_id: Option<String>,
    /// Dotted name: `user.disable`, `user.enable`, `user.delete`, `user.promote`, `user.demote`,
    /// `settings.update`, `invite.create`, `invite.delete`, `announcement.create`,
    /// `announcement.delete`, `report.update`.
    pub action: String,
    /// The account or announcement acted on.
    pub target_id: Option<String>,
    pub changes: Vec<AuditLogChange>,
    pub reason: Option<String>,
    /// When it happened (the time of its id).
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceAuditLog {
    /// Newest first.
    pub entries: Vec<InstanceAuditLogEntry>,
    /// The actors and account targets of these entries.
    pub users: Vec<User>,
}
