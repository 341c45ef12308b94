//! Voting moderation: a guild's settings, and members' votes to time a disruptive member out.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::{
    AuditAction, MajorityPercent, Permissions, Quorum, Snowflake, VoteDuration, VoteReason,
    VoteSettings, VoteTimeout,
};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::votes::{self as wire, CastBallot, CreateVote, ModerationVote};
use hearth_store::{VoteFilter, VoteQuery, VoteRecord};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiQuery, AuditReason, Authenticated, parse_id};
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::GuildAccess;
use crate::services::votes;
use crate::state::AppState;

/// Largest page of a guild's votes.
const VOTE_PAGE_MAX: u32 = 100;
const VOTE_PAGE_DEFAULT: u32 = 50;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_vote_settings, put_vote_settings))
        .routes(routes!(list_votes, create_vote))
        .routes(routes!(get_vote, cancel_vote))
        .routes(routes!(cast_ballot))
}

pub fn settings_view(s: &VoteSettings) -> wire::VoteSettings {
    wire::VoteSettings {
        enabled: s.enabled,
        quorum: s.quorum.get().into(),
        majority_percent: s.majority.get().into(),
        duration_seconds: s.duration.secs().into(),
        timeout_seconds: s.timeout.secs().into(),
    }
}

/// A vote as its viewer sees it (with their own ballot).
pub fn vote_view(v: &VoteRecord) -> ModerationVote {
    ModerationVote {
        id: v.id.to_string(),
        guild_id: v.guild_id.to_string(),
        channel_id: v.channel_id.map(|c| c.to_string()),
        target_id: v.target_id.to_string(),
        initiator_id: v.initiator_id.map(|i| i.to_string()),
        reason: v.reason.clone(),
        quorum: v.rule.quorum.get().into(),
        majority_percent: v.rule.majority.get().into(),
        timeout_seconds: v.timeout.secs().into(),
        status: v.status.name().to_owned(),
        votes_for: v.tally.in_favour.into(),
        votes_against: v.tally.against.into(),
        created_at: rfc3339(v.created_at),
        ends_at: rfc3339(v.ends_at),
        closed_at: v.closed_at.map(rfc3339),
        my_ballot: v.my_ballot,
    }
}

/// A vote as an event carries it: the same to every member, so without anyone's ballot.
pub fn vote_event(v: &VoteRecord) -> Box<ModerationVote> {
    Box::new(ModerationVote {
        my_ballot: None,
        ..vote_view(v)
    })
}

/// The guild's voting-moderation settings (any member may read them, so clients know whether to
/// offer votes).
#[utoipa::path(get, path = "/guilds/{guild_id}/vote-settings", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = wire::VoteSettings),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn get_vote_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<wire::VoteSettings>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let settings = state.store.vote_settings(access.guild_id()).await?;
    Ok(axum::Json(settings_view(&settings)))
}

