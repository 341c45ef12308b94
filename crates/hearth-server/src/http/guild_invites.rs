//! Guild invites: creating them on a channel, previewing a code (no sign-in needed), joining through
//! one, listing and revoking them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::{AuditAction, InviteCode, Permissions, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, InviteDeleted};
use hearth_protocol::guilds::Guild;
use hearth_protocol::invites::{CreateInvite, Invite, InviteMetadata};
use hearth_store::{GuildInviteRecord, NewGuildInvite, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, AuditReason, Authenticated, parse_id};
use super::guilds::guild_view;
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::gateway::snapshot::gateway_guild_from;
use crate::services::access::{ChannelAccess, GuildAccess};
use crate::state::AppState;

/// Discord's bounds and defaults for invites.
const INVITE_MAX_AGE_SECS: i64 = 7 * 24 * 3600;
const INVITE_DEFAULT_MAX_AGE_SECS: i64 = 24 * 3600;
const INVITE_MAX_USES: i64 = 100;
/// "Online" in previews means a session used within this window, until the gateway tracks presence.
const ACTIVE_WINDOW_MS: i64 = 5 * 60 * 1000;
/// A collision among 57^10 codes is all but impossible; a few retries make it never in practice.
const CODE_ATTEMPTS: usize = 4;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invite, channel_invites))
        .routes(routes!(guild_invites))
        .routes(routes!(preview_invite, join_invite, delete_invite))
}

fn invite_audience(invite: &GuildInviteRecord) -> Audience {
    Audience::ChannelWith {
        guild_id: invite.guild_id,
        channel_id: invite.channel_id,
        permission: Permissions::MANAGE_CHANNELS,
    }
}

