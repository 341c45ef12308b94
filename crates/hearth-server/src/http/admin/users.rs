//! `/admin/users`: accounts as instance administrators manage them: list and search, disable and
//! enable, promote and demote, delete.
//!
//! Who may do what (checked here, and again by the store against the row as it commits):
//! - nobody acts on the instance owner (disable, demote, delete: 403 `INSTANCE_OWNER_PROTECTED`);
//! - nobody disables, demotes or deletes their own account (400 `CANNOT_ACT_ON_SELF`);
//! - only the owner promotes and demotes, and only the owner acts on another administrator (403
//!   `INSTANCE_OWNER_REQUIRED`), so one compromised admin account cannot lock the others out.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::Snowflake;
use hearth_core::instance::{ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX, InstanceAuditAction, UserQuery};
use hearth_protocol::admin::AdminUser;
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, GuildDeleted, GuildMemberRemoved};
use hearth_store::{AccountChange, AdminUserRecord, Protected, UserSearch};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit_entry;
use crate::bus::Audience;
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::http::extract::{Admin, ApiQuery, AuditReason, Authenticated, parse_id};
use crate::http::views;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(get_user, delete_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(promote_user, demote_user))
}

pub fn admin_user_view(record: &AdminUserRecord) -> AdminUser {
    AdminUser {
        user: views::user(&record.user),
        admin: record.user.is_admin,
        owner: record.user.is_owner,
        disabled: record.user.disabled,
        deleted: record.deleted,
        last_active_at: record.last_active_at.map(rfc3339),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    /// 1–32 characters found anywhere in the username or display name, ignoring case; empty or
    /// absent lists every account.
    pub query: Option<String>,
    /// Accounts with a larger id than this one (paging forwards).
    pub after: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

impl UserListQuery {
    fn parse(&self) -> ApiResult<UserSearch> {
        let mut errors = FieldErrors::default();
        let query = (self.query.as_deref())
            .filter(|raw| !raw.trim().is_empty())
            .and_then(|raw| errors.check("query", UserQuery::parse(raw)));
        let after = (self.after.as_deref()).and_then(|raw| errors.check("after", raw.parse()));
        let limit = parse_limit(self.limit, &mut errors);
        errors.finish()?;
        Ok(UserSearch {
            query,
            after,
            limit,
        })
    }
}

/// A page size: 1–100, default 50.
pub(super) fn parse_limit(limit: Option<i64>, errors: &mut FieldErrors) -> u32 {
    errors.limit(limit, ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX)
}

/// Accounts in id order, optionally only those matching `query`; page with `after` (the last id
/// seen) and `limit`.
#[utoipa::path(get, path = "/admin/users", tag = "admin", security(("bearer" = [])), params(UserListQuery),
    responses((status = 200, body = Vec<AdminUser>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<UserListQuery>,
) -> ApiResult<axum::Json<Vec<AdminUser>>> {
    let users = state.store.search_users(&query.parse()?).await?;
    Ok(axum::Json(users.iter().map(admin_user_view).collect()))
}

async fn load(state: &AppState, id: Snowflake) -> ApiResult<AdminUser> {
    let record = state
        .store
        .admin_user(id)
        .await?
        .ok_or(ApiError::NotFound(Entity::User))?;
    Ok(admin_user_view(&record))
}

/// One account.
#[utoipa::path(get, path = "/admin/users/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 200, body = AdminUser), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    _admin: Admin,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    Ok(axum::Json(
        load(&state, parse_id("user_id", &user_id)?).await?,
    ))
}

/// What an admin's rank protects: always the owner; other admins unless the actor is the owner.
fn protected_from(actor: &Authenticated) -> Protected {
    Protected {
        owner: true,
        admins: !actor.user.is_owner,
    }
}

fn refuse_self(actor: &Authenticated, target: Snowflake) -> ApiResult<()> {
    if actor.user.id == target {
        return Err(ApiError::CannotActOnSelf);
    }
    Ok(())
}

/// Applies one change and answers the account as it is now.
async fn change(
    state: &AppState,
    actor: &Authenticated,
    target: Snowflake,
    change: AccountChange,
    protected: Protected,
    reason: Option<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    let (action, key, old, new) = match change {
        AccountChange::Disable => (InstanceAuditAction::UserDisable, "disabled", false, true),
        AccountChange::Enable => (InstanceAuditAction::UserEnable, "disabled", true, false),
        AccountChange::Promote => (InstanceAuditAction::UserPromote, "admin", false, true),
        AccountChange::Demote => (InstanceAuditAction::UserDemote, "admin", true, false),
    };
    let entry = audit_entry(state, actor, action, reason)
        .target(target)
        .change(key, old, new);
    let done = state
        .store
        .change_account(target, change, protected, now_ms(), &entry)
        .await?;
    if done.changed {
        tracing::info!(admin_id = %actor.user.id, user_id = %target, action = action.as_str(), "account changed");
        if change == AccountChange::Disable {
            // Committed: the sessions are gone, so the gateway connections go too.
            state.bus.disconnect_user(target);
        }
    }
    Ok(axum::Json(load(state, target).await?))
}

