//! Read states: moving the signed-in user's read marker in a channel.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::messages::MessageAck;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Authenticated, parse_id};
use crate::bus::Audience;
use crate::error::{ApiError, ApiResult, Entity};
use crate::services::access::ChannelAccess;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ack_message))
}

/// Mark the channel read up to this message (VIEW_CHANNEL), forwards or back. MESSAGE_ACK tells the
/// user's sessions the new marker and the mentions left after it.
#[utoipa::path(post, path = "/channels/{channel_id}/messages/{message_id}/ack", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 204), (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn ack_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    let message_id = parse_id("message_id", &message_id)?;
    if !state
        .store
        .ack_message(auth.user.id, access.channel.id, message_id)
        .await?
    {
        return Err(ApiError::NotFound(Entity::Message));
    }
    let mention_count = state
        .store
        .mention_count(auth.user.id, access.channel.id)
        .await?;
    state.bus.publish(
        Audience::User(auth.user.id),
        &Event::MessageAck(MessageAck {
            channel_id: access.channel.id.to_string(),
            message_id: message_id.to_string(),
            mention_count,
        }),
    );
    Ok(StatusCode::NO_CONTENT)
}
