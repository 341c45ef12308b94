//! `POST /channels/{id}/typing`: tells the channel's viewers that someone is typing.

use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use hearth_core::{Permissions, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::gateway::TypingStart;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::services::access::ChannelAccess;
use crate::state::AppState;

/// Typing lasts ten seconds on clients; one signal every few seconds per channel is plenty, and the
/// bound keeps a script from flooding a channel's viewers.
const TYPING_INTERVAL: Duration = Duration::from_secs(3);
const TYPING_BURST: u32 = 2;

/// Typing signals per (user, channel).
pub struct TypingLimiter(RateLimiter<(u64, u64), DefaultKeyedStateStore<(u64, u64)>, DefaultClock>);

impl Default for TypingLimiter {
    fn default() -> Self {
        let quota = Quota::with_period(TYPING_INTERVAL)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(TYPING_BURST).unwrap_or(NonZeroU32::MIN));
        Self(RateLimiter::keyed(quota))
    }
}

impl TypingLimiter {
    /// `Err(wait)` when the user signalled typing in this channel too recently.
    fn check(&self, user: Snowflake, channel: Snowflake) -> Result<(), Duration> {
        self.0
            .check_key(&(user.get(), channel.get()))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets idle keys (called by the server's upkeep).
    pub fn sweep(&self) {
        self.0.retain_recent();
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trigger_typing))
}

/// Signal typing in a channel (SEND_MESSAGES in it). Viewers get TYPING_START; clients show it for
/// ten seconds or until a message from that user arrives.
#[utoipa::path(post, path = "/channels/{channel_id}/typing", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED", body = ErrorBody)))]
async fn trigger_typing(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::SEND_MESSAGES)?;
    state
        .typing
        .check(auth.user.id, access.channel.id)
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    state.bus.publish(
        Audience::Channel {
            guild_id: access.channel.guild_id,
            channel_id: access.channel.id,
        },
        &Event::TypingStart(TypingStart {
            channel_id: access.channel.id.to_string(),
            guild_id: access.channel.guild_id.to_string(),
            user_id: auth.user.id.to_string(),
            timestamp: now_ms() / 1000,
            member: views::member(&access.guild.context.member),
        }),
    );
    Ok(StatusCode::NO_CONTENT)
}
