//! Reactions on messages: adding and removing your own, removing others' (moderation), clearing, and
//! listing who reacted. The `{emoji}` path segment is a percent-encoded unicode emoji.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::reaction::MAX_DISTINCT_REACTIONS;
use hearth_core::{Permissions, ReactionEmoji, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::messages::{EmojiReactionsCleared, ReactionEvent, ReactionsCleared};
use hearth_protocol::users::User;
use hearth_store::{MessageRecord, NewReaction};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiQuery, Authenticated, parse_id};
use super::messages::{load_message, publish_in_channel};
use super::views;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::services::access::ChannelAccess;
use crate::state::AppState;

/// Discord's bounds for the list of users who reacted.
const REACTION_PAGE_MAX: u32 = 100;
const REACTION_PAGE_DEFAULT: u32 = 25;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_own_reaction, remove_own_reaction))
        .routes(routes!(remove_user_reaction))
        .routes(routes!(list_reactions, clear_emoji_reactions))
        .routes(routes!(clear_reactions))
}

/// The path's segments; a segment that is not percent-encoded UTF-8 (an emoji written wrongly, most
/// likely) gets the usual error envelope instead of axum's plain-text answer.
fn segments<T>(path: Result<Path<T>, PathRejection>) -> ApiResult<T> {
    path.map(|Path(segments)| segments)
        .map_err(|_| ApiError::field("path", "must be percent-encoded UTF-8"))
}

fn parse_emoji(raw: &str) -> ApiResult<ReactionEmoji> {
    ReactionEmoji::parse(raw).map_err(|e| match e {
        hearth_core::ValidationError::Invalid(why) => ApiError::UnknownEmoji(why),
        _ => ApiError::UnknownEmoji("not a unicode emoji"),
    })
}

/// The channel (as the user sees it), the emoji and the message a reaction path names.
async fn resolve(
    state: &AppState,
    auth: &Authenticated,
    channel_id: &str,
    message_id: &str,
    emoji: &str,
) -> ApiResult<(ChannelAccess, ReactionEmoji, MessageRecord)> {
    let access =
        ChannelAccess::load(state, &auth.user, parse_id("channel_id", channel_id)?).await?;
    let emoji = parse_emoji(emoji)?;
    let message = load_message(state, &access, message_id).await?;
    Ok((access, emoji, message))
}

fn reaction_event(
    access: &ChannelAccess,
    message: &MessageRecord,
    user_id: Snowflake,
    emoji: &ReactionEmoji,
    with_author: bool,
) -> ReactionEvent {
    ReactionEvent {
        user_id: user_id.to_string(),
        channel_id: access.channel.id.to_string(),
        message_id: message.id.to_string(),
        guild_id: access.guild.guild_id().to_string(),
        emoji: views::emoji(emoji.as_str()),
        message_author_id: with_author.then(|| message.author.id.to_string()),
    }
}

