//! Pins: pinning and unpinning messages of a channel, and the pinned list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::message::MAX_PINS_PER_CHANNEL;
use hearth_core::{AuditAction, Permissions};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::messages::{ChannelPinsUpdate, Message};
use hearth_store::{NewAuditEntry, PinChange, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{AuditReason, Authenticated, parse_id};
use super::messages::{load_message, publish_in_channel};
use super::views;
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, ApiResult, Entity};
use crate::services::access::ChannelAccess;
use crate::state::AppState;

/// Either lets a member pin and unpin (PIN_MESSAGES is Discord's newer, narrower bit).
const MAY_PIN: Permissions = Permissions::PIN_MESSAGES.union(Permissions::MANAGE_MESSAGES);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pins))
        .routes(routes!(pin_message, unpin_message))
}

/// The channel for a pin change, refusing members who may not pin there.
async fn pin_access(
    state: &AppState,
    auth: &Authenticated,
    channel_id: &str,
) -> ApiResult<ChannelAccess> {
    let access =
        ChannelAccess::load(state, &auth.user, parse_id("channel_id", channel_id)?).await?;
    if !access.permissions.intersects(MAY_PIN) {
        return Err(ApiError::MissingPermissions(Permissions::PIN_MESSAGES));
    }
    Ok(access)
}

/// Announces a change of the channel's pins (nothing when the call changed nothing).
fn announce(state: &AppState, access: &ChannelAccess, change: PinChange) {
    if change.changed {
        let event = ChannelPinsUpdate {
            guild_id: access.guild.guild_id().to_string(),
            channel_id: access.channel.id.to_string(),
            last_pin_timestamp: change.last_pin_at.map(rfc3339),
        };
        publish_in_channel(state, access, &Event::ChannelPinsUpdate(event));
    }
}

/// The entry a pin change writes (if it changes anything): Discord's MESSAGE_PIN or MESSAGE_UNPIN, with
/// the message's author as target. Loading the message also answers `UNKNOWN_MESSAGE` before any write.
async fn pin_entry(
    state: &AppState,
    access: &ChannelAccess,
    message_id: &str,
    action: AuditAction,
    reason: Option<String>,
) -> ApiResult<(hearth_core::Snowflake, NewAuditEntry)> {
    let message = load_message(state, access, message_id).await?;
    let entry = access
        .guild
        .audit(state, action, reason)
        .target(message.author.id)
        .option("channel_id", access.channel.id.to_string())
        .option("message_id", message.id.to_string());
    Ok((message.id, entry))
}

fn unknown_message(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::NotFound(Entity::Message),
        other => other.into(),
    }
}

/// The channel's pinned messages, most recently pinned first (READ_MESSAGE_HISTORY).
#[utoipa::path(get, path = "/channels/{channel_id}/pins", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path)),
    responses((status = 200, body = Vec<Message>), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn list_pins(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
) -> ApiResult<axum::Json<Vec<Message>>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::READ_MESSAGE_HISTORY)?;
    let pinned = state
        .store
        .pinned_messages(access.channel.id, auth.user.id)
        .await?;
    Ok(axum::Json(
        pinned
            .iter()
            .map(|m| views::message(m, None, &state.media.signer))
            .collect(),
    ))
}

/// Pin a message (PIN_MESSAGES or MANAGE_MESSAGES); at most 50 per channel. Pinning a pinned message
/// changes nothing.
#[utoipa::path(put, path = "/channels/{channel_id}/pins/{message_id}", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 204), (status = 400, description = "LIMIT_REACHED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn pin_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = pin_access(&state, &auth, &channel_id).await?;
    let (message_id, audit) = pin_entry(
        &state,
        &access,
        &message_id,
        AuditAction::MessagePin,
        reason,
    )
    .await?;
    let change = state
        .store
        .pin_message(
            access.channel.id,
            message_id,
            MAX_PINS_PER_CHANNEL,
            now_ms(),
            &audit,
        )
        .await
        .map_err(unknown_message)?;
    announce(&state, &access, change);
    Ok(StatusCode::NO_CONTENT)
}

/// Unpin a message (PIN_MESSAGES or MANAGE_MESSAGES).
#[utoipa::path(delete, path = "/channels/{channel_id}/pins/{message_id}", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 204), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn unpin_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = pin_access(&state, &auth, &channel_id).await?;
    let (message_id, audit) = pin_entry(
        &state,
        &access,
        &message_id,
        AuditAction::MessageUnpin,
        reason,
    )
    .await?;
    let change = state
        .store
        .unpin_message(access.channel.id, message_id, &audit)
        .await
        .map_err(unknown_message)?;
    announce(&state, &access, change);
    Ok(StatusCode::NO_CONTENT)
}