/// Disable an account: it cannot sign in, and every session (HTTP and gateway) ends at once.
#[utoipa::path(post, path = "/admin/users/{user_id}/disable", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 200, body = AdminUser),
        (status = 400, description = "CANNOT_ACT_ON_SELF", body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED, INSTANCE_OWNER_PROTECTED or INSTANCE_OWNER_REQUIRED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn disable_user(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    let target = parse_id("user_id", &user_id)?;
    refuse_self(&auth, target)?;
    let protected = protected_from(&auth);
    change(
        &state,
        &auth,
        target,
        AccountChange::Disable,
        protected,
        reason,
    )
    .await
}

/// Enable a disabled account (its sessions stay revoked; the user signs in again).
#[utoipa::path(post, path = "/admin/users/{user_id}/enable", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 200, body = AdminUser), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED or INSTANCE_OWNER_REQUIRED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn enable_user(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    let target = parse_id("user_id", &user_id)?;
    let protected = Protected {
        owner: false,
        ..protected_from(&auth)
    };
    change(
        &state,
        &auth,
        target,
        AccountChange::Enable,
        protected,
        reason,
    )
    .await
}

/// Make an account an instance administrator (the owner only).
#[utoipa::path(post, path = "/admin/users/{user_id}/admin", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 200, body = AdminUser), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED or INSTANCE_OWNER_REQUIRED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn promote_user(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    let target = parse_id("user_id", &user_id)?;
    if !auth.user.is_owner {
        return Err(ApiError::InstanceOwnerRequired);
    }
    let protected = protected_from(&auth);
    change(
        &state,
        &auth,
        target,
        AccountChange::Promote,
        protected,
        reason,
    )
    .await
}

/// Take instance administration away from an account (the owner only; never from the owner).
#[utoipa::path(delete, path = "/admin/users/{user_id}/admin", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 200, body = AdminUser),
        (status = 400, description = "CANNOT_ACT_ON_SELF", body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED, INSTANCE_OWNER_REQUIRED or INSTANCE_OWNER_PROTECTED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn demote_user(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<AdminUser>> {
    let target = parse_id("user_id", &user_id)?;
    refuse_self(&auth, target)?;
    if !auth.user.is_owner {
        return Err(ApiError::InstanceOwnerRequired);
    }
    let protected = protected_from(&auth);
    change(
        &state,
        &auth,
        target,
        AccountChange::Demote,
        protected,
        reason,
    )
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteUserQuery {
    /// Also delete the guilds the account owns (and everything in them); without it, an account
    /// that owns guilds is not deleted (409 `USER_OWNS_GUILDS`).
    #[serde(default)]
    pub delete_owned_guilds: bool,
}

/// Delete an account, Discord-style: it is anonymised ("Deleted User", username
/// `deleted_user_<id>`), its password, profile, sessions, memberships and read markers go, and its
/// messages stay under the anonymised author. Not reversible.
#[utoipa::path(delete, path = "/admin/users/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path), DeleteUserQuery,
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 204),
        (status = 400, description = "CANNOT_ACT_ON_SELF", body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED, INSTANCE_OWNER_PROTECTED or INSTANCE_OWNER_REQUIRED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER (also for an account already deleted)", body = ErrorBody),
        (status = 409, description = "USER_OWNS_GUILDS", body = ErrorBody)))]
async fn delete_user(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(user_id): Path<String>,
    ApiQuery(query): ApiQuery<DeleteUserQuery>,
) -> ApiResult<StatusCode> {
    let target = parse_id("user_id", &user_id)?;
    refuse_self(&auth, target)?;
    let entry = audit_entry(&state, &auth, InstanceAuditAction::UserDelete, reason).target(target);
    let deleted = state
        .store
        .delete_account(
            target,
            protected_from(&auth),
            query.delete_owned_guilds,
            now_ms(),
            &entry,
        )
        .await?;
    tracing::info!(admin_id = %auth.user.id, user_id = %target, "account deleted");
    state.bus.disconnect_user(target);
    for guild_id in &deleted.deleted_guilds {
        state.bus.publish(
            Audience::Guild(*guild_id),
            &Event::GuildDelete(GuildDeleted {
                id: guild_id.to_string(),
                unavailable: false,
            }),
        );
    }
    let user = views::user(&deleted.user);
    for guild_id in &deleted.left_guilds {
        state.bus.publish(
            Audience::Guild(*guild_id),
            &Event::GuildMemberRemove(GuildMemberRemoved {
                guild_id: guild_id.to_string(),
                user: user.clone(),
            }),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}