/// React with a unicode emoji (READ_MESSAGE_HISTORY; ADD_REACTIONS too unless someone already reacted
/// with it). Idempotent: reacting again changes nothing and announces nothing.
#[utoipa::path(put, path = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path), ("emoji" = String, Path, description = "percent-encoded unicode emoji")),
    responses((status = 204), (status = 400, description = "UNKNOWN_EMOJI, LIMIT_REACHED (20 distinct emoji)", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn add_own_reaction(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (channel_id, message_id, emoji) = segments(path)?;
    let (access, emoji, message) = resolve(&state, &auth, &channel_id, &message_id, &emoji).await?;
    access.require(Permissions::READ_MESSAGE_HISTORY)?;
    let added = state
        .store
        .add_reaction(&NewReaction {
            channel_id: access.channel.id,
            message_id: message.id,
            emoji: emoji.as_str(),
            user_id: auth.user.id,
            may_add_new_emoji: access.permissions.contains(Permissions::ADD_REACTIONS),
            max_distinct_emoji: MAX_DISTINCT_REACTIONS,
            now_ms: now_ms(),
        })
        .await?;
    if added {
        let event = reaction_event(&access, &message, auth.user.id, &emoji, true);
        publish_in_channel(&state, &access, &Event::MessageReactionAdd(event));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Remove your own reaction. Removing one you do not have changes nothing.
#[utoipa::path(delete, path = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path), ("emoji" = String, Path)),
    responses((status = 204), (status = 400, description = "UNKNOWN_EMOJI", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn remove_own_reaction(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (channel_id, message_id, emoji) = segments(path)?;
    remove_reaction_of(&state, &auth, &channel_id, &message_id, &emoji, None).await
}

/// Remove someone's reaction (MANAGE_MESSAGES).
#[utoipa::path(delete, path = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path), ("emoji" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 400, description = "UNKNOWN_EMOJI, VALIDATION_FAILED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn remove_user_reaction(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String, String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (channel_id, message_id, emoji, user_id) = segments(path)?;
    let user_id = parse_id("user_id", &user_id)?;
    remove_reaction_of(
        &state,
        &auth,
        &channel_id,
        &message_id,
        &emoji,
        Some(user_id),
    )
    .await
}

/// Removes `user`'s reaction (someone else's needs MANAGE_MESSAGES; `None` is the caller's own).
async fn remove_reaction_of(
    state: &AppState,
    auth: &Authenticated,
    channel_id: &str,
    message_id: &str,
    emoji: &str,
    user: Option<Snowflake>,
) -> ApiResult<StatusCode> {
    let (access, emoji, message) = resolve(state, auth, channel_id, message_id, emoji).await?;
    let user = user.unwrap_or(auth.user.id);
    if user != auth.user.id {
        access.require(Permissions::MANAGE_MESSAGES)?;
    }
    if state
        .store
        .remove_reaction(message.id, emoji.as_str(), user)
        .await?
    {
        let event = reaction_event(&access, &message, user, &emoji, false);
        publish_in_channel(state, &access, &Event::MessageReactionRemove(event));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `after` (a user id) and `limit` for the users who reacted.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReactionsQuery {
    /// Users with an id above this one. Default 0.
    pub after: Option<String>,
    /// 1–100, default 25.
    pub limit: Option<i64>,
}

impl ReactionsQuery {
    fn parse(&self) -> ApiResult<(Snowflake, u32)> {
        let mut errors = FieldErrors::default();
        let after = match &self.after {
            Some(raw) => errors.check("after", raw.parse::<Snowflake>()),
            None => Some(Snowflake::from_db(0)),
        };
        let limit = errors.limit(self.limit, REACTION_PAGE_DEFAULT, REACTION_PAGE_MAX);
        errors.finish()?;
        Ok((after.unwrap_or(Snowflake::from_db(0)), limit))
    }
}

/// The users who reacted with an emoji, by user id (READ_MESSAGE_HISTORY). An emoji nobody used on the
/// message answers an empty list.
#[utoipa::path(get, path = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path), ("emoji" = String, Path), ReactionsQuery),
    responses((status = 200, body = Vec<User>), (status = 400, description = "UNKNOWN_EMOJI, VALIDATION_FAILED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn list_reactions(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String, String)>, PathRejection>,
    ApiQuery(query): ApiQuery<ReactionsQuery>,
) -> ApiResult<axum::Json<Vec<User>>> {
    let (channel_id, message_id, emoji) = segments(path)?;
    let (access, emoji, message) = resolve(&state, &auth, &channel_id, &message_id, &emoji).await?;
    access.require(Permissions::READ_MESSAGE_HISTORY)?;
    let (after, limit) = query.parse()?;
    let users = state
        .store
        .reaction_users(message.id, emoji.as_str(), after, limit)
        .await?;
    Ok(axum::Json(users.iter().map(views::user).collect()))
}

/// Remove every reaction with one emoji (MANAGE_MESSAGES).
#[utoipa::path(delete, path = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path), ("emoji" = String, Path)),
    responses((status = 204), (status = 400, description = "UNKNOWN_EMOJI", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn clear_emoji_reactions(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (channel_id, message_id, emoji) = segments(path)?;
    let (access, emoji, message) = resolve(&state, &auth, &channel_id, &message_id, &emoji).await?;
    access.require(Permissions::MANAGE_MESSAGES)?;
    if state
        .store
        .clear_reactions(message.id, Some(emoji.as_str()))
        .await?
        > 0
    {
        let event = EmojiReactionsCleared {
            channel_id: access.channel.id.to_string(),
            message_id: message.id.to_string(),
            guild_id: access.guild.guild_id().to_string(),
            emoji: views::emoji(emoji.as_str()),
        };
        publish_in_channel(&state, &access, &Event::MessageReactionRemoveEmoji(event));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Remove every reaction from a message (MANAGE_MESSAGES).
#[utoipa::path(delete, path = "/channels/{channel_id}/messages/{message_id}/reactions", tag = "messages",
    security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 204), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn clear_reactions(
    State(state): State<AppState>,
    auth: Authenticated,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (channel_id, message_id) = segments(path)?;
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    let message = load_message(&state, &access, &message_id).await?;
    access.require(Permissions::MANAGE_MESSAGES)?;
    if state.store.clear_reactions(message.id, None).await? > 0 {
        let event = ReactionsCleared {
            channel_id: access.channel.id.to_string(),
            message_id: message.id.to_string(),
            guild_id: access.guild.guild_id().to_string(),
        };
        publish_in_channel(&state, &access, &Event::MessageReactionRemoveAll(event));
    }
    Ok(StatusCode::NO_CONTENT)
}
