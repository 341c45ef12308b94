//! `/admin/audit-log`: the instance audit log, read. Entries are written by the store inside each
//! change's transaction (accounts, settings, invites, announcements; escalated reports reserve
//! `report.update`).

use axum::extract::State;
use hearth_core::Snowflake;
use hearth_core::instance::InstanceAuditAction;
use hearth_protocol::admin::{InstanceAuditLog, InstanceAuditLogEntry};
use hearth_protocol::audit::AuditLogChange;
use hearth_protocol::error::ErrorBody;
use hearth_store::{InstanceAuditQuery, InstanceAuditRecord};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::users::parse_limit;
use crate::clock::rfc3339;
use crate::error::{ApiResult, FieldErrors};
use crate::http::extract::{Admin, ApiQuery};
use crate::http::views;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(instance_audit_log))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InstanceAuditLogQuery {
    /// Only entries by this actor.
    pub user_id: Option<String>,
    /// Only entries of this action (`user.disable`, `settings.update`, …).
    pub action: Option<String>,
    /// Entries older than this entry id (paging backwards).
    pub before: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

impl InstanceAuditLogQuery {
    fn parse(&self) -> ApiResult<InstanceAuditQuery> {
        let mut errors = FieldErrors::default();
        let user_id = (self.user_id.as_deref())
            .and_then(|raw| errors.check("user_id", raw.parse::<Snowflake>()));
        let action = (self.action.as_deref())
            .and_then(|raw| errors.check("action", InstanceAuditAction::parse(raw)));
        let before = (self.before.as_deref())
            .and_then(|raw| errors.check("before", raw.parse::<Snowflake>()));
        let limit = parse_limit(self.limit, &mut errors);
        errors.finish()?;
        Ok(InstanceAuditQuery {
            user_id,
            action,
            before,
            limit,
        })
    }
}

/// A page of the instance audit log, newest first, with the accounts it names.
#[utoipa::path(get, path = "/admin/audit-log", tag = "admin", security(("bearer" = [])),
    params(InstanceAuditLogQuery),
    responses((status = 200, body = InstanceAuditLog), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn instance_audit_log(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<InstanceAuditLogQuery>,
) -> ApiResult<axum::Json<InstanceAuditLog>> {
    let records = state.store.instance_audit_log(&query.parse()?).await?;
    // Targets are accounts or announcements; asking for every id costs one query and finds the users.
    let mut ids: Vec<Snowflake> = records
        .iter()
        .flat_map(|r| [r.user_id, r.target_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let users = state.store.users_by_ids(&ids).await?;
    Ok(axum::Json(InstanceAuditLog {
        entries: records.iter().map(entry).collect(),
        users: users.iter().map(views::user).collect(),
    }))
}

fn entry(r: &InstanceAuditRecord) -> InstanceAuditLogEntry {
    InstanceAuditLogEntry {
        id: r.id.to_string(),
        user_id: r.user_id.map(|u| u.to_string()),
        action: r.action.clone(),
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
        reason: r.reason.clone(),
        created_at: rfc3339(r.id.unix_ms() as i64),
    }
}
