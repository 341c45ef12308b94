//! Guild bans: banning (with removal), unbanning and listing, under the role hierarchy.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::Permissions;
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, GuildBanEvent};
use hearth_protocol::members::{Ban, CreateBan};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{
    AUDIT_REASON_MAX_CHARS, ApiJson, ApiQuery, AuditReason, Authenticated, parse_id,
};
use super::guilds::publish_member_gone;
use super::members::Page;
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity};
use crate::services::access::GuildAccess;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bans))
        .routes(routes!(get_ban, ban_member, unban_member))
}

fn ban_audience(guild_id: hearth_core::Snowflake) -> Audience {
    Audience::GuildWith {
        guild_id,
        permission: Permissions::BAN_MEMBERS,
    }
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
/// cannot rejoin until unbanned. The reason comes from the body or `X-Audit-Log-Reason`.
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
    if user_id == access.user_id() {
        return Err(ApiError::field("user_id", "you cannot ban yourself"));
    }
    let reason = match body.and_then(|b| b.0.reason) {
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
    if let Some(member) = state.store.member(access.guild_id(), user_id).await? {
        access.require_outranks_member(&member)?;
    }
    let was_member = state
        .store
        .ban_member(
            access.guild_id(),
            user_id,
            reason.as_deref(),
            access.user_id(),
            now_ms(),
        )
        .await?;
    if was_member {
        publish_member_gone(&state, &access, &user);
    }
    state.bus.publish(
        ban_audience(access.guild_id()),
        &Event::GuildBanAdd(GuildBanEvent {
            guild_id: access.guild_id().to_string(),
            user: views::user(&user),
        }),
    );
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
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::BAN_MEMBERS)?;
    let user_id = parse_id("user_id", &user_id)?;
    let ban = state
        .store
        .ban(access.guild_id(), user_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Ban))?;
    if state.store.unban_member(access.guild_id(), user_id).await? {
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