/// An invite's fields as Discord's INVITE_CREATE (from nothing) and INVITE_DELETE (to nothing) entries
/// list them. The code is among them: those entries have no target.
fn invite_fields(
    code: &str,
    channel_id: Snowflake,
    inviter_id: Option<Snowflake>,
    max_age: u32,
    max_uses: u32,
    temporary: bool,
) -> [(&'static str, serde_json::Value); 6] {
    [
        ("code", code.into()),
        ("channel_id", channel_id.to_string().into()),
        ("inviter_id", inviter_id.map(|id| id.to_string()).into()),
        ("max_age", max_age.into()),
        ("max_uses", max_uses.into()),
        ("temporary", temporary.into()),
    ]
}

async fn metadata(state: &AppState, invite: &GuildInviteRecord) -> ApiResult<InviteMetadata> {
    let inviter = match invite.inviter_id {
        Some(id) => state.store.user_by_id(id).await?,
        None => None,
    };
    Ok(views::invite_metadata(invite, inviter.as_ref()))
}

/// Create an invite to a channel (CREATE_INSTANT_INVITE in it): 201 with a new code. Unless `unique` is
/// true, an equivalent usable invite by the same member is answered instead, with 200.
#[utoipa::path(post, path = "/channels/{channel_id}/invites", tag = "invites", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = CreateInvite,
    responses((status = 201, body = InviteMetadata), (status = 200, description = "an equivalent invite already existed", body = InviteMetadata),
        (status = 400, description = "VALIDATION_FAILED, LIMIT_REACHED", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn create_invite(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    AuditReason(reason): AuditReason,
    body: Option<ApiJson<CreateInvite>>,
) -> ApiResult<impl IntoResponse> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::CREATE_INSTANT_INVITE)?;
    if access.channel.kind.is_category() {
        return Err(ApiError::field(
            "channel_id",
            "invites point to a channel, not a category",
        ));
    }
    let body = body.map(|b| b.0).unwrap_or_default();
    let mut errors = FieldErrors::default();
    let max_age = match body.max_age.unwrap_or(INVITE_DEFAULT_MAX_AGE_SECS) {
        n if (0..=INVITE_MAX_AGE_SECS).contains(&n) => n as u32,
        _ => errors
            .check::<u32, _>(
                "max_age",
                Err(format!("must be between 0 and {INVITE_MAX_AGE_SECS}")),
            )
            .unwrap_or(0),
    };
    let max_uses = match body.max_uses.unwrap_or(0) {
        n if (0..=INVITE_MAX_USES).contains(&n) => n as u32,
        _ => errors
            .check::<u32, _>(
                "max_uses",
                Err(format!("must be between 0 and {INVITE_MAX_USES}")),
            )
            .unwrap_or(0),
    };
    errors.finish()?;
    let mut created = None;
    for _ in 0..CODE_ATTEMPTS {
        let mut bytes = [0u8; hearth_core::invite::INVITE_CODE_LEN];
        rand::fill(&mut bytes);
        let new = NewGuildInvite {
            code: InviteCode::from_random(bytes),
            guild_id: access.guild.guild_id(),
            channel_id: access.channel.id,
            inviter_id: auth.user.id,
            max_age,
            max_uses,
            temporary: body.temporary.unwrap_or(false),
            unique: body.unique.unwrap_or(false),
            now_ms: now_ms(),
            max_invites_per_guild: state.config.limits.invites_per_guild,
        };
        // Built per attempt: the code is part of the entry. The store writes it only for a new invite.
        let fields = invite_fields(
            new.code.as_str(),
            new.channel_id,
            Some(new.inviter_id),
            new.max_age,
            new.max_uses,
            new.temporary,
        );
        let audit = fields.into_iter().fold(
            access
                .guild
                .audit(&state, AuditAction::InviteCreate, reason.clone()),
            |entry, (key, value)| entry.change(key, None::<()>, value),
        );
        match state.store.create_guild_invite(&new, &audit).await {
            Err(StoreError::Conflict(_)) => continue,
            other => {
                created = Some(other?);
                break;
            }
        }
    }
    let (invite, is_new) =
        created.ok_or_else(|| anyhow::anyhow!("could not find a free invite code"))?;
    let view = views::invite_metadata(&invite, Some(&auth.user));
    if !is_new {
        // An equivalent invite already existed: nothing changed, so nothing is announced.
        return Ok((StatusCode::OK, axum::Json(view)));
    }
    state
        .bus
        .publish(invite_audience(&invite), &Event::InviteCreate(view.clone()));
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// A channel's invites (MANAGE_CHANNELS in it).
#[utoipa::path(get, path = "/channels/{channel_id}/invites", tag = "invites", security(("bearer" = [])),
    params(("channel_id" = String, Path)),
    responses((status = 200, body = Vec<InviteMetadata>), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn channel_invites(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
) -> ApiResult<axum::Json<Vec<InviteMetadata>>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_CHANNELS)?;
    let invites = state.store.guild_invites(access.guild.guild_id()).await?;
    let mut out = Vec::new();
    for invite in invites.iter().filter(|i| i.channel_id == access.channel.id) {
        out.push(metadata(&state, invite).await?);
    }
    Ok(axum::Json(out))
}

/// Every invite of a guild (MANAGE_GUILD).
#[utoipa::path(get, path = "/guilds/{guild_id}/invites", tag = "invites", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = Vec<InviteMetadata>), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn guild_invites(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<Vec<InviteMetadata>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_GUILD)?;
    let invites = state.store.guild_invites(access.guild_id()).await?;
    let mut out = Vec::with_capacity(invites.len());
    for invite in &invites {
        out.push(metadata(&state, invite).await?);
    }
    Ok(axum::Json(out))
}

/// What an invite leads to: guild name, channel, inviter and member counts. No sign-in needed; an
/// expired or used-up invite is `UNKNOWN_INVITE`.
#[utoipa::path(get, path = "/invites/{code}", tag = "invites",
    params(("code" = String, Path)),
    responses((status = 200, body = Invite), (status = 404, description = "UNKNOWN_INVITE", body = ErrorBody)))]
