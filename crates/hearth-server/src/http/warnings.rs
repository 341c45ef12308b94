//! Member warnings: moderators record them, and the warned member sees their own.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::{Permissions, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::moderation::{CreateWarning, Warning};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiQuery, AuditReason, Authenticated, parse_id};
use super::members::load_member;
use super::views;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::GuildAccess;
use crate::services::moderation;
use crate::state::AppState;

/// Largest page of a member's warnings.
const WARNING_PAGE_MAX: u32 = 100;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_warnings, create_warning))
        .routes(routes!(delete_warning))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WarningPage {
    /// Warnings older than this warning id.
    pub before: Option<String>,
    /// 1–100, default 100.
    pub limit: Option<i64>,
}

/// `@me` or a user id.
fn target_id(access: &GuildAccess, raw: &str) -> ApiResult<Snowflake> {
    if raw == "@me" {
        Ok(access.user_id())
    } else {
        parse_id("user_id", raw)
    }
}

/// A member's warnings, newest first: their own (`@me` or their id) for any member, anyone's with
/// MODERATE_MEMBERS. Warnings outlive membership, so a former member's can be read by id.
#[utoipa::path(get, path = "/guilds/{guild_id}/members/{user_id}/warnings", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path, description = "A user id or `@me`"), WarningPage),
    responses((status = 200, body = Vec<Warning>), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_warnings(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    ApiQuery(page): ApiQuery<WarningPage>,
) -> ApiResult<axum::Json<Vec<Warning>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let user_id = target_id(&access, &user_id)?;
    if user_id != access.user_id() {
        access.require(Permissions::MODERATE_MEMBERS)?;
    }
    let mut errors = FieldErrors::default();
    let before = errors.id("before", page.before.as_deref());
    let limit = errors.limit(page.limit, WARNING_PAGE_MAX, WARNING_PAGE_MAX);
    errors.finish()?;
    let warnings = state
        .store
        .warnings(access.guild_id(), user_id, before, limit)
        .await?;
    Ok(axum::Json(warnings.iter().map(views::warning).collect()))
}

/// Warn a member (MODERATE_MEMBERS; below the caller). The member receives
/// GUILD_MEMBER_WARNING_CREATE and sees the warning in their list.
#[utoipa::path(post, path = "/guilds/{guild_id}/members/{user_id}/warnings", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)), request_body = CreateWarning,
    responses((status = 201, body = Warning), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER", body = ErrorBody)))]
async fn create_warning(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CreateWarning>,
) -> ApiResult<(StatusCode, axum::Json<Warning>)> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MODERATE_MEMBERS)?;
    let target = load_member(&state, &access, target_id(&access, &user_id)?).await?;
    let warning = moderation::warn(&state, &access, &target, &body.reason).await?;
    Ok((StatusCode::CREATED, axum::Json(views::warning(&warning))))
}

/// Remove a warning (MODERATE_MEMBERS).
#[utoipa::path(delete, path = "/guilds/{guild_id}/members/{user_id}/warnings/{warning_id}", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path), ("warning_id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_WARNING", body = ErrorBody)))]
async fn delete_warning(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id, warning_id)): Path<(String, String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MODERATE_MEMBERS)?;
    let user_id = target_id(&access, &user_id)?;
    let warning_id = parse_id("warning_id", &warning_id)?;
    let warning = state
        .store
        .warning(access.guild_id(), user_id, warning_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Warning))?;
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Warning))?;
    let member = state.store.member(access.guild_id(), user_id).await?;
    if !moderation::delete_warning(&state, &access, &user, member.as_ref(), &warning, reason)
        .await?
    {
        return Err(ApiError::NotFound(Entity::Warning));
    }
    Ok(StatusCode::NO_CONTENT)
}