/// Change the settings (MANAGE_GUILD). Running votes keep the rule they started with.
#[utoipa::path(put, path = "/guilds/{guild_id}/vote-settings", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = wire::VoteSettings,
    responses((status = 200, body = wire::VoteSettings), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn put_vote_settings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<wire::VoteSettings>,
) -> ApiResult<axum::Json<wire::VoteSettings>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_GUILD)?;
    let mut errors = FieldErrors::default();
    let quorum = errors.check("quorum", Quorum::parse(body.quorum));
    let majority = errors.check(
        "majority_percent",
        MajorityPercent::parse(body.majority_percent),
    );
    let duration = errors.check(
        "duration_seconds",
        VoteDuration::parse(body.duration_seconds),
    );
    let timeout = errors.check("timeout_seconds", VoteTimeout::parse(body.timeout_seconds));
    let (Some(quorum), Some(majority), Some(duration), Some(timeout)) =
        (quorum, majority, duration, timeout)
    else {
        return Err(errors.into_error());
    };
    let settings = VoteSettings {
        enabled: body.enabled,
        quorum,
        majority,
        duration,
        timeout,
    };
    let before = settings_view(&state.store.vote_settings(access.guild_id()).await?);
    let after = settings_view(&settings);
    let audit = access
        .audit(&state, AuditAction::VoteSettingsUpdate, reason)
        .target(access.guild_id())
        .change("enabled", before.enabled, after.enabled)
        .change("quorum", before.quorum, after.quorum)
        .change(
            "majority_percent",
            before.majority_percent,
            after.majority_percent,
        )
        .change(
            "duration_seconds",
            before.duration_seconds,
            after.duration_seconds,
        )
        .change(
            "timeout_seconds",
            before.timeout_seconds,
            after.timeout_seconds,
        );
    state
        .store
        .set_vote_settings(access.guild_id(), &settings, &audit)
        .await?;
    Ok(axum::Json(after))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VotePage {
    /// `open` or `closed`; both when absent.
    pub status: Option<String>,
    /// Votes older than this vote id.
    pub before: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

/// The guild's votes, newest first (any member).
#[utoipa::path(get, path = "/guilds/{guild_id}/votes", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), VotePage),
    responses((status = 200, body = Vec<ModerationVote>), (status = 400, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_votes(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiQuery(page): ApiQuery<VotePage>,
) -> ApiResult<axum::Json<Vec<ModerationVote>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let mut errors = FieldErrors::default();
    let filter = match page.status.as_deref() {
        None => Some(VoteFilter::All),
        Some("open") => Some(VoteFilter::Open),
        Some("closed") => Some(VoteFilter::Closed),
        Some(_) => errors.check::<VoteFilter, _>("status", Err("must be open or closed")),
    };
    let before = errors.id("before", page.before.as_deref());
    let limit = errors.limit(page.limit, VOTE_PAGE_DEFAULT, VOTE_PAGE_MAX);
    errors.finish()?;
    let votes = state
        .store
        .votes_of_guild(&VoteQuery {
            guild_id: access.guild_id(),
            viewer: access.user_id(),
            filter: filter.unwrap_or(VoteFilter::All),
            before,
            limit,
        })
        .await?;
    Ok(axum::Json(votes.iter().map(vote_view).collect()))
}

/// Start a vote to time a member out (any member who is not timed out, while the guild has voting
/// on). The caller's own ballot counts in favour. Members receive MODERATION_VOTE_CREATE.
#[utoipa::path(post, path = "/guilds/{guild_id}/votes", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = CreateVote,
    responses((status = 201, body = ModerationVote), (status = 400, body = ErrorBody),
        (status = 403, description = "VOTING_DISABLED, CANNOT_VOTE, VOTE_TARGET_PROTECTED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER, UNKNOWN_CHANNEL", body = ErrorBody),
        (status = 409, description = "VOTE_ALREADY_OPEN, QUORUM_UNREACHABLE", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED: three votes started per member per hour", body = ErrorBody)))]
async fn create_vote(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiJson(body): ApiJson<CreateVote>,
) -> ApiResult<(StatusCode, axum::Json<ModerationVote>)> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let mut errors = FieldErrors::default();
    let target_id = errors.check("target_id", body.target_id.parse::<Snowflake>());
    let reason = errors.check("reason", VoteReason::parse(&body.reason));
    let channel_id = body
        .channel_id
        .as_deref()
        .map(|raw| errors.check("channel_id", raw.parse::<Snowflake>()));
    let (Some(target_id), Some(reason)) = (target_id, reason) else {
        return Err(errors.into_error());
    };
    errors.finish()?;
    let channel_id = channel_id.flatten();
    if let Some(id) = channel_id {
        // The vote is shown in that channel, so it must be one the caller can see in this guild.
        let visible = state
            .store
            .channel_by_id(id)
            .await?
            .is_some_and(|c| c.guild_id == access.guild_id() && access.can_view(&c));
        if !visible {
            return Err(ApiError::NotFound(Entity::Channel));
        }
    }
    let vote = votes::start(&state, &access, target_id, reason, channel_id).await?;
    Ok((StatusCode::CREATED, axum::Json(vote_view(&vote))))
}

async fn load_vote(state: &AppState, access: &GuildAccess, raw_id: &str) -> ApiResult<VoteRecord> {
    let vote_id = parse_id("vote_id", raw_id)?;
    state
        .store
        .vote(access.guild_id(), vote_id, access.user_id())
        .await?
        .ok_or(ApiError::NotFound(Entity::Vote))
}

/// One vote, with the caller's own ballot (any member).
#[utoipa::path(get, path = "/guilds/{guild_id}/votes/{vote_id}", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("vote_id" = String, Path)),
    responses((status = 200, body = ModerationVote),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_VOTE", body = ErrorBody)))]
async fn get_vote(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, vote_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<ModerationVote>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let vote = load_vote(&state, &access, &vote_id).await?;
    Ok(axum::Json(vote_view(&vote)))
}

/// Cancel an open vote (its initiator, or MODERATE_MEMBERS). Members receive MODERATION_VOTE_CLOSE.
#[utoipa::path(delete, path = "/guilds/{guild_id}/votes/{vote_id}", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("vote_id" = String, Path)),
    responses((status = 204), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_VOTE", body = ErrorBody),
        (status = 409, description = "VOTE_CLOSED", body = ErrorBody)))]
async fn cancel_vote(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, vote_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let vote = load_vote(&state, &access, &vote_id).await?;
    votes::cancel(&state, &access, &vote, reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Vote once in an open vote. The vote's target, members who joined after it started and timed-out
/// members cannot vote. Members receive MODERATION_VOTE_UPDATE with the tallies, and
/// MODERATION_VOTE_CLOSE when the ballot decided the vote.
#[utoipa::path(put, path = "/guilds/{guild_id}/votes/{vote_id}/ballot", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("vote_id" = String, Path)), request_body = CastBallot,
    responses((status = 200, body = ModerationVote), (status = 400, body = ErrorBody),
        (status = 403, description = "CANNOT_VOTE", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_VOTE", body = ErrorBody),
        (status = 409, description = "ALREADY_VOTED, VOTE_CLOSED", body = ErrorBody)))]
async fn cast_ballot(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, vote_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CastBallot>,
) -> ApiResult<axum::Json<ModerationVote>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let vote_id = parse_id("vote_id", &vote_id)?;
    let vote = votes::cast(&state, &access, vote_id, body.in_favour).await?;
    Ok(axum::Json(vote_view(&vote)))
}
