//! AutoMod rules (`/guilds/{id}/auto-moderation/rules`) and the AUTO_MODERATION_* event payloads, in
//! Discord's shapes, with Hearth's own trigger types (100 INVITE_LINKS, 101 LINKS, 102 MESSAGE_SPAM)
//! and their metadata fields.

use serde::{Deserialize, Serialize};

/// A rule's trigger metadata. In a response only the fields of the rule's trigger type appear; in a
/// request every field is optional, and fields of another type are refused unless empty (as
/// Discord's clients send them).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TriggerMetadata {
    /// KEYWORD: up to 1000 keywords of up to 60 characters; `*` at either end is a wildcard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword_filter: Option<Vec<String>>,
    /// KEYWORD: up to 10 Rust regular expressions of up to 260 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_patterns: Option<Vec<String>>,
    /// Discord's KEYWORD_PRESET lists; Hearth has none, so only `[]` is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presets: Option<Vec<i64>>,
    /// KEYWORD: up to 100 words that never trigger the rule. INVITE_LINKS: up to 100 invite codes
    /// that are always allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<Vec<String>>,
    /// MENTION_SPAM: more distinct user and role mentions than this (1–50) trigger the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_total_limit: Option<i64>,
    /// MENTION_SPAM: Discord's raid detection; Hearth has none, so only `false` is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_raid_protection_enabled: Option<bool>,
    /// INVITE_LINKS (Hearth): whether invites to this guild are allowed (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_guild_invites: Option<bool>,
    /// LINKS (Hearth): when not empty, links must lead to these domains or their subdomains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_domains: Option<Vec<String>>,
    /// LINKS (Hearth): links to, or mentions of, these domains or their subdomains trigger the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_domains: Option<Vec<String>>,
    /// MESSAGE_SPAM (Hearth): at most this many messages (1–50) per interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_messages: Option<i64>,
    /// MESSAGE_SPAM (Hearth): at most this many copies of one message (1–50) per interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duplicates: Option<i64>,
    /// MESSAGE_SPAM (Hearth): the interval, 1–600 seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<i64>,
}

/// An action's metadata: `custom_message` for BLOCK_MESSAGE (1), `channel_id` for
/// SEND_ALERT_MESSAGE (2), `duration_seconds` for TIMEOUT (3).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionMetadata {
    /// Up to 150 characters shown to the author instead of the generic refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    /// A text channel of the guild that receives the alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// 1–2419200 seconds (28 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AutoModAction {
    /// 1 BLOCK_MESSAGE, 2 SEND_ALERT_MESSAGE, 3 TIMEOUT.
    #[serde(rename = "type")]
    pub kind: i64,
    #[serde(default)]
    pub metadata: Option<ActionMetadata>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoModRule {
    pub id: String,
    pub guild_id: String,
    pub name: String,
    /// The member who made the rule (null once the server cannot tell).
    pub creator_id: Option<String>,
    /// 1 MESSAGE_SEND.
    pub event_type: u8,
    /// 1 KEYWORD, 5 MENTION_SPAM, 100 INVITE_LINKS, 101 LINKS, 102 MESSAGE_SPAM.
    pub trigger_type: u16,
    pub trigger_metadata: TriggerMetadata,
    pub actions: Vec<AutoModAction>,
    pub enabled: bool,
    pub exempt_roles: Vec<String>,
    pub exempt_channels: Vec<String>,
}

/// `POST /guilds/{id}/auto-moderation/rules`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAutoModRule {
    pub name: String,
    pub event_type: i64,
    pub trigger_type: i64,
    #[serde(default)]
    pub trigger_metadata: Option<TriggerMetadata>,
    pub actions: Vec<AutoModAction>,
    /// Default false, as in Discord.
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub exempt_roles: Option<Vec<String>>,
    #[serde(default)]
    pub exempt_channels: Option<Vec<String>>,
}

/// `PATCH /guilds/{id}/auto-moderation/rules/{rule_id}`: absent fields stay as they are; the trigger
/// type cannot change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateAutoModRule {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub event_type: Option<i64>,
    #[serde(default)]
    pub trigger_metadata: Option<TriggerMetadata>,
    #[serde(default)]
    pub actions: Option<Vec<AutoModAction>>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub exempt_roles: Option<Vec<String>>,
    #[serde(default)]
    pub exempt_channels: Option<Vec<String>>,
}

/// AUTO_MODERATION_ACTION_EXECUTION: one action a rule took on one message (Discord's payload).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoModActionExecution {
    pub guild_id: String,
    pub action: AutoModAction,
    pub rule_id: String,
    pub rule_trigger_type: u16,
    pub user_id: String,
    pub channel_id: String,
    /// The message, when it was stored (absent when it was blocked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The alert posted by SEND_ALERT_MESSAGE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_system_message_id: Option<String>,
    pub content: String,
    /// The keyword, pattern or domain of the rule that matched.
    pub matched_keyword: Option<String>,
    /// What matched, in AutoMod's folded form (lower case, look-alikes and accents folded).
    pub matched_content: Option<String>,
}
