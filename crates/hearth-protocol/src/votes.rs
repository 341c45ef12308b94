//! Voting moderation: a guild's settings, votes to time a member out, ballots, and the vote events.

use serde::{Deserialize, Serialize};

/// A guild's voting-moderation settings (`GET` and `PUT /guilds/{id}/vote-settings`). The `PUT`
/// body takes every field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoteSettings {
    /// Whether members may start votes.
    pub enabled: bool,
    /// Ballots (for and against together) a vote needs for its result to count: 2–1000.
    pub quorum: i64,
    /// The share of ballots in favour a vote needs to pass, in percent: 51–100.
    pub majority_percent: i64,
    /// How long a vote stays open: 30–86400 seconds.
    pub duration_seconds: i64,
    /// How long a passed vote times its target out: 60–2419200 seconds (28 days).
    pub timeout_seconds: i64,
}

/// `POST /guilds/{id}/votes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateVote {
    /// The member to time out.
    pub target_id: String,
    /// 1–512 characters on one line; shown to every member.
    pub reason: String,
    /// The channel the vote was started from, for clients to show it there.
    #[serde(default)]
    pub channel_id: Option<String>,
}

/// `PUT /guilds/{id}/votes/{vote_id}/ballot`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CastBallot {
    pub in_favour: bool,
}

/// A vote to time a member out, with its tallies. Also the payload of MODERATION_VOTE_CREATE,
/// MODERATION_VOTE_UPDATE and MODERATION_VOTE_CLOSE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationVote {
    pub id: String,
    pub guild_id: String,
    pub channel_id: Option<String>,
    pub target_id: String,
    /// Null once the initiator's account is gone.
    pub initiator_id: Option<String>,
    pub reason: String,
    /// The rule the vote is decided by (the guild's settings when it started).
    pub quorum: i64,
    pub majority_percent: i64,
    pub timeout_seconds: i64,
    /// `open`, `passed`, `failed` or `cancelled`.
    pub status: String,
    pub votes_for: i64,
    pub votes_against: i64,
    /// RFC 3339.
    pub created_at: String,
    /// When the vote closes if it has not been decided before.
    pub ends_at: String,
    pub closed_at: Option<String>,
    /// The caller's ballot: `true` in favour, `false` against, null when they have not voted (and
    /// always null in events).
    pub my_ballot: Option<bool>,
}
