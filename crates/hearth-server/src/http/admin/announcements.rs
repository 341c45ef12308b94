//! `/admin/announcements`: notices the administrators post to every signed-in user. Posting and
//! deleting publish `ANNOUNCEMENT_CREATE` and `ANNOUNCEMENT_DELETE` to every gateway session; signed-in
//! users read the current ones at `GET /announcements` (`http/instance.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::Snowflake;
use hearth_core::instance::{
    AnnouncementContent, AnnouncementTitle, InstanceAuditAction, parse_announcement_expiry,
};
use hearth_protocol::admin::CreateAnnouncement;
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::instance::{Announcement, AnnouncementDeleted};
use hearth_store::{AnnouncementRecord, NewAnnouncement};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit_entry;
use super::users::parse_limit;
use crate::bus::Audience;
use crate::clock::{now_ms, parse_rfc3339, rfc3339};
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::http::extract::{Admin, ApiJson, ApiQuery, AuditReason, parse_id};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_announcement, list_announcements))
        .routes(routes!(delete_announcement))
}

pub(crate) fn announcement_view(a: &AnnouncementRecord) -> Announcement {
    Announcement {
        id: a.id.to_string(),
        title: a.title.clone(),
        content: a.content.clone(),
        author_id: a.author_id.map(|id| id.to_string()),
        created_at: rfc3339(a.created_at),
        expires_at: a.expires_at.map(rfc3339),
    }
}

/// Post an announcement to every user (`ANNOUNCEMENT_CREATE` to every gateway session). At most 25
/// are shown at once (400 `LIMIT_REACHED` beyond).
#[utoipa::path(post, path = "/admin/announcements", tag = "admin", security(("bearer" = [])),
    request_body = CreateAnnouncement,
    params(("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 201, body = Announcement),
        (status = 400, description = "VALIDATION_FAILED or LIMIT_REACHED", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn create_announcement(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<CreateAnnouncement>,
) -> ApiResult<impl IntoResponse> {
    let now = now_ms();
    let mut errors = FieldErrors::default();
    let title = errors.check("title", AnnouncementTitle::parse(&body.title));
    let content = errors.check("content", AnnouncementContent::parse(&body.content));
    let expires_at = match body.expires_at.as_deref() {
        None => None,
        Some(raw) => errors.check(
            "expires_at",
            parse_rfc3339(raw)
                .ok_or_else(|| "must be an RFC 3339 time".to_owned())
                .and_then(|at| parse_announcement_expiry(at, now).map_err(|e| e.to_string())),
        ),
    };
    let (Some(title), Some(content)) = (title, content) else {
        return Err(errors.into_error());
    };
    errors.finish()?;
    let new = NewAnnouncement {
        id: state.next_id(),
        author_id: Some(auth.user.id),
        title,
        content,
        now_ms: now,
        expires_at,
    };
    let entry = audit_entry(
        &state,
        &auth,
        InstanceAuditAction::AnnouncementCreate,
        reason,
    )
    .target(new.id)
    .change("title", None::<&str>, new.title.as_str());
    let created = state.store.create_announcement(&new, &entry).await?;
    let view = announcement_view(&created);
    state.bus.publish(
        Audience::Everyone,
        &Event::AnnouncementCreate(Box::new(view.clone())),
    );
    Ok((StatusCode::CREATED, axum::Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementListQuery {
    /// Announcements older than this one (paging backwards).
    pub before: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

/// Every announcement, expired ones included, newest first.
#[utoipa::path(get, path = "/admin/announcements", tag = "admin", security(("bearer" = [])),
    params(AnnouncementListQuery),
    responses((status = 200, body = Vec<Announcement>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_announcements(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<AnnouncementListQuery>,
) -> ApiResult<axum::Json<Vec<Announcement>>> {
    let mut errors = FieldErrors::default();
    let before =
        (query.before.as_deref()).and_then(|raw| errors.check("before", raw.parse::<Snowflake>()));
    let limit = parse_limit(query.limit, &mut errors);
    errors.finish()?;
    let page = state.store.announcements(before, limit).await?;
    Ok(axum::Json(page.iter().map(announcement_view).collect()))
}

/// Delete an announcement (`ANNOUNCEMENT_DELETE` to every gateway session).
#[utoipa::path(delete, path = "/admin/announcements/{announcement_id}", tag = "admin", security(("bearer" = [])),
    params(("announcement_id" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, description = "UNKNOWN_ANNOUNCEMENT", body = ErrorBody)))]
async fn delete_announcement(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(announcement_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id("announcement_id", &announcement_id)?;
    let entry = audit_entry(
        &state,
        &auth,
        InstanceAuditAction::AnnouncementDelete,
        reason,
    )
    .target(id);
    let deleted = state
        .store
        .delete_announcement(id, &entry)
        .await?
        .ok_or(ApiError::NotFound(Entity::Announcement))?;
    state.bus.publish(
        Audience::Everyone,
        &Event::AnnouncementDelete(AnnouncementDeleted {
            id: deleted.id.to_string(),
        }),
    );
    Ok(StatusCode::NO_CONTENT)
}
