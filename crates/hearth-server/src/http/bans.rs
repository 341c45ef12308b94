//! Guild bans: banning (with removal), unbanning and listing, under the role hierarchy.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::{AuditAction, Permissions};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, GuildBanEvent};
use hearth_protocol::members::{Ban, CreateBan};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{
    AUDIT_REASON_MAX_CHARS, ApiJson, ApiQuery, AuditReason, Authenticated, parse_id,
};
use super::members::Page;
use super::views;
use crate::error::{ApiError, ApiResult, Entity};
use crate::services::access::GuildAccess;
use crate::services::moderation::{self, ban_audience};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bans))
        .routes(routes!(get_ban, ban_member, unban_member))
}

/// Banned users in user-id order (BAN_MEMBERS).
#[utoipa::path(get, path = "/guilds/{guild_id}/bans", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), Page),
    responses((status = 200, body = Vec<Ban>), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_bans(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<axum::Json<Vec<Ban>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::BAN_MEMBERS)?;
    let (after, limit) = page.parse(super::members::MEMBER_PAGE_MAX)?;
    let bans = state.store.bans(access.guild_id(), after, limit).await?;
    Ok(axum::Json(bans.iter().map(views::ban).collect()))
}

/// One ban (BAN_MEMBERS).
#[utoipa::path(get, path = "/guilds/{guild_id}/bans/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 200, body = Ban), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_BAN", body = ErrorBody)))]
async fn get_ban(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Ban>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::BAN_MEMBERS)?;
    let ban = state
        .store
        .ban(access.guild_id(), parse_id("user_id", &user_id)?)
        .await?
        .ok_or(ApiError::NotFound(Entity::Ban))?;
    Ok(axum::Json(views::ban(&ban)))
}

/// Ban a user, member or not (BAN_MEMBERS; a member must rank below the caller). They are removed and
/// cannot rejoin until unbanned; `delete_message_seconds` (0–604800) also deletes their recent messages
/// in the guild. The reason comes from the body or `X-Audit-Log-Reason`.
#[utoipa::path(put, path = "/guilds/{guild_id}/bans/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)), request_body = CreateBan,
    responses((status = 204), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_USER", body = ErrorBody)))]
async fn ban_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    AuditReason(header_reason): AuditReason,
    body: Option<ApiJson<CreateBan>>,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::BAN_MEMBERS)?;
    let user_id = parse_id("user_id", &user_id)?;
    let body = body.map(|b| b.0).unwrap_or_default();
    let reason = match body.reason {
        Some(r) if r.chars().count() > AUDIT_REASON_MAX_CHARS => {
            return Err(ApiError::field(
                "reason",
                format!("must be at most {AUDIT_REASON_MAX_CHARS} characters"),
            ));
        }
        Some(r) if !r.trim().is_empty() => Some(r.trim().to_owned()),
        _ => header_reason,
    };
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::User))?;
    moderation::ban(
        &state,
        &access,
        &user,
        reason,
        body.delete_message_seconds.unwrap_or(0),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lift a ban (BAN_MEMBERS).
#[utoipa::path(delete, path = "/guilds/{guild_id}/bans/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_BAN", body = ErrorBody)))]
async fn unban_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::BAN_MEMBERS)?;
    let user_id = parse_id("user_id", &user_id)?;
    let ban = state
        .store
        .ban(access.guild_id(), user_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Ban))?;
    let audit = access
        .audit(&state, AuditAction::MemberBanRemove, reason)
        .target(user_id);
    if state
        .store
        .unban_member(access.guild_id(), user_id, &audit)
        .await?
    {
        state.bus.publish(
            ban_audience(access.guild_id()),
            &Event::GuildBanRemove(GuildBanEvent {
                guild_id: access.guild_id().to_string(),
                user: views::user(&ban.user),
            }),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}