async fn preview_invite(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<Invite>> {
    let code = InviteCode::parse(&code).map_err(|_| ApiError::NotFound(Entity::Invite))?;
    let now = now_ms();
    let preview = state
        .store
        .invite_preview(code.as_str(), now - ACTIVE_WINDOW_MS)
        .await?
        .filter(|p| p.invite.is_usable(now))
        .ok_or(ApiError::NotFound(Entity::Invite))?;
    Ok(axum::Json(views::invite_preview(&preview)))
}

/// Join the invite's guild. Joining a guild one is already in consumes nothing and answers it again.
#[utoipa::path(post, path = "/invites/{code}", tag = "invites", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = Guild), (status = 400, description = "LIMIT_REACHED", body = ErrorBody),
        (status = 403, description = "BANNED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_INVITE", body = ErrorBody)))]
async fn join_invite(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<Guild>> {
    let code = InviteCode::parse(&code).map_err(|_| ApiError::NotFound(Entity::Invite))?;
    let joined = state
        .store
        .join_guild(
            code.as_str(),
            auth.user.id,
            now_ms(),
            state.config.limits.guilds_per_user,
        )
        .await?;
    let access = GuildAccess::load(&state, &auth.user, joined.guild_id).await?;
    let guild = guild_view(&state, &access).await?;
    if joined.is_new {
        state.bus.publish(
            Audience::Guild(joined.guild_id),
            &Event::GuildMemberAdd(views::member_event(&joined.member)),
        );
        let seen = gateway_guild_from(&state, &access, guild.clone()).await?;
        state.bus.publish(
            Audience::User(auth.user.id),
            &Event::GuildCreate(Box::new(seen)),
        );
    }
    Ok(axum::Json(guild))
}

/// Revoke an invite (MANAGE_CHANNELS on its channel, or MANAGE_GUILD). Answers the deleted invite.
#[utoipa::path(delete, path = "/invites/{code}", tag = "invites", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = InviteMetadata), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_INVITE", body = ErrorBody)))]
async fn delete_invite(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(code): Path<String>,
    AuditReason(reason): AuditReason,
) -> ApiResult<axum::Json<InviteMetadata>> {
    let code = InviteCode::parse(&code).map_err(|_| ApiError::NotFound(Entity::Invite))?;
    let invite = state
        .store
        .guild_invite(code.as_str())
        .await?
        .ok_or(ApiError::NotFound(Entity::Invite))?;
    // Someone outside the guild learns nothing about the invite beyond "unknown".
    let guild = GuildAccess::load(&state, &auth.user, invite.guild_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound(Entity::Invite),
            other => other,
        })?;
    let fields = invite_fields(
        &invite.code,
        invite.channel_id,
        invite.inviter_id,
        invite.max_age,
        invite.max_uses,
        invite.temporary,
    );
    let audit = fields.into_iter().fold(
        guild.audit(&state, AuditAction::InviteDelete, reason),
        |entry, (key, value)| entry.change(key, value, None::<()>),
    );
    if !guild.permissions.contains(Permissions::MANAGE_GUILD) {
        let channel = state
            .store
            .channel_by_id(invite.channel_id)
            .await?
            .ok_or(ApiError::NotFound(Entity::Invite))?;
        let access =
            ChannelAccess::new(guild, channel).map_err(|_| ApiError::NotFound(Entity::Invite))?;
        access.require(Permissions::MANAGE_CHANNELS)?;
    }
    let deleted = state
        .store
        .delete_guild_invite(code.as_str(), &audit)
        .await?
        .ok_or(ApiError::NotFound(Entity::Invite))?;
    state.bus.publish(
        invite_audience(&deleted),
        &Event::InviteDelete(InviteDeleted {
            guild_id: deleted.guild_id.to_string(),
            channel_id: deleted.channel_id.to_string(),
            code: deleted.code.clone(),
        }),
    );
    Ok(axum::Json(metadata(&state, &deleted).await?))
}
