//! The guild audit log: reading it. Entries are written by the store inside each change's transaction.

use axum::extract::{Path, State};
use hearth_core::audit::AUDIT_PAGE_MAX;
use hearth_core::{AuditAction, Permissions, Snowflake};
use hearth_protocol::audit::{AuditLog, AuditLogChange, AuditLogEntry};
use hearth_protocol::error::ErrorBody;
use hearth_store::{AuditQuery, AuditRecord};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiQuery, Authenticated, parse_id};
use super::views;
use crate::error::{ApiResult, FieldErrors};
use crate::services::access::GuildAccess;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_log))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditLogQuery {
    /// Only entries by this actor.
    pub user_id: Option<String>,
    /// Only entries of this action type.
    pub action_type: Option<i64>,
    /// Entries older than this entry id (paging backwards).
    pub before: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

impl AuditLogQuery {
    fn parse(&self, guild_id: Snowflake) -> ApiResult<AuditQuery> {
        let mut errors = FieldErrors::default();
        let user_id = errors.id("user_id", self.user_id.as_deref());
        let action = self.action_type.and_then(|code| {
            errors.check(
                "action_type",
                AuditAction::from_code(code).ok_or("is not an audit log action type"),
            )
        });
        let before = errors.id("before", self.before.as_deref());
        let limit = errors.limit(self.limit, 50, AUDIT_PAGE_MAX);
        errors.finish()?;
        Ok(AuditQuery {
            guild_id,
            user_id,
            action,
            before,
            limit,
        })
    }
}

/// A page of the guild's audit log, newest first (VIEW_AUDIT_LOG). Filters: `user_id` (the actor),
/// `action_type`, `before` (an entry id), `limit` (1–100).
#[utoipa::path(get, path = "/guilds/{guild_id}/audit-logs", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), AuditLogQuery),
    responses((status = 200, body = AuditLog), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiQuery(query): ApiQuery<AuditLogQuery>,
) -> ApiResult<axum::Json<AuditLog>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::VIEW_AUDIT_LOG)?;
    let records = state
        .store
        .audit_log(&query.parse(access.guild_id())?)
        .await?;
    // Targets are users for member actions and other things (channels, roles) otherwise; asking for
    // every id costs one query and returns only the users.
    let mut ids: Vec<Snowflake> = records
        .iter()
        .flat_map(|r| [r.user_id, r.target_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let users = state.store.users_by_ids(&ids).await?;
    Ok(axum::Json(AuditLog {
        audit_log_entries: records.iter().map(entry).collect(),
        users: users.iter().map(views::user).collect(),
    }))
}

fn entry(r: &AuditRecord) -> AuditLogEntry {
    AuditLogEntry {
        id: r.id.to_string(),
        guild_id: r.guild_id.to_string(),
        user_id: r.user_id.map(|u| u.to_string()),
        action_type: r.action_code,
        target_id: r.target_id.map(|t| t.to_string()),
        changes: r
            .changes
            .iter()
            .map(|c| AuditLogChange {
                key: c.key.clone(),
                old_value: c.old_value.clone(),
                new_value: c.new_value.clone(),
            })
            .collect(),
        options: r.options.clone(),
        reason: r.reason.clone(),
    }
}
