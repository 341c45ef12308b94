//! What a session is told when it starts: READY and one GUILD_CREATE per guild, each exactly what
//! this user may see. Also used for the GUILD_CREATE sent when a user creates or joins a guild.

use hearth_core::Snowflake;
use hearth_protocol::gateway::{GatewayGuild, Presence};
use hearth_protocol::guilds::Guild;
use hearth_store::UserRecord;

use crate::error::ApiResult;
use crate::http::guilds::guild_view;
use crate::http::views;
use crate::services::access::GuildAccess;
use crate::state::AppState;

/// The guild as `user` sees it: visible channels, their own member object, and who is online.
pub async fn gateway_guild(
    state: &AppState,
    user: &UserRecord,
    guild_id: Snowflake,
) -> ApiResult<GatewayGuild> {
    let access = GuildAccess::load(state, user, guild_id).await?;
    let guild = guild_view(state, &access).await?;
    gateway_guild_from(state, &access, guild).await
}

/// The same, from a member's standing and the guild object a handler already has.
pub async fn gateway_guild_from(
    state: &AppState,
    access: &GuildAccess,
    guild: Guild,
) -> ApiResult<GatewayGuild> {
    let guild_id = access.guild_id();
    let user_id = access.user_id();
    let channels = state
        .store
        .channels_of_guild(guild_id)
        .await?
        .iter()
        .filter(|c| access.can_view(c))
        .map(views::channel)
        .collect();
    let online = state.gateway.presences(guild_id, user_id).await;
    let limit = state.config.gateway.max_members_in_guild_create as usize;
    let others: Vec<Snowflake> = online
        .iter()
        .map(|(u, _)| *u)
        .filter(|u| *u != user_id)
        .take(limit)
        .collect();
    let mut members = vec![views::member(&access.context.member)];
    members.extend(
        state
            .store
            .members_by_ids(guild_id, &others)
            .await?
            .iter()
            .map(views::member),
    );
    let presences: Vec<Presence> = online
        .iter()
        .map(|(user_id, presence)| presence.shown(&user_id.to_string(), Some(guild_id.to_string())))
        .collect();
    Ok(GatewayGuild {
        member_count: guild.approximate_member_count,
        joined_at: crate::clock::rfc3339(access.context.member.joined_at),
        guild,
        channels,
        members,
        presences,
        voice_states: Vec::new(),
        unavailable: false,
    })
}
