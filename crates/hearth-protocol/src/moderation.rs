//! Moderation beyond kicks and bans: warnings, reports and voting moderation.

use serde::{Deserialize, Serialize};

use crate::users::User;

/// A moderator's recorded warning to a member.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub id: String,
    pub guild_id: String,
    pub user_id: String,
    /// Null when the moderator's account is gone or the system warned.
    pub moderator_id: Option<String>,
    pub reason: String,
    /// RFC 3339.
    pub created_at: String,
}

/// `POST /guilds/{id}/members/{user_id}/warnings`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateWarning {
    /// 1–512 characters; shown to the member.
    pub reason: String,
}

/// GUILD_MEMBER_WARNING_CREATE and GUILD_MEMBER_WARNING_DELETE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningEvent {
    pub guild_id: String,
    pub warning: Warning,
    /// The member's warnings after the change.
    pub warning_count: i64,
    pub user: User,
}

/// A report in a moderation queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: String,
    /// Null for a report made to the instance's admins.
    pub guild_id: Option<String>,
    pub reporter_id: String,
    /// The reported user (a message's author for a message report).
    pub target_user_id: String,
    pub channel_id: Option<String>,
    pub message_id: Option<String>,
    /// The message's content when it was reported, kept even if the message is deleted.
    pub message_content: Option<String>,
    /// spam, harassment, hate, sexual, violence, self_harm, illegal, impersonation or other.
    pub category: String,
    pub reason: String,
    /// open, resolved or dismissed.
    pub status: String,
    pub assignee_id: Option<String>,
    /// Also in the instance admins' queue.
    pub escalated: bool,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    /// Moderators' notes, oldest first (only in single-report answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<ReportNote>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportNote {
    pub id: String,
    pub author_id: Option<String>,
    pub content: String,
    pub created_at: String,
}

/// `POST /guilds/{id}/reports` (a message or a member) and `POST /reports` (a user, to the
/// instance's admins).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateReport {
    /// With `message_id`: the message reported.
    #[serde(default)]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub message_id: Option<String>,
    /// The user reported, when no message is.
    #[serde(default)]
    pub user_id: Option<String>,
    pub category: String,
    /// Up to 1000 characters.
    #[serde(default)]
    pub reason: Option<String>,
    /// Also send it to the instance's admins.
    #[serde(default)]
    pub escalate: bool,
}

/// `PATCH /guilds/{id}/reports/{report_id}` and `PATCH /admin/reports/{report_id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateReport {
    /// open, resolved or dismissed.
    #[serde(default)]
    pub status: Option<String>,
    /// A moderator (who can manage reports) to assign, or null to unassign.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub assignee_id: Option<Option<String>>,
    /// Escalate to the instance's admins (a guild moderator can only set it).
    #[serde(default)]
    pub escalated: Option<bool>,
}

/// `POST …/reports/{report_id}/notes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateReportNote {
    /// 1–2000 characters.
    pub content: String,
}

/// `POST /guilds/{id}/reports/{report_id}/actions`: act on the report with one click. Each action
/// needs its own permission as well (MANAGE_MESSAGES, MODERATE_MEMBERS, KICK_MEMBERS, BAN_MEMBERS),
/// lands in the audit log, and resolves the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportAction {
    /// delete_message, timeout, kick or ban.
    #[serde(rename = "type")]
    pub kind: String,
    /// For timeout: 60–2419200 seconds (default 3600).
    #[serde(default)]
    pub duration_seconds: Option<i64>,
    /// For ban: 0–604800.
    #[serde(default)]
    pub delete_message_seconds: Option<i64>,
    /// Recorded in the audit log; up to 512 characters.
    #[serde(default)]
    pub reason: Option<String>,
}
